"""An article's event signature, read from its lead without any model: the kinds of happening the
lead's words name (``grounding.kinds``, the lexicon's event cues: "a bomb exploded" is a bombing)
and the places it names (``grounding.gazetteer``: "Homs" is a city in Syria). The lead is the
title and the first sentences of the prose, where a news article says what happened and where.

The clusterer may use it as a veto (``Weights.event_veto``): two articles whose leads name kinds
and none in common, or places and none in common, are told apart however many words they share.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..grounding import gazetteer
from ..grounding.kinds import is_generic, is_incident, kinds_named
from ..schemas import EventKind

LEAD_CHARS = 400  # the title and about the first two sentences of the prose


@dataclass(frozen=True)
class Signature:
    kinds: frozenset[str]  # specific kinds named by the lead (a generic one only when alone)
    places: frozenset[str]  # gazetteer keys of the places the lead names, with their countries
    specific: frozenset[str]  # the places below country level (cities, divisions)
    incidents: frozenset[str] = frozenset()  # the kinds that are incidents (conflict, disaster, accident…)


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
    return Signature(kinds, frozenset(places), frozenset(below), incidents)


def apart(a: Signature, b: Signature, mode: str) -> bool:
    """Do the two leads name different happenings? ``kind``: both name kinds, none shared, and no
    place shared; ``kind_place``: that, or both name places below country level and share none of
    them (Homs and Damascus, both in Syria); ``place``: the second alone; ``kind_and_place``: both
name kinds and places, and share neither; ``incident``: as ``kind``, over the incident kinds only
(conflict, disaster, accident, health, unrest)."""
    other_kind = bool(a.kinds and b.kinds and not a.kinds & b.kinds and not a.places & b.places)
    other_place = bool(a.specific and b.specific and not a.specific & b.specific)
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
