"""How long the overview of a built graph takes to write and to open in headless Chromium.

    python -m bench.overview --out out                 # a build's out/ (store or graph.trig)
    python -m bench.overview --out out --runs 5 --json bench/results/overview.json

The page is written into a temporary folder (the build's own views are left alone) and opened from
file:// in Debian's chromium through selenium (no download), ``--runs`` times; "ready" is the page's
own `window.unionkgReady` flag, set after the network has been drawn once with its precomputed layout.
Figures only, no assertions: the goal (≤ 3 s at 10,000 documents) is judged in bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["measure_overview", "open_times"]

CHROMIUM = os.environ.get("UNIONKG_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("UNIONKG_CHROMEDRIVER", "/usr/bin/chromedriver")


def open_times(page: Path, *, runs: int = 3, timeout_s: float = 120.0) -> list[float]:
    """Seconds from navigation start to `window.unionkgReady`, one figure per run (a fresh load each)."""
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="unionkg-bench-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1400,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    drv = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    drv.set_page_load_timeout(timeout_s)
    times = []
    try:
        for _ in range(runs):
            drv.get("about:blank")
            started = time.perf_counter()
            drv.get(page.resolve().as_uri())
            while not drv.execute_script("return window.unionkgReady === true"):
                if time.perf_counter() - started > timeout_s:
                    raise TimeoutError(f"{page}: not ready after {timeout_s:.0f} s")
                time.sleep(0.02)
            times.append(time.perf_counter() - started)
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return times


def measure_overview(out: Path, *, runs: int = 3, top: int | None = None) -> dict:
    """Load the built graph in `out`, write its overview to a temp folder, open it `runs` times."""
    from kg.run import open_output
    from kg.surface.views import OVERVIEW_TOP, overview_graph, write_overview

    started = time.perf_counter()
    ds = open_output(out)
    loaded = time.perf_counter() - started
    folder = Path(tempfile.mkdtemp(prefix="unionkg-bench-overview-"))
    try:
        started = time.perf_counter()
        page = write_overview(ds, folder / "views", top=top or OVERVIEW_TOP)
        written = time.perf_counter() - started
        times = open_times(page, runs=runs)
        from kg.surface.views import load_view_data

        g = overview_graph(load_view_data(ds), top=top or OVERVIEW_TOP)
        return {
            "out": str(out),
            "documents": len(list((out / "text").glob("*.txt"))) if (out / "text").is_dir() else None,
            "nodes": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "page_bytes": page.stat().st_size,
            "load_graph_s": round(loaded, 3),
            "write_overview_s": round(written, 3),
            "open_s": [round(t, 3) for t in times],
            "open_p50_s": round(statistics.median(times), 3),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out"), help="a build's output folder")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--top", type=int, default=None, help="programmes drawn one by one (default: kg.surface.views's)"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    figures = measure_overview(args.out, runs=args.runs, top=args.top)
    text = json.dumps(figures, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
