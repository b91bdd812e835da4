"""Structure: metadata, sections and numbered measures in every numbering style of the corpus."""

from __future__ import annotations

import pytest

from kg.ingest.source import read_source
from kg.pipeline.structure import analyse_structure, chinese_ordinal
from kg.text.normalize import normalize
from kg.vocab.ontology import load_vocabulary


def _structure(path):
    title_words = load_vocabulary().title_end_words  # as the pipeline normalises
    return analyse_structure(normalize(read_source(path).text, title_words=title_words).text)


def test_measure_counts_match_gold(gold, corpus_files):
    by_name = {p.name: p for p in corpus_files}
    for doc in gold["documents"]:
        st = _structure(by_name[doc["file"]])
        assert len(st.measures) == len(doc["measures"]), doc["file"]


def test_every_gold_measure_title_is_found(gold, corpus_files):
    by_name = {p.name: p for p in corpus_files}
    for doc in gold["documents"]:
        titles = [m.title for m in _structure(by_name[doc["file"]]).measures]
        for want in doc["measures"]:
            assert any(want in t or t in want for t in titles), (doc["file"], want)


def test_sections_and_measure_sections_match_gold(gold, corpus_files):
    by_name = {p.name: p for p in corpus_files}
    for doc in gold["documents"]:
        if "sections" not in doc:
            continue
        st = _structure(by_name[doc["file"]])
        assert [s.title.strip("“”") for s in st.sections] == [t.strip("“”") for t in doc["sections"]]
        if "measure_sections" in doc:
            assert [m.section for m in st.measures] == doc["measure_sections"]


def test_review_without_numbered_measures_is_a_report(records):
    rec = records["001_1060be61fbd7f376.txt"]
    assert rec.kind == "report"
    assert len(rec.measures) == 0
    assert len(rec.sections) == 6


def test_a_list_given_twice_is_one_list():
    text = (
        "# 方案\n\n**① 强基** 新建组织。\n\n**② 铸魂** 开展宣讲。\n\n**③ 创新** 建设工作室。\n\n"
        "**1 强基** 新建组织，发展会员。\n\n**2 铸魂** 开展宣讲活动。\n\n**3 创新** 建设工作室，命名学院。\n"
    )
    st = analyse_structure(text)
    assert [m.title for m in st.measures] == ["强基", "铸魂", "创新"]
    assert all(len(m.also) == 1 for m in st.measures)


@pytest.mark.parametrize(
    ("body", "titles"),
    [
        ("（一）加强组织。内容。\n（二）做好服务。内容。\n", ["加强组织", "做好服务"]),
        ("1.加强组织。内容。\n2．做好服务。内容。\n", ["加强组织", "做好服务"]),
        ("一是加强组织\n\n内容。\n\n二是做好服务\n\n内容。\n", ["加强组织", "做好服务"]),
        ("①加强组织。内容。\n②做好服务。内容。\n", ["加强组织", "做好服务"]),
        ("**1 加强组织** 内容。\n\n**2 做好服务** 内容。\n", ["加强组织", "做好服务"]),
        ("第一条 加强组织。内容。\n第二条 做好服务。内容。\n", ["加强组织", "做好服务"]),
    ],
)
def test_numbering_styles(body, titles):
    st = analyse_structure("# 某市总工会工作措施\n\n" + body)
    assert [m.title for m in st.measures] == titles


def test_sections_above_measures():
    text = (
        "## 一、总体要求方面\n\n1.加强领导。内容。\n\n2.强化保障。内容。\n\n## 二、重点任务方面\n\n3.开展竞赛。内容。\n"
    )
    st = analyse_structure(text)
    assert [s.title for s in st.sections] == ["总体要求方面", "重点任务方面"]
    assert [m.section for m in st.measures] == [1, 1, 2]


