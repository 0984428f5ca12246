"""Grounding: every value kept points at the exact characters that support it.

The model proposes, this module disposes. Evidence first: the record's evidence quote is aligned
to the article (``alignment.locate``: exact, normalized, or - prose only - fuzzy); then each field
is located *inside the evidence's own sentence* and gets its own sub-span citation. Numbers are
found by value (``numbers.find_numbers``), so "57" never grounds in a sentence that says "25".

Where a value may be found (decided here; tested in ``tests/test_grounding.py`` and
``tests/test_attribution.py``):

* figures and claimants: the evidence's own sentence(s) only; a claimant relayed by someone else
  keeps the chain ("the provincial governor" via "the agency"; ``attribution.relay_chains``);
* places: the evidence's sentence. A place named only in the sentence before is kept - marked
  ``inferred``, citing those words - only when the evidence's sentence names no place of its own
  ("The Monitor said 57 people … were killed by two car bombs" after "The bombings in … Northtown");
  if it does ("In Southport, …"), the nearby place is rejected. The dateline is never a place: it
  says where the reporter was, not where the event happened;
* speakers, their roles, perpetrators and participants: the sentence, or the one before, since the
  evidence may call them "he", "it" or "the group". A quote must be words inside quotation marks
  that the sentence gives to that speaker by a speech verb (``attribution``);
* event kinds: the proposed kind must be borne out by the sentence's words ("bomb", "air strike",
  "agreement"…); otherwise the issue is recorded and the kind is read from the words instead;
* vague quantities ("dozens", "scores", "hundreds") are kept as written, value null, citation
  ``inferred``, when the model proposed a conventional reading of them (24 for "dozens"); no
  number is ever invented.

``ground_casualty``, ``ground_statement`` and ``ground_event`` turn a proposal into a grounded
record plus the list of problems; ``drafts`` raises those problems as validation errors so
instructor re-asks with them, and ``extract`` counts what is kept, repaired, salvaged or dropped.
Every record is verified citation by citation before it leaves this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel

from . import attribution, dates, lexicon
from .actors import not_an_actor
from .alignment import (
    FUZZY_MIN_CHARS,
    FUZZY_THRESHOLD,
    _trim,
    align_evidence,
    cite,
    fold,
    locate,
    verify,
)
from .ingest import Article
from .issues import DROPPED_FIELD as _DROPPED_FIELD
from .issues import DROPPED_RECORD as _DROPPED_RECORD
from .issues import Code
from .issues import issue as _coded
from .issues import short as _short
from .kinds import kind_words, settle_kind, topic_of
from .numbers import NumberMention, find_numbers, is_year
from .schemas import (
    AlignmentStatus,
    CasualtyReport,
    Citation,
    DateValue,
    DiplomaticStatement,
    Event,
    EventKind,
    Figure,
    GroundingIssue,
    Mention,
    Qualifier,
    StatementKind,
)
from .sentences import Sentence, article_sentences, covering


def _issue(code: Code, record: str, fld: str, value: object, reason: str,
           action: str = _DROPPED_FIELD) -> GroundingIssue:
    """``issues.issue`` with its reason code first: each call below says what it counts as."""
    return _coded(record, fld, value, reason, action, code=code)

__all__ = [
    "FUZZY_MIN_CHARS", "FUZZY_THRESHOLD", "Outcome", "align_evidence", "cite", "fold",
    "ground_casualty", "ground_event", "ground_statement", "has_casualty_figure", "locate",
    "quoted_spans", "verify",
]


# --- record grounding --------------------------------------------------------------------



def _incident(lex: lexicon.Lexicon) -> re.Pattern[str]:
    """Words naming the incident a toll belongs to ("twin bombings", "the earthquake")."""
    cues = [c for k in lex.kinds.values() if lex.is_incident(k.name) for c in [k.cue.pattern]]
    return re.compile(r"\b(?:(?:double|twin|two|three|four|a series of|series of|string of|multiple)\s+)?(?:"
                      + "|".join(f"(?:{c})" for c in cues) + ")", re.I)


@dataclass
class Scope:
    """Where a record's values may be found: its evidence span and the sentences around it."""

    article: Article
    evidence: Citation
    start: int  # the sentence before the evidence's sentence(s): for speakers only
    end: int
    sentence_start: int  # the evidence's own sentence(s): for every other field
    sentence_end: int


