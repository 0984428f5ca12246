"""``summarizer stories``: a stream of feeds, folders and JSONL files in, one briefing per story out.

    from summarizer.stories import run
    result = run(["https://example.org/world.rss", "inbox/"], "stories/", settings)

Each run: read every source (feeds conditionally), keep the articles not seen before, find
near-duplicates, place the rest in stories (online, in arrival order; vectors are made ``BATCH``
articles at a time and each batch is committed to ``stories.sqlite`` in one transaction once it is
placed); then brief each story whose articles changed since its last
briefing (unchanged articles come from the extraction cache, ``cache.sqlite``), say what changed,
and write the outputs (``outputs.py``). ``brief=False`` only clusters: no model is loaded.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import files
from ..backends import Backend, make_backend
from ..cache import ExtractionCache
from ..control import Events, emit
from ..errors import ArticleError
from ..ingest.article import make_article
from ..pipeline import brief_articles
from ..schemas import Briefing
from ..settings import Settings
from .changes import Changes, compare
from .cluster import Weights
from .dedup import from_bytes, to_bytes
from .fetch import Fetcher, FetchLimits
from .outputs import Story, StoryArticle, iso, write_index, write_story
from .sources import FeedValidators, Incoming, Problem, SourceResult, is_feed_file, is_url, read_feed, read_files
from .state import BriefingRow, Row, State
from .stream import Item, Restored, Stream, counts_from_bytes, counts_to_bytes

log = logging.getLogger(__name__)

STATE, CACHE = "stories.sqlite", "cache.sqlite"
# Articles vectorized together and committed in one transaction. Larger batches cost a kill more
# re-placing (never a loss) and save little: a commit and a vectorizer call per 256 articles are
# a small share of the time.
BATCH = 256


@dataclass
class StoriesResult:
    out_dir: Path
    new_articles: int = 0
    new_duplicates: int = 0
    new_stories: int = 0
    stories: int = 0
    briefed: list[str] = field(default_factory=list)  # stories briefed (and rewritten) this run
    failed: list[str] = field(default_factory=list)  # stories whose briefing failed, with why
    calls: int = 0  # model calls this run
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # files rewritten this run
    not_modified: int = 0  # feeds that answered 304

    @property
    def exit_code(self) -> int:
        return 3 if self.problems or self.failed else 0

    def report_lines(self, verbose_summary: bool = True) -> list[str]:
        """One line per problem and failed story, then (``verbose_summary``) what the run did."""
        lines = [str(p) for p in self.problems] + [f"story failed: {f}" for f in self.failed]
        if verbose_summary:
            lines.append(f"{self.new_articles} new articles ({self.new_duplicates} duplicates), {self.new_stories} "
                         f"new stories, {self.stories} in all; {len(self.briefed)} briefed ({self.calls} model "
                         f"calls); {self.not_modified} feeds not modified; files rewritten: "
                         f"{', '.join(self.written) or 'none'}")
        return lines


def _source_kind(source: str) -> str:
    if is_url(source):
        return "feed"
    return "feed" if is_feed_file(Path(source)) else "files"


@dataclass
class _Seen:
    """The texts (sha256) and ids the state holds, in memory for the run: read once with the
    restore, not asked of SQLite for every article."""

    shas: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)


def _restore(state: State, weights: Weights | None) -> tuple[Stream, _Seen]:
    """The stream as the last run left it: the stored articles replayed in arrival order into the
    stories they were given (nothing decided again), from their stored counts. Only stories still
    inside the time window are rebuilt (an older one can take no article); the articles of older
    ones are counted into the IDF and the dedup index, as the stream that placed them counts them."""
    stream, seen = Stream(weights), _Seen()
    rows = list(state.rows())
    if not rows:
        return stream, seen
    horizon = max(r.time for r in rows) - stream.clusterer.weights.window_h * 3600
    last: dict[str, float] = {}
    for r in rows:
        last[r.story] = max(last.get(r.story, r.time), r.time)
        seen.shas.add(r.sha256)
        seen.ids.add(r.id)
    replay = [Restored(Item(r.id, r.title or "", r.given, r.time if r.published else None), r.story, r.duplicate_of,
                       from_bytes(r.signature) if r.signature else None,
                       counts_from_bytes(r.counts) if r.counts else None, live=last[r.story] >= horizon)
              for r in rows]
    for i in range(0, len(replay), BATCH):
        stream.restore_many(replay[i:i + BATCH])
    return stream, seen


@dataclass
class _Fresh:
    """An article not seen before, with the id it is stored under."""

    id: str
    incoming: Incoming
    sha256: str


def _place(state: State, stream: Stream, batch: list[Incoming], result: StoriesResult, seen: _Seen) -> None:
    """Place a batch in its order and commit it in one transaction: an article is recorded with
    its story or, killed before the commit, not at all (the next run places it again)."""
    fresh: list[_Fresh] = []
    for inc in batch:
        a = inc.article
        sha = a.sha256  # hashed on each read: once per article here
        if sha in seen.shas:  # the same text, read before (this run or an earlier one)
            continue
        aid = a.id if a.id not in seen.ids else f"{a.id}-{sha[:8]}"
        seen.shas.add(sha)
        seen.ids.add(aid)
        fresh.append(_Fresh(aid, inc, sha))
    # an undated article is clustered on its content alone: the time it was read is no news time
    placed = stream.place_many([Item(f.id, f.incoming.article.title or "", f.incoming.article.given,
                                     f.incoming.time if f.incoming.article.published is not None else None)
                                for f in fresh])
    rows = []
    for f, p in zip(fresh, placed, strict=True):
        aid, inc, a = f.id, f.incoming, f.incoming.article
        rows.append(Row(0, aid, f.sha256, a.source or aid, a.url, inc.publisher, a.title,
                        a.published.isoformat() if a.published else None, inc.time, a.indexes, a.encoding,
                        a.given, p.story, p.duplicate_of, p.similarity,
                        to_bytes(p.signature) if p.signature is not None else None,
                        counts_to_bytes(p.counts) if p.counts is not None else None))
        result.new_articles += 1
        result.new_duplicates += p.duplicate_of is not None
        result.new_stories += p.new_story
    if rows:
        state.add_many(rows)


def _read(source: str, state: State, fetcher: Fetcher, settings: Settings, now: float,
          known: Container[str]) -> SourceResult:
    if _source_kind(source) == "files":
        # the texts stored by earlier runs are skipped by their sha256 (``_place``): no title or
        # date need be looked for in them
        return read_files(source, settings.max_article_chars, now, spans=False, known=known)
    old = state.feed(source) if is_url(source) else None
    validators = FeedValidators(old.url, old.etag, old.last_modified) if old else None
    return read_feed(source, fetcher, state.has_url, validators, settings.max_article_chars, now)


def _fingerprint(rows: list[Row]) -> str:
    return hashlib.sha256("\n".join(sorted(f"{r.id}:{r.duplicate_of or ''}" for r in rows)).encode()).hexdigest()[:16]


def _story(sid: str, rows: list[Row]) -> Story:
    def art(r: Row) -> StoryArticle:
        return StoryArticle(id=r.id, source=r.source, url=r.url, publisher=r.publisher, title=r.title,
                            time=iso(r.time), duplicate_of=r.duplicate_of)
    originals = [r for r in rows if r.duplicate_of is None]
    # first and last are news times: the dated articles' when any, else when they were first seen
    timed = [r.time for r in rows if r.published] or [r.time for r in rows]
    return Story(id=sid, title=next((r.title for r in originals if r.title), None) or originals[0].id,
                 first=iso(min(timed)), last=iso(max(timed)), dated=any(r.published for r in rows),
                 articles=[art(r) for r in originals], duplicates=[art(r) for r in rows if r.duplicate_of])


def _with_briefing(story: Story, row: BriefingRow) -> Story:
    from ..render.report import figures

    b = Briefing.model_validate_json(row.briefing)
    main = next((e for e in b.events if not e.background), None)
    return story.model_copy(update={
        "title": b.title if main else story.title, "kind": main.kind.value if main else None,
        "place": main.place if main else None, "tolls": figures(b),
        "changes": Changes.model_validate_json(row.changes), "briefed_at": iso(row.made),
        "briefing": {"json": f"{story.id}.json", "md": f"{story.id}.md", "html": f"{story.id}.html"}})


class _Briefer:
    """Briefs the stories whose articles changed; the backend is made only when one needs it."""

    def __init__(self, out: Path, state: State, settings: Settings, backend: Backend | None, cache: bool):
        self.out, self.state, self.settings, self._backend = out, state, settings, backend
        self.cache = ExtractionCache(out / CACHE) if cache else None

    def backend(self) -> Backend:
        if self._backend is None:
            self._backend = make_backend(self.settings)
        return self._backend

    def brief(self, story: Story, rows: list[Row], result: StoriesResult) -> None:
        originals = [r for r in rows if r.duplicate_of is None]
        fp = _fingerprint(rows)
        before = self.state.briefing(story.id)
        if before is not None and before.fingerprint == fp:
            return
        given = self.state.texts([r.id for r in originals])  # only a story to brief needs its texts
        articles = []
        for r in originals:
            try:
                articles.append(make_article(given[r.id], id=r.id, source=r.source, title=r.title, url=r.url,
                                             published=r.published, max_chars=self.settings.max_article_chars,
                                             indexes=r.indexes, encoding=r.encoding))
            except ArticleError as exc:  # it was read once: only a lowered --max-article-chars gets here
                result.problems.append(Problem(exc.source, exc.reason))
        if not articles:
            return
        b = brief_articles(articles, self.settings, self.backend(), cache=self.cache)
        result.calls += b.run.usage.calls
        previous = Briefing.model_validate_json(before.briefing) if before else None
        new_ids = [a.id for a in articles if before is None or a.id not in before.articles]
        changes = compare(previous, b, new_ids, iso(before.made) if before else None)
        write_story(self.out, story, b, articles, changes)  # files first, then the record of them
        self.state.put_briefing(BriefingRow(story.id, fp, [a.id for a in articles], b.model_dump_json(),
                                            changes.model_dump_json(), time.time()))
        result.briefed.append(story.id)

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()


def run(
    sources: Sequence[str | Path],
    out: str | Path,
    settings: Settings | None = None,
    backend: Backend | None = None,
    *,
    brief: bool = True,
    limits: FetchLimits | None = None,
    weights: Weights | None = None,
    events: Events | None = None,
    cache: bool = True,
) -> StoriesResult:
    """Read ``sources`` (feed URLs or files, directories, JSON/JSONL files), update the stories in
    ``out`` and, unless ``brief=False``, brief each story whose articles changed."""
    settings = settings or Settings.from_env()
    if settings.control is None:
        settings = settings.controlled(events=events)
    out = Path(out)
    result = StoriesResult(out)
    now = time.time()
    with files.DirectoryLock(out), State(out / STATE) as state, Fetcher(limits) as fetcher:
        stream, seen = _restore(state, weights)
        for source in map(str, sources):
            got = _read(source, state, fetcher, settings, now, seen.shas)  # read before any is placed
            result.problems += got.problems
            result.not_modified += got.not_modified
            for i in range(0, len(got.incoming), BATCH):
                _place(state, stream, got.incoming[i:i + BATCH], result, seen)
                emit(settings.control, "articles_committed", source=source, articles=min(i + BATCH, len(got.incoming)))
            if got.validators is not None:  # after its items: a kill before this re-reads the feed
                state.put_feed(got.validators.url, got.validators.etag, got.validators.last_modified, now)
            emit(settings.control, "source_done", source=source, articles=len(got.incoming),
                 problems=len(got.problems), not_modified=got.not_modified)
        for p in result.problems:
            log.warning("%s", p)
        grouped = state.story_rows(texts=False)
        result.stories = len(grouped)
        stories = {sid: _story(sid, rows) for sid, rows in grouped.items()}
        if brief:
            briefer = _Briefer(out, state, settings, backend, cache)
            try:
                for sid, rows in grouped.items():
                    try:
                        briefer.brief(stories[sid], rows, result)
                    except ArticleError as exc:
                        result.failed.append(f"{sid}: {exc}")
                    emit(settings.control, "story_done", story=sid)
            finally:
                briefer.close()
        for sid, row in state.briefings().items():
            if sid in stories:
                stories[sid] = _with_briefing(stories[sid], row)
        result.written += write_index(out, list(stories.values()))
    return result
