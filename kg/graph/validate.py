"""SHACL validation of a built dataset against ontology/shapes.ttl (pyshacl)."""

from __future__ import annotations

from rdflib import Dataset, Graph

from kg.vocab.ontology import ONTOLOGY_DIR

__all__ = ["load_shapes", "validate_dataset", "validate_graph"]


def load_shapes() -> Graph:
    """The SHACL shapes (ontology/shapes.ttl)."""
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


def validate_graph(data: Graph) -> tuple[bool, str]:
    """(conforms, report text) for a data graph, with RDFS inference from the ontology."""
    from pyshacl import validate

    ont = Graph().parse(ONTOLOGY_DIR / "unionkg.ttl", format="turtle")
    conforms, _, text = validate(
        data, shacl_graph=load_shapes(), ont_graph=ont, inference="rdfs", advanced=True, allow_warnings=True
    )
    return bool(conforms), str(text)


def validate_dataset(ds: Dataset) -> tuple[bool, str]:
    """Validate the union of all named graphs."""
    union = Graph()
    for graph in ds.graphs():
        for triple in graph:
            union.add(triple)
    return validate_graph(union)
