"""The views in a real browser: headless Chromium from Debian (chromium, chromium-driver), driven by selenium.

Nothing is downloaded: the browser and driver are /usr/bin/chromium and /usr/bin/chromedriver (Selenium
Manager is off). Without them these tests skip — or fail when CI is set. Screenshots of every page are
saved under test-artifacts/screenshots/; with UNIONKG_DOC_SCREENSHOTS=1 the README tour images in
docs/img/ are rewritten too.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import struct
import tempfile
import time
import zlib
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
DOC_IMAGES = ROOT / "docs" / "img"
CHROMIUM = os.environ.get("UNIONKG_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("UNIONKG_CHROMEDRIVER", "/usr/bin/chromedriver")
ANKANG = "https://w3id.org/unionkg/programme/ankang-cup"
EVIL_PROGRAMME = "https://w3id.org/unionkg/discovered/evil-programme"
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")
NETWORK_SCHEMES = ("http", "https", "ws", "wss", "ftp")
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--window-size=1400,900",
)


def _missing_browser() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            return f"{path} not found: install the Debian packages chromium and chromium-driver (`make system-deps`)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed: pip install -e '.[test]'"
    return None


@pytest.fixture(scope="session")
def driver():
    problem = _missing_browser()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {problem}", pytrace=False)
        pytest.skip(problem)
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager fetch a browser or a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="unionkg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROME_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    drv.set_page_load_timeout(60)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def views(built_out) -> Path:
    return built_out / "views"


# ---------------------------------------------------------------- helpers


def text_page(name: str) -> bool:
    """A page of text and tables, no script: the briefs (report-*.html) and timeline.html."""
    return name == "timeline.html" or name.startswith("report-")


def open_page(drv, path: Path, fragment: str = "") -> None:
    """Load a page from file:// and wait until its network (if any) has stabilised and drawn."""
    drv.get_log("browser")  # drop what earlier pages logged
    drv.get_log("performance")
    drv.get(path.resolve().as_uri() + fragment)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        state = drv.execute_script(
            "return [document.readyState, typeof window.unionkgReady === 'undefined' ? null : window.unionkgReady]"
        )
        if state[0] == "complete" and state[1] in (None, True):
            return
        time.sleep(0.05)
    raise AssertionError(f"{path.name}: not ready after 20 s")


def assert_no_errors_and_no_network(drv, name: str) -> None:
    """No console error; the page loaded nothing but file:/data:/about: resources, and the browser sent
    no request to the network (the DevTools performance log: http, https, ws, ftp)."""
    severe = [e for e in drv.get_log("browser") if e.get("level") == "SEVERE"]
    assert not severe, f"{name}: console errors {severe}"
    loaded = drv.execute_script(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".map(function (e) { return e.name; })"
    )
    assert loaded and all(u.startswith(LOCAL_SCHEMES) for u in loaded), f"{name}: loaded {loaded}"
    sent = []
    for entry in drv.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            sent.append(message["params"].get("request", {}).get("url") or message["params"].get("url", ""))
    remote = [u for u in sent if u.split(":", 1)[0].lower() in NETWORK_SCHEMES]
    assert not remote, f"{name}: network requests {remote}"


def canvas_ink(drv) -> dict:
    """Size of the network canvas and how many sampled pixels are drawn (not blank/white)."""
    return drv.execute_script(
        """
        var c = document.querySelector('#network canvas');
        if (!c) { return {width: 0, height: 0, ink: 0}; }
        var ctx = c.getContext('2d'), d = ctx.getImageData(0, 0, c.width, c.height).data, ink = 0;
        for (var i = 0; i < d.length; i += 4 * 7) {
          if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) { ink += 1; }
        }
        return {width: c.width, height: c.height, ink: ink};
        """
    )


def png_ink(png: bytes) -> tuple[int, int, float]:
    """(width, height, share of non-white pixels) of an 8-bit RGB/RGBA PNG, decoded with zlib only."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, width = 8, [], 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        body = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    raw, stride = zlib.decompress(b"".join(chunks)), width * bpp
    prev, ink, total = bytearray(stride), 0, 0
    for row in range(height):
        f, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1 : (row + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for i in range(0, stride, bpp * 5):
            total += 1
            ink += min(line[i], line[i + 1], line[i + 2]) < 235
        prev = line
    return width, height, ink / max(total, 1)


def screenshot(drv, name: str, *, doc_image: str | None = None) -> Path:
    """Save a screenshot under test-artifacts/screenshots/ (and, when asked, a smaller copy in docs/img/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    path.write_bytes(base64.b64decode(drv.get_screenshot_as_base64()))
    if doc_image and os.environ.get("UNIONKG_DOC_SCREENSHOTS"):
        x, y, width, height = drv.execute_script(
            "return [window.scrollX, window.scrollY, document.documentElement.clientWidth, window.innerHeight]"
        )
        clip = {"x": x, "y": y, "width": width, "height": height, "scale": 0.75}
        shot = drv.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "clip": clip})
        png = base64.b64decode(shot["data"])
        assert len(png) < 300_000, f"docs/img/{doc_image} would be {len(png)} bytes"
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        (DOC_IMAGES / doc_image).write_bytes(png)
    return path


