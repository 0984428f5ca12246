"""How a batch run reports itself on stderr: a progress bar on a terminal, plain lines for cron,
JSON lines for log collectors (``--log-json``), nothing with ``--quiet``.

All three consume the same ``(event, fields)`` stream from ``summarizer.batch``; every string
passes through ``redact`` first, so no key reaches a screen or a log.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any, TextIO

from ..errors import redact


class JsonLines:
    """One JSON object per event: ``{"ts", "event", ...fields}``."""

    def __init__(self, secrets: tuple[str, ...] = (), stream: TextIO | None = None):
        self._secrets = secrets
        self._stream = stream or sys.stderr
        self._lock = threading.Lock()

    def __call__(self, event: str, fields: dict[str, Any]) -> None:
        line = json.dumps({"ts": round(time.time(), 3), "event": event, **fields}, default=str)
        with self._lock:
            self._stream.write(redact(line, self._secrets) + "\n")
            self._stream.flush()


def eta(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


class PlainLines:
    """A line per finished cluster (batch) or article (brief), the planned calls of each article
    and, every ``every_s`` seconds while one runs, its calls done out of planned with an ETA from
    the measured time per call; and a summary. Readable in a cron mail: no colour, no bar."""

    def __init__(self, secrets: tuple[str, ...] = (), stream: TextIO | None = None, every_s: float = 5.0):
        self._secrets = secrets
        self._stream = stream or sys.stderr
        self._lock = threading.Lock()
        self._every_s = every_s
        self._articles = self._done = 0
        self._last_line = 0.0

    def _calls(self, f: dict[str, Any]) -> None:
        """``call_done``: a line when ``every_s`` has passed since the last one (and the first call)."""
        t = time.monotonic()
        if f["done"] > 1 and t - self._last_line < self._every_s and f["done"] != f["planned"]:
            return
        self._last_line = t
        per = f["seconds"] / max(1, f["done"])
        where = f" (article {self._done + 1}/{self._articles})" if self._articles > 1 else ""
        self._say(f"  {f['article']}: {f['done']}/{f['planned']} calls, {per:.1f} s/call, "
                  f"about {eta(per * (f['planned'] - f['done']))} left{where}")

    def _say(self, text: str) -> None:
        with self._lock:
            self._stream.write(redact(text, self._secrets) + "\n")
            self._stream.flush()

    def __call__(self, event: str, f: dict[str, Any]) -> None:
        if event == "run_started":
            self._articles = f["articles"]
            if "clusters" in f:
                self._say(f"summarizer: {f['clusters']} clusters, {f['todo']} to brief ({f['articles']} articles)")
        elif event == "calls_planned":
            self._last_line = time.monotonic()
            self._say(f"  {f['article']}: {f['calls']} calls planned ({f['strategy']})")
        elif event == "call_done":
            self._calls(f)
        elif event == "article_done" and "cluster" not in f:  # brief / extract: a line per article
            self._done += 1
            note = f" failed: {f['error']}" if f.get("error") and f["status"] == "failed" else ""
            note += f" {f['error']}" if f["status"] == "partial" else ""
            note += " (cached)" if f.get("cached") else ""
            self._say(f"  {f['article']}: {f['records']}; {f['calls']} calls{note} "
                      f"[{self._done}/{self._articles} articles]")
        elif event == "cluster_done":
            detail = f.get("error") or (f"{f['ok']}/{f['articles']} articles ok, {f['calls']} calls, "
                                        f"{f['tokens']:,} tokens")
            self._say(f"  {f['cluster']}: {f['state']}: {detail}")
        elif event == "input_problem":
            self._say(f"summarizer: {f['severity']}: {f['message']}")
        elif event == "cluster_pending":
            self._say(f"  {f['cluster']}: pending (budget)")
        elif event == "notice":
            self._say(f"summarizer: {f['message']}")
        elif event == "article_done" and f.get("error"):
            self._done += 1
            self._say(f"  {f['cluster']}/{f['article']}: {f['status']}: {f['error']}")
        elif event == "article_done":
            self._done += 1
        elif event == "run_finished":
            self._say(f"summarizer: {f['outcome']}: {f['done']} briefed, {f['skipped']} already done, "
                      f"{f['failed']} failed, {f['pending']} pending; {f['calls']} calls, {f['tokens']:,} tokens, "
                      f"{f['cache_hits']} cache hits, {f['seconds']:.1f} s")


class ProgressBar:
    """A rich progress bar over articles, with failures and tokens, for interactive use."""

    def __init__(self, secrets: tuple[str, ...] = ()):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._plain = PlainLines(secrets)
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.fields[detail]}"), console=Console(stderr=True), transient=False,
        )
        self._task: Any = None
        self._calls: Any = None
        self._tokens = self._failed = self._clusters = 0
        self._lock = threading.Lock()

    def __call__(self, event: str, f: dict[str, Any]) -> None:
        with self._lock:
            if event == "run_started":
                self._progress.start()
                self._task = self._progress.add_task("articles", total=f["articles"], detail="")
            elif event == "calls_planned":
                if self._calls is None:
                    self._calls = self._progress.add_task("calls", total=f["calls"], detail="")
                self._progress.reset(self._calls, total=f["calls"], detail=f["article"])
            elif event == "call_done" and self._calls is not None:
                per = f["seconds"] / max(1, f["done"])
                self._progress.update(self._calls, completed=f["done"], detail=(
                    f"{f['article']}: {per:.1f} s/call, about {eta(per * (f['planned'] - f['done']))} left"))
            elif event in ("article_done", "article_skipped") and self._task is not None:
                self._tokens += f.get("tokens", 0)
                self._failed += f.get("status") == "failed"
                self._progress.advance(self._task)
            elif event in ("cluster_done", "cluster_pending"):
                self._clusters += 1
            if self._task is not None and event not in ("calls_planned", "call_done"):
                self._progress.update(self._task, detail=(
                    f"{self._clusters} clusters, {self._failed} failed, {self._tokens:,} tokens"))
            if event == "run_finished":
                self._progress.stop()
        if event in ("run_finished", "input_problem", "notice"):
            self._plain(event, f)


    def close(self) -> None:
        with self._lock:
            self._progress.stop()


def reporter(quiet: bool, log_json: bool, secrets: tuple[str, ...]) -> Any:
    if log_json:
        return JsonLines(secrets)
    if quiet:
        return None
    return ProgressBar(secrets) if sys.stderr.isatty() else PlainLines(secrets)
