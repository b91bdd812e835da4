"""The Python API (kg.open, kg.extract; kg/surface/api.py) on the demo build: DataFrames with the library
query's columns and rows, typed; the entity graph for networkx; the `kg extract` record; errors as exceptions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset

import kg
from kg.cli import main
from kg.errors import ConfigError, IngestError, QueryError, ReportError
from kg.surface.network import entity_graph
from kg.surface.query import load_query, parse_params, result_rows, run_query

pd = pytest.importorskip("pandas")

ROOT = Path(__file__).resolve().parents[2]
SICHUAN_PLAN = ROOT / "corpus" / "000_ca660b9881810a2f.txt"


@pytest.fixture(scope="module")
def graph(built_out):
    return kg.open(built_out)


def test_the_api_is_in_kg_all_and_import_kg_stays_cheap():
    assert {"open", "extract", "KnowledgeGraph"} <= set(kg.__all__)
    code = "import sys, kg; print(sorted(m for m in ('rdflib', 'pandas', 'kg.surface', 'spacy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
    with pytest.raises(AttributeError):
        kg.no_such_name  # noqa: B018


def test_open_gives_the_dataset_over_the_store(graph, built_out):
    assert isinstance(graph.dataset, Dataset)
    assert type(graph.dataset.store).__name__ == "OxigraphStore"
    memory = kg.open(built_out, use_store=False)
    assert type(memory.dataset.store).__name__ != "OxigraphStore" and len(memory.dataset) > 10_000
    assert "shared-programmes" in graph.queries()


def test_a_library_query_by_name_returns_its_columns_and_rows(graph):
    df = graph.query("shared-programmes", minJurisdictions=3)
    q = load_query("shared-programmes")
    result = run_query(graph.dataset, q, bindings=parse_params(["minJurisdictions=3"], q))
    rows = result_rows(result)
    assert list(df.columns) == [str(v) for v in result.vars]
    assert len(df) == len(rows) >= 10
    assert df["programme"].tolist() == [r["programme"] for r in rows]  # IRIs as str, in the query's order
    assert df["count"].dtype == "Int64" and (df["count"] >= 3).all()
    assert df["count"].tolist() == [int(r["count"]) for r in rows]
    assert {"五小", "求学圆梦", "安康杯"} <= set(df["label"])
    assert df["minJurisdictions"].tolist() == [3] * len(df)


def test_inline_sparql_gives_typed_columns(graph):
    df = graph.query(
        "SELECT ?doc ?date ?measures WHERE { ?doc a ukg:PolicyDocument ; dcterms:date ?date . "
        "{ SELECT ?doc (COUNT(?m) AS ?measures) WHERE { ?doc ukg:hasMeasure ?m } GROUP BY ?doc } } ORDER BY ?doc"
    )
    assert str(df["date"].dtype).startswith("datetime64")
    assert sorted(df["date"].dt.year) == [2023, 2023, 2023, 2024]  # the demo documents with numbered measures
    assert df["measures"].dtype == "Int64" and df["measures"].sum() == 47
    assert all(isinstance(d, str) and d.startswith("https://w3id.org/unionkg/id/doc/") for d in df["doc"])
    money = graph.query("money-by-jurisdiction", jurisdiction="place:sichuan")
    assert any(str(t).startswith(("Float", "Int")) for t in money.dtypes)


def test_to_networkx_is_the_entity_graph_of_jurisdictions_programmes_and_groups(graph):
    G = graph.to_networkx()
    types = {d["type"] for _, d in G.nodes(data=True)}
    assert types == {"jurisdiction", "programme", "target_group"}
    assert sum(1 for _, d in G.nodes(data=True) if d["type"] == "jurisdiction") == 4
    kinds = {d["kind"] for *_, d in G.edges(data=True)}
    assert kinds == {"jurisdiction_mentions", "co_occurs", "broad_match"}
    full = entity_graph(graph.dataset)
    assert set(G) == {n for n, d in full.nodes(data=True) if d["type"] in types}
    assert G.has_edge("https://w3id.org/unionkg/place/sichuan", "https://w3id.org/unionkg/programme/ankang-cup")
    assert graph.to_networkx(kinds=None).number_of_nodes() == full.number_of_nodes()


def test_extract_is_the_record_kg_extract_prints():
    rec = kg.extract(SICHUAN_PLAN)
    printed = CliRunner().invoke(main, ["extract", str(SICHUAN_PLAN)])
    assert printed.exit_code == 0
    assert rec == json.loads(printed.output)
    assert rec["jurisdiction"]["label"] == "四川省" and len(rec["measures"]) == 12


def test_errors_are_the_clis_one_line_errors(graph, tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match=r"^\[E301\] .*run `kg build` first"):
        kg.open(tmp_path)
    with pytest.raises(IngestError, match=r"^\[E105\]"):
        kg.extract(tmp_path / "missing.txt")
    with pytest.raises(QueryError, match=r"^\[E201\] no query named 'no-such-query'"):
        graph.query("no-such-query")
    with pytest.raises(QueryError, match=r"^\[E206\]"):
        graph.query("shared-programmes", bogus=1)
    with pytest.raises(ReportError, match=r"^\[E707\]"):
        graph.query("ASK { ?s ?p ?o }")
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if the extra were not installed
    with pytest.raises(ReportError, match=r"^\[E706\] pandas is not installed: pip install 'unionkg\[pandas\]'"):
        graph.query("shared-programmes")
    assert graph.result("shared-programmes").type == "SELECT"  # the rest works without pandas


def test_report_through_the_api(graph):
    brief = graph.report("四川省")
    assert brief.place.slug == "sichuan" and brief.level == "province"
    assert {r["label"] for r in brief.shared} >= {"安康杯", "五小"}
    assert "川工带川货" in {r["label"] for r in brief.unique}
