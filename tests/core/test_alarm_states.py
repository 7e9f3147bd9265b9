"""The alarm state machine, one table row per (state, event) pair: next state and journal action, a
no-op, or the refusal code. A coverage test makes sure no pair is missing from the tables."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmi.core.alarms import (
    EVENT_TYPES,
    MAX_SHELVE_MINUTES,
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
from hmi.core.domain import Severity

S = AlarmState
A = JournalAction
R = RefusalCode
NOOP = "noop"
NOW = 1_800_000_000.0
KEY = AlarmKey("north", "A1B2C3D4E5F60001", AlarmKind.HIGH)

EVENTS: dict[type, AlarmEvent] = {
    Activate: Activate(61.0),
    Clear: Clear(55.0),
    Acknowledge: Acknowledge("olga", "seen"),
    Reset: Reset("tom", "checked"),
    Shelve: Shelve("olga", 30, "chattering transmitter"),
    Unshelve: Unshelve("olga"),
    ShelveExpired: ShelveExpired(),
    Suppress: Suppress("mill maintenance"),
    Unsuppress: Unsuppress(),
    RemoveFromService: RemoveFromService("tom", "transmitter replaced"),
    ReturnToService: ReturnToService("tom"),
}


def alarm_in(state: AlarmState, *, latching: bool | None = None, **kw: object) -> Alarm:
    """An alarm in `state` as the state machine would have left it."""
    latching = state.latched if latching is None else latching
    fields: dict[str, object] = {"state": state, "latching": latching, "occurrence": 0}
    if state is not S.NORMAL:
        fields.update(occurrence=3, raised_at=NOW - 100, changed_at=NOW - 50, value=61.0)
    if state in (S.ACK_ACTIVE, S.LATCHED_ACK):
        fields.update(acked_by="ivan", acked_at=NOW - 40)
    fields.update(kw)
    return Alarm(KEY, Severity.WARNING, **fields)  # type: ignore[arg-type]


# -- the process and operator events: (state, event type) -> (next state, action) | refusal | NOOP ------
# Non-latching alarm for NORMAL/UNACK_ACTIVE/ACK_ACTIVE/UNACK_RTN; latching for LATCHED_*.
STATE_TABLE: dict[tuple[AlarmState, type], tuple[AlarmState, JournalAction] | RefusalCode | str] = {
    (S.NORMAL, Activate): (S.UNACK_ACTIVE, A.RAISED),
    (S.NORMAL, Clear): NOOP,
    (S.NORMAL, Acknowledge): R.NOT_IN_ALARM,
    (S.NORMAL, Reset): R.NOT_LATCHED,
    (S.UNACK_ACTIVE, Activate): NOOP,
    (S.UNACK_ACTIVE, Clear): (S.UNACK_RTN, A.CLEARED),
    (S.UNACK_ACTIVE, Acknowledge): (S.ACK_ACTIVE, A.ACKNOWLEDGED),
    (S.UNACK_ACTIVE, Reset): R.STILL_ACTIVE,
    (S.ACK_ACTIVE, Activate): NOOP,
    (S.ACK_ACTIVE, Clear): (S.NORMAL, A.CLEARED),
    (S.ACK_ACTIVE, Acknowledge): R.ALREADY_ACKNOWLEDGED,
    (S.ACK_ACTIVE, Reset): R.STILL_ACTIVE,
    (S.UNACK_RTN, Activate): (S.UNACK_ACTIVE, A.REACTIVATED),
    (S.UNACK_RTN, Clear): NOOP,
    (S.UNACK_RTN, Acknowledge): (S.NORMAL, A.ACKNOWLEDGED),
    (S.UNACK_RTN, Reset): R.NOT_LATCHED,
    (S.LATCHED_UNACK, Activate): (S.UNACK_ACTIVE, A.REACTIVATED),
    (S.LATCHED_UNACK, Clear): NOOP,
    (S.LATCHED_UNACK, Acknowledge): (S.LATCHED_ACK, A.ACKNOWLEDGED),
    (S.LATCHED_UNACK, Reset): (S.NORMAL, A.RESET),
    (S.LATCHED_ACK, Activate): (S.UNACK_ACTIVE, A.REACTIVATED),
    (S.LATCHED_ACK, Clear): NOOP,
    (S.LATCHED_ACK, Acknowledge): R.ALREADY_ACKNOWLEDGED,
    (S.LATCHED_ACK, Reset): (S.NORMAL, A.RESET),
}

# The same events on a latching alarm where latching makes a difference (elsewhere it does not).
LATCHING_TABLE: dict[tuple[AlarmState, type], tuple[AlarmState, JournalAction] | RefusalCode | str] = {
    (S.NORMAL, Activate): (S.UNACK_ACTIVE, A.RAISED),
    (S.UNACK_ACTIVE, Clear): (S.LATCHED_UNACK, A.CLEARED),
    (S.ACK_ACTIVE, Clear): (S.LATCHED_ACK, A.CLEARED),
    (S.UNACK_ACTIVE, Acknowledge): (S.ACK_ACTIVE, A.ACKNOWLEDGED),
    (S.UNACK_ACTIVE, Reset): R.STILL_ACTIVE,
    (S.ACK_ACTIVE, Reset): R.STILL_ACTIVE,
    (S.NORMAL, Reset): R.NOT_LATCHED,
}

# -- the announcement modes: (mode, event type) -> (action, modes after) | refusal | NOOP -------------
# These never change the alarm state; MODE_TABLE is checked in every state.
MODES = ("in_service", "shelved", "shelved_due", "suppressed", "out_of_service")


def with_mode(alarm: Alarm, mode: str) -> Alarm:
    if mode == "shelved":
        return replace(alarm, shelved_by="olga", shelved_until=NOW + 600, shelve_reason="nuisance")
    if mode == "shelved_due":
        return replace(alarm, shelved_by="olga", shelved_until=NOW - 1, shelve_reason="nuisance")
    if mode == "suppressed":
        return replace(alarm, suppressed=True, suppress_reason="mill maintenance")
    if mode == "out_of_service":
        return replace(alarm, out_of_service=True, out_of_service_by="tom", out_of_service_reason="broken")
    return alarm


def modes_of(alarm: Alarm) -> frozenset[str]:
    return frozenset(
        name
        for name, on in (
            ("shelved", alarm.shelved),
            ("suppressed", alarm.suppressed),
            ("out_of_service", alarm.out_of_service),
        )
        if on
    )


SH, SU, OOS = frozenset({"shelved"}), frozenset({"suppressed"}), frozenset({"out_of_service"})
NONE: frozenset[str] = frozenset()
MODE_TABLE: dict[tuple[str, type], tuple[JournalAction, frozenset[str]] | RefusalCode | str] = {
    ("in_service", Shelve): (A.SHELVED, SH),
    ("in_service", Unshelve): R.NOT_SHELVED,
    ("in_service", ShelveExpired): R.NOT_SHELVED,
    ("in_service", Suppress): (A.SUPPRESSED, SU),
    ("in_service", Unsuppress): NOOP,
    ("in_service", RemoveFromService): (A.REMOVED_FROM_SERVICE, OOS),
    ("in_service", ReturnToService): R.NOT_OUT_OF_SERVICE,
    ("shelved", Shelve): R.ALREADY_SHELVED,
    ("shelved", Unshelve): (A.UNSHELVED, NONE),
    ("shelved", ShelveExpired): R.NOT_EXPIRED,
    ("shelved", Suppress): (A.SUPPRESSED, SH | SU),
    ("shelved", Unsuppress): NOOP,
    ("shelved", RemoveFromService): (A.REMOVED_FROM_SERVICE, SH | OOS),
    ("shelved", ReturnToService): R.NOT_OUT_OF_SERVICE,
    ("shelved_due", Shelve): R.ALREADY_SHELVED,
    ("shelved_due", Unshelve): (A.UNSHELVED, NONE),
    ("shelved_due", ShelveExpired): (A.SHELVE_EXPIRED, NONE),
    ("shelved_due", Suppress): (A.SUPPRESSED, SH | SU),
    ("shelved_due", Unsuppress): NOOP,
    ("shelved_due", RemoveFromService): (A.REMOVED_FROM_SERVICE, SH | OOS),
    ("shelved_due", ReturnToService): R.NOT_OUT_OF_SERVICE,
    ("suppressed", Shelve): (A.SHELVED, SU | SH),
    ("suppressed", Unshelve): R.NOT_SHELVED,
    ("suppressed", ShelveExpired): R.NOT_SHELVED,
    ("suppressed", Suppress): NOOP,
    ("suppressed", Unsuppress): (A.UNSUPPRESSED, NONE),
    ("suppressed", RemoveFromService): (A.REMOVED_FROM_SERVICE, SU | OOS),
    ("suppressed", ReturnToService): R.NOT_OUT_OF_SERVICE,
    ("out_of_service", Shelve): R.OUT_OF_SERVICE,
    ("out_of_service", Unshelve): R.NOT_SHELVED,
    ("out_of_service", ShelveExpired): R.NOT_SHELVED,
    ("out_of_service", Suppress): (A.SUPPRESSED, OOS | SU),
    ("out_of_service", Unsuppress): NOOP,
    ("out_of_service", RemoveFromService): R.ALREADY_OUT_OF_SERVICE,
    ("out_of_service", ReturnToService): (A.RETURNED_TO_SERVICE, NONE),
}
STATE_EVENTS = (Activate, Clear, Acknowledge, Reset)
MODE_EVENTS = tuple(t for t in EVENT_TYPES if t not in STATE_EVENTS)


def test_tables_cover_every_state_event_pair() -> None:
    assert set(STATE_TABLE) == set(itertools.product(AlarmState, STATE_EVENTS))
    assert set(MODE_TABLE) == set(itertools.product(MODES, MODE_EVENTS))
    assert set(STATE_EVENTS) | set(MODE_EVENTS) == set(EVENT_TYPES) == set(EVENTS)


def _check(alarm: Alarm, event: AlarmEvent, expected: object) -> None:
    if isinstance(expected, RefusalCode):
        with pytest.raises(AlarmRefused) as exc:
            transition(alarm, event, NOW)
        assert exc.value.code is expected
        assert exc.value.key == KEY
        return
    after, entries = transition(alarm, event, NOW)
    if expected == NOOP:
        assert after is alarm
        assert entries == []
        return
    assert isinstance(expected, tuple)
    next_state, action = expected
    assert after.state is next_state
    assert [e.action for e in entries] == [action]
    (entry,) = entries
    assert (entry.at, entry.key, entry.from_state, entry.to_state) == (NOW, KEY, alarm.state, next_state)
    assert entry.occurrence == after.occurrence
    assert entry.announced is after.announced
    assert modes_of(after) == modes_of(alarm)  # state events never touch the modes


@pytest.mark.parametrize(("state", "etype"), list(STATE_TABLE), ids=lambda v: getattr(v, "__name__", str(v)))
@pytest.mark.parametrize("mode", MODES)
def test_state_events(state: AlarmState, etype: type, mode: str) -> None:
    """Every (state, event) pair, in every announcement mode: the modes are orthogonal to the states."""
    alarm = with_mode(alarm_in(state), mode)
    _check(alarm, EVENTS[etype], STATE_TABLE[(state, etype)])


@pytest.mark.parametrize(("state", "etype"), list(LATCHING_TABLE), ids=lambda v: getattr(v, "__name__", str(v)))
def test_state_events_latching(state: AlarmState, etype: type) -> None:
    _check(alarm_in(state, latching=True), EVENTS[etype], LATCHING_TABLE[(state, etype)])


@pytest.mark.parametrize(("mode", "etype"), list(MODE_TABLE), ids=lambda v: getattr(v, "__name__", str(v)))
@pytest.mark.parametrize("state", list(AlarmState))
def test_mode_events(state: AlarmState, mode: str, etype: type) -> None:
    alarm = with_mode(alarm_in(state), mode)
    expected = MODE_TABLE[(mode, etype)]
    event = EVENTS[etype]
    if isinstance(expected, RefusalCode):
        with pytest.raises(AlarmRefused) as exc:
            transition(alarm, event, NOW)
        assert exc.value.code is expected
        return
    after, entries = transition(alarm, event, NOW)
    if expected == NOOP:
        assert after is alarm and entries == []
        return
    assert isinstance(expected, tuple)
    action, modes = expected
    assert [e.action for e in entries] == [action]
    assert modes_of(after) == modes
    assert after.state is alarm.state and after.occurrence == alarm.occurrence
    assert entries[0].from_state is entries[0].to_state is state
    assert after.announced is (state is not S.NORMAL and not modes)


# -- details of single transitions ---------------------------------------------------------------------


def test_raise_starts_a_new_occurrence() -> None:
    finished = alarm_in(S.NORMAL, occurrence=4, acked_by="ivan", acked_at=NOW - 500, first_out=True,
                        flood_since=NOW - 900, cleared_at=NOW - 400)
    after, (entry,) = transition(finished, Activate(61.5), NOW)
    assert after.occurrence == entry.occurrence == 5
    assert (after.raised_at, after.changed_at, after.cleared_at, after.value) == (NOW, NOW, None, 61.5)
    assert (after.acked_by, after.acked_at, after.first_out, after.flood_since) == ("", None, False, None)
    assert entry.value == 61.5 and entry.user == ""


def test_reactivation_keeps_the_occurrence_and_announces_again() -> None:
    latched = alarm_in(S.LATCHED_ACK)
    after, (entry,) = transition(latched, Activate(62.0), NOW)
    assert after.state is S.UNACK_ACTIVE and after.occurrence == latched.occurrence == entry.occurrence
    assert after.raised_at == latched.raised_at and after.value == 62.0
    assert after.acked_by == "" and after.announced


def test_clear_records_the_clearing_value_and_time() -> None:
    after, (entry,) = transition(alarm_in(S.ACK_ACTIVE), Clear(55.0), NOW)
    assert after.finished and after.cleared_at == NOW
    assert entry.value == 55.0 and after.value == 61.0  # the record keeps the activation value


def test_acknowledge_records_who_when_and_comment() -> None:
    after, (entry,) = transition(alarm_in(S.UNACK_ACTIVE), Acknowledge("olga", "calling maintenance"), NOW)
    assert (after.acked_by, after.acked_at, after.ack_comment) == ("olga", NOW, "calling maintenance")
    assert (entry.user, entry.comment) == ("olga", "calling maintenance")


def test_reset_of_unacknowledged_latched_alarm_also_acknowledges() -> None:
    after, (entry,) = transition(alarm_in(S.LATCHED_UNACK), Reset("tom"), NOW)
    assert after.finished and after.acked_by == "tom" and entry.user == "tom"
    after2, _ = transition(alarm_in(S.LATCHED_ACK), Reset("tom"), NOW)
    assert after2.acked_by == "ivan"  # acknowledged earlier by someone else: that stays


def test_shelve_sets_expiry_and_reason() -> None:
    after, (entry,) = transition(alarm_in(S.UNACK_ACTIVE), Shelve("olga", 45, "  chattering  "), NOW)
    assert after.shelved_until == entry.until == NOW + 45 * 60
    assert (after.shelved_by, after.shelve_reason, entry.comment) == ("olga", "chattering", "chattering")
    assert not after.announced and not entry.announced
    expired, (e2,) = transition(after, ShelveExpired(), NOW + 45 * 60)
    assert not expired.shelved and expired.announced and e2.user == "" and e2.comment == "chattering"


@pytest.mark.parametrize(
    ("event", "code"),
    [
        (Acknowledge(""), R.NO_USER),
        (Acknowledge("   "), R.NO_USER),
        (Reset(""), R.NO_USER),
        (Shelve("", 10, "x"), R.NO_USER),
        (Unshelve(""), R.NO_USER),
        (RemoveFromService("", "x"), R.NO_USER),
        (ReturnToService(""), R.NO_USER),
        (Shelve("olga", 10, ""), R.REASON_REQUIRED),
        (Shelve("olga", 10, "  "), R.REASON_REQUIRED),
        (Shelve("olga", 0, "x"), R.BAD_DURATION),
        (Shelve("olga", -5, "x"), R.BAD_DURATION),
        (Shelve("olga", math.nan, "x"), R.BAD_DURATION),
        (Shelve("olga", math.inf, "x"), R.BAD_DURATION),
        (Shelve("olga", True, "x"), R.BAD_DURATION),  # type: ignore[arg-type]
        (Shelve("olga", "10", "x"), R.BAD_DURATION),  # type: ignore[arg-type]
        (RemoveFromService("tom", " "), R.REASON_REQUIRED),
        (Shelve("olga", 481, "x"), R.SHELVE_TOO_LONG),  # MAX_SHELVE_MINUTES
    ],
)
def test_bad_operator_input_is_refused(event: AlarmEvent, code: RefusalCode) -> None:
    alarm = alarm_in(S.UNACK_ACTIVE)
    if isinstance(event, Unshelve):
        alarm = with_mode(alarm, "shelved")
    if isinstance(event, ReturnToService):
        alarm = with_mode(alarm, "out_of_service")
    if isinstance(event, Reset):
        alarm = alarm_in(S.LATCHED_ACK)
    with pytest.raises(AlarmRefused) as exc:
        transition(alarm, event, NOW)
    assert exc.value.code is code
    assert str(KEY) in str(exc.value)


def test_shelve_limit_can_be_set() -> None:
    alarm = alarm_in(S.UNACK_ACTIVE)
    with pytest.raises(AlarmRefused) as exc:
        transition(alarm, Shelve("olga", 61, "x"), NOW, max_shelve_minutes=60)
    assert exc.value.code is R.SHELVE_TOO_LONG
    after, _ = transition(alarm, Shelve("olga", 600, "x"), NOW, max_shelve_minutes=720)
    assert after.shelved_until == NOW + 600 * 60
    assert MAX_SHELVE_MINUTES == 480


@pytest.mark.parametrize(
    ("event", "code"),
    [
        (Shelve("olga", 10, "x"), R.NOT_SHELVABLE),
        (Suppress("mill maintenance"), R.NOT_SUPPRESSIBLE),
        (RemoveFromService("tom", "x"), R.NOT_REMOVABLE),
    ],
)
def test_emergency_stop_alarm_is_never_hidden(event: AlarmEvent, code: RefusalCode) -> None:
    estop = Alarm(AlarmKey("north", "", AlarmKind.ESTOP), Severity.EMERGENCY, state=S.UNACK_ACTIVE, occurrence=1)
    with pytest.raises(AlarmRefused) as exc:
        transition(estop, event, NOW)
    assert exc.value.code is code


def test_unknown_event_type() -> None:
    with pytest.raises(TypeError):
        transition(alarm_in(S.NORMAL), object(), NOW)  # type: ignore[arg-type]


def test_alarm_key_text_round_trip() -> None:
    for key in (KEY, AlarmKey("north", "", AlarmKind.ESTOP)):
        assert AlarmKey.parse(str(key)) == key
    assert str(KEY) == "north/A1B2C3D4E5F60001/high"
    assert str(AlarmKey("north", "", AlarmKind.MILL_ERROR)) == "north/mill_error"
    for bad in ("north", "a/b/c/d", "north//high", "north/nonsense"):
        with pytest.raises(ValueError):
            AlarmKey.parse(bad)


def test_kind_priorities() -> None:
    assert AlarmKind.HIGH.default_priority is Severity.WARNING
    assert AlarmKind.LOW.default_priority is Severity.WARNING
    assert AlarmKind.HIGH_HIGH.default_priority is Severity.CRITICAL
    assert AlarmKind.LOW_LOW.default_priority is Severity.CRITICAL
    assert AlarmKind.BAD_QUALITY.default_priority is Severity.WARNING
    assert AlarmKind.STALE.default_priority is Severity.WARNING
    assert AlarmKind.MILL_ERROR.default_priority is Severity.CRITICAL
    assert AlarmKind.ESTOP.default_priority is Severity.EMERGENCY
    assert all(k.label for k in AlarmKind)


# -- property: random event sequences keep the record consistent -----------------------------------------

event_strategy = st.one_of(
    st.builds(Activate, st.floats(0, 100)),
    st.builds(Clear, st.floats(0, 100)),
    st.builds(Acknowledge, st.sampled_from(["olga", ""])),
    st.builds(Reset, st.sampled_from(["tom", ""])),
    st.builds(Shelve, st.just("olga"), st.sampled_from([-1, 0, 1, 30]), st.sampled_from(["", "nuisance"])),
    st.builds(Unshelve, st.just("olga")),
    st.just(ShelveExpired()),
    st.just(Suppress("mill maintenance")),
    st.just(Unsuppress()),
    st.builds(RemoveFromService, st.just("tom"), st.sampled_from(["", "broken"])),
    st.builds(ReturnToService, st.just("tom")),
)


@settings(max_examples=300, deadline=None)
@given(latching=st.booleans(), steps=st.lists(st.tuples(event_strategy, st.floats(0, 1200)), max_size=60))
def test_random_event_sequences_keep_invariants(latching: bool, steps: list[tuple[AlarmEvent, float]]) -> None:
    alarm = Alarm(KEY, Severity.WARNING, latching=latching)
    now = NOW
    raised = 0
    for event, dt in steps:
        now += dt
        try:
            after, entries = transition(alarm, event, now)
        except AlarmRefused as exc:
            assert exc.key == KEY
            continue
        if not entries:
            assert after is alarm
            continue
        (entry,) = entries
        assert (entry.from_state, entry.to_state, entry.at) == (alarm.state, after.state, now)
        if entry.action is JournalAction.RAISED:
            raised += 1
            assert alarm.state is S.NORMAL and after.occurrence == alarm.occurrence + 1
        else:
            assert after.occurrence == alarm.occurrence
        alarm = after
        # the invariants
        assert alarm.occurrence == raised
        assert alarm.announced is (alarm.state is not S.NORMAL and not alarm.hidden)
        assert not alarm.state.latched or alarm.latching
        if alarm.state in (S.ACK_ACTIVE, S.LATCHED_ACK):
            assert alarm.acked_by
        if alarm.state.unacked:
            assert alarm.acked_by == "" and alarm.acked_at is None
        if alarm.shelved:
            assert alarm.shelve_reason and alarm.shelved_by
        assert not (alarm.out_of_service and not alarm.out_of_service_reason)
