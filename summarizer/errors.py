"""One tree of errors. Every message says what to do about it.

    SummarizerError
    ├── ConfigError                 bad settings or usage: fix the command line or environment (exit 2)
    │   ├── BackendUnavailable      a backend's package or model file is missing
    │   └── PromptError             a prompt file is missing or malformed
    └── RuntimeFailure              something went wrong while running (exit 1)
        ├── ArticleError            one article cannot be used; the run goes on without it
        │   ├── EmptyArticle
        │   ├── BinaryArticle
        │   ├── ArticleTooLarge
        │   ├── DuplicateArticle    the same text as another input: counted once
        │   └── UnreadableArticle   missing path, permissions, undecodable text, bad JSON
        ├── BackendError            the model endpoint failed after bounded retries
        │   ├── TransportError      connection, timeout, HTTP error, a 200 that is no completion (wraps the SDK error)
        │   └── Refusal             the model declined to answer (not retried)
        └── OutputError             a result could not be written
    Interrupted                     SIGINT/SIGTERM or Control.stop(): the run ends (exit 130/143)
    BudgetSpent                     --max-calls/--max-tokens-total/--deadline ran out: the article is partial

SDK exceptions are wrapped with the original kept as ``__cause__``; messages never include
credentials (``redact`` scrubs anything that looks like one).
"""

from __future__ import annotations

import re

from .language.chars import BIDI, CONTROL, LINE_SEPARATORS

# Known key shapes, whole: "sk-" (OpenAI's, also sk-proj-…) at a word start whose key holds a digit
# and a random run of 16 letters and digits; a bearer token. A name such as
# "smolensk-air-crash-2010-04" or "sk-air-crash-2010-04" holds "sk-" but no key.
_SECRET = re.compile(r"(?<![\w-])sk-(?=[\w-]*\d)[\w-]*[A-Za-z0-9]{16}[\w-]*|\bBearer\s+[A-Za-z0-9._\-]{8,}")


def redact(message: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove API keys from text that may reach a screen, a log or a file."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            message = message.replace(secret, "[REDACTED]")
    return _SECRET.sub("[REDACTED]", message)


class SummarizerError(Exception):
    """Every error the library raises on purpose; ``exit_code`` is what the CLI exits with.

    >>> try:
    ...     Settings(concurrency=0)
    ... except SummarizerError as exc:
    ...     print(type(exc).__name__, exc.exit_code, exc)
    ConfigError 2 concurrency must be at least 1
    """

    exit_code = 1


class ConfigError(SummarizerError):
    """Bad settings or usage: the message says what to change.

    >>> try:
    ...     get_backend("openai/gpt-4o-mini", settings=Settings())
    ... except ConfigError as exc:
    ...     print(exc)
    no endpoint configured: set OPENAI_API_KEY or pass --base-url
    """

    exit_code = 2


class BackendUnavailable(ConfigError):
    pass


class PromptError(ConfigError):
    pass


class RuntimeFailure(SummarizerError):
    """Something failed while running: an article (``ArticleError``, reported in the briefing's
    ``sources[].error`` while the rest is briefed), the endpoint, or an output file.

    >>> from summarizer.testing import FakeBackend
    >>> b = brief(["?? 123 456", "typo"], model=FakeBackend())
    >>> [(s.id, s.error) for s in b.sources]
    [('text-1', 'the article has no words'), ('typo', 'no such file: check the path')]
    """

    exit_code = 1


def one_line(text: str) -> str:
    """Control characters escaped: a file name or message can never break a log line."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_CONTROL = re.compile(f"[{CONTROL}{LINE_SEPARATORS}{BIDI}]")


class ArticleError(RuntimeFailure):
    """One article cannot be used. ``str()`` is one line: ``<source>: <reason and fix>``."""

    def __init__(self, source: str, message: str):
        source, message = one_line(source), one_line(message)
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = message


class EmptyArticle(ArticleError):
    pass


class BinaryArticle(ArticleError):
    pass


class ArticleTooLarge(ArticleError):
    pass


class DuplicateArticle(ArticleError):
    pass


class UnreadableArticle(ArticleError):
    pass


class BackendError(RuntimeFailure):
    pass


class TransportError(BackendError):
    pass


class ModelTimeout(TransportError):
    """No answer within the read timeout, retries included: on a slow local server, often a
    whole-article answer that loops until ``max_tokens``."""


class Refusal(BackendError):
    pass


class UnparsedAnswer(BackendError):
    """The model's answer is not JSON at all; carries the completion so its usage still counts."""

    def __init__(self, message: str, completion: object = None):
        super().__init__(message)
        self.completion = completion


class OutputError(RuntimeFailure):
    pass


class Interrupted(SummarizerError):
    """The run was asked to stop (SIGINT, SIGTERM, ``Control.stop()``). Not a failure of any
    article: nothing is recorded for the articles in flight, and a batch rerun resumes."""

    exit_code = 130

    def __init__(self, signal_name: str = "stop"):
        super().__init__(f"interrupted ({signal_name}): finished work is kept; run again to resume")
        self.signal_name = signal_name


class BudgetSpent(SummarizerError):
    """A run budget ran out before the next model call. The article keeps what it grounded so far
    and is marked ``partial``; the message names the budget and how to raise it."""

    exit_code = 3
