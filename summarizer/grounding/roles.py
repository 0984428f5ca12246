"""The role of every number mention: what it counts or names, read from the words around it.

One place decides whether a number is a toll. Each mention the finder gives (digits, number
words, "a dozen", "hundreds"; the finder is ``lexicon/roles.toml``'s ``[finder]``, the census
spec's definition of a mention) gets one role and, for counts of people, a status:

* roles of people (the humanitarian situation reports' key figures): killed, injured, missing,
  displaced, affected, arrested, hospitalized, cases; any other count of people is ``people``;
* roles of numbers not about people: date, time, year, age, money, percent, measure, identifier,
  things, ordinal, score, not_number;
* status: ``current`` (this story's happening), ``background`` (an earlier or other event),
  ``projection`` (what could, may or is feared to happen).

The rules are general and ordered; the words they look for are lexicon data. Each reading keeps
its evidence (the rule and the words that decided it), which ``summarizer explain-number`` shows
and grounding reports when it refuses a figure. A number whose role is not a casualty role is
never kept as one, whatever a model answers (``grounding.casualty``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from .. import lexicon
from ..language.sentences import sentence_at, sentences_of


class Role(StrEnum):
    KILLED = "killed"
    INJURED = "injured"
    MISSING = "missing"
    DISPLACED = "displaced"
    AFFECTED = "affected"
    ARRESTED = "arrested"
    HOSPITALIZED = "hospitalized"
    CASES = "cases"
    PEOPLE = "people"
    DATE = "date"
    TIME = "time"
    YEAR = "year"
    AGE = "age"
    MONEY = "money"
    PERCENT = "percent"
    MEASURE = "measure"
    IDENTIFIER = "identifier"
    THINGS = "things"
    ORDINAL = "ordinal"
    SCORE = "score"
    NOT_NUMBER = "not_number"


class Status(StrEnum):
    CURRENT = "current"
    BACKGROUND = "background"
    PROJECTION = "projection"


# Casualty roles, in the order every view shows them (killed and injured first).
CASUALTY_ROLES: tuple[Role, ...] = (Role.KILLED, Role.INJURED, Role.MISSING, Role.DISPLACED, Role.AFFECTED,
                                    Role.ARRESTED, Role.HOSPITALIZED, Role.CASES)
PEOPLE_ROLES = frozenset([*CASUALTY_ROLES, Role.PEOPLE])


@dataclass(frozen=True)
class Evidence:
    """Why a number got its role: the rule and the words (with their offsets) that decided it."""

    rule: str
    words: str = ""
    start: int = -1
    end: int = -1


@dataclass(frozen=True)
class Reading:
    """One number mention and its role."""

    start: int
    end: int
    text: str
    role: Role
    status: Status | None
    evidence: tuple[Evidence, ...] = field(default=())

    @property
    def is_casualty(self) -> bool:
        return self.role in CASUALTY_ROLES

    def why(self) -> str:
        parts = [f"{e.rule}" + (f" ('{e.words}')" if e.words else "") for e in self.evidence]
        return "; ".join(parts) or "no rule"


PART_RULE = "a part of the figure before it"


# --- the compiled word lists ---------------------------------------------------------------------


def _alt(fragments: list[str]) -> str:
    return "|".join(f"(?:{f})" for f in sorted(fragments, key=len, reverse=True))


@dataclass(frozen=True, eq=False)
class _Rules:
    finder: re.Pattern[str]
    after: dict[str, re.Pattern[str]]
    before: dict[str, re.Pattern[str]]
    role_after: dict[Role, re.Pattern[str]]
    role_before: dict[Role, re.Pattern[str]]
    not_number_after: re.Pattern[str]
    not_number_before: re.Pattern[str]
    street: re.Pattern[str]
    after_identifier: re.Pattern[str]
    people_noun: re.Pattern[str]
    projection: re.Pattern[str]
    projection_after: re.Pattern[str]
    projection_later: re.Pattern[str]
    background: re.Pattern[str]
    clause_break: re.Pattern[str]
    months: re.Pattern[str]
    month_before: re.Pattern[str]
    caps_identifier: bool
    emergency: frozenset[str]
    emergency_after: re.Pattern[str]
    emergency_before: re.Pattern[str]
    age_close: re.Pattern[str]
    singular: re.Pattern[str]
    aboard: re.Pattern[str]
    vanished: re.Pattern[str]
    part_before: re.Pattern[str]
    part_after: re.Pattern[str]
    per_place: re.Pattern[str]


def finder_pattern(data: dict) -> re.Pattern[str]:
    """The census spec's mechanical finder, built from its pieces in ``roles.toml``."""
    f = data["finder"]
    word = "|".join(f["words"])
    scale = "|".join(f["scales"])
    glue = "|".join(f["glue"])
    return re.compile(
        rf"(?<![\w.,/:]){f['digits']}(?:\s(?:{scale})\b)?"
        rf"|(?<![\w-])(?:{word})(?:(?:{glue})(?:{word}))*\b", re.IGNORECASE)


