"""Merging grounded records across articles into one briefing: actors, places, events, tallies,
statements. ``merge(extractions)`` works on the records alone (each carries what grounding read)."""

from .events import merge

__all__ = ["merge"]
