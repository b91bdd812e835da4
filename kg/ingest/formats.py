"""Formats: PDF, DOCX and saved HTML pages -> plain text that the pipeline reads like a `.txt` file.

Each reader returns an :class:`Extracted` (text, page start offsets, metadata); :func:`read_document`
wraps it as a :class:`kg.ingest.source.SourceText`. All offsets the pipeline reports point into that text,
which `kg build` keeps as `out/text/<slug>.txt`.

* PDF (pdfminer.six): text lines in reading order (columns one after the other), running headers,
  footers and page numbers dropped, lines broken at line, column and page ends joined into
  paragraphs, and the start offset of every page recorded. A PDF without a text layer raises
  :meth:`kg.errors.IngestError.needs_ocr`.
* DOCX (python-docx): body paragraphs and tables in order; Word-generated list numbers
  (numbering.xml) rendered into the text; headings prefixed with Markdown `#` marks.
* HTML (trafilatura): the main article only, with the page's publication date and URL as metadata;
  falls back to :func:`kg.ingest.source.html_to_text` when trafilatura finds no article.
"""

from __future__ import annotations

import io
import itertools
import re
import statistics
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import IngestError

__all__ = [
    "DOCX_MEDIA_TYPE",
    "FORMAT_SUFFIXES",
    "MEDIA_TYPES",
    "Extracted",
    "docx_to_text",
    "format_number",
    "html_extract",
    "page_of",
    "pdf_to_text",
    "read_document",
]

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": DOCX_MEDIA_TYPE,
    ".html": "text/html",
    ".htm": "text/html",
}
#: suffixes handled here rather than as plain text
FORMAT_SUFFIXES = tuple(MEDIA_TYPES)
PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Extracted:
    """Text extracted from a binary or marked-up document."""

    text: str
    pages: tuple[int, ...] = ()
    metadata: dict = field(default_factory=dict, hash=False)


def page_of(pages: tuple[int, ...] | list[int], offset: int) -> int | None:
    """1-based page number of a character offset, given the start offset of every page."""
    if not pages:
        return None
    return max(1, bisect_right(pages, offset))


def read_document(path: str | Path, data: bytes):
    """A :class:`kg.ingest.source.SourceText` for a `.pdf`, `.docx`, `.html` or `.htm` file's bytes."""
    from kg.ingest.decode import SourceText, decode_bytes

    path = str(path)
    suffix = Path(path).suffix.lower()
    if not data:
        raise IngestError.empty(path)
    encoding = ""
    if suffix == ".pdf":
        out = pdf_to_text(data, path=path)
    elif suffix == ".docx":
        out = docx_to_text(data, path=path)
    elif suffix in (".html", ".htm"):
        markup, encoding = decode_bytes(data, path=path)
        if "\x00" in markup:
            raise IngestError.binary(path)
        out = html_extract(markup)
    else:
        raise IngestError.unsupported(path, suffix)
    if not out.text.strip():
        raise IngestError.empty(path)
    return SourceText(path, out.text, encoding, MEDIA_TYPES[suffix], pages=out.pages, metadata=dict(out.metadata))


# ---------------------------------------------------------------------------------------------- PDF

_SENTENCE_END = set("。！？!?；;：:…")
_CLOSERS = "”’」』）)】》>\"'"
_MARKER = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}\s*[.．、](?!\d)"
    r"|[\u2460-\u2473]|第[一二三四五六七八九十百\d]+[条章节部分]|[-•·*]\s)"
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
    counts = Counter()
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
        word = _FIRST_WORD.match(nxt.text).group(0)
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


