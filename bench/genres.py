"""The genres of the field for the benchmark generator (:mod:`bench.generate`).

Besides the federations' own numbered plans, analysts collect news reports that announce such plans
(measures as paragraphs led by a short title sentence, or named in one quoted list after a cue word),
实事 lists, notices with articles 第一条…, public-account posts, interviews, plans whose measures are a text
table, notices whose measures are in the attachment, plans with a 保障措施 section that holds no
measures, work reports (no measures) and mirror-site copies (traditional characters with pinyin,
spam fragments). Each writer here composes one document of its genre from the same material as the
numbered plans (the real corpus's measure titles and sentences, places, programme labels) and says
how many measures it holds and which count it announces.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "FIELD_GENRE",
    "GENRES",
    "GENRE_WEIGHTS",
    "Scene",
    "Written",
    "add_pinyin",
    "cn_numeral",
    "write_genre",
]

_CN = "一二三四五六七八九"

#: generator genre -> the genre of the field (a local name of ontology/genres.ttl) the pipeline should assign
FIELD_GENRE = {
    "plan": "plan",
    "report": "work-report",
    "news-paragraphs": "news-report",
    "news-quoted-list": "news-report",
    "shishi-list": "shishi-list",
    "notice-articles": "notice",
    "public-account-post": "public-account-post",
    "interview": "interview",
    "table": "plan",
    "notice-attachment": "notice",
    "plan-safeguards": "plan",
    "work-report": "work-report",
    "mirror": "news-report",
}
GENRES = tuple(FIELD_GENRE)
#: about a third numbered plans (today's corpus), the rest spread over the other genres
GENRE_WEIGHTS = (33, 4, 6, 6, 5, 6, 6, 6, 6, 6, 5, 5, 6)

_EDITORS = ("张伟", "李娜", "王芳", "刘洋", "陈静", "杨帆", "周然", "孙立", "方晓", "赵敏")
_DEPARTMENTS = (
    "组织部",
    "基层工作部",
    "宣传教育部",
    "权益保障部",
    "劳动和经济工作部",
    "职工服务部",
    "女职工部",
    "办公室",
    "经费审查委员会办公室",
)
_TOPICS = (
    "服务新就业形态劳动者",
    "助力经济高质量发展",
    "加强职工服务阵地建设",
    "关心关爱一线职工",
    "深化产业工人队伍建设改革",
    "提升职工生活品质",
)
_ADDRESSEES = (
    "各市（州）总工会，各产业工会，各直属基层工会：",
    "各区总工会，各局（集团）、产业工会，各直属基层工会：",
    "各县（市、区）总工会，各产业（系统）工会，市级机关工会：",
)
_CONTEXT_LEADS = ("记者了解到，", "据介绍，", "会议通报的数据显示，", "据统计，")
_CUES = ("分别是", "依次是", "包括", "主要有")
_DETAIL_LEADS = ("围绕“{name}”，", "在“{name}”中，", "“{name}”方面，", "实施“{name}”，")
_LIST_KINDS = ("工程", "行动")
_KIND_ENDINGS = ("工程", "行动", "活动", "计划")
_SAFEGUARDS = (
    ("加强组织领导", "各级工会要把本方案落实作为重要任务，主要负责同志亲自研究部署，细化工作举措，明确责任分工。"),
    ("强化经费保障", "各级工会要加大经费投入，统筹用好工会经费和社会资源，确保各项行动有序推进。"),
    ("营造良好氛围", "充分运用报刊、网站和新媒体平台，宣传各地好经验好做法，营造全社会关心职工的良好氛围。"),
    ("加强督促检查", "建立工作台账，定期调度工作进展，对推进不力的单位及时提醒督促。"),
)
_SAFEGUARD_HEADINGS = ("保障措施", "组织保障", "工作要求")
_POST_HOOKS = ("高温下的“娘家人”", "暖心服务不打烊", "职工福利来了", "工会在行动")
_POST_EMOJI = ("🔥", "💪", "👏", "🌟", "🎉", "☀️", "❤️")
_POST_HEADING_EMOJI = ("📌", "🔸", "✅", "🔹")
_POST_LEADS = (
    "一起来看看具体内容吧👀",
    "快转给身边的职工朋友👇",
    "这些暖心举措",
    "让职工群众感受到“娘家人”的温暖",
    "省、市、县三级工会同步行动",
)
_POST_FURNITURE = ("点击“阅读原文”了解更多", "扫码关注我们", "分享｜点赞｜在看", "喜欢就点个“在看”吧")
_SLOGANS = ("用心用情当好职工“娘家人”", "把服务送到职工心坎上", "让职工群众得实惠", "为职工办实事 解难题")
_SPAM = ("🧧🧧扫码领红包🧧", "⚽🏀体育直播在线看⚽", "【广告】低价代办各类证件", "💰💰日赚千元不是梦💰", "🎁免费领取🎁")
_PINYIN = dict(
    pair.split(":")
    for pair in (
        "總:zǒng 會:huì 項:xiàng 職:zhí 務:wù 點:diǎn 實:shí 動:dòng 勞:láo 報:bào 記:jì 業:yè 開:kāi "
        "這:zhè 區:qū 設:shè 競:jìng 賽:sài 興:xīng 導:dǎo 領:lǐng 統:tǒng 續:xù 數:shù 顯:xiǎn 類:lèi "
        "場:chǎng 進:jìn 運:yùn 維:wéi 屆:jiè 單:dān 參:cān 訊:xùn 體:tǐ 關:guān 愛:ài 們:men 經:jīng "
        "濟:jì 發:fā 規:guī 劃:huà 線:xiàn 萬:wàn 億:yì 產:chǎn 農:nóng 幫:bāng 費:fèi 貼:tiē 時:shí "
        "間:jiān 達:dá 過:guò 從:cóng 將:jiāng 緊:jǐn 議:yì 組:zǔ 織:zhī 員:yuán 選:xuǎn 樹:shù 層:céng"
    ).split()
)


def cn_numeral(n: int) -> str:
    """1..99 as a Chinese numeral (十, 十二, 二十一)."""
    if n < 10:
        return _CN[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens - 1]) + "十" + ("" if ones == 0 else _CN[ones - 1])


@dataclass
class Scene:
    """Who writes a document and when, and how to draw its measures (built by bench.generate)."""

    rng: random.Random
    issuer: str
    short: str  # the issuer's place, short (北京, 合肥)
    province_short: str
    year: int
    month: int
    day: int
    measures: Callable[[int], list[tuple[str, str]]]  # n -> n (title, body), titles distinct
    paragraph: Callable[[], str]  # a report paragraph (past tense, statistics), relocated
    headings: Callable[[], str]  # a report section heading, relocated


@dataclass
class Written:
    """One document of a genre: its lines and what the pipeline should find."""

    lines: list[str]
    measures: int
    announced: int | None
    noise: list[str] = field(default_factory=list)
    base: str | None = None  # the genre a mirror copy copies
    measure_lines: list[int] = field(default_factory=list)  # indices of the lines that hold a measure's body


def _count(rng: random.Random, n: int, unit: str) -> str:
    return f"{n}{unit}" if rng.random() < 0.5 else f"{cn_numeral(n)}{unit}"


def _date(sc: Scene) -> str:
    return f"{sc.year}年{sc.month}月{sc.day}日"


def _source_line(sc: Scene) -> str:
    rng = sc.rng
    paper = rng.choice((f"{sc.province_short}工人报", f"{sc.short}日报", f"{sc.issuer}"))
    return f"{sc.year}-{sc.month:02d}-{sc.day:02d} {rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}　来源：{paper}"


def _sentences(text: str) -> list[str]:
    return [s for s in re.findall(r"[^。；]+[。；]?", text) if s.strip()]


def _context(sc: Scene) -> str:
    """A news report's background paragraph: a report paragraph after a lead phrase (never a short title)."""
    return sc.rng.choice(_CONTEXT_LEADS) + sc.paragraph()


