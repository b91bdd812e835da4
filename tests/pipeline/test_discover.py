"""Discover: every rule on generic sentences (simplified and traditional), the corpus, and the discovered graph."""

from __future__ import annotations

import shutil

from rdflib import RDF, SKOS, Literal, URIRef

from kg.ingest.decode import SourceText
from kg.namespaces import DEFAULT_BASE_IRI, DISC, PROG, UKG, graph_iri
from kg.pipeline.components import process_source
from kg.pipeline.discover import discover, discovered_iri, review
from kg.pipeline.mentions import extract_mentions
from kg.text.normalize import normalize
from kg.vocab.ontology import ONTOLOGY_DIR


def decisions(text: str, directory: str | None = None) -> dict[str, tuple[str, str]]:
    """name -> (outcome, rule) for every candidate in `text`."""
    norm = normalize(text).text
    return {
        d.name: (d.outcome, d.rule)
        for d in review(norm, extract_mentions(norm, directory=directory), directory=directory)
    }


def found(text: str) -> list:
    norm = normalize(text).text
    return discover(norm, extract_mentions(norm))


# ------------------------------------------------------------------------------------ quoted names


def test_head_inside_the_quotes_is_a_programme():
    got = decisions("开展“匠心杯”职工技能竞赛，办好“道德讲堂”，建设“便利型阅读站”。")
    assert got["匠心杯"] == ("programme", "head-in")
    assert got["道德讲堂"] == ("programme", "head-in")
    assert got["便利型阅读站"] == ("programme", "head-in")


def test_head_after_the_quotes_makes_the_quoted_part_a_programme():
    got = decisions("开展“情暖万家”帮扶活动，实施“七送”关爱服务，推进“十百千万”工程。")
    assert got["情暖万家"] == ("programme", "head-out")
    assert got["七送"] == ("programme", "head-out")
    assert got["十百千万"] == ("programme", "head-out")


def test_traditional_script_and_corner_quotes():
    got = decisions("發揮「勞模講堂」作用，開展「情暖萬家」幫扶活動，堅決做到「兩個維護」。")
    assert got["劳模讲堂"] == ("programme", "head-in")
    assert got["情暖万家"] == ("programme", "head-out")
    assert got["两个维护"] == ("slogan", "formula")
    labels = {m.label for m in found("發揮「勞模講堂」作用")}
    assert labels == {"劳模讲堂"}


def test_slogans_are_not_programmes():
    got = decisions(
        "围绕“稳就业、保民生、促发展”目标，落实“5110”战略，开展“三个年”活动，"
        "坚持“四门”工作理念，推进“三化”，实现“开门红”。"
    )
    assert got["稳就业、保民生、促发展"] == ("slogan", "parallel")
    assert got["5110"] == ("slogan", "cue")
    assert got["三个年"] == ("slogan", "formula")  # a formula even before the head 活动
    assert got["四门"] == ("slogan", "cue")
    assert got["三化"] == ("slogan", "abbreviation")
    assert got["开门红"] == ("dropped", "no-head")
    kept = {m.type for m in found("落实“5110”战略，开展“三个年”活动，实现“开门红”。")}
    assert kept == {"slogan"}


def test_space_separated_theme_is_a_slogan_and_an_uneven_list_is_dropped():
    got = decisions("以“匠心筑梦 技能强省”为主题，发放“文旅、餐饮消费券”。")
    assert got["匠心筑梦 技能强省"] == ("slogan", "parallel")
    assert got["文旅、餐饮消费券"] == ("dropped", "list")


def test_generic_names_are_dropped():
    got = decisions("制定“三年行动计划”，创建“全省示范站点”。")
    assert got["三年行动计划"] == ("dropped", "generic")
    assert got["全省示范站点"] == ("dropped", "generic")


def test_curated_wins_and_a_curated_head_makes_a_local_brand():
    assert decisions("发挥“安康杯”竞赛作用。")["安康杯"] == ("curated", "curated")
    assert not found("发挥“安康杯”竞赛作用。")
    mentions = found("建设“雪域高原职工之家”。")
    assert [(m.label, m.rule, m.kind) for m in mentions] == [("雪域高原职工之家", "head-in", str(PROG["workers-home"]))]
    # a place before a curated name does not make a new programme
    assert decisions("推动建设“四川省家庭友好型工作场所”。")["四川省家庭友好型工作场所"][0] == "curated"


# ------------------------------------------------------------------------------------ unquoted rules


