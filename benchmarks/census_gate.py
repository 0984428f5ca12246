"""Perfect-but-naive extractions through the grounding gate, no model (issue 21's "perfect extractions").

For every number mention of every census TSV (``<cluster>.tsv``: article, start, end, text, role,
status, note; see benchmarks/clusters.py for where they are looked up), a perfect-but-naive model is
played: it proposes the mention's own sentence as evidence and the mention's number as a casualty
figure of each casualty role ``ground_casualty`` takes as a keyword (killed and injured; any further
role it may take, e.g. ``missing=``). The mention counts as **accepted as R** when the grounded record
keeps a figure of casualty role R citing it (whatever role was proposed: a record may read further
roles from the sentence's own words). The
proposal is made for every mention whatever its census role, so the table reads both ways:

- a mention of a non-casualty role (date, identifier, measure, things, people, ...) accepted as any
  casualty role is a number the gate lets through as a toll: issue 21 wants none;
- a mention of a casualty role accepted under another casualty role (an injured count accepted as
  killed, cases as killed) is a wrong role the gate does not stop;
- a mention accepted under its own role is what a perfect model could get kept (a recall ceiling).

Vague mentions ("dozens") are proposed at the smallest value the lexicon reads them as; a mention
the code reads no number in ("several", "one" as a pronoun) cannot be proposed and is counted
``unreadable``. Only mention texts (a few words) are printed, never article sentences.

Run:
    .venv/bin/python benchmarks/census_gate.py                     # all censuses found, table to stdout
    .venv/bin/python benchmarks/census_gate.py --json benchmarks/results/census-gate-before.json \\
        > benchmarks/results/census-gate-before.txt
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster_score import CASUALTY_ROLES, ROLES, read_census  # noqa: E402
from clusters import CENSUS_DIRS, all_clusters, cluster_dir  # noqa: E402

NON_CASUALTY = ("people", "date", "time", "year", "age", "money", "percent", "measure", "identifier", "things",
                "ordinal", "score", "not_number")


def proposable_roles() -> list[str]:
    """The casualty roles ``ground_casualty`` takes as keywords (killed and injured before issue 21)."""
    from summarizer import grounding

    params = inspect.signature(grounding.ground_casualty).parameters
    return [r for r in ROLES if r in params]


def _value(text: str, start: int, end: int, s_start: int, s_end: int) -> int | None:
    """The number the code reads at the mention, as a naive model would propose it."""
    from summarizer import lexicon
    from summarizer.language.numbers import find_numbers

    for n in find_numbers(text, s_start, s_end):
        if n.start < end and start < n.end:
            if n.value is not None:
                return n.value
            bounds = lexicon.current().vague_readings.get(n.words.lower())
            return bounds[0] if bounds else None
    return None


def _kept_roles(record: Any, start: int, end: int) -> list[str]:
    """Every casualty role under which the grounded record keeps a figure citing the mention (a
    record may read further roles from the sentence's own words, whatever was proposed)."""
    out = []
    for role in ROLES:
        fig = getattr(record, role, None) if record is not None else None
        if fig is None:
            continue
        cites = [fig.citation] if getattr(fig, "citation", None) is not None else list(getattr(fig, "citations", []))
        if any(c.start < end and start < c.end for c in cites):
            out.append(role)
    return out


def gate_cluster(cluster: str, census: dict[str, list[dict[str, Any]]], roles: list[str]) -> list[dict[str, Any]]:
    from summarizer import grounding
    from summarizer.ingest.load import load_many
    from summarizer.language.sentences import sentences_of

    folder = cluster_dir(cluster)
    articles = {a.id: a for a in load_many([folder]).articles}
    out = []
    for art_id, rows in census.items():
        art = articles[art_id]
        if art.text != (folder / f"{art_id}.txt").read_text():
            raise SystemExit(f"{cluster}/{art_id}: the loaded text is not the file's read_text(): offsets differ")
        sents = sentences_of(art.text)
        for row in rows:
            s, e = row["start"], row["end"]
            sent = next((x for x in sents if x.start <= s and e <= x.end), None)
            res = {"cluster": cluster, "article": art_id, "start": s, "end": e, "text": row["text"],
                   "role": row["role"], "status": row["status"], "accepted_as": []}
            value = _value(art.text, s, e, sent.start, sent.end) if sent else None
            res["readable"] = value is not None
            if value is not None:
                for role in roles:
                    kw = {r: None for r in roles}
                    kw[role] = value
                    outcome = grounding.ground_casualty(art, evidence=sent.text, place=None, claimed_by=None,
                                                        window=(sent.start, sent.end), **kw)
                    for kept in _kept_roles(outcome.record, s, e):
                        if kept not in res["accepted_as"]:
                            res["accepted_as"].append(kept)
            out.append(res)
    return out


def census_paths(census_dir: Path | None) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for d in [census_dir] if census_dir else CENSUS_DIRS:
        for c in all_clusters():
            if c not in found and (d / f"{c}.tsv").exists():
                found[c] = d / f"{c}.tsv"
    return found


def report(rows: list[dict[str, Any]], roles: list[str], clusters: list[str]) -> str:
    lines = [f"Perfect-but-naive proposals through ground_casualty: {len(rows)} number mentions of "
             f"{len(clusters)} clusters' censuses; each proposed as {', '.join(roles)}.", ""]
    shown = [r for r in ROLES if r in roles or any(r in x["accepted_as"] for x in rows)]
    head = "| census role | mentions | readable | " + " | ".join(f"accepted as {r}" for r in shown) \
        + " | accepted as any casualty role | share |"
    lines += [head, "|" + "---|" * (len(shown) + 5)]
    by_role: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_role.setdefault(r["role"], []).append(r)
    order = [r for r in (*ROLES, *NON_CASUALTY) if r in by_role] + sorted(set(by_role) - {*ROLES, *NON_CASUALTY})
    for role in order:
        rs = by_role[role]
        acc = Counter(a for r in rs for a in r["accepted_as"])
        anyc = sum(1 for r in rs if r["accepted_as"])
        lines.append(f"| {role} | {len(rs)} | {sum(r['readable'] for r in rs)} | "
                     + " | ".join(str(acc[x]) for x in shown) + f" | {anyc} | {anyc / len(rs):.2f} |")
    non = [r for r in rows if r["role"] not in CASUALTY_ROLES]
    bad = [r for r in non if r["accepted_as"]]
    cas = [r for r in rows if r["role"] in CASUALTY_ROLES]
    wrong = [r for r in cas if any(a != r["role"] for a in r["accepted_as"])]
    own = [r for r in cas if r["role"] in r["accepted_as"]]
    proj = [r for r in cas if r["status"] == "projection"]
    lines += ["",
              f"**Non-casualty-role mentions accepted as a casualty figure: {len(bad)} of {len(non)} "
              f"({len(bad) / max(1, len(non)):.1%}); of the readable ones: {len(bad)} of "
              f"{sum(r['readable'] for r in non)}.** (issue 21 wants 0)",
              f"Casualty-role mentions accepted under another casualty role: {len(wrong)} of {len(cas)}.",
              f"Casualty-role mentions accepted under their own role: {len(own)} of {len(cas)} "
              f"(proposed as {', '.join(roles)} only; any other role is the one the record reads itself).",
              f"Projections (census status) accepted as a casualty figure: "
              f"{sum(1 for r in proj if r['accepted_as'])} of {len(proj)}.", "",
              "Per cluster (non-casualty accepted / non-casualty mentions; casualty accepted under another role):"]
    for c in clusters:
        n = [r for r in non if r["cluster"] == c]
        w = [r for r in wrong if r["cluster"] == c]
        lines.append(f"- {c}: {sum(1 for r in n if r['accepted_as'])}/{len(n)}; {len(w)}")
    lines += ["", "Accepted non-casualty mentions (cluster article start-end 'mention' census role -> accepted as):"]
    for r in bad:
        lines.append(f"- {r['cluster']} {r['article']} {r['start']}-{r['end']} {r['text']!r} {r['role']} "
                     f"-> {', '.join(r['accepted_as'])}")
    lines += ["", "Casualty mentions accepted under another role:"]
    for r in wrong:
        lines.append(f"- {r['cluster']} {r['article']} {r['start']}-{r['end']} {r['text']!r} {r['role']} "
                     f"({r['status']}) -> {', '.join(r['accepted_as'])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--census", type=Path, help="folder of census TSVs (default: as benchmarks/clusters.py)")
    ap.add_argument("--cluster", action="append", help="only this cluster (repeatable)")
    ap.add_argument("--json", type=Path, help="write every mention's outcome to this file")
    args = ap.parse_args(argv)
    paths = census_paths(args.census)
    clusters = [c for c in (args.cluster or list(paths)) if c in paths]
    roles = proposable_roles()
    if not roles:
        raise SystemExit("ground_casualty takes no casualty role as a keyword any more: adapt gate_cluster's call")
    rows: list[dict[str, Any]] = []
    for c in clusters:
        rows += gate_cluster(c, read_census(paths[c]), roles)
    print(report(rows, roles, clusters))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=0), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
