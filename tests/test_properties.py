"""Property-based and fuzz tests (hypothesis): the offset map, the number parser, the measure segmenter
and ingest of arbitrary bytes. Example counts stay modest so `make test` stays a few minutes."""

from __future__ import annotations

import codecs
import itertools
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from kg.errors import IngestError
from kg.ingest.decode import SourceText, decode_bytes
from kg.ingest.source import read_source
from kg.pipeline.quantities import extract_quantities, parse_number
from kg.pipeline.structure import analyse_structure
from kg.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
_CJK_RE = re.compile(r"[\u3400-\u9fff]")

FEW = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- generators

#: sentences of the kind the documents hold: programme names, numbers with units, traditional and
#: full-width forms, dot variants and quotes
CLAUSES = [
    "全省各级工会深入开展安康杯竞赛",
    "開展「安康盃」競賽覆蓋職工１００萬人次",
    "推进“五小”创新活动",
    "发放“金秋助学”资金2000万元",
    "中國夢∙勞動美主题宣传宣讲３００场",
    "建设职工之家50个",
    "服务农民工一万二千人次",
    "实施“求学圆梦”行动，资助困难职工子女2000人",
    "评选大国工匠・劳动模范100名",
    "完成培训不少于1.5万人",
    "帮扶困难职工5000户",
    "開展勞動和技能競賽",
]
SEPARATORS = ["，", "、", "；", ",", "　", " ", "\n", "\n\n", " \n", "。", "！"]


@st.composite
def sentence(draw) -> str:
    parts = draw(st.lists(st.sampled_from(CLAUSES), min_size=1, max_size=4))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps, strict=True))


@st.composite
def broken_sentence(draw) -> tuple[str, str]:
    """A sentence cut by a line break at a random point (as text copied out of a PDF), and the same
    sentence whole."""
    whole = "，".join(draw(st.lists(st.sampled_from(CLAUSES), min_size=3, max_size=4))) + "。"
    # where a line of a copied PDF can end: after a Chinese character or a comma, before a Chinese character,
    # at least 18 characters into a sentence that already has a comma
    cuts = [
        c
        for c in range(18, len(whole) - 1)
        if (_cjk(whole[c - 1]) or whole[c - 1] in "，、") and _cjk(whole[c]) and "，" in whole[:c]
    ]
    assume(cuts)
    cut = draw(st.sampled_from(cuts))
    brk = draw(st.sampled_from(["\n", "\n\n", " \n", "\r\n"]))
    return whole[:cut] + brk + whole[cut:], whole


def _cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


ORDINALS_CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"]
STYLES = {  # numbering style -> how item n (1-based) is written at the start of its line
    "cn_paren": lambda n: f"（{ORDINALS_CN[n - 1]}）",
    "cn_dun": lambda n: f"{ORDINALS_CN[n - 1]}、",
    "cn_shi": lambda n: f"{ORDINALS_CN[n - 1]}是",
    "di_tiao": lambda n: f"第{ORDINALS_CN[n - 1]}条 ",
    "arabic": lambda n: f"{n}.",
    "arabic_paren": lambda n: f"（{n}）",
    "circled": lambda n: chr(0x2460 + n - 1),
    "bold": lambda n: f"**{n}.",
    "heading": lambda n: f"## {ORDINALS_CN[n - 1]}、",
}
TITLES = ["开展安康杯竞赛", "推进五小创新活动", "做好困难职工帮扶", "建设职工之家", "实施求学圆梦行动", "加强劳模宣传"]


@st.composite
def numbered_document(draw) -> tuple[str, str, list[tuple[int, int, str]]]:
    """A notice whose measures are numbered in one random style; returns (text, style, item spans:
    (start of the item's line, end of the item's text, title))."""
    style = draw(st.sampled_from(sorted(STYLES)))
    n = draw(st.integers(min_value=2, max_value=15))
    head = "四川省总工会关于做好职工服务工作的通知\n\n各市（州）总工会：\n为做好职工服务工作，现提出如下措施。\n"
    parts, items, pos = [head], [], len(head)
    for i in range(1, n + 1):
        title = draw(st.sampled_from(TITLES))
        body = draw(sentence()).replace("\n", "").rstrip("，、；, 　") + "。"
        if style == "bold":
            line = f"{STYLES[style](i)} {title}**{body}"
        elif style == "heading":
            line = f"{STYLES[style](i)}{title}\n\n{body}"
        elif style == "cn_shi":
            line = f"{STYLES[style](i)}{title}。{body}"
        else:
            line = f"{STYLES[style](i)}{title}。{body}"
        items.append((pos, pos + len(line), title))
        sep = draw(st.sampled_from(["\n", "\n\n"]))
        parts.append(line + sep)
        pos += len(line) + len(sep)
    return "".join(parts), style, items


