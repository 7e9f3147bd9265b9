"""The trend screen: pens picked from the plant tree (or dropped from any view showing sensors) drawn
live from the bridge or from history, with statistics, a cursor, saved views and exports.

    TrendScreen(plant, history=TrendHistory(engine, plant), bridge=bridge,
                views=TrendViews(engine), user=session.username)

- Live: a rolling window (1 min .. 24 h). Readings from `bridge.valuesChanged` go into one ring buffer
  per pen (O(1) per sample); the plot is redrawn by a timer at most `refresh_hz` times a second (2 Hz
  by default) and only when something changed. Pause freezes the picture (and lets the user pan and
  zoom it) while the buffers keep filling; resume shows everything that came in meanwhile. A pen
  added in live mode is backfilled from history.
- History: a range from the presets or custom; pan and zoom freely. Reads run on the screen's worker
  thread, for the visible range plus half a screen each side, at about two points per pixel
  (min/max decimated in the database, raw when zoomed in); a read the view has moved on from is
  cancelled.
- Gaps: bad quality and silences longer than the sensor's interval allows are NaN, drawn as gaps.

The GUI thread never touches the database: history, statistics, saved views and CSV exports all go
through `TrendWorker`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QFileDialog,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hmi.core.domain import Quality, Reading, Sensor
from hmi.core.plant import Plant
from hmi.core.ring_buffer import LiveSeries
from hmi.services.trends import (
    DEFAULT_SHIFT_STARTS,
    PRESETS,
    PenSpec,
    TrendDefinition,
    TrendHistory,
    TrendView,
    TrendViews,
    preset_range,
)
from hmi.ui.i18n import localise_file_dialog, message_text
from hmi.ui.theme import bind_stylesheet
from hmi.ui.trend_jobs import HistoryResult, describe_resolution, fetch_backfill, fetch_history, write_csv
from hmi.ui.trend_mime import euis_from_mime
from hmi.ui.trend_pens import Pen, PenTable, PenTableModel
from hmi.ui.trend_plot import TrendPlot, format_range
from hmi.ui.trend_sensor_tree import SensorTree
from hmi.ui.trend_style import TREND_QSS, PenColours
from hmi.ui.trend_toolbar import TrendToolbar, window_label
from hmi.ui.trend_views import KEYS as VIEW_KEYS
from hmi.ui.trend_views import SavedViewsController
from hmi.ui.trend_worker import JobResult, TrendWorker

DEFAULT_REFRESH_HZ = 2.0
HISTORY_DEBOUNCE_MS = 150
BACKFILL_RAW_LIMIT = 200_000  # samples per pen a live window is backfilled with at full resolution


class TrendScreen(QWidget):
    exported = Signal(str)  # the path of a CSV or PNG written
    historyLoaded = Signal()  # history for the current range is on the plot
    backfilled = Signal(str)  # a live pen got its history (EUI)
    viewsListed = Signal(list)  # list[TrendView] now in the views box
    viewSaved = Signal(object)  # TrendView
    failed = Signal(str)  # a message for the operator (also shown in the status line)
    retentionRequested = Signal()  # "Data retention…": the workspace opens the site setting

    def __init__(
        self,
        plant: Plant,
        history: TrendHistory | None = None,
        bridge: QObject | None = None,
        *,
        views: TrendViews | None = None,
        user: str = "",
        now: Callable[[], float] = time.time,
        refresh_hz: float = DEFAULT_REFRESH_HZ,
        shift_starts: tuple[int, ...] = DEFAULT_SHIFT_STARTS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trendScreen")
        bind_stylesheet(self, TREND_QSS)
        self.setAcceptDrops(True)
        self.export_dialog: QFileDialog | None = None
        self._plant = plant
        self._history = history
        self._bridge = bridge
        self._now = now
        self._shift_starts = shift_starts
        self._sensors: dict[str, Sensor] = {s.eui: s for s in plant.sensors()}
        self._mill_names = {m.slug: m.name for m in plant.mills}
        self._pens: dict[str, Pen] = {}
        self._colours = PenColours()
        self._mode = "live"
        self._window = 3600.0
        self._paused = False
        self._preset = "last_hour"
        self._custom: tuple[float, float] | None = None
        self._dirty = False
        self._last_draw = -math.inf
        self._setting_range = False
        self._hist_ticket = 0
        self._stats_ticket = 0
        self._hist_cover: tuple[float, float, float] | None = None  # t0, t1, bucket seconds
        self._hist_request: tuple[float, float, float] | None = None  # the same, of the read in flight
        self._resolution = ""  # of the history on the plot, for the status line
        self.draws = 0  # live redraws (tests and benchmarks)

        self.worker = TrendWorker(self)
        self.worker.finished.connect(self._on_job_finished)

        self._build_ui()
        self.views = SavedViewsController(self.toolbar, self.worker, views, user, self.definition, self)
        self.views.viewsListed.connect(self.viewsListed)
        self.views.viewSaved.connect(self.viewSaved)
        self.views.openRequested.connect(self.load_view)
        self.views.message.connect(self._on_views_message)

        self._refresh = QTimer(self)
        self._refresh.setInterval(max(round(1000.0 / max(refresh_hz, 0.1)), 20))
        self._refresh.timeout.connect(self._on_refresh)
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(HISTORY_DEBOUNCE_MS)
        self._fetch_timer.timeout.connect(self._request_history)

        if bridge is not None:
            bridge.valuesChanged.connect(self._on_values)  # type: ignore[attr-defined]
        self._apply_mode_ui()
        self._refresh.start()
        self.refresh_views()

    # -- construction ---------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        self.toolbar = TrendToolbar(self, history_available=self._history is not None)
        tb = self.toolbar
        self.live_button = tb.live_button
        self.history_button = tb.history_button
        self.live_controls = tb.live_controls
        self.window_box = tb.window_box
        self.pause_button = tb.pause_button
        self.history_controls = tb.history_controls
        self.preset_box = tb.preset_box
        self.from_edit = tb.from_edit
        self.to_edit = tb.to_edit
        self.apply_button = tb.apply_button
        self.layout_box = tb.layout_box
        self.cursor_button = tb.cursor_button
        self.views_box = tb.views_box
        self.views_button = tb.views_button
        self.save_action = tb.save_action
        self.save_as_action = tb.save_as_action
        self.share_action = tb.share_action
        self.delete_action = tb.delete_action
        self.export_button = tb.export_button
        self.export_csv_action = tb.export_csv_action
        self.export_png_action = tb.export_png_action
        tb.mode_group.buttonClicked.connect(self._on_mode_clicked)
        self.window_box.activated.connect(self._on_window_chosen)
        self.pause_button.toggled.connect(self._on_pause_toggled)
        self.preset_box.activated.connect(self._on_preset_chosen)
        self.apply_button.clicked.connect(self._on_apply_custom)
        self.layout_box.activated.connect(self._on_layout_chosen)
        self.cursor_button.toggled.connect(self._on_cursor_toggled)
        self.export_csv_action.triggered.connect(self._on_export_csv)
        self.export_png_action.triggered.connect(self._on_export_png)
        self.toolbar.retention_action.triggered.connect(self.retentionRequested)
        root.addWidget(tb)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("trendSplitter")
        split.setChildrenCollapsible(False)
        self.tree = SensorTree(self._plant, split)
        self.tree.sensorsActivated.connect(self._on_sensors_requested)
        right = QSplitter(Qt.Orientation.Vertical, split)
        right.setObjectName("trendSplitter")
        right.setChildrenCollapsible(False)
        self.plot = TrendPlot(right)
        self.plot.sensorsDropped.connect(self._on_sensors_requested)
        self.plot.rangeChanged.connect(self._on_range_changed)
        self.plot.manualRange.connect(self._on_manual_range)
        self.plot.cursorMoved.connect(self._on_cursor_moved)
        self.pen_model = PenTableModel(self)
        self.pen_model.visibilityToggled.connect(self._on_pen_visibility)
        self.pen_model.limitsToggled.connect(self._on_pen_limits)
        self.pen_table = PenTable(self.pen_model, right)
        self.pen_table.removeRequested.connect(self._on_remove_requested)
        right.addWidget(self.plot)
        right.addWidget(self.pen_table)
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        right.setSizes([520, 150])
        split.addWidget(self.tree)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([270, 1000])
        self.tree.setMinimumWidth(180)
        root.addWidget(split, 1)

        self.status = QLabel(self)
        self.status.setObjectName("trendStatus")
        root.addWidget(self.status)

    # -- pens ---------------------------------------------------------------------------------------------
    def pens(self) -> list[str]:
        return list(self._pens)

    def pen(self, eui: str) -> Pen:
        return self._pens[eui]

    def add_pen(self, eui: str, *, colour: str = "", show_limits: bool = False, visible: bool = True) -> bool:
        return self.add_pens([PenSpec(eui, colour, show_limits, visible)]) == 1

    def add_pens(self, specs: Iterable[PenSpec | str]) -> int:
        """Add pens (EUIs or PenSpecs); sensors unknown to the plant or already trended are skipped."""
        added = []
        for spec in specs:
            spec = PenSpec(spec) if isinstance(spec, str) else spec
            sensor = self._sensors.get(spec.eui)
            if sensor is None or spec.eui in self._pens:
                continue
            colour, dashed = self._colours.assign(spec.eui, spec.colour)
            pen = Pen(
                sensor=sensor,
                mill_name=self._mill_names.get(sensor.mill_slug, sensor.mill_slug),
                colour=colour,
                dashed=dashed,
                live=LiveSeries(self._window, sensor.sampling_interval),
                visible=spec.visible,
                show_limits=spec.show_limits and bool(sensor.thresholds.as_dict()),
            )
            self._pens[spec.eui] = pen
            added.append(pen)
        if not added:
            return 0
        self._pens_changed()
        if self._mode == "live":
            self._backfill([p.eui for p in added])
            self._draw_live(self._now())
        else:
            self._request_history(force=True)
        return len(added)

    def remove_pens(self, euis: Iterable[str]) -> None:
        removed = False
        for eui in list(euis):
            if self._pens.pop(eui, None) is not None:
                self._colours.release(eui)
                self.worker.cancel(f"backfill:{eui}")
                removed = True
        if removed:
            self._pens_changed()

    def clear_pens(self) -> None:
        self.remove_pens(list(self._pens))

    def _pens_changed(self) -> None:
        pens = list(self._pens.values())
        self.plot.set_pens(pens)
        self.pen_model.set_pens(pens)
        if self._mode == "live":
            for p in pens:
                p.drawn_version = -1
        self._update_status()

    @Slot(list)
    def _on_sensors_requested(self, euis: list[str]) -> None:
        self.add_pens(euis)

    @Slot(list)
    def _on_remove_requested(self, euis: list[str]) -> None:
        self.remove_pens(euis)

    @Slot(str, bool)
    def _on_pen_visibility(self, eui: str, visible: bool) -> None:
        self.plot.set_pen_visible(eui, visible)

    @Slot(str, bool)
    def _on_pen_limits(self, eui: str, shown: bool) -> None:
        pen = self._pens.get(eui)
        if pen is not None:
            self.plot.set_limits(pen, shown)

    def show_limits(self, eui: str, shown: bool = True) -> None:
        pen = self._pens[eui]
        if not pen.sensor.thresholds.as_dict():
            return
        pen.show_limits = shown
        self.plot.set_limits(pen, shown)
        self.pen_model.refresh_values()

    # -- drops anywhere on the screen -----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if euis_from_mime(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if euis_from_mime(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        euis = euis_from_mime(event.mimeData())
        if euis:
            event.acceptProposedAction()
            self.add_pens(euis)

    # -- modes ----------------------------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        if mode not in ("live", "history"):
            raise ValueError(f"unknown mode {mode!r}")
        if mode == "history" and self._history is None:
            raise RuntimeError("no history service: the trend screen is live only")
        if mode == self._mode:
            return
        self._mode = mode
        (self.live_button if mode == "live" else self.history_button).setChecked(True)
        self.worker.cancel("history")
        self.worker.cancel("stats")
        self.plot.clear_curves()
        for p in self._pens.values():
            p.history = None
            p.stats = None
            p.drawn_version = -1
        self._hist_cover = None
        self._hist_request = None
        self._resolution = ""
        self._apply_mode_ui()
        if mode == "live":
            self._backfill(list(self._pens))
            self._draw_live(self._now())
        else:
            for eui in self._pens:
                self.worker.cancel(f"backfill:{eui}")
            self._show_history_range()
        self.pen_model.refresh_values()

    @Slot(QAbstractButton)
    def _on_mode_clicked(self, button: QAbstractButton) -> None:
        self.set_mode("live" if button is self.live_button else "history")

    def _apply_mode_ui(self) -> None:
        live = self._mode == "live"
        self.live_controls.setVisible(live)
        self.history_controls.setVisible(not live)
        self.plot.set_interactive(not live or self._paused, not live or self._paused)
        self._update_custom_controls()
        self._update_status()

    # -- live ------------------------------------------------------------------------------------------------
    @property
    def live_window(self) -> float:
        return self._window

    def set_live_window(self, seconds: float) -> None:
        if not seconds > 0:
            raise ValueError("the live window must be positive")
        grew = seconds > self._window
        self._window = float(seconds)
        idx = self.window_box.findData(float(seconds))
        if idx >= 0:
            self.window_box.setCurrentIndex(idx)
        for p in self._pens.values():
            p.live.set_window(self._window)
        if self._mode == "live":
            if grew:
                self._backfill(list(self._pens))
            self._draw_live(self._now())
        self._update_status()

    @Slot(int)
    def _on_window_chosen(self, index: int) -> None:
        self.set_live_window(float(self.window_box.itemData(index)))

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        self.pause_button.setChecked(True)

    def resume(self) -> None:
        self.pause_button.setChecked(False)

    @Slot(bool)
    def _on_pause_toggled(self, paused: bool) -> None:
        self._paused = paused
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        self._apply_mode_ui()
        if not paused and self._mode == "live":
            self.plot.auto_range_y()
            self._draw_live(self._now())

    @Slot(object)
    def _on_values(self, values: dict[str, Reading]) -> None:
        """Readings from the bridge (GUI thread, <= 10 Hz): into the pens' ring buffers, nothing drawn."""
        if len(values) < len(self._pens):
            pens = self._pens
            for eui, r in values.items():
                pen = pens.get(eui)
                if pen is not None and pen.live.add(r.ts, r.value, r.quality != Quality.BAD):
                    self._dirty = True
        else:
            for eui, pen in self._pens.items():
                r = values.get(eui)
                if r is not None and pen.live.add(r.ts, r.value, r.quality != Quality.BAD):
                    self._dirty = True

    @Slot()
    def _on_refresh(self) -> None:
        if self._mode != "live" or self._paused:
            return
        now = self._now()
        if self._dirty or now - self._last_draw >= 1.0:  # the time axis moves on even without data
            self._draw_live(now)

    def _draw_live(self, now: float) -> None:
        t0 = now - self._window
        margin = 0.02 * self._window
        for pen in self._pens.values():
            series = pen.live
            if series.version != pen.drawn_version:
                ts, v = series.visible(t0 - margin)
                self.plot.set_curve(pen.eui, ts.copy(), v.copy())  # the ring buffer reuses its storage
                pen.drawn_version = series.version
            pen.stats = series.stats(t0, now)
        self._setting_range = True
        try:
            self.plot.set_x_range(t0, now)
        finally:
            self._setting_range = False
        cursor = self.plot.cursor_time()
        if cursor is not None:
            for pen in self._pens.values():
                pen.cursor_value = pen.live.value_at(cursor)
        self.pen_model.refresh_values()
        self._dirty = False
        self._last_draw = now
        self.draws += 1

    def refresh_now(self) -> None:
        """Redraw the live view at once (tests; the timer does it otherwise)."""
        if self._mode == "live":
            self._draw_live(self._now())

    def _backfill(self, euis: list[str]) -> None:
        if self._history is None:
            return
        now = self._now()
        t0 = now - self._window
        px = self.plot.pixel_width()
        for eui in euis:
            pen = self._pens.get(eui)
            if pen is None:
                continue
            oldest = pen.live.view()[0]
            t1 = float(oldest[0]) if len(oldest) else now
            if t1 <= t0:
                continue
            expected = (t1 - t0) / max(pen.sensor.sampling_interval, 0.05)
            max_points = None if expected <= BACKFILL_RAW_LIMIT else 4 * px
            history = self._history
            self.worker.submit(
                f"backfill:{eui}",
                lambda token, h=history, e=eui, a=t0, b=t1, m=max_points: fetch_backfill(h, e, a, b, m, token),
            )

    # -- history ------------------------------------------------------------------------------------------------
    @property
    def preset(self) -> str:
        return self._preset

    def history_range(self) -> tuple[float, float]:
        if self._preset == "custom":
            if self._custom is not None:
                return self._custom
            return preset_range("last_hour", self._now())
        return preset_range(self._preset, self._now(), shift_starts=self._shift_starts)

    def apply_preset(self, preset: str) -> None:
        if preset not in dict(PRESETS):
            raise ValueError(f"unknown range preset {preset!r}")
        if preset == "custom":
            self._custom = self._custom or self.history_range()
        self._preset = preset
        self.preset_box.setCurrentIndex(self.preset_box.findData(preset))
        self._update_custom_controls()
        if self._mode == "history":
            self._show_history_range()

    def set_history_range(self, t0: float, t1: float) -> None:
        if not t1 > t0:
            raise ValueError("the range ends before it starts")
        self._custom = (float(t0), float(t1))
        self._preset = "custom"
        self.preset_box.setCurrentIndex(self.preset_box.findData("custom"))
        self._update_custom_controls()
        if self._mode == "history":
            self._show_history_range()

    def _show_history_range(self) -> None:
        t0, t1 = self.history_range()
        self.plot.set_x_range(t0, t1)
        self.plot.auto_range_y()
        self._request_history(force=True)

    def _update_custom_controls(self) -> None:
        custom = self._preset == "custom"
        t0, t1 = self.history_range()
        for edit, t in ((self.from_edit, t0), (self.to_edit, t1)):
            edit.blockSignals(True)
            edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(t)))
            edit.blockSignals(False)
        self.from_edit.setEnabled(custom)
        self.to_edit.setEnabled(custom)
        self.apply_button.setEnabled(custom)

    @Slot(int)
    def _on_preset_chosen(self, index: int) -> None:
        self.apply_preset(str(self.preset_box.itemData(index)))

    @Slot()
    def _on_apply_custom(self) -> None:
        t0 = float(self.from_edit.dateTime().toSecsSinceEpoch())
        t1 = float(self.to_edit.dateTime().toSecsSinceEpoch())
        if t1 <= t0:
            self._set_status(self.tr("The range must end after it starts"), error=True)
            return
        self.set_history_range(t0, t1)

    @Slot(float, float)
    def _on_range_changed(self, _x0: float, _x1: float) -> None:
        if self._mode == "history" and not self._setting_range:
            self._fetch_timer.start()

    @Slot()
    def _on_manual_range(self) -> None:
        if self._mode == "history" and self._preset != "custom":
            # The user moved away from "last hour" & co: the view is now a custom range.
            self._custom = self.plot.x_range()
            self._preset = "custom"
            self.preset_box.setCurrentIndex(self.preset_box.findData("custom"))
            self._update_custom_controls()

    def _request_history(self, force: bool = False) -> None:
        if self._mode != "history" or self._history is None:
            return
        x0, x1 = self.plot.x_range()
        if self._preset == "custom":
            self._custom = (x0, x1)
            self._update_custom_controls()
        euis = list(self._pens)
        if not euis or not x1 > x0:
            return
        px = self.plot.pixel_width()
        span = x1 - x0
        # What is on the plot, or on its way (a read in flight for a range that covers this view).
        cover = self._hist_request or self._hist_cover
        if (not force and cover is not None and cover[0] <= x0 and x1 <= cover[1]
                and cover[2] <= 1.5 * span / px):
            # That covers the view at a pixel's resolution: only the statistics of the view are new.
            self._stats_ticket = self.worker.submit(
                "stats", lambda token, h=self._history, e=euis, v=(x0, x1): fetch_history(
                    h, e, v[0], v[1], 4, v, False, token)
            )
            return
        f0, f1 = x0 - 0.5 * span, x1 + 0.5 * span
        max_points = 4 * px
        self.worker.cancel("stats")
        self._hist_request = (f0, f1, span / px)  # about a pixel per min/max bucket
        self._hist_ticket = self.worker.submit(
            "history",
            lambda token, h=self._history, e=euis, a=f0, b=f1, m=max_points, v=(x0, x1): fetch_history(
                h, e, a, b, m, v, True, token),
        )
        self._set_status(self.tr("Loading history\u2026"))

    def wait_idle(self) -> bool:
        """True when no read is queued or running (tests)."""
        return not self.worker.busy() and not self._fetch_timer.isActive()

    # -- worker results ------------------------------------------------------------------------------------------
    @Slot(object)
    def _on_job_finished(self, result: JobResult) -> None:
        key = result.key
        if self.views.handle(result):
            return
        if not result.ok:
            if key == "history" and result.ticket == self._hist_ticket:
                self._hist_request = None
            reason = message_text(result.error)
            self._set_status(self.tr("{what} failed: {reason}").format(
                what=self._job_title(key), reason=f"{type(result.error).__name__}: {reason}"), error=True)
            self.failed.emit(reason)
            return
        if key == "history" and result.ticket == self._hist_ticket:
            self._hist_request = None
            self._apply_history(result.value, with_series=True)
        elif key == "stats" and result.ticket == self._stats_ticket:
            self._apply_history(result.value, with_series=False)
        elif key.startswith("backfill:"):
            eui, series = result.value
            pen = self._pens.get(eui)
            if pen is not None and self._mode == "live":
                pen.live.load_history(series.ts, series.values)
                self._dirty = True
                if not self._paused:
                    self._draw_live(self._now())
                self.backfilled.emit(eui)
        elif key == "export":
            self._set_status(self.tr("Exported {path}").format(path=result.value))
            self.exported.emit(str(result.value))

    def _job_title(self, key: str) -> str:
        if key.startswith("backfill"):
            return self.tr("History backfill")
        titles = {"history": self.tr("History"), "stats": self.tr("Statistics"), "export": self.tr("Export")}
        return titles.get(key) or VIEW_KEYS.get(key, key)

    def _apply_history(self, res: HistoryResult, *, with_series: bool) -> None:
        if self._mode != "history":
            return
        if with_series:
            widths = []
            for eui, series in res.series.items():
                pen = self._pens.get(eui)
                if pen is None:
                    continue
                pen.history = series
                self.plot.set_curve(eui, series.ts, series.values)
                widths.append(series.bucket_seconds)
            self._hist_cover = (res.t0, res.t1, max(widths) if widths else 0.0)
        for eui, stats in res.stats.items():
            pen = self._pens.get(eui)
            if pen is not None:
                pen.stats = stats
        self._update_cursor_values()
        self.pen_model.refresh_values()
        self._update_status(res)
        if with_series:
            self.historyLoaded.emit()

    # -- layout and cursor -----------------------------------------------------------------------------------
    @property
    def layout_mode(self) -> str:
        return self.plot.layout_mode

    def set_layout_mode(self, mode: str) -> None:
        self.plot.set_layout_mode(mode)
        self.layout_box.setCurrentIndex(self.layout_box.findData(mode))
        self._refill_plot()

    @Slot(int)
    def _on_layout_chosen(self, index: int) -> None:
        self.set_layout_mode(str(self.layout_box.itemData(index)))

    def _refill_plot(self) -> None:
        if self._mode == "live":
            for p in self._pens.values():
                p.drawn_version = -1
            self._draw_live(self._now())

    def set_cursor(self, t: float | None) -> None:
        self.cursor_button.blockSignals(True)
        self.cursor_button.setChecked(t is not None)
        self.cursor_button.blockSignals(False)
        self.plot.set_cursor(t)
        if t is None:
            for p in self._pens.values():
                p.cursor_value = None
            self.pen_model.refresh_values()

    @Slot(bool)
    def _on_cursor_toggled(self, on: bool) -> None:
        if on:
            x0, x1 = self.plot.x_range()
            self.set_cursor(x0 + 0.75 * (x1 - x0))
        else:
            self.set_cursor(None)

    @Slot(float)
    def _on_cursor_moved(self, _t: float) -> None:
        self._update_cursor_values()
        self.pen_model.refresh_values()

    def _update_cursor_values(self) -> None:
        t = self.plot.cursor_time()
        for pen in self._pens.values():
            if t is None:
                pen.cursor_value = None
            elif self._mode == "live":
                pen.cursor_value = pen.live.value_at(t)
            else:
                pen.cursor_value = pen.history_value_at(t)

    def cursor_values(self) -> dict[str, float | None]:
        return {eui: p.cursor_value for eui, p in self._pens.items()}

    # -- exports -------------------------------------------------------------------------------------------------
    def visible_data(self) -> list[tuple[Pen, Any, Any, str]]:
        """Per visible pen: (pen, ts, values, resolution) of what the plot shows in its X range."""
        x0, x1 = self.plot.x_range()
        out = []
        for pen in self._pens.values():
            if not pen.visible:
                continue
            if self._mode == "live":
                ts, v = pen.live.visible(x0, x1)
                ts, v = ts[ts >= x0].copy(), v[ts >= x0].copy()
                resolution = "raw"
            else:
                ts, v = pen.history_visible(x0, x1)
                ts, v = ts.copy(), v.copy()
                h = pen.history
                resolution = "raw" if h is None or not h.decimated else f"min/max per {h.bucket_seconds:g} s"
            out.append((pen, ts, v, resolution))
        return out

    def export_csv(self, path: str | Path) -> None:
        """Write the visible data (one row per point, every visible pen) on the worker; `exported` follows."""
        rows = self.visible_data()
        target = Path(path)
        self.worker.submit("export", lambda token, p=target, r=rows: write_csv(p, r, token))

    def export_png(self, path: str | Path) -> bool:
        ok = self.plot.grab().save(str(path))
        if ok:
            self._set_status(self.tr("Exported {path}").format(path=path))
            self.exported.emit(str(path))
        else:
            self._set_status(self.tr("Could not write {path}").format(path=path), error=True)
        return ok

    def _file_dialog(self, title: str, pattern: str, suffix: str, slot: Callable[[str], None]) -> None:
        dialog = QFileDialog(self, title)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(pattern)
        dialog.setDefaultSuffix(suffix)
        stamp = datetime.fromtimestamp(self._now()).strftime("%Y%m%d-%H%M")
        dialog.selectFile(f"trend-{stamp}.{suffix}")
        # Non-modal: a window-modal dialog would block the main window and with it the stop column.
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # a native one may be modal
        localise_file_dialog(dialog)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setMinimumSize(820, 520)  # set before show(): no size-hint changes on a shown window
        dialog.fileSelected.connect(slot)
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.show()

    @Slot()
    def _on_export_csv(self) -> None:
        self._file_dialog(self.tr("Export visible data"), self.tr("CSV files (*.csv)"), "csv", self._on_csv_path)

    @Slot()
    def _on_export_png(self) -> None:
        self._file_dialog(self.tr("Export plot"), self.tr("PNG images (*.png)"), "png", self._on_png_path)

    @Slot(str)
    def _on_csv_path(self, path: str) -> None:
        self.export_csv(path)

    @Slot(str)
    def _on_png_path(self, path: str) -> None:
        self.export_png(path)

    # -- saved views -------------------------------------------------------------------------------------------------
    @property
    def user(self) -> str:
        return self.views.user

    def set_user(self, user: str) -> None:
        self.views.set_user(user)

    def definition(self) -> TrendDefinition:
        t0 = t1 = None
        if self._preset == "custom":
            t0, t1 = self.plot.x_range() if self._mode == "history" else self.history_range()
        return TrendDefinition(
            pens=tuple(PenSpec(p.eui, p.colour, p.show_limits, p.visible) for p in self._pens.values()),
            mode=self._mode, window=self._window, preset=self._preset, t0=t0, t1=t1,
            layout=self.plot.layout_mode,
        )

    def apply_definition(self, d: TrendDefinition) -> None:
        self.clear_pens()
        self._colours.clear()
        self.plot.set_layout_mode(d.layout)
        self.layout_box.setCurrentIndex(self.layout_box.findData(d.layout))
        self._window = d.window
        idx = self.window_box.findData(d.window)
        if idx >= 0:
            self.window_box.setCurrentIndex(idx)
        if d.preset == "custom" and d.t0 is not None and d.t1 is not None:
            self._custom = (d.t0, d.t1)
        self._preset = d.preset
        self.preset_box.setCurrentIndex(self.preset_box.findData(d.preset))
        mode = d.mode if (d.mode == "live" or self._history is not None) else "live"
        if mode != self._mode:
            self.set_mode(mode)
        self.add_pens(d.pens)
        if self._mode == "history":
            self._show_history_range()
        self._update_custom_controls()

    def refresh_views(self) -> None:
        self.views.refresh()

    def saved_views(self) -> list[TrendView]:
        return self.views.views()

    @Slot(object)
    def load_view(self, view: TrendView) -> None:
        self.apply_definition(view.definition)
        self.views.opened(view)
        own = view.owner == self.user
        text = self.tr("View \u201c{name}\u201d") if own else self.tr("View \u201c{name}\u201d by {owner}")
        self._set_status(text.format(name=view.name, owner=view.owner))

    def save_view(self, name: str, *, shared: bool = False) -> None:
        """Save the screen as the user's view `name` (on the worker; `viewSaved` follows)."""
        self.views.save(name, shared=shared)

    @Slot(str, bool)
    def _on_views_message(self, text: str, error: bool) -> None:
        self._set_status(text, error=error)

    # -- status ---------------------------------------------------------------------------------------------------
    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        state = "error" if error else ""
        if self.status.property("state") != state:
            self.status.setProperty("state", state)
            self.status.style().unpolish(self.status)
            self.status.style().polish(self.status)

    def _update_status(self, res: HistoryResult | None = None) -> None:
        n = len(self._pens)
        pens = self.tr("1 pen") if n == 1 else self.tr("{n} pens").format(n=n)
        if self._mode == "live":
            if self._paused:
                self._set_status(self.tr("Live \u00b7 paused \u2014 readings are still recorded \u00b7 {pens}").format(
                    pens=pens))
            else:
                self._set_status(self.tr("Live \u00b7 last {window} \u00b7 {pens}").format(
                    window=window_label(self._window), pens=pens))
            return
        x0, x1 = self.plot.x_range()
        parts = [self.tr("History \u00b7 {range} \u00b7 {pens}").format(range=format_range(x0, x1), pens=pens)]
        if res is not None and res.series:
            self._resolution = describe_resolution(res.series.values())
        if self._resolution:
            parts.append(self._resolution)
        if res is not None and res.errors:
            parts.append(self.tr("no history for {sensors}").format(sensors=", ".join(sorted(res.errors))))
        self._set_status(" \u00b7 ".join(parts))

    # -- lifecycle -----------------------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop timers, leave the bridge and end the worker thread (call before the window goes)."""
        self._refresh.stop()
        self._fetch_timer.stop()
        if self._bridge is not None:
            try:
                self._bridge.valuesChanged.disconnect(self._on_values)  # type: ignore[attr-defined]
            except (RuntimeError, TypeError):
                pass
            self._bridge = None
        self.worker.close()
