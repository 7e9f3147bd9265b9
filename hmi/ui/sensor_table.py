"""The sensor table view: live values of the plant's sensors, readable from two metres.

A thin view over SensorTableModel (through SensorFilterProxy): it only sizes columns and paints
cells. Values are right-aligned with tabular figures and their unit in a fixed slot, so digits line
up down the column whatever the unit.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
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

from hmi.ui.sensor_board import NO_VALUE, QUALITY_LABELS, STATE_LABELS, TYPE_LABELS
from hmi.ui.sensor_table_model import Column, NumberRole, SensorFilterProxy, SensorTableModel, UnitRole
from hmi.ui.theme import tabular

Index = QModelIndex | QPersistentModelIndex
CELL_PADDING = 8  # px left and right of the text in every cell
UNIT_GAP = 6  # px between a value and its unit
VALUE_EXTRA_PT = 1  # values a point larger than the rest of the row
SECONDARY_COLUMNS = (Column.MILL, Column.TYPE, Column.LOCATION, Column.QUALITY, Column.AGE)


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


class SensorTableView(QTableView):
    def __init__(self, model: SensorTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self._size_rows_and_columns()

    def show_mill_column(self, shown: bool) -> None:
        self.setColumnHidden(Column.MILL, not shown)

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
            Column.QUALITY: widest(QUALITY_LABELS.values()),
            Column.AGE: widest(["59 min"]),
            Column.STATE: widest([f"{s} \u25b2" for s in STATE_LABELS.values()], QFontMetrics(bold)),
        }
        for col, width in widths.items():
            title = self.source_model.headerData(col, Qt.Orientation.Horizontal)
            width = max(width, header_fm.horizontalAdvance(str(title)) + pad + arrow)
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setSectionResizeMode(Column.SENSOR, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.setMinimumWidth(sum(widths.values()) - widths[Column.MILL] + 200)
