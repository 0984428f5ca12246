"""Names: normalization, a small alias table, actor kinds, and per-article actor lists.

``name_key`` folds what does not distinguish two names (case, diacritics, a leading "the",
possessives, al-/el- prefixes, common transliteration variants); ``ALIASES`` maps well-known
organizations' surface forms to one canonical name. Resolution across articles is in ``merge``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .schemas import Actor, ActorKind, CasualtyReport, Citation, DiplomaticStatement, Event, Mention

# Canonical name -> (kind, surface forms). Keep it small and documented: only names whose
# variants no rule could join ("Daesh" = ISIS, "the Observatory" = SOHR).
ALIASES: dict[str, tuple[ActorKind, tuple[str, ...]]] = {
    "Islamic State": (ActorKind.ARMED_GROUP, (
        "ISIS", "ISIL", "IS", "Daesh", "Islamic State group", "Islamic State in Iraq and Syria",
        "Islamic State of Iraq and the Levant", "Islamic State militant group", "Daesh militant group",
        "the extremists", "Islamic State loyalists",
    )),
    "Syrian Observatory for Human Rights": (ActorKind.ORGANIZATION, (
        "SOHR", "the Observatory", "Observatory", "Britain-based Syrian Observatory for Human Rights",
    )),
    "SANA": (ActorKind.MEDIA, (
        "Syrian Arab News Agency", "the official SANA news agency", "official SANA news agency",
        "SANA news agency", "state news agency SANA", "Syria’s official SANA news agency",
    )),
    "Syrian Foreign Ministry": (ActorKind.ORGANIZATION, ("Syria’s Foreign Ministry", "Syria's Foreign Ministry")),
    "Russian Foreign Ministry": (ActorKind.ORGANIZATION, ("the Russian Foreign Ministry",)),
    "High Negotiations Committee": (ActorKind.ORGANIZATION, ("HNC",)),
    "Hezbollah": (ActorKind.ARMED_GROUP, ("Hizbollah", "Hizballah")),
    "United States": (ActorKind.STATE, ("US", "U.S.", "USA", "the United States", "Washington")),
    "Russia": (ActorKind.STATE, ("Moscow", "Russian Federation")),
    "United Nations": (ActorKind.ORGANIZATION, ("UN", "U.N.", "the United Nations")),
}

_WORD_FOLDS = {
    "sergei": "sergey", "sayyidah": "sayyida", "sayeda": "sayyida", "sayida": "sayyida",
    "zaynab": "zeinab", "zainab": "zeinab", "zaineb": "zeinab", "bashar": "bashar",
    "qaeda": "qaida", "qaida": "qaida", "mohammed": "muhammad", "mohammad": "muhammad",
}
_STATES = {
    "syria", "russia", "turkey", "iran", "iraq", "jordan", "saudi arabia", "qatar", "lebanon",
    "united states", "us", "usa", "israel", "france", "germany", "britain", "united kingdom",
}
_MEDIA = re.compile(r"\b(agency|tv|television|station|newspaper|post|times|reuters|ap|afp|"
                    r"al-?manar|al-?mayadeen|el pais|hurriyet|amaq|vocativ|al jazeera|news)\b", re.I)
_ORG = re.compile(r"\b(ministry|observatory|committee|council|center|centre|agency|office|"
                  r"nations|nato|unesco|coalition|government|army|forces|police|department|report)\b", re.I)
_ARMED = re.compile(r"\b(group|militia|militants?|front|brigade|rebels?|isis|isil|daesh|"
                    r"hezbollah|ahrar|nusra|pkk|pyd|insurgents|extremists|loyalists?)\b", re.I)
_TITLES = re.compile(r"^(?:(?:us|u\.s\.|russian|syrian|turkish|german|president|secretary of state|"
                     r"foreign minister|minister|mr|mrs|ms|dr|gen|general|governor|prime minister)\.?\s+)+", re.I)


@lru_cache(maxsize=65536)
def fold_text(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").replace("‘", "'").casefold()


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A key under which spelling variants of one name coincide."""
    s = fold_text(name)
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"^(the|a|an)\s+", "", s.strip())
    s = re.sub(r"\b(al|el|ad|as|an|ar)-", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    words = [_WORD_FOLDS.get(w, w) for w in s.split()]
    return " ".join(words)


_ALIAS_INDEX: dict[str, str] = {}
for _canon, (_kind, _forms) in ALIASES.items():
    for _form in (_canon, *_forms):
        _ALIAS_INDEX[name_key(_form)] = _canon


@lru_cache(maxsize=65536)
def canonical(name: str) -> str | None:
    """The alias table's canonical name, if the table knows this surface form."""
    key = name_key(name)
    if key in _ALIAS_INDEX:
        return _ALIAS_INDEX[key]
    stripped = name_key(_TITLES.sub("", fold_text(name)))
    if stripped in _ALIAS_INDEX:
        return _ALIAS_INDEX[stripped]
    # "ISIS militants", "Daesh fighters": the organization named by its members.
    return _ALIAS_INDEX.get(_MEMBERS.sub("", stripped))


_MEMBERS = re.compile(r"\s+(?:militants?|fighters?|loyalists?|supporters?|jihadists?|members?)$")


@lru_cache(maxsize=65536)
def kind_of(name: str) -> ActorKind:
    canon = canonical(name)
    if canon:
        return ALIASES[canon][0]
    key = name_key(name)
    if key in _STATES:
        return ActorKind.STATE
    if _MEDIA.search(name):
        return ActorKind.MEDIA
    if _ARMED.search(name):
        return ActorKind.ARMED_GROUP
    if _ORG.search(name):
        return ActorKind.ORGANIZATION
    words = [re.sub(r"^(?:al|el|ad|as)-", "", w) for w in re.split(r"\s+", _TITLES.sub("", name.strip())) if w]
    if 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return ActorKind.PERSON
    return ActorKind.UNKNOWN


# A clause, or the name of a war or an attack, is present in the text but names nobody:
# "Russia's airstrikes have been blamed for increasing the war", "the Syrian civil war".
_CLAUSE_WORDS = re.compile(r"\b(?:is|are|was|were|be|been|being|has|have|had|will|would|could|should|can|"
                           r"said|says|blamed|killed|claimed|called|that|which|who)\b")  # lower case: "IS" is a name
_EVENT_HEAD = re.compile(r"\b(?:war|conflict|attacks?|bombings?|blasts?|explosions?|airstrikes?|strikes?|"
                         r"fighting|violence|crisis|ceasefire|truce|agreement|talks)\W*$", re.I)


def not_an_actor(name: str) -> bool:
    return len(name.split()) > 8 or bool(_CLAUSE_WORDS.search(name)) or bool(_EVENT_HEAD.search(name))


@lru_cache(maxsize=65536)
def person_core(name: str) -> str:
    """'US Secretary of State John Kerry' -> 'john kerry'."""
    return name_key(_TITLES.sub("", fold_text(name)))


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
        for m in [*e.perpetrators, *e.participants]:  # a perpetrator is not an armed group by default
            found += [(part, None, None) for part in split_coordinated(m)]
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
