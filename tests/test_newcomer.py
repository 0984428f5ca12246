"""The newcomer stories' expected facts (tests/fixtures/newcomer) are true of their own texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "fixtures" / "newcomer"
CLUSTERS = sorted(p.stem for p in (HERE / "expected").glob("*.json"))
TYPES = {"killed", "injured", "missing", "displaced", "affected", "arrested", "hospitalized", "cases"}


def _text(cluster: str, article: str) -> str:
    return (HERE / cluster / f"{article}.txt").read_text()


def test_ten_stories_each_with_its_articles() -> None:
    assert len(CLUSTERS) == 10
    for c in CLUSTERS:
        assert len(list((HERE / c).glob("*.txt"))) >= 2, c


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_every_expected_string_is_in_its_article(cluster: str) -> None:
    facts = json.loads((HERE / "expected" / f"{cluster}.json").read_text())
    assert facts["cluster"] == cluster
    assert facts["events_expected"] >= 1
    if facts["main_event"]["place"] is None and facts["main_event"]["kind"] not in {"storm"}:
        assert facts["main_event"]["matter"] and facts["main_event"]["parties"]
    for f in facts["figures"]:
        assert f["type"] in TYPES
        assert f["evidence"] in _text(cluster, f["article"])
        assert f["words"] in f["evidence"]
        if f["value"] is not None and f["words"].strip().split()[-1].replace(",", "").isdigit():
            assert int(f["words"].split()[-1].replace(",", "")) == f["value"]
    for p in facts["perpetrators"]:
        assert p["evidence"] in _text(cluster, p["article"]) and p["name"] in p["evidence"]
    for n in facts["not_figures"]:
        assert n["words"] in _text(cluster, n["article"])
    for s in facts.get("statements", []):
        assert s["quote"] in _text(cluster, s["article"])
