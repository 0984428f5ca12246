"""The hand-written expected facts of the devset clusters (tests/fixtures/expected/multinews-*.json)
are well formed, and, when ``../shared/devset`` is present, their offsets cite the texts exactly.

The devset texts are never copied into the repository: these files hold offsets (``evidence_start``,
``evidence_end``) into ``Path(file).read_text()``, and only the few words of a number phrase or a
name. Without the devset (a fresh clone) the shape checks run and the text checks are skipped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summarizer.schemas import EventKind

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "tests" / "fixtures" / "expected"
DEVSET = ROOT.parent / "shared" / "devset"
TAXONOMY = {k.value for k in EventKind}  # the schema's kinds: expected facts use no other
TYPES = {"killed", "injured", "missing", "displaced", "affected", "arrested", "hospitalized", "cases"}
BASES = {"claimed", "charged", "named", "carried_out", "suspected"}
FILES = sorted(p for p in EXPECTED.glob("*.json") if not (ROOT / "examples" / p.stem).is_dir())


def _texts(cluster: str) -> dict[str, str]:
    folder = DEVSET / cluster
    if not folder.is_dir():
        pytest.skip(f"{folder} not present: offsets not checked")
    return {p.stem: p.read_text() for p in folder.glob("*.txt")}


FREE_TEXT = {"notes", "note", "why", "matter"}


def _free_text(node: object):
    """The labellers' own prose (names, claimants and number words are quoted as written, by design)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in FREE_TEXT and isinstance(v, str):
                yield v
            else:
                yield from _free_text(v)
    elif isinstance(node, list):
        for v in node:
            yield from _free_text(v)


def test_devset_files_are_present():
    assert FILES, "no devset expected facts in tests/fixtures/expected/"
    assert all(p.stem.startswith("multinews-") for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_devset_expected_file_shape(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["cluster"] == path.stem
    me = data["main_event"]
    assert me["kind"] in TAXONOMY
    if me["place"] is None:
        assert me.get("matter") and me.get("parties"), "no place: the matter and parties are named instead"
    else:
        assert me["place"] in me["place_any"]
    assert me["date"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", me["date"])
    assert isinstance(data["events_expected"], int) and data["events_expected"] >= 0
    seen = set()
    for f in data["figures"]:
        assert "evidence" not in f, "devset evidence is given by offsets, never as text"
        assert f["type"] in TYPES
        assert isinstance(f["background"], bool)
        assert f["value"] is None or isinstance(f["value"], int)
        assert 0 <= f["evidence_start"] < f["evidence_end"]
        # the same number of one role may be stated twice in an article for two happenings
        ident = (f["article"], f["type"], f["value"] if f["value"] is not None else f["words"].lower(),
                 f["evidence_start"])
        assert ident not in seen, f"duplicate figure {ident}"
        seen.add(ident)
    for p in data["perpetrators"]:
        assert p["name"] and p["basis"] in BASES
        assert 0 <= p["evidence_start"] < p["evidence_end"]
    for nf in data.get("not_figures", []):
        assert nf["words"] and nf["why"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_devset_expected_file_cites_the_text(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    texts = _texts(path.stem)
    me = data["main_event"]
    if me["place"] is not None:
        assert any(me["place"].lower() in t.lower() for t in texts.values()), me["place"]
    for f in data["figures"]:
        text = texts[f["article"]]
        assert f["evidence_end"] <= len(text), (f["article"], f["evidence_end"], len(text))
        span = text[f["evidence_start"]:f["evidence_end"]]
        assert f["words"] in span, (f["words"], f["article"], f["evidence_start"])
        for key in ("claimant", "via"):
            if f.get(key):  # as written; a labeller's gloss in parentheses ("it (the Observatory)") may stand
                parts = [x.strip() for x in re.split(r"[()]", f[key]) if x.strip()]
                assert any(x.lower() in text.lower() for x in parts), (key, f[key])
    for p in data["perpetrators"]:
        if "article" in p:
            assert p["evidence_end"] <= len(texts[p["article"]]), p
    for nf in data.get("not_figures", []):
        assert nf["words"] in texts[nf["article"]], nf["words"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_devset_expected_file_copies_no_sentence(path: Path):
    """Copyright: no run of eight words of an article appears in the labellers' notes."""
    data = json.loads(path.read_text(encoding="utf-8"))
    flat = {" ".join(t.split()) for t in _texts(path.stem).values()}
    for s in _free_text(data):
        words = s.split()
        for i in range(len(words) - 7):
            run = " ".join(words[i:i + 8])
            assert not any(run in t for t in flat), f"copied from the article: {run!r}"


def test_no_devset_text_in_benchmark_results():
    """Saved devset briefings and scores (benchmarks/results/) hold offsets, never the articles' words."""
    if not DEVSET.is_dir():
        pytest.skip(f"{DEVSET} not present")
    runs: set[str] = set()
    for art in DEVSET.glob("*/*.txt"):
        w = art.read_text().split()
        runs.update(" ".join(w[i:i + 8]) for i in range(len(w) - 7))
    for path in sorted((ROOT / "benchmarks" / "results").rglob("*")):
        if not path.is_file() or path.suffix not in {".json", ".txt", ".md"}:
            continue
        content = path.read_text(encoding="utf-8")
        if "multinews" not in content and "multinews" not in path.name:
            continue
        strings = list(_all_strings(json.loads(content))) if path.suffix == ".json" else content.splitlines()
        for s in strings:
            w = s.split()
            hit = next((r for i in range(len(w) - 7) if (r := " ".join(w[i:i + 8])) in runs), None)
            assert hit is None, f"{path.relative_to(ROOT)} copies devset text: {hit!r}"


def _all_strings(node: object):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _all_strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _all_strings(v)
