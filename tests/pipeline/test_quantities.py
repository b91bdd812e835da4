"""Tests for kg.pipeline.quantities: number parsing, quantity extraction, exclusions and the seed gold."""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.pipeline.quantities import QuantitySpan, extract_quantities, parse_number
from kg.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
GOLD = Path(__file__).resolve().parents[3] / "shared" / "gold" / "seeds.json"


def quantities(sentence: str, **kw) -> list[tuple[str, QuantitySpan]]:
    nt = normalize(sentence)
    return [(nt.text[q.start : q.end], q) for q in extract_quantities(nt.text, **kw)]


def one(sentence: str, **kw) -> QuantitySpan:
    found = quantities(sentence, **kw)
    assert len(found) == 1, found
    return found[0][1]


def texts(sentence: str, **kw) -> list[str]:
    return [t for t, _ in quantities(sentence, **kw)]


# --------------------------------------------------------------------------------------------
# parse_number
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("1000", 1000),
        ("2.63", Decimal("2.63")),
        ("14.37", Decimal("14.37")),
        ("1,000", 1000),
        ("12,345,678", 12345678),
        ("1.5亿", 150000000),
        ("9000万", 90000000),
        ("9000 万", 90000000),
        ("９０００万", 90000000),
        ("１．５亿", 150000000),
        ("1.19万", 11900),
        ("三十", 30),
        ("两千", 2000),
        ("一万二千", 12000),
        ("一万二", 12000),
        ("三千五", 3500),
        ("十二", 12),
        ("十", 10),
        ("百", 100),
        ("百万", 1000000),
        ("千万", 10000000),
        ("1千万", 10000000),
        ("一百一十", 110),
        ("一万零五", 10005),
        ("二十万零五百", 200500),
        ("一亿二千万", 120000000),
        ("两亿", 200000000),
        ("貳仟", 2000),
        ("二〇二三", 2023),
    ],
)
def test_parse_number_forms(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "   ", "abc", "场", "1.2.3", "三八x", "1,0", "12a"])
def test_parse_number_rejects_non_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


_CN = "零一二三四五六七八九"


def _render4(n: int, *, liang: bool, leading: bool) -> str:
    """Render 1..9999 as Chinese numerals; `leading` allows 十二 instead of 一十二."""
    out = []
    zero = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit_value % 10
        if digit == 0:
            if out:
                zero = True
            continue
        if zero:
            out.append("零")
            zero = False
        if unit == "十" and digit == 1 and not out and leading:
            out.append("十")
            continue
        ch = "两" if (liang and digit == 2 and unit in ("千", "百")) else _CN[digit]
        out.append(ch + unit)
    return "".join(out)


def render_chinese(n: int, *, liang: bool = False) -> str:
    """一万二千三百零五 style rendering of 1..99,999,999 (with 两 before 千/百/万 when asked)."""
    high, low = divmod(n, 10000)
    text = ""
    if high:
        head = _render4(high, liang=liang, leading=True)
        if liang and head == "二":
            head = "两"
        text = head + "万"
    if low:
        if high and low < 1000:
            text += "零"
        text += _render4(low, liang=liang, leading=not high)
    return text


def test_renderer_examples():
    assert render_chinese(12305) == "一万二千三百零五"
    assert render_chinese(12) == "十二"
    assert render_chinese(110) == "一百一十"
    assert render_chinese(20000, liang=True) == "两万"
    assert render_chinese(2200, liang=True) == "两千两百"


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=1, max_value=99_999_999), st.booleans())
def test_parse_number_chinese_round_trip(n, liang):
    assert parse_number(render_chinese(n, liang=liang)) == n


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2),
    st.sampled_from(
        [("", 1), ("百", 100), ("千", 1000), ("万", 10**4), ("亿", 10**8), ("百万", 10**6), ("千万", 10**7)]
    ),
)
def test_parse_number_arabic_with_multiplier(value, mult):
    word, factor = mult
    assert parse_number(f"{value}{word}") == value * factor


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10**9))
def test_parse_number_thousands_separator_and_full_width(n):
    assert parse_number(f"{n:,}") == n
    full = "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    assert parse_number(full) == n


