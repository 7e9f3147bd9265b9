"""Account administration through the permission table: real databases, audited before/after."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from hmi.core.clock import FakeClock
from hmi.core.domain import Role
from hmi.core.errors import ValidationError
from hmi.core.permissions import PermissionDenied, Principal
from hmi.services.auth import AuthService, AuthStatus, Session
from hmi.services.plant_io import import_plant
from hmi.services.users import UserService, add_user
from hmi.storage.audit import HeadLog, verify_audit
from hmi.storage.database import make_engine
from hmi.storage.migrate import upgrade
from hmi.storage.schema import AuditRow
from hmi.storage.users_repo import active_admin_ids

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources/plants/demo.toml"
PW = "correct horse battery"


def migrated(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    import_plant(engine, DEMO)
    return engine


def last_audit(engine: Engine, n: int = 1) -> list[dict]:  # type: ignore[type-arg]
    t = AuditRow.__table__
    with engine.connect() as c:
        rows = c.execute(select(t).order_by(t.c.seq.desc()).limit(n)).all()
    return [
        {"action": r.action, "username": r.username, "target": r.target, "host": r.host,
         "before": json.loads(r.before), "after": json.loads(r.after)}
        for r in reversed(rows)
    ]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def head(tmp_path: Path) -> HeadLog:
    return HeadLog(tmp_path / "audit-head.log")


@pytest.fixture
def engine(sqlite_url: str, head: HeadLog) -> Iterator[Engine]:
    e = migrated(sqlite_url)
    add_user(e, "root", PW, Role.ADMIN, head_log=head)
    add_user(e, "ana", PW, Role.OPERATOR, mills=["north"], head_log=head)
    yield e
    e.dispose()


@pytest.fixture
def auth(engine: Engine, clock: FakeClock, head: HeadLog) -> AuthService:
    return AuthService(engine, clock=clock, head_log=head, host="ws1")


@pytest.fixture
def users(auth: AuthService) -> UserService:
    return UserService(auth)


@pytest.fixture
def root(auth: AuthService) -> Session:
    session = auth.sign_in("root", PW).session
    assert session is not None
    return session


def test_create_user_is_audited_and_temporary(users: UserService, auth: AuthService, root: Session,
                                              engine: Engine) -> None:
    info = users.create_user(root, "Tom", "temporary pass 1", Role.TECHNICIAN, mills=["south", "north"],
                             display_name="Tom T.")
    assert info.username == "tom" and info.role is Role.TECHNICIAN and info.mills == ("north", "south")
    assert info.must_change_password and info.active and info.display_name == "Tom T."
    rec = last_audit(engine)[0]
    assert rec["action"] == "user.create" and rec["username"] == "root" and rec["target"] == "tom"
    assert rec["after"] == {"role": "technician", "mills": ["north", "south"], "active": True,
                            "display_name": "Tom T.", "temporary": True}
    assert rec["host"] == "ws1"
    result = auth.sign_in("tom", "temporary pass 1")
    assert result.ok and result.must_change_password
    with pytest.raises(ValidationError, match="already exists"):
        users.create_user(root, "tom", "temporary pass 1", Role.VIEWER)
    with pytest.raises(ValidationError, match="no mill 'west'"):
        users.create_user(root, "wes", "temporary pass 1", Role.VIEWER, mills=["west"])


def test_edit_role_and_mills_with_before_and_after(users: UserService, root: Session, engine: Engine) -> None:
    info = users.update_user(root, "ana", role=Role.TECHNICIAN, mills=["south"])
    assert info.role is Role.TECHNICIAN and info.mills == ("south",)
    rec = last_audit(engine)[0]
    assert rec["action"] == "user.update" and rec["target"] == "ana"
    assert rec["before"]["role"] == "operator" and rec["before"]["mills"] == ["north"]
    assert rec["after"]["role"] == "technician" and rec["after"]["mills"] == ["south"]
    n = len(last_audit(engine, 1000))
    users.update_user(root, "ana", role=Role.TECHNICIAN)  # nothing changes: nothing audited
    assert len(last_audit(engine, 1000)) == n


def test_reset_password_forces_a_change_and_clears_a_lock(users: UserService, auth: AuthService, root: Session,
                                                          engine: Engine, clock: FakeClock) -> None:
    add_user(engine, "tom", PW, Role.TECHNICIAN, mills=["north"])
    for _ in range(5):
        auth.sign_in("tom", "wrong password")
    assert auth.sign_in("tom", PW).status is AuthStatus.LOCKED
    info = users.reset_password(root, "tom", "temporary pass 2")
    assert info.must_change_password and info.failed_attempts == 0 and info.locked_until is None
    rec = last_audit(engine)[0]
    assert rec["action"] == "user.reset_password" and rec["after"] == {"must_change_password": True,
                                                                       "failed_attempts": 0}
    assert not auth.sign_in("tom", PW).ok
    result = auth.sign_in("tom", "temporary pass 2")
    assert result.ok and result.must_change_password
    with pytest.raises(ValidationError):
        users.reset_password(root, "tom", "short")


def test_unlock_account(users: UserService, auth: AuthService, root: Session, engine: Engine) -> None:
    add_user(engine, "tom", PW, Role.TECHNICIAN, mills=["north"])
    for _ in range(5):
        auth.sign_in("tom", "wrong password")
    info = users.unlock_account(root, "tom")
    assert info.locked_until is None and info.failed_attempts == 0
    assert last_audit(engine)[0]["before"]["failed_attempts"] == 5
    assert auth.sign_in("tom", PW).ok


def test_deactivate_and_reactivate(users: UserService, auth: AuthService, root: Session, engine: Engine) -> None:
    info = users.deactivate(root, "ana")
    assert not info.active
    rec = last_audit(engine)[0]
    assert (rec["action"], rec["before"]["active"], rec["after"]["active"]) == ("user.deactivate", True, False)
    assert auth.sign_in("ana", PW).status is AuthStatus.INACTIVE
    assert users.reactivate(root, "ana").active
    assert last_audit(engine)[0]["action"] == "user.reactivate"
    assert auth.sign_in("ana", PW).ok
    with pytest.raises(ValidationError, match="no user 'nobody'"):
        users.deactivate(root, "nobody")


def test_the_last_active_admin_cannot_be_removed(users: UserService, auth: AuthService, root: Session,
                                                 engine: Engine) -> None:
    with pytest.raises(PermissionDenied, match="cannot deactivate root: root is the last active admin"):
        users.deactivate(root, "root")
    with pytest.raises(PermissionDenied, match="cannot demote root: root is the last active admin"):
        users.update_user(root, "root", role=Role.OPERATOR)
    refusals = last_audit(engine, 2)
    assert [r["action"] for r in refusals] == ["permission.denied", "permission.denied"]
    assert refusals[0]["after"]["operation"] == "user.deactivate" and refusals[0]["target"] == "root"
    assert refusals[1]["after"]["operation"] == "user.update"
    assert "last active admin" in refusals[1]["after"]["reason"]
    assert users.update_user(root, "root", display_name="The Root").role is Role.ADMIN  # other edits are fine

    # With a second admin, one may go; then the other is the last one.
    users.create_user(root, "boss", PW, Role.ADMIN, temporary=False)
    assert not users.deactivate(root, "root").active
    boss = auth.sign_in("boss", PW).session
    assert boss is not None
    with pytest.raises(PermissionDenied, match="boss is the last active admin"):
        users.update_user(boss, "boss", role=Role.VIEWER)
    # A deactivated admin's open session can do nothing more.
    with pytest.raises(PermissionDenied, match="root's account is deactivated"):
        users.reactivate(root, "root")
    assert users.reactivate(boss, "root").active


def test_non_admins_are_refused_and_audited(users: UserService, auth: AuthService, engine: Engine) -> None:
    ana = auth.sign_in("ana", PW).session
    assert ana is not None
    with pytest.raises(PermissionDenied) as exc:
        users.create_user(ana, "eve", "temporary pass 1", Role.ADMIN)
    assert str(exc.value) == "operator ana may not manage users"
    rec = last_audit(engine)[0]
    assert rec["action"] == "permission.denied" and rec["username"] == "ana" and rec["target"] == "eve"
    assert rec["after"] == {"action": "manage_users", "operation": "user.create",
                            "reason": "operator ana may not manage users"}
    for call in (lambda: users.deactivate(ana, "root"), lambda: users.reset_password(ana, "root", "a new password 1"),
                 lambda: users.list_users(ana), lambda: users.update_user(ana, "ana", role=Role.ADMIN)):
        with pytest.raises(PermissionDenied, match="may not manage users"):
            call()
    assert [r["action"] for r in last_audit(engine, 4)] == ["permission.denied"] * 4
    with pytest.raises(PermissionDenied):  # a bare principal (not a session) goes through the same table
        users.deactivate(Principal("ana", Role.OPERATOR, frozenset({"north"})), "root")


def test_user_admin_needs_a_recent_password(users: UserService, root: Session, clock: FakeClock,
                                            engine: Engine) -> None:
    clock.advance(301)
    n = len(last_audit(engine, 1000))
    with pytest.raises(PermissionDenied) as exc:
        users.deactivate(root, "ana")
    assert exc.value.needs_reauth and len(last_audit(engine, 1000)) == n
    assert root.reauthenticate(PW).ok
    assert not users.deactivate(root, "ana").active


def test_list_users(users: UserService, root: Session) -> None:
    listed = users.list_users(root)
    assert [u.username for u in listed] == ["ana", "root"]
    assert not hasattr(listed[0], "password_hash")


def test_the_trail_of_user_admin_verifies(users: UserService, root: Session, engine: Engine, head: HeadLog) -> None:
    users.create_user(root, "tom", PW, Role.TECHNICIAN)
    users.update_user(root, "tom", mills=["north"])
    users.deactivate(root, "tom")
    with pytest.raises(PermissionDenied):
        users.deactivate(root, "root")
    result = verify_audit(engine, head)
    assert result.ok and result.head_seq == result.checked, result.reason


def test_two_admins_removing_each_other_at_once_leave_one_on_postgres(pg_url: str) -> None:
    engine = migrated(pg_url)
    try:
        add_user(engine, "amy", PW, Role.ADMIN)
        add_user(engine, "bob", PW, Role.ADMIN)
        users = UserService(AuthService(engine, clock=FakeClock()))
        amy, bob = Principal("amy", Role.ADMIN), Principal("bob", Role.ADMIN)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def remove(actor: Principal, target: str) -> None:
            barrier.wait()
            try:
                users.deactivate(actor, target)
                outcomes.append("done")
            except PermissionDenied as exc:
                outcomes.append(str(exc))

        threads = [threading.Thread(target=remove, args=(amy, "bob")),
                   threading.Thread(target=remove, args=(bob, "amy"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert len(outcomes) == 2 and outcomes.count("done") == 1, outcomes
        refused = next(o for o in outcomes if o != "done")
        assert "account is deactivated" in refused or "last active admin" in refused
        with engine.connect() as c:
            assert len(active_admin_ids(c)) == 1
        assert verify_audit(engine, HeadLog(Path("/nonexistent/head.log"))).ok
    finally:
        engine.dispose()
