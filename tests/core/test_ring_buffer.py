"""Live trend buffers: wrap-around without copies, gaps, growth, backfill."""

import math
from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmi.core.ring_buffer import LiveSeries, RingBuffer, window_stats

T0 = 1_790_000_000.0


def test_wrap_around_keeps_the_newest_in_order_as_one_slice() -> None:
    buf = RingBuffer(5)
    for i in range(13):
        buf.append(T0 + i, float(i))
    ts, v = buf.view()
    assert v.tolist() == [8.0, 9.0, 10.0, 11.0, 12.0]
    assert ts.tolist() == [T0 + i for i in range(8, 13)]
    assert len(buf) == 5 and buf.full
    assert buf.oldest_ts() == T0 + 8 and buf.newest() == (T0 + 12, 12.0)
    # a view is a slice of the storage, not a copy
    assert v.base is not None and np.shares_memory(v, buf._v)


def test_append_writes_a_constant_amount_whatever_the_capacity() -> None:
    big = RingBuffer(1_000_000)
    big.append(T0, 1.0)
    ts, v = big.view()
    assert len(ts) == 1 and v[0] == 1.0
    assert big.view()[0].base is big._ts  # no copy on read either


@settings(max_examples=200, deadline=None)
@given(
    capacity=st.integers(min_value=1, max_value=20),
    ops=st.lists(st.one_of(st.integers(min_value=1, max_value=1), st.integers(min_value=2, max_value=45)), max_size=40),
)
def test_ring_buffer_matches_a_bounded_deque(capacity: int, ops: list[int]) -> None:
    buf = RingBuffer(capacity)
    ref: deque[float] = deque(maxlen=capacity)
    k = 0
    for op in ops:
        if op == 1:
            buf.append(T0 + k, float(k))
            ref.append(float(k))
            k += 1
        else:  # extend with a batch of `op` samples
            vals = np.arange(k, k + op, dtype=float)
            buf.extend(T0 + vals, vals)
            ref.extend(vals.tolist())
            k += op
        ts, v = buf.view()
        assert v.tolist() == list(ref)
        assert (ts - T0).tolist() == list(ref)


def test_resized_keeps_the_newest() -> None:
    buf = RingBuffer(4)
    for i in range(6):
        buf.append(T0 + i, float(i))
    small = buf.resized(2)
    assert small.view()[1].tolist() == [4.0, 5.0]
    big = buf.resized(10)
    assert big.view()[1].tolist() == [2.0, 3.0, 4.0, 5.0]
    with pytest.raises(ValueError):
        RingBuffer(0)


def test_live_series_bad_quality_is_nan_and_silence_is_a_gap() -> None:
    s = LiveSeries(window=600, interval=1.0)
    assert s.add(T0, 1.0)
    assert s.add(T0 + 1, 2.0, good=False)  # bad quality
    assert s.add(T0 + 2, None)  # no value
    assert s.add(T0 + 3, 4.0)
    assert s.add(T0 + 20, 5.0)  # 17 s of silence > 3 x 1 s
    ts, v = s.view()
    assert ts.tolist() == [T0, T0 + 1, T0 + 2, T0 + 3, T0 + 11.5, T0 + 20]
    assert [x if x == x else None for x in v.tolist()] == [1.0, None, None, 4.0, None, 5.0]
    assert s.value_at(T0 + 3.5) == 4.0
    assert s.value_at(T0 + 15) is None  # inside the gap
    assert s.value_at(T0 - 1) is None


def test_live_series_drops_duplicates_and_out_of_order() -> None:
    s = LiveSeries(window=60, interval=1.0)
    assert s.add(T0 + 5, 1.0)
    assert not s.add(T0 + 5, 2.0)
    assert not s.add(T0 + 4, 2.0)
    assert s.dropped == 2 and len(s) == 1


def test_live_series_wraps_but_never_loses_a_sample_inside_the_window() -> None:
    s = LiveSeries(window=100, interval=1.0, min_capacity=16)
    cap = s.capacity
    # 10 samples a second: more than the interval promised; the buffer must grow to hold the window
    for i in range(3000):
        s.add(T0 + i * 0.1, float(i))
    assert s.capacity > cap
    ts, v = s.visible(T0 + 299.9 - 100)
    assert ts[-1] == pytest.approx(T0 + 299.9)
    assert ts[1] <= T0 + 199.9 + 1e-6  # the whole window is there
    assert np.all(np.diff(v) == 1.0)  # and in order, nothing lost
    # at the promised rate it settles: capacity bounded, oldest samples overwritten
    s2 = LiveSeries(window=100, interval=1.0, min_capacity=16)
    for i in range(10_000):
        s2.add(T0 + i, float(i))
    assert s2.capacity < 200 and len(s2) == s2.capacity
    assert s2.view()[1][-1] == 9999.0


def test_live_series_window_stats_and_visible() -> None:
    s = LiveSeries(window=3600, interval=1.0)
    for i in range(100):
        s.add(T0 + i, float(i), good=i != 50)
    st_ = s.stats(T0 + 40, T0 + 59)
    assert st_.count == 19 and st_.minimum == 40.0 and st_.maximum == 59.0
    assert st_.latest == 59.0 and st_.latest_ts == T0 + 59
    assert st_.average == pytest.approx(np.mean([x for x in range(40, 60) if x != 50]))
    ts, _ = s.visible(T0 + 10.5, T0 + 20)
    assert ts[0] == T0 + 10 and ts[-1] == T0 + 20  # one sample before the window, so the line enters it
    assert window_stats(np.array([T0]), np.array([math.nan])).count == 0


def test_live_series_backfill_goes_before_the_live_samples() -> None:
    s = LiveSeries(window=3600, interval=1.0)
    for i in range(10):
        s.add(T0 + 100 + i, 100.0 + i)
    hist_t = T0 + np.arange(0, 105, dtype=float)
    used = s.load_history(hist_t, np.arange(0, 105, dtype=float))
    assert used == 100  # the overlap with live samples is skipped
    ts, v = s.view()
    assert np.all(np.diff(ts) > 0) and v.tolist() == [float(i) for i in range(110)]
    assert s.add(T0 + 110, 110.0)  # and live appends continue after it
    # a hole between history and the live part becomes a gap
    s2 = LiveSeries(window=3600, interval=1.0)
    s2.add(T0 + 500, 1.0)
    s2.load_history(np.array([T0, T0 + 1]), np.array([3.0, 4.0]))
    assert np.isnan(s2.view()[1][2])


def test_live_series_window_change_grows_capacity() -> None:
    s = LiveSeries(window=60, interval=1.0)
    small = s.capacity
    s.set_window(86400)
    assert s.capacity > 86400 > small
    with pytest.raises(ValueError):
        s.set_window(0)
