"""The ingest pipeline: driver samples -> calibrate -> quality/stale -> alarm hook -> history -> live.

Drivers call `submit` (Sample objects) or `submit_items` (plain tuples, the MQTT driver's hot path)
from their threads; both only enqueue, so nothing slow ever runs on a driver's network thread. One
worker thread does the rest in arrival order. Every sample is accounted for: stored, or refused
with a counted and (rate-limited) logged reason.

Throughput (hundreds of thousands of readings a second on one core) comes from doing little per
reading and nothing per message that can be done per batch:
- the worker wakes at most every `linger` seconds under load and takes everything queued as one
  batch: one hand-off to the history writer, one listener call, and no wake-up of this thread
  (and fight for the GIL with paho's network thread) per message;
- per reading: a dict lookup, two range checks, the calibration, the alarm engine's quiet path
  (`evaluate_quiet`, most readings change no alarm) and one row tuple; a `Reading` object is built
  only for the alarm slow path and for the live fan-out, which gets the newest reading per sensor,
  at most every FAN_OUT_PERIOD under load (building a Reading costs more than judging one);
- acknowledgements are per message, settled after the commit of the batch that holds the message.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from hmi.core.domain import Calibration, Quality, Reading, Sensor
from hmi.core.payloads import Item
from hmi.drivers.base import Sample
from hmi.services.counters import IngestCounters, RateLimitedLog
from hmi.services.history_writer import Ack, HistoryWriter
from hmi.storage.schema import QUALITY_CODES

log = logging.getLogger(__name__)
ReadingsSink = Callable[[list[Reading]], None]
AlarmHook = Callable[[Sensor, Reading], None]
QuietPath = Callable[[Sensor, float, float], bool]  # (sensor, ts, value) -> handled, for GOOD readings
EARLIEST_TS = 946684800.0  # 2000-01-01: anything older is a clock or decoding fault
FUTURE_SLACK = 300.0  # seconds a device clock may run ahead
STALE_INTERVALS = 3
MAX_DRAIN = 2000  # queue entries taken per wake-up at most
MAX_CHUNK = 20_000  # readings processed (and handed to the writer) as one batch at most
LINGER = 0.004  # seconds the worker lets a burst accumulate after a busy wake-up
FAN_OUT_PERIOD = 0.05  # seconds between live fan-outs under load (the GUI bridge shows 10 per second)
_MARKER = "__marker__"
_GOOD = Quality.GOOD
_BAD = Quality.BAD
_QCODE = {q: QUALITY_CODES[q.value] for q in Quality}


@dataclass(slots=True, eq=False)
class _SensorState:
    sensor: Sensor
    sensor_id: int | None
    multiplier: float
    offset: float
    lo: float  # physical range of the type, after calibration
    hi: float
    last_ts: float = 0.0
    last_arrival: float = 0.0
    stale: bool = False


def _state(sensor: Sensor, sensor_id: int | None) -> _SensorState:
    lo, hi = sensor.type.physical_range
    cal = sensor.calibration
    return _SensorState(sensor, sensor_id, cal.multiplier, cal.offset, lo, hi)


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
        linger: float = LINGER,
    ) -> None:
        ids = sensor_ids or {}
        self._state = {s.eui: _state(s, ids.get(s.eui)) for s in sensors if s.enabled}
        self._writer = writer
        self.counters = counters or IngestCounters()
        self._alarm_hook = alarm_hook
        self._quiet: QuietPath | None = None
        self._listeners: list[ReadingsSink] = []
        self._stale_listeners: list[Callable[[list[str]], None]] = []
        self._tickers: list[Callable[[], None]] = []
        self._now = now
        self._linger = linger
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._limited = RateLimitedLog(log)
        self._live: dict[str, Item] = {}  # newest accepted reading per sensor since the last fan-out
        self._next_fan_out = 0.0

    def add_listener(self, sink: ReadingsSink) -> None:
        """`sink` gets the newest reading of every sensor that reported since its last call: after each
        processed batch, or under load at most every FAN_OUT_PERIOD seconds (live values: the bridge
        keeps the latest per sensor anyway; history gets every reading). It runs on the pipeline
        thread: it must only hand off."""
        self._listeners.append(sink)

    def add_stale_listener(self, sink: Callable[[list[str]], None]) -> None:
        self._stale_listeners.append(sink)

    def add_ticker(self, fn: Callable[[], None]) -> None:
        """`fn` runs on the pipeline thread about once a second (alarm delays, retries, sync)."""
        self._tickers.append(fn)

    def set_alarm_hook(self, hook: AlarmHook, quiet: QuietPath | None = None) -> None:
        """`hook` judges every accepted reading. `quiet`, when given, is tried first for GOOD readings
        with a value: True means the reading changed no alarm and `hook` is skipped for it."""
        self._alarm_hook = hook
        self._quiet = quiet

    def set_calibration(self, eui: str, calibration: Calibration) -> None:
        """Calibrate `eui`'s readings from now on with `calibration` (raw values are stored beside, so
        history can be re-derived). Pipeline thread only: call it through `submit_call`."""
        st = self._state.get(eui)
        if st is not None:
            st.sensor = replace(st.sensor, calibration=calibration)
            st.multiplier, st.offset = calibration.multiplier, calibration.offset

    def set_sensor(self, sensor: Sensor) -> None:
        """A sensor's settings changed at a console (thresholds, calibration, sampling interval,
        enabled): its readings are judged by them from now on; its last timestamp and staleness are
        kept. A sensor the pipeline never had (created since start) needs its database id: it is read
        from the next start on. Pipeline thread only: call it through `submit_call`."""
        old = self._state.get(sensor.eui)
        if not sensor.enabled:
            self._state.pop(sensor.eui, None)
            return
        if old is None:
            log.info("sensor %s added while running: ingested from the next start", sensor.eui)
            return
        new = _state(sensor, old.sensor_id)
        new.last_ts, new.last_arrival, new.stale = old.last_ts, old.last_arrival, old.stale
        self._state[sensor.eui] = new

    # -- any thread ---------------------------------------------------------------------------------
    def submit(self, samples: list[Sample]) -> None:
        self._queue.put(samples)

    def submit_items(self, items: list[Item], ack: Ack | None = None) -> None:
        """Readings as `(eui, ts, value, quality, reason)` tuples (raw values, before calibration) with
        one acknowledgement for all of them, called once they are all committed or refused."""
        self._queue.put((items, ack))

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
        self._queue.put([Sample("", 0.0, None, reason=_MARKER, ack=done.set)])
        return done.wait(timeout)

    # -- pipeline thread ----------------------------------------------------------------------------
    def _run(self) -> None:
        next_stale_check = time.monotonic() + 1.0
        get, get_nowait = self._queue.get, self._queue.get_nowait
        while True:
            try:
                entry = get(timeout=0.5)
            except queue.Empty:
                entry = ()
            # Take everything already queued and process it as one batch: one writer hand-off, one
            # listener call and one settlement for many messages.
            items: list[Item] = []
            acks: list[Ack] = []
            markers: list[Ack] = []
            stop = busy = processed = False
            for _ in range(MAX_DRAIN):
                kind = type(entry)
                if kind is tuple:
                    if entry:
                        got, ack = entry  # type: ignore[misc]
                        items.extend(got)
                        if ack is not None:
                            acks.append(ack)
                elif kind is list:
                    self._unpack(entry, items, acks, markers)  # type: ignore[arg-type]
                elif entry is None:
                    stop = True
                    break
                else:
                    if items or acks:
                        self._process_items(items, acks)
                        items, acks = [], []
                    try:
                        entry()  # type: ignore[operator]
                    except Exception:
                        log.exception("pipeline task failed")
                if len(items) >= MAX_CHUNK:
                    self._process_items(items, acks)
                    items, acks = [], []
                    processed = True
                try:
                    entry = get_nowait()
                except queue.Empty:
                    break
                busy = True
            if items or acks:
                self._process_items(items, acks)
                processed = True
            if self._live and (markers or stop or not busy or time.monotonic() >= self._next_fan_out):
                self._fan_out()
            for done in markers:
                done()
            if stop:
                return
            if time.monotonic() >= next_stale_check:
                next_stale_check = time.monotonic() + 1.0
                self._check_stale()
                for fn in self._tickers:
                    try:
                        fn()
                    except Exception:
                        log.exception("pipeline ticker failed")
            if processed and self._linger > 0:
                # Under load, let the next burst gather instead of waking for every message: paho's
                # thread then runs without handing the GIL back and forth with this one.
                time.sleep(self._linger)

    @staticmethod
    def _unpack(samples: list[Sample], items: list[Item], acks: list[Ack], markers: list[Ack]) -> None:
        last_ack: Ack | None = None
        for s in samples:
            if s.reason == _MARKER:
                if s.ack is not None:
                    markers.append(s.ack)
                continue
            items.append((s.eui, s.ts, s.value, s.quality, s.reason))
            ack = s.ack
            if ack is not None and ack is not last_ack:  # samples of one message share their ack
                acks.append(ack)
                last_ack = ack

    def _process(self, samples: list[Sample]) -> None:
        """Process a list of samples now, on the calling thread (tests and benchmarks)."""
        items: list[Item] = []
        acks: list[Ack] = []
        markers: list[Ack] = []
        self._unpack(samples, items, acks, markers)
        self._process_items(items, acks)
        self._fan_out()
        for done in markers:
            done()

    def _process_items(self, items: list[Item], acks: list[Ack]) -> None:
        now = self._now()
        latest_ok = now + FUTURE_SLACK
        states = self._state
        hook = self._alarm_hook
        quiet = self._quiet if hook is not None else None
        writer = self._writer
        rows: list[tuple[int, float, float | None, float | None, int]] = []
        add_row = rows.append
        live = self._live
        qcode = _QCODE
        self.counters.add_received(len(items))
        for item in items:
            eui, ts, raw, quality, reason = item
            st = states.get(eui)
            if st is None:
                self.reject("unknown_sensor", f"no enabled sensor with EUI {eui}", eui or "input")
                continue
            if not EARLIEST_TS <= ts <= latest_ok:  # NaN fails both
                if ts > latest_ok:
                    self.reject("future_timestamp", f"timestamp {ts:.0f} is {ts - now:.0f}s in the future", eui)
                else:
                    self.reject("bad_timestamp", f"timestamp {ts!r} before 2000", eui)
                continue
            if raw is not None:
                value: float | None = raw * st.multiplier + st.offset  # Calibration.apply
                if not st.lo <= value <= st.hi:  # type: ignore[operator]
                    if raw - raw != 0.0:  # NaN or infinite
                        self.reject("not_finite", f"value {raw!r}", eui)
                    else:
                        sensor = st.sensor
                        self.reject(
                            "out_of_range",
                            f"{value:g} outside {st.lo:g}..{st.hi:g} for {sensor.type.value}",
                            eui,
                        )
                    continue
            else:
                value = None
                if quality is _GOOD:
                    quality = _BAD
            if quality is not _GOOD and reason:
                self._limited.warning(eui, reason, f"quality {quality.value}")
            st.last_arrival = now
            if st.stale:
                st.stale = False
            if ts >= st.last_ts:
                st.last_ts = ts
                live[eui] = item
            if hook is not None and (
                quiet is None or value is None or quality is not _GOOD or not quiet(st.sensor, ts, value)
            ):
                try:
                    hook(st.sensor, Reading(eui, ts, value, quality, raw))
                except Exception:
                    log.exception("alarm evaluation failed for %s", eui)
            if st.sensor_id is not None:
                add_row((st.sensor_id, ts, value, raw, qcode[quality]))
        if writer is not None and rows:
            writer.add_chunk(rows, acks)  # acknowledged once committed (or spilled to disk)
        else:
            for ack in acks:  # nothing to store: refused for good, redelivery would be refused again
                ack()

    def _fan_out(self) -> None:
        """Hand the newest reading per sensor to the listeners (calibrated as it was judged)."""
        live, self._live = self._live, {}
        self._next_fan_out = time.monotonic() + FAN_OUT_PERIOD
        if not self._listeners:
            return
        readings = []
        for eui, ts, raw, quality, _reason in live.values():
            st = self._state[eui]
            if raw is None:
                readings.append(Reading(eui, ts, None, _BAD if quality is _GOOD else quality, None))
            else:
                readings.append(Reading(eui, ts, raw * st.multiplier + st.offset, quality, raw))
        for sink in self._listeners:
            sink(readings)

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
