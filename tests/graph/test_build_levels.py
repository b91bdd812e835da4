"""Levels in the graph (#14): each document's county and level, and the federations' org:subOrganizationOf
chain up to the ACFTU, over tests/data/levels/."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, URIRef

from kg.graph.build import build_dataset
from kg.ingest.decode import SourceText
from kg.namespaces import LEVEL, ORG, UKG
from kg.pipeline.components import process_file, process_source

LEVELS = Path(__file__).resolve().parents[1] / "data" / "levels"
ORGS = "https://w3id.org/unionkg/org/"
PLACE = "https://w3id.org/unionkg/place/"


def test_documents_carry_their_level_and_county_and_federations_chain_to_the_acftu():
    records = [process_file(p) for p in sorted(LEVELS.glob("*.txt"))]
    ds = build_dataset(records)
    levels = {str(d): str(lv) for d, lv in ds.subject_objects(UKG.jurisdictionLevel)}
    assert sorted(levels.values()) == sorted([str(LEVEL.county), str(LEVEL.county), str(LEVEL.national)])
    counties = {str(c) for c in ds.objects(None, UKG.countyJurisdiction)}
    assert counties == {PLACE + "110105", PLACE + "220104"}

    def parent(iri: str) -> str:
        return str(next(ds.objects(URIRef(iri), ORG.subOrganizationOf)))

    assert parent(ORGS + "220104-ftu") == ORGS + "changchun-ftu"
    assert parent(ORGS + "changchun-ftu") == ORGS + "jilin-ftu"
    assert parent(ORGS + "jilin-ftu") == ORGS + "acftu"
    assert parent(ORGS + "110105-ftu") == ORGS + "beijing-ftu"  # a municipality's district
    assert (URIRef(ORGS + "jilin-ftu"), RDF.type, UKG.UnionFederation) in ds


def test_an_industry_union_is_typed_and_part_of_its_areas_federation():
    text = "山东省交通工会\n\n山东省交通工会关于印发《工作要点》的通知\n\n一、开展“安康杯”竞赛。\n"
    rec = process_source(SourceText(path="x.txt", text=text, encoding="utf-8", media_type="text/plain"))
    ds = build_dataset([rec])
    union = URIRef(ORGS + "shandong/transport-union")
    assert (union, RDF.type, UKG.IndustryUnion) in ds
    assert (union, ORG.subOrganizationOf, URIRef(ORGS + "shandong-ftu")) in ds
    assert (URIRef(ORGS + "shandong-ftu"), ORG.subOrganizationOf, URIRef(ORGS + "acftu")) in ds
