"""All settings in one object. The environment is read here (``Settings.from_env``) and nowhere else.

``Settings`` is a frozen ``pydantic-settings`` model: every field is typed (``strategy`` and
``mode`` are ``Literal``s), values are checked when it is built, and a bad value is a
``ConfigError`` that says what to do. Building it directly (``Settings(strategy="whole")``) reads
no environment, so a test or a library caller gets exactly what it wrote; ``from_env()`` adds the
four variables below. Options that only shape what the command line does (``--strict``,
``--quiet``, ``--format``) are the CLI's and are not here.

    >>> s = Settings(strategy="sentence", narrative=False)
    >>> s.strategy, s.provider
    ('sentence', 'embedded')
    >>> Settings(model="ollama/qwen2.5:7b").model_name
    'qwen2.5:7b'
    >>> "sk-" in repr(Settings(api_key="sk-test-0000000000"))
    False
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import AliasChoices, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from . import lexicon
from .errors import ConfigError

Strategy = Literal["auto", "whole", "sentence"]
Mode = Literal["auto", "tools", "json_schema", "json_object"]
STRATEGIES: tuple[str, ...] = get_args(Strategy)
MODES: tuple[str, ...] = get_args(Mode)

DEFAULT_MAX_ARTICLE_CHARS = 1_000_000

# Fields shown to no one: the key, and the run's live state.
_PRIVATE = frozenset({"api_key", "control"})


class _OnlyWhatIsPassed(BaseSettings):
    """A settings class that reads only its arguments: the environment is ``from_env``'s to read."""

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


class Environment(BaseSettings):
    """The environment variables a run reads; empty ones count as unset.

    >>> Environment.of({"SUMMARIZER_MODEL": "ollama/qwen2.5:7b", "OPENAI_API_KEY": ""}).values()
    {'model': 'ollama/qwen2.5:7b'}
    """

    model_config = SettingsConfigDict(case_sensitive=True, env_ignore_empty=True, extra="ignore",
                                      protected_namespaces=(), populate_by_name=False)

    api_key: str | None = Field(None, validation_alias="OPENAI_API_KEY", repr=False)
    base_url: str | None = Field(None, validation_alias=AliasChoices("OPENAI_BASE_URL", "OPENAI_API_BASE"))
    model: str | None = Field(None, validation_alias="SUMMARIZER_MODEL")
    model_path: Path | None = Field(None, validation_alias="SUMMARIZER_MODEL_PATH")

    @classmethod
    def of(cls, env: Mapping[str, str] | None = None) -> Environment:
        """The process environment, or ``env`` alone when given (``model_validate`` reads no other source)."""
        if env is None:
            return cls()
        return cls.model_validate({k: v for k, v in env.items() if v})

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class Settings(_OnlyWhatIsPassed):
    """Everything a run needs. Build it with ``Settings.from_env()`` or directly.

    >>> Settings(concurrency=2).with_(strategy="whole").strategy
    'whole'
    >>> Settings(strategy="psychic")
    Traceback (most recent call last):
    ...
    summarizer.errors.ConfigError: unknown strategy 'psychic': use one of auto, whole, sentence
    """

    model_config = SettingsConfigDict(frozen=True, extra="forbid", protected_namespaces=(),
                                      arbitrary_types_allowed=True, validate_default=False)

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = Field(None, repr=False, exclude=True)
    model_path: Path | None = None
    strategy: Strategy = "auto"
    mode: Mode = "auto"
    temperature: float = 0.0
    seed: int = 0
    max_retries: int | None = None  # validation re-asks (instructor); None: 1 embedded, 2 remote
    # Sentence questions answered in the text's own values (``extraction.options``): the grammar offers
    # only what grounding keeps, and a question the text settles is not asked. "auto": on for the
    # embedded model (a 135M model copies its prompt's examples), off for an endpoint (it chooses well).
    text_options: Literal["auto", "on", "off"] = "auto"
    transport_retries: int = 3  # connection / 429 / 5xx (tenacity)
    transport_retry_budget_s: float = 60.0  # no retry starts later than this after the first try
    transport_backoff_s: float = 0.5  # first backoff (doubling, jittered) when no Retry-After is sent
    timeout_s: float = 120.0
    concurrency: int = 4
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS
    n_ctx: int = 2048
    n_threads: int | None = None
    narrative: bool = True
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
    # The run's stop event and budget counters (a ``summarizer.control.Control``): state, not
    # configuration, so it is neither compared, hashed, shown nor serialized. ``Any``: the
    # object is the caller's, taken as it is.
    control: Any = Field(None, repr=False, exclude=True)

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise ConfigError(_say(exc)) from None

    # Compared and hashed on configuration alone (the batch's Dask workers key their state by it).
    def _config(self) -> tuple[Any, ...]:
        return tuple(v for k, v in self.__dict__.items() if k != "control")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._config() == other._config()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._config())

    @model_validator(mode="after")
    def _check(self) -> Settings:
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

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` (or ``OPENAI_API_BASE``),
        ``SUMMARIZER_MODEL`` and ``SUMMARIZER_MODEL_PATH`` (``env``, or the process environment);
        explicit ``overrides`` (e.g. CLI flags) win when not None.

        >>> Settings.from_env({"SUMMARIZER_MODEL": "ollama/qwen2.5:7b"}, strategy="whole").provider
        'ollama'
        """
        values = Environment.of(env).values()
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def validated(self) -> Settings:
        """Kept for callers: a ``Settings`` is checked when it is built."""
        return self

    def with_(self, **changes: object) -> Settings:
        """A copy with ``changes``, checked again."""
        return type(self)(**{**self.__dict__, **changes})

    def controlled(self, events: object = None, tokens: bool = True) -> Settings:
        """These settings with a fresh ``Control`` for one run: its budgets, a stop event, and
        ``events`` (a ``control.Events``) to hear its progress. ``tokens=False``: the token budget
        is kept elsewhere (batch counts it per article)."""
        from .control import Control

        return self.model_copy(update={"control": Control(self.max_calls, self.max_tokens_total if tokens else None,
                                                          self.deadline_s, events=events)})  # type: ignore[arg-type]

    @property
    def provider(self) -> str:
        """The backend family: 'embedded', one of the OpenAI-compatible providers, or a prefix
        given to ``summarizer.register_backend``."""
        if self.model_path is not None:
            return "embedded"
        prefix, _, rest = (self.model or "").partition("/")
        if rest and _registered(prefix):
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
        if rest and _registered(prefix):
            return rest
        return self.model

    @property
    def lexicon(self) -> lexicon.Lexicon:
        """The compiled word lists for this run (built once per set of files)."""
        return lexicon.load(tuple(str(p) for p in self.lexicon_files))

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.api_key,) if self.api_key else ()


def _registered(prefix: str) -> bool:
    """A provider a model string may name as "provider/model": a built-in one or one given to
    ``summarizer.register_backend`` (``summarizer.backends`` registers both the same way)."""
    from .backends import registered

    return prefix in registered()


def _say(exc: ValidationError) -> str:
    """A validation error as one line that says what to do (never the value of the key)."""
    parts = []
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else "settings"
        value = "[REDACTED]" if name in _PRIVATE else repr(err.get("input"))
        if name == "strategy":
            parts.append(f"unknown strategy {value}: use one of {', '.join(STRATEGIES)}")
        elif name == "mode":
            parts.append(f"unknown mode {value}: use one of {', '.join(MODES)}")
        elif err["type"] == "extra_forbidden":
            parts.append(f"unknown setting {name!r}")
        else:
            parts.append(f"{name}: {err['msg']} (got {value})")
    return "; ".join(parts)
