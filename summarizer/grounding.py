"""Grounding: every value kept points at the exact characters that support it.

The model proposes, this module disposes. ``align`` finds a quote in the article (exact, then
normalized, then - for prose only - fuzzy above ``FUZZY_THRESHOLD``, snapped to word bounds);
``locate`` finds a name or phrase inside a span with no fuzziness; numbers are found by value
(``numbers.find_value``), so "57" never grounds in a text that says "25". Whatever the path, a
``Citation`` is built from ``text[start:end]`` itself, so its text always equals the span.

``ground_casualty``, ``ground_statement`` and ``ground_event`` turn a model's proposal into a
grounded record plus the list of problems; the LLM-facing models in ``drafts`` raise those
problems as validation errors so instructor re-asks with them, and whatever still fails after
the re-asks is dropped and reported here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .ingest import Article
from .numbers import NumberMention, find_numbers
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
    StatementKind,
)
from .sentences import Sentence, split_sentences

FUZZY_THRESHOLD = 90.0  # rapidfuzz partial_ratio, 0-100, prose evidence only
FUZZY_MIN_CHARS = 24

_SINGLE_QUOTES = "‘’‚‛′`´"
_DOUBLE_QUOTES = "“”„‟″«»"
_DASHES = "‐‑‒–—―−"
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"} | {
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)
}


def fold(text: str, start: int = 0) -> tuple[str, list[int]]:
    """Fold case, quotes, dashes, invisible characters and whitespace runs.

    Returns the folded string and, for each of its characters, the offset in ``text`` of the
    character it came from, so a match in folded text maps back to exact original offsets.
    """
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch in _INVISIBLE:
            continue
        if ch in _SINGLE_QUOTES:
            ch = "'"
        elif ch in _DOUBLE_QUOTES:
            ch = '"'
        elif ch in _DASHES:
            ch = "-"
        elif ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        else:
            ch = unicodedata.normalize("NFKD", ch)[:1].lower() or ch
            if unicodedata.combining(ch):
                continue
        out.append(ch)
        index.append(start + i)
    return "".join(out), index


def cite(article: Article, start: int, end: int, status: AlignmentStatus = AlignmentStatus.EXACT) -> Citation:
    return Citation(
        article_id=article.id, start=start, end=end, text=article.text[start:end], status=status
    )


def verify(citation: Citation, article: Article) -> bool:
    """True when the citation's text is exactly the article's characters at its offsets."""
    return (
        citation.article_id == article.id
        and 0 <= citation.start <= citation.end <= len(article.text)
        and article.text[citation.start : citation.end] == citation.text
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def locate(
    article: Article,
    phrase: str,
    start: int = 0,
    end: int | None = None,
    near: int | None = None,
    fuzzy: bool = False,
) -> Citation | None:
    """Find ``phrase`` in ``article.text[start:end]``: exact, then normalized, then (if allowed) fuzzy."""
    text = article.text
    end = len(text) if end is None else end
    phrase = phrase.strip()
    if not phrase:
        return None
    # Exact and normalized occurrences compete on distance to ``near``; exact wins ties.
    found: list[tuple[int, int, AlignmentStatus]] = []
    i = text.find(phrase, start, end)
    while i != -1:
        if not article.touches_noise(i, i + len(phrase)):
            found.append((i, i + len(phrase), AlignmentStatus.EXACT))
        i = text.find(phrase, i + 1, end)
    if not found or near is not None:
        hay, index = fold(text[start:end], start)
        needle, _ = fold(phrase)
        needle = needle.strip()
        if not needle:
            return None
        exact_starts = {f[0] for f in found}
        j = hay.find(needle)
        while j != -1:
            s, e = index[j], index[j + len(needle) - 1] + 1
            if (s not in exact_starts and not article.touches_noise(s, e)
                    and _on_word_bounds(hay, j, j + len(needle), needle)):
                found.append((s, e, AlignmentStatus.NORMALIZED))
            j = hay.find(needle, j + 1)
    if found:
        if near is None:
            s, e, status = found[0]
        else:
            s, e, status = min(found, key=lambda f: (abs(f[0] - near), f[2] != AlignmentStatus.EXACT, f[0]))
        return cite(article, s, e, status)

    hay, index = fold(text[start:end], start)
    needle, _ = fold(phrase)
    needle = needle.strip()
    # Fuzzy only for prose evidence, and never for a quote much longer than where it may be:
    # that would cite a real sentence for words the model made up around it.
    if fuzzy and FUZZY_MIN_CHARS <= len(needle) <= 1.3 * len(hay):
        res = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=FUZZY_THRESHOLD)
        if res is not None and res.dest_end > res.dest_start:
            s = index[res.dest_start]
            e = index[res.dest_end - 1] + 1
            s, e = _snap_words(text, s, e)
            if not article.touches_noise(s, e):
                return cite(article, s, e, AlignmentStatus.FUZZY)
    return None


def _on_word_bounds(hay: str, s: int, e: int, needle: str) -> bool:
    """A normalized match must not start or end inside a word ('Assad' is not in 'Assadi')."""
    left_ok = s == 0 or not (hay[s - 1].isalnum() and needle[0].isalnum())
    right_ok = e >= len(hay) or not (hay[e].isalnum() and needle[-1].isalnum())
    return left_ok and right_ok


def _snap_words(text: str, s: int, e: int) -> tuple[int, int]:
    while s > 0 and text[s - 1].isalnum() and text[s].isalnum():
        s -= 1
    while e < len(text) and text[e - 1].isalnum() and text[e].isalnum():
        e += 1
    return _trim(text, s, e)


# --- record grounding --------------------------------------------------------------------

_DEATH = re.compile(r"\b(kill\w*|dead|death\w*|died|die|lives|lost their lives|bodies)\b", re.I)
_INJURY = re.compile(r"\b(wound\w*|injur\w*|hurt)\b", re.I)
_BACKGROUND = re.compile(
    r"\b(since (?:19|20)\d\d|last (?:week|month|year)|earlier this (?:month|year)|"
    r"a week (?:earlier|before|ago)|the week before|in (?:late|early|mid-)\s*"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)|"
    r"previous(?:ly)?|since the start of|since fighting began|in the last month|recently|"
    r"in (?:19|20)\d\d|in (?:january|february|march|april|june|july|august|september|october|november|"
    r"december)|earlier this|(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december) \d{1,2}\b)\b",
    re.I,
)
_NOT_PEOPLE = re.compile(
    r"\s+(?:more\s+)?(?:car\s+)?(?:blasts?|bombs?|bombings?|explosions?|attacks?|villages?|cities|towns|"
    r"neighbou?rhoods|days?|weeks?|months?|years?|hours?|percent|per cent|miles?|km|kilometres?|times|"
    r"suicide|teams?|sides?|cars?|vehicles?|schools?|shrines?|countries|groups)\b",
    re.I,
)
_SUBSET = re.compile(r"\b(?:including|among them|of whom|of them)\s*$", re.I)
_ATTRIBUTION = re.compile(r"\b(said|says|according to|reported|quoted|told|estimates?|indicate[sd]?)\b", re.I)
_ANY_CASUALTY = re.compile(f"{_DEATH.pattern}|{_INJURY.pattern}", re.I)
_NEVER = re.compile(r"(?!x)x")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_RELATIVE_DAY = re.compile(r"\b(today|yesterday|yesterday’s|yesterday's|" + "|".join(_WEEKDAYS) + r")\b", re.I)
_INCIDENT = re.compile(
    r"\b(?:(?:double|twin|two|three|four|a series of|series of|string of|multiple)\s+)?"
    r"(?:car[- ]bomb(?:s|ings?)?|suicide (?:bomb(?:ing|er)s?|attacks?|blasts?)|bomb(?:s|ings?)?|"
    r"blasts?|explosions?|attacks?|airstrikes?)\b",
    re.I,
)
_QUOTED = re.compile(r"[\"“”]([^\"“”]{2,}?)[\"“”]|(?<!\w)['‘]([^'‘’]{3,}?)['’](?!\w)")
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "his", "her", "their", "officials", "the official"}
_TOPICS = [
    (re.compile(r"cease-?fire|cessation of hostilities|truce|provisional agreement", re.I), "ceasefire"),
    (re.compile(r"refugee|return home|come back", re.I), "refugees"),
    (re.compile(r"terror", re.I), "terrorism"),
    (re.compile(r"\baid\b|humanitarian", re.I), "humanitarian aid"),
    (re.compile(r"political solution|negotiat|talks", re.I), "negotiations"),
    (re.compile(r"self-defense|right to (?:intervene|conduct)|operations in Syria", re.I), "military intervention"),
]


@dataclass
class Scope:
    """Where a record's values may be found: its evidence span and the sentences around it."""

    article: Article
    evidence: Citation
    start: int  # the evidence's sentence(s), widened by one sentence before for speakers
    end: int
    sentence_start: int
    sentence_end: int


