"""What the operator sees about each sensor: latest reading, display state, age and text.

The Qt item models (sensor_table_model.py, mill_list.py) are thin adapters over one SensorBoard.
No widgets or item models here, so it is tested like core code; only the words go through Qt's
translation (labels as `TrMap` tables, numbers and ages in the user's locale: hmi/ui/i18n.py).
It also keeps each sensor's last hour for the table's sparklines (`Sparkline`), decimated on the way
in so a thousand sensors at 1 Hz cost a few MB.
"""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP

from hmi.core.domain import Mill, Quality, Reading, Sensor, SensorType, Severity
from hmi.core.plant import Plant
from hmi.ui import domain_words
from hmi.ui.i18n import TrMap, fmt_duration, fmt_number

if TYPE_CHECKING:  # numpy loads with the first closed bucket of a sparkline, not with the window
    import numpy as np

    from hmi.core.ring_buffer import RingBuffer


class SensorState(enum.StrEnum):
    """The display state of one sensor. Only WARNING, CRITICAL and BAD are abnormal (coloured)."""

    NORMAL = "normal"
    WARNING = "warning"
    CRITICAL = "critical"
    BAD = "bad"
    STALE = "stale"
    NO_DATA = "nodata"
    DISABLED = "disabled"  # switched off in the plant: no reading expected, never an alarm

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def rank(self) -> int:
        """Urgency for sorting and summaries: higher is more urgent."""
        return STATE_RANK[self]

    @property
    def abnormal(self) -> bool:
        return self in ABNORMAL_STATES


STATE_LABELS = TrMap("SensorBoard", {
    SensorState.NORMAL: QT_TRANSLATE_NOOP("SensorBoard", "Normal"),
    SensorState.WARNING: QT_TRANSLATE_NOOP("SensorBoard", "Warning"),
    SensorState.CRITICAL: QT_TRANSLATE_NOOP("SensorBoard", "Critical"),
    SensorState.BAD: QT_TRANSLATE_NOOP("SensorBoard", "Bad quality"),
    SensorState.STALE: QT_TRANSLATE_NOOP("SensorBoard", "Stale"),
    SensorState.NO_DATA: QT_TRANSLATE_NOOP("SensorBoard", "No data"),
    SensorState.DISABLED: QT_TRANSLATE_NOOP("SensorBoard", "Disabled"),
})
STATE_RANK = {
    SensorState.CRITICAL: 5,
    SensorState.BAD: 4,
    SensorState.WARNING: 3,
    SensorState.STALE: 2,
    SensorState.NO_DATA: 1,
    SensorState.NORMAL: 0,
    SensorState.DISABLED: -1,
}
ABNORMAL_STATES = frozenset({SensorState.CRITICAL, SensorState.BAD, SensorState.WARNING})


class StateFilter(enum.StrEnum):
    """The coarser states an operator filters the sensor list by."""

    NORMAL = "normal"
    ALARM = "alarm"  # warning or critical
    BAD = "bad"
    STALE = "stale"  # stale or never reported
    DISABLED = "disabled"

    @property
    def label(self) -> str:
        return FILTER_LABELS[self]


FILTER_LABELS = TrMap("SensorBoard", {
    StateFilter.NORMAL: QT_TRANSLATE_NOOP("SensorBoard", "Normal"),
    StateFilter.ALARM: QT_TRANSLATE_NOOP("SensorBoard", "Alarm"),
    StateFilter.BAD: QT_TRANSLATE_NOOP("SensorBoard", "Bad"),
    StateFilter.STALE: QT_TRANSLATE_NOOP("SensorBoard", "Stale"),
    StateFilter.DISABLED: QT_TRANSLATE_NOOP("SensorBoard", "Disabled"),
})
FILTER_OF_STATE = {
    SensorState.NORMAL: StateFilter.NORMAL,
    SensorState.WARNING: StateFilter.ALARM,
    SensorState.CRITICAL: StateFilter.ALARM,
    SensorState.BAD: StateFilter.BAD,
    SensorState.STALE: StateFilter.STALE,
    SensorState.NO_DATA: StateFilter.STALE,
    SensorState.DISABLED: StateFilter.DISABLED,
}

# The domain's words (translated on every read, like the dicts they replace).
TYPE_LABELS = domain_words.SENSOR_TYPE
QUALITY_LABELS = domain_words.QUALITY
MILL_STATUS_LABELS = domain_words.MILL_STATUS

