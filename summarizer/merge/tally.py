"""A tally: every casualty claim with who claimed it, and the low/best/high it allows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .. import lexicon
from ..language.numbers import find_numbers
from ..schemas import (
    Citation,
    Claim,
    Figure,
    Part,
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


@dataclass(frozen=True)
class PartClaim:
    """A figure that counts some of a total (``of``: the words that say so, "of the injured",
    "Of the 250 who died,"), read from the record field ``role``."""

    claim: FigureClaim
    role: str
    of: str
    sentence: Citation  # the part's own sentence: a total in it comes first

    def total_role(self) -> str:
        """The role of the total its words name ("of the injured": injured; "who died": killed),
        else the part's own role ("of whom 12", "120 of them")."""
        lex = lexicon.current()
        if lex.death.search(self.of):
            return "killed"
        if lex.injury.search(self.of):
            return "injured"
        return self.role

    def total_value(self) -> int | None:
        """The total the words state ("Of the 250 who died," gives 250), else None."""
        values = [n.value for n in find_numbers(self.of) if n.value is not None]
        return values[0] if values else None


def _nearness(total: Citation, part: PartClaim) -> tuple[int, int]:
    """A total in the part's own sentence first (nearest first), then the nearest before it, then after."""
    s, at = part.sentence, part.claim.figure.citation.start
    if s.start <= total.start < s.end:
        return (0, abs(total.start - at))
    if total.start < at:
        return (1, at - total.start)
    return (2, total.start)


def attach_parts(tallies: dict[str, Tally], parts: list[PartClaim], actors: ActorIndex) -> dict[str, Tally]:
    """Each part put under the claim of its total: a claim of the total's role from the part's own
    article, the one its sentence gives when it gives one, else the nearest before it, else the
    first; when its article gives none, the event's one claim of that role. A total is never
    smaller than its part. A part with no such total is shown nowhere (the tool may miss; it never
    shows a part as a toll)."""
    extra: dict[tuple[str, int], list[Part]] = defaultdict(list)
    seen: set[tuple[str, int, int]] = set()  # one part read twice (from its record and after its total)
    for part in sorted(parts, key=lambda x: (x.claim.article_id, x.claim.figure.citation.start, x.role)):
        role, fig, art = part.total_role(), part.claim.figure, part.claim.article_id
        if (art, fig.citation.start, fig.citation.end) in seen:
            continue
        tally = tallies.get(role)
        if tally is None:
            continue
        want = part.total_value()
        fits = [i for i, c in enumerate(tally.claims) if (want is None or c.value == want)
                and (c.value is None or fig.value is None or c.value >= fig.value)]
        spots = [(i, cit) for i in fits for cit in tally.claims[i].citations
                 if cit.article_id == art and cit.start != fig.citation.start]
        if not spots and len(tally.claims) == 1 and fits:  # "Five of the wounded", the 19 told elsewhere
            spots = [(0, tally.claims[0].citations[0])]
        if not spots:
            continue
        index = min(spots, key=lambda spot: _nearness(spot[1], part))[0]
        seen.add((art, fig.citation.start, fig.citation.end))
        extra[(role, index)].append(Part(
            role=part.role, value=fig.value, qualifier=fig.qualifier, words=fig.words, of=part.of.strip(),
            claimant=actors.name_of(part.claim.claimant, art) if part.claim.claimant else None,
            article_id=art, citation=fig.citation))
    out = dict(tallies)
    for (role, index), found in extra.items():
        claims = list(out[role].claims)
        claims[index] = claims[index].model_copy(update={"parts": [*claims[index].parts, *found]})
        out[role] = out[role].model_copy(update={"claims": claims})
    return out


def make_tally(claims_in: list[FigureClaim], actors: ActorIndex) -> Tally:
    grouped: dict[tuple, tuple[set[str], set[Citation], list[str]]] = {}
    names: dict[tuple[str | None, str], str | None] = {}
    for claim in claims_in:
        fig, claimant, via, article_id = claim.figure, claim.claimant, claim.via, claim.article_id
        for form in (claimant, via):
            if (form, article_id) not in names:
                names[(form, article_id)] = actors.name_of(form, article_id)
        key = (fig.value, fig.qualifier, names[(claimant, article_id)], names[(via, article_id)])
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


def parts_after(sentence: Citation, total: Figure) -> list[tuple[Figure, str]]:
    """The parts a sentence writes right after its total ("killing 40 people, of whom 12 were
    children", "injured 7, including two firefighters", "40 died, 12 of them children"): the next
    number, when the words between say it counts some of the total. Grounding refuses these as
    tolls; here they are kept under it, cited where they stand."""
    lex = lexicon.current()
    end = total.citation.end - sentence.start
    if not 0 <= end <= len(sentence.text):
        return []
    following = find_numbers(sentence.text, end)
    if not following:
        return []
    n = following[0]
    between = sentence.text[end:n.start]
    before = lex.subset.search(between)
    after = lex.subset_after.match(sentence.text, n.end)
    if ";" in between or not (before or after):
        return []
    words = (before or after).group(0).strip()  # type: ignore[union-attr]
    at = sentence.start + n.start
    cit = Citation(article_id=total.citation.article_id, start=at, end=sentence.start + n.end,
                   text=sentence.text[n.start:n.end], status=total.citation.status)
    return [(Figure(value=n.value, qualifier=n.qualifier, words=n.words, citation=cit), words)]


def part_words(sentence: Citation, figure: Figure) -> str | None:
    """The words that make the figure a part of a total its text gives ("Three of the injured",
    "of whom 12", "Of the 250 who died, 120 were French"), or None when it is a total itself."""
    lex = lexicon.current()
    start, end = figure.citation.start - sentence.start, figure.citation.end - sentence.start
    if not 0 <= start <= end <= len(sentence.text):
        return None
    after = lex.part_after.match(sentence.text, end) if lex.part_after else None
    before = lex.part_before.search(sentence.text[:start]) if lex.part_before else None
    return after.group(0) if after else before.group(0) if before else None
