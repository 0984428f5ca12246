"""Sentence questions answer from the text's own values: the phrases that could name someone,
the options grounding keeps per field, the questions the text settles with no call, and the
stricter attribution those options rely on (sentences written for these tests)."""

from __future__ import annotations

import pytest

from summarizer.extraction import options as opts
from summarizer.extraction.candidates import select_candidates
from summarizer.grounding.attribution import Span, gives_figure
from summarizer.grounding.context import acronyms_in
from summarizer.grounding.statement import ground_statement
from summarizer.ingest.article import make_article
from summarizer.language.names import derive_actors
from summarizer.language.phrases import name_phrases
from summarizer.language.sentences import split_sentences
from summarizer.merge.actors import ActorIndex
from summarizer.schemas import ArticleExtraction, Citation, DiplomaticStatement, Mention, StatementKind


def phrases(text: str) -> list[str]:
    return [p.text for p in name_phrases(text, 0, len(text))]


# --- the phrases that could name someone --------------------------------------------------


@pytest.mark.parametrize("text, offered, not_offered", [
    ("The Northland Monitor for Human Rights said 12 died.",
     ["The Northland Monitor for Human Rights", "Northland Monitor for Human Rights"],
     ["Monitor", "Human Rights"]),
    ("Officials in Eastby and the Riverside Council met.",
     ["Eastby", "Riverside Council", "the Riverside Council"], []),
    ("Northland state media said a hospital official confirmed it.",
     ["Northland state media", "a hospital official"], ["Northland", "media", "official", "a hospital"]),
    ("US Secretary of State Jane Smith said it.", ["US Secretary of State Jane Smith", "Jane Smith"], []),
    ("Northland's Foreign Ministry said it.", ["Northland's Foreign Ministry"], ["Northland", "Foreign Ministry"]),
    ("Two people died, police said.", ["police"], ["Two", "Two people"]),
    ("Explosions shook the town. Later explosions were heard.", [], ["Explosions"]),
    ("Ominously, Brown warned of more.", ["Brown"], ["Ominously"]),
    ("The Freedonian president spoke. A Freedonian official said so.", ["A Freedonian official"], ["Freedonian"]),
    ("Westport: Bombs claimed by the Front killed 9.", ["the Front", "Front"], ["Westport"]),
    ("Smith said the Riverside operation was over.", ["Smith"], ["Riverside", "the Riverside"]),
    ("Lt. Gen. Bob Cone said no one was hurt.", ["Lt. Gen. Bob Cone", "Bob Cone"], ["Lt", "Gen"]),
    ("Defense Secretary Robert M. Gates spoke.", ["Defense Secretary Robert M. Gates", "Robert M. Gates"], []),
    ("The Northtown Daily reported the governor of Eastby as saying so.",
     ["the governor of Eastby", "The Northtown Daily"], []),
])
def test_name_phrases(text: str, offered: list[str], not_offered: list[str]) -> None:
    found = phrases(text)
    for p in offered:
        assert p in found, (p, found)
    for p in not_offered:
        assert p not in found, (p, found)


def test_name_phrases_offsets_are_the_texts_characters() -> None:
    text = "Residents said the Riverside Council and Mayor Ann Lee met in Eastby."
    for p in name_phrases(text, 0, len(text)):
        assert text[p.start:p.end] == p.text


def test_name_phrases_stay_linear_on_a_huge_text() -> None:
    text = "Smith said the talks failed. " * 20000
    found = name_phrases(text, len(text) - 60, len(text))
    assert {p.text for p in found} == {"Smith"}


# --- options: the values grounding keeps, and the answers the text settles ------------------


def _article(text: str):
    return make_article(text, id="a")


def _ask(kind: str, text: str, sentence: int = -1) -> opts.Options:
    article = _article(text)
    s = split_sentences(article.text)[sentence]
    return opts.options(kind, article, s)


def test_one_reading_per_field_is_answered_without_the_model() -> None:
    o = _ask("casualty_sentence", "Police said 12 people were killed in Lyon on Monday.")
    assert o.allowed == {"killed": [12], "injured": [], "place": ["Lyon"], "claimed_by": ["Police"]}
    assert o.answer is not None and o.answer.model_dump() == {
        "killed": 12, "injured": None, "place": "Lyon", "claimed_by": "Police"}


def test_two_counts_or_two_sources_are_asked() -> None:
    o = _ask("casualty_sentence",
             "Early counts said 9 people were killed in Lyon before a later blast killed 14, the ministry and "
             "the Red Cross said.")
    assert o.answer is None
    assert sorted(o.allowed["killed"]) == [9, 14]


