"""Batch runs: clusters in, briefings out; cache, resume, budget, lock and status.

The model is the FakeBackend (queued answers, recorded requests) with whole-article strategy, so
every fresh article costs exactly one call and the counts below are exact.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, SEED_DIR, FakeBackend, assert_citations_verify
from typer.testing import CliRunner

from summarizer.batch import runner as batch
from summarizer.batch.manifest import Manifest, status_text
from summarizer.cache import ExtractionCache
from summarizer.cli import app
from summarizer.errors import ConfigError
from summarizer.files import DirectoryLock
from summarizer.pipeline import cache_parts
from summarizer.settings import Settings

EMPTY = {"casualties": [], "statements": [], "events": []}
SEED = sorted(SEED_DIR.glob("*.txt"))
HOMS = "A twin bombing in Homs killed 46 people, the Syrian Observatory for Human Rights said on Sunday."


def asked(be: FakeBackend) -> int:
    """Extraction questions asked, re-asks not counted (the fake records every attempt); the
    per-cluster narrative call is not an extraction."""
    return sum(1 for r in be.history if r.attempt == 1 and r.response_model.__name__ != "NarrativeDraft")


def fake() -> FakeBackend:
    return FakeBackend(default_strategy="whole", default=EMPTY)


def grounded_fake() -> FakeBackend:
    """Answers one grounded casualty for any article that contains the HOMS sentence."""
    answer = {"casualties": [{"evidence": HOMS, "killed": 46, "injured": None, "place": "Homs",
                              "claimed_by": "the Syrian Observatory for Human Rights", "event": "twin bombing"}],
              "statements": [], "events": []}
    return FakeBackend(default_strategy="whole", default=answer)


def inbox(tmp_path: Path, clusters: dict[str, dict[str, str | bytes]]) -> Path:
    root = tmp_path / "inbox"
    for cid, files in clusters.items():
        (root / cid).mkdir(parents=True)
        for name, body in files.items():
            path = root / cid / name
            path.write_bytes(body) if isinstance(body, bytes) else path.write_text(body, encoding="utf-8")
    return root


def seed_inbox(tmp_path: Path) -> Path:
    root = tmp_path / "inbox"
    shutil.copytree(SEED_DIR, root / "syria")
    (root / "homs").mkdir()
    (root / "homs" / "homs.txt").write_text(HOMS + "\n", encoding="utf-8")
    return root


def test_directory_of_clusters_is_briefed_and_outputs_validate(tmp_path):
    src, out = seed_inbox(tmp_path), tmp_path / "out"
    be = fake()
    result = batch.run(src, out, Settings(strategy="whole", concurrency=3), backend=be)
    assert result.exit_code == 0
    assert result.run.clusters_done == 2 and result.run.outcome == "complete"
    assert len(be.history) == 6  # one call per article, nothing twice
    schema = json.loads((ROOT / "schemas" / "briefing.json").read_text())
    for cid in ("syria", "homs"):
        doc = json.loads((out / f"{cid}.json").read_text())
        jsonschema.validate(doc, schema)
        assert (out / f"{cid}.md").read_text().startswith("#")
    manifest = Manifest.load(out)
    assert manifest.clusters["syria"].state == "done"
    assert [a.status for a in manifest.clusters["syria"].articles] == ["ok"] * 5
    assert manifest.runs[-1].usage.calls == 6
    assert not list(out.glob(".*.tmp"))


def test_rerun_of_a_finished_batch_makes_no_call_and_loads_no_model(tmp_path):
    src, out = seed_inbox(tmp_path), tmp_path / "out"
    batch.run(src, out, Settings(strategy="whole"), backend=fake())
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    # Settings that cannot build a backend: the rerun must not need one.
    result = batch.run(src, out, Settings(strategy="whole", model="openai/never-built"))
    assert result.exit_code == 0
    assert result.run.clusters_skipped == 2 and result.run.usage.calls == 0
    after = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json") if p.name != "run.json"}
    assert all(before[n] == t for n, t in after.items())


def test_same_article_in_two_clusters_is_extracted_once_and_relabelled(tmp_path):
    src = inbox(tmp_path, {"a": {"homs.txt": HOMS}, "b": {"copy-of-homs.txt": HOMS, "other.txt": SEED[0].read_text()}})
    out = tmp_path / "out"
    be = grounded_fake()
    result = batch.run(src, out, Settings(strategy="whole", concurrency=1), backend=be)
    assert asked(be) == 2  # homs once, other once
    assert result.run.cache_hits == 1
    doc = json.loads((out / "b.json").read_text())
    ids = ({c["article_id"] for e in doc["events"] for c in e["killed"]["claims"][0]["citations"]}
           if doc["events"] else set())
    assert "copy-of-homs" in json.dumps(doc) and "\"homs\"" not in json.dumps(doc)
    texts = {"copy-of-homs": HOMS, "other": SEED[0].read_text(encoding="utf-8")}
    assert assert_citations_verify(doc, texts) >= 1
    assert ids <= set(texts)
    copy = next(s for s in doc["sources"] if s["id"] == "copy-of-homs")
    assert copy["status"] == "ok"


def test_changed_prompt_invalidates_the_cache_and_nothing_else(tmp_path):
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    src, out = inbox(tmp_path, {"c": {"homs.txt": HOMS}}), tmp_path / "out"
    settings = Settings(strategy="whole", prompts_dir=prompts)
    be = fake()
    parts_before = cache_parts(settings, be)
    batch.run(src, out, settings, backend=be)
    (out / "c.json").unlink()  # force the cluster to be redone
    batch.run(src, out, settings, backend=be)
    assert len(be.history) == 1  # second run: cache hit
    text = re.sub(r"version: (\d+)", lambda m: f"version: {int(m.group(1)) + 1}",
                  (prompts / "whole_article.md").read_text(), count=1)
    (prompts / "whole_article.md").write_text(text)
    assert cache_parts(settings, be)["prompt_version"] != parts_before["prompt_version"]
    (out / "c.json").unlink()
    batch.run(src, out, settings, backend=be)
    assert len(be.history) == 2  # the new prompt is asked again
    with ExtractionCache(out / "cache.sqlite") as cache:
        assert len(cache) == 2


def test_no_cache_asks_again(tmp_path):
    src, out = inbox(tmp_path, {"c": {"homs.txt": HOMS}}), tmp_path / "out"
    be = fake()
    batch.run(src, out, Settings(strategy="whole", use_cache=False), backend=be)
    (out / "c.json").unlink()
    batch.run(src, out, Settings(strategy="whole", use_cache=False), backend=be)
    assert len(be.history) == 2 and not (out / "cache.sqlite").exists()


def test_broken_article_is_reported_and_the_rest_brief(tmp_path):
    src = inbox(tmp_path, {"ok": {"homs.txt": HOMS},
                           "mixed": {"homs.txt": HOMS, "photo.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"}})
    out = tmp_path / "out"
    result = batch.run(src, out, Settings(strategy="whole"), backend=fake())
    assert result.exit_code == 3
    m = Manifest.load(out)
    assert m.clusters["ok"].state == "done" and m.clusters["mixed"].state == "partial"
    bad = next(a for a in m.clusters["mixed"].articles if a.status != "ok")
    assert "binary" in bad.error and bad.stage == "load"
    text = status_text(m, out)
    assert "mixed" in text and "partial" in text and "binary" in text
    # A load failure fails the same way every time: the rerun leaves that cluster alone.
    again = batch.run(src, out, Settings(strategy="whole", model="openai/never-built"))
    assert again.run.clusters_skipped == 2


def test_failed_extraction_is_retried_on_rerun_from_the_cache(tmp_path):
    from summarizer.errors import TransportError

    src, out = inbox(tmp_path, {"c": {"a.txt": HOMS, "b.txt": SEED[1].read_text()}}), tmp_path / "out"
    be = FakeBackend(default_strategy="whole").enqueue(EMPTY, TransportError("model call failed: 503"))
    first = batch.run(src, out, Settings(strategy="whole", concurrency=1), backend=be)
    assert first.exit_code == 3 and Manifest.load(out).clusters["c"].state == "partial"
    be2 = fake()
    second = batch.run(src, out, Settings(strategy="whole", concurrency=1), backend=be2)
    assert second.exit_code == 0 and len(be2.history) == 1  # only the failed one is asked
    assert second.run.cache_hits == 1


def test_token_budget_stops_new_work_and_a_rerun_finishes(tmp_path):
    src = inbox(tmp_path, {f"c{i}": {"a.txt": SEED[i].read_text()} for i in range(4)})
    out = tmp_path / "out"
    be = fake()
    first = batch.run(src, out, Settings(strategy="whole", concurrency=1, max_tokens_total=2500), backend=be)
    assert first.run.outcome == "budget" and first.exit_code == 3
    assert first.run.clusters_pending >= 1 and first.run.clusters_done >= 1
    spent = first.run.usage.prompt_tokens + first.run.usage.completion_tokens
    assert spent <= 2500 + 2000  # at most one article's worth over: it was estimated, not known
    done_first = first.run.clusters_done
    second = batch.run(src, out, Settings(strategy="whole", concurrency=1), backend=be)
    assert second.run.clusters_skipped == done_first
    assert second.run.clusters_done == 4 - done_first
    assert len(be.history) == 4  # nothing asked twice


def test_lock_refuses_a_second_run_on_the_same_directory(tmp_path):
    src, out = inbox(tmp_path, {"c": {"homs.txt": HOMS}}), tmp_path / "out"
    with DirectoryLock(out), pytest.raises(ConfigError, match="another summarizer run"):
        batch.run(src, out, Settings(strategy="whole"), backend=fake())
    assert batch.run(src, out, Settings(strategy="whole"), backend=fake()).exit_code == 0  # released


def test_jsonl_clusters_both_shapes_and_bad_lines(tmp_path):
    lines = [
        {"cluster_id": "one", "articles": [{"id": "h", "text": HOMS}, {"id": "s", "text": SEED[2].read_text()}]},
        {"cluster_id": "two/../x", "id": "h2", "text": HOMS},
        {"cluster_id": "two/../x", "id": "bad", "title": "no text"},
        "not an object",
    ]
    src = tmp_path / "clusters.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n{broken json\n")
    out = tmp_path / "out"
    result = batch.run(src, out, Settings(strategy="whole"), backend=fake())
    # "two/../x" is no safe file name: its safe characters and a hash of the name as given
    two = next(c for c in result.clusters if c != "one")
    assert set(result.clusters) == {"one", two} and two.startswith("two_.._x-") and len(two) == len("two_.._x-") + 8
    assert len(result.run.input_errors) == 2
    assert result.clusters[two].state == "partial"
    assert (out / "one.json").exists() and (out / f"{two}.json").exists()
    assert result.exit_code == 3


def test_leftover_temp_files_of_a_killed_run_are_removed(tmp_path):
    src, out = inbox(tmp_path, {"c": {"homs.txt": HOMS}}), tmp_path / "out"
    out.mkdir()
    (out / ".c.json.abc.tmp").write_text('{"half": ')
    batch.run(src, out, Settings(strategy="whole"), backend=fake())
    assert not list(out.glob(".*.tmp"))


def test_cli_batch_and_status(tmp_path, monkeypatch):
    src, out = seed_inbox(tmp_path), tmp_path / "out"
    import summarizer.batch.runner as mod

    real = mod.run
    monkeypatch.setattr(mod, "run",
                        lambda s, o, settings, events=None, **kw: real(s, o, settings, fake(), events, **kw))
    runner = CliRunner()
    res = runner.invoke(app, ["batch", str(src), "--out", str(out), "--log-json", "--concurrency", "2"])
    assert res.exit_code == 0, res.output
    events = [json.loads(line)["event"] for line in res.stderr.splitlines()]
    assert events[0] == "run_started" and events[-1] == "run_finished" and events.count("cluster_done") == 2
    res = runner.invoke(app, ["status", str(out)])
    assert res.exit_code == 0 and "syria" in res.stdout and "done" in res.stdout
    res = runner.invoke(app, ["status", str(tmp_path / "nowhere")])
    assert res.exit_code == 2 and "no such directory" in res.stderr


def test_the_exit_code_and_outcome_speak_of_this_input_only(tmp_path):
    """Yesterday's partial cluster, still in the manifest, must not make today's clean run exit 3."""
    out = tmp_path / "out"
    first = inbox(tmp_path / "a", {"old": {"a.txt": HOMS, "broken.txt": b"\x89PNG\r\n\x1a\n" + bytes(64)}})
    r1 = batch.run(first, out, Settings(strategy="whole"), backend=grounded_fake())
    assert (r1.run.outcome, r1.exit_code, r1.clusters["old"].state) == ("partial", 3, "partial")
    second = inbox(tmp_path / "b", {"new": {"b.txt": HOMS.replace("46", "57")}})
    r2 = batch.run(second, out, Settings(strategy="whole"), backend=grounded_fake())
    assert (r2.run.outcome, r2.exit_code, set(r2.clusters)) == ("complete", 0, {"new"})
    assert set(Manifest.load(out).clusters) == {"old", "new"}  # the manifest keeps both


def test_an_article_in_flight_when_a_fatal_error_ends_the_run_leaves_no_trace(tmp_path, caplog):
    """A 401 ends the run while another worker's article is still being answered: that article,
    abandoned, finds the cache closed; it records nothing, writes nothing and logs no error."""
    import threading

    src, out = inbox(tmp_path, {"c": {"a.txt": HOMS + "\n", "b.txt": "Floods killed two people in Glasgow.\n"}}), \
        tmp_path / "out"
    be, held, answered = fake(), threading.Event(), threading.Event()
    real = be.structured

    def structured(request):
        if "Glasgow" in json.dumps(request.messages):
            held.wait(10)  # answered only after the run has ended
            try:
                return real(request)
            finally:
                answered.set()
        raise ConfigError("the endpoint rejected the API key (401): check OPENAI_API_KEY")

    be.structured = structured
    events: list[tuple[str, dict]] = []
    with pytest.raises(ConfigError, match="401"):
        batch.run(src, out, Settings(strategy="whole", concurrency=2), backend=be,
                  events=lambda name, fields: events.append((name, fields)))
    ended = len(events)
    held.set()
    assert answered.wait(10)
    for t in threading.enumerate():
        if t.name.startswith("summarizer"):
            t.join(10)
    # after the run ended only the abandoned call's own progress is said: no article or cluster event
    assert [name for name, _ in events[ended:]] in ([], ["call_done"])
    assert "internal error" not in caplog.text and "closed database" not in caplog.text
    assert not (out / "c.json").exists()
