"""Entity graph: the corpus as one network for Gephi — documents, jurisdictions, federations and other
bodies, programmes, categories and target groups, with typed, weighted edges.

SPARQL gets the data (``queries/export-entity-nodes.rq`` and ``export-entity-edges.rq``, so it runs on any
store), networkx holds the graph and computes node totals, and GraphML/GEXF are written by networkx.
Nothing is drawn here: Gephi (or :mod:`kg.surface.views.pages`) lays the graph out.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import networkx as nx
from rdflib import Dataset

from kg.surface.query import load_query, result_rows, run_query

__all__ = ["EDGE_KINDS", "NETWORK_FORMATS", "NODE_TYPES", "entity_graph", "network_bytes", "write_network", "xml_safe"]

#: node types, in the order a node that qualifies twice takes the first
NODE_TYPES = ("document", "jurisdiction", "federation", "organisation", "programme", "category", "target_group")
#: edge kinds (the ``kind`` attribute; see queries/export-entity-edges.rq)
EDGE_KINDS = (
    "jurisdiction",
    "issuer",
    "mentions",
    "jurisdiction_mentions",
    "federation_of",
    "broader",
    "broad_match",
    "co_occurs",
)
#: format name -> file suffix
NETWORK_FORMATS = {"graphml": "graphml", "gexf": "gexf"}

# Characters XML 1.0 forbids (C0 controls but tab/newline/return, lone surrogates, U+FFFE/U+FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_GEXF_DATE = re.compile(rb' lastmodifieddate="[^"]*"')


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry (bidi marks and other legal characters stay)."""
    return _XML_ILLEGAL.sub("", text)


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


def _bound(row: dict[str, str | None], name: str) -> str:
    """A variable the export queries always bind (a GROUP BY key or a COUNT)."""
    value = row[name]
    assert value is not None, f"?{name} is unbound"
    return value


def entity_graph(ds: Dataset) -> nx.MultiDiGraph:
    """The entity graph of a built dataset: nodes keyed by IRI, sorted by type then IRI; edges sorted.

    Node attributes: ``label`` (zh; a document's title), ``label_en`` (where the vocabulary has one),
    ``type`` (:data:`NODE_TYPES`), ``iri``, ``category``/``category_iri`` and ``curated`` (programmes),
    ``mentions`` (programmes, target groups and bodies: mentions in all documents) and ``jurisdictions``
    (programmes and target groups: how many jurisdictions mention them). Edge attributes: ``kind``
    (:data:`EDGE_KINDS`), ``label`` (= kind, for Gephi), ``weight`` and ``measures``; edge keys are ``e0``,
    ``e1`` … in (kind, source, target) order.
    """
    nodes = result_rows(run_query(ds, load_query("export-entity-nodes")))
    edges = result_rows(run_query(ds, load_query("export-entity-edges")))
    g = nx.MultiDiGraph(name="unionkg entity graph")
    order = {t: i for i, t in enumerate(NODE_TYPES)}
    category_label = {r["node"]: r.get("label") or "" for r in nodes if r["type"] == "category"}
    for row in sorted(nodes, key=lambda r: (order.get(_bound(r, "type"), len(order)), _bound(r, "node"))):
        iri = _bound(row, "node")
        if iri in g:
            continue
        attrs: dict = {"label": xml_safe(row.get("label") or _local(iri)), "type": row["type"], "iri": xml_safe(iri)}
        if label_en := row.get("labelEn"):
            attrs["label_en"] = xml_safe(label_en)
        if row["type"] == "programme":
            attrs["category"] = xml_safe(category_label.get(row.get("category") or "", ""))
            attrs["category_iri"] = xml_safe(row.get("category") or "")
            attrs["curated"] = row.get("curated") != "false"
        g.add_node(iri, **attrs)
    kinds = {k: i for i, k in enumerate(EDGE_KINDS)}
    rows = sorted(edges, key=lambda r: (kinds.get(_bound(r, "kind"), len(kinds)), r["kind"], r["source"], r["target"]))
    for row in rows:
        source, target = row["source"], row["target"]
        if source not in g or target not in g:
            continue  # a store with less in it than a kg build: keep the graph closed
        g.add_edge(
            source,
            target,
            key=f"e{g.number_of_edges()}",
            kind=row["kind"],
            label=row["kind"],
            weight=int(_bound(row, "weight")),
            measures=int(_bound(row, "measures")),
        )
    _add_totals(g)
    return g


def _add_totals(g: nx.MultiDiGraph) -> None:
    """Node totals for sizing in Gephi: mentions from documents, and the number of jurisdictions."""
    for node, data in g.nodes(data=True):
        if data["type"] not in ("programme", "target_group", "federation", "organisation"):
            continue
        incoming = [d for _, _, d in g.in_edges(node, data=True)]
        data["mentions"] = sum(d["weight"] for d in incoming if d["kind"] == "mentions")
        if data["type"] in ("programme", "target_group"):
            data["jurisdictions"] = sum(1 for d in incoming if d["kind"] == "jurisdiction_mentions")


def network_bytes(g: nx.MultiDiGraph, fmt: str) -> bytes:
    """`g` as UTF-8 GraphML or GEXF 1.2; the same graph gives the same bytes (GEXF's date is left out)."""
    writers = {"graphml": nx.write_graphml, "gexf": nx.write_gexf}
    if fmt not in writers:
        raise ValueError(f"unknown network format {fmt!r}; choose from {', '.join(NETWORK_FORMATS)}")
    buffer = io.BytesIO()
    writers[fmt](g, buffer, encoding="utf-8", prettyprint=True)
    data = buffer.getvalue()
    if fmt == "gexf":
        data = _GEXF_DATE.sub(b"", data, count=1)
    return data if data.endswith(b"\n") else data + b"\n"


def write_network(ds: Dataset, fmt: str, path: str | Path) -> nx.MultiDiGraph:
    """Write the entity graph of `ds` as GraphML or GEXF (UTF-8) to `path`; returns the graph."""
    g = entity_graph(ds)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(network_bytes(g, fmt))
    return g
