"""Hypothesis fuzz of ingest, 10,000 cases per property (issue 24).

    nice .venv/bin/python benchmarks/fuzz_ingest.py [--examples 10000] > benchmarks/fuzz_ingest.txt

The properties of ``tests/test_fuzz_ingest.py`` (which runs 200 each in ``make test``): random
bytes as a file of every input suffix and on stdin; random Unicode (any code point, surrogates
included, plus a mix of hostile fragments) as a file, a str of text, a JSON record and a JSON file.
Each case either loads articles whose offsets map into the text as given, or gives one-line
``ArticleError``s; any other exception is a failure, printed with hypothesis' falsifying example.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_fuzz_ingest import PLAUSIBLE, RANDOM_BYTES, RANDOM_TEXT, SUFFIXES, check_bytes, check_text  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=10_000)
    n = ap.parse_args().examples
    fuzz = settings(max_examples=n, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    counts = {"bytes": 0, "unicode": 0}

    @fuzz
    @given(RANDOM_BYTES, st.sampled_from(SUFFIXES))
    def random_bytes(data: bytes, suffix: str) -> None:
        counts["bytes"] += 1
        check_bytes(data, suffix)

    @fuzz
    @given(st.one_of(RANDOM_TEXT, PLAUSIBLE), st.sampled_from(SUFFIXES))
    def random_unicode(text: str, suffix: str) -> None:
        counts["unicode"] += 1
        check_text(text, suffix)

    failed = 0
    for name, prop in (("bytes", random_bytes), ("unicode", random_unicode)):
        t0 = time.time()
        try:
            prop()
            outcome = "no crash, no traceback"
        except Exception:  # the falsifying example and its traceback, for the record
            failed += 1
            outcome = "FAILED\n" + traceback.format_exc()
        print(f"{name}: {counts[name]:,} cases run (max_examples {n:,}), {time.time() - t0:.0f} s: {outcome}",
              flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
