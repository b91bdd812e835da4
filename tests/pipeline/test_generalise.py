"""The generalisation set: 14 documents of other provinces in the dev set's genres (tests/data/generalise/).

Scored with the logic of ../shared/tools/score_extract.py (issuer, jurisdiction, measures: the count per
document and each gold title, known and new programmes) plus the level; the thresholds sit at what the rules reach, so a rule that stops carrying over fails here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from kg.pipeline.components import process_file

DATA = Path(__file__).resolve().parents[1] / "data" / "generalise"
GOLD = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))["documents"]
NATIONAL = {"全国", "中国", "中华人民共和国"}
THRESHOLDS = {
    "issuer": 1.0,
    "jurisdiction": 1.0,
    "level": 1.0,
    "measure_docs": 1.0,
    "measure_titles": 1.0,
    "known": 0.99,
    "new": 0.92,
}


def _t2s(s: str) -> str:
    from opencc import OpenCC

    return OpenCC("t2s").convert(s)


def norm(s: str | None) -> str:
    """The scorer's normal form: simplified, NFKC, no pinyin, quotes, brackets or white space."""
    s = unicodedata.normalize("NFKC", _t2s(s or ""))
    s = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", s)
    for d in "·∙•‧・⋅":
        s = s.replace(d, "·")
    return re.sub(r"[\s“”‘’\"'《》〈〉「」『』()（）]", "", s)


@lru_cache(maxsize=1)
def records() -> dict[str, dict]:
    return {d["file"]: process_file(DATA / d["file"]).to_json() for d in GOLD}


def score() -> tuple[dict[str, float], list[str]]:
    tot = {k: [0, 0] for k in THRESHOLDS}
    missed = []
    for d in GOLD:
        r = records()[d["file"]]

        def count(key: str, ok: bool, what: str, d=d) -> None:
            tot[key][1] += 1
            tot[key][0] += ok
            if not ok:
                missed.append(f"{d['file']}:{key}:{what}")

        got = norm((r.get("jurisdiction") or {}).get("label"))
        count(
            "jurisdiction",
            got.startswith(norm(d["jurisdiction"])) or (d["jurisdiction"] == "全国" and got in NATIONAL),
            d["jurisdiction"],
        )
        count("issuer", norm((r.get("issuer") or {}).get("label")) == norm(d["issuer"]), d["issuer"])
        count("level", r.get("level") == d["level"], d["level"])
        gm = d.get("measures")
        if (gm is not None and d.get("kind") == "measures") or (gm == [] and d.get("kind") == "report"):
            em = [norm(m.get("title")) for m in r.get("measures", [])]
            count("measure_docs", len(em) == len(gm), f"{len(gm)}!={len(em)}")
            for g in gm:
                count("measure_titles", any(norm(g) in e or (e and e in norm(g)) for e in em), g)
        surfaces = set()
        for m in r["mentions"]:
            if m["type"] == "programme":
                surfaces |= {norm(m["label"]), norm(m["text"])}
        for key in ("known", "new"):
            for p in d[key]:
                count(key, bool(surfaces & {norm(a) for a in p["aliases"]}), p["label"])
    return {k: v[0] / v[1] for k, v in tot.items()}, missed


def test_the_gold_covers_every_document_of_the_set():
    assert sorted(d["file"] for d in GOLD) == sorted(p.name for p in DATA.glob("*.txt"))
    assert {d["level"] for d in GOLD} == {"national", "province", "city", "county"}


@pytest.mark.parametrize("metric", sorted(THRESHOLDS))
def test_the_rules_carry_over_to_other_provinces(metric):
    result, missed = score()
    assert result[metric] >= THRESHOLDS[metric], [m for m in missed if f":{metric}:" in m]


def test_no_discovered_programme_is_a_document_title_fragment_or_a_county_word():
    # 新建 (新建区) and 《…》 openers are no place brands: 新建提升工会驿站 was one before the anchoring rule
    labels = {m["label"] for r in records().values() for m in r["mentions"] if m.get("rule")}
    assert not any(label.startswith("新建") for label in labels)


def _issuer(text: str) -> tuple[str | None, str | None]:
    from kg.ingest.decode import SourceText
    from kg.pipeline.components import process_source

    r = process_source(SourceText(path="x.txt", text=text, encoding="utf-8", media_type="text/plain")).to_json()
    return (r["issuer"] or {}).get("label"), r["level"]


@pytest.mark.parametrize(
    ("text", "issuer", "level"),
    [
        # a signature above a date line names the issuer when the title names none
        (
            "关于开展金秋助学活动的通知\n\n各市州总工会：\n\n现将有关事项通知如下。\n\n湖南省总工会\n2025年8月1日\n",
            "湖南省总工会",
            "province",
        ),
        # a prefecture's short form with its level word
        ("恩施州总工会推出八项举措\n\n今年将推进职工书屋建设。\n", "恩施土家族苗族自治州总工会", "city"),
        # a bare 自治区总工会 is the region's own federation
        (
            "自治区总工会关于开展送清凉活动的通知\n\n广西各级工会：\n\n广西各地持续高温，现将有关事项通知如下。\n",
            "广西壮族自治区总工会",
            "province",
        ),
    ],
)
def test_issuer_forms_other_hands_write(text, issuer, level):
    assert _issuer(text) == (issuer, level)
