"""Min/max decimation keeps every extreme; bucket plans and segment plans pick the right store."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmi.core.decimation import (
    HOUR,
    MINUTE,
    RAW,
    bucketize,
    buckets_to_points,
    estimate_interval,
    insert_gaps,
    minmax_decimate,
    plan_buckets,
    plan_segments,
)

T0 = 1_790_000_000.0


@st.composite
def series(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(min_value=0, max_value=200))
    steps = draw(st.lists(st.floats(min_value=0.001, max_value=50.0), min_size=n, max_size=n))
    ts = T0 + np.cumsum(np.array(steps, dtype=float))
    values = draw(
        st.lists(
            st.one_of(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.just(math.nan)),
            min_size=n,
            max_size=n,
        )
    )
    return ts, np.array(values, dtype=float)


@settings(max_examples=200, deadline=None)
@given(data=series(), max_points=st.integers(min_value=4, max_value=300))
def test_decimation_keeps_every_bucket_minimum_and_maximum(
    data: tuple[np.ndarray, np.ndarray], max_points: int
) -> None:
    ts, values = data
    if len(ts) == 0:
        out_t, out_v = minmax_decimate(ts, values, T0, 1.0)
        assert len(out_t) == len(out_v) == 0
        return
    plan = plan_buckets(float(ts[0]), float(ts[-1]) + 1e-3, max_points)
    out_t, out_v = minmax_decimate(ts, values, plan.origin, plan.width, max_gap=None)
    finite = values[np.isfinite(values)]
    kept = out_v[np.isfinite(out_v)]
    # at most two points per bucket, and never more than the raw data had
    assert len(out_t) <= 2 * plan.count
    assert len(kept) <= len(finite)
    # every value drawn is a raw value, at the time of a raw sample of its bucket
    assert set(kept.tolist()) <= set(finite.tolist())
    assert set(out_t[np.isfinite(out_v)].tolist()) <= set(ts.tolist())
    # every bucket's minimum and maximum is drawn, by brute force over the raw samples
    idx = np.floor((ts - plan.origin) / plan.width)
    for b in np.unique(idx[np.isfinite(values)]):
        in_b = (idx == b) & np.isfinite(values)
        lo, hi = values[in_b].min(), values[in_b].max()
        t_in = (out_t >= ts[in_b][0]) & (out_t <= ts[in_b][-1])
        assert lo in out_v[t_in] and hi in out_v[t_in]
    if len(finite):
        assert kept.min() == finite.min() and kept.max() == finite.max()
    # drawn in time order
    assert np.all(np.diff(out_t) >= 0)


@settings(max_examples=100, deadline=None)
@given(data=series(), gap=st.floats(min_value=0.5, max_value=100.0))
def test_gaps_break_the_line_between_buckets_only(data: tuple[np.ndarray, np.ndarray], gap: float) -> None:
    ts, values = data
    b = bucketize(ts, values, T0, 10.0)
    out_t, out_v = buckets_to_points(b, max_gap=gap)
    expected_gaps = int(np.count_nonzero(b.first_ts[1:] - b.last_ts[:-1] > gap)) if len(b) > 1 else 0
    assert int(np.count_nonzero(np.isnan(out_v))) == expected_gaps
    assert np.all(np.diff(out_t) >= 0)


def test_bucketize_leaves_out_bad_values_and_empty_buckets() -> None:
    ts = T0 + np.array([0.0, 1.0, 2.0, 10.0, 11.0, 25.0])
    v = np.array([5.0, np.nan, 1.0, np.nan, np.nan, 7.0])
    b = bucketize(ts, v, T0, 10.0)
    assert b.index.tolist() == [0, 2]
    assert b.minimum.tolist() == [1.0, 7.0] and b.maximum.tolist() == [5.0, 7.0]
    assert b.count.tolist() == [2, 1]
    t, y = buckets_to_points(b, max_gap=5.0)
    assert y[:2].tolist() == [1.0, 5.0] and math.isnan(y[2]) and y[3] == 7.0  # min, max, gap, single sample
    assert t.tolist()[:2] == [T0 + 0.0, T0 + 2.0]


def test_plan_buckets_nests_rollups_and_stays_within_budget() -> None:
    for span, max_points, tier in ((3600, 3000, RAW), (86400, 3000, RAW), (86400, 2000, MINUTE),
                                   (7 * 86400, 3000, MINUTE), (365 * 86400, 3000, HOUR)):
        t0 = T0 + 12.345
        p = plan_buckets(t0, t0 + span, max_points)
        assert p.tier == tier
        assert p.origin <= t0 and p.origin + p.count * p.width >= t0 + span
        assert p.count <= max_points // 2 + 1
        if tier:
            assert p.width % tier == 0 and p.origin % tier == 0  # rollup buckets fall inside one bucket
        k = p.origin / p.width
        assert abs(k - round(k)) < 1e-6  # a multiple of the width: panning keeps the same grid
    with pytest.raises(ValueError):
        plan_buckets(T0, T0, 100)


def test_plan_segments_prefers_rollups_and_fills_in_the_newest_part_from_raw() -> None:
    cov = {RAW: (-math.inf, math.inf), MINUTE: (-math.inf, 1000.0), HOUR: (-math.inf, 720.0)}
    assert plan_segments(0, 2000, HOUR, cov) == [(HOUR, 0, 720.0), (MINUTE, 720.0, 1000.0), (RAW, 1000.0, 2000)]
    assert plan_segments(0, 2000, MINUTE, cov) == [(MINUTE, 0, 1000.0), (RAW, 1000.0, 2000)]
    assert plan_segments(0, 2000, RAW, cov) == [(RAW, 0, 2000)]
    # raw rows pruned before 500: the coarser store answers there even when raw was preferred
    cov[RAW] = (500.0, math.inf)
    assert plan_segments(0, 2000, RAW, cov) == [(MINUTE, 0, 500.0), (RAW, 500.0, 2000)]
    # nothing rolled up yet: all raw
    assert plan_segments(0, 10, HOUR, {RAW: (-math.inf, math.inf)}) == [(RAW, 0, 10)]
    assert plan_segments(5, 5, HOUR, cov) == []


def test_insert_gaps_and_interval() -> None:
    ts = np.array([0.0, 1.0, 2.0, 10.0, 11.0])
    t, v = insert_gaps(ts, np.ones(5), 3.0)
    assert t.tolist() == [0.0, 1.0, 2.0, 6.0, 10.0, 11.0]
    assert np.isnan(v[3]) and np.isfinite(np.delete(v, 3)).all()
    assert estimate_interval(ts) == 1.0
    assert estimate_interval(ts[:1]) is None