# --------------------------------------------------------------------------------------------- DOCX

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_CN_DIGITS = "〇一二三四五六七八九"
_CN_COUNT = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_CN_LEGAL_TRAD = "零壹貳參肆伍陸柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl")]
_ROMAN += [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _chinese_count(n: int, digits: str = _CN_COUNT, units: str = "十百千万") -> str:
    """Chinese counting numerals: 1 一, 10 十, 11 十一, 21 二十一, 101 一百零一."""
    if n <= 0:
        return digits[0]
    if n >= 100000:
        return str(n)
    parts = []
    values = [(10000, units[3]), (1000, units[2]), (100, units[1]), (10, units[0])]
    zero = False
    for value, unit in values:
        q, n = divmod(n, value)
        if q:
            if zero:
                parts.append(digits[0])
                zero = False
            parts.append(digits[q] + unit)
        elif parts:
            zero = True
    if n:
        if zero:
            parts.append(digits[0])
        parts.append(digits[n])
    text = "".join(parts)
    if digits is _CN_COUNT and text.startswith(digits[1] + units[0]):
        text = text[1:]  # 一十一 -> 十一 (financial numerals keep 壹拾)
    return text


def _letters(n: int) -> str:
    if n <= 0:
        return ""
    letter = chr(ord("a") + (n - 1) % 26)
    return letter * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """Render a list counter the way Word does for a `w:numFmt` value."""
    if fmt in ("decimal", "decimalHalfWidth", "") or n <= 0:
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return chr(0x2460 + n - 1) if n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if n <= 20 else f"{n}."
    if fmt == "ideographEnclosedCircle":
        return chr(0x3280 + n - 1) if n <= 10 else str(n)
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "japaneseCounting",
        "koreanCounting",
    ):
        return _chinese_count(n)
    if fmt == "chineseLegalSimplified":
        return _chinese_count(n, _CN_LEGAL, "拾佰仟万")
    if fmt in ("ideographLegalTraditional", "japaneseLegal"):
        return _chinese_count(n, _CN_LEGAL_TRAD, "拾佰仟萬")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(c)] for c in str(n))
    if fmt == "ideographTraditional":
        return _STEMS[n - 1] if n <= 10 else str(n)
    if fmt == "ideographZodiac":
        return _BRANCHES[n - 1] if n <= 12 else str(n)
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "none":
        return ""
    return str(n)


def _attr(el, name: str = "val") -> str | None:
    return None if el is None else el.get(_q(name))


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    legal: bool = False
    restart: int | None = None  # 1-based level whose use restarts this one; 0 = never; None = any


