"""HTML markup -> plain text (blocks on their own lines); see :mod:`kg.ingest.web` for whole pages."""

from __future__ import annotations

import html
import re

__all__ = ["html_to_text"]

_BLOCK_TAGS = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|header|footer|blockquote|pre|title)\b[^>]*>",
    re.I,
)
_DROP_BLOCKS = re.compile(r"<(script|style|noscript|template|svg)\b.*?</\1\s*>", re.I | re.S)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML page: scripts and styles dropped, blocks on their own lines."""
    from bs4 import BeautifulSoup

    markup = _DROP_BLOCKS.sub(" ", markup)
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "svg", "head"]):
        tag.decompose()
    for tag in soup.find_all(True):
        if _BLOCK_TAGS.match(f"<{tag.name}>"):
            tag.insert_before("\n")
            tag.insert_after("\n")
    text = html.unescape(soup.get_text())
    lines = [ln.strip() for ln in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
