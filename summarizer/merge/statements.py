"""Statements: the same words from one speaker, reported by several articles (or truncated by
one), become one statement with every citation; paraphrases stay apart from quotes.

Statements are blocked by (speaker, kind); inside a block an index of words picks the few
entries worth comparing, so merging grows with the number of statements, not its square.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from ..language.folding import fold_text
from ..language.names import name_key
from ..schemas import ArticleExtraction, Citation, DiplomaticStatement, MergedStatement, StatementKind

if TYPE_CHECKING:
    from .actors import ActorIndex


def _quote_words(text: str) -> tuple[str, ...]:
    return tuple(re.sub(r"[^\w ]+", "", fold_text(text)).split())


@dataclass
class _Said:
    """One merged statement while it is being built."""

    words: tuple[str, ...]
    text: str
    articles: set[str] = field(default_factory=set)
    citations: set[Citation] = field(default_factory=set)
    topic: str | None = None

    def add(self, st: DiplomaticStatement, article_id: str) -> None:
        if (len(st.text.value), st.text.value) > (len(self.text), self.text):
            self.text = st.text.value
        self.articles.add(article_id)
        self.citations.update((st.text.citation, st.speaker.citation))
        if st.topic and (self.topic is None or st.topic < self.topic):
            self.topic = st.topic


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    return f" {' '.join(inner)} " in f" {' '.join(outer)} "


def _merge_block(items: list[tuple[tuple[str, ...], str, DiplomaticStatement]], kind: StatementKind) -> list[_Said]:
    """One speaker's statements of one kind. Longest first (an order of content, so the input order
    cannot matter): each joins the earliest entry whose words contain its words ("is not yet done"
    inside a longer quote), else, for a paraphrase, the entry it resembles most (token-set ratio
    >= 90), else starts an entry. Candidates come from a word index: only entries holding the
    statement's rarest word are compared, never the whole block."""
    items.sort(key=lambda it: (-len(it[0]), it[0], it[1], it[2].text.value, it[2].evidence.start))
    entries: list[_Said] = []
    exact: dict[tuple[str, ...], _Said] = {}
    postings: dict[str, list[int]] = defaultdict(list)
    for words, article_id, st in items:
        entry = exact.get(words)
        if entry is None and words:
            ranked = sorted(set(words), key=lambda w: (len(postings.get(w, ())), w))
            if all(w in postings for w in words):
                entry = next((entries[i] for i in postings[ranked[0]] if _contains(entries[i].words, words)), None)
            if entry is None and kind == StatementKind.PARAPHRASE:
                near = sorted({i for w in ranked[:3] for i in postings.get(w, ())})
                key = " ".join(words)
                scored = [(fuzz.token_set_ratio(key, " ".join(entries[i].words)), -i) for i in near]
                best = max(scored, default=None)
                if best and best[0] >= 90:
                    entry = entries[-best[1]]
        if entry is None:
            entry = _Said(words, st.text.value)
            for w in set(words):
                postings[w].append(len(entries))
            entries.append(entry)
        exact.setdefault(words, entry)
        entry.add(st, article_id)
    return entries


def merge_statements(extractions: list[ArticleExtraction], actors: ActorIndex) -> list[MergedStatement]:
    blocks: dict[tuple, list] = defaultdict(list)  # (speaker id, kind, speaker name) -> statements
    for ex in extractions:
        for st in ex.statements:
            sid = actors.id_of(st.speaker.value, ex.article_id) or name_key(st.speaker.value)
            blocks[(sid, st.kind, actors.name_of(st.speaker.value, ex.article_id))].append(
                (_quote_words(st.text.value), ex.article_id, st))
    out = []
    for (sid, kind, name), items in blocks.items():
        for e in _merge_block(items, kind):
            out.append(MergedStatement(id="", speaker=name or sid, speaker_actor=sid, kind=kind, text=e.text,
                                       topic=e.topic, articles=sorted(e.articles),
                                       citations=sorted(e.citations, key=lambda c: (c.article_id, c.start, c.end))))
    out.sort(key=lambda s: (-len(s.articles), s.speaker, s.kind, s.text))
    for i, s in enumerate(out, 1):
        s.id = f"statement:{i}"
    return out