class _Numbering:
    """numbering.xml: list definitions, and the running counters of every list."""

    def __init__(self, numbering_el, styles_el):
        self.styles = {}
        if styles_el is not None:
            for st in styles_el.iter(_q("style")):
                self.styles[st.get(_q("styleId"))] = st
        self.abstract = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        if numbering_el is None:
            return
        for ab in numbering_el.iter(_q("abstractNum")):
            self.abstract[ab.get(_q("abstractNumId"))] = ab
        for num in numbering_el.iter(_q("num")):
            overrides, levels = {}, {}
            for ov in num.iter(_q("lvlOverride")):
                ilvl = int(ov.get(_q("ilvl"), "0"))
                start = ov.find(_q("startOverride"))
                if start is not None:
                    overrides[ilvl] = int(_attr(start) or 1)
                lvl = ov.find(_q("lvl"))
                if lvl is not None:
                    levels[ilvl] = self._level(lvl)
            self.nums[num.get(_q("numId"))] = (_attr(num.find(_q("abstractNumId"))), overrides, levels)

    @staticmethod
    def _level(lvl) -> _Level:
        level = _Level()
        start = lvl.find(_q("start"))
        if start is not None:
            level.start = int(_attr(start) or 1)
        level.fmt = _attr(lvl.find(_q("numFmt"))) or "decimal"
        text = lvl.find(_q("lvlText"))
        level.text = _attr(text) if text is not None else ""
        level.suffix = _attr(lvl.find(_q("suff"))) or "tab"
        level.legal = lvl.find(_q("isLgl")) is not None
        restart = lvl.find(_q("lvlRestart"))
        level.restart = int(_attr(restart)) if restart is not None else None
        return level

    def _levels(self, num_id: str, depth: int = 0) -> dict[int, _Level]:
        abstract_id, _, own = self.nums.get(num_id, (None, {}, {}))
        ab = self.abstract.get(abstract_id)
        levels: dict[int, _Level] = {}
        if ab is not None:
            link = ab.find(_q("numStyleLink"))
            if link is not None and depth < 3:
                linked = self.style_num(_attr(link))
                if linked and linked[0] != num_id:
                    levels.update(self._levels(linked[0], depth + 1))
            for lvl in ab.iter(_q("lvl")):
                levels[int(lvl.get(_q("ilvl"), "0"))] = self._level(lvl)
        levels.update(own)
        return levels

    def style_num(self, style_id: str | None, depth: int = 0) -> tuple[str, int] | None:
        """(numId, ilvl) a paragraph style (or one it is based on) numbers its paragraphs with."""
        style = self.styles.get(style_id)
        if style is None or depth > 8:
            return None
        num_pr = style.find(f"{_q('pPr')}/{_q('numPr')}")
        if num_pr is not None and num_pr.find(_q("numId")) is not None:
            return _attr(num_pr.find(_q("numId"))), int(_attr(num_pr.find(_q("ilvl"))) or 0)
        return self.style_num(_attr(style.find(_q("basedOn"))), depth + 1)

    def label(self, num_id: str, ilvl: int) -> str:
        """The rendered number of the next paragraph of list `num_id` at level `ilvl` (with its separator)."""
        if num_id in (None, "0") or num_id not in self.nums:
            return ""
        levels = self._levels(num_id)
        level = levels.get(ilvl)
        if level is None:
            return ""
        _, overrides, _ = self.nums[num_id]
        counters = self.counters.setdefault(num_id, [None] * 9)

        def start(i: int) -> int:
            return overrides.get(i, levels[i].start if i in levels else 1)

        counters[ilvl] = start(ilvl) if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart and ilvl <= restart - 1):
                counters[deeper] = None
        if level.fmt == "bullet":
            mark = level.text if level.text and not ("\ue000" <= level.text[0] <= "\uf8ff") else "•"
            return mark + " "

        def render(m: re.Match) -> str:
            i = int(m.group(1)) - 1
            value = counters[i] if counters[i] is not None else start(i)
            fmt = levels[i].fmt if i in levels else "decimal"
            return format_number(value, "decimal" if level.legal and i != ilvl else fmt)

        text = re.sub(r"%([1-9])", render, level.text)
        if not text:
            return ""
        if level.suffix == "nothing" or not (text[-1].isalnum() or text[-1].isspace()):
            return text
        return text + " "


def _style_level(style_el, numbering: _Numbering, depth: int = 0) -> int:
    """Heading level (1..6) of a paragraph style: its outline level, or a Title style."""
    if style_el is None or depth > 8:
        return 0
    outline = style_el.find(f"{_q('pPr')}/{_q('outlineLvl')}")
    if outline is not None:
        value = int(_attr(outline) or 9)
        return value + 1 if value < 6 else 0
    name = (_attr(style_el.find(_q("name"))) or "").lower()
    m = re.fullmatch(r"heading (\d)", name)
    if m:
        return min(int(m.group(1)), 6)
    if name == "title":
        return 1
    return _style_level(numbering.styles.get(_attr(style_el.find(_q("basedOn")))), numbering, depth + 1)


def _run_text(el) -> str:
    """Visible text under an element: deleted text, field codes and fallback copies left out."""
    out = []
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in (_q("del"), _q("instrText"), _q("delText"), _q("pPr"), _q("rPr")) or tag == f"{{{_MC}}}Fallback":
            continue
        if tag == _q("t"):
            out.append(child.text or "")
        elif tag in (_q("tab"), _q("ptab")):
            out.append("\t")
        elif tag in (_q("br"), _q("cr")):
            out.append("\n")
        elif tag == _q("noBreakHyphen"):
            out.append("-")
        elif tag == _q("p"):
            out.append("\n" + _run_text(child))
        else:
            out.append(_run_text(child))
    return "".join(out)


