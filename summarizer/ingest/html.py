"""HTML pages: the main text through trafilatura."""

from __future__ import annotations

import json
import logging
import re

from ..errors import EmptyArticle, UnreadableArticle
from .article import Article, make_article

log = logging.getLogger(__name__)


def from_html(html: str, *, id: str, source: str, max_chars: int, spans: bool = True) -> Article:
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
        spans=spans,
    )


def looks_like_html(text: str) -> bool:
    return bool(re.match(r"\s*(<!doctype html|<html|<head|<body)", text, re.I))
