"""Issue 22 items 1 and 3: one happening is one event (follow-ups, placeless tolls, outbreaks across
countries, mentions in passing, recalled earlier events), its date is the day of the happening,
and its kind comes from what happened. Hand-written sentences, grounding and merge only, no model."""

from __future__ import annotations

import datetime as dt

import pytest
from grounded import event as _event
from grounded import extraction as _extraction
from grounded import figure as _figure

from summarizer.grounding.casualty import ground_casualty
from summarizer.grounding.dates import date_of, is_background
from summarizer.grounding.kinds import kinds_named
from summarizer.ingest.article import make_article
from summarizer.merge.events import merge
from summarizer.schemas import EventKind

DAY = "2026-03-10"  # a Tuesday


def _art(text: str, id: str, published: str | None = DAY):  # type: ignore[no-untyped-def]
    return make_article(text, id=id, published=published)










def _today(b):  # type: ignore[no-untyped-def]
    return [e.model_dump() for e in b.events if not e.background]


# --- follow-ups: an arrest of the day's only incident is part of it ---------------------------------

def test_an_arrest_over_the_day_s_only_shooting_is_part_of_it() -> None:
    a = _art("A gunman opened fire at a market in Leeds on Sunday, killing five people.\n", "a")
    b = _art("Police arrested a man in Leeds on Monday over the shooting at the market.\n", "b")
    c = _art("The gunman opened fire at a market in Leeds and killed five people.\n", "c")
    out = merge([_extraction(a, [_figure(a, "A gunman", killed=5, place="Leeds")]),
                 _extraction(b, events=[_event(b, "Police arrested", kind="arrest", place="Leeds")]),
                 _extraction(c, [_figure(c, "The gunman", killed=5, place="Leeds")])])
    today = _today(out)
    assert len(today) == 1
    assert today[0]["kind"] == "shooting" and today[0]["place"] == "Leeds"
    assert sorted(today[0]["articles"]) == ["a", "b", "c"]


def test_an_arrest_most_articles_report_names_the_happening() -> None:
    arts = [_art(f"Police arrested a man in Leeds on Sunday over a plot, officials said ({i}).\n", f"a{i}")
            for i in range(3)]
    shot = _art("One woman was found shot dead in Leeds on Sunday.\n", "b")
    out = merge([*(_extraction(a, events=[_event(a, "Police arrested", kind="arrest", place="Leeds")]) for a in arts),
                 _extraction(shot, [_figure(shot, "One woman", killed=1, place="Leeds")])])
    today = _today(out)
    assert len(today) == 1
    assert today[0]["kind"] == "arrest" and today[0]["killed"]["best"] == 1


def test_an_arrest_with_no_incident_is_its_own_event() -> None:
    a = _art("Police arrested the former mayor of Leeds on Monday.\n", "a")
    b = _art("The former mayor was arrested in Leeds on Monday.\n", "b")
    out = merge([_extraction(a, events=[_event(a, "Police arrested", kind="arrest", place="Leeds")]),
                 _extraction(b, events=[_event(b, "The former mayor", kind="arrest", place="Leeds")])])
    assert [e["kind"] for e in _today(out)] == ["arrest"]


# --- a toll that names no place; an outbreak in several countries -------------------------------------

def test_a_toll_naming_no_place_joins_the_one_incident_of_its_kind() -> None:
    a = _art("A gunman opened fire at a school in Leeds on Sunday, killing four people.\n", "a")
    f = _art("Floods killed two people in Glasgow on Sunday.\n", "f")
    n = _art("Relatives mourned on Monday.\n\nThree people were shot dead in the shooting at the school.\n", "n")
    out = merge([_extraction(a, [_figure(a, "A gunman", killed=4, place="Leeds")]),
                 _extraction(f, [_figure(f, "Floods killed", killed=2, place="Glasgow")]),
                 _extraction(n, [_figure(n, "Three people", killed=3)])])
    today = {e["kind"]: e for e in _today(out)}
    assert set(today) == {"shooting", "flood"}
    assert sorted(c["value"] for c in today["shooting"]["killed"]["claims"]) == [3, 4]
    assert [c["value"] for c in today["flood"]["killed"]["claims"]] == [2]


