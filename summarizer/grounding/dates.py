"""Dates of records: read from the sentence against the article's date, with dateparser.

A sentence's date expression ("Sunday", "yesterday", "on December 2", "Feb. 21, 2016", "last
month") is found with the lexicon's calendar words and resolved by dateparser with the article's
publication date as its base, preferring the past (news reports what happened). The citation holds
the words it came from, status ``inferred`` (the date is derived). A record whose sentence names no
day takes the day of the article's main news (``lead_date``).

Background (an earlier event recalled) is decided here too: a sentence is background when it says
so ("since 2011", "last week", the lexicon's cues) or when its resolved date lies clearly before
the article's main news; a calendar date alone never makes it background, and a year is a year,
never a toll (``numbers``).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING

import dateparser

from .. import lexicon
from ..ingest.article import Article
from ..language.patterns import alternation
from ..language.sentences import article_sentences
from ..schemas import AlignmentStatus, DateValue
from .align import cite

if TYPE_CHECKING:
    from .scope import Scope

# An event this many days before the article's main news is not the day's news.
BACKGROUND_AFTER_DAYS = 3
# A sentence of a date and at most this many words besides it is a byline, not a lead.
BYLINE_WORDS = 3


def _date_expression(lex: lexicon.Lexicon) -> re.Pattern[str]:
    months = "|".join([*lex.months, *(rf"{m}\.?" for m in lex.month_abbreviations)])
    weekdays = "|".join(lex.weekdays)
    relative = "|".join(re.escape(r) for r in sorted(lex.relative_days, key=len, reverse=True))
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    year = r"(?:1[89]|20)\d\d"
    return re.compile(
        rf"\b(?:(?:{weekdays}),?\s+)?(?:(?:{months})\s+{day}(?:,?\s+{year})?|{day}\s+(?:{months})(?:,?\s+{year})?)(?!\w)"
        rf"|\b(?:{year})-\d\d-\d\d\b|\b\d{{1,2}}/\d{{1,2}}/{year}\b"
        rf"|\b(?:{relative})(?:[’']s)?\b|\b(?:last|this|on|early|late)?\s*(?:{weekdays})(?:[’']s)?\b"
        # a month or a year alone ("in November", "last March", "in 1985"): enough to tell background
        rf"|\b(?:{alternation(lex.background_prepositions)})\s*(?:{'|'.join(lex.months)})(?:\s+{year})?\b"
        rf"|\b(?:in|since)\s+{year}\b"
        # a year standing before a noun ("the 2013 killing", "a 1989 attack"): the time of that happening
        rf"|\b(?:the|an?)\s+{year}(?=\s+[^\W\d_])",
        re.I,
    )


def _said_on(lex: lexicon.Lexicon) -> re.Pattern[str]:
    """A speech verb (and its audience) right before a date: "said on Wednesday", "told reporters Tuesday"."""
    return re.compile(rf"\b(?:{lex.said_on_verbs})(?:\s+(?:{lex.audiences}))?\s*$", re.I)


@lru_cache(maxsize=4096)
def _resolve(words: str, base: dt.date, weekdays: tuple[str, ...], prepositions: tuple[str, ...]) -> dt.date | None:
    """``weekdays``: the lexicon's, Monday first (``date.weekday()`` order); ``prepositions``: the
    words before a date, dropped ("this" is kept: "this Sunday" is read whole)."""
    clean = re.sub(r"[’']s$", "", words.strip())
    dropped = alternation(w for w in prepositions if w != "this")
    clean = re.sub(rf"^(?:{dropped})\s*", "", clean, flags=re.I)
    clean = re.sub(r"^(?:the|an?)\s+(?=\d{4}$)", "", clean, flags=re.I)
    weekday = re.fullmatch(rf"(last\s+)?({'|'.join(weekdays)})", clean, re.I)
    if weekday:
        # A bare weekday is the latest such day up to the article's date ("Saturday" in a Saturday
        # paper is that day); dateparser's 'past' would give the week before.
        back = (base.weekday() - weekdays.index(weekday.group(2).lower())) % 7
        return base - dt.timedelta(days=back or (7 if weekday.group(1) else 0))
    if re.fullmatch(r"\d{4}", clean):
        # A year alone: its last day, so only a whole earlier year counts as before the news.
        return None if int(clean) == base.year else dt.date(int(clean), 12, 31)
    numeric = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", clean)
    when = dateparser.parse(
        clean,
        languages=["en"],
        settings={"RELATIVE_BASE": dt.datetime(base.year, base.month, base.day, 12),
                  "PREFER_DATES_FROM": "past",
                  # 22/02/2016 can only be day-first; 02/03/2016 is read as most English news writes it
                  "DATE_ORDER": "DMY" if numeric and int(numeric.group(1)) > 12 else "MDY"},
    )
    return when.date() if when is not None else None


def find_date(art: Article, start: int, end: int) -> tuple[dt.date, int, int] | None:
    """The first date expression in ``[start, end)`` that resolves, with its span. With no
    publication date to read against, only a whole calendar date ("Thursday, Dec. 20, 2012") does."""
    lex = lexicon.current()
    pattern = lex.compiled("date_expression", _date_expression)
    said = lex.compiled("said_on", _said_on)
    for m in pattern.finditer(art.text, start, end):
        words = m.group().strip()
        if not words or said.search(art.text, max(start, m.start() - 40), m.start()):
            # "officials said on Wednesday": the day of the saying, not of the happening
            continue
        base = art.published
        if base is None:
            year = re.search(r"\b(?:1[89]|20)\d\d\b", words)
            if year is None or not re.search(r"\d", words[:year.start()] + words[year.end():]):
                continue
            base = dt.date(int(year.group()), 12, 31)
        day = _resolve(words, base, lex.weekdays, lex.date_prepositions)
        if day is not None:
            # The citation holds the date words, not the preposition before them ("early Sunday").
            lead = re.match(rf"\s*(?:(?:{alternation(lex.date_prepositions)})\s*)?", m.group(), re.I)
            return day, m.start() + (lead.end() if lead else 0), m.end()
    return None


def date_of(art: Article, start: int, end: int) -> DateValue | None:
    """The day a sentence ``[start, end)`` speaks of: its own date words, else the lead's."""
    found = find_date(art, start, end)
    if found is not None:
        day, s, e = found
        return DateValue(date=day, basis="relative", citation=cite(art, s, e, AlignmentStatus.INFERRED))
    return lead_date(art)


