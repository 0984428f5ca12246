"""Counts as articles write them: digits, number words, qualifiers and vague quantities.

Numbers are matched by value, never by similarity: "57" is found only where the text says
57 (or "fifty-seven"), so no alignment can turn 57 into 25. The words (units, tens, scales,
vague quantities, qualifiers) are lexicon data (``lexicon/roles.toml``: ``[values]``,
``[qualifiers]``); what a number counts is ``grounding.roles``' question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import lexicon
from ..schemas import Qualifier


@dataclass(frozen=True)
class NumberMention:
    start: int  # the whole phrase, qualifier included
    end: int
    value: int | None
    qualifier: Qualifier
    words: str


@dataclass(frozen=True, eq=False)
class _Words:
    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    qualifiers: dict[str, Qualifier]
    number: re.Pattern[str]
    nobody: re.Pattern[str]


def _alt(words: list[str] | dict[str, object]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _build(lex: lexicon.Lexicon) -> _Words:
    values = lex.data["roles"]["values"]
    units, tens, scales = dict(values["units"]), dict(values["tens"]), dict(values["scales"])
    qualifiers = {k.lower(): Qualifier(v) for k, v in lex.data["roles"]["qualifiers"].items()}
    word_num = (rf"(?:(?:{_alt(tens)})(?:[- ](?:{_alt([k for k, v in units.items() if v < 10])}))?"
                rf"|{_alt(units)})(?:\s+(?:{_alt(scales)}))?")
    digits = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
    number = re.compile(
        rf"(?<![\w.,])(?:(?P<qual>{_alt(qualifiers)})\s+)?"
        rf"(?:(?P<digits>{digits})(?:\s+(?P<scale>million|thousand))?|(?P<word>{word_num})"
        rf"|(?P<vague>{_alt(values['vague'])}))"
        rf"(?![\w-]|[.,]\d)",
        re.IGNORECASE,
    )
    nobody = re.compile(rf"\b(?:{_alt(values['nobody_before'])})[\s-]+$", re.I)
    return _Words(units, tens, scales, qualifiers, number, nobody)


def _words() -> _Words:
    return lexicon.current().compiled("numbers", _build)


def _word_value(w: _Words, words: str) -> int:
    total = 0
    for p in re.split(r"[- ]+", words.lower()):
        if p in w.units:
            total += w.units[p]
        elif p in w.tens:
            total += w.tens[p]
        elif p in w.scales:
            total = max(total, 1) * w.scales[p]
    return total


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[NumberMention]:
    """Every count written in ``text[start:end]``, with offsets into ``text``."""
    end = len(text) if end is None else end
    w = _words()
    found: list[NumberMention] = []
    for m in w.number.finditer(text, start, end):
        if m.group("word") and m.group().lower() == "one" and w.nobody.search(text, max(0, m.start() - 8), m.start()):
            continue  # "no one was hurt" counts nobody
        qual = w.qualifiers[m.group("qual").lower()] if m.group("qual") else Qualifier.EXACT
        if m.group("vague"):
            value, qual = None, Qualifier.VAGUE
        elif m.group("digits"):
            raw = m.group("digits").replace(",", "")
            scale = w.scales.get((m.group("scale") or "").lower(), 1)
            if "." in raw and scale == 1:
                continue  # "11.5 percent" is not a count
            value = round(float(raw) * scale)
        else:
            value = _word_value(w, m.group("word"))
        found.append(NumberMention(m.start(), m.end(), value, qual, m.group()))
    return found


def is_year(text: str, n: NumberMention) -> bool:
    """Four digits from 1800 to 2100 with no thousands comma and no qualifier: '1985', not '1,985'.
    Whether a following word makes it a count after all ('1985 people') is the caller's question."""
    words = text[n.start:n.end]
    return n.qualifier == Qualifier.EXACT and bool(re.fullmatch(r"(?:1[89]\d\d|20\d\d|2100)", words))
