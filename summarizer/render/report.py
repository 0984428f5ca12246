"""Briefing + article texts -> one self-contained HTML report you can click through.

    from summarizer.render import report
    html = report.to_html(briefing, articles)   # articles: objects with .id and .text, or {id: text}

The briefing sits on the left, the source articles on the right. Every cited value (a figure, a
claimant, a quote, a place, an actor, each summary sentence) is a link; clicking it shows its
article, highlights the cited ``start:end`` characters and lightly the sentence around them, and
says how the span was aligned. A value with several citations steps through them on each click.
``#cite=<article>:<start>-<end>`` opens the report at a span.

The page is one file: CSS and JS inline, no request to anything (a Content-Security-Policy forbids
every remote load, and allows only this page's own script and style, by hash). Every piece of
article and model text goes through Jinja2's autoescape; bidi overrides and control characters
are shown as U+FFFD (one for one, so offsets still hold), never obeyed.

This module knows no backend: it reads a ``Briefing`` and the texts its citations index.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Protocol
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..language.chars import BIDI, CONTROL, HIDDEN, SURROGATES
from ..language.sentences import covering, split_sentences
from ..schemas import BASIS_WORDS, Briefing, Citation, Claim, MergedActor, MergedEvent, Tally, tallies
from . import chart

log = logging.getLogger(__name__)

# Shown, never obeyed: one replacement character per character, so offsets into the text still hold.
_UNSAFE_IN_ARTICLE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{HIDDEN}{BIDI}{SURROGATES}]")  # CONTROL but tab, newline
_UNSAFE_IN_VALUE = re.compile(f"[{CONTROL}{HIDDEN}{BIDI}{SURROGATES}]")


class ArticleLike(Protocol):
    id: str
    text: str


def shown(text: str) -> str:
    """Article text as displayed: same length, with anything that could reorder or hide it replaced."""
    return _UNSAFE_IN_ARTICLE.sub("\ufffd", text)


def clean(text: str | None) -> str:
    """A briefing value on one line, without control, invisible or bidi characters."""
    return "" if text is None else " ".join(_UNSAFE_IN_VALUE.sub("", text).split())


@dataclass
class Link:
    """A cited value: its text and the indexes of its citations in the page's table."""

    text: str
    refs: list[int] = field(default_factory=list)
    href: str = ""

    @property
    def data(self) -> str:
        return " ".join(map(str, self.refs))


@dataclass
class Piece:
    start: int
    end: int
    text: str
    kind: str = ""  # "", "noise" (web furniture) or "setaside" (text addressed to a model)


@dataclass
class ArticleView:
    index: int
    id: str
    title: str
    published: str
    status: str
    error: str
    pieces: list[Piece]
    text: str | None  # what its citations index; None: not available
    issues: int
    set_aside: int
    noise: int


class _Citations:
    """The page's table of citations: one entry per distinct (article, start, end)."""

    def __init__(self, texts: Mapping[str, str], order: Mapping[str, int]):
        self.texts = texts
        self.order = order
        self.rows: list[list[Any]] = []
        self._seen: dict[tuple[str, int, int], int] = {}
        self._sentences: dict[str, list[Any]] = {}

    def _sentence(self, article: str, start: int, end: int) -> tuple[int, int]:
        text = self.texts.get(article)
        if text is None:
            return start, end
        if article not in self._sentences:
            self._sentences[article] = split_sentences(text)
        around = covering(self._sentences[article], start, max(end, start + 1))
        if not around:
            return start, end
        return min(around[0].start, start), max(around[-1].end, end)

    def add(self, c: Citation) -> int:
        key = (c.article_id, c.start, c.end)
        if key not in self._seen:
            if c.article_id not in self.order:
                log.warning("citation into unknown article %s", c.article_id)
            s_start, s_end = self._sentence(c.article_id, c.start, c.end)
            self._seen[key] = len(self.rows)
            self.rows.append([self.order.get(c.article_id, -1), c.start, c.end, c.status.value, s_start, s_end,
                              shown(c.text)])
        return self._seen[key]

    def link(self, text: str | None, cites: Iterable[Citation]) -> Link:
        refs: list[int] = []
        for c in cites:
            i = self.add(c)
            if i not in refs:
                refs.append(i)
        first = self.rows[refs[0]] if refs else None
        href = ""
        if first is not None:
            article = next((a for a, i in self.order.items() if i == first[0]), "")
            href = f"#cite={quote(article, safe='')}:{first[1]}-{first[2]}"
        return Link(clean(text), refs, href)


def _within(cites: Iterable[Citation], words: str | None) -> list[Citation]:
    """The exact spans of ``words`` inside the given citations (a place inside its event's sentence)."""
    if not words:
        return []
    out: list[Citation] = []
    for c in cites:
        i = c.text.lower().find(words.lower())
        if i >= 0 and c.text[i:i + len(words)].lower() == words.lower():  # lower() kept the length
            out.append(Citation(article_id=c.article_id, start=c.start + i, end=c.start + i + len(words),
                                text=c.text[i:i + len(words)], status=c.status))
    return out


