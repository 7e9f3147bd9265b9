"""Configuration screens against the real SensorConfigService on SQLite, the real AuthService and a real
mosquitto: validation blocks saving with a clear message, saving works and is audited, a viewer is
refused by the service, import problems are listed, "Test connection" succeeds against the broker and
fails against a dead port without freezing the window. Screenshots go to artifacts/."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import tomli_w
from PySide6.QtCore import QTimer

from hmi.config import load_settings
from hmi.core.plant import plant_to_dict
from hmi.services.local_broker import free_port
from hmi.storage.plant_repo import load_plant
from hmi.storage.secrets import get_secret
from hmi.ui.config_screen import ConfigScreen
from hmi.ui.session_controller import SessionController
from tests.services import config_rig as rig_fixtures
from tests.services.config_rig import NORTH_EUI, ConfigRig, demo_plant
from tests.support.servers import Mosquitto
from tests.ui.fit_survey import findings, show_sized
from tests.ui.test_sign_in import assert_never_app_modal

WAIT_MS = 8000

config_db_template = rig_fixtures.config_db_template
config_rig = rig_fixtures.config_rig


@pytest.fixture
def open_screen(qtbot, themed_app, config_rig: ConfigRig, tmp_path: Path  # type: ignore[no-untyped-def]
                ) -> Iterator[Callable[[str], ConfigScreen]]:
    made: list[tuple[ConfigScreen, SessionController]] = []

    def make(user: str) -> ConfigScreen:
        controller = SessionController(config_rig.auth, idle_timeout_s=0)
        controller.set_session(config_rig.sign_in(user))
        screen = ConfigScreen(demo_plant(), sensor_config=config_rig.service, session_provider=controller,
                              config_file=tmp_path / "config.toml")
        show_sized(qtbot, screen, (1280, 800), minimum=(1024, 700))
        qtbot.waitUntil(lambda: screen.sensors.mills_model.rowCount() == 2, timeout=WAIT_MS)
        made.append((screen, controller))
        return screen

    yield make
    for screen, controller in made:
        screen.shutdown()
        controller.shutdown()


def edit_north_sensor(qtbot, screen: ConfigScreen, eui: str = NORTH_EUI) -> None:  # type: ignore[no-untyped-def]
    ed = screen.sensors
    ed.select_mill("north")
    qtbot.waitUntil(lambda: ed.sensors_model.rowCount() > 0, timeout=WAIT_MS)
    ed.select_sensor(eui)
    ed.edit_selected()
    assert ed.form_open


def test_validation_blocks_saving_with_a_clear_message(qtbot, open_screen, config_rig: ConfigRig,  # type: ignore[no-untyped-def]
                                                      artifacts_dir: Path) -> None:
    screen = open_screen("tom")
    ed = screen.sensors
    edit_north_sensor(qtbot, screen)
    ed.threshold_form.set_text("thresholds.warning_max", "70")
    ed.threshold_form.set_text("thresholds.critical_max", "60")
    ed.sensor_form.set_text("sampling_interval", "fast")
    qtbot.waitUntil(lambda: bool(ed.threshold_form.error_of("thresholds.critical_max")), timeout=WAIT_MS)
    assert "must not be below warning_max (70)" in ed.threshold_form.error_of("thresholds.critical_max")
    assert "must be a number, got 'fast'" in ed.sensor_form.error_of("sampling_interval")
    ed.save()
    assert ed.message.text().startswith("Fix 2 problems before saving")
    assert ed.message.property("level") == "error"
    screen.grab().save(str(artifacts_dir / "config_sensors.png"))
    qtbot.wait(200)
    assert config_rig.audit("sensor.") == []
    assert load_plant(config_rig.engine) == demo_plant()
    # A duplicate name is caught before saving as well.
    ed.close_form()
    ed.new_sensor()
    ed.sensor_form.set_text("name", demo_plant().mill("north").sensors[1].name)
    ed.sensor_form.set_text("eui", "A1B2C3D4E5F69901")
    ed.save()
    assert "duplicate sensor name in this mill" in ed.sensor_form.error_of("name")
    assert_never_app_modal()


def test_saving_works_and_is_audited(qtbot, open_screen, config_rig: ConfigRig) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen("tom")
    ed = screen.sensors
    edit_north_sensor(qtbot, screen)
    ed.sensor_form.set_text("location", "Intake pit 2")
    ed.threshold_form.set_text("thresholds.warning_max", "40")
    ed.save()
    qtbot.waitUntil(lambda: ed.message.text().startswith("Saved sensor"), timeout=WAIT_MS)
    assert not ed.form_open
    stored = {s.eui: s for s in load_plant(config_rig.engine).sensors()}[NORTH_EUI]
    assert stored.location == "Intake pit 2" and stored.thresholds.warning_max == 40
    ((action, user, target, before, after),) = config_rig.audit("sensor.update")
    assert (action, user, target) == ("sensor.update", "tom", NORTH_EUI)
    assert before == {"location": "Intake", "thresholds": {"warning_max": 45.0, "critical_max": 60.0}}
    assert after == {"location": "Intake pit 2", "thresholds": {"warning_max": 40.0, "critical_max": 60.0}}
    qtbot.waitUntil(lambda: any(s.location == "Intake pit 2" for s in ed.sensors_model.rows()), timeout=WAIT_MS)
    # Disabling a sensor goes through the service too.
    ed.select_sensor(NORTH_EUI)
    ed.sensor_enabled_button.click()
    qtbot.waitUntil(lambda: "disabled" in ed.message.text(), timeout=WAIT_MS)
    assert [a for a, *_ in config_rig.audit("sensor.disable")] == ["sensor.disable"]


def test_an_admin_creates_a_mill(qtbot, open_screen, config_rig: ConfigRig) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen("root")
    ed = screen.sensors
    ed.new_mill()
    for key, text in (("slug", "east"), ("name", "East Mill"), ("location", "Ghent"), ("capacity", "250")):
        ed.mill_form.set_text(key, text)
    ed.save()
    qtbot.waitUntil(lambda: ed.mills_model.rowCount() == 3, timeout=WAIT_MS)
    assert [a for a, *_ in config_rig.audit("mill.")] == ["mill.create"]


def test_a_viewer_gets_a_read_only_form_and_the_services_refusal(qtbot, open_screen,  # type: ignore[no-untyped-def]
                                                                  config_rig: ConfigRig) -> None:
    screen = open_screen("vic")
    ed = screen.sensors
    edit_north_sensor(qtbot, screen)
    assert ed.read_only_notice.isVisibleTo(ed) and "viewer vic may not edit sensors" in ed.read_only_notice.text()
    assert not ed.save_button.isEnabled() and not ed.new_sensor_button.isEnabled()
    ed.threshold_form.set_text("thresholds.warning_max", "40")  # as if a button had been reached anyway
    ed.save()
    qtbot.waitUntil(lambda: ed.message.property("level") == "error", timeout=WAIT_MS)
    assert "Viewer vic may not edit thresholds" in ed.message.text()
    assert config_rig.audit("permission.denied")[-1][1] == "vic"
    assert load_plant(config_rig.engine) == demo_plant()


def test_import_errors_are_listed_and_nothing_is_written(qtbot, open_screen, config_rig: ConfigRig,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path, artifacts_dir: Path) -> None:
    screen = open_screen("root")
    screen.tabs.setCurrentWidget(screen.plant_file)
    panel = screen.plant_file
    doc = plant_to_dict(demo_plant())
    doc["mills"][0]["sensors"][0]["thresholds"] = {"warning_max": 10, "critical_max": 5}
    doc["mills"][0]["sensors"][2]["eui"] = doc["mills"][1]["sensors"][0]["eui"]
    doc["mills"][1]["capacity"] = -5
    bad = tmp_path / "bad-plant.toml"
    bad.write_text(tomli_w.dumps(doc))
    panel.path.setText(str(bad))
    panel.import_file()
    qtbot.waitUntil(lambda: panel.problems_model.rowCount() == 3, timeout=WAIT_MS)
    fields = sorted(p.field for p in panel.problems_model.rows())
    assert fields == ["capacity", "eui", "thresholds.critical_max"]
    assert panel.message.text().startswith("The file was refused: 3 problem(s)")
    assert panel.problems.isVisibleTo(panel)
    screen.grab().save(str(artifacts_dir / "config_import.png"))
    assert load_plant(config_rig.engine) == demo_plant()
    good = tmp_path / "good.toml"
    doc = plant_to_dict(demo_plant())
    doc["mills"][0]["capacity"] = 420
    good.write_text(tomli_w.dumps(doc))
    panel.path.setText(str(good))
    panel.import_file()
    qtbot.waitUntil(lambda: panel.message.text().startswith("Imported"), timeout=WAIT_MS)
    assert panel.progress.value() == 100 and not panel.problems.isVisibleTo(panel)
    assert load_plant(config_rig.engine).mill("north").capacity == 420
    assert [a for a, *_ in config_rig.audit("plant.import")] == ["plant.import"]


def test_connection_test_and_save(qtbot, open_screen, mosquitto: Mosquitto, tmp_path: Path,  # type: ignore[no-untyped-def]
                                  config_rig: ConfigRig, artifacts_dir: Path) -> None:
    screen = open_screen("root")
    screen.tabs.setCurrentWidget(screen.connections)
    panel = screen.connections
    panel.broker_url.setText(f"mqtt://{mosquitto.host}:{mosquitto.port}")
    panel.database_url.setText(f"sqlite:///{config_rig.path}")
    panel.test_connection()
    qtbot.waitUntil(lambda: panel.broker_result.property("level") in ("ok", "error")
                    and panel.database_result.property("level") in ("ok", "error"), timeout=WAIT_MS)
    assert panel.broker_result.property("level") == "ok", panel.broker_result.text()
    assert "connected to" in panel.broker_result.text()
    assert panel.database_result.property("level") == "ok", panel.database_result.text()
    screen.grab().save(str(artifacts_dir / "config_connection.png"))

    # A dead port: the check fails, and the window keeps answering meanwhile.
    dead = free_port()
    panel.broker_url.setText(f"mqtt://127.0.0.1:{dead}")
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    t0 = time.monotonic()
    panel.test_connection()
    assert time.monotonic() - t0 < 0.2  # the click returns at once
    # (a refused port answers at once: wait for a few ticks too, they show the loop kept running)
    qtbot.waitUntil(lambda: panel.broker_result.property("level") == "error" and len(ticks) >= 3, timeout=WAIT_MS)
    timer.stop()
    assert "cannot reach" in panel.broker_result.text() or "did not answer" in panel.broker_result.text()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert ticks and max(gaps, default=0) < 0.5

    # Save: URLs to the settings file, the password to the keyring, audited without the secret.
    panel.broker_url.setText(f"mqtt://{mosquitto.host}:{mosquitto.port}")
    panel.username.setText("hmi")
    panel.password.setText("s3cret-broker")
    panel.ca_file.setText("/etc/ssl/ca.pem")
    panel.save()
    qtbot.waitUntil(lambda: panel.message.text().startswith("Saved"), timeout=WAIT_MS)
    settings = load_settings(tmp_path / "config.toml")
    assert settings is not None
    assert settings.broker_url == f"mqtt://hmi@{mosquitto.host}:{mosquitto.port}?ca=%2Fetc%2Fssl%2Fca.pem"
    assert get_secret(f"broker:hmi@{mosquitto.host}:{mosquitto.port}") == "s3cret-broker"
    assert "s3cret" not in (tmp_path / "config.toml").read_text()
    ((_, user, _, _, after),) = config_rig.audit("settings.change")
    assert user == "root" and after["passwords_stored"] == ["broker"] and "s3cret" not in str(after)
    assert panel.password.text() == ""


def test_connection_settings_are_refused_for_a_technician(qtbot, open_screen, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen("tom")
    panel = screen.connections
    assert not panel.save_button.isEnabled()
    panel.broker_url.setText("mqtt://broker.plant.local:1883")
    panel.save()
    qtbot.waitUntil(lambda: panel.message.property("level") == "error", timeout=WAIT_MS)
    assert "may not change settings" in panel.message.text()
    assert not (tmp_path / "config.toml").exists()


def test_the_buttons_wrap_on_a_narrow_screen_in_dutch(qtbot, themed_app, config_rig: ConfigRig,  # type: ignore[no-untyped-def]
                                                      tmp_path: Path) -> None:
    """At a 1024 px window the configuration screen is about 790 px wide: the Dutch buttons ("Molen
    deactiveren", "Sensor uitschakelen") wrap onto a second row instead of being cut."""
    from hmi.ui.i18n import install_language, remove_language

    install_language("nl")
    controller = SessionController(config_rig.auth, idle_timeout_s=0)
    controller.set_session(config_rig.sign_in("root"))
    screen = ConfigScreen(demo_plant(), sensor_config=config_rig.service, session_provider=controller,
                          config_file=tmp_path / "config.toml")
    try:
        show_sized(qtbot, screen, (790, 640), minimum=(600, 600))
        ed = screen.sensors
        qtbot.waitUntil(lambda: ed.mills_model.rowCount() == 2, timeout=WAIT_MS)
        buttons = [ed.new_mill_button, ed.new_sensor_button, ed.edit_button, ed.mill_active_button,
                   ed.sensor_enabled_button]
        assert ed.sensor_enabled_button.text() == "Sensor uitschakelen"
        assert findings(screen) == []  # every button whole, none on another
        assert buttons[-1].y() > buttons[0].y()  # a second row
        table_top = ed.mills_table.mapTo(ed, ed.mills_table.rect().topLeft()).y()
        assert table_top > max(b.geometry().bottom() for b in buttons)
    finally:
        screen.shutdown()
        controller.shutdown()
        remove_language()
