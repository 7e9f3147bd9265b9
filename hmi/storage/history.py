"""Raw history writes and reads, without the ORM (measured 30x slower than raw inserts).

Writes are idempotent on (sensor, ts): a redelivered MQTT message, or a batch retried after a
lost commit acknowledgement, never doubles a row. SQLite uses the DB-API cursor with multi-row
INSERT statements; PostgreSQL uses COPY into a temporary staging table followed by
INSERT .. ON CONFLICT DO NOTHING.

Rows come as tuples, or from the ingest pipeline as a `RowBlock`: flat values grouped by sensor,
which is both the order the inserts want and what the statements bind, without a tuple per row.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import Engine

Row = tuple[int, float, float | None, float | None, int]  # sensor_id, ts, value, raw_value, quality

ROW_WIDTH = 5  # values a row
SQLITE_INSERT = "INSERT OR IGNORE INTO readings (sensor_id, ts, value, raw_value, quality) VALUES (?, ?, ?, ?, ?)"
# Rows per statement: the sqlite3 module releases the GIL around each statement step (and each
# prepare), and each time the writer thread wants it back it may wait up to the interpreter's switch
# interval (5 ms), longer with paho's thread also waiting, while the ingest thread runs: under load
# those waits, not SQLite, set how long a commit takes. So a commit runs as few statements as it can:
# full ones of SQLITE_ROWS_PER_STATEMENT rows (81,920 parameters, where the build allows: Debian's
# SQLite takes 250,000; else the largest power of two within the limit, 4,096 under SQLite's default
# of 32,766), then one more for the rest, padded with copies of its last row (INSERT OR IGNORE skips
# them, about 0.5 us each) up to the smallest of the sizes k, k/4, k/16 ... 1 that holds it. Compared
# with exact statements of halving sizes (up to 14 of them): 10,000 rows of 1,000 sensors in 17 ms
# instead of 23 alone, and far fewer waits under load. Each size is one statement prepared once per
# connection (16,384 rows: about 100 ms to prepare, which is why the history writer keeps its own
# connection and prepares that one ahead); their SQL is made when first used.
SQLITE_ROWS_PER_STATEMENT = 16_384
_MULTI_INSERTS: dict[int, str] = {}
# WAL pages between automatic checkpoints on the writing connection (SQLite's default is 1,000: with
# 1,000 sensors, a commit of interleaved readings touches about that many pages, so every commit
# checkpointed and fsynced). 10,000 pages (40 MB of WAL) measured 1.7x the insert rate.
SQLITE_WAL_AUTOCHECKPOINT = 10_000
# Page cache of the writing connection, KiB (SQLite's default is 2,000): a commit of interleaved
# readings of 1,000 sensors dirties a few thousand pages; past the cache, SQLite spills dirty pages
# to the WAL before the commit and writes them again at it (measured 911 -> 658 bytes written per
# row with 50,000-row commits into a table that already holds rows).
SQLITE_CACHE_KIB = 65_536
_key = itemgetter(0, 1)


class RowBlock:
    """Rows as flat values grouped by sensor: `flat` is `[sensor_id, ts, value, raw_value, quality,
    sensor_id, ts, ...]` (ROW_WIDTH values a row), one run per sensor in id order (`sids[i]`'s run
    ends at `ends[i]`), each run in arrival order. It is what the SQLite statements bind, in the
    order that touches each B-tree page once, and it keeps no tuple (or list) per row or per sensor
    alive until the commit: at 100,000s of readings a second, surviving row tuples cost the cyclic
    garbage collector more than the ingest pipeline spent judging the readings. Handed over: the
    lists are not changed afterwards."""

    __slots__ = ("count", "ends", "flat", "sids")

    def __init__(self, flat: list[object], sids: list[int], ends: list[int]) -> None:
        self.flat, self.sids, self.ends = flat, sids, ends
        self.count = len(flat) // ROW_WIDTH

    @classmethod
    def from_rows(cls, rows: Iterable[Row]) -> RowBlock:
        """A block of `rows` (tests, tools): grouped by sensor, each sensor's rows in the given order."""
        groups: dict[int, list[object]] = {}
        for row in rows:
            groups.setdefault(row[0], []).extend(row)
        return cls._of(groups)

    @classmethod
    def _of(cls, groups: dict[int, list[object]]) -> RowBlock:
        flat: list[object] = []
        ends: list[int] = []
        sids = sorted(groups)
        for sid in sids:
            flat += groups[sid]
            ends.append(len(flat))
        return cls(flat, sids, ends)

    @classmethod
    def merge(cls, blocks: Sequence[RowBlock]) -> RowBlock:
        """One block with the rows of `blocks`: each sensor's runs one after the other, in block order."""
        if len(blocks) == 1:
            return blocks[0]
        groups: dict[int, list[object]] = {}
        for block in blocks:
            flat, start = block.flat, 0
            for sid, end in zip(block.sids, block.ends, strict=True):
                mine = groups.get(sid)
                if mine is None:
                    groups[sid] = flat[start:end]
                else:
                    mine += flat[start:end]
                start = end
        return cls._of(groups)

    def __len__(self) -> int:
        return self.count

    def rows(self) -> list[Row]:
        """The rows as tuples, in `flat`'s order."""
        it = iter(self.flat)
        return list(zip(it, it, it, it, it, strict=True))  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows())

    def oldest_ts(self) -> float | None:
        return min(self.flat[1::ROW_WIDTH], default=None)  # type: ignore[type-var,return-value]


