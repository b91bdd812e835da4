"""Faults around a build: a damaged cache, two builds at once, a full disk and write errors.

Every fault is tried on a real `kg build` (in-process through click's runner, or as a process) over a
previous `out/`. What must hold: one line on stderr (a warning for a fault that is repaired, an
``error: [E6xx]`` line for one that stops the build), no traceback, the previous `out/` untouched when the
build stops, no staging leftovers, and the next clean build byte-identical to a build that never saw the
fault (sha256 of graph.trig, extract.jsonl and summary.json). The tables of
docs/reliability.md (sections cache, lock and disk) are written from these tests.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, ROOT
from reliability_doc import markdown_table, write_section

import kg.run.build
import kg.run.cache
import kg.run.outputs
import kg.run.workspace
from kg.cli import main
from kg.errors import BuildError
from kg.graph.store import GraphLoader
from kg.run.cache import CacheEntryError, read_entry, read_index, write_entry
from kg.run.lock import build_lock, lock_path

OUTPUTS = ("graph.trig", "extract.jsonl", "summary.json")
PREV = ("003_84884fd58ce8b034.txt",)
NEXT = ("000_ca660b9881810a2f.txt", "003_84884fd58ce8b034.txt")
ROWS: dict[str, dict[str, list]] = {"cache": {}, "lock": {}, "disk": {}}


def corpus_of(folder: Path, names: tuple[str, ...]) -> Path:
    folder.mkdir(parents=True)
    for name in names:
        shutil.copyfile(CORPUS / name, folder / name)
    return folder


def hashes(out: Path) -> dict[str, str]:
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in OUTPUTS}


def kg_build(corpus: Path, out: Path, *extra: str):
    return CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--jobs", "1", *extra])


def leftovers(out: Path) -> list[str]:
    """Whatever a build leaves beside `out/` (staging, old copies, its lock) or inside it (temporary files)."""
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    inside = [str(p) for p in out.rglob("*.tmp-*")] if out.exists() else []
    return sorted(beside + inside)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The corpora, a clean build of NEXT (what every build after a fault must equal) and a build of PREV
    (the previous out/ that a fault meets)."""
    root = tmp_path_factory.mktemp("faults")
    prev, nxt = corpus_of(root / "prev", PREV), corpus_of(root / "next", NEXT)
    clean, previous = root / "clean" / "out", root / "previous" / "out"
    for corpus, out in ((nxt, clean), (prev, previous)):
        result = kg_build(corpus, out)
        assert result.exit_code == 0, result.output
    reference = {"reference": hashes(clean), "quads": store_quads(clean)}
    return {"prev": prev, "next": nxt, "clean": clean, "previous": previous, **reference}


def store_quads(out: Path) -> bytes:
    """The quads of out/store/ as sorted N-Quads (what an incremental build must leave, as a clean one does)."""
    from pyoxigraph import RdfFormat, Store, serialize

    data = serialize(Store.read_only(str(out / "store")), format=RdfFormat.N_QUADS) or b""
    return b"\n".join(sorted(data.splitlines()))


