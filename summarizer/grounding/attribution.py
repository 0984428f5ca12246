"""Who says what: quotations, speech verbs, and the chains that relay a claim.

Grounding uses these to hold a statement to its speaker and a casualty figure to its claimant:

* a quote counts as a speaker's only when it is words inside quotation marks and the speech verb
  that introduces them - the nearest before or after ("Smith warned: “…”", "“…,” Brown warned",
  "“…,” according to state media"), with the verbs it continues ("said, adding that “…”") - has
  that speaker as its subject. When that subject is "he", "it" or "the coalition", the speaker may
  be named elsewhere in the sentence or in the sentence just before; a bare quote with no verb
  continues the speaker of the sentence before. Any other quote "in the vicinity" is not theirs;
* a claim may be relayed: "the state agency quoted the provincial governor as saying", "Reuters, citing a police
  source", "according to the agency, citing the governor", "an official told AFP", "X reported, quoting
  Y". The chain is kept as (claimant, relay). "Y said …, Reuters reported" is deliberately not a
  relay: it names the outlet the article read, and the merger would split Y's claim by it.

Everything here returns offsets into the article's text; nothing is fuzzy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import lexicon
from ..ingest.article import Article
from ..language.datelines import in_dateline
from ..language.names import title_words
from ..language.numbers import find_numbers
from ..language.patterns import alternation
from .align import occurrences

_QUOTED = re.compile(r"[\"“”]([^\"“”]{2,}?)[\"“”]|(?<!\w)['‘]([^'‘’]{3,}?)['’](?!\w)")
# Between a speech verb and the name after it ("said U.S. Secretary of State John Smith").
_NAME_GAP = re.compile(r"\s*(?:(?:the|a|an|of|for|[A-Z][\w.’'\-]*)\s+)*", re.U)
_SUBJECT_MAX_CHARS = 160  # a subject may be separated from its verb by an apposition, not more


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def quoted_passages(text: str, start: int, end: int) -> list[Span]:
    """Quoted passages inside ``[start, end)``: the words between the marks, trimmed."""
    out = []
    for m in _QUOTED.finditer(text, start, end):
        g = 1 if m.group(1) is not None else 2
        s, e = m.start(g), m.end(g)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Span(s, e))
    return out


def _inside(spans: list[Span], s: int, e: int) -> bool:
    return any(q.start - 1 <= s and e <= q.end + 1 for q in spans)


def inside_quotes(quotes: list[Span], span: Span) -> bool:
    return _inside(quotes, span.start, span.end)


def _a_noun(text: str, m: re.Match[str]) -> bool:
    """Is a speech verb's form used as a noun or a name here: "three states", "the warning",
    "the United States"?"""
    before = re.search(r"(\S+)\s+$", text[max(0, m.start() - 40):m.start()])
    if before is None:
        return False
    word = before.group(1)
    if m.group()[:1].isupper() and word[:1].isupper():
        return True  # "United States", "Gulf States": a name
    if word.lower() in lexicon.current().data["language"].get("noun_markers", []):
        return True
    numbers = find_numbers(word)
    return bool(numbers) and numbers[0].start == 0 and numbers[0].end == len(word)


def verbs(text: str, start: int, end: int, quotes: list[Span]) -> list[re.Match[str]]:
    """Speech verbs in ``[start, end)`` outside the quoted words (not their forms used as nouns)."""
    found = lexicon.current().speech_verb.finditer(text, start, end)
    return [m for m in found if not _inside(quotes, m.start(), m.end()) and not _a_noun(text, m)]


def governing_verbs(text: str, verbs_: list[re.Match[str]], passage: Span) -> list[re.Match[str]]:
    """The speech verbs that introduce a quoted passage - the nearest before it ('Smith warned:
    “…”') and the nearest after it ('“…,” Smith said', '“…,” according to state media') - and the
    verbs each continues: 'Smith said, adding that it was “…”', 'Weber said he welcomed … and
    called on … to use the “…”' share their subject."""
    before = [v for v in verbs_ if v.end() <= passage.start]
    after = [v for v in verbs_ if v.start() >= passage.end]
    out: list[re.Match[str]] = []
    for gov in ([before[-1]] if before else []) + ([after[0]] if after else []):
        chain = [gov]
        earlier = [v for v in verbs_ if v.end() <= gov.start()]
        while earlier:
            lead = text[earlier[-1].end() : chain[-1].start()]
            if not (chain[-1].group().lower().endswith("ing") or re.search(r"\band\s+(?:\w+\s+)?$", lead)):
                break
            chain.append(earlier.pop())
        out += chain
    return out


# "Lake County fire marshal Jane Roe": lowercase words that end in a title, then a name.
_ROLE_RUN = re.compile(r"\s+((?:[a-z][\w\-]*\s+){0,2}[a-z][\w\-]*)\s+(?=[A-Z])")


def _role_word(word: str) -> bool:
    lex = lexicon.current()
    return word.lower() in lex.compiled("title_words", title_words) or bool(lex.source_head.fullmatch(word))


def _modifies_role(text: str, end: int) -> bool:
    """Is the name ending at ``end`` the modifier of a role held by the name after it ("Lake
    County fire marshal Jane Roe", "Monitor head Rami Hassan")? The person speaks, not the body."""
    m = _ROLE_RUN.match(text, end)
    return m is not None and _role_word(m.group(1).split()[-1])


def _name_gap(gap: str) -> bool:
    """The words between a speech verb and the name after it: titles, names and particles ("said U.S.
    Secretary of State John Smith"), and lowercase words only when they end in a role ("said county
    fire marshal Jane Roe")."""
    if _NAME_GAP.fullmatch(gap):
        return True
    lower = [w for w in gap.split() if w[:1].islower() and w not in ("the", "a", "an", "of", "for")]
    return (len(lower) <= 3 and bool(lower) and _role_word(lower[-1])
            and _NAME_GAP.fullmatch(re.sub(r"\b[a-z][\w\-]*\s+", "", gap)) is not None)


def linked(text: str, name: Span, verb: re.Match[str], verbs_: list[re.Match[str]]) -> bool:
    """Is the name at ``name`` the one the speech verb attributes words to? Never a dateline's
    ("NORTHTOWN, Pennsylvania — …, police said"): where the story was filed, not who spoke."""
    s, e = name.start, name.end
    if in_dateline(text, s, e) or _modifies_role(text, e):
        return False
    # Its source always follows it: "according to X"; "the 14 injuries reported by X" (a passive's agent).
    after_only = (re.fullmatch(r"according\s+to|.*\sby", verb.group(), re.I) is not None
                  or re.match(r"\s+by\b", text[verb.end():verb.end() + 4]) is not None)
    if e <= verb.start() and not after_only:  # "Smith told", "Mr Hassan, who …, said"
        gap = text[e : verb.start()]
        others = [v for v in verbs_ if e <= v.start() < verb.start()]
        if len(gap) > _SUBJECT_MAX_CHARS or re.search(r"[\"“”]", gap) or others:
            return False
        # "… would only end once Hassan was removed from power, stating": a name that opens a
        # subordinate clause or follows a preposition is not the subject of a verb further on.
        before = re.search(r"(\w+)\W+(?:(?:the|a|an)\s+)?$", text[max(0, s - 40) : s])
        return not (before and before.group(1).lower() in lexicon.current().not_subject and len(gap.split()) > 3)
    if s >= verb.end():  # "said Smith", "according to the agency"; not "blamed the Front", "told Reuters"
        lex = lexicon.current()
        if not lex.speaker_after_verb.fullmatch(verb.group()):
            return False
        # "…,” said Smith", "…, said the Monitor": a verb whose speaker follows it comes after the words.
        # "Smith said the officer was hurt": what follows a verb that opens its clause is what was said.
        if not lex.source_follows_verb.fullmatch(verb.group()) and \
                not re.search(r"[,\"”’']\s*$", text[max(0, verb.start() - 4):verb.start()]):
            return False
        gap = re.sub(r"^\s+by(?=\s)", "", text[verb.end() : s])  # "reported by the fire department"
        return len(gap) <= 60 and _name_gap(gap)
    return False


def _adverb(lex: lexicon.Lexicon) -> re.Pattern[str]:
    return re.compile(rf"^(?:{alternation(lex.between_subject_and_verb)}|\w+ly)$", re.I)


def anaphoric_subject(text: str, start: int, verb: re.Match[str]) -> bool:
    """Is the verb's subject someone the sentence does not name: 'he told reporters', 'It also
    condemned', 'what it called', 'The coalition said'?"""
    words = re.findall(r"[\w’']+", text[max(start, verb.start() - 40) : verb.start()])
    adverb = lexicon.current().compiled("between_subject_and_verb", _adverb)
    while words and adverb.match(words[-1]):
        words.pop()
    if words and words[-1].lower() in lexicon.current().pronouns:
        return True
    subject = subject_before(text, start, verb.start())
    if subject is None:
        return False
    words = text[subject.start : subject.end].split()
    return words[0].lower() == "the" and len(words) <= 3 and all(w[:1].islower() for w in words[1:])


def speaker_spans(article: Article, speaker: str, start: int, end: int) -> list[Span]:
    """Every occurrence of the speaker's name in ``[start, end)``, exact or normalized."""
    return [Span(s, e) for s, e, _ in occurrences(article, speaker, start, end)]


# --- relay chains -------------------------------------------------------------------------

_QUOTED_AS = re.compile(r"\bquoted\s+(?P<who>[^,;:\"“”]{3,80}?)\s+as\s+saying\b", re.I)
_CITING = re.compile(r"\b(?:citing|quoting)\s+(?P<who>[^,;:.\"“”]{3,80}?)(?=\s*[,;:.]|\s+(?:as|that|who|on)\b|$)",
                     re.I)
def _told(lex: lexicon.Lexicon) -> re.Pattern[str]:
    audiences = "|".join(w.capitalize() for w in lex.audiences.split("|"))
    return re.compile(
        rf"\btold\s+(?P<who>(?!(?:{audiences})\b)[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*)*"
        rf"(?:\s+(?:{lex.relay_media}))?)"
    )


_ASIDE = re.compile(r"^\s*(?:for its part|for his part|for her part|however|meanwhile|in turn|also|"
                    r"though|in a statement|on \w+day)\s*$", re.I)
def _leading(lex: lexicon.Lexicon) -> re.Pattern[str]:
    return re.compile(rf"^(?:\s*(?:according to|{alternation(lex.clause_openers)}|,)\s+)+", re.I)


_TRAILING = re.compile(r"(?:\s+(?:has |have |had )?(?:also )?(?:reported|reports|said|says))?\s*,?\s*$", re.I)


_CLAUSE_CUT = re.compile(r"[,;]|[.!?](?=\s)|\s(?:but|while|whereas)\s")


@dataclass(frozen=True)
class Chain:
    claimant: Span
    relay: Span


def subject_before(text: str, start: int, at: int) -> Span | None:
    """The words naming who acts at ``at``: the last clause before it, minus asides."""
    seg = text[start:at]
    seg_end = start + len(_TRAILING.sub("", seg, count=1))
    pieces: list[tuple[int, int]] = []
    pos = start
    for cut in _CLAUSE_CUT.finditer(text, start, seg_end):
        pieces.append((pos, cut.start()))
        pos = cut.end()
    pieces.append((pos, seg_end))
    for s, e in reversed(pieces):
        piece = text[s:e]
        if not piece.strip() or _ASIDE.match(piece):
            continue
        lead = lexicon.current().compiled("clause_openers", _leading).match(piece)
        if lead:
            s += lead.end()
        while s < e and not text[s].isalnum():
            s += 1
        while e > s and not (text[e - 1].isalnum() or text[e - 1] in ".’'"):
            e -= 1
        mark = re.search(r"[\"“”]", text[s:e])
        if mark:  # 'It also "strongly" condemned': the subject ends where the quoted word begins
            e = s + mark.start()
            while e > s and text[e - 1].isspace():
                e -= 1
        if e <= s or len(text[s:e].split()) > 8:
            return None
        return Span(s, e)
    return None


def relay_chains(text: str, start: int, end: int) -> list[Chain]:
    """Every (claimant, relay) pair the sentence ``[start, end)`` states."""
    chains: list[Chain] = []
    for pattern in (_QUOTED_AS, _CITING):
        for m in pattern.finditer(text, start, end):
            relay = subject_before(text, start, m.start())
            who = Span(m.start("who"), m.end("who"))
            if relay is not None:
                chains.append(Chain(who, relay))
    for m in lexicon.current().compiled("told", _told).finditer(text, start, end):
        claimant = subject_before(text, start, m.start())
        if claimant is not None:
            chains.append(Chain(claimant, Span(m.start("who"), m.end("who"))))
    return chains


# --- who gave a figure ----------------------------------------------------------------------

# Verbs by which a source gives a figure, beyond the speech verbs.
# "The Front claimed responsibility for attacks that killed nearly 130": a claim of the
# act, not of the figure.
_NOT_A_SOURCE = re.compile(r"\s+(?:responsibility|credit)\b", re.I)
def _possessive_toll(lex: lexicon.Lexicon) -> re.Pattern[str]:
    return re.compile(rf"[’']s?\s+(?:own\s+|latest\s+|updated\s+)?(?:death\s+)?(?:{lex.toll_nouns})\b", re.I)


def gives_figure(text: str, name: Span, start: int, end: int) -> bool:
    """Is the name at ``name`` stated as the source of the sentence's figure: the subject or object of
    a speech or report verb ("the agency said", "according to the Monitor", "state media say"), a link
    of a relay chain, or the owner of a toll ("the Monitor's toll")? Being named is not enough, and a
    dateline's place or agency never gives the figure under it."""
    if in_dateline(text, name.start, name.end):
        return False
    quotes = quoted_passages(text, start, end)
    lex = lexicon.current()
    verbs_ = [v for v in [*verbs(text, start, end, quotes), *lex.report_verb.finditer(text, start, end)]
              if not _NOT_A_SOURCE.match(text, v.end()) and not lex.not_figure_verb.fullmatch(v.group())]
    verbs_.sort(key=lambda m: m.start())
    if any(linked(text, name, v, verbs_) for v in verbs_):
        return True
    if lexicon.current().compiled("possessive_toll", _possessive_toll).match(text, name.end):
        return True
    return any(c.start < name.end and name.start < c.end
               for chain in relay_chains(text, start, end) for c in (chain.claimant, chain.relay))
