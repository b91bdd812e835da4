"""Noise of the field: public-account furniture and spam fragments, as spans of the normalised text.

:func:`find_noise_spans` of :mod:`kg.pipeline.header` adds these spans to the web boilerplate it finds;
no mention and no quantity is taken from inside a noise span. The words come from
``ontology/lexicon/noise.ttl``. The rules, by name (docs/noise.md):

- *furniture-line*: follow and scan prompts, 阅读原文, staff lines (编辑：/审核：/校对：), picture captions;
- *share-line*: a line made only of share and reaction words (分享 · 点赞 · 在看);
- *nav-line*: among the first lines, three or more short items without digits separated by bars
  (合肥在线 | 工会频道 | 手机版); a table row or header in the body is never one;
- *source-line*: a short early line with a date and a source label (2024-02-28 09:12　来源：…); a byline
  without a label (account name, date, time) is kept: it names the issuer;
- *post-trailer*: from a late 阅读原文 / 扫码关注 line to the end of the text;
- *emoji-fragment*: a short fragment between two emoji runs pasted into a sentence, which goes on at both
  ends without punctuation (…50元🧧🧧扫码领红包🧧公共…), or which holds an ad phrase;
- *ad-phrase*: a spam phrase (注册送, 直播在线看 …) with the emoji, Latin letters and digits around it;
- *ad-marker*: a bracketed 【广告】 and the text after it up to the next punctuation (at most ten characters);
- *url*: a web address inside the text (www.…, http…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.pipeline.numbering import Line
from kg.text.dates import CN_DATE, NUMERIC_DATE
from kg.vocab.ontology import Vocabulary

__all__ = ["EMOJI", "NoiseRules", "noise_rules", "noise_spans"]

#: emoji and pictographs, with their joiners and variation selectors
EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\u2190-\u21ff\ufe0f\u200d\u20e3"
_EMOJI_RUN = rf"[{EMOJI}]+"
#: leading characters stripped before a line is matched: emoji, brackets, spaces, bullets and shapes (▼ ■ ●)
_LEAD = re.compile(rf"^[\s{EMOJI}\u25a0-\u25ff【】\[\]()<>《》|·•*#]*")
_MAX_FRAGMENT = 20
_MAX_AD_TEXT = 10  # an ad after its 【广告】 mark: up to the next punctuation, at most this many characters
_MAX_INSIDE_LINE = 40
_MAX_SOURCE_LINE = 80
_SOURCE_LINES = 10  # a source line is among the first lines of the text
_TRAILER_FROM = 0.6
_NAV_ITEMS = 3
_NAV_ITEM = 8
#: a fragment between two emoji runs: no sentence end, no line break inside
_FRAGMENT = re.compile(rf"{_EMOJI_RUN}[^{EMOJI}\n。！？!?；;]{{1,{_MAX_FRAGMENT}}}?{_EMOJI_RUN}")
_DATE = re.compile(rf"{NUMERIC_DATE}|{CN_DATE}")  # a date anywhere on the line
_AD_AROUND = re.compile(rf"[{EMOJI}A-Za-z0-9]")
#: after an ad phrase: emoji, letters, digits, and one unit character after digits (注册送88元)
_AD_AFTER = re.compile(rf"[{EMOJI}A-Za-z0-9.]*(?:(?<=\d)[\u4e00-\u9fff])?[{EMOJI}]*")
_WORD = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_DIGIT = re.compile(r"\d")
_CLAUSE_MARKS = ",、"  # folded commas: a fragment pasted after one is still inside its sentence
_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9./?=&_%#:~+\-]+", re.I)
_SHARE_SEP = re.compile(r"[\s·•|/:,、]+")
_FORMS = {"start": "{}", "label": r"{}\s*[:：]"}


@dataclass(frozen=True)
class NoiseRules:
    """The patterns the noise rules compile from one vocabulary's lexicon."""

    furniture: re.Pattern[str]
    furniture_inside: re.Pattern[str]
    share_words: frozenset[str]
    trailer: re.Pattern[str]
    source_label: re.Pattern[str]
    ad_phrase: re.Pattern[str]
    ad_marker: re.Pattern[str]


def _spaced(word: str) -> str:
    """A lexicon word as a regex: a space in it matches any white space, or none (编 辑：)."""
    return r"\s*".join(map(re.escape, word.split(" ")))


