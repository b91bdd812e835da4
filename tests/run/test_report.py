"""The build report: documents whose measures found differ from the count they announce."""

from __future__ import annotations

from pathlib import Path

from kg.graph.summary import DocumentSummary
from kg.run.build import BuildReport, CountMismatch, count_mismatches


def _summary(source: str, measures: int, announced: int | None, genre: str = "plan") -> DocumentSummary:
    return DocumentSummary(
        source=source,
        sha256="",
        slug=Path(source).stem,
        issuer=None,
        mentions=(),
        measures=measures,
        quantities=0,
        programmes=(),
        genre=genre,
        announced_count=announced,
    )


def test_count_mismatches_are_the_documents_whose_counts_differ_in_file_order():
    summaries = [
        _summary("c/a.txt", 10, 10),  # as announced
        _summary("c/b.txt", 11, 8),
        _summary("c/c.txt", 4, None, "work-report"),  # announces nothing
        _summary("c/d.txt", 0, 6, "notice"),
    ]
    assert count_mismatches(summaries) == [
        CountMismatch("c/b.txt", "plan", 8, 11),
        CountMismatch("c/d.txt", "notice", 6, 0),
    ]


def test_the_build_summary_counts_them_and_summary_json_lists_them():
    report = BuildReport(out_dir=Path("out"), count_mismatches=[CountMismatch("c/b.txt", "plan", 8, 11)])
    assert "1 document: measures found ≠ announced (b.txt 11/8)" in report.text().splitlines()
    assert report.to_json()["count_mismatches"] == [{"source": "c/b.txt", "genre": "plan", "announced": 8, "found": 11}]
    many = BuildReport(
        out_dir=Path("out"), count_mismatches=[CountMismatch(f"{i}.txt", "plan", 3, i) for i in range(5)]
    )
    assert "5 documents: measures found ≠ announced (0.txt 0/3, 1.txt 1/3, 2.txt 2/3, …)" in many.text()
    none = BuildReport(out_dir=Path("out"))
    assert "0 documents: measures found ≠ announced" in none.text().splitlines()
    assert none.to_json()["count_mismatches"] == []