# --------------------------------------------------------------------------------------------
# Extraction: number forms and units
# --------------------------------------------------------------------------------------------


def test_arabic_with_space_between_number_and_unit():
    q = one("一季度完成主题宣传宣讲 300 场。")
    assert (q.value, q.unit, q.unit_text, q.currency) == (300, "场", "场", None)


def test_chinese_numerals_with_measure_word():
    assert [(t, q.value, q.unit) for t, q in quantities("开展百场宣讲，服务职工一万二千人次，选派三十名干部。")] == [
        ("百场", 100, "场"),
        ("一万二千人次", 12000, "人次"),
        ("三十名", 30, "名"),
    ]


def test_multiplier_folded_and_longest_unit():
    q = one("提供工会就业服务 50 万人次")
    assert (q.value, q.unit) == (500000, "人次")
    q = one("累计建立新业态工会组织1.19万个")
    assert (q.value, q.unit) == (11900, "个")


def test_money_is_normalised_to_yuan():
    q = one("全年安排 9000 万元用于站点建设")
    assert (q.value, q.unit, q.unit_text, q.currency) == (90000000, "元", "万元", "CNY")
    q = one("发放创业担保贷款1.5亿元")
    assert (q.value, q.unit_text) == (150000000, "亿元")
    q = one("每人 300 元")
    assert (q.value, q.unit, q.unit_text, q.currency, q.per) == (300, "元", "元", "CNY", "人")


def test_thousands_separator_and_full_width_input():
    q = one("新建站点1,000个")
    assert (q.value, q.unit) == (1000, "个")
    q = one("安排９０００万元资金")  # full-width digits are folded by normalize
    assert (q.value, q.unit_text) == (90000000, "万元")


def test_percentages_and_bare_numbers():
    assert [(q.value, q.unit) for _, q in quantities("占比达80.26%，比例超过百分之六十。")] == [
        (Decimal("80.26"), "%"),
        (60, "%"),
    ]
    assert texts("同比增长300，编号12345，得分98.5。") == []  # no unit, no quantity


@pytest.mark.parametrize(
    "sentence, unit",
    [
        ("举办培训班20期", "期"),
        ("开展技术革新9.6万项", "项"),
        ("帮扶困难职工家庭25.4万户", "户"),
        ("办理维权案件36847件", "件"),
        ("组建服务队10支", "支"),
        ("建设驿站50处", "处"),
        ("命名10所工匠学院", "所"),
        ("培训3个月", "个月"),
        ("建设2万平方米", "平方米"),
        ("带动30万职工参加", "职工"),
        ("开展培训200人天", "人天"),
        ("提出合理化建议129.5万条", "条"),
        ("选派干部2676人次", "人次"),
        ("修建绿道12公里", "公里"),
        ("服务时长5小时", "小时"),
    ],
)
def test_units(sentence, unit):
    assert one(sentence).unit == unit


# --------------------------------------------------------------------------------------------
# Qualifiers, ranges, rates, periods, roles, counts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, qualifier, word",
    [
        ("服务职工 800 万人次以上", "min", "以上"),
        ("选派不少于 1000 名干部", "min", "不少于"),
        ("培训人次不低于1500人", "min", "不低于"),
        ("参与职工数超过500万人次", "min", "超过"),
        ("年均超100万人次参与", "min", "超"),
        ("每年至少50个", "min", "至少"),
        ("逾千人参加", "min", "逾"),
        ("每期30人以内", "max", "以内"),
        ("不超过20个", "max", "不超过"),
        ("规模在50人以下", "max", "以下"),
        ("最多10家", "max", "最多"),
        ("新增补助资金10亿元左右", "approx", "左右"),
        ("约200期", "approx", "约"),
        ("近400项成果", "approx", "近"),
        ("1360余人", "approx", "余"),
        ("7100多期", "approx", "多"),
        ("50人上下", "approx", "上下"),
        ("2.63万余家小微企业", "approx", "余"),
    ],
)
def test_qualifiers(sentence, qualifier, word):
    q = one(sentence)
    assert (q.qualifier, q.qualifier_word) == (qualifier, word)


