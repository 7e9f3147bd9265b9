"""The e-stop as a service: two independent paths in parallel, confirmation only from the controller,
retries, reset, audit that survives a database outage.

`EstopService.trigger(session, mill)` returns at once (an `EstopHandle`); the work runs on the
service's own threads, never the caller's (the GUI thread):

- MQTT (paho's network thread, one client of its own with clean start, `CommandLink`): the signed
  command (hmi/core/commands.py) on ``mills/{mill}/commands/estop``, QoS 1, message expiry 30 s,
  response topic ``.../estop/ack`` and correlation data = command id, retained while latched (cleared
  just before a reset). PUBACK = SENT on this path; the ack with the same command id and
  ``state: latched`` = CONFIRMED.
- Modbus (a worker thread per device, its own connection, 300 ms timeout and one retry), where the
  mill's plant entry has ``estop.modbus``: write 1 to the stop coil (echo = SENT on this path), then
  read the stop-latched discrete input, the running input (the next one) and holding register 900
  (last command) every 20 ms; latched and HR 900 == 1 read after our echo = CONFIRMED.
- A timer thread: the 2 s confirmation deadline (NOT_CONFIRMED: top-priority alarm, "use the
  hardwired e-stop / local stop"), re-sending on every path every second until confirmed or the
  operator stops retrying, the coast-down deadline (NOT_STOPPED), probes for running = 0 (MQTT-only
  mills re-send the stop, which a latched controller answers at once), the reset deadline.

The state machine is hmi/core/estop.py; every change goes, in order and never coalesced, to the
listeners (on one dispatcher thread, after the alarm hook), and to the audit trail (activation, each
path's result and latency, retries, confirmation or failure, stopped, reset request and result),
through an `AuditSink` that keeps records in order in memory while the database is down and writes
them, with their own times, when it returns. The mill's stored status becomes ``offline`` on
activation and ``active`` once a reset is confirmed (the mill is then stopped but may be started).

Triggering needs `Action.TRIGGER_ESTOP` on the mill and is decided without the database (from the
session's principal as last loaded), so a slow or unreachable database never delays a stop; it is
allowed from a locked screen (AuthPolicy.allowed_while_locked) and attributed to the locked
session's user and console. Reset needs `Action.RESET_ESTOP`, a password entered within the policy's
re-authentication age ("password required" otherwise), a reason, and the mill STOPPED (its controller
reported running = 0); it is sent on MQTT (message expiry 5 s) or, with the broker down, on the
Modbus reset coil, and never starts the mill.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from hmi.core.broker import BrokerUrl
from hmi.core.clock import Clock, SystemClock
from hmi.core.commands import ESTOP_EXPIRY_S, RESET_EXPIRY_S, build_command, iso_utc, new_command_id
from hmi.core.domain import DEFAULT_COAST_DOWN, Mill, MillStatus, Severity
from hmi.core.estop import (
    ALARMING,
    HARDWIRED_MESSAGE,
    IN_PROGRESS,
    LATCHED,
    STILL_RUNNING_MESSAGE,
    Delivered,
    EstopAttempt,
    EstopChange,
    EstopMachine,
    EstopRefused,
    EstopState,
    EstopTiming,
    Event,
    ModbusStatus,
    MqttAck,
    Path,
    PathFailed,
    Probe,
    ResetAck,
    ResetDelivered,
    ResetFailed,
    ResetRequested,
    Retry,
    StopRetrying,
    Tick,
    Transmitted,
    Trigger,
    describe,
)
from hmi.core.permissions import Action
from hmi.core.plant import Plant
from hmi.core.sources import ModbusSource, parse_source
from hmi.core.text import Text
from hmi.drivers.modbus_errors import (
    EXCEPTION_NAMES,
    REASON_DISCONNECTED,
    REASON_PROTOCOL,
    REASON_SHORT_READ,
    REASON_TIMEOUT,
    ModbusRequestError,
    exception_reason,
)
from hmi.services.auth import AuthService, Session
from hmi.services.commands import (
    ACK_FILTER,
    AuditSink,
    ClientFactory,
    CommandLink,
    CommandRefused,
    authorize,
    parse_answer,
    resolve_command_key,
)
from hmi.services.scheduler import Scheduler
from hmi.storage.audit import USE_KEYRING, AuditKey

if TYPE_CHECKING:
    from pymodbus.client import ModbusSerialClient, ModbusTcpClient

log = logging.getLogger(__name__)

COMMAND_REGISTER = 900


# -- Modbus: the controller's map and a short-timeout channel ------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModbusTarget:
    """Where a mill's controller lives on Modbus: from the plant's ``estop.modbus`` URL
    (``modbus://HOST:PORT/coil/STOP?unit=N&readback=di/LATCHED``). Reset coil = stop + 1, start coil =
    stop + 2, running input = latched + 1, last-command register 900."""

    source: ModbusSource
    stop_coil: int
    latched_di: int
    command_register: int = COMMAND_REGISTER

    @property
    def unit(self) -> int:
        return self.source.unit

    @property
    def reset_coil(self) -> int:
        return self.stop_coil + 1

    @property
    def running_di(self) -> int:
        return self.latched_di + 1

    @classmethod
    def of(cls, url: str) -> ModbusTarget | None:
        if not url:
            return None
        src = parse_source(url)
        if not isinstance(src, ModbusSource) or src.table != "coil":
            return None
        latched = src.address
        if src.readback:
            table, _, addr = src.readback.partition("/")
            if table.strip().lower() == "di" and addr.strip().isdigit():
                latched = int(addr)
        return cls(src, src.address, latched)


@dataclass(frozen=True, slots=True)
class ControllerStatus:
    latched: bool
    running: bool
    last_command: int


class ModbusChannel:
    """One connection to a device for e-stop writes and status reads, kept open between requests
    (reopened after a fault). Only the device's worker thread uses it."""

    def __init__(self, source: ModbusSource, timeout: float = 0.3, retries: int = 1) -> None:
        self.source = source
        self.timeout = timeout
        self.retries = retries
        self._client: ModbusTcpClient | ModbusSerialClient | None = None

    def _connect(self) -> ModbusTcpClient | ModbusSerialClient:
        if self._client is not None and self._client.connected:
            return self._client
        self.close()
        from pymodbus.client import ModbusSerialClient, ModbusTcpClient  # when a Modbus path is first used
        from pymodbus.framer import FramerType

        s = self.source
        try:
            if s.serial:
                client: ModbusTcpClient | ModbusSerialClient = ModbusSerialClient(
                    s.host, framer=FramerType.RTU, baudrate=s.baud, parity=s.parity, stopbits=s.stopbits,
                    timeout=self.timeout, retries=self.retries, name=f"estop {s.device_key}")
            else:
                client = ModbusTcpClient(s.host, port=s.port, timeout=self.timeout, retries=self.retries,
                                         name=f"estop {s.device_key}")
        except RuntimeError as exc:  # pyserial missing
            raise ModbusRequestError(REASON_DISCONNECTED, str(exc)) from exc
        if not client.connect():
            client.close()
            raise ModbusRequestError(REASON_DISCONNECTED, f"cannot connect to {s.device_key}")
        self._client = client
        return client

    def warm(self) -> bool:
        """Open the connection ahead of the first stop (a failure is only logged: the stop retries)."""
        try:
            self._connect()
        except ModbusRequestError as exc:
            log.warning("e-stop Modbus %s not reachable yet: %s", self.source.device_key, exc)
            return False
        return True

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def _call(self, fn: Callable[[ModbusTcpClient | ModbusSerialClient], Any]) -> Any:
        client = self._connect()
        from pymodbus.exceptions import ConnectionException, ModbusException, ModbusIOException

        try:
            rr = fn(client)
        except ConnectionException as exc:
            self.close()
            raise ModbusRequestError(REASON_DISCONNECTED, str(exc)) from exc
        except ModbusIOException as exc:
            self.close()  # a late answer must not be taken for the next request's
            raise ModbusRequestError(REASON_TIMEOUT, str(exc)) from exc
        except (ModbusException, OSError) as exc:
            self.close()
            raise ModbusRequestError(REASON_PROTOCOL, f"{type(exc).__name__}: {exc}") from exc
        if rr.isError():
            code = int(getattr(rr, "exception_code", 0) or 0)
            raise ModbusRequestError(exception_reason(code), EXCEPTION_NAMES.get(code, f"exception {code}"))
        return rr

    def write_coil(self, unit: int, address: int, value: bool) -> float:
        """Write one coil; returns the latency (ms) once the device echoed it. ModbusRequestError else."""
        t0 = time.perf_counter()
        rr = self._call(lambda c: c.write_coil(address, value, device_id=unit))
        echo = list(getattr(rr, "bits", []) or [])
        if echo and bool(echo[0]) != bool(value):
            raise ModbusRequestError("echo_mismatch", f"wrote {value}, the device echoed {echo[0]}")
        return (time.perf_counter() - t0) * 1000.0

    def read_status(self, target: ModbusTarget) -> ControllerStatus:
        bits = list(self._call(lambda c: c.read_discrete_inputs(target.latched_di, count=2, device_id=target.unit))
                    .bits)
        regs = list(self._call(lambda c: c.read_holding_registers(target.command_register, count=1,
                                                                  device_id=target.unit)).registers)
        if len(bits) < 2 or not regs:
            raise ModbusRequestError(REASON_SHORT_READ, f"{len(bits)} bits, {len(regs)} registers")
        return ControllerStatus(bool(bits[0]), bool(bits[1]), int(regs[0]))


def _warm(channel: ModbusChannel) -> None:
    channel.warm()


class _Worker:
    """One device's thread: runs submitted jobs in order with the device's channel."""

    def __init__(self, name: str, channel: ModbusChannel) -> None:
        self.channel = channel
        self._jobs: queue.SimpleQueue[Callable[[ModbusChannel], None] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def submit(self, job: Callable[[ModbusChannel], None]) -> None:
        self._jobs.put(job)

    def stop(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=self.channel.timeout * (self.channel.retries + 1) * 3 + 2.0)
        self.channel.close()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                job(self.channel)
            except Exception:
                log.exception("e-stop Modbus job failed; continuing")


class _Timer(Scheduler):
    """The service's timers on one thread of their own, in order."""

    def __init__(self) -> None:
        super().__init__("e-stop timer")
        self._thread = threading.Thread(target=self.run, name="estop-timer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        super().stop()
        if self._thread.is_alive():
            self._thread.join(timeout=5.0)


# -- what the UI and the app get ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EstopStatus:
    """A mill's stop as the UI shows it: `text` names the state without ambiguity and which path
    confirmed. `attempt` is a copy (path results, latencies, retries, reset)."""

    mill: str
    state: EstopState
    attempt: EstopAttempt | None
    text: str

    @property
    def command_id(self) -> str:
        return self.attempt.command_id if self.attempt is not None else ""

    @property
    def latched(self) -> bool:
        return self.state in LATCHED

    @property
    def alarm(self) -> bool:
        return self.state in ALARMING

    @property
    def confirmed_by(self) -> Path | None:
        return self.attempt.confirmed_by if self.attempt is not None else None

    @property
    def retrying(self) -> bool:
        return self.attempt is not None and self.attempt.retrying and self.state in IN_PROGRESS

    @property
    def reset_enabled(self) -> bool:
        """Whether the reset control may be enabled (permission and password are checked on use)."""
        return self.state is EstopState.STOPPED


@dataclass(frozen=True, slots=True)
class EstopAlarm:
    """For the alarm hook: `kind` is "activated" (EMERGENCY alert, with the user's name),
    "not_confirmed" / "not_stopped" (top priority: use the hardwired e-stop / local stop),
    "confirmed", "stopped" or "reset" (the stop alarm may return to normal)."""

    kind: str
    mill: str
    user: str
    console: str
    command_id: str
    text: str
    at: datetime
    severity: Severity | None = Severity.EMERGENCY


Listener = Callable[[EstopChange, EstopStatus], None]
AlarmHook = Callable[[EstopAlarm], None]

_AUDIT_ACTIONS = {
    "trigger": "estop.activate",
    "retrigger": "estop.retrigger",
    "retry_resumed": "estop.retry_resumed",
    "sent": "estop.path",
    "delivered": "estop.path",
    "path_failed": "estop.path",
    "retry": "estop.retry",
    "confirmed": "estop.confirmed",
    "stopped": "estop.stopped",
    "not_confirmed": "estop.not_confirmed",
    "not_stopped": "estop.not_stopped",
    "retry_stopped": "estop.retry_stopped",
    "reset_requested": "estop.reset_request",
    "reset_sent": "estop.reset_path",
    "reset": "estop.reset",
    "reset_refused": "estop.reset",
    "reset_failed": "estop.reset",
}
_ALARM_KINDS = {"trigger": "activated", "not_confirmed": "not_confirmed", "not_stopped": "not_stopped",
                "confirmed": "confirmed", "stopped": "stopped", "reset": "reset"}


class EstopHandle:
    """One press of the stop: its command id and, at any time, its status (`wait_for` in tests)."""

    def __init__(self, service: EstopService, mill: str, command_id: str) -> None:
        self._service = service
        self.mill = mill
        self.command_id = command_id

    def __repr__(self) -> str:
        return f"<EstopHandle {self.mill} {self.command_id} {self.status().state.value}>"

    def status(self) -> EstopStatus:
        return self._service.attempt_status(self.command_id)

    @property
    def state(self) -> EstopState:
        return self.status().state

    def wait_for(self, *states: EstopState, timeout: float = 5.0) -> EstopStatus | None:
        """Wait until the attempt is in one of `states`; its status, or None on timeout."""
        return self._service.wait(lambda: self._service.attempt_state(self.command_id) in states, timeout,
                                  self.status)


_AUTH_ENGINE: Any = object()


class EstopService:
    """The e-stop of every mill of `plant` (see the module docstring).

    `broker`/`broker_password` (or `client_factory(client_id) -> paho Client`, or a shared `link`)
    give the MQTT path; mills with ``estop.modbus`` get the Modbus path. `engine` is the audit
    database (default: the auth service's; None: records only in memory). `alarm(EstopAlarm)` is
    called on the dispatcher thread. `coast_down`: seconds per mill (or one for all) the controller may
    take to report running = 0 after the latch.
    """

    def __init__(
        self,
        plant: Plant,
        *,
        auth: AuthService,
        broker: BrokerUrl | str | None = None,
        broker_password: str | None = None,
        client_factory: ClientFactory | None = None,
        link: CommandLink | None = None,
        engine: Engine | None = _AUTH_ENGINE,
        alarm: AlarmHook | None = None,
        clock: Clock | None = None,
        site_key: AuditKey = USE_KEYRING,
        timing: EstopTiming | None = None,
        coast_down: float | Mapping[str, float] | None = None,
        modbus_timeout: float = 0.3,
        modbus_retries: int = 1,
        modbus_poll: float = 0.02,
        audit: AuditSink | None = None,
        audit_capacity: int = 10_000,
        db_retry: float = 1.0,
    ) -> None:
        self.plant = plant
        self.auth = auth
        self.timing = timing or EstopTiming()
        self._clock: Clock = clock or SystemClock()
        self._alarm = alarm
        self._coast_down = coast_down
        self._modbus_poll = modbus_poll
        self._site_key_arg = site_key
        self._site_key: str | None = None
        self._own_link = link is None and broker is not None
        self.link = link if link is not None else (
            CommandLink(broker, broker_password, client_factory=client_factory, filters=(ACK_FILTER,))
            if broker is not None else None
        )
        if self.link is not None:
            self.link.add_handler(self._on_message)
        db = auth.engine if engine is _AUTH_ENGINE else engine
        self._own_audit = audit is None
        self.audit = audit or AuditSink(db, host=auth.host, key=auth.audit_key, head_log=auth.head_log,
                                        capacity=audit_capacity, retry_s=db_retry, name="estop-audit")
        self._mills: dict[str, Mill] = {m.slug: m for m in plant.mills}
        self._machines = {slug: EstopMachine(slug, self.timing) for slug in self._mills}
        self._targets: dict[str, ModbusTarget] = {}
        self._workers: dict[str, _Worker] = {}
        for m in plant.mills:
            target = ModbusTarget.of(m.estop_modbus)
            if target is None:
                continue
            self._targets[m.slug] = target
            key = target.source.device_key
            if key not in self._workers:
                self._workers[key] = _Worker(f"estop-modbus {key}", ModbusChannel(target.source, modbus_timeout,
                                                                                   modbus_retries))
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._events: queue.SimpleQueue[tuple[EstopChange, EstopStatus] | None] = queue.SimpleQueue()
        self._listeners: list[Listener] = []
        self._attempts: OrderedDict[str, tuple[EstopAttempt, EstopState]] = OrderedDict()
        self._activated_wall: dict[str, datetime] = {}
        self._next_wake: dict[str, float] = {}
        self._poll_pending: set[str] = set()
        self._write_pending: set[str] = set()
        self._status_override: dict[str, tuple[MillStatus, int]] = {}
        self._override_seq = itertools.count(1)
        self._timer = _Timer()
        self._dispatcher = threading.Thread(target=self._dispatch, name="estop-events", daemon=True)
        self._started = False

    # -- lifecycle ------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._started:
            return
        self._site_key = resolve_command_key(self._site_key_arg)  # the keyring now, not during a stop
        if self._own_audit:
            self.audit.start()
        self._dispatcher.start()
        self._timer.start()
        for w in self._workers.values():
            w.start()
            w.submit(_warm)
        if self._own_link and self.link is not None:
            self.link.start()
        self._started = True

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        self._timer.stop()
        for w in self._workers.values():
            w.stop()
        if self._own_link and self.link is not None:
            self.link.stop()
        self._events.put(None)
        self._dispatcher.join(timeout=5.0)
        if self._own_audit:
            self.audit.stop()

    def __enter__(self) -> EstopService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add_listener(self, listener: Listener) -> None:
        """`listener(change, status)` gets every change in order, never coalesced, on one thread of the
        service (hand it to the GUI thread through the bridge; never block in it)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    # -- queries --------------------------------------------------------------------------------------
    def status(self, mill: str) -> EstopStatus:
        with self._lock:
            return self._status_locked(mill)

    def statuses(self) -> dict[str, EstopStatus]:
        with self._lock:
            return {slug: self._status_locked(slug) for slug in self._machines}

    def is_latched(self, mill: str) -> bool:
        with self._lock:
            return self._machine(mill).latched

    def paths(self, mill: str) -> tuple[Path, ...]:
        """The paths a stop of `mill` uses (MQTT where configured and a broker is set; Modbus where the
        plant has estop.modbus)."""
        m = self._mill(mill)
        out: list[Path] = []
        if m.estop_mqtt and self.link is not None:
            out.append(Path.MQTT)
        if mill in self._targets:
            out.append(Path.MODBUS)
        return tuple(out)

    def mill_status(self, mill: str) -> MillStatus | None:
        """The status the e-stop gave the mill (offline on a stop, active after a reset) while it is not
        yet stored; None once stored (the database is then the authority)."""
        with self._lock:
            override = self._status_override.get(mill)
        return override[0] if override is not None else None

    def attempt_status(self, command_id: str) -> EstopStatus:
        with self._lock:
            attempt, state = self._attempts[command_id]
            return EstopStatus(attempt.mill, state, attempt.copy(), describe(state, attempt))

    def attempt_state(self, command_id: str) -> EstopState | None:
        with self._lock:
            entry = self._attempts.get(command_id)
            return entry[1] if entry is not None else None

    def wait(self, predicate: Callable[[], bool], timeout: float, result: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + timeout
        while not predicate():
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            with self._cond:
                self._cond.wait(min(left, 0.05))
        return result()

    def _mill(self, mill: str) -> Mill:
        try:
            return self._mills[mill]
        except KeyError:
            raise CommandRefused(Text("unknown mill {mill!r}", mill=mill), code="unknown", mill=mill) from None

    def _machine(self, mill: str) -> EstopMachine:
        self._mill(mill)
        return self._machines[mill]

    def _status_locked(self, mill: str) -> EstopStatus:
        m = self._machine(mill)
        a = m.attempt
        return EstopStatus(mill, m.state, a.copy() if a is not None else None, describe(m.state, a))

    def _coast(self, mill: str) -> float:
        cd = self._coast_down
        if cd is None:  # the plant's own figure (plant file `[mills.estop] coast_down`)
            return float(self.plant.mill(mill).estop_coast_down)
        return float(cd.get(mill, DEFAULT_COAST_DOWN)) if isinstance(cd, Mapping) else float(cd)

    def _wall(self, at: float) -> datetime:
        return self._clock.now() - timedelta(seconds=max(0.0, time.monotonic() - at))

    # -- the operator's requests ----------------------------------------------------------------------
    def trigger(self, session: Session, mill: str, console: str | None = None) -> EstopHandle:
        """Stop `mill` now. Returns at once; the work runs on the service's threads. Works from a locked
        screen. Raises CommandRefused (permission, unknown mill, no path configured)."""
        if not self._started:
            raise RuntimeError("start() the e-stop service first")
        self._mill(mill)
        self._authorize_stop(session, mill)
        paths = self.paths(mill)
        cid = new_command_id()
        now = time.monotonic()
        self._activated_wall[cid] = self._clock.now()
        ev = Trigger(now, cid, paths, session.username, console or session.console, self._coast(mill))
        try:
            changes = self._apply(mill, ev)
        except EstopRefused as exc:
            self.audit.record(actor=session.username, action="estop.refused", mill=mill, target=cid,
                              after={"reason": str(exc), "console": ev.console}, ts=self._clock.now(),
                              host=session.host)
            raise CommandRefused(exc.args[0], code="state", command="estop", mill=mill) from None
        first = changes[0]
        if first.cause == "trigger":
            self._timer.call_soon(self._send_stop, mill, cid)
        else:
            self._activated_wall.pop(cid, None)
            if first.cause == "retry_resumed":
                self._timer.call_soon(self._wake, mill)
        return EstopHandle(self, mill, first.command_id)

    def stop_retrying(self, mill: str, user: Session | str) -> EstopStatus:
        """The operator stops the re-sending of a stop that is not confirmed (audited)."""
        name = user.username if isinstance(user, Session) else str(user)
        if isinstance(user, Session):
            self._authorize_stop(user, mill)
        try:
            self._apply(mill, StopRetrying(time.monotonic(), name))
        except EstopRefused as exc:
            raise CommandRefused(exc.args[0], code="state", command="estop", mill=mill) from None
        return self.status(mill)

    def reset(self, session: Session, mill: str, reason: str) -> EstopHandle:
        """Reset a latched stop (see the module docstring). Raises CommandRefused when not allowed;
        the result arrives as changes (RESETTING -> RESET, or back to STOPPED with the reason)."""
        name = "estop_reset"
        self._mill(mill)
        reason = (reason or "").strip()
        if not reason:
            raise self._reset_refused(session, mill, Text("a reason is required to reset the e-stop"), "validation")
        try:
            authorize(self.auth, session, Action.RESET_ESTOP, mill, command=name)
        except CommandRefused as exc:
            raise self._reset_refused(session, mill, exc.reason, exc.code, needs_reauth=exc.needs_reauth) from None
        if session.needs_reauth():
            raise self._reset_refused(session, mill, Text("password required: enter your password again to reset "
                                                          "the e-stop"), "password_required", needs_reauth=True)
        path = self._reset_path(mill)
        if path is None:
            raise self._reset_refused(session, mill, Text("no path to the controller: the broker is not connected "
                                                          "and no Modbus reset is configured"), "link_down")
        cid = new_command_id()
        try:
            changes = self._apply(mill, ResetRequested(time.monotonic(), cid, path, session.username, reason))
        except EstopRefused as exc:
            raise self._reset_refused(session, mill, exc.args[0], "state") from None
        self._timer.call_soon(self._send_reset, mill, cid, path, session.username, session.console, reason)
        return EstopHandle(self, mill, changes[0].command_id)

    def _reset_refused(self, session: Session, mill: str, reason: str, code: str, *,
                       needs_reauth: bool = False) -> CommandRefused:
        self.audit.record(actor=session.username, action="estop.reset_request", mill=mill, target="estop_reset",
                          after={"result": "refused", "reason": reason, "code": code, "console": session.console},
                          ts=self._clock.now(), host=session.host)
        return CommandRefused(reason, code=code, needs_reauth=needs_reauth, command="estop_reset", mill=mill)

    def _authorize_stop(self, session: Session, mill: str) -> None:
        """TRIGGER_ESTOP without the database: the session's principal as last loaded, its state and
        the policy (allowed while locked or before a password change)."""
        act = Action.TRIGGER_ESTOP
        policy = self.auth.policy
        reason = ""
        if session.signed_out:
            reason = Text("{user} is signed out: sign in again", user=session.username)
        else:
            decision = self.auth.permissions.check(session.principal, act, mill)
            if not decision:
                reason = decision.reason
            elif session.locked and act not in policy.allowed_while_locked:
                reason = Text("the screen is locked: unlock it first")
            elif session.must_change_password and act not in policy.allowed_before_password_change:
                reason = Text("{user} must change the temporary password first", user=session.username)
        if reason:
            self.audit.record(actor=session.username, action="permission.denied", mill=mill, target=act.value,
                              after={"reason": reason, "action": act.value, "console": session.console},
                              ts=self._clock.now(), host=session.host)
            raise CommandRefused(reason, code="permission", command="estop", mill=mill)

    def _reset_path(self, mill: str) -> Path | None:
        if self._mills[mill].estop_mqtt and self.link is not None and self.link.ready:
            return Path.MQTT
        if mill in self._targets:
            return Path.MODBUS
        return None

    # -- applying events (any thread) -----------------------------------------------------------------
    def _apply(self, mill: str, event: Event) -> list[EstopChange]:
        with self._cond:
            m = self._machines[mill]
            changes = m.apply(event)
            if changes:
                a = m.attempt
                assert a is not None
                self._attempts[a.command_id] = (a, m.state)
                self._attempts.move_to_end(a.command_id)
                while len(self._attempts) > 200:
                    old, _ = self._attempts.popitem(last=False)
                    self._activated_wall.pop(old, None)
                for ch in changes:
                    status = EstopStatus(mill, ch.after, a.copy(), describe(ch.after, a))
                    self._events.put((ch, status))
                    self._record(ch, a)
                self._cond.notify_all()
            wake = m.next_wakeup()
        if wake is not None:
            self._schedule_wake(mill, wake)
        return changes

    def _schedule_wake(self, mill: str, when: float) -> None:
        with self._lock:
            pending = self._next_wake.get(mill)
            if pending is not None and pending <= when + 1e-4:
                return
            self._next_wake[mill] = when
        self._timer.call_at(when, self._wake, mill)

    def _record(self, ch: EstopChange, a: EstopAttempt) -> None:
        """The audit record and the stored mill status for one change (under the lock: in order)."""
        action = _AUDIT_ACTIONS.get(ch.cause)
        if ch.cause == "trigger":
            self._set_status(ch.mill, MillStatus.OFFLINE)
        elif ch.cause == "reset":
            self._set_status(ch.mill, MillStatus.ACTIVE)
        if action is None:
            return
        after: dict[str, Any] = {"command_id": a.command_id, "state": ch.after.value}
        if ch.path is not None:
            after["path"] = ch.path.value
        if ch.detail:
            after["detail"] = ch.detail
        actor = ch.user or a.user
        if ch.cause == "trigger":
            after.update(console=a.console, paths=[p.value for p in a.paths], coast_down_s=a.coast_down,
                         mill_status=MillStatus.OFFLINE.value)
        elif ch.cause in ("sent", "delivered", "path_failed") and ch.path is not None:
            r = a.paths[ch.path]
            after.update(result="failed" if ch.cause == "path_failed" else "delivered", sends=r.sends)
            if ch.cause == "path_failed":
                after["error"] = r.error
            elif r.latency_ms is not None:
                after["latency_ms"] = round(r.latency_ms, 2)
        elif ch.cause in ("retry", "not_confirmed", "confirmed", "stopped", "not_stopped"):
            after["paths"] = {
                p.value: {"sends": r.sends, "delivered": r.acked_at is not None,
                          "latency_ms": None if r.latency_ms is None else round(r.latency_ms, 2),
                          "confirmed": r.confirmed_at is not None, "error": r.error}
                for p, r in a.paths.items()
            }
            after["retries"] = a.retry_rounds
            if ch.cause == "confirmed":
                after["confirmed_by"] = a.confirmed_by.value if a.confirmed_by else None
                after["confirmation_ms"] = round(a.confirmation_ms or 0.0, 2)
            if ch.cause in ("not_confirmed", "not_stopped"):
                after["message"] = HARDWIRED_MESSAGE if ch.cause == "not_confirmed" else STILL_RUNNING_MESSAGE
        elif a.reset is not None and ch.cause.startswith("reset"):
            actor = ch.user or a.reset.user
            after.update(reset_command_id=a.reset.command_id, reason=a.reset.reason)
            if ch.cause in ("reset", "reset_refused", "reset_failed"):
                after["result"] = a.reset.result
                after["mill_status"] = (MillStatus.ACTIVE if ch.cause == "reset" else MillStatus.OFFLINE).value
        self.audit.record(actor=actor, action=action, mill=ch.mill, target=a.command_id, after=after,
                          ts=self._wall(ch.at))

    def _set_status(self, mill: str, status: MillStatus) -> None:
        token = next(self._override_seq)
        self._status_override[mill] = (status, token)

        def stored() -> None:
            with self._lock:
                if self._status_override.get(mill, (None, 0))[1] == token:
                    del self._status_override[mill]

        self.audit.set_mill_status(mill, status.value, on_done=stored)

    # -- the timer thread -----------------------------------------------------------------------------
    def _wake(self, mill: str) -> None:
        now = time.monotonic()
        with self._lock:
            pending = self._next_wake.get(mill)
            if pending is not None and pending <= now + 1e-4:
                del self._next_wake[mill]
        self._apply(mill, Tick(now))
        if self._apply(mill, Retry(now)):
            self._send_stop(mill, None)
        with self._lock:
            m = self._machines[mill]
            probe = m.probe_due(now)
            if probe:
                m.apply(Probe(now))
            wake = m.next_wakeup()
            a = m.attempt
            modbus_watch = a is not None and Path.MODBUS in a.paths and a.paths[Path.MODBUS].acked_at is not None
        if probe:
            if modbus_watch:
                self._schedule_poll(mill, 0.0)
            elif a is not None and Path.MQTT in a.paths:
                self._mqtt_stop(mill, a.command_id)  # a latched controller answers at once, with running
        if wake is not None:
            self._schedule_wake(mill, wake)

    def _send_stop(self, mill: str, command_id: str | None) -> None:
        with self._lock:
            a = self._machines[mill].attempt
            if a is None or (command_id is not None and a.command_id != command_id):
                return
            cid, paths = a.command_id, list(a.paths)
        if Path.MQTT in paths:  # first: a non-blocking publish, before the Modbus worker wakes up
            self._mqtt_stop(mill, cid)
        if Path.MODBUS in paths:
            self._modbus_stop(mill, cid)

    def _mqtt_stop(self, mill: str, cid: str) -> None:
        with self._lock:
            a = self._machines[mill].attempt
            if a is None or a.command_id != cid:
                return
            n = a.paths[Path.MQTT].sends + 1 if Path.MQTT in a.paths else 1
            user, console = a.user, a.console
        activated = self._activated_wall.get(cid) or self._clock.now()
        cmd = build_command("estop", mill=mill, user=user, console=console, issued_at=self._clock.now(),
                            expiry_s=ESTOP_EXPIRY_S, command_id=cid, key=self._site_key,
                            extra={"activated_at": iso_utc(activated), "attempt": n})
        t0 = time.monotonic()
        self._apply(mill, Transmitted(t0, Path.MQTT, cid))
        link = self.link
        topic = f"mills/{mill}/commands/estop"

        def delivered(at: float, error: str) -> None:
            if error:
                self._apply(mill, PathFailed(at, Path.MQTT, error, cid))
            else:
                self._apply(mill, Delivered(at, Path.MQTT, (at - t0) * 1000.0, cid))

        error = "no broker configured" if link is None else link.publish(
            topic, cmd.payload, retain=True, expiry=ESTOP_EXPIRY_S, response_topic=f"{topic}/ack",
            correlation=cid.encode(), on_delivered=delivered)
        if error:
            self._apply(mill, PathFailed(time.monotonic(), Path.MQTT, error, cid))

    # -- Modbus (jobs run on the device's worker) -----------------------------------------------------
    def _worker(self, mill: str) -> tuple[_Worker, ModbusTarget]:
        target = self._targets[mill]
        return self._workers[target.source.device_key], target

    def _modbus_stop(self, mill: str, cid: str) -> None:
        with self._lock:
            if mill in self._write_pending:
                log.warning("e-stop %s: the previous Modbus write has not finished; this round skips Modbus", mill)
                return
            self._write_pending.add(mill)
        worker, target = self._worker(mill)

        def job(ch: ModbusChannel) -> None:
            try:
                t0 = time.monotonic()
                self._apply(mill, Transmitted(t0, Path.MODBUS, cid))
                try:
                    ms = ch.write_coil(target.unit, target.stop_coil, True)
                except ModbusRequestError as exc:
                    self._apply(mill, PathFailed(time.monotonic(), Path.MODBUS, f"{exc.reason}: {exc.detail}", cid))
                    return
                self._apply(mill, Delivered(time.monotonic(), Path.MODBUS, ms, cid))
            finally:
                with self._lock:
                    self._write_pending.discard(mill)
            self._poll(ch, mill, target)

        worker.submit(job)

    def _poll_interval(self, mill: str) -> float | None:
        with self._lock:
            m = self._machines[mill]
            a = m.attempt
            if a is None or mill not in self._targets:
                return None
            if m.state is EstopState.RESETTING:
                return self._modbus_poll
            r = a.paths.get(Path.MODBUS)
            if r is None or r.acked_at is None:
                return None
            if m.state in IN_PROGRESS:
                return self._modbus_poll if a.retrying else self.timing.retry_period / 2
            if m.state in (EstopState.CONFIRMED, EstopState.NOT_STOPPED):
                return max(self._modbus_poll, 0.1)
            return None

    def _schedule_poll(self, mill: str, delay: float) -> None:
        with self._lock:
            if mill in self._poll_pending:
                return
            self._poll_pending.add(mill)
        worker, target = self._worker(mill)

        def job(ch: ModbusChannel) -> None:
            with self._lock:
                self._poll_pending.discard(mill)
            self._poll(ch, mill, target)

        self._timer.call_later(delay, worker.submit, job)

    def _poll(self, ch: ModbusChannel, mill: str, target: ModbusTarget) -> None:
        if self._poll_interval(mill) is None:
            return
        t0 = time.monotonic()
        try:
            st = ch.read_status(target)
        except ModbusRequestError as exc:
            with self._lock:
                m = self._machines[mill]
                cid = m.attempt.command_id if m.attempt is not None and m.state in IN_PROGRESS else ""
            if cid:
                self._apply(mill, PathFailed(time.monotonic(), Path.MODBUS,
                                             f"status read failed: {exc.reason}: {exc.detail}", cid))
            self._schedule_poll(mill, self.timing.retry_period / 2)
            return
        self._apply(mill, ModbusStatus(time.monotonic(), t0, st.latched, st.running, st.last_command))
        nxt = self._poll_interval(mill)
        if nxt is not None:
            self._schedule_poll(mill, nxt)

    # -- reset ----------------------------------------------------------------------------------------
    def _send_reset(self, mill: str, cid: str, path: Path, user: str, console: str, reason: str) -> None:
        if mill in self._targets:
            self._schedule_poll(mill, self._modbus_poll)  # the latch clearing shows there too
        if path is Path.MODBUS:
            worker, target = self._worker(mill)

            def job(ch: ModbusChannel) -> None:
                try:
                    ms = ch.write_coil(target.unit, target.reset_coil, True)
                except ModbusRequestError as exc:
                    self._apply(mill, ResetFailed(time.monotonic(), f"Modbus: {exc.reason}: {exc.detail}"))
                    return
                self._apply(mill, ResetDelivered(time.monotonic(), Path.MODBUS, ms))
                self._poll(ch, mill, target)

            worker.submit(job)
            return
        link = self.link
        assert link is not None
        topic = f"mills/{mill}/commands/estop"
        # The retained stop must not outlive the latch: a controller connecting after the reset would stop again.
        link.publish(topic, b"", retain=True)
        cmd = build_command("estop_reset", mill=mill, user=user, console=console, issued_at=self._clock.now(),
                            expiry_s=RESET_EXPIRY_S, command_id=cid, key=self._site_key, extra={"reason": reason})
        t0 = time.monotonic()

        def delivered(at: float, error: str) -> None:
            if error:
                self._apply(mill, ResetFailed(at, f"MQTT: {error}"))
            else:
                self._apply(mill, ResetDelivered(at, Path.MQTT, (at - t0) * 1000.0))

        reset_topic = f"mills/{mill}/commands/estop_reset"
        error = link.publish(reset_topic, cmd.payload, expiry=RESET_EXPIRY_S, response_topic=f"{reset_topic}/ack",
                             correlation=cid.encode(), on_delivered=delivered)
        if error:
            self._apply(mill, ResetFailed(time.monotonic(), f"MQTT: {error}"))

    # -- answers (paho's thread) ----------------------------------------------------------------------
    def _on_message(self, topic: str, payload: bytes, at: float) -> None:
        answer = parse_answer(topic, payload, at)
        if answer is None or answer.mill not in self._machines:
            return
        if answer.name == "estop":
            self._apply(answer.mill, MqttAck(at, answer.command_id, answer.state, answer.running, answer.reason))
        elif answer.name == "estop_reset":
            self._apply(answer.mill, ResetAck(at, answer.command_id, answer.state, answer.running, answer.reason))

    # -- the dispatcher thread ------------------------------------------------------------------------
    def _dispatch(self) -> None:
        while True:
            item = self._events.get()
            if item is None:
                return
            change, status = item
            if self._alarm is not None and change.cause in _ALARM_KINDS and change.moved:
                self._raise_alarm(change, status)
            for listener in list(self._listeners):
                try:
                    listener(change, status)
                except Exception:
                    log.exception("e-stop listener failed")

    def _raise_alarm(self, change: EstopChange, status: EstopStatus) -> None:
        assert self._alarm is not None
        a = status.attempt
        kind = _ALARM_KINDS[change.cause]
        user = a.user if a is not None else change.user
        console = a.console if a is not None else ""
        texts = {
            "activated": f"EMERGENCY STOP of mill {change.mill} by {user}" + (f" at {console}" if console else ""),
            "not_confirmed": f"{change.mill}: {HARDWIRED_MESSAGE}",
            "not_stopped": f"{change.mill}: {STILL_RUNNING_MESSAGE}",
            "confirmed": f"{change.mill}: stop latched (confirmed by {change.path.label if change.path else '?'})",
            "stopped": f"{change.mill}: mill stopped",
            "reset": f"{change.mill}: e-stop reset by {a.reset.user if a and a.reset else '?'}",
        }
        severity = Severity.EMERGENCY if kind in ("activated", "not_confirmed", "not_stopped") else None
        try:
            self._alarm(EstopAlarm(kind, change.mill, user, console, change.command_id, texts[kind],
                                   self._wall(change.at), severity))
        except Exception:
            log.exception("e-stop alarm hook failed")

