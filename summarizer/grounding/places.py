"""Places named by a cluster's records, nested into event areas by the gazetteer and by the articles' words.

Every place is a key: a gazetteer node's (``SY``, ``US-TX``, ``city:169577``) or ``local:<name>``
for a place the gazetteer lacks (a neighbourhood, a base, a venue). A local place nests under the
place the articles put it in: "the X suburb of Y", "X, south of Y", "X, Texas", or else the most
specific known place named in the same sentence. It is never a new event on that ground alone.

``area(key)`` is the event area a place belongs to: the first-level division (a US state, a
province) when the gazetteer knows it, else the city, else the local place itself. Records in one
area are one event; a country-level place joins the country's only area, if it has one.
Datelines ("CITY, Country (AP)") nest like any "X, Y" and never make a second event.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from .. import lexicon
from ..ingest.article import Article
from ..language.folding import fold_text
from ..language.names import canonical, name_key, title_words
from ..language.patterns import alternation, capitalized_run, locative
from ..language.phrases import Phrase
from ..schemas import AlignmentStatus, ArticleExtraction, Citation, GroundingIssue, Nesting
from . import gazetteer
from .align import cite, locate
from .gazetteer import Node
from .issues import coded_issue
from .scope import Scope, mention

_TOKEN = re.compile(r"[\w’'\-]+|[,&]")


def _locative(lex: lexicon.Lexicon) -> re.Pattern[str]:
    """Up to two words between the locative and the name: "in the southern", "of Lahore and"."""
    return re.compile(rf"(?:{locative(lex.locatives)}(?:[a-z]+\s+){{0,2}})$", re.I)


_NEXT_NAME = re.compile(r"\s+(?P<w>[A-Z][a-z][\w’'-]*)")
_THEN_REGION = re.compile(r",\s+(?P<r>[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)?)")


def _noise(lex: lexicon.Lexicon) -> re.Pattern[str]:
    words = "|".join(sorted(lex.place_descriptors | lex.place_generic, key=len, reverse=True))
    return re.compile(rf"^(?:the\s+)?(?:(?:{words})\s+)*(?:(?:{words})\s+of\s+)?|(?:\s+(?:{words}))+$", re.I)


def _contained(lex: lexicon.Lexicon) -> re.Pattern[str]:
    name = r"[A-Z][\w’'\-]+(?: [A-Z][\w’'\-]+){0,2}"
    return re.compile(
        rf"\bthe (?P<a>{name}) (?:{lex.place_containers}) of (?P<b>{name})"
        rf"|(?P<c>{name}), (?:{lex.place_directions}) of (?P<d>{name})"
        rf"|(?P<e>{name}),\s+(?P<f>{name})(?=\s*[,.(\n;]|\s+(?:\(|—|-))")


_FORMS = {"a": "container", "c": "direction", "e": "comma"}


def nestings_in(text: str) -> list[Nesting]:
    """Every place the text puts inside another, in the order written."""
    out = []
    for m in lexicon.current().compiled("place_contained", _contained).finditer(text):
        inner, outer, form = next((m.group(x), m.group(y), _FORMS[x]) for x, y in ("ab", "cd", "ef") if m.group(x))
        out.append(Nesting(inner=inner, outer=outer, form=form))
    return out


def clean(name: str, lex: lexicon.Lexicon | None = None) -> str:
    """'the central city of Northtown' -> 'Northtown'; 'the Riverside district' -> 'Riverside'."""
    lex = lex or lexicon.current()
    return lex.compiled("place_noise", _noise).sub("", name.strip()).strip(" ,.")


def place_key(name: str) -> str:
    return name_key(clean(fold_text(name)))


class Places:
    """Known places, their nesting, and display names, for one cluster."""

    def __init__(self, extractions: list[ArticleExtraction], nestings: Iterable[Nesting]):
        """``nestings``: what the articles' words nest (``nestings_in``, kept in each extraction's facts).
        The run's lexicon is read once, here."""
        self.lex = lexicon.current()
        self.nodes: dict[str, Node] = {}
        self.parent: dict[str, str] = {}
        self.display: dict[str, Counter] = defaultdict(Counter)
        self.names: dict[str, str] = {}  # folded record place -> key
        self.companies = sorted({c for ex in extractions for c in ex.facts.companies})
        for n in nestings:
            a, b, comma = n.inner, n.outer, n.form == "comma"
            outer = self.key_of(b)
            # "X, Texas" and a dateline "CITY, Country" nest only under a division or a country:
            # "Smith, Jones" names no place.
            if outer is None or (comma and self.level(outer) not in ("admin", "country")):
                continue
            known = gazetteer.resolve(canonical(clean(a, self.lex)) or clean(a, self.lex))
            if known is not None and (comma or known.key in self._chain(outer) or outer in self._chain(known.key)):
                continue  # the gazetteer already places it
            # "the Riverside district of Lahore": the text's own nesting wins over a namesake
            # elsewhere (Riverside, California); the name is then a local place here.
            inner = self._learn_local(a) if known is not None else self.key_of(a, learn=True)
            if inner and inner != outer and inner not in self.parent and not self._is_ancestor(inner, outer):
                self.parent[inner] = outer
        for ex in extractions:
            for rec in [*ex.casualties, *ex.events]:
                if rec.place and rec.place.value[:1].isupper() and not re.search(r",| and |&", rec.place.value):
                    key = self.key_of(rec.place.value, learn=True)
                    if key:
                        self.display[key][clean(rec.place.value, self.lex)] += 1

    # --- keys ---------------------------------------------------------------------------

    def key_of(self, name: str, context: tuple[Node, ...] = (), learn: bool = False) -> str | None:
        """The key of a place name: the gazetteer's node, else a local place (``learn``: remember
        it, so the same words elsewhere are found as a place)."""
        if "," in name:  # "Camp North, Texas": the first part, inside the rest
            first, rest = name.split(",", 1)
            outer = self.key_of(rest, context, learn=False)
            inner = self.key_of(first, context, learn=learn or outer is not None)
            if inner and outer and inner != outer and inner.startswith("local:") and inner not in self.parent:
                self.parent[inner] = outer
            return inner or outer
        words = clean(name, self.lex)
        if not words or not words[:1].isupper():
            return None
        folded = place_key(words)
        if folded in self.names:
            return self.names[folded]
        canon = canonical(words)
        node = gazetteer.resolve(canon or words, context)
        if node is not None:
            self.nodes[node.key] = node
            key = node.key
        elif learn and folded and folded.split()[-1] not in self.lex.place_generic and not (
                " " not in folded and _adjective(folded)):
            key = "local:" + folded
        else:
            return None
        if learn:
            self.names[folded] = key
        self.display[key][words] += 0
        return key

    def _learn_local(self, name: str) -> str:
        key = "local:" + place_key(name)
        self.names[place_key(name)] = key
        self.display[key][clean(name, self.lex)] += 0
        return key

    def _chain(self, key: str) -> list[str]:
        out = [key]
        while True:
            up = self.parent.get(out[-1])
            if up is None:
                node = self.nodes.get(out[-1])
                parent = gazetteer.parent(node) if node else None
                if parent is None:
                    return out
                self.nodes[parent.key] = parent
                up = parent.key
            if up in out:
                return out
            out.append(up)

    def _is_ancestor(self, a: str, b: str) -> bool:
        return a in self._chain(b)[1:]

    def level(self, key: str) -> str:
        node = self.nodes.get(key)
        return node.level if node else "local"

    def area(self, key: str) -> str:
        """The event area: the highest division-or-lower place above (or at) this one."""
        chain = self._chain(key)
        below_country = [k for k in chain if self.level(k) != "country"]
        return below_country[-1] if below_country else chain[0]

    def country(self, key: str) -> str | None:
        return next((k for k in self._chain(key) if self.level(k) == "country"), None)

    def nest(self, key: str, context: list[str]) -> str:
        """A local place with no known parent nests under the most specific other place named
        beside it."""
        if not key.startswith("local:") or key in self.parent:
            return key
        order = {"city": 0, "admin": 1, "local": 2, "country": 3}
        others = sorted((k for k in context if k != key and not self._is_ancestor(key, k)),
                        key=lambda k: order[self.level(k)])
        if others:
            self.parent[key] = others[0]
        return key

    # --- names ---------------------------------------------------------------------------

    def name(self, key: str) -> str:
        c = self.display.get(key)
        node = self.nodes.get(key)
        if c and (sum(c.values()) or not node):
            # As the records write it, most often first; a dateline's capitals only as a last resort.
            best = min(c, key=lambda n: (n.isupper(), -c[n], len(n), n))
            return best.title() if best.isupper() else best
        if node:
            return node.name
        return key.removeprefix("local:").title()

    def label(self, key: str) -> str:
        """'Camp North, Texas', 'Old Quarter, Capital City', 'Northtown', a country."""
        if key in self.parent and self.level(key) in ("local", "city"):
            return f"{self.name(key)}, {self.name(self.parent[key])}"
        return self.name(key)

    def in_text(self, text: str) -> list[str]:
        """Places a text names, most specific first, without double counting: record places seen in
        the cluster, countries and divisions, and cities where the words read as a place ('in X',
        'X, Country', a dateline)."""
        found: list[str] = []
        folded = " " + name_key(text) + " "
        for name, key in sorted(self.names.items(), key=lambda kv: -len(kv[0])):
            if name and f" {name} " in folded and key not in found:
                found.append(key)
        descriptors = self.lex.place_descriptors
        for m in self.lex.compiled("capitalized_run", capitalized_run).finditer(text):
            run = m.group()
            for words in _sub_runs(run):
                # A part of a run names a place only as its head ("Central Texas" -> Texas; "Central
                # Time" names none), and a descriptor alone ("Central") is no place.
                if (words != run and not run.endswith(words)) or words.lower() in descriptors:
                    continue
                node = gazetteer.resolve(canonical(words) or words)
                if node is None:
                    continue
                start = m.start() + run.index(words)
                if node.level == "city" and (not self._reads_as_place(text, start, start + len(words))
                                             or company_short_name(words, self.companies)):
                    continue  # "in Acme plant fire", where the articles name Acme Textiles
                self.nodes[node.key] = node
                if node.key not in found:
                    found.append(node.key)
                break
        order = {"local": 0, "city": 1, "admin": 2, "country": 3}
        found.sort(key=lambda k: order[self.level(k)])
        return found

    def _reads_as_place(self, text: str, start: int, end: int) -> bool:
        """'in X', 'X, Texas', or an all-capitals dateline 'CITY': a city, not a surname or a
        word that happens to be a town's name ('Police said')."""
        after_locative = self.lex.compiled("locative", _locative).search(text[max(0, start - 40):start])
        if after_locative or (text[start:end].isupper() and end - start > 3):
            return True
        region = _THEN_REGION.match(text, end)
        node = gazetteer.resolve(region.group("r")) if region else None
        return node is not None and node.level in ("admin", "country")

    def coordinated(self, text: str) -> list[str]:
        """Places a text names side by side ("Northtown and Southport", "Southport, Northtown"), when they lie in
        different areas: the text then gives one figure for all of them. "46 in Northtown and 62 in
        Southport" is not coordinated (a figure stands between)."""
        keys = [k for k in self.in_text(text) if self.level(k) != "country"]
        if len({self.area(k) for k in keys}) < 2:
            return []
        toks = [name_key(t) or t for t in _TOKEN.findall(text)]
        glue = self.lex.place_glue | self.lex.place_generic | self.lex.place_descriptors
        container = re.compile(self.lex.place_containers, re.I)
        spans: list[tuple[int, int, str]] = []
        for k in keys:
            kw = name_key(self.name(k)).split() if not k.startswith("local:") else k.removeprefix("local:").split()
            spans += [(i, i + len(kw), k) for i in range(len(toks) - len(kw) + 1) if toks[i:i + len(kw)] == kw]
        spans.sort()
        found: set[str] = set()
        for (_, end, a), (start, _, b) in zip(spans, spans[1:], strict=False):
            between = toks[end:start]
            if self.area(a) != self.area(b) and start >= end and all(t in glue or _adjective(t) for t in between):
                if any(container.fullmatch(t) for t in between) and not {"and", "&"} & set(between):
                    continue  # "the Northtown suburb of Riverside": one inside the other, not two side by side
                found.update((a, b))
        return sorted(found) if len({self.area(k) for k in found}) > 1 else []