# Decimals shown when a sensor's metadata does not say (`decimals = 2` in the plant file).
DEFAULT_DECIMALS = {
    SensorType.TEMPERATURE: 1,
    SensorType.HUMIDITY: 1,
    SensorType.PRESSURE: 1,
    SensorType.VIBRATION: 1,
    SensorType.FLOW: 1,
    SensorType.LEVEL: 1,
}
NO_VALUE = "\u2014"  # em dash


def decimals_of(sensor: Sensor) -> int:
    d = sensor.metadata.get("decimals")
    if isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6:
        return d
    return DEFAULT_DECIMALS.get(sensor.type, 1)


def number_text(sensor: Sensor, value: float | None) -> str:
    """The value with the sensor's decimals in the user's locale (decimal comma in Dutch), without
    unit; an em dash when there is none."""
    if value is None or not math.isfinite(value):
        return NO_VALUE
    d = decimals_of(sensor)
    if round(value, d) == 0:
        value = 0.0  # no "-0.0"
    return fmt_number(float(value), d)


def value_text(sensor: Sensor, value: float | None) -> str:
    num = number_text(sensor, value)
    return num if num == NO_VALUE else f"{num} {sensor.display_unit}"


def age_text(age: float | None) -> str:
    """A reading's age ("4 s", "12 min", "3 h", "2 d", in the user's language)."""
    if age is None:
        return NO_VALUE
    return fmt_duration(age)


class Direction(enum.StrEnum):
    NONE = ""
    HIGH = "high"
    LOW = "low"


@dataclass(slots=True)
class SensorRow:
    sensor: Sensor
    mill: Mill
    reading: Reading | None = None
    state: SensorState = SensorState.NO_DATA
    direction: Direction = Direction.NONE
    spark: Sparkline = field(default_factory=lambda: Sparkline())

    def __post_init__(self) -> None:
        if not self.sensor.enabled:
            self.state = SensorState.DISABLED

    @property
    def eui(self) -> str:
        return self.sensor.eui

    @property
    def value(self) -> float | None:
        return None if self.reading is None else self.reading.value

    def age(self, now: float) -> float | None:
        return None if self.reading is None else max(now - self.reading.ts, 0.0)

    @property
    def state_text(self) -> str:
        if self.direction is Direction.HIGH:
            return f"{self.state.label} \u25b2"  # up-pointing triangle
        if self.direction is Direction.LOW:
            return f"{self.state.label} \u25bc"
        return self.state.label


@dataclass(frozen=True, slots=True)
class MillSummary:
    sensor_count: int
    counts: Mapping[SensorState, int] = field(default_factory=dict)

    @property
    def abnormal_count(self) -> int:
        return sum(n for s, n in self.counts.items() if s.abnormal)

    @property
    def worst(self) -> SensorState:
        present = [s for s, n in self.counts.items() if n]
        return max(present, key=lambda s: s.rank, default=SensorState.NORMAL)

    @property
    def alarm_count(self) -> int:
        """Sensors in a process alarm (warning or critical)."""
        return self.counts.get(SensorState.WARNING, 0) + self.counts.get(SensorState.CRITICAL, 0)

    @property
    def bad_count(self) -> int:
        return self.counts.get(SensorState.BAD, 0)

    @property
    def stale_count(self) -> int:
        """Sensors silent too long or that never reported."""
        return self.counts.get(SensorState.STALE, 0) + self.counts.get(SensorState.NO_DATA, 0)


