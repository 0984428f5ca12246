"""Scheduled batch runs: many clusters, concurrent, cached, resumable, budgeted.

    from summarizer import Settings
    from summarizer.batch import run
    result = run("inbox/", "briefings/", Settings.from_env())

Input is a directory of cluster folders (``inbox/<cluster>/*.txt|html|json``; a directory with
no sub-folders is one cluster), or JSONL with one cluster per line
(``{"cluster_id", "articles": [...]}``) or one article per line carrying a ``cluster_id``.

Work is per article: a pool of ``concurrency`` workers takes articles from every pending cluster
(the embedded model runs one at a time: it is CPU-bound and process-wide). Each finished
extraction is stored in the SQLite cache at once, so a killed run loses at most the articles in
flight. When a cluster's last article is in, it is merged and written (``<cluster>.json``,
``<cluster>.md``, ``<cluster>.html``, atomically), then the manifest records it. A rerun skips finished clusters
without loading the model; a cluster interrupted midway is redone from the cache.

Concurrency is threads around the synchronous client, not an event loop: extraction interleaves
model calls with CPU-bound grounding, and one code path serves the CLI, the library and the
batch. ``run_async`` wraps ``run`` for callers that live in an event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import files, lexicon
from ..backends import Backend, make_backend
from ..cache import ExtractionCache
from ..control import Events  # (event name, fields): the one progress type, shared with brief
from ..errors import ArticleError, ConfigError, Interrupted, OutputError, one_line, redact
from ..extraction.auto import Memo
from ..extraction.strategies import failed, prompt_version, resolve_strategy, unusable
from ..ingest.article import Article
from ..ingest.decode import decode
from ..ingest.load import dedupe_ids, drop_duplicates, from_record, load_many
from ..logs import redacted_exc_info
from ..pipeline import assemble, extract_one
from ..render import report
from ..render.json_text import to_json
from ..render.markdown import to_markdown
from ..schemas import ArticleExtraction, ArticleStatus, Briefing, Usage
from ..settings import DEFAULT_MAX_ARTICLE_CHARS, Settings
from .executor import Budget, Executor, Pending, ThreadExecutor
from .manifest import ArticleRecord, ClusterRecord, ClusterState, Manifest, RunRecord, now

log = logging.getLogger(__name__)


@dataclass
class Cluster:
    id: str
    articles: list[Article] = field(default_factory=list)
    errors: list[ArticleError] = field(default_factory=list)  # inputs unusable before any model call

    @property
    def fingerprint(self) -> str:
        """Changes when the cluster's input does: a new, removed or edited article."""
        parts = sorted(f"{a.id}:{a.sha256}" for a in self.articles)
        parts += sorted(f"!{e.source}:{e.reason}" for e in self.errors)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@dataclass
class BatchResult:
    out_dir: Path
    run: RunRecord
    clusters: dict[str, ClusterRecord]  # this input's clusters (the manifest may hold older ones)

    @property
    def exit_code(self) -> int:
        """0 all briefed, 3 some clusters or articles failed or were left pending, 1 nothing briefed.
        Read off the run's outcome, which looks at this input's clusters only."""
        r = self.run
        if r.clusters_total and r.clusters_done + r.clusters_skipped == 0 and not r.clusters_pending:
            return 1  # nothing briefed, and not for a budget (that is exit 3: raise it and rerun)
        return 0 if r.outcome == "complete" else 3


# --- input ---------------------------------------------------------------------------------


# Names a cluster's outputs may not take: the manifest (run.json), the index page, the cache.
RESERVED_NAMES = frozenset({"run", "index", "cache"})
_UNSAFE = re.compile(r"[^\w.-]+")  # \w keeps letters and digits of every script: "минск" stays "минск"


