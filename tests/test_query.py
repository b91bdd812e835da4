"""Query: the shared and unique programme tables reproduce the gold annotations of the seed corpus."""

from __future__ import annotations

from kg.query import load_query, result_rows, run_query


def _as_gold(labels: set[str], gold_names: set[str]) -> set[str]:
    """Our jurisdiction labels (四川省) as the gold's short names (四川), compared by prefix."""
    return {next((g for g in gold_names if label.startswith(g)), label) for label in labels}


def test_shared_programmes_match_gold(dataset, gold):
    rows = {r["label"]: r for r in result_rows(run_query(dataset, load_query("shared-programmes")))}
    names = {j for js in gold["shared_programmes"].values() for j in js}
    for label, jurisdictions in gold["shared_programmes"].items():
        assert label in rows, label
        ours = _as_gold(set(rows[label]["jurisdictions"].split("、")), names)
        assert ours == set(jurisdictions), (label, ours)


def test_unique_programmes_contain_gold(dataset, gold):
    names = set(gold["unique_programmes"].values())
    rows = result_rows(run_query(dataset, load_query("unique-programmes")))
    ours = {(r["label"], *_as_gold({r["jurisdictionLabel"]}, names)) for r in rows}
    for label, jurisdiction in gold["unique_programmes"].items():
        assert (label, jurisdiction) in ours, label
