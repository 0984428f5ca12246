"""Batch extraction on a Dask cluster: ``summarizer batch --executor dask``.

    summarizer batch inbox/ --out briefings/ --executor dask --workers 4            # LocalCluster
    summarizer batch inbox/ --out briefings/ --executor dask --scheduler tcp://h:8786
    batch.run("inbox/", "briefings/", settings, executor=distributed.Client(...))  # the user's client

The unit of work sent to a worker is one article's extraction: ``extract_task(article, settings,
versions)``, a pure function of the article's text, the settings *without secrets* and the
prompt and code versions, returning an ``ArticleExtraction``. Everything with state stays on the
driver, exactly as with threads: ingest, the SQLite cache lookup before a task is submitted and
the cache write when its result comes in, the manifest, merge, rendering and atomic writes. So
resume after ``kill -9``, the directory lock, ``--max-tokens-total`` and ``summarizer status``
behave as they do with threads. Results are handled as they complete (``as_completed``).

On a worker the backend is built once per process and settings (``_worker_state``), so the
embedded model loads once per worker, not per task. The worker reads ``OPENAI_API_KEY`` from its
own environment: the settings shipped in a task have ``api_key=None``, so the key is never in a
task, on the scheduler or in its logs. A ``LocalCluster`` started here inherits the key through
the process environment of the worker processes it spawns.

Back-pressure: the driver keeps at most ``per_worker x workers`` articles submitted (``--concurrency``
per worker for an endpoint, one for the embedded model), and each worker process holds a semaphore
of the same size, so no worker has more than that in flight even if the scheduler piles tasks on
it. Transport retries (``Retry-After`` included) run inside the worker's backend, as in a threads run.

A worker that dies mid-task is retried elsewhere by Dask up to ``allowed-failures`` times
(``ALLOWED_FAILURES`` for a cluster started here; the scheduler's own setting otherwise), then
that article fails with one line (``KilledWorker``). A task that raises fails its article the
same way and the run goes on; a configuration error stops the run, as with threads.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from ..backends import Backend, Reply, Request, make_backend
from ..cache import cache_key
from ..errors import ConfigError, Interrupted
from ..extraction.strategies import prompt_version
from ..ingest.article import Article
from ..pipeline import cache_parts, extract_one, own_metadata
from ..schemas import ArticleExtraction, ArticleStatus, Usage
from ..settings import Environment, Settings
from .executor import Budget, Job, Pending, Work

if TYPE_CHECKING:  # distributed is imported only when a Dask run starts
    import distributed

    from .manifest import RunRecord

log = logging.getLogger(__name__)

EXECUTORS = ("threads", "dask")
ALLOWED_FAILURES = 3  # worker deaths a task survives on a LocalCluster started here (Dask's default)
CONNECT_TIMEOUT_S = 60.0  # for a scheduler to answer and a first worker to join it
WINDOW_REFRESH_S = 2.0  # how often the driver re-reads the number of workers
# Without a dashboard the scheduler still serves health routes, on 8787 unless told (a warning when taken).
QUIET_HTTP = {"dashboard_address": "127.0.0.1:0"}

def public(settings: Settings) -> Settings:
    """The settings a task carries: no secret. Workers put their own key back from their environment."""
    return settings.model_copy(update={"api_key": None, "control": None})  # the stop event stays here


def versions(settings: Settings) -> dict[str, str]:
    from .. import __version__

    return {"code": __version__, "prompts": prompt_version(settings)}


# --- on the workers ----------------------------------------------------------------------------

_STATE: dict[Settings, tuple[Settings, Backend, threading.BoundedSemaphore]] = {}
_STATE_LOCK = threading.Lock()


def _worker_state(settings: Settings) -> tuple[Settings, Backend, threading.BoundedSemaphore]:
    """This process's settings (with its own key), backend and in-flight slots, built once."""
    with _STATE_LOCK:
        state = _STATE.get(settings)
        if state is None:
            # As the CLI does: instructor logs each failed attempt, raw and multi-line; the article's
            # extraction reports it once, redacted.
            logging.getLogger("instructor").setLevel(logging.CRITICAL)
            try:
                own = settings.with_(api_key=Environment.of().api_key)  # the worker's own key
                backend = make_backend(own)
            except ConfigError as exc:
                raise ConfigError(f"on worker {socket.gethostname()}: {exc}") from None
            slots = 1 if backend.name == "embedded" else settings.concurrency
            state = _STATE[settings] = (own, backend, threading.BoundedSemaphore(slots))
        return state


