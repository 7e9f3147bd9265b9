"""The alarm journal screen: what happened to which alarm, when and by whom, over a time range.

Presets (last shift 8 h, 24 h, 7 days) or a custom range, and a mill filter. The query
`load_journal(t0, t1, mill) -> list[dict]` (AlarmStore.journal: aware UTC datetimes, mill slug or
None) runs on a background thread; the table fills when its rows come back, and an answer to an
older request is dropped. "Export CSV…" asks for a file in a non-modal QFileDialog (`show()` and its
`fileSelected` signal; never `exec()`, and not window-modal either: the e-stop and the banner stay
usable while it is open) and writes the rows loaded.
"""

from __future__ import annotations

import csv
import enum
import math
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.core.alarms import AlarmKey, AlarmState
from hmi.core.domain import Severity
from hmi.ui.alarm_list import PRIORITIES, PRIORITY_LABELS, STATE_LABELS, AlarmTexts, plain_number
from hmi.ui.alarm_model import PriorityRole, PySortProxy
from hmi.ui.alarm_summary import SAMPLE_TIME, AlarmTableView, PriorityDelegate, condition_samples
from hmi.ui.background import BackgroundRunner
from hmi.ui.domain_words import capitalised, word
from hmi.ui.elided_label import ElidedLabel
from hmi.ui.i18n import TrMap, fmt_datetime, fmt_int, localise_file_dialog, tr_noop_text
from hmi.ui.sensor_board import NO_VALUE, value_text
from hmi.ui.session_controller import error_text
from hmi.ui.theme import PriorityPalette
from hmi.ui.wrap_layout import WrapLayout

Index = QModelIndex | QPersistentModelIndex
LoadJournal = Callable[[datetime, datetime, str | None], Sequence[Mapping[str, Any]]]
PRESETS = (  # (label, span in seconds): labels translated where shown
    (QT_TRANSLATE_NOOP("AlarmJournal", "Last shift \u00b7 8 h"), 8 * 3600.0),
    (QT_TRANSLATE_NOOP("AlarmJournal", "24 h"), 24 * 3600.0),
    (QT_TRANSLATE_NOOP("AlarmJournal", "7 days"), 7 * 86400.0),
)
CUSTOM = len(PRESETS)  # the button id of "Custom" (not -1: QButtonGroup reads -1 as "pick one")
EXPORT_DIALOG_MIN = (640, 420)
EXPORT_DIALOG_SIZE = (820, 520)
SortRole = int(Qt.ItemDataRole.UserRole) + 20
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
ACTION_LABELS = TrMap("AlarmJournal", {  # the journal's actions (the CSV keeps the keys)
    "raised": QT_TRANSLATE_NOOP("AlarmJournal", "Raised"),
    "reactivated": QT_TRANSLATE_NOOP("AlarmJournal", "Reactivated"),
    "cleared": QT_TRANSLATE_NOOP("AlarmJournal", "Cleared"),
    "acknowledged": QT_TRANSLATE_NOOP("AlarmJournal", "Acknowledged"),
    "reset": QT_TRANSLATE_NOOP("AlarmJournal", "Reset"),
    "shelved": QT_TRANSLATE_NOOP("AlarmJournal", "Shelved"),
    "unshelved": QT_TRANSLATE_NOOP("AlarmJournal", "Unshelved"),
    "shelve_expired": QT_TRANSLATE_NOOP("AlarmJournal", "Shelving expired"),
    "suppressed": QT_TRANSLATE_NOOP("AlarmJournal", "Suppressed"),
    "unsuppressed": QT_TRANSLATE_NOOP("AlarmJournal", "Unsuppressed"),
    "removed_from_service": QT_TRANSLATE_NOOP("AlarmJournal", "Out of service"),
    "returned_to_service": QT_TRANSLATE_NOOP("AlarmJournal", "Back in service"),
})
COMMON_ACTIONS = ("raised", "reactivated", "cleared", "acknowledged", "reset", "shelved")  # sized for; rarer elide
CSV_FIELDS = (
    "time_utc",
    "time_local",
    "mill",
    "alarm_key",
    "source",
    "condition",
    "occurrence",
    "action",
    "from_state",
    "to_state",
    "priority",
    "user",
    "comment",
    "value",
    "announced",
)


