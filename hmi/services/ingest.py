"""The ingest pipeline: driver samples -> calibrate -> quality/stale -> alarm hook -> history -> live.

Drivers call `submit` (Sample objects), `submit_items` (plain tuples, the MQTT driver's hot path) or
`submit_gateway` (a gateway's raw payload, decoded and judged element by element here) from their threads;
all only enqueue, so nothing slow ever runs on a driver's network thread. One worker thread does the
rest in arrival order. Every sample is accounted for: stored, or refused with a counted and
(rate-limited) logged reason.

Throughput (hundreds of thousands of readings a second on one core) comes from doing little per
reading and nothing per message that can be done per batch:
- the worker wakes at most every `linger` seconds under load and takes everything queued as one
  batch: one listener call, and no wake-up of this thread (and fight for the GIL with paho's
  network thread) per message;
- per reading: a dict lookup, two range checks, the calibration, the alarm's quiet check and the
  row's values appended to its sensor's buffer. Most readings change no alarm: the engine gives each
  sensor's quiet window once a batch (`quiet_window`: the band of values past no limit while no
  alarm of it is active or pending), readings inside it are checked here, and the engine hears only
  of the newest at the end of the batch (`note_quiet`), not once per reading. Measured (cachegrind,
  decoding and judging gateway payloads of 1,000 sensors): 11% fewer instructions in batches of
  10,000 readings (what a batch holds under load), 10% more in batches of 2,000. A reading outside
  the window (or of a sensor without one) settles what was deferred for its sensor first, then takes
  the engine's per-reading path (`evaluate_quiet`, then the full `evaluate` through the hook), so
  the engine judges exactly what it judged before. The newest reading per sensor is kept on the
  sensor's state for the live fan-out, which gets it at most every FAN_OUT_PERIOD under load; a
  `Reading` object is built only for the alarm slow path and for the fan-out (building a Reading
  costs more than judging one). No object per reading outlives the batch: objects that wait for
  the commit (row tuples did) keep the cyclic garbage collector busy;
- gateway batches arrive as raw payloads and are decoded here, on the thread that judges them (1.6x
  less CPU than decoding on paho's thread: the objects stay in this core's cache, and the two
  threads stop trading the GIL for every message): by msgspec into typed elements when the payload
  is all of the contract's shape (`gateway_elements`; else by orjson). They skip the intermediate
  tuples: an element that is the contract's own, complete object (canonical EUI of a known sensor,
  numbers, epoch seconds, quality "good") goes from the typed element (or the JSON object) straight
  to its row; any other element is decoded on its own from orjson's object and takes the general
  judgement, in its place in the order (same rows, refusals and alarm evaluation);
- rows go to the history writer as one `RowBlock` (flat values grouped by sensor: no sort, no
  tuples) with the acknowledgements of their messages, settled after the commit that holds them:
  when the writer waits for work, at once (queue empty) or per HAND_OVER_ROWS; while it commits,
  they wait in their sensors' buffers, so its next commit is one block it need not merge.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Protocol

from hmi.core.domain import Calibration, Quality, Reading, Sensor
from hmi.core.payloads import (
    Item,
    PayloadError,
    canonical_eui,
    decode_element,
    element_eui,
    gateway_array,
    load_json,
)
from hmi.drivers.base import Sample
from hmi.services.counters import IngestCounters, RateLimitedLog
from hmi.services.history_writer import Ack, HistoryWriter, settle
from hmi.storage.history import RowBlock
from hmi.storage.schema import QUALITY_CODES

log = logging.getLogger(__name__)
ReadingsSink = Callable[[list[Reading]], None]
AlarmHook = Callable[[Sensor, Reading], None]
QuietPath = Callable[[Sensor, float, float], bool]  # (sensor, ts, value) -> handled, for GOOD readings


class QuietWindows(Protocol):
    """The alarm engine's batch form of its quiet path (see `AlarmEngine.quiet_window`)."""

    def evaluate_quiet(self, sensor: Sensor, ts: float, value: float) -> bool: ...

    def quiet_window(self, sensor: Sensor) -> tuple[float, float, float] | None: ...

    def note_quiet(self, sensor: Sensor, ts: float, value: float) -> None: ...


