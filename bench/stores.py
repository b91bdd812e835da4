"""The two stores the benchmark compares, built from the same records by the same code.

* ``memory``: rdflib's in-memory store (``rdflib.Dataset()``), what `kg build` uses today.
* ``oxigraph``: Oxigraph through oxrdflib (``rdflib.Dataset(store="Oxigraph")``): an in-memory Oxigraph
  store behind the rdflib API; SPARQL runs in Oxigraph's own (Rust) engine.

Both are filled by :func:`kg.graph.build.build_dataset` itself, so a change to the build shows up in both.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator

from rdflib import Dataset

STORES = {"memory": "default", "oxigraph": "Oxigraph"}

__all__ = ["STORES", "build_into", "new_dataset", "run_named_query"]


def new_dataset(store: str) -> Dataset:
    """An empty union-default dataset backed by `store` (``memory`` or ``oxigraph``)."""
    if store not in STORES:
        raise ValueError(f"unknown store {store!r}; choose from {', '.join(STORES)}")
    return Dataset(store=STORES[store], default_union=True)


@contextlib.contextmanager
def _dataset_factory(store: str) -> Iterator[None]:
    """Make kg.graph.build create its Dataset on `store` (for as long as build_dataset has no store argument)."""
    import kg.graph.build

    original = kg.graph.build.Dataset
    kg.graph.build.Dataset = lambda *args, **kwargs: new_dataset(store)  # type: ignore[assignment]
    try:
        yield
    finally:
        kg.graph.build.Dataset = original


def build_into(records: list, store: str, **kwargs) -> Dataset:
    """:func:`kg.graph.build.build_dataset` of `records`, on `store`."""
    from kg.graph.build import build_dataset

    if "store" in inspect.signature(build_dataset).parameters:
        return build_dataset(records, store=STORES[store], **kwargs)
    if store == "memory":
        return build_dataset(records, **kwargs)
    with _dataset_factory(store):
        return build_dataset(records, **kwargs)


def run_named_query(ds: Dataset, store: str, query, bindings: dict) -> list:
    """All rows of a :class:`kg.surface.query.NamedQuery` (evaluated completely).

    memory: :func:`kg.surface.query.run_query` (rdflib's engine). oxigraph: the query *text* goes to the store,
    because oxrdflib runs only unparsed queries in Oxigraph's engine; a query object prepared by rdflib
    would be evaluated by rdflib's engine over Oxigraph's triple index instead (much slower).
    """
    if store == "oxigraph":
        return list(ds.query(query.text, initBindings=bindings))
    from kg.surface.query import run_query

    return list(run_query(ds, query, bindings=bindings))
