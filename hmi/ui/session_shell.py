"""Puts sign-in, screen lock, user administration and the audit view into the main window.

The banner, the header and the status bar stay outside the central stack, so alarms (and the stop
control) stay visible and usable before sign-in and while the screen is locked; the lock overlay
covers the stack only, so locking and signing out dock torn-off screens back first. Alarm actions
run as the signed-in session, checked again by the services. The header's Session menu also holds
the theme and the language (per workstation; a language takes effect at the next start) and the list
of keyboard shortcuts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMenu, QToolButton, QVBoxLayout

from hmi.core.alarms import Alarm, AlarmKey
from hmi.core.permissions import Action, PermissionDenied
from hmi.ui.domain_words import word
from hmi.ui.i18n import LANGUAGES, current_language, save_language, translate
from hmi.ui.lock_overlay import LockOverlay
from hmi.ui.main_window import MainWindow, Screen
from hmi.ui.session_controller import SessionController
from hmi.ui.shortcuts import LOCK_KEYS, SCREEN_COUNT, key_text, screen_keys
from hmi.ui.sign_in import SignInWidget
from hmi.ui.theme import THEME_TITLES, THEMES, current_theme, on_theme_changed
from hmi.ui.window_state import workstation_settings

if TYPE_CHECKING:  # built when first opened
    from hmi.ui.audit_view import AuditView
    from hmi.ui.user_admin import UserAdminView

# The theme menu's entries (theme.THEME_TITLES for a theme not listed here).
# Said in the language just chosen (the window keeps the one it was built in until the next start).
LANGUAGE_NOTICE = {
    "en": "The language is now English: it takes effect the next time Millwatch starts.",
    "nl": "De taal is nu Nederlands: dit gaat in wanneer Millwatch de volgende keer start.",
}


class SessionAlarmActions:
    """AlarmActions called with the window's user name, performed as the controller's session."""

    def __init__(self, actions: Any, controller: SessionController) -> None:
        self._actions = actions
        self._controller = controller

    def _session(self, user: str) -> Any:
        session = self._controller.session
        if session is None or session.username != user:
            if not user:
                raise PermissionDenied(translate("SessionAlarmActions", "nobody is signed in on this workstation"))
            raise PermissionDenied(
                translate("SessionAlarmActions", "{user} is not signed in on this workstation").format(user=user))
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
        self.sign_in = SignInWidget(auth, console=console, subtitle=subtitle, parent=window.stack)
        # User administration and the audit view are built when first opened (`users`, `audit`).
        self._users_service, self._audit_service, self._verify = users, audit, verify
        self._users: UserAdminView | None = None
        self._audit: AuditView | None = None
        self.users_screen = window.add_lazy_screen(QT_TRANSLATE_NOOP("Screens", "Users"), self._build_users)
        self.audit_screen = window.add_lazy_screen(QT_TRANSLATE_NOOP("Screens", "Audit"), self._build_audit)
        window.stack.addWidget(self.sign_in)
        self.overlay = LockOverlay(self.controller, window.stack)
        c = window.commands
        c.actions = SessionAlarmActions(alarm_actions, self.controller) if alarm_actions is not None else None
        c.current_user = self.controller.current_username
        window.set_alarm_actions_enabled(c.available)
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

    @property
    def users(self) -> UserAdminView:
        """The user administration screen (built now if it has not been yet)."""
        self.window.ensure_screen(self.users_screen)
        assert self._users is not None
        return self._users

    @property
    def audit(self) -> AuditView:
        """The audit screen (built now if it has not been yet)."""
        self.window.ensure_screen(self.audit_screen)
        assert self._audit is not None
        return self._audit

    def _build_users(self) -> UserAdminView:
        from hmi.ui.user_admin import UserAdminView

        mills = [(m.slug, m.name) for m in self.window.plant.mills]
        self._users = UserAdminView(self._users_service, self.controller, mills=mills, parent=self.window.stack)
        return self._users

    def _build_audit(self) -> AuditView:
        from hmi.ui.audit_view import AuditView

        self._audit = AuditView(self._audit_service, self.controller, mills=[m.slug for m in self.window.plant.mills],
                                verify=self._verify, parent=self.window.stack)
        return self._audit

    def _session_menu(self) -> QToolButton:
        """The header's menu: lock, switch user (shift handover), sign out, setup, about."""
        button = QToolButton(self.window.header)
        button.setObjectName("sessionMenu")
        button.setText(self.tr("Session \u25be"))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setToolTip(self.tr("Session, theme, language and keyboard shortcuts"))
        menu = QMenu(button)
        self.lock_action = menu.addAction(self.tr("Lock screen"), self.controller.lock)
        self.lock_action.setShortcuts([QKeySequence(k) for k in LOCK_KEYS])
        self.window.addAction(self.lock_action)  # the key works without opening the menu
        self.switch_action = menu.addAction(self.tr("Switch user\u2026"), self.controller.switch_user)
        self.sign_out_action = menu.addAction(self.tr("Sign out"), self.controller.sign_out)
        menu.addSeparator()
        self.theme_menu = self._theme_menu(menu)
        self.language_menu = self._language_menu(menu)
        self.shortcuts_menu = self._shortcuts_menu(menu)
        menu.addSeparator()
        self.setup_action = menu.addAction(self.tr("Setup wizard\u2026"), self._open_setup)
        self.controller.apply_permission(self.setup_action, Action.CHANGE_SETTINGS, hide=True)
        self.about_action = menu.addAction(self.tr("About Millwatch"), self._show_about)
        button.setMenu(menu)
        layout = self.window.header.layout()
        assert layout is not None
        layout.addWidget(button)
        return button

    def _theme_menu(self, menu: QMenu) -> QMenu:
        """Light for the control room, dark for night shifts; remembered per workstation."""
        sub = menu.addMenu(self.tr("Theme"))
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

    def _language_menu(self, menu: QMenu) -> QMenu:
        """Each language in its own words; the choice is this workstation's, from the next start on
        (widgets fetch their texts when they are built)."""
        sub = menu.addMenu(self.tr("Language"))
        group = QActionGroup(sub)
        group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        current = current_language()
        for code, name in LANGUAGES.items():
            action = sub.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            group.addAction(action)
            self.language_actions[code] = action
        return sub

    def set_language(self, code: str) -> None:
        """Remember `code` as this workstation's language and say, in that language, when it applies."""
        state = self.window.window_state
        settings = state.settings if state is not None else workstation_settings()
        save_language(settings, code)
        self.language_actions[code].setChecked(True)
        self.window.messages.show_message("info", LANGUAGE_NOTICE.get(code, LANGUAGE_NOTICE["en"]))

    def _shortcuts_menu(self, menu: QMenu) -> QMenu:
        """The list of keyboard shortcuts: the window's own actions (choosing one runs it)."""
        sub = menu.addMenu(self.tr("Keyboard shortcuts"))
        actions = self.window.shortcuts.actions
        for key in ("acknowledge", "next_alarm", "silence", "search"):
            sub.addAction(actions[key])
        sub.addAction(self.lock_action)
        sub.addAction(actions["full_screen"])
        keys = f"{screen_keys(1)} \u2026 {screen_keys(SCREEN_COUNT)}"
        screens = sub.addAction(self.tr("Screens in tab order") + f"\t{keys}")
        screens.setEnabled(False)
        tear = sub.addAction(self.tr("Tear a screen off: right-click its tab") + f"\t{key_text(['Menu'])}")
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
        box.setWindowTitle(self.tr("About Millwatch"))
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setFixedSize(460, 170)  # fixed before show(): no size-hint warnings on any platform
        text = QLabel(self.tr("Millwatch HMI {version}\n\nThe remote stop of this software supplements, and never "
                              "replaces, the mill's hardwired emergency stop.").format(version=hmi.__version__), box)
        text.setWordWrap(True)
        QVBoxLayout(box).addWidget(text)
        box.text = text.text  # type: ignore[attr-defined]
        box.show()
        self._about = box

    @Slot(object)
    def _on_session(self, session: Any) -> None:
        w = self.window
        w.nav.setEnabled(session is not None)
        w.hide_quick_search()
        if session is None:
            w.tear_off.dock_all()
            w.set_search_mills(set())
            w.stack.setCurrentWidget(self.sign_in)
            self.sign_in.reset(self.controller.last_sign_out_reason)
            w.header.set_user(self.tr("not signed in"))
            for a in (self.lock_action, self.switch_action, self.sign_out_action):
                a.setEnabled(False)
        else:
            w.show_screen(Screen.OVERVIEW)  # the plant at a glance first
            w.header.set_user(f"{session.username} \u00b7 {word(session.principal.role).lower()}")
            for a in (self.lock_action, self.switch_action, self.sign_out_action):
                a.setEnabled(True)
            w.set_search_mills(self._visible_mills(session))
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
        for part in (self.controller, self.sign_in, self._users, self._audit):  # the screens that were built
            if part is not None:
                part.shutdown()
