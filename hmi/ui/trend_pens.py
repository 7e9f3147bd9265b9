"""Pens of a trend and the table under the plot: one row per pen with its colour, unit, the value at
the cursor and the statistics of the visible range (count/avg/min/max/latest); the checkboxes show or
hide a pen and its threshold lines. Delete (or the context menu) removes the selected pens."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from hmi.core.domain import Sensor
from hmi.core.ring_buffer import LiveSeries, WindowStats
from hmi.services.trends import RangeStats, SeriesData
from hmi.ui.i18n import TrMap, fmt_int, fmt_number, translate

Stats = WindowStats | RangeStats


@dataclass
class Pen:
    sensor: Sensor
    mill_name: str
    colour: str
    dashed: bool
    live: LiveSeries
    visible: bool = True
    show_limits: bool = False
    history: SeriesData | None = None
    stats: Stats | None = None
    cursor_value: float | None = None
    drawn_version: int = -1  # live series version last handed to the plot
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def eui(self) -> str:
        return self.sensor.eui

    @property
    def unit(self) -> str:
        return self.sensor.display_unit

    @property
    def label(self) -> str:
        return self.sensor.name

    def history_value_at(self, t: float) -> float | None:
        h = self.history
        if h is None or len(h.ts) == 0:
            return None
        i = int(np.searchsorted(h.ts, t, side="right")) - 1
        if i < 0:
            return None
        v = float(h.values[i])
        return None if v != v else v

    def history_visible(self, t0: float, t1: float) -> tuple[np.ndarray, np.ndarray]:
        h = self.history
        if h is None:
            return np.empty(0), np.empty(0)
        i = int(np.searchsorted(h.ts, t0, side="left"))
        j = int(np.searchsorted(h.ts, t1, side="right"))
        return h.ts[i:j], h.values[i:j]


def format_value(v: float | None) -> str:
    """A value in the user's locale, with as many decimals as its size calls for."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "\u2014"
    a = abs(v)
    if a >= 10000:
        return QLocale().toString(float(v), "f", 0)  # with the locale's group separators
    if a >= 100:
        return fmt_number(v, 1)
    if a >= 1:
        return fmt_number(v, 2)
    return fmt_number(v, 3)


def format_general(v: float, digits: int = 6) -> str:
    """`f"{v:g}"` (or `f"{v:.4g}"` with `digits=4`) in the user's locale (decimal comma in Dutch), without
    group separators: limits, offsets, intervals."""
    loc = QLocale()
    loc.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return loc.toString(float(v), "g", digits)


def format_signed(v: float, digits: int = 6) -> str:
    """`format_general` with a sign, like `f"{v:+g}"` ("+0,5", "-2")."""
    text = format_general(v, digits)
    return text if text.startswith(("-", "\u2212")) else "+" + text


CONTEXT = "PenTableModel"
COLUMNS = (
    QT_TRANSLATE_NOOP("PenTableModel", "Pen"), QT_TRANSLATE_NOOP("PenTableModel", "Mill"),
    QT_TRANSLATE_NOOP("PenTableModel", "Unit"), QT_TRANSLATE_NOOP("PenTableModel", "Cursor"),
    QT_TRANSLATE_NOOP("PenTableModel", "Latest"), QT_TRANSLATE_NOOP("PenTableModel", "Min"),
    QT_TRANSLATE_NOOP("PenTableModel", "Avg"), QT_TRANSLATE_NOOP("PenTableModel", "Max"),
    QT_TRANSLATE_NOOP("PenTableModel", "Count"), QT_TRANSLATE_NOOP("PenTableModel", "Limits"),
)
LIMIT_LABELS = TrMap(CONTEXT, {
    "critical_max": QT_TRANSLATE_NOOP("PenTableModel", "Critical high (HH)"),
    "warning_max": QT_TRANSLATE_NOOP("PenTableModel", "Warning high (H)"),
    "warning_min": QT_TRANSLATE_NOOP("PenTableModel", "Warning low (L)"),
    "critical_min": QT_TRANSLATE_NOOP("PenTableModel", "Critical low (LL)"),
})
C_PEN, C_MILL, C_UNIT, C_CURSOR, C_LATEST, C_MIN, C_AVG, C_MAX, C_COUNT, C_LIMITS = range(len(COLUMNS))
_NUMERIC = {C_CURSOR, C_LATEST, C_MIN, C_AVG, C_MAX, C_COUNT}


