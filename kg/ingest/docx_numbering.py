"""DOCX list numbering: numbering.xml's list definitions, the running counter of every list, and Word's
number formats (`w:numFmt`), whose Chinese alphabets come from the lexicon (ontology/lexicon/ingest.ttl).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from kg.errors import ConfigError
from kg.vocab.lexicon import Lexicon, lexicon

__all__ = ["W_NS", "Alphabets", "Numbering", "format_number", "qn", "w_attr"]

#: the WordprocessingML namespace
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl")]
_ROMAN += [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
_COUNTING: tuple[str, ...] = (
    "chineseCounting",
    "chineseCountingThousand",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
)
_COUNTING += ("japaneseCounting", "koreanCounting")
_IDEOGRAPHIC: tuple[str, ...] = (
    "chineseLegalSimplified",
    "ideographLegalTraditional",
    "japaneseLegal",
    "ideographDigital",
)
_IDEOGRAPHIC += ("taiwaneseDigital", "japaneseDigitalTenThousand", "ideographTraditional", "ideographZodiac")


def qn(tag: str) -> str:
    """A WordprocessingML tag in Clark notation: `p` -> `{…/main}p`."""
    return f"{{{W_NS}}}{tag}"


def w_attr(el, name: str = "val") -> str | None:
    """An element's `w:` attribute (default `w:val`), None for a missing element."""
    return None if el is None else el.get(qn(name))


@dataclass(frozen=True)
class Alphabets:
    """The Chinese numbering alphabets: digits 0-9 and the units 十百千万 of each counting system."""

    counting: str
    counting_units: str
    legal: str
    legal_units: str
    legal_traditional: str
    legal_traditional_units: str
    digital: str
    stems: str
    branches: str

    @classmethod
    def from_lexicon(cls, lex: Lexicon | None = None) -> Alphabets:
        """The alphabets of the lexicon's `docx-*` lists (ten digits, four units each)."""
        lex = lex or lexicon()

        def chars(name: str, size: int | None = None) -> str:
            text = lex.chars(name)
            if size is not None and len(text) != size:
                raise ConfigError.bad_file(lex.path, f"lx:{name} needs {size} single characters, not {len(text)}")
            return text

        return cls(
            counting=chars("docx-chinese-counting", 10),
            counting_units=chars("docx-chinese-counting-units", 4),
            legal=chars("docx-chinese-legal-simplified", 10),
            legal_units=chars("docx-chinese-legal-simplified-units", 4),
            legal_traditional=chars("docx-ideograph-legal-traditional", 10),
            legal_traditional_units=chars("docx-ideograph-legal-traditional-units", 4),
            digital=chars("docx-ideograph-digital", 10),
            stems=chars("docx-heavenly-stems"),
            branches=chars("docx-earthly-branches"),
        )


def _chinese_count(n: int, digits: str, units: str, *, drop_leading_one: bool = False) -> str:
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
    if drop_leading_one and text.startswith(digits[1] + units[0]):
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


def format_number(n: int, fmt: str, *, alphabets: Alphabets | None = None) -> str:
    """Render a list counter the way Word does for a `w:numFmt` value (alphabets: default the lexicon's)."""
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
    if fmt not in _COUNTING and fmt not in _IDEOGRAPHIC:
        return str(n)
    a = alphabets or Alphabets.from_lexicon()
    if fmt in _COUNTING:
        return _chinese_count(n, a.counting, a.counting_units, drop_leading_one=True)
    if fmt == "chineseLegalSimplified":
        return _chinese_count(n, a.legal, a.legal_units)
    if fmt in ("ideographLegalTraditional", "japaneseLegal"):
        return _chinese_count(n, a.legal_traditional, a.legal_traditional_units)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(a.digital[int(c)] for c in str(n))
    if fmt == "ideographTraditional":
        return a.stems[n - 1] if n <= len(a.stems) else str(n)
    return a.branches[n - 1] if n <= len(a.branches) else str(n)  # ideographZodiac


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    legal: bool = False
    restart: int | None = None  # 1-based level whose use restarts this one; 0 = never; None = any


