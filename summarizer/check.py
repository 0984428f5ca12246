"""``summarizer check``: does every citation of a briefing hold against the articles as given, and
is every value what its citation says (``check_values``)?

A citation holds when ``text[start:end] == citation.text`` for its article's text as given. The
texts come from the article files, when they are passed (a text file is read with
``Path.read_text(encoding=...)`` itself, in the encoding the briefing names), else from the
briefing's own ``sources[].text``. A file is matched to its source by the SHA-256 of its cleaned
text, so a renamed or re-saved (CRLF) copy still matches: the briefing's offsets then index the
re-saved copy's line ends only if it was briefed from it, which is what a mismatch reports.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .grounding import dates
from .ingest import offsets
from .ingest.article import Article
from .ingest.decode import normalize_text
from .ingest.load import load_many
from .language.folding import fold_text
from .language.numbers import find_numbers
from .language.sentences import article_sentences, covering, split_sentences
from .schemas import OffsetReport

log = logging.getLogger(__name__)


@dataclass
class CheckResult:
    report: OffsetReport
    basis: dict[str, str] = field(default_factory=dict)  # article id -> where its text came from
    unmatched_files: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # values that are not what their citations say

    @property
    def ok(self) -> bool:
        return self.report.failed == 0 and self.report.mapped > 0 and not self.unmatched_files and not self.values


def load_document(path: Path) -> Any:
    """A briefing (``brief --format json``) or a list of extractions (``extract``)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path} is not JSON ({exc.msg}, line {exc.lineno}): pass a briefing "
                          "written with --format json, or the output of extract") from exc
    if not (isinstance(doc, dict) and "sources" in doc) and not isinstance(doc, list):
        raise ConfigError(f"{path} is neither a briefing nor a list of extractions")
    return doc


def _sources(doc: Any) -> list[dict[str, Any]]:
    if isinstance(doc, dict):
        return [s for s in doc.get("sources", []) if isinstance(s, dict)]
    return [{"id": e.get("article_id"), "sha256": e.get("sha256")} for e in doc if isinstance(e, dict)]


def check(doc: Any, files: list[Path] | None = None) -> CheckResult:
    """Check every citation of ``doc`` against ``files`` (when given) or ``sources[].text``."""
    sources = _sources(doc)
    texts: dict[str, str] = {}
    basis: dict[str, str] = {}
    unmatched: list[str] = []
    if files:
        by_sha = {s.get("sha256"): s for s in sources}
        loaded = load_many(files)
        for e in loaded.errors:
            unmatched.append(f"{e.source}: {e.reason}")
        for a in loaded.articles:
            s = by_sha.get(a.sha256)
            if s is None:
                unmatched.append(f"{a.source}: no source of the briefing has this text")
                continue
            texts[s["id"]] = _as_read(a)
            basis[s["id"]] = a.source
            if str(s.get("published")) != str(a.published):
                # The date a record's relative words resolve against: ingest's own reading of the file.
                unmatched.append(f"sources[{sources.index(s)}].published: {s.get('published')!r}, but "
                                 f"{a.source} is dated {a.published.isoformat() if a.published else None!r}")
    for s in sources:
        if s.get("id") not in texts and isinstance(s.get("text"), str):
            texts[s["id"]] = s["text"]
            basis[s["id"]] = "sources[].text"
    report = offsets.verify_given(doc, texts)
    return CheckResult(report=report, basis=basis, unmatched_files=unmatched, values=check_values(doc, texts))


def _as_read(a: Article) -> str:
    """A text file as the user's program reads it, independently of ingest's own decoding."""
    if a.indexes == "file":
        try:
            return Path(a.source).read_text(encoding=a.encoding or "utf-8", errors="replace")
        except OSError as exc:  # it was readable a moment ago: use what ingest read
            log.warning("%s: %s: checked against the text as ingest read it", a.source, exc)
    return a.given


