"""Structure: normalised text -> title, identifier, date, kind, sections and numbered measures.

All offsets here are offsets into the *normalised* text; the pipeline maps them to the original.
Numbering styles are recognised by pattern (never per document) and ranked by their usual depth
in Chinese official documents: 一、 > （一） / 一是 > 1. > （1） > ①. The words (kinds of document,
report words, web boilerplate) come from the lexicon (ontology/lexicon/structure.ttl) through a
:class:`~kg.vocab.ontology.Vocabulary`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from kg.text.chars import (
    CLOSE_PARENS,
    CN_DIGIT_VALUES,
    CN_HUNDRED,
    CN_NUMBERING,
    CN_TEN,
    COLONS,
    FULL_STOPS,
    OPEN_PARENS,
    PAUSES,
    TITLE_MARKS,
    YEAR_BRACKETS,
    char_class,
)
from kg.vocab.ontology import Vocabulary, load_vocabulary

__all__ = [
    "DocumentStructure",
    "Line",
    "MeasureSpan",
    "SectionSpan",
    "analyse_structure",
    "chinese_ordinal",
    "find_identifier",
    "find_noise_spans",
    "find_title",
    "segment_measures",
    "segment_sections",
]

_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}
_CN_NUM = CN_NUMBERING
_OPEN, _CLOSE = char_class(OPEN_PARENS), char_class(CLOSE_PARENS)

# style name -> (rank, pattern); group 1 is the ordinal.  Patterns see the line with any leading
# markdown heading marks, bold marks and whitespace already removed.
_STYLES: dict[str, tuple[int, re.Pattern[str]]] = {
    "cn_dun": (0, re.compile(rf"^([{_CN_NUM}]{{1,3}})\s*[、.]")),
    "cn_paren": (1, re.compile(rf"^{_OPEN}([{_CN_NUM}]{{1,3}}){_CLOSE}")),
    "cn_shi": (1, re.compile(rf"^([{_CN_NUM}]{{1,3}})是(?=[\u4e00-\u9fff“])")),
    "di_tiao": (1, re.compile(rf"^第([{_CN_NUM}{CN_HUNDRED}]{{1,4}})[条项]")),
    "arabic": (2, re.compile(r"^(\d{1,2})\s*[.、．](?!\d)")),
    "arabic_space": (2, re.compile(r"^(\d{1,2})\s+(?=[\u4e00-\u9fff“])")),
    "arabic_paren": (3, re.compile(rf"^{_OPEN}(\d{{1,2}}){_CLOSE}")),
    "circled": (4, re.compile(r"^([\u2460-\u2473])")),
}
_LEAD = re.compile(r"^[\s#>*]*")
_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
_TITLE_STOP = re.compile(char_class(FULL_STOPS + PAUSES))
_MAX_TITLE = 60
_MIN_DUP_PARAGRAPH = 30
_YEAR_OPEN, _YEAR_CLOSE = (char_class(b) for b in YEAR_BRACKETS)
_IDENTIFIER = re.compile(rf"[\u4e00-\u9fff]{{1,12}}\s*{_YEAR_OPEN}\s*((?:19|20)\d\d)\s*{_YEAR_CLOSE}\s*\d{{1,4}}\s*号")
_FULL_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_PAGE_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[.\-/](\d{1,2})[.\-/](\d{1,2})(?!\d)")
_DATE_LINE = re.compile(r"[\d\s.:\-年月日]+")
_SENTENCE = re.compile(rf"{char_class(FULL_STOPS, negate=True)}+{char_class(FULL_STOPS)}?")
#: what two titles may differ in and still be the same title (quotes, title marks, brackets, dots, bold)
_TITLE_NOISE = re.compile(r"[\s" + re.escape("“”\"'" + "".join(TITLE_MARKS) + OPEN_PARENS + CLOSE_PARENS + "·*") + "]")
_MENU_ITEM = 6  # a navigation menu: four or more lines in a row this short, neither numbered nor headings
_MENU_RUN = 4
#: how each kind of boilerplate word of lx:structure-boilerplate-lines is matched
_BOILERPLATE_FORMS = {
    "start": "{}",
    "label": r"{}\s*[:：]",
    "path": r"{}\s*[/>›»]",
    "count": r"{}\s*\d",
    "inside": ".*{}",
}


@dataclass(frozen=True)
class _Rules:
    """The patterns the structure stage compiles from one vocabulary's lexicon."""

    title_words: re.Pattern[str]
    report_words: re.Pattern[str]
    noise_line: re.Pattern[str]
    trailer: re.Pattern[str]
    red_header_ends: tuple[str, ...]
    attachment_lines: tuple[str, ...]


def _alternation(words) -> str:
    return "(?:" + "|".join(words) + ")" if words else "(?!)"


