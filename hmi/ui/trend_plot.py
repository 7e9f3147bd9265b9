"""The trend plot: pyqtgraph with a date/time axis, one Y axis per unit (overlaid) or one pane per unit
(stacked), threshold lines on request, a cursor, a legend, and sensors dropped from other views.

Every curve has clip-to-view and automatic peak downsampling switched on before it gets data, and
draws NaN as a gap (`connect="finite"`). The plot keeps no data model of its own beyond the arrays
last handed to each curve, so the structure can be rebuilt (units or layout changed) and refilled.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QDateTime, QLineF, QLocale, QPointF, QRectF, Qt, QTimeZone, Signal, Slot
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QFont
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QWidget

# isort: split
import numpy as np
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it

from hmi.ui.i18n import fmt_date, fmt_datetime, fmt_time
from hmi.ui.theme import on_theme_changed, theme_colour
from hmi.ui.trend_mime import euis_from_mime
from hmi.ui.trend_pens import Pen, format_general
from hmi.ui.trend_style import (
    AXIS_PEN,
    AXIS_TEXT,
    CURSOR_COLOUR,
    GRID_COLOUR,
    LEGEND_BACKGROUND,
    LEGEND_BORDER,
    PEN_WIDTH,
    PLOT_BACKGROUND,
    PLOT_FRAME,
)

LAYOUTS = ("axes", "stacked")
AXIS_WIDTH = 64
LIMIT_NAMES = (("critical_max", "HH"), ("warning_max", "H"), ("warning_min", "L"), ("critical_min", "LL"))


def format_time(t: float, span: float | None = None) -> str:
    """Local time for the cursor label, as precise as the view's span calls for, in the user's locale."""
    if span is None or span < 6 * 3600:
        return fmt_time(t)
    if span < 7 * 86400:  # the weekday and day of the month, then the time ("Tue 24 14:05", "di 24 14:05")
        day = QLocale().toString(QDateTime.fromMSecsSinceEpoch(round(t * 1000), QTimeZone.systemTimeZone()), "ddd d")
        return f"{day} {fmt_time(t, seconds=False)}"
    return fmt_datetime(t, seconds=False)


def format_range(t0: float, t1: float) -> str:
    """"24-11-2026 06:00 – 14:00" in the user's locale, or both dates when the range crosses midnight."""
    if fmt_date(t0) == fmt_date(t1):
        return f"{fmt_datetime(t0, seconds=False)} \u2013 {fmt_time(t1, seconds=False)}"
    return f"{fmt_datetime(t0, seconds=False)} \u2013 {fmt_datetime(t1, seconds=False)}"


_EN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EN_NAME = re.compile(r"\b(" + "|".join(_EN_DAYS + _EN_MONTHS) + r")\b")


class DateAxis(pg.DateAxisItem):
    """pyqtgraph's date/time axis with weekday and month names in the user's language (pyqtgraph writes
    them with `strftime` in the C locale, that is in English); numbers and times are left as they are."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        strings = super().tickStrings(values, scale, spacing)
        loc = QLocale()

        def local(m: re.Match[str]) -> str:
            name = m.group(1)
            if name in _EN_DAYS:
                return loc.dayName(_EN_DAYS.index(name) + 1, QLocale.FormatType.ShortFormat)
            return loc.monthName(_EN_MONTHS.index(name) + 1, QLocale.FormatType.ShortFormat)

        return [_EN_NAME.sub(local, s) for s in strings]


class ThresholdLine(pg.InfiniteLine):
    """A horizontal limit line that counts in the Y auto-range (a plain InfiniteLine would pull 0 in)."""

    def dataBounds(self, axis: int, frac: float = 1.0, orthoRange: Any = None) -> tuple[float, float] | None:
        if axis == 1:
            v = float(self.value())
            return (v, v)
        return None


class _TimeLabel(pg.InfLineLabel):
    """The cursor's time, as precise as the span of `view` (the main view box) calls for."""

    def __init__(self, line: pg.InfiniteLine, view: pg.ViewBox, **kwargs: Any) -> None:
        self._view = view
        super().__init__(line, **kwargs)

    def valueChanged(self) -> None:
        if not self.isVisible():
            return
        x0, x1 = self._view.viewRange()[0]
        self.setText(format_time(float(self.line.value()), x1 - x0))
        self.updatePosition()


