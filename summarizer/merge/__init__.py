"""Merging grounded records across articles into one briefing: actors, places, events, tallies, statements."""
