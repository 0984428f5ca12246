"""``summarizer batch --executor dask``: a LocalCluster of 2 worker processes against the loopback
stub (real HTTP from the workers), with the same guarantees as threads.

One cluster and one stub serve the whole module (starting worker processes costs seconds on 2
cores). The canary key is put in the environment the worker processes inherit, never in
``Settings`` that reach a task; what the driver and the in-process scheduler send over TCP is
recorded (``to_frames``) and searched for it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cloudpickle
import dask
import distributed
import pytest
from conftest import ROOT, SEED_DIR
from distributed.comm import tcp
from stub_server import StubServer, status
from test_resume import cached_shas

from summarizer.batch import dask_executor
from summarizer.batch import runner as batch
from summarizer.batch.manifest import Manifest
from summarizer.errors import ConfigError
from summarizer.settings import Settings

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

CANARY = "sk-canary-dask-0123456789abcdef"
SEED = sorted(SEED_DIR.glob("*.txt"))
cloudpickle.register_pickle_by_value(sys.modules[__name__])  # client.run ships this module's functions


def make_inbox(root: Path, clusters: int, per_cluster: int, tag: str = "") -> Path:
    """Distinct texts (a numbered closing line names each article), plus one text in two clusters."""
    inbox = root / "inbox"
    for c in range(clusters):
        (inbox / f"c{c}").mkdir(parents=True)
        for a in range(per_cluster):
            text = SEED[(c + a) % len(SEED)].read_text(encoding="utf-8") + f"\nFiled as item {tag}{c}-{a}.\n"
            (inbox / f"c{c}" / f"a{a}.txt").write_text(text, encoding="utf-8")
    (inbox / "c1" / "copy.txt").write_text((inbox / "c0" / "a0.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return inbox


def items(stub: StubServer, since: int = 0) -> list[str]:
    """The article tags ("Filed as item c-a") of the extraction requests the stub saw."""
    found = []
    for r in stub.requests[since:]:
        body = json.dumps(r.body, ensure_ascii=False)
        start = body.find("Filed as item ")
        if start >= 0:
            found.append(body[start + 14:].split(".", 1)[0])
    return found


def settings(stub: StubServer, **more: object) -> Settings:
    values: dict[str, object] = {"concurrency": 2, "api_key": CANARY, **more}
    return Settings(base_url=stub.url, model="openai/stub", strategy="whole", **values)


def outputs(out: Path) -> dict[str, object]:
    """Every briefing, durations dropped (wall time differs run to run)."""
    def strip(x: object) -> object:
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k != "duration_s"}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x
    return {p.name: strip(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(out.glob("c*.json"))}


@pytest.fixture(scope="module")
def stub() -> Iterator[StubServer]:
    with StubServer(latency_s=0.05) as s:
        yield s


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    old = os.environ.get("OPENAI_API_KEY")
    os.environ["OPENAI_API_KEY"] = CANARY  # what the worker processes inherit (and a restarted one)
    try:
        with dask.config.set({"distributed.scheduler.allowed-failures": 3}):
            cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=True,
                                               dashboard_address=None, scheduler_kwargs=dask_executor.QUIET_HTTP)
        with cluster, distributed.Client(cluster, set_as_default=False) as c:
            yield c
    finally:
        if old is None:
            os.environ.pop("OPENAI_API_KEY", None)
        else:
            os.environ["OPENAI_API_KEY"] = old


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every frame this process writes to a TCP comm: client -> scheduler and scheduler -> workers."""
    frames: list[bytes] = []
    real = tcp.to_frames

    async def spy(msg, **kwargs):  # type: ignore[no-untyped-def]
        out = await real(msg, **kwargs)
        frames.extend(bytes(f) for f in out)
        return out

    monkeypatch.setattr(tcp, "to_frames", spy)
    return frames


