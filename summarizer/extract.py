"""Article -> ArticleExtraction: ask the model, keep only what grounds, count the rest.

Two strategies, chosen per backend and overridable:

* ``sentence`` (tiny local models): the code picks candidate sentences deterministically
  (a number near a casualty word; a quotation or speech verb with a named speaker; an event
  word) and asks one small-schema question per sentence. The evidence is the sentence itself.
* ``whole`` (capable endpoints): one call per article (per chunk, for articles longer than the
  context) with the full record schema; every record quotes its own evidence.

Either way each proposal goes through grounding: kept as answered, repaired after a re-ask that
showed the model its error, or salvaged with the failing fields dropped, or dropped; all counted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from . import drafts, grounding, prompts
from .actors import derive_actors
from .backends import Backend, Request
from .errors import ArticleError, BackendError, ConfigError
from .ingest import Article
from .schemas import (
    ArticleExtraction,
    ArticleStatus,
    CasualtyReport,
    DiplomaticStatement,
    Event,
    GroundingReport,
    Usage,
)
from .sentences import EVENT_WORDS, NAMED_SPEAKER, Sentence, split_sentences
from .settings import Settings

PROMPT_NAMES = ("casualty_sentence", "statement_sentence", "event_sentence", "whole_article")
CHARS_PER_TOKEN = 4  # English news measures 4.2-4.8 with SmolLM2's tokenizer; used only to size chunks
PROMPT_OVERHEAD_TOKENS = 400  # whole_article instructions + chat template, rounded up


def prompt_version(settings: Settings) -> str:
    return ",".join(prompts.load(n, settings.prompts_dir).tag for n in PROMPT_NAMES)


def reasks(settings: Settings, backend: Backend) -> int:
    """A tiny local model mostly repeats itself when re-asked: one re-ask is worth it, two are not."""
    if settings.max_retries is not None:
        return settings.max_retries
    return 1 if backend.name == "embedded" else 2


def resolve_strategy(settings: Settings, backend: Backend) -> str:
    return backend.default_strategy if settings.strategy == "auto" else settings.strategy


# --- candidate selection -------------------------------------------------------------------


@dataclass
class Candidates:
    casualty: list[Sentence] = field(default_factory=list)
    statement: list[Sentence] = field(default_factory=list)
    event: list[Sentence] = field(default_factory=list)


def select_candidates(article: Article, max_events: int = 6) -> Candidates:
    """Deterministic pre-selection of the sentences worth a question."""
    out = Candidates()
    for s in split_sentences(article.text):
        if article.is_noise(s.start, s.end):
            continue
        if grounding.has_casualty_figure(article, s.start, s.end):
            out.casualty.append(s)
            continue
        quotes = grounding.quoted_spans(article, s.start, s.end)
        if any(len(q.text.split()) >= 3 for q in quotes) or NAMED_SPEAKER.search(s.text):
            out.statement.append(s)
            continue
        if EVENT_WORDS.search(s.text) and len(out.event) < max_events:
            out.event.append(s)
    return out


# --- bookkeeping ---------------------------------------------------------------------------


@dataclass
class _Collector:
    article: Article
    report: GroundingReport = field(default_factory=GroundingReport)
    usage: Usage = field(default_factory=Usage)
    casualties: list[CasualtyReport] = field(default_factory=list)
    statements: list[DiplomaticStatement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def take(self, outcome: grounding.Outcome, repaired: bool) -> None:
        rec = outcome.record
        self.report.issues.extend(i.model_copy(update={"article_id": self.article.id}) for i in outcome.issues)
        if rec is None:
            self.report.dropped_records += 1
            return
        dropped = sum(1 for i in outcome.issues if i.action == "dropped_field")
        self.report.dropped_fields += dropped
        if repaired or dropped:
            self.report.repaired += 1
        else:
            self.report.kept += 1
        target = {CasualtyReport: self.casualties, DiplomaticStatement: self.statements, Event: self.events}
        bucket = target[type(rec)]
        if not any(_same(rec, other) for other in bucket):
            bucket.append(rec)


def _same(a: BaseModel, b: BaseModel) -> bool:
    """Overlapping chunks may yield one record twice: the same claim from the same span."""
    da, db = a.model_dump(exclude={"evidence", "date"}), b.model_dump(exclude={"evidence", "date"})
    return da == db


_GROUNDERS = {
    drafts.CasualtyFields: drafts.ground_casualty,
    drafts.CasualtyDraft: drafts.ground_casualty,
    drafts.StatementFields: drafts.ground_statement,
    drafts.StatementDraft: drafts.ground_statement,
    drafts.EventFields: drafts.ground_event,
    drafts.EventDraft: drafts.ground_event,
}


def _ground(draft: BaseModel, ctx: dict[str, Any]) -> grounding.Outcome:
    for cls, fn in _GROUNDERS.items():
        if type(draft) is cls or isinstance(draft, cls):
            if isinstance(draft, drafts.CasualtyFields) and draft.killed is None and draft.injured is None:
                return grounding.Outcome(None)
            return fn(draft, ctx)  # type: ignore[arg-type]
    raise TypeError(type(draft))


def _settle(col: _Collector, reply_value: BaseModel | None, salvage: BaseModel | None,
            errors: list[str], ctx: dict[str, Any], label: str) -> None:
    """Turn one reply into records, whichever way the re-asks went."""
    if reply_value is not None:
        outcome = _ground(reply_value, ctx)
        if outcome.record is not None or outcome.issues:
            col.take(outcome, repaired=bool(errors))
        return
    if salvage is not None:
        outcome = _ground(salvage, ctx)
        if outcome.record is not None or outcome.issues:
            col.take(outcome, repaired=True)
        return
    col.report.dropped_records += 1
    issue = grounding._issue(label, "answer", "-", errors[-1] if errors else "no usable answer", "dropped_record")
    col.report.issues.append(issue.model_copy(update={"article_id": col.article.id}))


# --- strategies ----------------------------------------------------------------------------


def _ask_sentences(article: Article, backend: Backend, settings: Settings, col: _Collector) -> None:
    cands = select_candidates(article)
    sents = split_sentences(article.text)
    plan: list[tuple[str, type[BaseModel], Sentence, str]] = []
    for s in cands.casualty:
        plan.append(("casualty_sentence", drafts.CasualtyFields, s, s.text))
    for s in cands.statement:
        i = next((k for k, x in enumerate(sents) if x.start == s.start), 0)
        passage = (sents[i - 1].text + " " + s.text) if i > 0 else s.text
        plan.append(("statement_sentence", drafts.StatementFields, s, passage))
    for s in cands.event:
        plan.append(("event_sentence", drafts.EventFields, s, s.text))
    for prompt_name, model, s, shown in plan:
        prompt = prompts.load(prompt_name, settings.prompts_dir)
        ctx = {"article": article, "evidence": s.text, "window": (s.start, s.end)}
        reply = backend.structured(Request(
            messages=prompt.render(sentence=" ".join(shown.split())),
            response_model=model,
            context=ctx,
            max_retries=reasks(settings, backend),
            max_tokens=96,
        ))
        col.usage.add(reply.usage)
        _settle(col, reply.value, reply.salvage, reply.errors, ctx, prompt_name.split("_")[0])


def chunks(article: Article, max_chars: int, overlap: int = 1) -> list[tuple[int, int]]:
    """Sentence-aligned windows of at most ``max_chars``, overlapping by ``overlap`` sentences."""
    if len(article.text) <= max_chars:
        return [(0, len(article.text))]
    sents = split_sentences(article.text)
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(sents):
        j = i
        while j + 1 < len(sents) and sents[j + 1].end - sents[i].start <= max_chars:
            j += 1
        out.append((sents[i].start, sents[j].end))
        if j + 1 >= len(sents):
            break
        i = max(i + 1, j + 1 - overlap)
    return out


def _ask_whole(article: Article, backend: Backend, settings: Settings, col: _Collector) -> None:
    prompt = prompts.load("whole_article", settings.prompts_dir)
    local = backend.name == "embedded"
    answer_tokens = 700 if local else 2048
    # A local context must hold the prompt (~250 tokens with the chat template), the chunk and the
    # answer; a remote one is assumed large, and chunks stay modest so answers stay complete.
    budget_tokens = max(256, settings.n_ctx - answer_tokens - PROMPT_OVERHEAD_TOKENS) if local else 6000
    unusable: list[str] = []  # why each chunk's answer could not be used at all
    windows = chunks(article, budget_tokens * CHARS_PER_TOKEN)
    for start, end in windows:
        ctx = {"article": article, "window": None}
        reply = backend.structured(Request(
            messages=prompt.render(article_id=article.id, article=article.text[start:end]),
            response_model=drafts.ArticleDraft,
            context=ctx,
            max_retries=reasks(settings, backend),
            max_tokens=answer_tokens,
        ))
        col.usage.add(reply.usage)
        answer = reply.value or reply.salvage
        if answer is None:
            _settle(col, None, None, reply.errors, ctx, "article")
            unusable.append(f"{reply.attempts} attempt{'s' * (reply.attempts != 1)}: "
                            f"{reply.errors[-1] if reply.errors else 'no answer'}")
            continue
        assert isinstance(answer, drafts.ArticleDraft)
        for item in [*answer.casualties, *answer.statements, *answer.events]:
            _settle(col, item if reply.value is not None else None,
                    item if reply.value is None else None, reply.errors, ctx, "article")
    if windows and len(unusable) == len(windows):  # nothing usable came back: a failure, not an empty article
        raise BackendError(f"no usable answer from the model after {unusable[-1]}")


def extract(article: Article, backend: Backend, settings: Settings) -> ArticleExtraction:
    """Extract one article. Backend failures become a failed extraction, never an exception,
    except configuration errors, which stop the run (every article would fail the same way)."""
    began = time.perf_counter()
    strategy = resolve_strategy(settings, backend)
    col = _Collector(article)
    status, error = ArticleStatus.OK, None
    try:
        if strategy == "sentence":
            _ask_sentences(article, backend, settings, col)
        else:
            _ask_whole(article, backend, settings, col)
    except ConfigError:
        raise
    except (BackendError, ArticleError) as exc:
        status, error = ArticleStatus.FAILED, str(exc)
    return ArticleExtraction(
        article_id=article.id,
        title=article.title,
        published=article.published,
        sha256=article.sha256,
        status=status,
        error=error,
        strategy=strategy,
        events=col.events,
        casualties=col.casualties,
        statements=col.statements,
        actors=derive_actors(col.events, col.casualties, col.statements),
        grounding=col.report,
        usage=col.usage,
        duration_s=round(time.perf_counter() - began, 3),
    )


def failed(article_id: str, error: str, sha256: str = "") -> ArticleExtraction:
    return ArticleExtraction(article_id=article_id, sha256=sha256, status=ArticleStatus.FAILED, error=error)
