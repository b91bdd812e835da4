"""Genre and announced count (kg.pipeline.genre), each rule on a small example written here; the dev set's gold."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.ingest.source import read_source
from kg.pipeline.structure import analyse_structure
from kg.text.normalize import normalize
from kg.vocab.ontology import ONTOLOGY_DIR, load_vocabulary

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "dev"

PLAN_BODY = "（一）开展技能竞赛。组织职工参加比赛。\n\n（二）建设职工书屋。新建书屋20家。\n\n（三）做好困难帮扶。走访慰问职工。\n"


def _st(text: str, **kw):
    return analyse_structure(normalize(text, title_words=load_vocabulary().title_end_words).text, **kw)


# ------------------------------------------------------------------------------------------- genre


@pytest.mark.parametrize(
    ("text", "genre"),
    [
        # genre-work-report: a report word in the title
        ("某市总工会2024年工作总结\n\n一年来，全市工会新建组织120家，发展会员3万人。\n", "work-report"),
        # …or a report's lead cue
        ("某市总工会\n\n现将今年主要工作情况报告如下。\n\n一、组织建设\n\n新建工会120家。\n", "work-report"),
        # genre-interview: two answer lines
        (
            "访某区总工会主席\n\n记者：今年有何打算？\n\n答：主要抓两件事。\n\n记者：还有呢？\n\n答：做好服务。\n",
            "interview",
        ),
        # genre-post: two public-account cues
        ("点击蓝字关注我们\n\n某县总工会推出4项举措\n\n【开展慰问】\n\n内容。\n\n阅读原文\n", "public-account-post"),
        # genre-notice: the title ends with 通知
        ("某市总工会关于印发《职工服务十条措施》的通知\n\n各区总工会：\n\n现印发给你们。\n", "notice"),
        # genre-news: a byline in the first lines
        ("某市总工会推出三项服务\n\n本报讯（记者 王某）近日，某市总工会推出三项服务。\n", "news-report"),
        # genre-shishi: 实事 in the title
        ("某区总工会2025年为职工办实事项目清单\n\n" + PLAN_BODY, "shishi-list"),
        # plan: none of these
        ("某省总工会关于加强职工服务的若干措施\n\n" + PLAN_BODY, "plan"),
    ],
)
def test_the_genre_is_decided_from_the_text(text, genre):
    assert _st(text).genre == genre


def test_the_genre_never_comes_from_a_file_name(tmp_path):
    text = "某省总工会关于加强职工服务的若干措施\n\n" + PLAN_BODY
    for name in ("interview.txt", "29_suzhou.txt", "news-report.txt"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert _st(read_source(path).text).genre == "plan"


def test_a_work_report_has_no_measures():
    """Rule genre-work-report: a report states what was done; its numbered items are no measures."""
    st = _st("某市总工会2024年工作总结\n\n一、开展竞赛。全年开展竞赛200场。\n\n二、建设书屋。新建书屋40家。\n")
    assert st.genre == "work-report" and st.kind == "report" and st.measures == ()


def test_an_analyst_teaches_a_news_byline_in_turtle(tmp_path):
    text = "某市总工会推出三项服务\n\n晨报讯 近日，某市总工会推出三项服务。\n\n扩大服务覆盖。新建驿站一批，延长开放时间。\n"
    assert _st(text).genre != "news-report"
    onto = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, onto)
    path = onto / "lexicon" / "genres.ttl"
    ttl = path.read_text(encoding="utf-8")
    path.write_text(ttl.replace('( "本报讯" ', '( "晨报讯" "本报讯" '), encoding="utf-8")
    assert _st(text, vocab=load_vocabulary(onto)).genre == "news-report"


# ------------------------------------------------------------------------------------ announced count


@pytest.mark.parametrize(
    ("title", "count", "phrase"),
    [
        ("某市总工会服务职工十项举措", 10, "十项举措"),
        ("某省总工会关于印发《助企发展18条措施》的通知", 18, "18条措施"),
        ("某市工会助力乡村振兴八大行动方案", 8, "八大行动"),
        ("某区总工会2025年十件实事", 10, "十件实事"),
        ("某县总工会实施六项重点工程", 6, "六项重点工程"),
        ("某市总工会发布两项政策", 2, "两项政策"),
    ],
)
def test_the_announced_count_is_read_from_the_title(title, count, phrase):
    """Rule announced-count: number + measure word (项 条 件 个 大) + noun, the title first."""
    text = f"{title}\n\n为做好服务，制定以下措施。\n\n" + PLAN_BODY
    st = _st(text)
    assert st.announced_count == count
    s, e = st.announced_span
    assert normalize(text).text[s:e] == phrase


def test_the_announced_count_is_read_from_the_lead_before_the_first_measure():
    text = "某市总工会工作要点\n\n今年重点抓好以下三个方面工作。\n\n" + PLAN_BODY
    assert _st(text).announced_count == 3


@pytest.mark.parametrize(
    "lead",
    [
        "今年将新建站点22项、171件。",  # a count of things, no measure noun
        "评选第二批示范单位。",  # an ordinal
        "实施三年行动方案。",  # years are no measure word
        "推出多项普惠服务。",  # no number
    ],
)
def test_what_is_no_announced_count(lead):
    assert _st(f"某市总工会工作方案\n\n{lead}\n\n" + PLAN_BODY).announced_count is None


def test_a_count_after_the_first_measure_is_not_announced():
    """A count inside an answer or a measure ("三件事") is not the document's announced count."""
    text = (
        "访某市总工会负责人\n\n记者：今年有何安排？\n\n答：主要做好三件事。第一，开展走访慰问。走访职工。"
        "第二，做好返乡服务。发放补助。第三，丰富节日生活。组织活动。\n\n记者：还有呢？\n\n答：谢谢。\n"
    )
    st = _st(text)
    assert st.genre == "interview" and len(st.measures) == 3
    assert st.announced_count is None