def test_double_qualifier_and_qualifier_before_unit():
    t, q = quantities("服务户外劳动者超过300万人次以上")[0]
    assert (t, q.value, q.qualifier) == ("超过300万人次以上", 3000000, "min")
    assert q.qualifier_word == "超过…以上"
    t, q = quantities("职工互助保障覆盖140万以上职工")[0]
    assert (t, q.value, q.unit, q.qualifier) == ("140万以上职工", 1400000, "职工", "min")


@pytest.mark.parametrize(
    "sentence, low, high, unit",
    [
        ("每组15至25人", 15, 25, "人"),
        ("培育5—10家", 5, 10, "家"),
        ("培育5-10家", 5, 10, "家"),
        ("培育5~10家", 5, 10, "家"),
        ("培育5～10家", 5, 10, "家"),
        ("建设三至五个基地", 3, 5, "个"),
        ("组建5万至10万人的队伍", 50000, 100000, "人"),
        ("覆盖5至10万人", 50000, 100000, "人"),
        ("补助5千至8千元", 5000, 8000, "元"),
    ],
)
def test_ranges(sentence, low, high, unit):
    q = one(sentence)
    assert (q.value, q.value_max, q.unit) == (low, high, unit)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=1, max_value=99999),
    st.integers(min_value=0, max_value=99999),
    st.sampled_from(["至", "—", "-", "~"]),
    st.sampled_from(["个", "家", "人次", "场"]),
)
def test_range_property(a, gap, sep, unit):
    b = a + gap
    q = one(f"计划建设{a}{sep}{b}{unit}。")
    assert (q.value, q.value_max, q.unit) == (a, b, unit)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=2, max_value=99_999_999), st.booleans())
def test_chinese_quantity_property(n, liang):
    q = one(f"开展活动{render_chinese(n, liang=liang)}场。")
    assert (q.value, q.unit) == (n, "场")


@settings(max_examples=150, deadline=None)
@given(
    st.decimals(min_value=Decimal("0.1"), max_value=Decimal("9999.9"), places=1),
    st.sampled_from([("万", 10**4), ("亿", 10**8)]),
)
def test_money_property(value, mult):
    word, factor = mult
    q = one(f"安排资金{value}{word}元。")
    assert (q.value, q.unit, q.unit_text, q.currency) == (value * factor, "元", word + "元", "CNY")


def test_rates():
    q = one("补贴标准500元/人")
    assert (q.value, q.per) == (500, "人")
    q = one("为全省职工会员每人每年增加福利 300 元")
    assert (q.per, q.period) == ("人", "每年")
    q = one("每所工匠学院培训不低于1500人")
    assert q.per == "工匠学院"
    q = one("人均300元")
    assert q.per == "人"
    assert one("新建站点100个").per is None


@pytest.mark.parametrize(
    "sentence, period",
    [
        ("一季度完成宣讲300场", "一季度"),
        ("全年安排9000万元", "全年"),
        ("每年评选100家", "每年"),
        ("全省职工年均超100万人次参与", "年均"),
        ("2023—2027年，新增补助资金10亿元左右", "2023—2027年"),
        ("到2025年，发放贷款不少于2.4亿元", "到2025年"),
        ("2025年前建成100个", "2025年前"),
        ("3年内完成200个", "3年内"),
        ("今年培训500人", "今年"),
        ("2023年继续评选40名", "2023年"),
    ],
)
def test_periods(sentence, period):
    assert one(sentence).period == period


def test_default_period_and_local_years():
    assert one("新建站点100个", default_period="2023年").period == "2023年"
    assert one("一季度新建站点100个", default_period="2023年").period == "一季度"
    # a year inside "自…以来" does not scope a later clause
    q = one("自2019年组建宣讲团以来，积极开展宣讲，帮扶25.4万户", doc_kind="report")
    assert q.period is None


