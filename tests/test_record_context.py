"""Records carry their own evidence: merging needs nothing but the extractions (issue 23)."""

from __future__ import annotations

import hashlib
import inspect
import json

from fixtures.seed import seed_extractions

from summarizer import cache
from summarizer.merge import merge
from summarizer.schemas import EXTRACTION_SCHEMA_VERSION, ArticleExtraction


def _dump(b) -> dict:
    data = json.loads(b.model_dump_json())
    data["run"].pop("duration_s", None)
    return data


def test_merge_takes_no_texts_and_the_records_round_trip_through_json():
    """What the cache stores (the extraction's JSON) is all merging needs: the briefing made from
    records read back from JSON is the briefing made from the records grounding returned."""
    assert list(inspect.signature(merge).parameters) == ["extractions", "run"]
    exs = seed_extractions()
    again = [ArticleExtraction.model_validate_json(e.model_dump_json()) for e in exs]
    assert _dump(merge(again)) == _dump(merge(exs))


def test_every_grounded_record_carries_its_sentence_and_every_extraction_its_facts():
    for ex in seed_extractions():
        assert ex.facts.lead and ex.facts.nestings is not None
        for rec in [*ex.casualties, *ex.events]:
            ctx = rec.context
            assert ctx is not None
            assert ctx.sentence.start <= rec.evidence.start and rec.evidence.end <= ctx.sentence.end
            assert rec.evidence.text in ctx.sentence.text


def test_an_extraction_from_before_contexts_is_asked_again_and_still_merges():
    """A cached extraction without contexts or facts is under another key (the extraction schema
    version is in it), so it is re-grounded; read anyway, it merges from its evidence, no crash."""
    parts = {"backend": "fake", "model": "m"}
    old = json.dumps({"article": "sha", **parts, "schema": "1"}, sort_keys=True)
    assert EXTRACTION_SCHEMA_VERSION != "1"
    assert cache.cache_key("sha", parts) != hashlib.sha256(old.encode()).hexdigest()
    exs = []
    for e in seed_extractions():
        data = json.loads(e.model_dump_json())
        data.pop("facts")
        for rec in [*data["casualties"], *data["events"]]:
            rec.pop("context")
        exs.append(ArticleExtraction.model_validate(data))
    b = merge(exs)
    assert b.events and any(e.killed.claims for e in b.events)
