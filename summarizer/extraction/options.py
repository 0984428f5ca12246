"""What a sentence question may answer: per field, the values grounding would keep.

The code already knows, before asking, which of a sentence's counts ground as deaths or injuries,
which of its names the text gives as the source of a figure or as who said the words, and which
follow "in" or "near". Those sets are

* the grammar a small local model answers in (``Request.choices``): it can pick among the text's
  own values or null, not copy "the Interior Ministry" from the prompt's example and spend a
  re-ask repeating it (benchmarks/README.md, "The embedded default, faster");
* the answer itself, with no call at all, when each field has one reading: a sentence with one
  death count, no source named and no place leaves the model nothing to decide.

Names come from ``language.phrases`` (capitalized runs and sources such as "state media"); each is
then put through the same grounding the answer will meet, so an option is never a value grounding
would drop. Grounding still checks every answer: options narrow what is asked, not what is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .. import grounding, lexicon
from ..grounding import roles
from ..grounding.kinds import kinds_named
from ..grounding.perpetrators import said_to_have_done_it
from ..grounding.places import places_among
from ..grounding.scope import Scope, evidence_scope
from ..ingest.article import Article
from ..language.names import kind_of, not_an_actor, strip_titles
from ..language.numbers import find_numbers
from ..language.patterns import alternation
from ..language.phrases import Phrase, name_phrases
from ..language.sentences import Sentence
from ..schemas import ActorKind, EventKind
from . import drafts
from .candidates import MAX_SENTENCE_CHARS


@dataclass
class Options:
    """``allowed``: per field, the values the answer may take besides null (an empty list: null only).
    ``answer``: the draft the text alone gives, when every field has one reading."""

    allowed: dict[str, list[Any]] = field(default_factory=dict)
    answer: BaseModel | None = None
    nothing: tuple[str, str, str] | None = None  # (code, field, reason): no answer could ground at all


def _ok(outcome: grounding.Outcome, fld: str) -> bool:
    return outcome.record is not None and not any(i.field == fld for i in outcome.issues)


def _one_reading(values: list[str]) -> str | None:
    """The value when all options name one thing ("the Monitor" / "Monitor", "US Secretary
    of State John Smith" / "John Smith"), else None."""
    bare = {re.sub(r"^(?:the|a|an)\s+", "", v, flags=re.I) for v in values}
    if len({strip_titles(b) for b in bare}) != 1:
        return None
    name = min(bare, key=len)
    return name if name[:1].isupper() else max(values, key=len)  # "a hospital official", "Reuters"


def _shown(p: Phrase) -> str:
    return " ".join(p.text.split())  # as the model reads the sentence: whitespace folded


def _scope(article: Article, s: Sentence) -> Scope | None:
    """The question's scope; none for a piece of a huge one-line "sentence": every grounding test
    would scan the whole line, and such a page is asked with free answers (no options)."""
    scope = evidence_scope(article, s.text, (s.start, s.end))
    if scope is None or scope.end - scope.start > 2 * MAX_SENTENCE_CHARS:
        return None
    return scope


def casualty(article: Article, s: Sentence) -> Options:
    scope = _scope(article, s)
    if scope is None:
        return Options()
    ctx = {"article": article, "evidence": s.text, "window": (s.start, s.end)}

    def ground(**kw: Any) -> grounding.Outcome:
        base = {"killed": None, "injured": None, "place": None, "claimed_by": None}
        return drafts.ground_casualty(drafts.CasualtyFields.model_construct(**{**base, **kw}), ctx)

    # A vague "dozens" is offered as its lowest reading (12): grounding keeps the words, value null.
    vague = lexicon.current().vague_readings
    counts = sorted({n.value if n.value is not None else vague[n.words.lower()][0]
                     for n in find_numbers(article.text, scope.sentence_start, scope.sentence_end)
                     if n.value is not None or n.words.lower() in vague}
                    | ({1} if roles.singular_counts(article.text, scope.sentence_start, scope.sentence_end) else set()))
    killed = [v for v in counts if _ok(ground(killed=v), "killed")]
    injured = [v for v in counts if _ok(ground(injured=v), "injured")]
    figure = {"killed": killed[0]} if killed else {"injured": injured[0]} if injured else None
    wide = name_phrases(article.text, scope.start, scope.end)
    own = [p for p in wide if p.start >= scope.sentence_start]  # a source is named in the figure's own sentence
    where = places_among(article, wide)
    at = {p.start for p in where}
    where = [p for p in where if not _region_of(article.text, p, where)]
    claimed = [_shown(p) for p in own  # "tore through Northtown, …, according to reports": a place is no source
               if p.start not in at and figure and _ok(ground(**figure, claimed_by=_shown(p)), "claimed_by")]
    places = [_shown(p) for p in where if figure and _ok(ground(**figure, place=_shown(p)), "place")]
    allowed = {"killed": killed, "injured": injured, "place": _dedupe(places), "claimed_by": _dedupe(claimed)}
    if not killed and not injured and grounding.has_other_figure(article, scope.sentence_start, scope.sentence_end):
        # Missing, displaced, arrested…: read from the sentence's words by grounding, never asked.
        return Options(allowed, drafts.CasualtyFields.model_construct(killed=None, injured=None, place=None,
                                                                       claimed_by=None))
    if not killed and not injured:
        return Options(allowed, nothing=("no_figure", "killed", "no count in the sentence grounds as people "
                                         "killed or injured"))
    answer = None
    if len(killed) <= 1 and len(injured) <= 1 and (killed or injured) and not set(killed) & set(injured):
        place, claimant = _one_reading(allowed["place"]), _one_reading(allowed["claimed_by"])
        if (place or not places) and (claimant or not claimed):
            answer = drafts.CasualtyFields.model_construct(
                killed=killed[0] if killed else None, injured=injured[0] if injured else None,
                place=place, claimed_by=claimant)
    return Options(allowed, answer)


def _region_of(text: str, p: Phrase, where: list[Phrase]) -> bool:
    """'Pennsylvania' of 'in Northtown, Pennsylvania,': a division or country written after a place it
    holds says which Northtown, not a second place ('in Northtown, Southport and Eastby' names three)."""
    before = any(re.fullmatch(r",\s*", text[q.end:p.start]) for q in where if q.end <= p.start)
    node = grounding.gazetteer.resolve(p.text.removeprefix("the ").strip())
    listed = re.match(r"\s*(?:,\s*|\s+)(?:and|or)\s|\s*,\s*[A-Z]", text[p.end:p.end + 8]) is not None
    return before and node is not None and node.level in ("admin", "country") and not listed


def statement(article: Article, s: Sentence) -> Options:
    scope = _scope(article, s)
    if scope is None:
        return Options()
    ctx = {"article": article, "evidence": s.text, "window": (s.start, s.end)}
    wide = name_phrases(article.text, scope.start, scope.end)
    at = {p.start for p in places_among(article, wide)}  # "told reporters in Eastby": a place says nothing

    def says(p: Phrase) -> bool:
        draft = drafts.StatementFields.model_construct(speaker=_shown(p))
        return p.start not in at and _ok(drafts.ground_statement(draft, ctx), "speaker")

    speakers = _dedupe([_shown(p) for p in wide if says(p)])
    if not speakers:
        return Options({"speaker": []}, nothing=("no_named_speaker", "speaker", "the passage names nobody "
                                                 "as saying it"))
    one = _one_reading(speakers)
    return Options({"speaker": speakers}, drafts.StatementFields.model_construct(speaker=one) if one else None)


def event(article: Article, s: Sentence) -> Options:
    scope = _scope(article, s)
    if scope is None:
        return Options()
    ctx = {"article": article, "evidence": s.text, "window": (s.start, s.end)}
    # Who acted is named in the sentence itself, or, when it opens with "He"/"It"/"They", just before.
    opens = re.match(r"\W*(\w+)", article.text[scope.sentence_start:scope.sentence_end])
    anaphoric = opens is not None and opens.group(1).lower() in lexicon.current().pronouns
    wide = name_phrases(article.text, scope.start if anaphoric else scope.sentence_start, scope.end)
    places = {p.start for p in places_among(article, wide)}
    named = kinds_named(article.text[scope.sentence_start:scope.sentence_end])
    kind = (named[0] if named else EventKind.OTHER).value

    def acts(p: Phrase) -> bool:
        draft = drafts.EventFields.model_construct(kind=kind, perpetrator=_shown(p))
        said = said_to_have_done_it(article.text, p.start, p.end)
        return (p.start not in places and (_agent(article.text, p) or said) and not not_an_actor(p.text)
                and kind_of(p.text) != ActorKind.MEDIA  # "…, Vocativ discovered": an outlet reports, never acts
                and _ok(drafts.ground_event(draft, ctx), "perpetrators"))

    # Who carried out an agreement, a vote or a summit is no perpetrator, nor is anyone an
    # earthquake's or a crash's: grounding keeps a perpetrator only for a conflict's act, or where a
    # doer's words say one happened ("The gunman, identified as X").
    actors = _dedupe([_shown(p) for p in wide if acts(p)])
    answer = None
    # "the Front" / "Front" is one reading; so is "A and B" beside "A" and "B" (split when merged).
    whole = [a for a in actors if all(b in a for b in actors)]
    one = (_one_reading(actors) or (whole[0] if whole else None)) if actors else None
    # The act a named doer did is the sentence's one conflict kind ("Bombings claimed by the Front …,
    # highlighting the truce" is the bombings' record, not the truce's).
    acted = [k for k in named if lexicon.current().kind_family(k.value) == "conflict"]
    if len(named) <= 1 and (not actors or one):
        # One kind of event and at most one name the text says did it: nothing for the model to decide.
        answer = drafts.EventFields.model_construct(kind=kind, perpetrator=one)
    elif one and len(acted) == 1:
        answer = drafts.EventFields.model_construct(kind=acted[0].value, perpetrator=one)
    return Options({"perpetrator": actors}, answer)


_BY = re.compile(r"\bby\s+$", re.I)
def _verb_after(lex: lexicon.Lexicon) -> re.Pattern[str]:
    return re.compile(rf"\s+(?:(?:{alternation(lex.verb_adverbs)}|\w+ly)\s+)?"
                      rf"(?:(?:{alternation(lex.auxiliary_verbs)})\s+(?:been\s+)?)?(?P<verb>[a-z][\w-]*)")


def _agent(text: str, p: Phrase) -> bool:
    """Does the phrase stand where who acted stands: before its verb ("the Front detonated", "the Front
    has claimed") or after "by" ("claimed by the Front")? Grounding only checks that a name is in
    the sentence, so a tiny model offered every name picks a source, a headline word or a victim;
    offered these, it picks among the sentence's agents. A source is not one ("the Monitor said")."""
    if _BY.search(text, max(0, p.start - 4), p.start):
        return True
    m = lexicon.current().compiled("verb_after", _verb_after).match(text, p.end)
    if m is None:
        return False
    verb = m.group("verb")
    lex = lexicon.current()
    if verb != "claimed" and (lex.speech_verb.fullmatch(verb) or lex.report_verb.fullmatch(verb)):
        return False  # "the Front claimed the attack" is who acted; "the Monitor said" is a source
    return verb.endswith(("ed", "s")) or bool(lex.event_words.fullmatch(verb))  # "shot", "struck"


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


BY_PROMPT = {"casualty_sentence": casualty, "statement_sentence": statement, "event_sentence": event}


def options(prompt_name: str, article: Article, s: Sentence) -> Options:
    """The options for one sentence question (none for a prompt this module does not know)."""
    build = BY_PROMPT.get(prompt_name)
    return build(article, s) if build else Options()
