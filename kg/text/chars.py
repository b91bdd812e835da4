"""Chinese text primitives: sentence and clause ends, quote and bracket pairs, numeral characters.

These are properties of the script, not of a domain, so they live here and not in the lexicon
(``ontology/lexicon/*.ttl``). Each is defined once; the stages build their character classes from them
with :func:`char_class`.
"""

from __future__ import annotations

import re

__all__ = [
    "CLAUSE_END",
    "CLOSE_PARENS",
    "CLOSE_QUOTES",
    "CN_DIGITS",
    "CN_DIGIT_VALUES",
    "CN_HUNDRED",
    "CN_MAGNITUDES",
    "CN_NUMBERING",
    "CN_TEN",
    "CN_TWO",
    "COLONS",
    "COMMAS",
    "ELLIPSIS",
    "ENUMERATION_COMMA",
    "FULL_STOPS",
    "OPEN_PARENS",
    "OPEN_QUOTES",
    "PAUSES",
    "QUOTE_PAIRS",
    "SEMICOLONS",
    "SENTENCE_END",
    "TITLE_MARKS",
    "YEAR_BRACKETS",
    "char_class",
]

#: marks that end a sentence (full-width and ASCII)
FULL_STOPS = "。！？!?"
SEMICOLONS = "；;"
COLONS = "：:"
#: semicolons and colons: they end a sentence-like unit (a clause before a list, an item of a list)
PAUSES = SEMICOLONS + COLONS
COMMAS = "，,"
#: the enumeration comma of Chinese lists (甲、乙、丙)
ENUMERATION_COMMA = "、"
ELLIPSIS = "…"
#: what a line ends with when a sentence ends there
SENTENCE_END = FULL_STOPS + PAUSES + ELLIPSIS
#: what ends a clause: sentence ends and commas
CLAUSE_END = FULL_STOPS + PAUSES + COMMAS

#: quotation marks, opening -> closing (double and single, mainland and corner forms)
QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’"}
OPEN_QUOTES = "".join(QUOTE_PAIRS)
CLOSE_QUOTES = "".join(QUOTE_PAIRS.values())
#: parentheses, full-width and ASCII
OPEN_PARENS = "(（"
CLOSE_PARENS = ")）"
#: the brackets around the year of a document number (陕工办发〔2023〕12号), opening and closing
YEAR_BRACKETS = ("〔[［(（【", "〕]］)）】")
#: the marks around the title of a document (《…》)
TITLE_MARKS = ("《", "》")

#: the Chinese digits one to nine
CN_DIGITS = "一二三四五六七八九"
CN_TEN = "十"
CN_HUNDRED = "百"
#: the colloquial two (两个)
CN_TWO = "两"
#: the characters of numbered headings and items (一、 （二） 十是)
CN_NUMBERING = CN_DIGITS + CN_TEN
#: the place units of Chinese numerals (十, 百, 千, 万, 亿)
CN_MAGNITUDES = CN_TEN + CN_HUNDRED + "千万亿"
#: the value of each Chinese digit, zeros and the colloquial two included
CN_DIGIT_VALUES = {"零": 0, "〇": 0, **{ch: i + 1 for i, ch in enumerate(CN_DIGITS)}, CN_TWO: 2}


def char_class(chars: str, *, negate: bool = False) -> str:
    """A regular-expression character class of `chars` (escaped): ``[…]`` or ``[^…]``."""
    return ("[^" if negate else "[") + "".join(re.escape(ch) for ch in chars) + "]"