def test_brand_family_shares_a_prefix():
    text = "开展“晋工强基”“晋工铸魂”“晋工暖心”行动。晋工强基聚焦建会。"
    mentions = [m for m in found(text) if m.label == "晋工强基"]
    assert len(mentions) == 2 and {m.rule for m in mentions} == {"head-out", "family"}
    bold = "**① 陇工强基** 建会。\n**② 陇工铸魂** 宣讲。\n**③ 陇工暖心** 帮扶，打造“陇工”品牌。"
    assert {m.label for m in found(bold)} >= {"陇工强基", "陇工铸魂", "陇工暖心"}
    # bold headings without a quoted member are not a family
    assert not found("**① 加强组织建设** 内容。\n**② 加强队伍建设** 内容。\n**③ 加强作风建设** 内容。")


def test_place_brands_after_a_trigger_or_a_count():
    got = decisions(
        "评选100名齐鲁工匠、50名青年工匠，命名5所八桂劳模工匠学院，组建广西工会律师服务团，推动天府工匠人才发展。"
    )
    assert got["齐鲁工匠"] == ("programme", "brand")
    assert got["八桂劳模工匠学院"] == ("programme", "brand")
    assert got["广西工会律师服务团"] == ("programme", "brand")
    assert "青年工匠" not in got and "天府工匠" not in got  # not a place; followed by 人才
    academy = next(m for m in found("命名5所八桂劳模工匠学院。") if m.label == "八桂劳模工匠学院")
    assert academy.kind == str(PROG["model-craftsman-academy"])


def test_titles_are_referenced_documents():
    got = decisions("印发《职工服务阵地建设实施方案（试行）》，根据《方案》要求。")
    assert got["职工服务阵地建设实施方案(试行)"] == ("document", "title")
    assert got["方案"] == ("dropped", "title")


def test_projects_in_a_cued_list():
    got = decisions("助力西十高铁、汉巴南铁路等项目建设，保障全省铁路建设。")
    assert got["西十高铁"] == ("project", "project")
    assert got["汉巴南铁路"] == ("project", "project")
    assert "全省铁路" not in got
    assert {m.type for m in found("助力川藏铁路建设。")} == set()  # curated projects are not rediscovered


def test_discovered_iris_are_stable_and_typed():
    a = found("开展“匠心杯”竞赛。")[0]
    b = found("舉辦「匠心盃」競賽。")[0]
    assert a.id == b.id == discovered_iri("programme", "匠心杯") == str(DISC[a.id.rsplit("/", 1)[-1]])
    assert discovered_iri("slogan", "匠心杯") != a.id


def test_the_word_lists_are_data(tmp_path):
    """A new head in discovery.ttl teaches discovery, with no Python change (an ontology folder is read once
    per process, so the edited one is a second folder)."""
    onto, edited = tmp_path / "ontology", tmp_path / "edited"
    shutil.copytree(ONTOLOGY_DIR, onto)
    shutil.copytree(ONTOLOGY_DIR, edited)
    text = "推广“职工暖心汇”。"
    assert decisions(text, str(onto))["职工暖心汇"] == ("dropped", "no-head")
    with open(edited / "discovery.ttl", "a", encoding="utf-8") as fh:
        fh.write('\ndisc:scheme ukg:discoveryHead "汇"@zh .\n')
    assert decisions(text, str(edited))["职工暖心汇"] == ("programme", "head-in")


# ------------------------------------------------------------------------------------ corpus and graph


EXPECTED = {
    "000_ca660b9881810a2f.txt": {"双升行动"},
    "001_1060be61fbd7f376.txt": {"普惠出行", "普惠生活", "普惠健康", "雪域高原职工之家", "四川工匠", "七送", "工理啦"},
    "002_2aaf79a3e9149368.txt": {"渝工强基", "渝工铸魂", "渝工安康", "渝工之家", "便利型阅读站"},
    "003_84884fd58ce8b034.txt": {"十百千万", "道德讲堂", "陕西工会律师服务团"},
    "004_2ba259b3f4eff141.txt": {"三保障三提升"},
}
REJECTED = {
    "开门红",
    "四化同步、城乡融合、五区共兴",
    "拼经济、搞建设、促发展",
    "两个确立",
    "两个维护",
    "3815",
    "三个年",
    "十四五",
}


def test_corpus_discoveries(records):
    for name, expected in EXPECTED.items():
        new = {m["label"] for m in records[name].mentions if m["type"] == "programme" and m["id"].startswith(str(DISC))}
        assert expected <= new, (name, expected - new)
        assert not new & REJECTED
    slogans = {m["label"] for r in records.values() for m in r.mentions if m["type"] == "slogan"}
    assert REJECTED - {"开门红"} <= slogans
    assert "开门红" not in slogans