def test_a_placeless_toll_beside_two_incidents_of_its_kind_joins_neither() -> None:
    a = _art("A gunman opened fire at a school in Leeds on Sunday, killing four people.\n", "a")
    g = _art("A gunman opened fire at a bar in Glasgow on Sunday, killing two people.\n", "g")
    n = _art("Relatives mourned on Monday.\n\nThree people were shot dead in the shooting.\n", "n")
    out = merge([_extraction(a, [_figure(a, "A gunman", killed=4, place="Leeds")]),
                 _extraction(g, [_figure(g, "A gunman", killed=2, place="Glasgow")]),
                 _extraction(n, [_figure(n, "Three people", killed=3)])])
    assert sorted(tuple(c["value"] for c in e["killed"]["claims"]) for e in _today(out)) == [(2,), (3,), (4,)]


def test_an_outbreak_in_several_countries_is_one_event() -> None:
    a = _art("The cholera outbreak has killed 12 people in Lusaka, health officials said.\n", "a")
    b = _art("The cholera outbreak has killed 5 people in Harare, officials said.\n", "b")
    out = merge([_extraction(a, [_figure(a, "The cholera", killed=12, place="Lusaka")]),
                 _extraction(b, [_figure(b, "The cholera", killed=5, place="Harare")])])
    today = _today(out)
    assert len(today) == 1 and today[0]["kind"] == "outbreak"
    assert sorted(c["value"] for c in today[0]["killed"]["claims"]) == [5, 12]


def test_two_shootings_in_two_cities_stay_two_events() -> None:
    a = _art("A gunman opened fire at a school in Leeds on Sunday, killing four people.\n", "a")
    g = _art("A gunman opened fire at a bar in Glasgow on Sunday, killing two people.\n", "g")
    out = merge([_extraction(a, [_figure(a, "A gunman", killed=4, place="Leeds")]),
                 _extraction(g, [_figure(g, "A gunman", killed=2, place="Glasgow")])])
    assert sorted(e["place"] for e in _today(out)) == ["Glasgow", "Leeds"]


# --- mentions in passing ------------------------------------------------------------------------------

def test_an_incident_one_sentence_names_without_a_figure_is_a_mention() -> None:
    a = _art("A gunman opened fire at a school in Leeds on Sunday, killing four people.\n\n"
             "Separately, a bombing was reported in Glasgow.\n", "a")
    b = _art("The gunman opened fire at a school in Leeds and killed four people.\n", "b")
    out = merge([_extraction(a, [_figure(a, "A gunman", killed=4, place="Leeds")],
                             [_event(a, "Separately", kind="bombing", place="Glasgow")]),
                 _extraction(b, [_figure(b, "The gunman", killed=4, place="Leeds")])])
    assert [e["place"] for e in _today(out)] == ["Leeds"]
    src = next(s for s in out.sources if s.id == "a")
    assert [i.code for i in src.grounding.issues if i.code == "mentioned_once"] == ["mentioned_once"]


# --- recalled earlier events stay background -----------------------------------------------------------

@pytest.mark.parametrize(("text", "background"), [
    ("It was the deadliest shooting in the province since a 1989 attack at a college that killed 14.", True),
    ("The 2013 killing of a soldier shocked the country.", True),
    ("The march recalled the 2026 floods that hit the valley.", False),
    ("France has been on edge after recent attacks on a newspaper and a supermarket.", True),
    ("A gunman opened fire at a mosque on Sunday, killing six people.", False),
])
def test_a_recalled_earlier_event_is_background(text: str, background: bool) -> None:
    art = _art(text, "a")
    assert is_background(art, 0, len(text)) is background


