"""The Python API, for notebooks: a built graph as pandas tables and a networkx graph, and one document's record.

    import kg
    g = kg.open("out")                                     # what `kg build` wrote
    df = g.query("shared-programmes", minJurisdictions=3)  # a library query, bound parameters -> DataFrame
    df = g.query("SELECT ?doc ?title WHERE { ?doc a ukg:PolicyDocument ; dcterms:title ?title }")
    G = g.to_networkx()                                    # jurisdictions, programmes, target groups
    brief = g.report("sichuan")                            # the `kg report` brief (tables as lists of dicts)
    rec = kg.extract("some.txt")                           # the record `kg extract` prints, as a dict

``kg/__init__.py`` re-exports these names lazily (a module ``__getattr__``), so ``import kg`` stays cheap.
pandas is an optional extra (``pip install 'unionkg[pandas]'``), imported only by :meth:`KnowledgeGraph.query`.
Errors are the CLI's one-line errors (:mod:`kg.errors`), raised as exceptions.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import XSD, Dataset, Literal
from rdflib.query import Result

from kg.errors import ReportError
from kg.run import open_output
from kg.surface.network import entity_graph
from kg.surface.query import available_queries, load_query, parse_params, query_from_text, run_query, select_rows
from kg.surface.report import Brief, jurisdiction_brief

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ENTITY_KINDS", "KnowledgeGraph", "extract", "open_graph", "to_dataframe"]

#: the node types of :meth:`KnowledgeGraph.to_networkx` by default (``kinds=None``: every type of the export)
ENTITY_KINDS = ("jurisdiction", "programme", "target_group")
_INTEGERS = {XSD[t] for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger",
                              "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong")}  # fmt: skip
_FLOATS = {XSD.decimal, XSD.double, XSD.float}
_DATES = {XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth}


def _pandas():
    try:
        import pandas as pd
    except ImportError:
        raise ReportError.missing_extra("pandas", "pandas") from None
    return pd


def _column(pd, terms: list) -> Any:
    """One result column as a typed pandas Series: integers (Int64 with gaps), floats, booleans, dates
    (datetime64; a year is its 1 January), else strings (IRIs as their text); None for an unbound cell."""
    bound = [t for t in terms if t is not None]
    types = {t.datatype if isinstance(t, Literal) else type(t) for t in bound}
    if bound and types <= _INTEGERS:
        return pd.array([None if t is None else int(t) for t in terms], dtype="Int64")
    if bound and types <= _INTEGERS | _FLOATS:
        return pd.array([None if t is None else float(Decimal(str(t))) for t in terms], dtype="Float64")
    if bound and types == {XSD.boolean}:
        return pd.array([None if t is None else str(t).lower() in ("true", "1") for t in terms], dtype="boolean")
    if bound and types <= _DATES:
        return pd.to_datetime([None if t is None else _date_text(t) for t in terms], errors="coerce")
    return pd.array([None if t is None else str(t) for t in terms], dtype="object")


def _date_text(term: Literal) -> str:
    text = str(term)
    if term.datatype == XSD.gYear:
        return f"{text[:4]}-01-01"
    if term.datatype == XSD.gYearMonth:
        return f"{text[:7]}-01"
    return text


def to_dataframe(result: Result, name: str = "<inline>") -> pd.DataFrame:
    """A SELECT result as a pandas DataFrame: one column per variable, in order, typed (see :func:`_column`)."""
    pd = _pandas()
    if result.type != "SELECT":
        raise ReportError.not_a_table(name)
    names, rows = select_rows(result)
    cells = [list(row) for row in rows]
    return pd.DataFrame({n: _column(pd, [row[i] for row in cells]) for i, n in enumerate(names)}, columns=names)


def _looks_like_sparql(text: str) -> bool:
    return bool(re.search(r"\s", text.strip())) or "{" in text


class KnowledgeGraph:
    """A built graph (``kg.open("out")``): ``dataset`` is the rdflib Dataset over the store (or graph.trig)."""

    def __init__(self, dataset: Dataset, out_dir: Path | None = None):
        self.dataset = dataset
        self.out_dir = out_dir

    def __repr__(self) -> str:
        return f"<kg.KnowledgeGraph {self.out_dir or 'in memory'}: {type(self.dataset.store).__name__}>"

    def queries(self) -> list[str]:
        """The names of the library's queries (``kg query --list``)."""
        return available_queries()

    def result(self, name_or_sparql: str, **params: Any) -> Result:
        """The raw rdflib result of a library query (by name or .rq path) or of inline SPARQL, with `params`
        bound (IRIs may be prefix:name, e.g. ``jurisdiction="place:sichuan"``)."""
        q = query_from_text(name_or_sparql) if _looks_like_sparql(name_or_sparql) else load_query(name_or_sparql)
        pairs = [f"{k}={v}" for k, v in params.items() if v is not None]
        return run_query(self.dataset, q, bindings=parse_params(pairs, q))

    def query(self, name_or_sparql: str, **params: Any) -> pd.DataFrame:
        """A library query by name (``"shared-programmes"``) or inline SPARQL (the project's prefixes known),
        `params` bound, as a pandas DataFrame with typed columns (numbers, dates; IRIs as str)."""
        _pandas()  # before running anything: a missing extra is the first thing to say
        name = name_or_sparql if not _looks_like_sparql(name_or_sparql) else "<inline>"
        return to_dataframe(self.result(name_or_sparql, **params), name)

    def to_networkx(self, kinds: tuple[str, ...] | None = ENTITY_KINDS) -> nx.MultiDiGraph:
        """The entity graph (:func:`kg.surface.network.entity_graph`, what ``kg export --format gexf`` writes)
        reduced to the node types `kinds` — by default jurisdictions, programmes and target groups, linked by
        ``jurisdiction_mentions``, ``co_occurs`` and ``broad_match`` edges (weights: mentions, measures); None
        keeps them all."""
        g = entity_graph(self.dataset)
        if kinds is None:
            return g
        keep = [n for n, d in g.nodes(data=True) if d.get("type") in kinds]
        return nx.MultiDiGraph(g.subgraph(keep), name=g.graph.get("name", ""))

    def report(self, jurisdiction: str, level: str | None = None) -> Brief:
        """The brief of ``kg report`` on a place (slug, label or IRI) at a level (province, city, county)."""
        return jurisdiction_brief(self.dataset, jurisdiction, level=level)


def open_graph(out: str | Path = "out", *, use_store: bool = True) -> KnowledgeGraph:
    """The graph that ``kg build`` wrote into `out`: its Oxigraph store when there is one (and `use_store`),
    else graph.trig in rdflib's memory store. No build there: a ConfigError (E301)."""
    folder = Path(out)
    return KnowledgeGraph(open_output(folder, use_store=use_store), folder)


def extract(path: str | Path) -> dict:
    """One document's record as ``kg extract`` prints it (the JSON contract, as a dict); an unreadable
    file raises its IngestError."""
    from kg.pipeline.components import process_file

    return process_file(Path(path)).to_json()
