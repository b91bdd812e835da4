"""Plain text and Markdown (`.txt`, `.md`, `.markdown`): decoded as they are (see :mod:`kg.ingest.decode`)."""

from __future__ import annotations

from functools import partial

from kg.errors import IngestError
from kg.ingest.decode import SourceText, decode_bytes
from kg.ingest.registry import register

__all__ = ["MARKDOWN_MEDIA_TYPE", "PLAIN_MEDIA_TYPE", "read_plain"]

PLAIN_MEDIA_TYPE = "text/plain"
MARKDOWN_MEDIA_TYPE = "text/markdown"


def read_plain(path: str, data: bytes, *, media_type: str = PLAIN_MEDIA_TYPE) -> SourceText:
    """The decoded text of a plain-text file; a file with NUL characters is refused as binary."""
    text, encoding = decode_bytes(data, path=path)
    if "\x00" in text:
        raise IngestError.binary(path)
    return SourceText(path, text, encoding, media_type)


register(PLAIN_MEDIA_TYPE, (".txt",), read_plain)
register(MARKDOWN_MEDIA_TYPE, (".md", ".markdown"), partial(read_plain, media_type=MARKDOWN_MEDIA_TYPE))
