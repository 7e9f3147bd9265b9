"""The operator window with alarms: the banner on every screen, alarms from a plain thread through
the bridge, actions run off the GUI thread with refusals shown in the non-modal message strip, the
way from an alarm to its sensor, and run_gui passing the alarm collaborators through."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from hmi.core.alarms import AlarmKind
from hmi.core.plant import Plant
from hmi.ui.alarm_model import AlarmColumn
from hmi.ui.bridge import LiveBridge
from hmi.ui.main_window import MainWindow, Screen
from hmi.ui.run import run_gui
from tests.ui.alarm_fakes import FakeActions, FakeNotifier, FakePlayer
from tests.ui.alarm_samples import journal_rows, make_alarm, mixed_alarms
from tests.ui.demo_feed import DemoFeeder


class Rig:
    def __init__(self, plant: Plant, now: float, *, may_shelve: bool = True) -> None:
        self.alarms = mixed_alarms(plant, now)
        self.actions = FakeActions(self.alarms, now, may_shelve=may_shelve)
        self.player = FakePlayer()
        self.notifier = FakeNotifier()
        self.user = "marc"
        self.journal_threads: list[threading.Thread] = []
        self.rows = journal_rows(plant, now)

    def load_journal(self, t0, t1, mill):
        self.journal_threads.append(threading.current_thread())
        return self.rows


def make_window(qtbot, palette, plant: Plant, rig: Rig) -> MainWindow:
    bridge = LiveBridge(interval_ms=50)
    w = MainWindow(
        plant,
        bridge,
        plant_name="Demo plant",
        palette=palette,
        alarm_actions=rig.actions,
        current_user=lambda: rig.user,
        load_journal=rig.load_journal,
        player=rig.player,
        notifier=rig.notifier,
    )
    w.setWindowTitle("Millwatch HMI \u2014 demo plant")
    w.resize(1280, 800)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def rig(plant: Plant) -> Rig:
    return Rig(plant, time.time())


@pytest.fixture
def window(qtbot, themed_app, plant: Plant, rig: Rig):
    w = make_window(qtbot, themed_app, plant, rig)
    yield w
    w.bridge.stop()
    w.close()


def feed_alarms_from_a_thread(qtbot, w: MainWindow, alarms) -> None:
    t = threading.Thread(target=w.bridge.submit_alarms, args=(alarms,), name="alarm-feed")
    t.start()
    t.join()
    qtbot.waitUntil(lambda: len(w.alarms) == len({a.key for a in alarms if not a.finished}), timeout=3000)


def test_the_banner_is_on_every_screen(qtbot, window: MainWindow) -> None:
    for screen in Screen:
        window.show_screen(screen)
        assert window.stack.currentIndex() == screen and window.nav.current() == screen
        assert window.banner.isVisible()
        banner_bottom = window.banner.mapTo(window, window.banner.rect().bottomLeft()).y()
        assert banner_bottom < window.stack.mapTo(window, window.stack.rect().topLeft()).y()
        assert banner_bottom < window.nav.mapTo(window, window.nav.rect().topLeft()).y()  # above the navigation
    window.nav.button(Screen.ALARMS).click()
    assert window.stack.currentWidget() is window.alarm_summary


def test_alarms_from_a_thread_reach_banner_summary_and_horn(qtbot, window: MainWindow, rig: Rig) -> None:
    feed_alarms_from_a_thread(qtbot, window, rig.alarms)
    assert window.banner.chips[next(iter(window.banner.chips))].count.text() == "1"
    assert window.alarm_summary.proxy.rowCount() == 18
    assert window.nav.button(Screen.ALARMS).text() == "Alarms  \u00b7  18"
    assert window.nav.note.text() == "1 shelved \u00b7 1 suppressed"
    assert rig.player.plays >= 1 and window.annunciator.sounding
    assert window.banner.blinking


def test_acknowledge_runs_off_the_gui_thread_and_shows_at_once(qtbot, window: MainWindow, rig: Rig) -> None:
    feed_alarms_from_a_thread(qtbot, window, rig.alarms)
    top = window.banner.top_key()
    assert top is not None and top.kind is AlarmKind.ESTOP
    qtbot.mouseClick(window.banner.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.alarms.get(top).unacked, timeout=3000)  # the action's own result
    assert rig.actions.calls[0] == ("acknowledge", "marc", (top,))
    assert rig.actions.threads == {"alarm-actions"}
    assert window.banner.top_key() != top
    qtbot.waitUntil(lambda: window.messages.isVisible(), timeout=2000)
    assert window.messages.text.text() == "Acknowledged 1 alarm."

    qtbot.mouseClick(window.banner.ack_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.banner.visible_keys(), timeout=3000)
    assert rig.actions.calls[1][0] == "acknowledge_all"
    assert not window.annunciator.sounding  # nothing unacknowledged left: the horn stops by itself


def test_silence_is_not_acknowledge(qtbot, window: MainWindow, rig: Rig) -> None:
    feed_alarms_from_a_thread(qtbot, window, rig.alarms)
    qtbot.mouseClick(window.banner.silence_button, Qt.MouseButton.LeftButton)
    assert not window.annunciator.sounding and rig.player.stops >= 1
    qtbot.wait(100)
    assert rig.actions.calls == []
    assert window.alarms.counts(unacked_only=True) == window.alarms.counts(unacked_only=True)
    assert window.banner.blinking


def test_a_refusal_is_shown_in_the_message_strip(qtbot, themed_app, plant: Plant) -> None:
    rig = Rig(plant, time.time(), may_shelve=False)
    rig.user = "ana"
    w = make_window(qtbot, themed_app, plant, rig)
    try:
        feed_alarms_from_a_thread(qtbot, w, rig.alarms)
        w.show_screen(Screen.ALARMS)
        target = next(a for a in w.alarm_summary.proxy.alarms() if a.kind is AlarmKind.LOW and a.mill == "north")
        w.alarm_summary.select_keys([target.key])
        dialog = w.alarm_summary.open_shelve_dialog()
        assert dialog is not None and dialog.windowModality() != Qt.WindowModality.ApplicationModal
        assert QApplication.activeModalWidget() is None  # nothing blocks the window
        dialog.reason.setText("transmitter replaced")
        dialog.accept()
        qtbot.waitUntil(lambda: w.messages.isVisible(), timeout=3000)
        assert w.messages.text.text() == "ana may not shelve alarms"
        assert w.messages.property("level") == "error"
        assert rig.actions.calls == [("shelve", "ana", (target.key,))]
        assert not w.alarms.get(target.key).shelved
        qtbot.mouseClick(w.messages.close_button, Qt.MouseButton.LeftButton)
        assert not w.messages.isVisible()
    finally:
        w.bridge.stop()
        w.close()


def test_nobody_logged_in(qtbot, window: MainWindow, rig: Rig) -> None:
    feed_alarms_from_a_thread(qtbot, window, rig.alarms)
    rig.user = ""
    window.banner.ack_button.click()
    assert window.messages.isVisible() and "log in" in window.messages.text.text()
    assert rig.actions.calls == []


def test_double_click_on_an_alarm_opens_its_sensor(qtbot, window: MainWindow, rig: Rig, plant: Plant) -> None:
    feed_alarms_from_a_thread(qtbot, window, rig.alarms)
    window.show_screen(Screen.ALARMS)
    summary = window.alarm_summary
    eui = plant.sensors()[25].eui  # South Mill's B1 roller bearing
    row = next(r for r, a in enumerate(summary.proxy.alarms()) if a.key.source == eui)
    rect = summary.table.visualRect(summary.proxy.index(row, AlarmColumn.SOURCE))
    qtbot.mouseClick(summary.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(summary.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.stack.currentIndex() == Screen.SENSORS
    assert window.table.proxy.mill == "south"
    selected = window.table.selectionModel().selectedRows()
    assert len(selected) == 1
    assert window.table.proxy.mapToSource(selected[0]).row() == window.table_model.row_of(eui)


def test_journal_loads_when_first_shown(qtbot, window: MainWindow, rig: Rig) -> None:
    window.show_screen(Screen.JOURNAL)
    qtbot.waitUntil(lambda: window.journal.model.rowCount() == len(rig.rows), timeout=3000)
    assert rig.journal_threads and threading.main_thread() not in rig.journal_threads


def test_screenshot(qtbot, window: MainWindow, rig: Rig, plant: Plant, artifacts_dir: Path) -> None:
    feeder = DemoFeeder(plant, window.bridge).start()
    try:
        qtbot.waitUntil(lambda: window.bridge.stats().value_emits >= 3, timeout=3000)
    finally:
        feeder.stop()
    feed_alarms_from_a_thread(qtbot, window, rig.alarms)
    window._on_tick()
    window.toast.hide()  # offscreen the window is never active: the toast would cover the table
    qtbot.wait(50)
    path = artifacts_dir / "main_window_alarms.png"
    assert window.grab().save(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 800)
    print(f"SCREENSHOT: {path}")
    window.show_screen(Screen.ALARMS)
    qtbot.wait(50)
    assert window.grab().save(str(artifacts_dir / "main_window_alarm_summary.png"))


def test_run_gui_passes_the_alarm_collaborators(themed_app, plant: Plant) -> None:
    player = FakePlayer()
    now = time.time()
    actions = FakeActions([], now)

    def on_started(bridge: LiveBridge):
        bridge.submit_alarms([make_alarm("north", plant.sensors()[10].eui, AlarmKind.HIGH_HIGH, now, value=80.0)])
        return None

    rc = run_gui(
        plant,
        title="Millwatch HMI",
        exit_after=0.4,
        on_started=on_started,
        alarm_actions=actions,
        current_user=lambda: "marc",
        load_journal=lambda t0, t1, mill: [],
        player=player,
        notifier=FakeNotifier(),
    )
    assert rc == 0
    assert player.plays >= 1  # the alarm reached the window's annunciator, through the player given