def _news_paragraphs(sc: Scene) -> Written:
    rng = sc.rng
    n = rng.randint(5, 10)
    count = rng.choice((_count(rng, n, "项举措"), _count(rng, n, "件实事"), _count(rng, n, "项服务")))
    title = rng.choice(
        (
            f"{sc.issuer}发布{sc.year}年服务职工实事 {count}惠及{sc.short}劳动者",
            f"{sc.issuer}推出{count} 为职工办实事解难题",
            f"{sc.short}工会{count}助力高质量发展",
        )
    )
    lines = [title, _source_line(sc)]
    opening = rng.choice(
        (
            f"本报讯（记者 {rng.choice(_EDITORS)}）{sc.month}月{sc.day}日，{sc.issuer}召开新闻发布会，介绍{sc.year}年",
            f"{sc.month}月{sc.day}日，记者从{sc.issuer}获悉，{sc.short}工会已确定{sc.year}年",
            f"近日，{sc.issuer}印发通知，部署{sc.year}年",
        )
    )
    lines.append(
        opening + "服务职工重点工作。今年的安排围绕服务阵地、技能提升、权益维护和普惠服务等方面展开，每一项都明确了"
        "量化指标、牵头部门和完成时限。"
    )
    if rng.random() < 0.5:
        lines.append(_context(sc))
    measure_lines = []
    for t, body in sc.measures(n):
        measure_lines.append(len(lines))
        lines.append(f"{t}。{body}")
    lines.append(f"{sc.issuer}有关负责人表示，将建立工作台账，定期调度进展，确保各项举措落地见效、职工真正受益。")
    return Written(lines, n, n, measure_lines=measure_lines)