@dataclass
class Outcome:
    record: object | None
    issues: list[GroundingIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [f"{i.field}: {i.reason}" for i in self.issues]


def _sentences(article: Article) -> list[Sentence]:
    return article_sentences(article)


def make_scope(article: Article, evidence: Citation) -> Scope:
    sents = _sentences(article)
    over = covering(sents, evidence.start, evidence.end)
    s_start = min([s.start for s in over], default=evidence.start)
    s_end = max([s.end for s in over], default=evidence.end)
    before = [s for s in sents if s.end <= s_start]
    wide_start = before[-1].start if before else s_start
    return Scope(article, evidence, wide_start, s_end, s_start, s_end)


def _mention(scope: Scope, value: str | None, wide: bool = False) -> Citation | None:
    if not value or not value.strip():
        return None
    start = scope.start if wide else scope.sentence_start
    return locate(scope.article, value, start, scope.end, near=scope.evidence.start)


def _absent(scope: Scope, record: str, fld: str, value: str, action: str = _DROPPED_FIELD) -> GroundingIssue:
    """Why a name is not accepted: say so precisely when only the sentence before has it."""
    if scope.start < scope.sentence_start and locate(scope.article, value, scope.start, scope.sentence_start):
        return _issue("only_in_sentence_before", record, fld, value,
                      f"'{value}' is named only in the sentence before, not in the cited sentence", action)
    return _issue("not_in_sentence", record, fld, value,
                  f"'{value}' does not occur in the cited sentence or the one before", action)


# "in Northtown", "through the Old Quarter suburb", "in the central city of Northtown": the sentence names
# a place of its own, so a place from the sentence before cannot be carried over to it.
def _own_place(lex: lexicon.Lexicon) -> re.Pattern[str]:
    descriptors = "|".join(sorted(lex.place_descriptors, key=len, reverse=True))
    generic = "|".join(sorted(lex.place_generic, key=len, reverse=True))
    return re.compile(
        r"\b(?i:in|near|outside|at|hit|struck|through|across|into)\s+(?:the\s+)?"
        rf"(?:(?i:{descriptors})\s+|[A-Z][a-z]+n\s+)?"
        rf"(?:(?i:{generic}) of\s+)?[A-Z][\w’'\-]+"
    )


def _organisation(place: str) -> bool:
    """'Washington Post', 'U.N. Security Council': the name ends in a media or organisation word
    that is not also a kind of place ('hospital', 'university')."""
    lex = lexicon.current()
    last = re.sub(r"^.*?(\w[\w'’.-]*)\W*$", r"\1", place.strip())
    if last.lower() in lex.place_generic:
        return False
    return any(lex.actor_kind_words[k].fullmatch(last) for k in ("media", "organization"))


def _place(scope: Scope, place: str | None, record: str, issues: list[GroundingIssue]) -> Citation | None:
    """The place in the evidence's sentence; or, when that sentence names no place of its own
    ('the blasts killed 62'), the place named in the sentence before, marked ``inferred``."""
    if not place or not place.strip():
        return None
    if _organisation(place):
        issues.append(_issue("not_a_place", record, "place", place, f"'{place}' names an organisation, not a place"))
        return None
    found = _mention(scope, place)
    if found is not None:
        return found
    art = scope.article
    before = locate(art, place, scope.start, scope.sentence_start) if scope.start < scope.sentence_start else None
    if before is None:
        issues.append(_issue("not_in_sentence", record, "place", place,
                             f"'{place}' does not occur in the cited sentence or the one before"))
        return None
    own = lexicon.current().compiled("own_place", _own_place).search(art.text, scope.sentence_start, scope.sentence_end)
    if own is not None:
        issues.append(_issue("other_place", record, "place", place,
                             f"'{place}' is named only in the sentence before, and the cited sentence names its own "
                             f"place ('{own.group()}')"))
        return None
    return cite(art, before.start, before.end, AlignmentStatus.INFERRED)


def _figure(scope: Scope, value: int | None, cue: re.Pattern[str], other: re.Pattern[str],
            used: set[int], what: str, issues: list[GroundingIssue]) -> Figure | None:
    if value is None:
        return None
    art = scope.article
    # A figure may sit anywhere in the evidence's own sentence, never further away.
    mentions = [n for n in find_numbers(art.text, scope.sentence_start, scope.sentence_end) if n.start not in used]
    candidates = [n for n in mentions if n.value == value]
    if not candidates:
        vague = _vague_reading(art.text, mentions, value, cue, other, scope)
        if vague is not None:
            used.add(vague.start)
            return Figure(value=None, qualifier=Qualifier.VAGUE, words=vague.words,
                          citation=cite(art, vague.start, vague.end, AlignmentStatus.INFERRED))
        sentence = art.text[scope.sentence_start:scope.sentence_end]
        issues.append(_issue("not_in_text", "casualty", what, value,
                             f"'{value}' does not occur in the cited text: \"{_short(sentence)}\""))
        return None
    lex = lexicon.current()
    counts_people = [n for n in candidates if not _not_people(art.text, n, lex)]
    if not counts_people:
        issues.append(_issue("counts_things", "casualty", what, value,
                             f"'{value}' counts things, not people, in the cited text"))
        return None
    whole = [n for n in counts_people if not lex.subset.search(art.text, max(0, n.start - 16), n.start)]
    if not whole:
        issues.append(_issue("part_of_figure", "casualty", what, value,
                             f"'{value}' is a part ('including {value} …') of another figure, not a toll"))
        return None
    best = _closest_to_cue(art.text, whole, cue, other, scope.sentence_start, scope.sentence_end)
    if best is None:
        word = "death" if what == "killed" else "injury"
        issues.append(_issue("not_a_casualty_figure", "casualty", what, value,
                             f"'{value}' is not stated as a {word} figure in the cited text"))
        return None
    used.add(best.start)
    return Figure(value=best.value, qualifier=best.qualifier, words=best.words,
                  citation=cite(art, best.start, best.end))


def _not_people(text: str, n: NumberMention, lex: lexicon.Lexicon) -> bool:
    """A number that counts things or time, or is an age, money, a rank or a year, not people."""
    if lex.not_people_after.match(text, n.end) or lex.not_people_before.search(text, max(0, n.start - 16), n.start):
        return True
    if lex.compiled("day_month", _day_month).match(text, n.end) or lex.compiled("month_day", _month_day).search(
            text, max(0, n.start - 12), n.start):
        return True  # a day of a month: "10 April 2010", "April 10"
    return is_year(text, n) and not lex.people_after.match(text, n.end)


def _months(lex: lexicon.Lexicon) -> str:
    # Capitalized, as news writes a month: "10 may die" is people, "10 May" a day.
    names = {*lex.months, *(a.rstrip(".") for a in lex.month_abbreviations)}
    return "|".join(sorted((m.capitalize() for m in names), key=len, reverse=True))


def _day_month(lex: lexicon.Lexicon) -> re.Pattern[str]:
    return re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_months(lex)})\b\.?")


