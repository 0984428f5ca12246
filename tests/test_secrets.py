"""The API key never leaves the Authorization header.

The CLI runs in a subprocess (real stdout/stderr, real logging, real exit) against the loopback
stub with a recognisable fake key in ``OPENAI_API_KEY``, through faults whose error bodies echo
the key back: a 401 ("Incorrect API key provided: <key>"), a 500 and a 400 quoting it, a refusal
quoting it. Then everything a user or an operator could see is scanned: stdout, stderr,
``--log-json`` lines, the output .json/.md, the run manifest, the SQLite cache (raw bytes, WAL
included), ``status``, ``--help`` of every command, a formatted traceback of a failed call, and
the cassettes. The stub must have received the key in the header, and "[REDACTED]" must show
where an echo was caught, so this test can fail.

Two keys: one shaped like OpenAI's (``sk-…``, caught by pattern too) and one that is not
(a self-hosted endpoint's token, caught only because the settings know it is the key).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from stub_server import StubServer, answer, status
from typer.testing import CliRunner

from summarizer.backends import Request, make_backend
from summarizer.cli import app
from summarizer.errors import TransportError
from summarizer.extraction.drafts import ArticleDraft
from summarizer.settings import Settings

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

ROOT = Path(__file__).resolve().parents[1]
KEYS = ["sk-live-FAKE7f3c9a1e5b2d8046c1f9e3a7b5d2c8e0", "vllm-token-FAKE-4b8e1d7a2c9f6e3b"]
HOMS = ("A twin car bombing in the city of Homs killed 46 people on Sunday, the Syrian Observatory for "
        "Human Rights said. Islamic State claimed the attack in a statement posted online.")
ARTICLES = {
    "alpha.txt": HOMS + " Local reporters called it the alpha blast.",
    "bravo.txt": HOMS + " Residents said the bravo district was hit hardest.",
    "charlie.txt": HOMS + " Rescue teams worked through the night in charlie street.",
    "delta.txt": HOMS + " Officials in delta province declined to comment.",
}
COMMANDS = ["brief", "extract", "batch", "status", "schema"]


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("summarizer")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from summarizer.cli import main; main()"]


def _run(args: list[str], key: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    env.update(OPENAI_API_KEY=key, NO_COLOR="1", PYTHONWARNINGS="default")
    return subprocess.run([*_cli(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def _invoke(args: list[str], key: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    res = CliRunner().invoke(app, args, env={"OPENAI_API_KEY": key, "OPENAI_BASE_URL": None})
    text = "".join(traceback.format_exception(res.exception)) if res.exception and res.exit_code not in (0, 1, 2, 3) \
        else ""
    return subprocess.CompletedProcess(args, res.exit_code, res.stdout, res.stderr + text)


def _script_echoing_faults(stub: StubServer, key: str) -> None:
    """bravo: 500s quoting the key (Retry-After 0, so retries are instant); charlie: a 400 quoting
    it; delta: a refusal quoting it; alpha: a normal answer."""
    stub.always(status(500, {"error": {"message": f"internal error for key {key}"}}, {"Retry-After": "0"}),
                when="bravo district")
    stub.always(status(400, {"error": {"message": f"bad request from {key}", "type": "invalid_request_error"}}),
                when="charlie street")
    stub.always(answer(refusal=f"I will not repeat {key}."), when="delta province")


def _inbox(tmp: Path) -> Path:
    folder = tmp / "inbox" / "homs"
    folder.mkdir(parents=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "broken.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return tmp / "inbox"


def _leaks(key: str, texts: dict[str, str | bytes]) -> list[str]:
    needle = key.encode()
    return [name for name, t in texts.items() if needle in (t if isinstance(t, bytes) else t.encode())]


@pytest.mark.parametrize("key,full", [(KEYS[0], True), (KEYS[1], False)], ids=["sk-shaped", "plain-token"])
def test_the_key_reaches_only_the_authorization_header(tmp_path: Path, key: str, full: bool) -> None:
    """``full`` runs every command; the second key (the stronger case) runs the main paths only,
    to keep the suite quick: each subprocess is a fresh interpreter (~2 s)."""
    inbox = _inbox(tmp_path)
    out = tmp_path / "out"
    runs: dict[str, subprocess.CompletedProcess[str]] = {}
    with StubServer() as stub:
        _script_echoing_faults(stub, key)
        base = ["--base-url", stub.url, "--model", "stub", "--strategy", "whole"]
        homs = sorted(str(p) for p in (inbox / "homs").iterdir())

        runs["brief"] = _run(["brief", *base, "--format", "json", "-o", str(tmp_path / "brief.json"), *homs],
                             key, tmp_path)
        runs["batch --log-json"] = _run(["batch", str(inbox), "--out", str(out), *base, "--log-json"], key, tmp_path)
        if full:  # in-process (CliRunner captures stderr, logging's included): quicker, same code
            runs["extract"] = _invoke(["extract", *base, *homs], key)
            runs["batch rerun"] = _invoke(["batch", str(inbox), "--out", str(out), *base], key)
        runs["status"] = _run(["status", str(out)], key, tmp_path)

        stub.clear()
        stub.always(status(401, {"error": {"message": f"Incorrect API key provided: {key}.",
                                           "type": "invalid_request_error", "code": "invalid_api_key"}}))
        runs["401 brief"] = (_run if full else _invoke)(["brief", *base, homs[0]], key, tmp_path)
        if full:
            runs["401 batch"] = _invoke(["batch", str(inbox), "--out", str(tmp_path / "out401"), *base,
                                         "--log-json"], key)
        requests_seen = list(stub.requests)

    # The faults happened and were reported, redacted.
    brief, batch = runs["brief"], runs["batch --log-json"]
    assert brief.returncode == 3 and batch.returncode == 3, brief.stderr + batch.stderr
    assert "bravo: model call failed after 4 attempts" in brief.stderr
    assert "HTTP 500: internal error for key [REDACTED]" in brief.stderr
    assert "charlie: the endpoint refused the request (400): bad request from [REDACTED]" in brief.stderr
    assert "delta: the model refused to answer: I will not repeat [REDACTED]." in brief.stderr
    assert "broken.bin" in brief.stderr
    assert '"event": "article_done"' in batch.stderr and "[REDACTED]" in batch.stderr
    events = [json.loads(line)["event"] for line in batch.stderr.splitlines()]  # nothing but JSON lines
    # a log record may come first (a file in a cluster folder that is no article, skipped at load)
    kinds = [e for e in events if e != "log"]
    assert kinds[0] == "run_started" and kinds[-1] == "run_finished"
    assert "[REDACTED]" in runs["status"].stdout
    assert runs["401 brief"].returncode == 2
    assert "the endpoint rejected the API key (401): check OPENAI_API_KEY" in runs["401 brief"].stderr
    if full:
        assert runs["extract"].returncode == 3 and runs["401 batch"].returncode == 2

    seen: dict[str, str | bytes] = {}
    for name, proc in runs.items():
        seen[f"{name} stdout"], seen[f"{name} stderr"] = proc.stdout, proc.stderr
        assert "Traceback" not in proc.stderr, (name, proc.stderr)
    files = [p for d in (tmp_path, ROOT / "cassettes") for p in d.rglob("*") if p.is_file() and "inbox" not in p.parts]
    assert {"brief.json", "homs.json", "homs.md", "run.json", "cache.sqlite"} <= {p.name for p in files}
    seen.update({str(p): p.read_bytes() for p in files})

    assert _leaks(key, seen) == []
    # ...and the key did go out, every time, in the header and nowhere else.
    assert requests_seen and all(r.headers.get("authorization") == f"Bearer {key}" for r in requests_seen)
    assert all(key.encode() not in r.raw for r in requests_seen)


def test_a_traceback_of_a_failed_call_holds_no_key() -> None:
    key = KEYS[1]
    with StubServer() as stub:
        stub.always(status(503, {"error": {"message": f"overloaded, key {key}"}}))
        settings = Settings(base_url=stub.url, api_key=key, model="stub", transport_retries=1,
                            transport_backoff_s=0.01)
        with pytest.raises(TransportError) as caught:
            make_backend(settings).structured(Request(messages=[{"role": "user", "content": "hi"}],
                                                      response_model=ArticleDraft))
    text = "".join(traceback.format_exception(caught.value))
    assert "ServiceUnavailable" in text or "InternalServerError" in text
    assert "overloaded, key [REDACTED]" in text
    assert key not in text and key not in repr(settings)


def test_help_never_shows_the_key_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEYS[0])
    runner = CliRunner()
    for command in [[], *([c] for c in COMMANDS)]:
        res = runner.invoke(app, [*command, "--help"])
        assert res.exit_code == 0 and "Usage" in res.output
        assert KEYS[0] not in res.output


def test_a_logged_internal_error_keeps_its_traceback_but_not_the_key(caplog: pytest.LogCaptureFixture) -> None:
    """The narrative's broad handler logs the exception (issue 11): whoever turns logging on gets
    the traceback, and the key an SDK's message quoted is redacted in the message and the chain."""
    import logging

    from fixtures.seed import seed_extractions

    from summarizer.merge.events import merge
    from summarizer.narrative import writer as narrative

    key = KEYS[1]
    briefing = merge(seed_extractions())
    try:
        raise ValueError(f"auth header Bearer {key}")
    except ValueError as inner:
        cause = inner
    failure = RuntimeError(f"the SDK choked on token {key}")
    failure.__cause__ = cause

    class Leaky:  # raises as a bug would, past any transport handling
        name, model, default_strategy = "leaky", "leaky-model", "whole"

        def structured(self, request: Request) -> None:
            raise failure

    backend = Leaky()
    with caplog.at_level(logging.DEBUG, logger="summarizer"):
        narrative.write(briefing, backend, Settings(api_key=key))
    [record] = [r for r in caplog.records if r.exc_info]
    text = logging.Formatter().format(record)
    assert "Traceback (most recent call last)" in text and "in write" in text  # the frames are there
    assert "RuntimeError: the SDK choked on token [REDACTED]" in text
    assert "ValueError: auth header Bearer [REDACTED]" in text  # the cause, redacted too
    assert key not in text and key not in record.getMessage()
