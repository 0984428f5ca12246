"""Articles in: files, directories, JSON/JSONL, HTML and stdin, each checked and normalized.

The stored ``Article.text`` is what every citation indexes. Normalization is limited to what
cannot carry meaning (a BOM, CRLF/CR line ends), so offsets into the stored text are stable and
``sha256`` identifies the same article under any file name. A bad article raises an
``ArticleError`` naming the source and the fix; ``load_many`` collects those instead of stopping.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import (
    ArticleError,
    ArticleTooLarge,
    BinaryArticle,
    EmptyArticle,
    UnreadableArticle,
)
from .settings import DEFAULT_MAX_ARTICLE_CHARS

TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}

# Web furniture seen in scraped articles; lines matching these are never news.
_NOISE_LINE = re.compile(
    r"(charitable donation|mailing list|subscribe|newsletter|click here|sign up|"
    r"^\s*file photo\s*$|^\s*photo:|^\s*image:|all rights reserved|cookie|advertisement|"
    r"^\s*related:|^\s*read more|—\s?REUTERS\s*$|^\s*-\s*AP\s*$|"
    r"^\s*by admin\s*$|\d{1,2}:\d{2} by \w+\s*$)",
    re.IGNORECASE,
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATELINE = [
    re.compile(rf"\b(?P<mon>(?:{_MONTHS})[a-z]*)\.? (?P<day>\d{{1,2}}),? (?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}}) (?P<mon>(?:{_MONTHS})[a-z]*)\.? (?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
]


@dataclass
class Article:
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    published_basis: str | None = None  # 'metadata' or 'dateline'
    source: str = ""
    noise: list[tuple[int, int]] = field(default_factory=list)

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


def normalize_text(raw: str) -> str:
    """Drop a BOM and unify line ends; nothing else, so offsets mean what the reader sees."""
    return raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, source: str) -> str:
    if not data.strip():
        raise EmptyArticle(source, "the file is empty: nothing to brief")
    if b"\x00" in data[:65536] or data[:8] == b"\x89PNG\r\n\x1a\n" or data[:5] == b"%PDF-":
        raise BinaryArticle(source, "this is a binary file, not text: convert it to text or HTML first")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def find_date(text: str) -> dt.date | None:
    """A dateline near the top of the text, e.g. 'Feb 21, 2016' or '22/02/2016'."""
    head = text[:600]
    for pattern in _DATELINE:
        m = pattern.search(head)
        if not m:
            continue
        groups = m.groupdict()
        try:
            if "mon" in groups:
                month = [x for x in _MONTHS.split("|")].index(groups["mon"][:3].lower()) + 1
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
    """'More ISIS Lists Attacks On Gulf States ...': a headline link dropped into the body."""
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
        elif stripped and (_NOISE_LINE.search(stripped) or _is_related_link(stripped)):
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _title(text: str) -> str | None:
    """The first line, when it reads as a headline (short, one sentence at most)."""
    for line in text.split("\n"):
        line = line.strip()
        if not line or _NOISE_LINE.search(line):
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
) -> Article:
    """Check and normalize one article's text. Raises ``ArticleError`` for unusable text."""
    source = source or id
    text = normalize_text(text)
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
    return Article(
        id=id,
        text=text,
        title=title,
        url=url,
        published=published,
        published_basis=basis,
        source=source,
        noise=_noise_spans(text, title),
    )


def _from_html(html: str, *, id: str, source: str, max_chars: int) -> Article:
    import trafilatura

    extracted = trafilatura.extract(
        html, output_format="json", with_metadata=True, favor_precision=True
    )
    if not extracted:
        raise EmptyArticle(source, "no article text found in this HTML page")
    meta = json.loads(extracted)
    return make_article(
        meta.get("text") or "",
        id=id,
        source=source,
        title=meta.get("title"),
        url=meta.get("source") or meta.get("url"),
        published=meta.get("date"),
        max_chars=max_chars,
    )


