"""Extract: normalised text -> entity mentions (programmes, organisations, places, target groups, projects).

A blank Chinese spaCy pipeline with the character segmenter (matches never depend on word
segmentation) and a `span_ruler` whose phrase patterns are generated from the ontology's SKOS
labels at start-up (:func:`make_nlp`); extraction runs the same patterns through a spaCy
PhraseMatcher, which gives the span_ruler's spans in its order without making a Span of each.
Offsets are into the normalised text; the pipeline maps them back.

Kinds of body (ukg:OrganisationKind: 人社厅, 省委, 女职工委员会) join the place or federation named
right before them into one organisation mention (四川省人社厅 -> orgs:sichuan/hrss); a bare kind keeps
an empty id and its level, and :mod:`kg.pipeline.resolve` gives it the body of the document's jurisdiction.
The names and level marks are in the lexicon (ontology/lexicon/mentions.ttl).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.model import MentionSpan
from kg.namespaces import NATIONAL_FEDERATION, ORGS, federation_iri
from kg.text.chars import CLOSE_PARENS, CN_NUMBERING, COMMAS, ENUMERATION_COMMA, OPEN_QUOTES, PAUSES, QUOTE_PAIRS
from kg.text.normalize import normalize
from kg.vocab.ontology import GazetteerEntry, OrganisationKind, Place, Vocabulary, load_vocabulary

__all__ = [
    "FederationNames",
    "body_iri",
    "body_label",
    "char_words",
    "county_entries",
    "extract_mentions",
    "federation_names",
    "is_county_level_city",
    "is_municipality",
    "make_nlp",
    "organisation_entries",
]

_SPANS_KEY = "unionkg"
_KIND = "org_kind"
#: a short kind label with no level (发改, 妇联) counts only when one of these (or a list word) follows it
_MAX_QUOTED = 16  # the longest quoted name a curated mention is widened to
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_BOUNDARY_MARKS = ENUMERATION_COMMA + COMMAS + "。" + PAUSES + " \n" + CLOSE_PARENS
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class FederationNames:
    """The lexicon's federation names and level marks (ontology/lexicon/mentions.ttl)."""

    suffix: str
    short_suffix: str
    bare: dict[str, str]
    level_marks: tuple[tuple[str, str], ...]
    level_chars: dict[str, str]
    level_words: dict[str, str]
    level_endings: tuple[tuple[str, str], ...]
    municipality_suffixes: tuple[str, ...]
    district_suffixes: tuple[str, ...]
    boundary: frozenset[str]

    def federation_label(self, place_label: str) -> str:
        """The name of a place's federation (四川省 -> 四川省总工会)."""
        return place_label + self.suffix

    def county_federation_label(self, county: Place, parent: Place | None) -> str:
        """A county's federation: a district's carries its city's name (大连市甘井子区总工会), a county's or a
        county-level city's does not (义乌市总工会)."""
        prefix = parent.label if parent is not None and county.label.endswith(self.district_suffixes) else ""
        return prefix + county.label + self.suffix

    def is_municipality(self, place: Place) -> bool:
        """A province-level city (北京市, 重庆市): its bodies carry city-style names (…局)."""
        return place.kind == "province" and place.label.endswith(self.municipality_suffixes)


@lru_cache(maxsize=8)
def federation_names(vocab: Vocabulary | None = None) -> FederationNames:
    """The federation names and level marks of `vocab` (default: the project's)."""
    vocab = vocab or load_vocabulary()
    return FederationNames(
        suffix="".join(vocab.words("mention-federation-suffix")),
        short_suffix="".join(vocab.words("mention-short-federation-suffix")),
        bare=vocab.mapping("mention-bare-federations"),
        level_marks=tuple((row[0], row[1]) for row in vocab.table("mention-level-marks")),
        level_chars=vocab.mapping("mention-level-chars"),
        level_words=vocab.mapping("mention-level-words"),
        level_endings=tuple((row[0], row[1]) for row in vocab.table("mention-level-endings")),
        municipality_suffixes=vocab.words("mention-municipality-suffix"),
        district_suffixes=vocab.words("mention-district-suffix"),
        boundary=frozenset(_BOUNDARY_MARKS + "".join(vocab.words("list-etc") + vocab.words("list-conjunctions"))),
    )


