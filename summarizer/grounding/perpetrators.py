"""Who did it: the words that say a name did an event's act, what they say of it (its basis), who
says so, and whether the act is this event's at all (``lexicon/events.toml`` ``[perpetrators]``).

A name is a perpetrator only beside words that say it acted ("claimed responsibility", "the gunman,
identified as", "was charged with murder", "carried out"); those who condemned, responded,
investigated, arrested or reported stand beside none. And the act must be this happening: "security
forces launched attacks in several regions" or "has claimed attacks in the past" say what someone
does, not that they did this, so a name beside an indefinite or past act is kept only when the same
sentence holds this event's toll ("…launched fresh attacks on the towns, with dozens killed").
When unsure: no one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import lexicon
from ..language.phrases import name_phrases
from ..schemas import Mention
from . import attribution
from .align import cite
from .scope import Scope


@dataclass(frozen=True)
class Done:
    """The words saying a name did it (or denies it): their basis and where they stand."""

    basis: str  # a schemas.PerpetratorBasis
    start: int
    end: int
    before: bool  # the words stand before the name ("claimed by X"), not after it ("X claimed it")


_CLAUSE_END = re.compile(r"[.;!?](?:\s|$)")


def _clause_end(text: str, at: int, limit: int = 160) -> int:
    m = _CLAUSE_END.search(text, at, min(len(text), at + limit))
    return m.start() if m else min(len(text), at + limit)


def how_done(text: str, start: int, end: int) -> Done | None:
    """What the text says the name at [start, end) did: the first ``[perpetrators.<basis>]`` table
    whose words stand right before or right after it. Charged or suspected counts only for a crime
    of this kind ("charged with murder", not "charged with fraud")."""
    lex = lexicon.current()
    for basis, before, after in lex.did_it:
        found: Done | None = None
        if before is not None:
            m = before.search(text, max(0, start - 120), start)
            if m:
                found = Done(basis, m.start(), m.end(), True)
        if found is None and after is not None:
            m = after.match(text, end, min(len(text), end + 120))
            if m:
                found = Done(basis, m.start(), m.end(), False)
        if found is None:
            continue
        if basis == "charged" and not lex.crimes.search(text, found.end if not found.before else end,
                                                        _clause_end(text, end)):
            continue
        return found
    return None


def said_to_have_done_it(text: str, start: int, end: int) -> bool:
    """Does the text say the name at [start, end) did it: claimed it, carried it out, was charged
    with it, or is named as the gunman, bomber or attacker? Standing where an agent stands is not
    enough: those who condemned, responded, arrested or reported stand there too. When unsure: no."""
    done = how_done(text, start, end)
    return done is not None and done.basis != "denied"


def _indefinite(text: str, start: int, end: int) -> bool:
    """Do the words at [start, end) name an act without pointing at one ("attacks in several
    regions", "a number of raids"), rather than "the attack" or "Sunday's bombings"?"""
    lex = lexicon.current()
    for m in lex.indefinite_act.finditer(text, start, end):
        if not lex.definite_act.search(text, max(start, m.start() - 40), m.start()):
            return True
    return False


def refers_to_this(text: str, sentence_start: int, sentence_end: int, done: Done, start: int, end: int) -> bool:
    """Is the act the words name this event's happening? Not when the sentence puts it in another time
    ("in the past", "since 2011"), nor when it is an indefinite act ("launched attacks in several
    regions") in a sentence that gives no toll of its own."""
    lex = lexicon.current()
    # The act: the words from the cue to the end of the clause after a name ("X launched attacks …"),
    # or from the sentence's start to the cue before one ("Attacks … were carried out by X").
    lo, hi = (sentence_start, done.end) if done.before else (done.start, _clause_end(text, end))
    hi = min(hi, sentence_end)
    if lex.not_this_time.search(text, lo, hi):
        return False
    if not _indefinite(text, lo, hi):
        return True
    return bool(lex.death.search(text, sentence_start, sentence_end) or lex.injury.search(text, sentence_start,
                                                                                             sentence_end))


# "named by police as X", "British police have named the attacker as X", "identified by officials as".
_BY_AGENT = re.compile(r"\b(?:named|identified)\s+by\s+(?P<who>(?:\w[\w.'’-]*\s+){0,4}?\w[\w.'’-]*)\s+as\b", re.I)
_ACTIVE = re.compile(r"\b(?:has|have|had)?\s*(?:named|identified)\b", re.I)


def who_says(scope: Scope, done: Done, start: int, end: int) -> tuple[int, int] | None:
    """Who the sentence says named the perpetrator: the agent of "named by X as", the subject of "X
    named … as", or the source of the sentence ("…, police said", "according to X"); None when the
    article says it in its own voice. Never the perpetrator itself."""
    text = scope.article.text
    s, e = scope.sentence_start, scope.sentence_end
    if done.basis in ("named", "suspected"):
        m = _BY_AGENT.search(text, max(s, done.start - 1), max(start, done.end))
        if m:
            return m.start("who"), m.end("who")
        if done.before:
            verb = _ACTIVE.search(text, done.start, done.end)
            if verb and verb.start() > s:
                aux = re.search(r"(?:\s+(?:has|have|had))?\s*$", text[s:verb.start()])
                subj = attribution.subject_before(text, s, s + aux.start() if aux else verb.start())
                if subj is not None and subj.end <= done.start and not re.search(r"\b(?:who|which|been)\b",
                                                                                  text[subj.start:verb.end()]):
                    return subj.start, subj.end
    # The sentence's own source, speaking for all of it: "…, police said." / "…, according to X." at
    # its end, or "X said (that) …" at its start; a source of another clause says nothing of who did it.
    lex = lexicon.current()
    for p in name_phrases(text, s, e):
        if p.start < end and start < p.end:
            continue
        after, before = text[p.end:e], text[s:p.start]
        verb = re.compile(rf"\s+(?:has |have |had )?(?:{lex.speaker_verbs})\b", re.I).match(text, p.end, e)
        closing = verb is not None and re.fullmatch(r"[\s\W]*", text[verb.end():e])
        # "according to prosecutor Maria Lopez": a role in lower case may stand before the name.
        according = re.search(r"\baccording to\s+(?:[a-z][\w-]*\s+){0,3}$", before) and re.fullmatch(r"[\s\W]*", after)
        opening = p.end <= start and verb is not None and re.fullmatch(r"\W*(?:the\s+)?", before, re.I)
        if opening and verb is not None and lex.speech_ends.search(text, verb.end(), start):
            opening = False  # the speech ended before the words that say who did it
        inverted = re.search(rf",\s*(?:{lex.inverted_verbs})\s+(?:the\s+)?$", before, re.I) and re.fullmatch(
            r"[\s\W]*", after)
        if p.start > end and (closing or according or inverted) or opening:
            return p.start, p.end
    return None


def claimant_mention(scope: Scope, span: tuple[int, int] | None) -> Mention | None:
    """The claimant's words as a cited mention, or None."""
    if span is None:
        return None
    c = cite(scope.article, *span)
    return Mention(value=c.text, citation=c)


def names_a_perpetrator(text: str, start: int, end: int) -> bool:
    """Does the sentence at [start, end) say of a name that it did (or denies) this happening's act?
    Such a sentence is worth an event question even when it also gives a toll or a quote."""
    for p in name_phrases(text, start, end):
        done = how_done(text, p.start, p.end)
        if done is not None and refers_to_this(text, start, end, done, p.start, p.end):
            return True
    return False
