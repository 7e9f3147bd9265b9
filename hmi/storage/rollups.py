"""Per-minute and per-hour rollups of the readings, their watermarks, and retention.

`rollup_minute` is computed from the raw readings and `rollup_hour` from `rollup_minute`, each with
INSERT .. SELECT .. GROUP BY .. ON CONFLICT DO UPDATE (SQLite and PostgreSQL alike), so computing a range
again is harmless: that is how late rows are folded in. Only good and uncertain values count.

Every statement reaches the rows through `sensors CROSS JOIN readings WHERE sensor_id = sensors.id`, so
both databases walk the (sensor_id, ts) key one sensor at a time: a predicate on `ts` alone would scan
the whole table (the key leads with `sensor_id`). SQLite's CROSS JOIN fixes that join order; without
it SQLite scans the readings and looks each sensor up.

`rollup_state` holds, per store, the watermark (buckets before it are complete) and the horizon
(retention has deleted everything before it). Queries use both to decide which store answers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine

MINUTE = 60
HOUR = 3600
DAY = 86400.0
RAW, MINUTE_STORE, HOUR_STORE = "raw", "minute", "hour"
TABLES = {RAW: "readings", MINUTE_STORE: "rollup_minute", HOUR_STORE: "rollup_hour"}

_UPSERT_SET = (
    "ON CONFLICT (sensor_id, bucket) DO UPDATE SET first_ts = excluded.first_ts, last_ts = excluded.last_ts, "
    "min_value = excluded.min_value, max_value = excluded.max_value, avg_value = excluded.avg_value, "
    "count = excluded.count"
)
_COLUMNS = "(sensor_id, bucket, first_ts, last_ts, min_value, max_value, avg_value, count)"


def _floor(dialect: str, expr: str, width: int) -> str:
    """SQL for floor(expr / width) * width, as a double. (Timestamps are positive: CAST truncates = floors.)"""
    if dialect == "sqlite":
        return f"(CAST(({expr}) / {width} AS INTEGER) * {width}.0)"
    return f"(floor(({expr}) / {width}) * {width})"


def _p(dialect: str) -> str:
    return "?" if dialect == "sqlite" else "%s"


def minute_sql(dialect: str) -> str:
    p = _p(dialect)
    return (
        f"INSERT INTO rollup_minute {_COLUMNS} "
        f"SELECT r.sensor_id, {_floor(dialect, 'r.ts', MINUTE)} AS b, min(r.ts), max(r.ts), min(r.value), "
        f"max(r.value), avg(r.value), count(*) "
        f"FROM sensors AS s CROSS JOIN readings AS r "
        f"WHERE r.sensor_id = s.id AND r.ts >= {p} AND r.ts < {p} AND r.quality < 2 AND r.value IS NOT NULL "
        f"GROUP BY r.sensor_id, b {_UPSERT_SET}"
    )


def hour_sql(dialect: str) -> str:
    p = _p(dialect)
    return (
        f"INSERT INTO rollup_hour {_COLUMNS} "
        f"SELECT m.sensor_id, {_floor(dialect, 'm.bucket', HOUR)} AS b, min(m.first_ts), max(m.last_ts), "
        f"min(m.min_value), max(m.max_value), sum(m.avg_value * m.count) / sum(m.count), sum(m.count) "
        f"FROM sensors AS s CROSS JOIN rollup_minute AS m "
        f"WHERE m.sensor_id = s.id AND m.bucket >= {p} AND m.bucket < {p} "
        f"GROUP BY m.sensor_id, b {_UPSERT_SET}"
    )


@dataclass(frozen=True, slots=True)
class StoreState:
    watermark: float | None = None  # rollups: buckets before this are complete
    horizon: float | None = None  # retention kept nothing before this


@dataclass(frozen=True, slots=True)
class RollupState:
    raw: StoreState = StoreState()
    minute: StoreState = StoreState()
    hour: StoreState = StoreState()

    def store(self, name: str) -> StoreState:
        return {RAW: self.raw, MINUTE_STORE: self.minute, HOUR_STORE: self.hour}[name]


def read_state(engine: Engine | Connection) -> RollupState:
    sql = "SELECT name, watermark, horizon FROM rollup_state"
    if isinstance(engine, Connection):
        rows = engine.exec_driver_sql(sql).all()
    else:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(sql).all()
    found = {name: StoreState(wm, hz) for name, wm, hz in rows}
    return RollupState(
        raw=found.get(RAW, StoreState()),
        minute=found.get(MINUTE_STORE, StoreState()),
        hour=found.get(HOUR_STORE, StoreState()),
    )


def _set_state(conn: Connection, name: str, *, watermark: float | None = None, horizon: float | None = None) -> None:
    p = _p(conn.dialect.name)
    now = datetime.now(UTC)
    if watermark is not None:
        conn.exec_driver_sql(
            f"INSERT INTO rollup_state (name, watermark, updated_at) VALUES ({p}, {p}, {p}) "
            f"ON CONFLICT (name) DO UPDATE SET watermark = excluded.watermark, updated_at = excluded.updated_at",
            (name, watermark, now),
        )
    if horizon is not None:
        conn.exec_driver_sql(
            f"INSERT INTO rollup_state (name, horizon, updated_at) VALUES ({p}, {p}, {p}) "
            f"ON CONFLICT (name) DO UPDATE SET horizon = excluded.horizon, updated_at = excluded.updated_at",
            (name, horizon, now),
        )


def earliest(engine: Engine, store: str) -> float | None:
    """The time of the oldest row of a store (readings: ts; rollups: bucket), by index per sensor."""
    table, col = (("readings", "ts") if store == RAW else (TABLES[store], "bucket"))
    with engine.connect() as conn:
        value = conn.exec_driver_sql(
            f"SELECT min((SELECT min(x.{col}) FROM {table} AS x WHERE x.sensor_id = s.id)) FROM sensors AS s"
        ).scalar()
    return None if value is None else float(value)


def roll_minutes(engine: Engine, a: float, b: float) -> int:
    """Recompute every minute bucket in [a, b) (multiples of 60) and advance the minute watermark to at
    least `b`, in one transaction. Returns the number of buckets written."""
    return _roll(engine, MINUTE_STORE, minute_sql(engine.dialect.name), a, b)


def roll_hours(engine: Engine, a: float, b: float) -> int:
    """Recompute every hour bucket in [a, b) (multiples of 3600) from the minute rollups."""
    return _roll(engine, HOUR_STORE, hour_sql(engine.dialect.name), a, b)


def _roll(engine: Engine, store: str, sql: str, a: float, b: float) -> int:
    if not b > a:
        return 0
    with engine.begin() as conn:
        n = conn.exec_driver_sql(sql, (a, b)).rowcount
        current = read_state(conn).store(store).watermark
        if current is None or b > current:
            _set_state(conn, store, watermark=b)
    return max(int(n or 0), 0)


# -- retention ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Retention:
    """How many days each store keeps (None: forever). Raw rows are only deleted once rolled up into
    minutes, and minutes once rolled up into hours, whatever the settings say."""

    raw_days: float | None = 400.0
    minute_days: float | None = 800.0
    hour_days: float | None = None

    def __post_init__(self) -> None:
        for name in ("raw_days", "minute_days", "hour_days"):
            v = getattr(self, name)
            if v is not None and not (v > 0 and math.isfinite(v)):
                raise ValueError(f"{name} must be a positive number of days or None, got {v!r}")

    def cutoffs(self, now: float, state: RollupState) -> dict[str, float | None]:
        """The time before which each store may be emptied now (aligned to its buckets)."""

        def cut(days: float | None, limit: float | None, align: int) -> float | None:
            if days is None:
                return None
            t = now - days * DAY
            if limit is not None:
                t = min(t, limit)
            return math.floor(t / align) * align

        raw_limit = state.minute.watermark
        minute_limit = state.hour.watermark
        return {
            RAW: cut(self.raw_days, raw_limit, MINUTE) if raw_limit is not None else None,
            MINUTE_STORE: cut(self.minute_days, minute_limit, HOUR) if minute_limit is not None else None,
            HOUR_STORE: cut(self.hour_days, None, HOUR),
        }


def prune(engine: Engine, store: str, cutoff: float) -> int:
    """Delete the rows of `store` before `cutoff`, sensor by sensor (each a key range), and record the
    new horizon. Returns the number of rows deleted."""
    table, col = (("readings", "ts") if store == RAW else (TABLES[store], "bucket"))
    p = _p(engine.dialect.name)
    with engine.connect() as conn:
        ids = [int(r[0]) for r in conn.exec_driver_sql("SELECT id FROM sensors ORDER BY id").all()]
    deleted = 0
    for sid in ids:
        with engine.begin() as conn:
            sql = f"DELETE FROM {table} WHERE sensor_id = {p} AND {col} < {p}"
            n = conn.exec_driver_sql(sql, (sid, cutoff)).rowcount
            deleted += max(int(n or 0), 0)
    with engine.begin() as conn:
        current = read_state(conn).store(store).horizon
        if current is None or cutoff > current:
            _set_state(conn, store, horizon=cutoff)
    return deleted
