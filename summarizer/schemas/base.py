"""What every schema shares: the versions in output and in cache keys, and the base of every record."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = "1"  # the briefing's JSON
# An extraction's JSON, in the cache key: records without the context merging reads are re-grounded.
EXTRACTION_SCHEMA_VERSION = "2"


def _prose_only(schema: dict[str, Any]) -> None:
    """A class's docstring is its schema description, less the runnable examples (``>>>``), which
    are for readers of the code (and tested), not for consumers of the JSON."""
    text = schema.get("description")
    if isinstance(text, str) and ">>>" in text:
        schema["description"] = text[:text.index(">>>")].rstrip()


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_prose_only)
