"""Briefing -> Markdown for people (``json_text`` gives JSON; ``summarizer.files`` writes files).

Article text is escaped before it enters Markdown, so an article cannot inject markup,
links or HTML into a report.
"""

from __future__ import annotations

import re

from ..language.chars import BIDI, CONTROL, HIDDEN
from ..schemas import BASIS_WORDS, Briefing, Citation, Claim, MergedEvent, NarrativeReport, Tally, tallies

# Inline markup. '(' ')' '!' '-' '+' '#' '{' '}' only matter next to an escaped '[' or at the start of
# a line, so they stay as written: a date reads 2016-02-21, not 2016\-02\-21.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|>~<&$^]|(?<=\w):(?=//)|(?<=\bwww)\.|@)")
# What would open a block where the text starts a line or a list item: "1. ", "- ", "+ ", "# ".
_MD_LEADING = re.compile(r"^(\d{1,9})([.)])|^([#+\-])")
# Terminal escapes (the Markdown often goes straight to a terminal), other C0/C1 controls, and
# bidi overrides that would make a cell read backwards.
_UNPRINTABLE = re.compile(f"[{CONTROL}{HIDDEN}{BIDI}]")


def esc(text: str | None) -> str:
    """Escape article-derived text for Markdown (and the HTML a Markdown renderer may emit).

    One line (no new block can start), every markup character backslash-escaped (no emphasis,
    link, image, raw HTML, entity or table cell), and bare URLs and e-mail addresses broken so
    GitHub-style autolinking leaves them as text. Rendered, the text reads as written.
    """
    if text is None:
        return ""
    text = _MD_SPECIAL.sub(r"\\\1", _UNPRINTABLE.sub("", " ".join(text.split())))
    return _MD_LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def _cite(c: Citation) -> str:
    return f"[{esc(c.article_id)} {c.start}–{c.end}]"


def _claim_row(c: Claim) -> str:
    who = esc(c.claimant) if c.claimant else "_unattributed_"
    if c.via:
        who += f" (via {esc(c.via)})"
    value = "—" if c.value is None else str(c.value)
    cites = ", ".join(_cite(x) for x in c.citations)
    row = f"| {who} | {value} | {esc(c.words)} | {', '.join(esc(a) for a in c.articles)} | {cites} |"
    # A part stands under its total, in the same columns, and is no claim of the tally.
    return "\n".join([row, *(f"| ↳ part: {esc(p.role)}, {esc(p.of)} | {'—' if p.value is None else p.value} "
                             f"| {esc(p.words)} | {esc(p.article_id)} | {_cite(p.citation)} |" for p in c.parts)])


def _tally(title: str, t: Tally) -> list[str]:
    if not t.claims:
        return []
    # Only vague figures ("dozens"): no number to give as low, best or high.
    span = (f"low {t.low}, best {t.best}, high {t.high}" if t.best is not None or t.low is not None
            else "no number given")
    lines = [f"**{title}** — {span}; "
             f"{'**disputed**' if t.disputed else 'not disputed'}; "
             f"{t.independent_sources} independent source(s)", "",
             "| claimant | figure | words | articles | citations |", "|---|---|---|---|---|"]
    lines += [_claim_row(c) for c in t.claims]
    return [*lines, ""]


def _own_word(basis: str) -> str:
    """Who says so when no one is named: the claimant itself, or the article in its own voice."""
    return "_its own claim_" if basis in ("claimed", "denied") else "_the article_"


def _who_did_it(events: list[MergedEvent]) -> list[str]:
    """Each event's perpetrators as the articles give them: who, what is said of them, who says so."""
    if not events:
        return []
    out = ["## Who did it", ""]
    for e in events:
        out += [f"**{esc(e.label)}** — {'**disputed**' if e.perpetrators_disputed else 'not disputed'}", "",
                "| who | basis | says who | articles | citations |", "|---|---|---|---|---|"]
        out += [f"| {esc(c.name)} | {BASIS_WORDS[c.basis]} | {esc(c.claimant) if c.claimant else _own_word(c.basis)} | "
                f"{', '.join(esc(a) for a in c.articles)} | {', '.join(_cite(x) for x in c.citations)} |"
                for c in e.perpetrator_claims]
        out.append("")
    return out


