"""Issuers and jurisdictions at every level (#14): national, province, city, county, industry unions.

The documents are in tests/data/levels/ (written for these tests) and ../shared/dev/ (the development set).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingest.decode import SourceText
from kg.pipeline.components import process_file, process_source

LEVELS = Path(__file__).resolve().parents[1] / "data" / "levels"
DEV = Path(__file__).resolve().parents[2].parent / "shared" / "dev" / "docs"
PLACE = "https://w3id.org/unionkg/place/"
ORGS = "https://w3id.org/unionkg/org/"


def _record(text: str):
    return process_source(SourceText(path="x.txt", text=text, encoding="utf-8", media_type="text/plain"))


def test_a_shared_county_name_resolves_in_each_province_by_context():
    beijing = process_file(LEVELS / "beijing_chaoyang_2025.txt")
    changchun = process_file(LEVELS / "changchun_chaoyang_2025.txt")
    # both titles say only 朝阳区总工会; the rest of each text names its city or province
    assert beijing.issuer.id == ORGS + "110105-ftu" and beijing.issuer.label == "北京市朝阳区总工会"
    assert changchun.issuer.id == ORGS + "220104-ftu" and changchun.issuer.label == "长春市朝阳区总工会"
    assert (beijing.jurisdiction.id, beijing.county.id, beijing.level) == (
        PLACE + "beijing",
        PLACE + "110105",
        "county",
    )
    assert (changchun.jurisdiction.id, changchun.city.id, changchun.county.id) == (
        PLACE + "jilin",
        PLACE + "changchun",
        PLACE + "220104",
    )
    assert beijing.evidence.issuer.text == "朝阳区总工会"


def test_a_shared_county_name_without_context_is_not_guessed():
    rec = _record("鼓楼区总工会关于开展职工服务月活动的通知\n\n一、开展“安康杯”竞赛。组织企业参加。\n")
    assert rec.issuer is None  # 鼓楼区 is in Nanjing, Xuzhou, Fuzhou and Kaifeng: never the first match
    assert not [m for m in rec.mentions if m.type == "organisation" and "鼓楼区" in m.text]


def test_a_unique_county_name_resolves_alone():
    rec = _record("义乌市总工会关于做好职工服务工作的通知\n\n一、推进“安康杯”竞赛。市总工会组织企业参加。\n")
    assert rec.issuer.label == "义乌市总工会" and rec.level == "county"
    assert (rec.jurisdiction.label, rec.city.label, rec.county.label) == ("浙江省", "金华市", "义乌市")
    bare = next(m for m in rec.mentions if m.type == "organisation" and m.text == "市总工会")
    assert bare.label == "义乌市总工会"  # a county-level city's bare 市总工会 is its own


def test_the_national_federation_is_national_whatever_province_it_mentions():
    rec = process_file(LEVELS / "national_acftu_2025.txt")
    assert rec.issuer.id == ORGS + "acftu"
    assert (rec.jurisdiction.id, rec.level, rec.city) == (PLACE + "china", "national", None)


def test_an_industry_union_is_the_issuer_with_its_areas_jurisdiction():
    rec = _record(
        "江苏省教育工会\n\n江苏省教育工会关于印发《2026年工作要点》的通知\n\n各市教育工会：\n\n"
        "一、开展“安康杯”竞赛。省教育工会组织各校参加。\n"
    )
    assert rec.issuer.id == ORGS + "jiangsu/education-union" and rec.issuer.label == "江苏省教育工会"
    assert (rec.jurisdiction.label, rec.level) == ("江苏省", "province")
    bare = next(m for m in rec.mentions if m.text == "省教育工会")
    assert bare.id == ORGS + "jiangsu/education-union"


def test_a_headline_x_union_is_xs_federation():
    rec = _record("湖北工会推进职工服务三年行动方案\n\n一、开展“安康杯”竞赛。组织企业参加。\n")
    assert rec.issuer.id == ORGS + "hubei-ftu" and rec.issuer.label == "湖北省总工会"


def test_an_interview_and_a_source_line_name_the_issuer():
    interview = _record(
        "当好职工娘家人\n——访南宁市总工会相关负责人\n\n记者：今年有哪些实事？\n\n答：第一，开展“安康杯”竞赛。\n"
    )
    assert interview.issuer.label == "南宁市总工会" and interview.level == "city"
    sourced = _record(
        "职工服务月活动启动\n\n2025-03-01 09:00　来源：洛阳市总工会\n\n本月，全市工会开展“安康杯”竞赛，覆盖职工1万人。\n"
    )
    assert sourced.issuer.label == "洛阳市总工会"
    assert sourced.evidence.issuer.text == "洛阳市总工会"


@pytest.mark.skipif(not DEV.exists(), reason="the development set is not next to the repository")
def test_development_set_issuers_at_every_level():
    found = {p.name: process_file(p) for p in sorted(DEV.glob("*.txt"))}
    assert found["24_dalian.txt"].issuer.label == "大连市甘井子区总工会"
    assert found["32_yiwu.txt"].issuer.label == "义乌市总工会"
    assert found["30_qingdao.txt"].issuer.label == "山东省交通工会"
    assert found["26_heilongjiang.txt"].issuer.label == "黑龙江省总工会"  # 黑龙江工会 in the headline
    assert found["28_xiamen.txt"].issuer.label == "厦门市总工会"  # ——访厦门市总工会相关负责人
    levels = {name: rec.level for name, rec in found.items()}
    assert levels["24_dalian.txt"] == levels["32_yiwu.txt"] == "county"
    assert levels["27_hefei.txt"] == "city" and levels["25_jilin.txt"] == "province"


def test_a_bare_district_federation_is_the_countys_own_only_in_a_countys_document():
    county = process_file(LEVELS / "beijing_chaoyang_2025.txt")
    bare = [m for m in county.mentions if m.text == "区总工会"]
    assert bare and {m.id for m in bare} == {ORGS + "110105-ftu"}
    city = _record("南宁市总工会关于开展职工服务月活动的通知\n\n一、各区总工会开展“安康杯”竞赛。\n")
    assert not [m for m in city.mentions if m.text == "区总工会"]  # which district's? not guessed


def test_the_issuers_area_decides_what_bare_names_mean():
    national = _record(
        "中华全国总工会关于做好职工服务工作的通知\n\n各省总工会：\n\n一、江苏省、浙江省、江苏省的经验要推广，"
        "机关工会要带头开展“安康杯”竞赛。\n"
    )
    assert national.level == "national"
    assert not [m for m in national.mentions if m.text in ("省总工会", "机关工会")]  # whose? none in particular
    district = _record(
        "舟山市普陀区总工会关于开展职工服务月活动的通知\n\n一、区级机关工会开展“安康杯”竞赛。区总工会组织。\n"
    )
    body = next(m for m in district.mentions if m.text == "区级机关工会")
    assert body.id == ORGS + "330903/organs-union" and body.label == "舟山市普陀区机关工会"
