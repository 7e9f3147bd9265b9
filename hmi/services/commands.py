"""Command dispatch to the mills: the MQTT command link, the buffered audit sink, and the commands
without redundancy (start production, calibrate a sensor, push a sensor's configuration).

The e-stop (hmi/services/estop_service.py) uses the same link, payloads (hmi/core/commands.py),
permission checks and audit sink, and adds a second path, confirmation and retries.

Rules every command here follows:

- Permission is checked through `AuthService.authorize` (refusals are audited there); a privileged
  action needs a recent password entry: the refusal then says "password required" and carries
  `needs_reauth`, so the UI asks for the password and tries again.
- Nothing is queued while a link is down to be replayed later: with the broker not connected a
  command fails at once (`CommandRefused`, code "link_down") and says so. Messages carry a short
  MQTT message expiry (start 5 s, sensor config 10 s), and the link drops whatever paho would
  otherwise re-send after a reconnect.
- Every request and result is audited. The methods block for at most about `ack_timeout` seconds:
  call them from a worker thread (hmi/ui/worker.py), never on the GUI thread.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

import orjson
from sqlalchemy import Engine, Table, select, update
from sqlalchemy.exc import SQLAlchemyError

from hmi.core.broker import BrokerUrl, parse_broker_url
from hmi.core.clock import Clock, SystemClock
from hmi.core.commands import (
    COMMAND_KEY_NAME,
    CONFIG_EXPIRY_S,
    START_EXPIRY_S,
    CalibrationProposal,
    build_command,
    new_command_id,
    propose_calibration,
    sensor_config_fields,
)
from hmi.core.domain import Calibration, MillStatus, Sensor, Thresholds
from hmi.core.errors import ValidationError
from hmi.core.permissions import Action, Principal
from hmi.core.plant import Plant
from hmi.core.text import Text
from hmi.services.auth import AuthService, Session
from hmi.storage.audit import USE_KEYRING, AuditKey, HeadLog, append_audit, audit_transaction
from hmi.storage.schema import MillRow, SensorRow

if TYPE_CHECKING:  # paho loads when a link starts (the app's window shows first)
    import paho.mqtt.client as mqtt

log = logging.getLogger(__name__)

ACK_FILTER = "mills/+/commands/+/ack"
CONFIG_ACK_FILTER = "mills/+/sensors/+/config/ack"
START_REFUSED_MESSAGE = Text("Mill must be in active status to start production")
LINK_DOWN = Text("the broker is not connected")
# A command as a sentence names it ("start production was not sent ...").
COMMAND_WORDS: Mapping[str, str] = {
    "start_production": Text("start production"),
    "sensor_config": Text("sensor config"),
}


def command_word(name: str) -> str:
    return COMMAND_WORDS.get(name, name.replace("_", " "))

ClientFactory = Callable[[str], "mqtt.Client"]
MessageHandler = Callable[[str, bytes, float], None]
DeliveryCallback = Callable[[float, str], None]  # (monotonic time, "" or the error)


# -- refusals and results ------------------------------------------------------------------------------------


class CommandRefused(Exception):
    """A command was not sent; `reason` says why, for the person who asked.

    `code`: "permission", "password_required" (with `needs_reauth`), "state", "link_down",
    "validation", "database", "unknown".
    """

    def __init__(self, reason: str, *, code: str = "refused", needs_reauth: bool = False, command: str = "",
                 mill: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.needs_reauth = needs_reauth
        self.command = command
        self.mill = mill


@dataclass(frozen=True, slots=True)
class CommandResult:
    """What became of a command that was sent. `state`: started, sent, confirmed, applied, refused
    (by the controller), failed (no PUBACK or no answer in time)."""

    ok: bool
    command: str
    mill: str
    command_id: str
    state: str
    reason: str = ""
    latency_ms: float | None = None
    running: bool | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


def authorize(auth: AuthService, session: Session, action: Action, mill: str | None, *, command: str) -> Principal:
    """The services' permission check for a command; raises CommandRefused (refusals audited by auth)."""
    try:
        decision = auth.authorize(session, action, mill)
    except SQLAlchemyError:
        raise CommandRefused(
            Text("the database is unreachable: permissions cannot be checked, nothing was sent"),
            code="database", command=command, mill=mill or "",
        ) from None
    if decision.needs_reauth:
        raise CommandRefused(Text("password required: {reason}", reason=decision.reason), code="password_required",
                             needs_reauth=True,
                             command=command, mill=mill or "")
    if not decision:
        raise CommandRefused(decision.reason, code="permission", command=command, mill=mill or "")
    return session.principal


