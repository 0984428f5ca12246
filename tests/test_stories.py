"""``summarizer stories`` on made-up news (``stories_world.py``): clustering, duplicates, the
update scenario (calls and rewrites counted), what changed, reruns that do nothing, kill -9."""

from __future__ import annotations

import calendar
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from stories_world import ReadingBackend, bombing, flood
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.settings import Settings
from summarizer.stories import run
from summarizer.stories.cluster import FEATURES_VERSION, Clusterer
from summarizer.stories.dedup import Deduper, signature
from summarizer.stories.stream import Item, Stream

WHOLE = Settings(strategy="whole")


def inbox(tmp_path: Path, bombs: range, floods: range) -> Path:
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    for i in bombs:
        (src / f"bomb{i}.txt").write_text(bombing(i, 20 + i, "We will rebuild the market" if i == 0 else None))
    for i in floods:
        (src / f"flood{i}.txt").write_text(flood(i, 5 + i))
    return src


def stories(out: Path) -> dict[str, dict]:
    return {s["id"]: s for s in json.loads((out / "stories.json").read_text())["stories"]}


def story_of(out: Path, article: str) -> str:
    return next(sid for sid, s in stories(out).items() if article in [a["id"] for a in s["articles"]])


def mtimes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.suffix in (".json", ".md", ".html")}



