"""Readings queries operators use: latest value per sensor, statistics over a range, efficiency.

Reads history written by the collector (or this app's own runtime), so every workstation sharing
a PostgreSQL database shows the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from hmi.core.domain import Quality, Sensor, efficiency
from hmi.core.plant import Plant
from hmi.core.text import Text
from hmi.storage.history import RangeStats, latest_per_sensor, range_stats
from hmi.storage.mill_repo import production_on
from hmi.storage.plant_repo import sensor_ids
from hmi.storage.schema import QUALITY_NAMES


@dataclass(frozen=True, slots=True)
class LatestValue:
    sensor: Sensor
    ts: float | None
    value: float | None
    quality: Quality | None

    @property
    def unit(self) -> str:
        return self.sensor.display_unit


class ReadingsQuery:
    def __init__(self, engine: Engine, plant: Plant) -> None:
        self._engine = engine
        self._plant = plant
        self._ids = sensor_ids(engine)

    def latest(self, mill: str | None = None) -> list[LatestValue]:
        """Every sensor (of `mill`, or all) with its newest stored value, unit and quality."""
        rows = latest_per_sensor(self._engine)
        out = []
        for s in self._plant.sensors():
            if mill is not None and s.mill_slug != mill:
                continue
            r = rows.get(self._ids.get(s.eui, -1))
            if r is None:
                out.append(LatestValue(s, None, None, None))
            else:
                out.append(LatestValue(s, r[0], r[1], Quality(QUALITY_NAMES[r[2]])))
        return out

    def stats(self, eui: str, t0: float, t1: float) -> RangeStats:
        """count/average/min/max/latest of a sensor's good and uncertain values in [t0, t1]."""
        if t1 < t0:
            raise ValueError(Text("the range ends before it starts"))
        sid = self._ids.get(eui)
        if sid is None:
            raise KeyError(Text("no sensor with EUI {eui}", eui=eui))
        return range_stats(self._engine, sid, t0, t1)

    def efficiency_today(self, mill: str, today: date | None = None) -> float | None:
        """Today's production / capacity; None when nothing was reported or there is no capacity."""
        day = today or datetime.now(UTC).date()
        produced = production_on(self._engine, mill, day)
        if produced is None:
            return None
        return efficiency(produced, self._plant.mill(mill).capacity)