# ---------------------------------------------------------------- the offset map


@SOME
@given(st.lists(st.one_of(sentence(), broken_sentence().map(lambda x: x[0])), min_size=1, max_size=6).map("".join))
def test_every_normalised_span_maps_back_to_the_original_characters(original):
    norm = normalize(original)
    assert len(norm.offsets) == len(norm.text)
    assert all(0 <= a < b < len(original) for a, b in zip(norm.offsets, norm.offsets[1:], strict=False))
    kept = set(norm.offsets)
    # only white space and line breaks are ever dropped
    assert all(original[i] in " \t\r\n\u3000" for i in range(len(original)) if i not in kept)
    n = len(norm.text)
    for i, j in ((0, n), (n // 3, 2 * n // 3), (n // 2, n), (0, 1)):
        if i >= j:
            continue
        s, e = norm.to_original(i, j)
        assert 0 <= s < e <= len(original)
        # the original span holds exactly the characters the span folds from, plus dropped breaks
        assert normalize(original[s:e]).text.replace("\n", "").replace(" ", "") == norm.text[i:j].replace(
            "\n", ""
        ).replace(" ", "")
        assert s == norm.offsets[i] and e == norm.offsets[j - 1] + 1


@SOME
@given(broken_sentence())
def test_a_sentence_broken_across_lines_is_whole_and_maps_back_to_the_break(case):
    original, whole = case
    norm = normalize("四川省总工会关于做好职工服务工作的通知\n\n" + original)
    folded = normalize(whole).text
    assert folded in norm.text
    i = norm.text.index(folded)
    s, e = norm.to_original(i, i + len(folded))
    assert ("四川省总工会关于做好职工服务工作的通知\n\n" + original)[s:e] == original


@FEW
@given(st.lists(st.one_of(sentence(), broken_sentence().map(lambda x: x[0])), min_size=2, max_size=8))
def test_the_extract_contract_holds_for_generated_documents(sentences):
    """`source_text[start:end] == text` for every mention and quantity, whatever the input looks like."""
    from kg.pipeline.components import process_source

    body = "".join(f"（{ORDINALS_CN[i]}）{s}\n" for i, s in enumerate(sentences))
    original = f"四川省总工会关于做好职工服务工作的通知\n\n各市（州）总工会：\n{body}"
    rec = process_source(SourceText("gen.txt", original, "utf-8", "text/plain"))
    for item in rec.mentions + rec.quantities:
        assert original[item["start"] : item["end"]] == item["text"], item
    for m in rec.measures:
        assert 0 <= m["start"] < m["end"] <= len(original)
        assert normalize(original[m["title_start"] : m["title_end"]]).text.replace("\n", "") == m["title"].replace(
            "\n", ""
        )


# ---------------------------------------------------------------- the number parser


@SOME
@given(st.text(max_size=30))
@example("𐩀")  # a Unicode digit that `\d` and str.isdigit() accept and Decimal() rejects (found by hypothesis)
@example("١٢")
def test_parse_number_never_crashes_on_arbitrary_text(text):
    try:
        value = parse_number(text)
    except ValueError:
        return
    assert isinstance(value, Decimal) and value >= 0


@SOME
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789.,，万亿千百十一二三四五六七八九零〇两壹贰叁拾佰仟萬億 ")), max_size=16
    )
)
def test_parse_number_never_crashes_on_numeral_soup(text):
    try:
        value = parse_number(text)
    except ValueError:
        return
    assert isinstance(value, Decimal) and value.is_finite() and value >= 0


FINANCIAL = dict(zip("0123456789", "零壹贰叁肆伍陆柒捌玖", strict=True))


def render_financial(n: int) -> str:
    """n < 10,000 in financial numerals (壹仟贰佰零伍)."""
    digits, out, zero = f"{n:d}", "", False
    for i, ch in enumerate(digits):
        place = len(digits) - i - 1
        if ch == "0":
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += FINANCIAL[ch] + ("", "拾", "佰", "仟")[place]
    return out


@SOME
@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=9999))
def test_parse_number_of_mixed_sections_and_financial_numerals(high, low):
    assert parse_number(f"{high}亿{low}万" if low else f"{high}亿") == high * 10**8 + low * 10**4
    assert parse_number(f"{high}万{low}" if low >= 1000 else f"{high}万") == high * 10**4 + (low if low >= 1000 else 0)
    assert parse_number(render_financial(high)) == high
    assert parse_number(render_financial(high) + "萬") == high * 10**4


