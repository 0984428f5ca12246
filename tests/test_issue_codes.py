"""Reason codes are given where an issue is raised, never read back from the message (issue 11)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from summarizer.grounding import issues

PACKAGE = Path(__file__).resolve().parent.parent / "summarizer"


def _issue_calls(tree: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and (getattr(n.func, "id", None) in ("issue", "coded_issue")
                 or getattr(n.func, "attr", None) == "issue")]


def _code_of(call: ast.Call) -> ast.expr | None:
    """``issue(..., code=...)``, or grounding's ``coded_issue(code, ...)`` (the code first)."""
    if getattr(call.func, "id", None) == "coded_issue":
        return call.args[0] if call.args else None
    return next((k.value for k in call.keywords if k.arg == "code"), None)


def test_every_issue_raised_in_the_package_names_its_code():
    seen = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "issues.py":
            continue
        for call in _issue_calls(ast.parse(path.read_text())):
            seen += 1
            code = _code_of(call)
            assert code is not None, f"{path.name}:{call.lineno}: an issue without its code"
            if isinstance(code, ast.Constant):
                assert code.value in issues.CODES, f"{path.name}:{call.lineno}: unknown code {code.value!r}"
    assert seen >= 20  # grounding.py's and merge.py's


def test_rewording_a_message_keeps_its_code():
    a = issues.issue("casualty", "killed", 150, "'150' does not occur in the cited text", code="not_in_text")
    b = issues.issue("casualty", "killed", 150, "no 150 anywhere near here", code="not_in_text")
    assert a.code == b.code == "not_in_text"
    # A phrase the old matcher keyed on no longer decides anything.
    c = issues.issue("statement", "quote", "x", "counts things; quote does not match", code="quote_not_in_marks")
    assert c.code == "quote_not_in_marks"


def test_an_unknown_code_is_refused():
    with pytest.raises(ValueError, match="unknown issue code"):
        issues.issue("event", "kind", "x", "why", code="no_such_code")  # type: ignore[arg-type]
