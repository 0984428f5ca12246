"""The ``Article``: its two texts (see ``ingest.load``), and ``make_article``, which checks and cleans one."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Container
from dataclasses import dataclass, field

from .. import lexicon
from ..errors import ArticleError, ArticleTooLarge, BinaryArticle, EmptyArticle
from ..language.chars import SURROGATES
from ..settings import DEFAULT_MAX_ARTICLE_CHARS
from .furniture import headline, noise_spans
from .injection import instruction_spans
from .offsets import OffsetMap, clean


def _datelines(lex: lexicon.Lexicon) -> list[re.Pattern[str]]:
    months = "|".join(m[:3] for m in lex.months)
    return [
        re.compile(rf"\b(?P<mon>(?:{months})[a-z]*)\.? (?P<day>\d{{1,2}}),? (?P<year>(?:19|20)\d\d)\b", re.I),
        re.compile(rf"\b(?P<day>\d{{1,2}}) (?P<mon>(?:{months})[a-z]*)\.? (?P<year>(?:19|20)\d\d)\b", re.I),
        re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d\d)\b"),
        re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    ]


@dataclass
class Article:
    """One article: ``text`` is what the model reads and citations index, ``given`` the text as
    given (see the module docstring). Make one with ``summarizer.text(...)`` or ``summarizer.load``,
    which check and clean it; one built by hand is checked when it is briefed.

    >>> a = Article(id="floods", text="Floods killed 3 people in Northtown on Monday.")
    >>> a.given == a.text, len(a.sha256)
    (True, 64)
    """

    id: str
    text: str  # cleaned: what the model reads and grounding cites
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    published_basis: str | None = None  # 'metadata' or 'dateline'
    source: str = ""
    noise: list[tuple[int, int]] = field(default_factory=list)
    instructions: list[tuple[int, int]] = field(default_factory=list)  # text addressed to an AI; also noise
    given: str = ""  # the text as given (see the module docstring); "" when it is ``text`` itself
    offsets: OffsetMap | None = None  # cleaned -> given offsets; None: the identity
    indexes: str = "text"  # what ``given`` is: 'file', 'json', 'stdin', 'html' or 'text'
    encoding: str | None = None  # the codec a file was read with

    def __post_init__(self) -> None:
        if self.offsets is None:
            self.given = self.text
            self.offsets = OffsetMap(len(self.text), len(self.text))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def is_noise(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.noise)

    def touches_noise(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` overlaps web furniture: such a span is never evidence."""
        return any(start < e and s < end for s, e in self.noise)


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[ArticleError] = field(default_factory=list)
_SURROGATE = re.compile(f"[{SURROGATES}]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f]")  # control characters other than tab and line feed


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# A text is written after the years it tells of: a date near its top more than this many years
# before a year the text names elsewhere is a happening it recalls ("the flood of June 17,
# 1972" in an essay that goes on to 1974), not when it was written. A forward reference ("the 2030
# target") leaves the article undated: a date missed, never a wrong one.
_RECALL_YEARS = 1


def find_date(text: str) -> dt.date | None:
    """A dateline near the top of the text, e.g. 'Feb 21, 2016' or '22/02/2016'; None when the
    text names a year after it (``_RECALL_YEARS``)."""
    found = _date_near_top(text)
    if found is None:
        return None
    latest = max(int(y) for y in _YEAR.findall(text))  # the found date's own year is among them
    return None if latest - found.year > _RECALL_YEARS else found


def _date_near_top(text: str) -> dt.date | None:
    head = text[:600]
    lex = lexicon.current()
    for pattern in lex.compiled("datelines", _datelines):
        m = pattern.search(head)
        if not m:
            continue
        groups = m.groupdict()
        try:
            if "mon" in groups:
                month = [m[:3] for m in lex.months].index(groups["mon"][:3].lower()) + 1
                return dt.date(int(groups["year"]), month, int(groups["day"]))
            if "a" in groups:
                a, b = int(groups["a"]), int(groups["b"])
                if a > 12:
                    return dt.date(int(groups["year"]), b, a)
                if b > 12:
                    return dt.date(int(groups["year"]), a, b)
                continue  # 03/04/2016 is ambiguous: leave the date unknown
            return dt.date(int(groups["year"]), int(groups["m"]), int(groups["d"]))
        except ValueError:
            continue
    return None


def make_article(
    text: str,
    *,
    id: str,
    source: str = "",
    title: str | None = None,
    url: str | None = None,
    published: dt.date | str | None = None,
    max_chars: int = DEFAULT_MAX_ARTICLE_CHARS,
    indexes: str = "text",
    encoding: str | None = None,
    spans: bool = True,
    known: Container[str] = frozenset(),
) -> Article:
    """Check and normalize one article's text (``text`` is the text as given; see the module
    docstring). Raises ``ArticleError`` for unusable text. ``spans=False`` skips finding the
    furniture and instruction spans (most of the cost): for a caller that only identifies, dates
    and compares articles and makes each again before it is briefed (``summarizer stories``).
    ``known``: the sha256 of texts the caller has read before; such a text is only checked and
    cleaned (what identifies it), its title and date not looked for (``summarizer stories``
    rereading a source skips these at once)."""
    source = source or id
    given = _SURROGATE.sub("\ufffd", text)
    text, offsets = clean(given)
    if not text.strip():
        raise EmptyArticle(source, "the article has no text")
    if len(text) > max_chars:
        raise ArticleTooLarge(
            source,
            f"{len(text):,} characters is over the limit of {max_chars:,}: "
            "split the article or raise --max-article-chars",
        )
    controls = len(_CONTROLS.findall(text, 0, 20000))
    if controls > 0.01 * min(len(text), 20000):
        raise BinaryArticle(source, "the text is mostly control characters: is it a binary file?")
    if not re.search(r"[^\W\d_]{2,}", text):
        raise EmptyArticle(source, "the article has no words")
    # a text read before needs no title, date or spans: the caller skips it by its sha256
    lookups = not known or hashlib.sha256(text.encode("utf-8")).hexdigest() not in known
    spans = spans and lookups
    basis = None
    if isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published[:10])
        except ValueError:
            published = None
    if published is not None:
        basis = "metadata"
    elif lookups:
        published = find_date(text)
        basis = "dateline" if published else None
    title = title or (headline(text) if lookups else None)
    instructions = instruction_spans(text) if spans else []
    return Article(
        id=id,
        text=text,
        title=title,
        url=url,
        published=published,
        published_basis=basis,
        source=source,
        noise=sorted(noise_spans(text, title) + instructions) if spans else [],
        instructions=instructions,
        given=given,
        offsets=offsets,
        indexes=indexes,
        encoding=encoding,
    )
