"""Discover: programmes, slogans, referenced documents and projects that the curated vocabularies lack.

Runs after the gazetteer (``mentions``) and before ``resolve``; curated mentions always win. Every
rule is named, every word list is data: heads, cues and suffixes in ``ontology/discovery.ttl``, measure
words in ``ontology/lexicon/discover.ttl`` (docs/discovery.md has examples).

Quoted names — “…”, 「…」, 『…』, ‘…’, "…" (adjacent quotes joined by nothing, 、, 和, 与 or 及 share
what follows the last one) — are decided by the first rule that applies, in this order:

``curated``
    a curated programme covers or overlaps the name, or sits inside it other than as its head
    (“中国梦·劳动美——…”): nothing new. A curated programme *as the head* of a longer, specific name
    (“雪域高原职工之家”) makes a local brand: programme, ``skos:broadMatch`` the curated one. A name at
    least twice as long as the curated names inside it, followed by a head, is a new programme (rule
    ``head-out``: “消费帮扶工惠行·助力百千万工程”行动).
``launch``
    a launch verb (启动, 举办, 开展, 推出 …, optionally + 了) right before the quotes and a parallel name
    of two short parts (“工会红 暖心间”): a campaign. Also the last resort before ``no-head``
    (举办了“家好·月圆”…嘉年华). Longer parallel phrases stay slogans.
``parallel``
    separators (、，,；; or spaces between characters) and parts of about equal length: a slogan
    (“拼经济、搞建设、促发展”). Parts of unequal length are a list, not a name: dropped.
``formula``
    a number formula — N个X, N种X, N大X, N项X, N条X, N件X (“两个确立”, “三个年”) or a five-year-plan
    number (“十四五”): a slogan (strategy), even before a head (“三个年”活动).
``head-in``
    the name ends with a head (杯, 行动, 工程, 服务圈, 工匠日 …) and the rest is specific (not only generic
    words, numbers and places — “三年行动计划” is generic, rule ``generic``): a programme.
``local``
    the name ends with a head and the rest is generic but led by a place (“吉林职工云课堂”,
    “4·28苏州工匠日”): a local brand.
``cue``
    a slogan cue follows, after at most a short modifier (“3815”战略, “四门”工会工作理念): a slogan.
``head-out``
    a head follows the quotes after at most a short modifier (“五小”活动, “会聚良缘”婚恋服务, “苏工惠”App,
    “义骑爱”爱心商户联盟模式 — the head comes before the cue): the quoted part is a programme. A city and
    a generic word is not specific (“苏州工会”微信公众号).
``brand``
    a place name, city or county short name or epithet + a place-brand head (“三秦工匠”, “北京大工匠”):
    a programme.
``abbreviation``
    a short number-led coinage or a number with no head (“四化”, “双提升”, “345”): a slogan.
``honour``
    a strong trigger before the quotes (命名, 选树, 评选 …), a weak one (申报, 推荐 …) before a title of
    people (…工匠, …职工, …能手), or after the quotes a trigger (选树, 称号, 创建 …) or a count of people
    (20名): an honour title or brand (新命名“苏州时代工匠”20名, 申报“合肥市金牌职工”称号,
    “健康生活·幸福企业”创建). Bare numbers (“五一”) are not.
``no-head``
    anything else (“开门红”, “土特产”): not a programme, dropped.

Unquoted text:

``family``
    three or more quoted or bold names of one document share a two-character prefix, one of them
    quoted (渝工强基, 渝工铸魂, “渝工安康” …): each is a programme, at every occurrence. A place is no
    prefix of a family (合肥工会, 合肥通, 合肥工匠).
``title``
    《…》: a referenced document (ukg:ReferencedDocument), unless its name is a programme by ``head-in``;
    a bare back-reference (《方案》) is dropped.
``title-core``
    《X行动方案》: besides the document, X行动 — a specific core ending with a head, before a document
    suffix — is the programme the plan sets out (《广州工会助力“百千万工程”十项行动方案》). Not for
    《关于…》 titles.
``brand``, ``local``, ``card``
    unquoted brands after a trigger or at a boundary: see :mod:`kg.pipeline.brands` (180名四川工匠,
    推进工会幸福驿站建设, 办好厦门工会集市, 京卡·互助服务卡).
``project``
    in a clause with a project cue (助力, 推进 …), a list item ending in a project head (铁路, 电站 …)
    with a specific prefix: a project (ukg:Project).

A discovered programme whose head names a curated programme gets it as ``Decision.broader``
(lx:discover-head-broader: X工匠 → 工匠人才选树, X驿站 → 户外劳动者服务站点, X之家 → 职工之家, X App →
智慧工会); the pipeline writes it as ``skos:broadMatch``.

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
from kg.pipeline.brands import (
    BrandTables,
    Decision,
    alternation,
    brand_tables,
    broader_of,
    covering,
    curated_head,
    specific,
    starts_with_place,
    unquoted_brands,
)
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
_MAX_PAIR_PART = 3
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
_OPEN_QUOTE = re.compile(char_class(OPEN_QUOTES))
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_ALL_QUOTES = re.compile(r"[\s" + re.escape(OPEN_QUOTES + CLOSE_QUOTES) + "]")


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
    mentions = ctx.mentions
    decisions = _quoted(ctx) + _titles(ctx)
    decisions += _family(ctx, decisions) + unquoted_brands(ctx.brands, text, mentions) + _projects(ctx)
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
    brands: BrandTables
    tail_words: tuple[tuple[str, str], ...]
    tail: re.Pattern  # the first of tail_words at a position (an alternation in their order)
    tail_kinds: dict[str, str]  # a tail word -> its kind (the first of tail_words)
    project_cue: re.Pattern
    formula: re.Pattern
    abbreviation: re.Pattern
    numeric: re.Pattern
    honour_before: re.Pattern
    honour_before_person: re.Pattern
    honour_heads: tuple[str, ...]
    honour_after: tuple[str, ...]
    honour_count: re.Pattern
    launch: re.Pattern
    title_stops: tuple[str, ...]
    place_led_heads: tuple[str, ...]
    joiners: frozenset[str]
    item: re.Pattern
    etc: str
    list_words: str


@lru_cache(maxsize=4)
def _tables(vocab: Vocabulary) -> _Tables:
    lex = vocab.discovery
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
        brands=brand_tables(vocab),
        tail_words=tuple(tail),
        tail=re.compile("|".join(re.escape(w) for w, _ in tail) or "(?!)"),
        tail_kinds={w: kind for w, kind in reversed(tail)},
        project_cue=re.compile(alternation(lex.project_cues)),
        formula=re.compile(
            rf"^(?:[{numerals}]+{classifiers('discover-formula-classifiers')}[{_CJK}]{{1,4}}"
            rf"|{CN_TEN}[{CN_DIGITS}]五)$"
        ),
        abbreviation=re.compile(rf"^(?:[0-9]+|[{numerals}](?=.*[^{numerals}])[{_CJK}]{{1,3}})$"),
        numeric=re.compile(rf"^[{numerals}]+$"),
        honour_before=re.compile(alternation(vocab.words("discover-honour-before")) + "$"),
        honour_before_person=re.compile(alternation(vocab.words("discover-honour-before-person")) + "$"),
        honour_heads=vocab.words("discover-honour-heads"),
        honour_after=tuple(sorted(vocab.words("discover-honour-after"), key=len, reverse=True)),
        honour_count=re.compile(rf"(?:\d+|[{numerals}]+){classifiers('discover-honour-count-classifiers')}"),
        launch=re.compile(
            alternation(vocab.words("discover-launch-verbs"))
            + alternation(vocab.words("discover-launch-particles"))
            + "?$"
        ),
        title_stops=vocab.words("discover-title-stops"),
        place_led_heads=vocab.words("discover-place-led-heads"),
        joiners=frozenset(("", ENUMERATION_COMMA, *conjunctions)),
        item=re.compile(char_class(ENUMERATION_COMMA + "".join(conjunctions), negate=True) + "+"),
        etc=etc,
        list_words=etc + "".join(conjunctions),
    )


@dataclass
class _Context:
    text: str
    mentions: list[MentionSpan]
    tables: _Tables

    @property
    def lex(self) -> DiscoveryLexicon:
        return self.tables.lex

    @property
    def brands(self) -> BrandTables:
        return self.tables.brands

    def covering(self, start: int, end: int, types=("programme",)) -> list[MentionSpan]:
        """Curated mentions of `types` that overlap [start, end)."""
        return covering(self.mentions, start, end, types)


def _curated_head(ctx: _Context, start: int, end: int) -> tuple[bool, str]:
    return curated_head(ctx.brands, ctx.text, ctx.mentions, start, end)


def _specific(ctx: _Context, name: str) -> bool:
    return specific(ctx.brands, name)


# ---------------------------------------------------------------------------------------- quotes


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inside of every quote pair on one line, nested pairs included."""
    out = []
    for m in _OPEN_QUOTE.finditer(text):
        i, ch = m.start(), m.group()
        close = QUOTE_PAIRS[ch]
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
    tail = ctx.tables.tail
    for k in range(i, min(len(text), i + _MAX_MODIFIER + 1)):
        m = tail.match(text, k)
        if m is not None:
            return ctx.tables.tail_kinds[m.group()], m.group(), m.end()
        if not _CJK_CHAR.match(text[k]):
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
        if outcome == "programme" and not broader:
            broader = broader_of(ctx.brands, name)
        return Decision(name, s, e, outcome, rule, broader)

    if any(m.start <= s and e <= m.end for m in ctx.covering(s, e, types=_ALL_TYPES)):
        return decided("curated", "curated")
    new, broader = _curated_head(ctx, s, e)
    if broader:
        return decided("programme", "head-in", broader)  # a local brand of a curated programme
    if not new:
        inside = sum(m.end - m.start for m in ctx.covering(s, e))
        if tail is not None and tail[0] == "head" and 2 * inside <= len(name) and _specific(ctx, name):
            return decided("programme", "head-out")  # a long name around a short curated one
        return decided("curated", "curated")
    launched = bool(ctx.tables.launch.search(ctx.text[max(0, s - 5) : s - 1]))
    cue = tail is not None and tail[0] == "cue"
    parallel = _parallel(name)
    if parallel is not None:
        if parallel and launched and not cue and _short_pair(name):
            return decided("programme", "launch")  # 启动“工会红 暖心间”…活动
        return decided("slogan", "parallel") if parallel else decided("dropped", "list")
    if ctx.tables.formula.match(name):
        return decided("slogan", "formula")
    is_name = bool(_NAME.match(name))
    word = next((h for h in ctx.lex.heads if name.endswith(h) and len(name) > len(h)), None)
    if word is not None and is_name:
        if _specific(ctx, name[: -len(word)]):
            return decided("programme", "head-in")
        if starts_with_place(ctx.brands, re.sub(r"[\s·0-9]", "", name[: -len(word)])):
            return decided("programme", "local")  # “吉林职工云课堂”
        return decided("dropped", "generic")
    if cue:
        return decided("slogan", "cue")
    if not is_name:
        return decided("dropped", "no-head")
    if tail is not None and _specific(ctx, name):
        after = next((m for m in ctx.mentions if m.type == "programme" and m.start == e + 1), None)
        return decided("programme", "head-out", after.id if after else broader_of(ctx.brands, tail[1]))
    if _brand_name(ctx, name):
        return decided("programme", "brand")
    if ctx.tables.abbreviation.match(name):
        return decided("slogan", "abbreviation")
    if _specific(ctx, name) and not ctx.tables.numeric.match(name) and _honour(ctx, s, e):
        return decided("programme", "honour")
    if launched and _specific(ctx, name) and not ctx.tables.numeric.match(name):
        return decided("programme", "launch")
    return decided("dropped", "no-head")


