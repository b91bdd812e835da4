"""Brands: local brands named without quotes, and the tables and tests that discovery's rules share.

``kg.pipeline.discover`` decides quoted names and titles; this module finds the brands that a document
names without quotes, and gives both the place stems, the "specific" test and the head → broader map.
Every word list is data (``ontology/discovery.ttl``, ``ontology/lexicon/discover.ttl``).

Rules (the rule name is recorded on the mention):

``brand``
    after a trigger word (命名, 选树, 组建, 推进, 推广 …), a count (180名) or a list mark: a place,
    epithet or county + 工匠 or 大工匠 (180名四川工匠, 评选北京大工匠), or a specific name + a brand
    head (陕西工会律师服务团, X劳模工匠学院, 推进工会幸福驿站建设, 打造职工暖心之家): a programme.
``local``
    at a boundary or after a trigger, a place name, city short name, county or literary name (羊城,
    鹏城 …), at most six characters and a place-led head (集市, 大赛, 馆, 驿站 …): a local brand, even
    when the middle is generic (办好厦门工会集市, 举办苏州技能状元大赛, 推动羊城职工帮扶馆提质).
``card``
    at a boundary, a province abbreviation (ukg:abbreviation) + a card head (卡, 工惠), a card
    optionally continued by ·X卡: a named card or platform (京卡·互助服务卡, 苏工惠).
``honour``
    after an honour trigger (lx:discover-honour-before: 命名, 选树 …), in the same clause, each list item
    that is a place-led title of people (lx:discover-honour-heads: 工匠, 工人 …) followed by a count of people
    (新命名宁波工匠100名、宁波市首席工人30名): an honour title.
``edition``
    an edition number 第N届 before a name ending with an event head (lx:discover-edition-heads: 竞赛, 大赛,
    运动会 …): a named recurring event (第十二届江苏省高校青年教师教学竞赛).

A place brand (place + 工匠) needs no trigger when the place is a province, city or literary name
(组织八桂工匠和劳模志愿者); a county's short name is an ordinary word too often (江南, 海港) and still needs
one. A count of people right after it (中原大工匠10名) does not make it part of a longer word.

A curated programme inside the name wins (nothing new), unless it is the name's head after a specific
prefix. Each brand is linked (``Decision.broader``, ``skos:broadMatch`` in the graph) to the curated
programme its head names (lx:discover-head-broader: X驿站 → 户外劳动者服务站点, X工匠 → 工匠人才选树).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.model import MentionSpan
from kg.namespaces import PROG, UKG
from kg.text.chars import CN_DIGITS, CN_MAGNITUDES, CN_TWO, FULL_STOPS, char_class
from kg.vocab.ontology import DiscoveryLexicon, Vocabulary

__all__ = [
    "BrandTables",
    "Decision",
    "alternation",
    "anchored",
    "brand_tables",
    "broader_of",
    "covering",
    "curated_head",
    "specific",
    "starts_with_place",
    "triggered",
    "unquoted_brands",
]

CJK = r"\u4e00-\u9fff"
_MIDDLE = 6  # characters between a place and a place-led head
_BOUNDARY = "、，,；;“「 \n\t:：()（）" + FULL_STOPS


@dataclass(frozen=True)
class Decision:
    """What discovery decided about one candidate name: its outcome, the rule that decided it."""

    name: str
    start: int
    end: int
    outcome: str
    rule: str
    broader: str = ""


@dataclass(frozen=True)
class BrandTables:
    """Lookups built once per vocabulary: place names and stems, curated labels, compiled patterns."""

    lex: DiscoveryLexicon
    place_names: frozenset[str]
    stems: frozenset[str]
    city_shorts: frozenset[str]
    curated: frozenset[str]
    unspecific: re.Pattern
    place_brand: re.Pattern
    brand: re.Pattern
    local: re.Pattern
    card: re.Pattern
    count_lead: re.Pattern
    count: re.Pattern
    list_words: str
    breaks: tuple[str, ...]
    head_broader: tuple[tuple[str, str], ...]
    weak_stems: dict[str, tuple[str, ...]] | None = None
    honour_trigger: re.Pattern = re.compile("(?!)")
    honour_item: re.Pattern = re.compile("(?!)")
    edition: re.Pattern = re.compile("(?!)")
    stem_lengths: tuple[int, ...] = ()  # the lengths of the stems, longest first
    stem_starts: frozenset[str] = frozenset()  # the first two characters of each stem
    place_brand_at: re.Pattern = re.compile("(?!)")  # where a head of `place_brand` starts
    local_at: re.Pattern = re.compile("(?!)")  # where a head of `local` starts


def alternation(words) -> str:
    """A non-capturing group matching any of `words`, longest first (never matching when there are none)."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(map(re.escape, ordered)) + ")" if ordered else "(?!)"


