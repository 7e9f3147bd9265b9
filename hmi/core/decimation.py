"""Min/max decimation for trends: at most two points per bucket, every extreme kept.

A trend `max_points` wide (about twice the plot's pixel width) is cut into buckets of equal width on a
grid aligned to multiples of that width (so panning never shifts the buckets and the picture does not
shimmer). Each bucket with usable values gives its minimum at the time of its first sample and its
maximum at the time of its last one (pyqtgraph's "peak" downsampling draws the same envelope), or one
point when the bucket holds one sample. Bad values (NaN) never enter a minimum or a maximum; where
consecutive points are further apart than `max_gap`, a NaN point breaks the line.

The database does the same bucketing (hmi/storage/trend_queries.py) and keeps per-minute and per-hour
rollups with the same first/last/min/max per bucket; this module is the reference they are tested
against, and `plan_buckets` picks which store answers: raw rows, minute or hour rollups.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

RAW, MINUTE, HOUR = 0, 60, 3600
TIERS = (MINUTE, HOUR)


@dataclass(frozen=True, slots=True)
class BucketPlan:
    """`count` buckets of `width` seconds from `origin`; `tier` is the coarsest rollup (seconds, 0 = raw
    rows) whose buckets nest in these: `width` is a whole multiple of it and `origin` is aligned."""

    origin: float
    width: float
    count: int
    tier: int

    def index(self, ts: float) -> int:
        return math.floor((ts - self.origin) / self.width)


def plan_buckets(t0: float, t1: float, max_points: int, tiers: tuple[int, ...] = TIERS) -> BucketPlan:
    """Buckets for [t0, t1] giving at most about `max_points` points (two per bucket)."""
    if not t1 > t0:
        raise ValueError(f"empty range: {t0} .. {t1}")
    buckets = max(int(max_points) // 2, 1)
    width = (t1 - t0) / buckets
    tier = RAW
    for t in sorted(tiers):
        if width >= t:
            tier = t
    if tier:
        width = math.ceil(width / tier) * tier
    origin = math.floor(t0 / width) * width
    count = max(math.ceil((t1 - origin) / width), 1)
    return BucketPlan(origin=origin, width=width, count=count, tier=tier)


@dataclass(frozen=True, slots=True)
class Buckets:
    """Per-bucket aggregates, sorted by bucket index; only buckets with at least one usable value."""

    index: np.ndarray  # int64
    first_ts: np.ndarray
    last_ts: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray
    count: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.index)

    @staticmethod
    def empty() -> Buckets:
        f = np.empty(0, dtype=np.float64)
        i = np.empty(0, dtype=np.int64)
        return Buckets(i, f, f, f, f, i)

    @staticmethod
    def concat(parts: list[Buckets]) -> Buckets:
        parts = [p for p in parts if len(p)]
        if not parts:
            return Buckets.empty()
        if len(parts) == 1:
            return parts[0]
        return Buckets(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in ("index", "first_ts", "last_ts", "minimum",
                                                                       "maximum", "count"))
        )


def bucketize(ts: np.ndarray, values: np.ndarray, origin: float, width: float) -> Buckets:
    """Group samples (sorted by ts) into buckets; NaN values are left out (a bucket of only NaN is absent)."""
    ts = np.asarray(ts, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(values)
    ts, values = ts[ok], values[ok]
    if len(ts) == 0:
        return Buckets.empty()
    idx = np.floor((ts - origin) / width).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, idx[1:] != idx[:-1]])
    ends = np.r_[starts[1:], len(ts)]
    return Buckets(
        index=idx[starts],
        first_ts=ts[starts],
        last_ts=ts[ends - 1],
        minimum=np.minimum.reduceat(values, starts),
        maximum=np.maximum.reduceat(values, starts),
        count=(ends - starts).astype(np.int64),
    )


def buckets_to_points(b: Buckets, max_gap: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(ts, values) to draw: per bucket (first_ts, min) then (last_ts, max), one point for one sample,
    and a NaN between two buckets when the last sample of one and the first of the next are more than
    `max_gap` apart. (Within a bucket, a pixel or less wide, no gap is drawn.)"""
    n = len(b)
    if n == 0:
        return np.empty(0), np.empty(0)
    gap = np.zeros(n, dtype=bool)  # a NaN after bucket k
    if max_gap is not None and n > 1:
        gap[:-1] = (b.first_ts[1:] - b.last_ts[:-1]) > max_gap
    ts = np.empty((n, 3))
    vs = np.empty((n, 3))
    ts[:, 0], ts[:, 1] = b.first_ts, b.last_ts
    vs[:, 0], vs[:, 1] = b.minimum, b.maximum
    ts[:-1, 2] = 0.5 * (b.last_ts[:-1] + b.first_ts[1:])
    ts[-1, 2] = b.last_ts[-1]
    vs[:, 2] = np.nan
    keep = np.empty((n, 3), dtype=bool)
    keep[:, 0] = True
    keep[:, 1] = b.count > 1
    keep[:, 2] = gap
    return ts[keep], vs[keep]


def minmax_decimate(
    ts: np.ndarray, values: np.ndarray, origin: float, width: float, max_gap: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The reference decimation: bucketize then draw points (see the module docstring)."""
    return buckets_to_points(bucketize(ts, values, origin, width), max_gap)


def insert_gaps(ts: np.ndarray, values: np.ndarray, max_gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Insert a NaN midway wherever two consecutive samples are more than `max_gap` apart."""
    ts = np.asarray(ts, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    if len(ts) < 2:
        return ts, values
    where = np.flatnonzero(np.diff(ts) > max_gap)
    if len(where) == 0:
        return ts, values
    mid = 0.5 * (ts[where] + ts[where + 1])
    return np.insert(ts, where + 1, mid), np.insert(values, where + 1, np.nan)


def estimate_interval(ts: np.ndarray) -> float | None:
    """The typical spacing of samples (median of differences), None with fewer than two."""
    if len(ts) < 2:
        return None
    d = np.diff(np.asarray(ts, dtype=np.float64))
    d = d[d > 0]
    return float(np.median(d)) if len(d) else None


def plan_segments(
    t0: float, t1: float, preferred: int, coverage: dict[int, tuple[float, float]]
) -> list[tuple[int, float, float]]:
    """Which store answers which part of [t0, t1]: a list of (tier, start, end), in time order.

    `coverage` maps a tier (0 = raw rows, 60, 3600) to the [lo, hi) span it holds complete data for.
    Each part is answered by the finest store at least as coarse as `preferred` that covers it, or,
    where none does (the newest minutes are not rolled up yet), by the coarsest finer one that does.
    Parts no store covers are left out.
    """
    if not t1 > t0:
        return []
    cuts = {t0, t1}
    for lo, hi in coverage.values():
        for x in (lo, hi):
            if t0 < x < t1:
                cuts.add(x)
    edges = sorted(cuts)
    out: list[tuple[int, float, float]] = []
    for x, y in itertools.pairwise(edges):
        avail = [tier for tier, (lo, hi) in coverage.items() if lo <= x and y <= hi]
        if not avail:
            continue
        coarser = [t for t in avail if t >= preferred]
        tier = min(coarser) if coarser else max(avail)
        if out and out[-1][0] == tier and out[-1][2] == x:
            out[-1] = (tier, out[-1][1], y)
        else:
            out.append((tier, x, y))
    return out
