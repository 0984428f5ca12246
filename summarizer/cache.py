"""A persistent cache of per-article extractions, in SQLite.

An extraction depends on the article's normalized text and on how it was asked: backend and
model, prompt files (their version tags), schema version, strategy, sampling settings and this
package's version (grounding rules live in code). All of that enters the key, so a changed prompt
or schema invalidates exactly the extractions it produced and nothing else. Only successful
extractions are stored: a failure may be transient, and the next run should try again.

The same text under two names or in two clusters is extracted once; the stored record is
re-labelled with the asking article's id (citations included) on the way out.

It also remembers, per backend and model, that ``--strategy auto`` found the model unable to
answer whole articles (``strategy_outcomes``), so the next run asks it sentences from the start.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .schemas import EXTRACTION_SCHEMA_VERSION, ArticleExtraction, ArticleStatus

log = logging.getLogger(__name__)

_DDL = """
CREATE TABLE IF NOT EXISTS extractions (
    key TEXT PRIMARY KEY,
    article_sha256 TEXT NOT NULL,
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    strategy TEXT NOT NULL,
    created REAL NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS strategy_outcomes (
    key TEXT PRIMARY KEY,
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    verdict TEXT NOT NULL,
    created REAL NOT NULL
)
"""


def cache_key(article_sha256: str, parts: dict[str, Any]) -> str:
    blob = json.dumps({"article": article_sha256, **parts, "schema": EXTRACTION_SCHEMA_VERSION}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def _relabel(data: Any, old: str, new: str) -> Any:
    """Point every ``article_id`` at the asking article (the text is the same, the name is not)."""
    if isinstance(data, dict):
        return {k: (new if k == "article_id" and v == old else _relabel(v, old, new)) for k, v in data.items()}
    if isinstance(data, list):
        return [_relabel(v, old, new) for v in data]
    return data


class ExtractionCache:
    """Thread-safe: one connection behind a lock (writes are tiny next to a model call), and a
    per-key lock so two workers asking for the same article wait for one extraction."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA busy_timeout=10000")
            self._db.executescript(_DDL)
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open the cache {self.path}: {exc}; pass --cache PATH or --no-cache") from exc
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self.hits = 0
        self.misses = 0
        self.stores = 0

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM extractions").fetchone()[0])

    def get(self, key: str) -> ArticleExtraction | None:
        with self._lock:
            row = self._db.execute("SELECT payload FROM extractions WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return ArticleExtraction.model_validate_json(row[0])
        except ValueError:  # written by an incompatible version: treat as absent
            log.info("cache entry %s does not validate against this version; asking again", key[:12], exc_info=True)
            return None

    def put(self, key: str, extraction: ArticleExtraction, parts: dict[str, Any]) -> None:
        if extraction.status != ArticleStatus.OK:
            return
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO extractions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, extraction.sha256, str(parts.get("backend")), str(parts.get("model")),
                 str(parts.get("prompt_version")), EXTRACTION_SCHEMA_VERSION, str(parts.get("strategy")),
                 time.time(), extraction.model_dump_json()),
            )
            self.stores += 1

    def lookup(self, article_id: str, key: str) -> ArticleExtraction | None:
        """The stored extraction for ``key``, relabelled for ``article_id`` with ``cached=True``,
        or None (counted as a miss). Used alone by a driver whose extractions run elsewhere."""
        hit = self.get(key)
        with self._lock:
            if hit is None:
                self.misses += 1
                return None
            self.hits += 1
        data = _relabel(hit.model_dump(mode="json"), hit.article_id, article_id)
        data["cached"] = True
        return ArticleExtraction.model_validate(data)

    def get_outcome(self, key: str) -> str | None:
        """Why ``--strategy auto`` gave up whole articles for this model in an earlier run, if it did."""
        with self._lock:
            row = self._db.execute("SELECT verdict FROM strategy_outcomes WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def put_outcome(self, key: str, backend: str, model: str, verdict: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO strategy_outcomes VALUES (?, ?, ?, ?, ?)",
                             (key, backend, model, verdict, time.time()))

    def get_or_extract(
        self,
        article_id: str,
        article_sha256: str,
        parts: dict[str, Any],
        extract: Callable[[], ArticleExtraction],
    ) -> ArticleExtraction:
        """The cached extraction (relabelled, ``cached=True``) or a fresh one, stored if it succeeded."""
        key = cache_key(article_sha256, parts)
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            hit = self.lookup(article_id, key)
            if hit is not None:
                return hit
            fresh = extract()
            self.put(key, fresh, parts)
            return fresh