def _where_locative(lex: lexicon.Lexicon) -> re.Pattern[str]:
    """'in X', 'at the X', 'the city of X', 'south of X': 'of' says where only after a kind of place
    or a direction ('an escalation of US operations' says nothing of where)."""
    nouns = "|".join(sorted({*lex.place_generic, *re.findall(r"[a-z]+", lex.place_directions)}, key=len, reverse=True))
    where = locative(w for w in lex.locatives if w != "of")
    return re.compile(rf"(?:{where}(?-i:[a-z]+\s+){{0,2}}|\b(?:{nouns})\s+of\s+(?:the\s+)?)$", re.I)


def where_it_happened(text: str, start: int, end: int) -> bool:
    """Do the words at ``text[start:end]`` say where something happened ("in X", "X, Region", a
    dateline), rather than whom someone speaks for ("President Lula of X", "the President of X") or
    where an outlet sits ("FOX40 News in X"), or who acted ("X and others say")?"""
    before = text[max(0, start - 80):start]
    following = _NEXT_NAME.match(text, end)
    lex = lexicon.current()
    if following and following.group("w").lower() not in (*lex.months, *lex.weekdays):
        return False  # the first part of a longer name: "Antony Blinken"
    if not (lex.compiled("where_locative", _where_locative).search(before[-40:])
            or (text[start:end].isupper() and end - start > 3) or _THEN_REGION.match(text, end)):
        return False
    m = re.search(r"((?:[\w.’'-]+\s+){1,4})(?:of|in)\s+(?:the\s+)?$", before)
    if not m:
        return True
    titles = lex.compiled("title_words", title_words)
    for word in reversed(m.group(1).split()):  # the title or outlet, then any names after it: "President Lula"
        bare = word.lower().strip(".,")
        if bare in titles or lex.actor_kind_words["media"].fullmatch(bare):
            return False
        if not word[:1].isupper():
            return True
    return True


