"""Rollups equal a query on the raw rows, on SQLite and a real PostgreSQL; the job is incremental,
idempotent, folds in late rows, and retention never deletes what is not rolled up."""

import math
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from hmi.services.history_writer import HistoryWriter
from hmi.services.plant_io import import_plant
from hmi.services.rollup_job import RollupJob
from hmi.storage.database import make_engine
from hmi.storage.history import write_rows
from hmi.storage.migrate import upgrade
from hmi.storage.plant_repo import sensor_ids
from hmi.storage.rollups import Retention, read_state

DEMO = Path(__file__).resolve().parents[2] / "resources/plants/demo.toml"
T0 = 1_790_000_000.0 - 1_790_000_000.0 % 3600 + 1234.5  # not aligned to minutes or hours


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, sqlite_url):  # type: ignore[no-untyped-def]
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("pg_url")
    e = make_engine(url)
    upgrade(e)
    import_plant(e, DEMO)
    yield e
    e.dispose()


def make_rows(sids: list[int], t0: float, seconds: int, seed: int = 1) -> list[tuple]:
    rng = np.random.default_rng(seed)
    rows = []
    for k, sid in enumerate(sids):
        ts = t0 + np.arange(seconds, dtype=float) * (1.0 + k) + rng.random(seconds) * 0.5
        values = 20 + 5 * np.sin(ts / 300.0) + rng.normal(0, 1, seconds)
        quality = np.where(rng.random(seconds) < 0.02, 2, np.where(rng.random(seconds) < 0.02, 1, 0))
        for t, v, q in zip(ts.tolist(), values.tolist(), quality.tolist(), strict=True):
            rows.append((sid, t, None if q == 1 and v > 25 else v, v, q))  # some uncertain rows without a value
    return rows


def expected(rows: list[tuple], width: int, until: float) -> dict[tuple[int, float], tuple]:
    """What a GROUP BY over the raw rows gives: (first_ts, last_ts, min, max, avg, count) per bucket."""
    groups: dict[tuple[int, float], list[tuple[float, float]]] = defaultdict(list)
    for sid, t, v, _raw, q in rows:
        if q < 2 and v is not None and t < until:
            groups[(sid, math.floor(t / width) * width)].append((t, v))
    out = {}
    for key, items in groups.items():
        ts = [t for t, _ in items]
        vs = [v for _, v in items]
        out[key] = (min(ts), max(ts), min(vs), max(vs), sum(vs) / len(vs), len(vs))
    return out


def table(engine, name: str) -> dict[tuple[int, float], tuple]:  # type: ignore[no-untyped-def]
    with engine.connect() as c:
        rows = c.exec_driver_sql(
            f"SELECT sensor_id, bucket, first_ts, last_ts, min_value, max_value, avg_value, count FROM {name}"
        ).all()
    return {(int(r[0]), float(r[1])): tuple(r[2:]) for r in rows}


def assert_same(got: dict, want: dict) -> None:
    assert got.keys() == want.keys()
    for key, w in want.items():
        g = got[key]
        assert g[0] == w[0] and g[1] == w[1] and g[2] == w[2] and g[3] == w[3] and g[5] == w[5], key
        assert g[4] == pytest.approx(w[4], rel=1e-12, abs=1e-12), key


def test_rollups_equal_a_query_on_the_raw_rows(engine) -> None:  # type: ignore[no-untyped-def]
    sids = sorted(sensor_ids(engine).values())[:3]
    rows = make_rows(sids, T0, 3 * 3600)
    write_rows(engine, rows)
    now = T0 + 3 * 3600 * 3 + 17.0  # the third sensor samples every 3 s: its rows end about here
    job = RollupJob(engine, lag=0, lookback=0)
    report = job.run_once(now)
    wm_m = math.floor(now / 60) * 60
    wm_h = math.floor(wm_m / 3600) * 3600
    assert report.minute_watermark == wm_m and report.hour_watermark == wm_h
    assert_same(table(engine, "rollup_minute"), expected(rows, 60, wm_m))
    assert_same(table(engine, "rollup_hour"), expected(rows, 3600, wm_h))
    # a second pass changes nothing and writes nothing
    before = (table(engine, "rollup_minute"), table(engine, "rollup_hour"))
    again = job.run_once(now)
    assert (again.minute_buckets, again.hour_buckets) == (0, 0)
    assert (table(engine, "rollup_minute"), table(engine, "rollup_hour")) == before