def _safe_id(raw: str, taken: set[str]) -> str:
    """A cluster's output name, from its own name alone, so it never depends on the other clusters
    (adding one renames nothing): the name itself when it is a safe file name; else its safe
    characters plus a short hash of the name as given ("a b" -> "a_b-3f2a9c1e", "run" ->
    "run-…"); Unicode letters are kept as they are."""
    nfc = unicodedata.normalize("NFC", raw)
    base = _UNSAFE.sub("_", nfc).strip("._-")[:80]
    if base != raw or not base or base.casefold() in RESERVED_NAMES:
        digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        base = f"{base}-{digest}" if base else f"cluster-{digest}"
    if base.casefold() in {t.casefold() for t in taken}:
        # "Kyiv" beside "kyiv": one file on a case-insensitive disk. The second takes its own hash.
        base = f"{base}-{hashlib.sha256(raw.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
    taken.add(base)
    return base


def discover(
    source: str | Path, max_chars: int = DEFAULT_MAX_ARTICLE_CHARS
) -> tuple[list[Cluster], list[str], list[str]]:
    """The clusters in ``source``, the input errors that belong to no cluster (a broken JSONL line:
    input lost), and warnings (a file beside the cluster folders: ignored, nothing lost)."""
    path = Path(source)
    if not path.exists():
        raise ConfigError(f"no such input: {path}: pass a directory of cluster folders or a .jsonl file")
    taken: set[str] = set()
    if path.is_dir():
        try:
            entries = sorted(p for p in path.iterdir() if not p.name.startswith("."))
        except OSError as exc:
            raise ConfigError(f"cannot list {path} ({exc.strerror}): check its permissions") from exc
        subdirs = [p for p in entries if p.is_dir()]
        folders = subdirs or [path]
        # Files beside cluster folders belong to no cluster: say so instead of skipping them silently.
        strays = [f"{p}: not inside a cluster folder: ignored (move it into one)" for p in entries
                  if subdirs and not p.is_dir()]
        clusters = []
        for folder in folders:
            loaded = load_many([folder], max_chars=max_chars)
            clusters.append(Cluster(_safe_id(folder.name, taken), loaded.articles, loaded.errors))
        return clusters, [], strays
    return (*_jsonl_clusters(path, max_chars, taken), [])


def _jsonl_clusters(path: Path, max_chars: int, taken: set[str]) -> tuple[list[Cluster], list[str]]:
    try:
        text = decode(path.read_bytes(), str(path))
    except (OSError, ArticleError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    by_id: dict[str, Cluster] = {}
    first_line: dict[str, tuple[int, bool]] = {}  # cluster_id -> (its first line, whether a whole cluster)
    errors: list[str] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("cluster_id"), (str, int)):
            errors.append(f"{where}: each line needs a \"cluster_id\" and \"articles\" (or one article's \"text\")")
            continue
        raw_id = str(rec["cluster_id"])
        whole = "articles" in rec
        seen = first_line.setdefault(raw_id, (lineno, whole))
        if seen[0] != lineno and (whole or seen[1]):
            # One article per line may repeat an id; a whole cluster given twice is two inputs that
            # would be merged silently into one briefing.
            errors.append(f"{where}: cluster_id {raw_id!r} is already on line {seen[0]}: this line is skipped "
                          "(give each cluster one line, or one article per line)")
            continue
        cluster = by_id.get(raw_id)
        if cluster is None:
            cluster = by_id[raw_id] = Cluster(_safe_id(raw_id, taken))
        items = rec.get("articles") if "articles" in rec else [rec]
        if not isinstance(items, list):
            errors.append(f"{where}: \"articles\" must be a list")
            continue
        for i, item in enumerate(items):
            default_id = f"{cluster.id}-{len(cluster.articles) + len(cluster.errors) + 1}"
            try:
                cluster.articles.append(from_record(
                    item, default_id=default_id, source=f"{where}#{i}", max_chars=max_chars))
            except ArticleError as exc:
                cluster.errors.append(exc)
    for cluster in by_id.values():
        cluster.articles, duplicates = drop_duplicates(cluster.articles)
        cluster.errors += duplicates
        dedupe_ids(cluster.articles)
    return list(by_id.values()), errors


