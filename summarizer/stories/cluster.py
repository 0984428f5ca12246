"""Online, single-pass story clustering (Miranda et al., "Multilingual Clustering of Streaming
News", EMNLP 2018): each article, in arrival order, joins the most similar live story or starts one.

An article is three sparse vectors, each from scikit-learn's ``HashingVectorizer`` (stateless, so
a vector made today equals one made next month and nothing has to be fitted or stored): the
words of its title, the words of its body, and its named entities (runs of capitalized words,
the places, people and organisations that tell two shootings on one day apart). Each is weighted
by an inverse document frequency counted online over every article seen, as the paper does.
A story keeps, per space, the sum of its articles' term vectors; it is weighted by the current
IDF and normalized when compared. Similarity to a story is a weighted sum of the three cosines,
times a Gaussian decay in the time since the story's last article; below ``threshold`` the
article starts a new story. Stories idle for longer than ``window_h`` are no longer candidates
(the paper's time window), which keeps the cost per article bounded as the stream grows.

Candidates come from an inverted index: a story is posted under its articles' entities and
highest-weighted body terms, and an article is compared with the stories posted under its own,
so the cost is not the number of live stories.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer
from sklearn.preprocessing import normalize

from ..ingest.furniture import is_furniture
from .dedup import PROSE_WORDS

N_FEATURES = 2**18
SPACES = ("title", "body", "entities")

# A run of capitalized words (with inner "of", "al-", "de" ...): a named entity, roughly. A word
# capitalized only because it starts a sentence is kept too; IDF weighs such common words down.
_ENTITY = re.compile(r"\b[A-Z][\w'’\-]*(?:\s+(?:(?:of|the|al|de|du|von|van|bin)\s+)?[A-Z][\w'’\-]*)*")
_TOKEN = r"(?u)\b[^\W\d_][\w'’\-]+\b"


def prose(text: str) -> str:
    """The article's prose lines: captions, credits, bylines, "Get breaking news alerts" and other
    furniture are short lines or lines the lexicon knows, and they are shared across stories by
    outlet, not by event."""
    lines = [ln for ln in text.split("\n") if len(ln.split()) >= PROSE_WORDS and not is_furniture(ln.strip())]
    return "\n".join(lines) or text


def entities(text: str) -> list[str]:
    """Named-entity-like phrases, lower-cased and joined (``"sayyida_zeinab"``); stop words alone dropped."""
    out = []
    for m in _ENTITY.finditer(text):
        words = [w for w in m.group(0).lower().replace("’", "'").split() if w not in ENGLISH_STOP_WORDS]
        if words and len("".join(words)) > 2:
            out.append("_".join(words))
    return out


@dataclass(frozen=True)
class Weights:
    """How the three similarities add up, and when an article starts a story. Chosen on the seven
    example clusters (``benchmarks/stories_quality.py``), not on the devset it is measured on."""

    title: float = 0.10
    body: float = 0.45
    entities: float = 0.45
    threshold: float = 0.15
    decay_h: float = 72.0  # Gaussian width of the time decay, hours
    window_h: float = 24.0 * 7  # a story idle longer than this takes no new article
    postings: int = 25  # body terms per article that post its story in the index
    link: float = 1.0  # weight of the best single member's similarity next to the centroid's
    members: int = 50  # the most recent articles a story compares one by one


@dataclass
class Vectors:
    """One article's raw term counts per space (1 x N_FEATURES CSR rows, sublinear and l2-normalized)."""

    title: sp.csr_matrix
    body: sp.csr_matrix
    entities: sp.csr_matrix

    def space(self, name: str) -> sp.csr_matrix:
        return getattr(self, name)


@dataclass
class StoryState:
    """What the clusterer keeps of a story: the sums of its articles' vectors and its last time."""

    id: str
    sums: dict[str, sp.csr_matrix]
    first: float
    last: float
    size: int = 0
    members: list[Vectors] = field(default_factory=list)


@dataclass
class Decision:
    story: str
    new: bool
    score: float  # similarity to the story joined (0.0 for a new story)


class _Vectorizers:
    def __init__(self) -> None:
        common = {"n_features": N_FEATURES, "alternate_sign": False, "norm": None, "dtype": np.float32}
        self.words = HashingVectorizer(stop_words="english", token_pattern=_TOKEN, **common)
        self.entities = HashingVectorizer(analyzer=lambda s: s.split(), lowercase=False, **common)

    def vectors(self, title: str, body: str) -> Vectors:
        body = prose(body)
        mats = [self.words.transform([title]), self.words.transform([body]),
                self.entities.transform([" ".join(entities(title + "\n" + body))])]
        out = []
        for m in mats:
            m = m.tocsr()
            m.data = 1.0 + np.log(m.data)  # sublinear tf, as TfidfTransformer(sublinear_tf=True)
            out.append(normalize(m))
        return Vectors(*out)


