"""The package layout follows the pipeline (issue 11): imports run one way, against the flow never.

Stages, in flow order: ``language`` (plain-text tools) → ``ingest`` → ``grounding`` → ``extraction``
→ ``merge`` → ``narrative`` → ``render``; above them the extraction ``cache``, ``pipeline`` and
``check``, then ``batch`` and its peer ``stories``, then ``cli`` and the package's public API. A
module may import its own stage, any stage below it, and the shared vocabulary (``FOUNDATION``). Extraction sits above
grounding in the code because it grounds every answer inside the model call (the re-ask
validators), so ``extraction`` imports ``grounding``, never the other way round.

``backends`` (the model layer) is imported only by ``BACKEND_USERS``: merge, grounding and render
never reach the model. Every import counts, lazy ones inside functions and ``TYPE_CHECKING`` ones
included. The few arrows that run the other way are listed in ``EXCEPTIONS``, each with why.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "summarizer"

STAGES = ["language", "ingest", "grounding", "extraction", "merge", "narrative", "render",
          "cache", "pipeline", "check", "batch", "stories", "cli", "summarizer"]
RANK = {name: i for i, name in enumerate(STAGES)}
RANK.update({"pipeline": RANK["check"], "cli": RANK["summarizer"],  # peers: neither imports the other
             "testing": RANK["summarizer"]})  # the fake backend for tests and examples: imported by no stage
RANK.update({"stories": RANK["batch"]})  # peers: a stream of stories beside a batch of clusters
# The shared vocabulary: anyone may import these; they import only each other (and the
# exceptions below). ``language`` may import only lexicon, errors and schemas of them.
FOUNDATION = {"lexicon", "errors", "schemas", "settings", "control", "files", "logs"}
LANGUAGE_MAY_USE = {"lexicon", "errors", "schemas"}
BACKEND_USERS = ("extraction", "narrative.writer", "pipeline", "batch", "cli", "testing", "stories")

# (importer, imported): why this arrow runs against the flow.
EXCEPTIONS = {
    ("merge.events", "narrative.template"):
        "the deterministic paragraph (pure: schemas and words) is every briefing's fallback; "
        "the model-written one (narrative.writer) is the pipeline's call",
    ("errors", "language.chars"): "redaction strips the invisible characters language.chars names (a leaf module)",
    ("settings", "backends"): "Settings checks a model's provider prefix against the registered backends (lazily)",
    ("summarizer", "backends"): "the public API: get_backend, register_backend",
}


def _group(module: str) -> str:
    """The stage (or foundation module) of ``summarizer.x.y``: ``x``; the package itself: ``summarizer``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "summarizer"


def _local(module: str) -> str:
    return module.split(".", 1)[1] if "." in module else "summarizer"


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = PACKAGE) -> dict[str, set[tuple[str, int]]]:
    """Every module's internal imports: ``{importer: {(imported, line)}}``, dotted from ``summarizer``."""
    graph: dict[str, set[tuple[str, int]]] = {}
    for path in sorted(root.rglob("*.py")):
        name = _module_name(path, root)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        edges = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                # ``from pkg import sub`` names a module when ``sub`` is a file or folder in ``pkg``
                targets = []
                for a in node.names:
                    if a.name == "__version__":
                        continue  # the installed version, for cache keys: no code of the package's own
                    sub = root.parent.joinpath(*f"{mod}.{a.name}".split("."))
                    targets.append(f"{mod}.{a.name}" if sub.with_suffix(".py").exists() or sub.is_dir() else mod)
            else:
                continue
            edges.update((t, node.lineno) for t in targets if t == "summarizer" or t.startswith("summarizer."))
    return graph


def _excepted(importer: str, imported: str) -> bool:
    return any(importer.startswith(a) and imported.startswith(b) for a, b in EXCEPTIONS)


