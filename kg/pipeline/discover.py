"""Discover: programmes, slogans, referenced documents and projects that the curated vocabularies lack.

Runs after the gazetteer (``mentions``) and before ``resolve``; curated mentions always win. Every
rule is named, every word list is data: heads, cues and suffixes in ``ontology/discovery.ttl``, measure
words in ``ontology/lexicon/discover.ttl`` (docs/discovery.md has examples).

Quoted names — “…”, 「…」, 『…』, ‘…’, "…" (adjacent quotes joined by nothing, 、, 和, 与 or 及 share
what follows the last one) — are decided by the first rule that applies:

``curated``
    a curated programme covers or overlaps the name, or sits inside it other than as its head
    (“中国梦·劳动美——…”): nothing new. A curated programme *as the head* of a longer, specific name
    (“雪域高原职工之家”) makes a local brand: programme, ``skos:broadMatch`` the curated one.
``parallel``
    separators (、，,；; or spaces between characters) and parts of about equal length: a slogan
    (“拼经济、搞建设、促发展”). Parts of unequal length are a list, not a name: dropped.
``formula``
    a number formula — N个X, N种X, N大X, N项X, N条X, N件X (“两个确立”, “三个年”) or a five-year-plan
    number (“十四五”): a slogan (strategy), even before a head (“三个年”活动).
``cue``
    a slogan cue follows, after at most a short modifier (“3815”战略, “四门”工会工作理念): a slogan.
``head-in``
    the name ends with a head (杯, 行动, 工程 …) and the rest is specific (not only generic words,
    numbers and places — “三年行动计划” is generic, rule ``generic``): a programme.
``head-out``
    a head follows the quotes after at most a short modifier (“五小”活动, “会聚良缘”婚恋服务): the
    quoted part is a programme.
``brand``
    a place name or epithet + a place-brand head (“三秦工匠”, 天府工匠): a programme.
``abbreviation``
    a short number-led coinage or a number with no head (“四化”, “双提升”, “345”): a slogan.
``no-head``
    anything else (“开门红”, “土特产”): not a programme, dropped.

Unquoted text:

``family``
    three or more quoted or bold names of one document share a two-character prefix, one of them
    quoted (渝工强基, 渝工铸魂, “渝工安康” …): each is a programme, at every occurrence.
``title``
    《…》: a referenced document (ukg:ReferencedDocument), unless its name is a programme by ``head-in``;
    a bare back-reference (《方案》) is dropped.
``brand``
    after a trigger word (命名, 选树, 组建 …) or a count (180名): a place or epithet + 工匠 (四川工匠),
    or a specific name + a brand head (陕西工会律师服务团, X劳模工匠学院): a programme.
``project``
    in a clause with a project cue (助力, 推进 …), a list item ending in a project head (铁路, 电站 …)
    with a specific prefix: a project (ukg:Project).

Discovered concepts get stable IRIs from their label: ``disc:<sha1[:12]>`` for programmes (in
``disc:scheme``), ``disc:slogan-…``, ``disc:document-…``, ``disc:project-…`` for the others.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from kg.model import MentionSpan
from kg.namespaces import DISC
from kg.text.chars import (
    CLOSE_PARENS,
    CLOSE_QUOTES,
    CN_DIGITS,
    CN_MAGNITUDES,
    CN_NUMBERING,
    CN_TEN,
    CN_TWO,
    COMMAS,
    ENUMERATION_COMMA,
    FULL_STOPS,
    OPEN_PARENS,
    OPEN_QUOTES,
    QUOTE_PAIRS,
    SEMICOLONS,
    TITLE_MARKS,
    char_class,
)
from kg.vocab.ontology import DiscoveryLexicon, Vocabulary, load_vocabulary

__all__ = ["DISCOVERED_TYPES", "Decision", "discover", "discovered_iri", "review"]

#: mention type -> IRI prefix of discovered concepts of that type
DISCOVERED_TYPES = {"programme": "", "slogan": "slogan-", "document": "document-", "project": "project-"}

_ALL_TYPES = ("programme", "organisation", "place", "target_group", "project", "slogan")
_MAX_QUOTE = 40
_MAX_TITLE = 80
_MAX_MODIFIER = 6
_CJK = r"\u4e00-\u9fff"
#: Arabic and Chinese numerals (the lexicon adds lx:discover-numeral-extras)
_NUMERALS = "0-9" + CN_DIGITS + CN_TWO + CN_MAGNITUDES
#: separators of parallel phrases: list punctuation, or spaces between Chinese parts or single/corner quotes
_SEPARATORS = re.compile(
    char_class(ENUMERATION_COMMA + COMMAS + SEMICOLONS)
    + rf"+|(?<=[{_CJK}{re.escape(CLOSE_QUOTES[1:])}])\s+(?=[{_CJK}{re.escape(OPEN_QUOTES[1:])}])"
)
_NAME = re.compile(rf"^[{_CJK}0-9A-Za-z·+]+$")
_BOLD = re.compile(rf"\*\*\s*(?:[①-⑳]|\d{{1,2}}|[{CN_NUMBERING}]+[、.])?\s*([{_CJK}]{{3,6}})\s*\*\*")
_ASCII_QUOTE = re.compile(rf'"([^"\n]{{1,{_MAX_QUOTE}}})"')
_OPEN_TITLE, _CLOSE_TITLE = TITLE_MARKS
_TITLE = re.compile(rf"{_OPEN_TITLE}([^{_OPEN_TITLE}{_CLOSE_TITLE}\n]{{2,{_MAX_TITLE}}}){_CLOSE_TITLE}")
_TITLE_TAIL = re.compile(
    rf"\s*{char_class(OPEN_PARENS)}{char_class(OPEN_PARENS + CLOSE_PARENS, negate=True)}{{1,20}}"
    rf"{char_class(CLOSE_PARENS)}\s*$"
)
_CLAUSE = re.compile(char_class(FULL_STOPS + SEMICOLONS + COMMAS + "\n", negate=True) + "+")
_ALL_QUOTES = re.compile(r"[\s" + re.escape(OPEN_QUOTES + CLOSE_QUOTES) + "]")


@dataclass(frozen=True)
class Decision:
    """What discovery decided about one candidate name: its outcome, the rule that decided it."""

    name: str
    start: int
    end: int
    outcome: str
    rule: str
    broader: str = ""


def discovered_iri(mention_type: str, label: str) -> str:
    """Stable IRI of a discovered concept: DISC[prefix + sha1(label)[:12]]."""
    return str(DISC[DISCOVERED_TYPES[mention_type] + hashlib.sha1(label.encode("utf-8")).hexdigest()[:12]])


def discover(
    text: str, mentions: list[MentionSpan], *, directory: str | None = None, vocab: Vocabulary | None = None
) -> list[MentionSpan]:
    """Mentions of discovered programmes, slogans, documents and projects (curated mentions win)."""
    out = []
    for d in review(text, mentions, directory=directory, vocab=vocab):
        if d.outcome in DISCOVERED_TYPES:
            out.append(
                MentionSpan(
                    d.outcome, discovered_iri(d.outcome, d.name), d.name, d.start, d.end, kind=d.broader, rule=d.rule
                )
            )
    return out


def review(
    text: str, mentions: list[MentionSpan], *, directory: str | None = None, vocab: Vocabulary | None = None
) -> list[Decision]:
    """Every decision, kept or not, in text order (what docs/discovery.md reports)."""
    ctx = _Context(text, mentions, _tables(vocab or load_vocabulary(directory)))
    decisions = _quoted(ctx) + _titles(ctx)
    decisions += _family(ctx, decisions) + _brands(ctx) + _projects(ctx)
    seen, out = set(), []
    for d in sorted(decisions, key=lambda d: (d.start, d.end, d.outcome not in DISCOVERED_TYPES)):
        if (d.start, d.end) not in seen:  # one decision per span; a kept one before a rejected one
            seen.add((d.start, d.end))
            out.append(d)
    return out


@dataclass(frozen=True)
class _Tables:
    """Lookups built once per vocabulary: word lists, place names, curated labels, compiled patterns."""

    lex: DiscoveryLexicon
    place_names: frozenset[str]
    curated: frozenset[str]
    unspecific: re.Pattern
    tail_words: tuple[tuple[str, str], ...]
    place_brand: re.Pattern
    brand: re.Pattern
    formula: re.Pattern
    abbreviation: re.Pattern
    count_lead: re.Pattern
    count: re.Pattern
    joiners: frozenset[str]
    item: re.Pattern
    etc: str
    list_words: str


@lru_cache(maxsize=4)
def _tables(vocab: Vocabulary) -> _Tables:
    lex = vocab.discovery
    names = {e.label for e in vocab.gazetteer if e.type == "place"}
    names |= {p.short for p in vocab.places.values() if p.kind == "province"}
    numerals = _NUMERALS + re.escape("".join(vocab.words("discover-numeral-extras")))

    def classifiers(name: str) -> str:
        return char_class("".join(vocab.words(name)))

    conjunctions = vocab.words("list-conjunctions")
    etc = "".join(vocab.words("list-etc"))
    tail = sorted(
        [(w, "cue") for w in lex.slogan_cues] + [(w, "head") for w in lex.heads], key=lambda x: (-len(x[0]), x)
    )
    return _Tables(
        lex=lex,
        place_names=frozenset(names),
        curated=frozenset(e.label for e in vocab.gazetteer),
        unspecific=re.compile(_alternation(names | set(lex.generic_words))),
        tail_words=tuple(tail),
        place_brand=re.compile(_alternation(set(lex.epithets) | names) + _alternation(lex.place_brand_heads)),
        brand=re.compile(
            rf"(?:{_alternation(lex.brand_triggers)}|\d+{classifiers('discover-brand-count-classifiers')})"
            rf"([{_CJK}]{{2,8}}?){_alternation(lex.brand_heads)}"
        ),
        formula=re.compile(
            rf"^(?:[{numerals}]+{classifiers('discover-formula-classifiers')}[{_CJK}]{{1,4}}"
            rf"|{CN_TEN}[{CN_DIGITS}]五)$"
        ),
        abbreviation=re.compile(rf"^(?:[0-9]+|[{numerals}](?=.*[^{numerals}])[{_CJK}]{{1,3}})$"),
        count_lead=re.compile(rf"^[{numerals}]+{classifiers('discover-count-lead-classifiers')}"),
        count=re.compile(rf"(?:\d+|[{numerals}]+){classifiers('discover-count-classifiers')}$"),
        joiners=frozenset(("", ENUMERATION_COMMA, *conjunctions)),
        item=re.compile(char_class(ENUMERATION_COMMA + "".join(conjunctions), negate=True) + "+"),
        etc=etc,
        list_words=etc + "".join(conjunctions),
    )


def _alternation(words) -> str:
    """A non-capturing group matching any of `words`, longest first (never matching when there are none)."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(map(re.escape, ordered)) + ")" if ordered else "(?!)"


