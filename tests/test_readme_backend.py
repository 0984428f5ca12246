"""A third-party backend written from the README alone works: the README's own example is run as
it stands (its code block under "Your own backend"), and the briefing it makes is checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summarizer import backends
from summarizer.errors import ConfigError

README = Path(__file__).resolve().parents[1] / "README.md"


def _example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Your own backend", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, re.S)
    assert block, "the README's 'Your own backend' section has no python block"
    return block.group(1)


def test_the_readme_backend_example_briefs_with_grounded_figures(monkeypatch, capsys):
    monkeypatch.setattr(backends, "_REGISTRY", dict(backends._REGISTRY))  # the example registers "mine"
    scope: dict[str, object] = {}
    exec(compile(_example(), str(README), "exec"), scope)  # noqa: S102 - the README's code, as a reader runs it
    briefing = scope["briefing"]
    assert capsys.readouterr().out.strip() == "3"
    assert briefing.run.backend == "mine" and briefing.run.model == "v1"
    [claim] = briefing.events[0].killed.claims
    assert (claim.value, claim.words, claim.citations[0].text) == (3, "3", "3")


def test_a_built_in_prefix_cannot_be_taken(monkeypatch):
    monkeypatch.setattr(backends, "_REGISTRY", dict(backends._REGISTRY))
    with pytest.raises(ConfigError, match="cannot register a backend as 'openai'"):
        backends.register_backend("openai", lambda s: None)  # type: ignore[arg-type,return-value]