def _from_record(rec: object, *, default_id: str, source: str, max_chars: int) -> Article:
    if not isinstance(rec, dict):
        raise UnreadableArticle(source, "each JSON article must be an object with a 'text' field")
    text = rec.get("text")
    if not isinstance(text, str):
        raise UnreadableArticle(source, "the JSON article has no 'text' string")
    return make_article(
        text,
        id=str(rec.get("id") or default_id),
        source=source,
        title=rec.get("title") if isinstance(rec.get("title"), str) else None,
        url=rec.get("url") if isinstance(rec.get("url"), str) else None,
        published=rec.get("published") if isinstance(rec.get("published"), str) else None,
        max_chars=max_chars,
    )


def _looks_like_html(text: str) -> bool:
    return bool(re.match(r"\s*(<!doctype html|<html|<head|<body)", text, re.I))


def _load_path(path: Path, out: LoadResult, max_chars: int, seen: set[Path]) -> None:
    source = str(path)
    try:
        if path.is_dir():
            real = path.resolve()
            if real in seen:
                raise UnreadableArticle(source, "directory loop (a symlink points back up): skipped")
            seen.add(real)
            for child in sorted(p for p in path.iterdir() if not p.name.startswith(".")):
                _load_path(child, out, max_chars, seen)
            return
        if not path.exists():
            raise UnreadableArticle(source, "no such file: check the path")
        size = path.stat().st_size
        if size > 4 * max_chars + 1024:
            raise ArticleTooLarge(
                source,
                f"{size:,} bytes is over the limit of {max_chars:,} characters: "
                "split the article or raise --max-article-chars",
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableArticle(source, f"cannot read the file ({exc.strerror})") from exc
        text = decode(data, source)
        suffix = path.suffix.lower()
        if suffix in JSON_SUFFIXES:
            out.articles.extend(_json_articles(text, path.stem, source, max_chars, out))
        elif suffix in HTML_SUFFIXES or _looks_like_html(text):
            out.articles.append(_from_html(text, id=path.stem, source=source, max_chars=max_chars))
        else:
            out.articles.append(make_article(text, id=path.stem, source=source, max_chars=max_chars))
    except ArticleError as exc:
        out.errors.append(exc)


def _json_articles(
    text: str, stem: str, source: str, max_chars: int, out: LoadResult
) -> Iterable[Article]:
    try:
        records = [json.loads(text)]
    except json.JSONDecodeError:
        try:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise UnreadableArticle(source, f"not valid JSON or JSONL ({exc.msg}, line {exc.lineno})") from exc
    if len(records) == 1 and isinstance(records[0], list):
        records = records[0]
    articles = []
    for i, rec in enumerate(records):
        try:
            articles.append(
                _from_record(rec, default_id=f"{stem}-{i}" if len(records) > 1 else stem,
                             source=f"{source}#{i}", max_chars=max_chars)
            )
        except ArticleError as exc:
            out.errors.append(exc)
    return articles


def load_many(
    inputs: Iterable[str | Path], *, max_chars: int = DEFAULT_MAX_ARTICLE_CHARS, stdin=None
) -> LoadResult:
    """Load every input; bad ones become errors in the result, never exceptions."""
    out = LoadResult()
    seen: set[Path] = set()
    for item in inputs:
        if str(item) == "-":
            stream = stdin or sys.stdin.buffer
            try:
                text = decode(stream.read(), "<stdin>")
                out.articles.append(make_article(text, id="stdin", source="<stdin>", max_chars=max_chars))
            except ArticleError as exc:
                out.errors.append(exc)
            continue
        _load_path(Path(item), out, max_chars, seen)
    _dedupe_ids(out.articles)
    return out


def _dedupe_ids(articles: list[Article]) -> None:
    """Two inputs with one stem get distinct ids, so citations stay unambiguous."""
    counts: dict[str, int] = {}
    for a in articles:
        n = counts.get(a.id, 0)
        counts[a.id] = n + 1
        if n:
            a.id = f"{a.id}~{n + 1}"
