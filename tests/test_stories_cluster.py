"""Story clustering on made-up news: an article whose time is unknown is clustered on its content
alone (never at the time it was read), two stories of the same kind on one day in different places
stay apart, and a story keeps its id across runs."""

from __future__ import annotations

import json

from stories_world import bombing, flood

from summarizer.settings import Settings
from summarizer.stories import run
from summarizer.stories.cluster import Clusterer
from summarizer.stories.stream import Item, Stream

DAY = 1.6e9  # 2020-09-13
YEAR = 365 * 24 * 3600.0


def shooting(town: str, place: str, gunman: str, chief: str, killed: int, i: int) -> str:
    """A shooting report: the words every shooting shares, with its own town, place and names."""
    details = [
        f"Witnesses said {gunman} walked into the {place} shortly after nine and began firing.",
        f"Officers from {town} arrived within minutes and the gunman was shot dead at the entrance.",
        f"Chief {chief} said the weapon had been bought legally in {town} last year.",
        f"Families gathered outside the {place} in {town} waiting for news of their relatives.",
    ]
    return "\n\n".join([
        f"Gunman kills {killed} at {town} {place}",
        f"A gunman opened fire at a {place} in {town} on Friday morning, killing {killed} people and wounding "
        f"several others, police said.",
        " ".join([details[i % 4], details[(i + 1) % 4]]),
        f"\"This is the darkest day {town} has known,\" Chief {chief} told reporters.",
    ]) + "\n"


def place_all(flood_time: float | None) -> tuple[Stream, list]:
    s = Stream()
    placed = [s.place(Item(f"b{i}", "", bombing(i, 20 + i), DAY + 3600 * i)) for i in range(2)]
    # read years after the event, with no date of its own
    placed.append(s.place(Item("b2", "", bombing(2, 22), None)))
    placed.append(s.place(Item("f0", "", flood(0, 5), flood_time)))
    placed.append(s.place(Item("f1", "", flood(1, 6), DAY + 3 * YEAR)))
    return s, placed


def test_an_undated_article_is_clustered_on_its_content_not_at_the_time_it_is_read():
    s, (b0, b1, b2, f0, f1) = place_all(None)
    assert b2.story == b0.story == b1.story and not b2.new_story  # joins the story all the same
    st = s.clusterer.stories[b2.story]
    assert (st.first, st.last) == (DAY, DAY + 3600)  # its unknown time neither stretches nor moves the story
    # an undated story takes a dated article whatever its date, with no decay: the same similarity
    # as when both are on one day
    assert f1.story == f0.story != b0.story
    _, (*_, same_day) = place_all(DAY + 3 * YEAR)
    assert f1.similarity == same_day.similarity > 0.5


def test_a_dated_article_far_from_a_dated_story_still_starts_its_own():
    c = Clusterer()
    first = c.add(None, c.vectors("", bombing(0, 20)), DAY)
    c.add(None, c.vectors("", bombing(1, 21)), None)  # undated: joins, and leaves the story's times alone
    later = c.add(None, c.vectors("", bombing(2, 22)), DAY + YEAR)
    assert later.new and later.story != first.story


def test_a_story_of_undated_articles_expires_by_the_stream_clock():
    c = Clusterer()
    undated = c.add(None, c.vectors("", flood(0, 5)), None)
    dated = c.add(None, c.vectors("", bombing(0, 20)), DAY)
    assert c.expire() == 0 and set(c.stories) == {undated.story, dated.story}
    assert c.add(None, c.vectors("", flood(1, 6)), None).story == undated.story
    latest = c.add(None, c.vectors("", bombing(1, 21)), DAY + YEAR)  # a year on: a story of its own
    assert latest.new and c.expire() == 2 and set(c.stories) == {latest.story}


def test_two_shootings_on_one_day_in_different_places_stay_apart():
    east = [shooting("Eastport", "school", "Daniel Mercer", "Laura Hinds", 4, i) for i in range(3)]
    west = [shooting("Westvale", "shopping mall", "Victor Osei", "Samuel Brandt", 6, i) for i in range(3)]
    s = Stream()
    placed = {}
    for i in range(3):  # interleaved, one a minute, all on one day: time cannot tell them apart
        for town, texts in (("e", east), ("w", west)):
            key = f"{town}{i}"
            placed[key] = s.place(Item(key, texts[i].split("\n")[0], texts[i], DAY + 60 * len(placed)))
    stories = {k: p.story for k, p in placed.items()}
    assert len({stories["e0"], stories["e1"], stories["e2"]}) == 1
    assert len({stories["w0"], stories["w1"], stories["w2"]}) == 1
    assert stories["e0"] != stories["w0"]


