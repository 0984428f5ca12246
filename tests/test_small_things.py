"""The small things a new user saw in the first week (issue 24, item 9), each pinned."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import lxml.html
import pytest
from conftest import ROOT, FakeBackend
from report_pages import embedded_briefing, example_articles
from typer.testing import CliRunner

import summarizer
from summarizer import pipeline
from summarizer.cli import app
from summarizer.control import Control
from summarizer.render import chart, report
from summarizer.render.markdown import to_markdown as markdown
from summarizer.schemas import Claim, Qualifier, Tally
from summarizer.settings import Settings

runner = CliRunner()


def test_version():
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and re.fullmatch(r"summarizer \d+\.\d+\.\d+\S*\n", r.stdout)


@pytest.mark.parametrize("command", ["brief", "batch", "extract", "check"])
def test_help_never_cuts_an_option_name_at_80_columns(command):
    r = runner.invoke(app, [command, "--help"], terminal_width=80, env={"COLUMNS": "80"})
    assert r.exit_code == 0
    assert all(len(line) <= 80 for line in r.stdout.splitlines())
    for name in ("--max-article-chars", "--max-calls-per-article", "--include-text", "--max-tokens-total"):
        if command in ("brief", "batch") or name != "--max-article-chars":
            assert name in r.stdout or command in ("extract", "check"), name
    assert not re.search(r"--[a-z-]+…", r.stdout)


def _vague_only() -> Tally:
    return Tally(claims=[Claim(value=None, qualifier=Qualifier.VAGUE, words="dozens", claimant="the Red Crescent",
                               articles=["a"], citations=[])])


def test_markdown_with_only_a_vague_figure_says_no_number():
    b = embedded_briefing()
    event = b.events[0]
    event.killed = _vague_only()
    event.injured = Tally()
    text = markdown(b)
    assert "None" not in text and "no number given" in text and "dozens" in text


def test_chart_of_vague_figures_has_no_number_axis():
    c = chart.build("Killed", _vague_only())
    assert c is not None and c.ticks == [] and c.marks[0].vague
    small = chart.build("Killed", Tally(claims=[Claim(value=1, qualifier=Qualifier.EXACT, words="1", claimant="x",
                                                      articles=["a"], citations=[])], low=1, best=1, high=1))
    labels = [t.text for t in small.ticks]
    assert labels == sorted(set(labels), key=labels.index) and len(labels) == len(set(labels))  # no "1" twice
    assert labels == ["0", "1", "2"]


def test_a_long_chart_label_is_shortened_inside_the_chart_not_clipped():
    long_name = "the governor of the province of Homs quoted by the official Syrian Arab News Agency"
    t = Tally(claims=[Claim(value=v, qualifier=Qualifier.EXACT, words=str(v), claimant=long_name, articles=["a"],
                            citations=[]) for v in (2, 57)], low=2, best=2, high=57, disputed=True)
    c = chart.build("Killed", t)
    for m in c.marks:
        width = chart.CHAR_PX * len(m.label)
        if m.anchor == "start":
            assert m.label_x + width <= c.width
        else:
            assert m.label_x - width >= 0
        assert m.label.startswith(f"{m.label.split(',')[0]},")  # the figure is never what is cut
    assert any(m.label.endswith("…") for m in c.marks)


def test_html_claims_table_keeps_a_space_before_via():
    b = embedded_briefing()
    claim = next(c for e in b.events for c in e.killed.claims if c.claimant)
    claim.claimant, claim.via = "the governor of Homs", "SANA"
    doc = lxml.html.fromstring(report.to_html(b, example_articles()))
    cells = [" ".join(td.text_content().split()) for td in doc.xpath("//table[contains(@class,'claims')]//td")]
    assert any("the governor of Homs via SANA" in c for c in cells), cells[:6]
    assert not any("Homsvia" in c for c in cells)


def test_progress_counts_the_calls_the_run_makes(tmp_path):
    """Questions the text settles are not calls: "N/N calls" agrees with the article's calls."""
    path = tmp_path / "a.txt"
    path.write_text("Police said 3 people were killed in Northtown on Monday.\n"
                    "Police said 3 people were killed in Northtown and officials said 7 people were killed in "
                    "Southtown and 9 were killed in Easttown on Monday.\n")
    seen: list[tuple[str, dict[str, Any]]] = []
    fake = FakeBackend(default={"killed": None, "injured": None, "place": None, "claimed_by": None})
    fake.name = "embedded"  # the text-options path of the embedded model
    settings = Settings(strategy="sentence", narrative=False).with_(control=Control(events=lambda n, f: seen.append(
        (n, f))))
    b = pipeline.brief([path], settings, backend=fake)
    planned = [f["calls"] for n, f in seen if n == "calls_planned"]
    done = [f for n, f in seen if n == "call_done"]
    calls = b.sources[0].calls if hasattr(b.sources[0], "calls") else b.run.usage.calls
    assert planned and done
    assert done[-1]["planned"] == planned[0] and done[-1]["done"] == len(done)
    assert len(fake.history) >= len(done)  # re-asks are calls too, never fewer calls than said
    assert b.grounding.read_from_text + planned[0] >= 2  # some questions were settled by the text
    assert calls >= planned[0]


def test_make_brief_passes_extra_args():
    out = subprocess.run(["make", "-n", "brief", 'ARGS=--threads 1'], cwd=ROOT, capture_output=True, text=True)
    line = next(x for x in out.stdout.splitlines() if "summarizer brief" in x)
    assert "--threads 1" in line and line.index("--threads 1") < line.index("examples/")


def test_the_readmes_second_python_example_runs_as_written(monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    block = next(b for b in blocks if "summarizer.text(" in b)
    code = "import summarizer\n" + block[block.index("briefing = summarizer.brief(\n"):]  # the second example
    fake = FakeBackend("whole", default={"casualties": [], "statements": [], "events": []})
    monkeypatch.setattr(pipeline, "make_backend", lambda settings: fake)
    monkeypatch.setattr(summarizer, "get_backend", lambda *a, **k: fake, raising=False)
    scope: dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - the project's own README
    briefing = scope["briefing"]
    assert [s.status for s in briefing.sources] == ["ok", "ok", "ok"]
    assert sorted(s.id for s in briefing.sources) == ["mine", "text-1", "wire-1"]


def test_the_openai_client_reads_no_environment_behind_settings(monkeypatch):
    from summarizer.backends.openai_compat import OPENAI_API_URL, OpenAICompatBackend

    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/elsewhere/v1")
    b = OpenAICompatBackend(Settings(api_key="sk-test-0000000000000000", model="openai/gpt-4o-mini"))
    assert str(b._sdk.base_url).rstrip("/") == OPENAI_API_URL
    env = OpenAICompatBackend(Settings.from_env(model="openai/gpt-4o-mini", api_key="sk-test-0000000000000000"))
    assert str(env._sdk.base_url).rstrip("/") == "http://127.0.0.1:9/elsewhere/v1"  # from_env does read it
