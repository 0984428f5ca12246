"""Sentence spans with offsets.

Offsets always index the article's stored (cleaned) text, so a sentence's span can be cited as is.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from .datelines import datelines

_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*[-•*] )")
_LINE_END = re.compile(r"(?<=[.!?:\"'”’])[ \t]*\n")
# Words inside one pair of quotation marks on one line: '"We warned them. They did nothing," she said.'
# is one sentence. A closing mark is followed by no letter; a pair longer than this is read as
# unbalanced marks, not one quote.
_QUOTE_PAIR = re.compile(r"(?<![\w\"“”])(?:\"(?=\S)[^\"\n“”]{2,600}(?<=\S)\"|“(?=\S)[^“”\n\"]{2,600}(?<=\S)”)"
                         r"(?![^\W\d_])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


_WORD_END = re.compile(r"([A-Za-z.]+)$")


def _word_before(text: str, end: int, reach: int = 64) -> re.Match[str] | None:
    """The run of letters and dots ending at ``end``. Looks back a bounded distance: searching
    the whole prefix made splitting quadratic (a 1,000,000-character article took minutes)."""
    start = max(0, end - reach)
    word = _WORD_END.search(text, start, end)
    if word and word.start() == start and start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        return _WORD_END.search(text, text.rfind(" ", 0, start) + 1, end)  # longer than reach: rare
    return word


def _cut_points(text: str) -> list[int]:
    abbrev = lexicon.current().abbreviations
    cuts: set[int] = set()
    for m in _BOUNDARY.finditer(text):
        word = _word_before(text, m.start())
        if word and m.group().startswith(".") and word.group(1).lower().rstrip(".") in abbrev:
            continue
        if word and len(word.group(1)) == 1 and m.group().startswith("."):
            continue  # an initial: "John F. Kennedy"
        cuts.add(m.end())
    for m in _PARAGRAPH.finditer(text):
        cuts.add(m.start())
    for m in _LINE_END.finditer(text):
        cuts.add(m.start())
    # A line with no closing punctuation followed by a blank line or another short line is a
    # headline or web furniture: it stands alone.
    for m in re.finditer(r"\n", text):
        cuts_here = m.start()
        line_start = text.rfind("\n", 0, cuts_here) + 1
        line = text[line_start:cuts_here].strip()
        if line and len(line) < 120 and not re.search(r"[,;]$", line):
            nxt_end = text.find("\n", cuts_here + 1)
            nxt = text[cuts_here + 1 : nxt_end if nxt_end != -1 else len(text)].strip()
            if not nxt or nxt[:1].isupper() or len(line.split()) <= 3:
                if not (nxt and nxt[:1].islower()):
                    cuts.add(cuts_here)
    # A quote keeps its whole span up to the closing mark; a dateline is a sentence of its own.
    inside = [(m.start(), m.end()) for m in _QUOTE_PAIR.finditer(text)]
    inside += [(d.start, d.end) for d in datelines(text)]
    cuts = {c for c in cuts if not any(s < c < e for s, e in inside)}
    cuts.update(d.end for d in datelines(text))
    return sorted(cuts)


def split_sentences(text: str) -> list[Sentence]:
    """Split into sentences; whitespace around each is trimmed, offsets kept exact."""
    sentences: list[Sentence] = []
    prev = 0
    for cut in [*_cut_points(text), len(text)]:
        if cut <= prev:
            continue
        chunk = text[prev:cut]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail > lead:
            s, e = prev + lead, prev + trail
            sentences.append(Sentence(s, e, text[s:e]))
        prev = cut
    return sentences


def sentences_of(text: str) -> list[Sentence]:
    """The sentences of a text, split once per lexicon (its abbreviations decide the cuts): the one
    cache of sentences (grounding, extraction and merge ask for the same articles' sentences many
    times). Do not change the list returned."""
    return _cached(text, lexicon.current())


@lru_cache(maxsize=128)
def _cached(text: str, lex: lexicon.Lexicon) -> list[Sentence]:
    return split_sentences(text)


def article_sentences(article: object) -> list[Sentence]:
    """The sentences of an article's text (``sentences_of``)."""
    return sentences_of(article.text)  # type: ignore[attr-defined]


def sentence_at(sentences: list[Sentence], offset: int) -> int | None:
    """Index of the sentence containing ``offset``."""
    i = bisect.bisect_right(sentences, offset, key=lambda s: s.start) - 1
    return i if i >= 0 and sentences[i].start <= offset < sentences[i].end else None


def covering(sentences: list[Sentence], start: int, end: int) -> list[Sentence]:
    """The sentences that overlap ``[start, end)``, in order (sentences are sorted, disjoint)."""
    lo = max(0, bisect.bisect_right(sentences, start, key=lambda s: s.start) - 1)
    hi = bisect.bisect_left(sentences, end, key=lambda s: s.start)
    return [s for s in sentences[lo:hi] if s.end > start and s.start < end]
