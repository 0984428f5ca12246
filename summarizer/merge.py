"""Many ArticleExtractions -> one Briefing. Deterministic: no model is asked anything here.

* Actors: surface forms are joined by the alias table, name folding, acronyms the articles
  spell out ("Syrian Observatory for Human Rights (SOHR)"), and, for people, a lone surname
  joins the one full name that carries it (two full names with that surname: no join).
* Events: casualty reports and events are grouped by kind and place (a sub-place such as
  Sayyida Zeinab counts under the city that contains it) and date; a sentence naming two
  cities side by side ("in Homs and Damascus") gives a combined toll, kept apart so per-city
  figures are never summed, whatever single place the model picked; background (earlier)
  events stay separate, labelled so, and are grouped into one event per recalled event
  (``_group_background``).
* Tallies: every figure is a claim (value, qualifier, claimant, relay, articles, citations).
  The roll-up rule is ``ROLLUP_RULE``; nothing is averaged.
* Statements: ``quotes.merge_statements``.
* Narrative: ``narrative.template`` here; the model-written one is the pipeline's call.

Blocking keeps this near-linear: records are grouped by normalized keys, and fuzzy
comparisons only happen inside a block, between the candidates an index returns.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .actors import canonical, fold_text, kind_of, name_key, person_core, split_coordinated
from .narrative import template
from .quotes import merge_statements
from .schemas import (
    ActorKind,
    ArticleExtraction,
    Briefing,
    CasualtyReport,
    Citation,
    Claim,
    Event,
    EventKind,
    Figure,
    GroundingReport,
    MergedActor,
    MergedEvent,
    NarrativeReport,
    Qualifier,
    RunInfo,
    SourceArticle,
    Tally,
)
from .sentences import Sentence, covering, sentence_at, split_sentences

ROLLUP_RULE = (
    "low = smallest figure claimed; high = largest; best = the most specific figure (exact before "
    "qualified) from the named claimant reported by the most articles (unattributed figures only "
    "when no claimant is named), ties to the lower figure; "
    "disputed when claimed figures differ; independent sources are distinct claimants "
    "(all unattributed figures count as one), not articles"
)
# Sub-places the articles place inside a city. Extended from the text ("X suburb of Y").
CONTAINMENT = {"sayyida zeinab": "Damascus"}
# "the Sayyida Zeinab suburb of Damascus", "Sayeda Zeinab, south of Damascus". Only two-word
# sub-places are learned: "the Damascus suburb of Sayyida Zeinab" reads the other way round.
_CONTAINED = re.compile(r"\bthe (?P<a>[A-Z][\w’'\-]+ [A-Z][\w’'\-]+) (?:suburb|district|neighbou?rhood) "
                        r"of (?P<b>[A-Z][\w\-]+)|(?P<c>[A-Z][\w’'\-]+ [A-Z][\w’'\-]+), (?:south|north|east|west) "
                        r"of (?P<d>[A-Z][\w\-]+)")
_ACRONYM = re.compile(r"((?:[A-Z][\w’'\-]+ (?:(?:for|of|and|the|in|on) )*){1,7}[A-Z][\w’'\-]+) \(([A-Z]{2,6})\)")
_SPECIFICITY = {Qualifier.EXACT: 0, Qualifier.ABOUT: 1, Qualifier.NEARLY: 1, Qualifier.AT_LEAST: 2,
                Qualifier.MORE_THAN: 2, Qualifier.UP_TO: 2, Qualifier.VAGUE: 3}


def _sorted_cits(cits: Iterable[Citation]) -> list[Citation]:
    return sorted(set(cits), key=lambda c: (c.article_id, c.start, c.end))


# --- actors --------------------------------------------------------------------------------


@dataclass
class _ActorGroup:
    key: str
    names: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    roles: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    citations: set[Citation] = field(default_factory=set)


class ActorIndex:
    """Resolves any surface form to one actor id."""

    def __init__(self, extractions: list[ArticleExtraction], texts: Iterable[str] = ()):
        self.acronyms: dict[str, str] = {}
        self._memo: dict[tuple[str, ActorKind | None], str] = {}
        for text in texts:
            for m in _ACRONYM.finditer(text):
                self.acronyms.setdefault(m.group(2), m.group(1))
        self.groups: dict[str, _ActorGroup] = {}
        surname_full: dict[str, set[str]] = defaultdict(set)
        pending: list[tuple[str, str, ActorKind, str | None, str, list[Citation]]] = []
        for ex in extractions:
            for actor in ex.actors:
                for form in (actor.name, *actor.aliases):
                    pending.append((form, self._key(form, actor.kind), actor.kind, actor.role,
                                    ex.article_id, actor.citations))
        for _form, key, kind, _, _, _ in pending:
            if kind == ActorKind.PERSON and " " in key:
                surname_full[key.split()[-1]].add(key)
        self._person_join = {s: next(iter(full)) for s, full in surname_full.items() if len(full) == 1}
        for form, key, kind, role, article_id, cits in pending:
            key = self.resolve_key(form, kind)
            g = self.groups.setdefault(key, _ActorGroup(key))
            g.names[form] += 1
            g.kinds[kind] += 1
            if role:
                g.roles.add(role)
            g.articles.add(article_id)
            g.citations.update(cits)

    def _key(self, form: str, kind: ActorKind | None = None) -> str:
        memo = self._memo.get((form, kind))
        if memo is None:
            memo = self._memo[(form, kind)] = self._key_of(form, kind)
        return memo

    def _key_of(self, form: str, kind: ActorKind | None) -> str:
        expanded = self.acronyms.get(form.strip(), form)
        canon = canonical(expanded) or canonical(form)
        if canon:
            return "org:" + name_key(canon)
        kind = kind or kind_of(form)
        if kind == ActorKind.PERSON:
            return person_core(form)
        return name_key(expanded)

    def resolve_key(self, form: str, kind: ActorKind | None = None) -> str:
        key = self._key(form, kind)
        if not key.startswith("org:") and " " not in key and key in self._person_join:
            return self._person_join[key]
        return key

    def id_of(self, form: str | None) -> str | None:
        if not form:
            return None
        key = self.resolve_key(form)
        return "actor:" + re.sub(r"[^a-z0-9]+", "-", key.removeprefix("org:")).strip("-") if key else None

    def name_of(self, form: str | None) -> str | None:
        if not form:
            return None
        g = self.groups.get(self.resolve_key(form))
        return self._display(g) if g else form

    def _display(self, g: _ActorGroup) -> str:
        canon = next((canonical(n) for n in g.names if canonical(n)), None)
        if canon:
            return canon
        return max(g.names, key=lambda n: (len(n.split()), g.names[n], n))

    def merged(self) -> list[MergedActor]:
        out = []
        for g in self.groups.values():
            display = self._display(g)
            out.append(MergedActor(
                id=self.id_of(next(iter(g.names))) or g.key,
                name=display,
                kind=g.kinds.most_common(1)[0][0],
                roles=sorted(g.roles),
                aliases=sorted(n for n in g.names if n != display),
                articles=sorted(g.articles),
                citations=_sorted_cits(g.citations),
            ))
        return sorted(out, key=lambda a: (-len(a.articles), a.name))


# --- places and events ------------------------------------------------------------------------


_PLACE_NOISE = re.compile(
    r"^(?:the )?(?:(?:syrian|central|northern|southern|eastern|western|shiite|mostly|alawite) )*"
    r"(?:(?:city|cities|town|district|suburb) of )?|(?: (?:mosque|shrine|district|suburb|neighbou?rhood|area|"
    r"city|violence))+$"
)
_GENERIC = {"district", "area", "neighborhood", "neighbourhood", "city", "suburb", "town", "region", "streets"}
_COUNTRIES = {"syria", "iraq", "turkey", "russia", "lebanon", "jordan", "iran"}


@lru_cache(maxsize=65536)
def place_key(name: str) -> str:
    return name_key(_PLACE_NOISE.sub("", fold_text(name).strip()))


class Places:
    """Known places (single names seen as record places), containment, and display names."""

    def __init__(self, extractions: list[ArticleExtraction], texts: Iterable[str]):
        self.contain: dict[str, str] = dict(CONTAINMENT)
        self.display: dict[str, Counter] = defaultdict(Counter)
        for text in texts:
            for m in _CONTAINED.finditer(text):
                a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
                ka, kb = place_key(a), place_key(b)
                if ka != kb and kb not in self.contain:
                    self.contain.setdefault(ka, b)
        for ex in extractions:
            for rec in [*ex.casualties, *ex.events]:
                if rec.place and rec.place.value[:1].isupper() and not re.search(r",| and ", rec.place.value):
                    key = place_key(rec.place.value)
                    if key and key not in _COUNTRIES and key.split()[-1] not in _GENERIC:
                        self.display[key][rec.place.value] += 1
        self.known = sorted(set(self.display) | set(self.contain) | {place_key(v) for v in self.contain.values()},
                            key=len, reverse=True)

    def top(self, key: str) -> str:
        return place_key(self.contain.get(key, key))

    def name(self, key: str) -> str:
        c = self.display.get(key)
        if not c:
            return next((v for k, v in self.contain.items() if place_key(v) == key), key.title())
        return min(c, key=lambda n: (-c[n], len(n), n))

    def in_text(self, text: str) -> list[str]:
        """Known places named in a text, most specific first, without double counting."""
        folded = " " + name_key(text) + " "
        found: list[str] = []
        for k in self.known:
            if f" {k} " in folded and not any(k in f for f in found):
                found.append(k)
        return found


    def coordinated(self, text: str) -> list[str]:
        """Places a text names side by side ("Homs and Damascus", "Damascus, Homs", "the city of
        Homs and a Shiite district in Damascus"), when they lie in different cities: the text then gives one figure for
        all of them. "46 in Homs and 62 in Damascus" is not coordinated (a figure stands between)."""
        keys = self.in_text(text)
        if len({self.top(k) for k in keys}) < 2:
            return []
        toks = [name_key(t) or t for t in _TOKEN.findall(text)]
        spans: list[tuple[int, int, str]] = []
        for k in keys:
            kw = k.split()
            spans += [(i, i + len(kw), k) for i in range(len(toks) - len(kw) + 1) if toks[i:i + len(kw)] == kw]
        spans.sort()
        found: set[str] = set()
        for (_, end, a), (start, _, b) in zip(spans, spans[1:], strict=False):
            if self.top(a) != self.top(b) and start >= end and all(t in _GLUE for t in toks[end:start]):
                found.update((a, b))
        return sorted(found) if len({self.top(k) for k in found}) > 1 else []


_TOKEN = re.compile(r"[\w’'\-]+|[,&]")
# Words that may stand between coordinated places; a number or a verb between them never is.
_GLUE = {",", "&", "and", "the", "a", "an", "of", "in", "city", "cities", "capital", "town", "towns", "district",
         "districts", "suburb", "suburbs", "neighborhood", "neighbourhood", "area", "areas", "central", "northern",
         "southern", "eastern", "western", "syrian", "shiite", "alawite"}
_ATTACKS = {EventKind.BOMBING, EventKind.ATTACK, EventKind.AIRSTRIKE}


@dataclass
class _EventGroup:
    key: tuple
    kind: EventKind
    places: Counter = field(default_factory=Counter)
    dates: Counter = field(default_factory=Counter)
    background: bool = False
    perpetrators: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    citations: set[Citation] = field(default_factory=set)
    killed: list[tuple[Figure, str | None, str | None, str, Citation]] = field(default_factory=list)
    injured: list[tuple[Figure, str | None, str | None, str, Citation]] = field(default_factory=list)


def _event_slot(places: Places, kind: EventKind, sentence: str, place: str | None,
                background: bool, lead: str = "", before: str = "") -> tuple[tuple, list[str]]:
    """The event a record belongs to: the places its sentence names side by side (a combined toll,
    whatever single place the model picked), else its place(s) from the record's place, else its
    sentence, else (for a figure that names no place) the sentence before it in the paragraph ("The
    Observatory said 57 were killed" after a sentence about Homs), else the article's lead."""
    keys = places.coordinated(sentence)
    if not keys and place:
        keys = places.in_text(place)
    if not keys:
        keys = places.in_text(sentence)
    if not keys and not background:
        keys = places.in_text(before) or places.in_text(lead)
    tops = sorted({places.top(k) for k in keys})
    family = "attack" if kind in _ATTACKS else kind.value
    if background:
        return ("background", family, tuple(tops)), keys
    if len(tops) > 1:
        return ("combined", family, tuple(tops)), keys
    return (family, tuple(tops)), keys


def _tally(claims_in: list[tuple[Figure, str | None, str | None, str, Citation]], actors: ActorIndex) -> Tally:
    grouped: dict[tuple, tuple[set[str], set[Citation], list[str]]] = {}
    names: dict[str | None, str | None] = {}
    for fig, claimant, via, article_id, _cit in claims_in:
        for form in (claimant, via):
            if form not in names:
                names[form] = actors.name_of(form)
        key = (fig.value, fig.qualifier, names[claimant], names[via])
        arts, cits, words = grouped.setdefault(key, (set(), set(), [fig.words]))
        arts.add(article_id)
        cits.add(fig.citation)
        words[0] = min(words[0], fig.words)  # any order of articles gives the same words
    claims = [Claim(value=value, qualifier=qual, words=words[0], claimant=name, via=via_name,
                    articles=sorted(arts), citations=_sorted_cits(cits))
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


def _label(kind: EventKind, key: tuple, place_names: list[str], background: bool) -> str:
    noun = {"attack": "Bombing", "agreement": "Agreement", "military_operation": "Military operation",
            "toll": "Deaths"}.get(
        key[1] if key[0] in ("background", "combined") else key[0], kind.value.replace("_", " ").capitalize())
    where = " and ".join(place_names)
    if key[0] == "combined":
        return f"{noun}s in {where} (combined toll)"
    label = f"{noun} in {where}" if where else noun
    return f"{label} (background)" if background else label


# --- the whole merge -------------------------------------------------------------------------


def merge(extractions: list[ArticleExtraction], texts: dict[str, str] | None = None,
          run: RunInfo | None = None) -> Briefing:
    texts = texts or {}
    extractions = sorted(extractions, key=lambda e: e.article_id)
    ok = [e for e in extractions if e.status == "ok"]
    actors = ActorIndex(ok, (texts[k] for k in sorted(texts)))
    places = Places(ok, (texts[k] for k in sorted(texts)))
    groups: dict[tuple, _EventGroup] = {}

    def group_for(kind: EventKind, key: tuple, keys: list[str], background: bool) -> _EventGroup:
        g = groups.get(key)
        if g is None:
            g = groups[key] = _EventGroup(key, kind, background=background)
        g.places.update(keys)
        return g

    background: list[_Recalled] = []
    for ex in ok:
        text = texts.get(ex.article_id, "")
        for c in ex.casualties:
            sentence = _sentence_of(text, c.evidence) if text else c.evidence.text
            key, keys = _event_slot(places, EventKind.BOMBING, sentence, c.place.value if c.place else None,
                                    c.background, text[:600], _sentence_before(text, c.evidence) if text else "")
            if c.background:
                background.append(_Recalled(EventKind.BOMBING, key, keys, ex.article_id, _sentence_id(text, c.evidence),
                                            c.killed.value if c.killed else None, name_key(sentence)[:40],
                                            c, ex.article_id))
                continue
            _add_casualty(group_for(EventKind.BOMBING, key, keys, False), c, ex.article_id)
        for e in ex.events:
            _add_event(e, ex.article_id, text, places, groups, group_for, background)
    _group_background(background, group_for)

    events = []
    for key, g in groups.items():
        keys = [k for k, _ in g.places.most_common()]
        specific = [places.name(k) for k in keys if k in places.contain]
        tops = list(key[2] if key[0] in ("background", "combined") else key[1])
        names = [places.name(t) for t in tops]
        within = None
        if len(tops) == 1 and specific:
            names, within = [specific[0]], places.name(tops[0])
        eid = "event:" + "-".join(str(p) for p in key if p != ()).replace(" ", "_").replace("'", "")
        ev = MergedEvent(
            id=re.sub(r"[^\w:\-]+", "", eid),
            label=_label(g.kind, key, [f"{n}, {within}" if within else n for n in names], g.background),
            kind=g.kind, place=names[0] if len(names) == 1 else None, within=within,
            date=g.dates.most_common(1)[0][0] if g.dates else None,
            background=g.background,
            perpetrators=sorted({a for a in (actors.id_of(p) for p in g.perpetrators) if a}),
            articles=sorted(g.articles), citations=_sorted_cits(g.citations),
            killed=_tally(g.killed, actors), injured=_tally(g.injured, actors),
        )
        events.append(ev)
    events.sort(key=lambda e: (e.background, e.id.startswith("event:combined"), -len(e.killed.claims),
                               -len(e.articles), e.id))
    statements = merge_statements(ok, actors)
    briefing = Briefing(
        title=_title(events),
        events=events,
        statements=statements,
        actors=actors.merged(),
        sources=[SourceArticle(id=e.article_id, title=e.title, published=e.published, sha256=e.sha256,
                               status=e.status, error=e.error, usage=e.usage, duration_s=e.duration_s,
                               grounding=e.grounding) for e in extractions],
        grounding=_total_grounding(extractions),
        run=run or RunInfo(backend="none", model="none", strategy="none", prompt_version="none"),
    )
    briefing.narrative = template(briefing)  # the model may replace it (pipeline); it is the fallback
    briefing.run.narrative = NarrativeReport(source="template", kept=len(briefing.narrative))
    return briefing


@lru_cache(maxsize=64)
def _sentences(text: str) -> list[Sentence]:
    return split_sentences(text)  # merge sees texts, not Articles: cached here by text


def _sentence_of(text: str, cit: Citation) -> str:
    """The full sentence(s) a citation lies in, by the same splitter grounding uses."""
    over = covering(_sentences(text), cit.start, cit.end)
    return text[over[0].start:over[-1].end] if over else cit.text


def _sentence_before(text: str, cit: Citation) -> str:
    """The sentence before the one a citation starts in, within the same paragraph, or ''."""
    sentences = _sentences(text)
    i = sentence_at(sentences, cit.start)
    if not i:
        return ""
    prev = sentences[i - 1]
    return "" if "\n" in text[prev.end:sentences[i].start] else text[prev.start:prev.end]


def _sentence_id(text: str, cit: Citation) -> tuple[str, int]:
    """Which sentence of its article a citation lies in (records from one sentence are one event)."""
    over = covering(_sentences(text), cit.start, cit.end) if text else []
    return (cit.article_id, over[0].start if over else cit.start)


def _add_casualty(g: _EventGroup, c: CasualtyReport, article_id: str) -> None:
    g.articles.add(article_id)
    g.citations.add(c.evidence)
    if c.date:
        g.dates[c.date.date] += 1
    claimant = c.claimed_by.value if c.claimed_by else None
    via = c.via.value if c.via else None
    if c.killed:
        g.killed.append((c.killed, claimant, via, article_id, c.killed.citation))
    if c.injured:
        g.injured.append((c.injured, claimant, via, article_id, c.injured.citation))


def _add_event_record(g: _EventGroup, e: Event, article_id: str) -> None:
    g.articles.add(article_id)
    g.citations.add(e.evidence)
    if e.date:
        g.dates[e.date.date] += 1
    # The same split as the per-article actor lists, so every perpetrator id names a merged actor.
    g.perpetrators.update(part.value for p in e.perpetrators for part in split_coordinated(p))


def _add_event(e: Event, article_id: str, text: str, places: Places, groups: dict[tuple, _EventGroup],
               group_for, background: list[_Recalled]) -> None:  # type: ignore[no-untyped-def]
    key, keys = _event_slot(places, e.kind, e.summary, e.place.value if e.place else None, e.background)
    if e.background:
        background.append(_Recalled(e.kind, key, keys, article_id, _sentence_id(text, e.evidence), None,
                                    name_key(e.summary)[:40], e, article_id))
        return
    if e.kind == EventKind.AGREEMENT:
        key, keys = ("agreement", ()), []
    elif e.kind in _ATTACKS and key not in groups and key[0] != "combined":
        # An attack sentence that names no place joins the day's only attack, if there is one.
        if not key[1]:
            return
    _add_event_record(group_for(e.kind, key, keys, False), e, article_id)


@dataclass
class _Recalled:
    """A background record waiting to be grouped with the others that recall the same event."""

    kind: EventKind
    key: tuple  # ("background", family, tops)
    keys: list[str]
    article_id: str
    sentence: tuple[str, int]
    killed: int | None
    slug: str
    record: CasualtyReport | Event
    source: str


def _group_background(recalled: list[_Recalled], group_for) -> None:  # type: ignore[no-untyped-def]
    """Background records are one event when they share a sentence (a toll and the event it
    belongs to), a kind and place ("last week in Ankara", "the same district"), a figure and the
    absence of a place (470,000 since 2011, from several articles), or the same words; and all
    recalled agreements are one, like the day's. Components are found with union-find, so the
    result does not depend on the order the records came in."""
    parent = list(range(len(recalled)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    anchors: dict[tuple, int] = {}
    for i, r in enumerate(recalled):
        family, tops = r.key[1], r.key[2]
        links: list[tuple] = [("sentence", *r.sentence), ("words", family, r.slug)]
        if tops:
            links.append(("place", family, tops))
        if r.killed is not None and not tops:
            links.append(("figure", r.killed))
        if family == EventKind.AGREEMENT.value:
            links.append(("agreement",))
        for link in links:
            j = anchors.setdefault(link, i)
            parent[find(i)] = find(j)
    components: dict[int, list[_Recalled]] = defaultdict(list)
    for i, r in enumerate(recalled):
        components[find(i)].append(r)
    for members in components.values():
        # The kind an event record names wins over the "bombing" every casualty record carries.
        kinds = Counter(m.kind for m in members if isinstance(m.record, Event)) or Counter(m.kind for m in members)
        kind = min(kinds, key=lambda k: (-kinds[k], k.value))
        family = "attack" if kind in _ATTACKS else kind.value
        if not any(isinstance(m.record, Event) for m in members):
            family = "toll"  # figures alone ("470,000 since 2011"): no kind of event was named
        tops = tuple(sorted({t for m in members for t in m.key[2]}))
        figures = [m.killed for m in members if m.killed is not None]
        tag = max(figures) if figures else min(m.slug for m in members)
        g = group_for(kind, ("background", family, tops, tag), [k for m in members for k in m.keys], True)
        for m in members:
            if isinstance(m.record, CasualtyReport):
                _add_casualty(g, m.record, m.source)
            else:
                _add_event_record(g, m.record, m.source)


def _total_grounding(extractions: list[ArticleExtraction]) -> GroundingReport:
    """The sum of the articles' reports, every count included."""
    total = GroundingReport()
    for e in extractions:
        total.add(e.grounding)
    return total


def _title(events: list[MergedEvent]) -> str:
    main = [e for e in events if not e.background and e.kind in _ATTACKS and e.killed.claims]
    if not main:
        return "Briefing"
    day = next((e.date for e in main if e.date), None)
    names = [e.label for e in main if not e.id.startswith("event:combined")][:3]
    return "; ".join(names or [main[0].label]) + (f" — {day.isoformat()}" if day else "")
