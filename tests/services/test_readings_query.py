"""Readings queries against SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hmi.core.domain import Quality
from hmi.services.plant_io import import_plant, read_plant_file
from hmi.services.readings import ReadingsQuery
from hmi.storage.database import make_engine
from hmi.storage.history import write_rows
from hmi.storage.migrate import upgrade
from hmi.storage.mill_repo import upsert_production
from hmi.storage.plant_repo import sensor_ids

DEMO = Path(__file__).resolve().parents[2] / "resources/plants/demo.toml"


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, sqlite_url):  # type: ignore[no-untyped-def]
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("pg_url")
    e = make_engine(url)
    upgrade(e)
    import_plant(e, DEMO)
    yield e
    e.dispose()


def test_latest_stats_and_efficiency(engine) -> None:  # type: ignore[no-untyped-def]
    plant = read_plant_file(DEMO)
    s = plant.mill("north").sensors[0]
    sid = sensor_ids(engine)[s.eui]
    write_rows(engine, [(sid, 1000.0 + i, 10.0 + i, 10.0 + i, 0) for i in range(10)])
    write_rows(engine, [(sid, 1010.0, None, None, 2)])
    q = ReadingsQuery(engine, plant)
    latest = {lv.sensor.eui: lv for lv in q.latest("north")}
    assert len(latest) == len(plant.mill("north").sensors)
    assert latest[s.eui].quality is Quality.BAD and latest[s.eui].value is None and latest[s.eui].unit == "Hz"
    other = plant.mill("north").sensors[1]
    assert latest[other.eui].ts is None
    st = q.stats(s.eui, 1000.0, 1009.0)
    assert (st.count, st.minimum, st.maximum, st.latest, st.average) == (10, 10.0, 19.0, 19.0, 14.5)
    assert q.stats(s.eui, 1002.0, 1003.0).count == 2
    with pytest.raises(ValueError):
        q.stats(s.eui, 5.0, 1.0)
    assert q.efficiency_today("north", date(2026, 11, 24)) is None
    upsert_production(engine, "north", date(2026, 11, 24), 300.0)
    upsert_production(engine, "north", date(2026, 11, 24), 340.0)  # later report replaces
    assert q.efficiency_today("north", date(2026, 11, 24)) == pytest.approx(340.0 / 400.0)