def test_roles():
    assert one("新建站点100个").role == "target"
    assert one("新建站点100个", doc_kind="report").role == "target"  # 新建 is a target cue
    assert one("服务职工100万人次", doc_kind="report").role == "statistic"
    assert one("截至目前，已建站点7473个").role == "statistic"
    assert one("过去五年，办理维权案件1.9万件").role == "statistic"
    assert one("累计服务职工2.95亿人次").role == "statistic"
    assert one("力争到2025年覆盖率达到90%", doc_kind="report").role == "target"
    with pytest.raises(ValueError):
        extract_quantities("100个", doc_kind="plan")


@pytest.mark.parametrize(
    "sentence, counts",
    [
        ("新建市级以上劳模和工匠人才创新工作室150家。", "劳模和工匠人才创新工作室"),
        ("命名10所重庆工匠学院。", "重庆工匠学院"),
        ("支持不少于100家企业提升条件", "企业"),
        ("每年帮助3万名职工实现技能升级", "职工"),
        ("新建基层工会组织2500个以上、", "基层工会组织"),
        ("带动30万职工参加技能提升", None),
    ],
)
def test_counts(sentence, counts):
    assert one(sentence).counts == counts


def test_span_covers_qualifiers_number_and_unit():
    text = "一季度全省工会开展普法宣传活动不少于 1000 场，覆盖职工人数不少于 100 万人次。"
    found = extract_quantities(text)
    assert [text[q.start : q.end] for q in found] == ["不少于 1000 场", "不少于 100 万人次"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


# --------------------------------------------------------------------------------------------
# Not quantities
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        # counts and ordinals of the document itself
        "结合实际，制定 12 条具体措施。",
        "四川省总工会助力经济发展“开门红” 十二条措施",
        "陕西省总工会贯彻落实省委省政府“三个年”活动15条措施",
        "围绕拼经济发布18条具体措施",
        "完成第七批劳模和工匠人才创新工作室选树工作",
        "举办陕西省第二届“三秦工匠杯”大赛",
        "做好七批试点",
        "省委十二届二次全会精神",
        "联合发改等 9 部门印发方案",
        "落实省委省政府 2023 年全省 30 件民生实事实施方案",
        "重点办好十件实事",
        "云南省总工会出台10条举措服务省委战略",
        "省总工会第十二届委员会第十二次全体会议",
        # years and dates
        "政策时效延长至 2023 年 3 月 31 日",
        "2月24日,省总工会召开会议",
        "2024.03.06 14:04",
        "面对60年一遇极端高温干旱灾害",
        "2023—2027年，以加强年为契机",
        # thresholds defining a group
        "将建会工作向25人以上非公企业拓展延伸",
        "扎实开展百人以上企业建会、百人以下25人以上企业建会",
        "力争在城市中心和主要街道建立15分钟服务圈",
        # names containing digits
        "落实省委“3815”战略发展目标",
        "拨打12351热线",
        "加大对“扶贫832平台”的宣传",
        "扶贫832平台",
        "5G网络建设应用",
        "全省工会“345”工作思路",
        "坚持4个“高”要求，聚焦4个“更加”目标",
        "落实全总“工会服务站双15工程”部署",
        "双15工程",
        "编制省“十四五”劳动和技能竞赛规划",
        "十四五期间",
        "党的十八大、二十大",
        "三八国际劳动妇女节期间",
        "在省“五一”表彰评审过程中",
        "评选命名一批“五小”活动先进集体",
        "实施“千百十”职工心理健康服务计划",
        "“三个年”活动",
        "三个年活动",
        "明确“四门”工会工作理念",
        "支持“百万职工游巴蜀”促消费活动",
        "推进五区共兴战略",
        "打通改革的“最后一公里”",
        "实现一次入会",
        "建设一批、规划一批",
        "走进千家万户",
        "鼓励基层工会每年至少一个节日购买农特产品",
        "坚持“两个确立”",
        "举办首届港口物流职工职业技能大赛",
        "《重庆工会“十件实事”实施方案(2023—2027年)》",
        # indefinite numerals and web-page furniture
        "帮助数十家企业",
        "几百人参加",
        "全省唯一一家",
        "两三个站点",
        "浏览次数：1234次",
        "提供7×24小时服务",
    ],
)
def test_not_quantities(sentence):
    assert texts(sentence) == []


