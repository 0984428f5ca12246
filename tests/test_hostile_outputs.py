"""What a hostile first week found in outputs, names and streams (issue 24), each pinned.

The last good output survives a run that briefs nothing; an overwritten file keeps its mode; a
symlink is written through; an unwritable -o is refused before any model call; batch output
names come from the cluster's own name; --log-json is JSON only; redaction takes whole keys only.
"""

from __future__ import annotations

import io
import json
import logging
import os
import stat

import pytest
from conftest import FakeBackend
from typer.testing import CliRunner

from summarizer import pipeline
from summarizer.batch import runner as batch
from summarizer.batch.progress import PlainLines
from summarizer.cli import app
from summarizer.errors import redact
from summarizer.settings import Settings

runner = CliRunner()
EMPTY = {"casualties": [], "statements": [], "events": []}
TEXT = "SANA said 25 people were killed in Homs on Sunday.\n"


@pytest.fixture
def fake(monkeypatch) -> FakeBackend:
    be = FakeBackend("whole", default=EMPTY)
    monkeypatch.setattr(pipeline, "make_backend", lambda settings: be)
    return be


def _brief(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["brief", "--strategy", "whole", *args])


def test_a_run_that_briefs_nothing_keeps_the_last_good_output(tmp_path, fake):
    prev = tmp_path / "prev.json"
    prev.write_text('{"good": true}\n')
    prev.chmod(0o600)
    (tmp_path / "empty.txt").write_text("")
    r = _brief("-o", str(prev), "--format", "json", str(tmp_path / "empty.txt"))
    assert r.exit_code == 1
    assert prev.read_text() == '{"good": true}\n' and stat.S_IMODE(prev.stat().st_mode) == 0o600
    assert "no article could be briefed" in r.stderr and f"nothing written: {prev} left as it was" in r.stderr
    assert "wrote" not in r.stderr


def test_an_overwritten_output_keeps_its_mode(tmp_path, fake):
    (tmp_path / "a.txt").write_text(TEXT)
    out = tmp_path / "out.json"
    out.write_text("old")
    out.chmod(0o640)
    r = _brief("-q", "-o", str(out), "--format", "json", str(tmp_path / "a.txt"))
    assert r.exit_code == 0, r.stderr
    assert json.loads(out.read_text())["sources"][0]["id"] == "a"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_a_new_output_gets_the_umask_mode(tmp_path, fake):
    (tmp_path / "a.txt").write_text(TEXT)
    mask = os.umask(0o022)
    try:
        r = _brief("-q", "-o", str(tmp_path / "new.json"), "--format", "json", str(tmp_path / "a.txt"))
    finally:
        os.umask(mask)
    assert r.exit_code == 0 and stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o644


def test_a_symlink_output_is_written_through(tmp_path, fake):
    (tmp_path / "a.txt").write_text(TEXT)
    target = tmp_path / "real" / "briefing.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    r = _brief("-q", "-o", str(link), "--format", "json", str(tmp_path / "a.txt"))
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert json.loads(target.read_text())["sources"][0]["id"] == "a"
    assert sorted(p.name for p in target.parent.iterdir()) == ["briefing.json"]  # no temp file left


@pytest.mark.parametrize("where", ["parent_is_a_file", "is_a_directory"])
def test_an_unwritable_output_is_refused_before_any_model_call(tmp_path, fake, where):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "afile").write_text("x")
    out = tmp_path / "afile" / "out.json" if where == "parent_is_a_file" else tmp_path
    r = _brief("-q", "-o", str(out), str(tmp_path / "a.txt"))
    assert r.exit_code == 1 and fake.history == []
    assert f"cannot write {out}" in r.stderr


def test_wrote_comes_after_the_input_errors(tmp_path, fake):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "empty.txt").write_text("")
    r = _brief("-o", str(tmp_path / "b.md"), str(tmp_path / "a.txt"), str(tmp_path / "empty.txt"))
    assert r.exit_code == 3
    lines = r.stderr.splitlines()
    error = next(i for i, line in enumerate(lines) if "empty.txt" in line)
    assert error < next(i for i, line in enumerate(lines) if line.startswith("summarizer: wrote"))


