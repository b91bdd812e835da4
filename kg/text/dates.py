"""Dates and years as Chinese documents write them: the one definition of the patterns that the header
(the document's date), the noise rules (a source line's date), the plan period and the signature rule use.

Each pattern string keeps its groups (year, month, day); callers compose them with their own anchors.
"""

from __future__ import annotations

import re

__all__ = ["CN_DATE", "DATE", "NUMERIC_DATE", "YEAR", "YEAR_OR_SPAN", "YEAR_SPAN", "iso_date"]

#: a year of the documents' time: 1900–2099
YEAR = r"(?:19|20)\d\d"
#: 2025年4月18日 (spaces allowed): groups year, month, day
CN_DATE = rf"({YEAR})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日"
#: 2025.4.18, 2025-04-18, 2025 / 4 / 18: groups year, month, day
NUMERIC_DATE = rf"({YEAR})\s*[.\-/]\s*(\d{{1,2}})\s*[.\-/]\s*(\d{{1,2}})"
#: a span of years, 2023—2027年, 2023-2027年, 2023至2027年: groups first and last year
YEAR_SPAN = rf"({YEAR})\s*[—\-至~]\s*({YEAR})\s*年"
#: a year before 年, or the first year of a span (2025年, 2023—2027年): group the year
YEAR_OR_SPAN = rf"({YEAR})(?:\s*[—\-至~]\s*{YEAR})?\s*年"
#: a date in either form, not inside a longer number: groups 1–3 (numeric) or 4–6 (年月日)
DATE = re.compile(rf"(?<!\d)(?:{NUMERIC_DATE}(?!\d)|{CN_DATE})")


def iso_date(m: re.Match[str]) -> str:
    """The ISO date (2025-04-18) of a match of CN_DATE or NUMERIC_DATE (groups 1–3) or of DATE."""
    year, month, day = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
