"""The operator window: mill navigation filters the table; live values and link states show up."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from hmi.core.domain import Reading
from hmi.core.plant import Plant
from hmi.ui.bridge import LiveBridge
from hmi.ui.main_window import MainWindow
from hmi.ui.mill_list import AlarmCountRole, SlugRole
from hmi.ui.sensor_table_model import Column, MillSlugRole
from tests.ui.demo_feed import SCENARIO, DemoFeeder


@pytest.fixture
def window(qtbot, themed_app, plant: Plant):
    bridge = LiveBridge(interval_ms=50)
    w = MainWindow(plant, bridge, plant_name="Demo plant", palette=themed_app)
    w.setWindowTitle("Millwatch HMI \u2014 demo plant")
    w.resize(1280, 800)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    bridge.stop()


def visible_mills(w: MainWindow) -> set[str]:
    proxy = w.table.proxy
    return {proxy.data(proxy.index(r, 0), MillSlugRole) for r in range(proxy.rowCount())}


def click_mill(qtbot, w: MainWindow, row: int) -> None:
    view = w.mill_list
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_mill_selection_filters_rows(qtbot, window: MainWindow, plant: Plant) -> None:
    assert window.table.proxy.rowCount() == 31
    assert not window.table.isColumnHidden(Column.MILL)
    model = window.mill_list.model()
    assert [model.data(model.index(r, 0), SlugRole) for r in range(model.rowCount())] == [None, "north", "south"]

    click_mill(qtbot, window, 2)
    assert visible_mills(window) == {"south"}
    assert window.table.proxy.rowCount() == len(plant.mill("south").sensors)
    assert window.table.isColumnHidden(Column.MILL)  # one mill: the column says nothing
    assert window.table_title.text() == "South Mill \u00b7 Ghent"

    click_mill(qtbot, window, 1)
    assert visible_mills(window) == {"north"}
    click_mill(qtbot, window, 0)
    assert window.table.proxy.rowCount() == 31
    assert window.table_title.text() == "All mills"


def test_values_submitted_from_a_thread_are_shown(qtbot, window: MainWindow, plant: Plant) -> None:
    sensor = plant.mill("north").sensors[0]  # vibration, Hz, warning_max 45, critical_max 60
    t = threading.Thread(target=window.bridge.submit, args=([Reading(sensor.eui, time.time(), 42.0)],))
    t.start()
    t.join()
    model = window.table_model
    row = model.row_of(sensor.eui)
    assert row is not None
    qtbot.waitUntil(lambda: model.data(model.index(row, Column.VALUE)) == "42.0 Hz", timeout=2000)
    assert model.data(model.index(row, Column.STATE)) == "Normal"

    window.bridge.submit([Reading(sensor.eui, time.time() + 0.1, 61.0)])
    qtbot.waitUntil(lambda: model.data(model.index(row, Column.STATE)) == "Critical \u25b2", timeout=2000)
    mills = window.mill_list.model()
    assert mills.data(mills.index(1, 0), AlarmCountRole) == 1  # North Mill's badge
    assert mills.data(mills.index(2, 0), AlarmCountRole) == 0


def test_link_states_reach_the_status_bar(qtbot, window: MainWindow) -> None:
    window.bridge.submit_link("mqtt", "connected", "broker 127.0.0.1:1883")
    qtbot.waitUntil(lambda: window.status.link_label("mqtt") is not None, timeout=2000)
    label = window.status.link_label("mqtt")
    assert label is not None
    assert label.text() == "mqtt: connected" and label.property("link") == "ok"
    window.bridge.submit_link("mqtt", "disconnected", "connection refused")
    qtbot.waitUntil(lambda: label.property("link") == "down", timeout=2000)
    assert label.toolTip() == "connection refused"


def test_screenshot(qtbot, window: MainWindow, plant: Plant, artifacts_dir: Path) -> None:
    feeder = DemoFeeder(plant, window.bridge).start()
    try:
        qtbot.waitUntil(lambda: window.bridge.stats().value_emits >= 3, timeout=3000)
        qtbot.waitUntil(lambda: window.status.link_label("modbus") is not None, timeout=3000)
    finally:
        feeder.stop()
    window._on_tick()  # the 1 Hz heartbeat: ages, data age, rate
    abnormal = window.board.summary().abnormal_count
    assert abnormal == sum(1 for k in SCENARIO.values() if k in ("warning_low", "warning_high", "critical_high", "bad"))

    path = artifacts_dir / "main_window.png"
    assert window.grab().save(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 800)
    assert path.stat().st_size > 20_000
    print(f"SCREENSHOT: {path}")

    click_mill(qtbot, window, 1)
    north = artifacts_dir / "main_window_north.png"
    assert window.grab().save(str(north))
    print(f"SCREENSHOT: {north}")
