"""Per-cluster accuracy on the dev corpus: the real pipeline vs hand-written expected facts.

For every cluster in ``examples/`` that has ``tests/fixtures/expected/<cluster>.json`` this runs
``summarizer.brief`` (embedded model unless the environment names another backend) and prints one
table: the main event's kind / place / date found vs expected, casualty figures found vs expected,
figures kept that are not casualty figures, seconds and LLM calls.

Run:
    .venv/bin/python benchmarks/clusters.py                          # all clusters, embedded model
    .venv/bin/python benchmarks/clusters.py --cluster fort-hood-shooting-2009-11
    .venv/bin/python benchmarks/clusters.py --json out.json --save-briefings DIR
    .venv/bin/python benchmarks/clusters.py --cache /tmp/clusters.sqlite   # reruns reuse extractions
    .venv/bin/python benchmarks/clusters.py --from-json DIR_OR_FILE  # score saved briefings, no model
    .venv/bin/python benchmarks/clusters.py --fixtures     # hand-written proposals -> grounding -> merge
                                                           # (no model: what a perfect extractor would get)

Scoring (``score_briefing``; unit-tested in tests/test_cluster_scoring.py):
- main event = the briefing's first event (merge sorts non-background, non-combined events with
  the most killed claims first; its label is the title). kind right if equal to the expected kind;
  place right if the event's place or containing place is one of ``place``/``place_any``
  (case-insensitive; a found "Fort Hood, Texas" counts when "Fort Hood" is acceptable); date right if
  equal, "n/a" when the expected date is null (no article text gives one).
- a kept figure is one (claim, article) pair of a ``killed`` or ``injured`` tally of any event. An
  expected figure is found when a kept figure has the same article, type and value (vague figures,
  value null: same words, case-insensitive). Expected types the schema cannot hold today
  (displaced, affected, cases) can never be found; they are counted in "exp".
- a kept figure matching no expected figure of any type in its article is "not a casualty figure"
  (``extra``); those whose words match a ``not_figures`` entry are counted again in ``nf``. A kept
  figure matching an expected figure's value and article but not its type is ``wrong_type``
  (e.g. 19 injured kept as killed).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"


def _norm(s: str | None) -> str:
    s = (s or "").lower().replace("\u00a0", " ").replace("\u2019", "'")
    return re.sub(r"\s+", " ", s).strip()


def _digits(s: str) -> set[int]:
    return {int(d.replace(",", "")) for d in re.findall(r"\d[\d,]*", s)}


def _place_ok(found: str | None, within: str | None, acceptable: list[str]) -> bool:
    names = {_norm(a) for a in acceptable if a}
    for f in (found, within):
        nf = _norm(f)
        if not nf:
            continue
        if nf in names:
            return True
        if any(re.search(rf"(?<!\w){re.escape(a)}(?!\w)", nf) for a in names):
            return True
    return False


def kept_figures(briefing: dict[str, Any]) -> list[dict[str, Any]]:
    """Every (claim, article) pair of every killed/injured tally, with its event's labels."""
    out = []
    for ev in briefing.get("events", []):
        for typ in ("killed", "injured"):
            for claim in (ev.get(typ) or {}).get("claims", []):
                for art in claim.get("articles", []):
                    out.append({"article": art, "type": typ, "value": claim.get("value"),
                                "words": claim.get("words", ""), "claimant": claim.get("claimant"),
                                "event": ev.get("label"), "background": bool(ev.get("background"))})
    return out


def _same_figure(k: dict[str, Any], e: dict[str, Any]) -> bool:
    if k["article"] != e["article"]:
        return False
    if e.get("value") is None:
        return k.get("value") is None and _norm(k["words"]) == _norm(e["words"])
    return k.get("value") == e["value"]


def _is_not_figure(k: dict[str, Any], nf: dict[str, Any]) -> bool:
    if k["article"] != nf["article"]:
        return False
    kw, nw = _norm(k["words"]), _norm(nf["words"])
    if kw and (kw in nw or nw in kw):
        return True
    return k.get("value") is not None and k["value"] in _digits(nf["words"])


def event_kinds(briefing: dict[str, Any]) -> list[dict[str, Any]]:
    """Every event's kind and whether the words of one of its own cited sentences name it (a kind
    no sentence of the event supports would be a title the text does not bear out)."""
    from summarizer.grounding.kinds import supports
    from summarizer.schemas import EventKind

    out = []
    for e in briefing.get("events", []):
        kind = EventKind(e["kind"])
        texts = [c["text"] for c in e.get("citations", [])]
        ok = kind == EventKind.OTHER or any(supports(t, kind) for t in texts)
        out.append({"label": e["label"], "kind": kind.value, "supported": ok, "sentences": len(texts)})
    return out


