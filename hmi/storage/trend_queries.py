"""Trend reads: one pen's data for a time range as arrays ready to plot, statistics of a range, and
the saved trend views.

The hot paths use the raw DB-API (SQLAlchemy's result objects cost 2.4x a raw fetch here) and build
numpy arrays straight from the cursor. A range is answered from the store that suits the plot width:

- zoomed in (at most `max_points` raw rows in the range): the raw rows themselves;
- otherwise min/max per bucket computed in the database (core.decimation.plan_buckets picks the grid),
  from the raw rows for buckets under a minute, else from `rollup_minute` or `rollup_hour`, with the
  newest part that is not rolled up yet read from the finer store (core.decimation.plan_segments).

Bad quality and NULL values come back as NaN; silences longer than the gap threshold get a NaN point,
so a plot with `connect="finite"` shows both as gaps.

Long reads can be cancelled from another thread through a `CancelToken`: it interrupts the statement
running on the connection (sqlite3 `interrupt()`, psycopg `cancel_safe()`), and the read raises
`FetchCancelled`.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Engine, select

from hmi.core.decimation import (
    HOUR,
    MINUTE,
    RAW,
    Buckets,
    buckets_to_points,
    estimate_interval,
    insert_gaps,
    plan_buckets,
    plan_segments,
)
from hmi.storage.history import RangeStats
from hmi.storage.rollups import RollupState, read_state
from hmi.storage.schema import TrendViewRow

_PAIR = np.dtype([("t", "f8"), ("v", "f8")])
_BUCKET = np.dtype([("b", "i8"), ("first", "f8"), ("last", "f8"), ("min", "f8"), ("max", "f8"), ("n", "i8")])
_ROLLUP_TABLE = {MINUTE: "rollup_minute", HOUR: "rollup_hour"}
DEFAULT_GAP_FACTOR = 3.0


class FetchCancelled(Exception):
    """The read was cancelled (the view moved on)."""


class CancelToken:
    """Cancels a read from another thread, interrupting the statement it is running."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._interrupt: Callable[[], None] | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            interrupt = self._interrupt
        if interrupt is not None:
            try:
                interrupt()
            except Exception:  # noqa: BLE001 - the connection may be between statements or closing
                pass

    def check(self) -> None:
        if self._cancelled:
            raise FetchCancelled()

    @contextmanager
    def attached(self, interrupt: Callable[[], None]) -> Iterator[None]:
        with self._lock:
            if self._cancelled:
                raise FetchCancelled()
            self._interrupt = interrupt
        try:
            yield
        finally:
            with self._lock:
                self._interrupt = None


def _interrupter(raw: Any, dialect: str) -> Callable[[], None]:
    drv = raw.driver_connection
    if dialect == "sqlite":
        return drv.interrupt
    return getattr(drv, "cancel_safe", None) or drv.cancel


@contextmanager
def _cursor(engine: Engine, cancel: CancelToken | None) -> Iterator[tuple[Any, str]]:
    """A raw DB-API cursor (binary on PostgreSQL) whose statements `cancel` can interrupt."""
    dialect = engine.dialect.name
    raw = engine.raw_connection()
    try:
        cur = raw.driver_connection.cursor(binary=True) if dialect == "postgresql" else raw.cursor()
        try:
            if cancel is None:
                yield cur, dialect
            else:
                with cancel.attached(_interrupter(raw, dialect)):
                    try:
                        yield cur, dialect
                    except Exception as exc:
                        if cancel.cancelled:
                            raise FetchCancelled() from exc
                        raise
        finally:
            cur.close()
        raw.rollback()  # reads only: end the transaction (and clear an interrupted one)
    finally:
        raw.close()


def _p(dialect: str) -> str:
    return "?" if dialect == "sqlite" else "%s"


def _array(cur: Any, dialect: str, dtype: np.dtype) -> np.ndarray:
    """The result rows as a structured array. sqlite3 hands rows over as fast one by one as in bulk;
    psycopg is faster in bulk (fetchall) than iterated row by row."""
    if dialect == "sqlite":
        return np.fromiter(cur, dtype=dtype)
    rows = cur.fetchall()
    return np.fromiter(rows, dtype=dtype, count=len(rows))


