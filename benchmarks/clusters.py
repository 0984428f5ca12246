"""Per-cluster accuracy on the 24 dev clusters: the real pipeline vs hand-written facts (issues 21, 22).

Clusters: the 7 in ``examples/`` and the 17 in ``../shared/devset/`` (read at run time, never copied
into the repository). Expected facts: ``tests/fixtures/expected/<cluster>.json`` (README there).
Census of number mentions: ``<cluster>.tsv`` in ``tests/fixtures/census/`` or ``../census/census/``
(``--census DIR`` to choose). Scoring is in ``benchmarks/cluster_score.py`` (unit-tested in
tests/test_cluster_scoring.py).

Run (from the repository root; the lead's BEFORE/AFTER commands are in benchmarks/README.md):
    .venv/bin/python benchmarks/clusters.py --all --threads 1 --save-briefings DIR   # run all 24, embedded model
    .venv/bin/python benchmarks/clusters.py --all --from-json DIR   # score saved briefings, no model
    .venv/bin/python benchmarks/clusters.py --cluster fort-hood-shooting-2009-11
    .venv/bin/python benchmarks/clusters.py --json out.json --cache /tmp/clusters.sqlite
    .venv/bin/python benchmarks/clusters.py --fixtures     # hand-written proposals -> grounding -> merge
                                                           # (examples only, no model)
Without ``--all`` (or ``--cluster``) only clusters with expected facts are run.

What is scored (one row per cluster, totals last):
- main event = the briefing's first event: kind equal; place one of ``place``/``place_any`` (word
  match on the event's place or containing place; when the expected place is null, right if no
  place is given); date equal ("n/a" when the text gives none); parties (matter-type news) named in
  the title or the main event's label.
- events: non-background events that are not a "combined toll", against ``events_expected``.
- figures per role (killed, injured, missing, displaced, affected, arrested, hospitalized, cases):
  a kept figure is one (claim, article) pair of a tally of that role; an expected figure is found
  when a kept figure has its article, role and value (vague: same words). Claimant right per found
  figure (same name at word bounds; both null counts as right).
- census precision: the role the census gives the mention each kept figure cites; "not of its role"
  splits into another casualty role, a non-casualty role (people, identifier, measure ...), and no
  census mention cited. Without a census, the expected facts' "extra" and "wrong type" stand in.
  Recall by mention: the census mentions of a casualty role (projections left out) that a kept
  figure of that role cites.
- no deaths: on a cluster whose text states no death of today, killed figures kept of today.
- perpetrators of non-background events: named, right (same name as an expected perpetrator), named
  where the text names none.
- dateline words ("DUNMORE, Pennsylvania —") given as a claimant, relay, speaker or perpetrator.
- seconds and LLM calls from the briefing's ``run``.
Devset briefings are saved without their texts (``redact``) and given them back when read (``restore``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cluster_score  # noqa: E402,F401  (tests reach the scorer through this module)
from cluster_score import ROLES, kept_figures, read_census, score_briefing  # noqa: E402,F401
from newcomer_score import newcomer_checks, table_newcomer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"
# Real news read at run time only: these texts are never copied into the repository.
DEVSET = ROOT.parent / "shared" / "devset"
# The ten invented newcomer stories of issue 22 (their own expected facts, written before any run).
NEWCOMER = ROOT / "tests" / "fixtures" / "newcomer"
CENSUS_DIRS = [ROOT / "tests" / "fixtures" / "census", ROOT.parent / "census" / "census"]
_ABBR = {"killed": "k", "injured": "i", "missing": "m", "displaced": "d", "affected": "a", "arrested": "r",
         "hospitalized": "h", "cases": "c"}


def _mark(ok: bool | None) -> str:
    return "n/a" if ok is None else ("right" if ok else "WRONG")


def _ratio(a: int | None, b: int | None) -> str:
    return "–" if a is None or b is None else f"{a}/{b}"


def _sum(results: list[dict[str, Any]], *path: str) -> int:
    tot = 0
    for r in results:
        v: Any = r
        for k in path:
            v = (v or {}).get(k) if isinstance(v, dict) else None
        tot += v or 0
    return tot


def table_events(results: list[dict[str, Any]]) -> str:
    """Issue 22's view: main event, events, claimants, perpetrators."""
    lines = ["| cluster | main event found (kind / place / date) | expected | kind | place | date | parties named "
             "| events found / expected | claimant right / figures found | perpetrators named (right) "
             "| named where text names none | dateline word as a name |", "|" + "---|" * 12]
    for r in results:
        if not r["has_expected"]:
            lines.append(f"| {r['cluster']} | (no expected facts yet) | | | | | | {r['events']['found']} / – "
                         f"| | | | {len(r['dateline_names'])} |")
            continue
        m, f = r["main"], r["main"]["found"]
        found = (f"{f.get('kind')} / {f.get('place')}" + (f" ({f['within']})" if f.get("within") else "")
                 + f" / {f.get('date')}") if f else "(no event)"
        e = m["expected"]
        exp = f"{e['kind']} / {e['place'] or ('matter: ' + str(e['matter']))} / {e['date']}"
        p = r["perpetrators"]
        pa = m["parties"]
        lines.append(
            f"| {r['cluster']} | {found} | {exp} | {_mark(m['kind_ok'])} | {_mark(m['place_ok'])} "
            f"| {_mark(m['date_ok'])} | {_ratio(pa['named'], pa['expected']) if pa else 'n/a'} "
            f"| {_ratio(r['events']['found'], r['events']['expected'])} "
            f"| {r['figures']['claimant_right']}/{r['figures']['found']} "
            f"| {p['named']} ({'–' if p['right'] is None else p['right']}) "
            f"| {'–' if p['named_where_none'] is None else p['named_where_none']} | {len(r['dateline_names'])} |")
    sc = [r for r in results if r["has_expected"]]
    n = len(sc)
    ok = {k: sum(1 for r in sc if r["main"][k]) for k in ("kind_ok", "place_ok", "date_ok")}
    dated = sum(1 for r in sc if r["main"]["date_ok"] is not None)
    ev = [r for r in sc if r["events"]["ok"] is not None]
    pa = [r["main"]["parties"] for r in sc if r["main"]["parties"]]
    judged = [r for r in sc if r["perpetrators"]["right"] is not None]
    unjudged = _sum(sc, "perpetrators", "named") - _sum(judged, "perpetrators", "named")
    lines.append(
        f"| **total** ({n} scored) | | | {ok['kind_ok']}/{n} | {ok['place_ok']}/{n} | {ok['date_ok']}/{dated} "
        f"| {sum(p['named'] for p in pa)}/{sum(p['expected'] for p in pa)} "
        f"| {sum(1 for r in ev if r['events']['ok'])}/{len(ev)} clusters right "
        f"| {_sum(sc, 'figures', 'claimant_right')}/{_sum(sc, 'figures', 'found')} "
        f"| {_sum(judged, 'perpetrators', 'named')} ({_sum(judged, 'perpetrators', 'right')}) in {len(judged)} "
        f"clusters with expected perpetrators, {unjudged} unjudged "
        f"| {_sum(sc, 'perpetrators', 'named_where_none')} | {sum(len(r['dateline_names']) for r in results)} |")
    return "\n".join(lines)


