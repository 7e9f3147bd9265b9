"""The screen lock: a veil over the central area that keeps the live views visible and takes all input.

`LockOverlay(controller, target)` covers `target` (the main window's central stack) exactly while the
session is locked. It is a child of `target`'s window, not of `target` (a QSplitter or a layout-managing
container would adopt it as one more pane), placed over `target` and following it as the window
resizes; create it once `target` sits in its window. The views under it keep updating (they are neither
disabled nor hidden, only dimmed), but no mouse, wheel or key event reaches them: the veil takes the
clicks, and an application event filter, installed only while locked, drops keys and clicks meant for
anything under it and pulls the focus back to the password field. The alarm banner and the e-stop are
outside `target` and stay usable. Unlocking goes through the controller (off the GUI thread).
"""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Slot
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hmi.ui.domain_words import word
from hmi.ui.i18n import fmt_time, message_text
from hmi.ui.session_controller import SessionController, set_message, style_widget
from hmi.ui.theme import theme_colour

VEIL = QColor(200, 203, 206, 125)  # the grey of the window, see-through: live values stay readable
CARD_WIDTH = 560

_BLOCKED = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride, QEvent.Type.InputMethod,
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel, QEvent.Type.ContextMenu, QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TabletPress,
})
_GEOMETRY = frozenset({QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide})
_EATEN_HERE = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.ContextMenu,
})


