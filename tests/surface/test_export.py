"""Exports: the entity graph (GraphML/GEXF for Gephi), JSON-LD with the ontology's context, the TriG
writer, the HTML documentation of the ontology, and `kg export` / `kg docs` on a real build.

Expected values are computed from the extraction records and the Turtle files, never hard-coded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from markupsafe import escape
from rdflib import OWL, RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef

from kg.cli import main
from kg.namespaces import UKG
from kg.surface.export import CONTEXT_PATH, context_text, jsonld_context, load_context, serialize
from kg.surface.network import EDGE_KINDS, NODE_TYPES, entity_graph, network_bytes, xml_safe
from kg.surface.ontodoc import DOC_FILES, anchor, load_doc_graph, render_docs
from kg.surface.query import load_query, result_rows, run_query
from kg.vocab.ontology import ONTOLOGY_DIR

# ---------------------------------------------------------------- helpers


def quads(ds: Dataset) -> set[tuple]:
    """The dataset's quads; numbers compared by value (Turtle writes 10 as 10.0)."""
    out = set()
    for s, p, o, g in ds.quads((None, None, None, None)):
        if isinstance(o, Literal) and isinstance(o.value, (int, float, Decimal)) and not isinstance(o.value, bool):
            o = (o.value, o.datatype)
        out.add((s, p, o, getattr(g, "identifier", g)))
    return out


@pytest.fixture(scope="module")
def graph(dataset) -> nx.MultiDiGraph:
    return entity_graph(dataset)


@pytest.fixture(scope="module")
def programmes(dataset) -> set[str]:
    return {str(s) for s in dataset.subjects(RDF.type, UKG.Programme)}


def _edges(g: nx.MultiDiGraph, kind: str) -> dict[tuple[str, str], dict]:
    return {(u, v): d for u, v, d in g.edges(data=True) if d["kind"] == kind}


# ---------------------------------------------------------------- the entity graph


def test_entity_graph_has_the_corpus_documents_and_jurisdictions(graph, records, dataset):
    by_type = defaultdict(set)
    for node, d in graph.nodes(data=True):
        by_type[d["type"]].add(node)
        assert d["label"] and d["iri"] == node and d["type"] in NODE_TYPES
    docs = {str(s): Path(str(o)).name for s, o in dataset.subject_objects(UKG.sourceFile)}
    assert sorted(docs[n] for n in by_type["document"]) == sorted(records)
    assert by_type["jurisdiction"] == {r.jurisdiction["id"] for r in records.values() if r.jurisdiction}
    expected = {(iri, r.jurisdiction["id"]) for iri, name in docs.items() for r in [records[name]] if r.jurisdiction}
    assert set(_edges(graph, "jurisdiction")) == expected
    labels = {r.jurisdiction["id"]: r.jurisdiction["label"] for r in records.values() if r.jurisdiction}
    assert {n: graph.nodes[n]["label"] for n in by_type["jurisdiction"]} == labels
    issuers = {(iri, records[name].issuer["id"]) for iri, name in docs.items() if records[name].issuer}
    assert set(_edges(graph, "issuer")) == issuers
    assert {d["kind"] for _, _, d in graph.edges(data=True)} == set(EDGE_KINDS)


def test_jurisdiction_programme_edges_weigh_the_mentions(graph, records, programmes, dataset):
    expected = Counter()
    for rec in records.values():
        for m in rec.mentions:
            if rec.jurisdiction and m["type"] == "programme" and m["id"] in programmes:
                expected[(rec.jurisdiction["id"], m["id"])] += 1
    edges = {k: d["weight"] for k, d in _edges(graph, "jurisdiction_mentions").items() if k[1] in programmes}
    assert edges == dict(expected)
    # every jurisdiction that shares a programme (the shared-programmes query) has an edge to it
    shared = result_rows(run_query(dataset, load_query("shared-programmes")))
    assert shared
    by_label = {graph.nodes[n]["label"]: n for n, d in graph.nodes(data=True) if d["type"] == "jurisdiction"}
    for row in shared:
        holders = {by_label[label] for label in row["jurisdictions"].split("、")}
        assert {u for u, _ in graph.in_edges(row["programme"]) if (u, row["programme"]) in edges} == holders
        assert graph.nodes[row["programme"]]["jurisdictions"] == int(row["count"]) == len(holders)
        assert graph.nodes[row["programme"]]["mentions"] == int(row["mentions"])


