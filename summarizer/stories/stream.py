"""The stream's decisions, article by article: a near-duplicate of an article already seen, or a
member of a story (an existing one or a new one). No I/O: the runner stores what this decides,
and benchmarks drive it directly."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from .cluster import Clusterer, Counts, Rows, Weights
from .dedup import Deduper, signature


def counts_to_bytes(c: Counts) -> bytes:
    """An article's counts as stored: its column indices (int32), then their values (float32)."""
    return c.row.indices.astype(np.int32).tobytes() + c.row.data.astype(np.float32).tobytes()


def counts_from_bytes(data: bytes) -> Counts:
    n = len(data) // 8
    indices = np.frombuffer(data, np.int32, n)
    values = np.frombuffer(data, np.float32, n, offset=4 * n)
    return Counts(Rows(values.copy(), indices.copy(), np.array([0, n], np.int32)))


@dataclass
class Item:
    """An article as the stream sees it: ``time`` in epoch seconds when it is known (a feed's
    time, metadata, a date its text states), else None: clustered on its content alone."""

    key: str
    title: str
    text: str
    time: float | None


@dataclass
class Restored:
    """An article placed by an earlier run, as stored: its story, the article it duplicates, its
    MinHash signature."""

    item: Item
    story: str
    duplicate_of: str | None = None
    signature: MinHash | None = None
    counts: Counts | None = None  # as stored; None: made again from the text
    live: bool = True  # False: its story is past the window, so only the IDF and dedup take it


@dataclass
class Placed:
    key: str
    story: str
    duplicate_of: str | None = None  # the earlier article with the same text (the one briefed)
    similarity: float = 0.0  # to the story joined, or to the original for a duplicate
    new_story: bool = False
    signature: MinHash | None = None
    counts: Counts | None = None  # the article's term counts (None for a duplicate: not clustered)


class Stream:
    """Dedup first, then cluster the originals; a duplicate goes where its original went."""

    def __init__(self, weights: Weights | None = None, dup_threshold: float = 0.7):
        self.clusterer = Clusterer(weights or Weights())
        self.deduper = Deduper(dup_threshold)
        self.story_of: dict[str, str] = {}
        self._since_expiry = 0

    def place_many(self, items: list[Item]) -> list[Placed]:
        """Place a batch of articles one by one in their order (the clustering stays online and
        single-pass); only their vectors are made at once, which is what costs."""
        if not items:
            return []
        counts = self.clusterer.vectors_many([i.title for i in items], [i.text for i in items])
        return [self.place(item, counts=c) for item, c in zip(items, counts, strict=True)]

    def place(self, item: Item, new_story_id: str | None = None, counts: Counts | None = None) -> Placed:
        sig = signature(item.text)
        match = self.deduper.find(sig)
        if match is not None and match.original in self.story_of:
            story = self.story_of[match.original]
            self.story_of[item.key] = story
            return Placed(item.key, story, match.original, match.similarity, signature=sig)
        counts = counts or self.clusterer.vectors(item.title, item.text)
        decision = self.clusterer.add(new_story_id, counts, item.time)
        self.deduper.add(item.key, sig)
        self.story_of[item.key] = decision.story
        self._since_expiry += 1
        if self._since_expiry >= 500:
            self.clusterer.expire()
            self._since_expiry = 0
        return Placed(item.key, decision.story, None, decision.score, decision.new, sig, counts)

    def restore(self, item: Item, story: str, duplicate_of: str | None, sig: MinHash | None,
                counts: Counts | None = None) -> None:
        """Replay an article placed by an earlier run: the same story, nothing decided again."""
        self.story_of[item.key] = story
        if duplicate_of is not None:
            return
        self.clusterer.absorb(story, counts or self.clusterer.vectors(item.title, item.text), item.time)
        self.deduper.add(item.key, sig)

    def restore_many(self, stored: list[Restored]) -> None:
        """Replay a batch in arrival order: the stored counts, else vectors made at once (duplicates
        need none). An article whose story is past the window is counted into the IDF and the
        dedup index only, as the stream that placed it still counts it."""
        missing = [r.item for r in stored if r.duplicate_of is None and r.counts is None]
        made = iter(self.clusterer.vectors_many([i.title for i in missing], [i.text for i in missing])
                    if missing else [])
        for r in stored:
            counts = r.counts or (next(made) if r.duplicate_of is None else None)
            if r.live:
                self.restore(r.item, r.story, r.duplicate_of, r.signature, counts)
                continue
            self.story_of[r.item.key] = r.story
            self.clusterer.reserve(r.story)
            if counts is not None:
                self.clusterer.count(counts)
                self.deduper.add(r.item.key, r.signature)

    def next_story_id(self) -> str:
        return f"s{self.clusterer._next}"
