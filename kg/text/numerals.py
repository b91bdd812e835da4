"""Chinese numerals: the digit and place-unit characters, and :func:`parse_number` for Arabic, Chinese or mixed numbers.

These are properties of the script, not of a domain, so they live here rather than in the lexicon; the
basic digits and place units come from :mod:`kg.text.chars`.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from kg.text.chars import CN_DIGIT_VALUES, CN_MAGNITUDES

__all__ = [
    "BIG_UNITS",
    "DIGITS",
    "MULTIPLIERS",
    "NUMERAL_CHARS",
    "SECTION_MULTIPLIERS",
    "SMALL_UNITS",
    "clean_decimal",
    "parse_number",
]

#: the financial (大写) and traditional forms of the digits, besides those of :data:`kg.text.chars.CN_DIGIT_VALUES`
_OTHER_DIGITS = {
    "○": 0,
    "壹": 1,
    "贰": 2,
    "貳": 2,
    "兩": 2,
    "叁": 3,
    "參": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "陸": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
#: Chinese digits (simplified, traditional and financial forms) -> value
DIGITS = {**CN_DIGIT_VALUES, **_OTHER_DIGITS}
_TEN, _HUNDRED, _THOUSAND, _WAN, _YI = tuple(CN_MAGNITUDES)
#: Chinese place units below ten thousand (with their financial forms).
SMALL_UNITS = {_TEN: 10, "拾": 10, _HUNDRED: 100, "佰": 100, _THOUSAND: 1000, "仟": 1000}
#: Chinese section units (万, 亿) that close a group of four digits (with their traditional forms).
BIG_UNITS = {_WAN: 10**4, "萬": 10**4, _YI: 10**8, "億": 10**8}
#: Every character of a Chinese numeral, for character classes.
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
#: Multiplier characters written after an Arabic number (3万, 1.5亿): 百千万亿.
MULTIPLIERS = _HUNDRED + _THOUSAND + _WAN + _YI
#: The section multipliers among them, which money units keep in their written unit (万元).
SECTION_MULTIPLIERS = _WAN + _YI


def clean_decimal(value: Decimal) -> Decimal:
    """An integral value without its fractional zeros (11900.00 -> 11900); others normalised."""
    integral = value.to_integral_value()
    if value == integral:
        return integral
    return value.normalize()


def parse_number(text: str) -> Decimal:
    """Parse Arabic, Chinese or mixed numerals ("1.5亿", "两千", "一万二千", "1,000") to a Decimal.

    Full-width digits and spaces are accepted; raises ValueError on anything that is not a number.
    """
    if not isinstance(text, str):
        raise ValueError(f"not a number: {text!r}")
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))", "", s)
    if not s:
        raise ValueError("not a number: empty string")
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", s):
        return clean_decimal(Decimal(s))
    if len(s) > 1 and all(ch in DIGITS for ch in s):  # 二〇二三: digit by digit
        return Decimal("".join(str(DIGITS[ch]) for ch in s))
    tokens = re.findall(r"[0-9]+(?:\.[0-9]+)?|.", s)  # ASCII digits only: Decimal() rejects some Unicode digits
    total = Decimal(0)  # completed 万/亿 sections
    section = Decimal(0)  # value below the current 万
    number: Decimal | None = None  # digit waiting for its place unit
    last_unit = 0
    has_value = False
    for tok in tokens:
        if tok[0] in "0123456789":
            if number is not None:
                raise ValueError(f"not a number: {text!r}")
            number, has_value = Decimal(tok), True
        elif tok in DIGITS:
            digit = DIGITS[tok]
            if number is not None and digit != 0:
                raise ValueError(f"not a number: {text!r}")
            number, has_value = (Decimal(digit) if digit else None), True
        elif tok in SMALL_UNITS:
            last_unit = SMALL_UNITS[tok]
            section += (number if number is not None else Decimal(1)) * last_unit
            number, has_value = None, True
        elif tok in BIG_UNITS:
            last_unit = BIG_UNITS[tok]
            group = section + (number or 0)
            if group == 0 and total == 0:
                group = Decimal(1)  # a bare 万 or 亿
            if last_unit == 10**8:
                total = (total + group) * last_unit
            else:
                total += group * last_unit
            section, number, has_value = Decimal(0), None, True
        else:
            raise ValueError(f"not a number: {text!r}")
    if not has_value:
        raise ValueError(f"not a number: {text!r}")
    if number is not None:
        if last_unit >= 100 and _abbrev_tail(tokens):
            number *= Decimal(last_unit) / 10  # 一万二 = 12000, 三千五 = 3500
        section += number
    return clean_decimal(total + section)


def _abbrev_tail(tokens: list[str]) -> bool:
    """True when the last token is a single Chinese digit right after a place unit (一万二)."""
    return len(tokens) >= 2 and tokens[-1] in DIGITS and (tokens[-2] in SMALL_UNITS or tokens[-2] in BIG_UNITS)
