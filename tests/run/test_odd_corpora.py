"""Odd corpora: file names with spaces, quotes, leading dashes, newlines and CJK; folders 50 levels deep;
two names that differ only in Unicode normalisation (NFC, NFD); 10,000 one-line files.

Each is built by `kg build` as a user would run it. What must hold: every document is built, once, with a
document IRI of its own that the next build gives again; every warning is one line; the next build reuses
everything and gives the same bytes. docs/reliability.md (section odd-corpora) is written from these tests.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from reliability_doc import markdown_table, write_section

from kg.cli import main

pytestmark = pytest.mark.slow  # every test builds (twice or more) with `kg build`

OUTPUTS = ("graph.trig", "extract.jsonl", "summary.json")
ROWS: dict[str, list] = {}
PROVINCES = [
    "四川省",
    "重庆市",
    "云南省",
    "贵州省",
    "陕西省",
    "湖北省",
    "湖南省",
    "江西省",
    "福建省",
    "广东省",
    "浙江省",
]


def document(i: int) -> str:
    province = PROVINCES[i % len(PROVINCES)]
    return (
        f"{province}总工会关于开展安康杯竞赛的通知\n\n各市（州）总工会：\n"
        f"（一）开展安康杯竞赛。覆盖职工{i + 1}万人次。\n（二）推进“五小”创新活动{i + 10}场。\n"
    )


def hashes(out: Path) -> dict[str, str]:
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in OUTPUTS}


def kg_build(corpus: Path, out: Path, *extra: str):
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), *extra])
    assert "Traceback" not in result.output
    return result


def document_iris(out: Path) -> dict[str, str]:
    """File name -> document IRI, from the graph."""
    from rdflib import RDF, Dataset

    from kg.namespaces import UKG

    ds = Dataset(default_union=True)
    ds.parse(out / "graph.trig", format="trig")
    docs = set(ds.subjects(RDF.type, UKG.PolicyDocument))
    assert docs
    return {str(ds.value(doc, UKG.sourceFile)): str(doc) for doc in docs}


def sources(out: Path) -> list[str]:
    return [json.loads(line)["source"] for line in (out / "extract.jsonl").read_text(encoding="utf-8").splitlines()]


def record(case: str, tried: str, held: str) -> None:
    ROWS[case] = [case, tried, held]
    if len(ROWS) == 4:
        write_section(
            "odd-corpora",
            "Each corpus built with `kg build`, then again (tests/run/test_odd_corpora.py): the second build "
            "reuses every document from the cache and gives the same bytes.\n\n"
            + markdown_table(["corpus", "what was tried", "what held"], [ROWS[k] for k in sorted(ROWS)]),
        )


ODD_NAMES = [
    "with space.txt",
    "  two leading spaces.txt",
    'double"quote.txt',
    "single'quote.txt",
    "-leading-dash.txt",
    "--help.txt",
    "new\nline.txt",
    "tab\there.txt",
    "back\\slash.txt",
    "中文名称：工会（2023）.txt",
    "emoji😀.txt",
    "$(echo pwned).txt",
    "semi;colon&amp.md",
]


def test_odd_file_names_are_built_each_with_its_own_iri(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, name in enumerate(ODD_NAMES):
        (corpus / name).write_text(document(i), encoding="utf-8")
    (corpus / "empty\nwith newline.txt").write_bytes(b"")  # a bad file whose name holds a newline
    out = tmp_path / "out"
    result = kg_build(corpus, out)
    assert result.exit_code == 0, result.output
    assert f"{len(ODD_NAMES)} documents" in result.stdout
    warnings = [ln for ln in result.stderr.splitlines() if "warning" in ln]
    assert len(warnings) == 1 and "empty" in warnings[0] and "with newline.txt" in warnings[0], result.stderr
    assert sorted(sources(out)) == sorted(str(corpus / n) for n in ODD_NAMES)
    iris = document_iris(out)
    assert sorted(iris) == sorted(ODD_NAMES) and len(set(iris.values())) == len(ODD_NAMES)
    assert all(" " not in iri and "\n" not in iri and '"' not in iri for iri in iris.values())
    assert len(list((out / "text").iterdir())) == len(ODD_NAMES)
    before = hashes(out)
    again = kg_build(corpus, out)
    assert f"{len(ODD_NAMES)} reused" in again.stdout and hashes(out) == before and document_iris(out) == iris
    # kg extract takes such a name too (after --, as any command line does)
    extract = subprocess.run(
        [sys.executable, "-m", "kg.cli", "extract", "--", "-leading-dash.txt", "new\nline.txt"],
        cwd=corpus,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert extract.returncode == 0 and len(extract.stdout.splitlines()) == 2, extract.stderr
    record(
        "odd file names",
        f"{len(ODD_NAMES)} documents named with spaces, quotes, leading dashes (`--help.txt`), a newline, a tab, "
        "a backslash, CJK, an emoji, `$(…)`; and an empty file with a newline in its name",
        f"all {len(ODD_NAMES)} built, {len(set(iris.values()))} distinct IRIs (the same on the next build); "
        "the empty file: one warning line; `kg extract -- -leading-dash.txt` works",
    )


def test_folders_fifty_levels_deep(tmp_path):
    corpus = tmp_path / "corpus"
    deep = corpus.joinpath(*(f"level-{i:02d}" for i in range(50)))
    deep.mkdir(parents=True)
    (deep / "deep.txt").write_text(document(1), encoding="utf-8")
    (corpus / "top.txt").write_text(document(2), encoding="utf-8")
    out = tmp_path / "out"
    result = kg_build(corpus, out)
    assert result.exit_code == 0 and "2 documents" in result.stdout, result.output
    assert sorted(sources(out)) == sorted([str(deep / "deep.txt"), str(corpus / "top.txt")])
    assert len(str(deep / "deep.txt")) > 450
    before = hashes(out)
    assert "2 reused" in kg_build(corpus, out).stdout and hashes(out) == before
    record(
        "folders 50 levels deep",
        f"a document at depth 50 (a path of {len(str(deep / 'deep.txt'))} characters) and one at the top",
        "both built; the next build reuses both, same bytes",
    )


def test_names_that_differ_only_in_unicode_normalisation_are_two_documents(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pairs = [("café", "Latin é"), ("한국노총", "Hangul syllables")]
    names = []
    for i, (word, _) in enumerate(pairs):
        for j, form in enumerate(("NFC", "NFD")):
            name = unicodedata.normalize(form, f"{word}.txt")
            (corpus / name).write_text(document(10 * i + j), encoding="utf-8")
            names.append(name)
    if len(list(corpus.iterdir())) != len(names):  # pragma: no cover - a file system that normalises names
        pytest.fail("this file system folds NFC and NFD names together; the test needs one that keeps both")
    (corpus / unicodedata.normalize("NFD", "copié.txt")).write_text(document(77), encoding="utf-8")
    (corpus / unicodedata.normalize("NFC", "copié.txt")).write_text(document(77), encoding="utf-8")
    out = tmp_path / "out"
    result = kg_build(corpus, out)
    assert result.exit_code == 0 and f"{len(names) + 1} documents" in result.stdout, result.output
    iris = document_iris(out)
    assert len(set(iris.values())) == len(names) + 1
    assert set(names) <= set(iris)
    # the same bytes under the other form of the name: built once, with one line naming both
    (dupe,) = [ln for ln in result.stderr.splitlines() if "same content as" in ln]
    assert dupe.startswith("warning: ") and dupe.count("copié.txt") == dupe.count("copie\u0301.txt") == 1
    assert dupe.endswith("(the same name in another Unicode normalisation); built once")
    # stable: the next build, and a clean build elsewhere, give the same IRIs
    before = hashes(out)
    assert f"{len(names) + 1} reused" in kg_build(corpus, out).stdout and hashes(out) == before
    elsewhere = tmp_path / "elsewhere"
    kg_build(corpus, elsewhere, "--clean")
    assert set(document_iris(elsewhere).values()) == set(iris.values())
    record(
        "names differing only in Unicode normalisation",
        "`café.txt` in NFC and NFD, `한국노총.txt` in NFC and NFD (four documents), and `copié.txt` in both "
        "forms with the same bytes",
        "the four built, four distinct IRIs, stable across builds; the identical pair built once, with one "
        "warning line (`same content as …`)",
    )


def test_ten_thousand_one_line_files(tmp_path):
    """The build itself (run_build, two processes, the Oxigraph store), without the views: writing the views of
    10,000 documents takes minutes of its own (see the #16 report)."""
    from kg.run import run_build

    n = 10_000
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(n):
        (corpus / f"f{i:05d}.txt").write_text(f"{PROVINCES[i % len(PROVINCES)]}总工会开展安康杯竞赛{i + 1}场。\n")
    out = tmp_path / "out"
    start = time.monotonic()
    report = run_build(corpus, out, jobs=2)
    first = time.monotonic() - start
    assert report.documents == n and report.extracted == n and not report.problems and not report.warnings
    assert len(sources(out)) == n and len(list((out / "text").iterdir())) == n
    assert len(list((out / "cache").glob("*.json"))) == n + 2  # an entry each, the index and the store's manifest
    before = hashes(out)
    start = time.monotonic()
    again = run_build(corpus, out, jobs=2)
    second = time.monotonic() - start
    assert again.reused == n and again.extracted == 0 and hashes(out) == before
    assert first < 300 and second < 120, (first, second)
    record(
        "10,000 one-line files",
        f"{n:,} files of one sentence each (`run_build`, 2 processes, Oxigraph; no views)",
        f"all built in {first:.0f} s; the next build reuses all {n:,} in {second:.0f} s, same bytes",
    )
