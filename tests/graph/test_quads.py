"""A document's graph (kg.graph.quads, its one description): the Turtle a build worker writes, the rdflib graph
of :func:`kg.graph.build.add_document`, and what they say of the record.

For every document of the demo corpus, the development documents (../shared/dev/docs) and the test fixtures
(tests/data/levels, timeline, bad): add_document's graph serialises to the worker's Turtle bytes and the
worker's Turtle reads back as that graph; SPARQL over it finds each mention's quote, offsets and entity, and
each quantity's value, as the record states them.
"""

from __future__ import annotations

import os
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import XSD, Dataset, Graph, Literal, URIRef

from kg.graph.build import DocumentGraph, add_document, document_graph
from kg.graph.quads import Lit, document_triples, literal_n3, sorted_document_turtle
from kg.graph.serialize import sorted_turtle
from kg.namespaces import DEFAULT_BASE_IRI, OA, SCHEMA, UKG, bind_prefixes
from kg.pipeline.components import process_file

ROOT = Path(__file__).resolve().parents[2]
DEV_DOCS = Path(os.environ.get("UNIONKG_DEV_DOCS", ROOT.parent / "shared" / "dev" / "docs"))
SUFFIXES = {".txt", ".md", ".html", ".pdf", ".docx"}

MENTIONS = """
SELECT ?start ?end ?exact ?body ?type WHERE {
  ?m a ukg:Mention, oa:Annotation ; oa:motivatedBy oa:identifying ; oa:hasBody ?body ; ukg:mentionType ?type ;
     oa:hasTarget ?span .
  ?span a ukg:TextSpan, oa:SpecificResource ; oa:hasSelector ?pos, ?quote .
  ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
}"""
QUANTITIES = "SELECT ?start ?value WHERE { ?q a ukg:Quantity ; schema:value ?value ; ukg:evidence/oa:hasSelector/oa:start ?start }"


def _files() -> list[Path]:
    folders = [ROOT / "corpus", DEV_DOCS, *(ROOT / "tests" / "data" / d for d in ("levels", "timeline", "bad"))]
    return [p for d in folders if d.is_dir() for p in sorted(d.iterdir()) if p.suffix in SUFFIXES]


def _rdflib_graph(rec, base=DEFAULT_BASE_IRI) -> tuple[str, Graph]:
    ds = Dataset()
    gid = add_document(ds, rec, base=base)
    return str(gid), ds.graph(gid)


def _query(turtle: str, text: str) -> list[tuple[str, ...]]:
    """A SELECT over one document's Turtle in Oxigraph (the build's store), values as strings."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    prefixes = Graph()
    bind_prefixes(prefixes, DEFAULT_BASE_IRI)
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.namespaces())
    return [tuple(term.value for term in row) for row in store.query(head + text)]  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def records():
    recs = []
    for path in _files():
        try:
            recs.append(process_file(path))
        except Exception:  # a fixture meant to fail (tests/data/bad): nothing to compare
            continue
    if not DEV_DOCS.is_dir() and os.environ.get("KG_REQUIRE_ALL"):
        pytest.fail(f"{DEV_DOCS}: the development documents are missing")
    assert len(recs) >= 5 and sum(len(r.mentions) for r in recs) > 100
    return recs


def test_add_document_serialises_to_the_workers_turtle(records):
    """The rdflib graph an analyst builds and the Turtle a build worker writes: the same bytes, the same count."""
    for rec in records:
        gid, graph = _rdflib_graph(rec)
        doc = document_graph(rec)
        assert doc == DocumentGraph(gid, doc.slug, sorted_turtle(graph), len(graph)), rec.source


def test_the_workers_turtle_reads_back_as_add_documents_graph(records):
    """Lexical forms, datatypes, language tags and escapes survive the worker's Turtle (what the store loads)."""
    for rec in records:
        _, graph = _rdflib_graph(rec)
        read = Graph().parse(data=document_graph(rec).turtle, format="turtle")
        assert set(read) == set(graph), (rec.source, sorted(set(read) ^ set(graph))[:5])


