"""Grounding a casualty record: figures read by value, qualifiers from the text, the claimant's chain."""

from __future__ import annotations

import re

from .. import lexicon
from ..ingest.article import Article
from ..language.numbers import NumberMention, find_numbers, is_year
from ..language.sentences import sentence_at, sentences_of
from ..schemas import (
    AlignmentStatus,
    CasualtyReport,
    Citation,
    Figure,
    GroundingIssue,
    Mention,
    Qualifier,
)
from . import attribution, dates, roles
from .align import cite
from .context import record_context
from .dates import find_date, scope_date, scope_is_background
from .issues import DROPPED_RECORD as _DROPPED_RECORD
from .issues import coded_issue
from .issues import short as _short
from .kinds import kinds_named
from .outcome import Outcome, no_evidence, verified
from .places import ground_place
from .scope import Scope, absent, evidence_scope, mention

# --- record grounding --------------------------------------------------------------------



def _incident(lex: lexicon.Lexicon) -> re.Pattern[str]:
    """Words naming the incident a toll belongs to ("twin bombings", "the earthquake")."""
    cues = [c for k in lex.kinds.values() if lex.is_incident(k.name) for c in [k.cue.pattern]]
    multipliers = "|".join(lex.data["casualties"]["incident_multipliers"])
    return re.compile(rf"\b(?:(?:{multipliers})\s+)?(?:" + "|".join(f"(?:{c})" for c in cues) + ")", re.I)


def _figure(scope: Scope, value: int | None, cue: re.Pattern[str], other: re.Pattern[str],
            used: set[int], what: str, issues: list[GroundingIssue]) -> Figure | None:
    if value is None:
        return None
    art = scope.article
    # A figure may sit anywhere in the evidence's own sentence, never further away.
    mentions = [n for n in find_numbers(art.text, scope.sentence_start, scope.sentence_end) if n.start not in used]
    mentions += _singulars(art.text, scope, what, mentions, used)
    candidates = [n for n in mentions if n.value == value]
    if not candidates:
        vague = _vague_reading(art.text, mentions, value, cue, other, scope)
        if vague is not None and _role_allows(art.text, vague, what, value, issues):
            used.add(vague.start)
            return Figure(value=None, qualifier=Qualifier.VAGUE, words=vague.words,
                          citation=cite(art, vague.start, vague.end, AlignmentStatus.INFERRED))
        sentence = art.text[scope.sentence_start:scope.sentence_end]
        issues.append(coded_issue("not_in_text", "casualty", what, value,
                                  f"'{value}' does not occur in the cited text: \"{_short(sentence)}\""))
        return None
    lex = lexicon.current()
    counts_people = [n for n in candidates if not _not_people(art.text, n, lex)]
    if not counts_people:
        issues.append(coded_issue("counts_things", "casualty", what, value,
                                  f"'{value}' counts things, not people, in the cited text"))
        return None
    whole = [n for n in counts_people if not lex.subset.search(art.text, max(0, n.start - 16), n.start)
             and not lex.subset_after.match(art.text, n.end)]
    if not whole:
        issues.append(coded_issue("part_of_figure", "casualty", what, value,
                                  f"'{value}' is a part ('including {value} …') of another figure, not a toll"))
        return None
    best = _closest_to_cue(art.text, whole, cue, other, scope.sentence_start, scope.sentence_end)
    if best is None:
        word = "death" if what == "killed" else "injury"
        issues.append(coded_issue("not_a_casualty_figure", "casualty", what, value,
                                  f"'{value}' is not stated as a {word} figure in the cited text"))
        return None
    if not _role_allows(art.text, best, what, value, issues):
        return None
    used.add(best.start)
    return Figure(value=best.value, qualifier=best.qualifier, words=best.words,
                  citation=cite(art, best.start, best.end))


def _singulars(text: str, scope: Scope, what: str, mentions: list[NumberMention],
               used: set[int]) -> list[NumberMention]:
    """'A passenger was killed' counts one, with no number written: read as 1 for its own role."""
    gate = lexicon.current().data["roles"]["gate"][what]
    return [NumberMention(s.start, s.end, 1, Qualifier.EXACT, s.words)
            for s in roles.singular_counts(text, scope.sentence_start, scope.sentence_end)
            if s.role.value in gate and s.start not in used
            and not any(n.start < s.end and s.start < n.end for n in mentions)]


