"""The sentence index: bisect lookups agree with the plain definitions on any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from summarizer.language.sentences import covering, sentence_at, split_sentences

TEXTS = st.lists(st.sampled_from(["Homs.", "Dr. Smith said 5 died.", " ", "\n", "U.S. forces", "“Yes,” he said. ",
                                  "57 killed", "!", "?", "a"]), max_size=30).map("".join)


@given(TEXTS, st.integers(0, 400), st.integers(0, 60))
def test_covering_and_sentence_at_match_the_definitions(text, start, width):
    sents = split_sentences(text)
    end = start + width
    assert covering(sents, start, end) == [s for s in sents if s.end > start and s.start < end]
    expected = next((i for i, s in enumerate(sents) if s.start <= start < s.end), None)
    assert sentence_at(sents, start) == expected
