"""kg.pipeline.noise (through kg.pipeline.header.find_noise_spans): furniture and spam yield no mention, no quantity."""

from __future__ import annotations

import json

import pytest
from conftest import SHARED

from kg.pipeline.header import find_noise_spans
from kg.pipeline.quantities import extract_quantities
from kg.text.normalize import normalize

DEV = SHARED / "dev"


def noisy(original: str) -> list[str]:
    text = normalize(original).text
    return [text[s:e] for s, e in find_noise_spans(text)]


def test_furniture_lines_of_a_public_account_post():
    """Rules furniture-line, share-line and post-trailer."""
    post = (
        "点击上方蓝字 关注我们\n\n"
        "市总工会开展金秋助学\n\n"
        "今年共资助困难职工子女300名，每人发放助学金3000元。\n"
        "各区工会同步开展走访慰问，把助学金送到职工家中，活动将持续到九月底。\n"
        "活动期间，各级工会还将组织志愿者上门走访，了解困难职工家庭的实际需求。\n\n"
        "文字：张三\n责编：李四\n校 对：王五\n\n"
        "▼扫码关注“某某工会”\n长按识别二维码\n\n分享 · 点赞 · 在看\n"
    )
    found = noisy(post)
    assert "点击上方蓝字 关注我们" in found
    assert {"文字:张三", "责编:李四", "校 对:王五"} <= set(found)
    assert any(s.startswith("▼扫码关注") and s.rstrip().endswith("在看") for s in found)  # the trailer to the end
    assert not any("300名" in s or "金秋助学" in s for s in found)


def test_a_share_line_needs_only_share_words():
    assert noisy("分享到：微信 微博 QQ空间\n") == ["分享到:微信 微博 QQ空间"]
    assert noisy("分享先进经验，推荐优秀案例。\n") == []


def test_nav_and_source_lines_of_a_mirror_copy():
    """Rules nav-line and source-line; a byline without a label is kept (it names the issuer)."""
    page = (
        "某某网 | 新闻 | 工会 | 手机版\n"
        "某市总工会出台十条措施\n"
        "2023-09-01 08:30　来源：某某日报\n"
        "某市总工会　2023年09月01日 08:30　某省\n"
        "(图片仅供参考)\n"
        "本报讯 某市总工会近日出台十条措施。\n"
    )
    found = noisy(page)
    assert found == ["某某网 | 新闻 | 工会 | 手机版", "2023-09-01 08:30 来源:某某日报", "(图片仅供参考)"]


def test_a_bar_in_a_headline_is_not_a_nav_line():
    assert noisy("夏日送清凉｜市总工会推出五项举措\n") == []


def test_spam_fragments_inside_sentences():
    """Rules emoji-fragment and ad-phrase: the fragment only, the sentence around it is kept."""
    sentence = "为每名会员发放30元🎁🎁新人注册立得🎁交通补贴，重点向环卫岗位🔥🔥棋牌游戏🔥🔥职工倾斜。"
    found = noisy(sentence)
    assert found == ["🎁🎁新人注册立得🎁", "🔥🔥棋牌游戏🔥🔥"]
    bare = "组织200名农民工体检 www博彩123 项目涵盖内科。"
    assert noisy(bare) == ["www博彩123"]


def test_emoji_headings_and_bullets_are_not_spam():
    post = "👉新建驿站30个\n让职工安心工作😊\n📍打开地图就能找到驿站\n【提升驿站服务】\n"
    assert noisy(post) == []


def test_quantities_inside_spam_are_skipped_by_the_pipeline(tmp_path):
    from kg.pipeline.components import process_file

    path = tmp_path / "copy.txt"
    path.write_text(
        "某市总工会推出普惠服务\n\n市总工会为会员每人发放50元💰💰注册送66元💰💰出行补贴，全市设置20个充值网点。\n",
        encoding="utf-8",
    )
    rec = process_file(path)
    assert sorted(q.text for q in rec.quantities) == ["20个", "50元"]
    raw = path.read_text(encoding="utf-8")
    assert all(raw[q.start : q.end] == q.text for q in rec.quantities)


