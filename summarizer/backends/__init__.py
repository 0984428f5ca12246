"""Backends: one small interface between the pipeline and any model.

A backend takes a ``Request`` (chat messages, the Pydantic model to fill, the grounding context
and retry bounds) and returns a ``Reply``. No SDK type crosses this line: wire details stay in
``openai_compat`` and ``embedded``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

from ..errors import ConfigError
from ..schemas import Usage
from ..settings import Settings


@dataclass
class Request:
    """One question to a model: the chat messages and the Pydantic model its answer must fill.
    ``context`` is what the model's validators ground the answer against (a re-ask shows the
    model their errors, at most ``max_retries`` times).

    >>> from pydantic import BaseModel
    >>> class Toll(BaseModel):
    ...     killed: int | None
    >>> Request([{"role": "user", "content": "Floods killed 3 people."}], Toll).max_retries
    2
    """

    messages: list[dict[str, str]]
    response_model: type[BaseModel]
    context: dict[str, Any] | None = None
    max_retries: int = 2
    max_tokens: int = 256
    # True: an answer that is not JSON at all ends the call at once, without a re-ask (at
    # temperature 0 the re-ask repeats it). Grounding and shape errors are still re-asked.
    stop_on_unparsed: bool = False
    # The values the text allows for some fields (the numbers and phrases of the sentence asked
    # about). A backend that can constrain decoding (the embedded model's grammar) keeps the model
    # to them; others may ignore them, and grounding checks every answer either way.
    choices: dict[str, list[Any]] | None = None


@dataclass
class Reply:
    """What a backend answers: ``value`` when the answer passed validation (grounding included),
    else what is left to salvage, the errors shown to the model and the tokens spent.

    >>> Reply().value is None and Reply().usage.calls == 0
    True
    """

    value: BaseModel | None = None  # passed validation (grounding included)
    salvage: BaseModel | None = None  # the last answer, shape-checked only, when re-asks ran out
    # The answers before the last, shape-checked only: a re-ask about one field may come back without
    # a value the first answer had right, and grounding decides which answer keeps the most.
    earlier: list[BaseModel] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # validation errors shown to the model
    attempts: int = 0
    usage: Usage = field(default_factory=Usage)
    cut_off: bool = False  # the last answer ran into max_tokens (finish_reason "length")
    unparsed: bool = False  # the last answer was not JSON (only with ``stop_on_unparsed``)


@runtime_checkable
class Backend(Protocol):
    """Anything with a ``name``, a ``model``, a ``default_strategy`` and ``structured(request)``
    is a backend (``register_backend`` names it for ``--model``).

    >>> class Always:  # every question gets the same answer, validated like any model's
    ...     name, model, default_strategy = "always", "v1", "sentence"
    ...     def structured(self, request):
    ...         fields = dict.fromkeys(request.response_model.model_fields)
    ...         return Reply(value=request.response_model.model_validate(fields), attempts=1)
    >>> isinstance(Always(), Backend)
    True
    """

    name: str  # e.g. "embedded", "openai"
    model: str  # the model as the endpoint knows it, or the GGUF file name
    default_strategy: str  # "sentence" for tiny local models, "whole" for capable endpoints

    def structured(self, request: Request) -> Reply: ...


BackendFactory = Callable[[Settings], Backend]

# Backends registered by prefix (``register_backend``): a model string "prefix/name" reaches the
# factory, which gets the whole Settings (``settings.model_name`` is the part after the slash).
_REGISTRY: dict[str, BackendFactory] = {}


def register_backend(prefix: str, factory: BackendFactory) -> None:
    """Make ``model="prefix/name"`` (``--model``, ``get_backend``, ``brief(model=...)``) build a
    backend with ``factory(settings)``. A prefix registered again is replaced; the built-in
    providers' prefixes (registered here the same way) cannot be taken.

    >>> from summarizer.backends import Reply
    >>> class Echo:
    ...     name, default_strategy = "echo", "sentence"
    ...     def __init__(self, settings): self.model = settings.model_name
    ...     def structured(self, request): return Reply()
    >>> register_backend("echo", Echo)
    >>> get_backend("echo/v1").model
    'v1'
    """
    taken = _REGISTRY.get(prefix) in BUILT_IN.values()
    if not prefix or "/" in prefix or taken:
        raise ConfigError(f"cannot register a backend as {prefix!r}: use a new word without '/', "
                          f"not one of {', '.join(BUILT_IN)}")
    _REGISTRY[prefix] = factory


def registered() -> dict[str, BackendFactory]:
    """The prefixes given to ``register_backend`` (a copy)."""
    return dict(_REGISTRY)


def get_backend(model: str | None = None, settings: Settings | None = None, **options: Any) -> Backend:
    """The backend a model string names, like ``llm.get_model``: "embedded" (the default),
    "openai/gpt-4o-mini", "ollama/qwen2.5:7b" (with ``base_url=``), a bare name for the
    OpenAI-compatible endpoint at ``base_url``, or a registered prefix. ``settings`` (default:
    ``Settings.from_env()``) gives the rest; ``options`` are ``Settings`` fields.

    >>> get_backend("ollama/qwen2.5:7b", base_url="http://localhost:11434/v1").model
    'qwen2.5:7b'

    Nothing is contacted (and no model is loaded) until the first request.
    """
    settings = settings or Settings.from_env()
    changes = {**options, **({"model": model} if model is not None else {})}
    return make_backend(settings.with_(**changes) if changes else settings)


def make_backend(settings: Settings) -> Backend:
    """The backend the settings ask for (``Settings.provider``: a model string with no registered
    prefix goes to the OpenAI-compatible endpoint)."""
    return _REGISTRY[settings.provider](settings)


def _embedded(settings: Settings) -> Backend:
    from .embedded import EmbeddedBackend  # SDKs are imported lazily, so each stays optional

    return EmbeddedBackend(settings)


def _openai_compatible(settings: Settings) -> Backend:
    from .openai_compat import OpenAICompatBackend

    return OpenAICompatBackend(settings)


# The built-in providers a model string may name as "provider/model". Anything else is the model
# name of a generic OpenAI-compatible endpoint; nothing is guessed from model names.
BUILT_IN: dict[str, BackendFactory] = {
    "openai": _openai_compatible, "ollama": _openai_compatible, "vllm": _openai_compatible,
    "llamacpp-server": _openai_compatible, "embedded": _embedded,
}
for _prefix, _factory in BUILT_IN.items():
    register_backend(_prefix, _factory)