def _roles_cell(per_role: dict[str, dict[str, int]], skip: tuple[str, ...] = ("killed", "injured")) -> str:
    return " ".join(f"{_ABBR[r]} {v['found']}/{v['expected']}" for r, v in per_role.items()
                    if r not in skip and (v["expected"] or v["found"] or v["kept"])) or "–"


def _census_cell(c: dict[str, Any] | None) -> str:
    if c is None:
        return "no census"
    return f"{c['wrong_role'] + c['no_mention']} ({c['other_casualty_role']} / {c['not_casualty']} / {c['no_mention']})"


def table_figures(results: list[dict[str, Any]]) -> str:
    """Issue 21's view: figures per role, census precision, cost."""
    lines = ["| cluster | found / expected | killed | injured | other roles | kept "
             "| kept not of their role (other casualty role / not casualty / no census mention) "
             "| unexpected (extra / of which not_figures) | wrong role (expected facts) "
             "| killed kept, no deaths stated "
             "| seconds | LLM calls |", "|" + "---|" * 12]
    for r in results:
        secs = r.get("seconds")
        cost = f"| {'' if secs is None else f'{secs:.0f}'} | {r.get('llm_calls', '')} |"
        if not r["has_expected"]:
            lines.append(f"| {r['cluster']} | (no expected facts yet) | | | | {r['kept']} "
                         f"| {_census_cell(r['census'])} | | | {cost}")
            continue
        f, pr = r["figures"], r["figures"]["per_role"]
        deaths = "–" if f["deaths_expected"] else str(f["killed_kept_today"])
        lines.append(
            f"| {r['cluster']} | {f['found']}/{f['expected']} | {pr['killed']['found']}/{pr['killed']['expected']} "
            f"| {pr['injured']['found']}/{pr['injured']['expected']} | {_roles_cell(pr)} | {f['kept']} "
            f"| {_census_cell(r['census'])} | {f['extra']} / {f['not_figures']} | {f['wrong_type']} | {deaths} {cost}")
    sc = [r for r in results if r["has_expected"]]
    ce = [r["census"] for r in results if r["census"]]
    secs = sum(r.get("seconds") or 0 for r in results)
    nodeath = [r for r in sc if not r["figures"]["deaths_expected"]]
    def fig(*path: str) -> int:
        return _sum(sc, "figures", *path)

    died = sum(r["figures"]["killed_kept_today"] for r in nodeath)
    died_in = sum(1 for r in nodeath if r["figures"]["killed_kept_today"])
    lines.append(
        f"| **total** ({len(sc)} scored, {len(ce)} with census) | {fig('found')}/{fig('expected')} "
        f"| {fig('per_role', 'killed', 'found')}/{fig('per_role', 'killed', 'expected')} "
        f"| {fig('per_role', 'injured', 'found')}/{fig('per_role', 'injured', 'expected')} "
        f"| | {sum(r['kept'] for r in results)} "
        f"| {sum(c['wrong_role'] + c['no_mention'] for c in ce)} of {sum(c['kept'] for c in ce)} "
        f"({sum(c['other_casualty_role'] for c in ce)} / {sum(c['not_casualty'] for c in ce)} "
        f"/ {sum(c['no_mention'] for c in ce)}) "
        f"| {fig('extra')} / {fig('not_figures')} | {fig('wrong_type')} "
        f"| {died} in {died_in}/{len(nodeath)} clusters | {secs:.0f} "
        f"| {sum(r.get('llm_calls') or 0 for r in results)} |")
    return "\n".join(lines)


