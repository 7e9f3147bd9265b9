"""The faceplate's small trend: the last hour of one sensor, live, with its alarm limits as lines.

History comes from the database once (off the GUI thread, by the faceplate); live values are appended
into a bounded buffer and the view follows the newest hour. Grey curve (ISA-101); limits dashed, in the
alarm colours, labelled H/HH/L/LL.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

# isort: split
import numpy as np
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it

from hmi.core.domain import Thresholds
from hmi.ui.theme import on_theme_changed, theme_colour
from hmi.ui.trend_plot import LIMIT_NAMES, DateAxis, ThresholdLine
from hmi.ui.trend_style import AXIS_PEN, AXIS_TEXT, GRID_COLOUR, PLOT_BACKGROUND, PLOT_FRAME

WINDOW_S = 3600.0
MAX_POINTS = 20_000
CURVE_COLOUR = "#3a3f45"
LIMIT_COLOURS = {"critical_max": "#c81e1e", "critical_min": "#c81e1e", "warning_max": "#a87a00",
                 "warning_min": "#a87a00"}


class MiniTrend(pg.PlotWidget):
    def __init__(self, parent: QWidget | None = None, *, window_s: float = WINDOW_S) -> None:
        super().__init__(parent, background=theme_colour(PLOT_BACKGROUND, background=True),
                         axisItems={"bottom": DateAxis(orientation="bottom")})
        self.setObjectName("faceplateTrend")
        self.window_s = window_s
        item = self.getPlotItem()
        item.setClipToView(True)  # before the curve exists
        item.setDownsampling(auto=True, mode="peak")
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.35)
        item.vb.setMouseEnabled(False, False)
        font = QFont()
        font.setPointSize(9)
        for name in ("left", "bottom"):
            item.getAxis(name).setStyle(tickFont=font)
        item.getAxis("left").setWidth(52)
        self._grid = GRID_COLOUR
        self.curve = item.plot([], [], connect="finite")
        self._style()
        on_theme_changed(self, self._style)
        self._ts = np.empty(0)
        self._values = np.empty(0)
        self._lines: list[ThresholdLine] = []

    def _style(self, _theme: str = "") -> None:
        """Plot, frame, axes and curve in the active theme's colours (again on every switch)."""
        item = self.getPlotItem()
        self.setBackground(theme_colour(PLOT_BACKGROUND, background=True))
        item.vb.setBorder(pg.mkPen(theme_colour(PLOT_FRAME)))
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(theme_colour(AXIS_PEN)))
            axis.setTextPen(pg.mkPen(theme_colour(AXIS_TEXT)))
        self.curve.setPen(pg.mkPen(theme_colour(CURVE_COLOUR), width=1.5))

    # -- data ------------------------------------------------------------------------------------------
    def set_history(self, ts: np.ndarray, values: np.ndarray) -> None:
        """Replace what is drawn (NaN marks a gap); live points appended later keep coming."""
        newer = self._ts[self._ts > (ts[-1] if len(ts) else -np.inf)] if len(self._ts) else np.empty(0)
        tail = self._values[len(self._values) - len(newer):] if len(newer) else np.empty(0)
        self._ts = np.concatenate([np.asarray(ts, float), newer])[-MAX_POINTS:]
        self._values = np.concatenate([np.asarray(values, float), tail])[-MAX_POINTS:]
        self._redraw()

    def append(self, ts: float, value: float | None) -> None:
        if len(self._ts) and ts <= self._ts[-1]:
            return
        self._ts = np.append(self._ts, ts)[-MAX_POINTS:]
        self._values = np.append(self._values, np.nan if value is None else value)[-MAX_POINTS:]
        self._redraw()

    def points(self) -> int:
        return int(np.count_nonzero(np.isfinite(self._values)))

    def _redraw(self) -> None:
        self.curve.setData(self._ts, self._values, connect="finite")
        if len(self._ts):
            end = float(self._ts[-1])
            self.setXRange(end - self.window_s, end, padding=0.0)
        self._fit_y()

    def _fit_y(self) -> None:
        """The values and the limits in view, with a little room (labels never widen the range)."""
        finite = self._values[np.isfinite(self._values)]
        marks = [float(finite.min()), float(finite.max())] if len(finite) else []
        marks += self.limit_values()
        if not marks:
            return
        lo, hi = min(marks), max(marks)
        pad = max((hi - lo) * 0.08, 0.5)
        self.setYRange(lo - pad, hi + pad, padding=0.0)

    # -- limits ----------------------------------------------------------------------------------------
    def set_thresholds(self, thresholds: Thresholds) -> None:
        item = self.getPlotItem()
        for line in self._lines:
            item.removeItem(line)
        self._lines = []
        for key, tag in LIMIT_NAMES:
            value = getattr(thresholds, key)
            if value is None:
                continue
            colour = theme_colour(LIMIT_COLOURS[key])
            line = ThresholdLine(pos=value, angle=0, movable=False,
                                 pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine),
                                 label=tag, labelOpts={"position": 0.02, "color": colour, "anchors": [(0, 1), (0, 1)]})
            item.addItem(line, ignoreBounds=True)
            self._lines.append(line)
        self._fit_y()

    def limit_values(self) -> list[float]:
        return [float(line.value()) for line in self._lines]
