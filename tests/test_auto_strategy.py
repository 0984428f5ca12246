"""``--strategy auto`` (issue 15): the whole article first on an endpoint, sentence questions for
an article whose whole answer is cut off, is not JSON or grounds too little; the verdict is
remembered per model for the run and in the cache; explicit strategies never fall back."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

import pytest
from conftest import CutOff, FakeBackend
from stub_server import StubServer, answer, stall

from summarizer import pipeline
from summarizer.backends import Reply, Request, make_backend
from summarizer.batch import runner as batch
from summarizer.cache import ExtractionCache
from summarizer.errors import ModelTimeout, TransportError
from summarizer.extraction import auto as strategy
from summarizer.extraction.drafts import ArticleDraft
from summarizer.extraction.strategies import extract
from summarizer.ingest.article import make_article
from summarizer.schemas import ArticleStatus
from summarizer.settings import Settings

TEXTS = {
    "a": "State media said 25 people were killed in Homs on Sunday. The governor said 39 people were "
         "injured in the twin blasts.",
    "b": "Monitors said 57 people were killed in Homs on Sunday. Another 100 people were injured, "
         "the Observatory said.",
    "c": "A monitor said 83 people were killed in Damascus on Sunday. Officials said 178 people were "
         "wounded in the attack.",
    "d": "Rescuers said 12 people were killed in Homs on Monday. Doctors said 20 people were injured.",
}
CASUALTY = {"killed": 25, "injured": None, "place": "Homs", "claimed_by": None}
AUTO = Settings(max_retries=0)  # one answer per question: the scripts below stay short
GOOD_WHOLE = {"casualties": [{"evidence": "State media said 25 people were killed in Homs on Sunday.",
                              "killed": 25, "injured": None, "place": "Homs", "claimed_by": "State media"}],
              "statements": [], "events": []}


def art(name: str):
    return make_article(TEXTS[name], id=name)


class Scripted(FakeBackend):
    """An endpoint-like fake: whole-article answers follow ``whole`` ("cut_off", "unparsed",
    "timeout", an Exception or a dict; the last one repeats, re-asks included), sentence
    questions get ``CASUALTY``. Each outcome is a raw completion (or an SDK-level exception) fed
    through the real instructor path, so the cut-off and parse verdicts are the real ones. Thread-safe."""

    def __init__(self, *whole: Any):
        super().__init__("whole", default=CASUALTY)
        self.whole: deque[Any] = deque(whole)
        self.whole_requests: list[Request] = []
        self.sentence_calls = 0
        self._lock = threading.Lock()
        self._answer: Any = None

    def structured(self, request: Request) -> Reply:
        with self._lock:
            if request.response_model is not ArticleDraft:
                self.sentence_calls += 1
                return super().structured(request)
            self.whole_requests.append(request)
            outcome = self.whole.popleft() if len(self.whole) > 1 else self.whole[0]
            self._answer = {
                # an unclosed answer that ran into max_tokens, as SmolLM2's in the cassettes
                "cut_off": CutOff('{"casualties": [{"evidence": "State media said 25 people were killed'),
                "unparsed": "Here are the casualties: 25 people were killed in Homs.",  # prose, not JSON
                # raised by the SDK call, below instructor, as transport.py raises it
                "timeout": ModelTimeout("model call failed after 1 attempt in 120.1 s: no answer within 120 s"),
            }.get(outcome, outcome) if isinstance(outcome, str) else outcome
            return super().structured(request)

    def _next(self, request: Request) -> Any:
        if request.response_model is ArticleDraft:
            return self._answer
        return super()._next(request)


# --- each trigger ------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome,label", [
    ("cut_off", "sentence after whole was cut off"),
    ("unparsed", "sentence after whole could not be parsed"),
    ("timeout", "sentence after whole timed out"),
])
def test_an_unusable_whole_answer_falls_back_to_sentences(outcome: str, label: str) -> None:
    be = Scripted(outcome)
    result = extract(art("a"), be, AUTO)
    assert result.status == ArticleStatus.OK, result.error
    assert result.strategy == label
    assert len(be.whole_requests) == 1  # the first failure decides: no re-ask of a looping answer
    assert be.whole_requests[0].stop_on_unparsed
    assert be.sentence_calls == 2  # both casualty sentences asked
    assert [c.killed.value for c in result.casualties] == [25]  # what the sentence questions grounded
    # the wasted whole call is counted when it was answered (a timed-out one has no usage)
    assert result.usage.calls == (outcome != "timeout") + 2


def test_whole_max_tokens_scale_with_the_article_not_a_flat_2048() -> None:
    be = Scripted("cut_off")
    extract(art("a"), be, AUTO)
    assert be.whole_requests[0].max_tokens == strategy.answer_token_cap(len(TEXTS["a"])) < 600
    long = make_article(" ".join([TEXTS["a"]] * 60), id="long")
    assert strategy.answer_token_cap(len(long.text)) == 2048  # the ceiling stays the old flat cap


def test_a_whole_answer_whose_evidence_is_invented_grounds_too_little() -> None:
    invented = {"casualties": [{"evidence": f"Made-up sentence {i} about 99 people killed.", "killed": 99,
                                "injured": None, "place": None, "claimed_by": None} for i in range(3)],
                "statements": [], "events": []}
    be = Scripted(invented)
    result = extract(art("a"), be, AUTO)
    assert result.strategy == "sentence after whole grounded too little (kept 0 of 3 records)"
    assert [c.killed.value for c in result.casualties] == [25]
    # the whole answer is set aside with its drops: the report is the sentence pass's alone
    assert not any("Made-up" in i.value or "Made-up" in i.reason for i in result.grounding.issues)
    assert result.grounding.dropped_records == 1  # the fake's "25" asked of the "39 injured" sentence


def test_an_empty_whole_answer_for_an_article_with_candidates_grounds_too_little() -> None:
    be = Scripted({"casualties": [], "statements": [], "events": []})
    result = extract(art("a"), be, AUTO)
    assert result.strategy == ("sentence after whole grounded too little "
                               "(no casualty or statement record from 2 candidate sentences)")


def test_one_candidate_sentence_is_not_enough_to_judge() -> None:
    """A correct reading may keep nothing from a single candidate sentence (2 of 24 fixture
    articles do): the rule needs two."""
    be = Scripted({"casualties": [], "statements": [], "events": []})
    result = extract(make_article("Officials said 25 people were killed in Homs on Sunday.", id="one"), be, AUTO)
    assert result.strategy == "whole" and be.sentence_calls == 0


def test_a_whole_answer_that_grounds_is_kept() -> None:
    be = Scripted(GOOD_WHOLE)
    result = extract(art("a"), be, AUTO.with_(strategy="auto"))
    assert result.strategy == "whole" and be.sentence_calls == 0
    assert [c.killed.value for c in result.casualties] == [25]


def test_thresholds() -> None:
    assert strategy.too_little(3, 0, 0, 0) == "kept 0 of 3 records"
    assert strategy.too_little(10, 3, 3, 5) is None  # 0.3 kept: a correct reading's worst is 1 of 3
    assert strategy.too_little(10, 2, 2, 5) == "kept 2 of 10 records"
    assert strategy.too_little(2, 0, 0, 0) is None  # too few proposals to judge
    assert strategy.too_little(4, 4, 0, 1) is None
    assert strategy.too_little(4, 4, 0, 2) == "no casualty or statement record from 2 candidate sentences"


# --- explicit strategies never fall back ----------------------------------------------------------


@pytest.mark.parametrize("outcome", ["cut_off", "unparsed", {"casualties": [], "statements": [], "events": []}])
def test_explicit_whole_never_falls_back(outcome: Any) -> None:
    be = Scripted(outcome)
    result = extract(art("a"), be, AUTO.with_(strategy="whole"))
    assert be.sentence_calls == 0 and result.strategy == "whole"
    assert not be.whole_requests[0].stop_on_unparsed  # instructor's re-asks as before
    if outcome in ("cut_off", "unparsed"):
        assert result.status == ArticleStatus.FAILED


def test_explicit_whole_does_not_fall_back_on_a_timeout_either() -> None:
    result = extract(art("a"), Scripted("timeout"), AUTO.with_(strategy="whole"))
    assert result.status == ArticleStatus.FAILED and "no answer within 120 s" in (result.error or "")


def test_another_transport_failure_is_no_verdict() -> None:
    """A refused connection says nothing about the model: the article fails, the next one probes."""
    be = Scripted(TransportError("connection failed"), "cut_off")
    memo = strategy.Memo()
    assert extract(art("a"), be, AUTO, memo).status == ArticleStatus.FAILED
    assert extract(art("b"), be, AUTO, memo).strategy == "sentence after whole was cut off"
    assert len(be.whole_requests) == 2


def test_explicit_sentence_never_asks_the_whole_article() -> None:
    be = Scripted("cut_off")
    result = extract(art("a"), be, AUTO.with_(strategy="sentence"))
    assert be.whole_requests == [] and result.strategy == "sentence"


def test_the_embedded_model_keeps_its_sentence_default() -> None:
    be = Scripted("cut_off")
    be.default_strategy = "sentence"
    assert extract(art("a"), be, AUTO).strategy == "sentence" and be.whole_requests == []


# --- the outcome is remembered ------------------------------------------------------------------


def test_the_verdict_holds_for_the_rest_of_the_run_and_is_said_once() -> None:
    be = Scripted("cut_off")
    notices: list[str] = []
    briefing = pipeline.brief_articles([art(n) for n in "abcd"], AUTO, be, notice=notices.append)
    assert len(be.whole_requests) == 1  # one wasted call per model per run
    assert notices == [strategy.NOTICE]
    # the article that probed is whichever worker asked first, not always the first in order
    labels = sorted(s.strategy for s in briefing.sources)
    assert labels == ["sentence (whole was cut off on an earlier article)"] * 3 + ["sentence after whole was cut off"]
    assert briefing.run.strategy == "auto"
    assert briefing.run.articles_ok == 4
    # No article answered whole: the summary paragraph is not asked of the model either.
    assert briefing.run.narrative.source == "template" and briefing.run.narrative.usage.calls == 0
    assert briefing.run.usage.calls == 1 + be.sentence_calls


def test_a_model_that_answered_an_article_whole_writes_the_summary() -> None:
    be = Scripted(GOOD_WHOLE)
    be.enqueue(*[{"sentences": []}] * 3)
    briefing = pipeline.brief_articles([art("a")], AUTO, be)
    assert briefing.sources[0].strategy == "whole"
    assert briefing.run.narrative.usage.calls == 1  # asked (its empty answer leaves the template)


def test_concurrent_articles_wait_for_the_first_verdict() -> None:
    """With 4 articles in flight, only one asks the whole article until the model has answered one."""
    be = Scripted("cut_off")
    out = pipeline.extract_articles([art(n) for n in "abcd"], AUTO.with_(concurrency=4), be)
    assert len(be.whole_requests) == 1
    assert sum(e.strategy == "sentence after whole was cut off" for e in out) == 1


def test_a_proven_model_keeps_answering_whole_articles_until_one_fails() -> None:
    """Once proven, articles ask whole articles in parallel; those already in flight when one
    fails still finish (one at a time here, so exactly one fails)."""
    be = Scripted(GOOD_WHOLE, "cut_off")
    out = pipeline.extract_articles([art(n) for n in "abcd"], AUTO.with_(concurrency=1), be)
    assert [e.strategy for e in out] == ["whole", "sentence after whole was cut off",
                                         "sentence (whole was cut off on an earlier article)",
                                         "sentence (whole was cut off on an earlier article)"]
    assert len(be.whole_requests) == 2


def test_the_verdict_is_kept_in_the_cache_for_the_next_run(tmp_path) -> None:
    with ExtractionCache(tmp_path / "cache.sqlite") as cache:
        first = Scripted("cut_off")
        pipeline.extract_articles([art("a")], AUTO, first, cache=cache)
        assert len(first.whole_requests) == 1
    with ExtractionCache(tmp_path / "cache.sqlite") as cache:
        second = Scripted("cut_off")
        notices: list[str] = []
        out = pipeline.extract_articles([art("a"), art("b")], AUTO, second, cache=cache, notice=notices.append)
    assert second.whole_requests == []  # asked again on no article
    assert out[0].cached and out[0].strategy == "sentence after whole was cut off"
    assert out[1].strategy == "sentence (whole was cut off in an earlier run)"
    assert notices == [f"{strategy.NOTICE} (whole was cut off in an earlier run)"]


def test_another_model_gets_its_own_chance() -> None:
    memo = strategy.Memo()
    weak, strong = Scripted("cut_off"), Scripted(GOOD_WHOLE)
    strong.model = "strong-model"
    assert extract(art("a"), weak, AUTO, memo).strategy == "sentence after whole was cut off"
    assert extract(art("a"), strong, AUTO, memo).strategy == "whole"


def test_a_batch_run_remembers_the_verdict_across_clusters(tmp_path) -> None:
    src = tmp_path / "inbox"
    for cluster, names in (("one", "ab"), ("two", "cd")):
        (src / cluster).mkdir(parents=True)
        for n in names:
            (src / cluster / f"{n}.txt").write_text(TEXTS[n], encoding="utf-8")
    events: list[tuple[str, dict[str, Any]]] = []
    be = Scripted("cut_off")
    result = batch.run(src, tmp_path / "out", AUTO.with_(concurrency=1), backend=be,
                       events=lambda name, fields: events.append((name, fields)))
    assert result.exit_code == 0
    assert len(be.whole_requests) == 1
    assert [f["message"] for name, f in events if name == "notice"] == [strategy.NOTICE]
    be2 = Scripted("cut_off")  # a new input in the same out dir: the cache remembers
    (src / "three").mkdir()
    (src / "three" / "e.txt").write_text(TEXTS["a"].replace("25", "26"), encoding="utf-8")
    batch.run(src, tmp_path / "out", AUTO.with_(concurrency=1), backend=be2)
    assert be2.whole_requests == []


# --- over the wire: an answer that is not JSON is not re-asked -----------------------------------


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_an_answer_that_is_not_json_costs_one_request_over_http() -> None:
    with StubServer() as stub:
        stub.script(answer("I am sorry, here are the records: casualties casualties casualties"))
        settings = Settings(base_url=stub.url, api_key="sk-test-0000", model="openai/stub", max_retries=2,
                            transport_retries=0)
        result = extract(art("a"), make_backend(settings), settings)
        whole = [r for r in stub.requests if "<article" in str(r.body["messages"])]
        assert len(whole) == 1
        assert result.strategy == "sentence after whole could not be parsed"
        assert result.usage.calls == len(stub.requests)


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_cli_brief_with_no_flag_briefs_an_article_whose_whole_answer_is_cut_off(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from summarizer.cli import app

    paths = []
    for n in "abc":
        (tmp_path / f"{n}.txt").write_text(TEXTS[n], encoding="utf-8")
        paths.append(str(tmp_path / f"{n}.txt"))
    with StubServer() as stub:
        stub.always(answer(truncate=10, finish_reason="length"), when="<article")
        res = CliRunner().invoke(app, ["brief", "--base-url", stub.url, "--model", "stub", "--concurrency", "1",
                                       "--format", "json", "-o", str(tmp_path / "b.json"), *paths],
                                 env={"OPENAI_API_KEY": "sk-test-0000"})
        whole = [r for r in stub.requests if "<article" in str(r.body["messages"])]
    assert res.exit_code == 0, res.output
    assert res.stderr.count(strategy.NOTICE) == 1
    assert len(whole) == 1
    sources = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["sources"]
    assert [s["strategy"] for s in sources] == ["sentence after whole was cut off"] + [
        "sentence (whole was cut off on an earlier article)"] * 2


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_a_whole_answer_that_does_not_come_within_the_timeout_falls_back_over_http() -> None:
    with StubServer() as stub:
        stub.script(stall(1.5))
        settings = Settings(base_url=stub.url, api_key="sk-test-0000", model="openai/stub", timeout_s=0.5,
                            transport_retries=0)
        result = extract(art("a"), make_backend(settings), settings)
        assert result.status == ArticleStatus.OK, result.error
        assert result.strategy == "sentence after whole timed out"
        assert sum("<article" in str(r.body["messages"]) for r in stub.requests) == 1
