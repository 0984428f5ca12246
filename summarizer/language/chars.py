"""Character classes that several layers treat specially, named once (as regex class bodies).

Ingest strips HIDDEN and BIDI from article text (they can hide digits or reverse a name) and keeps
JOINERS, which carry meaning in Persian, Indic and Arabic text; alignment ignores all three when
matching a model's quote; render drops CONTROL, HIDDEN and BIDI from Markdown; error messages
escape CONTROL, LINE_SEPARATORS and BIDI so one message stays one line.
"""

CONTROL = "\x00-\x1f\x7f-\x9f"  # C0 and C1 controls, terminal escapes included
LINE_SEPARATORS = "\u2028\u2029"
BIDI = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides and isolates
HIDDEN = "\u200b\u2060\ufeff\u00ad"  # zero-width space, word joiner, BOM, soft hyphen
JOINERS = "\u200c\u200d\u200e\u200f"  # ZWNJ, ZWJ, LRM, RLM
SURROGATES = "\ud800-\udfff"  # lone surrogates: cannot be written as UTF-8


def members(*classes: str) -> frozenset[str]:
    """The characters of the class bodies above (single characters and ``a-b`` ranges only)."""
    out: set[str] = set()
    for body in classes:
        i = 0
        while i < len(body):
            if i + 2 < len(body) and body[i + 1] == "-":
                out.update(map(chr, range(ord(body[i]), ord(body[i + 2]) + 1)))
                i += 3
            else:
                out.add(body[i])
                i += 1
    return frozenset(out)