def _check_versions(settings: Settings, expected: dict[str, str]) -> None:
    mine = versions(settings)
    if mine != expected:
        raise ConfigError(
            f"worker {socket.gethostname()} runs summarizer {mine['code']} with prompts {mine['prompts']}, the "
            f"driver {expected['code']} with {expected['prompts']}: install the same summarizer on every worker")


def identity_task(settings: Settings, expected: dict[str, str]) -> dict[str, Any]:
    """What the workers' backend is, for cache keys and the run record; builds it (not the model)."""
    own, backend, _ = _worker_state(settings)
    _check_versions(own, expected)
    return {"name": backend.name, "model": backend.model, "mode": getattr(backend, "mode", None),
            "default_strategy": backend.default_strategy}


def extract_task(article: Article, settings: Settings, expected: dict[str, str]) -> ArticleExtraction:
    """One article's extraction on a worker: the unit of work."""
    own, backend, slots = _worker_state(settings)
    _check_versions(own, expected)
    with slots:
        return extract_one(article, own, backend, None)


def structured_task(request: Request, settings: Settings) -> Reply:
    """One model call on a worker (a cluster's narrative paragraph, asked by the driver)."""
    own, backend, slots = _worker_state(settings)
    with slots:
        reply = backend.structured(request)
    for name in ("value", "salvage"):  # instructor's dynamic subclass does not pickle: send the plain model
        value = getattr(reply, name)
        if value is not None and type(value) is not request.response_model:
            setattr(reply, name, request.response_model.model_construct(**dict(value)))
    reply.earlier = [request.response_model.model_construct(**dict(m)) for m in reply.earlier]
    return reply


# --- on the driver -----------------------------------------------------------------------------


class RemoteBackend:
    """The driver's view of the workers' backend: its identity for cache keys and the run record;
    a call made on the driver (the per-cluster narrative) runs on a worker."""

    def __init__(self, client: distributed.Client, settings: Settings, identity: dict[str, Any]):
        self._client = client
        self._settings = settings
        self.name: str = identity["name"]
        self.model: str = identity["model"]
        self.mode: str | None = identity["mode"]
        self.default_strategy: str = identity["default_strategy"]

    def structured(self, request: Request) -> Reply:
        future = self._client.submit(structured_task, request, self._settings, pure=False,
                                     key=f"narrative-{uuid.uuid4().hex}")
        return future.result()


def check_options(executor: Any, scheduler: str | None, workers: int | None, backend: Backend | None) -> None:
    """Refuse contradictory options before any work (exit 2 with the fix)."""
    if isinstance(executor, str) and executor not in EXECUTORS:
        raise ConfigError(f"unknown executor {executor!r}: use threads or dask")
    if executor == "threads":
        if scheduler or workers:
            raise ConfigError("--scheduler and --workers need --executor dask")
        return
    if scheduler and workers:
        raise ConfigError("pass --scheduler (a running cluster) or --workers (start one here), not both")
    if workers is not None and workers < 1:
        raise ConfigError("--workers must be at least 1")
    if scheduler and not scheduler.startswith(("tcp://", "tls://", "ucx://", "inproc://")):
        raise ConfigError(f"--scheduler {scheduler!r} is no scheduler address: use tcp://HOST:8786")
    if backend is not None:
        raise ConfigError("a backend object cannot be sent to Dask workers: they build their own from the "
                          "settings; drop backend= or use executor='threads'")