def test_job_is_incremental_and_folds_in_late_rows(engine) -> None:  # type: ignore[no-untyped-def]
    sid = sorted(sensor_ids(engine).values())[0]
    job = RollupJob(engine, lag=30, lookback=0, chunk=3600)
    assert job.run_once(T0).minute_watermark is None  # nothing stored yet: nothing to do
    first = make_rows([sid], T0, 1800, seed=2)
    write_rows(engine, first)
    r1 = job.run_once(T0 + 1800)
    assert r1.minute_watermark == math.floor((T0 + 1800 - 30) / 60) * 60
    second = make_rows([sid], T0 + 1800, 5400, seed=3)
    write_rows(engine, second)
    r2 = job.run_once(T0 + 7200)
    assert r2.minute_buckets <= 5400 / 60 + 2  # only the new minutes
    late = [(sid, T0 + 100.25, 1000.0, 1000.0, 0), (sid, T0 + 4000.75, -1000.0, -1000.0, 0)]
    job.tracking_writer(write_rows)(engine, late)  # what the history writer reports
    job.run_once(T0 + 7200)
    wm = read_state(engine).minute.watermark
    all_rows = first + second + late
    assert_same(table(engine, "rollup_minute"), expected(all_rows, 60, wm))
    assert_same(table(engine, "rollup_hour"), expected(all_rows, 3600, math.floor(wm / 3600) * 3600))
    # late rows nobody reported are caught by the lookback
    job2 = RollupJob(engine, lag=30, lookback=600)
    quiet = [(sid, wm - 300.5, 555.0, 555.0, 0)]
    write_rows(engine, quiet)
    job2.run_once(T0 + 7200)
    assert_same(table(engine, "rollup_minute"), expected(all_rows + quiet, 60, wm))


def test_retention_keeps_what_is_not_rolled_up(engine) -> None:  # type: ignore[no-untyped-def]
    sid = sorted(sensor_ids(engine).values())[0]
    day = 86400.0
    rows = [(sid, T0 + i * 60.0, float(i), float(i), 0) for i in range(int(4 * day / 60))]
    write_rows(engine, rows)
    now = T0 + 4 * day
    keep_everything = RollupJob(engine, retention=Retention(raw_days=1, minute_days=2, hour_days=3), lag=0)
    # before any rollup nothing raw may go
    assert keep_everything.prune(now).get("raw", 0) == 0
    keep_everything.run_once(now)  # rolls up (its own prune waits for prune_every after the one above)
    pruned = keep_everything.prune(now)
    assert pruned["raw"] > 0 and pruned["minute"] > 0 and pruned["hour"] > 0
    state = read_state(engine)
    assert state.raw.horizon == math.floor((now - day) / 60) * 60
    assert state.minute.horizon == math.floor((now - 2 * day) / 3600) * 3600
    with engine.connect() as c:
        oldest_raw = c.exec_driver_sql(f"SELECT min(ts) FROM readings WHERE sensor_id = {sid}").scalar()
        oldest_hour = c.exec_driver_sql(f"SELECT min(bucket) FROM rollup_hour WHERE sensor_id = {sid}").scalar()
    assert oldest_raw >= state.raw.horizon and oldest_hour >= math.floor((now - 3 * day) / 3600) * 3600
    # minutes before the raw horizon are never recomputed from the (deleted) raw rows
    before = table(engine, "rollup_minute")
    keep_everything.rebuild(T0)
    keep_everything.run_once(now)
    assert table(engine, "rollup_minute") == before
    with pytest.raises(ValueError):
        Retention(raw_days=0)


def test_job_thread_with_the_history_writer(sqlite_url: str) -> None:
    e = make_engine(sqlite_url)
    upgrade(e)
    import_plant(e, DEMO)
    sid = sorted(sensor_ids(e).values())[0]
    now = time.time()
    job = RollupJob(e, lag=0, lookback=0, interval=0.05)
    writer = HistoryWriter(e, writer=job.tracking_writer(write_rows), batch_seconds=0.01)
    writer.start()
    job.start()
    try:
        rows = [(sid, now - 7200 + i, float(i % 50), float(i), 0) for i in range(7000)]
        writer.add([(r, None) for r in rows])
        assert writer.flush(10)
        deadline = time.monotonic() + 10
        want = expected(rows, 60, math.floor(now / 60) * 60)
        while time.monotonic() < deadline and table(e, "rollup_minute").keys() != want.keys():
            time.sleep(0.05)
        assert_same(table(e, "rollup_minute"), want)
        assert job.running and job.runs >= 1 and job.last_error == ""
    finally:
        assert job.stop(5)
        writer.stop()
        e.dispose()
    assert not job.running
