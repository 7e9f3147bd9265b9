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

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.core.link_diagnostics import LinkDiagnostics
from hmi.ui.i18n import TrMap, fmt_int, fmt_number, message_text, translate
from hmi.ui.sensor_board import SensorState
from hmi.ui.table_model import HeaderedTableModel
from hmi.ui.theme import AlarmPalette, StateStyle, theme_brush

Index = QModelIndex | QPersistentModelIndex
Snapshot = Callable[[], Sequence[LinkDiagnostics]]
POLL_MS = 1000
MUTED = QBrush(QColor("#6b7075"))
CONTEXT = "LinkDiagnostics"
STATE_TEXT = TrMap(CONTEXT, {
    "up": QT_TRANSLATE_NOOP("LinkDiagnostics", "Up"),
    "down": QT_TRANSLATE_NOOP("LinkDiagnostics", "Down"),
    "degraded": QT_TRANSLATE_NOOP("LinkDiagnostics", "Degraded"),
    "connecting": QT_TRANSLATE_NOOP("LinkDiagnostics", "Connecting"),
})
KIND_TEXT = TrMap(CONTEXT, {
    "mqtt": QT_TRANSLATE_NOOP("LinkDiagnostics", "MQTT broker"),
    "modbus": QT_TRANSLATE_NOOP("LinkDiagnostics", "Modbus"),
    "sim": QT_TRANSLATE_NOOP("LinkDiagnostics", "Simulator"),
    "database": QT_TRANSLATE_NOOP("LinkDiagnostics", "Database"),
    "link": QT_TRANSLATE_NOOP("LinkDiagnostics", "Link"),
})
# The drivers' reasons for a failed request (hmi.drivers.modbus REASON_*), as a technician reads them.
REASON_NAME = TrMap(CONTEXT, {
    "device_timeout": QT_TRANSLATE_NOOP("LinkDiagnostics", "device timeout"),
    "disconnected": QT_TRANSLATE_NOOP("LinkDiagnostics", "disconnected"),
    "protocol_error": QT_TRANSLATE_NOOP("LinkDiagnostics", "protocol error"),
    "short_read": QT_TRANSLATE_NOOP("LinkDiagnostics", "short read"),
    "decode_error": QT_TRANSLATE_NOOP("LinkDiagnostics", "decode error"),
    "not_finite": QT_TRANSLATE_NOOP("LinkDiagnostics", "not finite"),
    "register_out_of_range": QT_TRANSLATE_NOOP("LinkDiagnostics", "register out of range"),
    "readback_mismatch": QT_TRANSLATE_NOOP("LinkDiagnostics", "readback mismatch"),
})
# Modbus exception codes (hmi.drivers.modbus EXCEPTION_NAMES), as a technician reads them.
EXCEPTION_NAME = TrMap(CONTEXT, {
    1: QT_TRANSLATE_NOOP("LinkDiagnostics", "illegal function"),
    2: QT_TRANSLATE_NOOP("LinkDiagnostics", "illegal data address"),
    3: QT_TRANSLATE_NOOP("LinkDiagnostics", "illegal data value"),
    4: QT_TRANSLATE_NOOP("LinkDiagnostics", "device failure"),
    5: QT_TRANSLATE_NOOP("LinkDiagnostics", "acknowledge"),
    6: QT_TRANSLATE_NOOP("LinkDiagnostics", "device busy"),
    8: QT_TRANSLATE_NOOP("LinkDiagnostics", "memory parity error"),
    10: QT_TRANSLATE_NOOP("LinkDiagnostics", "gateway path unavailable"),
    11: QT_TRANSLATE_NOOP("LinkDiagnostics", "gateway target failed to respond"),
})


