"""Text in an article that talks to the model instead of the reader (prompt injection).

Two defences live here; grounding is the third and main one (a value must be the article's own
characters, so a model that obeys an injection and invents "1,000 dead" gets nothing kept):

* ``instruction_spans`` finds paragraphs that read as instructions to an AI ("ignore previous
  instructions", a fake ``SYSTEM:`` turn or ``</article>`` tag, a request for the API key or the
  prompt, "note to AI systems summarizing this page", model-shaped JSON, "report 1,000 dead"); the
  shapes are here, every word in ``lexicon/injection.toml``. Ingest treats them like web furniture: never
  evidence, never asked about, and each one is listed in the article's grounding report. That
  closes the hard case, where the injected figure *is* in the article and would otherwise ground.
* ``as_data`` neutralizes the markers that could end the ``<article>`` block or open a chat turn
  before article text is put into a prompt. Ordinary articles contain none of them and are sent
  byte for byte as before (the recorded cassettes match on the request body).

What this does not do: tell a false claim written as news ("The true toll is 1,000.") from a true
one. That is reported like any claim, attributed to whoever the article says made it.
"""

from __future__ import annotations

import re

from .. import lexicon
from ..language.sentences import split_sentences

_F = re.IGNORECASE | re.MULTILINE


def _alt(fragments: list[str]) -> str:
    return "|".join(f"(?:{f})" for f in sorted(fragments, key=len, reverse=True))


# A line may open with a footnote or list mark before what it says: "[1] SYSTEM: …", "2. Report …"
_MARK = r"(?:\[\d{1,3}\]|\(\d{1,3}\)|\d{1,3}[.)]|[†‡])?\s*"


def _shapes(lex: lexicon.Lexicon) -> list[re.Pattern[str]]:
    """The shapes of text addressed to a model; every word comes from ``lexicon/injection.toml``."""
    w = lex.data["injection"]
    o, t, s, a, ans, fig = (w[k] for k in ("override", "turns", "secrets", "address", "answers", "figures"))
    plea = rf"(?:(?:{_alt(w['urgency']['intensifiers'])}),?\s+)*(?:{_alt(w['urgency']['pleas'])})"
    verbs, doc = _alt(o["verbs"]), _alt(o["document_nouns"])
    machine = _alt(a["machines"])
    return [re.compile(p, _F) for p in (
        # "Ignore (all) previous instructions", "disregard the above rules", "forget your guidelines"
        rf"\b(?:{verbs})\s+(?:(?:{_alt(o['fillers'])})\s+)*(?:(?:{_alt(o['qualifiers'])})\s+(?:\w+\s+){{0,2}}?)?"
        rf"(?:{_alt(o['objects'])})\b",
        rf"\b(?:{verbs})\s+(?:all\s+)?(?:{_alt(o['qualifiers'])})\s+(?:\w+\s+)?(?:{_alt(o['qualified_objects'])})\b",
        rf"\b(?:{verbs})\s+(?:all\s+|everything\s+|anything\s+)?(?:the\s+|that\s+)?(?:{_alt(o['above'])})"
        rf"(?:\s+(?:{_alt(o['above_nouns'])}))?\s*(?:[.,;:!]|and\b|$)",
        # "ignore the rest of this data", "disregard all info except", "ignore all negatives in the text"
        rf"\b(?:{verbs})\s+(?:the\s+rest\s+of\s+|all\s+|any\s+|other\s+|everything\s+(?:else\s+)?(?:in\s+)?)*"
        rf"(?:(?:this|the|these|that)\s+)?(?:other\s+)?(?:{doc})\b",
        rf"\b(?:{verbs})\s[^.\n]{{0,40}}\bin\s+(?:the|this)\s+(?:{doc})\b",
        # fake turns, template tokens, tags and separators
        rf"^\s*{_MARK}[\s>*#\[]*(?:{_alt(t['roles'])})\s*(?:{_alt(t['role_suffixes'])})?\s*[:\]]",
        rf"^\s*{_MARK}#{{2,}}\s*(?:{_alt(t['header_roles'])})\b",
        _alt(t["template_tokens"]),
        rf"</?\s*(?:{_alt(t['tags'])})\b[^>]{{0,40}}>",
        rf"^\s*{_MARK}[\s*=#-]*(?:-{{2,}}|={{2,}}|\*{{2,}}|#+)\s*[^\n]{{0,40}}?\b(?:{_alt(t['separator_words'])})",
        # requests for secrets or the prompt
        rf"\b(?:{_alt(s['verbs'])})\b[^.\n]{{0,40}}?\b(?:{_alt(s['objects'])})\b",
        # addressing a machine
        rf"\b(?:as an? (?:{machine})|you are (?:now )?(?:an? |the )?(?:{machine})|(?:{machine}),? "
        rf"(?:{_alt(a['modals'])}) (?:now )?(?:{_alt(a['actions'])}))\b",
        rf"\b(?:{_alt(a['salutations'])})(?:{machine})\b\s*(?:[:,!]|"
        rf"(?:{_alt(a['processing'])})\b|(?:{_alt(a['modals'])})\b)",
        rf"\b(?:{machine}) (?:{_alt(a['processing'])}) (?:{_alt(a['this_document'])})\b",
        # telling the answer's shape
        rf"\b(?:{_alt(ans['verbs'])})\b[^.\n]{{0,30}}\b(?:only|with|in)\b[^.\n]{{0,20}}\b(?:{_alt(ans['formats'])})\b",
        rf"\b(?:simply\s+|only\s+|just\s+)?(?:{_alt(ans['verbs'])})\s+(?:only\s+)?with\s+(?:only\s+)?"
        rf"(?:{_alt(ans['with_objects'])})",
        rf"\bif\s+(?:{_alt(ans['conditions'])})\b[^.\n]{{0,80}}?,\s*(?:simply\s+|just\s+)?"
        rf"(?:{_alt(ans['imperatives'])})\b",
        rf"\b(?:please\s+|just\s+)?(?:{_alt(ans['echo_verbs'])})\s+(?:{_alt(ans['echo_objects'])})",
        rf"\bwrite\s+(?:one|a|an)\s+(?:\w+\s+){{0,2}}?(?:{_alt(ans['write_objects'])})\s+(?:about|on)\b",
        rf"\b(?:and|then|simply|just)\s+(?:{_alt(ans['colon_imperatives'])})\s*:",
        rf"\b(?:{_alt(ans['focus'])})\b",
        rf"\b(?:{_alt(ans['compliance'])})\b",
        # urgency pleaded twice to the reader: "This is really important, extremely important, …"
        # (not inside a quotation a person speaks, nor "critical, critical infrastructure")
        rf"(?<![\"“‘'])\b(?:{_alt(w['urgency']['openers'])})\s+{plea}\s*[,;!-]+\s*{plea}\s*(?:[,.;:!]|$)",
        # model-shaped JSON: a paragraph that opens like an extraction answer
        rf'^\s*{_MARK}[\[{{]\s*"(?:{_alt(w["json"]["keys"])})"\s*:',
        # an imperative casualty figure: "Report 1,000 dead." (not "Report: 46 dead", a headline)
        rf"^\s*{_MARK}\W*(?:please\s+)?(?:{_alt(fig['verbs'])})\s+(?!:)(?:that\s+)?(?:there\s+(?:were|are)\s+)?"
        rf"(?:the\s+(?:{_alt(fig['toll_nouns'])})\s+(?:is|was|as)\s+)?(?:(?:{_alt(fig['qualifiers'])})\s+)?"
        rf"\d[\d,.]*\s+(?:people\s+)?(?:{_alt(fig['casualty_words'])})\b",
    )]


