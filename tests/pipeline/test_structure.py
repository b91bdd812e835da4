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

STAGE_LEXICONS = ("structure.ttl", "genres.ttl", "mentions.ttl", "discover.ttl", "resolve.ttl")


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
    from kg.pipeline.header import _rules  # the title rule lives in the header rules

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


# ------------------------------------------------------------------ the segmentation rules (docs/structure.md)


def _norm_st(text: str):
    return analyse_structure(normalize(text, title_words=load_vocabulary().title_end_words).text)


def test_rule_paragraph_led():
    """Paragraphs whose first sentence is a short title of the same shape are measures; the lead is not."""
    text = (
        "某市总工会推出多项服务\n\n本报讯（记者 张某）近日，某市总工会推出多项服务，惠及一线职工。\n\n"
        "扩大驿站覆盖。年内新建驿站50个，逐步配齐饮水、热饭等设施。\n\n"
        "开展技能竞赛。组织职工参加比赛，覆盖职工1万人次以上。\n\n"
        "“现在歇脚方便多了。”一位快递员说，希望驿站开得再晚一些。\n\n"
        "做好困难帮扶。全年安排帮扶资金500万元，开展送温暖活动。\n\n"
        "据介绍，市总工会将按季度调度进展，接受职工监督。\n"
    )
    st = _norm_st(text)
    assert [m.title for m in st.measures] == ["扩大驿站覆盖", "开展技能竞赛", "做好困难帮扶"]
    assert st.extra["segmenter"] == "paragraph-led"
    norm = normalize(text).text
    assert "快递员" in norm[st.measures[1].start : st.measures[1].end]  # the paragraph between two measures
    assert "据介绍" not in norm[st.measures[2].start : st.measures[2].end]


def test_rule_quoted_list_links_details_to_the_item_named():
    text = (
        "某省总工会部署重点工作\n\n本报讯 今年将实施三项工程，分别是“职工素质工程”、“阵地建设工程”和“关爱帮扶工程”。\n\n"
        "会议通报，去年各级工会新建组织一批。\n\n"
        "阵地建设工程重在补齐短板。年内新建驿站200家。\n\n"
        "职工素质工程着眼技能提升。全年培训职工10万人次。\n\n"
        "在关爱帮扶工程中，省总工会将安排资金3000万元。\n"
    )
    st = _norm_st(text)
    norm = normalize(text).text
    assert st.announced_count == 3
    assert [m.title for m in st.measures] == ["职工素质工程", "阵地建设工程", "关爱帮扶工程"]
    for m in st.measures:
        assert m.style == "list"
        assert norm[m.title_start : m.title_end] == m.title
        assert m.title in norm[m.start : m.end]  # the detail paragraph that names it
        assert len(m.also) == 1 and norm[slice(*m.also[0])] == m.title  # its place in the list
    assert "培训职工" in norm[st.measures[0].start : st.measures[0].end]


def test_rule_quoted_list_after_a_weak_cue_needs_its_items_to_recur():
    text = "某市总工会推出服务\n\n本报讯 服务内容包括“健康体检”、“法律咨询”和“技能培训”等，职工可在手机端报名。\n"
    assert _norm_st(text).measures == ()


def test_rule_qa_answers():
    text = (
        "访某市总工会负责人\n\n记者：今年有哪些安排？\n\n"
        "答：我们主要做好两件事。第一，开展走访慰问。重点慰问一线职工。第二，做好返乡服务。发放交通补助。\n\n"
        "记者：去年有何收获？\n\n答：全年新建驿站100个，第一次实现全覆盖。\n\n"
        "记者：如何服务新就业形态劳动者？\n\n答：第一，推动驿站提质。延长开放时间。\n\n第二，扩大入会覆盖。新发展会员1万名。\n"
    )
    st = _norm_st(text)
    assert st.genre == "interview"
    assert [m.title for m in st.measures] == ["开展走访慰问", "做好返乡服务", "推动驿站提质", "扩大入会覆盖"]
    norm = normalize(text).text
    assert norm[st.measures[0].start : st.measures[0].end].endswith("重点慰问一线职工。")


