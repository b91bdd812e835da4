"""The quantities stage's rules: the word lists of ``ontology/lexicon/quantities.ttl`` compiled into regexes once.

:func:`quantity_rules` builds one frozen :class:`QuantityRules` per ontology folder and process
(:func:`rules_for` one per :class:`~kg.vocab.lexicon.Lexicon` object); the extractor reads every word
from it. Lists the file calls "tried longest first" become alternations sorted by length (file order
among equal lengths); the others keep the file's order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.text.numerals import MULTIPLIERS, NUMERAL_CHARS
from kg.vocab.lexicon import Lexicon, lexicon

__all__ = ["ARABIC", "QuantityRules", "build_rules", "quantity_rules", "rules_for"]

#: An Arabic number: digits with optional thousands separators and decimals.
ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_HAN = r"\u4e00-\u9fff"


def _longest_first(words: Iterable[str]) -> str:
    """An alternation of `words`, longest first (stable: file order among equal lengths)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _in_order(words: Iterable[str]) -> str:
    """An alternation of `words` in the order given."""
    return "|".join(re.escape(w) for w in words)


def _patterns(patterns: Iterable[str]) -> str:
    """An alternation of regular expressions, each in its own group, in the order given."""
    return "|".join(f"(?:{p})" for p in patterns)


def _chars(chars: Iterable[str]) -> str:
    """A character class body of `chars` (a string or a word list of single characters)."""
    return "".join(re.escape(c) for c in chars)


@dataclass(frozen=True)
class QuantityRules:
    """Every table and compiled regex the extractor uses, built from one lexicon."""

    units: Mapping[str, str]  # unit -> characters that may not follow it
    currencies: Mapping[str, str]
    person_units: frozenset[str]
    designator_units: frozenset[str]
    doc_item_units: frozenset[str]
    unit_name_words: tuple[tuple[str, ...], ...]
    announced_units: frozenset[str]
    service_numbers: frozenset[str]
    prefix_qualifiers: Mapping[str, str]
    suffix_qualifiers: Mapping[str, str]
    vague_suffixes: frozenset[str]
    threshold_qualifiers: frozenset[str]
    ordinal_markers: tuple[str, ...]
    vague_markers: tuple[str, ...]
    bare_ones: tuple[str, ...]
    bare_units_counted: tuple[str, ...]
    particles: tuple[str, ...]
    per_word: str
    slash_periods: tuple[str, ...]
    counts_stop: tuple[str, ...]
    number_re: re.Pattern
    cn_full_re: re.Pattern
    suffix_re: re.Pattern
    tail_re: re.Pattern
    meta_label_re: re.Pattern
    range_re: re.Pattern
    prefix_re: re.Pattern
    percent_word_re: re.Pattern
    period_re: re.Pattern
    clause_period_re: re.Pattern
    target_re: re.Pattern
    statistic_re: re.Pattern
    weak_statistic_re: re.Pattern
    per_re: re.Pattern
    doc_item_re: re.Pattern
    announced_re: re.Pattern
    service_after_re: re.Pattern
    dial_re: re.Pattern
    group_re: re.Pattern
    ring_re: re.Pattern
    counts_stop_re: re.Pattern
    per_cut_re: re.Pattern
    counts_verb_re: re.Pattern
    counts_verb_end_re: re.Pattern
    counts_trail_re: re.Pattern
    counts_scope_re: re.Pattern
    list_split_re: re.Pattern