def copy_out(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst


def write_table(kind: str, expected: int, header: list[str], intro: str) -> None:
    rows = ROWS[kind]
    if len(rows) == expected:  # only a complete run rewrites the table
        write_section(kind, intro + "\n\n" + markdown_table(header, [rows[k] for k in sorted(rows)]))


# ---------------------------------------------------------------- the cache, file by file


def test_an_entry_is_checked_on_read_and_names_the_bad_file(tmp_path):
    payload = {"record": '{"a": 1}', "graph": "urn:g", "summary": {"x": 1}, "turtle": "<a> <b> <c> .\n", "text": "文"}
    write_entry(tmp_path, "k", payload)
    assert read_entry(tmp_path, "k") == {"record": '{"a": 1}', "graph": "urn:g", "summary": {"x": 1}}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.json", "k.ttl", "k.txt"]  # no temporary file left
    for damage, path, reason in [
        (lambda: (tmp_path / "k.ttl").write_bytes(b"<a> <b>"), "k.ttl", "truncated"),
        (lambda: (tmp_path / "k.txt").write_bytes("字".encode()), "k.txt", "garbled"),
        (lambda: (tmp_path / "k.txt").unlink(), "k.txt", "missing"),
        (lambda: (tmp_path / "k.json").write_bytes(b"\xff\xfe garbage"), "k.json", "not a cache file"),
    ]:
        write_entry(tmp_path, "k", payload)
        damage()
        with pytest.raises(CacheEntryError) as info:
            read_entry(tmp_path, "k")
        message = str(info.value)
        assert message.startswith(str(tmp_path / path) + ": ") and reason in message and "\n" not in message
    write_entry(tmp_path, "k", payload)
    head, _, body = (tmp_path / "k.json").read_bytes().partition(b"\n")
    header = json.loads(head)
    assert header["format"] == "unionkg-cache-entry" and header["files"][".ttl"][0] == len(payload["turtle"])
    (tmp_path / "k.json").write_bytes(json.dumps({**header, "version": 1}).encode() + b"\n" + body)
    with pytest.raises(CacheEntryError, match=r"another format .*version 1"):
        read_entry(tmp_path, "k")
    (tmp_path / "index.json").write_text("{not json", encoding="utf-8")
    index, warning = read_index(tmp_path)
    assert index == {} and warning and warning.startswith(str(tmp_path / "index.json"))


def _entry(out: Path, suffix: str) -> Path:
    """The cache file of 000_… (the document the previous build also has: 003_… is its first entry)."""
    index, _ = read_index(out / "cache")
    (key,) = [k for p, k in index.items() if p.endswith("000_ca660b9881810a2f.txt")]
    return out / "cache" / f"{key}{suffix}"


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garble(path: Path) -> None:  # the same size, one byte changed in the middle (in place: text/ links to it)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    with open(path, "r+b") as fh:
        fh.write(bytes(data))


def _foreign(path: Path) -> None:
    head, _, body = path.read_bytes().partition(b"\n")
    path.write_bytes(json.dumps({**json.loads(head), "version": 99}).encode() + b"\n" + body)


def _old_format(path: Path) -> None:  # what version 1 of the cache wrote: the record line without a header
    path.write_bytes(path.read_bytes().partition(b"\n")[2])


def _missing_entry(out: Path) -> Path:
    for suffix in (".json", ".ttl", ".txt"):
        _entry(out, suffix).unlink()
    return _entry(out, ".json")


CACHE_FAULTS = {  # name -> (what is done, the file the warning must name, its reason)
    "record file missing": (lambda out: _entry(out, ".json").unlink(), ".json", "missing"),
    "graph file missing": (lambda out: _entry(out, ".ttl").unlink(), ".ttl", "missing"),
    "text file missing": (lambda out: _entry(out, ".txt").unlink(), ".txt", "missing"),
    "whole entry missing (index lists it)": (_missing_entry, ".json", "cache entry missing"),
    "record file truncated": (lambda out: _truncate(_entry(out, ".json")), ".json", "truncated"),
    "graph file truncated": (lambda out: _truncate(_entry(out, ".ttl")), ".ttl", "truncated"),
    "text file: one byte flipped": (lambda out: _garble(_entry(out, ".txt")), ".txt", "garbled"),
    "graph file: one byte flipped": (lambda out: _garble(_entry(out, ".ttl")), ".ttl", "garbled"),
    "record file: random bytes": (lambda out: _entry(out, ".json").write_bytes(os.urandom(512)), ".json", "not a"),
    "record file: another format version": (lambda out: _foreign(_entry(out, ".json")), ".json", "another format"),
    "record file: version 1 (no header)": (lambda out: _old_format(_entry(out, ".json")), ".json", "not a cache"),
    "index garbled": (lambda out: (out / "cache" / "index.json").write_bytes(b"\x00" * 40), "index.json", "not a"),
    "store manifest garbled": (lambda out: _garble(out / "cache" / "store.json"), "/cache/store.json", "garbled"),
    "store: a file removed": (lambda out: _largest(out / "store").unlink(), "/store", "not as the previous build"),
    "store: a file truncated": (lambda out: _truncate(_largest(out / "store")), "/store", "not as the previous build"),
}


def _largest(folder: Path) -> Path:
    return max(sorted(folder.glob("*.sst")), key=lambda p: p.stat().st_size)


@pytest.mark.slow
@pytest.mark.parametrize("fault", sorted(CACHE_FAULTS))
def test_a_damaged_cache_is_rebuilt_with_one_warning_and_the_same_bytes(builds, tmp_path, fault):
    damage, suffix, reason = CACHE_FAULTS[fault]
    out = copy_out(builds["clean"], tmp_path / "out")
    named = out / "cache" / "index.json" if suffix == "index.json" else _entry(out, suffix)
    named = out / suffix[1:] if suffix.startswith("/") else named
    damage(out)
    result = kg_build(builds["next"], out)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning:")]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"warning: {named}: ") and reason in warnings[0], warnings[0]
    assert hashes(out) == builds["reference"] and store_quads(out) == builds["quads"]
    again = kg_build(builds["next"], out)  # and the cache is whole again: nothing extracted, nothing to say
    assert again.exit_code == 0 and "warning" not in again.stderr and "2 reused" in again.stdout, again.output
    assert hashes(out) == builds["reference"] and leftovers(out) == []
    assert store_quads(out) == builds["quads"]
    extracted = result.stdout.split("Store: ")[1].split(" documents extracted")[0].split("; ")[1]
    ROWS["cache"][fault] = [fault, f"`{warnings[0][9:].split(': ', 1)[1]}`", extracted, "yes"]
    write_table(
        "cache",
        len(CACHE_FAULTS),
        [
            "fault in out/cache/",
            "the one warning line (after the file name)",
            "documents extracted again",
            "same bytes",
        ],
        "A clean build of two documents, one file of its cache damaged, then `kg build` again "
        "(tests/run/test_faults.py). Each time: exit 0, one warning naming the file, no traceback, graph.trig, "
        "extract.jsonl, summary.json and the store's quads byte-identical to the clean build, and the build after "
        "it reuses both documents (and the store) without a word. A damaged store or store manifest is not "
        "used: the store is loaded again from the cache.",
    )


# ---------------------------------------------------------------- one build at a time


def test_a_second_build_refuses_with_one_line_naming_the_lock_and_its_pid(builds, tmp_path):
    out = copy_out(builds["previous"], tmp_path / "out")
    before = hashes(out)
    with build_lock(out):
        owner = json.loads(lock_path(out).read_text(encoding="utf-8"))
        assert owner["pid"] == os.getpid() and owner["host"] and owner["started"]
        result = kg_build(builds["next"], out)
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: [E601] {lock_path(out)}: another build (pid {os.getpid()} on "), line
    assert "--wait" in line
    assert hashes(out) == before and not lock_path(out).exists()
    ROWS["lock"]["a second build while one runs"] = [
        "a second build while one runs",
        f"`{_shown(line, out)}`",
        "exit 1",
    ]


def test_waiting_for_the_lock_gives_up_after_its_time(tmp_path):
    out = tmp_path / "out"
    messages: list[str] = []
    with build_lock(out):
        start = time.monotonic()
        with pytest.raises(BuildError) as info, build_lock(out, wait=0.3, on_wait=messages.append):
            pass
        assert 0.3 <= time.monotonic() - start < 3
    assert info.value.code == "E602" and f"pid {os.getpid()}" in str(info.value)
    assert len(messages) == 1 and "waiting for it to finish" in messages[0]
    with build_lock(out, wait=0.3) as notes:  # free again: taken at once, nothing to say
        assert notes == []


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.slow
def test_a_stale_lock_is_taken_over_with_a_warning(builds, tmp_path):
    out = copy_out(builds["previous"], tmp_path / "out")
    pid = dead_pid()
    lock_path(out).write_text(json.dumps({"pid": pid, "host": os.uname().nodename, "started": "x"}), encoding="utf-8")
    result = kg_build(builds["next"], out)
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning:")]
    assert warnings == [f"warning: {lock_path(out)}: took over the stale lock of pid {pid} on {os.uname().nodename} "
                        "(started x; no longer running)"]  # fmt: skip
    assert hashes(out) == builds["reference"] and leftovers(out) == []
    ROWS["lock"]["a stale lock (its pid is dead)"] = [
        "a stale lock (its pid is dead)",
        f"`{_shown(warnings[0], out)}`",
        "exit 0",
    ]


@pytest.mark.slow
def test_two_builds_at_once_the_second_refuses_or_waits(builds, tmp_path):
    """Two real `kg build` processes on one out/: the second refuses, naming the first's pid; with --wait it
    says it waits, and builds once the first is done. A first build killed with SIGKILL leaves a stale lock,
    which the next build takes over."""
    out = copy_out(builds["previous"], tmp_path / "out")
    cmd = [sys.executable, "-m", "kg.cli", "build", str(builds["next"]), "--out", str(out), "--jobs", "1", "--clean"]

    def started() -> subprocess.Popen:
        first = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not (lock_path(out).exists() and lock_path(out).read_text(encoding="utf-8").strip()):
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.02)
        return first

    first = started()
    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert second.returncode == 1 and "Traceback" not in second.stderr
    assert second.stderr.splitlines()[-1].startswith(f"error: [E601] {lock_path(out)}: another build (pid {first.pid}")
    waiter = subprocess.Popen([*cmd, "--wait"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert first.wait(timeout=120) == 0
    _, stderr = waiter.communicate(timeout=120)
    assert waiter.returncode == 0 and "Traceback" not in stderr, stderr
    waited = [ln for ln in stderr.splitlines() if "waiting for it to finish" in ln]
    # the waiter found the lock taken (it says so once) unless the first build had already finished
    assert len(waited) <= 1 and all(ln.startswith(f"note: {lock_path(out)}: another build") for ln in waited)
    assert hashes(out) == builds["reference"] and leftovers(out) == []
    killed = started()
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert lock_path(out).exists()
    after = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert after.returncode == 0, after.stderr
    assert f"took over the stale lock of pid {killed.pid}" in after.stderr
    assert hashes(out) == builds["reference"] and leftovers(out) == []
    ROWS["lock"]["two `kg build` processes at once"] = [
        "two `kg build` processes at once",
        "the second: `error: [E601] …`; with `--wait`: "
        + (f"`{_shown(waited[0], out)}`, then builds" if waited else "built after the first"),
        "exit 1 / exit 0",
    ]
    ROWS["lock"]["a build killed (SIGKILL) holding the lock"] = [
        "a build killed (SIGKILL) holding the lock",
        "the next build: `warning: … took over the stale lock of pid …`",
        "exit 0",
    ]
    write_table(
        "lock",
        4,
        ["case", "what the user sees", "exit"],
        "The lock is `.out.lock` beside `out/`, flock()ed by its owner and holding its pid, host and start "
        "time (`kg.run.lock`); out/ is staged and swapped whole, so a refused or waiting build never touches it. "
        "After each case below, out/ is byte-identical to a clean build.",
    )


# ---------------------------------------------------------------- a full disk, write errors


def _enospc(path: object = None) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), *([str(path)] if path is not None else []))


class _FullFile:
    """A file object whose writes fail with ENOSPC (and no file name) once `budget` characters (or bytes) are
    written."""

    def __init__(self, fh, budget: int) -> None:
        self.fh, self.budget = fh, budget

    def write(self, text: str) -> int:
        self.budget -= len(text)
        if self.budget < 0:
            raise _enospc()
        return self.fh.write(text)

    def __getattr__(self, name):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()


def _full_open(name: str, budget: int = 1000):
    """An open() whose files named `name` (or with `name` in their name) fill the disk after `budget` writes."""

    def fake(path, *args, **kwargs):
        fh = open(path, *args, **kwargs)
        return _FullFile(fh, budget) if name in Path(path).name else fh

    return fake


def _fsync_fails_for(pattern: str):
    real = os.fsync

    def fake(fd: int) -> None:
        if pattern in os.readlink(f"/proc/self/fd/{fd}"):
            raise _enospc()
        real(fd)

    return fake


def _raise(code: int, arg: int | str | None = None):
    """A replacement that raises OSError(`code`) naming its argument `arg` (a position or a keyword), or nothing."""

    def fake(*args, **kwargs):
        name = kwargs.get(arg) if isinstance(arg, str) else args[arg] if isinstance(arg, int) else None
        raise OSError(code, os.strerror(code), *([str(name)] if name is not None else []))

    return fake


DISK_FAULTS = {  # name -> (install the fault, the file the error line must name (<out>: out/, <dir>: its folder), its code)
    "cache entry: write() of its graph file after 10,000 bytes": (
        lambda mp: mp.setattr(kg.run.cache, "open", _full_open(".ttl.tmp-", 10_000), raising=False),
        "<out>/cache/",
        "E603",
    ),
    "summary.json: fsync": (
        lambda mp: mp.setattr(os, "fsync", _fsync_fails_for("summary.json.tmp-")),
        "<out>/summary.json",
        "E603",
    ),
    "the sync before the swap (syncfs: EIO)": (
        lambda mp: mp.setattr(kg.run.build, "sync_folder", _raise(errno.EIO, 0)),
        "<out>:",
        "E604",
    ),
    "extract.jsonl: write() after 1,000 characters": (
        lambda mp: mp.setattr(kg.run.build, "open", _full_open("extract.jsonl"), raising=False),
        "<out>/extract.jsonl",
        "E603",
    ),
    "graph.trig: write() after 50,000 characters": (
        lambda mp: mp.setattr(kg.run.outputs, "open", _full_open("graph.trig", 50_000), raising=False),
        "<out>/graph.trig",
        "E603",
    ),
    "the store: loading a graph": (
        lambda mp: mp.setattr(GraphLoader, "add", _raise(errno.ENOSPC)),
        "<out>/store",
        "E603",
    ),
    "text/: linking a document's text": (
        lambda mp: mp.setattr(kg.run.build, "link_file", _raise(errno.ENOSPC)),
        "<out>/text/000_ca660b9881810a2f.txt",
        "E603",
    ),
    "summary.json: its atomic write": (
        lambda mp: mp.setattr(kg.run.build, "write_atomic", _raise(errno.ENOSPC, 0)),
        "<out>/summary.json",
        "E603",
    ),
    "views/ (after_build)": (
        lambda mp: mp.setattr("kg.cli.write_build_views", _raise(errno.ENOSPC)),
        "<out>/views",
        "E603",
    ),
    "the staging folder: mkdtemp": (
        lambda mp: mp.setattr(kg.run.workspace.tempfile, "mkdtemp", _raise(errno.ENOSPC, "dir")),
        "<dir>: no space",
        "E603",
    ),
    "the swap: rename fails (EIO)": (
        lambda mp: mp.setattr(kg.run.build, "publish", _raise(errno.EIO, 0)),
        "<out>:",
        "E604",
    ),
    "the lock file: read-only file system (EROFS)": (
        lambda mp: mp.setattr("kg.run.lock.os.open", _raise(errno.EROFS, 0)),
        "<dir>/.out.lock",
        "E604",
    ),
}


def _shown(line: str, out: Path) -> str:
    """An error line as the table shows it: the temporary folder and a cache key elided, the free space rounded."""
    line = line.replace(str(out.parent), "…")
    line = re.sub(r"[0-9a-f]{64}", "<key>", line)
    line = re.sub(r"pid \d+ on [^ ,]+", "pid <pid> on <host>", line)
    line = re.sub(r"started [0-9T:+-]+", "started <time>", line)
    return re.sub(r"[\d,.]+ MB free", "<n> MB free", line)


@pytest.mark.slow
@pytest.mark.parametrize("fault", sorted(DISK_FAULTS))
def test_a_write_error_anywhere_is_one_line_and_the_previous_out_stays(builds, tmp_path, monkeypatch, fault):
    install, named, code = DISK_FAULTS[fault]
    out = copy_out(builds["previous"], tmp_path / "out")
    before = hashes(out)
    with monkeypatch.context() as mp:
        install(mp)
        result = kg_build(builds["next"], out)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, result.stderr
    line = errors[0]
    assert (
        line.startswith(f"error: [{code}] ")
        and named.replace("<out>", str(out)).replace("<dir>", str(out.parent)) in line
    ), line
    if code == "E603":
        assert "no space left on the device (the build needs about " in line and " MB free)" in line, line
    assert hashes(out) == before and leftovers(out) == []
    from pyoxigraph import Store

    assert len(Store.read_only(str(out / "store"))) > 1000  # the previous store opens, whole
    clean = kg_build(builds["next"], out)
    assert clean.exit_code == 0 and hashes(out) == builds["reference"], clean.output
    ROWS["disk"][fault] = [fault, f"`{_shown(line[7:], out)}`", "yes", "yes", "yes"]
    _write_disk_table()


@pytest.mark.slow
def test_a_real_write_error_from_the_kernel(builds, tmp_path):
    """No injection: the build runs with a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored), so the kernel
    refuses a write (EFBIG) as it would a full disk; no root needed."""
    import resource

    out = copy_out(builds["previous"], tmp_path / "out")
    before = hashes(out)

    def limit() -> None:  # pragma: no cover - in the child
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    cmd = [sys.executable, "-m", "kg.cli", "build", str(builds["next"]), "--out", str(out), "--jobs", "1"]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, preexec_fn=limit)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    line = result.stderr.splitlines()[-1]
    assert line.startswith("error: [E604] ") and "File too large" in line, line
    assert f"{out}/cache/" in line  # names the file it was writing (the graph of the document extracted)
    assert hashes(out) == before and leftovers(out) == []
    clean = kg_build(builds["next"], out)
    assert clean.exit_code == 0 and hashes(out) == builds["reference"]
    ROWS["disk"]["the kernel refuses a write (RLIMIT_FSIZE 100 kB: EFBIG)"] = [
        "the kernel refuses a write (RLIMIT_FSIZE 100 kB: EFBIG)",
        f"`{_shown(line[7:], out)}`",
        "yes",
        "yes",
        "yes",
    ]
    _write_disk_table()


def _write_disk_table() -> None:
    write_table(
        "disk",
        len(DISK_FAULTS) + 1,
        [
            "where the write fails",
            "the one error line (exit 1)",
            "previous out/ intact",
            "no leftovers",
            "next build same bytes",
        ],
        "A build of two documents over the out/ of a previous build of one, with a write error injected "
        "(ENOSPC, EIO, EROFS raised where the build writes; tests/run/test_faults.py), and once a real one from the "
        "kernel. Each time: no traceback, the previous out/ byte-identical with its store opening, no staging "
        "folder, temporary file or lock left, and the next clean build byte-identical to one that never failed. "
        "The space needed is the previous build's size (or more than what was staged when it failed); the space "
        "free is `shutil.disk_usage`.",
    )
