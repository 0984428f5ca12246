"""Near-duplicate articles: the same wire text republished with other furniture.

MinHash signatures of word 5-shingles with datasketch's LSH index. Only the article's prose
lines (``PROSE_WORDS`` words or more) are shingled: headlines, bylines, datelines, "Follow us"
lines and photo credits are short lines, and they are exactly what republishers change. A
candidate the index returns is kept only when the estimated Jaccard similarity of the two
signatures reaches ``threshold``, so a duplicate is never just "in the same bucket".
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

PROSE_WORDS = 12
SHINGLE = 5
NUM_PERM = 128
SCHEME = "affine32"  # named, so signatures stored by one datasketch version read back in the next
# Shingles are hashed with CRC-32 (deterministic across processes, in C): datasketch's default
# SHA-1 per shingle was a third of the time per article; the permutations spread the values.
_WORD = re.compile(r"\w+")


def prose_words(text: str) -> list[str]:
    """The lower-cased words of the article's prose lines (short lines are furniture or headlines)."""
    words: list[str] = []
    for line in text.split("\n"):
        w = _WORD.findall(line.lower())
        if len(w) >= PROSE_WORDS:
            words += w
    return words


def shingles(text: str) -> set[bytes]:
    """Each run of ``SHINGLE`` prose words, joined by spaces, as UTF-8: sliced out of the words
    joined and encoded once (a slice per shingle, not a join and an encoding)."""
    w = prose_words(text)
    if len(w) < SHINGLE:
        return {" ".join(w).encode()} if w else set()
    joined = " ".join(w).encode()
    sizes = np.fromiter(map(len, w), np.int64, len(w))
    if len(joined) != len(w) - 1 + int(sizes.sum()):  # not all ASCII: the words' sizes in bytes
        sizes = np.fromiter(map(len, map(str.encode, w)), np.int64, len(w))
    ends = np.cumsum(sizes + 1) - 1
    starts = (ends - sizes)[: len(w) - SHINGLE + 1].tolist()
    return set(map(joined.__getitem__, map(slice, starts, ends[SHINGLE - 1:].tolist())))


def signature(text: str) -> MinHash | None:
    """The article's MinHash, or None when it has no prose to compare (never a duplicate then)."""
    sh = shingles(text)
    if len(sh) < 3:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=zlib.crc32, permutations=_PERMUTATIONS)
    m.update_batch(list(sh))
    return m


def to_bytes(m: MinHash) -> bytes:
    return m.hashvalues.astype(np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=zlib.crc32, permutations=_PERMUTATIONS,
                   hashvalues=np.frombuffer(data, dtype=np.uint64))


# The permutations depend only on the seed: made once, not per article (a third of a signature's time).
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


@dataclass
class Match:
    original: str
    similarity: float


class Deduper:
    """An LSH index of the articles seen; ``find`` names the earliest near-duplicate of an article."""

    def __init__(self, threshold: float = 0.7):
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.sigs: dict[str, MinHash] = {}
        self.order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.sigs)

    def find(self, sig: MinHash | None) -> Match | None:
        if sig is None:
            return None
        best: Match | None = None
        for key in self.lsh.query(sig):
            sim = float(sig.jaccard(self.sigs[key]))
            if sim >= self.threshold and (best is None or (sim, -self.order[key]) > (best.similarity,
                                                                                       -self.order[best.original])):
                best = Match(key, sim)
        return best

    def add(self, key: str, sig: MinHash | None) -> None:
        if sig is None or key in self.sigs:
            return
        self.lsh.insert(key, sig)
        self.sigs[key] = sig
        self.order[key] = len(self.order)