def _build(lex: lexicon.Lexicon) -> _Rules:
    ro = lex.data["roles"]
    npd = ro["not_people"]
    pe = ro["people"]
    mods = _alt(npd["modifiers"] + pe["adjectives"])
    skip = rf"(?:\s+(?:{mods}))*"

    def after(words: list[str], skip_mods: bool = False) -> re.Pattern[str]:
        return re.compile(rf"{skip if skip_mods else ''}\s*(?:{_alt(words)})(?![\w])", re.I)

    def before(words: list[str], flags: int = re.I) -> re.Pattern[str]:
        return re.compile(rf"(?<![\w])(?:{_alt(words)})\s*$", flags)

    months = {*lex.months, *(a.rstrip(".") for a in lex.month_abbreviations)}
    month_alt = "|".join(sorted((m.capitalize() for m in months), key=len, reverse=True))
    nouns = _alt(pe["nouns"])
    adj = _alt(pe["adjectives"])
    links = _alt(ro["links"]["verbs"])
    # The number's own phrase before its predicate: a range's other end ("300 to 400"), "of",
    # adjectives, a noun ("members of its security forces"), a place ("in Nebraska") and an
    # aside between commas ("57 people, mainly civilians, were killed"), then linking verbs.
    span = r"(?:\s*(?:to|or|-|–)\s*[\d,]+(?:\s(?:hundred|thousand|million))?)?"
    ph = ro["phrase"]
    of_noun = rf"(?:\s+of\s+(?:{_alt(ph['of_determiners'])}|[A-Z][\w-]*['’]s)\s+(?:[\w-]+\s+)?[\w-]+)?"
    # "three rebels and a member of the security forces were killed": a second subject
    also = rf"(?:\s+and\s+(?:{_alt(ph['second_subject_counts'])}|\d[\d,]*)\s+(?:[\w'’-]+\s+){{0,5}}?[\w'’-]+)?"
    place = rf"(?:\s+(?:{_alt(ph['place_prepositions'])})\s+(?:the\s+)?(?:[A-Z][\w'’.-]*,?\s*){{1,4}}?)?"
    aside = (r"(?:\s*(?:,|--|—)[^,;.()—]{1,45}(?:,|--|—)"
             rf"|\s+(?:{_alt(ro['phrase']['aside_words'])})\s+(?:[\w'’-]+\s+){{0,3}}?[\w'’-]+)?")
    head = (rf"{span}(?:\s+of)?(?:,?\s+(?:{adj}))*(?:\s+(?:{nouns}))?{of_noun}{place}(?:,?\s+(?:{adj}))*"
            rf"{aside}{also}(?:,?\s+(?:{links}))*")
    role_after, role_before = {}, {}
    qual = _alt(list(lex.data["roles"]["qualifiers"]))
    for name, spec in ro["roles"].items():
        role = Role(name)
        role_after[role] = re.compile(rf"{head}\s+(?P<cue>{_alt(spec['after'])})(?![\w])", re.I)
        own = [w for w in spec["before"] if w not in spec.get("needs_after", [])]
        role_before[role] = re.compile(
            rf"(?<![\w])(?:{_alt(own)})\s+(?:(?:{qual})\s+)?(?:the\s+)?(?:(?:a|an)\s+)?$", re.I)
    st = ro["status"]
    cues = "|".join(f"(?P<{n}>{_alt(spec['after'])})" for n, spec in ro["roles"].items())
    return _Rules(
        finder=finder_pattern(ro),
        after={k: after(npd[f"after_{k}"], k in ("things", "measure", "money", "score")) for k in
               ("percent", "money", "time", "age", "measure", "ordinal", "decade", "things", "score")},
        before={k: before(npd[f"before_{k}"], re.I if k != "identifier" else 0) for k in
                ("money", "percent", "age", "measure", "ordinal", "identifier", "score")},
        role_after=role_after,
        role_before=role_before,
        not_number_after=re.compile(rf"\s+(?:{_alt(npd['not_number_after'])})(?![\w])", re.I),
        not_number_before=re.compile(rf"(?<![\w])(?:{_alt(npd['not_number_before'])})[\s-]+$", re.I),
        street=re.compile(rf"\s+(?:[A-Z][\w'.-]*\s+){{1,3}}(?:{_alt(npd['street'])})(?![\w])"),
        after_identifier=re.compile(rf"\s+(?:{_alt(npd['after_identifier'])})(?![\w])"),
        people_noun=re.compile(rf"{skip}\s+(?:{nouns})(?![\w])", re.I),
        projection=re.compile(rf"(?<![\w])(?:{_alt(st['projection'])})(?![\w])", re.I),
        projection_after=re.compile(
            rf"(?:\s+(?:{_alt(pe['nouns'])}))?(?:\s+[\w-]+){{0,4}}?\s+(?P<modal>{_alt(st['projection_after'])})(?![\w])",
            re.I),
        projection_later=re.compile(rf"(?<![\w])(?:{_alt(st['projection_later'])})(?![\w])"),
        background=re.compile(rf"(?<![\w])(?:{_alt(st['background'])})(?![\w])", re.I),
        clause_break=re.compile(_alt(ro["links"]["clause_breaks"])),
        months=re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{month_alt})\b"),
        month_before=re.compile(rf"\b(?:{month_alt})\.?\s+$"),
        caps_identifier=bool(npd.get("caps_identifier", False)),
        emergency=frozenset(npd.get("emergency_numbers", [])),
        emergency_after=re.compile(rf"[\s-]+(?:{_alt(npd['emergency_context'])})\b", re.I),
        emergency_before=re.compile(rf"\b(?:{_alt(npd['emergency_context'])})\s+(?:(?:a|an|the)\s+)?$", re.I),
        part_before=re.compile(rf"(?:{_alt(ro['phrase']['part_before'])})\s+(?:the\s+)?$", re.I),
        part_after=re.compile(rf"\s+(?:{_alt(ro['phrase']['part_after'])})\b", re.I),
        per_place=re.compile(rf"\s+(?:more\s+|others?\s+)?(?:in|at|on)\s+(?:(?:the|a|an)\s+)?"
                             rf"(?:[A-Z]|(?:{_alt(ro['phrase']['place_words'])})\b)"),
        aboard=re.compile(rf"(?:\s+(?:{adj}))*(?:\s+(?:{nouns}))(?:\s+and\s+crew)?\s+(?:{_alt(ro['roles']['missing']['aboard'])})\b",
                          re.I),
        vanished=re.compile(rf"\b(?:{_alt(ro['roles']['missing']['vanished'])})\b", re.I),
        age_close=re.compile(rf"(?:,|\)|\s+(?:{_alt(ph['age_close_words'])})\b)"),
        singular=re.compile(
            rf"(?<![\w-])(?P<who>(?:a|an)\s+(?:(?:{adj})\s+)*(?:{nouns}))"
            rf"(?:,[^,;.]{{1,40}},)?\s+(?:was|has been|had been|is|got)\s+(?:\w+ly\s+)?"
            rf"(?P<cue>{cues})(?![\w])", re.I),
    )


