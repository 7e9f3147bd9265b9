"""Sign-in screen and session controller against a real SQLite database and the real services:
success, wrong password counted in the database, the growing delay of operators, the forced
password change, switch user, re-authentication before privileged actions, permission gates.

The helpers at the top (`build`, `Console`) are shared by the other security view tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget
from sqlalchemy import Engine, select

from hmi.core.clock import Clock, FakeClock
from hmi.core.domain import Role
from hmi.core.permissions import Action
from hmi.services.auth import AuthService, Session
from hmi.services.plant_io import import_plant
from hmi.services.users import UserService, add_user
from hmi.storage.database import make_engine
from hmi.storage.migrate import upgrade
from hmi.storage.schema import AuditRow, UserRow
from hmi.ui.lock_overlay import LockOverlay
from hmi.ui.session_controller import PasswordPrompt, SessionController
from hmi.ui.sign_in import SignInWidget, SignInWindow

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources/plants/demo.toml"
PW = "correct horse battery"
USERS = {"root": Role.ADMIN, "ana": Role.OPERATOR, "tom": Role.TECHNICIAN, "vic": Role.VIEWER}
NAMES = {"root": "Site Administrator", "ana": "Ana Silva", "tom": "Tom Peeters", "vic": "Vic Janssens"}
WAIT_MS = 5000


# -- shared helpers ------------------------------------------------------------------------------------------------
@dataclass
class Services:
    engine: Engine
    auth: AuthService
    users: UserService
    clock: Clock | None

    def user_row(self, name: str):  # type: ignore[no-untyped-def]
        t = UserRow.__table__
        with self.engine.connect() as c:
            return c.execute(select(t).where(t.c.username == name)).one()

    def audit_actions(self) -> list[str]:
        t = AuditRow.__table__
        with self.engine.connect() as c:
            return [r.action for r in c.execute(select(t.c.action).order_by(t.c.seq))]

    def session(self, name: str, password: str = PW) -> Session:
        result = self.auth.sign_in(name, password, console="test")
        assert result.ok and result.session is not None, result.message
        return result.session


def build(url: str, *, clock: Clock | None = None, temporary: tuple[str, ...] = ()) -> Services:
    """A migrated database with the demo plant and four users (password PW), and the real services."""
    engine = make_engine(url)
    upgrade(engine)
    import_plant(engine, DEMO)
    for name, role in USERS.items():
        add_user(engine, name, PW, role, mills=None if role is Role.ADMIN else ["north"], audit_key=None,
                 display_name=NAMES[name], temporary=name in temporary)
    auth = AuthService(engine, clock=clock, audit_key=None, host="console-1")
    return Services(engine, auth, UserService(auth), clock)


def make_services(sqlite_url: str) -> Iterator[Services]:
    """Fixture body (shared with the other security view tests): `services = pytest.fixture(...)(this)`."""
    s = build(sqlite_url)
    yield s
    s.engine.dispose()


def make_fake_services(sqlite_url: str) -> Iterator[Services]:
    """As make_services, on a FakeClock."""
    s = build(sqlite_url, clock=FakeClock())
    yield s
    s.engine.dispose()


def make_controllers(qapp) -> Iterator[Callable[..., SessionController]]:  # type: ignore[no-untyped-def]
    """Fixture body: make session controllers; shut them down (event filter, timers, worker) afterwards."""
    made: list[SessionController] = []

    def make(services: Services, **kwargs: Any) -> SessionController:
        controller = SessionController(services.auth, **kwargs)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.shutdown()


services = pytest.fixture(name="services")(make_services)
fake_services = pytest.fixture(name="fake_services")(make_fake_services)
controllers = pytest.fixture(name="controllers")(make_controllers)


class Console(QWidget):
    """How a main window hosts the security widgets (the integration the lead follows): the banner and
    e-stop stay outside a central stack holding the sign-in page and the live page; the lock overlay
    covers the stack only."""

    def __init__(self, services: Services, controller: SessionController) -> None:
        super().__init__()
        self.setMinimumSize(1000, 700)
        self.controller = controller
        layout = QVBoxLayout(self)
        self.banner = QLabel("ALARM BANNER", self)
        self.estop = QPushButton("E-STOP", self)
        self.stack = QStackedWidget(self)
        self.sign_in = SignInWidget(services.auth, console="test", subtitle="Demo plant \u00b7 console-1")
        self.live = QWidget()
        live_layout = QVBoxLayout(self.live)
        self.value = QLabel("12.0 t/h", self.live)
        self.action_button = QPushButton("Start production", self.live)
        live_layout.addWidget(self.value)
        live_layout.addWidget(self.action_button)
        self.stack.addWidget(self.sign_in)
        self.stack.addWidget(self.live)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.estop)
        self.overlay = LockOverlay(controller, self.stack)
        self.sign_in.signedIn.connect(controller.set_session)
        controller.sessionChanged.connect(self._on_session)
        controller.apply_permission(self.action_button, Action.START_PRODUCTION, "north")

    def _on_session(self, session: Session | None) -> None:
        if session is None:
            self.stack.setCurrentWidget(self.sign_in)
            self.sign_in.reset(self.controller.last_sign_out_reason)
        else:
            self.stack.setCurrentWidget(self.live)

    def shutdown(self) -> None:
        self.sign_in.shutdown()


def assert_never_app_modal() -> None:
    for w in QApplication.topLevelWidgets():
        assert w.windowModality() != Qt.WindowModality.ApplicationModal, w


def sign_in_with(qtbot, widget: SignInWidget, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    widget.username.clear()
    widget.password.clear()
    qtbot.keyClicks(widget.username, username)
    qtbot.keyClick(widget.username, Qt.Key.Key_Return)  # Enter in the username moves on to the password
    assert widget.password.hasFocus() or not widget.isActiveWindow()
    qtbot.keyClicks(widget.password, password)
    qtbot.keyClick(widget.password, Qt.Key.Key_Return)  # Enter submits


@pytest.fixture
def sign_in(qtbot, themed_app, services: Services) -> Iterator[SignInWidget]:  # type: ignore[no-untyped-def]
    w = SignInWidget(services.auth, console="test", subtitle="Demo plant \u00b7 console-1")
    w.setMinimumSize(900, 700)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.shutdown()


# -- sign-in -------------------------------------------------------------------------------------------------------
def test_sign_in_success_emits_session(qtbot, sign_in: SignInWidget, services: Services, artifacts_dir) -> None:
    sign_in.username.setText("ana")
    sign_in.grab().save(str(artifacts_dir / "sign_in.png"))
    with qtbot.waitSignal(sign_in.signedIn, timeout=WAIT_MS) as blocker:
        sign_in_with(qtbot, sign_in, "Ana", PW)
    session = blocker.args[0]
    assert isinstance(session, Session)
    assert session.username == "ana" and session.console == "test"
    assert services.user_row("ana").last_login_at is not None
    assert sign_in.password.text() == ""  # nothing lingers in the form
    assert "auth.sign_in" in services.audit_actions()
    assert_never_app_modal()


def test_wrong_password_message_and_failed_attempts_in_db(qtbot, sign_in: SignInWidget, services: Services,
                                                          artifacts_dir) -> None:
    signed: list[object] = []
    sign_in.signedIn.connect(signed.append)
    sign_in_with(qtbot, sign_in, "tom", "not the password")
    assert sign_in.busy  # the check runs off the GUI thread
    qtbot.waitUntil(lambda: sign_in.message.text() == "Wrong username or password.", timeout=WAIT_MS)
    assert sign_in.message.property("level") == "error"
    assert sign_in.password.text() == "" and sign_in.username.text() == "tom"
    assert services.user_row("tom").failed_attempts == 1
    sign_in.grab().save(str(artifacts_dir / "sign_in_failed.png"))

    sign_in_with(qtbot, sign_in, "tom", "still not it")
    qtbot.waitUntil(lambda: services.user_row("tom").failed_attempts == 2 and not sign_in.busy, timeout=WAIT_MS)
    assert not signed


def test_operator_gets_a_growing_delay(qtbot, themed_app, fake_services: Services) -> None:
    clock = fake_services.clock
    assert isinstance(clock, FakeClock)
    w = SignInWidget(fake_services.auth, console="test")
    w.setMinimumSize(800, 640)
    qtbot.addWidget(w)
    w.show()
    for wait in (1, 2):  # failures 1 and 2: waits of 1 s and 2 s, served on the fake clock
        sign_in_with(qtbot, w, "ana", "typo typo typo")
        qtbot.waitUntil(lambda: not w.busy and w.message.text() != "Signing in\u2026", timeout=WAIT_MS)
        assert fake_services.user_row("ana").failed_attempts == wait
        clock.advance(wait + 0.1)
    sign_in_with(qtbot, w, "ana", "typo typo typo")  # third failure: wait 4 s
    qtbot.waitUntil(lambda: fake_services.user_row("ana").failed_attempts == 3 and not w.busy, timeout=WAIT_MS)
    sign_in_with(qtbot, w, "ana", PW)  # the right password, but too early
    qtbot.waitUntil(lambda: w.message.text() == "Wait 4 s before trying again.", timeout=WAIT_MS)
    assert fake_services.user_row("ana").failed_attempts == 3  # a refused attempt is not a failure
    # typing another username drops the countdown (the delay belongs to ana)
    qtbot.keyClicks(w.username, "x")
    assert w.message.text() == ""
    clock.advance(4.1)
    with qtbot.waitSignal(w.signedIn, timeout=WAIT_MS):
        sign_in_with(qtbot, w, "ana", PW)
    assert fake_services.user_row("ana").failed_attempts == 0
    w.shutdown()


def test_locked_and_deactivated_accounts_say_so(qtbot, sign_in: SignInWidget, services: Services) -> None:
    root = services.session("root")
    services.users.deactivate(root, "vic")
    sign_in_with(qtbot, sign_in, "vic", PW)
    qtbot.waitUntil(lambda: "deactivated" in sign_in.message.text(), timeout=WAIT_MS)
    for _ in range(5):
        services.auth.sign_in("tom", "wrong wrong wrong")
    sign_in_with(qtbot, sign_in, "tom", PW)
    qtbot.waitUntil(lambda: sign_in.message.text().startswith("Account locked after 5 failed attempts"),
                    timeout=WAIT_MS)


def test_forced_password_change(qtbot, themed_app, sqlite_url: str, artifacts_dir) -> None:
    services = build(sqlite_url, temporary=("ana",))
    w = SignInWidget(services.auth, console="test", subtitle="Demo plant \u00b7 console-1")
    w.setMinimumSize(900, 760)
    qtbot.addWidget(w)
    w.show()
    signed: list[Session] = []
    w.signedIn.connect(signed.append)
    sign_in_with(qtbot, w, "ana", PW)
    qtbot.waitUntil(lambda: w.changing_password, timeout=WAIT_MS)
    assert not signed  # not in before the temporary password is replaced
    assert w.new_password.hasFocus() or not w.isActiveWindow()

    qtbot.keyClicks(w.new_password, "short")
    assert w.policy_hint.text() == "Password must be at least 12 characters."
    assert w.policy_hint.property("level") == "error"
    w.new_password.clear()
    qtbot.keyClicks(w.new_password, "ana-is-my-name-1")
    assert w.policy_hint.text() == "Password must not contain the username."
    w.new_password.clear()
    qtbot.keyClicks(w.new_password, "flour and water 42")
    qtbot.keyClicks(w.repeat_password, "flour and water 4")
    assert w.policy_hint.text() == "The two passwords differ."
    qtbot.keyClick(w.repeat_password, Qt.Key.Key_Return)
    assert w.policy_hint.text() == "The two passwords differ: repeat the new password."
    assert w.repeat_password.text() == "" and not w.busy
    w.grab().save(str(artifacts_dir / "sign_in_change_password.png"))

    with qtbot.waitSignal(w.signedIn, timeout=WAIT_MS) as blocker:
        qtbot.keyClicks(w.repeat_password, "flour and water 42")
        assert w.policy_hint.text() == "Good: the passwords match."
        qtbot.keyClick(w.repeat_password, Qt.Key.Key_Return)
    session = blocker.args[0]
    assert session.username == "ana" and not session.must_change_password
    assert not services.user_row("ana").must_change_password
    assert services.auth.sign_in("ana", "flour and water 42").ok
    assert not services.auth.sign_in("ana", PW).ok
    w.shutdown()
    services.engine.dispose()


def test_cancelling_the_forced_change_signs_out(qtbot, themed_app, sqlite_url: str) -> None:
    services = build(sqlite_url, temporary=("ana",))
    w = SignInWidget(services.auth)
    w.setMinimumSize(800, 700)
    qtbot.addWidget(w)
    w.show()
    sign_in_with(qtbot, w, "ana", PW)
    qtbot.waitUntil(lambda: w.changing_password, timeout=WAIT_MS)
    qtbot.mouseClick(w.cancel_change_button, Qt.MouseButton.LeftButton)
    assert not w.changing_password and w.username.text() == ""
    qtbot.waitUntil(lambda: services.audit_actions()[-1] == "auth.sign_out", timeout=WAIT_MS)
    w.shutdown()
    services.engine.dispose()


def test_sign_in_window_is_not_modal(qtbot, themed_app, services: Services) -> None:
    win = SignInWindow(services.auth, console="test")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.isWindow() and win.windowModality() == Qt.WindowModality.NonModal
    with qtbot.waitSignal(win.signedIn, timeout=WAIT_MS):
        sign_in_with(qtbot, win.form, "root", PW)
    win.shutdown()


# -- session controller --------------------------------------------------------------------------------------------
def test_switch_user_without_restarting(qtbot, themed_app, services: Services, controllers) -> None:
    controller = controllers(services)
    console = Console(services, controller)
    qtbot.addWidget(console)
    console.show()
    with qtbot.waitSignal(controller.sessionChanged, timeout=WAIT_MS):
        sign_in_with(qtbot, console.sign_in, "ana", PW)
    assert console.stack.currentWidget() is console.live
    assert controller.current_username() == "ana"
    first = controller.session
    assert first is not None

    with qtbot.waitSignal(controller.signedOut):
        controller.switch_user()
    assert controller.session is None
    qtbot.waitUntil(lambda: first.signed_out, timeout=WAIT_MS)  # audited off the GUI thread
    assert console.stack.currentWidget() is console.sign_in
    assert console.sign_in.message.text() == "shift handover: ana signed out, next user please sign in"
    assert not console.action_button.isEnabled()
    qtbot.waitUntil(lambda: "auth.sign_out" in services.audit_actions(), timeout=WAIT_MS)

    with qtbot.waitSignal(controller.sessionChanged, timeout=WAIT_MS) as blocker:
        sign_in_with(qtbot, console.sign_in, "tom", PW)
    assert blocker.args[0].username == "tom"
    assert console.stack.currentWidget() is console.live
    # a technician may not start production: the button says why
    assert not console.action_button.isEnabled()
    assert console.action_button.toolTip() == "Technician tom may not start production"
    console.shutdown()


def test_privileged_action_asks_for_the_password_when_sign_in_is_old(qtbot, themed_app, fake_services: Services,
                                                                      controllers) -> None:
    clock = fake_services.clock
    assert isinstance(clock, FakeClock)
    controller = controllers(fake_services)
    host = QWidget()
    host.setMinimumSize(600, 400)
    qtbot.addWidget(host)
    host.show()
    controller.set_session(fake_services.session("root"))
    done: list[str] = []

    assert controller.request_reauth("reset the e-stop", lambda: done.append("now"), host)
    assert done == ["now"] and controller.prompt is None  # signed in a moment ago: no question

    clock.advance(301)
    assert controller.can(Action.RESET_ESTOP, "north").needs_reauth
    button = QPushButton("Reset e-stop", host)
    controller.apply_permission(button, Action.RESET_ESTOP, "north")
    assert button.isEnabled() and "asks for your password" in button.toolTip().lower()

    assert not controller.request_reauth("reset the e-stop", lambda: done.append("later"), host)
    prompt = controller.prompt
    assert isinstance(prompt, PasswordPrompt) and prompt.isVisible()
    assert prompt.windowModality() != Qt.WindowModality.ApplicationModal
    assert prompt.windowModality() == Qt.WindowModality.NonModal  # the e-stop stays clickable
    assert prompt.text.text() == "To reset the e-stop, enter the password for root."
    assert_never_app_modal()

    qtbot.keyClicks(prompt.password, "wrong password!")
    qtbot.keyClick(prompt.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: prompt.message.text() == "wrong username or password", timeout=WAIT_MS)
    assert done == ["now"]
    qtbot.keyClicks(prompt.password, PW)
    qtbot.keyClick(prompt.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: done == ["now", "later"], timeout=WAIT_MS)
    assert controller.prompt is None
    assert not controller.can(Action.RESET_ESTOP, "north").needs_reauth
    assert "asks for your password" not in button.toolTip().lower()
    assert "auth.reauth" in fake_services.audit_actions()

    clock.advance(400)  # cancelling runs nothing
    cancelled: list[bool] = []
    controller.request_reauth("edit thresholds", lambda: done.append("never"), host,
                              on_cancel=lambda: cancelled.append(True))
    assert controller.prompt is not None
    qtbot.mouseClick(controller.prompt.cancel_button, Qt.MouseButton.LeftButton)
    assert cancelled == [True] and done == ["now", "later"] and controller.prompt is None


def test_apply_permission_disables_with_the_reason(qtbot, themed_app, services: Services, controllers) -> None:
    controller = controllers(services)
    host = QWidget()
    qtbot.addWidget(host)
    thresholds = QPushButton("Edit thresholds", host)
    thresholds.setToolTip("Change the alarm limits")
    users_button = QPushButton("Users", host)

    controller.apply_permission(thresholds, Action.EDIT_THRESHOLDS, "north")
    controller.apply_permission(users_button, Action.MANAGE_USERS, hide=True)
    assert not thresholds.isEnabled()
    assert thresholds.toolTip() == "Change the alarm limits\nNobody is signed in: sign in first"

    controller.set_session(services.session("vic"))
    assert not thresholds.isEnabled()
    assert thresholds.toolTip() == "Change the alarm limits\nViewer vic may not edit thresholds"
    assert users_button.isHidden()  # a viewer never manages users: hidden, not just greyed

    controller.set_session(services.session("tom"))
    assert thresholds.isEnabled() and thresholds.toolTip() == "Change the alarm limits"
    assert users_button.isHidden()
    controller.apply_permission(thresholds, Action.EDIT_THRESHOLDS, "south")
    assert not thresholds.isEnabled()
    assert thresholds.toolTip().endswith("Tom has no access to mill south")

    controller.apply_permission(thresholds, Action.EDIT_THRESHOLDS, "north")
    controller.lock()
    assert not thresholds.isEnabled()
    assert thresholds.toolTip().endswith("The screen is locked: unlock it first")
    assert controller.can(Action.TRIGGER_ESTOP, "north").allowed  # the e-stop is never locked away


@pytest.mark.parametrize("name", sorted(USERS))
def test_can_agrees_with_the_service(services: Services, controllers, name: str) -> None:
    controller = controllers(services)
    session = services.session(name)
    controller.set_session(session)
    for action in Action:
        for mill in (None, "north", "south"):
            mine, theirs = controller.can(action, mill), services.auth.decide(session, action, mill)
            assert (mine.allowed, mine.reason, mine.needs_reauth) == (
                theirs.allowed, theirs.reason, theirs.needs_reauth), (action, mill)
