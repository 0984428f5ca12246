"""What merging needs to know about a record and its article, read once here from the article's
text, so that merging works on records alone and never reads an article again.

A record's ``RecordContext``: its evidence's whole sentence(s), the sentence before it in the same
paragraph, the incident its words name (casualty records) and whether the words around its place
say where it happened (event records). An article's ``ArticleFacts``: its lead, the acronyms it
spells out and the places it nests (datelines included).

>>> from summarizer.ingest.article import make_article
>>> facts = article_facts(make_article("It was counted by the Center for Civil Monitoring (CCM).", id="a"))
>>> [(a.short, a.long) for a in facts.acronyms]
[('CCM', 'Center for Civil Monitoring')]
"""

from __future__ import annotations

import re

from .. import lexicon
from ..ingest.article import Article
from ..language.patterns import NAME_WORD, alternation
from ..language.sentences import article_sentences, covering, sentence_at
from ..schemas import (
    Acronym,
    ArticleFacts,
    CasualtyReport,
    Event,
    EventKind,
    RecordContext,
)
from . import kinds
from .align import cite
from .places import company_names, nestings_in, where_it_happened
from .referents import referents_in

LEAD_CHARS = 600  # where a figure naming no place happened, when its paragraph does not say


def _acronym(lex: lexicon.Lexicon) -> re.Pattern[str]:
    joins = alternation(lex.acronym_connectors)
    return re.compile(rf"((?:{NAME_WORD} (?:(?:{joins}) )*){{1,7}}{NAME_WORD}) \(([A-Z]{{2,6}})\)")


def acronyms_in(text: str) -> list[Acronym]:
    """'Center for Civil Monitoring (CCM)': every acronym the text spells out, in order."""
    pattern = lexicon.current().compiled("acronym", _acronym)
    return [Acronym(short=m.group(2), long=m.group(1)) for m in pattern.finditer(text)]


def article_facts(article: Article) -> ArticleFacts:
    text = article.text
    return ArticleFacts(
        lead=text[:LEAD_CHARS],
        acronyms=acronyms_in(text),
        nestings=nestings_in(text),
        companies=company_names(text),
        referents=referents_in(text),
    )


def record_context(article: Article, record: CasualtyReport | Event) -> RecordContext:
    """Where ``record`` sits in ``article``: its sentence(s) by the splitter grounding uses, the
    sentence before (same paragraph only), the kind its words name, whether its place says where."""
    text, evidence = article.text, record.evidence
    sentences = article_sentences(article)
    over = covering(sentences, evidence.start, evidence.end)
    sentence = cite(article, over[0].start, over[-1].end) if over else evidence
    before = ""
    i = sentence_at(sentences, evidence.start)
    if i:
        prev = sentences[i - 1]
        if "\n" not in text[prev.end:sentences[i].start]:
            before = text[prev.start:prev.end]
    ctx = RecordContext(sentence=sentence, before=before)
    if isinstance(record, CasualtyReport):
        ctx.kind, ctx.kind_from = named_incident(sentence.text, before)
    elif record.place is not None and record.place.citation is not None:
        ctx.place_says_where = where_it_happened(text, record.place.citation.start, record.place.citation.end)
    return ctx


def bare_context(record: CasualtyReport | Event) -> RecordContext:
    """The context of a record built without its article (by hand): its evidence is all there is to read."""
    if isinstance(record, Event):
        return RecordContext(sentence=record.evidence)
    kind, kind_from = named_incident(record.evidence.text, "")
    return RecordContext(sentence=record.evidence, kind=kind, kind_from=kind_from)


def context_of(record: CasualtyReport | Event) -> RecordContext:
    return record.context or bare_context(record)


def named_incident(sentence: str, before: str) -> tuple[EventKind | None, str | None]:
    """The incident its sentence's words name ('twin bombings', 'the earthquake'), else the
    sentence before's; never a default."""
    for text, where in ((sentence, "sentence"), (before, "before")):
        named = [k for k in kinds.kinds_named(text) if kinds.is_incident(k)]
        if named:
            return named[0], where
    return None, None
