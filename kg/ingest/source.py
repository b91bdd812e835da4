"""Ingest: bytes -> decoded original text -> normalised matching text with an offset map.

Every later stage matches on :attr:`NormalizedText.text` and reports offsets through
:meth:`NormalizedText.to_original`, so offsets always point into the decoded original.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kg.errors import IngestError
from kg.ingest.decode import SourceText, decode_bytes
from kg.ingest.markup import html_to_text
from kg.text.normalize import DOT, NormalizedText, normalize

__all__ = [
    "DOT",
    "MAX_CHARS",
    "SUPPORTED_SUFFIXES",
    "NormalizedText",
    "SourceText",
    "decode_bytes",
    "file_kind",
    "html_to_text",
    "normalize",
    "read_file_bytes",
    "read_source",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
#: the longest document text accepted (spaCy's default `max_length`; a policy document is ~10,000)
MAX_CHARS = 1_000_000
#: files larger than this are refused before they are read: plain text cannot need more than
#: 4 bytes a character; a web page or a PDF carries markup, fonts and images besides its text
_MAX_BYTES = {".html": 32 * 2**20, ".htm": 32 * 2**20, ".pdf": 256 * 2**20, ".docx": 256 * 2**20}
_MAX_TEXT_BYTES = 4 * MAX_CHARS


def read_source(path: str | Path, data: bytes | None = None) -> SourceText:
    """Read and decode a `.txt`, `.md`, `.html`, `.pdf` or `.docx` document (see :mod:`kg.ingest.formats`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError.unsupported(str(path), suffix)
    limit = _MAX_BYTES.get(suffix, _MAX_TEXT_BYTES)
    if data is None:
        data = read_file_bytes(path)
    if len(data) > limit:
        raise IngestError.too_large(str(path), len(data), limit, "bytes")
    if suffix in (".pdf", ".docx", ".html", ".htm"):
        from kg.ingest.formats import read_document

        return _checked_length(read_document(path, data))
    text, encoding = decode_bytes(data, path=str(path))
    if "\x00" in text:
        raise IngestError.binary(str(path))
    if not text.strip():
        raise IngestError.empty(str(path))
    media = "text/markdown" if suffix in (".md", ".markdown") else "text/plain"
    return _checked_length(SourceText(str(path), text, encoding, media))


_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words ("a named pipe" …), for messages."""
    return next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")


def read_file_bytes(path: str | Path) -> bytes:
    """The bytes of a document file, refused with a one-line :class:`IngestError` when it is not a
    regular file (a pipe, device or folder is never opened: reading a FIFO blocks for ever), when it
    is a broken symbolic link, or when it is larger than its format's limit."""
    path = Path(path)
    limit = _MAX_BYTES.get(path.suffix.lower(), _MAX_TEXT_BYTES)
    try:
        st = os.stat(path)
    except OSError as exc:
        if os.path.islink(path):
            reason = f"broken symbolic link to {os.readlink(path)}: {exc.strerror or exc}"
            raise IngestError.unreadable(str(path), reason) from None
        raise IngestError.unreadable(str(path), exc.strerror or str(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise IngestError.not_a_file(str(path), file_kind(st.st_mode))
    if st.st_size > limit:
        raise IngestError.too_large(str(path), st.st_size, limit, "bytes")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError.unreadable(str(path), exc.strerror or str(exc)) from None


def _checked_length(source: SourceText) -> SourceText:
    if len(source.text) > MAX_CHARS:
        raise IngestError.too_large(source.path, len(source.text), MAX_CHARS, "characters")
    return source