def _list_name(rng: random.Random, title: str) -> str:
    return title if title.endswith(_KIND_ENDINGS) else title + rng.choice(_LIST_KINDS)


def _news_quoted_list(sc: Scene) -> Written:
    rng = sc.rng
    n = rng.randint(4, 8)
    kind = rng.choice(_LIST_KINDS)
    drawn = sc.measures(n)
    names = [_list_name(rng, t) for t, _ in drawn]
    last = rng.choice(("和", "以及", "、"))
    quoted = "、".join(f"“{x}”" for x in names[:-1]) + f"{last}“{names[-1]}”"
    lines = [
        f"{sc.issuer}部署{sc.year}年重点工作 {cn_numeral(n)}项{kind}助力职工建功{sc.province_short}",
        _source_line(sc),
        f"本报讯（记者 {rng.choice(_EDITORS)}）{sc.month}月{sc.day}日，{sc.issuer}全委会议召开。记者从会上了解到，"
        f"今年{sc.short}工会将集中实施{cn_numeral(n)}项重点{kind}，{rng.choice(_CUES)}{quoted}。",
    ]
    if rng.random() < 0.6:
        lines.append(_context(sc))
    measure_lines = []
    for name, (_, body) in zip(names, drawn, strict=True):
        measure_lines.append(len(lines))
        lines.append(rng.choice(_DETAIL_LEADS).format(name=name) + body)
    lines.append("会议要求，各级工会要细化任务清单，压实工作责任，推动各项重点工作落地落实。")
    return Written(lines, n, n, measure_lines=measure_lines)


def _shishi_list(sc: Scene) -> Written:
    rng = sc.rng
    n = rng.randint(5, 12)
    title = rng.choice(
        (f"{sc.issuer}{sc.year}年为职工办实事项目清单", f"{sc.year}年{sc.short}工会为职工办{_count(rng, n, '件实事')}")
    )
    lines = [
        title,
        f"为深入开展“我为职工办实事”实践活动，经{sc.issuer}研究，确定{sc.year}年为职工办{cn_numeral(n)}件实事，"
        "具体如下。",
    ]
    marker = rng.choice(("{i}.", "{i}、", "{c}、", "（{c}）"))
    measure_lines = []
    for i, (t, body) in enumerate(sc.measures(n), 1):
        measure_lines.append(len(lines))
        lines.append(marker.format(i=i, c=cn_numeral(i)) + f"{t}。{body}")
    lines.append("各级工会要把办实事项目纳入年度重点工作，逐项明确责任人和完成时限，年底向职工公布办理结果。")
    return Written(lines, n, n, measure_lines=measure_lines)


def _wrapper(sc: Scene, document: str, identifier: str, *, attachment: bool) -> list[str]:
    """A 通知 that issues `document`: title, 文号, addressees, a short text, signature."""
    rng = sc.rng
    lines = [f"{sc.issuer}文件"] if rng.random() < 0.5 else []
    lines += [identifier, f"{sc.issuer}关于印发《{document}》的通知", rng.choice(_ADDRESSEES)]
    lines.append(
        f"为贯彻落实上级工会有关部署要求，{sc.issuer}研究制定了《{document}》，现印发给你们，请结合实际认真抓好落实。"
    )
    if attachment:
        lines.append(f"附件：{document}")
    lines += [sc.issuer, _date(sc)]
    if attachment:
        lines += ["（此件公开发布）", "附件"]
    return lines