class LockOverlay(QWidget):
    """"Locked — ana (operator) — enter password to unlock", over `target` while the session is locked."""

    def __init__(self, controller: SessionController, target: QWidget) -> None:
        super().__init__(target.window())
        self.setObjectName("lockOverlay")
        self.controller = controller
        self.target = target
        self._filtering = False
        self._busy = False
        style_widget(self)
        self.setAutoFillBackground(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.card = QFrame(self)
        self.card.setObjectName("card")
        self.card.setFixedWidth(CARD_WIDTH)
        self.card.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Maximum)
        card = QVBoxLayout(self.card)
        card.setContentsMargins(36, 28, 36, 26)
        card.setSpacing(8)
        self.title = QLabel(self.tr("Screen locked"), self.card)
        self.title.setObjectName("cardTitle")
        self.who = QLabel(self.card)
        self.who.setObjectName("cardText")
        self.who.setWordWrap(True)
        self.since = QLabel(self.card)
        self.since.setObjectName("cardSubtitle")
        self.password = QLineEdit(self.card)
        self.password.setObjectName("passwordField")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setMaxLength(128)
        self.unlock_button = QPushButton(self.tr("Unlock"), self.card)
        self.unlock_button.setObjectName("primaryButton")
        self.unlock_button.setMinimumHeight(48)
        self.switch_button = QPushButton(self.tr("Switch user"), self.card)
        self.switch_button.setMinimumHeight(48)
        self.message = QLabel(self.card)
        self.message.setObjectName("messageStrip")
        self.message.setWordWrap(True)
        set_message(self.message, "")
        note = QLabel(self.tr("Live values, alarms and the emergency stop stay available."), self.card)
        note.setObjectName("hint")
        note.setWordWrap(True)
        card.addWidget(self.title)
        card.addWidget(self.who)
        card.addWidget(self.since)
        card.addSpacing(8)
        card.addWidget(self.password)
        card.addWidget(self.message)
        card.addSpacing(6)
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addWidget(self.unlock_button, 1)
        card.addLayout(buttons)
        card.addSpacing(4)
        card.addWidget(note)

        outer = QVBoxLayout(self)
        outer.addStretch(2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(3)

        self.password.returnPressed.connect(self._on_unlock)
        self.unlock_button.clicked.connect(self._on_unlock)
        self.switch_button.clicked.connect(self._on_switch_user)
        controller.locked.connect(self._on_locked)
        controller.unlocked.connect(self._on_unlocked)
        controller.signedOut.connect(self._on_unlocked)
        controller.unlockFailed.connect(self._on_unlock_failed)
        self._watched: list[QWidget] = []  # target and its ancestors: their moves and resizes move the veil
        w: QWidget | None = target
        while w is not None:
            w.installEventFilter(self)
            self._watched.append(w)
            if w.isWindow():
                break
            w = w.parentWidget()
        self.hide()
        if controller.is_locked:
            self._on_locked()

    # -- showing -----------------------------------------------------------------------------------------------
    @Slot()
    def _on_locked(self) -> None:
        session = self.controller.session
        if session is not None:
            self.who.setText(self.tr("Locked \u2014 {user} ({role}) \u2014 enter password to unlock").format(
                user=session.username, role=word(session.principal.role).lower()))
        else:
            self.who.setText(self.tr("Locked \u2014 nobody is signed in"))
        self.since.setText(self.tr("Locked at {time}").format(time=fmt_time(time.time(), seconds=False)))
        self.password.clear()
        self._set_busy(False)
        set_message(self.message, "")
        self._close_popups()
        self._set_filtering(True)
        self._sync()
        self.password.setFocus()

    def covered_rect(self) -> QRect:
        """`target`'s rectangle in the coordinates of the overlay's parent (what the veil covers)."""
        parent = self.parentWidget()
        if parent is None or parent is self.target:
            return self.target.rect()
        return QRect(self.target.mapTo(parent, QPoint(0, 0)), self.target.size())

    def _sync(self) -> None:
        """Follow `target`: same rectangle, on top, visible while locked and `target` is shown."""
        if not self._filtering:
            return
        self.setGeometry(self.covered_rect())
        if self.target.isVisible():
            self.show()
            self.raise_()
        else:
            self.hide()

    @Slot()
    def _on_unlocked(self) -> None:
        self._set_filtering(False)
        self.password.clear()
        self._set_busy(False)
        self.hide()

    @Slot(str)
    def _on_unlock_failed(self, text: str) -> None:
        self._set_busy(False)
        text = message_text(text)
        set_message(self.message, text[:1].upper() + text[1:], "error")
        self.password.clear()
        self.password.setFocus()

    @Slot()
    def _on_unlock(self) -> None:
        if self._busy:
            return
        if not self.password.text():
            set_message(self.message, self.tr("Enter your password."), "error")
            self.password.setFocus()
            return
        self._set_busy(True)
        set_message(self.message, self.tr("Checking\u2026"), "busy")
        self.controller.unlock(self.password.text())

    @Slot()
    def _on_switch_user(self) -> None:
        self.controller.switch_user()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.password.setReadOnly(busy)  # read-only, not disabled: the focus stays in the field
        self.unlock_button.setEnabled(not busy)

    def _close_popups(self) -> None:
        popup = QApplication.activePopupWidget()
        while popup is not None and (self.target.isAncestorOf(popup) or self._covered(popup.parentWidget())):
            popup.close()
            popup = QApplication.activePopupWidget()

    def shutdown(self) -> None:
        """Stop filtering events (the application's and the watched widgets'): an event filter left on
        the application would outlive this overlay's Python side."""
        self._set_filtering(False)
        for w in self._watched:
            if shiboken6.isValid(w):
                w.removeEventFilter(self)
        self._watched = []

    # -- taking the input --------------------------------------------------------------------------------------
    def _set_filtering(self, on: bool) -> None:
        app = QApplication.instance()
        if app is None or on == self._filtering:
            return
        self._filtering = on
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)

    def _covered(self, obj: QObject | None) -> bool:
        """True for `target` and the widgets inside it, except this overlay and its children."""
        if not isinstance(obj, QWidget):
            return False
        if obj is self or self.isAncestorOf(obj):
            return False
        return obj is self.target or self.target.isAncestorOf(obj)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched in self._watched:
            if kind in _GEOMETRY:
                self._sync()
            elif kind == QEvent.Type.ChildAdded and self.isVisible():
                QTimer.singleShot(0, self, self.raise_)  # stay above widgets added later
        if not self._filtering or not self.isVisible():
            return False
        if kind == QEvent.Type.FocusIn and self._covered(watched):
            QTimer.singleShot(0, self, self._take_focus)
            return False
        return kind in _BLOCKED and self._covered(watched)

    @Slot()
    def _take_focus(self) -> None:
        if self.isVisible():
            self.password.setFocus()

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab cycles within the card: the focus never wanders under the veil."""
        chain: list[QWidget] = [w for w in (self.password, self.switch_button, self.unlock_button) if w.isEnabled()]
        if not chain:
            return True
        current = QApplication.focusWidget()
        i = chain.index(current) if current in chain else -1
        chain[(i + (1 if next else -1)) % len(chain)].setFocus()
        return True

    def event(self, event: QEvent) -> bool:
        if event.type() in _EATEN_HERE:  # clicks on the veil stop here, never reach the parent
            event.accept()
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        veil = theme_colour("window")
        veil.setAlpha(VEIL.alpha())
        painter.fillRect(self.rect(), veil)
        painter.end()
