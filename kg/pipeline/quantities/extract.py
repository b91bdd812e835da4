"""Finding quantities: a number, an optional range and multiplier, a unit, qualifiers, then the exclusions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kg.pipeline.quantities import context
from kg.pipeline.quantities.rules import QuantityRules, quantity_rules, rules_for
from kg.text.numerals import BIG_UNITS, DIGITS, MULTIPLIERS, SECTION_MULTIPLIERS, SMALL_UNITS, parse_number
from kg.vocab.ontology import Vocabulary

__all__ = ["QuantitySpan", "extract_quantities"]

_MULT_RE = re.compile(rf"\s*[{MULTIPLIERS}]{{1,2}}")
_MULT_END_RE = re.compile(rf"[{MULTIPLIERS}]+$")
_SECTION_END_RE = re.compile(rf"[{SECTION_MULTIPLIERS}]+$")
_SHORT_QUOTE_RE = re.compile(r"[“\"'‘「][^”\"'’」]{1,3}[”\"'’」]")
_PERCENT = "%"
_SERVICE_DIGITS = 5  # a service number (12351, 95598) has at least this many digits
#: a column gap after a row number of a text table: a tab, two spaces or more, or a cell bar
_COLUMN_GAP = re.compile(r"\t|[ ]{2,}|\s*\|")
_ROW_START = re.compile(r"[ \t|]*(\d{1,3})\s")
_DOC_KINDS = ("measures", "report")


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


def _prev_char(text: str, pos: int) -> str:
    k = pos - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return text[k] if k >= 0 else ""


def _bare_cn_rejected(rules: QuantityRules, num: str, *, qualified: bool = False) -> bool:
    """Chinese numerals that do not count on their own: 一 (一批, 一次) and bare 千/万/百万.

    A bare multiplier does count after a qualifier word (逾千人, 近万名).
    """
    if num in rules.bare_ones:
        return True
    if len(num) > 1 and all(ch in DIGITS for ch in num):
        return True  # 唯一一家, 两三个, 三四家: not a written number
    if len(num) == 1 and (num in SMALL_UNITS or num in BIG_UNITS):
        return not qualified and num not in rules.bare_units_counted  # 千家万户; but 百场, 十场 count
    return False


def _qualifier(rules: QuantityRules, words: list[str]) -> tuple[str | None, str | None]:
    kinds = [rules.prefix_qualifiers.get(w) or rules.suffix_qualifiers.get(w) for w in words]
    pairs = [(k, w) for k, w in zip(kinds, words, strict=False) if k]
    if not pairs:
        return None, None
    kind = pairs[0][0]
    same = [w for k, w in pairs if k == kind]
    return kind, "…".join(same)


def _row_number(text: str, start: int, end: int) -> bool:
    """Rule *table-row-number*: a number alone at the start of a line, then a column gap (1  职工疗休养  …).

    The 序号 column of a text table counts rows, not things.
    """
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip(" \t|"):
        return False
    if _COLUMN_GAP.match(text, end):
        return True
    if not text[end : end + 1].isspace() or not text[start:end].isdigit():
        return False
    # one space (a folded full-width space): a row when a neighbouring line starts with the next or previous number
    n = int(text[start:end])
    prev_end = line_start - 1
    prev_start = text.rfind("\n", 0, max(prev_end, 0)) + 1
    next_start = text.find("\n", end)
    neighbours = [text[prev_start:prev_end] if prev_end > 0 else "", text[next_start + 1 :] if next_start >= 0 else ""]
    for line in neighbours:
        m = _ROW_START.match(line)
        if m and abs(int(m.group(1)) - n) == 1:
            return True
    return False


def _service_number(rules: QuantityRules, text: str, start: int, end: int) -> bool:
    """Rule *service-number*: a hotline number (拨打12351, 12351职工服务热线) is not an amount.

    A number of quantity-service-numbers (the public service lines) that opens no range, or a number of five or more ASCII digits right after a dial cue or followed, within a few
    characters, by a service-line word.
    """
    digits = text[start:end]
    if not digits.isascii() or not digits.isdigit():
        return False
    if digits in rules.service_numbers:  # a name, unless it opens a range (12345—13000人 is an amount)
        return not rules.range_re.match(text, end)
    if len(digits) < _SERVICE_DIGITS:
        return False
    if rules.dial_re.search(text, max(0, start - 8), start):
        return True
    return bool(rules.service_after_re.match(text, end))


def _excluded(rules: QuantityRules, unit: str, after: str, suffix_words: list[str], *, cn: bool = False) -> bool:
    """Quantities that are names, slogans, group thresholds or the document's own items."""
    if unit in rules.doc_item_units and rules.doc_item_re.match(after):
        return True  # counts of the document's own measures: 12条措施, 30件民生实事
    if cn and unit in rules.announced_units and rules.announced_re.match(after):
        return True  # rule announced-count: 六项重点工程, 十项行动, 九个方面 (the document's own items)
    for row in rules.unit_name_words:
        if unit == row[0] and after.startswith(row[1]) and not after.startswith(row[2:]):
            return True  # "三个年" is a campaign name, durations are written 三年
    if _SHORT_QUOTE_RE.match(after):
        return True  # 4个“高”要求: a slogan, not an amount
    if (
        unit in rules.person_units
        and any(w in rules.threshold_qualifiers for w in suffix_words)
        and rules.group_re.match(after)
    ):
        return True  # 25人以上非公企业: a threshold defining a group
    return bool(rules.ring_re.match(after))  # 15分钟服务圈