def test_a_place_or_a_perpetrator_is_never_offered_as_a_source() -> None:
    o = _ask("casualty_sentence", "Blasts tore through Eastby and Westport, killing 30 people, according to reports.")
    assert o.allowed["claimed_by"] == []  # the names before 'according to' are no source
    assert set(o.allowed["place"]) >= {"Eastby", "Westport"}
    o = _ask("casualty_sentence", "Northland blamed the Front for the attack which killed 28.")
    assert "the Front" not in o.allowed["claimed_by"] and "Front" not in o.allowed["claimed_by"]


def test_statement_with_one_speaker_is_read_and_with_none_is_not_asked() -> None:
    o = _ask("statement_sentence", '"We will rebuild," Mayor Ann Lee said on Monday.')
    assert o.answer is not None and o.answer.model_dump() == {"speaker": "Ann Lee"}
    o = _ask("statement_sentence", 'A crowd gathered. "He is alive," a man shouted.')
    assert o.answer is None and o.nothing is not None and o.nothing[0] == "no_named_speaker"


def test_a_vague_count_is_offered_and_kept_as_words() -> None:
    o = _ask("casualty_sentence", "The blast in Eastby wounded dozens of people, police said.")
    assert o.allowed["injured"] == [12] and o.answer is not None
    article = _article("The blast in Eastby wounded dozens of people, police said.")
    s = split_sentences(article.text)[0]
    from summarizer.extraction import drafts
    out = drafts.ground_casualty(o.answer, {"article": article, "evidence": s.text, "window": (s.start, s.end)})
    assert out.record.injured.value is None and out.record.injured.words == "dozens"


def test_hospitalized_with_an_illness_is_a_case_and_after_an_attack_an_injury() -> None:
    o = _ask("casualty_sentence", "Over 1,300 people have been hospitalized with flu-like symptoms.")
    assert o.allowed["injured"] == [] and o.answer is not None  # read from the text, never asked
    article = _article("Over 1,300 people have been hospitalized with flu-like symptoms.")
    s = split_sentences(article.text)[0]
    from summarizer.extraction import drafts
    out = drafts.ground_casualty(o.answer, {"article": article, "evidence": s.text, "window": (s.start, s.end)})
    assert out.record.injured is None
    assert out.record.hospitalized.value == 1300 and out.record.hospitalized.words == "Over 1,300"
    o = _ask("casualty_sentence", "After the shooting, 27 remained hospitalized.")
    assert o.allowed["injured"] == [27]


def test_an_outlet_is_no_perpetrator() -> None:
    o = _ask("event_sentence", "Images showed the blasts, the Northtown Times discovered, and the Front claimed them.")
    assert "the Front" in o.allowed["perpetrator"] and not any("Times" in p for p in o.allowed["perpetrator"])


def test_no_perpetrator_is_offered_for_an_earthquake() -> None:
    o = _ask("event_sentence", "The earthquake struck as President Smith visited Eastby.")
    assert o.allowed["perpetrator"] == []


def test_no_one_is_no_count() -> None:
    o = _ask("casualty_sentence", "Two soldiers were wounded, and no one in the theater was hurt.")
    assert o.allowed["injured"] == [2]


def test_a_clause_after_said_is_not_its_speaker() -> None:
    o = _ask("statement_sentence", "Lt. Gen. Bob Cone said the female officer who shot him was hurt.")
    assert o.answer is not None and o.answer.model_dump() == {"speaker": "Bob Cone"}


def test_statement_options_are_what_grounding_keeps() -> None:
    o = _ask("statement_sentence", '"Talks failed," Smith told Brown in Eastby, according to the Daily Star.')
    assert set(o.allowed["speaker"]) == {"Smith", "Daily Star", "the Daily Star"}  # never Brown, never Eastby
    assert o.answer is None


def test_event_with_no_actor_and_one_kind_is_read() -> None:
    o = _ask("event_sentence", "A magnitude 6.1 earthquake struck the valley overnight.")
    assert o.answer is not None and o.answer.model_dump() == {"kind": "earthquake", "perpetrator": None}
    # One name the text says did it is one reading too: read, not asked (grounding checked it already).
    o = _ask("event_sentence", "The Front claimed the bombing of the bridge.")
    assert o.answer is not None and o.answer.perpetrator in ("The Front", "Front")
    assert "The Front" in o.allowed["perpetrator"]
    o = _ask("event_sentence", "The Front claimed the bombing of the bridge, and the Northern Army carried out "
                               "the shelling.")
    named = {a.removeprefix("the ") for a in o.allowed["perpetrator"]}
    assert o.answer is None and {"The Front", "Northern Army"} <= named


