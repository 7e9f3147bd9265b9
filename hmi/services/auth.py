"""Sign-in, sessions, screen lock and re-authentication, against the users table.

Passwords are argon2id hashes (argon2-cffi; OWASP minimum m=19 MiB, t=2, p=1). A hash made with
other parameters is replaced on the next successful sign-in (`check_needs_rehash`).

Failed attempts are counted in the database (`users.failed_attempts`, `users.locked_until`), so
every workstation on a shared database sees them:
- admin and technician accounts lock for 15 minutes after 5 failures in a row;
- operator and viewer accounts are never locked hard: each failure makes the next attempt wait
  1, 2, 4 ... 60 s (`locked_until = now + delay`), so a control room is never locked out by a typo.
All of it is configurable with `AuthPolicy`. Unknown usernames cost the same argon2 verification
as known ones and get the same message. Every sign-in, failure, sign-out, lock, unlock,
re-authentication, password change and permission refusal is written to the audit trail.
No password (nor hash) ever reaches a log, an exception or an audit record.
"""

from __future__ import annotations

import enum
import logging
import math
import secrets
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import Type
from sqlalchemy import Connection, Engine

from hmi.core.clock import Clock, SystemClock
from hmi.core.domain import Role
from hmi.core.errors import ValidationError
from hmi.core.passwords import PasswordPolicy
from hmi.core.permissions import (
    REAUTH_ACTIONS,
    Action,
    Decision,
    PermissionDenied,
    PermissionTable,
    Principal,
    as_action,
)
from hmi.core.text import Text
from hmi.storage import users_repo
from hmi.storage.audit import USE_KEYRING, AuditKey, HeadLog, append_audit, audit_transaction, resolve_audit_key

log = logging.getLogger(__name__)

MIN_MEMORY_KIB = 19 * 1024
MIN_TIME_COST = 2
MIN_PARALLELISM = 1
WRONG_CREDENTIALS = Text("wrong username or password")


def make_hasher(time_cost: int = 2, memory_cost: int = MIN_MEMORY_KIB, parallelism: int = 1) -> PasswordHasher:
    """The argon2id hasher (defaults: OWASP's minimum m=19 MiB, t=2, p=1)."""
    hasher = PasswordHasher(
        time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, hash_len=32, type=Type.ID
    )
    check_hasher_strength(hasher)
    return hasher


def check_hasher_strength(hasher: PasswordHasher) -> None:
    """Refuse a hasher weaker than argon2id m=19 MiB, t=2, p=1."""
    if hasher.type is not Type.ID:
        raise ValueError("password hashes must be argon2id")
    if hasher.memory_cost < MIN_MEMORY_KIB or hasher.time_cost < MIN_TIME_COST or hasher.parallelism < MIN_PARALLELISM:
        raise ValueError(
            f"argon2id parameters below the minimum (m={MIN_MEMORY_KIB} KiB, t={MIN_TIME_COST}, p={MIN_PARALLELISM}): "
            f"m={hasher.memory_cost}, t={hasher.time_cost}, p={hasher.parallelism}"
        )


@dataclass(frozen=True, slots=True)
class AuthPolicy:
    """How sign-in failures are answered, and what a locked or half-signed-in session may still do."""

    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)
    lockout_roles: frozenset[Role] = frozenset({Role.ADMIN, Role.TECHNICIAN})
    delay_base: timedelta = timedelta(seconds=1)
    delay_max: timedelta = timedelta(seconds=60)
    reauth_max_age: timedelta = timedelta(seconds=300)
    reauth_actions: frozenset[Action] = REAUTH_ACTIONS
    allowed_while_locked: frozenset[Action] = frozenset({Action.TRIGGER_ESTOP})
    allowed_before_password_change: frozenset[Action] = frozenset({Action.VIEW, Action.TRIGGER_ESTOP})
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)

    def __post_init__(self) -> None:
        if self.max_failures < 1:
            raise ValueError("max_failures must be at least 1")
        if self.delay_base <= timedelta(0) or self.delay_max < self.delay_base:
            raise ValueError("delays must be positive, delay_max >= delay_base")

    def hard_locks(self, role: Role) -> bool:
        return role in self.lockout_roles

    def delay_after(self, failures: int) -> timedelta:
        """The wait imposed on a delay-only account after its `failures`-th failure in a row."""
        factor = 2 ** min(max(failures - 1, 0), 30)
        return min(self.delay_base * factor, self.delay_max)


