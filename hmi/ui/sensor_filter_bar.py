"""The filter bar above the sensor table: by sensor type and by state, with a count per state.

State chips toggle (several may be on; "All" clears them) and show how many sensors of the shown
mill are in each state, so "Alarm 3" is readable before it is clicked. The bar only sets the
proxy's filters (SensorFilterProxy.set_types / set_states); the table follows.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
from PySide6.QtWidgets import QButtonGroup, QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from hmi.core.domain import SensorType
from hmi.ui.i18n import translate
from hmi.ui.sensor_board import FILTER_OF_STATE, TYPE_LABELS, SensorBoard, StateFilter
from hmi.ui.sensor_table_model import SensorFilterProxy
from hmi.ui.theme import bind_stylesheet, set_state_property
from hmi.ui.wrap_layout import WrapLayout

# Chips in the order an operator looks for them: the abnormal first.
CHIP_ORDER = (StateFilter.ALARM, StateFilter.BAD, StateFilter.STALE, StateFilter.DISABLED, StateFilter.NORMAL)
ALL_TYPES = QT_TRANSLATE_NOOP("SensorFilterBar", "All types")  # translate("SensorFilterBar", ALL_TYPES)

# Rules for the bar's widgets, scoped to it; they belong in resources/styles/light.qss.
FILTER_BAR_QSS = """
QFrame#sensorFilterBar { background-color: #e6e6e6; border-bottom: 1px solid #c4c4c4; }
QFrame#sensorFilterBar QLabel { background: transparent; }
QLabel#filterLabel { color: #3a3f45; font-size: 10pt; font-weight: bold; }
QLabel#filterCount { color: #3a3f45; font-size: 11pt; }
QComboBox#typeFilter { background-color: #f7f7f7; color: #1f2327; border: 1px solid #9ea3a8; border-radius: 3px;
    padding: 3px 8px; font-size: 11pt; min-width: 110px; }
QPushButton#filterChip { background-color: #f0f0f0; color: #2b3035; border: 1px solid #a9adb1; border-radius: 13px;
    padding: 3px 10px; font-size: 10pt; min-height: 18px; }
QPushButton#filterChip:hover { background-color: #f7f7f7; }
QPushButton#filterChip:checked { background-color: #353a40; color: #ffffff; border-color: #23272b; font-weight: bold; }
QPushButton#filterChip[active="alarm"] { border: 2px solid #c81e1e; }
QPushButton#filterChip[active="bad"] { border: 2px solid #8e3b9e; }
"""


class SensorFilterBar(QFrame):
    changed = Signal()  # the filters changed (the proxy already follows)

    def __init__(self, board: SensorBoard, proxy: SensorFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sensorFilterBar")
        bind_stylesheet(self, FILTER_BAR_QSS)
        self.board = board
        self.proxy = proxy
        self._total = len(board)
        # A flow, not a row: at 1024 px (or in Dutch) the chips and the count wrap onto a second row
        # instead of sliding under the type combo.
        layout = WrapLayout(self, spacing=6, row_spacing=6)
        layout.setContentsMargins(14, 6, 14, 6)

        type_label = QLabel(self.tr("Type"), self)
        type_label.setObjectName("filterLabel")
        self.type_box = QComboBox(self)
        self.type_box.setObjectName("typeFilter")
        self.type_box.addItem(translate("SensorFilterBar", ALL_TYPES), None)
        present = {s.type for s in board.plant.sensors()}
        for t in SensorType:
            if t in present:
                self.type_box.addItem(TYPE_LABELS[t], t.value)
        self.type_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.type_box.currentIndexChanged.connect(self._on_type)
        type_row = QHBoxLayout()
        type_row.setSpacing(6)
        type_row.addWidget(type_label)
        type_row.addWidget(self.type_box)
        layout.add_layout(type_row)

        self.all_chip = self._chip(self.tr("All"))
        self.all_chip.setChecked(True)
        self.all_chip.clicked.connect(self._on_all)
        layout.add_widget(self.all_chip, gap=10)
        self.chips: dict[StateFilter, QPushButton] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)
        for f in CHIP_ORDER:
            chip = self._chip(f.label)
            chip.setProperty("filter", f.value)
            chip.toggled.connect(self._on_chip)
            self.chips[f] = chip
            self._group.addButton(chip)
            layout.add_widget(chip)
        self.count = QLabel(self)
        self.count.setObjectName("filterCount")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.add_widget(self.count, stretch=True, gap=10)  # right-aligned in the room its row has left

        proxy.filtersChanged.connect(self.refresh_counts)
        proxy.rowsInserted.connect(self._show_count)
        proxy.rowsRemoved.connect(self._show_count)
        proxy.modelReset.connect(self._show_count)
        proxy.layoutChanged.connect(self._show_count)
        self.refresh_counts()

    def _chip(self, text: str) -> QPushButton:
        chip = QPushButton(text, self)
        chip.setObjectName("filterChip")
        chip.setCheckable(True)
        return chip

    # -- state -----------------------------------------------------------------------------------

    @property
    def selected_states(self) -> frozenset[StateFilter] | None:
        on = frozenset(f for f, chip in self.chips.items() if chip.isChecked())
        return on or None

    @property
    def selected_type(self) -> SensorType | None:
        data = self.type_box.currentData()
        return None if data is None else SensorType(data)

    def set_type(self, sensor_type: SensorType | None) -> None:
        i = self.type_box.findData(None if sensor_type is None else sensor_type.value)
        if i >= 0:
            self.type_box.setCurrentIndex(i)

    def set_states(self, states: set[StateFilter] | frozenset[StateFilter] | None) -> None:
        for f, chip in self.chips.items():
            chip.blockSignals(True)
            chip.setChecked(bool(states) and f in states)  # type: ignore[operator]
            chip.blockSignals(False)
        self._apply_states()

    def clear(self) -> None:
        self.set_type(None)
        self.set_states(None)

    # -- slots -----------------------------------------------------------------------------------

    @Slot(int)
    def _on_type(self, _index: int) -> None:
        t = self.selected_type
        self.proxy.set_types(None if t is None else {t})
        self.changed.emit()

    @Slot()
    def _on_all(self) -> None:
        self.set_states(None)

    @Slot(bool)
    def _on_chip(self, _checked: bool) -> None:
        self._apply_states()

    def _apply_states(self) -> None:
        states = self.selected_states
        self.all_chip.setChecked(states is None)
        self.proxy.set_states(states)
        self.changed.emit()

    @Slot()
    def refresh_counts(self) -> None:
        """Sensor states changed (or the mill): count per chip for the mill shown, and the total shown."""
        mill = self.proxy.mill
        counts = dict.fromkeys(StateFilter, 0)
        total = 0
        for row in self.board.rows:
            if mill is None or row.mill.slug == mill:
                counts[FILTER_OF_STATE[row.state]] += 1
                total += 1
        for f, chip in self.chips.items():
            n = counts[f]
            chip.setText(f"{f.label} {n}")
            active = f.value if n and f in (StateFilter.ALARM, StateFilter.BAD) else ""
            set_state_property(chip, "active", active)
        self._total = total
        self._show_count()

    @Slot()
    def _show_count(self) -> None:
        total = self._total
        shown = self.proxy.rowCount()
        if shown != total:
            text = self.tr("{shown} of {total} sensors").format(shown=shown, total=total)
        elif shown == 1:
            text = self.tr("{n} sensor").format(n=shown)
        else:
            text = self.tr("{n} sensors").format(n=shown)
        self.count.setText(text)
