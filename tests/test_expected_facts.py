"""The hand-written expected facts (tests/fixtures/expected/) are well formed and cite the text exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.schemas import EventKind

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "tests" / "fixtures" / "expected"
TAXONOMY = {k.value for k in EventKind}  # the schema's kinds: expected facts use no other
TYPES = {"killed", "injured", "missing", "displaced", "affected", "arrested", "hospitalized", "cases"}
# The examples' files (evidence as text); the devset clusters' (evidence as offsets) are checked in
# tests/test_expected_devset.py.
FILES = sorted(p for p in EXPECTED.glob("*.json") if (ROOT / "examples" / p.stem).is_dir())


def test_every_example_cluster_has_expected_facts():
    clusters = {p.name for p in (ROOT / "examples").iterdir() if p.is_dir()}
    assert clusters == {p.stem for p in FILES}
    assert len(FILES) == 7


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_expected_file_is_exact(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["cluster"] == path.stem
    texts = {p.stem: p.read_text() for p in (ROOT / "examples" / path.stem).glob("*.txt")}
    me = data["main_event"]
    assert me["kind"] in TAXONOMY
    assert me["place"] in me["place_any"]
    assert any(me["place"] in t for t in texts.values())
    if me["date"] is not None:
        assert len(me["date"]) == 10 and me["date"][4] == "-"
    seen = set()
    for f in data["figures"]:
        text = texts[f["article"]]
        assert f["type"] in TYPES
        assert isinstance(f["background"], bool)
        assert f["evidence"] in text, f["evidence"]
        assert f["words"].lower() in f["evidence"].lower(), f["words"]
        assert f["value"] is None or isinstance(f["value"], int)
        for key in ("claimant", "via"):
            if f.get(key):
                assert f[key] in text, f[key]
        ident = (f["article"], f["type"], f["value"] if f["value"] is not None else f["words"].lower())
        assert ident not in seen, f"duplicate figure {ident}"
        seen.add(ident)
    for nf in data["not_figures"]:
        assert nf["words"] in texts[nf["article"]], nf["words"]
        assert nf["why"]
