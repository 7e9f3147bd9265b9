"""Window state per workstation (QSettings): geometry, open screen, splitters and theme are saved at
close and restored at start; kiosk mode is full screen without a frame; high-DPI policy in run_gui."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from hmi.core.plant import Plant
from hmi.ui import run as run_module
from hmi.ui.bridge import LiveBridge
from hmi.ui.main_window import MainWindow, Screen
from hmi.ui.run import HIGH_DPI_ROUNDING, run_gui
from hmi.ui.theme import apply_theme, current_theme
from hmi.ui.window_state import (
    APPLICATION,
    ORGANISATION,
    SCREEN,
    THEME,
    WindowState,
    saved_theme,
    workstation_settings,
)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def light_after(qapp: QApplication, themed_app: object):
    yield
    apply_theme(qapp, "light")


def make_window(qtbot, plant: Plant, settings: QSettings) -> MainWindow:
    w = MainWindow(plant, LiveBridge(interval_ms=50), plant_name="Demo plant")
    w.window_state = WindowState(w, settings)
    qtbot.addWidget(w)
    return w


def test_the_workstation_settings_are_millwatchs() -> None:
    s = workstation_settings()
    assert (s.organizationName(), s.applicationName()) == (ORGANISATION, APPLICATION) == ("Millwatch", "Millwatch HMI")


def test_layout_screen_splitters_and_theme_survive_a_restart(qtbot, plant: Plant, settings: QSettings,
                                                             light_after) -> None:
    first = make_window(qtbot, plant, settings)
    first.resize(1024, 740)
    first.show()
    qtbot.waitExposed(first)
    first.show_screen(Screen.SENSORS)
    main_splitter = first.stack.widget(Screen.SENSORS)
    main_splitter.setSizes([330, 700])
    first.show_screen(Screen.JOURNAL)
    qtbot.wait(20)
    sizes = main_splitter.sizes()
    assert sizes[0] > 250  # wider than the default 236
    first.set_theme("dark")
    assert settings.value(THEME) == "dark"  # remembered at once, not only at close
    first.close()
    first.bridge.stop()
    assert settings.value(SCREEN) == "Journal"

    apply_theme(QApplication.instance(), saved_theme(settings))
    assert current_theme() == "dark"
    second = make_window(qtbot, plant, settings)
    second.window_state.restore()
    second.show()
    qtbot.waitExposed(second)
    assert second.stack.currentIndex() == Screen.JOURNAL
    assert (second.width(), second.height()) == (1024, 740)
    assert not second.is_built(Screen.SENSORS)  # a screen is built when first opened...
    second.show_screen(Screen.SENSORS)  # ...then shown and sized; then its splitter is restored
    restored = second.stack.widget(Screen.SENSORS)
    assert restored.objectName() == "mainSplitter"
    qtbot.waitUntil(lambda: restored.sizes() == sizes, timeout=2000)
    second.close()
    second.bridge.stop()


def test_the_start_screen_waits_for_navigation(qtbot, plant: Plant, settings: QSettings) -> None:
    settings.setValue(SCREEN, "Alarms")
    w = make_window(qtbot, plant, settings)
    w.nav.setEnabled(False)  # signed out: the sign-in page keeps the stack
    w.window_state.restore()
    assert w.stack.currentIndex() == Screen.OVERVIEW and w.start_screen == "Alarms"
    w.nav.setEnabled(True)
    assert w.show_screen_titled(w.start_screen) and w.stack.currentIndex() == Screen.ALARMS
    assert not w.show_screen_titled("No such screen")
    w.bridge.stop()


def test_kiosk_is_full_screen_without_a_frame_and_keeps_no_geometry(qtbot, plant: Plant, settings: QSettings) -> None:
    w = make_window(qtbot, plant, settings)
    w.set_kiosk(True)
    qtbot.waitUntil(w.isFullScreen, timeout=2000)
    assert w.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert w.header.isVisible()  # the header (and its Session menu) stays
    w.shortcuts.actions["full_screen"].trigger()  # F11 does not leave kiosk mode
    assert w.isFullScreen()
    w.close()
    assert settings.value("window/geometry") is None
    w.set_kiosk(False)
    assert not w.windowFlags() & Qt.WindowType.FramelessWindowHint and not w.isFullScreen()
    w.shortcuts.actions["full_screen"].trigger()
    qtbot.waitUntil(w.isFullScreen, timeout=2000)
    w.shortcuts.actions["full_screen"].trigger()
    qtbot.waitUntil(lambda: not w.isFullScreen(), timeout=2000)
    w.bridge.stop()


def test_run_gui_restores_and_saves_through_the_settings(themed_app, plant: Plant, settings: QSettings,
                                                         light_after) -> None:
    settings.setValue(THEME, "dark")
    settings.setValue(SCREEN, "Alarms")
    seen = {}

    def on_window(window: MainWindow) -> None:
        seen["window"] = window

    rc = run_gui(plant, LiveBridge, title="Millwatch HMI \u2014 test", exit_after=0.3, on_window=on_window,
                 settings=settings, kiosk=True)
    assert rc == 0
    assert seen["window"].is_kiosk()
    assert current_theme() == "dark"  # restored from this workstation's settings
    assert settings.value(THEME) == "dark" and settings.value(SCREEN) == "Alarms"


def test_high_dpi_rounding_policy_is_pass_through(monkeypatch: pytest.MonkeyPatch) -> None:
    """run_gui sets it before creating the QApplication (here one exists, so it must not touch it)."""
    assert HIGH_DPI_ROUNDING == Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    assert QGuiApplication.highDpiScaleFactorRoundingPolicy() == Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    calls = []
    monkeypatch.setattr(QGuiApplication, "setHighDpiScaleFactorRoundingPolicy", staticmethod(calls.append))
    run_module.configure_high_dpi()
    assert calls == []  # an application exists: too late, and Qt would warn
    monkeypatch.setattr(run_module.QCoreApplication, "instance", staticmethod(lambda: None))
    run_module.configure_high_dpi()
    assert calls == [Qt.HighDpiScaleFactorRoundingPolicy.PassThrough]
