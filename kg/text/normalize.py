"""Normalisation: the matching text of a document and its offset map into the original (D1).

Every later stage matches on :attr:`NormalizedText.text` and reports offsets through
:meth:`NormalizedText.to_original`, so offsets always point into the decoded original. The words that end
a title line (the kinds of document) are data: the caller passes them (`title_words`, from the lexicon).
Normalisation may drop characters (joined line breaks, inline pinyin annotations): every normalised span
still maps back to the original span that holds it, dropped characters included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.text.chars import (
    CLOSE_PARENS,
    CLOSE_QUOTES,
    CN_HUNDRED,
    CN_NUMBERING,
    COMMAS,
    ENUMERATION_COMMA,
    OPEN_PARENS,
    SEMICOLONS,
    SENTENCE_END,
    char_class,
)
from kg.text.t2s import t2s

__all__ = ["DOT", "NormalizedText", "normalize", "pinyin_annotations"]

DOT = "·"
_DOT_VARIANTS = "·∙•‧・⋅･"
#: a line that ends with one of these ends a sentence (or a quotation, a bracket, a table row)
_SENTENCE_END = set(SENTENCE_END + CLOSE_QUOTES + "）)】>|")
_CJK = re.compile(r"[\u3400-\u9fff]")
_MARKER_START = re.compile(
    rf"^\s*(?:#|\*\*|[-*+>]\s|{char_class(OPEN_PARENS)}[{CN_NUMBERING}\d]+{char_class(CLOSE_PARENS)}"
    rf"|[{CN_NUMBERING}]+[、是]|\d+\s*[.．、]|[①-⑳]|第[{CN_NUMBERING}{CN_HUNDRED}]+[条章节部分])"
)
_MIN_BROKEN_LINE = 18
_INNER_PUNCT = re.compile(char_class(COMMAS + "。" + SEMICOLONS + ENUMERATION_COMMA))
#: letters of Hanyu Pinyin with a tone mark (and ü)
_TONE_LETTERS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN_LETTERS = f"a-z{_TONE_LETTERS}"
#: an inline annotation right after a CJK character: 總(zǒng), 總（zǒng）, 總 ( zǒng ), 瞭(le), 這(zhè ge)
_SYLLABLE = rf"[{_PINYIN_LETTERS}]{{1,6}}[1-5]?"
#: (…) or […] after a folded full-width form; the syllables in group 2
_PINYIN_NOTE = re.compile(
    rf"(?<=[\u3400-\u9fff])[ \t]*([(\[])[ \t]*({_SYLLABLE}(?:[ \t]+{_SYLLABLE}){{0,3}})[ \t]*[)\]]"
)
_CLOSING = {"(": ")", "[": "]"}
#: a tone mark, or a tone number after a syllable (zong3)
_TONED = re.compile(rf"[{_TONE_LETTERS}]|[a-z][1-5](?![0-9])")
#: a toneless syllable (瞭(le)): initial, then a final; only read in a text that has toned annotations
_TONELESS_SYLLABLE = re.compile(r"(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?(?:[aeiouv]{1,3})(?:ng|n|r)?")
#: a text with at least this many toned annotations is an annotated (mirror) copy
_MIN_TONED_NOTES = 2


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
    if 0xD800 <= code <= 0xDFFF:  # a lone surrogate (only a caller's str can hold one): the replacement char
        return "\ufffd"
    return ch


#: _fold_char as a str.translate table: every character it changes
_FOLD = {
    code: _fold_char(chr(code))
    for code in (
        *range(0xFF01, 0xFF5F),
        *range(0xD800, 0xE000),
        *map(ord, "\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"),
        *map(ord, _DOT_VARIANTS + "—―–－"),
    )
    if _fold_char(chr(code)) != chr(code)
}


def _convert_t2s(text: str) -> str:
    """Traditional -> simplified, keeping one output character per input character."""
    if not text:
        return text
    convert = t2s
    out = []
    for line in text.split("\n"):
        conv = convert(line)
        if len(conv) != len(line):
            conv = "".join(c if len(c := convert(ch)) == 1 else ch for ch in line)
        out.append(conv)
    return "\n".join(out)


@lru_cache(maxsize=8)
def _title_end(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """A line that ends with one of `words` (and no inner punctuation) is a title, not half a sentence."""
    return re.compile("(?:" + "|".join(map(re.escape, words)) + r")\s*$") if words else None


def normalize(original: str, *, title_words: tuple[str, ...] = ()) -> NormalizedText:
    """Fold full-width forms, dot variants, traditional characters and in-sentence line breaks.

    A line of 40 or more characters that ends with one of `title_words` (the kinds of document; the
    pipeline passes the lexicon's) and has no inner punctuation is a title and is not joined to the next.
    """
    chars = original.replace("\r", "\n").translate(_FOLD)
    chars, index = _drop(chars, pinyin_annotations(chars), list(range(len(chars))))
    chars = _convert_t2s(chars)
    chars, index = _drop(chars, _joinable_breaks(chars, _title_end(tuple(title_words))), index)
    return NormalizedText(original, chars, tuple(index))


def _drop(chars: str, drop: set[int], index: list[int]) -> tuple[str, list[int]]:
    """`chars` without the characters at `drop`, and the original index of each character kept."""
    if not drop:
        return chars, index
    kept = [i for i in range(len(chars)) if i not in drop]
    return "".join(chars[i] for i in kept), [index[i] for i in kept]


def pinyin_annotations(text: str) -> set[int]:
    """Indices of inline pinyin annotations after CJK characters (總(zǒng)工會(huì) -> 總工會), to be removed.

    Rule *pinyin-annotation*: a parenthesis (or square bracket) right after a CJK character that holds one
    to four pinyin syllables (spaces allowed around them, and around the parenthesis). An annotation with a
    tone mark, or with tone numbers (zong3), is always one; a toneless one (瞭(le)) only in a text with at least two toned annotations, so that an
    ordinary "(app)" in a plain text is kept.
    """
    notes = list(_PINYIN_NOTE.finditer(text))
    if not notes:
        return set()
    notes = [m for m in notes if m.group(0).rstrip()[-1] == _CLOSING[m.group(1)]]
    toned = sum(1 for m in notes if _TONED.search(m.group(2)))
    drop: set[int] = set()
    for m in notes:
        syllables = [x.rstrip("12345") for x in m.group(2).split()]
        numbered = any(x[-1].isdigit() for x in m.group(2).split())
        if numbered and not all(_TONELESS_SYLLABLE.fullmatch(x) for x in syllables):
            continue  # (app1) is no syllable with a tone number
        if not _TONED.search(m.group(2)):
            if toned < _MIN_TONED_NOTES or not all(_TONELESS_SYLLABLE.fullmatch(x) for x in syllables):
                continue
        end = m.end()
        if m.group(0)[0] in " \t":  # set apart by spaces (將 (jiāng) 新建): the spaces after it go too
            while end < len(text) and text[end] in " \t":
                end += 1
        drop.update(range(m.start(), end))
    return drop


def _joinable_breaks(text: str, title_end: re.Pattern[str] | None) -> set[int]:
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
        titled = title_end is not None and title_end.search(prev_line)
        if (len(prev_line) < 40 or titled) and not _INNER_PUNCT.search(prev_line):
            continue  # a title or heading line, not a sentence cut in two
        if prev_line.startswith(("#", "|", "- ", "* ")) or prev_line.endswith("**"):
            continue
        if not (_CJK.match(prev_line[-1]) or prev_line[-1] in ",，、"):
            continue
        if not _CJK.match(nxt[0]) or _MARKER_START.match(nxt):
            continue
        drop.update(range(start, end))
    return drop