def _month_day(lex: lexicon.Lexicon) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_months(lex)})\.?\s+$")


def _vague_reading(text: str, mentions: list[NumberMention], value: int, cue: re.Pattern[str],
                   other: re.Pattern[str], scope: Scope) -> NumberMention | None:
    """'wounded dozens' read as 24: the vague words stand, the model's number does not."""
    fitting = []
    for n in mentions:
        bounds = lexicon.current().vague_readings.get(n.words.lower()) if n.qualifier == Qualifier.VAGUE else None
        if bounds and bounds[0] <= value <= bounds[1] and value % bounds[0] == 0:
            fitting.append(n)
    return _closest_to_cue(text, fitting, cue, other, scope.sentence_start, scope.sentence_end)


def _closest_to_cue(text: str, nums: list[NumberMention], cue: re.Pattern[str], other: re.Pattern[str],
                    s_start: int, s_end: int) -> NumberMention | None:
    """The mention whose nearest cue word (in its sentence, within 80 characters) is ``cue``."""
    cues = [(m.start(), m.end(), True) for m in cue.finditer(text, s_start, s_end)]
    cues += [(m.start(), m.end(), False) for m in other.finditer(text, s_start, s_end)]
    best, best_d = None, 81
    for n in nums:
        near = sorted(cues, key=lambda c: min(abs(c[0] - n.end), abs(n.start - c[1])))
        if not near:
            continue
        c = near[0]
        d = min(abs(c[0] - n.end), abs(n.start - c[1]))
        if c[2] and d < best_d:
            best, best_d = n, d
    return best


