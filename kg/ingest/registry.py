"""The reader registry: one reader per media type, found by file suffix (as rdflib's plugin registry).

A format module registers its reader when it is imported::

    register("application/pdf", (".pdf",), read_pdf, max_bytes=256 * 2**20)

A reader takes ``(path, data)`` and returns a :class:`~kg.ingest.decode.SourceText`;
:func:`kg.ingest.source.read_source` checks sizes and emptiness around it. A later registration of a
suffix replaces the earlier one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kg.ingest.decode import SourceText

__all__ = [
    "PARAGRAPH_BREAK",
    "Extracted",
    "Format",
    "Reader",
    "extracted_source",
    "formats",
    "lookup",
    "register",
    "suffixes",
]

#: what separates paragraphs in extracted text
PARAGRAPH_BREAK = "\n\n"
#: a reader: (path, the file's bytes) -> the decoded or extracted text
Reader = Callable[[str, bytes], SourceText]


@dataclass(frozen=True)
class Format:
    """A registered format: its media type, the suffixes it is read for, its reader and its byte limit.

    `max_bytes` None means the plain-text limit (four bytes a character of the longest text accepted).
    """

    media_type: str
    suffixes: tuple[str, ...]
    read: Reader
    max_bytes: int | None = None


@dataclass(frozen=True)
class Extracted:
    """Text extracted from a binary or marked-up document, the start offset of every page, metadata."""

    text: str
    pages: tuple[int, ...] = ()
    metadata: dict = field(default_factory=dict, hash=False)


_BY_SUFFIX: dict[str, Format] = {}


def register(media_type: str, suffixes: tuple[str, ...], reader: Reader, *, max_bytes: int | None = None) -> Format:
    """Read files with these suffixes (lower case, with the dot) with `reader`, as `media_type`."""
    entry = Format(media_type, tuple(s.lower() for s in suffixes), reader, max_bytes)
    for suffix in entry.suffixes:
        _BY_SUFFIX[suffix] = entry
    return entry


def lookup(suffix: str) -> Format | None:
    """The format registered for a suffix (any case), or None."""
    return _BY_SUFFIX.get(suffix.lower())


def formats() -> tuple[Format, ...]:
    """Every registered format, in order of registration."""
    return tuple(dict.fromkeys(_BY_SUFFIX.values()))


def suffixes() -> tuple[str, ...]:
    """Every registered suffix, in order of registration."""
    return tuple(_BY_SUFFIX)


def extracted_source(path: str, out: Extracted, media_type: str, *, encoding: str = "") -> SourceText:
    """A :class:`SourceText` for extracted text (`encoding` is that of the markup, "" for binary formats)."""
    return SourceText(path, out.text, encoding, media_type, pages=out.pages, metadata=dict(out.metadata))
