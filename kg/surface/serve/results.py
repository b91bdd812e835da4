"""Content negotiation and result rendering: SPARQL JSON results as JSON, XML, CSV or TSV."""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

__all__ = [
    "BOOLEAN_TYPES",
    "GRAPH_TYPES",
    "N_TRIPLES",
    "SOLUTION_TYPES",
    "SPARQL_JSON",
    "SPARQL_XML",
    "negotiate",
    "render_results",
]

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
N_TRIPLES = "application/n-triples"
#: media type asked for -> (media type answered, renderer); the first entry is the default.
SOLUTION_TYPES = {
    SPARQL_JSON: SPARQL_JSON,
    "application/json": SPARQL_JSON,
    SPARQL_XML: SPARQL_XML,
    "application/xml": SPARQL_XML,
    "text/xml": SPARQL_XML,
    "text/csv": "text/csv",
    "text/tab-separated-values": "text/tab-separated-values",
}
BOOLEAN_TYPES = {k: v for k, v in SOLUTION_TYPES.items() if v in (SPARQL_JSON, SPARQL_XML)}
GRAPH_TYPES = {  # media type -> rdflib serializer
    "text/turtle": "turtle",
    N_TRIPLES: "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def negotiate(accept: str | None, offered: dict[str, str]) -> str | None:
    """The key of `offered` the Accept header prefers (first offered for */* or no header); None if none."""
    if not accept or not accept.strip():
        return next(iter(offered))
    best, best_q = None, 0.0
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in offered:
            match = media
        elif media in ("*/*", "*") or (media.endswith("/*") and any(o.startswith(media[:-1]) for o in offered)):
            match = next(o for o in offered if media in ("*/*", "*") or o.startswith(media[:-1]))
        else:
            continue
        # a more specific range wins ties; earlier entries win among equals
        score = q + (0.0001 if "*" not in media else 0.0) - order * 1e-7
        if score > best_q:
            best, best_q = match, score
    return best


def _tsv_term(term: dict | None) -> str:
    if term is None:
        return ""
    kind, value = term.get("type"), str(term.get("value", ""))
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    escaped = escaped.replace("\t", "\\t")
    if term.get("xml:lang"):
        return f'"{escaped}"@{term["xml:lang"]}'
    datatype = term.get("datatype")
    if datatype and datatype not in (_XSD_STRING, _RDF_LANG_STRING):
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


def _xml_term(term: dict) -> str:
    kind, value = term.get("type"), escape(str(term.get("value", "")))
    if kind == "uri":
        return f"<uri>{value}</uri>"
    if kind == "bnode":
        return f"<bnode>{value}</bnode>"
    attrs = ""
    if term.get("xml:lang"):
        attrs = f" xml:lang={quoteattr(term['xml:lang'])}"
    elif term.get("datatype"):
        attrs = f" datatype={quoteattr(term['datatype'])}"
    return f"<literal{attrs}>{value}</literal>"


def render_results(data: dict, media: str) -> bytes:
    """SPARQL JSON results (a dict) in `media`: SPARQL JSON, SPARQL XML, CSV or TSV."""
    names = data.get("head", {}).get("vars", [])
    if media == SPARQL_JSON:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media == SPARQL_XML:
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(n)}/>" for n in names]
        out.append("</head>\n")
        if "boolean" in data:
            out.append(f"<boolean>{'true' if data['boolean'] else 'false'}</boolean>\n")
        else:
            out.append("<results>\n")
            for row in data["results"]["bindings"]:
                cells = "".join(
                    f"<binding name={quoteattr(n)}>{_xml_term(row[n])}</binding>" for n in names if n in row
                )
                out.append(f"<result>{cells}</result>\n")
            out.append("</results>\n")
        out.append("</sparql>\n")
        return "".join(out).encode("utf-8")
    rows = data["results"]["bindings"]
    if media == "text/csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow(
                [
                    "" if n not in row else ("_:" if row[n].get("type") == "bnode" else "") + str(row[n]["value"])
                    for n in names
                ]
            )
        return buf.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join(_tsv_term(row.get(n)) for n in names) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
