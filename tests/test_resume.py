"""kill -9 a batch at random points, run it again: 0 lost clusters, 0 half-written files, 0
finished articles re-asked.

Each trial runs ``tests/slow_batch.py`` (a slow fake model that logs every article it is asked)
in a subprocess, kills it with SIGKILL after a seeded random number of questions plus a random
fraction of one answer's delay, checks what is on disk, then reruns to completion and checks
again. "Finished" means in the SQLite cache at the moment of the kill: those articles must never
be asked again. Figures per trial are printed (``pytest -s tests/test_resume.py``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT

from summarizer.batch.manifest import Manifest

sys.path.insert(0, str(Path(__file__).parent))
from slow_batch import SlowBackend  # noqa: E402

from summarizer.batch import runner as batch  # noqa: E402
from summarizer.settings import Settings  # noqa: E402

CLUSTERS, ARTICLES, DELAY_S, CONCURRENCY = 6, 4, 0.12, 3
SCHEMA = json.loads((ROOT / "schemas" / "briefing.json").read_text())
CHILD = Path(__file__).parent / "slow_batch.py"


def make_inbox(root: Path) -> int:
    """CLUSTERS folders of ARTICLES articles, plus one text shared by two clusters (extracted once).
    Returns the number of distinct texts."""
    n = 0
    for c in range(CLUSTERS):
        folder = root / f"c{c}"
        folder.mkdir(parents=True)
        for a in range(ARTICLES):
            n += 1
            (folder / f"a{a}.txt").write_text(
                f"Blast in Town{c}\n\nA bombing in Town{c} killed {10 * c + a + 1} people, police said on Sunday.\n"
                f"Report number {a} of cluster {c}.\n", encoding="utf-8")
    (root / "c1" / "shared.txt").write_text((root / "c0" / "a0.txt").read_text(), encoding="utf-8")
    return n


def cached_shas(out: Path) -> set[str]:
    path = out / "cache.sqlite"
    if not path.exists():
        return set()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in db.execute("SELECT article_sha256 FROM extractions")}
    except sqlite3.OperationalError:  # killed before the table was created
        return set()
    finally:
        db.close()


def asked(log: Path) -> list[str]:
    return [line.split("\t")[0] for line in log.read_text().splitlines()] if log.exists() else []


def check_outputs(out: Path) -> int:
    """Every output present is whole: JSON parses and validates; Markdown has its footer."""
    n = 0
    for path in out.glob("c*.json"):
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), SCHEMA)
        n += 1
    for path in out.glob("c*.md"):
        assert "## Grounding and run" in path.read_text(encoding="utf-8"), path
    if (out / "run.json").exists():
        Manifest.load(out)  # parses
    return n


def wait_for(log: Path, k: int, proc: subprocess.Popen, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while len(asked(log)) < k and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)


@pytest.mark.parametrize("seed", range(int(os.environ.get("RESUME_TRIALS", "5"))))
def test_kill_9_and_resume(tmp_path, seed):
    rng = random.Random(seed)
    src, out, log = tmp_path / "inbox", tmp_path / "out", tmp_path / "asked.log"
    distinct = make_inbox(src)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("OPENAI_API_KEY", None)
    proc = subprocess.Popen([sys.executable, str(CHILD), str(src), str(out), str(log), str(DELAY_S),
                             str(CONCURRENCY)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # Anywhere from before the first question to after the last answer, while outputs are written.
        wait_for(log, rng.randrange(0, distinct + 1), proc)
        time.sleep(rng.uniform(0, DELAY_S * 2))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    assert "Traceback" not in stderr, stderr

    before = asked(log)
    finished = cached_shas(out)
    manifest = Manifest.load(out)
    done_before = sum(r.state == "done" for r in manifest.clusters.values())
    whole_files = check_outputs(out)
    temp_files = len(list(out.glob(".*.tmp")))

    log2 = tmp_path / "asked-rerun.log"
    result = batch.run(src, out, Settings(strategy="whole", concurrency=CONCURRENCY),
                       backend=SlowBackend(log2, 0.0))
    again = asked(log2)

    reasked = [sha for sha in again if sha in finished]
    print(f"\nseed {seed}: killed after {len(before)} questions; {len(finished)}/{distinct} articles cached, "
          f"{done_before}/{CLUSTERS} clusters done, {whole_files} output files whole, {temp_files} temp files; "
          f"rerun asked {len(again)}, re-asked finished {len(reasked)}, exit {result.exit_code}")
    assert result.exit_code == 0
    assert reasked == []  # 0 finished articles asked again
    assert len(set(again)) == len(again) == distinct - len(finished)  # the rest, each once
    m = Manifest.load(out)
    assert sorted(m.clusters) == [f"c{c}" for c in range(CLUSTERS)]
    assert all(r.state == "done" for r in m.clusters.values())  # 0 lost clusters
    assert check_outputs(out) == CLUSTERS
    assert len(list(out.glob("c*.md"))) == CLUSTERS
    assert list(out.glob(".*.tmp")) == [] and list(out.glob("*.tmp")) == []  # 0 half-written files left
    assert cached_shas(out) == {sha for sha in asked(log) + again}


def test_a_finished_batch_reruns_without_a_question(tmp_path):
    src, out = tmp_path / "inbox", tmp_path / "out"
    distinct = make_inbox(src)
    log = tmp_path / "asked.log"
    batch.run(src, out, Settings(strategy="whole", concurrency=CONCURRENCY), backend=SlowBackend(log, 0.0))
    assert len(asked(log)) == distinct
    again = tmp_path / "again.log"
    result = batch.run(src, out, Settings(strategy="whole"), backend=SlowBackend(again, 0.0))
    assert result.exit_code == 0 and result.run.clusters_skipped == CLUSTERS and asked(again) == []
