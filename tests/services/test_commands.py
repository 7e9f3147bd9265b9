"""Start production, calibration and sensor configuration against real servers (mosquitto, the
simulator as the controller, SQLite): permissions, refusals, never-queued-while-down, audit."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import select, update
from sqlalchemy.pool import NullPool

from hmi.core.commands import NonceCache, verify_command
from hmi.core.domain import Calibration, Thresholds
from hmi.core.estop import EstopState
from hmi.services.commands import START_REFUSED_MESSAGE, AuditSink, CommandLink, CommandRefused, CommandService
from hmi.storage.database import make_engine
from hmi.storage.schema import AuditRow, MillRow, SensorRow
from tests.services.test_estop_service import EUI, KEY, Rig, make_rig, user_db  # noqa: F401  (fixtures)
from tests.support.servers import Mosquitto

S = EstopState


@pytest.fixture
def commands(make_rig: Callable[..., Rig]) -> Iterator[Callable[..., tuple[Rig, CommandService]]]:  # noqa: F811
    made: list[CommandService] = []

    def make(**rig_options: object) -> tuple[Rig, CommandService]:
        rig = make_rig(**rig_options)
        svc = CommandService(rig.plant, auth=rig.auth, broker=rig.broker.url, estop=rig.service, site_key=KEY,
                             audit=rig.service.audit)
        made.append(svc)
        svc.start()
        if not rig_options.get("broker_down"):
            assert svc.link is not None and svc.link.wait_ready(5)
        return rig, svc

    yield make
    for svc in made:
        svc.stop()


def audit(rig: Rig) -> list[tuple[str, str, dict]]:
    return rig.audit("command.") + rig.audit("sensor.")


def test_start_production_is_refused_while_latched_with_the_exact_message(commands: Callable) -> None:
    rig, svc = commands()
    ana = rig.sign_in("ana")
    assert rig.service.trigger(ana, "north").wait_for(S.STOPPED, timeout=3) is not None
    with pytest.raises(CommandRefused) as exc:
        svc.start_production(ana, "north")
    assert exc.value.reason == START_REFUSED_MESSAGE == "Mill must be in active status to start production"
    assert exc.value.code == "state"
    time.sleep(0.2)
    assert rig.sim.stats["commands"] == 1  # the stop only: no start went out
    assert audit(rig)[-1][:2] == ("command.start_production.refused", "ana")


def test_reset_then_start_production_is_a_separate_command(commands: Callable) -> None:
    rig, svc = commands()
    ana, root = rig.sign_in("ana"), rig.sign_in("root")
    assert rig.service.trigger(ana, "north").wait_for(S.STOPPED, timeout=3) is not None
    assert rig.service.reset(root, "north", "cleared the jam").wait_for(S.RESET, timeout=3) is not None
    assert not rig.sim.controllers["north"].running  # reset never starts the mill
    result = svc.start_production(ana, "north")
    assert result.ok and result.state == "started" and result.running is True, result
    assert result.latency_ms is not None and result.latency_ms < 1000
    assert rig.sim.controllers["north"].running
    rows = [(a, d["result"]) for a, _, d in audit(rig) if a == "command.start_production"]
    assert rows == [("command.start_production", "requested"), ("command.start_production", "started")]


def test_start_production_needs_an_active_mill(commands: Callable) -> None:
    rig, svc = commands()
    t = MillRow.__table__
    with rig.engine.begin() as c:
        c.execute(update(t).where(t.c.slug == "north").values(status="maintenance"))
    with pytest.raises(CommandRefused, match=r"^Mill must be in active status to start production$"):
        svc.start_production(rig.sign_in("ana"), "north")
    with pytest.raises(CommandRefused) as exc:
        svc.start_production(rig.sign_in("vic"), "north")
    assert exc.value.code == "permission"


def test_with_the_broker_down_a_start_fails_now_and_is_never_sent_later(commands: Callable,
                                                                        mosquitto: Mosquitto) -> None:
    rig, svc = commands(broker_down=True, sim_on_broker=True)
    ana = rig.sign_in("ana")
    t0 = time.monotonic()
    with pytest.raises(CommandRefused) as exc:
        svc.start_production(ana, "north")
    assert time.monotonic() - t0 < 0.5
    assert exc.value.code == "link_down" and "will not be sent later" in exc.value.reason
    mosquitto.start()
    assert svc.link is not None and svc.link.wait_ready(8) and rig.sim.wait_ready(8)
    time.sleep(1.0)
    assert rig.sim.stats["commands"] == 0


def test_the_link_drops_what_paho_would_resend_after_a_reconnect(mosquitto: Mosquitto) -> None:
    link = CommandLink(mosquitto.url)
    link.start()
    try:
        assert link.wait_ready(5)
        client = link._client
        assert client is not None
        mosquitto.stop()
        deadline = time.monotonic() + 5
        while link.ready and time.monotonic() < deadline:
            time.sleep(0.01)
        # Not connected: refused at once, nothing left in paho's queue.
        assert link.publish("mills/north/commands/start_production", b"{}") == "the broker is not connected"
        info = client.publish("mills/north/commands/start_production", b"{}", qos=1)  # bypassing the link
        assert info.rc == mqtt.MQTT_ERR_NO_CONN and client._out_messages  # type: ignore[attr-defined]
        mosquitto.start()
        assert link.wait_ready(8)
        assert not client._out_messages and link.stats["purged"] >= 1  # type: ignore[attr-defined]
    finally:
        link.stop()


def test_push_config_is_signed_audited_and_checked(commands: Callable) -> None:
    rig, svc = commands()
    topic = f"mills/north/sensors/{EUI}/config"
    sub = rig.subscribe(topic)
    tom = rig.sign_in("tom")
    result = svc.push_config(tom, EUI, thresholds=Thresholds(warning_max=55, critical_max=65), sampling_interval=2)
    assert result.ok and result.state == "sent" and result.latency_ms is not None
    assert sub.wait_for(lambda: bool(sub.on(topic)))
    _, payload, _, props = sub.messages[0]
    assert 8 <= props.MessageExpiryInterval <= 10
    checked = verify_command(payload, KEY, now=datetime.now(UTC), nonces=NonceCache())
    assert checked, checked.reason
    assert checked.body is not None and checked.body["thresholds"] == {"warning_max": 55, "critical_max": 65}
    assert checked.body["sampling_interval"] == 2.0 and checked.body["issued_by"] == "tom"
    # Refusals: permission, bad values, password age.
    with pytest.raises(CommandRefused) as exc:
        svc.push_config(rig.sign_in("ana"), EUI, thresholds=Thresholds(warning_max=50))
    assert exc.value.code == "permission"
    with pytest.raises(CommandRefused) as exc:
        svc.push_config(tom, EUI, thresholds=Thresholds(warning_max=60, critical_max=50))
    assert exc.value.code == "validation"
    rig.clock.advance(301)
    with pytest.raises(CommandRefused) as exc:
        svc.push_config(tom, EUI, sampling_interval=5)
    assert exc.value.code == "password_required" and exc.value.needs_reauth
    assert [d["result"] for a, _, d in audit(rig) if a == "command.sensor_config"] == ["requested", "sent"]


def test_calibration_is_proposed_then_applied_and_audited(commands: Callable) -> None:
    rig, svc = commands()
    tom = rig.sign_in("tom")
    p = svc.propose_calibration(EUI, latest_raw=21.0, latest_value=21.0, reference=20.2)
    assert p.offset == pytest.approx(-0.8) and p.after == Calibration(offset=pytest.approx(-0.8), multiplier=1.0)
    with pytest.raises(CommandRefused) as exc:
        svc.apply_calibration(rig.sign_in("ana"), p, "reference thermometer")
    assert exc.value.code == "permission"
    result = svc.apply_calibration(tom, p, "reference thermometer")
    assert result.ok and result.state == "applied"
    t = SensorRow.__table__
    with rig.engine.connect() as c:
        assert c.execute(select(t.c.cal_offset).where(t.c.eui == EUI)).scalar_one() == pytest.approx(-0.8)
    (row,) = [d for a, _, d in audit(rig) if a == "sensor.calibrate"]
    assert row["correction"] == pytest.approx(-0.8) and row["reference"] == 20.2 and row["reason"]
    # The next proposal starts from the new calibration; a stale proposal is refused.
    again = svc.propose_calibration(EUI, latest_raw=21.0, latest_value=20.2, reference=20.0)
    assert again.before.offset == pytest.approx(-0.8)
    with pytest.raises(CommandRefused) as exc:
        svc.apply_calibration(tom, p)
    assert exc.value.code == "state" and "changed meanwhile" in exc.value.reason
    rig.db_down()
    try:
        with pytest.raises(CommandRefused) as exc:
            svc.apply_calibration(tom, again)
        assert exc.value.code == "database"
    finally:
        rig.db_up()


def test_each_calibration_is_kept_as_a_versioned_record(commands: Callable) -> None:
    """Who, when, why, before and after, raw value and reference: written with the sensor's new
    calibration; versions count up; a refused or failed calibration leaves no record."""
    from hmi.storage.schema import CalibrationRecordRow

    rig, svc = commands()
    tom, root = rig.sign_in("tom"), rig.sign_in("root")
    assert svc.calibration_history(EUI) == []
    p1 = svc.propose_calibration(EUI, latest_raw=21.0, latest_value=21.0, reference=20.2)
    with pytest.raises(CommandRefused):
        svc.apply_calibration(rig.sign_in("vic"), p1, "not allowed")
    assert svc.calibration_history(EUI) == []
    r1 = svc.apply_calibration(tom, p1, "reference thermometer")
    assert r1.detail["version"] == 1
    p2 = svc.propose_calibration(EUI, latest_raw=22.0, latest_value=21.2, reference=21.0)
    r2 = svc.apply_calibration(root, p2, "after the bearing change")
    assert r2.detail["version"] == 2
    with pytest.raises(CommandRefused):
        svc.apply_calibration(root, p1, "stale")  # changed meanwhile: no third record
    second, first = svc.calibration_history(EUI, session=tom)
    assert (first.version, first.username, first.reason, first.command_id) == (1, "tom", "reference thermometer",
                                                                                r1.command_id)
    assert first.before == Calibration(0.0, 1.0) and first.after.offset == pytest.approx(-0.8)
    assert (first.raw_value, first.reference, first.reading_before) == (21.0, 20.2, 21.0)
    assert (second.version, second.username, second.reason) == (2, "root", "after the bearing change")
    assert second.before.offset == pytest.approx(-0.8) and second.after.offset == pytest.approx(-1.0)
    assert first.ts <= second.ts and abs(datetime.now(UTC) - second.ts) < timedelta(seconds=30)  # the service clock
    assert first.console == "console-1" and first.kind == "reference"
    # The audit record names the version; the sensor row and the record agree.
    versions = [d["version"] for a, _, d in audit(rig) if a == "sensor.calibrate"]
    assert versions == [1, 2]
    t = SensorRow.__table__
    with rig.engine.connect() as c:
        assert c.execute(select(t.c.cal_offset).where(t.c.eui == EUI)).scalar_one() == pytest.approx(
            second.after.offset)
        assert c.execute(select(CalibrationRecordRow.__table__.c.version)).scalars().all() == [1, 2]
    # Everyone who sees the mill may read the history (the faceplate shows it to operators too).
    assert [r.version for r in svc.calibration_history(EUI, session=rig.sign_in("vic"))] == [2, 1]


def test_the_audit_sink_keeps_order_and_its_bound_while_the_database_is_down(
    tmp_path: Path, user_db: Path  # noqa: F811
) -> None:
    db_dir = tmp_path / "db"
    db_dir.mkdir()
    shutil.copy(user_db, db_dir / "t.sqlite")
    engine = make_engine(f"sqlite:///{db_dir / 't.sqlite'}", poolclass=NullPool)
    away = tmp_path / "away"
    os.rename(db_dir, away)
    sink = AuditSink(engine, host="console-host", capacity=3, retry_s=0.1, batch_delay=0.0)
    sink.start()
    try:
        for i in range(5):
            sink.record(actor="ana", action=f"test.{i}", mill="north", after={"i": i})
        time.sleep(0.4)
        assert not sink.db_ok and sink.pending == 3 and sink.dropped == 2
        assert [r["action"] for r in sink.pending_records()] == ["test.2", "test.3", "test.4"]
        os.rename(away, db_dir)
        assert sink.flush(5) and sink.db_ok
        t = AuditRow.__table__
        with engine.connect() as c:
            rows = c.execute(select(t.c.action, t.c.after).where(t.c.seq > 4).order_by(t.c.seq)).all()
        assert [r.action for r in rows] == ["audit.dropped", "test.2", "test.3", "test.4"]
        assert json.loads(rows[0].after)["count"] == 2
        assert all(json.loads(r.after)["written_late_s"] >= 0.3 for r in rows[1:])
    finally:
        sink.stop()
        engine.dispose()
    memory = AuditSink(None)
    memory.start()
    memory.record(actor="ana", action="test.memory")
    assert not memory.flush(0.1) and memory.pending == 1
    memory.stop()
