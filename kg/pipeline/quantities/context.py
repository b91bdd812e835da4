"""The context of a quantity: quoted spans, sentence and clause, period, role, rate and the thing counted."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from kg.pipeline.quantities.rules import QuantityRules
from kg.text.chars import CLAUSE_END, FULL_STOPS, QUOTE_PAIRS, SEMICOLONS, TITLE_MARKS, char_class

__all__ = ["clause_start", "counts", "per", "period", "quoted_mask", "role", "sentence_start"]

_SENTENCE_ENDS = FULL_STOPS + SEMICOLONS + "\n"  # a colon does not end it here
_CLAUSE_ENDS = CLAUSE_END + "\n"
_CLAUSE_END_RE = re.compile(char_class(_CLAUSE_ENDS))
_TITLE_OPEN, _TITLE_CLOSE = TITLE_MARKS
#: pairs whose inside is a name or a title (numbers there are not quantities)
_QUOTE_PAIRS = {**QUOTE_PAIRS, _TITLE_OPEN: _TITLE_CLOSE, "〈": "〉"}
_MAX_QUOTE = 40
_OPENING_RE = re.compile(char_class("".join(_QUOTE_PAIRS) + '"'))
_MAX_TITLE = 100
_COUNTS_AFTER_RE = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,24}")
_COUNTS_QUOTE_RE = re.compile(r"“([^”\n]{2,24})”")
_COUNTS_BEFORE_RE = re.compile(r"[\u4e00-\u9fff、A-Za-z]+")
_MAX_COUNTS = 24


def quoted_mask(text: str) -> list[bool]:
    """Characters inside “…”, 《…》 and similar pairs (names, titles); unclosed marks are ignored."""
    mask = [False] * len(text)
    n = len(text)
    m = _OPENING_RE.search(text)
    while m is not None:
        i, ch = m.start(), m.group()
        close = _QUOTE_PAIRS.get(ch, '"')
        limit = _MAX_TITLE if ch == _TITLE_OPEN else _MAX_QUOTE
        j = text.find(close, i + 1, min(n, i + 1 + limit))
        if j != -1 and "\n" not in text[i:j]:
            mask[i + 1 : j] = [True] * (j - i - 1)
            m = _OPENING_RE.search(text, j + 1)  # a title's nested “…” is covered by the title
        else:
            m = _OPENING_RE.search(text, i + 1)
    return mask


def sentence_start(text: str, start: int) -> int:
    """Where the sentence holding `start` begins."""
    ends = _ends(text, _SENTENCE_ENDS)
    k = bisect_left(ends, start)
    return ends[k - 1] + 1 if k else 0


def clause_start(text: str, start: int) -> int:
    """Where the clause holding `start` begins."""
    ends = _ends(text, _CLAUSE_ENDS)
    k = bisect_left(ends, start)
    return ends[k - 1] + 1 if k else 0


@lru_cache(maxsize=8)
def _ends(text: str, marks: str) -> list[int]:
    """The offsets of `marks` in `text` (a document's sentences or clauses), found once per text."""
    return [m.start() for m in re.finditer(char_class(marks), text)]


def period(rules: QuantityRules, text: str, sent_start: int, clause: int, start: int) -> str | None:
    """Nearest period before the number: in its clause, else a scope-setting one in its sentence.

    A bare year ("自2019年…以来") only scopes the sentence when it opens a clause.
    """
    found = None
    for m in rules.period_re.finditer(text, sent_start, start):
        if (
            m.start() >= clause
            or not rules.clause_period_re.fullmatch(m.group())
            or _CLAUSE_END_RE.match(text[m.start() - 1 : m.start()] or "\n")
            or m.start() == sent_start
        ):
            found = m
    if found is None:
        return None
    return re.sub(r"\s+", "", found.group())


def role(rules: QuantityRules, prefix: str, default: str) -> str:
    """Role from the cue nearest to the number; weak statistic cues (达到) only without a target cue."""
    best: tuple[int, str] | None = None
    for regex, name in ((rules.target_re, "target"), (rules.statistic_re, "statistic")):
        for m in regex.finditer(prefix):
            if best is None or m.end() > best[0]:
                best = (m.end(), name)
    if best is not None:
        return best[1]
    if rules.weak_statistic_re.search(prefix):
        return "statistic"
    return default


def per(rules: QuantityRules, text: str, clause: int, start: int) -> str | None:
    """Rate denominator stated before the number: 每人 -> 人, 每所工匠学院 -> 工匠学院, 人均 -> 人."""
    found = None
    for m in rules.per_re.finditer(text, clause, start):
        found = m
    if found is None:
        return None
    noun = found.group("noun")
    if noun:
        cut = rules.per_cut_re.search(noun)
        noun = noun[: cut.start()] if cut else noun
        if len(noun) >= 2:
            return noun
    return found.group("w") or found.group("avg")


def _drop_particle(rules: QuantityRules, phrase: str) -> str:
    for particle in rules.particles:
        if phrase.startswith(particle):
            return phrase[len(particle) :]
    return phrase


def counts(rules: QuantityRules, text: str, clause: int, start: int, end: int) -> str | None:
    """The noun phrase a quantity counts: right after the unit, else right before the number."""
    quote = _COUNTS_QUOTE_RE.match(text, end)
    if quote:
        return quote.group(1)
    after = _COUNTS_AFTER_RE.match(text, end)
    if after:
        phrase = _drop_particle(rules, after.group())
        if not phrase.startswith(rules.counts_stop):
            stop = rules.counts_stop_re.search(phrase)
            phrase = phrase[: stop.start()] if stop is not None else phrase
            if 2 <= len(phrase) <= _MAX_COUNTS:
                return phrase
    before = rules.per_re.sub("", text[clause:start]).strip()  # 每人 / 人均 is the rate, not the thing
    if re.search(r"\d", before):  # a list of quantities: keep the item after the last 、
        before = rules.list_split_re.split(before)[-1]
    cut = None
    for m in rules.counts_verb_re.finditer(before):
        if len(before) - m.end() >= 2:
            cut = m
    if cut is not None:
        before = before[cut.end() :]
    before = before.replace("”“", "、").replace("“", "").replace("”", "")
    before = rules.counts_scope_re.sub("", before)
    before = rules.counts_trail_re.sub("", before).strip()
    before = _drop_particle(rules, before)
    if cut is None and rules.counts_verb_end_re.search(before):
        return None  # "四川省总工会筹集": the actor, not the thing counted
    if 2 <= len(before) <= _MAX_COUNTS and _COUNTS_BEFORE_RE.fullmatch(before):
        return before
    return None