def test_rule_bracket_headings_in_a_public_account_post():
    text = (
        "点击蓝字关注我们\n\n某县总工会推出2项举措\n\n━━━━━━\n\n【开展夏季慰问】\n\n👉安排资金100万元\n👉慰问职工1万人次\n\n"
        "【提升驿站服务】\n\n👉新建驿站30个\n\n━━━━━━\n\n💡小贴士\n\n多喝水。\n\n阅读原文\n"
    )
    st = _norm_st(text)
    assert st.genre == "public-account-post" and st.announced_count == 2
    assert [m.title for m in st.measures] == ["开展夏季慰问", "提升驿站服务"]
    norm = normalize(text).text
    assert "小贴士" not in norm[st.measures[1].start : st.measures[1].end]  # a separator ends the last one


def test_rule_emoji_headings():
    text = (
        "点击蓝字关注我们\n\n某县总工会送清凉\n\n🔹 开展高温慰问\n\n👉安排资金50万元\n👉慰问职工\n\n"
        "🔹 建设爱心驿站\n\n👉新建驿站20个\n\n🔹 守牢安全底线\n\n👉开展防暑检查\n\n阅读原文\n"
    )
    st = _norm_st(text)
    assert [m.title for m in st.measures] == ["开展高温慰问", "建设爱心驿站", "守牢安全底线"]
    assert {m.style for m in st.measures} == {"emoji"}


def test_rule_bold_headings():
    text = "某市总工会服务措施\n\n**扩大服务覆盖**\n\n新建驿站50个。\n\n**做好困难帮扶**\n\n安排资金500万元。\n"
    st = _norm_st(text)
    assert [m.title for m in st.measures] == ["扩大服务覆盖", "做好困难帮扶"]


def test_rule_aspect_leads():
    text = (
        "某市总工会工作安排\n\n技能提升方面：全年开展竞赛100场，培训职工1万人次。\n\n"
        "在阵地建设方面，新建驿站50个，职工书屋20家。\n\n困难帮扶方面：安排资金300万元。\n"
    )
    st = _norm_st(text)
    assert [m.title for m in st.measures] == ["技能提升方面", "阵地建设方面", "困难帮扶方面"]


@pytest.mark.parametrize("sep", ["  ", "\t"])
def test_rule_text_table(sep):
    head = sep.join(["序号", "工作任务", "目标", "责任部门"])
    rows = [
        sep.join(["1", "职工疗休养", "组织职工疗休养1万人次", "服务部"]),
        sep.join(["2", "技能竞赛", "开展竞赛100场", "经济部、宣传部"]),
        sep.join(["3", "书屋建设", "新建书屋50家", "宣传部"]),
    ]
    text = (
        "某市总工会十项行动方案\n\n一、总体目标\n\n到年底完成各项任务。\n\n二、任务分工\n\n"
        + "\n".join([head, *rows])
        + "\n"
    )
    st = _norm_st(text)
    assert [m.title for m in st.measures] == ["职工疗休养", "技能竞赛", "书屋建设"]
    assert st.measures[1].parts == (("工作任务", "技能竞赛"), ("目标", "开展竞赛100场"), ("责任部门", "经济部、宣传部"))
    assert {m.style for m in st.measures} == {"table"}


def test_rule_text_table_in_markdown():
    text = (
        "某区实事项目\n\n| 序号 | 项目名称 | 内容 |\n|---|---|---|\n| 1 | 建设驿站 | 新建驿站20个 |\n"
        "| 2 | 健康体检 | 体检职工1000人 |\n"
    )
    assert [m.title for m in _norm_st(text).measures] == ["建设驿站", "健康体检"]


def test_rule_attachment_body():
    """A notice's measures are those of its attachment, not the numbered points of the wrapper."""
    text = (
        "某市总工会关于印发《职工服务行动方案》的通知\n\n各区总工会：\n\n（一）高度重视。请认真组织实施，抓好落实。\n\n"
        "（二）及时报告。请将进展报送市总工会。\n\n附件：职工服务行动方案\n\n某市总工会\n\n附件\n\n职工服务行动方案\n\n"
        "1.扩大入会覆盖。新发展会员1万人。\n\n2.建设职工驿站。新建驿站30个。\n\n3.开展技能竞赛。举办竞赛10场。\n"
    )
    st = _norm_st(text)
    assert st.genre == "notice"
    assert [m.title for m in st.measures] == ["扩大入会覆盖", "建设职工驿站", "开展技能竞赛"]


