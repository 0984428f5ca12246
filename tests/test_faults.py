"""Endpoint faults, injected on the wire by a loopback OpenAI-compatible stub (tests/stub_server.py)
and met by the real ``OpenAICompatBackend``: openai SDK, instructor, our transport retries.

Counts are what the stub saw, so "the SDK's retries are off" and "retries are bounded" are
checked where they happen; waits are measured between the stub's request timestamps (a lower
bound the client must respect, not a timing of our speed). Settings are small so the suite
stays fast: 2 transport retries, 50 ms first backoff, 0.5 s read timeout, 5 s retry budget.
"""

from __future__ import annotations

import random
import traceback
from pathlib import Path

import openai
import pytest
from stub_server import StubServer, answer, raw, reset, stall, status
from typer.testing import CliRunner

from summarizer.backends import Request, make_backend
from summarizer.backends.transport import Backoff, retry_after
from summarizer.batch import runner as batch
from summarizer.batch.manifest import ClusterState
from summarizer.cli import app
from summarizer.errors import TransportError
from summarizer.extraction.auto import answer_token_cap
from summarizer.extraction.drafts import ArticleDraft
from summarizer.extraction.strategies import extract
from summarizer.ingest.article import make_article
from summarizer.schemas import ArticleStatus
from summarizer.settings import Settings

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

KEY = "sk-test-faults-0000000000000000"
RETRIES, BACKOFF, TIMEOUT, BUDGET = 2, 0.05, 0.5, 5.0
HOMS = ("A twin car bombing in the city of Homs killed 46 people on Sunday, the Syrian Observatory for "
        "Human Rights said. Islamic State claimed the attack in a statement posted online.")
ARTICLES = {  # named fixtures: three short articles, each with a word the stub can target
    "alpha": HOMS + " Local reporters called it the alpha blast.",
    "bravo": HOMS + " Residents said the bravo district was hit hardest.",
    "charlie": HOMS + " Rescue teams worked through the night in charlie street.",
}


def settings(stub: StubServer, **more: object) -> Settings:
    values: dict[str, object] = dict(
        base_url=stub.url, api_key=KEY, model="openai/stub", strategy="whole", max_retries=2,
        transport_retries=RETRIES, transport_backoff_s=BACKOFF, timeout_s=TIMEOUT, transport_retry_budget_s=BUDGET)
    values.update(more)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def stub():
    with StubServer() as server:
        yield server


def run_one(stub: StubServer, **more: object):
    s = settings(stub, **more)
    return extract(make_article(ARTICLES["alpha"], id="alpha"), make_backend(s), s)


# --- the table: each fault, the requests it cost, the outcome ----------------------------------

ERR500 = status(500)


def cap(name: str) -> int:
    """max_tokens of a whole-article call about ARTICLES[name]: scaled to its length."""
    return answer_token_cap(len(make_article(ARTICLES[name], id=name).text))


FAULTS = {
    # name: (script, requests the stub sees, final status, words the reason must hold)
    "429 then ok": ([status(429)], 2, "ok", None),
    "500 then ok": ([ERR500], 2, "ok", None),
    "503 then ok": ([status(503)], 2, "ok", None),
    "reset then ok": ([reset()], 2, "ok", None),
    "read timeout then ok": ([stall(2)], 2, "ok", None),
    "429 always": ([status(429)] * 9, RETRIES + 1, "failed", "after 3 attempts in"),
    "500 always": ([ERR500] * 9, RETRIES + 1, "failed", "HTTP 500: stub error 500"),
    "503 always": ([status(503)] * 9, RETRIES + 1, "failed", "HTTP 503"),
    "502 HTML page always": ([raw("<html>\n<h1>502 Bad Gateway</h1>\n</html>", "text/html", 502)] * 9, RETRIES + 1,
                             "failed", "HTTP 502: '<html> <h1>502 Bad Gateway</h1> </html>'"),
    "reset always": ([reset()] * 9, RETRIES + 1, "failed", "connection failed"),
    "read timeout always": ([stall(2)] * 9, RETRIES + 1, "failed", "no answer within 0.5 s (read timeout)"),
    "not JSON always": ([raw("<html>502 Bad Gateway</html>")] * 9, RETRIES + 1, "failed",
                        "HTTP 200 with a body that is not JSON"),
    "HTML page always": ([raw("<html>oops</html>", "text/html")] * 9, RETRIES + 1, "failed",
                         "not a chat completion"),
    "empty choices always": ([answer(choices=[])] * 9, RETRIES + 1, "failed", "empty list of choices"),
    # Answers that arrive but are unusable are not transport faults: instructor re-asks (2 here).
    "fails the schema always": ([answer({"casualties": "none"})] * 9, 3, "failed",
                                "no usable answer from the model after 3 attempts: Input should be a valid array"),
    "fails the schema once": ([answer({"casualties": "none"})], 2, "ok", None),
    "truncated (length)": ([answer(truncate=25, finish_reason="length")], 1, "failed",
                           f"the answer was cut off at max_tokens={cap('alpha')}"),
    "refusal": ([answer(refusal="I can't help with that request.")], 1, "failed",
                "the model refused to answer: I can't help with that request."),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_costs_bounded_requests_and_ends_clearly(stub: StubServer, name: str) -> None:
    script, requests, final, reason = FAULTS[name]
    stub.script(*script)
    result = run_one(stub)
    assert len(stub.requests) == requests, [r.behaviour for r in stub.requests]
    assert result.status.value == final, result.error
    if final == "ok":
        assert result.error is None
        assert [e.evidence.text for e in result.events] == [HOMS.split(" Islamic")[0]]  # the stub's answer, grounded
    else:
        assert result.error is not None and reason in result.error
        assert "\n" not in result.error and len(result.error) <= 400
        assert KEY not in result.error
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in stub.requests)