def _identifier(sc: Scene) -> str:
    return f"{sc.short[0]}工发〔{sc.year}〕{sc.rng.randint(1, 60)}号"


def _notice_articles(sc: Scene) -> Written:
    rng = sc.rng
    n = rng.randint(6, 15)
    document = f"{sc.issuer}{rng.choice(_TOPICS)}{cn_numeral(n)}条措施"
    lines = _wrapper(sc, document, _identifier(sc), attachment=False)
    lines += [
        document,
        f"为进一步做好{sc.short}工会服务职工工作，切实增强职工群众的获得感、幸福感、安全感，结合工作实际，制定以下措施。",
    ]
    measure_lines = []
    for i, (t, body) in enumerate(sc.measures(n), 1):
        measure_lines.append(len(lines))
        lines.append(f"第{cn_numeral(i)}条 {t}。{body}")
    return Written(lines, n, n, measure_lines=measure_lines)


def _public_account_post(sc: Scene) -> Written:
    rng = sc.rng
    n = rng.randint(4, 8)
    lines = [
        "点击蓝字关注我们",
        f"{rng.choice(_POST_HOOKS)}｜{sc.short}总工会推出{n}项举措 {rng.choice(_TOPICS)}{rng.choice(_POST_EMOJI)}",
        f"{sc.issuer}　{sc.year}年{sc.month:02d}月{sc.day:02d}日 {rng.randint(8, 22)}:{rng.randint(10, 59)}　{sc.short}",
        "\n".join(rng.sample(_POST_LEADS, 3)),
        "━━━━━━━━━━",
    ]
    heading = rng.choice(("【{t}】", "【{t}】", "{e} {t}", "{e}{t}", "**{t}**"))
    emoji = rng.choice(_POST_HEADING_EMOJI)
    measure_lines = []
    for t, body in sc.measures(n):
        lines.append(heading.format(t=t, e=emoji))
        measure_lines.append(len(lines))
        if rng.random() < 0.5:
            lines.append("\n".join("👉" + s.rstrip("。；") for s in _sentences(body)))
        else:
            lines.append(body)
    lines += ["━━━━━━━━━━", f"来源：{sc.issuer}", f"编辑：{rng.choice(_EDITORS)}　审核：{rng.choice(_EDITORS)}"]
    lines += rng.sample(_POST_FURNITURE, 2)
    return Written(lines, n, n, noise=["post_furniture"], measure_lines=measure_lines)


def _answer_list(sc: Scene, k: int) -> str:
    rng = sc.rng
    items = [f"第{cn_numeral(i)}，{t}。{body}" for i, (t, body) in enumerate(sc.measures(k), 1)]
    lead = rng.choice(
        (f"主要做好{cn_numeral(k)}件事。", "重点抓好以下几项工作。", f"我们将从{cn_numeral(k)}个方面发力。")
    )
    sep = "" if rng.random() < 0.5 else "\n\n"
    return f"答：{sc.short}工会{lead}" + sep.join(items)


def _interview(sc: Scene) -> Written:
    rng = sc.rng
    ask = rng.choice(("记者：", "记者：", "问："))
    k1 = rng.randint(3, 6)
    k2 = rng.randint(2, 4) if rng.random() < 0.5 else 0
    lines = [
        rng.choice(_SLOGANS),
        f"——访{sc.issuer}{rng.choice(('相关负责人', '主要负责同志'))}",
        _source_line(sc),
        f"新年伊始，{sc.short}工会将为职工办哪些实事？围绕职工关心的热点问题，记者专访了{sc.issuer}相关负责人。",
        f"{ask}回顾{sc.year - 1}年，{sc.short}工会在服务职工方面有哪些收获？",
        "答：" + sc.paragraph(),
        f"{ask}今年有哪些重点安排？",
    ]
    measure_lines = [len(lines)]
    lines.append(_answer_list(sc, k1))
    if k2:
        lines.append(f"{ask}户外劳动者和新就业形态劳动者的权益如何保障？")
        measure_lines.append(len(lines))
        lines.append(_answer_list(sc, k2))
    lines += [
        f"{ask}对全市职工有什么寄语？",
        "答：工会是职工之家，我们将始终把职工群众放在心上，多办顺民意、暖人心的实事。",
    ]
    return Written(lines, k1 + k2, None, measure_lines=measure_lines)


