"""The phrases of a sentence that could name someone or somewhere: the values a sentence question
may offer a small model for a name field, before grounding tests each one.

Two shapes, both read from the words alone (no gazetteer, no list of who is who):

* a capitalized run, joined by name particles: "Northland Monitor for Human Rights",
  "U.S. Secretary of State John Smith", "Abu Bakr al-Hassan"; with "the" before it when the text
  has one, and each side of an "and" on its own ("Russia", "the United States");
* a source named by what it is: up to three words before a source noun, "state media",
  "a hospital official", "activists" (``lexicon``: source nouns, actor kinds and members).

No name, from the words' shape alone:
* a run of only function words ("At", "However"), a month or a weekday;
* a word capitalized only because it opens the sentence ("Explosions tore…", "Speaking on Sunday,
  Smith said"): one the article also writes in lowercase, or an -ly or -ing word;
* a lone group adjective before a lowercase word ("Turkish president", "Shiite district");
* the owner in a possessive ("Northland's Foreign Ministry" is offered whole, "Northland" is not);
* anything with a number in it ("Two people said" names no source);
* a name inside a dateline ("NORTHTOWN, Pennsylvania —", "EASTBY, Pa. (Valley Press) —"): where the
  story was filed, and by which agency, never who said or did anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from ..schemas import ActorKind
from .datelines import in_dateline
from .names import kind_of, strip_titles
from .numbers import find_numbers
from .patterns import alternation

# A word, an initialism ("U.S."), or a number; a possessive "'s" is not part of the name.
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[A-Z]\.(?=\s+[A-Z])|(?<![’'])[^\W\d_](?:[\w\-]|[’'](?![sS]\b))*|\d[\d,.]*")


def _particle_name(lex: lexicon.Lexicon) -> re.Pattern[str]:
    return re.compile(rf"^(?:{alternation(lex.surname_prefixes)})[-’'][A-Z]")

_DETERMINERS = ("the", "a", "an")
MAX_WORDS = 8


@dataclass(frozen=True)
class Phrase:
    start: int
    end: int
    text: str


def _capitalized(tok: str) -> bool:
    return tok[:1].isupper() or bool(lexicon.current().compiled("surname_prefixes", _particle_name).match(tok))


@lru_cache(maxsize=64)
def _lowercase_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"(?<![\w’'\-])[a-z][a-z’'\-]*", text))


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 8):start].rstrip(" \t\"“‘'(")  # a bounded look back: texts may be huge
    if not before:
        return start <= 8
    if before[-1] == "." and re.search(r"(?:^|\W)(\w+)\.$", before) and \
            re.search(r"(\w+)\.$", before).group(1).lower() in lexicon.current().abbreviations:  # type: ignore[union-attr]
        return False  # "Lt. Gen. Smith": the title's full stop ends no sentence
    return before[-1] in ".!?:\n"


def _not_a_name(text: str, tok: tuple[int, int], lex: lexicon.Lexicon) -> bool:
    """A capitalized word that is capitalized only by its place: it opens the sentence and the
    article writes it in lowercase too ("Explosions", "Issues"), or it is an -ly / -ing word. A
    source noun stays ("Police said …", though the article also writes "police")."""
    word = text[tok[0]:tok[1]]
    if not _sentence_initial(text, tok[0]) or word.isupper() or lex.source_head.fullmatch(word):
        return False
    if word.lower() in _lowercase_words(text):
        return True
    # "Speaking on Sunday, …" is no name; "Beijing warned", "Reading said" are (a verb follows).
    nxt = _next_word(text, tok[1])
    said = nxt is not None and (bool(lex.speech_verb.fullmatch(nxt)) or bool(lex.report_verb.fullmatch(nxt)))
    return word.lower().endswith(("ly", "ing")) and not said


def _verb_like(word: str, lex: lexicon.Lexicon, plural_s: bool = True) -> bool:
    """Could the lowercase word after a name be its verb ("Police said", "the Front killed")? With
    ``plural_s`` off, a word in -s is read as a plural noun ("Northland airstrikes")."""
    return (word in lex.auxiliaries or word.endswith(("ed", "s") if plural_s else "ed")
            or bool(lex.speech_verb.fullmatch(word)) or bool(lex.report_verb.fullmatch(word)))


def _next_word(text: str, end: int) -> str | None:
    nxt = re.match(r"\s+([a-z][\w’'\-]*)", text[end:end + 40])
    return nxt.group(1) if nxt else None


def _adjective(text: str, run: list[int], toks: list[tuple[int, int]], lex: lexicon.Lexicon) -> bool:
    """'Turkish president', 'Shiite district': one group adjective before a lowercase word that is
    no verb of its own ('Police said' is a name)."""
    if len(run) != 1:
        return False
    s, e = toks[run[0]]
    word = text[s:e]
    nxt = _next_word(text, e)
    return (nxt is not None and not _verb_like(nxt, lex, plural_s=False)
            and (word.lower().endswith(lex.group_adjective_endings) or word in lex.title_modifier_words))


def _modifier(text: str, run: list[int], toks: list[tuple[int, int]], lex: lexicon.Lexicon) -> bool:
    """'the Riverside operation', 'said the Northtown attack': one name between "the" and a lowercase
    word that is no verb of its own is a modifier, not who acted or spoke ('the Front killed' is a name)."""
    if len(run) != 1 or run[0] == 0:
        return False
    ps, pe = toks[run[0] - 1]
    s, e = toks[run[0]]
    nxt = _next_word(text, e)
    if text[ps:pe].lower() != "the" or nxt is None or text[s:e] in lex.alias_forms:
        return False
    return not _verb_like(nxt, lex)


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def _joined(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two tokens with only spaces between them: a comma, a bracket or a quote ends a phrase; the
    full stop of an abbreviation does not ("Lt. Gen. Smith")."""
    gap = text[a[1]:b[0]]
    if gap[:1] == "." and text[a[0]:a[1]].lower() in lexicon.current().abbreviations:
        gap = gap[1:]
    return gap.isspace() and "\n\n" not in gap


