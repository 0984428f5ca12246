"""The stream's decisions, article by article: a near-duplicate of an article already seen, or a
member of a story (an existing one or a new one). No I/O: the runner stores what this decides,
and benchmarks drive it directly."""

from __future__ import annotations

from dataclasses import dataclass

from datasketch import MinHash

from .cluster import Clusterer, Counts, Weights
from .dedup import Deduper, signature


@dataclass
class Item:
    """An article as the stream sees it: ``time`` in epoch seconds when it is known (a feed's
    time, metadata, a date its text states), else None: clustered on its content alone."""

    key: str
    title: str
    text: str
    time: float | None


@dataclass
class Placed:
    key: str
    story: str
    duplicate_of: str | None = None  # the earlier article with the same text (the one briefed)
    similarity: float = 0.0  # to the story joined, or to the original for a duplicate
    new_story: bool = False
    signature: MinHash | None = None


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
        counts = self.clusterer.vectors_many([i.title for i in items], [i.text for i in items])
        return [self.place(item, counts=c) for item, c in zip(items, counts, strict=True)]

    def place(self, item: Item, new_story_id: str | None = None, counts: Counts | None = None) -> Placed:
        sig = signature(item.text)
        match = self.deduper.find(sig)
        if match is not None and match.original in self.story_of:
            story = self.story_of[match.original]
            self.story_of[item.key] = story
            return Placed(item.key, story, match.original, match.similarity, signature=sig)
        decision = self.clusterer.add(new_story_id, counts or self.clusterer.vectors(item.title, item.text), item.time)
        self.deduper.add(item.key, sig)
        self.story_of[item.key] = decision.story
        self._since_expiry += 1
        if self._since_expiry >= 500:
            self.clusterer.expire()
            self._since_expiry = 0
        return Placed(item.key, decision.story, None, decision.score, decision.new, sig)

    def restore(self, item: Item, story: str, duplicate_of: str | None, sig: MinHash | None) -> None:
        """Replay an article placed by an earlier run: the same story, nothing decided again."""
        self.story_of[item.key] = story
        if duplicate_of is not None:
            return
        self.clusterer.absorb(story, self.clusterer.vectors(item.title, item.text), item.time)
        self.deduper.add(item.key, sig)

    def next_story_id(self) -> str:
        return f"s{self.clusterer._next}"
