"""A batch run with a slow fake model, for the kill -9 tests (``test_resume.py``).

    python tests/slow_batch.py SRC OUT ASKED_LOG DELAY_S CONCURRENCY

``SlowBackend`` answers a valid, grounded draft (a raw completion through the real instructor
path) after ``DELAY_S`` and appends the asked article's
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
from typing import Any

from conftest import FakeBackend  # this file's folder is sys.path[0] when run as a script

from summarizer.backends import Reply, Request
from summarizer.batch import runner as batch
from summarizer.settings import Settings

_TOLL = re.compile(r"[^.\n]*\bkilled (\d+) people[^.\n]*\.")


class SlowBackend(FakeBackend):
    """Answers through the real instructor path (``FakeBackend``), the answer read off the article."""

    name = "slow-fake"
    model = "slow-1"

    def __init__(self, log: Path, delay_s: float):
        super().__init__(default_strategy="whole", mode="json_object")
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
        return super().structured(request)

    def _next(self, request: Request) -> dict[str, Any]:
        """A valid, grounded draft of the article's toll sentence (read per request: thread-safe)."""
        m = _TOLL.search(request.context["article"].text)
        casualties = [{"evidence": m.group(0).strip(), "killed": int(m.group(1)), "injured": None, "place": None,
                       "claimed_by": "police", "event": "bombing"}] if m else []
        return {"casualties": casualties, "statements": [], "events": []}


def main(argv: list[str]) -> int:
    src, out, log, delay, concurrency = argv
    backend = SlowBackend(Path(log), float(delay))
    result = batch.run(src, out, Settings(strategy="whole", concurrency=int(concurrency)), backend=backend)
    return result.exit_code


if __name__ == "__main__":
    os.environ.pop("OPENAI_API_KEY", None)
    sys.exit(main(sys.argv[1:]))