@lru_cache(maxsize=8)
def _rules(vocab: Vocabulary) -> _Rules:
    def spaced(word: str) -> str:  # a space in a lexicon word matches any white space, or none
        return r"\s*".join(map(re.escape, word.split(" ")))

    forms = [_BOILERPLATE_FORMS[how].format(spaced(word)) for word, how in vocab.table("structure-boilerplate-lines")]
    kinds = vocab.words("document-kinds") + vocab.words("structure-title-words")
    return _Rules(
        title_words=re.compile(_alternation(map(re.escape, kinds))),
        report_words=re.compile(_alternation(map(re.escape, vocab.words("structure-report-words")))),
        noise_line=re.compile(r"^\s*" + _alternation([*forms, r"\d+/\d+\s*$"]), re.I),
        trailer=re.compile(r"^\s*" + _alternation(map(re.escape, vocab.words("structure-page-trailers")))),
        red_header_ends=vocab.words("red-header-ends"),
        attachment_lines=vocab.words("structure-attachment-lines"),
    )


@dataclass(frozen=True)
class Line:
    """One line of the normalised text; `body` is the line with leading marks removed."""

    start: int
    end: int
    text: str
    body: str
    body_start: int
    heading_level: int = 0


@dataclass(frozen=True)
class SectionSpan:
    """A section heading and the text it governs."""

    ordinal: int
    title: str
    start: int
    end: int
    title_start: int
    title_end: int


@dataclass(frozen=True)
class MeasureSpan:
    """A numbered measure: its title, its primary span and any restatements of it."""

    ordinal: int
    title: str
    start: int
    end: int
    title_start: int
    title_end: int
    style: str
    section: int | None = None
    also: tuple[tuple[int, int], ...] = ()

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return ((self.start, self.end), *self.also)


@dataclass(frozen=True)
class DocumentStructure:
    """What :func:`analyse_structure` finds in one document."""

    title: str | None
    title_span: tuple[int, int] | None
    identifier: str | None
    identifier_span: tuple[int, int] | None
    date: str | None
    kind: str
    sections: tuple[SectionSpan, ...]
    measures: tuple[MeasureSpan, ...]
    duplicate_spans: tuple[tuple[int, int], ...] = ()
    noise_spans: tuple[tuple[int, int], ...] = ()
    extra: dict = field(default_factory=dict)


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


def _lines(text: str) -> list[Line]:
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
        stop = _TITLE_STOP.search(rest)
        if stop and stop.start() <= _MAX_TITLE:
            title = rest[: stop.start()]
        else:
            title = rest[:_MAX_TITLE]
    title = title.rstrip(" *#\t")
    t_start = line.body_start + i
    return title, t_start, t_start + len(title)


@dataclass
class _Item:
    style: str
    ordinal: int
    line: Line
    title: str
    title_start: int
    title_end: int


def _items(lines: list[Line]) -> list[_Item]:
    items = []
    for line in lines:
        for style, (_, pattern) in _STYLES.items():
            m = pattern.match(line.body)
            if not m:
                continue
            try:
                ordinal = chinese_ordinal(m.group(1))
            except ValueError:
                continue
            title, ts, te = _title_after(line, m.end())
            if title:
                items.append(_Item(style, ordinal, line, title, ts, te))
            break
    return items


def _runs(items: list[_Item]) -> dict[str, list[list[_Item]]]:
    """Consecutive ordinal runs (1, 2, 3 …) per numbering style."""
    runs: dict[str, list[list[_Item]]] = {}
    for item in items:
        style_runs = runs.setdefault(item.style, [])
        if style_runs and item.ordinal == style_runs[-1][-1].ordinal + 1:
            style_runs[-1].append(item)
        elif item.ordinal == 1:
            style_runs.append([item])
    return {s: [r for r in rs if len(r) >= 2] for s, rs in runs.items() if any(len(r) >= 2 for r in rs)}


def _norm_title(title: str) -> str:
    return _TITLE_NOISE.sub("", title)


def _same_list(a: list[_Item], b: list[_Item]) -> bool:
    if len(a) != len(b):
        return False
    same = sum(1 for x, y in zip(a, b, strict=False) if _norm_title(x.title) == _norm_title(y.title))
    return same >= 0.8 * len(a)


def _section_items(lines: list[Line], runs: dict[str, list[list[_Item]]]) -> list[_Item]:
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
        out.append(_Item("heading", i + 1, ln, title, ln.body_start, ln.body_start + len(ln.body.rstrip("* "))))
    return out


def segment_sections(text: str, *, vocab: Vocabulary | None = None) -> tuple[SectionSpan, ...]:
    """Sections of a document (see :func:`analyse_structure`)."""
    return analyse_structure(text, vocab=vocab).sections


