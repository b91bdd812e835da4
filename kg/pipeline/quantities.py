"""Quantities: numbers with a unit (counts, money, percentages) found in normalised text.

:func:`extract_quantities` runs on :attr:`kg.ingest.source.NormalizedText.text` and returns spans whose
offsets point into that string; the caller maps them back with ``NormalizedText.to_original``.
Every rule is driven by the module-level tables below (units, qualifiers, periods, cues,
exclusions), so extending the extractor means extending a table, not adding a special case.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "CURRENCIES",
    "PREFIX_QUALIFIERS",
    "SUFFIX_QUALIFIERS",
    "UNITS",
    "QuantitySpan",
    "extract_quantities",
    "parse_number",
]


@dataclass(frozen=True)
class QuantitySpan:
    """One quantity: ``text[start:end]`` covers the qualifier words, the number and the unit."""

    start: int
    end: int
    value: Decimal
    unit: str
    unit_text: str
    currency: str | None
    value_max: Decimal | None = None
    qualifier: str | None = None
    qualifier_word: str | None = None
    period: str | None = None
    role: str = "target"
    per: str | None = None
    counts: str | None = None


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

#: Chinese digits (simplified, traditional and financial forms).
CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "貳": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "叁": 3,
    "參": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
#: Chinese place units below ten thousand.
CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
#: Chinese section units (万, 亿) that close a group of four digits.
CN_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

#: Measure words / units, each with a negative lookahead of characters that would turn it into
#: another word (场 + 所 = 场所 is not a unit). Matched longest first.
UNITS: dict[str, str] = {
    "场次": "",
    "场": "所地景馆合景",
    "人次": "",
    "人天": "",
    "人日": "",
    "名": "单义称字额录牌次",
    "人": "民才员工口士类们",
    "个月": "",
    "个百分点": "",
    "个": "体性税别案例",
    "家": "庭乡长属园具人电",
    "所": "以有属在得谓",
    "项": "目",
    "户": "外口籍型",
    "件": "",
    "元": "素旦首",
    "美元": "",
    "%": "",
    "期": "间待望盼限刊",
    "条": "件例款",
    "批": "准评复示次",
    "次": "要序",
    "班": "组子长级车",
    "支": "持付出撑援部",
    "处": "理置罚分长级室",
    "座": "谈",
    "套": "餐",
    "本": "职领地市级着土科",
    "篇": "",
    "小时": "",
    "分钟": "",
    "天": "然津下地气",
    "公里": "",
    "平方米": "",
    "亩": "",
    "职工": "",
    "位": "置于列",
    "台": "",
    "辆": "",
    "间": "",
    "册": "",
    "份": "额",
    "吨": "",
    "千米": "",
    "米": "",
    "周": "年边",
}
#: Money units: unit -> ISO currency. Money is reported with the multiplier folded into the value.
CURRENCIES = {"元": "CNY", "美元": "USD"}
#: Units that count people (used by the group-threshold exclusion).
PERSON_UNITS = frozenset({"人", "名", "职工", "人次"})
#: Units whose Chinese-numeral counts are designators (三批, 七批) rather than amounts.
DESIGNATOR_UNITS = frozenset({"批", "期"})

#: Qualifier words written before the number.
PREFIX_QUALIFIERS = {
    "不少于": "min",
    "不低于": "min",
    "不小于": "min",
    "多于": "min",
    "高于": "min",
    "大于": "min",
    "超过": "min",
    "至少": "min",
    "逾": "min",
    "超": "min",
    "不超过": "max",
    "不多于": "max",
    "不高于": "max",
    "最多": "max",
    "少于": "max",
    "低于": "max",
    "约": "approx",
    "近": "approx",
    "大约": "approx",
    "将近": "approx",
    "接近": "approx",
}
#: Qualifier words written after the number (or its unit).
SUFFIX_QUALIFIERS = {
    "及以上": "min",
    "以上": "min",
    "以内": "max",
    "及以下": "max",
    "以下": "max",
    "之内": "max",
    "左右": "approx",
    "上下": "approx",
    "余": "approx",
    "多": "approx",
    "许": "approx",
}
#: Characters right before a number that make it an ordinal or a session number (第七批, 十二届二次).
ORDINAL_MARKERS = ("第", "届")
#: Characters right before a number that make it indefinite (数十家, 几百人).
VAGUE_MARKERS = ("数", "几", "若")
#: Labels of web-page counters; a number right after one is page furniture, not content.
META_LABELS = ("浏览", "阅读", "点击", "访问", "评论", "点赞", "分享", "收藏", "转发")
#: Range separators between two numbers.
RANGE_SEPARATORS = ("至", "到", "—", "-", "~", "～", "〜", "－")

#: Period expressions (searched in the sentence before the number; the nearest one wins).
PERIOD_PATTERNS = (
    r"\d{4}\s*年?\s*[—\-~至到]\s*\d{4}\s*年",
    r"(?:到|至|截至|截止到?)\s*\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:底|末)?",
    r"\d{4}\s*年(?:底|末)?(?:以)?前",
    r"\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:以来)?",
    r"(?:第?[一二三四1-4]|上|下)\s*季度",
    r"(?:\d+|[一二三四五六七八九十两]+)\s*年(?:内|间|来)",
    r"过去[一二三四五六七八九十\d]+年",
    r"上半年|下半年|全年|年均|每年|每季度|每月|每周|每天|日均|月均|今年|明年|当年|年内|年底前|年底|近年来",
)
#: Sentence cues for the role of a quantity; the cue nearest before the number wins.
TARGET_CUES = (
    r"力争",
    r"计划",
    r"确保",
    r"争取",
    r"目标",
    r"预计",
    r"拟",
    r"将",
    r"新建",
    r"每年开展",
    r"到\s*\d{4}\s*年",
    r"\d{4}\s*年(?:底)?前",
    r"年内",
)
STATISTIC_CUES = (
    r"累计",
    r"已建",
    r"已经",
    r"已有",
    r"已",
    r"截至目前",
    r"截至",
    r"截止",
    r"过去[一二三四五六七八九十\d]*年",
    r"[一二三四五六七八九十\d]+年来",
    r"以来",
    r"共有",
    r"共计",
)
#: Statistic cues that also occur in plans ("力争达到"): used only when no other cue is present.
WEAK_STATISTIC_CUES = (r"达到", r"达")
#: Nouns that, after a 条/项/件 count, mark a count of the document's own items.
DOC_ITEM_NOUNS = ("措施", "举措", "实事", "意见", "规定", "条款", "硬招", "实招", "政策措施")
#: Nouns that, after "N人以上", make the phrase a threshold defining a group.
GROUP_NOUNS = ("企业", "单位", "公司", "机构", "组织", "工地", "项目")
#: Words that cut the noun phrase counted by a quantity.
COUNTS_STOP = (
    "参加",
    "参与",
    "实现",
    "开展",
    "提升",
    "返还",
    "进行",
    "获得",
    "达到",
    "完成",
    "加入",
    "入会",
    "提供",
    "给予",
    "得到",
    "受益",
    "接受",
    "用于",
    "到",
    "在",
    "的",
    "等",
    "和",
    "及",
    "与",
    "为",
    "中",
    "其中",
    "共",
    "均",
    "资助",
    "亮相",
    "实施",
    "每",
    "规模",
    "以上",
)
COUNTS_VERBS = (
    "新建",
    "新发展",
    "发展",
    "评选",
    "命名",
    "打造",
    "建设",
    "组建",
    "选树",
    "推树",
    "开展",
    "组织",
    "支持",
    "创建",
    "培育",
    "发放",
    "安排",
    "提供",
    "服务",
    "覆盖",
    "关爱",
    "惠及",
    "带动",
    "举办",
    "建立",
    "完成",
    "帮助",
    "资助",
    "慰问",
    "筹集",
    "投入",
    "返还",
    "办理",
    "选派",
    "认定",
    "授予",
    "拓展升级",
    "拓展",
    "升级",
    "建成",
    "培训",
    "参与",
    "参加",
    "引领",
    "推动",
    "实施",
    "召开",
    "已建",
    "新增",
    "增加",
    "落实",
    "解决",
    "销售",
    "助力",
    "节约",
    "达",
    "有",
    "为",
    "对",
    "向",
    "给",
)

# ---------------------------------------------------------------------------------------------
# Compiled patterns
# ---------------------------------------------------------------------------------------------

_CN_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)
_AR = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_NUMBER_RE = re.compile(rf"(?<![A-Za-z0-9.×*+])(?<!\d,){_AR}|(?<![{_CN_CHARS}]|[A-Za-z])[{_CN_CHARS}]+")
_CN_FULL = re.compile(rf"[{_CN_CHARS}]+")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _unit_alt() -> str:
    parts = []
    for unit in sorted(UNITS, key=len, reverse=True):
        guard = UNITS[unit]
        parts.append(re.escape(unit) + (f"(?![{re.escape(guard)}])" if guard else ""))
    return "|".join(parts)


_SUFFIX_RE = re.compile(rf"\s*(?:{_alt(SUFFIX_QUALIFIERS)})")
_INNER_ALT = _alt(("余", "多", "以上", "以下", "左右", "许"))
_TAIL_RE = re.compile(
    rf"(?P<mid>\s*(?:余|多))?"
    rf"(?P<mult>\s*[百千万亿]{{1,2}})?"
    rf"(?P<inner>\s*(?:{_INNER_ALT}))?"
    rf"\s*(?P<unit>{_unit_alt()})"
    rf"(?P<per>\s*/\s*(?P<perw>[人户名家个次年月天日季]))?"
    rf"(?P<suffix>\s*(?:{_alt(k for k in SUFFIX_QUALIFIERS if k not in ('余', '多', '许'))}))?"
)
_META_LABEL_RE = re.compile(rf"(?:{_alt(META_LABELS)})(?:次数|量|数|人数)?\s*[：:]\s*$")
_MULT_RE = re.compile(r"\s*[百千万亿]{1,2}")
_RANGE_RE = re.compile(rf"\s*(?:{_alt(RANGE_SEPARATORS)})\s*")
_PREFIX_RE = re.compile(rf"(?:{_alt(PREFIX_QUALIFIERS)})\s*$")
_PERCENT_WORD_RE = re.compile(rf"百分之(?P<num>{_AR}|[{_CN_CHARS}]+)")
_PERIOD_RE = re.compile("|".join(f"(?:{p})" for p in PERIOD_PATTERNS))
_LOCAL_PERIOD_RE = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:以来)?")
_TARGET_RE = re.compile("|".join(f"(?:{p})" for p in TARGET_CUES))
_STAT_RE = re.compile("|".join(f"(?:{p})" for p in STATISTIC_CUES))
_WEAK_STAT_RE = re.compile("|".join(f"(?:{p})" for p in WEAK_STATISTIC_CUES))
_SENTENCE_END_RE = re.compile(r"[。！？!?；;\n]")
_CLAUSE_END_RE = re.compile(r"[。！？!?；;\n，,：:]")
_PER_RE = re.compile(r"每\s*(?P<w>[人名户家所个位项])(?P<noun>[\u4e00-\u9fff]{0,8})|(?P<avg>[人户])均")
_DOC_ITEM_RE = re.compile(rf"[\u4e00-\u9fff]{{0,4}}?(?:{_alt(DOC_ITEM_NOUNS)})")
_GROUP_RE = re.compile(
    rf"(?:[\d{_CN_CHARS}]+\s*[人名]\s*(?:以上|以下))?的?[\u4e00-\u9fff]{{0,4}}?(?:{_alt(GROUP_NOUNS)})"
)
_RING_RE = re.compile(r"[\u4e00-\u9fff]{0,4}?圈")
_SHORT_QUOTE_RE = re.compile(r"[“\"'‘「][^”\"'’」]{1,3}[”\"'’」]")
_QUOTE_PAIRS = {"“": "”", "《": "》", "「": "」", "『": "』", "〈": "〉", "‘": "’"}
_MAX_QUOTE = 40
_MAX_TITLE = 100
_COUNTS_STOP_RE = re.compile(_alt(COUNTS_STOP))
#: Words that end the noun of a rate ("每所工匠学院培训…" -> 工匠学院).
PER_CUT_WORDS = ("每", "年", "月", "季", "不", "培训", "补助", "补贴", "奖励", "发放")
_PER_CUT_RE = re.compile(_alt(set(COUNTS_STOP) | set(COUNTS_VERBS) | set(PREFIX_QUALIFIERS) | set(PER_CUT_WORDS)))
_COUNTS_VERB_RE = re.compile(_alt(COUNTS_VERBS))
_COUNTS_AFTER_RE = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,24}")
_COUNTS_QUOTE_RE = re.compile(r"“([^”\n]{2,24})”")
_MAX_COUNTS = 24
_COUNTS_TRAIL_RE = re.compile(
    r"(?:动态)?(?:保持在|保持|提高到|提升到|达到|达|为|是|占|共|等|的|年均|日均|每年|全年|累计)+$"
)
_COUNTS_VERB_END_RE = re.compile(rf"(?:{_alt(COUNTS_VERBS)})$")
_COUNTS_SCOPE_RE = re.compile(
    r"^(?:(?:全省|全市|全区|全国|全县|各级|每年|全年|每人|每户|其中|累计|一季度|今年|市级以上|省级以上)\s*)+"
)


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------


def _clean_decimal(value: Decimal) -> Decimal:
    integral = value.to_integral_value()
    if value == integral:
        return integral  # 11900.00 -> 11900
    return value.normalize()


def parse_number(text: str) -> Decimal:
    """Parse Arabic, Chinese or mixed numerals ("1.5亿", "两千", "一万二千", "1,000") to a Decimal.

    Full-width digits and spaces are accepted; raises ValueError on anything that is not a number.
    """
    if not isinstance(text, str):
        raise ValueError(f"not a number: {text!r}")
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", s)
    if not s:
        raise ValueError("not a number: empty string")
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return _clean_decimal(Decimal(s))
    if len(s) > 1 and all(ch in CN_DIGITS for ch in s):  # 二〇二三: digit by digit
        return Decimal("".join(str(CN_DIGITS[ch]) for ch in s))
    tokens = re.findall(r"\d+(?:\.\d+)?|.", s)
    total = Decimal(0)  # completed 万/亿 sections
    section = Decimal(0)  # value below the current 万
    number: Decimal | None = None  # digit waiting for its place unit
    last_unit = 0
    has_value = False
    for tok in tokens:
        if tok[0].isdigit():
            if number is not None:
                raise ValueError(f"not a number: {text!r}")
            number, has_value = Decimal(tok), True
        elif tok in CN_DIGITS:
            digit = CN_DIGITS[tok]
            if number is not None and digit != 0:
                raise ValueError(f"not a number: {text!r}")
            number, has_value = (Decimal(digit) if digit else None), True
        elif tok in CN_SMALL_UNITS:
            last_unit = CN_SMALL_UNITS[tok]
            section += (number if number is not None else Decimal(1)) * last_unit
            number, has_value = None, True
        elif tok in CN_BIG_UNITS:
            last_unit = CN_BIG_UNITS[tok]
            group = section + (number or 0)
            if group == 0 and total == 0:
                group = Decimal(1)  # a bare 万 or 亿
            if last_unit == 10**8:
                total = (total + group) * last_unit
            else:
                total += group * last_unit
            section, number, has_value = Decimal(0), None, True
        else:
            raise ValueError(f"not a number: {text!r}")
    if not has_value:
        raise ValueError(f"not a number: {text!r}")
    if number is not None:
        if last_unit >= 100 and _abbrev_tail(tokens):
            number *= Decimal(last_unit) / 10  # 一万二 = 12000, 三千五 = 3500
        section += number
    return _clean_decimal(total + section)


def _abbrev_tail(tokens: list[str]) -> bool:
    """True when the last token is a single Chinese digit right after a place unit (一万二)."""
    return len(tokens) >= 2 and tokens[-1] in CN_DIGITS and (tokens[-2] in CN_SMALL_UNITS or tokens[-2] in CN_BIG_UNITS)


# ---------------------------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------------------------


def _quoted_mask(text: str) -> list[bool]:
    """Characters inside “…”, 《…》 and similar pairs (names, titles); unclosed marks are ignored."""
    mask = [False] * len(text)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        close = _QUOTE_PAIRS.get(ch, '"' if ch == '"' else None)
        if close is not None:
            limit = _MAX_TITLE if ch == "《" else _MAX_QUOTE
            j = text.find(close, i + 1, min(n, i + 1 + limit))
            if j != -1 and "\n" not in text[i:j]:
                mask[i + 1 : j] = [True] * (j - i - 1)
                i = j + 1  # a title's nested “…” is covered by the title
                continue
        i += 1
    return mask


def _prev_char(text: str, pos: int) -> str:
    k = pos - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return text[k] if k >= 0 else ""


def _bare_cn_rejected(num: str, *, qualified: bool = False) -> bool:
    """Chinese numerals that do not count on their own: 一 (一批, 一次) and bare 千/万/百万.

    A bare multiplier does count after a qualifier word (逾千人, 近万名).
    """
    if num in ("一", "壹"):
        return True
    if len(num) > 1 and all(ch in CN_DIGITS for ch in num):
        return True  # 唯一一家, 两三个, 三四家: not a written number
    if len(num) == 1 and (num in CN_SMALL_UNITS or num in CN_BIG_UNITS):
        return not qualified and num not in ("十", "百")  # 千家万户; but 百场, 十场 count
    return False


def _is_cn(num: str) -> bool:
    return bool(_CN_FULL.fullmatch(num))


def _qualifier(words: list[str]) -> tuple[str | None, str | None]:
    kinds = []
    for w in words:
        kinds.append(PREFIX_QUALIFIERS.get(w) or SUFFIX_QUALIFIERS.get(w))
    pairs = [(k, w) for k, w in zip(kinds, words, strict=False) if k]
    if not pairs:
        return None, None
    kind = pairs[0][0]
    same = [w for k, w in pairs if k == kind]
    return kind, "…".join(same)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    s = start
    while s > 0 and not _SENTENCE_END_RE.match(text[s - 1]):
        s -= 1
    m = _SENTENCE_END_RE.search(text, end)
    return s, (m.start() if m else len(text))


def _clause_start(text: str, start: int) -> int:
    s = start
    while s > 0 and not _CLAUSE_END_RE.match(text[s - 1]):
        s -= 1
    return s


def _period(text: str, sent_start: int, clause_start: int, start: int) -> str | None:
    """Nearest period before the number: in its clause, else a scope-setting one in its sentence.

    A bare year ("自2019年…以来") only scopes the sentence when it opens a clause.
    """
    found = None
    for m in _PERIOD_RE.finditer(text, sent_start, start):
        if (
            m.start() >= clause_start
            or not _LOCAL_PERIOD_RE.fullmatch(m.group())
            or _CLAUSE_END_RE.match(text[m.start() - 1 : m.start()] or "\n")
            or m.start() == sent_start
        ):
            found = m
    if found is None:
        return None
    return re.sub(r"\s+", "", found.group())


def _role(prefix: str, default: str) -> str:
    """Role from the cue nearest to the number; weak statistic cues (达到) only without a target cue."""
    best: tuple[int, str] | None = None
    for regex, role in ((_TARGET_RE, "target"), (_STAT_RE, "statistic")):
        for m in regex.finditer(prefix):
            if best is None or m.end() > best[0]:
                best = (m.end(), role)
    if best is not None:
        return best[1]
    if _WEAK_STAT_RE.search(prefix):
        return "statistic"
    return default


def _per(text: str, clause_start: int, start: int) -> str | None:
    """Rate denominator stated before the number: 每人 -> 人, 每所工匠学院 -> 工匠学院, 人均 -> 人."""
    found = None
    for m in _PER_RE.finditer(text, clause_start, start):
        found = m
    if found is None:
        return None
    noun = found.group("noun")
    if noun:
        cut = _PER_CUT_RE.search(noun)
        noun = noun[: cut.start()] if cut else noun
        if len(noun) >= 2:
            return noun
    return found.group("w") or found.group("avg")


def _counts(text: str, clause_start: int, start: int, end: int) -> str | None:
    """The noun phrase a quantity counts: right after the unit, else right before the number."""
    quote = _COUNTS_QUOTE_RE.match(text, end)
    if quote:
        return quote.group(1)
    after = _COUNTS_AFTER_RE.match(text, end)
    if after:
        phrase = after.group()
        if phrase.startswith("的"):
            phrase = phrase[1:]
        if not phrase.startswith(COUNTS_STOP):
            stop = _COUNTS_STOP_RE.search(phrase)
            phrase = phrase[: stop.start()] if stop is not None else phrase
            if 2 <= len(phrase) <= _MAX_COUNTS:
                return phrase
    before = _PER_RE.sub("", text[clause_start:start]).strip()  # 每人 / 人均 is the rate, not the thing
    if re.search(r"\d", before):  # a list of quantities: keep the item after the last 、
        before = re.split(r"[、和及与]", before)[-1]
    cut = None
    for m in _COUNTS_VERB_RE.finditer(before):
        if len(before) - m.end() >= 2:
            cut = m
    if cut is not None:
        before = before[cut.end() :]
    before = before.replace("”“", "、").replace("“", "").replace("”", "")
    before = _COUNTS_SCOPE_RE.sub("", before)
    before = _COUNTS_TRAIL_RE.sub("", before).strip()
    if before.startswith("的"):
        before = before[1:]
    if cut is None and _COUNTS_VERB_END_RE.search(before):
        return None  # "四川省总工会筹集": the actor, not the thing counted
    if 2 <= len(before) <= _MAX_COUNTS and re.fullmatch(r"[\u4e00-\u9fff、A-Za-z]+", before):
        return before
    return None


def _read_quantity(
    text: str, m: re.Match, quoted: list[bool], *, doc_kind: str, default_period: str | None
) -> QuantitySpan | None:
    num_start, pos = m.start(), m.end()
    num = m.group()
    cn = _is_cn(num)
    if quoted[num_start]:
        return None  # numerals inside “…” or 《…》 belong to names and titles
    prev = _prev_char(text, num_start)
    if prev in ORDINAL_MARKERS:
        return None  # 第七批, 十二届二次全会
    if prev in VAGUE_MARKERS:
        return None  # 数十家, 几百人: no definite value
    if _META_LABEL_RE.search(text, max(0, num_start - 8), num_start):
        return None  # web page furniture: 浏览次数：1234次
    # --- number, optional range, unit ---------------------------------------------------------
    upper_text = None
    lower_mult = ""
    tail = None
    lm = _MULT_RE.match(text, pos) if not cn else None
    rng = _RANGE_RE.match(text, lm.end() if lm else pos)
    if rng:
        m2 = _NUMBER_RE.match(text, rng.end())
        if m2 and _is_cn(m2.group()) == cn:
            tail = _TAIL_RE.match(text, m2.end())
            if tail:
                upper_text, lower_mult = m2.group(), (lm.group().strip() if lm else "")
    if tail is None:
        tail = _TAIL_RE.match(text, pos)
    if tail is None:
        return None
    unit = tail.group("unit")
    mult = (tail.group("mult") or "").strip()
    pm = _PREFIX_RE.search(text, max(0, num_start - 6), num_start)
    if cn and upper_text is None and _bare_cn_rejected(num, qualified=pm is not None):
        return None  # 一批, 一次, 千家万户
    if cn and unit in DESIGNATOR_UNITS:
        return None  # 三批试点, 七批: designators, not amounts
    try:
        if upper_text is None:
            lower, upper = parse_number(num + mult), None
        else:
            upper = parse_number(upper_text + mult)
            lower = parse_number(num + lower_mult)
            written = re.search(r"[百千万亿]+$", upper_text + mult)
            if not lower_mult and written and not re.search(r"[百千万亿]$", num):
                scaled = parse_number(num + written.group())  # 5至10万人: 万 applies to both
                if scaled <= upper:
                    lower = scaled
            if lower > upper:
                return None
    except ValueError:
        return None
    end = tail.end()
    after = text[end : end + 12]
    # --- exclusions -------------------------------------------------------------------------
    if unit in ("条", "项", "件") and _DOC_ITEM_RE.match(after):
        return None  # counts of the document's own measures: 12条措施, 30件民生实事
    if unit == "个" and after.startswith("年") and not after.startswith(("年度", "年头")):
        return None  # "三个年" is a campaign name, durations are written 三年
    if _SHORT_QUOTE_RE.match(after):
        return None  # 4个“高”要求: a slogan, not an amount
    suffix_words = [w.strip() for w in (tail.group("inner"), tail.group("suffix")) if w and w.strip()]
    if (
        unit in PERSON_UNITS
        and any(w in ("以上", "以下", "及以上", "及以下") for w in suffix_words)
        and _GROUP_RE.match(after)
    ):
        return None  # 25人以上非公企业: a threshold defining a group
    if _RING_RE.match(after):
        return None  # 15分钟服务圈
    # --- qualifiers -------------------------------------------------------------------------
    start = num_start
    words: list[str] = []
    if pm is not None:
        start = pm.start()
        words.append(pm.group().strip())
    if tail.group("mid"):
        words.append(tail.group("mid").strip())
    words.extend(suffix_words)
    qualifier, qualifier_word = _qualifier(words)
    # --- value, unit ------------------------------------------------------------------------
    currency = CURRENCIES.get(unit)
    if currency is not None:
        written_mult = mult or (re.search(r"[万亿]+$", num).group() if re.search(r"[万亿]+$", num) else "")
        unit_text = written_mult + unit
        out_unit = unit
    else:
        unit_text, out_unit = unit, unit
    # --- context ----------------------------------------------------------------------------
    sent_start, _ = _sentence_bounds(text, start, end)
    clause_start = _clause_start(text, start)
    period = _period(text, sent_start, clause_start, start) or default_period
    default_role = "statistic" if doc_kind == "report" else "target"
    role = _role(text[sent_start:start], default_role)
    per = tail.group("perw")
    if per and per in "年月天日季":
        period, per = period or f"每{per}", None
    elif per is None:
        per = _per(text, clause_start, start)
    counts = _counts(text, clause_start, start, end)
    return QuantitySpan(
        start=start,
        end=end,
        value=lower,
        unit=out_unit,
        unit_text=unit_text,
        currency=currency,
        value_max=upper,
        qualifier=qualifier,
        qualifier_word=qualifier_word,
        period=period,
        role=role,
        per=per,
        counts=counts,
    )


def _percent_words(text: str, quoted: list[bool], *, doc_kind: str, default_period: str | None) -> list[QuantitySpan]:
    out = []
    for m in _PERCENT_WORD_RE.finditer(text):
        if quoted[m.start()]:
            continue
        try:
            value = parse_number(m.group("num"))
        except ValueError:
            continue
        start, end = m.start(), m.end()
        words = []
        pm = _PREFIX_RE.search(text, max(0, start - 6), start)
        if pm is not None:
            start = pm.start()
            words.append(pm.group().strip())
        sm = _SUFFIX_RE.match(text, end)
        if sm is not None and sm.group().strip() not in ("余", "多", "许"):
            end = sm.end()
            words.append(sm.group().strip())
        qualifier, qualifier_word = _qualifier(words)
        sent_start, _ = _sentence_bounds(text, start, end)
        default_role = "statistic" if doc_kind == "report" else "target"
        out.append(
            QuantitySpan(
                start=start,
                end=end,
                value=value,
                unit="%",
                unit_text="百分之",
                currency=None,
                qualifier=qualifier,
                qualifier_word=qualifier_word,
                period=_period(text, sent_start, _clause_start(text, start), start) or default_period,
                role=_role(text[sent_start:start], default_role),
            )
        )
    return out


def extract_quantities(
    text: str, *, doc_kind: str = "measures", default_period: str | None = None
) -> list[QuantitySpan]:
    """All quantities in normalised ``text`` (offsets into it), sorted by start, never overlapping.

    ``doc_kind`` ("measures" | "report") sets the default role (target | statistic);
    ``default_period`` is used when the sentence states no period.
    """
    if doc_kind not in ("measures", "report"):
        raise ValueError(f"doc_kind must be 'measures' or 'report', not {doc_kind!r}")
    quoted = _quoted_mask(text)
    found: list[QuantitySpan] = []
    last_end = 0
    for m in _NUMBER_RE.finditer(text):
        if m.start() < last_end:
            continue
        q = _read_quantity(text, m, quoted, doc_kind=doc_kind, default_period=default_period)
        if q is not None and q.start >= last_end:
            found.append(q)
            last_end = q.end
    found.extend(_percent_words(text, quoted, doc_kind=doc_kind, default_period=default_period))
    found.sort(key=lambda q: (q.start, -(q.end - q.start)))
    out: list[QuantitySpan] = []
    for q in found:
        if out and q.start < out[-1].end:
            continue
        out.append(q)
    return out