@lru_cache(maxsize=4)
def brand_tables(vocab: Vocabulary) -> BrandTables:
    """The tables of `vocab` (cached per vocabulary)."""
    lex = vocab.discovery
    names = {e.label for e in vocab.gazetteer if e.type == "place"}
    names |= {p.short for p in vocab.places.values() if p.kind == "province"}
    counties = getattr(vocab, "counties_by_name", None) or {}
    stems = names | {p.short for p in vocab.places.values() if p.short} | set(counties) | set(lex.epithets)
    stems = {s for s in stems if len(s) >= 2}
    numerals = "0-9" + CN_DIGITS + CN_TWO + CN_MAGNITUDES + re.escape("".join(vocab.words("discover-numeral-extras")))

    def classifiers(name: str) -> str:
        return char_class("".join(vocab.words(name)))

    abbreviations = {str(o).strip() for o in vocab.graph.objects(None, UKG.abbreviation)}
    curated_iris = {e.iri for e in vocab.gazetteer if e.type == "programme"}
    head_broader = tuple(
        (head, str(PROG[local]))
        for head, local in sorted(vocab.mapping("discover-head-broader").items(), key=lambda x: (-len(x[0]), x))
        if str(PROG[local]) in curated_iris  # a concept the scheme lacks is no broader
    )
    cards = vocab.words("discover-card-heads")
    strong = names | {p.short for p in vocab.places.values() if p.kind != "county" and p.short} | set(lex.epithets)
    weak: dict[str, set[str]] = {}  # a county's short name -> the names that anchor it in a text
    for p in vocab.places.values():
        if p.kind == "county" and p.short and p.short not in strong:
            city = vocab.places.get(p.parent or "")
            weak.setdefault(p.short, set()).update(n for n in (p.label, city and city.label, city and city.short) if n)
    honour_heads = alternation(vocab.words("discover-honour-heads"))
    local_heads = alternation(vocab.words("discover-place-led-heads"))
    people = classifiers("discover-honour-count-classifiers")
    return BrandTables(
        lex=lex,
        place_names=frozenset(names),
        stems=frozenset(stems),
        city_shorts=frozenset(p.short for p in vocab.places.values() if p.kind == "city" and p.short),
        curated=frozenset(e.label for e in vocab.gazetteer),
        unspecific=re.compile(alternation(names | set(lex.generic_words))),
        place_brand=re.compile(alternation(stems) + alternation(lex.place_brand_heads)),
        brand=re.compile(
            rf"(?:{alternation(lex.brand_triggers)}|\d+{classifiers('discover-brand-count-classifiers')})"
            rf"([{CJK}]{{2,8}}?){alternation(lex.brand_heads)}"
        ),
        local=re.compile(rf"{alternation(stems)}([{CJK}]{{0,{_MIDDLE}}}?){local_heads}"),
        card=re.compile(
            alternation(abbreviations)
            + "(?:"
            + "|".join(rf"{re.escape(c)}(?:·[{CJK}]{{1,8}}?{re.escape(c)})?" for c in cards)
            + ")"
            if cards
            else "(?!)"
        ),
        count_lead=re.compile(rf"^[{numerals}]+{classifiers('discover-count-lead-classifiers')}"),
        count=re.compile(rf"(?:\d+|[{numerals}]+){classifiers('discover-count-classifiers')}$"),
        list_words="".join(vocab.words("list-etc")) + "".join(vocab.words("list-conjunctions")),
        breaks=tuple(
            set(lex.brand_triggers)
            | set(vocab.words("list-etc"))
            | set(vocab.words("list-conjunctions"))
            | set(vocab.words("discover-brand-breaks"))
        ),
        head_broader=head_broader,
        weak_stems={k: tuple(sorted(v)) for k, v in weak.items()},
        honour_trigger=re.compile(alternation(vocab.words("discover-honour-before"))),
        honour_item=re.compile(rf"({alternation(stems)}[{CJK}·]{{0,10}}?{honour_heads})(?:[{numerals}]+{people})$"),
        edition=re.compile(
            rf"第[{numerals}]+届([{CJK}·]{{2,20}}?{alternation(vocab.words('discover-edition-heads'))})"
        ),
        stem_lengths=tuple(sorted({len(s) for s in stems}, reverse=True)),
        stem_starts=frozenset(s[:2] for s in stems),
        place_brand_at=re.compile(f"(?={alternation(lex.place_brand_heads)})"),
        local_at=re.compile(f"(?={local_heads})"),
    )


