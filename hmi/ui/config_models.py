"""Read-only tables of the configuration screens and the faceplate: one small QAbstractTableModel over a
list of rows, with the columns given as data (title, text of a row, alignment), so each view says what it
shows in one place and no table is filled by hand.

A column title is shown as given: build the columns where the view is built, with `self.tr("Status")`.
Columns defined at module or class level (imported before the translator is installed) mark their title
with `QT_TRANSLATE_NOOP("Context", "Status")` and name that context (`Column(..., context="Context")`):
the header then translates the title each time it is shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from hmi.ui.theme import theme_brush

T = TypeVar("T")
_INDEX = QModelIndex | QPersistentModelIndex
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
DIMMED = QBrush(QColor("#8a9096"))


@dataclass(frozen=True, slots=True)
class Column(Generic[T]):
    title: str
    text: Callable[[T], str]
    align: Qt.AlignmentFlag = LEFT
    tooltip: Callable[[T], str] | None = None
    context: str = ""  # set: `title` is a QT_TRANSLATE_NOOP(context, ...) source, translated when shown

    def header(self) -> str:
        """The title in the user's language."""
        return QCoreApplication.translate(self.context, self.title) if self.context and self.title else self.title


class RowsModel(QAbstractTableModel, Generic[T]):
    """Rows of `T` under `columns`; `dimmed(row)` greys a row out (deactivated, disabled)."""

    def __init__(self, columns: Sequence[Column[T]], *, dimmed: Callable[[T], bool] | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[T] = []
        self._dimmed = dimmed
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row(self, i: int) -> T:
        return self._rows[i]

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header()
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(self.columns[section].align)
        return None

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if self._dimmed is not None and self._dimmed(row):
            if role == Qt.ItemDataRole.ForegroundRole:
                return theme_brush(DIMMED.color().name())
            if role == Qt.ItemDataRole.FontRole:
                return self._italic
        return None


def make_table(model: QAbstractTableModel, object_name: str, parent: Any = None) -> Any:
    """A read-only, row-selecting table view in the configuration look."""
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

    view = QTableView(parent)
    view.setObjectName(object_name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(32)
    view.setWordWrap(False)
    view.setShowGrid(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setDefaultAlignment(LEFT)
    return view
