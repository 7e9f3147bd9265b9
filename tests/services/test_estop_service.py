"""The e-stop service against real servers: mosquitto, the simulator as the mill controller (MQTT and
its pymodbus server), SQLite. No mocks: paths go down by stopping the broker or pointing Modbus at a
closed port; the database goes down by moving its directory away."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import Engine, select
from sqlalchemy.pool import NullPool

from hmi.core.alarm_engine import AlarmEngine
from hmi.core.alarms import AlarmKind
from hmi.core.clock import FakeClock
from hmi.core.commands import NonceCache, verify_command
from hmi.core.domain import Mill, MillStatus, Role, Sensor, SensorType, Severity, Thresholds
from hmi.core.estop import HARDWIRED_MESSAGE, STILL_RUNNING_MESSAGE, EstopChange, EstopState, EstopTiming
from hmi.core.estop import Path as EstopPath
from hmi.core.permissions import PermissionTable, SiteOptions
from hmi.core.plant import Plant
from hmi.services.auth import AuthService, Session
from hmi.services.commands import CommandRefused
from hmi.services.estop_service import EstopAlarm, EstopService, EstopStatus
from hmi.services.local_broker import free_port
from hmi.services.simulator import Simulator
from hmi.services.users import add_user
from hmi.storage.audit import verify_audit
from hmi.storage.database import make_engine
from hmi.storage.migrate import upgrade
from hmi.storage.plant_repo import apply_plant
from hmi.storage.schema import AuditRow, MillRow
from tests.support.servers import Mosquitto

KEY = "test-site-command-key"
PW = "correct horse battery"
EUI = "00AA000000000001"
SIM_URL = "modbus://127.0.0.1:5020/coil/0?unit=1&readback=di/0"  # the simulator only reads unit and coils
USERS = {
    "root": (Role.ADMIN, None),
    "ana": (Role.OPERATOR, ["north"]),
    "tom": (Role.TECHNICIAN, ["north"]),
    "vic": (Role.VIEWER, ["north"]),
}
S = EstopState
MQTT, MODBUS = EstopPath.MQTT, EstopPath.MODBUS


def build_plant(modbus_url: str, *, mqtt_path: bool = True) -> Plant:
    sensor = Sensor("north", "Bin temperature", SensorType.TEMPERATURE, EUI, sampling_interval=30,
                    thresholds=Thresholds(warning_max=60, critical_max=70))
    north = Mill("north", "North", estop_mqtt=mqtt_path, estop_modbus=modbus_url, sensors=(sensor,))
    south = Mill("south", "South")
    return Plant((north, south))


@pytest.fixture(scope="module")
def user_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the plant and four users, copied for each test (argon2 is slow)."""
    path = tmp_path_factory.mktemp("estop-users") / "template.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    apply_plant(engine, build_plant(SIM_URL))
    for name, (role, mills) in USERS.items():
        add_user(engine, name, PW, role, mills=mills, audit_key=None)
    engine.dispose()
    return path


class Subscriber:
    """A plain paho client recording every message (topic, payload, retain, properties)."""

    def __init__(self, broker: Mosquitto, *topics: str) -> None:
        self.messages: list[tuple[str, bytes, bool, Any]] = []
        self._cond = threading.Condition()
        subscribed = threading.Event()
        self.client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *_: subscribed.set()
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()
        self.client.subscribe([(t, mqtt.SubscribeOptions(qos=1)) for t in topics])
        assert subscribed.wait(5)

    def _on_message(self, _c: mqtt.Client, _u: object, msg: mqtt.MQTTMessage) -> None:
        with self._cond:
            self.messages.append((msg.topic, bytes(msg.payload), bool(msg.retain), msg.properties))
            self._cond.notify_all()

    def on(self, topic: str) -> list[bytes]:
        with self._cond:
            return [p for t, p, _, _ in self.messages if t == topic]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 4.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@dataclass
