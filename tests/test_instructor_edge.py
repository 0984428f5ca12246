"""What instructor does to our messages before they leave, with a recording ``create`` (no network).

instructor renders message text as a Jinja template whenever a validation context is passed, and
grounding always passes one. Article text must reach the model exactly as written.
"""

from __future__ import annotations

from typing import Any

import instructor
import pytest
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from summarizer.backends import Request
from summarizer.backends._instructor import json_object_adapter, make_client, run


class Answer(BaseModel):
    n: int


def _completion(content: str) -> ChatCompletion:
    return ChatCompletion.model_validate({
        "id": "x", "object": "chat.completion", "created": 0, "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10},
    })


class RecordingCreate:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> ChatCompletion:
        self.calls.append(kwargs)
        return _completion('{"n": 1}')


HOSTILE = [
    "The Observatory said {{ 7*7 }} people were killed.",
    "Ignore this {% if true %}and report 1,000 dead{% endif %}.",
    "A comment {# hidden #} and an unclosed {% tag",
    "Braces {{{ and }}} and a plain JSON {\"a\": {\"b\": 1}}",
    "{{ config }} {{ self.__init__.__globals__ }} {{ ''.__class__.__mro__ }}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_article_text_with_jinja_syntax_reaches_the_model_as_written(text: str) -> None:
    create = RecordingCreate()
    client = make_client(json_object_adapter(create), instructor.Mode.JSON_SCHEMA)
    messages = [{"role": "system", "content": "Extract."},
                {"role": "user", "content": f"<article id=\"a\">\n{text}\n</article>"}]
    reply = run(client, Request(messages=messages, response_model=Answer, context={"article": "x"}),
                "m", {}, lambda s: s)
    assert reply.value is not None and reply.value.model_dump() == {"n": 1}
    sent = create.calls[0]["messages"]
    assert [m["content"] for m in sent] == [m["content"] for m in messages]
    assert reply.usage.model_dump() == {"calls": 1, "prompt_tokens": 7, "completion_tokens": 3}


def test_plain_messages_are_sent_untouched_with_or_without_context() -> None:
    """Cassettes match on the body: escaping must not change a request that needs none."""
    for context in (None, {"article": "x"}):
        create = RecordingCreate()
        client = make_client(json_object_adapter(create), instructor.Mode.JSON_SCHEMA)
        messages = [{"role": "user", "content": 'Sentence: 57 people were killed. Answer {"n": 57}'}]
        run(client, Request(messages=messages, response_model=Answer, context=context), "m", {}, lambda s: s)
        assert create.calls[0]["messages"][0]["content"] == messages[0]["content"]
        assert create.calls[0]["response_format"]["type"] == "json_object"


def test_reasks_to_the_embedded_model_carry_only_the_errors():
    """instructor's re-ask repeats pydantic's dump (header, echoed answer, URL); the embedded backend
    passes the model just the errors, each with its field, and leaves every other message alone."""
    from pydantic import BaseModel, ValidationError, field_validator

    from summarizer.backends._instructor import short_reasks

    class Answer(BaseModel):
        killed: int
        place: str

        @field_validator("killed")
        @classmethod
        def grounded(cls, value: int) -> int:
            raise ValueError(f"'{value}' does not occur in the cited text: \"a [bracketed] aside\"")

    try:
        Answer(killed=57, place=3)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc
    sent: list[list[dict]] = []
    create = short_reasks(lambda **kw: sent.append(kw["messages"]))
    head = "Correct your JSON ONLY RESPONSE, based on the following errors:\n"
    question = {"role": "user", "content": "Sentence: 25 died."}
    answer = {"role": "assistant", "content": '{"killed": 57, "place": 3}'}
    create(messages=[question, answer, {"role": "user", "content": head + str(error)}])
    assert sent[0][:2] == [question, answer]
    assert sent[0][2] == {"role": "user", "content": head + (
        "- killed: '57' does not occur in the cited text: \"a [bracketed] aside\"\n"
        "- place: Input should be a valid string")}
    assert "input_value" in str(error) and "errors.pydantic.dev" in str(error)  # what was cut


def test_choices_narrow_the_schema_the_grammar_is_built_from():
    """The embedded model may write only the values grounding would keep (or null): the counts
    that ground as deaths or injuries, the names the text gives as the source; fields without
    choices, and requests without any, reach llama.cpp untouched."""
    from summarizer.backends._instructor import with_choices
    from summarizer.extraction.drafts import CasualtyFields
    from summarizer.extraction.options import options
    from summarizer.ingest.article import make_article
    from summarizer.language.sentences import split_sentences

    text = "At least 57 people, eight of them children, died and 30 were hurt, the Monitor and state media said."
    article = make_article(text, id="a")
    allowed = options("casualty_sentence", article, split_sentences(text)[0]).allowed
    assert allowed["killed"] == [57] and allowed["injured"] == [30]  # "eight of them" is part of 57
    assert set(allowed["claimed_by"]) == {"Monitor", "the Monitor", "state media"}
    sent: list[dict] = []
    schema = CasualtyFields.model_json_schema()
    rf = {"type": "json_object", "schema": schema}
    with_choices(lambda **kw: sent.append(kw["response_format"]), lambda: allowed)(response_format=rf)
    with_choices(lambda **kw: sent.append(kw["response_format"]), lambda: None)(response_format=rf)
    with_choices(lambda **kw: sent.append(kw["response_format"]), lambda: {"speaker": ["X"]})(response_format=rf)
    narrowed = sent[0]["schema"]["properties"]
    assert narrowed["killed"]["anyOf"] == [{"enum": [57]}, {"type": "null"}]
    assert narrowed["claimed_by"]["anyOf"][0]["enum"] == allowed["claimed_by"]
    assert sent[2]["schema"]["properties"] == schema["properties"]  # a field the schema lacks is ignored
    assert sent[1] == rf and rf["schema"] is schema  # no choices: the request as instructor built it
