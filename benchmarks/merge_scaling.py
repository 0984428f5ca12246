"""Merger scaling: synthetic grounded extractions for 10 → 10,000 articles; seconds and peak memory.

Run: .venv/bin/python benchmarks/merge_scaling.py  (or `make bench`). Not a test: it prints figures.
Seconds come from an untraced run; peak memory from a second run under tracemalloc.
"""

from __future__ import annotations

import gc
import platform
import random
import time
import tracemalloc

from summarizer.actors import derive_actors
from summarizer.merge import merge
from summarizer.schemas import (
    ArticleExtraction,
    CasualtyReport,
    Citation,
    DiplomaticStatement,
    Event,
    EventKind,
    Figure,
    Mention,
    Qualifier,
    StatementKind,
)

CITIES = [f"City{i}" for i in range(60)]
CLAIMANTS = ["SANA", "the Observatory", "Reuters", "the Health Ministry", "police", "the governor"] + [
    f"Agency {i}" for i in range(40)]
SPEAKERS = ["John Kerry", "Kerry", "Sergei Lavrov", "Sergey Lavrov", "Bashar al-Assad", "Assad"] + [
    f"Speaker{i} Person{i}" for i in range(80)]


def _m(aid: str, value: str, pos: int) -> Mention:
    return Mention(value=value, citation=Citation(article_id=aid, start=pos, end=pos + len(value), text=value))


def synthetic(n: int, seed: int = 1) -> list[ArticleExtraction]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        aid = f"a{i:05d}"
        cas, sts, evs = [], [], []
        for k in range(3):
            city = rng.choice(CITIES)
            v = rng.randint(1, 200)
            words = f"at least {v}"
            cas.append(CasualtyReport(
                place=_m(aid, city, 100 * k), claimed_by=_m(aid, rng.choice(CLAIMANTS), 100 * k + 20),
                killed=Figure(value=v, qualifier=Qualifier.AT_LEAST, words=words,
                              citation=Citation(article_id=aid, start=100 * k + 40, end=100 * k + 40 + len(words),
                                                text=words)),
                evidence=Citation(article_id=aid, start=100 * k, end=100 * k + 5, text="x" * 5)))
        for k in range(3):
            q = f"quote number {rng.randint(1, 500)} about the truce"
            sts.append(DiplomaticStatement(
                speaker=_m(aid, rng.choice(SPEAKERS), 1000 + 100 * k), kind=StatementKind.QUOTE,
                text=_m(aid, q, 1020 + 100 * k),
                evidence=Citation(article_id=aid, start=1000 + 100 * k, end=1005 + 100 * k, text="y" * 5)))
        for k in range(2):
            city = rng.choice(CITIES)
            evs.append(Event(kind=rng.choice([EventKind.BOMBING, EventKind.AGREEMENT]), summary=f"Blast in {city}.",
                             place=_m(aid, city, 2000 + 100 * k), perpetrators=[_m(aid, "ISIS", 2050 + 100 * k)],
                             evidence=Citation(article_id=aid, start=2000, end=2005, text="z" * 5)))
        out.append(ArticleExtraction(article_id=aid, sha256="0" * 64, casualties=cas, statements=sts, events=evs,
                                     actors=derive_actors(evs, cas, sts)))
    return out


def main() -> None:
    print(f"# merge scaling on {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print("articles  records  seconds  peak_MiB  events  actors  statements  us/record")
    prev = None
    for n in (10, 100, 1_000, 10_000):
        data = synthetic(n)
        records = sum(len(e.casualties) + len(e.statements) + len(e.events) for e in data)
        gc.collect()
        t = time.perf_counter()
        b = merge(data, {})
        secs = time.perf_counter() - t  # timed without tracemalloc, which slows every allocation
        gc.collect()
        tracemalloc.start()
        merge(data, {})
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        growth = f"  (x{secs / prev:.1f} for x10 articles)" if prev else ""
        print(f"{n:8d} {records:8d} {secs:8.3f} {peak:9.1f} {len(b.events):7d} {len(b.actors):7d} "
              f"{len(b.statements):11d} {1e6 * secs / records:10.1f}{growth}")
        prev = secs


if __name__ == "__main__":
    main()
