"""Counts as articles write them: numbers are matched by value, never by similarity."""

from __future__ import annotations

import pytest

from summarizer.language.numbers import NumberMention, find_numbers
from summarizer.schemas import Qualifier


def find_value(text: str, value: int, start: int = 0, end: int | None = None) -> list[NumberMention]:
    return [n for n in find_numbers(text, start, end) if n.value == value]


def mentions(text: str) -> list[tuple[int | None, str, str]]:
    """(value, qualifier, words) for every mention, checking each span against the text."""
    found = find_numbers(text)
    for n in found:
        assert isinstance(n, NumberMention)
        assert 0 <= n.start <= n.end <= len(text)
        assert text[n.start : n.end] == n.words
    return [(n.value, n.qualifier.value, n.words) for n in found]


# --- digits ------------------------------------------------------------------------------


def test_plain_digits_are_found_with_exact_offsets():
    text = "The Observatory said 57 people were killed."
    [n] = find_numbers(text)
    assert (n.start, n.end, n.value, n.qualifier, n.words) == (21, 23, 57, Qualifier.EXACT, "57")
    assert text[n.start : n.end] == "57"


def test_thousands_separator_is_one_number():
    assert mentions("at least 470,000 people have been killed") == [(470000, "at_least", "at least 470,000")]
    assert mentions("more than 250,000 Syrians applied") == [(250000, "more_than", "more than 250,000")]
    assert mentions("1,000,000 refugees") == [(1_000_000, "exact", "1,000,000")]


def test_decimal_with_scale_is_a_count():
    assert mentions("7.6 million people have been displaced") == [(7_600_000, "exact", "7.6 million")]
    assert mentions("nearly 5 million Syrians") == [(5_000_000, "nearly", "nearly 5 million")]


@pytest.mark.parametrize(
    "text",
    ["11.5 percent of the population", "dropped from 70.5 years", "to 55.4 years in 2015.5", "a 0.57 ratio"],
)
def test_decimals_are_not_counts(text):
    values = [v for v, _, _ in mentions(text)]
    assert 11 not in values and 5 not in values and 70 not in values and 55 not in values
    assert 57 not in values
    assert all(not isinstance(v, float) for v in values)


def test_decimal_percent_yields_no_mention_at_all():
    assert mentions("The report found that 11.5 percent of the pre-war population") == []


# --- "57" is never found inside another number --------------------------------------------


@pytest.mark.parametrize(
    "text", ["157", "2057", "1957", "5757", "1,057", "57,000", "57.5", "5.7", "0.57", "57th", "x57", "57x"]
)
def test_57_is_never_found_inside_another_token(text):
    assert find_value(text, 57) == []
    assert all(n.value != 57 for n in find_numbers(text))


def test_57_not_found_in_157_or_2057_in_a_sentence():
    text = "Officials said 157 people died; the plan runs to 2057 and 25 were hurt."
    assert find_value(text, 57) == []
    assert [n.value for n in find_numbers(text)] == [157, 2057, 25]


def test_57_is_found_when_written_alone_with_punctuation():
    for text, start in [("killed 57.", 7), ("killed 57, and", 7), ("(57)", 1), ("57", 0)]:
        [n] = find_value(text, 57)
        assert (n.start, n.end, n.words) == (start, start + 2, "57")
        assert text[n.start : n.end] == "57"


def test_find_value_does_not_turn_25_into_57():
    text = "quoted the governor of Homs as saying that 25 people had been killed and 39 injured"
    assert find_value(text, 57) == []
    [n] = find_value(text, 25)
    assert text[n.start : n.end] == "25"
    assert find_value(text, 39)[0].words == "39"


def test_find_value_respects_start_and_end():
    text = "57 died here and 57 died there"
    [second] = find_value(text, 57, 5)
    assert (second.start, second.end) == (17, 19)
    [first] = find_value(text, 57, 0, 4)
    assert (first.start, first.end) == (0, 2)
    assert find_value(text, 57, 3, 16) == []