def resolve_command_key(key: AuditKey = USE_KEYRING) -> str | None:
    """The site's command key: `key` if given (None: unsigned commands), else keyring ``site:key``."""
    if key is USE_KEYRING:
        from hmi.storage.secrets import get_secret

        return get_secret(COMMAND_KEY_NAME) or None
    return key if isinstance(key, str) and key else None


# -- the MQTT command link -----------------------------------------------------------------------------------


def _purge_paho_queue(client: mqtt.Client, mid: int | None = None) -> int:
    """Drop messages paho keeps to re-send after a reconnect (all of them, or one `mid`).

    A command that did not reach the broker must fail now, never go out later: paho has no public
    way to forget a queued message, so this reaches into its (RLock-protected) out-queue.
    """
    lock = getattr(client, "_out_message_mutex", None)
    messages = getattr(client, "_out_messages", None)
    if lock is None or messages is None:
        log.error("paho has no _out_messages: queued commands may be re-sent after a reconnect")
        return 0
    with lock:
        if mid is None:
            n = len(messages)
            messages.clear()
            client._inflight_messages = 0  # type: ignore[attr-defined]
            return n
        if messages.pop(mid, None) is None:
            return 0
        return 1


def _no_delay(client: mqtt.Client) -> None:
    """Commands are small and urgent: without TCP_NODELAY, Nagle's algorithm holds a publish that
    follows our PUBACK of an answer until the broker's delayed ACK (about 40 ms on Linux)."""
    sock = client.socket()
    if sock is None:
        return
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, AttributeError) as exc:  # not a TCP socket (e.g. a websocket wrapper)
        log.debug("command link: TCP_NODELAY not set: %s", exc)


