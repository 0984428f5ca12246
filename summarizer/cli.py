"""The command line: a thin shell over ``summarizer.pipeline``.

Exit codes: 0 ok, 1 runtime failure (a citation that could not be mapped to the article as
given counts as one, the output still written), 2 usage or configuration, 3 partial (some
articles failed, or with --strict, some values were dropped by grounding). ``check`` exits 1
when a citation does not hold.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer

from . import files, logs, pipeline
from .control import Control
from .errors import ConfigError, Interrupted, SummarizerError, redact
from .render.json_text import to_json
from .render.markdown import to_markdown
from .schemas import ArticleExtraction, Briefing
from .settings import Settings
from .stories.outputs import StoriesFile

# instructor logs every failed attempt at ERROR through logging's last-resort handler: raw
# multi-line text on stderr that would break --log-json. Each failure is reported once, redacted,
# by the run itself. (The library leaves logging to whoever embeds it.)
logging.getLogger("instructor").setLevel(logging.CRITICAL)

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals may hold API keys
    no_args_is_help=True,
    # click's own help: it wraps long option names and help at any width, where rich's tables cut
    # them ("--max-article-c…" at 80 columns)
    rich_markup_mode=None,
    help="Turn several news articles about one event into one cited briefing.",
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"summarizer {version('summarizer')}")
        raise typer.Exit(0)


@app.callback()
def _logging(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Turn several news articles about one event into one cited briefing."""
    # The library's WARNING records on stderr: the library itself has only a NullHandler (brief,
    # extract and batch set this again with --verbose / --log-json and the run's secrets).
    logs.to_stderr()


class Executor(StrEnum):
    threads = "threads"
    dask = "dask"


class Format(StrEnum):
    markdown = "markdown"
    json = "json"
    html = "html"  # one self-contained page: the briefing beside its articles, every value clickable


def _err(message: str) -> None:
    """One line for the user on stderr; with --log-json, one JSON line like every other there."""
    if logs.json_lines_active():
        logs.json_line("message", message)
    else:
        typer.echo(message, err=True)


Model = Annotated[Optional[str], typer.Option(
    "--model", "-m", help="provider/model, e.g. openai/gpt-4o-mini, ollama/qwen2.5:7b, llamacpp-server/x; "
    "a bare name uses the OpenAI-compatible endpoint. [env: SUMMARIZER_MODEL]")]