def _runs(text: str, toks: list[tuple[int, int]], lex: lexicon.Lexicon) -> list[list[int]]:
    """Index runs of capitalized tokens, with lowercase particles only between capitalized ones."""
    runs: list[list[int]] = []
    cur: list[int] = []
    pending: list[int] = []
    for i, (s, e) in enumerate(toks):
        tok = text[s:e]
        linked = bool(cur) and _joined(text, toks[(pending or cur)[-1]], (s, e))
        if _capitalized(tok) and tok.lower() not in lex.function_words:
            if cur and linked:
                cur += pending + [i]
            else:
                if cur:
                    runs.append(cur)
                cur = [i]
            pending = []
        elif cur and linked and tok in lex.name_connectors and len(pending) < 2:
            pending.append(i)
        else:
            if cur:
                runs.append(cur)
            cur, pending = [], []
    if cur:
        runs.append(cur)
    return runs


def _span(text: str, toks: list[tuple[int, int]], idx: list[int]) -> tuple[int, int]:
    return toks[idx[0]][0], toks[idx[-1]][1]


def _with_determiner(text: str, toks: list[tuple[int, int]], first: int, span: tuple[int, int],
                     ) -> list[tuple[int, int]]:
    out = [span]
    if first > 0:
        s, e = toks[first - 1]
        if text[s:e].lower() in _DETERMINERS and _joined(text, (s, e), toks[first]):
            out.append((s, span[1]))
    return out


