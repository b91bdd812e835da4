"""A view graph as vis-network data through pyvis: node shapes, colours and sizes, plain-text tooltips,
the legend, the vis options, and the per-node details of the side panel. Nothing here is HTML."""

from __future__ import annotations

import networkx as nx

from kg.surface.views.data import UNCATEGORISED_COLOUR, link_ok, short, uncategorised
from kg.surface.views.layout import LAYOUT_THRESHOLD
from kg.surface.views.text import kind_name, say

__all__ = ["FONT", "STYLE", "legend_items", "to_pyvis"]

#: node colours and shapes by kind (programmes are coloured by category)
STYLE = {
    "jurisdiction": {"color": "#2f2f2f", "shape": "box", "font": "#ffffff"},
    "document": {"color": "#5b6770", "shape": "box", "font": "#ffffff"},
    "measure": {"color": "#eeeeee", "shape": "box", "font": "#222222", "border": "#9a9a9a"},
    "section": {"color": "#dce6f0", "shape": "box", "font": "#222222", "border": "#8aa4bf"},
    "target_group": {"color": "#6b6ecf", "shape": "triangle"},
    "target": {"color": "#d4a017", "shape": "diamond"},
    "statistic": {"color": "#8c8c8c", "shape": "diamond"},
}
#: the font stack of the labels (the pages' CSS uses the same)
FONT = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", sans-serif'


def _colour(d: dict, colours: dict[str, str]) -> str:
    if d["kind"] == "programme":
        return colours.get(d.get("category", uncategorised()), UNCATEGORISED_COLOUR)
    return STYLE[d["kind"]]["color"]


def _vis_node(node, d: dict, colours: dict[str, str], *, root=None) -> dict:
    kind = d["kind"]
    style = STYLE.get(kind, {})
    opts: dict = {"label": short(d["label"], 24), "title": _tooltip(d)}
    if kind == "programme":
        shared = d.get("jurisdictions", 0)
        size = 10 + 6 * shared if shared else 12 + 2 * min(d.get("count", 1), 8)
        opts.update(
            color={"background": _colour(d, colours), "border": "#333333" if shared > 1 else "#666666"},
            shape="dot",
            size=size,
            borderWidth=3 if shared > 1 else 1,
        )
        if not d.get("curated", True):
            opts["shapeProperties"] = {"borderDashes": [4, 3]}
            opts["borderWidth"] = 2
    elif kind in ("jurisdiction", "document", "measure", "section"):
        opts.update(
            color={"background": style["color"], "border": style.get("border", style["color"])},
            shape="box",
            font={"color": style["font"], "size": 18 if kind == "jurisdiction" else 13},
            margin=8 if kind == "jurisdiction" else 5,
        )
    else:
        opts.update(color=style["color"], shape=style["shape"], size=9 if kind != "target_group" else 11)
    colour = (
        opts["color"] if isinstance(opts["color"], dict) else {"background": opts["color"], "border": opts["color"]}
    )
    focus = {"background": colour["background"], "border": "#111111"}
    opts["color"] = {**colour, "highlight": focus, "hover": focus}
    if d.get("font_size"):
        opts["font"] = {**opts.get("font", {}), "size": d["font_size"]}
    if node == root:
        opts["size"] = max(opts.get("size", 0), 30)
        opts["font"] = {**opts.get("font", {}), "size": 20}
        opts["borderWidth"] = 4
    return opts


def _tooltip(d: dict) -> str:
    lines = [d["label"], kind_name(d["kind"]), *d.get("detail_lines", [])[:3]]
    if d.get("quote_lines"):
        lines.append(short(d["quote_lines"][0].split("\n", 1)[-1], 140))
    return "\n".join(line for line in lines if line)


def legend_items(g: nx.Graph, colours: dict[str, str]) -> list[dict]:
    """The legend of a view: its node kinds, then its programme categories (label, colour, shape)."""
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    out = []
    for kind in ("jurisdiction", "document", "measure", "section", "target_group", "target", "statistic"):
        if kind in kinds:
            out.append({"label": kind_name(kind), "color": STYLE[kind]["color"], "shape": STYLE[kind]["shape"]})
    cats = sorted({d["category"] for _, d in g.nodes(data=True) if d["kind"] == "programme"})
    out += [{"label": c, "color": colours.get(c, UNCATEGORISED_COLOUR), "shape": "dot"} for c in cats]
    if any(d["kind"] == "programme" and not d.get("curated", True) for _, d in g.nodes(data=True)):
        out.append({"label": say("uncurated"), "color": "#ffffff", "shape": "dashed"})
    return out


def _options(physics: bool) -> dict:
    return {
        "autoResize": True,
        "edges": {
            "color": {"color": "#b8b8b8", "highlight": "#444444", "hover": "#666666"},
            "smooth": False,
            "scaling": {"min": 1, "max": 8},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "nodes": {"font": {"face": FONT, "size": 14}, "borderWidth": 1},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -4000,
                "centralGravity": 0.15,
                "springLength": 95,
                "springConstant": 0.04,
                "damping": 0.3,
                "avoidOverlap": 0,  # > 0 can overflow vis-network's stack when a node is pinned
            },
            "stabilization": {"enabled": physics, "iterations": 300, "fit": True},
        },
    }


def to_pyvis(g: nx.Graph, pos: dict | None = None, *, colours: dict[str, str], root=None, physics: bool | None = None):
    """A pyvis Network for a view graph, its legend, and per-node details (plain text) for the side panel.

    Positions come from networkx. Physics (a short in-browser relaxation, then off) is used only when
    `physics` allows it and the graph has at most LAYOUT_THRESHOLD nodes; bigger graphs are drawn
    exactly where networkx put them. The root, if any, is pinned."""
    from pyvis.edge import Edge
    from pyvis.network import Network

    physics = (physics if physics is not None else True) and g.number_of_nodes() <= LAYOUT_THRESHOLD
    # directed=True only to skip pyvis's quadratic duplicate-edge scan; arrows are set per edge
    net = Network(height="100%", width="100%", directed=True, cdn_resources="local")
    info = {}
    for node in sorted(g.nodes, key=str):
        d = g.nodes[node]
        opts = _vis_node(node, d, colours, root=root)
        if pos is not None and node in pos:
            x, y = pos[node]
            opts.update(x=round(float(x), 1), y=round(float(y), 1))
        if node == root:
            opts["fixed"] = True
        net.add_node(node, **opts)
        info[node] = {
            "kind": kind_name(d["kind"]),
            "heading": d["label"] if d["kind"] != "document" else d.get("detail_lines", [d["label"]])[0],
            "lines": [line for line in d.get("detail_lines", []) if line != d["label"]],
            "quotes": d.get("quote_lines", []),
            "link": d.get("link") if link_ok(d.get("link")) else None,
        }
    for a, b in sorted((tuple(sorted(e, key=str)) for e in g.edges), key=lambda e: (str(e[0]), str(e[1]))):
        e = g.edges[a, b]
        opts = {"arrows": {"to": {"enabled": False}}}
        if e.get("weight"):
            opts["value"] = e["weight"]
        if e.get("kind") == "counts":
            opts.update(dashes=True, color={"color": "#d4a017"}, title=say("counts_edge"))
        elif e.get("kind") == "beside":
            opts.update(dashes=[2, 4], color={"color": "#d0d0d0"})
        # what Network.add_edge stores, without its check that both ends exist (a scan of the node list
        # per edge: quadratic, minutes on a jurisdiction page of a 10,000-document corpus); they do exist
        net.edges.append(Edge(a, b, True, **opts).options)
    net.options = _options(physics)
    return net, legend_items(g, colours), info
