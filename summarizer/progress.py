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

from .errors import redact


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


class PlainLines:
    """A line per finished cluster and a summary: readable in a cron mail, no colour, no bar."""

    def __init__(self, secrets: tuple[str, ...] = (), stream: TextIO | None = None):
        self._secrets = secrets
        self._stream = stream or sys.stderr
        self._lock = threading.Lock()

    def _say(self, text: str) -> None:
        with self._lock:
            self._stream.write(redact(text, self._secrets) + "\n")
            self._stream.flush()

    def __call__(self, event: str, f: dict[str, Any]) -> None:
        if event == "run_started":
            self._say(f"summarizer: {f['clusters']} clusters, {f['todo']} to brief ({f['articles']} articles)")
        elif event == "cluster_done":
            detail = f.get("error") or (f"{f['ok']}/{f['articles']} articles ok, {f['calls']} calls, "
                                        f"{f['tokens']:,} tokens")
            self._say(f"  {f['cluster']}: {f['state']}: {detail}")
        elif event == "input_problem":
            self._say(f"summarizer: {f['severity']}: {f['message']}")
        elif event == "cluster_pending":
            self._say(f"  {f['cluster']}: pending (token budget)")
        elif event == "notice":
            self._say(f"summarizer: {f['message']}")
        elif event == "article_done" and f.get("error"):
            self._say(f"  {f['cluster']}/{f['article']}: failed: {f['error']}")
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
        self._tokens = self._failed = self._clusters = 0
        self._lock = threading.Lock()

    def __call__(self, event: str, f: dict[str, Any]) -> None:
        with self._lock:
            if event == "run_started":
                self._progress.start()
                self._task = self._progress.add_task("articles", total=f["articles"], detail="")
            elif event in ("article_done", "article_skipped") and self._task is not None:
                self._tokens += f.get("tokens", 0)
                self._failed += f.get("status") == "failed"
                self._progress.advance(self._task)
            elif event in ("cluster_done", "cluster_pending"):
                self._clusters += 1
            if self._task is not None:
                self._progress.update(self._task, detail=(
                    f"{self._clusters} clusters, {self._failed} failed, {self._tokens:,} tokens"))
            if event == "run_finished":
                self._progress.stop()
        if event in ("run_finished", "input_problem", "notice"):
            self._plain(event, f)


def reporter(quiet: bool, log_json: bool, secrets: tuple[str, ...]) -> Any:
    if log_json:
        return JsonLines(secrets)
    if quiet:
        return None
    return ProgressBar(secrets) if sys.stderr.isatty() else PlainLines(secrets)
