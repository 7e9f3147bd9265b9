"""Raw history writes: idempotent on (sensor, ts), on SQLite and PostgreSQL (COPY)."""

from pathlib import Path

import pytest

from hmi.services.plant_io import import_plant
from hmi.storage.database import make_engine
from hmi.storage.history import latest_per_sensor, range_stats, write_rows
from hmi.storage.migrate import upgrade
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


def test_write_is_idempotent_and_stats(engine) -> None:  # type: ignore[no-untyped-def]
    sid = next(iter(sensor_ids(engine).values()))
    rows = [(sid, 1_700_000_000.0 + i, float(i), float(i), 0) for i in range(100)]
    rows.append((sid, 1_700_000_100.0, None, None, 2))  # bad quality, no value
    write_rows(engine, rows)
    write_rows(engine, rows[:50])  # redelivery
    write_rows(engine, rows + rows[:3])  # duplicates inside one batch too
    stats = range_stats(engine, sid, 1_700_000_000.0, 1_700_000_200.0)
    assert stats.count == 100
    assert (stats.minimum, stats.maximum, stats.latest) == (0.0, 99.0, 99.0)
    assert stats.average == pytest.approx(49.5)
    latest = latest_per_sensor(engine)
    assert latest[sid] == (1_700_000_100.0, None, 2)


def test_large_batches_use_multi_row_statements_and_stay_idempotent(engine) -> None:  # type: ignore[no-untyped-def]
    """More rows than one multi-row statement holds, interleaved sensors, a partial last statement,
    duplicate keys with a NULL value inside the batch (plain tuple order cannot sort those)."""
    ids = sorted(sensor_ids(engine).values())[:7]
    rows = [(ids[k % 7], 1_700_000_000.0 + k, float(k), float(k), 0) for k in range(2_345)]
    rows.append((ids[0], 1_700_000_000.0, None, None, 2))  # same key as rows[0]: ignored
    rows.append((ids[0], 1_700_000_000.0, 5.0, 5.0, 0))
    assert write_rows(engine, rows) == len(rows)
    write_rows(engine, rows[::-1])  # redelivered, in another order
    total = sum(range_stats(engine, sid, 1_699_999_999.0, 1_700_010_000.0).count for sid in ids)
    assert total == 2_345
    first = range_stats(engine, ids[0], 1_700_000_000.0, 1_700_000_000.0)
    assert (first.count, first.latest) == (1, 0.0)  # the first row of the key won


def test_the_writers_own_connection_is_kept_between_writes_and_dropped_after_a_failure(engine) -> None:  # type: ignore[no-untyped-def]
    """`HistoryConnection`: one DB-API connection for every write (SQLite prepares the big statements
    once), prepared ahead; a write that fails rolls back and drops it, and the next takes a fresh one."""
    from hmi.storage.history import HistoryConnection

    sid = next(iter(sensor_ids(engine).values()))
    held = HistoryConnection(engine)
    held.prepare()
    first = held.connection()
    assert write_rows(held, [(sid, 1_700_000_000.0 + i, float(i), float(i), 0) for i in range(3000)]) == 3000
    assert write_rows(held, [(sid, 1_700_010_000.0, 1.0, 1.0, 0)]) == 1
    assert held.connection() is first
    with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises for a missing sensor
        write_rows(held, [(sid, 1_700_020_000.0, 1.0, 1.0, 0), (999_999, 1.0, 1.0, 1.0, 0)])  # no such sensor
    assert held.connection() is not first
    assert write_rows(held, [(sid, 1_700_030_000.0, 2.0, 2.0, 0)]) == 1
    held.close()
    stats = range_stats(engine, sid, 1_699_999_999.0, 1_700_040_000.0)
    assert stats.count == 3002  # the failed write left nothing behind
