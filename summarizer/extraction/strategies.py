"""Article -> ArticleExtraction: ask the model, keep only what grounds, count the rest.

Two strategies, chosen per backend and overridable (``auto``, the default on an endpoint, asks the
whole article first and falls back to sentences per article: see ``extraction.auto``):

* ``sentence`` (tiny local models): the code picks candidate sentences deterministically
  (a number near a casualty word; a quotation or speech verb with a named speaker; an event
  word) and asks one small-schema question per sentence. The evidence is the sentence itself.
* ``whole`` (capable endpoints): one call per article (per chunk, for articles longer than the
  context) with the full record schema; every record quotes its own evidence.

Either way each proposal goes through grounding and is counted once in the article's grounding
report: kept as first answered, repaired after a re-ask that showed the model its error, salvaged
(the re-asks ran out; the fields that still failed are dropped), or dropped whole.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from pydantic import BaseModel

from ..backends import Backend, Request
from ..control import Control, charge, checkpoint, emit
from ..errors import ArticleError, BackendError, BudgetSpent, ConfigError, DuplicateArticle, ModelTimeout, redact
from ..grounding import issues
from ..grounding.context import article_facts
from ..grounding.issues import DROPPED_FIELD, DROPPED_RECORD
from ..grounding.outcome import Outcome
from ..ingest.article import Article
from ..ingest.injection import as_data
from ..language.folding import fold
from ..language.names import derive_actors
from ..language.sentences import Sentence, article_sentences, sentence_at, split_sentences
from ..schemas import (
    ArticleExtraction,
    ArticleStatus,
    CasualtyReport,
    DiplomaticStatement,
    Event,
    GroundingIssue,
    GroundingReport,
    Usage,
)
from ..settings import Settings
from . import auto as _strategy
from . import drafts, prompts
from .candidates import pieces, select_candidates
from .options import Options, options

PROMPT_NAMES = ("casualty_sentence", "statement_sentence", "event_sentence", "whole_article")
PROMPT_OVERHEAD_TOKENS = 400  # whole_article instructions + chat template, rounded up


def prompt_version(settings: Settings) -> str:
    return ",".join(prompts.load(n, settings.prompts_dir).tag for n in PROMPT_NAMES)


def reasks(settings: Settings, backend: Backend) -> int:
    """A tiny local model mostly repeats itself when re-asked: one re-ask is worth it, two are not."""
    if settings.max_retries is not None:
        return settings.max_retries
    return 1 if backend.name == "embedded" else 2


def uses_options(settings: Settings, backend: Backend) -> bool:
    """Are sentence questions answered in the text's own values (``settings.text_options``)?"""
    if settings.text_options != "auto":
        return settings.text_options == "on"
    return backend.name == "embedded"


def resolve_strategy(settings: Settings, backend: Backend) -> str:
    """``whole``, ``sentence``, or ``auto`` (an endpoint: whole first, sentences on failure)."""
    return _strategy.requested(settings, backend)


# --- bookkeeping ---------------------------------------------------------------------------


