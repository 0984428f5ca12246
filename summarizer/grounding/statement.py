"""Grounding a statement: the speaker, the speech verb, the quotation marks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import lexicon
from ..ingest.article import Article
from ..language.phrases import name_phrases
from ..language.sentences import Sentence, article_sentences, covering
from ..schemas import (
    AlignmentStatus,
    Citation,
    DiplomaticStatement,
    GroundingIssue,
    Mention,
    StatementKind,
)
from . import attribution
from .align import cite, locate, trim
from .dates import scope_date, scope_is_background
from .issues import DROPPED_RECORD as _DROPPED_RECORD
from .issues import coded_issue
from .issues import short as _short
from .kinds import topic_of
from .outcome import Outcome, no_evidence, verified
from .scope import Scope, absent, evidence_scope, mention

# --- statements ----------------------------------------------------------------------------


def quoted_spans(article: Article, start: int, end: int) -> list[Citation]:
    """The quoted passages inside ``[start, end)``, without their quotation marks."""
    return [cite(article, q.start, q.end) for q in attribution.quoted_passages(article.text, start, end)]


def _audience(lex: lexicon.Lexicon) -> re.Pattern[str]:
    return re.compile(rf"\b(?:told|telling|in an interview with|speaking to)\s+(?P<aud>{lex.audiences}|"
                      r"(?:[A-Z][\w’'\-]+\s?){1,4})", re.U)
_MIN_AUTO_QUOTE_WORDS = 3  # shorter quoted bits are scare quotes ('provisional agreement'), not statements


@dataclass
class _Speech:
    """The occurrence of the speaker's name that the text attributes the words to."""

    speaker: attribution.Span
    own: bool  # in the words' own sentence (False: named in the sentence before)


def _sentence_bounds(scope: Scope, start: int, end: int) -> tuple[int, int]:
    sents = article_sentences(scope.article)
    over = covering(sents, start, end)
    return (min([s.start for s in over], default=start), max([s.end for s in over], default=end))


def _speech(scope: Scope, speaker: str, lo: int, hi: int, quotes: list[attribution.Span],
            passage: attribution.Span | None = None) -> _Speech | None:
    """Does the text give the words in the sentences ``[lo, hi)`` - the quoted ``passage``, or the
    sentence itself for a paraphrase - to the speaker? Yes when the speech verb that introduces them
    has the speaker as its subject ('…,” Brown warned', 'according to the agency'); or when its subject is
    'he', 'it' or 'the coalition' and the speaker is attributed elsewhere in the sentence or named in
    the sentence before; or when the sentence is a bare quote continuing what the speaker was saying."""
    text = scope.article.text
    names = [n for n in attribution.speaker_spans(scope.article, speaker, scope.start, scope.end)
             if not attribution.inside_quotes(quotes, n)]
    here = [n for n in names if lo <= n.start < hi]
    vs = attribution.verbs(text, lo, hi, quotes)
    targets = vs if passage is None else attribution.governing_verbs(text, vs, passage)
    for n in here:
        if any(attribution.linked(text, n, v, vs) for v in targets):
            return _Speech(n, True)
    before = [s for s in article_sentences(scope.article) if s.end <= lo]
    p = before[-1] if before else None
    prior = [n for n in names if p is not None and p.start <= n.start < p.end]
    if any(attribution.anaphoric_subject(text, lo, v) for v in targets):
        for n in here:  # 'the Russian Foreign Ministry indicated … what it called …'
            if any(attribution.linked(text, n, v, vs) for v in vs):
                return _Speech(n, True)
        for n in reversed(prior):
            if p is not None and _antecedent(text, p, n, quotes):
                return _Speech(n, False)
    if not vs and p is not None:  # a bare quote continuing what the speaker began saying
        p_quotes = [q for q in quotes if p.start <= q.start < p.end]
        p_verbs = attribution.verbs(text, p.start, p.end, quotes)
        for n in reversed(prior):
            if any(attribution.linked(text, n, v, p_verbs) for v in p_verbs) and (p_quotes or passage):
                return _Speech(n, False)
    return None


def _antecedent(text: str, p: Sentence, name: attribution.Span, quotes: list[attribution.Span]) -> bool:
    """May 'he', 'it' or 'the coalition' refer back to ``name`` in the sentence before? When that
    sentence has a speech verb, only its speaker may ('Smith said … Brown. He added …' is Smith);
    otherwise only the first name it gives, its subject ('Smith met Brown. He said …')."""
    p_verbs = attribution.verbs(text, p.start, p.end, quotes)
    if p_verbs:
        return any(attribution.linked(text, name, v, p_verbs) for v in p_verbs)
    first = next(iter(name_phrases(text, p.start, p.end)), None)
    return first is not None and first.start <= name.start < first.end + 1


