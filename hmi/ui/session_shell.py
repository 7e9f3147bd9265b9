"""Puts sign-in, screen lock, user administration and the audit view into the main window.

The banner, the header and the status bar stay outside the central stack, so alarms (and the stop
control) stay visible and usable before sign-in and while the screen is locked; the lock overlay
covers the stack only. Alarm actions run as the signed-in session, checked again by the services.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QDialog, QLabel, QMenu, QToolButton, QVBoxLayout

from hmi.core.alarms import Alarm, AlarmKey
from hmi.core.permissions import Action, PermissionDenied
from hmi.ui.audit_view import AuditView
from hmi.ui.lock_overlay import LockOverlay
from hmi.ui.main_window import MainWindow, Screen
from hmi.ui.session_controller import SessionController
from hmi.ui.sign_in import SignInWidget
from hmi.ui.user_admin import UserAdminView


class SessionAlarmActions:
    """AlarmActions called with the window's user name, performed as the controller's session."""

    def __init__(self, actions: Any, controller: SessionController) -> None:
        self._actions = actions
        self._controller = controller

    def _session(self, user: str) -> Any:
        session = self._controller.session
        if session is None or session.username != user:
            raise PermissionDenied(f"{user or 'nobody'} is not signed in on this workstation")
        return session

    def acknowledge(self, user: str, key: AlarmKey, comment: str = "") -> Alarm:
        return self._actions.acknowledge(self._session(user), key, comment)

    def acknowledge_all(self, user: str, keys: Sequence[AlarmKey], comment: str = "") -> list[Alarm]:
        return self._actions.acknowledge_all(self._session(user), keys, comment)

    def shelve(self, user: str, key: AlarmKey, minutes: float, reason: str) -> Alarm:
        return self._actions.shelve(self._session(user), key, minutes, reason)

    def unshelve(self, user: str, key: AlarmKey, comment: str = "") -> Alarm:
        return self._actions.unshelve(self._session(user), key, comment)

    def reset(self, user: str, key: AlarmKey, comment: str = "") -> Alarm:
        return self._actions.reset(self._session(user), key, comment)


class SessionShell(QObject):
    def __init__(
        self,
        window: MainWindow,
        auth: Any,
        *,
        users: Any,
        audit: Any,
        alarm_actions: Any | None,
        verify: Callable[[], Any] | None = None,
        idle_timeout_s: float = 900.0,
        console: str = "",
        subtitle: str = "",
    ) -> None:
        super().__init__(window)
        self.window = window
        self.controller = SessionController(auth, idle_timeout_s=idle_timeout_s, parent=window)
        mills = [(m.slug, m.name) for m in window.plant.mills]
        self.sign_in = SignInWidget(auth, console=console, subtitle=subtitle, parent=window.stack)
        self.users = UserAdminView(users, self.controller, mills=mills, parent=window.stack)
        self.audit = AuditView(audit, self.controller, mills=[m.slug for m in window.plant.mills], verify=verify,
                               parent=window.stack)
        self.users_screen = self._add_screen("Users", self.users)
        self.audit_screen = self._add_screen("Audit", self.audit)
        window.stack.addWidget(self.sign_in)
        self.overlay = LockOverlay(self.controller, window.stack)
        c = window.commands
        c.actions = SessionAlarmActions(alarm_actions, self.controller) if alarm_actions is not None else None
        c.current_user = self.controller.current_username
        window.banner.set_actions_enabled(c.available)
        window.alarm_summary.set_actions_enabled(c.available)
        self.controller.apply_permission(window.nav.button(self.users_screen), Action.MANAGE_USERS, hide=True)
        self.controller.apply_permission(window.nav.button(self.audit_screen), Action.EXPORT, hide=True)
        self.sign_in.signedIn.connect(self.controller.set_session)
        self.controller.sessionChanged.connect(self._on_session)
        self.controller.message.connect(window.messages.show_message)
        self.menu_button = self._session_menu()
        self._on_session(None)

    def _session_menu(self) -> QToolButton:
        """The header's menu: lock, switch user (shift handover), sign out, setup, about."""
        button = QToolButton(self.window.header)
        button.setObjectName("sessionMenu")
        button.setText("Session \u25be")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        self.lock_action = menu.addAction("Lock screen", self.controller.lock)
        self.switch_action = menu.addAction("Switch user\u2026", self.controller.switch_user)
        self.sign_out_action = menu.addAction("Sign out", self.controller.sign_out)
        menu.addSeparator()
        self.setup_action = menu.addAction("Setup wizard\u2026", self._open_setup)
        self.controller.apply_permission(self.setup_action, Action.CHANGE_SETTINGS, hide=True)
        self.about_action = menu.addAction("About Millwatch", self._show_about)
        button.setMenu(menu)
        layout = self.window.header.layout()
        assert layout is not None
        layout.addWidget(button)
        return button

    @Slot()
    def _open_setup(self) -> None:
        from hmi.ui.wizard import open_setup_wizard

        self._wizard = open_setup_wizard(self.window)  # non-modal, prefilled from the settings file

    @Slot()
    def _show_about(self) -> None:
        import hmi

        box = QDialog(self.window)
        box.setWindowTitle("About Millwatch")
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setFixedSize(460, 170)  # fixed before show(): no size-hint warnings on any platform
        text = QLabel(f"Millwatch HMI {hmi.__version__}\n\nThe remote stop of this software supplements, and never "
                      "replaces, the mill's hardwired emergency stop.", box)
        text.setWordWrap(True)
        QVBoxLayout(box).addWidget(text)
        box.text = text.text  # type: ignore[attr-defined]
        box.show()
        self._about = box

    def _add_screen(self, title: str, widget: Any) -> int:
        index = self.window.nav.add_screen(title)
        assert self.window.stack.addWidget(widget) == index
        return index

    @Slot(object)
    def _on_session(self, session: Any) -> None:
        w = self.window
        w.nav.setEnabled(session is not None)
        if session is None:
            w.stack.setCurrentWidget(self.sign_in)
            self.sign_in.reset(self.controller.last_sign_out_reason)
            w.header.set_user("not signed in")
            for a in (self.lock_action, self.switch_action, self.sign_out_action):
                a.setEnabled(False)
        else:
            w.show_screen(Screen.SENSORS)
            w.header.set_user(f"{session.username} \u00b7 {session.principal.role.value}")
            for a in (self.lock_action, self.switch_action, self.sign_out_action):
                a.setEnabled(True)

    def shutdown(self) -> None:
        for part in (self.controller, self.sign_in, self.users, self.audit):
            part.shutdown()
