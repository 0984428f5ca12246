"""Clustering quality of ``summarizer stories`` on the mixed dev stream (``stories_corpus.py``).

    .venv/bin/python benchmarks/stories_quality.py [--seeds 5] [--examples-only] [--times with|without|both]
        [--decay-h H] [--window-d D] [--threshold T] [--event-veto MODE] [--event-bonus B]
        [--losses] [--same-story A=B ...]

Articles arrive in a shuffled order, in two variants: with times from the text (each at the date
its own text states near its top, ``stories_corpus.Doc.time``, as ``summarizer stories`` reads a
file without metadata; an article stating none is undated and clustered on its content alone)
and without (all on one day, one a minute, so time does not help). Prints
B-cubed precision, recall and F1 (duplicates included, each scored as an article) and the adjusted
Rand index against the true clusters, and the near-duplicates found, missed and wrong (a
duplicate is wrong when its original is not the article it re-wraps). ``--examples-only``: the 7
example clusters, on which the weights were chosen. ``--losses``: where the B-cubed loss is, per
true cluster (precision: items sharing a story with other clusters; recall: items apart from
their own). ``--same-story A=B``: score as if the answer key put cluster A in cluster B (how much
a pair the key tells apart costs).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).parent))
from stories_corpus import Doc, stream  # noqa: E402

from summarizer.stories.cluster import EVENT_VETOES, Weights  # noqa: E402
from summarizer.stories.stream import Item, Stream  # noqa: E402


def bcubed(truth: list[str], found: list[str]) -> tuple[float, float, float]:
    """B-cubed (Bagga & Baldwin 1998; Amigó et al. 2009): per item, the share of its found cluster
    that is in its true cluster (precision) and of its true cluster found with it (recall)."""
    lost = losses(truth, found)
    p = 1 - sum(v for (_, kind), v in lost.items() if kind == "P") / len(truth)
    r = 1 - sum(v for (_, kind), v in lost.items() if kind == "R") / len(truth)
    return p, r, 2 * p * r / (p + r)


def losses(truth: list[str], found: list[str]) -> Counter[tuple[str, str]]:
    """Each item's B-cubed shortfall (1 - its precision, 1 - its recall), summed per true cluster."""
    pair = Counter(zip(truth, found, strict=True))
    t, f = Counter(truth), Counter(found)
    out: Counter[tuple[str, str]] = Counter()
    for a, b in zip(truth, found, strict=True):
        out[(a, "P")] += 1 - pair[(a, b)] / f[b]
        out[(a, "R")] += 1 - pair[(a, b)] / t[a]
    return out


DAY = 1.7e9  # the one day of the variant without times


SAME: dict[str, str] = {}  # --same-story: cluster -> the cluster the key is read to put it in


