"""The alarm summary screen: every unfinished alarm in a table, filtered by mill, priority and state,
sorted by importance until the operator sorts by a column; Acknowledge, Shelve…, Unshelve and Reset
on the selected alarms; a double-click opens the alarm's sensor.

Shelving asks for minutes and a required reason in a small dialog that is not modal at all (shown
with `show()`, never `exec()`): while it is open the operator can still acknowledge, silence the horn
and reach the e-stop, which a window-modal dialog would block.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from types import EllipsisType

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.core.alarms import MAX_SHELVE_MINUTES, Alarm, AlarmKey, AlarmKind
from hmi.core.domain import Severity
from hmi.ui.alarm_list import PRIORITIES, PRIORITY_LABELS, STATE_LABELS, AlarmTexts
from hmi.ui.alarm_model import (
    AlarmColumn,
    AlarmFilterProxy,
    AlarmRole,
    AlarmTableModel,
    LookRole,
    PriorityRole,
    StateFilter,
)
from hmi.ui.domain_words import capitalised, word
from hmi.ui.elided_label import ElidedLabel
from hmi.ui.i18n import fmt_datetime, fmt_time, translate
from hmi.ui.sensor_table import CELL_PADDING, SensorCellDelegate
from hmi.ui.theme import PriorityPalette, theme_colour
from hmi.ui.wrap_layout import WrapLayout

Index = QModelIndex | QPersistentModelIndex
MIN_SHELVE_MINUTES = 5
DEFAULT_SHELVE_MINUTES = 30
SHELVE_DIALOG_SIZE = (560, 300)
SECONDARY = (AlarmColumn.RAISED, AlarmColumn.MILL, AlarmColumn.MARK, AlarmColumn.ACKED_BY, AlarmColumn.SHELVED)
MUTED_CHIP = QColor("#8a9096")
MIN_STRETCH = 160  # the stretching column (the alarm's source) never gets narrower: the table scrolls instead
SAMPLE_TIME = 1_790_812_799.0  # 30 Sep 2026 23:59:59 UTC: two-digit day, month and hour, for column widths


def condition_samples() -> list[str]:
    """Every alarm condition as a table shows it (for column widths)."""
    return [capitalised(word(k)) for k in AlarmKind]


def time_samples() -> list[str]:
    """The widest times a table shows: today's, and another day's (for column widths)."""
    return [fmt_time(SAMPLE_TIME), fmt_datetime(SAMPLE_TIME, seconds=False)]


def paint_chip(
    painter: QPainter, rect: QRect, palette: PriorityPalette, priority: Severity, look: str, text: str, font: QFont
) -> None:
    """A priority chip: filled (acknowledged, or the on phase of the blink), outlined (the off
    phase) or muted (shelved / suppressed: grey, no alarm colour)."""
    style = palette[priority]
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if look == "filled":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.fill)
        text_color = style.text
    elif look == "outlined":
        painter.setPen(QPen(style.outline, 2.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        text_color = style.outline
        rect = rect.adjusted(1, 1, -1, -1)
    elif look == "marker":  # history (the journal): a colour square and plain text, no alarm fill
        side = min(rect.height() - 8, 14)
        square = QRect(rect.left(), rect.center().y() - side // 2, side, side)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.fill)
        painter.drawRect(square)
        painter.setPen(theme_colour("#2b3035"))
        painter.setFont(font)
        text_rect = rect.adjusted(side + 8, 0, 0, 0)
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text.capitalize())
        return
    else:
        text_color = theme_colour(MUTED_CHIP.name())
        painter.setPen(QPen(text_color, 1.2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect, 4, 4)
    painter.setPen(text_color)
    painter.setFont(font)
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)


class PriorityDelegate(QStyledItemDelegate):
    """The priority cell as a chip in the priority's colour; it stays coloured on a selected row."""

    def __init__(self, palette: PriorityPalette, parent: QWidget | None = None, *, fixed_look: str = "") -> None:
        super().__init__(parent)
        self.palette = palette
        self.fixed_look = fixed_look

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        painter.save()
        if opt.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(opt.rect, opt.palette.color(QPalette.ColorRole.Highlight))
        painter.setPen(opt.palette.color(QPalette.ColorRole.Midlight))
        painter.drawLine(opt.rect.bottomLeft(), opt.rect.bottomRight())
        try:
            priority = Severity(index.data(PriorityRole))
        except ValueError:
            painter.restore()
            return
        look = self.fixed_look or index.data(LookRole) or "filled"
        font = QFont(opt.font)
        if look != "marker":
            font.setWeight(QFont.Weight.Bold)
            font.setPointSizeF(max(font.pointSizeF() - 1.5, 8))
        h = min(opt.rect.height() - 10, QFontMetrics(font).height() + 10)
        r = opt.rect
        chip = QRect(r.left() + CELL_PADDING, r.center().y() - h // 2, r.width() - 2 * CELL_PADDING, h)
        paint_chip(painter, chip, self.palette, priority, look, (opt.text or "").upper(), font)
        painter.restore()


class AlarmTableView(QTableView):
    """A read-only table of alarms: whole rows selected, no grid, rows a finger high."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setCornerButtonEnabled(False)
        self.setDragEnabled(True)  # drag an alarm's sensor onto the trend screen
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(False)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setMinimumSectionSize(48)
        self.ensurePolished()
        self.verticalHeader().setDefaultSectionSize(round(QFontMetrics(self.font()).height() * 1.95))
        self.setItemDelegate(SensorCellDelegate(self))
        self._secondary = SensorCellDelegate(self, secondary=True)
        self._stretch = -1  # the column that takes the room left (size_columns)

    def set_secondary(self, columns: Iterable[int]) -> None:
        self._secondary_columns = set(columns)
        for col in self._secondary_columns:
            self.setItemDelegateForColumn(col, self._secondary)

    def size_columns(self, samples: dict[int, Iterable[str]], stretch: int, bold: Iterable[int] = ()) -> None:
        """Fixed-width columns sized for their widest sample (or title) in the font the cell is
        painted with (smaller for secondary columns, bold where given); `stretch` takes the rest, but
        never less than MIN_STRETCH (longer words of a language scroll the table instead)."""
        header = self.horizontalHeader()
        base = self.font()
        secondary = QFont(base)
        secondary.setPointSizeF(max(base.pointSizeF() - 1, 8))
        header_fm = QFontMetrics(header.font())
        bold_columns = set(bold)
        model = self.model()
        for col, texts in samples.items():
            font = QFont(secondary if col in getattr(self, "_secondary_columns", ()) else base)
            if col in bold_columns:
                font.setWeight(QFont.Weight.DemiBold)
            fm = QFontMetrics(font)
            title = str(model.headerData(col, Qt.Orientation.Horizontal))
            width = max([fm.horizontalAdvance(t) for t in texts] or [0]) + 2 * CELL_PADDING + 6
            width = max(width, header_fm.horizontalAdvance(title) + 2 * CELL_PADDING + 22)
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self._stretch = stretch
        header.sectionResized.connect(self._on_section_resized)
        self._fit_stretch()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_stretch()

    @Slot(int, int, int)
    def _on_section_resized(self, section: int, _old: int, _new: int) -> None:
        if section != self._stretch:
            self._fit_stretch()

    def _fit_stretch(self) -> None:
        """The stretching column takes the room left, or MIN_STRETCH when there is less."""
        stretch = self._stretch
        header = self.horizontalHeader()
        if not 0 <= stretch < header.count():
            return
        others = sum(
            header.sectionSize(c) for c in range(header.count()) if c != stretch and not header.isSectionHidden(c)
        )
        room = self.viewport().width() - others
        if room >= MIN_STRETCH:
            if header.sectionResizeMode(stretch) != QHeaderView.ResizeMode.Stretch:
                header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        else:
            if header.sectionResizeMode(stretch) != QHeaderView.ResizeMode.Interactive:
                header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Interactive)
            if header.sectionSize(stretch) != MIN_STRETCH:
                header.resizeSection(stretch, MIN_STRETCH)


class ShelveDialog(QDialog):
    """Minutes and a required reason for shelving; non-modal, on top of its window, shown with `show()`."""

    shelveConfirmed = Signal(object, int, str)  # list[AlarmKey], minutes, reason

    def __init__(
        self,
        alarms: list[Alarm],
        texts: AlarmTexts,
        parent: QWidget,
        *,
        now: Callable[[], float] = time.time,
        max_minutes: int = int(MAX_SHELVE_MINUTES),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shelveDialog")
        self.setWindowTitle(
            self.tr("Shelve alarm") if len(alarms) == 1 else self.tr("Shelve {n} alarms").format(n=len(alarms))
        )
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.keys = [a.key for a in alarms]
        self.texts = texts
        self._now = now

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        names = [
            self.tr("{source} \u2014 {condition}").format(source=texts.source_name(a.key), condition=texts.condition(a))
            for a in alarms[:3]
        ]
        if len(alarms) > 3:
            names.append(self.tr("and {n} more").format(n=len(alarms) - 3))
        what = QLabel("\n".join(names), self)
        what.setObjectName("shelveWhat")
        layout.addWidget(what)
        hint = QLabel(
            self.tr("A shelved alarm is still evaluated and journaled, but not announced until it expires."), self
        )
        hint.setObjectName("dialogHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)

        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        minutes_row = QHBoxLayout()
        minutes_row.setSpacing(12)
        self.minutes = QSpinBox(self)
        self.minutes.setObjectName("shelveMinutes")
        self.minutes.setRange(MIN_SHELVE_MINUTES, max_minutes)
        self.minutes.setSingleStep(5)
        self.minutes.setValue(DEFAULT_SHELVE_MINUTES)
        self.minutes.setSuffix(self.tr(" min"))
        self.minutes.setFixedSize(130, 36)
        self.until = QLabel(self)
        self.until.setObjectName("dialogHint")
        minutes_row.addWidget(self.minutes)
        minutes_row.addWidget(self.until, 1)
        form.addRow(self.tr("Shelve for"), minutes_row)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("shelveReason")
        self.reason.setPlaceholderText(self.tr("Required: why, e.g. sensor under repair (WO 1234)"))
        self.reason.setMaxLength(200)
        form.addRow(self.tr("Reason"), self.reason)
        layout.addLayout(form)
        layout.addStretch(1)

        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(self.tr("Shelve"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("shelveOk")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.reason.textChanged.connect(self._on_changed)
        self.minutes.valueChanged.connect(self._on_changed)
        self._on_changed()
        self.setFixedSize(*SHELVE_DIALOG_SIZE)

    @property
    def valid(self) -> bool:
        return bool(self.reason.text().strip())

    @Slot()
    def _on_changed(self) -> None:
        self.ok.setEnabled(self.valid)
        until = self._now() + 60 * self.minutes.value()
        self.until.setText(self.texts.until(until))

    def accept(self) -> None:
        if not self.valid:  # Enter in the reason field with no reason: stay open
            self.reason.setFocus()
            return
        self.shelveConfirmed.emit(list(self.keys), self.minutes.value(), self.reason.text().strip())
        super().accept()


def _combo(name: str, parent: QWidget, items: Iterable[tuple[str, object]], min_width: int) -> QComboBox:
    """A filter combo as wide as its longest item (in the language shown), but at least `min_width`
    so the bar keeps an even look; never a fixed width that a narrow row could not honour."""
    combo = QComboBox(parent)
    combo.setObjectName(name)
    for text, data in items:
        combo.addItem(text, data)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMinimumWidth(min_width)
    return combo


class AlarmSummary(QWidget):
    acknowledgeRequested = Signal(object)  # list[AlarmKey]
    shelveRequested = Signal(object, int, str)  # list[AlarmKey], minutes, reason
    unshelveRequested = Signal(object)
    resetRequested = Signal(object)
    sensorActivated = Signal(str)  # EUI

    def __init__(
        self,
        model: AlarmTableModel,
        palette: PriorityPalette | None = None,
        *,
        now: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alarmSummary")
        self.model = model
        self.texts = model.texts
        self._now = now
        self.shelve_dialog: ShelveDialog | None = None
        self._actions_enabled = True

        self.proxy = AlarmFilterProxy(self)
        self.proxy.setSourceModel(model)
        self.table = AlarmTableView("alarmTable", self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.priority_delegate = PriorityDelegate(palette or PriorityPalette.load(), self)
        self.table.setItemDelegateForColumn(AlarmColumn.PRIORITY, self.priority_delegate)
        self.table.set_secondary(SECONDARY)
        self._size_columns()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_filters())
        layout.addWidget(self.table, 1)
        layout.addWidget(self._build_actions())

        self.table.doubleClicked.connect(self._on_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        proxy = self.proxy
        for signal in (proxy.rowsInserted, proxy.rowsRemoved, proxy.layoutChanged, proxy.modelReset):
            signal.connect(self._update_count)
        self.model.alarmsUpdated.connect(self._update_buttons)
        self._update_count()
        self._update_buttons()

    # -- construction ------------------------------------------------------------------------------

    def _build_filters(self) -> QFrame:
        bar = QFrame(self)
        bar.setObjectName("screenToolbar")
        # Label + combo pairs flow onto a second row (with the count) when the screen is narrow.
        row = WrapLayout(bar, spacing=18, row_spacing=6)
        row.setContentsMargins(16, 8, 16, 8)
        mills = [(self.tr("All mills"), None), *((name, slug) for slug, name in self.texts.mill_slugs())]
        self.mill_combo = _combo("alarmMillFilter", bar, mills, 150)
        priorities = [(self.tr("All priorities"), None), *((PRIORITY_LABELS[p], p.value) for p in PRIORITIES)]
        self.priority_combo = _combo("alarmPriorityFilter", bar, priorities, 150)
        self.state_combo = _combo("alarmStateFilter", bar, ((s.label, s.value) for s in StateFilter), 150)
        labels = ((self.tr("Mill"), self.mill_combo), (self.tr("Priority"), self.priority_combo),
                  (self.tr("Show"), self.state_combo))
        for text, combo in labels:
            label = QLabel(text, bar)
            label.setObjectName("toolbarLabel")
            label.setBuddy(combo)
            pair = QHBoxLayout()
            pair.setSpacing(10)
            pair.addWidget(label)
            pair.addWidget(combo)
            row.add_layout(pair)
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.count_label = QLabel(bar)
        self.count_label.setObjectName("toolbarCount")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.add_widget(self.count_label, stretch=True)
        return bar

    def _build_actions(self) -> QFrame:
        bar = QFrame(self)
        bar.setObjectName("screenFooter")
        # The hint elides (whole text in its tooltip) before a button is cut; when even that does not
        # fit, the shelving buttons wrap onto a second row, right-aligned under the acknowledge pair.
        row = WrapLayout(bar, spacing=8, row_spacing=6, align_right=True)
        row.setContentsMargins(16, 8, 16, 8)
        self.selection_label = ElidedLabel("", bar, name="toolbarLabel")
        row.add_widget(self.selection_label, stretch=True)
        group = QHBoxLayout()

        def button(name: str, text: str, slot: Callable[[], None]) -> QPushButton:
            b = QPushButton(text, bar)
            b.setObjectName(name)
            b.setMinimumSize(120, 40)
            b.clicked.connect(slot)
            group.addWidget(b)
            return b

        group.setSpacing(8)
        self.ack_button = button("summaryAck", self.tr("Acknowledge"), self._on_ack)
        self.ack_shown_button = button("summaryAckShown", self.tr("Ack all shown"), self._on_ack_shown)
        row.add_layout(group)
        group = QHBoxLayout()
        group.setSpacing(8)
        self.shelve_button = button("summaryShelve", self.tr("Shelve\u2026"), self.open_shelve_dialog)
        self.unshelve_button = button("summaryUnshelve", self.tr("Unshelve"), self._on_unshelve)
        self.reset_button = button("summaryReset", self.tr("Reset latch"), self._on_reset)
        row.add_layout(group, gap=8)
        return bar

    def _size_columns(self) -> None:
        t = self.texts
        chips = [PRIORITY_LABELS[p].upper() for p in PRIORITIES]  # as PriorityDelegate paints them
        self.table.size_columns(
            {
                AlarmColumn.PRIORITY: chips,
                AlarmColumn.RAISED: time_samples(),
                AlarmColumn.MILL: [name for _slug, name in t.mill_slugs()],
                AlarmColumn.CONDITION: condition_samples(),
                AlarmColumn.VALUE: ["-0000.0 hPa"],
                AlarmColumn.STATE: list(STATE_LABELS.values()),
                AlarmColumn.MARK: [f"{translate('AlarmTexts', '1st')} \u00b7 {translate('AlarmTexts', 'flood')}"],
                AlarmColumn.ACKED_BY: ["operator"],
                AlarmColumn.SHELVED: [t.until(self._now())],
            },
            stretch=AlarmColumn.SOURCE,
            bold=(AlarmColumn.STATE,),
        )
        chip = QFont(self.table.font())  # as PriorityDelegate paints it
        chip.setWeight(QFont.Weight.Bold)
        chip.setPointSizeF(max(chip.pointSizeF() - 1.5, 8))
        width = max(QFontMetrics(chip).horizontalAdvance(c) for c in chips) + 2 * CELL_PADDING + 18
        self.table.horizontalHeader().resizeSection(AlarmColumn.PRIORITY, width)

    # -- state -------------------------------------------------------------------------------------

    def selected_alarms(self) -> list[Alarm]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.data(self.proxy.index(r, 0), AlarmRole) for r in rows]

    def select_keys(self, keys: Iterable[AlarmKey]) -> None:
        """Select the rows of `keys` (tests, and the banner's "show me")."""
        wanted = set(keys)
        sel = self.table.selectionModel()
        sel.clearSelection()
        for r in range(self.proxy.rowCount()):
            if self.proxy.data(self.proxy.index(r, 0), AlarmRole).key in wanted:
                sel.select(
                    self.proxy.index(r, 0),
                    sel.SelectionFlag.Select | sel.SelectionFlag.Rows,
                )

    def set_actions_enabled(self, enabled: bool) -> None:
        """Without an alarm actions service (or while logged out) the buttons are disabled."""
        self._actions_enabled = enabled
        self._update_buttons()

    def set_filter(
        self,
        *,
        mill: str | EllipsisType | None = ...,
        priority: Severity | EllipsisType | None = ...,
        state: StateFilter | None = None,
    ) -> None:
        """Set filters through their combos (so what the operator sees matches); `...` keeps one."""
        if not isinstance(mill, EllipsisType):
            self.mill_combo.setCurrentIndex(max(self.mill_combo.findData(mill), 0))
        if not isinstance(priority, EllipsisType):
            index = self.priority_combo.findData(priority.value if priority else None)
            self.priority_combo.setCurrentIndex(max(index, 0))
        if state is not None:
            self.state_combo.setCurrentIndex(self.state_combo.findData(state.value))

    # -- events ------------------------------------------------------------------------------------

    @Slot()
    def _on_filter_changed(self) -> None:
        priority = self.priority_combo.currentData()
        self.proxy.set_filter(
            mill=self.mill_combo.currentData(),
            priority=Severity(priority) if priority else None,
            state=StateFilter(self.state_combo.currentData()),
        )
        self._update_count()
        self._update_buttons()

    @Slot()
    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        unacked = sum(1 for a in self.proxy.alarms() if a.unacked)
        if shown == total:
            text = self.tr("1 alarm") if shown == 1 else self.tr("{n} alarms").format(n=shown)
        elif shown == 1:
            text = self.tr("1 alarm of {total}").format(total=total)
        else:
            text = self.tr("{n} alarms of {total}").format(n=shown, total=total)
        if unacked:
            text += " \u00b7 " + self.tr("{n} unacknowledged").format(n=unacked)
        self.count_label.setText(text)
        self.ack_shown_button.setEnabled(self._actions_enabled and unacked > 0)

    @Slot()
    def _update_buttons(self) -> None:
        alarms = self.selected_alarms()
        on = self._actions_enabled
        self.ack_button.setEnabled(on and any(a.unacked for a in alarms))
        self.shelve_button.setEnabled(on and any(self._shelvable(a) for a in alarms))
        self.unshelve_button.setEnabled(on and any(a.shelved for a in alarms))
        self.reset_button.setEnabled(on and any(a.state.latched for a in alarms))
        n = len(alarms)
        self.selection_label.setText(
            self.tr("{n} selected").format(n=n) if n else self.tr("Select alarms to acknowledge or shelve them")
        )
        self._update_count()

    @staticmethod
    def _shelvable(a: Alarm) -> bool:
        return a.kind.shelvable and not a.shelved and not a.out_of_service

    @Slot()
    def _on_ack(self) -> None:
        keys = [a.key for a in self.selected_alarms() if a.unacked]
        if keys:
            self.acknowledgeRequested.emit(keys)

    @Slot()
    def _on_ack_shown(self) -> None:
        keys = [a.key for a in self.proxy.alarms() if a.unacked]
        if keys:
            self.acknowledgeRequested.emit(keys)

    @Slot()
    def open_shelve_dialog(self) -> ShelveDialog | None:
        alarms = [a for a in self.selected_alarms() if self._shelvable(a)]
        if not alarms:
            return None
        if self.shelve_dialog is not None:
            self.shelve_dialog.close()
        dialog = ShelveDialog(alarms, self.texts, self, now=self._now)
        dialog.shelveConfirmed.connect(self.shelveRequested)
        dialog.destroyed.connect(self._on_dialog_gone)
        self.shelve_dialog = dialog
        dialog.show()  # a child dialog: on top of its window, no raise needed
        return dialog

    @Slot()
    def _on_dialog_gone(self) -> None:
        self.shelve_dialog = None

    @Slot()
    def _on_unshelve(self) -> None:
        keys = [a.key for a in self.selected_alarms() if a.shelved]
        if keys:
            self.unshelveRequested.emit(keys)

    @Slot()
    def _on_reset(self) -> None:
        keys = [a.key for a in self.selected_alarms() if a.state.latched]
        if keys:
            self.resetRequested.emit(keys)

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        alarm = self.proxy.data(self.proxy.index(index.row(), 0), AlarmRole)
        if alarm is not None and alarm.key.source:
            self.sensorActivated.emit(alarm.key.source)
