"""SIGINT/SIGTERM stop `brief` and `batch` within 2 s (issue 16): one line, no traceback, no
output file, exit 130/143; `batch` keeps what is finished, marks the rest pending, and a rerun
resumes. The CLI runs in a subprocess against the loopback stub, whose answers are slow, and the
signal lands while a model call is in flight. Measured times are printed (``pytest -s``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from stub_server import StubServer

SUMMARIZER = str(Path(sys.executable).parent / "summarizer")
SENTENCES = "In Aleppo, 12 people were killed on Monday, the Observatory said. " * 3
# The bound users were promised: exit within 2 s of the signal (measured 0.04-0.14 s on 2 busy cores;
# the measure is printed with -s).
LIMIT_S = 2.0


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OPENAI_API_KEY"] = "sk-test-0000000000000000"
    env.pop("OPENAI_BASE_URL", None)
    return env


def _wait_for_requests(stub: StubServer, proc: subprocess.Popen[bytes], n: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while len(stub.requests) < n and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, proc.communicate()[1].decode()[-2000:]
    assert len(stub.requests) >= n, "the run never reached the model"


def _signal_and_time(proc: subprocess.Popen[bytes], sig: int) -> tuple[float, str]:
    sent = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    return time.monotonic() - sent, err.decode()


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_brief_stops_within_two_seconds_mid_call(tmp_path: Path, sig: int, code: int) -> None:
    (tmp_path / "a.txt").write_text(SENTENCES)
    (tmp_path / "b.txt").write_text(SENTENCES.replace("Aleppo", "Homs"))
    out = tmp_path / "briefing.json"
    with StubServer(latency_s=20) as stub:  # one call would outlast the test
        proc = subprocess.Popen(
            [SUMMARIZER, "brief", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--base-url", stub.url,
             "--model", "stub", "--format", "json", "-o", str(out), "--no-narrative"],
            env=_env(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _wait_for_requests(stub, proc, 1)
        time.sleep(0.2)
        took, err = _signal_and_time(proc, sig)
    print(f"\nbrief: {signal.Signals(sig).name} -> exit {proc.returncode} in {took:.2f} s")
    assert proc.returncode == code, err
    assert took < LIMIT_S
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if "interrupted" in line] == [
        f"summarizer: interrupted ({signal.Signals(sig).name}): nothing written"]
    assert not out.exists() and not list(tmp_path.glob(".*.tmp"))


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_batch_sigint_keeps_finished_clusters_marks_the_rest_pending_and_resumes(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for cluster, names in (("a", ["a1"]), ("b", ["b1", "b2"])):
        (inbox / cluster).mkdir(parents=True)
        for name in names:
            (inbox / cluster / f"{name}.txt").write_text(SENTENCES.replace("Aleppo", name.upper()))
    out = tmp_path / "out"
    cmd = [SUMMARIZER, "batch", str(inbox), "--out", str(out), "--strategy", "whole", "--no-narrative",
           "--concurrency", "1", "--model", "stub", "--quiet"]
    with StubServer(latency_s=0.5) as stub:
        proc = subprocess.Popen([*cmd, "--base-url", stub.url], env=_env(), cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _wait_for_requests(stub, proc, 2)  # a1 answered (cluster a written), b1 in flight
        stub.latency_s = 20
        _wait_for_requests(stub, proc, 3) if len(stub.requests) < 3 else None
        time.sleep(0.2)
        took, err = _signal_and_time(proc, signal.SIGINT)
        print(f"\nbatch: SIGINT -> exit {proc.returncode} in {took:.2f} s")
        assert proc.returncode == 130, err
        assert took < LIMIT_S
        assert "Traceback" not in err and "interrupted (SIGINT)" in err
        manifest = json.loads((out / "run.json").read_text()) if (out / "run.json").exists() else None
        assert manifest is not None, sorted(p.name for p in out.iterdir())
        assert manifest["clusters"]["a"]["state"] == "done"
        assert manifest["clusters"]["b"]["state"] == "pending"
        assert manifest["runs"][-1]["outcome"] == "interrupted"
        assert (out / "a.json").exists() and not (out / "b.json").exists()

        stub.latency_s = 0
        asked = len(stub.requests)
        rerun = subprocess.run([*cmd, "--base-url", stub.url], env=_env(), cwd=ROOT, capture_output=True,
                               timeout=60)
        assert rerun.returncode == 0, rerun.stderr.decode()[-2000:]
        manifest = json.loads((out / "run.json").read_text())
        assert manifest["clusters"]["b"]["state"] == "done"
        assert manifest["runs"][-1]["clusters_skipped"] == 1
        # cluster a was not asked again; b's articles are (at most two calls)
        assert len(stub.requests) - asked <= 2


@pytest.mark.slow
@pytest.mark.parametrize("command", ["brief", "batch"])
def test_embedded_model_run_stops_within_two_seconds(tmp_path: Path, command: str) -> None:
    """The embedded model, mid-generation: the main thread exits without waiting for the call."""
    inbox = tmp_path / "inbox" / "weekly"
    inbox.mkdir(parents=True)
    (inbox / "report.txt").write_text(" ".join(
        f"In district {i}, {i % 37 + 2} people were killed on day {i % 7 + 1}, the monitor said." for i in range(60)))
    env = {k: v for k, v in _env().items() if k != "OPENAI_API_KEY"}
    # --text-options off: every question goes to the model (each of these sentences' values has one
    # reading, which the code would otherwise read without a call), so a call is under way.
    args = ([command, str(inbox / "report.txt"), "-o", str(tmp_path / "out.md")] if command == "brief"
            else [command, str(tmp_path / "inbox"), "--out", str(tmp_path / "out")]) + ["--text-options", "off"]
    proc = subprocess.Popen([SUMMARIZER, *args], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    began = time.monotonic()
    for line in proc.stderr:  # wait for the plan: the model is loaded and the first call under way
        if "calls planned" in line or time.monotonic() - began > 60:
            break
    time.sleep(0.5)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    err = proc.stderr.read()
    proc.wait(timeout=30)
    took = time.monotonic() - sent
    print(f"\n{command} (embedded): SIGINT -> exit {proc.returncode} in {took:.2f} s")
    assert proc.returncode == 130, err
    assert took < LIMIT_S and "Traceback" not in err
    assert not (tmp_path / "out.md").exists()
    if command == "batch":
        manifest = json.loads((tmp_path / "out" / "run.json").read_text())
        assert manifest["clusters"]["weekly"]["state"] == "pending"
