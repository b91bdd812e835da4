"""Traditional -> simplified characters as OpenCC's ``t2s`` converts them (opencc-python-reimplemented),
the same output, faster.

OpenCC splits a string at its separators and converts each piece on its own: in each group of dictionaries,
the longest key found anywhere in the piece (the leftmost of that length) is replaced by its first value,
the parts left and right of it are converted the same way, and the parts no key of a dictionary matches are
left to the next dictionary of the group. That is what :func:`t2s` does, from OpenCC's own tables, without
its tree of nodes and its scan of every substring of every piece: a piece with none of the characters a
key changes is left as it is (most pieces of a simplified text), and the last dictionary of single
characters is a per-character map. When OpenCC's tables are not in the form this reads, OpenCC converts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

__all__ = ["t2s"]

#: one dictionary: its key lengths (longest first), key -> first value, first characters of the keys
_Table = tuple[tuple[int, ...], dict[str, str], frozenset[str]]


def t2s(text: str) -> str:
    """`text` as OpenCC's t2s conversion makes it."""
    return _converter()(text)


@lru_cache(maxsize=1)
def _converter() -> Callable[[str], str]:
    from opencc import OpenCC

    opencc = OpenCC("t2s")
    opencc.convert("")  # reads the dictionaries
    chain = _chain(getattr(opencc, "_dict_chain_data", None))
    split = getattr(opencc, "split_chars_re", None)  # OpenCC converts the pieces between these on their own
    if chain is None or not isinstance(split, re.Pattern):
        return opencc.convert
    changed = _changed_chars(chain)

    def convert(text: str) -> str:
        if changed.isdisjoint(text):  # most lines of a simplified text: nothing to change
            return text
        parts = split.split(text)
        parts[::2] = [p if changed.isdisjoint(p) else _convert_piece(p, chain) for p in parts[::2]]
        return "".join(parts)

    return convert


def _chain(data) -> tuple[tuple[_Table, ...], ...] | None:
    """OpenCC's groups of dictionaries (lists of (longest, shortest, key -> values)) as tables, or None."""
    if not isinstance(data, list):
        return None
    chain = []
    for group in data:
        if not isinstance(group, list) or not group:
            return None
        tables = []
        for entry in group:
            if not (isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[2], dict)):
                return None
            longest, shortest, table = entry
            if not (isinstance(longest, int) and isinstance(shortest, int) and shortest >= 1):
                return None
            first = {k: v.split(" ")[0] for k, v in table.items()}  # as OpenCC converts: the first of several values
            lengths = tuple(sorted({len(k) for k in first if shortest <= len(k) <= longest}, reverse=True))
            tables.append((lengths, first, frozenset(k[0] for k in first if k)))
        chain.append(tuple(tables))
    return tuple(chain)


def _changed_chars(chain: tuple[tuple[_Table, ...], ...]) -> frozenset[str]:
    """The characters without which a piece is left as it is: of each key that its value changes, the
    characters it changes (all of them when the lengths differ)."""
    out: set[str] = set()
    for group in chain:
        for _lengths, table, _firsts in group:
            for key, value in table.items():
                if value == key:
                    continue
                if len(value) != len(key):
                    out.update(key)
                else:
                    out.update(a for a, b in zip(key, value, strict=True) if a != b)
    return frozenset(out)


def _convert_piece(piece: str, chain: tuple[tuple[_Table, ...], ...]) -> str:
    for group in chain:
        piece = _convert_group(piece, group)
    return piece


def _convert_group(piece: str, group: tuple[_Table, ...]) -> str:
    """One group of dictionaries over a piece: longest match first, then its left and right parts."""
    out: list[str] = []
    stack: list[tuple[str, int] | str] = [(piece, 0)]  # (a part, the dictionary it is at), or converted text
    last = len(group) - 1
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        part, k = item
        if not part:
            continue
        if k > last:
            out.append(part)  # no dictionary of the group matches it
            continue
        lengths, table, firsts = group[k]
        if k == last and lengths == (1,):  # single characters, the last dictionary: a per-character map
            out.append("".join([table.get(c, c) for c in part]))
            continue
        found = _longest_leftmost(part, lengths, table, firsts)
        if found is None:
            stack.append((part, k + 1))
            continue
        i, n = found
        stack += [(part[i + n :], k), table[part[i : i + n]], (part[:i], k)]  # popped left, match, right
    return "".join(out)


def _longest_leftmost(part: str, lengths: tuple[int, ...], table: dict[str, str], firsts: frozenset[str]):
    """(start, length) of the longest key in `part`, the leftmost of that length, or None."""
    at = [i for i, c in enumerate(part) if c in firsts]  # where a key can start
    for n in lengths:
        for i in at:
            if i + n > len(part):
                break
            if part[i : i + n] in table:
                return i, n
    return None
