"""Issue 22 (part B): kinds from what happened, one happening one event, parts attach to their total,
perpetrators only where the text says who did it. Hand-written sentences and the newcomer stories
(tests/fixtures/newcomer: invented for these tests); grounding and merge only, no model."""

from __future__ import annotations

from pathlib import Path

import pytest
from grounded import event as _event
from grounded import extraction as _extraction
from grounded import figure as _figure
from grounded import sentence as _sentence

from summarizer.grounding.casualty import ground_casualty
from summarizer.grounding.event import ground_event, said_to_have_done_it
from summarizer.grounding.kinds import kinds_named
from summarizer.ingest.article import make_article
from summarizer.merge.events import merge
from summarizer.schemas import EventKind

NEWCOMER = Path(__file__).resolve().parent / "fixtures" / "newcomer"


def _story(cluster: str, name: str):  # type: ignore[no-untyped-def]
    return make_article((NEWCOMER / cluster / f"{name}.txt").read_text(), id=name, published="2026-03-10")










# --- kinds from what happened -------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "kind"), [
    ("The government imposed a 25 percent tariff on imported steel.", EventKind.TRADE_MEASURE),
    ("Washington tightened export controls on chips.", EventKind.TRADE_MEASURE),
    ("The FBI opened an investigation into the senator's finances.", EventKind.INVESTIGATION),
    ("The jury acquitted the former mayor on all counts.", EventKind.TRIAL),
    ("The country agreed to limit its stock of bomb-grade uranium.", EventKind.WEAPONS_PROGRAMME),
    ("The regime test-fired two ballistic missiles into the sea.", EventKind.WEAPONS_PROGRAMME),
    ("Two jets had a near-miss on the runway.", EventKind.INCIDENT),
    ("The search for the missing plane moved south.", EventKind.INCIDENT),
    ("The president signed an executive order on asylum.", EventKind.POLICY),
    ("Pyongyang threatened to sink the islands.", EventKind.POLITICAL),
    ("A fire tore through the textile plant on Tuesday.", EventKind.EXPLOSION_FIRE),
    ("A drone struck the plane as it approached the airport.", EventKind.AIRSTRIKE),
])
def test_a_kind_comes_from_what_happened(sentence: str, kind: EventKind) -> None:
    assert kinds_named(sentence)[:1] == [kind]


@pytest.mark.parametrize(("sentence", "not_kind"), [
    ("The talks aim to cap bomb-grade uranium stocks.", EventKind.BOMBING),
    ("Aides gave the senator a crash course in trade law.", EventKind.AIR_CRASH),
    ("The remarks drew a storm of criticism from the opposition.", EventKind.STORM),
    ("The committee shot down the proposal on Tuesday.", EventKind.ATTACK),
])
def test_a_word_in_passing_names_no_kind(sentence: str, not_kind: EventKind) -> None:
    assert not_kind not in kinds_named(sentence)


# --- perpetrators -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "name", "did_it"), [
    ("The Front claimed responsibility for the blast.", "The Front", True),
    ("All three attacks were claimed by the Islamic State group.", "Islamic State group", True),
    ("The gunman, identified as John Carver, had come with his caseworker.", "John Carver", True),
    ("Another of the attackers has been named by police as Omar Lee, 30.", "Omar Lee", True),
    ("John Carver was charged on Monday with six counts of murder.", "John Carver", True),
    ("Government forces launched fresh attacks on the towns.", "Government forces", True),
    ("Premier Ann Roy condemned the attack as cowardly.", "Premier Ann Roy", False),
    ("Police arrested the gunman an hour later.", "Police", False),
    ("Police shot the attackers dead within minutes.", "Police", False),
    ("The FBI is investigating the shooting.", "The FBI", False),
    ("The community was attacked during prayers.", "The community", False),
])
def test_a_perpetrator_is_who_the_text_says_did_it(text: str, name: str, did_it: bool) -> None:
    i = text.index(name)
    assert said_to_have_done_it(text, i, i + len(name)) is did_it


def test_the_mosque_shooting_names_only_the_charged_suspect() -> None:
    a1, a2 = _story("mosque-shooting", "01_attack"), _story("mosque-shooting", "02_charged")
    proposed = [
        (a1, "A gunman opened", ["Police"]),
        (a1, "Police arrested", ["Police", "Alexandre Mercier"]),
        (a1, "It was the deadliest", ["Mass"]),
        (a1, "Quebec Premier", ["Quebec Premier Louis Gagnon", "Louis Gagnon"]),
        (a2, "Alexandre Mercier was charged", ["Alexandre Mercier", "prosecutors"]),
    ]
    named = [m.value for art, opening, perps in proposed
             for m in _event(art, opening, kind="shooting", perpetrators=perps).perpetrators]
    assert named == ["Alexandre Mercier"]
    b = merge([_extraction(a1, events=[_event(a1, "A gunman opened", kind="shooting")]),
               _extraction(a2, events=[_event(a2, "Alexandre Mercier was charged", kind="shooting",
                                              perpetrators=["Alexandre Mercier"])])])
    assert [e.perpetrators for e in b.events if not e.background] == [["actor:alexandre-mercier"]]


def test_nobody_perpetrates_a_storm() -> None:
    art = make_article("The storm, which the Front blamed on the weather, claimed by the Front, hit Northtown.",
                       id="a", published="2026-01-05")
    out = ground_event(art, evidence=art.text, kind="storm", place=None, perpetrators=["the Front"])
    assert out.record is not None and out.record.perpetrators == []
    assert any(i.code == "not_who_did_it" for i in out.issues)


