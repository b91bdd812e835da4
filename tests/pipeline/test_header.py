"""kg.pipeline.header: the title is the headline, dates from 印发, signature and source lines."""

from __future__ import annotations

from kg.pipeline.header import find_date, find_noise_spans, find_title
from kg.pipeline.numbering import split_lines
from kg.text.normalize import normalize


def title_of(original: str) -> str | None:
    text = normalize(original).text
    noise = find_noise_spans(text)
    lines = [ln for ln in split_lines(text) if not any(s <= ln.start < e for s, e in noise)]
    found = find_title(lines)
    return found.body if found else None


def date_of(original: str, identifier: str | None = None) -> str | None:
    return find_date(normalize(original).text, identifier)


def test_a_news_report_title_is_its_headline_not_its_source_line():
    report = (
        "2023-05-06 10:20　来源：某某工人报\n"
        "某省总工会推出五项举措 服务新就业形态劳动者\n\n"
        "本报讯 近日，某省总工会推出五项举措，覆盖快递员、外卖送餐员等群体，年内新建驿站100个，惠及职工十万人次。\n"
    )
    assert title_of(report) == "某省总工会推出五项举措 服务新就业形态劳动者"


def test_an_interview_question_is_never_the_title():
    """Rule headline-title: the search stops at the first paragraph; questions are skipped."""
    interview = (
        "把服务送到职工身边\n——访某市总工会负责人\n\n"
        "记者：今年有哪些新的举措？\n\n"
        "答：今年我们主要做好三件事。第一，扩大驿站覆盖面，年内新建驿站50个，让户外劳动者歇脚有去处、喝水有保障。\n"
        "记者：还有哪些新的举措？\n"
    )
    assert title_of(interview) == "把服务送到职工身边"


def test_a_nav_line_is_not_the_title():
    page = "某某网 | 工会频道 | 手机版 | 网站导航\n首页 > 新闻\n\n某市总工会发放出行补贴\n\n本报讯 某市总工会……。\n"
    assert title_of(page) == "某市总工会发放出行补贴"


def test_printed_date_wins():
    """Rule printed-date: …年…月…日印发."""
    notice = "某市总工会\n2025年3月1日\n\n正文。\n\n某市总工会办公室          2025年3月3日印发\n"
    assert date_of(notice) == "2025-03-03"


def test_signature_date_line_of_a_notice_wrapper():
    """Rule signature-date: a line that is only a date, even early (the notice wrapper before its plan)."""
    wrapper = (
        "关于印发某方案的通知\n\n各区总工会：\n现印发给你们。\n\n某市总工会\n2024年7月5日\n\n某方案\n\n"
        + "一、总体目标\n到2026年12月31日前完成建设任务。\n" * 30
    )
    assert date_of(wrapper, "某工〔2024〕3号") == "2024-07-05"


def test_source_line_date_of_a_news_report():
    """Rule source-date: the date of the 来源 line, not a deadline near the end."""
    report = (
        "某市总工会推出新举措\n2024-02-28 09:12　来源：某某日报\n\n本报讯 ……。\n相关工作将于2024年6月30日前完成。\n"
    )
    assert date_of(report) == "2024-02-28"
    report2 = "发布时间：2019年5月15日　来源：某某网\n\n某市总工会……。\n"
    assert date_of(report2) == "2019-05-15"
