"""Grounding issues: what failed, told to the model on a re-ask and counted in the report.

Each message carries its reason in one word (``code``), so a report can count drops by reason
while the model still reads the full sentence ("'150' does not occur in the cited text: …").
"""

from __future__ import annotations

from .schemas import GroundingIssue

DROPPED_FIELD = "dropped_field"
DROPPED_RECORD = "dropped_record"
SET_ASIDE = "set_aside"

# The reason in one word, for the report's counts: read off the message so each message has one.
_CODES = [
    ("does not occur in the cited text", "not_in_text"),
    ("counts things", "counts_things"),
    ("is a part (", "part_of_figure"),
    ("is not stated as a", "not_a_casualty_figure"),
    ("no figure given", "no_figure"),
    ("evidence quote does not occur", "evidence_not_found"),
    ("the cited sentence names its own place", "other_place"),
    ("is named only in the sentence before", "only_in_sentence_before"),
    ("does not occur in the cited sentence", "not_in_sentence"),
    ("does not occur near", "not_in_sentence"),
    ("not a pronoun", "pronoun_speaker"),
    ("only occurs inside the quoted words", "speaker_inside_quote"),
    ("does not say that", "no_speech_verb"),
    ("quote does not match", "quote_mismatch"),
    ("not inside quotation marks", "quote_not_in_marks"),
    ("does not attribute these quoted words", "quote_not_attributed"),
    ("is not what the cited sentence describes", "kind_unsupported"),
    ("does not match the article's characters", "citation_unverified"),
    ("reads as an instruction to an AI", "injection"),
    ("not as the source of the figure", "not_the_source"),
    ("is not the name of who acted", "not_an_actor"),
    ("names an organisation, not a place", "not_a_place"),
]


def issue(record: str, fld: str, value: object, reason: str, action: str = DROPPED_FIELD) -> GroundingIssue:
    code = "answer_unusable" if fld == "answer" else next((c for text, c in _CODES if text in reason), "other")
    return GroundingIssue(record=record, field=fld, value=str(value), reason=reason, code=code, action=action)


def short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
