"""Structure: normalised text -> title, identifier, date, kind, sections and numbered measures.

All offsets here are offsets into the *normalised* text; the pipeline maps them to the original.
Numbered items and their runs come from :mod:`kg.pipeline.numbering`. The words (kinds of document,
report words, web boilerplate) come from the lexicon (ontology/lexicon/structure.ttl) through a
:class:`~kg.vocab.ontology.Vocabulary`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.pipeline.header import duplicate_paragraphs as _duplicate_paragraphs
from kg.pipeline.header import find_date as _find_date
from kg.pipeline.header import find_identifier, find_noise_spans, find_title
from kg.pipeline.numbering import (
    Line,
    chinese_ordinal,
    choose_measure_runs,
    merge_restatements,
    numbered_items,
    ordinal_runs,
    section_headings,
    split_lines,
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
    #: the document's genre: a local name of the genre scheme (ontology/genres.ttl): plan, notice, news-report,
    #: shishi-list, interview, public-account-post, work-report
    genre: str = "plan"
    #: how many measures the document announces (十项举措 -> 10), and where it says so (normalised offsets)
    announced_count: int | None = None
    announced_span: tuple[int, int] | None = None


def segment_sections(text: str, *, vocab: Vocabulary | None = None) -> tuple[SectionSpan, ...]:
    """Sections of a document (see :func:`analyse_structure`)."""
    return analyse_structure(text, vocab=vocab).sections


def segment_measures(text: str, *, vocab: Vocabulary | None = None) -> tuple[MeasureSpan, ...]:
    """Numbered measures of a document (see :func:`analyse_structure`)."""
    return analyse_structure(text, vocab=vocab).measures


def analyse_structure(text: str, *, vocab: Vocabulary | None = None) -> DocumentStructure:
    """Find title, identifier, date, kind, sections and measures of a normalised document text.

    `vocab` gives the lexicon's words (default: the project's ontology, loaded once per process).
    """
    vocab = vocab or load_vocabulary()
    lines = split_lines(text)
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
    items = numbered_items(body_lines)
    runs = ordinal_runs(items)
    section_items = section_headings(body_lines, runs)
    section_style = "cn_dun" if section_items and section_items[0].style == "cn_dun" else None
    chosen, others = choose_measure_runs(runs, section_style)
    measure_items, restated = merge_restatements(chosen, others)

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