def test_discovered_mentions_carry_rule_and_measure(records):
    rec = records["002_2aaf79a3e9149368.txt"]
    anquan = [m for m in rec.mentions if m["label"] == "渝工安康"]
    assert anquan and all(m["rule"] in ("family", "head-out") for m in anquan)
    assert {m["measure"] for m in anquan if m["measure"] is not None} == {7}
    for m in anquan:
        assert rec.text[m["start"] : m["end"]] == m["text"] == "渝工安康"


def test_discovered_graph_supports_review(dataset):
    g = dataset.graph(graph_iri(DEFAULT_BASE_IRI, "discovered"))
    concepts = set(g.subjects(SKOS.inScheme, DISC["scheme"]))
    assert concepts and all((c, UKG.curated, Literal(False)) in g for c in concepts)
    assert all((c, RDF.type, UKG.Programme) in g for c in concepts)
    home = URIRef(discovered_iri("programme", "雪域高原职工之家"))
    assert (home, SKOS.broadMatch, PROG["workers-home"]) in g
    assert not set(g.subjects(RDF.type, UKG.Slogan)) & concepts
    rows = dataset.query(
        """PREFIX ukg: <https://w3id.org/unionkg/ns#> PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?c ?label (COUNT(DISTINCT ?m) AS ?mentions) (COUNT(DISTINCT ?d) AS ?docs) WHERE {
          ?c skos:inScheme <https://w3id.org/unionkg/discovered/scheme> ; ukg:curated false ; skos:prefLabel ?label .
          ?m oa:hasBody ?c ; ukg:inDocument ?d } GROUP BY ?c ?label"""
    )
    counts = {str(r.label): (int(r.mentions), int(r.docs)) for r in rows}
    assert counts["渝工安康"][0] >= 4 and counts["渝工安康"][1] == 1
    assert counts["工理啦"] == (1, 1)


def test_pipeline_emits_discovered_programmes_once_per_entity():
    ids = []
    for quote in ("“匠心杯”", "「匠心盃」"):
        text = f"# 测试市总工会关于开展竞赛的通知\n\n（一）开展竞赛。举办{quote}职工技能竞赛。\n"
        rec = process_source(SourceText("t.txt", text, "utf-8", "text/plain"))
        ids.append({m["id"] for m in rec.mentions if m["type"] == "programme" and m.get("rule") == "head-in"})
    assert ids[0] == ids[1] and len(ids[0]) == 1


# ------------------------------------------------------------------------------------ local brands (#14)


def kept(text: str) -> dict[str, tuple[str, str, str]]:
    """label -> (type, rule, broader) of every discovered mention in `text`."""
    return {m.label: (m.type, m.rule, m.kind) for m in found(text)}


CRAFTSMAN = str(PROG["craftsman-selection"])
STATION = str(PROG["outdoor-worker-station"])


def test_honour_titles_after_or_before_a_trigger():
    got = decisions(
        "新命名“江城时代工匠”20名，开展“园区工匠”选树，申报“星海金牌职工”称号，评出“滨河好青年”15名，"
        "推进“健康工地·平安企业”创建。"
    )
    for name in ("江城时代工匠", "园区工匠", "星海金牌职工", "滨河好青年", "健康工地·平安企业"):
        assert got[name] == ("programme", "honour"), name
    assert kept("新命名“江城时代工匠”20名。")["江城时代工匠"][2] == CRAFTSMAN
    # a weak trigger (申报, 推荐) needs a title of people; a bare number is a holiday, not an honour
    got = decisions("积极申报“专精特新”企业，推荐“最美家庭”参评，在省“五一”表彰中。")
    assert got["专精特新"][0] == "dropped" and got["最美家庭"][0] == "dropped"
    assert got["五一"][0] != "programme"
    assert decisions("推荐申报“滨海金牌职工”。")["滨海金牌职工"] == ("programme", "honour")


def test_campaigns_launched_by_a_verb():
    got = decisions("启动“工会蓝 暖心行”春节送温暖活动，举办了“情满·中秋”职工联欢会，推出“悦享周末”。")
    assert got["工会蓝 暖心行"] == ("programme", "launch")
    assert got["情满·中秋"] == ("programme", "launch")
    assert got["悦享周末"] == ("programme", "launch")
    # a longer parallel phrase is still a slogan; a formula stays a formula
    got = decisions("持续开展“对标先进 争创一流”活动，开展“三个年”活动，举办“五一”游园。")
    assert got["对标先进 争创一流"] == ("slogan", "parallel")
    assert got["三个年"] == ("slogan", "formula")
    assert got["五一"][0] != "programme"


