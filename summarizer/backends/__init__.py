"""Backends: one small interface between the pipeline and any model.

A backend takes a ``Request`` (chat messages, the Pydantic model to fill, the grounding context
and retry bounds) and returns a ``Reply``. No SDK type crosses this line: wire details stay in
``openai_compat`` and ``embedded``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

from ..schemas import Usage
from ..settings import Settings


@dataclass
class Request:
    messages: list[dict[str, str]]
    response_model: type[BaseModel]
    context: dict[str, Any] | None = None
    max_retries: int = 2
    max_tokens: int = 256
    # True: an answer that is not JSON at all ends the call at once, without a re-ask (at
    # temperature 0 the re-ask repeats it). Grounding and shape errors are still re-asked.
    stop_on_unparsed: bool = False


@dataclass
class Reply:
    value: BaseModel | None = None  # passed validation (grounding included)
    salvage: BaseModel | None = None  # the last answer, shape-checked only, when re-asks ran out
    errors: list[str] = field(default_factory=list)  # validation errors shown to the model
    attempts: int = 0
    usage: Usage = field(default_factory=Usage)
    cut_off: bool = False  # the last answer ran into max_tokens (finish_reason "length")
    unparsed: bool = False  # the last answer was not JSON (only with ``stop_on_unparsed``)


@runtime_checkable
class Backend(Protocol):
    name: str  # e.g. "embedded", "openai"
    model: str  # the model as the endpoint knows it, or the GGUF file name
    default_strategy: str  # "sentence" for tiny local models, "whole" for capable endpoints

    def structured(self, request: Request) -> Reply: ...


def make_backend(settings: Settings) -> Backend:
    """The backend the settings ask for. Imports SDKs lazily so each stays optional."""
    if settings.provider == "embedded":
        from .embedded import EmbeddedBackend

        return EmbeddedBackend(settings)
    from .openai_compat import OpenAICompatBackend

    return OpenAICompatBackend(settings)
