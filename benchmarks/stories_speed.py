"""Clustering speed of ``summarizer stories`` (no model): 1,000 to 10,000 articles.

    .venv/bin/python benchmarks/stories_speed.py [--sizes 1000,2000,5000,10000] [--runner]

The corpus is the mixed dev stream's 24 clusters (``stories_corpus.py``), repeated and perturbed
until it holds N articles. In copy k every capitalized word gets a suffix of its own (each copy's
clusters are new stories with new names), and so does each other word of four letters or more
with probability 1/2 (copies share half their vocabulary, not all of it); each article's
sentences are shuffled and one in five dropped (no copy duplicates another); copy k arrives 2
hours after copy k-1 (stories age out of the 14-day window as a day's news would). Each size
runs in a fresh process: wall and CPU time, articles per second, peak RSS (``ru_maxrss``),
stories made, and the load average (the machine is shared).

Without ``--runner`` the stream itself is timed (dedup + clustering, ``stories.stream.Stream``,
vectors made 256 articles at a time, then placed one by one in order);
with it, ``summarizer.stories.run(..., brief=False)`` on a JSONL file of the articles (what
``summarizer stories FILE --cluster-only`` does): reading, batched vectors, one SQLite transaction
per batch of 256 articles, ``stories.json`` and ``index.html`` included; then the same run again
with nothing new (the stream restored from the state, nothing placed, nothing rewritten), timed
apart as "rerun".
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


BATCH = 256  # articles vectorized at once (then placed one by one, in order)
_WORD = re.compile(r"\b[A-Za-z]{4,}\b")


def _suffix(k: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[k // 26 % 26] + letters[k % 26]


def corpus(n: int, seed: int = 0) -> list[dict]:
    from stories_corpus import originals

    rng = random.Random(seed)
    base = originals()
    out: list[dict] = []
    k = 0
    while len(out) < n:
        sfx = _suffix(k)
        renamed: dict[str, bool] = {}

        def rename(m: re.Match[str], sfx: str = sfx, renamed: dict[str, bool] = renamed) -> str:
            w = m.group(0)
            if w not in renamed:  # names always, other words half the time: copy k is its own news
                renamed[w] = w[0].isupper() or rng.random() < 0.5
            return w + sfx if renamed[w] else w

        docs = base[:]
        rng.shuffle(docs)
        for i, d in enumerate(docs):
            if len(out) >= n:
                break
            sentences = re.split(r"(?<=[.!?])\s+", d.text)
            rng.shuffle(sentences)
            kept = [s for s in sentences if rng.random() > 0.2] or sentences[:1]
            text = _WORD.sub(rename, " ".join(kept))
            out.append({"id": f"c{k}-{i}", "title": _WORD.sub(rename, d.title),
                        "text": text, "cluster": f"{k}/{d.cluster}", "time": 1.7e9 + k * 7200 + i * 60})
        k += 1
    return out


def child(n: int, runner: bool) -> dict:
    docs = corpus(n)
    if runner:
        from summarizer.settings import Settings
        from summarizer.stories import run

        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "stream.jsonl"
            with open(src, "w", encoding="utf-8") as fh:
                for d in docs:
                    day = time.strftime("%Y-%m-%d", time.gmtime(d["time"]))
                    fh.write(json.dumps({"id": d["id"], "title": d["title"], "text": d["text"],
                                         "published": day}) + "\n")
            began, cpu = time.perf_counter(), time.process_time()
            result = run([src], Path(tmp) / "out", Settings(), brief=False)
            took, cpu = time.perf_counter() - began, time.process_time() - cpu
            stories = result.stories
            again, again_cpu = time.perf_counter(), time.process_time()
            rerun = run([src], Path(tmp) / "out", Settings(), brief=False)
            assert rerun.new_articles == 0 and rerun.written == [], "a rerun with nothing new changed something"
            extra = {"rerun_s": time.perf_counter() - again, "rerun_cpu": time.process_time() - again_cpu}
    else:
        from summarizer.stories.stream import Item, Stream

        s = Stream()
        began, cpu = time.perf_counter(), time.process_time()
        items = [Item(d["id"], d["title"], d["text"], d["time"]) for d in docs]
        placed = [p for i in range(0, len(items), BATCH) for p in s.place_many(items[i : i + BATCH])]
        took, cpu = time.perf_counter() - began, time.process_time() - cpu
        stories = len({p.story for p in placed})
        extra = {}
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    return {"n": n, "s": took, "cpu": cpu, "load": load, "per_s": n / took, "rss_mb": rss_mb, "stories": stories,
            **extra}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,2000,5000,10000")
    ap.add_argument("--runner", action="store_true")
    ap.add_argument("--child", type=int)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.runner)))
        return
    rows = []
    rerun = " rerun, nothing new: wall s / CPU s |" if args.runner else ""
    print("| articles | wall s | CPU s | articles/s (wall) | peak RSS MB | stories | CPU per 1,000 vs the first | "
          f"load average |{rerun}")
    print("|---|---|---|---|---|---|---|---|" + ("---|" if args.runner else ""))
    for n in map(int, args.sizes.split(",")):
        cmd = [sys.executable, __file__, "--child", str(n)] + (["--runner"] if args.runner else [])
        r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        rows.append(r)
        # CPU time, not wall: on a shared machine wall time follows the other users' load
        ratio = (r["cpu"] / r["n"]) / (rows[0]["cpu"] / rows[0]["n"])
        again = f" {r['rerun_s']:.1f} / {r['rerun_cpu']:.1f} |" if "rerun_s" in r else ""
        print(f"| {n:,} | {r['s']:.1f} | {r['cpu']:.1f} | {r['per_s']:.0f} | {r['rss_mb']:.0f} | {r['stories']:,} | "
              f"{ratio:.2f}x | {r['load']:.1f} |{again}", flush=True)


if __name__ == "__main__":
    main()
