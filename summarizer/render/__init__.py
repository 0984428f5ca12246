"""Output: Markdown, JSON and the HTML report."""