def test_a_recalled_attack_never_becomes_today_s_event() -> None:
    a = _art("A gunman opened fire at a mosque in Leeds on Sunday, killing six people.\n\n"
             "It was the deadliest shooting in the city since a 1989 attack at a college that killed 14.\n", "a")
    out = merge([_extraction(a, [_figure(a, "A gunman", killed=6, place="Leeds"),
                                 _figure(a, "It was the deadliest", killed=14)])])
    today = _today(out)
    assert len(today) == 1 and [c["value"] for c in today[0]["killed"]["claims"]] == [6]
    assert any(e.background and e.killed.best == 14 for e in out.events)


# --- the day of the happening --------------------------------------------------------------------------

def test_the_day_of_the_telling_is_not_the_day_of_the_happening() -> None:
    text = "The suspect was detained on Sunday after he shot himself, officials said on Wednesday."
    art = _art(text, "a", published="2015-04-22")
    assert date_of(art, 0, len(text)).date == dt.date(2015, 4, 19)
    told = "Police said Wednesday that the suspect had been detained."
    assert date_of(_art(told, "b", published="2015-04-22"), 0, len(told)).basis == "published"


def test_an_announcement_keeps_its_day() -> None:
    text = "The government announced on Monday new sanctions on the bank."
    art = _art(text, "a", published="2014-03-20")
    assert date_of(art, 0, len(text)).date == dt.date(2014, 3, 17)


# --- kinds from what happened --------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "kind"), [
    ("Flight 370 went missing with 239 people on board.", EventKind.INCIDENT),
    ("The search for the Boeing 777, which disappeared on its way to Beijing, moved south.", EventKind.INCIDENT),
    ("The explosion caused a rowhome under renovation to collapse.", EventKind.BUILDING_COLLAPSE),
    ("The gas leak led to the collapse of three houses.", EventKind.BUILDING_COLLAPSE),
])
def test_a_kind_is_what_happened(sentence: str, kind: EventKind) -> None:
    assert kinds_named(sentence)[:1] == [kind]


@pytest.mark.parametrize("sentence", [
    "The search zone holds objects that were captured by Thai and Japanese satellites.",
    "The images, captured through clouds by a French company, show debris.",
])
def test_images_captured_by_a_camera_are_no_military_operation(sentence: str) -> None:
    assert EventKind.MILITARY_OPERATION not in kinds_named(sentence)


def test_troops_who_captured_a_town_still_did() -> None:
    assert kinds_named("Rebels captured the town after a week of fighting.")[:1] == [EventKind.MILITARY_OPERATION]


def test_with_no_publication_date_only_a_whole_calendar_date_gives_the_day() -> None:
    text = "Motorists drove into the winter storm near Lawrence, Kan., Thursday, Dec. 20, 2012."
    assert date_of(_art(text, "a", published=None), 0, len(text)).date == dt.date(2012, 12, 20)
    for vague in ("The storm hit on Thursday.", "The storm of 2012 was worse.", "It hit in March."):
        assert date_of(_art(vague, "b", published=None), 0, len(vague)) is None


# --- an outcome of talks is part of them -----------------------------------------------------------------

def test_a_statement_adopted_following_the_summit_is_part_of_it() -> None:
    a = _art("Talks between the two presidents took place in Geneva on Wednesday.\n\n"
             "Following the summit, a joint statement on arms control was adopted.\n", "a")
    b = _art("The talks in Geneva lasted four hours on Wednesday.\n", "b")
    c = _art("The joint statement commits both sides to arms control.\n", "c")
    out = merge([_extraction(a, events=[_event(a, "Talks between", kind="summit", place="Geneva"),
                                        _event(a, "Following the summit", kind="agreement")]),
                 _extraction(b, events=[_event(b, "The talks", kind="summit", place="Geneva")]),
                 _extraction(c, events=[_event(c, "The joint statement", kind="agreement")])])
    today = _today(out)
    assert [(e["kind"], e["place"]) for e in today] == [("summit", "Geneva")]
    assert sorted(today[0]["articles"]) == ["a", "b", "c"]


