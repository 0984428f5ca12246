"""summarizer: several news articles about one event -> one cited briefing.

    from summarizer import Settings, brief, extract
    briefing = brief(["path/to/cluster"], Settings.from_env())
    print(briefing.events[0].killed.model_dump())
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from .errors import ConfigError, RuntimeFailure, SummarizerError
from .pipeline import brief, brief_articles, extract, extract_articles
from .schemas import ArticleExtraction, Briefing, Citation
from .settings import Settings

__all__ = [
    "ArticleExtraction",
    "Briefing",
    "Citation",
    "ConfigError",
    "RuntimeFailure",
    "Settings",
    "SummarizerError",
    "brief",
    "brief_articles",
    "extract",
    "extract_articles",
]
try:  # one version, pyproject's; it enters every cache key
    __version__ = _version("summarizer")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
