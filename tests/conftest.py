"""Shared test helpers. ``FakeBackend`` (``summarizer.testing``) feeds queued raw completions to the
real instructor path."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from summarizer.testing import Asked, CutOff, FakeBackend, completion  # noqa: F401 - the tests import them from here

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "examples" / "syria-2016-02-21"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def fake() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def article(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """One article file, ``report.txt``, holding the requesting test module's ``TEXT`` (each module
    sizes its own report: how many sentences, so how many calls, is what its tests count)."""
    path = tmp_path / "report.txt"
    path.write_text(request.module.TEXT)
    return path


def citations_in(obj: Any) -> list[dict[str, Any]]:
    """Every citation dict inside a model_dump()."""
    found = []
    if isinstance(obj, dict):
        if {"article_id", "start", "end", "text"} <= obj.keys():
            found.append(obj)
        for v in obj.values():
            found += citations_in(v)
    elif isinstance(obj, list):
        for v in obj:
            found += citations_in(v)
    return found


def assert_citations_verify(dumped: dict[str, Any], texts: dict[str, str]) -> int:
    cits = citations_in(dumped)
    for c in cits:
        assert texts[c["article_id"]][c["start"]:c["end"]] == c["text"], c
    return len(cits)


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


# --- the HTML report's browser tests ------------------------------------------------------------
# Playwright's own browser download is not reachable here: drive Debian's chromium (see
# ../shared/NOTES.md); --no-sandbox because CI runs as root. SUMMARIZER_CHROMIUM names another binary.
CHROMIUM = os.environ.get("SUMMARIZER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def require_chromium() -> None:
    """At the top of a browser test module: fail in CI without chromium, skip elsewhere."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):  # .ci/run installs it
        raise RuntimeError(f"no chromium at {CHROMIUM} in CI: .ci/run should have installed it")
    pytest.skip(f"no chromium at {CHROMIUM}: apt-get install -y chromium, or set SUMMARIZER_CHROMIUM",
                allow_module_level=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox"]}
