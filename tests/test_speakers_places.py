"""Speakers and places from what the words say (issue 22, items 2 and 5): the person after a role, a
town's name inside a company's, a capital standing for its country. Hand-written texts, no model."""

from __future__ import annotations

from summarizer.extraction import options
from summarizer.grounding import ground_casualty, ground_statement
from summarizer.grounding.gazetteer import country_of_capital
from summarizer.grounding.places import company_names, company_short_name
from summarizer.ingest.article import make_article
from summarizer.language.names import kind_of
from summarizer.language.sentences import article_sentences
from summarizer.merge.actors import ActorIndex
from summarizer.schemas import Actor, ActorKind, ArticleExtraction

MARSHAL = "The cause of the fire is under investigation, said Lackawanna County fire marshal Helen Price.\n"


def test_the_speaker_after_a_role_is_the_person_not_the_county() -> None:
    art = make_article(MARSHAL, id="a")
    ok = ground_statement(art, evidence=MARSHAL.strip(), speaker="Helen Price", quote=None)
    assert ok.record is not None and ok.record.speaker.value == "Helen Price"
    bad = ground_statement(art, evidence=MARSHAL.strip(), speaker="Lackawanna County", quote=None)
    assert bad.record is None and [i.code for i in bad.issues] == ["no_speech_verb"]
    (s,) = article_sentences(art)
    assert options.options("statement_sentence", art, s).allowed["speaker"] == ["Helen Price"]


def test_a_role_before_the_verb_gives_the_person_too() -> None:
    text = "Observatory head Rami Hassan said 12 people were killed in Northtown.\n"
    art = make_article(text, id="a")
    assert ground_statement(art, evidence=text.strip(), speaker="Observatory", quote=None).record is None
    assert ground_statement(art, evidence=text.strip(), speaker="Rami Hassan", quote=None).record is not None


FIRE = ("A fire tore through the Keystone Textiles plant in Dunmore, Pennsylvania, injuring 14 workers, "
        "the Dunmore Fire Department said.\n\n[Union says 23 hurt in Keystone plant fire]\n")


def test_a_towns_name_that_begins_a_companys_is_no_place() -> None:
    assert company_names(FIRE) == ["Keystone Textiles"]
    assert company_short_name("Keystone", ["Keystone Textiles"]) == "Keystone Textiles"
    assert company_short_name("Dunmore", ["Keystone Textiles"]) is None  # its fire department is no company
    assert company_short_name("Texas", ["Texas Instruments"]) is None  # a state stays a state
    art = make_article(FIRE, id="a")
    out = ground_casualty(art, evidence="[Union says 23 hurt in Keystone plant fire]", killed=None, injured=23,
                          place="Keystone", claimed_by=None)
    assert out.record is not None and out.record.place is None
    assert [i.code for i in out.issues] == ["not_a_place"]
    kept = ground_casualty(art, evidence=FIRE.split("\n")[0], killed=None, injured=14, place="Dunmore",
                           claimed_by="the Dunmore Fire Department")
    rec = kept.record.model_dump()
    assert rec["place"]["value"] == "Dunmore" and rec["claimed_by"]["value"] == "the Dunmore Fire Department"


def test_organisations_are_never_persons() -> None:
    for name in ("Keystone Textiles", "Statistics Canada", "Canadian Steel Producers Federation", "Acme Corp"):
        assert kind_of(name) == ActorKind.ORGANIZATION, name
    assert kind_of("Maria Lopez") == ActorKind.PERSON


def test_a_capital_as_subject_is_its_countrys_government() -> None:
    assert country_of_capital("Ottawa").name == "Canada"
    assert country_of_capital("Beijing").name == "China"
    assert country_of_capital("Victoria") is None  # a person's name first
    assert country_of_capital("Dunmore") is None
    ex = ArticleExtraction(article_id="a", sha256="0" * 64, actors=[
        Actor(name="Ottawa", kind=ActorKind.PERSON), Actor(name="Canada", kind=ActorKind.STATE),
        Actor(name="Statistics Canada", kind=ActorKind.ORGANIZATION)])
    merged = {a.name: a.model_dump() for a in ActorIndex([ex]).merged()}
    assert merged["Canada"]["kind"] == "state" and merged["Canada"]["aliases"] == ["Ottawa"]
    assert merged["Statistics Canada"]["kind"] == "organization"


def test_a_capital_that_ends_in_ing_is_offered_as_a_speaker() -> None:
    text = "Beijing warned both countries on Wednesday not to divert their disputes onto Chinese exports.\n"
    art = make_article(text, id="a")
    (s,) = article_sentences(art)
    assert options.options("statement_sentence", art, s).allowed["speaker"] == ["Beijing"]
    speaking = make_article("Speaking on Sunday, Smith said the talks failed.\n", id="b")
    (s,) = article_sentences(speaking)
    assert options.options("statement_sentence", speaking, s).allowed["speaker"] == ["Smith"]
