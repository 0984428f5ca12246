"""The benchmark scorer (benchmarks/cluster_score.py through benchmarks/clusters.py) on hand-made
briefings, expected facts and censuses: no model, no article text."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench_clusters", ROOT / "benchmarks" / "clusters.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

EXPECTED = {
    "cluster": "town-shooting",
    "main_event": {"kind": "shooting", "place": "Fort Hood", "place_any": ["Fort Hood", "Texas"],
                   "date": "2009-11-05"},
    "figures": [
        {"article": "a", "value": 13, "words": "13", "type": "killed", "claimant": None, "background": False,
         "evidence": "13 dead"},
        {"article": "a", "value": 30, "words": "thirty", "type": "injured", "claimant": None, "background": False,
         "evidence": "thirty wounded"},
        {"article": "b", "value": None, "words": "dozens", "type": "injured", "claimant": None, "background": False,
         "evidence": "dozens hurt"},
        {"article": "b", "value": 28, "words": "28", "type": "killed", "claimant": None, "background": True,
         "evidence": "28 killed last week"},
        {"article": "b", "value": 300, "words": "300", "type": "displaced", "claimant": None, "background": False,
         "evidence": "300 homeless"},
    ],
    "not_figures": [{"article": "a", "words": "in 1985", "why": "year"},
                    {"article": "b", "words": "138 college graduates", "why": "not victims"}],
}


def _claim(value, words, *articles, claimant=None, at=None):
    """``at``: (start, end) of the figure in every article it cites."""
    cites = [{"article_id": a, "start": at[0], "end": at[1], "text": words} for a in articles] if at else []
    return {"value": value, "qualifier": "exact", "words": words, "claimant": claimant,
            "articles": list(articles), "citations": cites}


def _event(kind, place, *, within=None, date=None, background=False, killed=(), injured=(), label=None,
           perpetrators=(), **more):
    return {"id": f"event:{kind}:{place}", "label": label or f"{kind} in {place}", "kind": kind, "place": place,
            "within": within, "date": date, "background": background, "perpetrators": list(perpetrators),
            "killed": {"claims": list(killed)}, "injured": {"claims": list(injured)},
            **{k: {"claims": list(v)} for k, v in more.items()}}


def test_right_main_event_and_figures():
    briefing = {"title": "t", "events": [
        _event("shooting", "Processing Center", within="Fort Hood", date="2009-11-05",
               killed=[_claim(13, "13", "a")], injured=[_claim(30, "thirty", "a"), _claim(None, "Dozens", "b")]),
        _event("bombing", "Ankara", background=True, killed=[_claim(28, "28", "b")]),
    ], "run": {"duration_s": 12.5, "usage": {"calls": 40}}}
    r = bench.score_briefing(briefing, EXPECTED)
    assert r["main"]["kind_ok"] and r["main"]["place_ok"] and r["main"]["date_ok"]
    f = r["figures"]
    assert (f["found"], f["expected"], f["kept"], f["extra"], f["not_figures"], f["wrong_type"]) == (4, 5, 4, 0, 0, 0)
    assert f["missed_list"] == [{"article": "b", "words": "300", "type": "displaced"}]
    assert f["background_mislabelled"] == 0
    assert (r["seconds"], r["llm_calls"]) == (12.5, 40)


def test_wrong_kind_place_date_and_bad_figures_are_counted():
    briefing = {"title": "t", "events": [
        _event("bombing", "U.S.", date="2009-12-05",
               killed=[_claim(30, "thirty", "a"), _claim(1985, "1985", "a"), _claim(138, "138", "b"),
                       _claim(7, "7", "a", "b")]),
        _event("bombing", "Ankara", killed=[_claim(28, "28", "b")]),  # a background toll kept as today's
    ]}
    r = bench.score_briefing(briefing, EXPECTED)
    assert not r["main"]["kind_ok"] and not r["main"]["place_ok"] and r["main"]["date_ok"] is False
    f = r["figures"]
    assert f["found"] == 1  # only the 28
    assert f["wrong_type"] == 1  # 30 wounded kept as killed
    assert f["kept"] == 6 and f["extra"] == 4 and f["not_figures"] == 2  # 1985 and 138 are listed not_figures
    assert f["background_mislabelled"] == 1
    assert r["seconds"] is None


def test_place_matches_words_not_substrings_and_null_date_is_na():
    exp = {**EXPECTED, "main_event": {"kind": "outbreak", "place": "Mexico", "place_any": ["Mexico"], "date": None}}
    ok = bench.score_briefing({"events": [_event("outbreak", "Mexico City")]}, exp)["main"]
    assert ok["place_ok"] and ok["date_ok"] is None
    bad = bench.score_briefing({"events": [_event("outbreak", "New Mexicoville")]}, exp)["main"]
    assert not bad["place_ok"]
    assert bench.score_briefing({"events": []}, exp)["main"]["found"] is None


def test_table_renders_totals():
    r = bench.score_briefing({"events": [_event("shooting", "Texas", date="2009-11-05")]}, EXPECTED)
    out = bench.table([r])
    assert "| town-shooting |" in out and "| **total** (1 scored" in out and "| 0/5 |" in out


# --- more roles, census precision, claimants, events, perpetrators (issues 21 and 22) ---------------


def test_tallies_are_read_by_role_name_in_any_of_three_shapes():
    claim = _claim(4, "four", "a")
    flat = {"label": "x", "killed": {"claims": []}, "missing": {"claims": [claim]}}
    nested = {"label": "x", "casualties": {"missing": {"claims": [claim]}, "wounded": {"claims": [claim]}}}
    listed = {"label": "x", "tallies": [{"role": "missing", "claims": [claim]}, {"role": "bogus", "claims": [claim]}]}
    assert [r for r, _ in bench.cluster_score.tallies(flat)] == ["killed", "missing"]
    assert sorted(r for r, _ in bench.cluster_score.tallies(nested)) == ["injured", "missing"]
    assert [r for r, _ in bench.cluster_score.tallies(listed)] == ["missing"]


def test_new_roles_are_found_per_role():
    briefing = {"events": [_event("shooting", "Fort Hood", date="2009-11-05", killed=[_claim(13, "13", "a")],
                                  displaced=[_claim(300, "300", "b")], missing=[_claim(2, "two", "b")])]}
    f = bench.score_briefing(briefing, EXPECTED)["figures"]
    assert f["per_role"]["displaced"] == {"expected": 1, "found": 1, "kept": 1}
    assert f["per_role"]["missing"] == {"expected": 0, "found": 0, "kept": 1}
    assert (f["found"], f["kept"], f["extra"]) == (2, 3, 1)


CENSUS = {"a": [{"start": 0, "end": 2, "text": "13", "role": "killed", "status": "current"},
                {"start": 10, "end": 16, "text": "thirty", "role": "injured", "status": "current"},
                {"start": 30, "end": 32, "text": "12", "role": "identifier", "status": "-"},
                {"start": 40, "end": 42, "text": "49", "role": "killed", "status": "background"}]}


def test_census_says_which_kept_figures_are_not_of_their_role():
    briefing = {"events": [_event("shooting", "Fort Hood", killed=[
        _claim(13, "13", "a", at=(0, 2)),            # right
        _claim(30, "thirty", "a", at=(10, 16)),      # an injured count kept as killed
        _claim(12, "12", "a", at=(30, 32)),          # "KXYZ 12": part of a name
        _claim(49, "49", "a", at=(40, 42)),          # right role, but a recalled event kept as today's
        _claim(7, "seven", "a", at=(50, 55)),        # cites no census mention
    ])]}
    c = bench.score_briefing(briefing, EXPECTED, CENSUS)["census"]
    assert (c["kept"], c["right"], c["other_casualty_role"], c["not_casualty"], c["no_mention"]) == (5, 2, 1, 1, 1)
    assert c["per_role"]["killed"]["kept"] == 5 and c["per_role"]["injured"]["kept"] == 0
    assert [w["census_role"] for w in c["wrong_list"]] == ["injured", "identifier"]
    assert [w["value"] for w in c["status_wrong_list"]] == [49]
    table = bench.table([bench.score_briefing(briefing, EXPECTED, CENSUS)])
    assert "| 3 (1 / 1 / 1) |" in table and "| killed | 2 | 1 | 5 | 2 | 1 | 1 | 1 | 0.40 | 2/2 |" in table
    # recall by mention: both killed mentions are cited as killed; the injured "thirty" is not cited as injured
    assert (c["per_role"]["killed"]["mentions"], c["per_role"]["killed"]["mentions_cited"]) == (2, 2)
    assert (c["per_role"]["injured"]["mentions"], c["per_role"]["injured"]["mentions_cited"]) == (1, 0)


def test_census_alone_scores_a_cluster_without_expected_facts():
    briefing = {"events": [_event("shooting", "X", killed=[_claim(12, "12", "a", at=(30, 32))])]}
    r = bench.score_briefing(briefing, None, CENSUS, cluster="new")
    assert r["cluster"] == "new" and not r["has_expected"] and "figures" not in r
    assert r["census"]["not_casualty"] == 1
    assert "| new | (no expected facts yet) |" in bench.table([r])


def test_claimant_right_per_figure():
    exp = {**EXPECTED, "figures": [
        {**EXPECTED["figures"][0], "claimant": "the sheriff's office"},
        {**EXPECTED["figures"][1], "claimant": None},
        {"article": "b", "value": 7, "words": "7", "type": "injured", "claimant": "police", "background": False}]}
    briefing = {"events": [_event("shooting", "Fort Hood", killed=[_claim(13, "13", "a", claimant="Sheriff's Office")],
                                  injured=[_claim(30, "thirty", "a", claimant="DUNMORE"),  # a dateline is no claimant
                                           _claim(7, "7", "b")])]}              # the police's 7, unattributed
    f = bench.score_briefing(briefing, exp)["figures"]
    assert (f["claimant_right"], f["found"]) == (1, 3)
    assert [(w["expected"], w["kept"]) for w in f["claimant_wrong_list"]] == [(None, "DUNMORE"), ("police", None)]


def test_events_counted_without_background_or_combined():
    exp = {**EXPECTED, "events_expected": 1}
    briefing = {"events": [_event("shooting", "Fort Hood"), _event("shooting", "Killeen"),
                           _event("shooting", "Orlando", background=True),
                           _event("shooting", "A", label="Shootings in A and B (combined toll)")]}
    ev = bench.score_briefing(briefing, exp)["events"]
    assert (ev["found"], ev["expected"], ev["ok"], ev["all"]) == (2, 1, False, 4)
    assert bench.score_briefing({"events": [_event("shooting", "Fort Hood")]}, exp)["events"]["ok"] is True


def test_perpetrators_named_right_and_named_where_none():
    exp = {**EXPECTED, "perpetrators": [{"name": "Nidal Malik Hasan", "basis": "named"}],
           "not_perpetrators": [{"name": "FBI"}]}
    actors = [{"id": "actor:hasan", "name": "Hasan"}, {"id": "actor:fbi", "name": "the FBI"},
              {"id": "actor:mass", "name": "Mass"}]
    briefing = {"actors": actors, "events": [
        _event("shooting", "Fort Hood", perpetrators=["actor:hasan", "actor:fbi", "actor:mass"]),
        _event("bombing", "Ankara", background=True, perpetrators=["actor:mass"])]}
    p = bench.score_briefing(briefing, exp)["perpetrators"]
    assert (p["named"], p["right"], p["found"], p["named_where_none"], p["named_not_perpetrator"]) == (3, 1, 1, 0, 1)
    assert p["wrong_list"] == ["the FBI", "Mass"] and p["background_names"] == ["Mass"]
    none = bench.score_briefing(briefing, {**exp, "perpetrators": []})["perpetrators"]
    assert (none["right"], none["named_where_none"]) == (0, 3)
    # a disputed perpetrator given as an object with its claimant
    obj = {"actors": actors, "events": [_event("shooting", "Fort Hood", perpetrators=[
        {"name": "Nidal Hasan", "claimant": "police"}])]}
    assert bench.score_briefing(obj, exp)["perpetrators"]["right"] == 1
    # another spelling, cited inside the expected fact's own evidence, is that perpetrator; elsewhere it is not
    spelled = {"name": "Rachid Redouane", "article": "D1", "evidence_start": 100, "evidence_end": 180}
    exp2 = {**EXPECTED, "perpetrators": [spelled]}
    ev = _event("shooting", "Fort Hood", perpetrators=["actor:rachid-radouane"])
    for at, right in ((120, 1), (300, 0)):
        ev["perpetrator_claims"] = [{"name": "Rachid Radouane", "basis": "named", "citations": [
            {"article_id": "D1", "start": at, "end": at + 15}]}]
        b2 = {"actors": [{"id": "actor:rachid-radouane", "name": "Rachid Radouane"}], "events": [ev]}
        assert bench.score_briefing(b2, exp2)["perpetrators"]["right"] == right
    # the examples' files have no perpetrators key: named, not judged
    assert bench.score_briefing(briefing, EXPECTED)["perpetrators"]["right"] is None


def test_matter_and_parties_when_nothing_happened_in_one_place():
    exp = {**EXPECTED, "main_event": {"kind": "trade_measure", "place": None, "place_any": [], "date": None,
                                      "matter": "Tariff dispute", "parties": ["United States", "China"]}}
    good = {"title": "Tariff dispute: U.S. and China", "events": [_event("trade_measure", None)]}
    m = bench.score_briefing(good, exp)["main"]
    assert m["kind_ok"] and m["place_ok"] and m["date_ok"] is None and m["parties"] == {"named": 2, "expected": 2}
    bad = {"title": "Bombing in Beijing", "events": [_event("bombing", "Beijing")]}
    m = bench.score_briefing(bad, exp)["main"]
    assert not m["kind_ok"] and not m["place_ok"] and m["parties"] == {"named": 0, "expected": 2}


def test_no_death_figure_where_the_text_states_no_death():
    exp = {**EXPECTED, "figures": [f for f in EXPECTED["figures"] if f["type"] != "killed"]}
    briefing = {"events": [_event("road_crash", "Route 9", killed=[_claim(12, "12", "a")]),
                           _event("shooting", "Orlando", background=True, killed=[_claim(49, "49", "b")])]}
    f = bench.score_briefing(briefing, exp)["figures"]
    assert not f["deaths_expected"] and f["killed_kept_today"] == 1
    assert "| 1 in 1/1 clusters |" in bench.table([bench.score_briefing(briefing, exp)])


def test_same_name_is_word_bounded():
    same = bench.cluster_score.same_name
    assert same("Mike Richey", "Fire Department Battalion Chief Mike Richey")
    assert same("The Sheriff's Office", "sheriff's office")
    assert not same("Mass", "Massachusetts State Police") and not same("Rich", "Mike Richey")
    assert not same(None, "police")
    assert same("The U.N.", "United Nations") and same("the SOHR", "Syrian Observatory for Human Rights")
    assert not same("the group", "The Syrian Observatory for Human Rights")
    assert same("the group", "Islamic State group") and not same("the group", "Islamic State group", proper=True)
    assert same("Islamic State", "Islamic State group", proper=True)


def test_a_number_stated_twice_for_two_happenings_needs_two_kept_figures():
    exp = {**EXPECTED, "figures": [
        {"article": "a", "value": 2, "words": "two", "type": "killed", "claimant": None, "background": False,
         "evidence_start": 0, "evidence_end": 20},
        {"article": "a", "value": 2, "words": "two", "type": "killed", "claimant": "police", "background": False,
         "evidence_start": 40, "evidence_end": 60}]}
    one = {"events": [_event("shooting", "X", killed=[_claim(2, "two", "a", claimant="police", at=(45, 48))])]}
    f = bench.score_briefing(one, exp)["figures"]
    assert (f["found"], f["claimant_right"]) == (1, 1)  # the kept 2 cites the second sentence, and finds it
    assert f["missed_list"] == [{"article": "a", "words": "two", "type": "killed"}]
    both = {"events": [_event("shooting", "X", killed=[_claim(2, "two", "a", claimant="police", at=(45, 48))]),
                       _event("shooting", "Y", killed=[_claim(2, "two", "a", at=(5, 8))])]}
    f = bench.score_briefing(both, exp)["figures"]
    assert (f["found"], f["claimant_right"]) == (2, 2)


def test_a_dateline_word_given_as_claimant_or_speaker_is_counted():
    briefing = {"sources": [{"id": "a", "text": "DUNMORE, Pennsylvania \u2014 A fire at a bakery injured 7 workers."},
                            {"id": "b", "text": "Intro.\nLONDON (Reuters) - Police said."}],
                "statements": [{"speaker": "LONDON"}, {"speaker": "Police"}],
                "events": [_event("explosion_fire", "Dunmore", injured=[_claim(7, "7", "a", claimant="DUNMORE")])]}
    r = bench.score_briefing(briefing, EXPECTED)
    assert r["dateline_names"] == ["DUNMORE", "LONDON"]
    assert "| 2 |" in bench.table_events([r])
    assert bench.score_briefing({**briefing, "sources": [{"id": "a", "text": "Dunmore police said 7 were hurt."}]},
                                EXPECTED)["dateline_names"] == []


def test_a_devset_briefing_is_saved_without_its_text_and_scored_the_same():
    texts = {"a": "DUNMORE, Pennsylvania \u2014 A fire at a bakery injured 7 workers on Monday, police said today."}
    at = texts["a"].index(" 7 ") + 1
    cite = {"article_id": "a", "start": at, "end": at + 1, "text": "7"}
    quote = "A fire at a bakery injured 7 workers on Monday, police said"
    briefing = {"title": "Fire in Dunmore", "narrative": [{"text": quote, "refs": []}],
                "sources": [{"id": "a", "sha256": "x", "text": texts["a"]}],
                "statements": [{"speaker": "police", "text": "short quote", "citations": [dict(cite)]}],
                "events": [_event("explosion_fire", "Dunmore",
                                  injured=[{**_claim(7, "7", "a", claimant="DUNMORE"), "citations": [dict(cite)]}])]}
    saved = bench.redact(briefing, texts)
    dumped = repr(saved)
    assert "bakery" not in dumped and "short quote" not in dumped and saved["title"] == "Fire in Dunmore"
    assert saved["events"][0]["injured"]["claims"][0]["citations"][0] == {**cite, "text": None}
    back = bench.restore(saved, texts)
    assert back["events"][0]["injured"]["claims"][0]["citations"][0]["text"] == "7"
    assert back["sources"][0]["text"] == texts["a"]
    assert bench.score_briefing(back, EXPECTED)["dateline_names"] == ["DUNMORE"]
