"""Running one structured call through instructor, shared by every instructor-based backend.

instructor re-asks on validation errors (our grounding errors included) up to
``max_retries``; usage is counted through its ``completion:response`` hook, once per HTTP
answer, re-asks included. When the re-asks run out, the last answer is parsed without
grounding so the pipeline can keep what does ground and report the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import instructor
from instructor.core.hooks import Hooks
from pydantic import BaseModel, ValidationError

from ..errors import BackendError, TransportError, UnparsedAnswer
from ..schemas import Usage
from . import Reply, Request

try:  # the location moved between instructor releases
    from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
except ImportError:  # pragma: no cover
    from instructor.exceptions import IncompleteOutputException, InstructorRetryException


def json_object_adapter(create: Callable[..., Any]) -> Callable[..., Any]:
    """llama.cpp (in-process and its Python server) enforces a schema only when sent as
    ``{"type": "json_object", "schema": ...}``; instructor's JSON_SCHEMA mode sends
    ``{"type": "json_schema", ...}``, which it ignores or rejects."""

    def adapted(*args: Any, **kwargs: Any) -> Any:
        rf = kwargs.get("response_format")
        if isinstance(rf, dict) and rf.get("type") == "json_schema":
            kwargs["response_format"] = {"type": "json_object", "schema": rf["json_schema"]["schema"]}
        return create(*args, **kwargs)

    return adapted


_REASK_HEAD = "Correct your JSON ONLY RESPONSE, based on the following errors:\n"
# One pydantic error line: "  Value error, <our message> [type=value_error, input_value=..., input_type=dict]"
_PYDANTIC_LINE = re.compile(r"^\s+(?:Value error, )?(.+?)\s+\[type=[^\]]*\]\s*$")


def short_reasks(create: Callable[..., Any]) -> Callable[..., Any]:
    """Re-asks carry only the errors, not pydantic's full dump. instructor shows the model
    ``str(ValidationError)``: a header, each error with the whole answer echoed as
    ``input_value`` and a documentation URL, ~90 tokens where the error itself is ~15. A
    tiny local model reads every one of them at ~200 tokens/s and learns nothing from the echo."""

    def shortened(*args: Any, **kwargs: Any) -> Any:
        messages = kwargs.get("messages")
        if isinstance(messages, list):
            kwargs["messages"] = [_short_reask(m) for m in messages]
        return create(*args, **kwargs)

    return shortened


def _short_reask(message: Any) -> Any:
    if not isinstance(message, dict) or message.get("role") != "user":
        return message
    content = message.get("content")
    if not isinstance(content, str) or not content.startswith(_REASK_HEAD):
        return message
    errors, where = [], ""
    for line in content[len(_REASK_HEAD):].splitlines():
        m = _PYDANTIC_LINE.match(line)
        if m:
            errors.append(f"- {where}: {m.group(1)}" if where else f"- {m.group(1)}")
        elif line and not line[0].isspace() and "validation error" not in line:
            where = line.strip()  # the field the next error is about; none for a whole-record error
    if not errors:
        return message
    return {**message, "content": _REASK_HEAD + "\n".join(errors)}


def with_choices(create: Callable[..., Any], choices: Callable[[], dict[str, list[Any]] | None]) -> Callable[..., Any]:
    """Narrow the JSON schema sent as ``{"type": "json_object", "schema": ...}`` to the values
    ``choices()`` allows per field (or null): the grammar built from it then lets the model write
    only numbers and phrases the text holds, instead of, say, a value copied from the prompt's example."""

    def narrowed(*args: Any, **kwargs: Any) -> Any:
        allowed = choices()
        rf = kwargs.get("response_format")
        if allowed and isinstance(rf, dict) and isinstance(rf.get("schema"), dict):
            schema = {**rf["schema"], "properties": dict(rf["schema"].get("properties", {}))}
            for name, values in allowed.items():
                prop = schema["properties"].get(name)
                if prop is None:
                    continue
                keep = {k: v for k, v in prop.items() if k in ("title", "description")}
                options: list[dict[str, Any]] = [{"enum": list(values)}] if values else []
                schema["properties"][name] = {**keep, "anyOf": [*options, {"type": "null"}]}
            kwargs["response_format"] = {**rf, "schema": schema}
        return create(*args, **kwargs)

    return narrowed


# instructor renders every message as a Jinja template whenever a validation context is passed
# (our grounding needs one). Article text is data: "{{ 7*7 }}" in an article must reach the model
# as written, not as 49, and a stray "{%" must not crash the call. Each '{' that would open a
# Jinja tag becomes an expression printing '{'; text without such a '{' is sent byte-identical.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def jinja_proof(messages: list[dict[str, str]], context: dict[str, Any] | None) -> list[dict[str, str]]:
    if not context:
        return messages  # no context, no templating: escaping would reach the model literally
    return [{**m, "content": _JINJA_OPEN.sub('{{ "{" }}', m["content"])} if isinstance(m.get("content"), str)
            else m for m in messages]


# Set for the duration of one ``run`` whose request asked ``stop_on_unparsed``: the guard below
# sits between instructor and the SDK, in the same thread, and sees each raw completion first.
_STOP_ON_UNPARSED: ContextVar[bool] = ContextVar("stop_on_unparsed", default=False)


