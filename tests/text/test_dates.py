"""kg.text.dates: the one definition of the date and year patterns."""

from __future__ import annotations

import re

from kg.text.dates import CN_DATE, DATE, NUMERIC_DATE, YEAR_OR_SPAN, YEAR_SPAN, iso_date


def test_dates_in_both_forms_and_not_inside_longer_numbers():
    found = [
        iso_date(m) for m in DATE.finditer("发布时间：2024-02-28 09:12，2025年4月18日印发；编号12025.1.1；2024.1.123")
    ]
    assert found == ["2024-02-28", "2025-04-18"]
    assert iso_date(re.search(CN_DATE, "二〇二五年 2025 年 4 月 8 日")) == "2025-04-08"
    assert iso_date(re.search(NUMERIC_DATE, "2023 / 7 / 1")) == "2023-07-01"


def test_years_and_spans_of_years():
    assert re.search(YEAR_SPAN, "（2023—2027年）").groups() == ("2023", "2027")
    assert re.findall(YEAR_OR_SPAN, "2023至2027年，2025年，1899年，2030") == ["2023", "2025"]
