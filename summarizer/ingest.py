"""Articles in: files, directories, JSON/JSONL, HTML and stdin, each checked and normalized.

Each ``Article`` holds two texts. ``given`` is the text as a user's program reads it: a file as
``Path.read_text()`` returns it (decoded, CRLF and CR read as LF, a UTF-8 BOM kept as the
character U+FEFF, as Python's ``utf-8`` codec keeps it), a JSON record's ``text`` string as it
is, an HTML page's extracted text. ``text`` is ``given`` cleaned for the model: normalization is
limited to what cannot carry meaning (a BOM, CRLF/CR line ends, zero-width and bidi-control
characters, lone surrogates), so ``sha256`` identifies the same article under any file name and
line ends. Grounding cites ``text``; ``offsets`` (``summarizer.offsets``) maps those citations
back to ``given`` when a briefing is output, so the offsets a user sees hold against the input.
(A lone surrogate, possible only in a JSON string, cannot be written as UTF-8: it is U+FFFD in
both texts, one character for one.) A bad article raises an ``ArticleError`` naming the source
and the fix in one line; ``load_many`` collects those instead of stopping.

Limits: an article may hold ``max_chars`` characters (1,000,000 by default, ``--max-article-chars``);
a longer one is refused, not truncated, since a cut article could drop the sentence that corrects a
figure. A text or HTML file over 4 bytes per allowed character is refused before it is read; a JSON
or JSONL file (many articles) may be up to 64 times that.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import logging
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import lexicon
from .chars import SURROGATES
from .errors import (
    ArticleError,
    ArticleTooLarge,
    BinaryArticle,
    DuplicateArticle,
    EmptyArticle,
    UnreadableArticle,
)
from .injection import instruction_spans, reads_as_instruction
from .offsets import OffsetMap, clean
from .settings import DEFAULT_MAX_ARTICLE_CHARS

log = logging.getLogger(__name__)

HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}

def is_furniture(line: str) -> bool:
    """Web furniture (lexicon/noise.toml): a whole line that is furniture ("File photo"), or a short
    line with a furniture phrase ("Sign up for our newsletter"). A news sentence that happens to
    say "sign up" is long enough to stay evidence."""
    lex = lexicon.current()
    if lex.noise_line.match(line):
        return True
    return len(line.split()) <= lex.noise_phrase_words and bool(lex.noise_phrase.search(line))


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


# Invisible characters that carry no meaning in news text but can hide or reorder what a reader
# sees (zero-width space, word joiner, soft hyphen, a BOM anywhere, bidi embeddings, overrides and
# isolates), and lone surrogates, which cannot be written as UTF-8. ZWJ/ZWNJ and LRM/RLM stay:
# they matter in Persian, Indic and Arabic text.
# (The characters are ``chars.HIDDEN``, ``chars.BIDI`` and ``chars.SURROGATES``; ``offsets.clean``
# removes them and maps every offset back.)
_UNIVERSAL_NEWLINES = re.compile("\r\n?")
_SURROGATE = re.compile(f"[{SURROGATES}]")


def normalize_text(raw: str) -> str:
    """Unify line ends and drop invisible formatting; nothing else, so offsets mean what the reader sees."""
    return clean(raw)[0]


_SIGNATURES = (
    (b"%PDF-", "binary file: a PDF, not text: extract its text first (e.g. pdftotext) and pass the .txt"),
    (b"\x89PNG\r\n\x1a\n", "binary file: a PNG image, not text"),
    (b"\xff\xd8\xff", "binary file: a JPEG image, not text"),
    (b"GIF8", "binary file: a GIF image, not text"),
    (b"\x1f\x8b", "binary file: gzip-compressed, decompress it first"),
    (b"PK\x03\x04", "binary file: a ZIP archive (or .docx/.odt), extract its text first"),
)


def decode(data: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252 / Latin-1."""
    text, _ = _decode(data, source)
    return text[1:] if text.startswith("\ufeff") else text


