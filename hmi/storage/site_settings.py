"""Site-wide settings in the shared database: one JSON document per key (table `site_settings`).

Settings that every workstation and the collector must agree on live here rather than in a
workstation's config.toml (retention is applied by whichever instance ingests)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from hmi.storage.schema import SiteSettingRow

_T = SiteSettingRow.__table__


def read_setting(engine: Engine, key: str) -> dict[str, Any] | None:
    """The document stored under `key`, or None when it was never set."""
    with engine.connect() as conn:
        value = conn.execute(select(_T.c.value).where(_T.c.key == key)).scalar_one_or_none()
    return dict(value) if isinstance(value, dict) else None


def write_setting(conn: Connection, key: str, value: dict[str, Any], *, user: str,
                  at: datetime | None = None) -> dict[str, Any] | None:
    """Store `value` under `key` in `conn`'s transaction; returns the previous document (or None)."""
    before = conn.execute(select(_T.c.value).where(_T.c.key == key)).scalar_one_or_none()
    stamp = {"value": value, "updated_by": user, "updated_at": at or datetime.now(UTC)}
    if before is None:
        conn.execute(_T.insert().values(key=key, **stamp))
    else:
        conn.execute(_T.update().where(_T.c.key == key).values(**stamp))
    return dict(before) if isinstance(before, dict) else None
