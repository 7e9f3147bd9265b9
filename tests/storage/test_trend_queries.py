"""Trend reads on SQLite and a real PostgreSQL: raw when zoomed in, min/max in the database otherwise
(from raw rows or rollups, the same picture either way), exact statistics through the rollups,
cancellation, saved views and range presets."""

import math
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from hmi.core.decimation import minmax_decimate, plan_buckets
from hmi.core.errors import ValidationError
from hmi.core.permissions import PermissionDenied
from hmi.services.plant_io import import_plant, read_plant_file
from hmi.services.rollup_job import RollupJob
from hmi.services.trends import (
    CancelToken,
    FetchCancelled,
    PenSpec,
    TrendDefinition,
    TrendHistory,
    TrendViews,
    preset_range,
    shift_start,
)
from hmi.storage import trend_queries as q
from hmi.storage.database import make_engine
from hmi.storage.history import range_stats as raw_range_stats
from hmi.storage.history import write_rows
from hmi.storage.migrate import upgrade
from hmi.storage.plant_repo import sensor_ids

DEMO = Path(__file__).resolve().parents[2] / "resources/plants/demo.toml"
DAY = 86400.0
T0 = 1_789_999_200.0  # a whole hour
END = T0 + 2 * DAY


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, sqlite_url):  # type: ignore[no-untyped-def]
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("pg_url")
    e = make_engine(url)
    upgrade(e)
    import_plant(e, DEMO)
    yield e
    e.dispose()


@pytest.fixture
def loaded(engine):  # type: ignore[no-untyped-def]
    """Two days of one sensor every 10 s (bad rows, NULLs, a 2 h outage), rolled up to 6 h before the end."""
    sid = sorted(sensor_ids(engine).values())[0]
    rng = np.random.default_rng(7)
    ts = T0 + np.arange(0, 2 * DAY, 10.0) + rng.random(int(2 * DAY / 10)) * 3
    v = 50 + 20 * np.sin(ts / 5000) + rng.normal(0, 2, len(ts))
    qual = np.where(rng.random(len(ts)) < 0.01, 2, 0)
    outage = (ts > T0 + 30000) & (ts < T0 + 37200)
    rows = [
        (sid, t, None if i % 997 == 0 else x, x, int(qq))
        for i, (t, x, qq, out) in enumerate(zip(ts.tolist(), v.tolist(), qual.tolist(), outage.tolist(), strict=True))
        if not out
    ]
    write_rows(engine, rows)
    RollupJob(engine, lag=6 * 3600, lookback=0).run_once(END)
    ref_t = np.array([r[1] for r in rows])
    ref_v = np.array([r[2] if r[2] is not None and r[4] < 2 else np.nan for r in rows], dtype=float)
    return engine, sid, ref_t, ref_v


def test_zoomed_in_gives_the_raw_rows_with_nan_for_bad_values(loaded) -> None:  # type: ignore[no-untyped-def]
    engine, sid, ref_t, ref_v = loaded
    a, b = T0 + 3600, T0 + 7200
    s = q.fetch_series(engine, sid, a, b, 1000)
    assert not s.decimated and s.stores == ("raw",)
    m = (ref_t >= a) & (ref_t <= b)
    np.testing.assert_array_equal(s.ts, ref_t[m])
    np.testing.assert_array_equal(s.values, ref_v[m])  # NaN where bad or NULL (equal_nan by default)
    ts, v = q.fetch_raw(engine, sid, a, b)
    assert len(ts) == m.sum() and np.isnan(v).sum() == np.isnan(ref_v[m]).sum()


def test_silence_is_a_gap(loaded) -> None:  # type: ignore[no-untyped-def]
    engine, sid, _t, _v = loaded
    s = q.fetch_series(engine, sid, T0 + 29000, T0 + 38000, 10_000, min_gap=30.0)
    inside = (s.ts > T0 + 30000) & (s.ts < T0 + 37200)
    assert inside.sum() == 1 and np.isnan(s.values[inside]).all()  # one NaN across the outage
    d = q.fetch_series(engine, sid, T0, END, 2000)  # decimated: the outage is still a gap
    inside = (d.ts > T0 + 30000) & (d.ts < T0 + 37200)
    assert inside.sum() >= 1 and np.isnan(d.values[inside]).all()