def covering(mentions: list[MentionSpan], start: int, end: int, types=("programme",)) -> list[MentionSpan]:
    """Curated mentions of `types` that overlap [start, end)."""
    return [m for m in mentions if m.type in types and m.start < end and start < m.end]


def specific(bt: BrandTables, name: str) -> bool:
    """True when `name` keeps two or more characters once generic words and place names are removed."""
    rest = re.sub(r"[\s·+0-9]", "", bt.unspecific.sub("", name))
    return len(rest) >= 2 and rest not in bt.city_shorts  # 苏州工会: a city's short name and a generic word


def starts_with_place(bt: BrandTables, name: str) -> str:
    """The longest place stem (name, short name, county, epithet) that `name` starts with, or ""."""
    return next((name[:n] for n in bt.stem_lengths if n <= len(name) and name[:n] in bt.stems), "")


def _stem_led(bt: BrandTables, pattern: re.Pattern, heads: re.Pattern, text: str, gap: int):
    """The matches of `pattern.finditer(text)`, for a pattern made of a place stem, at most `gap` characters
    and a head (`heads` finds where one starts): the pattern is tried only where a stem starts and a head
    follows it, as a scan of the whole text over thousands of stems is slow. The matches are the same."""
    stems, lengths, firsts = bt.stems, bt.stem_lengths, bt.stem_starts
    starts: set[int] = set()
    tried: set[int] = set()
    for h in heads.finditer(text):
        for i in range(max(0, h.start() - lengths[0] - gap), h.start() - lengths[-1] + 1):
            if i not in tried:
                tried.add(i)
                if text[i : i + 2] in firsts and any(text[i : i + n] in stems for n in lengths):
                    starts.add(i)
    pos = 0
    for i in sorted(starts):
        m = pattern.match(text, i) if i >= pos else None
        if m is not None:  # finditer goes on after the match, as here
            yield m
            pos = m.end()


def curated_head(bt: BrandTables, text: str, mentions: list[MentionSpan], start: int, end: int) -> tuple[bool, str]:
    """(is new, curated IRI it specialises): new when no curated programme overlaps [start, end), or when
    the only one is its head after a specific prefix (雪域高原 + 职工之家)."""
    inside = covering(mentions, start, end)
    if not inside:
        return True, ""
    head = inside[0]
    prefix = text[start : head.start]
    if len(inside) == 1 and head.end == end and head.start > start and specific(bt, prefix):
        return True, head.id
    return False, ""


def broader_of(bt: BrandTables, name: str) -> str:
    """The curated programme that the head of `name` names (lx:discover-head-broader), or ""."""
    return next((iri for head, iri in bt.head_broader if name.endswith(head)), "")


def _last_break(bt: BrandTables, name: str) -> int:
    """Where a brand name inside `name` starts: after its last trigger word, list word or break word."""
    cut = 0
    for word in bt.breaks:
        k = name.rfind(word)
        if k >= 0:
            cut = max(cut, k + len(word))
    return cut


def anchored(bt: BrandTables, text: str, name: str) -> tuple[bool, bool]:
    """(place is sound, place is weak) for a name led by a place stem: a county's short name (新建, 江南 are
    words too) is sound only when the text names that county or its city (义乌工匠 beside 义乌市)."""
    anchors = (bt.weak_stems or {}).get(starts_with_place(bt, name))
    if anchors is None:
        return True, False
    return any(a in text for a in anchors), True


