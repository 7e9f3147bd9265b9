"""Benchmark: the history writer alone, against raw inserts of the same rows on the same schema.

Rows are (sensor_id, ts, value, raw_value, quality) for 1,000 sensors with unique, increasing
timestamps (each sensor's rows interleaved, as the ingest pipeline produces them). Every run gets a
fresh database built by the product's migrations with the plant applied (foreign keys resolve).

- project: `HistoryWriter(engine, batch_rows=10_000)` started on its thread; the rows are handed to
  `add()` in chunks of 1,000 (as the pipeline does); it commits with `write_rows` (SQLite: DB-API
  executemany INSERT OR IGNORE; PostgreSQL: COPY into a temp stage + INSERT .. ON CONFLICT DO NOTHING).
  Rate = rows / (time from the first add until the writer reports every row stored).
- baseline SQLite: sqlite3 `executemany` of 10k-row batches, one commit per batch, same PRAGMAs as the
  product's engine (WAL, synchronous=NORMAL, foreign_keys=ON), same INSERT OR IGNORE statement.
- baseline PostgreSQL: psycopg `COPY readings FROM STDIN` (write_row) of 10k-row batches straight into
  the table, one commit per batch.

Project and baseline alternate round after round; medians are reported. Last line: the SQLite figure
with the PostgreSQL one as extra keys.

    .venv/bin/python benchmarks/history_writer.py [--quick] [--rows N] [--rounds N] [--no-pg]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import _common as C

MILLS, SENSORS = 10, 100
BATCH_ROWS = 10_000
ADD_CHUNK = 1_000
GOAL_SQLITE, GOAL_PG = 0.35, 0.5
COPY_SQL = "COPY readings (sensor_id, ts, value, raw_value, quality) FROM STDIN"
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL")


def make_rows(sensor_ids: list[int], n: int, base_ts: float) -> list[tuple[int, float, float, float, int]]:
    k = len(sensor_ids)
    return [(sensor_ids[i % k], base_ts + i * 1e-4, 20.0 + (i % 100) * 0.1, 20.0 + (i % 100) * 0.1, 0)
            for i in range(n)]


def fresh_engine(url: str):  # type: ignore[no-untyped-def]
    from hmi.storage.plant_repo import sensor_ids

    plant = C.build_plant(MILLS, SENSORS)
    engine = C.prepare_db(url, plant)
    return engine, sorted(sensor_ids(engine).values())


def count_rows(engine) -> int:  # type: ignore[no-untyped-def]
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SELECT count(*) FROM readings")
        return int(cur.fetchone()[0])
    finally:
        raw.close()


def run_project(url: str, n: int) -> tuple[float, int]:
    from hmi.services.history_writer import HistoryWriter

    engine, ids = fresh_engine(url)
    rows = make_rows(ids, n, time.time() - 86400)
    items = [(r, None) for r in rows]
    stored = [0]
    writer = HistoryWriter(engine, batch_rows=BATCH_ROWS, on_stored=lambda k: stored.__setitem__(0, stored[0] + k))
    writer.start()
    try:
        t0 = time.monotonic()
        for i in range(0, n, ADD_CHUNK):
            writer.add(items[i : i + ADD_CHUNK])
        if not C.wait_until(lambda: stored[0] >= n, timeout=max(120.0, n / 2000), poll=0.001):
            raise RuntimeError(f"history writer stored {stored[0]} of {n}")
        t1 = time.monotonic()
    finally:
        writer.stop()
    got = count_rows(engine)
    engine.dispose()
    if got != n:
        raise RuntimeError(f"project: {got} rows in the database, {n} written")
    return n / (t1 - t0), writer.commits


def run_raw_sqlite(path: Path, n: int) -> float:
    import sqlite3

    from hmi.storage.history import SQLITE_INSERT

    engine, ids = fresh_engine(f"sqlite:///{path}")
    engine.dispose()
    rows = make_rows(ids, n, time.time() - 86400)
    con = sqlite3.connect(path)
    try:
        for p in SQLITE_PRAGMAS:
            con.execute(p)
        t0 = time.monotonic()
        for i in range(0, n, BATCH_ROWS):
            con.executemany(SQLITE_INSERT, rows[i : i + BATCH_ROWS])
            con.commit()
        t1 = time.monotonic()
        got = con.execute("SELECT count(*) FROM readings").fetchone()[0]
    finally:
        con.close()
    if got != n:
        raise RuntimeError(f"raw sqlite: {got} rows, {n} written")
    return n / (t1 - t0)


def run_raw_copy(pg: C.PgCluster, n: int) -> float:
    import psycopg

    name = pg.new_database()
    engine, ids = fresh_engine(pg.url(name))
    engine.dispose()
    rows = make_rows(ids, n, time.time() - 86400)
    with psycopg.connect(pg.dsn(name)) as con:
        t0 = time.monotonic()
        for i in range(0, n, BATCH_ROWS):
            with con.cursor() as cur, cur.copy(COPY_SQL) as copy:
                for row in rows[i : i + BATCH_ROWS]:
                    copy.write_row(row)
            con.commit()
        t1 = time.monotonic()
        got = con.execute("SELECT count(*) FROM readings").fetchone()[0]  # type: ignore[index]
    if got != n:
        raise RuntimeError(f"raw COPY: {got} rows, {n} written")
    return n / (t1 - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a run under a minute")
    ap.add_argument("--rows", type=int, default=None, help="rows per run (default 500,000; quick 120,000)")
    ap.add_argument("--rounds", type=int, default=None, help="alternating rounds (default 3, quick 2)")
    ap.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    args = ap.parse_args()
    n = args.rows or (120_000 if args.quick else 500_000)
    rounds = args.rounds or (2 if args.quick else 3)
    with_pg = not args.no_pg and C.pg_available()

    res: dict[str, list[float]] = {"sqlite": [], "raw_sqlite": [], "pg": [], "raw_copy": []}
    with C.tempdir() as d:
        C.isolate_user_dirs(d)
        pg = C.PgCluster().start() if with_pg else None
        try:
            for k in range(1, rounds + 1):
                C.log(f"round {k}/{rounds} ({n:,} rows per run, {BATCH_ROWS:,}-row batches)")
                res["raw_sqlite"].append(run_raw_sqlite(d / f"raw{k}.sqlite", n))
                C.log(f"  raw sqlite3 executemany     {res['raw_sqlite'][-1]:10.0f} rows/s")
                rate, commits = run_project(f"sqlite:///{d / f'proj{k}.sqlite'}", n)
                res["sqlite"].append(rate)
                C.log(f"  HistoryWriter SQLite        {rate:10.0f} rows/s  ({commits} commits)")
                if pg is not None:
                    res["raw_copy"].append(run_raw_copy(pg, n))
                    C.log(f"  raw psycopg COPY            {res['raw_copy'][-1]:10.0f} rows/s")
                    rate, commits = run_project(pg.url(pg.new_database()), n)
                    res["pg"].append(rate)
                    C.log(f"  HistoryWriter PostgreSQL    {rate:10.0f} rows/s  ({commits} commits)")
        finally:
            if pg is not None:
                pg.destroy()

    def med(key: str) -> float:
        return statistics.median(res[key]) if res[key] else 0.0

    s, sb, p, pb = med("sqlite"), med("raw_sqlite"), med("pg"), med("raw_copy")
    figures = [{"figure": "history_writer_sqlite", "value": round(s), "unit": "rows/s", "baseline": round(sb),
                "ratio": C.ratio(s, sb), "goal": f">= {GOAL_SQLITE}"}]
    if with_pg:
        figures.append({"figure": "history_writer_pg", "value": round(p), "unit": "rows/s", "baseline": round(pb),
                        "ratio": C.ratio(p, pb), "goal": f">= {GOAL_PG}"})
    C.log("")
    for f in figures:
        C.log(f"figure {f['figure']:<22} {f['value']:>9} rows/s   raw {f['baseline']:>9}   ratio {f['ratio']}   "
              f"goal {f['goal']}")
    result = dict(figures[0])
    result.update({"rows_per_run": n, "rounds": rounds, "batch_rows": BATCH_ROWS})
    if with_pg:
        result.update({"pg_value": figures[1]["value"], "pg_baseline": figures[1]["baseline"],
                       "pg_ratio": figures[1]["ratio"], "pg_goal": figures[1]["goal"]})
    result["figures"] = figures
    C.emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
