"""The overview's category and jurisdiction filters and its collapsed long tail, in headless Chromium."""

from __future__ import annotations

import shutil

import pytest
from test_browser import assert_no_errors_and_no_network, driver, open_page, screenshot  # noqa: F401 (fixture)
from test_viz import page_data

pytestmark = pytest.mark.browser

SICHUAN = "https://w3id.org/unionkg/place/sichuan"


@pytest.fixture(scope="module")
def collapsed_views(built_out, tmp_path_factory):
    """The demo build's views with an overview of only the 12 most shared programmes."""
    from kg.run import open_output
    from kg.surface.views import write_views

    out = tmp_path_factory.mktemp("overview") / "out"
    shutil.copytree(built_out, out)
    write_views(open_output(out), out / "views", text_dir=out / "text", overview_top=12)
    return out / "views"


def _visible(drv) -> list[str]:
    return drv.execute_script(
        "return window.unionkgNodes.get({filter: function (x) { return !x.hidden; }}).map(function (x) { return x.id; })"
    )


def test_overview_filters_by_category_and_jurisdiction(driver, collapsed_views):  # noqa: F811
    page = collapsed_views / "overview.html"
    data = page_data(page)
    facets = data["facets"]
    assert any(n["id"].startswith("urn:unionkg:overview:collapsed:") for n in data["nodes"])
    open_page(driver, page)
    assert_no_errors_and_no_network(driver, page.name)
    assert sorted(_visible(driver)) == sorted(n["id"] for n in data["nodes"])
    selects = driver.execute_script(
        "return Array.from(document.querySelectorAll('#facets select')).map(function (s) { return [s.name, s.options.length]; })"
    )
    assert selects == [["category", len(facets["categories"]) + 1], ["jurisdiction", len(facets["jurisdictions"]) + 1]]
    jurisdictions = {j["id"] for j in facets["jurisdictions"]}
    for category in facets["categories"]:
        driver.execute_script("window.unionkgFacet('category', arguments[0])", category)
        shown = set(_visible(driver))
        expected = {n for n, v in facets["values"].items() if v["category"] in (None, category)}
        assert shown == expected, category
    driver.execute_script("window.unionkgFacet('category', '')")
    driver.execute_script("window.unionkgFacet('jurisdiction', arguments[0])", SICHUAN)
    shown = set(_visible(driver))
    assert shown & jurisdictions == {SICHUAN}
    assert shown - jurisdictions == {
        n for n, v in facets["values"].items() if n not in jurisdictions and SICHUAN in v["jurisdictions"]
    }
    # the search box works inside the filter: a hit outside Sichuan stays hidden
    hits = driver.execute_script("return window.unionkgFilter('安康杯')")
    assert hits and all(SICHUAN in facets["values"][h]["jurisdictions"] for h in hits)
    screenshot(driver, "overview-filtered-sichuan")
    driver.execute_script("window.unionkgFilter(''); window.unionkgFacet('jurisdiction', '')")
    assert len(_visible(driver)) == len(data["nodes"])


def test_bench_overview_measures_the_demo_build(built_out):
    from bench.overview import measure_overview

    figures = measure_overview(built_out, runs=1)
    page = page_data(built_out / "views" / "overview.html")
    assert figures["nodes"] == len(page["nodes"]) and figures["documents"] == 5
    assert len(figures["open_s"]) == 1 and figures["open_p50_s"] > 0
