"""Who said it, who claimed it, where and what: quotes tied to their speaker's verb, relay
chains, places from the evidence sentence, event kinds held to the words.

Hand-written article texts are named fixtures below; the rest reads the real seed articles.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from summarizer.extraction import drafts
from summarizer.grounding.align import verify
from summarizer.grounding.attribution import relay_chains
from summarizer.grounding.casualty import ground_casualty
from summarizer.grounding.event import ground_event
from summarizer.grounding.statement import ground_statement
from summarizer.ingest.article import Article, make_article
from summarizer.ingest.load import load_many
from summarizer.schemas import AlignmentStatus, Citation, EventKind, StatementKind

SEED_DIR = Path(__file__).parents[1] / "examples" / "syria-2016-02-21"
A000, A001, A002, A003, A004 = (
    "000_5cc7b69a88d6dcba", "001_8b3ceabd25f84930", "002_f10bd3d55a7c6ec0",
    "003_48d9e600cfd96bad", "004_b88e61feec37bad1",
)

# Named hand-written fixtures (not from the corpus): each isolates one attribution pattern.
TWO_SPEAKERS = (
    "Kerry met Lavrov in Munich on Friday. Lavrov said the talks were useful, while Kerry warned: "
    "\"This war cannot and will not end without a deal.\"\n"
)
RELAYS = {
    "citing": "Reuters, citing a police source, said 12 people were killed in the blast.",
    "according_citing": "At least 12 people were killed, according to SANA, citing the governor of Homs.",
    "told": "A security official told AFP that 12 people were killed in the blast.",
    "quoting": "SANA reported, quoting the health ministry, that 12 people were killed in the blast.",
    "quoted_as": "SANA quoted the governor of Homs as saying that 12 people were killed in the blast.",
}
OWN_PLACE = "A car bomb exploded in Homs on Sunday. In Damascus, at least 50 people were killed by two blasts.\n"


@pytest.fixture(scope="module")
def seed() -> dict[str, Article]:
    return {a.id: a for a in load_many([SEED_DIR]).articles}


def _verified(article: Article, record: object) -> None:
    def walk(o: object) -> None:
        if isinstance(o, Citation):
            assert verify(o, article), o
        elif isinstance(o, BaseModel):
            for name in type(o).model_fields:
                walk(getattr(o, name))
        elif isinstance(o, list):
            for x in o:
                walk(x)
    walk(record)


# --- quotes belong to the speaker whose verb introduces them --------------------------------


def test_quote_of_another_speaker_in_the_same_sentence_is_not_attributed():
    art = make_article(TWO_SPEAKERS, id="two-speakers")
    evidence = TWO_SPEAKERS.split(". ", 1)[1].strip()
    quote = "This war cannot and will not end without a deal."
    # Kerry's verb introduces the quote: kept as Kerry's
    ok = ground_statement(art, evidence=evidence, speaker="Kerry", quote=quote)
    assert ok.issues == []
    d = ok.record.model_dump()
    assert (d["speaker"]["value"], d["kind"], d["text"]["value"]) == ("Kerry", StatementKind.QUOTE, quote)
    assert d["speaker"]["citation"]["start"] == art.text.index("Kerry warned")  # not "Kerry met"
    _verified(art, ok.record)
    # Lavrov is in the sentence, with a speech verb, but not the verb that introduces the quote
    bad = ground_statement(art, evidence=evidence, speaker="Lavrov", quote=quote)
    assert [(i.field, i.code, i.action) for i in bad.issues] == [
        ("quote", "quote_not_attributed", "dropped_field")]
    assert "'Lavrov'" in bad.issues[0].reason
    d = bad.record.model_dump()  # what Lavrov did say is kept as a paraphrase, not as the quote
    assert (d["speaker"]["value"], d["kind"]) == ("Lavrov", StatementKind.PARAPHRASE)
    assert quote not in d["text"]["value"] or d["text"]["value"] == d["evidence"]["text"]
    assert d["text"]["citation"] == d["evidence"]
    # with no quote proposed (the sentence strategy), Lavrov does not get Kerry's words either
    auto = ground_statement(art, evidence=evidence, speaker="Lavrov", quote=None)
    assert auto.record.kind == StatementKind.PARAPHRASE
    auto_kerry = ground_statement(art, evidence=evidence, speaker="Kerry", quote=None)
    assert (auto_kerry.record.kind, auto_kerry.record.text.value) == (StatementKind.QUOTE, quote)


def test_speaker_named_in_sentence_before_quote_only_when_the_quote_says_he(seed):
    art = seed[A000]
    evidence = ("He reiterated that the conflict would only end once Assad was removed from power, "
                "stating, “With Assad there, this war cannot and will not end.”")
    out = ground_statement(art, evidence=evidence, speaker="Kerry", quote=None)
    assert out.issues == []
    d = out.record.model_dump()
    assert d["kind"] == StatementKind.QUOTE
    assert d["text"]["value"] == "With Assad there, this war cannot and will not end."
    assert out.record.speaker.citation.end <= out.record.evidence.start  # "Kerry warned" before
    _verified(art, out.record)
    # Assad is named in the quote's own sentence, but only inside the quoted words or as its topic
    other = ground_statement(art, evidence=evidence, speaker="Assad", quote="With Assad there, this war cannot")
    assert other.record is None or other.record.kind == StatementKind.PARAPHRASE
    assert any(i.code in {"quote_not_attributed", "no_speech_verb"} for i in other.issues)


def test_bare_quote_continuing_the_speaker_before_is_attributed(seed):
    art = seed[A002]
    out = ground_statement(art, evidence="“It will be liberated by car bombs and suicide belts.”",
                           speaker="ISIS loyalist", quote=None)
    assert out.issues == []
    d = out.record.model_dump()
    assert d["kind"] == StatementKind.QUOTE
    assert d["text"]["value"] == "It will be liberated by car bombs and suicide belts."
    assert d["speaker"]["value"] == "ISIS loyalist"
    _verified(art, out.record)


def test_quote_introduced_by_participle_shares_the_subject(seed):
    art = seed[A001]
    out = ground_statement(
        art, evidence="\"The modalities for a cessation of hostilities are now being completed,\" Kerry said, "
        "adding that it was \"possible over the course of these next hours.\"",
        speaker="Kerry", quote="possible over the course of these next hours.",
    )
    assert out.issues == []
    assert out.record.kind == StatementKind.QUOTE
    assert out.record.text.value == "possible over the course of these next hours."


def test_words_outside_quotation_marks_are_not_a_quote(seed):
    art = seed[A004]
    out = ground_statement(art, evidence="We want people to come back to Syria, he told reporters.",
                           speaker="Mr Assad", quote="We want people to come back to Syria")
    assert [(i.field, i.code, i.action) for i in out.issues] == [("quote", "quote_not_in_marks", "dropped_field")]
    d = out.record.model_dump()
    assert (d["kind"], d["speaker"]["value"], d["audience"]["value"]) == (StatementKind.PARAPHRASE, "Mr Assad",
                                                                        "reporters")
    _verified(art, out.record)


def test_scare_quotes_are_not_the_statement(seed):
    art = seed[A003]
    out = ground_statement(
        art, evidence="U.S. Secretary of State John Kerry said Sunday a 'provisional agreement' has been made with "
        "Russia for a ceasefire in Syria's five-year civil war",
        speaker="John Kerry", quote=None,
    )
    assert out.issues == []
    assert out.record.kind == StatementKind.PARAPHRASE  # two quoted words are not what he said


def test_named_actor_without_a_speech_verb_said_nothing():
    art = make_article(TWO_SPEAKERS, id="two-speakers")
    out = ground_statement(art, evidence="Kerry met Lavrov in Munich on Friday.", speaker="Lavrov", quote=None)
    assert out.record is None
    assert [(i.field, i.code, i.action) for i in out.issues] == [("speaker", "no_speech_verb", "dropped_record")]


# --- relay chains: claimant via relay --------------------------------------------------------


@pytest.mark.parametrize("case,claimed_by,claimant,via", [
    ("citing", "a police source", "a police source", "Reuters"),
    ("citing", "Reuters", "a police source", "Reuters"),
    ("according_citing", "SANA", "the governor of Homs", "SANA"),
    ("according_citing", "the governor of Homs", "the governor of Homs", "SANA"),
    ("told", "AFP", "A security official", "AFP"),
    ("told", "A security official", "A security official", "AFP"),
    ("quoting", "SANA", "the health ministry", "SANA"),
    ("quoted_as", "SANA", "the governor of Homs", "SANA"),
    ("quoted_as", "the governor of Homs", "the governor of Homs", "SANA"),
])
def test_relay_chain_keeps_claimant_and_relay(case, claimed_by, claimant, via):
    text = RELAYS[case]
    art = make_article(text + "\n", id=f"relay-{case}")
    out = ground_casualty(art, evidence=text, killed=12, injured=None, place=None, claimed_by=claimed_by)
    assert out.issues == []
    d = out.record.model_dump()
    assert (d["claimed_by"]["value"], d["via"]["value"]) == (claimant, via)
    for m in (d["claimed_by"], d["via"]):
        c = m["citation"]
        assert art.text[c["start"]:c["end"]] == c["text"] == m["value"]
        assert out.record.evidence.start <= c["start"] < c["end"] <= out.record.evidence.end


def test_told_reporters_is_an_audience_not_a_relay():
    text = "The governor told reporters that 12 people were killed in the blast."
    assert relay_chains(text, 0, len(text)) == []
    art = make_article(text + "\n", id="told-reporters")
    out = ground_casualty(art, evidence=text, killed=12, injured=None, place=None, claimed_by="The governor")
    assert (out.record.claimed_by.value, out.record.via) == ("The governor", None)


def test_sana_relays_the_governor_of_homs_on_the_seed(seed):
    art = seed[A004]
    evidence = ("Syria’s official SANA news agency, for its part, quoted the governor of Homs as saying that "
                "25 people had been killed and 39 injured by the twin blasts.")
    out = ground_casualty(art, evidence=evidence, killed=25, injured=39, place="Homs",
                          claimed_by="the governor of Homs")
    d = out.record.model_dump()
    assert d["claimed_by"]["value"] == "the governor of Homs"
    assert d["via"]["value"] == "Syria’s official SANA news agency"  # the subject of "quoted", asides removed
    _verified(art, out.record)


# --- places: in the evidence sentence, never merely nearby ----------------------------------


def test_place_from_sentence_before_is_rejected_when_the_sentence_names_its_own():
    art = make_article(OWN_PLACE, id="own-place")
    evidence = "In Damascus, at least 50 people were killed by two blasts."
    out = ground_casualty(art, evidence=evidence, killed=50, injured=None, place="Homs", claimed_by=None)
    assert out.record.place is None
    assert [(i.field, i.value, i.code, i.action) for i in out.issues] == [
        ("place", "Homs", "other_place", "dropped_field")]
    assert "In Damascus" in out.issues[0].reason
    ok = ground_casualty(art, evidence=evidence, killed=50, injured=None, place="Damascus", claimed_by=None)
    assert ok.issues == [] and ok.record.place.citation.status == AlignmentStatus.EXACT


def test_place_nowhere_near_is_rejected_and_dateline_is_not_a_place(seed):
    art = seed[A002]
    evidence = "The Syrian Observatory for Human Rights said 62 people died in the Damascus violence, Reuters reported."
    out = ground_casualty(art, evidence=evidence, killed=62, injured=None, place="Aleppo",
                          claimed_by="The Syrian Observatory for Human Rights")
    assert out.record.place is None
    assert [(i.field, i.code) for i in out.issues] == [("place", "not_in_sentence")]
    # the claimant must be in the evidence's own sentence too: "SANA" of a nearby sentence is not
    far = ground_casualty(art, evidence=evidence, killed=62, injured=None, place="Damascus", claimed_by="Amaq")
    assert far.record.claimed_by is None
    assert [(i.field, i.code) for i in far.issues] == [("claimed_by", "only_in_sentence_before")]


# --- event kinds: the proposal must be borne out by the words ------------------------------


HOMS_BOMBS = "The Observatory said 57 people, including 11 women, were killed by two car bombs set off in a mostly " \
             "Alawite neighborhood."


@pytest.mark.parametrize("proposed,final", [
    ("bombing", EventKind.BOMBING),
    ("attack", EventKind.BOMBING),  # a bombing is an attack: refined, no issue
    ("other", EventKind.BOMBING),  # "other" names nothing: the words decide
])
def test_supported_event_kind_is_kept_or_refined(seed, proposed, final):
    out = ground_event(seed[A001], evidence=HOMS_BOMBS, kind=proposed, place=None, perpetrators=[])
    assert out.issues == []
    assert out.record.kind == final


@pytest.mark.parametrize("proposed", ["airstrike", "agreement", "military_operation", "not-a-kind"])
def test_unsupported_event_kind_is_reported_and_read_from_the_words(seed, proposed):
    out = ground_event(seed[A001], evidence=HOMS_BOMBS, kind=proposed, place=None, perpetrators=[])
    assert out.record.kind == EventKind.BOMBING
    [issue] = out.issues
    assert (issue.field, issue.value, issue.code, issue.action) == ("kind", proposed, "kind_unsupported",
                                                                    "dropped_field")
    assert "its words make it 'bombing'" in issue.reason


def test_unsupported_event_kind_is_corrected_not_reasked(seed):
    """A kind is neither a number, a name nor a quote: the validator lets it through (no re-ask), and
    grounding settles the kind from the sentence's words and reports the correction."""
    art = seed[A001]
    start = art.text.index(HOMS_BOMBS)
    ctx = {"article": art, "evidence": HOMS_BOMBS, "window": (start, start + len(HOMS_BOMBS))}
    draft = drafts.EventFields.model_validate({"kind": "airstrike", "perpetrator": None}, context=ctx)
    outcome = drafts.ground_event(draft, ctx)
    assert outcome.record.kind.value == "bombing"
    assert [i.reason.split(" (")[0] for i in outcome.issues] == ["'airstrike' is not what the cited sentence describes"]
    with pytest.raises(ValidationError):  # a name the sentence does not hold is still re-asked
        drafts.EventFields.model_validate({"kind": "bombing", "perpetrator": "the Taliban"}, context=ctx)
