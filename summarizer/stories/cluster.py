"""Online, single-pass story clustering (Miranda et al., "Multilingual Clustering of Streaming
News", EMNLP 2018): each article, in arrival order, joins the most similar live story or starts one.

An article is three sparse vectors, each from scikit-learn's ``HashingVectorizer`` (stateless, so
a vector made today equals one made next month and nothing has to be fitted or stored): the
words of its title, the words of its body, and its named entities (runs of capitalized words,
the places, people and organisations that tell two shootings on one day apart). Each is weighted
by an inverse document frequency counted online over every article seen (as of the article's
arrival), as the paper does, and normalized. The three are laid side by side in one sparse row
(space k in columns k*N..(k+1)*N), so one product gives the weighted sum of the three cosines.
A story keeps its recent articles' rows and their sum, normalized per space (its centroid).
Similarity to a story is the mean of that weighted sum over the story's recent articles (average
linkage: one close article cannot chain two stories together), where a row sharing less than
``entity_floor`` of the article's entities (their cosine) counts as 0: the same words about
other people in another place are another story. It is
times a Gaussian decay in the time between the article and the story's dated articles; below
``threshold`` the article starts a new story. Stories more than ``window_h`` from the article are
no longer candidates (the paper's time window), which keeps the cost per article bounded as the
stream grows. An article whose time is unknown (no feed time, no metadata, no date in its text)
gets no decay and no window: unknown time neither helps nor hurts, it is never "now".

Candidates come from an inverted index: a story is posted under its articles' entities and
highest-weighted body terms (each key keeps its most recently posted stories), and an article is
compared with the stories sharing most of its keys, so the cost per article does not grow with
the number of live stories.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import itemgetter
from typing import Literal, get_args

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer

from .. import lexicon
from ..ingest.furniture import is_furniture
from .dedup import PROSE_WORDS
from .signature import EMPTY, Signature, alike, apart, dated, lead, read

N_FEATURES = 2**18
# Stored term counts (the stories state) are valid only for the tokenizing that made them: raise this
# whenever vectors change (spaces, tokens, entity reading), so older counts are made again.
FEATURES_VERSION = 2
SPACES = ("title", "body", "entities")
EventVeto = Literal["off", "kind", "place", "kind_place", "kind_and_place", "incident", "years"]
EVENT_VETOES: tuple[str, ...] = get_args(EventVeto)  # what ``signature.apart`` reads
NGRAMS = (1, 1)  # bigrams were measured: no gain in B-cubed F1 on the dev stream, 1.5x the time



def _entity_pattern(lex: lexicon.Lexicon) -> re.Pattern[str]:
    """A run of capitalized words, with the lexicon's name connectors inside ("Bank of", "al"):
    a named entity, roughly. A word capitalized only because it starts a sentence is kept too;
    IDF weighs such common words down."""
    inner = "|".join(sorted(map(re.escape, lex.name_connectors)))
    # "[A-Z](?<!\w[A-Z])" is "\b[A-Z]" with the capital first, so the regex engine can skip
    # ahead to the next capital instead of trying the pattern at every character
    return re.compile(rf"[A-Z](?<!\w[A-Z])[\w'’\-]*(?:\s+(?:(?:{inner})\s+)?[A-Z][\w'’\-]*)*")
_TOKEN = r"(?u)\b[^\W\d_][\w'’\-]+\b"


def prose(text: str) -> str:
    """The article's prose lines: captions, credits, bylines, "Get breaking news alerts" and other
    furniture are short lines or lines the lexicon knows, and they are shared across stories by
    outlet, not by event."""
    # split(None, k - 1) has k parts exactly when the line has k words or more, without splitting them all
    lines = [ln for ln in text.split("\n")
             if len(ln.split(None, PROSE_WORDS - 1)) >= PROSE_WORDS and not is_furniture(ln.strip())]
    return "\n".join(lines) or text


def _calendar_words(lex: lexicon.Lexicon) -> frozenset[str]:
    """Day and month names: capitalized, but they name when, not who or where, and every story
    of that week shares them."""
    d = lex.data["dates"]
    return frozenset(w.lower() for k in ("months", "month_abbreviations", "weekdays") for w in d.get(k, ()))


_WORD = re.compile(r"[\w'’\-]+")


def _starts_sentence(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \t\"“‘'(":
        j -= 1
    return j < 0 or text[j] in ".!?:\n—-|"


def entities(text: str) -> list[str]:
    """Named-entity-like phrases, lower-cased and joined (``"port_city"``), possessives read as
    their name ("Kushner's" is "kushner"); stop words and calendar words alone dropped, and so is
    a single capitalized word the same text also writes in lower case ("Gunman" at a sentence's
    start, "the gunman" later): a common noun, which every story of its kind shares."""
    lex = lexicon.current()
    skip = lex.compiled("stories.calendar", _calendar_words)
    tokens = set(_WORD.findall(text))  # the text's words as written
    found = [(m.group(0), m.start()) for m in lex.compiled("stories.entities", _entity_pattern).finditer(text)]
    # a single word capitalized where no sentence starts is a name; one seen only at sentence
    # starts ("Officers arrived", "Witnesses said") may be any noun
    single = [" " not in g for g, _ in found]
    initial = [one and _starts_sentence(text, at) for (_, at), one in zip(found, single, strict=True)]
    inside = {g for (g, _), one, first in zip(found, single, initial, strict=True) if one and not first}
    out = []
    named: dict[str, str | None] = {}  # a name's key, made once per text however often it is named
    for (g, _), one, first in zip(found, single, initial, strict=True):
        if one and (g.lower() in tokens or (first and g not in inside)):
            continue
        if g not in named:
            named[g] = _entity_key(g, skip)
        if named[g] is not None:
            out.append(named[g])
    return out


def _entity_key(name: str, skip: frozenset[str]) -> str | None:
    words = [_possessive_dropped(r.lower()) for r in name.replace("’", "'").split()]
    words = [w for w in words if w not in ENGLISH_STOP_WORDS and w not in skip]
    return "_".join(words) if words and len("".join(words)) > 2 else None


def _possessive_dropped(word: str) -> str:
    """The word without its possessive ending: "kushner's" is "kushner", "lawyers'" is "lawyers"."""
    if word.endswith("'s"):
        return word[:-2]
    return word[:-1] if word.endswith("'") else word


@dataclass(frozen=True)
class Weights:
    """How the three similarities add up, and when an article starts a story. Chosen on the seven
    example clusters (``benchmarks/stories_quality.py``), not on the devset it is measured on."""

    title: float = 0.10
    body: float = 0.45
    entities: float = 0.45
    threshold: float = 0.15
    # the time parameters were chosen on the examples with their own dates: the window holds the
    # longest of their stories (a follow-up 13 days after the event), the decay is the best of
    # 72 to 336 h there; the threshold was chosen on the examples all on one day (content alone)
    decay_h: float = 336.0  # Gaussian width of the time decay, hours
    window_h: float = 24.0 * 14  # a story idle longer than this takes no new article
    postings: int = 25  # body terms per article that post its story in the index
    link: float = 1.0  # weight of the best single member's similarity next to the centroid's
    # "closest": the larger of the centroid's and the closest member's similarity; "mean": the
    # mean of the members' (average linkage over the recent members: no chaining through one)
    member_link: Literal["closest", "mean"] = "mean"
    # an article with named entities joins only what shares enough of them (entity cosine): two
    # shootings told in the same words in two towns, with other names, stay two stories
    entity_floor: float = 0.1
    members: int = 20  # the most recent articles a story compares one by one
    candidates: int = 30  # stories compared per article: those sharing the most index keys
    posting_cap: int = 64  # stories kept per index key, the most recently posted
    # the event signature's veto (``signature.apart``): a story's recent article whose lead names
    # another happening counts as 0. "off": measured, no gain on the dev stream (benchmarks/README.md)
    event_veto: EventVeto = "off"
    # added to a recent article's similarity when its lead shares a kind and a place with the
    # article's (``signature.alike``): 0 is off
    event_bonus: float = 0.0


@dataclass
class StoryState:
    """What the clusterer keeps of a story: its recent articles' rows, the sum of all its rows
    and that sum normalized per space (the centroid), the first and last times of its dated
    articles (None while it has none), and the stream's clock when it last took an article (what
    expiry reads, so a story of undated articles leaves memory too)."""

    id: str
    members: Rows
    sums: Rows
    centroid: Rows
    first: float | None
    last: float | None
    seen: float | None = None
    size: int = 1
    compared: Rows | None = None  # the centroid, then the members: what an article is compared with
    signs: list[Signature] = field(default_factory=list)  # the recent members' event signatures

    def __post_init__(self) -> None:
        self.restack()

    def restack(self) -> None:
        self.compared = self.centroid.stacked(self.members)


@dataclass
class Rows:
    """CSR rows as their three arrays (one article, a story's sum or centroid, a stack of its
    members): a story's rows change with every article it takes, and joining, summing and
    normalizing the arrays directly costs a fraction of scipy's matrix construction and checks."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray

    @classmethod
    def of(cls, m: sp.csr_matrix) -> Rows:
        return cls(m.data, m.indices, m.indptr)

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    def stacked(self, other: Rows, keep: int | None = None) -> Rows:
        """These rows, then ``other``'s; with ``keep``, only the last ``keep`` rows."""
        rows = Rows(np.concatenate((self.data, other.data)), np.concatenate((self.indices, other.indices)),
                    np.concatenate((self.indptr, other.indptr[1:] + self.indptr[-1])))
        if keep is None or rows.n <= keep:
            return rows
        cut = rows.indptr[rows.n - keep]
        return Rows(rows.data[cut:], rows.indices[cut:], rows.indptr[rows.n - keep:] - cut)

    def plus(self, other: Rows) -> Rows:
        """The sum of two single rows, as scipy's ``a + b`` gives it: columns sorted, each value one
        float32 addition, zeros dropped. Both rows' columns are sorted and distinct (a hashed
        row's and every sum's are), so ``other``'s columns are found in this row by binary search
        and the new ones inserted in place: no sort of the two."""
        a, b = self.indices, other.indices
        at = np.searchsorted(a, b)
        shared = at < len(a)
        shared[shared] = a[at[shared]] == b[shared]
        data = self.data.copy()
        data[at[shared]] += other.data[shared]
        fresh = ~shared
        cols = np.insert(a, at[fresh], b[fresh])
        data = np.insert(data, at[fresh], other.data[fresh])
        nz = data != 0
        if not nz.all():
            cols, data = cols[nz], data[nz]
        return Rows(data, cols, np.array([0, len(cols)], self.indptr.dtype))