class _Builder:
    def __init__(self, b: Briefing, texts: Mapping[str, str], order: Mapping[str, int]):
        self.b = b
        self.cites = _Citations(texts, order)
        self.actors_by_id = {a.id: a for a in b.actors}
        self.actors_by_name: dict[str, MergedActor] = {}
        for a in b.actors:
            for name in [a.name, *a.aliases]:
                self.actors_by_name.setdefault(name.lower(), a)

    def actor(self, name: str | None, articles: Sequence[str] = (), actor_id: str | None = None) -> Link:
        a = self.actors_by_id.get(actor_id or "") or self.actors_by_name.get((name or "").lower())
        if a is None:
            return Link(clean(name))
        cites = [c for c in a.citations if not articles or c.article_id in articles]
        return self.cites.link(name, cites or a.citations)

    def claim(self, c: Claim) -> dict[str, Any]:
        return {
            "figure": self.cites.link(c.words, c.citations),
            "value": c.value,
            "qualifier": c.qualifier.value.replace("_", " "),
            "claimant": self.actor(c.claimant, c.articles) if c.claimant else None,
            "via": self.actor(c.via, c.articles) if c.via else None,
            "articles": c.articles,
            "label": clean(chart.claim_label(c)),
            "parts": [{"figure": self.cites.link(p.words, [p.citation]), "role": p.role.replace("_", " "),
                       "of": clean(p.of)} for p in c.parts],
        }

    def tally(self, title: str, t: Tally, key: str) -> dict[str, Any] | None:
        if not t.claims:
            return None
        claims = [self.claim(c) for c in t.claims]
        drawn = chart.build(title, t)
        marks = [{"m": m, "claim": claims[m.index]} for m in drawn.marks] if drawn else []
        return {"title": title, "t": t, "claims": claims, "chart": drawn, "marks": marks, "key": key}

    def event(self, e: MergedEvent) -> dict[str, Any]:
        place = None
        if e.place:
            spans = _within(e.citations, e.place)
            place = self.cites.link(e.place, spans) if spans else Link(clean(e.place))
        return {
            "e": e,
            "label": self.cites.link(e.label, e.citations),
            "place": place,
            "within": clean(e.within),
            "perpetrators": [self.actor(self.actors_by_id[p].name if p in self.actors_by_id else p, (), p)
                             for p in e.perpetrators],
            # Each side of who did it: the name cited where it is said, what is said of it, and who says so.
            "perpetrator_claims": [{"who": self.cites.link(c.name, c.citations), "basis": BASIS_WORDS[c.basis],
                                    "claimant": self.actor(c.claimant, c.articles) if c.claimant else None}
                                   for c in e.perpetrator_claims],
            "killed": self.tally("Killed", e.killed, f"{e.id}:killed"),
            "injured": self.tally("Injured", e.injured, f"{e.id}:injured"),
            "others": [self.tally(title, t, f"{e.id}:{name}") for name, title, t in tallies(e)
                       if name not in ("killed", "injured")],
        }


def _pieces(text: str, noise: Sequence[tuple[int, int]], set_aside: Sequence[tuple[int, int]]) -> list[Piece]:
    """The text cut where web furniture and set-aside passages begin and end."""
    kinds = [""] * (len(text) + 1)
    for spans, kind in ((noise, "noise"), (set_aside, "setaside")):
        for s, e in spans:
            for i in range(max(0, s), min(len(text), e)):
                kinds[i] = kind
    out: list[Piece] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or kinds[i] != kinds[start]:
            out.append(Piece(start, i, shown(text[start:i]), kinds[start]))
            start = i
    return out


def text_of(article: Any) -> str | None:
    """The text an article's citations index in a briefing: the text as given (``Article.given``:
    a file as ``Path.read_text()`` returns it), else its ``text``, or the string itself."""
    if article is None or isinstance(article, str):
        return article
    return getattr(article, "given", "") or getattr(article, "text", None)


