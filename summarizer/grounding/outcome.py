"""What grounding one proposal comes to: the record (or none) and every problem found, and the
last gate every record passes (each of its citations verified against the article)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from ..ingest.article import Article
from ..schemas import Citation, GroundingIssue
from .align import verify
from .issues import DROPPED_RECORD, coded_issue, short


@dataclass
class Outcome:
    record: object | None
    issues: list[GroundingIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [f"{i.field}: {i.reason}" for i in self.issues]


def _citations(obj: object) -> list[Citation]:
    if isinstance(obj, Citation):
        return [obj]
    if isinstance(obj, BaseModel):
        return [c for name in type(obj).model_fields for c in _citations(getattr(obj, name))]
    if isinstance(obj, list | tuple):
        return [c for x in obj for c in _citations(x)]
    return []


def verified(record: BaseModel, article: Article, kind: str, issues: list[GroundingIssue]) -> Outcome:
    """The last gate: a record leaves grounding only if every one of its citations verifies."""
    bad = [c for c in _citations(record) if not verify(c, article)]
    if bad:
        c = bad[0]
        issues.append(coded_issue("citation_unverified", kind, "citation", f"{c.start}-{c.end}",
                                  f"citation {c.start}-{c.end} does not match the article's characters",
                                  DROPPED_RECORD))
        return Outcome(None, issues)
    return Outcome(record, issues)


def no_evidence(kind: str, evidence: str) -> Outcome:
    return Outcome(None, [coded_issue("evidence_not_found", kind, "evidence", short(evidence),
                                      "the evidence quote does not occur in the article", DROPPED_RECORD)])