class CommandLink:
    """One paho client (MQTT v5, clean start) for commands: publishes with expiry, response topic and
    correlation data, reports each PUBACK, and hands acks to its handlers (on paho's thread).

    `publish` returns "" when the message went to the broker's socket, else the reason it was not
    sent (never queued for later). The link reconnects by itself (1-2 s after the broker returns).
    """

    def __init__(
        self,
        broker: BrokerUrl | str,
        password: str | None = None,
        *,
        client_id: str | None = None,
        client_factory: ClientFactory | None = None,
        filters: Iterable[str] = (ACK_FILTER,),
        keepalive: int = 10,
    ) -> None:
        self.broker = parse_broker_url(broker) if isinstance(broker, str) else broker
        self._password = password
        self.client_id = client_id or f"millwatch-cmd-{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
        self._factory = client_factory
        self._filters = tuple(filters)
        self._keepalive = keepalive
        self._client: mqtt.Client | None = None
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self._waiters: dict[int, tuple[DeliveryCallback, float]] = {}
        self._early: OrderedDict[int, tuple[float, str]] = OrderedDict()
        self._handlers: list[MessageHandler] = []
        self.stats: dict[str, int] = {"published": 0, "delivered": 0, "refused": 0, "purged": 0, "connects": 0}

    # -- lifecycle ------------------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        """Connected and subscribed to the answers: commands may go out."""
        return self._ready.is_set()

    def add_handler(self, handler: MessageHandler) -> None:
        self._handlers.append(handler)

    def add_filter(self, topic_filter: str) -> None:
        if topic_filter not in self._filters:
            self._filters = (*self._filters, topic_filter)
            client = self._client
            if client is not None and client.is_connected():
                client.subscribe(topic_filter, qos=1)

    def start(self) -> None:
        if self._client is not None:
            return
        if self._factory is not None:
            client = self._factory(self.client_id)
        else:
            import paho.mqtt.client as mqtt
            from paho.mqtt.enums import CallbackAPIVersion

            client = mqtt.Client(
                callback_api_version=CallbackAPIVersion.VERSION2, client_id=self.client_id, protocol=mqtt.MQTTv5
            )
            if self.broker.username:
                client.username_pw_set(self.broker.username, self._password)
            if self.broker.tls:
                client.tls_set(ca_certs=self.broker.ca_file or None, certfile=self.broker.cert_file or None,
                               keyfile=self.broker.key_file or None)
        client.reconnect_delay_set(min_delay=1, max_delay=2)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_subscribe = self._on_subscribe
        client.on_publish = self._on_publish
        client.on_message = self._on_message
        client.connect_async(self.broker.host, self.broker.port, keepalive=self._keepalive, clean_start=True)
        self._client = client
        client.loop_start()

    def wait_ready(self, timeout: float = 5.0) -> bool:
        return self._ready.wait(timeout)

    def stop(self) -> None:
        client, self._client = self._client, None
        self._ready.clear()
        if client is not None:
            client.disconnect()
            client.loop_stop()
        self._fail_waiters(Text("link stopped"))

    # -- publishing -----------------------------------------------------------------------------------
    def publish(
        self,
        topic: str,
        payload: bytes,
        *,
        retain: bool = False,
        expiry: int | None = None,
        response_topic: str | None = None,
        correlation: bytes | None = None,
        on_delivered: DeliveryCallback | None = None,
    ) -> str:
        client = self._client
        if client is None or not self._ready.is_set():
            return LINK_DOWN
        import paho.mqtt.client as mqtt  # loaded by now (the link is up): a lookup
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        props = Properties(PacketTypes.PUBLISH)
        if expiry:
            props.MessageExpiryInterval = int(expiry)
        if response_topic:
            props.ResponseTopic = response_topic
        if correlation:
            props.CorrelationData = correlation
        t0 = time.monotonic()
        try:
            info = client.publish(topic, payload, qos=1, retain=retain, properties=props)
        except (ValueError, RuntimeError, OSError) as exc:
            return Text("publish failed: {error}", error=str(exc))
        if info.rc != mqtt.MQTT_ERR_SUCCESS:
            _purge_paho_queue(client, info.mid)  # never sent later
            return Text("the broker is not connected ({detail})", detail=mqtt.error_string(info.rc))
        self.stats["published"] += 1
        if on_delivered is not None:
            with self._lock:
                early = self._early.pop(info.mid, None)
                if early is None:
                    self._waiters[info.mid] = (on_delivered, t0)
            if early is not None:
                on_delivered(*early)
        return ""

    def _fail_waiters(self, why: str) -> None:
        with self._lock:
            waiters, self._waiters = self._waiters, {}
            self._early.clear()
        now = time.monotonic()
        for cb, _t0 in waiters.values():
            try:
                cb(now, why)
            except Exception:
                log.exception("command link: delivery callback failed")

    # -- paho callbacks (paho's thread) ---------------------------------------------------------------
    def _on_connect(self, client: mqtt.Client, _u: object, _f: object, reason: Any, _p: object) -> None:
        if reason.is_failure:
            log.warning("command link: broker refused the connection: %s", reason)
            return
        _no_delay(client)
        purged = _purge_paho_queue(client)
        if purged:
            self.stats["purged"] += purged
            log.warning("command link: %d command(s) from before the reconnect dropped, not re-sent", purged)
        self.stats["connects"] += 1
        from paho.mqtt.subscribeoptions import SubscribeOptions

        client.subscribe([(f, SubscribeOptions(qos=1)) for f in self._filters])

    def _on_subscribe(self, _c: mqtt.Client, _u: object, _mid: int, reasons: list[Any], _p: object) -> None:
        if all(not r.is_failure for r in reasons):
            self._ready.set()
            log.info("command link ready on %s", self.broker.display())
        else:
            log.error("command link: answer subscription refused: %s", reasons)

    def _on_disconnect(self, client: mqtt.Client, _u: object, _f: object, reason: Any, _p: object) -> None:
        was_ready = self._ready.is_set()
        self._ready.clear()
        purged = _purge_paho_queue(client)
        self.stats["purged"] += purged
        if was_ready:
            log.warning("command link: disconnected from %s (%s)", self.broker.display(), reason)
        self._fail_waiters(Text("connection to the broker lost before its PUBACK"))

    def _on_publish(self, _c: mqtt.Client, _u: object, mid: int, reason: Any, _p: object) -> None:
        at = time.monotonic()
        failed = reason is not None and getattr(reason, "is_failure", False)
        error = Text("broker refused the message: {reason}", reason=str(reason)) if failed else ""
        self.stats["refused" if failed else "delivered"] += 1
        with self._lock:
            waiter = self._waiters.pop(mid, None)
            if waiter is None:
                self._early[mid] = (at, error)
                while len(self._early) > 1000:
                    self._early.popitem(last=False)
        if waiter is not None:
            try:
                waiter[0](at, error)
            except Exception:
                log.exception("command link: delivery callback failed")

    def _on_message(self, _c: mqtt.Client, _u: object, msg: mqtt.MQTTMessage) -> None:
        at = time.monotonic()
        payload = bytes(msg.payload)
        for handler in self._handlers:
            try:
                handler(msg.topic, payload, at)
            except Exception:
                log.exception("command link: answer handler failed for %s", msg.topic)


@dataclass(frozen=True, slots=True)
class Answer:
    """A controller's answer on `.../ack`."""

    mill: str
    name: str
    command_id: str
    state: str
    running: bool | None
    reason: str
    at: float


