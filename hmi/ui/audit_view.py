"""The audit trail for people: filters, a table of records, CSV export and a check of the hash chain.

Queries, exports and the chain check run on a worker thread through `AuditService` with the signed-in
session as the actor (the service decides: the whole trail and exports need `export`, one mill's
trail needs `view` on it; refusals are audited and shown in the message strip). The table holds the
newest `row_limit` records that match; an export writes every match. The file is chosen in a
non-modal file dialog (`show()` + `fileSelected`): nothing here blocks the window or the e-stop.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QDateTime, QLocale, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.core.permissions import Action
from hmi.services.audit_service import AuditEntry, AuditFilter, AuditService
from hmi.storage.audit import VerifyResult
from hmi.ui.i18n import fmt_datetime, fmt_int, localise_file_dialog, message_text, tr_noop_text, translate
from hmi.ui.session_controller import SessionController, bring_to_front, error_text, set_message, style_widget
from hmi.ui.table_model import HeaderedTableModel
from hmi.ui.worker import Jobs
from hmi.ui.wrap_layout import WrapLayout

EntryRole = Qt.ItemDataRole.UserRole + 1
_INDEX = QModelIndex | QPersistentModelIndex
DEFAULT_ROW_LIMIT = 5000
CUSTOM = "custom"
PRESETS: tuple[tuple[str, timedelta | str | None], ...] = (  # labels translated where shown
    (QT_TRANSLATE_NOOP("AuditView", "Last hour"), timedelta(hours=1)),
    (QT_TRANSLATE_NOOP("AuditView", "Last 24 hours"), timedelta(days=1)),
    (QT_TRANSLATE_NOOP("AuditView", "Last 7 days"), timedelta(days=7)),
    (QT_TRANSLATE_NOOP("AuditView", "Last 30 days"), timedelta(days=30)),
    (QT_TRANSLATE_NOOP("AuditView", "All time"), None),
    (QT_TRANSLATE_NOOP("AuditView", "Custom range"), CUSTOM),
)
ACTION_PREFIXES = ("", "auth.", "user.", "alarm.", "estop.", "permission.", "audit.", "plant.")  # audit action names
ALL_MILLS = QT_TRANSLATE_NOOP("AuditView", "All mills")
FREE_TEXT_MIN_WIDTH = 120  # px of the user and action fields; they grow with the room their row has


def datetime_edit_format() -> str:
    """The date and time format of a date-time field, in the user's locale (to the minute)."""
    loc = QLocale()
    return f"{loc.dateFormat(QLocale.FormatType.ShortFormat)} {loc.timeFormat(QLocale.FormatType.ShortFormat)}"


def _value(v: Any) -> str:
    if v is None or v == "":
        return "\u2013"
    if isinstance(v, bool):
        return translate("AuditView", "yes") if v else translate("AuditView", "no")
    if isinstance(v, list | tuple):
        return ", ".join(str(x) for x in v) or "\u2013"
    return str(v)