@dataclass
class Clusterer:
    """The online clusterer. ``add`` decides one article; state is in memory and can be rebuilt
    from stored assignments with ``absorb`` (no decision made again)."""

    weights: Weights = field(default_factory=Weights)
    n_docs: int = 0
    df: dict[str, np.ndarray] = field(default_factory=lambda: {s: np.zeros(N_FEATURES, np.float32) for s in SPACES})
    stories: dict[str, StoryState] = field(default_factory=dict)
    index: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    _vec: _Vectorizers = field(default_factory=_Vectorizers)
    _next: int = 1

    def vectors(self, title: str, body: str) -> Vectors:
        return self._vec.vectors(title, body)

    def _idf(self, space: str) -> np.ndarray:
        return (np.log((1.0 + self.n_docs) / (1.0 + self.df[space])) + 1.0).astype(np.float32)

    def _count(self, v: Vectors) -> None:
        self.n_docs += 1
        for s in SPACES:
            self.df[s][v.space(s).indices] += 1.0

    def _keys(self, v: Vectors, idf_body: np.ndarray) -> list[int]:
        """The index keys of an article: its entities (offset into their own key range) and its
        highest-weighted body terms."""
        body = v.body
        weights = body.data * idf_body[body.indices]
        top = body.indices[np.argsort(-weights)[: self.weights.postings]]
        return [int(i) for i in top] + [N_FEATURES + int(i) for i in v.entities.indices]

    def _similarities(self, v: Vectors, cands: list[StoryState], idfs: dict[str, np.ndarray]) -> np.ndarray:
        """Per candidate story: the larger of the article's similarity to the story's centroid and
        (times ``link``) to its most similar single article. The centroid keeps a story whole; the
        single article lets a story whose articles differ (a statement, a wire report) take a new
        one that is close to one of them."""
        w = self.weights
        centroid = np.zeros(len(cands), np.float32)
        counts = [len(st.members) for st in cands]
        member = np.zeros(sum(counts), np.float32)
        for s, weight in (("title", w.title), ("body", w.body), ("entities", w.entities)):
            d = normalize(v.space(s).multiply(idfs[s]).tocsr())
            if d.nnz == 0 or weight == 0:
                continue
            c = normalize(sp.vstack([st.sums[s] for st in cands]).multiply(idfs[s]).tocsr())
            centroid += w_cos(d, c) * weight
            if w.link:
                m = normalize(sp.vstack([x.space(s) for st in cands for x in st.members]).multiply(idfs[s]).tocsr())
                member += w_cos(d, m) * weight
        if not w.link:
            return centroid
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(int)
        return np.maximum(centroid, w.link * np.maximum.reduceat(member, starts))

    def add(self, story_id: str | None, v: Vectors, t: float) -> Decision:
        """Decide one article (``t``: its time, epoch seconds); ``story_id`` names a new story
        (None: ``s<n>``). Counts the article into the IDF first, as the stream has seen it."""
        self._count(v)
        idfs = {s: self._idf(s) for s in SPACES}
        keys = self._keys(v, idfs["body"])
        w = self.weights
        live = {sid for k in keys for sid in self.index.get(k, ())}
        cands = [self.stories[sid] for sid in sorted(live)
                 if abs(t - self.stories[sid].last) <= w.window_h * 3600]
        best, score = None, 0.0
        if cands:
            sims = self._similarities(v, cands, idfs)
            gaps = np.array([max(0.0, t - c.last) / 3600.0 for c in cands], np.float32)
            sims *= np.exp(-0.5 * (gaps / w.decay_h) ** 2)
            i = int(np.argmax(sims))
            if sims[i] >= w.threshold:
                best, score = cands[i], float(sims[i])
        if best is None:
            sid = story_id or f"s{self._next}"
            self._next += 1
            best = StoryState(sid, {s: v.space(s).copy() for s in SPACES}, t, t, 1, [v])
            self.stories[sid] = best
            new = True
        else:
            self._join(best, v, t)
            new = False
        for k in keys:
            self.index[k].add(best.id)
        return Decision(best.id, new, score)

    def _join(self, st: StoryState, v: Vectors, t: float) -> None:
        for s in SPACES:
            st.sums[s] = st.sums[s] + v.space(s)
        st.first, st.last = min(st.first, t), max(st.last, t)
        st.size += 1
        st.members = (st.members + [v])[-self.weights.members:]

    def absorb(self, story_id: str, v: Vectors, t: float) -> None:
        """Put an article back into a story it was assigned to in an earlier run."""
        self._count(v)
        st = self.stories.get(story_id)
        if st is None:
            self.stories[story_id] = StoryState(story_id, {s: v.space(s).copy() for s in SPACES}, t, t, 1, [v])
            m = re.fullmatch(r"s(\d+)", story_id)
            if m:
                self._next = max(self._next, int(m.group(1)) + 1)
        else:
            self._join(st, v, t)
        for k in self._keys(v, self._idf("body")):
            self.index[k].add(story_id)

    def count_only(self, v: Vectors) -> None:
        """An article older than the window still counts in the IDF (it was seen)."""
        self._count(v)

    def expire(self, now: float) -> int:
        """Forget stories idle past the window; returns how many were dropped from memory."""
        horizon = now - self.weights.window_h * 3600
        old = [sid for sid, st in self.stories.items() if st.last < horizon]
        for sid in old:
            del self.stories[sid]
        if old:
            gone = set(old)
            for k in list(self.index):
                self.index[k] -= gone
                if not self.index[k]:
                    del self.index[k]
        return len(old)


def w_cos(d: sp.csr_matrix, c: sp.csr_matrix) -> np.ndarray:
    """Cosine of one normalized row with each normalized row of ``c``."""
    return np.asarray((c @ d.T).todense()).ravel()

