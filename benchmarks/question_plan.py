"""The sentence questions the embedded model would be asked, per article, with no model: each event
candidate and the answer the text alone gives (or the options offered). Run it on two versions of the
code and compare the files to see which clusters a change can touch, so only those are re-run:

    PYTHONPATH=/tmp/old .venv/bin/python benchmarks/question_plan.py /tmp/plan-old.json   # old tree
    .venv/bin/python benchmarks/question_plan.py /tmp/plan-new.json
    .venv/bin/python benchmarks/question_plan.py --compare /tmp/plan-old.json /tmp/plan-new.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from summarizer.extraction import options
from summarizer.extraction.candidates import select_candidates
from summarizer.ingest.load import load_many

ROOT = Path(__file__).resolve().parent.parent
BASES = (ROOT / "examples", ROOT.parent / "shared" / "devset")


def plan() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for base in BASES:
        if not base.is_dir():
            continue
        for cluster in sorted(p for p in base.iterdir() if p.is_dir()):
            for a in load_many(sorted(cluster.glob("*.txt"))).articles:
                cands = select_candidates(a)
                events = []
                for s in cands.event:
                    o = options.event(a, s)
                    events.append([s.start, o.answer.model_dump() if o.answer is not None else None, o.allowed])
                out[f"{cluster.name}/{a.id}"] = {"event": events, "casualty": [s.start for s in cands.casualty],
                                                 "statement": [s.start for s in cands.statement]}
    return out


def changed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return sorted({k.split("/")[0] for k in set(old) | set(new) if old.get(k) != new.get(k)})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path, nargs="?")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"))
    args = ap.parse_args()
    if args.compare:
        old, new = (json.loads(p.read_text()) for p in args.compare)
        print("\n".join(changed(old, new)) or "no cluster's questions changed")
        return
    args.out.write_text(json.dumps(plan(), default=str, sort_keys=True))


if __name__ == "__main__":
    main()