def table_roles(results: list[dict[str, Any]]) -> str:
    """Per role over all clusters: recall against the expected facts, precision against the census."""
    lines = ["| role | expected | found | kept | kept, census role right | other casualty role | not casualty "
             "| no census mention | precision (census) | census mentions cited / stated |", "|" + "---|" * 10]
    sc = [r for r in results if r["has_expected"]]
    ce = [r["census"] for r in results if r["census"]]
    for role in ROLES:
        e = sum(r["figures"]["per_role"][role]["expected"] for r in sc)
        f = sum(r["figures"]["per_role"][role]["found"] for r in sc)
        c = {k: sum(x["per_role"][role][k] for x in ce) for k in ("kept", "right", "other_casualty_role",
                                                                  "not_casualty", "no_mention", "mentions",
                                                                  "mentions_cited")}
        prec = f"{c['right'] / c['kept']:.2f}" if c["kept"] else "–"
        lines.append(f"| {role} | {e} | {f} | {c['kept']} | {c['right']} | {c['other_casualty_role']} "
                     f"| {c['not_casualty']} | {c['no_mention']} | {prec} | {c['mentions_cited']}/{c['mentions']} |")
    k = sum(x["kept"] for x in ce)
    right = sum(x["right"] for x in ce)
    lines.append(f"| **all** | {_sum(sc, 'figures', 'expected')} | {_sum(sc, 'figures', 'found')} | {k} | {right} "
                 f"| {sum(x['other_casualty_role'] for x in ce)} | {sum(x['not_casualty'] for x in ce)} "
                 f"| {sum(x['no_mention'] for x in ce)} | {f'{right / k:.2f}' if k else '–'} "
                 f"| {sum(x['mentions_cited'] for x in ce)}/{sum(x['mentions'] for x in ce)} |")
    lines.append(f"\nKept with the census's role but not its time (a background figure kept under an event of "
                 f"today, or the reverse, or a projection): {sum(x['status_wrong'] for x in ce)}.")
    return "\n".join(lines)


