"""Non-modal notices: the message strip (why an action was refused or failed), the in-window toast
and the desktop notification of new alarms. Nothing here blocks: no dialog, no exec()."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, QTimer, Slot
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSystemTrayIcon,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hmi.core.domain import Severity
from hmi.ui.i18n import translate
from hmi.ui.theme import set_properties

INFO_MS = 6000  # an info message goes by itself; an error stays until dismissed or replaced
TOAST_MS = 10000
STRIP_HEIGHT = 40
TOAST_SIZE = (460, 96)
TOAST_MARGIN = 18


def _close_button(parent: QWidget, name: str) -> QToolButton:
    button = QToolButton(parent)
    button.setObjectName(name)
    button.setText("\u2715")
    button.setToolTip(translate("Notices", "Dismiss"))
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setFixedSize(32, 32)
    return button


class MessageStrip(QFrame):
    """One line under the alarm banner: the outcome of the operator's last action."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageStrip")
        self.setProperty("level", "info")
        self.setFixedHeight(STRIP_HEIGHT)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 0, 8, 0)
        layout.setSpacing(10)
        self.icon = QLabel(self)
        self.icon.setObjectName("messageIcon")
        self.text = QLabel(self)
        self.text.setObjectName("messageText")
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.close_button = _close_button(self, "messageClose")
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.hide()

    @Slot(str, str)
    def show_message(self, level: str, text: str) -> None:
        level = "error" if level == "error" else "info"
        set_properties(self, deep=True, level=level)
        self.icon.setText("\u26a0" if level == "error" else "\u2713")
        self.text.setText(text)
        self.text.setToolTip(text)
        self.show()
        if level == "info":
            self._timer.start(INFO_MS)
        else:
            self._timer.stop()

    @Slot()
    def dismiss(self) -> None:
        self._timer.stop()
        self.hide()


class Toast(QFrame):
    """A notice in the window's bottom-right corner that goes by itself; placed over the content,
    outside any layout, so showing it never moves anything."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("toast")
        self.anchor: QWidget | None = None  # placed in this widget's corner when set
        self.setProperty("priority", "info")
        self.setFixedSize(*TOAST_SIZE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(12)
        self.stripe = QFrame(self)
        self.stripe.setObjectName("toastStripe")
        self.stripe.setFixedWidth(10)
        texts = QVBoxLayout()
        texts.setContentsMargins(0, 10, 0, 10)
        texts.setSpacing(2)
        self.title = QLabel(self)
        self.title.setObjectName("toastTitle")
        self.body = QLabel(self)
        self.body.setObjectName("toastBody")
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        texts.addWidget(self.title)
        texts.addWidget(self.body, 1)
        self.close_button = _close_button(self, "toastClose")
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.stripe)
        layout.addLayout(texts, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def notify(self, title: str, text: str, priority: Severity) -> None:
        set_properties(self, deep=True, priority=priority.value)
        self.title.setText(title)
        self.body.setText(text)
        self.place()
        self.show()
        self.raise_()
        self._timer.start(TOAST_MS)

    def place(self) -> None:
        """Bottom right of `anchor` (when set: the screens, so the stop column is never covered), else
        of the parent."""
        parent = self.parentWidget()
        if parent is None:
            return
        anchor = self.anchor
        if anchor is not None and anchor.isVisible():
            r = QRect(anchor.mapTo(parent, QPoint(0, 0)), anchor.size())
        else:
            r = parent.rect()
        self.move(QPoint(r.right() - self.width() - TOAST_MARGIN, r.bottom() - self.height() - TOAST_MARGIN))


def tray_icon_pixmap(size: int = 64) -> QPixmap:
    """The tray icon: a grey rounded square with a white "M"."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#353a40"))
    p.drawRoundedRect(QRect(2, 2, size - 4, size - 4), size // 6, size // 6)
    font = QFont()
    font.setPixelSize(int(size * 0.62))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#ffffff"))
    p.drawText(pm.rect(), int(Qt.AlignmentFlag.AlignCenter), "M")
    p.end()
    return pm


class TrayNotifier:
    """Desktop notifications through the system tray (when the desktop has one)."""

    def __init__(self, parent: QWidget) -> None:
        self.tray = QSystemTrayIcon(QIcon(tray_icon_pixmap()), parent)
        self.tray.setToolTip("Millwatch")
        self.tray.show()

    def notify(self, title: str, text: str, priority: Severity) -> None:
        icon = (
            QSystemTrayIcon.MessageIcon.Critical
            if priority in (Severity.EMERGENCY, Severity.CRITICAL)
            else QSystemTrayIcon.MessageIcon.Warning
        )
        self.tray.showMessage(title, text, icon, TOAST_MS)

    def close(self) -> None:
        self.tray.hide()


def make_notifier(parent: QWidget, toast: Toast) -> TrayNotifier | Toast:
    """The tray when the desktop has one that shows messages, else the in-window toast."""
    if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
        return TrayNotifier(parent)
    return toast
