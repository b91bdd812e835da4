"""Error catalogue: every user-facing error is built here, one line naming the file and the problem."""

from __future__ import annotations

__all__ = ["ConfigError", "IngestError", "KgError", "QueryError", "ServeError", "one_line"]


def one_line(text, limit: int | None = None) -> str:
    """`text` (any object) as one line of single spaces, cut to `limit` characters with "..." when given."""
    line = " ".join(str(text).split())
    return line[: limit - 3] + "..." if limit is not None and len(line) > limit else line


class KgError(Exception):
    """Base class: its message is a complete one-line explanation for the analyst."""

    code = "E000"

    def __init__(self, message: str):
        super().__init__(f"[{self.code}] {message}")


class IngestError(KgError):
    """A document could not be read or decoded."""

    code = "E100"

    @classmethod
    def empty(cls, path: str) -> IngestError:
        return cls(f"{path}: the file is empty")

    @classmethod
    def binary(cls, path: str) -> IngestError:
        return cls(f"{path}: looks like a binary file, not text")

    @classmethod
    def undecodable(cls, path: str, detail: str = "") -> IngestError:
        extra = f" ({detail})" if detail else ""
        return cls(f"{path}: cannot decode as UTF-8, UTF-16 or GB18030{extra}")

    @classmethod
    def unsupported(cls, path: str, suffix: str) -> IngestError:
        return cls(f"{path}: unsupported file type {suffix or '(none)'}; expected .txt, .md, .html, .pdf or .docx")

    @classmethod
    def unreadable(cls, path: str, reason: str) -> IngestError:
        return cls(f"{path}: cannot read the file ({reason})")

    @classmethod
    def not_a_file(cls, path: str, kind: str) -> IngestError:
        return cls(f"{path}: not a regular file ({kind})")

    @classmethod
    def too_large(cls, path: str, size: int, limit: int, unit: str) -> IngestError:
        return cls(
            f"{path}: too large ({size:,} {unit}; the limit is {limit:,} {unit}); split it into smaller documents"
        )

    @classmethod
    def needs_ocr(cls, path: str, pages: int, reason: str = "") -> IngestError:
        why = reason or "it has no text layer (a scanned or image-only PDF)"
        return cls(f"{path}: cannot extract text from {pages} page(s): {why}; it needs OCR first")

    @classmethod
    def bad_document(cls, path: str, kind: str, detail: str) -> IngestError:
        return cls(f"{path}: cannot read as {kind} ({one_line(detail)})")


class QueryError(KgError):
    """A SPARQL query could not be found, parsed or bound."""

    code = "E200"

    @classmethod
    def not_found(cls, name: str, available: list[str]) -> QueryError:
        return cls(f"no query named {name!r}; available: {', '.join(available)}")

    @classmethod
    def syntax(cls, source: str, line: int, column: int, detail: str) -> QueryError:
        return cls(f"{source}: SPARQL syntax error at line {line}, column {column}: {detail}")

    @classmethod
    def bad_param(cls, text: str) -> QueryError:
        return cls(f"bad --param {text!r}; expected key=value")


class ConfigError(KgError):
    """A configuration or command-line value is invalid."""

    code = "E300"

    @classmethod
    def missing_file(cls, path: str, what: str) -> ConfigError:
        return cls(f"{path}: missing ({what})")

    @classmethod
    def bad_file(cls, path: str, detail: str) -> ConfigError:
        return cls(f"{path}: cannot read ({one_line(detail)[:300]})")

    @classmethod
    def missing_lexicon_entry(cls, path: str, name: str, kind: str) -> ConfigError:
        return cls(f"{path}: no {kind} named lx:{name}; add it to the lexicon")


class ServeError(KgError):
    """The SPARQL endpoint (`kg serve`) could not start."""

    code = "E500"

    @classmethod
    def no_graph(cls, out_dir: str) -> ServeError:
        return cls(f"{out_dir}: no built graph (neither store/ nor graph.trig); run `kg build` first")

    @classmethod
    def no_binary(cls) -> ServeError:
        return cls("the oxigraph server binary was not found; install it with `pip install oxigraph`")

    @classmethod
    def port_in_use(cls, host: str, port: int) -> ServeError:
        return cls(f"{host}:{port} is already in use; choose another port with --port")

    @classmethod
    def cannot_bind(cls, host: str, port: int, reason: str) -> ServeError:
        return cls(f"cannot listen on {host}:{port} ({reason})")

    @classmethod
    def upstream(cls, detail: str) -> ServeError:
        return cls(f"the Oxigraph server did not start: {one_line(detail)[:300]}")
