"""A tally: every casualty claim with who claimed it, and the low/best/high it allows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..schemas import (
    Citation,
    Claim,
    Figure,
    Qualifier,
    Tally,
)
from .actors import ActorIndex, sorted_citations

ROLLUP_RULE = (
    "low = smallest figure claimed; high = largest; best = the most specific figure (exact before "
    "qualified) from the named claimant reported by the most articles (unattributed figures only "
    "when no claimant is named), ties to the lower figure; "
    "disputed when claimed figures differ; independent sources are distinct claimants "
    "(all unattributed figures count as one), not articles"
)
_SPECIFICITY = {Qualifier.EXACT: 0, Qualifier.ABOUT: 1, Qualifier.NEARLY: 1, Qualifier.AT_LEAST: 2,
                Qualifier.MORE_THAN: 2, Qualifier.UP_TO: 2, Qualifier.VAGUE: 3}


@dataclass(frozen=True)
class FigureClaim:
    """One article's figure, with who it says gave it (``claimant``) and who relayed it (``via``)."""

    figure: Figure
    claimant: str | None
    via: str | None
    article_id: str


def make_tally(claims_in: list[FigureClaim], actors: ActorIndex) -> Tally:
    grouped: dict[tuple, tuple[set[str], set[Citation], list[str]]] = {}
    names: dict[str | None, str | None] = {}
    for claim in claims_in:
        fig, claimant, via, article_id = claim.figure, claim.claimant, claim.via, claim.article_id
        for form in (claimant, via):
            if form not in names:
                names[form] = actors.name_of(form)
        key = (fig.value, fig.qualifier, names[claimant], names[via])
        arts, cits, words = grouped.setdefault(key, (set(), set(), [fig.words]))
        arts.add(article_id)
        cits.add(fig.citation)
        words[0] = min(words[0], fig.words)  # any order of articles gives the same words
    claims = [Claim(value=value, qualifier=qual, words=words[0], claimant=name, via=via_name,
                    articles=sorted(arts), citations=sorted_citations(cits))
              for (value, qual, name, via_name), (arts, cits, words) in grouped.items()]
    claims.sort(key=lambda c: (c.value is None, c.value or 0, c.claimant or "", c.words, c.via or "", c.qualifier))
    values = [c.value for c in claims if c.value is not None]
    if not values:
        return Tally(claims=claims, rule=ROLLUP_RULE, independent_sources=len({c.claimant for c in claims}))
    by_claimant: dict[str | None, set[str]] = defaultdict(set)
    for c in claims:
        by_claimant[c.claimant].update(c.articles)
    best = min((c for c in claims if c.value is not None),
               key=lambda c: (c.claimant is None, -len(by_claimant[c.claimant]), _SPECIFICITY[c.qualifier], c.value))
    return Tally(
        claims=claims, low=min(values), best=best.value, high=max(values),
        disputed=len(set(values)) > 1,
        independent_sources=len({c.claimant for c in claims}),
        rule=ROLLUP_RULE,
    )
