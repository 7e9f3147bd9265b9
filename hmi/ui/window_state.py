"""What a workstation remembers of its window between runs (QSettings "Millwatch" / "Millwatch HMI").

Window geometry and state, the open screen (by title: indices change with the screens a role
sees), every named splitter's positions (`findChildren(QSplitter)` by object name: the sensor
screen's `mainSplitter`, the trend screen's splitters) and the theme. `restore()` at start, after
the screens exist; `save()` at close, after torn-off screens were docked back. In kiosk mode the
geometry is neither restored nor saved (the wall screen's full screen is not a layout to keep).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QSplitter

from hmi.ui.theme import DEFAULT_THEME, THEMES

if TYPE_CHECKING:
    from hmi.ui.main_window import MainWindow

ORGANISATION = "Millwatch"
APPLICATION = "Millwatch HMI"
GEOMETRY = "window/geometry"
STATE = "window/state"
SCREEN = "window/screen"
SPLITTERS = "splitters"
THEME = "ui/theme"


def workstation_settings() -> QSettings:
    """This workstation's settings (per user, in the platform's usual place)."""
    return QSettings(ORGANISATION, APPLICATION)


def saved_theme(settings: QSettings) -> str:
    """The theme this workstation last used (the default when none or an unknown one was saved)."""
    value = settings.value(THEME, DEFAULT_THEME)
    return value if isinstance(value, str) and value in THEMES else DEFAULT_THEME


def save_theme(settings: QSettings, theme: str) -> None:
    settings.setValue(THEME, theme)
    settings.sync()


def _bytes(value: object) -> QByteArray | None:
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, bytes | bytearray) and value:
        return QByteArray(bytes(value))
    return None


def named_splitters(window: MainWindow) -> dict[str, QSplitter]:
    """The window's splitters that have an object name (the first of each name)."""
    found: dict[str, QSplitter] = {}
    for splitter in window.findChildren(QSplitter):
        name = splitter.objectName()
        if name and name not in found:
            found[name] = splitter
    return found


class WindowState(QObject):
    """Restores and saves one main window's layout in `settings`."""

    def __init__(self, window: MainWindow, settings: QSettings | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings if settings is not None else workstation_settings()
        self._pending: dict[QSplitter, QByteArray] = {}

    def restore(self) -> None:
        w, s = self.window, self.settings
        if not w.is_kiosk():
            geometry = _bytes(s.value(GEOMETRY))
            if geometry is not None:
                w.restoreGeometry(geometry)
            state = _bytes(s.value(STATE))
            if state is not None:
                w.restoreState(state)
        self._pending.clear()
        for name, splitter in named_splitters(w).items():
            state = _bytes(s.value(f"{SPLITTERS}/{name}"))
            if state is None:
                continue
            if splitter.isVisible():
                splitter.restoreState(state)
            else:  # a splitter keeps what it is given only once it has its size: when first shown
                self._pending[splitter] = state
                splitter.installEventFilter(self)
        screen = s.value(SCREEN)
        if isinstance(screen, str) and screen:
            w.set_start_screen(screen)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and watched in self._pending:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, lambda sp=watched: self._restore_pending(sp))  # after its layout
        return super().eventFilter(watched, event)

    def _restore_pending(self, splitter: QObject) -> None:
        state = self._pending.pop(splitter, None)  # type: ignore[call-overload]
        if state is not None and isinstance(splitter, QSplitter):
            splitter.restoreState(state)

    def save(self) -> None:
        w, s = self.window, self.settings
        if not w.is_kiosk():
            s.setValue(GEOMETRY, w.saveGeometry())
            s.setValue(STATE, w.saveState())
        for name, splitter in named_splitters(w).items():  # one never shown keeps what it had
            s.setValue(f"{SPLITTERS}/{name}", self._pending.get(splitter) or splitter.saveState())
        current = w.nav.current()
        if w.nav.isEnabled() and 0 <= current < len(w.nav.titles):
            s.setValue(SCREEN, w.nav.titles[current])
        s.setValue(THEME, w.theme())
        s.sync()

    def save_theme(self, theme: str) -> None:
        save_theme(self.settings, theme)