def _rules() -> _Rules:
    return lexicon.current().compiled("roles", _build)


# --- reading --------------------------------------------------------------------------------------

_YEAR = re.compile(r"(?:1[89]\d\d|20\d\d|2100)")
_PHONE_NEIGHBOUR_AFTER = re.compile(r"[\s.-]\(?\d{3,}")
_PHONE_NEIGHBOUR_BEFORE = re.compile(r"\d{3,}\)?[\s.-]$")
_SCORE_AFTER = re.compile(r"[-–]\d")
_SCORE_BEFORE = re.compile(r"\d[-–]$")
_ID_HYPHEN_BEFORE = re.compile(r"[A-Za-z][-–]$")
_CAPS_BEFORE = re.compile(r"(?<![\w.])([A-Z]{2,6})\s$")
_AGE_AFTER_NAME = re.compile(r"[A-Z][\w'’.-]+,\s$")
_OF_TOTAL = re.compile(r"\s+of\s+\d")


def _window_before(text: str, start: int, lo: int, reach: int = 80) -> str:
    return text[max(lo, start - reach):start]


def _clause_before(r: _Rules, text: str, start: int, lo: int, reach: int = 90) -> tuple[str, int]:
    """The words before a number back to the last clause break (at most ``reach`` characters)."""
    s = max(lo, start - reach)
    chunk = text[s:start]
    cut = None
    for m in r.clause_break.finditer(chunk):
        cut = m.end()
    return (chunk[cut:], s + cut) if cut is not None else (chunk, s)


