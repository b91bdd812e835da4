"""Measures: the numbered rule, and the choice among the candidate segmentations of a document.

The genre gives the order of the rules (lx:genre-segmenters, ontology/lexicon/genres.ttl); the first
candidate whose number of measures equals the announced count wins, else the first with two or more
measures. Rules are named in docs/structure.md; the other rules live in :mod:`kg.pipeline.segmenters`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.pipeline.genre import find_announced, genre_rules
from kg.pipeline.numbering import (
    Item,
    choose_measure_runs,
    merge_restatements,
    numbered_items,
    ordinal_runs,
    section_headings,
)
from kg.pipeline.segmenters import ONLY_IF_ANNOUNCED, RULES, Page
from kg.pipeline.spans import MeasureSpan, SectionSpan, rstrip_end
from kg.text.chars import COLONS, FULL_STOPS, PAUSES, SEMICOLONS, char_class
from kg.vocab.ontology import Vocabulary

__all__ = ["Segmentation", "numbered", "numbered_top", "segment"]

_MIN_MEASURES = 2
_LINE_TITLE = 40  # an item line this short, with no full stop, is a title
_TITLE_END = 30  # …else its first sentence must end within this many characters
_MIN_BODY = 1  # …and some text must follow it
_FIRST_END = re.compile(char_class(FULL_STOPS + PAUSES))
_PUNCT = re.compile(r"[\s\W_]+")
_ATTACHMENT_NO = re.compile(r"\s*\d*\s*$")
_ATTACHMENT_LABEL = re.compile(rf"\s*\d*\s*[{COLONS}]")


@dataclass(frozen=True)
class Segmentation:
    """The chosen measures, the sections, the announced count (and its span) and the rule that won."""

    measures: tuple[MeasureSpan, ...]
    sections: tuple[SectionSpan, ...]
    announced: tuple[int, tuple[int, int]] | None
    rule: str | None
    candidates: dict[str, int]


@lru_cache(maxsize=8)
def _empty_sections(vocab: Vocabulary) -> frozenset[str]:
    return frozenset(_PUNCT.sub("", w) for w in vocab.words("structure-empty-sections"))


def _is_empty_section(title: str, vocab: Vocabulary) -> bool:
    return _PUNCT.sub("", title) in _empty_sections(vocab)


def _titled(item: Item) -> bool:
    """Rule titled-item: an item has a title when its line is short and has no full stop (a heading), is bold,
    or its first sentence ends early and more text follows."""
    line = item.line
    if line.heading_level or line.text.lstrip().startswith("**"):
        return True
    rest = line.text[item.title_start - line.start :].strip()
    stop = _FIRST_END.search(rest)
    if stop is None or (len(rest) <= _LINE_TITLE and not re.search(char_class(FULL_STOPS + SEMICOLONS), rest)):
        return len(rest) <= _LINE_TITLE
    return stop.start() <= _TITLE_END and len(rest) - stop.end() >= _MIN_BODY  # a title, then its text


def _titled_runs(runs: dict[str, list[list[Item]]]) -> dict[str, list[list[Item]]]:
    """Rule titleless-details: a level (a numbering style) whose items mostly lack titles holds details of its
    parent, not measures (kept only when no level has titles)."""
    kept = {s: rs for s, rs in runs.items() if 2 * sum(_titled(it) for r in rs for it in r) >= sum(map(len, rs))}
    return kept or runs


def numbered(page: Page) -> tuple[list[MeasureSpan], list[SectionSpan]]:
    """Rule numbered: numbered items (一、 （一） 1. 一是 第一条 ① …) in runs from one; 一、 items are sections when a
    deeper titled list exists (hierarchy), and sections of lx:structure-empty-sections hold no measures."""
    lines = list(page.lines)
    runs = _titled_runs(ordinal_runs(numbered_items(lines)))
    section_items = section_headings(lines, runs)
    section_style = "cn_dun" if section_items and section_items[0].style == "cn_dun" else None
    chosen, others = choose_measure_runs(runs, section_style)
    measure_items, restated = merge_restatements(chosen, others)
    starts = sorted(
        {it.line.start for it in measure_items}
        | {it.line.start for its in restated.values() for it in its}
        | {it.line.start for it in section_items}
    )
    sections = []
    for i, it in enumerate(section_items):
        nxt = section_items[i + 1].line.start if i + 1 < len(section_items) else page.end
        sections.append(
            SectionSpan(i + 1, it.title, it.line.start, rstrip_end(page.text, nxt), it.title_start, it.title_end)
        )
    measures = []
    for i, it in enumerate(measure_items):
        section = next((s for s in sections if s.start <= it.line.start < s.end), None)
        if _is_empty_section(it.title, page.vocab) or (section and _is_empty_section(section.title, page.vocab)):
            continue
        also = [(r.line.start, page.end_of(r.line.start, starts), r) for r in restated.get(i, [])]
        # the fuller statement of a restated measure is the primary one
        spans = sorted(
            [(it.line.start, page.end_of(it.line.start, starts), it), *also], key=lambda x: (x[0] - x[1], x[0])
        )
        p_start, p_end, p_item = spans[0]
        measures.append(
            MeasureSpan(
                ordinal=0,
                title=p_item.title,
                start=p_start,
                end=p_end,
                title_start=p_item.title_start,
                title_end=p_item.title_end,
                style=p_item.style,
                section=section.ordinal if section else None,
                also=tuple(sorted((s, e) for s, e, _ in spans[1:])),
            )
        )
    return measures, sections


def _outside_empty(measures: list[MeasureSpan], sections: list[SectionSpan], vocab: Vocabulary) -> list[MeasureSpan]:
    """Rule empty-sections for any rule: no measure titled like an empty section, or inside one."""
    empty = [s for s in sections if _is_empty_section(s.title, vocab)]
    return [
        m
        for m in measures
        if not _is_empty_section(m.title, vocab) and not any(s.start <= m.start < s.end for s in empty)
    ]


def _closing_dropped(measures: list[MeasureSpan], vocab: Vocabulary) -> list[MeasureSpan]:
    """Rule closing-items: the last measures whose title holds a word of lx:structure-closing-words (报送, 联系方式)
    are a notice's sending-in or contact instructions, not measures."""
    words = vocab.words("structure-closing-words")
    out = list(measures)
    while out and any(w in out[-1].title for w in words):
        out.pop()
    return out


