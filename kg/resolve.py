"""Resolve: give every mention one IRI per real-world entity, and find a document's issuer and jurisdiction.

Bare federation names (省总工会, 市总工会, 省总) are resolved against the document's dominant place, so a
bare 省总工会 inside a Sichuan document is 四川省总工会.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from kg.extract import BARE_FEDERATIONS, NATIONAL_FEDERATION, MentionSpan, federation_iri
from kg.ontology import Place, places

__all__ = ["DocumentAgents", "dominant_places", "find_agents", "resolve_mentions"]

_ISSUE_VERBS = re.compile(r"^[^。，,；]{0,12}?(发布|印发|出台|制定|下发|颁布|推出)")
_RED_HEADER = re.compile(r"(办公室|办公厅)?文件\s*$")


@dataclass(frozen=True)
class DocumentAgents:
    """Who issued a document and where it applies, with the mentions that say so."""

    issuer: MentionSpan | None
    province: Place | None
    city: Place | None


def dominant_places(mentions: list[MentionSpan], *, directory: str | None = None) -> tuple[Place | None, Place | None]:
    """The most-mentioned province-level area and (if any) city, counting federations and cities."""
    table = places(directory)
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


def resolve_mentions(mentions: list[MentionSpan], province: Place | None, city: Place | None) -> list[MentionSpan]:
    """Replace bare federation mentions by the federation of the document's province or city."""
    out = []
    for m in mentions:
        if m.type == "organisation" and m.label in BARE_FEDERATIONS:
            level = BARE_FEDERATIONS[m.label]
            target = None
            if level == "province" and province is not None:
                target = province
            elif level == "city":
                target = city or (province if province is not None and _is_municipality(province) else None)
            if target is None:
                continue
            m = replace(m, id=federation_iri(target.iri), label=f"{target.label}总工会")
        if m.id:
            out.append(m)
    return out


def _is_municipality(place: Place) -> bool:
    return place.label.endswith("市") and place.kind == "province"


def find_agents(
    text: str,
    mentions: list[MentionSpan],
    *,
    title_span: tuple[int, int] | None,
    directory: str | None = None,
) -> DocumentAgents:
    """Issuer (from the title, a red header, or an early '… 发布/印发 …') and jurisdiction."""
    table = places(directory)
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
            if m.start < 2000 and _RED_HEADER.search(line):
                issuer = m
                break
    if issuer is None:
        head = len(text) * 0.2
        issuer = next((m for m in orgs if m.start < head and _ISSUE_VERBS.match(text[m.end : m.end + 20])), None)
    province, city = dominant_places(mentions, directory=directory)
    if issuer is not None and issuer.id != NATIONAL_FEDERATION:
        place = by_federation.get(issuer.id)
        if place is not None and place.kind == "city":
            city, province = place, table.get(place.province or "")
        elif place is not None:
            province, city = place, (city if city and city.province == place.iri else None)
    return DocumentAgents(issuer, province, city)
