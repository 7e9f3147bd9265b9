"""The alarm engine: thresholds with deadband and delays, quality and staleness, mill status,
shelving, latching, occurrences, floods, first-out, the snapshot. Time comes from a FakeClock."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmi.core.alarm_config import AlarmConfig, SensorAlarmConfig
from hmi.core.alarm_engine import AlarmChange, AlarmEngine, EngineEvent, FloodChange
from hmi.core.alarms import (
    AlarmKey,
    AlarmKind,
    AlarmRefused,
    AlarmState,
    JournalAction,
    JournalEntry,
    RefusalCode,
)
from hmi.core.clock import FakeClock
from hmi.core.domain import Mill, MillStatus, Quality, Reading, Sensor, SensorType, Severity, Thresholds

S = AlarmState
A = JournalAction
K = AlarmKind
MILL = "north"
TH = Thresholds(warning_min=10, warning_max=60, critical_min=5, critical_max=75)
PLAIN = SensorAlarmConfig()  # no deadband, no delays: each test adds what it is about


def make_sensor(i: int = 1, mill: str = MILL, th: Thresholds = TH, **kw: object) -> Sensor:
    return Sensor(mill, f"Silo {i} temperature", SensorType.TEMPERATURE, f"A1B2C3D4E5F6{i:04X}", thresholds=th,
                  **kw)  # type: ignore[arg-type]


def key(kind: AlarmKind, i: int = 1, mill: str = MILL) -> AlarmKey:
    return AlarmKey(mill, make_sensor(i, mill).eui, kind)


class Rig:
    """An engine, its sensors and a FakeClock; collects every event the engine returns."""

    def __init__(self, cfg: SensorAlarmConfig = PLAIN, n: int = 1, status: MillStatus = MillStatus.ACTIVE,
                 **engine_cfg: object) -> None:
        self.clock = FakeClock()
        self.sensors = [make_sensor(i) for i in range(1, n + 1)]
        mill = Mill(MILL, "North", status=status, sensors=tuple(self.sensors))
        self.engine = AlarmEngine(AlarmConfig(default=cfg, **engine_cfg), mills=[mill])  # type: ignore[arg-type]
        self.events: list[EngineEvent] = []

    @property
    def now(self) -> float:
        return self.clock.now().timestamp()

    def read(self, value: float | None, quality: Quality = Quality.GOOD, *, i: int = 1, dt: float = 1.0,
             ts: float | None = None) -> list[EngineEvent]:
        self.clock.advance(dt)
        sensor = self.sensors[i - 1]
        reading = Reading(sensor.eui, self.now if ts is None else ts, value, quality)
        return self._keep(self.engine.evaluate(sensor, reading, self.now))

    def series(self, values: list[float], dt: float = 1.0, i: int = 1) -> list[EngineEvent]:
        out: list[EngineEvent] = []
        for v in values:
            out += self.read(v, dt=dt, i=i)
        return out

    def tick(self, dt: float = 0.0) -> list[EngineEvent]:
        self.clock.advance(dt)
        return self._keep(self.engine.tick(self.now))

    def do(self, method: str, *args: object, **kw: object) -> list[EngineEvent]:
        return self._keep(getattr(self.engine, method)(*args, self.now, **kw))

    def _keep(self, events: list[EngineEvent]) -> list[EngineEvent]:
        self.events += events
        return events

    def state(self, k: AlarmKey) -> AlarmState | None:
        alarm = self.engine.get(k)
        return None if alarm is None else alarm.state


def entries(events: list[EngineEvent], k: AlarmKey | None = None) -> list[JournalEntry]:
    return [e for ev in events if isinstance(ev, AlarmChange) for e in ev.entries if k is None or e.key == k]


def actions(events: list[EngineEvent], k: AlarmKey | None = None) -> list[tuple[AlarmKind, JournalAction]]:
    return [(e.key.kind, e.action) for e in entries(events, k)]


def activations(events: list[EngineEvent], k: AlarmKey | None = None) -> int:
    return sum(1 for e in entries(events, k) if e.action in (A.RAISED, A.REACTIVATED))


def floods(events: list[EngineEvent]) -> list[FloodChange]:
    return [e for e in events if isinstance(e, FloodChange)]


# -- thresholds, deadband, delays ---------------------------------------------------------------------------


def test_high_raises_above_the_limit_and_clears_below_limit_minus_deadband() -> None:
    rig = Rig(SensorAlarmConfig(deadband=2.0))
    hi = key(K.HIGH)
    assert rig.series([59, 60]) == []  # at the limit is not above it
    ev = rig.read(60.5)
    assert actions(ev) == [(K.HIGH, A.RAISED)]
    alarm = rig.engine.get(hi)
    assert alarm is not None
    assert (alarm.priority, alarm.value, alarm.limit, alarm.raised_at) == (Severity.WARNING, 60.5, 60.0, rig.now)
    assert alarm.description == "Silo 1 temperature: high" and alarm.announced
    assert rig.series([59, 58.5, 58.0]) == []  # inside the deadband: still active
    assert actions(rig.read(57.9)) == [(K.HIGH, A.CLEARED)]
    assert rig.state(hi) is S.UNACK_RTN


def test_low_mirrors_high() -> None:
    rig = Rig(SensorAlarmConfig(deadband=1.0))
    assert actions(rig.read(9.5)) == [(K.LOW, A.RAISED)]
    assert rig.series([10, 10.5, 11.0]) == []
    assert actions(rig.read(11.1)) == [(K.LOW, A.CLEARED)]


def test_percent_deadband_of_the_alarm_span() -> None:
    # span of TH = max(75 - 5, 75) = 75; 2 % of it = 1.5
    rig = Rig(SensorAlarmConfig(deadband_pct=2.0))
    rig.read(61)
    assert rig.series([58.6]) == []
    assert actions(rig.read(58.4)) == [(K.HIGH, A.CLEARED)]


def test_above_critical_both_high_and_high_high_are_active() -> None:
    rig = Rig()
    ev = rig.read(80)
    assert actions(ev) == [(K.HIGH_HIGH, A.RAISED), (K.HIGH, A.RAISED)]
    assert rig.engine.get(key(K.HIGH_HIGH)).priority is Severity.CRITICAL  # type: ignore[union-attr]
    assert rig.engine.get(key(K.HIGH_HIGH)).limit == 75  # type: ignore[union-attr]
    assert actions(rig.read(70)) == [(K.HIGH_HIGH, A.CLEARED)]
    assert rig.state(key(K.HIGH)) is S.UNACK_ACTIVE
    ev = rig.read(2)
    assert actions(ev) == [(K.HIGH, A.CLEARED), (K.LOW_LOW, A.RAISED), (K.LOW, A.RAISED)]
    assert rig.engine.get(key(K.LOW_LOW)).priority is Severity.CRITICAL  # type: ignore[union-attr]


def test_wobbling_on_a_limit_raises_one_alarm_with_deadband() -> None:
    wobble = [60 + (0.4 if n % 2 else -0.4) for n in range(100)]
    bare = Rig()
    bare.series(wobble)
    assert activations(bare.events) == 50  # without deadband or delays: fifty announcements

    rig = Rig(SensorAlarmConfig(deadband=1.0))
    rig.series(wobble)
    assert activations(rig.events) == 1
    assert actions(rig.events) == [(K.HIGH, A.RAISED)]


def test_wobbling_on_a_limit_raises_one_alarm_with_off_delay() -> None:
    wobble = [60 + (0.4 if n % 2 else -0.4) for n in range(100)]  # one reading a second
    rig = Rig(SensorAlarmConfig(off_delay_s=5))
    rig.series(wobble)
    assert actions(rig.events) == [(K.HIGH, A.RAISED)]
    rig.series([55] * 5)
    assert rig.state(key(K.HIGH)) is S.UNACK_ACTIVE  # 4 s since the first reading below: not yet
    assert actions(rig.read(55)) == [(K.HIGH, A.CLEARED)]  # 5 s, every reading agreeing


def test_on_delay_needs_the_condition_continuously() -> None:
    rig = Rig(SensorAlarmConfig(on_delay_s=10))
    rig.series([61] * 9)  # 8 s above
    rig.read(59)  # back below: the delay starts over
    assert rig.events == []
    t0 = rig.now + 1
    rig.series([61] * 10)  # t0 .. t0+9
    assert rig.events == []
    ev = rig.read(61)  # t0 + 10
    assert actions(ev) == [(K.HIGH, A.RAISED)]
    assert rig.engine.get(key(K.HIGH)).raised_at == t0 + 10  # type: ignore[union-attr]


def test_a_delay_that_runs_out_between_readings_completes_on_tick() -> None:
    rig = Rig(SensorAlarmConfig(on_delay_s=10, off_delay_s=20), )
    rig.read(61)
    t0 = rig.now
    assert rig.engine.next_due() == t0 + 10
    assert rig.tick(9.9) == []
    assert actions(rig.tick(0.1)) == [(K.HIGH, A.RAISED)]
    assert entries(rig.events)[0].value == 61
    rig.read(50)
    assert rig.engine.next_due() == rig.now + 20
    assert rig.tick(19) == []
    assert actions(rig.tick(1)) == [(K.HIGH, A.CLEARED)]
    assert rig.engine.next_due() is None


def test_removed_limit_clears_its_alarm() -> None:
    rig = Rig()
    rig.read(61)
    rig.sensors[0] = replace(rig.sensors[0], thresholds=Thresholds(critical_max=75))
    assert actions(rig.read(61)) == [(K.HIGH, A.CLEARED)]


def test_old_and_duplicate_readings_are_ignored() -> None:
    rig = Rig()
    rig.read(50)
    t = rig.now
    assert rig.read(90, ts=t) == []  # same timestamp: a redelivery
    assert rig.read(90, ts=t - 5) == []  # older than the newest evaluated
    assert actions(rig.read(61)) == [(K.HIGH, A.RAISED)]


# -- quality and staleness -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "quality"), [(99.0, Quality.BAD), (None, Quality.GOOD), (float("nan"), Quality.GOOD)]
)
def test_bad_input_raises_only_the_quality_alarm(value: float | None, quality: Quality) -> None:
    rig = Rig()
    ev = rig.read(value, quality)
    assert actions(ev) == [(K.BAD_QUALITY, A.RAISED)]
    bq = rig.engine.get(key(K.BAD_QUALITY))
    assert bq is not None and bq.priority is Severity.WARNING and bq.description == "Silo 1 temperature: bad quality"
    assert rig.read(value, quality) == []  # still bad: nothing new
    assert actions(rig.read(50)) == [(K.BAD_QUALITY, A.CLEARED)]


def test_bad_quality_holds_process_alarms_and_cancels_their_delays() -> None:
    rig = Rig(SensorAlarmConfig(on_delay_s=10))
    rig.series([61] * 11)
    assert rig.state(key(K.HIGH)) is S.UNACK_ACTIVE
    assert actions(rig.read(20, Quality.BAD)) == [(K.BAD_QUALITY, A.RAISED)]  # HIGH holds, no LOW
    assert rig.state(key(K.HIGH)) is S.UNACK_ACTIVE
    # a pending activation does not complete across a bad reading
    rig2 = Rig(SensorAlarmConfig(on_delay_s=10))
    rig2.series([8] * 5)  # LOW pending
    rig2.read(8, Quality.BAD)
    assert rig2.engine.next_due() is None
    rig2.tick(60)
    assert actions(rig2.events) == [(K.BAD_QUALITY, A.RAISED)]
    # a good reading clears the quality alarm and the process is judged again
    assert actions(rig.read(20)) == [(K.BAD_QUALITY, A.CLEARED), (K.HIGH, A.CLEARED)]


def test_quality_alarm_delays_and_switch() -> None:
    rig = Rig(SensorAlarmConfig(quality_on_delay_s=3))
    rig.read(None, Quality.BAD)
    rig.read(None, Quality.BAD)
    assert rig.events == []
    assert actions(rig.tick(2)) == [(K.BAD_QUALITY, A.RAISED)]
    off = Rig(SensorAlarmConfig(quality_alarm=False))
    assert off.read(99, Quality.BAD) == []
    assert off.engine.get(key(K.BAD_QUALITY)) is None


def test_uncertain_quality_is_judged_unless_configured_bad() -> None:
    rig = Rig()
    assert actions(rig.read(61, Quality.UNCERTAIN)) == [(K.HIGH, A.RAISED)]
    strict = Rig(SensorAlarmConfig(uncertain_is_bad=True, quality_priority=Severity.CRITICAL))
    assert actions(strict.read(61, Quality.UNCERTAIN)) == [(K.BAD_QUALITY, A.RAISED)]
    assert strict.engine.get(key(K.BAD_QUALITY)).priority is Severity.CRITICAL  # type: ignore[union-attr]


def test_stale_data_is_its_own_alarm() -> None:
    rig = Rig(SensorAlarmConfig(on_delay_s=10))
    eui = rig.sensors[0].eui
    rig.read(61)  # HIGH pending
    ev = rig.do("mark_stale", eui)
    assert actions(ev) == [(K.STALE, A.RAISED)]
    stale = rig.engine.get(key(K.STALE))
    assert stale is not None and stale.priority is Severity.WARNING and rig.engine.is_stale(eui)
    assert rig.do("mark_stale", eui) == []
    assert rig.tick(60) == []  # the pending HIGH does not complete on old data
    assert actions(rig.read(50)) == [(K.STALE, A.CLEARED)]
    assert not rig.engine.is_stale(eui)
    rig.do("mark_stale", eui)
    assert actions(rig.do("mark_fresh", eui)) == [(K.STALE, A.CLEARED)]
    with pytest.raises(KeyError):
        rig.engine.mark_stale("FFFFFFFFFFFFFFFF", rig.now)


def test_stale_alarm_can_be_switched_off() -> None:
    rig = Rig(SensorAlarmConfig(stale_alarm=False))
    assert rig.do("mark_stale", rig.sensors[0].eui) == []
    assert rig.engine.is_stale(rig.sensors[0].eui)


# -- mill status: error and suppression by design ------------------------------------------------------------


def test_mill_error_status_raises_a_critical_alarm() -> None:
    rig = Rig()
    mk = AlarmKey(MILL, "", K.MILL_ERROR)
    assert actions(rig.do("mill_status", MILL, MillStatus.ERROR)) == [(K.MILL_ERROR, A.RAISED)]
    assert rig.engine.get(mk).priority is Severity.CRITICAL  # type: ignore[union-attr]
    assert rig.do("mill_status", MILL, MillStatus.ERROR) == []
    assert actions(rig.do("mill_status", MILL, MillStatus.ACTIVE)) == [(K.MILL_ERROR, A.CLEARED)]
    assert rig.state(mk) is S.UNACK_RTN


def test_maintenance_suppresses_but_still_evaluates_and_journals() -> None:
    rig = Rig(n=2)
    rig.read(61, i=1)
    hi1, hi2 = key(K.HIGH, 1), key(K.HIGH, 2)
    ev = rig.do("mill_status", MILL, MillStatus.MAINTENANCE)
    assert actions(ev) == [(K.HIGH, A.SUPPRESSED)]
    assert entries(ev)[0].comment == "mill maintenance"
    assert rig.engine.snapshot() == []
    # evaluated and journaled while suppressed, not announced
    ev = rig.read(61, i=2)
    (raised,) = entries(ev)
    assert raised.action is A.RAISED and not raised.announced
    assert rig.engine.get(hi2).suppressed and rig.state(hi2) is S.UNACK_ACTIVE  # type: ignore[union-attr]
    (cleared,) = entries(rig.read(50, i=1))
    assert cleared.action is A.CLEARED and not cleared.announced
    assert {a.key for a in rig.engine.snapshot(announced_only=False)} == {hi1, hi2}
    # the e-stop is never suppressed
    rig.do("raise_estop", MILL, "olga")
    assert [a.kind for a in rig.engine.snapshot()] == [K.ESTOP]
    # back to active: announced again
    ev = rig.do("mill_status", MILL, MillStatus.ACTIVE)
    assert sorted(actions(ev)) == [(K.HIGH, A.UNSUPPRESSED), (K.HIGH, A.UNSUPPRESSED)]
    assert {a.key for a in rig.engine.snapshot()} == {hi1, hi2, AlarmKey(MILL, "", K.ESTOP)}


def test_a_mill_starting_offline_suppresses_from_the_first_alarm() -> None:
    rig = Rig(status=MillStatus.OFFLINE)
    (raised,) = entries(rig.read(61))
    assert not raised.announced
    assert rig.engine.get(key(K.HIGH)).suppress_reason == "mill offline"  # type: ignore[union-attr]


def test_maintenance_to_error_unsuppresses_then_raises() -> None:
    rig = Rig()
    rig.do("mill_status", MILL, MillStatus.MAINTENANCE)
    rig.read(61)
    ev = rig.do("mill_status", MILL, MillStatus.ERROR)
    assert actions(ev) == [(K.HIGH, A.UNSUPPRESSED), (K.MILL_ERROR, A.RAISED)]
    ev = rig.do("mill_status", MILL, MillStatus.OFFLINE)
    assert actions(ev) == [(K.MILL_ERROR, A.CLEARED), (K.HIGH, A.SUPPRESSED), (K.MILL_ERROR, A.SUPPRESSED)]


# -- operator commands ---------------------------------------------------------------------------------------


def test_returned_and_acknowledged_alarm_is_finished_and_a_new_excursion_is_a_new_alarm() -> None:
    rig = Rig()
    hi = key(K.HIGH)
    rig.series([61, 50, 61, 50])  # returns and comes back before anyone acknowledged: one occurrence
    assert actions(rig.events) == [(K.HIGH, A.RAISED), (K.HIGH, A.CLEARED), (K.HIGH, A.REACTIVATED),
                                   (K.HIGH, A.CLEARED)]
    assert rig.engine.get(hi).occurrence == 1  # type: ignore[union-attr]
    (ack,) = entries(rig.do("acknowledge", hi, "olga", comment="seen"))
    assert (ack.from_state, ack.to_state, ack.user, ack.comment) == (S.UNACK_RTN, S.NORMAL, "olga", "seen")
    assert rig.engine.get(hi).finished and rig.engine.snapshot() == []  # type: ignore[union-attr]
    (raised,) = entries(rig.read(62))
    assert (raised.action, raised.occurrence) == (A.RAISED, 2)


def test_latched_alarm_needs_a_reset_while_normal() -> None:
    rig = Rig(SensorAlarmConfig(latch=frozenset({K.HIGH})))
    hi = key(K.HIGH)
    rig.read(61)
    rig.do("acknowledge", hi, "olga")
    rig.read(50)
    assert rig.state(hi) is S.LATCHED_ACK and rig.engine.get(hi).announced  # type: ignore[union-attr]
    rig.read(61)
    assert rig.state(hi) is S.UNACK_ACTIVE
    with pytest.raises(AlarmRefused) as exc:
        rig.do("reset", hi, "tom")
    assert exc.value.code is RefusalCode.STILL_ACTIVE
    rig.read(50)
    assert rig.state(hi) is S.LATCHED_UNACK
    (reset,) = entries(rig.do("reset", hi, "tom", comment="sensor checked"))
    assert (reset.action, reset.to_state, reset.user) == (A.RESET, S.NORMAL, "tom")
    assert rig.engine.get(hi).acked_by == "tom"  # type: ignore[union-attr]
    assert rig.engine.get(key(K.HIGH_HIGH)) is None
    rig.read(80)
    rig.read(50)
    assert rig.state(key(K.HIGH_HIGH)) is S.UNACK_RTN  # only HIGH latches here


def test_shelving_hides_until_expiry_and_is_still_journaled() -> None:
    rig = Rig()
    hi = key(K.HIGH)
    rig.read(61)
    (sh,) = entries(rig.do("shelve", hi, "olga", minutes=30, reason="transmitter chattering"))
    assert (sh.action, sh.user, sh.comment, sh.until) == (A.SHELVED, "olga", "transmitter chattering", rig.now + 1800)
    assert rig.engine.snapshot() == []
    (cl,) = entries(rig.read(50))
    assert cl.action is A.CLEARED and not cl.announced
    assert rig.engine.next_due() == sh.until
    assert rig.tick(1700) == []
    (ex,) = entries(rig.tick(100))
    assert (ex.action, ex.user, ex.announced) == (A.SHELVE_EXPIRED, "", True)
    assert [a.key for a in rig.engine.snapshot()] == [hi]  # returned but unacknowledged: announced again
    rig.read(61)
    rig.do("shelve", hi, "olga", minutes=10, reason="x")
    assert actions(rig.do("unshelve", hi, "olga")) == [(K.HIGH, A.UNSHELVED)]


def test_shelving_limits() -> None:
    rig = Rig(max_shelve_minutes=60)
    hi = key(K.HIGH)
    rig.read(61)
    for minutes, reason, code in [
        (61, "x", RefusalCode.SHELVE_TOO_LONG),
        (0, "x", RefusalCode.BAD_DURATION),
        (10, " ", RefusalCode.REASON_REQUIRED),
    ]:
        with pytest.raises(AlarmRefused) as exc:
            rig.do("shelve", hi, "olga", minutes=minutes, reason=reason)
        assert exc.value.code is code
    with pytest.raises(AlarmRefused) as exc:
        rig.do("shelve", key(K.LOW), "olga", minutes=5, reason="x")
    assert exc.value.code is RefusalCode.UNKNOWN_ALARM
    rig.do("raise_estop", MILL, "olga")
    with pytest.raises(AlarmRefused) as exc:
        rig.do("shelve", AlarmKey(MILL, "", K.ESTOP), "olga", minutes=5, reason="x")
    assert exc.value.code is RefusalCode.NOT_SHELVABLE


def test_out_of_service_alarm_is_evaluated_not_announced() -> None:
    rig = Rig()
    hi = key(K.HIGH)
    rig.read(61)
    rig.do("acknowledge", hi, "olga")
    rig.do("remove_from_service", hi, "tom", reason="transmitter replaced")
    assert rig.engine.snapshot() == []
    (cl,) = entries(rig.read(50))
    assert cl.action is A.CLEARED and not cl.announced
    (r,) = entries(rig.read(61))
    assert r.action is A.RAISED and r.occurrence == 2 and not r.announced
    assert actions(rig.do("return_to_service", hi, "tom")) == [(K.HIGH, A.RETURNED_TO_SERVICE)]
    assert [a.key for a in rig.engine.snapshot()] == [hi]


def test_acknowledge_all_skips_what_needs_no_acknowledgement() -> None:
    rig = Rig(n=3)
    rig.read(61, i=1)
    rig.read(61, i=2)
    rig.do("acknowledge", key(K.HIGH, 2), "olga")
    keys = [key(K.HIGH, 1), key(K.HIGH, 2), key(K.HIGH, 3)]
    ev = rig.do("acknowledge_all", keys, "ivan")
    assert [(e.key, e.user) for e in entries(ev)] == [(key(K.HIGH, 1), "ivan")]
    with pytest.raises(AlarmRefused) as exc:
        rig.do("acknowledge_all", keys, " ")
    assert exc.value.code is RefusalCode.NO_USER
    with pytest.raises(AlarmRefused) as exc:
        rig.do("acknowledge", key(K.HIGH, 2), "olga")
    assert exc.value.code is RefusalCode.ALREADY_ACKNOWLEDGED


def test_estop_alarm() -> None:
    rig = Rig()
    ek = AlarmKey(MILL, "", K.ESTOP)
    (raised,) = entries(rig.do("raise_estop", MILL, "olga", comment="operator button"))
    assert (raised.action, raised.priority, raised.user, raised.comment) == (
        A.RAISED, Severity.EMERGENCY, "olga", "operator button")
    assert rig.do("raise_estop", MILL, "olga") == []
    (cleared,) = entries(rig.do("clear_estop", MILL, "tom"))
    assert (cleared.action, cleared.to_state, cleared.user) == (A.CLEARED, S.UNACK_RTN, "tom")
    assert rig.do("clear_estop", "south", "tom") == []
    assert rig.engine.get(ek).description == "north: emergency stop"  # type: ignore[union-attr]


# -- snapshot, restore ---------------------------------------------------------------------------------------


def test_snapshot_sorts_unacknowledged_first_then_priority_then_newest() -> None:
    rig = Rig(n=4)
    rig.read(61, i=1)  # HIGH warning, oldest
    rig.read(80, i=2)  # HIGH_HIGH critical + HIGH warning
    rig.read(61, i=3)  # HIGH warning, newest
    rig.read(61, i=4)
    rig.do("acknowledge", key(K.HIGH, 4), "olga")
    order = [(a.key.source[-1], a.kind) for a in rig.engine.snapshot()]
    assert order == [("2", K.HIGH_HIGH), ("3", K.HIGH), ("2", K.HIGH), ("1", K.HIGH), ("4", K.HIGH)]
    assert [a.key.source[-1] for a in rig.engine.snapshot("north")][:1] == ["2"]
    assert rig.engine.snapshot("south") == []
    assert len(rig.engine.alarms()) == 5 and len(rig.engine.alarms(MILL)) == 5


def test_restore_continues_where_the_last_run_stopped() -> None:
    rig = Rig()
    rig.read(61)
    rig.do("shelve", key(K.HIGH), "olga", minutes=30, reason="nuisance")
    rig.do("mark_stale", rig.sensors[0].eui)
    saved = rig.engine.alarms()
    fresh = Rig()
    fresh.engine.restore(saved)
    assert fresh.engine.alarms() == saved and fresh.engine.is_stale(rig.sensors[0].eui)
    ev = fresh.read(50)
    assert actions(ev) == [(K.STALE, A.CLEARED), (K.HIGH, A.CLEARED)]
    assert entries(ev)[1].occurrence == 1
    assert actions(fresh.tick(1800)) == [(K.HIGH, A.SHELVE_EXPIRED)]


def test_restoring_a_record_changed_elsewhere_keeps_running_delays() -> None:
    """Another workstation acknowledged: the record comes back through `restore` while the engine's
    off-delay is running; the delay must not start over."""
    rig = Rig(SensorAlarmConfig(off_delay_s=60))
    hi = key(K.HIGH)
    rig.read(61)
    rig.read(50)  # off-delay running since here
    t_below = rig.now
    current = rig.engine.get(hi)
    assert current is not None
    rig.engine.restore([replace(current, state=S.ACK_ACTIVE, acked_by="olga", acked_at=rig.now)])
    assert rig.engine.next_due() == t_below + 60
    assert actions(rig.tick(60)) == [(K.HIGH, A.CLEARED)]
    assert rig.state(hi) is S.NORMAL
    # a record restored as inactive resets its detector, so the next excursion raises again
    rig.read(61)
    current = rig.engine.get(hi)
    assert current is not None
    rig.engine.restore([replace(current, state=S.NORMAL)])
    assert actions(rig.read(61)) == [(K.HIGH, A.RAISED)]


# -- flood and first-out -------------------------------------------------------------------------------------


def test_eleven_alarms_in_ten_minutes_is_a_flood_ten_is_not() -> None:
    rig = Rig(n=12)
    for i in range(1, 11):
        rig.read(61, i=i, dt=55)  # ten in 9 min 10 s
    assert floods(rig.events) == [] and not rig.engine.flood(MILL).flooding
    ev = rig.read(61, i=11, dt=30)  # the eleventh at 9 min 40 s
    (fc,) = floods(ev)
    assert (fc.mill, fc.flooding, fc.since, fc.count) == (MILL, True, rig.now, 11)
    assert fc.keys == tuple(key(K.HIGH, i) for i in range(1, 12))
    assert all(rig.engine.get(k).flood_since == fc.since for k in fc.keys)  # type: ignore[union-attr]
    assert entries(ev)[0].flood_since == fc.since
    # the ten earlier ones are tagged into the group by record updates without journal entries
    tags = [e for e in ev if isinstance(e, AlarmChange) and not e.entries]
    assert len(tags) == 10
    # one during the flood joins the group
    ev = rig.read(61, i=12, dt=10)
    assert rig.engine.get(key(K.HIGH, 12)).flood_since == fc.since  # type: ignore[union-attr]
    assert floods(ev) == []
    st = rig.engine.flood(MILL)
    assert (st.flooding, st.since, st.count) == (True, fc.since, 12)
    # it ends once at most 5 remain in the window: when the 7th activation (at 385 s) leaves it
    due = rig.engine.next_due()
    assert due == rig.now - 590 + 385 + 600  # now is 590 s after the start
    assert rig.tick(due - rig.now - 0.5) == []
    ev = rig.tick(0.5)
    (end,) = floods(ev)
    assert (end.flooding, end.since) == (False, fc.since)
    assert not rig.engine.flood(MILL).flooding


def test_activations_spread_over_more_than_ten_minutes_are_no_flood() -> None:
    rig = Rig(n=11)
    for i in range(1, 12):
        rig.read(61, i=i, dt=60)  # 11 activations, the first 600 s before the last: outside the window
    assert floods(rig.events) == []
    assert rig.engine.flood(MILL).count == 10


def test_hidden_activations_do_not_count_toward_a_flood() -> None:
    rig = Rig(n=11)
    rig.do("mill_status", MILL, MillStatus.MAINTENANCE)
    for i in range(1, 12):
        rig.read(61, i=i)
    assert floods(rig.events) == [] and rig.engine.flood(MILL).count == 0


def test_reactivations_count_toward_a_flood() -> None:
    rig = Rig()
    rig.series([61, 50] * 11)
    assert len(floods(rig.events)) == 1


def test_first_out_is_the_first_alarm_since_the_mill_was_all_normal() -> None:
    rig = Rig(n=5)
    (a,) = entries(rig.read(61, i=1))
    assert a.first_out and rig.engine.get(key(K.HIGH, 1)).first_out  # type: ignore[union-attr]
    (b,) = entries(rig.read(61, i=2))
    assert not b.first_out
    assert rig.engine.first_out(MILL).key == key(K.HIGH, 1)  # type: ignore[union-attr]
    rig.read(50, i=1)
    rig.do("acknowledge", key(K.HIGH, 1), "olga")  # the first-out is finished, but 2 is still active
    assert rig.engine.first_out(MILL) is None
    (c,) = entries(rig.read(61, i=3))
    assert not c.first_out
    for i in (2, 3):
        rig.read(50, i=i)
        rig.do("acknowledge", key(K.HIGH, i), "olga")
    # all normal again, except a shelved alarm that does not count
    rig.read(61, i=4)
    rig.do("shelve", key(K.HIGH, 4), "olga", minutes=60, reason="nuisance")
    (d,) = entries(rig.read(61, i=5))
    assert d.first_out
    assert rig.engine.first_out(MILL).key == key(K.HIGH, 5)  # type: ignore[union-attr]


def test_first_out_and_flood_are_per_mill() -> None:
    clock = FakeClock()
    north = [make_sensor(i, "north") for i in (1, 2)]
    south = [make_sensor(i, "south") for i in (3, 4)]
    engine = AlarmEngine(AlarmConfig(default=PLAIN), [Mill("north", "N", sensors=tuple(north)),
                                                     Mill("south", "S", sensors=tuple(south))])
    t = clock.now().timestamp()
    ev = engine.evaluate(north[0], Reading(north[0].eui, t, 61), t)
    ev += engine.evaluate(south[0], Reading(south[0].eui, t, 61), t)
    assert [e.first_out for e in entries(ev)] == [True, True]
    assert engine.flood("south").count == 1


# -- the property: a signal held inside the deadband after activation raises one alarm ---------------------


@settings(max_examples=200, deadline=None)
@given(
    deadband=st.floats(0.0, 5.0),
    on_delay=st.sampled_from([0.0, 2.0, 10.0]),
    off_delay=st.sampled_from([0.0, 3.0, 30.0]),
    start=st.floats(60.0 + 1e-6, 60.5),
    steps=st.lists(st.tuples(st.floats(0.0, 1.0), st.floats(0.1, 20.0)), min_size=1, max_size=80),
)
def test_signal_within_deadband_after_activation_never_raises_twice(
    deadband: float, on_delay: float, off_delay: float, start: float, steps: list[tuple[float, float]]
) -> None:
    """After a HIGH activates, values in [limit - deadband, limit + 0.5] never produce another activation."""
    rig = Rig(SensorAlarmConfig(deadband=deadband, on_delay_s=on_delay, off_delay_s=off_delay))
    hi = key(K.HIGH)
    rig.read(start)
    rig.tick(on_delay)
    assert rig.state(hi) is S.UNACK_ACTIVE
    low = 60.0 - deadband
    for u, dt in steps:
        rig.read(low + u * (60.5 - low), dt=dt)
        rig.tick(dt / 2)
    assert activations(rig.events, hi) == 1
    assert rig.state(hi) is S.UNACK_ACTIVE


# -- the quiet fast path (evaluate_quiet) ---------------------------------------------------------------------

_QUIET_CFGS = [
    PLAIN,
    SensorAlarmConfig(deadband=2.0),
    SensorAlarmConfig(on_delay_s=3.0, off_delay_s=2.0, deadband=1.0),
    SensorAlarmConfig(quality_on_delay_s=2.0, quality_off_delay_s=1.0, uncertain_is_bad=True),
]
_STEP = st.one_of(
    st.tuples(st.just("read"), st.integers(0, 2), st.floats(-10, 90, allow_nan=False),
              st.sampled_from([Quality.GOOD, Quality.GOOD, Quality.GOOD, Quality.UNCERTAIN, Quality.BAD]),
              st.floats(-2.0, 3.0, allow_nan=False)),
    st.tuples(st.just("none"), st.integers(0, 2)),
    st.tuples(st.just("stale"), st.integers(0, 2)),
    st.tuples(st.just("tick"), st.floats(0.0, 5.0, allow_nan=False)),
)


def _engine_pair(cfg: SensorAlarmConfig) -> tuple[AlarmEngine, AlarmEngine, list[Sensor]]:
    sensors = [make_sensor(1), make_sensor(2, th=Thresholds(warning_max=60)), make_sensor(3, th=Thresholds())]
    mill = Mill(MILL, "North", sensors=tuple(sensors))
    return AlarmEngine(AlarmConfig(default=cfg), [mill]), AlarmEngine(AlarmConfig(default=cfg), [mill]), sensors


def _step_both(
    step: tuple, slow: AlarmEngine, fast: AlarmEngine, sensors: list[Sensor], now: float
) -> tuple[float, Sensor | None, Reading | None, list[EngineEvent]]:
    """A tick or a stale mark goes to both engines (the same events); a reading step makes its reading
    and `slow` evaluates it: (now, sensor, reading, slow's events), the reading left for `fast`."""
    if step[0] == "tick":
        now += step[1]
        assert slow.tick(now) == fast.tick(now)
    elif step[0] == "stale":
        eui = sensors[step[1]].eui
        assert slow.mark_stale(eui, now) == fast.mark_stale(eui, now)
    elif step[0] in ("read", "none"):
        sensor = sensors[step[1]]
        value, quality, dt = (step[2], step[3], step[4]) if step[0] == "read" else (None, Quality.BAD, 1.0)
        now += max(dt, 0.0)
        reading = Reading(sensor.eui, now + min(dt, 0.0), value, quality)  # dt < 0: an older reading
        return now, sensor, reading, slow.evaluate(sensor, reading, now)
    return now, None, None, []


@settings(max_examples=150, deadline=None)
@given(cfg=st.sampled_from(_QUIET_CFGS), steps=st.lists(_STEP, min_size=1, max_size=60))
def test_quiet_path_is_equivalent_to_evaluate(cfg: SensorAlarmConfig, steps: list[tuple]) -> None:
    """Engine `slow` judges every reading with `evaluate`; engine `fast` tries `evaluate_quiet` first, as the
    pipeline does. Same events, same records, same pending delays after every step, whatever the sequence
    (limits crossed and re-crossed, delays, deadbands, bad and uncertain quality, stale marks, old readings)."""
    slow, fast, sensors = _engine_pair(cfg)
    now = 1_790_000_000.0
    quiet = 0
    for step in steps:
        now, sensor, reading, expected = _step_both(step, slow, fast, sensors, now)
        if sensor is not None and reading is not None:
            value = reading.value
            if value is not None and reading.quality is Quality.GOOD and fast.evaluate_quiet(sensor, reading.ts, value):
                quiet += 1
                got: list[EngineEvent] = []
            else:
                got = fast.evaluate(sensor, reading, now)
            assert got == expected
        assert fast.alarms() == slow.alarms()
        assert fast.next_due() == slow.next_due()
        assert [fast.is_stale(s.eui) for s in sensors] == [slow.is_stale(s.eui) for s in sensors]


def _internals(engine: AlarmEngine, sensors: list[Sensor]) -> list[tuple[float, list[float | None]]]:
    """What the quiet path records per sensor: the newest time evaluated, the detectors' latest value."""
    return [(engine._sensors[s.eui].last_ts, [d.value for d in engine._sensors[s.eui].detectors]) for s in sensors]


@settings(max_examples=150, deadline=None)
@given(cfg=st.sampled_from(_QUIET_CFGS), steps=st.lists(st.one_of(_STEP, st.just(("end",))), min_size=1, max_size=60))
def test_quiet_windows_are_equivalent_to_evaluate(cfg: SensorAlarmConfig, steps: list[tuple]) -> None:
    """Engine `fast` is used as the ingest pipeline uses it a batch at a time: each sensor's window
    (`quiet_window`) opens with its first GOOD reading of the batch, readings inside it are only noted,
    the engine hears of the newest at the end of the batch (`note_quiet`); a reading outside settles
    its sensor's note, closes its window for the batch and takes `evaluate_quiet`/`evaluate`. Ticks and
    stale marks come between batches. Engine `slow` evaluates every reading. Same events, records and
    delays after every step, and the same internal state at every batch end."""
    slow, fast, sensors = _engine_pair(cfg)
    now = 1_790_000_000.0
    windows: dict[str, tuple[float, float, float] | None] = {}  # this batch's: None = closed
    noted: dict[str, tuple[float, float]] = {}

    def end_batch() -> None:
        for s in sensors:
            if s.eui in noted:
                fast.note_quiet(s, *noted.pop(s.eui))
        windows.clear()
        assert _internals(fast, sensors) == _internals(slow, sensors)

    for step in steps:
        if step[0] in ("tick", "stale", "end"):
            end_batch()  # those come between batches
        now, sensor, reading, expected = _step_both(step, slow, fast, sensors, now)
        if sensor is not None and reading is not None:
            value = reading.value
            good = value is not None and reading.quality is Quality.GOOD
            got: list[EngineEvent] = []
            if good and sensor.eui not in windows:
                windows[sensor.eui] = fast.quiet_window(sensor)  # opens with the first GOOD reading
            w = windows.get(sensor.eui)
            newest = noted.get(sensor.eui, (w[2], 0.0))[0] if w is not None else 0.0
            if good and w is not None and w[0] <= value <= w[1] and reading.ts > newest:  # type: ignore[operator]
                noted[sensor.eui] = (reading.ts, value)  # type: ignore[assignment]
            else:
                if sensor.eui in noted:
                    fast.note_quiet(sensor, *noted.pop(sensor.eui))
                windows[sensor.eui] = None
                if not (good and fast.evaluate_quiet(sensor, reading.ts, value)):  # type: ignore[arg-type]
                    got = fast.evaluate(sensor, reading, now)
            assert got == expected
        assert fast.alarms() == slow.alarms()
        assert fast.next_due() == slow.next_due()
    end_batch()


def test_a_quiet_window_is_what_evaluate_quiet_takes() -> None:
    rig = Rig(SensorAlarmConfig(on_delay_s=2.0))
    sensor = rig.sensors[0]
    t = 1_790_000_000.0
    lo, hi, last = rig.engine.quiet_window(sensor)  # type: ignore[misc]
    assert (lo, hi, last) == (sensor.thresholds.warning_min, sensor.thresholds.warning_max, -float("inf"))
    rig.engine.note_quiet(sensor, t, 30.0)
    assert rig.engine.quiet_window(sensor)[2] == t  # type: ignore[index]
    assert not rig.engine.evaluate_quiet(sensor, t, 30.0)  # the noted reading is the newest now
    rig.engine.evaluate(sensor, Reading(sensor.eui, t + 1, hi + 1), t + 1)  # HIGH pending (on-delay)
    assert rig.engine.quiet_window(sensor) is None
    rig.engine.evaluate(sensor, Reading(sensor.eui, t + 2, 30.0), t + 2)  # pending cancelled
    assert rig.engine.quiet_window(sensor) is not None
    rig.engine.mark_stale(sensor.eui, t + 3)
    assert rig.engine.quiet_window(sensor) is None
    assert rig.engine.quiet_window(replace(sensor, name="renamed")) is None  # not the sensor the engine knows


def test_quiet_path_takes_normal_readings_and_refuses_the_rest() -> None:
    rig = Rig(SensorAlarmConfig(on_delay_s=2.0))
    sensor = rig.sensors[0]
    t = 1_790_000_000.0
    assert rig.engine.evaluate_quiet(sensor, t, 30.0)  # inside every limit: handled
    assert not rig.engine.evaluate_quiet(sensor, t, 31.0)  # not newer than the last one
    assert not rig.engine.evaluate_quiet(sensor, t + 1, 61.0)  # past warning_max: evaluate must judge it
    assert not rig.engine.evaluate_quiet(sensor, t + 1, float("inf"))
    assert rig.engine.evaluate(sensor, Reading(sensor.eui, t + 1, 61.0), t + 1) == []  # HIGH pending (on-delay)
    assert not rig.engine.evaluate_quiet(sensor, t + 2, 30.0)  # a pending delay: not quiet
    rig.engine.evaluate(sensor, Reading(sensor.eui, t + 2, 30.0), t + 2)  # pending cancelled
    assert rig.engine.evaluate_quiet(sensor, t + 3, 30.0)
    rig.engine.mark_stale(sensor.eui, t + 4)
    assert not rig.engine.evaluate_quiet(sensor, t + 5, 30.0)  # STALE must clear through evaluate
    other = replace(sensor, name="renamed")
    assert not rig.engine.evaluate_quiet(other, t + 6, 30.0)  # not the sensor the engine knows