# --- the run -------------------------------------------------------------------------------


class Batch:
    def __init__(self, out_dir: Path, settings: Settings, backend: Backend | None, events: Events | None):
        self.out_dir = out_dir
        self.settings = settings
        self._backend = backend
        self.events = events or (lambda name, fields: None)
        self.manifest = Manifest.load(out_dir)
        self.lock = threading.Lock()
        self.cache: ExtractionCache | None = None
        # Set when the run ends (done, stopped or failed), before the cache closes: an article a stop
        # abandoned in flight then records nothing, writes nothing and reports no error of its own.
        self.closed = threading.Event()
        # What --strategy auto learns about the model holds for the whole run (and, through the
        # cache, for the next): the notice is said once.
        self.memo = Memo(notify=lambda message: self.emit("notice", message=message))

    @property
    def backend(self) -> Backend:
        return self.backend_for_run()

    def backend_for_run(self) -> Backend:
        with self.lock:  # built on first need: a rerun with nothing to do never loads a model
            if self._backend is None:
                self._backend = make_backend(self.settings)
            return self._backend

    def use_backend(self, backend: Backend) -> None:
        """The backend the run's executor asks through (Dask: one that sends questions to workers)."""
        with self.lock:
            self._backend = backend

    def emit(self, name: str, **fields: Any) -> None:
        self.events(name, fields)

    def save(self) -> None:
        self.manifest.save(self.out_dir)

    def article(self, pending: Pending, index: int, budget: Budget, record: RunRecord) -> None:
        article = pending.cluster.articles[index]
        reserved = self.reserve(pending, index, budget)
        if reserved is None:
            return
        self.emit("article_started", cluster=pending.cluster.id, article=article.id)
        try:
            result = extract_one(article, self.settings, self.backend, self.cache, self.memo)
        except (ConfigError, Interrupted):
            raise  # every article would fail the same way, or the run is stopping: stop the run
        except Exception as exc:  # a bug must cost one article, not the batch
            if self.closed.is_set():
                return  # the run ended around it (its cache is closed): not this article's failure
            result = self.internal_failure(article, exc)
        if not self.closed.is_set():
            self.record(pending, index, result, reserved, budget, record)

    def reserve(self, pending: Pending, index: int, budget: Budget) -> int | None:
        """Tokens reserved for this article, or None (and the article skipped) past the budget."""
        control = self.settings.control
        if control is not None and control.stopped:
            raise Interrupted(control.signal_name)
        spent = control.spent() if control is not None else None
        reserved = None if spent else budget.start(pending.cluster.articles[index])
        if reserved is None:
            pending.over_budget = True
            pending.budget_reason = spent or pending.budget_reason
            self.emit("article_skipped", cluster=pending.cluster.id, article=pending.cluster.articles[index].id,
                      reason=spent or "token budget")
        return reserved

    def internal_failure(self, article: Article, exc: BaseException, what: str = "internal error"
                         ) -> ArticleExtraction:
        reason = redact(f"{what}: {type(exc).__name__}: {exc}", self.settings.secrets)
        # The article's error is one line; the traceback goes to whoever turns logging on.
        log.error("%s: %s", article.id, reason, exc_info=redacted_exc_info(exc, self.settings.secrets))
        return failed(article.id, one_line(reason)[:500], article.sha256)

    def record(self, pending: Pending, index: int, result: ArticleExtraction, reserved: int, budget: Budget,
               record: RunRecord) -> None:
        """One article's extraction is in (fresh, cached or failed): count it and say so."""
        article = pending.cluster.articles[index]
        budget.finish(reserved, result.usage, result.cached)
        with self.lock:
            pending.results[index] = result
            if not result.cached:
                record.usage.add(result.usage)
        self.emit("article_done", cluster=pending.cluster.id, article=article.id, status=result.status.value,
                  cached=result.cached, calls=0 if result.cached else result.usage.calls,
                  tokens=0 if result.cached else result.usage.prompt_tokens + result.usage.completion_tokens,
                  error=result.error)

    def after_article(self, pending: Pending, remaining: dict[int, int], record: RunRecord) -> None:
        """Count the article off its cluster; the cluster's last one merges and writes it."""
        if self.closed.is_set():
            return
        with self.lock:
            remaining[id(pending)] -= 1
            last = remaining[id(pending)] == 0
        if not last:
            return
        try:
            self.finish_cluster(pending, record)
        except OutputError as exc:
            self.cluster_failed(pending, record, str(exc))
        except ConfigError:
            raise
        except Exception as exc:  # a bug in merging one cluster must not cost the others
            log.error("cluster %s: internal error", pending.cluster.id,
                      exc_info=redacted_exc_info(exc, self.settings.secrets))
            self.cluster_failed(pending, record, f"internal error: {type(exc).__name__}: {exc}"[:500])

    def cluster_failed(self, pending: Pending, record: RunRecord, reason: str) -> None:
        cluster = pending.cluster
        with self.lock:
            self.manifest.clusters[cluster.id] = ClusterRecord(
                cluster_id=cluster.id, state=ClusterState.FAILED, fingerprint=cluster.fingerprint,
                error=redact(reason, self.settings.secrets), finished_at=now())
            record.clusters_failed += 1
            self.save()
        self.emit("cluster_done", cluster=cluster.id, state="failed", error=reason)

    def finish_cluster(self, pending: Pending, record: RunRecord) -> None:
        cluster = pending.cluster
        if pending.over_budget or len(pending.results) < len(cluster.articles):
            with self.lock:
                self.manifest.clusters[cluster.id] = ClusterRecord(
                    cluster_id=cluster.id, state=ClusterState.PENDING, fingerprint=cluster.fingerprint,
                    error=f"not finished: {pending.budget_reason} (finished articles are cached)")
                record.clusters_pending += 1
                self.save()
            self.emit("cluster_pending", cluster=cluster.id)
            return
        extractions = [pending.results[i] for i in range(len(cluster.articles))]
        extractions += [unusable(e) for e in cluster.errors]
        if cluster.articles:
            briefing = assemble(cluster.articles, extractions, self.settings, self.backend, pending.began)
        else:
            briefing = None
        ok = sum(e.status == ArticleStatus.OK for e in extractions)
        bad = sum(e.status in (ArticleStatus.FAILED, ArticleStatus.PARTIAL) for e in extractions)
        ok += sum(e.status == ArticleStatus.PARTIAL for e in extractions)
        state = ClusterState.DONE if ok and not bad else ClusterState.PARTIAL if ok else ClusterState.FAILED
        outputs: list[str] = []
        if briefing is not None:
            for suffix, text in ((".json", to_json(briefing)), (".md", to_markdown(briefing)),
                                 (".html", report.to_html(briefing, cluster.articles))):
                files.write_atomic(self.out_dir / f"{cluster.id}{suffix}", text)
                outputs.append(f"{cluster.id}{suffix}")
        sources = {a.id: a.source for a in cluster.articles}
        load_failed = {e.source for e in cluster.errors}
        usage = briefing.run.usage if briefing else Usage()
        rec = ClusterRecord(
            cluster_id=cluster.id, state=state, fingerprint=cluster.fingerprint,
            articles=[ArticleRecord(id=e.article_id, source=sources.get(e.article_id, e.article_id),
                                    status=e.status.value, error=e.error, cached=e.cached,
                                    stage="load" if e.article_id in load_failed else "extract",
                                    usage=e.usage, duration_s=e.duration_s) for e in extractions],
            usage=usage, cache_hits=sum(e.cached for e in extractions), outputs=outputs,
            duration_s=round(time.perf_counter() - pending.began, 2), finished_at=now(),
            error=None if cluster.articles else "no usable article in this cluster",
        )
        with self.lock:
            self.manifest.clusters[cluster.id] = rec
            if state == ClusterState.FAILED:
                record.clusters_failed += 1
            else:
                record.clusters_done += 1
            self.save()
        self.emit("cluster_done", cluster=cluster.id, state=state.value, articles=len(extractions), ok=ok,
                  calls=usage.calls, tokens=usage.prompt_tokens + usage.completion_tokens)


