"""The stories' outputs: ``stories.json`` (every story), each story's briefing with its header
(what changed, also published by) in JSON, Markdown and HTML, and ``index.html``. Every file is
written atomically (``files.write_atomic``) and only when its text differs, so a rerun with nothing
new rewrites nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pydantic import BaseModel, Field

from .. import files
from ..render import report
from ..render.json_text import to_json
from ..render.markdown import esc, to_markdown
from ..schemas import Briefing
from .changes import Changes


class StoryArticle(BaseModel):
    id: str
    source: str = Field(description="The path, path:line or URL it was read from.")
    url: str | None = None
    publisher: str | None = None
    title: str | None = None
    time: str = Field(description="Published, else first seen (ISO 8601, UTC).")
    duplicate_of: str | None = Field(None, description="For a duplicate: the article whose copy was read.")


class Story(BaseModel):
    id: str
    title: str
    kind: str | None = None
    place: str | None = None
    first: str = Field(description="Its first dated article's published time; with none dated, when its first "
                                    "article was first seen (``dated`` false).")
    last: str = Field(description="Its last dated article's published time, else when its last article was first seen.")
    dated: bool = Field(True, description="False when none of its articles has a published time: first and last "
                                          "are then when they were first seen.")
    articles: list[StoryArticle]
    duplicates: list[StoryArticle] = Field(default_factory=list)
    briefing: dict[str, str] | None = Field(None, description="Paths of its briefing: json, md, html (relative).")
    tolls: list[str] = Field(default_factory=list)
    changes: Changes | None = None
    briefed_at: str | None = None


class StoriesFile(BaseModel):
    """``stories.json``: every story, latest update first."""

    stories: list[Story]


def iso(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_if_changed(path: Path, text: str) -> bool:
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except OSError:
        pass
    files.write_atomic(path, text)
    return True


def _env() -> Environment:
    return Environment(loader=PackageLoader("summarizer.stories", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def story_markdown(story: Story, b: Briefing, changes: Changes) -> str:
    """The briefing's Markdown with the story's sections after its title line."""
    title, _, rest = to_markdown(b).partition("\n")
    head = [title, "", f"_Story {story.id}: {len(story.articles)} article(s), {story.first} – {story.last}"
            f"{'' if story.dated else ' (first seen)'}._", "",
            "## What changed since the previous briefing", ""]
    head += [f"- {esc(line)}" for line in changes.lines()]
    if story.duplicates:
        head += ["", "## Also published by", ""]
        head += [f"- {esc(d.publisher or d.source)} ({esc(d.id)}: the same text as {esc(d.duplicate_of)}, "
                 "which is the copy read)" for d in story.duplicates]
    return "\n".join(head) + "\n" + rest


def story_html(story: Story, b: Briefing, articles: Any, changes: Changes) -> str:
    page = report.to_html(b, articles)
    block = _env().get_template("story.html.j2").render(story=story, changes=changes.lines())
    marker = "</header>"
    at = page.find(marker)
    if at < 0:
        return page
    at += len(marker)
    return page[:at] + "\n" + block + page[at:]


def write_story(out: Path, story: Story, b: Briefing, articles: Any, changes: Changes) -> dict[str, str]:
    names = {"json": f"{story.id}.json", "md": f"{story.id}.md", "html": f"{story.id}.html"}
    write_if_changed(out / names["json"], to_json(b))
    write_if_changed(out / names["md"], story_markdown(story, b, changes))
    write_if_changed(out / names["html"], story_html(story, b, articles, changes))
    return names


def write_index(out: Path, stories: list[Story], title: str = "Stories") -> list[str]:
    """``stories.json`` and ``index.html``, latest update first; the names of those rewritten."""
    ordered = sorted(stories, key=lambda s: (s.last, s.id), reverse=True)
    data = StoriesFile(stories=ordered).model_dump_json(indent=2) + "\n"
    style = (Path(report.__file__).parent / "templates" / "report.css").read_text(encoding="utf-8")
    rows = [{"id": s.id, "title": s.title, "kind": s.kind, "place": s.place, "tolls": s.tolls,
             "changes": s.changes.lines() if s.changes else [], "articles": s.articles, "duplicates": s.duplicates,
             "last": s.last, "dated": s.dated, "html": (s.briefing or {}).get("html")} for s in ordered]
    page = _env().get_template("index.html.j2").render(title=title, stories=rows, style=Markup(style),
                                                        csp=report.csp(style))
    written = []
    if write_if_changed(out / "stories.json", data):
        written.append("stories.json")
    if write_if_changed(out / "index.html", page):
        written.append("index.html")
    return written
