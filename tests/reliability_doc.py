"""Writes a section of docs/reliability.md from a test, so the document's figures stay true."""

from __future__ import annotations

import fcntl
import re
from pathlib import Path

__all__ = ["markdown_table", "write_section"]

DOC = Path(__file__).resolve().parents[1] / "docs" / "reliability.md"


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    """A Markdown table; cells are str()-ed and their pipes escaped."""

    def line(cells) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

    return "\n".join([line(header), line(["---"] * len(header)), *(line(r) for r in rows)])


def write_section(name: str, body: str) -> None:
    """Replace the text between `<!-- begin:name -->` and `<!-- end:name -->` (the markers must exist)."""
    with open(DOC.with_suffix(".lock"), "w") as lock:  # tests may run in parallel processes
        fcntl.flock(lock, fcntl.LOCK_EX)
        text = DOC.read_text(encoding="utf-8")
        pattern = re.compile(rf"(<!-- begin:{re.escape(name)} -->\n).*?(\n<!-- end:{re.escape(name)} -->)", re.S)
        if not pattern.search(text):
            raise KeyError(f"docs/reliability.md has no section {name!r}")
        new = pattern.sub(lambda m: m.group(1) + body.strip() + m.group(2), text)
        if new != text:
            DOC.write_text(new, encoding="utf-8")
