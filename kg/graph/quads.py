"""A document's named graph: its record -> its triples as plain tuples, then sorted Turtle through Oxigraph.

:func:`document_triples` is the one description of a document's graph (≈ 17 triples a mention): the build
workers write its triples with :func:`sorted_document_turtle` (no rdflib on their path: ``Graph.add`` of
≈ 2,400 triples a document and rdflib's serialiser were the largest cost of a worker after extraction), and
:func:`kg.graph.build.add_document` (rdflib, the analysts' API) loads the same triples into a ``Dataset``.
:func:`sorted_document_turtle` writes them in the order of :func:`kg.graph.serialize.sorted_turtle` with
Oxigraph's writer, so an rdflib graph of them serialises to the same bytes (``tests/graph/test_quads.py``).

A triple is ``(subject, predicate, object)``: subject and predicate are IRI strings; the object is an
:class:`Iri` (a ``str``) or a :class:`Lit` ``(lexical, datatype, language)``, datatype ``""`` for a plain
string. The store is fed the same Turtle (bulk-loaded as TriG).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from kg.model import DocumentRecord
from kg.namespaces import (
    DEFAULT_BASE_IRI,
    GENRE,
    LEVEL,
    OA,
    SCHEMA,
    UKG,
    document_iri,
    document_slug,
    graph_iri,
)

__all__ = ["Iri", "Lit", "Triple", "document_triples", "literal_n3", "sorted_document_turtle", "triple_sort_key"]


class Iri(str):
    """An IRI in object position (a plain ``str`` subclass, so that sorting and hashing stay cheap)."""

    __slots__ = ()


class Lit(NamedTuple):
    """A literal: lexical form, datatype IRI (``""`` for a plain string) and language tag (``""`` for none)."""

    lexical: str
    datatype: str = ""
    language: str = ""


Triple = tuple[str, str, "Iri | Lit"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NNI, _INT, _POS, _DEC, _BOOL = (
    f"{_XSD}{n}" for n in ("nonNegativeInteger", "integer", "positiveInteger", "decimal", "boolean")
)
_DATE_TYPES = {4: f"{_XSD}gYear", 10: f"{_XSD}date"}
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"


def _u(term) -> str:
    return str(term)


# predicates and classes, as strings once
_P = {
    name: _u(term)
    for name, term in {
        "type": _RDF_TYPE,
        "TextSpan": UKG.TextSpan,
        "SpecificResource": OA.SpecificResource,
        "hasSource": OA.hasSource,
        "hasSelector": OA.hasSelector,
        "TextPositionSelector": OA.TextPositionSelector,
        "start": OA.start,
        "end": OA.end,
        "TextQuoteSelector": OA.TextQuoteSelector,
        "exact": OA.exact,
        "PolicyDocument": UKG.PolicyDocument,
        "sourceFile": UKG.sourceFile,
        "documentKind": UKG.documentKind,
        "dctype": f"{_DCT}type",
        "announcedCount": UKG.announcedCount,
        "sha256": UKG.sha256,
        "encoding": UKG.encoding,
        "format": f"{_DCT}format",
        "datePublished": SCHEMA.datePublished,
        "url": SCHEMA.url,
        "title": f"{_DCT}title",
        "identifier": f"{_DCT}identifier",
        "date": f"{_DCT}date",
        "publisher": f"{_DCT}publisher",
        "jurisdiction": UKG.jurisdiction,
        "cityJurisdiction": UKG.cityJurisdiction,
        "countyJurisdiction": UKG.countyJurisdiction,
        "jurisdictionLevel": UKG.jurisdictionLevel,
        "evidence": UKG.evidence,
        "Section": UKG.Section,
        "hasSection": UKG.hasSection,
        "isPartOf": f"{_DCT}isPartOf",
        "ordinal": UKG.ordinal,
        "Measure": UKG.Measure,
        "hasMeasure": UKG.hasMeasure,
        "numberingStyle": UKG.numberingStyle,
        "inSection": UKG.inSection,
        "additionalProperty": SCHEMA.additionalProperty,
        "PropertyValue": SCHEMA.PropertyValue,
        "name": SCHEMA.name,
        "value": SCHEMA.value,
        "Mention": UKG.Mention,
        "Annotation": OA.Annotation,
        "motivatedBy": OA.motivatedBy,
        "identifying": OA.identifying,
        "hasBody": OA.hasBody,
        "hasTarget": OA.hasTarget,
        "mentionType": UKG.mentionType,
        "surfaceText": UKG.surfaceText,
        "inDocument": UKG.inDocument,
        "inMeasure": UKG.inMeasure,
        "Quantity": UKG.Quantity,
        "maxValue": SCHEMA.maxValue,
        "unitText": SCHEMA.unitText,
        "ukgUnitText": UKG.unitText,
        "currency": UKG.currency,
        "qualifier": UKG.qualifier,
        "qualifierWord": UKG.qualifierWord,
        "period": UKG.period,
        "role": UKG.role,
        "perUnit": UKG.perUnit,
        "counts": UKG.counts,
        "countsText": UKG.countsText,
        "statedIn": UKG.statedIn,
        "page": UKG.page,
        "County": UKG.County,
        "prefLabel": f"{_SKOS}prefLabel",
        "adminCode": UKG.adminCode,
        "containedInPlace": SCHEMA.containedInPlace,
    }.items()
}


def _decimal(value: float | int) -> str:
    """The lexical form rdflib gives ``Literal(Decimal(str(value)), datatype=XSD.decimal)``."""
    d = Decimal(str(value))
    text = str(d)
    if "E" in text or "e" in text:  # rare: let rdflib say (its own formatting of exponents)
        from rdflib import XSD, Literal

        return str(Literal(d, datatype=XSD.decimal))
    return text


def document_triples(record: DocumentRecord, *, base: str = DEFAULT_BASE_IRI) -> tuple[str, set[Triple]]:
    """The graph IRI and the set of triples of one document (no duplicates, as in an rdflib graph)."""
    P = _P
    typ = P["type"]
    slug = document_slug(record.source, record.sha256)
    gid = _u(graph_iri(base, f"doc/{slug}"))
    doc = _u(document_iri(base, slug))
    doc_o = Iri(doc)
    text = record.text
    out: set[Triple] = set()
    add = out.add
    spans: dict[str, int] = {}  # span IRI -> start (for the pages of a PDF)

    def span(start: int, end: int, quote: str) -> Iri:
        s = f"{doc}/span/{start}-{end}"
        pos, exact = f"{s}/position", f"{s}/quote"
        if s not in spans:
            spans[s] = start
            add((s, typ, Iri(P["TextSpan"])))
            add((s, typ, Iri(P["SpecificResource"])))
            add((s, P["hasSource"], doc_o))
            add((s, P["hasSelector"], Iri(pos)))
            add((s, P["hasSelector"], Iri(exact)))
            add((pos, typ, Iri(P["TextPositionSelector"])))
            add((pos, P["start"], Lit(str(start), _NNI)))
            add((pos, P["end"], Lit(str(end), _NNI)))
            add((exact, typ, Iri(P["TextQuoteSelector"])))
        add((exact, P["exact"], Lit(quote)))
        return Iri(s)

    add((doc, typ, Iri(P["PolicyDocument"])))
    add((doc, P["sourceFile"], Lit(Path(record.source).name)))
    add((doc, P["documentKind"], Lit(record.kind)))
    add((doc, P["dctype"], Iri(_u(GENRE[record.genre]))))
    if record.announced_count is not None:
        add((doc, P["announcedCount"], Lit(str(int(record.announced_count)), _NNI)))
    if record.sha256:
        add((doc, P["sha256"], Lit(record.sha256)))
    if record.encoding:
        add((doc, P["encoding"], Lit(record.encoding)))
    if record.media_type:
        add((doc, P["format"], Lit(record.media_type)))
    page_meta = record.metadata
    if page_meta.get("date"):
        add((doc, P["datePublished"], Lit(str(page_meta["date"]), f"{_XSD}date")))
    if page_meta.get("url"):
        add((doc, P["url"], Iri(page_meta["url"])))
    if record.title:
        add((doc, P["title"], Lit(record.title, "", "zh")))
    if record.identifier:
        add((doc, P["identifier"], Lit(record.identifier)))
    if record.date:
        add((doc, P["date"], Lit(record.date, _DATE_TYPES.get(len(record.date), ""))))
    for ref, prop in (
        (record.issuer, "publisher"),
        (record.jurisdiction, "jurisdiction"),
        (record.city, "cityJurisdiction"),
        (record.county, "countyJurisdiction"),
    ):
        if ref:
            add((doc, P[prop], Iri(ref.id)))
    _counties(record, add)
    if record.level:
        add((doc, P["jurisdictionLevel"], Iri(_u(LEVEL[record.level]))))
    ev = record.evidence
    for quote in (ev.identifier, ev.issuer, ev.title, ev.announced):
        if quote is not None:
            add((doc, P["evidence"], span(quote.start, quote.end, quote.text)))

    sections: dict[int, Iri] = {}
    for sec in record.sections:
        node = f"{doc}/section/{sec.ordinal}"
        sections[sec.ordinal] = Iri(node)
        add((node, typ, Iri(P["Section"])))
        add((doc, P["hasSection"], Iri(node)))
        add((node, P["isPartOf"], doc_o))
        add((node, P["ordinal"], Lit(str(int(sec.ordinal)), _INT)))
        add((node, P["title"], Lit(sec.title, "", "zh")))
        add((node, P["evidence"], span(sec.title_start, sec.title_end, text[sec.title_start : sec.title_end])))
    measures: dict[int, Iri] = {}
    for m in record.measures:
        node = f"{doc}/measure/{m.ordinal}"
        measures[m.ordinal] = Iri(node)
        add((node, typ, Iri(P["Measure"])))
        add((doc, P["hasMeasure"], Iri(node)))
        add((node, P["isPartOf"], doc_o))
        add((node, P["ordinal"], Lit(str(int(m.ordinal)), _INT)))
        add((node, P["title"], Lit(m.title, "", "zh")))
        add((node, P["numberingStyle"], Lit(m.style)))
        if m.section in sections:
            add((node, P["inSection"], sections[m.section]))
        for i, (header, cell) in enumerate(m.parts.items(), 1):
            part = f"{node}/part/{i}"
            add((node, P["additionalProperty"], Iri(part)))
            add((part, typ, Iri(P["PropertyValue"])))
            add((part, P["ordinal"], Lit(str(i), _INT)))
            add((part, P["name"], Lit(header, "", "zh")))
            add((part, P["value"], Lit(cell, "", "zh")))
        for start, end in [(m.start, m.end), *m.also]:
            add((node, P["evidence"], span(start, end, text[start:end])))

    for men in record.mentions:
        node = f"{doc}/mention/{men.start}-{men.end}"
        add((node, typ, Iri(P["Mention"])))
        add((node, typ, Iri(P["Annotation"])))
        add((node, P["motivatedBy"], Iri(P["identifying"])))
        add((node, P["hasBody"], Iri(men.id)))
        add((node, P["hasTarget"], span(men.start, men.end, men.text)))
        add((node, P["mentionType"], Lit(men.type)))
        add((node, P["surfaceText"], Lit(men.text)))
        add((node, P["inDocument"], doc_o))
        if men.measure in measures:
            add((node, P["inMeasure"], measures[men.measure]))

    for q in record.quantities:
        node = f"{doc}/quantity/{q.start}-{q.end}"
        add((node, typ, Iri(P["Quantity"])))
        add((node, P["value"], Lit(_decimal(q.value), _DEC)))
        if q.value_max is not None:
            add((node, P["maxValue"], Lit(_decimal(q.value_max), _DEC)))
        add((node, P["unitText"], Lit(q.unit)))
        if q.unit_text:
            add((node, P["ukgUnitText"], Lit(q.unit_text)))
        for value, prop in (
            (q.currency, "currency"),
            (q.qualifier, "qualifier"),
            (q.qualifier_word, "qualifierWord"),
            (q.period, "period"),
            (q.role, "role"),
            (q.per, "perUnit"),
        ):
            if value:
                add((node, P[prop], Lit(value)))
        if q.counts_id:
            add((node, P["counts"], Iri(q.counts_id)))
        elif q.counts:
            add((node, P["countsText"], Lit(q.counts)))
        add((node, P["inDocument"], doc_o))
        if q.measure in measures:
            add((node, P["statedIn"], measures[q.measure]))
        add((node, P["evidence"], span(q.start, q.end, q.text)))
    if record.pages:  # PDF: every text span cites the page it starts on
        from kg.ingest.decode import page_of

        for s, start in spans.items():
            page = page_of(record.pages, start)
            if page is not None:
                add((s, P["page"], Lit(str(int(page)), _POS)))
    return gid, out


def _counties(record: DocumentRecord, add) -> None:
    """The counties a document refers to, described in its own graph (counties.ttl has 2,846: the build
    carries only those referenced): type, label, GB/T 2260 code and the area directly above."""
    from kg.vocab.ontology import load_vocabulary

    table = load_vocabulary().places
    referenced = {record.county.id} if record.county else set()
    referenced |= {m.id for m in record.mentions if m.type == "place"}
    for iri in sorted(referenced):
        county = table.get(iri)
        if county is None or county.kind != "county":
            continue
        add((iri, _P["type"], Iri(_P["County"])))
        add((iri, _P["prefLabel"], Lit(county.label, "", "zh")))
        if county.code:
            add((iri, _P["adminCode"], Lit(county.code)))
        if county.parent:
            add((iri, _P["containedInPlace"], Iri(county.parent)))


def literal_n3(lit: Lit) -> str:
    """rdflib's ``Literal.n3()`` of the literal (the sort key of objects in :func:`sorted_turtle`)."""
    v = lit.lexical
    if "\n" in v:
        enc = v.replace("\\", "\\\\")
        if '"""' in enc:
            enc = enc.replace('"""', '\\"\\"\\"')
        if enc[-1] == '"' and enc[-2] != "\\":
            enc = enc[:-1] + '\\"'
        encoded = '"""' + enc.replace("\r", "\\r") + '"""'
    else:
        encoded = '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r") + '"'
    if lit.language:
        return f"{encoded}@{lit.language}"
    if lit.datatype:
        return f"{encoded}^^<{lit.datatype}>"
    return encoded