def test_rule_hierarchy_measures_restart_per_section_and_empty_sections_hold_none():
    text = (
        "某省工会三年行动方案\n\n一、总体目标\n\n集中实施四大行动。\n\n二、聚焦创新\n\n（一）实施攻关行动。组织团队攻关。\n\n"
        "（二）实施转化行动。推介成果200项。\n\n三、聚焦技能\n\n（一）实施竞赛行动。举办竞赛。\n\n（二）实施培训行动。培训职工。\n\n"
        "四、保障措施\n\n（一）加强组织领导。成立专班。\n\n（二）强化经费保障。安排资金。\n"
    )
    st = _norm_st(text)
    assert st.announced_count == 4
    assert [m.title for m in st.measures] == ["实施攻关行动", "实施转化行动", "实施竞赛行动", "实施培训行动"]
    assert [m.section for m in st.measures] == [2, 2, 3, 3]
    assert [s.title for s in st.sections] == ["总体目标", "聚焦创新", "聚焦技能", "保障措施"]


def test_rule_titleless_details_belong_to_their_parent():
    """一、 measures whose （一） items have no title of their own: the （一） items are details."""
    text = (
        "某市工会关爱行动方案\n\n一、扩大入会覆盖\n\n（一）以快递、外卖等行业为重点，推动平台企业普遍建立工会组织，到年底建会率达到95%以上。\n\n"
        "（二）在商圈、物流园区新建联合工会15家，用好线上入会通道，全年新发展会员1万人。\n\n"
        "二、建强驿站阵地\n\n（一）对已建成的驿站开展提档升级，年内新建驿站30个，实现主要商圈全覆盖。\n\n"
        "三、丰富文化生活\n\n（一）在驿站配置职工书屋50个，每月组织观影、体检、义剪等公益活动不少于10场。\n"
    )
    st = _norm_st(text)
    assert [m.title for m in st.measures] == ["扩大入会覆盖", "建强驿站阵地", "丰富文化生活"]
    norm = normalize(text).text
    assert "新发展会员1万人" in norm[st.measures[0].start : st.measures[0].end]


def test_rule_inline_ordinals():
    text = "某市总工会工作安排\n\n今年重点做好以下工作：一是扩大入会覆盖，新发展会员1万人；二是建设职工驿站，新建30个；三是开展技能竞赛，举办10场。\n"
    st = _norm_st(text)
    assert [m.title for m in st.measures] == ["扩大入会覆盖", "建设职工驿站", "开展技能竞赛"]


def test_rule_numbered_top_when_the_announced_count_says_so():
    """一、 items with titled （一） items under them: the announced count (three) picks the top level."""
    text = (
        "某市工会三项行动方案\n\n一、扩大入会覆盖\n\n（一）推动平台建会。重点行业全覆盖。\n\n（二）推行线上入会。方便职工。\n\n"
        "二、建强驿站阵地\n\n（一）新建驿站。年内新建30个。\n\n（二）延长开放。夜间开放。\n\n"
        "三、丰富文化生活\n\n（一）配置书屋。配置50个。\n\n（二）组织活动。每月10场。\n"
    )
    st = _norm_st(text)
    assert st.announced_count == 3 and st.extra["segmenter"] == "numbered-top"
    assert [m.title for m in st.measures] == ["扩大入会覆盖", "建强驿站阵地", "丰富文化生活"]
    assert len(_norm_st(text.replace("三项行动", "行动")).measures) == 6  # without the count: the deeper level


def test_of_two_announced_phrases_the_one_the_measures_match_is_taken():
    text = "某市总工会工作措施\n\n从三个方面提出四条措施。\n\n（一）甲项工作。内容。\n（二）乙项工作。内容。\n（三）丙项工作。内容。\n（四）丁项工作。内容。\n"
    st = _norm_st(text)
    assert st.announced_count == 4 and len(st.measures) == 4
    assert normalize(text).text[slice(*st.announced_span)] == "四条措施"


