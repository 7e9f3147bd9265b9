"""Keyboard: shortcuts for the frequent actions (and never one for the e-stop), shown in tooltips
and in the Session menu's list; a sane Tab order through the banner and the screen tabs."""

from __future__ import annotations

import time
from itertools import pairwise

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from hmi.core.plant import Plant
from hmi.ui.alarm_model import AlarmRole
from hmi.ui.bridge import LiveBridge
from hmi.ui.estop_panel import EstopPanel
from hmi.ui.main_window import MainWindow, Screen
from hmi.ui.shortcuts import FORBIDDEN_WORDS, SHORTCUTS
from tests.ui.alarm_fakes import FakeActions, FakeNotifier, FakePlayer
from tests.ui.alarm_samples import mixed_alarms


@pytest.fixture
def rig(qtbot, themed_app, plant: Plant):
    now = time.time()
    alarms = mixed_alarms(plant, now)
    actions = FakeActions(alarms, now)
    player = FakePlayer()
    w = MainWindow(plant, LiveBridge(interval_ms=50), plant_name="Demo plant", palette=themed_app,
                   alarm_actions=actions, current_user=lambda: "marc", player=player, notifier=FakeNotifier())
    stops: list[str] = []
    central = w.centralWidget()
    row = QWidget(central)
    QHBoxLayout(row).setContentsMargins(0, 0, 0, 0)
    central.layout().replaceWidget(w.stack, row)
    row.layout().addWidget(w.stack, 1)
    panel = EstopPanel([(m.slug, m.name) for m in plant.mills], trigger=stops.append, stop_retrying=lambda m: None,
                       hold_seconds=0.05, vertical=True, compact=True)
    row.layout().addWidget(panel)
    w.resize(1280, 800)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.alarm_model.apply(alarms)
    yield w, actions, stops, player
    w.close()
    w.bridge.stop()


def keys_of(w: MainWindow) -> dict[str, list[str]]:
    return {k: [s.toString() for s in a.shortcuts()] for k, a in w.shortcuts.actions.items()}


def test_every_frequent_action_has_its_key(rig) -> None:
    w = rig[0]
    keys = keys_of(w)
    assert keys["acknowledge"] == ["F4", "Ctrl+Shift+A"]
    assert keys["next_alarm"] == ["F8"] and keys["silence"] == ["F9"]
    assert keys["search"] == ["Ctrl+K"] and keys["full_screen"] == ["F11"]
    assert [keys[f"screen_{n}"] for n in range(1, 10)] == [[f"Ctrl+{n}"] for n in range(1, 10)]
    every = [k for ks in keys.values() for k in ks]
    assert len(every) == len(set(every))  # no key twice
    assert "(F4, Ctrl+Shift+A)" in w.banner.ack_button.toolTip() and "(F9)" in w.banner.silence_button.toolTip()
    assert w.nav.button(Screen.ALARMS).toolTip() == "Show Alarms (Ctrl+3)"


def test_no_shortcut_triggers_the_estop(qtbot, rig) -> None:
    w, _actions, stops, _player = rig
    for spec in SHORTCUTS:
        assert not any(word in f"{spec.id} {spec.text} {spec.handler}".lower() for word in FORBIDDEN_WORDS)
    panel_buttons = [c.button for c in w.findChildren(EstopPanel)[0].cells.values()]
    for button in panel_buttons:
        assert not button.actions()  # the stop controls carry no shortcut
    for action in w.actions():
        for seq in action.shortcuts():
            assert action.text() and "stop" not in action.text().lower()
            qtbot.keySequence(w, seq) if seq.count() else None
    QApplication.processEvents()
    qtbot.wait(100)
    w.quick_search.hide()
    assert stops == []


