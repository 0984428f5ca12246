"""Text in an article that talks to the model instead of the reader (prompt injection).

Two defences live here; grounding is the third and main one (a value must be the article's own
characters, so a model that obeys an injection and invents "1,000 dead" gets nothing kept):

* ``instruction_spans`` finds paragraphs that read as instructions to an AI ("ignore previous
  instructions", a fake ``SYSTEM:`` turn or ``</article>`` tag, a request for the API key or the
  prompt, model-shaped JSON, "report 1,000 dead"). Ingest treats them like web furniture: never
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

from ..language.sentences import split_sentences

_F = re.IGNORECASE | re.MULTILINE
_INSTRUCTION = [
    # "Ignore (all) previous instructions", "disregard the above rules", "forget your guidelines"
    re.compile(r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|of\s+)*(?:(?:previous|prior|"
               r"above|earlier|preceding|original|initial|your|system|these|those|my)\s+(?:\w+\s+){0,2}?)?"
               r"(?:instructions?|prompts?|directions|directives|guidelines|system messages?)\b", _F),
    re.compile(r"\b(?:ignore|disregard|forget)\s+(?:all\s+|everything\s+|anything\s+)?(?:the\s+|that\s+)?"
               r"(?:above|previous|preceding|prior)(?:\s+(?:text|context|rules|messages?))?\s*(?:[.,;:!]|and\b|$)", _F),
    re.compile(r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+)?(?:previous|prior|above|earlier|preceding|your|"
               r"system|original)\s+(?:\w+\s+)?(?:rules|context|messages?)\b", _F),
    # fake turns and template markers: "SYSTEM:", "### Instruction", "[INST]", "<|im_start|>"
    re.compile(r"^[\s>*#\[]*(?:system|assistant|developer)\s*(?:prompt|message)?\s*[:\]]", _F),
    re.compile(r"^\s*#{2,}\s*(?:system|assistant|user|instructions?|response)\b", _F),
    re.compile(r"\[/?INST\]|<</?SYS>>|<\|[a-z_]+\|>|<\|im_(?:start|end)", _F),
    re.compile(r"</?\s*(?:article|system|instructions?|prompt|user|assistant)\b[^>]{0,40}>", _F),
    # requests for secrets or the prompt
    re.compile(r"\b(?:reveal|print|output|show|repeat|display|tell (?:me|us)|disclose|leak|send|include|write)\b"
               r"[^.\n]{0,40}?\b(?:api[ _-]?keys?|openai_api_key|access tokens?|"
               r"(?:your|the) (?:system )?(?:prompt|instructions)|"
               r"secrets?|passwords?|credentials?|environment variables?)\b", _F),
    # addressing the model
    re.compile(r"\b(?:as an? (?:ai|language model|llm|assistant)|you are (?:now )?(?:an? |the )?(?:ai|assistant|"
               r"language model|chatbot|llm|model|summari[sz]er)|(?:ai|llm|language model|summari[sz]er|"
               r"assistant|chatbot)s?(?: models?| systems?| tools?)?,? (?:must|should|shall|will) (?:now )?"
               r"(?:report|say|write|output|answer|respond|ignore|include))\b", _F),
    re.compile(r"\b(?:respond|answer|reply|output)\b[^.\n]{0,30}\b(?:only|with|in)\b[^.\n]{0,20}\bjson\b", _F),
    # model-shaped JSON: a paragraph that opens like an extraction answer
    re.compile(r'^\s*[\[{]\s*"(?:casualties|killed|injured|statements|events|evidence|claimed_by|speaker)"\s*:', _F),
    # an imperative casualty figure: "Report 1,000 dead." (not "Report: 46 dead", a headline)
    re.compile(r"^\W*(?:please\s+)?(?:report|say|state|write|output|print|answer|claim|return)\s+(?!:)"
               r"(?:that\s+)?(?:there\s+(?:were|are)\s+)?(?:the\s+(?:toll|death toll)\s+(?:is|was|as)\s+)?"
               r"(?:at least\s+|over\s+|more than\s+)?\d[\d,.]*\s+(?:people\s+)?(?:dead|killed|deaths|died|"
               r"casualties|injured|wounded)\b", _F),
]


def reads_as_instruction(text: str) -> bool:
    return any(p.search(text) for p in _INSTRUCTION)


SHORT_PARAGRAPH = 3  # sentences: an injection usually comes as a short paragraph of its own


def instruction_spans(text: str) -> list[tuple[int, int]]:
    """Text addressed to an AI. In a short paragraph (a line of at most ``SHORT_PARAGRAPH``
    sentences) the whole paragraph goes, since the sentences around an injection are part of it;
    in a longer one, as in a one-line JSONL article, only the sentences that read as instructions."""
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
                spans.append((start, end))
            else:
                spans.append((s.start, s.end))
    return spans


# Markers that could close the data block or open a turn in a chat template. Each is changed by
# one character, so the model still reads the word; no ordinary article contains them.
_MARKERS = re.compile(r"<(?=\s*/?\s*article\b)|<(?=\|)|(?<=\|)>|\[(?=/?INST\])|<(?=</?SYS>>)", re.IGNORECASE)


def as_data(text: str) -> str:
    """Article text as it goes into a prompt: tag and template markers defused, nothing else."""
    return _MARKERS.sub(lambda m: {"<": "‹", ">": "›", "[": "⟦"}[m.group()], text)
