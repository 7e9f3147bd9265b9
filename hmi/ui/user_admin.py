"""User management for admins: the accounts in a table, and inline forms to create, edit, reset,
unlock, deactivate and reactivate them.

Every call goes to `UserService` on a worker thread with the signed-in session as the actor: the
service checks `manage_users`, audits, and refuses with a sentence ("cannot deactivate root: root
is the last active admin") that the message strip shows. Changing anything asks for the password
again when the last sign-in is older than the policy's limit (`SessionController.request_reauth`).
Without `manage_users` the whole view is disabled and says why.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.core.domain import Role
from hmi.core.errors import ValidationError
from hmi.core.permissions import Action, PermissionDenied
from hmi.services.users import UserInfo, UserService
from hmi.ui.domain_words import word
from hmi.ui.i18n import TrMap, fmt_datetime, message_text, translate
from hmi.ui.session_controller import SessionController, error_text, set_message, style_widget
from hmi.ui.table_model import HeaderedTableModel
from hmi.ui.theme import set_state_property
from hmi.ui.worker import Jobs
from hmi.ui.wrap_layout import WrapLayout

UserRole = Qt.ItemDataRole.UserRole + 1
_INDEX = QModelIndex | QPersistentModelIndex
# No look-alike characters: the temporary password is read out or written down at a shift change.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
FORM_WIDTH = 430


def temporary_password(groups: int = 4, size: int = 4) -> str:
    """A random temporary password such as "Kq7m-3Xp9-Wt4z-Hc2v" (19 characters)."""
    return "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(size)) for _ in range(groups))


def _when(ts: datetime | None) -> str:
    return fmt_datetime(ts.timestamp(), seconds=False) if ts is not None else ""


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _mills_text(u: UserInfo) -> str:
    if u.role is Role.ADMIN:
        return translate("UserAdmin", "all mills")
    return ", ".join(u.mills) or translate("UserAdmin", "no mills")


def _role_text(role: Role) -> str:
    """A role as the user table and the messages write it (lower case, as in a sentence)."""
    return word(role).lower()


def _failure(exc: BaseException) -> str:
    """A refusal or validation error in its own words (in the user's language), else what failed."""
    if isinstance(exc, PermissionDenied | ValidationError | PermissionError):
        return message_text(exc)
    return error_text(exc)


class UserTableModel(HeaderedTableModel):
    """The accounts as rows (adapter over `UserService.list_users()`)."""

    HEADERS = (
        QT_TRANSLATE_NOOP("UserTableModel", "Username"), QT_TRANSLATE_NOOP("UserTableModel", "Name"),
        QT_TRANSLATE_NOOP("UserTableModel", "Role"), QT_TRANSLATE_NOOP("UserTableModel", "Mills"),
        QT_TRANSLATE_NOOP("UserTableModel", "Status"), QT_TRANSLATE_NOOP("UserTableModel", "Last sign-in"),
        QT_TRANSLATE_NOOP("UserTableModel", "Failed"), QT_TRANSLATE_NOOP("UserTableModel", "Locked until"),
    )
    HEADERS_CONTEXT = "UserTableModel"
    USERNAME, NAME, ROLE, MILLS, STATUS, LAST, FAILED, LOCKED = range(8)

    def __init__(self, now: Callable[[], datetime] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._users: list[UserInfo] = []
        self._now = now or (lambda: datetime.now(UTC))
        self._muted = QFont()
        self._muted.setItalic(True)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_users(self, users: Sequence[UserInfo]) -> None:
        self.beginResetModel()
        self._users = list(users)
        self.endResetModel()

    def users(self) -> list[UserInfo]:
        return list(self._users)

    def user(self, row: int) -> UserInfo | None:
        return self._users[row] if 0 <= row < len(self._users) else None

    def row_of(self, username: str) -> int:
        for i, u in enumerate(self._users):
            if u.username == username:
                return i
        return -1

    def row_count(self) -> int:
        return len(self._users)

    def _locked(self, u: UserInfo) -> bool:
        return u.locked_until is not None and u.locked_until > self._now()

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        u = self._users[index.row()]
        col = index.column()
        if role == UserRole:
            return u
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(u, col)
        if role == Qt.ItemDataRole.FontRole:
            if not u.active:
                return self._muted
            if col == self.LOCKED and self._locked(u):
                return self._bold
            return None
        if role == Qt.ItemDataRole.ForegroundRole and not u.active:
            return Qt.GlobalColor.darkGray
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.FAILED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.MILLS and u.role is Role.ADMIN:
            return translate("UserTableModel", "Admins see and act on every mill")
        return None

    def _text(self, u: UserInfo, col: int) -> str:
        if col == self.USERNAME:
            return u.username
        if col == self.NAME:
            return u.display_name
        if col == self.ROLE:
            return _role_text(u.role)
        if col == self.MILLS:
            return _mills_text(u)
        if col == self.STATUS:
            if not u.active:
                return translate("UserTableModel", "deactivated")
            if u.must_change_password:
                return translate("UserTableModel", "must change password")
            return translate("UserTableModel", "active")
        if col == self.LAST:
            if u.last_login_at is None:
                return translate("UserTableModel", "never")
            return f"{_when(u.last_login_at)} \u00b7 {u.last_login_host}" if u.last_login_host \
                else _when(u.last_login_at)
        if col == self.FAILED:
            return str(u.failed_attempts) if u.failed_attempts else ""
        if col == self.LOCKED:
            return _when(u.locked_until) if self._locked(u) else ""
        return ""


class UserForm(QFrame):
    """The inline form: "new", "edit" or "reset" mode. The view reads its fields."""

    TITLES: ClassVar[TrMap[str]] = TrMap("UserForm", {
        "new": QT_TRANSLATE_NOOP("UserForm", "New user"),
        "edit": QT_TRANSLATE_NOOP("UserForm", "Edit user: {user}"),
        "reset": QT_TRANSLATE_NOOP("UserForm", "Reset password: {user}"),
    })
    SUBMIT: ClassVar[TrMap[str]] = TrMap("UserForm", {
        "new": QT_TRANSLATE_NOOP("UserForm", "Create user"),
        "edit": QT_TRANSLATE_NOOP("UserForm", "Save changes"),
        "reset": QT_TRANSLATE_NOOP("UserForm", "Set temporary password"),
    })

    def __init__(self, mills: Sequence[tuple[str, str]], policy_problems: Callable[[str, str], list[str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formPanel")
        self.setMinimumWidth(FORM_WIDTH)
        self.mode = "new"
        self._policy_problems = policy_problems
        grid = QGridLayout(self)
        grid.setContentsMargins(18, 16, 18, 16)
        grid.setVerticalSpacing(6)
        self.title = QLabel(self)
        self.title.setObjectName("cardHeading")
        self.username = QLineEdit(self)
        self.username.setPlaceholderText(self.tr("e.g. ana"))
        self.username.setMaxLength(64)
        self.display_name = QLineEdit(self)
        self.display_name.setPlaceholderText(self.tr("e.g. Ana Silva"))
        self.display_name.setMaxLength(128)
        self.role = QComboBox(self)
        for choice in (Role.OPERATOR, Role.TECHNICIAN, Role.VIEWER, Role.ADMIN):
            self.role.addItem(_role_text(choice), choice)
        self.mills = QListWidget(self)
        self.mills.setObjectName("millPicker")
        self.mills.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for slug, name in mills:
            item = QListWidgetItem(f"{name} ({slug})" if name and name != slug else slug, self.mills)
            item.setData(Qt.ItemDataRole.UserRole, slug)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.mills.setFixedHeight(min(6, max(2, len(mills))) * 36 + 8)
        self.mills_hint = QLabel(self)
        self.mills_hint.setObjectName("hint")
        self.password = QLineEdit(self)
        self.password.setPlaceholderText(self.tr("Temporary password"))
        self.password.setMaxLength(128)
        self.generate = QPushButton(self.tr("Generate"), self)
        self.password_hint = QLabel(self)
        self.password_hint.setObjectName("hint")
        self.password_hint.setWordWrap(True)
        self.password_hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.password_hint.ensurePolished()
        self.password_hint.setMinimumHeight(2 * self.password_hint.fontMetrics().lineSpacing() + 4)
        self.cancel = QPushButton(self.tr("Cancel"), self)
        self.submit = QPushButton(self)
        self.submit.setObjectName("primaryButton")

        self._rows: dict[str, list[QWidget]] = {}
        r = 0
        grid.addWidget(self.title, r, 0, 1, 2)
        grid.setRowMinimumHeight(r + 1, 6)
        r += 2
        for key, text, widget in (("username", self.tr("Username"), self.username),
                                  ("display_name", self.tr("Display name"), self.display_name),
                                  ("role", self.tr("Role"), self.role)):
            label = QLabel(text, self)
            label.setObjectName("fieldLabel")
            label.setBuddy(widget)
            grid.addWidget(label, r, 0, 1, 2)
            grid.addWidget(widget, r + 1, 0, 1, 2)
            self._rows[key] = [label, widget]
            r += 2
        mills_label = QLabel(self.tr("Mills"), self)
        mills_label.setObjectName("fieldLabel")
        grid.addWidget(mills_label, r, 0, 1, 2)
        grid.addWidget(self.mills, r + 1, 0, 1, 2)
        grid.addWidget(self.mills_hint, r + 2, 0, 1, 2)
        self._rows["mills"] = [mills_label, self.mills, self.mills_hint]
        r += 3
        pw_label = QLabel(self.tr("Temporary password"), self)
        pw_label.setObjectName("fieldLabel")
        pw_label.setBuddy(self.password)
        grid.addWidget(pw_label, r, 0, 1, 2)
        grid.addWidget(self.password, r + 1, 0)
        grid.addWidget(self.generate, r + 1, 1)
        grid.addWidget(self.password_hint, r + 2, 0, 1, 2)
        self._rows["password"] = [pw_label, self.password, self.generate, self.password_hint]
        r += 3
        grid.setRowStretch(r, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.submit, 1)
        grid.addLayout(buttons, r + 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)

        self.role.currentIndexChanged.connect(self._on_role_changed)
        self.password.textEdited.connect(self._on_password_edited)
        self.username.textEdited.connect(self._on_password_edited)
        self.generate.clicked.connect(self._on_generate)

    # -- modes -------------------------------------------------------------------------------------------------
    def start(self, mode: str, user: UserInfo | None = None) -> None:
        self.mode = mode
        self.title.setText(self.TITLES[mode].format(user=user.username if user is not None else ""))
        self.submit.setText(self.SUBMIT[mode])
        shown = {"new": {"username", "display_name", "role", "mills", "password"},
                 "edit": {"display_name", "role", "mills"},
                 "reset": {"password"}}[mode]
        for key, widgets in self._rows.items():
            for w in widgets:
                w.setVisible(key in shown)
        self.username.setText(user.username if user else "")
        self.username.setReadOnly(user is not None)
        self.display_name.setText(user.display_name if user else "")
        self.role.setCurrentIndex(max(0, self.role.findData(user.role if user else Role.OPERATOR)))
        mine = set(user.mills) if user else set()
        for i in range(self.mills.count()):
            item = self.mills.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in mine
                               else Qt.CheckState.Unchecked)
        self.password.setText(temporary_password() if mode in ("new", "reset") else "")
        self._on_role_changed()
        self._on_password_edited()
        (self.username if mode == "new" else self.display_name if mode == "edit" else self.password).setFocus()

    def selected_role(self) -> Role:
        return Role(self.role.currentData())

    def selected_mills(self) -> list[str]:
        out = []
        for i in range(self.mills.count()):
            item = self.mills.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def password_problems(self) -> list[str]:
        return self._policy_problems(self.password.text(), self.username.text().strip().lower())

    def show_field_error(self, field: str, text: str) -> None:
        if field == "password":
            self.password_hint.setText(_sentence(message_text(text)))
            set_state_property(self.password_hint, "level", "error")
            self.password.setFocus()
        elif field == "username":
            self.username.setFocus()

    @Slot()
    def _on_role_changed(self) -> None:
        admin = self.role.currentData() == Role.ADMIN
        self.mills.setEnabled(not admin)
        self.mills_hint.setText(self.tr("Admins see and act on every mill.") if admin else
                                self.tr("The mills this user sees and acts on."))

    @Slot()
    def _on_password_edited(self) -> None:
        if not self.password.isVisible() and self.mode == "edit":
            return
        text = self.password.text()
        if not text:
            self.password_hint.setText(self.tr("The user must change it at the next sign-in."))
            set_state_property(self.password_hint, "level", "")
            return
        problems = self.password_problems()
        if problems:
            self.password_hint.setText(_sentence(message_text(problems[0])))
            set_state_property(self.password_hint, "level", "error")
        else:
            self.password_hint.setText(self.tr("Meets the password policy. The user must change it at the next "
                                               "sign-in."))
            set_state_property(self.password_hint, "level", "ok")

    @Slot()
    def _on_generate(self) -> None:
        self.password.setText(temporary_password())
        self._on_password_edited()


class UserAdminView(QWidget):
    """The user management view (for `manage_users`)."""

    def __init__(self, users: UserService, controller: SessionController, *,
                 mills: Iterable[str | tuple[str, str]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userAdminView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        style_widget(self)
        self.users = users
        self.controller = controller
        self.jobs = Jobs("user-admin", self)
        self.model = UserTableModel(parent=self)
        pairs = [(m, m) if isinstance(m, str) else (m[0], m[1]) for m in mills]

        title = QLabel(self.tr("User accounts"), self)
        title.setObjectName("viewTitle")
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.notice = QLabel(self)
        self.notice.setObjectName("permissionNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.body = QWidget(self)
        self.new_button = QPushButton(self.tr("New user"), self.body)
        self.new_button.setObjectName("primaryButton")
        self.edit_button = QPushButton(self.tr("Edit"), self.body)
        self.reset_button = QPushButton(self.tr("Reset password"), self.body)
        self.unlock_button = QPushButton(self.tr("Unlock"), self.body)
        self.deactivate_button = QPushButton(self.tr("Deactivate"), self.body)
        self.reactivate_button = QPushButton(self.tr("Reactivate"), self.body)
        self.edit_button.setToolTip(self.tr("Change the role, mills or display name of the selected user"))
        self.reset_button.setToolTip(self.tr("Give the selected user a temporary password (to change at the next "
                                             "sign-in)"))
        self.unlock_button.setToolTip(self.tr("Clear the failed sign-in attempts and any lockout of the selected "
                                              "user"))
        self.deactivate_button.setToolTip(self.tr("The selected user can no longer sign in (reversible)"))
        self.reactivate_button.setToolTip(self.tr("Let the selected user sign in again"))
        self.table = QTableView(self.body)
        self.table.setObjectName("userTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(36)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.form = UserForm(pairs, self.users.password_policy.problems)
        self.form_area = QScrollArea(self.body)  # the form scrolls on a short screen instead of squeezing
        self.form_area.setObjectName("formArea")
        self.form_area.setWidget(self.form)
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QFrame.Shape.NoFrame)
        self.form_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_area.setFixedWidth(FORM_WIDTH + 16)
        self.form_area.hide()

        self.message = QLabel(self)
        self.message.setObjectName("messageStrip")
        self.message.setWordWrap(True)
        self.reauth_button = QPushButton(self.tr("Enter password"), self)
        self.reauth_button.hide()
        set_message(self.message, "")

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        toolbar = WrapLayout(spacing=8, row_spacing=8)  # wraps on a narrow window: every button keeps its whole words
        for b in (self.new_button, self.edit_button, self.reset_button, self.unlock_button,
                  self.deactivate_button, self.reactivate_button):
            toolbar.addWidget(b)
        middle = QHBoxLayout()
        middle.setSpacing(12)
        middle.addWidget(self.table, 1)
        middle.addWidget(self.form_area)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(10)
        body.addLayout(toolbar)
        body.addLayout(middle, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.reauth_button, 0, Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        outer.setSpacing(10)
        outer.addLayout(top)
        outer.addWidget(self.notice)
        outer.addWidget(self.body, 1)
        outer.addLayout(bottom)
        self.message.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.refresh_button.clicked.connect(self.refresh)
        self.new_button.clicked.connect(self._on_new)
        self.edit_button.clicked.connect(self._on_edit)
        self.reset_button.clicked.connect(self._on_reset)
        self.unlock_button.clicked.connect(self._on_unlock)
        self.deactivate_button.clicked.connect(self._on_deactivate)
        self.reactivate_button.clicked.connect(self._on_reactivate)
        self.form.submit.clicked.connect(self._on_submit)
        self.form.cancel.clicked.connect(self.close_form)
        self.reauth_button.clicked.connect(self._on_reauth)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.doubleClicked.connect(self._on_edit)
        controller.permissionsChanged.connect(self._on_permissions)
        controller.sessionChanged.connect(self._on_session)
        controller.apply_permission(self.body, Action.MANAGE_USERS)
        controller.apply_permission(self.refresh_button, Action.MANAGE_USERS)
        self._loaded_for: str | None = None
        self._on_permissions()
        self._on_selection()

    # -- public ------------------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        self.controller.release_permission(self.body)
        self.controller.release_permission(self.refresh_button)
        self.jobs.close()

    @Slot()
    def refresh(self) -> None:
        """Reload the accounts (asks for the password first when it is due)."""
        self._call(self.tr("manage users"), self.users.list_users, (), self._on_listed, quiet=True)

    def selected_user(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.user(rows[0].row()) if rows else None

    def select_user(self, username: str) -> None:
        row = self.model.row_of(username)
        if row >= 0:
            self.table.selectRow(row)

    @Slot()
    def close_form(self) -> None:
        self._hide_form()
        self.table.setFocus()

    @property
    def form_open(self) -> bool:
        return self.form_area.isVisible()

    def _show_form(self, mode: str, user: UserInfo | None = None) -> None:
        self.form_area.show()
        self.form.start(mode, user)

    def _hide_form(self) -> None:
        self.form_area.hide()

    # -- session and permissions -------------------------------------------------------------------------------
    @Slot(object)
    def _on_session(self, session: Any) -> None:
        self.model.set_users([])  # never leave the accounts on screen for the next user
        self._hide_form()
        self._loaded_for = None
        set_message(self.message, "")
        self.reauth_button.hide()

    @Slot()
    def _on_permissions(self) -> None:
        decision = self.controller.can(Action.MANAGE_USERS)
        usable = decision.allowed or decision.needs_reauth
        if usable:
            self.notice.hide()
        else:
            self.notice.setText(self.tr("User management is not available: {reason}.").format(
                reason=message_text(decision.reason)))
            self.notice.show()
            self._hide_form()
        if self.isVisible():
            self._load_if_needed()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._load_if_needed()

    def _load_if_needed(self) -> None:
        """Show the accounts once per session: at once if the password is recent, else behind a button
        (a prompt popping up just because the view was opened would surprise)."""
        session = self.controller.session
        if session is None or self._loaded_for == session.id:
            return
        decision = self.controller.can(Action.MANAGE_USERS)
        if decision.allowed:
            self.refresh()
        elif decision.needs_reauth and not self.reauth_button.isVisible():
            set_message(self.message, self.tr("Enter your password again to show and change the accounts."), "info")
            self.reauth_button.show()

    # -- buttons -----------------------------------------------------------------------------------------------
    @Slot()
    def _on_selection(self) -> None:
        u = self.selected_user()
        locked = u is not None and (u.failed_attempts > 0 or u.locked_until is not None)
        self.edit_button.setEnabled(u is not None)
        self.reset_button.setEnabled(u is not None)
        self.unlock_button.setEnabled(locked)
        self.deactivate_button.setEnabled(u is not None and u.active)
        self.reactivate_button.setEnabled(u is not None and not u.active)

    @Slot()
    def _on_new(self) -> None:
        self._show_form("new")
        set_message(self.message, "")

    @Slot()
    def _on_edit(self) -> None:
        u = self.selected_user()
        if u is not None:
            self._show_form("edit", u)
            set_message(self.message, "")

    @Slot()
    def _on_reset(self) -> None:
        u = self.selected_user()
        if u is not None:
            self._show_form("reset", u)
            set_message(self.message, "")

    @Slot()
    def _on_unlock(self) -> None:
        u = self.selected_user()
        if u is not None:
            done = self.tr("Unlocked {user}: failed attempts cleared.")
            self._call(self.tr("unlock an account"), self.users.unlock_account, (u.username,),
                       lambda info: self._changed(info, done.format(user=info.username)))

    @Slot()
    def _on_deactivate(self) -> None:
        u = self.selected_user()
        if u is not None:
            done = self.tr("Deactivated {user}: they can no longer sign in.")
            self._call(self.tr("deactivate an account"), self.users.deactivate, (u.username,),
                       lambda info: self._changed(info, done.format(user=info.username)))

    @Slot()
    def _on_reactivate(self) -> None:
        u = self.selected_user()
        if u is not None:
            done = self.tr("Reactivated {user}.")
            self._call(self.tr("reactivate an account"), self.users.reactivate, (u.username,),
                       lambda info: self._changed(info, done.format(user=info.username)))

    @Slot()
    def _on_submit(self) -> None:
        form = self.form
        mode = form.mode
        if mode == "new":
            username = form.username.text().strip().lower()
            if not username:
                set_message(self.message, self.tr("Enter a username."), "error")
                form.username.setFocus()
                return
            problems = form.password_problems()
            if problems:
                form.show_field_error("password", problems[0])
                set_message(self.message, _sentence(message_text(problems[0])), "error")
                return
            role, mills, name, pw = form.selected_role(), form.selected_mills(), form.display_name.text().strip(), \
                form.password.text()
            created = self.tr("Created {user} ({role}). Temporary password: {password} (to change at the first "
                              "sign-in).")
            self._call(self.tr("create a user"), self._create, (username, pw, role, mills, name),
                       lambda info: self._changed(info, created.format(user=info.username, role=_role_text(info.role),
                                                                       password=pw), close=True))
        elif mode == "edit":
            u = self.selected_user()
            if u is None:
                return
            role, mills, name = form.selected_role(), form.selected_mills(), form.display_name.text().strip()
            saved = self.tr("Saved {user}: {role}, {mills}.")
            self._call(self.tr("edit a user"), self._update, (u.username, role, mills, name),
                       lambda info: self._changed(info, saved.format(user=info.username, role=_role_text(info.role),
                                                                     mills=_mills_text(info)), close=True))
        elif mode == "reset":
            u = self.selected_user()
            if u is None:
                return
            problems = form.password_problems()
            if problems:
                form.show_field_error("password", problems[0])
                set_message(self.message, _sentence(message_text(problems[0])), "error")
                return
            pw = form.password.text()
            reset = self.tr("Temporary password for {user}: {password} (to change at the next sign-in).")
            self._call(self.tr("reset a password"), self.users.reset_password, (u.username, pw),
                       lambda info: self._changed(info, reset.format(user=info.username, password=pw), close=True))

    def _create(self, actor: Any, username: str, password: str, role: Role, mills: list[str],
                name: str) -> UserInfo:
        return self.users.create_user(actor, username, password, role, mills=mills, display_name=name,
                                      temporary=True)

    def _update(self, actor: Any, username: str, role: Role, mills: list[str], name: str) -> UserInfo:
        return self.users.update_user(actor, username, role=role, mills=mills, display_name=name)

    @Slot()
    def _on_reauth(self) -> None:
        self.reauth_button.hide()
        self.refresh()

    # -- calls -------------------------------------------------------------------------------------------------
    def _call(self, label: str, fn: Callable[..., Any], args: tuple[Any, ...], on_ok: Callable[[Any], None], *,
              quiet: bool = False) -> None:
        session = self.controller.session
        if session is None:
            set_message(self.message, self.tr("Nobody is signed in."), "error")
            return

        def go() -> None:
            if self.controller.session is not session:
                return
            if self.reauth_button.isVisible():
                self.reauth_button.hide()
                set_message(self.message, "")
            if not quiet:
                set_message(self.message, self.tr("Working\u2026"), "busy")
            self.jobs.run(fn, on_ok, self._on_failed, session, *args)

        self.controller.request_reauth(label, go, self)

    def _on_listed(self, users: list[UserInfo]) -> None:
        selected = self.selected_user()
        self.model.set_users(users)
        session = self.controller.session
        self._loaded_for = session.id if session is not None else None
        if selected is not None:
            self.select_user(selected.username)
        self._on_selection()

    def _changed(self, info: UserInfo, text: str, *, close: bool = False) -> None:
        set_message(self.message, text, "info")
        if close:
            self._hide_form()
        session = self.controller.session
        if session is not None:
            self.jobs.run(self.users.list_users, lambda users: self._after_change(users, info.username),
                          self._on_failed, session)

    def _after_change(self, users: list[UserInfo], username: str) -> None:
        self._on_listed(users)
        self.select_user(username)

    def _on_failed(self, exc: BaseException) -> None:
        text = _sentence(_failure(exc))
        if isinstance(exc, PermissionDenied) and exc.needs_reauth:
            set_message(self.message, text, "error")
            self.reauth_button.show()
            return
        if isinstance(exc, ValidationError) and self.form_open:
            self.form.show_field_error(exc.field, message_text(exc.message))
        set_message(self.message, text, "error")
