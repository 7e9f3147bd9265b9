"""Modbus register scanner (technician tool): read a range from a device, see every register under every
data type and byte/word order, pick one and get its `modbus://` source URL.

The read is `hmi.services.register_scanner.scan` on the view's worker thread (short timeout, no
retry); the GUI thread only shows results. Left: the registers (one row per address, multi-register
types decoded in the order chosen above the table). Right: the picked address under every type and
order; clicking a cell picks that type and order for the URL.
"""

from __future__ import annotations

import math
import threading
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.core.errors import ValidationError
from hmi.core.registers import ORDERS, register_count
from hmi.services.register_scanner import (
    BIT_TABLES,
    MAX_SCAN,
    TABLE_NAMES,
    VALUE_TYPES,
    DeviceAddress,
    Guard,
    ScanError,
    ScanRequest,
    ScanResult,
    modbus_source_url,
    orders_for,
    scan,
)
from hmi.ui.i18n import TrMap, fmt_number, message_text, translate
from hmi.ui.theme import set_state_property, theme_brush
from hmi.ui.tool_link_diagnostics import EXCEPTION_NAME, PanelScroll, error_name, exception_text
from hmi.ui.worker import Jobs
from hmi.ui.wrap_layout import WrapLayout

Index = QModelIndex | QPersistentModelIndex
MUTED = QBrush(QColor("#8a9096"))
PICKED = QBrush(QColor("#c5ccd4"))
REF_BASE = {"coil": 0, "di": 100000, "ir": 300000, "hr": 400000}  # 6-digit Modicon references
CONTEXT = "RegisterScanner"
# Why a register shows no value (in its Hex cell): the driver's reason, short.
REASON_TEXT = TrMap(CONTEXT, {
    "device_timeout": QT_TRANSLATE_NOOP("RegisterScanner", "no answer"),
    "disconnected": QT_TRANSLATE_NOOP("RegisterScanner", "no connection"),
    "protocol_error": QT_TRANSLATE_NOOP("RegisterScanner", "protocol error"),
    "short_read": QT_TRANSLATE_NOOP("RegisterScanner", "short answer"),
})
# The register tables (hmi.services.register_scanner TABLE_NAMES) in the user's language.
TABLE_TEXT = TrMap(CONTEXT, {
    "hr": QT_TRANSLATE_NOOP("RegisterScanner", "Holding registers"),
    "ir": QT_TRANSLATE_NOOP("RegisterScanner", "Input registers"),
    "coil": QT_TRANSLATE_NOOP("RegisterScanner", "Coils"),
    "di": QT_TRANSLATE_NOOP("RegisterScanner", "Discrete inputs"),
})
ORDER_TEXT = TrMap(CONTEXT, {
    "abcd": QT_TRANSLATE_NOOP("RegisterScanner", "big-endian"),
    "cdab": QT_TRANSLATE_NOOP("RegisterScanner", "word-swapped"),
    "badc": QT_TRANSLATE_NOOP("RegisterScanner", "byte-swapped"),
    "dcba": QT_TRANSLATE_NOOP("RegisterScanner", "little-endian"),
})


def number_text(v: float, digits: int = 7) -> str:
    """A float like `%.{digits}g`, in the user's locale (decimal comma in Dutch, no group separators);
    `digits=0`: the shortest text that reads back the same value (Python's repr)."""
    loc = QLocale()
    loc.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return loc.toString(float(v), "g", digits or QLocale.FloatingPointPrecisionOption.FloatingPointShortest)


def value_text(v: float | None, data_type: str, *, exact: bool = False) -> str:
    """A decoded register value as shown: integers as they are, floats in the user's locale (`exact`:
    every digit, for a tooltip). Hex and addresses are written elsewhere and never localised."""
    if v is None:
        return ""
    if data_type in ("float32", "float64"):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "+inf" if v > 0 else "-inf"
        return number_text(v, 0 if exact else 7)
    return str(int(v))


def reason_text(reason: str, code: int | None) -> str:
    if code is not None:
        return exception_text(code)
    return REASON_TEXT.get(reason, reason.replace("_", " "))


