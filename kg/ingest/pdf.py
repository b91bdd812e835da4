"""PDF (`.pdf`, pdfminer.six): the text layer in reading order, with the start offset of every page.

Text lines are read in reading order (columns one after the other); running headers, footers and page
numbers are dropped; lines broken at line, column and page ends are joined into paragraphs. A PDF
without a text layer raises :meth:`kg.errors.IngestError.needs_ocr`. See docs/formats.md.
"""

from __future__ import annotations

import io
import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from kg.errors import IngestError
from kg.ingest.decode import SourceText
from kg.ingest.registry import PARAGRAPH_BREAK, Extracted, extracted_source, register
from kg.text.chars import CLOSE_PARENS, CLOSE_QUOTES, CN_HUNDRED, CN_NUMBERING, SENTENCE_END, TITLE_MARKS

__all__ = ["PDF_MEDIA_TYPE", "pdf_to_text", "read_pdf"]

PDF_MEDIA_TYPE = "application/pdf"

_SENTENCE_END = set(SENTENCE_END)
#: what may follow a sentence end on a line: closing quotes, parentheses and brackets
_CLOSERS = CLOSE_QUOTES + CLOSE_PARENS + "】" + TITLE_MARKS[1] + ">\"'"
#: a line that starts a numbered item or article: （一）, 一、, 1., ①, 第三条, a bullet
_MARKER = re.compile(
    rf"^(?:[（(][{CN_NUMBERING}\d]{{1,3}}[）)]|[{CN_NUMBERING}]{{1,3}}、|\d{{1,2}}\s*[.．、](?!\d)"
    rf"|[\u2460-\u2473]|第[{CN_NUMBERING}{CN_HUNDRED}\d]+[条章节部分]|[-•·*]\s)"
)
_DASHES = r"\-—–－‒·•"
_PAGE_NUMBER = re.compile(
    rf"^[\s{_DASHES}]*(?:第\s*)?[\d０-９]{{1,4}}\s*页?(?:\s*[/／]\s*(?:共\s*)?[\d０-９]{{1,4}}\s*页?)?"
    rf"(?:\s*共\s*[\d０-９]{{1,4}}\s*页)?[\s{_DASHES}]*$"
    r"|^\s*(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$",
    re.I,
)
_EDGE_ROWS = 2
_MIN_CHARS_PER_PAGE = 20
_FIRST_WORD = re.compile(r"[A-Za-z0-9.,%'/\-]+|.", re.S)
_INDENT_SPACES = re.compile(r"^(?:\u3000|\s{2,})")


@dataclass
class _PdfLine:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    lead: bool = False  # the line starts with indenting spaces
    trail: bool = False  # the line ends with a space (a word break at the line end)
    kind: str = "single"  # single | full | left | right
    segment: int = 0  # lines of one page with the same segment run down one column or band

    @property
    def size(self) -> float:
        return max(self.y1 - self.y0, 1.0)

    @property
    def centre_y(self) -> float:
        return (self.y0 + self.y1) / 2


def pdf_to_text(data: bytes, *, path: str = "<pdf>") -> Extracted:
    """Text of a PDF's text layer in reading order, with the start offset of every page."""
    pages = _pdf_lines(data, path)
    chars = sum(len(ln.text.strip()) for page in pages for ln in page)
    if chars < _MIN_CHARS_PER_PAGE * max(len(pages), 1) and (chars == 0 or _had_images(data)):
        raise IngestError.needs_ocr(path, len(pages))
    if sum(ln.text.count("(cid:") for page in pages for ln in page) * 5 > chars:
        raise IngestError.needs_ocr(path, len(pages), "its fonts have no Unicode mapping")
    pages = _drop_running_lines(pages)
    ordered = []
    for page in pages:
        ordered.extend(_reading_order(page))
    return _assemble(ordered, len(pages))


def _pdf_lines(data: bytes, path: str) -> list[list[_PdfLine]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine

    params = LAParams(boxes_flow=0.5, detect_vertical=False)
    pages: list[list[_PdfLine]] = []
    try:
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=params), 1):
            lines = []
            stack = list(page)
            while stack:
                item = stack.pop()
                if isinstance(item, LTTextLine):
                    raw = item.get_text().replace("\n", "")
                    text = _despace(raw.strip())
                    if text:
                        lead = bool(_INDENT_SPACES.match(raw))
                        trail = raw[-1:] in (" ", "\t")
                        lines.append(_PdfLine(number, item.x0, item.y0, item.x1, item.y1, text, lead, trail))
                elif isinstance(item, LTTextContainer):
                    stack.extend(item)
            pages.append(lines)
    except IngestError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for damaged or locked files
        raise IngestError.bad_document(path, "PDF", _pdf_error(exc)) from None
    if not pages:
        raise IngestError.bad_document(path, "PDF", "no pages")
    return pages


