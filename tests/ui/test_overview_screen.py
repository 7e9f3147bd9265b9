"""The plant overview: tiles per visible mill, live counts, database figures off the GUI thread,
click/Enter to open a mill, a grid that reflows, and a screen that stays responsive with the
database down. `Workspace` wires the overview, the mill actions and the filter bar into a MainWindow
the way the integration note says, so the screenshots show the real layout."""

from __future__ import annotations

import itertools
import math
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QWidget

from hmi.core.domain import MillStatus, Quality, Reading
from hmi.core.plant import Plant, parse_plant
from hmi.services.overview import MillOverview, mill_overview
from hmi.ui.bridge import LiveBridge
from hmi.ui.estop_panel import EstopPanel
from hmi.ui.main_window import MainWindow, Screen
from hmi.ui.overview_screen import OverviewScreen
from hmi.ui.overview_tile import TILE_MIN_WIDTH
from hmi.ui.sensor_board import SensorBoard
from tests.ui.demo_feed import DemoFeeder, normal_value

# -- the integration, as the note to the main window's owner describes it -------------------------------


class Workspace(QObject):
    """MainWindow + e-stop column + overview screen + mill actions + filter bar, wired."""

    def __init__(self, window: MainWindow, *, load_overview: Any = None, start_production: Any = None) -> None:
        super().__init__(window)
        self.window = w = window
        central = w.centralWidget()
        self.panel = EstopPanel([(m.slug, m.name) for m in w.plant.mills], trigger=lambda _m: None,
                                stop_retrying=lambda _m: None, vertical=True)
        row = QWidget(central)
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.setSpacing(0)
        central.layout().replaceWidget(w.stack, row)
        row_layout.addWidget(w.stack, 1)
        row_layout.addWidget(self.panel)

        # The window itself holds the overview, the mill actions and the filter bar; the workspace
        # gives them their services.
        self.overview = w.overview
        self.overview.set_loader(load_overview)
        self.overview_index = w.stack.indexOf(self.overview)
        self.actions = w.mill_actions
        self.actions.start_production = start_production
        self.filters = w.filter_bar
        w.table.sensorActivated.connect(self.on_sensor)
        self.activated: list[str] = []

    @Slot(str)
    def on_sensor(self, eui: str) -> None:
        self.activated.append(eui)

    def show_overview(self) -> None:
        self.window.show_screen(self.overview_index)

    def shutdown(self) -> None:
        pass  # the window shuts its screens down on close


def prefill_last_hour(board: SensorBoard, now: float, step: float = 20.0) -> None:
    """An hour of plausible history per sensor, so sparklines have something to draw."""
    for k in range(int(3600 / step), 0, -1):
        ts = now - k * step
        batch = {}
        for i, row in enumerate(board.rows):
            base = normal_value(row.sensor)
            wave = 0.06 * abs(base) * math.sin(ts / (300 + 37 * i) + i) + 0.02 * abs(base) * math.sin(ts / 47 + i)
            batch[row.eui] = Reading(row.eui, ts, base + wave, Quality.GOOD)
        board.apply(batch)


def build_plant(mills: int, sensors: int = 4) -> Plant:
    lines = ["schema_version = 1"]
    statuses = ["active", "active", "maintenance", "active", "offline", "error", "active"]
    for m in range(mills):
        lines += ["[[mills]]", f'slug = "m{m}"', f'name = "Mill {m}"', f'location = "Site {m}"', "capacity = 300",
                  f'status = "{statuses[m % len(statuses)]}"']
        for s in range(sensors):
            lines += ["  [[mills.sensors]]", f'  name = "Sensor {s}"', '  type = "temperature"',
                      f'  eui = "C0{m:04X}{s:010X}"', "  thresholds = { warning_max = 60, critical_max = 75 }"]
    return parse_plant(tomllib.loads("\n".join(lines)))


@dataclass
class FakeRows:
    """Overview rows as the service returns them, counted per call (for pure screen logic)."""

    rows: list[MillOverview]
    calls: list[set[str] | None]

    def __call__(self, mills: set[str] | None) -> list[MillOverview]:
        self.calls.append(mills)
        return [r for r in self.rows if mills is None or r.slug in mills]


@pytest.fixture
def database(sqlite_url: str, plant: Plant):
    from hmi.services.alarm_service import AlarmEvaluator
    from hmi.services.plant_io import import_plant
    from hmi.storage.database import make_engine
    from hmi.storage.migrate import upgrade
    from hmi.storage.mill_repo import set_mill_status, upsert_production

    engine = make_engine(sqlite_url)
    upgrade(engine)
    import_plant(engine, Path(__file__).resolve().parents[2] / "resources/plants/demo.toml")
    upsert_production(engine, "north", datetime.now(UTC).date(), 300.0)
    set_mill_status(engine, "south", "maintenance")
    s = plant.mill("north").sensors[0]  # vibration, warning 45 / critical 60: two alerts
    AlarmEvaluator(engine, plant).on_reading(s, Reading(s.eui, time.time(), 70.0))
    yield engine
    engine.dispose()


