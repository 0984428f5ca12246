"""The library's front door: articles -> extractions -> grounded records -> briefing.

    from summarizer import Settings, brief
    briefing = brief(["path/to/cluster"], Settings.from_env())
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from . import lexicon
from .backends import Backend, make_backend
from .cache import ExtractionCache
from .control import emit
from .errors import ArticleError, ConfigError, Interrupted
from .extraction import strategies as _extract
from .extraction.auto import Memo
from .ingest import offsets
from .ingest.article import Article, LoadResult
from .ingest.load import Input, load_many
from .merge.events import merge
from .narrative import writer
from .schemas import ArticleExtraction, ArticleStatus, Briefing, OffsetReport, RunInfo, Usage
from .settings import Settings

Inputs = Input | Iterable[Input]  # one input, or several (``ingest.load.load_many``)
Progress = Callable[[str], None]  # plain text lines (kept for callers); ``control.Events`` carries the rest


def cache_parts(settings: Settings, backend: Backend) -> dict[str, object]:
    """Everything besides the article's text that decides what an extraction holds."""
    from . import __version__

    return {
        "backend": backend.name,
        "model": backend.model,
        "mode": getattr(backend, "mode", None),
        "strategy": _extract.resolve_strategy(settings, backend),
        "prompt_version": _extract.prompt_version(settings),
        "reasks": _extract.reasks(settings, backend),
        "text_options": _extract.uses_options(settings, backend),
        "temperature": settings.temperature,
        "seed": settings.seed,
        "n_ctx": settings.n_ctx if backend.name == "embedded" else None,
        "code": __version__,
        "lexicon": settings.lexicon.version,
    }


def extract_one(
    article: Article, settings: Settings, backend: Backend, cache: ExtractionCache | None = None,
    memo: Memo | None = None,
) -> ArticleExtraction:
    """One article's grounded records, from the cache when it holds them. ``memo``: what
    ``--strategy auto`` learned about the model so far in this run."""
    with lexicon.using(settings.lexicon):
        return _extract_one(article, settings, backend, cache, memo)


def _extract_one(
    article: Article, settings: Settings, backend: Backend, cache: ExtractionCache | None,
    memo: Memo | None,
) -> ArticleExtraction:
    if cache is None:
        return _extract.extract(article, backend, settings, memo)
    result = cache.get_or_extract(
        article.id, article.sha256, cache_parts(settings, backend),
        lambda: _extract.extract(article, backend, settings, memo),
    )
    return own_metadata(result, article)


def own_metadata(result: ArticleExtraction, article: Article) -> ArticleExtraction:
    """A cached extraction may come from the same text in another file: give it this one's metadata."""
    if result.cached:
        result = result.model_copy(update={"title": article.title, "published": article.published})
    return result


def extract_articles(
    articles: list[Article],
    settings: Settings,
    backend: Backend | None = None,
    progress: Progress | None = None,
    cache: ExtractionCache | None = None,
    notice: Progress | None = None,
) -> list[ArticleExtraction]:
    """Extract every article; one that fails is reported in its extraction, the rest go on.
    ``notice`` hears, once, that the model could not answer whole articles (``auto``). The
    citations index the cleaned texts (``Article.text``); ``extract`` maps them to the
    articles as given.

    >>> from summarizer.testing import FakeBackend
    >>> fake = FakeBackend(default={"killed": 3, "injured": None, "place": None, "claimed_by": None})
    >>> [out] = extract_articles([text("Floods killed 3 people in Northtown on Monday.")], Settings(), fake)
    >>> out.status.value, [c.killed.value for c in out.casualties]
    ('ok', [3])
    """
    backend = backend or make_backend(settings)
    workers = 1 if backend.name == "embedded" else settings.concurrency
    memo = Memo(store=cache, notify=notice or progress)

    control = settings.control
    emit(control, "run_started", articles=len(articles))

    def one(article: Article) -> ArticleExtraction:
        emit(control, "article_started", article=article.id)
        result = extract_one(article, settings, backend, cache, memo)
        emit(control, "article_done", article=article.id, status=result.status.value, cached=result.cached,
             calls=0 if result.cached else result.usage.calls, error=result.error,
             records=f"{len(result.casualties)} casualty, {len(result.statements)} statement, "
                     f"{len(result.events)} event records")
        if progress:
            note = f" failed: {result.error}" if result.error else ""
            note += " (cached)" if result.cached else ""
            progress(f"{article.id}: {len(result.casualties)} casualty, {len(result.statements)} statement, "
                     f"{len(result.events)} event records; {result.usage.calls} calls{note}")
        return result

    if workers == 1 or len(articles) <= 1:
        return [one(a) for a in articles]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, articles))