def _short_pair(name: str) -> bool:
    """Two parts of at most three characters (“工会红 暖心间”): a name written like X·Y, not a slogan."""
    parts = [p for p in _SEPARATORS.split(name) if p]
    return len(parts) == 2 and max(map(len, parts)) <= _MAX_PAIR_PART


def _brand_name(ctx: _Context, name: str) -> bool:
    """A place name, county or epithet followed by a place-brand head (三秦工匠, 四川工匠, 北京大工匠)."""
    return any(name.endswith(head) and name[: -len(head)] in ctx.brands.stems for head in ctx.lex.place_brand_heads)


def _honour(ctx: _Context, s: int, e: int) -> bool:
    """A trigger before the opening quote (命名“…”), or after the closing one (“…”选树, “…”称号, “…”20名)."""
    text, t = ctx.text, ctx.tables
    before = text[max(0, s - 5) : s - 1]
    if t.honour_before.search(before):
        return True
    if t.honour_before_person.search(before) and text[s:e].endswith(t.honour_heads):
        return True  # 申报“X金牌职工”, 推荐“X工匠”: a title given to people
    after = text[e + 1 : e + 2 + _MAX_MODIFIER]
    if t.honour_count.match(after):
        return True
    for k in range(len(after)):
        if any(after.startswith(w, k) for w in t.honour_after):
            return True
        if not re.match(rf"[{_CJK}]", after[k]):
            return False
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
        if suffix and name == m.group(1):
            out += _title_core(ctx, core[: -len(suffix)], s)
    return out