class AuthStatus(enum.StrEnum):
    OK = "ok"
    FAILED = "failed"  # wrong username or password
    WAIT = "wait"  # a delay-only account must wait before the next attempt
    LOCKED = "locked"  # a lockout account is locked for a while
    INACTIVE = "inactive"  # right password, deactivated account
    CHANGED_MEANWHILE = "changed_meanwhile"


@dataclass(frozen=True, slots=True)
class AuthResult:
    """The outcome of a sign-in, re-authentication, unlock or password change."""

    ok: bool
    status: AuthStatus
    message: str
    session: Session | None = None
    must_change_password: bool = False
    retry_after: float | None = None  # seconds until an attempt is accepted (wait/locked)

    def __bool__(self) -> bool:
        return self.ok


class Session:
    """One signed-in user at one console. Created by `AuthService.sign_in`; its state changes only
    through the service (sign-out, lock/unlock, re-authentication, password change)."""

    def __init__(self, auth: AuthService, principal: Principal, *, signed_in_at: datetime, console: str,
                 host: str, must_change_password: bool) -> None:
        self._auth = auth
        self.id = uuid.uuid4().hex
        self.principal = principal
        self.signed_in_at = signed_in_at
        self.last_auth_at = signed_in_at
        self.console = console
        self.host = host
        self.must_change_password = must_change_password
        self.locked = False
        self.signed_out = False

    def __repr__(self) -> str:
        flags = "".join(f" {f}" for f, on in (("locked", self.locked), ("signed-out", self.signed_out)) if on)
        return f"<Session {self.principal.username} ({self.principal.role.value}) at {self.host}{flags}>"

    @property
    def username(self) -> str:
        return self.principal.username

    def needs_reauth(self, now: datetime | None = None, max_age: timedelta | None = None) -> bool:
        """True when the password was last entered more than `max_age` ago (default: policy, 300 s)."""
        now = now if now is not None else self._auth.clock.now()
        limit = max_age if max_age is not None else self._auth.policy.reauth_max_age
        return now - self.last_auth_at > limit

    def reauthenticate(self, password: str) -> AuthResult:
        return self._auth.reauthenticate(self, password)

    def change_password(self, old: str, new: str) -> AuthResult:
        return self._auth.change_password(self, old, new)

    def lock(self) -> None:
        self._auth.lock(self)

    def unlock(self, password: str) -> AuthResult:
        return self._auth.unlock(self, password)

    def sign_out(self) -> None:
        self._auth.sign_out(self)

    def check(self, action: Action | str, mill: str | None = None) -> Decision:
        return self._auth.authorize(self, action, mill)

    def require(self, action: Action | str, mill: str | None = None) -> Principal:
        return self._auth.require(self, action, mill)


