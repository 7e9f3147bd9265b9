"""Overview tiles' database figures: efficiency today and unacknowledged alerts of the last 24 h."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from hmi.core.domain import MillStatus, Reading
from hmi.services.alarm_service import AlarmEvaluator
from hmi.services.overview import mill_overview
from hmi.services.plant_io import import_plant, read_plant_file
from hmi.storage.database import make_engine
from hmi.storage.migrate import upgrade
from hmi.storage.mill_repo import set_mill_status, upsert_production

DEMO = Path(__file__).resolve().parents[2] / "resources/plants/demo.toml"


def test_tiles(sqlite_url: str) -> None:
    e = make_engine(sqlite_url)
    upgrade(e)
    import_plant(e, DEMO)
    plant = read_plant_file(DEMO)
    now = datetime.now(UTC)
    upsert_production(e, "north", now.date(), 300.0)
    set_mill_status(e, "south", "maintenance")
    ev = AlarmEvaluator(e, plant)
    s = plant.mill("north").sensors[0]  # vibration, warning 45 / critical 60
    ev.on_reading(s, Reading(s.eui, time.time(), 70.0))
    tiles = {t.slug: t for t in mill_overview(e, now=now)}
    assert tiles["north"].efficiency_today == 300.0 / 400.0
    assert tiles["north"].unacked_alerts_24h == 2  # high and high-high
    assert tiles["south"].status is MillStatus.MAINTENANCE and tiles["south"].efficiency_today is None
    assert [t.slug for t in mill_overview(e, now=now, mills={"south"})] == ["south"]
    e.dispose()
