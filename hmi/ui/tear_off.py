"""Screens torn off into their own windows, for a second or third monitor.

`TearOff.tear_off(index)` moves a screen widget out of the main window's stack into a new top-level
window (non-modal); a placeholder keeps its place (and every index) in the stack, so the tab still
works: it raises the torn-off window. Closing that window, or "Dock back", puts the screen back at
its index. The alarm banner and the e-stop column never move: they stay on the main window.

The lock and sign-out dock every screen back (the lock overlay covers only the main window's stack),
and so does closing the main window, before its layout is saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from hmi.ui.main_window import MainWindow

PRODUCT = "Millwatch"  # a name: the same in every language
# An explicit minimum size: the screen's layout then never changes the window's size hints after
# show (which warns "does not support propagateSizeHints" on some platforms).
MIN_SIZE = (640, 480)


def bring_to_front(window: QWidget) -> None:
    """Raise and activate a top-level window (where the platform can: not offscreen/minimal)."""
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        window.raise_()
        window.activateWindow()


class TornOffWindow(QMainWindow):
    """One screen in a window of its own; closing it docks the screen back."""

    closing = Signal()

    def __init__(self, title: str, screen: QWidget, actions: list[QAction], parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Window)  # its own window, gone with the main window
        self.setObjectName("tornOffWindow")
        self.setMinimumSize(*MIN_SIZE)
        self.setWindowTitle(f"{title} \u2014 {PRODUCT}")
        self.setCentralWidget(screen)
        self.addActions(actions)  # the same keyboard shortcuts as the main window
        screen.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)


class Placeholder(QWidget):
    """What the stack shows where a torn-off screen was."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tornOffPlaceholder")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.text = QLabel(self.tr("{screen} is open in its own window.").format(screen=title), self)
        self.text.setObjectName("tornOffText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.show_button = QPushButton(self.tr("Show window"), self)
        self.show_button.setObjectName("dockBackButton")
        self.dock_button = QPushButton(self.tr("Dock back here"), self)
        self.dock_button.setObjectName("dockBackButton")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.text)
        layout.addSpacing(12)
        for b in (self.show_button, self.dock_button):
            layout.addWidget(b, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class TearOff(QObject):
    """The torn-off screens of one main window, by stack index."""

    tornOff = Signal(int)
    docked = Signal(int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.windows: dict[int, TornOffWindow] = {}
        self._placeholders: dict[int, Placeholder] = {}

    def is_torn(self, index: int) -> bool:
        return index in self.windows

    def tear_off(self, index: int) -> TornOffWindow | None:
        """Move screen `index` into its own window (raised if it already is); None if not a screen."""
        w = self.window
        if index in self.windows:
            self.raise_window(index)
            return self.windows[index]
        if not 0 <= index < len(w.nav.titles) or w.stack.widget(index) is None:
            return None
        w.ensure_screen(index)  # a screen not opened yet is built first: its window shows the real one
        title = w.nav.titles[index]
        stack = w.stack
        was_current = stack.currentIndex() == index
        screen = stack.widget(index)
        size = stack.size()
        placeholder = Placeholder(title, stack)
        placeholder.show_button.clicked.connect(lambda: self.raise_window(index))
        placeholder.dock_button.clicked.connect(lambda: self.dock(index))
        stack.insertWidget(index, placeholder)  # first, so no index after it moves
        stack.removeWidget(screen)
        if was_current:
            stack.setCurrentIndex(index)
        win = TornOffWindow(title, screen, w.actions(), w)
        win.closing.connect(lambda: self.dock(index))
        win.resize(size)
        origin = w.mapToGlobal(w.rect().topLeft())
        win.move(origin.x() + 48, origin.y() + 48)
        self.windows[index] = win
        self._placeholders[index] = placeholder
        win.show()
        self.tornOff.emit(index)
        return win

    @Slot(int)
    def raise_window(self, index: int) -> None:
        win = self.windows.get(index)
        if win is not None:
            win.show()
            bring_to_front(win)

    def dock(self, index: int) -> bool:
        """Put screen `index` back into the stack at its place; False when it was not torn off."""
        win = self.windows.pop(index, None)
        placeholder = self._placeholders.pop(index, None)
        if win is None or placeholder is None:
            return False
        stack = self.window.stack
        was_current = stack.currentWidget() is placeholder
        screen = win.takeCentralWidget()
        stack.insertWidget(index, screen)
        stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if was_current:
            stack.setCurrentIndex(index)
        win.closing.disconnect()
        win.hide()
        win.deleteLater()
        self.docked.emit(index)
        return True

    @Slot()
    def dock_all(self) -> None:
        for index in sorted(self.windows):
            self.dock(index)