def run(
    source: str | Path,
    out_dir: str | Path,
    settings: Settings | None = None,
    backend: Backend | None = None,
    events: Events | None = None,
    executor: str | Any = "threads",
    scheduler: str | None = None,
    workers: int | None = None,
) -> BatchResult:
    """Brief every cluster in ``source`` into ``out_dir``; skip what an earlier run finished.

    ``executor`` is ``"threads"`` (this process), ``"dask"`` (a cluster at ``scheduler``, or a
    ``LocalCluster`` of ``workers`` processes started here) or a ``distributed.Client`` you built.
    Either way this process keeps the cache, manifest, merge and writes (see ``dask_executor``)."""
    from . import dask_executor

    settings = settings or Settings.from_env()
    if settings.control is None:  # the token budget is counted per article here (Budget), not per call
        settings = settings.controlled(events=events, tokens=False)
    dask_executor.check_options(executor, scheduler, workers, backend)
    dask = None if executor == "threads" else (executor, scheduler, workers)
    out = Path(out_dir)
    began = time.perf_counter()
    with files.DirectoryLock(out):
        for leftover in out.glob(".*.tmp"):  # a killed run's unfinished write: never a real output
            leftover.unlink(missing_ok=True)
        batch = Batch(out, settings, backend, events)
        with lexicon.using(settings.lexicon):  # ingest sets web furniture aside by the run's word lists
            clusters, input_errors, warnings = discover(source, settings.max_article_chars)
        todo = [c for c in clusters if not batch.manifest.finished(c.id, c.fingerprint, out)]
        record = RunRecord(started_at=now(), concurrency=settings.concurrency, clusters_total=len(clusters),
                           executor=dask_executor.describe(executor, scheduler, workers),
                           clusters_skipped=len(clusters) - len(todo),
                           input_errors=[redact(e, settings.secrets) for e in input_errors],
                           warnings=[redact(w, settings.secrets) for w in warnings])
        batch.manifest.runs.append(record)
        batch.save()
        batch.emit("run_started", clusters=len(clusters), todo=len(todo),
                   articles=sum(len(c.articles) for c in todo))
        for severity, messages in (("input error", record.input_errors), ("warning", record.warnings)):
            for message in messages:
                batch.emit("input_problem", severity=severity, message=message)
        try:
            if todo:
                _run_clusters(batch, todo, settings, record, dask)
            states = [batch.manifest.clusters[c.id].state for c in clusters if c.id in batch.manifest.clusters]
            record.outcome = _outcome(record, partial=any(s != ClusterState.DONE for s in states))
        except BaseException as exc:
            record.outcome = "interrupted" if isinstance(exc, (KeyboardInterrupt, Interrupted)) else "error"
            record.note = redact(f"{type(exc).__name__}: {exc}", settings.secrets)[:500]
            raise
        finally:
            record.finished_at = now()
            record.duration_s = round(time.perf_counter() - began, 2)
            batch.closed.set()
            if batch.cache is not None:
                record.cache_hits, record.cache_misses = batch.cache.hits, batch.cache.misses
                batch.cache.close()
            if batch._backend is not None:
                be = batch._backend
                record.backend, record.model = be.name, be.model
                record.strategy = resolve_strategy(settings, be)
                record.prompt_version = prompt_version(settings)
            batch.save()
            try:
                write_index(out, batch.manifest)
            except Exception as exc:  # the index is a convenience: never let it hide the run's own outcome
                log.error("index.html not written", exc_info=redacted_exc_info(exc, settings.secrets))
                batch.emit("input_problem", severity="warning", message=f"index.html not written: {exc}"[:300])
            batch.emit("run_finished", outcome=record.outcome, done=record.clusters_done,
                       failed=record.clusters_failed, pending=record.clusters_pending,
                       skipped=record.clusters_skipped, calls=record.usage.calls,
                       tokens=record.usage.prompt_tokens + record.usage.completion_tokens,
                       cache_hits=record.cache_hits, seconds=record.duration_s)
        return BatchResult(out, record, {c.id: batch.manifest.clusters[c.id] for c in clusters
                                         if c.id in batch.manifest.clusters})