def triggered(bt: BrandTables, text: str, start: int) -> bool:
    """A boundary (any mark that is not a letter, digit, · or an opening title mark: 】, an emoji …), a trigger
    word or a count right before `start`."""
    before = text[max(0, start - 6) : start]
    if not before or before[-1] in _BOUNDARY or not re.match(rf"[{CJK}A-Za-z0-9·《〈]", before[-1]):
        return True
    return bool(bt.count.search(before)) or any(before.endswith(t) for t in bt.lex.brand_triggers)


def unquoted_brands(bt: BrandTables, text: str, mentions: list[MentionSpan]) -> list[Decision]:
    """Rules ``brand``, ``local`` and ``card`` over the whole text."""
    out = []

    def add(s: int, e: int, rule: str, broader: str = "") -> None:
        name = text[s:e]
        out.append(Decision(name, s, e, "programme", rule, broader or broader_of(bt, name)))

    for m in _stem_led(bt, bt.place_brand, bt.place_brand_at, text, 0) if bt.stem_lengths else ():
        after = text[m.end() : m.end() + 1]
        counted = bool(bt.count_lead.match(text[m.end() : m.end() + 8]))  # 中原大工匠10名
        if after and re.match(rf"[{CJK}A-Za-z0-9]", after) and after not in bt.list_words and not counted:
            continue  # 四川工匠人才: part of a longer word
        sound, weak = anchored(bt, text, m.group())  # a county's short name: an ordinary word too
        if sound and (not weak or triggered(bt, text, m.start())) and not covering(mentions, m.start(), m.end()):
            add(m.start(), m.end(), "brand")
    for m in bt.brand.finditer(text):
        s, e = m.start(1), m.end()
        s += _last_break(bt, m.group(1))  # 建设中推广工会幸福驿站, 司机之家和工地职工之家: the name starts after it
        name = text[s : m.start(1) + len(m.group(1))]
        new, broader = curated_head(bt, text, mentions, s, e)
        if new and len(name) >= 2 and specific(bt, name) and not bt.count_lead.match(name):
            add(s, e, "brand", broader)
    for m in _stem_led(bt, bt.local, bt.local_at, text, _MIDDLE) if bt.stem_lengths else ():
        s, e = m.start(), m.end()
        if set(m.group(1)) & set(bt.list_words) or not triggered(bt, text, s) or not anchored(bt, text, m.group())[0]:
            continue
        new, broader = curated_head(bt, text, mentions, s, e)
        if new:
            add(s, e, "local", broader)
    for m in bt.card.finditer(text):
        if triggered(bt, text, m.start()) and not covering(mentions, m.start(), m.end()):
            add(m.start(), m.end(), "card")
    for s, e in _honour_items(bt, text):
        new, broader = curated_head(bt, text, mentions, s, e)
        if new and specific(bt, text[s:e]) and anchored(bt, text, text[s:e])[0]:
            add(s, e, "honour", broader)
    for m in bt.edition.finditer(text):
        new, broader = curated_head(bt, text, mentions, m.start(1), m.end(1))
        if new and specific(bt, m.group(1)):
            add(m.start(1), m.end(1), "edition", broader)
    return out


_CLAUSE = re.compile(r"[，,；;。！？!?:：\n()（）“”]")
_ITEM = re.compile(r"[、和及与]")


def _honour_items(bt: BrandTables, text: str):
    """Spans of the place-led titles of people counted in the clause after an honour trigger (rule ``honour``)."""
    for t in bt.honour_trigger.finditer(text):
        end = _CLAUSE.search(text, t.end())
        clause_end = end.start() if end else len(text)
        pos = t.end()
        for part in _ITEM.split(text[t.end() : clause_end]):
            m = next((m for m in _item_matches(bt, part)), None)
            if m is not None:
                yield pos + m.start(1), pos + m.end(1)
            pos += len(part) + 1


def _item_matches(bt: BrandTables, part: str):
    """The honour title of one list item: searched from each place stem in its first characters."""
    for k in range(min(len(part), 5)):
        m = bt.honour_item.match(part, k)
        if m:
            yield m
            return
