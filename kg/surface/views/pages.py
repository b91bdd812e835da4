"""Writing the views: every page into ``out/views/`` (UTF-8, deterministic) and the shared ``lib/`` beside them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
from rdflib import Dataset

from kg.errors import ReportError
from kg.surface.report import BriefTables, brief_tables, jurisdiction_brief
from kg.surface.views.data import ViewData, link_ok, load_view_data, query_rows, read_texts, to_int
from kg.surface.views.graphs import (
    OVERVIEW_TOP,
    comparison_data,
    jurisdiction_graph,
    overview_facets,
    overview_graph,
    programme_graph,
)
from kg.surface.views.index import render_index
from kg.surface.views.layout import overview_layout, view_positions
from kg.surface.views.render import render_page, write_lib
from kg.surface.views.report import write_brief_page
from kg.surface.views.text import kind_name, say
from kg.surface.views.timeline import render_timeline, timelines
from kg.surface.views.vis import STYLE, to_pyvis
from kg.vocab.ontology import load_vocabulary

__all__ = ["OVERVIEW_TOP", "views_summary", "write_build_views", "write_overview", "write_views"]


def _sorted_rows(rows: list[dict], *keys: str) -> list[dict]:
    return sorted(rows, key=lambda r: tuple(str(r.get(k) or "") for k in keys))


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def _local_briefs(
    ds: Dataset, out: Path, slugs: dict[str, str], written: list[Path], tables: BriefTables
) -> dict[str, list]:
    """Briefs of the cities and counties that have documents of their own (a county's document counts for its
    province in the province's pages): written as report-<slug>.html; province IRI -> [(href, label)]."""
    table = load_vocabulary().places
    found: dict[str, list] = {}
    for row in sorted(tables.places, key=lambda p: (p.level, p.iri)):
        level, place = row.level, table.get(row.iri)
        if level in ("city", "county") and place is not None and place.province and row.documents:
            try:
                brief = jurisdiction_brief(ds, place.iri, level=level, tables=tables)
            except ReportError:
                continue
            path = write_brief_page(brief, out, slugs=slugs)
            written.append(path)
            parent = table.get(place.parent or "") if level == "county" else None
            label = (parent.label if parent is not None else "") + place.label
            found.setdefault(place.province, []).append((path.name, label))
    return {k: sorted(v) for k, v in found.items()}


def write_views(
    ds: Dataset, out_dir: str | Path, *, text_dir: str | Path | None = None, overview_top: int | None = OVERVIEW_TOP
) -> list[Path]:
    """Write every view into `out_dir` as UTF-8 and return their paths (sorted; the shared files of
    `out_dir`/lib/ are written too, not listed). Evidence sentences come from `text_dir` (default:
    ``text/`` beside `out_dir`, as ``kg build`` writes it) when present; the overview draws the
    `overview_top` most shared programmes one by one (None: all). Stale view pages from an earlier run
    are removed."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_lib(out)
    docs = [r["doc"] for r in query_rows(ds, "view-documents")]
    texts = read_texts(text_dir if text_dir is not None else out.parent / "text", docs)
    data = load_view_data(ds, texts)
    written = [_write(out / "overview.html", _overview_page(data, top=overview_top))]
    mentioned = {m.entity for m in data.mentions}
    slugs = {p.iri: p.slug for p in data.programmes() if p.iri in mentioned}
    briefs: set[str] = set()
    tables = brief_tables(ds)
    local = _local_briefs(ds, out, slugs, written, tables)
    for j in sorted(data.jurisdictions.values(), key=lambda j: j.iri):
        links = [(f"timeline.html#{j.slug}", say("links.timeline"))]
        links += [(href, say("links.local-brief", label=label)) for href, label in local.get(j.iri, [])]
        try:  # a jurisdiction the gazetteer has as no province, city or county (the country) gets no brief
            brief = jurisdiction_brief(ds, j.iri, level="province", tables=tables)
            written.append(write_brief_page(brief, out, slugs=slugs, slug=j.slug))
            briefs.add(j.slug)
            links.insert(0, (f"report-{j.slug}.html", say("links.brief")))
        except ReportError:
            pass
        g = jurisdiction_graph(data, j.iri)
        net, legend, info = to_pyvis(g, view_positions(g, j.iri), colours=data.colours, root=j.iri)
        title = say("titles.jurisdiction", label=j.label)
        page = render_page(net, legend, title=title, info=info, keep=[j.iri], links=tuple(links))
        written.append(_write(out / f"jurisdiction-{j.slug}.html", page))
    page = render_timeline(timelines(ds, slugs), title=say("titles.timeline"), briefs=briefs)
    written.append(_write(out / "timeline.html", page))
    for p in data.programmes():
        if p.iri not in mentioned:
            continue
        g = programme_graph(data, p.iri)
        net, legend, info = to_pyvis(g, view_positions(g, p.iri), colours=data.colours, root=p.iri)
        page = render_page(net, legend, title=say("titles.programme", label=p.label), info=info, keep=[p.iri])
        written.append(_write(out / f"programme-{p.slug}.html", page))
    net, _, _ = to_pyvis(nx.Graph(), colours=data.colours, physics=False)
    legend = [{"label": kind_name("jurisdiction"), "color": STYLE["jurisdiction"]["color"], "shape": "box"}]
    legend += [{"label": c, "color": data.colours[c], "shape": "dot"} for c in sorted(data.colours)]
    legend.append({"label": say("uncurated"), "color": "#ffffff", "shape": "dashed"})
    page = render_page(net, legend, title=say("titles.compare"), compare=comparison_data(data))
    written.append(_write(out / "compare.html", page))
    shared = _sorted_rows(query_rows(ds, "shared-programmes"), "label", "programme")
    shared.sort(key=lambda r: -to_int(r.get("count")))
    unique = _sorted_rows(query_rows(ds, "unique-programmes"), "jurisdictionLabel", "label", "programme")
    written.append(
        _write(out / "index.html", render_index(data, shared, unique, title=say("titles.index"), briefs=briefs))
    )
    names = {p.name for p in written}
    for stale in sorted(out.glob("*.html")):
        if stale.name not in names and link_ok(stale.name):
            stale.unlink()
    return sorted(written)


def write_build_views(ds: Dataset, folder: Path) -> None:
    """What ``kg build`` adds to a build (``run_build(after_build=…)``): the views, written into its staging
    folder (`folder`/views/, evidence from `folder`/text/), so they are swapped in with the graph."""
    write_views(ds, folder / "views", text_dir=folder / "text")


def views_summary(paths: list[Path], views: Path) -> str:
    """What ``kg viz`` says it wrote: the number of pages of each kind, and the page to open."""
    counts = Counter(path.stem.split("-", 1)[0] for path in paths)
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    return f"wrote {len(paths)} views to {views}/ ({summary}); open {views / 'index.html'}"


def _overview_page(data: ViewData, *, top: int | None = OVERVIEW_TOP) -> str:
    g = overview_graph(data, top=top)
    net, legend, info = to_pyvis(g, overview_layout(g), colours=data.colours, physics=False)
    jurs = [n for n, d in g.nodes(data=True) if d["kind"] == "jurisdiction"]
    return render_page(net, legend, title=say("titles.overview"), info=info, keep=jurs, facets=overview_facets(g))


def write_overview(ds: Dataset, out_dir: str | Path, *, top: int | None = OVERVIEW_TOP) -> Path:
    """Write only `overview.html` (jurisdictions and programmes) and lib/ as UTF-8; returns the page's path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_lib(out)
    docs = [r["doc"] for r in query_rows(ds, "view-documents")]
    data = load_view_data(ds, read_texts(out.parent / "text", docs))
    return _write(out / "overview.html", _overview_page(data, top=top))
