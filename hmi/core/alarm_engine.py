"""The alarm engine: turns readings, staleness, mill status, e-stops and operator commands into alarm
state changes and journal entries, per mill, with deadband, on/off-delays, flood detection and
first-out. Pure and single-threaded: no I/O, no clock (every call takes `now`, epoch seconds), no
locks; the alarm service owns one engine and calls it from one thread (the ingest thread).

Every method that changes something returns the changes in order as `AlarmChange` (the alarm after,
the alarm before, and the journal entries to persist) and `FloodChange` records. Alarm records are
created on their first activation and live for the engine's life (a finished alarm is NORMAL).

Rules, in short:

* Threshold alarms: HIGH (warning_max), HIGH_HIGH (critical_max), LOW (warning_min), LOW_LOW
  (critical_min), each its own alarm with its own occurrence: above critical_max both HIGH and
  HIGH_HIGH are active (ISA-18.2 practice: separate alarms, separate priorities; the banner shows the
  more important first). A HIGH activates when the value is above the limit (`>`) continuously for
  the on-delay, and clears when it is below `limit - deadband` (strictly) continuously for the
  off-delay; LOW mirrors it. "Continuously" means every reading in between agreed; a pending
  change whose delay runs out between readings completes on `tick`.
* A reading of bad quality (or without a usable value) never changes a process alarm: active ones
  hold, pending delays are cancelled; it raises BAD_QUALITY (with its own delays) instead, which
  clears on the next usable reading. UNCERTAIN readings are judged like good ones unless the
  sensor's config says `uncertain_is_bad`.
* Readings older than (or as old as) the newest one evaluated for the sensor are ignored
  (redelivery, reordering).
* `mark_stale` raises STALE (communication loss), cancels pending delays and holds the process
  alarms; any reading or `mark_fresh` clears it.
* Mill status ERROR raises MILL_ERROR, any other status clears it. MAINTENANCE and OFFLINE suppress
  (by design) every alarm of the mill except the e-stop, including alarms raised meanwhile; back to
  ACTIVE or ERROR unsuppresses them. Suppressed alarms are still evaluated and journaled.
* Flood: more than `flood_count` announced activations (a new occurrence or a reactivation) of one
  mill within `flood_window_s` (the window is (now - window, now]) starts a flood; it ends when at
  most `flood_end_count` remain in the window. The activations in the window when the flood starts
  and every one during it carry the flood's start time (`Alarm.flood_since`): that is the group.
* First-out: a new occurrence that is announced when every other in-service, unshelved,
  unsuppressed alarm of its mill is NORMAL is marked `first_out`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from hmi.core.alarm_config import AlarmConfig, SensorAlarmConfig
from hmi.core.alarms import (
    DEFAULT_PRIORITY,
    PRIORITY_RANK,
    Acknowledge,
    Activate,
    Alarm,
    AlarmEvent,
    AlarmKey,
    AlarmKind,
    AlarmRefused,
    AlarmState,
    Clear,
    JournalAction,
    JournalEntry,
    RefusalCode,
    RemoveFromService,
    Reset,
    ReturnToService,
    Shelve,
    ShelveExpired,
    Suppress,
    Unshelve,
    Unsuppress,
    transition,
)
from hmi.core.domain import Mill, MillStatus, Quality, Reading, Sensor, Severity, Thresholds
from hmi.core.text import Text

SUPPRESSING_STATUSES = frozenset({MillStatus.MAINTENANCE, MillStatus.OFFLINE})

# (kind, the Thresholds field of its limit, True for a high limit), most important first so that a
# jump past both limits in one reading raises HIGH_HIGH before HIGH.
_LIMITS: tuple[tuple[AlarmKind, str, bool], ...] = (
    (AlarmKind.HIGH_HIGH, "critical_max", True),
    (AlarmKind.HIGH, "warning_max", True),
    (AlarmKind.LOW_LOW, "critical_min", False),
    (AlarmKind.LOW, "warning_min", False),
)


@dataclass(frozen=True, slots=True)
class AlarmChange:
    """An alarm record changed. `entries` are the journal entries to persist (empty when only the
    record was updated, e.g. tagged into a flood group); `previous` is the record before (a NORMAL
    record with occurrence 0 for an alarm raised for the first time)."""

    alarm: Alarm
    previous: Alarm
    entries: tuple[JournalEntry, ...]

    @property
    def key(self) -> AlarmKey:
        return self.alarm.key


@dataclass(frozen=True, slots=True)
class FloodChange:
    """A mill's alarm flood started (`flooding`) or ended. `since` is the flood's start (with `mill`,
    the group's id); `count` the activations in the window; `keys` the group at the start."""

    mill: str
    at: float
    flooding: bool
    since: float
    count: int
    keys: tuple[AlarmKey, ...] = ()


EngineEvent = AlarmChange | FloodChange


@dataclass(frozen=True, slots=True)
class FloodState:
    mill: str
    flooding: bool
    since: float | None
    count: int


class _Detector:
    """Debounces one condition: the state changes only after the opposite condition held for its delay."""

    __slots__ = ("active", "pending_since", "value")

    def __init__(self, active: bool = False) -> None:
        self.active = active
        self.pending_since: float | None = None
        self.value: float | None = None

    def step(self, target: bool, value: float | None, now: float, on_delay: float, off_delay: float) -> bool:
        """Feed one observation; True when the debounced state flipped (to `target`)."""
        self.value = value
        if target is self.active:
            self.pending_since = None
            return False
        if self.pending_since is None:
            self.pending_since = now
        if now - self.pending_since >= (on_delay if target else off_delay):
            self.active = target
            self.pending_since = None
            return True
        return False

    def due_at(self, on_delay: float, off_delay: float) -> float | None:
        if self.pending_since is None:
            return None
        return self.pending_since + (off_delay if self.active else on_delay)


@dataclass(slots=True)
class _SensorState:
    sensor: Sensor
    cfg: SensorAlarmConfig
    deadband: float
    last_ts: float = -math.inf
    # The quiet band of `evaluate_quiet`: a usable value in [band_lo, band_hi] is past no limit.
    band_lo: float = -math.inf
    band_hi: float = math.inf
    detectors: list[_Detector] = field(default_factory=list)  # this sensor's, for the quiet check


def _quiet_band(th: Thresholds) -> tuple[float, float]:
    highs = [v for v in (th.warning_max, th.critical_max) if v is not None]
    lows = [v for v in (th.warning_min, th.critical_min) if v is not None]
    return (max(lows) if lows else -math.inf), (min(highs) if highs else math.inf)


@dataclass(slots=True)
class _Flood:
    events: deque[tuple[float, AlarmKey]] = field(default_factory=deque)
    since: float | None = None


class AlarmEngine:
    def __init__(self, config: AlarmConfig | None = None, mills: Iterable[Mill] = ()) -> None:
        self.config = config or AlarmConfig()
        self._alarms: dict[AlarmKey, Alarm] = {}
        self._by_mill: dict[str, list[AlarmKey]] = {}
        self._sensors: dict[str, _SensorState] = {}
        self._detectors: dict[tuple[str, AlarmKind], _Detector] = {}
        self._stale: set[str] = set()
        self._mill_status: dict[str, MillStatus] = {}
        self._floods: dict[str, _Flood] = {}
        for mill in mills:
            self._mill_status[mill.slug] = mill.status
            for sensor in mill.sensors:
                self.add_sensor(sensor)

    # -- configuration ------------------------------------------------------------------------------
    def add_sensor(self, sensor: Sensor) -> None:
        """Register (or update) a sensor; raises ValidationError if its alarm settings are invalid."""
        self._sensor_state(sensor)

    def _sensor_state(self, sensor: Sensor) -> _SensorState:
        st = self._sensors.get(sensor.eui)
        if st is not None and (st.sensor is sensor or st.sensor == sensor):
            st.sensor = sensor
            return st
        cfg = self.config.for_sensor(sensor)
        deadband = cfg.deadband_for(sensor.thresholds)
        if st is None:
            st = _SensorState(sensor, cfg, deadband)
            st.detectors.extend(d for (eui, _k), d in self._detectors.items() if eui == sensor.eui)
            self._sensors[sensor.eui] = st
        else:
            st.sensor, st.cfg, st.deadband = sensor, cfg, deadband
        st.band_lo, st.band_hi = _quiet_band(sensor.thresholds)
        return st

    def _new_detector(self, eui: str, kind: AlarmKind, active: bool = False) -> _Detector:
        det = self._detectors[(eui, kind)] = _Detector(active)
        st = self._sensors.get(eui)
        if st is not None:
            st.detectors.append(det)
        return det

    def restore(self, alarms: Iterable[Alarm]) -> None:
        """Replace alarm records without journal entries: those persisted by an earlier run (at start),
        or changed elsewhere (another workstation's acknowledgement or shelving, read back from the
        shared database). The detectors follow the records' activity (an active sensor alarm clears
        on the next normal reading); a detector that already agrees keeps its running delay."""
        for alarm in alarms:
            key = alarm.key
            if key not in self._alarms:
                self._by_mill.setdefault(key.mill, []).append(key)
            self._alarms[key] = alarm
            if not key.source:
                continue
            if key.kind is AlarmKind.STALE:
                if alarm.active:
                    self._stale.add(key.source)
                continue
            det = self._detectors.get((key.source, key.kind))
            if det is None:
                if alarm.active:
                    self._new_detector(key.source, key.kind, active=True)
            elif det.active is not alarm.active:
                det.active = alarm.active
                det.pending_since = None

    # -- queries ------------------------------------------------------------------------------------
    def get(self, key: AlarmKey) -> Alarm | None:
        return self._alarms.get(key)

    def alarms(self, mill: str | None = None) -> list[Alarm]:
        """Every alarm record (finished ones included), in key order."""
        keys = self._by_mill.get(mill, []) if mill is not None else self._alarms
        return [self._alarms[k] for k in sorted(keys)]

    def snapshot(self, mill: str | None = None, *, announced_only: bool = True) -> list[Alarm]:
        """The unfinished alarms by importance: unacknowledged first, then priority, then newest first.
        `announced_only=False` adds the shelved, suppressed and out-of-service ones."""
        keys = self._by_mill.get(mill, []) if mill is not None else self._alarms
        items = [
            a
            for a in (self._alarms[k] for k in keys)
            if a.state is not AlarmState.NORMAL and (a.announced or not announced_only)
        ]
        items.sort(key=_importance)
        return items

    def first_out(self, mill: str) -> Alarm | None:
        """The first-out alarm of the mill's present upset, if it is not finished."""
        marked = [a for a in self.alarms(mill) if a.first_out and a.state is not AlarmState.NORMAL]
        return max(marked, key=lambda a: a.raised_at or 0.0) if marked else None

    def flood(self, mill: str) -> FloodState:
        f = self._floods.get(mill)
        if f is None:
            return FloodState(mill, False, None, 0)
        return FloodState(mill, f.since is not None, f.since, len(f.events))

    def mill_status_of(self, mill: str) -> MillStatus:
        return self._mill_status.get(mill, MillStatus.ACTIVE)

    def is_stale(self, eui: str) -> bool:
        return eui in self._stale

    def next_due(self) -> float | None:
        """The earliest time `tick` has something to do (a delay running out, a shelving expiring,
        a flood ending); None when nothing is pending. Ticking every second is also fine."""
        times: list[float] = []
        for (eui, kind), det in self._detectors.items():
            st = self._sensors.get(eui)
            if st is not None and eui not in self._stale:
                on, off = _delays(st.cfg, kind)
                t = det.due_at(on, off)
                if t is not None:
                    times.append(t)
        times.extend(a.shelved_until for a in self._alarms.values() if a.shelved_until is not None)
        end = self.config.flood_end_count
        for f in self._floods.values():
            if f.since is not None and len(f.events) > end:
                times.append(f.events[len(f.events) - end - 1][0] + self.config.flood_window_s)
        return min(times) if times else None

    # -- inputs from the process --------------------------------------------------------------------
    def evaluate(self, sensor: Sensor, reading: Reading, now: float) -> list[EngineEvent]:
        """Judge one calibrated reading of `sensor` at `now`."""
        st = self._sensor_state(sensor)
        if reading.ts <= st.last_ts:
            return []
        st.last_ts = reading.ts
        out: list[EngineEvent] = []
        eui = sensor.eui
        cfg = st.cfg
        if eui in self._stale:
            self._stale.discard(eui)
            self._sensor_alarm(st, AlarmKind.STALE, False, None, now, out)
        value = reading.value
        usable = (
            value is not None
            and math.isfinite(value)
            and reading.quality is not Quality.BAD
            and not (reading.quality is Quality.UNCERTAIN and cfg.uncertain_is_bad)
        )
        qdet = self._detectors.get((eui, AlarmKind.BAD_QUALITY))
        if not usable:
            for kind, _attr, _high in _LIMITS:
                det = self._detectors.get((eui, kind))
                if det is not None:
                    det.pending_since = None
            if cfg.quality_alarm:
                if qdet is None:
                    qdet = self._new_detector(eui, AlarmKind.BAD_QUALITY)
                if qdet.step(True, value, now, cfg.quality_on_delay_s, cfg.quality_off_delay_s):
                    self._sensor_alarm(st, AlarmKind.BAD_QUALITY, True, value, now, out)
            return out
        assert value is not None
        if qdet is not None and qdet.step(False, value, now, cfg.quality_on_delay_s, cfg.quality_off_delay_s):
            self._sensor_alarm(st, AlarmKind.BAD_QUALITY, False, value, now, out)
        th = sensor.thresholds
        db = st.deadband
        for kind, attr, high in _LIMITS:
            limit = getattr(th, attr)
            det = self._detectors.get((eui, kind))
            if det is None:
                if limit is None or not (value > limit if high else value < limit):
                    continue  # the common case: nothing to track
                det = self._new_detector(eui, kind)
            if limit is None:
                target = False
            elif high:
                target = value >= limit - db if det.active else value > limit
            else:
                target = value <= limit + db if det.active else value < limit
            if det.step(target, value, now, cfg.on_delay_s, cfg.off_delay_s):
                self._sensor_alarm(st, kind, target, value, now, out)
        return out

    def evaluate_quiet(self, sensor: Sensor, ts: float, value: float) -> bool:
        """The hot path of `evaluate` for a GOOD reading with a finite `value`: True when the reading
        changes nothing but the sensor's newest time (no alarm of the sensor active or pending, not
        stale, the value past no limit), and it was taken into account as `evaluate` would; False
        when `evaluate` must judge it (nothing was changed then). Equivalent by construction and
        checked property-style against `evaluate` in the tests; most readings of a plant take it."""
        st = self._sensors.get(sensor.eui)
        if (
            st is None
            or st.sensor is not sensor
            or ts <= st.last_ts
            or not st.band_lo <= value <= st.band_hi
            or value - value != 0.0  # not finite: `evaluate` judges it unusable
            or sensor.eui in self._stale
        ):
            return False
        dets = st.detectors
        if dets:
            for det in dets:
                if det.active or det.pending_since is not None:
                    return False
            for det in dets:  # what `step` would record: the latest value seen
                det.value = value
        st.last_ts = ts
        return True

    def quiet_window(self, sensor: Sensor) -> tuple[float, float, float] | None:
        """`(band_lo, band_hi, last_ts)` when `evaluate_quiet` takes every GOOD reading of `sensor` with a
        finite value in [band_lo, band_hi] newer than the one before (no alarm of the sensor active or
        pending, not stale, the engine's own sensor object); None otherwise.

        Why: a caller that judges many readings at once (the ingest pipeline, a gateway batch at a
        time) checks a sensor's readings against its window itself and tells the engine only the last
        one (`note_quiet`), instead of a call per reading. The window holds as long as nothing but
        `note_quiet` reaches the engine for this sensor; `evaluate` of another sensor changes nothing
        of this one's. Checked property-style against `evaluate` in the tests."""
        st = self._sensors.get(sensor.eui)
        if st is None or st.sensor is not sensor or sensor.eui in self._stale:
            return None
        for det in st.detectors:
            if det.active or det.pending_since is not None:
                return None
        return st.band_lo, st.band_hi, st.last_ts

    def note_quiet(self, sensor: Sensor, ts: float, value: float) -> None:
        """What `evaluate_quiet` records, for the newest of readings found quiet through `quiet_window`
        (each newer than the one before, so the last holds the newest time and the latest value)."""
        st = self._sensors[sensor.eui]
        for det in st.detectors:
            det.value = value
        st.last_ts = ts

    def mark_stale(self, eui: str, now: float) -> list[EngineEvent]:
        """The sensor stopped reporting (communication loss). Raises KeyError for an unknown EUI."""
        st = self._sensors[eui]
        out: list[EngineEvent] = []
        for (d_eui, _kind), det in self._detectors.items():
            if d_eui == eui:
                det.pending_since = None
        if eui in self._stale:
            return out
        self._stale.add(eui)
        if st.cfg.stale_alarm:
            self._sensor_alarm(st, AlarmKind.STALE, True, None, now, out)
        return out

    def mark_fresh(self, eui: str, now: float) -> list[EngineEvent]:
        """The sensor reports again (any reading does this too)."""
        st = self._sensors[eui]
        out: list[EngineEvent] = []
        if eui in self._stale:
            self._stale.discard(eui)
            self._sensor_alarm(st, AlarmKind.STALE, False, None, now, out)
        return out

    def mill_status(self, mill: str, status: MillStatus, now: float) -> list[EngineEvent]:
        """The mill reported a status: ERROR raises MILL_ERROR; MAINTENANCE/OFFLINE suppress its alarms."""
        self._mill_status[mill] = status
        out: list[EngineEvent] = []
        suppress = status in SUPPRESSING_STATUSES
        if not suppress:
            for key in list(self._by_mill.get(mill, [])):
                if self._alarms[key].suppressed:
                    self._apply(key, Unsuppress(), now, out)
        key = AlarmKey(mill, "", AlarmKind.MILL_ERROR)
        if status is MillStatus.ERROR:
            self._ensure(key, DEFAULT_PRIORITY[AlarmKind.MILL_ERROR], False, f"{mill}: mill reports an error")
            self._apply(key, Activate(comment=f"status {status.value}"), now, out)
        elif key in self._alarms:
            self._apply(key, Clear(comment=f"status {status.value}"), now, out)
        if suppress:
            reason = f"mill {status.value}"
            for key in list(self._by_mill.get(mill, [])):
                if key.kind.suppressible and not self._alarms[key].suppressed:
                    self._apply(key, Suppress(reason), now, out)
        return out

    def raise_estop(self, mill: str, user: str, now: float, *, comment: str = "") -> list[EngineEvent]:
        """An emergency stop of `mill` was raised (by `user`, "" for a field device): EMERGENCY alarm."""
        key = AlarmKey(mill, "", AlarmKind.ESTOP)
        self._ensure(key, DEFAULT_PRIORITY[AlarmKind.ESTOP], False, f"{mill}: emergency stop")
        out: list[EngineEvent] = []
        self._apply(key, Activate(user=user, comment=comment), now, out)
        return out

    def clear_estop(self, mill: str, user: str, now: float, *, comment: str = "") -> list[EngineEvent]:
        """The e-stop was reset: the alarm returns to normal (and still needs acknowledging if it was not)."""
        key = AlarmKey(mill, "", AlarmKind.ESTOP)
        out: list[EngineEvent] = []
        if key in self._alarms:
            self._apply(key, Clear(user=user, comment=comment), now, out)
        return out

    def tick(self, now: float) -> list[EngineEvent]:
        """Complete delays that ran out, end expired shelvings and floods that are over."""
        out: list[EngineEvent] = []
        for (eui, kind), det in list(self._detectors.items()):
            if det.pending_since is None or eui in self._stale:
                continue
            st = self._sensors.get(eui)
            if st is None:
                continue
            on, off = _delays(st.cfg, kind)
            due = det.due_at(on, off)
            if due is not None and now >= due:
                target = not det.active
                det.step(target, det.value, now, on, off)
                self._sensor_alarm(st, kind, target, det.value, now, out)
        for key, alarm in list(self._alarms.items()):
            if alarm.shelved_until is not None and now >= alarm.shelved_until:
                self._apply(key, ShelveExpired(), now, out)
        for mill in list(self._floods):
            self._flood_end_check(mill, now, out)
        return out

    # -- operator commands (permissions are the service's business) --------------------------------
    def acknowledge(self, key: AlarmKey, user: str, now: float, *, comment: str = "") -> list[EngineEvent]:
        return self._command(key, Acknowledge(user, comment), now)

    def acknowledge_all(
        self, keys: Iterable[AlarmKey], user: str, now: float, *, comment: str = ""
    ) -> list[EngineEvent]:
        """Acknowledge those of `keys` that are unacknowledged; the others (and unknown keys) are skipped."""
        if not user.strip():
            raise AlarmRefused(RefusalCode.NO_USER, Text("an operator command needs the user who gives it"))
        out: list[EngineEvent] = []
        for key in keys:
            alarm = self._alarms.get(key)
            if alarm is not None and alarm.unacked:
                self._apply(key, Acknowledge(user, comment), now, out)
        return out

    def reset(self, key: AlarmKey, user: str, now: float, *, comment: str = "") -> list[EngineEvent]:
        return self._command(key, Reset(user, comment), now)

    def shelve(self, key: AlarmKey, user: str, now: float, *, minutes: float, reason: str) -> list[EngineEvent]:
        return self._command(key, Shelve(user, minutes, reason), now)

    def unshelve(self, key: AlarmKey, user: str, now: float, *, comment: str = "") -> list[EngineEvent]:
        return self._command(key, Unshelve(user, comment), now)

    def remove_from_service(self, key: AlarmKey, user: str, now: float, *, reason: str) -> list[EngineEvent]:
        return self._command(key, RemoveFromService(user, reason), now)

    def return_to_service(self, key: AlarmKey, user: str, now: float, *, comment: str = "") -> list[EngineEvent]:
        return self._command(key, ReturnToService(user, comment), now)

    def _command(self, key: AlarmKey, event: AlarmEvent, now: float) -> list[EngineEvent]:
        if key not in self._alarms:
            raise AlarmRefused(RefusalCode.UNKNOWN_ALARM, Text("{alarm}: {reason}", alarm=str(key),
                                                               reason=Text("no such alarm")), key)
        out: list[EngineEvent] = []
        self._apply(key, event, now, out)
        return out

    # -- internals ----------------------------------------------------------------------------------
    def _ensure(
        self, key: AlarmKey, priority: Severity, latching: bool, description: str, limit: float | None = None
    ) -> Alarm:
        alarm = self._alarms.get(key)
        if alarm is None:
            suppressed = key.kind.suppressible and self.mill_status_of(key.mill) in SUPPRESSING_STATUSES
            alarm = Alarm(
                key=key,
                priority=priority,
                latching=latching,
                description=description,
                limit=limit,
                suppressed=suppressed,
                suppress_reason=f"mill {self.mill_status_of(key.mill).value}" if suppressed else "",
            )
            self._alarms[key] = alarm
            self._by_mill.setdefault(key.mill, []).append(key)
        elif (alarm.priority, alarm.latching, alarm.description, alarm.limit) != (
            priority, latching, description, limit
        ):
            alarm = replace(
                alarm,
                priority=priority,
                latching=latching,
                description=description,
                limit=limit,
            )
            self._alarms[key] = alarm
        return alarm

    def _sensor_alarm(
        self, st: _SensorState, kind: AlarmKind, active: bool, value: float | None, now: float, out: list[EngineEvent]
    ) -> None:
        sensor = st.sensor
        key = AlarmKey(sensor.mill_slug, sensor.eui, kind)
        if not active and key not in self._alarms:
            return
        if kind is AlarmKind.BAD_QUALITY:
            priority = st.cfg.quality_priority
        elif kind is AlarmKind.STALE:
            priority = st.cfg.stale_priority
        else:
            priority = DEFAULT_PRIORITY[kind]
        limit = _limit_of(sensor.thresholds, kind)
        self._ensure(key, priority, kind in st.cfg.latch, f"{sensor.name}: {kind.label}", limit)
        self._apply(key, Activate(value) if active else Clear(value), now, out)

    def _apply(self, key: AlarmKey, event: AlarmEvent, now: float, out: list[EngineEvent]) -> None:
        before = self._alarms[key]
        after, entries = transition(before, event, now, max_shelve_minutes=self.config.max_shelve_minutes)
        if not entries:
            return
        action = entries[0].action
        tags: list[AlarmChange] = []
        flood_change: FloodChange | None = None
        if action in (JournalAction.RAISED, JournalAction.REACTIVATED) and not after.hidden:
            if action is JournalAction.RAISED and self._others_normal(after):
                after = replace(after, first_out=True)
            if key.mill in self._floods:
                self._flood_end_check(key.mill, now, out)  # a flood that ran out before this activation
            flood_change, tags = self._flood_add(after, now)
            since = self._floods[key.mill].since
            if since is not None:
                after = replace(after, flood_since=since)
            entries = [replace(e, first_out=after.first_out, flood_since=after.flood_since) for e in entries]
        self._alarms[key] = after
        out.append(AlarmChange(after, before, tuple(entries)))
        if flood_change is not None:
            out.append(flood_change)
            out.extend(tags)

    def _others_normal(self, alarm: Alarm) -> bool:
        for k in self._by_mill.get(alarm.mill, []):
            if k == alarm.key:
                continue
            other = self._alarms[k]
            if other.state is not AlarmState.NORMAL and not other.hidden:
                return False
        return True

    def _flood_add(self, alarm: Alarm, now: float) -> tuple[FloodChange | None, list[AlarmChange]]:
        mill = alarm.mill
        f = self._floods.setdefault(mill, _Flood())
        self._prune(f, now)
        f.events.append((now, alarm.key))
        if f.since is not None or len(f.events) <= self.config.flood_count:
            return None, []
        f.since = now
        group = tuple(dict.fromkeys(k for _t, k in f.events))
        tags: list[AlarmChange] = []
        for k in group:
            other = self._alarms[k]
            if k != alarm.key and other.flood_since is None:
                tagged = replace(other, flood_since=now)
                self._alarms[k] = tagged
                tags.append(AlarmChange(tagged, other, ()))
        return FloodChange(mill, now, True, now, len(f.events), group), tags

    def _prune(self, f: _Flood, now: float) -> None:
        horizon = now - self.config.flood_window_s
        while f.events and f.events[0][0] <= horizon:
            f.events.popleft()

    def _flood_end_check(self, mill: str, now: float, out: list[EngineEvent]) -> None:
        f = self._floods[mill]
        self._prune(f, now)
        if f.since is not None and len(f.events) <= self.config.flood_end_count:
            since, f.since = f.since, None
            out.append(FloodChange(mill, now, False, since, len(f.events)))


def _delays(cfg: SensorAlarmConfig, kind: AlarmKind) -> tuple[float, float]:
    if kind is AlarmKind.BAD_QUALITY:
        return cfg.quality_on_delay_s, cfg.quality_off_delay_s
    return cfg.on_delay_s, cfg.off_delay_s


def _limit_of(th: Thresholds, kind: AlarmKind) -> float | None:
    for k, attr, _high in _LIMITS:
        if k is kind:
            return getattr(th, attr)
    return None


def _importance(a: Alarm) -> tuple[int, int, float, str]:
    return (0 if a.unacked else 1, -PRIORITY_RANK[a.priority], -(a.raised_at or 0.0), str(a.key))
