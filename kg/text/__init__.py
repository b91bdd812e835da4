"""Chinese text primitives, below every stage: character sets (:mod:`~kg.text.chars`), numerals
(:mod:`~kg.text.numerals`), dates (:mod:`~kg.text.dates`), OpenCC's traditional -> simplified conversion
(:mod:`~kg.text.t2s`, D2) and normalisation with its offset map (:mod:`~kg.text.normalize`, D1).

Nothing here knows a word of the domain: word lists come from :mod:`kg.vocab` and are passed in.
"""

__all__: list[str] = []
