"""Scoring one briefing against hand-written facts: main event, events, figures per role, census
precision, claimants and perpetrators (issues 21 and 22). No model, no article text needed.

Inputs are plain dicts, so a briefing of any branch can be scored:
- the briefing's JSON (``summarizer brief --format json``);
- the expected facts (``tests/fixtures/expected/<cluster>.json``; see its README), or None;
- the census of number mentions (``<cluster>.tsv``: article, start, end, text, role, status, note),
  or None.

How a briefing is read (``tallies``): an event's tallies are found by role name, so the reader
serves a briefing with only ``killed``/``injured`` and one with more roles alike: a key named by a
role holding ``{"claims": [...]}`` (``"missing": {...}``), such a key inside a container
(``"casualties": {"missing": {...}}``), or a list of tallies each naming its ``role``. A claim that
names its own ``role``/``type`` is counted under that role.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

ROLES = ("killed", "injured", "missing", "displaced", "affected", "arrested", "hospitalized", "cases")
# Other names a branch may give a role's tally (the census and the expected files use ROLES).
_ROLE_NAMES = {**{r: r for r in ROLES}, "dead": "killed", "deaths": "killed", "wounded": "injured",
               "injuries": "injured", "evacuated": "displaced", "homeless": "displaced",
               "detained": "arrested", "infected": "cases", "sick": "cases"}
CASUALTY_ROLES = frozenset(ROLES)


def _norm(s: str | None) -> str:
    s = (s or "").lower().replace("\u00a0", " ").replace("\u2019", "'")
    return re.sub(r"\s+", " ", s).strip()


def _digits(s: str) -> set[int]:
    return {int(d.replace(",", "")) for d in re.findall(r"\d[\d,]*", s)}


def role_of(name: Any) -> str | None:
    return _ROLE_NAMES.get(_norm(name)) if isinstance(name, str) else None


# --- reading a briefing ----------------------------------------------------------------------


def tallies(event: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(role, tally) for every tally of ``event``, wherever the briefing keeps it (module doc)."""
    out: list[tuple[str, dict[str, Any]]] = []

    def is_tally(v: Any) -> bool:
        return isinstance(v, dict) and isinstance(v.get("claims"), list)

    for key, val in event.items():
        role = role_of(key)
        if role and is_tally(val):
            out.append((role, val))
        elif isinstance(val, dict):
            out += [(r, v) for k, v in val.items() if (r := role_of(k)) and is_tally(v)]
        elif isinstance(val, list):
            for item in val:
                if is_tally(item) and (r := role_of(item.get("role") or item.get("type"))):
                    out.append((r, item))
    return out


def _combined(event: dict[str, Any]) -> bool:
    return bool(event.get("combined")) or "(combined toll)" in (event.get("label") or "")


def kept_figures(briefing: dict[str, Any]) -> list[dict[str, Any]]:
    """Every (claim, article) pair of every tally of every event, with its role and cited spans."""
    out = []
    for ev in briefing.get("events", []):
        for role, tally in tallies(ev):
            for claim in tally["claims"]:
                typ = role_of(claim.get("role") or claim.get("type")) or role
                for art in claim.get("articles", []):
                    spans = [(c["start"], c["end"]) for c in claim.get("citations", [])
                             if c.get("article_id") == art and "start" in c]
                    out.append({"article": art, "type": typ, "value": claim.get("value"),
                                "words": claim.get("words", ""), "claimant": claim.get("claimant"),
                                "via": claim.get("via"), "spans": spans, "event": ev.get("label"),
                                "background": bool(ev.get("background")), "combined": _combined(ev)})
    return out


def perpetrator_names(briefing: dict[str, Any], background: bool = False) -> list[str]:
    """Distinct names given as perpetrators of the (non-)background events."""
    actors = {a.get("id"): a.get("name") for a in briefing.get("actors", []) if isinstance(a, dict)}
    names: list[str] = []
    for ev in briefing.get("events", []):
        if bool(ev.get("background")) != background:
            continue
        for p in ev.get("perpetrators") or []:
            if isinstance(p, str):
                name = actors.get(p) or p
            elif isinstance(p, dict):
                name = p.get("name") or actors.get(p.get("actor") or p.get("id")) or p.get("value")
            else:
                continue
            if name and name not in names:
                names.append(name)
    return names


