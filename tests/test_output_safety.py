"""Output safety: an article cannot inject markup, links, HTML, terminal escapes or table cells
into a Markdown report.

The briefing built from the hand-written seed FIXTURES is rendered once as is, and once with a
hostile payload appended to *every* string field (names, places, quotes, labels, titles, ids,
errors...): parsed with markdown-it (CommonMark + tables), both reports must have the same
structure, token for token, and the hostile report no link, image or raw HTML at all, while its
text still reads as the article wrote it.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any

import pytest
from conftest import FakeBackend
from fixtures.seed import seed_extractions
from markdown_it import MarkdownIt
from pydantic import ValidationError

from summarizer.ingest.article import make_article
from summarizer.merge.events import merge
from summarizer.pipeline import brief_articles
from summarizer.render.markdown import to_markdown as render_markdown
from summarizer.schemas import Briefing
from summarizer.settings import Settings

PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[click](http://evil.example/phish)",
    "![pixel](http://evil.example/p.png)", "<http://evil.example/auto>", "https://evil.example/bare",
    "www.evil.example", "spy@evil.example", "| injected | cell |", "line\n\n# Heading\n- item\n\n---",
    "**bold** _em_ ~~strike~~ `code`", "&lt;b&gt; &#60;i&#62;", "\x1b[31mred\x1b[0m", "\u202eevil",
    "> quote", "[^1]", "<!-- comment -->", "\\", "[ref]: http://evil.example/ref", "\r\n| a | b |\r\n",
]
HOSTILE = " ".join(PAYLOADS)
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _hostile(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _hostile(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_hostile(v) for v in data]
    if isinstance(data, str):
        return f"{data} {HOSTILE}"
    return data


def _restore(hostile: Any, original: Any, loc: tuple) -> None:
    *path, last = loc
    h, o = hostile, original
    for key in path:
        h, o = h[key], o[key]
    h[last] = o[last]


def hostile_briefing(b: Briefing) -> Briefing:
    """Every string field poisoned, except where the schema only allows fixed values (enums)."""
    original = b.model_dump(mode="json")
    data = _hostile(original)
    for _ in range(200):
        try:
            return Briefing.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                _restore(data, original, err["loc"])
    raise AssertionError("could not build a hostile briefing")


def shape(markdown: str) -> tuple[list[str], Counter]:
    """Block token types in order, and the count of each non-text inline token type."""
    tokens = MD.parse(markdown)
    inline = Counter(c.type for t in tokens if t.children for c in t.children
                     if c.type not in ("text", "text_special", "softbreak"))
    return [t.type for t in tokens], inline


def table_rows(markdown: str) -> list[list[int]]:
    """Per table, the number of cells in each row (header included)."""
    tables: list[list[int]] = []
    for t in MD.parse(markdown):
        if t.type == "table_open":
            tables.append([])
        elif t.type == "tr_open":
            tables[-1].append(0)
        elif t.type in ("th_open", "td_open"):
            tables[-1][-1] += 1
    return tables


@pytest.fixture(scope="module")
def briefings() -> tuple[Briefing, Briefing]:
    b = merge(seed_extractions())
    b.sources[0].error = "cannot read the file"
    return b, hostile_briefing(b)


def test_every_string_field_was_poisoned(briefings):
    _, bad = briefings
    dumped = bad.model_dump(mode="json")
    assert dumped["title"].endswith(HOSTILE) and dumped["sources"][0]["error"].endswith(HOSTILE)
    assert any(s["speaker"].endswith(HOSTILE) for s in dumped["statements"])
    assert any(c["claimant"] and c["claimant"].endswith(HOSTILE) for e in dumped["events"]
               for c in e["killed"]["claims"])


def test_hostile_text_cannot_change_the_report_structure(briefings):
    good, bad = briefings
    clean_md, bad_md = render_markdown(good), render_markdown(bad)
    assert shape(bad_md) == shape(clean_md)  # same headings, lists, tables, rows and cells; no new emphasis
    rendered = MD.render(bad_md)
    for tag in ("<script", "<img", "<a ", "<!--", "<blockquote", "<del>"):
        assert tag not in rendered
    assert "link_open" not in shape(bad_md)[1] and "html_inline" not in shape(bad_md)[1]
    assert all(len(set(rows)) == 1 for rows in table_rows(bad_md))


def test_hostile_text_still_reads_as_written(briefings):
    _, bad = briefings
    text = html.unescape(re.sub(r"<[^>]+>", "", MD.render(render_markdown(bad))))
    for payload in ("<script>alert(1)</script>", "[click](http://evil.example/phish)", "| injected | cell |",
                    "**bold** _em_ ~~strike~~ `code`", "spy@evil.example", "https://evil.example/bare"):
        assert payload in text


def test_no_terminal_escapes_bidi_or_bare_links_in_the_markdown(briefings):
    _, bad = briefings
    md = render_markdown(bad)
    assert "\x1b" not in md and "\u202e" not in md and "\r" not in md
    assert re.search(r"(?<!\\)://", md) is None  # "https\://": GitHub's autolinker leaves it alone
    assert "www.evil" not in md and re.search(r"(?<!\\)@", md) is None


def test_a_hostile_article_end_to_end(tmp_path):
    """The same through the pipeline: an article whose quote, speaker and place carry markup."""
    sentence = ('Dr. Ali said: "Visit [help](http://evil.example) <b>now</b> | or | **die**" in Homs, '
                "where 46 people were killed, the Syrian Observatory for Human Rights said.")
    article = make_article(f"Blast in Homs\n\n{sentence}\n", id="evil|id<x>")
    answer = {"casualties": [{"evidence": sentence, "killed": 46, "injured": None, "place": "Homs",
                              "claimed_by": "the Syrian Observatory for Human Rights", "event": None}],
              "statements": [{"evidence": sentence, "speaker": "Dr. Ali", "speaker_role": None,
                              "quote": "Visit [help](http://evil.example) <b>now</b> | or | **die**"}],
              "events": []}
    b = brief_articles([article], Settings(), FakeBackend("whole", default=answer))
    assert b.statements and "<b>now</b>" in b.statements[0].text  # grounded: the article's own words
    md = render_markdown(b)
    rendered = MD.render(md)
    assert "<a " not in rendered and "<b>" not in rendered and "<strong>die" not in rendered
    tables = table_rows(md)
    assert tables and all(len(set(rows)) == 1 for rows in tables)  # every row has its header's cell count


@pytest.mark.parametrize("text", ["1. first", "2) second", "- dash", "+ plus", "# hash", "> quote",
                                  "2016-02-21 (disputed)", "Frank-Walter Steinmeier (SPD)"])
def test_text_at_the_start_of_a_list_item_opens_no_block_and_reads_as_written(text):
    from summarizer.render.markdown import esc

    tokens = MarkdownIt("commonmark").parse(f"- {esc(text)}\n")
    assert [t.type for t in tokens] == ["bullet_list_open", "list_item_open", "paragraph_open", "inline",
                                        "paragraph_close", "list_item_close", "bullet_list_close"]
    assert tokens[3].children and "".join(c.content for c in tokens[3].children) == text