def test_traditional_script_is_handled_after_normalize():
    found = quantities("選樹100個關愛職工優秀單位，發放1.5億元，製定12條措施。")
    assert [(t, q.value, q.unit) for t, q in found] == [("100个", 100, "个"), ("1.5亿元", 150000000, "元")]


# --------------------------------------------------------------------------------------------
# Real corpus sentences
# --------------------------------------------------------------------------------------------


def test_corpus_sentence_sichuan():
    s = (
        "省财政、省总工会和站点建设合作单位等全年安排 9000 万元以上用于站点建设和服务，其中一季度安排 "
        "3000 万元资金，召开全省站点建设现场会，高质量加快推进站点建设，服务户外劳动者超过 100 万人次。"
    )
    found = quantities(s)
    assert [(q.value, q.unit, q.qualifier, q.period) for _, q in found] == [
        (90000000, "元", "min", "全年"),
        (30000000, "元", None, "一季度"),
        (1000000, "人次", "min", "一季度"),
    ]
    assert found[1][1].counts == "资金"


def test_corpus_sentence_chongqing():
    s = "实施“双百”评选计划。评选500家百优职工健康食堂、500个百佳职工健身驿站，开展百优职工健康食堂厨艺技能竞赛。"
    found = quantities(s)
    assert [(q.value, q.unit, q.counts) for _, q in found] == [
        (500, "家", "百优职工健康食堂"),
        (500, "个", "百佳职工健身驿站"),
    ]


def test_corpus_sentence_yunnan():
    s = (
        "持续抓好滇中引水工程、电网“三保障三提升”工程等4项全国引领性竞赛,省级重点主抓全省铁路、高速公路、"
        "5G网络建设应用等12项示范性竞赛,每年参赛职工100万人次以上"
    )
    found = quantities(s)
    assert [(q.value, q.unit) for _, q in found] == [(4, "项"), (12, "项"), (1000000, "人次")]
    assert found[2][1].period == "每年"


def test_corpus_sentence_review():
    s = "截至2023年6月，全省已累计建立新业态工会组织1.19万个，发展新就业形态劳动者会员达162.6万人。"
    found = quantities(s, doc_kind="report")
    assert [(q.value, q.unit, q.role, q.period) for _, q in found] == [
        (11900, "个", "statistic", "截至2023年6月"),
        (1626000, "人", "statistic", "截至2023年6月"),
    ]


# --------------------------------------------------------------------------------------------
# Gold
# --------------------------------------------------------------------------------------------


def _norm(s: str) -> str:
    return re.sub(r"[\s“”‘’\"'《》()（）]", "", unicodedata.normalize("NFKC", s or ""))


def _matches(gold: dict, q: QuantitySpan) -> bool:
    value_ok = abs(float(q.value) - gold["value"]) <= 1e-6 * max(1, abs(gold["value"]))
    g, e = _norm(gold["unit"]), _norm(q.unit)
    return value_ok and bool(g) and bool(e) and (g in e or e in g)


def test_gold_recall_precision_and_not_quantities():
    if not GOLD.exists():
        pytest.skip(f"gold annotations not found at {GOLD} (the repo is expected next to a shared/ folder)")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    found_gold = total_gold = correct = reported = 0
    problems = []
    for doc in gold["documents"]:
        path = CORPUS / doc["file"]
        if not path.exists():
            pytest.skip(f"corpus file {path} missing")
        nt = normalize(path.read_text(encoding="utf-8"))
        kind = "report" if doc.get("kind") == "report" else "measures"
        qs = extract_quantities(nt.text, doc_kind=kind)
        for q in qs:
            assert 0 <= q.start < q.end <= len(nt.text)
        for g in doc.get("quantities", []):
            total_gold += 1
            if any(_matches(g, q) for q in qs):
                found_gold += 1
            else:
                problems.append(f"missed {doc['file']}: {g}")
        if kind == "measures" and doc.get("quantities"):
            reported += len(qs)
            correct += sum(1 for q in qs if any(_matches(g, q) for g in doc["quantities"]))
        for nq in doc.get("not_quantities") or []:
            for q in qs:
                original = nt.original_slice(q.start, q.end)
                assert _norm(nq) not in _norm(original), f"{doc['file']}: reported {original!r} ({nq!r})"
    recall = found_gold / total_gold
    precision = correct / reported
    assert recall >= 0.95, (recall, problems)
    assert precision >= 0.90, precision


