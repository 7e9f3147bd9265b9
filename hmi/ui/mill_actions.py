"""The mill screen's own actions bar: which mill, its status, and "Start production".

The command runs through an injected `start_production(slug) -> result` (in the app:
CommandService.start_production with the signed-in session) on a worker thread, because it waits
for the broker and the mill controller; the button is busy meanwhile and the outcome, a refusal
included ("Mill must be in active status to start production"), is shown beside it. The service
checks permission and mill state: the bar only reports what it says. The stop stays in the
e-stop column, which is never part of a screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from hmi.core.domain import MillStatus
from hmi.core.plant import Plant
from hmi.ui.i18n import TrMap, fmt_number, message_text, translate
from hmi.ui.sensor_board import MILL_STATUS_LABELS
from hmi.ui.theme import bind_stylesheet, set_state_property
from hmi.ui.worker import Jobs

StartProduction = Callable[[str], Any]

# Rules for the bar's widgets, scoped to it; they belong in resources/styles/light.qss.
MILL_ACTIONS_QSS = """
QFrame#millActions { background-color: #dcdcdc; border-bottom: 1px solid #bcbcbc; }
QFrame#millActions QLabel { background: transparent; color: #1f2327; }
QLabel#millActionsTitle { font-size: 13pt; font-weight: bold; }
QLabel#millActionsCaption { font-size: 10pt; font-weight: bold; color: #3a3f45; }
QLabel#millStatus { font-size: 10pt; font-weight: bold; color: #3a3f45; border: 1px solid #8a9096;
    border-radius: 3px; padding: 2px 8px; }
QLabel#millStatus[status="maintenance"] { color: #ffffff; background-color: #3f6c9e; border-color: #3f6c9e; }
QLabel#millStatus[status="offline"] { color: #ffffff; background-color: #6b7075; border-color: #6b7075; }
QLabel#millStatus[status="error"] { color: #ffffff; background-color: #c81e1e; border-color: #c81e1e; }
QLabel#millActionResult { font-size: 10.5pt; color: #3a3f45; }
QLabel#millActionResult[level="error"] { color: #8f1414; font-weight: bold; }
QPushButton#startProduction { background-color: #e9eaeb; color: #1f2327; border: 1px solid #8a9096;
    border-radius: 4px; padding: 6px 18px; font-size: 11pt; font-weight: bold; min-height: 24px; }
QPushButton#startProduction:hover { background-color: #f4f4f5; }
QPushButton#startProduction:pressed { background-color: #c5ccd4; }
QPushButton#startProduction:disabled { color: #9aa0a6; border-color: #c4c6c8; background-color: #dcdddf; }
"""


# A command's outcome as the controller reports it (CommandResult.state), in the user's words.
STATE_WORDS = TrMap("MillActions", {
    "sent": QT_TRANSLATE_NOOP("MillActions", "sent"),
    "confirmed": QT_TRANSLATE_NOOP("MillActions", "confirmed"),
    "applied": QT_TRANSLATE_NOOP("MillActions", "applied"),
    "refused": QT_TRANSLATE_NOOP("MillActions", "refused"),
    "failed": QT_TRANSLATE_NOOP("MillActions", "failed"),
})


def result_text(result: object) -> tuple[str, str]:
    """(level, text) for a CommandResult-like outcome: `ok`, `state`, `reason`, `latency_ms`."""
    ok = bool(getattr(result, "ok", True))
    state = str(getattr(result, "state", "") or "")
    reason = getattr(result, "reason", "") or ""  # kept as it is: a Text is shown in the user's language
    if ok:
        latency = getattr(result, "latency_ms", None)
        timed = isinstance(latency, int | float)
        ms = fmt_number(float(latency), 0) if timed else ""
        if state in ("started", ""):
            if timed:
                return "info", translate("MillActions", "Production started in {ms} ms.").format(ms=ms)
            return "info", translate("MillActions", "Production started.")
        word = STATE_WORDS.get(state, state)
        if timed:
            return "info", translate("MillActions", "Production start {state} in {ms} ms.").format(state=word, ms=ms)
        return "info", translate("MillActions", "Production start {state}.").format(state=word)
    why = message_text(reason) if reason else STATE_WORDS.get(state, state) or STATE_WORDS["refused"]
    return "error", translate("MillActions", "Production not started: {reason}").format(reason=why)


def error_text(exc: BaseException) -> str:
    """A refusal's own words (CommandRefused.reason, PermissionDenied) in the user's language, else the
    error's type."""
    reason = getattr(exc, "reason", None)
    if reason:
        return message_text(reason)
    text = message_text(exc)
    return text if text else type(exc).__name__


