"""The e-stop row: one stop control per mill, each with the mill's name and a state line.

The state line shows `status.text` (hmi/core/estop.py `describe`: the state without ambiguity and
which path confirmed). NOT_CONFIRMED and NOT_STOPPED are shown in the top-priority (emergency)
colour with "use the hardwired e-stop / local stop" and a "Stop retrying" button.

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

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from hmi.core.domain import Severity
from hmi.core.estop import ALARMING, EstopState
from hmi.ui.estop_control import DEFAULT_HOLD_SECONDS, HOLD, EstopButton
from hmi.ui.theme import PriorityPalette, set_state_property

log = logging.getLogger(__name__)

HARDWIRED_WORDS = "use the hardwired e-stop / local stop"
LATCHED_LOOK = frozenset({
    EstopState.SENDING, EstopState.SENT, EstopState.CONFIRMED, EstopState.STOPPED, EstopState.RESETTING,
})


def _panel_qss() -> str:
    """The panel's look; the top-priority colour is read from the theme's stylesheet."""
    top = PriorityPalette.load()[Severity.EMERGENCY]
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
QPushButton#estopStopRetrying {{
    font-size: 11pt; padding: 5px 12px; background-color: #dadada; color: #1f2327;
    border: 1px solid #9ea3a8; border-radius: 3px;
}}
QPushButton#estopStopRetrying:disabled {{ color: #9aa0a6; background-color: #e6e6e6; }}
"""


class EstopCell(QFrame):
    """One mill: its name, its stop control, its state line and "Stop retrying"."""

    def __init__(self, slug: str, name: str, button: EstopButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("estopCell")
        self.slug = slug
        self.button = button
        self.name_label = QLabel(name, self)
        self.name_label.setObjectName("estopMillName")
        self.name_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.state_label = QLabel("Ready", self)
        self.state_label.setObjectName("estopState")
        self.state_label.setWordWrap(True)
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.state_label.setFixedWidth(240)
        self.state_label.setMinimumHeight(4 * self.state_label.fontMetrics().lineSpacing() + 8)
        self.state_label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
        self.stop_retrying_button = QPushButton("Stop retrying", self)
        self.stop_retrying_button.setObjectName("estopStopRetrying")
        self.stop_retrying_button.setToolTip("Stop re-sending the stop request to this mill's controller")
        keep = self.stop_retrying_button.sizePolicy()
        keep.setRetainSizeWhenHidden(True)  # a state change must not move the stop controls
        self.stop_retrying_button.setSizePolicy(keep)
        self.stop_retrying_button.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(4)
        layout.addWidget(self.name_label)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.state_label)
        layout.addWidget(self.stop_retrying_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def show_status(self, status: Any) -> None:
        state = EstopState(status.state)
        text = str(status.text or "")
        alarm = state in ALARMING
        by = getattr(status, "confirmed_by", None)
        if by is not None:
            label = getattr(by, "label", str(by))
            if f"confirmed by {label}" not in text:
                text += f" (confirmed by {label})"
        if alarm and HARDWIRED_WORDS not in text:
            text = f"{text}: {HARDWIRED_WORDS}" if text else HARDWIRED_WORDS.capitalize()
        self.state_label.setText(text)
        look = "alarm" if alarm else ("latched" if state in LATCHED_LOOK else "normal")
        set_state_property(self.state_label, "estop", look)
        set_state_property(self, "estop", look)
        retrying = bool(getattr(status, "retrying", False))
        self.stop_retrying_button.setVisible(alarm)
        self.stop_retrying_button.setEnabled(retrying)
        self.stop_retrying_button.setText("Stop retrying" if retrying or not alarm else "Re-sending stopped")


class EstopPanel(QFrame):
    """A row of stop controls, one per mill (see the module docstring)."""

    estopChanged = Signal(object, object)  # (change, status): emitted from any thread, queued to ours

    def __init__(
        self,
        mills: Sequence[tuple[str, str]],
        trigger: Callable[[str], None],
        stop_retrying: Callable[[str], None],
        hold_seconds: float = DEFAULT_HOLD_SECONDS,
        mode: str = HOLD,
        parent: QWidget | None = None,
        vertical: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("estopPanel")
        self.setStyleSheet(_panel_qss())
        self._trigger = trigger
        self._stop_retrying = stop_retrying
        self.cells: dict[str, EstopCell] = {}
        layout = QVBoxLayout(self) if vertical else QHBoxLayout(self)  # vertical: a column beside the screens
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(8)
        for slug, name in mills:
            button = EstopButton(slug, name, hold_seconds=hold_seconds, mode=mode)
            cell = EstopCell(slug, name, button, self)
            button.stopRequested.connect(self._on_stop_requested)
            cell.stop_retrying_button.clicked.connect(self._on_stop_retrying_clicked)
            self.cells[slug] = cell
            layout.addWidget(cell)
        layout.addStretch(1)
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

    @Slot(str)
    def _on_stop_requested(self, mill: str) -> None:
        try:
            self._trigger(mill)
        except Exception:
            # The service refuses by raising (no permission, unknown mill): say so on the state line,
            # the operator must use the hardwired stop.
            log.exception("e-stop trigger for %s failed", mill)
            cell = self.cells[mill]
            cell.state_label.setText(f"Stop request refused or failed: {HARDWIRED_WORDS}")
            set_state_property(cell.state_label, "estop", "alarm")
            set_state_property(cell, "estop", "alarm")

    @Slot()
    def _on_stop_retrying_clicked(self) -> None:
        sender = self.sender()
        for slug, cell in self.cells.items():
            if cell.stop_retrying_button is sender:
                self._stop_retrying(slug)
                return