def _role_allows(text: str, n: NumberMention, what: str, value: object, issues: list[GroundingIssue]) -> bool:
    """The gate: a figure is kept as ``what`` only when its own words read as that role, of today
    or of an earlier event, never as a projection (``roles``), whatever the model answered."""
    reading = roles.reading_at(text, n.start, n.end)
    if reading is None:
        return True
    if reading.role.value not in lexicon.current().data["roles"]["gate"][what]:
        issues.append(coded_issue("wrong_role", "casualty", what, value,
                                  f"'{n.words}' reads as {reading.role.value}, not {what} ({reading.why()})"))
        return False
    if reading.status == roles.Status.PROJECTION:
        issues.append(coded_issue("projection", "casualty", what, value,
                                  f"'{n.words}' is what could or may happen, not a reported toll ({reading.why()})"))
        return False
    return True


OTHER_ROLES = (roles.Role.MISSING, roles.Role.DISPLACED, roles.Role.AFFECTED, roles.Role.ARRESTED,
               roles.Role.HOSPITALIZED, roles.Role.CASES)


def _other_figures(scope: Scope, used: set[int], background: bool | None) -> tuple[dict[str, Figure], bool]:
    """Missing, displaced, affected, arrested, hospitalized and cases figures of the sentence, read
    from its words (``roles``), never asked of the model: the first of each role, never a
    projection nor a part of another figure, and only those of the record's time (``background``;
    None: the first figure's time decides). A figure whose sentence gives no time of its own takes
    the time of the sentence before ("Since the war began in 2011, … . 7.6 million people have been
    displaced"). Returns the figures and whether they are background."""
    art = scope.article
    mentions = find_numbers(art.text, scope.sentence_start, scope.sentence_end)
    out: dict[str, Figure] = {}
    inherited = _time_before(scope)
    for rd in roles.read_roles(art.text):
        if not scope.sentence_start <= rd.start < scope.sentence_end:
            continue
        role = rd.role
        if role not in OTHER_ROLES or role.value in out or rd.status == roles.Status.PROJECTION:
            continue
        earlier = rd.status == roles.Status.BACKGROUND or inherited
        if background is None:
            background = earlier
        if earlier != background:
            continue
        if any(e.rule == roles.PART_RULE for e in rd.evidence):
            continue
        n = next((m for m in mentions if m.start <= rd.start and rd.end <= m.end and m.start not in used), None)
        if n is None:
            continue  # a reading find_numbers does not give a value or words to ("3.5", "tens")
        used.add(n.start)
        out[role.value] = Figure(value=n.value, qualifier=n.qualifier, words=n.words,
                                 citation=cite(art, n.start, n.end))
    return out, bool(background)


def _time_before(scope: Scope) -> bool:
    """The sentence gives no date of its own and the sentence before speaks of an earlier time."""
    art = scope.article
    if find_date(art, scope.sentence_start, scope.sentence_end) is not None:
        return False
    sentences = sentences_of(art.text)
    i = sentence_at(sentences, scope.sentence_start)
    if not i:
        return False
    prev = sentences[i - 1]
    return roles.recalls_another_time(art.text, prev.start, prev.end) or \
        dates.is_background(art, prev.start, prev.end)


def _reads_as(text: str, f: Figure, role: roles.Role) -> bool:
    rd = roles.reading_at(text, f.citation.start, f.citation.end)
    return rd is not None and rd.role == role


def _recalled(text: str, figures: list[Figure]) -> bool:
    """A kept toll whose own words put it in an earlier or other event ("the 2015 attack that
    killed 130"): the record is background, whatever the rest of its sentence says."""
    for f in figures:
        rd = roles.reading_at(text, f.citation.start, f.citation.end)
        if rd is not None and rd.status == roles.Status.BACKGROUND:
            return True
    return False


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


_PREDICATE = re.compile(r"\s+(?:(?:people|others|more|persons)\s+)?"
                        r"(?:were|was|are|is|have\s+been|has\s+been|had\s+been)\s+(?:\w+ly\s+)?", re.I)


def _closest_to_cue(text: str, nums: list[NumberMention], cue: re.Pattern[str], other: re.Pattern[str],
                    s_start: int, s_end: int) -> NumberMention | None:
    """The mention whose nearest cue word (in its sentence, within 80 characters) is ``cue``."""
    cues = [(m.start(), m.end(), True) for m in cue.finditer(text, s_start, s_end)]
    cues += [(m.start(), m.end(), False) for m in other.finditer(text, s_start, s_end)]
    best, best_d = None, 81
    def distance(n: NumberMention, c: tuple[int, int, bool]) -> int:
        # "died and 30 were hurt": the cue that is the number's own predicate binds it, however near another
        if c[0] >= n.end and _PREDICATE.fullmatch(text, n.end, c[0]):
            return 0
        return min(abs(c[0] - n.end), abs(n.start - c[1]))

    for n in nums:
        near = sorted(cues, key=lambda c: distance(n, c))
        if not near:
            continue
        c = near[0]
        d = distance(n, c)
        if c[2] and d < best_d:
            best, best_d = n, d
    return best