def test_mentions_and_quantities_are_queryable_as_the_record_states_them(records):
    """SPARQL finds every mention's offsets, quote (the text at those offsets), entity and type, as Web
    Annotations on text spans, and every quantity's value at its offset (in Oxigraph, as the build's store)."""
    for rec in records:
        turtle = document_graph(rec).turtle
        found = {(int(s), int(e), x, b, t) for s, e, x, b, t in _query(turtle, MENTIONS)}
        assert found == {(m.start, m.end, m.text, m.id, m.type) for m in rec.mentions}, rec.source
        assert all(rec.text[s:e] == x for s, e, x, _, _ in found), rec.source
        values = {(int(s), Decimal(v)) for s, v in _query(turtle, QUANTITIES)}
        assert values == {(q.start, Decimal(str(q.value))) for q in rec.quantities}, rec.source


def test_other_base_iri(records):
    base = "http://example.org/kg/"
    rec = records[0]
    gid, graph = _rdflib_graph(rec, base)
    fast_gid, triples = document_triples(rec, base=base)
    assert fast_gid == gid and gid.startswith(f"{base}graph/doc/") and len(triples) == len(graph)
    counties = {URIRef(m.id) for m in rec.mentions} | ({URIRef(rec.county.id)} if rec.county else set())
    assert all(str(s).startswith(base) or s in counties for s in graph.subjects())
    assert sorted_document_turtle(triples, base=base) == sorted_turtle(graph, base=base)


def test_literal_n3_is_rdflibs():
    """The sort key of objects: rdflib's n3() for quotes, backslashes, line breaks and trailing quotes."""
    samples = ['plain', 'a "quoted" word', "back\\slash", "two\nlines", 'ends with "', 'ends\nwith "', "cr\r",
               '"""', "多行\n文本\\", ""]  # fmt: skip
    for text in samples:
        for dt, lang in (("", ""), ("", "zh"), ("http://www.w3.org/2001/XMLSchema#integer", "")):
            lit = Literal(text, lang=lang or None, datatype=dt or None)
            assert literal_n3(Lit(text, dt, lang)) == lit.n3(), text


def test_odd_records_pages_decimals_and_duplicates(records):
    """A PDF's pages (every span cites the page it starts on), large and small decimals (rdflib's lexical
    forms of the Decimal), a mention given twice (no more triples)."""
    from kg.ingest.decode import page_of

    rec = next(r for r in records if r.quantities and r.mentions)
    q = rec.quantities[0]
    pages = (0, 200, 900)
    odd = replace(rec, pages=pages, quantities=(replace(q, value=1e16, value_max=0.0000001), *rec.quantities[1:]))
    gid, graph = _rdflib_graph(odd)
    assert document_graph(odd).turtle == sorted_turtle(graph)
    spans = set(graph.subjects(OA.hasSelector, None))
    assert spans
    for span in spans:
        page = page_of(pages, _start(graph, span))
        assert graph.value(span, UKG.page) == (Literal(page, datatype=XSD.positiveInteger) if page else None)
    node = URIRef(f"{gid.replace('/graph/doc/', '/doc/')}/quantity/{q.start}-{q.end}")
    for prop, value in ((SCHEMA.value, 1e16), (SCHEMA.maxValue, 0.0000001)):
        assert graph.value(node, prop) == Literal(Decimal(str(value)), datatype=XSD.decimal)
    twice = replace(rec, mentions=(*rec.mentions, rec.mentions[0]))
    assert document_triples(twice) == document_triples(rec)
    assert len(_rdflib_graph(twice)[1]) == len(_rdflib_graph(rec)[1])


def _start(graph: Graph, span) -> int:
    return next(int(v) for sel in graph.objects(span, OA.hasSelector) for v in graph.objects(sel, OA.start))
