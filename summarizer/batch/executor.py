"""How a batch's articles are run: the ``Executor`` protocol, and the thread pool that implements
it here (``dask_executor.DaskExecutor`` is the other). An executor only decides where each article's
extraction runs; every state change (cache, budget, manifest, merge, writes) goes back through the
batch (``Work``), in this process.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ..backends import Backend
from ..cache import ExtractionCache
from ..errors import Interrupted
from ..ingest.article import Article
from ..schemas import ArticleExtraction, Usage
from ..settings import Settings

if TYPE_CHECKING:
    from .manifest import RunRecord


class Budget:
    """Stops starting articles once spent + expected would pass ``limit`` tokens."""

    def __init__(self, limit: int | None):
        self.limit = limit
        self.spent = 0
        self.reserved = 0
        self.done = 0
        self.stopped = False
        self._lock = threading.Lock()

    def _estimate(self, article: Article) -> int:
        if self.done:
            return max(1, self.spent // self.done)
        return len(article.text) // 4 + 500  # before any answer: the article plus prompt overhead

    def start(self, article: Article) -> int | None:
        """The tokens reserved for this article, or None when the budget forbids starting it."""
        with self._lock:
            if self.limit is None:
                return 0
            need = self._estimate(article)
            if self.stopped or self.spent + self.reserved + need > self.limit:
                self.stopped = True
                return None
            self.reserved += need
            return need

    def finish(self, reserved: int, usage: Usage, cached: bool) -> None:
        with self._lock:
            self.reserved -= reserved
            if not cached:
                self.spent += usage.prompt_tokens + usage.completion_tokens
                self.done += 1


@dataclass
class Pending:
    cluster: Any  # runner.Cluster: its id, fingerprint and articles
    results: dict[int, ArticleExtraction] = field(default_factory=dict)
    over_budget: bool = False
    budget_reason: str = "the token budget ran out"
    began: float = field(default_factory=time.perf_counter)


Job = tuple[Pending, int]  # a cluster in progress and the index of one of its articles


class Work(Protocol):
    """What an executor may ask of the batch it runs: every call changes state in this process."""

    settings: Settings
    cache: ExtractionCache | None

    def use_backend(self, backend: Backend) -> None: ...
    def backend_for_run(self) -> Backend: ...
    def article(self, pending: Pending, index: int, budget: Budget, record: RunRecord) -> None: ...
    def reserve(self, pending: Pending, index: int, budget: Budget) -> int | None: ...
    def record(self, pending: Pending, index: int, result: ArticleExtraction, reserved: int, budget: Budget,
               record: RunRecord) -> None: ...
    def after_article(self, pending: Pending, remaining: dict[int, int], record: RunRecord) -> None: ...
    def internal_failure(self, article: Article, exc: BaseException, what: str = ...) -> ArticleExtraction: ...


class Executor(Protocol):
    """Runs every job of a batch; raises ``Interrupted`` when the run's stop event is set."""

    def run(self, work: Work, jobs: list[Job], budget: Budget, record: RunRecord, remaining: dict[int, int]) -> None:
        ...


class ThreadExecutor:
    """Articles in worker threads of this process: ``concurrency`` at a time against an endpoint,
    one at a time on the embedded model (it is CPU-bound)."""

    def run(self, work: Work, jobs: list[Job], budget: Budget, record: RunRecord, remaining: dict[int, int]) -> None:
        settings = work.settings
        workers = 1 if work.backend_for_run().name == "embedded" else settings.concurrency

        def task(p: Pending, i: int) -> None:
            work.article(p, i, budget, record)
            work.after_article(p, remaining, record)

        # Even one worker runs in the pool: this thread watches the stop event, so a stop is seen
        # within a poll, not after the article in flight (whose call is abandoned, not awaited).
        control = settings.control
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="summarizer")
        try:
            left = {pool.submit(task, p, i) for p, i in jobs}
            while left:
                done, left = wait(left, timeout=0.1, return_when=FIRST_EXCEPTION)
                for f in done:
                    f.result()
                if control is not None and control.stopped and left:
                    raise Interrupted(control.signal_name)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