def scan_error_text(e: ScanError) -> str:
    """"19: exception 2 (illegal data address)", "0..9: device timeout (no response)" (the translated
    form of `ScanError.text()`; a library's own detail stays as it came)."""
    where = f"{e.start}" if e.count == 1 else f"{e.start}..{e.start + e.count - 1}"
    if e.code is not None:
        name = EXCEPTION_NAME.get(e.code, e.detail)
        return f"{where}: {exception_text(e.code)} ({name})"
    if e.detail:
        return f"{where}: {error_name(e.reason)} ({message_text(e.detail)})"
    return f"{where}: {error_name(e.reason)}"


class RegisterTableModel(QAbstractTableModel):
    """One row per scanned address: reference, raw hex, and the value starting there as each type
    (multi-register types in `order`)."""

    FIXED = (QT_TRANSLATE_NOOP("RegisterTableModel", "Address"), QT_TRANSLATE_NOOP("RegisterTableModel", "Ref"),
             QT_TRANSLATE_NOOP("RegisterTableModel", "Hex"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.result: ScanResult | None = None
        self.order = "abcd"

    @property
    def bits(self) -> bool:
        return self.result is not None and self.result.request.table in BIT_TABLES

    @property
    def types(self) -> tuple[str, ...]:
        return ("bool",) if self.bits else VALUE_TYPES

    COLUMN_WIDTHS = (82, 68, 124, 62, 70, 104, 104, 108, 140)  # Hex also holds a reason ("uitzondering 2")

    def set_result(self, result: ScanResult | None) -> None:
        self.beginResetModel()
        self.result = result
        self.endResetModel()

    def set_order(self, order: str) -> None:
        self.order = order
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 3), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def address(self, row: int) -> int:
        assert self.result is not None
        return self.result.request.start + row

    def type_of_column(self, col: int) -> str | None:
        i = col - len(self.FIXED)
        return self.types[i] if 0 <= i < len(self.types) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.result is None else len(self.result.values)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.FIXED) + len(self.types)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section < len(self.FIXED):
            if self.bits and section == 2:
                return self.tr("Value")
            return translate("RegisterTableModel", self.FIXED[section])
        t = self.type_of_column(section)
        return t

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.result is None:
            return None
        r = self.result
        row, col = index.row(), index.column()
        address = r.request.start + row
        raw = r.values[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return str(address)
            if col == 1:
                return f"{REF_BASE[r.request.table] + address + 1:06d}"
            if col == 2:
                if raw is None:
                    err = r.error_for(address)
                    return reason_text(err.reason, err.code) if err else "—"
                return str(raw) if self.bits else f"0x{raw:04X}"
            if self.bits:
                return ""
            t = self.type_of_column(col)
            if t is None:
                return None
            return value_text(r.decode(address, t, self.order if register_count(t) > 1 else "abcd"), t)
        if role == Qt.ItemDataRole.ForegroundRole and (raw is None or col == 1):
            return theme_brush(MUTED.color().name())
        if role == Qt.ItemDataRole.FontRole and raw is None and col == 2:
            f = QFont()
            f.setItalic(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole:
            if raw is None:
                err = r.error_for(address)
                return scan_error_text(err) if err else self.tr("not read")
            t = self.type_of_column(col)
            if t is not None and not self.bits:
                v = r.decode(address, t, self.order if register_count(t) > 1 else "abcd")
                return None if v is None else f"{t} {self.order}: {value_text(v, t, exact=True)}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class InterpretationModel(QAbstractTableModel):
    """The picked address under every data type (rows) and byte/word order (columns)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.result: ScanResult | None = None
        self.address = 0
        self.picked: tuple[str, str] = ("uint16", "abcd")

    @property
    def types(self) -> tuple[str, ...]:
        if self.result is not None and self.result.request.table in BIT_TABLES:
            return ("bool",)
        return VALUE_TYPES

    def show(self, result: ScanResult | None, address: int) -> None:
        self.beginResetModel()
        self.result, self.address = result, address
        self.endResetModel()

    def pick(self, data_type: str, order: str) -> None:
        self.picked = (data_type, order)
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def cell(self, row: int, col: int) -> tuple[str, str] | None:
        """(type, order) of a cell; a 16-bit type's word-swapped orders map to the ones that differ."""
        if not (0 <= row < len(self.types) and 0 <= col < len(ORDERS)):
            return None
        t, order = self.types[row], ORDERS[col]
        if t == "bool":
            return t, "abcd"
        if order not in orders_for(t):
            order = {"cdab": "abcd", "dcba": "badc"}[order]
        return t, order

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.types)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else (1 if self.types == ("bool",) else len(ORDERS))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.tr("value") if self.types == ("bool",) else ORDERS[section]
        return self.types[section] if 0 <= section < len(self.types) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.result is None:
            return None
        cell = self.cell(index.row(), index.column())
        if cell is None:
            return None
        t, order = cell
        same = ORDERS[index.column()] != order  # a 16-bit value under a word swap: the same as its pair
        if role == Qt.ItemDataRole.DisplayRole:
            return value_text(self.result.decode(self.address, t, order), t) or "—"
        if role == Qt.ItemDataRole.BackgroundRole and cell == self.picked and not same:
            return theme_brush(PICKED.color().name(), background=True)
        if role == Qt.ItemDataRole.ForegroundRole and same:
            return theme_brush(MUTED.color().name())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            v = self.result.decode(self.address, t, order)
            shown = f"{t} {order}: {value_text(v, t, exact=True) or '—'}"
            return self.tr("{value} (one register: only the byte swap matters)").format(value=shown) if same else shown
        return None


class _TextFitCombo(QComboBox):
    """A combo at least as wide as its longest item by the text's advance (QComboBox measures a
    bounding box, a pixel or two short for "Holding registers (hr)", and cut its last letter)."""

    def _fit(self, size: QSize) -> QSize:
        fm = self.fontMetrics()
        widest = max((fm.horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        need = self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, opt, QSize(widest, fm.height()), self)
        return QSize(max(size.width(), need.width()), size.height())

    def sizeHint(self) -> QSize:
        return self._fit(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self._fit(super().minimumSizeHint())


def _label(text: str, parent: QWidget, name: str = "toolbarLabel") -> QLabel:
    lbl = QLabel(text, parent)
    lbl.setObjectName(name)
    return lbl


class RegisterScannerView(QWidget):
    """Read a register range from a device; pick a register, type and order; `bindRequested(source_url)`."""

    bindRequested = Signal(str)
    scanFinished = Signal(object)  # ScanResult (tests, status)

    def __init__(
        self,
        *,
        guard: Guard | None = None,
        device: DeviceAddress | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("registerScanner")
        self._guard = guard
        self._cancel = threading.Event()
        self.jobs = Jobs("register-scanner", self)
        self.registers = RegisterTableModel(self)
        self.interpretations = InterpretationModel(self)
        self.result: ScanResult | None = None
        self._address: int | None = None
        self._build(device or DeviceAddress())
        self._update_binding()

    # -- construction ---------------------------------------------------------------------------------
    def _build(self, device: DeviceAddress) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        bar = QFrame(self)
        bar.setObjectName("screenToolbar")
        # Groups (the device; the table; unit, start, count and timeout; Read) that flow onto more rows
        # when the screen is narrow (1024 px, Dutch) instead of squeezing spin boxes onto their labels.
        flow = WrapLayout(bar, spacing=14, row_spacing=6)
        flow.setContentsMargins(14, 8, 14, 8)

        self.transport = QComboBox(bar)
        self.transport.setObjectName("toolCombo")
        self.transport.addItem(self.tr("Modbus TCP"), "tcp")
        self.transport.addItem(self.tr("Modbus RTU (serial)"), "rtu")
        self.transport.currentIndexChanged.connect(self._on_transport)
        self.where = QStackedWidget(bar)
        tcp = QWidget(self.where)
        tcp_row = QHBoxLayout(tcp)
        tcp_row.setContentsMargins(0, 0, 0, 0)
        self.host_edit = QLineEdit(device.host if not device.serial else "127.0.0.1", tcp)
        self.host_edit.setObjectName("toolField")
        self.host_edit.setPlaceholderText(self.tr("host or IP"))
        self.port_spin = QSpinBox(tcp)
        self.port_spin.setObjectName("toolSpin")
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(device.port if not device.serial else 502)
        tcp_row.addWidget(_label(self.tr("Host"), tcp))
        tcp_row.addWidget(self.host_edit, 1)
        tcp_row.addWidget(_label(self.tr("Port"), tcp))
        tcp_row.addWidget(self.port_spin)
        rtu = QWidget(self.where)
        rtu_row = QHBoxLayout(rtu)
        rtu_row.setContentsMargins(0, 0, 0, 0)
        self.serial_edit = QLineEdit(device.host if device.serial else "/dev/ttyUSB0", rtu)
        self.serial_edit.setObjectName("toolField")
        self.baud_box = QComboBox(rtu)
        self.baud_box.setObjectName("toolCombo")
        for b in (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200):
            self.baud_box.addItem(str(b), b)
        self.baud_box.setCurrentIndex(self.baud_box.findData(device.baud if device.serial else 19200))
        self.parity_box = QComboBox(rtu)
        self.parity_box.setObjectName("toolCombo")
        for text, p in ((self.tr("Even"), "E"), (self.tr("None"), "N"), (self.tr("Odd"), "O")):
            self.parity_box.addItem(text, p)
        self.parity_box.setCurrentIndex(max(0, self.parity_box.findData(device.parity)))
        self.stop_box = QComboBox(rtu)
        self.stop_box.setObjectName("toolCombo")
        self.stop_box.addItem(self.tr("1 stop bit"), 1)
        self.stop_box.addItem(self.tr("2 stop bits"), 2)
        self.stop_box.setCurrentIndex(0 if device.stopbits == 1 else 1)
        rtu_row.addWidget(_label(self.tr("Port"), rtu))
        rtu_row.addWidget(self.serial_edit, 1)
        rtu_row.addWidget(self.baud_box)
        rtu_row.addWidget(self.parity_box)
        rtu_row.addWidget(self.stop_box)
        self.where.addWidget(tcp)
        self.where.addWidget(rtu)
        if device.serial:
            self.transport.setCurrentIndex(1)

        self.unit_spin = QSpinBox(bar)
        self.unit_spin.setObjectName("toolSpin")
        self.unit_spin.setRange(0, 247)
        self.unit_spin.setValue(1)
        self.table_box = _TextFitCombo(bar)
        self.table_box.setObjectName("toolCombo")
        for key in TABLE_NAMES:
            self.table_box.addItem(f"{TABLE_TEXT.get(key, key)} ({key})", key)
        self.start_spin = QSpinBox(bar)
        self.start_spin.setObjectName("toolSpin")
        self.start_spin.setRange(0, 65535)
        self.start_spin.setToolTip(self.tr("0-based protocol address (register 40001 is address 0)"))
        self.count_spin = QSpinBox(bar)
        self.count_spin.setObjectName("toolSpin")
        self.count_spin.setRange(1, MAX_SCAN)
        self.count_spin.setValue(20)
        self.timeout_spin = QDoubleSpinBox(bar)
        self.timeout_spin.setObjectName("toolSpin")
        self.timeout_spin.setRange(0.1, 10.0)
        self.timeout_spin.setSingleStep(0.1)
        self.timeout_spin.setDecimals(1)
        self.timeout_spin.setValue(0.5)
        self.timeout_spin.setSuffix(" s")
        self.read_button = QPushButton(self.tr("Read"), bar)
        self.read_button.setObjectName("primaryButton")
        self.read_button.clicked.connect(self._on_read)

        self.transport.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.host_edit.setMinimumWidth(140)
        self.host_edit.setMaximumWidth(260)
        self.port_spin.setFixedWidth(96)
        self.serial_edit.setMinimumWidth(140)
        self.serial_edit.setMaximumWidth(220)
        self.unit_spin.setFixedWidth(76)
        self.start_spin.setFixedWidth(96)
        self.count_spin.setFixedWidth(86)
        self.timeout_spin.setFixedWidth(86)
        self.read_button.setMinimumWidth(110)
        tcp_row.addStretch(1)
        rtu_row.addStretch(1)
        self.table_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        def group(*widgets: QWidget, stretch_last: bool = False) -> QHBoxLayout:
            row = QHBoxLayout()
            row.setSpacing(8)
            for i, w in enumerate(widgets):
                row.addWidget(w, 1 if stretch_last and i == len(widgets) - 1 else 0)
            return row

        flow.add_layout(group(_label(self.tr("Device"), bar), self.transport, self.where, stretch_last=True),
                        stretch=True)
        flow.add_layout(group(_label(self.tr("Read"), bar), self.table_box))
        for text, spin in ((self.tr("Unit"), self.unit_spin), (self.tr("Start"), self.start_spin),
                           (self.tr("Count"), self.count_spin), (self.tr("Timeout"), self.timeout_spin)):
            flow.add_layout(group(_label(text, bar), spin))
        flow.add_widget(self.read_button, gap=8)
        root.addWidget(bar)

        self.status = QLabel(self.tr("Enter the device and the range, then Read."), self)
        self.status.setObjectName("toolStatus")
        self.status.setWordWrap(True)
        root.addWidget(self.status)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("toolSplitter")
        split.setChildrenCollapsible(False)
        left = QWidget(split)
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        left_col.setSpacing(0)
        order_row = WrapLayout(spacing=8, row_spacing=4)  # the combo under its label when the pane is narrow
        order_row.setContentsMargins(14, 6, 14, 6)
        order_row.add_widget(_label(self.tr("Multi-register order"), left))
        self.order_box = QComboBox(left)
        self.order_box.setObjectName("toolCombo")
        for order in ("abcd", "cdab", "badc", "dcba"):
            self.order_box.addItem(f"{order}  {ORDER_TEXT[order]}", order)
        self.order_box.currentIndexChanged.connect(self._on_order)
        order_row.add_widget(self.order_box)
        left_col.addLayout(order_row)
        self.table = QTableView(left)
        self.table.setObjectName("toolTable")
        self.table.setModel(self.registers)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.selectionModel().currentChanged.connect(self._on_register_picked)
        left_col.addWidget(self.table, 1)

        side = QFrame()
        side.setObjectName("toolPanel")
        PanelScroll(side, split)
        panel = QVBoxLayout(side)
        panel.setContentsMargins(16, 12, 16, 12)
        panel.setSpacing(8)
        self.pick_title = QLabel(self.tr("Pick a register"), side)
        self.pick_title.setObjectName("toolTitle")
        self.pick_hint = QLabel(self.tr("Every data type (rows) in every byte/word order (columns). Click the "
                                        "one that shows the value the device displays."), side)
        self.pick_hint.setObjectName("toolHint")
        self.pick_hint.setWordWrap(True)
        self.grid_view = QTableView(side)
        self.grid_view.setObjectName("toolTable")
        self.grid_view.setModel(self.interpretations)
        self.grid_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid_view.clicked.connect(self._on_cell_clicked)
        self.raw_label = QLabel("", side)
        self.raw_label.setObjectName("toolValue")
        self.raw_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        panel.addWidget(self.pick_title)
        panel.addWidget(self.raw_label)
        panel.addWidget(self.pick_hint)
        panel.addWidget(self.grid_view, 1)

        form = QGridLayout()
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        self.scale_spin = QDoubleSpinBox(side)
        self.scale_spin.setObjectName("toolSpin")
        self.scale_spin.setRange(-1e6, 1e6)
        self.scale_spin.setDecimals(4)
        self.scale_spin.setValue(1.0)
        self.scale_spin.valueChanged.connect(lambda _v: self._update_binding())
        self.offset_spin = QDoubleSpinBox(side)
        self.offset_spin.setObjectName("toolSpin")
        self.offset_spin.setRange(-1e9, 1e9)
        self.offset_spin.setDecimals(4)
        self.offset_spin.valueChanged.connect(lambda _v: self._update_binding())
        self.url_edit = QLineEdit(side)
        self.url_edit.setObjectName("toolUrl")
        self.url_edit.setReadOnly(True)
        self.url_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.bind_button = QPushButton(self.tr("Bind to sensor…"), side)
        self.bind_button.setObjectName("primaryButton")
        self.bind_button.clicked.connect(self._on_bind)
        self.bind_hint = QLabel("", side)
        self.bind_hint.setObjectName("toolHint")
        self.bind_hint.setWordWrap(True)
        form.addWidget(_label(self.tr("Scale"), side, "fieldLabel"), 0, 0)
        form.addWidget(self.scale_spin, 0, 1)
        form.addWidget(_label(self.tr("Offset"), side, "fieldLabel"), 0, 2)
        form.addWidget(self.offset_spin, 0, 3)
        form.addWidget(_label(self.tr("Source URL"), side, "fieldLabel"), 1, 0)
        form.addWidget(self.url_edit, 1, 1, 1, 3)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        panel.addLayout(form)
        bind_row = QHBoxLayout()
        bind_row.addWidget(self.bind_hint, 1)
        bind_row.addWidget(self.bind_button)
        panel.addLayout(bind_row)
        split.setSizes([890, 550])
        root.addWidget(split, 1)

    # -- reading --------------------------------------------------------------------------------------
    def device(self) -> DeviceAddress:
        if self.transport.currentData() == "rtu":
            return DeviceAddress(self.serial_edit.text().strip(), 0, True, int(self.baud_box.currentData()),
                                 str(self.parity_box.currentData()), int(self.stop_box.currentData()))
        return DeviceAddress(self.host_edit.text().strip(), self.port_spin.value())

    def request(self) -> ScanRequest:
        return ScanRequest(self.device(), str(self.table_box.currentData()), self.unit_spin.value(),
                           self.start_spin.value(), self.count_spin.value(), self.timeout_spin.value())

    @Slot()
    def _on_read(self) -> None:
        if self.jobs.busy:
            self._cancel.set()  # "Stop" while a scan runs
            return
        try:
            req = self.request().check()
        except ValidationError as exc:
            self._set_status(message_text(exc), "error")
            return
        self._cancel = threading.Event()
        self.read_button.setText(self.tr("Stop"))
        self._set_status(self.tr("Reading {device} unit {unit} {table}/{first}..{last}…").format(
            device=req.device.display(), unit=req.unit, table=req.table, first=req.start,
            last=req.start + req.count - 1), "busy")
        self.jobs.run(scan, self._on_scanned, self._on_scan_failed, req, cancel=self._cancel, guard=self._guard)

    def _on_scanned(self, result: ScanResult) -> None:
        self.read_button.setText(self.tr("Read"))
        self.show_result(result)
        self.scanFinished.emit(result)

    def _on_scan_failed(self, exc: BaseException) -> None:
        self.read_button.setText(self.tr("Read"))
        self._set_status(message_text(exc) or type(exc).__name__, "error")

    def show_result(self, result: ScanResult) -> None:
        self.result = result
        self.registers.set_result(result)
        for col, width in enumerate(RegisterTableModel.COLUMN_WIDTHS):
            self.table.setColumnWidth(col, width)
        self.registers.set_order(str(self.order_box.currentData()))
        req = result.request
        head = self.tr("{device} unit {unit} · {table} {first}..{last} · {read} of {count} read in {ms} ms "
                       "({requests} requests)").format(
            device=req.device.display(), unit=req.unit, table=TABLE_TEXT.get(req.table, req.table).lower(),
            first=req.start, last=req.start + req.count - 1, read=result.read, count=req.count,
            ms=fmt_number(result.latency_ms, 0), requests=result.requests)
        if result.cancelled:
            self._set_status(self.tr("{status} · stopped").format(status=head), "")
        elif result.aborted:
            e = result.errors[-1]
            if result.aborted == "device_timeout":
                why = self.tr("no answer within {seconds} s").format(seconds=number_text(req.timeout, 6))
            elif result.aborted == "disconnected":
                why = self.tr("cannot connect")
            else:
                why = error_name(result.aborted)
            self._set_status(f"{head} · {why} ({message_text(e.detail)}); {e.reason}", "error")
        elif result.errors:
            refused = "; ".join(scan_error_text(e) for e in result.errors[:4])
            if len(result.errors) > 4:
                text = self.tr("{status} · device refused {errors} and {n} more").format(
                    status=head, errors=refused, n=len(result.errors) - 4)
            else:
                text = self.tr("{status} · device refused {errors}").format(status=head, errors=refused)
            self._set_status(text, "error")
        else:
            self._set_status(head, "")
        first = next((i for i, v in enumerate(result.values) if v is not None), None)
        if first is not None:
            self.pick_register(req.start + first)
        else:
            self._address = None
            self.interpretations.show(None, 0)
            self.raw_label.setText("")
            self._update_binding()

    def _set_status(self, text: str, level: str) -> None:
        self.status.setText(text)
        set_state_property(self.status, "level", level)

    # -- picking --------------------------------------------------------------------------------------
    def pick_register(self, address: int, data_type: str | None = None, order: str | None = None) -> None:
        """Show `address` under every type/order; with `data_type` (and `order`), pick that one."""
        if self.result is None:
            return
        row = address - self.result.request.start
        if not 0 <= row < len(self.result.values):
            return
        self._address = address
        self.interpretations.show(self.result, address)
        if self.result.request.table in BIT_TABLES:
            data_type, order = "bool", "abcd"
        else:
            data_type = data_type or self.interpretations.picked[0]
            order = order or self.interpretations.picked[1]
            if data_type == "bool":
                data_type = "uint16"
            if order not in orders_for(data_type):
                order = "abcd"
        self.interpretations.pick(data_type, order)
        if self.table.currentIndex().row() != row:
            self.table.setCurrentIndex(self.registers.index(row, 0))
        self.pick_title.setText(self.tr("Address {address} · {table}/{address} · unit {unit}").format(
            address=address, table=self.result.request.table, unit=self.result.request.unit))
        raw = [self.result.value(a) for a in range(address, address + 4)]
        bits = self.result.request.table in BIT_TABLES
        shown = "  ".join(("—" if v is None else str(v) if bits else f"{v:04X}") for v in (raw[:1] if bits else raw))
        if bits:
            self.raw_label.setText(self.tr("Bit {value}").format(value=shown))
        else:
            self.raw_label.setText(self.tr("Registers {first}–{last}:  {values}").format(
                first=address, last=address + 3, values=shown))
        self._update_binding()

    @Slot(QModelIndex, QModelIndex)
    def _on_register_picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self.result is None:
            return
        address = self.registers.address(current.row())
        t = self.registers.type_of_column(current.column())
        order = str(self.order_box.currentData()) if t and register_count(t) > 1 else None
        if address != self._address or t is not None:
            self.pick_register(address, t, order)

    @Slot(QModelIndex)
    def _on_cell_clicked(self, index: QModelIndex) -> None:
        cell = self.interpretations.cell(index.row(), index.column())
        if cell is None or self._address is None:
            return
        self.interpretations.pick(*cell)
        self._update_binding()

    @Slot(int)
    def _on_order(self, _i: int) -> None:
        self.registers.set_order(str(self.order_box.currentData()))
        self.registers.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.registers.columnCount() - 1)

    @Slot(int)
    def _on_transport(self, i: int) -> None:
        self.where.setCurrentIndex(i)

    @property
    def source_url(self) -> str:
        return self.url_edit.text()

    def _update_binding(self) -> None:
        url, why = "", ""
        r = self.result
        if r is None or self._address is None:
            why = self.tr("Read a range, then pick a register and how to read it.")
        else:
            t, order = self.interpretations.picked
            value = r.decode(self._address, t, order)
            bits = r.request.table in BIT_TABLES  # a bit has no scale or offset
            scale, offset = (1.0, 0.0) if bits else (self.scale_spin.value(), self.offset_spin.value())
            try:
                url = modbus_source_url(r.request.device, r.request.table, self._address, r.request.unit, t, order,
                                        scale, offset)
            except ValidationError as exc:
                why = message_text(exc)
            else:
                if value is None:
                    why = self.tr("{type} at {address} was not read (or runs past the range)").format(
                        type=t, address=self._address)
                elif (scale, offset) != (1.0, 0.0):
                    why = self.tr("Reads {value} now → {scaled} after scale/offset").format(
                        value=value_text(value, t), scaled=number_text(value * scale + offset))
                else:
                    why = self.tr("Reads {value} now").format(value=value_text(value, t))
        bits_table = r is not None and r.request.table in BIT_TABLES
        self.scale_spin.setEnabled(not bits_table)
        self.offset_spin.setEnabled(not bits_table)
        self.url_edit.setText(url)
        self.url_edit.setCursorPosition(0)
        self.url_edit.setToolTip(url)
        self.bind_button.setEnabled(bool(url))
        self.bind_hint.setText(why)

    @Slot()
    def _on_bind(self) -> None:
        if self.url_edit.text():
            self.bindRequested.emit(self.url_edit.text())

    def shutdown(self) -> None:
        """Stop a running scan and end the worker thread (a request returns within its timeout)."""
        self._cancel.set()
        self.jobs.close(timeout=self.timeout_spin.value() + 2.0)
