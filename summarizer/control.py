"""Stopping and bounding a run: the shared stop event (set by SIGINT/SIGTERM in the CLI, or by a
library caller) and the run's budgets (``--max-calls``, ``--max-tokens-total``, ``--deadline``).

Extraction calls ``checkpoint()`` before every model call, from whichever worker thread runs the
article: a stop raises ``Interrupted`` (the run ends, nothing half-done is written), a spent budget
raises ``BudgetSpent`` (the article keeps what it grounded so far and is marked ``partial``).
``charge()`` counts each reply's usage against the budgets.

One ``Control`` per run, carried by ``Settings.control``; a run without one is unbounded and can
only be stopped by the process dying.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import BudgetSpent, Interrupted
from .schemas import Usage

# The one progress callback type, for brief, extract and batch alike: (event name, fields).
# Events: run_started, article_started, calls_planned, call_done, article_done, notice, and
# batch's cluster events; ``summarizer.batch.progress`` turns them into lines, a bar or JSON.
Events = Callable[[str, dict[str, Any]], None]


@dataclass
class Control:
    max_calls: int | None = None
    max_tokens_total: int | None = None
    deadline_s: float | None = None
    started: float = field(default_factory=time.monotonic)
    calls: int = 0
    tokens: int = 0
    signum: int | None = None
    events: Events | None = field(default=None, repr=False)
    cost_warned: bool = False  # the embedded model's cost warning is said once per run
    spent_reason: str | None = None  # the first budget that ran out, once one has
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # --- stopping ----------------------------------------------------------------------------

    def stop(self, signum: int | None = None) -> None:
        """Ask every worker to stop at its next checkpoint (safe from a signal handler)."""
        if self.signum is None:
            self.signum = signum
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def wait(self, timeout: float) -> bool:
        return self._stop.wait(timeout)

    @property
    def exit_code(self) -> int:
        """128 + the signal, as a shell reports a signalled process: 130 SIGINT, 143 SIGTERM."""
        return 128 + (self.signum or signal.SIGINT)

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name if self.signum else "stop"

    def emit(self, name: str, **fields: Any) -> None:
        if self.events is not None:
            self.events(name, fields)

    # --- budgets -----------------------------------------------------------------------------

    def spent(self) -> str | None:
        """Why no further call may start, or None while every budget has room."""
        with self._lock:
            if self.spent_reason:
                return self.spent_reason
            reason = None
            if self.max_calls is not None and self.calls >= self.max_calls:
                reason = f"--max-calls {self.max_calls} reached"
            elif self.max_tokens_total is not None and self.tokens >= self.max_tokens_total:
                reason = f"--max-tokens-total {self.max_tokens_total} reached ({self.tokens} tokens spent)"
            elif self.deadline_s is not None and time.monotonic() - self.started >= self.deadline_s:
                reason = f"--deadline {self.deadline_s:g} s reached"
            self.spent_reason = reason
            return reason

    def checkpoint(self) -> None:
        """Before a model call: raise ``Interrupted`` after a stop, ``BudgetSpent`` past a budget."""
        if self._stop.is_set():
            raise Interrupted(self.signal_name)
        reason = self.spent()
        if reason:
            raise BudgetSpent(reason)

    def charge(self, usage: Usage) -> None:
        with self._lock:
            self.calls += usage.calls
            self.tokens += usage.prompt_tokens + usage.completion_tokens


def checkpoint(control: Control | None) -> None:
    if control is not None:
        control.checkpoint()


def charge(control: Control | None, usage: Usage) -> None:
    if control is not None:
        control.charge(usage)


def emit(control: Control | None, name: str, **fields: Any) -> None:
    if control is not None:
        control.emit(name, **fields)
