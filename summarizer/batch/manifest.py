"""The batch run manifest (``run.json`` in the output directory) and the directory lock.

The manifest says, per cluster, what state it reached, which articles failed and why, and what
it cost; and per run, when it started, whether it finished, cache hits and spend. It is rewritten
atomically after every cluster, after that cluster's outputs, so a run killed at any instant
leaves either the old or the new manifest, never half of one, and never a "done" cluster whose
files are missing. It holds no endpoint URL or key.

The lock is an ``flock`` on ``<out>/.lock``: the kernel drops it when the process dies, so a
``kill -9`` never leaves a stale lock behind, and a second run on the same directory gets a
clear error at once instead of waiting.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field

from ..errors import ConfigError
from ..files import write_atomic
from ..schemas import Usage

MANIFEST = "run.json"


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class ClusterState(StrEnum):
    DONE = "done"  # every article briefed
    PARTIAL = "partial"  # briefed, but some articles failed (listed)
    FAILED = "failed"  # no article could be briefed
    PENDING = "pending"  # not finished: interrupted, or the token budget ran out


class ArticleRecord(BaseModel):
    id: str
    source: str = ""
    status: str
    error: str | None = None
    stage: str = "extract"  # "load": the input itself is unusable, retrying cannot help
    cached: bool = False
    usage: Usage = Field(default_factory=Usage)
    duration_s: float = 0.0


class ClusterRecord(BaseModel):
    cluster_id: str
    state: ClusterState
    fingerprint: str = ""
    articles: list[ArticleRecord] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)  # spent by the run that finished it
    cache_hits: int = 0
    outputs: list[str] = Field(default_factory=list)
    duration_s: float = 0.0
    error: str | None = None
    finished_at: str | None = None


class RunRecord(BaseModel):
    started_at: str
    finished_at: str | None = None  # None: still running, or killed
    outcome: str = "running"  # running | complete | partial | budget | interrupted
    backend: str = ""
    model: str = ""
    strategy: str = ""
    prompt_version: str = ""
    concurrency: int = 1
    executor: str = "threads"  # or "dask <scheduler>" / "dask LocalCluster (N workers)"
    clusters_total: int = 0
    clusters_done: int = 0
    clusters_skipped: int = 0  # already finished by an earlier run
    clusters_failed: int = 0
    clusters_pending: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    usage: Usage = Field(default_factory=Usage)
    duration_s: float = 0.0
    input_errors: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)  # ignored inputs that lose nothing (stray files)
    note: str | None = None


class Manifest(BaseModel):
    version: int = 1
    clusters: dict[str, ClusterRecord] = Field(default_factory=dict)
    runs: list[RunRecord] = Field(default_factory=list)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        path = Path(out_dir) / MANIFEST
        if not path.exists():
            return cls()
        try:
            return cls.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"{path} is not a summarizer manifest ({type(exc).__name__}): "
                "use another --out directory or delete the file"
            ) from exc

    def save(self, out_dir: Path) -> None:
        write_atomic(Path(out_dir) / MANIFEST, self.model_dump_json(indent=2) + "\n")

    def finished(self, cluster_id: str, fingerprint: str, out_dir: Path) -> bool:
        """Finished with the same input, and its files are there: nothing to redo."""
        rec = self.clusters.get(cluster_id)
        if rec is None or rec.fingerprint != fingerprint:
            return False
        if rec.state == ClusterState.PENDING:
            return False
        # A failed extraction may be transient (a timeout): redo the cluster, its good articles come
        # from the cache. An unusable input fails the same way every time: leave it.
        if any(a.status != "ok" and a.stage != "load" for a in rec.articles):
            return False
        return all((Path(out_dir) / name).exists() for name in rec.outputs)


def status_text(manifest: Manifest, out_dir: Path) -> str:
    """What ran, what failed and why, tokens and time: the ``summarizer status`` report."""
    lines = [f"summarizer status: {out_dir}"]
    if not manifest.runs and not manifest.clusters:
        return lines[0] + "\n  no batch run has written here yet\n"
    for i, run in enumerate(manifest.runs, 1):
        outcome = run.outcome if run.finished_at or run.outcome != "running" else "running or killed"
        lines.append(
            f"run {i}: {run.started_at} -> {run.finished_at or '?'}  {outcome}  "
            + (f"{run.backend}/{run.model} ({run.strategy})" if run.backend else "no model loaded (nothing to extract)")
            + f", concurrency {run.concurrency}"
            + ("" if run.executor == "threads" else f", {run.executor}")
        )
        lines.append(
            f"  clusters: {run.clusters_done} briefed, {run.clusters_skipped} already done, "
            f"{run.clusters_failed} failed, {run.clusters_pending} pending, of {run.clusters_total}"
        )
        lines.append(
            f"  cache: {run.cache_hits} hits, {run.cache_misses} misses; calls {run.usage.calls}, "
            f"tokens {run.usage.prompt_tokens:,} prompt + {run.usage.completion_tokens:,} completion; "
            f"{run.duration_s:.1f} s"
        )
        for err in run.input_errors:
            lines.append(f"  input error: {err}")
        for warning in run.warnings:
            lines.append(f"  warning: {warning}")
        if run.note:
            lines.append(f"  note: {run.note}")
    by_state: dict[str, int] = {}
    for rec in manifest.clusters.values():
        by_state[rec.state] = by_state.get(rec.state, 0) + 1
    lines.append("clusters: " + ", ".join(f"{n} {s}" for s, n in sorted(by_state.items())))
    width = max((len(c) for c in manifest.clusters), default=7)
    lines.append(f"  {'cluster':<{width}}  state    articles  calls  tokens      time")
    for cid in sorted(manifest.clusters):
        rec = manifest.clusters[cid]
        ok = sum(a.status == "ok" for a in rec.articles)
        tokens = rec.usage.prompt_tokens + rec.usage.completion_tokens
        lines.append(
            f"  {cid:<{width}}  {rec.state:<7}  {ok:>3}/{len(rec.articles):<4}  {rec.usage.calls:>5}  "
            f"{tokens:>9,}  {rec.duration_s:>6.1f} s"
        )
        for a in rec.articles:
            if a.error:
                lines.append(f"  {'':<{width}}    {a.id}: {a.error}")
        if rec.error:
            lines.append(f"  {'':<{width}}    {rec.error}")
    return "\n".join(lines) + "\n"
