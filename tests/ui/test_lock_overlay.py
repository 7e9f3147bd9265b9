"""The screen lock: locks after inactivity, unlocks with the password, takes every input meant for the
views under it while they keep updating, and leaves the banner and the e-stop usable."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from hmi.core.plant import Plant
from hmi.ui.bridge import LiveBridge
from hmi.ui.lock_overlay import LockOverlay
from hmi.ui.main_window import MainWindow, Screen
from hmi.ui.session_controller import SessionController
from tests.ui.demo_feed import DemoFeeder
from tests.ui.test_sign_in import (
    PW,
    WAIT_MS,
    Console,
    Services,
    assert_never_app_modal,
    make_controllers,
    make_services,
)

services = pytest.fixture(name="services")(make_services)
controllers = pytest.fixture(name="controllers")(make_controllers)


def sign_in(controller: SessionController, services: Services, name: str = "ana") -> None:
    controller.set_session(services.session(name))


def test_inactivity_locks_and_the_password_unlocks(qtbot, themed_app, services: Services, controllers) -> None:
    controller = controllers(services, idle_timeout_s=0.2)
    console = Console(services, controller)
    qtbot.addWidget(console)
    console.show()
    qtbot.waitExposed(console)
    sign_in(controller, services)
    assert console.action_button.isEnabled()
    overlay = console.overlay

    with qtbot.waitSignal(controller.locked, timeout=3000):
        pass
    assert controller.is_locked and overlay.isVisible()
    assert overlay.geometry() == QRect(console.stack.mapTo(console, QPoint(0, 0)), console.stack.size())
    assert overlay.who.text() == "Locked \u2014 ana (operator) \u2014 enter password to unlock"
    assert console.stack.currentWidget() is console.live  # the live page stays underneath
    assert not console.action_button.isEnabled()
    assert console.action_button.toolTip() == "The screen is locked: unlock it first"
    qtbot.waitUntil(lambda: "auth.screen_lock" in services.audit_actions(), timeout=WAIT_MS)

    qtbot.keyClicks(overlay.password, "not my password")
    with qtbot.waitSignal(controller.unlockFailed, timeout=WAIT_MS):
        qtbot.keyClick(overlay.password, Qt.Key.Key_Return)
    assert overlay.message.text() == "Wrong username or password"
    assert overlay.isVisible() and controller.is_locked
    assert services.user_row("ana").failed_attempts == 1

    clock_wait = services.user_row("ana").locked_until  # operators wait 1 s after a failure
    assert clock_wait is not None
    time.sleep(1.05)
    qtbot.keyClicks(overlay.password, PW)
    with qtbot.waitSignal(controller.unlocked, timeout=WAIT_MS):
        qtbot.mouseClick(overlay.unlock_button, Qt.MouseButton.LeftButton)
    assert not overlay.isVisible() and not controller.is_locked
    assert console.action_button.isEnabled()
    assert "auth.screen_unlock" in services.audit_actions()

    # activity keeps it unlocked; idleness locks it again
    controller.set_idle_timeout(0.3)
    deadline = time.monotonic() + 0.6
    while time.monotonic() < deadline:
        qtbot.keyClick(console.estop, Qt.Key.Key_Shift)
        qtbot.wait(50)
    assert not controller.is_locked
    with qtbot.waitSignal(controller.locked, timeout=3000):
        pass
    console.shutdown()


def test_overlay_takes_input_but_live_values_keep_updating(qtbot, themed_app, services: Services,
                                                           controllers) -> None:
    controller = controllers(services, idle_timeout_s=0)
    host = QWidget()
    host.setMinimumSize(900, 600)
    layout = QVBoxLayout(host)
    estop = QPushButton("E-STOP", host)
    stack = QStackedWidget(host)
    page = QWidget()
    page_layout = QVBoxLayout(page)
    value = QLabel("Flow 12.0 t/h", page)
    value.setStyleSheet("font-size: 28pt; background: #f0f0f0;")
    button = QPushButton("Start production", page)
    page_layout.addWidget(value)
    page_layout.addWidget(button)
    page_layout.addStretch(1)
    stack.addWidget(page)
    layout.addWidget(stack, 1)
    layout.addWidget(estop)
    overlay = LockOverlay(controller, stack)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    sign_in(controller, services)
    clicks: list[str] = []
    button.clicked.connect(lambda: clicks.append("button"))
    estop.clicked.connect(lambda: clicks.append("estop"))

    controller.lock()
    assert overlay.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # lands on the veil
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    button.setFocus()  # focus pushed under the veil comes back to the password field
    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.wait(20)
    assert clicks == []
    assert overlay.password.hasFocus() or not host.isActiveWindow()
    overlay.password.setFocus()
    qtbot.keyClick(overlay.password, Qt.Key.Key_Tab)  # Tab cycles inside the card
    assert overlay.isAncestorOf(host.focusWidget()) if host.focusWidget() is not None else True

    qtbot.mouseClick(estop, Qt.MouseButton.LeftButton)  # outside the veil: works
    assert clicks == ["estop"]

    area = QRect(value.mapTo(host, QPoint(0, 0)), value.size())
    before = host.grab(area).toImage()
    QTimer.singleShot(30, lambda: value.setText("Flow 13.7 t/h"))
    qtbot.waitUntil(lambda: value.text() == "Flow 13.7 t/h", timeout=WAIT_MS)
    assert value.isEnabled() and value.isVisible()  # not disabled or hidden: dimmed, still live
    qtbot.waitUntil(lambda: host.grab(area).toImage() != before, timeout=WAIT_MS)

    qtbot.keyClicks(overlay.password, PW)
    with qtbot.waitSignal(controller.unlocked, timeout=WAIT_MS):
        qtbot.keyClick(overlay.password, Qt.Key.Key_Return)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert clicks == ["estop", "button"]


def test_switch_user_from_the_lock(qtbot, themed_app, services: Services, controllers) -> None:
    controller = controllers(services, idle_timeout_s=0)
    console = Console(services, controller)
    qtbot.addWidget(console)
    console.show()
    sign_in(controller, services, "ana")
    controller.lock()
    with qtbot.waitSignal(controller.signedOut):
        qtbot.mouseClick(console.overlay.switch_button, Qt.MouseButton.LeftButton)
    assert not console.overlay.isVisible() and not controller.is_locked
    assert console.stack.currentWidget() is console.sign_in
    assert "ana signed out" in console.sign_in.message.text()
    with qtbot.waitSignal(controller.sessionChanged, timeout=WAIT_MS) as blocker:
        console.sign_in.username.setText("tom")
        console.sign_in.password.setText(PW)
        console.sign_in.submit()
    assert blocker.args[0].username == "tom"
    assert console.stack.currentWidget() is console.live and not console.overlay.isVisible()
    assert_never_app_modal()
    console.shutdown()


@pytest.fixture
def window(qtbot, themed_app, plant: Plant):  # type: ignore[no-untyped-def]
    bridge = LiveBridge(interval_ms=50)
    w = MainWindow(plant, bridge, plant_name="Demo plant", palette=themed_app)
    w.resize(1280, 800)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    feeder = DemoFeeder(plant, bridge, period=0.05).start()
    yield w
    feeder.stop()
    bridge.stop()


def test_lock_overlay_over_the_main_window(qtbot, window: MainWindow, services: Services, controllers,
                                           artifacts_dir) -> None:
    """The veil over the central area of the real window: header and status bar stay clear."""
    controller = controllers(services, idle_timeout_s=0)
    window.show_screen(Screen.SENSORS)  # the sensor screen's splitter is the veiled area here
    central = window.findChild(QSplitter, "mainSplitter")
    assert central is not None
    overlay = LockOverlay(controller, central)
    sign_in(controller, services, "ana")
    qtbot.waitUntil(lambda: window.table.model().rowCount() > 0, timeout=WAIT_MS)
    qtbot.wait(300)
    controller.lock()
    assert overlay.isVisible() and overlay.geometry() == QRect(central.mapTo(window, QPoint(0, 0)), central.size())
    qtbot.keyClicks(overlay.password, "wrong")
    qtbot.wait(200)
    window.grab().save(str(artifacts_dir / "lock_overlay.png"))
