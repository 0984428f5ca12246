"""The merged briefing: what merging makes of every article's records, and ``Briefing``, which holds it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from pydantic import Field, PrivateAttr

from .base import SCHEMA_VERSION, _Record
from .records import (
    ActorKind,
    ArticleStatus,
    Citation,
    EventKind,
    GroundingReport,
    PerpetratorBasis,
    Qualifier,
    StatementKind,
    Usage,
)

# --- the merged briefing ---------------------------------------------------------------


class Part(_Record):
    """A figure that counts some of a claim's total ("Three of the injured were taken to hospital",
    "of whom 12 children"): shown under its total, never its tally's low, best or high."""

    role: str = Field(description="What the part counts, as a casualty field (e.g. 'hospitalized').")
    value: int | None
    qualifier: Qualifier
    words: str = Field(description="The part's own figure words, e.g. 'Three'.")
    of: str = Field(description="The words that make it a part, e.g. 'of the injured', 'of whom'.")
    claimant: str | None = Field(default=None, description="Canonical claimant name; null when unattributed.")
    article_id: str
    citation: Citation = Field(description="Span of ``words`` in the article.")


class Claim(_Record):
    """One figure as one claimant gave it, with every article that reported it."""

    value: int | None
    qualifier: Qualifier
    words: str
    claimant: str | None = Field(description="Canonical claimant name; null when unattributed.")
    via: str | None = None
    articles: list[str]
    citations: list[Citation]
    parts: list[Part] = Field(default_factory=list, description="Figures that count some of this one's total.")


class Tally(_Record):
    """All claims for one count (killed or injured) of one event, and their roll-up."""

    claims: list[Claim] = Field(default_factory=list)
    low: int | None = None
    best: int | None = None
    high: int | None = None
    disputed: bool = False
    independent_sources: int = Field(0, description="Distinct claimants (unattributed counts once).")
    rule: str = ""


class MergedActor(_Record):
    id: str
    name: str
    kind: ActorKind
    roles: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


class PerpetratorClaim(_Record):
    """One side of who did it: an actor, what the text says of them, and who says so."""

    actor: str = Field(description="MergedActor id.")
    name: str
    basis: PerpetratorBasis
    claimant: str | None = Field(default=None, description="Who says so, as written; null: the article's own "
                                 "voice, or the perpetrator's own claim.")
    articles: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


class MergedEvent(_Record):
    id: str
    label: str
    kind: EventKind
    place: str | None = None
    within: str | None = Field(default=None, description="Containing place, e.g. the city that holds a suburb.")
    date: dt.date | None = None
    background: bool = False
    perpetrators: list[str] = Field(default_factory=list, description="MergedActor ids.")
    perpetrator_claims: list[PerpetratorClaim] = Field(
        default_factory=list, description="Every claim of who did it (or denial), with its basis and claimant.")
    perpetrators_disputed: bool = Field(
        default=False, description="The articles disagree on who did it: a named perpetrator is denied, or "
        "different groups are each said by a different claimant to have done it.")
    articles: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    killed: Tally = Field(default_factory=Tally)
    injured: Tally = Field(default_factory=Tally)
    missing: Tally = Field(default_factory=Tally)
    displaced: Tally = Field(default_factory=Tally)
    affected: Tally = Field(default_factory=Tally)
    arrested: Tally = Field(default_factory=Tally)
    hospitalized: Tally = Field(default_factory=Tally)
    cases: Tally = Field(default_factory=Tally)


# Casualty roles in the order every view shows them: killed and injured first, then the other key
# figures of a humanitarian situation report (OCHA key figures; EM-DAT deaths, injured, affected, homeless).
CASUALTY_FIELDS: tuple[tuple[str, str], ...] = (
    ("killed", "Killed"), ("injured", "Injured"), ("missing", "Missing"), ("displaced", "Displaced"),
    ("affected", "Affected"), ("arrested", "Arrested"), ("hospitalized", "Hospitalized"), ("cases", "Cases"))


def tallies(e: MergedEvent) -> list[tuple[str, str, Tally]]:
    """The event's tallies that hold claims, as (field, title, tally), killed and injured first."""
    return [(name, title, getattr(e, name)) for name, title in CASUALTY_FIELDS if getattr(e, name).claims]


class MergedStatement(_Record):
    id: str
    speaker: str = Field(description="Canonical speaker name.")
    speaker_actor: str | None = Field(default=None, description="MergedActor id.")
    kind: StatementKind
    text: str = Field(description="The longest reported form of the words.")
    topic: str | None = None
    articles: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


class NarrativeSentence(_Record):
    text: str
    refs: list[str] = Field(description="Ids of the merged records the sentence states.")
    citations: list[Citation] = Field(default_factory=list)


