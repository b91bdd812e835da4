"""Build progress: one :class:`BuildProgress` event per document, and a tqdm bar that shows them, then the
steps after the documents (shared graphs, store, graph.trig, summary, views, publish), one line each."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

__all__ = ["BuildProgress", "ProgressBar"]


@dataclass(frozen=True)
class BuildProgress:
    """One document done, for `run_build(on_progress=…)`: `status` is extracted, reused, failed or skipped."""

    done: int
    total: int
    path: Path
    status: str
    problem: str | None = None


class ProgressBar:
    """An `on_progress` callback drawing a tqdm bar on `file` (default stderr): documents done, documents
    per second, failures, the last document; each document's problem is printed above the bar as a
    ``warning:`` line when it happens (and remembered in :attr:`shown`). :meth:`phase` (`run_build(on_phase=…)`)
    then closes the bar and shows each later step by name as it starts, and its time when it ends, so the
    seconds after the last document are never silent. Use it as a context manager."""

    BAR_FORMAT = "{n_fmt}/{total_fmt} |{bar:24}| {elapsed}<{remaining}, {rate_noinv_fmt}{postfix}"

    def __init__(self, *, file: TextIO | None = None) -> None:
        from tqdm import tqdm

        self.file = file or sys.stderr
        self.failed = 0
        self.shown: set[str] = set()
        # created now, so the rate counts from the start of the build; the total comes with the first document
        self._bar = tqdm(total=None, unit=" docs", file=self.file, bar_format=self.BAR_FORMAT, smoothing=0, delay=1e-3)
        self._phase: tuple[str, float] | None = None
        self._closed = False

    def __call__(self, p: BuildProgress) -> None:
        if p.problem:
            self.failed += p.status == "failed"
            self.shown.add(p.problem)
            self._bar.write(f"warning: {p.problem}", file=self.file)
        self._bar.total = p.total
        self._bar.set_postfix_str(f"{self.failed} failed  {p.path.name} ({p.status})", refresh=False)
        self._bar.update(1)

    def note(self, line: str) -> None:
        """Print ``note: line`` above the bar (a build waiting for another one, say)."""
        self._bar.write(f"note: {line}", file=self.file)

    def phase(self, name: str) -> None:
        """A step after the documents starts: ``name …`` (the bar closed first), ended by the next one's."""
        self._end_phase()
        self._close_bar()
        self.file.write(f"{name} … ")
        self.file.flush()
        self._phase = (name, time.monotonic())

    def _end_phase(self) -> None:
        if self._phase is not None:
            self.file.write(f"{time.monotonic() - self._phase[1]:.1f} s\n")
            self.file.flush()
            self._phase = None

    def _close_bar(self) -> None:
        if not self._closed:
            self._closed = True
            self._bar.leave = bool(self._bar.n)
            self._bar.close()

    def close(self) -> None:
        """Leave the bar's last state on its line (nothing when no document was done), and end the last step."""
        self._end_phase()
        self._close_bar()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
