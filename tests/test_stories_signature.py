"""The event signature (the kinds and places an article's lead names) and the clusterer's optional
veto on it, on made-up news: off by default, two shootings told with the same names in two cities
stay apart under the place veto, a bombing and a plane crash in no common place under the kind
veto."""

from __future__ import annotations

from dataclasses import replace

from summarizer.stories.cluster import Weights, entities
from summarizer.stories.signature import apart, lead, read
from summarizer.stories.stream import Item, Stream

DAY = 1.6e9


def sign(title: str, body: str):
    return read(title, body, entities(lead(title, body)))


def shooting(city: str, i: int, site: str = "school") -> str:
    """A shooting report whose names are the same whatever the city (the entity floor cannot
    tell two of them apart): the city and the site differ."""
    details = [
        f"Witnesses said Daniel Mercer walked into the {site} shortly after nine and began firing.",
        "Officers arrived within minutes and the gunman was shot dead at the entrance.",
        "Chief Laura Hinds said the weapon had been bought legally last year.",
        f"Families gathered outside the {site} waiting for news of their relatives.",
    ]
    return "\n\n".join([
        f"Gunman kills four at {city} {site}",
        f"A gunman opened fire at a {site} in {city} on Friday morning, killing four people, police said.",
        " ".join([details[i % 4], details[(i + 1) % 4]]),
    ]) + "\n"


def test_the_signature_reads_the_kind_and_the_place_the_lead_names():
    s = sign("Gunman kills four at Leeds school", shooting("Leeds", 0))
    assert s.kinds == {"shooting"} and s.incidents == {"shooting"}
    assert "GB" in s.places and s.specific and s.specific <= s.places
    crash = sign("Plane crashes near Lyon", "A passenger plane crashed near Lyon on Monday, killing 12.")
    assert crash.kinds == {"air_crash"} and "FR" in crash.places
    assert sign("A mild week", "The weather stayed mild and the shops were busy on Monday.").kinds == frozenset()


def test_apart_needs_both_leads_to_name_what_differs():
    leeds, denver = sign("", shooting("Leeds", 0)), sign("", shooting("Denver", 0))
    again = sign("", shooting("Leeds", 1))
    silent = sign("", "The weather stayed mild and the shops were busy on Monday.")
    assert apart(leeds, denver, "place") and apart(leeds, denver, "kind_place")
    assert not apart(leeds, again, "place") and not apart(leeds, silent, "place")
    assert not apart(leeds, denver, "kind")  # same kind: the kind veto leaves them
    assert not apart(leeds, denver, "off")
    bomb = sign("", "A car bomb exploded in Denver on Monday, killing 12 people.")
    crash = sign("", "A passenger plane crashed near Lyon on Monday, killing 12 people.")
    assert apart(bomb, crash, "kind") and apart(bomb, crash, "incident")
    assert not apart(bomb, sign("", "A car bomb exploded in Lyon on Monday."), "kind")  # one kind in common


def place(weights: Weights) -> dict[str, str]:
    s = Stream(weights)
    out = {}
    for i in range(3):  # interleaved, one a minute, on one day: time cannot tell them apart
        for key, city, site in (("l", "Leeds", "school"), ("d", "Denver", "shopping mall")):
            text = shooting(city, i + (2 if key == "d" else 0), site)
            out[f"{key}{i}"] = s.place(Item(f"{key}{i}", text.split("\n")[0], text, DAY + 60 * len(out))).story
    return out


def test_the_place_veto_keeps_two_shootings_told_with_the_same_names_apart():
    assert Weights().event_veto == "off"
    loose = Weights(threshold=0.05, entity_floor=0.0)  # loose enough that their shared words join them
    merged = place(loose)
    assert len(set(merged.values())) == 1  # without the veto: one story
    apart_ = place(replace(loose, event_veto="place"))
    assert apart_["l0"] == apart_["l1"] == apart_["l2"]
    assert apart_["d0"] == apart_["d1"] == apart_["d2"]
    assert apart_["l0"] != apart_["d0"]


REPORT = ("Quake kills hundreds in Padang",
          "A powerful earthquake struck Padang on Tuesday, flattening homes and killing hundreds of people, "
          "rescuers said. Aftershocks shook the coast through the night as families searched the rubble.")
STATEMENT = ("Statement by the Minister on the earthquake in Padang",
             "Our thoughts are with everyone who has lost a loved one this week. We stand ready to send "
             "whatever help is asked of us, and our embassy is in touch with the authorities there.")
OTHER = ("Quake shakes Lima",
         "An earthquake struck Lima on Tuesday; buildings swayed and people ran into the streets, "
         "but no damage was reported, officials said. Aftershocks shook the coast through the night.")


def stories(weights: Weights, articles: list[tuple[str, str]]) -> list[str]:
    s = Stream(weights)
    return [s.place(Item(f"a{i}", t, f"{t}\n\n{b}\n", DAY + 60 * i)).story for i, (t, b) in enumerate(articles)]


def test_the_bonus_keeps_a_statement_with_the_report_of_its_event_not_another_place():
    assert Weights().event_bonus == 0.0
    strict = Weights(threshold=0.35)  # two articles alone share little IDF: a threshold to match
    assert len(set(stories(strict, [REPORT, STATEMENT]))) == 2  # too few words in common: apart
    bonus = replace(strict, event_bonus=0.2)
    together = stories(bonus, [REPORT, STATEMENT])
    assert together[0] == together[1]  # an earthquake in Padang, both
    assert len(set(stories(bonus, [REPORT, OTHER]))) == 2  # an earthquake in another place: no bonus
