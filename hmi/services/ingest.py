"""The ingest pipeline: driver samples -> calibrate -> quality/stale -> alarm hook -> history -> live.

Drivers call `submit` from their threads; it only enqueues, so nothing slow ever runs on a
driver's network thread. One worker thread does the rest in arrival order. Every sample is
accounted for: stored, or refused with a counted and (rate-limited) logged reason.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from hmi.core.domain import Quality, Reading, Sensor
from hmi.drivers.base import Sample
from hmi.services.counters import IngestCounters, RateLimitedLog
from hmi.services.history_writer import HistoryWriter
from hmi.storage.schema import QUALITY_CODES

log = logging.getLogger(__name__)
ReadingsSink = Callable[[list[Reading]], None]
AlarmHook = Callable[[Sensor, Reading], None]
EARLIEST_TS = 946684800.0  # 2000-01-01: anything older is a clock or decoding fault
FUTURE_SLACK = 300.0  # seconds a device clock may run ahead
STALE_INTERVALS = 3
MAX_DRAIN = 2000  # queue items merged into one batch at most


@dataclass(slots=True)
class _SensorState:
    sensor: Sensor
    sensor_id: int | None
    last_ts: float = 0.0
    last_arrival: float = 0.0
    stale: bool = False


class IngestPipeline:
    def __init__(
        self,
        sensors: list[Sensor],
        *,
        sensor_ids: dict[str, int] | None = None,
        writer: HistoryWriter | None = None,
        counters: IngestCounters | None = None,
        alarm_hook: AlarmHook | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        ids = sensor_ids or {}
        self._state = {s.eui: _SensorState(s, ids.get(s.eui)) for s in sensors if s.enabled}
        self._writer = writer
        self.counters = counters or IngestCounters()
        self._alarm_hook = alarm_hook
        self._listeners: list[ReadingsSink] = []
        self._stale_listeners: list[Callable[[list[str]], None]] = []
        self._tickers: list[Callable[[], None]] = []
        self._now = now
        self._queue: queue.SimpleQueue[list[Sample] | Callable[[], None] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._limited = RateLimitedLog(log)

    def add_listener(self, sink: ReadingsSink) -> None:
        """`sink` gets each processed batch on the pipeline thread: it must only hand off."""
        self._listeners.append(sink)

    def add_stale_listener(self, sink: Callable[[list[str]], None]) -> None:
        self._stale_listeners.append(sink)

    def add_ticker(self, fn: Callable[[], None]) -> None:
        """`fn` runs on the pipeline thread about once a second (alarm delays, retries, sync)."""
        self._tickers.append(fn)

    def set_alarm_hook(self, hook: AlarmHook) -> None:
        self._alarm_hook = hook

    # -- any thread ---------------------------------------------------------------------------------
    def submit(self, samples: list[Sample]) -> None:
        self._queue.put(samples)

    def submit_call(self, fn: Callable[[], None]) -> None:
        """Run `fn` on the pipeline thread, in order with the samples (mill status, production)."""
        self._queue.put(fn)

    def reject(self, reason: str, detail: str, key: str = "input") -> None:
        """For input that names no sample at all (a driver could not even decode it)."""
        self.counters.add_rejected(reason)
        self._limited.warning(key, reason, detail)

    # -- lifecycle ----------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="ingest", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(10)

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until the queue is processed (tests, shutdown)."""
        done = threading.Event()
        self._queue.put([Sample("", 0.0, None, reason="__marker__", ack=done.set)])
        return done.wait(timeout)

    # -- pipeline thread ----------------------------------------------------------------------------
    def _run(self) -> None:
        next_stale_check = time.monotonic() + 1.0
        while True:
            try:
                batch = self._queue.get(timeout=0.5)
            except queue.Empty:
                batch = []
            if batch is None:
                return
            # Under load, take everything already queued and process consecutive sample lists as
            # one batch: one wake-up, one writer hand-off and one listener call for many messages.
            pending: list[Sample] = []
            for _ in range(MAX_DRAIN):
                if callable(batch):
                    if pending:
                        self._process(pending)
                        pending = []
                    try:
                        batch()
                    except Exception:
                        log.exception("pipeline task failed")
                elif batch:
                    pending.extend(batch)
                try:
                    batch = self._queue.get_nowait()
                except queue.Empty:
                    break
                if batch is None:
                    if pending:
                        self._process(pending)
                    return
            if pending:
                self._process(pending)
            if time.monotonic() >= next_stale_check:
                next_stale_check = time.monotonic() + 1.0
                self._check_stale()
                for fn in self._tickers:
                    try:
                        fn()
                    except Exception:
                        log.exception("pipeline ticker failed")

    def _process(self, samples: list[Sample]) -> None:
        readings: list[Reading] = []
        rows = []
        now = self._now()
        self.counters.add_received(sum(1 for s in samples if s.reason != "__marker__"))
        for s in samples:
            if s.reason == "__marker__":
                if s.ack is not None:
                    s.ack()
                continue
            reading = self._judge(s, now)
            if reading is None:
                if s.ack is not None:
                    s.ack()  # refused for good: redelivery would be refused again
                continue
            st = self._state[s.eui]
            readings.append(reading)
            if self._alarm_hook is not None:
                try:
                    self._alarm_hook(st.sensor, reading)
                except Exception:
                    log.exception("alarm evaluation failed for %s", s.eui)
            if self._writer is not None and st.sensor_id is not None:
                rows.append(
                    ((st.sensor_id, reading.ts, reading.value, reading.raw_value, QUALITY_CODES[reading.quality.value]),
                     s.ack)
                )
            elif s.ack is not None:
                s.ack()
        if rows and self._writer is not None:
            self._writer.add(rows)
        if readings:
            for sink in self._listeners:
                sink(readings)

    def _judge(self, s: Sample, now: float) -> Reading | None:
        st = self._state.get(s.eui)
        if st is None:
            self.reject("unknown_sensor", f"no enabled sensor with EUI {s.eui}", s.eui or "input")
            return None
        if not math.isfinite(s.ts) or s.ts < EARLIEST_TS:
            self.reject("bad_timestamp", f"timestamp {s.ts!r} before 2000", s.eui)
            return None
        if s.ts > now + FUTURE_SLACK:
            self.reject("future_timestamp", f"timestamp {s.ts:.0f} is {s.ts - now:.0f}s in the future", s.eui)
            return None
        sensor = st.sensor
        quality = s.quality
        raw = s.value
        value: float | None = None
        if raw is not None:
            if not math.isfinite(raw):
                self.reject("not_finite", f"value {raw!r}", s.eui)
                return None
            value = sensor.calibration.apply(raw)
            lo, hi = sensor.type.physical_range
            if not lo <= value <= hi:
                self.reject("out_of_range", f"{value:g} outside {lo:g}..{hi:g} for {sensor.type.value}", s.eui)
                return None
        elif quality is Quality.GOOD:
            quality = Quality.BAD
        if quality is not Quality.GOOD and s.reason:
            self._limited.warning(s.eui, s.reason, f"quality {quality.value}")
        st.last_ts = max(st.last_ts, s.ts)
        st.last_arrival = now
        if st.stale:
            st.stale = False
        return Reading(eui=s.eui, ts=s.ts, value=value, quality=quality, raw_value=raw)

    def _check_stale(self) -> None:
        now = self._now()
        newly = []
        for eui, st in self._state.items():
            limit = STALE_INTERVALS * st.sensor.sampling_interval
            if st.last_arrival and not st.stale and now - st.last_arrival > limit:
                st.stale = True
                newly.append(eui)
        if newly:
            for sink in self._stale_listeners:
                sink(newly)

    def stale_euis(self) -> list[str]:
        return [e for e, st in self._state.items() if st.stale]