def triple_sort_key(t: Triple) -> tuple:
    """The order of :func:`kg.graph.serialize.sorted_turtle`: subject, rdf:type first, predicate, object's n3."""
    s, p, o = t
    return (s, p != _RDF_TYPE, p, f"<{o}>" if isinstance(o, Iri) else literal_n3(o))


def sorted_document_turtle(triples: Iterable[Triple], *, base: str = DEFAULT_BASE_IRI) -> str:
    """The triples as :func:`kg.graph.serialize.sorted_turtle` writes an rdflib graph of them, byte for byte."""
    import pyoxigraph as ox

    from kg.graph.serialize import oxigraph_prefixes

    named: dict[str, ox.NamedNode] = {}

    def iri(value: str) -> ox.NamedNode:
        node = named.get(value)
        if node is None:
            node = named[value] = ox.NamedNode(value)
        return node

    string = _xsd_string()

    def obj(o):
        if isinstance(o, Iri):
            return iri(o)
        if o.language:
            return ox.Literal(o.lexical, language=o.language)
        return ox.Literal(o.lexical, datatype=iri(o.datatype) if o.datatype else string)

    ordered = sorted(triples, key=triple_sort_key)
    prefixes = oxigraph_prefixes(base)
    written = ox.serialize(
        [ox.Triple(iri(s), iri(p), obj(o)) for s, p, o in ordered], format=ox.RdfFormat.TURTLE, prefixes=prefixes
    )
    data = (written or b"").decode("utf-8")
    body = [line for line in data.split("\n") if not line.startswith("@prefix")]
    head = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(prefixes.items())]
    return "\n".join(head) + "\n\n" + "\n".join(body)


@lru_cache(maxsize=1)
def _xsd_string():
    import pyoxigraph as ox

    return ox.NamedNode(f"{_XSD}string")