def datetime_edit_format() -> str:
    """The date and time format of a date-time field, in the user's locale (to the minute)."""
    loc = QLocale()
    return f"{loc.dateFormat(QLocale.FormatType.ShortFormat)} {loc.timeFormat(QLocale.FormatType.ShortFormat)}"


def epoch_of(ts: object) -> float | None:
    """A journal timestamp as epoch seconds (a naive datetime from the database is UTC)."""
    if isinstance(ts, datetime):
        return (ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)).timestamp()
    if isinstance(ts, int | float) and not isinstance(ts, bool):
        return float(ts)
    return None


class JColumn(enum.IntEnum):
    TIME = 0
    MILL = 1
    SOURCE = 2
    CONDITION = 3
    ACTION = 4
    PRIORITY = 5
    USER = 6
    VALUE = 7
    COMMENT = 8


HEADERS = TrMap("JournalTableModel", {
    JColumn.TIME: QT_TRANSLATE_NOOP("JournalTableModel", "Time"),
    JColumn.MILL: QT_TRANSLATE_NOOP("JournalTableModel", "Mill"),
    JColumn.SOURCE: QT_TRANSLATE_NOOP("JournalTableModel", "Source"),
    JColumn.CONDITION: QT_TRANSLATE_NOOP("JournalTableModel", "Condition"),
    JColumn.ACTION: QT_TRANSLATE_NOOP("JournalTableModel", "Action"),
    JColumn.PRIORITY: QT_TRANSLATE_NOOP("JournalTableModel", "Priority"),
    JColumn.USER: QT_TRANSLATE_NOOP("JournalTableModel", "User"),
    JColumn.VALUE: QT_TRANSLATE_NOOP("JournalTableModel", "Value"),
    JColumn.COMMENT: QT_TRANSLATE_NOOP("JournalTableModel", "Comment"),
})


class JournalEntryView:
    """One journal row, read once into what the table shows (in the user's language) and what the
    CSV writes (English: other tools read it)."""

    __slots__ = ("condition", "condition_csv", "key", "priority", "raw", "source", "source_csv", "ts")

    def __init__(self, row: Mapping[str, Any], texts: AlarmTexts) -> None:
        self.raw = row
        self.ts = epoch_of(row.get("ts"))
        key_text = str(row.get("alarm_key", ""))
        try:
            self.key: AlarmKey | None = AlarmKey.parse(key_text)
        except ValueError:
            self.key = None
        self.source = texts.source_name(self.key) if self.key is not None else key_text
        self.source_csv = "Whole mill" if self.key is not None and not self.key.source else self.source
        self.condition = capitalised(word(self.key.kind)) if self.key is not None else ""
        self.condition_csv = self.key.kind.label.capitalize() if self.key is not None else ""
        try:
            self.priority: Severity | None = Severity(str(row.get("priority", "")))
        except ValueError:
            self.priority = None

    def get(self, name: str, default: Any = "") -> Any:
        v = self.raw.get(name)
        return default if v is None else v


def _state_label(value: object) -> str:
    try:
        return STATE_LABELS[AlarmState(str(value))]
    except ValueError:
        return str(value or "")