def _longest_first(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


@lru_cache(maxsize=8)
def noise_rules(vocab: Vocabulary) -> NoiseRules:
    """Compile the ``noise-*`` lists of `vocab`'s lexicon."""
    rows = vocab.table("noise-furniture-lines")
    forms = [_FORMS[how].format(_spaced(word)) for word, how in rows if how != "inside"]
    inside = [_spaced(word) for word, how in rows if how == "inside"]
    ads = _longest_first(vocab.words("noise-ad-phrases"))
    return NoiseRules(
        furniture=re.compile("(?:" + "|".join(forms) + ")" if forms else "(?!)", re.I),
        furniture_inside=re.compile("|".join(inside) or "(?!)", re.I),
        share_words=frozenset(vocab.words("noise-share-words")),
        trailer=re.compile(f"(?:{_longest_first(vocab.words('noise-trailers'))})"),
        source_label=re.compile(rf"(?:{_longest_first(vocab.words('noise-source-labels'))})\s*[:：]"),
        ad_phrase=re.compile(rf"(?=({ads}))", re.I),
        ad_marker=re.compile(
            rf"[【\[(](?:{_longest_first(vocab.words('noise-ad-markers'))})[】\])][^,，。；;！!？?\n]{{0,{_MAX_AD_TEXT}}}",
            re.I,
        ),
    )


def _stripped(body: str) -> str:
    return body[_LEAD.match(body).end() :]  # type: ignore[union-attr]  # `*` always matches


def _furniture_line(rules: NoiseRules, body: str) -> bool:
    """Rule *furniture-line* (an 'inside' word only counts in a short line)."""
    if rules.furniture.match(body):
        return True
    return len(body) <= _MAX_INSIDE_LINE and rules.furniture_inside.search(body) is not None


def _share_line(rules: NoiseRules, body: str) -> bool:
    """Rule *share-line*: every word of the line is a share word (分享 · 点赞 · 在看)."""
    words = [w for w in _SHARE_SEP.split(body) if w]
    return bool(words) and all(w in rules.share_words for w in words)


def _nav_line(body: str) -> bool:
    """Rule *nav-line*: three or more short items without digits separated by bars (site menus, channel bars)."""
    items = [w.strip() for w in body.split("|")]
    return len(items) >= _NAV_ITEMS and all(0 < len(w) <= _NAV_ITEM and not _DIGIT.search(w) for w in items)


def _table_next(lines: list[Line], i: int) -> bool:
    """The line after line `i` is a table row with bars and a number (1 | 疗休养 | …): line `i` is its header."""
    if i + 1 >= len(lines):
        return False
    nxt = lines[i + 1].body
    return nxt.count("|") >= _NAV_ITEMS - 1 and bool(_DIGIT.search(nxt))


def _source_line(rules: NoiseRules, body: str) -> bool:
    """Rule *source-line*: a short line with a date and a source label (来源：, 发布时间)."""
    if len(body) > _MAX_SOURCE_LINE or not _DATE.search(body):
        return False
    return bool(rules.source_label.search(body))  # the pattern ends with the colon


def _line_noise(rules: NoiseRules, lines: list[Line], text: str):
    """Whole lines of furniture, and the public-account trailer."""
    for i, ln in enumerate(lines):
        body = _stripped(ln.body).strip()
        if not body:
            continue
        if ln.start > len(text) * _TRAILER_FROM and rules.trailer.match(body):
            yield ln.start, len(text)
            return
        early = i < _SOURCE_LINES
        if (
            _furniture_line(rules, body)
            or _share_line(rules, body)
            or (early and ((_nav_line(body) and not _table_next(lines, i)) or _source_line(rules, body)))
        ):
            yield ln.start, ln.end


def _spam_fragments(rules: NoiseRules, text: str):
    """Rules *emoji-fragment*, *ad-phrase*, *ad-marker* and *url*."""
    for m in _FRAGMENT.finditer(text):
        before = text[m.start() - 1 : m.start()]
        after = text[m.end() : m.end() + 1]
        if not (before and (_WORD.match(before) or before in _CLAUSE_MARKS)):
            continue  # an emoji heading or bullet at the start of a line
        if (after and _WORD.match(after)) or rules.ad_phrase.search(m.group()):
            yield m.start(), m.end()
    yield from _ad_spans(rules, text)
    for m in rules.ad_marker.finditer(text):
        yield m.start(), m.end()
    for m in _URL.finditer(text):
        yield m.start(), m.end()


def _ad_spans(rules: NoiseRules, text: str):
    """Rule *ad-phrase*: overlapping phrases joined (新用户注册送), then the emoji, letters and digits around."""
    merged: list[list[int]] = []
    for m in rules.ad_phrase.finditer(text):
        start, end = m.start(), m.start() + len(m.group(1))
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        while start > 0 and _AD_AROUND.match(text[start - 1]):
            start -= 1
        after = _AD_AFTER.match(text, end)
        yield start, after.end() if after else end


def noise_spans(text: str, lines: list[Line], vocab: Vocabulary) -> list[tuple[int, int]]:
    """The noise spans of a normalised text (its lines from :func:`kg.pipeline.numbering.split_lines`)."""
    rules = noise_rules(vocab)
    return [*_line_noise(rules, lines, text), *_spam_fragments(rules, text)]
