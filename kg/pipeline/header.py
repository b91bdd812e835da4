"""The header and furniture of a document: title, identifier, date, noise spans and duplicate sentences.

All offsets are offsets into the *normalised* text. The words come from the lexicon
(ontology/lexicon/structure.ttl for kinds of document and web boilerplate, ontology/lexicon/noise.ttl for
the furniture of public-account posts and mirror sites, read by :mod:`kg.pipeline.noise`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from kg.pipeline.noise import noise_spans
from kg.pipeline.numbering import TITLE_STOP, Line, is_numbered, split_lines
from kg.text.chars import COLONS, FULL_STOPS, YEAR_BRACKETS, char_class
from kg.text.dates import CN_DATE, DATE, YEAR, YEAR_OR_SPAN, iso_date
from kg.vocab.ontology import Vocabulary, load_vocabulary

__all__ = ["duplicate_paragraphs", "find_date", "find_identifier", "find_noise_spans", "find_title"]

_MIN_DUP_PARAGRAPH = 30
_YEAR_OPEN, _YEAR_CLOSE = (char_class(b) for b in YEAR_BRACKETS)
_IDENTIFIER = re.compile(rf"[\u4e00-\u9fff]{{1,12}}\s*{_YEAR_OPEN}\s*({YEAR})\s*{_YEAR_CLOSE}\s*\d{{1,4}}\s*号")
#: what an identifier ends with: a cheap test before the search for the whole of one
_IDENTIFIER_TAIL = re.compile(rf"{_YEAR_OPEN}\s*{YEAR}\s*{_YEAR_CLOSE}\s*\d{{1,4}}\s*号")
_FULL_DATE = re.compile(CN_DATE)
#: a date at the top of a web page, without spaces (2025-02-26)
_PAGE_DATE = re.compile(rf"(?<!\d)({YEAR})[.\-/](\d{{1,2}})[.\-/](\d{{1,2}})(?!\d)")
_DATE_LINE = re.compile(r"[\d\s.:\-年月日]+")
#: a line that is only a full date, perhaps in brackets: the signature date of a notice or plan
_DATE_ONLY = re.compile(rf"^[ \t(（]*{CN_DATE}[ \t)）]*$", re.M)
_SOURCE_LINES = 10
_MAX_HEADLINE = 80
_QUESTION_MARKS = ("?", "？")
_TAIL = 0.85
_SENTENCE = re.compile(rf"{char_class(FULL_STOPS, negate=True)}+{char_class(FULL_STOPS)}?")
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
    """The patterns the header rules compile from one vocabulary's lexicon."""

    title_words: re.Pattern[str]
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
        noise_line=re.compile(r"^\s*" + _alternation([*forms, r"\d+/\d+\s*$"]), re.I),
        trailer=re.compile(r"^\s*" + _alternation(map(re.escape, vocab.words("structure-page-trailers")))),
        red_header_ends=vocab.words("red-header-ends"),
        attachment_lines=vocab.words("structure-attachment-lines"),
    )


def find_noise_spans(text: str, *, vocab: Vocabulary | None = None) -> tuple[tuple[int, int], ...]:
    """Web boilerplate: breadcrumb/source/disclaimer lines, and everything after a page trailer.

    Adds the noise of the field (:mod:`kg.pipeline.noise`): public-account furniture lines, source lines,
    and spam fragments inside sentences. Spans are sorted; they may overlap.
    """
    vocab = vocab or load_vocabulary()
    rules = _rules(vocab)
    lines = split_lines(text)
    spans = list(_menu_runs(lines))
    spans.extend(noise_spans(text, lines, vocab))
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
            len(body) <= _MENU_ITEM and not ln.heading_level and not TITLE_STOP.search(body) and not is_numbered(body)
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
    head = text[:3000]
    m = _IDENTIFIER.search(head) if _IDENTIFIER_TAIL.search(head) else None
    if not m:
        return None
    return re.sub(r"\s+", "", m.group(0)), (m.start(), m.end())


