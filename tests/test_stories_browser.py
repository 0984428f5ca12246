"""The stories' index.html in a real browser (headless Debian chromium through Playwright): every
story is listed with a link to its report, and each link opens that report, which says what
changed and links back. The pages ask the network for nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import require_chromium
from stories_world import ReadingBackend, bombing, flood

from summarizer.settings import Settings
from summarizer.stories import run

require_chromium()

from playwright.sync_api import Page  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stories")
    src = root / "in"
    src.mkdir()
    for i in range(3):
        (src / f"bomb{i}.txt").write_text(bombing(i, 20 + i, "We will rebuild the market" if i == 0 else None))
    for i in range(2):
        (src / f"flood{i}.txt").write_text(flood(i, 5 + i))
    (src / "lone.txt").write_text("A chess tournament opened in Eastport on Sunday with players from forty "
                                  "countries, the organisers said, and the first round ended in draws.\n")
    result = run([src], root / "out", Settings(strategy="whole"), backend=ReadingBackend())
    assert result.stories == 3 and len(result.briefed) == 3
    return root / "out"


def test_every_story_links_to_its_report_and_the_link_opens(page: Page, out: Path):
    requests: list[str] = []
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.route(re.compile(r"^(?!file:).*"), lambda route: (requests.append(route.request.url), route.abort()))
    index = (out / "index.html").as_uri()
    page.goto(index)
    rows = page.locator("#stories tr.story")
    assert rows.count() == 3
    listed = []
    for i in range(rows.count()):
        row = rows.nth(i)
        link = row.locator("a.report")
        assert link.count() == 1, row.inner_text()
        listed.append((row.get_attribute("data-story"), link.inner_text(), link.get_attribute("href")))
    assert sorted(h for _, _, h in listed) == sorted(f"{sid}.html" for sid, _, _ in listed)
    for sid, title, href in listed:
        page.goto(index)
        page.locator(f'tr.story[data-story="{sid}"] a.report').click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/{href}")
        assert page.locator("section.story h2").inner_text().startswith(f"Story {sid}:")
        assert page.locator("h1").first.inner_text() in (title, "Briefing")  # no event: the merger's title
        assert page.locator("section.story h3").first.inner_text() == "What changed since the previous briefing"
        assert "first briefing of this story" in page.locator("ul.changes").inner_text()
        page.locator("section.story a", has_text="All stories").click()
        page.wait_for_load_state()
        assert page.url == index
    assert requests == [] and errors == []