class MillActions(QFrame):
    """`start_production` None: the button is shown disabled ("not available on this workstation")."""

    message = Signal(str, str)  # level ("error" or "info"), text: for the window's message strip
    finished = Signal(str, bool)  # slug, ok

    def __init__(self, plant: Plant, start_production: StartProduction | None = None, *,
                 show_name: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("millActions")
        bind_stylesheet(self, MILL_ACTIONS_QSS)
        self.plant = plant
        self.start_production = start_production
        self._slug: str | None = None
        self._statuses: dict[str, MillStatus] = {}  # as last reported, per mill
        self._busy_slug: str | None = None
        self.jobs = Jobs("mill-actions", self)
        self.jobs.busyChanged.connect(self._on_busy)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(12)
        self.show_name = show_name  # False: the pane title above already names the mill
        self.title = QLabel(self)
        self.title.setObjectName("millActionsTitle")
        caption = QLabel(self.tr("Mill status"), self)
        caption.setObjectName("millActionsCaption")
        caption.setVisible(not show_name)
        self.title.setVisible(show_name)
        self.status = QLabel(self)
        self.status.setObjectName("millStatus")
        self.result = QLabel(self)
        self.result.setObjectName("millActionResult")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setWordWrap(True)  # a refusal is read in full, on two lines if need be
        self.result.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.result.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.start_button = QPushButton(self.tr("Starting\u2026"), self)
        self.start_button.setObjectName("startProduction")
        self.start_button.setToolTip(self.tr("Ask the mill's controller to start production"))
        self.start_button.clicked.connect(self.request_start)
        self.start_button.ensurePolished()  # sized once for its longest text: it never jumps or clips
        busy_width = self.start_button.sizeHint().width()
        self.start_button.setText(self.tr("Start production"))
        self.start_button.setMinimumWidth(max(busy_width, self.start_button.sizeHint().width()) + 8)
        layout.addWidget(self.title)
        layout.addWidget(caption)
        layout.addWidget(self.status)
        layout.addWidget(self.result, 1)
        layout.addWidget(self.start_button)
        self.set_mill(None)

    @property
    def mill(self) -> str | None:
        return self._slug

    @Slot(object)
    def set_mill(self, slug: str | None) -> None:
        """Show the actions of `slug`; hidden for None ("All mills" has no actions of its own)."""
        if slug != self._slug:
            self.result.clear()
        self._slug = slug
        self.setVisible(slug is not None)
        if slug is None:
            return
        mill = self.plant.mill(slug)
        self.title.setText(mill.name)
        self._show_status(self._statuses.get(slug, mill.status))
        self._update_button()

    def set_status(self, slug: str, status: MillStatus | str) -> None:
        """The mill's status as last known (the plant file's, then the overview's database refresh)."""
        self._statuses[slug] = MillStatus(status)
        if slug == self._slug:
            self._show_status(MillStatus(status))

    def _show_status(self, status: MillStatus) -> None:
        self.status.setText(MILL_STATUS_LABELS[status])
        set_state_property(self.status, "status", status.value)

    def _update_button(self) -> None:
        available = self.start_production is not None
        self.start_button.setEnabled(available and not self.jobs.busy)
        if not available:
            self.start_button.setToolTip(self.tr("Starting production is not available on this workstation"))

    @Slot()
    def request_start(self) -> None:
        slug = self._slug
        if slug is None or self.start_production is None or self.jobs.busy:
            return
        self._busy_slug = slug
        self._show("info", self.tr("Starting production on {mill}\u2026").format(mill=self.plant.mill(slug).name))
        self.jobs.run(self.start_production, self._on_done, self._on_failed, slug)

    def _on_done(self, result: object) -> None:
        level, text = result_text(result)
        self._finish(level, text)

    def _on_failed(self, exc: BaseException) -> None:
        self._finish("error", self.tr("Production not started: {reason}").format(reason=error_text(exc)))

    def _finish(self, level: str, text: str) -> None:
        slug, self._busy_slug = self._busy_slug, None
        if slug == self._slug:
            self._show(level, text)
        self.message.emit(level, text)
        self.finished.emit(slug or "", level != "error")

    def _show(self, level: str, text: str) -> None:
        self.result.setText(text)
        set_state_property(self.result, "level", level)

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        self._update_button()
        self.start_button.setText(self.tr("Starting\u2026") if busy else self.tr("Start production"))

    def shutdown(self) -> None:
        """Stop the worker thread (before the window goes)."""
        self.jobs.close()
