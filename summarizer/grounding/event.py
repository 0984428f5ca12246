"""Grounding an event record: its kind backed by the sentence's words, its place and date."""

from __future__ import annotations

import re

from .. import lexicon
from ..ingest.article import Article
from ..language.names import kind_of, not_an_actor
from ..schemas import (
    ActorKind,
    Citation,
    Event,
    EventKind,
    GroundingIssue,
    Mention,
    Perpetrator,
)
from .context import record_context
from .dates import scope_date, scope_is_background
from .issues import coded_issue
from .kinds import is_perpetrated, kind_words, settle_kind
from .outcome import Outcome, no_evidence, verified
from .perpetrators import claimant_mention, how_done, refers_to_this, said_to_have_done_it, who_says
from .places import ground_place
from .scope import Scope, evidence_scope, mention

__all__ = ["ground_event", "said_to_have_done_it"]

# --- events --------------------------------------------------------------------------------


def ground_event(
    article: Article,
    *,
    evidence: str,
    kind: EventKind | str | None,
    place: str | None,
    perpetrators: list[str],
    participants: list[str] = (),  # type: ignore[assignment]
    window: tuple[int, int] | None = None,
) -> Outcome:
    scope = evidence_scope(article, evidence, window)
    if scope is None:
        return no_evidence("event", evidence)
    span = scope.evidence
    issues: list[GroundingIssue] = []
    sentence = article.text[scope.sentence_start:scope.sentence_end]
    try:
        proposed = EventKind(kind) if kind else None
    except ValueError:
        proposed = None
    final_kind, supported = settle_kind(sentence, proposed)
    if not supported:
        words = kind_words(proposed) if proposed else "a known kind"
        issues.append(coded_issue("kind_unsupported", "event", "kind", kind or "null",
                                  f"'{kind}' is not what the cited sentence describes (it has no {words}); "
                                  f"its words make it '{final_kind.value}'"))
    place_c = ground_place(scope, place, "event", issues)
    found: dict[str, list[Mention]] = {"participants": []}
    for name in participants or []:
        c = mention(scope, name, wide=True)  # actors, like speakers, may be 'it' here and named just before
        if c is None:
            issues.append(coded_issue("not_in_sentence", "event", "participants", name,
                                      f"'{name}' does not occur in the cited sentence"))
        elif not_an_actor(c.text):
            issues.append(coded_issue("not_an_actor", "event", "participants", name,
                                      f"'{c.text}' is not the name of who acted: "
                                      "give a person, group, state or organization as the article names it"))
        elif all(m.value != c.text for m in found["participants"]):
            found["participants"].append(Mention(value=c.text, citation=c))
    did, denied = _perpetrators(scope, sentence, final_kind, perpetrators, issues)
    background = scope_is_background(scope)
    record = Event(
        kind=final_kind,
        summary=article.text[scope.sentence_start:scope.sentence_end],
        date=scope_date(scope, background),
        place=Mention(value=place_c.text, citation=place_c) if place_c else None,
        participants=found["participants"],
        perpetrators=did,
        denials=denied,
        background=background,
        evidence=span,
    )
    record.context = record_context(article, record)  # what merging reads, so it never reads the text
    return verified(record, article, "event", issues)


def _perpetrators(scope: Scope, sentence: str, kind: EventKind, names: list[str],
                  issues: list[GroundingIssue]) -> tuple[list[Perpetrator], list[Perpetrator]]:
    """Those the sentence says did this event's act (and those it says deny it), each with its basis
    and who says so. A sentence naming no kind ("The gunman, identified as X, …") may still name a
    perpetrator when a doer's noun says an attack happened; merge drops them from kinds nobody perpetrates."""
    lex = lexicon.current()
    text = scope.article.text
    did: list[Perpetrator] = []
    denied: list[Perpetrator] = []
    doer = kind == EventKind.OTHER and lex.doers.search(sentence) is not None
    for name in names or []:
        c = mention(scope, name, wide=True)
        done = how_done(text, c.start, c.end) if c is not None else None
        # An armed group's claim is a claim of an attack ("All three have been claimed by the Front").
        perpetrated = is_perpetrated(kind) or doer or (
            kind == EventKind.OTHER and c is not None and done is not None and done.basis == "claimed"
            and kind_of(c.text) == ActorKind.ARMED_GROUP)
        why = _not_a_perpetrator(scope, name, c, done, kind, perpetrated)
        if why is not None:
            issues.append(coded_issue(why[0], "event", "perpetrators", name, why[1]))
            continue
        assert c is not None and done is not None
        who = claimant_mention(scope, who_says(scope, done, c.start, c.end))
        out = denied if done.basis == "denied" else did
        if all(p.value != c.text for p in out):
            out.append(Perpetrator(value=c.text, citation=c, basis=done.basis, claimed_by=who))  # type: ignore[arg-type]
    return did, denied


def _not_a_perpetrator(scope: Scope, name: str, c: Citation | None, done, kind: EventKind,  # type: ignore[no-untyped-def]
                       perpetrated: bool) -> tuple[str, str] | None:
    """(code, message) when the name is not who the sentence says did this event's act, else None."""
    if c is None:
        return "not_in_sentence", f"'{name}' does not occur in the cited sentence"
    if not_an_actor(c.text):
        return "not_an_actor", (f"'{c.text}' is not the name of who acted: "
                                "give a person, group, state or organization as the article names it")
    if re.fullmatch(r"(?i:a|an)\s+[^A-Z]*", c.text):
        # "an army officer", "a 27-year-old man": a description, not a name (the name may follow it).
        return "not_an_actor", f"'{c.text}' describes someone without naming them: give the name the article gives"
    if not perpetrated:
        return "not_who_did_it", f"nobody perpetrates a {kind.value.replace('_', ' ')}: give no perpetrator"
    if done is None:
        return "not_who_did_it", (f"the sentence does not say '{c.text}' did it (claimed it, carried it "
                                  "out, was charged with it or is named as the attacker): give no one")
    if not refers_to_this(scope.article.text, scope.sentence_start, scope.sentence_end, done, c.start, c.end):
        return "not_who_did_it", (f"the act the sentence says '{c.text}' did is not this event (an indefinite "
                                  "or earlier act, with no toll of its own here): give no one")
    return None