class JournalTableModel(QAbstractTableModel):
    """A loaded journal: replaced whole by each query's result (a new query, not an update)."""

    def __init__(self, texts: AlarmTexts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.texts = texts
        self.entries: list[JournalEntryView] = []

    def set_rows(self, rows: Sequence[Mapping[str, Any]]) -> None:
        self.beginResetModel()
        self.entries = [JournalEntryView(r, self.texts) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(JColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(JColumn):
            return None
        if role == _DISPLAY:
            return HEADERS[JColumn(section)]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            h = Qt.AlignmentFlag.AlignRight if section == JColumn.VALUE else Qt.AlignmentFlag.AlignLeft
            return int(h | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        col = JColumn(index.column())
        if role == _DISPLAY:
            return self._text(e, col)
        if role == SortRole:
            if col is JColumn.TIME:
                return (e.ts or 0.0, index.row())
            if col is JColumn.VALUE:
                v = e.get("value", None)
                return v if isinstance(v, int | float) and math.isfinite(v) else -math.inf
            return (self._text(e, col).casefold(), e.ts or 0.0)
        if role == PriorityRole:
            return e.priority.value if e.priority is not None else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            h = Qt.AlignmentFlag.AlignRight if col is JColumn.VALUE else Qt.AlignmentFlag.AlignLeft
            return int(h | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col is JColumn.COMMENT:
                return str(e.get("comment")) or None
            if col is JColumn.ACTION:
                return f"{_state_label(e.get('from_state'))} \u2192 {_state_label(e.get('to_state'))}"
            return self.tr("{key} \u00b7 occurrence {n}").format(key=e.get("alarm_key"), n=e.get("occurrence"))
        return None

    def _text(self, e: JournalEntryView, col: JColumn) -> str:
        if col is JColumn.TIME:
            return fmt_datetime(e.ts, missing=NO_VALUE)
        if col is JColumn.MILL:
            return self.texts.mill_name(str(e.get("mill")))
        if col is JColumn.SOURCE:
            return e.source
        if col is JColumn.CONDITION:
            return e.condition
        if col is JColumn.ACTION:
            action = str(e.get("action"))
            return ACTION_LABELS.get(action, action)
        if col is JColumn.PRIORITY:
            return PRIORITY_LABELS[e.priority] if e.priority is not None else ""
        if col is JColumn.USER:
            return str(e.get("username")) or self.tr("system")
        if col is JColumn.VALUE:
            v = e.get("value", None)
            if v is None or e.key is None:
                return ""
            sensor = self.texts.sensor(e.key.source)
            if not isinstance(v, int | float):
                return str(v)
            return value_text(sensor, float(v)) if sensor is not None else plain_number(v)
        return str(e.get("comment"))

    def csv_row(self, e: JournalEntryView) -> dict[str, Any]:
        ts = e.ts
        return {
            "time_utc": datetime.fromtimestamp(ts, UTC).isoformat() if ts is not None else "",
            "time_local": datetime.fromtimestamp(ts).astimezone().isoformat() if ts is not None else "",
            "mill": e.get("mill"),
            "alarm_key": e.get("alarm_key"),
            "source": e.source_csv,
            "condition": e.condition_csv,
            "occurrence": e.get("occurrence"),
            "action": e.get("action"),
            "from_state": e.get("from_state"),
            "to_state": e.get("to_state"),
            "priority": e.get("priority"),
            "user": e.get("username"),
            "comment": e.get("comment"),
            "value": e.get("value"),
            "announced": e.get("announced"),
        }


class AlarmJournal(QWidget):
    loaded = Signal(int)  # rows shown after a load
    exported = Signal(str, int)  # path, rows written
    message = Signal(str, str)  # level, text (for the window's message strip)

    def __init__(
        self,
        texts: AlarmTexts,
        load_journal: LoadJournal | None,
        palette: PriorityPalette | None = None,
        *,
        now: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alarmJournal")
        self.texts = texts
        self.load_journal = load_journal
        self._now = now
        self._request = 0
        self._range: tuple[datetime, datetime, str | None] | None = None
        self._loaded_once = False
        self.export_dialog: QFileDialog | None = None
        self.runner = BackgroundRunner("alarm-journal", self)
        self.runner.finished.connect(self._on_loaded)
        self.runner.failed.connect(self._on_failed)

        self.model = JournalTableModel(texts, self)
        self.proxy = PySortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = AlarmTableView("journalTable", self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(JColumn.TIME, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.setItemDelegateForColumn(
            JColumn.PRIORITY, PriorityDelegate(palette or PriorityPalette.load(), self, fixed_look="marker")
        )
        self.table.set_secondary((JColumn.MILL, JColumn.COMMENT))
        self.table.size_columns(
            {
                JColumn.TIME: [fmt_datetime(SAMPLE_TIME)],
                JColumn.MILL: [name for _slug, name in texts.mill_slugs()],
                JColumn.SOURCE: [s.name for s in texts.sensors()] or ["Sensor name"],
                JColumn.CONDITION: condition_samples(),
                JColumn.ACTION: [ACTION_LABELS[k] for k in COMMON_ACTIONS],
                JColumn.PRIORITY: [f"\u25a0 {PRIORITY_LABELS[p]}" for p in PRIORITIES],
                JColumn.USER: ["operator"],
                JColumn.VALUE: ["-0000.0 hPa"],
            },
            stretch=JColumn.COMMENT,
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_toolbar())
        layout.addWidget(self.table, 1)
        self.preset_buttons.button(0).setChecked(True)
        self._on_preset(0)
        self._set_status(
            self.tr("Choose a time range") if load_journal else self.tr("The alarm journal is not available here")
        )
        self.load_button.setEnabled(load_journal is not None)

    # -- construction ------------------------------------------------------------------------------

    def _build_toolbar(self) -> QFrame:
        """Presets, the range, the mill and Load, then the status and Export: one flow that takes as
        many rows as the width needs (two at 1280 px, three on a 1024 px panel), never overlapping."""
        bar = QFrame(self)
        bar.setObjectName("screenToolbar")
        flow = WrapLayout(bar, spacing=12, row_spacing=8)
        flow.setContentsMargins(16, 8, 16, 8)
        presets = QHBoxLayout()
        presets.setSpacing(6)
        self.preset_buttons = QButtonGroup(bar)
        self.preset_buttons.setExclusive(True)
        labels = [tr_noop_text("AlarmJournal", text) for text, _span in PRESETS]
        for i, text in enumerate([*labels, self.tr("Custom")]):
            b = QPushButton(text, bar)
            b.setObjectName("presetButton")
            b.setCheckable(True)
            b.setMinimumHeight(36)
            self.preset_buttons.addButton(b, i)
            presets.addWidget(b)
        self.preset_buttons.idClicked.connect(self._on_preset)
        flow.add_layout(presets)
        self.from_edit = self._datetime_edit(bar, "journalFrom")
        self.to_edit = self._datetime_edit(bar, "journalTo")
        span = QHBoxLayout()
        span.setSpacing(6)
        for text, w in ((self.tr("From"), self.from_edit), (self.tr("to"), self.to_edit)):
            label = QLabel(text, bar)
            label.setObjectName("toolbarLabel")
            label.setBuddy(w)
            span.addWidget(label)
            span.addWidget(w)
        flow.add_layout(span)

        label = QLabel(self.tr("Mill"), bar)
        label.setObjectName("toolbarLabel")
        self.mill_combo = QComboBox(bar)
        self.mill_combo.setObjectName("journalMillFilter")
        self.mill_combo.addItem(self.tr("All mills"), None)
        for slug, name in self.texts.mill_slugs():
            self.mill_combo.addItem(name, slug)
        self.mill_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.mill_combo.setMinimumWidth(150)
        self.mill_combo.currentIndexChanged.connect(self._on_mill_changed)
        label.setBuddy(self.mill_combo)
        self.load_button = QPushButton(self.tr("Load"), bar)
        self.load_button.setObjectName("journalLoad")
        self.load_button.setMinimumSize(110, 36)
        self.load_button.clicked.connect(self.load)
        mill = QHBoxLayout()
        mill.setSpacing(8)
        mill.addWidget(label)
        mill.addWidget(self.mill_combo)
        mill.addWidget(self.load_button)
        flow.add_layout(mill)

        # The status names the range it shows and is long: it elides (whole text in its tooltip).
        self.status = ElidedLabel("", bar, name="toolbarCount")
        self.export_button = QPushButton(self.tr("Export CSV\u2026"), bar)
        self.export_button.setObjectName("journalExport")
        self.export_button.setMinimumSize(140, 36)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.open_export_dialog)
        tail = QHBoxLayout()
        tail.setSpacing(12)
        tail.addWidget(self.status, 1)
        tail.addWidget(self.export_button)
        flow.add_layout(tail, stretch=True)
        return bar

    @staticmethod
    def _datetime_edit(parent: QWidget, name: str) -> QDateTimeEdit:
        """A date-time field as wide as its format needs (no fixed width a narrow row cannot give)."""
        edit = QDateTimeEdit(parent)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(datetime_edit_format())
        return edit

    # -- range and loading -------------------------------------------------------------------------

    def time_range(self) -> tuple[datetime, datetime, str | None]:
        """(t0, t1, mill) as the next load will ask: aware UTC datetimes, mill slug or None."""
        preset = self.preset_buttons.checkedId()
        if 0 <= preset < len(PRESETS):
            t1 = self._now()
            t0 = t1 - PRESETS[preset][1]
        else:
            t0 = float(self.from_edit.dateTime().toSecsSinceEpoch())
            t1 = float(self.to_edit.dateTime().toSecsSinceEpoch()) + 59  # the whole "to" minute
        return datetime.fromtimestamp(t0, UTC), datetime.fromtimestamp(t1, UTC), self.mill_combo.currentData()

    @Slot(int)
    def _on_preset(self, preset: int) -> None:
        custom = preset == CUSTOM
        self.from_edit.setEnabled(custom)
        self.to_edit.setEnabled(custom)
        if not custom:
            t1 = self._now()
            self.to_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(t1)))
            self.from_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(t1 - PRESETS[preset][1])))
            if self._loaded_once:
                self.load()

    @Slot()
    def _on_mill_changed(self) -> None:
        if self._loaded_once:
            self.load()

    def load_if_first(self) -> None:
        """Load the default range the first time the screen is shown."""
        if not self._loaded_once:
            self.load()

    @Slot()
    def load(self) -> None:
        if self.load_journal is None:
            return
        t0, t1, mill = self.time_range()
        if t1 <= t0:
            self._set_status(self.tr("The end of the range must be after its start"))
            return
        self._loaded_once = True
        self._request += 1
        self._range = (t0, t1, mill)
        self._set_status(self.tr("Loading\u2026"))
        self.runner.run(self._request, self.load_journal, t0, t1, mill)

    @Slot(object, object)
    def _on_loaded(self, request: object, rows: object) -> None:
        if request != self._request:
            return  # an older request answered late
        self.model.set_rows(list(rows))  # type: ignore[call-overload]
        n = self.model.rowCount()
        self.export_button.setEnabled(n > 0)
        self._set_status(self._summary(n))
        self.loaded.emit(n)

    @Slot(object, object)
    def _on_failed(self, request: object, exc: BaseException) -> None:
        if request != self._request:
            return
        text = self.tr("Could not load the alarm journal: {error}").format(error=error_text(exc))
        self._set_status(self.tr("Loading failed"))
        self.message.emit("error", text)

    def _summary(self, n: int) -> str:
        assert self._range is not None
        t0, t1, mill = self._range
        args = {
            "mill": self.texts.mill_name(mill) if mill else self.tr("all mills"),
            "start": fmt_datetime(t0.timestamp(), seconds=False),
            "end": fmt_datetime(t1.timestamp(), seconds=False),
        }
        if n == 1:
            return self.tr("1 entry \u00b7 {mill} \u00b7 {start} \u2013 {end}").format(**args)
        return self.tr("{n} entries \u00b7 {mill} \u00b7 {start} \u2013 {end}").format(n=fmt_int(n), **args)

    def _set_status(self, text: str) -> None:
        self.status.setText(text)

    # -- export ------------------------------------------------------------------------------------

    @Slot()
    def open_export_dialog(self) -> QFileDialog:
        if self.export_dialog is not None:
            self.export_dialog.close()
        stamp = datetime.fromtimestamp(self._now()).strftime("%Y%m%d-%H%M")
        dialog = QFileDialog(self, self.tr("Export alarm journal"), str(Path.home() / f"alarm-journal-{stamp}.csv"))
        dialog.setObjectName("journalExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter(self.tr("CSV files (*.csv)"))
        dialog.setDefaultSuffix("csv")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        localise_file_dialog(dialog)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setMinimumSize(*EXPORT_DIALOG_MIN)  # explicit: its layout never changes the window's hints
        dialog.resize(*EXPORT_DIALOG_SIZE)
        dialog.fileSelected.connect(self._on_export_file)
        dialog.destroyed.connect(self._on_export_dialog_gone)
        self.export_dialog = dialog
        dialog.show()
        return dialog

    @Slot()
    def _on_export_dialog_gone(self) -> None:
        self.export_dialog = None

    @Slot(str)
    def _on_export_file(self, path: str) -> None:
        if not path:
            return
        try:
            n = self.export_csv(Path(path))
        except OSError as exc:
            text = self.tr("Could not write {path}: {error}").format(path=path, error=exc.strerror or exc)
            self.message.emit("error", text)
            return
        if n == 1:
            self.message.emit("info", self.tr("Exported 1 journal entry to {path}").format(path=path))
        else:
            self.message.emit("info", self.tr("Exported {n} journal entries to {path}").format(n=fmt_int(n), path=path))
        self.exported.emit(path, n)

    def export_csv(self, path: Path) -> int:
        """Write the loaded rows, oldest first, as CSV; return how many."""
        entries = sorted(self.model.entries, key=lambda e: e.ts or 0.0)
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=CSV_FIELDS)
            writer.writeheader()
            for e in entries:
                writer.writerow(self.model.csv_row(e))
        return len(entries)

    def close_runner(self) -> None:
        self.runner.close()