def _read_quantity(
    rules: QuantityRules, text: str, m: re.Match, quoted: list[bool], *, doc_kind: str, default_period: str | None
) -> QuantitySpan | None:
    num_start, pos = m.start(), m.end()
    num = m.group()
    cn = bool(rules.cn_full_re.fullmatch(num))
    if quoted[num_start]:
        return None  # numerals inside “…” or 《…》 belong to names and titles
    prev = _prev_char(text, num_start)
    if prev in rules.ordinal_markers:
        return None  # 第七批, 十二届二次全会
    if prev in rules.vague_markers:
        return None  # 数十家, 几百人: no definite value
    if rules.meta_label_re.search(text, max(0, num_start - 8), num_start):
        return None  # web page furniture: 浏览次数：1234次
    if _row_number(text, num_start, pos) or _service_number(rules, text, num_start, pos):
        return None  # a table's 序号 column; a hotline such as 12351
    # --- number, optional range, unit ---------------------------------------------------------
    upper_text = None
    lower_mult = ""
    tail = None
    lm = _MULT_RE.match(text, pos) if not cn else None
    rng = rules.range_re.match(text, lm.end() if lm else pos)
    if rng:
        m2 = rules.number_re.match(text, rng.end())
        if m2 and bool(rules.cn_full_re.fullmatch(m2.group())) == cn:
            tail = rules.tail_re.match(text, m2.end())
            if tail:
                upper_text, lower_mult = m2.group(), (lm.group().strip() if lm else "")
    if tail is None:
        tail = rules.tail_re.match(text, pos)
    if tail is None:
        return None
    unit = tail.group("unit")
    mult = (tail.group("mult") or "").strip()
    pm = rules.prefix_re.search(text, max(0, num_start - 6), num_start)
    if cn and upper_text is None and _bare_cn_rejected(rules, num, qualified=pm is not None):
        return None  # 一批, 一次, 千家万户
    if cn and unit in rules.designator_units:
        return None  # 三批试点, 七批: designators, not amounts
    try:
        if upper_text is None:
            lower, upper = parse_number(num + mult), None
        else:
            upper = parse_number(upper_text + mult)
            lower = parse_number(num + lower_mult)
            written = _MULT_END_RE.search(upper_text + mult)
            if not lower_mult and written and not _MULT_END_RE.search(num):
                scaled = parse_number(num + written.group())  # 5至10万人: 万 applies to both
                if scaled <= upper:
                    lower = scaled
            if lower > upper:
                return None
    except ValueError:
        return None
    end = tail.end()
    suffix_words = [w.strip() for w in (tail.group("inner"), tail.group("suffix")) if w and w.strip()]
    if _excluded(rules, unit, text[end : end + 12], suffix_words, cn=cn):
        return None
    # --- qualifiers -------------------------------------------------------------------------
    start = num_start
    words: list[str] = []
    if pm is not None:
        start = pm.start()
        words.append(pm.group().strip())
    if tail.group("mid"):
        words.append(tail.group("mid").strip())
    words.extend(suffix_words)
    qualifier, qualifier_word = _qualifier(rules, words)
    # --- value, unit ------------------------------------------------------------------------
    currency = rules.currencies.get(unit)
    if currency is not None:
        section = _SECTION_END_RE.search(num)
        unit_text = (mult or (section.group() if section else "")) + unit
    else:
        unit_text = unit
    # --- context ----------------------------------------------------------------------------
    sent_start = context.sentence_start(text, start)
    clause = context.clause_start(text, start)
    period = context.period(rules, text, sent_start, clause, start) or default_period
    role = context.role(rules, text[sent_start:start], "statistic" if doc_kind == "report" else "target")
    per = tail.group("perw")
    if per and per in rules.slash_periods:
        period, per = period or f"{rules.per_word}{per}", None
    elif per is None:
        per = context.per(rules, text, clause, start)
    return QuantitySpan(
        start=start,
        end=end,
        value=lower,
        unit=unit,
        unit_text=unit_text,
        currency=currency,
        value_max=upper,
        qualifier=qualifier,
        qualifier_word=qualifier_word,
        period=period,
        role=role,
        per=per,
        counts=context.counts(rules, text, clause, start, end),
    )


