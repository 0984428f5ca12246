"""Progress inside an article (issue 16): one callback type (``control.Events``) for brief,
extract and batch; plain lines off a terminal, JSON events with --log-json, nothing with
--quiet; and the embedded model's cost said before it is paid."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeBackend
from typer.testing import CliRunner

from summarizer import pipeline
from summarizer.batch import runner as batch
from summarizer.batch.progress import PlainLines
from summarizer.cli import app
from summarizer.control import Control
from summarizer.settings import Settings

PLACES = ["Homs", "Aleppo", "Idlib", "Hama"]
TEXT = " ".join(f"In {p}, 25 people were killed on Monday, the Observatory said." for p in PLACES) + "\n"
ANSWER = {"killed": 25, "injured": None, "place": None, "claimed_by": None}
runner = CliRunner()


def test_brief_events_plan_then_count_calls(article: Path) -> None:
    seen: list[tuple[str, dict[str, Any]]] = []
    settings = Settings(strategy="sentence", narrative=False).controlled(events=lambda n, f: seen.append((n, f)))
    pipeline.brief([article], settings, backend=FakeBackend(default=ANSWER))
    names = [n for n, _ in seen]
    assert names[:3] == ["run_started", "article_started", "calls_planned"]
    assert names.count("call_done") == len(PLACES) and names[-1] == "article_done"
    planned = dict(seen)["calls_planned"]
    assert planned == {"article": "report", "calls": len(PLACES), "strategy": "sentence"}
    dones = [f["done"] for n, f in seen if n == "call_done"]
    assert dones == list(range(1, len(PLACES) + 1))


def test_batch_uses_the_same_events(tmp_path: Path) -> None:
    (tmp_path / "inbox" / "a").mkdir(parents=True)
    (tmp_path / "inbox" / "a" / "one.txt").write_text(TEXT)
    seen: list[str] = []
    batch.run(tmp_path / "inbox", tmp_path / "out", Settings(strategy="sentence", narrative=False),
              backend=FakeBackend(default=ANSWER), events=lambda n, f: seen.append(n))
    for name in ("run_started", "article_started", "calls_planned", "call_done", "article_done", "cluster_done"):
        assert name in seen


def test_plain_lines_format() -> None:
    out = io.StringIO()
    lines = PlainLines(stream=out, every_s=3600)
    lines("run_started", {"articles": 1})
    lines("calls_planned", {"article": "report.txt", "calls": 400, "strategy": "sentence"})
    for done in range(1, 4):
        lines("call_done", {"article": "report.txt", "done": done, "planned": 400, "seconds": done * 1.0})
    lines("article_done", {"article": "report.txt", "status": "ok", "cached": False, "calls": 400, "error": None,
                           "records": "3 casualty, 0 statement, 0 event records"})
    assert out.getvalue().splitlines() == [
        "  report.txt: 400 calls planned (sentence)",
        "  report.txt: 1/400 calls, 1.0 s/call, about 7 min left",  # the first call at once; then every_s
        "  report.txt: 3 casualty, 0 statement, 0 event records; 400 calls [1/1 articles]",
    ]


def test_cli_brief_log_json_carries_the_events(article: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "make_backend", lambda s: FakeBackend(default=ANSWER))
    r = runner.invoke(app, ["brief", str(article), "--strategy", "sentence", "--no-narrative", "--log-json"])
    assert r.exit_code == 0, r.stderr
    events = [json.loads(line)["event"] for line in r.stderr.splitlines()]
    for name in ("article_started", "calls_planned", "call_done", "article_done"):
        assert name in events


def test_cli_brief_quiet_says_nothing(article: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "make_backend", lambda s: FakeBackend(default=ANSWER))
    r = runner.invoke(app, ["brief", str(article), "--strategy", "sentence", "--no-narrative", "-q"])
    assert r.exit_code == 0 and r.stderr == ""


def test_cli_brief_plain_progress_lines(article: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "make_backend", lambda s: FakeBackend(default=ANSWER))
    r = runner.invoke(app, ["brief", str(article), "--strategy", "sentence", "--no-narrative"])
    assert r.exit_code == 0, r.stderr
    assert "  report: 4 calls planned (sentence)" in r.stderr
    assert "  report: 1/4 calls, " in r.stderr


def test_the_embedded_cost_is_said_once_before_it_is_paid(tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text(" ".join(f"In town {i}, 25 people were killed, the Observatory said." for i in range(400)))
    seen: list[tuple[str, dict[str, Any]]] = []
    fake = FakeBackend(default=ANSWER)
    fake.name = "embedded"
    control = Control(max_calls=3, events=lambda n, f: seen.append((n, f)))
    pipeline.brief([long],
                   Settings(strategy="sentence", narrative=False, text_options="off").with_(control=control),
                   backend=fake)
    notices = [f["message"] for n, f in seen if n == "notice"]
    assert notices == ["long: 400 candidate sentences, about 4 min on the embedded model; "
                       "--max-calls N bounds it, or use a capable endpoint"]
    assert [n for n, _ in seen].index("notice") < [n for n, _ in seen].index("call_done")
