"""Quantities: numbers with a unit (counts, money, percentages) found in normalised text.

:func:`extract_quantities` runs on :attr:`kg.text.normalize.NormalizedText.text` and returns spans whose
offsets point into that string; the caller maps them back with ``NormalizedText.to_original``.
Every word the rules match on (units, qualifiers, periods, cues, exclusions) comes from
``ontology/lexicon/quantities.ttl``, so extending the extractor means editing that file, not the code.
"""

from __future__ import annotations

from kg.pipeline.quantities.extract import QuantitySpan, extract_quantities
from kg.pipeline.quantities.rules import QuantityRules, build_rules, quantity_rules, rules_for
from kg.text.numerals import parse_number

__all__ = [
    "QuantityRules",
    "QuantitySpan",
    "build_rules",
    "extract_quantities",
    "parse_number",
    "quantity_rules",
    "rules_for",
]
