"""Puts sign-in, screen lock, user administration and the audit view into the main window.

The banner, the header and the status bar stay outside the central stack, so alarms (and the stop
control) stay visible and usable before sign-in and while the screen is locked; the lock overlay
covers the stack only, so locking and signing out dock torn-off screens back first. Alarm actions
run as the signed-in session, checked again by the services. The header's Session menu also holds
the theme (per workstation) and the list of keyboard shortcuts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMenu, QToolButton, QVBoxLayout

from hmi.core.alarms import Alarm, AlarmKey
from hmi.core.permissions import Action, PermissionDenied
from hmi.ui.audit_view import AuditView
from hmi.ui.lock_overlay import LockOverlay
from hmi.ui.main_window import MainWindow, Screen
from hmi.ui.session_controller import SessionController
from hmi.ui.shortcuts import LOCK_KEYS, SCREEN_COUNT, key_text, screen_keys
from hmi.ui.sign_in import SignInWidget
from hmi.ui.theme import THEME_TITLES, THEMES, current_theme, on_theme_changed
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
        self.controller_auth = auth
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
        self.controller.locked.connect(window.tear_off.dock_all)  # the overlay covers only the stack
        self.controller.signedOut.connect(window.tear_off.dock_all)
        self._start_screen_pending = True
        self.menu_button = self._session_menu()
        self._on_session(None)

    def _session_menu(self) -> QToolButton:
        """The header's menu: lock, switch user (shift handover), sign out, setup, about."""
        button = QToolButton(self.window.header)
        button.setObjectName("sessionMenu")
        button.setText("Session \u25be")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setToolTip("Session, theme and keyboard shortcuts")
        menu = QMenu(button)
        self.lock_action = menu.addAction("Lock screen", self.controller.lock)
        self.lock_action.setShortcuts([QKeySequence(k) for k in LOCK_KEYS])
        self.window.addAction(self.lock_action)  # the key works without opening the menu
        self.switch_action = menu.addAction("Switch user\u2026", self.controller.switch_user)
        self.sign_out_action = menu.addAction("Sign out", self.controller.sign_out)
        menu.addSeparator()
        self.theme_menu = self._theme_menu(menu)
        self.shortcuts_menu = self._shortcuts_menu(menu)
        menu.addSeparator()
        self.setup_action = menu.addAction("Setup wizard\u2026", self._open_setup)
        self.controller.apply_permission(self.setup_action, Action.CHANGE_SETTINGS, hide=True)
        self.about_action = menu.addAction("About Millwatch", self._show_about)
        button.setMenu(menu)
        layout = self.window.header.layout()
        assert layout is not None
        layout.addWidget(button)
        return button

    def _theme_menu(self, menu: QMenu) -> QMenu:
        """Light for the control room, dark for night shifts; remembered per workstation."""
        sub = menu.addMenu("Theme")
        group = QActionGroup(sub)
        group.setExclusive(True)
        self.theme_actions: dict[str, QAction] = {}
        for name in THEMES:
            action = sub.addAction(THEME_TITLES.get(name, name.capitalize()))
            action.setCheckable(True)
            action.setChecked(name == current_theme())
            action.triggered.connect(lambda _checked=False, n=name: self.window.set_theme(n))
            group.addAction(action)
            self.theme_actions[name] = action
        on_theme_changed(sub, lambda theme: self.theme_actions[theme].setChecked(True))
        return sub

    def _shortcuts_menu(self, menu: QMenu) -> QMenu:
        """The list of keyboard shortcuts: the window's own actions (choosing one runs it)."""
        sub = menu.addMenu("Keyboard shortcuts")
        actions = self.window.shortcuts.actions
        for key in ("acknowledge", "next_alarm", "silence", "search"):
            sub.addAction(actions[key])
        sub.addAction(self.lock_action)
        sub.addAction(actions["full_screen"])
        screens = sub.addAction(f"Screens in tab order\t{screen_keys(1)} \u2026 {screen_keys(SCREEN_COUNT)}")
        screens.setEnabled(False)
        tear = sub.addAction(f"Tear a screen off: right-click its tab\t{key_text(['Menu'])}")
        tear.setEnabled(False)
        return sub

    def shortcut_list(self) -> list[tuple[str, str]]:
        """(what, keys) for every entry of the shortcuts list, as shown."""
        out = []
        for a in self.shortcuts_menu.actions():
            text, _, keys = a.text().partition("\t")
            out.append((text, keys or key_text([k.toString() for k in a.shortcuts()])))
        return out

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
        return self.window.add_screen(title, widget)

    @Slot(object)
    def _on_session(self, session: Any) -> None:
        w = self.window
        w.nav.setEnabled(session is not None)
        w.quick_search.hide()
        if session is None:
            w.tear_off.dock_all()
            w.quick_search.set_visible_mills(set())
            w.stack.setCurrentWidget(self.sign_in)
            self.sign_in.reset(self.controller.last_sign_out_reason)
            w.header.set_user("not signed in")
            for a in (self.lock_action, self.switch_action, self.sign_out_action):
                a.setEnabled(False)
        else:
            w.show_screen(Screen.OVERVIEW)  # the plant at a glance first
            w.header.set_user(f"{session.username} \u00b7 {session.principal.role.value}")
            for a in (self.lock_action, self.switch_action, self.sign_out_action):
                a.setEnabled(True)
            w.quick_search.set_visible_mills(self._visible_mills(session))
        # after every handler of this change (the workspace hides screens a role has no use for)
        QTimer.singleShot(0, self, self._after_session)

    def _visible_mills(self, session: Any) -> set[str] | None:
        permissions = getattr(self.controller_auth, "permissions", None)
        if permissions is None:
            return None
        return set(permissions.visible_mills(session.principal, [m.slug for m in self.window.plant.mills]))

    @Slot()
    def _after_session(self) -> None:
        """The Ctrl+N tooltips of the tabs now visible; at the first sign-in, the screen that was open
        when the app last closed (if this role sees it)."""
        w = self.window
        w.shortcuts.update_screen_tips()
        if self.controller.session is None or not w.nav.isEnabled():
            return
        if self._start_screen_pending and w.start_screen:
            self._start_screen_pending = False
            w.show_screen_titled(w.start_screen)

    def shutdown(self) -> None:
        self.overlay.shutdown()
        for part in (self.controller, self.sign_in, self.users, self.audit):
            part.shutdown()
