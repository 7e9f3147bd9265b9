"""Start the GUI: the entry the composition root (hmi/app.py) calls with a plant and its drivers.

High DPI: Qt 6 scales by the screen's device pixel ratio on its own; `configure_high_dpi()` makes
the rounding policy explicit (PassThrough: 125 % and 150 % screens get 1.25 and 1.5, not a rounded
1 or 2). It must run before the QApplication exists, so every place that creates one goes through
`make_application()`.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

# PySide6 before anything that may import pyqtgraph, so pyqtgraph binds to it.
from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from hmi.core.plant import Plant
from hmi.ui.bridge import LiveBridge
from hmi.ui.i18n import install_language, saved_language
from hmi.ui.main_window import MainWindow
from hmi.ui.resources import resource_path
from hmi.ui.theme import DEFAULT_THEME, apply_theme
from hmi.ui.window_state import WindowState, saved_theme, workstation_settings

if TYPE_CHECKING:
    from hmi.ui.alarm_commands import AlarmActionsLike
    from hmi.ui.alarm_journal import LoadJournal
    from hmi.ui.annunciator import Notifier, Player

WINDOW_SIZE = (1280, 800)
DEFAULT_SCREENSHOT_DELAY_S = 3.0

# on_started may return a function to call when the GUI stops (stop drivers before the window goes).
OnStarted = Callable[[LiveBridge], Callable[[], None] | None]


HIGH_DPI_ROUNDING = Qt.HighDpiScaleFactorRoundingPolicy.PassThrough


def configure_high_dpi() -> None:
    """The high-DPI rounding policy, before the QApplication exists (afterwards Qt ignores it and
    warns, so this does nothing then)."""
    if QCoreApplication.instance() is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(HIGH_DPI_ROUNDING)


def make_application() -> QApplication:
    """The QApplication (the existing one, or a new one with the high-DPI policy set first)."""
    app = QApplication.instance()
    if app is None:
        configure_high_dpi()
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    return app


def plant_name_from_title(title: str) -> str:
    """ "Millwatch HMI — demo plant" -> "Demo plant"; a title without a dash gives ""."""
    for sep in (" \u2014 ", " - ", " \u2013 "):
        if sep in title:
            name = title.split(sep, 1)[1].strip()
            return name[:1].upper() + name[1:]
    return ""


class _Finisher(QObject):
    """Saves the screenshot (if asked) and quits, on the GUI thread."""

    def __init__(self, app: QCoreApplication, window: MainWindow, screenshot: Path | None) -> None:
        super().__init__(app)
        self.app = app
        self.window = window
        self.screenshot = screenshot

    @Slot()
    def finish(self) -> None:
        if self.screenshot is None:
            self.app.exit(0)
            return
        self.screenshot.parent.mkdir(parents=True, exist_ok=True)
        if self.window.grab().save(str(self.screenshot)):
            self.app.exit(0)
        else:
            print(f"millwatch: could not save screenshot to {self.screenshot}", file=sys.stderr)
            self.app.exit(1)


def run_gui(
    plant: Plant,
    bridge_factory: Callable[[], LiveBridge] = LiveBridge,
    *,
    title: str,
    screenshot: Path | None = None,
    exit_after: float | None = None,
    on_started: OnStarted | None = None,
    plant_name: str | None = None,
    alarm_actions: AlarmActionsLike | None = None,
    current_user: Callable[[], str] | None = None,
    load_journal: LoadJournal | None = None,
    player: Player | None = None,
    notifier: Notifier | None = None,
    on_window: Callable[[MainWindow], object] | None = None,
    kiosk: bool = False,
    settings: QSettings | None = None,
    language: str | None = None,
) -> int:
    """Show the operator window for `plant` and run the event loop; return the exit code.

    `bridge_factory()` is called once the QApplication exists (pass `LiveBridge` or a partial with
    another `interval_ms`). `on_started(bridge)`, called once the event loop runs (the window is
    already on screen, so the sign-in page never waits for drivers), starts whatever feeds
    `bridge.submit` from its own threads; if it returns a callable, that is called after the event loop ends, before the
    window is destroyed. With `screenshot`, the window is saved there after `exit_after` seconds
    (3 s if None) and the app quits with 0 (1 if the file could not be written); with only
    `exit_after`, the app quits after that long.

    The window's layout, open screen, splitters and theme come from `settings` (default: this
    workstation's QSettings) and are saved there at close, except for a screenshot run (its window
    is the documented 1280 x 800 in the default theme, and it changes no workstation's layout);
    `kiosk` opens it full screen without a frame (control-room wall screens). The language is the
    workstation's (Session > Language) unless `language` names one for this run; it is installed
    before the first widget is built, since widgets fetch their texts when they are made.
    """
    app = make_application()
    app.setApplicationName("Millwatch")
    app.setDesktopFileName("millwatch")
    app.setWindowIcon(QIcon(str(resource_path("icons", "millwatch.svg"))))
    remember = screenshot is None
    settings = settings if settings is not None else (workstation_settings() if remember else None)
    install_language(language if language is not None else saved_language(settings))
    palette = apply_theme(app, saved_theme(settings) if settings is not None else DEFAULT_THEME)

    bridge = bridge_factory()
    window = MainWindow(
        plant,
        bridge,
        plant_name=plant_name or plant_name_from_title(title),
        palette=palette,
        alarm_actions=alarm_actions,
        current_user=current_user,
        load_journal=load_journal,
        player=player,
        notifier=notifier,
    )
    if on_window is not None:
        window._installed = on_window(window)  # type: ignore[attr-defined]  # kept alive with the window
    window.setWindowTitle(title)
    window.resize(*WINDOW_SIZE)
    if kiosk:
        window.set_kiosk(True)  # before restoring: a kiosk keeps no window geometry
    if settings is not None:
        window.window_state = WindowState(window, settings)
        window.window_state.restore()

    finisher = _Finisher(app, window, Path(screenshot) if screenshot is not None else None)
    if screenshot is not None or exit_after is not None:
        delay = DEFAULT_SCREENSHOT_DELAY_S if exit_after is None else max(exit_after, 0.0)
        QTimer.singleShot(int(delay * 1000), finisher.finish)
    restore_sigint = _quit_on_sigint(app)

    started: dict[str, Callable[[], None] | None] = {}
    preload = threading.Thread(target=_preload, name="preload", daemon=True)

    def start() -> None:
        """The drivers and services start once the window (the sign-in page) is on screen."""
        if on_started is not None:
            started["stop"] = on_started(bridge)
        preload.start()

    if not kiosk:
        window.show()
    QTimer.singleShot(0, start)
    try:
        return app.exec()
    finally:
        stop = started.get("stop")
        if callable(stop):
            stop()
        bridge.stop()
        restore_sigint()
        if preload.is_alive():
            preload.join(10.0)  # an import cut short by the interpreter's exit could crash it
        window.close()
        window.deleteLater()
        finisher.deleteLater()


def _preload() -> None:
    """Off the GUI thread, once the window shows: numpy, which the window does not need before it
    shows but the sensor table's sparklines (their first closed bucket), the sensor screen and the
    trends do; none of them then waits for its import on the GUI thread."""
    import numpy  # noqa: F401


def _quit_on_sigint(app: QApplication) -> Callable[[], None]:
    """Ctrl+C in the terminal quits cleanly (Python only runs signal handlers between Qt events,
    so a timer wakes the interpreter). Returns the function that undoes it."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGINT, lambda *_: app.quit())
    wake = QTimer(app)
    wake.timeout.connect(_noop)
    wake.start(250)

    def restore() -> None:
        wake.stop()
        wake.deleteLater()
        signal.signal(signal.SIGINT, previous)

    return restore


def _noop() -> None:
    pass
