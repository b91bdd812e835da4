"""Views: SPARQL gets the data, networkx computes the graphs and layouts, pyvis builds the network data,
and Jinja2 templates write the pages into ``out/views/``.

Modules: :mod:`.data` (queries -> typed records), :mod:`.graphs` (the view graphs), :mod:`.layout`
(seeded layouts), :mod:`.vis` (vis-network data), :mod:`.heatmap` and :mod:`.index` (index.html),
:mod:`.render` (the Jinja2 environment, the network pages, the shared ``lib/``), :mod:`.pages` (writing
them all), :mod:`.text` (UI text from ``templates/text.json``). Every page is offline and text-only: one
copy of vis-network in ``out/views/lib/`` loaded by a relative path, a Content-Security-Policy that
forbids any fetch and inline script, data as a JSON block, every label put into the DOM as text. Same
graph, same bytes. See docs/views.md.
"""

from kg.surface.views.data import (
    PALETTE,
    Document,
    Entity,
    Jurisdiction,
    Measure,
    Mention,
    Quantity,
    Section,
    ViewData,
    evidence_sentence,
    load_view_data,
    read_texts,
    slugify,
)
from kg.surface.views.graphs import (
    OVERVIEW_TOP,
    comparison_data,
    jurisdiction_graph,
    overview_facets,
    overview_graph,
    programme_graph,
)
from kg.surface.views.heatmap import heatmap_svg
from kg.surface.views.index import render_index
from kg.surface.views.layout import (
    LAYOUT_THRESHOLD,
    SPRING_THRESHOLD,
    overview_layout,
    radial_positions,
    spring_positions,
    view_positions,
)
from kg.surface.views.pages import views_summary, write_build_views, write_overview, write_views
from kg.surface.views.render import render_page, write_lib
from kg.surface.views.vis import to_pyvis

__all__ = [
    "LAYOUT_THRESHOLD",
    "OVERVIEW_TOP",
    "PALETTE",
    "SPRING_THRESHOLD",
    "Document",
    "Entity",
    "Jurisdiction",
    "Measure",
    "Mention",
    "Quantity",
    "Section",
    "ViewData",
    "comparison_data",
    "evidence_sentence",
    "heatmap_svg",
    "jurisdiction_graph",
    "load_view_data",
    "overview_facets",
    "overview_graph",
    "overview_layout",
    "programme_graph",
    "radial_positions",
    "read_texts",
    "render_index",
    "render_page",
    "slugify",
    "spring_positions",
    "to_pyvis",
    "view_positions",
    "views_summary",
    "write_build_views",
    "write_lib",
    "write_overview",
    "write_views",
]
