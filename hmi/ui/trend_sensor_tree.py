"""The tree of mills and their sensors pens are picked from: double-click (or Enter) adds a pen, and
sensors drag onto the plot. A filter box narrows the tree by sensor, location, type, unit or EUI."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from hmi.core.plant import Plant
from hmi.ui.domain_words import word
from hmi.ui.trend_mime import SENSOR_MIME, sensor_mime_data

EUI_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2


class SensorTreeModel(QStandardItemModel):
    """Mills (top level) and their sensors; sensor items carry their EUI and drag as sensors."""

    def __init__(self, plant: Plant, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([self.tr("Sensor")])
        for mill in plant.mills:
            mill_item = QStandardItem(mill.name)
            mill_item.setEditable(False)
            mill_item.setDragEnabled(True)
            mill_item.setData(" ".join(s.eui for s in mill.sensors), EUI_ROLE)
            mill_item.setData(mill.name.casefold(), SEARCH_ROLE)
            mill_item.setToolTip(mill.location or mill.name)
            for s in mill.sensors:
                item = QStandardItem(f"{s.name}  [{s.display_unit}]")
                item.setEditable(False)
                item.setDragEnabled(True)
                item.setData(s.eui, EUI_ROLE)
                item.setData(
                    " ".join((s.name, s.location, s.type.value, word(s.type), s.display_unit, s.eui,
                              mill.name)).casefold(),
                    SEARCH_ROLE,
                )
                item.setToolTip(f"{s.name}\n{mill.name} \u00b7 {s.location}\nEUI {s.eui}")
                mill_item.appendRow(item)
            self.appendRow(mill_item)

    def mimeTypes(self) -> list[str]:
        return [SENSOR_MIME, "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex | QPersistentModelIndex]) -> QMimeData:
        return sensor_mime_data(euis_of(indexes))


def euis_of(indexes: Sequence[QModelIndex | QPersistentModelIndex]) -> list[str]:
    """EUIs of sensor items (a mill item stands for all its sensors)."""
    out: list[str] = []
    for idx in indexes:
        data = idx.data(EUI_ROLE)
        if data:
            out.extend(e for e in str(data).split() if e not in out)
    return out


class _Filter(QSortFilterProxyModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setFilterRole(SEARCH_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


class SensorTree(QWidget):
    sensorsActivated = Signal(list)  # list[str] of EUIs

    def __init__(self, plant: Plant, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("sensorFilter")
        self.filter.setPlaceholderText(self.tr("Filter sensors"))
        self.filter.setClearButtonEnabled(True)
        self.model = SensorTreeModel(plant, self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTreeView(self)
        self.view.setObjectName("sensorTree")
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.expandAll()
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)
        self.filter.textChanged.connect(self._on_filter)
        self.view.activated.connect(self._on_activated)

    @Slot(str)
    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip().casefold())
        self.view.expandAll()

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        if not index.parent().isValid():  # a mill: expand/collapse, not a pen per sensor
            return
        euis = euis_of([index])
        if euis:
            self.sensorsActivated.emit(euis)

    def select_eui(self, eui: str) -> bool:
        for row in range(self.proxy.rowCount()):
            mill = self.proxy.index(row, 0)
            for r in range(self.proxy.rowCount(mill)):
                idx = self.proxy.index(r, 0, mill)
                if idx.data(EUI_ROLE) == eui:
                    self.view.setCurrentIndex(idx)
                    return True
        return False
