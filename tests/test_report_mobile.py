"""On a 400 px screen the briefing and its articles stack: a clicked figure scrolls thousands of
pixels down to its article. The page then offers a way back to the figure (issue 24)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_chromium
from report_pages import embedded_briefing, example_articles

from summarizer.render import report

require_chromium()

from playwright.sync_api import Page, expect  # noqa: E402

pytestmark = pytest.mark.browser


def test_a_long_jump_on_a_phone_has_a_way_back(page: Page, tmp_path: Path):
    path = tmp_path / "syria.html"
    path.write_text(report.to_html(embedded_briefing(), example_articles()), encoding="utf-8")
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(path.as_uri())
    back = page.locator("#back")
    expect(back).to_be_hidden()
    figure = page.locator("a.cite.figure").first
    figure.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    figure.click()
    expect(page.locator(".article:not([hidden]) .hl").first).to_be_in_viewport()
    jumped = page.evaluate("window.scrollY") - before
    assert jumped > 800  # the article is screens away from the figure
    expect(back).to_be_visible()
    expect(back).to_be_in_viewport()  # fixed: in reach wherever the jump landed
    back.click()
    assert abs(page.evaluate("window.scrollY") - before) < 5
    expect(figure).to_be_in_viewport()
    expect(back).to_be_hidden()


def test_a_wide_screen_needs_no_way_back(page: Page, tmp_path: Path):
    path = tmp_path / "syria.html"
    path.write_text(report.to_html(embedded_briefing(), example_articles()), encoding="utf-8")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(path.as_uri())
    page.locator("a.cite.figure").first.click()
    expect(page.locator(".article:not([hidden]) .hl").first).to_be_in_viewport()
    expect(page.locator("#back")).to_be_hidden()  # the articles sit beside the briefing
