"""The endpoint-fault table: every fault of tests/test_faults.py injected by the loopback stub and
met by the real backend, with the requests it cost, the wall time and the outcome.

    .venv/bin/python benchmarks/endpoint_faults.py [--defaults]

Uses the tests' settings (2 transport retries, 50 ms first backoff, 0.5 s read timeout, 5 s retry
budget, 2 validation re-asks) unless ``--defaults``, which uses the shipped ones (3 retries, 0.5 s
backoff, 120 s timeout, 60 s budget; the read-timeout rows then take minutes and are skipped).
Prints a Markdown table for docs/reliability-endpoints.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from stub_server import StubServer, status  # noqa: E402
from test_faults import ARTICLES, FAULTS, KEY, settings  # noqa: E402

from summarizer.backends import make_backend  # noqa: E402
from summarizer.extraction.strategies import extract  # noqa: E402
from summarizer.ingest.article import make_article  # noqa: E402

EXTRA = {  # rows beyond the parametrized table, each also a test in tests/test_faults.py
    "429 + Retry-After: 1": ([status(429, headers={"Retry-After": "1"})], 2, "ok", None),
    "429 + Retry-After: 30 (> budget)": ([status(429, headers={"Retry-After": "30"})], 1, "failed", None),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--defaults", action="store_true")
    args = ap.parse_args()
    print("| fault injected | requests seen | retries used | wall | outcome (reason, verbatim) |")
    print("|---|---|---|---|---|")
    for name, (script, _expected, _final, _reason) in {**FAULTS, **EXTRA}.items():
        if args.defaults and "timeout" in name:
            continue
        with StubServer() as stub:
            stub.script(*script)
            s = settings(stub)
            if args.defaults:
                s = s.with_(transport_retries=3, transport_backoff_s=0.5, timeout_s=120.0,
                            transport_retry_budget_s=60.0)
            began = time.perf_counter()
            result = extract(make_article(ARTICLES["alpha"], id="alpha"), make_backend(s), s)
            wall = time.perf_counter() - began
            seen = len(stub.requests)
            reasks = sum(1 for r in stub.requests if len(r.body.get("messages", [])) > 2)
            assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in stub.requests)
        retries = f"{seen - 1 - reasks} transport" + (f", {reasks} re-ask" if reasks else "")
        outcome = "ok" if result.error is None else f"failed: {result.error}"
        print(f"| {name} | {seen} | {retries} | {wall:.2f} s | {outcome.replace('|', '/')} |")


if __name__ == "__main__":
    main()
