"""The views read their data once per build (#15): every brief from one query per table
(:func:`kg.surface.report.brief_tables`) and the timeline's changes from the programme-timeline rows. Both
must give what the per-place and per-pair queries give, on rdflib and on Oxigraph, on the corpora of two
years (tests/data/timeline/) and of the levels (tests/data/levels/: two counties called 朝阳区, the ACFTU)."""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import pytest
from rdflib import Dataset

from kg.errors import ReportError
from kg.graph.build import build_dataset
from kg.namespaces import bind_prefixes
from kg.pipeline.components import process_file
from kg.surface import report
from kg.surface.query import load_query, parse_params, result_rows, run_query
from kg.surface.report import LEVELS, brief_tables, jurisdiction_brief, places
from kg.surface.views.timeline import changes, timelines

DATA = Path(__file__).resolve().parents[1] / "data"


def _datasets(corpus: str) -> dict[str, Dataset]:
    """The corpus's graph in rdflib's memory store and in an in-memory Oxigraph store."""
    ox = pytest.importorskip("pyoxigraph")
    from oxrdflib import OxigraphStore

    ds = build_dataset([process_file(p) for p in sorted((DATA / corpus).glob("*.txt"))])
    store = ox.Store()
    store.load(input=ds.serialize(format="trig").encode("utf-8"), format=ox.RdfFormat.TRIG)
    oxi = Dataset(store=OxigraphStore(store=store), default_union=True)
    bind_prefixes(oxi)
    return {"rdflib": ds, "oxigraph": oxi}


@pytest.fixture(scope="module", params=["timeline", "levels"])
def corpus(request) -> dict[str, Dataset]:
    return _datasets(request.param)


@pytest.fixture(params=["rdflib", "oxigraph"])
def ds(request, corpus) -> Dataset:
    return corpus[request.param]


def _shared_sorted(rows: list[dict]) -> list[dict]:
    """sharedWith is 'in no set order' (report-programmes): compare it as a sorted list."""
    return [{**r, "sharedWith": sorted(filter(None, (r.get("sharedWith") or "").split("、")))} for r in rows]


def test_every_brief_from_the_tables_is_the_brief_of_its_own_queries(ds, monkeypatch):
    tables = brief_tables(ds)
    known = places(ds)
    assert tables.places == known
    monkeypatch.setattr(report, "places", lambda _ds, level=None: known)  # report-places: 6 s a call on rdflib
    compared = 0
    chosen = [p for p in tables.places if p.documents] + [next(p for p in tables.places if not p.documents)]
    for place in chosen:
        for level in LEVELS:
            try:
                one = jurisdiction_brief(ds, place.iri, level=level)
            except ReportError:
                with pytest.raises(ReportError):
                    jurisdiction_brief(ds, place.iri, level=level, tables=tables)
                continue
            every = jurisdiction_brief(ds, place.iri, level=level, tables=tables)
            assert (every.place, every.level) == (one.place, one.level)
            assert every.documents == one.documents and every.quantities == one.quantities
            assert every.groups == one.groups and every.planned == one.planned
            assert _shared_sorted(every.programmes) == _shared_sorted(one.programmes), (place.iri, level)
            compared += 1
    assert compared >= 3  # the provinces, and the cities or counties with documents of their own
    with_others = [r for rows in tables.tables["programmes"].values() for r in rows if r["others"] != "0"]
    assert with_others  # some programme is shared, so "others" is really compared


@pytest.fixture(scope="module")
def two_years() -> dict[str, Dataset]:
    return _datasets("timeline")


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_the_timeline_changes_are_those_of_jurisdiction_changes(two_years, engine):
    ds = two_years[engine]
    query = load_query("jurisdiction-changes")
    items = timelines(ds)
    assert items and any(len(t.years) > 1 for t in items)
    for t in items:
        for a, b in permutations(t.years, 2):
            params = parse_params([f"jurisdiction={t.jurisdiction}", f"yearA={a}", f"yearB={b}"], query)
            rows = result_rows(run_query(ds, query, bindings=params))
            expected = tuple(sorted(r["label"] or "" for r in rows if r["change"] == c) for c in ("added", "dropped"))
            assert changes(t.rows, a, b) == expected, (t.label, a, b)
        assert [(a, b) for a, b, _, _ in t.changes] == list(zip(t.years, t.years[1:], strict=False))
    assert any(added or dropped for t in items for _, _, added, dropped in t.changes)
