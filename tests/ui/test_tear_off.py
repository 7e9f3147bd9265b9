"""Tear-off screens: a screen moves into its own non-modal window (banner stays on the main window),
its tab raises it, and closing that window docks the screen back at its index."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMenu

from hmi.core.plant import Plant
from hmi.ui.bridge import LiveBridge
from hmi.ui.main_window import MainWindow, Screen
from hmi.ui.tear_off import Placeholder, TornOffWindow


@pytest.fixture
def window(qtbot, themed_app, plant: Plant):
    w = MainWindow(plant, LiveBridge(interval_ms=50), plant_name="Demo plant", palette=themed_app)
    w.resize(1280, 800)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    w.bridge.stop()


def test_tear_off_and_dock_back_at_the_same_index(qtbot, window: MainWindow) -> None:
    count = window.stack.count()
    window.show_screen(Screen.ALARMS)
    torn = window.tear_off.tear_off(Screen.ALARMS)
    assert isinstance(torn, TornOffWindow) and torn.isWindow() and torn.isVisible()
    assert torn.centralWidget() is window.alarm_summary and window.alarm_summary.window() is torn
    assert QApplication.activeModalWidget() is None
    assert window.stack.count() == count  # a placeholder keeps every index
    assert isinstance(window.stack.widget(Screen.ALARMS), Placeholder)
    assert window.stack.currentIndex() == Screen.ALARMS
    assert window.banner.window() is window  # the banner never moves
    journal = window.journal  # (built when first asked for)
    assert window.stack.widget(Screen.JOURNAL) is journal
    # the window's shortcuts work there too
    assert set(window.shortcuts.all()) <= set(torn.actions())

    window.show_screen(Screen.OVERVIEW)
    window.nav.button(Screen.ALARMS).click()  # its tab shows the placeholder and raises the window
    assert window.stack.currentIndex() == Screen.ALARMS and torn.isVisible()

    torn.close()  # closing docks it back
    assert window.stack.widget(Screen.ALARMS) is window.alarm_summary
    assert window.alarm_summary.window() is window and window.alarm_summary.isVisible()
    assert window.stack.count() == count and not window.tear_off.is_torn(Screen.ALARMS)


def test_the_tab_menu_offers_tear_off_and_dock_back(qtbot, window: MainWindow) -> None:
    menu = window.tab_menu(Screen.OVERVIEW)
    assert isinstance(menu, QMenu)
    [action] = menu.actions()
    assert action.text().startswith("Tear off")
    action.trigger()
    menu.close()
    assert window.tear_off.is_torn(Screen.OVERVIEW)
    menu = window.tab_menu(Screen.OVERVIEW)
    [action] = menu.actions()
    assert action.text().startswith("Dock back")
    action.trigger()
    menu.close()
    assert window.stack.widget(Screen.OVERVIEW) is window.overview


def test_only_screens_tear_off_and_close_docks_everything(qtbot, window: MainWindow) -> None:
    assert window.tear_off.tear_off(len(window.nav.titles)) is None  # not a screen (e.g. sign-in page)
    window.tear_off.tear_off(Screen.SENSORS)
    window.tear_off.tear_off(Screen.JOURNAL)
    window.close()
    assert not window.tear_off.windows
    assert window.stack.widget(Screen.SENSORS).objectName() == "mainSplitter"
    assert window.stack.widget(Screen.JOURNAL) is window.journal
