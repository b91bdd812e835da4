"""The build cache: one entry per extracted document, keyed by its content and a fingerprint of the code.

An entry is ``<key>.json`` (record line, graph IRI, summary), ``<key>.ttl`` (the document's graph) and
``<key>.txt`` (its text) in ``out/cache/``; ``index.json`` maps each source path to its key. The key
hashes the file's path and bytes, the base IRI and :func:`pipeline_fingerprint` (every file of the
pipeline packages, the ontology files and the version), so a change to any of them re-extracts everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from functools import lru_cache
from pathlib import Path

__all__ = [
    "CACHE_DIR",
    "CACHE_INDEX",
    "CACHE_SUFFIXES",
    "cache_key",
    "has_entry",
    "link_entry",
    "link_file",
    "pipeline_fingerprint",
    "previous_cache",
    "read_entry",
    "read_index",
    "read_text",
    "write_entry",
    "write_index",
]

#: the cache's folder inside a build's output folder, and its index of source path -> key
CACHE_DIR = "cache"
CACHE_INDEX = "index.json"
#: files of one cache entry
CACHE_SUFFIXES = (".json", ".ttl", ".txt")
#: the packages (and top-level modules) whose code decides what a document yields; every file in them
#: is fingerprinted, so a new stage module can never be forgotten
PIPELINE_PACKAGES = ("text", "vocab", "ingest", "pipeline", "graph")
PIPELINE_MODULES = ("__init__.py", "errors.py", "model.py", "namespaces.py")


@lru_cache(maxsize=8)
def pipeline_fingerprint(ontology_dir: str | None = None) -> str:
    """A hash of everything besides the input that decides a document's output."""
    import kg
    from kg.vocab.ontology import ONTOLOGY_DIR

    h = hashlib.sha256(f"unionkg {kg.__version__}\n".encode())
    package = Path(kg.__file__).resolve().parent
    code = [package / name for name in PIPELINE_MODULES]
    for sub in PIPELINE_PACKAGES:
        code += sorted(p for p in (package / sub).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    folder = Path(ontology_dir) if ontology_dir else ONTOLOGY_DIR
    data = sorted(p for p in folder.rglob("*") if p.is_file())
    for name, path in [(p.relative_to(package).as_posix(), p) for p in code] + [
        (p.relative_to(folder).as_posix(), p) for p in data
    ]:
        if path.exists():
            content = path.read_bytes()
            h.update(f"{name}\0{len(content)}\0".encode())
            h.update(content)
    return h.hexdigest()


def cache_key(path: str, content_sha256: str, *, base: str, fingerprint: str) -> str:
    """The cache key of a document: its path, its bytes, the base IRI and the pipeline fingerprint."""
    return hashlib.sha256(f"{fingerprint}\0{base}\0{path}\0{content_sha256}".encode()).hexdigest()


def previous_cache(out: Path) -> Path | None:
    """The cache folder of the build in `out`, when it finished (has an index)."""
    folder = out / CACHE_DIR
    return folder if (folder / CACHE_INDEX).is_file() else None


def read_index(folder: Path | None) -> dict[str, str]:
    """Source path -> key of the cache `folder` (empty without one)."""
    return json.loads((folder / CACHE_INDEX).read_text(encoding="utf-8")) if folder else {}


def write_index(folder: Path, index: dict[str, str]) -> None:
    """Write the index of the cache `folder`."""
    text = json.dumps(index, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    (folder / CACHE_INDEX).write_text(text, encoding="utf-8")


def write_entry(folder: Path, key: str, payload: dict) -> None:
    """Store a worker's result as a cache entry."""
    meta = {"record": payload["record"], "graph": payload["graph"], "summary": payload["summary"]}
    (folder / f"{key}.json").write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / f"{key}.ttl").write_bytes(payload["turtle"].encode("utf-8"))
    (folder / f"{key}.txt").write_bytes(payload["text"].encode("utf-8"))


def read_entry(folder: Path, key: str) -> dict:
    """The record line, graph IRI and summary of a cache entry (not its graph or text)."""
    return json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))


def has_entry(folder: Path | None, key: str) -> bool:
    """Whether the cache `folder` holds every file of the entry `key`."""
    return folder is not None and all((folder / f"{key}{s}").is_file() for s in CACHE_SUFFIXES)


def link_entry(src: Path, dst: Path, key: str) -> None:
    """Put an entry of folder `src` into folder `dst` (hard links; a copy across file systems)."""
    for suffix in CACHE_SUFFIXES:
        link_file(src / f"{key}{suffix}", dst / f"{key}{suffix}")


def link_file(src: Path, dst: Path) -> None:
    """`dst` as a hard link to `src` (a copy where links are not possible)."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def read_text(path: Path) -> str:
    """A cached Turtle or text file exactly as written (no newline translation)."""
    return path.read_bytes().decode("utf-8")