@dataclass
class Decision:
    story: str
    new: bool
    score: float  # similarity to the story joined (0.0 for a new story)


@dataclass
class Counts:
    """An article's term counts in the three spaces, side by side (one 1 x 3N CSR row, sublinear tf)."""

    row: Rows
    sign: Signature = EMPTY  # its lead's event signature (EMPTY when not read: restored counts)


def _per_space_normalized(m: Rows) -> Rows:
    """Each row's three blocks scaled to unit length, each on its own (a block of zeros stays zero)."""
    block = m.indices // N_FEATURES
    if m.n > 1:
        block = np.repeat(np.arange(m.n), np.diff(m.indptr)) * len(SPACES) + block
    norms = np.sqrt(np.bincount(block, weights=m.data.astype(np.float64) ** 2, minlength=m.n * len(SPACES)))
    return Rows((m.data / norms[block]).astype(np.float32), m.indices, m.indptr)


class _Vectorizers:
    def __init__(self, signatures: bool = False) -> None:
        self.signatures = signatures
        common = {"n_features": N_FEATURES, "alternate_sign": False, "norm": None, "dtype": np.float32}
        self.words = HashingVectorizer(stop_words="english", token_pattern=_TOKEN, ngram_range=NGRAMS, **common)
        self.entities = HashingVectorizer(analyzer=lambda s: s.split(), lowercase=False, **common)

    def counts(self, title: str, body: str) -> Counts:
        return self.counts_many([title], [body])[0]

    def counts_many(self, titles: list[str], bodies: list[str]) -> list[Counts]:
        """A batch of articles in three transforms (the vectorizers are stateless, so a batch gives
        each article the row it would get alone), one row per article."""
        bodies = [prose(b) for b in bodies]
        n = len(titles)
        words = self.words.transform([*titles, *bodies])
        ents = self.entities.transform([" ".join(entities(t + "\n" + b)) for t, b in zip(titles, bodies, strict=True)])
        rows = sp.hstack([words[:n], words[n:], ents], format="csr")
        rows.data = 1.0 + np.log(rows.data)  # sublinear tf, as TfidfTransformer(sublinear_tf=True)
        ptr = rows.indptr
        one = [Rows(rows.data[a:b], rows.indices[a:b], np.array([0, b - a], ptr.dtype))
               for a, b in zip(ptr[:-1].tolist(), ptr[1:].tolist(), strict=True)]
        if not self.signatures:
            return [Counts(r) for r in one]
        signs = [read(t, b, entities(lead(t, b))) for t, b in zip(titles, bodies, strict=True)]
        return [Counts(r, s) for r, s in zip(one, signs, strict=True)]