EARLIEST_TS = 946684800.0  # 2000-01-01: anything older is a clock or decoding fault
FUTURE_SLACK = 300.0  # seconds a device clock may run ahead
STALE_INTERVALS = 3
MAX_DRAIN = 2000  # queue entries taken per wake-up at most
MAX_CHUNK = 20_000  # readings processed as one batch at most
# Rows go to the writer when it waits for work: at once when the queue is empty, else in chunks of
# HAND_OVER_ROWS or after HAND_OVER_SECONDS. While it commits they stay in their sensors' buffers
# (grouped by sensor already, where the writer would have to merge chunks: 0.3 us a row, most of
# it holding the GIL) up to HAND_OVER_MAX_ROWS (the writer's largest commit) or HAND_OVER_MAX_SECONDS.
HAND_OVER_ROWS = 5000
HAND_OVER_SECONDS = 0.05
HAND_OVER_MAX_ROWS = 50_000
HAND_OVER_MAX_SECONDS = 0.25
LINGER = 0.004  # seconds the worker lets a burst accumulate after a busy wake-up
FAN_OUT_PERIOD = 0.05  # seconds between live fan-outs under load (the GUI bridge shows 10 per second)
_MARKER = "__marker__"
_GOOD = Quality.GOOD
_BAD = Quality.BAD
_QCODE = {q: QUALITY_CODES[q.value] for q in Quality}
_QUALITY_OF = {code: q for q, code in _QCODE.items()}
_GOOD_CODE = _QCODE[_GOOD]
_BY_SENSOR_ID = attrgetter("sensor_id")


def _noop() -> None:
    pass


class _Gateway:
    """A gateway message waiting in the queue: its payload (raw bytes until the worker takes it and decodes
    it, the one place that does: into typed elements, else into orjson's JSON array), arrival time,
    acknowledgement and topic (names elements without an EUI in refusals). `raw` keeps the bytes of a
    payload decoded into typed elements: an element the general path judges is read from them."""

    __slots__ = ("ack", "arrival", "doc", "raw", "source")

    def __init__(self, doc: list[object] | bytes, arrival: float, ack: Ack | None, source: str) -> None:
        self.doc, self.arrival, self.ack, self.source = doc, arrival, ack, source
        self.raw: bytes | None = None


