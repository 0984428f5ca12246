"""Logging (issue 11): the library has a NullHandler and logs the errors it survives with their
traceback; the CLI shows them with --verbose, as JSON lines with --log-json, and never a key."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, FakeBackend
from typer.testing import CliRunner

from summarizer import pipeline
from summarizer.batch import runner as batch
from summarizer.cli import app
from summarizer.errors import ConfigError
from summarizer.logs import redacted_exc_info
from summarizer.settings import Settings

KEY = "sk-live-FAKE-LOG-0123456789abcdef"
runner = CliRunner()


def test_the_package_logger_has_a_null_handler_and_prints_nothing_by_itself():
    code = ("import logging, summarizer; "
            "assert any(isinstance(h, logging.NullHandler) for h in logging.getLogger('summarizer').handlers); "
            "logging.getLogger('summarizer.x').warning('should not print')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and out.stderr == ""


class Broken(FakeBackend):
    def structured(self, request):  # type: ignore[no-untyped-def]
        raise KeyError(f"bug with {KEY}")


def test_a_batch_article_lost_to_a_bug_logs_its_traceback(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    inbox = tmp_path / "inbox" / "c1"
    inbox.mkdir(parents=True)
    (inbox / "a.txt").write_text("A car bomb killed 12 people in Northtown on Sunday, police said.\n")
    with caplog.at_level(logging.ERROR, logger="summarizer"):
        result = batch.run(tmp_path / "inbox", tmp_path / "out", Settings(strategy="sentence", api_key=KEY,
                                                                           narrative=False), backend=Broken())
    assert result.exit_code == 1  # the one article was lost; the run itself went on to the end
    [record] = [r for r in caplog.records if r.exc_info and r.name == "summarizer.batch.runner"]
    text = logging.Formatter().format(record)
    assert "Traceback (most recent call last)" in text and "in structured" in text
    assert KEY not in text and "[REDACTED]" in text


def _failing(*args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        raise RuntimeError(f"deep inside, token {KEY}")
    except RuntimeError as exc:
        logging.getLogger("summarizer.pipeline").error("survived: %s", "it", exc_info=redacted_exc_info(exc))
    logging.getLogger("summarizer.pipeline").info("an info record")
    raise ConfigError("stop here")


@pytest.mark.parametrize("flags", [[], ["--verbose"], ["--log-json"]])
def test_cli_verbose_and_log_json_carry_log_records(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, flags):
    monkeypatch.setattr(pipeline, "brief_with_articles", _failing)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    f = tmp_path / "a.txt"
    f.write_text("x")
    res = runner.invoke(app, ["brief", "--model", "openai/x", "--quiet", *flags, str(f)])
    assert res.exit_code == 2
    err = res.stderr
    assert KEY not in err
    if not flags:  # the run's own error line; the surviving error's traceback is for --verbose
        assert "Traceback" not in err and "an info record" not in err
    elif flags == ["--verbose"]:
        assert "ERROR summarizer.pipeline: survived: it" in err and "Traceback" in err
        assert "RuntimeError: deep inside, token [REDACTED]" in err and "an info record" in err
    else:
        logs = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
        [rec] = [r for r in logs if r.get("event") == "log"]
        assert rec["level"] == "error" and rec["logger"] == "summarizer.pipeline" and rec["message"] == "survived: it"
        assert "RuntimeError: deep inside, token [REDACTED]" in rec["traceback"]
