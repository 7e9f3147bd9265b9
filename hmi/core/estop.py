"""The e-stop state machine of one mill: pure, table-driven, every event carries its time.

States (what the stop control shows, without ambiguity):

- ``IDLE``: no stop requested since start-up.
- ``SENDING``: the operator pressed stop; no path has delivered the command yet.
- ``SENT``: at least one path delivered it (broker PUBACK, or the Modbus write echoed). Delivered is
  not confirmed: nothing is known about the controller yet.
- ``CONFIRMED``: the controller reported the stop latched for *this* command (see "Confirmation").
- ``STOPPED``: the controller reported running = 0 (after confirming).
- ``NOT_CONFIRMED``: no confirmation within `EstopTiming.confirm_timeout` (2 s) of the press: a
  top-priority alarm saying "use the hardwired e-stop / local stop". Re-sending goes on on every path
  every `retry_period` (1 s) until a confirmation arrives or the operator stops retrying.
- ``NOT_STOPPED``: confirmed, but the controller still reports running `stop_grace` after the
  mill's coast-down time: the same alarm.
- ``RESETTING``: a reset was requested (only from STOPPED) and is waiting for the controller.
- ``RESET``: the controller reported the latch cleared. The mill is *not* running: starting it is a
  separate command. A new stop may be pressed at any time.

Confirmation (`confirmed_by` is set here and nowhere else, and only from a controller report):

- MQTT: an ack on ``mills/{mill}/commands/estop/ack`` with ``state == "latched"`` and a
  ``command_id`` equal to this attempt's. Acks for other ids (an older stop, another console's) and
  any other state never confirm.
- Modbus: a status read that *started after our stop-coil write was echoed* in this attempt, showing
  the stop-latched discrete input true *and* holding register 900 (last command) == 1 (e-stop). A
  read issued before the echo, or one showing another last command, never confirms: it could
  describe the controller before our command reached it.

A local assumption (a PUBACK, a write echo, a timer) never confirms. Running = 0 counts only from
the same kinds of report (the matching ack's ``running``, or a qualifying Modbus read).

Re-pressing stop while a stop is being sent joins it (and resumes retrying if it was stopped); in
any other state it starts a new attempt with a new command id, so a press is never ignored.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from hmi.core.text import Text

ESTOP_CODE = 1  # holding register 900: last command received
RESET_CODE = 2
START_CODE = 3
HARDWIRED_MESSAGE = "E-STOP NOT CONFIRMED: use the hardwired e-stop / local stop"
STILL_RUNNING_MESSAGE = "Stop latched but the mill is still running: use the hardwired e-stop / local stop"


class EstopState(enum.StrEnum):
    IDLE = "idle"
    SENDING = "sending"
    SENT = "sent"
    CONFIRMED = "confirmed"
    STOPPED = "stopped"
    NOT_CONFIRMED = "not_confirmed"
    NOT_STOPPED = "not_stopped"
    RESETTING = "resetting"
    RESET = "reset"


class Path(enum.StrEnum):
    MQTT = "mqtt"
    MODBUS = "modbus"

    @property
    def label(self) -> str:
        return "MQTT" if self is Path.MQTT else "Modbus"


# A stop is in progress (sending or retrying): a new press joins it.
IN_PROGRESS = frozenset({EstopState.SENDING, EstopState.SENT, EstopState.NOT_CONFIRMED})
# The mill must be treated as stopped-latched: production may not start.
LATCHED = frozenset(EstopState) - {EstopState.IDLE, EstopState.RESET}
# The top-priority alarm is on.
ALARMING = frozenset({EstopState.NOT_CONFIRMED, EstopState.NOT_STOPPED})


@dataclass(frozen=True, slots=True)
class EstopTiming:
    confirm_timeout: float = 2.0  # press -> NOT_CONFIRMED
    retry_period: float = 1.0  # re-send on every path while not confirmed
    stop_grace: float = 2.0  # after the coast-down time, before NOT_STOPPED
    reset_timeout: float = 5.0  # the reset's message expiry: no answer by then -> back to STOPPED
    probe_period: float = 0.5  # while confirmed and running: ask the controller again (MQTT only)


# -- events --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trigger:
    at: float
    command_id: str
    paths: tuple[Path, ...]
    user: str
    console: str = ""
    coast_down: float = 0.0


@dataclass(frozen=True, slots=True)
class Transmitted:
    """A copy of the stop command went out on `path` (the first, a retry or a probe)."""

    at: float
    path: Path
    command_id: str = ""  # empty: the current attempt


@dataclass(frozen=True, slots=True)
class Delivered:
    """Broker PUBACK (MQTT) or write echo (Modbus) for the stop command."""

    at: float
    path: Path
    latency_ms: float = 0.0
    command_id: str = ""  # empty: the current attempt


@dataclass(frozen=True, slots=True)
class PathFailed:
    at: float
    path: Path
    error: str
    command_id: str = ""


@dataclass(frozen=True, slots=True)
class MqttAck:
    at: float
    command_id: str
    state: str
    running: bool | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ModbusStatus:
    """One status read of the controller: `read_started_at` is when the read was issued."""

    at: float
    read_started_at: float
    latched: bool
    running: bool | None
    last_command: int


@dataclass(frozen=True, slots=True)
class Tick:
    at: float


@dataclass(frozen=True, slots=True)
class Retry:
    at: float


@dataclass(frozen=True, slots=True)
class Probe:
    at: float


@dataclass(frozen=True, slots=True)
class StopRetrying:
    at: float
    user: str


@dataclass(frozen=True, slots=True)
class ResetRequested:
    at: float
    command_id: str
    path: Path
    user: str
    reason: str


@dataclass(frozen=True, slots=True)
class ResetDelivered:
    at: float
    path: Path
    latency_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class ResetFailed:
    at: float
    error: str


@dataclass(frozen=True, slots=True)
class ResetAck:
    at: float
    command_id: str
    state: str
    running: bool | None = None
    reason: str = ""


Event = (
    Trigger | Transmitted | Delivered | PathFailed | MqttAck | ModbusStatus | Tick | Retry | Probe | StopRetrying
    | ResetRequested | ResetDelivered | ResetFailed | ResetAck
)


class EstopRefused(Exception):
    """A request the state does not allow (e.g. reset while the mill still runs); the message says why."""


# -- what is remembered ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class PathResult:
    """One path's part in an attempt. Times are the machine's (monotonic seconds)."""

    path: Path
    sends: int = 0
    sent_at: float | None = None  # first transmission
    last_sent_at: float | None = None
    acked_at: float | None = None  # first PUBACK / write echo
    latency_ms: float | None = None  # of that delivery
    confirmed_at: float | None = None  # first qualifying controller report on this path
    error: str = ""  # last error
    failures: int = 0

    def copy(self) -> PathResult:
        return replace(self)


@dataclass(slots=True)
class ResetInfo:
    command_id: str
    path: Path
    user: str
    reason: str
    requested_at: float
    delivered_at: float | None = None
    done_at: float | None = None
    result: str = ""  # "reset" | "refused" | "failed"
    detail: str = ""

    def copy(self) -> ResetInfo:
        return replace(self)


@dataclass(slots=True)
class EstopAttempt:
    """One press of the stop (and its reset). `confirmed_by` names the path whose controller report
    confirmed it; nothing else sets it."""

    mill: str
    command_id: str
    user: str
    console: str
    activated_at: float
    deadline: float
    coast_down: float = 0.0
    paths: dict[Path, PathResult] = field(default_factory=dict)
    confirmed_by: Path | None = None
    confirmed_at: float | None = None
    stopped_at: float | None = None
    not_confirmed_at: float | None = None
    running: bool | None = None
    retrying: bool = True
    retry_rounds: int = 0
    next_retry_at: float = 0.0
    next_probe_at: float = 0.0
    stop_deadline: float | None = None
    reset: ResetInfo | None = None

    @property
    def confirmation_ms(self) -> float | None:
        return None if self.confirmed_at is None else (self.confirmed_at - self.activated_at) * 1000.0

    def copy(self) -> EstopAttempt:
        return replace(
            self,
            paths={p: r.copy() for p, r in self.paths.items()},
            reset=self.reset.copy() if self.reset is not None else None,
        )


@dataclass(frozen=True, slots=True)
class EstopChange:
    """One thing that happened, in order: a state change (`before != after`) or a noted event in
    the same state (a delivery, a failure, a retry round)."""

    mill: str
    command_id: str
    at: float
    before: EstopState
    after: EstopState
    cause: str
    path: Path | None = None
    detail: str = ""
    user: str = ""  # who asked, for changes a person caused (trigger, retry stopped, reset request)

    @property
    def moved(self) -> bool:
        return self.before is not self.after


# -- the machine -----------------------------------------------------------------------------------------------

Handler = Callable[["EstopMachine", Event], list[EstopChange]]


class EstopMachine:
    """The stop of one mill. Not thread-safe: the service applies events under its lock."""

    def __init__(self, mill: str, timing: EstopTiming | None = None) -> None:
        self.mill = mill
        self.timing = timing or EstopTiming()
        self.state = EstopState.IDLE
        self.attempt: EstopAttempt | None = None

    def apply(self, event: Event) -> list[EstopChange]:
        """Apply one event; returns what changed (empty when the event means nothing here).
        Raises EstopRefused for a request the state does not allow (a reset, a stop-retrying)."""
        handler = TRANSITIONS.get((self.state, type(event)))
        if handler is None:
            refusal = REFUSALS.get((self.state, type(event)))
            if refusal is not None:
                raise EstopRefused(refusal(self.mill))
            return []
        return handler(self, event)

    # -- helpers for the handlers ---------------------------------------------------------------------
    def _a(self) -> EstopAttempt:
        assert self.attempt is not None
        return self.attempt

    def _move(self, to: EstopState, at: float, cause: str, path: Path | None = None, detail: str = "",
              user: str = "") -> EstopChange:
        before, self.state = self.state, to
        return EstopChange(self.mill, self._a().command_id, at, before, to, cause, path, detail, user)

    def _note(self, at: float, cause: str, path: Path | None = None, detail: str = "", user: str = "") -> EstopChange:
        return EstopChange(self.mill, self._a().command_id, at, self.state, self.state, cause, path, detail, user)

    def _result(self, path: Path) -> PathResult:
        a = self._a()
        if path not in a.paths:
            a.paths[path] = PathResult(path)
        return a.paths[path]

    # -- queries for the scheduler --------------------------------------------------------------------
    def next_wakeup(self) -> float | None:
        """The earliest time a Tick, Retry or Probe has something to do (None: nothing pending)."""
        a = self.attempt
        if a is None:
            return None
        times: list[float] = []
        if self.state in (EstopState.SENDING, EstopState.SENT):
            times.append(a.deadline)
        if self.state in IN_PROGRESS and a.retrying:
            times.append(a.next_retry_at)
        if self.state is EstopState.CONFIRMED and a.stop_deadline is not None:
            times.append(a.stop_deadline)
        if self.state in (EstopState.CONFIRMED, EstopState.NOT_STOPPED):
            times.append(a.next_probe_at)
        if self.state is EstopState.RESETTING and a.reset is not None:
            times.append(a.reset.requested_at + self.timing.reset_timeout)
        return min(times) if times else None

    def retry_due(self, now: float) -> bool:
        a = self.attempt
        return a is not None and self.state in IN_PROGRESS and a.retrying and now >= a.next_retry_at

    def probe_due(self, now: float) -> bool:
        a = self.attempt
        return (
            a is not None and self.state in (EstopState.CONFIRMED, EstopState.NOT_STOPPED) and now >= a.next_probe_at
        )

    @property
    def latched(self) -> bool:
        return self.state in LATCHED


# -- handlers --------------------------------------------------------------------------------------------------


def _trigger_new(m: EstopMachine, ev: Event) -> list[EstopChange]:
    assert isinstance(ev, Trigger)
    if not ev.paths:
        raise EstopRefused(Text("no e-stop path is configured for mill {mill}: use the hardwired e-stop / local stop",
                                mill=m.mill))
    m.attempt = EstopAttempt(
        mill=m.mill,
        command_id=ev.command_id,
        user=ev.user,
        console=ev.console,
        activated_at=ev.at,
        deadline=ev.at + m.timing.confirm_timeout,
        coast_down=max(0.0, ev.coast_down),
        paths={p: PathResult(p) for p in ev.paths},
        next_retry_at=ev.at + m.timing.retry_period,
    )
    return [m._move(EstopState.SENDING, ev.at, "trigger", detail=f"by {ev.user} at {ev.console or '?'}",
                    user=ev.user)]


def _trigger_join(m: EstopMachine, ev: Event) -> list[EstopChange]:
    assert isinstance(ev, Trigger)
    a = m._a()
    if not a.retrying:
        a.retrying = True
        a.next_retry_at = ev.at
        return [m._note(ev.at, "retry_resumed", detail=f"by {ev.user}", user=ev.user)]
    return [m._note(ev.at, "retrigger", detail=f"by {ev.user} at {ev.console or '?'}", user=ev.user)]


def _transmitted(m: EstopMachine, ev: Event) -> list[EstopChange]:
    assert isinstance(ev, Transmitted)
    if ev.command_id and ev.command_id != m._a().command_id:
        return []
    r = m._result(ev.path)
    r.sends += 1
    if r.sent_at is None:
        r.sent_at = ev.at
    r.last_sent_at = ev.at
    return []


def _delivered(m: EstopMachine, ev: Event) -> list[EstopChange]:
    assert isinstance(ev, Delivered)
    if ev.command_id and ev.command_id != m._a().command_id:
        return []
    r = m._result(ev.path)
    if r.acked_at is not None:
        return []  # a re-send delivered again: the first delivery is the path's result
    r.acked_at = ev.at
    r.latency_ms = ev.latency_ms
    if m.state is EstopState.SENDING:
        return [m._move(EstopState.SENT, ev.at, "sent", ev.path, f"{ev.latency_ms:.1f} ms")]
    return [m._note(ev.at, "delivered", ev.path, f"{ev.latency_ms:.1f} ms")]


def _path_failed(m: EstopMachine, ev: Event) -> list[EstopChange]:
    assert isinstance(ev, PathFailed)
    if ev.command_id and ev.command_id != m._a().command_id:
        return []
    r = m._result(ev.path)
    r.error = ev.error
    r.failures += 1
    return [m._note(ev.at, "path_failed", ev.path, ev.error)]


def _confirm(m: EstopMachine, path: Path, at: float, running: bool | None, detail: str) -> list[EstopChange]:
    a = m._a()
    a.confirmed_by = path
    a.confirmed_at = at
    a.running = running
    a.stop_deadline = at + a.coast_down + m.timing.stop_grace
    a.next_probe_at = at + m.timing.probe_period
    out = [m._move(EstopState.CONFIRMED, at, "confirmed", path, detail)]
    if running is False:
        a.stopped_at = at
        out.append(m._move(EstopState.STOPPED, at, "stopped", path, "controller reports running = 0"))
    return out


def _report(m: EstopMachine, path: Path, at: float, running: bool | None, detail: str) -> list[EstopChange]:
    """A qualifying controller report (stop latched for this attempt) in any latched state."""
    a = m._a()
    r = m._result(path)
    if r.confirmed_at is None:
        r.confirmed_at = at
    if m.state in IN_PROGRESS:
        return _confirm(m, path, at, running, detail)
    if running is not None:
        a.running = running
    if running is False and m.state in (EstopState.CONFIRMED, EstopState.NOT_STOPPED):
        a.stopped_at = at
        return [m._move(EstopState.STOPPED, at, "stopped", path, "controller reports running = 0")]
    return []


def _mqtt_ack(m: EstopMachine, ev: Event) -> list[EstopChange]:
    assert isinstance(ev, MqttAck)
    if ev.command_id != m._a().command_id:
        return []  # an ack for another command never confirms this one
    if ev.state == "latched":
        return _report(m, Path.MQTT, ev.at, ev.running, "controller ack: latched")
    if ev.state == "refused" and m.state in IN_PROGRESS:
        r = m._result(Path.MQTT)
        r.error = f"refused by the controller: {ev.reason or 'no reason given'}"
        r.failures += 1
        return [m._note(ev.at, "path_failed", Path.MQTT, r.error)]
    return []


def _modbus_status(m: EstopMachine, ev: Event) -> list[EstopChange]:
    assert isinstance(ev, ModbusStatus)
    r = m._result(Path.MODBUS)
    if r.acked_at is None or ev.read_started_at < r.acked_at:
        return []  # read before our write was echoed: it may describe the controller before our command
    if not (ev.latched and ev.last_command == ESTOP_CODE):
        return []
    return _report(m, Path.MODBUS, ev.at, ev.running, "Modbus: stop latched, last command e-stop")


def _tick_in_progress(m: EstopMachine, ev: Event) -> list[EstopChange]:
    a = m._a()
    if m.state in (EstopState.SENDING, EstopState.SENT) and ev.at >= a.deadline:
        a.not_confirmed_at = ev.at
        return [m._move(EstopState.NOT_CONFIRMED, ev.at, "not_confirmed", detail=HARDWIRED_MESSAGE)]
    return []


def _tick_confirmed(m: EstopMachine, ev: Event) -> list[EstopChange]:
    a = m._a()
    if a.stop_deadline is not None and ev.at >= a.stop_deadline:
        return [m._move(EstopState.NOT_STOPPED, ev.at, "not_stopped", detail=STILL_RUNNING_MESSAGE)]
    return []


def _tick_resetting(m: EstopMachine, ev: Event) -> list[EstopChange]:
    a = m._a()
    assert a.reset is not None
    if ev.at >= a.reset.requested_at + m.timing.reset_timeout:
        a.reset.result, a.reset.detail, a.reset.done_at = "failed", "no answer from the controller", ev.at
        return [m._move(EstopState.STOPPED, ev.at, "reset_failed", a.reset.path, a.reset.detail)]
    return []


def _retry(m: EstopMachine, ev: Event) -> list[EstopChange]:
    if not m.retry_due(ev.at):
        return []
    a = m._a()
    a.retry_rounds += 1
    a.next_retry_at = max(a.next_retry_at + m.timing.retry_period, ev.at + m.timing.retry_period / 2)
    return [m._note(ev.at, "retry", detail=f"round {a.retry_rounds}")]


def _probe(m: EstopMachine, ev: Event) -> list[EstopChange]:
    if m.probe_due(ev.at):
        m._a().next_probe_at = ev.at + m.timing.probe_period
    return []


def _stop_retrying(m: EstopMachine, ev: Event) -> list[EstopChange]:
    assert isinstance(ev, StopRetrying)
    a = m._a()
    if not a.retrying:
        return []
    a.retrying = False
    return [m._note(ev.at, "retry_stopped", detail=f"by {ev.user}", user=ev.user)]


def _reset_requested(m: EstopMachine, ev: Event) -> list[EstopChange]:
    assert isinstance(ev, ResetRequested)
    a = m._a()
    a.reset = ResetInfo(ev.command_id, ev.path, ev.user, ev.reason, ev.at)
    return [m._move(EstopState.RESETTING, ev.at, "reset_requested", ev.path, f"by {ev.user}: {ev.reason}",
                    user=ev.user)]


def _reset_delivered(m: EstopMachine, ev: Event) -> list[EstopChange]:
    assert isinstance(ev, ResetDelivered)
    reset = m._a().reset
    assert reset is not None
    if reset.delivered_at is not None:
        return []
    reset.delivered_at = ev.at
    return [m._note(ev.at, "reset_sent", ev.path, f"{ev.latency_ms:.1f} ms")]


def _reset_failed(m: EstopMachine, ev: Event) -> list[EstopChange]:
    assert isinstance(ev, ResetFailed)
    reset = m._a().reset
    assert reset is not None
    reset.result, reset.detail, reset.done_at = "failed", ev.error, ev.at
    return [m._move(EstopState.STOPPED, ev.at, "reset_failed", reset.path, ev.error)]


def _reset_ack(m: EstopMachine, ev: Event) -> list[EstopChange]:
    assert isinstance(ev, ResetAck)
    a = m._a()
    reset = a.reset
    assert reset is not None
    if ev.command_id != reset.command_id:
        return []
    if ev.state == "reset":
        reset.result, reset.done_at = "reset", ev.at
        a.running = ev.running if ev.running is not None else a.running
        return [m._move(EstopState.RESET, ev.at, "reset", Path.MQTT, "controller ack: reset")]
    if ev.state == "refused":
        reset.result, reset.detail, reset.done_at = "refused", ev.reason or "refused", ev.at
        return [m._move(EstopState.STOPPED, ev.at, "reset_refused", Path.MQTT, reset.detail)]
    return []


def _reset_status(m: EstopMachine, ev: Event) -> list[EstopChange]:
    assert isinstance(ev, ModbusStatus)
    a = m._a()
    reset = a.reset
    assert reset is not None
    if ev.read_started_at < reset.requested_at or ev.latched or ev.last_command != RESET_CODE:
        return []
    reset.result, reset.done_at = "reset", ev.at
    a.running = ev.running if ev.running is not None else a.running
    return [m._move(EstopState.RESET, ev.at, "reset", Path.MODBUS, "Modbus: latch cleared, last command reset")]


S = EstopState
_LATCHED_NOT_IN_PROGRESS = (S.CONFIRMED, S.STOPPED, S.NOT_STOPPED, S.RESETTING)
_WITH_ATTEMPT = tuple(s for s in S if s is not S.IDLE)

TRANSITIONS: dict[tuple[EstopState, type], Handler] = {}
for _s in (S.IDLE, S.RESET, *_LATCHED_NOT_IN_PROGRESS):
    TRANSITIONS[(_s, Trigger)] = _trigger_new
for _s in IN_PROGRESS:
    TRANSITIONS[(_s, Trigger)] = _trigger_join
    TRANSITIONS[(_s, Tick)] = _tick_in_progress
    TRANSITIONS[(_s, Retry)] = _retry
    TRANSITIONS[(_s, StopRetrying)] = _stop_retrying
for _s in _WITH_ATTEMPT:
    TRANSITIONS[(_s, Transmitted)] = _transmitted
    TRANSITIONS[(_s, Delivered)] = _delivered
for _s in (*IN_PROGRESS, S.CONFIRMED, S.NOT_STOPPED, S.STOPPED):
    TRANSITIONS[(_s, PathFailed)] = _path_failed
    TRANSITIONS[(_s, MqttAck)] = _mqtt_ack
    TRANSITIONS[(_s, ModbusStatus)] = _modbus_status
for _s in (S.CONFIRMED, S.NOT_STOPPED):
    TRANSITIONS[(_s, Probe)] = _probe
TRANSITIONS[(S.CONFIRMED, Tick)] = _tick_confirmed
TRANSITIONS[(S.STOPPED, ResetRequested)] = _reset_requested
TRANSITIONS[(S.RESETTING, ResetDelivered)] = _reset_delivered
TRANSITIONS[(S.RESETTING, ResetFailed)] = _reset_failed
TRANSITIONS[(S.RESETTING, ResetAck)] = _reset_ack
TRANSITIONS[(S.RESETTING, ModbusStatus)] = _reset_status
TRANSITIONS[(S.RESETTING, Tick)] = _tick_resetting

# Requests the state does not allow: the reason the person who asked is told.
# (each gives the sentence for a mill: a `Text`, so the window shows it in the user's language)
REFUSALS: dict[tuple[EstopState, type], Callable[[str], Text]] = {
    (S.IDLE, ResetRequested): lambda mill: Text("no e-stop is latched on mill {mill}", mill=mill),
    (S.RESET, ResetRequested): lambda mill: Text("no e-stop is latched on mill {mill}: it has been reset", mill=mill),
    (S.SENDING, ResetRequested): lambda mill: Text("the stop of mill {mill} is not confirmed yet", mill=mill),
    (S.SENT, ResetRequested): lambda mill: Text("the stop of mill {mill} is not confirmed yet", mill=mill),
    (S.NOT_CONFIRMED, ResetRequested): lambda mill: Text(
        "the stop of mill {mill} was never confirmed by its controller: check the mill locally", mill=mill
    ),
    (S.CONFIRMED, ResetRequested): lambda mill: Text(
        "mill {mill} is still running (coasting down): reset is possible once its controller reports it stopped",
        mill=mill,
    ),
    (S.NOT_STOPPED, ResetRequested): lambda mill: Text(
        "mill {mill} is still running after its coast-down time: stop it locally; reset is possible once "
        "its controller reports it stopped", mill=mill,
    ),
    (S.RESETTING, ResetRequested): lambda mill: Text("a reset of mill {mill} is already in progress", mill=mill),
}
for _s in (S.IDLE, S.RESET, *_LATCHED_NOT_IN_PROGRESS):
    REFUSALS[(_s, StopRetrying)] = lambda mill: Text("mill {mill} has no stop being retried", mill=mill)


def describe(state: EstopState, attempt: EstopAttempt | None) -> str:
    """The stop control's words for a state (which path confirmed, when it did)."""
    by = attempt.confirmed_by.label if attempt is not None and attempt.confirmed_by is not None else ""
    if state is EstopState.IDLE:
        return "Ready"
    if state is EstopState.SENDING:
        return "Sending stop…"
    if state is EstopState.SENT:
        paths = ", ".join(p.label for p, r in (attempt.paths.items() if attempt else ()) if r.acked_at is not None)
        return f"Stop sent ({paths}): waiting for the controller"
    if state is EstopState.CONFIRMED:
        return f"Stop latched (confirmed by {by}): coasting down"
    if state is EstopState.STOPPED:
        return f"Mill stopped (confirmed by {by})"
    if state is EstopState.NOT_CONFIRMED:
        retrying = attempt is not None and attempt.retrying
        return HARDWIRED_MESSAGE + (" (re-sending every second)" if retrying else " (re-sending stopped)")
    if state is EstopState.NOT_STOPPED:
        return STILL_RUNNING_MESSAGE
    if state is EstopState.RESETTING:
        return "Resetting the stop…"
    return "Stop reset: the mill is stopped; start production separately"