def node_screen_offset(drv, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, as an offset from the centre of the #network element (for ActionChains)."""
    return tuple(
        drv.execute_script(
            """
            var net = window.unionkgNetwork, id = arguments[0];
            net.focus(id, {scale: 1.0, animation: false});
            var p = net.canvasToDOM(net.getPositions([id])[id]);
            var box = document.getElementById('network').getBoundingClientRect();
            return [p.x - box.width / 2, p.y - box.height / 2];
            """,
            node_id,
        )
    )


def click_node(drv, node_id: str, *, double: bool = False) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    dx, dy = node_screen_offset(drv, node_id)
    target = drv.find_element(By.ID, "network")
    chain = ActionChains(drv).move_to_element_with_offset(target, int(dx), int(dy)).pause(0.3)
    (chain.double_click() if double else chain.click()).perform()
    time.sleep(0.3)


def details_text(drv) -> tuple[bool, str, list[str]]:
    return tuple(
        drv.execute_script(
            """
            var d = document.getElementById('details');
            return [d.style.display === 'block', d.textContent,
                    Array.prototype.map.call(d.querySelectorAll('blockquote'), function (b) { return b.textContent; })];
            """
        )
    )


# ---------------------------------------------------------------- every page


def test_every_view_draws_offline_without_errors(driver, views):
    pages = sorted(views.glob("*.html"))
    assert len(pages) > 50
    problems = []
    for path in pages:
        try:
            open_page(driver, path)
            assert_no_errors_and_no_network(driver, path.name)
            if path.name == "index.html":
                box = driver.execute_script(
                    "var r = document.getElementById('heatmap').getBoundingClientRect(); return [r.width, r.height]"
                )
                assert box[0] > 200 and box[1] > 200, f"index.html: heatmap {box}"
            elif text_page(path.name):
                rows = driver.execute_script("return document.querySelectorAll('table tbody tr').length")
                assert rows > 3 and driver.execute_script("return document.scripts.length") == 0, path.name
            else:
                ink = canvas_ink(driver)
                assert ink["width"] > 300 and ink["height"] > 300, f"{path.name}: canvas {ink}"
                if path.name != "compare.html" or driver.execute_script("return window.unionkgCompare.both.length"):
                    assert ink["ink"] > 50, f"{path.name}: blank canvas {ink}"
            shot = screenshot(driver, path.stem)
            if not path.name.startswith("programme-") or path in pages[-3:]:  # decoding PNGs in Python is slow
                width, height, share = png_ink(shot.read_bytes())
                assert width >= 1000 and height >= 600 and share > 0.01, f"{path.name}: blank screenshot {share:.3f}"
        except AssertionError as exc:
            problems.append(str(exc))
    assert not problems, "\n".join(problems)


def test_pages_of_an_empty_graph_load_cleanly(driver, tmp_path):
    from kg.graph.build import build_dataset
    from kg.surface.views import write_views

    for path in write_views(build_dataset([]), tmp_path / "views"):
        open_page(driver, path)
        assert_no_errors_and_no_network(driver, path.name)


def test_index_links_tables_heatmap_and_filter(driver, views):
    from selenium.webdriver.common.by import By

    open_page(driver, views / "index.html")
    hrefs = {a.get_attribute("href").rsplit("/", 1)[-1] for a in driver.find_elements(By.CSS_SELECTOR, "a[href]")}
    on_disk = {p.name for p in views.glob("*.html")} - {"index.html"}
    assert on_disk <= hrefs, f"pages index.html does not link: {sorted(on_disk - hrefs)[:5]}"
    assert any(h.startswith("compare.html#a=") for h in hrefs)
    cells = driver.find_elements(By.CSS_SELECTOR, "#heatmap rect.cell")
    assert len(cells) >= 4 * 50
    screenshot(driver, "index-top", doc_image="index.png")
    driver.execute_script(
        "var box = document.getElementById('heatmap').getBoundingClientRect(); window.scrollTo(0, box.top + window.scrollY - 110)"
    )
    screenshot(driver, "index-heatmap", doc_image="heatmap.png")
    search = driver.find_element(By.ID, "search")
    search.send_keys("安康杯")
    time.sleep(0.2)
    rows = driver.find_elements(By.CSS_SELECTOR, "tr[data-filter]")
    shown = [r for r in rows if r.is_displayed()]
    assert shown and all("安康杯" in r.text for r in shown) and len(shown) < len(rows)
    dimmed = driver.execute_script("return document.querySelectorAll('#heatmap g.row.dim').length")
    assert dimmed > 40


# ---------------------------------------------------------------- clicks, search, compare


def test_click_on_a_programme_shows_its_evidence(driver, views, built_out):
    page = views / "programme-ankang-cup.html"
    open_page(driver, page)
    click_node(driver, ANKANG)
    shown, text, quotes = details_text(driver)
    assert shown and text.startswith("安康杯"), text[:80]
    assert quotes and all("安康杯" in q and "“" in q for q in quotes)
    assert any("竞赛" in q for q in quotes)  # real sentences of the documents, not just the name
    screenshot(driver, "programme-ankang-cup-clicked", doc_image="programme.png")
    assert_no_errors_and_no_network(driver, page.name)
    for name in ("overview.html", "jurisdiction-sichuan.html"):
        open_page(driver, views / name)
        click_node(driver, ANKANG)
        shown, text, quotes = details_text(driver)
        assert shown and "安康杯" in text and quotes and all("安康杯" in q for q in quotes), name
        screenshot(driver, f"{Path(name).stem}-clicked")
        assert_no_errors_and_no_network(driver, name)


def test_double_click_opens_the_programme_page(driver, views):
    open_page(driver, views / "overview.html")
    screenshot(driver, "overview", doc_image="overview.png")
    click_node(driver, ANKANG, double=True)
    deadline = time.monotonic() + 10
    while not driver.current_url.endswith("programme-ankang-cup.html") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert driver.current_url.endswith("programme-ankang-cup.html")


def test_search_box_filters_the_network(driver, views):
    open_page(driver, views / "jurisdiction-sichuan.html")
    screenshot(driver, "jurisdiction-sichuan", doc_image="jurisdiction.png")
    hits = driver.execute_script("return window.unionkgFilter('安康杯')")
    assert ANKANG in hits
    hidden = driver.execute_script(
        "var n = window.unionkgNodes; return [n.get(arguments[0]).hidden, n.get({filter: function (x) { return x.hidden; }}).length, n.length]",
        ANKANG,
    )
    assert hidden[0] is False and 0 < hidden[1] < hidden[2]
    driver.execute_script("window.unionkgFilter('')")
    assert (
        driver.execute_script("return window.unionkgNodes.get({filter: function (x) { return x.hidden; }}).length") == 0
    )


def _programmes_by_jurisdiction(built_out) -> dict[str, set[str]]:
    from rdflib import Dataset

    from kg.surface.views import comparison_data, load_view_data

    ds = Dataset(default_union=True)
    ds.parse(built_out / "graph.trig", format="trig")
    return {j["slug"]: set(j["programmes"]) for j in comparison_data(load_view_data(ds))["jurisdictions"]}


def test_compare_page_lists_what_both_have_and_what_only_one_has(driver, views, built_out):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    expected = _programmes_by_jurisdiction(built_out)
    open_page(driver, views / "compare.html", "#a=sichuan&b=chongqing")
    Select(driver.find_element(By.NAME, "b")).select_by_value("yunnan")
    time.sleep(0.3)
    state = driver.execute_script("return window.unionkgCompare")
    a, b = expected["sichuan"], expected["yunnan"]
    assert (state["a"], state["b"]) == ("sichuan", "yunnan")
    assert set(state["both"]) == a & b and set(state["onlyA"]) == a - b and set(state["onlyB"]) == b - a
    assert driver.execute_script("return location.hash") == "#a=sichuan&b=yunnan"
    side = driver.find_element(By.ID, "side").text
    assert f"两者都有 both ({len(a & b)})" in side and "安康杯" in side
    assert driver.execute_script("return window.unionkgNodes.length") == len(a | b) + 2
    assert canvas_ink(driver)["ink"] > 50
    screenshot(driver, "compare-sichuan-yunnan", doc_image="compare.png")
    assert_no_errors_and_no_network(driver, "compare.html")
    open_page(driver, views / "compare.html", "#a=shaanxi&b=chongqing")  # a pair linked from index.html
    state = driver.execute_script("return window.unionkgCompare")
    assert (state["a"], state["b"]) == ("shaanxi", "chongqing")
    assert set(state["both"]) == expected["shaanxi"] & expected["chongqing"]


# ---------------------------------------------------------------- markup in documents


def test_markup_in_documents_never_runs(driver, tmp_path_factory):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from test_viz import EVIL, build_evil_views

    evil = build_evil_views(tmp_path_factory.mktemp("evil-browser"))
    pages = sorted(evil.glob("*.html"))
    assert len(pages) >= 8
    for path in pages:
        open_page(driver, path)
        if text_page(path.name):
            assert "<script>" in driver.find_element(By.TAG_NAME, "body").text or path.name == "timeline.html"
        elif path.name != "index.html":
            # open every node's details, hover the evil programme (tooltip), filter for "href"
            driver.execute_script(
                "window.unionkgNodes.getIds().forEach(function (id) { window.unionkgShowDetails(id); })"
            )
            if driver.execute_script("return window.unionkgNodes.get(arguments[0]) !== null", EVIL_PROGRAMME):
                click_node(driver, EVIL_PROGRAMME)
                shown, text, _ = details_text(driver)
                assert shown and EVIL in text, path.name
                dx, dy = node_screen_offset(driver, EVIL_PROGRAMME)
                ActionChains(driver).move_to_element_with_offset(
                    driver.find_element(By.ID, "network"), int(dx) + 1, int(dy) + 1
                ).pause(0.8).perform()
                tip = driver.execute_script(
                    "var t = document.querySelector('div.vis-tooltip'); return t ? t.textContent : ''"
                )
                assert EVIL in tip, f"{path.name}: tooltip {tip[:80]!r}"
            driver.execute_script("window.unionkgFilter('href')")
        else:
            driver.find_element(By.ID, "search").send_keys("href")
            assert "<script>" in driver.find_element(By.TAG_NAME, "body").text  # shown as text
        assert_no_alert(driver, path.name)
        counts = driver.execute_script(
            "return [typeof window.__xss, document.querySelectorAll('img, iframe, object, embed').length,"
            " document.querySelectorAll('script').length, document.querySelectorAll('a[href^=\"javascript\"]').length]"
        )
        scripts = 0 if text_page(path.name) else 1 if path.name == "index.html" else 3
        assert counts == ["undefined", 0, scripts, 0], f"{path.name}: {counts}"
        if path.name == "programme-evil-programme.html":
            screenshot(driver, "xss-programme-page")
        assert_no_errors_and_no_network(driver, path.name)


# ---------------------------------------------------------------- an XSS corpus through `kg build`

#: payloads written into two documents' titles, quoted programme names, 《titles》 (referenced-document
#: labels), measure titles, sentences (evidence quotes) and signature lines
XSS_PAYLOADS = (
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "<svg onload=window.__xss=1>",
    '<a href="javascript:window.__xss=1">href</a>',
    "javascript:window.__xss=1",
    '"><script>window.__xss=1</script>',
    "</script><script>window.__xss=1</script>",
    "<!--<script>",
    "'-alert(1)-'",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<b onmouseover=window.__xss=1>href</b>",
    "<img src=http://127.0.0.1:9/xss.png>",
    "<link rel=stylesheet href=http://127.0.0.1:9/xss.css>",
    "<style>@import 'http://127.0.0.1:9/xss2.css';</style>",
)


def xss_document(province: str, addressees: str, p: tuple[str, ...]) -> str:
    return (
        f"{province}总工会关于开展“href”工程和{p[0]}{p[1]}的通知\n\n{addressees}总工会：\n"
        f"为贯彻《{p[2]}实施办法》和《{p[3]}》，现提出如下措施。\n"
        f"（一）开展“href”工程{p[4]}。全省各级工会深入开展安康杯竞赛{p[5]}，完成培训300场。\n"
        f"（二）推进“javascript”行动{p[6]}。做好职工之家{p[7]}建设，服务农民工10万人次{p[8]}。\n"
        f"（三）实施“金秋助学”{p[9]}活动。资助困难职工子女2000人{p[10]}，详见{p[11]}。\n"
        f"（四）加强《{p[12]}》宣传。开展“五小”活动{p[13]}100场。\n\n"
        f"{province}总工会{p[0]}\n2023年3月1日\n"
    )


@pytest.fixture(scope="session")
def xss_views(tmp_path_factory) -> Path:
    """`kg build` (run_build, views written as the command does) of two documents, Sichuan and Chongqing,
    each carrying every payload."""
    from kg.run import run_build
    from kg.surface.views import write_views

    tmp = tmp_path_factory.mktemp("xss-build")
    corpus = tmp / "corpus"
    corpus.mkdir()
    shifted = XSS_PAYLOADS[7:] + XSS_PAYLOADS[:7]  # each payload lands in another place in the second document
    (corpus / "sichuan.txt").write_text(xss_document("四川省", "各市（州）", XSS_PAYLOADS), encoding="utf-8")
    (corpus / "chongqing.txt").write_text(xss_document("重庆市", "各区县", shifted), encoding="utf-8")
    report = run_build(
        corpus, tmp / "out", after_build=lambda ds, folder: write_views(ds, folder / "views", text_dir=folder / "text")
    )
    assert report.documents == 2, report.problems
    return tmp / "out" / "views"


def assert_no_alert(drv, name: str) -> None:
    """No dialog (alert/confirm/prompt) is open: a payload that ran would have opened one."""
    from selenium.common.exceptions import NoAlertPresentException

    time.sleep(0.2)
    try:
        alert = drv.switch_to.alert
        text = alert.text
        alert.dismiss()
    except NoAlertPresentException:
        return
    raise AssertionError(f"{name}: an alert opened: {text!r}")


def assert_nothing_ran(drv, name: str) -> None:
    """No alert, no global set by a payload, no element or attribute a payload would have added."""
    assert_no_alert(drv, name)
    state = drv.execute_script(
        """
        var handlers = 0;
        document.querySelectorAll('*').forEach(function (el) {
          for (var i = 0; i < el.attributes.length; i++) {
            if (el.attributes[i].name.indexOf('on') === 0) { handlers += 1; }
          }
        });
        return {xss: typeof window.__xss, handlers: handlers,
                embedded: document.querySelectorAll('img, iframe, object, embed, link[href*="127.0.0.1"]').length,
                scripts: document.querySelectorAll('script').length,
                js: document.querySelectorAll('[href^="javascript"], [src^="javascript"]').length};
        """
    )
    # lib/index.js; the data block, lib/vis-network.min.js, lib/view.js; none on the briefs and the timeline
    scripts = 0 if text_page(name) else 1 if name == "index.html" else 3
    assert state == {"xss": "undefined", "handlers": 0, "embedded": 0, "scripts": scripts, "js": 0}, (name, state)
    assert_no_errors_and_no_network(drv, name)


def test_xss_corpus_renders_as_plain_text_in_every_view(driver, xss_views):
    """14 payloads × every page of a `kg build` of two documents (index, overview, both jurisdictions,
    every programme, compare in both directions): each page opened, every node's label and tooltip read
    (plain strings), every node's details shown, the search box used; no script runs, no request
    leaves, and every payload is visible as text somewhere."""
    from selenium.webdriver.common.by import By

    pages = sorted(xss_views.glob("*.html"))
    names = {p.name for p in pages}
    assert {"index.html", "overview.html", "compare.html", "jurisdiction-sichuan.html"} <= names
    assert "jurisdiction-chongqing.html" in names and len([n for n in names if n.startswith("programme-")]) >= 6
    visits, seen = [], set()
    for path in pages:
        for fragment in ("#a=sichuan&b=chongqing", "#a=chongqing&b=sichuan") if path.name == "compare.html" else ("",):
            open_page(driver, path, fragment)
            assert_nothing_ran(driver, path.name)
            if text_page(path.name):
                shown = driver.find_element(By.TAG_NAME, "body").text
            elif path.name == "index.html":
                driver.find_element(By.ID, "search").send_keys("href")
                shown = driver.find_element(By.TAG_NAME, "body").text
            else:
                shown = driver.execute_script(
                    """
                    var texts = [];
                    window.unionkgNodes.get().forEach(function (n) {  // labels, and tooltips holding text only
                      var tip = n.title || '';
                      if (typeof tip !== 'string' && (tip.children.length || tip.querySelector('*'))) {
                        throw new Error('markup in the tooltip of ' + n.id);
                      }
                      texts.push(String(n.label || ''), typeof tip === 'string' ? tip : tip.textContent);
                    });
                    window.unionkgNodes.getIds().forEach(function (id) {
                      window.unionkgShowDetails(id);
                      texts.push(document.getElementById('details').textContent);
                    });
                    window.unionkgFilter('<script>');
                    window.unionkgFilter('href');
                    return texts.join('\\n');
                    """
                )
            seen.update(p for p in XSS_PAYLOADS if p in shown)
            assert_nothing_ran(driver, path.name)
            visits.append(path.name + fragment)
    assert len(visits) == len(pages) + 1
    # every payload reached some page as visible text (not swallowed, not rendered)
    assert seen == set(XSS_PAYLOADS), sorted(set(XSS_PAYLOADS) - seen)
    screenshot(driver, "xss-corpus-compare")