def _table(sc: Scene) -> Written:
    rng = sc.rng
    n = rng.randint(6, 12)
    document = f"{sc.short}工会{rng.choice(_TOPICS)}{cn_numeral(n)}项行动方案"
    sep = rng.choice(("  ", "\t", "  ", " | "))
    lines = [document, "一、指导思想"]
    lines.append("坚持以职工为中心的工作导向，立足工会职能和职工优势，推动工会工作在服务大局中展现新作为。")
    lines += ["二、总体目标", sc.paragraph() + f"为此，{sc.issuer}决定实施以下{cn_numeral(n)}项行动。"]
    edge = "| " if sep == " | " else ""  # a Markdown table, as converted documents have
    header = edge + sep.join(("序号", "工作任务", "目标", "责任部门")) + edge[::-1]
    lines += ["三、任务分工", header + ("\n|---|---|---|---|" if edge else "")]
    rows, measure_lines = [], []
    for i, (t, body) in enumerate(sc.measures(n), 1):
        depts = "、".join(rng.sample(_DEPARTMENTS, rng.choice((1, 1, 2))))
        rows.append(edge + sep.join((str(i), t, body.rstrip("。"), depts)) + edge[::-1])
    measure_lines.append(len(lines))
    lines.append("\n".join(rows))
    lines += ["四、工作要求", "各级工会要对照任务分工细化工作措施，明确时间节点，确保各项行动按期完成。"]
    return Written(lines, n, n, noise=["table"], measure_lines=measure_lines)


def _notice_attachment(sc: Scene) -> Written:
    rng = sc.rng
    n = rng.randint(4, 8)
    counted = rng.random() < 0.3
    document = f"{sc.short}工会{rng.choice(_TOPICS)}" + (f"{cn_numeral(n)}项行动方案" if counted else "行动方案")
    lines = _wrapper(sc, document, _identifier(sc), attachment=True)
    lines += [document, sc.paragraph() + "具体安排如下。"]
    measure_lines = []
    detail = rng.choice(("（{c}）", "（{c}）", "{j}."))
    for i, (t, body) in enumerate(sc.measures(n), 1):
        lines.append(f"{cn_numeral(i)}、{t}")
        parts = _sentences(body)
        k = rng.randint(min(2, len(parts)), min(3, len(parts)))
        cuts = sorted(rng.sample(range(1, len(parts)), k - 1)) if k > 1 else []
        chunks = ["".join(parts[a:b]) for a, b in zip([0, *cuts], [*cuts, len(parts)], strict=True)]
        for j, chunk in enumerate(chunks, 1):
            measure_lines.append(len(lines))
            lines.append(detail.format(c=cn_numeral(j), j=j) + chunk)
    noise = []
    if rng.random() < 0.4:
        noise.append("closing_section")
        lines += [f"{cn_numeral(n + 1)}、工作要求", "各单位要高度重视，加强协调配合，及时报送工作进展和经验做法。"]
    return Written(lines, n, n if counted else None, noise=noise, measure_lines=measure_lines)


def _plan_safeguards(sc: Scene) -> Written:
    rng = sc.rng
    n = rng.randint(6, 12)
    n_sections = rng.randint(2, 3)
    cuts = sorted(rng.sample(range(2, n - 1), n_sections - 1))
    bounds = [0, *cuts, n]
    while any(b - a < 2 for a, b in itertools.pairwise(bounds)):
        cuts = sorted(rng.sample(range(2, n - 1), n_sections - 1))
        bounds = [0, *cuts, n]
    lines = [f"{sc.short}工会{rng.choice(_TOPICS)}三年行动方案", f"（{sc.year}—{sc.year + 2}年）"]
    lines.append(f"为团结动员全{sc.short}广大职工建功新时代，结合{sc.short}工会工作实际，制定本方案。")
    lines += [
        "一、总体目标",
        f"坚持以职工为中心，集中实施{cn_numeral(n)}大行动。到{sc.year + 2}年底，{sc.short}工会服务职工的能力明显"
        "提升，职工获得感、幸福感、安全感不断增强。",
    ]
    drawn = sc.measures(n)
    measure_lines = []
    for j in range(n_sections):
        lines.append(f"{cn_numeral(j + 2)}、{sc.headings()}")
        for i in range(bounds[j], bounds[j + 1]):
            t, body = drawn[i]
            measure_lines.append(len(lines))
            lines.append(f"（{cn_numeral(i - bounds[j] + 1)}）{t}。{body}")
    lines.append(f"{cn_numeral(n_sections + 2)}、{rng.choice(_SAFEGUARD_HEADINGS)}")
    for i, (t, body) in enumerate(rng.sample(_SAFEGUARDS, rng.randint(2, 4)), 1):
        lines.append(f"（{cn_numeral(i)}）{t}。{body}")
    return Written(lines, n, n, noise=["safeguards_section"], measure_lines=measure_lines)


