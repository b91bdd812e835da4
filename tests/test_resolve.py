"""Resolve: issuer and jurisdiction of each document, and bare federation names."""

from __future__ import annotations

from kg.ingest import SourceText, normalize
from kg.pipeline import process_source


def test_jurisdiction_and_issuer_match_gold(gold, records):
    for doc in gold["documents"]:
        rec = records[doc["file"]]
        assert rec.jurisdiction is not None, doc["file"]
        assert rec.jurisdiction["label"].startswith(doc["jurisdiction"])
        if doc.get("issuer"):
            assert rec.issuer and rec.issuer["label"] == doc["issuer"], doc["file"]


def test_bare_provincial_federation_resolves_to_the_documents_province(records):
    rec = records["000_ca660b9881810a2f.txt"]
    bare = [m for m in rec.mentions if m["text"] == "省总工会"]
    assert bare and {m["label"] for m in bare} == {"四川省总工会"}


def test_city_federation_sets_city_and_province():
    text = "# 成都市总工会关于开展劳动竞赛的通知\n\n（一）开展竞赛。成都市总工会组织开展劳动和技能竞赛。\n（二）做好服务。开展送温暖活动。\n"
    rec = process_source(SourceText("chengdu.txt", text, "utf-8", "text/plain"))
    assert rec.issuer["label"] == "成都市总工会"
    assert rec.city["label"] == "成都市"
    assert rec.jurisdiction["label"] == "四川省"


def test_same_entity_one_iri_across_documents(records):
    ids = {m["id"] for r in records.values() for m in r.mentions if m["label"] == "安康杯"}
    assert len(ids) == 1
    assert normalize("安康盃").text == "安康杯"
