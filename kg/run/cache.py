"""The build cache: one entry per extracted document, keyed by its content and a fingerprint of the code.

An entry is ``<key>.json`` (record line, graph IRI, summary), ``<key>.ttl`` (the document's graph) and
``<key>.txt`` (its text) in ``out/cache/``; ``index.json`` maps each source path to its key. The key
hashes the file's path and bytes, the base IRI and :func:`pipeline_fingerprint` (every file of the
pipeline packages, the ontology files and the version), so a change to any of them re-extracts everything.

The cache is only a cache: every file is written atomically (:func:`write_atomic`), and the record file's
first line is a header (format, version, and the size and sha256 of the entry's three files), checked when
the entry is read. A missing, truncated, garbled or foreign entry raises :class:`CacheEntryError`, a line
naming the file, and the build extracts that document again.
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
    "CACHE_FORMAT",
    "CACHE_INDEX",
    "CACHE_SUFFIXES",
    "CacheEntryError",
    "cache_key",
    "has_entry",
    "link_entry",
    "link_file",
    "pipeline_fingerprint",
    "previous_cache",
    "read_entry",
    "read_index",
    "read_sealed",
    "read_text",
    "sync_folder",
    "write_atomic",
    "write_entry",
    "write_index",
    "write_sealed",
]

#: the cache's folder inside a build's output folder, and its index of source path -> key
CACHE_DIR = "cache"
CACHE_INDEX = "index.json"
#: files of one cache entry
CACHE_SUFFIXES = (".json", ".ttl", ".txt")
#: the version of the cache's file format (the header line of every record and index file)
CACHE_FORMAT = 2
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
    """The cache folder of the build in `out`, if it has one (each entry is checked when it is read)."""
    folder = out / CACHE_DIR
    return folder if folder.is_dir() else None


class CacheEntryError(ValueError):
    """A cache file that cannot be trusted: missing, truncated, garbled or of another format version.
    Its message is one line naming the file; the build extracts the document again."""


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` atomically: a temporary file in the same folder, fsync (unless not `durable`:
    then the caller syncs them all at once, :func:`sync_folder`), then os.replace. An error names `path`
    (``OSError.filename``), and the temporary file is removed."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.filename is None or exc.filename == str(tmp):
            exc.filename = str(path)
        raise


def sync_folder(folder: Path) -> None:
    """Flush what was written under `folder` to the disk in one call (Linux syncfs; os.sync elsewhere): one
    fsync per cache file costs ~20 ms on a busy disk, minutes for a corpus of 10,000 documents."""
    import ctypes

    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            syncfs = ctypes.CDLL(None, use_errno=True).syncfs
        except (OSError, AttributeError):
            os.sync()
            return
        if syncfs(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(folder))
    finally:
        os.close(fd)


def _sealed(kind: str, payload: bytes, files: dict[str, bytes] | None = None) -> bytes:
    """A header line (format, version, size and sha256 of the payload and of the entry's other files),
    then the payload."""
    sums = {"payload": _digest(payload), **{k: _digest(v) for k, v in (files or {}).items()}}
    header = {"format": f"unionkg-{kind}", "version": CACHE_FORMAT, "files": sums}
    return json.dumps(header, sort_keys=True).encode() + b"\n" + payload


def _digest(data: bytes) -> list:
    return [len(data), hashlib.sha256(data).hexdigest()]


def _unseal(path: Path, kind: str) -> tuple[bytes, dict]:
    """The payload of a sealed file and the sums of its entry's other files; CacheEntryError if it is
    missing, truncated, garbled or of another format version."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CacheEntryError(f"{path}: cache file missing") from None
    except OSError as exc:
        raise CacheEntryError(f"{path}: cache file unreadable ({exc.strerror or exc})") from None
    head, sep, payload = data.partition(b"\n")
    try:
        header = json.loads(head.decode("utf-8")) if sep else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or not str(header.get("format", "")).startswith("unionkg-"):
        raise CacheEntryError(f"{path}: not a cache file of unionkg (garbled, or written before format {CACHE_FORMAT})")
    if header.get("format") != f"unionkg-{kind}" or header.get("version") != CACHE_FORMAT:
        found = f"{header.get('format')} version {header.get('version')}"
        raise CacheEntryError(f"{path}: cache file of another format ({found}; this is version {CACHE_FORMAT})")
    files = header.get("files")
    if not isinstance(files, dict) or not isinstance(files.get("payload"), list):
        raise CacheEntryError(f"{path}: cache file garbled (bad header)")
    _check(path, payload, files["payload"])
    return payload, files


def _check(path: Path, data: bytes, expected: list) -> None:
    size, digest = _digest(data)
    if expected[:1] != [size]:
        raise CacheEntryError(f"{path}: cache file truncated or extended ({size:,} bytes, expected {expected[0]:,})")
    if expected[1:] != [digest]:
        raise CacheEntryError(f"{path}: cache file garbled (checksum mismatch)")


def write_sealed(path: Path, kind: str, payload: bytes) -> None:
    """Write `payload` to `path` after a header line of format ``unionkg-<kind>`` (the cache's version, and the
    payload's size and sha256), atomically; synced with the rest of the build (:func:`sync_folder`)."""
    write_atomic(path, _sealed(kind, payload), durable=False)


def read_sealed(path: Path, kind: str) -> bytes:
    """The payload of a file written by :func:`write_sealed`; CacheEntryError (one line naming `path`) if it is
    missing, truncated, garbled or of another kind or version."""
    return _unseal(path, kind)[0]


def read_index(folder: Path | None) -> tuple[dict[str, str], str | None]:
    """Source path -> key of the cache `folder` (empty without one), and a warning line when its index
    is damaged (then the build goes on without it: the entries are found by their keys)."""
    if folder is None:
        return {}, None
    try:
        payload, _ = _unseal(folder / CACHE_INDEX, "cache-index")
        index = json.loads(payload.decode("utf-8"))
    except (CacheEntryError, ValueError) as exc:
        return {}, f"{exc}; ignored"
    return ({str(k): str(v) for k, v in index.items()}, None) if isinstance(index, dict) else ({}, None)


def write_index(folder: Path, index: dict[str, str]) -> None:
    """Write the index of the cache `folder`."""
    text = json.dumps(index, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    write_atomic(folder / CACHE_INDEX, _sealed("cache-index", text.encode("utf-8")))


def write_entry(folder: Path, key: str, payload: dict) -> None:
    """Store a worker's result as a cache entry: the graph and the text as they are (text/ links to the
    text), then the record file, whose header holds the size and sha256 of all three; each file atomically,
    synced with the rest of the build (:func:`sync_folder`): a file torn by a crash fails its check and is
    extracted again."""
    meta = {"record": payload["record"], "graph": payload["graph"], "summary": payload["summary"]}
    turtle, text = payload["turtle"].encode("utf-8"), payload["text"].encode("utf-8")
    write_atomic(folder / f"{key}.ttl", turtle, durable=False)
    write_atomic(folder / f"{key}.txt", text, durable=False)
    record = (json.dumps(meta, ensure_ascii=False) + "\n").encode("utf-8")
    sealed = _sealed("cache-entry", record, {".ttl": turtle, ".txt": text})
    write_atomic(folder / f"{key}.json", sealed, durable=False)


def read_entry(folder: Path, key: str) -> dict:
    """The record line, graph IRI and summary of a cache entry (not its graph or text), after checking
    all three of its files against the record file's header; CacheEntryError names the first bad file."""
    payload, files = _unseal(folder / f"{key}.json", "cache-entry")
    for suffix in CACHE_SUFFIXES[1:]:
        path = folder / f"{key}{suffix}"
        try:
            data = path.read_bytes()
        except OSError as exc:
            reason = "missing" if isinstance(exc, FileNotFoundError) else f"unreadable ({exc.strerror or exc})"
            raise CacheEntryError(f"{path}: cache file {reason}") from None
        if not isinstance(files.get(suffix), list):
            raise CacheEntryError(f"{folder / f'{key}.json'}: cache file garbled (bad header)")
        _check(path, data, files[suffix])
    try:
        meta = json.loads(payload.decode("utf-8"))
    except ValueError:
        meta = None
    if not isinstance(meta, dict) or not {"record", "graph", "summary"} <= set(meta):
        raise CacheEntryError(f"{folder / f'{key}.json'}: cache file garbled (bad record)")
    return meta


def has_entry(folder: Path | None, key: str) -> bool:
    """Whether the cache `folder` holds any file of the entry `key` (:func:`read_entry` checks them)."""
    return folder is not None and any((folder / f"{key}{s}").exists() for s in CACHE_SUFFIXES)


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