# A dateline opening a line: "DUNMORE, Pennsylvania —", "LONDON (Reuters) -", "FORT HOOD, Texas --".
_DATELINE = re.compile(r"(?:^|\n)[ \t]*([A-Z][A-Z'\u2019.-]+(?:[ \t]+[A-Z][A-Z'\u2019.-]+)*)"
                       r"(?:,[^\n,\u2014\u2013]{1,40}?)?[ \t]*(?:\([^)\n]{1,40}\)[ \t]*)?(?:\u2014|\u2013|--|-)[ \t]")


def dateline_names(briefing: dict[str, Any]) -> list[str]:
    """Claimants, relays, speakers and perpetrators that are a capitalized dateline word of an
    article the briefing carries (``sources[].text``): a dateline is place and date, never a name."""
    words = {m.group(1) for src in briefing.get("sources", []) for m in _DATELINE.finditer(src.get("text") or "")}
    if not words:
        return []
    names = [k[x] for k in kept_figures(briefing) for x in ("claimant", "via") if k.get(x)]
    names += [st.get("speaker") for st in briefing.get("statements", []) if st.get("speaker")]
    names += perpetrator_names(briefing) + perpetrator_names(briefing, background=True)
    return sorted({n for n in names if n.strip() in words})


# --- matching ----------------------------------------------------------------------------------

_LEAD = re.compile(r"^(?:the|a|an)\s+")


def _name_core(s: str | None) -> str:
    return _LEAD.sub("", _norm(s).replace("'s ", " ").strip(" .,:;\"'"))


def same_name(a: str | None, b: str | None, proper: bool = False) -> bool:
    """Two names of one party: equal, one inside the other at word bounds ("Mike Richey" / "Fire
    Department Battalion Chief Mike Richey"), the same first and last words ("Nidal Hasan" /
    "Nidal Malik Hasan"), or one the initials of the other ("the U.N." / "United Nations").
    ``proper``: the shorter one counts inside the longer only when it holds a capitalized word, so
    "the group" never names "Islamic State group" (perpetrators)."""
    x, y = _name_core(a), _name_core(b)
    if not x or not y:
        return False
    if x == y:
        return True
    (short, s_raw), (long_, _) = sorted(((x, a or ""), (y, b or "")), key=lambda t: len(t[0]))
    capital = bool(re.search(r"\b(?!The\b)[A-Z]", s_raw))
    if (capital or not proper) and re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long_):
        return True
    xs, ys = x.split(), y.split()
    if len(xs) > 1 and len(ys) > 1 and xs[0] == ys[0] and xs[-1] == ys[-1]:
        return True
    return any(re.sub(r"[.\s]", "", _name_core(u)) == _initials(v) for u, v in ((a, b), (b, a)))


def _initials(name: str | None) -> str:
    """"United Nations" -> "un", "Syrian Observatory for Human Rights" -> "sohr" (two capitals at least)."""
    caps = [w[0] for w in re.findall(r"[^\W\d_][\w'-]*", name or "") if w[0].isupper() and w.lower() != "the"]
    return "".join(caps).lower() if len(caps) >= 2 else "\0"


def same_claimant(kept: str | None, expected: str | None) -> bool:
    if not kept or not expected:
        return not kept and not expected
    return same_name(kept, expected)


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


def place_ok(found: str | None, within: str | None, acceptable: list[str]) -> bool:
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


def _acronym(name: str) -> set[str]:
    caps = [w[0] for w in name.split() if w[:1].isupper()]
    if len(caps) < 2:
        return set()
    a = "".join(caps).lower()
    return {a, ".".join(a) + "."}


def party_named(party: str, text: str) -> bool:
    """A party is named in ``text`` by its name, the last word of a multi-word name, or its
    initials ("U.S." for "United States")."""
    t = _norm(text)
    forms = {_name_core(party), *_acronym(party)}
    words = _name_core(party).split()
    if len(words) > 1 and len(words[-1]) >= 4:
        forms.add(words[-1])
    return any(f and re.search(rf"(?<![\w.]){re.escape(f)}(?!\w)", t) for f in forms)


