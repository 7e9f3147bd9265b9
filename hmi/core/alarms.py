"""The alarm state machine (ISA-18.2 / IEC 62682): one alarm's states, the events that move it, and
the journal entries every move leaves behind. Pure: `transition(alarm, event, now)` returns the next
record and its journal entries and never touches anything else.

Two orthogonal parts make an alarm's condition:

* the *alarm state* (`AlarmState`), driven by the process and the operator::

      NORMAL --Activate--> UNACK_ACTIVE --Acknowledge--> ACK_ACTIVE --Clear--> NORMAL (finished)
                               |                                      \\--Clear (latching)--> LATCHED_ACK
                               |--Clear--> UNACK_RTN --Acknowledge--> NORMAL (finished)
                               |              \\--Activate--> UNACK_ACTIVE (same occurrence)
                               \\--Clear (latching)--> LATCHED_UNACK --Acknowledge--> LATCHED_ACK
      LATCHED_UNACK / LATCHED_ACK --Reset (authorised, process normal)--> NORMAL (finished)
      LATCHED_UNACK / LATCHED_ACK --Activate--> UNACK_ACTIVE (same occurrence, announced again)

  A new occurrence starts only when an alarm leaves NORMAL: "a returned-and-acknowledged alarm is
  finished, and a new excursion is a new alarm" (its `occurrence` is incremented).

* the *announcement modes*: shelved (by an operator, with a reason and an expiry), suppressed by
  design (the mill is in maintenance or offline) and out of service (by a technician, with a
  reason). They never stop the state machine: a shelved, suppressed or out-of-service alarm is still
  evaluated and journaled, it is only not announced (`Alarm.announced`).

Events the process sends (`Activate`, `Clear`, `Suppress`, `Unsuppress`) are idempotent: sending one
that changes nothing returns the same record and no journal entry. Operator commands that make no
sense (acknowledging a normal alarm, resetting an active one, shelving without a reason...) raise
`AlarmRefused` with a `RefusalCode`, so the UI can say why and nothing is journaled.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, replace

from hmi.core.domain import Severity
from hmi.core.text import Text

# ---------------------------------------------------------------------------------------------------
# States, kinds, priorities
# ---------------------------------------------------------------------------------------------------


class AlarmState(enum.StrEnum):
    NORMAL = "normal"  # finished: process normal and nothing left for the operator
    UNACK_ACTIVE = "unack_active"
    ACK_ACTIVE = "ack_active"
    UNACK_RTN = "unack_rtn"  # returned to normal, not yet acknowledged
    LATCHED_UNACK = "latched_unack"  # latching alarm, process normal, not acknowledged, awaiting reset
    LATCHED_ACK = "latched_ack"  # latching alarm, process normal, acknowledged, awaiting reset

    @property
    def active(self) -> bool:
        """The process condition is (still) abnormal."""
        return self in (AlarmState.UNACK_ACTIVE, AlarmState.ACK_ACTIVE)

    @property
    def unacked(self) -> bool:
        return self in (AlarmState.UNACK_ACTIVE, AlarmState.UNACK_RTN, AlarmState.LATCHED_UNACK)

    @property
    def latched(self) -> bool:
        return self in (AlarmState.LATCHED_UNACK, AlarmState.LATCHED_ACK)


class AlarmKind(enum.StrEnum):
    HIGH_HIGH = "high_high"  # above critical_max
    HIGH = "high"  # above warning_max
    LOW = "low"  # below warning_min
    LOW_LOW = "low_low"  # below critical_min
    BAD_QUALITY = "bad_quality"  # the sensor sends readings of bad quality
    STALE = "stale"  # no readings any more: communication loss
    MILL_ERROR = "mill_error"  # the mill reports status "error"
    ESTOP = "estop"  # an emergency stop was raised

    @property
    def is_process(self) -> bool:
        return self in PROCESS_KINDS

    @property
    def default_priority(self) -> Severity:
        return DEFAULT_PRIORITY[self]

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def shelvable(self) -> bool:
        """An emergency stop is a safety alarm: it can never be shelved or taken out of service."""
        return self is not AlarmKind.ESTOP

    @property
    def suppressible(self) -> bool:
        """Suppression by design (mill in maintenance/offline) never hides an emergency stop."""
        return self is not AlarmKind.ESTOP

    @property
    def removable(self) -> bool:
        return self is not AlarmKind.ESTOP


PROCESS_KINDS = frozenset({AlarmKind.HIGH_HIGH, AlarmKind.HIGH, AlarmKind.LOW, AlarmKind.LOW_LOW})

DEFAULT_PRIORITY: dict[AlarmKind, Severity] = {
    AlarmKind.HIGH_HIGH: Severity.CRITICAL,
    AlarmKind.HIGH: Severity.WARNING,
    AlarmKind.LOW: Severity.WARNING,
    AlarmKind.LOW_LOW: Severity.CRITICAL,
    AlarmKind.BAD_QUALITY: Severity.WARNING,
    AlarmKind.STALE: Severity.WARNING,
    AlarmKind.MILL_ERROR: Severity.CRITICAL,
    AlarmKind.ESTOP: Severity.EMERGENCY,
}

KIND_LABELS: dict[AlarmKind, str] = {
    AlarmKind.HIGH_HIGH: Text("high high"),
    AlarmKind.HIGH: Text("high"),
    AlarmKind.LOW: Text("low"),
    AlarmKind.LOW_LOW: Text("low low"),
    AlarmKind.BAD_QUALITY: Text("bad quality"),
    AlarmKind.STALE: Text("communication lost"),
    AlarmKind.MILL_ERROR: Text("mill error"),
    AlarmKind.ESTOP: Text("emergency stop"),
}

PRIORITY_RANK: dict[Severity, int] = {
    Severity.INFO: 0,
    Severity.WARNING: 1,
    Severity.CRITICAL: 2,
    Severity.EMERGENCY: 3,
}


@dataclass(frozen=True, slots=True, order=True)
class AlarmKey:
    """Identifies an alarm (not an occurrence): its mill, its source (a sensor's EUI; "" for an alarm
    of the mill itself: MILL_ERROR, ESTOP) and its kind. `str(key)` is the stored form; `parse` reads it."""

    mill: str
    source: str
    kind: AlarmKind

    def __str__(self) -> str:
        if self.source:
            return f"{self.mill}/{self.source}/{self.kind.value}"
        return f"{self.mill}/{self.kind.value}"

    @classmethod
    def parse(cls, text: str) -> AlarmKey:
        parts = text.split("/")
        if len(parts) == 2:
            return cls(parts[0], "", AlarmKind(parts[1]))
        if len(parts) == 3 and parts[1]:
            return cls(parts[0], parts[1], AlarmKind(parts[2]))
        raise ValueError(f"not an alarm key: {text!r}")


# ---------------------------------------------------------------------------------------------------
# The alarm record
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Alarm:
    """One alarm and its current occurrence. Immutable: every change makes a new record.

    Times are epoch seconds. `value` is the value at the (last) activation and `limit` the limit it
    crossed (None for alarms without one). `first_out` marks the alarm that started an upset of its
    mill; `flood_since` is the start of the mill's alarm flood this occurrence belongs to (with the
    mill it names the flood group), None outside a flood.
    """

    key: AlarmKey
    priority: Severity
    state: AlarmState = AlarmState.NORMAL
    latching: bool = False
    occurrence: int = 0
    raised_at: float | None = None
    changed_at: float | None = None
    cleared_at: float | None = None
    value: float | None = None
    limit: float | None = None
    description: str = ""
    acked_by: str = ""
    acked_at: float | None = None
    ack_comment: str = ""
    shelved_by: str = ""
    shelved_until: float | None = None
    shelve_reason: str = ""
    suppressed: bool = False
    suppress_reason: str = ""
    out_of_service: bool = False
    out_of_service_by: str = ""
    out_of_service_reason: str = ""
    first_out: bool = False
    flood_since: float | None = None

    @property
    def kind(self) -> AlarmKind:
        return self.key.kind

    @property
    def mill(self) -> str:
        return self.key.mill

    @property
    def active(self) -> bool:
        return self.state.active

    @property
    def unacked(self) -> bool:
        return self.state.unacked

    @property
    def finished(self) -> bool:
        """Returned to normal and acknowledged (and reset if latched): nothing left to do."""
        return self.state is AlarmState.NORMAL

    @property
    def shelved(self) -> bool:
        return self.shelved_until is not None

    @property
    def hidden(self) -> bool:
        """Shelved, suppressed by design or out of service: evaluated and journaled, not announced."""
        return self.shelved or self.suppressed or self.out_of_service

    @property
    def announced(self) -> bool:
        """Needs the operator's attention: unfinished (active, unacknowledged or latched) and not hidden."""
        return self.state is not AlarmState.NORMAL and not self.hidden


