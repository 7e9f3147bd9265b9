"""The plant overview: one tile per mill the user may see, in a grid that reflows with the width.

Two sources, two rates. The live counts (sensors in alarm, bad, stale) come from the SensorBoard the
sensor table already keeps up to date: `refresh_live` recounts them in one pass and repaints only
the tiles whose numbers changed (connect it to SensorTableModel.statesChanged: counts only move
when a state does). The database figures (status, efficiency today, unacknowledged alerts of the
last 24 h) come from `load_overview(mills)` (hmi.services.overview.mill_overview) on a worker
thread every `refresh_ms`; a query still running is never queued behind, so a hung database
costs one thread, not a growing queue, and the screen says how old those figures are.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from hmi.core.domain import MillStatus
from hmi.ui.i18n import fmt_time, message_text
from hmi.ui.overview_tile import TILE_MIN_WIDTH, OverviewTile, TileData
from hmi.ui.sensor_board import SensorBoard
from hmi.ui.theme import AlarmPalette, PriorityPalette, bind_stylesheet, set_state_property
from hmi.ui.worker import Jobs

REFRESH_MS = 10_000
GRID_SPACING = 14
GRID_MARGIN = 16
# Overview rows as hmi.services.overview.MillOverview gives them (slug, status, capacity,
# produced_today, efficiency_today, unacked_alerts_24h); Any keeps the ui free of a services import.
LoadOverview = Callable[[set[str] | None], Sequence[Any]]

# Rules for the screen's own widgets, scoped to it; they belong in resources/styles/light.qss.
OVERVIEW_QSS = """
QWidget#overviewScreen, QWidget#overviewGrid, QScrollArea#overviewScroll { background-color: #e3e3e3; border: none; }
QFrame#overviewToolbar { background-color: #d6d6d6; border-bottom: 1px solid #bcbcbc; }
QFrame#overviewToolbar QLabel { background: transparent; }
QLabel#overviewTitle { color: #3a3f45; font-size: 11pt; font-weight: bold; }
QLabel#overviewSummary { color: #2b3035; font-size: 11pt; }
QLabel#overviewFreshness { color: #5b6167; font-size: 10pt; }
QLabel#overviewFreshness[db="down"] { color: #ffffff; background-color: #c81e1e; font-weight: bold;
    border-radius: 3px; padding: 2px 8px; }
