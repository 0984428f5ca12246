"""Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp servers) via openai + instructor.

Transport faults (connection, timeout, 429, 5xx, a 200 that is not a completion) are retried in
``transport``: bounded in count and total time, honouring ``Retry-After``, with jittered backoff.
The SDK's own retries are off so the two never multiply. Validation re-asks are instructor's,
one level up.
"""

from __future__ import annotations

from typing import Any

import instructor
import openai

from ..errors import BackendError, ConfigError, TransportError, redact
from ..settings import Settings
from . import Reply, Request
from ._instructor import json_object_adapter, make_client, run
from .transport import with_retries

# How each provider is asked for structured output unless --mode says otherwise.
DEFAULT_MODES = {
    "openai": "tools",
    "ollama": "json_schema",
    "vllm": "json_schema",
    "llamacpp-server": "json_object",
}
_LOCAL_KEY = "not-needed"  # local servers ignore the key, the SDK insists on one


OPENAI_API_URL = "https://api.openai.com/v1"


class OpenAICompatBackend:
    default_strategy = "whole"

    def __init__(self, settings: Settings):
        self._settings = settings
        self.name = settings.provider
        model = settings.model_name
        if not model:
            raise ConfigError("no model given: pass --model (e.g. --model openai/gpt-4o-mini)")
        self.model = model
        if self.name == "openai" and not settings.base_url and not settings.api_key:
            raise ConfigError("no endpoint configured: set OPENAI_API_KEY or pass --base-url")
        mode = settings.mode if settings.mode != "auto" else DEFAULT_MODES.get(self.name, "tools")
        self.mode = mode
        self._sdk = openai.OpenAI(
            api_key=settings.api_key or _LOCAL_KEY,
            # Given outright: with None the SDK would read OPENAI_BASE_URL itself, behind Settings'
            # back (Settings() reads no environment; Settings.from_env() is the one that does).
            base_url=settings.base_url or OPENAI_API_URL,
            max_retries=0,
            timeout=settings.timeout_s,
        )
        create = self._with_transport_retries(self._sdk.chat.completions.create)
        if mode == "json_object":
            client = make_client(json_object_adapter(create), instructor.Mode.JSON_SCHEMA)
        elif mode == "json_schema":
            client = make_client(create, instructor.Mode.JSON_SCHEMA)
        else:
            client = make_client(create, instructor.Mode.TOOLS)
        self._client = client

    def _with_transport_retries(self, create: Any) -> Any:
        s = self._settings
        return with_retries(create, retries=s.transport_retries, budget_s=s.transport_retry_budget_s,
                            backoff_s=s.transport_backoff_s, timeout_s=s.timeout_s, redact=self._redact)

    def _redact(self, text: str) -> str:
        return redact(text, self._settings.secrets)

    def structured(self, request: Request) -> Reply:
        extra: dict[str, Any] = {"temperature": self._settings.temperature, "seed": self._settings.seed}
        try:
            return run(self._client, request, self.model, extra, self._redact)
        except TransportError as exc:
            cause = exc.__cause__
            if isinstance(cause, openai.AuthenticationError):
                raise ConfigError("the endpoint rejected the API key (401): check OPENAI_API_KEY") from None
            if isinstance(cause, openai.NotFoundError):
                raise ConfigError(
                    f"the endpoint does not know model {self.model!r} or path (404): check --model and --base-url"
                ) from None
            if isinstance(cause, openai.BadRequestError):
                detail = str(exc).removeprefix("HTTP 400: ")  # already one line and redacted
                raise BackendError(f"the endpoint refused the request (400): {detail}") from None
            raise
