"""Counts as articles write them: digits, number words, qualifiers and vague quantities.

Numbers are matched by value, never by similarity: "57" is found only where the text says
57 (or "fifty-seven"), so no alignment can turn 57 into 25.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..schemas import Qualifier

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_VAGUE = r"dozens|scores|hundreds|thousands|several|a few|many|numerous"

_QUALIFIERS: list[tuple[str, Qualifier]] = [
    (r"at least", Qualifier.AT_LEAST),
    (r"no fewer than", Qualifier.AT_LEAST),
    (r"a minimum of", Qualifier.AT_LEAST),
    (r"more than", Qualifier.MORE_THAN),
    (r"over", Qualifier.MORE_THAN),
    (r"upwards of", Qualifier.MORE_THAN),
    (r"up to", Qualifier.UP_TO),
    (r"as many as", Qualifier.UP_TO),
    (r"at most", Qualifier.UP_TO),
    (r"nearly", Qualifier.NEARLY),
    (r"almost", Qualifier.NEARLY),
    (r"close to", Qualifier.NEARLY),
    (r"about", Qualifier.ABOUT),
    (r"around", Qualifier.ABOUT),
    (r"some", Qualifier.ABOUT),
    (r"approximately", Qualifier.ABOUT),
    (r"roughly", Qualifier.ABOUT),
    (r"an estimated", Qualifier.ABOUT),
]
_QUAL_RE = "|".join(q for q, _ in _QUALIFIERS)
_WORD_NUM = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(k for k, v in _UNITS.items() if v < 10)}))?"
    rf"|{'|'.join(sorted(_UNITS, key=len, reverse=True))})"
    rf"(?:\s+(?:{'|'.join(_SCALES)}))?"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
_NUMBER = re.compile(
    rf"(?<![\w.,])(?:(?P<qual>{_QUAL_RE})\s+)?"
    rf"(?:(?P<digits>{_DIGITS})(?:\s+(?P<scale>million|thousand))?|(?P<word>{_WORD_NUM})|(?P<vague>{_VAGUE}))"
    rf"(?![\w-]|[.,]\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NumberMention:
    start: int  # the whole phrase, qualifier included
    end: int
    value: int | None
    qualifier: Qualifier
    words: str


def _word_value(words: str) -> int:
    parts = re.split(r"[- ]+", words.lower())
    total = 0
    for p in parts:
        if p in _UNITS:
            total += _UNITS[p]
        elif p in _TENS:
            total += _TENS[p]
        elif p in _SCALES:
            total = max(total, 1) * _SCALES[p]
    return total


_NOBODY = re.compile(r"\b(?:no|any|every|some)[\s-]+$", re.I)


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[NumberMention]:
    """Every count written in ``text[start:end]``, with offsets into ``text``."""
    end = len(text) if end is None else end
    found: list[NumberMention] = []
    for m in _NUMBER.finditer(text, start, end):
        if m.group("word") and m.group().lower() == "one" and _NOBODY.search(text, max(0, m.start() - 8), m.start()):
            continue  # "no one was hurt" counts nobody
        qual = Qualifier.EXACT
        if m.group("qual"):
            key = m.group("qual").lower()
            qual = next(q for pat, q in _QUALIFIERS if pat == key)
        if m.group("vague"):
            value, qual = None, Qualifier.VAGUE
        elif m.group("digits"):
            raw = m.group("digits").replace(",", "")
            scale = _SCALES.get((m.group("scale") or "").lower(), 1)
            if "." in raw and scale == 1:
                continue  # "11.5 percent" is not a count
            value = round(float(raw) * scale)
        else:
            value = _word_value(m.group("word"))
        found.append(NumberMention(m.start(), m.end(), value, qual, m.group()))
    return found


def is_year(text: str, n: NumberMention) -> bool:
    """Four digits from 1800 to 2100 with no thousands comma and no qualifier: '1985', not '1,985'.
    Whether a following word makes it a count after all ('1985 people') is the caller's question."""
    words = text[n.start:n.end]
    return n.qualifier == Qualifier.EXACT and bool(re.fullmatch(r"(?:1[89]\d\d|20\d\d|2100)", words))
