"""`kg report` (jurisdiction briefs, kg/surface/report.py) on the demo build, and the timeline (the
programme-timeline and jurisdiction-changes queries, timeline.html) on a corpus of two years and two levels:
tests/data/timeline/ (Chengdu 2022 and 2023, Mianyang 2023, Chongqing 2022 and 2024; see its README)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.surface.query import load_query, parse_params, result_rows, run_query
from tests.conftest import build_like_the_cli

TIMELINE = Path(__file__).resolve().parents[1] / "data" / "timeline"
PLACE = "https://w3id.org/unionkg/place/"
PROGRAMME_TABLE = "| programme | category | mentions | documents | others | shared with |"


def report(out: Path, *args: str):
    return CliRunner().invoke(main, ["report", *args, "--out", str(out)])


def test_kg_report_sichuan_prints_the_brief_with_its_programme_table(built_out):
    result = report(built_out, "sichuan", "--format", "md")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("# 四川省 · 简报 brief\n")
    for heading in ("## 文件 Documents", "## 共有工作品牌 Shared programmes", "## 独有工作品牌 Unique programmes",
                    "## 目标 Targets", "## 资金 Money (元)", "## 服务对象 Target groups",
                    "## 计划与完成 Planned vs reported"):  # fmt: skip
        assert f"\n{heading}\n" in text, heading
    assert PROGRAMME_TABLE in text
    assert "| 安康杯 | 安全生产与职业健康 | 2 | 2 | 3 | 云南省、重庆市、陕西省 |" in text
    unique = text.split("## 独有工作品牌")[1].split("## 目标")[0]
    assert "| 川工带川货 |" in unique and "安康杯" not in unique
    assert "| 2023 | 方案措施 plan or measures | 四川省总工会助力经济发展“开门红” 十二条措施 | 12 |" in text
    assert "300 元/人" in text and "| 每年 |" in text  # a target with its period and quote
    assert "| 元 |" in text.split("## 计划与完成")[1]


@pytest.mark.parametrize("name", ["四川", "四川省", "Sichuan", "place:sichuan", PLACE + "sichuan"])
def test_a_place_is_named_by_slug_label_or_iri(built_out, name):
    assert report(built_out, name).output == report(built_out, "sichuan").output


def test_an_unknown_place_is_one_line_with_close_matches(built_out):
    result = report(built_out, "sichaun")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith(
        "error: [E701] no jurisdiction 'sichaun' in the graph; close matches: 四川省 (sichuan"
    )


def test_a_level_without_documents_is_one_line(built_out):
    for args in (["sichuan", "--level", "city"], ["sichuan", "--level", "county"], ["成都"]):
        result = report(built_out, *args)
        assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
        assert "[E703]" in result.output and "no documents at the" in result.output
    assert report(built_out, "sichuan", "--level", "town").exit_code == 2  # click's choice


def test_csv_has_one_row_per_item(built_out):
    rows = list(csv.DictReader(io.StringIO(report(built_out, "chongqing", "--format", "csv").output)))
    sections = {r["section"] for r in rows}
    assert sections == {"documents", "shared", "unique", "target", "money", "group", "planned"}
    assert [r["name"] for r in rows if r["section"] == "documents"] == ["重庆工会“十件实事”总体实施方案出炉"]
    assert any(r["name"] == "渝工港湾" for r in rows if r["section"] == "unique")
    assert all(r["quote"] for r in rows if r["section"] in ("target", "money"))


def test_html_is_the_views_page(built_out, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built_out, out, ignore=shutil.ignore_patterns("cache"))
    built = (out / "views" / "report-yunnan.html").read_bytes()
    result = report(out, "云南", "--format", "html")
    assert result.output == f"wrote {out / 'views' / 'report-yunnan.html'}\n"
    assert (out / "views" / "report-yunnan.html").read_bytes() == built  # what `kg build` wrote
    page = built.decode("utf-8")
    assert "<script" not in page and 'href="lib/report.css"' in page and "@media print" not in page
    assert 'href="jurisdiction-yunnan.html"' in page and 'href="programme-ankang-cup.html"' in page


def test_the_brief_pages_are_linked_from_index_and_the_jurisdiction_page(built_out):
    views = built_out / "views"
    index = (views / "index.html").read_text(encoding="utf-8")
    for slug in ("sichuan", "chongqing", "shaanxi", "yunnan"):
        assert (views / f"report-{slug}.html").is_file()
        assert f'href="report-{slug}.html"' in index
        page = (views / f"jurisdiction-{slug}.html").read_text(encoding="utf-8")
        assert f'href="report-{slug}.html"' in page and f'href="timeline.html#{slug}"' in page
    assert 'href="timeline.html"' in index
    assert "@media print" in (views / "lib" / "report.css").read_text(encoding="utf-8")


# ---------------------------------------------------------------- two years, two levels (tests/data/timeline)


@pytest.fixture(scope="module")
def timeline_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("timeline") / "out"
    assert build_like_the_cli(TIMELINE, out, jobs=1).documents == 5
    return out


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def engine(request, timeline_out):
    """The fixture build's graph in each engine: its Oxigraph store, and graph.trig in rdflib's memory store."""
    return kg.open(timeline_out, use_store=request.param == "oxigraph").dataset


def _run(ds, name: str, *params: str) -> list[dict]:
    q = load_query(name)
    return result_rows(run_query(ds, q, bindings=parse_params(params, q)))


def test_programme_timeline_on_two_years(engine):
    rows = _run(engine, "programme-timeline")
    got = {
        (r["jurisdictionLabel"], r["label"]): (r["first"], r["last"], "、".join(sorted(r["years"].split("、"))),
                                               r["documents"])
        for r in rows
    }  # fmt: skip
    assert got == {
        ("四川省", "安康杯"): ("2022", "2023", "2022、2023", "3"),
        ("四川省", "金秋助学"): ("2022", "2023", "2022、2023", "2"),  # Chengdu 2022, Mianyang 2023
        ("四川省", "送清凉"): ("2022", "2022", "2022", "1"),
        ("四川省", "五小"): ("2023", "2023", "2023", "1"),
        ("四川省", "职工书屋"): ("2023", "2023", "2023", "1"),
        ("四川省", "职工困难帮扶"): ("2023", "2023", "2023", "1"),
        ("重庆市", "金秋助学"): ("2022", "2022", "2022", "1"),
        ("重庆市", "渝工港湾"): ("2022", "2024", "2022、2024", "2"),
        ("重庆市", "职工书屋"): ("2024", "2024", "2024", "1"),
        ("重庆市", "送清凉"): ("2024", "2024", "2024", "1"),
    }


def test_jurisdiction_changes_on_two_years(engine):
    def changes(place: str, a: int, b: int) -> set[tuple[str, str]]:
        rows = _run(engine, "jurisdiction-changes", f"jurisdiction=place:{place}", f"yearA={a}", f"yearB={b}")
        return {(r["change"], r["label"]) for r in rows}

    assert changes("chongqing", 2022, 2024) == {("added", "职工书屋"), ("added", "送清凉"), ("dropped", "金秋助学")}
    assert changes("sichuan", 2022, 2023) == {
        ("added", "五小"), ("added", "职工书屋"), ("added", "职工困难帮扶"), ("dropped", "送清凉")
    }  # fmt: skip
    assert changes("chongqing", 2024, 2022) == {("dropped", "职工书屋"), ("dropped", "送清凉"), ("added", "金秋助学")}
    assert changes("chongqing", 2022, 2022) == set()


def test_the_timeline_view_on_two_years(timeline_out):
    page = (timeline_out / "views" / "timeline.html").read_text(encoding="utf-8")
    assert '<section class="timeline" id="sichuan">' in page and '<section class="timeline" id="chongqing">' in page
    chongqing = page.split('id="chongqing"')[1].split("</section>")[0]
    assert '<th class="n">2022</th><th class="n">2024</th>' in chongqing
    assert "<b>2022 → 2024</b>: added 新增 2 (职工书屋、送清凉); dropped 不再提及 1 (金秋助学)" in chongqing
    sichuan = page.split('id="sichuan"')[1].split("</section>")[0]
    assert "<b>2022 → 2023</b>: added 新增 3 (五小、职工书屋、职工困难帮扶); dropped 不再提及 1 (送清凉)" in sichuan


def test_a_city_brief_shares_with_the_cities_of_its_level(timeline_out):
    result = report(timeline_out, "成都")  # a city: its brief is at the city level
    assert result.exit_code == 0, result.output
    text = result.output
    assert "level: city" in text and "| 安康杯 | 安全生产与职业健康 | 4 | 2 | 1 | 绵阳市 |" in text
    assert "| 金秋助学 | 困难职工帮扶与慰问 | 1 | 1 | 1 | 绵阳市 |" in text
    unique = text.split("## 独有工作品牌")[1].split("## 目标")[0]
    assert all(f"| {p} |" in unique for p in ("送清凉", "五小", "职工书屋", "职工困难帮扶"))
    province = report(timeline_out, "sichuan").output  # the province level: Chengdu's and Mianyang's documents
    assert "3 documents" in province and "| 金秋助学 | 困难职工帮扶与慰问 | 4 | 2 | 1 | 重庆市 |" in province
    assert report(timeline_out, "chengdu", "--level", "province").exit_code == 2  # no province is called 成都
    county = report(timeline_out, "sichuan", "--level", "county")  # no county data yet: a one-line message
    assert county.exit_code == 0 or "[E703]" in county.output