def read_as_given(data: bytes, source: str) -> tuple[str, str]:
    """The text and codec of a file as ``Path(f).read_text(encoding=codec)`` reads it: decoded,
    CRLF and lone CR read as LF (universal newlines), a UTF-8 BOM kept as U+FEFF. (A damaged UTF-8
    file is read with ``errors="replace"``.)"""
    text, codec = _decode(data, source)
    return _UNIVERSAL_NEWLINES.sub("\n", text), codec


def _decode(data: bytes, source: str) -> tuple[str, str]:
    if not data.strip():
        raise EmptyArticle(source, "the file is empty: nothing to brief")
    for magic, reason in _SIGNATURES:
        if data.startswith(magic):
            raise BinaryArticle(source, reason)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableArticle(source, "starts like UTF-16 but does not decode: re-save it as UTF-8") from exc
    if b"\x00" in data[:65536]:
        raise BinaryArticle(source, "binary file (it holds NUL bytes), not text: convert it to text first")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    if any(ord(c) > 127 and c != "\ufffd" for c in loose):
        # Real UTF-8 sequences next to broken ones: a damaged UTF-8 file, not a legacy encoding.
        # A few bad bytes become U+FFFD (visible, never a digit); more mean the file is not text.
        if bad <= max(3, len(loose) // 1000):
            return loose, "utf-8"
        raise UnreadableArticle(source, f"invalid UTF-8 ({bad:,} undecodable bytes): re-save the file as UTF-8")
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def find_date(text: str) -> dt.date | None:
    """A dateline near the top of the text, e.g. 'Feb 21, 2016' or '22/02/2016'."""
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


def _is_related_link(line: str) -> bool:
    """'More Front Lists Attacks On Coastal Towns ...': a headline link dropped into the body."""
    words = line.split()
    if not line.startswith("More ") or len(words) < 5 or line[-1] in ".!?\"”":
        return False
    return sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def _noise_spans(text: str, title: str | None) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    title_seen = False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and title and stripped == title:
            if title_seen:
                spans.append((pos, pos + len(line)))  # the page repeats its headline
            title_seen = True
        elif stripped and (is_furniture(stripped) or _is_related_link(stripped)):
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _title(text: str) -> str | None:
    """The first line, when it reads as a headline (short, one sentence at most)."""
    for line in text.split("\n"):
        line = line.strip()
        if not line or is_furniture(line) or reads_as_instruction(line):
            continue
        if len(line) <= 160 and not re.search(r"[.!?][\"”’]?\s+[A-Z]", line):
            return line
        return None
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
) -> Article:
    """Check and normalize one article's text (``text`` is the text as given; see the module
    docstring). Raises ``ArticleError`` for unusable text."""
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
    controls = sum(1 for c in text[:20000] if ord(c) < 32 and c not in "\n\t")
    if controls > 0.01 * min(len(text), 20000):
        raise BinaryArticle(source, "the text is mostly control characters: is it a binary file?")
    if not re.search(r"[^\W\d_]{2,}", text):
        raise EmptyArticle(source, "the article has no words")
    basis = None
    if isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published[:10])
        except ValueError:
            published = None
    if published is not None:
        basis = "metadata"
    else:
        published = find_date(text)
        basis = "dateline" if published else None
    title = title or _title(text)
    instructions = instruction_spans(text)
    return Article(
        id=id,
        text=text,
        title=title,
        url=url,
        published=published,
        published_basis=basis,
        source=source,
        noise=sorted(_noise_spans(text, title) + instructions),
        instructions=instructions,
        given=given,
        offsets=offsets,
        indexes=indexes,
        encoding=encoding,
    )


