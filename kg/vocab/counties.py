"""Read `ontology/counties.ttl`, the generated county-level gazetteer, without rdflib's Turtle parser.

The file has ~2,850 resources (14,000 triples) in the one fixed layout that :mod:`kg.vocab.divisions`
writes; rdflib would take ~0.3 s to parse them, more than all the other vocabulary files together. A
file in that layout is read with one regular expression; any other Turtle (a hand edit, another
generator) is parsed by rdflib instead, with the same result, only slower.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, SKOS, Graph, Literal

from kg.namespaces import PLACE, SCHEMA, UKG

__all__ = ["COUNTIES_FILE", "CountyRow", "read_counties"]

COUNTIES_FILE = "counties.ttl"


@dataclass(frozen=True)
class CountyRow:
    """One ukg:County of the file."""

    iri: str
    label: str
    short: str | None
    code: str | None
    parent: str | None


_BLOCK = re.compile(
    r"^place:(\d{6}) a ukg:County ;\n"
    r'    skos:prefLabel "([^"\\\n]+)"@zh ;\n'
    r'(?:    ukg:shortName "([^"\\\n]+)"@zh ;\n)?'
    r'    ukg:adminCode "(\d{6})" ;\n'
    r"    schema:containedInPlace place:([A-Za-z0-9-]+) \.$",
    re.M,
)
_PREFIXES = {
    "ukg": str(UKG._NS),
    "place": str(PLACE),
    "skos": str(SKOS),
    "schema": str(SCHEMA._NS),
}
_PREFIX = re.compile(r"^@prefix (\w+): <([^>]*)> \.$", re.M)
_COMMENT = re.compile(r"^#.*$", re.M)


def read_counties(path: Path) -> tuple[CountyRow, ...]:
    """The counties of `path`, sorted by IRI."""
    text = path.read_text(encoding="utf-8")
    rows = _fast(text)
    return rows if rows is not None else _slow(text)


def _fast(text: str) -> tuple[CountyRow, ...] | None:
    """The rows if the text is exactly the generator's layout (with its prefixes), else None."""
    if dict(_PREFIX.findall(text)) != _PREFIXES:
        return None
    rows = []
    for m in _BLOCK.finditer(text):
        code, label, short, admin, parent = m.groups()
        rows.append(CountyRow(str(PLACE[code]), label, short, admin, str(PLACE[parent])))
    rest = _COMMENT.sub("", _PREFIX.sub("", _BLOCK.sub("", text)))
    if rest.strip():
        return None
    return tuple(sorted(rows, key=lambda r: r.iri))


def _slow(text: str) -> tuple[CountyRow, ...]:
    graph = Graph().parse(data=text, format="turtle")

    def zh(node, prop) -> str | None:
        values = sorted(str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == "zh")
        return values[0] if values else None

    rows = []
    for node in set(graph.subjects(RDF.type, UKG.County)):
        code, parent = graph.value(node, UKG.adminCode), graph.value(node, SCHEMA.containedInPlace)
        rows.append(
            CountyRow(
                str(node),
                zh(node, SKOS.prefLabel) or str(node).rsplit("/", 1)[-1],
                zh(node, UKG.shortName),
                str(code) if code is not None else None,
                str(parent) if parent is not None else None,
            )
        )
    return tuple(sorted(rows, key=lambda r: r.iri))
