"""The "reset stop latch" window: the reason, what reset does and does not do, and the outcome.

Non-modal (shown with `show()`): the stop controls of every mill stay usable while it is open. It
only collects the reason and shows results; `EstopResetFlow` (hmi/ui/workspace.py) re-checks the
password through the session controller and calls the e-stop service off the GUI thread, which is
where permission, password age, the reason and the mill's state are really checked.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from hmi.ui.i18n import translate
from hmi.ui.session_controller import set_message, style_widget

RESET_EXPLAINED = QT_TRANSLATE_NOOP(
    "EstopResetDialog",
    "Reset only clears the remote stop latch once the controller reports the mill stopped and safe. "
    "It never starts the mill: start production is its own command. Check on site that the mill is "
    "safe to restart (guards closed, people clear, hardwired e-stops released) before you reset.",
)

DIALOG_WIDTH, DIALOG_HEIGHT = 560, 330  # the least: more when the language's words need it


class EstopResetDialog(QDialog):
    """Asks why the latch of `mill_name` is being reset; `submitted(reason)` when confirmed."""

    submitted = Signal(str)

    def __init__(self, mill: str, mill_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mill = mill
        self.setObjectName("estopResetDialog")
        self.setWindowTitle(self.tr("Reset stop latch \u2014 {mill}").format(mill=mill_name))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        style_widget(self)
        self._busy = False

        title = QLabel(self.tr("Reset the stop latch of {mill}").format(mill=mill_name), self)
        title.setObjectName("cardHeading")
        title.setWordWrap(True)
        text = QLabel(translate("EstopResetDialog", RESET_EXPLAINED), self)
        text.setObjectName("cardText")
        text.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("resetReason")
        self.reason.setPlaceholderText(self.tr("Reason (required), e.g. \u201cjam cleared at B2, area checked\u201d"))
        self.reason.setMaxLength(300)
        self.message = QLabel(self)
        self.message.setObjectName("messageStrip")
        self.message.setWordWrap(True)
        set_message(self.message, "")
        self.confirm_button = QPushButton(self.tr("Reset latch"), self)
        self.confirm_button.setObjectName("primaryButton")
        self.confirm_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Close"), self)
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        for w in (title, text, self.reason, self.message):
            layout.addWidget(w)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._fix_size(layout)
        self.confirm_button.clicked.connect(self._on_confirm)
        self.cancel_button.clicked.connect(self.close)
        self.reason.textEdited.connect(self._on_edited)
        self.reason.setFocus()

    def _fix_size(self, layout: QVBoxLayout) -> None:
        """A fixed size set before show() (a shown window's size hints never change), tall enough
        for the words in the user's language (longer in some) and a two-line message."""
        set_message(self.message, "\n", "error")
        for w in (self, *self.findChildren(QWidget)):
            w.ensurePolished()
        height = layout.totalHeightForWidth(DIALOG_WIDTH)
        set_message(self.message, "")
        self.setFixedSize(DIALOG_WIDTH, max(DIALOG_HEIGHT, height))

    @property
    def busy(self) -> bool:
        return self._busy

    def set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.confirm_button.setEnabled(not busy)
        self.reason.setReadOnly(busy)
        if busy:
            set_message(self.message, text or self.tr("Sending the reset request\u2026"), "busy")

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        set_message(self.message, text, "error")

    def show_info(self, text: str) -> None:
        self.set_busy(False)
        set_message(self.message, text, "info")

    @Slot(str)
    def _on_edited(self, _text: str) -> None:
        if not self._busy:
            set_message(self.message, "")  # the complaint about the reason is answered

    @Slot()
    def _on_confirm(self) -> None:
        if self._busy:
            return
        reason = self.reason.text().strip()
        if not reason:
            set_message(self.message, self.tr("a reason is required to reset the e-stop"), "error")
            self.reason.setFocus()
            return
        self.submitted.emit(reason)

    def reject(self) -> None:  # Escape closes; nothing was sent
        self.close()

    def message_text(self) -> str:
        return self.message.text() if self.message.isVisible() else ""

    def closeEvent(self, event: Any) -> None:
        self._busy = False
        super().closeEvent(event)
