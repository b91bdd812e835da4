"""Segmentation rules besides numbering: each finds one candidate list of measures in a page of lines.

Every rule is named (the names of lx:genre-segmenters, ontology/lexicon/genres.ttl) and documented in
docs/structure.md; :mod:`kg.pipeline.measures` runs them in the order the genre gives and compares them
with the announced count. Offsets are offsets into the normalised text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from kg.pipeline.genre import genre_rules
from kg.pipeline.numbering import Line, chinese_ordinal, is_numbered
from kg.pipeline.spans import MeasureSpan, rstrip_end
from kg.text.chars import (
    CLOSE_PARENS,
    CLOSE_QUOTES,
    CN_NUMBERING,
    COLONS,
    COMMAS,
    ENUMERATION_COMMA,
    FULL_STOPS,
    OPEN_PARENS,
    OPEN_QUOTES,
    SEMICOLONS,
    char_class,
)
from kg.vocab.ontology import Vocabulary

__all__ = ["ONLY_IF_ANNOUNCED", "RULES", "Page"]

_MIN_ITEMS = 2
_MIN_PARAGRAPHS = 3
_MIN_LIST = 3
_TITLE = (4, 25)  # a paragraph-led title sentence: this many characters
_MIN_DETAIL = 15  # …and at least this much text after it
_LOOSE_TITLE = 14  # paragraph-led-loose: a first clause (up to a comma) this short may be the title
_MAX_HEADING = 30
_MAX_QA_TITLE = 40
_MAX_ITEM = 20  # an unquoted list item
_STOP = char_class(FULL_STOPS + SEMICOLONS)
_CLAUSE = FULL_STOPS + COLONS + COMMAS + SEMICOLONS + ENUMERATION_COMMA
_FIRST_SENTENCE = re.compile(
    rf"^([^{re.escape(_CLAUSE)}]{{{_TITLE[0]},{_TITLE[1]}}})[{re.escape(FULL_STOPS + COLONS)}]"
)
_FIRST_CLAUSE = re.compile(
    rf"^([^\s{re.escape(_CLAUSE + OPEN_PARENS + CLOSE_PARENS)}]{{{_TITLE[0]},{_LOOSE_TITLE}}})[{re.escape(COMMAS)}]"
)
_BRACKET = re.compile(r"^【([^【】\s:：]{2,30})】")
_BRACKET_ORDINAL = re.compile(rf"^【\s*(\d{{1,2}}|[{CN_NUMBERING}]{{1,3}})\s*】\s*")  # 【一】 then the title
_SEPARATOR = re.compile(r"^[^\w\u4e00-\u9fff]+$")
_CELLS = re.compile(r"\s{2,}|\t|\s*\|\s*")
_LOOSE_CELLS = re.compile(r"\s+|\s*\|\s*")  # a table whose columns are one space apart
_TABLE_RULE = re.compile(r"^[\s|:：\-—]+$")
_QUOTED = re.compile(rf"[{OPEN_QUOTES}]([^{OPEN_QUOTES}{CLOSE_QUOTES}]{{2,30}})[{CLOSE_QUOTES}]")
_INLINE = re.compile(
    rf"(?:第([{CN_NUMBERING}]{{1,3}})[{COMMAS}{ENUMERATION_COMMA}{COLONS}]|(?<![{CN_NUMBERING}])([{CN_NUMBERING}]{{1,3}})是"
    rf"(?=[\u4e00-\u9fff“])|其([{CN_NUMBERING}]{{1,3}})[{COMMAS}{ENUMERATION_COMMA}])"
)


@dataclass(frozen=True)
class Page:
    """The body lines a rule reads (title and noise removed) and the offsets where any measure ends."""

    text: str
    lines: tuple[Line, ...]
    stops: tuple[int, ...]
    end: int
    vocab: Vocabulary

    def end_of(self, start: int, starts: list[int]) -> int:
        """Where the text of a measure starting at `start` ends: the next measure, heading, noise or the end."""
        nxt = [b for b in (*self.stops, *starts) if b > start]
        return rstrip_end(self.text, min([*nxt, self.end]))


def _measure(title: str, t_start: int, start: int, end: int, style: str, **kw) -> MeasureSpan:
    return MeasureSpan(0, title, start, end, t_start, t_start + len(title), style, **kw)


def _is_separator(ln: Line) -> bool:
    return bool(_SEPARATOR.match(ln.body.strip()))


def _headed(page: Page, found: list[tuple[Line, str, int]], style: str) -> list[MeasureSpan]:
    """Measures from heading lines: each runs from its heading to the next heading, separator or stop."""
    seps = [ln.start for ln in page.lines if _is_separator(ln)]
    starts = [ln.start for ln, _, _ in found] + seps
    return [_measure(t, ts, ln.start, page.end_of(ln.start, starts), style) for ln, t, ts in found]


def bracket_headings(page: Page) -> list[MeasureSpan]:
    """Rule bracket-headings: lines that open with a 【heading】 (a public-account post's subheads), two or more;
    not the furniture of lx:structure-bracket-furniture (【编者按】). Where two or more lines open with a bracketed
    number numbered from one (【一】title), those are the headings, titled by the rest of their line."""
    numbered = _bracket_ordinals(page)
    if len(numbered) >= _MIN_ITEMS:
        return _headed(page, numbered, "bracket")
    furniture = page.vocab.words("structure-bracket-furniture")
    found = []
    for ln in page.lines:
        m = _BRACKET.match(ln.body)
        if m and not ln.body[m.end() :].startswith("【") and not m.group(1).startswith(furniture):
            if not _BRACKET_ORDINAL.match(ln.body):
                found.append((ln, m.group(1), ln.body_start + m.start(1)))
    return _headed(page, found, "bracket") if len(found) >= _MIN_ITEMS else []


def _bracket_ordinals(page: Page) -> list[tuple[Line, str, int]]:
    """Rule bracket-ordinals (of bracket-headings): lines 【一】title, 【2】title, numbered from one; the title is
    the rest of the line (2–30 characters, no full stop)."""
    found: list[tuple[Line, str, int]] = []
    for ln in page.lines:
        m = _BRACKET_ORDINAL.match(ln.body)
        title = ln.body[m.end() :].strip() if m else ""
        if not m or not 2 <= len(title) <= _MAX_HEADING or re.search(_STOP, title):
            continue
        if chinese_ordinal(m.group(1)) == len(found) + 1:
            found.append((ln, title, ln.body_start + ln.body.index(title, m.end())))
    return found


def _emoji_lead(body: str) -> tuple[str, int] | None:
    """The leading emoji of a line (a pictograph, or a keycap digit 1️⃣) and where the text after it starts."""
    if len(body) >= 2 and body[0].isdigit() and body[1:3].replace("\ufe0f", "").startswith("\u20e3"):
        return "keycap", body.index("\u20e3") + 1
    if body and unicodedata.category(body[0]) == "So" and not _SEPARATOR.match(body):
        i = 1
        while i < len(body) and (body[i] in "\ufe0f\u200d " or unicodedata.category(body[i]) == "So"):
            i += 1
        return body[0], i
    return None


def _has_text_after(page: Page, i: int) -> bool:
    """A heading at line `i` has text of its own: a next line that is no separator (━━━)."""
    return i + 1 < len(page.lines) and not _is_separator(page.lines[i + 1])


def emoji_headings(page: Page) -> list[MeasureSpan]:
    """Rule emoji-headings: short lines led by the same emoji, each followed by text of its own (three or more);
    bullets (the same emoji on consecutive lines) are no headings; the largest such group."""
    groups: dict[str, list[tuple[int, Line, int]]] = {}
    for i, ln in enumerate(page.lines):
        lead = _emoji_lead(ln.body)
        if lead is None:
            continue
        rest = ln.body[lead[1] :].strip()
        if 2 <= len(rest) <= _MAX_HEADING and not re.search(_STOP, rest):
            groups.setdefault(lead[0], []).append((i, ln, lead[1]))
    spaced = []
    for group in groups.values():
        at = {i for i, _, _ in group}
        spaced.append([x for x in group if x[0] - 1 not in at and x[0] + 1 not in at and _has_text_after(page, x[0])])
    best: list[tuple[int, Line, int]] = max(spaced, key=len, default=[])
    if len(best) < _MIN_PARAGRAPHS:
        return []
    found = []
    for _, ln, off in best:
        rest = ln.body[off:]
        pad = len(rest) - len(rest.lstrip())
        found.append((ln, rest.strip(), ln.body_start + off + pad))
    return _headed(page, found, "emoji")


def bold_headings(page: Page) -> list[MeasureSpan]:
    """Rule bold-headings: unnumbered lines that open with a bold **heading** (two or more)."""
    found = []
    for ln in page.lines:
        if not ln.text.lstrip(" #>").startswith("**") or is_numbered(ln.body):
            continue
        close = ln.body.find("**")
        title = ln.body[:close].strip().rstrip("。:：") if close > 0 else ""
        if 2 <= len(title) <= _MAX_HEADING and not re.search(_STOP, title):
            found.append((ln, title, ln.body_start + ln.body.index(title)))
    return _headed(page, found, "bold") if len(found) >= _MIN_ITEMS else []


@lru_cache(maxsize=8)
def _aspect(vocab: Vocabulary) -> re.Pattern[str]:
    words = "|".join(map(re.escape, vocab.words("structure-aspect-words"))) or "(?!)"
    return re.compile(rf"^(?:在)?([^\s{re.escape(_CLAUSE)}]{{2,20}}?(?:{words}))[{re.escape(COLONS + COMMAS)}]")


def aspect_leads(page: Page) -> list[MeasureSpan]:
    """Rule aspect-leads: paragraphs that open with "X方面：" (or "在X方面，"), two or more; titled "X方面"."""
    pattern = _aspect(page.vocab)
    found = []
    for ln in page.lines:
        m = pattern.match(ln.body)
        if m and not is_numbered(ln.body):
            found.append((ln, m.group(1), ln.body_start + m.start(1)))
    return _headed(page, found, "aspect") if len(found) >= _MIN_ITEMS else []


def _led_title(ln: Line, vocab: Vocabulary, loose: bool = False) -> str | None:
    body = ln.body
    if ln.heading_level or is_numbered(body) or body[:1] in OPEN_QUOTES + OPEN_PARENS + "【":
        return None
    rules = genre_rules(vocab)
    if rules.answer.match(body) or rules.question.match(body):
        return None
    m = _FIRST_SENTENCE.match(body) or (_FIRST_CLAUSE.match(body) if loose else None)
    if not m or len(body) - m.end() < _MIN_DETAIL:
        return None
    return m.group(1)


def paragraph_led(page: Page, *, loose: bool = False) -> list[MeasureSpan]:
    """Rule paragraph-led: paragraphs whose first sentence is a short title (4–25 characters, no comma),
    three or more in a row (one other paragraph may stand between two); the longest such run."""
    titled = [(i, ln, _led_title(ln, page.vocab, loose)) for i, ln in enumerate(page.lines)]
    runs: list[list[tuple[int, Line, str]]] = []
    for i, ln, title in titled:
        if title is None:
            continue
        if runs and i - runs[-1][-1][0] <= 2:
            runs[-1].append((i, ln, title))
        else:
            runs.append([(i, ln, title)])
    best = max(runs, key=len, default=[])
    if len(best) < _MIN_PARAGRAPHS:
        return []
    out = []
    for k, (i, ln, title) in enumerate(best):
        last = ln
        if k + 1 < len(best) and best[k + 1][0] == i + 2:
            last = page.lines[i + 1]  # the paragraph between two measures belongs to the first
        out.append(_measure(title, ln.body_start, ln.start, rstrip_end(page.text, last.end), "paragraph"))
    return out


@lru_cache(maxsize=8)
def _cues(vocab: Vocabulary) -> tuple[re.Pattern[str], dict[str, str]]:
    table = {w: how for w, how in vocab.table("structure-list-cues")}
    words = sorted(table, key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, words)) + rf")[{re.escape(COLONS)}\s]*" if words else "(?!)"), table


@lru_cache(maxsize=8)
def _joins(vocab: Vocabulary) -> tuple[str, re.Pattern[str]]:
    """The words that join a list's items (lx:structure-list-joins), as an alternation and as the gap
    between two quoted items (a comma, an enumeration comma or one of the words)."""
    words = "|".join(map(re.escape, vocab.words("structure-list-joins"))) or "(?!)"
    return words, re.compile(rf"\s*(?:[{ENUMERATION_COMMA}{COMMAS}]|{words})?\s*")


def _list_items(line: str, pos: int, strong: bool, vocab: Vocabulary) -> list[tuple[str, int]]:
    """The items of a list starting at `pos`: quoted ones joined by 、，和; or, after a strong cue, unquoted
    ones up to the sentence's end."""
    last_join, list_join = _joins(vocab)
    items, i = [], pos
    while True:
        m = _QUOTED.match(line, i)
        if not m:
            break
        items.append((m.group(1), m.start(1)))
        j = list_join.match(line, m.end())
        i = j.end() if j else m.end()
    if items or not strong:
        return items
    end = re.search(_STOP, line[pos:])
    chunk = line[pos : pos + end.start()] if end else line[pos:]
    out, off = [], pos
    parts = re.split(rf"([{COMMAS}{ENUMERATION_COMMA}])", chunk)
    last = re.search(rf"^(.{{4,}})({last_join})(.{{4,}})$", parts[-1])  # …，C和D: the last two items
    if last and len(parts) > 1:
        parts[-1:] = [last.group(1), last.group(2), last.group(3)]
    for part in parts:
        if part and part not in COMMAS + ENUMERATION_COMMA and not re.fullmatch(last_join, part):
            if not 2 <= len(part.strip()) <= _MAX_ITEM or " " in part.strip():
                return []
            out.append((part.strip(), off + part.index(part.strip())))
        off += len(part)
    return out


def quoted_list(page: Page) -> list[MeasureSpan]:
    """Rule quoted-list: measures named in one sentence after a cue word (依次是, 分别是 …: lx:structure-list-cues),
    three or more; each later paragraph that names an item (the earliest named) is that item's detail.

    A measure's primary span is its first detail paragraph (its title there), the rest and the list item are
    its other spans; an item no paragraph names is its place in the list. After a weak cue (包括), half the
    items at least must recur.
    """
    pattern, how = _cues(page.vocab)
    for k, ln in enumerate(page.lines):
        for cue in pattern.finditer(ln.text):
            strong = how[cue.group(1)] == "strong"
            items = _list_items(ln.text, cue.end(), strong, page.vocab)
            if len(items) < _MIN_LIST:
                continue
            details: dict[int, list[tuple[Line, int]]] = {}
            for later in page.lines[k + 1 :]:
                hits = [(later.text.find(name), n) for n, (name, _) in enumerate(items) if name in later.text]
                if hits:
                    at, n = min(hits)
                    details.setdefault(n, []).append((later, later.start + at))
            if not strong and len(details) * 2 < len(items):
                continue
            out = []
            for n, (name, at) in enumerate(items):
                listed = (ln.start + at, ln.start + at + len(name))
                if n in details:
                    (first, t_at), rest = details[n][0], details[n][1:]
                    also = tuple(sorted([listed, *((d.start, rstrip_end(page.text, d.end)) for d, _ in rest)]))
                    out.append(_measure(name, t_at, first.start, rstrip_end(page.text, first.end), "list", also=also))
                else:
                    out.append(_measure(name, listed[0], *listed, "list"))
            return out
    return []


def _answers(page: Page) -> list[list[Line]]:
    """The answers of an interview: from an answer label (答：), or from the line after a question (记者：,
    when the answers carry the speaker's name), up to the next question or heading."""
    rules = genre_rules(page.vocab)
    labelled = any(rules.answer.match(ln.body) for ln in page.lines)
    blocks: list[list[Line]] = []
    inside = after_question = False
    for ln in page.lines:
        if rules.answer.match(ln.body) or (after_question and not labelled):
            blocks.append([ln])
            inside, after_question = True, False
        elif rules.question.match(ln.body) or ln.heading_level:
            inside, after_question = False, rules.question.match(ln.body) is not None
        elif inside:
            blocks[-1].append(ln)
    return blocks


def _enumerated(page: Page, blocks: list[list[Line]], least: int) -> list[MeasureSpan]:
    """The items of the inline enumerations (第一，… 第二，… / 一是… 二是…) of each block, numbered from one;
    each titled by its first clause (up to a full stop, semicolon or comma)."""
    out = []
    for block in blocks:
        marks = []
        for ln in block:
            for m in _INLINE.finditer(ln.text):
                value = chinese_ordinal(next(g for g in m.groups() if g))
                marks.append((value, ln, m))
        run: list[tuple[int, Line, re.Match[str]]] = []
        for mark in marks:
            if mark[0] == len(run) + 1:
                run.append(mark)
        if len(run) < least:
            continue
        for n, (_, ln, m) in enumerate(run):
            nxt = run[n + 1] if n + 1 < len(run) else None
            end = ln.start + nxt[2].start() if nxt and nxt[1] is ln else ln.end
            rest = ln.text[m.end() : end - ln.start]
            stop = re.search(char_class(FULL_STOPS + SEMICOLONS + COMMAS), rest)
            title = (rest[: stop.start()] if stop else rest)[:_MAX_QA_TITLE]
            out.append(_measure(title, ln.start + m.end(), ln.start + m.start(), rstrip_end(page.text, end), "qa"))
    return out


def qa_answers(page: Page) -> list[MeasureSpan]:
    """Rule qa-answers: inside an interview's answers (答：…, up to the next question), the items of an inline
    enumeration 第一，… 第二，… (or 一是… 二是…), numbered from one; titled by their first sentence."""
    return _enumerated(page, _answers(page), _MIN_ITEMS)


def inline_ordinals(page: Page) -> list[MeasureSpan]:
    """Rule inline-ordinals: an inline enumeration of three or more items (一是…，二是…；第一，…) inside one
    paragraph (which may itself open with 一是), in any genre, when no other rule found measures."""
    return _enumerated(page, [[ln] for ln in page.lines], _MIN_LIST)


def _cells(line: Line, loose: bool = False) -> list[tuple[str, int]]:
    body, out, pos = line.text, [], 0
    for part in (_LOOSE_CELLS if loose else _CELLS).split(body):
        at = body.find(part, pos) if part else pos
        if part.strip():
            out.append((part.strip(), line.start + at + (len(part) - len(part.lstrip()))))
        pos = at + len(part)
    return out


def _row_number(cell: str) -> int | None:
    """The number in a table's number cell: 1, 1., （1）, 一."""
    core = cell.strip().strip("()（）.、．")
    try:
        return chinese_ordinal(core) if core else None
    except ValueError:
        return None


def text_table(page: Page) -> list[MeasureSpan]:
    """Rule text-table: a header row whose first cell is a number header (序号) and two or more cells more; a
    measure per following row numbered 1, 2, …, titled by its task column, its cells kept as its parts."""
    vocab = page.vocab
    numbers, titles = vocab.words("structure-table-number-headers"), vocab.words("structure-table-title-headers")
    lines = page.lines
    for k, ln in enumerate(lines):
        if not any(n in ln.text for n in numbers):
            continue  # its first cell is no number header
        loose = len(_cells(ln)) < 3
        header = [c for c, _ in _cells(ln, loose)]
        if len(header) < 3 or header[0] not in numbers:
            continue
        col = next((header.index(t) for t in titles if t in header[1:]), 1)
        out: list[MeasureSpan] = []
        for row in lines[k + 1 :]:
            if _TABLE_RULE.match(row.text):
                continue
            cells = _cells(row, loose)
            if loose and len(cells) > len(header):  # a one-space table: the extra words belong to the last cell
                last = cells[len(header) - 1]
                cells = [*cells[: len(header) - 1], (row.text[last[1] - row.start :].strip(), last[1])]
            if len(cells) <= col or _row_number(cells[0][0]) != len(out) + 1:
                break
            parts = tuple((h, c) for h, (c, _) in zip(header[1:], cells[1:], strict=False))
            title, t_start = cells[col]
            out.append(_measure(title, t_start, row.start, rstrip_end(page.text, row.end), "table", parts=parts))
        if len(out) >= _MIN_ITEMS:
            return out
    return []


_NUMBER_LINE = re.compile(rf"^(?:0?(\d{{1,2}})|([{CN_NUMBERING}]{{1,3}}))\W*$")


def number_headings(page: Page) -> list[MeasureSpan]:
    """Rule number-headings: a line that is only a number (01, 2, 三), the next line a short heading, numbered
    from one (a post's or a slide's subheads), two or more."""
    found: list[tuple[Line, str, int]] = []
    lines = page.lines
    for k, ln in enumerate(lines[:-1]):
        m = _NUMBER_LINE.match(ln.body.strip())
        head = lines[k + 1].body.strip()
        if not m or not 2 <= len(head) <= _MAX_HEADING or re.search(_STOP, head) or _NUMBER_LINE.match(head):
            continue
        if chinese_ordinal(m.group(1) or m.group(2)) == len(found) + 1:
            found.append((ln, head, lines[k + 1].body_start + lines[k + 1].body.index(head)))
    return _headed(page, found, "number") if len(found) >= _MIN_ITEMS else []


def paragraph_led_loose(page: Page) -> list[MeasureSpan]:
    """Rule paragraph-led-loose: paragraph-led, a first clause up to a comma (4–14 characters) also taken as
    the title ("扩大驿站覆盖，年内新建…"); a candidate only where its count equals the announced count."""
    return paragraph_led(page, loose=True)


#: rules whose candidate is taken only where it matches the announced count
ONLY_IF_ANNOUNCED = frozenset({"paragraph-led-loose"})

#: the segmentation rules of this module by name (the numbered rule is in kg.pipeline.measures)
RULES: dict[str, Callable[[Page], list[MeasureSpan]]] = {
    "text-table": text_table,
    "bracket-headings": bracket_headings,
    "emoji-headings": emoji_headings,
    "bold-headings": bold_headings,
    "aspect-leads": aspect_leads,
    "paragraph-led": paragraph_led,
    "quoted-list": quoted_list,
    "qa-answers": qa_answers,
    "inline-ordinals": inline_ordinals,
    "number-headings": number_headings,
    "paragraph-led-loose": paragraph_led_loose,
}