def test_dask_outputs_equal_threads_and_a_rerun_asks_nothing_and_the_key_is_never_sent(
        tmp_path, stub, client, wire):
    src = make_inbox(tmp_path, clusters=3, per_cluster=3)
    stub.clear()
    threads = batch.run(src, tmp_path / "threads", settings(stub))
    asked_threads, calls_threads = sorted(items(stub)), len(stub.requests)
    stub.clear()
    wire.clear()
    result = batch.run(src, tmp_path / "dask", settings(stub), executor=client)
    assert result.exit_code == 0 and result.run.clusters_done == 3
    assert result.run.executor == "dask (client)" and result.run.backend == "openai"
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "threads") and len(outputs(tmp_path / "dask")) == 3
    assert sorted(items(stub)) == asked_threads and len(asked_threads) == 9  # the copy is extracted once
    assert result.run.cache_hits == threads.run.cache_hits == 1
    assert len(stub.requests) == calls_threads == 12  # and one narrative call per cluster, from a worker
    # The workers sent the key they inherited; no task, scheduler message or output carried it.
    assert {r.headers.get("authorization") for r in stub.requests} == {f"Bearer {CANARY}"}
    sent = b"".join(wire)
    assert b"Filed as item 2-2" in sent, "the recorder saw no task payload"
    assert CANARY.encode() not in sent
    logs = json.dumps([client.get_scheduler_logs(), client.get_worker_logs()])
    assert CANARY not in logs
    for path in (tmp_path / "dask").iterdir():
        assert CANARY.encode() not in path.read_bytes(), path

    # Rerun: nothing to do, nothing asked, no cluster needed. Then with the manifest gone: all cache hits.
    n = len(stub.requests)
    again = batch.run(src, tmp_path / "dask", settings(stub), executor=client)
    assert again.run.clusters_skipped == 3 and len(stub.requests) == n
    nowhere = batch.run(src, tmp_path / "dask", settings(stub), executor="dask", scheduler="tcp://127.0.0.1:9")
    assert nowhere.run.clusters_skipped == 3  # nothing to do: no scheduler contacted, no cluster started
    (tmp_path / "dask" / "run.json").unlink()
    from_cache = batch.run(src, tmp_path / "dask", settings(stub, narrative=False), executor=client)
    assert from_cache.run.clusters_done == 3 and from_cache.run.cache_hits == 10
    assert items(stub, n) == []


def _kill_one_worker_after(stub: StubServer, client: distributed.Client, k: int, killed: list[int]) -> None:
    deadline = time.monotonic() + 30
    while len(stub.requests) < k and time.monotonic() < deadline:
        time.sleep(0.01)
    pid = next(iter(client.run(os.getpid).values()))
    os.kill(pid, signal.SIGKILL)
    killed.append(pid)


def test_killing_a_worker_mid_run_loses_no_article(tmp_path, stub, client):
    src = make_inbox(tmp_path, clusters=5, per_cluster=3)
    stub.clear()
    stub.latency_s = 0.25  # so the kill lands with articles in flight on both workers
    killed: list[int] = []
    killer = threading.Thread(target=_kill_one_worker_after, args=(stub, client, 3, killed))
    killer.start()
    try:
        result = batch.run(src, tmp_path / "out", settings(stub, narrative=False), executor=client)
    finally:
        killer.join()
        stub.latency_s = 0.05
    assert killed
    assert result.exit_code == 0 and result.run.clusters_done == 5, result.run
    m = Manifest.load(tmp_path / "out")
    assert all(a.status == "ok" for c in m.clusters.values() for a in c.articles)
    assert set(items(stub)) == {f"{c}-{a}" for c in range(5) for a in range(3)}
    client.wait_for_workers(2, timeout=30)  # the nanny restarted it, for the tests after this one


def _raise_on_boom() -> None:
    from summarizer.batch import dask_executor as mod

    real = mod.__dict__.setdefault("_real_extract_one", mod.extract_one)

    def boom(article, settings, backend, cache):  # type: ignore[no-untyped-def]
        if "Filed as item 0-1." in article.text:
            raise RuntimeError("boom\nsecond line")
        return real(article, settings, backend, cache)

    mod.extract_one = boom


def _restore() -> None:
    from summarizer.batch import dask_executor as mod

    mod.extract_one = mod.__dict__.pop("_real_extract_one", mod.extract_one)


def test_a_task_that_raises_fails_its_article_in_one_line_and_the_run_goes_on(tmp_path, stub, client):
    src = make_inbox(tmp_path, clusters=2, per_cluster=2)
    client.run(_raise_on_boom)
    try:
        result = batch.run(src, tmp_path / "out", settings(stub, narrative=False), executor=client)
    finally:
        client.run(_restore)
    assert result.exit_code == 3 and result.clusters["c0"].state == "partial"
    bad = [a for a in result.clusters["c0"].articles if a.status != "ok"]
    assert len(bad) == 1 and bad[0].id == "a1"
    assert bad[0].error.startswith("worker error: RuntimeError: boom") and "\n" not in bad[0].error
    assert result.clusters["c1"].state == "done"


def test_token_budget_stops_new_work_and_a_rerun_finishes(tmp_path, stub, client):
    src = make_inbox(tmp_path, clusters=4, per_cluster=1)
    stub.clear()
    s = settings(stub, narrative=False, max_tokens_total=1500, concurrency=1)
    first = batch.run(src, tmp_path / "out", s, executor=client)
    assert first.run.outcome == "budget" and first.run.clusters_pending >= 1
    second = batch.run(src, tmp_path / "out", settings(stub, narrative=False), executor=client)
    assert second.run.clusters_done + second.run.clusters_skipped == 4
    assert sorted(items(stub)) == sorted(f"{c}-0" for c in range(4))  # nothing asked twice


