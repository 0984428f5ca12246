"""Two speed-ups for llama-cpp-python that leave every generated token as it was.

**Grammar-first greedy sampling.**

llama-cpp-python applies a JSON-schema grammar to every one of the vocabulary's ~49,000 candidate
tokens before each greedy pick. On SmolLM2-135M that check costs more than the forward pass
itself (about 20 ms of every 35 ms token on 2 cores). llama.cpp's own server avoids it by asking
the grammar about the unconstrained best token first and constraining the whole vocabulary only
when that token is refused. This does the same from Python.

It is exact for greedy decoding (temperature 0, no penalties, no logits processors): greedy takes
the first highest logit among the tokens the grammar allows, so when the unconstrained winner is
allowed it *is* that token; otherwise llama.cpp's full grammar check runs. Anything else falls back to
llama-cpp-python's own sampler chain.

**One saved prompt prefix per kind of question.** llama.cpp reuses the KV cache only for the
prefix a prompt shares with the *previous* one; the pipeline alternates between a few prompt kinds
(casualty, statement, event questions), and each switch re-reads a ~300-token instruction block
(about 1.5 s on 2 cores). Before a switch the current state is saved; a prompt that shares a long
prefix with a saved state restores it, and llama.cpp's own prefix match then evaluates only the
rest. (llama-cpp-python's ``LlamaRAMCache`` would do this too, but copies every logit row it
holds, ~80 MB per save here.)
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from typing import Any

import numpy as np

_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)])


class _GrammarFirst:
    """One generation's grammar state, and the greedy pick that consults it lazily."""

    def __init__(self, llama_cpp: Any, vocab: Any, grammar: Any, n_vocab: int):
        self._c = llama_cpp
        self._sampler = llama_cpp.llama_sampler_init_grammar(
            vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8"))
        if not self._sampler:
            raise ValueError("llama.cpp could not parse the grammar")
        self._n_vocab = n_vocab
        self._one = (llama_cpp.llama_token_data * 1)()
        self._all = (llama_cpp.llama_token_data * n_vocab)()
        self._all_view = np.frombuffer(self._all, dtype=_TOKEN_DATA)
        self._all_view["id"] = np.arange(n_vocab, dtype=np.int32)  # the grammar changes logits, never ids
        self.full_checks = 0  # how often the unconstrained winner was refused (for benchmarks)

    def _allowed(self, data: Any, size: int) -> None:
        arr = self._c.llama_token_data_array(
            data=ctypes.cast(data, ctypes.POINTER(self._c.llama_token_data)), size=size, selected=-1, sorted=False)
        self._c.llama_sampler_apply(self._sampler, ctypes.byref(arr))

    def pick(self, logits: np.ndarray) -> int:
        token = int(np.argmax(logits))
        self._one[0].id, self._one[0].logit, self._one[0].p = token, float(logits[token]), 0.0
        self._allowed(self._one, 1)
        if self._one[0].logit == float("-inf"):
            self.full_checks += 1
            view = self._all_view
            view["logit"] = logits
            view["p"] = 0.0
            self._allowed(self._all, self._n_vocab)
            token = int(np.argmax(view["logit"]))
        self._c.llama_sampler_accept(self._sampler, token)
        return token

    def close(self) -> None:
        if self._sampler:
            self._c.llama_sampler_free(self._sampler)
            self._sampler = None


MIN_SHARED = 64  # tokens: below this a prompt starts a new kind of question (the chat header is shared)
MAX_STATES = 4  # saved prefixes kept; the pipeline asks three kinds of sentence question


def _shared(a: np.ndarray, b: np.ndarray) -> int:
    n = min(len(a), len(b))
    differ = np.flatnonzero(a[:n] != b[:n])
    return int(differ[0]) if len(differ) else n


class _Saved:
    """The model's state (KV cache included) after ``ids``, as llama.cpp serialises it."""

    def __init__(self, llama_cpp: Any, ctx: Any, ids: np.ndarray):
        size = llama_cpp.llama_state_get_size(ctx)
        buf = (ctypes.c_uint8 * size)()
        self.size = int(llama_cpp.llama_state_get_data(ctx, buf, size))
        self.data = buf
        self.ids = ids.copy()


def grammar_first_llama(base: type) -> type:
    """A subclass of ``llama_cpp.Llama`` whose greedy, grammar-constrained generations check the
    grammar lazily. Built on demand so importing this module needs no llama-cpp-python."""
    import llama_cpp

    class GrammarFirstLlama(base):  # type: ignore[misc,valid-type]
        _grammar_first: _GrammarFirst | None = None
        full_checks = 0
        prefix_restores = 0

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[_Saved] = []  # most recently used last

        def _resume_prefix(self, tokens: Any) -> None:
            """Save the current state when this prompt leaves it; restore a saved one it shares more with."""
            saved = self._saved
            want = np.asarray(tokens, dtype=np.intc)
            here = self.input_ids[:self.n_tokens]
            shared = _shared(here, want)
            if shared >= MIN_SHARED or len(want) < MIN_SHARED:
                return
            if self.n_tokens >= MIN_SHARED and not any(_shared(s.ids, here) >= MIN_SHARED for s in saved):
                saved.append(_Saved(llama_cpp, self._ctx.ctx, here))
                del saved[:-MAX_STATES]
            best = max(saved, key=lambda s: _shared(s.ids, want), default=None)
            if best is None or _shared(best.ids, want) < MIN_SHARED:
                return
            if llama_cpp.llama_state_set_data(self._ctx.ctx, best.data, best.size) != best.size:
                return  # not restored: llama.cpp evaluates the whole prompt, as it would anyway
            saved.remove(best)
            saved.append(best)
            self.input_ids[:len(best.ids)] = best.ids
            self.n_tokens = len(best.ids)
            self.prefix_restores += 1

        def generate(self, tokens: Any, *args: Any, **kwargs: Any) -> Iterator[int]:
            if kwargs.get("reset", True):
                self._resume_prefix(tokens)
            grammar = kwargs.get("grammar")
            exact = (grammar is not None and kwargs.get("temp", 0.8) == 0.0
                     and kwargs.get("repeat_penalty", 1.0) == 1.0 and not kwargs.get("frequency_penalty")
                     and not kwargs.get("presence_penalty") and kwargs.get("logits_processor") is None
                     and not args)
            if not exact:
                yield from super().generate(tokens, *args, **kwargs)
                return
            state = _GrammarFirst(llama_cpp, self._model.vocab, grammar, self.n_vocab())
            self._grammar_first = state
            try:
                # The chain llama-cpp-python builds is then greedy alone: no full-vocabulary pass.
                yield from super().generate(tokens, **{**kwargs, "grammar": None})
            finally:
                self._grammar_first = None
                self.full_checks += state.full_checks
                state.close()

        def sample(self, *args: Any, idx: int | None = None, **kwargs: Any) -> int:
            state = self._grammar_first
            if state is None:
                return super().sample(*args, idx=idx, **kwargs)
            row = idx - self.n_tokens if idx is not None else -1
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(self._ctx.ctx, row),
                                           shape=(self.n_vocab(),))
            return state.pick(logits)

    return GrammarFirstLlama
