"""``timeline.html``: per jurisdiction, a programme × year grid (the years of the documents that mention
each programme, ``queries/programme-timeline.rq``) and, for each pair of consecutive years, the programmes
added and dropped — computed from those rows, as ``queries/jurisdiction-changes.rq`` gives them for one pair
(one query per pair would grow with jurisdictions × years). Autoescaped template, no script."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Dataset

from kg.surface.query import load_query, result_rows, run_query
from kg.surface.views.render import LIB, render

__all__ = ["Timeline", "TimelineRow", "changes", "render_timeline", "timelines"]


@dataclass(frozen=True)
class TimelineRow:
    """One programme of a jurisdiction: the years it appears in, first and last, and its documents."""

    programme: str
    label: str
    slug: str | None
    years: frozenset[int]
    first: int
    last: int
    documents: int


@dataclass
class Timeline:
    """One jurisdiction's grid, and the changes between consecutive years: (yearA, yearB, added, dropped)."""

    jurisdiction: str
    label: str
    slug: str
    years: list[int]
    rows: list[TimelineRow]
    changes: list[tuple[int, int, list[str], list[str]]] = field(default_factory=list)


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def changes(rows: list[TimelineRow], year_a: int, year_b: int) -> tuple[list[str], list[str]]:
    """The labels of the programmes added (in `year_b`, not in `year_a`) and dropped (in `year_a`, not in
    `year_b`), sorted: what jurisdiction-changes gives for the pair."""
    added = sorted(r.label for r in rows if year_b in r.years and year_a not in r.years)
    dropped = sorted(r.label for r in rows if year_a in r.years and year_b not in r.years)
    return added, dropped


def timelines(ds: Dataset, slugs: dict[str, str] | None = None) -> list[Timeline]:
    """Every jurisdiction's timeline (by label); `slugs` (programme IRI -> page slug) links the programmes."""
    slugs = slugs or {}
    by_place: dict[str, Timeline] = {}
    for row in result_rows(run_query(ds, load_query("programme-timeline"))):
        r = {k: v or "" for k, v in row.items()}
        j = r["jurisdiction"]
        t = by_place.setdefault(j, Timeline(j, r.get("jurisdictionLabel") or _local(j), _local(j), [], []))
        years = frozenset(int(y) for y in (r.get("years") or "").split("、") if y.strip().isdigit())
        t.rows.append(
            TimelineRow(r["programme"], r["label"], slugs.get(r["programme"]), years, int(r["first"] or 0),
                        int(r["last"] or 0), int(r["documents"] or 0))
        )  # fmt: skip
    for t in by_place.values():
        t.years = sorted(set().union(*(row.years for row in t.rows)))
        t.rows.sort(key=lambda row: (row.first, -len(row.years), row.label, row.programme))
        t.changes = [(a, b, *changes(t.rows, a, b)) for a, b in zip(t.years, t.years[1:], strict=False)]
    return sorted(by_place.values(), key=lambda t: (t.label, t.jurisdiction))


def render_timeline(items: list[Timeline], *, title: str, lib: str = LIB, briefs: set[str] | None = None) -> str:
    """``timeline.html`` for the timelines; `briefs` (jurisdiction slugs) are those with a report page."""
    return render("timeline.html", title=title, lib=lib, timelines=items, briefs=briefs or set())
