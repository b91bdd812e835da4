"""``index.html``: the documents by genre, links to every view, the jurisdiction × programme heatmap, the
shared and unique programme tables and every programme by category (templates/index.html)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from kg.surface.views.data import UNCATEGORISED_COLOUR, Entity, Jurisdiction, ViewData
from kg.surface.views.graphs import overview_graph
from kg.surface.views.heatmap import heatmap
from kg.surface.views.render import LIB, render

__all__ = ["JurisdictionLink", "ProgrammeLink", "SharedRow", "UniqueRow", "render_index"]


@dataclass(frozen=True)
class JurisdictionLink:
    jurisdiction: Jurisdiction
    documents: int
    programmes: int
    brief: bool = False  # it has a brief page (report-<slug>.html)


@dataclass(frozen=True)
class ProgrammeLink:
    programme: Entity
    colour: str


@dataclass(frozen=True)
class SharedRow:
    """A row of the shared-programmes query (`slug`: its page, when it has one)."""

    label: str
    slug: str | None
    count: str
    jurisdictions: str
    mentions: str


@dataclass(frozen=True)
class UniqueRow:
    """A row of the unique-programmes query."""

    jurisdiction: str
    label: str
    slug: str | None
    mentions: str


def render_index(
    data: ViewData,
    shared: list[dict],
    unique: list[dict],
    *,
    title: str,
    lib: str = LIB,
    briefs: set[str] | frozenset[str] = frozenset(),
) -> str:
    """``index.html`` from the view data and the rows of the shared- and unique-programmes queries; `briefs`:
    the slugs of the jurisdictions with a brief page."""
    g = overview_graph(data, top=None)
    progs = data.programmes()
    jurs = sorted(data.jurisdictions.values(), key=lambda j: (j.label, j.iri))
    mentioned = {m.entity for m in data.mentions}
    slug_of = {p.iri: p.slug for p in progs}
    links = [
        JurisdictionLink(j, sum(1 for d in data.documents.values() if d.jurisdiction == j.iri),
                         g.degree(j.iri) if j.iri in g else 0, j.slug in briefs)
        for j in jurs
    ]  # fmt: skip
    shared_rows = [
        SharedRow(r["label"], slug_of.get(r.get("programme", "")), str(r.get("count", "")),
                  "、".join(sorted((r.get("jurisdictions") or "").split("、"))), str(r.get("mentions", "")))
        for r in shared
    ]  # fmt: skip
    unique_rows = [
        UniqueRow(str(r.get("jurisdictionLabel", "")), r["label"], slug_of.get(r.get("programme", "")),
                  str(r.get("mentions", "")))
        for r in unique
    ]  # fmt: skip
    return render(
        "index.html",
        title=title,
        lib=lib,
        counts={
            "documents": len(data.documents),
            "jurisdictions": len(jurs),
            "programmes": sum(1 for p in progs if p.iri in mentioned),
            "mentions": len(data.mentions),
            "quantities": len(data.quantities),
        },
        genres=sorted(
            Counter(d.genre for d in data.documents.values() if d.genre).items(), key=lambda kv: (-kv[1], kv[0])
        ),
        jurisdictions=links,
        pairs=list(combinations(jurs, 2)),
        map=heatmap(g, data.colours),
        categories=[(c, data.colours.get(c, UNCATEGORISED_COLOUR)) for c in sorted({p.category for p in progs})],
        programmes=[
            ProgrammeLink(p, data.colours.get(p.category, UNCATEGORISED_COLOUR)) for p in progs if p.iri in mentioned
        ],
        shared=shared_rows,
        unique=unique_rows,
    )