@SOME
@given(st.text(max_size=60), st.sampled_from(["measures", "report"]))
def test_extract_quantities_never_crashes_and_spans_are_ordered(text, kind):
    found = extract_quantities(text, doc_kind=kind)
    assert all(0 <= q.start < q.end <= len(text) for q in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@SOME
@given(
    st.integers(min_value=1, max_value=99_999),
    st.sampled_from(["场", "个", "人次", "名", "户", "万元", "亿元"]),
    st.sampled_from(["", "不少于", "超过", "约"]),
)
def test_rendered_quantities_in_a_sentence_read_back(n, unit, qualifier):
    text = normalize(f"全省各级工会{qualifier}完成{n:,}{unit}，服务职工。").text
    (q,) = extract_quantities(text)
    factor = {"万元": 10**4, "亿元": 10**8}.get(unit, 1)
    assert q.value == n * factor
    assert text[q.start : q.end].endswith(unit)


# ---------------------------------------------------------------- the measure segmenter


@pytest.mark.slow
@SOME
@given(numbered_document())
def test_the_segmenter_never_loses_or_duplicates_text(case):
    text, style, items = case
    norm = normalize(text)
    structure = analyse_structure(norm.text)
    measures = structure.measures
    spans = sorted(span for m in measures for span in m.spans)
    # disjoint, inside the text, in order
    assert all(0 <= s < e <= len(norm.text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert [m.start for m in measures] == sorted(m.start for m in measures)
    assert [m.ordinal for m in measures] == list(range(1, len(measures) + 1))
    # measure text + the rest = the whole, and every generated item is one measure, whole
    covered = "".join(norm.text[s:e] for s, e in spans)
    rest = "".join(
        norm.text[a:b]
        for a, b in zip([0] + [e for _, e in spans], [s for s, _ in spans] + [len(norm.text)], strict=True)
    )
    assert len(covered) + len(rest) == len(norm.text)
    assert len(measures) == len(items), (style, [m.title for m in measures])
    for m, (start, end, title) in zip(measures, items, strict=True):
        o_start, o_end = norm.to_original(m.start, m.end)
        assert (o_start, o_end) == (start, end), (style, m.title)
        assert m.title == title
    assert "四川省总工会" not in covered  # the title, salutation and preamble are not a measure


# ---------------------------------------------------------------- decoding

#: the characters of a seed document, and traditional ones
DOC_CHARS = sorted(
    set((ROOT / "corpus" / "000_ca660b9881810a2f.txt").read_text(encoding="utf-8"))
    | set("臺灣總會關於開展盃競賽級認職務實維護權益勞動禮讓團體職業")
)


@SOME
@given(
    st.text(st.sampled_from(DOC_CHARS), min_size=10, max_size=200),
    st.sampled_from(["utf-8", "gbk", "gb18030", "utf-16-le", "utf-16-be"]),
)
@example("一一七万为为主举义头", "utf-16-be")  # read as UTF-16 LE before the byte order was scored
@example("七七七万三上下备带帮", "utf-16-le")  # every byte below 0x80: valid UTF-8, full of control characters
def test_document_text_decodes_back_from_every_encoding(text, encoding):
    assume(len(_CJK_RE.findall(text)) >= max(10, len(text) // 3) and len(set(text)) >= 8)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    assert decode_bytes(data)[0] == text


# ---------------------------------------------------------------- ingest of arbitrary bytes

PREFIXES = [
    b"",
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"<html><body>",
    "四川省总工会".encode(),
    "四川省总工会".encode("gb18030"),
    "四川省总工会".encode("utf-16-le"),
]


@SOME
@given(
    st.sampled_from(PREFIXES),
    st.binary(max_size=600),
    st.sampled_from([".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".TXT"]),
)
def test_ingest_of_random_bytes_fails_only_with_a_one_line_ingest_error(prefix, data, suffix):
    path = f"fuzz/文件 {len(data)}{suffix}"
    try:
        source = read_source(path, prefix + data)
    except IngestError as exc:
        message = str(exc)
        assert re.match(rf"\[E1\d\d\] {re.escape(path)}: ", message) and "\n" not in message and "\r" not in message
        return
    assert isinstance(source.text, str) and source.text.strip() and "\x00" not in source.text
    assert len(normalize(source.text).text) <= len(source.text)
