"""Many ArticleExtractions -> one Briefing. Deterministic: no model is asked anything here.

* Actors: surface forms are joined by the alias table, name folding, acronyms the articles
  spell out ("Center for Civil Monitoring (CCM)"), and, for people, a lone surname
  joins the one full name that carries it (two full names with that surname: no join).
* Events: the day's incidents (conflict, disaster, accident, health, unrest) are grouped by
  area (``grounding.places``: a neighbourhood inside its city, a city inside its state, with a gazetteer);
  each event's kind is the most specific kind its records' own words name (unless the general kind
  it refines is named far more often), never a default; a
  sentence naming two areas side by side ("in A and B") gives a combined toll, kept apart so
  per-area figures are never summed, whatever single place the model picked; agreements,
  summits, elections and other non-incidents are one event per kind; background (earlier)
  events stay separate, labelled so, and are grouped into one event per recalled event
  (``_group_background``); groups that are one happening told in several ways are joined by
  ``merge.happenings``.
* Tallies: every figure is a claim (value, qualifier, claimant, relay, articles, citations).
  The roll-up rule is ``ROLLUP_RULE``; nothing is averaged.
* Statements: ``merge.statements.merge_statements``.
* Narrative: ``narrative.template`` here (pure: no model); the model-written one is the pipeline's call.

Blocking keeps this near-linear: records are grouped by normalized keys, and fuzzy
comparisons only happen inside a block, between the candidates an index returns.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Literal

from .. import lexicon
from ..grounding import kinds
from ..grounding.context import context_of
from ..grounding.issues import NOT_MERGED, Code, issue
from ..grounding.places import Places, where_it_happened
from ..language.names import name_key, split_coordinated
from ..narrative.template import template
from ..schemas import (
    CASUALTY_FIELDS,
    ArticleExtraction,
    Briefing,
    CasualtyReport,
    Citation,
    Event,
    EventKind,
    GroundingIssue,
    GroundingReport,
    MergedEvent,
    NarrativeReport,
    RunInfo,
    SourceArticle,
)
from . import happenings
from .actors import ActorIndex, sorted_citations
from .perpetrators import perpetrator_claims
from .statements import merge_statements
from .tally import FigureClaim, PartClaim, attach_parts, make_tally, part_words, parts_after

# Casualty roles besides killed and injured, in the order every view shows them.
OTHER_ROLES = tuple(name for name, _ in CASUALTY_FIELDS if name not in ("killed", "injured"))

# --- events ----------------------------------------------------------------------------------

# A general kind ('attack') named this many times as often as the specific kind it refines is the kind.
GENERAL_OVER_SPECIFIC = 3


@dataclass(frozen=True)
class GroupKey:
    """What makes records one event: the day's incident in one area (``areas``: that one area, None
    when no record names one), a toll naming several areas side by side (``combined``), one event
    per non-incident ``kind`` (an agreement, a summit), or a recalled event (``background``: its
    areas and ``tag``, its largest figure or first words)."""

    family: Literal["incident", "combined", "kind", "background"]
    areas: tuple[str | None, ...] = ()
    kind: str | None = None
    tag: int | str | None = None


@dataclass
class _EventGroup:
    key: GroupKey
    kinds: Counter = field(default_factory=Counter)  # votes: the kinds the records' words name
    places: Counter = field(default_factory=Counter)
    dates: Counter = field(default_factory=Counter)
    background: bool = False
    perpetrators: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    citations: set[Citation] = field(default_factory=set)
    killed: list[FigureClaim] = field(default_factory=list)
    injured: list[FigureClaim] = field(default_factory=list)
    # missing, displaced, affected, arrested, hospitalized, cases: the same claims, per role
    others: dict[str, list[FigureClaim]] = field(default_factory=lambda: {r: [] for r in OTHER_ROLES})
    parties: Counter = field(default_factory=Counter)  # who a matter is between: the states and actors named
    parts: list[PartClaim] = field(default_factory=list)  # figures counting some of a total: under it, never a toll
    members: list[_Placed] = field(default_factory=list)  # the records it was made of
    main_kind: EventKind | None = None  # set when a follow-up most articles report names the happening

    def kind(self) -> EventKind:
        """The most specific kind the most records name, unless the general kind it refines
        ('attack') is named ``GENERAL_OVER_SPECIFIC`` times as often; a general kind when no specific
        one is named; 'other' when no record's words name any."""
        if self.main_kind is not None:
            return self.main_kind
        if not self.kinds:
            return EventKind.OTHER
        best = min(self.kinds, key=lambda k: (kinds.is_generic(k), -self.kinds[k], k.value))
        # A specific kind few records name beside the general one many name is a detail of it
        # ("the attackers were shot dead by police" in an attack), not what happened.
        lex = lexicon.current()
        general = [k for k in self.kinds if best.value in (lex.kinds[k.value].refines if k.value in lex.kinds else ())
                   and self.kinds[k] >= GENERAL_OVER_SPECIFIC * self.kinds[best]]
        return max(general, key=lambda k: (self.kinds[k], k.value)) if general else best


