"""Grounding an event record: its kind backed by the sentence's words, its place and date."""

from __future__ import annotations

from .. import lexicon
from ..ingest.article import Article
from ..language.names import not_an_actor
from ..schemas import (
    Event,
    EventKind,
    GroundingIssue,
    Mention,
)
from .context import record_context
from .dates import scope_date, scope_is_background
from .issues import coded_issue
from .kinds import is_perpetrated, kind_words, settle_kind
from .outcome import Outcome, no_evidence, verified
from .places import ground_place
from .scope import evidence_scope, mention

# --- who did it ----------------------------------------------------------------------------


def said_to_have_done_it(text: str, start: int, end: int) -> bool:
    """Does the text say the name at [start, end) did it: claimed it, carried it out, was charged
    with it, or is named as the gunman, bomber or attacker (``lexicon/events.toml``
    ``[perpetrators]``)? Standing where an agent stands is not enough: those who condemned,
    responded, arrested or reported stand there too. When unsure: no."""
    lex = lexicon.current()
    before = lex.did_it_before
    after = lex.did_it_after
    if before is not None and before.search(text, max(0, start - 120), start):
        return True
    return after is not None and after.match(text, end, min(len(text), end + 120)) is not None


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
    found: dict[str, list[Mention]] = {"perpetrators": [], "participants": []}
    for fld, names in (("perpetrators", perpetrators), ("participants", participants)):
        for name in names or []:
            c = mention(scope, name, wide=True)  # actors, like speakers, may be 'it' here and named just before
            if c is None:
                issues.append(coded_issue("not_in_sentence", "event", fld, name,
                                          f"'{name}' does not occur in the cited sentence"))
            elif not_an_actor(c.text):
                issues.append(coded_issue("not_an_actor", "event", fld, name,
                                          f"'{c.text}' is not the name of who acted: "
                                          "give a person, group, state or organization as the article names it"))
            elif fld == "perpetrators" and not is_perpetrated(final_kind):
                issues.append(coded_issue("not_who_did_it", "event", fld, name,
                                          f"nobody perpetrates a {final_kind.value.replace('_', ' ')}: "
                                          "give no perpetrator"))
            elif fld == "perpetrators" and not said_to_have_done_it(article.text, c.start, c.end):
                issues.append(coded_issue("not_who_did_it", "event", fld, name,
                                          f"the sentence does not say '{c.text}' did it (claimed it, carried it "
                                          "out, was charged with it or is named as the attacker): give no one"))
            elif all(m.value != c.text for m in found[fld]):
                found[fld].append(Mention(value=c.text, citation=c))
    background = scope_is_background(scope)
    record = Event(
        kind=final_kind,
        summary=article.text[scope.sentence_start:scope.sentence_end],
        date=scope_date(scope, background),
        place=Mention(value=place_c.text, citation=place_c) if place_c else None,
        participants=found["participants"],
        perpetrators=found["perpetrators"],
        background=background,
        evidence=span,
    )
    record.context = record_context(article, record)  # what merging reads, so it never reads the text
    return verified(record, article, "event", issues)
