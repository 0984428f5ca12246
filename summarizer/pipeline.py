"""The library's front door: articles -> extractions -> grounded records -> briefing.

    from summarizer import Settings, brief
    briefing = brief(["examples/syria-2016-02-21"], Settings.from_env())
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import extract as _extract
from .backends import Backend, make_backend
from .ingest import Article, load_many
from .merge import merge
from .schemas import ArticleExtraction, ArticleStatus, Briefing, RunInfo, Usage
from .settings import Settings

Progress = Callable[[str], None]


def extract_articles(
    articles: list[Article],
    settings: Settings,
    backend: Backend | None = None,
    progress: Progress | None = None,
) -> list[ArticleExtraction]:
    """Extract every article; one that fails is reported in its extraction, the rest go on."""
    backend = backend or make_backend(settings)
    workers = 1 if backend.name == "embedded" else settings.concurrency

    def one(article: Article) -> ArticleExtraction:
        result = _extract.extract(article, backend, settings)
        if progress:
            note = f" failed: {result.error}" if result.error else ""
            progress(f"{article.id}: {len(result.casualties)} casualty, {len(result.statements)} statement, "
                     f"{len(result.events)} event records; {result.usage.calls} calls{note}")
        return result

    if workers == 1 or len(articles) <= 1:
        return [one(a) for a in articles]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, articles))


def brief_articles(
    articles: list[Article],
    settings: Settings,
    backend: Backend | None = None,
    load_errors: Iterable[tuple[str, str]] = (),
    progress: Progress | None = None,
) -> Briefing:
    began = time.perf_counter()
    backend = backend or make_backend(settings)
    extractions = extract_articles(articles, settings, backend, progress)
    extractions += [_extract.failed(source, reason) for source, reason in load_errors]
    usage = Usage()
    for e in extractions:
        usage.add(e.usage)
    run = RunInfo(
        backend=backend.name,
        model=backend.model,
        strategy=_extract.resolve_strategy(settings, backend),
        prompt_version=_extract.prompt_version(settings),
        usage=usage,
        articles_ok=sum(e.status == ArticleStatus.OK for e in extractions),
        articles_failed=sum(e.status == ArticleStatus.FAILED for e in extractions),
    )
    briefing = merge(extractions, {a.id: a.text for a in articles}, run=run, narrative=settings.narrative)
    briefing.run.duration_s = round(time.perf_counter() - began, 2)
    return briefing


def brief(
    inputs: Iterable[str | Path],
    settings: Settings | None = None,
    backend: Backend | None = None,
    progress: Progress | None = None,
) -> Briefing:
    """Load the inputs (files, directories, '-'), extract, ground, merge. Returns the Briefing."""
    settings = settings or Settings.from_env()
    loaded = load_many(inputs, max_chars=settings.max_article_chars)
    errors = [(e.source, e.reason) for e in loaded.errors]
    return brief_articles(loaded.articles, settings, backend, errors, progress)


def extract(
    inputs: Iterable[str | Path],
    settings: Settings | None = None,
    backend: Backend | None = None,
) -> list[ArticleExtraction]:
    """Per-article grounded records, without merging."""
    settings = settings or Settings.from_env()
    loaded = load_many(inputs, max_chars=settings.max_article_chars)
    out = extract_articles(loaded.articles, settings, backend)
    return out + [_extract.failed(e.source, e.reason) for e in loaded.errors]
