"""kg.vocab.lexicon: word lists and tables as Turtle, one file per stage, read once per file state."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph

from kg.errors import ConfigError
from kg.namespaces import LEX
from kg.vocab.lexicon import lexicon

ROOT = Path(__file__).resolve().parents[2]
LEXICON = ROOT / "ontology" / "lexicon"
HEAD = (LEXICON / "lexicon.ttl").read_text(encoding="utf-8")


def _folder(tmp_path: Path, **files: str) -> Path:
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "lexicon.ttl").write_text(HEAD, encoding="utf-8")
    for name, body in files.items():
        (tmp_path / "lexicon" / f"{name}.ttl").write_text(HEAD + body, encoding="utf-8")
    return tmp_path


def test_lists_keep_their_order_and_tables_their_rows(tmp_path):
    folder = _folder(
        tmp_path,
        demo='lx:units a lex:WordList ; lex:words ( "人次" "人" "名" ) .\n'
        'lx:scale a lex:WordTable ; lex:entries ( ( "万" "10000" ) ( "亿" "100000000" ) ) .\n',
    )
    lex = lexicon(folder)
    assert lex.words("units") == ("人次", "人", "名")
    assert lex.chars("units") == "人次人名"
    assert lex.table("scale") == (("万", "10000"), ("亿", "100000000"))
    assert lex.mapping("scale") == {"万": "10000", "亿": "100000000"}


def test_a_missing_list_is_one_line_naming_the_folder_and_the_list(tmp_path):
    lex = lexicon(_folder(tmp_path))
    with pytest.raises(ConfigError) as err:
        lex.words("no-such-list")
    assert "lx:no-such-list" in str(err.value) and str(tmp_path) in str(err.value) and "\n" not in str(err.value)


def test_a_name_defined_in_two_files_is_refused(tmp_path):
    body = 'lx:twice a lex:WordList ; lex:words ( "甲" ) .\n'
    folder = _folder(tmp_path, a=body, b=body)
    with pytest.raises(ConfigError, match=r"lx:twice is also defined in .*a\.ttl"):
        lexicon(folder)


def test_bad_turtle_names_the_file(tmp_path):
    folder = _folder(tmp_path, broken='lx:oops a lex:WordList ; lex:words ( "未闭合 .\n')
    with pytest.raises(ConfigError, match=r"broken\.ttl: cannot read"):
        lexicon(folder)


def test_a_folder_without_a_lexicon_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="missing"):
        lexicon(tmp_path)


def test_read_once_and_again_after_an_edit(tmp_path):
    folder = _folder(tmp_path, demo='lx:w a lex:WordList ; lex:words ( "一" ) .\n')
    first = lexicon(folder)
    assert lexicon(folder) is first  # no re-parse while the files are unchanged
    path = folder / "lexicon" / "demo.ttl"
    path.write_text(HEAD + 'lx:w a lex:WordList ; lex:words ( "一" "二" ) .\n', encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert lexicon(folder).words("w") == ("一", "二")


def test_the_project_lexicon_loads_with_a_comment_on_every_list():
    lex = lexicon()
    assert len(lex.lists) + len(lex.tables) >= 50
    for path in sorted(LEXICON.glob("*.ttl")):
        graph = Graph().parse(path)
        for kind in (LEX.WordList, LEX.WordTable):
            for node in graph.subjects(RDF.type, kind):
                comments = [c for c in graph.objects(node, RDFS.comment) if getattr(c, "language", None) == "en"]
                assert comments, f"{path.name}: {node} has no English rdfs:comment"


def test_every_list_is_read_by_some_rule():
    """No dead data: each name (or, for a stage's prefixed names such as quantity-units, the rest) is quoted in kg/."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "kg").rglob("*.py"))
    quoted = set(re.findall(r"[\"']([a-z0-9]+(?:-[a-z0-9]+)*)[\"']", source))
    names = set(lexicon().lists) | set(lexicon().tables)
    unused = sorted(n for n in names if n not in quoted and n.split("-", 1)[1] not in quoted)
    assert not unused, f"lexicon entries no code reads: {unused}"


def test_copying_the_ontology_folder_copies_the_lexicon(tmp_path):
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    assert lexicon(tmp_path / "ontology").lists == lexicon().lists
