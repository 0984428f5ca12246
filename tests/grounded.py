"""Hand-written records for merge tests: a sentence of an article grounded as a figure or an event,
and an extraction holding them (no model). Shared by the happenings tests."""

from __future__ import annotations

from summarizer.grounding.casualty import ground_casualty
from summarizer.grounding.context import article_facts
from summarizer.grounding.event import ground_event
from summarizer.schemas import ArticleExtraction, GroundingReport


def sentence(art, opening: str) -> str:  # type: ignore[no-untyped-def]
    """The sentence of ``art`` that starts with ``opening``, up to its full stop."""
    i = art.text.index(opening)
    return art.text[i:art.text.index(".", i) + 1]


def extraction(art, casualties=(), events=()) -> ArticleExtraction:  # type: ignore[no-untyped-def]
    return ArticleExtraction(article_id=art.id, sha256=art.sha256, published=art.published, strategy="fixture",
                             casualties=list(casualties), events=list(events), grounding=GroundingReport(),
                             facts=article_facts(art))


def figure(art, opening: str, killed=None, injured=None, place=None, claimed_by=None):  # type: ignore[no-untyped-def]
    out = ground_casualty(art, evidence=sentence(art, opening), killed=killed, injured=injured, place=place,
                          claimed_by=claimed_by)
    assert out.record is not None, out.errors
    return out.record


def event(art, opening: str, kind=None, place=None, perpetrators=()):  # type: ignore[no-untyped-def]
    out = ground_event(art, evidence=sentence(art, opening), kind=kind, place=place, perpetrators=list(perpetrators))
    assert out.record is not None
    return out.record