def _kill_9(proc: subprocess.Popen) -> None:
    """SIGKILL a child still running, as kill -9 would, and reap it."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

def test_two_stories_on_one_day_stay_apart_and_each_is_briefed(tmp_path):
    src, out = inbox(tmp_path, range(3), range(3)), tmp_path / "out"
    be = ReadingBackend()
    result = run([src], out, WHOLE, backend=be)
    assert result.exit_code == 0 and result.new_stories == 2 and result.new_duplicates == 0
    assert sorted(be.asked) == sorted(f"{k}{i}" for k in ("bomb", "flood") for i in range(3))  # once each
    got = {sid: sorted(a["id"] for a in s["articles"]) for sid, s in stories(out).items()}
    assert sorted(got.values()) == [["bomb0", "bomb1", "bomb2"], ["flood0", "flood1", "flood2"]]
    bomb = stories(out)[story_of(out, "bomb0")]
    assert bomb["kind"] == "bombing" and bomb["tolls"] == ["Bombing: killed 20–22, best 20 (disputed)"]
    assert bomb["changes"]["first"] is True and bomb["briefing"]["html"] == f"{bomb['id']}.html"
    briefing = json.loads((out / bomb["briefing"]["json"]).read_text())
    for src_article in briefing["sources"]:  # citations index the files as read_text() reads them
        text = (src / f"{src_article['id']}.txt").read_text()
        for claim in briefing["events"][0]["killed"]["claims"]:
            for c in claim["citations"]:
                if c["article_id"] == src_article["id"]:
                    assert text[c["start"]:c["end"]] == c["text"]


def test_the_update_scenario_asks_only_the_new_articles_and_rewrites_one_story(tmp_path):
    src, out = inbox(tmp_path, range(3), range(3)), tmp_path / "out"
    run([src], out, WHOLE, backend=ReadingBackend())
    bomb, flood_id = story_of(out, "bomb0"), story_of(out, "flood0")
    before = mtimes(out)
    time.sleep(0.01)
    for i in (3, 4, 5):  # 3 new articles on the bombing: a raised toll from police, a new statement
        (src / f"bomb{i}.txt").write_text(bombing(i, 30 + i, "The market will open again" if i == 4 else None))
    be = ReadingBackend()
    result = run([src], out, WHOLE, backend=be)
    assert sorted(be.asked) == ["bomb3", "bomb4", "bomb5"]  # calls: only that story's new articles
    assert result.calls == 3 and result.briefed == [bomb] and result.new_stories == 0
    after = mtimes(out)
    rewritten = {name for name in after if after[name] != before.get(name)}
    assert rewritten == {f"{bomb}.json", f"{bomb}.md", f"{bomb}.html", "stories.json", "index.html"}
    assert flood_id not in "".join(rewritten)
    changes = stories(out)[bomb]["changes"]
    assert changes["first"] is False and changes["new_articles"] == ["bomb3", "bomb4", "bomb5"]
    assert changes["raised"] == [{"event": "Bombing", "measure": "killed", "claimant": "police",
                                  "before": 22, "after": 35}]
    assert [f["value"] for f in changes["new_figures"]] == [33, 34, 35]
    assert changes["new_statements"] == ["Anna Kovac: The market will open again"]
    md = (out / f"{bomb}.md").read_text()
    assert "## What changed since the previous briefing" in md and "killed 22 → 35 (police)" in md
    assert "toll raised: Bombing, killed 22 → 35 (police)" in (out / "index.html").read_text()


def test_a_rerun_with_nothing_new_asks_nothing_and_rewrites_nothing(tmp_path):
    src, out = inbox(tmp_path, range(3), range(2)), tmp_path / "out"
    run([src], out, WHOLE, backend=ReadingBackend())
    before = mtimes(out)
    result = run([src], out, WHOLE)  # no backend given: one would be made only if a story needed it
    assert result.calls == 0 and result.briefed == [] and result.new_articles == 0 and result.written == []
    assert mtimes(out) == before


def test_a_rerun_looks_for_titles_and_dates_only_in_texts_it_has_not_read(tmp_path, monkeypatch):
    """Rereading a source, a text stored by an earlier run is only cleaned and identified (it is
    skipped by its sha256); a new text still gets its headline and dateline, and is placed."""
    import summarizer.ingest.article as article

    looked: list[str] = []
    headline = article.headline
    monkeypatch.setattr(article, "headline", lambda text: looked.append(text) or headline(text))
    src, out = tmp_path / "s.jsonl", tmp_path / "out"
    recs = [{"id": f"b{i}", "text": f"Bomb in Northtown\n\n{bombing(i, 20 + i)}"} for i in range(3)]
    src.write_text("".join(json.dumps(r) + "\n" for r in recs))
    run([src], out, WHOLE, brief=False)
    assert len(looked) == 3
    looked.clear()
    again = run([src], out, WHOLE, brief=False)
    assert looked == [] and again.new_articles == 0 and again.written == []
    recs.append({"id": "b3", "text": f"Bomb in Northtown\n\n{bombing(3, 23)}"})
    src.write_text("".join(json.dumps(r) + "\n" for r in recs))
    more = run([src], out, WHOLE, brief=False)
    assert len(looked) == 1 and more.new_articles == 1 and more.new_stories == 0
    assert {a["title"] for s in stories(out).values() for a in s["articles"]} == {"Bomb in Northtown"}


def test_a_republished_copy_is_one_article_with_two_publishers(tmp_path):
    src, out = inbox(tmp_path, range(2), range(0)), tmp_path / "out"
    body = bombing(7, 44)
    (src / "wire.txt").write_text(body)
    (src / "zz-republished.txt").write_text("BOMB KILLS 44 AT NORTHTOWN MARKET\nBy Staff reporter, Metro Wire\n\n"
                                            + "\n".join(body.split("\n")[2:])
                                            + "\nCopyright 2026 Metro Wire. All rights reserved.\n")
    be = ReadingBackend()
    result = run([src], out, WHOLE, backend=be)
    assert result.new_duplicates == 1 and "zz-republished" not in be.asked
    story = stories(out)[story_of(out, "wire")]
    assert [(d["id"], d["duplicate_of"]) for d in story["duplicates"]] == [("zz-republished", "wire")]
    assert "Also published by" in (out / f"{story['id']}.md").read_text()


def test_dedup_finds_rewrapped_copies_and_not_articles_on_the_same_story():
    d = Deduper()
    d.add("a", signature(bombing(1, 20)))
    rewrapped = "NEW HEADLINE\nBy a reporter\n" + bombing(1, 20) + "\nFollow us for more.\n"
    assert d.find(signature(rewrapped)).original == "a"
    assert d.find(signature(bombing(2, 21))) is None  # same story, other prose: not a duplicate
    assert signature("Too short.") is None


def test_clustering_is_online_and_keeps_story_ids_when_rebuilt():
    s = Stream()
    placed = [s.place(Item(f"b{i}", "", bombing(i, 20 + i), 1e9 + i)) for i in range(3)]
    placed += [s.place(Item(f"f{i}", "", flood(i, 5), 1e9 + 10 + i)) for i in range(2)]
    assert [p.new_story for p in placed] == [True, False, False, True, False]
    again = Stream()
    for p, (key, text) in zip(placed, [(f"b{i}", bombing(i, 20 + i)) for i in range(3)]
                              + [(f"f{i}", flood(i, 5)) for i in range(2)], strict=True):
        again.restore(Item(key, "", text, 1e9), p.story, None, p.signature)
    nxt = again.place(Item("b9", "", bombing(8, 40), 1e9 + 20))
    assert nxt.story == placed[0].story and not nxt.new_story
    assert again.next_story_id() == "s3"


def test_time_decay_and_window_start_a_new_story():
    c = Clusterer()
    first = c.add(None, c.vectors("", bombing(0, 20)), 0.0)
    month_later = c.add(None, c.vectors("", bombing(1, 21)), 30 * 24 * 3600.0)
    assert first.new and month_later.new and month_later.story != first.story


def test_cli_cluster_only_loads_no_model_and_prints_one_line(tmp_path):
    src, out = inbox(tmp_path, range(2), range(2)), tmp_path / "out"
    res = CliRunner().invoke(app, ["stories", str(src), "--out", str(out), "--cluster-only"])
    assert res.exit_code == 0, res.output
    assert "4 new articles (0 duplicates), 2 new stories" in res.stderr
    assert len(stories(out)) == 2 and not list(out.glob("s*.html"))
    res = CliRunner().invoke(app, ["stories", str(tmp_path / "missing"), "--out", str(out), "--cluster-only"])
    assert res.exit_code == 3 and "no such file" in res.stderr


CHILD = Path(__file__).parent / "stories_world.py"


def test_kill_9_mid_run_then_rerun_loses_nothing(tmp_path):
    src, out, log = inbox(tmp_path, range(6), range(4)), tmp_path / "out", tmp_path / "asked.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("OPENAI_API_KEY", None)
    proc = subprocess.Popen([sys.executable, str(CHILD), str(src), str(out), str(log), "0.15"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120  # the loop ends at 6 asked; a loaded machine starts the child late
        while (not log.exists() or len(log.read_text().splitlines()) < 6) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        _kill_9(proc)  # mid-briefing: some stories briefed, some articles cached
    assert proc.returncode == -signal.SIGKILL
    with sqlite3.connect(out / "stories.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 10  # placed before any briefing
    with sqlite3.connect(out / "cache.sqlite") as db:
        cached = {r[0] for r in db.execute("SELECT article_sha256 FROM extractions")}
    be = ReadingBackend()
    result = run([src], out, WHOLE, backend=be)
    asked_before = [line.split("\t") for line in log.read_text().splitlines()]
    reasked = [aid for sha, aid in asked_before if sha in cached and aid in be.asked]
    assert result.exit_code == 0 and result.new_articles == 0
    assert reasked == []  # nothing finished before the kill is asked again
    assert len(be.asked) == 10 - len(cached) and 0 < len(cached) < 10
    got = stories(out)
    assert sorted(len(s["articles"]) for s in got.values()) == [4, 6]
    assert all(s["briefing"] and (out / s["briefing"]["html"]).exists() for s in got.values())
    assert list(out.glob(".*.tmp")) == []
    assert run([src], out, WHOLE).calls == 0


@pytest.mark.parametrize("n", [1])
def test_a_killed_run_before_any_briefing_leaves_no_half_state(tmp_path, n):
    """What was committed is never placed twice: a second run places only what is missing."""
    src, out = inbox(tmp_path, range(3), range(0)), tmp_path / "out"
    run([src], out, WHOLE, brief=False)
    with sqlite3.connect(out / "stories.sqlite") as db:
        db.execute("DELETE FROM articles WHERE id = 'bomb2'")  # as if killed before its commit
    result = run([src], out, WHOLE, brief=False)
    assert result.new_articles == n and result.new_stories == 0


def test_stories_past_the_window_are_kept_but_not_replayed(tmp_path):
    """Published dates (metadata) are the stream's times: two months later the same words start a
    new story, the old one stays in stories.json, and new ids never reuse an old one."""
    out = tmp_path / "out"
    old = tmp_path / "old.jsonl"
    old.write_text("\n".join(json.dumps({"id": f"b{i}", "text": bombing(i, 20 + i), "published": "2020-01-06"})
                             for i in range(2)) + "\n")
    run([old], out, WHOLE, brief=False)
    new = tmp_path / "new.jsonl"
    new.write_text(json.dumps({"id": "b9", "text": bombing(5, 40), "published": "2020-03-02"}) + "\n")
    result = run([old, new], out, WHOLE, brief=False)
    assert result.new_articles == 1 and result.new_stories == 1
    got = {sid: [a["id"] for a in s["articles"]] for sid, s in stories(out).items()}
    assert got == {"s1": ["b0", "b1"], "s2": ["b9"]}
    assert stories(out)["s2"]["first"] == "2020-03-02T00:00:00Z"


def test_w_dots_gives_each_row_its_dot_product_and_an_empty_row_zero():
    import numpy as np
    import scipy.sparse as sp

    from summarizer.stories.cluster import w_dots

    q = np.array([1.0, 2.0, 0.0, 4.0], np.float32)
    c = sp.csr_matrix(np.array([[1, 0, 5, 0], [0, 0, 0, 0], [0, 1, 0, 1]], np.float32))
    assert w_dots(q, [c]).tolist() == [1.0, 0.0, 6.0]


def test_an_article_file_without_metadata_takes_the_date_its_text_states(tmp_path):
    """A file's dateline is its time when nothing else gives one: the same words two years apart
    start a new story, and each story's first time is its article's own date."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("NORTHTOWN, Jan 6, 2020 —\n\n" + bombing(0, 20))
    (src / "b.txt").write_text("NORTHTOWN, Jan 8, 2022 —\n\n" + bombing(1, 21))
    out = tmp_path / "out"
    run([src], out, WHOLE, brief=False)
    got = {s["first"]: [a["id"] for a in s["articles"]] for s in stories(out).values()}
    assert got == {"2020-01-06T00:00:00Z": ["a"], "2022-01-08T00:00:00Z": ["b"]}