def _clause_after(r: _Rules, text: str, end: int, hi: int, reach: int = 60) -> str:
    chunk = text[end:min(hi, end + reach)]
    m = r.clause_break.search(chunk)
    return chunk[:m.start()] if m else chunk


def _ev(rule: str, m: re.Match[str] | None = None, offset: int = 0) -> Evidence:
    if m is None:
        return Evidence(rule)
    return Evidence(rule, m.group().strip(), offset + m.start(), offset + m.end())


def _not_people(r: _Rules, text: str, s: int, e: int, lo: int, hi: int) -> tuple[Role, Evidence] | None:
    """A role that is not about people, from the number's own shape and the words touching it."""
    words = text[s:e]
    low = words.lower()
    digits = words[0].isdigit()
    before = _window_before(text, s, lo, 40)
    if not digits and low == "one" and (r.not_number_after.match(text, e) or r.not_number_before.search(before)):
        return Role.NOT_NUMBER, Evidence("'one' as a pronoun or idiom", text[max(lo, s - 8):min(hi, e + 12)].strip())
    if not digits and low in ("tens", "scores", "hundreds", "thousands", "dozens") and \
            not re.match(r"\s+of\b", text[e:e + 4]) and not r.people_noun.match(text, e):
        if low in ("tens", "scores"):
            return Role.NOT_NUMBER, Evidence(f"'{words}' not followed by 'of'")
    if digits and ":" in words:
        return Role.TIME, Evidence("clock digits", words)
    if digits and "/" in words:
        return Role.DATE, Evidence("date digits", words)
    m = r.before["money"].search(before)
    if m or r.after["money"].match(text, e):
        return Role.MONEY, _ev("currency", m or r.after["money"].match(text, e), 0)
    m = r.after["percent"].match(text, e) or r.before["percent"].search(before)
    if m:
        return Role.PERCENT, _ev("percent word", m)
    m = r.before["age"].search(before) or r.after["age"].match(text, e)
    if m:
        return Role.AGE, _ev("age word", m)
    if digits and _AGE_AFTER_NAME.search(before) and r.age_close.match(text, e) and words.isdigit() \
            and 0 < int(words) < 120:
        return Role.AGE, Evidence("a number set off by commas after a name", text[max(lo, s - 12):e + 1])
    if digits and re.match(r"(?:s|['’]s)\b", text[e:e + 3]) and _YEAR.fullmatch(words):
        return Role.YEAR, Evidence("a decade", text[s:e + 2])
    if digits and (_PHONE_NEIGHBOUR_AFTER.match(text, e) or _PHONE_NEIGHBOUR_BEFORE.search(before)) and \
            (words.startswith("0") or len(words.replace(",", "")) >= 3) and "," not in words:
        return Role.IDENTIFIER, Evidence("a group of a phone number or code", words)
    if digits and _ID_HYPHEN_BEFORE.search(before):
        return Role.IDENTIFIER, Evidence("glued to a name by a hyphen", text[max(lo, s - 6):e])
    m = r.before["identifier"].search(before)
    if m:
        return Role.IDENTIFIER, _ev("a name that carries a number", m)
    if r.caps_identifier and digits:
        m = _CAPS_BEFORE.search(before)
        if m and m.group(1) not in ("AM", "PM"):
            return Role.IDENTIFIER, Evidence("after a call sign or code", m.group(1))
    m = r.street.match(text, e) or r.after_identifier.match(text, e)
    if digits and m:
        return Role.IDENTIFIER, _ev("a street number", m)
    if digits and (_SCORE_AFTER.match(text, e) or _SCORE_BEFORE.search(before)):
        if _YEAR.fullmatch(words):
            return Role.YEAR, Evidence("a span of years", text[max(lo, s - 5):e + 5])
        return Role.SCORE, Evidence("a score or tally 'N-M'", text[max(lo, s - 3):e + 3])
    # dates before ordinals: "21st of February" is a day, "the 21st" a rank
    if digits and words.isdigit() and 0 < int(words) <= 31:
        m = r.months.match(text, e) or r.month_before.search(before)
        if m:
            return Role.DATE, _ev("next to a month", m)
    if digits and words in r.emergency and (r.emergency_after.match(text, e) or r.emergency_before.search(before)):
        return Role.IDENTIFIER, Evidence("an emergency line", words)
    if digits and _OF_TOTAL.match(text, e) and words.isdigit():
        return Role.ORDINAL, Evidence("'N of M': a place in a series", text[s:e + 6])
    m = r.after["ordinal"].match(text, e) or r.before["ordinal"].search(before)
    if m:
        return Role.ORDINAL, _ev("ordinal", m)
    if digits and _YEAR.fullmatch(words) and not r.people_noun.match(text, e):
        return Role.YEAR, Evidence("four digits of a year", words)
    m = r.after["time"].match(text, e)
    if m:
        return Role.TIME, _ev("clock word", m)
    m = r.after["measure"].match(text, e) or r.before["measure"].search(before)
    if m and not r.people_noun.match(text, e):
        return Role.MEASURE, _ev("unit", m)
    if digits and "." in words and " " not in words:  # "2.7 million" is a count
        return Role.MEASURE, Evidence("a decimal number", words)
    m = r.before["score"].search(before) or r.after["score"].match(text, e)
    if m:
        return Role.SCORE, _ev("votes or score", m)
    m = r.after["things"].match(text, e)
    if m:
        return Role.THINGS, _ev("counts things", m)
    return None


