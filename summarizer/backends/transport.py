"""Transport retries for OpenAI-compatible endpoints: which faults are worth another try, how
long to wait, when to give up, and the one-line reason the article fails with.

Retried: connection errors and resets, read timeouts, 408/409/429/5xx, and an HTTP 200 whose
body is not a chat completion (a proxy's HTML page, an empty choices list). Not retried: 4xx
(the request or the key is wrong: every retry would fail alike) and refusals.

Bounds, per HTTP call: at most ``transport_retries`` retries, and none that would start after
``transport_retry_budget_s`` (so a call takes at most the budget plus one ``timeout_s``).
``Retry-After`` / ``retry-after-ms`` are honoured exactly (never retried earlier); when the
server asks for more than the budget has left, the call fails at once and says so. Otherwise
the wait is exponential from ``transport_backoff_s`` with jitter, so clients that failed
together do not retry together. The SDK's own retries are off (``max_retries=0``) so the two
never multiply; instructor's validation re-asks are one level up and are not transport retries.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any

import openai
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, stop_before_delay

from ..errors import ModelTimeout, Refusal, TransportError

MAX_BACKOFF_S = 20.0


class BadResponse(Exception):
    """An HTTP 200 that is not a usable chat completion. Retried; never escapes this module
    (what escapes is a ``TransportError`` saying so)."""


def transient(exc: BaseException) -> bool:
    if isinstance(exc, (openai.APIConnectionError, BadResponse, openai.APIResponseValidationError)):
        return True  # APITimeoutError is an APIConnectionError
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait: ``retry-after-ms``, ``Retry-After`` in seconds or
    as an HTTP date; None when it did not ask."""
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if headers is None or not hasattr(headers, "get"):
        return None
    try:
        if headers.get("retry-after-ms") is not None:
            return max(0.0, float(headers.get("retry-after-ms")) / 1000)
    except ValueError:
        pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


class Backoff:
    """``Retry-After`` when the server sends it; else ``base * 2**(n-1)``, capped, with "equal
    jitter": half of it fixed, half uniformly random."""

    def __init__(self, base_s: float, max_s: float = MAX_BACKOFF_S, rng: random.Random | None = None):
        self.base_s = base_s
        self.max_s = max_s
        self._rng = rng or random.Random()

    def delay(self, attempt: int) -> float:
        step = min(self.max_s, self.base_s * 2 ** max(0, attempt - 1))
        return step / 2 + self._rng.uniform(0, step / 2)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = retry_after(exc)
        return after if after is not None else self.delay(state.attempt_number)


def checked(create: Callable[..., Any], redact: Callable[[str], str]) -> Callable[..., Any]:
    """The SDK's create, with a 200 that is not a completion turned into ``BadResponse`` (retried)
    and a refusal into ``Refusal`` (not retried), instead of the parse errors instructor would
    otherwise re-ask on."""

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            response = create(*args, **kwargs)
        except json.JSONDecodeError as exc:
            raise BadResponse(f"HTTP 200 with a body that is not JSON: {exc.doc[:60]!r}") from exc
        choices = getattr(response, "choices", None)
        if choices is None:
            raise BadResponse(f"HTTP 200 with something that is not a chat completion: {str(response)[:60]!r}")
        if not choices:
            raise BadResponse("HTTP 200 with an empty list of choices")
        message = getattr(choices[0], "message", None)
        refusal = getattr(message, "refusal", None)
        if refusal and not getattr(message, "content", None) and not getattr(message, "tool_calls", None):
            raise Refusal(redact(f"the model refused to answer: {' '.join(str(refusal).split())[:200]}"))
        return response

    return call


def describe(exc: BaseException, timeout_s: float) -> str:
    """One line on what went wrong with the last attempt."""
    if isinstance(exc, openai.APITimeoutError):
        return f"no answer within {timeout_s:g} s (read timeout)"
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc.__context__
        detail = f"{type(cause).__name__}: {cause}" if cause and str(cause) else type(cause or exc).__name__
        return f"connection failed ({detail[:160]})"
    if isinstance(exc, openai.APIStatusError):
        body = exc.body if isinstance(exc.body, dict) else {}
        err = body.get("error", body)
        detail = err.get("message") if isinstance(err, dict) else None
        if not detail:  # not OpenAI's error shape: a proxy's page, say; show its start
            detail = repr(" ".join(str(exc.body or exc.message).split())[:80])
        return f"HTTP {exc.status_code}: {detail}"
    return f"{type(exc).__name__}: {exc}" if not isinstance(exc, BadResponse) else str(exc)


def scrub(exc: BaseException, redact: Callable[[str], str]) -> BaseException:
    """Redact the messages along an exception chain in place: the SDK error is kept as the
    cause, but a server that echoes the key in its error body must not put it in a traceback."""
    seen: set[int] = set()
    node: BaseException | None = exc
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        node.args = tuple(redact(a) if isinstance(a, str) else a for a in node.args)
        if isinstance(getattr(node, "message", None), str):
            node.message = redact(node.message)  # type: ignore[attr-defined]
        node = node.__cause__ or node.__context__
    return exc


def with_retries(
    create: Callable[..., Any],
    retries: int,
    budget_s: float,
    backoff_s: float,
    timeout_s: float,
    redact: Callable[[str], str],
) -> Callable[..., Any]:
    """``create`` retried on transient faults within the bounds above. What finally escapes is a
    ``TransportError`` carrying a redacted one-line reason, with the SDK error (its message
    scrubbed) as ``__cause__``. Non-transient SDK errors (401, 404, 400) are wrapped the same way
    at once, without retries; the backend reads the cause to translate them."""
    wait = Backoff(backoff_s)
    retrying = Retrying(
        stop=stop_after_attempt(retries + 1) | stop_before_delay(budget_s),
        wait=wait,
        retry=retry_if_exception(transient),
        reraise=True,
    )
    create = checked(create, redact)

    def call(*args: Any, **kwargs: Any) -> Any:
        began = time.monotonic()
        attempts = 0

        def attempt() -> Any:
            nonlocal attempts
            attempts += 1
            return create(*args, **kwargs)

        try:
            return retrying.copy()(attempt)
        except openai.APIError as exc:
            if not transient(exc):  # wrapped here so no raw SDK message (it may echo the key) goes on
                line = redact(" ".join(describe(exc, timeout_s).split()))[:400]
                raise TransportError(line) from scrub(exc, redact)
            failure: Exception = exc
        except BadResponse as exc:
            failure = exc
        spent = time.monotonic() - began
        reason = describe(failure, timeout_s)
        after = retry_after(failure)
        if after is not None and attempts <= retries and spent + after >= budget_s:
            reason += f" (the server asked to wait {after:g} s, more than the {budget_s:g} s retry budget allows)"
        line = f"model call failed after {attempts} attempt{'s' * (attempts > 1)} in {spent:.1f} s: {reason}"
        kind = ModelTimeout if isinstance(failure, openai.APITimeoutError) else TransportError
        raise kind(redact(" ".join(line.split()))[:400]) from scrub(failure, redact)

    return call