def test_kill_9_of_the_driver_resumes_on_the_same_cluster(tmp_path, stub, client):
    """The CLI driver connects with --scheduler; SIGKILL after a few answers; the rerun resumes,
    finishes and never asks an article that was in the cache at the kill."""
    src = make_inbox(tmp_path, clusters=4, per_cluster=3)
    out = tmp_path / "out"
    stub.clear()
    stub.latency_s = 0.2
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}  # the driver needs no key
    cmd = [str(Path(sys.executable).parent / "summarizer"), "batch", str(src), "--out", str(out),
           "--base-url", stub.url, "--model", "openai/stub", "--strategy", "whole", "--no-narrative", "--quiet",
           "--executor", "dask", "--scheduler", client.scheduler.address]
    try:
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while len(cached_shas(out)) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        time.sleep(0.3)  # answers already on their way may still land in the stub, not in the cache
        cached = cached_shas(out)
        assert 0 < len(cached) < 12, "the kill should land mid-run: " + proc.stderr.read().decode()[-2000:]
        n = len(stub.requests)
        # The rerun in-process (a fresh interpreter costs seconds here), through --scheduler's code path.
        rerun = batch.run(src, out, settings(stub, narrative=False, api_key=None), executor="dask",
                          scheduler=client.scheduler.address)
    finally:
        stub.latency_s = 0.05
    assert rerun.exit_code == 0, rerun.run
    m = Manifest.load(out)
    assert all(m.clusters[f"c{c}"].state == "done" for c in range(4))
    assert len(list(out.glob("c*.json"))) == 4 and not list(out.glob(".*.tmp"))
    tag_of = {a.sha256: a.text.rsplit("Filed as item ", 1)[1].split(".")[0]
              for c in batch.discover(src)[0] for a in c.articles}
    asked_again = set(items(stub, n))
    assert not asked_again & {tag_of.get(sha) for sha in cached}
    assert m.runs[-1].executor.startswith("dask tcp://")


def test_back_pressure_per_worker_and_retry_after_on_the_workers(tmp_path, stub, client):
    """--concurrency 1 on 2 workers: never more than 2 requests open at the stub; a 429 with
    Retry-After: 1 on one article is waited out by the worker that got it."""
    src = make_inbox(tmp_path, clusters=2, per_cluster=3)
    stub.clear()
    stub.latency_s = 0.2
    stub.script(status(429, {"error": {"message": "slow down"}}, headers={"Retry-After": "1"}),
                when="Filed as item 1-1.")
    try:
        result = batch.run(src, tmp_path / "out", settings(stub, narrative=False, concurrency=1), executor=client)
    finally:
        stub.latency_s = 0.05
    assert result.exit_code == 0
    starts = [r.t for r in stub.requests]
    open_at_once = max(sum(1 for u in starts if t - 0.19 < u <= t) for t in starts)
    assert open_at_once <= 2, open_at_once
    tries = [r.t for r in stub.requests if "Filed as item 1-1." in json.dumps(r.body)]
    assert len(tries) == 2 and tries[1] - tries[0] >= 1.0


def test_contradictory_options_are_refused_with_the_fix(tmp_path):
    with pytest.raises(ConfigError, match="need --executor dask"):
        batch.run(tmp_path, tmp_path / "o", Settings(), workers=2)
    with pytest.raises(ConfigError, match="not both"):
        batch.run(tmp_path, tmp_path / "o", Settings(), executor="dask", workers=2, scheduler="tcp://h:8786")
    with pytest.raises(ConfigError, match="unknown executor"):
        batch.run(tmp_path, tmp_path / "o", Settings(), executor="ray")
    with pytest.raises(ConfigError, match="cannot be sent to Dask workers"):
        dask_executor.check_options("dask", None, 2, backend=object())  # type: ignore[arg-type]


def test_settings_in_a_task_carry_no_key():
    s = dask_executor.public(Settings(api_key=CANARY, model="openai/x"))
    assert s.api_key is None and CANARY.encode() not in cloudpickle.dumps(s)


def test_a_stop_mid_run_ends_the_dask_run_within_two_seconds_and_marks_the_rest_pending(tmp_path, stub, client):
    from summarizer.control import Control
    from summarizer.errors import Interrupted

    src = make_inbox(tmp_path, clusters=3, per_cluster=2)
    stub.clear()
    control = Control()
    stub.latency_s = 5.0  # every answer outlasts the stop
    errors: list[BaseException] = []

    def run() -> None:
        try:
            batch.run(src, tmp_path / "out", settings(stub, narrative=False).with_(control=control), executor=client)
        except BaseException as exc:  # noqa: BLE001 - the test reads what ended the run
            errors.append(exc)

    worker = threading.Thread(target=run)
    try:
        worker.start()
        deadline = time.monotonic() + 60
        while not stub.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stub.requests, "no article reached the stub"
        began = time.monotonic()
        control.stop(signal.SIGINT)
        worker.join(timeout=10)
        took = time.monotonic() - began
    finally:
        stub.latency_s = 0.05
    assert not worker.is_alive() and took < 2.0, took
    assert [type(e) for e in errors] == [Interrupted]
    states = {c.state.value for c in Manifest.load(tmp_path / "out").clusters.values()}
    assert "pending" in states
