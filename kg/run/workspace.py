"""The output folder: built in a staging folder beside it, swapped into place atomically, repaired after a kill.

A build writes ``.<out>.staging-<pid>-…`` next to `out/` and, when complete, trades places with `out/` in
one ``renameat2(RENAME_EXCHANGE)`` (Linux), so no moment exists without a whole `out/`; elsewhere two
renames, and :func:`recover_out` puts back an `out/` that a death between them left aside. The build's
readers open the result with :func:`open_output`.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset

from kg.errors import ConfigError, one_line
from kg.graph.store import STORE_DIR, open_store

__all__ = [
    "GRAPH_TRIG",
    "GRAPH_TTL",
    "exchange",
    "has_graph",
    "open_output",
    "publish",
    "recover_out",
    "staging_dir",
    "swap_into_place",
]

GRAPH_TRIG = "graph.trig"
GRAPH_TTL = "graph.ttl"


@contextmanager
def staging_dir(out: Path) -> Iterator[Path]:
    """A fresh staging folder beside `out`, removed on leaving unless :func:`publish` moved it into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-{os.getpid()}-", dir=out.parent))
    try:
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, out: Path) -> None:
    """Make the finished `staging` folder the new `out/` (readable by all, as a folder made by mkdir is)."""
    os.chmod(staging, 0o755)
    swap_into_place(staging, out)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def swap_into_place(staging: Path, out: Path) -> None:
    """Put `staging` at `out`: one atomic exchange where the OS has it, so no moment exists without an
    `out/`; elsewhere two renames, and :func:`recover_out` restores `out/` if a death falls in between."""
    if out.exists() and exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # now the previous build
        return
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.replace(out, old)
    os.replace(staging, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def recover_out(out: Path) -> list[str]:
    """Before a build: put back an `out/` that a killed build had moved aside, and remove the staging and
    old folders of builds whose process is gone. Returns one note per thing done."""
    notes: list[str] = []
    if not out.parent.is_dir():
        return notes
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(staging|old)-(\d+)(-.*)?$")
    leftovers = sorted(out.parent.iterdir(), key=lambda p: p.stat().st_mtime if p.exists() else 0, reverse=True)
    for path in leftovers:
        m = pattern.match(path.name)
        if not m or _alive(int(m.group(2))):
            continue
        if m.group(1) == "old" and not out.exists():
            os.replace(path, out)
            notes.append(f"{out}: restored the previous build from {path.name} (a build was killed while swapping)")
            continue
        shutil.rmtree(path, ignore_errors=True)
        notes.append(f"{path}: removed what a killed build left")
    return notes


def _alive(pid: int) -> bool:
    """Whether another process `pid` runs (this process's own leftovers are from a build that died)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def has_graph(out: Path) -> bool:
    """Whether `out` holds a built graph (a store or graph.trig)."""
    return (out / GRAPH_TRIG).exists() or (out / STORE_DIR).is_dir()


def open_output(out: Path, *, use_store: bool = True) -> Dataset:
    """The graph built in `out`: its Oxigraph store (read-only) when it has one and `use_store`, else
    graph.trig in rdflib's memory store (literals exactly as built; Oxigraph canonicalises them)."""
    from kg.namespaces import bind_prefixes

    if use_store and (out / STORE_DIR).is_dir():
        try:
            return open_store("oxigraph", out / STORE_DIR, read_only=True)
        except OSError as exc:
            raise ConfigError.bad_file(
                str(out / STORE_DIR), f"cannot open the Oxigraph store: {one_line(exc)}"
            ) from None
    path = out / GRAPH_TRIG
    if not path.exists():
        raise ConfigError.missing_file(str(path), "no built graph; run `kg build` first")
    ds = Dataset(default_union=True)
    ds.parse(path, format="trig")
    bind_prefixes(ds)
    return ds
