"""Alignment: turning words the model wrote into exact spans of the article.

``locate`` finds a phrase in the article: exact, then normalized (quotes, dashes, case, accents,
invisible characters and whitespace runs folded, offsets mapped back to the original characters),
then - for prose evidence only - fuzzy at ``FUZZY_THRESHOLD`` or above, snapped to word bounds.
Numbers never come through here (grounding matches them by value with ``numbers.find_numbers``). Whatever the
path, a ``Citation`` is built from ``text[start:end]`` itself, so its text always equals the span.
Web furniture (``Article.noise``) is never returned.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from ..ingest.article import Article
from ..language.folding import fold
from ..schemas import AlignmentStatus, Citation

FUZZY_THRESHOLD = 90.0  # rapidfuzz partial_ratio, 0-100, prose evidence only
FUZZY_MIN_CHARS = 24


def cite(article: Article, start: int, end: int, status: AlignmentStatus = AlignmentStatus.EXACT) -> Citation:
    return Citation(
        article_id=article.id, start=start, end=end, text=article.text[start:end], status=status
    )


def verify(citation: Citation, article: Article) -> bool:
    """True when the citation's text is exactly the article's characters at its offsets."""
    return (
        citation.article_id == article.id
        and 0 <= citation.start <= citation.end <= len(article.text)
        and article.text[citation.start : citation.end] == citation.text
    )


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def occurrences(
    article: Article, phrase: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int, AlignmentStatus]]:
    """Every exact, then every normalized-only, occurrence of ``phrase`` outside web furniture."""
    text = article.text
    end = len(text) if end is None else end
    phrase = phrase.strip()
    if not phrase:
        return []
    found: list[tuple[int, int, AlignmentStatus]] = []
    i = text.find(phrase, start, end)
    while i != -1:
        if not article.touches_noise(i, i + len(phrase)):
            found.append((i, i + len(phrase), AlignmentStatus.EXACT))
        i = text.find(phrase, i + 1, end)
    hay, index = fold(text[start:end], start)
    needle = fold(phrase)[0].strip()
    if not needle:
        return found
    exact_starts = {f[0] for f in found}
    j = hay.find(needle)
    while j != -1:
        s, e = index[j], index[j + len(needle) - 1] + 1
        if (s not in exact_starts and not article.touches_noise(s, e)
                and _on_word_bounds(hay, j, j + len(needle), needle)):
            found.append((s, e, AlignmentStatus.NORMALIZED))
        j = hay.find(needle, j + 1)
    return found


def locate(
    article: Article,
    phrase: str,
    start: int = 0,
    end: int | None = None,
    near: int | None = None,
    fuzzy: bool = False,
) -> Citation | None:
    """Find ``phrase`` in ``article.text[start:end]``: exact, then normalized, then (if allowed) fuzzy."""
    text = article.text
    end = len(text) if end is None else end
    phrase = phrase.strip()
    if not phrase:
        return None
    if near is None:  # the first exact occurrence wins: no need to fold a long article for it
        i = text.find(phrase, start, end)
        while i != -1:
            if not article.touches_noise(i, i + len(phrase)):
                return cite(article, i, i + len(phrase))
            i = text.find(phrase, i + 1, end)
    found = occurrences(article, phrase, start, end)
    if found:
        if near is None:
            s, e, status = found[0]
        else:
            s, e, status = min(found, key=lambda f: (abs(f[0] - near), f[2] != AlignmentStatus.EXACT, f[0]))
        return cite(article, s, e, status)

    hay, index = fold(text[start:end], start)
    needle, _ = fold(phrase)
    needle = needle.strip()
    # Fuzzy only for prose evidence, and never for a quote much longer than where it may be:
    # that would cite a real sentence for words the model made up around it.
    if fuzzy and FUZZY_MIN_CHARS <= len(needle) <= 1.3 * len(hay):
        res = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=FUZZY_THRESHOLD)
        if res is not None and res.dest_end > res.dest_start:
            s = index[res.dest_start]
            e = index[res.dest_end - 1] + 1
            s, e = _snap_words(text, s, e)
            if not article.touches_noise(s, e):
                return cite(article, s, e, AlignmentStatus.FUZZY)
    return None


def _on_word_bounds(hay: str, s: int, e: int, needle: str) -> bool:
    """A normalized match must not start or end inside a word ('Hassan' is not in 'Hassani')."""
    left_ok = s == 0 or not (hay[s - 1].isalnum() and needle[0].isalnum())
    right_ok = e >= len(hay) or not (hay[e].isalnum() and needle[-1].isalnum())
    return left_ok and right_ok


def _snap_words(text: str, s: int, e: int) -> tuple[int, int]:
    while s > 0 and text[s - 1].isalnum() and text[s].isalnum():
        s -= 1
    while e < len(text) and text[e - 1].isalnum() and text[e].isalnum():
        e += 1
    return trim(text, s, e)


def align_evidence(
    article: Article, quote: str, window: tuple[int, int] | None = None
) -> Citation | None:
    """The evidence quote's span: inside ``window`` when the caller knows the sentence."""
    if window is not None:
        return locate(article, quote, window[0], window[1], fuzzy=True)
    return locate(article, quote, fuzzy=True)