def _from_html(html: str, *, id: str, source: str, max_chars: int) -> Article:
    try:
        import trafilatura
    except ImportError as exc:  # a broken install costs the HTML articles, not the run
        raise UnreadableArticle(source, f"cannot read HTML: {exc}: reinstall with pip install -e .") from exc
    try:
        extracted = trafilatura.extract(
            html, output_format="json", with_metadata=True, favor_precision=True
        )
    except Exception as exc:  # a parser bug on hostile markup must cost this article only
        log.exception("HTML parser failed on %s", source)
        raise UnreadableArticle(source, f"could not parse this HTML ({type(exc).__name__})") from exc
    if not extracted:
        raise EmptyArticle(source, "no article text found in this HTML page")
    meta = json.loads(extracted)
    words = len((meta.get("text") or "").split())
    if words < 8:  # a menu or a cookie line is what is left of a page with no article
        raise EmptyArticle(source, f"no article text found in this HTML page (only {words} words outside scripts)")
    return make_article(
        meta.get("text") or "",
        id=id,
        source=source,
        title=meta.get("title"),
        url=meta.get("source") or meta.get("url"),
        published=meta.get("date"),
        max_chars=max_chars,
        indexes="html",
    )


def _from_record(rec: object, *, default_id: str, source: str, max_chars: int) -> Article:
    if not isinstance(rec, dict):
        raise UnreadableArticle(source, "each JSON article must be an object with a 'text' field")
    text = rec.get("text")
    if not isinstance(text, str):
        raise UnreadableArticle(source, "the JSON article has no 'text' string")
    rid = rec.get("id")
    if rid is not None and (isinstance(rid, bool) or not isinstance(rid, (str, int))):
        raise UnreadableArticle(source, "the JSON article's 'id' must be a string or a number")
    # Other fields of the wrong type (a numeric title, a malformed date) are ignored, not fatal.
    return make_article(
        text,
        id=str(rid if rid not in (None, "") else default_id),
        source=source,
        title=rec.get("title") if isinstance(rec.get("title"), str) else None,
        url=rec.get("url") if isinstance(rec.get("url"), str) else None,
        published=rec.get("published") if isinstance(rec.get("published"), str) else None,
        max_chars=max_chars,
        indexes="json",
    )


def _looks_like_html(text: str) -> bool:
    return bool(re.match(r"\s*(<!doctype html|<html|<head|<body)", text, re.I))


def _dangling(path: Path) -> str:
    """Why a symlink leads nowhere: a loop, or a missing target."""
    try:
        path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop this way
        return "symlink loop (the link points back to itself): fix or remove the link"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop (the link points back to itself): fix or remove the link"
    try:
        target = str(path.readlink())
    except OSError:
        target = "?"
    return f"broken symlink (points to {target}, which does not exist): fix or remove the link"