class PenTableModel(QAbstractTableModel):
    visibilityToggled = Signal(str, bool)  # eui, visible
    limitsToggled = Signal(str, bool)  # eui, shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pens: list[Pen] = []

    # -- the list --------------------------------------------------------------------------------------
    def pens(self) -> list[Pen]:
        return list(self._pens)

    def set_pens(self, pens: list[Pen]) -> None:
        self.beginResetModel()
        self._pens = list(pens)
        self.endResetModel()

    def pen_at(self, row: int) -> Pen:
        return self._pens[row]

    def refresh_values(self) -> None:
        """Cursor values and statistics changed: repaint those cells only."""
        if self._pens:
            self.dataChanged.emit(
                self.index(0, C_CURSOR), self.index(len(self._pens) - 1, C_COUNT), [Qt.ItemDataRole.DisplayRole]
            )

    # -- Qt model ------------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._pens)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return translate(CONTEXT, COLUMNS[section])
            if role == Qt.ItemDataRole.TextAlignmentRole and section in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (C_PEN, C_LIMITS):
            f |= Qt.ItemFlag.ItemIsUserCheckable
        return f

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        pen = self._pens[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(pen, col)
        if role == Qt.ItemDataRole.CheckStateRole:
            if col == C_PEN:
                return Qt.CheckState.Checked if pen.visible else Qt.CheckState.Unchecked
            if col == C_LIMITS:
                th = pen.sensor.thresholds
                if not th.as_dict():
                    return None
                return Qt.CheckState.Checked if pen.show_limits else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole and col == C_PEN:
            return QColor(pen.colour)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == C_PEN:
            return f"{pen.sensor.name}\n{pen.mill_name} \u00b7 {pen.sensor.location}\nEUI {pen.eui}"
        if role == Qt.ItemDataRole.ToolTipRole and col == C_LIMITS:
            limits = pen.sensor.thresholds.as_dict()
            if not limits:
                return self.tr("No limits configured")
            return "\n".join(f"{LIMIT_LABELS.get(k, k)}: {format_general(v)}" for k, v in limits.items())
        return None

    def _text(self, pen: Pen, col: int) -> str:
        s = pen.stats
        if col == C_PEN:
            return pen.label
        if col == C_MILL:
            return pen.mill_name
        if col == C_UNIT:
            return pen.unit
        if col == C_CURSOR:
            return format_value(pen.cursor_value)
        if col == C_LIMITS:
            return ""
        if s is None:
            return "\u2014" if col != C_COUNT else ""
        if col == C_LATEST:
            return format_value(s.latest)
        if col == C_MIN:
            return format_value(s.minimum)
        if col == C_AVG:
            return format_value(s.average)
        if col == C_MAX:
            return format_value(s.maximum)
        if col == C_COUNT:
            return fmt_int(s.count)
        return ""

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        pen = self._pens[index.row()]
        on = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        if index.column() == C_PEN:
            pen.visible = on
            self.dataChanged.emit(index, index, [role])
            self.visibilityToggled.emit(pen.eui, on)
            return True
        if index.column() == C_LIMITS and pen.sensor.thresholds.as_dict():
            pen.show_limits = on
            self.dataChanged.emit(index, index, [role])
            self.limitsToggled.emit(pen.eui, on)
            return True
        return False


class PenTable(QTableView):
    removeRequested = Signal(list)  # list[str] of EUIs

    def __init__(self, model: PenTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("penTable")
        self.setModel(model)
        self._model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setShowGrid(False)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(C_PEN, QHeaderView.ResizeMode.Stretch)
        for col, width in ((C_MILL, 110), (C_UNIT, 64), (C_CURSOR, 84), (C_LATEST, 84), (C_MIN, 84), (C_AVG, 84),
                           (C_MAX, 84), (C_COUNT, 84), (C_LIMITS, 72)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(col, max(width, header.sectionSizeHint(col)))  # the title fits in any language
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)
        self._remove = QAction(self.tr("Remove pen"), self)
        self._remove.setShortcut(QKeySequence.StandardKey.Delete)
        self._remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._remove.triggered.connect(self._on_remove)
        self.addAction(self._remove)

    def selected_euis(self) -> list[str]:
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        return [self._model.pen_at(r).eui for r in rows]

    @Slot()
    def _on_remove(self) -> None:
        euis = self.selected_euis()
        if euis:
            self.removeRequested.emit(euis)

    @Slot(object)
    def _on_context_menu(self, pos: Any) -> None:
        if not self.selected_euis():
            return
        menu = QMenu(self)
        menu.addAction(self._remove)
        menu.popup(self.viewport().mapToGlobal(pos))
