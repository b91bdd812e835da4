"""Resolve: issuer and jurisdiction of each document, and bare federation names."""

from __future__ import annotations

from kg.ingest.decode import SourceText
from kg.namespaces import ORGS
from kg.pipeline.components import process_source
from kg.text.normalize import normalize


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


SICHUAN_NOTICE = (
    "# 四川省总工会关于做好服务工作的通知\n\n（一）加强协作。联合四川省人社厅、省人社厅和人社部门，落实省委省政府部署，"
    "省总工会女职工委员会牵头。\n（二）做好服务。新建劳模和工匠人才创新工作室150家，服务户外劳动者超过100万人次。\n"
)


def _orgs(text: str) -> dict[str, str]:
    rec = process_source(SourceText("notice.txt", text, "utf-8", "text/plain"))
    return {m["text"]: m["id"] for m in rec.mentions if m["type"] == "organisation"}


def test_prefixed_and_bare_departments_resolve_to_one_body():
    orgs = _orgs(SICHUAN_NOTICE)
    hrss = f"{ORGS}sichuan/hrss"
    assert orgs["四川省人社厅"] == orgs["省人社厅"] == orgs["人社部门"] == hrss
    assert orgs["省委"] == f"{ORGS}sichuan/party-committee"
    assert orgs["省政府"] == f"{ORGS}sichuan/government"
    assert orgs["省总工会女职工委员会"] == f"{ORGS}sichuan-ftu/women-workers-committee"


def test_traditional_text_resolves_to_the_same_entities():
    from opencc import OpenCC

    traditional = OpenCC("s2t").convert(SICHUAN_NOTICE)
    assert traditional != SICHUAN_NOTICE
    simplified = process_source(SourceText("s.txt", SICHUAN_NOTICE, "utf-8", "text/plain"))
    converted = process_source(SourceText("t.txt", traditional, "utf-8", "text/plain"))
    assert [(m["type"], m["id"]) for m in simplified.mentions] == [(m["type"], m["id"]) for m in converted.mentions]
    assert converted.issuer == simplified.issuer and converted.jurisdiction == simplified.jurisdiction


def test_bare_bodies_in_the_corpus_take_the_documents_jurisdiction(records):
    sichuan = {
        m["text"]: m["label"] for m in records["000_ca660b9881810a2f.txt"].mentions if m["type"] == "organisation"
    }
    assert sichuan["省委"] == "四川省委"
    assert sichuan["发改"] == "四川省发展和改革委员会"
    assert sichuan["省财政"] == "四川省财政厅"
    chongqing = [m for m in records["002_2aaf79a3e9149368.txt"].mentions if m["text"] == "市人社局"]
    assert [m["id"] for m in chongqing] == [f"{ORGS}chongqing/hrss"]
    yunnan = {m["label"] for m in records["004_2ba259b3f4eff141.txt"].mentions if m["type"] == "organisation"}
    assert {"云南省委", "云南省人大常委会", "云南省总工会"} <= yunnan


def test_department_of_a_federation_is_its_sub_organisation():
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS

    from kg.graph.build import build_dataset
    from kg.namespaces import DEFAULT_BASE_IRI, ORG, SCHEMA, graph_iri

    rec = process_source(SourceText("notice.txt", SICHUAN_NOTICE, "utf-8", "text/plain"))
    g = build_dataset([rec]).graph(graph_iri(DEFAULT_BASE_IRI, "entities"))
    dept = URIRef(f"{ORGS}sichuan-ftu/women-workers-committee")
    assert (dept, ORG.subOrganizationOf, URIRef(f"{ORGS}sichuan-ftu")) in g
    hrss = URIRef(f"{ORGS}sichuan/hrss")
    assert (hrss, SCHEMA.areaServed, URIRef("https://w3id.org/unionkg/place/sichuan")) in g
    assert (hrss, DCTERMS.type, URIRef(f"{ORGS}kind-hrss")) in g
    assert not list(g.objects(hrss, ORG.subOrganizationOf))


def test_quantities_are_linked_to_what_they_count(records):
    from kg.namespaces import GRP, PROG

    rec = process_source(SourceText("notice.txt", SICHUAN_NOTICE, "utf-8", "text/plain"))
    linked = {q["text"]: q["counts_id"] for q in rec.quantities}
    assert linked["150家"] == str(PROG["innovation-studio"])
    assert linked["超过100万人次"] == str(GRP["outdoor-workers"])
    chongqing = {q["text"]: q["counts_id"] for q in records["002_2aaf79a3e9149368.txt"].quantities}
    assert chongqing["150家"] == str(PROG["innovation-studio"])  # 新建市级以上劳模和工匠人才创新工作室150家
    assert chongqing["10所"] == str(PROG["chongqing-craftsman-academy"])


def test_counts_fall_back_to_the_nearest_concept_in_the_clause():
    from kg.namespaces import PROG

    text = "网上“安康杯”竞赛参与职工数超过500万人次；线上线下覆盖职工群众500万人次。"
    rec = process_source(SourceText("q.txt", "# 通知\n\n（一）开展竞赛。" + text + "\n", "utf-8", "text/plain"))
    by_text = {q["text"]: q["counts_id"] for q in rec.quantities}
    assert by_text["超过500万人次"] == str(PROG["ankang-cup"])
    assert by_text["500万人次"] is None  # 职工群众 is no concept, and no concept precedes it in its clause
