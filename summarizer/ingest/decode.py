"""Bytes to text: the codec, binary signatures, line ends as ``Path.read_text`` reads them."""

from __future__ import annotations

import re

from ..errors import BinaryArticle, EmptyArticle, UnreadableArticle
from .offsets import clean

# Invisible characters that carry no meaning in news text but can hide or reorder what a reader
# sees (zero-width space, word joiner, soft hyphen, a BOM anywhere, bidi embeddings, overrides and
# isolates), and lone surrogates, which cannot be written as UTF-8. ZWJ/ZWNJ and LRM/RLM stay:
# they matter in Persian, Indic and Arabic text.
# (The characters are ``language.chars.HIDDEN``, ``BIDI`` and ``SURROGATES``; ``ingest.offsets.clean``
# removes them and maps every offset back.)
_UNIVERSAL_NEWLINES = re.compile("\r\n?")


def normalize_text(raw: str) -> str:
    """Unify line ends and drop invisible formatting; nothing else, so offsets mean what the reader sees."""
    return clean(raw)[0]


_SIGNATURES = (
    (b"%PDF-", "binary file: a PDF, not text: extract its text first (e.g. pdftotext) and pass the .txt"),
    (b"\x89PNG\r\n\x1a\n", "binary file: a PNG image, not text"),
    (b"\xff\xd8\xff", "binary file: a JPEG image, not text"),
    (b"GIF8", "binary file: a GIF image, not text"),
    (b"\x1f\x8b", "binary file: gzip-compressed, decompress it first"),
    (b"PK\x03\x04", "binary file: a ZIP archive (or .docx/.odt), extract its text first"),
)


def decode(data: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252 / Latin-1."""
    text, _ = _decode(data, source)
    return text[1:] if text.startswith("\ufeff") else text


def read_as_given(data: bytes, source: str) -> tuple[str, str]:
    """The text and codec of a file as ``Path(f).read_text(encoding=codec)`` reads it: decoded,
    CRLF and lone CR read as LF (universal newlines), a UTF-8 BOM kept as U+FEFF. (A damaged UTF-8
    file is read with ``errors="replace"``.)"""
    text, codec = _decode(data, source)
    return _UNIVERSAL_NEWLINES.sub("\n", text), codec


def _decode(data: bytes, source: str) -> tuple[str, str]:
    if not data.strip():
        raise EmptyArticle(source, "the file is empty: nothing to brief")
    for magic, reason in _SIGNATURES:
        if data.startswith(magic):
            raise BinaryArticle(source, reason)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableArticle(source, "starts like UTF-16 but does not decode: re-save it as UTF-8") from exc
    if b"\x00" in data[:65536]:
        raise BinaryArticle(source, "binary file (it holds NUL bytes), not text: convert it to text first")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    if any(ord(c) > 127 and c != "\ufffd" for c in loose):
        # Real UTF-8 sequences next to broken ones: a damaged UTF-8 file, not a legacy encoding.
        # A few bad bytes become U+FFFD (visible, never a digit); more mean the file is not text.
        if bad <= max(3, len(loose) // 1000):
            return loose, "utf-8"
        raise UnreadableArticle(source, f"invalid UTF-8 ({bad:,} undecodable bytes): re-save the file as UTF-8")
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"
