"""``--strategy auto``: ask the whole article first, fall back per article, remember the verdict.

On an endpoint, ``auto`` asks the whole-article question first. The article falls back to the
sentence strategy when that answer

* was cut off at ``max_tokens`` or is not JSON at all: decided on the first such answer, with no
  re-ask (at temperature 0 a re-ask repeats the loop); or never came within the read timeout (a
  slow local server generating a looping answer; measured here: SmolLM2 on 2 busy cores spent over
  120 s on article 004's whole-article answer);
* grounds too little: fewer than 30% of its records kept, or no casualty or statement record kept
  from an article with two or more candidate sentences (see ``too_little``).

The first fallback is remembered per backend and model (``Memo``) for the rest of the run, and in
the extraction cache when there is one, so a model that cannot answer whole articles is asked a
whole article once, not once per article. Until a model has answered one whole article, only one
whole-article call is in flight (the others wait for its verdict), so ``auto`` wastes at most one
call per model per run. (A model that did answer one may still fail a later article: the whole
calls already in flight then finish, at most ``--concurrency`` of them, and the rest ask sentences.)
The embedded model keeps its sentence default; an explicit ``whole`` or
``sentence`` means exactly that, with no fallback.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ..backends import Backend
from ..settings import Settings
from . import prompts

log = logging.getLogger(__name__)

WHOLE, SENTENCE, AUTO = "whole", "sentence", "auto"

# Why a whole-article answer was given up; each reads after "sentence after whole ...".
CUT_OFF = "was cut off"
UNPARSED = "could not be parsed"
TIMED_OUT = "timed out"  # no answer within --timeout: a slow server generating a looping answer
TOO_LITTLE = "grounded too little"

NOTICE = "the model could not answer whole articles; using sentence-focused questions"

# --- what a whole-article answer may cost -------------------------------------------------
# Measured on the hand-written proposals of all seven example clusters (a correct reading of each
# of 24 articles, serialized compactly as the schema asks, in SmolLM2 tokens; see
# benchmarks/auto_thresholds.py and .txt): a full answer takes at most 2.24 tokens per 4 characters
# of article (the densest cluster's articles, 22-32 records each, every record quoting its sentence; median
# 0.92). The cap allows 2.5 per 4 characters plus a 256-token JSON frame: every correct answer under
# the ceiling fits, and a looping one stops near its article's size instead of at the context's end
# (a 600-character article: 631 tokens, not 2048). The ceiling is 2048 (700 in process), which one
# dense answer (32 records, 2,072 tokens) would overrun: chunking is what helps there.
ANSWER_TOKENS_PER_CHUNK_TOKEN = 2.5
ANSWER_TOKENS_BASE = 256
CHARS_PER_TOKEN = 4  # English news measures 4.2-4.8 with SmolLM2's tokenizer: sizes chunks, rounds the cap up


def answer_token_cap(chunk_chars: int, ceiling: int = 2048) -> int:
    """``max_tokens`` for a whole-article answer about ``chunk_chars`` of text."""
    scaled = ANSWER_TOKENS_BASE + ANSWER_TOKENS_PER_CHUNK_TOKEN * (chunk_chars / CHARS_PER_TOKEN)
    return min(ceiling, int(scaled + 0.5))


# --- "grounds too little" -------------------------------------------------------------------
# Measured on the same correct readings: grounding keeps at least a third of an article's
# proposals (1 of 3 once, where today's rules reject two correct readings; then 1 of 2; median all)
# and every article with two or more candidate sentences (a casualty figure, a quotation or a named
# speaker) keeps at least one casualty or statement record; two articles with a single candidate
# keep none. So a correct reader never trips either rule below, while an answer that invents its
# evidence or answers nothing does.
MIN_KEPT_FRACTION = 0.3
MIN_PROPOSALS = 3  # one or two dropped proposals say little about the model
MIN_CANDIDATES = 2


def too_little(proposed: int, kept: int, kept_casualty_or_statement: int, candidate_sentences: int) -> str | None:
    """Why a parsed whole-article answer grounds too little to trust, or None."""
    if proposed >= MIN_PROPOSALS and kept < MIN_KEPT_FRACTION * proposed:
        return f"kept {kept} of {proposed} records"
    if candidate_sentences >= MIN_CANDIDATES and not kept_casualty_or_statement:
        return f"no casualty or statement record from {candidate_sentences} candidate sentences"
    return None


# --- which strategy ---------------------------------------------------------------------------


def requested(settings: Settings, backend: Backend) -> str:
    """``whole``, ``sentence`` or ``auto`` (whole first, with fallback: endpoints only)."""
    if settings.strategy != AUTO:
        return settings.strategy
    return AUTO if backend.default_strategy == WHOLE else backend.default_strategy


def fallback_label(why: str) -> str:
    return f"{SENTENCE} after {WHOLE} {why}"


class OutcomeStore(Protocol):
    """Where verdicts outlive the run (the extraction cache)."""

    def get_outcome(self, key: str) -> str | None: ...

    def put_outcome(self, key: str, backend: str, model: str, verdict: str) -> None: ...


@dataclass(frozen=True)
class Plan:
    """What one article does: ask the whole article (``probe`` when it is the model's first), or
    go straight to sentences because the model already failed (``label`` says why)."""

    whole: bool
    label: str = ""
    probe: bool = False


def outcome_key(backend: Backend, settings: Settings) -> str:
    """A model's verdict holds for this backend, model, output mode and whole-article prompt."""
    parts = [backend.name, backend.model, str(getattr(backend, "mode", None)),
             prompts.load("whole_article", settings.prompts_dir).tag]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


class Memo:
    """Per run: what ``auto`` has learned about each model. Thread-safe; one per run."""

    def __init__(self, store: OutcomeStore | None = None, notify: Callable[[str], None] | None = None):
        self.store = store
        self.notify = notify
        self._cond = threading.Condition()
        self._failed: dict[str, str] = {}  # key -> why whole failed
        self._proven: set[str] = set()  # keys whose model answered one whole article
        self._probing: set[str] = set()
        self._checked: set[str] = set()  # keys looked up in the store
        self._earlier_run: set[str] = set()  # keys whose failure the store remembered
        self._announced = False

    def plan(self, key: str) -> Plan:
        """Wait while another article probes this model, then say what to do."""
        with self._cond:
            while True:
                why = self._failed.get(key)
                if why is None and key not in self._checked:
                    self._checked.add(key)
                    stored = self.store.get_outcome(key) if self.store is not None else None
                    if stored:
                        self._failed[key] = why = stored
                        self._earlier_run.add(key)
                        self._announce(f"{NOTICE} (whole {stored} in an earlier run)")
                if why is not None:
                    when = "in an earlier run" if key in self._earlier_run else "on an earlier article"
                    return Plan(False, f"{SENTENCE} (whole {why} {when})")
                if key in self._proven:
                    return Plan(True)
                if key not in self._probing:
                    self._probing.add(key)
                    return Plan(True, probe=True)
                self._cond.wait()

    def learn(self, key: str, why: str | None, backend: str = "", model: str = "") -> None:
        """Record a whole-article outcome: ``why`` it failed, or None when it worked."""
        with self._cond:
            self._probing.discard(key)
            if why is None:
                self._proven.add(key)
            elif key not in self._failed:
                self._failed[key] = why
                log.info("%s: %s (whole %s)", model or key, NOTICE, why)
                self._announce(NOTICE)
                if self.store is not None:
                    self.store.put_outcome(key, backend, model, why)
            self._cond.notify_all()

    def abandon(self, key: str) -> None:
        """The probe ended without a verdict (a transport error): let another article probe."""
        with self._cond:
            self._probing.discard(key)
            self._cond.notify_all()

    def _announce(self, message: str) -> None:
        if not self._announced:
            self._announced = True
            if self.notify is not None:
                self.notify(message)
