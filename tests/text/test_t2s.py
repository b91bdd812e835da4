"""kg.text.t2s: OpenCC's t2s conversion, the same output without OpenCC's tree and substring scan."""

from __future__ import annotations

import random

from opencc import OpenCC

from kg.text.t2s import t2s


def test_overlapping_phrases_convert_as_opencc_converts():
    """Strings of OpenCC's own phrases and characters, overlapping and cut, come out as OpenCC makes them."""
    opencc = OpenCC("t2s")
    opencc.convert("")
    phrases, chars = (sorted(table) for _longest, _shortest, table in opencc._dict_chain_data[0])
    pool = phrases + chars[::5] + list("的一是在了人有我他这中大来上国，。 -")
    rng = random.Random(15)
    texts = ["".join(rng.choice(pool)[rng.randint(0, 1) :] for _ in range(rng.randint(0, 14))) for _ in range(4000)]
    assert [t2s(t) for t in texts] == [opencc.convert(t) for t in texts]
    assert sum(t2s(t) != t for t in texts) > 3000  # most of them hold something to convert
    assert t2s("乾隆年间，乾坤；覆盖，後來") == opencc.convert("乾隆年间，乾坤；覆盖，後來")
    assert t2s("中華全國總工會") == "中华全国总工会"