def has_casualty_figure(article: Article, start: int, end: int) -> bool:
    """A number (not a year) within reach of a death or injury word in ``[start, end)``."""
    lex = lexicon.current()
    nums = [n for n in find_numbers(article.text, start, end)
            if n.value is not None and not _not_people(article.text, n, lex)]
    return any(_closest_to_cue(article.text, [n], lex.casualty_any, _NO_CUE, start, end) for n in nums)


_NO_CUE = re.compile(r"(?!x)x")  # matches nothing: every cue counts for the question above


def _date(scope: Scope, background: bool) -> DateValue | None:
    return None if background else dates.date_of(scope.article, scope.sentence_start, scope.sentence_end)


def is_background(scope: Scope) -> bool:
    return dates.is_background(scope.article, scope.sentence_start, scope.sentence_end)


def _citations(obj: object) -> list[Citation]:
    if isinstance(obj, Citation):
        return [obj]
    if isinstance(obj, BaseModel):
        return [c for name in type(obj).model_fields for c in _citations(getattr(obj, name))]
    if isinstance(obj, list | tuple):
        return [c for x in obj for c in _citations(x)]
    return []


def _verified(record: BaseModel, article: Article, kind: str, issues: list[GroundingIssue]) -> Outcome:
    """The last gate: a record leaves grounding only if every one of its citations verifies."""
    bad = [c for c in _citations(record) if not verify(c, article)]
    if bad:
        c = bad[0]
        issues.append(_issue("citation_unverified", kind, "citation", f"{c.start}-{c.end}",
                             f"citation {c.start}-{c.end} does not match the article's characters",
                             _DROPPED_RECORD))
        return Outcome(None, issues)
    return Outcome(record, issues)


def _no_evidence(kind: str, evidence: str) -> Outcome:
    return Outcome(None, [_issue("evidence_not_found", kind, "evidence", _short(evidence),
                                 "the evidence quote does not occur in the article", _DROPPED_RECORD)])


# --- casualties ----------------------------------------------------------------------------


def ground_casualty(
    article: Article,
    *,
    evidence: str,
    killed: int | None,
    injured: int | None,
    place: str | None,
    claimed_by: str | None,
    window: tuple[int, int] | None = None,
) -> Outcome:
    span = align_evidence(article, evidence, window)
    if span is None:
        return _no_evidence("casualty", evidence)
    scope = make_scope(article, span)
    issues: list[GroundingIssue] = []
    used: set[int] = set()
    lex = lexicon.current()
    k = _figure(scope, killed, lex.death, lex.injury, used, "killed", issues)
    w = _figure(scope, injured, lex.injury, lex.death, used, "injured", issues)
    if k is None and w is None:
        if killed is None and injured is None:
            issues.append(_issue("no_figure", "casualty", "killed", "null", "no figure given", _DROPPED_RECORD))
        else:
            issues[-1] = issues[-1].model_copy(update={"action": _DROPPED_RECORD})
        return Outcome(None, issues)
    place_c = _place(scope, place, "casualty", issues)
    claim_c = _mention(scope, claimed_by)
    if claimed_by and claim_c is None:
        issues.append(_absent(scope, "casualty", "claimed_by", claimed_by))
    elif claim_c is not None and lex.perpetrator.search(claim_c.text):
        issues.append(_issue("other", "casualty", "claimed_by", claim_c.text,
                             f"'{claim_c.text}' is who did it, not a source of the toll: use null when unattributed"))
        claim_c = None
    elif claim_c is not None and not attribution.gives_figure(
            article.text, attribution.Span(claim_c.start, claim_c.end), scope.sentence_start, scope.sentence_end):
        issues.append(_issue("not_the_source", "casualty", "claimed_by", claim_c.text,
                             f"'{claim_c.text}' is named in the sentence but not as the source of the figure: "
                             "no 'said', 'according to' or 'reported' links it; use null when unattributed"))
        claim_c = None
    claimant, via = _claim_chain(scope, claim_c)
    incident = lex.compiled("incident", _incident).search(article.text, scope.sentence_start, scope.sentence_end)
    background = is_background(scope)
    record = CasualtyReport(
        place=Mention(value=place_c.text, citation=place_c) if place_c else None,
        event=Mention(value=incident.group(), citation=cite(article, incident.start(), incident.end()))
        if incident else None,
        killed=k,
        injured=w,
        claimed_by=claimant,
        via=via,
        date=_date(scope, background),
        background=background,
        evidence=span,
    )
    return _verified(record, article, "casualty", issues)


