"""A backend for tests and examples that asks no model: ``FakeBackend``, like simonw/llm's
``MockModel``. Queue answers with ``enqueue()`` (or give a ``default``); each is fed as a raw
completion through the real instructor path, so validation with grounding, re-asks, salvage and
usage are exactly the real backends'; ``history`` records every request as the SDK got it.

>>> import summarizer
>>> from summarizer.testing import FakeBackend
>>> fake = FakeBackend().enqueue({"killed": 12, "injured": None, "place": "Northtown", "claimed_by": "police"})
>>> b = summarizer.brief(["A car bomb killed 12 people in Northtown on Sunday, police said."], model=fake)
>>> b.events[0].killed.best, len(fake.history)
(12, 1)
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import instructor
from openai.types.chat import ChatCompletion

from .backends import Reply, Request, _instructor

__all__ = ["Asked", "CutOff", "FakeBackend", "completion"]


_MODES = {"json_object": instructor.Mode.JSON_SCHEMA, "json_schema": instructor.Mode.JSON_SCHEMA,
          "tools": instructor.Mode.TOOLS}


@dataclass
class Asked(Request):
    """One request as it reached the SDK: ``attempt`` 1 is the question, 2 and on its re-asks."""

    attempt: int = 1


class CutOff:
    """A canned answer that ran into ``max_tokens``: sent with ``finish_reason="length"`` and
    ``completion_tokens`` equal to the request's ``max_tokens``, as a real server reports it."""

    def __init__(self, content: str = '{"casualties": [{"evidence": "') -> None:
        self.content = content


def completion(content: str, *, finish_reason: str = "stop", prompt_tokens: int = 0,
               completion_tokens: int = 0, tool_name: str | None = None) -> ChatCompletion:
    """An OpenAI ``ChatCompletion`` as the SDK returns it; with ``tool_name``, the answer is a
    tool call (instructor's ``tools`` mode) instead of message content."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_name is not None:
        message = {"role": "assistant", "content": None, "tool_calls": [{
            "id": "call_0", "type": "function", "function": {"name": tool_name, "arguments": content}}]}
    return ChatCompletion.model_validate({
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": FakeBackend.model,
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": message}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    })


class FakeBackend:
    """Canned raw completions fed through the real instructor path, like simonw/llm's MockModel.

    Each queued answer is a dict (sent as the JSON content of the completion), a str (sent as
    raw content, JSON or not), a ``CutOff`` (a completion that ran into max_tokens) or an
    Exception (raised by the SDK call). ``structured`` builds the same instructor client the
    real backends build (``_instructor.make_client``) around a ``create`` that pops the next
    answer, and runs ``_instructor.run``: validation with context, re-asks, the parse guard,
    salvage and usage are instructor's and ours, never re-implemented here.

    ``history`` records every request as it reached ``create``: re-asks carry instructor's own
    re-ask messages, and ``max_tokens`` is what was sent. Usage is deterministic: a completion
    reports ``prompt_tokens`` = characters of the messages sent // 4 and ``completion_tokens`` =
    characters of its content // 4 (``max_tokens`` for a ``CutOff``).
    """

    name = "fake"
    model = "fake-model"

    def __init__(self, default_strategy: str = "sentence", default: Any = None, mode: str = "json_object"):
        self.default_strategy = default_strategy
        self.queue: deque[Any] = deque()
        self.history: list[Asked] = []
        self.default = default
        # the --mode names, wired as OpenAICompatBackend wires them (it feeds the cache key too)
        self.mode = mode
        self.sent: list[dict[str, Any]] = []  # every create() call's keyword arguments, as sent
        self._instructor_mode = _MODES[mode]

    def enqueue(self, *answers: Any) -> FakeBackend:
        self.queue.extend(answers)
        return self

    def _next(self, request: Request) -> Any:
        """The next answer for ``request`` (subclasses script answers by request)."""
        try:
            return self.queue.popleft()  # atomic: batch tests call from several threads
        except IndexError:
            pass
        if self.default is not None:
            return self.default
        raise AssertionError("FakeBackend: no answer queued")

    def _create(self, request: Request, ran_out: list[bool]) -> Callable[..., ChatCompletion]:
        attempts = 0

        def create(*_: Any, **kwargs: Any) -> ChatCompletion:
            nonlocal attempts
            attempts += 1
            self.sent.append(kwargs)
            messages = [dict(m) for m in kwargs["messages"]]
            self.history.append(Asked(messages=messages, response_model=request.response_model,
                                      context=request.context, max_retries=request.max_retries,
                                      max_tokens=kwargs["max_tokens"],
                                      stop_on_unparsed=request.stop_on_unparsed, choices=request.choices,
                                      attempt=attempts))
            try:
                answer = self._next(request)
            except AssertionError:
                ran_out.append(True)  # instructor would turn it into a transport failure: see structured
                raise
            if isinstance(answer, BaseException):
                raise answer
            finish_reason, content = "stop", answer
            if isinstance(answer, CutOff):
                finish_reason, content = "length", answer.content
            elif isinstance(answer, dict):
                content = json.dumps(answer, ensure_ascii=False)
            prompt_chars = sum(len(m.get("content") or "") for m in messages)
            tools = kwargs.get("tools")
            return completion(
                content, finish_reason=finish_reason, prompt_tokens=prompt_chars // 4,
                completion_tokens=kwargs["max_tokens"] if finish_reason == "length" else len(content) // 4,
                tool_name=tools[0]["function"]["name"] if tools else None)

        return create

    def structured(self, request: Request) -> Reply:
        ran_out: list[bool] = []
        create = self._create(request, ran_out)
        if self.mode == "json_object":
            create = _instructor.json_object_adapter(create)
        client = _instructor.make_client(create, self._instructor_mode)
        try:
            reply = _instructor.run(client, request, self.model, {}, lambda text: text)
        except Exception:
            if ran_out:
                raise AssertionError("FakeBackend: no answer queued") from None
            raise
        # A re-ask that found the queue empty is "re-ask failed" to run(): a test bug, not a result.
        if ran_out:
            raise AssertionError("FakeBackend: no answer queued (for a re-ask)")
        return reply