def _people_role(r: _Rules, text: str, s: int, e: int, lo: int, hi: int) -> tuple[Role, Evidence] | None:
    """A casualty role, from the words right after the number (its noun and predicate: '12 people
    were killed', 'the six dead') or right before it ('killing 12', 'the death toll rose to 11')."""
    # The nearest role word wins; at the same place the longest ("shot dead" over "shot").
    best: tuple[int, int, Role, re.Match[str]] | None = None
    limit = _clause_after(r, text, e, hi, 90)
    for role, pat in r.role_after.items():
        m = pat.match(text, e, e + len(limit))
        if m and (best is None or (m.start("cue"), -m.end()) < (best[0], best[1])):
            best = (m.start("cue"), -m.end(), role, m)
    before, _ = _clause_before(r, text, s, lo, 70)
    # "killed two of the gunmen and arrested the third": the verb right before the number is its
    # own; a role word further on belongs to the next object.
    near = [(role, m) for role, pat in r.role_before.items() if (m := pat.search(before))]
    if near and (best is None or best[0] - e > 15):
        role, m = near[0]
        return role, Evidence("the verb or toll before it", m.group().strip())
    if best is not None:
        m = best[3]
        return best[2], Evidence("its predicate or noun after it", m.group().strip(), m.start("cue"), m.end())
    return None


