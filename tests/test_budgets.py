"""Run budgets for brief, extract and batch (issue 16): --max-calls, --max-tokens-total and
--deadline stop asking, brief what is grounded so far, mark the article partial with the reason
in sources[], and exit 3."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeBackend
from typer.testing import CliRunner

from summarizer import pipeline
from summarizer.backends import Reply, Request
from summarizer.batch import runner as batch
from summarizer.cli import app
from summarizer.control import Control
from summarizer.errors import Interrupted
from summarizer.settings import Settings

PLACES = ["Homs", "Aleppo", "Idlib", "Hama", "Daraa", "Raqqa"]
TEXT = " ".join(f"In {p}, 25 people were killed on Monday, the Observatory said." for p in PLACES) + "\n"
ANSWER = {"killed": 25, "injured": None, "place": None, "claimed_by": None}
runner = CliRunner()


def settings(**more: Any) -> Settings:
    return Settings(**{"strategy": "sentence", "narrative": False, "use_cache": False, **more})


def test_max_calls_stops_asking_and_briefs_what_is_grounded(article: Path) -> None:
    fake = FakeBackend(default=ANSWER)
    result = pipeline.brief([article], settings(max_calls=2), backend=fake)
    assert len(fake.history) == 2
    (source,) = result.sources
    assert source.status == "partial"
    assert "--max-calls 2 reached" in (source.error or "")
    assert result.events and result.grounding.kept >= 1, "what was grounded before the budget ran out is briefed"


def test_max_tokens_total_stops_after_the_call_that_spends_it(article: Path) -> None:
    fake = FakeBackend(default=ANSWER)
    result = pipeline.brief([article], settings(max_tokens_total=1), backend=fake)
    assert len(fake.history) == 1
    assert result.sources[0].status == "partial"
    assert "--max-tokens-total 1 reached" in (result.sources[0].error or "")


class SlowFake(FakeBackend):
    def structured(self, request: Request) -> Reply:
        time.sleep(0.05)
        return super().structured(request)


def test_deadline_stops_starting_calls(article: Path) -> None:
    fake = SlowFake(default=ANSWER)
    result = pipeline.brief([article], settings(deadline_s=0.08), backend=fake)
    assert 1 <= len(fake.history) < len(PLACES)
    assert "--deadline 0.08 s reached" in (result.sources[0].error or "")


def test_no_budget_asks_every_candidate(article: Path) -> None:
    fake = FakeBackend(default=ANSWER)
    result = pipeline.brief([article], settings(), backend=fake)
    assert len(fake.history) == len(PLACES) and result.sources[0].status == "ok"


def test_extract_marks_the_article_partial(article: Path) -> None:
    fake = FakeBackend(default=ANSWER)
    (result,) = pipeline.extract([article], settings(max_calls=3), backend=fake)
    assert result.status == "partial" and len(result.casualties) >= 1 and len(fake.history) == 3


def test_a_stopped_control_interrupts_before_the_next_call(article: Path) -> None:
    fake = FakeBackend(default=ANSWER)
    control = Control()
    control.stop()
    with pytest.raises(Interrupted):
        pipeline.brief([article], settings().with_(control=control), backend=fake)
    assert fake.history == []


@pytest.mark.parametrize("command", ["brief", "extract"])
@pytest.mark.parametrize("flag", [["--max-calls", "2"], ["--max-tokens-total", "1"], ["--deadline", "0.0001"]])
def test_cli_budgets_exit_3_with_the_reason(article: Path, monkeypatch: pytest.MonkeyPatch, command: str,
                                            flag: list[str]) -> None:
    monkeypatch.setattr(pipeline, "make_backend", lambda s: FakeBackend(default=ANSWER))
    args = [command, str(article), "--strategy", "sentence", "-q", *flag]
    r = runner.invoke(app, args + (["--no-narrative", "--format", "json"] if command == "brief" else []))
    assert r.exit_code == 3, r.stderr
    assert f"{flag[0]} " in r.stderr and "partial" in r.stderr
    doc = json.loads(r.stdout)
    status = doc["sources"][0]["status"] if command == "brief" else doc[0]["status"]
    assert status == "partial"


def test_batch_max_calls_leaves_the_rest_pending_and_a_rerun_finishes(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for cluster in ("a", "b"):
        (inbox / cluster).mkdir(parents=True)
        (inbox / cluster / "one.txt").write_text(TEXT.replace("Monday", f"Monday in {cluster}"))
    out = tmp_path / "out"
    fake = FakeBackend(default=ANSWER)
    result = batch.run(inbox, out, settings(max_calls=2, use_cache=True, concurrency=1), backend=fake)
    assert result.exit_code == 3
    assert len(fake.history) == 2
    states = {c: r.state.value for c, r in result.clusters.items()}
    assert states == {"a": "partial", "b": "pending"}
    again = batch.run(inbox, out, settings(use_cache=True), backend=FakeBackend(default=ANSWER))
    assert again.exit_code == 0
    assert {c: r.state.value for c, r in again.clusters.items()} == {"a": "done", "b": "done"}


@pytest.mark.parametrize("flag", [["--max-calls", "2"], ["--deadline", "0.0001"]])
def test_cli_batch_budget_exits_3_and_records_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         flag: list[str]) -> None:
    monkeypatch.setattr(batch, "make_backend", lambda s: FakeBackend(default=ANSWER))
    inbox = tmp_path / "inbox"
    for cluster in ("a", "b"):
        (inbox / cluster).mkdir(parents=True)
        (inbox / cluster / "one.txt").write_text(TEXT.replace("Monday", f"Monday in {cluster}"))
    r = runner.invoke(app, ["batch", str(inbox), "--out", str(tmp_path / "out"), "--strategy", "sentence",
                            "--no-narrative", "--concurrency", "1", "-q", *flag])
    assert r.exit_code == 3, r.stderr
    manifest = json.loads((tmp_path / "out" / "run.json").read_text())
    assert manifest["runs"][-1]["outcome"] in ("budget", "partial")
    assert any(flag[0] in (c.get("error") or "") + json.dumps(c.get("articles"))
               for c in manifest["clusters"].values())


def test_max_calls_per_article_bounds_each_article_and_the_run_goes_on(tmp_path: Path) -> None:
    paths = []
    for name in ("one", "two"):
        paths.append(tmp_path / f"{name}.txt")
        paths[-1].write_text(TEXT.replace("Monday", f"Monday ({name})"))
    fake = FakeBackend(default=ANSWER)
    result = pipeline.brief(paths, settings(max_calls_per_article=2, concurrency=1), backend=fake)
    assert len(fake.history) == 4
    assert [s.status for s in result.sources] == ["partial", "partial"]
    assert all("--max-calls-per-article 2 reached" in (s.error or "") for s in result.sources)


def test_cli_max_calls_per_article_exits_3(article: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "make_backend", lambda s: FakeBackend(default=ANSWER))
    r = runner.invoke(app, ["brief", str(article), "--strategy", "sentence", "-q", "--no-narrative",
                            "--max-calls-per-article", "1"])
    assert r.exit_code == 3 and "--max-calls-per-article 1 reached" in r.stderr
