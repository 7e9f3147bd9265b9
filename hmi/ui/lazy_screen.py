"""Screens built when first needed, so the window (the sign-in page) shows without waiting for them.

A `LazyScreen` holds a screen's place, its index, in a QStackedWidget until it is first shown or its
`build()` is called (the window's `ensure_screen(index)`, or a property that hands out the screen).
Its `make()` then builds the screen, which takes the stand-in's index (and stays current if the
stand-in was), and `built(screen)` is emitted: the window state restores the screen's splitters then.
A `make()` that returns None has put its screen in place itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QStackedWidget, QWidget

Make = Callable[[], QWidget | None]


class LazyScreen(QWidget):
    built = Signal(QWidget)

    def __init__(self, make: Make, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make: Make | None = make

    @property
    def pending(self) -> bool:
        """True until the screen has been built."""
        return self._make is not None

    def build(self) -> None:
        """Build the screen now (once; later calls do nothing)."""
        make, self._make = self._make, None
        if make is None:
            return
        screen = make()
        if screen is None:
            return
        stack = self.parentWidget()
        index = stack.indexOf(self) if isinstance(stack, QStackedWidget) else -1
        if isinstance(stack, QStackedWidget) and index >= 0:
            current = stack.currentWidget() is self
            stack.insertWidget(index, screen)
            if current:
                stack.setCurrentWidget(screen)
            stack.removeWidget(self)
        self.deleteLater()
        self.built.emit(screen)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, self.build)  # not from inside the stack's own page switch