def segment_measures(text: str, *, vocab: Vocabulary | None = None) -> tuple[MeasureSpan, ...]:
    """Numbered measures of a document (see :func:`analyse_structure`)."""
    return analyse_structure(text, vocab=vocab).measures


def _choose_measure_runs(runs: dict[str, list[list[_Item]]], section_style: str | None) -> tuple[list, list]:
    styles = [s for s in runs if s != section_style]
    if not styles:
        return [], []
    # top-most remaining style; among equals, the one with most items
    best = min(styles, key=lambda s: (_STYLES[s][0], -sum(len(r) for r in runs[s]), s))
    chosen = list(runs[best])
    others = [r for s in styles if s != best for r in runs[s]]
    return chosen, others


def _merge_restatements(chosen: list[list[_Item]], others: list[list[_Item]]) -> tuple[list[_Item], dict[int, list]]:
    """One list per distinct list of titles; restatements become extra spans of the same measure."""
    primary: list[list[_Item]] = []
    restated: dict[int, list[list[_Item]]] = {}
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


def find_noise_spans(text: str, *, vocab: Vocabulary | None = None) -> tuple[tuple[int, int], ...]:
    """Web boilerplate: breadcrumb/source/disclaimer lines, and everything after a page trailer."""
    rules = _rules(vocab or load_vocabulary())
    lines = _lines(text)
    spans = list(_menu_runs(lines))
    for _i, ln in enumerate(lines):
        if rules.trailer.match(ln.body) and ln.start > len(text) * 0.6:
            spans.append((ln.start, len(text)))
            break
        if rules.noise_line.match(ln.body) or ln.body.count(" / ") >= 2:
            spans.append((ln.start, ln.end))
    return tuple(sorted(set(spans)))


def _menu_runs(lines: list[Line]):
    """Lines of navigation menus saved with a web page (首页 / 要闻 / 政策法规 …, one per line)."""

    def item(ln: Line) -> bool:
        body = ln.body.strip()
        return (
            len(body) <= _MENU_ITEM
            and not ln.heading_level
            and not _TITLE_STOP.search(body)
            and not any(pattern.match(body) for _, pattern in _STYLES.values())
        )

    run: list[Line] = []
    for ln in [*lines, None]:
        if ln is not None and item(ln):
            run.append(ln)
            continue
        if len(run) >= _MENU_RUN:
            yield from ((x.start, x.end) for x in run)
        run = []


def find_identifier(text: str) -> tuple[str, tuple[int, int]] | None:
    """A document number such as 陕工办发〔2023〕12号, within the first part of the text."""
    m = _IDENTIFIER.search(text[:3000])
    if not m:
        return None
    return re.sub(r"\s+", "", m.group(0)), (m.start(), m.end())


def find_title(
    lines: list[Line], identifier_span: tuple[int, int] | None = None, *, vocab: Vocabulary | None = None
) -> Line | None:
    """The document title: an early heading or short line that names a kind of document."""
    rules = _rules(vocab or load_vocabulary())
    candidates = []
    for ln in lines[:12]:
        body = ln.body.strip("* ")
        if not body or len(body) > 80 or body.endswith(("。", *COLONS)):
            continue
        if identifier_span and ln.start <= identifier_span[0] < ln.end:
            continue
        if body.endswith(rules.red_header_ends) or body in rules.attachment_lines or body.count(" / ") >= 2:
            continue
        if rules.noise_line.match(body) or _DATE_LINE.fullmatch(body):
            continue
        if any(pattern.match(body) for _, pattern in _STYLES.values()):
            continue  # a numbered heading or item is never the title
        candidates.append(ln)
    if not candidates:
        return None
    for ln in candidates:
        if rules.title_words.search(ln.body):
            return ln
    headed = [ln for ln in candidates if ln.heading_level]
    return (headed or candidates)[0]


def _find_date(text: str, identifier: str | None) -> str | None:
    tail = text[int(len(text) * 0.85) :]
    dates = list(_FULL_DATE.finditer(tail))
    if dates:
        return _iso_date(dates[-1])
    if identifier:
        year = re.search(r"(?:19|20)\d\d", identifier)
        if year:
            return year.group(0)
    head = text[:600]
    page = _PAGE_DATE.search(head) or _FULL_DATE.search(head)
    if page:
        return _iso_date(page)
    years = Counter(re.findall(r"((?:19|20)\d\d)(?:\s*[—\-至~]\s*(?:19|20)\d\d)?\s*年", text))
    return years.most_common(1)[0][0] if years else None


