"""What grounding every record shares: its scope (the evidence's sentences), mentions, places,
dates, and the last check of every citation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel

from .. import lexicon
from ..ingest.article import Article
from ..language.sentences import article_sentences, covering
from ..schemas import (
    AlignmentStatus,
    Citation,
    DateValue,
    GroundingIssue,
)
from . import dates
from .align import align_evidence, cite, locate, verify
from .issues import DROPPED_FIELD as _DROPPED_FIELD
from .issues import DROPPED_RECORD as _DROPPED_RECORD
from .issues import Code
from .issues import issue as _coded
from .issues import short as _short


def coded_issue(code: Code, record: str, fld: str, value: object, reason: str,
                action: str = _DROPPED_FIELD) -> GroundingIssue:
    """``issues.issue`` with its reason code first: each call below says what it counts as."""
    return _coded(record, fld, value, reason, action, code=code)



@dataclass
class Scope:
    """Where a record's values may be found: its evidence span and the sentences around it."""

    article: Article
    evidence: Citation
    start: int  # the sentence before the evidence's sentence(s): for speakers only
    end: int
    sentence_start: int  # the evidence's own sentence(s): for every other field
    sentence_end: int


@dataclass
class Outcome:
    record: object | None
    issues: list[GroundingIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [f"{i.field}: {i.reason}" for i in self.issues]


def make_scope(article: Article, evidence: Citation) -> Scope:
    sents = article_sentences(article)
    over = covering(sents, evidence.start, evidence.end)
    s_start = min([s.start for s in over], default=evidence.start)
    s_end = max([s.end for s in over], default=evidence.end)
    before = [s for s in sents if s.end <= s_start]
    wide_start = before[-1].start if before else s_start
    return Scope(article, evidence, wide_start, s_end, s_start, s_end)


def evidence_scope(article: Article, evidence: str, window: tuple[int, int] | None) -> Scope | None:
    """The scope of a record's evidence quote, or None when the quote is not in the article."""
    span = align_evidence(article, evidence, window)
    return None if span is None else make_scope(article, span)


def mention(scope: Scope, value: str | None, wide: bool = False) -> Citation | None:
    if not value or not value.strip():
        return None
    start = scope.start if wide else scope.sentence_start
    return locate(scope.article, value, start, scope.end, near=scope.evidence.start)


def absent(scope: Scope, record: str, fld: str, value: str, action: str = _DROPPED_FIELD) -> GroundingIssue:
    """Why a name is not accepted: say so precisely when only the sentence before has it."""
    if scope.start < scope.sentence_start and locate(scope.article, value, scope.start, scope.sentence_start):
        return coded_issue("only_in_sentence_before", record, fld, value,
                           f"'{value}' is named only in the sentence before, not in the cited sentence", action)
    return coded_issue("not_in_sentence", record, fld, value,
                       f"'{value}' does not occur in the cited sentence or the one before", action)


# "in Northtown", "through the Old Quarter suburb", "in the central city of Northtown": the sentence names
# a place of its own, so a place from the sentence before cannot be carried over to it.
def _own_place(lex: lexicon.Lexicon) -> re.Pattern[str]:
    descriptors = "|".join(sorted(lex.place_descriptors, key=len, reverse=True))
    generic = "|".join(sorted(lex.place_generic, key=len, reverse=True))
    return re.compile(
        r"\b(?i:in|near|outside|at|hit|struck|through|across|into)\s+(?:the\s+)?"
        rf"(?:(?i:{descriptors})\s+|[A-Z][a-z]+n\s+)?"
        rf"(?:(?i:{generic}) of\s+)?[A-Z][\w’'\-]+"
    )


def names_a_place(text: str, start: int) -> bool:
    """Is the name at ``start`` introduced as a place ("in Northtown", "near the town of Eastby")?"""
    pattern = lexicon.current().compiled("own_place", _own_place)
    word = re.match(r"(?:(?i:the)\s+)?[\w’'\-]+", text[start:])
    if word is None:
        return False
    return any(m.start() <= start and m.end() == start + word.end()
               for m in pattern.finditer(text, max(0, start - 80), start + word.end()))


def _organisation(place: str) -> bool:
    """'Washington Post', 'U.N. Security Council': the name ends in a media or organisation word
    that is not also a kind of place ('hospital', 'university')."""
    lex = lexicon.current()
    last = re.sub(r"^.*?(\w[\w'’.-]*)\W*$", r"\1", place.strip())
    if last.lower() in lex.place_generic:
        return False
    return any(lex.actor_kind_words[k].fullmatch(last) for k in ("media", "organization"))


def ground_place(scope: Scope, place: str | None, record: str, issues: list[GroundingIssue]) -> Citation | None:
    """The place in the evidence's sentence; or, when that sentence names no place of its own
    ('the blasts killed 62'), the place named in the sentence before, marked ``inferred``."""
    if not place or not place.strip():
        return None
    if _organisation(place):
        issues.append(coded_issue("not_a_place", record, "place", place,
                                  f"'{place}' names an organisation, not a place"))
        return None
    found = mention(scope, place)
    if found is not None:
        return found
    art = scope.article
    before = locate(art, place, scope.start, scope.sentence_start) if scope.start < scope.sentence_start else None
    if before is None:
        issues.append(coded_issue("not_in_sentence", record, "place", place,
                                  f"'{place}' does not occur in the cited sentence or the one before"))
        return None
    own = lexicon.current().compiled("own_place", _own_place).search(art.text, scope.sentence_start, scope.sentence_end)
    if own is not None:
        issues.append(coded_issue("other_place", record, "place", place,
                                  f"'{place}' is named only in the sentence before, and the cited sentence names "
                                  f"its own place ('{own.group()}')"))
        return None
    return cite(art, before.start, before.end, AlignmentStatus.INFERRED)


def scope_date(scope: Scope, background: bool) -> DateValue | None:
    return None if background else dates.date_of(scope.article, scope.sentence_start, scope.sentence_end)


def is_background(scope: Scope) -> bool:
    return dates.is_background(scope.article, scope.sentence_start, scope.sentence_end)


def _citations(obj: object) -> list[Citation]:
    if isinstance(obj, Citation):
        return [obj]
    if isinstance(obj, BaseModel):
        return [c for name in type(obj).model_fields for c in _citations(getattr(obj, name))]
    if isinstance(obj, list | tuple):
        return [c for x in obj for c in _citations(x)]
    return []


def verified(record: BaseModel, article: Article, kind: str, issues: list[GroundingIssue]) -> Outcome:
    """The last gate: a record leaves grounding only if every one of its citations verifies."""
    bad = [c for c in _citations(record) if not verify(c, article)]
    if bad:
        c = bad[0]
        issues.append(coded_issue("citation_unverified", kind, "citation", f"{c.start}-{c.end}",
                                  f"citation {c.start}-{c.end} does not match the article's characters",
                                  _DROPPED_RECORD))
        return Outcome(None, issues)
    return Outcome(record, issues)


def no_evidence(kind: str, evidence: str) -> Outcome:
    return Outcome(None, [coded_issue("evidence_not_found", kind, "evidence", _short(evidence),
                                      "the evidence quote does not occur in the article", _DROPPED_RECORD)])
