"""Shared fixtures: the demo corpus, the gold annotations, and one build of the corpus per session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
GOLD_PATH = SHARED / "gold" / "seeds.json"


@pytest.fixture(scope="session")
def gold() -> dict:
    if not GOLD_PATH.exists():
        pytest.skip(f"gold annotations not found at {GOLD_PATH}")
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def records(corpus_files):
    from kg.pipeline.components import process_file

    return {p.name: process_file(p) for p in corpus_files}


@pytest.fixture(scope="session")
def dataset(records):
    from kg.graph.build import build_dataset

    return build_dataset(list(records.values()))


def write_build_views(ds, folder: Path) -> None:
    """What `kg build` adds to a build: the views, written into its staging folder (`run_build(after_build=…)`)."""
    from kg.surface.views import write_views

    write_views(ds, folder / "views", text_dir=folder / "text")


def build_like_the_cli(corpus: Path, out: Path, **options):
    """`run_build` with the views, as `kg build` runs it."""
    from kg.run import run_build

    return run_build(corpus, out, after_build=write_build_views, **options)


@pytest.fixture(scope="session")
def built_out(tmp_path_factory) -> Path:
    """`kg build corpus --out <tmp>` run once for the session."""
    out = tmp_path_factory.mktemp("build") / "out"
    report = build_like_the_cli(CORPUS, out)
    assert report.documents == 5
    return out


@pytest.fixture(scope="session")
def built_ds(built_out):
    """The session build's graph.trig in rdflib's memory store (what `kg query` reads without a store)."""
    from rdflib import Dataset

    from kg.namespaces import bind_prefixes

    ds = Dataset(default_union=True)
    ds.parse(built_out / "graph.trig", format="trig")
    bind_prefixes(ds)
    return ds


# `make test` sets KG_REQUIRE_ALL=1: there every skipped test (a missing browser, server or data file) fails
# with its skip reason, so a fresh machine cannot pass by skipping. Plain `pytest` and `make test-fast` still skip.
REQUIRE_ALL = os.environ.get("KG_REQUIRE_ALL") == "1"


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped, but KG_REQUIRE_ALL=1 (make test) allows no skip: {_skip_reason(report)}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    report = (yield).get_result()
    if REQUIRE_ALL and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"module skipped, but KG_REQUIRE_ALL=1 (make test) allows no skip: {_skip_reason(report)}"
