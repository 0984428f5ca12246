"""Datelines: where (and sometimes when) a story was filed, written before its first words.

"NORTHTOWN, Pennsylvania — A fire …", "EASTBY, Pa. (Valley Press) — Seven …", "BEIRUT, Feb 21 (Reuters) -
…", "LONDON: …". A dateline opens a line, its place is written in capitals, and a dash (or a colon)
ends it. It is read as the place and date of filing; it is a sentence of its own (the sentence it
heads is read without it, so "NORTHTOWN" never stands where a claimant or speaker stands), and a name
inside it is never offered as who said, claimed or did anything. Offsets index the text as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# The place in capitals (at least two letters, so "A fire" is no dateline), then up to two comma
# parts (a region or a date: ", Pennsylvania", ", Pa.", ", Feb 21, 2016"), an agency in brackets,
# and the mark that ends the dateline, followed by the story's first words.
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z][A-Z’'.\-]+(?:[ \t]+[A-Z][A-Z’'.\-]+){0,3})"
    r"(?P<region>(?:,[ \t]*[A-Z0-9][^\n,;:—–()\"“”]{0,40}?){0,2})"
    r"[ \t]*(?:\((?P<agency>[^()\n]{1,40})\)[ \t]*)?"
    r"(?:—|–|--|-|:)[ \t]+(?=[\"“‘']?[A-Z0-9])"
)


@dataclass(frozen=True)
class Dateline:
    start: int  # the dateline's first character
    end: int  # just after the mark and the spaces that follow it: where the story's words begin
    place: tuple[int, int]  # the place in capitals
    region: tuple[int, int] | None  # ", Pennsylvania" without its comma, when written


def datelines(text: str) -> list[Dateline]:
    """Every dateline of the text, in order (one may open each paragraph of a wire round-up)."""
    return list(_cached(text))


@lru_cache(maxsize=128)
def _cached(text: str) -> tuple[Dateline, ...]:
    out = []
    for m in _DATELINE.finditer(text):
        region = None
        if m.group("region"):
            s = m.start("region") + 1
            e = m.end("region")
            first = text.find(",", s, e)  # the region is the first comma part
            e = first if first != -1 else e
            while s < e and text[s].isspace():
                s += 1
            region = (s, e)
        out.append(Dateline(m.start("place"), m.end(), (m.start("place"), m.end("place")), region))
    return tuple(out)


def in_dateline(text: str, start: int, end: int) -> bool:
    """Does ``[start, end)`` lie inside a dateline (before the story's first words)?"""
    return any(d.start <= start and end <= d.end for d in _cached(text))