_CJK_CHAR = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’…—·]"
_CJK_GAP = re.compile(rf"{_CJK_CHAR}( *)(?={_CJK_CHAR})")


def _despace(text: str) -> str:
    """Undo the spaces pdfminer puts between letter-spaced (justified) Chinese characters."""
    gaps = [len(m.group(1)) for m in _CJK_GAP.finditer(text)]
    if len(gaps) < 4 or sum(1 for g in gaps if g == 1) <= 0.6 * len(gaps):
        return text
    return re.sub(r" {2,}| ", lambda m: " " if len(m.group(0)) > 1 else "", text)


def _pdf_error(exc: Exception) -> str:
    name = type(exc).__name__
    if "Password" in name or "Encrypt" in name:
        return "it is encrypted"
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{name}: {detail}"[:120] if detail else name


def _had_images(data: bytes) -> bool:
    return b"/Image" in data or b"/XObject" in data


def _edge_key(text: str) -> str:
    return re.sub(r"[\d０-９]+", "#", re.sub(r"\s+", "", text))


def _rows(lines: list[_PdfLine]) -> list[list[_PdfLine]]:
    """Lines grouped by their vertical position, top row first."""
    rows: list[list[_PdfLine]] = []
    for ln in sorted(lines, key=lambda x: -x.centre_y):
        if rows and abs(rows[-1][0].centre_y - ln.centre_y) < 0.5 * min(rows[-1][0].size, ln.size):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return rows


