"""One mill's remote stop control: press and hold (with a progress ring), or arm then confirm.

The control only asks: it emits `stopRequested(mill)` once per completed gesture and knows nothing of
sessions, permissions or the state machine (hmi/core/estop.py, hmi/services/estop_service.py decide).

Gestures:

- ``mode="hold"`` (default): press (left mouse button, touch, or Space/Enter with focus) and keep it
  down for `hold_seconds`; the ring fills while held. Releasing early sends nothing. One trigger per
  completed hold: the press must be released before the next hold can start. Keyboard auto-repeat
  (`QKeyEvent.isAutoRepeat`) neither starts nor ends a hold, a double click's second press never
  starts one, and presses within `debounce_seconds` (300 ms) after a trigger are ignored (touch bounce).
- ``mode="confirm"``: a click arms the control for `arm_seconds` (5 s) and shows a separate
  "CONFIRM STOP" button; clicking that sends. The arm window expires on its own.

The control is never disabled by UI state: `setEnabled(False)` is refused. Keep it out of anything
that gets disabled or covered (the lock overlay covers only the central area).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QElapsedTimer, QPointF, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QFocusEvent,
    QFont,
    QHideEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QPushButton, QSizePolicy, QVBoxLayout, QWidget

from hmi.ui.i18n import fmt_number, translate
from hmi.ui.theme import bind_stylesheet, theme_colour

log = logging.getLogger(__name__)

TOOLTIP = QT_TRANSLATE_NOOP(
    "EstopButton",
    "Remote stop request to the mill controller. It supplements, and never replaces, the hardwired "
    "emergency stop (ISO 13850 / IEC 60204-1).",
)
HOLD = "hold"
CONFIRM = "confirm"
MODES = (HOLD, CONFIRM)
DEFAULT_HOLD_SECONDS = 1.0
DEFAULT_ARM_SECONDS = 5.0
DEFAULT_DEBOUNCE_SECONDS = 0.3
TICK_MS = 16

FACE_DIAMETER = 112
RING_WIDTH = 8
CONFIRM_ROW = 44

# The face deliberately is not the red-on-yellow of a hardwired e-stop actuator (ISO 13850 reserves
# that look): a dark red face with white words, a track and a progress ring. The colours are the
# active theme's `estop-*` roles (resources/styles/*.qss), read when painting.
_FACE, _FACE_DOWN, _FACE_ARMED = "estop-face", "estop-face-down", "estop-face-armed"
_TRACK, _RING, _TEXT, _FOCUS = "estop-track", "estop-ring", "estop-text", "estop-focus"

_CONFIRM_QSS = """
QPushButton#estopConfirm {
    font-size: 12pt; font-weight: bold; padding: 6px 10px;
    background-color: #b0005c; color: #ffffff; border: 2px solid #6e0039; border-radius: 3px;
}
QPushButton#estopConfirm:pressed { background-color: #8a0048; }
"""


class EstopButton(QWidget):
    """A mill's stop control (see the module docstring). `stopRequested(mill)` is its only output."""

    stopRequested = Signal(str)
    armedChanged = Signal(bool)

    def __init__(
        self,
        mill: str,
        name: str = "",
        hold_seconds: float = DEFAULT_HOLD_SECONDS,
        mode: str = HOLD,
        arm_seconds: float = DEFAULT_ARM_SECONDS,
        debounce_seconds: float = DEFAULT_DEBOUNCE_SECONDS,
        parent: QWidget | None = None,
        face_diameter: int = FACE_DIAMETER,
    ) -> None:
        super().__init__(parent)
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        if hold_seconds <= 0 or arm_seconds <= 0 or debounce_seconds < 0:
            raise ValueError("hold_seconds and arm_seconds must be > 0, debounce_seconds >= 0")
        self.mill = mill
        self.name = name or mill
        self.mode = mode
        self.hold_seconds = float(hold_seconds)
        self.arm_seconds = float(arm_seconds)
        self.debounce_seconds = float(debounce_seconds)
        self.face_diameter = max(int(face_diameter), 72)  # smaller faces get hard to hit on a touch screen
        self.setObjectName("estopButton")
        tooltip = translate("EstopButton", TOOLTIP)
        self.setToolTip(tooltip)
        self.setAccessibleName(translate("EstopButton", "Stop {mill}").format(mill=self.name))
        self.setAccessibleDescription(tooltip)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, False)  # touch arrives as mouse

        self._holding = False  # a press is down and counting
        self._latched = False  # this press already triggered (or was refused): wait for release
        self._clicking = False  # confirm mode: a press on the face, to arm on release
        self._key: int | None = None  # the key holding, if the hold is by keyboard
        self._held = QElapsedTimer()
        self._since_trigger = QElapsedTimer()
        self._progress = 0.0
        self._armed = False
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)
        self._arm_timer = QTimer(self)
        self._arm_timer.setSingleShot(True)
        self._arm_timer.timeout.connect(self.disarm)

        self.confirm_button: QPushButton | None = None
        if mode == CONFIRM:
            layout = QVBoxLayout(self)
            layout.setContentsMargins(4, self.face_diameter + 2 * RING_WIDTH + 4, 4, 4)
            btn = QPushButton(translate("EstopButton", "CONFIRM STOP"), self)
            btn.setObjectName("estopConfirm")
            bind_stylesheet(btn, _CONFIRM_QSS)  # light-theme colours, translated per theme
            btn.setToolTip(tooltip)
            btn.setAccessibleName(translate("EstopButton", "Confirm stop {mill}").format(mill=self.name))
            btn.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            btn.clicked.connect(self._on_confirm_clicked)
            keep = btn.sizePolicy()
            keep.setRetainSizeWhenHidden(True)  # arming must not move anything
            btn.setSizePolicy(keep)
            btn.hide()
            layout.addWidget(btn)
            self.confirm_button = btn

    # -- geometry and state --------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        side = self.face_diameter + 2 * RING_WIDTH + 8
        return QSize(max(side, 120), side + (CONFIRM_ROW if self.mode == CONFIRM else 0))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def face_rect(self) -> QRectF:
        """The round face (mouse presses elsewhere are ignored)."""
        d = self.face_diameter
        return QRectF((self.width() - d) / 2, RING_WIDTH + 4, d, d)

    def face_center(self) -> QPointF:
        return self.face_rect().center()

    @property
    def progress(self) -> float:
        """How far the current hold has come, 0..1 (0 when nothing is held)."""
        return self._progress

    @property
    def armed(self) -> bool:
        return self._armed

    def setEnabled(self, enabled: bool) -> None:
        """Refused for False: the stop control is never disabled by UI state."""
        if not enabled:
            log.info("e-stop control %s: refusing to be disabled", self.mill)
        super().setEnabled(True)

    def setDisabled(self, disabled: bool) -> None:
        self.setEnabled(not disabled)

    # -- the gesture ---------------------------------------------------------------------------------

    def _debouncing(self) -> bool:
        return self._since_trigger.isValid() and self._since_trigger.elapsed() < self.debounce_seconds * 1000

    def _press(self, key: int | None) -> None:
        if self._holding or self._latched or self._clicking:
            return
        if self._debouncing():
            self._latched = True  # a bounce: this press may not start anything, even after 300 ms
            self._key = key
            return
        if self.mode == CONFIRM:
            self._key = key
            self._clicking = True  # the click completes (and arms) on release
            return
        self._holding = True
        self._key = key
        self._held.start()
        self._progress = 0.0
        self._tick.start()
        self.update()

    def _release(self) -> None:
        clicked = self._clicking
        if self._holding and self._held.elapsed() >= self.hold_seconds * 1000:
            self._fire()  # held long enough; the tick had not come round yet
        self._reset_hold()
        if clicked:
            self.arm()

    def _reset_hold(self) -> None:
        self._holding = False
        self._latched = False
        self._clicking = False
        self._key = None
        self._progress = 0.0
        self._tick.stop()
        self.update()

    @Slot()
    def _on_tick(self) -> None:
        if not self._holding:
            self._tick.stop()
            return
        self._progress = min(1.0, self._held.elapsed() / (self.hold_seconds * 1000))
        if self._progress >= 1.0:
            self._fire()
        self.update()

    def _fire(self) -> None:
        self._holding = False
        self._latched = True  # one trigger per completed hold: wait for the release
        self._tick.stop()
        self._progress = 0.0
        self._since_trigger.start()
        self.update()
        log.info("e-stop requested for %s", self.mill)
        self.stopRequested.emit(self.mill)

    @Slot()
    def arm(self) -> None:
        """Confirm mode: show "CONFIRM STOP" for `arm_seconds` (again from the start if armed)."""
        if self.confirm_button is None:
            return
        self._arm_timer.start(int(self.arm_seconds * 1000))
        if not self._armed:
            self._armed = True
            self.confirm_button.show()
            self.update()
            self.armedChanged.emit(True)

    @Slot()
    def disarm(self) -> None:
        self._arm_timer.stop()
        if self._armed and self.confirm_button is not None:
            self._armed = False
            self.confirm_button.hide()
            self.update()
            self.armedChanged.emit(False)

    @Slot()
    def _on_confirm_clicked(self) -> None:
        if not self._armed or self._debouncing():
            return
        self.disarm()
        self._since_trigger.start()
        log.info("e-stop requested (confirmed) for %s", self.mill)
        self.stopRequested.emit(self.mill)

    # -- events --------------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._on_face(event.position()):
            self._press(None)
            event.accept()
            return
        event.ignore()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # The second press of a double click: never starts a hold or a click (its release is ignored
        # too, as nothing is held).
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._key is None:
            self._release()
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not event.isAutoRepeat():
                self._press(int(event.key()))
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not event.isAutoRepeat() and self._key == int(event.key()):
                self._release()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if self._key is not None:
            self._reset_hold()  # the key's release will not reach us: drop the hold, send nothing
        super().focusOutEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._reset_hold()
        super().hideEvent(event)

    def _on_face(self, pos: QPointF) -> bool:
        r = self.face_rect().adjusted(-RING_WIDTH, -RING_WIDTH, RING_WIDTH, RING_WIDTH)
        c = r.center()
        dx, dy = pos.x() - c.x(), pos.y() - c.y()
        return dx * dx + dy * dy <= (r.width() / 2) ** 2

    # -- painting ------------------------------------------------------------------------------------

    def hint_text(self) -> str:
        """The small words on the face under "STOP": the gesture it takes, or "armed"."""
        if self._armed:
            return translate("EstopButton", "armed")
        if self.mode == CONFIRM:
            return translate("EstopButton", "click, then confirm")
        seconds = self.hold_seconds
        decimals = 0 if seconds == int(seconds) else (1 if seconds * 10 == int(seconds * 10) else 2)
        return translate("EstopButton", "hold {seconds} s").format(seconds=fmt_number(seconds, decimals))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        face = self.face_rect()
        ring = face.adjusted(-RING_WIDTH / 2 - 1, -RING_WIDTH / 2 - 1, RING_WIDTH / 2 + 1, RING_WIDTH / 2 + 1)

        p.setPen(QPen(theme_colour(_TRACK), RING_WIDTH))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(ring)
        if self._progress > 0:
            pen = QPen(theme_colour(_RING), RING_WIDTH)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            p.setPen(pen)
            p.drawArc(ring, 90 * 16, -int(self._progress * 360 * 16))  # clockwise from 12 o'clock

        fill = _FACE_ARMED if self._armed else (_FACE_DOWN if self._holding else _FACE)
        p.setPen(QPen(theme_colour(_FOCUS), 2) if self.hasFocus() else Qt.PenStyle.NoPen)
        p.setBrush(theme_colour(fill))
        p.drawEllipse(face.adjusted(2, 2, -2, -2))

        p.setPen(theme_colour(_TEXT))
        big = QFont(self.font())
        big.setBold(True)
        big.setPointSizeF(15 if self.face_diameter >= 100 else 13)
        p.setFont(big)
        top = QRectF(face.left(), face.top() + face.height() * 0.18, face.width(), face.height() * 0.36)
        p.drawText(top, Qt.AlignmentFlag.AlignCenter, translate("EstopButton", "STOP"))
        small = QFont(self.font())
        small.setPointSizeF(9 if self.face_diameter >= 100 else 8)
        p.setFont(small)
        hint = self.hint_text()
        below = QRectF(face.left() + 8, face.top() + face.height() * 0.52, face.width() - 16, face.height() * 0.3)
        words = hint if self.face_diameter < 100 else f"{self.name}\n{hint}"  # small faces: the cell names the mill
        p.drawText(below, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, words)
        p.end()