def write_index(out: Path, manifest: Manifest) -> Path | None:
    """``index.html``: every cluster the directory holds, with its status, figures, time and report."""
    rows = []
    for cid, rec in sorted(manifest.clusters.items()):
        page = f"{cid}.html"
        figures: list[str] = []
        try:
            briefing = Briefing.model_validate_json((out / f"{cid}.json").read_text(encoding="utf-8"))
            figures = report.figures(briefing)
        except (OSError, ValueError):
            pass  # failed or pending: no briefing to show figures from
        rows.append(report.IndexRow(cluster=cid, state=rec.state.value, figures=figures,
                                    finished_at=rec.finished_at or "", duration_s=rec.duration_s,
                                    href=page if (out / page).exists() else None, error=rec.error or ""))
    name = "index.html"  # no cluster can take it (RESERVED_NAMES)
    try:
        files.write_atomic(out / name, report.index_html(f"Briefings in {out.name or out}", rows))
    except OutputError:
        return None
    return out / name


def _outcome(record: RunRecord, partial: bool) -> str:
    if record.clusters_pending:
        record.note = "stopped starting new articles: a budget (--max-tokens-total, --max-calls, --deadline) ran out"
        return "budget"
    return "partial" if partial or record.clusters_failed or record.input_errors else "complete"


