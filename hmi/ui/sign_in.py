"""The sign-in screen: a calm centred card with the product name, username, password and one button.

The check runs on a worker thread (argon2 takes 50-100 ms, a shared database may be slow), so the
window, the alarm banner and the e-stop keep working meanwhile. The message line says what the
service said: "wrong username or password", "wait 4 s before trying again" (counting down),
"account locked ...", "this account is deactivated ...". A temporary password leads to a second
step (new password twice, the policy checked as it is typed) before `signedIn(session)` fires.

`SignInWidget` is a page for the main window's central stack (the start screen and after a sign-out);
`SignInWindow` is the same card in a non-modal top-level window.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.core.errors import ValidationError
from hmi.services.auth import AuthResult, AuthService, AuthStatus, Session
from hmi.ui.i18n import message_text
from hmi.ui.session_controller import error_text, set_message, style_widget
from hmi.ui.theme import set_state_property
from hmi.ui.worker import Jobs

PRODUCT_NAME = "Millwatch"  # a name: the same in every language
CARD_WIDTH = 500


def _label(text: str, name: str, parent: QWidget, *, wrap: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


def _field(parent: QWidget, name: str, placeholder: str, *, password: bool = False) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setPlaceholderText(placeholder)
    field.setMaxLength(128)
    if password:
        field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class SignInWidget(QWidget):
    """The sign-in card; `signedIn(Session)` once the user is in (after any forced password change)."""

    signedIn = Signal(object)

    def __init__(self, auth: AuthService, *, console: str = "", product_name: str = PRODUCT_NAME,
                 subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        style_widget(self)
        self.auth = auth
        self.console = console
        self.jobs = Jobs("sign-in", self)
        self._pending: Session | None = None  # signed in, but must change the temporary password
        self._old_password = ""
        self._wait_until = 0.0
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(250)
        self._wait_timer.timeout.connect(self._on_wait_tick)

        self.card = QFrame(self)
        self.card.setObjectName("card")
        self.card.setFixedWidth(CARD_WIDTH)
        self.card.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Maximum)
        card = QVBoxLayout(self.card)
        card.setContentsMargins(36, 30, 36, 28)
        card.setSpacing(8)
        self.title = _label(product_name, "cardTitle", self.card)
        self.subtitle = _label(subtitle or self.tr("Workstation {host}").format(host=auth.host), "cardSubtitle",
                               self.card)
        rule = QFrame(self.card)
        rule.setObjectName("cardRule")
        rule.setFixedHeight(1)
        card.addWidget(self.title)
        card.addWidget(self.subtitle)
        card.addSpacing(6)
        card.addWidget(rule)
        card.addSpacing(8)

        self.pages = QStackedWidget(self.card)
        self.pages.addWidget(self._credentials_page())
        self.pages.addWidget(self._change_page())
        card.addWidget(self.pages)
        self.message = _label("", "messageStrip", self.card, wrap=True)
        self.message.setMinimumHeight(44)
        card.addWidget(self.message)
        set_message(self.message, "")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(3)

        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.sign_in_button)
        self.setTabOrder(self.new_password, self.repeat_password)
        self.setTabOrder(self.repeat_password, self.change_button)
        self.setTabOrder(self.change_button, self.cancel_change_button)
        self.setFocusProxy(self.username)

    # -- pages -------------------------------------------------------------------------------------------------
    def _credentials_page(self) -> QWidget:
        page = QWidget(self.card)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.username = _field(page, "usernameField", "")
        self.password = _field(page, "passwordField", "", password=True)
        self.sign_in_button = QPushButton(self.tr("Sign in"), page)
        self.sign_in_button.setObjectName("primaryButton")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setMinimumHeight(48)
        user_label = _label(self.tr("Username"), "fieldLabel", page)
        user_label.setBuddy(self.username)
        pw_label = _label(self.tr("Password"), "fieldLabel", page)
        pw_label.setBuddy(self.password)
        layout.addWidget(user_label)
        layout.addWidget(self.username)
        layout.addSpacing(6)
        layout.addWidget(pw_label)
        layout.addWidget(self.password)
        layout.addSpacing(14)
        layout.addWidget(self.sign_in_button)
        layout.addSpacing(4)
        layout.addWidget(_label(self.tr("Forgotten password or locked account? Ask an administrator."), "hint", page,
                                wrap=True))
        self.username.returnPressed.connect(self._on_username_return)
        self.password.returnPressed.connect(self.submit)
        self.sign_in_button.clicked.connect(self.submit)
        self.username.textEdited.connect(self._on_username_edited)
        return page

    def _change_page(self) -> QWidget:
        page = QWidget(self.card)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        heading = _label(self.tr("Choose a new password"), "cardHeading", page)
        self.change_intro = _label("", "cardText", page, wrap=True)
        self.new_password = _field(page, "newPasswordField", "", password=True)
        self.repeat_password = _field(page, "repeatPasswordField", "", password=True)
        self.policy_hint = _label("", "hint", page, wrap=True)
        self.policy_hint.ensurePolished()
        self.policy_hint.setMinimumHeight(2 * self.policy_hint.fontMetrics().lineSpacing() + 6)  # room for 2 lines
        self.policy_hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.change_button = QPushButton(self.tr("Change password"), page)
        self.change_button.setObjectName("primaryButton")
        self.change_button.setMinimumHeight(48)
        self.cancel_change_button = QPushButton(self.tr("Cancel"), page)
        new_label = _label(self.tr("New password"), "fieldLabel", page)
        new_label.setBuddy(self.new_password)
        repeat_label = _label(self.tr("Repeat new password"), "fieldLabel", page)
        repeat_label.setBuddy(self.repeat_password)
        layout.addWidget(heading)
        layout.addWidget(self.change_intro)
        layout.addSpacing(8)
        layout.addWidget(new_label)
        layout.addWidget(self.new_password)
        layout.addSpacing(6)
        layout.addWidget(repeat_label)
        layout.addWidget(self.repeat_password)
        layout.addWidget(self.policy_hint)
        layout.addSpacing(8)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_change_button)
        buttons.addWidget(self.change_button, 1)
        layout.addLayout(buttons)
        self.new_password.textEdited.connect(self._on_new_password_edited)
        self.repeat_password.textEdited.connect(self._on_new_password_edited)
        self.new_password.returnPressed.connect(self.repeat_password.setFocus)
        self.repeat_password.returnPressed.connect(self.submit_change)
        self.change_button.clicked.connect(self.submit_change)
        self.cancel_change_button.clicked.connect(self.cancel_change)
        return page

    # -- public ------------------------------------------------------------------------------------------------
    @property
    def changing_password(self) -> bool:
        return self.pages.currentIndex() == 1

    @property
    def busy(self) -> bool:
        return self.jobs.busy

    @Slot()
    def reset(self, message: str = "") -> None:
        """Back to an empty form (after a sign-out or a switch of user), with an optional note."""
        if self._pending is not None:
            self._abandon_pending()
        self._stop_wait()
        self.username.clear()
        self.password.clear()
        self.new_password.clear()
        self.repeat_password.clear()
        self.pages.setCurrentIndex(0)
        self._set_busy(False)
        set_message(self.message, message, "info")
        self.username.setFocus()

    def shutdown(self) -> None:
        self._wait_timer.stop()
        self.jobs.close()

    # -- step 1: credentials -----------------------------------------------------------------------------------
    @Slot()
    def _on_username_return(self) -> None:
        if self.password.text():
            self.submit()
        else:
            self.password.setFocus()

    @Slot()
    def submit(self) -> None:
        if self.busy or self.changing_password:
            return
        username = self.username.text().strip()
        password = self.password.text()
        if not username:
            set_message(self.message, self.tr("enter your username"), "error")
            self.username.setFocus()
            return
        if not password:
            set_message(self.message, self.tr("enter your password"), "error")
            self.password.setFocus()
            return
        self._stop_wait()
        self._set_busy(True)
        set_message(self.message, self.tr("Signing in\u2026"), "busy")
        self.jobs.run(self.auth.sign_in, lambda r: self._on_signed_in(r, password), self._on_call_failed,
                      username, password, console=self.console)

    def _on_signed_in(self, result: AuthResult, password: str) -> None:
        self._set_busy(False)
        if result.ok and result.session is not None:
            if result.must_change_password:
                self._start_change(result.session, password)
                return
            self._finish(result.session)
            return
        self.password.clear()
        if result.status is AuthStatus.WAIT and result.retry_after:
            self._wait_until = time.monotonic() + result.retry_after
            self._wait_timer.start()
            self._on_wait_tick()
        else:
            set_message(self.message, _sentence(message_text(result.message)), "error")
        if result.status in (AuthStatus.LOCKED, AuthStatus.INACTIVE):
            self.username.selectAll()
            self.username.setFocus()
        else:
            self.password.setFocus()

    @Slot(str)
    def _on_username_edited(self, _text: str) -> None:
        if self._wait_timer.isActive():  # the delay belongs to the other account
            self._stop_wait()
            set_message(self.message, "")

    @Slot()
    def _on_wait_tick(self) -> None:
        remaining = self._wait_until - time.monotonic()
        if remaining <= 0:
            self._stop_wait()
            set_message(self.message, self.tr("You may try again."), "info")
            return
        set_message(self.message, self.tr("Wait {n} s before trying again.").format(n=math.ceil(remaining)), "error")

    def _stop_wait(self) -> None:
        self._wait_timer.stop()
        self._wait_until = 0.0

    # -- step 2: temporary password ----------------------------------------------------------------------------
    def _start_change(self, session: Session, old_password: str) -> None:
        self._pending = session
        self._old_password = old_password
        self.password.clear()
        self.change_intro.setText(
            self.tr("The password of {user} is temporary: replace it to continue.").format(user=session.username))
        self.new_password.clear()
        self.repeat_password.clear()
        self._show_policy_hint()
        self.pages.setCurrentIndex(1)
        set_message(self.message, "")
        self.new_password.setFocus()

    def _policy_problems(self) -> list[str]:
        username = self._pending.username if self._pending is not None else ""
        new = self.new_password.text()
        problems = [message_text(p) for p in self.auth.policy.password_policy.problems(new, username)]
        if new and new == self._old_password:
            problems.insert(0, self.tr("the new password must differ from the temporary one"))
        return problems

    def _show_policy_hint(self) -> None:
        new, repeat = self.new_password.text(), self.repeat_password.text()
        problems = self._policy_problems()
        if not new:
            min_len = self.auth.policy.password_policy.min_length
            text, level = self.tr("At least {n} characters, not containing your username.").format(n=min_len), ""
        elif problems:
            text, level = _sentence(problems[0]), "error"
        elif repeat and repeat != new:
            text, level = self.tr("The two passwords differ."), "error"
        elif not repeat:
            text, level = self.tr("Good. Now repeat it."), "ok"
        else:
            text, level = self.tr("Good: the passwords match."), "ok"
        self.policy_hint.setText(text)
        set_state_property(self.policy_hint, "level", level)

    @Slot(str)
    def _on_new_password_edited(self, _text: str) -> None:
        self._show_policy_hint()

    @Slot()
    def submit_change(self) -> None:
        session = self._pending
        if session is None or self.busy:
            return
        new, repeat = self.new_password.text(), self.repeat_password.text()
        problems = self._policy_problems()
        if problems or not new:
            self._show_policy_hint()  # the hint under the fields says what is wrong
            self.new_password.setFocus()
            return
        if new != repeat:
            self.repeat_password.clear()
            self.policy_hint.setText(self.tr("The two passwords differ: repeat the new password."))
            set_state_property(self.policy_hint, "level", "error")
            self.repeat_password.setFocus()
            return
        self._set_busy(True)
        set_message(self.message, self.tr("Changing the password\u2026"), "busy")
        self.jobs.run(self.auth.change_password, self._on_changed, self._on_change_failed,
                      session, self._old_password, new)

    def _on_changed(self, result: AuthResult) -> None:
        self._set_busy(False)
        session = self._pending
        if result.ok and session is not None:
            self._finish(session)
            return
        set_message(self.message, _sentence(message_text(result.message)), "error")

    def _on_change_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        set_message(self.message, _sentence(error_text(exc)), "error")
        if isinstance(exc, ValidationError):
            self.new_password.setFocus()

    @Slot()
    def cancel_change(self) -> None:
        """Give up the forced change: the half-open session is signed out."""
        self.reset(self.tr("Signed out: the temporary password was not changed."))

    def _abandon_pending(self) -> None:
        session, self._pending = self._pending, None
        self._old_password = ""
        if session is not None:
            self.jobs.run(self.auth.sign_out, _ignore, _ignore, session)

    # -- common ------------------------------------------------------------------------------------------------
    def _finish(self, session: Session) -> None:
        self._pending = None
        self._old_password = ""
        self.password.clear()
        self.new_password.clear()
        self.repeat_password.clear()
        self.pages.setCurrentIndex(0)
        set_message(self.message, "")
        self.signedIn.emit(session)

    def _on_call_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        set_message(self.message, self.tr("Cannot sign in now: {error}").format(error=error_text(exc)), "error")

    def _set_busy(self, busy: bool) -> None:
        for field in (self.username, self.password, self.new_password, self.repeat_password):
            field.setReadOnly(busy)  # read-only, not disabled: the focus stays where it was
        for button in (self.sign_in_button, self.change_button, self.cancel_change_button):
            button.setEnabled(not busy)
        self.sign_in_button.setText(self.tr("Signing in\u2026") if busy and not self.changing_password
                                    else self.tr("Sign in"))


class SignInWindow(QWidget):
    """The sign-in card in a top-level window of its own; never modal."""

    signedIn = Signal(object)

    def __init__(self, auth: AuthService, *, console: str = "", product_name: str = PRODUCT_NAME,
                 subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("signInWindow")
        self.setWindowTitle(self.tr("{product} \u2014 sign in").format(product=product_name))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setMinimumSize(640, 600)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = SignInWidget(auth, console=console, product_name=product_name, subtitle=subtitle, parent=self)
        layout.addWidget(self.form)
        self.form.signedIn.connect(self.signedIn)

    def shutdown(self) -> None:
        self.form.shutdown()


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _ignore(_value: object) -> None:
    pass
