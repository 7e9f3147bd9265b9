"""What the trend screen's worker runs: history reads with statistics, live backfills, CSV writing.
Plain functions taking a `CancelToken`; no widgets. The CSV is a machine format: English headers,
ISO times in UTC and numbers with a decimal point, whatever the user's language."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from hmi.services.trends import CancelToken, RangeStats, SeriesData, TrendHistory
from hmi.ui.i18n import TrMap, fmt_number, translate
from hmi.ui.trend_pens import Pen

CONTEXT = "TrendJobs"
STORE_LABELS = TrMap(CONTEXT, {
    "raw": QT_TRANSLATE_NOOP("TrendJobs", "raw rows"),
    "minute": QT_TRANSLATE_NOOP("TrendJobs", "minute rollups"),
    "hour": QT_TRANSLATE_NOOP("TrendJobs", "hour rollups"),
})


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
    """What the history on the plot is made of, for the status line (in the user's language)."""
    items = list(series)
    if not items:
        return ""
    widths = [s.bucket_seconds for s in items if s.decimated]
    if not widths:
        return translate("TrendJobs", "raw samples")
    stores = sorted({st for s in items for st in s.stores}, key=("hour", "minute", "raw").index)
    width = max(widths)
    if width < 120:
        w = translate("TrendJobs", "{n} s").format(n=fmt_number(width, 0))
    elif width < 7200:
        w = translate("TrendJobs", "{n} min").format(n=fmt_number(width / 60, 0))
    else:
        w = translate("TrendJobs", "{n} h").format(n=fmt_number(width / 3600, 0))
    source = " + ".join(STORE_LABELS[s] for s in stores)
    return translate("TrendJobs", "min/max per {width} from {source}").format(width=w, source=source)