# --- census ------------------------------------------------------------------------------------


def read_census(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Rows of a census TSV by article: start, end, text, role, status."""
    out: dict[str, list[dict[str, Any]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            out.setdefault(row["article"], []).append(
                {"start": int(row["start"]), "end": int(row["end"]), "text": row["text"],
                 "role": row["role"], "status": row.get("status") or "-"})
    return out


def census_row(k: dict[str, Any], census: dict[str, list[dict[str, Any]]]) -> dict[str, Any] | None:
    """The census mention a kept figure cites (its citation overlaps the mention's span)."""
    for s, e in k["spans"]:
        for row in census.get(k["article"], []):
            if row["start"] < e and s < row["end"]:
                return row
    return None


# --- scoring -----------------------------------------------------------------------------------


def _main(briefing: dict[str, Any], me: dict[str, Any]) -> dict[str, Any]:
    events = briefing.get("events", [])
    main = events[0] if events else None
    acceptable = [me["place"], *me.get("place_any", [])] if me.get("place") else list(me.get("place_any", []))
    if main is None:
        p_ok = False
    elif me.get("place") is None:
        # Nothing happened in one place: right when no place is made up (or the one given is acceptable).
        p_ok = not main.get("place") or place_ok(main.get("place"), main.get("within"), acceptable)
    else:
        p_ok = place_ok(main.get("place"), main.get("within"), acceptable)
    parties = me.get("parties") or []
    said = " ".join(str(x) for x in (briefing.get("title"), (main or {}).get("label"),
                                     (main or {}).get("matter"), *((main or {}).get("parties") or [])) if x)
    named = [p for p in parties if party_named(p, said)]
    return {
        "expected": {"kind": me["kind"], "place": me.get("place"), "date": me.get("date"),
                     "matter": me.get("matter"), "parties": parties},
        "found": ({"kind": main.get("kind"), "place": main.get("place"), "within": main.get("within"),
                   "date": main.get("date"), "label": main.get("label")} if main else None),
        "kind_ok": bool(main) and main.get("kind") == me["kind"],
        "place_ok": p_ok,
        "date_ok": None if me.get("date") is None else (bool(main) and main.get("date") == me["date"]),
        "parties": None if not parties else {"named": len(named), "expected": len(parties)},
        "any_event_ok": any(e.get("kind") == me["kind"] and place_ok(e.get("place"), e.get("within"), acceptable)
                            for e in events if not e.get("background")),
    }


def _census_score(kept: list[dict[str, Any]], census: dict[str, list[dict[str, Any]]] | None) -> dict[str, Any] | None:
    if census is None:
        return None
    per_role = {r: {"kept": 0, "right": 0, "other_casualty_role": 0, "not_casualty": 0, "no_mention": 0}
                for r in ROLES}
    wrong, status_wrong = [], []
    for k in kept:
        row = census_row(k, census)
        pr = per_role[k["type"]]
        pr["kept"] += 1
        if row is None:
            pr["no_mention"] += 1
            continue
        if row["role"] == k["type"]:
            pr["right"] += 1
            st = row["status"]
            if (st == "background") != k["background"] or st == "projection":
                status_wrong.append({**_brief(k), "census_status": st})
            continue
        pr["other_casualty_role" if row["role"] in CASUALTY_ROLES else "not_casualty"] += 1
        wrong.append({**_brief(k), "census_role": row["role"], "census_text": row["text"]})
    # Recall by mention: the census's stated figures of a role (projections are none) that a kept
    # figure of that role cites.
    for pr in per_role.values():
        pr.update(mentions=0, mentions_cited=0)
    for art, rows in census.items():
        for row in rows:
            if row["role"] not in CASUALTY_ROLES or row["status"] == "projection":
                continue
            pr = per_role[row["role"]]
            pr["mentions"] += 1
            pr["mentions_cited"] += any(k["type"] == row["role"] and k["article"] == art and any(
                a < row["end"] and row["start"] < b for a, b in k["spans"]) for k in kept)
    tot = {key: sum(p[key] for p in per_role.values()) for key in ("kept", "right", "other_casualty_role",
                                                                     "not_casualty", "no_mention", "mentions",
                                                                     "mentions_cited")}
    return {"per_role": per_role, **tot, "wrong_role": len(wrong), "wrong_list": wrong,
            "status_wrong": len(status_wrong), "status_wrong_list": status_wrong}


def _brief(k: dict[str, Any]) -> dict[str, Any]:
    return {x: k[x] for x in ("article", "type", "value", "words", "claimant", "event", "background")}


def _figures(kept: list[dict[str, Any]], expected: dict[str, Any]) -> dict[str, Any]:
    exp = expected["figures"]
    found, missed, claim_ok, claim_wrong = [], [], 0, []

    def inside(e: dict[str, Any], k: dict[str, Any]) -> bool:
        return "evidence_start" in e and any(e["evidence_start"] <= a and b <= e["evidence_end"] for a, b in k["spans"])

    # One kept figure finds one expected figure (a number stated twice for two happenings needs two):
    # first the kept figures citing an expected figure's own sentence (devset files give it), then any.
    used: dict[int, int] = {}
    for strict in (True, False):
        for j, e in enumerate(exp):
            if j in used.values():
                continue
            cands = [i for i, k in enumerate(kept) if i not in used and k["type"] == e["type"]
                     and _same_figure(k, e) and (inside(e, k) or not strict)]
            cands.sort(key=lambda i: not same_claimant(kept[i]["claimant"], e.get("claimant")))
            if cands:
                used[cands[0]] = j
    by_exp = {j: i for i, j in used.items()}
    for j, e in enumerate(exp):
        hit = [kept[by_exp[j]]] if j in by_exp else []
        (found if hit else missed).append({**e, "kept_as": hit[:1]})
        if hit:
            if same_claimant(hit[0]["claimant"], e.get("claimant")):
                claim_ok += 1
            else:
                claim_wrong.append({"article": e["article"], "words": e["words"], "type": e["type"],
                                    "expected": e.get("claimant"), "kept": hit[0]["claimant"]})
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
    per_role = {r: {"expected": sum(1 for e in exp if e["type"] == r),
                    "found": sum(1 for e in found if e["type"] == r),
                    "kept": sum(1 for k in kept if k["type"] == r)} for r in ROLES}
    bg_wrong = [f for f in found if f["kept_as"] and f["kept_as"][0]["background"] != f["background"]]
    # "deaths_stated" (optional) overrides: a death told without a numeral ("a girl was killed")
    deaths_expected = expected.get("deaths_stated", any(e["type"] == "killed" and not e["background"] for e in exp))
    return {
        "expected": len(exp), "found": len(found), "kept": len(kept), "matched_kept": matched,
        "expected_ki": per_role["killed"]["expected"] + per_role["injured"]["expected"],
        "found_ki": per_role["killed"]["found"] + per_role["injured"]["found"],
        "per_role": per_role,
        "extra": len(extra), "not_figures": len(not_fig), "wrong_type": len(wrong_type),
        "background_mislabelled": len(bg_wrong),
        # a cluster whose text states no death of today must show no death figure of today
        "deaths_expected": deaths_expected,
        "killed_kept_today": sum(1 for k in kept if k["type"] == "killed" and not k["background"]),
        "claimant_right": claim_ok, "claimant_wrong_list": claim_wrong,
        "missed_list": [{k: m[k] for k in ("article", "words", "type")} for m in missed],
        "extra_list": extra, "not_figure_list": not_fig, "wrong_type_list": wrong_type,
    }


def _claim_spans(briefing: dict[str, Any]) -> dict[str, list[tuple[str, int, int]]]:
    """Where each perpetrator of a (non-background) event is named as such: (article, start, end)."""
    out: dict[str, list[tuple[str, int, int]]] = {}
    for ev in briefing.get("events", []):
        if ev.get("background"):
            continue
        for c in ev.get("perpetrator_claims") or []:
            if c.get("basis") != "denied":
                out.setdefault(c.get("name", ""), []).extend(
                    (x["article_id"], x["start"], x["end"]) for x in c.get("citations", []) if "start" in x)
    return out


def _perpetrators(briefing: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any] | None:
    named = perpetrator_names(briefing)
    bg = perpetrator_names(briefing, background=True)
    if "perpetrators" not in expected:
        return {"named": len(named), "names": named, "background_names": bg, "right": None,
                "expected": None, "named_where_none": None, "wrong_list": []}
    exp = [p["name"] for p in expected["perpetrators"]]
    spans = _claim_spans(briefing)

    def is_right(n: str, e: dict[str, Any]) -> bool:
        # The same name, or the name cited inside the expected fact's own evidence (the article's own
        # spelling: "Rachid Radouane" in the sentence the expected fact gives for "Rachid Redouane").
        return same_name(n, e["name"], proper=True) or any(
            a == e.get("article") and e.get("evidence_start", -1) <= s and t <= e.get("evidence_end", -1)
            for a, s, t in spans.get(n, ()))

    right = [n for n in named if any(is_right(n, e) for e in expected["perpetrators"])]
    not_p = [p["name"] if isinstance(p, dict) else p for p in expected.get("not_perpetrators", [])]
    return {"named": len(named), "names": named, "background_names": bg, "right": len(right),
            "expected": len(exp),
            "found": sum(1 for e in expected["perpetrators"] if any(is_right(n, e) for n in named)),
            "named_where_none": len(named) if not exp else 0,
            "named_not_perpetrator": sum(1 for n in named if any(same_name(n, x, proper=True) for x in not_p)),
            "wrong_list": [n for n in named if n not in right]}


def score_briefing(briefing: dict[str, Any], expected: dict[str, Any] | None,
                   census: dict[str, list[dict[str, Any]]] | None = None, cluster: str | None = None) -> dict[str, Any]:
    """Score one briefing (its JSON as a dict) against expected facts and/or a census (either may
    be None: what it alone can say is scored)."""
    events = briefing.get("events", [])
    today = [e for e in events if not e.get("background") and not _combined(e)]
    kept = kept_figures(briefing)
    run = briefing.get("run") or {}
    res: dict[str, Any] = {
        "cluster": (expected or {}).get("cluster") or cluster, "title": briefing.get("title"),
        "has_expected": expected is not None, "has_census": census is not None,
        "events": {"found": len(today), "all": len(events),
                   "expected": (expected or {}).get("events_expected")},
        "kinds": event_kinds(briefing),
        "census": _census_score(kept, census),
        "seconds": run.get("duration_s"), "llm_calls": (run.get("usage") or {}).get("calls"),
        "kept": len(kept), "dateline_names": dateline_names(briefing),
    }
    ex = res["events"]["expected"]
    res["events"]["ok"] = None if ex is None else res["events"]["found"] == ex
    if expected is not None:
        res["main"] = _main(briefing, expected["main_event"])
        res["figures"] = _figures(kept, expected)
        res["perpetrators"] = _perpetrators(briefing, expected)
    return res


def event_kinds(briefing: dict[str, Any]) -> list[dict[str, Any]]:
    """Every event's kind and whether the words of one of its own cited sentences name it. Needs the
    summarizer package; a kind it does not know is reported unsupported."""
    try:
        from summarizer.grounding.kinds import supports
        from summarizer.schemas import EventKind
    except ImportError:  # scoring saved briefings without the package
        return []
    out = []
    for e in briefing.get("events", []):
        texts = [c["text"] for c in e.get("citations", []) if c.get("text")]  # none in a saved devset briefing
        try:
            kind = EventKind(e["kind"])
        except ValueError:
            out.append({"label": e.get("label"), "kind": e["kind"], "supported": False, "sentences": len(texts)})
            continue
        ok = kind == EventKind.OTHER or any(supports(t, kind) for t in texts)
        out.append({"label": e.get("label"), "kind": kind.value, "supported": ok, "sentences": len(texts)})
    return out
