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
        │   └── UnreadableArticle   missing path, permissions, undecodable text, bad JSON
        ├── BackendError            the model endpoint failed after bounded retries
        │   ├── TransportError      connection, timeout, HTTP error, a 200 that is no completion (wraps the SDK error)
        │   └── Refusal             the model declined to answer (not retried)
        └── OutputError             a result could not be written

SDK exceptions are wrapped with the original kept as ``__cause__``; messages never include
credentials (``redact`` scrubs anything that looks like one).
"""

from __future__ import annotations

import re

_SECRET = re.compile(r"(sk-[A-Za-z0-9_\-]{8,}|Bearer\s+[A-Za-z0-9._\-]{8,})")


def redact(message: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove API keys from text that may reach a screen, a log or a file."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            message = message.replace(secret, "[REDACTED]")
    return _SECRET.sub("[REDACTED]", message)


class SummarizerError(Exception):
    exit_code = 1


class ConfigError(SummarizerError):
    exit_code = 2


class BackendUnavailable(ConfigError):
    pass


class PromptError(ConfigError):
    pass


class RuntimeFailure(SummarizerError):
    exit_code = 1


class ArticleError(RuntimeFailure):
    def __init__(self, source: str, message: str):
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = message


class EmptyArticle(ArticleError):
    pass


class BinaryArticle(ArticleError):
    pass


class ArticleTooLarge(ArticleError):
    pass


class UnreadableArticle(ArticleError):
    pass


class BackendError(RuntimeFailure):
    pass


class TransportError(BackendError):
    pass


class Refusal(BackendError):
    pass


class OutputError(RuntimeFailure):
    pass
