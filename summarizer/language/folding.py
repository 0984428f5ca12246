"""Folding text for comparison: case, quotes, dashes, invisible characters, with offsets kept."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from .chars import BIDI, HIDDEN, JOINERS, members

_SINGLE_QUOTES = "‘’‚‛′`´"
_DOUBLE_QUOTES = "“”„‟″«»"
_DASHES = "‐‑‒–—―−"
_INVISIBLE = members(HIDDEN, JOINERS, BIDI)


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


@lru_cache(maxsize=65536)
def fold_text(text: str) -> str:
    """Fold for comparing names: accents dropped, curly apostrophes straight, case folded."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").replace("‘", "'").casefold()
