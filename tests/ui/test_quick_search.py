"""Quick search (Ctrl+K): matching over screens, mills and sensors (fast for 1,000 sensors), and the
non-modal panel: keys choose, Enter opens (a mill on the sensor screen, a sensor's signal, a screen)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hmi.core.domain import Mill, Sensor, SensorType
from hmi.core.plant import Plant
from hmi.ui.bridge import LiveBridge
from hmi.ui.main_window import MainWindow, Screen
from hmi.ui.search_index import MILL, SCREEN, SENSOR, SearchIndex


def big_plant(mills: int = 20, per_mill: int = 50) -> Plant:
    types = list(SensorType)
    return Plant(mills=tuple(
        Mill(slug=f"m{m:02d}", name=f"Mill {m:02d}", location=f"Site {m % 4}", sensors=tuple(
            Sensor(mill_slug=f"m{m:02d}", name=f"Roller {s} {types[s % len(types)].value}", type=types[s % len(types)],
                   eui=f"{m:08X}{s:08X}", location=f"Floor {s % 5} line {s % 7}")
            for s in range(per_mill)
        ))
        for m in range(mills)
    ))


def test_substring_fuzzy_and_ranking(plant: Plant) -> None:
    index = SearchIndex(plant, [(0, "Overview"), (1, "Sensors"), (2, "Alarms")])
    sensor = plant.mill("north").sensors[0]
    # by EUI (any case), by name prefix, by location, by type
    assert index.search(sensor.eui.lower())[0].key == sensor.eui
    assert index.search(sensor.name[:6])[0].title.lower().startswith(sensor.name[:6].lower())
    assert all(e.kind == SENSOR for e in index.search(sensor.type.value))
    # the mill itself before its sensors; screens first among equals
    first = index.search("north")[0]
    assert (first.kind, first.key) == (MILL, "north")
    assert index.search("alarms")[0].kind == SCREEN
    # fuzzy: the letters in order
    fuzzy = index.search("intkmoist")
    assert fuzzy and "intake" in fuzzy[0].title.lower() and "moisture" in fuzzy[0].title.lower()
    # every word must match somewhere
    assert index.search("south zzzz") == []
    # an empty query lists the screens and the mills
    assert [e.kind for e in index.search("")] == [SCREEN] * 3 + [MILL] * len(plant.mills)
    # mills the user may not see are not found, nor their sensors
    assert {e.mill for e in index.search("mill", mills={"south"}) if e.mill} == {"south"}


def test_fast_for_a_thousand_sensors() -> None:
    plant = big_plant()
    t0 = time.perf_counter()
    index = SearchIndex(plant, [(i, f"Screen {i}") for i in range(10)])
    build = time.perf_counter() - t0
    queries = ["r", "ro", "rol", "roll", "roller 1", "0000000A", "floor 3 line", "rlr4tmp", "site 2", "zz"]
    t0 = time.perf_counter()
    for q in queries:
        index.search(q)
    per_query = (time.perf_counter() - t0) / len(queries)
    print(f"quick search over 1000 sensors: build {build * 1e3:.1f} ms, {per_query * 1e3:.2f} ms per query")
    assert len(index.sensor_entries) == 1000
    assert build < 0.5 and per_query < 0.02  # a keystroke never stalls the GUI thread
    assert index.search("0000000A")[0].mill == "m10"


@pytest.fixture
def window(qtbot, themed_app, plant: Plant):
    bridge = LiveBridge(interval_ms=50)
    w = MainWindow(plant, bridge, plant_name="Demo plant", palette=themed_app)
    w.resize(1280, 800)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    yield w
    bridge.stop()
    w.close()


def open_search(qtbot, w: MainWindow, text: str) -> None:
    w.shortcuts.actions["search"].trigger()
    qtbot.waitUntil(w.quick_search.isVisible, timeout=1000)
    w.quick_search.input.setText(text)


def test_ctrl_k_opens_a_non_modal_panel_over_the_screens(qtbot, window: MainWindow) -> None:
    assert window.shortcuts.actions["search"].shortcut().toString() == "Ctrl+K"
    open_search(qtbot, window, "")
    qs = window.quick_search
    assert qs.isVisible() and QApplication.activeModalWidget() is None
    assert qs.parentWidget() is window and not qs.isWindow()  # over the window, not a separate modal one
    stack_top = window.stack.mapTo(window, window.stack.rect().topLeft()).y()
    assert qs.geometry().top() >= stack_top  # the banner stays uncovered
    assert window.banner.ack_button.isEnabled() == window.commands.available
    qtbot.keyClick(qs.input, Qt.Key.Key_Escape)
    assert not qs.isVisible()


def test_arrow_keys_and_enter_open_a_mill_on_the_sensor_screen(qtbot, window: MainWindow) -> None:
    open_search(qtbot, window, "south")
    qs = window.quick_search
    assert qs.current_entry() is not None and qs.current_entry().key == "south"
    qtbot.keyClick(qs.input, Qt.Key.Key_Return)
    assert not qs.isVisible()
    assert window.stack.currentIndex() == Screen.SENSORS
    assert window.table.proxy.mill == "south" if hasattr(window.table.proxy, "mill") else True
    assert window.table_title.text().startswith("South Mill")

    open_search(qtbot, window, "mill")
    first = qs.current_entry()
    qtbot.keyClick(qs.input, Qt.Key.Key_Down)
    second = qs.current_entry()
    assert second is not None and second != first
    qtbot.keyClick(qs.input, Qt.Key.Key_Up)
    assert qs.current_entry() == first


def test_a_sensor_emits_its_eui_and_shows_its_row(qtbot, window: MainWindow, plant: Plant) -> None:
    sensor = plant.mill("north").sensors[3]
    open_search(qtbot, window, sensor.eui)
    with qtbot.waitSignal(window.quick_search.sensorActivated, timeout=1000) as sig:
        qtbot.keyClick(window.quick_search.input, Qt.Key.Key_Enter)
    assert sig.args == [sensor.eui]
    assert window.stack.currentIndex() == Screen.SENSORS
    row = window.table.selectionModel().selectedRows()
    assert row and window.table.proxy.data(row[0]) is not None


def test_a_screen_switches_to_it_and_signed_out_there_is_no_search(qtbot, window: MainWindow) -> None:
    open_search(qtbot, window, "journ")
    assert window.quick_search.current_entry().kind == SCREEN
    qtbot.keyClick(window.quick_search.input, Qt.Key.Key_Return)
    assert window.stack.currentIndex() == Screen.JOURNAL
    window.nav.setEnabled(False)  # what the session shell does before sign-in
    window.shortcuts.actions["search"].trigger()
    assert not window.quick_search.isVisible()


def test_screenshot(qtbot, window: MainWindow, artifacts_dir: Path) -> None:
    window.show_screen(Screen.SENSORS)
    open_search(qtbot, window, "b1")
    qtbot.wait(50)
    path = artifacts_dir / "quick_search.png"
    assert window.grab().save(str(path))
    print(f"SCREENSHOT: {path}")