def to_markdown(b: Briefing) -> str:
    out = [f"# {esc(b.title)}", ""]
    if b.narrative:
        out += ["## What happened", ""]
        out += [f"- {esc(s.text)} {' '.join(_cite(c) for c in s.citations[:4])}" for s in b.narrative]
        out.append("")
    main = [e for e in b.events if not e.background]
    background = [e for e in b.events if e.background]
    out += ["## Casualties by event", ""]
    if not any(tallies(e) for e in main):
        out += ["_No grounded casualty figures._", ""]
    for e in main:
        if not tallies(e):
            continue
        when = f" — {e.date.isoformat()}" if e.date else ""
        out += [f"### {esc(e.label)}{when}", ""]
        for _, title, t in tallies(e):
            out += _tally(title, t)
    out += _who_did_it([e for e in main if e.perpetrator_claims])
    others = [e for e in main if not tallies(e)]
    if others:
        out += ["## Other events", ""]
        for e in others:
            when = f" ({e.date.isoformat()})" if e.date else ""
            out.append(f"- **{esc(e.label)}**{when}: {len(e.articles)} article(s) "
                       + " ".join(_cite(c) for c in e.citations[:3]))
        out.append("")
    if b.statements:
        out += ["## Statements", ""]
        for s in b.statements:
            words = f"“{esc(s.text)}”" if s.kind == "quote" else f"(paraphrase) {esc(s.text)}"
            topic = f" _[{esc(s.topic)}]_" if s.topic else ""
            out.append(f"- **{esc(s.speaker)}**: {words}{topic} — {', '.join(esc(a) for a in s.articles)} "
                       + " ".join(_cite(c) for c in s.citations[:3]))
        out.append("")
    if background:
        out += ["## Background (earlier events recalled by the articles)", ""]
        for e in background:
            figs = "; ".join(f"{esc(c.claimant) if c.claimant else 'unattributed'}: {esc(c.words)}"
                             + ("" if name == "killed" else f" {name}")
                             for name, _, t in tallies(e) if name != "injured" for c in t.claims)
            out.append(f"- {esc(e.label)}{': ' + figs if figs else ''} "
                       + " ".join(_cite(c) for c in (e.citations[:2])))
        out.append("")
    if b.actors:
        out += ["## Actors", "", "| actor | kind | also written | articles |", "|---|---|---|---|"]
        for a in b.actors:
            out.append(f"| {esc(a.name)} | {a.kind.value} | {esc(', '.join(a.aliases))} | {len(a.articles)} |")
        out.append("")
    out += ["## Sources", "", "| article | title | date | status | strategy | calls | tokens in/out |",
            "|---|---|---|---|---|---|---|"]
    for s in b.sources:
        status = s.status.value if not s.error else f"{s.status.value}: {esc(s.error)}"
        out.append(f"| {esc(s.id)} | {esc(s.title)} | {s.published or '?'} | {status} | {esc(s.strategy or '-')} | "
                   f"{s.usage.calls} | {s.usage.prompt_tokens}/{s.usage.completion_tokens} |")
    g = b.grounding
    r = b.run
    out += ["", "## Grounding and run", "",
            f"Records kept {g.kept}, repaired after a re-ask {g.repaired}, salvaged by dropping failed fields "
            f"{g.salvaged}, dropped {g.dropped_records}; values dropped {g.dropped_fields}"
            f"{f'; passages set aside as instructions to the model {g.set_aside}' if g.set_aside else ''}"
            f"{f'; grounded records in no event (no place or kind) {g.not_merged}' if g.not_merged else ''}"
            ". "
            "Every citation is "
            "`[article start–end]` into the article as given (the file as read_text() reads it).", "",
            *([f"Dropped, by reason: {', '.join(f'{esc(k)} {n}' for k, n in g.by_reason().items())}.", ""]
              if g.issues else []),
            f"Backend {esc(r.backend)}, model {esc(r.model)}, strategy {esc(r.strategy)}; "
            f"{r.usage.calls} LLM calls, "
            f"{r.usage.prompt_tokens} prompt + {r.usage.completion_tokens} completion tokens; "
            f"{r.duration_s:.1f} s; articles ok {r.articles_ok}, failed {r.articles_failed}.", "",
            _narrative_note(r.narrative), ""]
    return "\n".join(out)


def _narrative_note(n: NarrativeReport) -> str:
    if n.source == "model":
        return (f"Summary written by the model from the merged records: {n.kept} sentence(s) kept, {n.dropped} "
                f"dropped (a number or name not in the records they cite), {n.reasks} re-ask(s).")
    dropped = f"; the model's {n.dropped} sentence(s) were dropped" if n.dropped else ""
    return f"Summary written from the merged records by a fixed template{dropped}."