# --- number words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,value",
    [
        ("eight people", 8),
        ("Eight people", 8),
        ("eleven women", 11),
        ("nineteen", 19),
        ("twenty-five people", 25),
        ("Twenty five people", 25),
        ("seventy-seven", 77),
        ("fifty-seven", 57),
        ("ninety", 90),
        ("one hundred", 100),
        ("two thousand", 2000),
        ("twenty-five thousand", 25000),
        ("three million", 3_000_000),
    ],
)
def test_number_words(text, value):
    [(v, q, words)] = mentions(text)
    assert v == value
    assert q == "exact"
    assert words == text.replace(" people", "").replace(" women", "")


def test_number_word_found_by_value():
    text = "another blast that killed eight people"
    [n] = find_value(text, 8)
    assert n.words == "eight"
    assert text[n.start : n.end] == "eight"
    [n57] = find_value("fifty-seven were killed", 57)
    assert n57.words == "fifty-seven"


def test_number_word_inside_another_word_is_not_a_number():
    # "often", "eighteenth", "tension", "someone": no count hides inside a word
    assert find_value("often", 10) == []
    assert find_value("tension", 10) == []
    assert find_value("eighteenth", 18) == []
    assert find_value("weight", 8) == []


# --- qualifiers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,value,qualifier",
    [
        ("at least 67 people", 67, Qualifier.AT_LEAST),
        ("At Least 9", 9, Qualifier.AT_LEAST),
        ("no fewer than 3", 3, Qualifier.AT_LEAST),
        ("more than 100 people", 100, Qualifier.MORE_THAN),
        ("More than 100 killed", 100, Qualifier.MORE_THAN),
        ("over 30", 30, Qualifier.MORE_THAN),
        ("up to 60 people", 60, Qualifier.UP_TO),
        ("as many as four explosions", 4, Qualifier.UP_TO),
        ("As many as four explosions", 4, Qualifier.UP_TO),
        ("nearly 130 people", 130, Qualifier.NEARLY),
        ("almost 20", 20, Qualifier.NEARLY),
        ("about 40", 40, Qualifier.ABOUT),
        ("around 40", 40, Qualifier.ABOUT),
        ("some 40", 40, Qualifier.ABOUT),
        ("approximately 12", 12, Qualifier.ABOUT),
        ("at least 470,000", 470000, Qualifier.AT_LEAST),
        ("nearly fifty", 50, Qualifier.NEARLY),
    ],
)
def test_qualifiers(text, value, qualifier):
    [n] = find_numbers(text)
    assert n.value == value
    assert n.qualifier == qualifier
    # the words (and the span) include the qualifier
    assert n.start == 0
    assert text[n.start : n.end] == n.words
    assert n.words.lower().split()[0] == text.lower().split()[0]


def test_qualifier_in_a_real_sentence():
    text = ("At least 50 people were killed and 200 injured when ISIS militants detonated a car "
            "bomb. As many as four explosions were reported.")
    got = mentions(text)
    assert got == [(50, "at_least", "At least 50"), (200, "exact", "200"), (4, "up_to", "As many as four")]


# --- vague quantities --------------------------------------------------------------------


@pytest.mark.parametrize("word", ["dozens", "scores", "hundreds", "thousands", "Dozens", "Hundreds"])
def test_vague_quantities_have_no_value(word):
    text = f"{word} of people were killed"
    [n] = find_numbers(text)
    assert n.value is None
    assert n.qualifier == Qualifier.VAGUE
    assert n.words == word
    assert (n.start, n.end) == (0, len(word))


def test_vague_quantities_in_real_sentences():
    text = ("leaving more than 100 people dead and wounding hundreds of others. "
            "with scores of people killed in two separate attacks. killed dozens more.")
    got = mentions(text)
    assert got == [
        (100, "more_than", "more than 100"),
        (None, "vague", "hundreds"),
        (None, "vague", "scores"),
        (2, "exact", "two"),
        (None, "vague", "dozens"),
    ]


def test_vague_quantity_is_never_given_a_number():
    # find_value must not match a vague word for any plausible invented number
    text = "dozens of people were killed and hundreds wounded"
    for guess in (12, 24, 36, 100, 200, 1000):
        assert find_value(text, guess) == []


def test_hundred_after_a_number_is_a_scale_not_vague():
    [n] = find_numbers("one hundred people")
    assert (n.value, n.qualifier) == (100, Qualifier.EXACT)