def test_log_json_puts_only_json_on_stderr(tmp_path, monkeypatch):
    """The input error, 'wrote', and a third-party library's record (instructor logs "API call
    failed" on every failed attempt) are JSON lines like the progress events."""
    be = FakeBackend("whole", default=EMPTY)
    real = be.structured

    def noisy(request):  # type: ignore[no-untyped-def]
        logging.getLogger("instructor.core.retry").error("API call failed: simulated")
        logging.getLogger("httpx").warning("a warning from another library")
        return real(request)

    be.structured = noisy  # type: ignore[method-assign]
    monkeypatch.setattr(pipeline, "make_backend", lambda settings: be)
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "empty.txt").write_text("")
    r = _brief("--log-json", "-o", str(tmp_path / "b.md"), str(tmp_path / "a.txt"), str(tmp_path / "empty.txt"))
    assert r.exit_code == 3
    records = [json.loads(line) for line in r.stderr.splitlines()]  # every line parses
    messages = [rec.get("message", "") for rec in records]
    assert any("API call failed: simulated" in m for m in messages)
    assert any("a warning from another library" in m for m in messages)
    assert any(m.startswith("summarizer: wrote") for m in messages)
    assert any("empty.txt" in m for m in messages)


def test_without_log_json_instructor_stays_quiet(tmp_path, monkeypatch):
    be = FakeBackend("whole", default=EMPTY)
    real = be.structured

    def noisy(request):  # type: ignore[no-untyped-def]
        logging.getLogger("instructor.core.retry").error("API call failed: simulated")
        return real(request)

    be.structured = noisy  # type: ignore[method-assign]
    monkeypatch.setattr(pipeline, "make_backend", lambda settings: be)
    (tmp_path / "a.txt").write_text(TEXT)
    r = _brief("-q", str(tmp_path / "a.txt"))
    assert r.exit_code == 0 and "API call failed" not in r.stderr


@pytest.mark.parametrize("text", [
    "smolensk-air-crash-2010-04: done", "sk-air-crash-2010-04", "risk-assessment-2021", "task-force-report-12",
    "the desk-top at Minsk-2020", "ask-me-anything-2024-06-01", "sk-learn 1.5.0",
])
def test_redaction_leaves_names_and_words(text):
    assert redact(text) == text


@pytest.mark.parametrize("key", [
    "sk-live-FAKE-0123456789abcdef", "sk-proj-Abc123def456ghi789jkl0_XYZ", "sk-0123456789abcdefghijABCDEFGHIJ",
    "sk-test-faults-0000000000000000",
])
def test_redaction_takes_whole_keys(key):
    assert redact(f"key={key}; next") == "key=[REDACTED]; next"
    assert redact(f"Authorization: Bearer {key}") == "Authorization: [REDACTED]"


def test_progress_lines_keep_a_cluster_named_like_a_key(tmp_path):
    src = tmp_path / "in" / "smolensk-air-crash-2010-04"
    src.mkdir(parents=True)
    (src / "a.txt").write_text(TEXT)
    stream = io.StringIO()
    plain = PlainLines(("sk-live-FAKE-0123456789abcdef",), stream=stream)
    batch.run(tmp_path / "in", tmp_path / "out", Settings(strategy="whole"),
              backend=FakeBackend("whole", default=EMPTY), events=plain)
    assert "smolensk-air-crash-2010-04: done" in stream.getvalue() and "REDACTED" not in stream.getvalue()
    assert (tmp_path / "out" / "smolensk-air-crash-2010-04.json").exists()


# --- batch output names ------------------------------------------------------------------------


def _inbox(root, names):  # type: ignore[no-untyped-def]
    for name in names:
        (root / name).mkdir(parents=True, exist_ok=True)
        (root / name / "a.txt").write_text(f"The weather in {name} was calm on Monday, officials said.\n")


def test_reserved_names_cannot_be_taken_by_a_cluster(tmp_path):
    _inbox(tmp_path / "in", ["run", "index", "cache", "Run2"])
    result = batch.run(tmp_path / "in", tmp_path / "out", Settings(strategy="whole"),
                       backend=FakeBackend("whole", default=EMPTY))
    assert result.exit_code == 0
    ids = sorted(result.clusters)
    assert "run" not in ids and "index" not in ids and "cache" not in ids and "Run2" in ids
    assert all(i.startswith(("run-", "index-", "cache-", "Run2")) for i in ids)
    manifest = json.loads((tmp_path / "out" / "run.json").read_text())
    assert set(manifest["clusters"]) == set(ids)  # run.json is still the manifest
    assert "<html" in (tmp_path / "out" / "index.html").read_text().lower()
    assert not (tmp_path / "out" / "clusters-index.html").exists()


