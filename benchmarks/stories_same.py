"""Whether a speed change kept the clustering decisions: this checkout and another commit place the
speed benchmark's stream (``stories_speed.corpus``), and their decisions are compared.

    .venv/bin/python benchmarks/stories_same.py --against d9bb254 [--size 10000]

The other commit is unpacked with ``git archive`` into a temporary directory and imported from
there; both sides read the same stream (this checkout's ``stories_speed.py``). Each side, in a
process of its own: ``summarizer.stories.run(..., brief=False)`` on the stream as JSONL (each
article's story, the article it duplicates, its similarity, its stored signature and counts;
``stories.json`` and ``index.html``), then ``Stream.place_many`` on the same articles (story,
duplicate, new story or not, similarity). Prints how many articles differ in their decisions
(story or duplicate), in their similarity only (and by how much at most), and in anything else.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def dump(root: Path, n: int, out: Path) -> None:
    """One side's decisions, one line per article (runner ``R``, stream ``S``), then the outputs' hashes."""
    sys.path.insert(0, str(root))
    import summarizer

    assert Path(summarizer.__file__).resolve().is_relative_to(root.resolve()), summarizer.__file__
    from stories_speed import corpus

    from summarizer.settings import Settings
    from summarizer.stories import run
    from summarizer.stories.stream import Item, Stream

    docs = corpus(n)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "stream.jsonl"
        src.write_text("".join(json.dumps({"id": d["id"], "title": d["title"], "text": d["text"],
                                           "published": time.strftime("%Y-%m-%d", time.gmtime(d["time"]))}) + "\n"
                               for d in docs), encoding="utf-8")
        run([src], Path(tmp) / "out", Settings(), brief=False)
        with sqlite3.connect(Path(tmp) / "out" / "stories.sqlite") as db:
            for r in db.execute("SELECT id, story, duplicate_of, similarity, signature, counts FROM articles "
                                "ORDER BY seq"):
                blobs = hashlib.sha256((r[4] or b"") + b"|" + (r[5] or b"")).hexdigest()[:16]
                lines.append(json.dumps(["R", r[0], r[1], r[2], r[3], blobs]))
        for name in ("stories.json", "index.html"):  # the temporary path named in them is not theirs
            text = (Path(tmp) / "out" / name).read_text(encoding="utf-8").replace(tmp, "TMP")
            lines.append(json.dumps([name, hashlib.sha256(text.encode()).hexdigest()]))
    stream = Stream()
    items = [Item(d["id"], d["title"], d["text"], d["time"]) for d in docs]
    for i in range(0, len(items), 256):
        for p in stream.place_many(items[i:i + 256]):
            lines.append(json.dumps(["S", p.key, p.story, p.duplicate_of, p.similarity, p.new_story]))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def compare(a: list[list], b: list[list]) -> dict[str, float]:
    decisions = similarity = other = 0
    largest = 0.0
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        if x[0] in ("R", "S"):  # [kind, id, story, duplicate of, similarity, blobs or new story]
            if x[:4] != y[:4] or (x[0] == "S" and x[5] != y[5]):
                decisions += 1
            elif x[5] != y[5]:
                other += 1
            else:
                similarity += 1
                largest = max(largest, abs(x[4] - y[4]))
        else:
            other += 1
    return {"lines": len(a), "decisions": decisions, "similarity_only": similarity, "largest": largest,
            "other": other}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--against", help="a commit of this repository")
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--child", nargs=3, metavar=("ROOT", "N", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        dump(Path(args.child[0]), int(args.child[1]), Path(args.child[2]))
        return
    if not args.against:
        ap.error("--against COMMIT is needed")
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "other"
        other.mkdir()
        archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", args.against], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(other)], input=archive, check=True)
        sides = {}
        for name, root in (("this", HERE.parent), (args.against, other)):
            out = Path(tmp) / f"{name}.jsonl"
            subprocess.run([sys.executable, __file__, "--child", str(root), str(args.size), str(out)], check=True)
            sides[name] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    got = compare(sides[args.against], sides["this"])
    print(f"{args.size:,} articles, {got['lines']:,} lines (runner and stream): decisions differ in "
          f"{got['decisions']}, similarity only in {got['similarity_only']} (largest difference "
          f"{got['largest']:.3g}), anything else in {got['other']}")


if __name__ == "__main__":
    main()
