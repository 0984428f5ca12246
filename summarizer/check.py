"""``summarizer check``: does every citation of a briefing hold against the articles as given?

A citation holds when ``text[start:end] == citation.text`` for its article's text as given. The
texts come from the article files, when they are passed (a text file is read with
``Path.read_text(encoding=...)`` itself, in the encoding the briefing names), else from the
briefing's own ``sources[].text``. A file is matched to its source by the SHA-256 of its cleaned
text, so a renamed or re-saved (CRLF) copy still matches: the briefing's offsets then index the
re-saved copy's line ends only if it was briefed from it, which is what a mismatch reports.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .ingest import offsets
from .ingest.article import Article
from .ingest.load import load_many
from .schemas import OffsetReport

log = logging.getLogger(__name__)


@dataclass
class CheckResult:
    report: OffsetReport
    basis: dict[str, str] = field(default_factory=dict)  # article id -> where its text came from
    unmatched_files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report.failed == 0 and self.report.mapped > 0 and not self.unmatched_files


def load_document(path: Path) -> Any:
    """A briefing (``brief --format json``) or a list of extractions (``extract``)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path} is not JSON ({exc.msg}, line {exc.lineno}): pass a briefing "
                          "written with --format json, or the output of extract") from exc
    if not (isinstance(doc, dict) and "sources" in doc) and not isinstance(doc, list):
        raise ConfigError(f"{path} is neither a briefing nor a list of extractions")
    return doc


def _sources(doc: Any) -> list[dict[str, Any]]:
    if isinstance(doc, dict):
        return [s for s in doc.get("sources", []) if isinstance(s, dict)]
    return [{"id": e.get("article_id"), "sha256": e.get("sha256")} for e in doc if isinstance(e, dict)]


def check(doc: Any, files: list[Path] | None = None) -> CheckResult:
    """Check every citation of ``doc`` against ``files`` (when given) or ``sources[].text``."""
    sources = _sources(doc)
    texts: dict[str, str] = {}
    basis: dict[str, str] = {}
    unmatched: list[str] = []
    if files:
        by_sha = {s.get("sha256"): s for s in sources}
        loaded = load_many(files)
        for e in loaded.errors:
            unmatched.append(f"{e.source}: {e.reason}")
        for a in loaded.articles:
            s = by_sha.get(a.sha256)
            if s is None:
                unmatched.append(f"{a.source}: no source of the briefing has this text")
                continue
            texts[s["id"]] = _as_read(a)
            basis[s["id"]] = a.source
    for s in sources:
        if s.get("id") not in texts and isinstance(s.get("text"), str):
            texts[s["id"]] = s["text"]
            basis[s["id"]] = "sources[].text"
    report = offsets.verify_given(doc, texts)
    return CheckResult(report=report, basis=basis, unmatched_files=unmatched)


def _as_read(a: Article) -> str:
    """A text file as the user's program reads it, independently of ingest's own decoding."""
    if a.indexes == "file":
        try:
            return Path(a.source).read_text(encoding=a.encoding or "utf-8", errors="replace")
        except OSError as exc:  # it was readable a moment ago: use what ingest read
            log.warning("%s: %s: checked against the text as ingest read it", a.source, exc)
    return a.given
