"""Offsets into the article *as given*, not as cleaned for the model.

Ingest cleans an article before the model and grounding see it (``ingest.decode.normalize_text``): CRLF
and lone CR become ``\\n`` and zero-width, BOM and bidi-control characters are removed. Grounding
cites the cleaned text (``Article.text``). A user's program holds the text as given (for a file:
what ``Path.read_text()`` returns, a leading U+FEFF included), so the briefing's offsets must
index that. ``clean`` builds the cleaned text together with an ``OffsetMap`` back to the given
text, once, at ingest; ``to_given`` rewrites every citation of a finished briefing or extraction
through it, at output. The cache keeps cleaned offsets: the same text given as LF or CRLF shares
one cache entry and is mapped by each input's own map.

The edits are of two kinds only, so the map is small: a character is deleted (an invisible one,
the CR of a CRLF) or replaced by exactly one character (lone CR, U+2028/2029 -> ``\\n``; a lone
surrogate -> U+FFFD). The map stores where deletions shift the offsets (one entry per run of
deleted characters), and a cleaned span maps to the given span from its first character's
source to its last character's: characters deleted *inside* a span are part of the given span,
so a citation of "46" written as ``4\\u200b6`` is the three given characters.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel

from ..language.chars import BIDI, HIDDEN, SURROGATES
from ..schemas import Citation, OffsetReport

log = logging.getLogger(__name__)

# One pass over the given text: a line end other than LF (a CR is read with the LF after it, if
# any, as one CRLF), or an invisible character. One character class, so the regex engine skips
# from one candidate to the next instead of trying alternatives at every character.
_EDITS = re.compile(f"[\r\u2028\u2029{HIDDEN}{BIDI}{SURROGATES}]")
MAX_ISSUES = 20  # reasons kept in a report; the counts are always complete


@dataclass(frozen=True)
class OffsetMap:
    """Cleaned offsets -> given offsets. ``breaks[k]`` is the first cleaned offset whose given
    offset is ``shifts[k]`` characters further on (both ascending; empty: the texts align)."""

    clean_len: int
    given_len: int
    breaks: tuple[int, ...] = ()
    shifts: tuple[int, ...] = ()

    @property
    def identity(self) -> bool:
        return not self.breaks and self.clean_len == self.given_len

    def char(self, i: int) -> int:
        """The given offset of cleaned character ``i`` (``0 <= i < clean_len``)."""
        k = bisect.bisect_right(self.breaks, i) - 1
        return i + (self.shifts[k] if k >= 0 else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The given span of the cleaned span ``[start, end)``."""
        if not 0 <= start <= end <= self.clean_len:
            raise ValueError(f"span {start}:{end} is outside the cleaned text ({self.clean_len} characters)")
        if start == end:
            at = self.char(start) if start < self.clean_len else self.given_len
            return at, at
        return self.char(start), self.char(end - 1) + 1


def clean(given: str) -> tuple[str, OffsetMap]:
    """The cleaned text of ``given`` and the map back to it (see the module docstring)."""
    out: list[str] = []
    breaks: list[int] = []
    shifts: list[int] = []
    kept = 0  # length of the cleaned text so far
    last = 0  # given offset up to which ``out`` holds everything
    for m in _EDITS.finditer(given):
        s, piece, last_end = m.start(), m.group(), m.end()
        if piece == "\r" and given.startswith("\n", last_end):
            piece, last_end = "\r\n", last_end + 1
        out.append(given[last:s])
        kept += s - last
        last = last_end
        if piece == "\r\n":
            deleted, repl = 1, "\n"  # the CR goes; the LF is kept as itself
        elif piece in "\r\u2028\u2029":
            deleted, repl = 0, "\n"
        elif piece >= "\ud800" and piece <= "\udfff":
            deleted, repl = 0, "\ufffd"
        else:
            deleted, repl = 1, ""
        if deleted:
            total = (shifts[-1] if shifts else 0) + deleted
            if breaks and breaks[-1] == kept:
                shifts[-1] = total
            else:
                breaks.append(kept)
                shifts.append(total)
        out.append(repl)
        kept += len(repl)
    if not out:
        return given, OffsetMap(len(given), len(given))
    out.append(given[last:])
    text = "".join(out)
    return text, OffsetMap(len(text), len(given), tuple(breaks), tuple(shifts))


