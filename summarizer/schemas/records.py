"""The records of one article: citations, the grounded records extraction and grounding make, and
``ArticleExtraction``, which holds them."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from .base import _Record


class AlignmentStatus(StrEnum):
    """How a citation was matched to the article."""

    EXACT = "exact"  # the model's words occur verbatim
    NORMALIZED = "normalized"  # equal after folding quotes, dashes, case and whitespace
    FUZZY = "fuzzy"  # prose only, above the documented threshold, snapped to word bounds
    INFERRED = "inferred"  # a derived value; the span holds the words it was derived from


class Citation(_Record):
    """A span of one article: ``article[start:end] == text`` always. In output, ``article`` is
    the text as given (a file as ``Path.read_text()`` returns it; see ``SourceArticle.indexes``).

    >>> article = "Floods killed 3 people."
    >>> c = Citation(article_id="floods", start=14, end=15, text="3")
    >>> article[c.start:c.end] == c.text
    True
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    article_id: str = Field(description="Id of the article the span belongs to.")
    start: int = Field(ge=0, description="Start offset (characters) in the article's text as given: "
                       "for a file, as Path.read_text() returns it (see sources[].indexes).")
    end: int = Field(ge=0, description="End offset (exclusive).")
    text: str = Field(description="The cited characters, verbatim.")
    status: AlignmentStatus = Field(
        default=AlignmentStatus.EXACT, description="How the span was matched."
    )

    @model_validator(mode="after")
    def _span_matches_text(self) -> Citation:
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"citation span {self.start}:{self.end} is {self.end - self.start} characters "
                f"but its text is {len(self.text)}"
            )
        return self


class Mention(_Record):
    """A name, place or phrase as the article writes it, with where it is written."""

    value: str = Field(description="The words as they appear in the article.")
    citation: Citation


# What the text says of someone named for an act: they claimed it, were named (identified) as the
# attacker, were charged with it, are suspected of it, carried it out; or they deny it.
PerpetratorBasis = Literal["claimed", "named", "charged", "suspected", "carried_out", "denied"]


# How each basis reads in a report ("Khuram Butt (named, says police)").
BASIS_WORDS = {"claimed": "claimed it", "named": "named", "charged": "charged", "suspected": "suspected",
               "carried_out": "carried it out", "denied": "denies it"}


class Perpetrator(Mention):
    """Who an article says did an event's act (or, ``basis`` 'denied', says they did not), and who says so."""

    basis: PerpetratorBasis = Field(default="carried_out", description="What the sentence says of them.")
    claimed_by: Mention | None = Field(
        default=None, description="Who says so ('police named the attacker as …'); null when the article "
        "says it in its own voice, or the perpetrator claims it itself.")


