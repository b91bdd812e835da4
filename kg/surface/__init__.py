"""What analysts use over a built graph: the query library (:mod:`~kg.surface.query`), exports
(:mod:`~kg.surface.export`, :mod:`~kg.surface.network`), push to a SPARQL store (:mod:`~kg.surface.push`),
the ontology docs (:mod:`~kg.surface.ontodoc`), the views (:mod:`kg.surface.views`) and the endpoint
(:mod:`kg.surface.serve`).
"""

__all__: list[str] = []