def test_rule_number_headings():
    text = "点击蓝字关注我们\n\n某县总工会推出3项服务\n\n01\n\n开展高温慰问\n\n安排资金50万元。\n\n02\n\n建设爱心驿站\n\n新建驿站20个。\n\n03\n\n守牢安全底线\n\n开展防暑检查。\n\n阅读原文\n"
    st = _norm_st(text)
    assert [m.title for m in st.measures] == ["开展高温慰问", "建设爱心驿站", "守牢安全底线"]


def test_bracket_furniture_is_no_heading():
    text = "点击蓝字关注我们\n\n某县总工会推出2项举措\n\n【编者按】高温来袭。\n\n【开展夏季慰问】\n\n安排资金。\n\n【提升驿站服务】\n\n新建驿站。\n\n阅读原文\n"
    assert [m.title for m in _norm_st(text).measures] == ["开展夏季慰问", "提升驿站服务"]


def test_rule_text_table_one_space_apart():
    text = "某区实事项目\n\n序号 工作任务 目标\n1 建设驿站 新建驿站20个 覆盖全区\n2 健康体检 体检职工1000人\n"
    st = _norm_st(text)
    assert [m.title for m in st.measures] == ["建设驿站", "健康体检"]
    assert st.measures[0].parts == (("工作任务", "建设驿站"), ("目标", "新建驿站20个 覆盖全区"))


def test_rule_attachment_body_after_a_labelled_mark():
    text = (
        "某市总工会关于印发《职工服务方案》的通知\n\n各区总工会：\n\n（一）高度重视。请认真组织实施。\n\n（二）及时报告。请报送进展。\n\n"
        "附件：职工服务方案\n\n1.扩大入会覆盖。新发展会员1万人。\n\n2.建设职工驿站。新建驿站30个。\n\n3.开展技能竞赛。举办竞赛10场。\n"
    )
    assert [m.title for m in _norm_st(text).measures] == ["扩大入会覆盖", "建设职工驿站", "开展技能竞赛"]


def test_rule_paragraph_led_loose_only_where_the_announced_count_matches():
    body = (
        "扩大驿站覆盖，年内新建驿站50个，逐步配齐饮水、热饭等设施。\n\n"
        "开展技能竞赛。组织职工参加比赛，覆盖职工1万人次以上。\n\n"
        "做好困难帮扶。全年安排帮扶资金500万元，开展送温暖活动。\n\n"
        "拓展普惠服务。推出普惠活动100场，方便职工在手机端报名。\n"
    )
    lead = "本报讯（记者 张某）近日，某市总工会推出服务，惠及一线职工。\n\n"
    st = _norm_st("某市总工会推出4项举措\n\n" + lead + body)
    assert st.extra["segmenter"] == "paragraph-led-loose"
    assert [m.title for m in st.measures] == ["扩大驿站覆盖", "开展技能竞赛", "做好困难帮扶", "拓展普惠服务"]
    unannounced = _norm_st("某市总工会推出多项服务\n\n" + lead + body)
    assert unannounced.extra["segmenter"] == "paragraph-led" and len(unannounced.measures) == 3


def test_rule_emoji_headings_beside_bullets_of_the_same_emoji():
    """🔸 headings and, later, 🔸 tips on consecutive lines or before a separator: only the headings count."""
    text = (
        "点击蓝字关注我们\n\n某县总工会送清凉\n\n🔸开展高温慰问\n\n安排资金50万元。\n\n🔸建设爱心驿站\n\n新建驿站20个。\n\n"
        "🔸守牢安全底线\n\n开展防暑检查。\n\n小贴士\n\n🔸多喝水\n🔸少外出\n\n🔸相互提醒\n\n━━━━\n\n阅读原文\n"
    )
    assert [m.title for m in _norm_st(text).measures] == ["开展高温慰问", "建设爱心驿站", "守牢安全底线"]


