"""Ingest: bytes -> decoded original text -> normalised matching text with an offset map.

Every later stage matches on :attr:`NormalizedText.text` and reports offsets through
:meth:`NormalizedText.to_original`, so offsets always point into the decoded original.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.errors import IngestError

__all__ = [
    "DOT",
    "SUPPORTED_SUFFIXES",
    "NormalizedText",
    "SourceText",
    "decode_bytes",
    "html_to_text",
    "normalize",
    "read_source",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
DOT = "·"
_DOT_VARIANTS = "·∙•‧・⋅･"
_SENTENCE_END = set("。！？；：!?;:…”’」』）)】>|")
_CJK = re.compile(r"[\u3400-\u9fff]")
_MARKER_START = re.compile(
    r"^\s*(?:#|\*\*|[-*+>]\s|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、是]"
    r"|\d+\s*[.．、]|[①-⑳]|第[一二三四五六七八九十百]+[条章节部分])"
)
_MIN_BROKEN_LINE = 18
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
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
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
    raise IngestError.undecodable(path)


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError.undecodable(path, f"{encoding}: {exc.reason} at byte {exc.start}") from None


def _guess_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zero = sample[0::2].count(0)
    odd_zero = sample[1::2].count(0)
    half = len(sample) // 2
    # ASCII-heavy UTF-16 has zeros on one side; CJK-heavy UTF-16 decodes to mostly CJK.
    if odd_zero > half * 0.3 and even_zero < half * 0.05:
        return "utf-16-le"
    if even_zero > half * 0.3 and odd_zero < half * 0.05:
        return "utf-16-be"
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if len(_CJK.findall(text)) > len(text) * 0.5:
            return enc
    return None


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
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise IngestError.unreadable(str(path), exc.strerror or str(exc)) from None
    if suffix in (".pdf", ".docx", ".html", ".htm"):
        from kg.formats import read_document

        return read_document(path, data)
    text, encoding = decode_bytes(data, path=str(path))
    if "\x00" in text:
        raise IngestError.binary(str(path))
    if not text.strip():
        raise IngestError.empty(str(path))
    media = "text/markdown" if suffix in (".md", ".markdown") else "text/plain"
    return SourceText(str(path), text, encoding, media)


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
        if len(prev_line) < 40 and not _INNER_PUNCT.search(prev_line):
            continue  # a title or heading line, not a sentence cut in two
        if prev_line.startswith(("#", "|", "- ", "* ")) or prev_line.endswith("**"):
            continue
        if not (_CJK.match(prev_line[-1]) or prev_line[-1] in ",，、"):
            continue
        if not _CJK.match(nxt[0]) or _MARKER_START.match(nxt):
            continue
        drop.update(range(start, end))
    return drop
