"""Names: normalization, titles, the alias table, actor kinds, and per-article actor lists.

``name_key`` folds what does not distinguish two names (case, diacritics, a leading "the",
possessives, al-/el- prefixes, the lexicon's transliteration variants); ``strip_titles`` removes
titles and honorifics (nameparser's list plus the lexicon's) so "Sheriff John McMahon" and "John
McMahon" are one person; the lexicon's alias table (``lexicon/actors.toml``, extensible with
``--lexicon``) maps well-known organizations' surface forms to one canonical name; pycountry knows
the states. Resolution across articles is in ``merge``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry
from nameparser.config import CONSTANTS

from .. import lexicon
from ..schemas import Actor, ActorKind, CasualtyReport, Citation, DiplomaticStatement, Event, Mention
from .folding import fold_text
from .patterns import alternation, any_word


def name_key(name: str) -> str:
    """A key under which spelling variants of one name coincide."""
    return _name_key(name, lexicon.current())


@lru_cache(maxsize=65536)
def _name_key(name: str, lex: lexicon.Lexicon) -> str:
    s = fold_text(name)
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"^(the|a|an)\s+", "", s.strip())
    s = re.sub(rf"\b(?:{alternation(lex.article_prefixes)})-", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(lex.word_folds.get(w, w) for w in s.split())


def _alias_index(lex: lexicon.Lexicon) -> dict[str, str]:
    index: dict[str, str] = {}
    for canon, (_kind, forms) in lex.aliases.items():
        for form in (canon, *forms):
            index[_name_key(form, lex)] = canon
    return index


def _states(lex: lexicon.Lexicon) -> frozenset[str]:
    """Country names as pycountry knows them (name, common and official names)."""
    names: set[str] = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names.add(_name_key(value, lex))
    return frozenset(names)


def title_words(lex: lexicon.Lexicon) -> frozenset[str]:
    return frozenset(t.lower().rstrip(".") for t in CONSTANTS.titles) | lex.title_extra


def strip_titles(name: str) -> str:
    """'French President Emmanuel Macron' -> 'Emmanuel Macron'; 'Sheriff John McMahon' -> 'John
    McMahon'; 'US Secretary of State John Smith' -> 'John Smith'. Title words are nameparser's
    list plus the lexicon's; a run of titles (with the nationality or office words before them, and
    an 'of State' after) ends at the last title word. A name that is all titles stays as it is."""
    lex = lexicon.current()
    titles = lex.compiled("title_words", title_words)
    tokens = name.split()
    last = -1
    i = 0
    while i < len(tokens):
        word = tokens[i].lower().strip(".,")
        if word in titles:
            last = i
            while i + 2 < len(tokens) and tokens[i + 1].lower() in ("of", "for") and tokens[i + 2][:1].isupper():
                i += 2  # "Secretary of State", "Minister for Health"
                last = i
        elif word not in lex.title_modifiers and last < 0 and i > 0:
            break
        elif word not in lex.title_modifiers and last >= 0:
            break
        i += 1
    rest = tokens[last + 1:]
    return " ".join(rest) if rest and last >= 0 else name


@lru_cache(maxsize=65536)
def _canonical(name: str, lex: lexicon.Lexicon) -> str | None:
    index = lex.compiled("alias_index", _alias_index)
    key = _name_key(name, lex)
    if key in index:
        return index[key]
    stripped = _name_key(strip_titles(name), lex)
    if stripped in index:
        return index[stripped]
    # "Front militants", "Front fighters": the organization named by its members.
    return index.get(lex.members.sub("", stripped))


def canonical(name: str) -> str | None:
    """The alias table's canonical name, if the table knows this surface form."""
    return _canonical(name, lexicon.current())


def kind_of(name: str) -> ActorKind:
    return _kind_of(name, lexicon.current())


@lru_cache(maxsize=65536)
def _kind_of(name: str, lex: lexicon.Lexicon) -> ActorKind:
    canon = _canonical(name, lex)
    if canon:
        return ActorKind(lex.aliases[canon][0])
    if _name_key(name, lex) in lex.compiled("states", _states):
        return ActorKind.STATE
    for kind in ("media", "armed_group", "organization"):
        if lex.actor_kind_words[kind].search(name):
            return ActorKind(kind)
    if re.fullmatch(r"(?:[A-Z]\.?){2,6}", name.strip()):
        return ActorKind.ORGANIZATION  # "BP", "NBC", "U.N.": an acronym names a body, never a person
    words = [re.sub(r"^(?:al|el|ad|as)-", "", w) for w in strip_titles(name.strip()).split() if w]
    if 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return ActorKind.PERSON
    return ActorKind.UNKNOWN


