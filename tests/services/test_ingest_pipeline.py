"""Ingest pipeline and history writer on a real SQLite database: calibration, refusals, acks
after commit, and no loss while the database is unavailable."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from hmi.core.domain import Calibration, Quality, Sensor, SensorType
from hmi.core.plant import Mill, Plant
from hmi.drivers.base import Sample
from hmi.services.history_writer import HistoryWriter
from hmi.services.ingest import IngestPipeline
from hmi.storage.database import make_engine
from hmi.storage.history import write_rows
from hmi.storage.migrate import upgrade
from hmi.storage.plant_repo import apply_plant, sensor_ids

NOW = time.time()
S1 = Sensor(
    "m1", "fan", SensorType.TEMPERATURE, "0C0C0C0C0C0C0001", calibration=Calibration(-2.0, 1.5), sampling_interval=0.1
)
S2 = Sensor("m1", "bin", SensorType.LEVEL, "0C0C0C0C0C0C0002", sampling_interval=60)
PLANT = Plant(mills=(Mill("m1", "Mill 1", sensors=(S1, S2)),))


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    e = make_engine(sqlite_url)
    upgrade(e)
    apply_plant(e, PLANT)
    yield e
    e.dispose()


def rows(path: str) -> list[tuple]:
    return (
        sqlite3.connect(path)
        .execute("select sensor_id, ts, value, raw_value, quality from readings order by ts")
        .fetchall()
    )


def test_calibrates_keeps_raw_refuses_bad_and_acks_after_commit(engine: Engine, tmp_path: Path) -> None:
    writer = HistoryWriter(engine, batch_seconds=0.05)
    p = IngestPipeline(PLANT.sensors(), sensor_ids=sensor_ids(engine), writer=writer)
    seen: list = []
    p.add_listener(seen.extend)
    acks: list[str] = []
    writer.start()
    p.start()
    good = Sample(S1.eui, NOW - 10, 65.0, ack=lambda: acks.append("good"))
    batch = [
        good,
        Sample(S1.eui, NOW - 9, float("nan"), ack=lambda: acks.append("nan")),
        Sample(S1.eui, NOW - 8, 1e9, ack=lambda: acks.append("range")),
        Sample(S1.eui, NOW + 3600, 1.0, ack=lambda: acks.append("future")),
        Sample(S1.eui, 100.0, 1.0, ack=lambda: acks.append("old")),
        Sample("FFFFFFFFFFFFFFFF", NOW, 1.0, ack=lambda: acks.append("unknown")),
        Sample(S2.eui, NOW - 7, None, Quality.BAD, "modbus_exception_2", ack=lambda: acks.append("bad")),
        Sample(S2.eui, NOW - 6, 55.0),
    ]
    p.submit(batch)
    assert p.drain()
    assert writer.flush()
    p.stop()
    writer.stop()
    stored = rows(str(tmp_path / "test.sqlite"))
    assert [(r[2], r[3], r[4]) for r in stored] == [(95.5, 65.0, 0), (None, None, 2), (55.0, 55.0, 0)]
    assert sorted(acks) == sorted(["good", "nan", "range", "future", "old", "unknown", "bad"])
    assert p.counters.snapshot()["rejected"] == {
        "not_finite": 1,
        "out_of_range": 1,
        "future_timestamp": 1,
        "bad_timestamp": 1,
        "unknown_sensor": 1,
    }
    assert p.counters.snapshot()["stored"] == 0  # counted by the runtime's on_stored hook, not wired here
    # Live fan-out: the newest reading of each sensor in the batch (history got every one).
    assert sorted((r.eui, r.value, r.raw_value) for r in seen) == [(S1.eui, 95.5, 65.0), (S2.eui, 55.0, 55.0)]


def test_stale_sensor_reported(engine: Engine) -> None:
    p = IngestPipeline(PLANT.sensors(), sensor_ids=sensor_ids(engine))
    stale: list[str] = []
    p.add_stale_listener(stale.extend)
    p.start()
    p.submit([Sample(S1.eui, time.time(), 20.0)])
    deadline = time.monotonic() + 5
    while not stale and time.monotonic() < deadline:
        time.sleep(0.05)
    p.stop()
    assert stale == [S1.eui]  # missed 3 intervals of 0.1 s; S2 (60 s) never received, never "stale"


def test_database_outage_buffers_spills_and_flushes_in_order(engine: Engine, tmp_path: Path) -> None:
    down = threading.Event()
    down.set()
    calls: list[int] = []

    def flaky(e: Engine, batch: list) -> int:
        calls.append(len(batch))
        if down.is_set():
            raise ConnectionError("database down")
        return write_rows(e, batch)

    spill = tmp_path / "spill.bin"
    writer = HistoryWriter(
        engine,
        batch_rows=100,
        batch_seconds=0.02,
        max_backlog_rows=250,
        spill_path=spill,
        retry_seconds=0.05,
        writer=flaky,
    )
    sid = sensor_ids(engine)[S1.eui]
    acked: list[int] = []
    writer.start()
    for i in range(1000):
        writer.add([((sid, NOW - 2000 + i, float(i), float(i), 0), lambda i=i: acked.append(i))])
    deadline = time.monotonic() + 5
    while writer.spilled_rows < 700 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert writer.spilled_rows >= 700, "rows beyond the in-memory bound go to the spill file"
    assert spill.exists() and writer.backlog == 1000
    assert set(acked) == set(range(writer.spilled_rows)), "spilled (durable) rows are acked, in order"
    down.clear()
    assert writer.flush(10)
    writer.stop()
    stored = rows(str(tmp_path / "test.sqlite"))
    assert [r[2] for r in stored] == [float(i) for i in range(1000)]
    assert sorted(acked) == list(range(1000))
    assert not spill.exists()


def test_stop_with_database_down_keeps_rows_on_disk(engine: Engine, tmp_path: Path) -> None:
    def dead(e: Engine, batch: list) -> int:
        raise ConnectionError("down")

    spill = tmp_path / "spill.bin"
    sid = sensor_ids(engine)[S1.eui]
    w = HistoryWriter(engine, spill_path=spill, retry_seconds=0.05, writer=dead)
    w.start()
    w.add([((sid, NOW - 100 + i, float(i), float(i), 0), None) for i in range(10)])
    time.sleep(0.2)
    assert not w.stop(1)
    # next start (database back) flushes the file
    w2 = HistoryWriter(engine, spill_path=spill)
    w2.start()
    assert w2.flush(5)
    w2.stop()
    assert len(rows(str(tmp_path / "test.sqlite"))) == 10


def test_items_one_ack_per_message_after_commit_and_live_latest(engine: Engine, tmp_path: Path) -> None:
    """The MQTT hot path: tuples with one ack per message, settled once, only after the commit that holds
    every reading of the message; the live fan-out gets the newest reading per sensor."""
    committed: list[int] = []
    acked: list[tuple[str, int]] = []

    def tracking(e: Engine, batch: list) -> int:
        n = write_rows(e, batch)
        committed.append(n)
        return n

    writer = HistoryWriter(engine, batch_seconds=0.05, writer=tracking)
    p = IngestPipeline(PLANT.sensors(), sensor_ids=sensor_ids(engine), writer=writer)
    seen: list = []
    p.add_listener(seen.extend)
    writer.start()
    p.start()
    g = Quality.GOOD
    p.submit_items([(S1.eui, NOW - 50 + i, float(20 + i), g, "") for i in range(100)],
                   lambda: acked.append(("gateway", sum(committed))))
    p.submit_items([(S2.eui, NOW - 40, 1e9, g, "")], lambda: acked.append(("refused", sum(committed))))
    p.submit_items([(S2.eui, NOW - 30, 40.0, g, "")], lambda: acked.append(("single", sum(committed))))
    assert p.drain()
    assert writer.flush()
    p.stop()
    writer.stop()
    assert len(rows(str(tmp_path / "test.sqlite"))) == 101
    assert sorted(name for name, _ in acked) == ["gateway", "refused", "single"]  # once each
    assert all(n >= 100 for name, n in acked if name == "gateway"), "acked only after its 100 rows committed"
    assert p.counters.snapshot()["rejected"] == {"out_of_range": 1}
    latest = {r.eui: (r.ts, r.value, r.raw_value) for r in seen}
    assert latest[S1.eui] == (NOW - 50 + 99, 119 * 1.5 - 2.0, 119.0)
    assert latest[S2.eui] == (NOW - 30, 40.0, 40.0)


def test_quiet_readings_skip_the_alarm_hook_and_calibration_updates(engine: Engine) -> None:
    judged: list[float | None] = []
    quiet_calls: list[float] = []

    def quiet(sensor: Sensor, ts: float, value: float) -> bool:
        quiet_calls.append(value)
        return value < 50

    p = IngestPipeline(PLANT.sensors(), sensor_ids=sensor_ids(engine))
    p.set_alarm_hook(lambda s, r: judged.append(r.value), quiet=quiet)
    seen: list = []
    p.add_listener(seen.extend)
    p._process([
        Sample(S2.eui, NOW - 9, 10.0),
        Sample(S2.eui, NOW - 8, 60.0),
        Sample(S2.eui, NOW - 7, None, Quality.BAD, "timeout"),
        Sample(S2.eui, NOW - 6, 20.0, Quality.UNCERTAIN),
    ])
    assert quiet_calls == [10.0, 60.0]  # only GOOD readings with a value are offered to the quiet path
    assert judged == [60.0, None, 20.0]  # the rest is judged by the hook
    p.set_calibration(S2.eui, Calibration(offset=1.0, multiplier=2.0))
    p._process([Sample(S2.eui, NOW - 5, 10.0)])
    assert seen[-1].value == 21.0 and seen[-1].raw_value == 10.0


def test_a_sensor_edited_while_running_is_judged_by_its_new_settings(engine: Engine) -> None:
    from dataclasses import replace

    from hmi.core.domain import Thresholds

    judged: list[tuple[float | None, float | None]] = []
    p = IngestPipeline(PLANT.sensors(), sensor_ids=sensor_ids(engine))
    p.set_alarm_hook(lambda s, r: judged.append((r.value, s.thresholds.warning_max)))
    p._process([Sample(S2.eui, NOW - 9, 10.0)])
    edited = replace(S2, thresholds=Thresholds(warning_max=5.0), calibration=Calibration(offset=1.0))
    p.set_sensor(edited)
    p._process([Sample(S2.eui, NOW - 8, 10.0)])
    assert judged == [(10.0, S2.thresholds.warning_max), (11.0, 5.0)]
    p.set_sensor(replace(edited, enabled=False))  # disabled: no longer ingested
    p._process([Sample(S2.eui, NOW - 7, 12.0)])
    assert len(judged) == 2


def test_a_lone_chunk_is_committed_once_input_pauses_not_after_the_batch_time(engine: Engine) -> None:
    """A writer waiting for rows is woken by the first chunk and commits once input pauses (idle gap),
    rather than sleeping out its batch time; the producer is told when a commit is done and nothing
    waits (the pipeline then hands over what it kept back)."""
    committed: list[float] = []
    waited: list[float] = []

    def tracking(e: Engine, rows: object) -> int:
        committed.append(time.monotonic())
        return len(rows)  # type: ignore[arg-type]

    writer = HistoryWriter(engine, batch_seconds=3.0, idle_gap=0.02, writer=tracking)  # type: ignore[arg-type]
    writer.on_waiting = lambda: waited.append(time.monotonic())
    writer.start()
    try:
        time.sleep(0.1)  # the writer is waiting for rows
        assert writer.waiting
        t0 = time.monotonic()
        writer.add_chunk([(1, 1_700_000_000.0, 1.0, 1.0, 0)])
        deadline = t0 + 5
        while not waited and time.monotonic() < deadline:
            time.sleep(0.005)
        assert committed and committed[0] - t0 < 1.0, "committed within the idle gap, not the 3 s batch time"
        assert waited and waited[0] >= committed[0] and writer.waiting
    finally:
        writer.stop()
