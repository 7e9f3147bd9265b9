"""The assembled workspace (what `millwatch` shows) on real parts, for the e-stop and outage tests: a
mosquitto broker, the simulator as the mill controller (MQTT and Modbus), a SQLite database with
users, the real e-stop, auth, audit, trend, retention, readings and sensor-configuration services."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import Engine, select
from sqlalchemy.pool import NullPool

from hmi.core.domain import Mill, Role, Sensor, SensorType, Thresholds
from hmi.core.estop import EstopState
from hmi.core.plant import Plant
from hmi.services.estop_service import EstopService
from hmi.services.overview import mill_overview
from hmi.services.readings import ReadingsQuery
from hmi.services.retention import RetentionSettings
from hmi.services.sensor_config import SensorConfigService
from hmi.services.simulator import Simulator
from hmi.services.trends import TrendHistory, TrendViews
from hmi.services.users import add_user
from hmi.storage.database import make_engine
from hmi.storage.migrate import upgrade
from hmi.storage.plant_repo import apply_plant
from hmi.storage.schema import AuditRow
from hmi.ui.bridge import LiveBridge
from hmi.ui.main_window import MainWindow
from hmi.ui.workspace import Workspace, WorkspaceServices
from tests.support.servers import Mosquitto
from tests.ui.alarm_fakes import FakePlayer

PW = "correct horse battery"
HOLD = 0.3
UI_DIR = Path(__file__).resolve().parents[2] / "hmi" / "ui"


def _plant(modbus_port: int) -> Plant:
    sensor = Sensor("north", "Bin temperature", SensorType.TEMPERATURE, "00AA000000000001", sampling_interval=30,
                    thresholds=Thresholds(warning_min=5, warning_max=60, critical_max=70))
    url = f"modbus://127.0.0.1:{modbus_port}/coil/0?unit=1&readback=di/0"
    return Plant((Mill("north", "North Mill", estop_modbus=url, sensors=(sensor,)), Mill("south", "South Mill")))


@dataclass
class Rig:
    window: MainWindow
    workspace: Workspace
    estop: EstopService
    sim: Simulator
    engine: Engine
    auth: Any
    db_dir: Path

    def db_down(self) -> None:
        """The database becomes unreachable (its directory moves away), as a dead file server would."""
        os.rename(self.db_dir, self.db_dir.with_name("db-away"))

    def db_up(self) -> None:
        os.rename(self.db_dir.with_name("db-away"), self.db_dir)

    def sign_in(self, name: str) -> Any:
        result = self.auth.sign_in(name, PW, console="test-console")
        assert result.session is not None, result.message
        self.workspace.controller.set_session(result.session)
        return result.session

    def hold_stop(self, qtbot: Any, mill: str) -> None:
        button = self.workspace.estop_panel.button(mill)
        centre = button.face_center()
        qtbot.mousePress(button, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y())))
        qtbot.waitUntil(lambda: self.estop.status(mill).state is not EstopState.IDLE, timeout=3000)
        qtbot.mouseRelease(button, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y())))

    def wait_state(self, qtbot: Any, mill: str, *states: EstopState, timeout: int = 5000) -> None:
        qtbot.waitUntil(lambda: self.estop.status(mill).state in states, timeout=timeout)

    def audit_actions(self) -> list[tuple[str, str]]:
        assert self.estop.audit.flush(5)
        t = AuditRow.__table__
        with self.engine.connect() as c:
            return [(r.action, r.username) for r in c.execute(select(t.c.action, t.c.username).order_by(t.c.seq))]


def build_rig(qtbot: Any, tmp_path: Path, mosquitto: Mosquitto) -> Iterator[Rig]:
    """Generator for a fixture: the rig, torn down after the test."""
    from hmi.app import Workstation

    sim = Simulator(_plant(5020), mosquitto.url, modbus_port=0, latch_delay=0.1)
    sim.start()
    assert sim.wait_ready(5)
    plant = _plant(sim.modbus_port)
    db_dir = tmp_path / "db"
    db_dir.mkdir()
    engine = make_engine(f"sqlite:///{db_dir / 'ws.sqlite'}", poolclass=NullPool)
    upgrade(engine)
    apply_plant(engine, plant)
    for name, role in (("ana", Role.OPERATOR), ("tom", Role.TECHNICIAN)):
        add_user(engine, name, PW, role, mills=["north", "south"], audit_key=None)
    station = Workstation(engine, host="test-host")
    estop = EstopService(plant, auth=station.auth, broker=mosquitto.url, engine=engine, coast_down=5.0)
    estop.start()
    assert estop.link is not None and estop.link.wait_ready(5)
    bridge = LiveBridge()
    window = MainWindow(plant, bridge, plant_name="Test plant", player=FakePlayer())
    services = WorkspaceServices(
        auth=station.auth, users=station.users, audit=station.audit, alarm_actions=station.alarm_actions,
        verify=station.verify, estop=estop, trend_history=TrendHistory(engine, plant),
        trend_views=TrendViews(engine), retention=RetentionSettings(engine, station.auth), console="test-console",
        sensor_config=SensorConfigService(station.auth, engine=engine), readings=ReadingsQuery(engine, plant),
        load_overview=lambda mills: mill_overview(engine, mills=mills),
        subtitle="Test plant", hold_seconds=HOLD,
    )
    workspace = Workspace(window, services)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield Rig(window, workspace, estop, sim, engine, station.auth, db_dir)
    for w in QApplication.topLevelWidgets():
        if w is not window and w.isVisible():
            w.close()
    workspace.shutdown()
    bridge.stop()
    window.close()
    window.deleteLater()
    qtbot.wait(10)  # the deferred delete runs: nothing of this window outlives the test
    estop.stop()
    sim.stop()
    station.close()
    engine.dispose()