def test_sdk_retries_are_off(stub: StubServer) -> None:
    """With our retries at 0, one request reaches the stub: the SDK (default 2 retries) adds none."""
    stub.always(ERR500)
    s = settings(stub, transport_retries=0)
    backend = make_backend(s)
    assert backend._sdk.max_retries == 0
    result = extract(make_article(HOMS, id="a"), backend, s)
    assert result.status == ArticleStatus.FAILED
    assert len(stub.requests) == 1
    assert result.error == "model call failed after 1 attempt in " + result.error.split(" in ")[1]


def test_retry_after_is_honoured(stub: StubServer) -> None:
    """Our own backoff here is 50-100 ms; the server asks for 1 s and gets at least that."""
    stub.script(status(429, headers={"Retry-After": "1"}), status(429, headers={"retry-after-ms": "300"}))
    result = run_one(stub)
    assert result.status == ArticleStatus.OK
    assert len(stub.requests) == 3
    first, second = stub.gaps()
    assert first >= 1.0
    assert second >= 0.3


def test_retry_after_beyond_the_budget_fails_at_once_and_says_why(stub: StubServer) -> None:
    stub.script(status(429, headers={"Retry-After": "30"}))
    result = run_one(stub)
    assert len(stub.requests) == 1
    assert result.status == ArticleStatus.FAILED
    assert result.error.startswith("model call failed after 1 attempt in ")
    assert result.error.endswith("HTTP 429: stub error 429 (the server asked to wait 30 s, "
                                 "more than the 5 s retry budget allows)")


def test_retries_stop_at_the_time_budget_before_the_count(stub: StubServer) -> None:
    """10 retries allowed, but none may start later than 1.2 s after the first try."""
    stub.always(stall(5))
    result = run_one(stub, transport_retries=10, transport_retry_budget_s=1.2, timeout_s=0.3, transport_backoff_s=0.1)
    assert result.status == ArticleStatus.FAILED
    assert 2 <= len(stub.requests) < 11
    assert stub.requests[-1].t - stub.requests[0].t < 1.2
    assert "read timeout" in result.error


def test_backoff_doubles_with_jitter_and_the_wire_shows_it(stub: StubServer) -> None:
    wait = Backoff(0.05, max_s=0.3, rng=random.Random(7))
    for attempt, step in ((1, 0.05), (2, 0.1), (3, 0.2), (4, 0.3), (9, 0.3)):
        draws = [wait.delay(attempt) for _ in range(50)]
        assert all(step / 2 <= d <= step for d in draws)
        assert len(set(draws)) == 50  # jittered: no two waits alike
    stub.always(ERR500)
    run_one(stub)
    gaps = stub.gaps()
    assert len(gaps) == RETRIES
    assert gaps[0] >= BACKOFF / 2 and gaps[1] >= BACKOFF  # never earlier than the backoff allows


