"""The newcomer stories (tests/fixtures/newcomer) read without a model: the values each sentence
question may take, and the one reading the text settles alone (issue 22, items 2 and 5). The expected
names are those of expected/<cluster>.json, written before the tool ran."""

from __future__ import annotations

from pathlib import Path

import pytest

import summarizer
from summarizer.extraction import options
from summarizer.language.sentences import article_sentences

HERE = Path(__file__).resolve().parent / "fixtures" / "newcomer"


def _options(cluster: str, article: str, opening: str, prompt: str) -> options.Options:
    art = next(a for a in summarizer.load([HERE / cluster]).articles if a.id.startswith(article))
    s = next(s for s in article_sentences(art) if s.text.startswith(opening))
    return options.options(prompt, art, s)


@pytest.mark.parametrize(("article", "opening", "injured"), [
    ("01_wire", "A fire at a bakery injured 7 workers", 7),
    ("02_agency", "Seven workers were injured on Friday", 7),
])
def test_a_toll_under_a_dateline_is_claimed_by_police(article: str, opening: str, injured: int) -> None:
    o = _options("bakery-fire-dateline", article, opening, "casualty_sentence")
    assert o.answer is not None
    assert o.answer.model_dump() == {"killed": None, "injured": injured, "place": None, "claimed_by": "police"}


def test_no_dateline_word_is_offered_anywhere_in_the_bakery_story() -> None:
    for a in summarizer.load([HERE / "bakery-fire-dateline"]).articles:
        for s in article_sentences(a):
            for prompt in ("casualty_sentence", "statement_sentence", "event_sentence"):
                offered = [v for vals in options.options(prompt, a, s).allowed.values() for v in vals]
                assert not {"DUNMORE", "SCRANTON", "Valley Press", "Pa"} & {str(v) for v in offered}, s.text


@pytest.mark.parametrize(("cluster", "article", "opening", "speakers"), [
    ("bakery-fire-dateline", "02_agency", "The cause of the fire", ["Helen Price"]),
    ("bakery-fire-dateline", "02_agency", "\"My people are my family,\"", ["Russo"]),
    ("factory-fire-dunmore", "01_local_paper", "\"Our crews got everyone", ["Rowe"]),
    ("tariff-dispute-canada", "02_industry", "Beijing warned", ["Beijing"]),
])
def test_the_speaker_the_text_gives(cluster: str, article: str, opening: str, speakers: list[str]) -> None:
    assert _options(cluster, article, opening, "statement_sentence").allowed["speaker"] == speakers


def test_the_two_sentence_quote_is_offered_to_the_woman_named_before() -> None:
    o = _options("factory-fire-dunmore", "02_union", "\"We warned management in March. They did nothing,\" she said.",
                 "statement_sentence")
    assert "Maria Lopez" in o.allowed["speaker"]


def test_the_fire_departments_14_and_no_place_from_the_companys_name() -> None:
    lead = _options("factory-fire-dunmore", "01_local_paper", "A fire tore through", "casualty_sentence")
    assert lead.allowed["claimed_by"] == ["the Dunmore Fire Department", "Dunmore Fire Department"]
    assert lead.allowed["place"] == ["Dunmore"]  # "Dunmore, Pennsylvania": the state says which Dunmore
    assert lead.answer is not None and lead.answer.model_dump() == {
        "killed": None, "injured": 14, "place": "Dunmore", "claimed_by": "Dunmore Fire Department"}
    union = _options("factory-fire-dunmore", "02_union", "The union representing", "casualty_sentence")
    assert union.allowed["claimed_by"] == ["the fire department", "fire department"]  # "reported by"; not "members"
    assert union.allowed["place"] == ["Dunmore"]
