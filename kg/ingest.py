"""Ingest: bytes -> decoded original text -> normalised matching text with an offset map.

Every later stage matches on :attr:`NormalizedText.text` and reports offsets through
:meth:`NormalizedText.to_original`, so offsets always point into the decoded original.
"""

from __future__ import annotations

import codecs
import html
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.errors import IngestError

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
DOT = "·"
_DOT_VARIANTS = "·∙•‧・⋅･"
_SENTENCE_END = set("。！？；：!?;:…”’」』）)】>|")
_CJK = re.compile(r"[\u3400-\u9fff]")
_PLAUSIBLE = re.compile(
    r"[\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e\x20-\x7e\n\r\t\u00b7\u2014\u2018\u2019\u201c\u201d\u2026]"
)
_MARKER_START = re.compile(
    r"^\s*(?:#|\*\*|[-*+>]\s|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、是]"
    r"|\d+\s*[.．、]|[①-⑳]|第[一二三四五六七八九十百]+[条章节部分])"
)
_MIN_BROKEN_LINE = 18
# a line that ends with the name of a kind of document and has no inner punctuation is a title
_TITLE_END = re.compile(r"(?:通知|意见|方案|办法|措施|决定|规划|计划|要点|细则|条例|规定|纲要|指引|公告|通报|批复)\s*$")
_INNER_PUNCT = re.compile(r"[，,。；;、]")


@dataclass(frozen=True)
class SourceText:
    """A decoded document: its original text, encoding and media type.

    For PDF, DOCX and HTML `text` is the extracted text (see :mod:`kg.formats`); `pages` holds the
    start offset of every PDF page in it, and `metadata` what the page says of itself (date, url).
    """

    path: str
    text: str
    encoding: str
    media_type: str
    pages: tuple[int, ...] = ()
    metadata: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class NormalizedText:
    """Matching text plus, for each of its characters, the index of the original character."""

    original: str
    text: str
    offsets: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text to a span of the original."""
        if start >= end:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def original_slice(self, start: int, end: int) -> str:
        """The original text behind a normalised span."""
        s, e = self.to_original(start, end)
        return self.original[s:e]


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
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_textual(text):
        return text, "gb18030"
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
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\r\n\t\f") or "\ue000" <= ch <= "\uf8ff")
    return bad <= len(text) * 0.01


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        return None
    text = str(match)
    return (text, match.encoding) if _looks_textual(text) else None


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


def read_source(path: str | Path, data: bytes | None = None) -> SourceText:
    """Read and decode a `.txt`, `.md`, `.html`, `.pdf` or `.docx` document (see :mod:`kg.formats`)."""
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
        from kg.formats import read_document

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


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s").convert


def _fold_char(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if code == 0x3000 or ch in "\u00a0\u2002\u2003\u2009\u200b\ufeff":
        return " "
    if ch in _DOT_VARIANTS:
        return DOT
    if ch in "—―–－":  # dash variants used in ranges and years
        return "—"
    return ch


def _convert_t2s(text: str) -> str:
    """Traditional -> simplified, keeping one output character per input character."""
    if not text:
        return text
    convert = _t2s()
    out = []
    for line in text.split("\n"):
        conv = convert(line)
        if len(conv) != len(line):
            conv = "".join(c if len(c := convert(ch)) == 1 else ch for ch in line)
        out.append(conv)
    return "\n".join(out)


def normalize(original: str) -> NormalizedText:
    """Fold full-width forms, dot variants, traditional characters and in-sentence line breaks."""
    chars = "".join(_fold_char(ch) for ch in original.replace("\r", "\n"))
    chars = _convert_t2s(chars)
    keep = _joinable_breaks(chars)
    text = []
    offsets = []
    for i, ch in enumerate(chars):
        if i in keep:
            continue
        text.append(ch)
        offsets.append(i)
    return NormalizedText(original, "".join(text), tuple(offsets))


def _joinable_breaks(text: str) -> set[int]:
    """Indices of line-break characters that split one sentence across lines (to be removed)."""
    drop: set[int] = set()
    for m in re.finditer(r"[ \t]*\n[\s]*", text):
        start, end = m.start(), m.end()
        line_start = text.rfind("\n", 0, start) + 1
        prev_line = text[line_start:start].strip()
        nxt = text[end : end + 40]
        if not prev_line or not nxt:
            continue
        if len(prev_line) < _MIN_BROKEN_LINE or prev_line[-1] in _SENTENCE_END:
            continue
        if (len(prev_line) < 40 or _TITLE_END.search(prev_line)) and not _INNER_PUNCT.search(prev_line):
            continue  # a title or heading line, not a sentence cut in two
        if prev_line.startswith(("#", "|", "- ", "* ")) or prev_line.endswith("**"):
            continue
        if not (_CJK.match(prev_line[-1]) or prev_line[-1] in ",，、"):
            continue
        if not _CJK.match(nxt[0]) or _MARKER_START.match(nxt):
            continue
        drop.update(range(start, end))
    return drop