def test_the_segmentation_that_matches_the_announced_count_wins():
    """Where a candidate's count differs from the announced count, the next candidate is tried: here the
    numbered list (2 items) loses to the paragraph-led measures (4) a news report announces."""
    text = (
        "某市总工会推出4项举措\n\n本报讯（记者 李某）近日，某市总工会推出4项举措，服务一线职工。\n\n"
        "扩大驿站覆盖。年内新建驿站50个，延长开放时间。\n\n"
        "开展技能竞赛。组织职工参加比赛，覆盖1万人次。\n\n"
        "做好困难帮扶。全年安排资金500万元，走访慰问职工。\n\n"
        "拓展普惠服务。推出普惠活动100场，方便职工参与。\n\n"
        "据介绍，活动包括：\n1.线上报名。职工在手机端报名。\n2.线下参与。职工到现场参加。\n"
    )
    st = _st(text)
    assert st.announced_count == 4
    assert [m.title for m in st.measures] == ["扩大驿站覆盖", "开展技能竞赛", "做好困难帮扶", "拓展普惠服务"]
    assert st.extra["segmenter"] == "paragraph-led"


# ----------------------------------------------------------------------------------------- dev set


def _dev():
    path = DEV / "gold.json"
    if not path.exists():
        pytest.skip(f"development set not found at {DEV}")
    return json.loads(path.read_text(encoding="utf-8"))["documents"]


def _dev_structure(doc):
    return _st(read_source(DEV / "docs" / doc["file"]).text)


def test_dev_announced_counts_match_gold():
    for doc in _dev():
        assert _dev_structure(doc).announced_count == doc.get("announced_count"), doc["file"]


def test_dev_measures_match_gold():
    """Exactly the gold measures in every development document (titles compared as the scorer does)."""
    for doc in _dev():
        st = _dev_structure(doc)
        titles = [m.title for m in st.measures]
        assert len(titles) == len(doc["measures"]), (doc["file"], titles)
        for want in doc["measures"]:
            assert any(want in t or t in want for t in titles), (doc["file"], want)
        assert st.kind == doc["kind"], doc["file"]