# --- one happening, one event; parts attach to their total ---------------------------------------

def test_the_factory_fire_is_one_event_with_one_disputed_tally_and_its_part_sets_nothing() -> None:
    a1 = _story("factory-fire-dunmore", "01_local_paper")
    a2 = _story("factory-fire-dunmore", "02_union_statement")
    b = merge([
        _extraction(a1, [_figure(a1, "A fire tore", injured=14, place="Dunmore",
                                 claimed_by="the Dunmore Fire Department"),
                         _figure(a1, "Three of the injured", injured=3)],
                    [_event(a1, "A fire tore", kind="explosion_fire", place="Dunmore")]),
        _extraction(a2, [_figure(a2, "The union representing", injured=23, place="Dunmore", claimed_by="The union")]),
    ])
    today = [e for e in b.events if not e.background]
    assert len(today) == 1
    fire = today[0].model_dump()
    assert fire["kind"] == "explosion_fire" and fire["place"] == "Dunmore"
    assert {(c["value"], c["claimant"]) for c in fire["injured"]["claims"]} == {
        (14, "Dunmore Fire Department"), (23, "union")} or {c["value"] for c in fire["injured"]["claims"]} == {14, 23}
    assert (fire["injured"]["low"], fire["injured"]["high"], fire["injured"]["disputed"]) == (14, 23, True)
    assert not any("Keystone" in (e.place or "") or "New Jersey" in e.label for e in b.events)


def test_a_part_by_nationality_is_no_second_event_and_sets_no_low() -> None:
    art = make_article("The ferry sank off Northport on Monday. Of the 250 who died, 120 were French.\n",
                       id="a", published="2026-01-05")
    part = ground_casualty(art, evidence=_sentence(art, "Of the 250"), killed=120, injured=None, place=None,
                           claimed_by=None)
    # The part is refused where it is read (its number counts the French among the dead), or kept
    # out of the tally by merge: either way it never makes an event or sets low, best or high.
    recs = [_figure(art, "Of the 250", killed=250)] + ([part.record] if part.record is not None else [])
    b = merge([_extraction(art, recs, [_event(art, "The ferry sank", kind="sea_accident", place="Northport")])])
    today = [e for e in b.events if not e.background]
    assert len(today) == 1
    assert (today[0].killed.low, today[0].killed.best, today[0].killed.high) == (250, 250, 250)


def test_a_storm_over_three_states_is_one_event_with_its_total() -> None:
    a1 = _story("winter-storm-states", "01_roundup")
    b = merge([_extraction(a1, [
        _figure(a1, "A powerful winter", killed=9),
        _figure(a1, "In Iowa, the state", killed=3, place="Iowa"),
        _figure(a1, "Illinois officials", killed=4, place="Illinois"),
    ])])
    today = [e for e in b.events if not e.background]
    assert len(today) == 1 and today[0].kind == EventKind.STORM
    assert today[0].killed.best == 9 and today[0].killed.low == 9
    assert today[0].place in {"Iowa", "Illinois", "Wisconsin"}


def test_an_investigation_of_the_day_s_incident_is_part_of_it() -> None:
    a1 = _story("aviation-near-miss", "01_faa")
    b = merge([_extraction(a1, events=[_event(a1, "A cargo plane", place="Austin"), _event(a1, "The NTSB said"),
                                       _event(a1, "The cargo crew")])])
    today = [e for e in b.events if not e.background]
    assert [(e.kind, e.place) for e in today] == [(EventKind.INCIDENT, "Austin")]


def test_a_matter_with_no_one_place_is_titled_by_its_parties() -> None:
    a1 = _story("tariff-dispute-canada", "01_ottawa")
    b = merge([_extraction(a1, events=[_event(a1, "Ottawa says", kind="trade_measure")])])
    main = b.events[0]
    assert main.kind == EventKind.TRADE_MEASURE and main.place is None
    assert main.label.startswith("Trade measure: ") and "United States" in main.label


def test_a_combined_toll_needs_two_places_each_with_its_own_event() -> None:
    art = make_article("Floods killed 5 people in Munich and Hamburg on Monday, officials said.\n",
                       id="a", published="2026-01-05")
    b = merge([_extraction(art, [_figure(art, "Floods killed", killed=5, claimed_by="officials")])])
    today = [e for e in b.events if not e.background]
    assert len(today) == 1 and not today[0].id.endswith("-combined") and "combined" not in today[0].label
    assert today[0].killed.best == 5 and today[0].kind == EventKind.FLOOD


@pytest.mark.parametrize(("text", "name"), [
    ("Major Nadim Hale has been identified as the gunman in the shooting.", "Major Nadim Hale"),
    ("A soldier, Maj. Nadim Hale, allegedly fired shots into the building.", "Maj. Nadim Hale"),
])
def test_identified_as_the_gunman_or_alleged_to_have_fired(text: str, name: str) -> None:
    i = text.index(name)
    assert said_to_have_done_it(text, i, i + len(name))


def test_two_combined_storm_sentences_with_no_state_event_are_one_storm() -> None:
    art = make_article("The storm killed 9 people in Iowa, Illinois and Wisconsin on Monday.\n\n"
                       "The storm brought down power lines across Illinois and Wisconsin, killing 2.\n",
                       id="a", published="2026-01-05")
    b = merge([_extraction(art, [_figure(art, "The storm killed", killed=9),
                                 _figure(art, "The storm brought", killed=2)])])
    today = [e for e in b.events if not e.background]
    assert len(today) == 1 and today[0].kind == EventKind.STORM