def run(docs: list[Doc], times: bool, weights: Weights | None = None) -> dict[str, float]:
    """``times``: each article at the time its text states (``Doc.time``; None: undated, no time);
    else every article on one day, one a minute (the worst case)."""
    s = Stream(weights)
    when = [d.time if times else DAY + 60 * i for i, d in enumerate(docs)]
    placed = [s.place(Item(d.key, d.title, d.text, t)) for d, t in zip(docs, when, strict=True)]
    truth, found = [SAME.get(d.cluster, d.cluster) for d in docs], [p.story for p in placed]
    p, r, f1 = bcubed(truth, found)
    base = {d.key: d.base for d in docs}
    dups = [d for d in docs if d.key != d.base]
    got = {pl.key: pl.duplicate_of for pl in placed if pl.duplicate_of}
    # a pair is found whichever copy came first: the later one names the earlier as its original
    found_ok = sum(1 for d in dups if got.get(d.key) == d.base or got.get(d.base) == d.key
                   or (d.key in got and base[got[d.key]] == d.base))
    wrong = [(k, o) for k, o in got.items() if base[k] != base[o]]
    return {"articles": len(docs), "stories": len(set(found)), "clusters": len(set(truth)),
            "P": p, "R": r, "F1": f1, "ARI": adjusted_rand_score(truth, found),
            "dups": len(dups), "dups_found": found_ok, "dups_wrong": len(wrong), "wrong": wrong,
            "losses": losses(truth, found)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--examples-only", action="store_true")
    ap.add_argument("--times", choices=["with", "without", "both"], default="both")
    ap.add_argument("--decay-h", type=float, help="the time decay's width (default: Weights')")
    ap.add_argument("--window-d", type=float, help="the story window in days (default: Weights')")
    ap.add_argument("--threshold", type=float, help="the join threshold (default: Weights')")
    ap.add_argument("--event-veto", choices=EVENT_VETOES,
                    help="the event signature's veto (default: Weights')")
    ap.add_argument("--event-bonus", type=float, help="the event signature's bonus (default: Weights')")
    ap.add_argument("--losses", action="store_true", help="the B-cubed loss per true cluster")
    ap.add_argument("--same-story", action="append", default=[], metavar="A=B",
                    help="score as if the answer key put cluster A in cluster B")
    ap.add_argument("--cv", action="store_true",
                    help="4-fold cross-validation over clusters of the event bonus and the years veto")
    args = ap.parse_args()
    given = {"decay_h": args.decay_h, "threshold": args.threshold, "event_veto": args.event_veto,
             "event_bonus": args.event_bonus,
             "window_h": args.window_d * 24 if args.window_d else None}
    args.weights = replace(Weights(), **{k: v for k, v in given.items() if v is not None})
    SAME.update(dict(pair.split("=", 1) for pair in args.same_story))
    if args.cv:
        cross_validate(args.weights)
        return
    docs = stream(0)
    basis = Counter(d.time_basis for d in docs if d.key == d.base)
    print(f"published times of the originals: {basis['text']} from the text's date, {basis[None]} undated")
    for variant in (["with", "without"] if args.times == "both" else [args.times]):
        print("\ntimes from the text" if variant == "with" else "\nall on one day")
        table(args, variant == "with")


def table(args: argparse.Namespace, times: bool) -> None:
    rows = []
    print("| seed | articles | true clusters | stories | B3 P | B3 R | B3 F1 | ARI | duplicates found | wrong |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for seed in range(args.seeds):
        docs = stream(seed)
        if args.examples_only:
            docs = [d for d in docs if not d.cluster.startswith("multinews")]
        m = run(docs, times, args.weights)
        rows.append(m)
        print(f"| {seed} | {m['articles']} | {m['clusters']} | {m['stories']} | {m['P']:.3f} | {m['R']:.3f} | "
              f"**{m['F1']:.3f}** | {m['ARI']:.3f} | {m['dups_found']}/{m['dups']} | {m['dups_wrong']} |")
        for k, o in m["wrong"]:
            print(f"  wrong duplicate: {k} -> {o}")
    mean = {k: statistics.mean(r[k] for r in rows) for k in ("P", "R", "F1", "ARI")}
    print(f"| mean | | | | {mean['P']:.3f} | {mean['R']:.3f} | **{mean['F1']:.3f}** | {mean['ARI']:.3f} | "
          f"{sum(r['dups_found'] for r in rows)}/{sum(r['dups'] for r in rows)} | "
          f"{sum(r['dups_wrong'] for r in rows)} |")
    if args.losses:
        total: Counter[tuple[str, str]] = sum((r["losses"] for r in rows), Counter())
        n = sum(r["articles"] for r in rows)
        print("\n| true cluster | lost | of B3 |\n|---|---|---|")
        for (cluster, kind), v in total.most_common(20):
            print(f"| {cluster} | {'precision' if kind == 'P' else 'recall'} | {v / n:.3f} |")



def folds(k: int = 4, seed: int = 7) -> list[set[str]]:
    """The 24 clusters shuffled (seed 7) and cut into ``k`` folds of 6."""
    names = sorted({d.cluster for d in stream(0)})
    random.Random(seed).shuffle(names)
    return [set(names[i::k]) for i in range(k)]


GRID = [(veto, bonus) for veto in ("off", "years") for bonus in (0.0, 0.1, 0.15, 0.2, 0.25, 0.3)]


def cross_validate(base: Weights, seeds: int = 5) -> None:
    """Each fold picks the (veto, bonus) best on the other folds' streams (each seed's stream
    restricted to their clusters) and is scored on its own; also each fixed setting's mean
    held-out F1. Both variants (times from the text, all on one day)."""
    parts = folds()
    streams = [stream(seed) for seed in range(seeds)]
    for times in (True, False):
        # F1 per (setting, fold, seed): scored once, read for training and for held-out alike
        f1 = {(g, i, s): run([d for d in docs if d.cluster in part], times,
                             replace(base, event_veto=g[0], event_bonus=g[1]))["F1"]
              for g in GRID for i, part in enumerate(parts) for s, docs in enumerate(streams)}
        held, picked = [], []
        for i in range(len(parts)):
            train = {g: statistics.mean(f1[(g, j, s)] for j in range(len(parts)) if j != i for s in range(seeds))
                     for g in GRID}
            best = max(GRID, key=train.__getitem__)
            picked.append(best)
            held.append(statistics.mean(f1[(best, i, s)] for s in range(seeds)))
        print("times from the text" if times else "all on one day")
        print(f"  folds: {[sorted(p) for p in parts]}")
        print(f"  folds picked {picked}, held-out F1 {statistics.mean(held):.3f}")
        for g in GRID:
            per = [statistics.mean(f1[(g, i, s)] for s in range(seeds)) for i in range(len(parts))]
            print(f"  fixed {g}: mean held-out F1 {statistics.mean(per):.3f} (per fold "
                  f"{' / '.join(f'{x:.3f}' for x in per)})")


if __name__ == "__main__":
    main()