class AuthService:
    """Sign-in and sessions for one workstation (host); the database is shared with the others."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock | None = None,
        policy: AuthPolicy | None = None,
        permissions: PermissionTable | None = None,
        hasher: PasswordHasher | None = None,
        head_log: HeadLog | None = None,
        audit_key: AuditKey = USE_KEYRING,
        host: str | None = None,
    ) -> None:
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self.policy = policy or AuthPolicy()
        self.permissions = permissions or PermissionTable()
        if hasher is not None:
            check_hasher_strength(hasher)
        self.hasher = hasher or make_hasher()
        self.head_log = head_log
        self.host = host or socket.gethostname()
        self._audit_key_arg = audit_key
        self._audit_key: str | None = None
        self._audit_key_resolved = False
        self._dummy_hash: str | None = None

    # -- audit helpers -----------------------------------------------------------------------------------------
    def audit_key(self) -> str | None:
        """The site audit key, looked up once."""
        if not self._audit_key_resolved:
            self._audit_key = resolve_audit_key(self._audit_key_arg)
            self._audit_key_resolved = True
        return self._audit_key

    def audit(self, conn: Connection, *, actor: str, action: str, host: str | None = None, mill: str = "",
              target: str = "", before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> int:
        """Append a record in `conn`'s transaction, stamped with this service's clock, host and key."""
        return append_audit(
            conn, actor=actor, action=action, mill=mill, target=target, before=before, after=after,
            host=host or self.host, ts=self.clock.now(), key=self.audit_key(),
        )

    def audit_alone(self, **kwargs: Any) -> None:
        """Append a record in a transaction of its own (failures and refusals: nothing else changes)."""
        with audit_transaction(self.engine, self.head_log) as conn:
            self.audit(conn, **kwargs)

    def audit_refusal(self, username: str, decision: Decision, *, host: str | None = None,
                      operation: str = "", target: str = "") -> None:
        after: dict[str, Any] = {"reason": decision.reason}
        if decision.action is not None:
            after["action"] = decision.action.value
        if operation:
            after["operation"] = operation
        self.audit_alone(actor=username, action="permission.denied", host=host, mill=decision.mill or "",
                         target=target or (decision.action.value if decision.action else ""), after=after)
        log.info("refused: %s", decision.reason)

    # -- password checks ---------------------------------------------------------------------------------------
    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except VerifyMismatchError:
            return False
        except (InvalidHashError, VerificationError):
            log.warning("a stored password hash could not be read; treating the attempt as failed")
            return False

    def _burn(self, password: str) -> None:
        """Spend the time a real verification takes, so unknown usernames are not told apart by timing."""
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        self._verify(self._dummy_hash, password)

    def _wait_message(self, role: Role, remaining: float) -> tuple[AuthStatus, str]:
        if self.policy.hard_locks(role):
            minutes = max(1, math.ceil(remaining / 60))
            return AuthStatus.LOCKED, Text(
                "account locked after {n} failed attempts: try again in {minutes} min "
                "or ask an administrator to unlock it", n=self.policy.max_failures, minutes=minutes,
            )
        return AuthStatus.WAIT, Text("wait {seconds} s before trying again", seconds=math.ceil(remaining))

    def _attempt(self, username: str, password: str, purpose: str, *, host: str,
                 console: str) -> tuple[AuthResult, users_repo.UserRecord | None]:
        """Check a password with lockout/delay bookkeeping; audits failures. On success returns the record
        (the caller writes the success in its own transaction)."""
        now = self.clock.now()
        name = username.strip().lower()
        failed_action = f"auth.{purpose}_failed"
        with self.engine.connect() as conn:
            rec = users_repo.get_user(conn, name)
        if rec is None:
            self._burn(password)
            self.audit_alone(actor=name[:64], action=failed_action, host=host, target=name,
                             after={"reason": "unknown user", "console": console})
            log.info("%s failed at %s: unknown user", purpose, host)
            return AuthResult(False, AuthStatus.FAILED, WRONG_CREDENTIALS), None
        info = rec.info
        if info.locked_until is not None and now < info.locked_until:
            remaining = (info.locked_until - now).total_seconds()
            status, message = self._wait_message(info.role, remaining)
            self.audit_alone(actor=name, action=failed_action, host=host, target=name,
                             after={"reason": status.value, "retry_after_s": math.ceil(remaining), "console": console})
            log.info("%s refused for %s at %s: %s", purpose, name, host, status.value)
            return AuthResult(False, status, message, retry_after=remaining), None
        if not self._verify(rec.password_hash, password):
            if not info.active:
                self.audit_alone(actor=name, action=failed_action, host=host, target=name,
                                 after={"reason": "wrong password (account deactivated)", "console": console})
                return AuthResult(False, AuthStatus.FAILED, WRONG_CREDENTIALS), None
            self._count_failure(name, purpose, failed_action, now, host=host, console=console)
            return AuthResult(False, AuthStatus.FAILED, WRONG_CREDENTIALS), None
        if not info.active:
            self.audit_alone(actor=name, action=failed_action, host=host, target=name,
                             after={"reason": "account deactivated", "console": console})
            log.info("%s refused for %s at %s: account deactivated", purpose, name, host)
            return AuthResult(False, AuthStatus.INACTIVE,
                              Text("this account is deactivated: ask an administrator")), None
        return AuthResult(True, AuthStatus.OK, ""), rec

    def _count_failure(self, name: str, purpose: str, failed_action: str, now: datetime, *, host: str,
                       console: str) -> None:
        with audit_transaction(self.engine, self.head_log) as conn:
            cur = users_repo.get_user(conn, name, for_update=True)
            if cur is None:  # deleted meanwhile
                self.audit(conn, actor=name, action=failed_action, host=host, target=name,
                           after={"reason": "unknown user", "console": console})
                return
            info = cur.info
            failures = info.failed_attempts
            hard = self.policy.hard_locks(info.role)
            if hard and info.locked_until is not None and info.locked_until <= now:
                failures = 0  # the lock has been served: a fresh allowance
            failures += 1
            locked_until: datetime | None
            if hard:
                locked_until = now + self.policy.lockout if failures >= self.policy.max_failures else None
            else:
                locked_until = now + self.policy.delay_after(failures)
            users_repo.record_failure(conn, info.id, failures, locked_until)
            after: dict[str, Any] = {"reason": "wrong password", "failed_attempts": failures, "console": console}
            if locked_until is not None:
                after["locked_until"] = locked_until.isoformat()
            self.audit(conn, actor=name, action=failed_action, host=host, target=name,
                       before={"failed_attempts": info.failed_attempts}, after=after)
        if hard and locked_until is not None:
            log.warning("account %s locked until %s after %d failed attempts", name, locked_until.isoformat(),
                        failures)
        else:
            log.info("%s failed for %s at %s (%d in a row)", purpose, name, host, failures)

    def _new_hash_if_needed(self, password_hash: str, password: str) -> str | None:
        try:
            needs = self.hasher.check_needs_rehash(password_hash)
        except (InvalidHashError, ValueError):
            needs = True
        return self.hasher.hash(password) if needs else None

    # -- sign-in / sign-out ------------------------------------------------------------------------------------
    def sign_in(self, username: str, password: str, *, console: str = "", host: str | None = None) -> AuthResult:
        """Sign in; the result carries the Session, or a message for the person at the console."""
        host = host or self.host
        result, rec = self._attempt(username, password, "sign_in", host=host, console=console)
        if rec is None:
            return result
        now = self.clock.now()
        new_hash = self._new_hash_if_needed(rec.password_hash, password)
        with audit_transaction(self.engine, self.head_log) as conn:
            cur = users_repo.get_user(conn, rec.info.username, for_update=True)
            if cur is None or cur.password_hash != rec.password_hash or not cur.info.active:
                self.audit(conn, actor=rec.info.username, action="auth.sign_in_failed", host=host,
                           target=rec.info.username, after={"reason": "account changed during sign-in"})
                return AuthResult(False, AuthStatus.CHANGED_MEANWHILE, Text("the account changed meanwhile: try again"))
            users_repo.record_success(conn, cur.info.id, at=now, host=host, new_hash=new_hash)
            info = cur.info
            self.audit(conn, actor=info.username, action="auth.sign_in", host=host, target=info.username,
                       after={"console": console, "role": info.role.value, "rehashed": new_hash is not None,
                              "must_change_password": info.must_change_password})
        principal = Principal(info.username, info.role, frozenset(info.mills), info.active)
        session = Session(self, principal, signed_in_at=now, console=console, host=host,
                          must_change_password=info.must_change_password)
        log.info("%s (%s) signed in at %s%s", info.username, info.role.value, host,
                 "; password change required" if info.must_change_password else "")
        message = (Text("password change required before continuing") if info.must_change_password
                   else Text("signed in"))
        return AuthResult(True, AuthStatus.OK, message, session, info.must_change_password)

    def sign_out(self, session: Session) -> None:
        if session.signed_out:
            return
        session.signed_out = True
        self.audit_alone(actor=session.username, action="auth.sign_out", host=session.host, target=session.username,
                         after={"console": session.console})
        log.info("%s signed out at %s", session.username, session.host)

    # -- screen lock and re-authentication ---------------------------------------------------------------------
    def lock(self, session: Session) -> None:
        if session.locked or session.signed_out:
            return
        session.locked = True
        self.audit_alone(actor=session.username, action="auth.screen_lock", host=session.host,
                         target=session.username, after={"console": session.console})

    def unlock(self, session: Session, password: str) -> AuthResult:
        """Unlock the screen; only the signed-in user's password does it."""
        if session.signed_out:
            return AuthResult(False, AuthStatus.FAILED, Text("signed out: sign in again"))
        result = self._confirm(session, password, "unlock", "auth.screen_unlock")
        if result:
            session.locked = False
        return result

    def reauthenticate(self, session: Session, password: str) -> AuthResult:
        """Enter the password again before a privileged action; refreshes `last_auth_at`."""
        if session.signed_out:
            return AuthResult(False, AuthStatus.FAILED, Text("signed out: sign in again"))
        return self._confirm(session, password, "reauth", "auth.reauth")

    def _confirm(self, session: Session, password: str, purpose: str, action: str) -> AuthResult:
        result, rec = self._attempt(session.username, password, purpose, host=session.host, console=session.console)
        if rec is None:
            return result
        now = self.clock.now()
        new_hash = self._new_hash_if_needed(rec.password_hash, password)
        with audit_transaction(self.engine, self.head_log) as conn:
            values: dict[str, Any] = {"failed_attempts": 0, "locked_until": None}
            if new_hash is not None:
                values["password_hash"] = new_hash
            users_repo.update_user(conn, rec.info.id, **values)
            self.audit(conn, actor=session.username, action=action, host=session.host, target=session.username,
                       after={"console": session.console})
        session.last_auth_at = now
        return AuthResult(True, AuthStatus.OK, Text("confirmed"), session, session.must_change_password)

    def change_password(self, user: Session | str, old: str, new: str) -> AuthResult:
        """Change one's own password: `old` must be right and `new` must satisfy the password policy
        (ValidationError("password") otherwise). Clears a must-change flag."""
        session = user if isinstance(user, Session) else None
        username = session.username if session is not None else str(user).strip().lower()
        host = session.host if session is not None else self.host
        console = session.console if session is not None else ""
        problems = self.policy.password_policy.problems(new, username)
        if new == old:
            problems.insert(0, Text("the new password must differ from the current one"))
        if problems:
            raise ValidationError("password", problems[0])
        result, rec = self._attempt(username, old, "password_change", host=host, console=console)
        if rec is None:
            return result
        now = self.clock.now()
        new_hash = self.hasher.hash(new)
        with audit_transaction(self.engine, self.head_log) as conn:
            users_repo.update_user(conn, rec.info.id, password_hash=new_hash, must_change_password=False,
                                   failed_attempts=0, locked_until=None)
            self.audit(conn, actor=rec.info.username, action="auth.password_change", host=host,
                       target=rec.info.username,
                       before={"must_change_password": rec.info.must_change_password},
                       after={"must_change_password": False, "console": console})
        if session is not None:
            session.must_change_password = False
            session.last_auth_at = now
        log.info("%s changed their password at %s", rec.info.username, host)
        return AuthResult(True, AuthStatus.OK, Text("password changed"), session, False)

    # -- permissions -------------------------------------------------------------------------------------------
    def load_principal(self, username: str) -> Principal | None:
        with self.engine.connect() as conn:
            rec = users_repo.get_user(conn, username)
        if rec is None:
            return None
        info = rec.info
        return Principal(info.username, info.role, frozenset(info.mills), info.active)

    def decide(self, session: Session, action: Action | str, mill: str | None = None) -> Decision:
        """The decision for a session, without auditing it (for enabling buttons)."""
        act = as_action(action)
        if session.signed_out:
            return Decision(False, Text("{user} is signed out: sign in again", user=session.username), act, mill)
        principal = self.load_principal(session.username)  # role, mills or status may have changed elsewhere
        if principal is None:
            return Decision(False, Text("user {user} no longer exists", user=session.username), act, mill)
        session.principal = principal
        decision = self.permissions.check(principal, act, mill)
        if not decision:
            return decision
        if session.locked and act not in self.policy.allowed_while_locked:
            return Decision(False, Text("the screen is locked: unlock it first"), act, mill)
        if session.must_change_password and act not in self.policy.allowed_before_password_change:
            return Decision(False, Text("{user} must change the temporary password first", user=principal.username),
                            act,
                            mill)
        if act in self.policy.reauth_actions and session.needs_reauth():
            return Decision(False, Text("to {action}, {user} must enter the password again", action=act.phrase,
                                        user=principal.username), act, mill, needs_reauth=True)
        return decision

    def authorize(self, session: Session, action: Action | str, mill: str | None = None) -> Decision:
        """The services' check: the permission table, the session's state, and an audit record of
        every refusal (a request to re-enter the password is not a refusal and is not audited)."""
        decision = self.decide(session, action, mill)
        if not decision and not decision.needs_reauth:
            self.audit_refusal(session.username, decision, host=session.host)
        return decision

    def require(self, session: Session, action: Action | str, mill: str | None = None) -> Principal:
        """As `authorize`, raising PermissionDenied when refused; returns the fresh principal."""
        decision = self.authorize(session, action, mill)
        if not decision:
            raise PermissionDenied.from_decision(decision, session.username)
        return session.principal
