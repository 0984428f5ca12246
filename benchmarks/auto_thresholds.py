"""Measure what ``--strategy auto`` needs to judge a whole-article answer (issue 15).

For every example cluster, the hand-written proposals (tests/fixtures: a correct reading of each
article, no model) stand in for a perfect whole-article answer. Per article this prints:

* the answer's size in SmolLM2 tokens against the article's (sizes ``max_tokens``);
* how many of those correct proposals today's grounding keeps (sets "grounds too little");
* how many candidate sentences the deterministic selector finds.

    .venv/bin/python benchmarks/auto_thresholds.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.clusters import cluster_articles, cluster_names, cluster_proposals, grounding_outcomes  # noqa: E402

from summarizer.backends.embedded import bundled_model_path  # noqa: E402
from summarizer.extraction.auto import answer_token_cap, too_little  # noqa: E402
from summarizer.extraction.candidates import select_candidates  # noqa: E402


def main() -> None:
    from llama_cpp import Llama

    tok = Llama(model_path=str(bundled_model_path()), vocab_only=True, verbose=False)

    def count(text: str) -> int:
        return len(tok.tokenize(text.encode(), add_bos=False))

    print(f"{'article':48} {'art_tok':>7} {'ans_tok':>7} {'ratio':>5} {'cap':>5} {'kept':>9} {'cands':>5}  judged")
    ratios, kept_fracs, tripped = [], [], 0
    for name in cluster_names():
        arts = cluster_articles(name)
        props = cluster_proposals(name)
        outcomes = grounding_outcomes(name)
        for aid, kinds in sorted(props.items()):
            art = arts[aid]
            answer = {k: kinds.get(k, []) for k in ("casualties", "statements", "events")}
            # as compact as a model writes it ({"a": 1, "b": [...]}); an indented answer costs more
            a_tok = count(json.dumps(answer, ensure_ascii=False))
            t_tok = count(art.text)
            est = len(art.text) / 4  # what the cap sees: characters / 4
            mine = [o for o in outcomes if o.article_id == aid]
            kept = sum(not o.dropped for o in mine)
            c = select_candidates(art)
            kept_cs = sum(not o.dropped and o.record_type != "events" for o in mine)
            verdict = too_little(len(mine), kept, kept_cs, len(c.casualty) + len(c.statement)) or "ok"
            # The cap counts characters; the answer is measured in tokens: check it fits.
            fits = "" if a_tok <= answer_token_cap(len(art.text)) else "  ANSWER > CAP"
            ratios.append(a_tok / est)
            tripped += verdict != "ok"
            if mine:
                kept_fracs.append(kept / len(mine))
            print(f"{name[:20] + '/' + aid[:26]:48} {t_tok:7} {a_tok:7} {a_tok / t_tok:5.2f} "
                  f"{answer_token_cap(len(art.text)):5} {kept:>4}/{len(mine):<4} "
                  f"{len(c.casualty) + len(c.statement):5}  {verdict}{fits}")
    print(f"answer tokens / (article chars / 4): max {max(ratios):.2f}, median {sorted(ratios)[len(ratios) // 2]:.2f}")
    print(f"kept fraction of correct proposals: min {min(kept_fracs):.2f}, "
          f"median {sorted(kept_fracs)[len(kept_fracs) // 2]:.2f}")
    print(f"correct readings judged 'grounds too little': {tripped} of {len(ratios)}")


if __name__ == "__main__":
    main()