def _load_path(path: Path, out: LoadResult, max_chars: int, seen: set[Path]) -> None:
    source = str(path)
    try:
        if path.is_symlink() and not path.exists():
            raise UnreadableArticle(source, _dangling(path))
        if path.is_dir():
            real = path.resolve()
            if real in seen:
                raise UnreadableArticle(source, "directory already loaded (a symlink loop or given twice): skipped")
            seen.add(real)
            try:
                children = sorted(p for p in path.iterdir() if not p.name.startswith("."))
            except OSError as exc:
                raise UnreadableArticle(
                    source, f"cannot list the directory ({exc.strerror}): check its permissions") from exc
            if not children:
                raise EmptyArticle(source, "the directory holds no article files")
            for child in children:
                _load_path(child, out, max_chars, seen)
            return
        if not path.exists():
            raise UnreadableArticle(source, "no such file: check the path")
        if not path.is_file():  # a FIFO or device would block or never end
            raise UnreadableArticle(source, "not a regular file (a pipe, socket or device): save the article to a file")
        size = path.stat().st_size
        limit = 4 * max_chars + 1024
        if path.suffix.lower() in JSON_SUFFIXES:
            limit *= 64  # many articles in one file; each is still held to max_chars
        if size > limit:
            raise ArticleTooLarge(
                source,
                f"{size:,} bytes is over the limit of {max_chars:,} characters: "
                "split the article or raise --max-article-chars",
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableArticle(source, f"cannot read the file ({exc.strerror})") from exc
        given, codec = read_as_given(data, source)
        text = given.removeprefix("\ufeff")  # JSON and HTML are parsed without it
        suffix = path.suffix.lower()
        if suffix in JSON_SUFFIXES:
            out.articles.extend(_json_articles(text, path.stem, source, max_chars, out))
        elif suffix in HTML_SUFFIXES or _looks_like_html(text):
            out.articles.append(_from_html(text, id=path.stem, source=source, max_chars=max_chars))
        else:
            out.articles.append(make_article(given, id=path.stem, source=source, max_chars=max_chars,
                                             indexes="file", encoding=codec))
    except ArticleError as exc:
        out.errors.append(exc)
    except OSError as exc:  # permissions on a parent, a vanished file: this input only
        out.errors.append(UnreadableArticle(source, f"cannot read it ({exc.strerror or exc})"))


def _json_articles(
    text: str, stem: str, source: str, max_chars: int, out: LoadResult
) -> Iterable[Article]:
    try:
        records: list[object] = [json.loads(text)]
        where: list[str] | None = None  # per record; None: "<source>#<index>"
    except RecursionError as exc:
        raise UnreadableArticle(source, "JSON nested too deeply to be an article") from exc
    except json.JSONDecodeError as exc:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if not lines or not _parses(lines[0][1]):
            raise UnreadableArticle(source, f"not valid JSON or JSONL ({exc.msg}, line {exc.lineno})") from exc
        # JSONL: a bad line costs that line only.
        records, where = [], []
        for n, line in lines:
            try:
                records.append(json.loads(line))
                where.append(f"{source}:{n}")
            except (json.JSONDecodeError, RecursionError):
                out.errors.append(UnreadableArticle(f"{source}:{n}", "not valid JSON: line skipped"))
    if len(records) == 1 and isinstance(records[0], list):
        records = records[0]
        where = None
    if not records:
        raise EmptyArticle(source, "the JSON holds no articles")
    articles = []
    for i, rec in enumerate(records):
        try:
            articles.append(
                _from_record(rec, default_id=f"{stem}-{i}" if len(records) > 1 else stem,
                             source=where[i] if where else f"{source}#{i}", max_chars=max_chars)
            )
        except ArticleError as exc:
            out.errors.append(exc)
    return articles


def _parses(line: str) -> bool:
    try:
        json.loads(line)
        return True
    except (json.JSONDecodeError, RecursionError):
        return False


# Suffixes that make a str a path even when nothing has that name (reported missing, not briefed).
PATH_SUFFIXES = HTML_SUFFIXES | JSON_SUFFIXES | {".txt", ".md", ".markdown", ".text"}
Input = str | Path | Article | Mapping[str, object]  # what ``load_many`` (and ``summarizer.brief``) accept


def is_text(item: str) -> bool:
    """Whether a ``str`` input is article text, not a path: text if it has a line break; a path if it
    names a file or directory, ends with a separator or an input suffix (``.txt``, ``.json`` …), or is
    ``-``; else text if it holds whitespace (a lone word naming nothing is a missing file). To say
    which outright, pass ``pathlib.Path(...)`` or ``summarizer.text(...)``.

    >>> is_text("Text of an article: a storm hit the coast on Monday."), is_text("examples/")
    (True, False)
    >>> is_text("missing.txt"), is_text("typo")
    (False, False)
    """
    if "\n" in item or "\r" in item:
        return True
    if item == "-" or item.endswith(("/", "\\")):
        return False
    try:
        if Path(item).exists() or Path(item).is_symlink():
            return False
    except (OSError, ValueError):  # too long, or a NUL: no file has that name
        return True
    if Path(item).suffix.lower() in PATH_SUFFIXES:
        return False
    return any(c.isspace() for c in item)


def text(body: str, *, id: str = "text", title: str | None = None, url: str | None = None,
         published: dt.date | str | None = None, max_chars: int = DEFAULT_MAX_ARTICLE_CHARS) -> Article:
    """An article from text in memory, checked and cleaned as a file's; citations index ``body``.

    >>> a = text("A storm killed 3 people in Northtown on Monday, officials said.", id="storm")
    >>> a.id, a.text[a.text.index("3"):][:8]
    ('storm', '3 people')
    """
    return make_article(body, id=id, source=id, title=title, url=url, published=published,
                        max_chars=max_chars, indexes="text")


def _rechecked(a: Article, max_chars: int) -> Article:
    """An ``Article`` input made again from its given text: one built by hand lacks the furniture and
    injection spans ``make_article`` finds, and every input is held to the same limits."""
    out = make_article(a.given or a.text, id=a.id, source=a.source or a.id, title=a.title, url=a.url,
                       published=a.published, max_chars=max_chars, indexes=a.indexes, encoding=a.encoding)
    out.published_basis = a.published_basis or out.published_basis
    return out


def load_many(
    inputs: Iterable[Input], *, max_chars: int = DEFAULT_MAX_ARTICLE_CHARS, stdin=None
) -> LoadResult:
    """Load every input; bad ones become errors in the result, never exceptions. An input is a path
    (a file, a directory, ``-`` for stdin), article text (a ``str``, see ``is_text``; id ``text-N``,
    N its place among the inputs), an ``Article``, or a dict like a JSONL record (id ``record-N``)."""
    out = LoadResult()
    seen: set[Path] = set()
    for n, item in enumerate(inputs, 1):
        if isinstance(item, Article):
            _collect(out, lambda item=item: _rechecked(item, max_chars))
        elif isinstance(item, Mapping):
            _collect(out, lambda item=item, n=n: _from_record(dict(item), default_id=f"record-{n}",
                                                             source=f"record-{n}", max_chars=max_chars))
        elif isinstance(item, str) and is_text(item):
            _collect(out, lambda item=item, n=n: text(item, id=f"text-{n}", max_chars=max_chars))
        elif not isinstance(item, str | Path):
            raise TypeError(f"cannot load {type(item).__name__} as an article: pass a path, a str of text, "
                            "an Article or a dict with a 'text' field")
        elif str(item) == "-":
            stream = stdin or sys.stdin.buffer
            try:
                data = stream.read(4 * max_chars + 1025)
                if len(data) > 4 * max_chars + 1024:
                    raise ArticleTooLarge("<stdin>", f"more than {4 * max_chars + 1024:,} bytes on stdin: "
                                          "split the article or raise --max-article-chars")
                given, codec = read_as_given(data, "<stdin>")
                out.articles.append(make_article(given, id="stdin", source="<stdin>", max_chars=max_chars,
                                                 indexes="stdin", encoding=codec))
            except ArticleError as exc:
                out.errors.append(exc)
        else:
            _load_path(Path(item), out, max_chars, seen)
    out.articles, duplicates = drop_duplicates(out.articles)
    out.errors += duplicates
    _dedupe_ids(out.articles)
    return out


def _collect(out: LoadResult, make: Callable[[], Article]) -> None:
    try:
        out.articles.append(make())
    except ArticleError as exc:
        out.errors.append(exc)


def drop_duplicates(articles: list[Article]) -> tuple[list[Article], list[ArticleError]]:
    """Keep the first of several inputs with the same text (a wire story saved twice, a file
    given twice): counted twice, it would look like two articles agreeing on every figure."""
    first: dict[str, Article] = {}
    kept: list[Article] = []
    errors: list[ArticleError] = []
    for a in articles:
        other = first.setdefault(a.sha256, a)
        if other is a:
            kept.append(a)
        else:
            errors.append(DuplicateArticle(a.source, f"same text as {other.source}: briefed once, not twice"))
    return kept, errors


def _dedupe_ids(articles: list[Article]) -> None:
    """Two inputs with one stem get distinct ids, so citations stay unambiguous."""
    counts: dict[str, int] = {}
    for a in articles:
        n = counts.get(a.id, 0)
        counts[a.id] = n + 1
        if n:
            a.id = f"{a.id}~{n + 1}"
