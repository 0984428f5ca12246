"""Offsets hold against the input as given (issue 10, item 7).

Articles with CRLF, a BOM, zero-width, bidi-control and no-break spaces are written to files,
briefed with a fake model, and every citation of the JSON briefing must satisfy
``Path(f).read_text()[start:end] == citation.text``. ``summarizer check`` passes on the briefing
and fails on a tampered one; a property test checks the offset map for random insertions.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FakeBackend, citations_in
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from summarizer import pipeline
from summarizer.backends import Request
from summarizer.cli import app
from summarizer.ingest.article import make_article
from summarizer.ingest.load import load_many
from summarizer.ingest.offsets import OffsetMap, clean, to_given
from summarizer.schemas import AlignmentStatus, Citation
from summarizer.settings import Settings

runner = CliRunner()
EMPTY = {"casualties": [], "statements": [], "events": []}
# The Homs sentence as the model reads it (cleaned; NBSP kept): from "A twin" to "Sunday."
_SENTENCE = re.compile(r"A twin.*?said on Sunday\.", re.S)


class EchoBackend(FakeBackend):
    """Answers the Homs casualty with the sentence exactly as the prompt shows it."""

    def __init__(self) -> None:
        super().__init__(default_strategy="whole", default=EMPTY)

    def _next(self, request: Request):  # type: ignore[no-untyped-def]
        # Per request, never through shared state: articles are asked from several threads at once.
        m = next((m for m in (_SENTENCE.search(x["content"]) for x in request.messages) if m), None)
        return EMPTY if not m else {
            "casualties": [{"evidence": m.group(), "killed": 46, "injured": None, "place": "Homs",
                            "claimed_by": "the Syrian Observatory for Human Rights", "event": "twin bombing"}],
            "statements": [], "events": []}


def _article(line_end: str = "\n", bom: str = "", zw: str = "", bidi: str = "", nbsp: str = " ",
             extra: str = "") -> str:
    lines = [
        f"Blasts in Homs{extra}",
        "",
        f"A twin{zw} bombing in {bidi}Homs{bidi and chr(0x202c)} killed 4{zw}6{nbsp}people, the Syrian"
        f"{nbsp}Observatory for Human Rights said on Sunday.",
        f"The governor said{zw} the toll could rise.",
        "",
    ]
    return bom + line_end.join(lines)


VARIANTS = {
    "crlf": _article("\r\n"),
    "bom": _article(bom="\ufeff"),
    "zero_width": _article(zw="\u200b"),
    "bidi": _article(bidi="\u202e"),
    "nbsp": _article(nbsp="\u00a0"),
    "lone_cr": _article("\r"),
    "crlf_bom_zw": _article("\r\n", bom="\ufeff", zw="\u200b"),
    "mixed": _article("\r\n", bom="\ufeff", zw="\u200b", bidi="\u2067", nbsp="\u00a0"),
}


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))  # byte for byte: write_text would translate newlines
    return path


def _assert_round_trips(doc: dict, files: dict[str, Path]) -> int:
    cits = citations_in(doc)
    for c in cits:
        given = files[c["article_id"]].read_text()
        assert given[c["start"]:c["end"]] == c["text"], c
    return len(cits)


def test_read_text_keeps_a_utf8_bom_and_reads_crlf_as_lf(tmp_path):
    """The rule the offsets follow, checked on a real file: the BOM is a character, CRLF is LF."""
    f = _write(tmp_path / "a.txt", "\ufeffone\r\ntwo\rthree\u2028four")
    assert f.read_text() == "\ufeffone\ntwo\nthree\u2028four"
    (a,) = load_many([f]).articles
    assert a.given == f.read_text() and a.indexes == "file" and a.encoding == "utf-8"
    assert a.text == "one\ntwo\nthree\nfour"


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_citation_round_trips_against_read_text(tmp_path, name):
    f = _write(tmp_path / f"{name}.txt", VARIANTS[name])
    result = pipeline.brief([f], Settings(strategy="whole"), backend=EchoBackend())
    doc = result.model_dump(mode="json")
    assert _assert_round_trips(doc, {name: f}) >= 3
    assert result.run.offsets.failed == 0 and result.run.offsets.mapped >= 3
    assert doc["sources"][0]["text"] == f.read_text()
    assert doc["sources"][0]["indexes"] == "file"
    killed = result.events[0].killed.claims[0]
    assert killed.value == 46 and all(c.text.replace("\u200b", "") == "46" for c in killed.citations)


def test_the_done_case_crlf_bom_zero_width_shifts_and_still_holds(tmp_path):
    """The issue's done-means: a CRLF + BOM + zero-width article round-trips, and the offsets did
    move (they are not the cleaned text's)."""
    f = _write(tmp_path / "article.txt", VARIANTS["crlf_bom_zw"])
    result = pipeline.brief([f], Settings(strategy="whole"), backend=EchoBackend())
    given, cleaned = f.read_text(), load_many([f]).articles[0].text
    cits = [Citation(**c) for c in citations_in(result.model_dump(mode="json"))]
    assert cits and all(given[c.start:c.end] == c.text for c in cits)
    assert any(cleaned[c.start:c.end] != c.text for c in cits)  # the pre-fix offsets would be wrong
    assert any("\u200b" in c.text for c in cits)  # "4\u200b6": the given characters, as they are


def test_a_mixed_cluster_in_one_briefing(tmp_path):
    files = {n: _write(tmp_path / f"{n}.txt", _article(*_args(n), extra=f" ({n})")) for n in VARIANTS}
    result = pipeline.brief(list(files.values()), Settings(strategy="whole"), backend=EchoBackend())
    doc = result.model_dump(mode="json")
    assert {s["id"] for s in doc["sources"] if s["status"] == "ok"} == set(files)
    assert _assert_round_trips(doc, files) >= 3 * len(files)
    assert result.run.offsets.failed == 0


def _args(name: str) -> tuple[str, str, str, str, str]:
    le = "\r\n" if "crlf" in name or name == "mixed" else "\r" if name == "lone_cr" else "\n"
    return (le, "\ufeff" if "bom" in name or name == "mixed" else "",
            "\u200b" if "zw" in name or "zero" in name or name == "mixed" else "",
            "\u202e" if name in ("bidi", "mixed") else "", "\u00a0" if name in ("nbsp", "mixed") else " ")


def test_extract_output_indexes_the_file_as_given(tmp_path):
    f = _write(tmp_path / "article.txt", VARIANTS["mixed"])
    out, report = pipeline.extract_as_given([f], Settings(strategy="whole"), backend=EchoBackend())
    assert report.failed == 0 and report.mapped >= 3
    assert _assert_round_trips({"x": [e.model_dump(mode="json") for e in out]}, {"article": f}) >= 3


def test_the_cache_keeps_cleaned_offsets_and_each_input_maps_its_own(tmp_path):
    """LF and CRLF copies clean to one text: one cache entry, each briefing in its own file's offsets."""
    (tmp_path / "lf").mkdir()
    lf = _write(tmp_path / "lf" / "article.txt", _article("\n"))
    crlf = _write(tmp_path / "article.txt", VARIANTS["crlf_bom_zw"])
    s = Settings(strategy="whole", cache_path=tmp_path / "cache.sqlite", narrative=False)
    be = EchoBackend()
    first = pipeline.brief([lf], s, backend=be)
    calls = len(be.history)
    second = pipeline.brief([crlf], s, backend=be)
    assert len(be.history) == calls and second.run.cache_hits == 1
    assert _assert_round_trips(first.model_dump(mode="json"), {"article": lf}) >= 3
    assert _assert_round_trips(second.model_dump(mode="json"), {"article": crlf}) >= 3
    third = pipeline.brief([lf], s, backend=be)  # the cached entry was not rewritten by the CRLF run
    assert third.model_dump(mode="json")["events"] == first.model_dump(mode="json")["events"]


def test_json_records_index_their_text_string(tmp_path):
    f = tmp_path / "articles.json"
    text = VARIANTS["mixed"]
    f.write_text(json.dumps([{"id": "rec", "text": text}]), encoding="utf-8")
    result = pipeline.brief([f], Settings(strategy="whole"), backend=EchoBackend())
    given = json.loads(f.read_text())[0]["text"]
    assert given == text and "\r\n" in given  # a JSON string keeps its CRs: offsets count them
    cits = citations_in(result.model_dump(mode="json"))
    assert len(cits) >= 3 and all(given[c["start"]:c["end"]] == c["text"] for c in cits)
    assert result.sources[0].indexes == "json"


def test_html_sources_index_their_extracted_text_which_is_always_included(tmp_path):
    body = VARIANTS["zero_width"].replace("\n\n", "\n").split("\n")
    page = ("<html><head><title>Blasts in Homs</title></head><body><article>"
            + "".join(f"<p>{line}</p>" for line in body if line) + "</article></body></html>")
    f = tmp_path / "page.html"
    f.write_text(page, encoding="utf-8")
    result = pipeline.brief([f], Settings(strategy="whole", include_text=False), backend=EchoBackend())
    src = result.sources[0]
    assert src.indexes == "html" and src.text  # kept though include_text is off: nothing else holds it
    cits = citations_in(result.model_dump(mode="json"))
    assert cits and all(src.text[c["start"]:c["end"]] == c["text"] for c in cits)


def test_no_include_text_leaves_text_files_out(tmp_path):
    f = _write(tmp_path / "a.txt", VARIANTS["crlf"])
    result = pipeline.brief([f], Settings(strategy="whole", include_text=False), backend=EchoBackend())
    assert result.sources[0].text is None and result.sources[0].indexes == "file"


# --- summarizer check --------------------------------------------------------------------


@pytest.fixture
def briefed(tmp_path, monkeypatch):
    files = [_write(tmp_path / f"{n}.txt", _article(*_args(n), extra=f" ({n})")) for n in ("mixed", "crlf_bom_zw")]
    monkeypatch.setattr(pipeline, "make_backend", lambda settings: EchoBackend())
    out = tmp_path / "briefing.json"
    r = runner.invoke(app, ["brief", "-q", "--strategy", "whole", "--format", "json", "-o", str(out),
                            *map(str, files)])
    assert r.exit_code == 0, r.stderr
    return out, files


def test_check_passes_on_a_fresh_briefing_alone_and_with_its_files(briefed):
    out, files = briefed
    r = runner.invoke(app, ["check", str(out)])
    assert r.exit_code == 0, r.stderr
    assert "citations hold (against sources[].text)" in r.stderr
    r = runner.invoke(app, ["check", str(out), *map(str, files)])
    assert r.exit_code == 0, r.stderr


def test_check_fails_on_a_tampered_briefing(briefed, tmp_path):
    out, files = briefed
    doc = json.loads(out.read_text())
    cit = doc["events"][0]["killed"]["claims"][0]["citations"][0]
    cit["start"] += 1
    cit["end"] += 1
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(doc))
    for args in ([str(bad)], [str(bad), *map(str, files)]):
        r = runner.invoke(app, ["check", *args])
        assert r.exit_code == 1 and "the text at these offsets is" in r.stderr, r.stderr