def _adjective(token: str) -> bool:
    """'Shiite', 'Kurdish': a group adjective, read off its ending."""
    return token.lower().endswith(lexicon.current().place_adjective_endings)


def _sub_runs(run: str) -> list[str]:
    """'Camp North Texas' -> the longest names first: the whole run, then shorter runs."""
    words = run.split()
    out = []
    for size in range(len(words), 0, -1):
        for i in range(len(words) - size + 1):
            out.append(" ".join(words[i:i + size]))
    return out


# --- a record's place, in its sentence ------------------------------------------------------


# "in Northtown", "through the Old Quarter suburb", "in the central city of Northtown": the sentence names
# a place of its own, so a place from the sentence before cannot be carried over to it.
def _own_place(lex: lexicon.Lexicon) -> re.Pattern[str]:
    descriptors = "|".join(sorted(lex.place_descriptors, key=len, reverse=True))
    generic = "|".join(sorted(lex.place_generic, key=len, reverse=True))
    return re.compile(
        rf"\b(?i:{alternation(lex.own_place_locatives)})\s+(?:the\s+)?"
        rf"(?:(?i:{descriptors})\s+|[A-Z][a-z]+n\s+)?"
        rf"(?:(?i:{generic}) of\s+)?[A-Z][\w’'\-]+"
    )


