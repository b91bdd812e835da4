"""Error catalogue: every user-facing error is built here, one code per message, one line naming the file and problem.

Each class owns a range of codes (IngestError E1xx, QueryError E2xx, ConfigError E3xx, PushError E4xx,
ServeError E5xx, BuildError E6xx, ReportError E7xx); each classmethod has its own code, never reused. `docs/errors.md` lists them all
(`python -m kg.errors` prints that table; tests/test_errors.py checks it).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "BuildError",
    "ConfigError",
    "ErrorEntry",
    "IngestError",
    "KgError",
    "PushError",
    "QueryError",
    "ReportError",
    "ServeError",
    "catalogue",
    "catalogue_markdown",
    "one_line",
]


def one_line(text, limit: int | None = None) -> str:
    """`text` (any object) as one line of single spaces, cut to `limit` characters with "..." when given."""
    line = " ".join(str(text).split())
    return line[: limit - 3] + "..." if limit is not None and len(line) > limit else line


class KgError(Exception):
    """Base class: its message is a complete one-line explanation for the analyst, prefixed by its code."""

    code = "E000"

    def __init__(self, message: str, *, code: str | None = None):
        if code is not None:
            self.code = code
        if len(message.splitlines()) > 1:
            message = one_line(message)
        super().__init__(f"[{self.code}] {message}")


class IngestError(KgError):
    """A document could not be read or decoded."""

    code = "E100"

    @classmethod
    def empty(cls, path: str) -> IngestError:
        return cls(f"{path}: the file is empty", code="E101")

    @classmethod
    def binary(cls, path: str) -> IngestError:
        return cls(f"{path}: looks like a binary file, not text", code="E102")

    @classmethod
    def undecodable(cls, path: str, detail: str = "") -> IngestError:
        extra = f" ({detail})" if detail else ""
        return cls(f"{path}: cannot decode as UTF-8, UTF-16 or GB18030{extra}", code="E103")

    @classmethod
    def unsupported(cls, path: str, suffix: str) -> IngestError:
        return cls(
            f"{path}: unsupported file type {suffix or '(none)'}; expected .txt, .md, .html, .pdf or .docx",
            code="E104",
        )

    @classmethod
    def unreadable(cls, path: str, reason: str) -> IngestError:
        return cls(f"{path}: cannot read the file ({reason})", code="E105")

    @classmethod
    def not_a_file(cls, path: str, kind: str) -> IngestError:
        return cls(f"{path}: not a regular file ({kind})", code="E106")

    @classmethod
    def too_large(cls, path: str, size: int, limit: int, unit: str) -> IngestError:
        return cls(
            f"{path}: too large ({size:,} {unit}; the limit is {limit:,} {unit}); split it into smaller documents",
            code="E107",
        )

    @classmethod
    def needs_ocr(cls, path: str, pages: int, reason: str = "") -> IngestError:
        why = reason or "it has no text layer (a scanned or image-only PDF)"
        return cls(f"{path}: cannot extract text from {pages} page(s): {why}; it needs OCR first", code="E108")

    @classmethod
    def bad_document(cls, path: str, kind: str, detail: str) -> IngestError:
        return cls(f"{path}: cannot read as {kind} ({one_line(detail)})", code="E109")


class QueryError(KgError):
    """A SPARQL query could not be found, parsed, bound, run or printed."""

    code = "E200"

    @classmethod
    def not_found(cls, name: str, available: list[str]) -> QueryError:
        return cls(f"no query named {name!r}; available: {', '.join(available)}", code="E201")

    @classmethod
    def syntax(cls, source: str, line: int, column: int, detail: str) -> QueryError:
        return cls(f"{source}: SPARQL syntax error at line {line}, column {column}: {detail}", code="E202")

    @classmethod
    def bad_param(cls, text: str) -> QueryError:
        return cls(f"bad --param {text!r}; expected key=value", code="E203")

    @classmethod
    def no_such_file(cls, path: str) -> QueryError:
        return cls(f"{path}: no such query file", code="E204")

    @classmethod
    def not_an_iri(cls, key: str, value: str) -> QueryError:
        return cls(
            f"--param {key}={value!r}: not an IRI (give a full IRI or prefix:name, e.g. place:sichuan)", code="E205"
        )

    @classmethod
    def unknown_param(cls, query: str, key: str, known: str) -> QueryError:
        return cls(f"{query}: unknown parameter {key!r}; it declares: {known}", code="E206")

    @classmethod
    def param_twice(cls, key: str) -> QueryError:
        return cls(f"--param {key} given twice", code="E207")

    @classmethod
    def not_an_integer(cls, key: str, value: str) -> QueryError:
        return cls(f"--param {key}={value!r}: not an integer", code="E208")

    @classmethod
    def missing_params(cls, query: str, missing: list[str], example: str = "") -> QueryError:
        plural = "s" if len(missing) > 1 else ""
        hint = f"; e.g. {example}" if example else ""
        return cls(
            f"{query}: missing required parameter{plural} {', '.join(missing)} (give --param {missing[0]}=…){hint}",
            code="E209",
        )

    @classmethod
    def invalid(cls, source: str, detail: str) -> QueryError:
        return cls(f"{source}: invalid SPARQL: {one_line(detail)}", code="E210")

    @classmethod
    def failed(cls, query: str, kind: str, detail: str) -> QueryError:
        return cls(f"{query}: query failed: {kind}: {one_line(detail)}", code="E211")

    @classmethod
    def unknown_format(cls, fmt: str, choices: Iterable[str]) -> QueryError:
        return cls(f"unknown output format {fmt!r}; choose from {', '.join(choices)}", code="E212")


class ConfigError(KgError):
    """A configuration or command-line value is invalid."""

    code = "E300"

    @classmethod
    def missing_file(cls, path: str, what: str) -> ConfigError:
        return cls(f"{path}: missing ({what})", code="E301")

    @classmethod
    def bad_file(cls, path: str, detail: str) -> ConfigError:
        return cls(f"{path}: cannot read ({one_line(detail)[:300]})", code="E302")

    @classmethod
    def missing_lexicon_entry(cls, path: str, name: str, kind: str) -> ConfigError:
        return cls(f"{path}: no {kind} named lx:{name}; add it to the lexicon", code="E303")

    @classmethod
    def unknown_store(cls, kind: str, choices: Iterable[str]) -> ConfigError:
        return cls(f"unknown store {kind!r}; choose from {', '.join(choices)}", code="E304")

    @classmethod
    def no_distributed(cls) -> ConfigError:
        return cls("--scheduler needs dask.distributed: pip install 'dask[distributed]'", code="E305")

    @classmethod
    def scheduler_unreachable(cls, scheduler: str, detail: str) -> ConfigError:
        return cls(f"{scheduler}: cannot reach the Dask scheduler ({detail})", code="E306")


class PushError(KgError):
    """A graph could not be sent to the server (`kg push`)."""

    code = "E400"

    @classmethod
    def unknown_format(cls, fmt: str, choices: Iterable[str]) -> PushError:
        return cls(f"unknown push format {fmt!r}; choose from {', '.join(choices)}", code="E401")

    @classmethod
    def password_without_user(cls) -> PushError:
        return cls("a password was given without a user (--user or UNIONKG_PUSH_USER)", code="E402")

    @classmethod
    def no_password(cls, user: str) -> PushError:
        return cls(f"no password for user {user!r} (--password or UNIONKG_PUSH_PASSWORD)", code="E403")

    @classmethod
    def unknown_auth(cls, kind: str, choices: Iterable[str]) -> PushError:
        return cls(f"unknown --auth {kind!r}; choose from {', '.join(choices)}", code="E404")

    @classmethod
    def not_http(cls, endpoint: str) -> PushError:
        return cls(f"{endpoint!r}: the endpoint must be an http:// or https:// URL", code="E405")

    @classmethod
    def no_answer(cls, endpoint: str, timeout: float) -> PushError:
        return cls(f"{endpoint}: no answer within {timeout:g} s (raise --timeout for big graphs)", code="E406")

    @classmethod
    def refused(cls, endpoint: str, where: str) -> PushError:
        return cls(f"{endpoint}: connection refused by {where}; is the server running?", code="E407")

    @classmethod
    def unknown_host(cls, endpoint: str, where: str) -> PushError:
        return cls(f"{endpoint}: unknown host {where}", code="E408")

    @classmethod
    def tls(cls, endpoint: str, detail: str) -> PushError:
        return cls(f"{endpoint}: TLS error ({one_line(detail)[:160]})", code="E409")

    @classmethod
    def bad_url(cls, endpoint: str) -> PushError:
        return cls(f"{endpoint}: not a valid URL", code="E410")

    @classmethod
    def cannot_connect(cls, endpoint: str, detail: str) -> PushError:
        return cls(f"{endpoint}: cannot connect ({one_line(detail)[:160]})", code="E411")

    @classmethod
    def rejected(cls, graph: str, status: str, pushed: str = "") -> PushError:
        """The server answered an HTTP error; `status` is that answer and a hint, `pushed` how far the push got."""
        return cls(f"graph <{graph}>: {status}{pushed}", code="E412")


class ServeError(KgError):
    """The SPARQL endpoint (`kg serve`) could not start."""

    code = "E500"

    @classmethod
    def no_graph(cls, out_dir: str) -> ServeError:
        return cls(f"{out_dir}: no built graph (neither store/ nor graph.trig); run `kg build` first", code="E501")

    @classmethod
    def no_binary(cls) -> ServeError:
        return cls("the oxigraph server binary was not found; install it with `pip install oxigraph`", code="E502")

    @classmethod
    def port_in_use(cls, host: str, port: int) -> ServeError:
        return cls(f"{host}:{port} is already in use; choose another port with --port", code="E503")

    @classmethod
    def cannot_bind(cls, host: str, port: int, reason: str) -> ServeError:
        return cls(f"cannot listen on {host}:{port} ({reason})", code="E504")

    @classmethod
    def upstream(cls, detail: str) -> ServeError:
        return cls(f"the Oxigraph server did not start: {one_line(detail)[:300]}", code="E505")

    @classmethod
    def bad_timeout(cls) -> ServeError:
        return cls("--timeout must be a positive number of seconds", code="E506")

    @classmethod
    def bad_max_rows(cls) -> ServeError:
        return cls("--max-rows must be at least 1", code="E507")

    @classmethod
    def bad_limits(cls) -> ServeError:
        return cls("--workers must be at least 1 (and the client and queue limits not negative)", code="E508")


class ReportError(KgError):
    """A jurisdiction brief (`kg report`) or the Python API (`kg.open`) could not answer."""

    code = "E700"

    @classmethod
    def unknown_jurisdiction(cls, name: str, close: list[str]) -> ReportError:
        hint = f"; close matches: {', '.join(close)}" if close else "; see `kg query view-documents`"
        return cls(f"no jurisdiction {name!r} in the graph{hint}", code="E701")

    @classmethod
    def ambiguous_jurisdiction(cls, name: str, matches: list[str]) -> ReportError:
        return cls(f"{name!r} names several places: {', '.join(matches)}; give the slug or IRI", code="E702")

    @classmethod
    def no_documents(cls, label: str, level: str) -> ReportError:
        return cls(f"{label}: no documents at the {level} level (try another --level)", code="E703")

    @classmethod
    def unknown_level(cls, level: str, choices: list[str]) -> ReportError:
        return cls(f"unknown level {level!r}; choose from {', '.join(choices)}", code="E704")

    @classmethod
    def unknown_format(cls, fmt: str, choices: list[str]) -> ReportError:
        return cls(f"unknown report format {fmt!r}; choose from {', '.join(choices)}", code="E705")

    @classmethod
    def missing_extra(cls, package: str, extra: str) -> ReportError:
        return cls(f"{package} is not installed: pip install 'unionkg[{extra}]'", code="E706")

    @classmethod
    def not_a_table(cls, query: str) -> ReportError:
        return cls(f"{query}: not a SELECT query; only SELECT results become a DataFrame", code="E707")


class BuildError(KgError):
    """A build could not run or finish: another build holds the lock, the disk is full, a write failed.
    The previous `out/` is left as it was."""

    code = "E600"

    @classmethod
    def locked(cls, lock: str, pid: int, host: str, started: str) -> BuildError:
        return cls(
            f"{lock}: another build (pid {pid} on {host}, started {started}) is writing this output folder; "
            "wait for it, or run again with --wait",
            code="E601",
        )

    @classmethod
    def lock_timeout(cls, lock: str, pid: int, seconds: float) -> BuildError:
        return cls(f"{lock}: gave up after {seconds:g} s waiting for the build of pid {pid}", code="E602")

    @classmethod
    def no_space(cls, path: str, needed: str, free: str) -> BuildError:
        return cls(
            f"{path}: no space left on the device (the build needs about {needed}, {free} free); "
            "the previous output is unchanged",
            code="E603",
        )

    @classmethod
    def write_failed(cls, path: str, reason: str) -> BuildError:
        return cls(f"{path}: cannot write ({one_line(reason)[:200]}); the previous output is unchanged", code="E604")


@dataclass(frozen=True)
class ErrorEntry:
    """One line of the catalogue: the code, the class and method that build it, and its message pattern."""

    code: str
    error: str
    message: str


class _Slot(str):
    """A stand-in argument that prints as `<name>` whatever the format (the catalogue's message patterns)."""

    def __format__(self, spec: str) -> str:
        return str(self)

    def __repr__(self) -> str:
        return str(self)


def _classes() -> list[type[KgError]]:
    found: list[type[KgError]] = []
    todo = [KgError]
    while todo:
        cls = todo.pop(0)
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def catalogue() -> list[ErrorEntry]:
    """Every classmethod of every KgError class, with its message pattern (arguments shown as `<name>`), by code."""
    entries = []
    for cls in _classes():
        for name, member in vars(cls).items():
            if not isinstance(member, classmethod):
                continue
            method = getattr(cls, name)
            args = [
                [_Slot(f"<{p.name}>")]
                if "list" in str(p.annotation) or "Iterable" in str(p.annotation)
                else _Slot(f"<{p.name}>")
                for p in inspect.signature(method).parameters.values()
            ]
            exc = method(*args)
            entries.append(ErrorEntry(exc.code, f"{cls.__name__}.{name}", str(exc).partition("] ")[2]))
    return sorted(entries, key=lambda e: e.code)


def catalogue_markdown() -> str:
    """docs/errors.md: the catalogue as a Markdown table."""
    lines = [
        "# Error codes",
        "",
        "Every error `kg` reports is one line, `[Ennn] <where>: <problem>`, built in `kg/errors.py`.",
        "Codes are stable: a code is never reused for another message. E1xx reading documents, E2xx queries,",
        "E3xx configuration, E4xx `kg push`, E5xx `kg serve`, E6xx `kg build`, E7xx `kg report` and the Python API.",
        "Generated by `python -m kg.errors > docs/errors.md`.",
        "",
        "| Code | Raised by | Message |",
        "|---|---|---|",
    ]
    for e in catalogue():
        message = e.message.replace("|", "\\|")
        lines.append(f"| {e.code} | `{e.error}` | `` {message} `` |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(catalogue_markdown(), end="")