# A clause, or the name of a war or an attack, is present in the text but names nobody:
# "Northland's airstrikes have been blamed for increasing the war", "the civil war".
def _clause_words(lex: lexicon.Lexicon) -> re.Pattern[str]:
    return any_word(lex.clause_words, flags=0)  # lower case: "IS" is a name



def not_an_actor(name: str) -> bool:
    """A clause, an event ('the civil war') or a site ('the Riverside market'), not who acted."""
    lex = lexicon.current()
    last = name.split()[-1] if name.split() else ""
    clause = lex.compiled("clause_words", _clause_words)
    return (len(name.split()) > 8 or bool(clause.search(name)) or bool(lex.event_heads.search(name))
            or bool(lex.place_sites.fullmatch(last)))


def person_core(name: str) -> str:
    """'US Secretary of State John Smith' -> 'john smith'."""
    return name_key(strip_titles(name))


_AND = re.compile(r",?\s+and\s+|\s*,\s+")


def _separable(part: str) -> bool:
    # A lone capitalized word passes for a person ("Herzegovina"): a person part needs two names.
    kind = kind_of(part)
    return kind == ActorKind.STATE or (kind == ActorKind.PERSON and len(person_core(part).split()) >= 2)


def split_coordinated(mention: Mention) -> list[Mention]:
    """'President Barack Obama and Russian President Vladimir Putin' names two actors; each part gets
    its own sub-span. Split only when every part is a state or a full personal name, so names that
    hold an "and" ("Bosnia and Herzegovina", "Ministry of Defence and Aviation") stay whole."""
    value, cit = mention.value, mention.citation
    if " and " not in value:
        return [mention]
    parts, at = [], 0
    for sep in [*_AND.finditer(value), None]:
        end = sep.start() if sep else len(value)
        parts.append((at, end))
        at = sep.end() if sep else at
    names = [(a, b) for a, b in parts if b > a]
    if len(names) < 2 or not all(_separable(value[a:b]) for a, b in names):
        return [mention]
    return [Mention(value=value[a:b], citation=Citation(article_id=cit.article_id, start=cit.start + a,
                                                        end=cit.start + b, text=cit.text[a:b], status=cit.status))
            for a, b in names]


def derive_actors(
    events: list[Event], casualties: list[CasualtyReport], statements: list[DiplomaticStatement]
) -> list[Actor]:
    """Everyone one article names as speaking, claiming, relaying or acting."""
    found: list[tuple[Mention, str | None, ActorKind | None]] = []
    for st in statements:
        found.append((st.speaker, st.speaker_role.value if st.speaker_role else None, None))
    for c in casualties:
        for m in (c.claimed_by, c.via):
            if m:
                found.append((m, None, None))
    for e in events:
        for m in [*e.perpetrators, *e.denials, *e.participants]:  # a perpetrator is not an armed group by default
            found += [(part, None, None) for part in split_coordinated(m)]
        found += [(p.claimed_by, None, None) for p in [*e.perpetrators, *e.denials] if getattr(p, "claimed_by", None)]
    by_key: dict[str, Actor] = {}
    for mention, role, kind_hint in found:
        key = canonical(mention.value) or person_core(mention.value) or name_key(mention.value)
        actor = by_key.get(key)
        cit: Citation = mention.citation
        if actor is None:
            by_key[key] = Actor(
                name=mention.value, kind=kind_hint or kind_of(mention.value), role=role, citations=[cit]
            )
            continue
        if mention.value != actor.name and mention.value not in actor.aliases:
            if len(mention.value) > len(actor.name):
                actor.aliases.append(actor.name)
                actor.name = mention.value
            else:
                actor.aliases.append(mention.value)
        actor.role = actor.role or role
        if cit not in actor.citations:
            actor.citations.append(cit)
    return sorted(by_key.values(), key=lambda a: name_key(a.name))
