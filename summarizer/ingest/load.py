"""Articles in: files, directories, JSON/JSONL, HTML and stdin, each checked and normalized.

Each ``Article`` holds two texts. ``given`` is the text as a user's program reads it: a file as
``Path.read_text()`` returns it (decoded, CRLF and CR read as LF, a UTF-8 BOM kept as the
character U+FEFF, as Python's ``utf-8`` codec keeps it), a JSON record's ``text`` string as it
is, an HTML page's extracted text. ``text`` is ``given`` cleaned for the model: normalization is
limited to what cannot carry meaning (a BOM, CRLF/CR line ends, zero-width and bidi-control
characters, lone surrogates), so ``sha256`` identifies the same article under any file name and
line ends. Grounding cites ``text``; ``offsets`` (``summarizer.ingest.offsets``) maps those citations
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
import json
import logging
import sys
from collections.abc import Callable, Container, Iterable, Mapping
from pathlib import Path

from ..errors import ArticleError, ArticleTooLarge, DuplicateArticle, EmptyArticle, UnreadableArticle
from ..settings import DEFAULT_MAX_ARTICLE_CHARS
from .article import Article, LoadResult, make_article
from .decode import read_as_given
from .html import from_html, looks_like_html

log = logging.getLogger(__name__)

HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}


def from_record(rec: object, *, default_id: str, source: str, max_chars: int, spans: bool = True,
                known: Container[str] = frozenset()) -> Article:
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
        spans=spans,
        known=known,
    )


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


def _article_file(path: Path) -> bool:
    """Inside a directory only the documented input suffixes are articles (``PATH_SUFFIXES``);
    a file named outright on the command line is read whatever its name."""
    return path.is_dir() or path.suffix.lower() in PATH_SUFFIXES


def _load_path(path: Path, out: LoadResult, max_chars: int, seen: set[Path],
               skipped: list[Path] | None = None, spans: bool = True, known: Container[str] = frozenset()) -> None:
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
            if skipped is not None:
                skipped += [c for c in children if not _article_file(c)]
            children = [c for c in children if _article_file(c)]
            if not children:
                raise EmptyArticle(source, "the directory holds no article files "
                                   f"({', '.join(sorted(PATH_SUFFIXES))})")
            for child in children:
                _load_path(child, out, max_chars, seen, skipped, spans, known)
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
            out.articles.extend(_json_articles(text, path.stem, source, max_chars, out, spans, known))
        elif suffix in HTML_SUFFIXES or looks_like_html(text):
            out.articles.append(from_html(text, id=path.stem, source=source, max_chars=max_chars, spans=spans))
        else:
            out.articles.append(make_article(given, id=path.stem, source=source, max_chars=max_chars,
                                             indexes="file", encoding=codec, spans=spans, known=known))
    except ArticleError as exc:
        out.errors.append(exc)
    except OSError as exc:  # permissions on a parent, a vanished file: this input only
        out.errors.append(UnreadableArticle(source, f"cannot read it ({exc.strerror or exc})"))


def _json_articles(
    text: str, stem: str, source: str, max_chars: int, out: LoadResult, spans: bool = True,
    known: Container[str] = frozenset(),
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
                from_record(rec, default_id=f"{stem}-{i}" if len(records) > 1 else stem,
                            source=where[i] if where else f"{source}#{i}", max_chars=max_chars, spans=spans,
                            known=known)
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
    inputs: Iterable[Input], *, max_chars: int = DEFAULT_MAX_ARTICLE_CHARS, stdin=None, spans: bool = True,
    known: Container[str] = frozenset(),
) -> LoadResult:
    """Load every input; bad ones become errors in the result, never exceptions. An input is a path
    (a file, a directory, ``-`` for stdin), article text (a ``str``, see ``is_text``; id ``text-N``,
    N its place among the inputs), an ``Article``, or a dict like a JSONL record (id ``record-N``).
    ``spans=False``: files are read without their furniture and instruction spans (``make_article``);
    files whose texts' sha256 are ``known`` are only checked and cleaned (``make_article``)."""
    out = LoadResult()
    seen: set[Path] = set()
    skipped: list[Path] = []  # files in a directory that are not articles by suffix, listed once
    for n, item in enumerate(inputs, 1):
        if isinstance(item, Article):
            _collect(out, lambda item=item: _rechecked(item, max_chars))
        elif isinstance(item, Mapping):
            _collect(out, lambda item=item, n=n: from_record(dict(item), default_id=f"record-{n}",
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
            _load_path(Path(item), out, max_chars, seen, skipped, spans, known)
    if skipped:
        names = ", ".join(str(p) for p in skipped[:10])
        names += f" … and {len(skipped) - 10} more" if len(skipped) > 10 else ""
        log.warning("skipped %d file%s in the directories given, not articles by name (%s): %s", len(skipped),
                    "" if len(skipped) == 1 else "s", " ".join(sorted(PATH_SUFFIXES)), names)
    out.articles, duplicates = drop_duplicates(out.articles)
    out.errors += duplicates
    dedupe_ids(out.articles)
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


def dedupe_ids(articles: list[Article]) -> None:
    """Two inputs with one stem get distinct ids, so citations stay unambiguous."""
    counts: dict[str, int] = {}
    for a in articles:
        n = counts.get(a.id, 0)
        counts[a.id] = n + 1
        if n:
            a.id = f"{a.id}~{n + 1}"
