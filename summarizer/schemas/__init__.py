"""The records the pipeline produces, from one article's extraction to the merged briefing.

Flow: ``Article`` (ingest) -> ``ArticleExtraction`` (extract + grounding) -> ``Briefing`` (merge).
Every value read from an article is a ``Mention`` or ``Figure`` carrying a ``Citation``
whose ``text`` equals ``article.text[start:end]``; ``Citation`` enforces that its span and
text agree in length, and ``grounding.align.verify`` checks it against the article. Inside the
pipeline offsets index the cleaned text (``Article.text``); a briefing or extraction that is
output indexes the article as given (``ingest.offsets.to_given``: for a file, ``Path.read_text()``).

The JSON Schemas in ``schemas/`` are generated from these models (``summarizer schema``);
a test fails when they drift.

The models live by what they describe: ``records`` (one article's citations and grounded records,
``ArticleExtraction``) and ``briefing`` (the merged ``Briefing``), on ``base`` (the versions and
the base record); import them from here.
"""

from __future__ import annotations

from .base import EXTRACTION_SCHEMA_VERSION, SCHEMA_VERSION
from .briefing import (
    CASUALTY_FIELDS,
    Briefing,
    Claim,
    MergedActor,
    MergedEvent,
    MergedStatement,
    NarrativeReport,
    NarrativeSentence,
    OffsetReport,
    Part,
    PerpetratorClaim,
    RunInfo,
    SourceArticle,
    Tally,
    tallies,
)
from .records import (
    BASIS_WORDS,
    Acronym,
    Actor,
    ActorKind,
    AlignmentStatus,
    ArticleExtraction,
    ArticleFacts,
    ArticleStatus,
    CasualtyReport,
    Citation,
    DateValue,
    DiplomaticStatement,
    Event,
    EventKind,
    Figure,
    GroundingIssue,
    GroundingReport,
    Mention,
    Nesting,
    Perpetrator,
    PerpetratorBasis,
    Qualifier,
    RecordContext,
    Referent,
    StatementKind,
    Usage,
)

__all__ = [
    "Acronym",
    "Actor",
    "ActorKind",
    "AlignmentStatus",
    "ArticleExtraction",
    "ArticleFacts",
    "ArticleStatus",
    "BASIS_WORDS",
    "Briefing",
    "CASUALTY_FIELDS",
    "CasualtyReport",
    "Citation",
    "Claim",
    "DateValue",
    "DiplomaticStatement",
    "EXTRACTION_SCHEMA_VERSION",
    "Event",
    "EventKind",
    "Figure",
    "GroundingIssue",
    "GroundingReport",
    "Mention",
    "MergedActor",
    "MergedEvent",
    "MergedStatement",
    "NarrativeReport",
    "NarrativeSentence",
    "Nesting",
    "OffsetReport",
    "Part",
    "Perpetrator",
    "PerpetratorBasis",
    "PerpetratorClaim",
    "Qualifier",
    "RecordContext",
    "Referent",
    "RunInfo",
    "SCHEMA_VERSION",
    "SourceArticle",
    "StatementKind",
    "Tally",
    "Usage",
    "tallies",
]
