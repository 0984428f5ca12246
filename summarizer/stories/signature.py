"""An article's event signature, read from its lead without any model: the kinds of happening the
lead's words name (``grounding.kinds``, the lexicon's event cues: "a bomb exploded" is a bombing)
and the places it names (``grounding.gazetteer``: "Leeds" is a city in England). The lead is the
title and the first sentences of the prose, where a news article says what happened and where.

The clusterer may use it as a veto (``Weights.event_veto``): two articles whose leads name kinds
and none in common, or places and none in common, are told apart however many words they share.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from ..grounding import gazetteer
from ..grounding.kinds import is_generic, is_incident, kinds_named
from ..schemas import EventKind

LEAD_CHARS = 400  # the title and about the first two sentences of the prose
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# an article is written after the years it names: one naming a year more than this after another
# article's date is not of that article's story (the ingest reads a recalled date the same way)
AFTER_YEARS = 1


@dataclass(frozen=True)
class Signature:
    kinds: frozenset[str]  # specific kinds named by the lead (a generic one only when alone)
    places: frozenset[str]  # gazetteer keys of the places the lead names, with their countries
    specific: frozenset[str]  # the places below country level (cities, divisions)
    incidents: frozenset[str] = frozenset()  # the kinds that are incidents (conflict, disaster, accident…)
    after: int | None = None  # the latest year the text names: it was written in that year or later
    year: int | None = None  # the year of the article's own time, when it has one


def dated(sign: Signature, t: float | None) -> Signature:
    """The signature with the year of the article's time (epoch seconds; None: undated)."""
    return sign if t is None else replace(sign, year=dt.datetime.fromtimestamp(t, dt.UTC).year)


EMPTY = Signature(frozenset(), frozenset(), frozenset())


def lead(title: str, body: str) -> str:
    cut = body[:LEAD_CHARS]
    end = cut.rfind(". ")
    return title + "\n" + (cut[: end + 1] if end > LEAD_CHARS // 3 else cut)


def read(title: str, body: str, entities: list[str]) -> Signature:
    """The signature of an article whose prose is ``body``; ``entities``: the lead's name phrases as
    ``cluster.entities`` reads them (lower-cased, joined by "_")."""
    text = lead(title, body)
    named = [k for k in kinds_named(text) if k != EventKind.OTHER]
    specific_kinds = [k for k in named if not is_generic(k)]
    kinds = frozenset(k.value for k in (specific_kinds or named))
    places: set[str] = set()
    below: set[str] = set()
    for phrase in entities:
        node = gazetteer.resolve(phrase.replace("_", " "))
        if node is None:
            continue
        places.add(node.key)
        if node.level != "country":
            below.add(node.key)
        if node.country:
            places.add(node.country)
    incidents = frozenset(k for k in kinds if is_incident(EventKind(k)))
    years = [int(y) for y in _YEAR.findall(title + "\n" + body)]
    return Signature(kinds, frozenset(places), frozenset(below), incidents, max(years, default=None))


def apart(a: Signature, b: Signature, mode: str) -> bool:
    """Do the two leads name different happenings? ``kind``: both name kinds, none shared, and no
    place shared; ``kind_place``: that, or both name places below country level and share none of
    them (Leeds and York, both in England); ``place``: the second alone; ``kind_and_place``: both
name kinds and places, and share neither; ``incident``: as ``kind``, over the incident kinds only
(conflict, disaster, accident, health, unrest); ``years``: one names a year more than
``AFTER_YEARS`` after the other's date (a dated and an undated article of other years)."""
    other_kind = bool(a.kinds and b.kinds and not a.kinds & b.kinds and not a.places & b.places)
    other_place = bool(a.specific and b.specific and not a.specific & b.specific)
    if mode == "years":  # one names a year well after the other's date
        return any(x.year is not None and y.after is not None and y.after - x.year > AFTER_YEARS
                   for x, y in ((a, b), (b, a)))
    if mode == "incident":  # a bombing and a plane crash, in no place in common
        return bool(a.incidents and b.incidents and not a.incidents & b.incidents and not a.places & b.places)
    if mode == "kind_and_place":  # both read, both differ: the strictest evidence
        return bool(a.kinds and b.kinds and not a.kinds & b.kinds and a.places and b.places
                    and not a.places & b.places)
    if mode == "kind":
        return other_kind
    if mode == "place":
        return other_place
    if mode == "kind_place":
        return other_kind or other_place
    return False


def alike(a: Signature, b: Signature) -> bool:
    """Do the two leads name the same happening: a kind and a place in common?"""
    return bool(a.kinds & b.kinds and a.places & b.places)
