"""The HTML report in a real browser: headless Debian chromium driven by Playwright.

Every citation of a real briefing (the example cluster on the embedded model) is clicked and must
highlight exactly its characters in its own article; deep links open at their span; the chart has
one mark per claim; a hostile article runs nothing; and the page asks the network for nothing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import require_chromium
from report_pages import (
    all_citations,
    embedded_briefing,
    example_articles,
    hostile_briefing,
)

from summarizer.render import report
from summarizer.schemas import Briefing

require_chromium()

from playwright.sync_api import Page, expect  # noqa: E402

pytestmark = pytest.mark.browser

# What the page shows for the current citation: its article, the highlighted text, the hash.
STATE_JS = """() => {
  const panel = document.querySelector('.article:not([hidden])');
  const hl = Array.from(panel.querySelectorAll('.hl')).map(p => p.textContent).join('');
  const sent = Array.from(panel.querySelectorAll('.sent')).map(p => p.textContent).join('');
  return {article: panel.dataset.id, hl, sent, hash: decodeURIComponent(location.hash),
          bar: document.querySelector('#citebar .where').textContent};
}"""


class Watch:
    """Everything a page must never do: open a dialog, log an error, throw, or request anything."""

    def __init__(self, page: Page, url: str):
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url) if r.url.split("#")[0] != url else None)
        page.route(re.compile(r"^(?!file:).*"), lambda route: (self.requests.append(route.request.url),
                                                              route.abort()))

    def clean(self) -> None:
        assert self.dialogs == [] and self.errors == [] and self.requests == []


def _page(tmp_path: Path, name: str, b: Briefing, articles: Any) -> str:
    path = tmp_path / f"{name}.html"
    path.write_text(report.to_html(b, articles), encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Briefing, str]:
    b = embedded_briefing()
    return b, _page(tmp_path_factory.mktemp("report"), "syria", b, example_articles())


# Click every cited value (in the page: one round trip, not one per click) as many times as it has
# citations, and record what each click showed.
CLICK_ALL_JS = """() => {
  const state = """ + STATE_JS + """;
  const out = [];
  for (const link of document.querySelectorAll('a.cite')) {
    const n = link.dataset.c.split(' ').length;
    const visible = link.checkVisibility() && link.getClientRects().length > 0;
    for (let k = 0; k < n; k++) {
      link.click();
      out.push(Object.assign(state(), {label: link.textContent, k, n, visible}));
    }
  }
  return out;
}"""


def _click_every_citation(page: Page, b: Briefing, texts: dict[str, str]) -> set[tuple[str, int, int]]:
    """Every cited value is visible and clickable, and each citation it steps through highlights
    exactly its characters in its own article; returns the spans shown."""
    expected = {(c.article_id, c.start, c.end): c.text for c in all_citations(b)}
    for kind in ("sentence", "figure", "claimant", "place", "quote", "actor"):  # real mouse clicks
        link = page.locator(f"a.cite.{kind}").first
        if link.count():
            link.click()
            assert page.evaluate(STATE_JS)["hl"], kind
    shown: set[tuple[str, int, int]] = set()
    for state in page.evaluate(CLICK_ALL_JS):
        assert state["visible"], state
        m = re.fullmatch(r"#cite=(.+):(\d+)-(\d+)", state["hash"])
        assert m, state
        key = (m[1], int(m[2]), int(m[3]))
        assert state["article"] == key[0], state
        assert state["hl"] == texts[key[0]][key[1]:key[2]], (key, state)
        if key in expected:  # a place or claimant is an exact sub-span of a cited sentence
            assert state["hl"] == report.shown(expected[key])
        assert state["hl"] in state["sent"]
        if state["n"] > 1:
            assert state["bar"].startswith(f"citation {state['k'] + 1} of {state['n']}"), state
        shown.add(key)
    return shown


def test_every_citation_of_the_embedded_briefing_lands_on_its_characters(page: Page, embedded):
    """Not a sample: every citation in the JSON is reachable by clicking, and shows its exact text."""
    b, url = embedded
    texts = {a.id: a.given for a in example_articles().values()}
    watch = Watch(page, url)
    page.goto(url)
    shown = _click_every_citation(page, b, texts)
    wanted = {(c.article_id, c.start, c.end) for c in all_citations(b)}
    assert wanted <= shown, f"not clickable: {sorted(wanted - shown)[:5]}"
    watch.clean()
    print(f"\n{len(all_citations(b))} citations ({len(wanted)} distinct spans) of the embedded briefing "
          f"checked; {len(shown)} spans shown")


def test_clicking_a_casualty_claim_highlights_its_words_in_its_article(page: Page, embedded):
    b, url = embedded
    page.goto(url)
    event = next(e for e in b.events if e.killed.disputed)
    claim = next(c for c in event.killed.claims if c.claimant)
    cite = claim.citations[0]
    section = page.locator("article.event").filter(has=page.get_by_role("link", name=event.label, exact=False)).first
    row = section.locator("table.claims tr").filter(has_text=claim.claimant).filter(
        has=page.locator("a.cite.figure", has_text=re.compile(rf"^{re.escape(claim.words)}$"))).first
    row.locator("a.cite.figure").click()
    panel = page.locator(".article:not([hidden])")
    expect(panel).to_have_attribute("data-id", cite.article_id)
    assert "".join(panel.locator(".hl").all_text_contents()) == cite.text
    expect(panel.locator(".hl").first).to_be_in_viewport()
    # The chart's mark for the same claim jumps to the same span.
    page.locator("body").click(position={"x": 1, "y": 1})
    page.goto(url + "#")
    mark = section.locator("g.mark", has=page.locator("title", has_text=report.chart.claim_label(claim))).first
    mark.click()
    expect(panel).to_have_attribute("data-id", cite.article_id)
    assert "".join(panel.locator(".hl").all_text_contents()) == cite.text


def test_a_deep_link_opens_the_report_at_its_span(page: Page, embedded):
    b, url = embedded
    texts = {a.id: a.given for a in example_articles().values()}
    cite = b.events[0].killed.claims[-1].citations[0]
    page.goto(f"{url}#cite={cite.article_id}:{cite.start}-{cite.end}")
    panel = page.locator(".article:not([hidden])")
    expect(panel).to_have_attribute("data-id", cite.article_id)
    assert "".join(panel.locator(".hl").all_text_contents()) == cite.text
    expect(panel.locator(".hl").first).to_be_in_viewport()
    # Any span, not only a citation: the characters asked for, in the article asked for.
    other = b.sources[1].id
    page.goto(f"{url}#cite={other}:10-40")
    expect(page.locator(".article:not([hidden])")).to_have_attribute("data-id", other)
    assert "".join(page.locator(".article:not([hidden]) .hl").all_text_contents()) == texts[other][10:40]


def test_the_chart_has_one_mark_per_claim_and_says_so(page: Page, embedded):
    b, url = embedded
    page.goto(url)
    charted = 0
    for e in b.events:
        for name, t in (("killed", e.killed), ("injured", e.injured)):
            svg = page.locator(f'svg.numberline[data-key="{e.id}:{name}"]')
            if not t.claims:
                expect(svg).to_have_count(0)
                continue
            expect(svg.locator("g.mark")).to_have_count(len(t.claims))
            assert f"{len(t.claims)} claim" in svg.get_attribute("aria-label")
            charted += 1
    assert charted >= 2
    # Focusing a mark shows its citation under the chart; Enter jumps to it.
    mark = page.locator("g.mark").first
    mark.focus()
    tip = page.locator("figure.chart .tip").first
    expect(tip).to_contain_text("“")
    page.keyboard.press("Enter")
    assert page.evaluate(STATE_JS)["hl"]
    other = page.locator("figure.chart").first.locator("g.mark").last
    other.hover()  # hovering shows the citation too
    expect(tip).to_contain_text(other.get_attribute("data-label"))


def test_keyboard_tab_to_a_value_and_enter_jumps(page: Page, embedded):
    _, url = embedded
    page.goto(url)
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.cite')"):
            break
    assert page.evaluate("document.activeElement.matches('a.cite')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # visible focus
    page.keyboard.press("Enter")
    assert page.evaluate(STATE_JS)["hl"]


def test_a_hostile_article_runs_nothing_and_reads_as_written(page: Page, tmp_path):
    b, articles = hostile_briefing()
    article = articles[0]
    # Also hand the renderer raw text with bidi overrides and controls (ingest would have removed them).
    raw = article.given + "Reversed: \u202e52\u202c, hidden\u200b, bell\x07.\n"
    url = _page(tmp_path, "hostile", b, {article.id: raw})
    watch = Watch(page, url)
    page.goto(url)
    shown = page.locator(".article .body").first.text_content()
    assert shown == report.shown(raw) and len(shown) == len(raw)
    assert "\u202e" not in shown and "<script>alert('script')</script>" in shown  # text, not markup
    assert page.evaluate("document.scripts.length") == 2  # the data block and the report's own script
    assert page.locator("[onerror], [onload], iframe, img, link, meta[http-equiv=refresh]").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("body").is_visible()  # no </style> ended our style and hid the page
    # Click everything the hostile briefing cites: still nothing runs, spans still land.
    _click_every_citation(page, b, {article.id: report.shown(raw)})
    page.wait_for_timeout(100)
    watch.clean()


def test_the_page_requests_nothing_from_the_network(page: Page, embedded, tmp_path):
    _, url = embedded
    watch = Watch(page, url)
    page.goto(url)
    page.locator("a.cite").nth(3).click()
    page.locator("[role=tab]").last.click()
    page.wait_for_timeout(100)
    watch.clean()
    csp = page.locator("meta[http-equiv=Content-Security-Policy]").get_attribute("content")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp


def test_narrow_window_and_print(page: Page, embedded):
    _, url = embedded
    page.set_viewport_size({"width": 420, "height": 800})
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 430  # no sideways scrolling
    page.locator("a.cite.figure").first.click()
    expect(page.locator(".article:not([hidden]) .hl").first).to_be_in_viewport()
    page.emulate_media(media="print")
    assert page.locator(".article").nth(1).is_visible()  # every article prints
    assert not page.locator(".tabs").is_visible()


def test_batch_index_links_every_report(page: Page, tmp_path):
    from conftest import FakeBackend

    from summarizer.batch import runner as batch
    from summarizer.settings import Settings

    src = tmp_path / "inbox" / "homs"
    src.mkdir(parents=True)
    sentence = "A twin bombing in Homs killed 46 people, the Syrian Observatory for Human Rights said on Sunday."
    (src / "a.txt").write_text(sentence + "\n")
    answer = {"casualties": [{"evidence": sentence, "killed": 46, "injured": None, "place": "Homs",
                              "claimed_by": "the Syrian Observatory for Human Rights", "event": "twin bombing"}],
              "statements": [], "events": []}
    out = tmp_path / "out"
    batch.run(tmp_path / "inbox", out, Settings(), backend=FakeBackend("whole", default=answer))
    watch = Watch(page, (out / "index.html").as_uri())
    page.goto((out / "index.html").as_uri())
    expect(page.locator("tr.state-done")).to_contain_text("killed 46")
    page.get_by_role("link", name="homs").click()
    expect(page).to_have_url(re.compile(r"homs\.html"))
    page.locator("a.cite.figure").first.click()
    assert page.evaluate(STATE_JS)["hl"] == "46"
    assert json.loads((out / "run.json").read_text())["clusters"]["homs"]["outputs"][-1] == "homs.html"
    watch.requests = [r for r in watch.requests if not r.startswith("file:")]
    watch.clean()
