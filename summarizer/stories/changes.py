"""What changed since a story's previous briefing, computed from the two briefings' records:
figures that are new, tolls raised by the same claimant, statements that are new, and the
articles that came in. Nothing here reads an article: only the merged records are compared."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..schemas import Briefing

UNATTRIBUTED = "unattributed"


class Figure(BaseModel):
    event: str
    measure: str  # 'killed' or 'injured'
    claimant: str
    value: int | None
    words: str


class Raised(BaseModel):
    event: str
    measure: str
    claimant: str
    before: int
    after: int


class Changes(BaseModel):
    """The difference between a story's briefing and the one before it (``first``: there was none)."""

    first: bool = True
    previous_made: str | None = Field(None, description="When the previous briefing was made (ISO 8601, UTC).")
    new_articles: list[str] = Field(default_factory=list)
    new_figures: list[Figure] = Field(default_factory=list)
    raised: list[Raised] = Field(default_factory=list)
    new_statements: list[str] = Field(default_factory=list, description="'Speaker: words' of each new statement.")

    @property
    def empty(self) -> bool:
        return not (self.new_articles or self.new_figures or self.raised or self.new_statements)

    def lines(self) -> list[str]:
        """One plain line per change, for the index and the Markdown."""
        if self.first:
            return ["first briefing of this story"]
        out = [f"{len(self.new_articles)} new article(s): {', '.join(self.new_articles)}"] if self.new_articles else []
        out += [f"toll raised: {r.event}, {r.measure} {r.before:,} → {r.after:,} ({r.claimant})" for r in self.raised]
        raised = {(r.event, r.measure, r.claimant, r.after) for r in self.raised}
        out += [f"new figure: {f.event}, {f.measure} {f.words} ({f.claimant})" for f in self.new_figures
                if (f.event, f.measure, f.claimant, f.value) not in raised]  # said once, as the raise
        out += [f"new statement: {s}" for s in self.new_statements]
        return out or ["no change in the records"]


def _event_key(label: str, place: str | None) -> str:
    return place or label


def figures(b: Briefing) -> list[Figure]:
    out = []
    for e in b.events:
        if e.background:
            continue
        for measure, tally in (("killed", e.killed), ("injured", e.injured)):
            for c in tally.claims:
                out.append(Figure(event=_event_key(e.label, e.place), measure=measure,
                                  claimant=c.claimant or UNATTRIBUTED, value=c.value, words=c.words))
    return out


def _statements(b: Briefing) -> list[str]:
    return [f"{s.speaker}: {s.text}" for s in b.statements]


def compare(before: Briefing | None, after: Briefing, new_articles: list[str], previous_made: str | None) -> Changes:
    if before is None:
        return Changes(first=True, new_articles=new_articles)
    old = figures(before)
    seen = {(f.event, f.measure, f.claimant, f.value, f.words) for f in old}
    top: dict[tuple[str, str, str], int] = {}
    for f in old:
        if f.value is not None:
            k = (f.event, f.measure, f.claimant)
            top[k] = max(top.get(k, f.value), f.value)
    new_figs, raised = [], {}
    for f in figures(after):
        if (f.event, f.measure, f.claimant, f.value, f.words) in seen:
            continue
        new_figs.append(f)
        k = (f.event, f.measure, f.claimant)
        if f.value is not None and k in top and f.value > top[k] and f.value > raised.get(k, Raised(
                event=k[0], measure=k[1], claimant=k[2], before=top[k], after=top[k])).after:
            raised[k] = Raised(event=k[0], measure=k[1], claimant=k[2], before=top[k], after=f.value)
    old_statements = set(_statements(before))
    fresh = [s for s in _statements(after) if s not in old_statements]
    return Changes(first=False, previous_made=previous_made, new_articles=new_articles, new_figures=new_figs,
                   raised=list(raised.values()), new_statements=fresh)