def is_municipality(place: Place, *, vocab: Vocabulary | None = None) -> bool:
    """A province-level city (北京市, 重庆市): its bodies carry city-style names (…局)."""
    return federation_names(vocab).is_municipality(place)


def is_county_level_city(place: Place, *, vocab: Vocabulary | None = None) -> bool:
    """A county-level city (义乌市): its bare 市… names are its own."""
    return place.kind == "county" and place.label.endswith(federation_names(vocab).municipality_suffixes)


def body_iri(anchor_iri: str, kind: OrganisationKind) -> str:
    """IRI of the body of `kind` of a place (orgs:sichuan/hrss) or federation (orgs:sichuan-ftu/…)."""
    return str(ORGS[f"{anchor_iri.rstrip('/').rsplit('/', 1)[-1]}/{kind.slug}"])


def body_label(anchor_label: str, kind: OrganisationKind, *, provincial: bool) -> str:
    """Full name of a body: the kind's provincial or local form with the place or federation name."""
    form = kind.provincial_form if provincial else kind.local_form
    return form.replace("{}", anchor_label) if "{}" in form else anchor_label + form


def organisation_entries(
    directory: str | None = None, *, vocab: Vocabulary | None = None
) -> tuple[GazetteerEntry, ...]:
    """Federation names generated from the places gazetteer (四川省总工会, 成都市总工会 …).

    The ACFTU (中华全国总工会, 全总) and the national industry unions are named in organisations.ttl.
    """
    vocab = vocab or load_vocabulary(directory)
    names = federation_names(vocab)
    out: dict[str, GazetteerEntry] = {}
    for place in vocab.places.values():
        if place.kind in ("region", "country", "county"):
            continue
        canonical = names.federation_label(place.label)
        iri = federation_iri(place.iri)
        for name in {place.label, place.short}:
            label = names.federation_label(name)
            out.setdefault(label, GazetteerEntry(label, iri, "organisation", canonical))
    for e in vocab.gazetteer:  # a prefecture's short form with its level word: 恩施州总工会, 兴安盟总工会
        city = vocab.places.get(e.iri)
        if e.type == "place" and city is not None and city.kind == "city" and e.label[-1:] in "州盟":
            label = e.label + names.suffix
            out.setdefault(
                label,
                GazetteerEntry(label, federation_iri(city.iri), "organisation", names.federation_label(city.label)),
            )
    for label in names.bare:
        out[label] = GazetteerEntry(label, "", "organisation", label)
    for e in county_entries(vocab):
        if e.type == "organisation":
            out.setdefault(e.label, e)
    return tuple(out[k] for k in sorted(out))


def county_entries(vocab: Vocabulary) -> tuple[GazetteerEntry, ...]:
    """Place and federation names of the county-level units (counties.ttl).

    A county is matched by its full name (甘井子区; not by its short name, and not by a two-character full
    name such as 和县 or one in lx:mention-county-stop-names, unless its city's name comes first:
    大连市甘井子区, 大同市城区) and its federation by the full name + 总工会. A name that several counties
    share (朝阳区, 鼓楼区) gets an entry with no IRI; the resolve stage chooses among them by context.
    """
    return _county_entries(vocab)


@lru_cache(maxsize=8)
def _county_entries(vocab: Vocabulary) -> tuple[GazetteerEntry, ...]:
    names = federation_names(vocab)
    stop = set(vocab.words("mention-county-stop-names"))
    by_label: dict[tuple[str, str], set[tuple[str, str]]] = {}  # (type, label) -> {(iri, canonical)}

    def add(mtype: str, label: str, iri: str, canonical: str) -> None:
        by_label.setdefault((mtype, label), set()).add((iri, canonical))

    for county in vocab.places.values():
        if county.kind != "county":
            continue
        parent = vocab.places.get(county.parent or "")
        fed = names.county_federation_label(county, parent)
        prefixes = {parent.label, parent.short} if parent is not None and parent.kind != "country" else set()
        for prefix in sorted(prefixes):
            add("place", prefix + county.label, county.iri, county.label)
            add("organisation", prefix + county.label + names.suffix, county.iri, fed)
        if len(county.label) >= 3 and county.label not in stop:
            add("place", county.label, county.iri, county.label)
        add("organisation", county.label + names.suffix, county.iri, fed)
    out = []
    for (mtype, label), found in sorted(by_label.items()):
        key = normalize(label).text.strip()  # as the text is matched (OpenCC folds 乾安县 to 干安县)
        if len(found) == 1:
            iri, canonical = next(iter(found))
            out.append(GazetteerEntry(key, iri if mtype == "place" else federation_iri(iri), mtype, canonical))
        else:
            out.append(GazetteerEntry(key, "", mtype, label))
    return tuple(out)