@pytest.fixture
def screen_factory(qtbot, themed_app, plant: Plant):
    made: list[OverviewScreen] = []

    def make(load: Callable[[set[str] | None], Any] | None, board: SensorBoard | None = None,
             **kw: Any) -> OverviewScreen:
        screen = OverviewScreen(board or SensorBoard(plant), themed_app, load_overview=load, **kw)
        qtbot.addWidget(screen)
        made.append(screen)
        return screen

    yield make
    for s in made:
        s.shutdown()


# -- behaviour -----------------------------------------------------------------------------------------


def test_database_figures_come_from_the_service_off_the_gui_thread(qtbot, screen_factory, database,
                                                                    plant: Plant) -> None:
    threads: list[str] = []

    def load(mills: set[str] | None) -> list[MillOverview]:
        threads.append(threading.current_thread().name)
        return mill_overview(database, mills=mills)

    screen = screen_factory(load)
    statuses: list[tuple[str, str]] = []
    screen.statusChanged.connect(lambda slug, st: statuses.append((slug, st)))
    qtbot.waitUntil(lambda: screen.db_refreshes >= 1, timeout=5000)
    assert threads == ["overview-refresh"]
    north, south = screen.tile("north").data, screen.tile("south").data
    assert north.efficiency_today == pytest.approx(0.75) and north.produced_today == 300.0
    assert north.unacked_alerts_24h == 2
    assert south.status is MillStatus.MAINTENANCE and south.efficiency_today is None
    assert south.unacked_alerts_24h == 0
    assert statuses == [("south", "maintenance")]
    assert screen.freshness.text().startswith("Production and alerts as of")


def test_live_counts_follow_the_board_and_repaint_only_changed_tiles(qtbot, screen_factory, plant: Plant,
                                                                       clock) -> None:
    board = SensorBoard(plant, now=clock)
    screen = screen_factory(None, board)
    screen.resize(1100, 700)
    screen.show()
    qtbot.waitExposed(screen)
    north = plant.mill("north").sensors
    before = {s: screen.tile(s).data for s in ("north", "south")}
    assert before["north"].stale == len(north)  # never reported: stale until data comes
    board.apply({north[0].eui: Reading(north[0].eui, clock(), 61.0),  # critical
                 north[1].eui: Reading(north[1].eui, clock(), None, Quality.BAD),
                 north[2].eui: Reading(north[2].eui, clock(), -20.0)})
    screen.refresh_live()
    d = screen.tile("north").data
    assert (d.in_alarm, d.bad, d.stale) == (1, 1, len(north) - 3)
    assert d.worst.value == "critical" and d.abnormal
    assert screen.tile("south").data == before["south"]  # unchanged: no repaint asked
    assert not screen.tile("south").set_data(before["south"])
    assert "1 sensor in alarm" in screen.summary.text() and "1 bad" in screen.summary.text()
    assert screen.freshness.text() == "Production and alerts: not available on this workstation"


def test_click_and_enter_open_the_mill(qtbot, screen_factory) -> None:
    screen = screen_factory(None)
    screen.resize(1100, 700)
    screen.show()
    qtbot.waitExposed(screen)
    tile = screen.tile("south")
    with qtbot.waitSignal(screen.millActivated, timeout=1000) as sig:
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton, pos=tile.rect().center())
    assert sig.args == ["south"]
    tile = screen.tile("north")
    tile.setFocus()
    with qtbot.waitSignal(screen.millActivated, timeout=1000) as sig:
        qtbot.keyClick(tile, Qt.Key.Key_Return)
    assert sig.args == ["north"]
    assert tile.focusPolicy() == Qt.FocusPolicy.StrongFocus  # reachable with Tab


def test_only_visible_mills_are_shown_and_queried(qtbot, screen_factory, plant: Plant) -> None:
    rows = FakeRows([MillOverview(m.slug, m.name, m.status, m.capacity, None, None, 0) for m in plant.mills], [])
    screen = screen_factory(rows)
    qtbot.waitUntil(lambda: screen.db_refreshes >= 1, timeout=3000)
    screen.set_visible_mills({"south"})
    qtbot.waitUntil(lambda: screen.db_refreshes >= 2, timeout=3000)
    assert rows.calls == [None, {"south"}]
    assert [t.slug for t in screen.shown_tiles()] == ["south"]
    assert screen.tile("north").isHidden() and not screen.tile("south").isHidden()
    assert screen.summary.text().startswith("1 mill")
    screen.set_visible_mills(set())
    assert not screen.shown_tiles() and not screen.empty.isHidden()


