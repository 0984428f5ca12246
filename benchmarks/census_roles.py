"""Per-role precision and recall of ``grounding.roles`` against the hand-labelled census (no model).

    .venv/bin/python benchmarks/census_roles.py            # a Markdown table on stdout

Reads ``tests/fixtures/census/*.tsv``; the articles come from ``examples/`` and, for the dev
clusters, from ``../shared/devset/`` (never copied into the repository).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from summarizer.grounding import roles

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "examples", ROOT.parent / "shared" / "devset")


def main() -> None:
    conf: Counter[tuple[str, str]] = Counter()
    status_right = status_all = files = 0
    for path in sorted((ROOT / "tests" / "fixtures" / "census").glob("*.tsv")):
        folder = next((b / path.stem for b in SOURCES if (b / path.stem).is_dir()), None)
        if folder is None:
            continue
        files += 1
        readings: dict[str, dict[int, roles.Reading]] = {}
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row["article"] not in readings:
                    text = (folder / f"{row['article']}.txt").read_text()
                    readings[row["article"]] = {rd.start: rd for rd in roles.read_roles(text)}
                rd = readings[row["article"]][int(row["start"])]
                conf[(row["role"], rd.role.value)] += 1
                if row["role"] == rd.role.value and rd.status is not None:
                    status_all += 1
                    status_right += rd.status.value == row["status"]
    total = sum(conf.values())
    right = sum(v for (g, p), v in conf.items() if g == p)
    casualty = {r.value for r in roles.CASUALTY_ROLES}
    wrong = sum(v for (g, p), v in conf.items() if g not in casualty and p in casualty)
    print(f"{files} clusters, {total} mentions: role accuracy {right / total:.3f}; status right on "
          f"{status_right}/{status_all} correctly-roled people mentions; "
          f"non-casualty mentions read as a casualty role: {wrong}\n")
    print("| role | labelled | read | precision | recall |\n|---|---|---|---|---|")
    for role in roles.Role:
        r = role.value
        tp = conf[(r, r)]
        gold = sum(v for (g, _), v in conf.items() if g == r)
        pred = sum(v for (_, p), v in conf.items() if p == r)
        prec = f"{tp / pred:.2f}" if pred else "—"
        rec = f"{tp / gold:.2f}" if gold else "—"
        print(f"| {r} | {gold} | {pred} | {prec} | {rec} |")


if __name__ == "__main__":
    main()
