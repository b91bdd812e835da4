"""Turtle serialisation of named graphs: sorted, without blank nodes, the same bytes for the same triples."""

from __future__ import annotations

from functools import lru_cache

from rdflib import RDF, XSD, Graph, URIRef

from kg.namespaces import DEFAULT_BASE_IRI, bind_prefixes

__all__ = ["graph_turtle", "oxigraph_prefixes", "sorted_turtle"]


def graph_turtle(graph: Graph, *, base: str = DEFAULT_BASE_IRI) -> str:
    """One named graph as Turtle (sorted, no blank nodes): the body of its block in graph.trig."""
    g = Graph()
    for triple in graph:
        g.add(triple)
    bind_prefixes(g, base)
    return g.serialize(format="turtle")


def sorted_turtle(graph: Graph, *, base: str = DEFAULT_BASE_IRI) -> str:
    """A graph without blank nodes as Turtle, fast: its triples sorted (subject, rdf:type first, predicate,
    object) and written by Oxigraph's serialiser, about five times faster than rdflib's. Falls back to
    :func:`graph_turtle` for a graph with blank nodes (their labels would not be stable)."""
    import pyoxigraph as ox
    from rdflib import BNode

    def term(t):
        if isinstance(t, URIRef):
            return ox.NamedNode(str(t))
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD.string)))

    triples = list(graph)
    if any(isinstance(x, BNode) for t in triples for x in t):
        return graph_turtle(graph, base=base)
    triples.sort(key=lambda t: (str(t[0]), t[1] != RDF.type, str(t[1]), t[2].n3()))
    prefixes = oxigraph_prefixes(base)
    written = ox.serialize(
        [ox.Triple(term(s), term(p), term(o)) for s, p, o in triples], format=ox.RdfFormat.TURTLE, prefixes=prefixes
    )
    data = (written or b"").decode("utf-8")
    body = [line for line in data.split("\n") if not line.startswith("@prefix")]  # Oxigraph's order may vary
    head = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(prefixes.items())]
    return "\n".join(head) + "\n\n" + "\n".join(body)


@lru_cache(maxsize=8)
def oxigraph_prefixes(base: str) -> dict[str, str]:
    """The project's prefixes for Oxigraph's writer, but ``id:`` (data IRIs contain '/', which a local
    name would have to escape: ``id:doc\\/x``; written whole they read better)."""
    g = Graph(bind_namespaces="none")
    bind_prefixes(g, base)
    return {p: str(ns) for p, ns in sorted(g.namespaces()) if p != "id"}
