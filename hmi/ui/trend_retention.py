"""The "Data retention" window: how long raw readings and each rollup are kept, for the whole site.

Non-modal (the stop column stays usable). Loading and saving run off the GUI thread; the service
(hmi/services/retention.py) validates, checks CHANGE_SETTINGS and audits: a user without it sees the
figures read-only and, if they try anyway, the service's refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.core.errors import ValidationError
from hmi.services.retention import FIELDS, MAX_DAYS, validate_retention
from hmi.storage.rollups import Retention
from hmi.ui.i18n import TrMap, translate
from hmi.ui.i18n import message_text as localised
from hmi.ui.session_controller import set_message, style_widget
from hmi.ui.worker import Jobs

CONTEXT = "RetentionDialog"
WIDTH, MIN_HEIGHT = 640, 380
NAMES = TrMap(CONTEXT, {
    "raw_days": QT_TRANSLATE_NOOP("RetentionDialog", "Raw readings"),
    "minute_days": QT_TRANSLATE_NOOP("RetentionDialog", "Per-minute rollups"),
    "hour_days": QT_TRANSLATE_NOOP("RetentionDialog", "Per-hour rollups"),
})
HINTS = TrMap(CONTEXT, {
    "raw_days": QT_TRANSLATE_NOOP("RetentionDialog", "every sample as received, with its raw value"),
    "minute_days": QT_TRANSLATE_NOOP("RetentionDialog", "min / max / average / count per minute"),
    "hour_days": QT_TRANSLATE_NOOP("RetentionDialog", "min / max / average / count per hour: years of trends"),
})
EXPLAINED = QT_TRANSLATE_NOOP(
    "RetentionDialog",
    "How long history is kept, for every workstation of this site. Older data is deleted by the "
    "instance that ingests, once an hour. Raw readings are only deleted after they have been rolled "
    "up, so trends zoomed out stay complete.",
)


class RetentionDialog(QDialog):
    """Shows and edits the retention through `service` (RetentionSettings); `session()` gives the
    signed-in session for saving, `can_edit()` whether to offer editing at all."""

    def __init__(self, service: Any, session: Callable[[], Any], can_edit: Callable[[], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retentionDialog")
        self.setWindowTitle(self.tr("Data retention"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        style_widget(self)
        self.setFixedWidth(WIDTH)
        self._service = service
        self._session = session
        self._can_edit = can_edit
        self.jobs = Jobs("retention", self)

        title = QLabel(self.tr("Data retention"), self)
        title.setObjectName("cardHeading")
        text = QLabel(translate(CONTEXT, EXPLAINED), self)
        text.setObjectName("cardText")
        text.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        self.days: dict[str, QDoubleSpinBox] = {}
        self.forever: dict[str, QCheckBox] = {}
        for row, field in enumerate(FIELDS):
            name, hint = NAMES[field], HINTS[field]
            label = QLabel(f"<b>{name}</b><br><span style='color:#5b6167'>{hint}</span>", self)
            label.setWordWrap(True)  # a long hint (or a longer language) takes a second line
            spin = QDoubleSpinBox(self)
            spin.setObjectName(f"retention_{field}")
            spin.setDecimals(0)
            spin.setRange(1, MAX_DAYS)
            spin.setSuffix(self.tr(" days"))
            spin.setMinimumWidth(130)
            keep = QCheckBox(self.tr("forever"), self)
            keep.toggled.connect(spin.setDisabled)
            self.days[field], self.forever[field] = spin, keep
            grid.addWidget(label, row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(keep, row, 2)
        grid.setColumnStretch(0, 1)
        self.message = QLabel(self)
        self.message.setObjectName("messageStrip")
        self.message.setWordWrap(True)
        set_message(self.message, "")
        self.save_button = QPushButton(self.tr("Save for the site"), self)
        self.save_button.setObjectName("primaryButton")
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        self._set_editable(False)
        self._fix_height()
        self.reload()

    def _fix_height(self) -> None:
        """A fixed size (no resizing once shown) tall enough for the texts in the user's language and a
        message of two lines."""
        set_message(self.message, "\n", "info")
        height = self.heightForWidth(WIDTH)
        set_message(self.message, "")
        self.setFixedSize(WIDTH, max(MIN_HEIGHT, height))

    def _set_editable(self, editable: bool) -> None:
        for field in FIELDS:
            self.forever[field].setEnabled(editable)
            self.days[field].setEnabled(editable and not self.forever[field].isChecked())
        self.save_button.setVisible(editable)

    def show_retention(self, retention: Retention) -> None:
        for field in FIELDS:
            value = getattr(retention, field)
            self.forever[field].setChecked(value is None)
            self.days[field].setValue(value if value is not None else 365)

    def form(self) -> Retention:
        """The figures in the form, validated (ValidationError names the problem)."""
        values = {f: None if self.forever[f].isChecked() else float(self.days[f].value()) for f in FIELDS}
        return validate_retention(**values)

    def message_text(self) -> str:
        return self.message.text() if self.message.isVisible() else ""

    @Slot()
    def reload(self) -> None:
        set_message(self.message, self.tr("Reading the site's settings\u2026"), "busy")
        self.jobs.run(self._service.load, self._loaded, self._failed)

    def _loaded(self, retention: Retention) -> None:
        if not shiboken6.isValid(self):
            return
        self.show_retention(retention)
        editable = self._can_edit()
        self._set_editable(editable)
        set_message(self.message, "" if editable else self.tr("Only an administrator may change the retention."),
                    "" if editable else "info")

    def _failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            set_message(self.message, localised(getattr(exc, "message", None) or exc) or type(exc).__name__, "error")
            self.save_button.setEnabled(True)

    @Slot()
    def save(self) -> None:
        try:
            retention = self.form()
        except ValidationError as exc:
            set_message(self.message, localised(exc.message), "error")
            return
        session = self._session()
        if session is None:
            set_message(self.message, self.tr("Nobody is signed in: sign in first."), "error")
            return
        self.save_button.setEnabled(False)
        set_message(self.message, self.tr("Saving\u2026"), "busy")
        self.jobs.run(self._service.save, self._saved, self._failed, session, retention)

    def _saved(self, retention: Retention) -> None:
        if shiboken6.isValid(self):
            self.show_retention(retention)
            self.save_button.setEnabled(True)
            set_message(self.message, self.tr("Saved: applied at the next pruning pass of the ingesting instance."),
                        "info")

    def closeEvent(self, event: Any) -> None:
        self.jobs.close()
        super().closeEvent(event)
