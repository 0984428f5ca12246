"""The cost side of ``embeddings_experiment.py`` (its commands ``border``, ``band`` and ``cost``;
run them through that script): what embedding only the borderline articles would decide and
need, and what an embedding costs per article."""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import Counter

import numpy as np
from embeddings_experiment import SEEDS, C, Online, Q, _floats, load_cache, load_embedder, stream, text_of

# ---------------------------------------------------------------- borderline only

def cmd_border(args: argparse.Namespace) -> None:
    """Embed only when the words are unsure: the product's words-only similarity decides an article
    whose best score is outside [threshold - lo, threshold + hi]; inside that band the article and
    the members of its candidate stories are compared with embeddings too (e, th). Counts the
    articles whose embedding such a decision needs (the article and the compared members)."""
    on = Online(load_cache(args.model))
    lo, hi = _floats(args.band, [0.05, 0.05])
    streams = [stream(s) for s in range(SEEDS)]
    base = C.Weights()
    w_words = on.weights(0.0, base.threshold)
    w_emb = on.weights(args.e, args.th)
    add0 = C.Clusterer.add
    needed: set[int] = set()
    stats = Counter()

    def add(self, story_id, c, t):
        # the words-only decision first; the band sends it to the combined one
        self.weights = w_words
        on.e = 0.0
        self._tick(t)
        d = self._weighted(c)
        self.n_docs -= 1
        self.df[c.row.indices[c.row.indices < 3 * C.N_FEATURES]] -= 1.0
        cands = self._candidates(self._keys(d), t)
        best = 0.0
        if cands:
            s = self._similarities(d, cands)
            gaps = np.array([C.gap_h(t, st) for st in cands], np.float32)
            best = float(np.max(s * np.exp(-0.5 * (gaps / self.weights.decay_h) ** 2)))
        stats["articles"] += 1
        if cands and base.threshold - lo <= best < base.threshold + hi:
            stats["borderline"] += 1
            needed.add(id(c))
            for st in cands:
                needed.update(st.member_ids)
            self.weights = w_emb
            on.e = args.e
        dec = add0(self, story_id, c, t)
        st = self.stories[dec.story]
        st.member_ids = [*getattr(st, "member_ids", []), id(c)][-self.weights.members:]
        self.weights = w_words
        on.e = 0.0
        return dec

    C.Clusterer.add = add
    C.StoryState.member_ids = []
    for times in (True, False):
        fs, ps, rs = [], [], []
        stats.clear()
        n_needed = 0
        for docs in streams:
            needed.clear()
            m = Q.run(docs, times, w_words)
            n_needed += len(needed)
            fs.append(m["F1"])
            ps.append(m["P"])
            rs.append(m["R"])
        print(f"{'times from the text' if times else 'all on one day'}: band [{base.threshold - lo:.2f}, "
              f"{base.threshold + hi:.2f}) -> e={args.e} th={args.th}: F1 {statistics.mean(fs):.3f} "
              f"(P {statistics.mean(ps):.3f}, R {statistics.mean(rs):.3f}); borderline articles "
              f"{stats['borderline']}/{stats['articles']} originals placed; embeddings needed "
              f"{n_needed} ({n_needed / stats['articles']:.0%})")


def cmd_band(args: argparse.Namespace) -> None:
    """On ``stories_speed.py``'s stream of ``--n`` articles (the product as it is, words only): how
    many articles' best score falls in the band around the threshold, and how many distinct
    articles an embedding of those decisions needs (the article and its candidate stories' recent
    members). No embedding is made: this counts what the borderline approach would embed."""
    import stories_speed

    from summarizer.stories.stream import Item, Stream
    lo, hi = _floats(args.band, [0.05, 0.05])
    base = C.Weights()
    add0 = C.Clusterer.add
    needed: set[int] = set()
    stats: Counter = Counter()

    def add(self, story_id, c, t):
        d = self._weighted(c)
        self.n_docs -= 1
        self.df[c.row.indices] -= 1.0
        cands = self._candidates(self._keys(d), t)
        stats["articles"] += 1
        if cands:
            sims = self._similarities(d, cands)
            gaps = np.array([C.gap_h(t, st) for st in cands], np.float32)
            best = float(np.max(sims * np.exp(-0.5 * (gaps / base.decay_h) ** 2)))
            if base.threshold - lo <= best < base.threshold + hi:
                stats["borderline"] += 1
                needed.add(id(c))
                for st in cands:
                    needed.update(getattr(st, "member_ids", []))
        dec = add0(self, story_id, c, t)
        st = self.stories[dec.story]
        st.member_ids = [*getattr(st, "member_ids", []), id(c)][-base.members:]
        return dec

    C.Clusterer.add = add
    docs = stories_speed.corpus(args.n)
    s = Stream()
    c0 = time.process_time()
    for i in range(0, len(docs), 256):
        s.place_many([Item(d["id"], d["title"], d["text"], d["time"]) for d in docs[i:i + 256]])
    print(f"{args.n} articles (stories_speed corpus), band [{base.threshold - lo:.2f}, {base.threshold + hi:.2f}): "
          f"{stats['articles']} placed (not duplicates), {stats['borderline']} borderline "
          f"({stats['borderline'] / stats['articles']:.1%}), embeddings needed {len(needed)} "
          f"({len(needed) / stats['articles']:.1%}); {time.process_time() - c0:.0f} CPU s (scoring twice)")


# ---------------------------------------------------------------- cost

def cmd_cost(args: argparse.Namespace) -> None:
    import resource

    import stories_speed
    docs = stories_speed.corpus(args.n)
    texts = [text_of(d["title"], d["text"]) for d in docs]
    emb = load_embedder(args.model)
    print(f"{args.model}: load {emb.load_s:.2f} s wall")
    emb.embed(texts[:8])  # warm-up
    for batch in (1, 16, 64):
        c0, t0 = time.process_time(), time.perf_counter()
        emb.embed(texts, batch=batch)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"| {args.model} | batch {batch} | {len(texts)} articles | {wall:.1f} s wall | {cpu:.1f} s CPU | "
              f"{len(texts) / wall:.1f} articles/s | 10,000 articles: {10000 / len(texts) * wall:.0f} s |",
              flush=True)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
          f"threads: torch {_torch_threads()}; load average {os.getloadavg()[0]:.1f}")


def _torch_threads() -> str:
    try:
        import torch
        return str(torch.get_num_threads())
    except ImportError:
        return "-"