def test_names_are_the_clusters_own_and_never_move(tmp_path):
    _inbox(tmp_path / "in", ["минск", "киев"])
    be = FakeBackend("whole", default=EMPTY)
    first = batch.run(tmp_path / "in", tmp_path / "out", Settings(strategy="whole"), backend=be)
    assert sorted(first.clusters) == ["киев", "минск"]
    kyiv = (tmp_path / "out" / "киев.json").read_text()
    _inbox(tmp_path / "in", ["брест", "a b", "a_b"])
    second = batch.run(tmp_path / "in", tmp_path / "out", Settings(strategy="whole"), backend=be)
    assert {"киев", "минск", "брест", "a_b"} <= set(second.clusters)
    spaced = [c for c in second.clusters if c.startswith("a_b-")]
    assert len(spaced) == 1 and len(second.clusters) == 5  # "a b" and "a_b" never share a file
    assert (tmp_path / "out" / "киев.json").read_text() == kyiv  # Kyiv's file is still Kyiv's
    assert json.loads(kyiv)["sources"][0]["id"].startswith("a")


def test_a_name_is_the_same_whatever_else_is_in_the_batch():
    assert batch._safe_id("a b", set()) == batch._safe_id("a b", {"x", "y", "z"})
    assert batch._safe_id("минск", set()) == "минск"
    assert batch._safe_id("../../etc/passwd", set()).startswith("etc_passwd-")


def test_duplicate_cluster_ids_in_jsonl_are_an_error_naming_both_lines(tmp_path):
    src = tmp_path / "clusters.jsonl"
    lines = [{"cluster_id": "x", "articles": [{"text": "The weather was calm on Monday, officials said."}]},
             {"cluster_id": "y", "articles": [{"text": "The weather was wet on Tuesday, officials said."}]},
             {"cluster_id": "x", "articles": [{"text": "The weather was cold on Friday, officials said."}]}]
    src.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    result = batch.run(src, tmp_path / "out", Settings(strategy="whole"), backend=FakeBackend("whole", default=EMPTY))
    assert result.exit_code == 3
    briefing = json.loads((tmp_path / "out" / "x.json").read_text())
    assert len(briefing["sources"]) == 1  # not merged
    status = runner.invoke(app, ["status", str(tmp_path / "out")]).stdout
    assert "clusters.jsonl:3: cluster_id 'x' is already on line 1" in status


def test_one_article_per_line_may_share_a_cluster_id(tmp_path):
    src = tmp_path / "articles.jsonl"
    src.write_text("\n".join(json.dumps({"cluster_id": "x", "text": t}) for t in (
        "The weather was calm on Monday, officials said.", "The weather was wet on Tuesday, officials said.")) + "\n")
    result = batch.run(src, tmp_path / "out", Settings(strategy="whole"), backend=FakeBackend("whole", default=EMPTY))
    assert result.exit_code == 0
    assert len(json.loads((tmp_path / "out" / "x.json").read_text())["sources"]) == 2


# --- directory inputs by suffix ------------------------------------------------------------------


def test_a_directory_yields_only_article_suffixes_and_lists_the_rest_once(tmp_path, fake, caplog):
    sub = tmp_path / "in" / "sub"
    sub.mkdir(parents=True)
    (sub / "a.txt").write_text(TEXT)
    (sub / "notes.rst").write_text("Title\n=====\n\nThe weather was calm on Monday, officials said.\n")
    (sub / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    (sub / "README").write_text("A readme.\n")
    r = _brief("--format", "json", str(tmp_path / "in"))
    assert r.exit_code == 0, r.stderr  # the .png no longer makes the run partial
    assert [s["id"] for s in json.loads(r.stdout)["sources"]] == ["a"]  # the .rst is not briefed
    (line,) = [line for line in r.stderr.splitlines() if "skipped" in line]
    assert line.startswith("skipped 3 files") and all(n in line for n in ("notes.rst", "pic.png", "README"))


def test_a_file_named_outright_is_read_whatever_its_suffix(tmp_path, fake):
    (tmp_path / "notes.rst").write_text(TEXT)
    r = _brief("-q", "--format", "json", str(tmp_path / "notes.rst"))
    assert r.exit_code == 0 and [s["id"] for s in json.loads(r.stdout)["sources"]] == ["notes"]


def test_extract_that_extracts_nothing_keeps_the_last_good_output(tmp_path, fake):
    prev = tmp_path / "prev.json"
    prev.write_text("[]\n")
    (tmp_path / "empty.txt").write_text("")
    r = runner.invoke(app, ["extract", "--strategy", "whole", "-o", str(prev), str(tmp_path / "empty.txt")])
    assert r.exit_code == 1 and prev.read_text() == "[]\n" and "nothing written" in r.stderr


def test_names_that_differ_only_in_case_never_share_a_file(tmp_path):
    _inbox(tmp_path / "in", ["Kyiv", "kyiv"])
    result = batch.run(tmp_path / "in", tmp_path / "out", Settings(strategy="whole"),
                       backend=FakeBackend("whole", default=EMPTY))
    assert result.exit_code == 0 and len({c.casefold() for c in result.clusters}) == 2
    assert "Kyiv" in result.clusters  # the first keeps its name; the other carries its own hash