def _run_clusters(batch: Batch, todo: list[Cluster], settings: Settings, record: RunRecord,
                  dask: tuple[Any, str | None, int | None] | None = None) -> None:
    if settings.use_cache:
        batch.cache = ExtractionCache(settings.cache_path or batch.out_dir / "cache.sqlite")
        batch.memo.store = batch.cache
    budget = Budget(settings.max_tokens_total)
    pendings = [Pending(c) for c in todo]
    remaining = {id(p): len(p.cluster.articles) for p in pendings}
    for p in pendings:
        if not p.cluster.articles:
            batch.finish_cluster(p, record)

    jobs = [(p, i) for p in pendings for i in range(len(p.cluster.articles))]
    if not jobs:
        return
    if dask is None:
        executor: Executor = ThreadExecutor()
    else:  # the articles go to a Dask cluster; the rest stays here
        from .dask_executor import DaskExecutor

        executor = DaskExecutor(*dask)
    try:
        executor.run(batch, jobs, budget, record, remaining)
    except (Interrupted, KeyboardInterrupt):
        _mark_pending(batch, pendings, remaining, record)
        raise


def _mark_pending(batch: Batch, pendings: list[Pending], remaining: dict[int, int], record: RunRecord) -> None:
    """After a stop: every cluster not written yet is pending (its finished articles are cached)."""
    with batch.lock:
        for p in pendings:
            if remaining[id(p)] <= 0:
                continue
            c = p.cluster
            batch.manifest.clusters[c.id] = ClusterRecord(
                cluster_id=c.id, state=ClusterState.PENDING, fingerprint=c.fingerprint,
                error="not finished: interrupted (finished articles are cached): run again to resume")
            record.clusters_pending += 1
        batch.save()


async def run_async(
    source: str | Path,
    out_dir: str | Path,
    settings: Settings | None = None,
    backend: Backend | None = None,
    events: Events | None = None,
) -> BatchResult:
    """``run`` for callers with their own event loop: the batch runs in a worker thread."""
    return await asyncio.to_thread(run, source, out_dir, settings, backend, events)


def status(out_dir: str | Path) -> Manifest:
    return Manifest.load(Path(out_dir))
