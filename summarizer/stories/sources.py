"""Where the stream comes from: RSS/Atom feeds (a URL or a file, parsed by feedparser),
directories and JSON/JSONL files of articles (``ingest.load``), and the pages a feed item only
links to (fetched politely, ``fetch.Fetcher``, main text by trafilatura as ``.html`` inputs are).

Every source yields ``Incoming`` articles and one-line ``Problem``s; a broken feed or page costs
itself only. Items already in the state (by URL) are not fetched again.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
import time
from collections.abc import Callable, Container
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser

from ..errors import ArticleError
from ..ingest.article import Article, make_article
from ..ingest.html import from_html
from ..ingest.load import load_many
from .fetch import Fetcher

log = logging.getLogger(__name__)

FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}
MIN_CONTENT_WORDS = 80  # a feed item with less is a teaser: its page is fetched for the article


@dataclass
class Incoming:
    article: Article
    publisher: str | None
    time: float  # published, else when it was read (epoch seconds)


@dataclass
class Problem:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class FeedValidators:
    url: str
    etag: str | None
    last_modified: str | None


@dataclass
class SourceResult:
    source: str
    incoming: list[Incoming] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    validators: FeedValidators | None = None  # a fetched feed: store once its items are in
    not_modified: bool = False


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def is_feed_file(path: Path) -> bool:
    if path.suffix.lower() in FEED_SUFFIXES:
        return True
    if path.is_file() and path.suffix.lower() not in {".json", ".jsonl", ".ndjson", ".txt", ".md"}:
        with open(path, "rb") as fh:
            head = fh.read(512).lstrip().lower()
        return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf"))
    return False


def slug(text: str, limit: int = 48) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[-limit:].strip("-") or "item"


def _epoch(date: dt.date | None, now: float) -> float:
    if date is None:
        return now
    return float(calendar.timegm(date.timetuple()))


def read_files(source: str, max_chars: int, now: float, spans: bool = True,
               known: Container[str] = frozenset()) -> SourceResult:
    """Files, a directory or a JSON/JSONL file; ``spans=False`` reads them without furniture and
    instruction spans (``make_article``): the runner makes each article again before briefing it.
    Texts whose sha256 is ``known`` (read by an earlier run) are only checked and cleaned."""
    out = SourceResult(source)
    loaded = load_many([Path(source)], max_chars=max_chars, spans=spans, known=known)
    out.problems += [Problem(e.source, e.reason) for e in loaded.errors if "same text as" not in e.reason]
    for a in loaded.articles:
        # published metadata first, else the date the text states near its top (its dateline):
        # the news's own day lets the time decay keep apart stories years apart; undated: now
        out.incoming.append(Incoming(a, None, _epoch(a.published, now)))
    return out


def _entry_text(entry: Any) -> str:
    content = entry.get("content") or []
    body = max((c.get("value") or "" for c in content), key=len, default="")
    return body or entry.get("summary") or entry.get("description") or ""


def _words(html_or_text: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", html_or_text).split())


def _article_from_markup(markup: str, *, id: str, source: str, title: str | None, url: str | None,
                         published: str | None, max_chars: int) -> Article:
    """A feed item's own text: HTML through trafilatura (as an ``.html`` input), plain text as is."""
    if "<" in markup and re.search(r"<[a-zA-Z/][^>]*>", markup):
        a = from_html(f"<html><head><title></title></head><body><article>{markup}</article></body></html>",
                      id=id, source=source, max_chars=max_chars)
        a.title, a.url = title or a.title, url
        if published:
            a.published = dt.date.fromisoformat(published[:10])
            a.published_basis = "metadata"
        return a
    return make_article(markup, id=id, source=source, title=title, url=url, published=published,
                        max_chars=max_chars, indexes="text")


def read_feed(source: str, fetcher: Fetcher, known: Callable[[str], bool], validators: FeedValidators | None,
              max_chars: int, now: float, fetch_workers: int = 4) -> SourceResult:
    """A feed (URL or file): its items, each with its own text or its page's."""
    out = SourceResult(source)
    if is_url(source):
        got = fetcher.get(source, validators.etag if validators else None,
                          validators.last_modified if validators else None)
        if got.not_modified:
            out.not_modified = True
            return out
        if not got.ok:
            out.problems.append(Problem(source, f"feed not read: {got.error}"))
            return out
        data: bytes = got.body
        out.validators = FeedValidators(source, got.etag, got.last_modified)
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            out.problems.append(Problem(source, f"cannot read the feed file ({exc.strerror})"))
            return out
    parsed = feedparser.parse(data)
    if parsed.get("bozo") and not parsed.entries:
        why = type(parsed.get("bozo_exception")).__name__
        msg = str(parsed.get("bozo_exception") or "").splitlines()[0][:120] if parsed.get("bozo_exception") else ""
        out.problems.append(Problem(source, f"not a readable RSS or Atom feed ({why}: {msg}): check the address"))
        out.validators = None  # a broken answer is not remembered: the next run asks again
        return out
    if parsed.get("bozo"):
        out.problems.append(Problem(source, f"the feed's XML is malformed; {len(parsed.entries)} items read anyway"))
    publisher = parsed.feed.get("title") or urlsplit(source).netloc or Path(source).stem
    pending: list[tuple[Any, str, str | None, str | None]] = []
    for n, e in enumerate(parsed.entries):
        link = e.get("link")
        ident = e.get("id") or link or f"{source}#{n}"
        where = link or ident
        if known(where):
            continue
        t = e.get("published_parsed") or e.get("updated_parsed")
        published = time.strftime("%Y-%m-%d", t) if t else None
        pending.append((e, where, link, published))
    pages: dict[str, Any] = {}
    to_fetch = [link for e, _, link, _ in pending
                if link and is_url(link) and _words(_entry_text(e)) < MIN_CONTENT_WORDS]
    if to_fetch:
        with ThreadPoolExecutor(max_workers=fetch_workers) as pool:
            pages = dict(zip(to_fetch, pool.map(fetcher.get, to_fetch), strict=True))
    for e, where, link, published in pending:
        t = e.get("published_parsed") or e.get("updated_parsed")
        when = float(calendar.timegm(t)) if t else now
        title = e.get("title")
        aid = slug(urlsplit(where).path if is_url(where) else where)
        try:
            page = pages.get(link) if link else None
            if page is not None and page.ok:
                a = from_html(page.body.decode("utf-8", errors="replace"), id=aid, source=link, max_chars=max_chars)
                a.title, a.url = title or a.title, link
                if published and a.published_basis != "metadata":  # the feed's date beats a dateline
                    a.published, a.published_basis = dt.date.fromisoformat(published), "metadata"
            else:
                body = _entry_text(e)
                if page is not None and _words(body) < 8:
                    out.problems.append(Problem(link or where,
                                                f"item has no text and its page was not read: {page.error}"))
                    continue
                if _words(body) < 8:
                    out.problems.append(Problem(where, "feed item has no text and no page to read: skipped"))
                    continue
                if page is not None:
                    out.problems.append(Problem(link or where,
                                                f"page not read ({page.error}); the feed's summary is used"))
                a = _article_from_markup(body, id=aid, source=where, title=title, url=link, published=published,
                                         max_chars=max_chars)
        except ArticleError as exc:
            out.problems.append(Problem(exc.source, exc.reason))
            continue
        out.incoming.append(Incoming(a, publisher, when))
    return out