def char_words(text: str) -> tuple[list[str], list[bool]]:
    """The words and trailing spaces of spaCy's zh character segmentation of `text` (each character a token,
    a space after it its trailing space, other whitespace a token), as spacy.util.get_words_and_spaces makes
    them but in one pass (its scan is quadratic in the length of the text)."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for m in _WHITESPACE.finditer(text):
        words += text[pos : m.start()]
        spaces += [False] * (m.start() - pos)
        run = m.group()
        if words and run[0] == " ":  # the space after a character is its trailing space
            spaces[-1] = True
            run = run[1:]
        if run:
            words.append(run)
            spaces.append(False)
        pos = m.end()
    words += text[pos:]
    spaces += [False] * (len(text) - pos)
    return words, spaces


class _CharTokenizer:
    """spaCy's zh "char" segmenter, the same Doc made faster (:func:`char_words`)."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str):
        from spacy.tokens import Doc

        words, spaces = char_words(text)
        return Doc(self.vocab, words=words, spaces=spaces)


def make_nlp(directory: str | None = None, *, vocab: Vocabulary | None = None):
    """The spaCy pipeline: blank zh (char segmenter) + span_ruler generated from the ontology. extract_mentions
    runs the same patterns through a PhraseMatcher of its own (the same spans, without the Span objects)."""
    return _make_nlp(vocab or load_vocabulary(directory))


def _blank():
    import spacy

    nlp = spacy.blank("zh")  # the char segmenter
    nlp.tokenizer = _CharTokenizer(nlp.vocab)
    return nlp


@lru_cache(maxsize=8)
def _entries(vocab: Vocabulary) -> tuple[GazetteerEntry, ...]:
    """Every name to match, one entry per name, in the order of the names."""
    entries = {e.label: e for e in organisation_entries(vocab=vocab)}
    for e in vocab.gazetteer:
        entries.setdefault(e.label, e)
    for e in county_entries(vocab):
        entries.setdefault(e.label, e)
    for kind in vocab.organisation_kinds:
        for label in kind.labels:
            entries.setdefault(label, GazetteerEntry(label, kind.iri, _KIND, label))
    return tuple(e for _, e in sorted(entries.items()))


@lru_cache(maxsize=4)
def _make_nlp(vocab: Vocabulary):
    nlp = _blank()
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": _SPANS_KEY, "phrase_matcher_attr": "TEXT"})
    patterns = [{"label": e.type, "pattern": e.label, "id": f"{e.iri}\t{e.canonical}"} for e in _entries(vocab)]
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    return nlp


@dataclass(frozen=True)
class _Matcher:
    """The span_ruler's patterns in a PhraseMatcher: match key -> (label hash, id hash, type, IRI, canonical)."""

    nlp: object
    matcher: object
    keys: dict[int, tuple[int, int, str, str, str]]


@lru_cache(maxsize=4)
def _phrase_matcher(vocab: Vocabulary) -> _Matcher:
    from spacy.matcher import PhraseMatcher

    nlp = _blank()
    strings = nlp.vocab.strings
    matcher = PhraseMatcher(nlp.vocab, attr="TEXT")
    keys: dict[int, tuple[int, int, str, str, str]] = {}
    for e in _entries(vocab):
        span_id = f"{e.iri}\t{e.canonical}"
        key = repr((e.type, span_id))  # as the span_ruler names a pattern's label and id
        keys[strings.add(key)] = (strings.add(e.type), strings.add(span_id), e.type, e.iri, e.canonical)
        matcher.add(key, [nlp.make_doc(e.label)])  # type: ignore[attr-defined]
    return _Matcher(nlp, matcher, keys)


def _spans(text: str, vocab: Vocabulary) -> list[MentionSpan]:
    """The gazetteer's matches in `text`, as the span_ruler orders its spans (start, end, label, id)."""
    pm = _phrase_matcher(vocab)
    doc = pm.nlp.make_doc(text)  # type: ignore[attr-defined]
    rows = set()
    for key, start, end in pm.matcher(doc):  # type: ignore[operator]
        if start != end:
            last = doc[end - 1]
            rows.add((doc[start].idx, last.idx + len(last), *pm.keys[key]))
    return [MentionSpan(mtype, iri, canonical, s, e) for s, e, _, _, mtype, iri, canonical in sorted(rows)]


