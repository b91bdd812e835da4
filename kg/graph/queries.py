"""The query library: named SPARQL queries from `queries/`, bound parameters, run over a dataset.

Every ``.rq`` file opens with a header comment::

    # Question: which programmes are mentioned by documents of two or more jurisdictions?
    # Parameters: minJurisdictions (integer, optional) — the least number of jurisdictions; default 2.
    # param: minJurisdictions (integer)
    # Example: kg query shared-programmes --param minJurisdictions=3

``# param: name (iri|literal|integer)`` lines declare the parameters (append ``required`` for one the
query cannot do without). Parameters are always bound with ``initBindings`` — never pasted into the
query text — so a value can never change what the query means. Below :mod:`kg.run` (the build summary
runs ``shared-programmes``) and :mod:`kg.surface` (which formats the results).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import cast

from rdflib import Dataset, Literal, URIRef
from rdflib.query import Result, ResultRow

from kg.errors import QueryError, one_line

__all__ = [
    "PARAM_KINDS",
    "QUERY_DIR",
    "NamedQuery",
    "available_queries",
    "load_query",
    "parse_params",
    "prepare",
    "project_prefixes",
    "query_from_text",
    "result_rows",
    "run_query",
    "select_rows",
]

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries"
PARAM_KINDS = ("iri", "literal", "integer")
_PARAM_LINE = re.compile(r"^#\s*param:\s*(\w+)\s*(?:\((iri|literal|integer)\))?[ \t]*(required\b)?", re.M)
_VARIABLE = re.compile(r"[?$](\w+)")


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with its documented question and declared parameters (name -> kind)."""

    name: str
    text: str
    question: str
    params: dict[str, str]
    required: frozenset[str] = field(default_factory=frozenset)
    example: str = ""
    parameters: str = ""