def test_grid_reflows_with_the_width(qtbot, themed_app) -> None:
    plant = build_plant(9)
    screen = OverviewScreen(SensorBoard(plant), themed_app)
    qtbot.addWidget(screen)
    screen.show()
    widths = {}
    for width in (700, 1080, 1700):
        screen.resize(width, 800)
        qtbot.waitUntil(lambda w=width: abs(screen.scroll.viewport().width() - w) < 40, timeout=2000)
        widths[width] = screen.columns
        tiles = screen.shown_tiles()
        assert all(t.width() >= TILE_MIN_WIDTH for t in tiles)
        rows = {t.y() for t in tiles}
        assert len(rows) == math.ceil(len(tiles) / screen.columns)
    assert widths[700] == 1 and widths[1080] == 3 and widths[1700] == 4
    screen.shutdown()


def test_database_down_or_hung_never_blocks_the_screen(qtbot, screen_factory) -> None:
    release = threading.Event()
    calls: list[float] = []

    def hung(_mills: set[str] | None) -> list[MillOverview]:
        calls.append(time.monotonic())
        if len(calls) == 1:
            release.wait(10)  # a database that does not answer
        raise ConnectionError("connection refused (database down)")

    screen = screen_factory(hung, refresh_ms=50)
    ticks: list[float] = []
    probe = QTimer()
    probe.timeout.connect(lambda: ticks.append(time.monotonic()))
    probe.start(10)
    qtbot.wait(400)  # eight refresh periods while the first query hangs
    assert len(calls) == 1  # not queued behind the hung one
    assert len(ticks) > 20 and max(b - a for a, b in itertools.pairwise(ticks)) < 0.2
    release.set()
    qtbot.waitUntil(lambda: screen.freshness.property("db") == "down", timeout=3000)
    assert screen.freshness.text() == "Database unreachable"
    assert "connection refused" in screen.freshness.toolTip()
    probe.stop()


def test_estop_state_line(screen_factory) -> None:
    screen = screen_factory(None)
    screen.set_estop_state("north", "Stop not confirmed: use the hardwired stop", alarm=True)
    d = screen.tile("north").data
    assert d.estop_alarm and d.abnormal and "hardwired" in d.estop_text
    assert "e-stop: Stop not confirmed" in screen.tile("north").toolTip()
    screen.set_estop_state("north", "")
    assert not screen.tile("north").data.abnormal


# -- screenshots ---------------------------------------------------------------------------------------


@pytest.fixture
def workspace(qtbot, themed_app, plant: Plant, database):
    bridge = LiveBridge(interval_ms=50)
    w = MainWindow(plant, bridge, plant_name="Demo plant", palette=themed_app)
    w.setWindowTitle("Millwatch HMI \u2014 demo plant")
    ws = Workspace(w, load_overview=lambda mills: mill_overview(database, mills=mills),
                   start_production=lambda slug: (_ for _ in ()).throw(RuntimeError("not wired")))
    qtbot.addWidget(w)
    yield ws
    ws.shutdown()
    bridge.stop()


def feed(qtbot, ws: Workspace, plant: Plant) -> None:
    prefill_last_hour(ws.window.board, time.time() - 2)
    feeder = DemoFeeder(plant, ws.window.bridge).start()
    try:
        qtbot.waitUntil(lambda: ws.window.bridge.stats().value_emits >= 4, timeout=3000)
    finally:
        feeder.stop()
    ws.window._on_tick()


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_overview_screenshot(qtbot, workspace: Workspace, plant: Plant, artifacts_dir: Path,
                             size: tuple[int, int]) -> None:
    w = workspace.window
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    workspace.show_overview()
    workspace.overview.set_estop_state("south", "Ready")
    feed(qtbot, workspace, plant)
    qtbot.waitUntil(lambda: workspace.overview.db_refreshes >= 1, timeout=5000)
    assert workspace.overview.tile("north").data.in_alarm >= 1
    name = "overview.png" if size == (1280, 800) else "overview_1920.png"
    path = artifacts_dir / name
    assert w.grab().save(str(path))
    assert (QImage(str(path)).width(), QImage(str(path)).height()) == size
    print(f"SCREENSHOT: {path}")

    tile = workspace.overview.tile("south")
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton, pos=tile.rect().center())
    assert w.stack.currentIndex() == Screen.SENSORS and w.table.proxy.mill == "south"
    assert not workspace.actions.isHidden() and workspace.actions.status.text() == "Maintenance"
