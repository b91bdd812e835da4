"""Resolve: give every mention one IRI per real-world entity, and find a document's issuer and jurisdiction.

Bare federation names (省总工会, 市总工会, 省总) are resolved against the document's dominant place, so a
bare 省总工会 inside a Sichuan document is 四川省总工会. Bare kinds of body are resolved the same way:
省委 is the province's party committee, 市人社局 the city's (or municipality's) bureau, 发改 (no level)
the city's body if the document has a city, else the province's; 省总工会女职工委员会 is a department
of the province's federation. The issuing verbs are in the lexicon (ontology/lexicon/resolve.ttl).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.model import MentionSpan
from kg.namespaces import NATIONAL_PLACE, ORGS, federation_iri
from kg.pipeline.mentions import FederationNames, body_iri, body_label, federation_names
from kg.text.chars import CLAUSE_END, char_class
from kg.text.dates import CN_DATE
from kg.vocab.ontology import Place, Vocabulary, load_vocabulary

__all__ = [
    "DocumentAgents",
    "dominant_places",
    "find_agents",
    "link_counts",
    "place_of_organisation",
    "resolve_mentions",
]

_CLAUSE_MARK = re.compile(char_class(CLAUSE_END + "\n"))
#: what the counted phrase of a quantity is compared without (white space and most quotation marks)
_QUOTES_AND_SPACE = re.compile(r"[“”「」‘’\s]")
_COUNTED_TYPES = ("programme", "target_group")
_NEAR = 80  # how far before a quantity its counted phrase may be mentioned


@dataclass(frozen=True)
class DocumentAgents:
    """Who issued a document and where it applies, with the mentions that say so.

    `province` is the province-level area (place:china for a national document), `city` and `county`
    the prefecture- and county-level areas when the document is theirs; `level` names the most
    specific of them (national, province, city, county).
    """

    issuer: MentionSpan | None
    province: Place | None
    city: Place | None
    county: Place | None = None

    @property
    def level(self) -> str | None:
        for place, level in ((self.county, "county"), (self.city, "city")):
            if place is not None:
                return level
        if self.province is None:
            return None
        return "national" if self.province.kind == "country" else "province"


@dataclass(frozen=True)
class _Rules:
    issue_verbs: re.Pattern[str]
    red_header: re.Pattern[str]
    source_line: re.Pattern[str]
    interview_line: re.Pattern[str]


@lru_cache(maxsize=8)
def _rules(vocab: Vocabulary) -> _Rules:
    def alternation(name: str) -> str:
        return "|".join(map(re.escape, vocab.words(name))) or "(?!)"

    return _Rules(
        re.compile(rf"^[^。，,；]{{0,12}}?({alternation('resolve-issuing-verbs')})"),
        re.compile(rf"(?:{alternation('red-header-ends')})\s*$"),
        re.compile(rf"(?:{alternation('resolve-source-labels')})\s*[:：]\s*$"),
        re.compile(rf"^\s*[—\-－]+\s*(?:{alternation('resolve-interview-marks')})\s*$"),
    )


def place_of_organisation(iri: str, vocab: Vocabulary) -> Place | None:
    """The area of a federation (orgs:sichuan-ftu), of a body of an area or federation (orgs:sichuan/hrss,
    orgs:sichuan-ftu/women-workers-committee), or of the ACFTU and its bodies (China)."""
    return _org_places(vocab).get(iri.rsplit("/", 1)[0] if iri.count("/") > str(ORGS).count("/") else iri)


@lru_cache(maxsize=8)
def _org_places(vocab: Vocabulary) -> dict[str, Place]:
    out: dict[str, Place] = {}
    for place in vocab.places.values():
        out[federation_iri(place.iri)] = place
        out[str(ORGS[place.iri.rstrip("/").rsplit("/", 1)[-1]])] = place
    return out


def dominant_places(
    mentions: list[MentionSpan], *, directory: str | None = None, vocab: Vocabulary | None = None
) -> tuple[Place | None, Place | None]:
    """The most-mentioned province-level area and (if any) city, counting federations and cities."""
    vocab = vocab or load_vocabulary(directory)
    table = vocab.places
    provinces: Counter[str] = Counter()
    cities: Counter[str] = Counter()
    for m in mentions:
        if m.type == "place":
            place = table.get(m.id)
        elif m.type == "organisation" and m.id:
            place = place_of_organisation(m.id, vocab)
        else:
            place = None
        if place is not None and place.kind == "county":  # a county counts for its city and province
            place = table.get(place.parent or "")
        if place is None or place.kind in ("region", "country"):
            continue
        weight = 3 if m.type == "organisation" else 1
        if place.kind == "city":
            cities[place.iri] += weight
        if place.province:
            provinces[place.province] += weight
    province = table[min(provinces, key=lambda k: (-provinces[k], k))] if provinces else None
    city = None
    if cities and province is not None:
        best = min(cities, key=lambda k: (-cities[k], k))
        if table[best].province == province.iri and cities[best] >= 2:
            city = table[best]
    return province, city


def resolve_mentions(
    mentions: list[MentionSpan],
    province: Place | None,
    city: Place | None,
    *,
    county: Place | None = None,
    directory: str | None = None,
    vocab: Vocabulary | None = None,
) -> list[MentionSpan]:
    """Replace bare federations and bare kinds of body by those of the document's province, city or county."""
    vocab = vocab or load_vocabulary(directory)
    names = federation_names(vocab)
    kinds = {k.iri: k for k in vocab.organisation_kinds}
    out = []
    for m in mentions:
        if m.type in ("place", "organisation") and not m.id and m.label not in names.bare:
            m = _shared_county(m, province, city, vocab, names)
        if m.type == "organisation" and not m.id and m.label in names.bare:
            target = _target(names.bare[m.label], province, city, names, county)
            if target is None:
                continue
            fed_label = names.federation_label(target.label)
            if m.kind in kinds:  # 省总工会女职工委员会: a department of the federation
                kind = kinds[m.kind]
                m = replace(
                    m, id=body_iri(federation_iri(target.iri), kind), label=body_label(fed_label, kind, provincial=True)
                )
            else:
                m = replace(m, id=federation_iri(target.iri), label=fed_label)
        elif m.type == "organisation" and not m.id and m.kind in kinds:
            target = _target(m.label or ("city" if city is not None else "province"), province, city, names, county)
            if target is None:
                continue
            provincial = target.kind == "province" and not names.is_municipality(target)
            kind = kinds[m.kind]
            anchor = target.label
            if target.kind == "county":  # a district's bodies carry its city's name (舟山市普陀区机关工会)
                parent = vocab.places.get(target.parent or "")
                anchor = names.county_federation_label(target, parent).removesuffix(names.suffix)
            m = replace(m, id=body_iri(target.iri, kind), label=body_label(anchor, kind, provincial=provincial))
        if m.id:
            out.append(m)
    return out


