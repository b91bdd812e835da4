"""kg.text.normalize: the matching text and its offset map into the original (D1)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kg.text.normalize import normalize


def test_normalises_full_width_dots_and_traditional_characters():
    original = "「安康盃」競賽覆蓋職工１００萬人次，中國夢∙勞動美"
    norm = normalize(original)
    assert "100万人次" in norm.text
    assert "中国梦·劳动美" in norm.text
    assert "竞赛" in norm.text
    assert len(norm.text) == len(norm.offsets)


def test_joins_a_sentence_broken_across_lines_and_maps_back():
    original = "（二）开展重点工程劳动竞赛。充分发挥成渝地区双\n\n城经济圈重大赛事活动的牵引作用。\n"
    norm = normalize(original)
    i = norm.text.index("成渝地区双城经济圈")
    start, end = norm.to_original(i, i + len("成渝地区双城经济圈"))
    assert original[start:end] == "成渝地区双\n\n城经济圈"


def test_keeps_title_and_heading_lines_apart():
    original = "四川省总工会助力经济发展“开门红” 十二条措施\n\n为深入学习贯彻党的二十大精神，制定措施。\n"
    assert "十二条措施\n\n为深入" in normalize(original).text


def test_a_long_line_ending_with_a_title_word_is_kept_apart_only_with_the_words_passed_in():
    """kg.text knows no words: the kinds of document come from the caller (the pipeline passes the lexicon's)."""
    from kg.vocab.ontology import load_vocabulary

    title = "四川省总工会关于深入开展新时代职工思想政治引领工作推动全省工会工作高质量发展的实施意见"
    original = f"{title}\n各级工会要认真贯彻落实。\n"
    words = load_vocabulary().title_end_words
    assert "意见" in words and "公告" in words
    assert normalize(original, title_words=words).text.startswith(f"{title}\n各级")
    assert normalize(original).text.startswith(f"{title}各级")


@given(st.text(alphabet=st.sampled_from(list("安康杯工会職工１２３ 　\n，。·•・∙「」ab")), max_size=80))
def test_offset_map_points_into_the_original(original):
    norm = normalize(original)
    assert len(norm.offsets) == len(norm.text)
    assert list(norm.offsets) == sorted(set(norm.offsets))
    for i, ch in enumerate(norm.text):
        # every matching character comes from the original character it maps to
        assert normalize(original[norm.offsets[i]]).text == ch
    for i in range(len(norm.text)):
        s, e = norm.to_original(i, len(norm.text))
        assert original[s:e].endswith(original[norm.offsets[-1]])


def test_pinyin_annotations_after_characters_are_removed_and_spans_map_back():
    """Rule pinyin-annotation: 總(zǒng)工會(huì) matches as 总工会; the original span keeps the pinyin."""
    original = "河北省總(zǒng)工會（huì）今年將 (jiāng) 新建驛站(zhàn)80個"
    norm = normalize(original)
    assert norm.text == "河北省总工会今年将新建驿站80个"
    i = norm.text.index("总工会")
    s, e = norm.to_original(i, i + 3)
    assert original[s:e] == "總(zǒng)工會"
    j = norm.text.index("80个")
    s, e = norm.to_original(j, j + 3)
    assert original[s:e] == "80個"


def test_toneless_pinyin_only_in_an_annotated_text():
    annotated = "記(jì)者瞭(le)解到，會(huì)上"
    assert normalize(annotated).text == "记者了解到,会上"
    plain = "下载工会(app)即可办理"
    assert normalize(plain).text == plain
    assert normalize("见附表(a)和附表(b)").text == "见附表(a)和附表(b)"


def test_parenthesised_words_and_numbers_are_kept():
    original = "职工之家(试点)、驿站(2024年)、网约车(didi平台)"
    assert normalize(original).text == original


@given(
    st.lists(st.sampled_from(["總", "工", "會", "(", ")", "（", "）", "zǒng", "le", " ", "\n", "1", "，"]), max_size=30)
)
def test_offset_map_stays_monotonic_with_pinyin(parts):
    original = "".join(parts)
    norm = normalize(original)
    assert len(norm.offsets) == len(norm.text)
    assert list(norm.offsets) == sorted(set(norm.offsets))
    assert all(0 <= o < len(original) for o in norm.offsets)


def test_pinyin_with_tone_numbers_or_in_square_brackets():
    assert normalize("總(zong3)工會[hui4]").text == "总工会"
    assert normalize("下载(app1)即可").text == "下载(app1)即可"
    assert normalize("见第(3)项").text == "见第(3)项"


def test_fold_table_is_the_fold_of_every_character():
    from kg.text.normalize import _FOLD, _fold_char

    text = "".join(map(chr, range(0x30000)))  # the BMP (lone surrogates included) and the first planes
    assert text.translate(_FOLD) == "".join(map(_fold_char, text))


def test_t2s_converts_as_opencc_does_on_real_documents():
    """The conversion skips the pieces with no character it can change: every line comes out as OpenCC's own."""
    from pathlib import Path

    from opencc import OpenCC

    from kg.text.t2s import t2s

    opencc = OpenCC("t2s").convert
    root = Path(__file__).resolve().parents[1] / "data" / "generalise"
    lines = [line for path in sorted(root.glob("*.txt")) for line in path.read_text(encoding="utf-8").split("\n")]
    lines += ["「安康盃」競賽覆蓋職工１００萬人次，中國夢∙勞動美", "实现全覆盖，乾隆年间", "覆盖 面 乾坤，後來"]
    converted = [t2s(line) for line in lines]
    assert converted == [opencc(line) for line in lines]
    assert sum(a != b for a, b in zip(converted, lines, strict=True)) >= 3  # traditional lines were converted