@dataclass
class _Context:
    text: str
    mentions: list[MentionSpan]
    tables: _Tables

    @property
    def lex(self) -> DiscoveryLexicon:
        return self.tables.lex

    def covering(self, start: int, end: int, types=("programme",)) -> list[MentionSpan]:
        """Curated mentions of `types` that overlap [start, end)."""
        return [m for m in self.mentions if m.type in types and m.start < end and start < m.end]


def _curated_head(ctx: _Context, start: int, end: int) -> tuple[bool, str]:
    """(is new, curated IRI it specialises): new when no curated programme overlaps [start, end), or
    when the only one is its head after a specific prefix (雪域高原 + 职工之家)."""
    inside = ctx.covering(start, end)
    if not inside:
        return True, ""
    head = inside[0]
    if len(inside) == 1 and head.end == end and head.start > start and _specific(ctx, ctx.text[start : head.start]):
        return True, head.id
    return False, ""


def _specific(ctx: _Context, name: str) -> bool:
    """True when `name` keeps two or more characters once generic words and place names are removed."""
    rest = ctx.tables.unspecific.sub("", name)
    return len(re.sub(r"[\s·+0-9]", "", rest)) >= 2


# ---------------------------------------------------------------------------------------- quotes


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inside of every quote pair on one line, nested pairs included."""
    out = []
    for i, ch in enumerate(text):
        close = QUOTE_PAIRS.get(ch)
        if close is None:
            continue
        j = text.find(close, i + 1, i + 2 + _MAX_QUOTE)
        if j > i + 1 and "\n" not in text[i:j] and ch not in text[i + 1 : j]:
            out.append((i + 1, j))
    out += [(m.start(1), m.end(1)) for m in _ASCII_QUOTE.finditer(text)]
    return sorted(out)


def _runs(text: str, spans: list[tuple[int, int]], joiners: frozenset[str]) -> list[list[tuple[int, int]]]:
    """Adjacent quotes ("A""B"、"C") grouped; nested quotes are their own run."""
    runs: list[list[tuple[int, int]]] = []
    for s, e in spans:
        if runs and text[runs[-1][-1][1] + 1 : s - 1] in joiners and runs[-1][-1][1] < s:
            runs[-1].append((s, e))
        else:
            runs.append([(s, e)])
    return runs


def _tail(ctx: _Context, pos: int) -> tuple[str, str, int] | None:
    """("head" | "cue", word, end) of the first head or slogan cue after a closing quote at `pos`."""
    text = ctx.text
    i = pos + 1
    if ctx.tables.etc and text.startswith(ctx.tables.etc, i):
        i += 1
    for k in range(i, min(len(text), i + _MAX_MODIFIER + 1)):
        for word, kind in ctx.tables.tail_words:
            if text.startswith(word, k):
                return kind, word, k + len(word)
        if not re.match(rf"[{_CJK}]", text[k]):
            return None
    return None


def _parallel(name: str) -> bool | None:
    """True for parallel phrases (a slogan), False for a list, None without separators."""
    parts = [_ALL_QUOTES.sub("", p) for p in _SEPARATORS.split(name)]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return None
    lengths = [len(p) for p in parts]
    return min(lengths) >= 2 and max(lengths) - min(lengths) <= max(1, min(lengths) // 2)


def _quoted(ctx: _Context) -> list[Decision]:
    text = ctx.text
    out = []
    for run in _runs(text, _quote_spans(text), ctx.tables.joiners):
        tail = _tail(ctx, run[-1][1])
        for s, e in run:
            name = text[s:e].strip()
            if len(name) >= 2:
                out.append(_decide_quoted(ctx, name, s + text[s:e].index(name), tail))
    return out


def _decide_quoted(ctx: _Context, name: str, s: int, tail: tuple[str, str, int] | None) -> Decision:
    e = s + len(name)

    def decided(outcome: str, rule: str, broader: str = "") -> Decision:
        return Decision(name, s, e, outcome, rule, broader)

    if any(m.start <= s and e <= m.end for m in ctx.covering(s, e, types=_ALL_TYPES)):
        return decided("curated", "curated")
    new, broader = _curated_head(ctx, s, e)
    if broader:
        return decided("programme", "head-in", broader)  # a local brand of a curated programme
    if not new:
        return decided("curated", "curated")
    parallel = _parallel(name)
    if parallel is not None:
        return decided("slogan", "parallel") if parallel else decided("dropped", "list")
    if ctx.tables.formula.match(name):
        return decided("slogan", "formula")
    is_name = bool(_NAME.match(name))
    word = next((h for h in ctx.lex.heads if name.endswith(h) and len(name) > len(h)), None)
    if word is not None and is_name:
        return decided("programme", "head-in") if _specific(ctx, name[: -len(word)]) else decided("dropped", "generic")
    if tail is not None and tail[0] == "cue":
        return decided("slogan", "cue")
    if not is_name:
        return decided("dropped", "no-head")
    if tail is not None and _specific(ctx, name):
        after = next((m for m in ctx.mentions if m.type == "programme" and m.start == e + 1), None)
        return decided("programme", "head-out", after.id if after else "")
    if _brand_name(ctx, name):
        return decided("programme", "brand")
    if ctx.tables.abbreviation.match(name):
        return decided("slogan", "abbreviation")
    return decided("dropped", "no-head")


def _brand_name(ctx: _Context, name: str) -> bool:
    """A place name or epithet followed by a place-brand head (三秦工匠, 四川工匠)."""
    for head in ctx.lex.place_brand_heads:
        if name.endswith(head):
            prefix = name[: -len(head)]
            return prefix in ctx.lex.epithets or prefix in ctx.tables.place_names
    return False


# ---------------------------------------------------------------------------------------- titles


def _titles(ctx: _Context) -> list[Decision]:
    out = []
    for m in _TITLE.finditer(ctx.text):
        name = re.sub(r"\s+", "", m.group(1))
        core = _TITLE_TAIL.sub("", name)
        s, e = m.start(1), m.end(1)
        suffix = next((w for w in ctx.lex.document_suffixes if core.endswith(w)), None)
        if suffix is None:
            head = next((h for h in ctx.lex.heads if core.endswith(h)), None)
            if head and _specific(ctx, core[: -len(head)]) and not ctx.covering(s, e):
                out.append(Decision(name, s, e, "programme", "title"))
                continue
        if len(core) - len(suffix or "") < 2:
            out.append(Decision(name, s, e, "dropped", "title"))  # 《方案》: a back-reference
            continue
        out.append(Decision(name, s, e, "document", "title"))
    return out


# ---------------------------------------------------------------------------------------- families


def _family(ctx: _Context, decided: list[Decision]) -> list[Decision]:
    """Brand families: ≥3 quoted or bold names sharing a 2-character prefix, one of them quoted."""
    names: dict[str, set[str]] = {}
    quoted_prefixes = set()
    for d in decided:
        if d.rule in ("curated", "head-in", "head-out", "no-head", "brand") and 3 <= len(d.name) <= 6:
            names.setdefault(d.name[:2], set()).add(d.name)
            quoted_prefixes.add(d.name[:2])
        elif len(d.name) == 2 and d.outcome == "programme":
            quoted_prefixes.add(d.name)
    for m in _BOLD.finditer(ctx.text):
        names.setdefault(m.group(1)[:2], set()).add(m.group(1))
    out = []
    for prefix, members in sorted(names.items()):
        if len(members) < 3 or prefix not in quoted_prefixes or not _specific(ctx, prefix):
            continue
        for name in sorted(members):
            if name in ctx.tables.curated:
                continue
            for m in re.finditer(re.escape(name), ctx.text):
                if not ctx.covering(m.start(), m.end()):
                    out.append(Decision(name, m.start(), m.end(), "programme", "family"))
    return out


# ---------------------------------------------------------------------------------------- brands


def _brands(ctx: _Context) -> list[Decision]:
    """Unquoted brands after a trigger word or a count: 180名四川工匠, 组建陕西工会律师服务团."""
    text, out = ctx.text, []
    for m in ctx.tables.place_brand.finditer(text):
        after = text[m.end() : m.end() + 1]
        if after and re.match(rf"[{_CJK}A-Za-z0-9]", after) and after not in ctx.tables.list_words:
            continue  # 四川工匠人才: part of a longer word
        if _triggered(ctx, m.start()) and not ctx.covering(m.start(), m.end()):
            out.append(Decision(m.group(), m.start(), m.end(), "programme", "brand"))
    for m in ctx.tables.brand.finditer(text):
        s, e = m.start(1), m.end()
        new, broader = _curated_head(ctx, s, e)
        if new and _specific(ctx, m.group(1)) and not ctx.tables.count_lead.match(m.group(1)):
            out.append(Decision(text[s:e], s, e, "programme", "brand", broader))
    return out


def _triggered(ctx: _Context, start: int) -> bool:
    before = ctx.text[max(0, start - 6) : start]
    if not before or before[-1] in "、，,；;“「 \n":
        return True
    return bool(ctx.tables.count.search(before)) or any(before.endswith(t) for t in ctx.lex.brand_triggers)


# ---------------------------------------------------------------------------------------- projects


def _projects(ctx: _Context) -> list[Decision]:
    """List items ending in a project head, in a clause with a project cue: 助力川藏铁路、西十高铁等."""
    lex, out = ctx.lex, list[Decision]()
    if not lex.project_heads or not lex.project_cues:
        return out
    for clause in _CLAUSE.finditer(ctx.text):
        if not any(c in clause.group() for c in lex.project_cues):
            continue
        for item in ctx.tables.item.finditer(clause.group()):
            s = clause.start() + item.start()
            name = item.group()
            for cue in lex.project_cues:
                k = name.rfind(cue)
                if k >= 0:
                    s, name = s + k + len(cue), name[k + len(cue) :]
            name = name.split(ctx.tables.etc, 1)[0] if ctx.tables.etc else name
            head = next((h for h in lex.project_heads if name.endswith(h)), None)
            e = s + len(name)
            if head is None or not 4 <= len(name) <= 12 or not re.fullmatch(rf"[{_CJK}0-9]+", name):
                continue
            if _specific(ctx, name[: -len(head)]) and not ctx.covering(s, e, types=_ALL_TYPES):
                out.append(Decision(name, s, e, "project", "project"))
    return out
