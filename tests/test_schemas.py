"""The JSON Schemas in schemas/ must match the models (regenerate: summarizer schema --write schemas)."""

from __future__ import annotations

import pytest
from conftest import ROOT

from summarizer.cli import schema_documents
from summarizer.schemas import Citation


@pytest.mark.parametrize("name,text", sorted(schema_documents().items()))
def test_schema_files_have_not_drifted(name, text):
    path = ROOT / "schemas" / f"{name}.json"
    assert path.read_text() == text, f"{path} is stale: run `summarizer schema --write schemas`"


def test_citation_refuses_a_span_that_does_not_fit_its_text():
    with pytest.raises(ValueError, match="citation span"):
        Citation(article_id="a", start=0, end=5, text="abc")


def test_the_drafts_offer_exactly_the_taxonomy():
    from typing import get_args

    from summarizer.extraction.drafts import EventKindName
    from summarizer.schemas import EventKind

    assert set(get_args(EventKindName)) == {k.value for k in EventKind}