def ground_statement(
    article: Article,
    *,
    evidence: str,
    speaker: str | None,
    quote: str | None,
    speaker_role: str | None = None,
    window: tuple[int, int] | None = None,
) -> Outcome:
    scope = evidence_scope(article, evidence, window)
    if scope is None:
        return no_evidence("statement", evidence)
    span = scope.evidence
    issues: list[GroundingIssue] = []
    if not speaker or speaker.strip().lower() in lexicon.current().unnamed_speakers:
        issues.append(coded_issue("pronoun_speaker", "statement", "speaker", speaker or "null",
                                  "name the speaker as the text does, not a pronoun", _DROPPED_RECORD))
        return Outcome(None, issues)
    text = article.text
    quotes = attribution.quoted_passages(text, scope.start, scope.end)
    names = attribution.speaker_spans(article, speaker, scope.start, scope.end)
    if not names:
        issues.append(absent(scope, "statement", "speaker", speaker, _DROPPED_RECORD))
        return Outcome(None, issues)
    if all(attribution.inside_quotes(quotes, n) for n in names):
        issues.append(coded_issue("speaker_inside_quote", "statement", "speaker", speaker,
                                  f"'{speaker}' only occurs inside the quoted words, not as who said them",
                                  _DROPPED_RECORD))
        return Outcome(None, issues)

    chosen: tuple[Citation, _Speech] | None = None
    if quote and quote.strip(" \"'“”‘’"):
        chosen = _model_quote(scope, span, speaker, quote.strip(" \"'“”‘’"), quotes, issues)
    else:
        for q in sorted((q for q in quotes if span.start <= q.start and q.end <= span.end),
                        key=lambda q: q.start - q.end):
            if len(text[q.start:q.end].split()) < _MIN_AUTO_QUOTE_WORDS:
                continue
            lo, hi = _sentence_bounds(scope, q.start, q.end)
            who = _speech(scope, speaker, lo, hi, quotes, q)
            if who is not None:
                chosen = (cite(article, q.start, q.end), who)
                break
    if chosen is not None:
        kind, (text_c, who) = StatementKind.QUOTE, chosen
    else:
        who = _speech(scope, speaker, scope.sentence_start, scope.sentence_end, quotes)
        if who is None:
            issues.append(coded_issue("no_speech_verb", "statement", "speaker", speaker,
                                      f"the cited sentence does not say that '{speaker}' said anything (no speech verb "
                                      f"such as 'said', 'told', 'according to' for '{speaker}')", _DROPPED_RECORD))
            return Outcome(None, issues)
        kind, text_c = StatementKind.PARAPHRASE, span
    exact = text[who.speaker.start:who.speaker.end] == speaker.strip()
    speaker_c = cite(article, who.speaker.start, who.speaker.end,
                     AlignmentStatus.EXACT if exact else AlignmentStatus.NORMALIZED)
    role_c = mention(scope, speaker_role, wide=True)
    if speaker_role and role_c is None:
        issues.append(coded_issue("not_in_sentence", "statement", "speaker_role", speaker_role,
                                  f"'{speaker_role}' does not occur near the statement"))
    aud = lexicon.current().compiled("audience", _audience).search(text, scope.sentence_start, scope.sentence_end)
    record = DiplomaticStatement(
        speaker=Mention(value=speaker_c.text, citation=speaker_c),
        speaker_role=Mention(value=role_c.text, citation=role_c) if role_c else None,
        kind=kind,
        text=Mention(value=text_c.text, citation=text_c),
        audience=Mention(value=aud.group("aud").strip(),
                         citation=cite(article, *trim(text, aud.start("aud"), aud.end("aud"))))
        if aud else None,
        topic=topic_of(text[scope.sentence_start:scope.sentence_end]),
        date=scope_date(scope, scope_is_background(scope)),
        evidence=span,
    )
    return verified(record, article, "statement", issues)


def _model_quote(scope: Scope, span: Citation, speaker: str, quote: str,
                 quotes: list[attribution.Span], issues: list[GroundingIssue]) -> tuple[Citation, _Speech] | None:
    """The model's quote, if it is the article's words, inside quotation marks, said by the speaker.
    Otherwise the issue is recorded and the statement falls back to a paraphrase."""
    art = scope.article
    quote_c = locate(art, quote, span.start, span.end)
    if quote_c is None:
        issues.append(coded_issue("quote_mismatch", "statement", "quote", _short(quote),
                                  "the quote does not match the article's words"))
        return None
    passage = next((q for q in quotes if q.start <= quote_c.start and quote_c.end <= q.end), None)
    if passage is None:
        issues.append(coded_issue("quote_not_in_marks", "statement", "quote", _short(quote),
                                  "these words are not inside quotation marks in the cited text: give null "
                                  "for a paraphrase"))
        return None
    lo, hi = _sentence_bounds(scope, passage.start, passage.end)
    who = _speech(scope, speaker, lo, hi, quotes, passage)
    if who is None:
        issues.append(coded_issue("quote_not_attributed", "statement", "quote", _short(quote),
                                  f"the cited text does not attribute these quoted words to '{speaker}'"))
        return None
    return quote_c, who
