"""Who did it, across articles: every claim of an event's perpetrator (and every denial) with its
basis and who says so, and whether the articles dispute it.

A dispute is what the text shows, never guessed: a named perpetrator that someone denies, or
different groups (states, forces, armed groups) each said to have done it by a different claimant
and by no one together ("state media blamed an armed group; activists blamed the security forces").
Several people named as the attackers, and the group that claims them, are co-perpetrators, not a
dispute.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..language.names import kind_of, split_coordinated
from ..schemas import ActorKind, Citation, Event, PerpetratorClaim
from .actors import ActorIndex, sorted_citations

# The order a perpetrator's claims are shown in: the firmest first.
_BASIS_ORDER = {"charged": 0, "claimed": 1, "named": 2, "carried_out": 3, "suspected": 4, "denied": 5}


@dataclass
class _Side:
    name: str
    articles: set[str] = field(default_factory=set)
    citations: set[Citation] = field(default_factory=set)
    sentences: set[tuple[str, int]] = field(default_factory=set)  # (article, sentence start) of each claim


def perpetrator_claims(records: list[tuple[str, Event]], actors: ActorIndex) -> tuple[list[PerpetratorClaim], bool]:
    """(claims, disputed) of one event from its event records, as (article id, record)."""
    sides: dict[tuple[str, str, str | None], _Side] = {}
    for article_id, rec in records:
        sentence = (article_id, rec.context.sentence.start if rec.context else rec.evidence.start)
        for p in [*rec.perpetrators, *rec.denials]:
            said_by = getattr(p, "claimed_by", None)  # a bare Mention (a record built by hand) says no more
            claimant = actors.name_of(said_by.value) if said_by else None
            basis = getattr(p, "basis", "carried_out")
            for part in split_coordinated(p):  # the same split as the actor lists
                actor = actors.id_of(part.value)
                if actor is None:
                    continue
                side = sides.setdefault((actor, basis, claimant), _Side(actors.name_of(part.value) or part.value))
                side.articles.add(article_id)
                side.citations.add(part.citation)
                side.sentences.add(sentence)
    claims = [PerpetratorClaim(actor=a, name=s.name, basis=b, claimant=c, articles=sorted(s.articles),  # type: ignore[arg-type]
                               citations=sorted_citations(s.citations))
              for (a, b, c), s in sides.items()]
    claims.sort(key=lambda c: (c.actor, _BASIS_ORDER.get(c.basis, 9), c.claimant or ""))
    return claims, _disputed(sides, actors)


def _disputed(sides: dict[tuple[str, str, str | None], _Side], actors: ActorIndex) -> bool:
    did = {k: s for k, s in sides.items() if k[1] != "denied"}
    denied = {k[0] for k in sides if k[1] == "denied"}
    if denied & {k[0] for k in did}:
        return True  # one says they did it, another (or they themselves) says they did not
    # Groups said to have done it, each by its own claimants: a dispute when two groups share no
    # claimant and no sentence names them together.
    kinds = {m.id: m.kind for m in actors.merged()}
    by_group: dict[str, tuple[set[str | None], set[tuple[str, int]]]] = defaultdict(lambda: (set(), set()))
    for (actor, basis, claimant), s in did.items():
        if kinds.get(actor, kind_of(s.name)) == ActorKind.PERSON:
            continue
        by_group[actor][0].add(claimant or (actor if basis == "claimed" else None))  # a claim is its own word
        by_group[actor][1].update(s.sentences)
    groups = list(by_group.items())
    for i, (_, (ca, sa)) in enumerate(groups):
        for _, (cb, sb) in groups[i + 1:]:
            if None not in ca | cb and not ca & cb and not sa & sb:
                return True
    return False
