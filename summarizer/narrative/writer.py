"""The summary paragraph: every sentence states merged records and cites them.

Two writers, one contract (``NarrativeSentence``: text, the ids of the records it states, and
those records' citations):

* ``template`` — deterministic, one sentence per day event, built from its records. Used on the
  embedded model, with ``--no-narrative`` (``Settings.narrative=False``), and as the fallback.
* ``write`` — capable backends: one structured call. The model gets the merged records as
  delimited data and returns sentences, each with the ids of the records it states. A sentence
  passes when its ids exist and every number and every name in it occurs in the records it
  cites; the problems of failing sentences are shown to the model in the validation re-ask
  (the draft's validator, with the records as ``context``). A sentence that still fails is
  dropped and counted; when none survives, the template is used.

Names are checked word by word (each capitalized word must occur in the cited records or in the
names of the actors they involve), numbers by value (``numbers.find_numbers``): "57" passes only
where a cited record holds 57.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from .. import lexicon
from ..backends import Backend, Request
from ..errors import BackendError, ConfigError, redact
from ..extraction import prompts
from ..language.folding import fold_text
from ..language.numbers import find_numbers
from ..logs import redacted_exc_info
from ..schemas import Briefing, Citation, MergedEvent, MergedStatement, NarrativeReport, NarrativeSentence
from ..settings import Settings
from .template import template

log = logging.getLogger(__name__)

PROMPT_NAME = "narrative"
MAX_STATEMENTS = 12  # the prompt stays small: the most-reported statements only
MAX_CITATIONS = 8
MAX_ISSUES = 20
_WORD = re.compile(r"[^\W\d_]{2,}")


def prompt_tag(settings: Settings) -> str:
    return prompts.load(PROMPT_NAME, settings.prompts_dir).tag


def uses_model(settings: Settings, backend: Backend) -> bool:
    """The model writes the paragraph only on a capable backend, and only when allowed to."""
    if not settings.narrative or backend.name == "embedded":
        return False
    return backend.default_strategy == "whole" or settings.strategy == "whole"


# --- the records as the model sees them, and what each one allows a sentence to say ----------


def _tally_data(e: MergedEvent, which: str) -> dict[str, Any] | None:
    t = getattr(e, which)
    if not t.claims:
        return None
    return {"low": t.low, "best": t.best, "high": t.high, "disputed": t.disputed,
            "independent_sources": t.independent_sources,
            "claims": [{"value": c.value, "words": c.words, "claimant": c.claimant, "via": c.via,
                        "articles": len(c.articles)} for c in t.claims]}


def _event_data(e: MergedEvent, names: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": e.id, "label": e.label, "kind": e.kind.value, "place": e.place,
                            "within": e.within, "date": e.date.isoformat() if e.date else None,
                            "background": e.background,
                            "perpetrators": [names.get(p, p) for p in e.perpetrators]}
    for which in ("killed", "injured"):
        tally = _tally_data(e, which)
        if tally:
            data[which] = tally
    return data


def _statement_data(s: MergedStatement) -> dict[str, Any]:
    return {"id": s.id, "speaker": s.speaker, "kind": s.kind.value, "text": s.text, "topic": s.topic,
            "articles": len(s.articles)}


@dataclass
class _Facts:
    """What one merged record allows a sentence citing it to say."""

    numbers: set[int] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    date: dt.date | None = None
    citations: list[Citation] = field(default_factory=list)
    figures: dict[int, list[Citation]] = field(default_factory=dict)


def _words(text: str) -> set[str]:
    return {w for w in (fold_text(m) for m in _WORD.findall(text))}


def _facts_of(data: dict[str, Any], aliases: list[str], citations: list[Citation],
              figures: dict[int, list[Citation]]) -> _Facts:
    blob = json.dumps({k: v for k, v in data.items() if k != "id"}, ensure_ascii=False)  # "statement:3" is no 3
    facts = _Facts(words=_words(blob) | _words(" ".join(aliases)), citations=citations, figures=figures)
    # Only figures and the numbers of the records' own words: not article counts, not date parts
    # ("killed 21" must not pass because the date is the 21st; dates are checked as dates).
    facts.numbers = set(figures)
    for which in ("killed", "injured"):
        tally = data.get(which) or {}
        facts.numbers |= {tally[k] for k in ("low", "best", "high") if tally.get(k) is not None}
        for claim in tally.get("claims", []):
            facts.numbers |= {n.value for n in find_numbers(claim.get("words") or "") if n.value is not None}
    for key in ("label", "text"):
        facts.numbers |= {n.value for n in find_numbers(data.get(key) or "") if n.value is not None}
    if data.get("date"):  # a sentence may say "Sunday", "February" or "21 February 2016" for the date
        facts.date = day = dt.date.fromisoformat(data["date"])
        lex = lexicon.current()
        facts.words |= {lex.months[day.month - 1], lex.weekdays[day.weekday()]}
    return facts


def _date_pattern(lex: lexicon.Lexicon) -> re.Pattern[str]:
    month = r"(?:" + "|".join(m.capitalize() for m in lex.months) + r")"
    return re.compile(rf"\b{month}\s+(?P<d1>\d{{1,2}})(?:,?\s+(?P<y1>\d{{4}}))?\b|"
                      rf"\b(?P<d2>\d{{1,2}})\s+{month}(?:,?\s+(?P<y2>\d{{4}}))?\b|"
                      r"\b(?:in|of|since)\s+(?P<y3>(?:19|20)\d\d)\b")


def _date_spans(text: str, dates: set[dt.date]) -> list[tuple[int, int]]:
    """Where the sentence writes one of its records' dates (day and year must be that date's)."""
    spans = []
    for m in lexicon.current().compiled("narrative_date", _date_pattern).finditer(text):
        day, year = m.group("d1") or m.group("d2"), m.group("y1") or m.group("y2") or m.group("y3")
        if any((day is None or int(day) == d.day) and (year is None or int(year) == d.year) for d in dates):
            spans.append(m.span())
    return spans


def records(b: Briefing) -> tuple[list[dict[str, Any]], dict[str, _Facts]]:
    """The merged records given to the model, and each record's facts for checking sentences."""
    names = {a.id: a.name for a in b.actors}
    aliases = {a.id: [a.name, *a.aliases] for a in b.actors}
    by_name = {n: a.id for a in b.actors for n in (a.name, *a.aliases)}
    data: list[dict[str, Any]] = []
    facts: dict[str, _Facts] = {}
    for e in b.events:
        d = _event_data(e, names)
        involved = list(e.perpetrators) + [by_name[c.claimant] for c in e.killed.claims + e.injured.claims
                                           if c.claimant in by_name]
        figures: dict[int, list[Citation]] = {}
        for c in e.killed.claims + e.injured.claims:
            if c.value is not None:
                figures.setdefault(c.value, []).extend(c.citations)
        data.append(d)
        facts[e.id] = _facts_of(d, [n for a in involved for n in aliases.get(a, [])], e.citations, figures)
    for s in b.statements[:MAX_STATEMENTS]:
        d = _statement_data(s)
        data.append(d)
        facts[s.id] = _facts_of(d, aliases.get(s.speaker_actor or "", []), s.citations, {})
    return data, facts


