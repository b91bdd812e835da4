"""Export: serialise a built dataset in standard RDF formats, deterministically."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from kg.build import bind_prefixes

__all__ = ["FORMATS", "serialize", "union_graph", "write_export"]

#: format name -> (rdflib serializer, file suffix, keeps named graphs)
FORMATS = {
    "turtle": ("turtle", "ttl", False),
    "trig": ("trig", "trig", True),
    "nquads": ("nquads", "nq", True),
    "ntriples": ("nt", "nt", False),
    "jsonld": ("json-ld", "jsonld", True),
}


def union_graph(ds: Dataset) -> Graph:
    """All triples of all named graphs in one graph (for formats without graph names)."""
    g = Graph()
    for ctx in ds.contexts():
        for triple in ctx:
            g.add(triple)
    bind_prefixes(g, _base_of(ds))
    return g


def _base_of(ds: Dataset) -> str:
    for prefix, ns in ds.namespaces():
        if prefix == "id":
            return str(ns)
    from kg.namespaces import DEFAULT_BASE_IRI

    return DEFAULT_BASE_IRI


def serialize(ds: Dataset, fmt: str) -> str:
    """The dataset as text in `fmt` (see :data:`FORMATS`); line-based formats are sorted."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    name, _, named = FORMATS[fmt]
    if fmt == "trig":
        return _trig(ds)
    target = ds if named else union_graph(ds)
    text = target.serialize(format=name)
    if fmt in ("nquads", "ntriples"):
        lines = sorted({ln for ln in text.splitlines() if ln.strip()})
        text = "\n".join(lines) + "\n"
    return text


def _trig(ds: Dataset) -> str:
    """TriG with named graphs in IRI order, each body from the (deterministic) Turtle serialiser."""
    base = _base_of(ds)
    prefix_lines: set[str] = set()
    blocks = []
    for graph in sorted((g for g in ds.contexts() if len(g)), key=lambda g: str(g.identifier)):
        g = Graph()
        for triple in graph:
            g.add(triple)
        bind_prefixes(g, base)
        body = []
        for line in g.serialize(format="turtle").splitlines():
            if line.startswith("@prefix"):
                prefix_lines.add(line)
            elif line.strip() or body:
                body.append(("    " + line) if line.strip() else "")
        while body and not body[-1]:
            body.pop()
        blocks.append(f"<{graph.identifier}> {{\n" + "\n".join(body) + "\n}\n")
    return "\n".join(sorted(prefix_lines)) + "\n\n" + "\n".join(blocks)


def write_export(ds: Dataset, fmt: str, path: str | Path) -> Path:
    """Write one export file as UTF-8."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(serialize(ds, fmt), encoding="utf-8")
    return path
