"""Grounding issues: what failed, told to the model on a re-ask and counted in the report.

Each issue carries its reason twice: in one word (``code``), so a report can count drops by
reason, and in a full sentence (``reason``) for the model to read on a re-ask ("'150' does not
occur in the cited text: …"). The code is given where the issue is raised, never read back from
the sentence: rewording a message must not change what it counts as.
"""

from __future__ import annotations

from typing import Literal, get_args

from ..schemas import GroundingIssue

DROPPED_FIELD = "dropped_field"
DROPPED_RECORD = "dropped_record"
SET_ASIDE = "set_aside"
# Grounded at extraction, then left out of every event at merge (no place, no kind of its own).
NOT_MERGED = "not_merged"

Code = Literal[
    "not_in_text",  # a figure that does not occur in the cited sentence
    "counts_things",  # a figure that counts things, not people
    "part_of_figure",  # "including 12 …": a part of another figure
    "not_a_casualty_figure",  # the figure is not stated as a death / injury figure
    "no_figure",  # a casualty record with neither figure
    "evidence_not_found",  # the evidence quote does not occur in the article
    "other_place",  # the place is from the sentence before, but the cited sentence names its own
    "only_in_sentence_before",  # a name only the sentence before holds
    "not_in_sentence",  # a name neither the cited sentence nor the one before holds
    "pronoun_speaker",  # "he said": the speaker must be named
    "no_named_speaker",  # sentence strategy: the passage names nobody as saying it, so nothing was asked
    "speaker_inside_quote",  # the speaker's name only occurs inside the quoted words
    "no_speech_verb",  # nothing says the speaker said anything
    "quote_mismatch",  # the quote is not the article's words
    "quote_not_in_marks",  # the quote is not inside quotation marks
    "quote_not_attributed",  # the quoted words are not attributed to the speaker
    "kind_unsupported",  # the event kind is not what the sentence describes
    "citation_unverified",  # a citation that does not match the article's characters
    "injection",  # a passage that reads as an instruction to the model
    "not_the_source",  # named in the sentence, but not as the source of the figure
    "not_an_actor",  # not the name of a person, group, state or organization
    "not_who_did_it",  # a perpetrator the sentence does not say did it (or of a kind nobody perpetrates)
    "not_a_place",  # an organisation given as a place
    "answer_unusable",  # no usable answer at all
    "no_place",  # merge: an event sentence that names no place of its own beside placed events
    "no_kind",  # merge: an event sentence whose words name no kind of event, joining none
    "wrong_role",  # the number's role (read from its words) is not the figure's: a date, a name, cases…
    "projection",  # what could, may or is feared to happen: not a reported toll
    "mentioned_once",  # merge: a non-incident kind one sentence names beside news reported more than once
    "other",
]
CODES: tuple[str, ...] = get_args(Code)


def issue(record: str, fld: str, value: object, reason: str, action: str = DROPPED_FIELD, *,
          code: Code) -> GroundingIssue:
    """One grounding issue: ``record`` type, the field ``fld`` and its ``value``, the ``reason``
    as the model is told it, its ``code`` for counting, and what was done (``action``).

    >>> issue("casualty", "killed", 150, "'150' does not occur in the cited text", code="not_in_text").code
    'not_in_text'
    >>> issue("casualty", "killed", 150, "reworded: no such number here", code="not_in_text").code
    'not_in_text'
    """
    if code not in CODES:
        raise ValueError(f"unknown issue code {code!r}: add it to summarizer.grounding.issues.Code")
    return GroundingIssue(record=record, field=fld, value=str(value), reason=reason, code=code, action=action)


def short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def coded_issue(code: Code, record: str, fld: str, value: object, reason: str,
                action: str = DROPPED_FIELD) -> GroundingIssue:
    """``issue`` with its reason code first: each call below says what it counts as."""
    return issue(record, fld, value, reason, action, code=code)
