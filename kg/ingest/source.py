"""Reading a document file: its bytes, refused early when they cannot be a document, then its text through
the reader that :mod:`kg.ingest.registry` holds for its suffix, within the size limits.

Importing this module registers the built-in readers (plain text, web pages, PDF, DOCX).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kg.errors import IngestError
from kg.ingest import docx, pdf, plain, web
from kg.ingest.decode import SourceText
from kg.ingest.registry import lookup, suffixes

__all__ = ["BUILTIN_READERS", "MAX_CHARS", "SUPPORTED_SUFFIXES", "file_kind", "read_file_bytes", "read_source"]

#: the modules of the built-in readers (each registers its formats when imported)
BUILTIN_READERS = (plain, web, pdf, docx)
#: the suffixes of the built-in readers
SUPPORTED_SUFFIXES = suffixes()
#: the longest document text accepted (spaCy's default `max_length`; a policy document is ~10,000)
MAX_CHARS = 1_000_000
#: plain text cannot need more than 4 bytes a character; a format with markup, fonts and images registers
#: its own byte limit (web pages 32 MiB, PDF and DOCX 256 MiB)
_MAX_TEXT_BYTES = 4 * MAX_CHARS


def read_source(path: str | Path, data: bytes | None = None) -> SourceText:
    """Read and decode a `.txt`, `.md`, `.html`, `.pdf` or `.docx` document (any registered suffix)."""
    path = Path(path)
    suffix = path.suffix.lower()
    fmt = lookup(suffix)
    if fmt is None:
        raise IngestError.unsupported(str(path), suffix)
    limit = _byte_limit(suffix)
    if data is None:
        data = read_file_bytes(path)
    if len(data) > limit:
        raise IngestError.too_large(str(path), len(data), limit, "bytes")
    if not data:
        raise IngestError.empty(str(path))
    source = fmt.read(str(path), data)
    if not source.text.strip():
        raise IngestError.empty(str(path))
    if len(source.text) > MAX_CHARS:
        raise IngestError.too_large(source.path, len(source.text), MAX_CHARS, "characters")
    return source


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
    limit = _byte_limit(path.suffix)
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


def _byte_limit(suffix: str) -> int:
    fmt = lookup(suffix)
    return fmt.max_bytes if fmt is not None and fmt.max_bytes is not None else _MAX_TEXT_BYTES