class HistoryConnection:
    """One DB-API connection the history writer keeps between its commits, so SQLite prepares its
    statements once.

    SQLite prepares a statement per connection, and the big multi-row INSERT costs more to prepare
    than to run (16,384 rows: about 100 ms to prepare, 12 ms to insert, here). The engine's pool
    hands its connections out in turn, so a writer taking one per commit prepared the statements
    again on each of them, and a collector catching up after a restart paid for it inside its first
    commits. `prepare()` makes the largest statement before the first rows arrive. A connection whose
    write fails is dropped; the next write takes a fresh one from the pool (PostgreSQL's pre-ping
    checks it). One thread at a time: the writer's."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._raw: Any = None

    def connection(self) -> Any:
        if self._raw is None:
            raw = self.engine.raw_connection()
            if self.engine.dialect.name == "sqlite":
                try:
                    _writer_pragmas(raw)
                except BaseException:
                    raw.invalidate()
                    raise
            self._raw = raw
        return self._raw

    def prepare(self) -> None:
        """Prepare the full-size SQLite INSERT now (an executemany of no rows prepares and runs nothing)."""
        if self.engine.dialect.name != "sqlite":
            return
        raw = self.connection()
        try:
            cur = raw.cursor()
            cur.executemany(_multi_insert(_rows_per_statement(raw)), [])
            cur.close()
            raw.rollback()
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Drop the connection (after a failure: it may be broken); the next write takes another."""
        raw, self._raw = self._raw, None
        if raw is not None:
            try:
                raw.invalidate()
            except Exception:  # noqa: BLE001 - already broken: nothing more to release
                pass

    def close(self) -> None:
        """Give the connection back to the pool (the writer stops)."""
        raw, self._raw = self._raw, None
        if raw is not None:
            raw.close()


def write_rows(target: Engine | HistoryConnection, rows: Sequence[Row] | RowBlock) -> int:
    """Store `rows` in one transaction, on a connection from the engine's pool or on the history
    writer's own (`HistoryConnection`); returns how many were handed to the database."""
    if not len(rows):
        return 0
    held = target if isinstance(target, HistoryConnection) else None
    engine = held.engine if held is not None else target
    raw = held.connection() if held is not None else engine.raw_connection()  # type: ignore[union-attr]
    try:
        if engine.dialect.name == "sqlite":  # type: ignore[union-attr]
            if held is None:
                _writer_pragmas(raw)
            _insert_sqlite(raw, _flat(rows))
        else:
            _copy_postgres(raw, rows.rows() if isinstance(rows, RowBlock) else _sorted(rows))
        raw.commit()
    except BaseException:
        try:
            raw.rollback()
        finally:
            if held is not None:
                held.discard()
        raise
    finally:
        if held is None:
            raw.close()
    return len(rows)


def _flat(rows: Sequence[Row] | RowBlock) -> list[object]:
    """The rows' values one after the other, sensor by sensor: with many interleaved sensors, inserts
    in key order touch each B-tree page once (measured 75-82k -> 126-140k rows/s raw on SQLite with
    1,000 sensors). A RowBlock is grouped by sensor already: no sort, no tuples."""
    if isinstance(rows, RowBlock):
        return rows.flat
    return list(chain.from_iterable(_sorted(rows)))


def _sorted(rows: Sequence[Row]) -> list[Row]:
    """Rows in (sensor, ts) order. Plain tuple order (measured 1.8x faster than a key function) is
    that order; only duplicate keys compare further, and a None value there falls back to the key."""
    try:
        return sorted(rows)  # type: ignore[type-var]
    except TypeError:
        return sorted(rows, key=_key)


def _rows_per_statement(raw: object) -> int:
    """SQLITE_ROWS_PER_STATEMENT, or the largest power of two of rows within this build's limit."""
    limit = 999  # SQLite's default before 3.32
    con = getattr(raw, "driver_connection", None)
    if isinstance(con, sqlite3.Connection):
        limit = con.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    k = SQLITE_ROWS_PER_STATEMENT
    while k > 1 and k * ROW_WIDTH > limit:
        k //= 2
    return k


