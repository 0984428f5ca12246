"""Event kinds and statement topics, as the sentence's own words name them.

The model proposes an event kind; ``settle_kind`` holds it to the words of the evidence sentence
("bomb", "air strike", "agreement"…). A kind the words do not bear out is reported by grounding
and replaced by the kind the words name, so no kind is ever kept on the model's say-so alone.
"""

from __future__ import annotations

import re

from .schemas import EventKind

_KIND_CUES = {
    EventKind.BOMBING: re.compile(r"bomb|blast|explosion|suicide", re.I),
    EventKind.AIRSTRIKE: re.compile(r"air ?strike|air raid", re.I),
    EventKind.AGREEMENT: re.compile(r"agreement|accord|deal|cease-?fire|truce|cessation", re.I),
    EventKind.MILITARY_OPERATION: re.compile(r"offensive|captured|retook|seize|operation", re.I),
    EventKind.ATTACK: re.compile(r"attack|shelling|shot down", re.I),
}
# A proposed general kind is borne out by its specific kinds' words, and refined to them.
_REFINES = {EventKind.ATTACK: (EventKind.BOMBING, EventKind.AIRSTRIKE)}
KIND_WORDS = {
    EventKind.BOMBING: "'bomb', 'blast', 'explosion'",
    EventKind.AIRSTRIKE: "'air strike', 'air raid'",
    EventKind.AGREEMENT: "'agreement', 'deal', 'ceasefire', 'truce'",
    EventKind.MILITARY_OPERATION: "'offensive', 'captured', 'operation'",
    EventKind.ATTACK: "'attack', 'shelling', 'bomb', 'air strike'",
}


def event_kind_from_text(text: str) -> EventKind:
    """The kind the sentence's own words name, else ``other``."""
    for kind, cue in _KIND_CUES.items():
        if cue.search(text):
            return kind
    return EventKind.OTHER


def settle_kind(text: str, proposed: EventKind | None) -> tuple[EventKind, bool]:
    """(kind, supported): the proposal when the words bear it out (refined from 'attack' to
    'bombing' when they say bomb), 'other' refined to what the words name, else the words' kind."""
    if proposed is None:
        return event_kind_from_text(text), False
    if proposed == EventKind.OTHER:
        return event_kind_from_text(text), True
    for specific in _REFINES.get(proposed, ()):
        if _KIND_CUES[specific].search(text):
            return specific, True
    if _KIND_CUES[proposed].search(text):
        return proposed, True
    return event_kind_from_text(text), False


_TOPICS = [
    (re.compile(r"cease-?fire|cessation of hostilities|truce|provisional agreement", re.I), "ceasefire"),
    (re.compile(r"refugee|return home|come back", re.I), "refugees"),
    (re.compile(r"terror", re.I), "terrorism"),
    (re.compile(r"\baid\b|humanitarian", re.I), "humanitarian aid"),
    (re.compile(r"political solution|negotiat|talks", re.I), "negotiations"),
    (re.compile(r"self-defense|right to (?:intervene|conduct)|operations in Syria", re.I), "military intervention"),
]


def topic_of(text: str) -> str | None:
    for pattern, topic in _TOPICS:
        if pattern.search(text):
            return topic
    return None