def _spans_as_given(article: Any, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ingest finds furniture in the cleaned text; shown over the given text, spans are mapped."""
    to_given = getattr(article, "offsets", None)
    if to_given is None or getattr(to_given, "identity", True):
        return list(spans)
    out = []
    for s, e in spans:
        try:
            out.append(to_given.span(s, e))
        except ValueError:
            log.warning("furniture span %d:%d is outside the article's cleaned text", s, e)
    return out


def _views(b: Briefing, articles: Mapping[str, Any]) -> list[ArticleView]:
    ids = [s.id for s in b.sources] + [a for a in articles if a not in {s.id for s in b.sources}]
    by_id = {s.id: s for s in b.sources}
    views = []
    for i, aid in enumerate(ids):
        art = articles.get(aid)
        src = by_id.get(aid)
        text = text_of(art)
        if text is None and src is not None:
            text = src.text  # a briefing made with --include-text carries its texts
        set_aside = _spans_as_given(art, getattr(art, "instructions", ()) or ())
        noise = [span for span in _spans_as_given(art, getattr(art, "noise", ()) or ()) if span not in set_aside]
        title = clean(src.title if src and src.title else getattr(art, "title", None)) or aid
        views.append(ArticleView(
            index=i, id=aid, title=title,
            published=(src.published.isoformat() if src and src.published else "date unknown"),
            status=src.status.value if src else "ok", error=clean(src.error) if src else "",
            pieces=_pieces(text, noise, set_aside) if isinstance(text, str) else [],
            text=text if isinstance(text, str) else None,
            issues=len(src.grounding.issues) if src else 0,
            set_aside=len(set_aside), noise=len(noise)))
    return views


def _by_id(articles: Mapping[str, Any] | Iterable[ArticleLike]) -> dict[str, Any]:
    if isinstance(articles, Mapping):
        return dict(articles)
    return {a.id: a for a in articles}


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("summarizer.render", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["thousands"] = lambda v: "—" if v is None else f"{v:,}"
    return env


@cache
def _asset(name: str) -> str:
    return resources.files("summarizer.render").joinpath("templates", name).read_text(encoding="utf-8")


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def csp(style: str, script: str | None = None) -> str:
    """Nothing from anywhere, except this page's own style and script (by hash) and data: images."""
    scripts = _hash(script) if script is not None else "'none'"
    return (f"default-src 'none'; style-src {_hash(style)}; script-src {scripts}; img-src data:; "
            "base-uri 'none'; form-action 'none'; connect-src 'none'; frame-src 'none'")


def to_html(b: Briefing, articles: Mapping[str, Any] | Iterable[ArticleLike]) -> str:
    """The report page. ``articles`` holds the texts the citations index (by article id): ingest's
    ``Article`` objects (their ``given`` text, with ``noise`` and ``instructions`` spans greyed),
    or plain strings; a source missing from it is shown from ``sources[].text`` when the briefing
    carries it."""
    arts = _by_id(articles)
    views = _views(b, arts)
    order = {v.id: v.index for v in views}
    texts = {v.id: v.text for v in views if v.text is not None}
    builder = _Builder(b, texts, order)
    cites = builder.cites
    narrative = [cites.link(s.text, s.citations) for s in b.narrative]
    main = [builder.event(e) for e in b.events if not e.background]
    background = [builder.event(e) for e in b.events if e.background]
    statements = [{"s": s, "speaker": builder.actor(s.speaker, s.articles, s.speaker_actor),
                   "words": cites.link(s.text, s.citations), "topic": clean(s.topic)} for s in b.statements]
    actors = [{"a": a, "name": cites.link(a.name, a.citations), "aliases": [clean(x) for x in a.aliases],
               "roles": [clean(x) for x in a.roles]} for a in b.actors]
    g = b.grounding
    issues = sorted(g.issues, key=lambda i: (i.action, i.code, i.article_id or "", i.record, i.field))
    style, script = _asset("report.css"), _asset("report.js")
    data = {"articles": [{"id": v.id, "title": v.title} for v in views], "cites": cites.rows}
    page = _env().get_template("report.html.j2").render(
        b=b, title=clean(b.title), narrative=narrative, events=main, background=background,
        statements=statements, actors=actors, views=views, g=g, issues=issues, by_reason=g.by_reason(),
        run=b.run, data=data, style=Markup(style), script=Markup(script), csp=csp(style, script),
        clean=clean, narrative_source=b.run.narrative.source,
    )
    log.debug("html report: %d citations, %d articles, %d characters", len(cites.rows), len(views), len(page))
    return page


@dataclass
class IndexRow:
    """One cluster of a batch run, as the index page lists it."""

    cluster: str
    state: str
    figures: list[str]
    finished_at: str
    duration_s: float
    href: str | None
    error: str = ""


def figures(b: Briefing) -> list[str]:
    """'Earthquake in Port City: killed 25–60, best 57 (disputed)' for each main event with a toll."""
    out = []
    for e in b.events:
        if e.background:
            continue
        for name, _, t in tallies(e):
            if t.best is None and t.low is None:
                continue
            span = f"{t.low:,}–{t.high:,}" if t.low is not None and t.high is not None and t.low != t.high \
                else f"{(t.best if t.best is not None else t.low):,}"
            best = f", best {t.best:,}" if t.best is not None and t.low != t.high else ""
            out.append(clean(f"{e.label}: {name} {span}{best}{' (disputed)' if t.disputed else ''}"))
    return out


def index_html(title: str, rows: Sequence[IndexRow]) -> str:
    """The batch index: every cluster with its status, figures, time and a link to its report."""
    style = _asset("report.css")
    return _env().get_template("index.html.j2").render(
        title=clean(title), rows=rows, style=Markup(style), csp=csp(style))