def test_an_agreement_whose_sentences_name_no_talks_stays_apart() -> None:
    a = _art("Nuclear talks were held in Vienna on Wednesday.\n\nThe talks ended without a result.\n", "a")
    b = _art("Parliament approved a treaty on Thursday to join the union.\n\nThe treaty passed easily.\n", "b")
    c = _art("The treaty was approved by parliament on Thursday.\n", "c")
    d = _art("Nuclear talks in Vienna ended on Wednesday.\n", "d")
    out = merge([_extraction(a, events=[_event(a, "Nuclear talks", kind="summit", place="Vienna"),
                                        _event(a, "The talks ended", kind="summit")]),
                 _extraction(b, events=[_event(b, "Parliament approved", kind="agreement"),
                                        _event(b, "The treaty passed", kind="agreement")]),
                 _extraction(c, events=[_event(c, "The treaty", kind="agreement")]),
                 _extraction(d, events=[_event(d, "Nuclear talks", kind="summit", place="Vienna")])])
    assert sorted(e["kind"] for e in _today(out)) == ["agreement", "summit"]


# --- a detail's kind is not the happening's ------------------------------------------------------------

def test_attackers_shot_dead_by_police_do_not_make_an_attack_a_shooting() -> None:
    a = _art("Seven people were killed in the attack in Leeds on Saturday.\n\n"
             "One more victim of the attack in Leeds died in hospital.\n\n"
             "The attack in Leeds left seven dead.\n\n"
             "The three attackers were shot dead by police in Leeds.\n", "a")
    out = merge([_extraction(a, [_figure(a, "Seven people", killed=7, place="Leeds"),
                                 _figure(a, "One more victim", killed=1, place="Leeds"),
                                 _figure(a, "The attack in Leeds", killed=7, place="Leeds"),
                                 _figure(a, "The three attackers", killed=3, place="Leeds")])])
    assert [e["kind"] for e in _today(out)] == ["attack"]


def test_a_bombing_most_records_name_stays_a_bombing() -> None:
    a = _art("A car bomb killed 12 people in Leeds on Sunday.\n\nThe bombing in Leeds wounded 30.\n\n"
             "The attack in Leeds was the worst this year.\n", "a")
    out = merge([_extraction(a, [_figure(a, "A car bomb", killed=12, place="Leeds"),
                                 _figure(a, "The bombing", injured=30, place="Leeds")],
                             [_event(a, "The attack in Leeds", kind="attack", place="Leeds")])])
    assert [e["kind"] for e in _today(out)] == ["bombing"]


def test_a_sentence_that_tells_what_happened_still_gives_its_missing() -> None:
    from summarizer.extraction.candidates import select_candidates

    art = _art("Flight 370 went missing on Saturday with 239 people on board.\n", "a")
    c = select_candidates(art)
    assert [s.text for s in c.event] == [s.text for s in c.casualty] == [art.text.strip()]


def test_a_headline_restating_the_toll_at_another_level_is_the_same_shooting() -> None:
    from pathlib import Path

    story = Path(__file__).resolve().parent / "fixtures" / "newcomer" / "mosque-shooting"
    a = make_article((story / "01_attack.txt").read_text(), id="01_attack", published=DAY)
    head = ground_casualty(a, evidence="Six killed in shooting at Quebec mosque", killed=6, injured=None,
                           place="Quebec", claimed_by=None)
    assert head.record is not None, head.errors
    out = merge([_extraction(a, [head.record, _figure(a, "A gunman opened", killed=6, place="Sainte-Foy"),
                                 _figure(a, "It was the deadliest", killed=14)])])
    today = _today(out)
    assert len(today) == 1 and today[0]["kind"] == "shooting" and today[0]["place"] == "Sainte-Foy"
    assert [e.killed.best for e in out.events if e.background] == [14]


def test_two_shootings_with_different_tolls_in_one_article_stay_two() -> None:
    a = _art("A gunman opened fire at a school in Leeds on Sunday, killing four people.\n\n"
             "A gunman opened fire at a bar in Glasgow on Sunday, killing two people.\n", "a")
    out = merge([_extraction(a, [_figure(a, "A gunman opened fire at a school", killed=4, place="Leeds"),
                                 _figure(a, "A gunman opened fire at a bar", killed=2, place="Glasgow")])])
    assert sorted(e["place"] for e in _today(out)) == ["Glasgow", "Leeds"]
