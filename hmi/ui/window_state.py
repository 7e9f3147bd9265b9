"""What a workstation remembers of its window between runs (QSettings "Millwatch" / "Millwatch HMI").

Window geometry and state, the open screen (by its English name, "Alarms": indices change with the
screens a role sees, titles with the language; a title saved by an older version is English too),
every named splitter's positions (`findChildren(QSplitter)` by object name: the sensor
screen's `mainSplitter`, the trend screen's splitters) and the theme. `restore()` at start; a
screen built later (screens are built when first opened) gets its splitters back when it is built;
`save()` at close, after torn-off screens were docked back (a screen never built keeps what was
saved). In kiosk mode the geometry is neither restored nor saved (the wall screen's full screen is
not a layout to keep).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QTimer, Slot
from PySide6.QtWidgets import QSplitter, QWidget

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


def named_splitters(root: QWidget) -> dict[str, QSplitter]:
    """The splitters in `root` (the window, or a screen; `root` itself included) that have an object
    name (the first of each name)."""
    found: dict[str, QSplitter] = {}
    splitters = root.findChildren(QSplitter)
    for splitter in [root, *splitters] if isinstance(root, QSplitter) else splitters:
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
        self._follows_screens = False

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
        self._restore_splitters(w)
        if not self._follows_screens:  # screens built later (when first opened) get theirs then
            self._follows_screens = True
            w.screenBuilt.connect(self._restore_splitters)
        screen = s.value(SCREEN)
        if isinstance(screen, str) and screen:
            w.set_start_screen(screen)

    @Slot(QWidget)
    def _restore_splitters(self, root: QWidget) -> None:
        for name, splitter in named_splitters(root).items():
            state = _bytes(self.settings.value(f"{SPLITTERS}/{name}"))
            if state is None:
                continue
            if splitter.isVisible():
                splitter.restoreState(state)
            else:  # a splitter keeps what it is given only once it has its size: when first shown
                self._pending[splitter] = state
                splitter.installEventFilter(self)

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
            s.setValue(SCREEN, w.nav.key(current))
        s.setValue(THEME, w.theme())
        s.sync()

    def save_theme(self, theme: str) -> None:
        save_theme(self.settings, theme)
