"""User management view against the real UserService on SQLite: listing, creating, refusing a weak
password, refusing to deactivate the last admin, unlocking, re-authentication, and the view a
viewer gets (disabled, with the reason)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from hmi.core.clock import FakeClock
from hmi.core.domain import Role
from hmi.core.permissions import Action
from hmi.ui.session_controller import SessionController
from hmi.ui.user_admin import UserAdminView, UserTableModel, temporary_password
from tests.ui.fit_survey import findings, show_sized
from tests.ui.test_sign_in import (
    PW,
    WAIT_MS,
    Services,
    assert_never_app_modal,
    make_controllers,
    make_fake_services,
    make_services,
)

services = pytest.fixture(name="services")(make_services)
fake_services = pytest.fixture(name="fake_services")(make_fake_services)
controllers = pytest.fixture(name="controllers")(make_controllers)
MILLS = [("north", "North Mill"), ("south", "South Mill")]


def open_view(qtbot, services: Services, controller: SessionController) -> UserAdminView:  # type: ignore[no-untyped-def]
    view = UserAdminView(services.users, controller, mills=MILLS)
    view.setMinimumSize(1280, 720)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def admin_view(qtbot, themed_app, services: Services, controllers) -> Iterator[UserAdminView]:  # type: ignore[no-untyped-def]
    controller = controllers(services)
    controller.set_session(services.session("root"))
    view = open_view(qtbot, services, controller)
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=WAIT_MS)
    yield view
    view.shutdown()


def usernames(view: UserAdminView) -> list[str]:
    return [u.username for u in view.model.users()]


def cell(view: UserAdminView, username: str, column: int) -> str:
    return view.model.index(view.model.row_of(username), column).data()


def test_lists_the_accounts(admin_view: UserAdminView, services: Services) -> None:
    assert usernames(admin_view) == ["ana", "root", "tom", "vic"]
    assert cell(admin_view, "root", UserTableModel.ROLE) == "admin"
    assert cell(admin_view, "root", UserTableModel.MILLS) == "all mills"
    assert cell(admin_view, "ana", UserTableModel.MILLS) == "north"
    assert cell(admin_view, "ana", UserTableModel.NAME) == "Ana Silva"
    assert cell(admin_view, "root", UserTableModel.LAST).endswith(" \u00b7 console-1")  # signed in from there
    assert cell(admin_view, "ana", UserTableModel.LAST) == "never"
    assert admin_view.body.isEnabled() and admin_view.notice.isHidden()


def test_create_user(qtbot, admin_view: UserAdminView, services: Services, artifacts_dir) -> None:
    view = admin_view
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    form = view.form
    assert view.form_open and form.mode == "new"
    assert form.password.text()  # a generated temporary password, policy-compliant
    assert form.password_hint.property("level") == "ok"
    qtbot.keyClicks(form.username, "Bea")
    qtbot.keyClicks(form.display_name, "Bea Claes")
    form.role.setCurrentIndex(form.role.findData(Role.TECHNICIAN))
    form.mills.item(1).setCheckState(Qt.CheckState.Checked)  # south
    form.password.setText("")
    qtbot.keyClicks(form.password, "bright mill morning 7")
    assert form.password_hint.text().startswith("Meets the password policy")
    view.grab().save(str(artifacts_dir / "user_admin.png"))

    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "bea" in usernames(view), timeout=WAIT_MS)
    assert not view.form_open
    assert view.message.text().startswith("Created bea (technician)")
    assert view.selected_user() is not None and view.selected_user().username == "bea"
    assert cell(view, "bea", UserTableModel.STATUS) == "must change password"
    assert cell(view, "bea", UserTableModel.MILLS) == "south"
    row = services.user_row("bea")
    assert row.must_change_password and row.display_name == "Bea Claes"
    result = services.auth.sign_in("bea", "bright mill morning 7")
    assert result.ok and result.must_change_password
    assert "user.create" in services.audit_actions()
    view.grab().save(str(artifacts_dir / "user_admin_created.png"))


def test_weak_password_is_refused_inline(qtbot, admin_view: UserAdminView, services: Services) -> None:
    view = admin_view
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    form = view.form
    qtbot.keyClicks(form.username, "carl")
    form.password.setText("")
    qtbot.keyClicks(form.password, "short")
    assert form.password_hint.text() == "Password must be at least 12 characters."
    assert form.password_hint.property("level") == "error"
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    assert view.message.text() == "Password must be at least 12 characters."
    assert view.message.property("level") == "error"
    form.password.setText("")
    qtbot.keyClicks(form.password, "carl-the-miller-1")
    assert form.password_hint.text() == "Password must not contain the username."
    qtbot.wait(100)
    assert "carl" not in usernames(view) and view.form_open
    with services.engine.connect():
        assert all(u.username != "carl" for u in services.users.list_users(services.session("root")))


def test_last_admin_cannot_be_deactivated(qtbot, admin_view: UserAdminView, services: Services,
                                          artifacts_dir) -> None:
    view = admin_view
    view.select_user("root")
    assert view.deactivate_button.isEnabled()
    qtbot.mouseClick(view.deactivate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.message.property("level") == "error", timeout=WAIT_MS)
    assert view.message.text() == "Cannot deactivate root: root is the last active admin."
    assert services.user_row("root").active
    view.grab().save(str(artifacts_dir / "user_admin_refused.png"))

    # demoting the last admin is refused the same way
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    view.form.role.setCurrentIndex(view.form.role.findData(Role.OPERATOR))
    qtbot.mouseClick(view.form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.message.text().startswith("Cannot demote root"), timeout=WAIT_MS)
    assert services.user_row("root").role == "admin"


def test_deactivate_reactivate_edit_unlock_reset(qtbot, admin_view: UserAdminView, services: Services) -> None:
    view = admin_view
    view.select_user("ana")
    qtbot.mouseClick(view.deactivate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(view, "ana", UserTableModel.STATUS) == "deactivated", timeout=WAIT_MS)
    assert not services.user_row("ana").active
    assert view.reactivate_button.isEnabled() and not view.deactivate_button.isEnabled()
    qtbot.mouseClick(view.reactivate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(view, "ana", UserTableModel.STATUS) == "active", timeout=WAIT_MS)

    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    assert view.form.mode == "edit" and view.form.display_name.text() == "Ana Silva"
    view.form.mills.item(1).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(view.form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(view, "ana", UserTableModel.MILLS) == "north, south", timeout=WAIT_MS)
    assert view.message.text() == "Saved ana: operator, north, south."

    for _ in range(5):
        services.auth.sign_in("tom", "wrong wrong wrong")
    qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(view, "tom", UserTableModel.FAILED) == "5", timeout=WAIT_MS)
    assert cell(view, "tom", UserTableModel.LOCKED) != ""
    view.select_user("tom")
    assert view.unlock_button.isEnabled()
    qtbot.mouseClick(view.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(view, "tom", UserTableModel.FAILED) == "", timeout=WAIT_MS)
    assert services.auth.sign_in("tom", PW).ok

    view.select_user("vic")
    qtbot.mouseClick(view.reset_button, Qt.MouseButton.LeftButton)
    temp = view.form.password.text()
    assert view.form.mode == "reset" and temp
    qtbot.mouseClick(view.form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: temp in view.message.text(), timeout=WAIT_MS)
    assert services.user_row("vic").must_change_password
    assert services.auth.sign_in("vic", temp).must_change_password


def test_changes_ask_for_the_password_when_sign_in_is_old(qtbot, themed_app, fake_services: Services,
                                                          controllers) -> None:
    clock = fake_services.clock
    assert isinstance(clock, FakeClock)
    controller = controllers(fake_services)
    controller.set_session(fake_services.session("root"))
    view = open_view(qtbot, fake_services, controller)
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=WAIT_MS)
    clock.advance(301)
    view.select_user("ana")
    qtbot.mouseClick(view.deactivate_button, Qt.MouseButton.LeftButton)
    prompt = controller.prompt
    assert prompt is not None and prompt.isVisible()
    assert prompt.windowModality() != Qt.WindowModality.ApplicationModal
    assert prompt.text.text() == "To deactivate an account, enter the password for root."
    assert_never_app_modal()
    assert fake_services.user_row("ana").active  # nothing happens before the password
    qtbot.keyClicks(prompt.password, PW)
    qtbot.keyClick(prompt.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not fake_services.user_row("ana").active, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: cell(view, "ana", UserTableModel.STATUS) == "deactivated", timeout=WAIT_MS)
    view.shutdown()

    # a view opened when the password is old asks for it behind a button, not with a sudden prompt
    clock.advance(301)
    late = open_view(qtbot, fake_services, controller)
    assert controller.prompt is None and late.model.rowCount() == 0
    assert late.reauth_button.isVisible()
    assert late.message.text() == "Enter your password again to show and change the accounts."
    qtbot.mouseClick(late.reauth_button, Qt.MouseButton.LeftButton)
    prompt = controller.prompt
    assert prompt is not None and prompt.text.text() == "To manage users, enter the password for root."
    qtbot.keyClicks(prompt.password, PW)
    qtbot.keyClick(prompt.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: late.model.rowCount() == 4, timeout=WAIT_MS)
    assert not late.reauth_button.isVisible()
    late.shutdown()


def test_viewer_sees_the_view_disabled_with_the_reason(qtbot, themed_app, services: Services, controllers,
                                                       artifacts_dir) -> None:
    controller = controllers(services)
    controller.set_session(services.session("vic"))
    view = open_view(qtbot, services, controller)
    assert not view.body.isEnabled()
    assert view.body.toolTip() == "Viewer vic may not manage users"
    assert not view.new_button.isEnabled()  # disabled through the body
    assert view.notice.isVisible()
    assert view.notice.text() == "User management is not available: viewer vic may not manage users."
    qtbot.wait(100)
    assert view.model.rowCount() == 0  # nothing was listed
    view.grab().save(str(artifacts_dir / "user_admin_viewer.png"))

    controller.set_session(services.session("root"))  # shift handover to an admin: the view comes alive
    assert view.body.isEnabled() and view.notice.isHidden()
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=WAIT_MS)
    controller.sign_out()
    assert view.model.rowCount() == 0 and not view.body.isEnabled()
    assert controller.can(Action.MANAGE_USERS).reason == "nobody is signed in: sign in first"
    view.shutdown()


def test_temporary_passwords_meet_the_policy(services: Services) -> None:
    for _ in range(50):
        pw = temporary_password()
        assert services.users.password_policy.problems(pw, "ana") == []
        assert len(pw) == 19


def test_the_buttons_wrap_on_a_narrow_screen_in_dutch(qtbot, themed_app, services: Services, controllers) -> None:  # type: ignore[no-untyped-def]
    """At a 1024 px window the Users screen is about 790 px wide: the Dutch buttons ("Wachtwoord
    resetten", "Nieuwe gebruiker") wrap onto a second row instead of being cut."""
    from hmi.ui.i18n import install_language, remove_language

    install_language("nl")
    controller = controllers(services)
    controller.set_session(services.session("root"))
    view = UserAdminView(services.users, controller, mills=MILLS)
    try:
        show_sized(qtbot, view, (790, 640), minimum=(600, 600))
        qtbot.wait(20)
        buttons = [view.new_button, view.edit_button, view.reset_button, view.unlock_button,
                   view.deactivate_button, view.reactivate_button]
        assert view.reset_button.text() == "Wachtwoord resetten"
        assert findings(view) == []  # every button whole, none on another
        assert buttons[-1].y() > buttons[0].y()  # a second row
        assert view.table.geometry().top() > max(b.geometry().bottom() for b in buttons)
    finally:
        view.shutdown()
        remove_language()