# --- values --------------------------------------------------------------------------------------
# ``summarizer check``, values: is every value of a briefing what its cited characters say?
#
# The offsets check (``check.py``) proves each citation's text is the article's; this one proves the
# values beside it were read from those characters, by the rules the pipeline grounds with:
#
# * a figure: its value, qualifier and words are what ``language.numbers.find_numbers`` reads at
#   the cited characters (by value, never fuzzily); a tally's low and high are its smallest and
#   largest claimed figures and its best is one of them;
# * a claimant, relay, speaker or perpetrator: the name, or one of its actor's surface forms, is in
#   the sentence of a citation the record gives (or the sentence before, as grounding allows for a
#   speaker or a place);
# * a quote: its words are in the cited characters (folded for quotes, dashes and case);
# * a place: named in the event's cited articles; a perpetrator: an actor of the briefing; an actor:
#   its name or a form of it is what each of its citations says;
# * a date: an event's is the day one of its citations' sentences gives by ``grounding.dates.date_of``
#   (its own date words resolved against the source's published date, else the article's lead
#   date, else the published date); a title's closing date is an event's.
#
# Each failure names the field (``events[0].killed.claims[1].value``) and the citation.


class _Texts:
    def __init__(self, texts: Mapping[str, str]):
        self.texts = texts
        self._sentences: dict[str, list[tuple[int, int]]] = {}

    def sentences_around(self, c: Mapping[str, Any], before: bool = False) -> str:
        """The sentence(s) holding citation ``c`` (and the one before, with ``before``), folded."""
        text = self.texts.get(c["article_id"])
        if text is None:
            return ""
        spans = self._sentences.get(c["article_id"])
        if spans is None:
            spans = self._sentences[c["article_id"]] = [(s.start, s.end) for s in split_sentences(text)]
        idx = [i for i, (s, e) in enumerate(spans) if s < c["end"] and c["start"] < e] or \
              [i for i, (s, e) in enumerate(spans) if s <= c["start"] <= e]
        if not idx:
            return fold_text(text[max(0, c["start"] - 300):c["end"] + 300])
        lo, hi = min(idx), max(idx)
        if before and lo > 0:
            lo -= 1
        return fold_text(text[spans[lo][0]:spans[hi][1]])


def _forms(doc: Mapping[str, Any]) -> dict[str, set[str]]:
    """Each actor's name -> every surface form the briefing gives it (a claimant is canonical)."""
    out: dict[str, set[str]] = {}
    for a in doc.get("actors", []) or []:
        forms = {a.get("name", "")} | set(a.get("aliases") or []) | {c.get("text", "") for c in a.get("citations", [])}
        for f in list(forms):
            out.setdefault(f, set()).update(forms)
    return out


def _named(name: str, hay: str, forms: Mapping[str, set[str]]) -> bool:
    candidates = {name} | forms.get(name, set())
    return any(f and fold_text(f) in hay for f in candidates)