class SensorBoard:
    """The latest reading and display state of every sensor of a plant, rows in plant order.

    `now` is the wall clock in epoch seconds (readings carry epoch seconds); inject it in tests.
    A sensor is stale when its newest reading is older than `stale_factor` sampling intervals
    (at least `min_stale_s`).
    """

    def __init__(
        self,
        plant: Plant,
        *,
        now: Callable[[], float] = time.time,
        stale_factor: float = 3.0,
        min_stale_s: float = 5.0,
    ) -> None:
        self.plant = plant
        self.now = now
        self.stale_factor = stale_factor
        self.min_stale_s = min_stale_s
        self.rows: list[SensorRow] = [SensorRow(s, m) for m in plant.mills for s in m.sensors]
        self._row_of: dict[str, int] = {r.eui: i for i, r in enumerate(self.rows)}
        self.last_ts: float | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def row_of(self, eui: str) -> int | None:
        return self._row_of.get(eui)

    def stale_after(self, sensor: Sensor) -> float:
        return max(self.stale_factor * sensor.sampling_interval, self.min_stale_s)

    def classify(self, row: SensorRow, now: float) -> tuple[SensorState, Direction]:
        r = row.reading
        if not row.sensor.enabled:
            return SensorState.DISABLED, Direction.NONE
        if r is None:
            return SensorState.NO_DATA, Direction.NONE
        if r.quality is Quality.BAD or r.value is None or not math.isfinite(r.value):
            return SensorState.BAD, Direction.NONE
        if now - r.ts > self.stale_after(row.sensor):
            return SensorState.STALE, Direction.NONE
        th = row.sensor.thresholds
        level = th.level_of(r.value)
        if level is None:
            return SensorState.NORMAL, Direction.NONE
        state = SensorState.CRITICAL if level is Severity.CRITICAL else SensorState.WARNING
        high = (th.warning_max is not None and r.value > th.warning_max) or (
            th.critical_max is not None and r.value > th.critical_max
        )
        return state, Direction.HIGH if high else Direction.LOW

    def apply(self, changed: Mapping[str, Reading]) -> tuple[list[int], bool]:
        """Take new readings; return (sorted rows whose reading changed, whether any state changed).

        Unknown EUIs and readings older than the one shown are ignored.
        """
        now = self.now()
        rows: list[int] = []
        states_changed = False
        for eui, reading in changed.items():
            i = self._row_of.get(eui)
            if i is None:
                continue
            row = self.rows[i]
            if row.reading is not None and reading.ts < row.reading.ts:
                continue
            row.reading = reading
            row.spark.add(reading.ts, reading.value if reading.quality is not Quality.BAD else None)
            if self.last_ts is None or reading.ts > self.last_ts:
                self.last_ts = reading.ts
            state = self.classify(row, now)
            if state != (row.state, row.direction):
                row.state, row.direction = state
                states_changed = True
            rows.append(i)
        rows.sort()
        return rows, states_changed

    def set_sensor(self, sensor: Sensor) -> tuple[int, bool] | None:
        """A sensor edited at a console (limits, interval, enabled): its row judges by the new settings
        now. Returns (row, whether its state changed), or None for a sensor not on the board."""
        i = self._row_of.get(sensor.eui)
        if i is None:
            return None
        row = self.rows[i]
        row.sensor = sensor
        state = self.classify(row, self.now())
        changed = state != (row.state, row.direction)
        row.state, row.direction = state
        return i, changed

    def seed_history(self, eui: str, ts: Sequence[float], values: Sequence[float]) -> int | None:
        """The sensor's stored last hour into its sparkline (at start, so the column is not empty
        until an hour has passed); the reading shown now is kept as the newest point. Returns the row."""
        i = self._row_of.get(eui)
        if i is None:
            return None
        row = self.rows[i]
        old = row.spark
        spark = Sparkline(old.bucket_width * old.buckets, old.buckets)
        newest = row.reading.ts if row.reading is not None else math.inf
        for t, v in zip(ts, values, strict=True):
            if t < newest:
                spark.add(float(t), float(v) if v == v else None)
        if row.reading is not None:
            spark.add(row.reading.ts, row.reading.value if row.reading.quality is not Quality.BAD else None)
        spark.version += old.version + 1_000_000  # never the version a view cached for the old line
        row.spark = spark
        return i

    def refresh(self) -> list[int]:
        """Re-evaluate states that depend on time alone (staleness); return the rows that changed."""
        now = self.now()
        out = []
        for i, row in enumerate(self.rows):
            state = self.classify(row, now)
            if state != (row.state, row.direction):
                row.state, row.direction = state
                out.append(i)
        return out

    def data_age(self) -> float | None:
        """Seconds since the newest reading of any sensor."""
        return None if self.last_ts is None else max(self.now() - self.last_ts, 0.0)

    def summary(self, mill_slug: str | None = None) -> MillSummary:
        """Counts per state for one mill, or the whole plant when `mill_slug` is None."""
        counts: dict[SensorState, int] = {}
        n = 0
        for row in self.rows:
            if mill_slug is None or row.mill.slug == mill_slug:
                n += 1
                counts[row.state] = counts.get(row.state, 0) + 1
        return MillSummary(n, counts)

    def summaries(self) -> dict[str, MillSummary]:
        """Counts per state for every mill, in one pass over the rows (the overview's live counts)."""
        counts: dict[str, dict[SensorState, int]] = {m.slug: {} for m in self.plant.mills}
        for row in self.rows:
            c = counts[row.mill.slug]
            c[row.state] = c.get(row.state, 0) + 1
        return {slug: MillSummary(sum(c.values()), c) for slug, c in counts.items()}


# -- sparklines ---------------------------------------------------------------------------------------

