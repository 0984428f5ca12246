"""The stream's state in SQLite (``<out>/stories.sqlite``): feeds and their validators, every
article seen (its text as given, so a story can be briefed again without its source), its story
or the article it duplicates, and the briefing made for each story and from which articles.

Articles are committed a batch at a time (``add_many``: one transaction, each article with its
story, so an article is recorded with its membership or not at all); a feed's ETag and
Last-Modified are committed only after all its items are, so a run killed at any instant (even
``kill -9``) loses nothing: the next run re-reads what was not committed and skips what was.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from .cluster import FEATURES_VERSION

_DDL = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked REAL, error TEXT
);
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,          -- the article id citations name
    sha256 TEXT NOT NULL,             -- of the cleaned text: the same text is one article
    source TEXT NOT NULL,             -- path, path:line or URL it was read from
    url TEXT, publisher TEXT, title TEXT, published TEXT,
    time REAL NOT NULL,               -- published, else first seen (epoch seconds)
    indexes TEXT NOT NULL, encoding TEXT,
    given TEXT NOT NULL,              -- the text as given: what citations index
    story TEXT NOT NULL,
    duplicate_of TEXT,                -- id of the earlier copy that is briefed
    similarity REAL NOT NULL DEFAULT 0,
    signature BLOB,
    counts BLOB                       -- its term counts (stream.counts_to_bytes): no re-vectorizing
);
CREATE INDEX IF NOT EXISTS articles_sha ON articles(sha256);
CREATE INDEX IF NOT EXISTS articles_url ON articles(url);
CREATE INDEX IF NOT EXISTS articles_story ON articles(story);
CREATE TABLE IF NOT EXISTS briefings (
    story TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,        -- the article ids (and duplicates) it was made from
    articles TEXT NOT NULL,           -- JSON list of those ids
    briefing TEXT NOT NULL,           -- the Briefing's JSON
    changes TEXT NOT NULL,            -- JSON: what changed since the one before
    made REAL NOT NULL
);
"""


@dataclass
class Row:
    seq: int
    id: str
    sha256: str
    source: str
    url: str | None
    publisher: str | None
    title: str | None
    published: str | None
    time: float
    indexes: str
    encoding: str | None
    given: str
    story: str
    duplicate_of: str | None
    similarity: float
    signature: bytes | None
    counts: bytes | None = None


@dataclass
class BriefingRow:
    story: str
    fingerprint: str
    articles: list[str]
    briefing: str
    changes: str
    made: float


@dataclass
class FeedRow:
    url: str
    etag: str | None
    last_modified: str | None


class State:
    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a commit survives the process being killed at any instant (kill -9);
            # only a power cut may lose the last commits, which the next run then reads again.
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA busy_timeout=10000")
            self.db.executescript(_DDL)
            columns = {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}
            if "counts" not in columns:  # a state made before the counts were kept: read as NULL
                self.db.execute("ALTER TABLE articles ADD COLUMN counts BLOB")
            if self.db.execute("PRAGMA user_version").fetchone()[0] != FEATURES_VERSION:
                # counts made by other tokenizing would be compared with new ones: make them again
                self.db.execute("UPDATE articles SET counts = NULL")
                self.db.execute(f"PRAGMA user_version = {int(FEATURES_VERSION)}")
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open the stories state {self.path}: {exc}; pass another --out") from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- articles -------------------------------------------------------------------------------
    def rows(self, texts: bool = True) -> Iterator[Row]:
        """Every article in arrival order; ``texts=False`` leaves out the text, the signature and
        the counts (``given`` is "", the blobs None): what listing the stories needs."""
        given, blobs = ("given", "signature, counts") if texts else ("''", "NULL, NULL")
        cur = self.db.execute("SELECT seq, id, sha256, source, url, publisher, title, published, time, indexes, "
                              f"encoding, {given}, story, duplicate_of, similarity, {blobs} FROM articles "
                              "ORDER BY seq")
        for r in cur:
            yield Row(*r)

    def texts(self, ids: list[str]) -> dict[str, str]:
        """The given texts of these articles, by id."""
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):  # under SQLite's bound-parameter limit
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(self.db.execute(f"SELECT id, given FROM articles WHERE id IN ({marks})", chunk).fetchall())
        return out

    def has_url(self, url: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE url = ? OR source = ?", (url, url)).fetchone() is not None

    def add_many(self, rows: list[Row]) -> None:
        """Record a batch of placed articles in one transaction: every article with its story, or
        none of them (a kill mid-batch leaves the batch to the next run, which places it again)."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT INTO articles (id, sha256, source, url, publisher, title, published, time, indexes, encoding, "
                "given, story, duplicate_of, similarity, signature, counts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(r.id, r.sha256, r.source, r.url, r.publisher, r.title, r.published, r.time, r.indexes, r.encoding,
                  r.given, r.story, r.duplicate_of, r.similarity, r.signature, r.counts) for r in rows])

    def story_rows(self, texts: bool = True) -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = {}
        for r in self.rows(texts):
            out.setdefault(r.story, []).append(r)
        return out

    # --- feeds ----------------------------------------------------------------------------------
    def feed(self, url: str) -> FeedRow | None:
        r = self.db.execute("SELECT url, etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone()
        return FeedRow(*r) if r else None

    def put_feed(self, url: str, etag: str | None, last_modified: str | None, checked: float,
                 error: str | None = None) -> None:
        with self.db:
            self.db.execute("BEGIN")
            if error is not None:  # keep the validators of the last good answer
                self.db.execute("INSERT INTO feeds (url, checked, error) VALUES (?, ?, ?) ON CONFLICT(url) DO "
                                "UPDATE SET checked = excluded.checked, error = excluded.error", (url, checked, error))
            else:
                self.db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?, NULL)",
                                (url, etag, last_modified, checked))

    # --- briefings ------------------------------------------------------------------------------
    def briefing(self, story: str) -> BriefingRow | None:
        r = self.db.execute("SELECT story, fingerprint, articles, briefing, changes, made FROM briefings "
                            "WHERE story = ?", (story,)).fetchone()
        if r is None:
            return None
        return BriefingRow(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5])

    def briefings(self) -> dict[str, BriefingRow]:
        """Every story's latest briefing, by story."""
        cur = self.db.execute("SELECT story, fingerprint, articles, briefing, changes, made FROM briefings")
        return {r[0]: BriefingRow(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5]) for r in cur}

    def put_briefing(self, b: BriefingRow) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("INSERT OR REPLACE INTO briefings VALUES (?, ?, ?, ?, ?, ?)",
                            (b.story, b.fingerprint, json.dumps(b.articles), b.briefing, b.changes, b.made))
