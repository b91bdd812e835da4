"""Structure: normalised text -> title, identifier, date, genre, announced count, kind, sections and measures.

All offsets here are offsets into the *normalised* text; the pipeline maps them to the original. The
header comes from :mod:`kg.pipeline.header`; the genre and announced count from :mod:`kg.pipeline.genre`;
the measures from the segmentation rules the genre tries (:mod:`kg.pipeline.measures`,
:mod:`kg.pipeline.segmenters`; docs/structure.md names every rule). The words come from the lexicon
(ontology/lexicon/structure.ttl, genres.ttl) through a :class:`~kg.vocab.ontology.Vocabulary`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.pipeline.genre import decide_genre
from kg.pipeline.header import duplicate_paragraphs as _duplicate_paragraphs
from kg.pipeline.header import find_date as _find_date
from kg.pipeline.header import find_identifier, find_noise_spans, find_title
from kg.pipeline.measures import segment
from kg.pipeline.noise import EMOJI
from kg.pipeline.numbering import Line, chinese_ordinal, split_lines
from kg.pipeline.segmenters import Page
from kg.pipeline.spans import MeasureSpan, SectionSpan
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

#: stripped from the end of a title line: bold marks, spaces and emoji
_TITLE_TAIL = re.compile(rf"[* {EMOJI}]+$")


@lru_cache(maxsize=8)
def _report_words(vocab: Vocabulary) -> re.Pattern[str]:
    """A title with one of these words (总结, 报告 …) is a report's (the header rules live in kg.pipeline.header)."""
    words = vocab.words("structure-report-words")
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")" if words else "(?!)")


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
        body = _TITLE_TAIL.sub("", title_line.body)  # a post's headline may end with emoji (…送清凉🍉)
        title = body.strip("* ")
        if title.startswith("——"):
            prev = [ln for ln in content if ln.end <= title_line.start]
            if prev:
                title = prev[-1].body.strip("* ") + title
        title_span = (title_line.body_start, title_line.body_start + len(body))
    else:
        title, title_span = None, None

    body_lines = [ln for ln in content if title_line is None or ln.start != title_line.start]
    line_noise = {s for s, _ in noise if s == 0 or text[s - 1] == "\n"}  # not a spam fragment inside a sentence
    stops = sorted({ln.start for ln in content if ln.heading_level} | line_noise | {cut})
    page = Page(text, tuple(body_lines), tuple(stops), cut, vocab)
    genre = decide_genre(text, title, lines, vocab=vocab)
    seg = segment(page, genre, title_span)
    measures = seg.measures
    report = genre == "work-report" or bool(title and _report_words(vocab).search(title))
    kind = "measures" if len(measures) >= 2 and not report else "report"
    return DocumentStructure(
        title=title,
        title_span=title_span,
        identifier=ident[0] if ident else None,
        identifier_span=ident[1] if ident else None,
        date=_find_date(text[:cut], ident[0] if ident else None, vocab=vocab),
        kind=kind,
        sections=seg.sections,
        measures=measures,
        duplicate_spans=_duplicate_paragraphs(content),
        noise_spans=tuple(noise),
        extra={"segmenter": seg.rule, "candidates": seg.candidates},
        genre=genre,
        announced_count=seg.announced[0] if seg.announced else None,
        announced_span=seg.announced[1] if seg.announced else None,
    )