def build_rules(lex: Lexicon) -> QuantityRules:
    """Compile the quantities stage's word lists of `lex` (its ``quantity-*`` lists and tables)."""

    def words(name: str) -> tuple[str, ...]:
        return lex.words(f"quantity-{name}")

    units = {row[0]: (row[1] if len(row) > 1 else "") for row in lex.table("quantity-units")}
    prefix = lex.mapping("quantity-prefix-qualifiers")
    suffix = lex.mapping("quantity-suffix-qualifiers")
    vague = frozenset(words("vague-suffixes"))
    counts_stop, counts_verbs = words("counts-stop"), words("counts-verbs")
    unit_alt = "|".join(
        re.escape(unit) + (f"(?![{re.escape(units[unit])}])" if units[unit] else "")
        for unit in sorted(units, key=len, reverse=True)
    )
    tail = (
        rf"(?P<mid>\s*(?:{_in_order(words('mid-qualifiers'))}))?"
        rf"(?P<mult>\s*[{MULTIPLIERS}]{{1,2}})?"
        rf"(?P<inner>\s*(?:{_longest_first(words('inner-qualifiers'))}))?"
        rf"\s*(?P<unit>{unit_alt})"
        rf"(?P<per>\s*/\s*(?P<perw>[{_chars(words('slash-denominators'))}]))?"
        rf"(?P<suffix>\s*(?:{_longest_first(k for k in suffix if k not in vague)}))?"
    )
    meta = rf"(?:{_longest_first(words('meta-labels'))})(?:{_in_order(words('meta-label-suffixes'))})?\s*[：:]\s*$"
    per = (
        rf"(?:{_in_order(words('per-words'))})\s*(?P<w>[{_chars(words('per-denominators'))}])(?P<noun>[{_HAN}]{{0,8}})"
        rf"|(?P<avg>[{_chars(words('average-denominators'))}])(?:{_in_order(words('average-suffixes'))})"
    )
    group = (
        rf"(?:[\d{NUMERAL_CHARS}]+\s*[{_chars(words('group-threshold-units'))}]\s*"
        rf"(?:{_in_order(words('group-threshold-words'))}))?"
        rf"(?:{_in_order(words('particles'))})?[{_HAN}]{{0,4}}?(?:{_longest_first(words('group-nouns'))})"
    )
    per_cut = dict.fromkeys([*counts_stop, *counts_verbs, *prefix, *words("per-cut-words")])
    trail = rf"(?:{_in_order(words('counts-trail-lead'))})?(?:{_in_order(words('counts-trail-words'))})+$"
    return QuantityRules(
        units=units,
        currencies=lex.mapping("quantity-currencies"),
        person_units=frozenset(words("person-units")),
        designator_units=frozenset(words("designator-units")),
        doc_item_units=frozenset(words("doc-item-units")),
        unit_name_words=lex.table("quantity-unit-name-words"),
        announced_units=frozenset(words("announced-units")),
        service_numbers=frozenset(words("service-numbers")),
        prefix_qualifiers=prefix,
        suffix_qualifiers=suffix,
        vague_suffixes=vague,
        threshold_qualifiers=frozenset(words("threshold-qualifiers")),
        ordinal_markers=words("ordinal-markers"),
        vague_markers=words("vague-markers"),
        bare_ones=words("bare-ones"),
        bare_units_counted=words("bare-units-counted"),
        particles=words("particles"),
        per_word=words("per-words")[0],
        slash_periods=words("slash-periods"),
        counts_stop=counts_stop,
        number_re=re.compile(
            rf"(?<![A-Za-z0-9.×*+])(?<!\d,){ARABIC}|(?<![{NUMERAL_CHARS}]|[A-Za-z])[{NUMERAL_CHARS}]+"
        ),
        cn_full_re=re.compile(rf"[{NUMERAL_CHARS}]+"),
        suffix_re=re.compile(rf"\s*(?:{_longest_first(suffix)})"),
        tail_re=re.compile(tail),
        meta_label_re=re.compile(meta),
        range_re=re.compile(rf"\s*(?:{_longest_first(words('range-separators'))})\s*"),
        prefix_re=re.compile(rf"(?:{_longest_first(prefix)})\s*$"),
        percent_word_re=re.compile(
            rf"(?P<word>{_longest_first(words('percent-words'))})(?P<num>{ARABIC}|[{NUMERAL_CHARS}]+)"
        ),
        period_re=re.compile(_patterns([*words("period-patterns"), _in_order(words("period-words"))])),
        clause_period_re=re.compile(_patterns(words("clause-periods"))),
        target_re=re.compile(_patterns(words("target-cues"))),
        statistic_re=re.compile(_patterns(words("statistic-cues"))),
        weak_statistic_re=re.compile(_patterns(words("weak-statistic-cues"))),
        per_re=re.compile(per),
        doc_item_re=re.compile(rf"[{_HAN}]{{0,4}}?(?:{_longest_first(words('doc-item-nouns'))})"),
        announced_re=re.compile(rf"[{_HAN}]{{0,4}}?(?:{_longest_first(words('announced-nouns'))})"),
        service_after_re=re.compile(rf"[^\d\s,;。]{{0,6}}?(?:{_longest_first(words('service-line-words'))})"),
        dial_re=re.compile(rf"(?:{_longest_first(words('dial-cues'))})\s*[：:]?\s*$"),
        group_re=re.compile(group),
        ring_re=re.compile(rf"[{_HAN}]{{0,4}}?(?:{_longest_first(words('ring-nouns'))})"),
        counts_stop_re=re.compile(_longest_first(counts_stop)),
        per_cut_re=re.compile(_longest_first(per_cut)),
        counts_verb_re=re.compile(_longest_first(counts_verbs)),
        counts_verb_end_re=re.compile(rf"(?:{_longest_first(counts_verbs)})$"),
        counts_trail_re=re.compile(trail),
        counts_scope_re=re.compile(rf"^(?:(?:{_in_order(words('counts-scope-words'))})\s*)+"),
        list_split_re=re.compile(f"[{_chars(words('counts-list-separators'))}]"),
    )


def quantity_rules(directory: str | Path | None = None) -> QuantityRules:
    """The rules of the lexicon in ontology folder `directory` (default: the project's), built once per process."""
    return _rules(str(directory) if directory else None)


@lru_cache(maxsize=8)
def _rules(directory: str | None) -> QuantityRules:
    return rules_for(lexicon(directory))


_BUILT: dict[int, tuple[Lexicon, QuantityRules]] = {}  # id(lexicon) -> (the lexicon, kept alive; its rules)
_MAX_BUILT = 8


def rules_for(lex: Lexicon) -> QuantityRules:
    """The rules of `lex`, built once per Lexicon object (a Lexicon holds dicts, so it is keyed by identity)."""
    hit = _BUILT.get(id(lex))
    if hit is None or hit[0] is not lex:
        if len(_BUILT) >= _MAX_BUILT:
            _BUILT.clear()
        hit = _BUILT[id(lex)] = (lex, build_rules(lex))
    return hit[1]
