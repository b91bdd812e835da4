"""Query results for people and tools: tables, CSV, TSV, JSON and Markdown.

The query library itself (loading `queries/*.rq`, binding parameters, running) is :mod:`kg.graph.queries`;
its names are re-exported here, so ``from kg.surface.query import load_query, run_query`` keeps working.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal, InvalidOperation

from rdflib import XSD, Literal
from rdflib.query import Result

from kg.errors import QueryError, one_line
from kg.graph.queries import (
    PARAM_KINDS,
    QUERY_DIR,
    NamedQuery,
    available_queries,
    load_query,
    parse_params,
    prepare,
    project_prefixes,
    query_from_text,
    result_rows,
    run_query,
    select_rows,
)

__all__ = [
    "OUTPUT_FORMATS",
    "PARAM_KINDS",
    "QUERY_DIR",
    "NamedQuery",
    "available_queries",
    "format_result",
    "list_queries",
    "load_query",
    "parse_params",
    "prepare",
    "project_prefixes",
    "query_from_text",
    "result_rows",
    "rows_as_json",
    "run_query",
]

OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "markdown")


def format_result(result: Result, fmt: str = "table") -> str:
    """Render a result as table, csv, tsv, json (SPARQL 1.1 results JSON) or markdown.

    ASK results print ``true``/``false`` (JSON: a boolean result); CONSTRUCT/DESCRIBE results print Turtle.
    """
    if fmt not in OUTPUT_FORMATS:
        raise QueryError.unknown_format(fmt, OUTPUT_FORMATS)
    if result.type == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}) + "\n"
        return ("true" if result.askAnswer else "false") + "\n"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None, "a CONSTRUCT or DESCRIBE result has a graph"
        return result.graph.serialize(format="turtle")
    if fmt == "json":
        serialized = result.serialize(format="json")
        assert serialized is not None, "serialize() without a destination returns the bytes"
        data = json.loads(serialized.decode("utf-8"))
        data = {"head": data.get("head", {}), "results": data.get("results", {"bindings": []})}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    names, selected = select_rows(result)
    rows = [[_cell(row[i]) for i in range(len(names))] for row in selected]
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows if fmt == "csv" else [[one_line(c) for c in r] for r in rows])
        return buf.getvalue()
    if fmt == "markdown":
        lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
        lines += ["| " + " | ".join(one_line(c).replace("|", "\\|") for c in r) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    return _table(names, [[one_line(c) for c in r] for r in rows])


def _cell(term) -> str:
    """A value as text; an xsd:decimal without its lexical noise (``1000000.0`` -> ``1000000``)."""
    if term is None:
        return ""
    if isinstance(term, Literal) and term.datatype == XSD.decimal:
        try:
            value = Decimal(str(term)).normalize()
        except InvalidOperation:
            return str(term)
        return format(value, "f")
    return str(term)


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


def list_queries() -> str:
    """``kg query --list``: one line per query, its question and its parameters (``*`` = required)."""
    lines = []
    for name in available_queries():
        q = load_query(name)
        declared = ", ".join(p + ("*" if p in q.required else "") for p in q.params)
        lines.append(f"{name:26s} {q.question}" + (f"  [params: {declared}]" if declared else ""))
    return "".join(line + "\n" for line in lines)


def rows_as_json(result: Result) -> str:
    return json.dumps(result_rows(result), ensure_ascii=False, indent=2)
