"""The fast document graph (kg.graph.quads) against rdflib's (kg.graph.build.add_document), triple for triple.

For every document of the demo corpus, the development documents (../shared/dev/docs) and the test fixtures
(tests/data/levels, timeline, bad): the same set of triples — IRIs, lexical forms, datatypes and languages —
and the same Turtle bytes as :func:`kg.graph.serialize.sorted_turtle` of the rdflib graph.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from kg.graph.build import DocumentGraph, add_document, document_graph
from kg.graph.quads import Iri, Lit, document_triples, literal_n3, sorted_document_turtle
from kg.graph.serialize import sorted_turtle
from kg.namespaces import DEFAULT_BASE_IRI
from kg.pipeline.components import process_file

ROOT = Path(__file__).resolve().parents[2]
DEV_DOCS = Path(os.environ.get("UNIONKG_DEV_DOCS", ROOT.parent / "shared" / "dev" / "docs"))
SUFFIXES = {".txt", ".md", ".html", ".pdf", ".docx"}


def _files() -> list[Path]:
    folders = [ROOT / "corpus", DEV_DOCS, *(ROOT / "tests" / "data" / d for d in ("levels", "timeline", "bad"))]
    return [p for d in folders if d.is_dir() for p in sorted(d.iterdir()) if p.suffix in SUFFIXES]


def _as_tuples(graph) -> set:
    out = set()
    for s, p, o in graph:
        if isinstance(o, URIRef):
            obj: Iri | Lit = Iri(str(o))
        else:
            assert isinstance(o, Literal)
            obj = Lit(str(o), str(o.datatype) if o.datatype else "", o.language or "")
        out.add((str(s), str(p), obj))
    return out


def _rdflib_graph(rec, base=DEFAULT_BASE_IRI):
    ds = Dataset()
    gid = add_document(ds, rec, base=base)
    return str(gid), ds.graph(gid)


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
    assert len(recs) >= 5
    return recs


def test_same_triples_as_rdflib(records):
    for rec in records:
        gid, graph = _rdflib_graph(rec)
        fast_gid, triples = document_triples(rec)
        assert fast_gid == gid
        expected = _as_tuples(graph)
        assert triples == expected, (rec.source, sorted(expected ^ triples)[:5])


def test_same_turtle_bytes_as_rdflib(records):
    for rec in records:
        gid, graph = _rdflib_graph(rec)
        doc = document_graph(rec)
        assert doc == DocumentGraph(gid, doc.slug, sorted_turtle(graph), len(graph)), rec.source


def test_other_base_iri(records):
    base = "http://example.org/kg/"
    rec = records[0]
    gid, graph = _rdflib_graph(rec, base)
    fast_gid, triples = document_triples(rec, base=base)
    assert (fast_gid, triples) == (gid, _as_tuples(graph))
    assert sorted_document_turtle(triples, base=base) == sorted_turtle(graph, base=base)


def test_literal_n3_is_rdflibs():
    """The sort key of objects: rdflib's n3() for quotes, backslashes, line breaks and trailing quotes."""
    samples = ['plain', 'a "quoted" word', "back\\slash", "two\nlines", 'ends with "', 'ends\nwith "', "cr\r",
               '"""', "多行\n文本\\", ""]  # fmt: skip
    for text in samples:
        for dt, lang in (("", ""), ("", "zh"), ("http://www.w3.org/2001/XMLSchema#integer", "")):
            if not text and "\n" in text:
                continue
            lit = Literal(text, lang=lang or None, datatype=dt or None)
            assert literal_n3(Lit(text, dt, lang)) == lit.n3(), text


def test_odd_records_pages_decimals_and_duplicates(records):
    """A PDF's pages (every span cites its page), large and small decimals, a quote given twice."""
    rec = next(r for r in records if r.quantities and r.mentions)
    q = rec.quantities[0]
    odd = replace(
        rec,
        pages=(0, 200, 900),
        quantities=(replace(q, value=1e16, value_max=0.0000001), *rec.quantities[1:]),
        mentions=(*rec.mentions, rec.mentions[0]),
    )
    gid, graph = _rdflib_graph(odd)
    assert document_triples(odd) == (gid, _as_tuples(graph))
    assert document_graph(odd).turtle == sorted_turtle(graph)
