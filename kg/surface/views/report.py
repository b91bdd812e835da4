"""The brief pages: ``report-<slug>.html``, one per jurisdiction, from the brief of :mod:`kg.surface.report`
through ``templates/report.html`` (autoescaped; a print stylesheet, so the page prints as a brief; no script)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from kg.surface.report import (
    LEVELS,
    REPORT_FORMATS,
    Brief,
    genre_text,
    jurisdiction_brief,
    number,
    programme_cells,
    quantity_cells,
    render_brief,
    summary_line,
)
from kg.surface.views.data import slugify
from kg.surface.views.render import LIB, render, write_lib

__all__ = ["LEVELS", "REPORT_FORMATS", "brief_output", "brief_page", "write_brief_page"]


def brief_page(brief: Brief, *, lib: str = LIB, slugs: dict[str, str] | None = None) -> str:
    """The brief as an HTML page; `slugs` (programme IRI -> slug) links each programme to its page, `lib` is
    the relative path to the views' lib/ (its report.css)."""
    if slugs is None:  # the views' file names (kg.surface.views.data.slugify), as `kg build` writes them
        slugs = {r["programme"]: slugify(r["programme"]) for r in brief.programmes}

    def programme(r: dict, shared: bool) -> dict:
        return {"cells": programme_cells([r], shared)[0], "slug": slugs.get(r["programme"])}

    return render(
        "report.html",
        title=brief.title,
        lib=lib,
        place=brief.place,
        level=brief.level,
        summary=summary_line(brief),
        documents=[
            [r.get("date") or "", genre_text(r), r.get("title") or "", r.get("measures"), r.get("sourceFile") or ""]
            for r in brief.documents
        ],
        shared=[programme(r, True) for r in brief.shared],
        unique=[programme(r, False) for r in brief.unique],
        targets=[quantity_cells(r) for r in brief.targets],
        money=[quantity_cells(r) for r in brief.money],
        groups=[[r["groupLabel"], r.get("mentions"), r.get("documents"), r.get("measures")] for r in brief.groups],
        planned=[
            [
                r.get("unit"),
                r.get("targets"),
                number(r.get("targetTotal")),
                r.get("statistics"),
                number(r.get("statisticTotal")),
            ]
            for r in brief.planned
        ],
        graph_page=f"jurisdiction-{brief.place.slug}.html" if brief.level == "province" else None,
    )


def write_brief_page(
    brief: Brief, views: str | Path, *, slugs: dict[str, str] | None = None, slug: str | None = None
) -> Path:
    """Write the brief as `views`/report-<slug>.html (default slug: the place's; the shared lib/ is written
    beside it); returns its path."""
    folder = Path(views)
    folder.mkdir(parents=True, exist_ok=True)
    write_lib(folder)
    path = folder / f"report-{slug or brief.place.slug}.html"
    path.write_bytes(brief_page(brief, slugs=slugs).encode("utf-8"))
    return path


def brief_output(ds: Dataset, jurisdiction: str, *, level: str | None, fmt: str, views: str | Path) -> str:
    """What ``kg report`` prints: the brief as Markdown or CSV, or (html) where it wrote the page in `views`."""
    brief = jurisdiction_brief(ds, jurisdiction, level=level)
    if fmt == "html":
        return f"wrote {write_brief_page(brief, views)}\n"
    return render_brief(brief, fmt)