class Rig:
    broker: Mosquitto
    sim: Simulator
    plant: Plant
    engine: Engine
    auth: AuthService
    clock: FakeClock
    service: EstopService
    db_dir: Path
    changes: list[tuple[EstopChange, EstopStatus, str]] = field(default_factory=list)
    alarms: list[EstopAlarm] = field(default_factory=list)
    subscribers: list[Subscriber] = field(default_factory=list)

    def sign_in(self, name: str, console: str = "console-1") -> Session:
        result = self.auth.sign_in(name, PW, console=console)
        assert result.session is not None, result.message
        return result.session

    def subscribe(self, *topics: str) -> Subscriber:
        sub = Subscriber(self.broker, *topics)
        self.subscribers.append(sub)
        return sub

    def causes(self, command_id: str | None = None) -> list[str]:
        return [c.cause for c, _, _ in list(self.changes) if command_id is None or c.command_id == command_id]

    def seen(self, cause: str, timeout: float = 3.0) -> bool:
        """Wait until the listeners (on the dispatcher thread) have received a change with `cause`."""
        return bool(self.service.wait(lambda: cause in self.causes(), timeout, lambda: True))

    def db_down(self) -> None:
        os.rename(self.db_dir, self.db_dir.with_name("db-away"))

    def db_up(self) -> None:
        os.rename(self.db_dir.with_name("db-away"), self.db_dir)

    def audit(self, prefix: str = "estop.") -> list[tuple[str, str, dict[str, Any]]]:
        assert self.service.audit.flush(5), "audit records not written"
        t = AuditRow.__table__
        with self.engine.connect() as c:
            rows = c.execute(select(t.c.action, t.c.username, t.c.after).order_by(t.c.seq)).all()
        return [(r.action, r.username, json.loads(r.after)) for r in rows if r.action.startswith(prefix)]

    def stored_status(self, mill: str = "north") -> str:
        t = MillRow.__table__
        with self.engine.connect() as c:
            return str(c.execute(select(t.c.status).where(t.c.slug == mill)).scalar_one())


@pytest.fixture
def make_rig(tmp_path: Path, mosquitto: Mosquitto, user_db: Path) -> Iterator[Callable[..., Rig]]:
    rigs: list[Rig] = []

    def make(*, broker_down: bool = False, modbus: str | None = "sim", mqtt_path: bool = True,
             sim_coast: float = 0.0, coast: float = 0.0, latch_delay: float = 0.1, site_key: str | None = KEY,
             sim_on_broker: bool | None = None, timing: EstopTiming | None = None) -> Rig:
        if broker_down:
            mosquitto.stop()
        on_broker = not broker_down if sim_on_broker is None else sim_on_broker
        sim = Simulator(build_plant(SIM_URL), mosquitto.url if on_broker else None,
                        modbus_port=0, coast_down=sim_coast, latch_delay=latch_delay)
        sim.start()
        assert broker_down or sim.wait_ready(5)
        port = sim.modbus_port if modbus == "sim" else free_port()  # "dead": nothing listens there
        url = f"modbus://127.0.0.1:{port}/coil/0?unit=1&readback=di/0" if modbus else ""
        plant = build_plant(url, mqtt_path=mqtt_path)
        db_dir = tmp_path / "db"
        db_dir.mkdir(exist_ok=True)
        shutil.copy(user_db, db_dir / "t.sqlite")
        engine = make_engine(f"sqlite:///{db_dir / 't.sqlite'}", poolclass=NullPool)
        clock = FakeClock(datetime.now(UTC))
        auth = AuthService(engine, clock=clock, audit_key=None,
                           permissions=PermissionTable(SiteOptions(technicians_may_reset_estop=True)))
        alarms: list[EstopAlarm] = []
        service = EstopService(plant, auth=auth, broker=mosquitto.url, alarm=alarms.append, site_key=site_key,
                               coast_down=coast, db_retry=0.2, timing=timing)
        rig = Rig(mosquitto, sim, plant, engine, auth, clock, service, db_dir, alarms=alarms)
        service.add_listener(lambda ch, st: rig.changes.append((ch, st, threading.current_thread().name)))
        rigs.append(rig)
        service.start()
        if not broker_down:
            assert service.link is not None and service.link.wait_ready(5)
        return rig

    yield make
    for rig in rigs:
        for sub in rig.subscribers:
            sub.close()
        rig.service.stop()
        rig.sim.stop()
        rig.engine.dispose()


