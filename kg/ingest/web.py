"""Saved web pages (`.html`, `.htm`): the main article (trafilatura), its publication date and URL.

When trafilatura finds no article the whole page is reduced to text by :func:`kg.ingest.markup.html_to_text`.
"""

from __future__ import annotations

import re

from kg.errors import IngestError
from kg.ingest.decode import SourceText, decode_bytes
from kg.ingest.markup import html_to_text
from kg.ingest.registry import Extracted, extracted_source, register

__all__ = ["HTML_MEDIA_TYPE", "html_extract", "read_html"]

HTML_MEDIA_TYPE = "text/html"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


def html_extract(markup: str) -> Extracted:
    """The main article of a saved web page (trafilatura), with its publication date and URL."""
    text = None
    metadata: dict = {}
    try:
        import trafilatura

        text = trafilatura.extract(markup, include_comments=False, include_tables=True, favor_precision=True)
        meta = trafilatura.extract_metadata(markup, extensive=False)
    except Exception:  # trafilatura failing on odd markup means: use the plain reduction
        text, meta = None, None
    if meta is not None:
        if meta.date and _DATE.fullmatch(meta.date):
            metadata["date"] = meta.date
        if meta.url and _URL.fullmatch(meta.url):
            metadata["url"] = meta.url
    if not text or not text.strip():
        return Extracted(html_to_text(markup), (), metadata)
    lines = [ln.strip() for ln in text.splitlines()]
    return Extracted("\n".join(ln for ln in lines if ln) + "\n", (), metadata)


def read_html(path: str, data: bytes) -> SourceText:
    """The article of a web page's bytes, decoded as a text file is (UTF-8/16, GB18030 …)."""
    markup, encoding = decode_bytes(data, path=path)
    if "\x00" in markup:
        raise IngestError.binary(path)
    return extracted_source(path, html_extract(markup), HTML_MEDIA_TYPE, encoding=encoding)


register(HTML_MEDIA_TYPE, (".html", ".htm"), read_html, max_bytes=32 * 2**20)
