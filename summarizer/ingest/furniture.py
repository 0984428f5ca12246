"""Web furniture: lines that are never evidence (banners, repeated headlines, related links), and the headline."""

from __future__ import annotations

import re

from .. import lexicon
from .injection import reads_as_instruction


def is_furniture(line: str) -> bool:
    """Web furniture (lexicon/noise.toml): a whole line that is furniture ("File photo"), or a short
    line with a furniture phrase ("Sign up for our newsletter"). A news sentence that happens to
    say "sign up" is long enough to stay evidence."""
    lex = lexicon.current()
    if lex.noise_line.match(line):
        return True
    # split(None, k) has at most k parts exactly when the line has at most k words (a long line
    # is not split in full)
    k = lex.noise_phrase_words
    return len(line.split(None, k)) <= k and bool(lex.noise_phrase.search(line))


def _is_related_link(line: str) -> bool:
    """'More Front Lists Attacks On Coastal Towns ...': a headline link dropped into the body."""
    words = line.split()
    if not line.startswith("More ") or len(words) < 5 or line[-1] in ".!?\"”":
        return False
    return sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def noise_spans(text: str, title: str | None) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    title_seen = False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and title and stripped == title:
            if title_seen:
                spans.append((pos, pos + len(line)))  # the page repeats its headline
            title_seen = True
        elif stripped and (is_furniture(stripped) or _is_related_link(stripped)):
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def headline(text: str) -> str | None:
    """The first line, when it reads as a headline (short, one sentence at most)."""
    lines = text.split("\n")
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    for i, line in enumerate(lines):
        line = line.strip()
        if not line:
            continue
        shaped = len(line) <= 160 and not re.search(r"[.!?][\"”’]?\s+[A-Z]", line)
        if not shaped and i == last:
            # no headline either way: the injection patterns over a one-line article cost most
            # of reading a JSONL record
            return None
        if is_furniture(line) or reads_as_instruction(line):
            continue
        return line if shaped else None
    return None
