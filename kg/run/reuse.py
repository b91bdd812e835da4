"""An incremental build's store: a copy of the previous build's Oxigraph store, changed graph by graph.

A build on Oxigraph leaves ``cache/store.json`` beside the cache entries (:class:`StoreManifest`): the
pipeline fingerprint and base IRI it was built with, every named graph of ``store/`` with a digest of what
it holds (a document's cache key, which hashes its path, bytes, base IRI and the pipeline; the sha256 of a
shared graph's Turtle), and the store's files with their sizes. The next incremental build with the same
fingerprint and base starts its staging store from a copy of that store (:func:`kg.graph.store.copy_store`:
hard links, milliseconds) and only removes the graphs whose digest changed or that are gone, and loads the
new ones: the same quads as a store built from scratch. Anything else (no manifest, another fingerprint or
base, a store whose files are not those the manifest lists, a copy that fails) starts from an empty store
and loads every graph, with a warning when something was damaged. So does a store grown to more than
:data:`MAX_GROWTH` times its size when it was last loaded whole (RocksDB keeps removed quads until it
compacts them away): an incremental build that reloads it now and then keeps out/ small.
"""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from kg.errors import one_line
from kg.graph.store import STORE_DIR, copy_store, store_files
from kg.run.cache import CACHE_DIR, CacheEntryError, read_sealed, write_sealed

__all__ = ["STORE_MANIFEST", "StoreManifest", "reuse_store", "text_digest"]

#: the manifest of a build's store, in its cache folder
STORE_MANIFEST = "store.json"
_KIND = "store-manifest"
_AGAIN = "every graph loaded again from the cache"
#: how much larger than when it was last loaded whole a store may grow before a build loads it whole again
MAX_GROWTH = 2.0


@dataclass(frozen=True)
class StoreManifest:
    """What a build's Oxigraph store holds: graph IRI -> digest (`graphs`), its files -> sizes (`files`), and
    its size in bytes when it was last loaded whole (`loaded`)."""

    fingerprint: str
    base: str
    graphs: dict[str, str]
    files: dict[str, int]
    loaded: int = 0

    def write(self, cache: Path) -> None:
        """Write it into the cache folder `cache` (synced with the rest of the build)."""
        data: dict[str, object] = {"fingerprint": self.fingerprint, "base": self.base, "loaded": self.loaded}
        data.update(graphs=self.graphs, files=self.files)
        text = json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
        write_sealed(cache / STORE_MANIFEST, _KIND, text.encode("utf-8"))

    @classmethod
    def read(cls, cache: Path) -> StoreManifest:
        """The manifest in the cache folder `cache`; CacheEntryError (one line naming the file) if damaged."""
        path = cache / STORE_MANIFEST
        try:
            data = json.loads(read_sealed(path, _KIND).decode("utf-8"))
            return cls(
                str(data["fingerprint"]),
                str(data["base"]),
                {str(k): str(v) for k, v in data["graphs"].items()},
                {str(k): int(v) for k, v in data["files"].items()},
                int(data["loaded"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise CacheEntryError(f"{path}: cache file garbled (bad record)") from None


def text_digest(text: str) -> str:
    """The digest of a shared graph's Turtle in the manifest."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reuse_store(out: Path, target: Path, *, fingerprint: str, base: str) -> tuple[dict[str, str], int, str | None]:
    """Copy the store of the build in `out` to the new folder `target` when it can be reused: its manifest is
    sound, of this `fingerprint` and `base`, and lists exactly the store's files, and the store has not grown
    past :data:`MAX_GROWTH`. Returns the graphs the copy holds (IRI -> digest; empty, and no copy, when it cannot
    be reused), the store's size when it was last loaded whole, and a warning line when the store or its
    manifest was damaged. A full disk raises (the build stops on it as on any write)."""
    cache, store = out / CACHE_DIR, out / STORE_DIR
    if not (cache / STORE_MANIFEST).exists():
        return {}, 0, None  # a store of a build before this one, or a build on rdflib's memory store
    try:
        manifest = StoreManifest.read(cache)
    except CacheEntryError as exc:
        return {}, 0, f"{exc}; {_AGAIN}"
    if manifest.fingerprint != fingerprint or manifest.base != base:
        return {}, 0, None  # another pipeline or base IRI: every document is extracted again anyway
    if not store.is_dir():
        return {}, 0, f"{store}: missing; {_AGAIN}"
    try:
        files = store_files(store)
    except OSError as exc:
        return {}, 0, f"{store}: unreadable ({exc.strerror or exc}); {_AGAIN}"
    if files != manifest.files:
        names = sorted(set(files) ^ set(manifest.files)) or [n for n in sorted(files) if files[n] != manifest.files[n]]
        return {}, 0, f"{store}: not as the previous build left it ({names[0]} differs); {_AGAIN}"
    if sum(files.values()) > MAX_GROWTH * manifest.loaded:
        return {}, 0, None  # grown with what it removed: loaded whole again, to its first size
    try:
        copy_store(store, target)
    except (OSError, RuntimeError, ValueError) as exc:  # pyoxigraph: OSError for RocksDB's errors
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise
        shutil.rmtree(target, ignore_errors=True)
        return {}, 0, f"{store}: cannot be copied ({one_line(exc)}); {_AGAIN}"
    return dict(manifest.graphs), manifest.loaded, None
