"""The mill screen: filters by type and state, the sparkline column, names never elided at 1280 px,
double-click/Enter opening a sensor; screenshots of the mill screen at 1280x800 and 1920x1080."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from hmi.core.domain import Quality, Reading, SensorType
from hmi.core.plant import Plant
from hmi.ui.sensor_board import SensorBoard, StateFilter
from hmi.ui.sensor_filter_bar import SensorFilterBar
from hmi.ui.sensor_table import SensorTableView
from hmi.ui.sensor_table_model import Column, EuiRole, SensorTableModel, StateFilterRole, TypeRole
from tests.ui.test_overview_screen import Workspace, database, feed, prefill_last_hour  # noqa: F401 (fixture)


@pytest.fixture
def table(qtbot, themed_app, plant: Plant, clock):
    model = SensorTableModel(SensorBoard(plant, now=clock), themed_app)
    view = SensorTableView(model)
    qtbot.addWidget(view)
    return view


def shown(view: SensorTableView, role: int) -> set[str]:
    p = view.proxy
    return {p.data(p.index(r, 0), role) for r in range(p.rowCount())}


def test_filters_by_type_and_state_follow_live_changes(qtbot, table: SensorTableView, plant: Plant, clock) -> None:
    bar = SensorFilterBar(table.source_model.board, table.proxy)
    qtbot.addWidget(bar)
    model = table.source_model
    s = plant.sensors()
    vib = next(x for x in s if x.type is SensorType.VIBRATION)
    model.update({vib.eui: Reading(vib.eui, clock(), 61.0), s[1].eui: Reading(s[1].eui, clock(), None, Quality.BAD)})
    bar.refresh_counts()
    assert bar.chips[StateFilter.ALARM].text() == "Alarm 1" and bar.chips[StateFilter.BAD].text() == "Bad 1"
    assert bar.chips[StateFilter.ALARM].property("active") == "alarm"

    bar.chips[StateFilter.ALARM].click()
    assert shown(table, EuiRole) == {vib.eui}
    assert not bar.all_chip.isChecked() and bar.count.text() == "1 of 31 sensors"
    bar.chips[StateFilter.BAD].click()  # several states at once
    assert shown(table, StateFilterRole) == {"alarm", "bad"}
    # a live change enters or leaves the filtered view by itself
    model.update({vib.eui: Reading(vib.eui, clock() + 1, 20.0)})
    assert shown(table, EuiRole) == {s[1].eui}
    bar.all_chip.click()
    assert table.proxy.rowCount() == 31 and bar.selected_states is None

    bar.set_type(SensorType.TEMPERATURE)
    assert shown(table, TypeRole) == {"temperature"}
    table.proxy.set_mill("south")
    n = sum(1 for x in plant.mill("south").sensors if x.type is SensorType.TEMPERATURE)
    assert table.proxy.rowCount() == n and bar.count.text() == f"{n} of {len(plant.mill('south').sensors)} sensors"
    bar.set_states({StateFilter.STALE})  # nothing reported in south yet: every sensor stale
    assert table.proxy.rowCount() == n
    bar.clear()
    assert table.proxy.rowCount() == len(plant.mill("south").sensors)


def test_disabled_filter(qtbot, themed_app, plant: Plant, clock) -> None:
    off = dataclasses.replace(plant.mills[1].sensors[0], enabled=False)
    mill = dataclasses.replace(plant.mills[1], sensors=(off, *plant.mills[1].sensors[1:]))
    p2 = dataclasses.replace(plant, mills=(plant.mills[0], mill))
    view = SensorTableView(SensorTableModel(SensorBoard(p2, now=clock), themed_app))
    qtbot.addWidget(view)
    view.proxy.set_states({StateFilter.DISABLED})
    assert shown(view, EuiRole) == {off.eui}
    row = view.source_model.row_of(off.eui)
    assert view.source_model.data(view.source_model.index(row, Column.STATE)) == "Disabled"
    assert view.source_model.data(view.source_model.index(row, Column.SENSOR), Qt.ItemDataRole.FontRole).italic()


def test_double_click_and_enter_emit_sensor_activated(qtbot, table: SensorTableView, plant: Plant) -> None:
    table.resize(1000, 600)
    table.show()
    qtbot.waitExposed(table)
    rect = table.visualRect(table.proxy.index(2, Column.SENSOR))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # QTest's double click
    with qtbot.waitSignal(table.sensorActivated, timeout=1000) as sig:  # needs the press before it
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == [plant.sensors()[2].eui]
    table.setCurrentIndex(table.proxy.index(4, Column.SENSOR))
    with qtbot.waitSignal(table.sensorActivated, timeout=1000) as sig:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert sig.args == [plant.sensors()[4].eui]


def test_sparkline_paints_the_last_hour_from_a_cache(qtbot, table: SensorTableView, plant: Plant, clock) -> None:
    board = table.source_model.board
    prefill_last_hour(board, clock())
    delegate = table.spark_delegate
    index = table.proxy.index(0, Column.TREND)
    image = QImage(200, 40, QImage.Format.Format_ARGB32)

    def paint() -> int:
        image.fill(QColor("#f0f0f0"))
        painter = QPainter(image)
        opt = QStyleOptionViewItem()
        opt.rect = QRect(0, 0, 200, 40)
        opt.widget = table
        opt.palette = table.palette()
        delegate.paint(painter, opt, index)
        painter.end()
        background = QColor("#f0f0f0").rgb()
        return sum(1 for x in range(200) for y in range(40) if image.pixel(x, y) != background)

    inked = paint()
    assert inked > 150  # a line across the cell
    builds = delegate.builds
    board.apply({plant.sensors()[0].eui: Reading(plant.sensors()[0].eui, clock() + 0.5, 27.0)})  # inside the range
    paint()
    assert delegate.builds == builds  # same bucket: the cached line, only the tip redrawn
    clock.advance(31)  # a bucket closes
    board.apply({plant.sensors()[0].eui: Reading(plant.sensors()[0].eui, clock(), 34.0)})
    paint()
    assert delegate.builds == builds + 1
    tip = table.source_model.data(table.source_model.index(0, Column.TREND), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Last hour: ") and "Hz" in tip


def test_sensor_names_are_not_elided_and_columns_give_way(qtbot, table: SensorTableView, plant: Plant) -> None:
    table.show()
    fm = QFontMetrics(table.font())
    longest = max(fm.horizontalAdvance(s.name) for s in plant.sensors())
    for width, mill_shown in ((830, False), (830, True), (1500, True)):
        table.show_mill_column(mill_shown)
        table.resize(width, 500)
        qtbot.waitUntil(lambda w=width: abs(table.width() - w) < 2, timeout=1000)
        assert table.columnWidth(Column.SENSOR) >= longest + 16, (width, mill_shown, table.dropped)
        for col in (Column.VALUE, Column.TREND, Column.STATE):
            assert not table.isColumnHidden(col)
    assert table.dropped == ()  # wide: every column back
    table.resize(830, 500)
    qtbot.waitUntil(lambda: table.dropped != (), timeout=1000)
    assert table.dropped[0] is Column.QUALITY
    # Beside the mill list and the stop column of a 1024 px window: the sparkline gives way last, and
    # the table is never wider than that room (else its right edge, scroll bar and all, is cut off).
    table.show_mill_column(True)
    table.resize(600, 500)
    qtbot.waitUntil(lambda: abs(table.width() - 600) < 2, timeout=1000)
    assert table.minimumWidth() <= 600
    assert table.dropped[-1] is Column.TREND and table.isColumnHidden(Column.TREND)
    others = (Column.MILL, Column.VALUE, Column.STATE)
    assert not any(table.isColumnHidden(col) for col in others)
    # the names get all the room the other columns leave (the longest may elide by a few letters)
    room = table.viewport().width() - sum(table.columnWidth(col) for col in others)
    assert table.columnWidth(Column.SENSOR) >= min(room - 2, longest + 16) > 0.8 * longest
    assert table.horizontalScrollBar().maximum() <= 2  # nothing to scroll sideways to


# -- screenshots ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_mill_screen_screenshot(qtbot, themed_app, plant: Plant, artifacts_dir: Path, database,  # noqa: F811
                                size: tuple[int, int]) -> None:
    from hmi.services.overview import mill_overview
    from hmi.ui.bridge import LiveBridge
    from hmi.ui.main_window import MainWindow

    bridge = LiveBridge(interval_ms=50)
    w = MainWindow(plant, bridge, plant_name="Demo plant", palette=themed_app)
    ws = Workspace(w, load_overview=lambda mills: mill_overview(database, mills=mills),
                   start_production=_started)
    qtbot.addWidget(w)
    try:
        w.resize(*size)
        w.show()
        qtbot.waitExposed(w)
        ws.overview.tile("north").activated.emit("north")  # as a click on the tile does
        feed(qtbot, ws, plant)
        ws.actions.start_button.click()
        qtbot.waitUntil(lambda: ws.actions.result.text() == "Production started in 48 ms.", timeout=3000)
        fm = QFontMetrics(w.table.font())
        longest = max(fm.horizontalAdvance(s.name) for s in plant.mill("north").sensors)
        assert w.table.columnWidth(Column.SENSOR) >= longest + 16
        assert not w.table.isColumnHidden(Column.TREND)
        name = "mill_screen.png" if size == (1280, 800) else "mill_screen_1920.png"
        path = artifacts_dir / name
        assert w.grab().save(str(path))
        print(f"SCREENSHOT: {path}")
    finally:
        ws.shutdown()
        bridge.stop()


def _started(slug: str) -> object:
    from hmi.services.commands import CommandResult

    time.sleep(0.05)
    return CommandResult(True, "start_production", slug, "c1", "started", latency_ms=48.0)
