"""``FakeBackend`` hands canned raw completions to the real instructor path: what the other tests
learn from it (re-asks, cut-offs, salvage, usage) is what ``_instructor.run`` does, not a copy."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import CutOff, FakeBackend
from pydantic import BaseModel, ValidationInfo, model_validator

from summarizer.backends import Request
from summarizer.errors import TransportError

TEXT = "Police said 7 people were killed in Lyon on Monday."


class Figure(BaseModel):
    """Grounded like the drafts: with a context, the number must occur in the context's text."""

    killed: int | None
    place: str | None

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Figure:
        text = (info.context or {}).get("text")
        if text is not None and self.killed is not None and str(self.killed) not in text:
            raise ValueError(f"killed: '{self.killed}' does not occur in the cited text")
        return self


def _request(**more: Any) -> Request:
    messages = [{"role": "system", "content": "Fill the form."}, {"role": "user", "content": TEXT}]
    return Request(**{"messages": messages, "response_model": Figure, "context": {"text": TEXT},
                      "max_retries": 1, "max_tokens": 64, **more})


def test_a_grounding_error_is_reasked_by_instructor_with_the_previous_answer() -> None:
    fake = FakeBackend().enqueue({"killed": 70, "place": "Lyon"}, {"killed": 7, "place": "Lyon"})
    reply = fake.structured(_request())
    assert reply.value is not None and reply.value.model_dump() == {"killed": 7, "place": "Lyon"}
    assert reply.errors == ["killed: '70' does not occur in the cited text"]
    assert [r.attempt for r in fake.history] == [1, 2]
    first, second = fake.history
    assert first.messages == _request().messages and first.max_tokens == 64
    # instructor's re-ask: the earlier turns, the answer as the assistant sent it, then the error
    assert second.messages[:2] == first.messages
    assert second.messages[2] == {"role": "assistant", "content": '{"killed": 70, "place": "Lyon"}'}
    assert second.messages[3]["role"] == "user"
    assert "killed: '70' does not occur in the cited text" in second.messages[3]["content"]
    # usage is the canned completions' own: prompt chars // 4, answer chars // 4, per call
    prompt = [sum(len(m["content"]) for m in r.messages) // 4 for r in fake.history]
    answer = [len('{"killed": 70, "place": "Lyon"}') // 4, len('{"killed": 7, "place": "Lyon"}') // 4]
    assert reply.usage.model_dump() == {"calls": 2, "prompt_tokens": sum(prompt), "completion_tokens": sum(answer)}
    assert reply.attempts == 2


def test_when_reasks_run_out_the_last_answer_is_salvaged_shape_only() -> None:
    fake = FakeBackend(default={"killed": 70, "place": "Lyon"})
    reply = fake.structured(_request())
    assert reply.value is None and len(fake.history) == 2
    assert reply.salvage is not None and reply.salvage.model_dump() == {"killed": 70, "place": "Lyon"}


def test_a_cut_off_answer_is_not_reasked_and_reports_max_tokens() -> None:
    fake = FakeBackend().enqueue(CutOff('{"killed": 7, "pla'))
    reply = fake.structured(_request(max_tokens=48))
    assert reply.cut_off and reply.value is None and reply.salvage is None
    assert reply.errors == ["the answer was cut off at max_tokens=48"]
    assert len(fake.history) == 1 and reply.usage.completion_tokens == 48


def test_prose_ends_the_call_when_asked_and_is_reasked_otherwise() -> None:
    prose = "Seven people were killed in Lyon."
    fake = FakeBackend().enqueue(prose)
    reply = fake.structured(_request(stop_on_unparsed=True))
    assert reply.unparsed and reply.value is None and len(fake.history) == 1
    assert reply.errors == ["the answer could not be parsed: it is not JSON"]
    assert reply.usage.calls == 1

    fake = FakeBackend().enqueue(prose, {"killed": 7, "place": None})
    reply = fake.structured(_request())
    assert not reply.unparsed and reply.value is not None and len(fake.history) == 2
    assert fake.history[1].messages[2] == {"role": "assistant", "content": prose}


def test_tools_mode_answers_with_a_tool_call() -> None:
    fake = FakeBackend(mode="tools").enqueue({"killed": 70, "place": None}, {"killed": 7, "place": None})
    reply = fake.structured(_request())
    assert reply.value is not None and reply.value.model_dump() == {"killed": 7, "place": None}
    sent = fake.sent[0]
    assert [t["function"]["name"] for t in sent["tools"]] == ["Figure"] and "response_format" not in sent
    assert sent["tool_choice"] == {"type": "function", "function": {"name": "Figure"}}
    # instructor's tools re-ask replays the tool call and answers it with the error
    reask = fake.history[1].messages
    assert reask[2]["tool_calls"][0]["function"]["arguments"] == json.dumps({"killed": 70, "place": None})
    assert any("'70' does not occur" in str(m.get("content")) for m in reask[3:])


def test_json_object_mode_sends_llama_cpps_response_format() -> None:
    fake = FakeBackend().enqueue({"killed": 7, "place": None})
    fake.structured(_request())
    rf = fake.sent[0]["response_format"]
    assert rf["type"] == "json_object" and set(rf["schema"]["properties"]) == {"killed", "place"}


@pytest.mark.parametrize("failure,expected", [
    (TransportError("model call failed: 503"), "model call failed: 503"),
    (ConnectionResetError("reset by peer"), "model call failed: ConnectionResetError: reset by peer"),
])
def test_an_sdk_exception_surfaces_as_a_transport_error(failure: Exception, expected: str) -> None:
    fake = FakeBackend().enqueue(failure)
    with pytest.raises(TransportError) as info:
        fake.structured(_request())
    assert str(info.value) == expected and len(fake.history) == 1


def test_an_empty_queue_is_a_test_bug_not_a_transport_failure() -> None:
    """instructor would report the fake's empty queue as a failed call: the fake says so instead."""
    with pytest.raises(AssertionError, match="no answer queued"):
        FakeBackend().structured(_request())
    with pytest.raises(AssertionError, match="for a re-ask"):  # run() keeps going after a failed re-ask
        FakeBackend().enqueue({"killed": 70, "place": None}).structured(_request())
