"""Fixed-capacity sample buffers for live trends: O(1) appends, contiguous views, no per-sample copies.

`RingBuffer` mirrors every sample (written at `i` and `i + capacity`), so the newest `n` samples are
always one contiguous slice of the storage: reading them needs no copy and no `np.roll`, and an
append costs four scalar writes whatever the capacity.

`LiveSeries` is one live pen: a time-ordered RingBuffer that drops duplicates and out-of-order
samples, turns bad quality into NaN, puts a NaN between two samples further apart than the pen's
expected interval allows (so `connect="finite"` draws the gap), and grows (doubling, up to a bound)
rather than overwrite a sample that is still inside the window being shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

NAN = float("nan")


class RingBuffer:
    """The newest `capacity` (ts, value) pairs, float64."""

    __slots__ = ("_cap", "_n", "_ts", "_v", "_w")

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self._cap = int(capacity)
        self._ts = np.empty(2 * self._cap, dtype=np.float64)
        self._v = np.empty(2 * self._cap, dtype=np.float64)
        self._n = 0  # samples held
        self._w = 0  # next write position in [0, capacity)

    @property
    def capacity(self) -> int:
        return self._cap

    def __len__(self) -> int:
        return self._n

    @property
    def full(self) -> bool:
        return self._n == self._cap

    def append(self, ts: float, value: float) -> None:
        """Add the newest sample; the oldest one goes when the buffer is full."""
        w, cap = self._w, self._cap
        self._ts[w] = ts
        self._ts[w + cap] = ts
        self._v[w] = value
        self._v[w + cap] = value
        self._w = w + 1 if w + 1 < cap else 0
        if self._n < cap:
            self._n += 1

    def extend(self, ts: np.ndarray, values: np.ndarray) -> None:
        """Append many samples at once (oldest first); only the last `capacity` of them are kept."""
        ts = np.asarray(ts, dtype=np.float64)
        values = np.asarray(values, dtype=np.float64)
        if ts.shape != values.shape or ts.ndim != 1:
            raise ValueError("ts and values must be 1-D arrays of the same length")
        k = len(ts)
        if k == 0:
            return
        cap = self._cap
        if k >= cap:
            self._ts[:cap] = ts[-cap:]
            self._ts[cap:] = ts[-cap:]
            self._v[:cap] = values[-cap:]
            self._v[cap:] = values[-cap:]
            self._w = 0
            self._n = cap
            return
        w = self._w
        first = min(k, cap - w)  # up to the end of the lower half, then wrap
        for lo, src in ((w, slice(0, first)), (0, slice(first, k))):
            m = src.stop - src.start
            if m <= 0:
                continue
            self._ts[lo : lo + m] = ts[src]
            self._ts[lo + cap : lo + cap + m] = ts[src]
            self._v[lo : lo + m] = values[src]
            self._v[lo + cap : lo + cap + m] = values[src]
        self._w = (w + k) % cap
        self._n = min(self._n + k, cap)

    def view(self) -> tuple[np.ndarray, np.ndarray]:
        """(ts, values) of every sample held, oldest first: slices of the storage, not copies.

        They stay valid until the next append; copy what must outlive it (e.g. data handed to a plot).
        """
        start = self._w + self._cap - self._n
        end = self._w + self._cap
        return self._ts[start:end], self._v[start:end]

    def oldest_ts(self) -> float | None:
        if self._n == 0:
            return None
        return float(self._ts[self._w + self._cap - self._n])

    def newest(self) -> tuple[float, float] | None:
        if self._n == 0:
            return None
        i = self._w + self._cap - 1
        return float(self._ts[i]), float(self._v[i])

    def clear(self) -> None:
        self._n = 0
        self._w = 0

    def resized(self, capacity: int) -> RingBuffer:
        """A new buffer of `capacity` holding the newest samples of this one (one copy: call rarely)."""
        out = RingBuffer(capacity)
        ts, v = self.view()
        out.extend(ts, v)
        return out


@dataclass(frozen=True, slots=True)
class WindowStats:
    """count/average/min/max of the finite values in a window, and the newest finite value."""

    count: int
    average: float | None
    minimum: float | None
    maximum: float | None
    latest: float | None
    latest_ts: float | None


EMPTY_STATS = WindowStats(0, None, None, None, None, None)


def window_stats(ts: np.ndarray, values: np.ndarray) -> WindowStats:
    finite = np.isfinite(values)
    n = int(np.count_nonzero(finite))
    if n == 0:
        return EMPTY_STATS
    good = values[finite] if n != len(values) else values
    last = int(np.flatnonzero(finite)[-1])
    return WindowStats(
        count=n,
        average=float(good.mean()),
        minimum=float(good.min()),
        maximum=float(good.max()),
        latest=float(values[last]),
        latest_ts=float(ts[last]),
    )


class LiveSeries:
    """One live pen's samples for a rolling window.

    `window`: seconds shown; `interval`: the sensor's expected sampling interval (seconds), which
    sizes the buffer and sets the longest silence drawn as a line (`gap_factor * interval`).
    """

    def __init__(
        self,
        window: float,
        interval: float = 1.0,
        *,
        gap_factor: float = 3.0,
        max_capacity: int = 2_000_000,
        min_capacity: int = 256,
    ) -> None:
        if window <= 0:
            raise ValueError("window must be positive")
        self._interval = max(float(interval), 0.05)
        self._gap = gap_factor * self._interval
        self._max_capacity = max_capacity
        self._min_capacity = min_capacity
        self._window = float(window)
        self._buf = RingBuffer(self._capacity_for(self._window))
        self._last_ts = -math.inf
        self._last_finite = False
        self.dropped = 0  # samples refused: not newer than the newest held
        self.version = 0  # bumped on every change, so views know when to redraw

    def _capacity_for(self, window: float) -> int:
        # Samples plus one gap marker each at worst, with headroom for jitter.
        want = math.ceil(window / self._interval * 1.25) + 16
        return max(self._min_capacity, min(want, self._max_capacity))

    # -- properties -------------------------------------------------------------------------------
    @property
    def window(self) -> float:
        return self._window

    @property
    def interval(self) -> float:
        return self._interval

    @property
    def max_gap(self) -> float:
        return self._gap

    @property
    def capacity(self) -> int:
        return self._buf.capacity

    def __len__(self) -> int:
        return len(self._buf)

    def set_window(self, window: float) -> None:
        if window <= 0:
            raise ValueError("window must be positive")
        self._window = float(window)
        want = self._capacity_for(self._window)
        if want > self._buf.capacity:
            self._buf = self._buf.resized(want)
        self.version += 1

    # -- writing ---------------------------------------------------------------------------------------
    def add(self, ts: float, value: float | None, good: bool = True) -> bool:
        """Append one sample; False (and nothing stored) when it is not newer than the newest held."""
        if not ts > self._last_ts:
            self.dropped += 1
            return False
        v = NAN if value is None or not good else float(value)
        finite = v == v
        if self._last_finite and finite and ts - self._last_ts > self._gap:
            self._put(0.5 * (ts + self._last_ts), NAN)  # break the line across the silence
        self._put(ts, v)
        self._last_ts = ts
        self._last_finite = finite
        self.version += 1
        return True

    def _put(self, ts: float, v: float) -> None:
        buf = self._buf
        if buf.full and buf.capacity < self._max_capacity:
            oldest = buf.oldest_ts()
            if oldest is not None and oldest >= ts - self._window:
                # Overwriting would lose a sample still inside the window: grow instead.
                self._buf = buf = buf.resized(min(buf.capacity * 2, self._max_capacity))
        buf.append(ts, v)

    def load_history(self, ts: np.ndarray, values: np.ndarray) -> int:
        """Put older samples (from the history store) before the live ones; returns how many were used.

        `values` must already carry NaN for bad quality and gaps. Samples at or after the oldest
        live sample are skipped (the live ones win). One copy of the buffer: call once per backfill.
        """
        ts = np.asarray(ts, dtype=np.float64)
        values = np.asarray(values, dtype=np.float64)
        live_ts, live_v = self._buf.view()
        if len(live_ts):
            keep = ts < live_ts[0]
            ts, values = ts[keep], values[keep]
        if len(ts) == 0:
            return 0
        if len(live_ts) and ts[-1] < live_ts[0] - self._gap and np.isfinite(values[-1]) and np.isfinite(live_v[0]):
            ts = np.append(ts, 0.5 * (ts[-1] + live_ts[0]))
            values = np.append(values, NAN)
        all_ts = np.concatenate([ts, live_ts])
        all_v = np.concatenate([values, live_v])
        cap = max(self._buf.capacity, min(self._max_capacity, len(all_ts) + 64))
        buf = RingBuffer(cap)
        buf.extend(all_ts, all_v)
        self._buf = buf
        newest = buf.newest()
        if newest is not None:
            self._last_ts, last_v = newest
            self._last_finite = last_v == last_v
        self.version += 1
        return len(ts)

    def clear(self) -> None:
        self._buf.clear()
        self._last_ts = -math.inf
        self._last_finite = False
        self.version += 1

    # -- reading ----------------------------------------------------------------------------------------
    def view(self) -> tuple[np.ndarray, np.ndarray]:
        """Every sample held, oldest first (views: copy what must outlive the next `add`)."""
        return self._buf.view()

    def visible(self, t0: float, t1: float = math.inf) -> tuple[np.ndarray, np.ndarray]:
        """Samples with t0 <= ts <= t1, plus the one just before t0 so the line enters the view."""
        ts, v = self._buf.view()
        i = max(int(np.searchsorted(ts, t0, side="left")) - 1, 0)
        j = len(ts) if t1 == math.inf else int(np.searchsorted(ts, t1, side="right"))
        return ts[i:j], v[i:j]

    def value_at(self, t: float) -> float | None:
        """The value shown at time `t`: the newest sample at or before it (None in a gap or outside)."""
        ts, v = self._buf.view()
        i = int(np.searchsorted(ts, t, side="right")) - 1
        if i < 0:
            return None
        x = float(v[i])
        if x != x or t - float(ts[i]) > self._gap:
            return None
        return x

    def stats(self, t0: float, t1: float = math.inf) -> WindowStats:
        ts, v = self._buf.view()
        i = int(np.searchsorted(ts, t0, side="left"))
        j = len(ts) if t1 == math.inf else int(np.searchsorted(ts, t1, side="right"))
        return window_stats(ts[i:j], v[i:j])

    def newest(self) -> tuple[float, float] | None:
        return self._buf.newest()