def available_queries(directory: Path = QUERY_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.rq"))


def _header_value(header: list[str], key: str) -> str:
    prefix = key.lower() + ":"
    return next((h.split(":", 1)[1].strip() for h in header if h.lower().startswith(prefix)), "")


def query_from_text(text: str, name: str = "<inline>") -> NamedQuery:
    """A query from its text; the header comment (if any) gives question, parameters and example."""
    header = []
    for line in text.splitlines():
        if line.startswith("#"):
            header.append(line[1:].strip())
        elif line.strip():
            break
    params, required = {}, set()
    for m in _PARAM_LINE.finditer(text):
        params[m.group(1)] = m.group(2) or "literal"
        if m.group(3):
            required.add(m.group(1))
    return NamedQuery(
        name=name,
        text=text,
        question=_header_value(header, "question"),
        params=params,
        required=frozenset(required),
        example=_header_value(header, "example"),
        parameters=_header_value(header, "parameters"),
    )


def load_query(name_or_path: str, *, directory: Path = QUERY_DIR) -> NamedQuery:
    """A query by name (``shared-programmes``) or by path to a ``.rq`` file."""
    path = Path(name_or_path)
    if path.suffix == ".rq":
        if path.is_file():
            return query_from_text(path.read_text(encoding="utf-8"), str(path))
        if path.parent != Path(".") or not (directory / path.name).is_file():
            raise QueryError.no_such_file(name_or_path)
        name_or_path = path.stem  # "shared-programmes.rq" names a query in the library
    candidate = directory / f"{name_or_path}.rq"
    if re.fullmatch(r"[\w.-]+", name_or_path) and candidate.is_file():
        return query_from_text(candidate.read_text(encoding="utf-8"), name_or_path)
    raise QueryError.not_found(name_or_path, available_queries(directory))


@lru_cache(maxsize=1)
def project_prefixes() -> dict[str, str]:
    """The project's prefixes (ukg:, prog:, place: …), for CURIE parameters and inline queries."""
    from rdflib import Graph

    from kg.namespaces import bind_prefixes

    g = Graph(bind_namespaces="none")
    bind_prefixes(g)
    return {p: str(ns) for p, ns in g.namespaces()}


def _iri(key: str, value: str) -> URIRef:
    prefix, sep, local = value.partition(":")
    if sep and not local.startswith("//") and prefix in project_prefixes():
        value = project_prefixes()[prefix] + local
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", value):
        raise QueryError.not_an_iri(key, value)
    return URIRef(value)


def _guess(key: str, value: str) -> URIRef | Literal:
    """Type of a parameter no header declares (inline queries): IRI, integer or plain literal."""
    if re.match(r"^https?://", value) or value.partition(":")[0] in project_prefixes():
        return _iri(key, value)
    if re.fullmatch(r"[+-]?\d+", value):
        return Literal(int(value))
    return Literal(value)


def parse_params(pairs: list[str] | tuple[str, ...], query: NamedQuery) -> dict[str, URIRef | Literal]:
    """``key=value`` strings -> initBindings, typed as the query header declares.

    Names must be declared by the query (``# param:`` lines); a query without declarations (an inline
    ``-e`` query) accepts any of its own variables and guesses the type. Literals are plain strings
    (compare language-tagged labels with ``STR(?label)``).
    """
    out: dict[str, URIRef | Literal] = {}
    declared = query.params
    variables = set(_VARIABLE.findall(query.text)) if not declared else set()
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise QueryError.bad_param(pair)
        if key not in declared and key not in variables:
            known = ", ".join(sorted(declared)) or "none"
            raise QueryError.unknown_param(query.name, key, known)
        if key in out:
            raise QueryError.param_twice(key)
        kind = declared.get(key)
        if kind == "iri":
            out[key] = _iri(key, value)
        elif kind == "integer":
            try:
                out[key] = Literal(int(value))
            except ValueError:
                raise QueryError.not_an_integer(key, value) from None
        elif kind == "literal":
            out[key] = Literal(value)
        else:
            out[key] = _guess(key, value)
    missing = sorted(query.required - out.keys())
    if missing:
        raise QueryError.missing_params(query.name, missing, query.example or "")
    return out


@lru_cache(maxsize=64)
def _prepare(text: str, name: str):
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text, initNs=project_prefixes())
    except ParseException as exc:
        raise QueryError.syntax(name, exc.lineno, exc.col, one_line(exc.msg)) from None
    except Exception as exc:  # rdflib reports e.g. an undeclared prefix as a bare Exception
        raise QueryError.invalid(name, str(exc)) from None


def prepare(query: NamedQuery):
    """Parse and translate a query once; a syntax error becomes a one-line QueryError with line and column."""
    return _prepare(query.text, query.name)


def run_query(ds: Dataset, query: NamedQuery, *, bindings: dict | None = None) -> Result:
    """Run a query over the dataset (all named graphs as the default graph), fully evaluated.

    The query is parsed by rdflib first (a syntax error is one line with line and column); on an
    Oxigraph-backed dataset its *text* then goes to Oxigraph's own engine (a query prepared by rdflib
    would be evaluated by rdflib's engine over Oxigraph's index, much more slowly).
    """
    from kg.graph.store import is_oxigraph

    prepared = prepare(query)
    try:
        if is_oxigraph(ds):
            result = ds.query(query.text, initNs=project_prefixes(), initBindings=bindings or {})
        else:
            result = ds.query(prepared, initBindings=bindings or {})
        if result.type == "SELECT":
            result.bindings  # noqa: B018 — evaluate now, so errors surface here and not while printing
    except QueryError:
        raise
    except Exception as exc:
        raise QueryError.failed(query.name, type(exc).__name__, str(exc)) from None
    return result


def select_rows(result: Result) -> tuple[list[str], Iterator[ResultRow]]:
    """The variable names and the rows of a SELECT result (rdflib types a row as that of any kind of result)."""
    assert result.vars is not None, "not a SELECT result"
    return [str(v) for v in result.vars], cast("Iterator[ResultRow]", iter(result))


def result_rows(result: Result) -> list[dict[str, str | None]]:
    """Rows as dicts of plain strings (None for unbound), in result order."""
    names, rows = select_rows(result)
    return [{n: (None if row[i] is None else str(row[i])) for i, n in enumerate(names)} for row in rows]
