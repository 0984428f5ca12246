"""The newcomer stories' own checks (issue 22; tests/fixtures/newcomer/README.md): what the 24-cluster
scorer (``cluster_score.score_briefing``) does not read from their expected facts. Plain dicts in,
no model, no article text:

- parts (``figures[].part_of``): kept under a claim of their total (``claims[].parts``), and never a
  claim of a tally of their role (that would let them set low, best or high);
- disputed tallies (``disputed``): one event whose tally of that role holds every claimed value with
  its claimant, marked disputed;
- statements: a statement of that article whose words hold the expected quote whole, said by the
  expected speaker; ``speaker_not`` / ``not_claimants`` / ``not_places``: names that must not stand
  as a speaker / claimant / place (or in an event's label);
- persons: actors listed as persons whose name is also a statement's or claim's organisation
  (``speaker_not`` names listed as persons count as wrong too).
"""

from __future__ import annotations

import re
from typing import Any

from cluster_score import same_claimant, same_name, tallies


def _words_in(name: str, text: str | None) -> bool:
    return bool(text) and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text or "") is not None


def _parts(briefing: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    found, as_toll, missed = 0, 0, []
    events = [e for e in briefing.get("events", []) if not e.get("background")]
    for f in (x for x in expected["figures"] if x.get("part_of") is not None):
        under = any(p.get("value") == f["value"] and p.get("article_id") == f["article"]
                    and c.get("value") == f["part_of"]
                    for e in events for _, t in tallies(e) for c in t["claims"] for p in c.get("parts", []))
        toll = any(c.get("value") == f["value"] and f["article"] in c.get("articles", [])
                   and any(x.get("text") == f["words"] or x.get("text", "").lower() == f["words"].lower()
                           for x in c.get("citations", []))
                   for e in events for _, t in tallies(e) for c in t["claims"])
        found += under
        as_toll += toll
        if not under:
            missed.append(f"{f['article']}: {f['words']!r} (part of {f['part_of']})"
                          + (" kept AS A TOLL" if toll else ""))
    n = sum(1 for x in expected["figures"] if x.get("part_of") is not None)
    return {"expected": n, "under_total": found, "as_toll": as_toll, "missed": missed}


def _disputed(briefing: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    right, wrong = 0, []
    for d in expected.get("disputed", []):
        ok = False
        for e in briefing.get("events", []):
            for role, t in tallies(e):
                if role != d["type"] or not t.get("disputed"):
                    continue
                if all(any(c.get("value") == x["value"] and same_claimant(c.get("claimant"), x["claimant"])
                           for c in t["claims"]) for x in d["claims"]):
                    ok = True
        right += ok
        if not ok:
            wrong.append(", ".join(f"{x['value']} by {x['claimant']}" for x in d["claims"]))
    return {"expected": len(expected.get("disputed", [])), "right": right, "wrong": wrong}


def _statements(briefing: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    whole, speaker_right, wrong = 0, 0, []
    for s in expected.get("statements", []):
        mine = [m for m in briefing.get("statements", [])
                if s["quote"].rstrip(",. ") in (m.get("text") or "")
                and any(c.get("article_id") == s["article"] for c in m.get("citations", []))]
        whole += bool(mine)
        good = any(same_name(m.get("speaker"), s["speaker"]) for m in mine)
        speaker_right += good
        if not good:
            wrong.append(f"{s['article']}: {s['quote']!r} expected {s['speaker']!r}, got "
                         f"{sorted({m.get('speaker') for m in mine}) or 'no whole quote'}")
    return {"expected": len(expected.get("statements", [])), "whole": whole, "speaker_right": speaker_right,
            "wrong": wrong}


def _forbidden(briefing: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Names standing where the expected facts say they must not."""
    out = []
    events = briefing.get("events", [])
    for name in expected.get("not_places", []):
        for e in events:
            if any(_words_in(name, e.get(k)) for k in ("place", "within", "label")):
                out.append(f"place {name!r} in {e.get('label')!r}")
    claimants = {c.get(k) for e in events for _, t in tallies(e) for c in t["claims"] for k in ("claimant", "via")}
    for name in expected.get("not_claimants", []):
        out += [f"claimant {c!r}" for c in claimants if c and _words_in(name, c)]
    speakers = {m.get("speaker") for m in briefing.get("statements", [])}
    persons = {a.get("name") for a in briefing.get("actors", []) if a.get("kind") == "person"}
    for name in expected.get("speaker_not", []):
        if " " in name and name[:1].islower():  # a role noun ("federation president") stands as itself
            out += [f"speaker {s!r}" for s in speakers if s and s.lower() == name.lower()]
        elif name[:1].isupper() and "alone" not in name:
            out += [f"speaker {s!r}" for s in speakers if s == name]
            out += [f"person {p!r}" for p in persons if p == name]
    return out


def _surnames_alone(briefing: dict[str, Any]) -> list[str]:
    """Speakers and claimants given by one word where an actor of the briefing has it as its last name."""
    full = {a["name"].split()[-1]: a["name"] for a in briefing.get("actors", [])
            if a.get("kind") == "person" and len(a.get("name", "").split()) > 1}
    names = {m.get("speaker") for m in briefing.get("statements", [])}
    names |= {c.get("claimant") for e in briefing.get("events", []) for _, t in tallies(e) for c in t["claims"]}
    return sorted(n for n in names if n and " " not in n and n in full)


def newcomer_checks(briefing: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    return {"parts": _parts(briefing, expected), "disputed": _disputed(briefing, expected),
            "statements": _statements(briefing, expected), "forbidden": _forbidden(briefing, expected),
            "surnames_alone": _surnames_alone(briefing)}


def table_newcomer(rows: list[tuple[str, dict[str, Any]]]) -> str:
    lines = ["| story | parts under their total (kept as a toll) | disputed tallies right | whole quotes "
             "| speaker right | names where they must not be | surname alone |", "|" + "---|" * 7]
    tot = {k: 0 for k in ("pe", "pu", "pt", "de", "dr", "se", "sw", "sr", "f", "s")}
    for name, r in rows:
        p, d, s = r["parts"], r["disputed"], r["statements"]
        lines.append(f"| {name} | {p['under_total']}/{p['expected']} ({p['as_toll']}) | {d['right']}/{d['expected']} "
                     f"| {s['whole']}/{s['expected']} | {s['speaker_right']}/{s['expected']} "
                     f"| {len(r['forbidden'])} | {len(r['surnames_alone'])} |")
        for k, v in (("pe", p["expected"]), ("pu", p["under_total"]), ("pt", p["as_toll"]), ("de", d["expected"]),
                     ("dr", d["right"]), ("se", s["expected"]), ("sw", s["whole"]), ("sr", s["speaker_right"]),
                     ("f", len(r["forbidden"])), ("s", len(r["surnames_alone"]))):
            tot[k] += v
    lines.append(f"| **total** | {tot['pu']}/{tot['pe']} ({tot['pt']}) | {tot['dr']}/{tot['de']} "
                 f"| {tot['sw']}/{tot['se']} | {tot['sr']}/{tot['se']} | {tot['f']} | {tot['s']} |")
    for name, r in rows:
        for line in (r["parts"]["missed"] + [f"disputed not shown: {w}" for w in r["disputed"]["wrong"]]
                     + r["statements"]["wrong"] + r["forbidden"]
                     + [f"surname alone: {n}" for n in r["surnames_alone"]]):
            lines.append(f"- {name}: {line}")
    return "\n".join(lines)
