"""Store: where a built graph lives — Oxigraph on disk (`out/store/`, the default) or rdflib's memory store.

Both are used through rdflib's `Dataset` API with the union of the named graphs as default graph, so
queries, views and exports run unchanged on either. The Oxigraph store is a plain Oxigraph on-disk
store (RocksDB) that ``oxigraph serve-read-only --location out/store`` can serve as it is. Oxigraph keeps
literals in canonical form: ``"5"^^xsd:nonNegativeInteger`` is stored as ``"5"^^xsd:integer`` and
``100.0`` as ``100``; the values are the same, the files (graph.trig, and graph.ttl when asked for) keep the datatypes as built.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from rdflib import Dataset

from kg.errors import ConfigError
from kg.namespaces import DEFAULT_BASE_IRI

__all__ = [
    "STORES",
    "STORE_DIR",
    "GraphLoader",
    "close_store",
    "copy_store",
    "is_oxigraph",
    "load_turtle",
    "open_store",
    "quad_count",
    "remove_graphs",
    "store_files",
]

#: store names accepted by `kg build --store`
STORES = ("oxigraph", "memory")
#: the Oxigraph store's folder inside a build's output folder
STORE_DIR = "store"


def open_store(
    kind: str = "oxigraph", path: str | Path | None = None, *, read_only: bool = False, base: str = DEFAULT_BASE_IRI
) -> Dataset:
    """An empty or existing union-default Dataset on `kind` (``oxigraph``: on disk at `path`, in memory
    without one; ``memory``: rdflib's store), with the project's prefixes bound."""
    from kg.namespaces import bind_prefixes

    if kind not in STORES:
        raise ConfigError.unknown_store(kind, STORES)
    if kind == "memory":
        ds = Dataset(default_union=True)
    else:
        import pyoxigraph as ox
        from oxrdflib import OxigraphStore

        if path is None:
            inner = ox.Store()
        elif read_only:
            inner = ox.Store.read_only(str(path))
        else:
            inner = ox.Store(str(path))
        ds = Dataset(store=OxigraphStore(store=inner), default_union=True)
    bind_prefixes(ds, base)
    return ds


def is_oxigraph(ds: Dataset) -> bool:
    """Whether `ds` is backed by Oxigraph (whose own engine should get SPARQL as text)."""
    return type(ds.store).__name__ == "OxigraphStore"


class GraphLoader:
    """Adds named graphs, given as Turtle, to a store. On Oxigraph they are gathered into TriG batches of
    about `batch_bytes` and bulk-loaded (no transaction log: several times faster than one transaction
    per graph, and no gigabytes of write-ahead log left in out/store/); call :meth:`flush` at the end."""

    def __init__(self, ds: Dataset, *, batch_bytes: int = 32_000_000) -> None:
        self.ds = ds
        self.batch_bytes = batch_bytes
        self._prefixes: set[str] = set()
        self._blocks: list[str] = []
        self._size = 0

    def add(self, text: str, graph: str) -> None:
        if not is_oxigraph(self.ds):
            load_turtle(self.ds, text, graph)
            return
        lines = text.split("\n")
        i = 0
        while i < len(lines) and (lines[i].startswith("@prefix") or not lines[i].strip()):
            if lines[i].strip():
                self._prefixes.add(lines[i])
            i += 1
        block = f"<{graph}> {{\n" + "\n".join(lines[i:]) + "\n}\n"
        self._blocks.append(block)
        self._size += len(block)
        if self._size >= self.batch_bytes:
            self.flush()

    def flush(self) -> None:
        """Load what is gathered."""
        if not self._blocks:
            return
        import pyoxigraph as ox

        data = "\n".join(sorted(self._prefixes)) + "\n" + "".join(self._blocks)
        self._blocks, self._size = [], 0
        _oxigraph(self.ds).bulk_load(input=data.encode("utf-8"), format=ox.RdfFormat.TRIG)


def load_turtle(ds: Dataset, text: str, graph: str) -> None:
    """Add a Turtle document (one named graph as :func:`kg.graph.serialize.graph_turtle` writes it) to graph `graph`."""
    if is_oxigraph(ds):
        import pyoxigraph as ox

        _oxigraph(ds).load(input=text.encode("utf-8"), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    else:
        from rdflib import URIRef

        ds.graph(URIRef(graph)).parse(data=text, format="turtle")


def copy_store(src: str | Path, dst: str | Path) -> None:
    """Copy the on-disk Oxigraph store at `src` (opened read-only: left as it is) to the new folder `dst`: a
    RocksDB checkpoint, hard links to its immutable files on the same file system (milliseconds)."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(src))
    try:
        store.backup(str(dst))
    finally:
        del store
        gc.collect()


def store_files(folder: str | Path) -> dict[str, int]:
    """The files of an on-disk store with their sizes, without RocksDB's info logs and lock file (which a
    read-only reader may touch): what a build leaves, to tell later whether the store is still as it was."""
    folder = Path(folder)
    return {
        p.name: p.stat().st_size
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != "LOCK" and not p.name.startswith("LOG")
    }


def remove_graphs(ds: Dataset, graphs: list[str]) -> None:
    """Remove the named graphs `graphs` (IRIs) and their quads from an Oxigraph-backed `ds`."""
    if not graphs:
        return
    import pyoxigraph as ox

    inner = _oxigraph(ds)
    for graph in graphs:
        inner.remove_graph(ox.NamedNode(graph))


def quad_count(ds: Dataset) -> int:
    """Number of quads in the named graphs (cheap on Oxigraph, unlike ``len(ds)``)."""
    if is_oxigraph(ds):
        return len(_oxigraph(ds))
    return sum(len(g) for g in ds.graphs())


def _oxigraph(ds: Dataset) -> Any:
    """The pyoxigraph Store under an Oxigraph-backed Dataset (oxrdflib keeps it as ``_inner``)."""
    store: Any = ds.store
    return store._inner


def close_store(ds: Dataset) -> None:
    """Flush and release an on-disk store, so that its folder can be moved (no-op for memory)."""
    if is_oxigraph(ds):
        store: Any = ds.store  # oxrdflib's store, holding the pyoxigraph one
        inner = getattr(store, "_store", None)
        if inner is not None:
            try:
                inner.flush()
            except (OSError, RuntimeError):  # a read-only store has nothing to flush (pyoxigraph: RuntimeError)
                pass
            store._store = None
        del inner
        gc.collect()
