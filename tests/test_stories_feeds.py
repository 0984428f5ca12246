"""Feeds and pages from a local HTTP server (127.0.0.1, a thread of this test): RSS 2.0 and Atom,
a 304 on ETag and on Last-Modified, a redirect, too many redirects, broken XML, a page over the
size cap, a slow host (timeout), an item with no text. Each outcome is asserted; clustering only
(no model), so the whole module takes seconds."""

from __future__ import annotations

import json
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from stories_world import bombing, flood

from summarizer.settings import Settings
from summarizer.stories import run
from summarizer.stories.fetch import Fetcher, FetchLimits

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

LIMITS = FetchLimits(timeout_s=0.5, max_bytes=20_000, max_redirects=3, per_host=2, delay_s=0.0)
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


def page(body: str) -> str:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n")[1:])
    return f"<!doctype html><html><head><title>{body.splitlines()[0]}</title></head><body><nav>Home | World</nav>" \
           f"<article><h1>{body.splitlines()[0]}</h1>{paras}</article><footer>Contact us</footer></body></html>"


def rss(base: str, items: list[str]) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Northtown Daily</title>'
            f'<link>{base}/</link><description>news</description>{"".join(items)}</channel></rss>')


def item(title: str, link: str | None = None, summary: str | None = None, content: str | None = None,
         date: str = "Mon, 06 Jan 2025 08:00:00 GMT") -> str:
    parts = [f"<title>{title}</title>", f"<pubDate>{date}</pubDate>", f"<guid>{link or title}</guid>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if summary:
        parts.append(f"<description>{summary}</description>")
    if content:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    return f"<item>{''.join(parts)}</item>"


class Site:
    """What the server serves, and every request it saw (path, headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.slow: set[str] = set()
        self.lock = threading.Lock()

    def serve(self, path: str, body: str | bytes, status: int = 200, **headers: str) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = (status, {k.replace("_", "-"): v for k, v in headers.items()}, data)


@pytest.fixture
def site():
    s = Site()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            with s.lock:
                s.seen.append((self.path, dict(self.headers)))
            if self.path in s.slow:
                time.sleep(1.5)  # past the client's 0.5 s timeout
            status, headers, data = s.routes.get(self.path, (404, {}, b"not found"))
            etag = headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag or (
                    headers.get("Last-Modified") and self.headers.get("If-Modified-Since") == headers["Last-Modified"]):
                status, data = 304, b""
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout, size cap)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    s.base = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    yield s
    server.shutdown()
    server.server_close()


def _stories(out: Path) -> list[dict]:
    return json.loads((out / "stories.json").read_text())["stories"]


def _articles(out: Path) -> dict[str, dict]:
    return {a["source"]: a for s in _stories(out) for a in s["articles"] + s["duplicates"]}


def test_rss_and_atom_feeds_pages_and_every_failure_in_one_line(site, tmp_path):
    b = site.base
    site.serve("/world.rss", rss(b, [
        item("Bomb in Northtown market", content=bombing(0, 20).replace("\n\n", "<br/><br/>")),  # full text
        item("Northtown toll rises", link=f"{b}/news/bomb-1.html", summary="The toll rose."),  # teaser: page fetched
        item("Huge page", link=f"{b}/news/huge.html", summary="A teaser of a page too big to read here today."),
        item("Slow host", link=f"{b}/news/slow.html"),  # no summary, page times out: skipped
        item("No text at all"),  # no text and nothing to fetch
    ]), ETag='"w1"', Content_Type="application/rss+xml")
    site.serve("/news/bomb-1.html", page(bombing(1, 23)), Content_Type="text/html")
    site.serve("/news/huge.html", page(bombing(2, 25)) + "<!--" + "x" * 30_000 + "-->", Content_Type="text/html")
    site.serve("/news/slow.html", page(bombing(3, 26)))
    site.slow.add("/news/slow.html")
    atom_entry = ("<entry><title>Southville flood</title><id>urn:flood:1</id><updated>2025-01-07T09:00:00Z</updated>"
                  f"<link href=\"{b}/flood/1\"/><content type=\"html\">{flood(1, 6).replace(chr(10) * 2, ' ')}"
                  "</content></entry>")
    site.serve("/flood.atom", f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
               "<title>Southville Post</title><id>urn:sp</id><updated>2025-01-07T09:00:00Z</updated>"
               f"{atom_entry}</feed>", Last_Modified=LAST_MODIFIED)
    site.serve("/flood/1", page(flood(1, 6)), Content_Type="text/html")
    site.serve("/old-address.rss", b"", 301, Location=f"{b}/flood.atom")
    site.serve("/loop", b"", 302, Location=f"{b}/loop")
    site.serve("/broken.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken<item><tit',
               Content_Type="application/rss+xml")
    out = tmp_path / "out"
    sources = [f"{b}/world.rss", f"{b}/flood.atom", f"{b}/old-address.rss", f"{b}/loop", f"{b}/broken.xml",
               f"{b}/missing.rss"]
    result = run(sources, out, Settings(), brief=False, limits=LIMITS)
    problems = {p.source: p.reason for p in result.problems}
    arts = _articles(out)
    # RSS 2.0: full content read from the item; a teaser's page fetched and its main text extracted
    assert "The bombing killed 20 people, police said." in _given(out, "Bomb in Northtown market")
    page_article = arts[f"{b}/news/bomb-1.html"]
    assert page_article["publisher"] == "Northtown Daily" and page_article["time"] == "2025-01-06T08:00:00Z"
    assert "Home | World" not in _given(out, "Northtown toll rises")  # trafilatura kept the article only
    assert _published(out, "Northtown toll rises") == "2025-01-06"  # the item's date, for the page too
    # over the size cap: not read, the feed's summary used instead, said in one line
    assert "over the size cap of 20,000 bytes" in problems[f"{b}/news/huge.html"]
    # the slow host: a timeout, and the item (no summary) skipped
    assert "timeout" in problems[f"{b}/news/slow.html"] and f"{b}/news/slow.html" not in arts
    assert problems["No text at all"] == "feed item has no text and no page to read: skipped"
    # Atom, directly and through a redirect: one article (the second read is the same text)
    assert arts[f"{b}/flood/1"]["publisher"] == "Southville Post"
    paths = [p for p, _ in site.seen]
    assert paths.count("/flood.atom") == 2 and paths.index("/old-address.rss") < len(paths) - 1 - paths[::-1].index(
        "/flood.atom")  # the redirect was followed to the Atom feed
    assert f"{b}/old-address.rss" not in problems
    assert "more than 3 redirects" in problems[f"{b}/loop"]
    assert "not a readable RSS or Atom feed" in problems[f"{b}/broken.xml"]
    assert "HTTP 404" in problems[f"{b}/missing.rss"]
    assert all("\n" not in r for r in problems.values())
    assert result.exit_code == 3 and result.new_articles == 4  # bomb 0, bomb 1, huge's summary, flood
    # the bombing (item and page), the flood apart, and the huge page's one-line teaser on its own
    assert sorted(len(s["articles"]) for s in _stories(out)) == [1, 1, 2]

    # Second run: the RSS feed answers 304 on its ETag, the Atom feed on Last-Modified; nothing is re-fetched
    site.seen.clear()
    again = run([f"{b}/world.rss", f"{b}/flood.atom"], out, Settings(), brief=False, limits=LIMITS)
    assert again.not_modified == 2 and again.new_articles == 0 and again.written == []
    sent = dict(site.seen)
    assert sent["/world.rss"].get("If-None-Match") == '"w1"'
    assert sent["/flood.atom"].get("If-Modified-Since") == LAST_MODIFIED
    assert [p for p, _ in site.seen] == ["/world.rss", "/flood.atom"]  # no page fetched


def _published(out: Path, title: str) -> str:
    import sqlite3

    with sqlite3.connect(out / "stories.sqlite") as db:
        return db.execute("SELECT published FROM articles WHERE title = ?", (title,)).fetchone()[0]


def _given(out: Path, title: str) -> str:
    import sqlite3

    with sqlite3.connect(out / "stories.sqlite") as db:
        return db.execute("SELECT given FROM articles WHERE title = ?", (title,)).fetchone()[0]


def test_a_feed_that_grows_brings_only_its_new_items(site, tmp_path):
    b, out = site.base, tmp_path / "out"
    items = [item(f"Bomb report {i}", content=bombing(i, 20 + i)) for i in range(2)]
    site.serve("/feed.rss", rss(b, items), ETag='"v1"')
    first = run([f"{b}/feed.rss"], out, Settings(), brief=False, limits=LIMITS)
    site.serve("/feed.rss", rss(b, items + [item("Bomb report 2", content=bombing(2, 22))]), ETag='"v2"')
    second = run([f"{b}/feed.rss"], out, Settings(), brief=False, limits=LIMITS)
    assert (first.new_articles, second.new_articles, second.new_stories) == (2, 1, 0)
    assert len(_stories(out)) == 1 and len(_stories(out)[0]["articles"]) == 3


def test_per_host_delay_spaces_requests(site):
    site.serve("/a", "ok")
    with Fetcher(FetchLimits(timeout_s=2, delay_s=0.2, per_host=1)) as f:
        began = time.monotonic()
        got = [f.get(f"{site.base}/a") for _ in range(3)]
        took = time.monotonic() - began
    assert all(g.ok and g.body == b"ok" for g in got) and took >= 0.4
