"""Link diagnostics (technician tool): per device or link, its state, when data last came, latency
(last and p99), errors by kind and reconnects.

The panel polls a `snapshot() -> list[LinkDiagnostics]` callable once a second while it is visible
(the Modbus driver's `diagnostics()` and `LinkHistory.snapshot()` are a lock and a copy: cheap enough
for the GUI thread). Rows keep their place while the set of links is the same, so a selection and
the scroll position survive the refresh. ISA-101: a link that is up is plain grey text; only a down,
degraded or connecting link gets colour, from the stylesheet's alarm palette.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.core.link_diagnostics import LinkDiagnostics
from hmi.ui.sensor_board import SensorState
from hmi.ui.table_model import HeaderedTableModel
from hmi.ui.theme import AlarmPalette, StateStyle

Index = QModelIndex | QPersistentModelIndex
Snapshot = Callable[[], Sequence[LinkDiagnostics]]
POLL_MS = 1000
MUTED = QBrush(QColor("#6b7075"))
STATE_TEXT = {"up": "Up", "down": "Down", "degraded": "Degraded", "connecting": "Connecting"}
KIND_TEXT = {"mqtt": "MQTT broker", "modbus": "Modbus", "sim": "Simulator", "database": "Database", "link": "Link"}


def age_text(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    if seconds < 0:
        seconds = 0.0
    if seconds < 60:
        return f"{seconds:.0f} s ago"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h ago"
    return f"{seconds / 86400:.0f} d ago"


def ms_text(ms: float | None) -> str:
    if ms is None:
        return "—"
    return f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"


def error_name(reason: str) -> str:
    """"modbus_exception_2" -> "exception 2", "device_timeout" -> "device timeout"."""
    return reason.removeprefix("modbus_").replace("_", " ")


def errors_text(errors: dict[str, int] | Any, limit: int = 3) -> str:
    items = sorted(errors.items(), key=lambda kv: (-kv[1], kv[0]))
    if not items:
        return "none"
    parts = [f"{error_name(k)} ×{v}" for k, v in items[:limit]]
    if len(items) > limit:
        parts.append(f"+{len(items) - limit} more")
    return " · ".join(parts)


class LinkTableModel(HeaderedTableModel):
    HEADERS = ("Link", "Kind", "State", "Last data", "Latency", "p99", "Polls / msgs", "Errors", "Reconnects",
               "Detail")

    def __init__(self, now: Callable[[], float] = time.time, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[LinkDiagnostics] = []
        self._now = now
        self._palette = AlarmPalette.load()

    @property
    def rows(self) -> list[LinkDiagnostics]:
        return list(self._rows)

    def update(self, rows: Sequence[LinkDiagnostics]) -> None:
        rows = list(rows)
        if [r.name for r in rows] != [r.name for r in self._rows]:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        self._rows = rows
        if rows:  # ages move every second even when nothing else does
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self.HEADERS) - 1))

    def _state_style(self, state: str) -> StateStyle | None:
        if state == "down":
            return self._palette[SensorState.CRITICAL]
        if state in ("degraded", "connecting"):
            return self._palette[SensorState.WARNING]
        return None

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return r.name
            if col == 1:
                return KIND_TEXT.get(r.kind, r.kind)
            if col == 2:
                since = f" · {age_text(self._now() - r.since).removesuffix(' ago')}" if r.since else ""
                return STATE_TEXT.get(r.state, r.state) + since
            if col == 3:
                return age_text(None if r.last_data is None else self._now() - r.last_data)
            if col == 4:
                return ms_text(r.latency_last_ms)
            if col == 5:
                return ms_text(r.latency_p99_ms)
            if col == 6:
                return "—" if r.requests is None else f"{r.requests:,}"
            if col == 7:
                return errors_text(r.errors)
            if col == 8:
                return str(r.reconnects)
            return r.detail
        if col == 2 and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
                                 Qt.ItemDataRole.FontRole):
            style = self._state_style(r.state)
            if style is None:
                return None
            if role == Qt.ItemDataRole.BackgroundRole:
                return style.background_brush
            if role == Qt.ItemDataRole.ForegroundRole:
                return style.foreground_brush
            f = QFont()
            f.setBold(style.bold)
            return f
        if role == Qt.ItemDataRole.ForegroundRole and (
            (col == 7 and not r.errors) or col in (1, 9) or (col in (4, 5) and r.latency_last_ms is None)
        ):
            return MUTED
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 7 and r.errors:
                return "\n".join(f"{k}: {v}" for k, v in sorted(r.errors.items(), key=lambda kv: -kv[1]))
            if col in (0, 9):
                return f"{r.name}\n{r.detail}" if r.detail else r.name
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (4, 5, 6, 8):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def as_text(self) -> str:
        """The table as tab-separated text (for a support ticket)."""
        lines = ["\t".join(self.HEADERS)]
        for row in range(self.rowCount()):
            lines.append("\t".join(str(self.data(self.index(row, c)) or "") for c in range(len(self.HEADERS))))
        return "\n".join(lines)


class LinkDiagnosticsView(QWidget):
    """Every link's health, refreshed once a second while visible."""

    def __init__(self, snapshot: Snapshot, *, now: Callable[[], float] = time.time,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linkDiagnostics")
        self._snapshot = snapshot
        self.model = LinkTableModel(now, self)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        bar = QFrame(self)
        bar.setObjectName("screenToolbar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(14, 8, 14, 8)
        title = QLabel("Links", bar)
        title.setObjectName("toolbarLabel")
        self.summary = QLabel("", bar)
        self.summary.setObjectName("toolbarCount")
        self.copy_button = QPushButton("Copy table", bar)
        self.copy_button.setObjectName("toolButton")
        self.copy_button.setToolTip("Copy the table as text, for a support ticket")
        self.copy_button.clicked.connect(self._on_copy)
        row.addWidget(title)
        row.addWidget(self.summary, 1)
        row.addWidget(self.copy_button)
        root.addWidget(bar)
        self.table = QTableView(self)
        self.table.setObjectName("toolTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((240, 120, 130, 100, 90, 85, 128, 300, 115)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        root.addWidget(self.table, 1)
        panel = QFrame(self)
        panel.setObjectName("linkDetail")
        panel.setMaximumHeight(170)
        detail_col = QVBoxLayout(panel)
        detail_col.setContentsMargins(16, 10, 16, 12)
        self.detail_title = QLabel("Pick a link for its details", panel)
        self.detail_title.setObjectName("toolTitle")
        self.detail_text = QLabel("", panel)
        self.detail_text.setObjectName("toolValue")
        self.detail_text.setWordWrap(True)
        self.detail_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        detail_col.addWidget(self.detail_title)
        detail_col.addWidget(self.detail_text, 1)
        root.addWidget(panel)
        self.error = QLabel("", self)
        self.error.setObjectName("toolStatus")
        self.error.setProperty("level", "error")
        self.error.hide()
        root.addWidget(self.error)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.refresh)

    @Slot()
    def refresh(self) -> None:
        try:
            rows = list(self._snapshot())
        except Exception as exc:  # noqa: BLE001 - the panel says why instead of going blank
            self.error.setText(f"Diagnostics unavailable: {type(exc).__name__}: {exc}")
            self.error.show()
            return
        self.error.hide()
        self.model.update(rows)
        down = sum(1 for r in rows if r.state == "down")
        other = sum(1 for r in rows if r.state in ("degraded", "connecting"))
        parts = [f"{len(rows)} links"]
        if down:
            parts.append(f"{down} down")
        if other:
            parts.append(f"{other} degraded or connecting")
        if not down and not other and rows:
            parts.append("all up")
        self.summary.setText(" · ".join(parts))
        self._show_detail()

    def _show_detail(self) -> None:
        rows = self.model.rows
        i = self.table.currentIndex().row()
        if not 0 <= i < len(rows):
            i = next((k for k, r in enumerate(rows) if r.state != "up"), -1)  # the first link in trouble
        if i < 0:
            self.detail_title.setText("Pick a link for its details")
            self.detail_text.setText("")
            return
        r = rows[i]
        m = self.model
        self.detail_title.setText(f"{r.name} · {m.data(m.index(i, 2))}")
        lines = [
            f"Reason: {r.detail}" if r.detail else "Reason: —",
            f"Last data: {m.data(m.index(i, 3))} · latency {ms_text(r.latency_last_ms)} (p99 "
            f"{ms_text(r.latency_p99_ms)}) · {m.data(m.index(i, 6))} polls/messages · {r.reconnects} reconnects",
            "Errors by kind: " + (", ".join(f"{error_name(k)} ({k}) ×{v}" for k, v in
                                            sorted(r.errors.items(), key=lambda kv: (-kv[1], kv[0])))
                                  or "none"),
        ]
        self.detail_text.setText("\n".join(lines))

    @Slot()
    def _on_copy(self) -> None:
        QGuiApplication.clipboard().setText(self.model.as_text())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def shutdown(self) -> None:
        self._timer.stop()
