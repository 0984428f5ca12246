"""One happening, one event: the rules that join groups ``merge.events`` made per area or per kind
when they are one happening told in several ways.

* A follow-up (an arrest, an investigation, a trial: ``[families] follows`` in ``events.toml``) of
  the day's only incident is part of that incident. The joined event takes the follow-up's kind
  only when more articles report the follow-up than the incident (a story about an arrest that
  mentions the killing it is about is an arrest).
* An outcome of talks (an agreement adopted "following the summit") is part of the day's only talks
  when one of its sentences names them (``[families] outcomes``).
* A toll or event sentence that names no place, beside several placed incidents, belongs to the
  one incident of its own kind (else of its family of kinds), when there is exactly one.
* A lone toll restating, in the same article, a figure of the one other incident of its kind is that
  incident named at another level (a headline's "Quebec" over the body's "Sainte-Foy, Quebec").
* An outbreak or an accident of one kind is one happening wherever the articles say it is (an
  epidemic spreads across countries; a lost airliner is searched for far from where it took off),
  unlike attacks, which are one per area. General kinds ("explosion or fire") are left apart:
  their words also describe the blasts of attacks.
* The main event first: the one most articles report; then, between equals, the one with more
  figures, the one more articles' leads report, the one with more citations.

Every rule here works on the groups alone (their keys, kinds, articles), never on article text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from .. import lexicon
from ..grounding import kinds
from ..grounding.context import LEAD_CHARS, context_of
from ..schemas import EventKind, MergedEvent
from . import events as _events

if TYPE_CHECKING:
    from .events import GroupKey, _EventGroup

Groups = dict["GroupKey", "_EventGroup"]

# The families whose same-kind happenings of a day are one event wherever they are said to be.
ONE_PER_KIND_FAMILIES = ("health", "accident")


def _today_incidents(groups: Groups) -> list[GroupKey]:
    return [k for k, g in groups.items() if k.family == "incident" and not g.background]


# (articles, sentences): a happening named this little, beside news reported more, is a mention.
PASSING = (1, 2)


def mentioned_once(groups: Groups) -> list[GroupKey]:
    """Happenings with no figure that at most two sentences of one article name, beside other news
    the cluster reports more: a non-incident (an election, a summit: words in passing, "the bill",
    "a meeting", "the polls") or an incident. Not a second event. When nothing is reported more,
    the strongest one stays."""
    def support(g: _EventGroup) -> tuple[int, int]:
        return len(g.articles), len(g.citations)

    def figures(g: _EventGroup) -> bool:
        return bool(g.killed or g.injured or any(g.others.values()))

    today = {k: g for k, g in groups.items() if not g.background and k.family != "combined"}
    strong = [k for k, g in today.items() if support(g) > PASSING or figures(g)]
    # An incident one article names with no figure ("a bombing in the north too") is a mention as well.
    weak = [k for k, g in today.items() if support(g) <= PASSING and not figures(g)]
    if not strong and weak:
        keep = max(weak, key=lambda k: (support(today[k]), -list(groups).index(k)))
        weak.remove(keep)
    return weak


def join_follow_ups(groups: Groups) -> Groups:
    """Follow-up groups (arrest, investigation, trial) join the day's only incident."""
    incidents = _today_incidents(groups)
    if len(incidents) != 1:
        return groups
    out = dict(groups)
    target = out[incidents[0]]
    for key, g in groups.items():
        if key.family != "kind" or g.background or not kinds.follows(g.kind()):
            continue
        follow_kind = g.kind()
        leads = len(g.articles) > len(target.articles)
        part = out.pop(key)
        if not leads:
            part.kinds = Counter()  # the incident's own words name what happened
        _events._absorb(target, part)
        if leads:
            target.main_kind = follow_kind
    return out


