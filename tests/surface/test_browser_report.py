"""The jurisdiction briefs (report-*.html) and the timeline (timeline.html) in headless Chromium: they load
offline without errors or scripts, link to and from the jurisdiction's graph page and index.html, print
as a brief (the print stylesheet hides the navigation), and the timeline marks the years."""

from __future__ import annotations

import base64

import pytest
from test_browser import assert_no_errors_and_no_network, driver, open_page, screenshot  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def views(built_out):
    return built_out / "views"


def _rows(drv, table: str) -> list[list[str]]:
    return drv.execute_script(
        "return Array.from(document.querySelectorAll('#' + arguments[0] + ' tbody tr')).map(function (tr) {"
        " return Array.from(tr.cells).map(function (td) { return td.textContent; }); })",
        table,
    )


def test_the_brief_shows_its_tables_and_links_both_ways(driver, views, built_out):  # noqa: F811
    from selenium.webdriver.common.by import By

    import kg

    brief = kg.open(built_out).report("sichuan")
    page = views / "report-sichuan.html"
    open_page(driver, page)
    assert_no_errors_and_no_network(driver, page.name)
    assert driver.execute_script("return document.scripts.length") == 0
    assert driver.find_element(By.ID, "title").text == "四川省 · 简报 brief"
    shared, unique = _rows(driver, "shared"), _rows(driver, "unique")
    assert len(shared) == len(brief.shared) > 10 and len(unique) == len(brief.unique) > 10
    ankang = next(r for r in shared if r[0] == "安康杯")
    assert ankang[4:] == ["3", "云南省、重庆市、陕西省"]
    assert [r[0] for r in _rows(driver, "documents")] == ["2022", "2023"]
    assert all(r[-1] for r in _rows(driver, "targets"))  # every target with its quote
    screenshot(driver, "report-sichuan")
    driver.find_element(By.LINK_TEXT, "图 graph").click()
    open_page(driver, views / "jurisdiction-sichuan.html")
    assert driver.execute_script("return document.querySelector('#nav a[href=\"report-sichuan.html\"]') !== null")
    driver.find_element(By.CSS_SELECTOR, '#nav a[href="report-sichuan.html"]').click()
    assert driver.current_url.endswith("/report-sichuan.html")
    open_page(driver, views / "index.html")
    driver.find_element(By.CSS_SELECTOR, 'a.brief[href="report-yunnan.html"]').click()
    assert driver.find_element(By.ID, "title").text.startswith("云南省")


def test_the_brief_prints_without_its_navigation(driver, views):  # noqa: F811
    page = views / "report-chongqing.html"
    open_page(driver, page)
    assert driver.execute_script("return getComputedStyle(document.getElementById('nav')).display") != "none"
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert driver.execute_script("return getComputedStyle(document.getElementById('nav')).display") == "none"
        head = driver.execute_script("return getComputedStyle(document.querySelector('#shared thead')).display")
        assert head == "table-header-group"  # repeated on every printed page
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


def test_the_timeline_marks_the_years(driver, views):  # noqa: F811
    page = views / "timeline.html"
    open_page(driver, page, "#sichuan")
    assert_no_errors_and_no_network(driver, page.name)
    sections = driver.execute_script(
        "return Array.from(document.querySelectorAll('section.timeline')).map(function (s) { return s.id; })"
    )
    assert sorted(sections) == ["chongqing", "shaanxi", "sichuan", "yunnan"]
    years = driver.execute_script(
        "return Array.from(document.querySelectorAll('#sichuan thead th.n')).slice(0, 2).map(function (t) {"
        " return t.textContent; })"
    )
    assert years == ["2022", "2023"]
    wuxiao = driver.execute_script(
        "var row = Array.from(document.querySelectorAll('#sichuan tbody tr')).find(function (tr) {"
        " return tr.cells[0].textContent === '五小'; }); return row.querySelectorAll('td.on').length"
    )
    assert wuxiao == 2  # the 2022 report and the 2023 plan
    top = driver.execute_script("return document.getElementById('sichuan').getBoundingClientRect().top")
    assert abs(top) < 5  # the fragment scrolled to Sichuan
    assert "2022 → 2023" in driver.execute_script("return document.getElementById('sichuan').textContent")
    screenshot(driver, "timeline")
