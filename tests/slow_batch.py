"""A batch run with a slow fake model, for the kill -9 tests (``test_resume.py``).

    python tests/slow_batch.py SRC OUT ASKED_LOG DELAY_S CONCURRENCY

``SlowBackend`` answers a valid, grounded draft after ``DELAY_S`` and appends the asked article's
sha256 and id to ASKED_LOG before answering, so the test can tell which articles were asked and
by which run. No network, no model.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from pathlib import Path

from pydantic import ValidationError

from summarizer import batch
from summarizer.backends import Reply, Request
from summarizer.schemas import Usage
from summarizer.settings import Settings

_TOLL = re.compile(r"[^.\n]*\bkilled (\d+) people[^.\n]*\.")


class SlowBackend:
    name = "slow-fake"
    model = "slow-1"
    default_strategy = "whole"

    def __init__(self, log: Path, delay_s: float):
        self.log = log
        self.delay_s = delay_s
        self._lock = threading.Lock()

    def structured(self, request: Request) -> Reply:
        if "article" not in (request.context or {}):
            return Reply()  # the narrative call: no answer, so the briefing keeps its template paragraph
        article = request.context["article"]
        with self._lock, open(self.log, "a", encoding="utf-8") as fh:
            fh.write(f"{article.sha256}\t{article.id}\n")
        time.sleep(self.delay_s)
        m = _TOLL.search(article.text)
        casualties = [{"evidence": m.group(0).strip(), "killed": int(m.group(1)), "injured": None, "place": None,
                       "claimed_by": "police", "event": "bombing"}] if m else []
        answer = {"casualties": casualties, "statements": [], "events": []}
        reply = Reply(attempts=1, usage=Usage(calls=1, prompt_tokens=len(article.text) // 4, completion_tokens=40))
        try:
            reply.value = request.response_model.model_validate(answer, context=request.context)
        except ValidationError as exc:
            reply.errors.append(str(exc))
        return reply


def main(argv: list[str]) -> int:
    src, out, log, delay, concurrency = argv
    backend = SlowBackend(Path(log), float(delay))
    result = batch.run(src, out, Settings(strategy="whole", concurrency=int(concurrency)), backend=backend)
    return result.exit_code


if __name__ == "__main__":
    os.environ.pop("OPENAI_API_KEY", None)
    sys.exit(main(sys.argv[1:]))