class _Source(Protocol):
    """What mapping needs of an article (``ingest.article.Article`` has it)."""

    id: str
    text: str
    given: str
    offsets: OffsetMap | None  # None: the identity


def to_given(root: BaseModel | list[Any], articles: Mapping[str, _Source]) -> OffsetReport:
    """Rewrite, in place, every ``Citation`` under ``root`` from cleaned to given offsets, its
    ``text`` re-read from the given text. A citation that does not match its article's cleaned
    text (or names no known article) is left as it is and counted in ``failed`` with the reason;
    each mapped one is checked: ``given[start:end] == text``."""
    report = OffsetReport()
    memo: dict[Citation, tuple[Citation, str | None]] = {}  # records share citations: map each once

    def fix(c: Citation) -> Citation:
        if c not in memo:
            memo[c] = _map_one(c, articles)
        new, reason = memo[c]
        if reason is None:
            report.mapped += 1
        else:
            report.failed += 1
            if len(report.issues) < MAX_ISSUES:
                report.issues.append(f"{c.article_id} {c.start}:{c.end}: {reason}")
        return new

    _walk(root, fix)
    if report.failed:
        log.warning("%d of %d citations could not be mapped to the articles as given: %s",
                    report.failed, report.mapped + report.failed, "; ".join(report.issues[:3]))
    return report


def _map_one(c: Citation, articles: Mapping[str, _Source]) -> tuple[Citation, str | None]:
    """The citation in given offsets, or itself and why it cannot be mapped."""
    a = articles.get(c.article_id)
    if a is None:
        return c, "no such article in this run"
    if c.end > len(a.text) or a.text[c.start:c.end] != c.text:
        return c, "its text is not the cleaned article's characters at its offsets"
    s, e = (a.offsets or OffsetMap(len(a.text), len(a.text))).span(c.start, c.end)
    new = c.model_copy(update={"start": s, "end": e, "text": a.given[s:e]})
    if a.given[new.start:new.end] != new.text or len(new.text) != e - s:  # by construction; never trusted
        return c, "the mapped span does not read back"
    if clean(new.text)[0] != c.text:
        return c, "the mapped span reads differently once cleaned"
    return new, None


def _walk(node: Any, fix: Any) -> None:
    if isinstance(node, list):
        for i, v in enumerate(node):
            if isinstance(v, Citation):
                node[i] = fix(v)
            else:
                _walk(v, fix)
        return
    if not isinstance(node, BaseModel):
        return
    for name in type(node).model_fields:
        v = getattr(node, name)
        if isinstance(v, Citation):
            setattr(node, name, fix(v))
        elif isinstance(v, (BaseModel, list)):
            _walk(v, fix)


def verify_given(root: BaseModel | list[Any] | dict[str, Any], texts: Mapping[str, str]) -> OffsetReport:
    """Check every citation (models or their JSON) against ``texts`` (article id -> text as
    given): ``texts[id][start:end] == text``. Nothing is changed."""
    report = OffsetReport()
    for c in _citation_dicts(root.model_dump(mode="json") if isinstance(root, BaseModel) else root):
        text = texts.get(c["article_id"])
        if text is None:
            reason = "no text for this article: pass its file, or brief with --include-text"
        elif not (0 <= c["start"] <= c["end"] <= len(text)) or text[c["start"]:c["end"]] != c["text"]:
            reason = f"the text at these offsets is {text[c['start']:c['end']][:40]!r}, not {c['text'][:40]!r}"
        else:
            report.mapped += 1
            continue
        report.failed += 1
        if len(report.issues) < MAX_ISSUES:
            report.issues.append(f"{c['article_id']} {c['start']}:{c['end']}: {reason}")
    return report


def _citation_dicts(obj: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(obj, BaseModel):
        obj = obj.model_dump(mode="json")
    if isinstance(obj, dict):
        if {"article_id", "start", "end", "text"} <= obj.keys() and isinstance(obj.get("start"), int):
            found.append(obj)
            return found
        for v in obj.values():
            found += _citation_dicts(v)
    elif isinstance(obj, list):
        for v in obj:
            found += _citation_dicts(v)
    return found