def _paragraph(p, numbering: _Numbering) -> str:
    ppr = p.find(_q("pPr"))
    style_id = _attr(ppr.find(_q("pStyle"))) if ppr is not None else None
    num = None
    num_pr = ppr.find(_q("numPr")) if ppr is not None else None
    if num_pr is not None and num_pr.find(_q("numId")) is not None:
        styled = numbering.style_num(style_id)
        ilvl_el = num_pr.find(_q("ilvl"))
        ilvl = int(_attr(ilvl_el) or 0) if ilvl_el is not None else (styled[1] if styled else 0)
        num = (_attr(num_pr.find(_q("numId"))), ilvl)
    else:
        num = numbering.style_num(style_id)
    label = numbering.label(*num) if num else ""  # an empty list paragraph still takes its number in Word
    text = _run_text(p).strip()
    if not text:
        return ""
    level = 0
    outline = ppr.find(_q("outlineLvl")) if ppr is not None else None
    if outline is not None and int(_attr(outline) or 9) < 6:
        level = int(_attr(outline)) + 1
    elif style_id:
        level = _style_level(numbering.styles.get(style_id), numbering)
    return ("#" * level + " " if level else "") + label + text


def _table(tbl, numbering: _Numbering) -> list[str]:
    rows = []
    for tr in tbl.iter(_q("tr")):
        if tr.getparent() is not tbl:
            continue
        cells = []
        for tc in tr.findall(_q("tc")):
            parts = []
            for child in tc:
                if child.tag == _q("p"):
                    parts.append(_paragraph(child, numbering).lstrip("# "))
                elif child.tag == _q("tbl"):
                    parts.extend(_table(child, numbering))
            merged = tc.find(f"{_q('tcPr')}/{_q('vMerge')}")
            if merged is not None and _attr(merged) != "restart":
                parts = []
            cells.append(" ".join(p for p in parts if p).replace("|", "｜").replace("\n", " "))
        if any(cells):
            rows.append("| " + " | ".join(cells) + " |")
    return rows


def _blocks(container, numbering: _Numbering) -> list[str]:
    out = []
    for child in container:
        if child.tag == _q("p"):
            text = _paragraph(child, numbering)
            if text:
                out.append(text)
        elif child.tag == _q("tbl"):
            rows = _table(child, numbering)
            if rows:
                out.append("\n".join(rows))
        elif child.tag in (_q("sdt"), _q("customXml")):
            content = child.find(_q("sdtContent"))
            out.extend(_blocks(content if content is not None else child, numbering))
    return out


def docx_to_text(data: bytes, *, path: str = "<docx>") -> Extracted:
    """Paragraphs and table rows of a Word document in order, list numbers rendered into the text."""
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile, KeyError and lxml errors for broken files
        raise IngestError.bad_document(path, "DOCX", f"{type(exc).__name__}: {exc}"[:120]) from None
    part = document.part
    numbering_el = None
    try:
        for rel in part.rels.values():
            if rel.reltype.endswith("/numbering") and not rel.is_external:
                numbering_el = rel.target_part.element
    except Exception:  # a broken numbering part only loses the numbers
        numbering_el = None
    styles_el = document.styles.element if document.styles is not None else None
    numbering = _Numbering(numbering_el, styles_el)
    blocks = _blocks(document.element.body, numbering)
    text = PARAGRAPH_BREAK.join(blocks)
    return Extracted(text + "\n" if text else "")


# --------------------------------------------------------------------------------------------- HTML


def html_extract(markup: str) -> Extracted:
    """The main article of a saved web page (trafilatura), with its publication date and URL."""
    from kg.ingest.markup import html_to_text

    text = None
    metadata: dict = {}
    try:
        import trafilatura

        text = trafilatura.extract(markup, include_comments=False, include_tables=True, favor_precision=True)
        meta = trafilatura.extract_metadata(markup, extensive=False)
    except Exception:  # trafilatura failing on odd markup means: use the plain reduction
        text, meta = None, None
    if meta is not None:
        if meta.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.date):
            metadata["date"] = meta.date
        if meta.url and re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", meta.url):
            metadata["url"] = meta.url
    if not text or not text.strip():
        return Extracted(html_to_text(markup), (), metadata)
    lines = [ln.strip() for ln in text.splitlines()]
    return Extracted("\n".join(ln for ln in lines if ln) + "\n", (), metadata)