class _Grid(QGraphicsObject):
    """Light grid lines at the major ticks of a plot's axes, drawn with a cosmetic pen.

    pyqtgraph's own grid (`showGrid`) replays each axis' recorded picture, lines across the whole view
    included, every frame: about 9 ms a redraw here, a third of a 1 M-point redraw. This draws the same
    lines directly. It is a child of the ViewBox in the box's pixel coordinates, so its bounding rect
    changes only when the box is resized (never while the scene paints), and a range change only
    schedules a repaint."""

    def __init__(self, plot: pg.PlotItem, colour: str) -> None:
        super().__init__(plot.vb)
        self._plot: pg.PlotItem | None = plot
        self._rect = QRectF(plot.vb.boundingRect())
        self._pen = pg.mkPen(colour, width=1)
        self._pen.setCosmetic(True)
        self.setZValue(-1)  # under the curves (the box's child group)
        plot.vb.sigRangeChanged.connect(self._on_range)
        plot.vb.sigResized.connect(self._on_resized)

    def detach(self) -> None:
        """Leave the plot before it goes (Qt calls boundingRect while items are destroyed)."""
        plot, self._plot = self._plot, None
        if plot is None:
            return
        plot.vb.sigRangeChanged.disconnect(self._on_range)
        plot.vb.sigResized.disconnect(self._on_resized)
        scene = self.scene()
        if scene is not None:
            scene.removeItem(self)

    @Slot(object, object)
    def _on_range(self, *_args: object) -> None:
        self.update()

    @Slot(object)
    def _on_resized(self, *_args: object) -> None:
        if self._plot is not None:
            self.prepareGeometryChange()
            self._rect = QRectF(self._plot.vb.boundingRect())

    def boundingRect(self) -> QRectF:
        return self._rect  # no call into other items: this runs during their destruction too

    def _ticks(self, plot: pg.PlotItem, axis: str, lo: float, hi: float, size: float) -> list[float]:
        ax = plot.getAxis(axis)
        if isinstance(ax, pg.DateAxisItem):
            # Not ax.tickValues(): that measures text with the font metrics of the last painter the axis
            # had, which may be gone (a use after free). The zoom level the axis chose when it last
            # painted gives the same ticks without touching fonts.
            level = getattr(ax, "zoomLevel", None)
            if level is None:
                return []
            levels = level.tickValues(lo, hi, minSpc=ax.minSpacing)
        else:
            levels = ax.tickValues(lo, hi, size)
        out: list[float] = []
        for _spacing, values in levels[: 2 if axis == "bottom" else 1]:
            out.extend(v for v in values if lo <= v <= hi)
        return out

    def paint(self, p: Any, *_args: object) -> None:
        plot = self._plot
        if plot is None:
            return
        box = self._rect
        (x0, x1), (y0, y1) = plot.vb.viewRange()
        w, h = box.width(), box.height()
        if w <= 0 or h <= 0 or x1 <= x0 or y1 <= y0:
            return
        sx, sy = w / (x1 - x0), h / (y1 - y0)
        lines = [QLineF((x - x0) * sx, 0.0, (x - x0) * sx, h) for x in self._ticks(plot, "bottom", x0, x1, w)]
        lines += [QLineF(0.0, (y1 - y) * sy, w, (y1 - y) * sy) for y in self._ticks(plot, "left", y0, y1, h)]
        if lines:
            p.setPen(self._pen)
            p.drawLines(lines)