def _figure(path: str, claim: Mapping[str, Any], texts: Mapping[str, str]) -> Iterator[str]:
    """The value at every citation; the qualifier and words at one at least (a claim merges the
    same figure from several articles, "13" in one and "Thirteen" in another)."""
    qualifiers: set[str] = set()
    words: list[str] = []
    checked = False
    for k, c in enumerate(claim.get("citations") or []):
        text = texts.get(c["article_id"])
        if text is None or text[c["start"]:c["end"]] != c["text"]:
            continue  # the offsets check reports it
        # Read as the pipeline reads: the cleaned text (no zero-width or bidi characters, "4\u200b6" is 46).
        a, b = max(0, c["start"] - 40), min(len(text), c["end"] + 20)
        window = normalize_text(text[a:b])
        lo = len(normalize_text(text[a:c["start"]]))
        hi = lo + len(normalize_text(c["text"]))
        mentions = [m for m in find_numbers(window) if m.start < hi and lo < m.end]
        text = window
        where = f"{path}.citations[{k}] ({c['article_id']} {c['start']}:{c['end']} {c['text']!r})"
        if not mentions:
            yield f"{path}.value: {claim.get('value')!r} is not a figure the cited characters hold: {where}"
            continue
        m = mentions[0]
        if claim.get("value") is not None and m.value != claim["value"]:
            yield f"{path}.value: {claim['value']!r}, but the cited characters read {m.value!r}: {where}"
        checked = True
        qualifiers |= {x.qualifier.value for x in mentions}
        words += [fold_text(text[x.start:x.end] + " " + normalize_text(c["text"])) for x in mentions]
    if not checked:
        return
    c = claim["citations"][0]
    where = f"{path}.citations[0] ({c['article_id']} {c['start']}:{c['end']} {c['text']!r})"
    if claim.get("qualifier") and claim["qualifier"] not in qualifiers:
        yield f"{path}.qualifier: {claim['qualifier']!r}, but the text reads {sorted(qualifiers)}: {where}"
    if claim.get("words") and not any(fold_text(claim["words"]) in w for w in words):
        yield f"{path}.words: {claim['words']!r} is not what the cited text says: {where}"


def _tally(path: str, tally: Mapping[str, Any]) -> Iterator[str]:
    values = [c["value"] for c in tally.get("claims") or [] if c.get("value") is not None]
    if not values:
        for k in ("low", "best", "high"):
            if tally.get(k) is not None:
                yield f"{path}.{k}: {tally[k]!r} with no claimed figure to stand on"
        return
    if tally.get("low") is not None and tally["low"] != min(values):
        yield f"{path}.low: {tally['low']!r}, but the smallest claimed figure is {min(values)!r}"
    if tally.get("high") is not None and tally["high"] != max(values):
        yield f"{path}.high: {tally['high']!r}, but the largest claimed figure is {max(values)!r}"
    if tally.get("best") is not None and tally["best"] not in values:
        yield f"{path}.best: {tally['best']!r} is none of the claimed figures {sorted(set(values))}"


def check_values(doc: Any, texts: Mapping[str, str]) -> list[str]:
    """Every value of a briefing (``brief --format json``) against its cited characters in
    ``texts`` (article id -> text as given). An extraction list has no merged values: nothing."""
    if not isinstance(doc, dict):
        return []
    t = _Texts(texts)
    forms = _forms(doc)
    actor_ids = {a.get("id") for a in doc.get("actors") or []}  # each checked against its own citations below
    problems: list[str] = []
    for i, e in enumerate(doc.get("events") or []):
        cites = e.get("citations") or []
        # A place may come from the sentence before or the article's dateline, and nest in a
        # larger one the gazetteer knows: it must be named in the event's cited articles.
        whole = " ".join(fold_text(texts.get(c["article_id"], "")) for c in cites)
        if e.get("place") and cites and not _named(e["place"], whole, forms) and not _place_nested(e, whole):
            problems.append(f"events[{i}].place: {e['place']!r} is named in none of the event's cited articles")
        for n, p in enumerate(e.get("perpetrators") or []):
            if p not in actor_ids:
                problems.append(f"events[{i}].perpetrators[{n}]: {p!r} is no actor of the briefing")
        for n, pc in enumerate(e.get("perpetrator_claims") or []):
            if pc.get("actor") not in actor_ids:
                problems.append(f"events[{i}].perpetrator_claims[{n}]: {pc.get('actor')!r} is no actor of the briefing")
        for role in ("killed", "injured"):
            tally = e.get(role)
            if not isinstance(tally, dict):
                continue
            problems += _tally(f"events[{i}].{role}", tally)
            for j, claim in enumerate(tally.get("claims") or []):
                path = f"events[{i}].{role}.claims[{j}]"
                problems += _figure(path, claim, texts)
                for n, part in enumerate(claim.get("parts") or []):
                    problems += _figure(f"{path}.parts[{n}]", {**part, "citations": [part["citation"]]}, texts)
                near = " ".join(t.sentences_around(c, before=True) for c in claim.get("citations") or [])
                for key in ("claimant", "via"):
                    if claim.get(key) and claim.get("citations") and not _named(claim[key], near, forms):
                        c = claim["citations"][0]
                        problems.append(f"{path}.{key}: {claim[key]!r} is not in the cited sentence "
                                        f"({c['article_id']} {c['start']}:{c['end']})")
    problems += _dates(doc, texts)
    for i, s in enumerate(doc.get("statements") or []):
        cites = s.get("citations") or []
        if not cites:
            continue
        cited = fold_text(" ".join(c["text"] for c in cites))
        around = " ".join(t.sentences_around(c, before=True) for c in cites)
        if s.get("kind") == "quote" and s.get("text") and fold_text(s["text"]) not in cited + " " + around:
            problems.append(f"statements[{i}].text: the quote is not in its cited characters "
                            f"({cites[0]['article_id']} {cites[0]['start']}:{cites[0]['end']})")
        if s.get("speaker") and not _named(s["speaker"], around, forms):
            problems.append(f"statements[{i}].speaker: {s['speaker']!r} is not in the cited sentences")
    for i, a in enumerate(doc.get("actors") or []):
        names = {fold_text(a.get("name", ""))} | {fold_text(x) for x in a.get("aliases") or []}
        for k, c in enumerate(a.get("citations") or []):
            if fold_text(c.get("text", "")) not in names and not any(n and n in fold_text(c["text"]) for n in names):
                problems.append(f"actors[{i}].citations[{k}]: cites {c['text']!r}, which is not {a.get('name')!r} "
                                "nor one of its forms")
    return problems


