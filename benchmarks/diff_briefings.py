"""What changed between two JSON briefings of the same cluster: figures, claimants, quotes, events.

    python benchmarks/diff_briefings.py benchmarks/results/before/syria-2016-02-21.json \
        benchmarks/results/after/syria-2016-02-21.json

A figure is (value, words, claimant, via, article, citation span); it is "kept" when both briefings
have it, whatever event it sits under, and "moved" when its event label differs; the same figure
(same words at the same span) whose claimant differs is listed as a claimant change, not as lost. Statements are
(speaker, kind, text, article, span). Events are compared by label and kind, and
the perpetrators of events with the same label by name. Every role's tally is read (killed, injured,
and missing, displaced ... when the briefing has them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster_score import tallies  # noqa: E402  (every role's tally, killed and injured or more)


def figures(b: dict) -> dict[tuple, str]:
    out = {}
    for e in b["events"]:
        for which, tally in tallies(e):
            for c in tally["claims"]:
                for cit in c["citations"]:
                    key = (which, c["value"], c["words"], c["claimant"], c["via"], cit["article_id"], cit["start"])
                    out[key] = e["label"]
    return out


def statements(b: dict) -> set[tuple]:
    return {(s["speaker"], s["kind"], s["text"][:80], cit["article_id"], cit["start"])
            for s in b["statements"] for cit in s["citations"][:1]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    args = ap.parse_args()
    a = json.loads(args.before.read_text(encoding="utf-8"))
    b = json.loads(args.after.read_text(encoding="utf-8"))
    fa, fb = figures(a), figures(b)
    ca = {k[3] for k in fa if k[3]} | {k[4] for k in fa if k[4]}
    cb = {k[3] for k in fb if k[3]} | {k[4] for k in fb if k[4]}
    print(f"figures: {len(fa)} before, {len(fb)} after; kept {len(set(fa) & set(fb))}")
    # The same figure (kind, value, words, citation) whose claimant changed: named now, or renamed.
    by_span_a = {(k[0], k[1], k[2], k[5], k[6]): k for k in set(fa) - set(fb)}
    by_span_b = {(k[0], k[1], k[2], k[5], k[6]): k for k in set(fb) - set(fa)}
    for span in sorted(set(by_span_a) & set(by_span_b), key=str):
        ka, kb = by_span_a[span], by_span_b[span]
        print(f"  ~ claimant {span}: {ka[3]!r} via {ka[4]!r} -> {kb[3]!r} via {kb[4]!r}")
        del fa[ka], fb[kb]
    for k in sorted(set(fa) - set(fb), key=str):
        print(f"  - lost   {k}  (was under {fa[k]!r})")
    for k in sorted(set(fb) - set(fa), key=str):
        print(f"  + new    {k}  (under {fb[k]!r})")
    for k in sorted(set(fa) & set(fb), key=str):
        if fa[k] != fb[k]:
            print(f"  ~ moved  {k}: {fa[k]!r} -> {fb[k]!r}")
    print(f"claimants: before {sorted(ca)}; after {sorted(cb)}")
    sa, sb = statements(a), statements(b)
    print(f"statements: {len(sa)} before, {len(sb)} after; kept {len(sa & sb)}")
    for s in sorted(sa - sb, key=str):
        print(f"  - lost   {s}")
    for s in sorted(sb - sa, key=str):
        print(f"  + new    {s}")
    ea = {(e["label"], e["kind"]) for e in a["events"]}
    eb = {(e["label"], e["kind"]) for e in b["events"]}
    print(f"events: {len(ea)} before, {len(eb)} after")
    for e in sorted(ea - eb):
        print(f"  - {e}")
    for e in sorted(eb - ea):
        print(f"  + {e}")
    pa = {e["label"]: sorted(_actor_names(a, e["perpetrators"])) for e in a["events"]}
    pb = {e["label"]: sorted(_actor_names(b, e["perpetrators"])) for e in b["events"]}
    for label in sorted(set(pa) & set(pb)):
        if pa[label] != pb[label]:
            print(f"  ~ perpetrators of {label!r}: {pa[label]} -> {pb[label]}")
    for label in sorted(set(pb) - set(pa)):
        if pb[label]:
            print(f"  ~ perpetrators of new {label!r}: {pb[label]}")
    print(f"title: {a['title']!r} -> {b['title']!r}")


def _actor_names(b: dict, ids: list[str]) -> list[str]:
    names = {x["id"]: x["name"] for x in b.get("actors", [])}
    return [names.get(i, i) for i in ids]


if __name__ == "__main__":
    main()