# ---------------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Activate:
    """The condition became abnormal (after deadband and on-delay). `user` for operator-raised alarms (e-stop)."""

    value: float | None = None
    user: str = ""
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Clear:
    """The condition returned to normal (after deadband and off-delay)."""

    value: float | None = None
    user: str = ""
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Acknowledge:
    user: str
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Reset:
    """An authorised reset of a latched alarm, allowed only once the process is normal; it also acknowledges.
    The permission is checked by the service; the core records who."""

    user: str
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Shelve:
    user: str
    minutes: float
    reason: str


@dataclass(frozen=True, slots=True)
class Unshelve:
    user: str
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ShelveExpired:
    """The shelving time is over (sent by the engine's tick)."""


@dataclass(frozen=True, slots=True)
class Suppress:
    """Suppression by design, e.g. the mill is in maintenance or offline."""

    reason: str


@dataclass(frozen=True, slots=True)
class Unsuppress:
    pass


@dataclass(frozen=True, slots=True)
class RemoveFromService:
    user: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReturnToService:
    user: str
    comment: str = ""


AlarmEvent = (
    Activate
    | Clear
    | Acknowledge
    | Reset
    | Shelve
    | Unshelve
    | ShelveExpired
    | Suppress
    | Unsuppress
    | RemoveFromService
    | ReturnToService
)
EVENT_TYPES: tuple[type, ...] = (
    Activate,
    Clear,
    Acknowledge,
    Reset,
    Shelve,
    Unshelve,
    ShelveExpired,
    Suppress,
    Unsuppress,
    RemoveFromService,
    ReturnToService,
)