SPARK_WINDOW_S = 3600.0
SPARK_BUCKETS = 120  # 30 s each: about one bucket per pixel of a sparkline cell
_NAN = float("nan")


class Sparkline:
    """One sensor's last hour, decimated as it arrives: for each closed bucket its minimum and maximum
    (in the order they occurred) go into a RingBuffer, so every extreme survives and the buffer holds
    at most 2 points per bucket whatever the sampling rate. Bad readings and silences longer than a
    bucket become NaN points (the line breaks there). The open bucket is kept aside (`current`):
    views draw the closed part from a cache and only the live tip per new reading.

    Times in the buffer are bucket positions (bucket index + fraction), not seconds; `version` changes
    when a bucket closes, i.e. whenever the closed part must be redrawn.
    """

    __slots__ = ("_bucket", "_buckets", "_buf", "_hi", "_hi_t", "_last", "_last_t", "_lo", "_lo_t", "_width",
                 "version")

    def __init__(self, window_s: float = SPARK_WINDOW_S, buckets: int = SPARK_BUCKETS) -> None:
        self._width = window_s / buckets
        self._buckets = buckets
        self._buf: RingBuffer | None = None  # made when the first bucket closes
        self._bucket: int | None = None  # index of the open bucket
        self._lo = self._hi = _NAN
        self._lo_t = self._hi_t = 0.0
        self._last = _NAN
        self._last_t = 0.0
        self.version = 0

    @property
    def bucket_width(self) -> float:
        return self._width

    @property
    def buckets(self) -> int:
        return self._buckets

    def _buffer(self) -> RingBuffer:
        if self._buf is None:
            from hmi.core.ring_buffer import RingBuffer

            self._buf = RingBuffer(2 * self._buckets + 4)
        return self._buf

    def add(self, ts: float, value: float | None) -> None:
        """One reading (value None: bad quality). Older buckets than the open one are ignored."""
        pos = ts / self._width
        b = math.floor(pos)
        if self._bucket is None:
            self._bucket = b
        elif b > self._bucket:
            self._close(b)
        elif b < self._bucket:
            return
        if value is None or not math.isfinite(value):
            return
        if not value >= self._lo:  # also true while the bucket is still empty (NaN)
            self._lo, self._lo_t = value, pos
        if not value <= self._hi:
            self._hi, self._hi_t = value, pos
        self._last, self._last_t = value, pos

    def _close(self, new_bucket: int) -> None:
        assert self._bucket is not None
        buf = self._buffer()
        if self._lo == self._lo:  # the bucket held usable values
            if self._lo_t <= self._hi_t:
                buf.append(self._lo_t, self._lo)
                if self._hi_t != self._lo_t:
                    buf.append(self._hi_t, self._hi)
            else:
                buf.append(self._hi_t, self._hi)
                buf.append(self._lo_t, self._lo)
        else:
            buf.append(self._bucket + 0.5, _NAN)
        if new_bucket > self._bucket + 1:  # a silence: break the line
            buf.append(self._bucket + 1.0, _NAN)
        self._bucket = new_bucket
        self._lo = self._hi = self._last = _NAN
        self.version += 1

    def current(self) -> tuple[float, float, float, float] | None:
        """(position, value) of the newest usable reading and (min, max) of the open bucket, or None."""
        if self._lo != self._lo:
            return None
        return self._last_t, self._last, self._lo, self._hi

    def closed(self, now: float) -> tuple[np.ndarray, np.ndarray]:
        """Closed buckets within the window ending at `now`: (positions, values); views, not copies."""
        import numpy as np

        ts, v = self._buffer().view()
        start = now / self._width - self.buckets
        if len(ts) and ts[0] < start:
            i = int(np.searchsorted(ts, start, side="left"))
            return ts[i:], v[i:]
        return ts, v

    def value_range(self, now: float) -> tuple[float, float] | None:
        """(min, max) of the usable values shown at `now`, or None when there are none."""
        import numpy as np

        _, v = self.closed(now)
        lo = hi = _NAN
        if len(v):
            finite = v[np.isfinite(v)]
            if len(finite):
                lo, hi = float(finite.min()), float(finite.max())
        cur = self.current()
        if cur is not None:
            lo = cur[2] if lo != lo else min(lo, cur[2])
            hi = cur[3] if hi != hi else max(hi, cur[3])
        return None if lo != lo else (lo, hi)

    def __len__(self) -> int:
        return (len(self._buf) if self._buf is not None else 0) + (0 if self.current() is None else 1)