def join_outcomes(groups: Groups) -> Groups:
    """An outcome of talks (an agreement) one of whose sentences names the day's only talks joins them."""
    lex = lexicon.current()
    out = dict(groups)
    for key, g in groups.items():
        talks = lex.outcomes.get(g.kind().value) if key.family == "kind" and not g.background else None
        if talks is None:
            continue
        held = [k for k, h in out.items() if k.family == "kind" and not h.background and h.kind().value == talks]
        said = any(kinds.supports(context_of(m.record).sentence.text, EventKind(talks)) for m in g.members)
        if len(held) == 1 and said:
            part = out.pop(key)
            part.kinds = Counter()  # the talks are the happening; what they agreed is part of them
            _events._absorb(out[held[0]], part)
    return out


def join_placeless(groups: Groups) -> Groups:
    """The incident group of records that name no place joins the one placed incident of its kind
    (else of its family), when there is exactly one."""
    none = _events.GroupKey("incident", (None,))
    g = groups.get(none)
    if g is None or g.background or g.kind() == EventKind.OTHER:
        return groups
    lex = lexicon.current()
    placed = [k for k in _today_incidents(groups) if k != none]
    kind = g.kind()
    same = [k for k in placed if groups[k].kind() == kind]
    if len(same) != 1:
        same = [k for k in placed if lex.kind_family(groups[k].kind().value) == lex.kind_family(kind.value)]
    if len(same) != 1:
        return groups
    out = dict(groups)
    _events._absorb(out[same[0]], out.pop(none))
    return out


def join_restated(groups: Groups) -> Groups:
    """A lone toll that restates, in the same article, a figure of the one other incident of its kind
    ("Six killed in shooting at Quebec mosque" over "a gunman … in Sainte-Foy, Quebec, … killing six")
    is that incident named at another level, not a second one."""
    out = dict(groups)
    for key in _today_incidents(groups):
        g = out.get(key)
        if g is None or key.family != "incident" or len(g.members) != 1 or g.kind() == EventKind.OTHER:
            continue
        said = {(role, c.figure.value, c.article_id) for role, claims in _claims(g) for c in claims}
        same = [k for k in _today_incidents(out) if k != key and k.family == "incident"
                and out[k].kind() == g.kind()
                and said & {(role, c.figure.value, c.article_id) for role, claims in _claims(out[k]) for c in claims}]
        if len(same) == 1:
            _events._absorb(out[same[0]], out.pop(key))
    return out


def _claims(g: _EventGroup) -> list[tuple[str, list]]:
    return [("killed", g.killed), ("injured", g.injured), *g.others.items()]


def one_per_kind(groups: Groups) -> Groups:
    """The day's outbreak or accident groups of one specific kind become one event over all their areas."""
    lex = lexicon.current()
    by_kind: dict[EventKind, list[GroupKey]] = defaultdict(list)
    for k in _today_incidents(groups):
        kind = groups[k].kind()
        if lex.kind_family(kind.value) in ONE_PER_KIND_FAMILIES and not kinds.is_generic(kind):
            by_kind[kind].append(k)
    out = dict(groups)
    for keys in by_kind.values():
        if len(keys) < 2:
            continue
        areas = tuple(sorted({a for k in keys for a in k.areas if a}))
        merged = _events._EventGroup(_events.GroupKey("incident", areas or (None,)))
        for k in keys:
            _events._absorb(merged, out.pop(k))
        if merged.key in out:  # the same areas already hold an event: one event still
            _events._absorb(out[merged.key], merged)
        else:
            out[merged.key] = merged
    return out


def main_first(events: list[MergedEvent]) -> list[MergedEvent]:
    """Events in briefing order: today's before background, a combined toll after the events it
    sums, then the one most articles report, most figures, most articles' leads report, most citations."""
    def leads(e: MergedEvent) -> int:
        return len({c.article_id for c in e.citations if c.start < LEAD_CHARS})

    return sorted(events, key=lambda e: (e.background, e.id.endswith("-combined"), -len(e.articles),
                                         -len(e.killed.claims) - len(e.injured.claims), -leads(e), -len(e.citations),
                                         e.id))