def test_programmes_carry_their_category_and_curation(graph, dataset, programmes):
    for node, d in graph.nodes(data=True):
        if d["type"] != "programme":
            continue
        tops = [
            c for c in dataset.objects(URIRef(node), SKOS.broader) if (c, RDF.type, UKG.ProgrammeCategory) in dataset
        ]
        if tops:
            assert d["category_iri"] == str(min(tops))
            assert graph.nodes[d["category_iri"]]["label"] == d["category"]
            assert all((node, str(t)) in _edges(graph, "broader") for t in tops)
        curated = (URIRef(node), UKG.curated, Literal(False)) not in dataset
        assert d["curated"] is curated
        if curated:
            assert d["label_en"]


def test_co_occurrence_edges_count_shared_measures(graph, records, programmes):
    expected = Counter()
    for rec in records.values():
        by_measure = defaultdict(set)
        for m in rec.mentions:
            if m.get("measure") is not None and m["id"] in programmes:
                by_measure[m["measure"]].add(m["id"])
        for ids in by_measure.values():
            for a, b in combinations(sorted(ids), 2):
                expected[(a, b)] += 1
    got = {k: d["weight"] for k, d in _edges(graph, "co_occurs").items() if k[1] in programmes}
    assert got == dict(expected)
    assert all(a < b for a, b in got)


def test_edges_and_nodes_are_sorted_and_keys_stable(graph):
    order = {t: i for i, t in enumerate(NODE_TYPES)}
    nodes = list(graph.nodes(data=True))
    assert nodes == sorted(nodes, key=lambda nd: (order[nd[1]["type"]], nd[0]))
    keys = [k for _, _, k in graph.edges(keys=True)]
    assert sorted(keys, key=lambda k: int(k[1:])) == [f"e{i}" for i in range(graph.number_of_edges())]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_with_networkx(graph, tmp_path, fmt):
    data = network_bytes(graph, fmt)
    assert data == network_bytes(graph, fmt)
    assert b"lastmodifieddate" not in data
    path = tmp_path / f"entities.{fmt}"
    path.write_bytes(data)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    for node, d in graph.nodes(data=True):
        assert back.nodes[node]["label"] == d["label"]
        assert back.nodes[node]["type"] == d["type"]
    got = Counter((u, v, d["kind"], int(d["weight"])) for u, v, d in back.edges(data=True))
    assert got == Counter((u, v, d["kind"], d["weight"]) for u, v, d in graph.edges(data=True))


def test_xml_illegal_characters_are_stripped(tmp_path):
    bad = "四川\x01省\x0b总工会\u200f\ufffe 措施\u202e"
    assert xml_safe(bad) == "四川省总工会\u200f 措施\u202e"
    ds = Dataset(default_union=True)
    g = ds.graph(URIRef("urn:x:graph"))
    doc, place = URIRef("urn:x:doc"), URIRef("https://w3id.org/unionkg/place/x")
    g.add((doc, RDF.type, UKG.PolicyDocument))
    g.add((doc, URIRef("http://purl.org/dc/terms/title"), Literal(bad, lang="zh")))
    g.add((doc, UKG.jurisdiction, place))
    g.add((place, SKOS.prefLabel, Literal("某\x07地", lang="zh")))
    eg = entity_graph(ds)
    assert eg.number_of_nodes() == 2 and eg.number_of_edges() == 1
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"x.{fmt}"
        path.write_bytes(network_bytes(eg, fmt))
        back = reader(path)
        assert back.nodes["urn:x:doc"]["label"] == xml_safe(bad)
        assert back.nodes[str(place)]["label"] == "某地"


@pytest.mark.slow
def test_exports_are_byte_identical_across_hash_seeds(built_out, tmp_path):
    outputs = []
    for seed, fmt in (("1", "graphml"), ("2", "graphml"), ("3", "gexf"), ("4", "gexf")):
        target = tmp_path / f"{seed}.{fmt}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        code = "from kg.cli import main; main()"
        args = [sys.executable, "-c", code, "export", "--format", fmt, "--out", str(built_out), "-o", str(target)]
        subprocess.run(args, check=True, env=env, capture_output=True)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] and outputs[2] == outputs[3]


# ---------------------------------------------------------------- RDF serialisations


@pytest.mark.slow
def test_trig_round_trips_multiline_literals(dataset):
    original = quads(dataset)
    multiline = [o for _, _, o, _ in dataset.quads((None, None, None, None)) if isinstance(o, Literal) and "\n" in o]
    assert multiline, "the demo corpus has quotes that span lines"
    back = Dataset()
    back.parse(data=serialize(dataset, "trig"), format="trig")
    assert quads(back) == original


@pytest.mark.slow
def test_jsonld_is_compact_and_round_trips_to_the_trig(dataset):
    text = serialize(dataset, "jsonld")
    data = json.loads(text)
    assert data["@context"] == load_context()
    assert '"@type": "PolicyDocument"' in text and '"jurisdiction": "place:' in text
    back = Dataset()
    back.parse(data=text, format="json-ld")
    trig = Dataset()
    trig.parse(data=serialize(dataset, "trig"), format="trig")
    assert quads(back) == quads(trig) == quads(dataset)
    assert serialize(dataset, "jsonld") == text