def test_a_batch_of_vectors_places_articles_as_one_at_a_time_does():
    """Vectors made for a batch at once, then placed one by one in order: the same stories and
    the same similarities as placing each article alone."""
    items = [Item(f"b{i}", "", bombing(i, 20 + i), 3600.0 * i) for i in range(4)]
    items += [Item(f"f{i}", "", flood(i, 5 + i), 3600.0 * i) for i in range(3)]
    alone = [(p.story, p.similarity, p.new_story) for p in map(Stream().place, items)]
    batch = [(p.story, p.similarity, p.new_story) for p in Stream().place_many(items)]
    assert batch == alone
    assert {s for s, _, _ in batch} == {"s1", "s2"}


TOWNS = [("Northtown", "Southville"), ("Eastbury", "Riverton"), ("Westhaven", "Marshfield"),
         ("Lakeford", "Oakdale"), ("Hillcrest", "Brookside")]  # a bombing in one, a flood in the other


def town_stream(path: Path, copies: int = 3) -> Path:
    """Five years, each with a bombing in one town and a flood in another (ten stories), their
    reports interleaved and in time order (a year's stories leave the window when the next year's
    news arrives), and a re-wrapped copy of one bombing report (a duplicate): one JSONL file."""
    recs = []
    for n, (town, other) in enumerate(TOWNS):
        for k in range(copies * 2):
            day = f"{2010 + n}-03-{1 + k // 2:02d}"
            recs.append({"id": f"{town.lower()}-bomb{k}", "text": bombing(k, 20 + k).replace("Northtown", town),
                         "published": day})
            recs.append({"id": f"{other.lower()}-flood{k}", "text": flood(k, 5 + k).replace("Southville", other),
                         "published": day})
    at = next(i for i, r in enumerate(recs) if r["id"] == "eastbury-bomb0") + 2
    recs.insert(at, {"id": "copy", "published": "2011-03-01", "text": "EASTBURY (Wire) —\n\n"
                     + bombing(0, 20).replace("Northtown", "Eastbury")
                     + "\nCopyright 2021 Metro Wire. All rights reserved.\n"})
    path.write_text("".join(json.dumps(r) + "\n" for r in recs))
    return path


