"""Extract: gazetteer mentions generated from the ontology, scored against the gold annotations."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import CORPUS, GOLD_PATH, SHARED

from kg.pipeline.mentions import extract_mentions, make_nlp
from kg.text.normalize import normalize

SCORER = SHARED / "tools" / "score_extract.py"


def _scores(tmp_path, records) -> dict[str, float]:
    out = tmp_path / "extract.jsonl"
    out.write_text(
        "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in records.values()), encoding="utf-8"
    )
    proc = subprocess.run(
        [sys.executable, str(SCORER), str(GOLD_PATH), str(CORPUS), str(out)], capture_output=True, text=True, check=True
    )
    summary = proc.stdout.strip().splitlines()[-1].split("|", 1)[1]
    return {k: float(v) for k, v in (kv.split("=") for kv in summary.split())}


def test_scorer_figures_on_the_seeds(tmp_path, records, gold):
    scores = _scores(tmp_path, records)
    assert scores["offsets"] == 1.0
    assert scores["jurisdiction"] == 1.0
    assert scores["issuer"] == 1.0
    assert scores["measure_docs"] == 1.0
    assert scores["measure_titles"] == 1.0
    assert scores["programmes"] >= 0.95


def test_offset_invariant_for_every_mention_and_quantity(records):
    for rec in records.values():
        for item in rec.mentions + rec.quantities:
            assert rec.text[item["start"] : item["end"]] == item["text"]


def test_mentions_are_linked_to_their_measure(records):
    rec = records["002_2aaf79a3e9149368.txt"]
    gangwan = [m for m in rec.mentions if m["label"] == "渝工港湾"]
    assert gangwan and all(m["measure"] == 6 for m in gangwan if m["measure"] is not None)


def test_patterns_come_from_the_ontology(tmp_path):
    """Adding an altLabel in Turtle teaches the extractor, with no Python change."""
    import shutil

    from kg.vocab.ontology import ONTOLOGY_DIR

    onto, edited = tmp_path / "ontology", tmp_path / "edited"
    shutil.copytree(ONTOLOGY_DIR, onto)
    shutil.copytree(ONTOLOGY_DIR, edited)
    text = "全面开展“职工暖心小站”服务。"
    before = extract_mentions(normalize(text).text, directory=str(onto))
    assert not any(m.type == "programme" and m.label == "户外劳动者服务站点" for m in before)
    with open(edited / "programme_scheme.ttl", "a", encoding="utf-8") as fh:
        fh.write('\nprog:outdoor-worker-station skos:altLabel "职工暖心小站"@zh .\n')
    after = extract_mentions(normalize(text).text, directory=str(edited))
    assert any(m.type == "programme" and m.label == "户外劳动者服务站点" for m in after)


def test_the_vocabulary_is_read_once_and_an_edit_applies_in_a_new_process(tmp_path):
    """One Vocabulary per ontology folder and process, shared by the stages; the next process sees an edit."""
    import shutil

    from kg.vocab.ontology import ONTOLOGY_DIR, gazetteer, load_vocabulary, places

    assert load_vocabulary() is load_vocabulary(ONTOLOGY_DIR) is load_vocabulary(str(ONTOLOGY_DIR))
    assert gazetteer() is load_vocabulary().gazetteer and places() is load_vocabulary().places
    onto = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, onto)
    vocab = load_vocabulary(onto)
    label = "职工暖心小站"
    assert label not in {e.label for e in vocab.gazetteer}
    with open(onto / "programme_scheme.ttl", "a", encoding="utf-8") as fh:
        fh.write(f'\nprog:outdoor-worker-station skos:altLabel "{label}"@zh .\n')
    assert load_vocabulary(onto) is vocab  # no file is checked again in this process
    code = f"from kg.vocab.ontology import load_vocabulary; print({label!r} in {{e.label for e in load_vocabulary({str(onto)!r}).gazetteer}})"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "True"


def test_character_segmenter_matches_inside_words():
    nlp = make_nlp()
    assert nlp.lang == "zh"
    found = extract_mentions(normalize("深化劳模和工匠人才创新工作室“双升行动”").text)
    assert next(m.label for m in found if m.type == "programme") == "劳模和工匠人才创新工作室"


def test_traditional_text_matches_simplified_labels():
    found = extract_mentions(normalize("發揮「安康盃」競賽作用，開展金秋助學").text)
    labels = {m.label for m in found if m.type == "programme"}
    assert {"金秋助学"} <= labels


def test_target_groups_are_mentions_beside_programmes(records):
    rec = records["000_ca660b9881810a2f.txt"]
    groups = {m["label"] for m in rec.mentions if m["type"] == "target_group"}
    assert {"农民工", "新就业形态劳动者", "户外劳动者", "女职工"} <= groups
    # a group inside a longer programme name stays part of the programme (农民工求学圆梦 is 求学圆梦)
    shaanxi = records["003_84884fd58ce8b034.txt"]
    assert any(m["text"] == "农民工求学圆梦" and m["type"] == "programme" for m in shaanxi.mentions)


def test_major_projects_are_typed_and_linked_to_their_measure(records):
    sichuan = [m for m in records["000_ca660b9881810a2f.txt"].mentions if m["type"] == "project"]
    assert {m["label"] for m in sichuan} >= {"川藏铁路", "成渝中线高铁", "岷江黄金水道", "柯拉光伏电站"}
    assert {m["measure"] for m in sichuan} == {2}
    yunnan = records["004_2ba259b3f4eff141.txt"].mentions
    assert any(m["type"] == "project" and m["label"] == "滇中引水工程" for m in yunnan)
    assert not any(m["type"] == "place" and m["label"] == "云南滇中新区" for m in yunnan)  # 滇中 of 滇中引水


def test_organisations_are_typed_and_in_their_measure(records):
    rec = records["002_2aaf79a3e9149368.txt"]
    hrss = next(m for m in rec.mentions if m["text"] == "市人社局")
    assert hrss["type"] == "organisation" and hrss["label"] == "重庆市人力资源和社会保障局"
    assert hrss["measure"] == 4 and hrss["kind"].endswith("/kind-hrss")


def test_a_curated_programme_is_widened_to_the_quoted_name_of_filler_words_around_it():
    from kg.pipeline.mentions import extract_mentions

    text = "做实做细“工会送温暖行动”，开展“送温暖进万家”慰问。"
    by_label = [(m.label, text[m.start : m.end]) for m in extract_mentions(text) if m.type == "programme"]
    assert ("送温暖", "工会送温暖行动") in by_label  # 工会 (generic) + 送温暖 + 行动 (a head)
    assert ("送温暖", "送温暖") in by_label  # 进万家 is not filler: the mention stays as it is


def test_a_venue_is_widened_over_its_ordinal_and_place_or_level_character():
    from kg.pipeline.mentions import extract_mentions

    text = "苏州市第二工人文化宫全年接待职工；宣传教育部、市工人文化宫负责；建设工人文化宫。"
    found = [(m.type, text[m.start : m.end]) for m in extract_mentions(text)]
    assert ("programme", "苏州市第二工人文化宫") in found
    assert ("place", "苏州市") not in found  # absorbed into the venue's name
    assert ("programme", "市工人文化宫") in found
    assert ("programme", "工人文化宫") in found  # 设 before it is not a level character


def test_char_words_are_spacys_char_segmentation():
    """The one-pass character segmentation makes the words and spaces spaCy's own scan makes."""
    from pathlib import Path

    from spacy.util import get_words_and_spaces

    from kg.pipeline.mentions import char_words

    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "tests" / "data" / "generalise").glob("*.txt"))]
    texts += ["", " ", "  ", "\n", "总工会", " 总工会 ", "总  工会\n\n 职工 \t之家  ", "\u3000职工\u00a0之家 \n"]
    for text in texts:
        assert char_words(text) == get_words_and_spaces(list(text), text)
    words, spaces = char_words("总 工会\n\n职工")
    assert (words, spaces) == (["总", "工", "会", "\n\n", "职", "工"], [True, False, False, False, False, False])