def _shared_county(
    m: MentionSpan, province: Place | None, city: Place | None, vocab: Vocabulary, names: FederationNames
) -> MentionSpan:
    """A county name that several counties share (朝阳区, 鼓楼区总工会): the one in the document's city, else the
    one in its province; none when the context does not decide (never the first match)."""
    name = m.label.removesuffix(names.suffix) if m.type == "organisation" else m.label
    candidates = [vocab.places[iri] for iri in vocab.counties_by_name.get(name, ())]
    for area, attr in ((city, "parent"), (province, "province")):
        chosen = [c for c in candidates if area is not None and getattr(c, attr) == area.iri]
        if len(chosen) == 1:
            county = chosen[0]
            if m.type == "place":
                return replace(m, id=county.iri, label=county.label)
            parent = vocab.places.get(county.parent or "")
            return replace(m, id=federation_iri(county.iri), label=names.county_federation_label(county, parent))
    return m


def _target(
    level: str, province: Place | None, city: Place | None, names: FederationNames, county: Place | None = None
) -> Place | None:
    """The place a bare name refers to: the province, the county (区总工会, only in a county's document), or the
    city (a municipality counts as one)."""
    if province is not None and province.kind == "country":
        return None  # a national document's bare 省总工会 is every province's: none in particular
    if level == "province":
        return province
    if level == "county":
        return county
    return city or (province if province is not None and names.is_municipality(province) else None)


