"""Made-up news for the stories tests: two stories (a bombing in Northtown, a flood in
Southville), articles that differ in their prose, and a fake model that reads each article's toll
and quote off its text (through the real instructor path) and logs what it was asked.

Also a script: ``python tests/stories_world.py SRC OUT ASKED_LOG DELAY_S`` runs ``stories.run``
with that model, slowed by DELAY_S per question (the kill -9 test)."""

from __future__ import annotations

import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

from conftest import FakeBackend

from summarizer.backends import Reply, Request

BOMB = [
    "Rescue teams searched the rubble of the Northtown market through the night.",
    "The blast shattered windows across the old quarter of Northtown and set stalls on fire.",
    "Hospitals in Northtown asked residents to donate blood after the market bombing.",
    "Investigators in Northtown said the car had been parked near the spice stalls since dawn.",
    "Shopkeepers in the Northtown market said the street had been packed with families.",
    "The Northtown governor declared three days of mourning for the market victims.",
    "Police closed every road into the Northtown market district after the bombing.",
    "No group has claimed the Northtown market bombing so far, officials said.",
    "Ambulances from three nearby towns drove to Northtown to carry the wounded from the market.",
]
FLOOD = [
    "The river burst its banks in Southville after four days of rain.",
    "Rescuers in boats pulled families from rooftops across the low districts of Southville.",
    "Southville schools were turned into shelters for people whose homes were flooded.",
    "The Southville dam operator said water levels were still rising on Tuesday evening.",
    "Farmers around Southville lost most of their rice harvest to the floodwater.",
    "Power and drinking water were cut in much of Southville as the flood spread.",
]


def bombing(i: int, killed: int, quote: str | None = None) -> str:
    pick = [BOMB[i % len(BOMB)], BOMB[(i + 1) % len(BOMB)]]  # neighbours share one sentence, no more
    text = [f"Northtown market bombing: report {i}", "",
            f"A car bomb exploded in the crowded central market of Northtown on Monday morning. "
            f"The bombing killed {killed} people, police said.",
            " ".join(pick)]
    if quote:
        text.append(f"\"{quote},\" Mayor Anna Kovac said.")
    return "\n\n".join(text) + "\n"


def flood(i: int, killed: int) -> str:
    pick = [FLOOD[i % len(FLOOD)], FLOOD[(i + 1) % len(FLOOD)]]
    return "\n\n".join([f"Southville flood: report {i}", "",
                        f"Heavy flooding swept through Southville on Tuesday. The flood killed {killed} people, "
                        "the fire brigade said.", " ".join(pick)]) + "\n"


_TOLL = re.compile(r"[^.\n]*\bkilled (\d+) people, (police|the fire brigade) said\.")
_QUOTE = re.compile(r"\"([^\"]+),\" Mayor Anna Kovac said\.")


class ReadingBackend(FakeBackend):
    """Answers each whole-article question with the article's toll (and the mayor's quote)."""

    name = "reading-fake"
    model = "reading-1"

    def __init__(self, log: Path | None = None, delay_s: float = 0.0):
        super().__init__(default_strategy="whole", mode="json_object")
        self.log, self.delay_s = log, delay_s
        self.asked: list[str] = []  # article ids asked, in order
        self._lock = threading.Lock()

    def structured(self, request: Request) -> Reply:
        if "article" not in (request.context or {}):
            return Reply()  # the narrative call: the template writes the paragraph
        article = request.context["article"]
        with self._lock:
            self.asked.append(article.id)
            if self.log is not None:
                with open(self.log, "a", encoding="utf-8") as fh:
                    fh.write(f"{article.sha256}\t{article.id}\n")
        time.sleep(self.delay_s)
        return super().structured(request)

    def _next(self, request: Request) -> dict[str, Any]:
        text = request.context["article"].text
        casualties, statements = [], []
        m = _TOLL.search(text)
        if m:
            casualties.append({"evidence": m.group(0).strip(), "killed": int(m.group(1)), "injured": None,
                               "place": None, "claimed_by": m.group(2), "event": None})
        q = _QUOTE.search(text)
        if q:
            statements.append({"evidence": q.group(0), "speaker": "Anna Kovac", "speaker_role": "Mayor",
                               "quote": q.group(1)})
        return {"casualties": casualties, "statements": statements, "events": []}


def main(argv: list[str]) -> int:
    from summarizer.settings import Settings
    from summarizer.stories import run

    src, out, log, delay = argv
    result = run([src], out, Settings(strategy="whole"), backend=ReadingBackend(Path(log), float(delay)))
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