def _status(r: _Rules, text: str, s: int, e: int, lo: int, hi: int, latest_year: int | None,
            cue: Evidence | None = None) -> tuple[Status, Evidence]:
    clause, c_start = _clause_before(r, text, s, lo, 90)
    after = _clause_after(r, text, e, hi, 70)
    near, n_start = _clause_before(r, text, s, lo, 60)
    m = r.projection.search(near)
    if m:
        return Status.PROJECTION, _ev("what could or may happen", m, n_start)
    m = r.projection_after.match(text, e)
    # "300 people could die": the modal governs the role word after it; in "the two dead
    # journalists would be brought out" it governs something else.
    if m and (cue is None or cue.start < 0 or cue.start >= m.start("modal")):
        return Status.PROJECTION, _ev("what could or may happen", m)
    m = r.projection_later.search(after)
    if m:
        return Status.PROJECTION, Evidence("a date still to come", m.group())
    m = r.background.search(clause) or r.background.search(after)
    if m:
        return Status.BACKGROUND, Evidence("an earlier or other time", m.group())
    if latest_year is not None:
        for y in re.finditer(r"(?<!\d)(?:19|20)\d\d(?!\d)", clause + " " + after):
            if int(y.group()) < latest_year:
                return Status.BACKGROUND, Evidence("a year before the article's", y.group())
    return Status.CURRENT, Evidence("reported as having happened")


def _latest_year(text: str) -> int | None:
    years = [int(y) for y in re.findall(r"(?<![\d,.])((?:19|20)\d\d)(?![\d,])", text)]
    return max(years) if years else None


def _read_one(r: _Rules, text: str, s: int, e: int, lo: int, hi: int, latest: int | None,
              previous: list[Reading]) -> Reading:
    words = text[s:e]
    found = _not_people(r, text, s, e, lo, hi)
    if found is not None:
        role, ev = found
        return Reading(s, e, words, role, None, (ev,))
    found = _people_role(r, text, s, e, lo, hi)
    if found is None and (r.part_before.search(_window_before(text, s, lo, 20)) or r.part_after.match(text, e)
                          or r.per_place.match(text, e)):
        # "including 12 children", "eight of them": a part of the casualty figure before it
        whole = next((p for p in reversed(previous) if p.is_casualty and p.start >= lo), None)
        if whole is not None:
            found = whole.role, Evidence(PART_RULE, whole.text, whole.start, whole.end)
    if found is None and r.aboard.match(text, e) and (v := r.vanished.search(text, lo, hi)):
        found = Role.MISSING, Evidence("aboard a craft that went missing", v.group(), v.start(), v.end())
    if found is None:
        m = r.people_noun.match(text, e)
        if m:
            status, sev = _status(r, text, s, e, lo, hi, latest)
            return Reading(s, e, words, Role.PEOPLE, status, (_ev("counts people, no harm stated", m), sev))
        return Reading(s, e, words, Role.THINGS, None, (Evidence("no word about people or harm next to it"),))
    role, ev = found
    status, sev = _status(r, text, s, e, lo, hi, latest, ev)
    return Reading(s, e, words, role, status, (ev, sev))


