"""Merger scaling: synthetic grounded extractions for 10 → 10,000 articles; seconds and peak memory.

Per article: 3 casualty records, 1 recalled (background) toll, 3 quotes (30% truncated), 2 events.

Run: .venv/bin/python benchmarks/merge_scaling.py  (or `make bench`). Not a test: it prints figures.
Seconds (wall) and CPU seconds come from an untraced run; peak memory from a second run under
tracemalloc. The machine is shared, so CPU time is the steadier figure.
"""

from __future__ import annotations

import gc
import platform
import random
import time
import tracemalloc

from summarizer.language.names import derive_actors
from summarizer.merge.events import merge
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
        city = rng.choice(CITIES[:20])
        words = f"{rng.choice([28, 45, 470])} people"
        cas.append(CasualtyReport(  # a recalled earlier toll: background, grouped across articles
            place=_m(aid, city, 400), background=True,
            killed=Figure(value=int(words.split()[0]), qualifier=Qualifier.EXACT, words=words.split()[0],
                          citation=Citation(article_id=aid, start=420, end=420 + len(words.split()[0]),
                                            text=words.split()[0])),
            evidence=Citation(article_id=aid, start=400, end=405, text="w" * 5)))
        for k in range(3):
            q = f"quote number {rng.randint(1, 500)} about the truce"
            if rng.random() < 0.3:  # truncated by the reporting article: joins the full quote
                q = q.split(" ", 1)[1]
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
    print("articles  records  seconds  cpu_s  peak_MiB  events  actors  statements  cpu_us/record")
    prev = None
    for n in (10, 100, 1_000, 10_000):
        data = synthetic(n)
        records = sum(len(e.casualties) + len(e.statements) + len(e.events) for e in data)
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        b = merge(data)
        secs = time.perf_counter() - t  # timed without tracemalloc, which slows every allocation
        cpu = time.process_time() - c  # the machine is shared: CPU time is the steadier figure
        gc.collect()
        tracemalloc.start()
        merge(data)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        growth = f"  (cpu x{cpu / prev:.1f} for x10 articles)" if prev else ""
        print(f"{n:8d} {records:8d} {secs:8.3f} {cpu:6.3f} {peak:9.1f} {len(b.events):7d} {len(b.actors):7d} "
              f"{len(b.statements):11d} {1e6 * cpu / records:14.1f}{growth}")
        prev = cpu


if __name__ == "__main__":
    main()
