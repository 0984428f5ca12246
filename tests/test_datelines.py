"""Datelines are place and date of filing, never a name; a quote keeps its whole span (issue 22, items 2 and 5).

Hand-written texts in the shapes of the newcomer stories (tests/fixtures/newcomer), no model."""

from __future__ import annotations

import pytest

from summarizer.grounding import ground_casualty, ground_statement
from summarizer.ingest.article import make_article
from summarizer.language.datelines import datelines, in_dateline
from summarizer.language.phrases import name_phrases
from summarizer.language.sentences import split_sentences

WIRE = "DUNMORE, Pennsylvania — A fire at a bakery injured 7 workers, police said.\n"
AGENCY = ("SCRANTON, Pa. (Valley Press) — Seven workers were injured on Friday when fire swept through a "
          "bakery in the borough of Dunmore, according to police.\n")


@pytest.mark.parametrize(("text", "dateline", "place"), [
    (WIRE, "DUNMORE, Pennsylvania — ", "DUNMORE"),
    (AGENCY, "SCRANTON, Pa. (Valley Press) — ", "SCRANTON"),
    ("BEIRUT (Reuters) - Shelling killed 4 people.", "BEIRUT (Reuters) - ", "BEIRUT"),
    ("FORT HOOD, Texas -- Thirteen people died.", "FORT HOOD, Texas -- ", "FORT HOOD"),
    ("BEIRUT, Feb 21, 2016 (Reuters) - Shelling killed 4.", "BEIRUT, Feb 21, 2016 (Reuters) - ", "BEIRUT"),
    ("LONDON: The talks ended.", "LONDON: ", "LONDON"),
])
def test_datelines_are_found_with_their_place(text: str, dateline: str, place: str) -> None:
    (d,) = datelines(text)
    assert text[d.start:d.end] == dateline
    assert text[d.place[0]:d.place[1]] == place


@pytest.mark.parametrize("text", [
    "A fire at a bakery injured 7 workers, police said.",
    "Police said: the fire is out.",  # a capitalized word, not capitals
    "The mayor - a former firefighter - said 3 were hurt.",
    "He said US-led forces - not rebels - fired.",
])
def test_no_dateline_where_none_is_written(text: str) -> None:
    assert datelines(text) == []


def test_a_dateline_is_a_sentence_of_its_own_and_pa_ends_no_sentence() -> None:
    assert [s.text for s in split_sentences(WIRE)] == [
        "DUNMORE, Pennsylvania —", "A fire at a bakery injured 7 workers, police said."]
    sents = split_sentences(AGENCY)
    assert [s.text for s in sents][0] == "SCRANTON, Pa. (Valley Press) —"
    assert sents[1].text.startswith("Seven workers were injured") and sents[1].text.endswith("according to police.")


def test_names_in_a_dateline_are_never_offered() -> None:
    offered = [p.text for p in name_phrases(AGENCY, 0, len(AGENCY))]
    assert not any(w in offered for w in ("SCRANTON", "Pa", "Valley Press"))
    assert "Dunmore" in offered
    assert in_dateline(AGENCY, 0, 8) and not in_dateline(AGENCY, 100, 107)


def test_the_leads_toll_is_claimed_by_police_never_by_the_dateline() -> None:
    art = make_article(WIRE, id="wire")
    ok = ground_casualty(art, evidence="A fire at a bakery injured 7 workers, police said.",
                         killed=None, injured=7, place=None, claimed_by="police")
    rec = ok.record.model_dump()
    assert rec["injured"]["value"] == 7 and rec["claimed_by"]["value"] == "police"
    assert art.text[rec["injured"]["citation"]["start"]:rec["injured"]["citation"]["end"]] == "7"
    bad = ground_casualty(art, evidence="A fire at a bakery injured 7 workers, police said.",
                          killed=None, injured=7, place=None, claimed_by="DUNMORE")
    assert bad.record is not None and bad.record.claimed_by is None
    assert any(i.field == "claimed_by" for i in bad.issues)


def test_killed_under_a_dateline_is_never_claimed_by_it() -> None:
    text = "DUNMORE, Pennsylvania — A fire at a bakery killed 7 workers, police said.\n"
    art = make_article(text, id="wire")
    out = ground_casualty(art, evidence=text.strip(), killed=7, injured=None, place=None, claimed_by="DUNMORE")
    assert out.record is not None and out.record.claimed_by is None


UNION = ("Maria Lopez, president of the local branch of the Textile Workers Union, said many workers went "
         "to hospital on their own.\n\n"
         "\"We warned management in March. They did nothing,\" she said. \"The fire exits were locked.\"\n")


def test_a_quote_of_two_sentences_is_one_sentence_and_one_quote() -> None:
    texts = [s.text for s in split_sentences(UNION)]
    assert "\"We warned management in March. They did nothing,\" she said." in texts
    art = make_article(UNION, id="union")
    out = ground_statement(art, evidence="\"We warned management in March. They did nothing,\" she said.",
                           speaker="Maria Lopez", quote=None)
    rec = out.record.model_dump()
    assert rec["kind"] == "quote"
    assert rec["text"]["value"] == "We warned management in March. They did nothing,"
    assert rec["speaker"]["value"] == "Maria Lopez"
    c = rec["text"]["citation"]
    assert UNION[c["start"]:c["end"]] == rec["text"]["value"]


def test_unbalanced_marks_never_swallow_a_paragraph() -> None:
    text = "He said: \"It was bad. We ran. \n\nPolice said 3 died. Rescuers left."
    assert [s.text for s in split_sentences(text)][-2:] == ["Police said 3 died.", "Rescuers left."]
