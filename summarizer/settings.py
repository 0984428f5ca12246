"""All settings in one object. The environment is read here and nowhere else."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import lexicon
from .errors import ConfigError

if TYPE_CHECKING:
    from .control import Control

# Providers a model string may name explicitly as "provider/model". Anything else is the
# model name of a generic OpenAI-compatible endpoint; nothing is guessed from model names.
PROVIDERS = ("openai", "ollama", "vllm", "llamacpp-server", "embedded")
STRATEGIES = ("auto", "whole", "sentence")
MODES = ("auto", "tools", "json_schema", "json_object")

DEFAULT_MAX_ARTICLE_CHARS = 1_000_000


@dataclass(frozen=True)
class Settings:
    """Everything a run needs. Build it with ``Settings.from_env()`` or directly."""

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    model_path: Path | None = None
    strategy: str = "auto"
    mode: str = "auto"
    temperature: float = 0.0
    seed: int = 0
    max_retries: int | None = None  # validation re-asks (instructor); None: 1 embedded, 2 remote
    transport_retries: int = 3  # connection / 429 / 5xx (tenacity)
    transport_retry_budget_s: float = 60.0  # no retry starts later than this after the first try
    transport_backoff_s: float = 0.5  # first backoff (doubling, jittered) when no Retry-After is sent
    timeout_s: float = 120.0
    concurrency: int = 4
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS
    n_ctx: int = 2048
    n_threads: int | None = None
    narrative: bool = True
    strict: bool = False
    prompts_dir: Path | None = None
    cache_path: Path | None = None  # extraction cache (SQLite); batch runs default to <out>/cache.sqlite
    use_cache: bool = True
    max_tokens_total: int | None = None  # run budget: no call starts (batch: no article) once it is spent
    max_calls: int | None = None  # run budget: model calls (re-asks included)
    max_calls_per_article: int | None = None  # per-article budget: past it the article is partial, the run goes on
    deadline_s: float | None = None  # run budget: no call starts this many seconds after the run began
    lexicon_files: tuple[Path, ...] = ()  # the user's word lists, added to summarizer/lexicon/*.toml
    # Put each source's text (the text its citations index) in the briefing, so that it can be
    # checked on its own (``summarizer check``) and a viewer can highlight spans without the files.
    # On by default: a briefing is only as trustworthy as its citations are checkable, and the text
    # costs about as many bytes as the articles. HTML sources keep their text either way.
    include_text: bool = True
    # The run's stop event and budget counters (``summarizer.control``): state, not configuration.
    control: Control | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``SUMMARIZER_MODEL`` and
        ``SUMMARIZER_MODEL_PATH``; explicit ``overrides`` (e.g. CLI flags) win when not None."""
        env = os.environ if env is None else env
        values: dict[str, object] = {
            "api_key": env.get("OPENAI_API_KEY") or None,
            "base_url": env.get("OPENAI_BASE_URL") or env.get("OPENAI_API_BASE") or None,
            "model": env.get("SUMMARIZER_MODEL") or None,
            "model_path": Path(env["SUMMARIZER_MODEL_PATH"]) if env.get("SUMMARIZER_MODEL_PATH") else None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values).validated()  # type: ignore[arg-type]

    def validated(self) -> Settings:
        if self.strategy not in STRATEGIES:
            raise ConfigError(f"unknown strategy {self.strategy!r}: use one of {', '.join(STRATEGIES)}")
        if self.mode not in MODES:
            raise ConfigError(f"unknown mode {self.mode!r}: use one of {', '.join(MODES)}")
        if self.concurrency < 1:
            raise ConfigError("concurrency must be at least 1")
        if self.max_tokens_total is not None and self.max_tokens_total < 1:
            raise ConfigError("--max-tokens-total must be a positive number of tokens")
        if self.max_calls is not None and self.max_calls < 1:
            raise ConfigError("--max-calls must be at least 1")
        if self.max_calls_per_article is not None and self.max_calls_per_article < 1:
            raise ConfigError("--max-calls-per-article must be at least 1")
        if self.deadline_s is not None and self.deadline_s <= 0:
            raise ConfigError("--deadline must be a positive number of seconds")
        self.lexicon  # noqa: B018 - a bad --lexicon file is a configuration error, found before any work
        if (self.max_retries or 0) < 0 or self.transport_retries < 0:
            raise ConfigError("retries cannot be negative")
        if min(self.transport_retry_budget_s, self.transport_backoff_s) < 0 or self.timeout_s <= 0:
            raise ConfigError("timeouts and retry budgets must be positive numbers of seconds")
        return self

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes).validated()  # type: ignore[arg-type]

    def controlled(self, events: object = None, tokens: bool = True) -> Settings:
        """These settings with a fresh ``Control`` for one run: its budgets, a stop event, and
        ``events`` (a ``control.Events``) to hear its progress. ``tokens=False``: the token budget
        is kept elsewhere (batch counts it per article)."""
        from .control import Control

        return replace(self, control=Control(self.max_calls, self.max_tokens_total if tokens else None,
                                             self.deadline_s, events=events))  # type: ignore[arg-type]

    @property
    def provider(self) -> str:
        """The backend family: 'embedded' or one of the OpenAI-compatible providers."""
        if self.model_path is not None:
            return "embedded"
        prefix, _, rest = (self.model or "").partition("/")
        if rest and prefix in PROVIDERS:
            return prefix
        if self.model == "embedded":
            return "embedded"
        if self.base_url or self.api_key or self.model:
            return "openai"
        return "embedded"

    @property
    def model_name(self) -> str | None:
        """The model name as the endpoint knows it, without a provider prefix."""
        prefix, _, rest = (self.model or "").partition("/")
        if rest and prefix in PROVIDERS:
            return rest
        return self.model

    @property
    def lexicon(self) -> lexicon.Lexicon:
        """The compiled word lists for this run (built once per set of files)."""
        return lexicon.load(tuple(str(p) for p in self.lexicon_files))

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.api_key,) if self.api_key else ()
