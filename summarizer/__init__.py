"""summarizer: several news articles about one event -> one cited briefing.

    import summarizer
    briefing = summarizer.brief(["path/to/cluster/", "Text of an article held in memory …"],
                                model="ollama/qwen2.5:7b", base_url="http://localhost:11434/v1")
    print(briefing.to_markdown())

``brief`` takes paths, strings of article text, ``Article``s (``summarizer.text(...)``) or dicts
like JSONL records; ``model=`` a model string or a backend object (``get_backend``,
``register_backend``, or one you write: ``Backend``, ``Request``, ``Reply``); any other keyword is
a ``Settings`` field. ``extract`` takes the same inputs and gives each article's grounded records
without merging. The library logs to the ``summarizer`` logger and leaves handlers to its caller
(``logging.basicConfig(level=logging.INFO)``, or the CLI's ``--verbose``).
"""

import logging as _logging
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from .backends import Backend, Reply, Request, get_backend, register_backend
from .errors import ConfigError, RuntimeFailure, SummarizerError
from .ingest.article import Article
from .ingest.load import text
from .pipeline import brief, extract, load
from .schemas import ArticleExtraction, Briefing, Citation
from .settings import Settings


# ``Briefing.to_markdown()``, ``to_json()``, ``to_html()``: the package wires the renderers to the
# records (the schemas know nothing of render/), each imported on first use: ``import summarizer``
# stays light.
def _markdown(b: Briefing) -> str:
    from .render.markdown import to_markdown

    return to_markdown(b)


def _json(b: Briefing) -> str:
    from .render.json_text import to_json

    return to_json(b)


def _html(b: Briefing, articles: object) -> str:
    from .render.report import to_html

    return to_html(b, articles)  # type: ignore[arg-type]


Briefing.renderers.update(markdown=_markdown, json=_json, html=_html)

# A library logs and lets its caller decide where records go: without this handler, Python's
# last-resort handler would print WARNING records to stderr of every program that imports us.
_logging.getLogger(__name__).addHandler(_logging.NullHandler())

__all__ = [
    "Article",
    "ArticleExtraction",
    "Backend",
    "Briefing",
    "Citation",
    "ConfigError",
    "Reply",
    "Request",
    "RuntimeFailure",
    "Settings",
    "SummarizerError",
    "brief",
    "extract",
    "get_backend",
    "load",
    "register_backend",
    "text",
]
try:  # one version, pyproject's; it enters every cache key
    __version__ = _version("summarizer")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