def find_title(
    lines: list[Line], identifier_span: tuple[int, int] | None = None, *, vocab: Vocabulary | None = None
) -> Line | None:
    """The document title: an early heading or short line that names a kind of document.

    Rule *headline-title*: the title is in the header, so the search stops at the first paragraph of text
    once a candidate is found; a question (记者：…？) is never the title, nor a date or source line, nor a
    short lead with a full stop inside.
    """
    vocab = vocab or load_vocabulary()
    rules = _rules(vocab)
    questions = tuple(vocab.words("header-question-labels"))
    candidates: list[Line] = []
    for ln in lines[:12]:
        body = ln.body.strip("* ")
        if candidates and _paragraph(body):
            break
        if not body or len(body) > 80 or body.endswith(("。", *COLONS)) or "。" in body:
            continue  # a line with a full stop inside is running text (a lead), never the title
        if body.endswith(_QUESTION_MARKS) or re.match(rf"(?:{'|'.join(map(re.escape, questions))})\s*[:：]", body):
            continue
        if identifier_span and ln.start <= identifier_span[0] < ln.end:
            continue
        if body.endswith(rules.red_header_ends) or body in rules.attachment_lines or body.count(" / ") >= 2:
            continue
        if rules.noise_line.match(body) or _DATE_LINE.fullmatch(body):
            continue
        if is_numbered(body):
            continue  # a numbered heading or item is never the title
        candidates.append(ln)
    if not candidates:
        return None
    for ln in candidates:
        if rules.title_words.search(ln.body):
            return ln
    headed = [ln for ln in candidates if ln.heading_level]
    return (headed or candidates)[0]


def _paragraph(body: str) -> bool:
    """A line of running text: a long line with a full stop inside or at its end."""
    return len(body) > _MAX_HEADLINE and any(ch in body for ch in FULL_STOPS)


def find_date(text: str, identifier: str | None, *, vocab: Vocabulary | None = None) -> str | None:
    """The document's date (ISO), the first of these rules that finds one:

    *printed-date* (the last …年…月…日印发 line), *signature-date* (a line that is only a full date: the
    last one in the closing part, else the first one), *source-date* (the date of a 来源 / 发布时间 line
    among the first lines), then a full date in the closing part, the identifier's year, a page date
    near the top, the most frequent year.
    """
    printed = _printed_date(text, vocab or load_vocabulary())
    if printed:
        return printed
    tail_from = int(len(text) * _TAIL)
    signed = list(_DATE_ONLY.finditer(text))
    if signed:
        late = [m for m in signed if m.start() >= tail_from]
        return iso_date(late[-1] if late else signed[0])
    source = _source_date(text, vocab or load_vocabulary())
    if source:
        return source
    tail = text[tail_from:]
    dates = list(_FULL_DATE.finditer(tail))
    if dates:
        return iso_date(dates[-1])
    if identifier:
        year = re.search(YEAR, identifier)
        if year:
            return year.group(0)
    head = text[:600]
    page = _PAGE_DATE.search(head) or _FULL_DATE.search(head)
    if page:
        return iso_date(page)
    years = Counter(re.findall(YEAR_OR_SPAN, text))
    return years.most_common(1)[0][0] if years else None


def _printed_date(text: str, vocab: Vocabulary) -> str | None:
    """Rule *printed-date*: the full date right before a printing word (2025年4月18日印发), the last one."""
    words = vocab.words("header-printed-words")
    if not words:
        return None
    printed = re.compile(_FULL_DATE.pattern + r"\s*(?:" + "|".join(map(re.escape, words)) + ")")
    found = list(printed.finditer(text))
    return iso_date(found[-1]) if found else None


def _source_date(text: str, vocab: Vocabulary) -> str | None:
    """Rule *source-date*: the date on a source or byline line among the first lines (2024-02-28 09:12　来源：…)."""
    labels = vocab.words("noise-source-labels")
    for ln in split_lines(text)[:_SOURCE_LINES]:
        m = DATE.search(ln.body)
        if m and any(w in ln.body for w in labels):
            return iso_date(m)
    return None


def duplicate_paragraphs(lines: list[Line]) -> tuple[tuple[int, int], ...]:
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
