"""The benchmark scorer (benchmarks/clusters.py: score_briefing) on a hand-made briefing, no model."""

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


def _claim(value, words, *articles, claimant=None):
    return {"value": value, "qualifier": "exact", "words": words, "claimant": claimant,
            "articles": list(articles), "citations": []}


def _event(kind, place, *, within=None, date=None, background=False, killed=(), injured=()):
    return {"id": f"event:{kind}:{place}", "label": f"{kind} in {place}", "kind": kind, "place": place,
            "within": within, "date": date, "background": background,
            "killed": {"claims": list(killed)}, "injured": {"claims": list(injured)}}


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
    assert "| town-shooting |" in out and "| **total** |" in out and "0 / 5" in out
