"""The build's graph files: graph.trig (and graph.ttl when asked for) written from the named graphs' Turtle,
one graph at a time."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

__all__ = ["file_prefixes", "turtle_prefixes", "write_graph_files"]


def turtle_prefixes(text: str) -> set[str]:
    """The ``@prefix`` lines at the top of a Turtle document."""
    out = set()
    for line in text.split("\n"):  # not splitlines(): U+2028 and the like may be inside a literal
        if line.startswith("@prefix"):
            out.add(line)
        elif line.strip():
            break
    return out


def file_prefixes(path: Path) -> set[str]:
    """The ``@prefix`` lines at the top of a Turtle file, reading no further than them."""
    out = set()
    with open(path, encoding="utf-8", newline="\n") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("@prefix"):
                out.add(line)
            elif line.strip():
                break
    return out


def _body(text: str) -> list[str]:
    """A Turtle document's lines after its prefixes, verbatim (a line may be inside a multi-line
    literal), without leading or trailing blank lines."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and (lines[i].startswith("@prefix") or not lines[i].strip()):
        i += 1
    body = lines[i:]
    while body and not body[-1]:
        body.pop()
    return body


def write_graph_files(
    graphs: Iterable[tuple[str, Callable[[], str]]], prefixes: set[str], *, trig: Path, turtle: Path | None = None
) -> None:
    """graph.trig (and graph.ttl, given `turtle`) from the named graphs' Turtle, one graph in memory at a time.

    `graphs`: (graph IRI, a function returning that graph's Turtle), in IRI order; `prefixes`: every
    ``@prefix`` line they use. TriG is what :func:`kg.surface.export.serialize` writes for the same dataset,
    byte for byte; Turtle lists the same graphs' triples, each graph's block after a comment naming it.
    """
    head = "\n".join(sorted(prefixes)) + "\n\n"
    with contextlib.ExitStack() as files:
        tg = files.enter_context(open(trig, "w", encoding="utf-8", newline=""))
        tt = files.enter_context(open(turtle, "w", encoding="utf-8", newline="")) if turtle is not None else None
        current = trig

        def write(fh: IO[str], path: Path, text: str) -> None:
            nonlocal current
            current = path
            fh.write(text)

        try:
            write(tg, trig, head)
            if tt is not None and turtle is not None:
                write(tt, turtle, head)
            for i, (gid, load) in enumerate(graphs):
                body = "\n".join(_body(load()))
                sep = "\n" if i else ""
                write(tg, trig, f"{sep}<{gid}> {{\n{body}\n}}\n")
                if tt is not None and turtle is not None:
                    write(tt, turtle, f"{sep}# graph <{gid}>\n{body}\n")
            current = trig
            tg.flush()
            if tt is not None and turtle is not None:
                current = turtle
                tt.flush()
        except OSError as exc:  # a write() on a full disk names no file: name the one being written
            if exc.filename is None:
                exc.filename = str(current)
            raise
