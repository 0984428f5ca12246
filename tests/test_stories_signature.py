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