def test_decimated_in_the_database_equals_the_reference(loaded) -> None:  # type: ignore[no-untyped-def]
    engine, sid, ref_t, ref_v = loaded
    for a, b, max_points in ((T0 + 123.4, T0 + 20000.6, 1200), (T0 + 50, END - 7 * 3600, 300), (T0, END, 40)):
        s = q.fetch_series(engine, sid, a, b, max_points)
        p = plan_buckets(a, b, max_points)
        assert s.decimated and s.bucket_seconds == p.width
        assert len(s) <= max_points + 8  # about 2 points per bucket (+ gaps, + split buckets at a watermark)
        # the reference: numpy min/max over the raw rows the stores cover
        lo = a if p.tier == 0 else math.floor(a / p.tier) * p.tier
        m = (ref_t >= lo) & (ref_t <= b)
        _rt, rv = minmax_decimate(ref_t[m], ref_v[m], p.origin, p.width)
        got = np.isfinite(s.values)
        want = np.isfinite(rv)
        if p.tier:
            assert "minute" in s.stores or "hour" in s.stores
        # same extremes, except that a bucket split by the rollup watermark may add its points twice
        assert set(rv[want].tolist()) <= set(s.values[got].tolist())
        assert s.values[got].min() == rv[want].min() and s.values[got].max() == rv[want].max()
        assert set(s.values[got].tolist()) <= set(ref_v[np.isfinite(ref_v)].tolist())


def test_rollup_tiers_draw_the_same_as_raw_rows(loaded) -> None:  # type: ignore[no-untyped-def]
    """Where the rollups cover the whole range, the picture is the raw one: rollups equal the raw rows."""
    engine, sid, ref_t, ref_v = loaded
    for a, b, max_points, store in ((T0, T0 + DAY, 1000, "minute"), (T0, T0 + 1.5 * DAY, 40, "hour")):
        s = q.fetch_series(engine, sid, a, b, max_points)
        assert s.stores == (store,)
        p = plan_buckets(a, b, max_points)
        m = (ref_t >= a) & (ref_t < p.origin + p.count * p.width) & (ref_t <= b + p.tier)
        rt, rv = minmax_decimate(ref_t[m], ref_v[m], p.origin, p.width)
        f = np.isfinite(s.values)
        g = np.isfinite(rv)
        # compare bucket by bucket on the buckets inside [a, b]
        keep_s = f & (s.ts < b)
        keep_r = g & (rt < b)
        assert keep_s.sum() > 20
        np.testing.assert_array_equal(s.ts[keep_s], rt[keep_r])
        np.testing.assert_array_equal(s.values[keep_s], rv[keep_r])


def test_newest_part_comes_from_raw_rows(loaded) -> None:  # type: ignore[no-untyped-def]
    engine, sid, ref_t, ref_v = loaded
    s = q.fetch_series(engine, sid, T0, END, 200)
    assert s.stores[-1] == "raw" and s.stores[0] in ("minute", "hour")
    newest = ref_t[np.isfinite(ref_v)][-1]
    assert s.ts[np.isfinite(s.values)][-1] == newest


def test_statistics_through_rollups_are_exact(loaded) -> None:  # type: ignore[no-untyped-def]
    engine, sid, _t, _v = loaded
    for a, b in ((T0 + 17.5, END - 1.25), (T0 + 3599, T0 + 3601), (T0 + 1000, T0 + 90000.5), (END, END + 10)):
        got = q.range_stats(engine, sid, a, b)
        want = raw_range_stats(engine, sid, a, b)
        assert got.count == want.count
        assert (got.minimum, got.maximum, got.latest, got.latest_ts) == (
            want.minimum, want.maximum, want.latest, want.latest_ts)
        if want.average is None:
            assert got.average is None
        else:
            assert got.average == pytest.approx(want.average, rel=1e-9)


