"""What the trend screen's worker runs: history reads with statistics, live backfills, CSV writing.
Plain functions taking a `CancelToken`; no Qt."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hmi.services.trends import CancelToken, RangeStats, SeriesData, TrendHistory
from hmi.ui.trend_pens import Pen


@dataclass
class HistoryResult:
    t0: float
    t1: float
    visible: tuple[float, float]
    series: dict[str, SeriesData] = field(default_factory=dict)
    stats: dict[str, RangeStats] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def fetch_history(
    history: TrendHistory, euis: list[str], t0: float, t1: float, max_points: int, visible: tuple[float, float],
    with_series: bool, token: CancelToken,
) -> HistoryResult:
    """Each pen's series for [t0, t1] (when `with_series`) and its statistics for the visible range."""
    out = HistoryResult(t0, t1, visible)
    for eui in euis:
        token.check()
        try:
            if with_series:
                out.series[eui] = history.fetch(eui, t0, t1, max_points, token)
            out.stats[eui] = history.stats(eui, visible[0], visible[1], token)
        except KeyError as exc:
            out.errors[eui] = str(exc.args[0] if exc.args else exc)
    return out


def fetch_backfill(
    history: TrendHistory, eui: str, t0: float, t1: float, max_points: int | None, token: CancelToken
) -> tuple[str, SeriesData]:
    return eui, history.fetch(eui, t0, t1, max_points, token)


def write_csv(path: Path, rows: list[tuple[Pen, Any, Any, str]], _token: CancelToken) -> str:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["time_utc", "epoch_s", "mill", "sensor", "eui", "unit", "value", "resolution"])
        for pen, ts, values, resolution in rows:
            meta = (pen.mill_name, pen.sensor.name, pen.eui, pen.unit)
            for t, v in zip(ts.tolist(), values.tolist(), strict=True):
                if v != v:
                    continue
                stamp = datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
                w.writerow([stamp, f"{t:.3f}", *meta, repr(v), resolution])
    return str(path)


def describe_resolution(series: Iterable[SeriesData]) -> str:
    items = list(series)
    if not items:
        return ""
    widths = [s.bucket_seconds for s in items if s.decimated]
    if not widths:
        return "raw samples"
    stores = sorted({st for s in items for st in s.stores}, key=("hour", "minute", "raw").index)
    width = max(widths)
    w = f"{width:.0f} s" if width < 120 else (f"{width / 60:.0f} min" if width < 7200 else f"{width / 3600:.0f} h")
    source = " + ".join({"raw": "raw rows", "minute": "minute rollups", "hour": "hour rollups"}[s] for s in stores)
    return f"min/max per {w} from {source}"