# ---------------------------------------------------------------------------------------------------------
# Confirmation on each path
# ---------------------------------------------------------------------------------------------------------


def test_mqtt_only_confirms_with_one_signed_command(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig(modbus=None)
    sub = rig.subscribe("mills/north/commands/estop", "mills/north/commands/estop/ack")
    ana = rig.sign_in("ana", console="console-3")
    assert rig.service.paths("north") == (MQTT,)
    handle = rig.service.trigger(ana, "north")
    st = handle.wait_for(S.STOPPED, timeout=3)
    assert st is not None, handle.status()
    a = st.attempt
    assert a is not None and st.confirmed_by is MQTT and st.text == "Mill stopped (confirmed by MQTT)"
    assert a.paths[MQTT].latency_ms is not None and a.paths[MQTT].latency_ms < 250  # figures: the benchmark
    assert 80 <= (a.confirmation_ms or 0) < 1000  # the controller latches after ~100 ms
    # One trigger, one command, one answer.
    assert sub.wait_for(lambda: len(sub.on("mills/north/commands/estop/ack")) == 1)
    time.sleep(0.3)
    assert rig.sim.stats["commands"] == 1 and len(sub.on("mills/north/commands/estop/ack")) == 1
    assert rig.causes(handle.command_id) == ["trigger", "sent", "confirmed", "stopped"]
    # On the wire: MQTT v5 properties and a signature a controller can check.
    _topic, payload, _retain, props = next(m for m in sub.messages if m[0] == "mills/north/commands/estop")
    assert props.ResponseTopic == "mills/north/commands/estop/ack"
    assert props.CorrelationData == handle.command_id.encode()
    assert 28 <= props.MessageExpiryInterval <= 30
    ok = verify_command(payload, KEY, now=datetime.now(UTC), nonces=NonceCache())
    assert ok, ok.reason
    assert ok.body is not None and ok.body["issued_by"] == "ana" and ok.body["console"] == "console-3"
    assert ok.body["command_id"] == handle.command_id and ok.body["attempt"] == 1
    # Retained while latched: a controller connecting now still gets it.
    late = rig.subscribe("mills/north/commands/estop")
    assert late.wait_for(lambda: bool(late.messages))
    assert late.messages[0][2] is True and late.messages[0][1] == payload


def test_modbus_confirms_with_the_broker_stopped(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig(broker_down=True)
    ana = rig.sign_in("ana")
    t0 = time.monotonic()
    handle = rig.service.trigger(ana, "north")
    assert time.monotonic() - t0 < 0.05  # returns at once; the work is on the service's threads
    st = handle.wait_for(S.STOPPED, timeout=3)
    assert st is not None, handle.status()
    a = st.attempt
    assert a is not None and st.confirmed_by is MODBUS and "confirmed by Modbus" in st.text
    assert "not connected" in a.paths[MQTT].error and a.paths[MQTT].acked_at is None
    assert a.paths[MODBUS].latency_ms is not None and a.paths[MODBUS].latency_ms < 300
    assert rig.sim.stats["modbus_commands"] == 1
    assert rig.sim.controllers["north"].latched


def test_both_paths_send_one_command_each_and_either_confirms(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    sub = rig.subscribe("mills/north/commands/estop/ack")
    ana = rig.sign_in("ana")
    handle = rig.service.trigger(ana, "north", console="desk-2")
    st = handle.wait_for(S.STOPPED, timeout=3)
    assert st is not None and st.attempt is not None
    assert st.confirmed_by in (MQTT, MODBUS)
    assert all(r.acked_at is not None and r.sends == 1 for r in st.attempt.paths.values())
    time.sleep(0.5)
    assert rig.sim.stats["commands"] == 1 and rig.sim.stats["modbus_commands"] == 1
    assert len(sub.on("mills/north/commands/estop/ack")) == 1
    audit = rig.audit()
    actions = [a for a, _, _ in audit]
    assert actions[0] == "estop.activate" and actions.count("estop.activate") == 1
    assert [d["path"] for a, _, d in audit if a == "estop.path"] in (["mqtt", "modbus"], ["modbus", "mqtt"])
    assert all(d["result"] == "delivered" and d["latency_ms"] > 0 for a, _, d in audit if a == "estop.path")
    confirmed = next(d for a, _, d in audit if a == "estop.confirmed")
    assert confirmed["confirmed_by"] == st.confirmed_by.value and confirmed["confirmation_ms"] > 0
    assert "estop.stopped" in actions
    assert all(user == "ana" for _, user, _ in audit)
    assert audit[0][2]["console"] == "desk-2" and audit[0][2]["paths"] == ["mqtt", "modbus"]
    assert rig.stored_status() == MillStatus.OFFLINE.value


# ---------------------------------------------------------------------------------------------------------
# No confirmation
# ---------------------------------------------------------------------------------------------------------


def test_both_paths_down_is_not_confirmed_at_two_seconds_and_retries(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig(broker_down=True, modbus="dead")
    ana = rig.sign_in("ana")
    t0 = time.monotonic()
    handle = rig.service.trigger(ana, "north")
    assert time.monotonic() - t0 < 0.05
    st = handle.wait_for(S.NOT_CONFIRMED, timeout=4)
    assert st is not None and st.attempt is not None and rig.seen("not_confirmed")
    change = next(c for c, _, _ in rig.changes if c.cause == "not_confirmed")
    assert change.at - st.attempt.activated_at == pytest.approx(2.0, abs=0.3)
    assert st.alarm and st.text.startswith(HARDWIRED_MESSAGE) and st.confirmed_by is None
    kinds = [a.kind for a in rig.alarms]
    assert kinds[:2] == ["activated", "not_confirmed"]
    not_confirmed = rig.alarms[1]
    assert not_confirmed.severity is Severity.EMERGENCY
    assert "use the hardwired e-stop / local stop" in not_confirmed.text
    # Re-sent on every path every second.
    assert rig.service.wait(lambda: rig.service.status("north").attempt.retry_rounds >= 3, 3.0, lambda: True)
    a = rig.service.status("north").attempt
    assert a is not None and all(r.sends >= 3 and r.error for r in a.paths.values())
    assert "device_timeout" in a.paths[MODBUS].error or "disconnected" in a.paths[MODBUS].error
    # Until the operator stops retrying (audited).
    rig.service.stop_retrying("north", ana)
    time.sleep(0.2)  # a round that had begun finishes its sends
    sends = {p: r.sends for p, r in rig.service.status("north").attempt.paths.items()}  # type: ignore[union-attr]
    time.sleep(1.3)
    after = rig.service.status("north")
    assert not after.retrying and after.state is S.NOT_CONFIRMED
    assert {p: r.sends for p, r in after.attempt.paths.items()} == sends  # type: ignore[union-attr]
    with pytest.raises(CommandRefused):
        rig.service.reset(rig.sign_in("root"), "north", "it never latched")
    actions = [a for a, _, _ in rig.audit()]
    for expected in ("estop.activate", "estop.path", "estop.retry", "estop.not_confirmed", "estop.retry_stopped"):
        assert expected in actions
    assert actions.index("estop.not_confirmed") < actions.index("estop.retry_stopped")


def test_a_controller_that_never_latches_is_never_confirmed(make_rig: Callable[..., Rig]) -> None:
    """PUBACK and the Modbus write echo both arrive: delivered, never confirmed."""
    rig = make_rig(latch_delay=30.0)
    handle = rig.service.trigger(rig.sign_in("ana"), "north")
    st = handle.wait_for(S.NOT_CONFIRMED, timeout=4)
    assert st is not None and st.attempt is not None and rig.seen("not_confirmed")
    assert all(r.acked_at is not None for r in st.attempt.paths.values())
    assert st.confirmed_by is None and "confirmed" not in rig.causes()
    assert S.SENT in [c.after for c, _, _ in rig.changes]


def test_real_trials_confirm_only_a_latched_controller(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    false: list[str] = []

    def check(change: EstopChange, _st: EstopStatus) -> None:
        if change.cause == "confirmed" and not rig.sim.controllers["north"].latched:
            false.append(change.command_id)

    rig.service.add_listener(check)
    ana, root = rig.sign_in("ana"), rig.sign_in("root")
    for i in range(8):
        handle = rig.service.trigger(ana, "north")
        assert handle.wait_for(S.STOPPED, timeout=3) is not None, (i, handle.status())
        assert rig.service.reset(root, "north", f"trial {i}").wait_for(S.RESET, timeout=3) is not None
    assert rig.service.wait(lambda: rig.causes().count("confirmed") == 8, 2, lambda: True)
    assert false == []


def test_broker_back_confirms_on_a_retry(make_rig: Callable[..., Rig], mosquitto: Mosquitto) -> None:
    rig = make_rig(broker_down=True, modbus=None, sim_on_broker=True)  # both reconnect when it returns
    handle = rig.service.trigger(rig.sign_in("ana"), "north")
    assert handle.wait_for(S.NOT_CONFIRMED, timeout=4) is not None
    mosquitto.start()  # same port: the link and the simulator reconnect by themselves
    st = handle.wait_for(S.STOPPED, timeout=12)
    assert st is not None and st.confirmed_by is MQTT and st.attempt is not None
    assert st.attempt.paths[MQTT].sends >= 2 and st.attempt.retry_rounds >= 2
    assert rig.sim.controllers["north"].latched


def test_still_running_after_the_coast_down_raises_the_alarm_until_stopped(make_rig: Callable[..., Rig]) -> None:
    """MQTT only: while the controller reports running, the stop is re-sent as a probe (a latched controller
    answers at once, with `running`); past coast-down + grace the state is NOT_STOPPED."""
    rig = make_rig(modbus=None, sim_coast=1.2, coast=0.2, timing=EstopTiming(stop_grace=0.3, probe_period=0.2))
    handle = rig.service.trigger(rig.sign_in("ana"), "north")
    st = handle.wait_for(S.NOT_STOPPED, timeout=3)
    assert st is not None and st.alarm and st.text == STILL_RUNNING_MESSAGE and rig.seen("not_stopped")
    assert [a.kind for a in rig.alarms][:3] == ["activated", "confirmed", "not_stopped"]
    st = handle.wait_for(S.STOPPED, timeout=3)
    assert st is not None and st.attempt is not None and st.attempt.paths[MQTT].sends >= 3
    assert not rig.sim.controllers["north"].running
    assert "estop.not_stopped" in [a for a, _, _ in rig.audit()]


# ---------------------------------------------------------------------------------------------------------
# Who may stop, and attribution
# ---------------------------------------------------------------------------------------------------------


def test_a_locked_session_may_stop_and_is_named(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    ana = rig.sign_in("ana", console="console-7")
    ana.lock()
    handle = rig.service.trigger(ana, "north")
    assert handle.wait_for(S.STOPPED, timeout=3) is not None and rig.seen("stopped")
    activate = next(d for a, u, d in rig.audit() if a == "estop.activate" and u == "ana")
    assert activate["console"] == "console-7"
    assert rig.alarms[0].user == "ana" and rig.alarms[0].console == "console-7"
    assert "by ana" in rig.alarms[0].text


def test_a_viewer_may_not_stop_and_nothing_is_sent(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    vic = rig.sign_in("vic")
    with pytest.raises(CommandRefused) as exc:
        rig.service.trigger(vic, "north")
    assert exc.value.code == "permission" and "may not trigger the e-stop" in exc.value.reason
    ana = rig.sign_in("ana")
    with pytest.raises(CommandRefused):
        rig.service.trigger(ana, "south")  # not her mill
    ana.sign_out()
    with pytest.raises(CommandRefused, match="signed out"):
        rig.service.trigger(ana, "north")
    time.sleep(0.3)
    assert rig.sim.stats["commands"] == 0 and rig.sim.stats["modbus_commands"] == 0
    assert rig.service.status("north").state is S.IDLE
    assert [u for a, u, _ in rig.audit("permission.denied")] == ["vic", "ana", "ana"]


# ---------------------------------------------------------------------------------------------------------
# Reset
# ---------------------------------------------------------------------------------------------------------


def test_reset_needs_permission_password_reason_and_a_stopped_mill(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig(sim_coast=1.0, coast=1.0)
    ana, tom = rig.sign_in("ana"), rig.sign_in("tom")
    handle = rig.service.trigger(ana, "north")
    st = handle.wait_for(S.CONFIRMED, timeout=3)
    assert st is not None and st.attempt is not None and st.attempt.running is True and not st.reset_enabled
    # Unsafe: still coasting down.
    with pytest.raises(CommandRefused) as exc:
        rig.service.reset(tom, "north", "bearing checked")
    assert exc.value.code == "state" and "still running" in exc.value.reason
    st = handle.wait_for(S.STOPPED, timeout=4)
    assert st is not None and st.reset_enabled and st.attempt is not None
    assert st.attempt.stopped_at - st.attempt.confirmed_at == pytest.approx(1.0, abs=0.4)  # type: ignore[operator]
    # Without permission: an operator.
    with pytest.raises(CommandRefused) as exc:
        rig.service.reset(ana, "north", "bearing checked")
    assert exc.value.code == "permission"
    # Without a recent password.
    rig.clock.advance(301)
    with pytest.raises(CommandRefused) as exc:
        rig.service.reset(tom, "north", "bearing checked")
    assert exc.value.code == "password_required" and exc.value.needs_reauth
    assert "password required" in exc.value.reason
    assert tom.reauthenticate(PW)
    # Without a reason.
    with pytest.raises(CommandRefused) as exc:
        rig.service.reset(tom, "north", "  ")
    assert exc.value.code == "validation"
    assert rig.service.status("north").state is S.STOPPED and rig.sim.controllers["north"].latched
    # Allowed: the controller resets; the mill stays stopped.
    reset = rig.service.reset(tom, "north", "bearing checked")
    st = reset.wait_for(S.RESET, timeout=3)
    assert st is not None and st.attempt is not None and st.attempt.reset is not None
    assert st.attempt.reset.result == "reset" and st.attempt.reset.user == "tom"
    time.sleep(0.3)
    ctl = rig.sim.controllers["north"]
    assert not ctl.latched and not ctl.running
    assert rig.service.status("north").state is S.RESET and not rig.service.is_latched("north")
    # The retained stop is gone: a controller connecting now is not stopped again.
    late = rig.subscribe("mills/north/commands/estop")
    time.sleep(0.3)
    assert late.on("mills/north/commands/estop") == []
    audit = rig.audit()
    requests = [(u, d) for a, u, d in audit if a == "estop.reset_request"]
    refused = [d["code"] for u, d in requests if d.get("result") == "refused"]
    assert refused == ["state", "permission", "password_required", "validation"]
    assert requests[-1][0] == "tom" and requests[-1][1]["reason"] == "bearing checked"
    result = next(d for a, u, d in audit if a == "estop.reset")
    assert result["result"] == "reset" and result["mill_status"] == "active"
    assert rig.stored_status() == MillStatus.ACTIVE.value


def test_reset_goes_over_modbus_with_the_broker_down(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig(broker_down=True)
    handle = rig.service.trigger(rig.sign_in("ana"), "north")
    assert handle.wait_for(S.STOPPED, timeout=3) is not None
    st = rig.service.reset(rig.sign_in("root"), "north", "local check done").wait_for(S.RESET, timeout=3)
    assert st is not None and st.attempt is not None and st.attempt.reset is not None
    assert st.attempt.reset.path is MODBUS and not rig.sim.controllers["north"].latched
    assert not rig.sim.controllers["north"].running


# ---------------------------------------------------------------------------------------------------------
# Database down, alarms, listeners
# ---------------------------------------------------------------------------------------------------------


def test_with_the_database_down_the_stop_goes_out_and_is_audited_later(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    ana = rig.sign_in("ana")
    rig.db_down()
    handle = rig.service.trigger(ana, "north")
    assert handle.wait_for(S.STOPPED, timeout=3) is not None
    assert rig.service.mill_status("north") is MillStatus.OFFLINE  # held until stored
    time.sleep(0.5)
    assert not rig.service.audit.db_ok and rig.service.audit.pending >= 4
    waiting = [r["action"] for r in rig.service.audit.pending_records()]
    assert waiting[0] == "estop.activate" and "estop.confirmed" in waiting
    rig.db_up()
    audit = rig.audit()
    assert [a for a, _, _ in audit] == waiting
    assert all(d.get("written_late_s", 0) >= 0 for _, _, d in audit) and "written_late_s" in audit[0][2]
    assert rig.service.audit.db_ok and rig.service.mill_status("north") is None
    assert rig.stored_status() == MillStatus.OFFLINE.value
    check = verify_audit(rig.engine, rig.db_dir / "no-head.log", key=None)
    assert check.ok, check.reason


def test_the_alarm_hook_raises_an_emergency_alarm_with_the_user(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    engine = AlarmEngine(mills=rig.plant.mills)
    events: list[Any] = []

    def hook(alarm: EstopAlarm) -> None:  # what the app wires to the alarm evaluator
        if alarm.kind == "activated":
            events.extend(engine.raise_estop(alarm.mill, alarm.user, alarm.at.timestamp(), comment=alarm.text))

    rig.service._alarm = hook
    rig.service.trigger(rig.sign_in("ana", console="desk-9"), "north").wait_for(S.STOPPED, timeout=3)
    assert rig.service.wait(lambda: bool(events), 2, lambda: True)
    alarm = events[0].alarm
    assert alarm.key.kind is AlarmKind.ESTOP and alarm.priority is Severity.EMERGENCY
    assert events[0].entries[0].user == "ana" and "desk-9" in events[0].entries[0].comment


def test_listeners_get_every_change_in_order_off_the_caller_thread(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    root = rig.sign_in("root")
    handle = rig.service.trigger(root, "north")
    assert handle.wait_for(S.STOPPED, timeout=3) is not None
    rig.service.reset(root, "north", "test").wait_for(S.RESET, timeout=3)
    assert rig.service.wait(lambda: "reset" in rig.causes(), 2, lambda: True)
    changes = [c for c, _, _ in rig.changes]
    assert [c.after for c in changes if c.moved] == [S.SENDING, S.SENT, S.CONFIRMED, S.STOPPED, S.RESETTING,
                                                     S.RESET]
    assert {thread for _, _, thread in rig.changes} == {"estop-events"}
    # Each change comes with the status after it.
    assert all(st.state is c.after for c, st, _ in rig.changes)


def test_unknown_mill_and_not_started(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    with pytest.raises(CommandRefused, match="unknown mill"):
        rig.service.trigger(rig.sign_in("root"), "atlantis")
    idle = EstopService(rig.plant, auth=rig.auth, engine=None)
    with pytest.raises(RuntimeError):
        idle.trigger(rig.sign_in("root"), "north")
    assert rig.service.status("south").text == "Ready" and rig.service.paths("south") == (MQTT,)


def test_the_coast_down_comes_from_the_plant_unless_given(make_rig: Callable[..., Rig]) -> None:
    """`[mills.estop] coast_down` in the plant file sets how long a mill may run on after the latch."""
    rig = make_rig(modbus=None, coast=None)
    ana = rig.sign_in("ana")
    handle = rig.service.trigger(ana, "north")
    assert handle.wait_for(S.STOPPED, timeout=3) is not None
    activations = [after for action, _user, after in rig.audit() if action == "estop.activate"]
    assert activations and activations[0]["coast_down_s"] == rig.plant.mill("north").estop_coast_down == 30.0
