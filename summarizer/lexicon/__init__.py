"""Every domain word list, as data: ``summarizer/lexicon/*.toml`` plus any ``--lexicon FILE``.

The rules in ``grounding`` (with ``kinds``, ``dates``), ``merge``, ``language.names`` and ``ingest`` are general;
the words they look for (event cues, casualty words, speech verbs, aliases, titles, place nouns,
furniture lines, calendar names) live here, versioned, so a user can extend them without touching
code and a change re-asks exactly what it affects (``Lexicon.version`` enters the cache key).

A user file has the shape of the built-in ones; lists are appended to, tables merged (the user's
entry wins). The active lexicon is a context variable set by the entry points (``using``), so
threads and processes started by a run see the lexicon the run was given, never a module global
that another run changed.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import re
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from ..errors import ConfigError

_DIR = Path(__file__).parent
T = TypeVar("T")
FILES = ("events", "casualties", "speech", "dates", "noise", "actors", "places", "language", "injection", "roles")


def _merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return [*base, *(x for x in extra if x not in base)]
    return extra


# Optional parts of a cue, dropped to show it as a word in messages: "blasts?" -> "blast".
_OPTIONAL = re.compile(r"\(\?:[^()]*\)\?|\\w\*|s\?|\?")


def _alt(fragments: list[str]) -> str:
    """One alternation of regex fragments, longest first so 'car bombs' wins over 'car'."""
    return "|".join(f"(?:{f})" for f in sorted(fragments, key=len, reverse=True))


def _words(fragments: list[str], flags: int = re.I) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{_alt(fragments)})(?![\w])", flags)


@dataclass(frozen=True, eq=False)
class KindSpec:
    name: str
    family: str
    label: str
    standard: str
    cue: re.Pattern[str]
    refines: tuple[str, ...]
    cue_words: str  # for error messages: "'bomb', 'blast'"


@dataclass(eq=False)
class Lexicon:
    """The compiled word lists. Built once per set of files (``load``)."""

    data: dict[str, dict[str, Any]]
    version: str
    kinds: dict[str, KindSpec] = field(init=False)
    _built: dict[str, Any] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        ev, ca, sp, da, no, ac, pl, la = (self.data[n] for n in FILES[:8])  # injection, roles: their own modules
        self.kinds = {}
        from ..schemas import EventKind  # the taxonomy is a schema; the lexicon gives it words

        unknown = sorted(set(ev["kinds"]) - {k.value for k in EventKind})
        if unknown:
            raise ValueError(f"event kinds {unknown} are not in the taxonomy ({', '.join(k.value for k in EventKind)})")
        for name, spec in ev["kinds"].items():
            cues = list(spec["cues"])
            plain = [w for w in (_OPTIONAL.sub("", c) for c in cues) if re.fullmatch(r"[A-Za-z][\w -]*", w)]
            words = ", ".join(f"'{w}'" for w in plain[:4])
            self.kinds[name] = KindSpec(name, spec["family"], spec["label"], spec.get("standard", ""),
                                        _words(cues), tuple(spec.get("refines", ())), words)
        self.incident_families = frozenset(ev["families"]["incident"])
        self.follow_kinds = frozenset(ev["families"].get("follows", ()))
        self.outcomes = dict(ev["families"].get("outcomes", {}))  # kind -> the kind of talks it comes out of
        self.perpetrated_families = frozenset(ev["families"].get("perpetrated", ()))
        self.passing = _words(ev["passing"]["phrases"]) if ev.get("passing", {}).get("phrases") else None
        parts = ev.get("parts", {})
        self.part_after = re.compile(rf"\s+(?:{_alt(parts['after'])})", re.I) if parts.get("after") else None
        self.part_before = re.compile(rf"(?:{_alt(parts['before'])})\s*$") if parts.get("before") else None
        perp = ev.get("perpetrators", {})
        # An age or a birthplace may stand between the words and the name ("as 22-year-old X").
        gap = rf"(?:\s+(?:{_alt(perp['gap'])}))*" if perp.get("gap") else ""
        # (basis, words right before a name, words right after it), in the order the tables are tried.
        self.did_it: list[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None]] = []
        for basis, spec in perp.items():
            if not isinstance(spec, dict):
                continue
            before = (re.compile(rf"(?<![\w])(?:{_alt(spec['before'])}){gap}\s*$", re.I)
                      if spec.get("before") else None)
            after = (re.compile(rf"(?:\s*,\s*\d+\s*,)?\s*,?\s*(?:{_alt(spec['after'])})", re.I)
                     if spec.get("after") else None)
            self.did_it.append((basis, before, after))
        self.doers = _words(perp.get("doers", []) or ["(?!)"])
        self.speech_ends = re.compile(_alt(perp.get("speech_ends", []) or ["(?!)"]), re.I)
        # A crime stands right after "with" or "of", past nothing but its count ("with six counts of murder").
        stop = rf"(?!(?:{_alt(perp.get('crime_gap', []))})\b)" if perp.get("crime_gap") else ""
        crimes = _alt(perp.get("crimes", []) or ["(?!)"])
        self.crimes = re.compile(rf"\b(?:with|of)\s+(?:{stop}[\w-]+\s+){{0,4}}?(?:{crimes})\b", re.I)
        self.indefinite_act = _words(perp.get("indefinite", []) or ["(?!)"])
        self.not_this_time = _words(perp.get("not_this_time", []) or ["(?!)"])
        # The words just before an act that point at it (a weekday's: "Sunday's" is a possessive).
        pointing = _alt(perp.get("definite", []) or ["(?!)"])
        self.definite_act = re.compile(rf"(?<![\w])(?:{pointing})\s+(?:\w+\s+){{0,2}}$", re.I)
        self.event_words = _words([c for k in ev["kinds"].values() for c in k["cues"]] + ["claimed responsibility"])
        self.topics = [(t["name"], _words(t["cues"])) for t in ev.get("topics", [])]
        # casualties
        self.death = _words(ca["death"])
        self.injury = _words(ca["injury"])
        self.injury_in_illness = _words([w for w in ca["injury"] if w not in ca["injury_not_in_illness"]])
        self.casualty_any = _words(ca["death"] + ca["injury"] + ca["other"])
        modifier = rf"(?:(?:{_alt(ca.get('not_people_modifiers', []))})\s+)?" if ca.get("not_people_modifiers") else ""
        self.not_people_after = re.compile(rf"\s*{modifier}(?:{_alt(ca['not_people'])})(?![\w])", re.I)
        self.not_people_before = re.compile(rf"(?<![\w])(?:{_alt(ca['not_people_before'])})\s*$")
        self.people_after = re.compile(rf"\s+(?:{_alt(ca['people'])})\b", re.I)
        self.subset = re.compile(rf"\b(?:{_alt(ca['subset'])})\s*$", re.I)
        self.subset_after = re.compile(rf"\s+(?:{_alt(ca['subset_after'])})\b", re.I)
        self.vague_readings = {k.lower(): tuple(v) for k, v in ca["vague"].items()}
        self.perpetrator = _words(ca["perpetrators"]["nouns"])
        # speech
        self.speech_verb = _words(sp["speech_verbs"])
        self.speaker_verbs = _alt(sp["speaker_verbs"])
        self.inverted_verbs = _alt(sp["inverted_verbs"])
        self.source_follows_verb = re.compile(rf"(?:{_alt(sp['source_follows_verbs'])})", re.I)
        after = _alt([*sp["speaker_after_verbs"], *sp["source_follows_verbs"]])
        self.speaker_after_verb = re.compile(rf"(?:{after})", re.I)
        self.auxiliaries = frozenset(sp["auxiliaries"])
        self.not_figure_verb = _words(sp["not_figure_verbs"])
        self.report_verb = _words(sp["report_verbs"])
        self.toll_nouns = _alt(sp["toll_nouns"])
        self.audiences = _alt(sp["audiences"])
        self.relay_media = _alt(sp["relay_media"])
        # dates
        self.months = tuple(da["months"])
        self.month_abbreviations = tuple(da["month_abbreviations"])
        self.weekdays = tuple(da["weekdays"])
        self.relative_days = tuple(da["relative_days"])
        self.background = _words(da["background"])
        # noise
        self.noise_line = re.compile(rf"^\s*(?:{_alt(no['lines'])})\s*$", re.I)
        self.noise_phrase = re.compile(rf"(?<![\w])(?:{_alt(no['phrases'])})(?![\w])", re.I)
        self.noise_phrase_words = int(no["max_phrase_line_words"])
        # actors
        self.word_folds = dict(ac["word_folds"])
        self.aliases = {canon: (spec["kind"], tuple(spec["forms"])) for canon, spec in ac["aliases"].items()}
        self.alias_forms = frozenset(f for canon, (_, forms) in self.aliases.items() for f in (canon, *forms))
        self.actor_kind_words = {kind: _words(words) for kind, words in ac["kinds"].items() if kind != "members"}
        self.members = re.compile(rf"\s+(?:{_alt(ac['kinds']['members'])})$", re.I)
        self.title_extra = frozenset(w.lower() for w in ac["titles"]["extra"])
        self.title_modifiers = frozenset(w.lower() for w in ac["titles"]["modifiers"])
        self.event_heads = re.compile(rf"\b(?:{_alt(ac['not_actors']['event_heads'])})\W*$", re.I)
        self.pronouns = frozenset(w.lower() for w in la["pronouns"])
        self.unnamed_speakers = self.pronouns | frozenset(w.lower() for w in la["unnamed_speakers"])
        self.abbreviations = frozenset(w.lower() for w in [*la["abbreviations"], *da["month_abbreviations"]])
        self.function_words = frozenset(w.lower() for w in [*la["function_words"], *self.pronouns,
                                                            *da["months"], *da["weekdays"]])
        self.name_connectors = frozenset(la["name_connectors"])
        self.group_adjective_endings = tuple(e for e in pl["adjective_endings"] if len(e) > 2 and not e.endswith("s"))
        self.title_modifier_words = frozenset(ac["titles"]["modifiers"])
        heads = [*la["source_nouns"], *(w for k in ("media", "organization", "armed_group") for w in ac["kinds"][k]),
                 *ac["kinds"]["members"]]
        self.source_head = re.compile(rf"(?:{_alt(heads)})", re.I)
        self.not_lowercase_sources = frozenset(la["not_lowercase_sources"])
        self.not_subject = frozenset(la["not_subject"])
        self.between_subject_and_verb = tuple(la["between_subject_and_verb"])
        self.clause_openers = tuple(la["clause_openers"])
        self.clause_words = tuple(la["clause_words"])
        self.auxiliary_verbs = tuple(la["auxiliary_verbs"])
        self.verb_adverbs = tuple(la["verb_adverbs"])
        self.acronym_connectors = tuple(la["acronym_connectors"])
        self.place_name_particles = tuple(la["place_name_particles"])
        self.surname_prefixes = tuple(la["surname_prefixes"])
        self.article_prefixes = tuple(la["article_prefixes"])
        self.sentence_starters = frozenset(la["sentence_starters"])
        self.background_prepositions = tuple(da["background_prepositions"])
        self.date_prepositions = tuple(da["date_prepositions"])
        self.said_on_verbs = _alt(da.get("said_on_verbs", ["said"]))
        # places
        self.place_generic = frozenset(pl["generic"])
        self.place_descriptors = frozenset(pl["descriptors"])
        self.place_glue = frozenset(pl["glue"])
        self.place_adjective_endings = tuple(pl["adjective_endings"])
        self.place_sites = _words(pl["sites"])
        self.company_heads = _words(pl["company_heads"])
        self.place_containers = _alt(pl["containers"])
        self.place_directions = _alt(pl["directions"])
        self.locatives = tuple(pl["locatives"])
        self.own_place_locatives = tuple(pl["own_place_locatives"])

    def compiled(self, key: str, build: Callable[[Lexicon], T]) -> T:
        """A value built from this lexicon once (a regex that combines several lists)."""
        if key not in self._built:
            self._built[key] = build(self)
        return self._built[key]

    def kind_family(self, kind: str) -> str:
        spec = self.kinds.get(kind)
        return spec.family if spec else "other"

    def is_incident(self, kind: str) -> bool:
        return self.kind_family(kind) in self.incident_families


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read lexicon file {path}: {exc}; fix the file or drop --lexicon") from exc


@cache
def load(extra: tuple[str, ...] = ()) -> Lexicon:
    """The built-in lexicon, extended by the user's files (each a TOML file whose top-level tables
    are named like the built-in files: ``[events.kinds.landslide]``, ``[actors.aliases."X"]``)."""
    data = {name: _read(_DIR / f"{name}.toml") for name in FILES}
    for path in extra:
        user = _read(Path(path))
        unknown = sorted(set(user) - set(FILES))
        if unknown:
            raise ConfigError(f"lexicon file {path}: unknown table(s) {', '.join(unknown)}; "
                              f"use one of {', '.join(FILES)}")
        for name, table in user.items():
            data[name] = _merge(data[name], table)
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    version = hashlib.sha256(blob).hexdigest()[:12]
    try:
        return Lexicon(data, version)
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise ConfigError(f"the lexicon is malformed ({type(exc).__name__}: {exc}); check --lexicon files") from exc


_ACTIVE: contextvars.ContextVar[Lexicon | None] = contextvars.ContextVar("summarizer_lexicon", default=None)


def current() -> Lexicon:
    """The lexicon of the run in progress; the built-in one outside any run."""
    return _ACTIVE.get() or load()


@contextmanager
def using(lex: Lexicon) -> Iterator[Lexicon]:
    token = _ACTIVE.set(lex)
    try:
        yield lex
    finally:
        _ACTIVE.reset(token)
