"""Tokens per article on the seed cluster against the embedded model, split into the article's
own tokens and everything else the prompt carries (instructions, chat template, schema text).

    .venv/bin/python benchmarks/tokens_per_article.py [--strategy whole|sentence] [ARTICLE ...]

For each call the article part is the text between the prompt's <article> tags (whole) or the
sentence shown (sentence); overhead = the call's prompt_tokens (as the model reports them) minus
that part's tokens. Real model calls: expect ~30 s per article (whole) or ~1 min (sentence).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer.backends import Reply, Request  # noqa: E402
from summarizer.backends.embedded import EmbeddedBackend, _load  # noqa: E402
from summarizer.extraction.strategies import extract  # noqa: E402
from summarizer.ingest.load import load_many  # noqa: E402
from summarizer.settings import Settings  # noqa: E402

_SHOWN = re.compile(r"<article[^>]*>\n(.*)\n</article>|Sentence: (.*)$", re.S)


class Recording:
    """Delegates to the real backend and keeps (request, reply) pairs."""

    def __init__(self, inner: EmbeddedBackend):
        self.inner = inner
        self.name, self.model, self.default_strategy = inner.name, inner.model, inner.default_strategy
        self.calls: list[tuple[Request, Reply]] = []

    def structured(self, request: Request) -> Reply:
        reply = self.inner.structured(request)
        self.calls.append((request, reply))
        return reply


def shown_part(messages: list[dict[str, str]]) -> str:
    last = messages[-1]["content"]
    m = _SHOWN.search(last)
    return (m.group(1) or m.group(2)) if m else last


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--strategy", default="whole", choices=("whole", "sentence"))
    seed = sorted(str(p) for p in (ROOT / "examples/syria-2016-02-21").glob("*.txt"))
    ap.add_argument("articles", nargs="*", default=seed)
    args = ap.parse_args()
    settings = Settings(strategy=args.strategy, max_retries=0)
    inner = EmbeddedBackend(settings)
    llm, _ = _load(str(inner.path), settings.n_ctx, settings.n_threads, settings.seed)

    def ntok(text: str) -> int:
        return len(llm.tokenize(text.encode(), add_bos=False))

    print(f"strategy={args.strategy} model={inner.model} n_ctx={settings.n_ctx} re-asks=0")
    print(f"{'article':<22} {'art.tok':>7} {'calls':>5} {'prompt':>7} {'shown':>7} {'overhead':>8} {'ovh/shown':>9} "
          f"{'compl':>6} {'sec':>6}")
    totals = [0, 0, 0, 0, 0]
    for art in load_many(args.articles).articles:
        backend = Recording(inner)
        began = time.perf_counter()
        extract(art, backend, settings)
        secs = time.perf_counter() - began
        prompt = sum(r.usage.prompt_tokens for _, r in backend.calls)
        compl = sum(r.usage.completion_tokens for _, r in backend.calls)
        shown = sum(ntok(shown_part(q.messages)) for q, r in backend.calls if r.usage.calls)
        overhead = prompt - shown
        print(f"{art.id:<22} {ntok(art.text):>7} {len(backend.calls):>5} {prompt:>7} {shown:>7} {overhead:>8} "
              f"{overhead / max(shown, 1):>8.0%} {compl:>6} {secs:>6.1f}")
        for i, v in enumerate((len(backend.calls), prompt, shown, overhead, compl)):
            totals[i] += v
    calls, prompt, shown, overhead, compl = totals
    print(f"{'total':<22} {'':>7} {calls:>5} {prompt:>7} {shown:>7} {overhead:>8} {overhead / max(shown, 1):>8.0%} "
          f"{compl:>6}")


if __name__ == "__main__":
    main()
