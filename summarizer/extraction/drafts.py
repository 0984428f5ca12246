"""What the model is asked to return, and the validators that hold it to the text.

These are the LLM-facing models. Each validator runs the same grounding the pipeline keeps
records with, using the article passed as instructor's validation ``context``; any problem is
raised as a ``ValueError`` whose message instructor shows the model on a re-ask ("'150' does
not occur in the cited text"). Validated without context (salvaging a last answer), they check
shape only and grounding then drops what fails.

Fields are required (nullable instead of defaulted) and strings and lists are bounded: with
optional keys llama.cpp's grammar lets a small model wander, and unbounded values loop until
``max_tokens``.
"""

from __future__ import annotations

from typing import Literal, Required, TypedDict

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from .. import grounding
from ..ingest.article import Article
from ..schemas import EventKind

EventKindName = Literal[tuple(k.value for k in EventKind)]  # type: ignore[valid-type]  # the taxonomy, as the model may name it


class GroundingContext(TypedDict, total=False):
    """What a draft is grounded against, passed as instructor's validation ``context`` (a dict:
    instructor also renders the messages with it). ``evidence``: the sentence a sentence question
    is about (a whole-article draft quotes its own); ``window``: where that sentence lies."""

    article: Required[Article]
    evidence: str
    window: tuple[int, int] | None


def _context(info: ValidationInfo) -> GroundingContext | None:
    ctx = info.context
    return ctx if isinstance(ctx, dict) and "article" in ctx else None  # type: ignore[return-value]


def _raise(outcome: grounding.Outcome) -> None:
    """Raise what a re-ask can fix: a number, name or quote the text does not hold. A wrong event
    kind is not re-asked: grounding already settles the kind from the sentence's own words and
    reports the correction (a tiny model re-asked about it mostly repeats itself)."""
    errors = [f"{i.field}: {i.reason}" for i in outcome.issues if i.field != "kind"]
    if errors:
        raise ValueError("; ".join(errors))


class Draft(BaseModel):
    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Draft:
        """With an article as context, ground the draft and raise what fails (shown on a re-ask)."""
        ctx = _context(info)
        outcome = self.ground(ctx) if ctx else None
        if outcome is not None:
            _raise(outcome)
        return self

    def ground(self, ctx: GroundingContext) -> grounding.Outcome | None:
        """The grounded record this draft makes, and every problem found (None: nothing to ground)."""
        return None


# --- sentence-focused: tiny schemas, the evidence is the sentence the code chose ----------


class CasualtyFields(Draft):
    killed: int | None = Field(description="People killed, as written in the sentence.", ge=0)
    injured: int | None = Field(description="People injured or wounded, as written.", ge=0)
    place: str | None = Field(description="Place named in the sentence.", max_length=60)
    claimed_by: str | None = Field(description="Who gave the figure, as written.", max_length=60)

    def ground(self, ctx: GroundingContext) -> grounding.Outcome | None:
        if self.killed is None and self.injured is None:
            return grounding.Outcome(None)  # no figure: no record, and nothing to re-ask
        return ground_casualty(self, ctx)


class StatementFields(Draft):
    speaker: str | None = Field(description="Who said it, as written.", max_length=60)

    def ground(self, ctx: GroundingContext) -> grounding.Outcome | None:
        return ground_statement(self, ctx)


class EventFields(Draft):
    """No place: asked for one, SmolLM2 mostly copied the prompt's example; the event's place is
    read from the sentence by the gazetteer instead (``merge.places``)."""

    kind: EventKindName
    perpetrator: str | None = Field(description="Who carried it out or claimed it.", max_length=60)

    def ground(self, ctx: GroundingContext) -> grounding.Outcome | None:
        return ground_event(self, ctx)


# --- whole-article: one call, each record quotes its own evidence -----------------------


class _Evidence(BaseModel):
    evidence: str = Field(description="The sentence stating this record, copied exactly.", max_length=600)


class CasualtyDraft(CasualtyFields, _Evidence):
    pass


class StatementDraft(_Evidence, Draft):
    speaker: str | None = Field(description="Who said it, as written.", max_length=80)
    speaker_role: str | None = Field(description="Title or role, as written.", max_length=80)
    quote: str | None = Field(description="Exact quoted words, or null for a paraphrase.", max_length=600)

    def ground(self, ctx: GroundingContext) -> grounding.Outcome | None:
        return ground_statement(self, ctx)


class EventDraft(_Evidence, Draft):
    kind: EventKindName
    place: str | None = Field(description="Where it happened, as written.", max_length=80)
    perpetrators: list[str] = Field(description="Who carried it out or claimed it.", max_length=4)
    participants: list[str] = Field(description="Other parties named.", max_length=6)

    def ground(self, ctx: GroundingContext) -> grounding.Outcome | None:
        return ground_event(self, ctx)


class ArticleDraft(Draft):
    casualties: list[CasualtyDraft] = Field(max_length=16)
    statements: list[StatementDraft] = Field(max_length=16)
    events: list[EventDraft] = Field(max_length=10)


# --- the bridge to grounding, shared by validation and by salvage ------------------------


def _evidence(draft: BaseModel, ctx: GroundingContext) -> str:
    return getattr(draft, "evidence", None) or ctx.get("evidence", "")


def ground_casualty(draft: CasualtyFields, ctx: GroundingContext) -> grounding.Outcome:
    return grounding.ground_casualty(
        ctx["article"], evidence=_evidence(draft, ctx), killed=draft.killed, injured=draft.injured,
        place=draft.place, claimed_by=draft.claimed_by, window=ctx.get("window"),
    )


def ground_statement(draft: StatementFields | StatementDraft, ctx: GroundingContext) -> grounding.Outcome:
    return grounding.ground_statement(
        ctx["article"], evidence=_evidence(draft, ctx), speaker=draft.speaker,
        quote=getattr(draft, "quote", None), speaker_role=getattr(draft, "speaker_role", None),
        window=ctx.get("window"),
    )


def ground_event(draft: EventFields | EventDraft, ctx: GroundingContext) -> grounding.Outcome:
    perps = getattr(draft, "perpetrators", None)
    if perps is None:
        perps = [draft.perpetrator] if getattr(draft, "perpetrator", None) else []
    return grounding.ground_event(
        ctx["article"], evidence=_evidence(draft, ctx), kind=draft.kind, place=getattr(draft, "place", None),
        perpetrators=perps, participants=getattr(draft, "participants", []), window=ctx.get("window"),
    )
