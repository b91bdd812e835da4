"""Ingest: document files -> decoded or extracted text (:class:`SourceText`), one reader per media type.

:func:`read_source` picks the reader by suffix from :mod:`kg.ingest.registry`; the built-in readers are
:mod:`~kg.ingest.plain` (`.txt`, `.md`), :mod:`~kg.ingest.web` (`.html`, `.htm`), :mod:`~kg.ingest.pdf`
and :mod:`~kg.ingest.docx`. A new format is one module that calls :func:`register` (docs/formats.md).
"""

from __future__ import annotations

from kg.ingest.decode import SourceText, decode_bytes, page_of
from kg.ingest.docx import DOCX_MEDIA_TYPE, docx_to_text
from kg.ingest.docx_numbering import format_number
from kg.ingest.markup import html_to_text
from kg.ingest.pdf import PDF_MEDIA_TYPE, pdf_to_text
from kg.ingest.plain import MARKDOWN_MEDIA_TYPE, PLAIN_MEDIA_TYPE
from kg.ingest.registry import PARAGRAPH_BREAK, Extracted, Format, Reader, formats, lookup, register, suffixes
from kg.ingest.source import MAX_CHARS, SUPPORTED_SUFFIXES, file_kind, read_file_bytes, read_source
from kg.ingest.web import HTML_MEDIA_TYPE, html_extract

__all__ = [
    "DOCX_MEDIA_TYPE",
    "HTML_MEDIA_TYPE",
    "MARKDOWN_MEDIA_TYPE",
    "MAX_CHARS",
    "PARAGRAPH_BREAK",
    "PDF_MEDIA_TYPE",
    "PLAIN_MEDIA_TYPE",
    "SUPPORTED_SUFFIXES",
    "Extracted",
    "Format",
    "Reader",
    "SourceText",
    "decode_bytes",
    "docx_to_text",
    "file_kind",
    "format_number",
    "formats",
    "html_extract",
    "html_to_text",
    "lookup",
    "page_of",
    "pdf_to_text",
    "read_file_bytes",
    "read_source",
    "register",
    "suffixes",
]
