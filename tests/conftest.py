"""Shared fixtures: the demo corpus, the gold annotations, and one build of the corpus per session."""

from __future__ import annotations

import json
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


@pytest.fixture(scope="session")
def built_out(tmp_path_factory) -> Path:
    """`kg build corpus --out <tmp>` run once for the session."""
    from kg.cli import run_build

    out = tmp_path_factory.mktemp("build") / "out"
    report = run_build(CORPUS, out)
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
