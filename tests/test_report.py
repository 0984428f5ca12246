"""The HTML report without a browser: what the page holds, its safety headers, the chart geometry,
and the commands that write it. (``test_report_browser.py`` clicks through it in chromium.)"""

from __future__ import annotations

import base64
import hashlib
import json

import lxml.html
import pytest
from conftest import ROOT, FakeBackend
from report_pages import (
    EMBEDDED,
    HOSTILE_QUOTE,
    all_citations,
    embedded_briefing,
    example_articles,
    hostile_article,
    hostile_briefing,
    seed_briefing,
)
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.ingest.load import load_many
from summarizer.render import chart, report
from summarizer.schemas import Briefing, Claim, Qualifier, Tally


def _parse(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def _c(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _x(node: lxml.html.HtmlElement, xpath: str) -> list[lxml.html.HtmlElement]:
    return node.xpath(xpath)


def _data(doc: lxml.html.HtmlElement) -> dict:
    return json.loads(doc.get_element_by_id("report-data").text)


@pytest.mark.parametrize("make", [embedded_briefing, seed_briefing], ids=["embedded", "seed"])
def test_every_citation_is_in_the_page_and_every_article_reads_as_stored(make):
    b, articles = make(), example_articles()
    doc = _parse(report.to_html(b, articles))
    data = _data(doc)
    ids = [a["id"] for a in data["articles"]]
    rows = {(ids[r[0]], r[1], r[2]): r for r in data["cites"]}
    for c in all_citations(b):
        row = rows[(c.article_id, c.start, c.end)]
        assert row[6] == c.text and row[3] == c.status.value
        assert row[4] <= c.start <= c.end <= row[5]  # the evidence sentence holds the span
    linked = {int(i) for el in _x(doc, "//*[@data-c]") for i in el.get("data-c").split()}
    assert linked == set(range(len(data["cites"])))  # every row is reachable from a value
    for panel in _x(doc, f"//*[{_c('article')} and @data-id]"):
        body = _x(panel, f".//*[{_c('body')}]")[0]
        assert body.text_content() == articles[panel.get("data-id")].given
        for piece in _x(body, ".//span[@data-s]"):
            s, e = int(piece.get("data-s")), int(piece.get("data-e"))
            assert piece.text_content() == articles[panel.get("data-id")].given[s:e]


@pytest.mark.parametrize("cluster", sorted(p.stem for p in EMBEDDED.parent.glob("*.json")))
def test_every_saved_embedded_briefing_renders_with_every_citation_on_its_characters(cluster):
    """The other example clusters' briefings (made on the embedded model), checked on the page's data."""
    data = json.loads((EMBEDDED.parent / f"{cluster}.json").read_text(encoding="utf-8"))
    data["run"].pop("wall_s", None)
    b = Briefing.model_validate(data)
    articles = {a.id: a for a in load_many([ROOT / "examples" / cluster]).articles}
    doc = _parse(report.to_html(b, articles))
    page = _data(doc)
    ids = [a["id"] for a in page["articles"]]
    rows = {(ids[r[0]], r[1], r[2]): r[6] for r in page["cites"]}
    for c in all_citations(b):
        assert rows[(c.article_id, c.start, c.end)] == c.text == articles[c.article_id].given[c.start:c.end]
    for r in page["cites"]:  # derived spans (a place in its sentence) too
        assert r[6] == articles[ids[r[0]]].given[r[1]:r[2]]
    marks = len(_x(doc, f"//*[local-name()='g' and {_c('mark')}]"))
    assert marks == sum(len(e.killed.claims) + len(e.injured.claims) for e in b.events)


def test_web_furniture_and_set_aside_passages_are_greyed_apart():
    b, articles = hostile_briefing()
    doc = _parse(report.to_html(b, articles))
    art = articles[0]
    setaside = _x(doc, f"//*[{_c('body')}]//*[{_c('setaside')}]")
    spans = [art.offsets.span(s, e) for s, e in art.instructions]  # found in the cleaned text, shown as given
    assert spans and [p.text_content() for p in setaside] == [report.shown(art.given[s:e]) for s, e in spans]
    background = seed_briefing()
    page = report.to_html(background, example_articles())
    assert "Background" in page and 'class="event background"' in page
    assert _x(doc, f"//*[{_c('body')}]//*[{_c('noise')}]") or _x(_parse(page), f"//*[{_c('body')}]//*[{_c('noise')}]")


def test_csp_forbids_remote_loads_and_allows_only_the_pages_own_script_and_style():
    b, articles = hostile_briefing()
    page = report.to_html(b, articles)
    doc = _parse(page)
    policy = _x(doc, "//meta[@http-equiv='Content-Security-Policy']")[0].get("content")
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy and "http" not in policy

    def digest(text: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    scripts = [s for s in _x(doc, "//script") if s.get("type") != "application/json"]
    assert len(scripts) == 1 and digest(scripts[0].text) in policy
    assert digest(_x(doc, "//style")[0].text) in policy
    # Nothing points anywhere but into the page.
    for el in doc.iter():
        for attr in ("src", "href", "action", "srcset", "xlink:href"):
            value = el.get(attr)
            assert value is None or value.startswith("#"), (el.tag, attr, value)
    assert len(_x(doc, "//script")) == 2 and not _x(doc, "//img | //iframe | //link | //object | //embed")


def test_hostile_text_is_escaped_everywhere():
    b, articles = hostile_briefing()
    page = report.to_html(b, articles)
    doc = _parse(page)
    assert "&lt;script&gt;alert(&#39;script&#39;)&lt;/script&gt;" in page
    assert page.count("</style>") == 1 and page.count("</script>") == 2 and len(_x(doc, "//script")) == 2
    assert not [(el.tag, k) for el in doc.iter() for k in el.attrib if k.lower().startswith("on")]
    assert not _x(doc, "//*[starts-with(normalize-space(@href), 'javascript')]")
    assert not _x(doc, "//iframe | //img | //svg//*[@onload] | //meta[@http-equiv='refresh'] | //link")
    assert HOSTILE_QUOTE in "".join(a.text_content() for a in _x(doc, f"//a[{_c('quote')}]"))
    bidi = report.to_html(b, {articles[0].id: articles[0].given + "\u202e52\u202c\x07"})
    assert "\u202e" not in bidi and "\x07" not in bidi and "\ufffd52\ufffd\ufffd" in bidi


def test_a_hostile_article_id_cannot_break_out_of_attributes_or_links():
    art = hostile_article()
    assert '"' in art.id and "<" in art.id
    doc = _parse(report.to_html(*hostile_briefing()))
    assert _x(doc, f"//*[{_c('article')}]")[0].get("data-id") == art.id
    hrefs = [a.get("href") for a in _x(doc, f"//a[{_c('cite')}]")]
    assert hrefs and all(h.startswith("#cite=evil%22%3E%3Cscript%3E") for h in hrefs if "evil" in h)


def _tally(*values: int | None, disputed: bool = True) -> Tally:
    claims = [Claim(value=v, qualifier=Qualifier.AT_LEAST if v else Qualifier.VAGUE,
                    words=f"at least {v}" if v else "dozens", claimant=f"source {i}", articles=["a"], citations=[])
              for i, v in enumerate(values)]
    known = [v for v in values if v is not None]
    return Tally(claims=claims, low=min(known), best=sorted(known)[len(known) // 2], high=max(known),
                 disputed=disputed)


def test_chart_uses_a_log_scale_past_two_orders_of_magnitude():
    wide = chart.build("Killed", _tally(1, 57, 100_000, None))
    assert wide.log and [t.text for t in wide.ticks] == ["1", "10", "100", "1,000", "10,000", "100,000"]
    xs = [m.x for m in wide.marks if not m.vague]
    assert xs == sorted(xs) and xs[1] - xs[0] > 100  # 1 and 57 are not squashed together
    assert len(wide.marks) == 4 and wide.marks[-1].vague and wide.marks[-1].x < wide.left
    narrow = chart.build("Killed", _tally(25, 46, 60))
    assert not narrow.log and narrow.band and [r.name for r in narrow.rules] == ["low", "best", "high"]
    assert wide.marks[0].label == "at least 1, source 0"
    assert chart.build("Killed", Tally()) is None
    one = chart.build("Killed", _tally(28, disputed=False))
    assert [r.name for r in one.rules] == ["low = best = high"] and one.band is None
    long = chart.build("Killed", _tally(25, 60, 67))  # a label near the right end goes left of its mark
    assert long.marks[-1].anchor == "end" and long.marks[0].anchor == "start"


def test_brief_format_html_writes_one_self_contained_page(tmp_path, monkeypatch):
    from summarizer import pipeline

    sentence = "A twin bombing in Homs killed 46 people, the Syrian Observatory for Human Rights said on Sunday."
    (tmp_path / "a.txt").write_text(sentence + "\n")
    answer = {"casualties": [{"evidence": sentence, "killed": 46, "injured": None, "place": "Homs",
                              "claimed_by": "the Syrian Observatory for Human Rights", "event": None}],
              "statements": [], "events": []}
    monkeypatch.setattr(pipeline, "make_backend", lambda settings: FakeBackend("whole", default=answer))
    out = tmp_path / "briefing.html"
    r = CliRunner().invoke(app, ["brief", "-q", "--format", "html", "-o", str(out), str(tmp_path / "a.txt")])
    assert r.exit_code == 0, r.stderr
    doc = _parse(out.read_text())
    assert [a.text_content() for a in _x(doc, f"//a[{_c('cite')} and {_c('figure')}]")] == ["46"]
    assert _x(doc, f"//*[{_c('article')}]//*[{_c('body')}]")[0].text_content() == sentence + "\n"


def test_offsets_hold_against_the_file_as_read_when_cleaning_moved_them(tmp_path, monkeypatch):
    """A BOM, CRLF line ends and a zero-width space before the figure: the page shows the file as
    ``Path.read_text()`` returns it, and every citation's span lands on its characters there."""
    from summarizer import pipeline

    sentence = "A twin bombing in Homs killed 46 people, the Syrian Observatory for Human Rights said on Sunday."
    path = tmp_path / "a.txt"
    path.write_bytes(("\ufeffBlast\r\n\r\nFile photo\r\nIt was\u200b late. " + sentence + "\r\n").encode("utf-8"))
    answer = {"casualties": [{"evidence": sentence, "killed": 46, "injured": None, "place": "Homs",
                              "claimed_by": "the Syrian Observatory for Human Rights", "event": None}],
              "statements": [], "events": []}
    monkeypatch.setattr(pipeline, "make_backend", lambda settings: FakeBackend("whole", default=answer))
    out = tmp_path / "briefing.html"
    r = CliRunner().invoke(app, ["brief", "-q", "--format", "html", "-o", str(out), str(path)])
    assert r.exit_code == 0, r.stderr
    given = path.read_text(encoding="utf-8")
    doc = _parse(out.read_text(encoding="utf-8"))
    assert _x(doc, f"//*[{_c('body')}]")[0].text_content() == report.shown(given)
    rows = _data(doc)["cites"]
    assert rows and all(row[6] == report.shown(given[row[1]:row[2]]) for row in rows)
    assert any(given[row[1]:row[2]] == "46" for row in rows)
    assert [p.text_content() for p in _x(doc, f"//*[{_c('noise')}]")] == ["File photo"]
