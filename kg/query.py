"""Query: load named SPARQL queries from `queries/`, bind parameters, run them, format results.

Parameters are always bound with ``initBindings`` (never pasted into query text). A query's header
comment documents the question it answers and its parameters (lines ``# param: name — meaning``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.query import Result

from kg.errors import QueryError

__all__ = [
    "OUTPUT_FORMATS",
    "QUERY_DIR",
    "NamedQuery",
    "available_queries",
    "format_result",
    "load_query",
    "parse_params",
    "result_rows",
    "run_query",
]

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"
OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "markdown")
_PARAM_LINE = re.compile(r"^#\s*param:\s*(\w+)\s*(?:\((iri|literal|integer)\))?", re.M)


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with its documented question and parameter names."""

    name: str
    text: str
    question: str
    params: dict[str, str]


def available_queries(directory: Path = QUERY_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.rq"))


def _from_text(name: str, text: str) -> NamedQuery:
    header = [ln[1:].strip() for ln in text.splitlines() if ln.startswith("#")]
    question = next((h.split(":", 1)[1].strip() for h in header if h.lower().startswith("question:")), "")
    params = {m.group(1): m.group(2) or "literal" for m in _PARAM_LINE.finditer(text)}
    return NamedQuery(name, text, question, params)


def load_query(name_or_path: str, *, directory: Path = QUERY_DIR) -> NamedQuery:
    """A query by name (``shared-programmes``) or by path to a ``.rq`` file."""
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.exists():
        return _from_text(path.stem, path.read_text(encoding="utf-8"))
    candidate = directory / f"{name_or_path}.rq"
    if candidate.exists():
        return _from_text(name_or_path, candidate.read_text(encoding="utf-8"))
    raise QueryError.not_found(name_or_path, available_queries(directory))


def parse_params(pairs: list[str] | tuple[str, ...], query: NamedQuery) -> dict[str, URIRef | Literal]:
    """``key=value`` strings -> initBindings, typed as the query header declares."""
    out: dict[str, URIRef | Literal] = {}
    for pair in pairs:
        if "=" not in pair:
            raise QueryError.bad_param(pair)
        key, value = pair.split("=", 1)
        kind = query.params.get(key, "literal")
        if kind == "iri":
            out[key] = URIRef(value)
        elif kind == "integer":
            out[key] = Literal(int(value))
        else:
            out[key] = Literal(value, lang="zh") if re.search(r"[\u4e00-\u9fff]", value) else Literal(value)
    return out


def run_query(ds: Dataset, query: NamedQuery, *, bindings: dict | None = None) -> Result:
    """Run a query over the dataset (all named graphs as the default graph)."""
    from pyparsing import ParseException

    try:
        return ds.query(query.text, initBindings=bindings or {})
    except ParseException as exc:
        raise QueryError.syntax(query.name, exc.lineno, exc.col, exc.msg) from None


def result_rows(result: Result) -> list[dict[str, str | None]]:
    """Rows as dicts of plain strings (None for unbound), in result order."""
    names = [str(v) for v in result.vars]
    return [{n: (None if row[i] is None else str(row[i])) for i, n in enumerate(names)} for row in result]


def format_result(result: Result, fmt: str = "table") -> str:
    """Render a result as table, csv, tsv, json (SPARQL results JSON) or markdown."""
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8")
    names = [str(v) for v in result.vars]
    rows = [["" if v is None else v for v in r.values()] for r in result_rows(result)]
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buf.getvalue()
    if fmt == "markdown":
        lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        return _table(names, rows)
    raise QueryError(f"unknown output format {fmt!r}; choose from {', '.join(OUTPUT_FORMATS)}")


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _table(names: list[str], rows: list[list[str]]) -> str:
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(cells):
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=False)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def rows_as_json(result: Result) -> str:
    return json.dumps(result_rows(result), ensure_ascii=False, indent=2)
