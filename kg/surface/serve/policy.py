"""The query policy of the endpoint: parse each query, refuse updates and SERVICE, write in the row cap.

Also :func:`is_loopback`, the host check behind the default bind and the DNS-rebinding guard.
"""

from __future__ import annotations

import ipaddress
import re
import threading
from dataclasses import dataclass

from kg.errors import one_line
from kg.surface.query import project_prefixes
from kg.surface.serve.guard import Refused, canonical_text, forbidden_words

__all__ = ["DEFAULT_MAX_ROWS", "CheckedQuery", "Refused", "check_query", "is_loopback"]

DEFAULT_MAX_ROWS = 10_000
#: rdflib's SPARQL parser (pyparsing) is not thread-safe: two parses at once fail with odd errors
#: ("missing 1 required positional argument"), so the guard's threads take turns (the GIL serialises them anyway)
_PARSER = threading.RLock()


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the policy: its form (SELECT, ASK, CONSTRUCT, DESCRIBE) and the text to run."""

    form: str
    text: str
    limited: bool  # a LIMIT of max_rows + 1 was written into the text: more rows than max_rows means capped


def _walk(node):
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value)


def _with_prefixes(text: str, parsed) -> str:
    """The query with PREFIX lines for the project prefixes it uses without declaring them."""
    declared = {str(d.prefix or "") for d in _walk(parsed[0]) if d.name == "PrefixDecl"}
    missing = [p for p in project_prefixes() if p not in declared and re.search(rf"(?<![\w:<]){re.escape(p)}:", text)]
    if not missing:
        return text
    return "".join(f"PREFIX {p}: <{project_prefixes()[p]}>\n" for p in missing) + text


def check_query(text: str, *, max_rows: int = DEFAULT_MAX_ROWS) -> CheckedQuery:
    """Parse `text` and apply the policy (thread-safe); raise :class:`Refused` (400 or 403) for anything not allowed.

    Updates (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP …) and SERVICE anywhere in the query are refused
    with 403: first by a lexical scan of the canonical text (:mod:`.guard`), then by rdflib's parser, the
    authority on the form; text that is neither a query nor an update with 400. The text returned (and run)
    is the canonical one: escapes expanded, CR outside strings made LF. SELECT, CONSTRUCT and DESCRIBE get a
    LIMIT of `max_rows` + 1 unless they already have a smaller one.
    """
    text = canonical_text(text)  # what rdflib parses is what Oxigraph runs (kg.surface.serve.guard)
    words = forbidden_words(text)  # the cheap first line: no parse for a refusal
    if set(words) - {"SERVICE"}:
        found = ", ".join(w for w in words if w != "SERVICE")
        raise Refused(403, f"read-only endpoint: updates are refused ({found})")
    if words:
        raise Refused(403, "SERVICE (a federated query to another endpoint) is refused by this endpoint")
    with _PARSER:
        return _check(text, max_rows)


def _check(text: str, max_rows: int) -> CheckedQuery:
    """Parse the canonical `text` (rdflib, under the parser lock) and apply the policy."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        try:
            update = parseUpdate(text)
        except Exception:
            message = f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {one_line(exc.msg, 300)}"
            raise Refused(400, message) from None
        names = [op.name for op in update["request"] if hasattr(op, "name")] if "request" in update else []
        ops = sorted({re.sub(r"(?<=[a-z])(?=[A-Z])", " ", n).upper().replace("MODIFY", "DELETE/INSERT") for n in names})
        raise Refused(403, f"read-only endpoint: updates are refused ({', '.join(ops) or 'update'})") from None
    except Exception as exc:  # rdflib reports some problems as bare exceptions
        raise Refused(400, f"invalid SPARQL: {one_line(exc, 300)}") from None
    if any(node.name == "ServiceGraphPattern" for node in _walk(parsed)):
        raise Refused(403, "SERVICE (a federated query to another endpoint) is refused by this endpoint")
    form = parsed[1].name.removesuffix("Query").upper()
    full = _with_prefixes(text, parsed)
    if form == "ASK":
        return CheckedQuery(form, full, limited=False)
    limited_text = _limit(full, parsed if full == text else parseQuery(full), max_rows)
    return CheckedQuery(form, limited_text or full, limited=limited_text is not None)


def _limit_of(top, key: str):
    """The top-level LIMIT or OFFSET of a parsed query, or None."""
    clauses = top["limitoffset"] if "limitoffset" in top else None
    return clauses[key] if clauses is not None and key in clauses else None


def _limit(text: str, parsed, max_rows: int) -> str | None:
    """`text` with its top-level LIMIT set to max_rows + 1; None when it already returns at most max_rows.

    The LIMIT is written into the text (SPARQL has no other way), then the result is parsed again and
    must equal the original apart from that LIMIT; otherwise the query is refused rather than run uncapped.
    """
    from rdflib.plugins.sparql.parser import parseQuery

    top = parsed[1]
    current = _limit_of(top, "limit")
    if current is not None and int(current) <= max_rows:
        return None
    wanted = max_rows + 1
    # The top-level solution modifiers close the query, before an optional trailing VALUES block. Comments
    # and strings may hold the same words, so every place is tried, last first, until one parses right.
    ends = [len(text)]
    if "valuesClause" in top:
        ends = [m.start() for m in reversed(list(re.finditer(r"(?i)\bVALUES\b", text)))]
    candidates = []
    for end in ends:
        head, tail = text[:end], text[end:]
        if current is None:
            candidates.append(f"{head}\nLIMIT {wanted}\n{tail}")
        else:
            for m in reversed(list(re.finditer(r"(?i)\bLIMIT\s+\d+", head))):
                candidates.append(f"{head[: m.start()]}LIMIT {wanted}{head[m.end() :]}{tail}")
    for candidate in candidates[:20]:
        try:
            new_top = parseQuery(candidate)[1]
        except Exception:
            continue
        if (
            new_top.name == top.name
            and str(_limit_of(new_top, "limit")) == str(wanted)
            and set(new_top.keys()) | {"limitoffset"} == set(top.keys()) | {"limitoffset"}
            and all(str(new_top[k]) == str(top[k]) for k in top if k != "limitoffset")
            and str(_limit_of(new_top, "offset")) == str(_limit_of(top, "offset"))
        ):
            return candidate
    raise Refused(400, f"cannot apply the result limit to this query; add LIMIT {max_rows} yourself")


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address or name (only this machine can connect)."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
