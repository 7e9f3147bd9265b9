"""The sensor table view: live values of the plant's sensors, readable from two metres.

A thin view over SensorTableModel (through SensorFilterProxy): it only sizes columns and paints
cells. Values are right-aligned with tabular figures and their unit in a fixed slot, so digits line
up down the column whatever the unit. The "Last hour" column is a sparkline painted straight from
each sensor's decimated history (QPainter polylines, cached until a bucket closes), never a plot
widget per row. Columns of less use give way (in DROP_ORDER) before a sensor name is elided.
Double-click or Enter on a row emits `sensorActivated(eui)` (the faceplate opens from it).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette, QPen, QPolygonF, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from hmi.ui.i18n import fmt_duration
from hmi.ui.sensor_board import NO_VALUE, QUALITY_LABELS, STATE_LABELS, TYPE_LABELS, SensorState, Sparkline
from hmi.ui.sensor_table_model import (
    AlarmRole,
    Column,
    EuiRole,
    NumberRole,
    SensorFilterProxy,
    SensorTableModel,
    SparkRole,
    UnitRole,
)
from hmi.ui.theme import AlarmPalette, tabular

Index = QModelIndex | QPersistentModelIndex
CELL_PADDING = 8  # px left and right of the text in every cell
UNIT_GAP = 6  # px between a value and its unit
VALUE_EXTRA_PT = 1  # values a point larger than the rest of the row
SECONDARY_COLUMNS = (Column.MILL, Column.TYPE, Column.LOCATION, Column.QUALITY, Column.AGE)
# Hidden one by one, in this order, while the sensor names would otherwise be elided; the last-hour
# sparkline goes last (a 1024 px window: the name and the value matter more than the picture).
DROP_ORDER = (Column.QUALITY, Column.LOCATION, Column.TYPE, Column.AGE, Column.TREND)
MAX_MIN_WIDTH = 560  # px: the most the table asks for (see _size_columns)
SPARK_WIDTH = 132  # px: about one pixel per 30 s bucket
SPARK_PAD = 6  # px above and below the line inside the cell


class SensorCellDelegate(QStyledItemDelegate):
    """Paints a cell: alarm background (which wins over the selection colour, so an alarm stays
    visible on the selected row), a hairline under the row, and the text with padding.
    `secondary` cells (descriptive columns) use muted text a point smaller than the values."""

    def __init__(self, parent: QWidget | None = None, *, secondary: bool = False) -> None:
        super().__init__(parent)
        self.secondary = secondary

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        if self.secondary:
            option.font.setPointSizeF(max(option.font.pointSizeF() - 1, 8))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        painter.save()
        pen = self._paint_background(painter, opt, index)
        painter.setPen(pen)
        painter.setFont(opt.font)
        self._paint_text(painter, opt, index)
        painter.restore()

    def _paint_background(self, painter: QPainter, opt: QStyleOptionViewItem, index: Index) -> QColor:
        """Fill the cell and draw the row line; return the text colour."""
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        if background is not None:
            painter.fillRect(opt.rect, background)
        elif selected:
            painter.fillRect(opt.rect, opt.palette.color(QPalette.ColorRole.Highlight))
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        line = style.styleHint(QStyle.StyleHint.SH_Table_GridLineColor, opt, opt.widget)
        painter.setPen(QColor.fromRgba(line & 0xFFFFFFFF) if line else opt.palette.color(QPalette.ColorRole.Midlight))
        painter.drawLine(opt.rect.bottomLeft(), opt.rect.bottomRight())
        if foreground is not None:
            return foreground.color()
        if selected and background is None:
            return opt.palette.color(QPalette.ColorRole.HighlightedText)
        if self.secondary:
            return opt.palette.color(QPalette.ColorRole.PlaceholderText)
        return opt.palette.color(QPalette.ColorRole.Text)

    def _paint_text(self, painter: QPainter, opt: QStyleOptionViewItem, index: Index) -> None:
        rect = opt.rect.adjusted(CELL_PADDING, 0, -CELL_PADDING, 0)
        text = QFontMetrics(opt.font).elidedText(opt.text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(opt.displayAlignment | Qt.AlignmentFlag.AlignVCenter), text)


class ValueDelegate(SensorCellDelegate):
    """The number right-aligned in tabular figures, the unit left-aligned in a slot after it,
    so digits line up down the column whatever the unit."""

    def __init__(self, unit_width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit_width = unit_width

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.font.setPointSizeF(option.font.pointSizeF() + VALUE_EXTRA_PT)

    def _paint_text(self, painter: QPainter, opt: QStyleOptionViewItem, index: Index) -> None:
        number = index.data(NumberRole) or ""
        unit = (index.data(UnitRole) or "") if number != NO_VALUE else ""
        rect = opt.rect.adjusted(CELL_PADDING, 0, -CELL_PADDING, 0)
        unit_rect = QRect(rect.right() - self.unit_width + 1, rect.top(), self.unit_width, rect.height())
        number_rect = QRect(rect.left(), rect.top(), rect.width() - self.unit_width - UNIT_GAP, rect.height())
        painter.setFont(tabular(opt.font))
        painter.drawText(number_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), number)
        unit_font = QFont(opt.font)
        unit_font.setWeight(QFont.Weight.Normal)
        unit_font.setPointSizeF(opt.font.pointSizeF() - VALUE_EXTRA_PT - 1)
        painter.setFont(unit_font)
        painter.drawText(unit_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), unit)


SparkKey = tuple[int, int, int, int, float, float]


class SparklineDelegate(SensorCellDelegate):
    """The sensor's last hour as a grey line (ISA-101: the trend is context, not an alarm), scaled to
    its own range; the newest reading is a dot, in the alarm colour while the sensor is abnormal.

    The closed part of the line is built once per closed bucket (every 30 s) and cell size, cached
    per EUI; a repaint for a new reading draws the cached polylines and the live tip only."""

    def __init__(self, palette: AlarmPalette, now: Callable[[], float] = time.time,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.palette = palette
        self.now = now
        self._cache: dict[str, tuple[SparkKey, list[QPolygonF], QPointF | None]] = {}
        self.builds = 0  # how often a polyline was rebuilt (tests and benchmarks read it)

    def _paint_text(self, painter: QPainter, opt: QStyleOptionViewItem, index: Index) -> None:
        spark = index.data(SparkRole)
        if not isinstance(spark, Sparkline):
            return
        now = self.now()
        span = spark.value_range(now)
        if span is None:
            return
        rect = QRectF(opt.rect.adjusted(CELL_PADDING, SPARK_PAD, -CELL_PADDING, -SPARK_PAD))
        if rect.width() < 8 or rect.height() < 4:
            return
        lo, hi = span
        if hi - lo < 1e-9:
            pad = max(abs(hi) * 0.02, 1e-3)
            lo, hi = lo - pad, hi + pad
        end = math.floor(now / spark.bucket_width) + 1  # right edge: the end of the open bucket
        eui = str(index.data(EuiRole))
        key: SparkKey = (spark.version, end, int(rect.width()), int(rect.height()), lo, hi)
        cached = self._cache.get(eui)
        if cached is None or cached[0] != key:
            polys, last = self._build(spark, now, end, rect, lo, hi)
            cached = (key, polys, last)
            self._cache[eui] = cached
            self.builds += 1
        _, polys, last = cached

        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        line = QColor(opt.palette.color(QPalette.ColorRole.PlaceholderText))
        pen = QPen(line, 1.4)
        pen.setCosmetic(True)
        painter.setPen(pen)
        for poly in polys:
            painter.drawPolyline(poly)
        cur = spark.current()
        if cur is None:
            return
        scale_x = rect.width() / spark.buckets
        x0 = end - spark.buckets
        tip = QPointF(rect.left() + (cur[0] - x0) * scale_x, rect.bottom() - (cur[1] - lo) / (hi - lo) * rect.height())
        if cur[2] < cur[3]:  # the open bucket's extremes as a short vertical stroke
            bx = tip.x()
            painter.drawLine(QPointF(bx, rect.bottom() - (cur[2] - lo) / (hi - lo) * rect.height()),
                             QPointF(bx, rect.bottom() - (cur[3] - lo) / (hi - lo) * rect.height()))
        if last is not None:
            painter.drawLine(last, tip)
        state = SensorState(index.data(AlarmRole) or SensorState.NORMAL.value)
        dot = self.palette[state].background if state.abnormal else None
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(dot or opt.palette.color(QPalette.ColorRole.Text))
        r = 3.2 if state.abnormal else 2.4
        painter.drawEllipse(tip, r, r)

    @staticmethod
    def _build(spark: Sparkline, now: float, end: int, rect: QRectF, lo: float,
               hi: float) -> tuple[list[QPolygonF], QPointF | None]:
        """Polylines of the closed buckets (split at NaN) and their last point (where the tip starts)."""
        ts, v = spark.closed(now)
        if not len(ts):
            return [], None
        xs = rect.left() + (ts - (end - spark.buckets)) * (rect.width() / spark.buckets)
        ys = rect.bottom() - (v - lo) / (hi - lo) * rect.height()
        finite = np.isfinite(ys)
        polys: list[QPolygonF] = []
        breaks = np.flatnonzero(~finite)
        start = 0
        for stop in [*breaks.tolist(), len(ys)]:
            if stop - start >= 1:
                seg = QPolygonF([QPointF(x, y) for x, y in zip(xs[start:stop].tolist(), ys[start:stop].tolist(),
                                                               strict=True)])
                if seg.size() == 1:  # a lone point still shows
                    seg.append(seg.at(0) + QPointF(1.0, 0.0))
                polys.append(seg)
            start = stop + 1
        last = QPointF(float(xs[-1]), float(ys[-1])) if finite[-1] else None
        return polys, last

    def forget(self) -> None:
        self._cache.clear()


class SensorTableView(QTableView):
    sensorActivated = Signal(str)  # EUI: double-click or Enter on a row

    def __init__(self, model: SensorTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mill_shown = True
        self._natural: dict[Column, int] = {}
        self.dropped: tuple[Column, ...] = ()  # columns hidden for lack of width
        self.setObjectName("sensorTable")
        self.source_model = model
        self.proxy = SensorFilterProxy(self)
        self.proxy.setSourceModel(model)
        self.setModel(self.proxy)

        self.setAlternatingRowColors(False)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setCornerButtonEnabled(False)
        self.setDragEnabled(True)  # drag a sensor onto the trend screen
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.verticalHeader().hide()

        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(False)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # plant order until the user sorts
        self.setSortingEnabled(True)

        self.setItemDelegate(SensorCellDelegate(self))
        self.ensurePolished()  # the stylesheet's font decides the sizes below
        self._secondary_delegate = SensorCellDelegate(self, secondary=True)
        for col in SECONDARY_COLUMNS:
            self.setItemDelegateForColumn(col, self._secondary_delegate)
        self._value_delegate = ValueDelegate(self._unit_width(), self)
        self.setItemDelegateForColumn(Column.VALUE, self._value_delegate)
        self.spark_delegate = SparklineDelegate(model.palette, model.board.now, self)
        self.setItemDelegateForColumn(Column.TREND, self.spark_delegate)
        self._size_rows_and_columns()
        self.doubleClicked.connect(self._on_double_clicked)

    def show_mill_column(self, shown: bool) -> None:
        self._mill_shown = shown
        self.setColumnHidden(Column.MILL, not shown)
        self._fit_columns()

    # -- activation ------------------------------------------------------------------------------

    def current_eui(self) -> str | None:
        index = self.currentIndex()
        return str(index.data(EuiRole)) if index.isValid() else None

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.sensorActivated.emit(str(index.data(EuiRole)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.sensorActivated.emit(str(self.currentIndex().data(EuiRole)))
            event.accept()
            return
        super().keyPressEvent(event)

    # -- responsive columns ----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Hide the columns of DROP_ORDER, in order, until the sensor names fit; show them again when
        the table grows. The Sensor column stretches over whatever is left."""
        if not self._natural:
            return
        available = self.viewport().width()
        shown = [c for c in Column if c is not Column.MILL or self._mill_shown]
        need = sum(self._natural[c] for c in shown)
        dropped: list[Column] = []
        for col in DROP_ORDER:
            if need <= available:
                break
            dropped.append(col)
            need -= self._natural[col]
        if tuple(dropped) == self.dropped:
            return
        self.dropped = tuple(dropped)
        for col in DROP_ORDER:
            self.setColumnHidden(col, col in dropped)

    # -- sizing ----------------------------------------------------------------------------------

    def _fonts(self) -> tuple[QFont, QFont, QFont, QFont]:
        """(base, secondary, value, unit) fonts as the delegates use them."""
        base = self.font()
        secondary = QFont(base)
        secondary.setPointSizeF(max(base.pointSizeF() - 1, 8))
        value = QFont(base)
        value.setPointSizeF(base.pointSizeF() + VALUE_EXTRA_PT)
        value.setWeight(QFont.Weight.DemiBold)
        return base, secondary, tabular(value), secondary

    def _unit_width(self) -> int:
        fm = QFontMetrics(self._fonts()[3])
        units = {r.sensor.display_unit for r in self.source_model.board.rows} or {"%"}
        return max(fm.horizontalAdvance(u) for u in units)

    def _size_rows_and_columns(self) -> None:
        base, secondary, value, _ = self._fonts()
        bold = QFont(base)
        bold.setWeight(QFont.Weight.DemiBold)
        fm_small = QFontMetrics(secondary)
        rows = self.source_model.board.rows
        pad = 2 * CELL_PADDING + 2

        def widest(texts: Iterable[object], metrics: QFontMetrics = fm_small, cap: int = 10_000) -> int:
            return min(max((metrics.horizontalAdvance(str(t)) for t in texts), default=0) + pad, cap)

        self.verticalHeader().setDefaultSectionSize(round(QFontMetrics(value).height() * 1.9))
        header = self.horizontalHeader()
        header_fm = QFontMetrics(header.font())
        arrow = 22  # room for the sort indicator
        widths = {
            Column.MILL: widest([r.mill.name for r in rows]),
            Column.TYPE: widest(TYPE_LABELS.values()),
            Column.LOCATION: widest([r.sensor.location for r in rows], cap=170),
            Column.VALUE: QFontMetrics(value).horizontalAdvance("-0000.0") + UNIT_GAP + self._unit_width() + pad,
            Column.TREND: SPARK_WIDTH + 2 * CELL_PADDING,
            Column.QUALITY: widest(QUALITY_LABELS.values()),
            Column.AGE: widest([fmt_duration(59 * 60), fmt_duration(59)]),
            Column.STATE: widest([f"{s} \u25b2" for s in STATE_LABELS.values()], QFontMetrics(bold)),
        }
        for col, width in widths.items():
            title = self.source_model.headerData(col, Qt.Orientation.Horizontal)
            width = widths[col] = max(width, header_fm.horizontalAdvance(str(title)) + pad + arrow)  # a long title
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setSectionResizeMode(Column.SENSOR, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        bold_fm = QFontMetrics(bold)
        sensor = max((bold_fm.horizontalAdvance(r.sensor.name) for r in rows), default=120) + pad
        self._natural = {**widths, Column.SENSOR: sensor}
        essential = [c for c in Column if c not in DROP_ORDER and c is not Column.MILL]
        # Never wider than the room beside the mill list and the stop column of a 1024 px window (about
        # 600 px): a table wider than its pane is cut off, scroll bar and all; the sensor names elide.
        self.setMinimumWidth(min(sum(self._natural[c] for c in essential), MAX_MIN_WIDTH) + 2)
