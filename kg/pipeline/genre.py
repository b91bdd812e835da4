"""Genre and announced count: what kind of text a document is, and how many measures it says it has.

Both are decided from the text (never from a file name); the words come from the lexicon
(ontology/lexicon/genres.ttl, and the announced-count lists of ontology/lexicon/structure.ttl). The rules
are named in docs/structure.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.pipeline.numbering import Line, chinese_ordinal
from kg.text.chars import CN_NUMBERING, CN_TWO, COLONS
from kg.vocab.ontology import Vocabulary

__all__ = ["GENRES", "GenreRules", "decide_genre", "find_announced", "genre_rules"]

#: the genres of the scheme (ontology/genres.ttl), by skos:notation
GENRES = ("plan", "notice", "news-report", "shishi-list", "interview", "public-account-post", "work-report")
_HEAD_LINES = 8  # a news report's byline or source line stands within its first lines
_MIN_ANSWERS = 2
_REPORT_LEAD = 1000  # a report says what it reports (现将…报告如下) within its first characters
_MIN_POST_CUES = 2
_MAX_ANNOUNCED = 99


@dataclass(frozen=True)
class GenreRules:
    """The patterns of the genre and announced-count rules, compiled from one vocabulary's lexicon."""

    answer: re.Pattern[str]
    question: re.Pattern[str]
    post_cues: tuple[str, ...]
    news_cues: tuple[str, ...]
    notice_ends: tuple[str, ...]
    shishi_words: tuple[str, ...]
    report_words: tuple[str, ...]
    report_leads: tuple[str, ...]
    announced: re.Pattern[str]
    segmenters: dict[str, tuple[str, ...]]


def _alt(words) -> str:
    return "(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")" if words else "(?!)"


@lru_cache(maxsize=8)
def genre_rules(vocab: Vocabulary) -> GenreRules:
    """The genre rules of `vocab`'s lexicon."""
    colon = f"[{COLONS}]"
    number = rf"(?<![\d{CN_NUMBERING}第])(\d{{1,2}}|[{CN_NUMBERING}{CN_TWO}]{{1,3}})"
    classifiers = _alt(vocab.words("structure-announced-classifiers"))
    nouns = _alt(vocab.words("structure-announced-nouns"))
    return GenreRules(
        answer=re.compile(rf"^\s*{_alt(vocab.words('genre-answer-labels'))}\s*{colon}"),
        question=re.compile(rf"^\s*{_alt(vocab.words('genre-question-labels'))}\s*{colon}"),
        post_cues=vocab.words("genre-post-cues"),
        news_cues=vocab.words("genre-news-cues"),
        notice_ends=vocab.words("genre-notice-title-ends"),
        shishi_words=vocab.words("genre-shishi-title-words"),
        report_words=vocab.words("structure-report-words"),
        report_leads=vocab.words("genre-report-lead-cues"),
        announced=re.compile(rf"{number}\s*{classifiers}[\u4e00-\u9fff]{{0,4}}?{nouns}"),
        segmenters={row[0]: tuple(row[1:]) for row in vocab.table("genre-segmenters")},
    )


def decide_genre(text: str, title: str | None, lines: list[Line], *, vocab: Vocabulary) -> str:
    """The document's genre, by the first rule that holds (docs/structure.md, 'Genre'):

    genre-work-report (a report word in the title, or a report's lead cue such as 报告如下 early in the text),
    genre-interview (two or more answer lines, or two or more question lines),
    genre-post (two public-account cues), genre-notice (the title ends with 通知), genre-news (a byline or
    source cue in the first lines), genre-shishi (实事 in the title), else plan.
    """
    rules = genre_rules(vocab)
    head = (title or "").strip()
    if any(w in head for w in rules.report_words):
        return "work-report"
    if any(w in text[:_REPORT_LEAD] for w in rules.report_leads):
        return "work-report"
    if (
        sum(1 for ln in lines if rules.answer.match(ln.body)) >= _MIN_ANSWERS
        or sum(1 for ln in lines if rules.question.match(ln.body)) >= _MIN_ANSWERS
    ):
        return "interview"
    if sum(1 for cue in rules.post_cues if cue in text) >= _MIN_POST_CUES:
        return "public-account-post"
    if head.endswith(rules.notice_ends):
        return "notice"
    first = " ".join(ln.body for ln in lines[:_HEAD_LINES])
    if any(cue in first for cue in rules.news_cues):
        return "news-report"
    if any(w in head for w in rules.shishi_words):
        return "shishi-list"
    return "plan"


def find_announced(
    text: str, regions: list[tuple[int, int]], *, vocab: Vocabulary, count: int | None = None
) -> tuple[int, tuple[int, int]] | None:
    """Rule announced-count: a "number + measure word + noun" phrase (十项举措, 18条措施, 八大行动, 九个方面) of the
    first region that has one (the title, then the lead before the first measure).

    Of that region's phrases, the one whose value is `count` (the measures a candidate found), else the first.
    Returns the count and the phrase's span, or None. Counts below 2 or above 99 are no announced count.
    """
    pattern = genre_rules(vocab).announced
    for start, end in regions:
        found = []
        for m in pattern.finditer(text, start, end):
            try:
                value = chinese_ordinal(m.group(1))
            except ValueError:
                continue
            if 2 <= value <= _MAX_ANNOUNCED:
                found.append((value, (m.start(), m.end())))
        if found:
            return next((f for f in found if f[0] == count), found[0])
    return None
