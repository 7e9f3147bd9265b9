"""The sensor faceplate against real services on SQLite: live value and state, last-hour trend with its
limits, statistics off the GUI thread, limits validated before saving and saved with an audit record,
calibrate against a reference (offset shown before it is applied, password re-entry, versioned record),
the viewer's read-only view and the service's refusal, alarms from the AlarmList, audit history."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from hmi.core.alarms import Alarm, AlarmKey, AlarmKind, AlarmState
from hmi.core.domain import Quality, Reading, Severity
from hmi.services.commands import CommandService
from hmi.services.readings import ReadingsQuery
from hmi.services.trends import TrendHistory
from hmi.storage.calibration_repo import calibration_history
from hmi.storage.history import write_rows
from hmi.storage.plant_repo import load_plant, sensor_ids
from hmi.ui.alarm_list import AlarmList
from hmi.ui.faceplate import SensorFaceplate, open_faceplate
from hmi.ui.session_controller import SessionController
from tests.services import config_rig as rig_fixtures
from tests.services.config_rig import NORTH_EUI, PW, ConfigRig
from tests.ui.test_sign_in import assert_never_app_modal

WAIT_MS = 8000

config_db_template = rig_fixtures.config_db_template
config_rig = rig_fixtures.config_rig


def history_rows(rig: ConfigRig, now: float | None = None) -> list[tuple[int, float, float, float, int]]:
    """The last hour of the conveyor motor's vibration, every 10 s (raw = calibrated: no calibration)."""
    sid = sensor_ids(rig.engine)[NORTH_EUI]
    now = time.time() if now is None else now
    rows = []
    for i in range(360):
        ts = now - 3590 + i * 10
        v = 30.0 + 6.0 * math.sin(i / 25.0)
        rows.append((sid, ts, v, v, 0))
    return rows


@pytest.fixture
def open_plate(qtbot, themed_app, config_rig: ConfigRig, mosquitto  # type: ignore[no-untyped-def]
               ) -> Iterator[Callable[..., SensorFaceplate]]:
    made: list[tuple[SensorFaceplate, SessionController, CommandService]] = []
    rows = history_rows(config_rig)
    write_rows(config_rig.engine, rows)
    plant = load_plant(config_rig.engine)

    def make(user: str, *, alarms: AlarmList | None = None) -> SensorFaceplate:
        controller = SessionController(config_rig.auth, idle_timeout_s=0)
        controller.set_session(config_rig.sign_in(user))
        commands = CommandService(plant, auth=config_rig.auth, broker=mosquitto.url)  # a real broker
        commands.start()
        assert commands.link is not None and commands.link.wait_ready(5)
        fp = open_faceplate(plant, NORTH_EUI, readings=ReadingsQuery(config_rig.engine, plant),
                            sensor_config=config_rig.service, commands=commands, session_provider=controller,
                            alarms=alarms, history=TrendHistory(config_rig.engine, plant), now=time.time)
        qtbot.addWidget(fp)
        qtbot.waitExposed(fp)
        made.append((fp, controller, commands))
        return fp

    yield make
    for fp, controller, commands in made:
        fp.close()
        controller.shutdown()
        commands.stop()


def live(fp: SensorFaceplate, value: float, raw: float | None = None, quality: Quality = Quality.GOOD) -> None:
    fp.on_values({NORTH_EUI: Reading(NORTH_EUI, time.time(), value, quality, raw if raw is not None else value),
                  "A1B2C3D4E5F61002": Reading("A1B2C3D4E5F61002", time.time(), 99.0)})