def table(results: list[dict[str, Any]]) -> str:
    return "\n\n".join((table_events(results), table_figures(results), table_roles(results)))


def _summary(r: dict[str, Any]) -> dict[str, Any]:
    """One cluster's headline numbers, for the before → after table."""
    c = r.get("census") or {}
    out: dict[str, Any] = {"events": r["events"]["found"], "kept": r["kept"],
                           "not_role": (c.get("wrong_role", 0) + c.get("no_mention", 0)) if c else None,
                           "dateline": len(r.get("dateline_names", [])),
                           "seconds": r.get("seconds") or 0, "calls": r.get("llm_calls") or 0}
    if r.get("has_expected"):
        m, f, p = r["main"], r["figures"], r["perpetrators"]
        out.update(kind=m["kind_ok"], place=m["place_ok"], date=m["date_ok"], found=f["found"],
                   claimant=f["claimant_right"], named=p["named"], right=p["right"],
                   where_none=p["named_where_none"], deaths=None if f["deaths_expected"] else f["killed_kept_today"])
    return out


def _fmt(z: Any) -> str:
    return "–" if z is None else (f"{z:.0f}" if isinstance(z, float) else str(z))


def table_compare(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> str:
    """Before → after, per cluster and in total (scores from two ``--json`` files)."""
    b = {r["cluster"]: _summary(r) for r in before}
    head = ("| cluster | kind | place | date | events (expected) | figures found (expected) "
            "| kept not of their role / kept | claimant right | perpetrators named (right) | named where none "
            "| dateline names | killed kept, no deaths stated | seconds | LLM calls |")
    lines = [head, "|" + "---|" * 14]
    tot: dict[str, list[int]] = {}

    def cell(key: str, x: dict[str, Any], y: dict[str, Any], mark: bool = False) -> str:
        u, v = x.get(key), y.get(key)
        if mark:
            return f"{_mark(u) if key in x else '–'} → {_mark(v)}"
        if isinstance(u, int | float) or isinstance(v, int | float):
            t = tot.setdefault(key, [0, 0])
            t[0] += u or 0
            t[1] += v or 0
        return f"{_fmt(u)} → {_fmt(v)}"

    for r in after:
        x, y = b.get(r["cluster"], {}), _summary(r)
        exp = r["events"]["expected"]
        nfig = r["figures"]["expected"] if r.get("has_expected") else None
        lines.append(
            f"| {r['cluster']} | {cell('kind', x, y, True)} | {cell('place', x, y, True)} | {cell('date', x, y, True)} "
            f"| {cell('events', x, y)} ({'–' if exp is None else exp}) | {cell('found', x, y)} ({nfig}) "
            f"| {cell('not_role', x, y)} / {y['kept']} | {cell('claimant', x, y)} | {cell('named', x, y)} "
            f"({_fmt(x.get('right'))} → {_fmt(y.get('right'))}) | {cell('where_none', x, y)} "
            f"| {cell('dateline', x, y)} | {cell('deaths', x, y)} | {cell('seconds', x, y)} | {cell('calls', x, y)} |")

    def ok(rs: list[dict[str, Any]], k: str) -> int:
        return sum(1 for r in rs if (r.get("main") or {}).get(k))

    right = {k: (ok(before, k), ok(after, k)) for k in ("kind_ok", "place_ok", "date_ok")}
    t = {k: f"{v[0]:.0f} → {v[1]:.0f}" for k, v in tot.items()}
    lines.append(f"| **total** | {right['kind_ok'][0]} → {right['kind_ok'][1]} | {right['place_ok'][0]} → "
                 f"{right['place_ok'][1]} | {right['date_ok'][0]} → {right['date_ok'][1]} | {t.get('events', '')} "
                 f"| {t.get('found', '')} | {t.get('not_role', '')} | {t.get('claimant', '')} | {t.get('named', '')} "
                 f"| {t.get('where_none', '')} | {t.get('dateline', '')} | {t.get('deaths', '')} "
                 f"| {t.get('seconds', '')} | {t.get('calls', '')} |")
    return "\n".join(lines)


def details(results: list[dict[str, Any]]) -> str:
    out = []
    for r in results:
        out.append(f"\n## {r['cluster']}  (title: {r['title']!r})")
        kinds = r.get("kinds", [])
        out.append(f"  events: {r['events']['found']} of today ({r['events']['all']} in all), expected "
                   f"{r['events']['expected']}; titled by a kind one of its own sentences names: "
                   f"{sum(k['supported'] for k in kinds)}/{len(kinds)}")
        for k in kinds:
            if not k["supported"]:
                out.append(f"  KIND NOT IN ITS WORDS {k['label']!r} ({k['kind']}, {k['sentences']} sentences)")
        if r["dateline_names"]:
            out.append(f"  DATELINE WORD AS A NAME: {r['dateline_names']}")
        c = r["census"]
        for w in (c or {}).get("wrong_list", []):
            out.append(f"  CENSUS ROLE {w['census_role']:12} {w['article']}: {w['words']!r} kept as {w['type']} "
                       f"(claimant {w['claimant']!r}) [{w['event']}]")
        for w in (c or {}).get("status_wrong_list", []):
            out.append(f"  census status {w['census_status']}: {w['article']}: {w['words']!r} kept as {w['type']} "
                       f"background={w['background']} [{w['event']}]")
        if not r["has_expected"]:
            continue
        fig = r["figures"]
        out.append(f"  main event label: {(r['main']['found'] or {}).get('label')!r}; "
                   f"right kind+place on any non-background event: {r['main']['any_event_ok']}; "
                   f"found figures with the wrong background flag: {fig['background_mislabelled']}")
        p = r["perpetrators"]
        out.append(f"  perpetrators named: {p['names']}; wrong: {p['wrong_list']}; "
                   f"on background events: {p['background_names']}")
        for m in fig["missed_list"]:
            out.append(f"  missed   {m['article']}: {m['words']!r} ({m['type']})")
        for w in fig["claimant_wrong_list"]:
            out.append(f"  claimant {w['article']}: {w['words']!r} ({w['type']}) kept {w['kept']!r}, "
                       f"expected {w['expected']!r}")
        for k in fig["wrong_type_list"]:
            out.append(f"  wrong type {k['article']}: {k['words']!r} kept as {k['type']}, "
                       f"expected {k['expected_type']} [{k['event']}]")
        for k in fig["extra_list"]:
            tag = "NOT A FIGURE" if k in fig["not_figure_list"] else "unexpected"
            out.append(f"  {tag:12} {k['article']}: {k['words']!r} kept as {k['type']} "
                       f"(claimant {k['claimant']!r}) [{k['event']}]")
    return "\n".join(out)


def expected_clusters() -> list[str]:
    """Clusters with expected facts whose articles are here (examples; devset when present)."""
    return [c for c in all_clusters() if (EXPECTED / f"{c}.json").exists()]


def load_expected(cluster: str) -> dict[str, Any] | None:
    path = EXPECTED / f"{cluster}.json"
    if not path.exists():
        path = NEWCOMER / "expected" / f"{cluster}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def newcomer_clusters() -> list[str]:
    """The ten newcomer stories (tests/fixtures/newcomer), each with its expected facts."""
    return sorted(p.stem for p in (NEWCOMER / "expected").glob("*.json"))


def load_census(cluster: str, census_dir: Path | None = None) -> dict[str, list[dict[str, Any]]] | None:
    for d in [census_dir] if census_dir else CENSUS_DIRS:
        if (d / f"{cluster}.tsv").exists():
            return read_census(d / f"{cluster}.tsv")
    return None


def cluster_dir(cluster: str) -> Path:
    """The folder of a cluster's articles: ``examples/``, then ``../shared/devset/``, then the newcomer stories."""
    for base in (EXAMPLES, DEVSET, NEWCOMER):
        if (base / cluster).is_dir():
            return base / cluster
    raise SystemExit(f"no cluster {cluster!r} in {EXAMPLES} or {DEVSET}")


def all_clusters() -> list[str]:
    """The 7 examples and, when ``../shared/devset`` exists, its 17 clusters."""
    ex = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
    dev = sorted(p.name for p in DEVSET.iterdir() if p.is_dir()) if DEVSET.is_dir() else []
    return ex + dev


# --- devset briefings hold no devset text ---------------------------------------------------------
# A briefing quotes its articles (citations, quotes, the source texts). The devset's texts must never
# enter the repository, so a devset briefing is saved with offsets only, and its texts are put back
# from ../shared/devset when it is read again: scoring it is unchanged.
REDACTED = "[devset text: read it from ../shared/devset]"


def _runs(text: str, n: int = 8) -> set[str]:
    w = text.split()
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}


