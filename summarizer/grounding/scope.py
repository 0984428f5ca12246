"""A record's scope: its evidence span, the sentence(s) it lies in and the one before, and the
names found there (``mention``), or why not (``absent``)."""

from __future__ import annotations

from dataclasses import dataclass

from ..ingest.article import Article
from ..language.sentences import article_sentences, covering
from ..schemas import Citation, GroundingIssue
from .align import align_evidence, locate
from .issues import DROPPED_FIELD, coded_issue


@dataclass
class Scope:
    """Where a record's values may be found: its evidence span and the sentences around it."""

    article: Article
    evidence: Citation
    start: int  # the sentence before the evidence's sentence(s): for speakers only
    end: int
    sentence_start: int  # the evidence's own sentence(s): for every other field
    sentence_end: int


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


def absent(scope: Scope, record: str, fld: str, value: str, action: str = DROPPED_FIELD) -> GroundingIssue:
    """Why a name is not accepted: say so precisely when only the sentence before has it."""
    if scope.start < scope.sentence_start and locate(scope.article, value, scope.start, scope.sentence_start):
        return coded_issue("only_in_sentence_before", record, fld, value,
                           f"'{value}' is named only in the sentence before, not in the cited sentence", action)
    return coded_issue("not_in_sentence", record, fld, value,
                       f"'{value}' does not occur in the cited sentence or the one before", action)