def find_agents(
    text: str,
    mentions: list[MentionSpan],
    *,
    title_span: tuple[int, int] | None,
    source_mentions: list[MentionSpan] = (),  # type: ignore[assignment]
    directory: str | None = None,
    vocab: Vocabulary | None = None,
) -> DocumentAgents:
    """Issuer and jurisdiction: the issuer is the first organisation named by the first rule that names one —
    the title, a red header, an interview's subtitle (——访…), a source line (来源：…, from `source_mentions`,
    the mentions inside lines the structure stage set aside as noise), an early '… 发布/印发 …', a signature
    (an organisation alone on its line above a date line)."""
    vocab = vocab or load_vocabulary(directory)
    rules = _rules(vocab)
    orgs = [m for m in mentions if m.type == "organisation" and m.id]
    issuer = None
    if title_span:
        issuer = next((m for m in orgs if title_span[0] <= m.start < title_span[1]), None)
    if issuer is None:
        issuer = next((m for m in orgs if m.start < 2000 and rules.red_header.search(_line_of(text, m))), None)
    if issuer is None:
        issuer = next(
            (m for m in orgs if m.start < 2000 and rules.interview_line.match(_before_on_line(text, m))), None
        )
    if issuer is None:
        sources = [m for m in source_mentions if m.type == "organisation" and m.id and m.start < 2000]
        issuer = next((m for m in sources if rules.source_line.search(_before_on_line(text, m))), None)
    if issuer is None:
        head = len(text) * 0.2
        issuer = next((m for m in orgs if m.start < head and rules.issue_verbs.match(text[m.end : m.end + 20])), None)
    if issuer is None:
        issuer = next((m for m in orgs if _signature(text, m)), None)
    province, city = dominant_places(mentions, vocab=vocab)
    county = None
    place = place_of_organisation(issuer.id, vocab) if issuer is not None else None
    if place is not None:
        province, city, county = _levels_of(place, vocab.places, city)
    return DocumentAgents(issuer, province, city, county)


_SIGNATURE_DATE = re.compile(rf"\s*{CN_DATE}\s*(?:\n|$)")


def _signature(text: str, m: MentionSpan) -> bool:
    """Rule *signature*: an organisation alone on its line, right above a date line (湖南省总工会 / 2025年8月1日)."""
    return _line_of(text, m).strip() == text[m.start : m.end] and bool(_SIGNATURE_DATE.match(text, m.end + 1))


def _line_of(text: str, m: MentionSpan) -> str:
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    return text[line_start : line_end if line_end >= 0 else len(text)]


def _before_on_line(text: str, m: MentionSpan) -> str:
    return text[text.rfind("\n", 0, m.start) + 1 : m.start]


def _levels_of(
    place: Place, table: dict[str, Place], city: Place | None
) -> tuple[Place | None, Place | None, Place | None]:
    """(province, city, county) of the issuer's area; a province keeps the document's own city if it is in it."""
    if place.iri == NATIONAL_PLACE or place.kind == "country":
        return place, None, None
    if place.kind == "county":
        parent = table.get(getattr(place, "parent", "") or "")
        own_city = parent if parent is not None and parent.kind == "city" else None
        return table.get(place.province or ""), own_city, place
    if place.kind == "city":
        return table.get(place.province or ""), place, None
    return place, (city if city and city.province == place.iri else None), None


def link_counts(text: str, quantities: list, mentions: list[MentionSpan]) -> dict[tuple[int, int], str]:
    """(start, end) of each quantity -> IRI of the programme or target group it counts.

    The longest programme or target-group mention near the quantity whose text is part of the
    quantity's `counts` phrase (新建…创新工作室150家 -> 劳模和工匠人才创新工作室); failing that, the
    nearest such mention before the number in the same clause.
    """
    linkable = sorted((m for m in mentions if m.type in _COUNTED_TYPES and m.id), key=lambda m: (m.start, m.end))
    starts = [m.start for m in linkable]
    marks = [m.start() for m in _CLAUSE_MARK.finditer(text)]  # bisected, so a long line costs no more per quantity
    out = {}
    for q in quantities:
        phrase = _QUOTES_AND_SPACE.sub("", q.counts or "")
        limit = q.end + len(phrase) + 2
        window = linkable[bisect_left(starts, q.start - _NEAR) : bisect_left(starts, limit)]
        near = [m for m in window if m.end <= limit]
        named = [m for m in near if phrase and text[m.start : m.end] in phrase]
        if named:
            best = max(named, key=lambda m: (m.end - m.start, -abs(m.start - q.start)))
            out[(q.start, q.end)] = best.id
            continue
        k = bisect_left(marks, q.start)  # the last clause mark before the number
        clause_start = marks[k - 1] + 1 if k else 0
        before = [m for m in near if clause_start <= m.start and m.end <= q.start]
        if before:
            out[(q.start, q.end)] = max(before, key=lambda m: m.end).id
    return out
