"""What the overview tiles show per mill, from the shared database: status, today's production
efficiency (production / capacity) and unacknowledged alerts of the last 24 hours. The live counts
(sensors in alarm, bad, stale) come from the live values on the workstation itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, func, select

from hmi.core.domain import MillStatus, efficiency
from hmi.storage.schema import AlertRow, MillRow, ProductionRow


@dataclass(frozen=True, slots=True)
class MillOverview:
    slug: str
    name: str
    status: MillStatus
    capacity: float
    produced_today: float | None
    efficiency_today: float | None
    unacked_alerts_24h: int


def mill_overview(engine: Engine, *, now: datetime | None = None, mills: set[str] | None = None) -> list[MillOverview]:
    """One row per mill (restricted to `mills`, the ones the user may see, when given)."""
    now = now or datetime.now(UTC)
    today: date = now.date()
    m, p, a = MillRow.__table__, ProductionRow.__table__, AlertRow.__table__
    since = now - timedelta(hours=24)
    unacked = (
        select(a.c.mill_id, func.count().label("n"))
        .where(a.c.created_at >= since, a.c.acknowledged.is_(False), a.c.announced.is_(True))
        .group_by(a.c.mill_id)
        .subquery()
    )
    q = (
        select(m.c.slug, m.c.name, m.c.status, m.c.capacity, p.c.actual, unacked.c.n)
        .select_from(m.outerjoin(p, (p.c.mill_id == m.c.id) & (p.c.day == today)))
        .outerjoin(unacked, unacked.c.mill_id == m.c.id)
        .where(m.c.active.is_(True))
        .order_by(m.c.name)
    )
    with engine.connect() as c:
        rows = c.execute(q).all()
    out = []
    for r in rows:
        if mills is not None and r.slug not in mills:
            continue
        produced = None if r.actual is None else float(r.actual)
        out.append(
            MillOverview(
                slug=r.slug,
                name=r.name,
                status=MillStatus(r.status),
                capacity=float(r.capacity),
                produced_today=produced,
                efficiency_today=None if produced is None else efficiency(produced, float(r.capacity)),
                unacked_alerts_24h=int(r.n or 0),
            )
        )
    return out
