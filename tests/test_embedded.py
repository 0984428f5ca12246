"""The real embedded model (SmolLM2-135M via llama-cpp-python), in-process, on one short article."""

from __future__ import annotations

import pytest
from conftest import assert_citations_verify, dump

from summarizer.backends import make_backend
from summarizer.extract import extract
from summarizer.ingest import make_article
from summarizer.numbers import find_numbers
from summarizer.settings import Settings

pytestmark = pytest.mark.slow

TEXT = (
    "Earlier in Homs, 57 people, mainly civilians, were reportedly killed in a double car bombing.\n"
    "Syria’s official SANA news agency, for its part, quoted the governor of Homs as saying that 25 people "
    "had been killed and 39 injured by the twin blasts.\n"
)


@pytest.fixture(scope="module")
def result():
    settings = Settings(temperature=0.0, seed=0, max_retries=1)
    backend = make_backend(settings)
    assert backend.name == "embedded" and backend.model == "SmolLM2-135M-Instruct.Q4_1.gguf"
    art = make_article(TEXT, id="homs-excerpt", published="2016-02-22")
    return art, extract(art, backend, settings)


def test_embedded_model_grounds_the_homs_figures(result):
    art, out = result
    assert out.status == "ok" and out.strategy == "sentence"
    killed = sorted(c.killed.value for c in out.casualties if c.killed)
    assert killed == [25, 57]
    sana = next(c for c in out.casualties if c.killed and c.killed.value == 25)
    assert sana.killed.citation.text == "25"
    assert art.text[sana.evidence.start:sana.evidence.end] == sana.evidence.text
    assert out.usage.calls >= 2 and out.usage.prompt_tokens > 0 and out.usage.completion_tokens > 0


def test_nothing_kept_that_the_text_does_not_say(result):
    art, out = result
    written = {n.value for n in find_numbers(art.text)}
    for c in out.casualties:
        for fig in (c.killed, c.injured):
            if fig:
                assert fig.value in written
    assert assert_citations_verify(dump(out), {art.id: art.text}) >= 4
