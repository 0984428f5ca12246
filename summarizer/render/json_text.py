"""The briefing as JSON (``schemas/briefing.json``)."""

from __future__ import annotations

from ..schemas import Briefing


def to_json(b: Briefing) -> str:
    return b.model_dump_json(indent=2) + "\n"