def test_context_file_is_generated_from_the_ontology():
    assert CONTEXT_PATH.read_text(encoding="utf-8") == context_text()
    onto = Graph().parse(ONTOLOGY_DIR / "unionkg.ttl", format="turtle")
    ctx = jsonld_context()
    ukg = str(UKG._NS)
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in onto.subjects(RDF.type, kind):
            if str(term).startswith(ukg):
                name = str(term)[len(ukg) :]
                defined = ctx[name] if kind == OWL.Class else ctx[name]["@id"]
                assert defined == f"ukg:{name}"
                if kind == OWL.ObjectProperty:
                    assert ctx[name]["@type"] == "@id"
    for prefix in ("skos", "oa", "org", "schema", "dcterms", "xsd", "prog", "place", "grp"):
        assert ctx[prefix].startswith("http")
    assert not any(isinstance(v, str) and v.startswith("https://w3id.org/unionkg/id/") for v in ctx.values())


# ---------------------------------------------------------------- HTML documentation


def _documented(folder: Path) -> dict[URIRef, Graph]:
    """Every class, property and scheme concept the Turtle files of `folder` define."""
    out = {}
    for name in DOC_FILES:
        g = Graph().parse(folder / name, format="turtle")
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme):
            for s in g.subjects(RDF.type, kind):
                if kind == SKOS.ConceptScheme or str(s).startswith(str(UKG._NS)):
                    out[s] = g
        for s in g.subjects(SKOS.inScheme, None):
            out[s] = g
    return out


def test_docs_list_every_class_property_and_concept():
    page = render_docs(load_doc_graph())
    terms = _documented(ONTOLOGY_DIR)
    assert len(terms) > 200
    curies = load_doc_graph().namespace_manager
    for iri, g in terms.items():
        prefix, _, local = curies.compute_qname(str(iri))
        assert f'id="{anchor(f"{prefix}:{local}")}"' in page, iri
        for p in (SKOS.prefLabel, RDFS.label, SKOS.altLabel, SKOS.definition, SKOS.example):
            for value in g.objects(iri, p):
                assert escape(str(value)) in page, (iri, p, value)
    examples = [o for g in {id(g): g for g in terms.values()}.values() for o in g.objects(None, SKOS.example)]
    assert len(examples) >= 10


def test_docs_escape_text_and_load_nothing(tmp_path):
    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, folder)
    evil = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    with open(folder / "programme_scheme.ttl", "a", encoding="utf-8") as fh:
        fh.write(f'\nprog:ankang-cup skos:altLabel {json.dumps(evil)}@zh ; skos:example "a</td><td>b"@zh .\n')
    page = render_docs(load_doc_graph(folder))
    assert escape(evil) in page
    assert "alert(" not in page.replace(escape(evil), "")
    assert page.count("<script") == 1 and "<img" not in page and "a</td><td>b" not in page
    for external in ('src="', "src=", 'href="http', "href='http", "url(", "@import", "//cdn"):
        assert external not in page.replace(escape(evil), ""), external
    assert '<meta charset="utf-8">' in page


# ---------------------------------------------------------------- the command line


@pytest.mark.slow
def test_cli_export_graphml_and_gexf(built_out, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--format", "graphml", "--out", str(built_out)])
    assert result.exit_code == 0, result.output
    path = built_out / "export" / "entities.graphml"
    g = nx.read_graphml(path)
    assert f"wrote {path} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)" in result.output
    jurisdictions = {n for n, d in g.nodes(data=True) if d["type"] == "jurisdiction"}
    assert len(jurisdictions) == 4
    result = runner.invoke(main, ["export", "--format", "gexf", "--out", str(built_out), "-o", "-"])
    assert result.exit_code == 0
    assert result.output.startswith("<?xml") and "<gexf" in result.output


def test_cli_docs_with_corpus_counts(built_out, tmp_path):
    target = tmp_path / "docs" / "index.html"
    result = CliRunner().invoke(main, ["docs", "--out", str(built_out), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "with corpus counts" in result.output
    page = target.read_text(encoding="utf-8")
    assert "<th>in the corpus</th>" in page and "安康杯" in page
    bare = CliRunner().invoke(main, ["docs", "--out", str(tmp_path / "nowhere"), "-o", str(tmp_path / "d.html")])
    assert bare.exit_code == 0 and "corpus counts" not in bare.output
    assert "<th>in the corpus</th>" not in (tmp_path / "d.html").read_text(encoding="utf-8")
