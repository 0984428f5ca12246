"""A stream of news in, one grounded briefing per story out, kept up to date (``runner.run``).

Stages, in order: ``sources`` (feeds, folders, JSONL; ``fetch`` for pages), ``dedup``
(MinHash/LSH), ``cluster`` (online single-pass), ``stream`` (both, per article), ``state``
(SQLite), ``changes`` (what changed since the previous briefing), ``outputs``.
"""

from .runner import StoriesResult, run

__all__ = ["StoriesResult", "run"]