def delimited(data: list[dict[str, Any]]) -> str:
    """JSON lines. '<' and '>' are escaped so no article text can close the <records> tag (Jinja
    syntax in the text is the backend's concern: see backends/_instructor.jinja_proof)."""
    lines = []
    for d in data:
        line = json.dumps(d, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
        lines.append(line)
    return "\n".join(lines)


# --- what the model returns, and the check each sentence must pass ----------------------------


class DraftSentence(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str = Field(description="One sentence of the summary.", max_length=400)
    refs: list[str] = Field(description="Ids of the records the sentence states.", max_length=6)


class NarrativeDraft(BaseModel):
    model_config = ConfigDict(extra="ignore")

    sentences: list[DraftSentence] = Field(max_length=6)

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> NarrativeDraft:
        ctx = info.context
        if isinstance(ctx, dict) and "facts" in ctx:
            errors = [f"sentence {i} ({s.text[:60]!r}): {p}"
                      for i, s in enumerate(self.sentences, 1) for p in problems(s, ctx["facts"])]
            if errors:
                raise ValueError("; ".join(errors))
        return self


def problems(s: DraftSentence, facts: dict[str, _Facts]) -> list[str]:
    """Why a sentence may not stand: unknown ids, or a number or name its records do not hold."""
    if not s.refs:
        return ["cite at least one record id in refs"]
    unknown = [r for r in s.refs if r not in facts]
    if unknown:
        return [f"unknown record id {r!r}; use only ids from the records" for r in unknown]
    cited = [facts[r] for r in s.refs]
    numbers = set().union(*(f.numbers for f in cited))
    words = set().union(*(f.words for f in cited))
    dates = _date_spans(s.text, {f.date for f in cited if f.date})
    out = []
    for n in find_numbers(s.text):
        if n.value is None or (n.value == 1 and not n.words[-1:].isdigit()):
            continue  # "dozens"; "one of the ..."
        if any(a <= n.start and n.end <= b for a, b in dates):
            continue
        if n.value not in numbers:
            out.append(f"the number {n.words!r} is not in the cited records {', '.join(s.refs)}")
    tokens = [(m.start(), m.group()) for m in _WORD.finditer(s.text)]
    for pos, tok in tokens:
        if not tok[0].isupper():
            continue
        key = fold_text(tok)
        opens = pos == 0 or s.text[:pos].rstrip().endswith((".", ":", ";"))
        lex = lexicon.current()
        starter = opens and (key in lex.sentence_starters or bool(lex.event_words.fullmatch(tok)))
        if key in words or key.removesuffix("s") in words or starter:
            continue
        out.append(f"the name {tok!r} is not in the cited records {', '.join(s.refs)}")
    return out


def _citations(s: DraftSentence, facts: dict[str, _Facts]) -> list[Citation]:
    """The cited records' spans for the figures the sentence states, else their first spans."""
    stated = {n.value for n in find_numbers(s.text) if n.value is not None}
    found: list[Citation] = []
    for r in s.refs:
        f = facts[r]
        spans = [c for v in sorted(stated & f.figures.keys()) for c in f.figures[v]] or f.citations[:2]
        found += [c for c in spans if c not in found]
    return sorted(found[:MAX_CITATIONS], key=lambda c: (c.article_id, c.start, c.end))


# --- the call --------------------------------------------------------------------------------


def write(b: Briefing, backend: Backend, settings: Settings, max_retries: int = 2) -> Briefing:
    """Ask the model for the paragraph; keep the sentences that pass, else keep the template.
    Sets ``b.narrative`` and ``b.run.narrative``, and adds the call's usage to ``b.run.usage``."""
    report = NarrativeReport(source="template", kept=len(b.narrative))
    b.run.narrative = report
    data, facts = records(b)
    if not any(not e.background for e in b.events) and not b.statements:
        return b  # nothing happened that a paragraph could state
    prompt = prompts.load(PROMPT_NAME, settings.prompts_dir)
    try:
        reply = backend.structured(Request(
            messages=prompt.render(records=delimited(data)), response_model=NarrativeDraft,
            context={"facts": facts}, max_retries=max_retries, max_tokens=1024,
        ))
    except BackendError as exc:
        report.issues.append(f"model call failed: {exc}"[:300])
        return b
    except ConfigError:
        raise  # a rejected key or unknown model: every later call would fail the same way
    except Exception as exc:  # the paragraph is optional: a bug behind it must not cost the briefing
        # The traceback with every message redacted: an SDK's message could carry a key.
        log.error("narrative: internal error, the template paragraph stands: %s",
                  redact(f"{type(exc).__name__}: {exc}", settings.secrets),
                  exc_info=redacted_exc_info(exc, settings.secrets))
        report.issues.append(redact(f"model call failed: internal error: {type(exc).__name__}: {exc}",
                                    settings.secrets)[:300])
        return b
    report.usage.add(reply.usage)
    b.run.usage.add(reply.usage)
    report.reasks = max(0, reply.attempts - 1)
    draft = reply.value or reply.salvage
    kept: list[NarrativeSentence] = []
    for s in draft.sentences if isinstance(draft, NarrativeDraft) else []:
        issues = problems(s, facts)
        if issues:
            report.dropped += 1
            if len(report.issues) < MAX_ISSUES:
                # The model's words, not the article's: scrub anything key-shaped before it is stored.
                report.issues.append(redact(f"dropped {s.text[:80]!r}: {'; '.join(issues)}", settings.secrets)[:300])
            continue
        kept.append(NarrativeSentence(text=" ".join(s.text.split()), refs=list(dict.fromkeys(s.refs)),
                                      citations=_citations(s, facts)))
    if draft is None:
        report.issues.append(f"no usable answer: {reply.errors[-1] if reply.errors else 'empty reply'}"[:300])
    if kept:
        b.narrative = kept
        report.source = "model"
    else:
        b.narrative = b.narrative or template(b)
    report.kept = len(b.narrative)
    return b
