"""kg.pipeline.quantities.context: the sentence, the clause and the quoted characters of a position, on
the corpus and the generalisation documents, against a character-by-character reading of the rules."""

from __future__ import annotations

import re
from pathlib import Path

from kg.pipeline.quantities import context
from kg.text.chars import CLAUSE_END, FULL_STOPS, SEMICOLONS
from kg.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    normalize(p.read_text(encoding="utf-8")).text
    for p in sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "generalise").glob("*.txt"))
]


def back_to(text: str, start: int, ends: str) -> int:
    s = start
    while s > 0 and text[s - 1] not in ends:
        s -= 1
    return s


def test_sentence_and_clause_starts_are_after_the_last_end_mark():
    for text in TEXTS:
        for m in re.finditer(r"\d+", text):
            assert context.sentence_start(text, m.start()) == back_to(text, m.start(), FULL_STOPS + SEMICOLONS + "\n")
            assert context.clause_start(text, m.start()) == back_to(text, m.start(), CLAUSE_END + "\n")
    assert context.sentence_start("第一句。第二句，有100人", 10) == 4
    assert context.clause_start("第一句。第二句，有100人", 10) == 8
    assert context.sentence_start("100人", 0) == 0


def test_quoted_mask_covers_the_inside_of_closed_pairs_on_one_line():
    mask = context.quoted_mask('开展“十百千”活动，《关于2025年的通知》，“未闭合\n”，"ab"')
    text = '开展“十百千”活动，《关于2025年的通知》，“未闭合\n”，"ab"'
    inside = "".join(ch for ch, q in zip(text, mask, strict=True) if q)
    assert inside == "十百千关于2025年的通知ab"
    assert sum(sum(context.quoted_mask(t)) for t in TEXTS) > 100
