"""Views: compute graphs with networkx, turn them into pyvis networks, write offline HTML pages.

pyvis builds the node/edge/option data; the page template here inlines vis-network from the pyvis
package (no CDN, no Bootstrap) and puts every label and tooltip into the DOM as *text*, never as
HTML, so nothing from a document can run in the browser.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import networkx as nx
from rdflib import Dataset

from kg.query import load_query, result_rows, run_query

__all__ = ["PALETTE", "overview_graph", "render_page", "to_pyvis", "write_overview"]

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#86bcb6",
    "#d37295",
)
_JURISDICTION_COLOUR = "#2f2f2f"
_LAYOUT_THRESHOLD = 300


def overview_graph(ds: Dataset) -> nx.Graph:
    """Jurisdictions linked to the programmes their documents mention (weights = mentions)."""
    rows = result_rows(run_query(ds, load_query("jurisdiction-programmes")))
    g = nx.Graph()
    for row in rows:
        j, p = row["jurisdiction"], row["programme"]
        g.add_node(j, kind="jurisdiction", label=row["jurisdictionLabel"])
        g.add_node(p, kind="programme", label=row["label"], category=row.get("categoryLabel") or "未分类")
        g.add_edge(j, p, weight=int(row["mentions"]))
    for node, data in g.nodes(data=True):
        if data["kind"] == "programme":
            data["jurisdictions"] = g.degree(node)
    return g


def to_pyvis(g: nx.Graph, *, title: str = ""):
    """A pyvis Network for an overview-shaped graph: shared programmes larger and emphasised."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=False, cdn_resources="local")
    categories = sorted({d.get("category", "") for _, d in g.nodes(data=True) if d["kind"] == "programme"})
    colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}
    positions = None
    if g.number_of_nodes() > _LAYOUT_THRESHOLD:
        positions = nx.spring_layout(g, seed=7, iterations=50)
    for node in sorted(g.nodes):
        d = g.nodes[node]
        opts = {"label": d["label"], "title": _tooltip(d)}
        if d["kind"] == "jurisdiction":
            opts.update(color=_JURISDICTION_COLOUR, shape="box", font={"color": "#ffffff"}, group="jurisdiction")
        else:
            shared = d.get("jurisdictions", 1)
            opts.update(
                color=colours[d["category"]],
                size=10 + 8 * shared,
                group=d["category"],
                borderWidth=3 if shared > 1 else 1,
                shape="dot",
            )
        if positions is not None:
            x, y = positions[node]
            opts.update(x=float(x) * 1000, y=float(y) * 1000, physics=False)
        net.add_node(node, **opts)
    for a, b in sorted(g.edges, key=lambda e: tuple(sorted(e))):
        net.add_edge(a, b, value=g.edges[a, b].get("weight", 1))
    net.toggle_physics(positions is None)
    legend = [{"label": "管辖区域 jurisdiction", "color": _JURISDICTION_COLOUR}] + [
        {"label": c, "color": colours[c]} for c in categories
    ]
    return net, legend


def _tooltip(d: dict) -> str:
    if d["kind"] == "jurisdiction":
        return f"{d['label']}\n(jurisdiction)"
    return f"{d['label']}\n类别: {d.get('category', '')}\n{d.get('jurisdictions', 1)} jurisdiction(s)"


def _vis_asset(name: str) -> str:
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2" / name
    return lib.read_text(encoding="utf-8")


def _json_for_script(data) -> str:
    """JSON safe to embed in a <script> element (no '</', '<!--' or U+2028 breakouts)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_TEMPLATE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>__TITLE__</title>
<style>__VISCSS__
html, body { margin: 0; height: 100%; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
#bar { padding: 6px 10px; border-bottom: 1px solid #ddd; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
#bar h1 { font-size: 16px; margin: 0 12px 0 0; }
#legend span { display: inline-block; margin-right: 10px; font-size: 12px; }
#legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 50%; }
#network { position: absolute; top: 64px; bottom: 0; left: 0; right: 0; }
#details { position: absolute; right: 8px; top: 72px; width: 320px; max-height: 70%; overflow: auto; background: #fff;
  border: 1px solid #ccc; padding: 8px; font-size: 12px; white-space: pre-wrap; display: none; }
</style>
</head>
<body>
<div id="bar"><h1 id="title"></h1>
<input id="search" type="search" placeholder="搜索 / filter nodes…" aria-label="filter nodes">
<div id="legend"></div></div>
<div id="network"></div>
<div id="details"></div>
<script>__VISJS__</script>
<script>
(function () {
  var DATA = __DATA__;
  document.getElementById("title").textContent = DATA.title;
  var legend = document.getElementById("legend");
  DATA.legend.forEach(function (item) {
    var span = document.createElement("span"), dot = document.createElement("i");
    dot.style.background = item.color; span.appendChild(dot);
    span.appendChild(document.createTextNode(item.label)); legend.appendChild(span);
  });
  function textElement(text) {
    var el = document.createElement("div"); el.style.whiteSpace = "pre-wrap"; el.textContent = text; return el;
  }
  var plain = {};
  DATA.nodes.forEach(function (n) { plain[n.id] = n.title || ""; n.title = textElement(n.title || ""); });
  var nodes = new vis.DataSet(DATA.nodes), edges = new vis.DataSet(DATA.edges);
  var network = new vis.Network(document.getElementById("network"), {nodes: nodes, edges: edges}, DATA.options);
  window.unionkgNetwork = network;
  var details = document.getElementById("details");
  network.on("click", function (params) {
    if (!params.nodes.length) { details.style.display = "none"; return; }
    details.textContent = plain[params.nodes[0]] || ""; details.style.display = "block";
  });
  document.getElementById("search").addEventListener("input", function (e) {
    var q = e.target.value.trim().toLowerCase();
    nodes.update(DATA.nodes.map(function (n) {
      var hit = !q || String(n.label).toLowerCase().indexOf(q) >= 0;
      return {id: n.id, hidden: !hit && q.length > 0 && !DATA.keep[n.id]};
    }));
  });
})();
</script>
</body>
</html>
"""


def render_page(net, legend: list[dict], *, title: str) -> str:
    """A self-contained HTML page for a pyvis network (vis-network inlined, text-only labels)."""
    nodes, edges, _, _, _, options = net.get_network_data()
    options = json.loads(options) if isinstance(options, str) else options
    data = {
        "title": title,
        "legend": legend,
        "nodes": [{k: v for k, v in n.items() if k != "shape" or v} for n in nodes],
        "edges": edges,
        "options": options,
        "keep": {},
    }
    page = _TEMPLATE.replace("__VISCSS__", _vis_asset("vis-network.css").replace("</", "<\\/"))
    page = page.replace("__TITLE__", _escape(title))
    page = page.replace("__DATA__", _json_for_script(data))
    return page.replace("__VISJS__", _vis_asset("vis-network.min.js").replace("</script", "<\\/script"))


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def write_overview(ds: Dataset, out_dir: str | Path) -> Path:
    """Write `overview.html` (jurisdictions and programmes) as UTF-8; returns its path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    g = overview_graph(ds)
    net, legend = to_pyvis(g)
    path = out / "overview.html"
    path.write_text(render_page(net, legend, title="工会工作品牌 · Programmes by jurisdiction"), encoding="utf-8")
    return path