@dataclass
class Outcome:
    record: object | None
    issues: list[GroundingIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [f"{i.field}: {i.reason}" for i in self.issues]


def _sentences(article: Article) -> list[Sentence]:
    cached = getattr(article, "_sentences", None)
    if cached is None:
        cached = split_sentences(article.text)
        article._sentences = cached  # type: ignore[attr-defined]
    return cached


def make_scope(article: Article, evidence: Citation) -> Scope:
    sents = _sentences(article)
    covering = [s for s in sents if s.end > evidence.start and s.start < evidence.end]
    s_start = min([s.start for s in covering], default=evidence.start)
    s_end = max([s.end for s in covering], default=evidence.end)
    before = [s for s in sents if s.end <= s_start]
    wide_start = before[-1].start if before else s_start
    return Scope(article, evidence, wide_start, s_end, s_start, s_end)


def align_evidence(
    article: Article, quote: str, window: tuple[int, int] | None = None
) -> Citation | None:
    """The evidence quote's span: inside ``window`` when the caller knows the sentence."""
    if window is not None:
        return locate(article, quote, window[0], window[1], fuzzy=True)
    return locate(article, quote, fuzzy=True)


def _mention(scope: Scope, value: str | None, wide: bool = False) -> Citation | None:
    if not value or not value.strip():
        return None
    start = scope.start if wide else scope.sentence_start
    return locate(scope.article, value, start, scope.end, near=scope.evidence.start)


def _issue(record: str, fld: str, value: object, reason: str, action: str = "dropped_field") -> GroundingIssue:
    return GroundingIssue(record=record, field=fld, value=str(value), reason=reason, action=action)


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _figure(scope: Scope, value: int | None, cue: re.Pattern[str], other: re.Pattern[str],
            used: set[int], what: str, issues: list[GroundingIssue]) -> Figure | None:
    if value is None:
        return None
    art = scope.article
    # A figure may sit anywhere in the evidence's own sentence, never further away.
    candidates = [n for n in find_numbers(art.text, scope.sentence_start, scope.sentence_end)
                  if n.value == value and n.start not in used]
    if not candidates:
        sentence = art.text[scope.sentence_start:scope.sentence_end]
        issues.append(_issue("casualty", what, value,
                             f"'{value}' does not occur in the cited text: \"{_short(sentence)}\""))
        return None
    counts_people = [n for n in candidates if not _NOT_PEOPLE.match(art.text, n.end)]
    if not counts_people:
        issues.append(_issue("casualty", what, value, f"'{value}' counts things, not people, in the cited text"))
        return None
    whole = [n for n in counts_people if not _SUBSET.search(art.text, max(0, n.start - 12), n.start)]
    if not whole:
        issues.append(_issue("casualty", what, value,
                             f"'{value}' is a part ('including {value} …') of another figure, not a toll"))
        return None
    best = _closest_to_cue(art.text, whole, cue, other, scope.sentence_start, scope.sentence_end)
    if best is None:
        word = "death" if what == "killed" else "injury"
        issues.append(_issue("casualty", what, value,
                             f"'{value}' is not stated as a {word} figure in the cited text"))
        return None
    used.add(best.start)
    return Figure(value=best.value, qualifier=best.qualifier, words=best.words,
                  citation=cite(art, best.start, best.end))


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
    nums = [n for n in find_numbers(article.text, start, end)
            if n.value is not None and not 1900 <= n.value <= 2100]
    return any(_closest_to_cue(article.text, [n], _ANY_CASUALTY, _NEVER, start, end) for n in nums)


def _date(scope: Scope, background: bool) -> DateValue | None:
    art = scope.article
    if art.published is None or background:
        return None
    m = _RELATIVE_DAY.search(art.text, scope.sentence_start, scope.sentence_end)
    if m:
        word = m.group(1).lower().replace("’s", "").replace("'s", "")
        if word == "today":
            day = art.published
        elif word == "yesterday":
            day = art.published - dt.timedelta(days=1)
        else:
            back = (art.published.weekday() - _WEEKDAYS.index(word)) % 7
            day = art.published - dt.timedelta(days=back)
        return DateValue(date=day, basis="relative",
                         citation=cite(art, m.start(1), m.end(1), AlignmentStatus.INFERRED))
    return lead_date(art)


def lead_date(art: Article) -> DateValue | None:
    """The day of the article's main news: a 'Sunday' or 'yesterday' in its first sentences,
    resolved against its date; else the publication date."""
    if art.published is None:
        return None
    for sent in _sentences(art)[:4]:
        m = _RELATIVE_DAY.search(art.text, sent.start, sent.end)
        if m:
            inner = Scope(art, cite(art, sent.start, sent.end), sent.start, sent.end, sent.start, sent.end)
            return _date(inner, False)
    return DateValue(date=art.published, basis="published")


def is_background(scope: Scope) -> bool:
    return bool(_BACKGROUND.search(scope.article.text, scope.sentence_start, scope.sentence_end))


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
        return Outcome(None, [_issue("casualty", "evidence", _short(evidence),
                                     "the evidence quote does not occur in the article", "dropped_record")])
    scope = make_scope(article, span)
    issues: list[GroundingIssue] = []
    used: set[int] = set()
    k = _figure(scope, killed, _DEATH, _INJURY, used, "killed", issues)
    w = _figure(scope, injured, _INJURY, _DEATH, used, "injured", issues)
    if k is None and w is None:
        if killed is None and injured is None:
            issues.append(_issue("casualty", "killed", "null", "no figure given", "dropped_record"))
        else:
            issues[-1] = issues[-1].model_copy(update={"action": "dropped_record"})
        return Outcome(None, issues)
    place_c = _mention(scope, place, wide=True)
    if place and place_c is None:
        issues.append(_issue("casualty", "place", place,
                             f"'{place}' does not occur in the cited sentence or the one before"))
    own_source = _ATTRIBUTION.search(article.text, scope.sentence_start, scope.sentence_end)
    claim_c = _mention(scope, claimed_by, wide=not own_source)
    if claimed_by and claim_c is None:
        issues.append(_issue("casualty", "claimed_by", claimed_by,
                             f"'{claimed_by}' does not occur in the cited sentence or the one before"))
    claimant, via = _claim_chain(scope, claim_c)
    incident = _INCIDENT.search(article.text, scope.sentence_start, scope.sentence_end)
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
    return Outcome(record, issues)


_QUOTED_AS = re.compile(r"\bquoted\s+(?P<who>.{3,80}?)\s+as\s+saying\b", re.I)


def _claim_chain(scope: Scope, claim: Citation | None) -> tuple[Mention | None, Mention | None]:
    """'SANA ... quoted the governor of Homs as saying': the governor claims, SANA relays."""
    if claim is None:
        return None, None
    art = scope.article
    m = _QUOTED_AS.search(art.text, scope.sentence_start, scope.sentence_end)
    if m and claim.end <= m.start():
        who = cite(art, m.start("who"), m.end("who"))
        return Mention(value=who.text, citation=who), Mention(value=claim.text, citation=claim)
    return Mention(value=claim.text, citation=claim), None


def quoted_spans(article: Article, start: int, end: int) -> list[Citation]:
    """The quoted passages inside ``[start, end)``, without their quotation marks."""
    out = []
    for m in _QUOTED.finditer(article.text, start, end):
        g = 1 if m.group(1) is not None else 2
        s, e = _trim(article.text, m.start(g), m.end(g))
        if len(article.text[s:e].split()) >= 1:
            out.append(cite(article, s, e))
    return out


def topic_of(text: str) -> str | None:
    for pattern, topic in _TOPICS:
        if pattern.search(text):
            return topic
    return None


_AUDIENCE = re.compile(r"\b(?:told|telling|in an interview with|speaking to)\s+(?P<aud>reporters|journalists|"
                       r"(?:[A-Z][\w’'\-]+\s?){1,4})", re.U)


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
        return Outcome(None, [_issue("statement", "evidence", _short(evidence),
                                     "the evidence quote does not occur in the article", "dropped_record")])
    scope = make_scope(article, span)
    issues: list[GroundingIssue] = []
    if not speaker or speaker.strip().lower() in _PRONOUNS:
        issues.append(_issue("statement", "speaker", speaker or "null",
                             "name the speaker as the text does, not a pronoun", "dropped_record"))
        return Outcome(None, issues)
    speaker_c = _mention(scope, speaker, wide=True)
    inside = [q for q in quoted_spans(article, scope.start, scope.end)]
    if speaker_c is not None and any(q.start <= speaker_c.start and speaker_c.end <= q.end for q in inside):
        issues.append(_issue("statement", "speaker", speaker,
                             f"'{speaker}' only occurs inside the quoted words, not as who said them",
                             "dropped_record"))
        return Outcome(None, issues)
    if speaker_c is None:
        issues.append(_issue("statement", "speaker", speaker,
                             f"'{speaker}' does not occur in the cited sentence or the one before",
                             "dropped_record"))
        return Outcome(None, issues)
    if quote:
        quote_c = locate(article, quote.strip(" \"'“”‘’"), span.start, span.end)
        if quote_c is None:
            issues.append(_issue("statement", "quote", _short(quote),
                                 "the quote does not match the article's words", "dropped_record"))
            return Outcome(None, issues)
        kind, text_c = StatementKind.QUOTE, quote_c
    else:
        quotes = quoted_spans(article, span.start, span.end)
        if quotes:
            kind, text_c = StatementKind.QUOTE, max(quotes, key=lambda c: len(c.text))
        else:
            kind, text_c = StatementKind.PARAPHRASE, span
    role_c = _mention(scope, speaker_role, wide=True)
    if speaker_role and role_c is None:
        issues.append(_issue("statement", "speaker_role", speaker_role,
                             f"'{speaker_role}' does not occur near the statement"))
    aud = _AUDIENCE.search(article.text, scope.sentence_start, scope.sentence_end)
    record = DiplomaticStatement(
        speaker=Mention(value=speaker_c.text, citation=speaker_c),
        speaker_role=Mention(value=role_c.text, citation=role_c) if role_c else None,
        kind=kind,
        text=Mention(value=text_c.text, citation=text_c),
        audience=Mention(value=aud.group("aud").strip(),
                         citation=cite(article, *_trim(article.text, aud.start("aud"), aud.end("aud"))))
        if aud else None,
        topic=topic_of(article.text[scope.sentence_start:scope.sentence_end]),
        date=_date(scope, is_background(scope)),
        evidence=span,
    )
    return Outcome(record, issues)


_KIND_CUES = {
    EventKind.BOMBING: re.compile(r"bomb|blast|explosion|suicide", re.I),
    EventKind.AIRSTRIKE: re.compile(r"air ?strike|air raid", re.I),
    EventKind.AGREEMENT: re.compile(r"agreement|accord|deal|cease-?fire|truce|cessation", re.I),
    EventKind.MILITARY_OPERATION: re.compile(r"offensive|captured|retook|seize|operation", re.I),
    EventKind.ATTACK: re.compile(r"attack|shelling|shot down", re.I),
}


def event_kind_from_text(text: str, proposed: EventKind | None = None) -> EventKind:
    if proposed and proposed in _KIND_CUES and _KIND_CUES[proposed].search(text):
        return proposed
    for kind, cue in _KIND_CUES.items():
        if cue.search(text):
            return kind
    return EventKind.OTHER


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
        return Outcome(None, [_issue("event", "evidence", _short(evidence),
                                     "the evidence quote does not occur in the article", "dropped_record")])
    scope = make_scope(article, span)
    issues: list[GroundingIssue] = []
    sentence = article.text[scope.sentence_start:scope.sentence_end]
    try:
        proposed = EventKind(kind) if kind else None
    except ValueError:
        proposed = None
    final_kind = event_kind_from_text(sentence, proposed)
    place_c = _mention(scope, place, wide=True)
    if place and place_c is None:
        issues.append(_issue("event", "place", place,
                             f"'{place}' does not occur in the cited sentence or the one before"))
    found: dict[str, list[Mention]] = {"perpetrators": [], "participants": []}
    for fld, names in (("perpetrators", perpetrators), ("participants", participants)):
        for name in names or []:
            c = _mention(scope, name, wide=True)
            if c is None:
                issues.append(_issue("event", fld, name, f"'{name}' does not occur in the cited sentence"))
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
    return Outcome(record, issues)