def test_examples_folder_files_without_dates_join_their_dated_siblings(tmp_path):
    """A file with no date of its own (no metadata, none in its text) joins its story by content,
    and the story's first and last times are its dated articles' (a read time is not news time)."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("NORTHTOWN, Jan 6, 2020 —\n\n" + bombing(0, 20))
    (src / "b.txt").write_text(bombing(1, 21))  # undated
    (src / "c.txt").write_text("SOUTHVILLE, Jan 7, 2020 —\n\n" + flood(0, 5))
    out = tmp_path / "out"
    run([src], out, Settings(strategy="whole"), brief=False)
    got = {s["id"]: s for s in json.loads((out / "stories.json").read_text())["stories"]}
    members = sorted(sorted(a["id"] for a in s["articles"]) for s in got.values())
    assert members == [["a", "b"], ["c"]]
    bomb = next(s for s in got.values() if len(s["articles"]) == 2)
    assert (bomb["first"], bomb["last"]) == ("2020-01-06T00:00:00Z", "2020-01-06T00:00:00Z")


def test_a_story_keeps_its_id_across_runs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(2):
        (src / f"bomb{i}.txt").write_text(bombing(i, 20 + i))
        (src / f"flood{i}.txt").write_text(flood(i, 5 + i))
    out = tmp_path / "out"
    run([src], out, Settings(strategy="whole"), brief=False)

    def ids() -> dict[str, str]:
        return {a["id"]: s["id"] for s in json.loads((out / "stories.json").read_text())["stories"]
                for a in s["articles"]}

    before = ids()
    (src / "bomb2.txt").write_text(bombing(2, 22))
    (src / "flood2.txt").write_text(flood(2, 7))
    run([src], out, Settings(strategy="whole"), brief=False)
    after = ids()
    assert {k: after[k] for k in before} == before
    assert after["bomb2"] == before["bomb0"] and after["flood2"] == before["flood0"]


def test_shingles_are_each_run_of_five_prose_words_in_utf8():
    """The shingles sliced out of the joined words are the runs of words joined one by one."""
    from summarizer.stories.dedup import SHINGLE, prose_words, shingles

    for text in (bombing(1, 20), "Zürich’s café reopened; the naïve résumé of Łódź " * 4, "日本語 の テキスト " * 8,
                 "one two three four five six seven eight nine ten eleven twelve", "too short"):
        w = prose_words(text)
        runs = {" ".join(w[i:i + SHINGLE]).encode() for i in range(len(w) - SHINGLE + 1)}
        assert shingles(text) == (runs if len(w) >= SHINGLE else ({" ".join(w).encode()} if w else set()))


def test_a_storys_rows_add_stack_and_normalize_as_scipy_does():
    """The story's sum, members and centroid made on plain arrays equal scipy's, value for value."""
    import numpy as np
    import scipy.sparse as sp

    from summarizer.stories.cluster import N_FEATURES, Rows, _per_space_normalized

    rng = np.random.default_rng(0)

    def row(n: int) -> sp.csr_matrix:
        cols = np.sort(rng.choice(3 * N_FEATURES, n, replace=False))
        return sp.csr_matrix((rng.random(n, dtype=np.float32), cols, [0, n]), shape=(1, 3 * N_FEATURES))

    a, b = row(300), row(200)
    b.indices[:50], b.data[:50] = a.indices[:50], a.data[:50]  # shared columns
    b.sort_indices()
    got, want = Rows.of(a).plus(Rows.of(b)), a + b
    assert got.indices.tolist() == want.indices.tolist() and got.data.tobytes() == want.data.tobytes()
    norm = _per_space_normalized(got)
    blocks = [want[:, k * N_FEATURES:(k + 1) * N_FEATURES] for k in range(3)]
    expect = np.concatenate([(m.data / np.sqrt((m.data.astype(np.float64) ** 2).sum())).astype(np.float32)
                             for m in blocks])
    assert norm.data.tobytes() == expect.tobytes()
    rows = [row(n) for n in (5, 7, 0, 3)]
    stack = Rows.of(rows[0])
    for r in rows[1:]:
        stack = stack.stacked(Rows.of(r), keep=2)
    want = sp.vstack(rows[-2:], format="csr")
    assert (stack.indptr.tolist(), stack.indices.tolist(), stack.data.tobytes()) == \
        (want.indptr.tolist(), want.indices.tolist(), want.data.tobytes())
    # ``Rows.plus`` finds columns by binary search: an article's columns come sorted and distinct
    made = Clusterer().vectors_many(["Gunman kills 3 in Northtown"], [bombing(1, 20) + flood(2, 5)])
    assert (np.diff(made[0].row.indices) > 0).all()
