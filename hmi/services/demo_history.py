"""History for the demo plant: the hours before the demo started, from the same signal model the
simulator publishes, so trends, sparklines and faceplate statistics have something to show at once
and the recorded past joins the live data without a step.

Only the demo uses this (its own database). It fills, per sensor, from the last stored reading (or
`hours` ago) up to now at the sensor's sampling interval (at least `min_step` seconds), so starting
the demo again only fills the gaps between and since earlier runs. Rows are written by the same raw writer as the
ingest path; the rollup job folds them into the per-minute/per-hour tables on its next passes.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator

from sqlalchemy import Engine

from hmi.core.domain import Quality
from hmi.core.plant import Plant
from hmi.core.simulation import SignalModel
from hmi.storage.history import Row, write_rows
from hmi.storage.plant_repo import sensor_ids
from hmi.storage.schema import QUALITY_CODES

log = logging.getLogger(__name__)
BATCH = 20_000


def _stored(engine: Engine, since: float) -> dict[int, list[float]]:
    """The timestamps already stored since `since`, per sensor id, ascending."""
    out: dict[int, list[float]] = {}
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT sensor_id, ts FROM readings WHERE ts >= ? ORDER BY sensor_id, ts",
                                    (since,)).all()
    for sid, ts in rows:
        out.setdefault(int(sid), []).append(float(ts))
    return out


def demo_rows(plant: Plant, ids: dict[str, int], stored: dict[int, list[float]], *, now: float, hours: float,
              seed: int = 0, min_step: float = 10.0) -> Iterator[Row]:
    """The missing readings of every enabled sensor, oldest first per sensor: a point on the
    sensor's sampling grid is skipped when a stored reading lies within one step of it."""
    good = QUALITY_CODES[Quality.GOOD.value]
    start = now - hours * 3600.0
    for sensor in plant.sensors():
        sid = ids.get(sensor.eui)
        if sid is None or not sensor.enabled:
            continue
        step = max(float(sensor.sampling_interval), min_step)
        have = stored.get(sid, [])
        i = 0
        t = math.ceil(start / step) * step
        model = SignalModel(sensor, seed)
        while t < now:
            while i < len(have) and have[i] < t - step:
                i += 1
            if not (i < len(have) and have[i] <= t + step):
                yield (sid, t, model.value_at(t), model.raw_at(t), good)
            t += step


def backfill_demo_history(engine: Engine, plant: Plant, *, hours: float = 6.0, seed: int = 0,
                          now: float | None = None) -> int:
    """Write the demo's missing history (see the module docstring); returns the rows written."""
    started = time.monotonic()
    now = time.time() if now is None else now
    ids = sensor_ids(engine)
    batch: list[Row] = []
    written = 0
    stored = _stored(engine, now - hours * 3600.0 - 3600.0)
    for row in demo_rows(plant, ids, stored, now=now, hours=hours, seed=seed):
        batch.append(row)
        if len(batch) >= BATCH:
            written += write_rows(engine, batch)
            batch = []
    written += write_rows(engine, batch)
    if written:
        log.info("demo history: %d readings of the last %g h written in %.1f s", written, hours,
                 time.monotonic() - started)
    return written
