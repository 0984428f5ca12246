"""Shared test helpers. ``FakeBackend`` is a fake: queued answers, recorded requests."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from summarizer.backends import Reply, Request
from summarizer.schemas import Usage

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "examples" / "syria-2016-02-21"
sys.path.insert(0, str(Path(__file__).parent))


class FakeBackend:
    """Answers from a queue and records every request, like simonw/llm's MockModel.

    Each queued answer is a dict (the JSON the model would send) or an Exception to raise.
    Validation runs with the request's context exactly as instructor does, and a failing
    answer is followed by the next queued one while re-asks remain.
    """

    name = "fake"
    model = "fake-model"

    def __init__(self, default_strategy: str = "sentence", default: dict[str, Any] | None = None):
        self.default_strategy = default_strategy
        self.queue: deque[Any] = deque()
        self.history: list[Request] = []
        self.default = default

    def enqueue(self, *answers: Any) -> FakeBackend:
        self.queue.extend(answers)
        return self

    def _next(self) -> Any:
        if self.queue:
            return self.queue.popleft()
        if self.default is not None:
            return self.default
        raise AssertionError("FakeBackend: no answer queued")

    def structured(self, request: Request) -> Reply:
        reply = Reply()
        messages = list(request.messages)
        for attempt in range(request.max_retries + 1):
            self.history.append(Request(messages=list(messages), response_model=request.response_model,
                                        context=request.context, max_retries=request.max_retries))
            answer = self._next()
            if isinstance(answer, Exception):
                raise answer
            prompt_chars = sum(len(m["content"]) for m in messages)
            reply.usage.add(Usage(calls=1, prompt_tokens=prompt_chars // 4,
                                  completion_tokens=len(json.dumps(answer)) // 4))
            try:
                reply.value = request.response_model.model_validate(answer, context=request.context)
                break
            except ValidationError as exc:
                error = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
                reply.errors.append(error)
                messages += [{"role": "assistant", "content": json.dumps(answer)},
                             {"role": "user", "content": f"Correct your answer: {error}"}]
                if attempt == request.max_retries:
                    try:
                        reply.salvage = request.response_model.model_validate(answer)
                    except ValidationError:
                        reply.salvage = None
        reply.attempts = reply.usage.calls
        return reply


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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox"]}
