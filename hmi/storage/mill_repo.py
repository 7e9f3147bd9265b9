"""Mill status and daily production records, as reported by the mills on their MQTT topics."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine, select

from hmi.storage.schema import MillRow, ProductionRow


def set_mill_status(engine: Engine, slug: str, status: str) -> str | None:
    """Store a reported status; returns the previous one (None when the mill is unknown)."""
    t = MillRow.__table__
    with engine.begin() as conn:
        row = conn.execute(select(t.c.id, t.c.status).where(t.c.slug == slug)).first()
        if row is None:
            return None
        if row.status != status:
            conn.execute(t.update().where(t.c.id == row.id).values(status=status, updated_at=datetime.now(UTC)))
        return str(row.status)


def upsert_production(engine: Engine, slug: str, day: date, actual: float) -> bool:
    mills, prod = MillRow.__table__, ProductionRow.__table__
    with engine.begin() as conn:
        mill = conn.execute(select(mills.c.id).where(mills.c.slug == slug)).first()
        if mill is None:
            return False
        existing = conn.execute(select(prod.c.id).where(prod.c.mill_id == mill.id, prod.c.day == day)).first()
        if existing is None:
            conn.execute(prod.insert().values(mill_id=mill.id, day=day, actual=actual))
        else:
            conn.execute(prod.update().where(prod.c.id == existing.id).values(actual=actual))
    return True


def production_on(engine: Engine, slug: str, day: date) -> float | None:
    mills, prod = MillRow.__table__, ProductionRow.__table__
    with engine.connect() as conn:
        row = conn.execute(
            select(prod.c.actual)
            .join(mills, mills.c.id == prod.c.mill_id)
            .where(mills.c.slug == slug, prod.c.day == day)
        ).first()
    return None if row is None else float(row.actual)


def mill_activity(source: Engine | Connection) -> dict[str, bool]:
    """slug -> whether the mill is active (deactivated mills stay in the database with their history)."""
    t = MillRow.__table__
    stmt = select(t.c.slug, t.c.active).order_by(t.c.id)
    if isinstance(source, Connection):
        return {r.slug: bool(r.active) for r in source.execute(stmt)}
    with source.connect() as conn:
        return {r.slug: bool(r.active) for r in conn.execute(stmt)}


def set_mill_active(conn: Connection, slug: str, active: bool, now: datetime | None = None) -> bool | None:
    """Activate or deactivate a mill in the caller's transaction; returns the previous state (None: unknown)."""
    t = MillRow.__table__
    row = conn.execute(select(t.c.id, t.c.active).where(t.c.slug == slug).with_for_update()).first()
    if row is None:
        return None
    if bool(row.active) != active:
        conn.execute(t.update().where(t.c.id == row.id).values(active=active, updated_at=now or datetime.now(UTC)))
    return bool(row.active)