def _overlaps(c: Citation, s: attribution.Span) -> bool:
    return c.start < s.end and s.start < c.end


def _claim_chain(scope: Scope, claim: Citation | None) -> tuple[Mention | None, Mention | None]:
    """'The agency … quoted the provincial governor as saying': the governor claims, the agency relays."""
    if claim is None:
        return None, None
    art = scope.article
    for chain in attribution.relay_chains(art.text, scope.sentence_start, scope.sentence_end):
        if _overlaps(claim, chain.relay) and not _overlaps(claim, chain.claimant):
            who = cite(art, chain.claimant.start, chain.claimant.end)
            return Mention(value=who.text, citation=who), Mention(value=claim.text, citation=claim)
        if _overlaps(claim, chain.claimant) and not _overlaps(claim, chain.relay):
            relay = cite(art, chain.relay.start, chain.relay.end)
            return Mention(value=claim.text, citation=claim), Mention(value=relay.text, citation=relay)
    return Mention(value=claim.text, citation=claim), None


# --- statements ----------------------------------------------------------------------------


def quoted_spans(article: Article, start: int, end: int) -> list[Citation]:
    """The quoted passages inside ``[start, end)``, without their quotation marks."""
    return [cite(article, q.start, q.end) for q in attribution.quoted_passages(article.text, start, end)]


def _audience(lex: lexicon.Lexicon) -> re.Pattern[str]:
    return re.compile(rf"\b(?:told|telling|in an interview with|speaking to)\s+(?P<aud>{lex.audiences}|"
                      r"(?:[A-Z][\w’'\-]+\s?){1,4})", re.U)
_MIN_AUTO_QUOTE_WORDS = 3  # shorter quoted bits are scare quotes ('provisional agreement'), not statements


@dataclass
class _Speech:
    """The occurrence of the speaker's name that the text attributes the words to."""

    speaker: attribution.Span
    own: bool  # in the words' own sentence (False: named in the sentence before)


def _sentence_bounds(scope: Scope, start: int, end: int) -> tuple[int, int]:
    sents = _sentences(scope.article)
    over = covering(sents, start, end)
    return (min([s.start for s in over], default=start), max([s.end for s in over], default=end))