@dataclass
class _Pane:
    unit: str
    vb: pg.ViewBox
    axis: pg.AxisItem
    plot: pg.PlotItem | None = None  # the PlotItem whose view this is (None: an overlaid ViewBox)
    curves: dict[str, pg.PlotDataItem] = field(default_factory=dict)
    limits: dict[str, list[ThresholdLine]] = field(default_factory=dict)
    cursor: pg.InfiniteLine | None = None


def _colour(light: str, *, background: bool = False, alpha: int | None = None) -> QColor:
    """A colour written in the light theme's palette, in the active theme (the dark theme maps every
    plot and pen colour to one that reads on its dark plot background)."""
    colour = theme_colour(light, background=background)
    if alpha is not None:
        colour.setAlpha(alpha)
    return colour


def _qpen(colour: str, dashed: bool = False, width: float = PEN_WIDTH) -> Any:
    pen = pg.mkPen(_colour(colour), width=width)
    pen.setCosmetic(True)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


class TrendPlot(pg.GraphicsLayoutWidget):
    rangeChanged = Signal(float, float)  # the X range now shown (any cause)
    manualRange = Signal()  # the user panned or zoomed with the mouse
    cursorMoved = Signal(float)  # the cursor's time
    sensorsDropped = Signal(list)  # list[str] of EUIs dropped on the plot

    def __init__(self, parent: QWidget | None = None, *, antialias: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("trendPlot")
        self.setBackground(_colour(PLOT_BACKGROUND, background=True))
        self.setAcceptDrops(True)
        self.setAntialiasing(antialias)
        self.ci.setContentsMargins(4, 8, 8, 4)
        self.ci.setSpacing(6)
        self._mode = "axes"
        self._pens: list[Pen] = []
        self._panes: list[_Pane] = []
        self._pane_of: dict[str, _Pane] = {}
        self._data: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._overlays: list[pg.ViewBox] = []
        self._grids: list[_Grid] = []
        self._legend: pg.LegendItem | None = None
        self._cursor_on = False
        self._cursor_t: float | None = None
        self._syncing_cursor = False
        self._interactive = (True, True)
        self._font = QFont()
        self._font.setPointSize(9)
        self._rebuild()
        on_theme_changed(self, self._on_theme)

    def _on_theme(self, _theme: str) -> None:
        """Plot, axes, grid, legend and pens in the new theme's colours (data and range are kept)."""
        self.setBackground(_colour(PLOT_BACKGROUND, background=True))
        self._rebuild()

    # -- structure ------------------------------------------------------------------------------------
    @property
    def layout_mode(self) -> str:
        return self._mode

    def set_layout_mode(self, mode: str) -> None:
        if mode not in LAYOUTS:
            raise ValueError(f"layout must be one of {LAYOUTS}")
        if mode != self._mode:
            self._mode = mode
            self._rebuild()

    def set_pens(self, pens: Iterable[Pen]) -> None:
        """The pens to draw, in order (rebuilds the axes; data handed in before is kept)."""
        self._pens = list(pens)
        keep = {p.eui for p in self._pens}
        self._data = {k: v for k, v in self._data.items() if k in keep}
        self._rebuild()

    def units(self) -> list[str]:
        return [p.unit for p in self._panes]

    def _style_axis(self, axis: pg.AxisItem) -> None:
        axis.setPen(pg.mkPen(_colour(AXIS_PEN)))
        axis.setTextPen(pg.mkPen(_colour(AXIS_TEXT)))
        axis.setStyle(tickFont=self._font, tickTextOffset=5)

    def _new_plot(self, row: int, show_time: bool) -> pg.PlotItem:
        plot = self.addPlot(row=row, col=0, axisItems={"bottom": DateAxis(orientation="bottom")})
        plot.setClipToView(True)  # before any curve exists
        plot.setDownsampling(auto=True, mode="peak")
        plot.setMenuEnabled(False)
        plot.hideButtons()
        self._grids.append(_Grid(plot, _colour(GRID_COLOUR)))
        plot.vb.setBorder(pg.mkPen(_colour(PLOT_FRAME)))
        for name in ("left", "bottom"):
            self._style_axis(plot.getAxis(name))
        plot.getAxis("left").setWidth(AXIS_WIDTH)
        if not show_time:
            plot.getAxis("bottom").setStyle(showValues=False)
            plot.getAxis("bottom").setHeight(6)
        plot.vb.setMouseEnabled(*self._interactive)
        return plot

    def _rebuild(self) -> None:
        x_range = self.x_range() if self._panes else None
        self._teardown()
        units = list(dict.fromkeys(p.unit for p in self._pens)) or [""]
        if self._mode == "axes":
            plot = self._new_plot(0, True)
            self._panes.append(_Pane(units[0], plot.vb, plot.getAxis("left"), plot))
            for i, unit in enumerate(units[1:]):
                if i == 0:
                    plot.showAxis("right")
                    axis = plot.getAxis("right")
                else:
                    axis = pg.AxisItem("right")
                    plot.layout.addItem(axis, 2, 2 + i)
                self._style_axis(axis)
                axis.setWidth(AXIS_WIDTH)
                vb = pg.ViewBox()
                vb.setZValue(-100)  # under the main view: its legend, limits and cursor stay on top, it takes the mouse
                vb.setMouseEnabled(*self._interactive)
                plot.scene().addItem(vb)
                axis.linkToView(vb)
                vb.setXLink(plot.vb)
                self._overlays.append(vb)
                self._panes.append(_Pane(unit, vb, axis, None))
            plot.vb.sigResized.connect(self._sync_overlays)
        else:
            first = None
            for i, unit in enumerate(units):
                plot = self._new_plot(i, i == len(units) - 1)
                if first is None:
                    first = plot
                else:
                    plot.setXLink(first)
                self._panes.append(_Pane(unit, plot.vb, plot.getAxis("left"), plot))
        for pane in self._panes:
            pane.axis.setLabel(pane.unit, color=_colour(AXIS_TEXT).name())
            pane.vb.enableAutoRange(axis=pg.ViewBox.YAxis, enable=True)
            pane.vb.setAutoVisible(y=True)
        main = self._panes[0]
        main.vb.sigXRangeChanged.connect(self._on_x_range)
        for pane in self._panes:
            pane.vb.sigRangeChangedManually.connect(self._on_manual)
        self._legend = pg.LegendItem(
            offset=(8, 6), brush=pg.mkBrush(_colour(PLOT_BACKGROUND, background=True, alpha=LEGEND_BACKGROUND[3])),
            pen=pg.mkPen(_colour(LEGEND_BORDER)), labelTextColor=_colour(AXIS_TEXT), labelTextSize="9pt", colCount=1,
        )
        self._legend.setParentItem(main.vb)
        # The legend changes only when the pens do: paint it from a cached pixmap, not text, every frame.
        self._legend.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        by_unit = {p.unit: p for p in self._panes}
        for pen in self._pens:
            pane = by_unit[pen.unit]
            self._add_curve(pane, pen)
        self._legend.setVisible(bool(self._pens))
        if self._cursor_on:
            self._make_cursors()
        if x_range is not None:
            self.set_x_range(*x_range)
        self._sync_overlays()

    def _teardown(self) -> None:
        scene = self.scene()
        for grid in self._grids:
            grid.detach()
        self._grids.clear()
        for vb in self._overlays:
            scene.removeItem(vb)
        self._overlays.clear()
        if self._legend is not None:
            scene.removeItem(self._legend)
            self._legend = None
        self.ci.clear()
        self._panes.clear()
        self._pane_of.clear()

    def _add_curve(self, pane: _Pane, pen: Pen) -> None:
        curve = pg.PlotDataItem(pen=_qpen(pen.colour, pen.dashed), connect="finite", name=pen.label)
        curve.setClipToView(True)
        curve.setDownsampling(auto=True, method="peak")
        pane.vb.addItem(curve)
        curve.setVisible(pen.visible)
        pane.curves[pen.eui] = curve
        self._pane_of[pen.eui] = pane
        data = self._data.get(pen.eui)
        if data is not None:
            curve.setData(*data)
        if self._legend is not None:
            self._legend.addItem(curve, f"{pen.label} [{pen.unit}]" if pen.unit else pen.label)
        if pen.show_limits:
            self._add_limits(pane, pen)

    @Slot()
    def _sync_overlays(self) -> None:
        if not self._panes or self._mode != "axes":
            return
        main = self._panes[0].vb
        for vb in self._overlays:
            vb.setGeometry(main.sceneBoundingRect())
            vb.linkedViewChanged(main, vb.XAxis)

    # -- data ---------------------------------------------------------------------------------------------
    def set_curve(self, eui: str, ts: np.ndarray, values: np.ndarray) -> None:
        """Hand a pen's points to its curve (arrays are kept, not copied: do not change them after)."""
        self._data[eui] = (ts, values)
        pane = self._pane_of.get(eui)
        if pane is not None:
            pane.curves[eui].setData(ts, values)

    def clear_curves(self) -> None:
        self._data.clear()
        for pane in self._panes:
            for curve in pane.curves.values():
                curve.setData([], [])

    def curve(self, eui: str) -> pg.PlotDataItem | None:
        pane = self._pane_of.get(eui)
        return None if pane is None else pane.curves.get(eui)

    def curve_data(self, eui: str) -> tuple[np.ndarray, np.ndarray] | None:
        return self._data.get(eui)

    def set_pen_visible(self, eui: str, visible: bool) -> None:
        c = self.curve(eui)
        if c is not None:
            c.setVisible(visible)
        pane = self._pane_of.get(eui)
        if pane is not None:
            for line in pane.limits.get(eui, []):
                line.setVisible(visible)

    def set_limits(self, pen: Pen, shown: bool) -> None:
        pane = self._pane_of.get(pen.eui)
        if pane is None:
            return
        for line in pane.limits.pop(pen.eui, []):
            pane.vb.removeItem(line)
        if shown:
            self._add_limits(pane, pen)

    def _add_limits(self, pane: _Pane, pen: Pen) -> None:
        th = pen.sensor.thresholds
        lines = []
        for attr, tag in LIMIT_NAMES:
            value = getattr(th, attr)
            if value is None:
                continue
            critical = attr.startswith("critical")
            qpen = _qpen(pen.colour, width=1.2)
            qpen.setStyle(Qt.PenStyle.DashDotLine if critical else Qt.PenStyle.DashLine)
            line = ThresholdLine(pos=value, angle=0, movable=False, pen=qpen)
            line.setZValue(-5)
            pg.InfLineLabel(line, text=f"{tag} {format_general(value)}", position=0.985, anchors=[(1, 1), (1, 1)],
                            color=_colour(pen.colour),
                            fill=pg.mkBrush(_colour(PLOT_BACKGROUND, background=True, alpha=210)))
            line.setVisible(pen.visible)
            pane.vb.addItem(line)
            lines.append(line)
        pane.limits[pen.eui] = lines

    def limit_values(self, eui: str) -> list[float]:
        pane = self._pane_of.get(eui)
        return [] if pane is None else [float(line.value()) for line in pane.limits.get(eui, [])]

    # -- range and interaction ----------------------------------------------------------------------------
    def set_x_range(self, t0: float, t1: float) -> None:
        if self._panes and t1 > t0:
            self._panes[0].vb.setXRange(t0, t1, padding=0)

    def x_range(self) -> tuple[float, float]:
        x0, x1 = self._panes[0].vb.viewRange()[0]
        return float(x0), float(x1)

    def set_interactive(self, x: bool, y: bool) -> None:
        self._interactive = (x, y)
        for pane in self._panes:
            pane.vb.setMouseEnabled(x, y)

    def auto_range_y(self) -> None:
        for pane in self._panes:
            pane.vb.enableAutoRange(axis=pg.ViewBox.YAxis, enable=True)

    def pixel_width(self) -> int:
        if not self._panes:
            return max(self.width(), 1)
        return max(int(self._panes[0].vb.boundingRect().width()), 1)

    @Slot(object, object)
    def _on_x_range(self, _vb: object, rng: Any) -> None:
        self.rangeChanged.emit(float(rng[0]), float(rng[1]))
        if self._cursor_on:
            for pane in self._panes:
                if pane.cursor is not None:
                    for label in pane.cursor.children():
                        if isinstance(label, _TimeLabel):
                            label.valueChanged()

    @Slot(object)
    def _on_manual(self, *_args: object) -> None:
        self.manualRange.emit()

    # -- cursor -----------------------------------------------------------------------------------------------
    @property
    def cursor_shown(self) -> bool:
        return self._cursor_on

    def set_cursor(self, t: float | None) -> None:
        """Show the cursor at `t` (None: hide it)."""
        if t is None:
            self._cursor_on = False
            self._cursor_t = None
            self._remove_cursors()
            return
        self._cursor_t = float(t)
        if not self._cursor_on:
            self._cursor_on = True
            self._make_cursors()
        self._move_cursors(float(t))
        self.cursorMoved.emit(float(t))

    def cursor_time(self) -> float | None:
        return self._cursor_t if self._cursor_on else None

    def _make_cursors(self) -> None:
        self._remove_cursors()
        t = self._cursor_t
        if t is None:
            x0, x1 = self.x_range()
            t = self._cursor_t = 0.5 * (x0 + x1)
        targets = [self._panes[0]] if self._mode == "axes" else self._panes
        for i, pane in enumerate(targets):
            line = pg.InfiniteLine(
                pos=t, angle=90, movable=True, pen=pg.mkPen(_colour(CURSOR_COLOUR), width=1),
                hoverPen=pg.mkPen(_colour(CURSOR_COLOUR), width=2),
            )
            line.setZValue(20)
            if i == 0:
                _TimeLabel(line, self._panes[0].vb, text="", position=0.96, anchors=[(0.5, 1), (0.5, 1)],
                           color=_colour(CURSOR_COLOUR),
                           fill=pg.mkBrush(_colour("#f0f0f0", background=True, alpha=230)),
                           border=pg.mkPen(_colour(PLOT_FRAME)))
            line.sigPositionChanged.connect(self._on_cursor_dragged)
            pane.vb.addItem(line, ignoreBounds=True)
            pane.cursor = line
            for child in line.children():
                if isinstance(child, _TimeLabel):
                    child.valueChanged()

    def _remove_cursors(self) -> None:
        for pane in self._panes:
            if pane.cursor is not None:
                pane.vb.removeItem(pane.cursor)
                pane.cursor = None

    def _move_cursors(self, t: float) -> None:
        self._syncing_cursor = True
        try:
            for pane in self._panes:
                if pane.cursor is not None and pane.cursor.value() != t:
                    pane.cursor.setValue(t)
        finally:
            self._syncing_cursor = False

    @Slot(object)
    def _on_cursor_dragged(self, line: pg.InfiniteLine) -> None:
        if self._syncing_cursor:
            return
        t = float(line.value())
        if not math.isfinite(t):
            return
        self._cursor_t = t
        self._move_cursors(t)
        self.cursorMoved.emit(t)

    def map_to_time(self, x_px: float) -> float:
        vb = self._panes[0].vb
        return float(vb.mapSceneToView(vb.mapToScene(QPointF(x_px, 0))).x())

    # -- drops -------------------------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if euis_from_mime(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if euis_from_mime(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        euis = euis_from_mime(event.mimeData())
        if euis:
            event.acceptProposedAction()
            self.sensorsDropped.emit(euis)
        else:
            event.ignore()
