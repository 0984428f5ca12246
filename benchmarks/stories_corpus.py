"""The mixed dev stream for the stories benchmarks: the 7 example clusters and the 17 devset
clusters (read from ../shared/devset at run time, never copied), shuffled, plus near-duplicates
made by re-wrapping some articles with other furniture (headline, byline, boilerplate lines).

Imported by ``stories_quality.py``, ``stories_speed.py`` and ``stories_update.py``.
"""

from __future__ import annotations

import calendar
import random
import re
from dataclasses import dataclass
from pathlib import Path

import summarizer

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT.parent / "shared" / "devset"

OUTLETS = ["Daily Courier", "Evening Ledger", "Metro Wire", "Coastal Herald", "Valley Times", "Capital Post"]
BOILER = [
    "Copyright {year} {outlet}. All rights reserved.",
    "Follow {outlet} on Twitter and Facebook for breaking news.",
    "Sign up for our newsletter to get the day's top stories.",
    "This story has been updated.",
    "Related: more coverage from {outlet}",
    "Photo: file image",
    "Advertisement",
]


@dataclass
class Doc:
    key: str
    cluster: str
    title: str
    text: str
    base: str  # the article this one re-wraps (itself for an original)
    # published time, epoch seconds: the date the article's text states near its top (the
    # ingest's dateline reading), else None: undated, clustered on its content alone
    time: float | None = None
    time_basis: str | None = None  # 'text' or None


def clusters() -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for d in sorted((ROOT / "examples").iterdir()):
        if d.is_dir():
            out[d.name] = sorted(d.glob("*.txt"))
    if not DEVSET.is_dir():
        raise SystemExit(f"no devset at {DEVSET}: the benchmark reads ../shared/devset beside the project")
    for d in sorted(DEVSET.iterdir()):
        if d.is_dir():
            out[d.name] = sorted(d.glob("D*.txt"))
    return out


def originals() -> list[Doc]:
    """Each cluster's articles, each at the date its own text states near its top (the ingest's
    dateline reading, as ``summarizer stories`` reads a file without metadata), else undated."""
    docs = []
    for name, paths in clusters().items():
        for a in summarizer.load([*paths]).articles:
            key = f"{name}/{a.id}"
            when = float(calendar.timegm(a.published.timetuple())) if a.published is not None else None
            docs.append(Doc(key, name, a.title or "", a.text, key, when, "text" if when is not None else None))
    return docs


def rewrap(doc: Doc, rng: random.Random, n: int) -> Doc:
    """The same prose under other furniture: a new headline and byline, the original headline
    dropped, boilerplate lines before and after, paragraphs kept as they are."""
    outlet = rng.choice(OUTLETS)
    lines = doc.text.split("\n")
    if doc.title and lines and lines[0].strip() == doc.title.strip():
        lines = lines[1:]
    words = re.findall(r"\w+", doc.title) or ["News"]
    head = " ".join(words[: max(3, len(words) - 2)]).upper() if rng.random() < 0.5 else \
        f"{outlet}: " + " ".join(words[:6])
    fill = {"year": 2026, "outlet": outlet}
    top = [head, f"By {rng.choice(['Staff', 'Wire', 'News Desk'])} reporter, {outlet}", ""]
    bottom = ["", *(b.format(**fill) for b in rng.sample(BOILER, 3))]
    return Doc(f"{doc.key}#dup{n}", doc.cluster, head, "\n".join(top + lines + bottom), doc.base,
               doc.time, doc.time_basis)


def stream(seed: int = 0, duplicates: int = 25) -> list[Doc]:
    rng = random.Random(seed)
    docs = originals()
    picked = rng.sample(docs, duplicates)
    docs += [rewrap(d, rng, i) for i, d in enumerate(picked)]
    rng.shuffle(docs)
    return docs
