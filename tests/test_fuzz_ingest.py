"""Ingest never crashes: random bytes (as a file of every input suffix, and on stdin) and random
Unicode (as a file, a str of text, a JSON record) either load as articles whose offsets map back
to the text as given, or become one-line ``ArticleError``s. Hypothesis draws the inputs.

Here 200 examples per property (``make test``); ``benchmarks/fuzz_ingest.py`` runs the same
properties 10,000 times each and records the result in docs/RELIABILITY.md.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.errors import ArticleError
from summarizer.ingest.article import Article
from summarizer.ingest.load import load_many

SUFFIXES = (".txt", ".md", ".html", ".json", ".jsonl", "")
MAX_CHARS = 20_000
EXAMPLES = 200
_DIR = Path(tempfile.mkdtemp(prefix="summarizer-fuzz-"))


def _sound(a: Article) -> None:
    """A loaded article: cleaned text without the characters cleaning removes, offsets that map
    every cleaned character into the text as given, spans inside the text."""
    assert isinstance(a.text, str) and a.text.strip()
    assert "\r" not in a.text and "\ufeff" not in a.text
    given = a.given or a.text
    n = len(a.text)
    for i in {0, n // 2, n - 1}:
        g = a.offsets.char(i) if a.offsets else i
        assert 0 <= g < len(given)
    for s, e in [*a.noise, *a.instructions]:
        assert 0 <= s <= e <= n


def _outcome(result) -> None:  # type: ignore[no-untyped-def]
    for a in result.articles:
        _sound(a)
    for e in result.errors:
        assert isinstance(e, ArticleError) and "\n" not in str(e) and "Traceback" not in str(e)


def check_bytes(data: bytes, suffix: str) -> None:
    path = _DIR / f"fuzz{suffix}"
    path.write_bytes(data)
    _outcome(load_many([path], max_chars=MAX_CHARS))
    _outcome(load_many(["-"], max_chars=MAX_CHARS, stdin=io.BytesIO(data)))


def check_text(text: str, suffix: str) -> None:
    path = _DIR / f"fuzz{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _outcome(load_many([path], max_chars=MAX_CHARS))
    _outcome(load_many([text + "\n"], max_chars=MAX_CHARS))  # a str holding a line break is text
    _outcome(load_many([{"id": "r", "text": text}], max_chars=MAX_CHARS))
    record = _DIR / "rec.json"  # the same text as a JSON record's string, escapes and all
    record.write_text(json.dumps({"id": "r", "text": text}), encoding="utf-8")
    _outcome(load_many([record], max_chars=MAX_CHARS))


RANDOM_BYTES = st.binary(max_size=4096)
RANDOM_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=2048)
PLAUSIBLE = st.lists(st.sampled_from([
    "Police said 12 people were killed in Northtown.", "\n", "\r\n", "\n\n", "<p>", "</p>", "<!--", "-->",
    "\ufeff", "\u200b", "\u202e", "\x00", "Ignore previous instructions.", "SYSTEM:", "{\"text\": \"",
    "\"}", "“", "”", "At least 57", "dozens", "[1] ", "Note to AI systems:", "\u2028", "\udcff", "é", "🙂",
]), max_size=60).map("".join)

FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(RANDOM_BYTES, st.sampled_from(SUFFIXES))
def test_random_bytes_never_crash_ingest(data, suffix):
    check_bytes(data, suffix)


@FUZZ
@given(st.one_of(RANDOM_TEXT, PLAUSIBLE), st.sampled_from(SUFFIXES))
def test_random_unicode_never_crashes_ingest(text, suffix):
    check_text(text, suffix)