def describe_change(before: dict[str, Any], after: dict[str, Any], limit: int = 160) -> str:
    """"role: operator → technician; mills: north → north, south" (what changed, in one line)."""
    parts = []
    for key in dict.fromkeys([*before, *after]):
        if key in before and key in after:
            if before[key] != after[key]:
                parts.append(f"{key}: {_value(before[key])} \u2192 {_value(after[key])}")
        elif key in after:
            parts.append(f"{key}: {_value(after[key])}")
        else:
            parts.append(f"{key}: {_value(before[key])} \u2192 \u2013")
    text = "; ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class AuditTableModel(HeaderedTableModel):
    """Audit records as rows (adapter over `query_audit`)."""

    HEADERS = (  # translated in headerData
        QT_TRANSLATE_NOOP("AuditTableModel", "Seq"),
        QT_TRANSLATE_NOOP("AuditTableModel", "Time"),
        QT_TRANSLATE_NOOP("AuditTableModel", "User"),
        QT_TRANSLATE_NOOP("AuditTableModel", "Host"),
        QT_TRANSLATE_NOOP("AuditTableModel", "Action"),
        QT_TRANSLATE_NOOP("AuditTableModel", "Mill"),
        QT_TRANSLATE_NOOP("AuditTableModel", "Target"),
        QT_TRANSLATE_NOOP("AuditTableModel", "Change (before \u2192 after)"),
    )
    SEQ, TIME, USER, HOST, ACTION, MILL, TARGET, CHANGE = range(8)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[AuditEntry] = []

    def set_entries(self, entries: Sequence[AuditEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entries(self) -> list[AuditEntry]:
        return list(self._entries)

    def row_of_seq(self, seq: int) -> int:
        for i, e in enumerate(self._entries):
            if e.seq == seq:
                return i
        return -1

    def row_count(self) -> int:
        return len(self._entries)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        title = super().headerData(section, orientation, role)
        return tr_noop_text("AuditTableModel", title) if isinstance(title, str) else title

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        e = self._entries[index.row()]
        col = index.column()
        if role == EntryRole:
            return e
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                str(e.seq), fmt_datetime(e.ts.timestamp()), e.username, e.host, e.action, e.mill,
                e.target, describe_change(e.before, e.after),
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == self.CHANGE and (e.before or e.after):
            return self.tr("before: {before}\nafter: {after}").format(
                before=json.dumps(e.before, sort_keys=True, indent=1, default=str),
                after=json.dumps(e.after, sort_keys=True, indent=1, default=str),
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.SEQ:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AuditView(QWidget):
    """Filters, the records, Export CSV and Verify chain."""

    def __init__(self, audit: AuditService, controller: SessionController, *,
                 mills: Iterable[str | tuple[str, str]] = (), verify: Callable[[], VerifyResult] | None = None,
                 row_limit: int = DEFAULT_ROW_LIMIT, export_dir: str | Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        style_widget(self)
        self.audit = audit
        self.controller = controller
        self.verify_chain = verify or audit.verify
        self.row_limit = row_limit
        self.export_dir = Path(export_dir) if export_dir is not None else Path.home()
        self.jobs = Jobs("audit-view", self)
        self.model = AuditTableModel(self)
        self.export_dialog: QFileDialog | None = None
        self._shown_filter: AuditFilter | None = None

        title = QLabel(self.tr("Audit trail"), self)
        title.setObjectName("viewTitle")
        self.verify_button = QPushButton(self.tr("Verify chain"), self)
        self.verify_button.setToolTip(self.tr("Check that no record was edited, removed or reordered"))
        self.export_button = QPushButton(self.tr("Export CSV\u2026"), self)
        self.export_button.setToolTip(self.tr("Write every record matching the filters to a CSV file"))

        bar = QFrame(self)
        bar.setObjectName("filterBar")
        # Each field is a label over its widget. The time range and the who/what fields are two groups
        # that flow onto two rows when the screen is narrow (1024 or 1280 px, longer Dutch words)
        # instead of squeezing the combos below their text; a wide screen has them on one row.
        flow = WrapLayout(bar, spacing=12, row_spacing=8)
        flow.setContentsMargins(14, 10, 14, 12)
        self.preset = QComboBox(bar)
        for text, value in PRESETS:
            self.preset.addItem(tr_noop_text("AuditView", text), value)
        self.preset.setCurrentIndex(1)
        now = QDateTime.currentDateTime()
        self.since = QDateTimeEdit(now.addDays(-1), bar)
        self.until = QDateTimeEdit(now, bar)
        for edit in (self.since, self.until):
            edit.setDisplayFormat(datetime_edit_format())
            edit.setCalendarPopup(True)
        self.user = QLineEdit(bar)
        self.user.setPlaceholderText(self.tr("any user"))
        self.user.setClearButtonEnabled(True)
        self.action = QComboBox(bar)
        self.action.setEditable(True)
        self.action.addItems(ACTION_PREFIXES)
        action_edit = self.action.lineEdit()
        assert action_edit is not None  # editable
        action_edit.setPlaceholderText(self.tr("any action"))
        self.action.setToolTip(self.tr("Actions starting with this text, e.g. auth. or user.create"))
        self.mill = QComboBox(bar)
        self.mill.addItem(tr_noop_text("AuditView", ALL_MILLS), None)
        for m in mills:
            slug, name = (m, m) if isinstance(m, str) else m
            self.mill.addItem(name if name == slug else f"{name} ({slug})", slug)
        self.show_button = QPushButton(self.tr("Show"), bar)
        self.show_button.setObjectName("primaryButton")
        self.show_button.setDefault(True)
        for widget in (self.preset, self.mill):
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for widget in (self.user, self.action):  # these two take the room a row has left
            widget.setMinimumWidth(FREE_TEXT_MIN_WIDTH)
        groups = (QHBoxLayout(), QHBoxLayout())  # (when, who and what)
        for text, widget, group in ((self.tr("Time"), self.preset, 0), (self.tr("From"), self.since, 0),
                                    (self.tr("To"), self.until, 0), (self.tr("User"), self.user, 1),
                                    (self.tr("Action"), self.action, 1), (self.tr("Mill"), self.mill, 1)):
            label = QLabel(text, bar)
            label.setObjectName("fieldLabel")
            label.setBuddy(widget)
            field = QVBoxLayout()
            field.setSpacing(4)
            field.addWidget(label)
            field.addWidget(widget)
            groups[group].addLayout(field, 1 if widget in (self.user, self.action) else 0)
        show = QVBoxLayout()  # the button on the fields' line, under the labels' line
        show.addStretch(1)
        show.addWidget(self.show_button)
        groups[1].addLayout(show)
        for group in groups:
            group.setSpacing(12)
        flow.add_layout(groups[0])
        flow.add_layout(groups[1], stretch=True)

        self.table = QTableView(self)
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AuditTableModel.CHANGE, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        self.count = QLabel(self)
        self.count.setObjectName("hint")
        self.message = QLabel(self)
        self.message.setObjectName("messageStrip")
        self.message.setWordWrap(True)
        set_message(self.message, "")

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.verify_button)
        top.addWidget(self.export_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        outer.setSpacing(10)
        outer.addLayout(top)
        outer.addWidget(bar)
        outer.addWidget(self.table, 1)
        outer.addWidget(self.count)
        outer.addWidget(self.message)

        self.preset.currentIndexChanged.connect(self._on_preset)
        self.show_button.clicked.connect(self.refresh)
        self.user.returnPressed.connect(self.refresh)
        action_edit.returnPressed.connect(self.refresh)
        self.export_button.clicked.connect(self.choose_export_file)
        self.verify_button.clicked.connect(self.verify)
        controller.sessionChanged.connect(self._on_session)
        controller.permissionsChanged.connect(self._on_permissions)
        controller.apply_permission(self.export_button, Action.EXPORT)
        self._on_preset()
        self._on_permissions()

    # -- filters -----------------------------------------------------------------------------------------------
    def current_filter(self) -> AuditFilter:
        """The filter the controls describe (newest first, at most `row_limit` rows)."""
        value = self.preset.currentData()
        since: datetime | None = None
        until: datetime | None = None
        if value == CUSTOM:
            since = cast(datetime, self.since.dateTime().toPython()).astimezone()
            until = cast(datetime, self.until.dateTime().toPython()).astimezone()
        elif isinstance(value, timedelta):
            since = datetime.now().astimezone() - value
        action = self.action.currentText().strip()
        if action and not action.endswith((".", "*")):
            action += "*"
        return AuditFilter(since=since, until=until, username=self.user.text().strip().lower() or None,
                           action=action or None, mill=self.mill.currentData(), limit=self.row_limit,
                           newest_first=True)

    @Slot()
    def _on_preset(self) -> None:
        custom = self.preset.currentData() == CUSTOM
        self.since.setEnabled(custom)
        self.until.setEnabled(custom)

    # -- session -----------------------------------------------------------------------------------------------
    @Slot(object)
    def _on_session(self, _session: Any) -> None:
        self.model.set_entries([])
        self.count.setText("")
        set_message(self.message, "")

    @Slot()
    def _on_permissions(self) -> None:
        """Without `export` the trail can only be read one mill at a time: preselect one of theirs."""
        principal = self.controller.principal
        if principal is None or self.controller.can(Action.EXPORT).allowed or self.mill.currentData() is not None:
            return
        for i in range(1, self.mill.count()):
            if principal.has_mill(self.mill.itemData(i)):
                self.mill.setCurrentIndex(i)
                return

    def shutdown(self) -> None:
        self.controller.release_permission(self.export_button)
        if self.export_dialog is not None and shiboken6.isValid(self.export_dialog):
            self.export_dialog.close()
        self.jobs.close()

    # -- query -------------------------------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        session = self.controller.session
        if session is None:
            set_message(self.message, self.tr("Nobody is signed in."), "error")
            return
        f = self.current_filter()
        set_message(self.message, self.tr("Loading\u2026"), "busy")
        self.show_button.setEnabled(False)
        self.jobs.run(self._query, lambda entries: self._on_loaded(entries, f), self._on_failed, f, session)

    def _query(self, f: AuditFilter, session: Any) -> list[AuditEntry]:
        return self.audit.query(f, actor=session)

    def _on_loaded(self, entries: list[AuditEntry], f: AuditFilter) -> None:
        self.show_button.setEnabled(True)
        self.model.set_entries(entries)
        self._shown_filter = f
        n = len(entries)
        if f.limit is not None and n >= f.limit:
            text = self.tr("{n} records (the newest {n}: narrow the filters, or export for all)").format(n=fmt_int(n))
        elif n == 1:
            text = self.tr("1 record")
        else:
            text = self.tr("{n} records").format(n=fmt_int(n))
        self.count.setText(text)
        set_message(self.message, "")

    def _on_failed(self, exc: BaseException) -> None:
        self.show_button.setEnabled(True)
        text = error_text(exc)
        set_message(self.message, text[:1].upper() + text[1:], "error")

    # -- export ------------------------------------------------------------------------------------------------
    @Slot()
    def choose_export_file(self) -> None:
        """Ask for the file in a non-modal dialog; the export starts on `fileSelected`."""
        if self.export_dialog is not None and shiboken6.isValid(self.export_dialog):
            bring_to_front(self.export_dialog)
            return
        name = f"millwatch-audit-{datetime.now().strftime('%Y%m%d-%H%M')}.csv"
        dialog = QFileDialog(self, self.tr("Export audit trail"), str(self.export_dir / name),
                             self.tr("CSV files (*.csv)"))
        dialog.setObjectName("auditExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("csv")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # a native one may be modal
        localise_file_dialog(dialog)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.setMinimumSize(820, 520)
        dialog.fileSelected.connect(self.export_to)
        self.export_dialog = dialog
        dialog.show()

    @Slot(str)
    def export_to(self, path: str) -> None:
        """Write every record matching the filters (no row limit) to `path`, off the GUI thread."""
        session = self.controller.session
        if session is None or not path:
            return
        f = replace(self.current_filter(), limit=None, newest_first=False)
        self.export_dir = Path(path).parent
        set_message(self.message, self.tr("Exporting to {path}\u2026").format(path=path), "busy")
        self.export_button.setEnabled(False)
        self.jobs.run(self._export, lambda n: self._on_exported(n, path), self._on_export_failed, path, f, session)

    def _export(self, path: str, f: AuditFilter, session: Any) -> int:
        return self.audit.export_csv(path, f, actor=session)

    def _on_exported(self, n: int, path: str) -> None:
        self.controller.reapply_permissions()
        if n == 1:
            text = self.tr("Exported 1 record to {path}.").format(path=path)
        else:
            text = self.tr("Exported {n} records to {path}.").format(n=fmt_int(n), path=path)
        set_message(self.message, text, "info")

    def _on_export_failed(self, exc: BaseException) -> None:
        self.controller.reapply_permissions()
        self._on_failed(exc)

    # -- chain check -------------------------------------------------------------------------------------------
    @Slot()
    def verify(self) -> None:
        set_message(self.message, self.tr("Checking the chain\u2026"), "busy")
        self.verify_button.setEnabled(False)
        self.jobs.run(self.verify_chain, self._on_verified, self._on_verify_failed)

    def _on_verified(self, result: VerifyResult) -> None:
        self.verify_button.setEnabled(True)
        summary = message_text(result.summary())  # in the user's language once storage phrases it as Text
        summary = summary[:1].upper() + summary[1:]
        if result.ok:
            set_message(self.message, summary + ".", "info")
            return
        set_message(self.message, summary + ".", "error")
        if result.first_bad_seq is not None:
            row = self.model.row_of_seq(result.first_bad_seq)
            if row >= 0:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))

    def _on_verify_failed(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self._on_failed(exc)