def span_text(seconds: float) -> str:
    """A short span of time: "4 s", "12 min", "1.5 h", "3 d" (in the user's language and locale)."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return translate("LinkDiagnostics", "{n} s").format(n=fmt_number(seconds, 0))
    if seconds < 3600:
        return translate("LinkDiagnostics", "{n} min").format(n=fmt_number(seconds / 60, 0))
    if seconds < 86400:
        return translate("LinkDiagnostics", "{n} h").format(n=fmt_number(seconds / 3600, 1))
    return translate("LinkDiagnostics", "{n} d").format(n=fmt_number(seconds / 86400, 0))


def age_text(seconds: float | None) -> str:
    if seconds is None:
        return translate("LinkDiagnostics", "never")
    return translate("LinkDiagnostics", "{age} ago").format(age=span_text(seconds))


def ms_text(ms: float | None) -> str:
    if ms is None:
        return "—"
    return f"{fmt_number(ms, 1 if ms < 100 else 0)} ms"


def exception_text(code: int) -> str:
    """"exception 2"."""
    return translate("LinkDiagnostics", "exception {code}").format(code=code)


def error_name(reason: str) -> str:
    """"modbus_exception_2" -> "exception 2", "device_timeout" -> "device timeout" (translated); a reason
    the drivers do not name (a library's own text) as it is."""
    if reason in REASON_NAME:
        return REASON_NAME[reason]
    code = reason.removeprefix("modbus_exception_")
    if code != reason and code.isdigit():
        return exception_text(int(code))
    return reason.removeprefix("modbus_").replace("_", " ")


def errors_text(errors: dict[str, int] | Any, limit: int = 3) -> str:
    items = sorted(errors.items(), key=lambda kv: (-kv[1], kv[0]))
    if not items:
        return translate("LinkDiagnostics", "none")
    parts = [f"{error_name(k)} ×{v}" for k, v in items[:limit]]
    if len(items) > limit:
        parts.append(translate("LinkDiagnostics", "+{n} more").format(n=len(items) - limit))
    return " · ".join(parts)



class PanelScroll(QScrollArea):
    """A tool's side panel (pick, bind) that scrolls vertically when the window is low (1024x700, or
    1280x720 with a two-row toolbar) instead of squeezing its fields on top of each other.

    The panel fills the viewport and is never made lower than its minimum (a resizable QScrollArea
    would give it the height it prefers, and scroll even when there is room); the splitter never
    makes the panel narrower than it needs."""

    def __init__(self, panel: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolPanelScroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidgetResizable(False)
        self.setWidget(panel)
        panel.installEventFilter(self)

    def _bar_width(self) -> int:
        return self.verticalScrollBar().sizeHint().width()

    def minimumSizeHint(self) -> QSize:
        panel = self.widget()
        width = panel.minimumSizeHint().width() if panel is not None else 0
        return QSize(width + self._bar_width(), 120)

    def sizeHint(self) -> QSize:
        panel = self.widget()
        hint = panel.sizeHint() if panel is not None else QSize()
        return QSize(hint.width() + self._bar_width(), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit_panel()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_panel()

    def _fit_panel(self) -> None:
        panel = self.widget()
        if panel is None:
            return
        low = panel.minimumSizeHint().height()
        bar = self._bar_width() if low > self.height() else 0  # the scroll bar takes its width then
        width = max(self.width() - bar, panel.minimumSizeHint().width())
        height = max(self.height(), low)
        if panel.size() != QSize(width, height):
            panel.resize(width, height)

class LinkTableModel(HeaderedTableModel):
    HEADERS = (
        QT_TRANSLATE_NOOP("LinkTableModel", "Link"), QT_TRANSLATE_NOOP("LinkTableModel", "Kind"),
        QT_TRANSLATE_NOOP("LinkTableModel", "State"), QT_TRANSLATE_NOOP("LinkTableModel", "Last data"),
        QT_TRANSLATE_NOOP("LinkTableModel", "Latency"), QT_TRANSLATE_NOOP("LinkTableModel", "p99"),
        QT_TRANSLATE_NOOP("LinkTableModel", "Polls / msgs"), QT_TRANSLATE_NOOP("LinkTableModel", "Errors"),
        QT_TRANSLATE_NOOP("LinkTableModel", "Reconnects"), QT_TRANSLATE_NOOP("LinkTableModel", "Detail"),
    )
    HEADERS_CONTEXT = "LinkTableModel"

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
                since = f" · {span_text(self._now() - r.since)}" if r.since else ""
                return STATE_TEXT.get(r.state, r.state) + since
            if col == 3:
                return age_text(None if r.last_data is None else self._now() - r.last_data)
            if col == 4:
                return ms_text(r.latency_last_ms)
            if col == 5:
                return ms_text(r.latency_p99_ms)
            if col == 6:
                return "—" if r.requests is None else fmt_int(r.requests)
            if col == 7:
                return errors_text(r.errors)
            if col == 8:
                return str(r.reconnects)
            return message_text(r.detail)
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
            return theme_brush(MUTED.color().name())
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 7 and r.errors:
                return "\n".join(f"{k}: {v}" for k, v in sorted(r.errors.items(), key=lambda kv: -kv[1]))
            if col in (0, 9):
                return f"{r.name}\n{message_text(r.detail)}" if r.detail else r.name
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (4, 5, 6, 8):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def as_text(self) -> str:
        """The table as tab-separated text, as shown (for a support ticket)."""
        lines = ["\t".join(self.header_text(c) or "" for c in range(len(self.HEADERS)))]
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
        title = QLabel(self.tr("Links"), bar)
        title.setObjectName("toolbarLabel")
        self.summary = QLabel("", bar)
        self.summary.setObjectName("toolbarCount")
        self.copy_button = QPushButton(self.tr("Copy table"), bar)
        self.copy_button.setObjectName("toolButton")
        self.copy_button.setToolTip(self.tr("Copy the table as text, for a support ticket"))
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
        self._header_fitted = False
        for col, width in enumerate((230, 105, 160, 100, 90, 85, 120, 305, 115)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        root.addWidget(self.table, 1)
        panel = QFrame(self)
        panel.setObjectName("linkDetail")
        panel.setMaximumHeight(170)
        detail_col = QVBoxLayout(panel)
        detail_col.setContentsMargins(16, 10, 16, 12)
        self.detail_title = QLabel(self.tr("Pick a link for its details"), panel)
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
            self.error.setText(self.tr("Diagnostics unavailable: {error}").format(
                error=f"{type(exc).__name__}: {message_text(exc)}"))
            self.error.show()
            return
        self.error.hide()
        self.model.update(rows)
        down = sum(1 for r in rows if r.state == "down")
        other = sum(1 for r in rows if r.state in ("degraded", "connecting"))
        parts = [self.tr("1 link") if len(rows) == 1 else self.tr("{n} links").format(n=len(rows))]
        if down:
            parts.append(self.tr("{n} down").format(n=down))
        if other:
            parts.append(self.tr("{n} degraded or connecting").format(n=other))
        if not down and not other and rows:
            parts.append(self.tr("all up"))
        self.summary.setText(" · ".join(parts))
        self._show_detail()

    def _show_detail(self) -> None:
        rows = self.model.rows
        i = self.table.currentIndex().row()
        if not 0 <= i < len(rows):
            i = next((k for k, r in enumerate(rows) if r.state != "up"), -1)  # the first link in trouble
        if i < 0:
            self.detail_title.setText(self.tr("Pick a link for its details"))
            self.detail_text.setText("")
            return
        r = rows[i]
        m = self.model
        self.detail_title.setText(f"{r.name} · {m.data(m.index(i, 2))}")
        errors = ", ".join(f"{error_name(k)} ({k}) ×{v}" for k, v in
                           sorted(r.errors.items(), key=lambda kv: (-kv[1], kv[0])))
        lines = [
            self.tr("Reason: {reason}").format(reason=message_text(r.detail) if r.detail else "—"),
            self.tr("Last data: {age} · latency {last} (p99 {p99}) · {requests} polls/messages · "
                    "{reconnects} reconnects").format(
                age=m.data(m.index(i, 3)), last=ms_text(r.latency_last_ms), p99=ms_text(r.latency_p99_ms),
                requests=m.data(m.index(i, 6)), reconnects=r.reconnects),
            self.tr("Errors by kind: {errors}").format(errors=errors or translate("LinkDiagnostics", "none")),
        ]
        self.detail_text.setText("\n".join(lines))

    @Slot()
    def _on_copy(self) -> None:
        QGuiApplication.clipboard().setText(self.model.as_text())

    def _fit_header(self) -> None:
        """Columns at least as wide as their titles (once the header has its style: a translated title
        may be longer than the width chosen for the English one)."""
        header = self.table.horizontalHeader()
        for col in range(self.model.columnCount() - 1):  # the last one stretches
            self.table.setColumnWidth(col, max(self.table.columnWidth(col), header.sectionSizeHint(col)))
        self._header_fitted = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._header_fitted:
            self._fit_header()
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def shutdown(self) -> None:
        self._timer.stop()