def placements(out: Path) -> list[tuple]:
    with sqlite3.connect(out / "stories.sqlite") as db:
        return db.execute("SELECT id, story, duplicate_of, similarity FROM articles ORDER BY seq").fetchall()


@pytest.mark.parametrize("batch", [1, 3])
def test_batched_commits_place_articles_as_one_at_a_time_does(tmp_path, monkeypatch, batch):
    """The runner vectorizes and commits a batch at a time: the stories, duplicates and
    similarities are those of the stream placing each article alone, in arrival order."""
    from summarizer.stories import runner

    src = town_stream(tmp_path / "towns.jsonl")
    monkeypatch.setattr(runner, "BATCH", batch)
    run([src], tmp_path / "out", WHOLE, brief=False)
    s = Stream()
    alone = []
    for line in src.read_text().splitlines():
        rec = json.loads(line)
        t = calendar.timegm(time.strptime(rec["published"], "%Y-%m-%d"))
        p = s.place(Item(rec["id"], rec["text"].split("\n")[0], rec["text"], t))
        alone.append((rec["id"], p.story, p.duplicate_of, pytest.approx(p.similarity, abs=1e-6)))
    got = placements(tmp_path / "out")
    assert got == alone
    assert len({st for _, st, _, _ in got}) == 10 and [r[2] for r in got if r[2]] == ["eastbury-bomb0"]


