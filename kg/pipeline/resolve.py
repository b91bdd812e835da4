"""Resolve: give every mention one IRI per real-world entity, and find a document's issuer and jurisdiction.

Bare federation names (省总工会, 市总工会, 省总) are resolved against the document's dominant place, so a
bare 省总工会 inside a Sichuan document is 四川省总工会. Bare kinds of body are resolved the same way:
省委 is the province's party committee, 市人社局 the city's (or municipality's) bureau, 发改 (no level)
the city's body if the document has a city, else the province's; 省总工会女职工委员会 is a department
of the province's federation. The issuing verbs are in the lexicon (ontology/lexicon/resolve.ttl).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.model import MentionSpan
from kg.namespaces import NATIONAL_FEDERATION, federation_iri
from kg.pipeline.mentions import FederationNames, body_iri, body_label, federation_names
from kg.text.chars import CLAUSE_END, char_class
from kg.vocab.ontology import Place, Vocabulary, load_vocabulary

__all__ = ["DocumentAgents", "dominant_places", "find_agents", "link_counts", "resolve_mentions"]

_CLAUSE_MARK = re.compile(char_class(CLAUSE_END + "\n"))
#: what the counted phrase of a quantity is compared without (white space and most quotation marks)
_QUOTES_AND_SPACE = re.compile(r"[“”「」‘’\s]")
_COUNTED_TYPES = ("programme", "target_group")
_NEAR = 80  # how far before a quantity its counted phrase may be mentioned


@dataclass(frozen=True)
class DocumentAgents:
    """Who issued a document and where it applies, with the mentions that say so."""

    issuer: MentionSpan | None
    province: Place | None
    city: Place | None


@dataclass(frozen=True)
class _Rules:
    issue_verbs: re.Pattern[str]
    red_header: re.Pattern[str]


@lru_cache(maxsize=8)
def _rules(vocab: Vocabulary) -> _Rules:
    verbs = "|".join(map(re.escape, vocab.words("resolve-issuing-verbs"))) or "(?!)"
    ends = "|".join(map(re.escape, vocab.words("red-header-ends"))) or "(?!)"
    return _Rules(re.compile(rf"^[^。，,；]{{0,12}}?({verbs})"), re.compile(rf"(?:{ends})\s*$"))


def dominant_places(
    mentions: list[MentionSpan], *, directory: str | None = None, vocab: Vocabulary | None = None
) -> tuple[Place | None, Place | None]:
    """The most-mentioned province-level area and (if any) city, counting federations and cities."""
    table = (vocab or load_vocabulary(directory)).places
    by_federation = {federation_iri(p.iri): p for p in table.values()}
    provinces: Counter[str] = Counter()
    cities: Counter[str] = Counter()
    for m in mentions:
        place = table.get(m.id) if m.type == "place" else by_federation.get(m.id)
        if place is None or place.kind == "region":
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
    directory: str | None = None,
    vocab: Vocabulary | None = None,
) -> list[MentionSpan]:
    """Replace bare federations and bare kinds of body by those of the document's province or city."""
    vocab = vocab or load_vocabulary(directory)
    names = federation_names(vocab)
    kinds = {k.iri: k for k in vocab.organisation_kinds}
    out = []
    for m in mentions:
        if m.type == "organisation" and not m.id and m.label in names.bare:
            target = _target(names.bare[m.label], province, city, names)
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
            target = _target(m.label or ("city" if city is not None else "province"), province, city, names)
            if target is None:
                continue
            provincial = target.kind == "province" and not names.is_municipality(target)
            kind = kinds[m.kind]
            m = replace(m, id=body_iri(target.iri, kind), label=body_label(target.label, kind, provincial=provincial))
        if m.id:
            out.append(m)
    return out


def _target(level: str, province: Place | None, city: Place | None, names: FederationNames) -> Place | None:
    """The place a bare name refers to: the province, or the city (a municipality counts as one)."""
    if level == "province":
        return province
    return city or (province if province is not None and names.is_municipality(province) else None)


def find_agents(
    text: str,
    mentions: list[MentionSpan],
    *,
    title_span: tuple[int, int] | None,
    directory: str | None = None,
    vocab: Vocabulary | None = None,
) -> DocumentAgents:
    """Issuer (from the title, a red header, or an early '… 发布/印发 …') and jurisdiction."""
    vocab = vocab or load_vocabulary(directory)
    rules = _rules(vocab)
    table = vocab.places
    by_federation = {federation_iri(p.iri): p for p in table.values()}
    orgs = [m for m in mentions if m.type == "organisation" and m.id]
    issuer = None
    if title_span:
        issuer = next((m for m in orgs if title_span[0] <= m.start < title_span[1]), None)
    if issuer is None:
        for m in orgs:
            line_start = text.rfind("\n", 0, m.start) + 1
            line_end = text.find("\n", m.end)
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            if m.start < 2000 and rules.red_header.search(line):
                issuer = m
                break
    if issuer is None:
        head = len(text) * 0.2
        issuer = next((m for m in orgs if m.start < head and rules.issue_verbs.match(text[m.end : m.end + 20])), None)
    province, city = dominant_places(mentions, vocab=vocab)
    if issuer is not None and issuer.id != NATIONAL_FEDERATION:
        place = by_federation.get(issuer.id)
        if place is not None and place.kind == "city":
            city, province = place, table.get(place.province or "")
        elif place is not None:
            province, city = place, (city if city and city.province == place.iri else None)
    return DocumentAgents(issuer, province, city)


def link_counts(text: str, quantities: list, mentions: list[MentionSpan]) -> dict[tuple[int, int], str]:
    """(start, end) of each quantity -> IRI of the programme or target group it counts.

    The longest programme or target-group mention near the quantity whose text is part of the
    quantity's `counts` phrase (新建…创新工作室150家 -> 劳模和工匠人才创新工作室); failing that, the
    nearest such mention before the number in the same clause.
    """
    linkable = [m for m in mentions if m.type in _COUNTED_TYPES and m.id]
    out = {}
    for q in quantities:
        phrase = _QUOTES_AND_SPACE.sub("", q.counts or "")
        near = [m for m in linkable if q.start - _NEAR <= m.start and m.end <= q.end + len(phrase) + 2]
        named = [m for m in near if phrase and text[m.start : m.end] in phrase]
        if named:
            best = max(named, key=lambda m: (m.end - m.start, -abs(m.start - q.start)))
            out[(q.start, q.end)] = best.id
            continue
        clause_start = q.start
        while clause_start > 0 and not _CLAUSE_MARK.match(text[clause_start - 1]):
            clause_start -= 1
        before = [m for m in near if clause_start <= m.start and m.end <= q.start]
        if before:
            out[(q.start, q.end)] = max(before, key=lambda m: m.end).id
    return out