def assemble(
    articles: list[Article],
    extractions: list[ArticleExtraction],
    settings: Settings,
    backend: Backend,
    began: float,
) -> Briefing:
    """Merge extractions into the briefing and fill its ``run`` block (usage spent by this run).
    The summary paragraph comes from the template, or from the model on a capable backend."""
    usage = Usage()
    for e in extractions:
        if not e.cached:
            usage.add(e.usage)
    run = RunInfo(
        backend=backend.name,
        model=backend.model,
        strategy=_extract.resolve_strategy(settings, backend),
        prompt_version=f"{_extract.prompt_version(settings)},{writer.prompt_tag(settings)}",
        lexicon_version=settings.lexicon.version,
        usage=usage,
        articles_ok=sum(e.status == ArticleStatus.OK for e in extractions),
        articles_failed=sum(e.status == ArticleStatus.FAILED for e in extractions),
        cache_hits=sum(e.cached for e in extractions),
    )
    with lexicon.using(settings.lexicon):
        briefing = merge(extractions, run=run)
    control = settings.control
    if control is not None and control.stopped:
        raise Interrupted(control.signal_name)
    spent = control is not None and control.spent() is not None  # a spent budget: the template writes it
    if writer.uses_model(settings, backend) and not spent and not _no_whole_answer(settings, backend, extractions):
        writer.write(briefing, backend, settings, max_retries=_extract.reasks(settings, backend))
    briefing = as_given(briefing, articles, settings)
    briefing.run.duration_s = round(time.perf_counter() - began, 2)
    return briefing


def as_given(briefing: Briefing, articles: list[Article], settings: Settings) -> Briefing:
    """The briefing for output: every citation mapped from the cleaned texts the pipeline grounds
    in to the articles as given (``ingest.offsets.to_given``), and each source's ``indexes``, encoding
    and (``settings.include_text``, or always for HTML) text. The only place offsets change."""
    by_id = {a.id: a for a in articles}
    out = briefing.model_copy(deep=True)  # the extractions' records stay in cleaned offsets
    out.run.offsets = offsets.to_given(out, by_id)
    for s in out.sources:
        a = by_id.get(s.id)
        if a is None:
            continue
        s.indexes, s.encoding = a.indexes, a.encoding
        if settings.include_text or a.indexes == "html":
            s.text = a.given
    return out


def extractions_as_given(extractions: list[ArticleExtraction], articles: list[Article]) -> OffsetReport:
    """Map the extractions' citations, in place, to the articles as given (``extract`` output)."""
    return offsets.to_given(extractions, {a.id: a for a in articles})


def _no_whole_answer(settings: Settings, backend: Backend, extractions: list[ArticleExtraction]) -> bool:
    """With ``auto``, a model that answered no article whole is not asked for the summary either
    (a paragraph from records is a task of the same size): the template writes it."""
    used = [e.strategy or "" for e in extractions if e.status == ArticleStatus.OK]
    return (_extract.resolve_strategy(settings, backend) == "auto"
            and bool(used) and all(u.startswith("sentence") for u in used))


def brief_articles(
    articles: list[Article],
    settings: Settings,
    backend: Backend | None = None,
    load_errors: Iterable[ArticleError] = (),
    progress: Progress | None = None,
    cache: ExtractionCache | None = None,
    notice: Progress | None = None,
) -> Briefing:
    """``brief`` for articles already loaded (``load``, ``text``): ``load_errors`` become failed
    sources; ``cache`` an ``ExtractionCache`` to reuse extractions from.

    >>> from summarizer.testing import FakeBackend
    >>> fake = FakeBackend(default={"killed": 3, "injured": None, "place": None, "claimed_by": None})
    >>> a = text("Floods killed 3 people in Northtown on Monday.", id="floods")
    >>> brief_articles([a], Settings(narrative=False), fake).sources[0].id
    'floods'
    """
    began = time.perf_counter()
    backend = backend or make_backend(settings)
    extractions = extract_articles(articles, settings, backend, progress, cache, notice)
    extractions += [_extract.unusable(e) for e in load_errors]
    return assemble(articles, extractions, settings, backend, began)


def _controlled(settings: Settings) -> Settings:
    """The run's stop event and budget counters: the caller's, or fresh ones from the settings."""
    return settings if settings.control is not None else settings.controlled()