KILLED_RUN = """
import sys, time
from summarizer.settings import Settings
from summarizer.stories import runner
runner.BATCH = 4
def slowly(name, fields):  # a slow disk, say: time to be killed between and inside commits
    if name == "articles_committed":
        time.sleep(0.1)
runner.run([sys.argv[1]], sys.argv[2], Settings(strategy="whole"), brief=False, events=slowly)
"""


def test_kill_9_while_clustering_then_rerun_gives_the_stories_of_an_uninterrupted_run(tmp_path):
    src, out = town_stream(tmp_path / "towns.jsonl", copies=4), tmp_path / "out"
    total = len(src.read_text().splitlines())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(src), str(out)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline, placed = time.monotonic() + 60, 0
        while placed < 24 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
            try:
                with sqlite3.connect(out / "stories.sqlite", timeout=1) as db:
                    placed = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.Error:  # not made yet
                pass
    finally:
        _kill_9(proc)
    assert proc.returncode == -signal.SIGKILL
    with sqlite3.connect(out / "stories.sqlite") as db:
        kept = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert 24 <= kept < total and kept % 4 == 0  # whole batches only: each article with its story
    assert not (out / "stories.json").exists()
    result = run([src], out, WHOLE, brief=False)
    assert result.new_articles == total - kept and result.exit_code == 0
    whole = tmp_path / "whole"
    run([src], whole, WHOLE, brief=False)
    assert placements(out) == placements(whole)
    assert (out / "stories.json").read_text() == (whole / "stories.json").read_text()
    again = run([src], out, WHOLE, brief=False)
    assert again.new_articles == 0 and again.written == []


def _two_runs_with_the_state_spoiled_between(tmp_path: Path, spoil) -> tuple[Path, Path, int]:  # type: ignore[no-untyped-def]
    """Run the first 30 articles into two states, ``spoil`` one of them, run the rest into both:
    (the spoiled state, the kept one, the number of articles)."""
    src = town_stream(tmp_path / "towns.jsonl")
    lines = src.read_text().splitlines(keepends=True)
    first, rest = tmp_path / "first.jsonl", tmp_path / "rest.jsonl"
    first.write_text("".join(lines[:30]))
    rest.write_text("".join(lines[30:]))
    old, kept = tmp_path / "old", tmp_path / "kept"
    for out in (old, kept):
        run([first], out, WHOLE, brief=False)
    with sqlite3.connect(old / "stories.sqlite") as db:
        spoil(db)
    for out in (old, kept):
        run([rest], out, WHOLE, brief=False)
    assert placements(old) == placements(kept)
    return old, kept, len(lines)


def test_a_state_without_stored_counts_is_rebuilt_from_the_texts(tmp_path: Path) -> None:
    """A state made before term counts were stored (no ``counts`` column) is migrated, its
    articles vectorized again from their texts: the next articles go where they would have."""
    old, _, n = _two_runs_with_the_state_spoiled_between(
        tmp_path, lambda db: db.execute("ALTER TABLE articles DROP COLUMN counts"))
    with sqlite3.connect(old / "stories.sqlite") as db:
        stored = db.execute("SELECT COUNT(counts), COUNT(*) FROM articles").fetchone()
    assert stored == (n - 30, n)  # counts kept for the new articles only


def test_counts_made_by_other_tokenizing_are_made_again(tmp_path: Path) -> None:
    """Stored term counts carry the tokenizing version that made them (SQLite ``user_version``):
    a state from another version has its counts dropped and made again, never compared with new
    ones, and the next articles go where they would have."""
    def older_tokenizing(db: sqlite3.Connection) -> None:
        db.execute("UPDATE articles SET counts = x'00'")  # what another tokenizing might have stored
        db.execute(f"PRAGMA user_version = {FEATURES_VERSION - 1}")

    old, _, _ = _two_runs_with_the_state_spoiled_between(tmp_path, older_tokenizing)
    with sqlite3.connect(old / "stories.sqlite") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == FEATURES_VERSION
        assert db.execute("SELECT COUNT(*) FROM articles WHERE counts = x'00'").fetchone()[0] == 0