def test_live_value_trend_and_statistics(qtbot, open_plate, config_rig: ConfigRig, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    key = AlarmKey("north", NORTH_EUI, AlarmKind.HIGH)
    alarms = AlarmList()
    alarms.put(Alarm(key, Severity.WARNING, AlarmState.UNACK_ACTIVE, occurrence=1, raised_at=time.time() - 60,
                     changed_at=time.time() - 60, value=47.2, limit=45.0))
    alarms.put(Alarm(AlarmKey("north", "A1B2C3D4E5F61002", AlarmKind.HIGH), Severity.WARNING,
                     AlarmState.UNACK_ACTIVE, occurrence=1, raised_at=time.time(), changed_at=time.time(), value=16.0))
    fp = open_plate("tom", alarms=alarms)
    assert fp.windowModality().name == "NonModal" and fp.isWindow()
    assert fp.value_label.text() == "\u2014" and fp.meta_label.text() == "No reading yet"
    live(fp, 26.85)
    assert fp.value_label.text() == "26.9" and fp.value_label.property("alarm") == "normal"
    assert fp.state_chip.text() == "Normal" and "Good" in fp.meta_label.text()
    live(fp, 61.0)
    assert fp.value_label.property("alarm") == "critical" and fp.state_chip.text() == "Critical \u25b2"
    # The last hour from the database, and the limits as lines.
    qtbot.waitUntil(lambda: fp.trend.points() >= 360, timeout=WAIT_MS)
    assert sorted(fp.trend.limit_values()) == [45.0, 60.0]
    # Statistics over the last hour, off the GUI thread.
    qtbot.waitUntil(lambda: fp.stat_values["count"].text() == "360", timeout=WAIT_MS)
    values = [r[2] for r in history_rows(config_rig)]
    assert fp.stat_values["average"].text() == f"{sum(values) / len(values):.1f} Hz"
    assert fp.stat_values["maximum"].text() == f"{max(values):.1f} Hz"
    fp.range_combo.setCurrentIndex(2)  # last 24 h: the same rows
    qtbot.waitUntil(lambda: fp.stats_note.text().startswith("Last 24 hours"), timeout=WAIT_MS)
    # Only this sensor's alarms.
    fp.refresh_alarms()
    assert fp.alarm_model.rowCount() == 1 and fp.alarm_model.index(0, 1).data() == "High"
    assert fp.tabs.tabText(3) == "Alarms (1)"
    fp.grab().save(str(artifacts_dir / "faceplate.png"))
    assert_never_app_modal()


def subscribe(broker, topic: str) -> list[bytes]:  # type: ignore[no-untyped-def]
    """Payloads arriving on `topic` (a plain paho client, closed when the test's broker goes)."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    got: list[bytes] = []
    ready = threading.Event()
    client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.on_message = lambda _c, _u, msg: got.append(msg.payload) if msg.payload else None
    client.on_subscribe = lambda *_a: ready.set()
    client.on_connect = lambda c, *_a: c.subscribe(topic, qos=1)
    client.connect(broker.host, broker.port)
    client.loop_start()
    assert ready.wait(5)
    SUBSCRIBERS.append(client)
    return got


SUBSCRIBERS: list = []


@pytest.fixture(autouse=True)
def _close_subscribers() -> Iterator[None]:
    yield
    while SUBSCRIBERS:
        c = SUBSCRIBERS.pop()
        c.loop_stop()
        c.disconnect()


def test_limits_are_validated_before_saving_then_saved_and_audited(qtbot, open_plate,  # type: ignore[no-untyped-def]
                                                                    config_rig: ConfigRig, mosquitto) -> None:
    fp = open_plate("tom")
    fp.tabs.setCurrentIndex(1)
    fp.threshold_form.set_text("thresholds.critical_max", "40")
    assert "must not be below warning_max (45)" in fp.threshold_form.error_of("thresholds.critical_max")
    fp.save_thresholds()
    assert fp.message.text().startswith("Fix this problem before saving") and fp.message.property("level") == "error"
    qtbot.wait(150)
    assert config_rig.audit("sensor.") == []
    fp.threshold_form.set_text("thresholds.critical_max", "58")
    fp.threshold_form.set_text("thresholds.warning_max", "44")
    sent = subscribe(mosquitto, f"mills/north/sensors/{NORTH_EUI}/config")
    fp.save_thresholds()
    qtbot.waitUntil(lambda: fp.message.text() == "Alarm limits saved and sent to the device.", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(sent), timeout=WAIT_MS)
    body = json.loads(sent[0])
    assert body["command"] == "sensor_config" and body["eui"] == NORTH_EUI and body["issued_by"] == "tom"
    assert body["thresholds"]["warning_max"] == 44 and body["thresholds"]["critical_max"] == 58
    stored = {s.eui: s for s in load_plant(config_rig.engine).sensors()}[NORTH_EUI]
    assert (stored.thresholds.warning_max, stored.thresholds.critical_max) == (44, 58)
    assert sorted(fp.trend.limit_values()) == [44.0, 58.0]
    ((_action, user, _t, before, after),) = config_rig.audit("sensor.thresholds")
    assert user == "tom" and before["thresholds"] == {"warning_max": 45.0, "critical_max": 60.0}
    assert after["thresholds"] == {"warning_max": 44.0, "critical_max": 58.0}
    # The History tab lists it.
    fp.tabs.setCurrentIndex(4)
    qtbot.waitUntil(lambda: fp.audit_model.rowCount() >= 1, timeout=WAIT_MS)
    actions = [fp.audit_model.row(i).action for i in range(fp.audit_model.rowCount())]
    assert "sensor.thresholds" in actions  # (beside it, possibly already, the pushed command's record)
    # Disable, then enable again.
    fp.toggle_enabled()
    qtbot.waitUntil(lambda: fp.state_chip.text() == "Disabled", timeout=WAIT_MS)
    fp.toggle_enabled()
    qtbot.waitUntil(lambda: fp.enable_button.text() == "Disable sensor", timeout=WAIT_MS)


def test_calibrate_against_a_reference_shows_the_offset_then_applies_with_the_password(  # type: ignore[no-untyped-def]
        qtbot, open_plate, config_rig: ConfigRig) -> None:
    fp = open_plate("tom")
    fp.tabs.setCurrentIndex(2)
    fp.reference.setText("20.2")
    fp.propose()
    assert "No live reading yet" in fp.message.text()
    live(fp, 21.0, raw=21.0)
    fp.propose()
    assert fp.proposal is not None and fp.proposal.offset == pytest.approx(-0.8)
    assert "Offset correction -0.8 Hz" in fp.proposal_label.text() and fp.proposal_label.isVisibleTo(fp)
    assert fp.apply_button.isEnabled()
    assert calibration_history(config_rig.engine, NORTH_EUI) == []  # shown, not applied
    fp.apply_proposal()
    assert "Enter a reason" in fp.message.text()
    fp.reason.setText("reference vibrometer VB-3")
    config_rig.clock.advance(301)  # the password is due again
    fp.apply_proposal()
    qtbot.waitUntil(lambda: fp.controller.prompt is not None, timeout=WAIT_MS)
    prompt = fp.controller.prompt
    assert prompt is not None and prompt.windowModality().name == "NonModal"
    prompt.password.setText(PW)
    prompt.confirm_button.click()
    qtbot.waitUntil(lambda: fp.message.text().startswith("Calibration applied (version 1)"), timeout=WAIT_MS)
    (rec,) = calibration_history(config_rig.engine, NORTH_EUI)
    assert (rec.username, rec.reason, rec.raw_value, rec.reference) == ("tom", "reference vibrometer VB-3", 21.0, 20.2)
    qtbot.waitUntil(lambda: fp.calibration_model.rowCount() == 1, timeout=WAIT_MS)
    assert "-0.8" in fp.current_calibration.text()
    # A manual change: validated, and versioned too.
    fp.calibration_form.set_text("calibration.multiplier", "0")
    fp.manual_reason.setText("typo")
    fp.save_calibration()
    assert "multiplier must not be 0" in fp.calibration_form.error_of("calibration.multiplier")
    fp.calibration_form.set_text("calibration.multiplier", "1.01")
    fp.save_calibration()
    qtbot.waitUntil(lambda: fp.calibration_model.rowCount() == 2, timeout=WAIT_MS)
    assert fp.calibration_model.row(0).kind == "manual" and fp.calibration_model.row(0).version == 2


def test_a_viewer_sees_read_only_forms_and_the_services_refusal(qtbot, open_plate,  # type: ignore[no-untyped-def]
                                                                config_rig: ConfigRig) -> None:
    fp = open_plate("vic")
    assert fp.limits_notice.text() == "Read only: viewer vic may not edit thresholds."
    assert not fp.save_limits_button.isEnabled() and not fp.enable_button.isEnabled()
    assert not fp.propose_button.isEnabled()
    fp.threshold_form.set_text("thresholds.warning_max", "40")
    fp.save_thresholds()  # as if the button had been reached anyway: the service decides
    qtbot.waitUntil(lambda: fp.message.property("level") == "error", timeout=WAIT_MS)
    assert fp.message.text() == "Viewer vic may not edit thresholds"
    assert config_rig.audit("permission.denied")[-1][1] == "vic"
    assert {s.eui: s for s in load_plant(config_rig.engine).sensors()}[NORTH_EUI].thresholds.warning_max == 45


def test_closing_stops_the_worker(qtbot, open_plate) -> None:  # type: ignore[no-untyped-def]
    fp = open_plate("tom")
    qtbot.waitUntil(lambda: fp.trend.points() > 0, timeout=WAIT_MS)
    fp.close()
    assert fp.caller.jobs.runner._closed and not fp._tick.isActive()
    QApplication.processEvents()
