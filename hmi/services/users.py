"""User accounts: creation with argon2id hashes (OWASP: m=19 MiB, t=2, p=1 at least).

The full sign-in, lockout and permission services build on this module.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.low_level import Type
from sqlalchemy import Engine, select

from hmi.core.domain import Role
from hmi.core.errors import ValidationError
from hmi.core.passwords import PasswordPolicy
from hmi.storage.audit import append_audit
from hmi.storage.schema import MillRow, UserMillRow, UserRow

USERNAME_RE = re.compile(r"^[a-z][a-z0-9_.-]{1,63}$")


def make_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, type=Type.ID)


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
) -> int:
    """Create a user; raises ValidationError naming the field at fault. Returns the user id."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise ValidationError("username", "username: 2-64 chars, lowercase letters, digits, '.', '_', '-'")
    problems = (policy or PasswordPolicy()).problems(password, username)
    if problems:
        raise ValidationError("password", problems[0])
    users, links, mills_t = UserRow.__table__, UserMillRow.__table__, MillRow.__table__
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == username)).first():
            raise ValidationError("username", f"user {username!r} already exists")
        mill_ids = []
        for slug in mills or []:
            row = conn.execute(select(mills_t.c.id).where(mills_t.c.slug == slug)).first()
            if row is None:
                raise ValidationError("mill", f"no mill {slug!r}")
            mill_ids.append(row.id)
        res = conn.execute(
            users.insert().values(
                username=username,
                display_name=display_name or username,
                role=role.value,
                password_hash=make_hasher().hash(password),
                active=True,
                must_change_password=temporary,
                failed_attempts=0,
                created_at=datetime.now(UTC),
            )
        )
        uid = int(res.inserted_primary_key[0])  # type: ignore[index]
        for mid in mill_ids:
            conn.execute(links.insert().values(user_id=uid, mill_id=mid))
        append_audit(
            conn, actor=actor, action="user.create", target=username,
            after={"role": role.value, "mills": mills or [], "temporary": temporary},
        )
    return uid
