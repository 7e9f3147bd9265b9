"""The signed-in session of this console: inactivity lock, switch user, sign-out, re-authentication
before privileged actions, and widgets enabled or disabled (with the reason) by the permission table.

`SessionController` holds the current `Session` (from `SignInWidget.signedIn`). Every call that
reaches the database (lock, unlock, re-authenticate, sign out, reloading the user's role) runs on a
worker thread; the controller's signals fire on the GUI thread.

Inactivity: an event filter on the QApplication notes mouse, key, wheel and touch activity; after
`idle_timeout_s` (default 15 min, per workstation; 0 disables) without any, the session is locked.
Locked blocks every change (the services refuse everything but the e-stop trigger) while the
live views, the alarm banner and the e-stop stay visible and working: `LockOverlay` covers only
the central area.

Permissions in the UI are advisory, the services decide: `can()` answers from the session's cached
principal and state without touching the database (the same rules as `AuthService.decide`, which
reloads the principal); the principal is reloaded off the GUI thread after sign-in and unlock and
every `refresh_s`. `apply_permission(widget, action, mill)` disables (or hides) what the role may
not do, puts the reason in the tooltip, and is re-applied whenever the session, its lock or its
principal changes. An action that only needs the password again stays enabled: its handler calls
`request_reauth(label, on_ok)`, which asks for the password in a small non-blocking window.

Nothing here is application-modal, and the password prompt is not even window-modal: a window-modal
prompt would block its parent window, and with it the e-stop button.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.core.permissions import Action, Decision, Principal, as_action
from hmi.services.auth import AuthResult, AuthService, Session
from hmi.ui.i18n import message_text, translate
from hmi.ui.theme import bind_stylesheet, set_state_property
from hmi.ui.worker import Jobs

log = logging.getLogger(__name__)

DEFAULT_IDLE_TIMEOUT_S = 15 * 60
DEFAULT_REFRESH_S = 60.0
NOBODY = QT_TRANSLATE_NOOP("SessionController", "nobody is signed in: sign in first")  # shown translated

_ACTIVITY = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.KeyPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.TabletPress,
})

# The look of the sign-in, lock, password prompt, user admin and audit views. Applied on those widgets
# only (so it cannot leak into the rest of the window); meant to move into resources/styles/light.qss.
SECURITY_QSS = """
QWidget#signInScreen, QWidget#userAdminView, QWidget#auditView, QDialog#passwordPrompt,
QWidget#signInWindow {
    background-color: #e3e3e3;
    color: #1f2327;
}
QFrame#card {
    background-color: #f4f4f4;
    border: 1px solid #aeb2b6;
    border-radius: 4px;
}
QFrame#card QLabel { background: transparent; }
QLabel#cardTitle { font-size: 26pt; font-weight: bold; color: #1f2327; }
QLabel#cardHeading { font-size: 17pt; font-weight: bold; color: #1f2327; }
QLabel#cardSubtitle { font-size: 12pt; color: #5b6167; }
QLabel#cardText { font-size: 13pt; color: #1f2327; }
QLabel#fieldLabel { font-size: 12pt; font-weight: bold; color: #3a3f45; }
QLabel#hint { font-size: 12pt; color: #5b6167; }
QLabel#hint[level="error"] { color: #1f2327; font-weight: bold; }
QLabel#hint[level="ok"] { color: #3a3f45; }
QLabel#viewTitle { font-size: 16pt; font-weight: bold; color: #1f2327; }
QFrame#cardRule { background-color: #c4c4c4; max-height: 1px; border: none; }
QComboBox, QDateTimeEdit {
    /* font and height only: the native (Fusion) frame and arrow stay */
    font-size: 14pt;
    min-height: 34px;
}
QLineEdit {
    font-size: 14pt;
    padding: 5px 8px;
    min-height: 30px;
    background-color: #ffffff;
    color: #1f2327;
    border: 1px solid #9ea3a8;
    border-radius: 3px;
    selection-background-color: #c5ccd4;
    selection-color: #101316;
}
QLineEdit:focus { border: 2px solid #353a40; padding: 4px 7px; background-color: #fbfbfb; }
QLineEdit:disabled { background-color: #ebebeb; color: #8a9096; }
QLineEdit[readOnly="true"] { background-color: #ebebeb; }
QComboBox QAbstractItemView { font-size: 13pt; background-color: #ffffff; selection-background-color: #c5ccd4; }
QPushButton {
    font-size: 13pt;
    padding: 7px 18px;
    min-height: 28px;
    background-color: #dadada;
    color: #1f2327;
    border: 1px solid #9ea3a8;
    border-radius: 3px;
}
QPushButton:hover { background-color: #cfd1d3; }
QPushButton:pressed { background-color: #c0c3c6; }
QPushButton:focus { border: 2px solid #353a40; padding: 6px 17px; }
QPushButton:disabled { color: #9aa0a6; background-color: #e6e6e6; border-color: #c8c8c8; }
QPushButton#primaryButton {
    background-color: #353a40;
    color: #ffffff;
    border-color: #23272b;
    font-weight: bold;
}
QPushButton#primaryButton:hover { background-color: #454b52; }
QPushButton#primaryButton:focus { border: 2px solid #9ea3a8; }
QPushButton#primaryButton:disabled { background-color: #8a9096; color: #eef0f1; border-color: #8a9096; }
QLabel#messageStrip { font-size: 12pt; padding: 8px 12px; border-radius: 2px; }
QLabel#messageStrip[level="error"] {
    background-color: #ffffff;
    color: #1f2327;
    border: 1px solid #9ea3a8;
    border-left: 6px solid #353a40;
    font-weight: bold;
}
QLabel#messageStrip[level="info"] {
    background-color: #d6dbe0;
    color: #1f2327;
    border: 1px solid #c0c6cc;
}
QLabel#messageStrip[level="busy"] { background-color: transparent; color: #5b6167; font-style: italic; }
QLabel#messageStrip[level=""] { background-color: transparent; }
QListWidget#millPicker {
    font-size: 13pt;
    background-color: #ffffff;
    border: 1px solid #9ea3a8;
    border-radius: 3px;
    outline: 0;
}
QListWidget#millPicker::item { padding: 5px 4px; color: #1f2327; }
QListWidget#millPicker::item:disabled { color: #8a9096; }
QListWidget#millPicker::indicator, QCheckBox::indicator { width: 20px; height: 20px; }
QCheckBox { font-size: 13pt; }
QTableView#userTable, QTableView#auditTable {
    background-color: #f0f0f0;
    color: #1f2327;
    border: 1px solid #c4c4c4;
    font-size: 12pt;
    gridline-color: #d2d2d2;
    selection-background-color: #c5ccd4;
    selection-color: #101316;
    outline: 0;
}
QTableView#userTable::item, QTableView#auditTable::item { padding: 0px 10px; }
QFrame#formPanel { background-color: #ebebeb; border: 1px solid #c4c4c4; border-radius: 3px; }
QFrame#formPanel QLabel { background: transparent; }
QFrame#filterBar { background-color: #dcdcdc; border: 1px solid #c4c4c4; border-radius: 3px; }
QFrame#filterBar QLabel { background: transparent; }
QLabel#permissionNotice {
    font-size: 13pt;
    padding: 10px 14px;
    background-color: #d6d6d6;
    color: #1f2327;
    border: 1px solid #b4b4b4;
}
"""


def style_widget(widget: QWidget) -> None:
    """Give one of the security views its look (see SECURITY_QSS)."""
    bind_stylesheet(widget, SECURITY_QSS)


def set_message(label: QLabel, text: str, level: str = "info") -> None:
    """Show `text` in a message strip; `level` is "error", "info", "busy" or "" (nothing to say)."""
    label.setText(text)
    set_state_property(label, "level", level if text else "")
    label.setVisible(bool(text))


def bring_to_front(window: QWidget) -> None:
    """Raise and activate a top-level window (where the platform can: not offscreen/minimal)."""
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        window.raise_()
        window.activateWindow()


def error_text(exc: BaseException) -> str:
    """What the person at the console is told about a failed call, in their language: refusals and
    validation errors carry their own sentence; anything else is named. (Logs take the exception
    itself: they stay English.)"""
    from hmi.core.errors import ValidationError
    from hmi.core.permissions import PermissionDenied
    from hmi.core.text import Text

    if isinstance(exc, PermissionDenied | ValidationError | PermissionError):
        return message_text(exc)
    if any(isinstance(arg, Text) for arg in exc.args):  # a refusal phrased for the user (CommandRefused, ...)
        return message_text(exc)
    database = database_error_text(exc)
    if database:
        return database
    return f"{type(exc).__name__}: {exc}"


def database_error_text(exc: BaseException) -> str:
    """"the database is unreachable: unable to open database file" for a database error (SQLAlchemy's
    own text carries a link and the SQL); "" for anything else."""
    if not any(c.__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")) for c in type(exc).__mro__):
        return ""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    detail = lines[0] if lines else type(orig).__name__
    return translate("SessionController", "the database is unreachable or refused the request: {detail}").format(
        detail=detail)


@dataclass
class _Gate:
    """A widget or action whose state follows a permission."""

    target: QWidget | QAction
    action: Action
    mill: str | None
    hide: bool
    base_tooltip: str


class PasswordPrompt(QDialog):
    """"To reset the e-stop, enter the password for ana": a small non-blocking window.

    Shown with show(), never exec(); modality is Qt.NonModal by default (window modality would block
    the parent window and so the e-stop). `submitted(password)` asks the controller to check it."""

    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, action_label: str, username: str, parent: QWidget | None = None,
                 modality: Qt.WindowModality = Qt.WindowModality.NonModal) -> None:
        super().__init__(parent)
        self._finished = False
        self._busy = False
        self.setObjectName("passwordPrompt")
        self.setWindowTitle(self.tr("Confirm password"))
        self.setWindowModality(modality)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        style_widget(self)
        self.setFixedSize(520, 300)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        title = QLabel(self.tr("Confirm your password"), self)
        title.setObjectName("cardHeading")
        self.text = QLabel(self.tr("To {action}, enter the password for {user}.").format(action=action_label,
                                                                                          user=username), self)
        self.text.setObjectName("cardText")
        self.text.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setObjectName("passwordField")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.message = QLabel(self)
        self.message.setObjectName("messageStrip")
        self.message.setWordWrap(True)
        set_message(self.message, "")
        self.confirm_button = QPushButton(self.tr("Confirm"), self)
        self.confirm_button.setObjectName("primaryButton")
        self.confirm_button.setDefault(True)  # Return in the field confirms (the dialog's default button)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout.addWidget(title)
        layout.addWidget(self.text)
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.confirm_button.clicked.connect(self._on_confirm)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.password.setFocus()

    @property
    def busy(self) -> bool:
        return self._busy

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.password.setReadOnly(busy)  # read-only, not disabled: the focus stays in the field
        self.confirm_button.setEnabled(not busy)
        if busy:
            set_message(self.message, self.tr("Checking\u2026"), "busy")

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        set_message(self.message, message_text(text), "error")
        self.password.clear()
        self.password.setFocus()

    @Slot()
    def _on_confirm(self) -> None:
        if self._busy:
            return
        if not self.password.text():
            set_message(self.message, self.tr("enter your password"), "error")
            return
        self.set_busy(True)
        self.submitted.emit(self.password.text())

    @Slot()
    def _on_cancel(self) -> None:
        self.close()

    def reject(self) -> None:  # Escape
        self.close()

    def closeEvent(self, event: Any) -> None:
        if not self._finished:
            self._finished = True
            self.cancelled.emit()
        super().closeEvent(event)

    def finish(self) -> None:
        """Close after a confirmed password (no `cancelled`)."""
        self._finished = True
        self.close()


class SessionController(QObject):
    """The session of one console. Signals fire on the GUI thread.

    sessionChanged(Session | None): signed in, switched or signed out.
    locked() / unlocked(): the screen lock; unlockFailed(message) for a wrong unlock password.
    signedOut(): the session ended (sign-out, switch user); show the sign-in screen.
    permissionsChanged(): the session, its lock or the user's role/mills changed; gates are re-applied.
    message(level, text): something the console should show (a failed background call).
    """

    sessionChanged = Signal(object)
    locked = Signal()
    unlocked = Signal()
    unlockFailed = Signal(str)
    signedOut = Signal()
    permissionsChanged = Signal()
    message = Signal(str, str)

    def __init__(
        self,
        auth: AuthService,
        *,
        idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S,
        refresh_s: float = DEFAULT_REFRESH_S,
        prompt_modality: Qt.WindowModality = Qt.WindowModality.NonModal,
        monotonic: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if prompt_modality == Qt.WindowModality.ApplicationModal:
            raise ValueError("an application-modal prompt would block the e-stop")
        self.auth = auth
        self._session: Session | None = None
        self._locked = False
        self._monotonic = monotonic
        self._last_activity = monotonic()
        self._idle_timeout_s = 0.0
        self._prompt_modality = prompt_modality
        self._prompt: PasswordPrompt | None = None
        self._gates: list[_Gate] = []
        self.last_sign_out_reason = ""
        self.jobs = Jobs("session", self)

        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self._on_idle_check)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(max(1, int(refresh_s * 1000)))
        self._refresh_timer.timeout.connect(self._on_refresh_tick)
        self.set_idle_timeout(idle_timeout_s)
        # Input is watched (an application-wide event filter) only while someone is signed in: it
        # sees every event of every widget, and before sign-in there is no session to lock.

    # -- state -------------------------------------------------------------------------------------------------
    @property
    def session(self) -> Session | None:
        return self._session

    @property
    def is_locked(self) -> bool:
        return self._locked

    @property
    def principal(self) -> Principal | None:
        return self._session.principal if self._session is not None else None

    def current_username(self) -> str:
        """The signed-in user's name, "" when nobody is (for `AlarmCommands(current_user=...)`)."""
        return self._session.username if self._session is not None else ""

    @property
    def idle_timeout_s(self) -> float:
        return self._idle_timeout_s

    def set_idle_timeout(self, seconds: float) -> None:
        """The inactivity before the screen locks (per workstation); 0 turns the automatic lock off."""
        if seconds < 0:
            raise ValueError("the idle timeout cannot be negative")
        self._idle_timeout_s = float(seconds)
        self._arm_idle_timer()

    def shutdown(self) -> None:
        """Stop the timers, the event filter and the worker (at application exit)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._idle_timer.stop()
        self._refresh_timer.stop()
        self._close_prompt()
        self.jobs.close()

    # -- sign-in / sign-out ------------------------------------------------------------------------------------
    @Slot(object)
    def set_session(self, session: Session) -> None:
        """Start a session (connect `SignInWidget.signedIn` here)."""
        previous = self._session
        if previous is not None and previous is not session and not previous.signed_out:
            self.jobs.run(self.auth.sign_out, self._ignore, self._on_background_error, previous)
        self._session = session
        self._locked = session.locked
        self.last_sign_out_reason = ""
        self._last_activity = self._monotonic()
        self._watch_activity(True)
        self._arm_idle_timer()
        self._refresh_timer.start()
        self.sessionChanged.emit(session)
        self._permissions_changed()

    @Slot()
    def sign_out(self, reason: str = "") -> None:
        """End the session (audited off the GUI thread) and ask for a sign-in; `reason` is shown on the
        sign-in page ("signed out" when none is given)."""
        session = self._session
        if session is None:
            return
        self._close_prompt()
        self._session = None
        self._locked = False
        self.last_sign_out_reason = reason or self.tr("signed out")
        self._idle_timer.stop()
        self._refresh_timer.stop()
        self._watch_activity(False)
        self.jobs.run(self.auth.sign_out, self._ignore, self._on_background_error, session)
        self.signedOut.emit()
        self.sessionChanged.emit(None)
        self._permissions_changed()

    @Slot()
    def switch_user(self) -> None:
        """Shift handover: sign the current user out and show the sign-in, without restarting."""
        who = self.current_username()
        self.sign_out(self.tr("shift handover: {user} signed out, next user please sign in").format(user=who) if who
                      else self.tr("switch user"))

    # -- lock --------------------------------------------------------------------------------------------------
    @Slot()
    def lock(self) -> None:
        """Lock the screen now (the inactivity timer calls this too)."""
        session = self._session
        if session is None or self._locked:
            return
        self._close_prompt()
        self._locked = True
        self._idle_timer.stop()
        self.jobs.run(self.auth.lock, self._ignore, self._on_background_error, session)
        self.locked.emit()
        self._permissions_changed()

    def unlock(self, password: str) -> None:
        """Check the password off the GUI thread; `unlocked` or `unlockFailed(message)` follows."""
        session = self._session
        if session is None or not self._locked:
            return

        def done(result: AuthResult) -> None:
            if self._session is not session:
                return  # signed out or switched meanwhile
            if result.ok:
                self._locked = False
                self._last_activity = self._monotonic()
                self._arm_idle_timer()
                self.unlocked.emit()
                self._permissions_changed()
                self._reload_principal()
            else:
                self.unlockFailed.emit(message_text(result.message))  # a Signal(str) drops Text

        self.jobs.run(self.auth.unlock, done, self._on_unlock_error, session, password)

    def _on_unlock_error(self, exc: BaseException) -> None:
        log.error("unlock failed: %s: %s", type(exc).__name__, exc)
        self.unlockFailed.emit(self.tr("could not check the password: {error}").format(error=error_text(exc)))

    # -- inactivity --------------------------------------------------------------------------------------------
    def _watch_activity(self, on: bool) -> None:
        app = QApplication.instance()
        if app is None:
            return
        if on:
            app.installEventFilter(self)  # installing twice keeps one
        else:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self._last_activity = self._monotonic()
        return False

    def note_activity(self) -> None:
        """Count as activity (for input that does not pass through Qt events, e.g. a hardware key)."""
        self._last_activity = self._monotonic()

    def _arm_idle_timer(self, delay_s: float | None = None) -> None:
        if self._idle_timeout_s <= 0 or self._session is None or self._locked:
            self._idle_timer.stop()
            return
        wait = self._idle_timeout_s if delay_s is None else delay_s
        self._idle_timer.start(max(10, int(wait * 1000)))

    @Slot()
    def _on_idle_check(self) -> None:
        if self._session is None or self._locked or self._idle_timeout_s <= 0:
            return
        idle = self._monotonic() - self._last_activity
        if idle >= self._idle_timeout_s:
            log.info("locking the screen of %s after %.0f s without activity", self._session.username, idle)
            self.lock()
        else:
            self._arm_idle_timer(self._idle_timeout_s - idle)

    # -- re-authentication -------------------------------------------------------------------------------------
    def request_reauth(self, action_label: str, on_ok: Callable[[], None], parent: QWidget | None = None,
                       *, on_cancel: Callable[[], None] | None = None) -> bool:
        """Run `on_ok` once the password was entered recently enough.

        When the last sign-in or confirmation is older than the policy's max age (default 5 min), show a
        small non-blocking password prompt; `on_ok()` runs after a successful re-authentication. Returns
        True when `on_ok` ran at once. Nothing blocks: the caller returns immediately either way."""
        session = self._session
        if session is None:
            self.message.emit("error", self.tr("nobody is signed in: sign in first to {action}").format(
                action=action_label))
            return False
        if self._locked:
            self.message.emit("error", self.tr("the screen is locked: unlock it first"))
            return False
        if not session.needs_reauth():
            on_ok()
            return True
        self._close_prompt()
        window = parent.window() if parent is not None else None
        prompt = PasswordPrompt(action_label, session.username, window, self._prompt_modality)
        self._prompt = prompt

        def checked(result: AuthResult) -> None:
            if self._prompt is not prompt or not shiboken6.isValid(prompt):
                return  # cancelled, locked or signed out meanwhile
            if result.ok:
                self._prompt = None
                prompt.finish()
                self._permissions_changed()
                on_ok()
            else:
                prompt.show_error(message_text(result.message))

        def failed(exc: BaseException) -> None:
            if self._prompt is prompt and shiboken6.isValid(prompt):
                prompt.show_error(self.tr("could not check the password: {error}").format(error=error_text(exc)))

        def submitted(password: str) -> None:
            if self._session is not session:
                prompt.show_error(self.tr("the session changed: start again"))
                return
            self.jobs.run(self.auth.reauthenticate, checked, failed, session, password)

        def cancelled() -> None:
            if self._prompt is prompt:
                self._prompt = None
            if on_cancel is not None:
                on_cancel()

        prompt.submitted.connect(submitted)
        prompt.cancelled.connect(cancelled)
        prompt.show()
        bring_to_front(prompt)
        prompt.password.setFocus()
        return False

    @property
    def prompt(self) -> PasswordPrompt | None:
        """The open password prompt, if any."""
        return self._prompt if self._prompt is not None and shiboken6.isValid(self._prompt) else None

    def _close_prompt(self) -> None:
        prompt, self._prompt = self._prompt, None
        if prompt is not None and shiboken6.isValid(prompt):
            prompt.close()

    # -- permissions -------------------------------------------------------------------------------------------
    def can(self, action: Action | str, mill: str | None = None) -> Decision:
        """May the signed-in user do this now? Answers from the cached principal and the session's
        state (no database call); the same rules and reasons as `AuthService.decide`."""
        act = as_action(action)
        session = self._session
        if session is None:
            return Decision(False, translate("SessionController", NOBODY), act, mill)
        if session.signed_out:
            return Decision(False, self.tr("{user} is signed out: sign in again").format(user=session.username), act,
                            mill)
        principal = session.principal
        decision = self.auth.permissions.check(principal, act, mill)
        if not decision:
            return decision
        policy = self.auth.policy
        if (self._locked or session.locked) and act not in policy.allowed_while_locked:
            return Decision(False, self.tr("the screen is locked: unlock it first"), act, mill)
        if session.must_change_password and act not in policy.allowed_before_password_change:
            return Decision(False, self.tr("{user} must change the temporary password first").format(
                user=principal.username), act, mill)
        if act in policy.reauth_actions and session.needs_reauth():
            return Decision(False, self.tr("to {action}, {user} must enter the password again").format(
                action=message_text(act.phrase), user=principal.username), act, mill, needs_reauth=True)
        return decision

    def apply_permission(self, target: QWidget | QAction, action: Action | str, mill: str | None = None, *,
                         hide: bool = False) -> Decision:
        """Enable `target` only when the user may do `action` (on `mill`), with the reason as tooltip;
        kept up to date when the session changes. `hide=True` hides it when the role can never do it.
        Only for changes: never gate the e-stop trigger with this (it must always be reachable)."""
        act = as_action(action)
        for gate in self._gates:
            if gate.target is target:
                gate.action, gate.mill, gate.hide = act, mill, hide
                return self._apply(gate)
        gate = _Gate(target, act, mill, hide, target.toolTip())
        self._gates.append(gate)
        return self._apply(gate)

    def release_permission(self, target: QWidget | QAction) -> None:
        """Stop following the permission (the widget keeps its current state)."""
        self._gates = [g for g in self._gates if g.target is not target]

    def reapply_permissions(self) -> None:
        alive = []
        for gate in self._gates:
            if shiboken6.isValid(gate.target):
                self._apply(gate)
                alive.append(gate)
        self._gates = alive

    def _apply(self, gate: _Gate) -> Decision:
        decision = self.can(gate.action, gate.mill)
        usable = decision.allowed or decision.needs_reauth
        target = gate.target
        target.setEnabled(usable)
        if usable:
            tip = gate.base_tooltip
            if decision.needs_reauth:
                extra = self.tr("asks for your password first")
                tip = f"{tip}\n({extra})" if tip else extra.capitalize()
        else:
            reason = message_text(decision.reason)
            reason = reason[:1].upper() + reason[1:]
            tip = f"{gate.base_tooltip}\n{reason}" if gate.base_tooltip else reason
        target.setToolTip(tip)
        if gate.hide:
            principal = self.principal
            never = principal is not None and not self.auth.permissions.role_allows(principal.role, gate.action)
            target.setVisible(not never)
        return decision

    def _permissions_changed(self) -> None:
        self.reapply_permissions()
        self.permissionsChanged.emit()

    # -- keeping the principal fresh ---------------------------------------------------------------------------
    @Slot()
    def _on_refresh_tick(self) -> None:
        self._reload_principal()
        self.reapply_permissions()  # the re-authentication age moves with time

    def _reload_principal(self) -> None:
        session = self._session
        if session is None:
            return

        def loaded(principal: Principal | None) -> None:
            if self._session is not session:
                return
            if principal is None:
                principal = Principal(session.username, session.principal.role, session.principal.mills, False)
            if principal != session.principal:
                log.info("the account of %s changed elsewhere: %s", session.username, principal)
                session.principal = principal
                self._permissions_changed()

        self.jobs.run(self.auth.load_principal, loaded, self._on_background_error, session.username)

    # -- background outcomes -----------------------------------------------------------------------------------
    def _ignore(self, _result: object) -> None:
        pass

    def _on_background_error(self, exc: BaseException) -> None:
        log.error("session call failed: %s: %s", type(exc).__name__, exc)
        self.message.emit("error", self.tr("could not reach the user database: {error}").format(error=error_text(exc)))
