"""Merger tests on the hand-written seed FIXTURES (tests/fixtures/seed_proposals.json)."""

from __future__ import annotations

import random

import pytest
from conftest import assert_citations_verify, dump
from fixtures.seed import seed_articles, seed_extractions

from summarizer import render
from summarizer.merge import ROLLUP_RULE, merge

A000, A001, A002, A003, A004 = sorted(seed_articles())


@pytest.fixture(scope="module")
def briefing():
    texts = {a.id: a.text for a in seed_articles().values()}
    return merge(seed_extractions(), texts)


def _event(b, event_id):
    return next(e for e in b.events if e.id == event_id)


def _actor(b, name):
    return next(a for a in b.actors if a.name == name)


def test_every_fixture_citation_verifies(briefing):
    texts = {a.id: a.text for a in seed_articles().values()}
    assert assert_citations_verify(dump(briefing), texts) > 100


@pytest.mark.parametrize("canonical,forms", [
    ("Islamic State", {"ISIS", "IS", "Daesh militant group", "the Islamic State group"}),
    ("Sergei Lavrov", {"Lavrov"}),
    ("Bashar al-Assad", {"Assad"}),
    ("Syrian Observatory for Human Rights", {"The Observatory"}),
])
def test_aliases_merge_into_one_actor(briefing, canonical, forms):
    actor = _actor(briefing, canonical)
    assert forms <= set(actor.aliases)
    assert sum(1 for a in briefing.actors if a.name in forms) == 0


def test_day_events_split_homs_damascus_agreement_combined(briefing):
    ids = [e.id for e in briefing.events if not e.background]
    assert "event:attack-homs" in ids
    assert "event:attack-damascus" in ids
    assert "event:agreement" in ids
    assert any(i.startswith("event:combined-attack") for i in ids)
    assert _event(briefing, "event:attack-damascus").label == "Bombing in Sayyida Zeinab, Damascus"


def test_homs_keeps_every_claimant_with_its_article(briefing):
    claims = {(c.claimant, c.value, c.via, tuple(c.articles)) for c in _event(briefing, "event:attack-homs").killed.claims}
    assert ("the governor of Homs", 25, "SANA", (A004,)) in claims
    assert ("Syrian Observatory for Human Rights", 57, None, (A001,)) in claims
    assert ("Syrian Foreign Ministry", 46, None, (A001,)) in claims
    assert ("Syrian Observatory for Human Rights", 46, None, (A002,)) in claims  # 002 gives SOHR 46
    assert ("Early estimates", 60, None, (A003,)) in claims


def test_homs_rollup_low_best_high_disputed(briefing):
    killed = _event(briefing, "event:attack-homs").killed
    assert (killed.low, killed.high) == (25, 67)
    assert killed.best == 46  # SOHR is cited by most articles; its most specific figure, lower on ties
    assert killed.disputed is True
    assert killed.independent_sources == 5  # governor, Foreign Ministry, SOHR, early estimates, unattributed
    assert killed.rule == ROLLUP_RULE


def test_damascus_figures_and_one_claim_for_two_articles(briefing):
    killed = _event(briefing, "event:attack-damascus").killed
    sohr62 = next(c for c in killed.claims if c.value == 62)
    assert sohr62.claimant == "Syrian Observatory for Human Rights"
    assert sohr62.articles == [A001, A002]
    assert (killed.low, killed.high) == (50, 83)


def test_combined_tolls_stay_apart_from_city_tolls(briefing):
    combined = next(e for e in briefing.events if e.id.startswith("event:combined-attack"))
    values = {c.value for c in combined.killed.claims}
    assert {100, 130, 140} <= values
    homs = {c.value for c in _event(briefing, "event:attack-homs").killed.claims}
    assert not values & homs


def test_background_figures_never_join_the_day(briefing):
    background = [e for e in briefing.events if e.background]
    bg_values = {c.value for e in background for c in e.killed.claims}
    assert {470000, 28, 45, 8} <= bg_values
    day_values = {c.value for e in briefing.events if not e.background for c in e.killed.claims}
    assert not bg_values & day_values
    assert all("(background)" in e.label for e in background)


def test_same_quote_from_two_articles_is_one_statement(briefing):
    st = [s for s in briefing.statements if "modalities for a cessation of hostilities" in s.text]
    assert len(st) == 1
    assert st[0].speaker == "John Kerry"
    assert st[0].articles == [A001, A002]
    assert st[0].kind == "quote"


def test_order_independence(briefing):
    texts = {a.id: a.text for a in seed_articles().values()}
    exs = seed_extractions()
    rng = random.Random(7)
    for _ in range(3):
        shuffled = [e.model_copy(deep=True) for e in exs]
        rng.shuffle(shuffled)
        for e in shuffled:
            rng.shuffle(e.casualties)
            rng.shuffle(e.statements)
            rng.shuffle(e.events)
        again = merge(shuffled, texts)
        assert dump(again) == dump(briefing)


def test_markdown_shows_claimants_articles_and_rollup(briefing):
    md = render.markdown(briefing)
    assert "### Bombing in Homs" in md
    assert "low 25, best 46, high 67; **disputed**" in md
    assert "the governor of Homs (via SANA) | 25 |" in md
    assert render.esc(A004) in md and "Syrian Observatory for Human Rights | 57 |" in md


def test_narrative_cites_only_merged_records(briefing):
    ids = {e.id for e in briefing.events}
    assert briefing.narrative
    for s in briefing.narrative:
        assert set(s.refs) <= ids
        assert s.citations