def _objects(batch: _Gateway) -> list[object]:
    """The elements of a typed payload as orjson decodes them (what `decode_element` judges)."""
    try:
        doc = load_json(batch.raw)  # type: ignore[arg-type]
    except PayloadError:  # msgspec took what orjson refuses (never seen): the typed elements as objects
        doc = None
    if type(doc) is list and len(doc) == len(batch.doc):  # type: ignore[arg-type]
        return doc
    from hmi.core.gateway_elements import as_object

    return [as_object(e) for e in batch.doc]  # type: ignore[arg-type,union-attr]


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
    # Flat values of the rows accepted since the last hand-over to the writer (ROW_WIDTH a row).
    buf: list[object] = field(default_factory=list)
    # The newest accepted reading since the last live fan-out (when the sensor is in `_live`).
    live_ts: float = 0.0
    live_value: float | None = None
    live_raw: float | None = None
    live_quality: int = 0
    # The sensor's quiet window, opened in batch `qgen` (closed: qlo > qhi), the newest reading taken
    # through it, and whether the engine has still to hear of it (`note_quiet` at the end of the batch).
    qgen: int = -1
    qlo: float = math.inf
    qhi: float = -math.inf
    qts: float = math.inf
    qval: float = 0.0
    qdirty: bool = False


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
        self._gateway_state: dict[str, _SensorState] = {}  # the states whose EUI is spelled canonically
        self._index()
        self._writer = writer
        if writer is not None and hasattr(writer, "on_waiting"):
            writer.on_waiting = self._wake
        self.counters = counters or IngestCounters()
        self._alarm_hook = alarm_hook
        self._quiet: QuietPath | None = None
        self._windows: QuietWindows | None = None
        self._qgen = 0  # the batch being judged: quiet windows are opened anew in each
        self._noted: list[_SensorState] = []  # sensors with a quiet reading the engine has not heard of
        self._listeners: list[ReadingsSink] = []
        self._stale_listeners: list[Callable[[list[str]], None]] = []
        self._tickers: list[Callable[[], None]] = []
        self._now = now
        self._linger = linger
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._limited = RateLimitedLog(log)
        self._live: dict[str, _SensorState] = {}  # sensors with a reading since the last fan-out
        self._touched: list[_SensorState] = []  # sensors with rows in their `buf`, not handed over yet
        self._held_acks: list[Ack] = []  # acknowledgements of the messages processed since then
        self._held = 0  # readings processed since then
        self._held_since = 0.0  # monotonic time of the first of them
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

    def set_alarm_hook(
        self, hook: AlarmHook, quiet: QuietPath | None = None, windows: QuietWindows | None = None
    ) -> None:
        """`hook` judges every accepted reading. `quiet`, when given, is tried first for GOOD readings
        with a value: True means the reading changed no alarm and `hook` is skipped for it. `windows`
        (the alarm engine) gives that quiet path per sensor and batch (see the module's docstring);
        its `evaluate_quiet` is then `quiet`."""
        self._alarm_hook = hook
        self._quiet = windows.evaluate_quiet if windows is not None else quiet
        self._windows = windows

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
            self._index()
            return
        if old is None:
            log.info("sensor %s added while running: ingested from the next start", sensor.eui)
            return
        new = _state(sensor, old.sensor_id)
        new.last_ts, new.last_arrival, new.stale = old.last_ts, old.last_arrival, old.stale
        self._state[sensor.eui] = new
        self._index()

    def _index(self) -> None:
        """The gateway fast path looks elements up by the EUI as sent: only a canonically spelled
        sensor EUI may match there (the general path canonicalises what the gateway sent)."""
        self._gateway_state = {e: st for e, st in self._state.items() if canonical_eui(e) == e}

    # -- any thread ---------------------------------------------------------------------------------
    def submit(self, samples: list[Sample]) -> None:
        self._queue.put(samples)

    def submit_items(self, items: list[Item], ack: Ack | None = None) -> None:
        """Readings as `(eui, ts, value, quality, reason)` tuples (raw values, before calibration) with
        one acknowledgement for all of them, called once they are all committed or refused."""
        self._queue.put((items, ack))

    def submit_gateway(
        self, doc: bytes | list[object], arrival: float, ack: Ack | None = None, source: str = ""
    ) -> None:
        """A gateway batch: the raw payload (decoded on the worker: a payload that is no JSON array is
        refused there, as the driver would) or its decoded JSON array of `{"eui", "value", "ts", "quality"}`
        objects (handed over: not to be changed afterwards), judged element by element like
        `decode_gateway` + `submit_items` would, with one acknowledgement for all of it. `source` (the
        topic) names the payload in refusals, and elements without an EUI."""
        self._queue.put(_Gateway(doc, arrival, ack, source))

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
                entry = get(timeout=HAND_OVER_SECONDS if self._touched or self._held_acks else 0.5)
            except queue.Empty:
                entry = ()
            # Take everything already queued and process it as one batch: one writer hand-off, one
            # listener call and one settlement for many messages. `segs` keeps the arrival order:
            # lists of items and gateway batches.
            segs: list[list[Item] | _Gateway] = []
            items: list[Item] | None = None  # the last segment, while it is a list of items
            n = 0  # readings in segs
            acks: list[Ack] = []
            markers: list[Ack] = []
            stop = busy = processed = False
            for taken in range(1, MAX_DRAIN + 1):
                kind = type(entry)
                if kind is tuple:
                    if entry:
                        got, ack = entry  # type: ignore[misc]
                        if items is None:
                            items = []
                            segs.append(items)
                        items.extend(got)
                        n += len(got)
                        if ack is not None:
                            acks.append(ack)
                elif kind is _Gateway:
                    gateway: _Gateway = entry  # type: ignore[assignment]
                    if gateway.ack is not None:
                        acks.append(gateway.ack)  # settled in order with the rest, refused or not
                    if type(gateway.doc) is list or self._decode_gateway(gateway):
                        segs.append(gateway)
                        items = None
                        n += len(gateway.doc)
                elif kind is list:
                    if items is None:
                        items = []
                        segs.append(items)
                    before = len(items)
                    self._unpack(entry, items, acks, markers)  # type: ignore[arg-type]
                    n += len(items) - before
                elif entry is None:
                    stop = True
                    break
                else:
                    if segs or acks:
                        self._process_segments(segs, acks)
                        segs, items, acks, n = [], None, [], 0
                    if self._touched or self._held_acks:
                        self._hand_over()  # the call may replace sensor states (and their buffers)
                    try:
                        entry()  # type: ignore[operator]
                    except Exception:
                        log.exception("pipeline task failed")
                if n >= MAX_CHUNK:
                    self._process_segments(segs, acks)
                    segs, items, acks, n = [], None, [], 0
                    processed = True
                    if self._hand_over_due(False):  # a long round does not keep its rows to the end
                        self._hand_over()
                if taken == MAX_DRAIN:
                    busy = True
                    break  # the rest waits in the queue for the next round (taking one more here lost it)
                try:
                    entry = get_nowait()
                except queue.Empty:
                    break
                busy = True
            if segs or acks:
                self._process_segments(segs, acks)
                processed = True
            if (self._touched or self._held_acks) and self._hand_over_due(markers or stop):
                self._hand_over()
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

    def _wake(self) -> None:
        """The writer finished a commit and waits (its thread): rows kept back go over now, not at the
        worker's next poll. A queued no-op does it: the worker hands over before running a call."""
        if self._touched or self._held_acks:
            self._queue.put(_noop)

    def _hand_over_due(self, now: bool) -> bool:
        """Whether the rows held go to the writer now (see HAND_OVER_ROWS)."""
        if now or self._held >= HAND_OVER_MAX_ROWS:
            return True
        age = time.monotonic() - self._held_since
        if self._writer is not None and not self._writer.waiting:
            return age >= HAND_OVER_MAX_SECONDS
        return self._held >= HAND_OVER_ROWS or self._queue.empty() or age >= HAND_OVER_SECONDS

    def _decode_gateway(self, gateway: _Gateway) -> bool:
        """Decode a gateway's raw payload in place; False (counted and logged) when it is no JSON array."""
        from hmi.core.gateway_elements import decode_elements  # msgspec: with the first gateway payload

        raw: bytes = gateway.doc  # type: ignore[assignment]
        elements = decode_elements(raw)
        if elements is not None:
            gateway.doc, gateway.raw = elements, raw  # type: ignore[assignment]
            return True
        try:
            gateway.doc = gateway_array(load_json(raw))
        except PayloadError as exc:
            self.reject(exc.reason, exc.detail, gateway.source or "input")
            return False
        return True

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
        self._hand_over()
        self._fan_out()
        for done in markers:
            done()

    def _process_items(self, items: list[Item], acks: list[Ack]) -> None:
        self._process_segments([items], acks)

    def _process_segments(self, segs: list[list[Item] | _Gateway], acks: list[Ack]) -> None:
        """Judge the segments in order: accepted readings become rows in their sensors' `buf`; the rows
        and `acks` wait there for `_hand_over`."""
        now = self._now()
        latest_ok = now + FUTURE_SLACK
        touched = self._touched
        received = 0
        self._qgen += 1
        try:
            for seg in segs:
                if type(seg) is list:
                    received += len(seg)
                    self._judge_items(seg, touched, now, latest_ok)
                else:
                    received += self._judge_gateway(seg, touched, now, latest_ok)  # type: ignore[arg-type]
        finally:
            self._note_quiet()  # the engine is current again before anything else reaches it
        self.counters.add_received(received)
        if not (self._held or self._held_acks):
            self._held_since = time.monotonic()
        self._held_acks += acks
        self._held += received

    def _hand_over(self) -> None:
        """The rows accepted since the last hand-over go to the writer as one chunk (a RowBlock, grouped
        by sensor) with the acknowledgements of their messages, settled once it is committed; with
        nothing to store, the acknowledgements are settled now (refused for good: a redelivery would
        be refused again)."""
        touched, self._touched = self._touched, []
        acks, self._held_acks = self._held_acks, []
        self._held = 0
        flat: list[object] = []
        sids: list[int] = []
        ends: list[int] = []
        touched.sort(key=_BY_SENSOR_ID)
        for st in touched:
            buf = st.buf
            flat += buf
            buf.clear()
            sids.append(st.sensor_id)  # type: ignore[arg-type]
            ends.append(len(flat))
        writer = self._writer
        if writer is not None and flat:
            writer.add_chunk(RowBlock(flat, sids, ends), acks)  # acknowledged once committed (or spilled)
        else:
            settle(acks)

    def _judge_items(self, items: list[Item], touched: list[_SensorState], now: float, latest_ok: float) -> None:
        """The general judgement of decoded readings, in order: refusals counted, each accepted one
        becomes a row in its sensor's `buf` (the sensor joins `touched` with its first)."""
        states = self._state
        hook = self._alarm_hook
        gen = self._qgen
        noted = self._noted
        add_touched = touched.append
        live = self._live
        qcode = _QCODE
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
            sid = st.sensor_id
            code = qcode[quality]
            if ts >= st.last_ts:
                st.last_ts = st.live_ts = ts
                st.live_value, st.live_raw, st.live_quality = value, raw, code
                live[eui] = st
            if hook is not None:
                if quality is _GOOD and st.qgen == gen and st.qlo <= value <= st.qhi and ts > st.qts:  # type: ignore[operator]
                    st.qts, st.qval = ts, value  # type: ignore[assignment]
                    if not st.qdirty:
                        st.qdirty = True
                        noted.append(st)
                else:
                    self._judge_alarm(st, ts, value, raw, quality)
            if sid is not None:
                buf = st.buf
                if not buf:
                    add_touched(st)
                buf += (sid, ts, value, raw, code)

    def _judge_gateway(self, batch: _Gateway, touched: list[_SensorState], now: float, latest_ok: float) -> int:
        """A gateway batch element by element, in order; returns how many elements decoded (received).

        The contract's own element, complete (`{"eui": canonical EUI of a known sensor, "value": number,
        "ts": epoch seconds in range, "quality": "good"}`) with its calibrated value in range, is an
        accepted GOOD reading: it goes straight from the typed element (or the JSON object, for a
        payload handed over decoded) to its row, with `_judge_items`' effects for such a reading (the
        alarm's quiet check first). Any other element is decoded on its own from orjson's JSON object
        (`decode_element`, as `decode_gateway` does) and judged by `_judge_items` in its place, so rows,
        refusals, live values and alarm evaluation are those of the general path (tested
        property-style)."""
        from hmi.core.gateway_elements import GatewayElement as typed

        states = self._gateway_state
        hook = self._alarm_hook
        gen = self._qgen
        noted = self._noted
        add_touched = touched.append
        live = self._live
        flt, integer, dct = float, int, dict
        good, good_code = _GOOD, _GOOD_CODE
        earliest = EARLIEST_TS
        errors = 0
        objects: list[object] | None = None  # the payload as orjson's objects, for elements judged the general way
        doc: list[object] = batch.doc  # type: ignore[assignment]  # decoded by the worker as it took it
        for i, it in enumerate(doc):
            st = None
            kind = type(it)
            if kind is typed:  # msgspec checked the types: a string EUI, float value and time
                eui, raw, ts, q = it.eui, it.value, it.ts, it.quality  # type: ignore[attr-defined]
                st = states.get(eui)
            elif kind is dct:
                try:
                    eui = it["eui"]  # type: ignore[index]
                    st = states[eui]
                    raw = it["value"]  # type: ignore[index]
                    ts = it["ts"]  # type: ignore[index]
                    q = it["quality"]  # type: ignore[index]
                except (KeyError, TypeError):  # a key missing, or an EUI that is no string
                    st = None
                if st is not None:
                    tr, tt = type(raw), type(ts)
                    if (tr is flt or tr is integer) and (tt is flt or tt is integer):  # bool is neither here
                        raw, ts = flt(raw), flt(ts)
                    else:
                        st = None
            # In the range, epoch seconds are never milliseconds.
            if st is not None and (q == "good" or q is None) and earliest <= ts <= latest_ok:
                value = raw * st.multiplier + st.offset
                if st.lo <= value <= st.hi:
                    st.last_arrival = now
                    if st.stale:
                        st.stale = False
                    if ts >= st.last_ts:
                        st.last_ts = st.live_ts = ts
                        st.live_value, st.live_raw, st.live_quality = value, raw, good_code
                        live[eui] = st
                    if hook is not None:
                        if st.qgen == gen and st.qlo <= value <= st.qhi and ts > st.qts:
                            st.qts, st.qval = ts, value
                            if not st.qdirty:
                                st.qdirty = True
                                noted.append(st)
                        else:
                            self._judge_alarm(st, ts, value, raw, good)
                    sid = st.sensor_id
                    if sid is not None:
                        buf = st.buf
                        if not buf:
                            add_touched(st)
                        buf += (sid, ts, value, raw, good_code)
                    continue
            # Anything else: decoded on its own and judged by the general path, in its place.
            if kind is typed:
                if objects is None:
                    objects = _objects(batch)
                it = objects[i]
            try:
                item = decode_element(it, batch.arrival)
            except PayloadError as exc:
                errors += 1
                self.reject(exc.reason, exc.detail, element_eui(it) or batch.source or "input")
                continue
            self._judge_items([item], touched, now, latest_ok)
        return len(doc) - errors

    def _judge_alarm(
        self, st: _SensorState, ts: float, value: float | None, raw: float | None, quality: Quality
    ) -> None:
        """The alarm judgement of an accepted reading that its sensor's quiet window did not take.

        The window opens with the sensor's first GOOD reading of the batch. A reading outside an open
        window settles what was deferred for its sensor, and the window stays closed for the rest of
        the batch: the reading and those after it go the engine's per-reading way, `evaluate_quiet`
        first, then the full `evaluate` through the hook. (Opening a window costs two calls to the
        engine, so a batch holding a single reading of each sensor gains nothing; under load a batch
        holds 10,000s, about 10 readings of each sensor.)"""
        gen = self._qgen
        if st.qgen == gen:  # its window was opened in this batch (and took earlier readings, maybe)
            if st.qdirty:
                st.qdirty = False
                self._windows.note_quiet(st.sensor, st.qts, st.qval)  # type: ignore[union-attr]
            st.qlo, st.qhi = math.inf, -math.inf
        elif quality is _GOOD and self._windows is not None:
            st.qgen = gen
            window = self._windows.quiet_window(st.sensor)
            if window is not None:
                lo, hi, last = window
                if lo <= value <= hi and ts > last:  # type: ignore[operator]
                    st.qlo, st.qhi, st.qts, st.qval = lo, hi, ts, value  # type: ignore[assignment]
                    st.qdirty = True
                    self._noted.append(st)
                    return
            st.qlo, st.qhi = math.inf, -math.inf
        quiet = self._quiet
        if quiet is None or value is None or quality is not _GOOD or not quiet(st.sensor, ts, value):
            try:
                self._alarm_hook(st.sensor, Reading(st.sensor.eui, ts, value, quality, raw))  # type: ignore[misc]
            except Exception:
                log.exception("alarm evaluation failed for %s", st.sensor.eui)

    def _note_quiet(self) -> None:
        """Tell the engine of the newest reading each sensor's quiet window took in this batch."""
        noted, self._noted = self._noted, []
        windows = self._windows
        for st in noted:
            if st.qdirty:
                st.qdirty = False
                windows.note_quiet(st.sensor, st.qts, st.qval)  # type: ignore[union-attr]

    def _fan_out(self) -> None:
        """Hand the newest reading per sensor to the listeners (calibrated as it was judged)."""
        live, self._live = self._live, {}
        self._next_fan_out = time.monotonic() + FAN_OUT_PERIOD
        if not self._listeners:
            return
        quality_of = _QUALITY_OF
        readings = [
            Reading(eui, st.live_ts, st.live_value, quality_of[st.live_quality], st.live_raw)
            for eui, st in live.items()
        ]
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