def _work_report(sc: Scene) -> Written:
    rng = sc.rng
    lines = [
        f"{sc.issuer}{sc.year}年工作总结",
        f"{sc.year}年，{sc.issuer}紧扣全{sc.short}发展大局，团结动员广大职工建功立业，较好完成了全年各项目标任务。"
        "现将主要工作情况报告如下。",
    ]
    for j in range(rng.randint(3, 6)):
        lines.append(f"### {cn_numeral(j + 1)}、{sc.headings()}")
        lines += [sc.paragraph() for _ in range(rng.randint(1, 3))]
    lines.append(f"{sc.year + 1}年，{sc.short}工会将继续坚持以职工为中心，推动工会工作再上新台阶。")
    return Written(lines, 0, None)


def add_pinyin(text: str, rng: random.Random, rate: float = 0.35) -> str:
    """Pinyin in parentheses after some characters, as mirror sites insert it: 總(zǒng)工會(huì)."""
    return "".join(f"{c}({_PINYIN[c]})" if c in _PINYIN and rng.random() < rate else c for c in text)


def _with_spam(line: str, rng: random.Random) -> str:
    """A spam fragment after a comma inside the line's second sentence or later (never in its title)."""
    first = line.find("。")
    spots = [m.end() for m in re.finditer("，", line) if m.start() > first > 0]
    if not spots:
        return line
    i = rng.choice(spots)
    return line[:i] + rng.choice(_SPAM) + line[i:]


def _mirror(sc: Scene) -> Written:
    rng = sc.rng
    base_name = rng.choice(("news-paragraphs", "news-quoted-list"))
    base = _WRITERS[base_name](sc)
    lines = list(base.lines)
    noise = ["mirror_furniture"]
    if rng.random() < 0.7:
        noise.append("spam")
        for i in rng.sample(base.measure_lines, min(len(base.measure_lines), rng.randint(1, 3))):
            lines[i] = _with_spam(lines[i], rng)
    date = f"{sc.year}-{sc.month:02d}-{sc.day:02d} {rng.randint(8, 20):02d}:{rng.randint(10, 59)}"
    lines[1] = f"发布时间：{date}　来源：{sc.province_short}工人日报　【字号：大 中 小】"
    head = [f"{sc.short}在线 | 工会频道 | 手机版 | 网站导航", "首页 > 新闻 > 工会动态"]
    lines = [*head, lines[0], lines[1], "(资料图片仅供参考)", *lines[2:]]
    lines += [
        "分享到：微信 微博 QQ空间 更多",
        f"责任编辑：{rng.choice(_EDITORS)}",
        "【打印本页】【关闭窗口】",
        f"上一篇：{sc.short}召开基层工会工作推进会",
        "下一篇：职工书屋建设推进会召开",
    ]
    if rng.random() < 0.6:
        noise.append("pinyin")  # with traditional characters: bench.generate converts the text, then adds pinyin
    shift = len(head) + 1
    moved = [i + (shift if i >= 2 else len(head)) for i in base.measure_lines]
    return Written(lines, base.measures, base.announced, noise=noise, base=base_name, measure_lines=moved)


_WRITERS: dict[str, Callable[[Scene], Written]] = {
    "news-paragraphs": _news_paragraphs,
    "news-quoted-list": _news_quoted_list,
    "shishi-list": _shishi_list,
    "notice-articles": _notice_articles,
    "public-account-post": _public_account_post,
    "interview": _interview,
    "table": _table,
    "notice-attachment": _notice_attachment,
    "plan-safeguards": _plan_safeguards,
    "work-report": _work_report,
    "mirror": _mirror,
}


def write_genre(genre: str, scene: Scene) -> Written:
    """One document of `genre` (any of GENRES but plan and report, which bench.generate writes itself)."""
    return _WRITERS[genre](scene)
