"""The e-stop row: one stop control per mill, each with the mill's name and a state line.

The state line shows `status.text` (hmi/core/estop.py `describe`: the state without ambiguity and
which path confirmed). NOT_CONFIRMED and NOT_STOPPED are shown in the top-priority (emergency)
colour with "use the hardwired e-stop / local stop" and a "Stop retrying" button.

Each cell also has "Reset latch", enabled only while the mill is STOPPED (the service decides who
may reset: permission, password re-entry and a reason); it only emits `resetRequested(mill)`, the
workspace asks for the reason. In the compact column (`compact=True`) the cells scroll when a plant
has more mills than the screen is high, and the mill that is alarming scrolls into view.

The panel knows nothing of sessions: the app passes `trigger` and `stop_retrying` callables (e.g.
``trigger=lambda mill: service.trigger(controller.session, mill)``), so it works while the screen is
locked. Place it outside the central stack (the lock overlay covers only that) and never inside
anything that gets disabled.

`on_estop_change(change, status)` may be called from any thread (the service's dispatcher thread):
it emits a signal connected with a queued connection, so every change reaches the GUI thread in
order and none is coalesced.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QRect, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.core.domain import Severity
from hmi.core.estop import ALARMING, HARDWIRED_MESSAGE, STILL_RUNNING_MESSAGE, EstopAttempt, EstopState
from hmi.ui.estop_control import DEFAULT_HOLD_SECONDS, FACE_DIAMETER, HOLD, EstopButton
from hmi.ui.i18n import message_text, translate
from hmi.ui.theme import PriorityPalette, bind_stylesheet, current_theme, set_state_property

log = logging.getLogger(__name__)

HARDWIRED_WORDS = "use the hardwired e-stop / local stop"  # the service's English (shown in full translated sentences)
COMPACT_FACE = 92  # the column beside the screens: two mills fit a 800 px high window
COMPACT_TEXT = 176
LATCHED_LOOK = frozenset({
    EstopState.SENDING, EstopState.SENT, EstopState.CONFIRMED, EstopState.STOPPED, EstopState.RESETTING,
})



def _state_words(state: EstopState, attempt: EstopAttempt | None) -> dict[str, str]:
    """The English words hmi/core/estop.py `describe` may give for `state` (with this attempt), each
    with the words shown for it. Every state is translated here, in full sentences: the stop is
    safety-critical and its words must never be half English."""
    by = attempt.confirmed_by.label if attempt is not None and attempt.confirmed_by is not None else ""
    if state is EstopState.IDLE:
        return {"Ready": translate("EstopPanel", "Ready")}
    if state is EstopState.SENDING:
        return {"Sending stop\u2026": translate("EstopPanel", "Sending stop\u2026")}
    if state is EstopState.SENT:
        paths = ", ".join(p.label for p, r in (attempt.paths.items() if attempt else ()) if r.acked_at is not None)
        return {f"Stop sent ({paths}): waiting for the controller":
                translate("EstopPanel", "Stop sent ({paths}): waiting for the controller").format(paths=paths)}
    if state is EstopState.CONFIRMED:
        return {f"Stop latched (confirmed by {by}): coasting down":
                translate("EstopPanel", "Stop latched (confirmed by {path}): coasting down").format(path=by)}
    if state is EstopState.STOPPED:
        return {f"Mill stopped (confirmed by {by})":
                translate("EstopPanel", "Mill stopped (confirmed by {path})").format(path=by)}
    if state is EstopState.NOT_CONFIRMED:
        return {
            HARDWIRED_MESSAGE + " (re-sending every second)": translate(
                "EstopPanel", "E-STOP NOT CONFIRMED: use the hardwired e-stop / local stop (re-sending every second)"),
            HARDWIRED_MESSAGE + " (re-sending stopped)": translate(
                "EstopPanel", "E-STOP NOT CONFIRMED: use the hardwired e-stop / local stop (re-sending stopped)"),
            HARDWIRED_MESSAGE: translate("EstopPanel", "E-STOP NOT CONFIRMED: use the hardwired e-stop / local stop"),
        }
    if state is EstopState.NOT_STOPPED:
        return {STILL_RUNNING_MESSAGE: translate(
            "EstopPanel", "Stop latched but the mill is still running: use the hardwired e-stop / local stop")}
    if state is EstopState.RESETTING:
        return {"Resetting the stop\u2026": translate("EstopPanel", "Resetting the stop\u2026")}
    return {"Stop reset: the mill is stopped; start production separately":
            translate("EstopPanel", "Stop reset: the mill is stopped; start production separately")}


def state_text(status: Any) -> str:
    """A status's state line in the user's language: the words of `describe` for its state are
    translated here; any other text (a service's message) through `message_text`."""
    text = getattr(status, "text", "") or ""
    try:
        state = EstopState(status.state)
    except (AttributeError, ValueError):
        return message_text(text)
    shown = _state_words(state, getattr(status, "attempt", None)).get(str(text))
    return shown if shown is not None else message_text(text)


def _panel_qss() -> str:
    """The panel's look in light-theme colours (bind_stylesheet translates them to the active theme);
    the top-priority colour is the active theme's own, read from its stylesheet."""
    top = PriorityPalette.load(current_theme())[Severity.EMERGENCY]
    fill, text = top.fill.name(), top.text.name()
    return f"""
QFrame#estopPanel {{ background-color: #e3e3e3; border-top: 1px solid #c4c4c4; }}
QFrame#estopCell {{ background-color: #f0f0f0; border: 1px solid #c4c4c4; border-radius: 3px; }}
QFrame#estopCell[estop="alarm"] {{ border: 3px solid {fill}; }}
QFrame#estopCell QLabel {{ background: transparent; }}
QLabel#estopMillName {{ font-size: 12pt; font-weight: bold; color: #1f2327; }}
QLabel#estopState {{ font-size: 11pt; color: #5b6167; padding: 4px 6px; border-radius: 2px; }}
QLabel#estopState[estop="latched"] {{ color: #1f2327; font-weight: bold; }}
QFrame#estopCell QLabel#estopState[estop="alarm"] {{
    background-color: {fill}; color: {text}; font-weight: bold;
}}
QPushButton#estopStopRetrying, QPushButton#estopReset {{
    font-size: 10pt; padding: 4px 10px; background-color: #dadada; color: #1f2327;
    border: 1px solid #9ea3a8; border-radius: 3px;
}}
QPushButton#estopStopRetrying:disabled, QPushButton#estopReset:disabled {{
    color: #9aa0a6; background-color: #e6e6e6; border-color: #c4c4c4;
}}
QScrollArea#estopScroll, QWidget#estopCells {{ background: transparent; border: none; }}
"""


class EstopCell(QFrame):
    """One mill: its name, its stop control, its state line and "Stop retrying" or "Reset latch"."""

    def __init__(self, slug: str, name: str, button: EstopButton, parent: QWidget | None = None, *,
                 text_width: int = 240) -> None:
        super().__init__(parent)
        self.setObjectName("estopCell")
        self.slug = slug
        self.button = button
        self.name_label = QLabel(name, self)
        self.name_label.setObjectName("estopMillName")
        self.name_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.state_label = QLabel(self.tr("Ready"), self)
        self.state_label.setObjectName("estopState")
        self.state_label.setWordWrap(True)
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.state_label.setFixedWidth(text_width)
        lines = 4 if text_width >= 220 else 2  # the label grows when a long state needs more
        self._base_height = lines * self.state_label.fontMetrics().lineSpacing() + 8
        self.state_label.setMinimumHeight(self._base_height)
        self.state_label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
        self.stop_retrying_button = QPushButton(self.tr("Stop retrying"), self)
        self.stop_retrying_button.setObjectName("estopStopRetrying")
        self.stop_retrying_button.setToolTip(self.tr("Stop re-sending the stop request to this mill's controller"))
        self.reset_button = QPushButton(self.tr("Reset latch\u2026"), self)
        self.reset_button.setObjectName("estopReset")
        self.reset_button.setToolTip(self.tr(
            "Reset this mill's stop latch once the mill is stopped and safe (technician or admin, password "
            "and a reason). Reset never starts the mill."
        ))
        self.reset_button.setEnabled(False)
        # One slot for both: "Stop retrying" while a stop is not confirmed, "Reset latch" otherwise;
        # a state change never moves the stop control.
        self.actions = QStackedWidget(self)
        self.actions.setObjectName("estopActions")
        self.actions.addWidget(self.reset_button)
        self.actions.addWidget(self.stop_retrying_button)
        self.actions.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(4)
        layout.addWidget(self.name_label)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.state_label)
        layout.addWidget(self.actions, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def set_state_text(self, text: str) -> None:
        """The state line, tall enough for all of it (a scroll area does not ask a wrapped label for
        its height, so the label says it up front and the stop control above is never squeezed)."""
        label = self.state_label
        label.setText(text)
        label.ensurePolished()
        inner = label.width() - 12  # the label's horizontal padding
        rect = label.fontMetrics().boundingRect(QRect(0, 0, max(inner, 40), 10_000),
                                                int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter), text)
        label.setMinimumHeight(max(self._base_height, rect.height() + 12))

    def show_status(self, status: Any) -> None:
        state = EstopState(status.state)
        english = str(status.text or "")  # what the service said, checked in its own words
        text = state_text(status)
        alarm = state in ALARMING
        by = getattr(status, "confirmed_by", None)
        if by is not None:
            label = getattr(by, "label", str(by))
            if f"confirmed by {label}" not in english:
                text = self.tr("{state} (confirmed by {path})").format(state=text, path=label)
        if alarm and HARDWIRED_WORDS not in english:
            text = (self.tr("{state}: use the hardwired e-stop / local stop").format(state=text) if text
                    else self.tr("Use the hardwired e-stop / local stop"))
        look = "alarm" if alarm else ("latched" if state in LATCHED_LOOK else "normal")
        set_state_property(self.state_label, "estop", look)
        set_state_property(self, "estop", look)
        self.set_state_text(text)  # after the look: a bold state takes more lines
        retrying = bool(getattr(status, "retrying", False))
        self.actions.setCurrentWidget(self.stop_retrying_button if alarm else self.reset_button)
        self.stop_retrying_button.setEnabled(retrying)
        self.stop_retrying_button.setText(self.tr("Stop retrying") if retrying or not alarm
                                          else self.tr("Re-sending stopped"))
        self.reset_button.setEnabled(bool(getattr(status, "reset_enabled", state is EstopState.STOPPED)))


