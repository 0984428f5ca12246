"""Logging: the library logs to ``summarizer.*`` loggers and leaves handlers to its caller.

A broad ``except`` that keeps a run going logs the exception with its traceback at ERROR, so a
bug reduced to one line in a briefing still reaches whoever turns logging on. Keys never do:
``redacted_exc_info`` gives a record the traceback with every message redacted, and the CLI's
handler (``to_stderr``) redacts whatever it writes once more. ``--verbose`` shows INFO and DEBUG
records; ``--log-json`` writes each record as one JSON line, beside the progress events.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from types import TracebackType

from .errors import redact

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
_HANDLER_NAME = "summarizer-cli"


def redacted_exc_info(exc: BaseException, secrets: tuple[str, ...] = ()) -> ExcInfo:
    """``exc_info`` for a log record: the same frames, and the same exception chain, with every
    message passed through ``redact`` (an SDK's error text may quote a key or an auth header)."""
    copy = _redacted(exc, secrets, depth=0)
    return type(copy), copy, exc.__traceback__


def _redacted(exc: BaseException, secrets: tuple[str, ...], depth: int) -> BaseException:
    # The same class name and module in the traceback's last line, the message redacted.
    cls = type(type(exc).__name__, (Exception,), {"__module__": type(exc).__module__})
    copy = cls(redact(str(exc), secrets))
    copy.__traceback__ = exc.__traceback__
    if depth < 8:  # a cycle in a chain is possible in principle; a real chain is short
        if exc.__cause__ is not None:
            copy.__cause__ = _redacted(exc.__cause__, secrets, depth + 1)
        elif exc.__context__ is not None and not exc.__suppress_context__:
            copy.__context__ = _redacted(exc.__context__, secrets, depth + 1)
    copy.__suppress_context__ = exc.__suppress_context__
    return copy


class _Redacting(logging.Filter):
    """Redacts a record's message and traceback before any formatter sees them."""

    def __init__(self, secrets: tuple[str, ...]):
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage(), self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        return True


class JsonFormatter(logging.Formatter):
    """A record as one JSON line, shaped like the progress events: ``{"ts", "event": "log", …}``."""

    def format(self, record: logging.LogRecord) -> str:
        out = {"ts": round(record.created, 3), "event": "log", "level": record.levelname.lower(),
               "logger": record.name, "message": record.getMessage()}
        if record.exc_text or record.exc_info:
            out["traceback"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(out, default=str)


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (a test runner swaps it per command)."""

    @property  # type: ignore[override]
    def stream(self):  # type: ignore[no-untyped-def]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # type: ignore[no-untyped-def]
        pass


_JSON_ACTIVE = False


def json_lines_active() -> bool:
    """Whether the CLI's stderr carries JSON lines only (``--log-json``)."""
    return _JSON_ACTIVE


def json_line(event: str, message: str, level: str = "info") -> None:
    """A line the CLI itself says ("wrote …", an input error), shaped like a log record."""
    sys.stderr.write(json.dumps({"ts": round(time.time(), 3), "event": event, "level": level,
                                 "logger": "summarizer.cli", "message": redact(message)}) + "\n")
    sys.stderr.flush()


def to_stderr(verbose: bool = False, json_lines: bool = False, secrets: tuple[str, ...] = ()) -> None:
    """The CLI's handler on the ``summarizer`` logger (replacing the one a previous command set):
    WARNING and up by default, message only, as Python's last-resort handler showed them before
    the library had a handler; everything, tracebacks included, with ``verbose``; as JSON lines
    (tracebacks included) with ``json_lines``."""
    global _JSON_ACTIVE
    _JSON_ACTIVE = json_lines
    root = logging.getLogger("summarizer")
    for logger in (root, logging.getLogger()):
        for h in [h for h in logger.handlers if h.name == _HANDLER_NAME]:
            logger.removeHandler(h)
    if json_lines:
        # Every other library's records (instructor's "API call failed", httpx, dask) as JSON lines
        # too, instead of Python's last-resort handler writing plain text to the same stream.
        third = _Stderr()
        third.name = _HANDLER_NAME
        third.setLevel(logging.WARNING)
        third.addFilter(_Redacting(secrets))
        third.addFilter(lambda record: not record.name.startswith("summarizer"))  # those have their own
        third.setFormatter(JsonFormatter())
        logging.getLogger().addHandler(third)
        logging.getLogger("instructor").setLevel(logging.WARNING)
    else:
        logging.getLogger("instructor").setLevel(logging.CRITICAL)  # each failure is reported once by the run
    handler = _Stderr()
    handler.name = _HANDLER_NAME
    handler.addFilter(_Redacting(secrets))
    if json_lines:
        handler.setFormatter(JsonFormatter())
    elif verbose:
        formatter = logging.Formatter("summarizer: %(asctime)s %(levelname)s %(name)s: %(message)s")
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
    else:
        # A record with a traceback is an error the run reports in its own line (a failed article,
        # the template paragraph): its traceback is for --verbose, not repeated here.
        handler.addFilter(lambda record: not record.exc_info)
        handler.setFormatter(logging.Formatter("%(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