def has_casualty_figure(article: Article, start: int, end: int) -> bool:
    """A number (not a year) within reach of a death or injury word in ``[start, end)``."""
    lex = lexicon.current()
    nums = [n for n in find_numbers(article.text, start, end)
            if n.value is not None and not _not_people(article.text, n, lex)]
    if any(s.role in (roles.Role.KILLED, roles.Role.INJURED) for s in roles.singular_counts(article.text, start, end)):
        return True
    return any(_closest_to_cue(article.text, [n], lex.casualty_any, _NO_CUE, start, end) for n in nums)


def has_other_figure(article: Article, start: int, end: int) -> bool:
    """A missing, displaced, affected, arrested, hospitalized or cases figure of today or of an
    earlier event in ``[start, end)`` (``roles``), never a projection."""
    return any(start <= rd.start < end and rd.role in OTHER_ROLES and rd.status != roles.Status.PROJECTION
               for rd in roles.read_roles(article.text))


_NO_CUE = re.compile(r"(?!x)x")  # matches nothing: every cue counts for the question above


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
    scope = evidence_scope(article, evidence, window)
    if scope is None:
        return no_evidence("casualty", evidence)
    span = scope.evidence
    issues: list[GroundingIssue] = []
    used: set[int] = set()
    lex = lexicon.current()
    sentence = article.text[scope.sentence_start:scope.sentence_end]
    illness = any(lex.kind_family(k.value) == "health" for k in kinds_named(sentence))
    injury = lex.injury_in_illness if illness else lex.injury  # "hospitalized with flu" is a case
    k = _figure(scope, killed, lex.death, injury, used, "killed", issues)
    w = _figure(scope, injured, injury, lex.death, used, "injured", issues)
    background = scope_is_background(scope) or _recalled(article.text, [f for f in (k, w) if f is not None])
    # With a toll, the other figures must share its time; alone, a sentence that speaks of an
    # earlier time keeps only earlier figures, else the first figure's time decides.
    others, others_background = _other_figures(scope, used, background if (k or w) else (background or None))
    background = background if (k or w) else others_background
    if w is not None and "hospitalized" not in others and _reads_as(article.text, w, roles.Role.HOSPITALIZED):
        # "27 remained hospitalized": the model's injured count is kept, under the role its words give.
        others["hospitalized"], w = w, None
    if k is None and w is None and not others:
        if killed is None and injured is None:
            issues.append(coded_issue("no_figure", "casualty", "killed", "null", "no figure given", _DROPPED_RECORD))
        else:
            issues[-1] = issues[-1].model_copy(update={"action": _DROPPED_RECORD})
        return Outcome(None, issues)
    place_c = ground_place(scope, place, "casualty", issues)
    claim_c = mention(scope, claimed_by)
    if claimed_by and claim_c is None:
        issues.append(absent(scope, "casualty", "claimed_by", claimed_by))
    elif claim_c is not None and lex.perpetrator.search(claim_c.text):
        issues.append(coded_issue("other", "casualty", "claimed_by", claim_c.text,
                                  f"'{claim_c.text}' is who did it, not a source of the toll: "
                                  "use null when unattributed"))
        claim_c = None
    elif claim_c is not None and not attribution.gives_figure(
            article.text, attribution.Span(claim_c.start, claim_c.end), scope.sentence_start, scope.sentence_end):
        issues.append(coded_issue("not_the_source", "casualty", "claimed_by", claim_c.text,
                                  f"'{claim_c.text}' is named in the sentence but not as the source of the figure: "
                                  "no 'said', 'according to' or 'reported' links it; use null when unattributed"))
        claim_c = None
    claimant, via = _claim_chain(scope, claim_c)
    incident = lex.compiled("incident", _incident).search(article.text, scope.sentence_start, scope.sentence_end)
    record = CasualtyReport(
        place=Mention(value=place_c.text, citation=place_c) if place_c else None,
        event=Mention(value=incident.group(), citation=cite(article, incident.start(), incident.end()))
        if incident else None,
        killed=k,
        injured=w,
        **others,
        claimed_by=claimant,
        via=via,
        date=scope_date(scope, background),
        background=background,
        evidence=span,
    )
    record.context = record_context(article, record)  # what merging reads, so it never reads the text
    return verified(record, article, "casualty", issues)


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
