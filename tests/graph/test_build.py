"""Build: named graphs, stable IRIs, evidence on every fact, SHACL conformance, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import CORPUS, ROOT
from rdflib import RDF, Graph, URIRef
from rdflib.compare import isomorphic

from kg.graph.build import add_document, build_dataset
from kg.graph.validate import validate_graph
from kg.namespaces import DEFAULT_BASE_IRI, OA, UKG, graph_iri
from kg.surface.export import serialize, union_graph


def test_one_named_graph_per_document_plus_vocabulary(dataset, records):
    names = {str(c.identifier) for c in dataset.contexts() if len(c)}
    for slug in (p.removesuffix(".txt") for p in records):
        assert f"{DEFAULT_BASE_IRI}graph/doc/{slug}" in names
    for vocab in ("ontology", "programmes", "gazetteer", "entities"):
        assert str(graph_iri(DEFAULT_BASE_IRI, vocab)) in names


def test_every_mention_has_evidence_with_exact_quote(dataset, records):
    texts = {f"{DEFAULT_BASE_IRI}doc/{name.removesuffix('.txt')}": r.text for name, r in records.items()}
    mentions = list(dataset.subjects(RDF.type, UKG.Mention))
    assert mentions
    for mention in mentions:
        target = dataset.value(mention, OA.hasTarget)
        doc = dataset.value(target, OA.hasSource)
        selectors = list(dataset.objects(target, OA.hasSelector))
        start = next(dataset.value(s, OA.start) for s in selectors if dataset.value(s, OA.start) is not None)
        end = next(dataset.value(s, OA.end) for s in selectors if dataset.value(s, OA.end) is not None)
        exact = next(dataset.value(s, OA.exact) for s in selectors if dataset.value(s, OA.exact) is not None)
        assert texts[str(doc)][int(start) : int(end)] == str(exact)


@pytest.mark.slow
def test_built_graph_conforms_to_shapes(dataset):
    conforms, report = validate_graph(union_graph(dataset))
    assert conforms, report


@pytest.mark.slow
def test_broken_graph_does_not_conform(dataset):
    broken = Graph()
    for triple in union_graph(dataset):
        broken.add(triple)
    measure = next(broken.subjects(RDF.type, UKG.Measure))
    broken.remove((measure, UKG.ordinal, None))
    mention = next(broken.subjects(RDF.type, UKG.Mention))
    broken.remove((mention, OA.hasTarget, None))
    conforms, report = validate_graph(broken)
    assert not conforms
    assert "ordinal" in report and "hasTarget" in report


def test_base_iri_is_configurable(records):
    ds = build_dataset(list(records.values()), base="https://example.org/kg/")
    docs = set(ds.subjects(RDF.type, UKG.PolicyDocument))
    assert docs and all(str(d).startswith("https://example.org/kg/doc/") for d in docs)


@pytest.mark.slow
def test_trig_parses_with_an_independent_parser_into_the_same_graphs(built_out):
    """graph.trig (graph.ttl is written only with `kg build --turtle`) read by rdflib and by Oxigraph: the same
    named graphs with the same triples."""
    import pyoxigraph
    from rdflib import Dataset

    trig = (built_out / "graph.trig").read_bytes()
    ours = Dataset()
    ours.parse(data=trig.decode("utf-8"), format="trig")
    theirs: dict[str, Graph] = {}
    for quad in pyoxigraph.parse(trig, format=pyoxigraph.RdfFormat.TRIG):
        graph = theirs.setdefault(quad.graph_name.value, Graph())
        graph.add(tuple(_to_rdflib(t) for t in (quad.subject, quad.predicate, quad.object)))
    names = {str(g.identifier) for g in ours.graphs() if len(g)}
    assert names == set(theirs) and len(names) > 5
    for name, graph in theirs.items():
        assert isomorphic(ours.graph(URIRef(name)), graph), name


def _to_rdflib(term):
    import pyoxigraph
    from rdflib import Literal

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = URIRef(term.datatype.value)
    if str(datatype) == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=datatype)


@pytest.mark.slow
def test_two_builds_are_byte_identical_across_hash_seeds(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "kg.cli", "build", str(CORPUS), "--out", str(out)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        outputs.append(out)
    for name in ("graph.trig", "extract.jsonl", "summary.json", "views/overview.html"):  # graph.ttl: --turtle only
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name
    assert serialize is not None


def test_document_slugs_are_stable_and_distinct_per_format():
    from kg.namespaces import document_slug

    assert document_slug("corpus/000_ca660b9881810a2f.txt") == "000_ca660b9881810a2f"
    assert document_slug("x.pdf") != document_slug("x.docx") != document_slug("x.txt")
    assert document_slug("政策/四川.md", "f" * 64) == "f" * 16 + "-md"


def test_shared_graphs_from_summaries_are_those_of_the_records(records, dataset):
    """The streaming build's entities and discovered graphs (from cached summaries) equal build_dataset's."""
    from kg.graph.summary import DocumentSummary, shared_graphs, summarize

    summaries = [DocumentSummary.from_json(json.loads(json.dumps(summarize(r).to_json()))) for r in records.values()]
    assert summaries == [summarize(r) for r in records.values()]
    shared, _ = shared_graphs(summaries)
    for name in ("entities", "discovered"):
        iri = str(graph_iri(DEFAULT_BASE_IRI, name))
        turtle = dict(shared)[iri]
        assert isomorphic(Graph().parse(data=turtle, format="turtle"), dataset.graph(URIRef(iri))), name


# ---------------------------------------------------------------- genre and announced count


def test_every_document_has_its_genre_as_dcterms_type(dataset, records):
    from rdflib import SKOS
    from rdflib.namespace import DCTERMS

    from kg.namespaces import GENRE

    genres = dataset.graph(graph_iri(DEFAULT_BASE_IRI, "genres"))
    concepts = set(genres.subjects(SKOS.inScheme, GENRE.scheme))
    assert len(concepts) == 7 and all(len(set(genres.objects(c, SKOS.prefLabel))) == 2 for c in concepts)
    for name, rec in records.items():
        doc = URIRef(f"{DEFAULT_BASE_IRI}doc/{name.removesuffix('.txt')}")
        assert list(dataset.objects(doc, DCTERMS.type)) == [GENRE[rec.genre]], name
        assert GENRE[rec.genre] in concepts


def test_announced_count_and_its_evidence_in_the_graph(records):
    import dataclasses

    from rdflib import XSD, Dataset, Literal

    from kg.model import Span

    rec = records["003_84884fd58ce8b034.txt"]
    start = rec.text.index(rec.title or rec.text[:4])
    span = Span(start, start + 2, rec.text[start : start + 2])
    announced = dataclasses.replace(rec, announced_count=12, evidence=dataclasses.replace(rec.evidence, announced=span))
    ds = Dataset()
    g = ds.graph(add_document(ds, announced))
    doc = next(g.subjects(RDF.type, UKG.PolicyDocument))
    assert list(g.objects(doc, UKG.announcedCount)) == [Literal(12, datatype=XSD.nonNegativeInteger)]
    assert URIRef(f"{doc}/span/{span.start}-{span.end}") in set(g.objects(doc, UKG.evidence))
    plain = Dataset()
    g = plain.graph(add_document(plain, dataclasses.replace(rec, announced_count=None)))
    assert not list(g.objects(None, UKG.announcedCount))


def _document_with_genre(*types: URIRef, counts: tuple = ()) -> Graph:
    """A minimal document described as the build does, with the genre scheme beside it."""
    from rdflib import Literal
    from rdflib.namespace import DCTERMS

    g = Graph().parse(ROOT / "ontology" / "genres.ttl", format="turtle")
    doc = URIRef(f"{DEFAULT_BASE_IRI}doc/example")
    g.add((doc, RDF.type, UKG.PolicyDocument))
    g.add((doc, UKG.sourceFile, Literal("example.txt")))
    g.add((doc, UKG.documentKind, Literal("measures")))
    for t in types:
        g.add((doc, DCTERMS.type, t))
    for c in counts:
        g.add((doc, UKG.announcedCount, c))
    return g


def test_shapes_check_the_genre_and_the_announced_count():
    from rdflib import XSD, Literal

    from kg.namespaces import GENRE, PROG

    ok = _document_with_genre(GENRE["news-report"], counts=(Literal(10, datatype=XSD.nonNegativeInteger),))
    conforms, report = validate_graph(ok)
    assert conforms, report
    for bad, word in (
        (_document_with_genre(), "dcterms"),  # no genre
        (_document_with_genre(GENRE.plan, GENRE.notice), "dcterms"),  # two genres
        (_document_with_genre(PROG["cat-culture"]), "dcterms"),  # a concept of another scheme
        (_document_with_genre(GENRE.plan, counts=(Literal(-1, datatype=XSD.integer),)), "announcedCount"),
        (
            _document_with_genre(
                GENRE.plan,
                counts=(Literal(3, datatype=XSD.nonNegativeInteger), Literal(4, datatype=XSD.nonNegativeInteger)),
            ),
            "announcedCount",
        ),
    ):
        conforms, report = validate_graph(bad)
        assert not conforms and word in report, report


def test_a_genre_concept_needs_both_labels():
    from rdflib import SKOS

    from kg.namespaces import GENRE

    g = _document_with_genre(GENRE.interview)
    g.remove((GENRE.interview, SKOS.prefLabel, None))
    conforms, report = validate_graph(g)
    assert not conforms and "prefLabel" in report


def test_a_table_rows_cells_are_the_measures_parts(records):
    """A measure read from a text table keeps its cells by column header: schema:PropertyValue nodes, in order."""
    import dataclasses

    from rdflib import Dataset, Literal

    from kg.namespaces import SCHEMA

    rec = records["003_84884fd58ce8b034.txt"]
    parts = {"工作任务": "建设服务站点", "目标": "新建10个", "责任部门": "服务部"}
    row = dataclasses.replace(rec.measures[0], style="table", parts=parts)
    ds = Dataset()
    g = ds.graph(add_document(ds, dataclasses.replace(rec, measures=(row, *rec.measures[1:]))))
    measure = URIRef(f"{DEFAULT_BASE_IRI}doc/003_84884fd58ce8b034/measure/{row.ordinal}")
    cells = sorted(g.objects(measure, SCHEMA.additionalProperty), key=lambda p: int(g.value(p, UKG.ordinal)))
    assert [(str(g.value(c, SCHEMA.name)), str(g.value(c, SCHEMA.value))) for c in cells] == list(parts.items())
    assert all((c, RDF.type, SCHEMA.PropertyValue) in g for c in cells)
    assert g.value(cells[0], SCHEMA.name) == Literal("工作任务", lang="zh")
    other = URIRef(f"{DEFAULT_BASE_IRI}doc/003_84884fd58ce8b034/measure/{rec.measures[1].ordinal}")
    assert not list(g.objects(other, SCHEMA.additionalProperty))
    union = Graph().parse(ROOT / "ontology" / "genres.ttl", format="turtle")
    for triple in g:
        union.add(triple)
    conforms, report = validate_graph(union)
    assert conforms, report
    union.remove((cells[1], SCHEMA.name, None))
    conforms, report = validate_graph(union)
    assert not conforms and "name" in report
