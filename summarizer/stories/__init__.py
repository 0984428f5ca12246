"""A stream of news in, one grounded briefing per story out, kept up to date (``runner.run``).

Stages, in order: ``sources`` (feeds, folders, JSONL; ``fetch`` for pages), ``dedup``
(MinHash/LSH), ``cluster`` (online single-pass), ``stream`` (both, per article), ``state``
(SQLite), ``changes`` (what changed since the previous briefing), ``outputs``.

``run`` and ``StoriesResult`` are imported on first use: the CLI imports ``outputs`` for the
schema of ``stories.json`` without paying for scikit-learn, httpx and feedparser.
"""

from __future__ import annotations

from typing import Any

__all__ = ["StoriesResult", "run"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import runner

        return getattr(runner, name)
    raise AttributeError(name)