def test_check_fails_when_the_source_text_is_edited_or_missing(briefed, tmp_path):
    out, files = briefed
    doc = json.loads(out.read_text())
    doc["sources"][0]["text"] = doc["sources"][0]["text"].replace("\u200b", "")  # "cleaned" by someone
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc))
    assert runner.invoke(app, ["check", str(edited)]).exit_code == 1
    for s in doc["sources"]:
        s["text"] = None
    edited.write_text(json.dumps(doc))
    r = runner.invoke(app, ["check", str(edited)])
    assert r.exit_code == 1 and "no text for this article" in r.stderr
    assert runner.invoke(app, ["check", str(edited), *map(str, files)]).exit_code == 0


def test_check_fails_on_a_file_that_is_no_source(briefed, tmp_path):
    out, files = briefed
    other = _write(tmp_path / "other.txt", _article(extra=" (other)"))
    r = runner.invoke(app, ["check", str(out), *map(str, files), str(other)])
    assert r.exit_code == 1 and "no source of the briefing has this text" in r.stderr


def test_check_refuses_what_is_not_a_briefing(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{not json")
    assert runner.invoke(app, ["check", str(bad)]).exit_code == 2


# --- the map itself -------------------------------------------------------------------------


def _reference_clean(raw: str) -> str:
    """The normalization as it was written before the map existed (two regex passes)."""
    text = re.sub("\r\n|[\r\u2028\u2029]", "\n", raw)
    return re.sub("[\u200b\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]", "", text)


_NOISE = st.sampled_from(["\r", "\r\n", "\ufeff", "\u200b", "\u202e", "\u00a0", "\u2028", "\u00ad"])


@st.composite
def _given_texts(draw: st.DrawFn) -> str:
    base = list(draw(st.text(alphabet="ab 4\n.", max_size=40)))
    for _ in range(draw(st.integers(0, 12))):
        base.insert(draw(st.integers(0, len(base))), draw(_NOISE))
    return "".join(base)


@settings(max_examples=300, deadline=None)
@given(_given_texts(), st.data())
def test_the_map_round_trips_random_insertions(given_text, data):
    cleaned, omap = clean(given_text)
    assert cleaned == _reference_clean(given_text)
    assert omap.clean_len == len(cleaned) and omap.given_len == len(given_text)
    positions = [omap.char(i) for i in range(len(cleaned))]
    assert positions == sorted(set(positions))  # one given character per cleaned one, in order
    for i, g in enumerate(positions):  # each cleaned character comes from its given one
        assert given_text[g] == cleaned[i] or (given_text[g] in "\r\u2028\u2029" and cleaned[i] == "\n")
    s = data.draw(st.integers(0, len(cleaned)))
    e = data.draw(st.integers(s, len(cleaned)))
    gs, ge = omap.span(s, e)
    assert 0 <= gs <= ge <= len(given_text)
    assert clean(given_text[gs:ge])[0] == cleaned[s:e]


@settings(max_examples=150, deadline=None)
@given(_given_texts(), st.data())
def test_to_given_rewrites_any_citation_to_read_back(given_text, data):
    if not re.search(r"[ab]{2,}", _reference_clean(given_text)):
        given_text += "ab"
    article = make_article(given_text, id="x")
    s = data.draw(st.integers(0, len(article.text) - 1))
    e = data.draw(st.integers(s + 1, len(article.text)))
    cit = Citation(article_id="x", start=s, end=e, text=article.text[s:e], status=AlignmentStatus.EXACT)
    holder = [cit]
    report = to_given(holder, {"x": article})
    assert report.failed == 0 and report.mapped == 1
    assert article.given[holder[0].start:holder[0].end] == holder[0].text


def test_a_citation_that_does_not_match_is_counted_never_silently_kept():
    article = make_article("Blasts\r\nin Homs killed 46.", id="x")
    wrong = Citation(article_id="x", start=0, end=3, text="xyz")
    unknown = Citation(article_id="nope", start=0, end=3, text="Bla")
    holder = [wrong, unknown]
    report = to_given(holder, {"x": article})
    assert report.failed == 2 and report.mapped == 0 and len(report.issues) == 2
    assert holder == [wrong, unknown]


def test_identity_map_for_clean_text():
    text, omap = clean("plain text\nno edits")
    assert omap == OffsetMap(len(text), len(text)) and omap.identity


def test_batch_outputs_index_each_file_as_given(tmp_path):
    from summarizer.batch import runner as batch

    inbox = tmp_path / "inbox"
    (inbox / "cluster").mkdir(parents=True)
    files = {n: _write(inbox / "cluster" / f"{n}.txt", _article(*_args(n), extra=f" ({n})"))
             for n in ("mixed", "crlf_bom_zw", "nbsp")}
    result = batch.run(inbox, tmp_path / "out", Settings(strategy="whole", narrative=False), backend=EchoBackend())
    assert result.exit_code == 0
    doc = json.loads((tmp_path / "out" / "cluster.json").read_text())
    assert _assert_round_trips(doc, files) >= 9 and doc["run"]["offsets"]["failed"] == 0


def test_cli_no_include_text_and_extract_output_are_checkable_with_the_files(tmp_path, monkeypatch):
    f = _write(tmp_path / "article.txt", VARIANTS["crlf_bom_zw"])
    monkeypatch.setattr(pipeline, "make_backend", lambda settings: EchoBackend())
    out = tmp_path / "b.json"
    r = runner.invoke(app, ["brief", "-q", "--strategy", "whole", "--no-include-text", "--format", "json",
                            "-o", str(out), str(f)])
    assert r.exit_code == 0, r.stderr
    assert json.loads(out.read_text())["sources"][0]["text"] is None
    assert runner.invoke(app, ["check", str(out)]).exit_code == 1  # nothing to check against
    assert runner.invoke(app, ["check", str(out), str(f)]).exit_code == 0
    ex = tmp_path / "ex.json"
    r = runner.invoke(app, ["extract", "-q", "--strategy", "whole", "-o", str(ex), str(f)])
    assert r.exit_code == 0, r.stderr
    assert _assert_round_trips({"x": json.loads(ex.read_text())}, {"article": f}) >= 3
    assert runner.invoke(app, ["check", str(ex), str(f)]).exit_code == 0