def test_retry_after_forms() -> None:
    class Resp:
        def __init__(self, headers: dict[str, str]):
            self.headers = headers

    class Err(Exception):
        def __init__(self, headers: dict[str, str]):
            self.response = Resp(headers)

    assert retry_after(Err({"retry-after": "7"})) == 7.0
    assert retry_after(Err({"retry-after-ms": "250", "retry-after": "7"})) == 0.25
    assert retry_after(Err({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0.0  # a date in the past
    assert retry_after(Err({"retry-after": "soon"})) is None
    assert retry_after(Err({})) is None
    assert retry_after(ValueError()) is None


def test_sdk_error_is_kept_as_cause_but_the_traceback_holds_no_key(stub: StubServer) -> None:
    stub.always(status(500, {"error": {"message": f"upstream rejected key {KEY}"}}))
    backend = make_backend(settings(stub))
    request = Request(messages=[{"role": "user", "content": "x"}], response_model=ArticleDraft)
    with pytest.raises(TransportError) as caught:
        backend.structured(request)
    assert isinstance(caught.value.__cause__, openai.InternalServerError)
    text = "".join(traceback.format_exception(caught.value))
    assert "InternalServerError" in text and "[REDACTED]" in text
    assert KEY not in text
    assert len(stub.requests) == RETRIES + 1


# --- one article fails, the run goes on --------------------------------------------------------


def _inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox" / "homs"
    folder.mkdir(parents=True)
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return tmp_path / "inbox"


@pytest.mark.parametrize("fault", [ERR500, reset(), answer(refusal="No.")], ids=["500", "reset", "refusal"])
def test_batch_goes_on_when_one_article_fails(stub: StubServer, tmp_path: Path, fault) -> None:
    stub.always(fault, when="bravo district")
    result = batch.run(_inbox(tmp_path), tmp_path / "out", settings(stub, concurrency=3))
    assert result.exit_code == 3 and result.run.outcome == "partial"
    rec = result.clusters["homs"]
    assert rec.state == ClusterState.PARTIAL
    by_id = {a.id: a for a in rec.articles}
    assert {a: by_id[a].status for a in by_id} == {"alpha": "ok", "bravo": "failed", "charlie": "ok"}
    assert by_id["bravo"].error and "\n" not in by_id["bravo"].error
    briefing = (tmp_path / "out" / "homs.json").read_text(encoding="utf-8")
    assert '"articles_ok": 2' in briefing and '"articles_failed": 1' in briefing
    bravo_requests = [r for r in stub.requests if b"bravo district" in r.raw]
    assert len(bravo_requests) == (1 if fault.kind == "answer" else RETRIES + 1)


def test_cli_brief_exits_3_and_names_the_failed_article(stub: StubServer, tmp_path: Path) -> None:
    paths = []
    for name, text in ARTICLES.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / f"{name}.txt"))
    stub.always(answer(truncate=10, finish_reason="length"), when="charlie street")
    res = CliRunner().invoke(app, ["brief", "--base-url", stub.url, "--model", "stub", "--strategy", "whole",
                                   "--format", "json",
                                   "-o", str(tmp_path / "b.json"), *paths], env={"OPENAI_API_KEY": KEY})
    assert res.exit_code == 3, res.output
    lines = [line for line in res.stderr.splitlines() if line.startswith("summarizer: ")]
    assert lines == ["summarizer: charlie: no usable answer from the model after 1 attempt: "  # errors first
                     f"the answer was cut off at max_tokens={cap('charlie')}",
                     "summarizer: wrote " + str(tmp_path / "b.json")]
    assert "Traceback" not in res.stderr
    assert '"articles_ok": 2' in (tmp_path / "b.json").read_text(encoding="utf-8")


# --- article text is data at the HTTP edge too -----------------------------------------------

TEMPLATE_TEXTS = [  # instructor renders messages as Jinja when given a validation context
    "Officials said {{ 7*7 }} people were killed in the city of Homs on Sunday evening.",
    "The page cited {{cite web|url=http://example.org}} and said 46 people were killed in Homs.",
    "Officials said {% for x in range(3) %}many {% endfor %}people were killed in Homs on Sunday.",
    "A comment {# hidden #} and a brace { alone: 46 people were killed in Homs on Sunday.",
]


@pytest.mark.parametrize("text", TEMPLATE_TEXTS)
def test_template_syntax_in_an_article_reaches_the_model_verbatim(stub: StubServer, text: str) -> None:
    s = settings(stub)
    result = extract(make_article(text, id="t"), make_backend(s), s)
    assert result.status == ArticleStatus.OK, result.error
    user = [m["content"] for m in stub.requests[0].body["messages"] if m["role"] == "user"][-1]
    assert f"\n{text}\n</article>" in user
    assert [e.evidence.text for e in result.events] == [text]