def _percent_words(
    rules: QuantityRules, text: str, quoted: list[bool], *, doc_kind: str, default_period: str | None
) -> list[QuantitySpan]:
    out = []
    for m in rules.percent_word_re.finditer(text):
        if quoted[m.start()]:
            continue
        try:
            value = parse_number(m.group("num"))
        except ValueError:
            continue
        start, end = m.start(), m.end()
        words = []
        pm = rules.prefix_re.search(text, max(0, start - 6), start)
        if pm is not None:
            start = pm.start()
            words.append(pm.group().strip())
        sm = rules.suffix_re.match(text, end)
        if sm is not None and sm.group().strip() not in rules.vague_suffixes:
            end = sm.end()
            words.append(sm.group().strip())
        qualifier, qualifier_word = _qualifier(rules, words)
        sent_start = context.sentence_start(text, start)
        default_role = "statistic" if doc_kind == "report" else "target"
        out.append(
            QuantitySpan(
                start=start,
                end=end,
                value=value,
                unit=_PERCENT,
                unit_text=m.group("word"),
                currency=None,
                qualifier=qualifier,
                qualifier_word=qualifier_word,
                period=context.period(rules, text, sent_start, context.clause_start(text, start), start)
                or default_period,
                role=context.role(rules, text[sent_start:start], default_role),
            )
        )
    return out


def extract_quantities(
    text: str,
    *,
    doc_kind: str = "measures",
    default_period: str | None = None,
    directory: str | Path | None = None,
    vocab: Vocabulary | None = None,
) -> list[QuantitySpan]:
    """All quantities in normalised ``text`` (offsets into it), sorted by start, never overlapping.

    ``doc_kind`` ("measures" | "report") sets the default role (target | statistic);
    ``default_period`` is used when the sentence states no period. The words come from the lexicon
    of ``vocab``, else of ontology folder ``directory`` (default: the project's ``ontology/``).
    """
    if doc_kind not in _DOC_KINDS:
        raise ValueError(f"doc_kind must be 'measures' or 'report', not {doc_kind!r}")
    rules = rules_for(vocab.lexicon) if vocab is not None else quantity_rules(directory)
    quoted = context.quoted_mask(text)
    found: list[QuantitySpan] = []
    last_end = 0
    for m in rules.number_re.finditer(text):
        if m.start() < last_end:
            continue
        q = _read_quantity(rules, text, m, quoted, doc_kind=doc_kind, default_period=default_period)
        if q is not None and q.start >= last_end:
            found.append(q)
            last_end = q.end
    found.extend(_percent_words(rules, text, quoted, doc_kind=doc_kind, default_period=default_period))
    found.sort(key=lambda q: (q.start, -(q.end - q.start)))
    out: list[QuantitySpan] = []
    for q in found:
        if out and q.start < out[-1].end:
            continue
        out.append(q)
    return out