def numbered_top(page: Page) -> list[MeasureSpan]:
    """Rule numbered-top: the other candidate of a hierarchy: the top level (一、) as the measures, every deeper
    level their details (tried when the numbered rule's count differs from the announced count)."""
    lines = list(page.lines)
    top = [it for it in numbered_items(lines) if it.style == "cn_dun"]
    runs = ordinal_runs(top).get("cn_dun", [])
    items = [it for run in runs for it in run if not _is_empty_section(it.title, page.vocab)]
    starts = [it.line.start for run in runs for it in run]
    return [
        MeasureSpan(
            0, it.title, it.line.start, page.end_of(it.line.start, starts), it.title_start, it.title_end, "cn_dun"
        )
        for it in items
    ]


def _attachment_page(page: Page) -> Page | None:
    """Rule attachment-body: the lines after a line that is only an attachment mark (附件, 附件1); else after the
    last line that opens with one and a colon (附件：…) when text follows it."""
    marks = page.vocab.words("structure-attachment-lines")
    labelled = None
    for k, ln in enumerate(page.lines):
        body = ln.body.strip()
        for m in marks:
            if not k or not body.startswith(m):
                continue
            rest = body[len(m) :]
            if _ATTACHMENT_NO.fullmatch(rest):
                return replace(page, lines=page.lines[k + 1 :])
            if _ATTACHMENT_LABEL.match(rest) and k + 1 < len(page.lines):
                labelled = k
    return replace(page, lines=page.lines[labelled + 1 :]) if labelled is not None else None


def segment(page: Page, genre: str, title_span: tuple[int, int] | None) -> Segmentation:
    """The measures of `page` by the rules its genre tries, compared with the announced count."""
    vocab = page.vocab
    order = genre_rules(vocab).segmenters.get(genre)
    if order is None:
        order = genre_rules(vocab).segmenters.get("plan", ("numbered",))
    on_page = numbered(page)  # the rule numbered on the page, tried again below
    _, sections = on_page
    regions = [title_span] if title_span else []
    title_count = find_announced(page.text, regions, vocab=vocab)
    pages = [p for p in (_attachment_page(page), page) if p is not None]
    found: list[tuple[str, list[MeasureSpan]]] = []
    for pg in pages:
        for name in order:
            if name == "numbered":
                ms = list((on_page if pg is page else numbered(pg))[0])
            else:
                rule = numbered_top if name == "numbered-top" else RULES[name]
                ms = _outside_empty(rule(pg), sections, vocab)
            ms = _closing_dropped(ms, vocab)
            if len(ms) >= _MIN_MEASURES:
                found.append((name, ms))
    counts = {name: len(ms) for name, ms in reversed(found)}
    chosen: tuple[str, list[MeasureSpan]] | None = None
    announced = title_count

    def said(ms: list[MeasureSpan]) -> tuple[int, tuple[int, int]] | None:  # the title, else the lead
        return find_announced(page.text, [*regions, (0, _line_start(page, ms[0].start))], vocab=vocab, count=len(ms))

    for name, ms in found:
        count = said(ms)
        if count and count[0] == len(ms):
            chosen, announced = (name, ms), count
            break
    fallback = [(name, ms) for name, ms in found if name not in ONLY_IF_ANNOUNCED]
    if chosen is None and fallback:
        chosen = fallback[0]
        announced = said(chosen[1])
    if chosen is None:
        return Segmentation((), tuple(sections), title_count, None, counts)
    measures = []
    for i, m in enumerate(chosen[1]):
        section = m.section
        if section is None:
            section = next((s.ordinal for s in sections if s.start <= m.start < s.end), None)
        measures.append(replace(m, ordinal=i + 1, section=section))
    return Segmentation(tuple(measures), tuple(sections), announced, chosen[0], counts)


def _line_start(page: Page, offset: int) -> int:
    return page.text.rfind("\n", 0, offset) + 1
