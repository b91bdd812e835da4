"""The quantities stage's lexicon (ontology/lexicon/quantities.ttl): every entry documented and used, and an
analyst teaches the extractor a unit, a qualifier or a period by editing Turtle in an ontology folder."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph

from kg.errors import ConfigError
from kg.namespaces import LEX, LX
from kg.pipeline.quantities import build_rules, extract_quantities, parse_number, quantity_rules, rules_for
from kg.text import numerals
from kg.vocab.lexicon import LEXICON_DIR, Lexicon, lexicon
from kg.vocab.ontology import load_vocabulary

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology"
FILE = ONTOLOGY / LEXICON_DIR / "quantities.ttl"


def _names() -> set[str]:
    graph = Graph().parse(FILE, format="turtle")
    return {
        str(node)[len(str(LX)) :] for kind in (LEX.WordList, LEX.WordTable) for node in graph.subjects(RDF.type, kind)
    }


def _ontology_copy(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """A copy of ontology/ whose quantities.ttl has each `old` replaced by its `new` (each found exactly once)."""
    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, folder)
    path = folder / LEXICON_DIR / "quantities.ttl"
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return folder


def test_every_entry_has_an_english_comment():
    graph = Graph().parse(FILE, format="turtle")
    for name in sorted(_names()):
        comments = [c for c in graph.objects(LX[name], RDFS.comment) if getattr(c, "language", None) == "en"]
        assert comments, f"lx:{name} has no rdfs:comment in English"


def test_every_entry_is_used_by_the_rules_and_every_name_the_rules_read_is_in_the_file():
    lex = lexicon()
    read: set[str] = set()

    class Recording(Lexicon):
        def words(self, name):
            read.add(name)
            return super().words(name)

        def table(self, name):
            read.add(name)
            return super().table(name)

    build_rules(Recording(lex.path, lex.lists, lex.tables))
    assert read == _names()
    assert all(name.startswith("quantity-") for name in read)


def test_the_rules_are_built_once_per_folder():
    assert quantity_rules() is quantity_rules()
    assert quantity_rules(ONTOLOGY) is quantity_rules(ONTOLOGY)
    assert rules_for(lexicon()) is quantity_rules()  # one build per Lexicon object, whichever way it is asked for


def test_the_numerals_are_a_text_primitive():
    assert parse_number is numerals.parse_number
    assert parse_number("一万二") == Decimal(12000)
    assert set(numerals.MULTIPLIERS) <= set(numerals.SMALL_UNITS) | set(numerals.BIG_UNITS)
    assert set(numerals.SECTION_MULTIPLIERS) <= set(numerals.BIG_UNITS)


def test_a_unit_added_to_the_lexicon_is_found(tmp_path):
    sentence = "全市新装路灯约3000盏以上。"
    assert extract_quantities(sentence) == []
    folder = _ontology_copy(tmp_path, ('( "周" "年边" )', '( "周" "年边" )\n        ( "盏" )'))
    [q] = extract_quantities(sentence, directory=folder)
    assert (sentence[q.start : q.end], q.value, q.unit, q.qualifier, q.qualifier_word) == (
        "约3000盏以上",
        Decimal(3000),
        "盏",
        "approx",
        "约",
    )
    assert (q.counts, q.currency) == ("新装路灯", None)
    assert extract_quantities(sentence) == []  # the project's own lexicon is unchanged
    assert extract_quantities(sentence, vocab=load_vocabulary(folder)) == [q]  # the same, through the Vocabulary


def test_a_currency_added_to_the_lexicon_folds_its_multiplier(tmp_path):
    sentence = "投入资金3万欧元。"
    folder = _ontology_copy(
        tmp_path,
        ('( "美元" )', '( "美元" )\n        ( "欧元" )'),  # the unit
        ('( "美元" "USD" )', '( "美元" "USD" )\n        ( "欧元" "EUR" )'),  # its currency
    )
    [q] = extract_quantities(sentence, directory=folder)
    assert (q.value, q.unit, q.unit_text, q.currency) == (Decimal(30000), "欧元", "万欧元", "EUR")


def test_a_qualifier_and_a_period_added_to_the_lexicon_are_read(tmp_path):
    sentence = "每半年走访困难职工不下于200户。"
    before = extract_quantities(sentence)
    assert [(q.qualifier, q.period) for q in before] == [(None, None)]
    folder = _ontology_copy(
        tmp_path,
        ('( "不少于" "min" )', '( "不少于" "min" )\n        ( "不下于" "min" )'),
        ('"上半年" ', '"每半年" "上半年" '),
    )
    [q] = extract_quantities(sentence, directory=folder)
    assert (sentence[q.start : q.end], q.qualifier, q.qualifier_word, q.period) == (
        "不下于200户",
        "min",
        "不下于",
        "每半年",
    )


def test_a_missing_list_names_itself(tmp_path):
    folder = _ontology_copy(tmp_path, ("lx:quantity-ring-nouns a lex:WordList", "lx:quantity-rings a lex:WordList"))
    with pytest.raises(ConfigError, match="lx:quantity-ring-nouns"):
        extract_quantities("15分钟服务圈", directory=folder)
