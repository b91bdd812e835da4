"""The views follow the levels (#14): a county's or city's own documents get a brief of their own, linked from
their province's jurisdiction page (tests/data/levels/: two 朝阳区 federations and the ACFTU)."""

from __future__ import annotations

from pathlib import Path

from kg.graph.build import build_dataset
from kg.pipeline.components import process_file
from kg.surface.views import write_views

LEVELS = Path(__file__).resolve().parents[1] / "data" / "levels"


def test_local_briefs_are_written_and_linked_from_their_province(tmp_path):
    ds = build_dataset([process_file(p) for p in sorted(LEVELS.glob("*.txt"))])
    names = {p.name for p in write_views(ds, tmp_path / "views", text_dir=tmp_path / "none")}
    assert {"report-110105.html", "report-220104.html", "report-changchun.html"} <= names
    jilin = (tmp_path / "views" / "jurisdiction-jilin.html").read_text(encoding="utf-8")
    assert 'href="report-220104.html"' in jilin and "长春市朝阳区" in jilin
    beijing = (tmp_path / "views" / "jurisdiction-beijing.html").read_text(encoding="utf-8")
    assert 'href="report-110105.html"' in beijing and "report-220104.html" not in beijing
    county = (tmp_path / "views" / "report-220104.html").read_text(encoding="utf-8")
    assert "朝阳区" in county and "南湖职工驿站" in county  # the county's own brief, with its local brand
