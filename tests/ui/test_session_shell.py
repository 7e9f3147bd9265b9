"""The main window with sign-in, lock and security screens installed, as the app assembles it."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from hmi.core.alarms import Activate, Alarm, AlarmKey, AlarmKind, transition
from hmi.core.domain import Severity
from hmi.services.alarm_service import AlarmActions
from hmi.services.audit_service import AuditService
from hmi.services.plant_io import read_plant_file
from hmi.storage.alarm_repo import AlarmStore
from hmi.ui.bridge import LiveBridge
from hmi.ui.main_window import MainWindow, Screen
from hmi.ui.session_shell import SessionShell
from tests.ui.test_sign_in import DEMO, PW, build, sign_in_with


def test_sign_in_then_acknowledge_as_the_session(qtbot, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    services = build(sqlite_url)
    plant = read_plant_file(DEMO)
    eui = plant.mill("north").sensors[0].eui
    key = AlarmKey("north", eui, AlarmKind.HIGH)
    raised, entries = transition(Alarm(key, Severity.WARNING), Activate(50.0), time.time())
    with services.engine.begin() as conn:
        AlarmStore(services.engine).write(conn, raised, entries, None)
    bridge = LiveBridge()
    window = MainWindow(plant, bridge, plant_name="Test plant")
    qtbot.addWidget(window)
    shell = SessionShell(window, services.auth, users=services.users, audit=AuditService(services.engine,
                         auth=services.auth), alarm_actions=AlarmActions(services.engine, services.auth))
    window.show()
    assert window.stack.currentWidget() is shell.sign_in
    assert not window.nav.isEnabled()
    assert window.banner.isVisible(), "alarms stay visible before sign-in"
    assert window.stack.currentWidget() is shell.sign_in
    sign_in_with(qtbot, shell.sign_in, "ana", PW)
    qtbot.waitUntil(lambda: shell.controller.session is not None, timeout=10_000)
    assert window.stack.currentIndex() == Screen.OVERVIEW and window.nav.isEnabled()
    assert window.nav.button(shell.users_screen).isHidden(), "operators have no user administration"
    assert "ana" in window.header.user.text()
    bridge.submit_alarms([raised])
    qtbot.waitUntil(lambda: len(window.alarms) == 1, timeout=5000)
    window.commands.acknowledge([key])
    qtbot.waitUntil(lambda: AlarmStore(services.engine).latest_all()[0][0].acked_by == "ana", timeout=10_000)
    assert shell.lock_action.isEnabled() and shell.setup_action.isVisible() is False  # operators: no setup
    shell.about_action.trigger()
    assert shell._about.windowModality() == Qt.WindowModality.NonModal and "Millwatch HMI" in shell._about.text()
    shell._about.close()
    shell.sign_out_action.trigger()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is shell.sign_in, timeout=5000)
    assert window.header.user.text() == "not signed in"
    shell.shutdown()
    window.close()
    services.engine.dispose()
    assert window.windowModality() != Qt.WindowModality.ApplicationModal