def describe(executor: Any, scheduler: str | None, workers: int | None) -> str:
    if executor == "threads":
        return "threads"
    if scheduler:
        return f"dask {scheduler}"
    if workers or isinstance(executor, str):
        return f"dask LocalCluster ({workers or default_workers()} workers)"
    return "dask (client)"


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@contextlib.contextmanager
def _key_in_environment(settings: Settings) -> Iterator[None]:
    """Worker processes spawned here inherit the key through their environment, never a task."""
    old = os.environ.get("OPENAI_API_KEY")
    if settings.api_key and old != settings.api_key:
        os.environ["OPENAI_API_KEY"] = settings.api_key
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OPENAI_API_KEY", None)
        else:
            os.environ["OPENAI_API_KEY"] = old


@contextlib.contextmanager
def connect(executor: Any, scheduler: str | None, workers: int | None, settings: Settings
            ) -> Iterator[distributed.Client]:
    """The client to submit to: the user's, one to ``scheduler``, or a LocalCluster's (closed after)."""
    try:
        import dask
        import distributed
    except ImportError as exc:
        raise ConfigError("Dask is not installed: pip install 'dask[distributed]'") from exc
    if isinstance(executor, distributed.Client):
        yield executor
        return
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler} ({exc}): start it with "
                              "`dask scheduler` and check the address and firewall") from None
        try:
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
            except TimeoutError:
                raise ConfigError(f"no worker joined the scheduler at {scheduler} within {CONNECT_TIMEOUT_S:.0f} s: "
                                  f"start workers with `dask worker {scheduler}`") from None
            yield client
        finally:
            client.close()
        return
    n = workers or default_workers()
    with _key_in_environment(settings), dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
        cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=settings.concurrency, processes=True,
                                           dashboard_address=None, scheduler_kwargs=QUIET_HTTP,
                                           silence_logs=logging.ERROR)
        try:
            client = distributed.Client(cluster, set_as_default=False)
            try:
                yield client
            finally:
                client.close()
        finally:
            cluster.close()


