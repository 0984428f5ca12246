"""The update scenario of ``summarizer stories``: a run on a stream, then the same run with 3 new
articles on one story. Counts the model calls (which articles were asked) and the files
rewritten, and prints what the story's briefing says changed.

    .venv/bin/python benchmarks/stories_update.py              # the tests' fake model (reads the toll off the text)
    .venv/bin/python benchmarks/stories_update.py --embedded   # the embedded SmolLM2-135M model (minutes)

The stream: the 7 example clusters as files in one folder (their order shuffled), plus the
made-up Northtown bombing and Southville flood of ``tests/stories_world.py``; the 3 new articles
are three more reports of the bombing, with a raised toll and a new statement.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from stories_world import ReadingBackend, bombing, flood  # noqa: E402

from summarizer.settings import Settings  # noqa: E402
from summarizer.stories import run  # noqa: E402


def mtimes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.suffix in (".json", ".md", ".html")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embedded", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    src, out = tmp / "in", tmp / "out"
    src.mkdir()
    files = sorted((ROOT / "examples").glob("*/*.txt"))
    random.Random(0).shuffle(files)
    for f in files:
        shutil.copy(f, src / f"{f.parent.name[:12]}-{f.name}")
    for i in range(3):
        (src / f"bomb{i}.txt").write_text(bombing(i, 20 + i, "We will rebuild the market" if i == 0 else None))
        (src / f"flood{i}.txt").write_text(flood(i, 5 + i))

    def backend() -> ReadingBackend | None:
        return None if args.embedded else ReadingBackend()

    settings = Settings(model="embedded") if args.embedded else Settings(strategy="whole")
    be = backend()
    began = time.perf_counter()
    first = run([src], out, settings, backend=be)
    print(f"first run: {first.new_articles} articles, {first.stories} stories, {len(first.briefed)} briefed, "
          f"{first.calls} model calls, {time.perf_counter() - began:.1f} s")
    before = mtimes(out)
    for i in (3, 4, 5):
        (src / f"bomb{i}.txt").write_text(bombing(i, 30 + i, "The market will open again" if i == 4 else None))
    be2 = backend()
    began = time.perf_counter()
    second = run([src], out, settings, backend=be2)
    after = mtimes(out)
    rewritten = sorted(n for n in after if after[n] != before.get(n))
    stories = {s["id"]: s for s in json.loads((out / "stories.json").read_text())["stories"]}
    print(f"second run (3 new articles on one story): {second.new_articles} new articles, "
          f"{len(second.briefed)} stories briefed ({', '.join(second.briefed)}), {second.calls} model calls"
          + (f" (articles asked: {', '.join(be2.asked)})" if be2 else "")
          + f", {time.perf_counter() - began:.1f} s")
    print(f"files rewritten: {', '.join(rewritten)}")
    for sid in second.briefed:
        print(f"what changed in {sid} ({stories[sid]['title']}):")
        for line in (stories[sid]["changes"] or {}).get("raised", []):
            print(f"  raised: {line}")
        print("  " + "\n  ".join(f"new statement: {s}" for s in stories[sid]["changes"]["new_statements"]))
    third = run([src], out, settings, backend=backend())
    print(f"third run (nothing new): {third.calls} model calls, {len(third.briefed)} briefed, "
          f"files rewritten: {', '.join(third.written) or 'none'}; {len(mtimes(out))} files unchanged: "
          f"{mtimes(out) == after}")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
