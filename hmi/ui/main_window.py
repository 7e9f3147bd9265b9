"""The operator window. It only assembles: header strip, mill navigation, sensor table, status bar,
and wires them to the bridge and to one 1 Hz heartbeat (clock, ages, rates)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QFrame, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from hmi.core.plant import Plant
from hmi.ui.bridge import LiveBridge
from hmi.ui.header_strip import HeaderStrip
from hmi.ui.mill_list import ALL_MILLS, MillListModel, MillListView
from hmi.ui.sensor_board import SensorBoard
from hmi.ui.sensor_table import SensorTableView
from hmi.ui.sensor_table_model import SensorTableModel
from hmi.ui.status_bar import LinkStatusBar
from hmi.ui.theme import AlarmPalette

TICK_MS = 1000
MILL_PANE_WIDTH = 236
# An explicit minimum size: the layout then never changes the window's size hints after show
# (changing them on a shown window warns "does not support propagateSizeHints" on some platforms).
MIN_WINDOW_SIZE = (1024, 640)


def _pane(title: str, body: QWidget, parent: QWidget) -> tuple[QFrame, QLabel]:
    """A titled panel around one view."""
    frame = QFrame(parent)
    frame.setObjectName("pane")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    label = QLabel(title, frame)
    label.setObjectName("paneTitle")
    layout.addWidget(label)
    layout.addWidget(body, 1)
    return frame, label


class MainWindow(QMainWindow):
    def __init__(
        self,
        plant: Plant,
        bridge: LiveBridge,
        *,
        plant_name: str = "",
        palette: AlarmPalette | None = None,
        now: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setMinimumSize(*MIN_WINDOW_SIZE)
        self.plant = plant
        self.bridge = bridge
        self._now = now
        palette = palette or AlarmPalette.load()

        self.board = SensorBoard(plant, now=now)
        self.table_model = SensorTableModel(self.board, palette, self)
        self.mill_model = MillListModel(self.board, self)

        central = QWidget(self)
        central.setObjectName("central")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = HeaderStrip(plant_name, central)
        layout.addWidget(self.header)

        splitter = QSplitter(Qt.Orientation.Horizontal, central)
        splitter.setObjectName("mainSplitter")
        splitter.setChildrenCollapsible(False)
        self.mill_list = MillListView(self.mill_model, palette)
        self.table = SensorTableView(self.table_model)
        mill_pane, _ = _pane("Mills", self.mill_list, splitter)
        table_pane, self.table_title = _pane(ALL_MILLS, self.table, splitter)
        splitter.addWidget(mill_pane)
        splitter.addWidget(table_pane)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([MILL_PANE_WIDTH, 1000])
        mill_pane.setMinimumWidth(200)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.status = LinkStatusBar(self)
        self.setStatusBar(self.status)

        bridge.valuesChanged.connect(self.table_model.update)
        bridge.linkChanged.connect(self.status.set_link)
        self.table_model.statesChanged.connect(self.mill_model.refresh)
        self.mill_list.millSelected.connect(self._on_mill_selected)

        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()

        self.mill_list.select_mill(None)
        self._on_tick()

    @Slot(object)
    def _on_mill_selected(self, slug: str | None) -> None:
        self.table.proxy.set_mill(slug)
        self.table.show_mill_column(slug is None)
        if slug is None:
            self.table_title.setText(ALL_MILLS)
        else:
            mill = self.plant.mill(slug)
            self.table_title.setText(f"{mill.name} \u00b7 {mill.location}" if mill.location else mill.name)

    @Slot()
    def _on_tick(self) -> None:
        self.header.show_time(self._now())
        self.table_model.refresh_ages()
        self.status.show_data(self.bridge.stats().received, self.board.data_age())
