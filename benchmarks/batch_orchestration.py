"""Batch orchestration against a loopback OpenAI-compatible stub with a fixed latency, so what is
measured is our overhead (threads, HTTP client, instructor, grounding, merge, writes), not a model.

    .venv/bin/python benchmarks/batch_orchestration.py [--latency 0.3] [--clusters 200] [--quick]

Prints: a 5-article cluster sequential vs concurrent; N clusters x 5 articles at concurrency
1, 8, 32 (throughput and overhead per call beyond the stub's latency); a rerun of a finished
batch (calls made, wall time, cache hits).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from stub_server import StubServer  # noqa: E402

from summarizer import batch  # noqa: E402
from summarizer.settings import Settings  # noqa: E402

SEED = sorted((ROOT / "examples" / "syria-2016-02-21").glob("*.txt"))


def make_inbox(root: Path, clusters: int, per_cluster: int = 5) -> Path:
    """Distinct texts everywhere (a numbered closing line), so nothing is a cache hit by accident."""
    inbox = root / "inbox"
    bodies = [p.read_text(encoding="utf-8") for p in SEED]
    for c in range(clusters):
        folder = inbox / f"cluster-{c:04d}"
        folder.mkdir(parents=True)
        for a in range(per_cluster):
            text = bodies[a % len(bodies)] + f"\nFiled as item {c}-{a}.\n"
            (folder / f"article-{a}.txt").write_text(text, encoding="utf-8")
    return inbox


def settings(url: str, concurrency: int) -> Settings:
    return Settings(base_url=url, api_key="sk-bench-not-a-real-key", model="openai/stub", strategy="whole",
                    concurrency=concurrency, narrative=False)


def timed_run(stub: StubServer, inbox: Path, out: Path, concurrency: int) -> tuple[float, int, batch.BatchResult]:
    before = len(stub.requests)
    began = time.perf_counter()
    result = batch.run(inbox, out, settings(stub.url, concurrency))
    return time.perf_counter() - began, len(stub.requests) - before, result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--latency", type=float, default=0.3)
    ap.add_argument("--clusters", type=int, default=200)
    ap.add_argument("--quick", action="store_true", help="20 clusters and skip concurrency 1 on the big set")
    args = ap.parse_args()
    n = 20 if args.quick else args.clusters
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
          f"stub latency {args.latency * 1000:.0f} ms; strategy whole (1 call per article)")
    work = Path(tempfile.mkdtemp(prefix="summarizer-bench-"))
    try:
        with StubServer(latency_s=args.latency) as stub:
            one = make_inbox(work / "one", 1)
            print("\n5-article cluster:")
            for conc in (1, 5):
                secs, calls, _ = timed_run(stub, one, work / f"one-out-{conc}", conc)
                print(f"  concurrency {conc}: {secs:6.2f} s for {calls} calls = {secs / args.latency:4.2f}x one call")

            big = make_inbox(work / "big", n)
            print(f"\n{n} clusters x 5 articles:")
            for conc in ((8, 32) if args.quick else (1, 8, 32)):
                secs, calls, result = timed_run(stub, big, work / f"big-out-{conc}", conc)
                ideal = calls * args.latency / conc
                overhead_ms = (secs - ideal) / max(calls, 1) * conc * 1000
                print(f"  concurrency {conc:>2}: {secs:7.2f} s, {calls} calls, {calls / secs:6.1f} calls/s, "
                      f"{n / secs:5.2f} clusters/s; ideal {ideal:6.2f} s; overhead {overhead_ms:5.1f} ms per call "
                      f"beyond latency; outcome {result.run.outcome}")
            last = 32
            secs, calls, result = timed_run(stub, big, work / f"big-out-{last}", last)
            print(f"\nrerun of the finished batch ({n} clusters): {calls} calls, {secs:.2f} s, "
                  f"{result.run.clusters_skipped} clusters skipped, cache hits {result.run.cache_hits}")
            (work / f"big-out-{last}" / "run.json").unlink()  # forget the manifest, keep the cache
            secs, calls, result = timed_run(stub, big, work / f"big-out-{last}", last)
            print(f"rerun with the manifest deleted (cache only): {calls} calls, {secs:.2f} s, "
                  f"cache hits {result.run.cache_hits} of {n * 5} articles")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
