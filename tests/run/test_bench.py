"""Benchmarks (bench/): the corpus generator is deterministic and realistic, the runner reports both stores.

A smoke test only: 10 documents, one run per query, no assertion on any timing. The generated genres
(bench.genres) are checked exactly where the pipeline reaches them today (EXACT_GENRES); for the others
the per-genre table of bench.check is printed, not asserted.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.check import check_measures, format_table  # noqa: E402
from bench.generate import MANIFEST, generate_corpus, read_manifest  # noqa: E402
from bench.genres import GENRES  # noqa: E402
from bench.run import main as bench_main  # noqa: E402
from kg.surface.query import available_queries  # noqa: E402

pytestmark = pytest.mark.slow

SMOKE_DOCS = 10
GENRE_DOCS = 3  # the first 3 documents of each genre (seed 1) for the per-genre table
#: the numbered genres, asserted exact: the numbered plans and reports of the first generator and the genres
#: numbered like them (实事 lists, 第N条 articles, rows of a 序号 table); the others are printed as figures
EXACT_GENRES = ("plan", "report", "shishi-list", "notice-articles", "table")


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "corpus"
    generate_corpus(SMOKE_DOCS, 1, out)
    return out


def test_same_seed_same_bytes_other_seed_other_bytes(corpus, tmp_path):
    again = tmp_path / "again"
    generate_corpus(SMOKE_DOCS, 1, again)
    assert _digest(again) == _digest(corpus)
    other = tmp_path / "other"
    generate_corpus(SMOKE_DOCS, 2, other)
    assert _digest(other) != _digest(corpus)
    # document i does not depend on the corpus size: 5 documents are the first 5 of 10
    five = tmp_path / "five"
    generate_corpus(5, 1, five)
    small = {k: v for k, v in _digest(five).items() if k != MANIFEST}
    assert small == {k: v for k, v in _digest(corpus).items() if k in small}


def test_generator_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit, match="refusing to overwrite"):
        generate_corpus(2, 1, tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_generated_documents_build_with_the_expected_measures(corpus):
    from kg.graph.build import build_dataset
    from kg.pipeline.components import process_file

    manifest = read_manifest(corpus)
    assert manifest["docs"] == SMOKE_DOCS and len(manifest["documents"]) == SMOKE_DOCS
    records = []
    for doc in manifest["documents"]:
        rec = process_file(corpus / doc["file"])
        records.append(rec)
        if doc["genre"] not in EXACT_GENRES:
            continue
        assert len(rec.measures) == doc["measures"], doc
        assert rec.kind == doc["kind"], doc
        assert rec.jurisdiction and rec.jurisdiction["id"] == doc["jurisdiction"], doc
    assert sum(d["measures"] for d in manifest["documents"] if d["genre"] in EXACT_GENRES) >= 3 * SMOKE_DOCS
    ds = build_dataset(records)
    doc_graphs = [g for g in ds.graphs() if "/graph/doc/" in str(g.identifier) and len(g)]
    assert len(doc_graphs) == SMOKE_DOCS


def test_generator_varies_style_place_and_noise():
    from bench.generate import generate_document

    specs = [generate_document(i, 1)[1] for i in range(120)]
    assert len({s.style for s in specs if s.genre == "plan"}) >= 5
    assert len({s.jurisdiction for s in specs}) >= 15
    assert any(s.city for s in specs) and any(s.kind == "report" for s in specs)
    noise = {n for s in specs for n in s.noise}
    assert {"broken_lines", "traditional", "boilerplate", "full_width_digits", "repeated_paragraph"} <= noise
    assert {"pinyin", "spam", "post_furniture", "safeguards_section"} <= noise
    assert "utf-8" in {s.encoding for s in specs} and {s.encoding for s in specs} & {"gbk", "gb18030"}
    assert {s.genre for s in specs} == set(GENRES)


def test_every_genre_has_its_shape_and_announces_its_count():
    """Each genre is written in its own shape (a marker of it in the text) and announces its count where it does."""
    import re
    import unicodedata

    from bench.generate import generate_document
    from bench.genres import cn_numeral

    shapes = {
        "news-paragraphs": r"来源：.*\n\n(本报讯|\d+月|近日)[\s\S]*^[^。，\n]{4,24}。\S",
        "news-quoted-list": r"(分别是|依次是|包括|主要有)“[^”]+”、",
        "notice-articles": r"^第一条 ",
        "public-account-post": r"^点击蓝字关注",
        "interview": r"^(记者|问)：.*\n\n答：",
        "table": r"^\|? ?序号\s+\|?\s*工作任务\s+\|?\s*目标\s+\|?\s*责任部门( \|)?$",
        "notice-attachment": r"^附件：.*\n[\s\S]*^一、[^\n]+\n\n(（一）|1\.)",
        "plan-safeguards": r"^[一二三四五六]、(保障措施|组织保障|工作要求)$",
        "work-report": r"^### 一、",
        "mirror": r"^\S+ \| 工[会會][频頻]道 \| ",
    }
    seen = set()
    for i in range(200):
        data, spec = generate_document(i, 1)
        text = data.decode(spec.encoding)
        plain = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔù]+\)", "", text)
        if spec.genre in shapes and (spec.genre == "mirror" or "traditional" not in spec.noise):
            assert re.search(shapes[spec.genre], plain, re.M), (spec.genre, text[:600])
            seen.add(spec.genre)
        if spec.genre in ("work-report", "report"):
            assert spec.measures == 0 and spec.announced is None
        elif spec.genre == "interview":
            assert spec.announced is None and spec.measures >= 3
        elif spec.announced is not None:
            assert spec.announced == spec.measures
            head = unicodedata.normalize("NFKC", plain[:600])
            assert str(spec.announced) in head or cn_numeral(spec.announced) in head or "pinyin" in spec.noise, head
        if "pinyin" in spec.noise:
            assert re.search(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔù]+\)", text)
    assert seen == set(shapes)
    announcing = [generate_document(i, 1)[1] for i in range(60)]
    assert sum(s.announced is not None for s in announcing) >= 30


def test_check_counts_exact_documents_and_announced_counts_per_genre():
    manifest = {
        "documents": [
            {"file": "a.txt", "genre": "plan", "measures": 3, "announced": 3},
            {"file": "b.txt", "genre": "plan", "measures": 2, "announced": None},
            {"file": "c.txt", "genre": "interview", "measures": 4, "announced": None},
            {"file": "d.txt", "genre": "table", "measures": 5, "announced": 5},
        ]
    }
    records = [
        {"source": "corpus/a.txt", "measures": [{}, {}, {}], "announced_count": 3, "genre": "plan"},
        {"source": "corpus/b.txt", "measures": [{}], "genre": "plan"},
        {"source": "corpus/c.txt", "measures": [{}] * 4, "genre": "interview"},
    ]  # d.txt has no record: it found nothing
    figures = check_measures(manifest, records)
    assert list(figures) == ["plan", "interview", "table"]  # in GENRES order
    plan, interview, table = figures.values()
    assert (plan.docs, plan.exact, plan.measures_found, plan.measures_expected) == (2, 1, 4, 5)
    assert (plan.announced_docs, plan.announced_read, plan.genre_read) == (1, 1, 2)
    assert (interview.exact, interview.genre_read, interview.field_genre) == (1, 1, "interview")
    assert (table.exact, table.measures_found, table.field_genre) == (0, 0, "plan")
    text = format_table(figures)
    assert "| plan | plan | 2 | 1/2 | 4 / 5 | 1/1 | 2/2 |" in text and "| **all** | | 4 | 2/4 |" in text


def test_measures_by_genre(tmp_path, capsys):
    """Per genre, how many generated documents give exactly their measures today: asserted for EXACT_GENRES,
    printed (the table bench/README.md quotes) for the others."""
    from dataclasses import asdict

    from bench.generate import generate_document
    from kg.pipeline.components import process_file

    docs: list[dict] = []
    for i in range(1000):
        data, spec = generate_document(i, 1)
        if sum(d["genre"] == spec.genre for d in docs) < GENRE_DOCS:
            (tmp_path / spec.file).write_bytes(data)
            docs.append(asdict(spec))
        if len(docs) == GENRE_DOCS * len(GENRES):
            break
    manifest = {"documents": docs}
    for doc in docs:
        assert {"genre", "field_genre", "measures", "announced"} <= doc.keys()
    records = [process_file(tmp_path / d["file"]) for d in docs]
    figures = check_measures(manifest, records)
    with capsys.disabled():
        print(f"\nmeasures by genre, the first {GENRE_DOCS} documents of each genre (seed 1):\n{format_table(figures)}")
    assert list(figures) == list(GENRES) and all(f.docs == GENRE_DOCS for f in figures.values())
    for genre in EXACT_GENRES:
        assert figures[genre].exact == figures[genre].docs, format_table(figures)


def test_runner_reports_both_stores_every_query_and_ratios(tmp_path):
    pytest.importorskip("oxrdflib")  # in the test extra; `pip install oxrdflib`
    out, work = tmp_path / "results", tmp_path / "work"
    code = bench_main(
        [
            "--sizes",
            str(SMOKE_DOCS),
            "--out",
            str(out),
            "--work",
            str(work),
            "--min-runs",
            "1",
            "--max-runs",
            "1",
            "--no-warmup",
            "--query-timeout",
            "3",
            "--timeout",
            "600",
        ]
    )
    assert code == 0
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["stores"] == ["memory", "oxigraph"]
    (run,) = results["runs"]
    assert run["docs"] == SMOKE_DOCS
    memory, oxigraph = run["stores"]["memory"], run["stores"]["oxigraph"]
    for m in (memory, oxigraph):
        assert "error" not in m, m.get("error")
        assert m["docs"] == SMOKE_DOCS and m["triples"] > 10_000
        by_genre = m["exact_by_genre"]
        assert all(by_genre[g][0] == by_genre[g][1] for g in EXACT_GENRES if g in by_genre), by_genre
        assert {"extract_s", "build_s", "docs_per_s", "mb_per_s", "peak_rss_mb"} <= m.keys()
        assert set(m["exports"]) == {"turtle", "nquads"}
        names = {label.split(" [")[0] for label in m["queries"]}
        assert names == set(available_queries())  # every query in queries/ was run (or its failure recorded)
        for label, q in m["queries"].items():
            assert "p50_s" in q or "error" in q, label
    assert memory["triples"] == oxigraph["triples"]
    ratios = run["ratios"]
    assert ratios["build_s"] > 0 and ratios["peak_rss_mb"] > 0 and ratios["exports"]["turtle"] > 0
    assert ratios["queries"], "no query ran on both stores"
    md = (out / "results.md").read_text(encoding="utf-8")
    assert "| memory |" in md and "| oxigraph |" in md and "ratio" in md
    for name in available_queries():
        assert name in md
    svg = (out / "scaling.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "oxigraph" in svg


def _fake_run(docs: int, triples: int, build_s: float, peak_mb: float, p50: float, turtle_s: float) -> dict:
    m = {
        "total_build_s": build_s,
        "peak_rss_build_mb": peak_mb,
        "triples": triples,
        "queries": {"shared-programmes": {"p50_s": p50}},
        "exports": {"turtle": {"s": turtle_s}},
    }
    return {"docs": docs, "stores": {"oxigraph": m}}


def test_goals_are_interpolated_at_one_million_triples_and_extrapolated_to_ten_thousand_documents():
    from bench.run import evaluate_goals

    runs = [
        _fake_run(100, 250_000, 10.0, 400.0, 0.01, 1.0),
        _fake_run(1000, 2_500_000, 100.0, 2200.0, 0.1, 10.0),
    ]
    goals = {g["goal"]: g for g in evaluate_goals(runs)}
    build = next(g for k, g in goals.items() if k.startswith("10,000 documents build in"))
    assert build["value"] == "1,000 s" and not build["met"] and "extrapolated" in build["how"]
    peak = next(g for k, g in goals.items() if "peak memory" in k)
    assert peak["value"] == "20.2 GB" and not peak["met"]
    linear = goals["build time linear in documents"]
    assert linear["met"] and linear["value"] == "log-log slope 1.00"
    query = next(g for k, g in goals.items() if k.startswith("shared-programmes p50"))
    assert query["met"] and "interpolated" in query["how"] and query["value"] == "0.040 s"
    turtle = next(g for k, g in goals.items() if k.startswith("Turtle export"))
    assert not turtle["met"] and turtle["value"] == "4.0 s"


def test_goals_measure_every_row_and_check_the_bytes(tmp_path):
    """`make bench` (bench.goals) at 3 documents: every goal row has a figure, the incremental build after one
    changed document extracts that one only and equals a clean build of the changed corpus, the Dask build
    equals the local one; goals.json/.md and the README's goals section are written. No timing is asserted."""
    pytest.importorskip("distributed")
    from bench.goals import BEGIN, END, GOALS
    from bench.goals import main as goals_main

    readme = tmp_path / "README.md"
    readme.write_text(f"# bench\n\n{BEGIN}\nold\n{END}\n\nafter\n", encoding="utf-8")
    out = tmp_path / "results"
    args = ["--sizes", "2,3", "--jobs", "1", "--dask-docs", "3", "--no-overview", "--query-runs", "1"]
    assert goals_main([*args, "--work", str(tmp_path / "work"), "--out", str(out), "--readme", str(readme)]) == 0
    results = json.loads((out / "goals.json").read_text(encoding="utf-8"))
    rows = {r["key"]: r for r in results["goals"]}
    assert set(GOALS) | {"dask"} == set(rows)
    measured = {k for k, r in rows.items() if r["value"] is not None}
    assert measured == set(GOALS) - {"overview_s"} | {"dask"}
    small, big = results["runs"]
    assert small["incremental"]["identical_to_clean"] is True
    assert (big["incremental"]["extracted"], big["incremental"]["reused"]) == (1, 2)
    assert rows["dask"]["met"] is True and big["dask"]["identical_to_local"] is True
    assert big["export"]["turtle"]["deterministic"] and big["export"]["nquads"]["deterministic"]
    assert big["floor"]["quads"] > 0 and big["floor"]["tokens"] >= big["floor"]["chars"] * 0.5
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and text.endswith("after\n") and "| clean `kg build --jobs 2`" in text
    assert (out / "goals.md").read_text(encoding="utf-8") in text