def test_acknowledge_silence_and_next_alarm_by_key(qtbot, rig) -> None:
    w, actions, _stops, player = rig
    top = w.banner.top_key()
    assert top is not None
    qtbot.keyClick(w, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: any(c[0] == "acknowledge" and c[2] == (top,) for c in actions.calls), timeout=3000)

    qtbot.waitUntil(lambda: w.banner._sounding or player.plays > 0, timeout=2000)
    qtbot.keyClick(w, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: not w.banner._sounding, timeout=2000)

    qtbot.keyClick(w, Qt.Key.Key_F8)
    summary = w.alarm_summary
    assert w.stack.currentIndex() == Screen.ALARMS
    first = summary.table.currentIndex().row()
    assert summary.proxy.data(summary.proxy.index(first, 0), AlarmRole).unacked
    qtbot.keyClick(summary.table, Qt.Key.Key_F8)
    second = summary.table.currentIndex().row()
    assert second != first and summary.proxy.data(summary.proxy.index(second, 0), AlarmRole).unacked
    assert [i.row() for i in summary.table.selectionModel().selectedRows()] == [second]


def test_screens_by_number_skip_hidden_tabs_and_need_navigation(qtbot, rig) -> None:
    w = rig[0]
    qtbot.keySequence(w, QKeySequence("Ctrl+4"))
    assert w.stack.currentIndex() == Screen.JOURNAL
    w.nav.button(Screen.ALARMS).hide()
    w.shortcuts.update_screen_tips()
    qtbot.keySequence(w, QKeySequence("Ctrl+3"))
    assert w.stack.currentIndex() == Screen.JOURNAL  # the third visible tab
    assert w.nav.button(Screen.JOURNAL).toolTip().endswith("(Ctrl+3)")
    assert not w.shortcuts.show_screen_number(9)
    w.nav.setEnabled(False)  # signed out: keys never leave the sign-in page
    assert not w.shortcuts.show_screen_number(1) and not w.shortcuts.select_next_alarm()


def test_tab_order_runs_banner_then_screen_tabs(rig) -> None:
    w = rig[0]
    b = w.banner
    chain = [b.ack_button, b.silence_button, b.ack_all_button, b.list_button, *w.nav.buttons()]
    for first, second in pairwise(chain):
        assert first.nextInFocusChain() is second or _next_focusable(first) is second, (first.text(), second.text())


def _next_focusable(widget: QWidget) -> QWidget:
    nxt = widget.nextInFocusChain()
    while nxt.focusPolicy() == Qt.FocusPolicy.NoFocus:
        nxt = nxt.nextInFocusChain()
    return nxt


def test_session_menu_lists_the_shortcuts_and_ctrl_l_locks(qtbot, sqlite_url, plant: Plant) -> None:
    from hmi.services.audit_service import AuditService
    from hmi.services.plant_io import read_plant_file
    from hmi.ui.session_shell import SessionShell
    from tests.ui.test_sign_in import DEMO, PW, build, sign_in_with

    services = build(sqlite_url)
    demo = read_plant_file(DEMO)
    window = MainWindow(demo, LiveBridge(), plant_name="Test plant")
    qtbot.addWidget(window)
    shell = SessionShell(window, services.auth, users=services.users,
                         audit=AuditService(services.engine, auth=services.auth), alarm_actions=None)
    window.show()
    try:
        listed = dict(shell.shortcut_list())
        assert listed["Acknowledge top alarm"] == "F4, Ctrl+Shift+A"
        assert listed["Next unacknowledged alarm"] == "F8" and listed["Silence horn"] == "F9"
        assert listed["Quick search\u2026"] == "Ctrl+K" and listed["Lock screen"] == "Ctrl+L"
        assert listed["Full screen"] == "F11" and "Ctrl+1" in listed["Screens in tab order"]
        assert set(shell.theme_actions) == {"light", "dark"} and shell.theme_actions["light"].isChecked()
        qtbot.keySequence(window, QKeySequence("Ctrl+2"))  # signed out: no way past the sign-in page
        assert window.stack.currentWidget() is shell.sign_in
        sign_in_with(qtbot, shell.sign_in, "ana", PW)
        qtbot.waitUntil(lambda: shell.controller.session is not None, timeout=10_000)
        window.tear_off.tear_off(Screen.SENSORS)
        window.activateWindow()
        qtbot.keySequence(window, QKeySequence("Ctrl+L"))
        qtbot.waitUntil(lambda: shell.controller.is_locked, timeout=3000)
        assert not window.tear_off.windows  # locking docks torn-off screens back under the lock
    finally:
        shell.shutdown()
        window.close()
        window.bridge.stop()
        services.engine.dispose()