@dataclass
class _Collector:
    article: Article
    report: GroundingReport = field(default_factory=GroundingReport)
    usage: Usage = field(default_factory=Usage)
    casualties: list[CasualtyReport] = field(default_factory=list)
    statements: list[DiplomaticStatement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    secrets: tuple[str, ...] = ()

    def note(self, issue: GroundingIssue) -> None:
        # A rejected value is the model's text, not the article's: scrub anything key-shaped.
        self.report.issues.append(issue.model_copy(
            update={"article_id": self.article.id, "value": redact(issue.value, self.secrets),
                    "reason": redact(issue.reason, self.secrets)}))

    def take(self, outcome: Outcome, reasked: bool) -> None:
        """Count one proposal: a record with dropped fields was salvaged (it failed to the last
        answer); one without was kept as first answered, or repaired when re-asks came before."""
        rec = outcome.record
        for issue in outcome.issues:
            self.note(issue)
        # Every failed value is counted, inside dropped records too, so the counts equal the issues.
        self.report.dropped_fields += sum(1 for i in outcome.issues if i.action == DROPPED_FIELD)
        if rec is None:
            self.report.dropped_records += 1
            return
        if outcome.issues:
            self.report.salvaged += 1
        elif reasked:
            self.report.repaired += 1
        else:
            self.report.kept += 1
        target = {CasualtyReport: self.casualties, DiplomaticStatement: self.statements, Event: self.events}
        bucket = target[type(rec)]
        if not any(_same(rec, other) for other in bucket):
            bucket.append(rec)


def _same(a: BaseModel, b: BaseModel) -> bool:
    """Overlapping chunks may yield one record twice: the same claim from the same span."""
    skip = {"evidence", "date", "context"}  # where it sits is not what it claims
    da, db = a.model_dump(exclude=skip), b.model_dump(exclude=skip)
    return da == db


def _ground(draft: BaseModel, ctx: drafts.GroundingContext) -> Outcome:
    if isinstance(draft, drafts.CasualtyFields) and draft.killed is None and draft.injured is None:
        # No toll: the sentence's other figures (missing, displaced…) are still read from its words.
        out = drafts.ground_casualty(draft, ctx)
        return out if out.record is not None else Outcome(None)
    outcome = draft.ground(ctx) if isinstance(draft, drafts.Draft) else None
    if outcome is None:
        raise TypeError(f"{type(draft).__name__} is not a record draft")
    return outcome


INJECTION_REASON = ("reads as an instruction to an AI (possible prompt injection): "
                    "treated like web furniture, never evidence")


def _cites_injection(article: Article, draft: BaseModel | None) -> bool:
    """True when a draft's quoted evidence is (or contains) text addressed to the model."""
    evidence = getattr(draft, "evidence", None)
    if not isinstance(evidence, str) or not article.instructions:
        return False
    needle = fold(evidence)[0].strip()
    if not needle:
        return False
    for start, end in article.instructions:
        for s in split_sentences(article.text[start:end]):
            hay = fold(s.text)[0].strip()
            if hay and (hay in needle or needle in hay):
                return True
    return False


def _injection_issues(article: Article) -> list[GroundingIssue]:
    """One report line per passage set aside as an instruction to the model."""
    return [issues.issue("article", "text", " ".join(article.text[s:e].split())[:120], INJECTION_REASON,
                         issues.SET_ASIDE, code="injection").model_copy(update={"article_id": article.id})
            for s, e in article.instructions]


def _settle(col: _Collector, reply_value: BaseModel | None, salvage: BaseModel | None,
            errors: list[str], ctx: drafts.GroundingContext, label: str, attempts: int = 1,
            earlier: list[BaseModel] | tuple[BaseModel, ...] = ()) -> None:
    """Turn one reply into records, whichever way the re-asks went (``attempts``: calls made).
    ``earlier``: the answers before the last; one of them is kept instead when grounding keeps
    more of it (a re-ask about a wrong place must not cost the figure the first answer had right)."""
    final = reply_value if reply_value is not None else salvage
    if _cites_injection(col.article, final):
        col.report.dropped_records += 1
        col.note(issues.issue(label, "evidence", str(getattr(final, "evidence", ""))[:120],
                              INJECTION_REASON, DROPPED_RECORD, code="injection"))
        return
    best = _ground(final, ctx) if final is not None else None
    for answer in earlier:
        if not _cites_injection(col.article, answer):
            outcome = _ground(answer, ctx)
            if _worth(outcome) > _worth(best):
                best = outcome
    if best is not None:
        if best.record is not None or best.issues:
            col.take(best, reasked=attempts > 1)
        return
    col.report.dropped_records += 1
    col.note(issues.issue(label, "answer", "-", errors[-1] if errors else "no usable answer", DROPPED_RECORD,
                          code="answer_unusable"))


_NOT_COUNTED = frozenset({"evidence", "date", "background", "summary", "kind", "event"})


def _worth(outcome: Outcome | None) -> int:
    """How much of an answer grounding kept: a figure or a speaker weighs more than a place."""
    if outcome is None:
        return -1
    if outcome.record is None:
        return 0
    kept = {k: v for k, v in dict(outcome.record).items() if k not in _NOT_COUNTED and v}
    return 1 + sum(4 if k in ("killed", "injured", "speaker") else 1 for k in kept)


# --- strategies ----------------------------------------------------------------------------


def _ask_sentences(article: Article, backend: Backend, settings: Settings, col: _Collector) -> None:
    cands = select_candidates(article)
    sents = article_sentences(article)
    plan: list[tuple[str, type[BaseModel], Sentence, str]] = []
    for s in cands.casualty:
        plan.append(("casualty_sentence", drafts.CasualtyFields, s, s.text))
    for s in cands.statement:
        i = sentence_at(sents, s.start) or 0  # the speaker may be named in the sentence before
        passage = (sents[i - 1].text + " " + s.text) if i > 0 and sents[i].start == s.start else s.text
        plan.append(("statement_sentence", drafts.StatementFields, s, passage))
    for s in cands.event:
        plan.append(("event_sentence", drafts.EventFields, s, s.text))
    control = settings.control
    guided = uses_options(settings, backend)
    # What the text settles is known before asking: progress counts only the questions that need a
    # model call, so "8/8 calls" agrees with the article's "8 calls" (not "20/20").
    prepared = [(item, options(item[0], article, item[2]) if guided else Options()) for item in plan]
    asking = sum(1 for _, a in prepared if a.answer is None and a.nothing is None)
    emit(control, "calls_planned", article=article.id, calls=asking, strategy="sentence")
    _warn_cost(article, backend, len(plan), control)  # candidate sentences: an upper bound
    began = time.monotonic()
    n = 0
    for (prompt_name, model, s, shown), allowed in prepared:
        prompt = prompts.load(prompt_name, settings.prompts_dir)
        ctx: drafts.GroundingContext = {"article": article, "evidence": s.text, "window": (s.start, s.end)}
        label = prompt_name.split("_")[0]
        checkpoint(settings.control)
        if allowed.answer is not None or allowed.nothing is not None:
            # The text settles every field (one reading each, or nothing that could ground): no call.
            col.report.read_from_text += 1
            if allowed.nothing is not None:
                code, fld, reason = allowed.nothing
                col.report.dropped_records += 1
                col.note(issues.issue(label, fld, "-", reason, DROPPED_RECORD, code=code))  # type: ignore[arg-type]
            else:
                _settle(col, allowed.answer, None, [], ctx, label)
            continue
        _per_article(settings, col)
        n += 1
        text_shown = " ".join(shown.split())
        reply = backend.structured(Request(
            messages=prompt.render(sentence=as_data(text_shown)),
            response_model=model,
            context=ctx,
            max_retries=reasks(settings, backend),
            max_tokens=96,
            choices=allowed.allowed,
        ))
        col.usage.add(reply.usage)
        charge(control, reply.usage)
        emit(control, "call_done", article=article.id, done=n, planned=asking,
             seconds=round(time.monotonic() - began, 2))
        _settle(col, reply.value, reply.salvage, reply.errors, ctx, label, reply.attempts, reply.earlier)


def _per_article(settings: Settings, col: _Collector) -> None:
    """``--max-calls-per-article``: this article stops asking (partial); the next one starts afresh."""
    limit = settings.max_calls_per_article
    if limit is not None and col.usage.calls >= limit:
        raise BudgetSpent(f"--max-calls-per-article {limit} reached")


# Seconds per planned sentence question for SmolLM2-135M on 2 CPU cores, deterministic work included
# (the example cluster: 164 calls in 92 s with free answers; 40 calls in 34 s answering in the text's
# own values, benchmarks/embedded_speed.txt, 2026-12-03); a busy machine is slower.
EMBEDDED_S_PER_CALL = 0.6
COST_WARNING_S = 120.0


def _warn_cost(article: Article, backend: Backend, planned: int, control: Control | None) -> None:
    """Say the cost before paying it: once per run, when the embedded model's planned work is long."""
    seconds = planned * EMBEDDED_S_PER_CALL
    if control is None or backend.name != "embedded" or seconds <= COST_WARNING_S or control.cost_warned:
        return
    control.cost_warned = True
    control.emit("notice", message=(
        f"{article.id}: {planned} candidate sentences, about {round(seconds / 60)} min on the embedded model; "
        "--max-calls N bounds it, or use a capable endpoint"))


def chunks(article: Article, max_chars: int, overlap: int = 1) -> list[tuple[int, int]]:
    """Sentence-aligned windows of at most ``max_chars``, overlapping by ``overlap`` sentences."""
    if len(article.text) <= max_chars:
        return [(0, len(article.text))]
    sents = pieces(article.text, max_chars)
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


def _ask_whole(article: Article, backend: Backend, settings: Settings, col: _Collector,
               auto: bool = False) -> str | None:
    """Ask the whole article (chunk by chunk). With ``auto``, return why the answer is not worth
    keeping (cut off, not JSON, grounds too little), stopping at the first unusable chunk; without,
    return None and raise when no chunk answered."""
    prompt = prompts.load("whole_article", settings.prompts_dir)
    local = backend.name == "embedded"
    ceiling = 700 if local else 2048
    # A local context must hold the prompt (~250 tokens with the chat template), the chunk and the
    # answer; a remote one is assumed large, and chunks stay modest so answers stay complete.
    budget_tokens = max(256, settings.n_ctx - ceiling - PROMPT_OVERHEAD_TOKENS) if local else 6000
    no_answer: list[str] = []  # why each chunk's answer could not be used at all
    proposed = 0
    windows = chunks(article, budget_tokens * _strategy.CHARS_PER_TOKEN)
    emit(settings.control, "calls_planned", article=article.id, calls=len(windows), strategy="whole")
    began = time.monotonic()
    for n, (start, end) in enumerate(windows, 1):
        ctx: drafts.GroundingContext = {"article": article, "window": None}
        checkpoint(settings.control)
        _per_article(settings, col)
        reply = backend.structured(Request(
            messages=prompt.render(article_id=as_data(article.id).replace('"', "'"),
                                   article=as_data(article.text[start:end])),
            response_model=drafts.ArticleDraft,
            context=ctx,
            max_retries=reasks(settings, backend),
            # scaled to the chunk: a looping answer stops near the article's size, not the context's
            max_tokens=_strategy.answer_token_cap(end - start, ceiling),
            stop_on_unparsed=auto,
        ))
        col.usage.add(reply.usage)
        charge(settings.control, reply.usage)
        emit(settings.control, "call_done", article=article.id, done=n, planned=len(windows),
             seconds=round(time.monotonic() - began, 2))
        answer = reply.value or reply.salvage
        if auto and (reply.cut_off or answer is None):
            return _strategy.CUT_OFF if reply.cut_off else _strategy.UNPARSED
        if answer is None:
            _settle(col, None, None, reply.errors, ctx, "article")
            no_answer.append(f"{reply.attempts} attempt{'s' * (reply.attempts != 1)}: "
                             f"{reply.errors[-1] if reply.errors else 'no answer'}")
            continue
        if not isinstance(answer, drafts.ArticleDraft):  # not an assert: it must hold under python -O too
            raise TypeError(f"whole-article answer is a {type(answer).__name__}, not an ArticleDraft")
        items = [*answer.casualties, *answer.statements, *answer.events]
        proposed += len(items)
        for item in items:
            _settle(col, item if reply.value is not None else None,
                    item if reply.value is None else None, reply.errors, ctx, "article", reply.attempts)
    if windows and len(no_answer) == len(windows):  # nothing usable came back: a failure, not an empty article
        raise BackendError(f"no usable answer from the model after {no_answer[-1]}")
    if not auto:
        return None
    cands = select_candidates(article)
    r = col.report
    weak = _strategy.too_little(proposed, r.kept + r.repaired + r.salvaged,
                                len(col.casualties) + len(col.statements), len(cands.casualty) + len(cands.statement))
    return f"{_strategy.TOO_LITTLE} ({weak})" if weak else None


def _ask_auto(article: Article, backend: Backend, settings: Settings, col: _Collector,
              memo: _strategy.Memo) -> tuple[_Collector, str]:
    """Whole article first unless this model already failed at it; sentences when it fails.
    Returns the collector that holds the article's records and the strategy label."""
    key = _strategy.outcome_key(backend, settings)
    plan = memo.plan(key)
    if not plan.whole:
        _ask_sentences(article, backend, settings, col)
        return col, plan.label
    try:
        why = _ask_whole(article, backend, settings, col, auto=True)
    except ModelTimeout:
        why = _strategy.TIMED_OUT
    except BaseException:
        memo.abandon(key)  # no verdict: another article may probe
        raise
    memo.learn(key, why, backend.name, backend.model)
    if why is None:
        return col, _strategy.WHOLE
    # The whole answer's records are set aside (not counted); its calls are not.
    fresh = _Collector(article, usage=col.usage, secrets=col.secrets)
    try:
        _ask_sentences(article, backend, settings, fresh)
    except BudgetSpent as exc:
        exc.collector = fresh  # type: ignore[attr-defined]  # the partial records are the sentences'
        raise
    return fresh, _strategy.fallback_label(why)


def extract(article: Article, backend: Backend, settings: Settings,
            memo: _strategy.Memo | None = None) -> ArticleExtraction:
    """Extract one article. Backend failures become a failed extraction, never an exception,
    except configuration errors, which stop the run (every article would fail the same way).
    ``memo`` carries what ``auto`` learned about the model across a run's articles."""
    began = time.perf_counter()
    strategy = resolve_strategy(settings, backend)
    col = _Collector(article, secrets=settings.secrets)
    status, error = ArticleStatus.OK, None
    try:
        if strategy == _strategy.AUTO:
            col, strategy = _ask_auto(article, backend, settings, col, memo or _strategy.Memo())
        elif strategy == _strategy.SENTENCE:
            _ask_sentences(article, backend, settings, col)
        else:
            _ask_whole(article, backend, settings, col)
    except ConfigError:
        raise
    except (BackendError, ArticleError) as exc:
        status, error = ArticleStatus.FAILED, str(exc)
    except BudgetSpent as exc:  # stop asking: keep what is grounded so far
        col = getattr(exc, "collector", col)
        status, error = ArticleStatus.PARTIAL, f"partial: {exc}: raise it or rerun to finish this article"
    set_aside = _injection_issues(article)
    col.report.issues.extend(set_aside)
    col.report.set_aside += len(set_aside)
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
        facts=article_facts(article),
        grounding=col.report,
        usage=col.usage,
        duration_s=round(time.perf_counter() - began, 3),
    )


def failed(article_id: str, error: str, sha256: str = "") -> ArticleExtraction:
    return ArticleExtraction(article_id=article_id, sha256=sha256, status=ArticleStatus.FAILED, error=error)


def unusable(error: ArticleError) -> ArticleExtraction:
    """The entry for an input that never reached a model. A duplicate is no failure: its text is
    briefed under the other name, and syndicated copies must not make every cron run exit 3."""
    status = ArticleStatus.DUPLICATE if isinstance(error, DuplicateArticle) else ArticleStatus.FAILED
    return ArticleExtraction(article_id=error.source, sha256="", status=status, error=error.reason)
