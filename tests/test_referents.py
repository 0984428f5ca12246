"""Issue 22 item 5: a role noun ("the union", "the federation president") is the name its article
gives for it, a surname the full name its own article gave, organisations are never persons, and a
place is a place's name, never a common noun or part of a body's name. Hand-written sentences and
the newcomer stories; grounding and merge only, no model."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.check import check_values
from summarizer.grounding.casualty import ground_casualty
from summarizer.grounding.context import article_facts
from summarizer.grounding.referents import referents_in
from summarizer.grounding.statement import ground_statement
from summarizer.ingest.article import Article, make_article
from summarizer.language.names import derive_actors, kind_of
from summarizer.merge.events import merge
from summarizer.schemas import ActorKind, ArticleExtraction, GroundingReport

NEWCOMER = Path(__file__).resolve().parent / "fixtures" / "newcomer"


def _story(cluster: str, name: str) -> Article:
    return make_article((NEWCOMER / cluster / f"{name}.txt").read_text(), id=name, published="2026-03-10")


def _sentence(art: Article, opening: str) -> str:
    i = art.text.index(opening)
    return art.text[i:art.text.index(".", i) + 1]


def _extraction(art: Article, casualties: list = (), statements: list = ()) -> ArticleExtraction:  # type: ignore[assignment]
    cas, sts = list(casualties), list(statements)
    return ArticleExtraction(article_id=art.id, sha256=art.sha256, published=art.published, strategy="fixture",
                             casualties=cas, statements=sts, grounding=GroundingReport(),
                             facts=article_facts(art), actors=derive_actors([], cas, sts))


def _said(art: Article, opening: str, speaker: str, end: str = "."):  # type: ignore[no-untyped-def]
    i = art.text.index(opening)
    out = ground_statement(art, evidence=art.text[i:art.text.index(end, i) + len(end)], speaker=speaker, quote=None)
    assert out.record is not None, out.issues
    return out.record


def test_role_nouns_of_an_article_and_the_names_it_gives_them() -> None:
    text = ("Maria Lopez, president of the local branch of the Textile Workers Union, said the union would act. "
            "The president of the Canadian Steel Producers Federation, Marc Tremblay, spoke later. "
            "The Dunmore Fire Department said the fire was out.")
    got = {r.words: r.name for r in referents_in(text)}
    assert got["the union"] == "Textile Workers Union"
    assert got["the union president"] == "Maria Lopez"
    assert got["the federation"] == "Canadian Steel Producers Federation"
    assert got["the federation president"] == "Marc Tremblay"
    assert got["the fire department"] == "Dunmore Fire Department"
    assert "the president" not in got  # two presidents: the bare role names no one


def test_a_role_noun_two_bodies_share_names_neither() -> None:
    text = "The Textile Workers Union and the Steel Workers Union both said the union would strike."
    got = {r.words: r.name for r in referents_in(text)}
    assert "the union" not in got and "the workers union" not in got


def test_the_unions_23_is_claimed_by_the_union_the_article_names() -> None:
    a1 = _story("factory-fire-dunmore", "01_local_paper")
    a2 = _story("factory-fire-dunmore", "02_union_statement")
    fourteen = ground_casualty(a1, evidence=_sentence(a1, "A fire tore"), killed=None, injured=14, place="Dunmore",
                               claimed_by="Dunmore Fire Department").record
    union = ground_casualty(a2, evidence=_sentence(a2, "The union representing"), killed=None, injured=23,
                            place="Dunmore", claimed_by="The union").record
    assert fourteen is not None and union is not None
    b = merge([_extraction(a1, [fourteen]), _extraction(a2, [union])])
    d = b.model_dump(mode="json")
    (event,) = [e for e in d["events"] if not e["background"]]
    assert {(c["value"], c["claimant"]) for c in event["injured"]["claims"]} == {
        (14, "Dunmore Fire Department"), (23, "Textile Workers Union")}
    assert event["injured"]["disputed"] is True
    names = {a["name"]: a for a in d["actors"]}
    assert "Union" not in names and names["Textile Workers Union"]["kind"] == "organization"
    assert names["Textile Workers Union"]["aliases"] == ["The union"]
    assert not check_values(d, {a1.id: a1.text, a2.id: a2.text})


def test_the_federation_president_is_the_man_the_article_names() -> None:
    art = _story("tariff-dispute-canada", "02_industry")
    quote = _said(art, '"Nobody wins a trade war,"', "the federation president", end="said.")
    b = merge([_extraction(art, statements=[quote])])
    assert [(s.speaker, s.kind.value) for s in b.statements] == [("Marc Tremblay", "quote")]
    assert b.statements[0].text.startswith("Nobody wins a trade war")


def test_a_surname_is_the_full_name_its_own_article_gave() -> None:
    a1 = make_article("Maria Lopez, a union official, said the plant was unsafe. Lopez said inspectors would come.\n",
                      id="a1", published="2026-01-05")
    a2 = make_article("Carlos Lopez, a worker, said the exits were locked.\n", id="a2", published="2026-01-05")
    b = merge([_extraction(a1, statements=[_said(a1, "Maria Lopez", "Maria Lopez"),
                                           _said(a1, "Lopez said", "Lopez")]),
               _extraction(a2, statements=[_said(a2, "Carlos Lopez", "Carlos Lopez")])])
    assert sorted(s.speaker for s in b.statements) == ["Carlos Lopez", "Maria Lopez", "Maria Lopez"]
    persons = sorted(a.name for a in b.actors if a.kind == ActorKind.PERSON)
    assert persons == ["Carlos Lopez", "Maria Lopez"]
    maria = next(a for a in b.actors if a.name == "Maria Lopez")
    assert {s.speaker_actor for s in b.statements if s.speaker == "Maria Lopez"} == {maria.id}


@pytest.mark.parametrize("name", ["Statistics Canada", "Keystone Textiles", "Textile Workers Union",
                                  "Canadian Steel Producers Federation", "Texas Instruments",
                                  "Dunmore Fire Department"])
def test_an_organisation_is_never_a_person(name: str) -> None:
    assert kind_of(name) != ActorKind.PERSON


@pytest.mark.parametrize(("text", "place"), [
    ("A fire at a Bank of America branch injured 4 people on Monday, police said.", "America"),
    ("A fire at a Texas Instruments plant injured 4 people on Monday, police said.", "Texas"),
    ("A fire at the Keystone Textiles plant injured 4 people on Monday, police said.", "Keystone"),
    ("The union said 4 of its members were hurt in the fire on Monday.", "Union"),
    ("After reading the report, officials said 4 people were hurt in the fire on Monday.", "Reading"),
    ("A mobile crane fell and injured 4 people on Monday, police said.", "Mobile"),
])
def test_no_place_from_a_body_s_name_or_a_common_noun(text: str, place: str) -> None:
    art = make_article(text, id="a", published="2026-01-05")
    out = ground_casualty(art, evidence=text, killed=None, injured=4, place=place, claimed_by=None)
    assert out.record is not None and out.record.injured is not None
    assert out.record.place is None
    assert any(i.code == "not_a_place" for i in out.issues)


def test_a_town_written_as_a_town_stays_a_place() -> None:
    text = "A fire at a plant in Reading, Pennsylvania, injured 4 people on Monday, police said."
    art = make_article(text, id="a", published="2026-01-05")
    out = ground_casualty(art, evidence=text, killed=None, injured=4, place="Reading", claimed_by=None)
    assert out.record is not None and out.record.place is not None and out.record.place.value == "Reading"


def test_a_spokesman_for_a_company_speaks_as_the_company() -> None:
    art = _story("factory-fire-dunmore", "01_local_paper")
    said = _said(art, "A spokesman for Keystone Textiles", "A spokesman")
    assert said.speaker.value == "A spokesman"  # the record cites the words as written ...
    b = merge([_extraction(art, statements=[said])])
    assert [s.speaker for s in b.statements] == ["Keystone Textiles"]  # ... the briefing names whose words they are
    assert [a.kind for a in b.actors if a.name == "Keystone Textiles"] == [ActorKind.ORGANIZATION]


@pytest.mark.parametrize(("text", "name", "source"), [
    ("[Winter storm blamed for 9 deaths across three states]", "Winter", False),
    ("Officials in three states said 9 people died in the storm.", "Officials", True),
    ("The warning came after the Agency reported 9 deaths in the storm.", "Agency", True),
    ("Police said 9 people died in the storm, which hit the United States.", "Police", True),
])
def test_a_speech_verb_s_noun_form_makes_no_source(text: str, name: str, source: bool) -> None:
    art = make_article(text, id="a", published="2026-01-05")
    out = ground_casualty(art, evidence=text, killed=9, injured=None, place=None, claimed_by=name)
    assert out.record is not None
    assert (out.record.claimed_by is not None) is source, out.issues


def test_a_body_named_x_of_y_is_its_head_never_y() -> None:
    got = {r.words: r.name for r in referents_in("Experts at the Dubai School of Government said the government "
                                                 "had fallen.")}
    assert "the government" not in got
    assert got["the school"] == "Dubai School of Government"


@pytest.mark.parametrize("name", ["BP", "NBC", "U.N."])
def test_an_acronym_is_never_a_person(name: str) -> None:
    assert kind_of(name) != ActorKind.PERSON
