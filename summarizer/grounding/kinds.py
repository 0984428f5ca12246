"""Event kinds and statement topics, as the sentence's own words name them.

The model proposes an event kind; ``settle_kind`` holds it to the words of the evidence sentence
(``lexicon/events.toml``: "bomb", "earthquake", "plane crashed", "agreement"…). A kind the words do
not bear out is reported by grounding and replaced by the kind the words name, so no kind is ever
kept on the model's say-so alone, and nothing is filed under a kind by default: a sentence whose
words name no kind is ``other``.
"""

from __future__ import annotations

from .. import lexicon
from ..schemas import EventKind


def in_earnest(text: str) -> str:
    """The text with its words in passing blanked out ("bomb-grade", "a storm of criticism", "shot
    down the proposal"): a figure of speech names no event. Same length, so offsets hold."""
    lex = lexicon.current()
    return lex.passing.sub(lambda m: " " * len(m.group()), text) if lex.passing else text


def kinds_named(text: str) -> list[EventKind]:
    """Every kind the text's words name, in the lexicon's order (specific before general)."""
    lex = lexicon.current()
    text = in_earnest(text)
    return [EventKind(k.name) for k in lex.kinds.values() if k.cue.search(text)]


def event_kind_from_text(text: str) -> EventKind:
    """The kind the sentence's own words name, else ``other``."""
    named = kinds_named(text)
    return named[0] if named else EventKind.OTHER


def supports(text: str, kind: EventKind) -> bool:
    spec = lexicon.current().kinds.get(kind.value)
    return bool(spec and spec.cue.search(in_earnest(text)))


def settle_kind(text: str, proposed: EventKind | None) -> tuple[EventKind, bool]:
    """(kind, supported): the proposal when the words bear it out (refined from a general kind to
    a specific one its words name: 'attack' with 'bomb' is a bombing), 'other' refined to what the
    words name, else the words' kind."""
    if proposed is None:
        return event_kind_from_text(text), False
    if proposed == EventKind.OTHER:
        return event_kind_from_text(text), True
    spec = lexicon.current().kinds.get(proposed.value)
    for specific in spec.refines if spec else ():
        if supports(text, EventKind(specific)):
            return EventKind(specific), True
    if supports(text, proposed):
        return proposed, True
    return event_kind_from_text(text), False


def kind_words(kind: EventKind | None) -> str:
    """The words that name a kind, for error messages the model reads."""
    spec = lexicon.current().kinds.get(kind.value) if kind else None
    return spec.cue_words if spec and spec.cue_words else "a word for it"


def label(kind: EventKind) -> str:
    spec = lexicon.current().kinds.get(kind.value)
    return spec.label if spec else kind.value.replace("_", " ").capitalize()


def is_incident(kind: EventKind) -> bool:
    """Conflict, disaster, accident, health or unrest: the kinds that have tolls."""
    return lexicon.current().is_incident(kind.value)


def is_generic(kind: EventKind) -> bool:
    """A kind that more specific kinds refine ('attack', 'explosion or fire', 'disaster')."""
    spec = lexicon.current().kinds.get(kind.value)
    return kind == EventKind.OTHER or bool(spec and spec.refines)


def is_perpetrated(kind: EventKind) -> bool:
    """A kind whose acts have a perpetrator (an attack); nobody perpetrates a storm or a summit."""
    lex = lexicon.current()
    return lex.kind_family(kind.value) in lex.perpetrated_families


def follows(kind: EventKind) -> bool:
    """A kind that follows a happening (an investigation, a trial): part of the day's only incident."""
    return kind.value in lexicon.current().follow_kinds


def topic_of(text: str) -> str | None:
    for name, pattern in lexicon.current().topics:
        if pattern.search(text):
            return name
    return None