@dataclass
class _Placed:
    """One record, with where its words put it."""

    record: CasualtyReport | Event
    article_id: str
    kind: EventKind | None  # the kind its words name, None when they name none
    keys: list[str]  # the places it names (or its context names), most specific first
    combined: bool  # places named side by side for one figure
    sentence: tuple[str, int]
    slug: str
    elsewhere: bool = False  # its place is not where it happened ("President of X", "X says")
    named: list[str] = field(default_factory=list)  # an event sentence's own words name these as where it was
    parties: list[str] = field(default_factory=list)  # the states an event sentence names (a matter's parties)


def _located(places: Places, sentence: str, keys: list[str]) -> tuple[list[str], list[str]]:
    """The places an event sentence names as where it happened ("talks took place in X"), not as
    whom someone speaks for ("the President of X"): (those plus the places it takes from its
    context, those its own words name)."""
    kept, named = [], []
    for k in keys:
        spans = [(m.start(), m.end()) for name in {places.name(k), *places.display.get(k, ())} if name
                 for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", sentence)]
        if any(where_it_happened(sentence, s, e) for s, e in spans):
            kept.append(k)
            named.append(k)
        elif not spans:
            kept.append(k)
    return kept, named


def _places_of(places: Places, sentence: str, place: str | None, background: bool, before: str,
               lead: str) -> tuple[list[str], bool]:
    """The places a record's sentence names side by side (a combined toll, whatever single place
    the model picked), else its own place, else the places its sentence names, else (for a figure
    that names none) the sentence before's in the paragraph, else the article lead's."""
    keys = places.coordinated(sentence)
    if keys:
        return keys, True
    named = places.in_text(sentence)
    own = places.key_of(place) if place else None
    if own is not None:
        # A place taken from the sentence before (the figure's own names none) sits in that sentence's
        # places: "in southern Northtown near the Mosque. At least 50 were killed" is in Northtown.
        places.nest(own, named or places.in_text(before))
        keys = [own, *(k for k in named if k != own)]
    else:
        keys = named
    if background or any(places.level(k) != "country" for k in keys):
        return keys, False
    # No place more specific than a country ("in the country"): the paragraph or the lead says where.
    for context in (before, lead):
        both = [k for k in places.coordinated(context)
                if not keys or places.country(k) in keys]
        if both:
            return both, True
        near = [k for k in places.in_text(context) if places.level(k) != "country"
                and (not keys or places.country(k) in keys)]
        if near:
            return [near[0], *keys], False
    return keys, False


def _assign_areas(placed: list[_Placed], places: Places) -> dict[int, GroupKey]:
    """Group keys for the day's incidents: one event per area; a country-level figure joins the
    country's only area; a figure with no place joins the only incident, if there is one."""
    areas: dict[int, str | None] = {}
    for i, p in enumerate(placed):
        areas[i] = places.area(p.keys[0]) if p.keys and not p.combined else None
    known = {a for a in areas.values() if a and places.level(a) not in ("country", "local")}
    for i, a in areas.items():
        # A place the gazetteer lacks, nested nowhere, is no new event on that ground alone: it is
        # the cluster's only incident area, if there is one.
        if a is not None and places.level(a) == "local" and len(known) == 1:
            areas[i] = next(iter(known))
    specific = {a for a in areas.values() if a and places.level(a) != "country"}
    out: dict[int, GroupKey] = {}
    for i, p in enumerate(placed):
        a = areas[i]
        if p.combined:
            out[i] = GroupKey("combined", tuple(sorted({places.area(k) for k in p.keys})))
            continue
        if a is not None and places.level(a) == "country":
            inside = sorted(x for x in specific if places.country(x) == a)
            others = [places.area(k) for k in p.keys[1:] if places.area(k) in inside]
            a = inside[0] if len(inside) == 1 else (others[0] if others else a)
        if a is None:
            a = next(iter(specific)) if len(specific) == 1 else None
        out[i] = GroupKey("incident", (a,))
    return out


def _label(kind: EventKind, places: Places, area_keys: tuple, place_keys: list[str], combined: bool,
           background: bool) -> tuple[str, str | None, str | None]:
    """(label, place, within): 'Shooting in Camp North, Texas', 'Earthquake in Freedonia'."""
    noun = kinds.label(kind) if kind != EventKind.OTHER else "Event"
    if combined:
        plural = noun + "s" if " " not in noun else noun
        return f"{plural} in {' and '.join(places.name(a) for a in area_keys)} (combined toll)", None, None
    specific = place_keys[0] if place_keys else (area_keys[0] if area_keys else None)
    if specific is None:
        label = noun
        place = within = None
    else:
        place = places.name(specific)
        within = places.name(places.parent[specific]) if specific in places.parent else None
        label = f"{noun} in {places.label(specific)}"
    return (f"{label} (background)" if background else label), place, within


# --- the whole merge -------------------------------------------------------------------------


def merge(extractions: list[ArticleExtraction], run: RunInfo | None = None) -> Briefing:
    """The briefing of a cluster's extractions: from their records and facts alone (every record
    carries the context grounding read; no article text is read here)."""
    extractions = sorted(extractions, key=lambda e: e.article_id)
    ok = [e for e in extractions if e.status in ("ok", "partial")]  # partial: grounded before a budget ran out
    actors = ActorIndex(ok, (a for e in extractions for a in e.facts.acronyms))
    places = Places(ok, (n for e in extractions for n in e.facts.nestings))
    groups: dict[GroupKey, _EventGroup] = {}

    def group_for(key: GroupKey, background: bool) -> _EventGroup:
        g = groups.get(key)
        if g is None:
            g = groups[key] = _EventGroup(key, background=background)
        return g

    today: list[_Placed] = []
    recalled: list[_Placed] = []
    for ex in ok:
        lead = ex.facts.lead
        for rec in [*ex.casualties, *ex.events]:
            ctx = context_of(rec)
            sentence, before = ctx.sentence.text, ctx.before
            kind: EventKind | None = ctx.kind
            if isinstance(rec, Event):
                kind = rec.kind if rec.kind != EventKind.OTHER else None
            keys, combined = _places_of(places, sentence, rec.place.value if rec.place else None, rec.background,
                                        before, lead)
            elsewhere, named = False, []
            if isinstance(rec, Event) and keys:
                located, named = _located(places, sentence, keys)
                if ctx.place_says_where is False:
                    own = places.key_of(rec.place.value) if rec.place else None
                    located, named = [k for k in located if k != own], [k for k in named if k != own]
                if combined and named:  # "near X, Y", "in X and Y": one preposition places them all
                    located = keys
                elsewhere, keys = not located, located
            parties: list[str] = []
            if isinstance(rec, Event):
                # The states its places belong to: "Ottawa says … Washington's tariff" is between two countries.
                states = [places.name(c) for c in (places.country(k) for k in places.in_text(sentence)) if c]
                parties = list(dict.fromkeys(states))  # states only: a participant may be a city or a crowd
            p = _Placed(rec, ex.article_id, kind, keys, combined, (ex.article_id, ctx.sentence.start),
                        name_key(sentence)[:40], elsewhere, named, parties)
            (recalled if rec.background else today).append(p)

    incidents = [p for p in today
                 if isinstance(p.record, CasualtyReport) or p.kind is None or kinds.is_incident(p.kind)]
    # Figures first: an event is made by what happened to people, and kind-less sentences join it.
    incidents.sort(key=lambda p: (isinstance(p.record, Event), p.kind is None))
    areas = _assign_areas(incidents, places)
    unmerged: dict[str, list[GroundingIssue]] = defaultdict(list)  # records that reach no event, by article
    doers: list[_Placed] = []  # who did it, in a sentence naming no place of its own: the story's own act
    for i, p in enumerate(incidents):
        if isinstance(p.record, Event) and (p.record.perpetrators or p.record.denials) and not p.keys and (
                areas[i] not in groups or areas[i] == GroupKey("incident", (None,))):
            doers.append(p)
            continue
        if isinstance(p.record, Event) and (p.kind is None or p.elsewhere) and areas[i] not in groups:
            # An event sentence whose words name no kind or place joins an event, never makes one.
            unmerged[p.article_id].append(
                _not_merged(p, "no_kind", "its words name no kind of event and no event is there to join")
                if p.kind is None else
                _not_merged(p, "no_place", "the place it names is not where it happened, and no event is there"))
            continue
        if isinstance(p.record, Event) and areas[i] == GroupKey("incident", (None,)):
            # An incident sentence that names no place, beside several placed ones: no new event.
            unmerged[p.article_id].append(_not_merged(p, "no_place", "it names no place, beside events that do"))
            continue
        _add(group_for(areas[i], False), p)
    # "The gunman, identified as X" names no place: its definite words point at the story's main incident.
    main = max((k for k in groups if k.family == "incident" and k.areas != (None,)), default=None,
               key=lambda k: (len(groups[k].articles), len(groups[k].killed) + len(groups[k].injured)))
    for p in doers:
        if main is None:
            unmerged[p.article_id].append(_not_merged(p, "no_place", "it names no place, and no event is there"))
        else:
            _add(groups[main], p, vote=False)
    for p in today:
        if p.kind is not None and not kinds.is_incident(p.kind) and isinstance(p.record, Event):
            _add(group_for(GroupKey("kind", kind=p.kind.value), False), p)  # one agreement, one summit, one election
    _group_background(recalled, places, group_for)
    groups = _one_weather_system(groups, places)
    groups = _combined_needs_two_events(groups)
    weak = happenings.mentioned_once(groups)
    left = [k for k, g in groups.items() if k.family == "incident" and not g.background and k not in weak]
    for key in weak:
        if key.family == "kind" and kinds.follows(groups[key].kind()) and len(left) == 1:
            continue  # an arrest named in passing is still part of the day's only incident: joined below
        for p in groups.pop(key).members:
            unmerged[p.article_id].append(_not_merged(p, "mentioned_once", "at most two sentences of one article "
                                                      "name it, with no figure, beside the cluster's news: a "
                                                      "mention, not a happening"))
    # One happening, one event (``merge.happenings``): a placeless toll, an outbreak seen in several
    # countries, an arrest or investigation of the day's only incident, an agreement out of the talks.
    groups = happenings.one_per_kind(happenings.join_restated(happenings.join_placeless(groups)))
    groups = happenings.join_outcomes(happenings.join_follow_ups(groups))

    events = happenings.main_first([_merged_event(g, places, actors) for g in groups.values()])
    statements = merge_statements(ok, actors)
    reports = {e.article_id: _with_unmerged(e.grounding, unmerged.get(e.article_id, [])) for e in extractions}
    briefing = Briefing(
        title=_title(events),
        events=events,
        statements=statements,
        actors=actors.merged(),
        sources=[SourceArticle(id=e.article_id, title=e.title, published=e.published, sha256=e.sha256,
                               status=e.status, error=e.error, strategy=e.strategy, usage=e.usage,
                               duration_s=e.duration_s,
                               grounding=reports[e.article_id]) for e in extractions],
        grounding=_total_grounding(reports.values()),
        run=run or RunInfo(backend="none", model="none", strategy="none", prompt_version="none"),
    )
    briefing.narrative = template(briefing)  # the model may replace it (pipeline); it is the fallback
    briefing.run.narrative = NarrativeReport(source="template", kept=len(briefing.narrative))
    return briefing


def _merged_event(g: _EventGroup, places: Places, actors: ActorIndex) -> MergedEvent:
    kind = g.kind()
    combined = g.key.family == "combined"
    area_keys: tuple[str, ...] = tuple(a for a in g.key.areas if a) if g.key.family != "kind" else ()
    place_keys = [k for k, _ in sorted(g.places.items(), key=lambda kv: (-kv[1], kv[0]))]
    # The most specific place the records name, inside the event's area (a neighbourhood of its city).
    inside = [k for k in place_keys if not area_keys or any(places.area(k) == a for a in area_keys)]
    order = {"local": 0, "city": 1, "admin": 2, "country": 3}
    inside.sort(key=lambda k: (order[places.level(k)], -g.places[k], k))
    if g.key.family == "kind":  # one agreement, one summit: a place only when the records agree on it
        inside = [k for k in place_keys[:1] if 2 * g.places[k] > sum(g.places.values())]
    label, place, within = _label(kind, places, area_keys, inside, combined, g.background)
    if g.key.family == "kind" and place is None and g.parties and not g.background:
        # Nothing happened in one place: the title names the matter and its parties.
        top = [name for name, _ in sorted(g.parties.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
        label = f"{kinds.label(kind) if kind != EventKind.OTHER else 'Matter'}: {' and '.join(top)}"
    if g.background and kind == EventKind.OTHER and g.killed and not g.perpetrators:
        label = label.replace("Event", "Deaths", 1)  # figures alone ("470,000 since 2011")
    elif g.background and kind == EventKind.OTHER and not g.killed and not g.perpetrators:
        role = next((r for r in OTHER_ROLES if g.others[r]), None)  # "7.6 million displaced" since the war
        if role:
            label = label.replace("Event", role.capitalize(), 1)
    slug = "-".join(["background"] * g.background + [kind.value] +
                    [name_key(places.name(a)) for a in area_keys[:3]] + (["combined"] if combined else []) +
                    ([str(g.key.tag)] if g.background else []))
    perpetrated = kinds.is_perpetrated(kind)
    claims, disputed = perpetrator_claims([(p.article_id, p.record) for p in g.members if isinstance(p.record, Event)],
                                          actors) if perpetrated else ([], False)
    return MergedEvent(
        id="event:" + re.sub(r"[^\w:\-]+", "_", slug).strip("_"),
        label=label, kind=kind, place=place, within=within,
        date=g.dates.most_common(1)[0][0] if g.dates else None,
        background=g.background,
        # Nobody perpetrates a storm, a crash or a summit, whatever a record's words said.
        perpetrators=sorted({a for a in (actors.id_of(p) for p in g.perpetrators) if a}) if perpetrated else [],
        perpetrator_claims=claims, perpetrators_disputed=disputed,
        articles=sorted(g.articles), citations=sorted_citations(g.citations),
        **attach_parts({"killed": make_tally(g.killed, actors), "injured": make_tally(g.injured, actors),
                        **{r: make_tally(g.others[r], actors) for r in OTHER_ROLES}}, g.parts, actors),
    )


def _combined_needs_two_events(groups: dict[GroupKey, _EventGroup]) -> dict[GroupKey, _EventGroup]:
    """A combined toll sums places that each have their own event of the day. When fewer than two
    of its places have one, it is no combined toll: it joins the one event its places have, or,
    when none has one, is the event of those places itself."""
    out = dict(groups)
    own = {k.areas[0]: k for k, g in groups.items() if k.family == "incident" and not g.background and k.areas}
    for key, g in groups.items():
        if key.family != "combined" or g.background:
            continue
        with_event = [own[a] for a in key.areas if a in own]
        if len(with_event) >= 2:
            continue
        target = with_event[0] if with_event else GroupKey("incident", key.areas)
        _absorb(out.setdefault(target, _EventGroup(target)), out.pop(key))
    return out


def _one_weather_system(groups: dict[GroupKey, _EventGroup], places: Places) -> dict[GroupKey, _EventGroup]:
    """A storm, a flood or a heat wave of one day over several states of one country is one
    happening named at different levels, not one event per state: the day's disaster groups of one
    kind in one country become one event over all their areas. Attacks stay one per area (two
    bombings in two cities are two happenings)."""
    joined: dict[tuple[str, str], list[GroupKey]] = defaultdict(list)
    kindless: dict[str, list[GroupKey]] = defaultdict(list)  # deaths in a state whose sentence names no kind
    for key, g in groups.items():
        if key.family not in ("incident", "combined") or g.background or not key.areas or key.areas[0] is None:
            continue
        kind = g.kind()
        country = places.country(key.areas[0])
        if not country:
            continue
        if lexicon.current().kind_family(kind.value) == "disaster":
            joined[(kind.value, country)].append(key)
        elif kind == EventKind.OTHER and key.family == "incident":
            kindless[country].append(key)
    for country, keys in kindless.items():
        systems = [j for j in joined if j[1] == country]
        if len(systems) == 1:  # the country's one storm: its states' kindless tolls are the storm's
            joined[systems[0]].extend(keys)
    for j in list(joined):
        joined[j] = [k for k in joined[j] if k.family == "incident"]
    out = dict(groups)
    for (kind, country), keys in joined.items():
        areas = {a for k in keys for a in k.areas if a}
        # A toll given for the states side by side ("nine deaths in Iowa, Illinois and Wisconsin") is
        # the whole system's; each state's own figure is then a part of it and sets no low or high.
        totals = [k for k, g in groups.items() if k.family == "combined" and not g.background
                  and g.kind().value == kind and k.areas and places.country(k.areas[0]) == country]
        if len(keys) < 2 and not totals:
            continue
        areas |= {a for k in totals for a in k.areas if a}
        merged = _EventGroup(GroupKey("incident", tuple(sorted(areas))))
        for k in keys:
            part = out.pop(k)
            if totals:
                part.killed, part.injured = [], []
            _absorb(merged, part)
        for k in totals:
            _absorb(merged, out.pop(k))
        out[merged.key] = merged
    return out


def _absorb(into: _EventGroup, g: _EventGroup) -> None:
    """Every vote, place, article and claim of one group added to another's."""
    for f in fields(_EventGroup):
        mine, theirs = getattr(into, f.name), getattr(g, f.name)
        if isinstance(mine, Counter):
            mine.update(theirs)
        elif isinstance(mine, set):
            mine |= theirs
        elif isinstance(mine, list):
            mine.extend(theirs)
        elif isinstance(mine, dict):
            for k, v in theirs.items():
                mine.setdefault(k, type(v)()).extend(v) if isinstance(v, list) else mine.setdefault(k, v)


def _add(g: _EventGroup, p: _Placed, vote: bool = True) -> None:
    g.members.append(p)
    g.articles.add(p.article_id)
    g.citations.add(p.record.evidence)
    if g.key.family != "kind" or p.record.place is not None:  # an agreement is where it says, not its sentence
        g.places.update(p.keys[:1] if not p.combined else p.keys)
    elif p.named:  # "the talks took place in X"
        g.places.update(p.named[:1])
    if p.kind is not None and vote:
        g.kinds[p.kind] += 2 if isinstance(p.record, Event) else 1
    if g.key.family == "kind":
        g.parties.update(p.parties)
    if p.record.date:
        # A date the sentence states outweighs any number of publication dates taken as fallbacks.
        g.dates[p.record.date.date] += 1 if p.record.date.basis == "published" else 1000
    if isinstance(p.record, Event):
        # The same split as the per-article actor lists, so every perpetrator id names a merged actor.
        g.perpetrators.update(part.value for m in p.record.perpetrators for part in split_coordinated(m))
        return
    c = p.record
    claimant = c.claimed_by.value if c.claimed_by else None
    via = c.via.value if c.via else None
    sentence = context_of(c).sentence
    for role in ("killed", "injured", *OTHER_ROLES):
        fig = getattr(c, role)
        if not fig:
            continue
        claim = FigureClaim(fig, claimant, via, p.article_id)
        of = part_words(sentence, fig)
        if of is not None:  # a part goes under its total, never into the tally
            g.parts.append(PartClaim(claim, role, of, sentence))
            continue
        if role in ("killed", "injured"):
            getattr(g, role).append(claim)
        else:
            g.others[role].append(claim)
        g.parts.extend(PartClaim(FigureClaim(part, claimant, via, p.article_id), role, words, sentence)
                       for part, words in parts_after(sentence, fig))


def _group_background(recalled: list[_Placed], places: Places, group_for) -> None:  # type: ignore[no-untyped-def]
    """Background records are one event when they share a sentence (a toll and the event it
    belongs to), a family of kind and an area ("last week in Westport", "the same district"), a figure
    and the absence of a place (470,000 since 2011, from several articles), or the same words; and
    all recalled records of one non-incident kind (agreements, elections) are one. Components are
    found with union-find, so the result does not depend on the order the records came in."""
    parent = list(range(len(recalled)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    anchors: dict[tuple, int] = {}
    for i, r in enumerate(recalled):
        family = "incident" if r.kind is None or kinds.is_incident(r.kind) else r.kind.value
        tops = tuple(sorted({places.area(k) for k in r.keys}))
        killed = r.record.killed.value if isinstance(r.record, CasualtyReport) and r.record.killed else None
        links: list[tuple] = [("sentence", *r.sentence), ("words", family, r.slug)]
        if tops:
            links.append(("place", family, tops))
        if killed is not None and not tops:
            links.append(("figure", killed))
        if family != "incident":
            links.append(("kind", family))
        for link in links:
            j = anchors.setdefault(link, i)
            parent[find(i)] = find(j)
    components: dict[int, list[_Placed]] = defaultdict(list)
    for i, r in enumerate(recalled):
        components[find(i)].append(r)
    for members in components.values():
        tops = tuple(sorted({places.area(k) for m in members for k in m.keys}))
        figures = [m.record.killed.value for m in members
                   if isinstance(m.record, CasualtyReport) and m.record.killed and m.record.killed.value is not None]
        tag = max(figures) if figures else min(m.slug for m in members)
        g = group_for(GroupKey("background", tops, tag=tag), True)
        for m in members:
            _add(g, m)


def _not_merged(p: _Placed, code: Code, why: str) -> GroundingIssue:
    """A grounded record that no event takes: counted, so the report adds up to the briefing."""
    place = p.record.place.value if p.record.place else "null"
    fld, value = (("kind", "null") if code == "no_kind" else ("kind", p.kind.value if p.kind else "null")
                  if code == "mentioned_once" else ("place", place))
    return issue("event", fld, value, f"grounded, but joins no event: {why}", NOT_MERGED, code=code).model_copy(
        update={"article_id": p.article_id})


def _with_unmerged(report: GroundingReport, unmerged: list[GroundingIssue]) -> GroundingReport:
    """The article's report with merge's drops added (a copy: the extraction, maybe cached, keeps its own)."""
    if not unmerged:
        return report
    out = report.model_copy(deep=True)
    out.not_merged += len(unmerged)
    out.issues.extend(unmerged)
    return out


def _total_grounding(reports: Iterable[GroundingReport]) -> GroundingReport:
    """The sum of the articles' reports, every count included."""
    total = GroundingReport()
    for r in reports:
        total.add(r)
    return total


def _title(events: list[MergedEvent]) -> str:
    main = [e for e in events if not e.background and kinds.is_incident(e.kind) and e.killed.claims]
    main = main or [e for e in events if not e.background and e.kind != EventKind.OTHER]
    if not main:
        return "Briefing"
    day = next((e.date for e in main if e.date), None)
    names = [e.label for e in main if not e.id.endswith("-combined")][:3]
    return "; ".join(names or [main[0].label]) + (f" — {day.isoformat()}" if day else "")
