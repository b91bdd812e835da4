"""Query library: every query in queries/ against the demo corpus, rdflib against Oxigraph, and `kg query`.

Expected results come from two places: facts of the seed documents (gold measure titles, amounts and
programme labels) asserted literally, and the extraction records of the corpus, from which each
query's rows are recomputed in Python — so a query is checked against the data, not against itself.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, SKOS, Dataset, Literal, URIRef

from kg.cli import main
from kg.errors import QueryError
from kg.namespaces import UKG
from kg.surface.query import (
    QUERY_DIR,
    available_queries,
    format_result,
    load_query,
    parse_params,
    query_from_text,
    result_rows,
    run_query,
)

PLACE = "https://w3id.org/unionkg/place/"
PROG = "https://w3id.org/unionkg/programme/"
GROUP = "https://w3id.org/unionkg/group/"
DISCOVERED_SCHEME = URIRef("https://w3id.org/unionkg/discovered/scheme")
SICHUAN_PLAN = "000_ca660b9881810a2f.txt"
SHAANXI_PLAN = "003_84884fd58ce8b034.txt"


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


# ---------------------------------------------------------------- helpers


def run(ds: Dataset, name: str, *params: str) -> list[dict]:
    q = load_query(name)
    return result_rows(run_query(ds, q, bindings=parse_params(params, q)))


def example_params(name: str) -> list[str]:
    words = shlex.split(load_query(name).example)
    return [words[i + 1] for i, w in enumerate(words) if w == "--param"]


def num(value: str | None) -> Decimal:
    return Decimal(value) if value not in (None, "") else Decimal(0)


class Facts:
    """The corpus as the extraction records describe it, keyed the way the graph is."""

    def __init__(self, records: dict, ds: Dataset):
        self.records = records
        self.programmes = {str(s) for s in ds.subjects(RDF.type, UKG.Programme)}
        self.groups = {str(s) for s in ds.subjects(RDF.type, UKG.TargetGroup)}
        by_file = {str(o): str(s) for s, o in ds.subject_objects(UKG.sourceFile)}
        self.doc = {name: by_file[Path(rec.source).name] for name, rec in records.items()}
        self.jur = {name: rec.jurisdiction["label"] for name, rec in records.items() if rec.jurisdiction}
        self.jur_iri = {name: rec.jurisdiction["id"] for name, rec in records.items() if rec.jurisdiction}

    def mentions(self, kind: str = "programme"):
        """(file, record, mention) for mentions of programmes (ukg:Programme) or target groups."""
        known = self.programmes if kind == "programme" else self.groups
        for name, rec in self.records.items():
            for m in rec.mentions:
                if m["type"] == kind and m["id"] in known:
                    yield name, rec, m

    def programme_jurisdictions(self) -> dict[str, set[str]]:
        out = defaultdict(set)
        for name, _, m in self.mentions():
            if name in self.jur:
                out[m["id"]].add(self.jur[name])
        return out

    def quantity_iri(self, name: str, q: dict) -> str:
        return f"{self.doc[name]}/quantity/{q['start']}-{q['end']}"

    def statement_key(self, name: str, q: dict) -> tuple:
        """What makes two quantities of a document the same statement (see money-by-jurisdiction.rq)."""
        counts_text = q.get("counts_text") or (None if q.get("counts_id") else q.get("counts")) or None
        return (
            name,
            Decimal(str(q["value"])),
            q["unit"],
            q.get("role"),
            q.get("period") or None,
            q.get("qualifier") or None,
            counts_text,
            q.get("counts_id"),
            q.get("per") or None,
            q.get("measure"),
        )

    def linked_programmes(self, name: str, rec, q: dict) -> dict[str, str]:
        """programme -> "counts" | "measure": the programmes a quantity is tied to."""
        out = {}
        if q.get("measure") is not None:
            for m in rec.mentions:
                if m.get("measure") == q["measure"] and m["id"] in self.programmes:
                    out[m["id"]] = "measure"
        if q.get("counts_id") in self.programmes:
            out[q["counts_id"]] = "counts"
        return out


@pytest.fixture(scope="module")
def facts(records, dataset) -> Facts:
    return Facts(records, dataset)


# ---------------------------------------------------------------- one test per query


def test_shared_programmes(dataset, facts):
    juris = facts.programme_jurisdictions()
    rows = run(dataset, "shared-programmes")
    assert {r["programme"] for r in rows} == {p for p, js in juris.items() if len(js) >= 2}
    for r in rows:
        assert int(r["count"]) == len(juris[r["programme"]])
        assert set(r["jurisdictions"].split("、")) == juris[r["programme"]]
        assert r["minJurisdictions"] is None
    counts = [int(r["count"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    everywhere = {r["label"] for r in rows if r["count"] == "4"}
    assert {"劳动和技能竞赛", "劳模和工匠人才创新工作室", "县级工会加强年", "安康杯"} <= everywhere

    three = run(dataset, "shared-programmes", "minJurisdictions=3")
    assert {r["programme"] for r in three} == {p for p, js in juris.items() if len(js) >= 3}
    labels = {r["label"] for r in three}
    assert {"五小", "求学圆梦", "中国梦·劳动美"} <= labels
    assert "百万职工游巴蜀" not in labels
    assert {r["minJurisdictions"] for r in three} == {"3"}


def test_unique_programmes(dataset, facts):
    juris = facts.programme_jurisdictions()
    rows = run(dataset, "unique-programmes")
    expected = {(p, next(iter(js))) for p, js in juris.items() if len(js) == 1}
    assert {(r["programme"], r["jurisdictionLabel"]) for r in rows} == expected

    chongqing = run(dataset, "unique-programmes", "jurisdiction=place:chongqing")
    assert {r["jurisdictionLabel"] for r in chongqing} == {"重庆市"}
    assert {"渝工港湾", "爱心妈咪小屋", "重庆工匠学院", "千百十"} <= {r["label"] for r in chongqing}
    harbour = next(r for r in chongqing if r["label"] == "渝工港湾")
    in_records = sum(1 for _, _, m in facts.mentions() if m["id"] == PROG + "yugong-gangwan")
    assert int(harbour["mentions"]) == in_records >= 2


@pytest.mark.slow
def test_jurisdiction_programmes(dataset, facts):
    expected = Counter((facts.jur_iri[name], m["id"]) for name, _, m in facts.mentions() if name in facts.jur_iri)
    rows = run(dataset, "jurisdiction-programmes")
    assert {(r["jurisdiction"], r["programme"]): int(r["mentions"]) for r in rows} == dict(expected)
    by_label = {(r["jurisdictionLabel"], r["label"]): r for r in rows}
    assert by_label[("四川省", "川工带川货")]["documents"] == "2"  # the plan and the report
    assert by_label[("陕西省", "三秦工匠")]["categoryLabel"] == "工匠人才与职工创新"
    assert by_label[("重庆市", "渝工港湾")]["categoryLabel"]

    sichuan = run(dataset, "jurisdiction-programmes", "jurisdiction=place:sichuan")
    assert sichuan == [r for r in rows if r["jurisdiction"] == PLACE + "sichuan"]


def test_compare_jurisdictions(dataset, facts):
    juris = facts.programme_jurisdictions()
    rows = run(dataset, "compare-jurisdictions", "a=place:sichuan", "b=place:chongqing")
    statuses = {r["label"]: r["status"] for r in rows}
    assert statuses["百万职工游巴蜀"] == "both"
    assert statuses["川工带川货"] == "only a"
    assert statuses["渝工港湾"] == "only b"
    expected = {}
    for p, js in juris.items():
        a, b = "四川省" in js, "重庆市" in js
        if a or b:
            expected[p] = "both" if a and b else "only a" if a else "only b"
    assert {r["programme"]: r["status"] for r in rows} == expected
    for r in rows:
        assert (r["inA"], r["inB"]) == (
            str(r["status"] != "only b").lower(),
            str(r["status"] != "only a").lower(),
        )
        assert (int(r["mentionsA"]) > 0) == (r["status"] != "only b")
        assert r["a"] == PLACE + "sichuan" and r["b"] == PLACE + "chongqing"
    assert [r["status"] for r in rows] == sorted(r["status"] for r in rows)

    swapped = run(dataset, "compare-jurisdictions", "a=place:chongqing", "b=place:sichuan")
    flip = {"both": "both", "only a": "only b", "only b": "only a"}
    assert {r["programme"]: r["status"] for r in swapped} == {p: flip[s] for p, s in expected.items()}
    with pytest.raises(QueryError, match="missing required parameter b"):
        run(dataset, "compare-jurisdictions", "a=place:sichuan")


def test_programme_evidence(dataset, facts, records):
    rows = run(dataset, "programme-evidence", "programme=prog:ankang-cup")
    mentions = [(n, m) for n, _, m in facts.mentions() if m["id"] == PROG + "ankang-cup"]
    assert len(rows) == len(mentions) >= 5
    for r in rows:
        rec = records[r["sourceFile"]]
        start, end = int(r["start"]), int(r["end"])
        assert rec.text[start:end] == r["quote"] == "安康杯"
        assert r["label"] == "安康杯"
        if r["measureOrdinal"]:
            assert rec.measures[int(r["measureOrdinal"]) - 1]["title"] == r["measureTitle"]
    located = {(r["jurisdictionLabel"], r["measureOrdinal"], r["measureTitle"]) for r in rows}
    assert ("四川省", "12", "保障安全护航发展") in located
    assert ("陕西省", "9", "加强职工权益保障") in located
    assert ("云南省", "9", "保障安全促进发展") in located
    assert [(r["sourceFile"], int(r["start"])) for r in rows] == sorted(
        (r["sourceFile"], int(r["start"])) for r in rows
    )


def test_document_measures(dataset, facts, records, gold):
    rows = run(dataset, "document-measures")
    assert len(rows) == sum(len(rec.measures) for rec in records.values())
    for r in rows:
        rec = records[r["sourceFile"]]
        ordinal = int(r["ordinal"])
        assert rec.measures[ordinal - 1]["title"] == r["title"]
        assert int(r["quantities"]) == sum(1 for q in rec.quantities if q.get("measure") == ordinal)
        programmes = {m["id"] for m in rec.mentions if m.get("measure") == ordinal and m["id"] in facts.programmes}
        assert int(r["programmes"]) == len(programmes)

    plan = run(dataset, "document-measures", f"document={facts.doc[SICHUAN_PLAN]}")
    gold_doc = next(d for d in gold["documents"] if d["file"] == SICHUAN_PLAN)
    assert [r["title"] for r in plan] == gold_doc["measures"]
    assert [r["ordinal"] for r in plan] == [str(i) for i in range(1, 13)]
    assert {r["sectionTitle"] for r in plan} == {None}
    ninth = plan[8]
    assert (ninth["title"], ninth["quantities"]) == ("推进户外劳动者站点建设", "3")

    shaanxi = run(dataset, "document-measures", f"document={facts.doc[SHAANXI_PLAN]}")
    assert len(shaanxi) == 15
    assert shaanxi[0]["sectionTitle"] == "助力高质量项目推进年方面"
    assert shaanxi[14]["title"] == "从严抓好作风建设"


@pytest.mark.slow
def test_targets_by_programme(dataset, facts, records):
    rows = run(dataset, "targets-by-programme")
    expected = set()
    for name, rec in records.items():
        if name not in facts.jur:
            continue
        for q in rec.quantities:
            if not q.get("role"):
                continue
            for p, how in facts.linked_programmes(name, rec, q).items():
                expected.add((facts.quantity_iri(name, q), p, how))
    assert {(r["quantity"], r["programme"], r["link"]) for r in rows} == expected
    assert any(r["link"] == "counts" for r in rows)

    stations = run(dataset, "targets-by-programme", "programme=prog:outdoor-worker-station", "role=target")
    assert {r["role"] for r in stations} == {"target"}
    found = {(r["jurisdictionLabel"], num(r["value"]), r["unit"], r["qualifier"]) for r in stations}
    assert ("四川省", Decimal(90000000), "元", "min") in found  # 合作单位等全年安排 9000万元以上
    assert ("四川省", Decimal(1000000), "人次", "min") in found
    assert ("云南省", Decimal(3000000), "人次", "min") in found
    sichuan_ninth = [r for r in stations if r["jurisdictionLabel"] == "四川省" and r["measureOrdinal"] == "9"]
    assert all(r["quote"] for r in sichuan_ninth) and len(sichuan_ninth) >= 3

    yunnan = run(dataset, "targets-by-programme", "jurisdiction=place:yunnan")
    assert yunnan and {r["jurisdictionLabel"] for r in yunnan} == {"云南省"}


def _distinct_statements(facts: Facts, records: dict, keep) -> dict[tuple, dict]:
    """One quantity per distinct statement (the first), with the number of copies."""
    out: dict[tuple, dict] = {}
    for name, rec in records.items():
        for q in rec.quantities:
            if name in facts.jur and keep(q):
                entry = out.setdefault(facts.statement_key(name, q), {"name": name, "q": q, "copies": 0})
                entry["copies"] += 1
    return out


def test_money_by_jurisdiction(dataset, facts, records):
    rows = run(dataset, "money-by-jurisdiction")
    got = {(r["jurisdictionLabel"], r["role"]): r for r in rows}
    # The seed documents' own figures
    assert num(got[("云南省", "target")]["total"]) == 240000000  # 创业担保贷款 2.4亿元以上
    assert num(got[("重庆市", "target")]["total"]) == 1000000000  # 新增补助资金10亿元左右, stated twice
    assert got[("重庆市", "target")]["restated"] == "1"
    sichuan = got[("四川省", "target")]  # 1200万 + 9000万 + 3000万 + 1500万; 300/300/500元 are per person
    assert (num(sichuan["total"]), sichuan["amounts"], sichuan["perUnitAmounts"]) == (147000000, "4", "3")

    expected = defaultdict(lambda: [Decimal(0), 0, 0, 0])
    for entry in _distinct_statements(facts, records, lambda q: q.get("currency") == "CNY" and q.get("role")).values():
        q = entry["q"]
        cell = expected[(facts.jur[entry["name"]], q["role"])]
        if q.get("per"):
            cell[2] += 1
        else:
            cell[0] += Decimal(str(q["value"]))
            cell[1] += 1
        cell[3] += entry["copies"] - 1
    assert {
        k: [num(r["total"]), int(r["amounts"]), int(r["perUnitAmounts"]), int(r["restated"])] for k, r in got.items()
    } == {k: v for k, v in expected.items()}

    targets = run(dataset, "money-by-jurisdiction", "role=target")
    assert targets == [r for r in rows if r["role"] == "target"]


@pytest.mark.slow
def test_targets_by_jurisdiction(dataset, facts, records):
    rows = run(dataset, "targets-by-jurisdiction")
    expected = defaultdict(set)
    units = defaultdict(set)
    for name, rec in records.items():
        if name not in facts.jur:
            continue
        for q in rec.quantities:
            if q.get("role") != "target":
                continue
            for p in facts.linked_programmes(name, rec, q) or [None]:
                expected[(facts.jur[name], p)].add(facts.statement_key(name, q))
                units[(facts.jur[name], p)].add(q["unit"])
    got = {(r["jurisdictionLabel"], r["programme"]): r for r in rows}
    assert {k: int(r["targets"]) for k, r in got.items()} == {k: len(v) for k, v in expected.items()}
    assert {k: set(r["units"].split("、")) for k, r in got.items()} == dict(units)
    # 云南: 4项全国引领性竞赛, 12项示范性竞赛, 每年参赛职工100万人次以上 (measure 2, 劳动和技能竞赛)
    assert got[("云南省", PROG + "labour-skills-competition")]["targets"] == "3"
    assert {"项", "人次"} <= set(got[("云南省", PROG + "labour-skills-competition")]["units"].split("、"))

    yunnan = run(dataset, "targets-by-jurisdiction", "jurisdiction=place:yunnan")
    assert yunnan == [r for r in rows if r["jurisdiction"] == PLACE + "yunnan"]


def test_planned_vs_reported(dataset, facts, records):
    rows = run(dataset, "planned-vs-reported")
    got = {(r["jurisdictionLabel"], r["unit"]): r for r in rows}
    # 四川 plan: 500万 + 50万 + 800万 + 30万 + 100万 + 1万 + 2000 + 100万 人次
    assert (got[("四川省", "人次")]["targets"], num(got[("四川省", "人次")]["targetTotal"])) == ("8", 15812000)
    assert (got[("陕西省", "名")]["targets"], num(got[("陕西省", "名")]["targetTotal"])) == ("2", 140)  # 40 + 100
    assert int(got[("四川省", "%")]["statistics"]) >= 1 and num(got[("四川省", "%")]["statisticTotal"]) == 0

    expected = defaultdict(lambda: [0, Decimal(0), 0, Decimal(0)])
    for entry in _distinct_statements(facts, records, lambda q: q.get("role") in ("target", "statistic")).values():
        q = entry["q"]
        cell = expected[(facts.jur[entry["name"]], q["unit"])]
        i = 0 if q["role"] == "target" else 2
        cell[i] += 1
        if q["unit"] != "%" and not q.get("per"):
            cell[i + 1] += Decimal(str(q["value"]))
    assert {
        k: [int(r["targets"]), num(r["targetTotal"]), int(r["statistics"]), num(r["statisticTotal"])]
        for k, r in got.items()
    } == dict(expected)

    people = run(dataset, "planned-vs-reported", "unit=人次")
    assert people == [r for r in rows if r["unit"] == "人次"]


def test_target_group_coverage(dataset, facts):
    rows = run(dataset, "target-group-coverage")
    expected = Counter((facts.jur[n], m["id"]) for n, _, m in facts.mentions("target_group") if n in facts.jur)
    assert {(r["jurisdictionLabel"], r["group"]): int(r["mentions"]) for r in rows} == dict(expected)
    shaanxi = run(dataset, "target-group-coverage", "jurisdiction=place:shaanxi")
    assert {r["jurisdictionLabel"] for r in shaanxi} == {"陕西省"}
    assert {"工会干部", "农民工", "新就业形态劳动者"} <= {r["groupLabel"] for r in shaanxi}
    mentions = [int(r["mentions"]) for r in shaanxi]
    assert mentions == sorted(mentions, reverse=True)

    women = run(dataset, "target-group-coverage", "group=grp:women-workers")
    assert {r["group"] for r in women} == {GROUP + "women-workers"}
    assert len(women) == len({j for (j, g) in expected if g == GROUP + "women-workers"}) >= 1


@pytest.mark.slow
def test_programme_cooccurrence(dataset, facts, records):
    together = defaultdict(set)
    for name, rec in records.items():
        in_measure = defaultdict(set)
        for m in rec.mentions:
            if m.get("measure") is not None and m["id"] in facts.programmes:
                in_measure[m["measure"]].add(m["id"])
        for ordinal, ids in in_measure.items():
            for a in ids:
                for b in ids:
                    if a != b:
                        together[(a, b)].add((name, ordinal))
    rows = run(dataset, "programme-cooccurrence")
    assert {(r["programme"], r["other"]): int(r["measures"]) for r in rows} == {
        pair: len(ms) for pair, ms in together.items() if pair[0] < pair[1]
    }
    pair = next(r for r in rows if {r["label"], r["otherLabel"]} == {"劳模和工匠人才创新工作室", "五小"})
    assert (pair["measures"], pair["jurisdictions"]) == ("3", "3")  # 四川, 重庆 and 云南 plans

    cup = run(dataset, "programme-cooccurrence", "programme=prog:ankang-cup")
    assert {r["programme"] for r in cup} == {PROG + "ankang-cup"}
    assert {r["other"] for r in cup} == {b for (a, b) in together if a == PROG + "ankang-cup"}
    assert len(cup) >= 2


def test_discovered_programmes(dataset):
    has_discovered = dataset.query(
        "ASK { ?c <http://www.w3.org/2004/02/skos/core#inScheme> <https://w3id.org/unionkg/discovered/scheme> }"
    ).askAnswer
    rows = run(dataset, "discovered-programmes")
    if not has_discovered:
        assert rows == []
        return
    concepts = {
        c for c in dataset.subjects(SKOS.inScheme, DISCOVERED_SCHEME) if (c, UKG.curated, Literal(True)) not in dataset
    }
    mentions = {c: set(dataset.subjects(URIRef("http://www.w3.org/ns/oa#hasBody"), c)) for c in concepts}
    assert rows, "discovered concepts exist but the query lists none"
    assert {r["concept"]: int(r["mentions"]) for r in rows} == {str(c): len(m) for c, m in mentions.items()}
    for r in rows:
        docs = {dataset.value(m, UKG.inDocument) for m in mentions[URIRef(r["concept"])]}
        assert int(r["documents"]) == len(docs)
        assert r["label"]
    assert all(r["concept"].startswith("https://w3id.org/unionkg/discovered/") for r in rows)
    assert [int(r["mentions"]) for r in rows] == sorted((int(r["mentions"]) for r in rows), reverse=True)
    frequent = run(dataset, "discovered-programmes", "minMentions=2")
    assert frequent == [r | {"minMentions": "2"} for r in rows if int(r["mentions"]) >= 2]


def test_programmes_by_category(dataset, facts):
    category = {}
    for p in facts.programmes:
        tops = [c for c in dataset.objects(URIRef(p), SKOS.broader) if (c, RDF.type, UKG.ProgrammeCategory) in dataset]
        category[p] = str(tops[0]) if tops else None
    expected = defaultdict(set)
    for name, _, m in facts.mentions():
        if name in facts.jur:
            expected[(facts.jur[name], category[m["id"]])].add(m["id"])
    rows = run(dataset, "programmes-by-category")
    assert {(r["jurisdictionLabel"], r["category"]): int(r["programmes"]) for r in rows} == {
        k: len(v) for k, v in expected.items()
    }
    shaanxi = run(dataset, "programmes-by-category", "jurisdiction=place:shaanxi")
    craft = next(r for r in shaanxi if r["categoryLabel"] == "工匠人才与职工创新")
    assert int(craft["programmes"]) >= 5  # 三秦工匠, 三秦工匠杯, 南泥湾劳模工匠学院, 创新工作室, 产改 …
    counts = [int(r["programmes"]) for r in shaanxi if r["category"]]
    assert counts == sorted(counts, reverse=True)
    hardship = run(dataset, "programmes-by-category", "category=prog:cat-hardship")
    assert {r["categoryLabel"] for r in hardship} == {"困难职工帮扶与慰问"} and len(hardship) >= 3


def _announced_rows(records) -> set[tuple]:
    """announced-measures recomputed from the records: (sourceFile, genre, announced, found, differs)."""
    return {
        (Path(r.source).name, f"https://w3id.org/unionkg/genre/{r.genre}", r.announced_count, len(r.measures),
         r.announced_count != len(r.measures))
        for r in records
        if r.announced_count is not None
    }  # fmt: skip


def _as_announced(rows: list[dict]) -> set[tuple]:
    return {(r["sourceFile"], r["genre"], int(r["announced"]), int(r["found"]), r["differs"] == "true") for r in rows}


def test_announced_measures(dataset, records):
    rows = run(dataset, "announced-measures")
    assert _as_announced(rows) == _announced_rows(records.values()) and len(rows) >= 4
    assert all(r["genreLabel"] for r in rows)
    notices = run(dataset, "announced-measures", "genre=https://w3id.org/unionkg/genre/notice")
    assert _as_announced(notices) == _announced_rows(r for r in records.values() if r.genre == "notice")


def test_announced_measures_finds_a_count_the_measures_miss(records):
    """A document announcing two more measures than were found is listed first, with differs true."""
    import dataclasses

    from kg.graph.build import build_dataset

    first, *rest = [r for r in records.values() if r.announced_count is not None]
    off = dataclasses.replace(first, announced_count=len(first.measures) + 2)
    rows = run(build_dataset([off, *rest]), "announced-measures")
    assert rows[0]["sourceFile"] == Path(first.source).name and rows[0]["differs"] == "true"
    assert int(rows[0]["announced"]) == int(rows[0]["found"]) + 2
    assert all(r["differs"] == "false" for r in rows[1:])


# The view-* queries belong to the views; checked here for their row counts on the demo corpus.


def test_view_documents(dataset, records):
    rows = run(dataset, "view-documents")
    assert sorted(r["sourceFile"] for r in rows) == sorted(Path(r.source).name for r in records.values())
    assert Counter(r["jurisdictionLabel"] for r in rows) == {"四川省": 2, "重庆市": 1, "陕西省": 1, "云南省": 1}
    scheme = Dataset().parse(Path(QUERY_DIR).parent / "ontology" / "genres.ttl", format="turtle")
    for rec in records.values():  # one row per document, its genre with the scheme's labels
        concept = URIRef(f"https://w3id.org/unionkg/genre/{rec.genre}")
        labels = {lit.language: str(lit) for lit in scheme.objects(concept, SKOS.prefLabel)}
        (row,) = [r for r in rows if r["sourceFile"] == Path(rec.source).name]
        assert (row["genre"], row["genreLabel"], row["genreLabelEn"]) == (str(concept), labels["zh"], labels["en"])


def test_view_measures(dataset, records):
    rows = run(dataset, "view-measures")
    assert len({r["measure"] for r in rows}) == sum(len(r.measures) for r in records.values()) == 47


def test_view_mentions(dataset, facts):
    rows = run(dataset, "view-mentions")
    expected = sum(1 for _ in facts.mentions()) + sum(1 for _ in facts.mentions("target_group"))
    assert len({r["mention"] for r in rows}) == expected


def test_view_quantities(dataset, records):
    rows = run(dataset, "view-quantities")
    assert len({r["quantity"] for r in rows}) == sum(len(r.quantities) for r in records.values())


def test_view_sections(dataset, facts, gold):
    rows = run(dataset, "view-sections")
    by_doc = defaultdict(list)
    for r in rows:
        by_doc[r["doc"]].append(r["title"])
    for doc in gold["documents"]:
        assert by_doc.get(facts.doc[doc["file"]], []) == doc.get("sections", []), doc["file"]


# The export-* queries feed `kg export --format graphml|gexf` (tests/surface/test_export.py checks the graph itself).


def test_export_entity_nodes(dataset, facts):
    rows = run(dataset, "export-entity-nodes")
    assert len({r["node"] for r in rows}) == len(rows)
    by_type = defaultdict(set)
    for r in rows:
        by_type[r["type"]].add(r["node"])
    assert by_type["jurisdiction"] == set(facts.jur_iri.values())
    assert by_type["document"] == set(facts.doc.values())
    assert set(facts.programme_jurisdictions()) <= by_type["programme"]
    groups = {m["id"] for _, _, m in facts.mentions("target_group")}
    assert by_type["target_group"] == groups
    labels = {r["node"]: r["label"] for r in rows}
    assert {labels[iri] for iri in by_type["jurisdiction"]} == set(facts.jur.values())


@pytest.mark.slow
def test_export_entity_edges(dataset, facts):
    rows = run(dataset, "export-entity-edges")
    expected = Counter()
    for name, _, m in facts.mentions():
        if name in facts.jur_iri:
            expected[(facts.jur_iri[name], m["id"])] += 1
    got = {
        (r["source"], r["target"]): int(r["weight"])
        for r in rows
        if r["kind"] == "jurisdiction_mentions" and r["target"] in facts.programmes
    }
    assert got == dict(expected)
    assert {(r["source"], r["target"]) for r in rows if r["kind"] == "jurisdiction"} == {
        (facts.doc[name], iri) for name, iri in facts.jur_iri.items()
    }
    co = [r for r in rows if r["kind"] == "co_occurs" and r["target"] in facts.programmes]
    assert co and all(r["source"] < r["target"] and r["weight"] == r["measures"] for r in co)


# ---------------------------------------------------------------- the brief (kg report) and the timeline


def _years(facts: Facts, jurisdiction: str) -> dict[str, set[int]]:
    """programme -> the years of the documents of `jurisdiction` that mention it (from the records)."""
    out = defaultdict(set)
    for name, rec, m in facts.mentions():
        if facts.jur_iri.get(name) == jurisdiction and rec.date:
            out[m["id"]].add(int(rec.date[:4]))
    return out


def test_report_places(dataset, facts):
    rows = run(dataset, "report-places")
    provinces = {r["place"]: r for r in rows if r["level"] == "province"}
    assert len(provinces) == 34 and len([r for r in rows if r["level"] == "city"]) > 300
    with_docs = {r["place"]: int(r["documents"]) for r in rows if r["documents"] != "0"}
    assert with_docs == dict(Counter(facts.jur_iri.values()))  # the demo corpus has no city or county documents
    sichuan = provinces[PLACE + "sichuan"]
    assert (sichuan["label"], sichuan["labelEn"]) == ("四川省", "Sichuan")
    assert {"四川", "四川省", "Sichuan"} <= set(sichuan["names"].split("、"))
    assert {r["level"] for r in run(dataset, "report-places", "level=city")} == {"city"}


def test_report_documents(dataset, records, facts):
    rows = run(dataset, "report-documents", "jurisdiction=place:sichuan", "level=province")
    sichuan = {facts.doc[n]: rec for n, rec in records.items() if facts.jur_iri.get(n) == PLACE + "sichuan"}
    assert [r["doc"] for r in rows] == sorted(sichuan, key=lambda d: sichuan[d].date)  # by date
    assert [(r["date"], r["genreLabel"]) for r in rows] == [("2022", "工作报告"), ("2023", "方案措施")]
    for r in rows:
        assert int(r["measures"]) == len(sichuan[r["doc"]].measures)
        assert r["level"] == "province" and r["jurisdiction"] == PLACE + "sichuan"
    assert run(dataset, "report-documents", "jurisdiction=place:sichuan") == rows  # the place's own level
    assert run(dataset, "report-documents", "jurisdiction=place:sichuan", "level=city") == []


def test_report_programmes(dataset, facts):
    juris = facts.programme_jurisdictions()
    rows = run(dataset, "report-programmes", "jurisdiction=place:sichuan", "level=province")
    mentioned = Counter(m["id"] for n, _, m in facts.mentions() if facts.jur_iri.get(n) == PLACE + "sichuan")
    assert {r["programme"]: int(r["mentions"]) for r in rows} == dict(mentioned)
    for r in rows:
        others = juris[r["programme"]] - {"四川省"}
        assert int(r["others"]) == len(others), r["label"]
        assert set(filter(None, r["sharedWith"].split("、"))) == others, r["label"]
    by_label = {r["label"]: r for r in rows}
    assert by_label["安康杯"]["others"] == "3" and by_label["川工带川货"]["others"] == "0"
    assert [int(r["others"]) for r in rows] == sorted((int(r["others"]) for r in rows), reverse=True)


def test_report_quantities(dataset, records, facts):
    rows = run(dataset, "report-quantities", "jurisdiction=place:chongqing", "level=province")
    expected = {
        facts.quantity_iri(name, q)
        for name, rec in records.items()
        if facts.jur_iri.get(name) == PLACE + "chongqing"
        for q in rec.quantities
        if q["role"] == "target" or q["unit"] == "元"
    }
    assert {r["quantity"] for r in rows} == expected and len(rows) == len(expected) > 10
    assert all(r["quote"] and (r["money"] == "true") == (r["unit"] == "元") for r in rows)
    assert any(r["period"] for r in rows) and any(r["measureTitle"] for r in rows)


def test_report_groups(dataset, facts):
    rows = run(dataset, "report-groups", "jurisdiction=place:shaanxi", "level=province")
    expected = Counter(
        m["id"] for n, _, m in facts.mentions("target_group") if facts.jur_iri.get(n) == PLACE + "shaanxi"
    )
    assert {r["group"]: int(r["mentions"]) for r in rows} == dict(expected)
    assert [int(r["mentions"]) for r in rows] == sorted((int(r["mentions"]) for r in rows), reverse=True)


def test_report_planned_vs_reported(dataset):
    for place in ("sichuan", "chongqing"):
        ours = run(dataset, "report-planned-vs-reported", f"jurisdiction=place:{place}", "level=province")
        theirs = run(dataset, "planned-vs-reported", f"jurisdiction=place:{place}")
        keys = ("unit", "targets", "targetTotal", "statistics", "statisticTotal")
        assert [tuple(num(r[k]) if k != "unit" else r[k] for k in keys) for r in ours] == [
            tuple(num(r[k]) if k != "unit" else r[k] for k in keys) for r in theirs
        ]
        assert ours


def test_report_all_programmes(dataset):
    every = run(dataset, "report-all-programmes")
    for place in ("sichuan", "chongqing"):
        ours = {(r["programme"], r["mentions"], r["documents"]) for r in every
                if r["jurisdiction"] == PLACE + place and r["level"] == "province"}  # fmt: skip
        theirs = {(r["programme"], r["mentions"], r["documents"])
                  for r in run(dataset, "report-programmes", f"jurisdiction=place:{place}", "level=province")}  # fmt: skip
        assert ours == theirs and ours
    assert {r["jurisdictionLabel"] for r in every if r["level"] == "province"} == {
        "四川省",
        "重庆市",
        "陕西省",
        "云南省",
    }


def test_report_all_planned_vs_reported(dataset):
    every = run(dataset, "report-all-planned-vs-reported")
    for place in ("sichuan", "chongqing"):
        ours = [r for r in every if r["jurisdiction"] == PLACE + place and r["level"] == "province"]
        assert ours == run(dataset, "report-planned-vs-reported", f"jurisdiction=place:{place}", "level=province")
        assert ours


def test_programme_timeline(dataset, facts):
    rows = run(dataset, "programme-timeline", "jurisdiction=place:sichuan")
    years = _years(facts, PLACE + "sichuan")
    assert {r["programme"] for r in rows} == set(years)
    for r in rows:
        ys = years[r["programme"]]
        assert {int(y) for y in r["years"].split("、")} == ys and int(r["yearCount"]) == len(ys)
        assert (int(r["first"]), int(r["last"])) == (min(ys), max(ys))
        assert len(r["documentList"].split("、")) == int(r["documents"])
    both = {r["label"] for r in rows if r["years"].count("、") == 1}
    assert {"五小", "中国梦·劳动美"} <= both  # the 2022 report and the 2023 plan
    everyone = run(dataset, "programme-timeline")
    assert {r["jurisdictionLabel"] for r in everyone} == {"四川省", "重庆市", "陕西省", "云南省"}


def test_jurisdiction_changes(dataset, facts):
    params = ("jurisdiction=place:sichuan", "yearA=2022", "yearB=2023")
    rows = run(dataset, "jurisdiction-changes", *params)
    years = _years(facts, PLACE + "sichuan")
    added = {p for p, ys in years.items() if 2023 in ys and 2022 not in ys}
    dropped = {p for p, ys in years.items() if 2022 in ys and 2023 not in ys}
    assert {r["programme"] for r in rows if r["change"] == "added"} == added and added
    assert {r["programme"] for r in rows if r["change"] == "dropped"} == dropped and dropped
    assert {(r["yearA"], r["yearB"]) for r in rows} == {("2022", "2023")}
    back = run(dataset, "jurisdiction-changes", "jurisdiction=place:sichuan", "yearA=2023", "yearB=2022")
    assert {r["programme"] for r in back if r["change"] == "added"} == dropped
    assert run(dataset, "jurisdiction-changes", "jurisdiction=place:yunnan", "yearA=2022", "yearB=2023") == []


# ---------------------------------------------------------------- the library as a whole


def test_every_query_is_in_the_catalogue():
    catalogue = (QUERY_DIR.parent / "docs" / "queries.md").read_text(encoding="utf-8")
    missing = [n for n in available_queries() if f"### {n}\n" not in catalogue]
    assert not missing, f"queries missing from docs/queries.md: {missing}"


def test_every_query_has_a_test_here():
    source = Path(__file__).read_text(encoding="utf-8")
    missing = [n for n in available_queries() if f"def test_{n.replace('-', '_')}(" not in source]
    assert not missing, f"queries without a test in tests/surface/test_query.py: {missing}"
    assert len(available_queries()) >= 13


@pytest.mark.parametrize("name", available_queries())
def test_query_header_and_no_pasted_parameters(name):
    text = (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    assert header and header[0].startswith("# Question: "), name
    assert any(h.startswith("# Parameters: ") for h in header), name
    example = next((h for h in header if h.startswith("# Example: ")), "")
    assert example.startswith(f"# Example: kg query {name}"), name
    q = load_query(name)
    assert q.question.endswith("?") or q.question.endswith(")"), q.question
    body = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))
    for param in q.params:
        assert re.search(rf"\?{param}\b", body), f"{name}: parameter {param} is declared but not used"
        assert re.search(rf"^SELECT\b[^{{]*\?{param}\b", body, re.S | re.M), f"{name}: {param} is not projected"
    # parameters are bound, never pasted: no template placeholders of any kind
    assert not re.search(r"\{\s*[A-Za-z_]\w*\s*\}", body), f"{name}: a {{placeholder}} in the query text"
    assert not re.search(r"%\(?\w*\)?s|\{\{|\}\}|\$\{", body), f"{name}: a %s/{{{{…}}}}/${{…}} placeholder"
    for pair in example_params(name):
        assert pair.split("=", 1)[0] in q.params, f"{name}: the example binds an undeclared parameter"


def _has_discovered(ds: Dataset) -> bool:
    return next(iter(ds.subjects(SKOS.inScheme, DISCOVERED_SCHEME)), None) is not None


@pytest.mark.slow
@pytest.mark.parametrize("name", available_queries())
def test_example_runs_and_returns_rows(dataset, name):
    rows = run(dataset, name, *example_params(name))
    if name == "discovered-programmes" and not _has_discovered(dataset):
        assert rows == []
        return
    assert rows, f"{name}: its # Example returns no row on the demo corpus"


# ---------------------------------------------------------------- rdflib and Oxigraph agree

NUMERIC = ("integer", "decimal", "double", "float", "long", "int", "nonNegativeInteger", "positiveInteger")


def _normal(value: str, datatype: str | None) -> str:
    if datatype and datatype.rsplit("#", 1)[-1] in NUMERIC:
        return format(Decimal(value).normalize(), "f")
    return "、".join(sorted(value.split("、")))  # GROUP_CONCAT order is not defined


def _rdflib_rows(ds, q, bindings) -> set[tuple]:
    result = run_query(ds, q, bindings=bindings)
    return {
        tuple(None if v is None else _normal(str(v), str(getattr(v, "datatype", None) or "")) for v in row)
        for row in result
    }


def _oxigraph_rows(store, q, bindings) -> set[tuple]:
    import pyoxigraph as ox

    subs = {}
    for key, value in bindings.items():
        if isinstance(value, URIRef):
            subs[ox.Variable(key)] = ox.NamedNode(str(value))
        elif value.datatype:
            subs[ox.Variable(key)] = ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        else:
            subs[ox.Variable(key)] = ox.Literal(str(value))
    solutions = store.query(q.text, use_default_graph_as_union=True, substitutions=subs)
    rows = set()
    for row in solutions:
        cells = []
        for v in row:
            if v is None:
                cells.append(None)
            elif isinstance(v, ox.Literal):
                cells.append(_normal(v.value, v.datatype.value))
            else:
                cells.append(_normal(v.value, None))
        rows.add(tuple(cells))
    return rows


@pytest.fixture(scope="module")
def built_ds(built_out) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(built_out / "graph.trig", format="trig")
    return ds


@pytest.fixture(scope="module")
def oxstore(built_out):
    ox = pytest.importorskip("pyoxigraph")
    store = ox.Store()
    store.load(path=str(built_out / "graph.trig"), format=ox.RdfFormat.TRIG)
    return store


#: more parameter bindings to compare, so that every declared parameter is bound at least once
MORE_BINDINGS = {
    "shared-programmes": [["level=city"], ["level=county", "minJurisdictions=1"]],
    "unique-programmes": [["level=city"], ["level=county"]],
    "announced-measures": [["genre=genre:notice"]],
    "report-documents": [["jurisdiction=place:chongqing"], ["jurisdiction=place:sichuan", "level=city"]],
    "report-programmes": [["jurisdiction=place:yunnan"]],
    "report-groups": [["jurisdiction=place:sichuan"]],
    "report-quantities": [["jurisdiction=place:sichuan"]],
    "report-planned-vs-reported": [["jurisdiction=place:yunnan"]],
    "programme-timeline": [["programme=prog:ankang-cup"], ["jurisdiction=place:sichuan", "programme=prog:wuxiao"]],
    "jurisdiction-changes": [["jurisdiction=place:sichuan", "yearA=2023", "yearB=2022"]],
    "targets-by-programme": [["jurisdiction=place:sichuan", "role=statistic"]],
    "money-by-jurisdiction": [["jurisdiction=place:sichuan"]],
    "planned-vs-reported": [["jurisdiction=place:chongqing"]],
    "target-group-coverage": [["jurisdiction=place:shaanxi"]],
    "programmes-by-category": [
        ["category=prog:cat-hardship"],
        ["jurisdiction=place:yunnan", "category=prog:cat-rights"],
    ],
}


@pytest.mark.slow
@pytest.mark.parametrize("name", available_queries())
def test_rdflib_and_oxigraph_agree(built_ds, oxstore, name):
    q = load_query(name)
    variants = [example_params(name), *MORE_BINDINGS.get(name, [])]
    if not q.required:
        variants.insert(0, [])
    bound = {pair.split("=", 1)[0] for params in variants for pair in params}
    assert bound == set(q.params), f"{name}: parameters never compared: {set(q.params) - bound}"
    for params in variants:
        bindings = parse_params(params, q)
        ours = _rdflib_rows(built_ds, q, bindings)
        theirs = _oxigraph_rows(oxstore, q, bindings)
        assert ours == theirs, (name, params, sorted(ours - theirs, key=str)[:3], sorted(theirs - ours, key=str)[:3])


# ---------------------------------------------------------------- parameters and formats (library)


def test_parameters_are_typed_by_the_header_and_checked():
    q = load_query("shared-programmes")
    assert parse_params(["minJurisdictions=3"], q) == {"minJurisdictions": Literal(3)}
    with pytest.raises(QueryError, match=r"unknown parameter 'minimum'.*declares: level, minJurisdictions"):
        parse_params(["minimum=3"], q)
    with pytest.raises(QueryError, match="not an integer"):
        parse_params(["minJurisdictions=three"], q)
    with pytest.raises(QueryError, match="expected key=value"):
        parse_params(["minJurisdictions"], q)
    cmp = load_query("compare-jurisdictions")
    assert cmp.required == {"a", "b"}
    bound = parse_params(["a=place:sichuan", f"b={PLACE}yunnan"], cmp)
    assert bound == {"a": URIRef(PLACE + "sichuan"), "b": URIRef(PLACE + "yunnan")}
    with pytest.raises(QueryError, match="not an IRI"):
        parse_params(["a=四川", "b=place:yunnan"], cmp)
    money = load_query("money-by-jurisdiction")
    assert parse_params(["role=target"], money) == {"role": Literal("target")}  # a plain literal, not @zh
    inline = query_from_text("SELECT ?d WHERE { ?d ukg:jurisdiction ?j }")
    assert parse_params(["j=place:yunnan"], inline) == {"j": URIRef(PLACE + "yunnan")}
    with pytest.raises(QueryError, match="unknown parameter 'x'"):
        parse_params(["x=1"], inline)


def test_a_value_is_bound_not_pasted(dataset):
    """A parameter value that looks like SPARQL stays a value: no rows, no error, no injection."""
    q = load_query("money-by-jurisdiction")
    hostile = 'target" } UNION { ?s ?p ?o } #'
    assert result_rows(run_query(dataset, q, bindings=parse_params([f"role={hostile}"], q))) == []


def test_syntax_errors_name_line_and_column():
    q = query_from_text(
        "PREFIX ukg: <https://w3id.org/unionkg/ns#>\nSELECT ?x\nWHERE { ?x a ukg:Foo . FILTER( }", "bad"
    )
    with pytest.raises(QueryError, match=r"bad: SPARQL syntax error at line 3, column \d+"):
        run_query(Dataset(), q)
    with pytest.raises(QueryError, match="Unknown namespace prefix"):
        run_query(Dataset(), query_from_text("SELECT ?x WHERE { ?x a nope:Foo }"))


def test_load_query_by_name_path_and_errors(tmp_path):
    assert load_query("shared-programmes").name == "shared-programmes"
    assert load_query("shared-programmes.rq").question == load_query("shared-programmes").question
    path = tmp_path / "mine.rq"
    path.write_text("# Question: which documents?\n# param: j (iri)\nSELECT ?d ?j WHERE { ?d ?p ?j }\n", "utf-8")
    mine = load_query(str(path))
    assert (mine.question, mine.params) == ("which documents?", {"j": "iri"})
    with pytest.raises(
        QueryError, match=r"no query named 'nonesuch'; available: announced-measures, compare-jurisdictions, "
    ):
        load_query("nonesuch")
    with pytest.raises(QueryError, match="no such query file"):
        load_query(str(tmp_path / "missing.rq"))


def test_formats_render_the_same_rows(dataset):
    q = load_query("money-by-jurisdiction")
    result = run_query(dataset, q)
    rows = result_rows(result)
    data = json.loads(format_result(result, "json"))
    assert data["head"]["vars"] == [str(v) for v in result.vars]
    assert len(data["results"]["bindings"]) == len(rows)
    assert data["results"]["bindings"][0]["jurisdiction"]["type"] == "uri"
    parsed = list(csv.DictReader(io.StringIO(format_result(result, "csv"))))
    assert [r["jurisdictionLabel"] for r in parsed] == [r["jurisdictionLabel"] for r in rows]
    assert "1000000000" in {r["total"] for r in parsed}  # decimals print without a trailing .0
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0].split("\t") == data["head"]["vars"] and len(tsv) == len(rows) + 1
    md = format_result(result, "markdown").splitlines()
    assert md[0].startswith("| jurisdiction | jurisdictionLabel |") and md[1].startswith("|---|")
    assert len(md) == len(rows) + 2
    table = format_result(result, "table")
    assert table.rstrip().endswith(f"({len(rows)} rows)") and "云南省" in table
    with pytest.raises(QueryError, match="unknown output format"):
        format_result(result, "xml")


# ---------------------------------------------------------------- kg query (CLI)


def kg(*args: str):
    return CliRunner().invoke(main, ["query", *args])


def test_cli_query_by_name_with_param(built_out):
    res = kg("shared-programmes", "--out", str(built_out), "--param", "minJurisdictions=4")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].split()[:3] == ["programme", "label", "count"]
    assert "劳动和技能竞赛" in res.output and re.fullmatch(r"\(\d+ rows?\)", lines[-1])
    res = kg("shared-programmes", "--out", str(built_out), "--param", "minJurisdictions=4", "--format", "tsv")
    rows = [ln.split("\t") for ln in res.output.splitlines()]
    assert len(rows) > 4 and {r[2] for r in rows[1:]} == {"4"}


def test_cli_query_by_file_and_inline(built_out, tmp_path):
    path = tmp_path / "docs-of.rq"
    path.write_text(
        "# Question: which documents apply to a jurisdiction?\n# Parameters: j (IRI).\n# param: j (iri)\n"
        "# Example: kg query docs-of.rq --param j=place:yunnan\n"
        "PREFIX ukg: <https://w3id.org/unionkg/ns#>\n"
        "SELECT ?file ?j WHERE { ?d ukg:jurisdiction ?j ; ukg:sourceFile ?file } ORDER BY ?file\n",
        encoding="utf-8",
    )
    res = kg(str(path), "--out", str(built_out), "--param", "j=place:sichuan", "--format", "csv")
    assert res.exit_code == 0, res.output
    assert list(csv.reader(io.StringIO(res.output))) == [
        ["file", "j"],
        ["000_ca660b9881810a2f.txt", PLACE + "sichuan"],
        ["001_1060be61fbd7f376.txt", PLACE + "sichuan"],
    ]
    res = kg("-e", "SELECT (COUNT(?d) AS ?n) WHERE { ?d a ukg:PolicyDocument }", "--out", str(built_out))
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[2].strip() == "5"
    res = kg("-e", "ASK { ?d ukg:jurisdiction ?j }", "--param", "j=place:yunnan", "--out", str(built_out))
    assert (res.exit_code, res.output) == (0, "true\n")


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "markdown"])
def test_cli_query_formats(built_out, fmt):
    res = kg("money-by-jurisdiction", "--param", "role=target", "--format", fmt, "--out", str(built_out))
    assert res.exit_code == 0, res.output
    out = res.output
    if fmt == "json":
        data = json.loads(out)
        labels = {b["jurisdictionLabel"]["value"] for b in data["results"]["bindings"]}
        assert labels == {"云南省", "四川省", "重庆市"}
        assert {b["role"]["value"] for b in data["results"]["bindings"]} == {"target"}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert {r["jurisdictionLabel"]: r["total"] for r in rows}["云南省"] == "240000000"
    elif fmt == "tsv":
        rows = [ln.split("\t") for ln in out.splitlines()]
        assert rows[0][:3] == ["jurisdiction", "jurisdictionLabel", "role"] and len(rows) == 4
    elif fmt == "markdown":
        assert out.splitlines()[0].startswith("| jurisdiction |") and "| 重庆市 | target | 1000000000 |" in out
    else:
        assert "重庆市" in out and out.rstrip().endswith("(3 rows)")


def test_cli_query_list():
    res = kg("--list")
    assert res.exit_code == 0
    for name in available_queries():
        assert re.search(rf"^{re.escape(name)}\s+\S", res.output, re.M), name
    assert "compare-jurisdictions" in res.output and "[params: a*, b*]" in res.output


def test_cli_query_syntax_error_is_one_line_with_line_and_column(built_out):
    res = kg("-e", "SELECT ?x\nWHERE { ?x ?p }", "--out", str(built_out))
    assert res.exit_code == 2
    assert "line" in res.output and "column" in res.output
    assert "Traceback" not in res.output and isinstance(res.exception, SystemExit)
    assert len(res.output.strip().splitlines()) == 1
    assert re.search(r"line 2, column \d+", res.output)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["shared-programmes", "--param", "minimum=2"],
            r"unknown parameter 'minimum'; it declares: level, minJurisdictions",
        ),
        (
            ["nonesuch"],
            r"no query named 'nonesuch'; available: announced-measures, compare-jurisdictions, .*unique-programmes",
        ),
        (["compare-jurisdictions", "--param", "a=place:sichuan"], r"missing required parameter b"),
        (["shared-programmes", "--param", "minJurisdictions=many"], r"not an integer"),
        (["shared-programmes", "--param", "minJurisdictions"], r"expected key=value"),
        (["shared-programmes", "-e", "ASK {}"], r"not both"),
        ([], r"give a query NAME"),
        (["no/such/file.rq"], r"no such query file"),
    ],
)
def test_cli_query_errors_are_one_line(built_out, args, message):
    res = kg(*args, "--out", str(built_out))
    assert res.exit_code == 2, res.output
    assert re.search(message, res.output), res.output
    assert len(res.output.strip().splitlines()) == 1 and "Traceback" not in res.output


def test_cli_query_without_a_built_graph(tmp_path):
    res = kg("shared-programmes", "--out", str(tmp_path))
    assert res.exit_code == 1 and "no built graph" in res.output