def names_a_place(text: str, start: int) -> bool:
    """Is the name at ``start`` introduced as a place ("in Northtown", "near the town of Eastby")?"""
    pattern = lexicon.current().compiled("own_place", _own_place)
    word = re.match(r"(?:(?i:the)\s+)?[\w’'\-]+", text[start:])
    if word is None:
        return False
    return any(m.start() <= start and m.end() == start + word.end()
               for m in pattern.finditer(text, max(0, start - 80), start + word.end()))


def _organisation(place: str) -> bool:
    """'Washington Post', 'U.N. Security Council': the name ends in a media or organisation word
    that is not also a kind of place ('hospital', 'university')."""
    lex = lexicon.current()
    last = re.sub(r"^.*?(\w[\w'’.-]*)\W*$", r"\1", place.strip())
    if last.lower() in lex.place_generic:
        return False
    return any(lex.actor_kind_words[k].fullmatch(last) for k in ("media", "organization"))


def company_names(text: str) -> list[str]:
    """Every company name the text writes ("Acme Textiles", "Texas Instruments"), in order, once."""
    lex = lexicon.current()
    out: list[str] = []
    for m in lex.compiled("capitalized_run", capitalized_run).finditer(text):
        words = m.group().split()
        last = re.sub(r"\W+$", "", words[-1]) if words else ""
        if len(words) >= 2 and lex.company_heads.fullmatch(last) and m.group() not in out:
            out.append(m.group())
    return out