def article_texts(cluster: str) -> dict[str, str]:
    return {p.stem: p.read_text() for p in sorted(cluster_dir(cluster).glob("*.txt"))}


def redact(data: Any, texts: dict[str, str]) -> Any:
    """The briefing with no ``text`` value (citations, sources, quotes, narrative) and every other
    string that carries eight words in a row of an article replaced by ``REDACTED``."""
    flat = " ".join(" ".join(t.split()) for t in texts.values())

    def walk(node: Any) -> Any:
        if isinstance(node, dict):  # every "text": citations, sources, quotes, narrative sentences
            return {k: (None if k == "text" else walk(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, str) and any(r in flat for r in _runs(node)):
            return REDACTED
        return node

    return walk(data)


def restore(data: Any, texts: dict[str, str]) -> Any:
    """Citation and source texts put back from the articles (the inverse of ``redact`` for them)."""
    if isinstance(data, dict):
        if {"article_id", "start", "end"} <= data.keys() and data.get("text") is None and data["article_id"] in texts:
            return {**data, "text": texts[data["article_id"]][data["start"]:data["end"]]}
        if "sha256" in data and data.get("text") is None and data.get("id") in texts:
            return {**data, "text": texts[data["id"]]}
        return {k: restore(v, texts) for k, v in data.items()}
    if isinstance(data, list):
        return [restore(v, texts) for v in data]
    return data


def is_devset(cluster: str) -> bool:
    return not (EXAMPLES / cluster).is_dir() and not (NEWCOMER / cluster).is_dir()


def run_cluster(cluster: str, cache: Path | None = None, threads: int | None = None) -> dict[str, Any]:
    from summarizer import Settings, brief

    settings = Settings.from_env()
    if cache is not None:
        settings = settings.with_(cache_path=cache)
    if threads is not None:
        settings = settings.with_(n_threads=threads)
    t0 = time.perf_counter()
    b = brief([cluster_dir(cluster)], settings)
    data = json.loads(b.model_dump_json())
    data.setdefault("run", {})["wall_s"] = time.perf_counter() - t0
    return data


def fixture_briefing(cluster: str) -> dict[str, Any]:
    """Merge the hand-written fixture proposals (tests/fixtures/) of ``cluster``: no model."""
    sys.path.insert(0, str(ROOT / "tests"))
    from fixtures.clusters import cluster_extractions

    from summarizer.merge.events import merge

    t0 = time.perf_counter()
    data = json.loads(merge(cluster_extractions(cluster)).model_dump_json())
    data.setdefault("run", {})["duration_s"] = time.perf_counter() - t0
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cluster", action="append", help="run only this cluster (repeatable)")
    ap.add_argument("--json", type=Path, help="write the scores (and details) to this file")
    ap.add_argument("--save-briefings", type=Path, help="write each briefing JSON to DIR/<cluster>.json")
    ap.add_argument("--from-json", type=Path, help="score saved briefing(s) instead of running the model: "
                    "a file <cluster>.json or a directory of them")
    ap.add_argument("--fixtures", action="store_true", help="score the merged hand-written fixture "
                    "proposals (tests/fixtures/) instead of running the model")
    ap.add_argument("--cache", type=Path, help="extraction cache (SQLite): a rerun after a merge-only "
                    "change asks the model nothing (prompt and lexicon versions are in its key)")
    ap.add_argument("--threads", type=int, help="CPU threads for the embedded model (1 on a busy machine)")
    ap.add_argument("--all", action="store_true", help="every cluster (examples + devset), scored or not")
    ap.add_argument("--newcomer", action="store_true", help="the ten newcomer stories (tests/fixtures/newcomer) "
                    "instead, with their checks (parts, disputed tallies, places and speakers that must not appear)")
    ap.add_argument("--compare", type=Path, help="scores of an earlier run (its --json): print before → after too")
    ap.add_argument("--census", type=Path, help="folder of census TSVs (default: the first of "
                    + ", ".join(str(d) for d in CENSUS_DIRS) + " holding the cluster's)")
    args = ap.parse_args(argv)
    clusters = args.cluster or (newcomer_clusters() if args.newcomer
                                else all_clusters() if args.all else expected_clusters())
    if args.fixtures:  # hand-written proposals exist for the examples only
        clusters = [c for c in clusters if not is_devset(c)]
    if args.from_json and args.from_json.is_file() and not args.cluster:
        clusters = [args.from_json.stem]
    results = []
    checks: list[tuple[str, dict[str, Any]]] = []
    for c in clusters:
        if args.fixtures:
            data = fixture_briefing(c)
        elif args.from_json:
            src = args.from_json / f"{c}.json" if args.from_json.is_dir() else args.from_json
            if not src.exists():
                print(f"skip {c}: no {src}", file=sys.stderr)
                continue
            data = json.loads(src.read_text(encoding="utf-8"))
            if is_devset(c) and DEVSET.is_dir():
                data = restore(data, article_texts(c))
        else:
            print(f"running {c} ...", file=sys.stderr, flush=True)
            try:
                data = run_cluster(c, args.cache, args.threads)
            except Exception as exc:  # one failing cluster must not cost the others' measurements
                print(f"FAILED {c}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                continue
            if args.save_briefings:
                args.save_briefings.mkdir(parents=True, exist_ok=True)
                saved = redact(data, article_texts(c)) if is_devset(c) else data
                (args.save_briefings / f"{c}.json").write_text(json.dumps(saved, indent=1), encoding="utf-8")
        expected, census = load_expected(c), load_census(c, args.census)
        if expected is None:
            print(f"{c}: no expected facts yet" + ("; census precision only" if census else "; not scored"),
                  file=sys.stderr)
        r = score_briefing(data, expected, census, cluster=c)
        results.append(r)
        if args.newcomer and expected is not None:
            r["newcomer"] = newcomer_checks(data, expected)
            checks.append((c, r["newcomer"]))
        print(f"done {c}: {r['kept']} figures kept, {r['seconds'] or 0:.0f} s", file=sys.stderr, flush=True)
    print(table(results))
    if checks:
        print("\n## Newcomer checks (benchmarks/newcomer_score.py)\n")
        print(table_newcomer(checks))
    if args.compare:
        print("\n## Before → after (before: " + str(args.compare) + ")\n")
        print(table_compare(json.loads(args.compare.read_text(encoding="utf-8")), results))
    print(details(results))
    if args.json:
        safe = [redact(r, article_texts(r["cluster"])) if is_devset(r["cluster"]) else r for r in results]
        args.json.write_text(json.dumps(safe, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
