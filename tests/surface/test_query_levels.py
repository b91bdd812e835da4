"""The shared and unique queries at each level (#14), on rdflib and on Oxigraph, over tests/data/levels/:
two 朝阳区 federations (Beijing's and Changchun's) and the ACFTU, each with 安康杯."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from kg.graph.build import build_dataset
from kg.pipeline.components import process_file
from kg.surface.query import load_query, parse_params, result_rows, run_query

LEVELS = Path(__file__).resolve().parents[1] / "data" / "levels"
PROG = "https://w3id.org/unionkg/programme/"
PLACE = "https://w3id.org/unionkg/place/"


@pytest.fixture(scope="module")
def dataset():
    return build_dataset([process_file(p) for p in sorted(LEVELS.glob("*.txt"))])


@pytest.fixture(scope="module")
def oxstore(dataset, tmp_path_factory):
    ox = pytest.importorskip("pyoxigraph")
    path = tmp_path_factory.mktemp("levels") / "graph.trig"
    dataset.serialize(path, format="trig")
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TRIG)
    return store


def _split(value):
    return tuple(sorted(value.split("、"))) if value else ()


def _rows(dataset, oxstore, name, *params):
    """The query's rows on rdflib (as dicts), after checking that Oxigraph gives the same ones."""
    import pyoxigraph as ox

    q = load_query(name)
    bindings = parse_params(params, q)
    ours = result_rows(run_query(dataset, q, bindings=bindings))
    subs = {
        ox.Variable(k): ox.NamedNode(str(v)) if isinstance(v, URIRef) else ox.Literal(str(v))
        for k, v in bindings.items()
    }
    solutions = oxstore.query(q.text, use_default_graph_as_union=True, substitutions=subs)
    names = [v.value for v in solutions.variables]
    theirs = [{n: (None if c is None else c.value) for n, c in zip(names, row, strict=True)} for row in solutions]

    def canon(rows):
        return sorted(tuple((k, _split(v) if v and "、" in v else v) for k, v in sorted(r.items())) for r in rows)

    assert canon(ours) == canon(theirs)
    return ours


def test_shared_programmes_group_by_province_by_default_with_the_counties_visible(dataset, oxstore):
    rows = _rows(dataset, oxstore, "shared-programmes")
    assert [(r["label"], r["count"], r["documents"]) for r in rows] == [("安康杯", "3", "3")]
    assert _split(rows[0]["jurisdictions"]) == ("中国", "北京市", "吉林省")
    assert _split(rows[0]["localJurisdictions"]) == ("中国", "北京市朝阳区", "长春市朝阳区")


def test_shared_programmes_at_the_county_level_count_the_two_chaoyang_districts(dataset, oxstore):
    rows = _rows(dataset, oxstore, "shared-programmes", "level=county")
    assert [(r["label"], r["count"], r["documents"], r["level"]) for r in rows] == [("安康杯", "2", "2", "county")]
    assert _split(rows[0]["jurisdictions"]) == ("北京市朝阳区", "长春市朝阳区")
    assert _rows(dataset, oxstore, "shared-programmes", "level=city") == []  # one city-level document only


def test_unique_programmes_list_local_brands_under_their_jurisdiction(dataset, oxstore):
    by_province = {(r["label"], r["jurisdictionLabel"]) for r in _rows(dataset, oxstore, "unique-programmes")}
    assert {("朝阳工匠", "北京市"), ("金秋助学", "北京市"), ("职工职业技能竞赛", "中国")} <= by_province
    counties = _rows(dataset, oxstore, "unique-programmes", "level=county")
    found = {(r["label"], r["jurisdiction"], r["localJurisdictions"]) for r in counties}
    assert ("朝阳工匠", PLACE + "110105", "北京市朝阳区") in found  # a discovered local brand (X工匠)
    assert ("金秋助学", PLACE + "110105", "北京市朝阳区") in found
    assert all(r["level"] == "county" for r in counties)
    assert "职工职业技能竞赛" not in {r["label"] for r in counties}  # the national document has no county
    one = _rows(dataset, oxstore, "unique-programmes", "level=county", f"jurisdiction={PLACE}220104")
    assert {r["jurisdiction"] for r in one} == {PLACE + "220104"} and one