def violations(graph: dict[str, set[tuple[str, int]]]) -> list[str]:
    """Each import against the flow, as ``importer:line -> imported: why``."""
    out = []
    for importer, edges in graph.items():
        src, frm = _group(importer), _local(importer)
        for imported, line in sorted(edges):
            dst, to = _group(imported), _local(imported)
            why = None
            if src == dst or _excepted(frm, to):
                continue
            if dst == "backends":
                if not frm.startswith(BACKEND_USERS):
                    why = "only extraction, narrative.writer, pipeline, batch, cli and testing reach the model layer"
            elif src == "language" and dst not in LANGUAGE_MAY_USE:
                why = "language imports no stage, only lexicon, errors and schemas"
            elif dst in FOUNDATION:
                continue
            elif src in FOUNDATION:
                why = f"{src} is shared vocabulary: it imports no stage"
            elif src == "backends":
                why = "backends import no stage"
            elif dst not in RANK or src not in RANK:
                why = f"unknown part of the package ({dst if dst not in RANK else src}): add it to STAGES"
            elif RANK[dst] >= RANK[src]:
                why = f"{src} comes before {dst} in the flow"
            if why:
                out.append(f"{frm}:{line} -> {to}: {why}")
    return sorted(out)


def test_imports_follow_the_flow():
    found = violations(import_graph())
    assert found == [], "imports against the flow:\n" + "\n".join(found)


def test_every_exception_is_still_needed():
    graph = import_graph()
    used = {(a, b) for a, b in EXCEPTIONS
            if any(_local(m).startswith(a) and _local(t).startswith(b) for m, es in graph.items() for t, _ in es)}
    assert used == set(EXCEPTIONS)


def test_every_part_of_the_package_has_a_place():
    groups = {_group(m) for m in import_graph()}
    assert groups <= set(RANK) | FOUNDATION | {"backends"}


def _graph(*edges: tuple[str, str]) -> dict[str, set[tuple[str, int]]]:
    graph: dict[str, set[tuple[str, int]]] = {}
    for a, b in edges:
        graph.setdefault(f"summarizer.{a}", set()).add((f"summarizer.{b}", 1))
    return graph


def test_an_arrow_against_the_flow_fails():
    assert violations(_graph(("extraction.strategies", "grounding.scope"), ("merge.events", "language.sentences"),
                             ("batch.runner", "pipeline"), ("narrative.writer", "backends"))) == []
    assert violations(_graph(("grounding.scope", "merge.actors"))) == [
        "grounding.scope:1 -> merge.actors: grounding comes before merge in the flow"]
    assert violations(_graph(("language.sentences", "ingest.article"))) == [
        "language.sentences:1 -> ingest.article: language imports no stage, only lexicon, errors and schemas"]
    assert violations(_graph(("render.report", "backends"))) == [
        "render.report:1 -> backends: only extraction, narrative.writer, pipeline, batch, cli and testing "
        "reach the model layer"]
    assert violations(_graph(("merge.events", "narrative.writer")))[0].startswith(
        "merge.events:1 -> narrative.writer: merge comes before narrative")
    assert violations(_graph(("pipeline", "batch.runner")))[0].endswith("pipeline comes before batch in the flow")
    assert violations(_graph(("schemas", "grounding.kinds")))[0].endswith(
        "schemas is shared vocabulary: it imports no stage")


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles (strongly connected groups of two or more modules), Tarjan's way."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_circle_crosses_a_stage_but_through_a_listed_exception():
    """A circle inside one stage (a package and its modules) is that stage's business; one across
    stages closes only through an arrow ``EXCEPTIONS`` lists (today: settings asking the backend
    registry which providers exist). The schemas no longer import the renderers."""
    graph = {k: {m for m, _ in v} for k, v in import_graph().items()}
    for group in _circles(graph):
        stages = {_group(m) for m in group}
        if len(stages) == 1:
            continue
        crossing = {(_local(a), _local(b)) for a in group for b in graph[a] & set(group) if _group(a) != _group(b)}
        assert crossing & set(EXCEPTIONS), f"an import circle crosses stages: {sorted(crossing)}"
    assert not any({"summarizer.schemas", "summarizer.render.markdown"} <= set(g) for g in _circles(graph))