def test_a_municipality_and_a_county_level_city_are_two_tests():
    from kg.pipeline.mentions import is_county_level_city, is_municipality
    from kg.vocab.ontology import load_vocabulary

    places = {p.label: p for p in load_vocabulary().places.values() if p.kind in ("province", "city", "county")}
    assert [is_municipality(places[n]) for n in ("北京市", "重庆市", "四川省", "成都市", "义乌市")] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert [is_county_level_city(places[n]) for n in ("义乌市", "长沙县", "北京市", "成都市")] == [
        True,
        False,
        False,
        False,
    ]


def test_phrase_matcher_finds_the_span_rulers_spans():
    """extract_mentions' PhraseMatcher finds the spans, in the order, that make_nlp's span_ruler finds."""
    from pathlib import Path

    from kg.model import MentionSpan
    from kg.pipeline.mentions import _SPANS_KEY, _spans
    from kg.vocab.ontology import load_vocabulary

    vocab = load_vocabulary()
    nlp = make_nlp(vocab=vocab)
    root = Path(__file__).resolve().parents[2]
    paths = sorted((root / "tests" / "data" / "generalise").glob("*.txt")) + sorted((root / "corpus").glob("*.txt"))
    texts = [normalize(p.read_text(encoding="utf-8"), title_words=vocab.title_end_words).text for p in paths]
    texts += ["北京 市总工会", "北京市  总工会，四 川省总工会和成都市总工会", "中华全国总工会\n全总"]
    total = 0
    for text in texts:
        doc = nlp(text)
        expected = [
            MentionSpan(s.label_, *s.id_.split("\t", 1), s.start_char, s.end_char) for s in doc.spans[_SPANS_KEY]
        ]
        assert _spans(text, vocab) == expected
        total += len(expected)
    assert total > 1000