def lead_date(art: Article) -> DateValue | None:
    """The day of the article's main news: a date in its first sentences, resolved against its
    date; else the publication date."""
    if art.published is None:
        return None
    for sent in article_sentences(art)[:4]:
        found = find_date(art, sent.start, sent.end)
        if found is not None and found[0] <= art.published:
            day, s, e = found
            if re.fullmatch(r"(?:(?:the|an?)\s+)?\d{4}", art.text[s:e], re.I):
                continue  # a year alone ("the 2013 killing") is a recalled time, not the day of the news
            if day == art.published and _is_byline(art.text[sent.start : s] + art.text[e : sent.end]):
                continue
            return DateValue(date=day, basis="relative", citation=cite(art, s, e, AlignmentStatus.INFERRED))
    return DateValue(date=art.published, basis="published")


def _is_byline(rest: str) -> bool:
    """What a sentence says besides its date: a byline ("21:35 by admin", "Updated") restates the
    publication date and says nothing of the day the news happened."""
    return len(re.findall(r"[^\W\d_]+", rest)) <= BYLINE_WORDS


def is_background(art: Article, start: int, end: int) -> bool:
    """Does the sentence speak of an earlier event: it says so, or its date is clearly before the
    article's main news?"""
    if lexicon.current().background.search(art.text, start, end):
        return True
    if art.published is None:
        # Nothing to resolve against: a month or a year alone ("in November", "in 2011") still
        # says the event is not the day's news; a full date does not.
        lex = lexicon.current()
        pattern = lex.compiled("date_expression", _date_expression)
        earlier = alternation(lex.background_prepositions)
        return any(re.match(rf"(?i)(?:{earlier})\b", m.group().strip())
                   for m in pattern.finditer(art.text, start, end))
    found = find_date(art, start, end)
    lead = lead_date(art)
    if found is None or lead is None:
        return False
    return (lead.date - found[0]).days > BACKGROUND_AFTER_DAYS


# --- a record's scope ----------------------------------------------------------------------


def scope_date(scope: Scope, background: bool) -> DateValue | None:
    return None if background else date_of(scope.article, scope.sentence_start, scope.sentence_end)


def scope_is_background(scope: Scope) -> bool:
    return is_background(scope.article, scope.sentence_start, scope.sentence_end)