def test_mentions_and_quantities_skip_noise_on_the_dev_mirror_copies():
    """On the development set: no quantity of the gold's not_quantities comes from a noise span."""
    gold_path = DEV / "gold.json"
    if not gold_path.exists():
        pytest.skip(f"development set not found at {DEV}")
    from kg.pipeline.components import process_file

    gold = {d["file"]: d for d in json.loads(gold_path.read_text(encoding="utf-8"))["documents"]}
    for name in ("23_shanxi.txt", "27_hefei.txt"):
        rec = process_file(DEV / "docs" / name)
        raw = (DEV / "docs" / name).read_text(encoding="utf-8")
        texts = [q.text for q in rec.quantities]
        for nq in gold[name]["not_quantities"]:
            assert not any(nq in t for t in texts if not nq.isdigit()), (name, nq)
        assert all(raw[m.start : m.end] == m.text for m in rec.mentions)


def test_quantity_extraction_alone_still_reads_numbers_in_furniture():
    """The quantities stage itself knows no noise: the pipeline skips the spans (components)."""
    text = normalize("编辑：王五\n浏览次数：1234次\n").text
    assert extract_quantities(text) == []


def test_the_announced_count_is_not_a_quantity(tmp_path):
    """The structure stage's announced_span (7项服务) is skipped by the quantities component."""
    from kg.pipeline.components import process_file

    path = tmp_path / "plan.txt"
    path.write_text(
        "某市总工会推出7项服务 惠及一线职工\n\n"
        "一、新建驿站。年内新建驿站30个。\n\n二、开展体检。为2000名职工免费体检。\n\n"
        "三、送清凉。慰问职工1万人次。\n\n四、助学。资助100名学生。\n\n五、维权。办理案件200件。\n\n"
        "六、培训。培训职工5000人次。\n\n七、疗休养。组织300名职工疗休养。\n",
        encoding="utf-8",
    )
    rec = process_file(path)
    assert rec.announced_count == 7
    assert "7项" not in [q.text for q in rec.quantities]
    assert "30个" in [q.text for q in rec.quantities]


def test_ad_phrases_without_emoji_and_urls():
    """Rules ad-phrase (overlapping phrases joined, digits and their unit taken) and url."""
    found = noisy("为会员发放补贴新用户注册送88元，登录www.example123.com/a?b=1可查询。\n")
    assert found == ["新用户注册送88元", "www.example123.com/a?b=1"]


def test_more_furniture_of_copies():
    assert noisy("原标题：某市工会出台新举措\n本文来源：某某网\n欢迎关注某某工会公众号\n") == [
        "原标题:某市工会出台新举措",
        "本文来源:某某网",
        "欢迎关注某某工会公众号",
    ]


def test_emoji_between_clauses_of_a_post_is_not_spam():
    """emoji-fragment needs the sentence to go on at both ends (or an ad phrase inside)."""
    assert noisy("👉新建驿站30个🎉覆盖职工5万人次🎉\n") == []
    assert noisy("为一线职工送清凉🍉🍉让大家安心工作😊。\n") == []


def test_table_rows_with_bars_and_dated_sentences_are_not_noise():
    table = "市总工会工作安排\n\n序号 | 任务 | 目标 | 部门\n1 | 疗休养 | 3000人次 | 服务部\n"
    assert noisy(table) == []
    post = "市总工会开展送清凉活动\n活动时间为2024年7月1日至8月31日，慰问职工1万人次\n"
    assert noisy(post) == []


def test_spam_pasted_after_a_comma_and_bracketed_ads():
    """emoji-fragment after a comma; rule ad-marker (【广告】 up to the next punctuation)."""
    line = "年内新建驿站30个，🎈🎈限时秒杀🎈覆盖职工5万人次，【广告】特价机票天天有，全年服务职工2万人次。\n"
    assert noisy(line) == ["🎈🎈限时秒杀🎈", "【广告】特价机票天天有"]
    assert noisy("喜欢就点个“在看”吧\n") == ["喜欢就点个“在看”吧"]