def _value_expr(dialect: str) -> str:
    # SQLite cannot return NaN (it turns it into NULL): infinity stands for "no usable value" instead
    # (the history writer never stores infinities) and becomes NaN in numpy.
    missing = "9e999" if dialect == "sqlite" else "'NaN'::float8"
    return f"CASE WHEN quality < 2 AND value IS NOT NULL THEN value ELSE {missing} END"


# -- raw rows ------------------------------------------------------------------------------------------------


def fetch_raw(
    engine: Engine,
    sensor_id: int,
    t0: float,
    t1: float,
    *,
    limit: int | None = None,
    cancel: CancelToken | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(ts, values) of the rows with t0 <= ts <= t1, oldest first; NaN where quality is bad or no value."""
    with _cursor(engine, cancel) as (cur, dialect):
        p = _p(dialect)
        sql = (
            f"SELECT ts, {_value_expr(dialect)} FROM readings "
            f"WHERE sensor_id = {p} AND ts >= {p} AND ts <= {p} ORDER BY ts"
        )
        params: tuple[Any, ...] = (sensor_id, t0, t1)
        if limit is not None:
            sql += f" LIMIT {p}"
            params += (int(limit),)
        cur.execute(sql, params)
        arr = _array(cur, dialect, _PAIR)
    ts = np.ascontiguousarray(arr["t"])
    values = np.ascontiguousarray(arr["v"])
    values[np.isinf(values)] = np.nan
    return ts, values


# -- buckets (min/max in the database) -------------------------------------------------------------------------


def _bucket_sql(dialect: str, tier: int, end_inclusive: bool) -> str:
    p = _p(dialect)
    idx = (lambda e: f"CAST(({e} - {p}) / {p} AS INTEGER)") if dialect == "sqlite" else (
        lambda e: f"floor(({e} - {p}) / {p})::bigint"
    )
    end = "<=" if end_inclusive else "<"
    if tier == RAW:
        return (
            f"SELECT {idx('ts')} AS b, min(ts), max(ts), min(value), max(value), count(*) FROM readings "
            f"WHERE sensor_id = {p} AND ts >= {p} AND ts {end} {p} AND quality < 2 AND value IS NOT NULL "
            f"GROUP BY b ORDER BY b"
        )
    return (
        f"SELECT {idx('bucket')} AS b, min(first_ts), max(last_ts), min(min_value), max(max_value), sum(count) "
        f"FROM {_ROLLUP_TABLE[tier]} WHERE sensor_id = {p} AND bucket >= {p} AND bucket {end} {p} "
        f"GROUP BY b ORDER BY b"
    )


def _buckets(cur: Any, dialect: str, tier: int, sensor_id: int, a: float, b: float, origin: float, width: float,
             end_inclusive: bool) -> Buckets:
    if tier != RAW:
        a = math.floor(a / tier) * tier  # the rollup bucket holding `a` (it starts before a)
    cur.execute(_bucket_sql(dialect, tier, end_inclusive), (origin, width, sensor_id, a, b))
    arr = _array(cur, dialect, _BUCKET)
    return Buckets(
        index=np.ascontiguousarray(arr["b"]),
        first_ts=np.ascontiguousarray(arr["first"]),
        last_ts=np.ascontiguousarray(arr["last"]),
        minimum=np.ascontiguousarray(arr["min"]),
        maximum=np.ascontiguousarray(arr["max"]),
        count=np.ascontiguousarray(arr["n"]),
    )


def coverage(state: RollupState) -> dict[int, tuple[float, float]]:
    """tier -> [lo, hi) it holds complete data for (see core.decimation.plan_segments)."""
    inf = math.inf
    cov = {RAW: (state.raw.horizon if state.raw.horizon is not None else -inf, inf)}
    if state.minute.watermark is not None:
        cov[MINUTE] = (state.minute.horizon if state.minute.horizon is not None else -inf, state.minute.watermark)
    if state.hour.watermark is not None:
        cov[HOUR] = (state.hour.horizon if state.hour.horizon is not None else -inf, state.hour.watermark)
    return cov


@dataclass(frozen=True, slots=True)
class SeriesData:
    """A pen's points for [t0, t1]: `ts`/`values` ready for PlotDataItem(connect="finite")."""

    t0: float
    t1: float
    ts: np.ndarray
    values: np.ndarray
    bucket_seconds: float  # 0: raw samples; else min/max per bucket of this width
    stores: tuple[str, ...]  # which stores answered: "raw", "minute", "hour"

    @property
    def decimated(self) -> bool:
        return self.bucket_seconds > 0

    def __len__(self) -> int:
        return len(self.ts)


_STORE_NAME = {RAW: "raw", MINUTE: "minute", HOUR: "hour"}


def _gap(min_gap: float | None, interval: float | None, factor: float) -> float | None:
    est = None if interval is None else factor * interval
    if min_gap is None:
        return est
    return min_gap if est is None else max(min_gap, est)


def fetch_series(
    engine: Engine,
    sensor_id: int,
    t0: float,
    t1: float,
    max_points: int | None,
    *,
    min_gap: float | None = None,
    gap_factor: float = DEFAULT_GAP_FACTOR,
    state: RollupState | None = None,
    cancel: CancelToken | None = None,
) -> SeriesData:
    """One pen for [t0, t1] with at most about `max_points` points (None: every raw row).

    Gaps: a NaN between points further apart than `gap_factor` times the typical sample spacing, and
    never closer than `min_gap` (e.g. three times the sensor's configured interval)."""
    if not t1 >= t0:
        raise ValueError("the range ends before it starts")
    if max_points is not None and max_points < 4:
        raise ValueError("max_points must be at least 4")
    st = state if state is not None else read_state(engine)
    cov = coverage(st)
    if max_points is None or cov[RAW][0] <= t0:
        ts, values = fetch_raw(
            engine, sensor_id, t0, t1, limit=None if max_points is None else max_points + 1, cancel=cancel
        )
        if max_points is None or len(ts) <= max_points:
            gap = _gap(min_gap, estimate_interval(ts), gap_factor)
            if gap is not None:
                ts, values = insert_gaps(ts, values, gap)
            return SeriesData(t0, t1, ts, values, 0.0, ("raw",))
    if t1 == t0:
        return SeriesData(t0, t1, np.empty(0), np.empty(0), 0.0, ())
    plan = plan_buckets(t0, t1, max_points)
    segments = plan_segments(t0, t1, plan.tier, cov)
    parts: list[Buckets] = []
    with _cursor(engine, cancel) as (cur, dialect):
        for tier, a, b in segments:
            if cancel is not None:
                cancel.check()
            parts.append(_buckets(cur, dialect, tier, sensor_id, a, b, plan.origin, plan.width, end_inclusive=b == t1))
    buckets = Buckets.concat(parts)
    ts, values = buckets_to_points(buckets, _gap(min_gap, _bucket_interval(buckets), gap_factor))
    return SeriesData(t0, t1, ts, values, plan.width, tuple(_STORE_NAME[t] for t, _, _ in segments))


def _bucket_interval(b: Buckets) -> float | None:
    """The typical sample spacing seen through buckets: inside buckets of several samples, or else
    between consecutive single-sample buckets."""
    many = b.count > 1
    if np.any(many):
        return float(np.median((b.last_ts[many] - b.first_ts[many]) / (b.count[many] - 1)))
    return estimate_interval(b.first_ts)


# -- statistics -------------------------------------------------------------------------------------------------


def _stat_pieces(a: float, b: float, cov: dict[int, tuple[float, float]]) -> list[tuple[int, float, float]]:
    """[a, b) cut into whole hours from rollup_hour, whole minutes from rollup_minute, the rest raw."""

    def split(a: float, b: float, tiers: list[int]) -> list[tuple[int, float, float]]:
        if not b > a:
            return []
        if not tiers:
            return [(RAW, a, b)]
        tier, finer = tiers[0], tiers[1:]
        lo, hi = cov[tier]
        x = max(math.ceil(a / tier) * tier, lo)
        y = min(math.floor(b / tier) * tier, hi)
        if not y > x:
            return split(a, b, finer)
        return [*split(a, x, finer), (tier, x, y), *split(y, b, finer)]

    return split(a, b, [t for t in (HOUR, MINUTE) if t in cov])


def range_stats(
    engine: Engine,
    sensor_id: int,
    t0: float,
    t1: float,
    *,
    state: RollupState | None = None,
    cancel: CancelToken | None = None,
) -> RangeStats:
    """count/average/min/max/latest of the good and uncertain values with t0 <= ts <= t1: exact, from the
    hour and minute rollups for the whole hours and minutes inside the range and raw rows for the rest."""
    cov = coverage(state if state is not None else read_state(engine))
    end = math.nextafter(t1, math.inf)  # inclusive end as a half-open range
    count, total = 0, 0.0
    vmin = vmax = None
    with _cursor(engine, cancel) as (cur, dialect):
        p = _p(dialect)
        for tier, a, b in _stat_pieces(t0, end, cov):
            if tier == RAW:
                cur.execute(
                    f"SELECT count(value), sum(value), min(value), max(value) FROM readings WHERE sensor_id = {p} "
                    f"AND ts >= {p} AND ts < {p} AND quality < 2 AND value IS NOT NULL",
                    (sensor_id, a, b),
                )
            else:
                cur.execute(
                    f"SELECT sum(count), sum(avg_value * count), min(min_value), max(max_value) "
                    f"FROM {_ROLLUP_TABLE[tier]} WHERE sensor_id = {p} AND bucket >= {p} AND bucket < {p}",
                    (sensor_id, a, b),
                )
            n, s, lo, hi = cur.fetchone()
            if not n:
                continue
            count += int(n)
            total += float(s)
            vmin = lo if vmin is None else min(vmin, lo)
            vmax = hi if vmax is None else max(vmax, hi)
        cur.execute(
            f"SELECT value, ts FROM readings WHERE sensor_id = {p} AND ts >= {p} AND ts <= {p} "
            f"AND quality < 2 AND value IS NOT NULL ORDER BY ts DESC LIMIT 1",
            (sensor_id, t0, t1),
        )
        last = cur.fetchone()
    return RangeStats(
        count=count,
        average=total / count if count else None,
        minimum=None if vmin is None else float(vmin),
        maximum=None if vmax is None else float(vmax),
        latest=None if last is None else float(last[0]),
        latest_ts=None if last is None else float(last[1]),
    )


# -- saved trend views ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrendViewRecord:
    id: int
    name: str
    owner: str
    shared: bool
    definition: dict[str, Any]
    updated_at: datetime | None


def _record(row: Any) -> TrendViewRecord:
    return TrendViewRecord(
        id=int(row.id), name=row.name, owner=row.owner, shared=bool(row.shared),
        definition=dict(row.definition or {}), updated_at=row.updated_at,
    )


def list_views(engine: Engine, user: str) -> list[TrendViewRecord]:
    """The user's own views and every view shared by someone else, own first, by name."""
    t = TrendViewRow.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(t).where((t.c.owner == user) | t.c.shared.is_(True))).all()
    recs = [_record(r) for r in rows]
    recs.sort(key=lambda r: (r.owner != user, r.name.casefold(), r.owner))
    return recs