def _speech(scope: Scope, speaker: str, lo: int, hi: int, quotes: list[attribution.Span],
            passage: attribution.Span | None = None) -> _Speech | None:
    """Does the text give the words in the sentences ``[lo, hi)`` - the quoted ``passage``, or the
    sentence itself for a paraphrase - to the speaker? Yes when the speech verb that introduces them
    has the speaker as its subject ('…,” Brown warned', 'according to the agency'); or when its subject is
    'he', 'it' or 'the coalition' and the speaker is attributed elsewhere in the sentence or named in
    the sentence before; or when the sentence is a bare quote continuing what the speaker was saying."""
    text = scope.article.text
    names = [n for n in attribution.speaker_spans(scope.article, speaker, scope.start, scope.end)
             if not attribution.inside_quotes(quotes, n)]
    here = [n for n in names if lo <= n.start < hi]
    vs = attribution.verbs(text, lo, hi, quotes)
    targets = vs if passage is None else attribution.governing_verbs(text, vs, passage)
    for n in here:
        if any(attribution.linked(text, n, v, vs) for v in targets):
            return _Speech(n, True)
    before = [s for s in _sentences(scope.article) if s.end <= lo]
    p = before[-1] if before else None
    prior = [n for n in names if p is not None and p.start <= n.start < p.end]
    if any(attribution.anaphoric_subject(text, lo, v) for v in targets):
        for n in here:  # 'the Russian Foreign Ministry indicated … what it called …'
            if any(attribution.linked(text, n, v, vs) for v in vs):
                return _Speech(n, True)
        if prior:
            return _Speech(prior[-1], False)
    if not vs and p is not None:  # a bare quote continuing what the speaker began saying
        p_quotes = [q for q in quotes if p.start <= q.start < p.end]
        p_verbs = attribution.verbs(text, p.start, p.end, quotes)
        for n in reversed(prior):
            if any(attribution.linked(text, n, v, p_verbs) for v in p_verbs) and (p_quotes or passage):
                return _Speech(n, False)
    return None


def ground_statement(
    article: Article,
    *,
    evidence: str,
    speaker: str | None,
    quote: str | None,
    speaker_role: str | None = None,
    window: tuple[int, int] | None = None,
) -> Outcome:
    span = align_evidence(article, evidence, window)
    if span is None:
        return _no_evidence("statement", evidence)
    scope = make_scope(article, span)
    issues: list[GroundingIssue] = []
    if not speaker or speaker.strip().lower() in lexicon.current().unnamed_speakers:
        issues.append(_issue("pronoun_speaker", "statement", "speaker", speaker or "null",
                             "name the speaker as the text does, not a pronoun", _DROPPED_RECORD))
        return Outcome(None, issues)
    text = article.text
    quotes = attribution.quoted_passages(text, scope.start, scope.end)
    names = attribution.speaker_spans(article, speaker, scope.start, scope.end)
    if not names:
        issues.append(_absent(scope, "statement", "speaker", speaker, _DROPPED_RECORD))
        return Outcome(None, issues)
    if all(attribution.inside_quotes(quotes, n) for n in names):
        issues.append(_issue("speaker_inside_quote", "statement", "speaker", speaker,
                             f"'{speaker}' only occurs inside the quoted words, not as who said them",
                             _DROPPED_RECORD))
        return Outcome(None, issues)

    chosen: tuple[Citation, _Speech] | None = None
    if quote and quote.strip(" \"'“”‘’"):
        chosen = _model_quote(scope, span, speaker, quote.strip(" \"'“”‘’"), quotes, issues)
    else:
        for q in sorted((q for q in quotes if span.start <= q.start and q.end <= span.end),
                        key=lambda q: q.start - q.end):
            if len(text[q.start:q.end].split()) < _MIN_AUTO_QUOTE_WORDS:
                continue
            lo, hi = _sentence_bounds(scope, q.start, q.end)
            who = _speech(scope, speaker, lo, hi, quotes, q)
            if who is not None:
                chosen = (cite(article, q.start, q.end), who)
                break
    if chosen is not None:
        kind, (text_c, who) = StatementKind.QUOTE, chosen
    else:
        who = _speech(scope, speaker, scope.sentence_start, scope.sentence_end, quotes)
        if who is None:
            issues.append(_issue("no_speech_verb", "statement", "speaker", speaker,
                                 f"the cited sentence does not say that '{speaker}' said anything (no speech verb "
                                 f"such as 'said', 'told', 'according to' for '{speaker}')", _DROPPED_RECORD))
            return Outcome(None, issues)
        kind, text_c = StatementKind.PARAPHRASE, span
    exact = text[who.speaker.start:who.speaker.end] == speaker.strip()
    speaker_c = cite(article, who.speaker.start, who.speaker.end,
                     AlignmentStatus.EXACT if exact else AlignmentStatus.NORMALIZED)
    role_c = _mention(scope, speaker_role, wide=True)
    if speaker_role and role_c is None:
        issues.append(_issue("not_in_sentence", "statement", "speaker_role", speaker_role,
                             f"'{speaker_role}' does not occur near the statement"))
    aud = lexicon.current().compiled("audience", _audience).search(text, scope.sentence_start, scope.sentence_end)
    record = DiplomaticStatement(
        speaker=Mention(value=speaker_c.text, citation=speaker_c),
        speaker_role=Mention(value=role_c.text, citation=role_c) if role_c else None,
        kind=kind,
        text=Mention(value=text_c.text, citation=text_c),
        audience=Mention(value=aud.group("aud").strip(),
                         citation=cite(article, *_trim(text, aud.start("aud"), aud.end("aud"))))
        if aud else None,
        topic=topic_of(text[scope.sentence_start:scope.sentence_end]),
        date=_date(scope, is_background(scope)),
        evidence=span,
    )
    return _verified(record, article, "statement", issues)