def _drop_running_lines(pages: list[list[_PdfLine]]) -> list[list[_PdfLine]]:
    """Without lines repeated at the top or bottom of most pages, and bare page numbers there."""
    edges = []
    for lines in pages:
        rows = _rows(lines)
        edge_rows = rows[:_EDGE_ROWS] + rows[-_EDGE_ROWS:] if len(rows) > _EDGE_ROWS else rows
        edges.append({id(ln) for row in edge_rows for ln in row})
    counts: Counter[str] = Counter()
    for lines, edge in zip(pages, edges, strict=True):
        counts.update({_edge_key(ln.text) for ln in lines if id(ln) in edge})
    need = max(2, (len(pages) + 1) // 2)
    out = []
    for lines, edge in zip(pages, edges, strict=True):
        keep = []
        for ln in lines:
            if id(ln) in edge and (_PAGE_NUMBER.match(ln.text) or counts[_edge_key(ln.text)] >= need):
                continue
            keep.append(ln)
        out.append(keep)
    return out


def _reading_order(lines: list[_PdfLine]) -> list[_PdfLine]:
    """One page's lines in reading order: full-width bands top to bottom, columns left then right."""
    if not lines:
        return []
    size = statistics.median(ln.size for ln in lines)
    left_edge = min(ln.x0 for ln in lines)
    right_edge = max(ln.x1 for ln in lines)
    mid = (left_edge + right_edge) / 2
    tol = 0.5 * size
    for ln in lines:
        ln.kind = "left" if ln.x1 <= mid + tol else "right" if ln.x0 >= mid - tol else "full"
    rights = [ln.centre_y for ln in lines if ln.kind == "right"]
    # two columns: at least three rows with a line in each half (a right-aligned signature is not a column)
    paired = sum(1 for ln in lines if ln.kind == "left" and any(abs(ln.centre_y - y) <= size for y in rights))
    seg = 0
    if paired < 3:
        ordered = []
        for row in _rows(lines):
            row.sort(key=lambda x: x.x0)
            first = row[0]
            first.text = " ".join(x.text for x in row)
            first.x1 = row[-1].x1
            first.trail = row[-1].trail
            first.kind = "single"
            first.segment = seg
            ordered.append(first)
        return ordered
    ordered = []
    band: list[_PdfLine] = []

    def flush() -> None:
        nonlocal seg
        for kind in ("left", "right"):
            seg += 1
            for ln in sorted((x for x in band if x.kind == kind), key=lambda x: -x.centre_y):
                ln.segment = seg
                ordered.append(ln)
        band.clear()

    for ln in sorted(lines, key=lambda x: -x.centre_y):
        if ln.kind == "full":
            flush()
            seg += 1
            ln.segment = seg
            ordered.append(ln)
        else:
            band.append(ln)
    flush()
    return ordered


def _same_flow(a: _PdfLine, b: _PdfLine) -> bool:
    """Both lines are on one page, in one column or band (no column or page break between them)."""
    return a.page == b.page and a.segment == b.segment


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _assemble(lines: list[_PdfLine], n_pages: int) -> Extracted:
    """Join lines into paragraphs and record where every page starts."""
    if not lines:
        return Extracted("", tuple(0 for _ in range(n_pages)))
    size = statistics.median(ln.size for ln in lines)
    extent: dict[str, tuple[float, float]] = {}
    for kind in ("single", "full", "left", "right"):
        same = [ln for ln in lines if ln.kind == kind]
        if same:
            extent[kind] = (min(ln.x0 for ln in same), max(ln.x1 for ln in same))
    if "full" in extent and "single" not in extent:
        extent["single"] = extent["full"]
    gaps = [prev.y0 - ln.y1 for prev, ln in itertools.pairwise(lines) if _same_flow(prev, ln) and prev.y0 > ln.y1]
    big_gap = (statistics.median(gaps) if gaps else size) + 0.5 * size

    def bounds(ln: _PdfLine) -> tuple[float, float]:
        return extent.get(ln.kind, extent.get("single", (ln.x0, ln.x1)))

    def indented(ln: _PdfLine) -> bool:
        return ln.lead or ln.x0 - bounds(ln)[0] >= 0.8 * ln.size

    def full(ln: _PdfLine, nxt: _PdfLine) -> bool:
        """`ln` was broken because the first word of `nxt` did not fit after it."""
        first = _FIRST_WORD.match(nxt.text)
        word = first.group(0) if first else ""
        need = sum(0.6 * ln.size if ch.isascii() else ln.size for ch in word)
        return bounds(ln)[1] - ln.x1 <= need + 1.2 * ln.size

    def centred(ln: _PdfLine) -> bool:
        left, right = bounds(ln)
        return ln.x0 - left > 1.5 * ln.size and abs((ln.x0 + ln.x1) / 2 - (left + right) / 2) < ln.size

    uses_indent = sum(1 for ln in lines if indented(ln) and not centred(ln)) >= 3

    def joins(prev: _PdfLine, ln: _PdfLine) -> bool:
        if _MARKER.match(ln.text):
            return False
        if _same_flow(prev, ln):
            if prev.y0 - ln.y1 > big_gap:
                return False
            if prev.size > 1.15 * size and abs(ln.size - prev.size) <= 0.1 * prev.size:  # a heading set in two lines
                return not _ends_sentence(prev.text) and prev.y0 - ln.y1 < 0.9 * prev.size
            if centred(prev) and centred(ln):
                return not _ends_sentence(prev.text)
            return full(prev, ln) and not indented(ln)
        if indented(ln) or not full(prev, ln):
            return False
        return uses_indent or not _ends_sentence(prev.text)

    parts: list[str] = []
    length = 0
    pages = [0]
    prev = None
    for ln in lines:
        if prev is None:
            sep = ""
        elif joins(prev, ln):
            word_break = prev.trail or (_ascii_word_end(parts[-1]) and _ascii_word_start(ln.text))
            sep = " " if word_break else ""
        else:
            sep = PARAGRAPH_BREAK
        length += len(sep)
        while len(pages) < ln.page:
            pages.append(length)
        parts.append(sep)
        parts.append(ln.text)
        length += len(ln.text)
        prev = ln
    while len(pages) < n_pages:
        pages.append(length)
    return Extracted("".join(parts) + "\n", tuple(pages))


def _ascii_word_end(text: str) -> bool:
    return bool(text) and text[-1].isascii() and text[-1].isalnum()


def _ascii_word_start(text: str) -> bool:
    return bool(text) and text[0].isascii() and text[0].isalnum()


def read_pdf(path: str, data: bytes) -> SourceText:
    """The text of a PDF file's bytes, with the start offset of every page."""
    return extracted_source(path, pdf_to_text(data, path=path), PDF_MEDIA_TYPE)


register(PDF_MEDIA_TYPE, (".pdf",), read_pdf, max_bytes=256 * 2**20)