def test_rule_quoted_list_unquoted_after_a_strong_cue():
    text = (
        "某省总工会部署重点工作\n\n本报讯 今年将实施三项工程，分别是职工素质工程，劳动和技能竞赛工程和关爱帮扶工程。\n\n"
        "职工素质工程着眼技能提升。全年培训职工10万人次。\n"
    )
    st = _norm_st(text)
    assert [m.title for m in st.measures] == ["职工素质工程", "劳动和技能竞赛工程", "关爱帮扶工程"]


def test_rule_inline_ordinals_in_a_paragraph_that_opens_with_the_first():
    text = "某市总工会工作要点\n\n全年抓好以下三个方面工作。\n\n一是扩大入会覆盖，新发展会员1万人。二是建设职工驿站，新建30个。三是开展技能竞赛，举办10场。\n"
    st = _norm_st(text)
    assert st.announced_count == 3
    assert [m.title for m in st.measures] == ["扩大入会覆盖", "建设职工驿站", "开展技能竞赛"]


def test_a_headline_ending_in_emoji_gives_a_title_without_them():
    text = "暖心服务进工地｜区总工会推出3项举措 为建筑工人送清凉🍉🌞\n\n一、开展走访慰问。\n二、建设爱心驿站。\n三、组织健康体检。\n"
    norm = normalize(text).text
    st = analyse_structure(norm)
    assert st.title == "暖心服务进工地|区总工会推出3项举措 为建筑工人送清凉"
    assert st.title_span is not None and norm[slice(*st.title_span)] == st.title


def test_rule_bracket_headings_numbered_in_brackets():
    """【一】title: a bracketed number numbered from one heads a measure titled by the rest of its line."""
    text = (
        "点击蓝字关注我们\n\n某市工会推出三项服务😀\n\n入夏以来，市总工会推出三项服务。\n\n"
        "【一】扩大驿站覆盖\n🏠新建驿站20个，提供饮水。\n\n【二】开展高温慰问\n💰安排资金50万元。\n\n"
        "【三】守牢安全底线\n⚠️检查企业100家。\n\n阅读原文\n"
    )
    st = _norm_st(text)
    assert st.genre == "public-account-post" and st.kind == "measures"
    assert [m.title for m in st.measures] == ["扩大驿站覆盖", "开展高温慰问", "守牢安全底线"]
    assert {m.style for m in st.measures} == {"bracket"}


def test_bracketed_numbers_out_of_order_or_with_a_sentence_head_nothing():
    # numbered from two (no 【一】), or a whole sentence after the number: no headings
    skipped = "点击蓝字关注我们\n\n某市工会服务\n\n【二】扩大驿站覆盖\n新建驿站。\n\n【三】开展高温慰问\n安排资金。\n\n阅读原文\n"
    assert _norm_st(skipped).measures == ()
    sentences = (
        "点击蓝字关注我们\n\n某市工会服务\n\n【一】今年新建驿站20个。\n\n【二】今年安排资金50万元。\n\n阅读原文\n"
    )
    assert _norm_st(sentences).measures == ()


def test_rule_closing_items_a_notice_s_last_sending_in_point_is_no_measure():
    text = (
        "某省总工会关于做好职工服务工作的通知\n\n各市总工会：\n\n现就有关事项通知如下。\n\n"
        "一、扩大驿站覆盖\n\n新建驿站20个。\n\n二、开展高温慰问\n\n安排资金50万元。\n\n"
        "三、做好信息报送工作\n\n请于9月底前将情况报省总工会。\n\n某省总工会\n2025年6月1日\n"
    )
    st = _norm_st(text)
    assert [m.title for m in st.measures] == ["扩大驿站覆盖", "开展高温慰问"]


def test_rule_closing_items_only_drops_trailing_items():
    # a sending-in word in an earlier measure's title keeps it; a last measure without one is kept
    text = (
        "某省总工会关于做好职工服务工作的通知\n\n各市总工会：\n\n现就有关事项通知如下。\n\n"
        "一、建立困难职工信息报送机制\n\n按月更新台账。\n\n二、开展高温慰问\n\n安排资金50万元。\n\n"
        "三、建设爱心驿站\n\n新建驿站20个。\n"
    )
    st = _norm_st(text)
    assert [m.title for m in st.measures] == ["建立困难职工信息报送机制", "开展高温慰问", "建设爱心驿站"]
