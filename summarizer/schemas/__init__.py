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

# "X as X" re-exports each name explicitly (PEP 484): every public name is imported from here.
from .base import EXTRACTION_SCHEMA_VERSION as EXTRACTION_SCHEMA_VERSION
from .base import SCHEMA_VERSION as SCHEMA_VERSION
from .briefing import CASUALTY_FIELDS as CASUALTY_FIELDS
from .briefing import Briefing as Briefing
from .briefing import Claim as Claim
from .briefing import MergedActor as MergedActor
from .briefing import MergedEvent as MergedEvent
from .briefing import MergedStatement as MergedStatement
from .briefing import NarrativeReport as NarrativeReport
from .briefing import NarrativeSentence as NarrativeSentence
from .briefing import OffsetReport as OffsetReport
from .briefing import Part as Part
from .briefing import PerpetratorClaim as PerpetratorClaim
from .briefing import RunInfo as RunInfo
from .briefing import SourceArticle as SourceArticle
from .briefing import Tally as Tally
from .briefing import tallies as tallies
from .records import BASIS_WORDS as BASIS_WORDS
from .records import Acronym as Acronym
from .records import Actor as Actor
from .records import ActorKind as ActorKind
from .records import AlignmentStatus as AlignmentStatus
from .records import ArticleExtraction as ArticleExtraction
from .records import ArticleFacts as ArticleFacts
from .records import ArticleStatus as ArticleStatus
from .records import CasualtyReport as CasualtyReport
from .records import Citation as Citation
from .records import DateValue as DateValue
from .records import DiplomaticStatement as DiplomaticStatement
from .records import Event as Event
from .records import EventKind as EventKind
from .records import Figure as Figure
from .records import GroundingIssue as GroundingIssue
from .records import GroundingReport as GroundingReport
from .records import Mention as Mention
from .records import Nesting as Nesting
from .records import Perpetrator as Perpetrator
from .records import PerpetratorBasis as PerpetratorBasis
from .records import Qualifier as Qualifier
from .records import RecordContext as RecordContext
from .records import Referent as Referent
from .records import StatementKind as StatementKind
from .records import Usage as Usage
