"""User accounts: creation with argon2id hashes (OWASP: m=19 MiB, t=2, p=1 at least) and the
administration of accounts through the permission table.

`add_user` is the installer's path (CLI, demo): no principal, the actor is a name. `UserService`
is the admins' path: every operation is checked against `manage_users` (and, for a session, its
lock, forced password change and re-authentication), refused operations raise PermissionDenied
and are audited as refusals, and every change is audited with its before and after. The last
active admin can be neither deactivated nor demoted.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine

from hmi.core.domain import Role
from hmi.core.errors import ValidationError
from hmi.core.passwords import PasswordPolicy
from hmi.core.permissions import Action, Decision, PermissionDenied, Principal
from hmi.core.text import Text
from hmi.services.auth import AuthService, Session, make_hasher
from hmi.storage import users_repo
from hmi.storage.audit import USE_KEYRING, AuditKey, HeadLog, append_audit, audit_transaction
from hmi.storage.users_repo import UserInfo

__all__ = ["USERNAME_RE", "UserInfo", "UserService", "add_user", "make_hasher"]

USERNAME_RE = re.compile(r"^[a-z][a-z0-9_.-]{1,63}$")
log = logging.getLogger(__name__)


def _check_new_user(username: str, password: str, policy: PasswordPolicy | None) -> str:
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise ValidationError("username", Text("username: 2-64 chars, lowercase letters, digits, '.', '_', '-'"))
    problems = (policy or PasswordPolicy()).problems(password, username)
    if problems:
        raise ValidationError("password", problems[0])
    return username


def add_user(
    engine: Engine,
    username: str,
    password: str,
    role: Role,
    *,
    mills: list[str] | None = None,
    display_name: str = "",
    temporary: bool = False,
    actor: str = "installer",
    policy: PasswordPolicy | None = None,
    hasher: PasswordHasher | None = None,
    head_log: HeadLog | None = None,
    audit_key: AuditKey = USE_KEYRING,
) -> int:
    """Create a user; raises ValidationError naming the field at fault. Returns the user id."""
    username = _check_new_user(username, password, policy)
    role = Role(role)
    password_hash = (hasher or make_hasher()).hash(password)
    with audit_transaction(engine, head_log) as conn:
        if users_repo.username_exists(conn, username):
            raise ValidationError("username", Text("user {name!r} already exists", name=username))
        uid = users_repo.insert_user(
            conn, username=username, password_hash=password_hash, role=role, display_name=display_name,
            must_change_password=temporary, mills=mills or [], created_at=datetime.now(UTC),
        )
        append_audit(
            conn, actor=actor, action="user.create", target=username,
            after={"role": role.value, "mills": sorted(set(mills or [])), "temporary": temporary}, key=audit_key,
        )
    log.info("user %s (%s) created by %s", username, role.value, actor)
    return uid


Actor = Session | Principal


class UserService:
    """Account administration for admins; shares the AuthService's clock, table, hasher and audit."""

    def __init__(self, auth: AuthService, *, password_policy: PasswordPolicy | None = None) -> None:
        self.auth = auth
        self.engine = auth.engine
        self.password_policy = password_policy or auth.policy.password_policy

    # -- who is asking -----------------------------------------------------------------------------------------
    def _ident(self, actor: Actor) -> tuple[str, str]:
        if isinstance(actor, Session):
            return actor.username, actor.host
        return actor.username, self.auth.host

    def _precheck(self, actor: Actor) -> Decision:
        if isinstance(actor, Session):
            return self.auth.decide(actor, Action.MANAGE_USERS)
        fresh = self.auth.load_principal(actor.username)
        return self.auth.permissions.check(fresh or actor, Action.MANAGE_USERS)

    def _principal_in(self, conn: Connection, actor: Actor) -> Principal:
        principal = actor.principal if isinstance(actor, Session) else actor
        rec = users_repo.get_user(conn, principal.username)
        if rec is None:
            return principal if not isinstance(actor, Session) else Principal(principal.username, principal.role,
                                                                              principal.mills, active=False)
        info = rec.info
        return Principal(info.username, info.role, frozenset(info.mills), info.active)

    def _refuse(self, actor: Actor, decision: Decision, operation: str, target: str) -> PermissionDenied:
        name, host = self._ident(actor)
        if not decision.needs_reauth:
            self.auth.audit_refusal(name, decision, host=host, operation=operation, target=target)
        return PermissionDenied.from_decision(decision, name)

    def _run(self, actor: Actor, operation: str, target: str,
             body: Callable[[Connection, Principal, list[int]], UserInfo]) -> UserInfo:
        """Check `manage_users`, then run `body` in a transaction holding the active admins' rows (so
        two admins demoting each other at once cannot leave none); audit a refusal after rollback."""
        decision = self._precheck(actor)
        if not decision:
            raise self._refuse(actor, decision, operation, target)
        try:
            with audit_transaction(self.engine, self.auth.head_log) as conn:
                admins = users_repo.active_admin_ids(conn, for_update=True)
                principal = self._principal_in(conn, actor)
                again = self.auth.permissions.check(principal, Action.MANAGE_USERS)
                if not again:
                    raise PermissionDenied.from_decision(again, principal.username)
                return body(conn, principal, admins)
        except PermissionDenied as exc:
            refused = Decision(False, exc.reason, Action.MANAGE_USERS, None, exc.needs_reauth)
            raise self._refuse(actor, refused, operation, target) from None

    def _audit(self, conn: Connection, actor: Actor, principal: Principal, action: str, target: str,
               before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        _, host = self._ident(actor)
        self.auth.audit(conn, actor=principal.username, action=action, host=host, target=target,
                        before=before, after=after)

    @staticmethod
    def _target(conn: Connection, username: str) -> users_repo.UserRecord:
        rec = users_repo.get_user(conn, username.strip().lower(), for_update=True)
        if rec is None:
            raise ValidationError("username", Text("no user {name!r}", name=username))
        return rec

    @staticmethod
    def _reload(conn: Connection, username: str) -> UserInfo:
        rec = users_repo.get_user(conn, username)
        assert rec is not None
        return rec.info

    # -- reads -------------------------------------------------------------------------------------------------
    def list_users(self, actor: Actor) -> list[UserInfo]:
        decision = self._precheck(actor)
        if not decision:
            raise self._refuse(actor, decision, "user.list", "")
        with self.engine.connect() as conn:
            return users_repo.list_users(conn)

    # -- changes -----------------------------------------------------------------------------------------------
    def create_user(self, actor: Actor, username: str, password: str, role: Role, *, mills: Iterable[str] = (),
                    display_name: str = "", temporary: bool = True) -> UserInfo:
        """Create an account; by default the password is temporary (changed at first sign-in)."""
        name = _check_new_user(username, password, self.password_policy)
        role = Role(role)
        slugs = sorted(set(mills))
        password_hash = self.auth.hasher.hash(password)

        def body(conn: Connection, principal: Principal, _admins: list[int]) -> UserInfo:
            if users_repo.username_exists(conn, name):
                raise ValidationError("username", Text("user {name!r} already exists", name=name))
            users_repo.insert_user(conn, username=name, password_hash=password_hash, role=role,
                                   display_name=display_name, must_change_password=temporary, mills=slugs,
                                   created_at=self.auth.clock.now())
            info = self._reload(conn, name)
            self._audit(conn, actor, principal, "user.create", name, None, {**info.summary(), "temporary": temporary})
            return info

        info = self._run(actor, "user.create", name, body)
        log.info("user %s (%s) created", name, role.value)
        return info

    def update_user(self, actor: Actor, username: str, *, role: Role | None = None, mills: Iterable[str] | None = None,
                    display_name: str | None = None) -> UserInfo:
        """Change an account's role, mills and/or display name."""
        new_role = Role(role) if role is not None else None
        new_mills = sorted(set(mills)) if mills is not None else None

        def body(conn: Connection, principal: Principal, admins: list[int]) -> UserInfo:
            rec = self._target(conn, username)
            before = rec.info
            if new_role is not None and new_role is not Role.ADMIN:
                self._forbid_last_admin(before, admins, Text("cannot demote {user}", user=before.username))
            values: dict[str, Any] = {}
            if new_role is not None and new_role is not before.role:
                values["role"] = new_role
            if display_name is not None and display_name != before.display_name:
                values["display_name"] = display_name
            if values:
                users_repo.update_user(conn, before.id, **values)
            if new_mills is not None and tuple(new_mills) != tuple(sorted(before.mills)):
                users_repo.set_user_mills(conn, before.id, new_mills)
            after = self._reload(conn, before.username)
            if after.summary() != before.summary():
                self._audit(conn, actor, principal, "user.update", before.username, before.summary(), after.summary())
            return after

        return self._run(actor, "user.update", username, body)

    def reset_password(self, actor: Actor, username: str, temporary_password: str) -> UserInfo:
        """Set a temporary password (the user must change it at sign-in) and clear any lockout."""
        name = username.strip().lower()
        problems = self.password_policy.problems(temporary_password, name)
        if problems:
            raise ValidationError("password", problems[0])
        password_hash = self.auth.hasher.hash(temporary_password)

        def body(conn: Connection, principal: Principal, _admins: list[int]) -> UserInfo:
            rec = self._target(conn, name)
            users_repo.update_user(conn, rec.info.id, password_hash=password_hash, must_change_password=True,
                                   failed_attempts=0, locked_until=None)
            self._audit(conn, actor, principal, "user.reset_password", name,
                        {"must_change_password": rec.info.must_change_password,
                         "failed_attempts": rec.info.failed_attempts},
                        {"must_change_password": True, "failed_attempts": 0})
            return self._reload(conn, name)

        return self._run(actor, "user.reset_password", name, body)

    def unlock_account(self, actor: Actor, username: str) -> UserInfo:
        """Clear failed attempts and any lockout or delay."""

        def body(conn: Connection, principal: Principal, _admins: list[int]) -> UserInfo:
            rec = self._target(conn, username)
            info = rec.info
            users_repo.update_user(conn, info.id, failed_attempts=0, locked_until=None)
            self._audit(conn, actor, principal, "user.unlock", info.username,
                        {"failed_attempts": info.failed_attempts,
                         "locked_until": info.locked_until.isoformat() if info.locked_until else None},
                        {"failed_attempts": 0, "locked_until": None})
            return self._reload(conn, info.username)

        return self._run(actor, "user.unlock", username, body)

    def deactivate(self, actor: Actor, username: str) -> UserInfo:
        return self._set_active(actor, username, False)

    def reactivate(self, actor: Actor, username: str) -> UserInfo:
        return self._set_active(actor, username, True)

    def _set_active(self, actor: Actor, username: str, active: bool) -> UserInfo:
        operation = "user.reactivate" if active else "user.deactivate"

        def body(conn: Connection, principal: Principal, admins: list[int]) -> UserInfo:
            rec = self._target(conn, username)
            before = rec.info
            if not active:
                self._forbid_last_admin(before, admins, Text("cannot deactivate {user}", user=before.username))
            if before.active == active:
                return before
            users_repo.update_user(conn, before.id, active=active)
            after = self._reload(conn, before.username)
            self._audit(conn, actor, principal, operation, before.username, before.summary(), after.summary())
            return after

        return self._run(actor, operation, username, body)

    @staticmethod
    def _forbid_last_admin(target: UserInfo, active_admins: list[int], what: str) -> None:
        if target.role is Role.ADMIN and target.active and active_admins == [target.id]:
            raise PermissionDenied(Text("{what}: {user} is the last active admin", what=what, user=target.username),
                                   action=Action.MANAGE_USERS)