@lru_cache(maxsize=64)
def _read_cached(text: str, lex: lexicon.Lexicon) -> tuple[Reading, ...]:
    r = lex.compiled("roles", _build)
    sentences = sentences_of(text)
    latest = _latest_year(text)
    out: list[Reading] = []
    for m in r.finder.finditer(text):
        i = sentence_at(sentences, m.start())
        lo, hi = (sentences[i].start, sentences[i].end) if i is not None else (0, len(text))
        out.append(_read_one(r, text, m.start(), m.end(), lo, hi, latest, out))
    return tuple(out)


def read_roles(text: str) -> list[Reading]:
    """Every number mention of ``text`` with its role, in text order."""
    return list(_read_cached(text, lexicon.current()))


def recalls_another_time(text: str, start: int, end: int) -> bool:
    """Does ``text[start:end]`` speak of another time ("since 2011", "over the last five years")?"""
    return _rules().background.search(text, start, end) is not None


def reading_at(text: str, start: int, end: int | None = None) -> Reading | None:
    """The mention that covers ``[start, end)`` (or the offset ``start``), if any."""
    end = start + 1 if end is None else end
    for rd in read_roles(text):
        if rd.start < end and start < rd.end:
            return rd
    return None


@dataclass(frozen=True)
class Singular:
    """'A passenger was killed': one person, written with no number (the finder has no mention)."""

    start: int
    end: int
    words: str
    role: Role


def singular_counts(text: str, start: int, end: int) -> list[Singular]:
    """Every 'a/an <person> was <role word>' in ``text[start:end]``: a count of one of that role."""
    r = _rules()
    out = []
    for m in r.singular.finditer(text, start, end):
        role = next(Role(n) for n, v in m.groupdict().items() if v is not None and n not in ("who", "cue"))
        out.append(Singular(m.start("who"), m.end("who"), m.group("who"), role))
    return out


# --- explaining -----------------------------------------------------------------------------------


def verdict(rd: Reading) -> str:
    """What grounding does with this number when a model gives it as a toll."""
    gate = lexicon.current().data["roles"]["gate"]
    allowed = [what for what, ok in gate.items() if rd.role.value in ok]
    if rd.role in CASUALTY_ROLES and rd.status == Status.PROJECTION:
        return "never kept as a figure: a projection (what could or may happen), not a reported toll"
    if allowed:
        when = " (background: kept apart from today's tolls)" if rd.status == Status.BACKGROUND else ""
        return f"may be kept as {' or '.join(allowed)}{when}"
    if rd.role in CASUALTY_ROLES:
        when = " (background)" if rd.status == Status.BACKGROUND else ""
        return f"kept as a {rd.role.value} figure, read from the text{when}; never as killed or injured"
    return "never kept as a casualty figure, whatever a model answers"


def explain(text: str, rd: Reading) -> str:
    """Why a number was or was not read as a toll, in a few lines for a person."""
    i = sentence_at(sentences_of(text), rd.start)
    sentence = sentences_of(text)[i] if i is not None else None
    lines = [f"{rd.text!r} at {rd.start}:{rd.end}",
             f"  role:    {rd.role.value}" + (f" ({rd.status.value})" if rd.status else "")]
    for ev in rd.evidence:
        where = f" at {ev.start}:{ev.end}" if ev.start >= 0 else ""
        lines.append(f"  because: {ev.rule}" + (f": {ev.words!r}" if ev.words else "") + where)
    lines.append(f"  verdict: {verdict(rd)}")
    if sentence is not None:
        lines.append(f"  sentence {sentence.start}:{sentence.end}: {' '.join(sentence.text.split())}")
    return "\n".join(lines)