def parse_answer(topic: str, payload: bytes, at: float) -> Answer | None:
    """`mills/{mill}/commands/{name}/ack` or `mills/{mill}/sensors/{eui}/config/ack`; None if not one."""
    parts = topic.split("/")
    if len(parts) == 5 and parts[0] == "mills" and parts[2] == "commands" and parts[4] == "ack":
        mill, name = parts[1], parts[3]
    elif len(parts) == 6 and parts[0] == "mills" and parts[2] == "sensors" and parts[4:] == ["config", "ack"]:
        mill, name = parts[1], "sensor_config"
    else:
        return None
    try:
        doc = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(doc, dict):
        return None
    cid = doc.get("command_id")
    if not isinstance(cid, str) or not cid:
        return None
    running = doc.get("running")
    reason = doc.get("reason")
    return Answer(mill, name, cid, str(doc.get("state", "")), running if isinstance(running, bool) else None,
                  str(reason) if reason else "", at)


# -- the audit sink: ordered, bounded, survives a database outage ----------------------------------------------


@dataclass(slots=True)
class _Op:
    kind: str  # "audit" | "status"
    ts: datetime
    fields: dict[str, Any]
    on_done: Callable[[], None] | None = None
    queued_at: float = 0.0


class AuditSink:
    """Audit records (and mill status changes) written in order on a thread of its own.

    With the database down (or `engine` None) they wait in memory, in order, and are written when it
    returns, each with the time it happened and `written_late_s`. At most `capacity` wait; beyond
    that the oldest are dropped, counted, and an `audit.dropped` record says how many.
    """

    def __init__(
        self,
        engine: Engine | None,
        *,
        host: str | None = None,
        key: Callable[[], str | None] | str | None = None,
        head_log: HeadLog | None = None,
        capacity: int = 10_000,
        retry_s: float = 1.0,
        batch_delay: float = 0.05,
        name: str = "audit",
    ) -> None:
        self.engine = engine
        self.host = host or socket.gethostname()
        self._key = key
        self.head_log = head_log
        self.capacity = capacity
        self.retry_s = retry_s
        self.batch_delay = batch_delay
        self.name = name
        self._ops: deque[_Op] = deque()
        self._cond = threading.Condition()
        self._stop = False
        self._thread: threading.Thread | None = None
        self.db_ok = engine is not None
        self.dropped = 0
        self._dropped_unreported = 0
        self.written = 0
        self._busy = False
        self._flush_now = False

    def _audit_key(self) -> str | None:
        return self._key() if callable(self._key) else self._key

    def record(self, *, actor: str, action: str, mill: str = "", target: str = "", after: dict[str, Any] | None = None,
               before: dict[str, Any] | None = None, ts: datetime | None = None, host: str | None = None) -> None:
        """Queue one audit record (never blocks, never raises for a database problem)."""
        self._put(_Op("audit", ts or datetime.now(UTC), {
            "actor": actor, "action": action, "mill": mill, "target": target, "after": dict(after or {}),
            "before": dict(before or {}), "host": host or self.host,
        }))

    def set_mill_status(self, mill: str, status: str, *, on_done: Callable[[], None] | None = None) -> None:
        """Queue a change of the mill's stored status; `on_done` runs once it is written."""
        self._put(_Op("status", datetime.now(UTC), {"mill": mill, "status": status}, on_done))

    def _put(self, op: _Op) -> None:
        op.queued_at = time.monotonic()
        with self._cond:
            if len(self._ops) >= self.capacity:
                self._ops.popleft()
                self.dropped += 1
                self._dropped_unreported += 1
                if self.dropped == 1 or self.dropped % 1000 == 0:
                    log.error("%s: %d record(s) dropped while the database is unreachable", self.name, self.dropped)
            self._ops.append(op)
            self._cond.notify_all()

    @property
    def pending(self) -> int:
        with self._cond:
            return len(self._ops)

    def pending_records(self) -> list[dict[str, Any]]:
        """Copies of the audit records still waiting (oldest first), for the status panel and tests."""
        with self._cond:
            return [{**op.fields, "ts": op.ts} for op in self._ops if op.kind == "audit"]

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop = False
        self._thread = threading.Thread(target=self._run, name=f"{self.name}-sink", daemon=True)
        self._thread.start()

    def stop(self, flush_timeout: float = 2.0) -> None:
        self.flush(flush_timeout)
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(flush_timeout + 5.0)
            self._thread = None

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued is written (False on timeout, e.g. the database is down)."""
        if self.engine is None:
            return not self._ops
        deadline = time.monotonic() + timeout
        with self._cond:
            self._flush_now = True
            self._cond.notify_all()
            while self._ops or self._busy:
                left = deadline - time.monotonic()
                if left <= 0 or self._thread is None:
                    return False
                self._cond.wait(min(left, 0.05))
        return True

    def _run(self) -> None:
        retry_at = 0.0
        while True:
            with self._cond:
                # After a failure, wait out the retry interval (new records do not hammer a down database).
                while not self._stop and not self._flush_now and (left := retry_at - time.monotonic()) > 0:
                    self._cond.wait(left)
                while not self._ops and not self._stop:
                    self._flush_now = False
                    self._cond.wait()
                # Gather what follows for a moment: fewer transactions, and the writer stays off the
                # GIL while a command that caused the first record is still going out.
                until = time.monotonic() + self.batch_delay
                while not self._stop and not self._flush_now and (left := until - time.monotonic()) > 0:
                    self._cond.wait(left)
                if self._stop and (not self._ops or not self.db_ok):
                    return
                batch = list(self._ops)[:500]
                dropped = self._dropped_unreported
                self._busy = True
            ok = self._write(batch, dropped)
            with self._cond:
                self._busy = False
                if ok:
                    written = {id(op) for op in batch}  # some may have been dropped meanwhile by the bound
                    while self._ops and id(self._ops[0]) in written:
                        self._ops.popleft()
                    self._dropped_unreported -= dropped
                else:
                    retry_at = time.monotonic() + self.retry_s
                    self._flush_now = False
                self._cond.notify_all()
                if not ok and self._stop:
                    return

    def _write(self, batch: list[_Op], dropped: int) -> bool:
        if self.engine is None:
            return False
        done: list[Callable[[], None]] = []
        now = time.monotonic()
        try:
            with audit_transaction(self.engine, self.head_log) as conn:
                key = self._audit_key()
                if dropped:
                    append_audit(conn, actor="system", action="audit.dropped", host=self.host, key=key,
                                 after={"count": dropped, "reason": "database unreachable, buffer full"})
                mills = cast(Table, MillRow.__table__)
                for op in batch:
                    f = op.fields
                    if op.kind == "status":
                        conn.execute(update(mills).where(mills.c.slug == f["mill"], mills.c.status != f["status"])
                                     .values(status=f["status"], updated_at=op.ts))
                        if op.on_done is not None:
                            done.append(op.on_done)
                        continue
                    after = dict(f["after"])
                    late = now - op.queued_at
                    if late > 1.0 or not self.db_ok:
                        after["written_late_s"] = round(late, 1)
                    append_audit(conn, actor=f["actor"], action=f["action"], mill=f["mill"], target=f["target"],
                                 before=f["before"] or None, after=after, host=f["host"], ts=op.ts, key=key)
        except SQLAlchemyError as exc:
            if self.db_ok:
                log.error("%s: database unreachable (%s): %d record(s) kept in order until it returns", self.name,
                          type(exc).__name__, len(batch))
            self.db_ok = False
            return False
        if not self.db_ok:
            log.warning("%s: database back: %d waiting record(s) written", self.name, len(batch))
        self.db_ok = True
        self.written += len(batch)
        for fn in done:
            try:
                fn()
            except Exception:
                log.exception("%s: completion callback failed", self.name)
        return True


def db_mill_status(engine: Engine) -> Callable[[str], str | None]:
    """A mill-status provider reading the mills table (raises SQLAlchemyError when it is unreachable)."""

    def status(mill: str) -> str | None:
        t = MillRow.__table__
        with engine.connect() as conn:
            return conn.execute(select(t.c.status).where(t.c.slug == mill)).scalar_one_or_none()

    return status


# -- the commands without redundancy -------------------------------------------------------------------------


@dataclass(slots=True)
class _Pending:
    name: str
    delivered: threading.Event = field(default_factory=threading.Event)
    answered: threading.Event = field(default_factory=threading.Event)
    delivered_at: float | None = None
    error: str = ""
    answer: Answer | None = None


class CommandService:
    """start production, calibrate a sensor, push a sensor's configuration.

    `estop` (the EstopService) says whether a mill's stop is latched and holds the mill status the
    e-stop set until it is stored; `mill_status(slug)` gives the stored status (default: the mills
    table). `on_calibration(eui, calibration)` lets the ingest pipeline apply a new calibration.
    """

    def __init__(
        self,
        plant: Plant,
        *,
        auth: AuthService,
        link: CommandLink | None = None,
        broker: BrokerUrl | str | None = None,
        broker_password: str | None = None,
        client_factory: ClientFactory | None = None,
        engine: Engine | None = None,
        estop: Any | None = None,
        mill_status: Callable[[str], str | None] | None = None,
        audit: AuditSink | None = None,
        clock: Clock | None = None,
        site_key: AuditKey = USE_KEYRING,
        console: str = "",
        puback_timeout: float = 1.0,
        ack_timeout: float = 2.0,
        on_calibration: Callable[[str, Calibration], None] | None = None,
    ) -> None:
        self.plant = plant
        self.auth = auth
        self.engine = engine if engine is not None else auth.engine
        self._own_link = link is None and broker is not None
        self.link = link if link is not None else (
            CommandLink(broker, broker_password, client_factory=client_factory,
                        filters=(ACK_FILTER, CONFIG_ACK_FILTER)) if broker is not None else None
        )
        if self.link is not None:
            self.link.add_handler(self._on_message)
            self.link.add_filter(CONFIG_ACK_FILTER)
        self.estop = estop
        self._mill_status = mill_status or db_mill_status(self.engine)
        self._own_audit = audit is None
        self.audit = audit or AuditSink(self.engine, host=auth.host, key=auth.audit_key, head_log=auth.head_log,
                                        name="commands-audit")
        self.clock: Clock = clock or SystemClock()
        self._site_key_arg = site_key
        self._site_key: str | None = None
        self._site_key_resolved = False
        self.console = console
        self.puback_timeout = puback_timeout
        self.ack_timeout = ack_timeout
        self.on_calibration = on_calibration
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._calibrations: dict[str, Calibration] = {}

    # -- lifecycle ------------------------------------------------------------------------------------
    def start(self) -> None:
        self._key()  # resolve the keyring now, not in the middle of a command
        if self._own_audit:
            self.audit.start()
        if self._own_link and self.link is not None:
            self.link.start()

    def stop(self) -> None:
        if self._own_link and self.link is not None:
            self.link.stop()
        if self._own_audit:
            self.audit.stop()

    def _key(self) -> str | None:
        if not self._site_key_resolved:
            self._site_key = resolve_command_key(self._site_key_arg)
            self._site_key_resolved = True
        return self._site_key

    # -- lookups --------------------------------------------------------------------------------------
    def _mill(self, slug: str, command: str) -> None:
        try:
            self.plant.mill(slug)
        except KeyError:
            raise CommandRefused(Text("unknown mill {mill!r}", mill=slug),
                                 code="unknown", command=command, mill=slug) from None

    def _sensor(self, eui: str, command: str) -> Sensor:
        for s in self.plant.sensors():
            if s.eui == eui.upper():
                cal = self._calibrations.get(s.eui)
                return s if cal is None else replace(s, calibration=cal)
        raise CommandRefused(Text("unknown sensor {eui!r}", eui=eui), code="unknown", command=command)

    def note_calibration(self, eui: str, calibration: Calibration) -> None:
        """A calibration changed elsewhere (the sensor editor, another console): the next reference
        calibration starts from it instead of being refused as "changed meanwhile"."""
        self._calibrations[eui.upper()] = calibration

    def _refuse(self, session: Session, command: str, mill: str, reason: str, code: str, *,
                target: str = "") -> CommandRefused:
        self.audit.record(actor=session.username, action=f"command.{command}.refused", mill=mill,
                          target=target or command, after={"reason": reason, "code": code, "console": session.console},
                          ts=self.clock.now(), host=session.host)
        return CommandRefused(reason, code=code, command=command, mill=mill)

    # -- start production -----------------------------------------------------------------------------
    def start_production(self, session: Session, mill: str) -> CommandResult:
        """Ask the mill's controller to start. Refused while the mill is not active or its e-stop is
        latched (START_REFUSED_MESSAGE), and at once when the broker is down."""
        name = "start_production"
        self._mill(mill, name)
        authorize(self.auth, session, Action.START_PRODUCTION, mill, command=name)
        latched = self.estop is not None and self.estop.is_latched(mill)
        status = self._status(session, mill, name)
        if latched or status != MillStatus.ACTIVE.value:
            raise self._refuse(session, name, mill, START_REFUSED_MESSAGE, "state")
        return self._send(session, name, mill, f"mills/{mill}/commands/{name}", START_EXPIRY_S, {},
                          ok_states={"started"}, wait_answer=True)

    def _status(self, session: Session, mill: str, name: str) -> str | None:
        override = self.estop.mill_status(mill) if self.estop is not None else None
        if override is not None:
            return str(override)
        try:
            return self._mill_status(mill)
        except SQLAlchemyError:
            raise CommandRefused(Text("the database is unreachable: the mill's status cannot be checked, nothing was "
                                      "sent"), code="database", command=name, mill=mill) from None

    # -- sensor configuration -------------------------------------------------------------------------
    def push_config(self, session: Session, eui: str, *, thresholds: Thresholds | None = None,
                    sampling_interval: float | None = None, wait_answer: bool = False) -> CommandResult:
        """Send thresholds and/or a sampling interval to `mills/{mill}/sensors/{eui}/config`.
        Done when the broker takes it (PUBACK); with `wait_answer`, when the device acks it."""
        name = "sensor_config"
        sensor = self._sensor(eui, name)
        mill = sensor.mill_slug
        if thresholds is not None:
            authorize(self.auth, session, Action.EDIT_THRESHOLDS, mill, command=name)
        if sampling_interval is not None:
            authorize(self.auth, session, Action.EDIT_SENSORS, mill, command=name)
        try:
            fields = sensor_config_fields(sensor, thresholds, sampling_interval)
        except ValidationError as exc:
            raise self._refuse(session, name, mill, exc.message, "validation", target=sensor.eui) from None
        topic = f"mills/{mill}/sensors/{sensor.eui}/config"
        return self._send(session, name, mill, topic, CONFIG_EXPIRY_S, fields, ok_states={"applied", "ok", "accepted"},
                          wait_answer=wait_answer, target=sensor.eui,
                          response_topic=f"{topic}/ack")

    # -- calibration ----------------------------------------------------------------------------------
    def propose_calibration(self, eui: str, latest_raw: float, latest_value: float,
                            reference: float) -> CalibrationProposal:
        """What calibrating against `reference` would change (pure; nothing is checked or stored)."""
        sensor = self._sensor(eui, "calibrate")
        try:
            return propose_calibration(sensor, latest_raw, latest_value, reference)
        except ValidationError as exc:
            raise CommandRefused(exc.message, code="validation", command="calibrate", mill=sensor.mill_slug) from None

    def apply_calibration(self, session: Session, proposal: CalibrationProposal, reason: str = "") -> CommandResult:
        """Store the proposed calibration (if the stored one is still `proposal.before`), its versioned
        calibration record (who, when, why, before/after, raw value and reference) and its audit record,
        all in one transaction; fails at once with the database down."""
        from hmi.storage.calibration_repo import KIND_REFERENCE, append_calibration

        name = "calibrate"
        sensor = self._sensor(proposal.eui, name)
        mill = sensor.mill_slug
        authorize(self.auth, session, Action.EDIT_CALIBRATION, mill, command=name)
        command_id = new_command_id()
        t = cast(Table, SensorRow.__table__)
        before, after = proposal.before, proposal.after
        now = self.clock.now()
        try:
            with audit_transaction(self.engine, self.auth.head_log) as conn:
                # Locked (PostgreSQL) so two consoles calibrating at once take turns: the second then
                # finds the calibration changed and is refused, and versions never collide.
                row = conn.execute(select(t.c.cal_offset, t.c.cal_multiplier).where(t.c.eui == sensor.eui)
                                   .with_for_update()).first()
                if row is None:
                    raise CommandRefused(Text("sensor {eui} is not in the database", eui=sensor.eui), code="unknown",
                                         command=name, mill=mill)
                if abs(row.cal_offset - before.offset) > 1e-9 or abs(row.cal_multiplier - before.multiplier) > 1e-12:
                    raise CommandRefused(Text("the calibration changed meanwhile: propose it again"), code="state",
                                         command=name, mill=mill)
                conn.execute(update(t).where(t.c.eui == sensor.eui).values(
                    cal_offset=after.offset, cal_multiplier=after.multiplier, updated_at=now))
                record = append_calibration(
                    conn, eui=sensor.eui, before=before, after=after, username=session.username, ts=now,
                    reason=reason, kind=KIND_REFERENCE, host=session.host, console=session.console,
                    raw_value=proposal.raw, reference=proposal.reference, reading_before=proposal.reading_before,
                    command_id=command_id)
                self.auth.audit(conn, actor=session.username, action="sensor.calibrate", host=session.host, mill=mill,
                                target=sensor.eui,
                                before={"offset": before.offset, "multiplier": before.multiplier},
                                after={"offset": after.offset, "multiplier": after.multiplier,
                                       "correction": proposal.offset, "raw": proposal.raw,
                                       "reference": proposal.reference, "reading_before": proposal.reading_before,
                                       "reason": reason, "command_id": command_id, "console": session.console,
                                       "version": record.version})
        except SQLAlchemyError:
            raise CommandRefused(Text("the database is unreachable: the calibration was not applied"), code="database",
                                 command=name, mill=mill) from None
        self._calibrations[sensor.eui] = after
        if self.on_calibration is not None:
            self.on_calibration(sensor.eui, after)
        return CommandResult(True, name, mill, command_id, "applied",
                             detail={"before": before, "after": after, "offset": proposal.offset,
                                     "version": record.version, "record": record})

    def calibration_history(self, eui: str, *, session: Session | None = None,
                            limit: int | None = None) -> list[Any]:
        """The sensor's calibration records (`CalibrationRecord`), newest first. With a session,
        reading them needs `view` on the sensor's mill (refusals audited)."""
        from hmi.storage.calibration_repo import calibration_history

        sensor = self._sensor(eui, "calibration_history")
        if session is not None:
            authorize(self.auth, session, Action.VIEW, sensor.mill_slug, command="calibration_history")
        return calibration_history(self.engine, sensor.eui, limit)

    # -- sending and waiting --------------------------------------------------------------------------
    def _send(self, session: Session, name: str, mill: str, topic: str, expiry: int, extra: dict[str, Any], *,
              ok_states: set[str], wait_answer: bool, target: str = "",
              response_topic: str | None = None) -> CommandResult:
        link = self.link
        if link is None or not link.ready:
            raise self._refuse(session, name, mill,
                               Text("the broker is not connected: {command} was not sent and will not be sent later",
                                    command=command_word(name)),
                               "link_down", target=target)
        cmd = build_command(name, mill=mill, user=session.username, console=session.console or self.console,
                            issued_at=self.clock.now(), expiry_s=expiry, key=self._key(), extra=extra)
        pending = _Pending(name)
        with self._lock:
            self._pending[cmd.command_id] = pending

        def delivered(at: float, error: str) -> None:
            pending.delivered_at, pending.error = at, error
            pending.delivered.set()

        t0 = time.monotonic()
        audit_base = {"command_id": cmd.command_id, "console": session.console, **extra}
        self.audit.record(actor=session.username, action=f"command.{name}", mill=mill, target=target or name,
                          after={**audit_base, "result": "requested"}, ts=self.clock.now(), host=session.host)
        try:
            error = link.publish(topic, cmd.payload, expiry=expiry,
                                 response_topic=response_topic or f"{topic}/ack",
                                 correlation=cmd.command_id.encode(), on_delivered=delivered)
            if not error and not pending.delivered.wait(self.puback_timeout):
                error = Text("no PUBACK from the broker within {seconds:g} s", seconds=self.puback_timeout)
            elif not error:
                error = pending.error
            if error:
                return self._finish(session, name, mill, target, audit_base, CommandResult(
                    False, name, mill, cmd.command_id, "failed",
                    Text("{error}: {command} not confirmed sent", error=error, command=command_word(name))
                ))
            puback_ms = ((pending.delivered_at or t0) - t0) * 1000.0
            if not wait_answer:
                return self._finish(session, name, mill, target, audit_base, CommandResult(
                    True, name, mill, cmd.command_id, "sent", latency_ms=puback_ms))
            if not pending.answered.wait(self.ack_timeout):
                return self._finish(session, name, mill, target, audit_base, CommandResult(
                    False, name, mill, cmd.command_id, "failed",
                    Text("no answer from the controller within {seconds:g} s", seconds=self.ack_timeout), puback_ms))
            answer = pending.answer
            assert answer is not None
            latency = (answer.at - t0) * 1000.0
            if answer.state in ok_states:
                return self._finish(session, name, mill, target, audit_base, CommandResult(
                    True, name, mill, cmd.command_id, answer.state, answer.reason, latency, answer.running))
            return self._finish(session, name, mill, target, audit_base, CommandResult(
                False, name, mill, cmd.command_id, "refused",
                Text("refused by the controller: {reason}", reason=answer.reason or answer.state), latency,
                answer.running))
        finally:
            with self._lock:
                self._pending.pop(cmd.command_id, None)

    def _finish(self, session: Session, name: str, mill: str, target: str, base: dict[str, Any],
                result: CommandResult) -> CommandResult:
        after = {**base, "result": result.state, "ok": result.ok}
        if result.reason:
            after["reason"] = result.reason
        if result.latency_ms is not None:
            after["latency_ms"] = round(result.latency_ms, 1)
        self.audit.record(actor=session.username, action=f"command.{name}", mill=mill, target=target or name,
                          after=after, ts=self.clock.now(), host=session.host)
        log.info("%s %s on %s: %s %s", session.username, name, mill, result.state, result.reason)
        return result

    def _on_message(self, topic: str, payload: bytes, at: float) -> None:
        answer = parse_answer(topic, payload, at)
        if answer is None:
            return
        with self._lock:
            pending = self._pending.get(answer.command_id)
        if pending is None or pending.name != answer.name or pending.answered.is_set():
            return
        pending.answer = answer
        pending.answered.set()