class EstopPanel(QFrame):
    """A row of stop controls, one per mill (see the module docstring)."""

    estopChanged = Signal(object, object)  # (change, status): emitted from any thread, queued to ours
    resetRequested = Signal(str)  # mill: the operator asks to reset its latch (the workspace asks why)

    def __init__(
        self,
        mills: Sequence[tuple[str, str]],
        trigger: Callable[[str], None],
        stop_retrying: Callable[[str], None],
        hold_seconds: float = DEFAULT_HOLD_SECONDS,
        mode: str = HOLD,
        parent: QWidget | None = None,
        vertical: bool = False,
        compact: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("estopPanel")
        bind_stylesheet(self, _panel_qss)  # again on every theme switch
        self._trigger = trigger
        self._stop_retrying = stop_retrying
        self.cells: dict[str, EstopCell] = {}
        self.scroll: QScrollArea | None = None
        holder: QWidget = self
        if compact:  # a column that scrolls when the plant has more mills than the screen is high
            outer = QVBoxLayout(self)
            outer.setContentsMargins(0, 0, 0, 0)
            self.scroll = QScrollArea(self)
            self.scroll.setObjectName("estopScroll")
            self.scroll.setWidgetResizable(True)
            self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.scroll.setFrameShape(QFrame.Shape.NoFrame)
            holder = QWidget(self.scroll)
            holder.setObjectName("estopCells")
            self.scroll.setWidget(holder)
            outer.addWidget(self.scroll)
        layout = QVBoxLayout(holder) if vertical or compact else QHBoxLayout(holder)
        layout.setContentsMargins(6, 6, 6, 6) if compact else layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6 if compact else 8)
        for slug, name in mills:
            button = EstopButton(slug, name, hold_seconds=hold_seconds, mode=mode,
                                 face_diameter=COMPACT_FACE if compact else FACE_DIAMETER)
            cell = EstopCell(slug, name, button, holder, text_width=COMPACT_TEXT if compact else 240)
            button.stopRequested.connect(self._on_stop_requested)
            cell.stop_retrying_button.clicked.connect(self._on_stop_retrying_clicked)
            cell.reset_button.clicked.connect(self._on_reset_clicked)
            self.cells[slug] = cell
            layout.addWidget(cell)
        layout.addStretch(1)
        if self.scroll is not None:
            self.setFixedWidth(COMPACT_TEXT + 2 * 8 + 2 * 6 + 2 + self.scroll.verticalScrollBar().sizeHint().width())
        self.estopChanged.connect(self._on_estop_changed, Qt.ConnectionType.QueuedConnection)

    def button(self, mill: str) -> EstopButton:
        return self.cells[mill].button

    def state_text(self, mill: str) -> str:
        return self.cells[mill].state_label.text()

    def on_estop_change(self, change: object, status: object) -> None:
        """An `EstopService` listener: safe from any thread; shown on the GUI thread, in order."""
        self.estopChanged.emit(change, status)

    @Slot(object, object)
    def _on_estop_changed(self, change: object, status: object) -> None:
        mill = getattr(status, "mill", None) or getattr(change, "mill", None)
        cell = self.cells.get(str(mill))
        if cell is None:
            log.warning("e-stop change for unknown mill %r", mill)
            return
        cell.show_status(status)
        if self.scroll is not None and EstopState(getattr(status, "state", EstopState.IDLE)) in ALARMING:
            self.scroll.ensureWidgetVisible(cell)  # an alarming mill is never scrolled out of sight

    @Slot(str)
    def _on_stop_requested(self, mill: str) -> None:
        try:
            self._trigger(mill)
        except Exception:
            # The service refuses by raising (no permission, unknown mill): say so on the state line,
            # the operator must use the hardwired stop.
            log.exception("e-stop trigger for %s failed", mill)
            cell = self.cells[mill]
            set_state_property(cell.state_label, "estop", "alarm")
            set_state_property(cell, "estop", "alarm")
            cell.set_state_text(self.tr("Stop request refused or failed: use the hardwired e-stop / local stop"))

    @Slot()
    def _on_reset_clicked(self) -> None:
        sender = self.sender()
        for slug, cell in self.cells.items():
            if cell.reset_button is sender:
                self.resetRequested.emit(slug)
                return

    @Slot()
    def _on_stop_retrying_clicked(self) -> None:
        sender = self.sender()
        for slug, cell in self.cells.items():
            if cell.stop_retrying_button is sender:
                self._stop_retrying(slug)
                return