def test_every_option_grounds() -> None:
    text = ("Smith met Brown in Eastby on Monday. He said the Front had killed 12 people and wounded 40, "
            "according to the Northland Monitor.")
    article = _article(text)
    s = split_sentences(text)[-1]
    o = opts.options("casualty_sentence", article, s)
    from summarizer.extraction import drafts
    ctx = {"article": article, "evidence": s.text, "window": (s.start, s.end)}
    for who in o.allowed["claimed_by"]:
        out = drafts.ground_casualty(drafts.CasualtyFields.model_construct(
            killed=12, injured=None, place=None, claimed_by=who), ctx)
        assert out.record is not None and not out.issues, who


# --- attribution, stricter ------------------------------------------------------------------


def test_according_to_takes_its_source_after_it() -> None:
    text = "Blasts hit Eastby, killing 30, according to the Monitor."
    assert not gives_figure(text, Span(11, 17), 0, len(text))  # Eastby
    m = text.index("the Monitor")
    assert gives_figure(text, Span(m, m + len("the Monitor")), 0, len(text))


def test_the_object_of_a_verb_is_no_speaker_and_a_stance_is_no_source() -> None:
    text = "Northland said the Front killed 28."
    f = text.index("the Front")
    assert gives_figure(text, Span(0, 9), 0, len(text))  # the subject of 'said'
    assert not gives_figure(text, Span(f, f + 9), 0, len(text))  # what was said, not who said it
    text = "Killed 28, said the Front."
    f = text.index("the Front")
    assert gives_figure(text, Span(f, f + 9), 0, len(text))  # after the words, 'said X' names the speaker
    text = "Northland blamed the Front for the attack which killed 28."
    f = text.index("the Front")
    assert not gives_figure(text, Span(0, 9), 0, len(text))  # blaming states a stance, not the toll
    assert not gives_figure(text, Span(f, f + 9), 0, len(text))


def test_he_refers_back_to_the_speaker_of_the_sentence_before() -> None:
    text = "Smith said he had spoken with Brown and Jones. He said talks would resume."
    article = _article(text)
    evidence = split_sentences(text)[-1].text
    assert ground_statement(article, evidence=evidence, speaker="Smith", quote=None).record is not None
    assert ground_statement(article, evidence=evidence, speaker="Jones", quote=None).record is None


# --- the report counts what was read -------------------------------------------------------


def test_questions_read_from_the_text_are_counted_and_the_report_adds_up(fake_backend_cls=None) -> None:
    from conftest import FakeBackend

    from summarizer.extraction.strategies import extract
    from summarizer.settings import Settings

    text = ("Police said 12 people were killed in Lyon on Monday. "
            '"We will rebuild," Mayor Ann Lee said. '
            "Officials said 3 were hurt and 2 died in Nice, the ministry and the Red Cross said.")
    article = _article(text)
    cands = select_candidates(article)
    fake = FakeBackend(default={"killed": 2, "injured": 3, "place": "Nice", "claimed_by": "the Red Cross"})
    ex = extract(article, fake, Settings(strategy="sentence", text_options="on"))
    asked = len(cands.casualty) + len(cands.statement) + len(cands.event)
    r = ex.grounding
    assert r.read_from_text == asked - len([h for h in fake.history if h.attempt == 1]) >= 2
    assert {c.killed.value for c in ex.casualties if c.killed} == {12, 2}
    for h in fake.history:  # the one question asked offered only the text's values
        assert h.choices["claimed_by"] and all(v in text for v in h.choices["claimed_by"])
    assert r.kept + r.repaired + r.salvaged + r.dropped_records >= asked


# --- merge: a person is shown by name, not title -------------------------------------------


def test_an_actor_is_shown_by_its_fullest_name_without_titles() -> None:
    text = "US Secretary of State Jane Smith said so. Jane Smith said more. Smith said it again."
    stmts = []
    for name in ("US Secretary of State Jane Smith", "Jane Smith", "Smith"):
        i = text.index(name)
        c = Citation(article_id="a", start=i, end=i + len(name), text=name)
        stmts.append(DiplomaticStatement(speaker=Mention(value=name, citation=c), kind=StatementKind.PARAPHRASE,
                                         text=Mention(value=name, citation=c), evidence=c))
    index = ActorIndex([ArticleExtraction(article_id="a", sha256="0", statements=stmts,
                                          actors=derive_actors([], [], stmts))], acronyms_in(text))
    assert index.name_of("Smith") == "Jane Smith"
