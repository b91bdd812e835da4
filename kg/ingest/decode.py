"""Decoding: bytes -> text (UTF-8 ± BOM, UTF-16 with or without BOM, GB18030, then charset-normalizer);
:class:`SourceText`, what every reader returns."""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from kg.errors import IngestError

__all__ = ["SourceText", "decode_bytes", "page_of"]

#: control characters other than \r \n \t \f, and the private use area: rare in any text
_NOT_TEXTUAL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff]")
_PLAUSIBLE = re.compile(
    r"[\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e\x20-\x7e\n\r\t\u00b7\u2014\u2018\u2019\u201c\u201d\u2026]"
)


@dataclass(frozen=True)
class SourceText:
    """A decoded document: its original text, encoding and media type.

    For PDF, DOCX and HTML `text` is the extracted text (see :mod:`kg.ingest.registry`); `pages` holds the
    start offset of every PDF page in it (:func:`page_of`), and `metadata` what a web page says of itself
    (date, url).
    """

    path: str
    text: str
    encoding: str
    media_type: str
    pages: tuple[int, ...] = ()
    metadata: dict = field(default_factory=dict, hash=False, compare=False)


def page_of(pages: tuple[int, ...] | list[int], offset: int) -> int | None:
    """1-based page number of a character offset, given the start offset of every page."""
    if not pages:
        return None
    return max(1, bisect_right(pages, offset))


def decode_bytes(data: bytes, *, path: str = "<bytes>") -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 or GB18030; return (text, encoding)."""
    if not data:
        raise IngestError.empty(path)
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        # UTF-16 without a BOM whose bytes are all below 0x80 (一七万三上下… are 0x4E00-0x4E7F) is valid
        # UTF-8 full of NULs and control characters, which no text has
        guess = _guess_utf16(data) if "\x00" in text or not _looks_textual(text[:4096]) else None
        return (_strict(data, guess, path), guess) if guess else (text, "utf-8")
    guess = _guess_utf16(data)
    if guess:
        return _strict(data, guess, path), guess
    if b"\x00" in data[:4096]:
        raise IngestError.binary(path)
    try:
        gb_text: str | None = data.decode("gb18030")
    except UnicodeDecodeError:
        gb_text = None
    if gb_text is not None and _looks_textual(gb_text):
        return gb_text, "gb18030"
    best = _charset_normalizer_guess(data)
    if best is not None:
        return best
    at = utf8_error.start
    line = data.count(b"\n", 0, at) + 1
    raise IngestError.undecodable(path, f"invalid UTF-8 byte 0x{data[at]:02x} at byte {at:,}, line {line}")


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError.undecodable(path, f"{encoding}: {exc.reason} at byte {exc.start}") from None


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 LE or BE without a BOM: the byte order whose reading is mostly CJK, ASCII and punctuation.

    Read in the wrong order ASCII becomes U+xx00 characters (A -> U+4100) and CJK becomes rare or
    unassigned code points, so each such character counts against its reading.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    best, best_score = None, 0.5
    for enc in ("utf-16-le", "utf-16-be"):
        text = sample.decode(enc, errors="replace")
        wrong = sum(1 for ch in text if ord(ch) > 0x7F and not ord(ch) & 0xFF)
        score = (len(_PLAUSIBLE.findall(text)) - wrong) / len(text)
        if score > best_score:
            best, best_score = enc, score
    return best


def _looks_textual(text: str) -> bool:
    if not text:
        return False
    bad = len(_NOT_TEXTUAL.findall(text))
    return bad <= len(text) * 0.01


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        return None
    text = str(match)
    return (text, match.encoding) if _looks_textual(text) else None