QLabel#overviewEmpty { color: #5b6167; font-size: 14pt; }
"""


class OverviewScreen(QWidget):
    millActivated = Signal(str)  # slug: open the mill
    statusChanged = Signal(str, str)  # slug, MillStatus value, as the database last said

    def __init__(
        self,
        board: SensorBoard,
        palette: AlarmPalette | None = None,
        *,
        load_overview: LoadOverview | None = None,
        priorities: PriorityPalette | None = None,
        refresh_ms: int = REFRESH_MS,
        now: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("overviewScreen")
        bind_stylesheet(self, OVERVIEW_QSS)
        # Explicit: text changes in the toolbar then never move a top-level window's size hints
        # (torn off onto a wall screen), which some platforms refuse with a warning.
        self.setMinimumSize(TILE_MIN_WIDTH + 2 * GRID_MARGIN + 20, 320)
        self.board = board
        self.load_overview = load_overview
        self._now = now
        self._visible: set[str] | None = None
        self._again = False  # a refresh was asked for while one ran
        self._columns = 0
        self.live_refreshes = 0  # refresh_live calls (the benchmark reads it)
        self.db_refreshes = 0  # database results applied
        self.last_db_ok: float | None = None
        self.last_db_error: str = ""
        palette = palette or AlarmPalette.load()
        priorities = priorities or PriorityPalette.load()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._toolbar())
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("overviewScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.grid_host = QWidget(self.scroll)
        self.grid_host.setObjectName("overviewGrid")
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(GRID_MARGIN, GRID_MARGIN, GRID_MARGIN, GRID_MARGIN)
        self.grid.setSpacing(GRID_SPACING)
        self.scroll.setWidget(self.grid_host)
        self.scroll.viewport().installEventFilter(self)
        layout.addWidget(self.scroll, 1)
        self.empty = QLabel(self.tr("No mills to show: your account has no mill assigned."), self.grid_host)
        self.empty.setObjectName("overviewEmpty")
        self.empty.hide()

        self.tiles: dict[str, OverviewTile] = {}
        for mill in board.plant.mills:
            tile = OverviewTile(TileData.of(mill), palette, priorities, self.grid_host)
            tile.activated.connect(self.millActivated)
            self.tiles[mill.slug] = tile

        self.jobs = Jobs("overview-refresh", self)
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self.refresh_database)
        if load_overview is not None:
            self.timer.start()
        self._relayout(force=True)
        self.refresh_live()
        self.refresh_database()

    def _toolbar(self) -> QFrame:
        bar = QFrame(self)
        bar.setObjectName("overviewToolbar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(16, 8, 16, 8)
        row.setSpacing(16)
        title = QLabel(self.tr("Plant overview"), bar)
        title.setObjectName("overviewTitle")
        self.summary = QLabel(bar)
        self.summary.setObjectName("overviewSummary")
        self.freshness = QLabel(bar)
        self.freshness.setObjectName("overviewFreshness")
        row.addWidget(title)
        row.addWidget(self.summary)
        row.addStretch(1)
        row.addWidget(self.freshness)
        return bar

    # -- what is shown ---------------------------------------------------------------------------

    @property
    def visible_mills(self) -> set[str] | None:
        return None if self._visible is None else set(self._visible)

    def set_visible_mills(self, mills: Iterable[str] | None) -> None:
        """Show only these mills (the ones the signed-in user may see); None shows every mill."""
        visible = None if mills is None else set(mills)
        if visible == self._visible:
            return
        self._visible = visible
        for slug, tile in self.tiles.items():
            tile.setVisible(self._shown(slug))
        self._relayout(force=True)
        self.refresh_live()
        self.refresh_database()

    def _shown(self, slug: str) -> bool:
        return self._visible is None or slug in self._visible

    def shown_tiles(self) -> list[OverviewTile]:
        return [t for s, t in self.tiles.items() if self._shown(s)]

    def tile(self, slug: str) -> OverviewTile:
        return self.tiles[slug]

    def set_estop_state(self, slug: str, text: str, alarm: bool = False) -> None:
        """The e-stop's state line on the mill's tile ("" hides it); `alarm` colours it (ISA-101:
        only a stop that did not confirm, or did not stop the mill, is abnormal here)."""
        tile = self.tiles.get(slug)
        if tile is not None:
            tile.set_data(replace(tile.data, estop_text=text, estop_alarm=alarm))

    # -- live counts -----------------------------------------------------------------------------

    @Slot()
    def refresh_live(self) -> None:
        """Recount sensors per state (one pass) and repaint the tiles whose counts changed."""
        self.live_refreshes += 1
        summaries = self.board.summaries()
        alarm = bad = 0
        for slug, tile in self.tiles.items():
            s = summaries.get(slug)
            if s is None:
                continue
            tile.set_data(tile.data.with_live(s))
            if self._shown(slug):
                alarm += s.alarm_count
                bad += s.bad_count
        n = len(self.shown_tiles())
        parts = [self.tr("{n} mill").format(n=n) if n == 1 else self.tr("{n} mills").format(n=n)]
        if not alarm:
            parts.append(self.tr("no sensor in alarm"))
        elif alarm == 1:
            parts.append(self.tr("{n} sensor in alarm").format(n=alarm))
        else:
            parts.append(self.tr("{n} sensors in alarm").format(n=alarm))
        if bad:
            parts.append(self.tr("{n} bad").format(n=bad))
        self.summary.setText(" \u00b7 ".join(parts))

    # -- database figures ------------------------------------------------------------------------

    def set_loader(self, load_overview: LoadOverview | None) -> None:
        """The database half of the tiles (the workspace gives it once the services exist)."""
        self.load_overview = load_overview
        self.refresh_database()

    @Slot()
    def refresh_database(self) -> None:
        """Ask for fresh status, efficiency and alerts off the GUI thread (not while one is running)."""
        if self.load_overview is None:
            self.freshness.setText(self.tr("Production and alerts: not available on this workstation"))
            return
        if self.jobs.busy:
            self._again = True  # asked while one runs (e.g. a new user's mills): once more after it
            return
        self._again = False
        visible = self.visible_mills
        self.jobs.run(self.load_overview, self._on_loaded, self._on_failed, visible)

    def _again_if_asked(self) -> None:
        if self._again:
            QTimer.singleShot(0, self.refresh_database)

    def _on_loaded(self, rows: Sequence[Any]) -> None:
        self._again_if_asked()
        self.db_refreshes += 1
        self.last_db_ok = self._now()
        self.last_db_error = ""
        for r in rows:
            tile = self.tiles.get(r.slug)
            if tile is None:
                continue
            status = MillStatus(r.status)
            if status is not tile.data.status:
                self.statusChanged.emit(r.slug, status.value)
            tile.set_data(replace(tile.data, status=status, capacity=float(r.capacity),
                                  produced_today=r.produced_today, efficiency_today=r.efficiency_today,
                                  unacked_alerts_24h=int(r.unacked_alerts_24h)))
        self.freshness.setText(self.tr("Production and alerts as of {time}").format(time=fmt_time(self.last_db_ok)))
        set_state_property(self.freshness, "db", "ok")

    def _on_failed(self, exc: BaseException) -> None:
        self._again_if_asked()
        text = message_text(exc).strip()
        self.last_db_error = text.splitlines()[0] if text else type(exc).__name__
        if self.last_db_ok is None:
            self.freshness.setText(self.tr("Database unreachable"))
        else:
            self.freshness.setText(self.tr("Database unreachable: figures from {time}").format(
                time=fmt_time(self.last_db_ok)))
        self.freshness.setToolTip(self.last_db_error)
        set_state_property(self.freshness, "db", "down")

    # -- layout ----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._relayout()
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._relayout()

    def columns_for(self, width: int) -> int:
        usable = width - 2 * GRID_MARGIN + GRID_SPACING
        return max(1, usable // (TILE_MIN_WIDTH + GRID_SPACING))

    @property
    def columns(self) -> int:
        return self._columns

    def _relayout(self, force: bool = False) -> None:
        tiles = self.shown_tiles()
        cols = self.columns_for(self.scroll.viewport().width())  # not fewer for few mills: tiles stay tile-sized
        if cols == self._columns and not force:
            return
        self._columns = cols
        while self.grid.count():
            self.grid.takeAt(0)
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 0)
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 0)
        self.empty.setVisible(not tiles)
        if not tiles:
            self.grid.addWidget(self.empty, 0, 0)
            return
        for i, tile in enumerate(tiles):
            self.grid.addWidget(tile, i // cols, i % cols, Qt.AlignmentFlag.AlignLeft)
        for c in range(cols):
            self.grid.setColumnStretch(c, 1)
        self.grid.setRowStretch((len(tiles) - 1) // cols + 1, 1)  # tiles stay at the top

    def shutdown(self) -> None:
        """Stop the refresh timer and the worker thread (before the window goes)."""
        self.timer.stop()
        self.jobs.close()
