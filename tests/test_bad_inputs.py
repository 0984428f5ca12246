"""A bad-input corpus, generated here: every kind gets one clear line (or is handled), never a
traceback, and the rest of the cluster is still briefed.

``CORPUS`` names each kind with what must happen: ``error`` (a one-line message containing the
given words) or ``ok`` (loaded, with a check on the stored text). The table in
docs/reliability-inputs.md is this list.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, SEED_DIR, FakeBackend, assert_citations_verify
from typer.testing import CliRunner

from summarizer import pipeline
from summarizer.backends import Request
from summarizer.batch import runner as batch
from summarizer.batch.manifest import Manifest, status_text
from summarizer.cli import app
from summarizer.extraction.auto import CHARS_PER_TOKEN
from summarizer.extraction.candidates import MAX_SENTENCE_CHARS
from summarizer.extraction.strategies import chunks, extract
from summarizer.ingest.article import make_article
from summarizer.ingest.decode import normalize_text
from summarizer.ingest.load import PATH_SUFFIXES, load_many
from summarizer.language.sentences import split_sentences
from summarizer.settings import Settings

HOMS = "A twin bombing in Homs killed 46 people, the Syrian Observatory for Human Rights said on Sunday."
GOOD = f"Blasts in Homs\n\n{HOMS}\nThe governor said the toll could rise.\n"
EMPTY = {"casualties": [], "statements": [], "events": []}
GROUNDED = {"casualties": [{"evidence": HOMS, "killed": 46, "injured": None, "place": "Homs",
                            "claimed_by": "the Syrian Observatory for Human Rights", "event": "twin bombing"}],
            "statements": [], "events": []}
LONG_LINE = " ".join(f"word{i} and the district council met again" for i in range(15_000))  # ~600k chars, no stop


class ScriptedBackend(FakeBackend):
    """Answers the grounded Homs casualty when the request shows the Homs sentence, else nothing."""

    def __init__(self) -> None:
        super().__init__(default_strategy="whole", default=EMPTY)

    def _next(self, request: Request):  # type: ignore[no-untyped-def]
        # Per request, never through shared state: articles are asked from several threads at once.
        return GROUNDED if any(HOMS in m["content"] for m in request.messages) else EMPTY


@dataclass
class Kind:
    name: str
    file: str
    make: Callable[[Path], None]  # writes the input at the given path
    error: str | None = None  # words the one-line error must contain; None: loads fine
    check: Callable[[str], bool] | None = None  # on the stored text, when it loads


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(data)


def _text(text: str) -> Callable[[Path], None]:
    return lambda p: p.write_text(text, encoding="utf-8")


def _symlink(target: str) -> Callable[[Path], None]:
    return lambda p: p.symlink_to(target)


def _pdf() -> bytes:
    return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"4 0 obj\n<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (46 killed) Tj ET\nendstream\n"
            b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


def _noise(n: int) -> bytes:
    rng = random.Random(6)
    return bytes(rng.randrange(1, 256) for _ in range(n))


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


NEWS = "Police in Zürich said 3 people were hurt when a café façade collapsed on Monday."
CORPUS: list[Kind] = [
    Kind("empty file", "empty.txt", _bytes(b""), "empty"),
    Kind("whitespace only", "blank.txt", _bytes(b" \n\t\r\n  \n"), "empty"),
    Kind("binary: PNG bytes", "photo.txt", _bytes(_png()), "PNG"),
    Kind("binary: NUL bytes", "nul.txt", _bytes(b"Police said\x00\x00 3 died" * 20), "NUL"),
    Kind("binary: random bytes, no NUL", "noise.txt", _bytes(_noise(4000)), "UTF-8"),
    Kind("gzip-compressed text", "story.txt.gz", _bytes(gzip.compress(GOOD.encode())), "gzip"),
    Kind("a PDF", "report.pdf", _bytes(_pdf()), "PDF"),
    Kind("a 10 MB article", "huge.txt", _text(("Police said 46 people died in Homs. " * 280_000)[:10_000_000]),
         "over the limit"),
    Kind("over the character limit, under the byte cap", "big.txt", _text("Officials met again. " * 50_000),
         "--max-article-chars"),
    Kind("invalid UTF-8 (a few bad bytes)", "damaged.txt", _bytes(NEWS.encode() + b" \xff\xfe end."),
         check=lambda t: "Zürich" in t and "\ufffd" in t),
    Kind("Latin-1 text", "latin1.txt", _bytes((NEWS + " L1.").encode("latin-1")),
         check=lambda t: t == NEWS + " L1."),
    Kind("Windows-1252 text", "cp1252.txt", _bytes("“Police said 3 died,” he said – €5 fee.".encode("cp1252")),
         check=lambda t: t == "“Police said 3 died,” he said – €5 fee."),
    Kind("UTF-16 with BOM", "utf16.txt", _bytes((NEWS + " U16.").encode("utf-16")),
         check=lambda t: t == NEWS + " U16."),
    Kind("UTF-8 with BOM", "bom.txt", _bytes(b"\xef\xbb\xbf" + NEWS.encode()), check=lambda t: t == NEWS),
    Kind("CRLF line ends", "crlf.txt", _bytes(b"CRLF\r\n\r\n" + NEWS.encode() + b"\r\n"),
         check=lambda t: "\r" not in t and t.startswith("CRLF\n\n")),
    Kind("lone CR line ends", "cr.txt", _bytes(b"CR\r\r" + NEWS.encode() + b"\r"),
         check=lambda t: "\r" not in t and t.startswith("CR\n\n")),
    Kind("zero-width and bidi controls", "bidi.txt",
         _text("Police said 4\u200b6 people died in \u202eHoms\u202c on Sun\u2060day.\u2028Next line."),
         check=lambda t: t == "Police said 46 people died in Homs on Sunday.\nNext line."),
    Kind("HTML with scripts and no article", "page.html",
         _text("<html><head><script>alert(document.cookie)</script><style>p{}</style></head>"
               "<body><script>var x = '<p>46 killed</p>';</script><nav>Home | News</nav></body></html>"),
         "no article text"),
    Kind("a directory with no articles", "emptydir", lambda p: p.mkdir(), "no article files"),
    Kind("a symlink loop (link to itself)", "selfloop.txt", _symlink("selfloop.txt"), "symlink loop"),
    Kind("a directory symlink loop (link to its parent)", "up", _symlink("."), "already loaded"),
    Kind("a broken symlink", "gone.txt", _symlink("nowhere.txt"), "broken symlink"),
    Kind("a named pipe (FIFO)", "pipe.txt", lambda p: os.mkfifo(p), "not a regular file"),
    Kind("duplicate article (same text, another name)", "zz_copy_of_good.txt", _text(GOOD), "same text as"),
    Kind("an article in another language (French)", "fr.txt",
         _text("Homs (Syrie) — Un double attentat a fait 46 morts dimanche, selon l'Observatoire syrien."),
         check=lambda t: "attentat" in t),
    Kind("an article in another script (Arabic)", "ar.txt",
         _text("قتل 46 شخصا في تفجيرين في حمص يوم الأحد، بحسب المرصد السوري."), check=lambda t: "حمص" in t),
    Kind("an extremely long single line", "oneline.txt", _text(LONG_LINE), check=lambda t: "\n" not in t),
    Kind("an article with no sentences", "list.txt", _text("Homs\nDamascus\nAleppo\nIdlib\nRaqqa"),
         check=lambda t: t.startswith("Homs")),
    Kind("digits and punctuation only", "digits.txt", _text("12345 67890 -- 46/57 ...\n"), "no words"),
    Kind("control characters", "ctrl.txt", _text("Police \x07\x08\x0b\x0c said \x1b[31m3\x1b[0m died." * 5),
         "control characters"),
    Kind("JSON: not valid", "bad.json", _text('{"id": "x", "text": "unterminated'), "not valid JSON"),
    Kind("JSON: missing 'text'", "notext.json", _text('{"id": "x", "title": "no text"}'), "no 'text'"),
    Kind("JSON: 'text' of the wrong type", "numtext.json", _text('{"id": "x", "text": 46}'), "no 'text'"),
    Kind("JSON: 'id' of the wrong type", "badid.json", _text(json.dumps({"id": ["x"], "text": NEWS + " X."})), "'id'"),
    Kind("JSON: wrong types in optional fields", "odd.json",
         _text(json.dumps({"id": 7, "text": NEWS + " J.", "title": 5, "url": [], "published": "yesterday-ish"})),
         check=lambda t: t == NEWS + " J."),
    Kind("JSON: an empty list", "none.json", _text("[]"), "no articles"),
    Kind("JSON: a scalar", "scalar.json", _text('"just a string"'), "must be an object"),
    Kind("JSON: nested 100,000 deep", "deep.json", _text("[" * 100_000), "nested too deeply"),
    Kind("JSON: a lone surrogate escape", "surrogate.json", _text('{"text": "Police said \\ud800 3 died."}'),
         check=lambda t: t == "Police said \ufffd 3 died."),
    Kind("JSONL: one bad line among good ones", "mixed.jsonl",
         _text('{"id": "j1", "text": "Officials said 3 died."}\n{oops\n'), "not valid JSON: line skipped"),
    Kind("a file name with a newline", "bad\nname.txt", _bytes(b""), "bad\\nname.txt"),
]


def _build(root: Path, kind: Kind) -> Path:
    path = root / kind.file
    kind.make(path)
    return path


def test_corpus_has_at_least_20_kinds():
    assert len({k.name for k in CORPUS}) == len(CORPUS) >= 20


@pytest.mark.parametrize("kind", CORPUS, ids=[k.name for k in CORPUS])
def test_each_bad_input_gets_one_line_or_is_handled(tmp_path, kind):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    root = tmp_path / "in"
    root.mkdir()
    path = _build(root, kind)
    out = load_many([tmp_path / "good.txt", root if kind.file == "up" else path])
    assert "good" in [a.id for a in out.articles]  # the rest still loads
    messages = [str(e) for e in out.errors]
    assert all("\n" not in m and "Traceback" not in m for m in messages)
    if kind.error is None:
        assert messages == [] or kind.name.startswith("JSONL"), messages
        loaded = [a for a in out.articles if a.id != "good"]
        assert len(loaded) == 1 and kind.check is not None and kind.check(loaded[0].text), loaded[0].text[:200]
    else:
        assert len(messages) == 1, messages
        assert kind.error in messages[0], messages[0]


def test_path_that_does_not_exist(tmp_path):
    out = load_many([tmp_path / "missing.txt"])
    assert [str(e) for e in out.errors] == [f"{tmp_path / 'missing.txt'}: no such file: check the path"]


def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text(GOOD)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop root reading, so there is nothing to refuse")
        out = load_many([path])
        assert out.articles == [] and "cannot read the file (Permission denied)" in str(out.errors[0])
    finally:
        path.chmod(0o644)


def test_unreadable_file_simulated(tmp_path, monkeypatch):
    """The same path as root: reading fails with EACCES (root ignores chmod, so it is patched)."""
    path = tmp_path / "locked.txt"
    path.write_text(GOOD)

    def deny(self):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", deny)
    out = load_many([path])
    assert [str(e) for e in out.errors] == [f"{path}: cannot read the file (Permission denied)"]


def test_unreadable_directory_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    """Simulated (root can list any directory): listing fails with EACCES."""
    locked = tmp_path / "locked"
    locked.mkdir()

    def deny(self):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", deny)
    out = load_many([locked])
    assert [str(e) for e in out.errors] == [f"{locked}: cannot list the directory (Permission denied): "
                                            "check its permissions"]


def test_size_limit_is_exact_and_configurable():
    assert make_article("a" * 1_000_000, id="max").text  # exactly the limit: accepted
    with pytest.raises(Exception, match="1,000,001 characters is over the limit of 1,000,000"):
        make_article("a" * 1_000_001, id="over")
    with pytest.raises(Exception, match="over the limit of 100"):
        make_article("word " * 30, id="small", max_chars=100)


def test_long_single_line_is_cut_into_windows_that_fit(tmp_path):
    article = make_article(LONG_LINE, id="oneline")
    limit = 6000 * CHARS_PER_TOKEN
    spans = chunks(article, limit)
    assert len(spans) > 20 and all(0 < e - s <= limit for s, e in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(article.text)
    gaps = [article.text[a[1]:b[0]] for a, b in zip(spans, spans[1:], strict=False)]
    assert all(not gap.strip() for gap in gaps)  # every word is in some window


@pytest.mark.parametrize("raw", [
    "\ufeffBlasts in Homs\r\n\r\n" + HOMS + "\r\nThe governor said the toll could rise.\r\n",
    "Blasts in Homs\r\rA twin\u200b bombing in Homs\u00ad killed 46 people, the Syrian Observatory for "
    "Human Rights said on Sunday.\rMore later.",
])
def test_normalization_never_shifts_citations(tmp_path, raw):
    path = tmp_path / "article.txt"
    path.write_bytes(raw.encode("utf-8"))
    be = ScriptedBackend()
    result = pipeline.brief([path], Settings(strategy="whole"), backend=be)
    assert HOMS in normalize_text(raw)  # what the model read
    given = path.read_text()  # what the citations index (tests/test_offsets.py has more)
    dumped = result.model_dump(mode="json")
    assert assert_citations_verify(dumped, {"article": given}) >= 3
    assert result.run.offsets.failed == 0
    killed = result.events[0].killed.claims[0]
    assert killed.value == 46
    assert all(given[c.start:c.end] == c.text and normalize_text(c.text) in HOMS for c in killed.citations)


def _corpus_dir(tmp_path: Path) -> Path:
    root = tmp_path / "cluster"
    root.mkdir()
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    for kind in CORPUS:
        _build(root, kind)
    return root


def test_whole_corpus_through_the_cli_briefs_the_good_article(tmp_path, monkeypatch):
    root = _corpus_dir(tmp_path)
    be = ScriptedBackend()
    monkeypatch.setattr(pipeline, "make_backend", lambda settings: be)
    out = tmp_path / "briefing.json"
    r = CliRunner().invoke(app, ["brief", "--strategy", "whole", "--format", "json", "-o", str(out), "-q", str(root)])
    assert r.exit_code == 3, r.output  # partial: some inputs failed, the rest briefed
    assert "Traceback" not in r.stdout + r.stderr
    assert r.exception is None or isinstance(r.exception, SystemExit)
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, json.loads((ROOT / "schemas" / "briefing.json").read_text()))
    # In a directory only the documented suffixes are articles: the .gz and the .pdf are listed
    # once as skipped, not briefed or failed.
    skipped = [k for k in CORPUS if not k.file.lower().endswith(tuple(PATH_SUFFIXES)) and "." in k.file]
    assert sorted(k.file for k in skipped) == ["report.pdf", "story.txt.gz"]
    errors = [k for k in CORPUS if k.error and k not in skipped]
    failed = [s for s in doc["sources"] if s["status"] in ("failed", "duplicate")]
    assert len(failed) == len(errors)  # one line per bad input, the directory loop included
    (line,) = [line for line in r.stderr.splitlines() if line.startswith("skipped 2 files")]
    assert "report.pdf" in line and "story.txt.gz" in line
    assert [s["error"] for s in doc["sources"] if s["status"] == "duplicate"] == [
        f"same text as {root / 'good.txt'}: briefed once, not twice"]  # reported, and not a failure
    assert all("\n" not in s["error"] for s in failed)
    stderr_lines = [line for line in r.stderr.splitlines() if line.startswith("summarizer: ")]
    assert len(stderr_lines) == len(failed)
    ok = {s["id"] for s in doc["sources"] if s["status"] == "ok"}
    assert {"good", "fr", "ar", "oneline", "list", "latin1", "bidi"} <= ok
    homs = [e for e in doc["events"] if e["killed"]["claims"]]
    assert homs and homs[0]["killed"]["best"] == 46


def test_whole_corpus_as_a_batch_cluster(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    root = _corpus_dir(tmp_path)
    root.rename(inbox / "corpus")
    (inbox / "clean").mkdir()
    (inbox / "clean" / "homs.txt").write_text(GOOD + "Second copy line.\n", encoding="utf-8")
    result = batch.run(inbox, tmp_path / "out", Settings(strategy="whole", concurrency=2), backend=ScriptedBackend())
    assert result.exit_code == 3
    m = Manifest.load(tmp_path / "out")
    assert m.clusters["clean"].state == "done" and m.clusters["corpus"].state == "partial"
    bad = [a for a in m.clusters["corpus"].articles if a.status != "ok"]
    assert len(bad) >= 23 and all(a.error and "\n" not in a.error and a.stage == "load" for a in bad)
    json.loads((tmp_path / "out" / "corpus.json").read_text())


def test_batch_jsonl_duplicates_and_stray_files_are_reported(tmp_path):
    line = {"cluster_id": "homs", "articles": [{"id": "a", "text": GOOD}, {"id": "b", "text": GOOD}]}
    src = tmp_path / "clusters.jsonl"
    src.write_text(json.dumps(line) + "\n{broken\n", encoding="utf-8")
    result = batch.run(src, tmp_path / "out", Settings(strategy="whole"), backend=ScriptedBackend())
    m = Manifest.load(tmp_path / "out")
    assert [(a.id, a.status) for a in m.clusters["homs"].articles][0] == ("a", "ok")
    assert any("same text as" in (a.error or "") for a in m.clusters["homs"].articles)
    assert result.run.input_errors == ["clusters.jsonl:2: not valid JSON (Expecting property name enclosed in "
                                       "double quotes)"]
    inbox = tmp_path / "inbox"
    (inbox / "homs").mkdir(parents=True)
    (inbox / "homs" / "a.txt").write_text(GOOD, encoding="utf-8")
    (inbox / "stray.txt").write_text(GOOD, encoding="utf-8")
    result = batch.run(inbox, tmp_path / "out2", Settings(strategy="whole"), backend=ScriptedBackend())
    # A stray file loses nothing a cluster needs: reported as a warning, and cron still sees exit 0.
    assert result.exit_code == 0 and result.run.input_errors == [] and len(result.run.warnings) == 1
    assert "stray.txt: not inside a cluster folder" in result.run.warnings[0]
    assert "warning: " in status_text(Manifest.load(tmp_path / "out2"), tmp_path / "out2")


def test_stdin_empty_and_too_large():
    assert "empty" in str(load_many(["-"], stdin=io.BytesIO(b"")).errors[0])
    big = load_many(["-"], stdin=io.BytesIO(b"x" * 500), max_chars=100)  # under the byte cap, over the limit
    assert big.articles == [] and "500 characters is over the limit of 100" in str(big.errors[0])
    endless = load_many(["-"], stdin=io.BytesIO(b"x" * 5000), max_chars=100)  # read no further than the cap
    assert endless.articles == [] and "more than 1,424 bytes on stdin" in str(endless.errors[0])


def test_sentence_strategy_asks_about_a_huge_line_in_pieces():
    line = " ".join(f"Police said {i} people were killed in Town{i}" for i in range(2000))  # one 'sentence'
    be = FakeBackend(default={"killed": None, "injured": None, "place": None, "claimed_by": None})
    extract(make_article(line, id="oneline"), be, Settings())
    shown = [r.messages[-1]["content"] for r in be.history]
    assert len(shown) > 50 and max(len(s) for s in shown) <= len("Sentence: ") + MAX_SENTENCE_CHARS


def test_an_article_at_the_limit_loads_and_splits():
    """1,000,000 characters of real prose. Sentence splitting used to be quadratic here (minutes)."""
    seed = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt")))
    prose = (seed * (1_000_000 // len(seed) + 1))[:1_000_000]
    article = make_article(prose, id="limit")
    assert len(article.text) == 1_000_000 and len(split_sentences(article.text)) > 5000
    assert len(chunks(article, 6000 * CHARS_PER_TOKEN)) >= 40
