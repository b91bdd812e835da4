"""CLI: `kg build`, `kg extract`, `kg export`, `kg validate` through click's CliRunner."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner
from conftest import CORPUS

from kg.cli import main

pytestmark = pytest.mark.slow


def test_extract_prints_one_json_object_per_document():
    files = [str(p) for p in sorted(CORPUS.glob("*.txt"))]
    result = CliRunner().invoke(main, ["extract", "--format", "json", *files])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 5
    first = json.loads(lines[0])
    for key in (
        "source",
        "title",
        "kind",
        "date",
        "identifier",
        "jurisdiction",
        "issuer",
        "sections",
        "measures",
        "mentions",
        "quantities",
    ):
        assert key in first
    assert first["issuer"]["label"] == "四川省总工会"


def test_extract_warns_about_a_bad_file_and_goes_on(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    good = sorted(CORPUS.glob("*.txt"))[0]
    result = CliRunner().invoke(main, ["extract", "--format", "json", str(bad), str(good)])
    assert result.exit_code == 0
    assert "empty.txt: the file is empty" in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stdout.strip().splitlines()) == 1


def test_build_prints_summary_and_keeps_going_past_bad_files(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (corpus / "notes.docm").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 documents, 47 measures" in result.stdout
    assert "安康杯" in result.stdout
    # a few jurisdictions per programme, not all of them: "label  (4 jurisdictions: a、b、c …)"
    rows = [line for line in result.stdout.splitlines() if line.startswith("  ")]
    assert len(rows) == 10, result.stdout
    assert all(re.fullmatch(r"  \S+  \(\d+ jurisdictions: [^、 ]+(、[^、 ]+){0,2}( …)?\)", row) for row in rows), rows
    assert "  劳动和技能竞赛  (4 jurisdictions: 云南省、四川省、重庆市 …)" in rows
    assert "docs/s" in result.stderr
    assert "broken.txt" in result.stderr and "notes.docm" in result.stderr
    for name in ("graph.trig", "extract.jsonl", "summary.json", "views/overview.html"):
        assert (out / name).exists(), name
    assert not (out / "graph.ttl").exists()  # only with --turtle
    # after the bar, each later step by name with its time: never a silence after the last document
    steps = re.findall(r"^(shared graphs|store|graph\.trig|summary|views|publish) … \d+\.\d s$", result.stderr, re.M)
    assert steps == ["shared graphs", "store", "graph.trig", "summary", "views", "publish"], result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"] == 5 and summary["measures"] == 47
    strict = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--strict"])
    assert strict.exit_code == 1


def test_build_of_nothing_fails_and_keeps_the_previous_graph(tmp_path, built_out):
    out = tmp_path / "out"
    shutil.copytree(built_out, out)
    before = (out / "graph.trig").read_bytes()
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    (empty / "a.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["build", str(empty), "--out", str(out)])
    assert result.exit_code == 1
    assert "no document could be built" in result.stderr
    assert (out / "graph.trig").read_bytes() == before


def test_export_formats_parse_back(built_out):
    from rdflib import Dataset, Graph

    runner = CliRunner()
    for fmt, reader in (("turtle", "turtle"), ("nquads", "nquads"), ("jsonld", "json-ld"), ("trig", "trig")):
        target = built_out / "export" / f"x.{fmt}"
        result = runner.invoke(main, ["export", "--format", fmt, "--out", str(built_out), "-o", str(target)])
        assert result.exit_code == 0, result.output
        data = Dataset() if fmt in ("nquads", "trig", "jsonld") else Graph()
        data.parse(target, format=reader)
        assert len(data) > 10000


def test_export_of_turtle_nquads_and_ntriples_from_graph_trig_has_the_bytes_of_the_rdflib_path(built_out, tmp_path):
    """`kg export --format turtle|nquads|ntriples` reads graph.trig with Oxigraph alone: the bytes of the export
    of the Dataset parsed by rdflib (the path taken without graph.trig), into a file and on stdout."""
    from kg.run import open_output
    from kg.surface.export import write_export

    ds = open_output(built_out, use_store=False)
    runner = CliRunner()
    for fmt in ("turtle", "nquads", "ntriples"):
        slow, fast = tmp_path / f"slow.{fmt}", tmp_path / f"fast.{fmt}"
        write_export(ds, fmt, slow)
        result = runner.invoke(main, ["export", "--format", fmt, "--out", str(built_out), "-o", str(fast)])
        assert result.exit_code == 0 and result.stdout == f"wrote {fast}\n", result.output
        assert fast.read_bytes() == slow.read_bytes() and len(slow.read_bytes()) > 1_000_000, fmt
        shown = runner.invoke(main, ["export", "--format", fmt, "--out", str(built_out), "-o", "-"])
        assert shown.exit_code == 0 and shown.stdout_bytes == slow.read_bytes(), fmt


def test_validate_reports_conformance(built_out):
    result = CliRunner().invoke(main, ["validate", "--out", str(built_out)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_commands_on_a_missing_graph_fail_with_one_line(tmp_path):
    for command in ("export", "validate", "viz", "push --endpoint http://localhost:1/x"):
        result = CliRunner().invoke(main, [*command.split(), "--out", str(tmp_path / "nowhere")])
        assert result.exit_code == 1, command  # a runtime failure, not a usage error
        assert re.fullmatch(r"error: \[E\d+\] .*/nowhere/graph\.trig: .*no built graph.*\n", result.stderr), command
        assert "Traceback" not in result.output


def test_usage_errors_exit_with_2(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(main, ["build", str(tmp_path / "no-such-corpus"), "--out", str(tmp_path / "out")])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    both = runner.invoke(main, ["query", "shared-programmes", "-e", "ASK {}", "--out", str(tmp_path)])
    assert (both.exit_code, both.stderr) == (2, "error: give a query NAME or .rq FILE, or -e 'SPARQL', not both\n")
    assert runner.invoke(main, ["export", "--format", "xml"]).exit_code == 2
    assert runner.invoke(main, ["build", "--store", "nowhere"]).exit_code == 2
    assert not (tmp_path / "out").exists()
