"""Versioned calibration records on SQLite and on a real PostgreSQL cluster: migration 0004 matches
the schema, versions count per sensor, the record rolls back with its transaction, history can be
re-derived from the stored raw values."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import IntegrityError

from hmi.core.domain import Calibration, Mill, Sensor, SensorType
from hmi.core.plant import Plant
from hmi.storage.calibration_repo import (
    KIND_MANUAL,
    UnknownSensor,
    append_calibration,
    calibration_history,
    calibration_in_force,
    rederive,
)
from hmi.storage.database import make_engine
from hmi.storage.history import write_rows
from hmi.storage.migrate import upgrade
from hmi.storage.plant_repo import apply_plant, sensor_ids
from hmi.storage.schema import Base, CalibrationRecordRow, ReadingRow

A, B = "00CC000000000001", "00CC000000000002"
T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    eng = make_engine(url)
    upgrade(eng)
    sensors = tuple(Sensor("m1", f"s{i}", SensorType.TEMPERATURE, eui) for i, eui in enumerate((A, B)))
    apply_plant(eng, Plant((Mill("m1", "Mill 1", sensors=sensors),)))
    yield eng
    eng.dispose()


def test_migration_0004_builds_exactly_the_declared_table(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [d for d in diff if "calibration_records" in repr(d)]
    assert ours == []
    cols = {c["name"] for c in inspect(engine).get_columns("calibration_records")}
    assert {"version", "username", "reason", "before_offset", "after_offset", "raw_value", "reference"} <= cols


def test_versions_count_per_sensor_and_history_is_newest_first(engine: Engine) -> None:
    with engine.begin() as conn:
        r1 = append_calibration(conn, eui=A, before=Calibration(), after=Calibration(-0.5, 1.0), username="tom",
                                ts=T0, reason="reference thermometer", raw_value=21.0, reference=20.5,
                                reading_before=21.0, host="hmi-1", console="console-1", command_id="c1")
        rb = append_calibration(conn, eui=B, before=Calibration(), after=Calibration(1.0, 2.0), username="root",
                                ts=T0, kind=KIND_MANUAL)
        r2 = append_calibration(conn, eui=A, before=Calibration(-0.5, 1.0), after=Calibration(-0.7, 1.0),
                                username="root", ts=T0 + timedelta(hours=1), reason="second check")
    assert (r1.version, r2.version, rb.version) == (1, 2, 1)
    history = calibration_history(engine, A)
    assert [h.version for h in history] == [2, 1]
    first = history[1]
    assert (first.username, first.reason, first.kind, first.host, first.console) == (
        "tom", "reference thermometer", "reference", "hmi-1", "console-1")
    assert first.before == Calibration(0.0, 1.0) and first.after == Calibration(-0.5, 1.0)
    assert (first.raw_value, first.reference, first.reading_before, first.command_id) == (21.0, 20.5, 21.0, "c1")
    assert first.ts == T0 and first.correction == pytest.approx(-0.5)
    assert calibration_history(engine, A, limit=1)[0].reason == "second check"
    assert calibration_history(engine, B)[0].kind == "manual"


def test_a_record_rolls_back_with_its_transaction_and_versions_stay_gap_free(engine: Engine) -> None:
    with pytest.raises(RuntimeError), engine.begin() as conn:
        append_calibration(conn, eui=A, before=Calibration(), after=Calibration(1.0), username="tom", ts=T0)
        raise RuntimeError("the sensor update failed")
    assert calibration_history(engine, A) == []
    with engine.begin() as conn:
        assert append_calibration(conn, eui=A, before=Calibration(), after=Calibration(1.0), username="tom",
                                  ts=T0).version == 1


def test_the_same_version_twice_is_refused_by_the_database(engine: Engine) -> None:
    ids = sensor_ids(engine)
    row = {"sensor_id": ids[A], "eui": A, "version": 1, "ts": T0, "username": "a", "host": "", "console": "",
           "kind": "manual", "reason": "", "before_offset": 0.0, "before_multiplier": 1.0, "after_offset": 1.0,
           "after_multiplier": 1.0, "command_id": ""}
    t = CalibrationRecordRow.__table__
    with engine.begin() as conn:
        conn.execute(t.insert().values(**row))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(t.insert().values(**row))


def test_unknown_sensor_is_refused(engine: Engine) -> None:
    with pytest.raises(UnknownSensor), engine.begin() as conn:
        append_calibration(conn, eui="FFFFFFFFFFFFFFFF", before=Calibration(), after=Calibration(1.0), username="x")


def test_history_can_be_rederived_from_raw_values(engine: Engine) -> None:
    """Readings keep their raw value: each stored reading is re-derived under the calibration in force
    when it was taken, and gives back the calibrated value stored then."""
    ids = sensor_ids(engine)
    cal1, cal2 = Calibration(-0.5, 1.0), Calibration(0.25, 1.1)
    with engine.begin() as conn:
        append_calibration(conn, eui=A, before=Calibration(), after=cal1, username="tom", ts=T0)
        append_calibration(conn, eui=A, before=cal1, after=cal2, username="tom", ts=T0 + timedelta(hours=1))
    samples = [(T0 - timedelta(minutes=5), Calibration()), (T0 + timedelta(minutes=30), cal1),
               (T0 + timedelta(hours=2), cal2)]
    raw = 20.0
    write_rows(engine, [(ids[A], ts.timestamp(), cal.apply(raw), raw, 0) for ts, cal in samples])
    t = ReadingRow.__table__
    with engine.connect() as conn:
        stored = conn.execute(select(t.c.ts, t.c.value, t.c.raw_value).where(t.c.sensor_id == ids[A])
                              .order_by(t.c.ts)).all()
    assert len(stored) == 3
    for ts, value, raw_value in stored:
        cal = calibration_in_force(engine, A, datetime.fromtimestamp(ts, UTC))
        assert cal is not None
        assert rederive(raw_value, cal) == pytest.approx(value)
    assert calibration_in_force(engine, B, T0) is None
    assert rederive(None, cal2) is None
