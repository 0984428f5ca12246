"""Regular-expression pieces that several stages share, built from the lexicon's words: the code
holds the shapes (a capitalized word, a run of them), the lexicon the words (``lexicon/*.toml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import lexicon

NAME_WORD = r"[A-Z][\w’'\-]+"  # one capitalized word of a name: "Northtown", "O'Brien", "al-Hassan"


def alternation(words: Iterable[str]) -> str:
    """``a|b|c`` of the words as written, in the lexicon's order (escaped: "mid-" is a word)."""
    return "|".join(re.escape(w) for w in words)


def any_word(words: Iterable[str], flags: int = re.I) -> re.Pattern[str]:
    """One of the words, whole."""
    return re.compile(rf"\b(?:{alternation(words)})\b", flags)


def capitalized_run(lex: lexicon.Lexicon) -> re.Pattern[str]:
    """Up to four capitalized words, joined by the lexicon's place-name particles ("Rio de Janeiro")."""
    return re.compile(r"(?<![\w’'\-])[A-Z][\w’'\-]*(?:\.(?=[A-Z]))?"
                      rf"(?:\s+(?:(?:{alternation(lex.place_name_particles)})\s+)?[A-Z][\w’'\-]*){{0,3}}")


def locative(words: Iterable[str]) -> str:
    """'in X', 'struck the X', 'near the southern X': a locative word, then up to two words."""
    return rf"\b(?:{alternation(words)})\s+(?:the\s+)?"
