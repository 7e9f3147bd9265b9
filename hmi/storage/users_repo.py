"""Users and their mills in the database: the reads and writes the auth and user services need.

All functions take a Connection so the caller decides the transaction (and writes its audit record
in it). `for_update=True` locks the user rows on PostgreSQL, so two workstations counting failed
sign-ins of one account, or two admins demoting each other, are serialised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, func, select, update

from hmi.core.domain import Role
from hmi.core.errors import ValidationError
from hmi.core.text import Text
from hmi.storage.schema import MillRow, UserMillRow, UserRow

users_t = cast(Table, UserRow.__table__)
links_t = cast(Table, UserMillRow.__table__)
mills_t = cast(Table, MillRow.__table__)


def _utc(ts: datetime | None) -> datetime | None:
    if ts is None:
        return None
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A user account as shown to admins (no password hash)."""

    id: int
    username: str
    display_name: str
    role: Role
    mills: tuple[str, ...]
    active: bool
    must_change_password: bool
    failed_attempts: int
    locked_until: datetime | None
    last_login_at: datetime | None
    last_login_host: str
    created_at: datetime | None

    def summary(self) -> dict[str, Any]:
        """The fields an audit record's before/after carries."""
        return {"role": self.role.value, "mills": sorted(self.mills), "active": self.active,
                "display_name": self.display_name}


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A user account with its password hash: for the auth service only."""

    info: UserInfo
    password_hash: str

    def __repr__(self) -> str:  # never print the hash
        return f"UserRecord({self.info.username!r}, role={self.info.role.value})"


def _mills_of(conn: Connection, user_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    if not user_ids:
        return {}
    rows = conn.execute(
        select(links_t.c.user_id, mills_t.c.slug)
        .join(mills_t, mills_t.c.id == links_t.c.mill_id)
        .where(links_t.c.user_id.in_(user_ids))
        .order_by(mills_t.c.slug)
    )
    out: dict[int, list[str]] = {}
    for r in rows:
        out.setdefault(r.user_id, []).append(r.slug)
    return {uid: tuple(slugs) for uid, slugs in out.items()}


def _info(row: Any, mills: tuple[str, ...]) -> UserInfo:
    return UserInfo(
        id=row.id,
        username=row.username,
        display_name=row.display_name or "",
        role=Role(row.role),
        mills=mills,
        active=bool(row.active),
        must_change_password=bool(row.must_change_password),
        failed_attempts=int(row.failed_attempts or 0),
        locked_until=_utc(row.locked_until),
        last_login_at=_utc(row.last_login_at),
        last_login_host=row.last_login_host or "",
        created_at=_utc(row.created_at),
    )


def get_user(conn: Connection, username: str, *, for_update: bool = False) -> UserRecord | None:
    stmt = select(users_t).where(users_t.c.username == username)
    if for_update:
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).first()
    if row is None:
        return None
    return UserRecord(_info(row, _mills_of(conn, [row.id]).get(row.id, ())), row.password_hash)


def list_users(conn: Connection) -> list[UserInfo]:
    rows = conn.execute(select(users_t).order_by(users_t.c.username)).all()
    mills = _mills_of(conn, [r.id for r in rows])
    return [_info(r, mills.get(r.id, ())) for r in rows]


def username_exists(conn: Connection, username: str) -> bool:
    return conn.execute(select(users_t.c.id).where(users_t.c.username == username)).first() is not None


def mill_ids(conn: Connection, slugs: Iterable[str]) -> list[int]:
    """The ids of the mills named; ValidationError("mill") for one that does not exist."""
    out = []
    for slug in dict.fromkeys(slugs):
        row = conn.execute(select(mills_t.c.id).where(mills_t.c.slug == slug)).first()
        if row is None:
            raise ValidationError("mill", Text("no mill {mill!r}", mill=slug))
        out.append(int(row.id))
    return out


def insert_user(conn: Connection, *, username: str, password_hash: str, role: Role, display_name: str,
                must_change_password: bool, mills: Iterable[str], created_at: datetime) -> int:
    ids = mill_ids(conn, mills)
    res = conn.execute(
        users_t.insert().values(
            username=username,
            display_name=display_name or username,
            role=Role(role).value,
            password_hash=password_hash,
            active=True,
            must_change_password=must_change_password,
            failed_attempts=0,
            created_at=created_at,
        )
    )
    uid = int(res.inserted_primary_key[0])  # type: ignore[index]
    for mid in ids:
        conn.execute(links_t.insert().values(user_id=uid, mill_id=mid))
    return uid


def set_user_mills(conn: Connection, user_id: int, slugs: Iterable[str]) -> None:
    ids = mill_ids(conn, slugs)
    conn.execute(delete(links_t).where(links_t.c.user_id == user_id))
    for mid in ids:
        conn.execute(links_t.insert().values(user_id=user_id, mill_id=mid))


def update_user(conn: Connection, user_id: int, **values: Any) -> None:
    if "role" in values:
        values["role"] = Role(values["role"]).value
    conn.execute(update(users_t).where(users_t.c.id == user_id).values(**values))


def record_failure(conn: Connection, user_id: int, failed_attempts: int, locked_until: datetime | None) -> None:
    update_user(conn, user_id, failed_attempts=failed_attempts, locked_until=locked_until)


def record_success(conn: Connection, user_id: int, *, at: datetime, host: str, new_hash: str | None = None) -> None:
    values: dict[str, Any] = {"failed_attempts": 0, "locked_until": None, "last_login_at": at,
                              "last_login_host": host[:200]}
    if new_hash is not None:
        values["password_hash"] = new_hash
    update_user(conn, user_id, **values)


def active_admin_ids(conn: Connection, *, for_update: bool = False) -> list[int]:
    """Ids of the active admins; locked on PostgreSQL with `for_update` (the last-admin rule)."""
    stmt = (
        select(users_t.c.id)
        .where(users_t.c.role == Role.ADMIN.value, users_t.c.active.is_(True))
        .order_by(users_t.c.id)
    )
    if for_update:
        stmt = stmt.with_for_update()
    return [int(r.id) for r in conn.execute(stmt)]


def mill_slugs(conn: Connection) -> list[str]:
    return list(conn.execute(select(mills_t.c.slug).order_by(mills_t.c.slug)).scalars())


def count_users(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(users_t)).scalar_one())