def brief(
    inputs: Inputs,
    settings: Settings | None = None,
    backend: Backend | None = None,
    progress: Progress | None = None,
    notice: Progress | None = None,
    *,
    model: str | Backend | None = None,
    **options: Any,
) -> Briefing:
    """Several articles about one event in, one cited briefing out.

    ``inputs``: one input or a list of them, each a path (a file or directory of ``.txt``, ``.md``,
    ``.html``, ``.json``/``.jsonl``; ``-`` for stdin), the text of an article (a ``str``: the rule
    is ``summarizer.ingest.load.is_text``; ``summarizer.text(...)`` or ``pathlib.Path(...)`` says which
    outright), an ``Article``, or a dict like a JSONL record (``text``; ``id``, ``title``, ``url``,
    ``published``). ``model``: a model string ("embedded", "openai/gpt-4o-mini",
    "ollama/qwen2.5:7b", a ``register_backend`` prefix) or a backend object. ``settings``: default
    ``Settings.from_env()``; ``options`` are ``Settings`` fields (``strategy="whole"``,
    ``base_url=...``) applied on top. ``progress`` hears one line per article; ``notice``
    (default: ``progress``) the run's notices. An unusable input is reported in
    ``sources[].error`` and the rest is briefed.

    ``FakeBackend`` (``summarizer.testing``: it answers what it is told) keeps the example offline;
    ``model="embedded"`` runs the bundled model on the CPU instead, ``model="openai/gpt-4o-mini"``
    an endpoint.

    >>> from summarizer.testing import FakeBackend
    >>> fake = FakeBackend(default={"killed": 12, "injured": None, "place": "Northtown", "claimed_by": "police"})
    >>> b = brief(["A car bomb killed 12 people in Northtown on Sunday, police said."], model=fake)
    >>> claim = b.events[0].killed.claims[0]
    >>> claim.value, claim.claimant, claim.citations[0].text
    (12, 'police', '12')
    >>> b.to_markdown().splitlines()[0]
    '# Bombing in Northtown'
    """
    settings, backend = configure(settings, backend, model, options)
    return brief_with_articles(inputs, settings, backend, progress, notice)[0]


def configure(settings: Settings | None, backend: Backend | None, model: str | Backend | None,
              options: dict[str, Any]) -> tuple[Settings, Backend | None]:
    """The settings and backend the public calls' ``model=``, ``settings=`` and ``**options`` ask for."""
    if model is not None and not isinstance(model, str):
        if backend is not None:
            raise ConfigError("pass the backend once: as model= or as backend=, not both")
        backend, model = model, None
    settings = settings or Settings.from_env()
    changes = {**options, **({"model": model} if model is not None else {})}
    return (settings.with_(**changes) if changes else settings), backend


def load(inputs: Inputs, *, settings: Settings | None = None, **options: Any) -> LoadResult:
    """Load articles as ``brief`` would (the same inputs), without asking any model: ``.articles``
    holds the usable ones, ``.errors`` one line for each input that is not.

    >>> loaded = load(["A storm hit Northtown on Monday.", {"id": "wire", "text": "Two people died in the storm."}])
    >>> [a.id for a in loaded.articles], loaded.errors
    (['text-1', 'wire'], [])
    """
    settings = (settings or Settings()).with_(**options) if options else (settings or Settings())
    with lexicon.using(settings.lexicon):
        return load_many(_as_list(inputs), max_chars=settings.max_article_chars)


def _as_list(inputs: Inputs) -> list[Input]:
    """One input or several: a lone str, path, Article or record is one input, not an iterable."""
    if isinstance(inputs, str | Path | Article | Mapping):
        return [inputs]
    return list(inputs)


def brief_with_articles(
    inputs: Inputs,
    settings: Settings | None = None,
    backend: Backend | None = None,
    progress: Progress | None = None,
    notice: Progress | None = None,
) -> tuple[Briefing, list[Article]]:
    """``brief``, and the loaded articles whose stored texts the citations index (for the HTML
    report, which shows them beside the briefing without reading the inputs twice)."""
    settings = _controlled(settings or Settings.from_env())
    loaded = load(inputs, settings=settings)
    cache = ExtractionCache(settings.cache_path) if settings.cache_path and settings.use_cache else None
    try:
        briefing = brief_articles(loaded.articles, settings, backend, loaded.errors, progress, cache, notice)
    finally:
        if cache is not None:
            cache.close()
    briefing._articles = list(loaded.articles)
    return briefing, loaded.articles


def extract(
    inputs: Inputs,
    settings: Settings | None = None,
    backend: Backend | None = None,
    notice: Progress | None = None,
    *,
    model: str | Backend | None = None,
    **options: Any,
) -> list[ArticleExtraction]:
    """Per-article grounded records, without merging; offsets index the articles as given.
    The same inputs, ``model=`` and ``**options`` as ``brief`` (``summarizer.extract``).

    >>> from summarizer.testing import FakeBackend
    >>> fake = FakeBackend(default={"killed": 12, "injured": None, "place": "Northtown", "claimed_by": None})
    >>> [out] = extract(["A car bomb killed 12 people in Northtown on Sunday."], model=fake, narrative=False)
    >>> out.article_id, out.casualties[0].killed.value, out.casualties[0].place.value
    ('text-1', 12, 'Northtown')
    """
    settings, backend = configure(settings, backend, model, options)
    return extract_as_given(inputs, settings, backend, notice)[0]


def extract_as_given(
    inputs: Inputs,
    settings: Settings | None = None,
    backend: Backend | None = None,
    notice: Progress | None = None,
) -> tuple[list[ArticleExtraction], OffsetReport]:
    """``extract``, and how its citations were mapped to the articles as given."""
    settings = _controlled(settings or Settings.from_env())
    loaded = load(inputs, settings=settings)
    out = extract_articles(loaded.articles, settings, backend, notice=notice)
    report = extractions_as_given(out, loaded.articles)
    return out + [_extract.unusable(e) for e in loaded.errors], report
