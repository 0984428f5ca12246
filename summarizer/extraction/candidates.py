"""Candidate sentences for the ``sentence`` strategy, picked deterministically (no model)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import lexicon
from ..grounding.casualty import has_casualty_figure, has_other_figure
from ..grounding.perpetrators import names_a_perpetrator
from ..grounding.statement import quoted_spans
from ..ingest.article import Article
from ..language.sentences import Sentence, split_sentences

# A "sentence" longer than this (a page that is one unpunctuated line) is asked about in pieces:
# news sentences run to a few hundred characters (the seed cluster's longest: 355).
MAX_SENTENCE_CHARS = 1000


# --- candidate selection -------------------------------------------------------------------


@dataclass
class Candidates:
    casualty: list[Sentence] = field(default_factory=list)
    statement: list[Sentence] = field(default_factory=list)
    event: list[Sentence] = field(default_factory=list)


def _named_speaker(lex: lexicon.Lexicon) -> re.Pattern[str]:
    """'Smith said', 'said the Monitor': a capitalized name next to a speech verb."""
    return re.compile(
        rf"\b[A-Z][\w’'\-]+,?\s+(?:has |had |also |later |then )?(?:{lex.speaker_verbs})\b"
        rf"|\b(?:{lex.inverted_verbs})\s+(?:the\s+)?[A-Z][\w’'\-]+"
    )


def select_candidates(article: Article, max_events: int = 6) -> Candidates:
    """Deterministic pre-selection of the sentences worth a question."""
    lex = lexicon.current()
    named_speaker = lex.compiled("named_speaker", _named_speaker)
    out = Candidates()
    asked, doers = 0, 0  # event sentences by their words, and those asked because they name who did it
    for s in pieces(article.text, MAX_SENTENCE_CHARS):
        if article.is_noise(s.start, s.end):
            continue
        # A sentence that says who did it is asked about as an event too, whatever else it holds
        # ("The gunman, identified as X, …, according to the prosecutor"); a few, beside the cap.
        if doers < max_events and names_a_perpetrator(article.text, s.start, s.end):
            doers += 1
            out.event.append(s)
            if has_casualty_figure(article, s.start, s.end):
                out.casualty.append(s)
            elif any(len(q.text.split()) >= 3 for q in quoted_spans(article, s.start, s.end)) \
                    or named_speaker.search(s.text):
                out.statement.append(s)
            continue
        if has_casualty_figure(article, s.start, s.end):
            out.casualty.append(s)
            continue
        quotes = quoted_spans(article, s.start, s.end)
        if any(len(q.text.split()) >= 3 for q in quotes) or named_speaker.search(s.text):
            out.statement.append(s)
            continue
        other = has_other_figure(article, s.start, s.end)
        if lex.event_words.search(s.text) and asked < max_events:
            asked += 1
            out.event.append(s)
        if other:
            # Missing, displaced, arrested…: read from the text (extract.options), also from a sentence
            # that tells what happened ("the plane went missing with 239 people on board").
            out.casualty.append(s)
    return out


def pieces(text: str, max_chars: int) -> list[Sentence]:
    """Sentences, with any longer than ``max_chars`` (a page that is one huge line with no full
    stop) cut at spaces, so no request outgrows its window."""
    out: list[Sentence] = []
    for s in split_sentences(text):
        pos = s.start
        while s.end - pos > max_chars:
            cut = text.rfind(" ", pos + max_chars // 2, pos + max_chars)
            cut = cut if cut > pos else pos + max_chars
            out.append(Sentence(pos, cut, text[pos:cut]))
            pos = cut
            while pos < s.end and text[pos].isspace():
                pos += 1
        if pos < s.end:
            out.append(Sentence(pos, s.end, text[pos:s.end]))
    return out
