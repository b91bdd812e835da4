"""Records -> RDF: :mod:`~kg.graph.build` (one named graph per document, the vocabulary and shared graphs),
:mod:`~kg.graph.serialize` (sorted Turtle), :mod:`~kg.graph.summary` (what the streaming build keeps of a
document), :mod:`~kg.graph.store` (Oxigraph on disk or memory) and :mod:`~kg.graph.validate` (SHACL).
"""

__all__: list[str] = []