class Qualifier(StrEnum):
    """How exact a figure is, as the article words it."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    UP_TO = "up_to"
    ABOUT = "about"
    NEARLY = "nearly"
    VAGUE = "vague"  # "dozens", "scores", "hundreds": no number is invented for these


class Figure(_Record):
    """A count as the article states it."""

    value: int | None = Field(
        description="The number; null only for vague quantities such as 'dozens'."
    )
    qualifier: Qualifier
    words: str = Field(description="The literal words, e.g. 'at least 67', 'nearly 130', 'dozens'.")
    citation: Citation = Field(description="Span of ``words`` in the article.")


class DateValue(_Record):
    """A date, and how it was obtained."""

    date: dt.date
    basis: str = Field(
        description="'stated' (written in the text), 'relative' ('Sunday', 'yesterday' resolved "
        "against the article's date) or 'published' (the article's own date)."
    )
    citation: Citation | None = Field(
        default=None, description="The words the date was read or derived from, if any."
    )


class ActorKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    STATE = "state"
    ARMED_GROUP = "armed_group"
    MEDIA = "media"
    UNKNOWN = "unknown"


class EventKind(StrEnum):
    """What happened, from the news people brief. Grounded in ACLED event types (conflict,
    protest), EM-DAT's disaster classes (natural, technological) and CAMEO roots (diplomacy); the
    mapping and the words for each kind are in ``summarizer/lexicon/events.toml``."""

    # conflict and terror
    BOMBING = "bombing"
    SHOOTING = "shooting"
    AIRSTRIKE = "airstrike"  # air or drone strike, shelling, missiles
    ARMED_CLASH = "armed_clash"
    MILITARY_OPERATION = "military_operation"
    ATTACK = "attack"  # any other attack
    # disasters
    EARTHQUAKE = "earthquake"
    VOLCANIC_ERUPTION = "volcanic_eruption"
    FLOOD = "flood"
    STORM = "storm"
    WILDFIRE = "wildfire"
    DISASTER = "disaster"  # any other natural disaster
    # accidents
    AIR_CRASH = "air_crash"
    RAIL_CRASH = "rail_crash"
    ROAD_CRASH = "road_crash"
    SEA_ACCIDENT = "sea_accident"
    BUILDING_COLLAPSE = "building_collapse"
    EXPLOSION_FIRE = "explosion_fire"
    # health
    OUTBREAK = "outbreak"
    # politics
    PROTEST = "protest"
    ELECTION = "election"
    ARREST = "arrest"  # arrest or charge
    LEGISLATION = "legislation"
    RESIGNATION = "resignation"
    # diplomacy
    AGREEMENT = "agreement"
    SUMMIT = "summit"  # summit or talks
    SANCTIONS = "sanctions"
    TRADE_MEASURE = "trade_measure"  # tariffs, export controls, trade disputes
    # justice, programmes, incidents and policy
    INVESTIGATION = "investigation"
    TRIAL = "trial"  # a trial, a verdict, a court ruling
    WEAPONS_PROGRAMME = "weapons_programme"  # nuclear and missile programmes, tests
    INCIDENT = "incident"  # a near-miss, a leak, a search for a missing plane: an accident that may have no toll
    POLICY = "policy"  # a government's announced plan, order or rule
    POLITICAL = "political"  # a threat, a scandal, a political row
    OTHER = "other"


class Actor(_Record):
    """Someone the article names as acting, speaking or claiming."""

    name: str = Field(description="The fullest surface form the article uses.")
    kind: ActorKind = ActorKind.UNKNOWN
    role: str | None = Field(default=None, description="Title or role, e.g. 'Secretary of State'.")
    aliases: list[str] = Field(default_factory=list, description="Other surface forms seen.")
    citations: list[Citation] = Field(default_factory=list)


class RecordContext(_Record):
    """Where a grounded record sits in its article, read once at grounding: merging needs these
    and never reads the article again."""

    sentence: Citation = Field(description="The evidence's whole sentence(s).")
    before: str = Field(
        default="", description="The words of the sentence before it, when in the same paragraph (a figure "
        "that names no place takes that sentence's); read, never cited.")
    kind: EventKind | None = Field(
        default=None, description="Casualty records: the incident the sentence's words name, else the sentence "
        "before's; null when neither names one (never a default).")
    kind_from: Literal["sentence", "before"] | None = Field(
        default=None, description="Which sentence's words name ``kind``.")
    place_says_where: bool | None = Field(
        default=None, description="Event records with a place: whether the words around it say where it happened "
        "('in X'), not whom someone speaks for ('the President of X').")


class Event(_Record):
    """Something that happened, as one article reports it."""

    kind: EventKind
    summary: str = Field(description="The sentence that reports the event, verbatim.")
    date: DateValue | None = None
    place: Mention | None = None
    participants: list[Mention] = Field(default_factory=list)
    perpetrators: list[Perpetrator] = Field(default_factory=list)
    denials: list[Perpetrator] = Field(default_factory=list, description="Those the sentence says deny doing it.")
    background: bool = Field(
        default=False, description="True for earlier events the article recalls for context."
    )
    evidence: Citation
    context: RecordContext | None = None


class CasualtyReport(_Record):
    """One casualty claim: figures, who gave them and where the article says so."""

    place: Mention | None = None
    event: Mention | None = Field(default=None, description="The words naming the incident.")
    killed: Figure | None = None
    injured: Figure | None = None
    # The other key figures of a humanitarian situation report, read from the sentence's own words
    # (grounding.roles), never asked of the model.
    missing: Figure | None = None
    displaced: Figure | None = Field(default=None, description="Displaced, evacuated, homeless, refugees, fled.")
    affected: Figure | None = None
    arrested: Figure | None = Field(default=None, description="Arrested, detained, in custody, charged.")
    hospitalized: Figure | None = None
    cases: Figure | None = Field(default=None, description="Infected, sick, confirmed or suspected cases.")
    claimed_by: Mention | None = Field(
        default=None, description="Who the article says gave the figure; null when unattributed."
    )
    via: Mention | None = Field(
        default=None, description="Who relayed the claimant's figure, e.g. a state news agency quoting a governor."
    )
    date: DateValue | None = None
    background: bool = Field(
        default=False, description="True for tolls of earlier events recalled for context."
    )
    evidence: Citation
    context: RecordContext | None = None


class StatementKind(StrEnum):
    QUOTE = "quote"
    PARAPHRASE = "paraphrase"


class DiplomaticStatement(_Record):
    """Something a named person or body said."""

    speaker: Mention
    speaker_role: Mention | None = None
    kind: StatementKind
    text: Mention = Field(description="The quoted words (quote) or the reported clause (paraphrase).")
    audience: Mention | None = Field(default=None, description="Who it was said to, or where.")
    topic: str | None = Field(default=None, description="Topic keyword found in the statement.")
    date: DateValue | None = None
    evidence: Citation


class GroundingIssue(_Record):
    """A value the model proposed that the text does not support."""

    article_id: str | None = None
    record: str = Field(description="Record type: casualty, statement, event (or article: a whole answer).")
    field: str
    value: str
    reason: str = Field(description="What is wrong, as the model was told on a re-ask.")
    code: str = Field("other", description="The reason in one word, for counting: e.g. not_in_text, "
                      "not_in_sentence, evidence_not_found, quote_not_attributed, kind_unsupported.")
    action: str = Field(description="'dropped_field', 'dropped_record', 'set_aside' (a passage "
                        "addressed to the model), or 'not_merged' (grounded, but joins no event).")


class GroundingReport(_Record):
    """What grounding did with the proposals of one article (or, in a briefing, of all of them).

    It adds up: every proposed record is counted once, as kept + repaired + salvaged +
    dropped_records; every value that failed is one issue, and ``dropped_fields`` /
    ``dropped_records`` equal the number of issues with that action (a field that failed inside a
    record dropped whole is still a dropped field).
    """

    kept: int = Field(0, description="Records kept as first answered: every value grounded.")
    repaired: int = Field(0, description="Records kept after a re-ask showed the model its error: "
                          "every value of the corrected answer grounded.")
    salvaged: int = Field(0, description="Records kept after the re-asks ran out, by dropping the "
                          "fields that still failed (each one an issue).")
    dropped_records: int = Field(0, description="Records dropped whole (each one an issue).")
    dropped_fields: int = Field(0, description="Values dropped (each one an issue).")
    set_aside: int = Field(0, description="Passages that read as instructions to the model (prompt "
                           "injection), never asked about nor evidence (each one an issue); not records.")
    not_merged: int = Field(0, description="Records grounded (so counted as kept, repaired or salvaged) "
                            "that merging put in no event: no place or kind of their own (each one an issue). "
                            "kept + repaired + salvaged - not_merged records reach the briefing.")
    read_from_text: int = Field(0, description="Sentence questions answered from the text with no model call: "
                                "each field had one value grounding keeps, or none (already counted above).")
    issues: list[GroundingIssue] = Field(default_factory=list)

    def add(self, other: GroundingReport) -> None:
        """Fold another report into this one (per-article reports into a briefing's)."""
        for name in ("kept", "repaired", "salvaged", "dropped_records", "dropped_fields", "set_aside", "not_merged",
                     "read_from_text"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.issues.extend(other.issues)

    def by_reason(self) -> dict[str, int]:
        """'action:code' -> how many values or records were dropped for it."""
        counts: dict[str, int] = {}
        for i in self.issues:
            key = f"{i.action}:{i.code}"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))