def _model_quote(scope: Scope, span: Citation, speaker: str, quote: str,
                 quotes: list[attribution.Span], issues: list[GroundingIssue]) -> tuple[Citation, _Speech] | None:
    """The model's quote, if it is the article's words, inside quotation marks, said by the speaker.
    Otherwise the issue is recorded and the statement falls back to a paraphrase."""
    art = scope.article
    quote_c = locate(art, quote, span.start, span.end)
    if quote_c is None:
        issues.append(_issue("quote_mismatch", "statement", "quote", _short(quote),
                             "the quote does not match the article's words"))
        return None
    passage = next((q for q in quotes if q.start <= quote_c.start and quote_c.end <= q.end), None)
    if passage is None:
        issues.append(_issue("quote_not_in_marks", "statement", "quote", _short(quote),
                             "these words are not inside quotation marks in the cited text: give null "
                             "for a paraphrase"))
        return None
    lo, hi = _sentence_bounds(scope, passage.start, passage.end)
    who = _speech(scope, speaker, lo, hi, quotes, passage)
    if who is None:
        issues.append(_issue("quote_not_attributed", "statement", "quote", _short(quote),
                             f"the cited text does not attribute these quoted words to '{speaker}'"))
        return None
    return quote_c, who


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
    span = align_evidence(article, evidence, window)
    if span is None:
        return _no_evidence("event", evidence)
    scope = make_scope(article, span)
    issues: list[GroundingIssue] = []
    sentence = article.text[scope.sentence_start:scope.sentence_end]
    try:
        proposed = EventKind(kind) if kind else None
    except ValueError:
        proposed = None
    final_kind, supported = settle_kind(sentence, proposed)
    if not supported:
        words = kind_words(proposed) if proposed else "a known kind"
        issues.append(_issue("kind_unsupported", "event", "kind", kind or "null",
                             f"'{kind}' is not what the cited sentence describes (it has no {words}); "
                             f"its words make it '{final_kind.value}'"))
    place_c = _place(scope, place, "event", issues)
    found: dict[str, list[Mention]] = {"perpetrators": [], "participants": []}
    for fld, names in (("perpetrators", perpetrators), ("participants", participants)):
        for name in names or []:
            c = _mention(scope, name, wide=True)  # actors, like speakers, may be 'it' here and named just before
            if c is None:
                issues.append(_issue("not_in_sentence", "event", fld, name,
                                     f"'{name}' does not occur in the cited sentence"))
            elif not_an_actor(c.text):
                issues.append(_issue("not_an_actor", "event", fld, name,
                                     f"'{c.text}' is not the name of who acted: "
                                     "give a person, group, state or organization as the article names it"))
            elif all(m.value != c.text for m in found[fld]):
                found[fld].append(Mention(value=c.text, citation=c))
    background = is_background(scope)
    record = Event(
        kind=final_kind,
        summary=article.text[scope.sentence_start:scope.sentence_end],
        date=_date(scope, background),
        place=Mention(value=place_c.text, citation=place_c) if place_c else None,
        participants=found["participants"],
        perpetrators=found["perpetrators"],
        background=background,
        evidence=span,
    )
    return _verified(record, article, "event", issues)