def _is_json(text: str | None) -> bool:
    """JSON, or JSON inside other text (a code fence, say), as instructor would still find it."""
    if not text:
        return False
    for candidate in (text, text[text.find("{"):text.rfind("}") + 1]):
        try:
            json.loads(candidate)
            return True
        except (json.JSONDecodeError, ValueError):
            continue
    return False


def _finish_reason(completion: Any) -> str | None:
    try:
        return completion.choices[0].finish_reason
    except (AttributeError, IndexError, TypeError):
        return None


def parse_guard(create: Callable[..., Any]) -> Callable[..., Any]:
    """When the request asked for it, an answer that is not JSON ends the call here: instructor
    would re-ask, and at temperature 0 a model that looped or rambled does it again."""

    def guarded(*args: Any, **kwargs: Any) -> Any:
        completion = create(*args, **kwargs)
        if (_STOP_ON_UNPARSED.get() and _finish_reason(completion) != "length"  # instructor reports that
                and not _is_json(_answer_text(completion))):
            raise UnparsedAnswer("the answer could not be parsed: it is not JSON", completion)
        return completion

    return guarded


def make_client(create: Callable[..., Any], mode: instructor.Mode) -> instructor.Instructor:
    create = parse_guard(create)
    return instructor.Instructor(client=None, create=instructor.patch(create=create, mode=mode), mode=mode)


def _usage_of(response: Any, usage: Usage) -> None:
    usage.calls += 1
    u = getattr(response, "usage", None)
    if u is None and isinstance(response, dict):
        u = response.get("usage")
    if u is None:
        return
    get = u.get if isinstance(u, dict) else lambda k, d=None: getattr(u, k, d)
    usage.prompt_tokens += int(get("prompt_tokens", 0) or 0)
    usage.completion_tokens += int(get("completion_tokens", 0) or 0)


def _answer_text(completion: Any) -> str | None:
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    calls = getattr(message, "tool_calls", None)
    if calls:
        return calls[0].function.arguments
    return getattr(message, "content", None)


def _salvage(model: type[BaseModel], completion: Any) -> BaseModel | None:
    text = _answer_text(completion)
    if not text:
        return None
    try:
        return model.model_validate(json.loads(text))  # no context: shape only
    except (json.JSONDecodeError, ValidationError, TypeError):
        return None


def run(
    client: instructor.Instructor,
    request: Request,
    model: str | None,
    extra: dict[str, Any],
    redact: Callable[[str], str],
) -> Reply:
    reply = Reply()
    hooks = Hooks()
    answers: list[Any] = []

    def answered(response: Any) -> None:
        _usage_of(response, reply.usage)
        answers.append(response)

    hooks.on("completion:response", answered)
    hooks.on("parse:error", lambda error, **_: reply.errors.append(redact(_first_line(error))))
    kwargs: dict[str, Any] = dict(extra)
    if model:
        kwargs["model"] = model
    token = _STOP_ON_UNPARSED.set(request.stop_on_unparsed)
    try:
        reply.value = client.create(
            response_model=request.response_model,
            messages=jinja_proof(request.messages, request.context),
            context=request.context,
            max_retries=request.max_retries,
            max_tokens=request.max_tokens,
            hooks=hooks,
            **kwargs,
        )
    except IncompleteOutputException as exc:
        reply.errors.append(f"the answer was cut off at max_tokens={request.max_tokens}")
        reply.cut_off = True
        reply.salvage = _salvage(request.response_model, exc.last_completion)
    except InstructorRetryException as exc:
        if isinstance(exc.__cause__, UnparsedAnswer):  # ended by the guard: no re-ask spent on it
            _usage_of(exc.__cause__.completion, reply.usage)
            reply.errors.append(str(exc.__cause__))
            reply.unparsed = True
        elif not exc.failed_attempts:  # the call itself failed: transport, not validation
            cause = exc.__cause__ or exc
            if isinstance(cause, BackendError):
                raise cause from cause.__cause__  # already ours, redacted, the SDK error kept
            raise _wrap(cause, redact) from cause
        else:
            cause = exc.__cause__
            if cause is not None and not isinstance(cause, (ValidationError, json.JSONDecodeError)):
                # A re-ask itself failed (e.g. 400 context_length_exceeded): say so, keep the salvage.
                reply.errors.append(redact(f"re-ask failed: {type(cause).__name__}: {_first_line(cause)}"))
        # the last answer that came back whole (for the guard: an earlier attempt's), shape-checked
        reply.salvage = _salvage(request.response_model, exc.last_completion)
    finally:
        _STOP_ON_UNPARSED.reset(token)
    reply.earlier = [m for m in (_salvage(request.response_model, a) for a in answers[:-1]) if m is not None]
    reply.attempts = reply.usage.calls
    return reply


def _first_line(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(str(e.get("msg", "")).removeprefix("Value error, ") for e in error.errors())[:500]
    return str(error).splitlines()[0][:500] if str(error) else type(error).__name__


def _wrap(exc: BaseException, redact: Callable[[str], str]) -> BackendError:
    if isinstance(exc, BackendError):
        return exc
    return TransportError(f"model call failed: {redact(type(exc).__name__ + ': ' + _first_line(exc))}")
