"""The unquoted-brand scans tried only where a place stem starts before a head find what a scan of the
whole text finds (kg.pipeline.brands), on the corpus and the generalisation documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.pipeline.brands import _MIDDLE, _stem_led, brand_tables, starts_with_place
from kg.text.normalize import normalize
from kg.vocab.ontology import load_vocabulary

ROOT = Path(__file__).resolve().parents[2]
TEXTS = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "generalise").glob("*.txt"))


def spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in matches]


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_stem_led_scans_find_the_whole_text_matches(path):
    vocab = load_vocabulary()
    bt = brand_tables(vocab)
    text = normalize(path.read_text(encoding="utf-8"), title_words=vocab.title_end_words).text
    for pattern, heads, gap in ((bt.place_brand, bt.place_brand_at, 0), (bt.local, bt.local_at, _MIDDLE)):
        assert spans(_stem_led(bt, pattern, heads, text, gap)) == spans(pattern.finditer(text))


def test_a_stem_led_scan_finds_brands_and_locals():
    bt = brand_tables(load_vocabulary())
    text = "组织八桂工匠和劳模志愿者，办好厦门工会集市，举办苏州技能状元大赛，四川工匠人才"
    assert [m.group() for m in _stem_led(bt, bt.place_brand, bt.place_brand_at, text, 0)] == ["八桂工匠", "四川工匠"]
    assert [m.group() for m in _stem_led(bt, bt.local, bt.local_at, text, _MIDDLE)] == [
        m.group() for m in bt.local.finditer(text)
    ]
    assert len(list(bt.local.finditer(text))) >= 2


def test_starts_with_place_is_the_longest_stem():
    bt = brand_tables(load_vocabulary())
    names = ["大连市甘井子区工匠", "四川工匠", "八桂工匠", "苏州技能状元大赛", "工会集市", "义乌工匠", ""]
    for name in names:
        assert starts_with_place(bt, name) == max((s for s in bt.stems if name.startswith(s)), key=len, default="")
    assert starts_with_place(bt, "四川工匠") == "四川"