def company_short_name(place: str, companies: Iterable[str]) -> str | None:
    """The company whose first words ``place`` is ('Acme' of 'Acme Textiles'): then the name is
    the company's short name, not a town that shares it. A state or a country stays a place ('Texas
    Instruments' does not unmake Texas)."""
    words = name_key(clean(place)).split()
    if not words:
        return None
    for full in companies:
        fw = name_key(full).split()
        if len(fw) > len(words) and fw[:len(words)] == words:
            node = gazetteer.resolve(canonical(clean(place)) or clean(place))
            return None if node is not None and node.level in ("admin", "country") else full
    return None


def _name_of_head(lex: lexicon.Lexicon) -> re.Pattern[str]:
    heads = lex.data["places"].get("name_of_heads", [])
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, heads)) or '(?!)'}) of (?:the )?$")


def _not_a_place_here(text: str, start: int, end: int) -> str | None:
    """Why the words at ``start:end`` name no place, or None: a place is a proper noun ("reading",
    "mobile", "the union" are common nouns), and not part of a body's name ("Texas Instruments",
    "Bank of America")."""
    words = text[start:end]
    if not any(w[:1].isupper() for w in words.split()):
        return "is written as a common noun here, not as a place's name"
    lex = lexicon.current()
    after = re.match(r"\s+([A-Z][\w'’-]*)", text[end:end + 40])
    if after and lex.company_heads.fullmatch(after.group(1)):
        return f"is part of the name '{words}{after.group(0)}', not a place"
    if lex.compiled("name_of_head", _name_of_head).search(text[max(0, start - 40):start]):
        return "is part of an organisation's name ('Bank of …'), not a place"
    return None


def ground_place(scope: Scope, place: str | None, record: str, issues: list[GroundingIssue]) -> Citation | None:
    """The place in the evidence's sentence; or, when that sentence names no place of its own
    ('the blasts killed 62'), the place named in the sentence before, marked ``inferred``."""
    if not place or not place.strip():
        return None
    if _organisation(place):
        issues.append(coded_issue("not_a_place", record, "place", place,
                                  f"'{place}' names an organisation, not a place"))
        return None
    org = company_short_name(place, company_names(scope.article.text))
    if org is not None:
        issues.append(coded_issue("not_a_place", record, "place", place,
                                  f"'{place}' is short for the organisation '{org}' the article names, not a place"))
        return None
    found = mention(scope, place)
    if found is not None:
        why = _not_a_place_here(scope.article.text, found.start, found.end)
        if why:
            issues.append(coded_issue("not_a_place", record, "place", place, f"'{found.text}' {why}"))
            return None
        return found
    art = scope.article
    before = locate(art, place, scope.start, scope.sentence_start) if scope.start < scope.sentence_start else None
    if before is not None and _not_a_place_here(art.text, before.start, before.end):
        before = None
    if before is None:
        issues.append(coded_issue("not_in_sentence", record, "place", place,
                                  f"'{place}' does not occur in the cited sentence or the one before"))
        return None
    own = lexicon.current().compiled("own_place", _own_place).search(art.text, scope.sentence_start, scope.sentence_end)
    if own is not None:
        issues.append(coded_issue("other_place", record, "place", place,
                                  f"'{place}' is named only in the sentence before, and the cited sentence names "
                                  f"its own place ('{own.group()}')"))
        return None
    return cite(art, before.start, before.end, AlignmentStatus.INFERRED)


def places_among(article: Article, phrases: list[Phrase]) -> list[Phrase]:
    """The phrases introduced as places, and those joined to one by "and" ("in Northtown and Southport"):
    the places a sentence question may offer."""
    text = article.text
    group = lexicon.current().actor_kind_words["armed_group"]
    out: list[Phrase] = []
    for p in phrases:
        if group.search(p.text):
            continue  # "killed in Front suicide bombings": a group, not a place
        if names_a_place(text, p.start) or any(
                q.end < p.start and re.fullmatch(r"\s*(?:,|,?\s+and)\s+(?:the\s+)?", text[q.end:p.start])
                for q in out):
            out.append(p)
    return out
