"""Actors across articles: one entry per person, group or state, its aliases and acronyms."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..grounding.gazetteer import country_of_capital
from ..language.names import canonical, kind_of, name_key, person_core, strip_titles
from ..schemas import (
    Acronym,
    ActorKind,
    ArticleExtraction,
    Citation,
    MergedActor,
)


def sorted_citations(cits: Iterable[Citation]) -> list[Citation]:
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


def _referents(extractions: list[ArticleExtraction]) -> dict[str, str]:
    """Role noun -> full name, over the articles; a role noun two articles give two names is none."""
    names: dict[str, set[str]] = defaultdict(set)
    for ex in extractions:
        for r in ex.facts.referents:
            names[r.words].add(r.name)
    return {words: next(iter(full)) for words, full in names.items() if len(full) == 1}


def _actor_id(key: str) -> str | None:
    return "actor:" + re.sub(r"[^a-z0-9]+", "-", key.removeprefix("org:")).strip("-") if key else None


class ActorIndex:
    """Resolves any surface form to one actor id."""

    def __init__(self, extractions: list[ArticleExtraction], acronyms: Iterable[Acronym] = ()):
        """``acronyms``: those the articles spell out (kept in each extraction's facts); the first
        spelling of each wins."""
        self.acronyms: dict[str, str] = {}
        self._memo: dict[tuple[str, ActorKind | None], str] = {}
        for a in acronyms:
            self.acronyms.setdefault(a.short, a.long)
        self.referents = _referents(extractions)
        self.groups: dict[str, _ActorGroup] = {}
        surname_full: dict[str, set[str]] = defaultdict(set)
        in_article: dict[tuple[str, str], set[str]] = defaultdict(set)  # (article, surname) -> full names
        pending: list[tuple[str, str, ActorKind, str | None, str, list[Citation]]] = []
        for ex in extractions:
            for actor in ex.actors:
                for form in (actor.name, *actor.aliases):
                    capital = country_of_capital(form.strip())
                    kind = ActorKind.STATE if capital is not None else actor.kind
                    pending.append((form, self._key(form, kind), kind, actor.role, ex.article_id, actor.citations))
        for _form, key, kind, _, _article, _ in pending:
            if kind == ActorKind.PERSON and " " in key:
                surname_full[key.split()[-1]].add(key)
                in_article[(_article, key.split()[-1])].add(key)
        self._person_join = {s: next(iter(full)) for s, full in surname_full.items() if len(full) == 1}
        # A surname is first the full name its own article gave ("Lopez" after "Maria Lopez"), even
        # when another article names another Lopez.
        self._article_join = {k: next(iter(full)) for k, full in in_article.items() if len(full) == 1}
        for form, key, kind, role, article_id, cits in pending:
            key = self.resolve_key(form, kind, article_id)
            g = self.groups.setdefault(key, _ActorGroup(key))
            g.names[form] += 1
            full = self.referent(form)
            if full is not None:  # "the union" is shown, and is of the kind, of the name its article gives it
                g.names[full] += 0
                kind = kind_of(full)
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

    def referent(self, form: str) -> str | None:
        """The full name the articles give a role noun ("the union": "Textile Workers Union"), or None."""
        words = form.strip().split()
        if not words or any(w[:1].isupper() for w in words[1:]) or (words[0][:1].isupper() and len(words) > 1
                                                                    and words[0].lower() not in ("the", "a", "an")):
            return None
        lower = re.sub(r"^(?:the|an?) ", "", " ".join(words).lower())
        return self.referents.get(f"the {lower}")

    def _key_of(self, form: str, kind: ActorKind | None) -> str:
        full = self.referent(form)
        if full is not None:
            return self._key(full, kind_of(full))
        capital = country_of_capital(form.strip())
        if capital is not None:  # "Ottawa says": Canada's government, one actor with "Canada"
            form, kind = canonical(capital.name) or capital.name, ActorKind.STATE
        expanded = self.acronyms.get(form.strip(), form)
        canon = canonical(expanded) or canonical(form)
        if canon:
            return "org:" + name_key(canon)
        kind = kind or kind_of(form)
        if kind == ActorKind.PERSON:
            return person_core(form)
        return name_key(expanded)

    def resolve_key(self, form: str, kind: ActorKind | None = None, article_id: str | None = None) -> str:
        key = self._key(form, kind)
        if key.startswith("org:") or " " in key:
            return key
        if article_id is not None and (article_id, key) in self._article_join:
            return self._article_join[(article_id, key)]
        return self._person_join.get(key, key)

    def id_of(self, form: str | None, article_id: str | None = None) -> str | None:
        if not form:
            return None
        return _actor_id(self.resolve_key(form, article_id=article_id))

    def name_of(self, form: str | None, article_id: str | None = None) -> str | None:
        if not form:
            return None
        g = self.groups.get(self.resolve_key(form, article_id=article_id))
        return self._display(g) if g else (self.referent(form) or form)

    def _display(self, g: _ActorGroup) -> str:
        canon = next((canonical(n) for n in g.names if canonical(n)), None)
        if canon:
            return canon
        country = next((c for c in map(country_of_capital, g.names) if c is not None), None)
        if country is not None:
            return canonical(country.name) or country.name
        # The fullest name without its titles: "John Smith", not "US Secretary of State John Smith".
        named = [n for n in g.names if self.referent(n) is None] or list(g.names)  # a name, not "the union"
        best = max(named, key=lambda n: (len(strip_titles(n).split()), -len(n.split()), g.names[n], n))
        core = strip_titles(best)
        person = g.kinds.most_common(1)[0][0] == ActorKind.PERSON if g.kinds else False
        return core if person and best.endswith(core) else best

    def merged(self) -> list[MergedActor]:
        out = []
        for g in self.groups.values():
            display = self._display(g)
            out.append(MergedActor(
                id=_actor_id(g.key) or g.key,
                name=display,
                kind=g.kinds.most_common(1)[0][0],
                roles=sorted(g.roles),
                aliases=sorted(n for n in g.names if n != display),
                articles=sorted(g.articles),
                citations=sorted_citations(g.citations),
            ))
        return sorted(out, key=lambda a: (-len(a.articles), a.name))