class DaskRun:
    """Feeds one batch's articles to the cluster and hands each result back to the batch."""

    def __init__(self, batch: Work, client: distributed.Client, budget: Budget, record: RunRecord,
                 remaining: dict[int, int]):
        self.batch, self.client, self.budget, self.record, self.remaining = batch, client, budget, record, remaining
        self.settings = public(batch.settings)
        self.versions = versions(batch.settings)
        identity = client.submit(identity_task, self.settings, self.versions, pure=False,
                                 key=f"identity-{uuid.uuid4().hex}").result()
        self.backend = RemoteBackend(client, self.settings, identity)
        batch.use_backend(self.backend)
        self.parts = cache_parts(batch.settings, self.backend) if batch.cache is not None else {}
        self.per_worker = 1 if self.backend.name == "embedded" else batch.settings.concurrency
        self._workers, self._workers_at = 1, 0.0
        # Merge, render and the narrative call run beside the loop, so results keep flowing meanwhile.
        self.post = ThreadPoolExecutor(max_workers=2, thread_name_prefix="summarizer-merge")
        self.post_futures: list[Future[None]] = []

    def window(self) -> int:
        """Articles the driver keeps submitted: per-worker slots times the workers there are now."""
        if time.monotonic() - self._workers_at > WINDOW_REFRESH_S:
            self._workers = max(1, len(self.client.nthreads()))
            self._workers_at = time.monotonic()
        return self.per_worker * self._workers

    def run(self, jobs: list[Job]) -> None:
        from distributed import as_completed

        queue: deque[Job] = deque(jobs)
        inflight: dict[Any, tuple[Pending, int, int, str | None]] = {}
        duplicates: dict[str, list[tuple[Pending, int, int]]] = {}  # key -> same text, waiting for it
        done = as_completed(loop=self.client.loop)
        try:
            while queue or inflight:
                while queue and len(inflight) < self.window():
                    self._submit(queue.popleft(), inflight, duplicates, done)
                self._check_post()
                if not inflight:
                    continue
                self._wait_or_stop(inflight)
                future = next(done)
                pending, index, reserved, key = inflight.pop(future)
                article = pending.cluster.articles[index]
                result = self._result(future, article)
                if key is not None and self.batch.cache is not None:
                    self.batch.cache.put(key, result, self.parts)
                self._done(pending, index, result, reserved)
                for p, i, r in duplicates.pop(key, []) if key is not None else []:
                    self._duplicate_done(p, i, r, key, result, queue)
            self.post.shutdown(wait=True)
            self._check_post()
        except BaseException:
            with contextlib.suppress(Exception):  # a lost scheduler must not hide what stopped the run
                self.client.cancel(list(inflight))
            self.post.shutdown(wait=False, cancel_futures=True)
            raise

    def _wait_or_stop(self, inflight: dict[Any, Any]) -> None:
        """Wait for a result while watching the stop event, as the threads executor does: a stop
        is seen within a poll, not after the slowest article in flight."""
        control = self.batch.settings.control
        while control is not None and not any(f.done() for f in inflight):
            if control.stopped:
                raise Interrupted(control.signal_name)
            time.sleep(0.05)

    def _submit(self, job: Job, inflight: dict[Any, Any], duplicates: dict[str, list[Any]], done: Any) -> None:
        pending, index = job
        reserved = self.batch.reserve(pending, index, self.budget)
        if reserved is None:
            self._after(pending)
            return
        article = pending.cluster.articles[index]
        key = None
        if self.batch.cache is not None:
            key = cache_key(article.sha256, self.parts)
            if key in duplicates:  # the same text is being extracted: wait for it, as threads do
                duplicates[key].append((pending, index, reserved))
                return
            hit = self.batch.cache.lookup(article.id, key)
            if hit is not None:
                self._done(pending, index, own_metadata(hit, article), reserved)
                return
            duplicates[key] = []
        future = self.client.submit(extract_task, article, self.settings, self.versions, pure=False,
                                    key=f"extract-{pending.cluster.id}-{article.id}-{uuid.uuid4().hex[:8]}")
        inflight[future] = (pending, index, reserved, key)
        done.add(future)

    def _duplicate_done(self, pending: Pending, index: int, reserved: int, key: str, first: ArticleExtraction,
                        queue: deque[Job]) -> None:
        article = pending.cluster.articles[index]
        cache = self.batch.cache
        hit = cache.lookup(article.id, key) if cache is not None and first.status == ArticleStatus.OK else None
        if hit is not None:
            self._done(pending, index, own_metadata(hit, article), reserved)
            return
        self.budget.finish(reserved, Usage(), cached=True)  # give the reservation back; asked afresh
        queue.appendleft((pending, index))

    def _result(self, future: Any, article: Article) -> ArticleExtraction:
        from distributed import KilledWorker

        try:
            return future.result()
        except ConfigError:
            raise  # every article would fail the same way: stop the run, as with threads
        except KilledWorker as exc:
            return self.batch.internal_failure(
                article, exc, "the workers running this article died too often (memory? see the worker logs)")
        except Exception as exc:  # a task that raises costs its article, not the batch
            return self.batch.internal_failure(article, exc, "worker error")

    def _done(self, pending: Pending, index: int, result: ArticleExtraction, reserved: int) -> None:
        self.batch.record(pending, index, result, reserved, self.budget, self.record)
        self._after(pending)

    def _after(self, pending: Pending) -> None:
        self.post_futures.append(self.post.submit(self.batch.after_article, pending, self.remaining, self.record))

    def _check_post(self) -> None:
        """Re-raise what stopped a merge (a configuration error); forget the ones that finished."""
        still = []
        for f in self.post_futures:
            if f.done():
                f.result()
            else:
                still.append(f)
        self.post_futures = still


class DaskExecutor:
    """The ``Executor`` that sends each article's extraction to a Dask cluster: ``executor`` is
    "dask" (a cluster at ``scheduler``, or a ``LocalCluster`` of ``workers`` processes started here)
    or a ``distributed.Client`` you built."""

    def __init__(self, executor: Any, scheduler: str | None, workers: int | None):
        self.executor, self.scheduler, self.workers = executor, scheduler, workers

    def run(self, work: Work, jobs: list[Job], budget: Budget, record: RunRecord, remaining: dict[int, int]) -> None:
        with connect(self.executor, self.scheduler, self.workers, work.settings) as client:
            log.info("dask: %d articles on %d workers", len(jobs), len(client.nthreads()))
            DaskRun(work, client, budget, record, remaining).run(jobs)
