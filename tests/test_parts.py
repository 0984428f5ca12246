"""Issue 22 item 3: parts ("Three of the injured", "of whom 12 children", "Of the 250 who died, 120
were French") are kept under the claim of their total, shown there in every format, and never set
low, best or high nor make an event. Hand-written sentences and the newcomer stories; no model."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer.check import check_values
from summarizer.grounding.casualty import ground_casualty
from summarizer.grounding.context import article_facts
from summarizer.grounding.event import ground_event
from summarizer.ingest.article import Article, make_article
from summarizer.language.names import derive_actors
from summarizer.merge.events import merge
from summarizer.render.markdown import to_markdown
from summarizer.schemas import ArticleExtraction, Briefing, CasualtyReport, GroundingReport

NEWCOMER = Path(__file__).resolve().parent / "fixtures" / "newcomer"


def _sentence(art: Article, opening: str) -> str:
    i = art.text.index(opening)
    return art.text[i:art.text.index(".", i) + 1]


def _figure(art: Article, opening: str, **fields: object) -> CasualtyReport:
    args: dict = {"killed": None, "injured": None, "place": None, "claimed_by": None, **fields}
    out = ground_casualty(art, evidence=_sentence(art, opening), **args)
    assert out.record is not None, out.issues
    return out.record


def _extraction(art: Article, casualties: list, events: list = ()) -> ArticleExtraction:  # type: ignore[assignment]
    return ArticleExtraction(article_id=art.id, sha256=art.sha256, published=art.published, strategy="fixture",
                             casualties=list(casualties), events=list(events), grounding=GroundingReport(),
                             facts=article_facts(art), actors=derive_actors(list(events), list(casualties), []))


def _story(cluster: str, name: str) -> Article:
    return make_article((NEWCOMER / cluster / f"{name}.txt").read_text(), id=name, published="2026-03-10")


def _today(b: Briefing) -> list[dict]:
    return [e.model_dump(mode="json") for e in b.events if not e.background]


def _fire() -> tuple[Briefing, dict[str, str]]:
    a1 = _story("factory-fire-dunmore", "01_local_paper")
    a2 = _story("factory-fire-dunmore", "02_union_statement")
    fire = ground_event(a1, evidence=_sentence(a1, "A fire tore"), kind="explosion_fire", place="Dunmore",
                        perpetrators=[]).record
    b = merge([
        _extraction(a1, [_figure(a1, "A fire tore", injured=14, place="Dunmore",
                                 claimed_by="the Dunmore Fire Department"),
                         _figure(a1, "Three of the injured", injured=3)], [fire]),
        _extraction(a2, [_figure(a2, "The union representing", injured=23, place="Dunmore",
                                 claimed_by="The union")]),
    ])
    return b, {a1.id: a1.text, a2.id: a2.text}


def test_three_of_the_injured_stands_under_the_14_and_sets_nothing() -> None:
    b, texts = _fire()
    today = _today(b)
    assert len(today) == 1
    injured = today[0]["injured"]
    assert (injured["low"], injured["high"], injured["disputed"]) == (14, 23, True)
    assert sorted(c["value"] for c in injured["claims"]) == [14, 23]
    fourteen = next(c for c in injured["claims"] if c["value"] == 14)
    assert [(p["value"], p["words"], p["of"], p["role"]) for p in fourteen["parts"]] == [
        (3, "Three", "of the injured", "injured")]
    cit = fourteen["parts"][0]["citation"]
    assert texts[cit["article_id"]][cit["start"]:cit["end"]] == "Three"
    assert not next(c for c in injured["claims"] if c["value"] == 23)["parts"]
    assert not check_values(b.model_dump(mode="json"), texts)


def test_a_part_is_shown_under_its_total_in_markdown_json_and_html() -> None:
    b, _ = _fire()
    md = to_markdown(b)
    row = md.index("| 14 |")
    assert md.index("↳ part: injured, of the injured | 3 | Three") > row
    assert json.loads(b.to_json())["events"][0]["injured"]["claims"][0]["parts"][0]["words"] == "Three"
    html = b.to_html()
    assert 'class="part"' in html and "of the injured" in html


def test_of_whom_after_the_total_is_its_part() -> None:
    art = make_article("A bus crashed near Northport on Monday, killing 40 people, of whom 12 were children.\n",
                       id="a", published="2026-01-05")
    # Grounding refuses the 12 as a toll of its own ...
    assert ground_casualty(art, evidence=art.text.strip(), killed=12, injured=None, place=None,
                           claimed_by=None).record is None
    # ... and merge reads it under the 40, where the sentence writes it.
    b = merge([_extraction(art, [_figure(art, "A bus", killed=40, place="Northport")])])
    (event,) = _today(b)
    (claim,) = event["killed"]["claims"]
    assert (event["killed"]["low"], event["killed"]["best"], event["killed"]["high"]) == (40, 40, 40)
    assert [(p["value"], p["of"]) for p in claim["parts"]] == [(12, "of whom")]
    cit = claim["parts"][0]["citation"]
    assert art.text[cit["start"]:cit["end"]] == "12"


def test_a_breakdown_of_a_named_total_goes_under_that_total() -> None:
    art = make_article("The ferry sank off Northport on Monday, killing 250 people. Of the 250 who died, 120 were "
                       "French, and 30 of the dead were children.\n", id="a", published="2026-01-05")
    total = _figure(art, "The ferry", killed=250, place="Northport")
    kids = _figure(art, "Of the 250", killed=30)
    b = merge([_extraction(art, [total, kids])])
    today = _today(b)
    assert len(today) == 1
    (claim,) = today[0]["killed"]["claims"]
    assert claim["value"] == 250 and [p["value"] for p in claim["parts"]] == [30]
    assert today[0]["killed"]["low"] == 250


def test_a_part_whose_article_gives_no_total_is_never_a_toll() -> None:
    art = make_article("Rescuers worked through the night in Northport. Two of the injured were in serious "
                       "condition, police said.\n", id="a", published="2026-01-05")
    b = merge([_extraction(art, [_figure(art, "Two of the injured", injured=2, claimed_by="police")])])
    for e in _today(b):
        assert not e["injured"]["claims"] and e["injured"]["best"] is None


def test_the_bakery_s_two_of_the_injured_stand_under_the_police_7() -> None:
    a1 = _story("bakery-fire-dateline", "01_wire")
    seven = _figure(a1, "A fire at a bakery", injured=7, claimed_by="police")
    two = _figure(a1, "Police said two", injured=2, claimed_by="Police")
    b = merge([_extraction(a1, [seven, two])])
    (event,) = _today(b)
    (claim,) = event["injured"]["claims"]
    assert claim["value"] == 7 and [p["value"] for p in claim["parts"]] == [2]
    assert event["injured"]["low"] == event["injured"]["best"] == event["injured"]["high"] == 7


def test_a_part_of_a_total_told_in_another_article_goes_under_the_one_claim_of_its_role() -> None:
    a1 = make_article("A gunman opened fire at a mosque in Northport on Sunday, injuring 19 people, police said.\n",
                      id="a1", published="2026-01-05")
    a2 = make_article("Five of the wounded remained in hospital in Northport on Monday, a hospital spokeswoman said.\n",
                      id="a2", published="2026-01-06")
    b = merge([_extraction(a1, [_figure(a1, "A gunman", injured=19, place="Northport", claimed_by="police")]),
               _extraction(a2, [_figure(a2, "Five of", injured=5, place="Northport",
                                        claimed_by="a hospital spokeswoman")])])
    (event,) = _today(b)
    (claim,) = event["injured"]["claims"]
    assert claim["value"] == 19 and [(p["value"], p["article_id"]) for p in claim["parts"]] == [(5, "a2")]
    assert event["injured"]["low"] == 19


def test_a_total_is_never_smaller_than_its_part() -> None:
    art = make_article("A fire in Northport injured 2 workers on Monday, police said. Five of the injured were "
                       "firefighters, officials said.\n", id="a", published="2026-01-05")
    b = merge([_extraction(art, [_figure(art, "A fire", injured=2, place="Northport", claimed_by="police"),
                                 _figure(art, "Five of", injured=5, claimed_by="officials")])])
    (event,) = _today(b)
    assert [c["parts"] for c in event["injured"]["claims"]] == [[]]
    assert event["injured"]["high"] == 2
