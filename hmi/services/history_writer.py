"""Batched history writer: commits by size or time, acknowledges only after the commit, and
survives a database outage without losing a reading.

While the database is unreachable, rows wait in a bounded in-memory backlog (unacknowledged, so
the broker still holds them); past the bound the oldest rows are spilled to a local file, fsynced,
and only then acknowledged. When the database returns, the spill file is flushed first, then the
backlog, in arrival order. Writes are idempotent on (sensor, ts), so a retry never doubles a row.

Rows arrive in chunks (`add_chunk`: the rows of many messages and their acknowledgements, as tuples
or, from the ingest pipeline, as a `RowBlock`); a chunk is committed, spilled and acknowledged as a
whole, so a message's acknowledgement is settled once, after all of its rows are durable. A commit
takes whole chunks: at least `batch_rows` rows when that many wait (or whatever came within
`batch_seconds`), and everything waiting up to `max_commit_rows` when the writer is behind:
SQLite writes 1,000 interleaved sensors about three times faster in 50,000-row transactions than
in 5,000-row ones, so a backlog drains faster the bigger it is.
"""

from __future__ import annotations

import logging
import os
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from hmi.storage.history import HistoryConnection, Row, RowBlock, write_rows

log = logging.getLogger(__name__)
Ack = Callable[[], None]
_REC = struct.Struct("<iddd?b")  # sensor_id, ts, value, raw, raw_is_null, quality (value NaN = NULL)
Chunk = list[Row] | RowBlock


