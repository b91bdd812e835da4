"""Scale (#6): parallel, streaming and incremental builds, Dask, the Oxigraph store — same bytes every way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, ROOT, build_like_the_cli

from kg.cli import main
from kg.graph.build import build_dataset
from kg.graph.store import open_store
from kg.run import BuildProgress, run_build
from kg.surface.export import serialize
from kg.surface.query import load_query, query_from_text, result_rows, run_query

pytestmark = pytest.mark.slow

OUTPUTS = ("graph.trig", "extract.jsonl", "summary.json")


def _tree(out: Path) -> dict[str, bytes]:
    """The build's files: graphs, records, summary, views and texts (not the store: its bytes are RocksDB's)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and (p.name in OUTPUTS or p.relative_to(out).parts[0] in ("views", "text"))
    }


def _assert_same_tree(a: Path, b: Path) -> None:
    ta, tb = _tree(a), _tree(b)
    assert sorted(ta) == sorted(tb)
    for name in OUTPUTS:
        assert name in ta, name
    assert "views/overview.html" in ta
    different = [name for name in ta if ta[name] != tb[name]]
    assert not different, different


def test_graph_trig_holds_exactly_the_quads_of_build_dataset(built_out, records):
    """The streamed graph.trig (per-document Turtle from the workers) has the quads, lexical forms and
    datatypes included, of the one-Dataset build, and the summary counts them right."""
    from rdflib import Dataset

    ds = build_dataset(list(records.values()))
    streamed = Dataset()
    streamed.parse(built_out / "graph.trig", format="trig")
    assert serialize(streamed, "nquads") == serialize(ds, "nquads")
    summary = json.loads((built_out / "summary.json").read_text(encoding="utf-8"))
    assert summary["triples"] == len(ds)
    assert "<https://w3id.org/unionkg/id/graph/doc/000_ca660b9881810a2f> {" in (built_out / "graph.trig").read_text()


def test_graph_ttl_is_written_on_request_and_holds_the_union_of_the_named_graphs(tmp_path, built_out):
    from rdflib import Dataset, Graph

    assert not (built_out / "graph.ttl").exists()  # by default the triples are written once, in graph.trig
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in sorted(CORPUS.glob("*.txt"))[:2]:
        shutil.copy(p, corpus / p.name)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--jobs", "1", "--turtle"])
    assert result.exit_code == 0, result.output
    ttl = Graph().parse(out / "graph.ttl", format="turtle")
    trig = Dataset()
    trig.parse(out / "graph.trig", format="trig")
    union = {t for g in trig.graphs() for t in g}
    assert set(ttl) == union and len(union) > 5000
    named = sum(1 for g in trig.graphs() if len(g))
    assert (out / "graph.ttl").read_text(encoding="utf-8").count("\n# graph <") == named


def test_the_default_build_has_an_oxigraph_store_with_one_graph_per_document(built_out):
    import pyoxigraph as ox

    store = ox.Store.read_only(str(built_out / "store"))
    names = {g.value for g in store.named_graphs()}
    docs = {n for n in names if "/graph/doc/" in n}
    assert len(docs) == 5
    for vocab in ("ontology", "programmes", "gazetteer", "entities", "discovered"):
        assert f"https://w3id.org/unionkg/id/graph/{vocab}" in names
    trig = ox.Store()
    trig.load(path=str(built_out / "graph.trig"), format=ox.RdfFormat.TRIG)
    assert len(store) == len(trig)  # the quads of graph.trig (Oxigraph canonicalises both the same way)
    assert set(store) == set(trig)


def test_queries_on_oxigraph_run_as_text_and_report_syntax_errors_in_one_line(built_out):
    from kg.errors import QueryError

    ds = open_store("oxigraph", built_out / "store", read_only=True)
    rows = result_rows(run_query(ds, load_query("shared-programmes")))
    assert rows and rows[0]["count"] == "4"
    docs = result_rows(run_query(ds, query_from_text("SELECT ?d WHERE { ?d a ukg:PolicyDocument }")))
    assert len(docs) == 5
    with pytest.raises(QueryError, match=r"SPARQL syntax error at line 1"):
        run_query(ds, query_from_text("SELECT ?d WHERE { ?d a ukg:PolicyDocument "))