def name_phrases(text: str, start: int, end: int) -> list[Phrase]:
    """Every phrase in ``text[start:end]`` that could name a person, body or place, each once, in
    text order, with offsets into ``text``."""
    lex = lexicon.current()
    toks = _tokens(text, start, end)
    runs: set[tuple[int, int]] = set()
    for run in _runs(text, toks, lex):
        while run and _not_a_name(text, toks[run[0]], lex):
            run = run[1:]
            while run and text[slice(*toks[run[0]])] in lex.name_connectors:
                run = run[1:]
        if not run or len(run) > MAX_WORDS or _adjective(text, run, toks, lex) or _modifier(text, run, toks, lex):
            continue
        span = _span(text, toks, run)
        runs.update(_with_determiner(text, toks, run[0], span))
        name = text[span[0]:span[1]]
        core = strip_titles(name)
        if core != name and name.endswith(core) and kind_of(name) == ActorKind.PERSON:
            runs.add((span[1] - len(core), span[1]))  # "John Smith" of "US Secretary of State John Smith"
        ands = [j for j, i in enumerate(run) if text[slice(*toks[i])] == "and"]
        for part in _split(run, ands):
            while part and text[slice(*toks[part[0]])] in lex.name_connectors:
                part = part[1:]  # "… and the United States": the part is "United States"
            if part:
                runs.update(_with_determiner(text, toks, part[0], _span(text, toks, part)))
    sources: set[tuple[int, int]] = set()
    for i, (s, e) in enumerate(toks):
        if (not text[s].islower() or not lex.source_head.fullmatch(text, s, e)
                or text[s:e] in lex.not_lowercase_sources):
            continue  # a capitalized head ("the Monitor") is in a run already
        longest = i
        for n in range(0, 4):  # the head alone, then with up to three words before it: the longest is offered
            first = i - n
            if first < 0 or not all(_joined(text, toks[j], toks[j + 1]) for j in range(first, i)):
                break
            words = [text[slice(*toks[j])] for j in range(first, i)]
            if any(w.lower() in lex.function_words or (w.islower() and w.endswith(("ed", "ing", "s"))
                                                        and not lex.source_head.fullmatch(w)) for w in words):
                break  # "funneled fighters", "including rebels", "Moscow backs forces" are no sources
            while (text[toks[first][0]].isupper() and first > 0 and _joined(text, toks[first - 1], toks[first])
                   and _capitalized(text[slice(*toks[first - 1])])
                   and text[slice(*toks[first - 1])].lower() not in lex.function_words):
                first -= 1  # "Northern Liberation militant group", never "Liberation militant group"
            longest = first
        sources.update(_with_determiner(text, toks, longest, (toks[longest][0], e)))
    for s_, e_ in list(sources):  # "the governor of Northtown", "the head of the Monitor"
        of = re.match(r"\s+of\s+(?:the\s+)?", text[e_:e_ + 12])
        after = next((r for r in runs if of and r[0] == e_ + of.end()), None)
        if after:
            sources.add((s_, max(r[1] for r in runs if r[0] == after[0])))
    # "Northland" when the text says "Northland state media", "a hospital" for "a hospital official": a
    # phrase cut short of the source noun it begins is not offered, nor is "media" or "agency" alone.
    spans = {sp for sp in runs | sources
             if not any(o[0] == sp[0] and o[1] > sp[1] for o in sources)}
    # "Northland's Foreign Ministry", "Northland’s official NNA news agency": the owner is not who acted or
    # spoke, and the owned name is offered whole, with its owner.
    for sp in sorted(spans):
        owner = re.match(r"[’']s\s+", text[sp[1]:sp[1] + 4])
        if owner:
            spans.discard(sp)
            owned = [o for o in spans if o[0] == sp[1] + owner.end()]
            if owned:
                spans.add((sp[0], max(o[1] for o in owned)))
                spans.difference_update(owned)
    out = []
    for s, e in sorted(spans):
        phrase = text[s:e]
        if find_numbers(phrase) or text[e:e + 1] == ":" or in_dateline(text, s, e):
            continue  # a number names no one; "Northtown: Bombings …", "NORTHTOWN, Pa. —" are datelines, not subjects
        out.append(Phrase(s, e, phrase))
    return out


def _split(run: list[int], ands: list[int]) -> list[list[int]]:
    if not ands:
        return []
    parts, prev = [], 0
    for j in ands:
        parts.append(run[prev:j])
        prev = j + 1
    parts.append(run[prev:])
    return parts
