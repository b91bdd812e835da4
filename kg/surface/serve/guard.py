"""The guard's cheap first line: one canonical text for every parser, and a lexical scan for update words.

The guard hands the query on to Oxigraph, so rdflib (which decides the query's form) and Oxigraph (which runs
it) must read the *same* characters the same way. Two places where they used not to (both let a SERVICE call
through the old guard, docs/decisions.md D25):

- ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes. SPARQL expands them before parsing, and so does rdflib, but Oxigraph
  reads them only inside strings and IRIs, where an escaped quote then closes a string for rdflib and not
  for Oxigraph: ``"x\\u0022, " . SERVICE <…> {…} #"`` is a string to one and a SERVICE call to the other.
- a carriage return ends a comment for Oxigraph, not for rdflib: ``# …\\r SERVICE <…> {…}``.

So :func:`canonical_text` expands the escapes once, refuses text that still spells an escape (or a lone
surrogate) with 400, and turns every CR outside a string into LF; that text is what rdflib parses and what
Oxigraph receives. :func:`forbidden_words` then lexes it as the W3C grammar does (IRIs, strings, comments,
variables, prefixed names, language tags) and returns the bare keywords no query may contain: the update
operations and SERVICE, in any case. It errs on the side of finding: a word followed by ``:`` is a prefix,
except ``SERVICE:`` (``SERVICE:x {…}`` is a SERVICE call to both engines).
"""

from __future__ import annotations

import re

__all__ = ["SERVICE", "UPDATE_WORDS", "Refused", "canonical_text", "forbidden_words"]


class Refused(Exception):
    """A request the endpoint will not carry out: an HTTP status, a one-line reason, and extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


#: bare words that only SPARQL Update has (SPARQL 1.1 Update, section 3)
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
SERVICE = "SERVICE"

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<ws>[\x20\t\n\r]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
             |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
             |'(?:[^'\\\n\r]|\\.)*'
             |"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<bnode>_:[\w.\-\u00B7]*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[^\W\d_][\w\-]*)
  | (?P<local>:(?:[\w\-.:\u00B7]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _expand(match: re.Match) -> str:
    code = int(match.group(1) or match.group(2), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise Refused(400, f"invalid SPARQL: {match.group(0)} is not a Unicode character")
    return chr(code)


def canonical_text(text: str) -> str:
    """`text` as every parser behind the guard reads it: escapes expanded once, CR outside strings made LF.

    Raises :class:`Refused` (400) for an escape that is no character, for text whose expansion spells
    another escape (``\\u005Cu0022``: one parser would expand it twice), and for unpaired surrogates.
    """
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise Refused(400, "invalid SPARQL: the query is not valid Unicode (an unpaired surrogate)")
    expanded = _ESCAPE.sub(_expand, text)
    if _ESCAPE.search(expanded):
        raise Refused(400, "invalid SPARQL: a \\u escape spells another escape; write the character itself")
    if "\r" not in expanded:
        return expanded
    parts = []
    for m in _TOKEN.finditer(expanded):
        token = m.group(0)
        parts.append(token if m.lastgroup == "string" else token.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(parts)


def forbidden_words(text: str) -> list[str]:
    """The update keywords and SERVICE that `text` (a canonical text) has as bare words, upper-cased, sorted."""
    found: set[str] = set()
    tokens = list(_TOKEN.finditer(text))
    for i, m in enumerate(tokens):
        if m.lastgroup != "word":
            continue
        word = m.group(0).upper()
        if word not in UPDATE_WORDS and word != SERVICE:
            continue
        follows = tokens[i + 1].group(0) if i + 1 < len(tokens) else ""
        if follows.startswith(":") and word != SERVICE:
            continue  # a prefixed name such as insert:x
        found.add(word)
    return sorted(found)