BaseUrl = Annotated[Optional[str], typer.Option(
    "--base-url", help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 [env: OPENAI_BASE_URL]")]
ModelPath = Annotated[Optional[Path], typer.Option(
    "--model-path", help="Run this local GGUF file in-process instead. [env: SUMMARIZER_MODEL_PATH]")]
Threads = Annotated[Optional[int], typer.Option(
    "--threads", min=1, help="CPU threads for the embedded model (default: every core; fewer on a busy machine).")]
Strategy = Annotated[str, typer.Option(
    "--strategy", help="auto (endpoints: whole article first, sentences for an article whose answer "
    "fails) | whole (one call per article) | sentence (small calls, for tiny models)")]
LexiconFiles = Annotated[Optional[list[Path]], typer.Option(
    "--lexicon", help="A TOML file of extra words (aliases, event cues, titles…) shaped like "
    "summarizer/lexicon/*.toml; repeatable.")]
TextOptions = Annotated[str, typer.Option(
    "--text-options", help="auto | on | off: sentence questions answered only in the text's own values "
    "(the grammar offers what grounding keeps; a question the text settles is not asked). "
    "auto: on for the embedded model, off for an endpoint.")]
Mode = Annotated[str, typer.Option(
    "--mode", help="auto | tools | json_schema | json_object: how structured output is requested")]
IncludeText = Annotated[bool, typer.Option(
    "--include-text/--no-include-text", help="Put each source's text (what its citations' start:end "
    "index) in the JSON as sources[].text, so `summarizer check` can verify the briefing on its own. "
    "HTML sources keep their extracted text either way: nothing else holds it.")]


MaxCalls = Annotated[Optional[int], typer.Option(
    "--max-calls", help="Model calls for this run (re-asks included): past it, no call starts; the "
    "article in progress is briefed from what is grounded so far and marked partial (exit 3).")]
MaxCallsPerArticle = Annotated[Optional[int], typer.Option(
    "--max-calls-per-article", help="Model calls per article: past it, that article is briefed from what is "
    "grounded so far and marked partial (exit 3); the next article starts afresh.")]
MaxTokensTotal = Annotated[Optional[int], typer.Option(
    "--max-tokens-total", help="Token budget for this run (prompt + answer): past it, no call starts "
    "(batch: no new article starts once it would be exceeded). Exit 3.")]
Deadline = Annotated[Optional[float], typer.Option(
    "--deadline", help="Seconds: no model call starts after this much time; what is grounded is briefed, "
    "the article marked partial (exit 3).")]

T = TypeVar("T")
STOP_GRACE_S = 1.2  # after a signal, how long batch may take to record what is finished


def _interruptible(work: Callable[[], T], control: Control, what: str, grace_s: float = 0.0) -> T:
    """Run ``work`` in a daemon thread while this (main) thread handles SIGINT/SIGTERM: a signal
    sets the stop event every worker checks between model calls; after ``grace_s`` at most, the
    process exits 130/143 with one line, abandoning any call in flight (no traceback, no output)."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # re-raised in the main thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="summarizer-run", daemon=True)
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda signum, frame: control.stop(signum))
    try:
        thread.start()
        while thread.is_alive() and not control.stopped:
            thread.join(0.05)
        if control.stopped:
            thread.join(grace_s)
            _err(f"summarizer: interrupted ({control.signal_name}): {what}")
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(control.exit_code)  # threads still waiting on a model call are abandoned
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


LogJson = Annotated[bool, typer.Option(
    "--log-json", help="JSON lines on stderr (article_started, calls_planned, call_done, article_done, "
    "notice…, and the library's log records as event \"log\") instead of progress lines.")]
Verbose = Annotated[bool, typer.Option(
    "--verbose", "-v", help="Show the library's log records on stderr, INFO and DEBUG included, with the "
    "traceback of any error a run survived (keys redacted).")]


def _reporting(quiet: bool, log_json: bool, settings: Settings) -> tuple[Any, Any]:
    """The progress callback (``control.Events``) and the notice callback for brief and extract."""
    from .batch.progress import reporter

    events = reporter(quiet, log_json, settings.secrets)
    notice = None if events is None else (lambda line: events("notice", {"message": line}))
    return events, notice


def _close(events: Any) -> None:
    close = getattr(events, "close", None)
    if close is not None:
        close()


def _settings(  # type: ignore[no-untyped-def]
    model, base_url, model_path, strategy, mode, lexicon=None, **more
) -> Settings:
    # The API key is only ever read from the environment, so it never shows in argv or --help.
    return Settings.from_env(model=model, base_url=base_url, model_path=model_path, strategy=strategy,
                             mode=mode, lexicon_files=tuple(lexicon) if lexicon else None, **more)


def _paths(inputs: list[str]) -> list[str | Path]:
    """Command-line inputs are paths (or - for stdin), never article text, whatever their spaces:
    the library reads a ``str`` holding whitespace as text (``ingest.load.is_text``)."""
    return [i if i == "-" else Path(i) for i in inputs]


def _announce(settings: Settings, quiet: bool) -> None:
    if not quiet and settings.provider == "embedded" and settings.model_path is None:
        _err("summarizer: no OPENAI_API_KEY or --base-url: using the embedded SmolLM2-135M model on the CPU "
             "(small and slow; point --base-url or --model at a capable endpoint for better briefings)")


def _fail(exc: SummarizerError, settings: Settings | None) -> None:
    secrets = settings.secrets if settings else ()
    _err(f"summarizer: error: {redact(str(exc), secrets)}")
    raise typer.Exit(exc.exit_code)


@app.command()
def brief(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories, or - for stdin.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here (atomically).")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.markdown,
    model: Model = None,
    base_url: BaseUrl = None,
    model_path: ModelPath = None,
    threads: Threads = None,
    strategy: Strategy = "auto",
    text_options: TextOptions = "auto",
    mode: Mode = "auto",
    concurrency: Annotated[int, typer.Option(help="Articles in flight at once (remote endpoints).")] = 4,
    max_article_chars: Annotated[int, typer.Option(help="Longer articles are refused.")] = 1_000_000,
    no_narrative: Annotated[bool, typer.Option(
        "--no-narrative", help="Write the summary paragraph from a template, without asking the model.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 3 if grounding dropped anything.")] = False,
    lexicon: LexiconFiles = None,
    include_text: IncludeText = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
    log_json: LogJson = False,
    verbose: Verbose = False,
    max_calls: MaxCalls = None,
    max_calls_per_article: MaxCallsPerArticle = None,
    max_tokens_total: MaxTokensTotal = None,
    deadline: Deadline = None,
) -> None:
    """Brief a cluster of articles.

    Examples:

      summarizer brief cluster/*.txt

      summarizer brief --format json -o briefing.json cluster/

      summarizer brief --format html -o briefing.html cluster/

      OPENAI_API_KEY=... summarizer brief --model openai/gpt-4o-mini cluster/

      summarizer brief --base-url http://localhost:11434/v1 --model qwen2.5:7b cluster/
    """
    settings = None
    try:
        settings = _settings(model, base_url, model_path, strategy, mode, lexicon, n_threads=threads,
                             text_options=text_options,
                             concurrency=concurrency,
                             max_article_chars=max_article_chars, narrative=not no_narrative,
                             include_text=include_text, max_calls=max_calls,
                             max_calls_per_article=max_calls_per_article,
                             max_tokens_total=max_tokens_total, deadline_s=deadline)
        logs.to_stderr(verbose, log_json, settings.secrets)
        if output:
            files.check_writable(output)  # before the first model call, not after the whole run
        events, notice = _reporting(quiet, log_json, settings)
        settings = settings.controlled(events=events)
        _announce(settings, quiet or log_json)
        run_settings = settings
        try:
            result, articles = _interruptible(
                lambda: pipeline.brief_with_articles(_paths(inputs), run_settings, notice=notice),
                settings.control, "nothing written")  # type: ignore[arg-type]
        finally:
            _close(events)
        code = _exit_code(result, strict)  # the input errors first, then what was written
        if output and result.run.articles_ok == 0:
            # A run that briefs nothing leaves the last good output as it was.
            _err(f"summarizer: nothing written: {output} left as it was")
            raise typer.Exit(code)
        if fmt == Format.html:
            from .render import report

            text = report.to_html(result, articles)
        else:
            text = to_json(result) if fmt == Format.json else to_markdown(result)
        if output:
            files.write_atomic(output, text)
            if not quiet:
                _err(f"summarizer: wrote {output}")
        else:
            sys.stdout.write(text)
    except SummarizerError as exc:
        _fail(exc, settings)
    raise typer.Exit(code)


def _exit_code(result: Briefing, strict: bool) -> int:
    """``strict``: a CLI option, not a setting: the library reports drops, the command decides."""
    for s in result.sources:
        if s.error:
            _err(f"summarizer: {s.id}: {s.error}")
    partial = any(s.status == "partial" for s in result.sources)
    if result.run.offsets.failed:
        _err(f"summarizer: {result.run.offsets.failed} citations could not be mapped to the articles as "
             f"given (run.offsets.issues): {'; '.join(result.run.offsets.issues[:3])}")
        return 1
    if partial:
        return 3
    if result.run.articles_ok == 0:
        _err("summarizer: no article could be briefed")
        return 1
    if result.run.articles_failed:
        return 3
    if strict and (result.grounding.dropped_records or result.grounding.dropped_fields):
        _err(f"summarizer: --strict: grounding dropped {result.grounding.dropped_records} records and "
             f"{result.grounding.dropped_fields} fields")
        return 3
    return 0


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories, or - for stdin.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o")] = None,
    model: Model = None,
    base_url: BaseUrl = None,
    model_path: ModelPath = None,
    threads: Threads = None,
    strategy: Strategy = "auto",
    text_options: TextOptions = "auto",
    mode: Mode = "auto",
    lexicon: LexiconFiles = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    log_json: LogJson = False,
    verbose: Verbose = False,
    max_calls: MaxCalls = None,
    max_calls_per_article: MaxCallsPerArticle = None,
    max_tokens_total: MaxTokensTotal = None,
    deadline: Deadline = None,
) -> None:
    """Per-article grounded records as JSON (no merging).

    Example: summarizer extract cluster/article.txt
    """
    settings = None
    try:
        settings = _settings(model, base_url, model_path, strategy, mode, lexicon, n_threads=threads,
                             text_options=text_options,
                             max_calls=max_calls,
                             max_calls_per_article=max_calls_per_article,
                             max_tokens_total=max_tokens_total, deadline_s=deadline)
        logs.to_stderr(verbose, log_json, settings.secrets)
        if output:
            files.check_writable(output)
        events, notice = _reporting(quiet, log_json, settings)
        settings = settings.controlled(events=events)
        _announce(settings, quiet or log_json)
        run_settings = settings
        try:
            paths = _paths(inputs)
            results, mapped = _interruptible(lambda: pipeline.extract_as_given(paths, run_settings, notice=notice),
                                             settings.control, "nothing written")  # type: ignore[arg-type]
        finally:
            _close(events)
        failed = [r for r in results if r.error and r.status != "partial"]
        for r in results:
            if r.error:
                _err(f"summarizer: {r.article_id}: {r.error}")
        text = json.dumps([r.model_dump(mode="json") for r in results], indent=2) + "\n"
        if output and len(failed) == len(results):
            _err(f"summarizer: nothing written: no article could be extracted; {output} left as it was")
            raise typer.Exit(1)
        if output:
            files.write_atomic(output, text)
        else:
            sys.stdout.write(text)
    except SummarizerError as exc:
        _fail(exc, settings)
    if any(r.status == "partial" for r in results):
        raise typer.Exit(3)
    if mapped.failed:
        _err(f"summarizer: {mapped.failed} citations could not be mapped to the articles as given: "
             f"{'; '.join(mapped.issues[:3])}")
        raise typer.Exit(1)
    raise typer.Exit(3 if failed and len(failed) < len(results) else (1 if failed else 0))


@app.command()
def batch(
    source: Annotated[Path, typer.Argument(help="A directory of cluster folders, or a .jsonl of clusters.")],
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Output directory: <cluster>.json/.md/.html, index.html, run.json, cache.")],
    model: Model = None,
    base_url: BaseUrl = None,
    model_path: ModelPath = None,
    threads: Threads = None,
    strategy: Strategy = "auto",
    text_options: TextOptions = "auto",
    mode: Mode = "auto",
    concurrency: Annotated[int, typer.Option(help="Articles in flight at once (remote endpoints).")] = 4,
    max_tokens_total: MaxTokensTotal = None,
    max_calls: MaxCalls = None,
    max_calls_per_article: MaxCallsPerArticle = None,
    deadline: Deadline = None,
    cache: Annotated[Optional[Path], typer.Option(help="Extraction cache (default: <out>/cache.sqlite).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    max_article_chars: Annotated[int, typer.Option(help="Longer articles are refused.")] = 1_000_000,
    no_narrative: Annotated[bool, typer.Option(
        "--no-narrative", help="Write the summary paragraphs from a template, without asking the model.")] = False,
    lexicon: LexiconFiles = None,
    include_text: IncludeText = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Nothing on stderr but errors.")] = False,
    log_json: LogJson = False,
    verbose: Verbose = False,
    executor: Annotated[Executor, typer.Option(
        "--executor", help="threads: this process; dask: articles extracted on a Dask cluster "
        "(--scheduler or --workers), everything else here.")] = Executor.threads,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="A running Dask scheduler, e.g. tcp://host:8786 (with --executor dask).")] = None,
    workers: Annotated[Optional[int], typer.Option(
        "--workers", help="Start a LocalCluster of N worker processes here (with --executor dask).")] = None,
) -> None:
    """Brief many clusters: concurrent, cached, resumable, budgeted. Safe to rerun and to kill.

    Examples:

      summarizer batch inbox/ --out briefings/

      summarizer batch clusters.jsonl --out briefings/ --concurrency 8 --max-tokens-total 2000000

      summarizer batch inbox/ --out briefings/ --executor dask --scheduler tcp://scheduler-host:8786

      summarizer status briefings/

    Exit codes: 0 all briefed, 3 some articles or clusters failed or were left pending, 1 none
    briefed, 2 usage, configuration, or another run holds the output directory.
    """
    from .batch import runner as _batch
    from .batch.progress import reporter

    settings = None
    try:
        settings = _settings(model, base_url, model_path, strategy, mode, lexicon, n_threads=threads,
                             text_options=text_options,
                             concurrency=concurrency,
                             max_tokens_total=max_tokens_total, cache_path=cache, use_cache=not no_cache,
                             max_article_chars=max_article_chars, narrative=not no_narrative,
                             include_text=include_text, max_calls=max_calls,
                             max_calls_per_article=max_calls_per_article, deadline_s=deadline)
        logs.to_stderr(verbose, log_json, settings.secrets)
        events = reporter(quiet, log_json, settings.secrets)
        settings = settings.controlled(events=events, tokens=False)  # batch counts tokens per article
        _announce(settings, quiet or log_json)
        run_settings = settings
        result = _interruptible(
            lambda: _batch.run(source, out, run_settings, events=events, executor=executor.value,
                               scheduler=scheduler, workers=workers),
            settings.control,  # type: ignore[arg-type]
            "finished clusters and cached articles are kept, the rest marked pending; run again to resume",
            grace_s=STOP_GRACE_S)
    except SummarizerError as exc:
        _fail(exc, settings)
    except (KeyboardInterrupt, Interrupted):
        _err("summarizer: interrupted: finished clusters and cached articles are kept; run again to resume")
        raise typer.Exit(130) from None
    raise typer.Exit(result.exit_code)


@app.command()
def stories(
    sources: Annotated[list[str], typer.Argument(
        help="Feeds (RSS/Atom URLs or files), directories and JSON/JSONL files of articles.")],
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Output directory: stories.json, index.html, <story>.json/.md/.html, "
        "stories.sqlite (the stream's state), cache.sqlite.")],
    cluster_only: Annotated[bool, typer.Option(
        "--cluster-only", help="Only read, deduplicate and cluster: no briefing, no model (fast).")] = False,
    model: Model = None,
    base_url: BaseUrl = None,
    model_path: ModelPath = None,
    threads: Threads = None,
    strategy: Strategy = "auto",
    text_options: TextOptions = "auto",
    mode: Mode = "auto",
    concurrency: Annotated[int, typer.Option(help="Articles in flight at once (remote endpoints).")] = 4,
    max_calls: MaxCalls = None,
    max_tokens_total: MaxTokensTotal = None,
    deadline: Deadline = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the extraction cache.")] = False,
    max_article_chars: Annotated[int, typer.Option(help="Longer articles are refused.")] = 1_000_000,
    timeout: Annotated[float, typer.Option(help="Seconds per HTTP request (feeds and pages).")] = 15.0,
    max_page_bytes: Annotated[int, typer.Option(help="A feed or page larger than this is not read.")] = 5_000_000,
    per_host: Annotated[int, typer.Option(help="HTTP requests in flight per host.")] = 2,
    delay: Annotated[float, typer.Option(help="Seconds between two requests to one host.")] = 1.0,
    no_narrative: Annotated[bool, typer.Option(
        "--no-narrative", help="Write the summary paragraphs from a template, without asking the model.")] = False,
    lexicon: LexiconFiles = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Nothing on stderr but problems.")] = False,
    log_json: LogJson = False,
    verbose: Verbose = False,
) -> None:
    """From a day's news to briefed stories: read feeds and folders, find duplicates, cluster the
    articles into stories, brief each story whose articles changed, and say what changed.

    Examples:

      summarizer stories https://example.org/world.rss inbox/ --out stories/

      summarizer stories feeds/*.xml --out stories/ --cluster-only

    A rerun with nothing new asks the model nothing and rewrites nothing; a killed run resumes.
    Exit codes: 0 ok, 3 some source, page or story failed (one line each), 2 usage, configuration,
    or another run holds the output directory.
    """
    from .stories import runner as _stories
    from .stories.fetch import FetchLimits

    settings = None
    try:
        settings = _settings(model, base_url, model_path, strategy, mode, lexicon, n_threads=threads,
                             text_options=text_options, concurrency=concurrency, max_calls=max_calls,
                             max_tokens_total=max_tokens_total, deadline_s=deadline,
                             max_article_chars=max_article_chars, narrative=not no_narrative)
        logs.to_stderr(verbose, log_json, settings.secrets)
        events, _ = _reporting(quiet, log_json, settings)
        settings = settings.controlled(events=events)
        if not cluster_only:
            _announce(settings, quiet or log_json)
        limits = FetchLimits(timeout_s=timeout, max_bytes=max_page_bytes, per_host=per_host, delay_s=delay)
        run_settings = settings
        result = _interruptible(
            lambda: _stories.run(sources, out, run_settings, brief=not cluster_only, limits=limits,
                                 events=events, cache=not no_cache),
            settings.control,  # type: ignore[arg-type]
            "articles read so far and finished briefings are kept; run again to resume",
            grace_s=STOP_GRACE_S)
        _close(events)
    except SummarizerError as exc:
        _fail(exc, settings)
    except (KeyboardInterrupt, Interrupted):
        _err("summarizer: interrupted: articles read so far and finished briefings are kept; run again to resume")
        raise typer.Exit(130) from None
    for line in result.report_lines(verbose_summary=not quiet):
        _err(f"summarizer: {redact(line, settings.secrets)}")
    raise typer.Exit(result.exit_code)


@app.command()
def status(
    out: Annotated[Path, typer.Argument(help="A batch output directory.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the manifest itself.")] = False,
) -> None:
    """What batch runs did in OUT: clusters briefed, failed and why, cache hits, tokens, time."""
    from .batch.manifest import Manifest, status_text

    try:
        if not out.is_dir():
            raise ConfigError(f"no such directory: {out}: pass the --out directory of a batch run")
        manifest = Manifest.load(out)
    except SummarizerError as exc:
        _fail(exc, None)
    sys.stdout.write(manifest.model_dump_json(indent=2) + "\n" if as_json else status_text(manifest, out))


@app.command()
def check(
    briefing: Annotated[Path, typer.Argument(help="A briefing (brief --format json) or extract's output.")],
    files: Annotated[Optional[list[Path]], typer.Argument(
        help="The article files it was made from; without them, its sources[].text.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only problems on stderr.")] = False,
) -> None:
    """Verify every citation (text[start:end] == citation text, in each article as given) and every
    value beside it (figures, qualifiers, words, claimants, speakers, quotes, places, actors).

    Exit 0 when all hold, 1 when one does not (or an article's text is missing, or a file
    matches no source), 2 when the briefing cannot be read.

    Examples:

      summarizer check briefing.json

      summarizer check briefing.json cluster/*.txt
    """
    from .check import check as run_check
    from .check import load_document

    try:
        doc = load_document(briefing)
        result = run_check(doc, list(files or []))
    except SummarizerError as exc:
        _fail(exc, None)
    r = result.report
    for line in result.unmatched_files + r.issues + result.values:
        _err(f"summarizer: check: {line}")
    if r.failed > len(r.issues):
        _err(f"summarizer: check: … and {r.failed - len(r.issues)} more")
    if not quiet or not result.ok:
        bases = sorted(set(result.basis.values())) or ["nothing"]
        _err(f"summarizer: check: {r.mapped} of {r.mapped + r.failed} citations hold "
             f"(against {', '.join(bases[:3])}{' …' if len(bases) > 3 else ''}); "
             f"{len(result.values)} values differ from what they cite")
    raise typer.Exit(0 if result.ok else 1)


@app.command("explain-number")
def explain_number(
    article: Annotated[Path, typer.Argument(help="An article file (plain text).")],
    offset: Annotated[Optional[int], typer.Argument(
        help="A character offset inside the number (as Path.read_text() counts); omit to list every number.")] = None,
) -> None:
    """Why a number was or was not read as a toll: its role, the words that decided it, the verdict.

    Exit 0 when a number is at OFFSET (or the article has numbers), 1 when none is, 2 when the
    file cannot be read.

    Examples:

      summarizer explain-number cluster/a.txt 1234

      summarizer explain-number cluster/a.txt
    """
    from .grounding import roles

    try:
        text = article.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _err(f"summarizer: error: cannot read {article}: {exc}; give a UTF-8 text file")
        raise typer.Exit(2) from None
    readings = roles.read_roles(text)
    if offset is None:
        for rd in readings:
            status = f" ({rd.status.value})" if rd.status else ""
            sys.stdout.write(f"{rd.start}:{rd.end}\t{rd.text}\t{rd.role.value}{status}\t{rd.why()}\n")
        raise typer.Exit(0 if readings else 1)
    found = roles.reading_at(text, offset)
    if found is None:
        near = sorted(readings, key=lambda r: abs(r.start - offset))[:3]
        hint = ", ".join(f"{r.text!r} at {r.start}" for r in near) or "the article has none"
        _err(f"summarizer: no number at offset {offset} in {article}; nearest: {hint}")
        raise typer.Exit(1)
    sys.stdout.write(roles.explain(text, found) + "\n")


SCHEMA_MODELS = {"briefing": Briefing, "article_extraction": ArticleExtraction, "stories": StoriesFile}


def schema_documents() -> dict[str, str]:
    return {name: json.dumps(model.model_json_schema(), indent=2) + "\n" for name, model in SCHEMA_MODELS.items()}


@app.command()
def schema(
    write: Annotated[Optional[Path], typer.Option("--write", help="Write every schema into this directory.")] = None,
    name: Annotated[str, typer.Argument(help="briefing | article_extraction")] = "briefing",
) -> None:
    """Print a JSON Schema, or write them all (the repo keeps them in schemas/)."""
    docs = schema_documents()
    if write:
        for n, text in docs.items():
            files.write_atomic(write / f"{n}.json", text)
        _err(f"summarizer: wrote {', '.join(sorted(docs))} to {write}")
        return
    if name not in docs:
        _err(f"summarizer: error: unknown schema {name!r}: use one of {', '.join(docs)}")
        raise typer.Exit(2)
    sys.stdout.write(docs[name])


def main() -> None:
    try:
        app()
    except ConfigError as exc:  # pragma: no cover - raised outside a command
        _err(f"summarizer: error: {redact(str(exc))}")
        sys.exit(exc.exit_code)
