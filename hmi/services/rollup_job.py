"""The rollup job: keeps `rollup_minute` and `rollup_hour` up to date and applies retention, on its own
thread (never the GUI's).

Incremental: each run rolls up the minutes from the minute watermark to `now - lag` (whole minutes),
then the whole hours those minutes complete, committing the rollups and the new watermark together in
chunks, so a stop or a crash loses no more than the chunk in progress. Idempotent: every bucket is
an upsert of an aggregate over the source rows, so computing a range again only folds in rows that
arrived late. Late rows are caught three ways: each run recomputes the last `lookback` seconds before
the watermark; rows the history writer commits are reported through `note_written` (wrap the writer
with `tracking_writer`), which marks older minutes for recomputation; and `rebuild(since)` asks for a
time explicitly (e.g. after importing old data).

Retention (`Retention`: days per store) runs every `prune_every` seconds: raw rows are deleted only
once rolled up into minutes, minutes only once rolled up into hours.

Where to run it: in the process that ingests, i.e. `millwatch collect` for a shared PostgreSQL
database and the app itself on a single workstation with SQLite. Running two against one database is
safe (upserts) but wasteful.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine

from hmi.storage.history import HistoryConnection, Row, RowBlock, write_rows
from hmi.storage.rollups import (
    HOUR,
    HOUR_STORE,
    MINUTE,
    MINUTE_STORE,
    RAW,
    Retention,
    earliest,
    prune,
    read_state,
    roll_hours,
    roll_minutes,
)

log = logging.getLogger(__name__)
Writer = Callable[[Engine | HistoryConnection, list[Row] | RowBlock], int]


@dataclass(frozen=True, slots=True)
class RollupReport:
    minute_buckets: int = 0
    hour_buckets: int = 0
    minute_watermark: float | None = None
    hour_watermark: float | None = None
    pruned: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    complete: bool = True  # False when stopped part-way (the watermarks say how far it got)


def _floor(t: float, width: int) -> float:
    return math.floor(t / width) * width


class RollupJob:
    """`run_once(now)` does one pass (tests call it directly); `start()` runs a pass every `interval`
    seconds on a daemon thread until `stop()`."""

    def __init__(
        self,
        engine: Engine,
        *,
        retention: Retention | Callable[[], Retention] | None = None,
        interval: float = 60.0,
        lag: float = 60.0,
        lookback: float = 240.0,
        chunk: float = 3600.0,
        prune_every: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if chunk < HOUR or chunk % MINUTE:
            raise ValueError("chunk must be a whole number of minutes, at least an hour")
        self._engine = engine
        # A callable (the site setting, read on every pruning pass) or a fixed Retention.
        self._retention_source = retention if callable(retention) else None
        self.retention = Retention() if retention is None or callable(retention) else retention
        self._interval = interval
        self._lag = lag
        self._lookback = lookback
        self._chunk = chunk
        self._prune_every = prune_every
        self._clock = clock
        self._lock = threading.Lock()
        self._dirty_from: float | None = None
        self._minute_watermark: float | None = None  # last known, for note_written
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._run_lock = threading.Lock()  # one pass at a time (thread and direct calls)
        self._last_prune = -math.inf
        self.last_report: RollupReport | None = None
        self.last_error = ""
        self.runs = 0

    # -- late data ------------------------------------------------------------------------------------
    def note_written(self, rows: Sequence[Row] | RowBlock) -> None:
        """Rows were committed (any thread): minutes already rolled up that they fall in get redone."""
        if not rows:
            return
        wm = self._minute_watermark
        if wm is None:
            return
        oldest = rows.oldest_ts() if isinstance(rows, RowBlock) else min(r[1] for r in rows)
        if oldest is None:
            return
        if oldest < wm:
            self.rebuild(oldest)

    def rebuild(self, since: float) -> None:
        """Have the next pass recompute the rollups from `since` on."""
        with self._lock:
            self._dirty_from = since if self._dirty_from is None else min(self._dirty_from, since)

    def tracking_writer(self, write: Writer = write_rows) -> Writer:
        """`write` (the HistoryWriter's `writer=`) that also reports what it committed to `note_written`."""

        def writer(engine: Engine | HistoryConnection, rows: list[Row] | RowBlock) -> int:
            n = write(engine, rows)
            self.note_written(rows)
            return n

        return writer

    # -- one pass -----------------------------------------------------------------------------------------
    def run_once(self, now: float | None = None) -> RollupReport:
        with self._run_lock:
            return self._run(self._clock() if now is None else now)

    def _run(self, now: float) -> RollupReport:
        started = time.monotonic()
        engine = self._engine
        state = read_state(engine)
        with self._lock:
            dirty, self._dirty_from = self._dirty_from, None
        minutes = hours = 0
        complete = True

        # minutes from raw rows
        target = _floor(now - self._lag, MINUTE)
        wm = state.minute.watermark
        if wm is None:
            first = earliest(engine, RAW)
            start = None if first is None else _floor(first, MINUTE)
        else:
            start = _floor(wm - self._lookback, MINUTE)
            if dirty is not None:
                start = min(start, _floor(dirty, MINUTE))
        if start is not None and state.raw.horizon is not None:
            start = max(start, math.ceil(state.raw.horizon / MINUTE) * MINUTE)  # never redo pruned minutes
        minute_from = start
        if start is not None:
            a = start
            while a < target:
                if self._stop.is_set():
                    complete = False
                    break
                b = min(a + self._chunk, target)
                minutes += roll_minutes(engine, a, b)
                a = b
            if a > (wm or -math.inf):
                wm = a
        self._minute_watermark = wm

        # hours from minute rollups: the whole hours the minute watermark completes
        if wm is not None and complete:
            target_h = _floor(wm, HOUR)
            wm_h = state.hour.watermark
            if wm_h is None:
                first = earliest(engine, MINUTE_STORE)
                start_h = None if first is None else _floor(first, HOUR)
            else:
                start_h = wm_h
                if minute_from is not None:
                    start_h = min(start_h, _floor(minute_from, HOUR))
            if start_h is not None and state.minute.horizon is not None:
                start_h = max(start_h, math.ceil(state.minute.horizon / HOUR) * HOUR)
            if start_h is not None:
                a = start_h
                while a < target_h:
                    if self._stop.is_set():
                        complete = False
                        break
                    b = min(a + 24 * HOUR, target_h)
                    hours += roll_hours(engine, a, b)
                    a = b

        pruned: dict[str, int] = {}
        if complete and now - self._last_prune >= self._prune_every:
            pruned = self.prune(now)
        final = read_state(engine)
        report = RollupReport(
            minute_buckets=minutes,
            hour_buckets=hours,
            minute_watermark=final.minute.watermark,
            hour_watermark=final.hour.watermark,
            pruned=pruned,
            seconds=time.monotonic() - started,
            complete=complete,
        )
        self.last_report = report
        self.runs += 1
        return report

    def prune(self, now: float) -> dict[str, int]:
        """Apply the retention: rows deleted per store."""
        self._last_prune = now
        out: dict[str, int] = {}
        if self._retention_source is not None:
            self.retention = self._retention_source()  # changed on any workstation: applied here
        cutoffs = self.retention.cutoffs(now, read_state(self._engine))
        for store in (HOUR_STORE, MINUTE_STORE, RAW):
            cutoff = cutoffs[store]
            if cutoff is not None:
                out[store] = prune(self._engine, store, cutoff)
        if any(out.values()):
            log.info("retention: deleted %s", ", ".join(f"{n} {s}" for s, n in out.items() if n))
        return out

    # -- thread -------------------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="rollup-job", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop after the chunk in progress; True when the thread ended within `timeout`."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
                self.last_error = ""
            except Exception as exc:  # noqa: BLE001 - the database may be down: try again next interval
                if not self.last_error:
                    log.error("rollups: pass failed (%s: %s)", type(exc).__name__, exc)
                self.last_error = type(exc).__name__
            self._stop.wait(self._interval)
