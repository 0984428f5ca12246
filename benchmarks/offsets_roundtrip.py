"""How many citations hold against the articles as a user's program reads them, before and after
offsets were mapped to the input as given (issue 10, item 7).

    .venv/bin/python benchmarks/offsets_roundtrip.py BEFORE.json [--embedded]

BEFORE.json is a briefing of examples/syria-2016-02-21 made before the change (its offsets index
the cleaned text). The example files are plain LF UTF-8, so each is also re-saved as a hostile
copy: a UTF-8 BOM, CRLF line ends, and a zero-width space inside every number (``4\\u200b6``) and
before every fifth word. A citation holds when ``Path(f).read_text()[start:end] == text``.

* before, original files: the old briefing against the files it was made from.
* before, hostile copies: the old briefing against the copies. The old pipeline cleaned a copy to
  exactly the original text, so it would have produced this very briefing from the copies.
* after, hostile copies (same answers): the old briefing's cleaned-offset citations put through
  ``offsets.to_given`` with the copies' maps, which is what the new pipeline outputs for the same
  model answers (same cleaned text, same prompts, same answers; mapping happens at output only).
* after, embedded model, one small article (``--embedded``): the first three lines of article 004
  as a hostile copy, briefed end to end on the embedded model (about a minute on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from summarizer import pipeline
from summarizer.ingest.load import load_many
from summarizer.ingest.offsets import to_given, verify_given
from summarizer.schemas import Briefing, RunInfo
from summarizer.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CLUSTER = ROOT / "examples" / "syria-2016-02-21"


def hostile(text: str) -> str:
    """BOM + CRLF + zero-width spaces inside numbers and before every fifth word."""
    text = re.sub(r"(?<=\d)(?=\d)", "\u200b", text)
    words = text.split(" ")
    text = " ".join(("\u200b" + w) if i % 5 == 4 else w for i, w in enumerate(words))
    return "\ufeff" + text.replace("\n", "\r\n")


def holds(doc: dict, files: dict[str, Path]) -> tuple[int, int]:
    report = verify_given(doc, {k: f.read_text() for k, f in files.items()})
    return report.mapped, report.mapped + report.failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("--embedded", action="store_true", help="also brief a small hostile article on the embedded model")
    args = ap.parse_args(argv)
    before = json.loads(args.before.read_text(encoding="utf-8"))
    originals = {p.stem: p for p in sorted(CLUSTER.glob("*.txt"))}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        copies = {}
        for stem, p in originals.items():
            q = Path(tmp) / p.name
            q.write_bytes(hostile(p.read_text(encoding="utf-8")).encode("utf-8"))
            copies[stem] = q
        rows.append(("before, original files", *holds(before, originals)))
        rows.append(("before, hostile copies (BOM+CRLF+ZWSP)", *holds(before, copies)))
        articles = {a.id: a for a in load_many(list(copies.values())).articles}
        assert all(a.text == originals[i].read_text(encoding="utf-8") for i, a in articles.items())
        run = {k: v for k, v in before["run"].items() if k in RunInfo.model_fields}
        after = Briefing.model_validate({**before, "run": run})  # a benchmark's extra run fields dropped
        report = to_given(after, articles)
        mapped = after.model_dump(mode="json")
        rows.append(("after, hostile copies (same answers, mapped)", *holds(mapped, copies)))
        note = f"  (to_given: {report.mapped} mapped, {report.failed} failed)"
        if args.embedded:
            small = Path(tmp) / "small" / "004_excerpt.txt"
            small.parent.mkdir()
            lines = originals["004_b88e61feec37bad1"].read_text(encoding="utf-8").splitlines(keepends=True)[:3]
            small.write_bytes(hostile("".join(lines)).encode("utf-8"))
            began = time.perf_counter()
            b = pipeline.brief([small], Settings(narrative=False))
            seconds = time.perf_counter() - began
            rows.append((f"after, embedded model, 004 excerpt, hostile ({seconds:.0f} s)",
                         *holds(b.model_dump(mode="json"), {"004_excerpt": small})))
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  holds / citations")
    for name, ok, total in rows:
        print(f"{name:<{width}}  {ok:>5} / {total}")
    print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