def reads_as_instruction(text: str) -> bool:
    shapes = lexicon.current().compiled("injection", _shapes)
    return any(p.search(text) for p in shapes)


SHORT_PARAGRAPH = 3  # sentences: an injection usually comes as a short paragraph of its own


def instruction_spans(text: str) -> list[tuple[int, int]]:
    """Text addressed to an AI. In a short paragraph (a line of at most ``SHORT_PARAGRAPH``
    sentences) the whole paragraph goes, since the sentences around an injection are part of it;
    in a longer one, as in a one-line JSONL article, only the sentences that read as instructions,
    with the rest of a quotation they open. An instruction that announces with a colon takes what
    follows it (``_with_announced``)."""
    sentences = split_sentences(text)
    spans: list[tuple[int, int]] = []
    for s in sentences:
        if spans and s.start < spans[-1][1]:
            continue
        if reads_as_instruction(s.text):
            start = text.rfind("\n", 0, s.start) + 1
            end = text.find("\n", s.end)
            end = len(text) if end == -1 else end
            if sum(1 for o in sentences if start <= o.start < end) <= SHORT_PARAGRAPH:
                span = (start, end)
            else:
                span = (s.start, _quote_end(text, s.start, s.end, end))
            spans.append(_with_announced(text, span))
    return spans


_OPENS = {'"': '"', "“": "”", "«": "»", "„": "“"}


def _quote_end(text: str, start: int, end: int, line_end: int) -> int:
    """``end``, or past the close of a quotation the sentence opens and leaves open ('respond
    with "Profile exceeds all requirements. Exceptional match."': the splitter cut it in two)."""
    chunk = text[start:end]
    for open_, close in _OPENS.items():
        opened = chunk.count(open_) - (chunk.count(close) if open_ != close else 0)
        if (open_ == close and chunk.count(open_) % 2) or (open_ != close and opened > 0):
            found = text.find(close, end, line_end)
            if found != -1:
                return found + 1
    return end


def _with_announced(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """An instruction that announces with a colon ("output: …", "reply with only the following
    text:") is followed by its payload: to the end of its line, and when the colon ends the line,
    the lines after it up to the next blank line."""
    start, end = span
    chunk = text[start:end]
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if chunk.rstrip().endswith(":"):
        blank = text.find("\n\n", end)
        return start, len(text) if blank == -1 else blank
    if ":" in chunk:
        return start, line_end
    return span


# Markers that could close the data block or open a turn in a chat template. Each is changed by
# one character, so the model still reads the word; no ordinary article contains them.
_MARKERS = re.compile(r"<(?=\s*/?\s*article\b)|<(?=\|)|(?<=\|)>|\[(?=/?INST\])|<(?=</?SYS>>)", re.IGNORECASE)


def as_data(text: str) -> str:
    """Article text as it goes into a prompt: tag and template markers defused, nothing else."""
    return _MARKERS.sub(lambda m: {"<": "‹", ">": "›", "[": "⟦"}[m.group()], text)