def extract_mentions(text: str, *, directory: str | None = None, vocab: Vocabulary | None = None) -> list[MentionSpan]:
    """Longest non-overlapping gazetteer matches in `text`, in order of appearance (`vocab` or `directory`'s)."""
    vocab = vocab or load_vocabulary(directory)
    found: list[MentionSpan] = []
    kinds: list[MentionSpan] = []
    for m in _spans(text, vocab):
        (kinds if m.type == _KIND else found).append(m)
    found += _body_mentions(text, kinds, found, vocab)
    found += _short_federations(text, found, vocab)
    found.sort(key=lambda m: (-(m.end - m.start), m.start, m.type, m.id))
    taken = [False] * (len(text) + 1)
    out = []
    for m in found:
        if any(taken[m.start : m.end]):
            continue
        taken[m.start : m.end] = [True] * (m.end - m.start)
        out.append(m)
    return _widened(text, sorted(out, key=lambda m: (m.start, m.end)), vocab)


def _widened(text: str, mentions: list[MentionSpan], vocab: Vocabulary) -> list[MentionSpan]:
    """Curated programme mentions widened to the whole name that holds them:

    * a quoted name made of the programme and only generic words and heads (“工会送温暖行动”: 送温暖);
    * a venue (lx:mention-venue-heads: 工人文化宫 …) after an ordinal and a place, or a bare level character
      (苏州市第二工人文化宫, 、市工人文化宫): the place mention it absorbs is dropped.
    """
    rules = _widening_rules(vocab)
    absorbed: set[int] = set()
    for i, m in enumerate(mentions):
        if m.type != "programme" or not m.id:
            continue
        start, end = m.start, m.end
        quoted = _quoted_name(text, start, end, rules)
        if quoted is not None:
            start, end = quoted
        elif m.label.endswith(rules.venue_heads):
            start = _venue_start(text, mentions, i, rules, absorbed)
        if (start, end) != (m.start, m.end):
            mentions[i] = MentionSpan(m.type, m.id, m.label, start, end, kind=m.kind, rule=m.rule)
    out = [m for i, m in enumerate(mentions) if i not in absorbed]
    return out


@dataclass(frozen=True)
class _WideningRules:
    filler: re.Pattern[str]
    venue_heads: tuple[str, ...]
    ordinal: re.Pattern[str]
    level_chars: str


@lru_cache(maxsize=8)
def _widening_rules(vocab: Vocabulary) -> _WideningRules:
    words = sorted(set(vocab.discovery.generic_words) | set(vocab.discovery.heads), key=lambda w: (-len(w), w))
    alternation = "|".join(map(re.escape, words)) or "(?!)"
    mark = "".join(vocab.words("mention-venue-ordinal-mark"))
    return _WideningRules(
        filler=re.compile(rf"(?:{alternation})*"),
        venue_heads=vocab.words("mention-venue-heads"),
        ordinal=re.compile(rf"{re.escape(mark)}[{CN_NUMBERING}]+$") if mark else re.compile("(?!)"),
        level_chars="".join(federation_names(vocab).level_chars) + "".join(vocab.words("mention-district-suffix")),
    )


def _quoted_name(text: str, start: int, end: int, rules: _WideningRules) -> tuple[int, int] | None:
    """(start, end) of the inside of the quotes around [start, end) when the rest inside is filler only."""
    line_start = text.rfind("\n", 0, start) + 1
    open_at = max(text.rfind(q, line_start, start) for q in OPEN_QUOTES)
    if open_at < 0 or end - open_at > _MAX_QUOTED:
        return None
    close = QUOTE_PAIRS[text[open_at]]
    close_at = text.find(close, end, open_at + _MAX_QUOTED + 1)
    if close_at < 0 or (open_at + 1, close_at) == (start, end):
        return None
    before, after = text[open_at + 1 : start], text[end:close_at]
    if (before or after) and rules.filler.fullmatch(before) and rules.filler.fullmatch(after):
        return open_at + 1, close_at
    return None


