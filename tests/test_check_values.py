"""``summarizer check`` verifies values, not only offsets: a briefing whose figures and words were
edited fails with the field and the citation named, while its citations still hold."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from summarizer.check import check
from summarizer.cli import app

REAL = ROOT / "benchmarks" / "results" / "after" / "syria-2016-02-21.json"  # a briefing the pipeline wrote
runner = CliRunner()


def _doc() -> dict:
    return json.loads(REAL.read_text(encoding="utf-8"))


def _claim(doc: dict, claimant: str | None = "Syrian Observatory for Human Rights") -> dict:
    return next(c for e in doc["events"] for c in e["killed"]["claims"] if c["claimant"] == claimant)


def test_an_untouched_briefing_passes_every_value():
    result = check(_doc())
    assert result.ok and result.values == [] and result.report.failed == 0


def _tamper_value(d):  # type: ignore[no-untyped-def]
    c = _claim(d)
    c["value"] = 999
    return "killed.claims", ".value: 999, but the cited characters read"


def _tamper_qualifier(d):  # type: ignore[no-untyped-def]
    _claim(d)["qualifier"] = "more_than"
    return "killed.claims", ".qualifier: 'more_than'"


def _tamper_words(d):  # type: ignore[no-untyped-def]
    _claim(d)["words"] = "999"
    return "killed.claims", ".words: '999'"


def _tamper_claimant(d):  # type: ignore[no-untyped-def]
    _claim(d)["claimant"] = "the Ministry of Truth"
    return "killed.claims", ".claimant: 'the Ministry of Truth' is not in the cited sentence"


def _tamper_quote(d):  # type: ignore[no-untyped-def]
    s = next(s for s in d["statements"] if s["kind"] == "quote")
    s["text"] = "We surrender."
    return "statements[", ".text: the quote is not in its cited characters"


def _tamper_speaker(d):  # type: ignore[no-untyped-def]
    s = next(s for s in d["statements"] if s["speaker"] == "John Kerry")
    s["speaker"] = "Napoleon Bonaparte"
    return "statements[", ".speaker: 'Napoleon Bonaparte'"


def _tamper_place(d):  # type: ignore[no-untyped-def]
    next(e for e in d["events"] if e["place"] == "Homs")["place"] = "Atlantis"
    return "events[", ".place: 'Atlantis'"


def _tamper_tally(d):  # type: ignore[no-untyped-def]
    next(e for e in d["events"] if e["place"] == "Homs")["killed"]["high"] = 999
    return "killed.high", ": 999, but the largest claimed figure is"


def _tamper_actor(d):  # type: ignore[no-untyped-def]
    a = next(a for a in d["actors"] if a["name"] == "Sergei Lavrov")
    a["name"], a["aliases"] = "Vladimir Lenin", []
    return "actors[", "which is not 'Vladimir Lenin'"


def _tamper_date(d):  # type: ignore[no-untyped-def]
    next(e for e in d["events"] if e["place"] == "Homs")["date"] = "2016-03-01"
    return "events[", ".date: '2016-03-01', but citations[0] (001_8b3ceabd25f84930 1288:1413) reads 2016-02-21"


def _tamper_title_date(d):  # type: ignore[no-untyped-def]
    d["title"] = d["title"].rsplit(" — ", 1)[0] + " — 2016-03-01"
    return "title", ": its date 2016-03-01 is no event's date"


@pytest.mark.parametrize("tamper", [_tamper_value, _tamper_qualifier, _tamper_words, _tamper_claimant, _tamper_quote,
                                    _tamper_speaker, _tamper_place, _tamper_tally, _tamper_actor, _tamper_date,
                                    _tamper_title_date])
def test_a_tampered_value_fails_naming_the_field(tamper):
    doc = _doc()
    field, message = tamper(doc)
    result = check(doc)
    assert result.report.failed == 0  # every citation still holds: the offsets alone would pass it
    assert not result.ok
    assert any(field in v and message in v for v in result.values), result.values


def test_the_issue_repro_fails_on_the_command_line(tmp_path: Path):
    """Figures and words edited to 999, offsets untouched: exit 1, each field named."""
    doc = copy.deepcopy(_doc())
    for e in doc["events"]:
        for c in e["killed"]["claims"]:
            c["value"], c["words"] = 999, "999"
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(doc))
    r = runner.invoke(app, ["check", str(path)])
    assert r.exit_code == 1
    assert "events[0].killed.claims[0].value: 999, but the cited characters read" in r.stderr
    assert "citations hold" in r.stderr and "values differ from what they cite" in r.stderr


def test_an_event_date_is_read_as_grounding_reads_it():
    """Every dated event of an honest briefing holds by ``dates.date_of``: the relative day word of a
    cited sentence ("early Sunday") against its source's published date, else the lead's date."""
    doc = _doc()
    dated = [e for e in doc["events"] if e.get("date")]
    assert dated and not [v for v in check(doc).values if ".date" in v]
    # The same words against another published date give another day: the date is derived, not trusted.
    for s in doc["sources"]:
        if s["published"]:
            s["published"] = "2016-03-05"
    wrong = [v for v in check(doc).values if ".date: '2016-02-21'" in v]
    assert wrong and all("against 2016-03-05" in v for v in wrong), wrong