def test_kg_query_works_on_either_store(tmp_path, built_out):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in sorted(CORPUS.glob("*.txt"))[:2]:
        shutil.copy(p, corpus / p.name)
    runner = CliRunner()
    rows = {}
    for store in ("memory", "oxigraph"):
        out = tmp_path / store
        result = runner.invoke(main, ["build", str(corpus), "--out", str(out), "--store", store, "--jobs", "1"])
        assert result.exit_code == 0, result.output
        assert f"Store: {store}; 2 documents extracted" in result.stdout
        assert (out / "store").is_dir() == (store == "oxigraph")
        q = runner.invoke(main, ["query", "view-documents", "--out", str(out), "--format", "csv"])
        assert q.exit_code == 0, q.output
        rows[store] = sorted(q.stdout.splitlines())
        assert len(rows[store]) == 3  # header and two documents
    assert rows["memory"] == rows["oxigraph"]


def test_progress_reports_every_document_and_failures_once(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(sorted(CORPUS.glob("*.txt"))[0], corpus / "a.txt")
    (corpus / "b.txt").write_bytes(b"")
    seen: list[BuildProgress] = []
    report = run_build(corpus, tmp_path / "out", on_progress=seen.append)
    assert [(p.done, p.total, p.path.name, p.status) for p in seen] == [
        (1, 2, "a.txt", "extracted"),
        (2, 2, "b.txt", "failed"),
    ]
    assert seen[1].problem and "b.txt: the file is empty" in seen[1].problem
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 0
    assert "docs/s" in result.stderr
    assert result.stderr.count("b.txt: the file is empty") == 1
    assert report.documents == 1 and report.extracted == 1


def _edit_corpus(corpus: Path) -> None:
    """Change one document, remove one, add one."""
    changed = corpus / "001_1060be61fbd7f376.txt"
    changed.write_bytes(changed.read_bytes() + "\n（九）推进安康杯竞赛活动。\n".encode())
    (corpus / "002_2aaf79a3e9149368.txt").unlink()
    shutil.copy(CORPUS / "004_2ba259b3f4eff141.txt", corpus / "004_2ba259b3f4eff141.txt")


def _store_quads(out: Path) -> bytes:
    """out/store/ as sorted N-Quads."""
    import pyoxigraph as ox

    data = ox.serialize(ox.Store.read_only(str(out / "store")), format=ox.RdfFormat.N_QUADS) or b""
    return b"\n".join(sorted(data.splitlines()))


@pytest.mark.slow
@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_incremental_build_reuses_unchanged_documents_and_matches_a_clean_build(tmp_path, store):
    """A document changed, one removed, one added: only the two new ones are extracted and (on Oxigraph) only
    their graphs, the removed one's and the shared graphs that changed are replaced in a copy of the previous
    store; graph.trig, extract.jsonl, summary.json, the views, the texts and the store's quads are those of a
    clean build."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in sorted(CORPUS.glob("*.txt"))[:4]:
        shutil.copy(p, corpus / p.name)
    out, clean = tmp_path / "out", tmp_path / "clean"
    first = build_like_the_cli(corpus, out, store=store)
    assert (first.extracted, first.reused, first.dropped, first.kept) == (4, 0, 0, 0)
    again = build_like_the_cli(corpus, out, store=store)
    assert (again.extracted, again.reused, again.dropped) == (0, 4, 0)
    shared = 6  # ontology, programmes, gazetteer, genres, entities, discovered
    assert again.kept == (4 + shared if store == "oxigraph" else 0) and not again.warnings
    _edit_corpus(corpus)
    second = build_like_the_cli(corpus, out, store=store)
    assert (second.extracted, second.reused, second.dropped) == (2, 2, 1)
    # the two unchanged documents' graphs and the vocabulary's stay; entities and discovered change
    assert second.kept == (2 + 4 if store == "oxigraph" else 0) and not second.warnings
    full = build_like_the_cli(corpus, clean, incremental=False, store=store)
    assert (full.extracted, full.reused, full.dropped, full.kept) == (4, 0, 0, 0)
    _assert_same_tree(out, clean)
    if store == "oxigraph":
        assert _store_quads(out) == _store_quads(clean)
        ds = open_store("oxigraph", out / "store", read_only=True)
    else:
        assert not (out / "store").exists() and not (out / "cache" / "store.json").exists()
        ds = open_store("memory")
        ds.parse(out / "graph.trig", format="trig")
    graphs = {
        r["g"] for r in result_rows(run_query(ds, query_from_text("SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }")))
    }
    assert not any(g.endswith("/doc/002_2aaf79a3e9149368") for g in graphs)
    assert sum("/graph/doc/" in g for g in graphs) == 4
    sources = [Path(json.loads(line)["source"]).name for line in (out / "extract.jsonl").open(encoding="utf-8")]
    assert sources == sorted(p.name for p in corpus.iterdir())
    assert "推进安康杯竞赛活动" in (out / "text" / "001_1060be61fbd7f376.txt").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_store_that_cannot_be_reused_is_loaded_again_from_the_cache(tmp_path, monkeypatch):
    """Another pipeline fingerprint: the previous store is not copied (and nothing is said); a store whose files
    are not those the build left, or a store gone: one warning, every graph loaded from the cache, the same
    quads; then the next build reuses the store again."""
    import kg.run.build
    import kg.run.reuse

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in sorted(CORPUS.glob("*.txt"))[:2]:
        shutil.copy(p, corpus / p.name)
    out = tmp_path / "out"
    run_build(corpus, out)
    reference = _store_quads(out)
    with monkeypatch.context() as mp:
        mp.setattr(kg.run.build, "pipeline_fingerprint", lambda: "another pipeline")
        other = run_build(corpus, out)
    assert (other.extracted, other.kept, other.warnings) == (2, 0, [])
    assert _store_quads(out) == reference
    back = run_build(corpus, out)  # the manifest names the other fingerprint: extracted and loaded afresh, silently
    assert (back.extracted, back.reused, back.kept, back.warnings) == (2, 0, 0, [])
    with monkeypatch.context() as mp:  # a store grown past MAX_GROWTH times its size when loaded whole
        mp.setattr(kg.run.reuse, "MAX_GROWTH", 0.5)
        grown = run_build(corpus, out)
    assert (grown.reused, grown.kept, grown.warnings) == (2, 0, [])
    assert _store_quads(out) == reference
    for damage, says in [
        (lambda: max((out / "store").glob("*.sst"), key=lambda p: p.stat().st_size).unlink(), "not as the previous"),
        (lambda: shutil.rmtree(out / "store"), "missing"),
    ]:
        assert run_build(corpus, out).kept == 2 + 6  # reusable again
        damage()
        report = run_build(corpus, out)
        assert report.kept == 0 and len(report.warnings) == 1, report.warnings
        assert report.warnings[0].startswith(f"{out / 'store'}: {says}"), report.warnings
        assert report.warnings[0].endswith("every graph loaded again from the cache")
        assert _store_quads(out) == reference


def test_the_pipeline_fingerprint_follows_the_ontology(tmp_path):
    from kg.run.cache import cache_key, pipeline_fingerprint
    from kg.vocab.ontology import ONTOLOGY_DIR

    copy = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, copy)
    same = pipeline_fingerprint(str(copy))
    assert same == pipeline_fingerprint(None)
    with open(copy / "programme_scheme.ttl", "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    changed = pipeline_fingerprint.__wrapped__(str(copy))
    assert changed != same
    assert cache_key("a.txt", "0" * 64, base="b", fingerprint=same) != cache_key(
        "a.txt", "0" * 64, base="b", fingerprint=changed
    )


@pytest.mark.slow
def test_jobs_store_and_hash_seed_do_not_change_a_byte(tmp_path, built_out):
    """`kg build --jobs 2 --store memory` under another PYTHONHASHSEED = the session's jobs=1 Oxigraph build."""
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    cmd = [sys.executable, "-m", "kg.cli", "build", str(CORPUS), "--out", str(out), "--jobs", "2", "--store", "memory"]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    _assert_same_tree(out, built_out)


@pytest.mark.slow
def test_a_dask_cluster_builds_the_same_bytes(tmp_path, built_out):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        report = build_like_the_cli(CORPUS, tmp_path / "out", scheduler=cluster.scheduler_address, incremental=False)
    assert report.documents == 5 and report.extracted == 5
    _assert_same_tree(tmp_path / "out", built_out)


def test_the_loader_bulk_loads_in_batches_the_same_quads(built_out):
    """Graphs gathered into TriG batches (here one per graph) give the store the quads of graph.trig."""
    import pyoxigraph as ox

    from kg.graph.store import GraphLoader, quad_count
    from kg.run.cache import read_entry, read_text

    ds = open_store("oxigraph")
    loader = GraphLoader(ds, batch_bytes=1)
    entries = sorted((built_out / "cache").glob("*.ttl"))
    for path in entries:
        meta = read_entry(path.parent, path.stem)  # the entry's header checked (kg.run.cache)
        loader.add(read_text(path), meta["graph"])
    loader.flush()
    expected = ox.Store()
    expected.load(path=str(built_out / "graph.trig"), format=ox.RdfFormat.TRIG)
    doc_quads = {q for q in expected if "/graph/doc/" in q.graph_name.value}
    assert len(entries) == 5 and quad_count(ds) == len(doc_quads)
    assert set(ds.store._inner) == doc_quads
