"""The vocabulary, loaded once and passed in: the ontology, schemes and gazetteers
(:mod:`~kg.vocab.ontology`, :class:`~kg.vocab.ontology.Vocabulary`) and the lexicon of word lists that the
rules match on (:mod:`~kg.vocab.lexicon`, ``ontology/lexicon/*.ttl``).
"""

__all__: list[str] = []
