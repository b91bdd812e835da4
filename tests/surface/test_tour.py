"""docs/tour.ipynb, executed offline with nbclient as `make test` runs it: every cell runs (in a fresh build of
the demo corpus), every table it prints has rows, and the heatmap is drawn."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

DOCS = Path(__file__).resolve().parents[2] / "docs"
TOUR = DOCS / "tour.ipynb"


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def test_the_committed_tour_has_no_outputs():
    nb = nbformat.read(TOUR, as_version=4)
    nbformat.validate(nb)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "clear the outputs before committing"
    tables = [c for c in nb.cells if "table" in c.metadata.get("tags", [])]
    assert len(tables) >= 8  # shared, unique, pivot, heatmap, centrality, the profile's tables, the changes


@pytest.mark.slow
def test_every_cell_of_the_tour_runs_and_prints_tables(tmp_path, monkeypatch):
    monkeypatch.setenv("UNIONKG_TOUR_OUT", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(TOUR, as_version=4)
    started = time.monotonic()
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(DOCS)}}
    )
    client.execute()  # a failing cell raises CellExecutionError, with its traceback
    seconds = time.monotonic() - started
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    for cell in (c for c in code if "table" in c.metadata.get("tags", [])):
        text = _text(cell)
        assert "Empty DataFrame" not in text, cell.source[:80]
        assert len([line for line in text.splitlines() if line.strip()]) >= 3, (cell.source[:80], text)
    built = _text(code[0])
    assert "Built " in built and "5 documents" in built
    assert "安康杯" in _text(next(c for c in code if "shared-programmes" in c.source))
    assert (tmp_path / "out" / "heatmap.png").stat().st_size > 10_000
    assert seconds < 300, f"the tour took {seconds:.0f} s"
