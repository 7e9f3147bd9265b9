"""The permission table (pure): every role x action x mill, the reasons, the site options."""

from __future__ import annotations

import itertools

import pytest

from hmi.core.domain import Role
from hmi.core.permissions import (
    Action,
    Decision,
    PermissionDenied,
    PermissionTable,
    Principal,
    SiteOptions,
    check,
)

# The rules of the issues (users; e-stop: technicians reset the latch), written out by hand.
ON_OWN_MILLS: dict[Role, set[str]] = {
    Role.ADMIN: {a.value for a in Action},
    Role.OPERATOR: {"view", "acknowledge_alarm", "start_production", "trigger_estop"},
    Role.TECHNICIAN: {
        "view", "acknowledge_alarm", "shelve_alarm", "trigger_estop", "reset_estop", "edit_thresholds",
        "edit_calibration", "edit_sensors",
    },
    Role.VIEWER: {"view"},
}
MILLS = ["north", "south", None]  # own mill, someone else's mill, site-wide


def expected(role: Role, action: str, mill: str | None) -> bool:
    if role is Role.ADMIN:
        return True
    return mill == "north" and action in ON_OWN_MILLS[role]


def principal(role: Role, name: str = "ana") -> Principal:
    return Principal(name, role, frozenset({"north"}))


@pytest.mark.parametrize(
    ("role", "action", "mill"), list(itertools.product(list(Role), [a.value for a in Action], MILLS))
)
def test_whole_matrix(role: Role, action: str, mill: str | None) -> None:
    decision = check(principal(role), action, mill)
    assert isinstance(decision, Decision)
    assert decision.allowed is expected(role, action, mill), decision.reason
    assert bool(decision) is decision.allowed
    assert decision.reason


def test_reasons_are_sentences() -> None:
    ana = principal(Role.OPERATOR)
    assert check(ana, Action.EDIT_THRESHOLDS, "north").reason == "operator ana may not edit thresholds"
    assert check(ana, Action.VIEW, "south").reason == "ana has no access to mill south"
    assert check(ana, "reset_estop", "north").reason == "operator ana may not reset the e-stop"
    assert check(principal(Role.VIEWER, "vic"), "manage_users").reason == "viewer vic may not manage users"
    assert "choose a mill" in check(ana, Action.START_PRODUCTION, None).reason
    gone = Principal("old", Role.ADMIN, active=False)
    assert check(gone, Action.VIEW, "north").reason == "old's account is deactivated"


def test_operator_of_one_mill_cannot_see_or_act_on_another() -> None:
    ana = principal(Role.OPERATOR)
    table = PermissionTable()
    assert table.visible_mills(ana, ["north", "south"]) == ["north"]
    assert table.actions_for(ana, "south") == frozenset()
    assert table.actions_for(ana, "north") == {
        Action.VIEW, Action.ACKNOWLEDGE_ALARM, Action.START_PRODUCTION, Action.TRIGGER_ESTOP
    }
    root = Principal("root", Role.ADMIN)  # no mills assigned: admins have them all
    assert table.visible_mills(root, ["north", "south"]) == ["north", "south"]


def test_viewer_changes_nothing() -> None:
    vic = principal(Role.VIEWER, "vic")
    assert PermissionTable().actions_for(vic, "north") == {Action.VIEW}


def test_site_options() -> None:
    opts = SiteOptions(viewers_may_trigger_estop=True, operators_may_reset_estop=True)
    table = PermissionTable(opts)
    vic, ana, tom = principal(Role.VIEWER, "vic"), principal(Role.OPERATOR), principal(Role.TECHNICIAN, "tom")
    assert table.check(vic, Action.TRIGGER_ESTOP, "north")
    assert not table.check(vic, Action.TRIGGER_ESTOP, "south")  # still only their mills
    assert not table.check(vic, Action.RESET_ESTOP, "north")
    assert table.check(ana, Action.RESET_ESTOP, "north")
    assert table.check(tom, Action.RESET_ESTOP, "north")  # technicians reset the latch by default
    assert not PermissionTable().check(ana, Action.RESET_ESTOP, "north")
    assert PermissionTable(SiteOptions(technicians_may_reset_estop=True)).check(tom, Action.RESET_ESTOP, "north")
    with pytest.raises(AttributeError):
        opts.viewers_may_trigger_estop = False  # type: ignore[misc]


def test_require_raises_permission_denied_with_the_reason() -> None:
    with pytest.raises(PermissionDenied) as exc:
        PermissionTable().require(principal(Role.OPERATOR), Action.EDIT_CALIBRATION, "north")
    assert str(exc.value) == "operator ana may not edit calibration"
    assert exc.value.action is Action.EDIT_CALIBRATION and exc.value.mill == "north"
    assert exc.value.username == "ana"


def test_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown action 'fly'"):
        check(principal(Role.ADMIN), "fly", "north")