def score_briefing(briefing: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """Score one briefing (its JSON as a dict) against one expected-facts file (as a dict)."""
    me = expected["main_event"]
    events = briefing.get("events", [])
    main = events[0] if events else None
    acceptable = [me["place"], *me.get("place_any", [])]
    res: dict[str, Any] = {"cluster": expected["cluster"], "title": briefing.get("title")}
    res["main"] = {
        "expected": {"kind": me["kind"], "place": me["place"], "date": me["date"]},
        "found": ({"kind": main.get("kind"), "place": main.get("place"), "within": main.get("within"),
                   "date": main.get("date"), "label": main.get("label")} if main else None),
        "kind_ok": bool(main) and main.get("kind") == me["kind"],
        "place_ok": bool(main) and _place_ok(main.get("place"), main.get("within"), acceptable),
        "date_ok": None if me["date"] is None else (bool(main) and main.get("date") == me["date"]),
        # the same three checks against any non-background event, for context
        "any_event_ok": any(e.get("kind") == me["kind"] and _place_ok(e.get("place"), e.get("within"), acceptable)
                            for e in events if not e.get("background")),
    }
    res["kinds"] = event_kinds(briefing)
    kept = kept_figures(briefing)
    exp = expected["figures"]
    found, missed = [], []
    for e in exp:
        hit = [k for k in kept if k["type"] == e["type"] and _same_figure(k, e)]
        (found if hit else missed).append({**e, "kept_as": hit[:1]})
    extra, wrong_type, not_fig, matched = [], [], [], 0
    for k in kept:
        same = [e for e in exp if _same_figure(k, e)]
        if any(e["type"] == k["type"] for e in same):
            matched += 1
            continue
        if same:
            wrong_type.append({**k, "expected_type": same[0]["type"]})
            continue
        extra.append(k)
        if any(_is_not_figure(k, nf) for nf in expected.get("not_figures", [])):
            not_fig.append(k)
    bg_wrong = [f for f in found if f["kept_as"] and f["kept_as"][0]["background"] != f["background"]]
    res["figures"] = {
        "expected": len(exp), "found": len(found), "kept": len(kept), "matched_kept": matched,
        "expected_ki": sum(1 for e in exp if e["type"] in ("killed", "injured")),
        "found_ki": sum(1 for e in found if e["type"] in ("killed", "injured")),
        "extra": len(extra), "not_figures": len(not_fig), "wrong_type": len(wrong_type),
        "background_mislabelled": len(bg_wrong),
        "missed_list": [{k: m[k] for k in ("article", "words", "type")} for m in missed],
        "extra_list": extra, "not_figure_list": not_fig, "wrong_type_list": wrong_type,
    }
    run = briefing.get("run") or {}
    res["seconds"] = run.get("duration_s")
    res["llm_calls"] = (run.get("usage") or {}).get("calls")
    return res


def _mark(ok: bool | None) -> str:
    return "n/a" if ok is None else ("right" if ok else "WRONG")


def table(results: list[dict[str, Any]]) -> str:
    head = ("| cluster | main event found (kind / place / date) | expected | kind | place | date "
            "| figures found / expected (killed+injured only) | kept | not casualty (extra / of which not_figures) "
            "| wrong type | seconds | LLM calls |")
    lines = [head, "|" + "---|" * 12]
    for r in results:
        m = r["main"]
        f = m["found"] or {}
        found = f"{f.get('kind')} / {f.get('place')}" + (f" ({f['within']})" if f.get("within") else "") + \
            f" / {f.get('date')}" if f else "(no event)"
        e = m["expected"]
        fig = r["figures"]
        secs = r.get("seconds")
        lines.append(
            f"| {r['cluster']} | {found} | {e['kind']} / {e['place']} / {e['date']} | {_mark(m['kind_ok'])} "
            f"| {_mark(m['place_ok'])} | {_mark(m['date_ok'])} | {fig['found']} / {fig['expected']} "
            f"({fig['found_ki']} / {fig['expected_ki']}) | {fig['kept']} "
            f"| {fig['extra']} / {fig['not_figures']} | {fig['wrong_type']} "
            f"| {'' if secs is None else f'{secs:.0f}'} | {r.get('llm_calls', '')} |")
    tot = {k: sum(r["figures"][k] for r in results) for k in ("found", "expected", "kept", "extra",
                                                                 "not_figures", "wrong_type", "found_ki",
                                                                 "expected_ki")}
    ok = {k: sum(1 for r in results if r["main"][k]) for k in ("kind_ok", "place_ok", "date_ok")}
    dated = sum(1 for r in results if r["main"]["date_ok"] is not None)
    secs = sum(r.get("seconds") or 0 for r in results)
    calls = sum(r.get("llm_calls") or 0 for r in results)
    lines.append(f"| **total** | | | {ok['kind_ok']}/{len(results)} | {ok['place_ok']}/{len(results)} "
                 f"| {ok['date_ok']}/{dated} | {tot['found']} / {tot['expected']} "
                 f"({tot['found_ki']} / {tot['expected_ki']}) "
                 f"| {tot['kept']} "
                 f"| {tot['extra']} / {tot['not_figures']} | {tot['wrong_type']} | {secs:.0f} | {calls} |")
    return "\n".join(lines)


def details(results: list[dict[str, Any]]) -> str:
    out = []
    for r in results:
        fig = r["figures"]
        out.append(f"\n## {r['cluster']}  (title: {r['title']!r})")
        out.append(f"  main event label: {(r['main']['found'] or {}).get('label')!r}; "
                   f"right kind+place on any non-background event: {r['main']['any_event_ok']}; "
                   f"found figures with the wrong background flag: {fig['background_mislabelled']}")
        kinds = r.get("kinds", [])
        out.append(f"  events: {len(kinds)}, each titled by a kind one of its own sentences names: "
                   f"{sum(k['supported'] for k in kinds)}/{len(kinds)}")
        for k in kinds:
            if not k["supported"]:
                out.append(f"  KIND NOT IN ITS WORDS {k['label']!r} ({k['kind']}, {k['sentences']} sentences)")
        for m in fig["missed_list"]:
            out.append(f"  missed   {m['article']}: {m['words']!r} ({m['type']})")
        for k in fig["wrong_type_list"]:
            out.append(f"  wrong type {k['article']}: {k['words']!r} kept as {k['type']}, "
                       f"expected {k['expected_type']} [{k['event']}]")
        for k in fig["extra_list"]:
            tag = "NOT A FIGURE" if k in fig["not_figure_list"] else "unexpected"
            out.append(f"  {tag:12} {k['article']}: {k['words']!r} kept as {k['type']} "
                       f"(claimant {k['claimant']!r}) [{k['event']}]")
    return "\n".join(out)


def expected_clusters() -> list[str]:
    return sorted(p.stem for p in EXPECTED.glob("*.json") if (EXAMPLES / p.stem).is_dir())


def load_expected(cluster: str) -> dict[str, Any]:
    return json.loads((EXPECTED / f"{cluster}.json").read_text(encoding="utf-8"))


def run_cluster(cluster: str, cache: Path | None = None) -> dict[str, Any]:
    from summarizer import Settings, brief

    settings = Settings.from_env()
    if cache is not None:
        settings = settings.with_(cache_path=cache)
    t0 = time.perf_counter()
    b = brief([EXAMPLES / cluster], settings)
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
    args = ap.parse_args(argv)
    clusters = args.cluster or expected_clusters()
    if args.from_json and args.from_json.is_file() and not args.cluster:
        clusters = [args.from_json.stem]
    results = []
    for c in clusters:
        if args.fixtures:
            data = fixture_briefing(c)
        elif args.from_json:
            src = args.from_json / f"{c}.json" if args.from_json.is_dir() else args.from_json
            if not src.exists():
                print(f"skip {c}: no {src}", file=sys.stderr)
                continue
            data = json.loads(src.read_text(encoding="utf-8"))
        else:
            print(f"running {c} ...", file=sys.stderr, flush=True)
            data = run_cluster(c, args.cache)
            if args.save_briefings:
                args.save_briefings.mkdir(parents=True, exist_ok=True)
                (args.save_briefings / f"{c}.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
        if not (EXPECTED / f"{c}.json").exists():
            print(f"{c}: no expected file; briefing not scored", file=sys.stderr)
            continue
        r = score_briefing(data, load_expected(c))
        results.append(r)
        print(f"done {c}: {r['figures']['found']}/{r['figures']['expected']} figures, "
              f"{r['seconds'] or 0:.0f} s", file=sys.stderr, flush=True)
    print(table(results))
    print(details(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