# ---------------------------------------------------------------------------------------------------
# Journal and refusals
# ---------------------------------------------------------------------------------------------------


class JournalAction(enum.StrEnum):
    RAISED = "raised"  # NORMAL -> UNACK_ACTIVE: a new occurrence
    REACTIVATED = "reactivated"  # returned/latched -> UNACK_ACTIVE within the same occurrence
    CLEARED = "cleared"  # the condition returned to normal
    ACKNOWLEDGED = "acknowledged"
    RESET = "reset"
    SHELVED = "shelved"
    UNSHELVED = "unshelved"
    SHELVE_EXPIRED = "shelve_expired"
    SUPPRESSED = "suppressed"
    UNSUPPRESSED = "unsuppressed"
    REMOVED_FROM_SERVICE = "removed_from_service"
    RETURNED_TO_SERVICE = "returned_to_service"


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One line of the alarm journal: what happened to which occurrence, when, by whom, from which
    state to which. `user` is "" for the system. `announced` tells whether the alarm was announced
    after the change (False while shelved, suppressed or out of service). `until` is the shelving
    expiry of a SHELVED entry."""

    at: float
    key: AlarmKey
    occurrence: int
    action: JournalAction
    from_state: AlarmState
    to_state: AlarmState
    priority: Severity
    user: str = ""
    comment: str = ""
    value: float | None = None
    announced: bool = True
    until: float | None = None
    first_out: bool = False
    flood_since: float | None = None


class RefusalCode(enum.StrEnum):
    NO_USER = "no_user"  # an operator command without who
    NOT_IN_ALARM = "not_in_alarm"  # acknowledge a NORMAL alarm
    ALREADY_ACKNOWLEDGED = "already_acknowledged"
    STILL_ACTIVE = "still_active"  # reset while the process is still abnormal
    NOT_LATCHED = "not_latched"  # reset of an alarm that is not latched
    REASON_REQUIRED = "reason_required"
    BAD_DURATION = "bad_duration"  # shelve for <= 0 or a non-finite number of minutes
    SHELVE_TOO_LONG = "shelve_too_long"  # longer than the maximum (MAX_SHELVE_MINUTES or the engine's config)
    NOT_SHELVABLE = "not_shelvable"  # safety alarms (e-stop)
    NOT_SUPPRESSIBLE = "not_suppressible"
    NOT_REMOVABLE = "not_removable"
    ALREADY_SHELVED = "already_shelved"
    NOT_SHELVED = "not_shelved"
    NOT_EXPIRED = "not_expired"  # ShelveExpired before the shelving time is over
    OUT_OF_SERVICE = "out_of_service"  # shelving an alarm that is out of service
    ALREADY_OUT_OF_SERVICE = "already_out_of_service"
    NOT_OUT_OF_SERVICE = "not_out_of_service"
    UNKNOWN_ALARM = "unknown_alarm"  # the engine has no alarm with that key


class AlarmRefused(ValueError):
    """An event that is not valid for the alarm in its present condition; nothing changed."""

    def __init__(self, code: RefusalCode, message: str, key: AlarmKey | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.key = key


# ---------------------------------------------------------------------------------------------------
# The transition function
# ---------------------------------------------------------------------------------------------------

_S = AlarmState
MAX_SHELVE_MINUTES = 480.0  # one long shift: shelving is always time-limited (ISA-18.2)


def _refuse(alarm: Alarm, code: RefusalCode, message: str) -> AlarmRefused:
    return AlarmRefused(code, Text("{alarm}: {reason}", alarm=str(alarm.key), reason=message), alarm.key)


def _need_user(alarm: Alarm, user: str) -> None:
    if not user.strip():
        raise _refuse(alarm, RefusalCode.NO_USER, Text("an operator command needs the user who gives it"))


def _positive_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v > 0


def _entry(
    before: Alarm,
    after: Alarm,
    action: JournalAction,
    now: float,
    user: str = "",
    comment: str = "",
    until: float | None = None,
) -> JournalEntry:
    return JournalEntry(
        at=now,
        key=after.key,
        occurrence=after.occurrence,
        action=action,
        from_state=before.state,
        to_state=after.state,
        priority=after.priority,
        user=user,
        comment=comment,
        value=after.value,
        announced=after.announced,
        until=until,
        first_out=after.first_out,
        flood_since=after.flood_since,
    )


def transition(
    alarm: Alarm, event: AlarmEvent, now: float, *, max_shelve_minutes: float = MAX_SHELVE_MINUTES
) -> tuple[Alarm, list[JournalEntry]]:
    """The alarm after `event` at `now` (epoch seconds) and the journal entries it makes.

    An event that changes nothing (Activate on an active alarm, Clear on an inactive one, Suppress
    when suppressed, Unsuppress when not) returns `alarm` itself and no entries. An invalid event
    raises `AlarmRefused`. Shelving is limited to `max_shelve_minutes`.
    """
    s = alarm.state
    match event:
        case Activate(value=value, user=user, comment=comment):
            if s.active:
                return alarm, []
            if s is _S.NORMAL:
                after = replace(
                    alarm,
                    state=_S.UNACK_ACTIVE,
                    occurrence=alarm.occurrence + 1,
                    raised_at=now,
                    changed_at=now,
                    cleared_at=None,
                    value=value,
                    acked_by="",
                    acked_at=None,
                    ack_comment="",
                    first_out=False,
                    flood_since=None,
                )
                return after, [_entry(alarm, after, JournalAction.RAISED, now, user, comment)]
            # UNACK_RTN, LATCHED_*: the occurrence is not finished, the condition is back: announce again.
            after = replace(
                alarm,
                state=_S.UNACK_ACTIVE,
                changed_at=now,
                cleared_at=None,
                value=value,
                acked_by="",
                acked_at=None,
                ack_comment="",
            )
            return after, [_entry(alarm, after, JournalAction.REACTIVATED, now, user, comment)]

        case Clear(value=value, user=user, comment=comment):
            if not s.active:
                return alarm, []
            if s is _S.UNACK_ACTIVE:
                nxt = _S.LATCHED_UNACK if alarm.latching else _S.UNACK_RTN
            else:
                nxt = _S.LATCHED_ACK if alarm.latching else _S.NORMAL
            after = replace(alarm, state=nxt, changed_at=now, cleared_at=now)
            entry = _entry(alarm, after, JournalAction.CLEARED, now, user, comment)
            return after, [replace(entry, value=value)]

        case Acknowledge(user=user, comment=comment):
            _need_user(alarm, user)
            nxt_ack = {
                _S.UNACK_ACTIVE: _S.ACK_ACTIVE,
                _S.UNACK_RTN: _S.NORMAL,
                _S.LATCHED_UNACK: _S.LATCHED_ACK,
            }.get(s)
            if nxt_ack is None:
                if s is _S.NORMAL:
                    raise _refuse(alarm, RefusalCode.NOT_IN_ALARM, Text("nothing to acknowledge"))
                raise _refuse(alarm, RefusalCode.ALREADY_ACKNOWLEDGED, Text("already acknowledged"))
            after = replace(alarm, state=nxt_ack, changed_at=now, acked_by=user, acked_at=now, ack_comment=comment)
            return after, [_entry(alarm, after, JournalAction.ACKNOWLEDGED, now, user, comment)]

        case Reset(user=user, comment=comment):
            _need_user(alarm, user)
            if s.active:
                raise _refuse(alarm, RefusalCode.STILL_ACTIVE, Text("cannot reset while the condition is still active"))
            if not s.latched:
                raise _refuse(alarm, RefusalCode.NOT_LATCHED, Text("not latched: nothing to reset"))
            after = replace(alarm, state=_S.NORMAL, changed_at=now)
            if s is _S.LATCHED_UNACK:  # the reset acknowledges as well
                after = replace(after, acked_by=user, acked_at=now, ack_comment=comment)
            return after, [_entry(alarm, after, JournalAction.RESET, now, user, comment)]

        case Shelve(user=user, minutes=minutes, reason=reason):
            _need_user(alarm, user)
            if not alarm.kind.shelvable:
                raise _refuse(alarm, RefusalCode.NOT_SHELVABLE,
                              Text("a {kind} alarm cannot be shelved", kind=alarm.kind.label))
            if alarm.out_of_service:
                raise _refuse(alarm, RefusalCode.OUT_OF_SERVICE, Text("out of service: return it to service first"))
            if alarm.shelved:
                raise _refuse(alarm, RefusalCode.ALREADY_SHELVED, Text("already shelved"))
            if not reason.strip():
                raise _refuse(alarm, RefusalCode.REASON_REQUIRED, Text("shelving needs a reason"))
            if not _positive_number(minutes):
                raise _refuse(alarm, RefusalCode.BAD_DURATION,
                              Text("shelve for minutes > 0, not {minutes!r}", minutes=minutes))
            if minutes > max_shelve_minutes:
                raise _refuse(alarm, RefusalCode.SHELVE_TOO_LONG,
                              Text("shelve for at most {minutes:g} minutes", minutes=max_shelve_minutes))
            until = now + minutes * 60.0
            after = replace(alarm, shelved_by=user, shelved_until=until, shelve_reason=reason.strip())
            return after, [_entry(alarm, after, JournalAction.SHELVED, now, user, reason.strip(), until)]

        case Unshelve(user=user, comment=comment):
            _need_user(alarm, user)
            if not alarm.shelved:
                raise _refuse(alarm, RefusalCode.NOT_SHELVED, Text("not shelved"))
            after = replace(alarm, shelved_by="", shelved_until=None, shelve_reason="")
            return after, [_entry(alarm, after, JournalAction.UNSHELVED, now, user, comment)]

        case ShelveExpired():
            if alarm.shelved_until is None:
                raise _refuse(alarm, RefusalCode.NOT_SHELVED, Text("not shelved"))
            if now < alarm.shelved_until:
                raise _refuse(alarm, RefusalCode.NOT_EXPIRED, Text("the shelving time is not over"))
            after = replace(alarm, shelved_by="", shelved_until=None, shelve_reason="")
            return after, [_entry(alarm, after, JournalAction.SHELVE_EXPIRED, now, "", alarm.shelve_reason)]

        case Suppress(reason=reason):
            if not alarm.kind.suppressible:
                raise _refuse(alarm, RefusalCode.NOT_SUPPRESSIBLE,
                              Text("a {kind} alarm is never suppressed", kind=alarm.kind.label))
            if alarm.suppressed:
                return alarm, []
            after = replace(alarm, suppressed=True, suppress_reason=reason)
            return after, [_entry(alarm, after, JournalAction.SUPPRESSED, now, "", reason)]

        case Unsuppress():
            if not alarm.suppressed:
                return alarm, []
            after = replace(alarm, suppressed=False, suppress_reason="")
            return after, [_entry(alarm, after, JournalAction.UNSUPPRESSED, now, "", alarm.suppress_reason)]

        case RemoveFromService(user=user, reason=reason):
            _need_user(alarm, user)
            if not alarm.kind.removable:
                raise _refuse(alarm, RefusalCode.NOT_REMOVABLE,
                              Text("a {kind} alarm stays in service", kind=alarm.kind.label))
            if alarm.out_of_service:
                raise _refuse(alarm, RefusalCode.ALREADY_OUT_OF_SERVICE, Text("already out of service"))
            if not reason.strip():
                raise _refuse(alarm, RefusalCode.REASON_REQUIRED, Text("taking an alarm out of service needs a reason"))
            after = replace(alarm, out_of_service=True, out_of_service_by=user, out_of_service_reason=reason.strip())
            return after, [_entry(alarm, after, JournalAction.REMOVED_FROM_SERVICE, now, user, reason.strip())]

        case ReturnToService(user=user, comment=comment):
            _need_user(alarm, user)
            if not alarm.out_of_service:
                raise _refuse(alarm, RefusalCode.NOT_OUT_OF_SERVICE, Text("not out of service"))
            after = replace(alarm, out_of_service=False, out_of_service_by="", out_of_service_reason="")
            return after, [_entry(alarm, after, JournalAction.RETURNED_TO_SERVICE, now, user, comment)]

    raise TypeError(f"not an alarm event: {event!r}")