def _multi_insert(k: int) -> str:
    sql = _MULTI_INSERTS.get(k)
    if sql is None:
        sql = _MULTI_INSERTS[k] = SQLITE_INSERT.replace(
            "VALUES (?, ?, ?, ?, ?)", "VALUES " + ",".join(["(?, ?, ?, ?, ?)"] * k)
        )
    return sql


def _statement_plan(n: int, k: int) -> tuple[int, int]:
    """For `n` rows: (full statements of `k` rows, rows of the padded last statement or 0)."""
    full, rest = divmod(n, k)
    if not rest:
        return full, 0
    size = k
    while size // 4 >= rest:
        size //= 4
    return full, size


def _writer_pragmas(raw: Any) -> None:
    """The writing connection's settings (see SQLITE_WAL_AUTOCHECKPOINT and SQLITE_CACHE_KIB)."""
    cur = raw.cursor()
    cur.execute(f"PRAGMA wal_autocheckpoint={SQLITE_WAL_AUTOCHECKPOINT}")
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.close()


def _insert_sqlite(raw: object, flat: list[object]) -> None:
    """Insert the rows whose values `flat` holds one after the other (ROW_WIDTH a row), in that order."""
    cur = raw.cursor()  # type: ignore[attr-defined]
    n = len(flat) // ROW_WIDTH
    k = _rows_per_statement(raw)
    full, last = _statement_plan(n, k)
    width = k * ROW_WIDTH
    end = full * width
    if full:
        cur.executemany(_multi_insert(k), [flat[i : i + width] for i in range(0, end, width)])
    if last:
        rest = flat[end:]
        rest += rest[-ROW_WIDTH:] * (last - (n - full * k))  # copies of the last row: ignored
        cur.execute(_multi_insert(last), rest)
    cur.close()


def _copy_postgres(raw: object, rows: Iterable[Row]) -> None:
    cur = raw.cursor()  # type: ignore[attr-defined]
    cur.execute(
        "CREATE TEMP TABLE IF NOT EXISTS readings_stage "
        "(sensor_id integer, ts double precision, value double precision, raw_value double precision, "
        "quality smallint) ON COMMIT DELETE ROWS"
    )
    with cur.copy("COPY readings_stage (sensor_id, ts, value, raw_value, quality) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cur.execute(
        "INSERT INTO readings (sensor_id, ts, value, raw_value, quality) "
        "SELECT DISTINCT ON (sensor_id, ts) sensor_id, ts, value, raw_value, quality FROM readings_stage "
        "ON CONFLICT (sensor_id, ts) DO NOTHING"
    )
    cur.close()


@dataclass(frozen=True, slots=True)
class RangeStats:
    count: int
    average: float | None
    minimum: float | None
    maximum: float | None
    latest: float | None
    latest_ts: float | None


def range_stats(engine: Engine, sensor_id: int, t0: float, t1: float) -> RangeStats:
    """count/average/min/max/latest of good and uncertain values in [t0, t1]."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        p = "?" if engine.dialect.name == "sqlite" else "%s"
        cur.execute(
            f"SELECT count(value), avg(value), min(value), max(value) FROM readings "
            f"WHERE sensor_id = {p} AND ts >= {p} AND ts <= {p} AND quality < 2 AND value IS NOT NULL",
            (sensor_id, t0, t1),
        )
        count, avg, vmin, vmax = cur.fetchone()
        cur.execute(
            f"SELECT value, ts FROM readings WHERE sensor_id = {p} AND ts >= {p} AND ts <= {p} "
            f"AND quality < 2 AND value IS NOT NULL ORDER BY ts DESC LIMIT 1",
            (sensor_id, t0, t1),
        )
        last = cur.fetchone()
        cur.close()
    finally:
        raw.close()
    return RangeStats(
        count=int(count or 0),
        average=float(avg) if avg is not None else None,
        minimum=vmin,
        maximum=vmax,
        latest=last[0] if last else None,
        latest_ts=last[1] if last else None,
    )


def latest_per_sensor(engine: Engine) -> dict[int, tuple[float, float | None, int]]:
    """sensor_id -> (ts, value, quality) of its newest row, any quality."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(
            "SELECT r.sensor_id, r.ts, r.value, r.quality FROM readings r "
            "JOIN (SELECT sensor_id, max(ts) AS ts FROM readings GROUP BY sensor_id) m "
            "ON r.sensor_id = m.sensor_id AND r.ts = m.ts"
        )
        out = {int(sid): (float(ts), value, int(q)) for sid, ts, value, q in cur.fetchall()}
        cur.close()
    finally:
        raw.close()
    return out


def is_storable(value: float | None) -> bool:
    return value is None or math.isfinite(value)
