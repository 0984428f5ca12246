"""Variants of the story clusterer tried against the 0.95 B-cubed goal (issue 25), none adopted.

    .venv/bin/python benchmarks/stories_variants.py VARIANT [--thresholds 0.15,0.17,...]

Each variant replaces one piece of ``summarizer.stories.cluster`` in this process only (the
figures in benchmarks/README.md were measured on d9bb254's clusterer, whose decisions the faster
one after it keeps exactly) and is scored
on the mixed dev stream of ``stories_quality.py`` (5 seeds, both time variants): the full
stream's mean B-cubed F1, P and R per (setting, threshold), the mean over the 4 six-cluster folds
(``stories_quality.folds``), and the held-out F1 when each fold picks its setting on the other three.

Variants (``SETTINGS`` lists what each sweeps):
  linkage   a story's similarity: mean of its recent members (the default), mean of the top k,
            the minimum (online complete linkage), a lower quantile
  entwords  the entity space: the phrases (default), their words, or both
  demonyms  an entity's country added ("Haitian", "Port-au-Prince" -> "haiti"); needs
            ``pip install countryinfo`` (MIT; demonyms and capitals of 250 countries, as data)
  prior     a background document frequency seeded from ``wordfreq`` (Apache-2.0; English word
            frequencies): B pseudo-documents in which a word of frequency f appears with
            probability 1 - exp(-400 f); needs ``pip install wordfreq``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).parent))
import stories_quality as Q  # noqa: E402
from stories_corpus import stream  # noqa: E402

import summarizer.stories.cluster as C  # noqa: E402

N = C.N_FEATURES
SETTING: dict[str, Any] = {}  # the setting being scored, read by the replaced pieces

SETTINGS: dict[str, list[Any]] = {
    "linkage": [("mean", 0), ("topk", 2), ("topk", 3), ("min", 0), ("quantile", 0.25)],
    "entwords": ["phrase", "words", "both"],
    "demonyms": ["none", "demonym", "demonym+capital"],
    "prior": [0, 300, 1000, 3000, 10000],
}


def _linkage() -> None:
    def similarities(self: C.Clusterer, d: C.Rows, cands: list[C.StoryState]) -> np.ndarray:
        # the product's dot products (``Clusterer._similarities``), then the variant's reduction
        w = self.weights
        scale = np.array([w.title, w.body, w.entities], np.float32)[d.indices // N]
        ent = d.indices >= 2 * N
        self._q[d.indices, 0] = d.data * scale
        self._q[d.indices[ent], 1] = self._q[d.indices[ent], 0]
        try:
            blocks = [st.compared for st in cands]
            both = C.w_dots(self._q, blocks)
        finally:
            self._q[d.indices] = 0.0
        dots = np.ascontiguousarray(both[:, 0])
        if w.entity_floor > 0 and bool(ent.any()):
            dots[both[:, 1] < w.entity_floor * w.entities] = 0.0
        starts = np.concatenate(([0], np.cumsum([len(b.indptr) - 1 for b in blocks])[:-1]))
        ends = np.append(starts[1:], len(dots))
        mode, k = SETTING["v"]
        out = np.zeros(len(cands), np.float32)
        for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
            members = np.sort(dots[s + 1:e])[::-1]  # dots[s] is the centroid's
            out[i] = {"mean": members.mean, "min": members.min,
                      "topk": lambda m=members: m[: int(k)].mean(),
                      "quantile": lambda m=members: np.quantile(m, k)}[mode]()
        return out

    C.Clusterer._similarities = similarities  # type: ignore[method-assign]


def _entity_words() -> None:
    original = C.entities

    def entities(text: str) -> list[str]:
        phrases = original(text)
        words = [w for p in phrases for w in p.split("_") if len(w) > 2]
        return {"phrase": phrases, "words": words, "both": phrases + words}[SETTING["v"]]

    C.entities = entities


def _demonyms() -> None:
    import countryinfo  # noqa: PLC0415  (an experiment's own dependency)

    table: dict[str, dict[str, str]] = {"demonym": {}, "capital": {}}
    for f in (Path(countryinfo.__file__).parent / "data").glob("*.json"):
        v = json.loads(f.read_text())
        country = "_".join(v["name"].lower().split())
        for key in table:
            values = v.get(key) or []
            for x in [values] if isinstance(values, str) else values:
                table[key]["_".join(x.lower().split())] = country
    original = C.entities

    def entities(text: str) -> list[str]:
        out = original(text)
        keys = {"none": (), "demonym": ("demonym",), "demonym+capital": ("demonym", "capital")}[SETTING["v"]]
        extra = [table[k][w] for p in out for w in [p, *p.split("_")] for k in keys if w in table[k]]
        return out + extra

    C.entities = entities


def _prior() -> None:
    import wordfreq  # noqa: PLC0415  (an experiment's own dependency)

    vec = C._Vectorizers()
    words = wordfreq.top_n_list("en", 200_000)
    p_doc = 1.0 - np.exp(-400.0 * np.array([wordfreq.word_frequency(w, "en") for w in words]))

    def per_column(m: sp.csr_matrix) -> np.ndarray:
        rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
        col = np.zeros(N, np.float32)
        np.maximum.at(col, m.indices, p_doc[rows])
        return col

    words_p, entities_p = per_column(vec.words.transform(words)), per_column(vec.entities.transform(words))
    original = C.Clusterer.__post_init__

    def post_init(self: C.Clusterer) -> None:
        original(self)
        b = SETTING["v"]
        if b:
            self.df[:N] = self.df[N:2 * N] = b * words_p
            self.df[2 * N:] = b * entities_p
            self.n_docs = int(b)

    C.Clusterer.__post_init__ = post_init  # type: ignore[method-assign]


PATCH: dict[str, Callable[[], None]] = {"linkage": _linkage, "entwords": _entity_words,
                                        "demonyms": _demonyms, "prior": _prior}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("variant", choices=sorted(PATCH))
    ap.add_argument("--thresholds", default="0.15,0.17,0.19")
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    PATCH[args.variant]()
    streams = [stream(s) for s in range(args.seeds)]
    parts = Q.folds()
    grid = [(v, float(t)) for v in SETTINGS[args.variant] for t in args.thresholds.split(",")]
    for times in (True, False):
        folds: dict[tuple[Any, ...], float] = {}
        full: dict[tuple[Any, ...], list[dict[str, float]]] = {}
        for g in grid:
            SETTING["v"] = g[0]
            w = replace(C.Weights(), threshold=g[1])
            full[g] = [Q.run(docs, times, w) for docs in streams]
            for i, part in enumerate(parts):
                for s, docs in enumerate(streams):
                    folds[(g, i, s)] = Q.run([d for d in docs if d.cluster in part], times, w)["F1"]
        held = []
        for i in range(len(parts)):
            train = {g: statistics.mean(folds[(g, j, s)] for j in range(len(parts)) if j != i
                                        for s in range(args.seeds)) for g in grid}
            best = max(grid, key=train.__getitem__)
            held.append(statistics.mean(folds[(best, i, s)] for s in range(args.seeds)))
        print("\ntimes from the text" if times else "\nall on one day")
        print(f"held-out F1, each fold picking on the other three: {statistics.mean(held):.3f}")
        print("| setting | threshold | full F1 | P | R | 6-cluster folds F1 |")
        print("|---|---|---|---|---|---|")
        for g in grid:
            m = {k: statistics.mean(r[k] for r in full[g]) for k in ("F1", "P", "R")}
            f = statistics.mean(v for (h, _, _), v in folds.items() if h == g)
            print(f"| {g[0]} | {g[1]} | **{m['F1']:.3f}** | {m['P']:.3f} | {m['R']:.3f} | {f:.3f} |")


if __name__ == "__main__":
    main()