def _venue_start(text: str, mentions: list[MentionSpan], i: int, rules: _WideningRules, absorbed: set[int]) -> int:
    """Where a venue's name starts: before an ordinal (第二) and the place or level character before it."""
    start = mentions[i].start
    ordinal = rules.ordinal.search(text, max(0, start - 4), start)
    at = ordinal.start() if ordinal is not None and ordinal.end() == start else start
    place = next((j for j in range(i - 1, -1, -1) if mentions[j].end == at and mentions[j].type == "place"), None)
    if place is not None:
        absorbed.add(place)
        return mentions[place].start
    if at > 0 and text[at - 1] in rules.level_chars and (at < 2 or not _CJK_CHAR.match(text[at - 2])):
        return at - 1
    return at


def _body_mentions(
    text: str, kind_spans: list[MentionSpan], found: list[MentionSpan], vocab: Vocabulary
) -> list[MentionSpan]:
    """Organisation mentions of kinds of body: joined to the place or federation before them, or bare."""
    names = federation_names(vocab)
    kinds = {k.iri: k for k in vocab.organisation_kinds}
    table = vocab.places
    federations = _federations(vocab)
    ends: dict[int, list[MentionSpan]] = {}
    for m in found:
        ends.setdefault(m.end, []).append(m)
    out = []
    for k in kind_spans:
        kind = kinds[k.id]
        shared = text[k.start] in names.level_chars
        for anchor in ends.get(k.start, []) + (ends.get(k.start + 1, []) if shared else []):
            joined = _join(anchor, kind, table, federations, names)
            if joined is not None:
                out.append(MentionSpan("organisation", joined[0], joined[1], anchor.start, k.end, kind=joined[2]))
        if kind.of_federation:
            continue  # a department counts only with its federation
        level = next((lv for mark, lv in names.level_marks if k.label.startswith(mark)), None)
        level = level or names.level_chars.get(k.label[0])
        start = k.start
        before = text[max(0, k.start - 2) : k.start]
        if level is None and before in names.level_words:  # 区级机关工会, 省级财政
            start, level = k.start - 2, names.level_words[before]
        if level is None and k.start > 0 and text[k.start - 1] in names.level_chars:
            start, level = k.start - 1, names.level_chars[text[k.start - 1]]
        level = level or next((lv for end, lv in names.level_endings if k.label.endswith(end)), "")
        if not level and len(k.label) <= 2 and k.end < len(text) and text[k.end] not in names.boundary:
            continue
        out.append(MentionSpan("organisation", "", level, start, k.end, kind=kind.iri))
    return out


@lru_cache(maxsize=8)
def _federations(vocab: Vocabulary) -> dict[str, Place]:
    """The federation IRI of every place of `vocab` -> the place."""
    return {federation_iri(p.iri): p for p in vocab.places.values()}


def _short_federations(text: str, found: list[MentionSpan], vocab: Vocabulary) -> list[MentionSpan]:
    """A place name followed by 工会 (黑龙江工会, 合肥工会): the federation of that place, as headlines shorten it."""
    names = federation_names(vocab)
    suffix = names.short_suffix
    if not suffix:
        return []
    out = []
    for m in found:
        place = vocab.places.get(m.id) if m.type == "place" else None
        if place is None or place.kind in ("region", "country") or not text.startswith(suffix, m.end):
            continue
        label = names.federation_label(place.label)
        out.append(MentionSpan("organisation", federation_iri(place.iri), label, m.start, m.end + len(suffix)))
    return out


def _join(
    anchor: MentionSpan, kind: OrganisationKind, table: dict, federations: dict, names: FederationNames
) -> tuple[str, str, str] | None:
    """(IRI, label, kind) of the body of `kind` of a place or federation mention; ("", bare name, kind) if bare."""
    if kind.of_federation and anchor.type == "organisation":
        if anchor.id == NATIONAL_FEDERATION or anchor.id in federations:
            return body_iri(anchor.id, kind), body_label(anchor.label, kind, provincial=True), kind.iri
        if not anchor.id and anchor.label in names.bare:
            return "", anchor.label, kind.iri
        return None
    place = table.get(anchor.id) if anchor.type == "place" and not kind.of_federation else None
    if place is None or place.kind == "region":
        return None
    provincial = place.kind == "province" and not names.is_municipality(place)
    return body_iri(place.iri, kind), body_label(place.label, kind, provincial=provincial), kind.iri