def get_view(engine: Engine, view_id: int) -> TrendViewRecord | None:
    t = TrendViewRow.__table__
    with engine.connect() as conn:
        row = conn.execute(select(t).where(t.c.id == view_id)).first()
    return None if row is None else _record(row)


def save_view(engine: Engine, *, owner: str, name: str, shared: bool, definition: dict[str, Any]) -> TrendViewRecord:
    """Create the owner's view `name`, or replace it when the owner already has one by that name."""
    t = TrendViewRow.__table__
    now = datetime.now(UTC)
    with engine.begin() as conn:
        existing = conn.execute(select(t.c.id).where(t.c.owner == owner, t.c.name == name)).first()
        values = {"shared": shared, "definition": definition, "updated_at": now}
        if existing is None:
            view_id = conn.execute(t.insert().values(owner=owner, name=name, **values)).inserted_primary_key[0]
        else:
            view_id = existing.id
            conn.execute(t.update().where(t.c.id == view_id).values(**values))
        row = conn.execute(select(t).where(t.c.id == view_id)).one()
    return _record(row)


def update_view(engine: Engine, view_id: int, **values: Any) -> TrendViewRecord | None:
    t = TrendViewRow.__table__
    with engine.begin() as conn:
        conn.execute(t.update().where(t.c.id == view_id).values(updated_at=datetime.now(UTC), **values))
        row = conn.execute(select(t).where(t.c.id == view_id)).first()
    return None if row is None else _record(row)


def delete_view(engine: Engine, view_id: int) -> bool:
    t = TrendViewRow.__table__
    with engine.begin() as conn:
        return (conn.execute(t.delete().where(t.c.id == view_id)).rowcount or 0) > 0
