"""The real embedded model (SmolLM2-135M via llama-cpp-python), in-process, on one short article."""

from __future__ import annotations

import pytest
from conftest import assert_citations_verify, dump

from summarizer.backends import make_backend
from summarizer.extraction.strategies import extract
from summarizer.ingest.article import make_article
from summarizer.language.numbers import find_numbers
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
    # The first sentence has one count, one place and no source: the text settles it with no call.
    # The second has two counts and several names: the model chooses, among the text's own values.
    assert out.grounding.read_from_text == 1
    assert out.usage.calls >= 1 and out.usage.prompt_tokens > 0 and out.usage.completion_tokens > 0
    assert sana.claimed_by is None or sana.claimed_by.value in TEXT


def test_nothing_kept_that_the_text_does_not_say(result):
    art, out = result
    written = {n.value for n in find_numbers(art.text)}
    for c in out.casualties:
        for fig in (c.killed, c.injured):
            if fig:
                assert fig.value in written
    assert assert_citations_verify(dump(out), {art.id: art.text}) >= 4


SENTENCES = (  # one per prompt kind; on the first two the grammar refuses the model's favourite token
    "State news agency SANA said 25 people had died and 70 were injured.",
    "“There is a deal,” Kerry told reporters in Amman.",
    "The attacks came as the US and Russia announced a provisional agreement on a ceasefire.",
)


def test_fast_llama_gives_the_same_tokens_as_llama_cpp_python():
    """Grammar-first sampling and saved prompt prefixes must be exact: the same answers as
    llama-cpp-python's own sampler and prompt evaluation, on every prompt kind. The kinds are asked
    twice in turn, so the second round resumes each kind's saved prefix; and the grammar refuses the
    model's favourite token at least once (or the lazy check would go untested)."""
    from llama_cpp import Llama

    from summarizer.backends._sampling import grammar_first_llama
    from summarizer.backends.embedded import bundled_model_path
    from summarizer.extraction import drafts, prompts

    asks = [(prompts.load(name), model) for name, model in (
        ("casualty_sentence", drafts.CasualtyFields), ("statement_sentence", drafts.StatementFields),
        ("event_sentence", drafts.EventFields))]

    def answers(llm, rounds: int) -> list[str]:
        return [llm.create_chat_completion(
            messages=prompt.render(sentence=s), max_tokens=48, temperature=0.0, seed=0,
            response_format={"type": "json_object", "schema": model.model_json_schema()},
        )["choices"][0]["message"]["content"]
            for _ in range(rounds) for (prompt, model), s in zip(asks, SENTENCES, strict=True)]

    path = str(bundled_model_path())
    plain = Llama(model_path=path, n_ctx=1024, n_threads=1, seed=0, verbose=False)
    fast = grammar_first_llama(Llama)(model_path=path, n_ctx=1024, n_threads=1, seed=0, verbose=False)
    try:
        expected = answers(plain, 1)
        got = answers(fast, 2)
    finally:
        plain.close()
        fast.close()
    assert got == expected * 2
    assert all(a.startswith("{") for a in expected)
    assert fast.full_checks > 0  # the grammar refused a token the model preferred, and was obeyed
    assert fast.prefix_restores == 3  # round two resumed each kind's instructions instead of re-reading them