class Numbering:
    """numbering.xml: list definitions, and the running counters of every list."""

    def __init__(self, numbering_el, styles_el, *, alphabets: Alphabets | None = None):
        self.alphabets = alphabets or Alphabets.from_lexicon()
        self.styles = {}
        if styles_el is not None:
            for st in styles_el.iter(qn("style")):
                self.styles[st.get(qn("styleId"))] = st
        self.abstract = {}
        self.nums: dict[str | None, tuple[str | None, dict[int, int], dict[int, _Level]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        if numbering_el is None:
            return
        for ab in numbering_el.iter(qn("abstractNum")):
            self.abstract[ab.get(qn("abstractNumId"))] = ab
        for num in numbering_el.iter(qn("num")):
            overrides, levels = {}, {}
            for ov in num.iter(qn("lvlOverride")):
                ilvl = int(ov.get(qn("ilvl"), "0"))
                start = ov.find(qn("startOverride"))
                if start is not None:
                    overrides[ilvl] = int(w_attr(start) or 1)
                lvl = ov.find(qn("lvl"))
                if lvl is not None:
                    levels[ilvl] = self._level(lvl)
            self.nums[num.get(qn("numId"))] = (w_attr(num.find(qn("abstractNumId"))), overrides, levels)

    @staticmethod
    def _level(lvl) -> _Level:
        level = _Level()
        start = lvl.find(qn("start"))
        if start is not None:
            level.start = int(w_attr(start) or 1)
        level.fmt = w_attr(lvl.find(qn("numFmt"))) or "decimal"
        text = lvl.find(qn("lvlText"))
        level.text = cast(str, w_attr(text)) if text is not None else ""
        level.suffix = w_attr(lvl.find(qn("suff"))) or "tab"
        level.legal = lvl.find(qn("isLgl")) is not None
        restart = lvl.find(qn("lvlRestart"))
        level.restart = int(cast(str, w_attr(restart))) if restart is not None else None  # w:val is required
        return level

    def _levels(self, num_id: str | None, depth: int = 0) -> dict[int, _Level]:
        abstract_id, _, own = self.nums.get(num_id, (None, {}, {}))
        ab = self.abstract.get(abstract_id)
        levels: dict[int, _Level] = {}
        if ab is not None:
            link = ab.find(qn("numStyleLink"))
            if link is not None and depth < 3:
                linked = self.style_num(w_attr(link))
                if linked and linked[0] != num_id:
                    levels.update(self._levels(linked[0], depth + 1))
            for lvl in ab.iter(qn("lvl")):
                levels[int(lvl.get(qn("ilvl"), "0"))] = self._level(lvl)
        levels.update(own)
        return levels

    def style_num(self, style_id: str | None, depth: int = 0) -> tuple[str | None, int] | None:
        """(numId, ilvl) a paragraph style (or one it is based on) numbers its paragraphs with."""
        style = self.styles.get(style_id)
        if style is None or depth > 8:
            return None
        num_pr = style.find(f"{qn('pPr')}/{qn('numPr')}")
        if num_pr is not None and num_pr.find(qn("numId")) is not None:
            return w_attr(num_pr.find(qn("numId"))), int(w_attr(num_pr.find(qn("ilvl"))) or 0)
        return self.style_num(w_attr(style.find(qn("basedOn"))), depth + 1)

    def label(self, num_id: str | None, ilvl: int) -> str:
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

        current = counters[ilvl]
        counters[ilvl] = start(ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart and ilvl <= restart - 1):
                counters[deeper] = None
        if level.fmt == "bullet":
            mark = level.text if level.text and not ("\ue000" <= level.text[0] <= "\uf8ff") else "•"
            return mark + " "

        def render(m: re.Match) -> str:
            i = int(m.group(1)) - 1
            counted = counters[i]
            value = counted if counted is not None else start(i)
            fmt = levels[i].fmt if i in levels else "decimal"
            return format_number(value, "decimal" if level.legal and i != ilvl else fmt, alphabets=self.alphabets)

        text = re.sub(r"%([1-9])", render, level.text)
        if not text:
            return ""
        if level.suffix == "nothing" or not (text[-1].isalnum() or text[-1].isspace()):
            return text
        return text + " "
