"""Batch orchestration against a loopback OpenAI-compatible stub with a fixed latency, so what is
measured is our overhead (threads, HTTP client, instructor, grounding, merge, writes), not a model.

    .venv/bin/python benchmarks/batch_orchestration.py [--latency 0.3] [--clusters 200] [--quick]

Prints: a 5-article cluster sequential vs concurrent (against one call's latency and against a
1-article run, which pays the same fixed start-up); N clusters x 5 articles at concurrency 1, 8,
32 (throughput, overhead per call beyond the stub's latency, client CPU per call); a rerun of a
finished batch (calls made, wall time) and a rerun with the manifest deleted (cache hits); and
``summarizer status`` after a CLI batch with one deliberately broken article (PNG bytes).

The stub runs in this process (tests/stub_server.py), so it competes for the GIL: its own CPU is
measured and subtracted from "client CPU", but its presence still inflates wall-time overheads
a little. Every text is distinct, so nothing is a cache hit by accident.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from stub_server import StubServer  # noqa: E402

from summarizer.batch import runner as batch  # noqa: E402
from summarizer.settings import Settings  # noqa: E402

SEED = sorted((ROOT / "examples" / "syria-2016-02-21").glob("*.txt"))
KEY = "sk-bench-not-a-real-key"


def make_inbox(root: Path, clusters: int, per_cluster: int = 5, tag: str = "") -> Path:
    """Distinct texts everywhere (a numbered closing line), so nothing is a cache hit by accident."""
    inbox = root / "inbox"
    bodies = [p.read_text(encoding="utf-8") for p in SEED]
    for c in range(clusters):
        folder = inbox / f"cluster-{c:04d}"
        folder.mkdir(parents=True)
        for a in range(per_cluster):
            text = bodies[a % len(bodies)] + f"\nFiled as item {tag}{c}-{a}.\n"
            (folder / f"article-{a}.txt").write_text(text, encoding="utf-8")
    return inbox


def settings(url: str, concurrency: int) -> Settings:
    return Settings(base_url=url, api_key=KEY, model="openai/stub", strategy="whole",
                    concurrency=concurrency, narrative=False)


def timed_run(stub: StubServer, inbox: Path, out: Path, concurrency: int) -> tuple[float, int, batch.BatchResult]:
    secs, calls, _, result = measured_run(stub, inbox, out, concurrency)
    return secs, calls, result


def measured_run(
    stub: StubServer, inbox: Path, out: Path, concurrency: int
) -> tuple[float, int, float, batch.BatchResult]:
    """Wall seconds, calls the stub saw, client CPU seconds (stub's own subtracted), result."""
    before, stub_cpu = len(stub.requests), stub.cpu_s
    began, cpu = time.perf_counter(), time.process_time()
    result = batch.run(inbox, out, settings(stub.url, concurrency))
    wall = time.perf_counter() - began
    client_cpu = (time.process_time() - cpu) - (stub.cpu_s - stub_cpu)
    return wall, len(stub.requests) - before, client_cpu, result


def median_run(stub: StubServer, work: Path, name: str, articles: int, conc: int, repeats: int = 3) -> float:
    times = []
    for r in range(repeats):
        inbox = make_inbox(work / f"{name}-{r}", 1, articles, tag=f"{name}{r}-")
        secs, calls, _ = timed_run(stub, inbox, work / f"{name}-{r}-out", conc)
        assert calls == articles, (calls, articles)
        times.append(secs)
    return statistics.median(times)


def status_demo(stub: StubServer, work: Path) -> None:
    """The real CLI: a batch where one article is a PNG, then ``summarizer status``."""
    inbox = make_inbox(work / "demo", 2, 3, tag="demo-")
    (inbox / "cluster-0000" / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    out = work / "demo-out"
    cli = Path(sys.executable).with_name("summarizer")
    env = {**os.environ, "OPENAI_API_KEY": KEY}
    env.pop("OPENAI_BASE_URL", None)
    run = subprocess.run([str(cli), "batch", str(inbox), "--out", str(out), "--base-url", stub.url,
                          "--model", "stub", "--no-narrative"], env=env, capture_output=True, text=True, timeout=300)
    status = subprocess.run([str(cli), "status", str(out)], capture_output=True, text=True, timeout=60)
    print(f"\n$ summarizer batch inbox/ --out briefings/ --base-url {stub.url} --model stub --no-narrative")
    print(run.stderr.rstrip().replace(str(inbox), "inbox").replace(str(out), "briefings"))
    print(f"(exit code {run.returncode})")
    print("$ summarizer status briefings/")
    print(status.stdout.rstrip().replace(str(out), "briefings/").replace(str(inbox), "inbox"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--latency", type=float, default=0.3)
    ap.add_argument("--clusters", type=int, default=200)
    ap.add_argument("--quick", action="store_true", help="20 clusters and skip concurrency 1 on the big set")
    args = ap.parse_args()
    n = 20 if args.quick else args.clusters
    lat = args.latency
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
          f"load average {load[0]:.1f} at start; stub latency {lat * 1000:.0f} ms; strategy whole "
          f"(1 call per article); stub in-process")
    work = Path(tempfile.mkdtemp(prefix="summarizer-bench-"))
    try:
        with StubServer(latency_s=lat) as stub:
            median_run(stub, work, "warm", 1, 1, repeats=1)  # imports, first-call costs: not measured

            print("\n5-article cluster (median of 3 runs):")
            single = median_run(stub, work, "single", 1, 1)
            print(f"  1-article cluster (one call + a run's fixed cost): {single:5.2f} s")
            for conc in (1, 5):
                secs = median_run(stub, work, f"five-c{conc}", 5, conc)
                print(f"  5 articles, concurrency {conc}: {secs:5.2f} s = {secs / lat:4.2f}x one call's latency, "
                      f"{secs / single:4.2f}x a 1-article run")

            big = make_inbox(work / "big", n)
            print(f"\n{n} clusters x 5 articles:")
            last = None
            for conc in ((8, 32) if args.quick else (1, 8, 32)):
                out = work / f"big-out-{conc}"
                secs, calls, cpu, result = measured_run(stub, big, out, conc)
                ideal = calls * lat / conc
                overhead_ms = (secs - ideal) / max(calls, 1) * conc * 1000
                print(f"  concurrency {conc:>2}: {secs:7.2f} s, {calls} calls, {calls / secs:5.1f} calls/s, "
                      f"{n / secs:5.2f} clusters/s; ideal {ideal:6.2f} s; overhead {overhead_ms:5.1f} ms per call "
                      f"beyond latency; client CPU {cpu / max(calls, 1) * 1000:4.1f} ms per call; "
                      f"outcome {result.run.outcome}")
                last = out
            assert last is not None
            secs, calls, result = timed_run(stub, big, last, 32)
            print(f"\nrerun of the finished batch ({n} clusters): {calls} calls, {secs:.2f} s, "
                  f"{result.run.clusters_skipped} clusters skipped, cache hits {result.run.cache_hits}")
            (last / "run.json").unlink()  # forget the manifest, keep the cache
            secs, calls, result = timed_run(stub, big, last, 32)
            print(f"rerun with the manifest deleted (cache only): {calls} calls, {secs:.2f} s, "
                  f"cache hits {result.run.cache_hits} of {n * 5} articles, misses {result.run.cache_misses}")
            print(f"stub's own CPU over the whole benchmark: {stub.cpu_s / max(len(stub.requests), 1) * 1000:.1f} ms "
                  f"per request ({len(stub.requests)} requests)")

            status_demo(stub, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