def _place_nested(event: Mapping[str, Any], around: str) -> bool:
    """"Northtown District" may be cited as "Northtown": a place whose first word is cited holds."""
    head = str(event.get("place", "")).split(",")[0].split()[:1]
    return bool(head) and fold_text(head[0]) in around


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _dates(doc: Mapping[str, Any], texts: Mapping[str, str]) -> list[str]:
    """Each event's date against what its cited sentences say, read exactly as grounding reads a
    record's date (``dates.date_of`` over the citation's sentences, the source's published date as
    the base)."""
    published = {s.get("id"): _day(s.get("published")) for s in _sources(doc)}
    articles: dict[str, Article] = {}
    problems: list[str] = []
    for i, e in enumerate(doc.get("events") or []):
        if e.get("date") is None:
            continue
        day = _day(e["date"])
        readings: list[str] = []
        held = False
        for k, c in enumerate(e.get("citations") or []):
            text = texts.get(c["article_id"])
            if text is None or text[c["start"]:c["end"]] != c["text"]:
                continue  # the offsets check reports it
            art = articles.get(c["article_id"])
            if art is None:
                art = articles[c["article_id"]] = Article(id=c["article_id"], text=text,
                                                          published=published.get(c["article_id"]))
            over = covering(article_sentences(art), c["start"], c["end"])
            start = min([s.start for s in over], default=c["start"])
            end = max([s.end for s in over], default=c["end"])
            read = dates.date_of(art, start, end)
            if read is not None and read.date == day:
                held = True
                break
            said = "no date" if read is None else read.date.isoformat() + (
                f" ({read.citation.text!r} against {art.published})" if read.citation else f" ({read.basis})")
            readings.append(f"citations[{k}] ({c['article_id']} {c['start']}:{c['end']}) reads {said}")
        if not held and readings:
            problems.append(f"events[{i}].date: {e['date']!r}, but " + "; ".join(readings))
    title = re.search(r" — (\d{4}-\d\d-\d\d)$", str(doc.get("title") or ""))
    if title and title.group(1) not in {str(e.get("date")) for e in doc.get("events") or []}:
        problems.append(f"title: its date {title.group(1)} is no event's date")
    return problems
