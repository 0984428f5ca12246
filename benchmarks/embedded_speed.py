"""Where the embedded model's time goes, and the before/after ratio on the same machine.

    .venv/bin/python benchmarks/embedded_speed.py examples/syria-2016-02-21 \
        examples/belarus-election-2020-08 --before b7e9e8f --out /tmp/speed

For each cluster, in a fresh process per run (so the model load is counted): LLM calls (by
question kind, re-asks included), prompt tokens sent and actually evaluated (llama.cpp reuses the
KV cache for the prefix a call shares with the previous one), completion tokens, model load time
and wall time of the whole brief. ``--before REF`` runs the same measurement on the code of git
ref REF (checked out in a temporary worktree, same venv, same machine) and prints the ratio.
Each run writes its JSON briefing to OUT/<label>/<cluster>.json: compare them with
``benchmarks/diff_briefings.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(cluster: Path, out: Path) -> dict:
    """One cluster, in this process, instrumented. Imports the summarizer found on sys.path."""
    import llama_cpp

    import summarizer
    from summarizer.backends import embedded

    counts = {"prompt_evaluated": 0, "generated_evaluated": 0}
    state = {"first": False}
    real_generate, real_eval = llama_cpp.Llama.generate, llama_cpp.Llama.eval

    def generate(self, *a, **k):  # type: ignore[no-untyped-def]
        state["first"] = True  # the next eval is the prompt's uncached tail
        return real_generate(self, *a, **k)

    def eval_(self, tokens):  # type: ignore[no-untyped-def]
        counts["prompt_evaluated" if state["first"] else "generated_evaluated"] += len(tokens)
        state["first"] = False
        return real_eval(self, tokens)

    llama_cpp.Llama.generate, llama_cpp.Llama.eval = generate, eval_

    by_kind: Counter[str] = Counter()
    attempts: Counter[str] = Counter()
    real_structured = embedded.EmbeddedBackend.structured

    def structured(self, request):  # type: ignore[no-untyped-def]
        reply = real_structured(self, request)
        kind = request.response_model.__name__
        by_kind[kind] += 1
        attempts[kind] += reply.attempts
        return reply

    embedded.EmbeddedBackend.structured = structured
    load_s = 0.0
    real_load = getattr(embedded, "_load", None)
    if real_load is not None:
        def timed_load(*a, **k):  # type: ignore[no-untyped-def]
            nonlocal load_s
            info = real_load.cache_info() if hasattr(real_load, "cache_info") else None
            t = time.perf_counter()
            result = real_load(*a, **k)
            if info is None or real_load.cache_info().misses > info.misses:
                load_s += time.perf_counter() - t
            return result
        embedded._load = timed_load

    files = sorted(str(p) for p in cluster.iterdir() if p.suffix in {".txt", ".md", ".html"})
    began = time.perf_counter()
    briefing = summarizer.brief(files, summarizer.Settings.from_env())
    wall = time.perf_counter() - began
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{cluster.name}.json").write_text(briefing.model_dump_json(indent=2), encoding="utf-8")
    usage = briefing.run.usage
    return {
        "cluster": cluster.name,
        "articles": len(files),
        "wall_s": round(wall, 1),
        "load_s": round(load_s, 2),
        "calls": usage.calls,
        "questions": dict(by_kind),
        "attempts": dict(attempts),
        "prompt_sent": usage.prompt_tokens,
        "prompt_evaluated": counts["prompt_evaluated"],
        "completion": usage.completion_tokens,
        "figures": sum(len(e.killed.claims) + len(e.injured.claims) for e in briefing.events),
        "statements": len(briefing.statements),
        "events": len(briefing.events),
        # questions the text settled without a call (extract.options); absent from older code
        "read_from_text": getattr(briefing.grounding, "read_from_text", 0),
    }


def run_child(code: Path, cluster: Path, out: Path) -> dict:
    """Measure in a fresh interpreter whose ``summarizer`` is the one under ``code``."""
    env = dict(os.environ, PYTHONPATH=str(code))
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(cluster), "--out", str(out)],
        env=env, cwd=code, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"run failed on {cluster} with {code}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


ROWS = ("wall_s", "load_s", "calls", "read_from_text", "prompt_sent", "prompt_evaluated", "completion",
        "figures", "statements", "events")


def table(results: dict[str, list[dict]]) -> str:
    labels = list(results)
    lines = []
    for i, cluster in enumerate(r["cluster"] for r in results[labels[0]]):
        lines.append(f"\n{cluster}\n")
        head = "| | " + " | ".join(labels) + (" | before/after |" if len(labels) == 2 else " |")
        lines += [head, "|" + "---|" * (len(labels) + 1 + (len(labels) == 2))]
        for row in ROWS:
            vals = [results[label][i].get(row, 0) for label in labels]
            ratio = ""
            if len(labels) == 2 and row in ("wall_s", "calls", "prompt_evaluated", "completion") and vals[1]:
                ratio = f" {vals[0] / vals[1]:.2f}x |"
            elif len(labels) == 2:
                ratio = " |"
            lines.append(f"| {row} | " + " | ".join(str(v) for v in vals) + " |" + ratio)
        for label in labels:
            r = results[label][i]
            lines.append(f"\n{label}: questions {r['questions']}, attempts {r['attempts']}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("clusters", nargs="+", type=Path)
    ap.add_argument("--before", metavar="REF", help="also measure the code of this git ref")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "embedded-speed")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.clusters[0].resolve(), args.out)))
        return
    codes = {"after": ROOT}
    worktree = None
    if args.before:
        worktree = Path(tempfile.mkdtemp(prefix="speed-before-"))
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), args.before],
                       check=True, capture_output=True)
        codes = {"before": worktree, "after": ROOT}
    results: dict[str, list[dict]] = {label: [] for label in codes}
    try:
        for cluster in args.clusters:
            for label, code in codes.items():
                r = run_child(code, cluster.resolve(), args.out / label)
                print(f"{label} {cluster.name}: {r['wall_s']} s, {r['calls']} calls", file=sys.stderr)
                results[label].append(r)
    finally:
        if worktree is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)], check=False)
    print(f"# {time.strftime('%Y-%m-%d %H:%M')} UTC, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; briefings in {args.out}")
    print(table(results))


if __name__ == "__main__":
    main()