class SourceArticle(_Record):
    id: str
    title: str | None = None
    published: dt.date | None = None
    sha256: str = Field(description="SHA-256 of the cleaned text (the same article in any file, "
                        "with any line ends, has one hash).")
    indexes: str = Field("text", description="What its citations' start:end index: 'file' (the file "
                         "as Path(f).read_text(encoding=<encoding>) returns it: CRLF read as LF, a "
                         "UTF-8 BOM kept as the character U+FEFF at offset 0), 'json' (the record's "
                         "'text' string), 'stdin' (the bytes decoded, CRLF read as LF), 'html' (the "
                         "article text extracted from the page, given in `text`), 'text' (the string "
                         "passed to the library).")
    encoding: str | None = Field(None, description="The encoding the file was read with, e.g. 'utf-8'.")
    text: str | None = Field(None, description="The article text its citations index (see `indexes`), so "
                             "the briefing can be checked on its own; omitted with --no-include-text "
                             "(except for HTML sources, whose extracted text nothing else holds).")
    status: ArticleStatus
    error: str | None = None
    strategy: str | None = Field(default=None, description=(
        "How the article was asked, and why: 'whole', 'sentence', or with --strategy auto "
        "'sentence after whole was cut off' (could not be parsed, grounded too little (...)), "
        "'sentence (whole was cut off on an earlier article)'."))
    usage: Usage = Field(default_factory=Usage)
    duration_s: float = 0.0
    grounding: GroundingReport = Field(default_factory=GroundingReport)


class NarrativeReport(_Record):
    """How the summary paragraph was written."""

    source: str = Field("template", description="'model' (written by the model, each sentence checked "
                        "against the records it cites) or 'template' (deterministic, from the records).")
    kept: int = Field(0, description="Sentences in the paragraph.")
    dropped: int = Field(0, description="Model sentences dropped: an unknown id, or a number or name "
                         "the cited records do not hold, still there after the re-asks.")
    reasks: int = 0
    issues: list[str] = Field(default_factory=list, description="Why sentences were dropped (bounded).")
    usage: Usage = Field(default_factory=Usage, description="The narrative call's share of the run's usage.")


class OffsetReport(_Record):
    """Citations mapped from the cleaned text to the articles as given (or checked against them)."""

    mapped: int = Field(0, description="Citations whose start:end read back their text in the article as given.")
    failed: int = Field(0, description="Citations that could not be mapped or checked (each one an issue); "
                        "left with their cleaned-text offsets.")
    issues: list[str] = Field(default_factory=list, description="Why, per citation (bounded).")


class RunInfo(_Record):
    backend: str
    model: str
    strategy: str
    prompt_version: str
    lexicon_version: str = Field("", description="Hash of the word lists used (built-in and --lexicon files).")
    schema_version: str = SCHEMA_VERSION
    usage: Usage = Field(default_factory=Usage)
    duration_s: float = 0.0
    articles_ok: int = 0
    articles_failed: int = 0
    cache_hits: int = Field(default=0, description="Articles taken from the extraction cache (no calls).")
    narrative: NarrativeReport = Field(default_factory=NarrativeReport)
    offsets: OffsetReport = Field(default_factory=OffsetReport, description="Every citation mapped to "
                                  "the articles as given; `failed` must be 0.")


class Briefing(_Record):
    """One cited briefing: ``summarizer.brief`` returns it. Render it with ``to_markdown()``,
    ``to_json()`` or ``to_html()``; every value's citations index the articles as given.

    >>> from summarizer.testing import FakeBackend
    >>> fake = FakeBackend(default={"killed": 12, "injured": None, "place": "Northtown", "claimed_by": None})
    >>> b = brief("A car bomb killed 12 people in Northtown on Sunday.", model=fake)
    >>> import json; json.loads(b.to_json())["events"][0]["killed"]["best"]
    12
    >>> "<!doctype html>" in b.to_html().lower()
    True
    """

    title: str
    narrative: list[NarrativeSentence] = Field(default_factory=list)
    events: list[MergedEvent] = Field(default_factory=list)
    statements: list[MergedStatement] = Field(default_factory=list)
    actors: list[MergedActor] = Field(default_factory=list)
    sources: list[SourceArticle] = Field(default_factory=list)
    grounding: GroundingReport = Field(default_factory=GroundingReport)
    run: RunInfo
    # The loaded articles (``summarizer.ingest.article.Article``), kept by ``brief`` for ``to_html``'s
    # greyed furniture; not part of the briefing's JSON.
    _articles: list[Any] = PrivateAttr(default_factory=list)

    # The renderers by format, filled by ``summarizer.render`` when it is imported (the package
    # imports it): the records know nothing of how they are shown.
    renderers: ClassVar[dict[str, Callable[..., str]]] = {}

    def _render(self, fmt: str, *args: Any) -> str:
        return Briefing.renderers[fmt](self, *args)

    def to_markdown(self) -> str:
        """The briefing as Markdown for people, article text escaped (``summarizer.render.markdown``)."""
        return self._render("markdown")

    def to_json(self) -> str:
        """The briefing as JSON (``schemas/briefing.json``), indented, with a final newline."""
        return self._render("json")

    def to_html(self, articles: Mapping[str, Any] | Iterable[Any] | None = None) -> str:
        """The briefing as one self-contained HTML page, the articles beside it (``summarizer.render.report``).
        ``articles``: the texts the citations index (``Article`` objects or ``{id: text}``); by
        default the ones ``brief`` loaded, else ``sources[].text``."""
        return self._render("html", self._articles if articles is None else articles)