def test_a_running_read_is_cancelled(engine) -> None:  # type: ignore[no-untyped-def]
    token = CancelToken()
    token.cancel()
    with pytest.raises(FetchCancelled):
        q.fetch_raw(engine, 1, T0, END, cancel=token)
    slow = (
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c) SELECT count(*) FROM c"
        if engine.dialect.name == "sqlite" else "SELECT pg_sleep(30)"
    )
    token = CancelToken()
    threading.Timer(0.3, token.cancel).start()
    with pytest.raises(FetchCancelled), q._cursor(engine, token) as (cur, _dialect):
        cur.execute(slow)
    # the pooled connection is usable afterwards
    assert len(q.fetch_raw(engine, 1, T0, END)[0]) == 0


def test_history_service_by_eui(loaded) -> None:  # type: ignore[no-untyped-def]
    engine, sid, _t, _v = loaded
    plant = read_plant_file(DEMO)
    eui = next(e for e, i in sensor_ids(engine).items() if i == sid)
    h = TrendHistory(engine, plant)
    s = h.fetch(eui, T0, END, 3000)
    assert s.decimated and len(s) <= 3000 + 8
    st = h.stats(eui, T0, END)
    assert st.count > 0 and st.minimum <= st.average <= st.maximum
    with pytest.raises(KeyError):
        h.fetch("FFFFFFFFFFFFFFFF", T0, END, 100)
    with pytest.raises(ValueError):
        h.stats(eui, END, T0)


def test_saved_views_per_user_and_shared(engine) -> None:  # type: ignore[no-untyped-def]
    views = TrendViews(engine)
    d = TrendDefinition(
        pens=(PenSpec("A1B2C3D4E5F61001", "#1f5f99", True), PenSpec("A1B2C3D4E5F61002")),
        mode="history", preset="custom", t0=T0, t1=END, layout="stacked",
    )
    mine = views.save("ana", "Intake", d)
    assert mine.owner == "ana" and not mine.shared and mine.definition == d
    views.save("ana", "Intake", d, shared=True)  # same name: replaced, not doubled
    views.save("bob", "Private", TrendDefinition())
    assert [v.name for v in views.list("ana")] == ["Intake"]
    bob_sees = views.list("bob")
    assert [(v.name, v.owner) for v in bob_sees] == [("Private", "bob"), ("Intake", "ana")]
    shared = bob_sees[1]
    assert not shared.editable_by("bob")
    with pytest.raises(PermissionDenied):
        views.delete("bob", shared.id)
    with pytest.raises(PermissionDenied):
        views.set_shared("bob", shared.id, False)
    assert views.set_shared("ana", shared.id, False).shared is False
    assert [v.name for v in views.list("bob")] == ["Private"]
    views.delete("ana", shared.id)
    assert views.list("ana") == []
    with pytest.raises(ValidationError):
        views.save("ana", "  ", d)
    with pytest.raises(PermissionDenied):
        views.save("", "x", d)


def test_definition_round_trip_and_validation() -> None:
    d = TrendDefinition(pens=(PenSpec("A1B2C3D4E5F61001", "#123456", True, False),), window=900.0, layout="axes")
    assert TrendDefinition.from_json(d.to_json()) == d
    for bad in ({"mode": "x"}, {"layout": "x"}, {"window": -1}, {"pens": [{"eui": "nope"}]},
                {"range": {"preset": "custom"}}, {"pens": [{"eui": "A1B2C3D4E5F61001", "colour": "red"}]}):
        with pytest.raises(ValidationError):
            TrendDefinition.from_json(bad)


def test_range_presets() -> None:
    cet = timezone(timedelta(hours=1))
    now = datetime(2026, 11, 24, 9, 30, tzinfo=cet).timestamp()
    assert preset_range("last_hour", now) == (now - 3600, now)
    assert preset_range("last_30d", now) == (now - 30 * DAY, now)
    assert shift_start(now, (6, 14, 22), cet) == datetime(2026, 11, 24, 6, 0, tzinfo=cet).timestamp()
    early = datetime(2026, 11, 24, 3, 0, tzinfo=cet).timestamp()
    assert shift_start(early, (6, 14, 22), cet) == datetime(2026, 11, 23, 22, 0, tzinfo=cet).timestamp()
    assert preset_range("shift", early, tz=cet)[0] == datetime(2026, 11, 23, 22, tzinfo=cet).timestamp()
    assert datetime.fromtimestamp(preset_range("last_24h", now)[0], UTC) == datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    with pytest.raises(KeyError):
        preset_range("custom", now)
