"""The Qt adapter boilerplate of a flat table with fixed column titles, written once.

A view model subclasses `HeaderedTableModel`, names its columns in `HEADERS` and says how many rows
it has (`row_count`); it keeps `data()` and whatever else is its own. Column titles are shown
translated when the subclass marks them `QT_TRANSLATE_NOOP(CONTEXT, "...")` and names that context in
`HEADERS_CONTEXT` (the HEADERS themselves stay English: a copy for a support ticket can use them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class HeaderedTableModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()
    HEADERS_CONTEXT: str = ""  # the translation context HEADERS were marked in; "" shows them as they are

    def header_text(self, section: int) -> str | None:
        """The title of column `section` in the user's language (None outside the table)."""
        if not 0 <= section < len(self.HEADERS):
            return None
        text = self.HEADERS[section]
        return QCoreApplication.translate(self.HEADERS_CONTEXT, text) if self.HEADERS_CONTEXT else text

    def row_count(self) -> int:
        """How many rows the table shows now; every subclass says (an empty table by default)."""
        return 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.header_text(section)
        return None