@dataclass
class Clusterer:
    """The online clusterer. ``add`` decides one article; state is in memory and can be rebuilt
    from stored assignments with ``absorb`` (no decision made again)."""

    weights: Weights = field(default_factory=Weights)
    n_docs: int = 0
    df: np.ndarray = field(default_factory=lambda: np.zeros(len(SPACES) * N_FEATURES, np.float32))
    stories: dict[str, StoryState] = field(default_factory=dict)
    # key -> the stories posted under it, most recently posted last (a dict as an ordered set)
    index: dict[int, dict[str, None]] = field(default_factory=lambda: defaultdict(dict))
    _vec: _Vectorizers = field(default_factory=_Vectorizers)
    _sign: Signature = EMPTY  # the event signature of the article being decided
    # the query, dense: all its weighted columns, then its entity columns alone (float64, so each
    # product is exact and the sums are float64's as a gather and a running sum were)
    _q: np.ndarray = field(default_factory=lambda: np.zeros((len(SPACES) * N_FEATURES, 2), np.float64))
    _next: int = 1
    clock: float | None = None  # the latest article time seen: expiry's "now"

    def __post_init__(self) -> None:
        self._vec.signatures = self.weights.event_veto != "off" or bool(self.weights.event_bonus)

    def vectors(self, title: str, body: str) -> Counts:
        return self._vec.counts(title, body)

    def vectors_many(self, titles: list[str], bodies: list[str]) -> list[Counts]:
        return self._vec.counts_many(titles, bodies)

    def _weighted(self, c: Counts) -> Rows:
        """Count the article into the document frequencies, then weight it by the IDF (only its own
        columns are looked up) and normalize each space."""
        self.n_docs += 1
        cols = c.row.indices
        self.df[cols] += 1.0
        idf = np.log((1.0 + self.n_docs) / (1.0 + self.df[cols])) + 1.0
        return _per_space_normalized(Rows(c.row.data * idf, cols, c.row.indptr))

    def _keys(self, d: Rows) -> list[int]:
        """The index keys of an article: its entities and its highest-weighted body terms."""
        body = (d.indices >= N_FEATURES) & (d.indices < 2 * N_FEATURES)
        top = d.indices[body][np.argsort(-d.data[body])[: self.weights.postings]]
        return top.tolist() + d.indices[d.indices >= 2 * N_FEATURES].tolist()

    def _post(self, keys: list[int], sid: str) -> None:
        """Post a story under each key; a key common to many stories ("police") keeps only the
        ``posting_cap`` most recent, so the cost per article does not grow with the stream."""
        index, cap = self.index, self.weights.posting_cap
        for key in keys:
            posted = index[key]
            posted.pop(sid, None)
            posted[sid] = None
            if len(posted) > cap:
                del posted[next(iter(posted))]

    def _candidates(self, keys: list[int], t: float | None) -> list[StoryState]:
        """Live stories sharing the most index keys with the article (at most ``candidates``): by
        hits, most first, then by id."""
        hits = Counter(chain.from_iterable(map(self.index.get, keys, repeat(()))))
        ranked = sorted(sorted(hits.items(), key=itemgetter(0)), key=itemgetter(1), reverse=True)  # stable
        window, want, out = self.weights.window_h, self.weights.candidates, []
        for sid, _ in ranked:
            st = self.stories[sid]
            if gap_h(t, st) <= window:
                out.append(st)
                if len(out) == want:
                    break
        return out

    def _similarities(self, d: Rows, cands: list[StoryState]) -> np.ndarray:
        """Per candidate story: the larger of the article's similarity to the story's centroid and
        (times ``link``) to its most similar recent article. The centroid keeps a story whole; the
        single article lets a story whose articles differ (a statement, a wire report) take a new
        one that is close to one of them. With ``member_link="mean"``: the mean of its
        similarities to the story's recent articles."""
        w = self.weights
        scale = np.array([w.title, w.body, w.entities], np.float32)[d.indices // N_FEATURES]
        ent = d.indices >= 2 * N_FEATURES
        self._q[d.indices, 0] = d.data * scale  # the query, dense: each candidate's rows gather from it
        self._q[d.indices[ent], 1] = self._q[d.indices[ent], 0]
        try:
            # each candidate's centroid and member rows, all in one sparse product
            blocks = [st.compared for st in cands]
            both = w_dots(self._q, blocks)
        finally:
            self._q[d.indices] = 0.0
        dots = np.ascontiguousarray(both[:, 0])
        gate = w.entity_floor > 0 and bool(ent.any())
        ents = both[:, 1] if gate else None
        if ents is not None:  # a row sharing too few of the article's entities is no match
            dots[ents < w.entity_floor * w.entities] = 0.0
        starts = np.concatenate(([0], np.cumsum([len(b.indptr) - 1 for b in blocks])[:-1]))
        if w.member_link == "mean":
            sizes = np.diff(np.append(starts, len(dots))) - 1
            dots[starts] = 0.0
            mean = np.add.reduceat(dots, starts) / sizes
            if (w.event_veto != "off" or w.event_bonus) and self._sign is not EMPTY:
                # only a story that may be joined is worth reading its members' signatures
                for i in np.flatnonzero(mean >= w.threshold - w.event_bonus):
                    for j, other in enumerate(cands[i].signs):
                        if apart(self._sign, other, w.event_veto):
                            dots[starts[i] + 1 + j] = 0.0
                        elif w.event_bonus and alike(self._sign, other):
                            dots[starts[i] + 1 + j] += w.event_bonus
                mean = np.add.reduceat(dots, starts) / sizes
            return mean.astype(np.float32)
        centroid = dots[starts]
        if not w.link:
            return centroid
        dots[starts] = -np.inf  # each segment's maximum over its members alone
        member = np.maximum.reduceat(dots, starts)
        return np.maximum(centroid, w.link * member)

    def add(self, story_id: str | None, c: Counts, t: float | None) -> Decision:
        """Decide one article (``t``: its time, epoch seconds, None when unknown); ``story_id``
        names a new story (None: ``s<n>``). Counts the article into the IDF first, as the stream
        has seen it."""
        self._tick(t)
        d = self._weighted(c)
        keys = self._keys(d)
        w = self.weights
        self._sign = dated(c.sign, t) if self._vec.signatures else EMPTY  # off: nothing to read
        cands = self._candidates(keys, t)
        best, score = None, 0.0
        if cands:
            sims = self._similarities(d, cands)
            gaps = np.array([gap_h(t, st) for st in cands], np.float32)
            sims = sims * np.exp(-0.5 * (gaps / w.decay_h) ** 2)
            i = int(np.argmax(sims))
            if sims[i] >= w.threshold:
                best, score = cands[i], float(sims[i])
        if best is None:
            sid = story_id or f"s{self._next}"
            self._next += 1
            best = self._new(sid, d, t, self._sign)
            new = True
        else:
            self._join(best, d, t, self._sign)
            new = False
        self._post(keys, best.id)
        return Decision(best.id, new, score)

    def _tick(self, t: float | None) -> None:
        if t is not None:
            self.clock = t if self.clock is None else max(self.clock, t)

    def _new(self, sid: str, d: Rows, t: float | None, sign: Signature = EMPTY) -> StoryState:
        st = StoryState(sid, d, d, d, t, t, self.clock, signs=[sign])
        self.stories[sid] = st
        return st

    def _join(self, st: StoryState, d: Rows, t: float | None, sign: Signature = EMPTY) -> None:
        keep = self.weights.members
        st.members = st.members.stacked(d, keep)
        st.signs = [*st.signs, sign][-keep:]
        st.sums = st.sums.plus(d)
        st.centroid = _per_space_normalized(st.sums)
        st.restack()
        if t is not None:
            st.first = t if st.first is None else min(st.first, t)
            st.last = t if st.last is None else max(st.last, t)
        st.seen = self.clock
        st.size += 1

    def count(self, c: Counts) -> None:
        """Count an article into the document frequencies only: an article of a story past the
        window, which a restore does not rebuild but which the IDF had counted."""
        self.n_docs += 1
        self.df[c.row.indices] += 1.0

    def reserve(self, story_id: str) -> None:
        """A story id used by an earlier run, not replayed: new stories are numbered after it."""
        m = re.fullmatch(r"s(\d+)", story_id)
        if m:
            self._next = max(self._next, int(m.group(1)) + 1)

    def absorb(self, story_id: str, c: Counts, t: float | None) -> None:
        """Put an article back into a story it was assigned to in an earlier run (replayed in
        arrival order, so the IDF and the weights are those of the first run)."""
        self._tick(t)
        d = self._weighted(c)
        st = self.stories.get(story_id)
        sign = dated(c.sign, t) if self._vec.signatures else EMPTY
        if st is None:
            self._new(story_id, d, t, sign)
            self.reserve(story_id)
        else:
            self._join(st, d, t, sign)
        self._post(self._keys(d), story_id)

    def expire(self, now: float | None = None) -> int:
        """Forget stories idle past the window before ``now`` (default: the latest article time
        seen); a story is idle since its last dated article, or, with none, since the clock when it
        last took an article. Returns how many were dropped from memory."""
        now = self.clock if now is None else now
        if now is None:
            return 0
        horizon = now - self.weights.window_h * 3600
        old = []
        for sid, st in self.stories.items():
            if st.last is None and st.seen is None:
                st.seen = now  # made before any time was known: idle from the first clock on
            if (st.last if st.last is not None else st.seen) < horizon:
                old.append(sid)
        for sid in old:
            del self.stories[sid]
        if old:
            gone = set(old)
            for k in list(self.index):
                posted = self.index[k]
                for sid in gone.intersection(posted):
                    del posted[sid]
                if not posted:
                    del self.index[k]
        return len(old)


def gap_h(t: float | None, st: StoryState) -> float:
    """Hours between the article and the span of the story's dated articles (0 inside it); 0
    when either time is unknown, so an undated article is neither decayed nor windowed."""
    if t is None or st.first is None or st.last is None:
        return 0.0
    return max(0.0, st.first - t, t - st.last) / 3600.0


def w_dots(q: np.ndarray, blocks: list[Rows] | list[sp.csr_matrix]) -> np.ndarray:
    """The dot products of the dense query ``q`` (one column, or several side by side) with each
    row of each block, all rows in order (an empty row gives 0): the blocks' arrays laid end to
    end as one CSR matrix, times ``q`` in scipy's compiled product, with no transpose of a matrix
    3N columns wide. float32 out; the sums are made in ``q``'s dtype."""
    data = np.concatenate([b.data for b in blocks])
    idx = np.concatenate([b.indices for b in blocks])
    bounds = np.empty(sum(len(b.indptr) - 1 for b in blocks) + 1, np.int64)
    bounds[0] = at = offset = 0
    for b in blocks:  # each block's row ends, shifted past the blocks before it
        n = len(b.indptr) - 1
        bounds[at + 1:at + n + 1] = b.indptr[1:] + offset
        at, offset = at + n, offset + len(b.data)
    m = sp.csr_matrix((data, idx, bounds), shape=(len(bounds) - 1, q.shape[0]))
    return (m @ q).astype(np.float32)