def test_place_brands_with_big_craftsmen_and_city_epithets():
    got = decisions("新一届“鹏城大工匠”选树，评选30名泉城工匠、20名首席工匠。")
    assert got["鹏城大工匠"] == ("programme", "brand")
    assert got["泉城工匠"] == ("programme", "brand")
    assert "首席工匠" not in got  # 首席 is no place name nor epithet
    assert kept("评选30名泉城工匠。")["泉城工匠"] == ("programme", "brand", CRAFTSMAN)


def test_new_heads_service_circles_alliances_days_and_apps():
    got = decisions(
        "打造“15分钟职工服务圈”，推广“暖蜂”爱心商户联盟模式，以“5·1星城工匠日”为契机，通过“湘工惠”App申报，"
        "开设“乐业长沙”专栏。"
    )
    assert got["15分钟职工服务圈"] == ("programme", "head-in")
    assert got["暖蜂"] == ("programme", "head-out")  # 联盟 comes before the cue 模式
    assert got["5·1星城工匠日"][0] == "programme"
    assert got["湘工惠"] == ("programme", "head-out")
    assert got["乐业长沙"] == ("programme", "head-out")
    assert kept("通过“湘工惠”App申报。")["湘工惠"][2] == str(PROG["smart-union"])
    # a city and a generic word is the union's own account, not a brand
    assert decisions("关注“长沙工会”微信公众号。")["长沙工会"][0] == "dropped"


def test_local_brands_led_by_a_place():
    got = decisions("办好杭州工会集市，举办宁波技能状元大赛，推动蓉城职工帮扶馆提质，依托“江苏职工云课堂”直播。")
    assert got["杭州工会集市"] == ("programme", "local")
    assert got["宁波技能状元大赛"] == ("programme", "local")
    assert got["蓉城职工帮扶馆"] == ("programme", "local")
    assert got["江苏职工云课堂"] == ("programme", "local")  # 江苏 + 职工 + 云: generic but for the place
    # inside a longer word, or a curated name after a bare place: nothing new
    assert not found("组织职工参观中山纪念馆，建设成都市职工之家。")


def test_unquoted_stations_and_homes_after_a_trigger():
    got = kept("推进工会温馨驿站建设，在站点建设中推广工会温馨驿站模式，建成公园职工之家10个。")
    assert got["工会温馨驿站"] == ("programme", "brand", STATION)
    assert got["公园职工之家"] == ("programme", "brand", str(PROG["workers-home"]))
    assert "中推广工会温馨驿站" not in got  # the name starts after the last trigger
    assert not found("推动条件成熟的驿站延长开放时间，建设一批职工之家，推进职工之家建设。")


def test_named_cards_and_platforms():
    got = decisions("拓展普惠服务。沪卡·暖心服务卡将新增线上办卡功能，面向沪卡会员推出活动;苏工惠平台上线。")
    assert got["沪卡·暖心服务卡"] == ("programme", "card")
    assert got["苏工惠"] == ("programme", "card")
    assert not found("为会员办理新卡。")


def test_a_plan_title_names_its_programme():
    got = decisions(
        "印发《滨江工会助力“乡村振兴”五项行动方案》，制定《三年行动方案》和《关于开展技能提升行动的方案》。"
    )
    assert got["滨江工会助力“乡村振兴”五项行动"] == ("programme", "title-core")
    assert got["滨江工会助力“乡村振兴”五项行动方案"] == ("document", "title")
    assert "三年行动" not in got and "关于开展技能提升行动的" not in got


def test_a_long_name_around_a_short_curated_one():
    got = decisions("以“消费帮扶暖心行·助力乡村振兴”行动为总牵引，开展“中国梦·劳动美——永远跟党走”主题活动。")
    assert got["消费帮扶暖心行·助力乡村振兴"] == ("programme", "head-out")
    assert got["中国梦·劳动美——永远跟党走"][0] == "curated"


def test_a_place_is_no_brand_family():
    text = "关注“滨州工会”“滨州通”，评选“滨州工匠”，发布“滨州工会”动态。"
    assert not [d for d in review(normalize(text).text, extract_mentions(normalize(text).text)) if d.rule == "family"]
