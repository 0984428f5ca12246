"""Output: Markdown, JSON and the HTML report (``Briefing.to_markdown()``, ``to_json()``,
``to_html()`` call these; the package wires them)."""
