"""unionkg: a knowledge graph of Chinese trade-union (工会) policy documents.

Stages, one subpackage each: text -> vocab -> ingest -> pipeline -> graph -> run -> surface (README, D16).

The Python API (:mod:`kg.surface.api`, loaded on first use so that ``import kg`` stays cheap)::

    import kg
    g = kg.open("out")                                     # a built graph; g.dataset is the rdflib Dataset
    df = g.query("shared-programmes", minJurisdictions=3)  # -> pandas.DataFrame (pip install 'unionkg[pandas]')
    G = g.to_networkx()                                    # jurisdictions, programmes, target groups
    rec = kg.extract("some.txt")                           # the record `kg extract` prints
"""

__version__ = "0.1.0"

__all__ = ["KnowledgeGraph", "__version__", "extract", "open"]

_API = {"open": "open_graph", "extract": "extract", "KnowledgeGraph": "KnowledgeGraph"}


def __getattr__(name: str):
    """The API's names, imported from kg.surface.api when first asked for (PEP 562)."""
    if name in _API:
        from kg.surface import api

        return getattr(api, _API[name])
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