class Usage(_Record):
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, other: Usage) -> None:
        self.calls += other.calls
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens


class Acronym(_Record):
    """An acronym the article spells out: "Center for Civil Monitoring (CCM)"."""

    short: str
    long: str


class Nesting(_Record):
    """A place the article puts inside another: "the X suburb of Y" (``container``), "X, south of Y"
    (``direction``), "X, Texas" or a dateline "CITY, Country" (``comma``)."""

    inner: str
    outer: str
    form: Literal["container", "direction", "comma"]


class Referent(_Record):
    """A role noun and the one full name its article gives for it: "the union" -> "Textile Workers
    Union", "the federation president" -> "Marc Tremblay"."""

    words: str = Field(description="The role noun, lower case, with 'the': 'the union'.")
    name: str = Field(description="The name the article writes for it.")


class ArticleFacts(_Record):
    """What merging needs of a whole article, read once at extraction."""

    lead: str = Field(default="", description="The article's first 600 characters: where a figure naming no "
                      "place of its own happened, when its paragraph does not say; read, never cited.")
    acronyms: list[Acronym] = Field(default_factory=list)
    nestings: list[Nesting] = Field(default_factory=list, description="Places nested by the text, datelines included.")
    companies: list[str] = Field(default_factory=list, description="Company names the text writes ('Acme "
                                 "Textiles'): their first words are no place.")
    referents: list[Referent] = Field(default_factory=list, description="Role nouns the article names in full "
                                      "('the union': 'Textile Workers Union'); read, never cited.")


class ArticleStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    DUPLICATE = "duplicate"  # the same text as another input: briefed once, under the other one
    PARTIAL = "partial"  # a run budget ran out midway: what was grounded so far; the reason in error


class ArticleExtraction(_Record):
    """Everything extracted from one article, all of it grounded (``summarizer.extract`` returns one
    per article).

    >>> ex = ArticleExtraction(article_id="floods", sha256="0" * 64)
    >>> ex.status.value, ex.casualties, ex.grounding.kept
    ('ok', [], 0)
    """

    article_id: str
    title: str | None = None
    published: dt.date | None = None
    sha256: str
    status: ArticleStatus = ArticleStatus.OK
    error: str | None = None
    strategy: str | None = Field(default=None, description="The strategy used and why (see SourceArticle).")
    events: list[Event] = Field(default_factory=list)
    casualties: list[CasualtyReport] = Field(default_factory=list)
    statements: list[DiplomaticStatement] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    facts: ArticleFacts = Field(default_factory=ArticleFacts)
    grounding: GroundingReport = Field(default_factory=GroundingReport)
    usage: Usage = Field(default_factory=Usage)
    duration_s: float = 0.0
    cached: bool = Field(
        default=False,
        description="Taken from the extraction cache: no model call was made for it in this run; "
        "`usage` and `duration_s` are those of the run that extracted it.",
    )
