"""Prompt files: ``prompts/<name>.md`` with a version in their front matter.

Format: a ``---``-fenced header with ``name`` and ``version``, then turns headed ``## system``,
``## user``, ``## assistant``. The last user turn holds ``{{placeholders}}``. The fixed part
comes first and is identical across calls, so llama.cpp reuses its KV cache for it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import PromptError

_TURN = re.compile(r"^## (system|user|assistant)\s*$", re.M)


def default_dir() -> Path:
    packaged = Path(__file__).parent / "prompts"  # wheels carry a copy here
    return packaged if packaged.is_dir() else Path(__file__).parents[2] / "prompts"  # a source tree


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    turns: tuple[tuple[str, str], ...]
    digest: str

    @property
    def tag(self) -> str:
        """What enters cache keys and the run block: name, version and content hash."""
        return f"{self.name}@{self.version}+{self.digest[:8]}"

    def render(self, **values: str) -> list[dict[str, str]]:
        messages = []
        for role, content in self.turns:
            for key, value in values.items():
                content = content.replace("{{" + key + "}}", value)
            messages.append({"role": role, "content": content})
        return messages


def load(name: str, directory: Path | None = None) -> Prompt:
    path = (directory or default_dir()) / f"{name}.md"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise PromptError(f"prompt file {path} is missing: reinstall the package or pass --prompts-dir") from exc
    # Keyed by mtime so a long-lived process (a library user, a service) sees an edited prompt,
    # and with it a new tag: cached extractions made with the old one are not reused.
    return _parse(name, path, stamp)


@cache
def _parse(name: str, path: Path, stamp: int) -> Prompt:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"prompt file {path} is missing: reinstall the package or pass --prompts-dir") from exc
    m = re.match(r"---\n(.*?)\n---\n", raw, re.S)
    if not m:
        raise PromptError(f"{path}: expected a '---' header with name and version")
    header = dict(line.split(":", 1) for line in m.group(1).splitlines() if ":" in line)
    version = header.get("version", "").strip()
    if not version:
        raise PromptError(f"{path}: the header has no version")
    body = raw[m.end():]
    parts = _TURN.split(body)
    turns = tuple((parts[i], parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2))
    if not turns or turns[0][0] != "system" or turns[-1][0] != "user":
        raise PromptError(f"{path}: turns must start with '## system' and end with '## user'")
    return Prompt(
        name=header.get("name", name).strip(),
        version=version,
        turns=turns,
        digest=hashlib.sha256(raw.encode()).hexdigest(),
    )
