"""Dates of records: read from the sentence ('Sunday', 'yesterday') against the article's date.

A weekday or 'yesterday' is resolved against the article's publication date (its dateline) and
cited with status ``inferred``: the date is derived, the citation holds the word it came from.
A record whose sentence names no day takes the day of the article's main news (``lead_date``).
"""

from __future__ import annotations

import datetime as dt
import re

from .alignment import cite
from .ingest import Article
from .schemas import AlignmentStatus, DateValue
from .sentences import article_sentences

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_RELATIVE_DAY = re.compile(r"\b(today|yesterday|yesterday’s|yesterday's|" + "|".join(WEEKDAYS) + r")\b", re.I)


def date_of(art: Article, start: int, end: int) -> DateValue | None:
    """The day a sentence ``[start, end)`` speaks of: its relative day word, else the lead's."""
    if art.published is None:
        return None
    m = _RELATIVE_DAY.search(art.text, start, end)
    if m:
        word = m.group(1).lower().replace("’s", "").replace("'s", "")
        if word == "today":
            day = art.published
        elif word == "yesterday":
            day = art.published - dt.timedelta(days=1)
        else:
            back = (art.published.weekday() - WEEKDAYS.index(word)) % 7
            day = art.published - dt.timedelta(days=back)
        return DateValue(date=day, basis="relative",
                         citation=cite(art, m.start(1), m.end(1), AlignmentStatus.INFERRED))
    return lead_date(art)


def lead_date(art: Article) -> DateValue | None:
    """The day of the article's main news: a 'Sunday' or 'yesterday' in its first sentences,
    resolved against its date; else the publication date."""
    if art.published is None:
        return None
    for sent in article_sentences(art)[:4]:
        if _RELATIVE_DAY.search(art.text, sent.start, sent.end):
            return date_of(art, sent.start, sent.end)
    return DateValue(date=art.published, basis="published")