def _title_core(ctx: _Context, core: str, s: int) -> list[Decision]:
    """《X行动方案》: the programme X行动 that the plan sets out, when X is specific (rule ``title-core``)."""
    head = next((h for h in ctx.lex.heads if core.endswith(h) and len(core) > len(h)), None)
    if head is None or core.startswith(ctx.tables.title_stops) or not _specific(ctx, core[: -len(head)]):
        return []
    e = s + len(core)
    inside = sum(m.end - m.start for m in ctx.covering(s, e))
    if 2 * inside > len(core):
        return []  # mostly a curated name
    return [Decision(core, s, e, "programme", "title-core", broader_of(ctx.brands, core))]


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
        if (
            len(members) < 3
            or prefix not in quoted_prefixes
            or not _specific(ctx, prefix)
            or prefix in ctx.brands.stems
        ):
            continue
        for name in sorted(members):
            if name in ctx.brands.curated:
                continue
            for m in re.finditer(re.escape(name), ctx.text):
                if not ctx.covering(m.start(), m.end()):
                    out.append(Decision(name, m.start(), m.end(), "programme", "family"))
    return out


# ---------------------------------------------------------------------------------------- projects


def _projects(ctx: _Context) -> list[Decision]:
    """List items ending in a project head, in a clause with a project cue: 助力川藏铁路、西十高铁等."""
    lex, out = ctx.lex, list[Decision]()
    if not lex.project_heads or not lex.project_cues:
        return out
    for clause in _CLAUSE.finditer(ctx.text):
        if ctx.tables.project_cue.search(ctx.text, clause.start(), clause.end()) is None:  # no cue in the clause
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
