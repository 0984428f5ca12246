"""Batch runs: many clusters, a manifest to resume from, progress, a Dask executor.

``summarizer.batch.run(...)`` (or ``await summarizer.batch.run_async(...)``) briefs every cluster
of a directory or JSONL file; ``status(out_dir)`` reads its manifest back.
"""

from .runner import run, run_async, status

__all__ = ["run", "run_async", "status"]
