"""Admission: who may run a query now, who waits, and who is told to come back (docs/decisions.md, D25).

- **Per client** (by address) at most `client_limit` queries are in the endpoint at once, waiting or
  running; one more is ``429 Too Many Requests`` with ``Retry-After``, before its query is even parsed.
- **The wait** for a free Oxigraph process is bounded: at most `queue_limit` queries wait; one more is
  ``503`` with ``Retry-After``, and so is a query that waited its whole deadline. A freed process goes to the
  waiting query whose client runs the fewest queries (then the oldest): a light client is served next,
  whoever else is queueing.
- **Two lanes.** A query that has no answer after `short` seconds leaves the short lane: it goes on only if
  one of the `long_slots` long lanes is free, else it is stopped (``503``, its process replaced) and its text
  remembered, so the same query asks for a long lane before it runs next time. At most `long_slots`
  processes are ever held by a query for longer than `short`, so the others free up within `short`
  seconds and a cheap query never waits behind a runaway for its whole timeout.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from kg.surface.serve.guard import Refused
from kg.surface.serve.upstream import Pool, Worker

__all__ = ["Admission", "Lease"]

_HEAVY_MEMORY = 1000  # texts of queries that outgrew the short lane, remembered


@dataclass
class Lease:
    """A worker lent to one query; `long` says whether it holds a long lane."""

    worker: Worker
    client: str
    key: str
    long: bool = False
    _admission: Admission | None = field(default=None, repr=False)

    def at_checkpoint(self) -> bool:
        """The query outgrew the short lane: take a long lane if one is free (True), else it is shed."""
        assert self._admission is not None
        if self.long:
            return True
        self.long = self._admission.take_long(self.key)
        return self.long


class Admission:
    """Per-client limits, a bounded fair wait for the pool's processes, and the long lanes."""

    def __init__(self, pool: Pool, *, client_limit: int, queue_limit: int, long_slots: int, short: float):
        self.pool, self.client_limit, self.queue_limit = pool, client_limit, queue_limit
        self.long_slots, self.short = long_slots, short
        self.inflight: Counter[str] = Counter()  # client -> queries in the endpoint (waiting or running)
        self.running: Counter[str] = Counter()  # client -> queries holding a worker
        self.long_running = 0
        self.heavy: OrderedDict[str, None] = OrderedDict()
        self._waiting: dict[int, tuple[str, float]] = {}  # ticket -> (client, arrival)
        self._tickets = itertools.count()
        self._lock = threading.Lock()

    @contextmanager
    def client(self, client: str) -> Iterator[None]:
        """Count one query of `client` for as long as the block runs; 429 past the client's limit."""
        with self._lock:
            if self.inflight[client] >= self.client_limit:
                raise Refused(
                    429,
                    f"too many queries at once from {client} (at most {self.client_limit}); retry shortly",
                    {"Retry-After": "1"},
                )
            self.inflight[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self.inflight[client] -= 1
                if not self.inflight[client]:
                    del self.inflight[client]

    @staticmethod
    def key(text: str) -> str:
        return hashlib.blake2b(" ".join(text.split()).encode("utf-8"), digest_size=16).hexdigest()

    def take_long(self, key: str) -> bool:
        """A long lane for the query with `key`, if one is free; the key is remembered as heavy either way."""
        with self._lock:
            self.heavy[key] = None
            self.heavy.move_to_end(key)
            while len(self.heavy) > _HEAVY_MEMORY:
                self.heavy.popitem(last=False)
            if self.long_running >= self.long_slots:
                return False
            self.long_running += 1
            return True

    def busy(self, why: str) -> Refused:
        retry = max(1, round(self.short * 2))
        return Refused(503, f"the endpoint is busy ({why}); retry in {retry} s", {"Retry-After": str(retry)})

    @contextmanager
    def lease(self, client: str, text: str, deadline: float) -> Iterator[Lease]:
        """Wait (fairly, until `deadline`) for a worker for `client`'s query `text`; 503 when the wait is full."""
        key = self.key(text)
        long = False
        if key in self.heavy:  # it outgrew the short lane before: it runs only in a long lane
            if not self.take_long(key):
                raise self.busy(f"all {self.long_slots} lanes for long queries are taken")
            long = True
        try:
            worker = self._wait(client, deadline)
        except BaseException:
            if long:
                self._end_long()
            raise
        lease = Lease(worker, client, key, long, self)
        try:
            yield lease
        finally:
            with self.pool.cond:
                self.running[client] -= 1
                if not self.running[client]:
                    del self.running[client]
            if lease.long:
                self._end_long()

    def _end_long(self) -> None:
        with self._lock:
            self.long_running -= 1

    def _next(self) -> int | None:
        """The waiting ticket served next: the client running the fewest queries, then the oldest."""
        if not self._waiting:
            return None
        return min(self._waiting, key=lambda t: (self.running[self._waiting[t][0]], self._waiting[t][1], t))

    def _wait(self, client: str, deadline: float) -> Worker:
        cond = self.pool.cond
        with cond:
            if len(self._waiting) >= self.queue_limit and not self.pool.idle:
                raise self.busy(f"{len(self._waiting)} queries are waiting")
            ticket = next(self._tickets)
            self._waiting[ticket] = (client, time.monotonic())
            try:
                while not (self.pool.idle and self._next() == ticket):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise self.busy("no query engine was free before the deadline")
                    cond.wait(remaining)
                worker = self.pool.idle.pop()
                self.running[client] += 1
                return worker
            finally:
                del self._waiting[ticket]
                cond.notify_all()