def test_plan_period_is_inherited_by_quantities_without_their_own(records):
    rec = records["002_2aaf79a3e9149368.txt"]
    periods = {q["period"] for q in rec.quantities}
    assert "2023—2027年" in periods
    assert "每年" in periods
    sichuan = records["000_ca660b9881810a2f.txt"]
    assert any(q["period"] == "一季度" for q in sichuan.quantities)


# --------------------------------------------------------------------------------------------
# Issue #13: units of the field, table row numbers, service numbers, announced and rhetorical counts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, value, unit",
    [
        ("气温超过38℃时停止露天作业", 38, "℃"),
        ("分12批次组织职工疗休养", 12, "批次"),
        ("上架助农产品600款", 600, "款"),
        ("参赛职工达42萬(wàn)人次", 420000, "人次"),  # a pinyin annotation inside a 万 form
    ],
)
def test_units_of_the_field(sentence, value, unit):
    q = one(sentence)
    assert (q.value, q.unit) == (value, unit)


def test_table_row_numbers_are_not_quantities():
    """Rule table-row-number: the 序号 column (a number, then a column gap) counts rows."""
    table = "序号  任务  目标\n1  职工疗休养  组织职工3000人次\n2\t驿站建设\t新建驿站20个\n| 3 | 书屋 | 50家 |\n"
    assert texts(table) == ["3000人次", "20个", "50家"]
    assert texts("5 家企业获评") == ["5 家"]  # one space is not a column gap


@pytest.mark.parametrize(
    "sentence",
    [
        "可拨打12351职工服务热线咨询",
        "开通12345政务服务热线",
        "服务热线：12351",
        "致电95598人工客服",
        "拨打12351职工维权",
    ],
)
def test_service_numbers_are_not_quantities(sentence):
    """Rule service-number: a hotline number is a name, whatever unit-like word follows it."""
    assert texts(sentence) == []


def test_a_count_near_a_hotline_is_still_a_quantity():
    assert texts("开通服务热线20条") == ["20条"]
    assert texts("全年受理12351热线来电36000件") == ["36000件"]
    assert texts("服务职工12000人次，12351热线全天开通") == ["12000人次"]


@pytest.mark.parametrize(
    "sentence",
    [
        "集中实施五项重点工程",
        "推出十项行动",
        "全年重点抓好以下七个方面工作",
        "主要做好两件事",
        "我们从四个方面发力",
        "改造为24小时开放驿站",
        "提供24小时在线咨询",
    ],
)
def test_announced_and_rhetorical_counts_are_not_quantities(sentence):
    """Rule announced-count (Chinese numeral + 项/个/大… + 工程/行动/方面…), and unit-name words (件事, 小时开放)."""
    assert texts(sentence) == []


def test_digit_counts_of_projects_and_durations_stay_quantities():
    assert texts("参与200项重点工程建设") == ["200项"]
    assert texts("培训时长达到24小时") == ["24小时"]
    assert texts("办理法律援助500件事项") == ["500件"]  # 件 + 事项 is an amount, 件 + 事 is not


def test_rows_with_one_space_are_rows_when_the_next_row_follows():
    table = "序号 任务 目标\n1 职工疗休养 组织职工3000人次\n2 驿站建设 新建驿站20个\n"
    assert texts(table) == ["3000人次", "20个"]


def test_listed_service_numbers_are_never_quantities():
    assert texts("依托12351职工服务站开展咨询") == []
    assert texts("开通12345个") == []  # a listed number is a name, whatever follows it
    assert texts("建成服务站12352个") == ["12352个"]
    assert texts("计划建设12345-12346个。") == ["12345-12346个"]  # a range is an amount (found by hypothesis)
