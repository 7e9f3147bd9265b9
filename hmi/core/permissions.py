"""Who may do what, on which mill: the one permission table every service checks.

Plain Python, no I/O. A service asks `check(principal, action, mill)` (or a `PermissionTable`
built with the site's `SiteOptions`) and gets a `Decision` whose reason is a sentence a person can
read: "operator ana may not edit thresholds", "ana has no access to mill south".

Rules (the defaults; `SiteOptions` widens them in the few places a site may choose):
- admin: every action, on every mill and site-wide;
- operator: view, acknowledge alarms, start production, trigger the e-stop, on their mills;
- technician: view, acknowledge and shelve alarms, trigger the e-stop, edit thresholds,
  calibration and sensors, on their mills;
- viewer: view their mills; changes nothing.
Mill-scoped actions asked without a mill (``mill=None``) mean "on every mill": only principals
with access to all mills (admins) get them. Site actions (users, settings, mills) ignore the mill.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from hmi.core.domain import Role
from hmi.core.text import Text


class Action(enum.StrEnum):
    VIEW = "view"
    ACKNOWLEDGE_ALARM = "acknowledge_alarm"
    SHELVE_ALARM = "shelve_alarm"
    START_PRODUCTION = "start_production"
    TRIGGER_ESTOP = "trigger_estop"
    RESET_ESTOP = "reset_estop"
    EDIT_THRESHOLDS = "edit_thresholds"
    EDIT_CALIBRATION = "edit_calibration"
    EDIT_SENSORS = "edit_sensors"
    EDIT_MILLS = "edit_mills"
    MANAGE_USERS = "manage_users"
    CHANGE_SETTINGS = "change_settings"
    EXPORT = "export"

    @property
    def phrase(self) -> str:
        """The action as the end of "ana may not ...": "edit thresholds", "reset the e-stop"."""
        return _PHRASES[self]

    @property
    def site_wide(self) -> bool:
        """True for actions on the site (users, settings, the list of mills) rather than on one mill."""
        return self in SITE_ACTIONS


_PHRASES: Mapping[Action, str] = MappingProxyType(
    {
        Action.VIEW: Text("view the plant"),
        Action.ACKNOWLEDGE_ALARM: Text("acknowledge alarms"),
        Action.SHELVE_ALARM: Text("shelve alarms"),
        Action.START_PRODUCTION: Text("start production"),
        Action.TRIGGER_ESTOP: Text("trigger the e-stop"),
        Action.RESET_ESTOP: Text("reset the e-stop"),
        Action.EDIT_THRESHOLDS: Text("edit thresholds"),
        Action.EDIT_CALIBRATION: Text("edit calibration"),
        Action.EDIT_SENSORS: Text("edit sensors"),
        Action.EDIT_MILLS: Text("edit mills"),
        Action.MANAGE_USERS: Text("manage users"),
        Action.CHANGE_SETTINGS: Text("change settings"),
        Action.EXPORT: Text("export data"),
    }
)

# A role as it is named in a reason ("technician ana may not ..."): the English word is the role's value.
ROLE_WORDS: Mapping[Role, str] = MappingProxyType(
    {
        Role.ADMIN: Text("admin"),
        Role.OPERATOR: Text("operator"),
        Role.TECHNICIAN: Text("technician"),
        Role.VIEWER: Text("viewer"),
    }
)

SITE_ACTIONS: frozenset[Action] = frozenset({Action.EDIT_MILLS, Action.MANAGE_USERS, Action.CHANGE_SETTINGS})

# Privileged actions: a session must have entered its password recently (see services.auth).
REAUTH_ACTIONS: frozenset[Action] = frozenset(
    {
        Action.RESET_ESTOP,
        Action.MANAGE_USERS,
        Action.EDIT_THRESHOLDS,
        Action.EDIT_CALIBRATION,
        Action.EDIT_SENSORS,
        Action.EDIT_MILLS,
        Action.CHANGE_SETTINGS,
    }
)

ROLE_ACTIONS: Mapping[Role, frozenset[Action]] = MappingProxyType(
    {
        Role.ADMIN: frozenset(Action),
        Role.OPERATOR: frozenset(
            {Action.VIEW, Action.ACKNOWLEDGE_ALARM, Action.START_PRODUCTION, Action.TRIGGER_ESTOP}
        ),
        Role.TECHNICIAN: frozenset(
            {
                Action.VIEW,
                Action.ACKNOWLEDGE_ALARM,
                Action.SHELVE_ALARM,
                Action.TRIGGER_ESTOP,
                Action.RESET_ESTOP,  # e-stop issue: technicians and admins reset the stop latch
                Action.EDIT_THRESHOLDS,
                Action.EDIT_CALIBRATION,
                Action.EDIT_SENSORS,
            }
        ),
        Role.VIEWER: frozenset({Action.VIEW}),
    }
)


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """The few choices a site makes about the table (all off by default)."""

    viewers_may_trigger_estop: bool = False
    operators_may_reset_estop: bool = False
    technicians_may_reset_estop: bool = True  # the default table already grants it
    operators_may_shelve_alarms: bool = False

    def extra_grants(self) -> dict[Role, frozenset[Action]]:
        extra: dict[Role, set[Action]] = {role: set() for role in Role}
        if self.viewers_may_trigger_estop:
            extra[Role.VIEWER].add(Action.TRIGGER_ESTOP)
        if self.operators_may_reset_estop:
            extra[Role.OPERATOR].add(Action.RESET_ESTOP)
        if self.technicians_may_reset_estop:
            extra[Role.TECHNICIAN].add(Action.RESET_ESTOP)
        if self.operators_may_shelve_alarms:
            extra[Role.OPERATOR].add(Action.SHELVE_ALARM)
        return {role: frozenset(actions) for role, actions in extra.items()}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting: a signed-in user (or the installer/system) with a role and their mills."""

    username: str
    role: Role
    mills: frozenset[str] = frozenset()
    active: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))
        object.__setattr__(self, "mills", frozenset(self.mills))

    @property
    def all_mills(self) -> bool:
        """Admins see and act on every mill, assigned or not."""
        return self.role is Role.ADMIN

    def has_mill(self, mill: str) -> bool:
        return self.all_mills or mill in self.mills


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer to "may this principal do this here?"; falsy when refused."""

    allowed: bool
    reason: str
    action: Action | None = None
    mill: str | None = None
    needs_reauth: bool = False

    def __bool__(self) -> bool:
        return self.allowed


class PermissionDenied(Exception):
    """A refused action; `str()` is the reason for the person who asked."""

    def __init__(self, reason: str, *, action: Action | None = None, mill: str | None = None,
                 username: str = "", needs_reauth: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.action = action
        self.mill = mill
        self.username = username
        self.needs_reauth = needs_reauth

    @classmethod
    def from_decision(cls, decision: Decision, username: str = "") -> PermissionDenied:
        return cls(decision.reason, action=decision.action, mill=decision.mill, username=username,
                   needs_reauth=decision.needs_reauth)


def as_action(action: Action | str) -> Action:
    try:
        return Action(action)
    except ValueError:
        raise ValueError(f"unknown action {action!r}; known: {', '.join(a.value for a in Action)}") from None


@dataclass(frozen=True, slots=True)
class PermissionTable:
    """Role x action, scoped to mills, with the site's options applied."""

    options: SiteOptions = field(default_factory=SiteOptions)
    grants: Mapping[Role, frozenset[Action]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        extra = self.options.extra_grants()
        grants = {role: ROLE_ACTIONS[role] | extra[role] for role in Role}
        object.__setattr__(self, "grants", MappingProxyType(grants))

    def role_allows(self, role: Role, action: Action | str) -> bool:
        """Whether the role has the action at all, ignoring mills."""
        return as_action(action) in self.grants[Role(role)]

    def check(self, user: Principal, action: Action | str, mill: str | None = None) -> Decision:
        act = as_action(action)
        if not user.active:
            return Decision(False, Text("{user}'s account is deactivated", user=user.username), act, mill)
        role = ROLE_WORDS[user.role]
        if act not in self.grants[user.role]:
            return Decision(False, Text("{role} {user} may not {action}", role=role, user=user.username,
                                        action=act.phrase), act, mill)
        if (act.site_wide or user.all_mills) and not (mill and not act.site_wide):
            return Decision(True, Text("allowed: {role} {user} may {action}", role=role, user=user.username,
                                       action=act.phrase), act, mill)
        if mill is None:
            return Decision(False, Text("{user} may {action} only on their own mills; choose a mill",
                                        user=user.username, action=act.phrase), act, mill)
        if not user.all_mills and mill not in user.mills:
            return Decision(False, Text("{user} has no access to mill {mill}", user=user.username, mill=mill),
                            act, mill)
        return Decision(True, Text("allowed: {role} {user} may {action} on mill {mill}", role=role, user=user.username,
                                   action=act.phrase, mill=mill), act, mill)

    def require(self, user: Principal, action: Action | str, mill: str | None = None) -> None:
        decision = self.check(user, action, mill)
        if not decision:
            raise PermissionDenied.from_decision(decision, user.username)

    def actions_for(self, user: Principal, mill: str | None = None) -> frozenset[Action]:
        """Every action the principal may take on `mill` (e.g. to enable buttons)."""
        return frozenset(a for a in Action if self.check(user, a, mill))

    def visible_mills(self, user: Principal, mills: Iterable[str]) -> list[str]:
        """The mills the principal may see, in the order given."""
        return [m for m in mills if self.check(user, Action.VIEW, m)]


DEFAULT_TABLE = PermissionTable()


def check(
    user: Principal, action: Action | str, mill: str | None = None, *, table: PermissionTable | None = None
) -> Decision:
    """May `user` do `action` on `mill`? Uses the default table unless given the site's."""
    return (table or DEFAULT_TABLE).check(user, action, mill)
