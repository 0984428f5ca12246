"""The CLI: exit codes, messages that say the fix, no secrets on screen."""

from __future__ import annotations

import json

from conftest import SEED_DIR
from typer.testing import CliRunner

from summarizer.cli import app

runner = CliRunner()
FAKE_KEY = "sk-test-SECRET0123456789abcdef"


def test_schema_command_prints_the_briefing_schema():
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0
    assert json.loads(r.stdout)["title"] == "Briefing"


def test_openai_provider_without_key_or_url_is_a_config_error(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    r = runner.invoke(app, ["brief", "--model", "openai/gpt-4o-mini", str(SEED_DIR)])
    assert r.exit_code == 2
    assert "set OPENAI_API_KEY or pass --base-url" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_unknown_strategy_is_a_usage_error():
    r = runner.invoke(app, ["brief", "--strategy", "psychic", str(SEED_DIR)])
    assert r.exit_code == 2 and "unknown strategy 'psychic'" in r.stderr


def test_only_bad_inputs_exit_1_with_per_article_reasons(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    (tmp_path / "empty.txt").write_text("")
    r = runner.invoke(app, ["brief", "-q", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt")])
    assert r.exit_code == 1
    assert "empty.txt: the file is empty" in r.stderr and "missing.txt: no such file" in r.stderr
    assert "no article could be briefed" in r.stderr


def test_key_never_printed_in_help_or_errors(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    r = runner.invoke(app, ["brief", "--help"])
    assert FAKE_KEY not in r.stdout
    r = runner.invoke(app, ["brief", "--base-url", "http://127.0.0.1:9/v1", "--model", "x", "--no-narrative",
                            str(SEED_DIR / "004_b88e61feec37bad1.txt")])
    assert FAKE_KEY not in r.stdout + r.stderr
    assert r.exit_code in (1, 3)  # port 9 refuses: the article fails with a clear reason
    assert "004_b88e61feec37bad1: model call failed" in r.stderr


def test_a_duplicate_is_reported_but_is_no_failure(tmp_path, monkeypatch):
    """Syndicated copies are common: the copy is named on stderr, briefed once, and the exit is 0."""
    from conftest import FakeBackend

    from summarizer import pipeline

    text = "SANA said 25 people were killed in Homs on Sunday.\n"
    (tmp_path / "a.txt").write_text(text)
    (tmp_path / "b.txt").write_text(text)
    fake = FakeBackend("whole", default={"casualties": [], "statements": [], "events": []})
    monkeypatch.setattr(pipeline, "make_backend", lambda settings: fake)
    r = runner.invoke(app, ["brief", "-q", "--strategy", "whole", "--format", "json", str(tmp_path)])
    assert r.exit_code == 0, r.stderr
    assert len(fake.history) == 1  # one text, one extraction
    sources = {s["id"].rsplit("/", 1)[-1]: (s["status"], s["error"]) for s in json.loads(r.stdout)["sources"]}
    assert sources == {"a": ("ok", None),
                       "b.txt": ("duplicate", f"same text as {tmp_path / 'a.txt'}: briefed once, not twice")}
    assert f"b.txt: same text as {tmp_path / 'a.txt'}" in r.stderr
