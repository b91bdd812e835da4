"""The corpus walk: the supported documents under a folder, and a note for every entry passed over."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kg.ingest.source import SUPPORTED_SUFFIXES, file_kind

__all__ = ["discover_files"]


def discover_files(corpus: Path) -> tuple[list[Path], list[str]]:
    """Supported documents under `corpus` (sorted), and a note for every file passed over.

    Hidden files and folders are left out; symbolic links are followed, each folder visited once.
    """
    files, skipped = [], []
    seen_dirs: set[tuple[int, int]] = set()

    def unreadable_folder(exc: OSError) -> None:
        skipped.append(f"{exc.filename}: cannot read the folder ({exc.strerror or exc}); skipped")

    for root, dirs, names in os.walk(corpus, followlinks=True, onerror=unreadable_folder):
        st = os.stat(root)
        if (st.st_dev, st.st_ino) in seen_dirs:
            skipped.append(f"{root}: directory visited twice (symlink loop); skipped")
            dirs[:] = []
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if name.startswith("."):
                continue
            try:  # never hand a pipe, a device or a broken link to the reader: a FIFO blocks for ever
                mode = os.stat(path).st_mode
            except OSError as exc:
                target = f" to {os.readlink(path)}" if os.path.islink(path) else ""
                skipped.append(f"{path}: broken symbolic link{target} ({exc.strerror or exc}); skipped")
                continue
            if not stat.S_ISREG(mode):
                skipped.append(f"{path}: not a regular file ({file_kind(mode)}); skipped")
            elif path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                skipped.append(f"{path}: unsupported file type {path.suffix or '(none)'}; skipped")
    return sorted(files), skipped