class HistoryWriter:
    def __init__(
        self,
        engine: Engine,
        *,
        batch_rows: int = 5000,
        max_commit_rows: int = 50_000,
        batch_seconds: float = 0.2,
        max_backlog_rows: int = 200_000,
        spill_path: Path | None = None,
        retry_seconds: float = 1.0,
        idle_gap: float = 0.02,
        on_stored: Callable[[int], None] | None = None,
        writer: Callable[[Engine | HistoryConnection, list[Row] | RowBlock], int] = write_rows,
    ) -> None:
        # The writer's own connection, kept between commits: SQLite prepares the big INSERTs once.
        self._target = HistoryConnection(engine)
        self._batch_rows = batch_rows
        self._max_commit = max(batch_rows, max_commit_rows)
        self._batch_seconds = batch_seconds
        self._max_backlog = max_backlog_rows
        self._spill_path = spill_path
        self._retry = retry_seconds
        self._idle_gap = idle_gap
        self._on_stored = on_stored
        self._write = writer
        self._cond = threading.Condition()
        self._pending: deque[tuple[Chunk, list[Ack]]] = deque()  # chunks: rows, their acks
        self._pending_rows = 0
        self._committing = False
        # Called on the writer thread when a commit is done and nothing else waits: the producer (the
        # ingest pipeline) hands over what it kept back while the commit ran.
        self.on_waiting: Callable[[], None] | None = None
        self._stop = False
        self._thread: threading.Thread | None = None
        self.db_ok = True
        self.last_error = ""
        self.spilled_rows = 0
        self.commits = 0

    # -- producer side (any thread) -------------------------------------------------------------
    def add_chunk(self, rows: Chunk, acks: list[Ack] | None = None) -> None:
        """Queue `rows` (handed over: not to be changed afterwards); every ack in `acks` is called once
        all of them are committed (or spilled to the local file)."""
        if not len(rows):
            settle(acks or [])
            return
        with self._cond:
            self._pending.append((rows, acks or []))
            self._pending_rows += len(rows)
            if self._pending_rows >= self._batch_rows or len(self._pending) == 1:
                # A full batch, or the first rows for a writer that may wait for any: it then lingers
                # only while more keep coming (`_linger`), not for the whole batch time.
                self._cond.notify()

    def add(self, rows: list[tuple[Row, Ack | None]]) -> None:
        """Rows each with its own acknowledgement (or None): one chunk."""
        self.add_chunk([r for r, _ in rows], [a for _, a in rows if a is not None])

    @property
    def waiting(self) -> bool:
        """True unless a commit is under way: what is added now goes into the next one. Read without the
        lock, as a hint (the ingest pipeline keeps rows grouped by sensor while the writer commits; a
        writer that lingers for a fuller batch is waiting, and gets them)."""
        return not self._committing

    @property
    def backlog(self) -> int:
        """Rows not yet in the database: in memory plus spilled to the local file."""
        with self._cond:
            return self._pending_rows + self.spilled_rows

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> None:
        if self._spill_path is not None and self._spill_path.exists():
            self.spilled_rows = self._spill_path.stat().st_size // _REC.size
        self._thread = threading.Thread(target=self._run, name="history-writer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> bool:
        """Flush what can be flushed, then stop. Returns True when nothing is left behind."""
        with self._cond:
            self._stop = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._pending:
            # The database never came back: keep the rows on disk rather than lose them.
            self._spill(self._pending_rows)
        return self.backlog == self.spilled_rows == 0

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything added so far is committed (for tests and shutdown)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.backlog == 0:
                return True
            with self._cond:
                self._cond.notify()
            time.sleep(0.01)
        return False

    # -- writer thread ------------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._target.prepare()
        except Exception as exc:  # noqa: BLE001 - the first commit reports a database that is down
            log.debug("history: statements not prepared ahead (%s)", type(exc).__name__)
        try:
            self._loop()
        finally:
            self._target.close()

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._committing = False
                self._linger()
                stopping = self._stop
                batch = self._take()
                self._committing = bool(batch)
            if self.spilled_rows and not self._flush_spill():
                if stopping:
                    return
                self._maybe_spill()
                continue
            if batch:
                rows = _join([chunk for chunk, _ in batch])
                if self._commit(rows):
                    with self._cond:
                        for _ in range(len(batch)):
                            self._pending.popleft()
                        self._pending_rows -= len(rows)
                    settle([ack for _, acks in batch for ack in acks])
                    if not self._pending and self.on_waiting is not None:
                        self.on_waiting()
                else:
                    self._maybe_spill()
                    if stopping:
                        return
                    continue
            if stopping and not self._pending:
                return

    def _take(self) -> list[tuple[Chunk, list[Ack]]]:
        """Whole chunks from the front (under the lock): up to `max_commit_rows` rows, at least one."""
        out = []
        n = 0
        for chunk in self._pending:
            if out and n + len(chunk[0]) > self._max_commit:
                break
            out.append(chunk)
            n += len(chunk[0])
        return out

    def _linger(self) -> None:
        """Wait for a fuller batch, but commit early when input pauses: a broker that limits
        unacknowledged messages in flight waits for our acks, so lingering would only add latency."""
        if self._stop:
            return
        if not self._pending:
            self._cond.wait(self._batch_seconds)
            if not self._pending:
                return
        started = time.monotonic()
        while not self._stop and self._pending_rows < self._batch_rows:
            if time.monotonic() - started >= self._batch_seconds:
                return
            before = self._pending_rows
            self._cond.wait(self._idle_gap)
            if self._pending_rows == before:
                return

    def _commit(self, rows: Chunk) -> bool:
        try:
            self._write(self._target, rows)
        except Exception as exc:  # noqa: BLE001 - any failure of the database: keep the rows, retry later
            if self.db_ok:
                log.error("history: database write failed, buffering (%s)", type(exc).__name__)
            self.db_ok = False
            self.last_error = type(exc).__name__
            time.sleep(self._retry)
            return False
        if not self.db_ok:
            log.warning("history: database back, flushing backlog of %d rows", self.backlog)
        self.db_ok = True
        self.last_error = ""
        self.commits += 1
        if self._on_stored is not None:
            self._on_stored(len(rows))
        return True

    # -- spill file -------------------------------------------------------------------------------
    def _maybe_spill(self) -> None:
        with self._cond:
            excess = self._pending_rows - self._max_backlog
        if excess > 0:
            self._spill(excess)

    def _spill(self, n: int) -> None:
        """Move the oldest whole chunks holding at least `n` rows to the spill file, then ack them."""
        if self._spill_path is None:
            return
        chunks = []
        with self._cond:
            taken = 0
            while self._pending and taken < n:
                chunk = self._pending.popleft()
                chunks.append(chunk)
                taken += len(chunk[0])
            self._pending_rows -= taken
        self._spill_path.parent.mkdir(parents=True, exist_ok=True)
        pack = _REC.pack
        with open(self._spill_path, "ab") as f:
            for rows, _ in chunks:
                f.write(b"".join(pack(sid, ts, _nan(v), _nan(raw), raw is None, q) for sid, ts, v, raw, q in rows))
            f.flush()
            os.fsync(f.fileno())
        self.spilled_rows += taken
        settle([ack for _, acks in chunks for ack in acks])  # durable on local disk: the broker may forget them
        log.warning("history: spilled %d rows to %s (database down)", taken, self._spill_path)

    def _flush_spill(self) -> bool:
        assert self._spill_path is not None
        data = self._spill_path.read_bytes()
        rows: list[Row] = []
        for sid, ts, value, raw, raw_null, q in _REC.iter_unpack(data[: len(data) - len(data) % _REC.size]):
            rows.append((sid, ts, None if value != value else value, None if raw_null else raw, q))
        for i in range(0, len(rows), self._batch_rows):
            if not self._commit(rows[i : i + self._batch_rows]):
                # Keep only what is not yet written: rewrite the file from the failed chunk on.
                tmp = self._spill_path.with_suffix(".tmp")
                tmp.write_bytes(data[i * _REC.size :])
                tmp.replace(self._spill_path)
                self.spilled_rows = len(rows) - i
                return False
        self._spill_path.unlink()
        self.spilled_rows = 0
        return True


def settle(acks: list[Ack]) -> None:
    """Call every acknowledgement in `acks`, in order. Consecutive ones of a kind that settles many at
    once (a `settle_many` static method: the MQTT driver's sends one write of PUBACKs for a run of one
    client's messages) go to it together: acknowledging each message on its own cost a wake-up of
    paho's network thread and a `send` apiece, each handing the GIL over mid-commit."""
    run: list[Ack] = []
    many = None
    for ack in acks:
        kind = getattr(ack, "settle_many", None)
        if run and kind is not many:
            many(run)  # type: ignore[misc]
            run = []
        if kind is None:
            ack()
        else:
            many = kind
            run.append(ack)
    if run:
        many(run)  # type: ignore[misc]


def _join(chunks: list[Chunk]) -> Chunk:
    """The rows of `chunks` as one: blocks merge into a block; anything else into tuples."""
    if len(chunks) == 1:
        return chunks[0]
    if all(type(c) is RowBlock for c in chunks):
        return RowBlock.merge(chunks)  # type: ignore[arg-type]
    return [r for chunk in chunks for r in chunk]


def _nan(v: float | None) -> float:
    return float("nan") if v is None else v
