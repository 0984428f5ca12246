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


@dataclass
class _Cuts:
    """The prose words joined by spaces as UTF-8, and where each run of ``SHINGLE`` of them starts
    and ends in it: a shingle is a slice, with no join and no encoding of its own."""

    joined: bytes
    starts: list[int]
    ends: list[int]

    def shingles(self) -> list[bytes]:
        return [self.joined[a:b] for a, b in zip(self.starts, self.ends, strict=True)]


def _cuts(text: str) -> _Cuts:
    w = prose_words(text)
    joined = " ".join(w).encode()
    if len(w) < SHINGLE:
        return _Cuts(joined, [0], [len(joined)]) if w else _Cuts(joined, [], [])
    sizes = np.fromiter(map(len, w), np.int64, len(w))
    if len(joined) != len(w) - 1 + int(sizes.sum()):  # not all ASCII: the words' sizes in bytes
        sizes = np.fromiter(map(len, map(str.encode, w)), np.int64, len(w))
    ends = np.cumsum(sizes + 1) - 1
    return _Cuts(joined, (ends - sizes)[: len(w) - SHINGLE + 1].tolist(), ends[SHINGLE - 1:].tolist())


def shingles(text: str) -> set[bytes]:
    """Each run of ``SHINGLE`` prose words, joined by spaces, as UTF-8."""
    return set(_cuts(text).shingles())


def signature(text: str) -> MinHash | None:
    """The article's MinHash, or None when it has no prose to compare (never a duplicate then)."""
    cuts = _cuts(text)
    joined, crc32 = cuts.joined, zlib.crc32
    # a shingle seen twice changes no minimum, so no set of them is made unless too few distinct
    # values leave it to the shingles themselves to say whether there are three
    hashes = [crc32(joined[a:b]) for a, b in zip(cuts.starts, cuts.ends, strict=True)]
    if len(set(hashes)) < 3 and len(set(cuts.shingles())) < 3:
        return None
    # the values are the shingles' CRC-32 already: hashed by ``int``, they go in as they are
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=int, permutations=_PERMUTATIONS)
    m.update_batch(hashes)
    m.hashfunc = crc32  # a later ``update`` takes a shingle's bytes, as ``from_bytes``'s signatures do
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