def _iso_date(m: re.Match[str]) -> str:
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def _duplicate_paragraphs(lines: list[Line]) -> tuple[tuple[int, int], ...]:
    """Spans of sentences (at least 30 characters) that repeat an earlier sentence word for word."""
    seen: set[str] = set()
    dups: list[tuple[int, int]] = []
    for ln in lines:
        for m in _SENTENCE.finditer(ln.text):
            key = re.sub(r"\s+", "", m.group(0))
            if len(key) < _MIN_DUP_PARAGRAPH:
                continue
            start, end = ln.start + m.start(), ln.start + m.end()
            if key in seen:
                if dups and dups[-1][1] >= start - 1:
                    dups[-1] = (dups[-1][0], end)
                else:
                    dups.append((start, end))
            seen.add(key)
    return tuple(dups)


def analyse_structure(text: str, *, vocab: Vocabulary | None = None) -> DocumentStructure:
    """Find title, identifier, date, kind, sections and measures of a normalised document text.

    `vocab` gives the lexicon's words (default: the project's ontology, loaded once per process).
    """
    vocab = vocab or load_vocabulary()
    lines = _lines(text)
    noise = find_noise_spans(text, vocab=vocab)
    cut = min((s for s, e in noise if e == len(text) and s > 0), default=len(text))
    noisy = [(s, e) for s, e in noise]

    def in_noise(ln: Line) -> bool:
        return any(s <= ln.start < e for s, e in noisy)

    content = [ln for ln in lines if not in_noise(ln)]
    ident = find_identifier(text)
    title_line = find_title(content, ident[1] if ident else None, vocab=vocab)
    if title_line is not None:
        title = title_line.body.strip("* ")
        if title.startswith("——"):
            prev = [ln for ln in content if ln.end <= title_line.start]
            if prev:
                title = prev[-1].body.strip("* ") + title
        title_span = (title_line.body_start, title_line.body_start + len(title_line.body.rstrip("* ")))
    else:
        title, title_span = None, None

    body_lines = [ln for ln in content if title_line is None or ln.start != title_line.start]
    items = _items(body_lines)
    runs = _runs(items)
    section_items = _section_items(body_lines, runs)
    section_style = "cn_dun" if section_items and section_items[0].style == "cn_dun" else None
    chosen, others = _choose_measure_runs(runs, section_style)
    measure_items, restated = _merge_restatements(chosen, others)

    boundaries = sorted(
        {it.line.start for it in measure_items}
        | {it.line.start for its in restated.values() for it in its}
        | {it.line.start for it in section_items}
        | {ln.start for ln in content if ln.heading_level}
        | {s for s, _ in noise}
        | {cut}
    )

    def end_of(start: int) -> int:
        nxt = [b for b in boundaries if b > start]
        end = nxt[0] if nxt else len(text)
        return min(end, cut) if start < cut else end

    sections = []
    sec_starts = []
    for i, it in enumerate(section_items):
        nxt = section_items[i + 1].line.start if i + 1 < len(section_items) else cut
        sections.append(
            SectionSpan(i + 1, it.title, it.line.start, _rstrip_end(text, nxt), it.title_start, it.title_end)
        )
        sec_starts.append(it.line.start)

    measures = []
    for i, it in enumerate(measure_items):
        section = None
        for s in sections:
            if s.start <= it.line.start < s.end:
                section = s.ordinal
        also = tuple((r.line.start, _rstrip_end(text, end_of(r.line.start))) for r in restated.get(i, []))
        start = it.line.start
        end = _rstrip_end(text, end_of(start))
        # the fuller statement of a restated measure is the primary one
        spans = sorted(
            [(start, end, it), *((s, e, r) for (s, e), r in zip(also, restated.get(i, []), strict=False))],
            key=lambda x: (-(x[1] - x[0]), x[0]),
        )
        p_start, p_end, p_item = spans[0]
        others_spans = tuple(sorted((s, e) for s, e, _ in spans[1:]))
        measures.append(
            MeasureSpan(
                ordinal=i + 1,
                title=p_item.title,
                start=p_start,
                end=p_end,
                title_start=p_item.title_start,
                title_end=p_item.title_end,
                style=p_item.style,
                section=section,
                also=others_spans,
            )
        )

    kind = "measures" if len(measures) >= 2 and not (title and _rules(vocab).report_words.search(title)) else "report"
    return DocumentStructure(
        title=title,
        title_span=title_span,
        identifier=ident[0] if ident else None,
        identifier_span=ident[1] if ident else None,
        date=_find_date(text[:cut], ident[0] if ident else None),
        kind=kind,
        sections=tuple(sections),
        measures=tuple(measures),
        duplicate_spans=_duplicate_paragraphs(content),
        noise_spans=tuple(noise),
    )


def _rstrip_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in " \t\n":
        end -= 1
    return end