def test_repeated_paragraphs_are_marked_once(records):
    rec = records["001_1060be61fbd7f376.txt"]
    spans = [(m["start"], m["end"], m["type"]) for m in rec.mentions]  # nested spans (a title's words) are allowed
    assert len(spans) == len(set(spans))
    text = rec.text
    # the review repeats "累计为全省2.63万余家小微企业返还工会经费14.37亿元": counted once
    assert text.count("14.37亿元") == 2
    assert sum(1 for q in rec.quantities if q["text"].endswith("14.37亿元")) == 1


def test_metadata_identifier_and_title(records):
    rec = records["003_84884fd58ce8b034.txt"]
    assert rec.identifier == "陕工办发〔2023〕12号"
    assert rec.date.startswith("2023")
    assert "15条措施" in rec.title
    assert records["000_ca660b9881810a2f.txt"].title == "四川省总工会助力经济发展“开门红” 十二条措施"


def test_web_boilerplate_is_not_part_of_the_last_measure(records):
    rec = records["004_2ba259b3f4eff141.txt"]
    last = rec.measures[-1]
    assert "免责" not in rec.text[last["start"] : last["end"]]
    assert "黑龙江" not in rec.text[last["start"] : last["end"]]


@pytest.mark.parametrize(("text", "value"), [("一", 1), ("十", 10), ("十二", 12), ("二十三", 23), ("①", 1), ("⑩", 10)])
def test_chinese_ordinal(text, value):
    assert chinese_ordinal(text) == value


# ------------------------------------------------------------------------------------ the lexicon

STAGE_LEXICONS = ("structure.ttl", "mentions.ttl", "discover.ttl", "resolve.ttl")


def test_every_list_of_the_stage_lexicons_is_documented_and_read_by_the_code():
    from pathlib import Path

    from rdflib import RDF, RDFS, Graph

    from kg.namespaces import LEX, LX
    from kg.vocab.ontology import ONTOLOGY_DIR

    code = "\n".join(p.read_text(encoding="utf-8") for p in (Path(ONTOLOGY_DIR).parent / "kg").rglob("*.py"))
    for name in STAGE_LEXICONS:
        graph = Graph().parse(ONTOLOGY_DIR / "lexicon" / name, format="turtle")
        nodes = [n for kind in (LEX.WordList, LEX.WordTable) for n in graph.subjects(RDF.type, kind)]
        assert nodes, name
        for node in nodes:
            local = str(node)[len(str(LX)) :]
            assert any(getattr(c, "language", None) == "en" for c in graph.objects(node, RDFS.comment)), local
            assert f'"{local}"' in code or f"'{local}'" in code, f"lx:{local} ({name}) is read by no module"


def test_one_list_of_document_kinds_serves_both_title_rules():
    from kg.pipeline.structure import _rules

    vocab = load_vocabulary()
    kinds = vocab.words("document-kinds")
    assert kinds and set(kinds) <= set(vocab.title_end_words)
    title_words = _rules(vocab).title_words
    assert all(title_words.search(k) for k in kinds)


def test_an_analyst_teaches_a_boilerplate_line_in_turtle(tmp_path):
    """A new boilerplate word in ontology/lexicon/structure.ttl makes its lines noise, with no Python change."""
    import shutil

    from kg.vocab.ontology import ONTOLOGY_DIR

    text = "四川省总工会关于开展劳动竞赛的通知\n\n本站编号：12345\n（一）开展竞赛。组织开展劳动竞赛。\n（二）做好服务。开展送温暖活动。\n"
    assert not analyse_structure(text).noise_spans
    onto = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, onto)
    path = onto / "lexicon" / "structure.ttl"
    ttl = path.read_text(encoding="utf-8")
    assert ttl.count('( "作者" "label" )') == 1
    path.write_text(
        ttl.replace('( "作者" "label" )', '( "作者" "label" )\n        ( "本站 编号" "label" )'), encoding="utf-8"
    )
    st = analyse_structure(text, vocab=load_vocabulary(onto))
    start = text.index("本站编号")
    assert st.noise_spans == ((start, text.index("\n", start)),)
    assert st.title == "四川省总工会关于开展劳动竞赛的通知" and len(st.measures) == 2
