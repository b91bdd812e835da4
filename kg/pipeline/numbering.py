"""Numbering: the lines of a normalised text, their numbered items and the runs those items form.

Numbering styles are recognised by pattern (never per document) and ranked by their usual depth in
Chinese official documents: 一、 > （一） / 一是 > 1. > （1） > ①. :mod:`kg.pipeline.structure` makes
sections and measures of the runs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kg.text.chars import (
    CLOSE_PARENS,
    CN_DIGIT_VALUES,
    CN_HUNDRED,
    CN_NUMBERING,
    CN_TEN,
    FULL_STOPS,
    OPEN_PARENS,
    PAUSES,
    TITLE_MARKS,
    char_class,
)

__all__ = [
    "STYLES",
    "TITLE_STOP",
    "Item",
    "Line",
    "chinese_ordinal",
    "choose_measure_runs",
    "is_numbered",
    "merge_restatements",
    "numbered_items",
    "ordinal_runs",
    "section_headings",
    "split_lines",
]

_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}
_CN_NUM = CN_NUMBERING
_OPEN, _CLOSE = char_class(OPEN_PARENS), char_class(CLOSE_PARENS)

# style name -> (rank, pattern); group 1 is the ordinal.  Patterns see the line with any leading
# markdown heading marks, bold marks and whitespace already removed.
STYLES: dict[str, tuple[int, re.Pattern[str]]] = {
    "cn_dun": (0, re.compile(rf"^([{_CN_NUM}]{{1,3}})\s*[、.]")),
    "cn_paren": (1, re.compile(rf"^{_OPEN}([{_CN_NUM}]{{1,3}}){_CLOSE}")),
    "cn_shi": (1, re.compile(rf"^([{_CN_NUM}]{{1,3}})是(?=[\u4e00-\u9fff“])")),
    "di_tiao": (1, re.compile(rf"^第([{_CN_NUM}{CN_HUNDRED}]{{1,4}})[条项]")),
    "arabic": (2, re.compile(r"^(\d{1,2})\s*[.、．](?!\d)")),
    "arabic_space": (2, re.compile(r"^(\d{1,2})\s+(?=[\u4e00-\u9fff“])")),
    "arabic_bar": (2, re.compile(r"^(\d{1,2})\s*[|｜丨/]\s*(?=[\u4e00-\u9fff“])")),
    "arabic_paren": (3, re.compile(rf"^{_OPEN}(\d{{1,2}}){_CLOSE}")),
    "circled": (4, re.compile(r"^([\u2460-\u2473])")),
}
_LEAD = re.compile(r"^[\s#>*]*")
_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
TITLE_STOP = re.compile(char_class(FULL_STOPS + PAUSES))
_MAX_TITLE = 60
#: what two titles may differ in and still be the same title (quotes, title marks, brackets, dots, bold)
_TITLE_NOISE = re.compile(r"[\s" + re.escape("“”\"'" + "".join(TITLE_MARKS) + OPEN_PARENS + CLOSE_PARENS + "·*") + "]")


@dataclass(frozen=True)
class Line:
    """One line of the normalised text; `body` is the line with leading marks removed."""

    start: int
    end: int
    text: str
    body: str
    body_start: int
    heading_level: int = 0


def chinese_ordinal(text: str) -> int:
    """Value of a small Chinese numeral (一..九十九, 百) or circled/Arabic digit."""
    if text in _CIRCLED:
        return _CIRCLED[text]
    if text.isdigit():
        return int(text)
    if text == CN_HUNDRED:
        return 100
    total, current = 0, 0
    for ch in text:
        if ch == CN_TEN:
            total += (current or 1) * 10
            current = 0
        elif ch == CN_HUNDRED:
            total += (current or 1) * 100
            current = 0
        elif ch in CN_DIGIT_VALUES:
            current = CN_DIGIT_VALUES[ch]
        else:
            raise ValueError(f"not a Chinese ordinal: {text!r}")
    return total + current


def split_lines(text: str) -> list[Line]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        if not raw.strip():
            continue
        heading = _HEADING.match(raw)
        level = len(heading.group(1)) if heading else 0
        lead = _LEAD.match(raw).end()  # type: ignore[union-attr]  # `*` always matches
        out.append(Line(start, end, raw, raw[lead:], start + lead, level))
    return out


def _title_after(line: Line, offset: int) -> tuple[str, int, int]:
    """Measure/section title starting at `offset` within the line body."""
    body = line.body
    i = offset
    while i < len(body) and body[i] in " \t*":
        i += 1
    rest = body[i:]
    bold = rest.find("**")
    if bold > 0 and line.text.lstrip().startswith("**"):
        title = rest[:bold]
    else:
        stop = TITLE_STOP.search(rest)
        if stop and stop.start() <= _MAX_TITLE:
            title = rest[: stop.start()]
        else:
            title = rest[:_MAX_TITLE]
    title = title.rstrip(" *#\t")
    t_start = line.body_start + i
    return title, t_start, t_start + len(title)


@dataclass
class Item:
    style: str
    ordinal: int
    line: Line
    title: str
    title_start: int
    title_end: int


def numbered_items(lines: list[Line]) -> list[Item]:
    items = []
    for line in lines:
        for style, (_, pattern) in STYLES.items():
            m = pattern.match(line.body)
            if not m:
                continue
            try:
                ordinal = chinese_ordinal(m.group(1))
            except ValueError:
                continue
            title, ts, te = _title_after(line, m.end())
            if title:
                items.append(Item(style, ordinal, line, title, ts, te))
            break
    return items


def ordinal_runs(items: list[Item]) -> dict[str, list[list[Item]]]:
    """Consecutive ordinal runs (1, 2, 3 …) per numbering style."""
    runs: dict[str, list[list[Item]]] = {}
    for item in items:
        style_runs = runs.setdefault(item.style, [])
        if style_runs and item.ordinal == style_runs[-1][-1].ordinal + 1:
            style_runs[-1].append(item)
        elif item.ordinal == 1:
            style_runs.append([item])
    return {s: [r for r in rs if len(r) >= 2] for s, rs in runs.items() if any(len(r) >= 2 for r in rs)}


def _norm_title(title: str) -> str:
    return _TITLE_NOISE.sub("", title)


def _same_list(a: list[Item], b: list[Item]) -> bool:
    if len(a) != len(b):
        return False
    same = sum(1 for x, y in zip(a, b, strict=False) if _norm_title(x.title) == _norm_title(y.title))
    return same >= 0.8 * len(a)


def section_headings(lines: list[Line], runs: dict[str, list[list[Item]]]) -> list[Item]:
    """Section headings: 一、 headings when a deeper list exists, else repeated markdown headings."""
    if "cn_dun" in runs and any(s != "cn_dun" for s in runs):
        return [it for run in runs["cn_dun"] for it in run]
    levels = Counter(ln.heading_level for ln in lines if ln.heading_level)
    if not levels:
        return []
    top = min(levels)
    candidates = [lvl for lvl, n in levels.items() if n >= 2 and lvl > top]
    if not candidates:
        return []
    level = min(candidates, key=lambda lvl: (-levels[lvl], lvl))
    out = []
    for i, ln in enumerate(ln for ln in lines if ln.heading_level == level):
        title = ln.body.strip("* ")
        out.append(Item("heading", i + 1, ln, title, ln.body_start, ln.body_start + len(ln.body.rstrip("* "))))
    return out


def choose_measure_runs(runs: dict[str, list[list[Item]]], section_style: str | None) -> tuple[list, list]:
    styles = [s for s in runs if s != section_style]
    if not styles:
        return [], []
    # top-most remaining style; among equals, the one with most items
    best = min(styles, key=lambda s: (STYLES[s][0], -sum(len(r) for r in runs[s]), s))
    chosen = list(runs[best])
    others = [r for s in styles if s != best for r in runs[s]]
    return chosen, others


def merge_restatements(chosen: list[list[Item]], others: list[list[Item]]) -> tuple[list[Item], dict[int, list]]:
    """One list per distinct list of titles; restatements become extra spans of the same measure."""
    primary: list[list[Item]] = []
    restated: dict[int, list[list[Item]]] = {}
    for run in chosen:
        twin = next((i for i, p in enumerate(primary) if _same_list(p, run)), None)
        if twin is None:
            primary.append(run)
        else:
            restated.setdefault(twin, []).append(run)
    for run in others:
        twin = next((i for i, p in enumerate(primary) if _same_list(p, run)), None)
        if twin is not None:
            restated.setdefault(twin, []).append(run)
    items = [it for run in primary for it in run]
    extra: dict[int, list] = {}
    base = 0
    for i, run in enumerate(primary):
        for twin_run in restated.get(i, []):
            for j, it in enumerate(twin_run):
                extra.setdefault(base + j, []).append(it)
        base += len(run)
    return items, extra


def is_numbered(body: str) -> bool:
    """True when a line body starts with a numbering mark of any style (一、, （二）, 3., ④ …)."""
    return any(pattern.match(body) for _, pattern in STYLES.values())
