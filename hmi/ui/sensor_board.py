"""What the operator sees about each sensor, without Qt: latest reading, display state, age and text.

The Qt item models (sensor_table_model.py, mill_list.py) are thin adapters over one SensorBoard.
Nothing here imports Qt, so it is tested like core code (and can move below `ui` when the ingest
service starts to own quality and staleness).
"""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from hmi.core.domain import Mill, MillStatus, Quality, Reading, Sensor, SensorType, Severity
from hmi.core.plant import Plant


class SensorState(enum.StrEnum):
    """The display state of one sensor. Only WARNING, CRITICAL and BAD are abnormal (coloured)."""

    NORMAL = "normal"
    WARNING = "warning"
    CRITICAL = "critical"
    BAD = "bad"
    STALE = "stale"
    NO_DATA = "nodata"

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


STATE_LABELS = {
    SensorState.NORMAL: "Normal",
    SensorState.WARNING: "Warning",
    SensorState.CRITICAL: "Critical",
    SensorState.BAD: "Bad quality",
    SensorState.STALE: "Stale",
    SensorState.NO_DATA: "No data",
}
STATE_RANK = {
    SensorState.CRITICAL: 5,
    SensorState.BAD: 4,
    SensorState.WARNING: 3,
    SensorState.STALE: 2,
    SensorState.NO_DATA: 1,
    SensorState.NORMAL: 0,
}
ABNORMAL_STATES = frozenset({SensorState.CRITICAL, SensorState.BAD, SensorState.WARNING})

TYPE_LABELS = {t: t.value.capitalize() for t in SensorType}
QUALITY_LABELS = {q: q.value.capitalize() for q in Quality}
MILL_STATUS_LABELS = {s: s.value.capitalize() for s in MillStatus}

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
    """The value with the sensor's decimals, without unit; an em dash when there is none."""
    if value is None or not math.isfinite(value):
        return NO_VALUE
    d = decimals_of(sensor)
    if round(value, d) == 0:
        value = 0.0  # no "-0.0"
    return f"{value:.{d}f}"


def value_text(sensor: Sensor, value: float | None) -> str:
    num = number_text(sensor, value)
    return num if num == NO_VALUE else f"{num} {sensor.display_unit}"


def age_text(age: float | None) -> str:
    if age is None:
        return NO_VALUE
    age = max(age, 0.0)
    if age < 60:
        return f"{int(age)} s"
    if age < 3600:
        return f"{int(age // 60)} min"
    if age < 86400:
        return f"{int(age // 3600)} h"
    return f"{int(age // 86400)} d"


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
            if self.last_ts is None or reading.ts > self.last_ts:
                self.last_ts = reading.ts
            state = self.classify(row, now)
            if state != (row.state, row.direction):
                row.state, row.direction = state
                states_changed = True
            rows.append(i)
        rows.sort()
        return rows, states_changed

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
