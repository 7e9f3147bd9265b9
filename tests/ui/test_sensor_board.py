"""SensorBoard: the Qt-free model under the sensor table and the mill list."""

from __future__ import annotations

import dataclasses

import numpy as np

from hmi.core.domain import Quality, Reading
from hmi.core.plant import Plant
from hmi.ui.sensor_board import (
    Direction,
    SensorBoard,
    SensorState,
    Sparkline,
    age_text,
    number_text,
    value_text,
)


def by_name(plant: Plant, mill: str, name: str):
    return next(s for s in plant.mill(mill).sensors if s.name == name)


def test_states_follow_thresholds_quality_and_age(plant: Plant, clock) -> None:
    board = SensorBoard(plant, now=clock)
    vib = by_name(plant, "north", "Intake conveyor motor")  # warning_max 45, critical_max 60
    press = by_name(plant, "north", "Pre-cleaner aspiration")  # warning_min -35, critical_min -45
    hum = by_name(plant, "north", "Intake grain moisture")
    assert board.row_of(vib.eui) == 0
    row = board.rows[0]
    assert row.state is SensorState.NO_DATA

    cases = [
        (vib, 30.0, Quality.GOOD, 0, SensorState.NORMAL, Direction.NONE),
        (vib, 50.0, Quality.GOOD, 0, SensorState.WARNING, Direction.HIGH),
        (vib, 61.0, Quality.GOOD, 0, SensorState.CRITICAL, Direction.HIGH),
        (press, -40.0, Quality.GOOD, 0, SensorState.WARNING, Direction.LOW),
        (press, -50.0, Quality.GOOD, 0, SensorState.CRITICAL, Direction.LOW),
        (hum, None, Quality.BAD, 0, SensorState.BAD, Direction.NONE),
        (hum, 13.0, Quality.BAD, 0, SensorState.BAD, Direction.NONE),
        (hum, 13.0, Quality.UNCERTAIN, 0, SensorState.NORMAL, Direction.NONE),
        (hum, 13.0, Quality.GOOD, -3600, SensorState.STALE, Direction.NONE),
    ]
    for sensor, value, quality, dt, state, direction in cases:
        board = SensorBoard(plant, now=clock)
        rows, changed = board.apply({sensor.eui: Reading(sensor.eui, clock() + dt, value, quality)})
        row = board.rows[rows[0]]
        assert (row.state, row.direction) == (state, direction), (sensor.name, value, quality)
        assert changed


def test_apply_reports_changed_rows_and_ignores_unknown_or_older(plant: Plant, clock) -> None:
    board = SensorBoard(plant, now=clock)
    a, b = plant.sensors()[3], plant.sensors()[1]
    rows, changed = board.apply({a.eui: Reading(a.eui, clock(), 50.0), b.eui: Reading(b.eui, clock(), 12.0)})
    assert rows == [1, 3] and changed
    rows, changed = board.apply({"FFFFFFFFFFFFFFFF": Reading("FFFFFFFFFFFFFFFF", clock(), 1.0)})
    assert rows == [] and not changed
    rows, _ = board.apply({a.eui: Reading(a.eui, clock() - 10, 99.0)})
    assert rows == [] and board.rows[3].value == 50.0
    rows, changed = board.apply({a.eui: Reading(a.eui, clock() + 1, 51.0)})
    assert rows == [3] and not changed  # same state: no summary refresh needed


def test_refresh_turns_silent_sensors_stale(plant: Plant, clock) -> None:
    board = SensorBoard(plant, now=clock)
    s = plant.sensors()[0]  # sampling 2 s: stale after max(3 * 2, 5) = 6 s
    board.apply({s.eui: Reading(s.eui, clock(), 30.0)})
    clock.advance(5.5)
    assert board.refresh() == []
    clock.advance(1.0)
    assert board.refresh() == [0]
    assert board.rows[0].state is SensorState.STALE
    assert board.data_age() == 6.5


def test_summary_counts_states_per_mill(plant: Plant, clock) -> None:
    board = SensorBoard(plant, now=clock)
    north = plant.mill("north").sensors
    board.apply({north[0].eui: Reading(north[0].eui, clock(), 61.0), north[1].eui: Reading(north[1].eui, clock(), 16)})
    s = board.summary("north")
    assert s.sensor_count == len(north)
    assert s.abnormal_count == 2 and s.worst is SensorState.CRITICAL
    assert board.summary("south").abnormal_count == 0
    assert board.summary().sensor_count == len(plant.sensors())


def test_text_formatting(plant: Plant) -> None:
    s = plant.sensors()[0]
    assert value_text(s, 27.04) == "27.0 Hz"
    assert number_text(s, -0.04) == "0.0"
    assert value_text(s, None) == "\u2014"
    two = dataclasses.replace(s, metadata={"decimals": 2})
    assert value_text(two, 3.14159) == "3.14 Hz"
    assert [age_text(a) for a in (None, 0.4, 59.9, 61, 7300, 90000)] == ["\u2014", "0 s", "59 s", "1 min", "2 h", "1 d"]


def test_sparkline_keeps_min_and_max_per_bucket_and_breaks_at_gaps() -> None:
    spark = Sparkline(window_s=3600, buckets=120)  # 30 s buckets
    t0 = 1_790_000_010.0 - (1_790_000_010.0 % 30)
    for i, v in enumerate([5.0, 9.0, 1.0, 4.0]):  # bucket 0: max 9 then min 1
        spark.add(t0 + i, v)
    assert spark.current() is not None and spark.current()[1:] == (4.0, 1.0, 9.0)
    spark.add(t0 + 31, 7.0)  # closes bucket 0
    ts, v = spark.closed(t0 + 31)
    assert list(v) == [9.0, 1.0] and ts[0] < ts[1]  # in the order they occurred
    spark.add(t0 + 61, None)  # bad: closes bucket 1, opens bucket 2 without usable values
    spark.add(t0 + 95, None)  # bucket 2 had nothing usable: a NaN point
    spark.add(t0 + 250, 3.0)  # a silence of several buckets: another break
    ts, v = spark.closed(t0 + 250)
    assert list(v[:3]) == [9.0, 1.0, 7.0]
    assert np.isnan(v[3:]).all() and len(v) >= 5
    assert spark.value_range(t0 + 250) == (1.0, 9.0)
    # an hour later the old buckets are out of the window; the buffer never grows past 2 per bucket
    for k in range(400):
        spark.add(t0 + 300 + k * 15, float(k))
    ts, v = spark.closed(t0 + 300 + 399 * 15)
    assert len(v) <= 2 * 120 + 4
    assert ts[0] >= (t0 + 300 + 399 * 15) / 30 - 120


def test_board_feeds_sparklines_and_counts_every_mill_in_one_pass(plant: Plant, clock) -> None:
    board = SensorBoard(plant, now=clock)
    s = plant.sensors()[0]
    for k in range(40):
        board.apply({s.eui: Reading(s.eui, clock() + k, 30.0 + k)})
    assert board.rows[0].spark.value_range(clock() + 40) == (30.0, 69.0)
    north = plant.mill("north").sensors
    board.apply({north[1].eui: Reading(north[1].eui, clock() + 40, None, Quality.BAD)})
    sums = board.summaries()
    assert set(sums) == {"north", "south"}
    assert sums["north"] == board.summary("north") and sums["south"] == board.summary("south")
    assert sums["north"].bad_count == 1 and sums["north"].alarm_count == 1  # 69 Hz > critical 60
    assert sums["north"].stale_count == len(north) - 2


def test_disabled_sensors_are_neither_stale_nor_alarms(plant: Plant, clock) -> None:
    s = dataclasses.replace(plant.sensors()[0], enabled=False)
    mill = dataclasses.replace(plant.mills[0], sensors=(s, *plant.mills[0].sensors[1:]))
    board = SensorBoard(dataclasses.replace(plant, mills=(mill, *plant.mills[1:])), now=clock)
    assert board.rows[0].state is SensorState.DISABLED
    board.apply({s.eui: Reading(s.eui, clock(), 99.0)})
    assert board.rows[0].state is SensorState.DISABLED
    assert board.summary("north").abnormal_count == 0 and board.summary("north").stale_count == len(mill.sensors) - 1


def test_stored_history_seeds_the_sparkline_before_the_live_reading(plant: Plant, clock) -> None:
    board = SensorBoard(plant, now=clock)
    s = plant.sensors()[0]
    board.apply({s.eui: Reading(s.eui, clock(), 33.0)})  # live already arrived
    old_version = board.rows[0].spark.version
    ts = np.arange(clock() - 3600, clock() + 60, 60.0)  # the stored hour, and a point newer than live
    values = np.full(len(ts), 20.0)
    values[10] = 80.0
    values[11] = np.nan  # a gap in the stored data stays a gap
    assert board.seed_history(s.eui, ts, values) == 0
    spark = board.rows[0].spark
    assert spark.version != old_version
    assert spark.value_range(clock()) == (20.0, 80.0)  # the stored hour is there, its extremes kept
    assert spark.current() is not None and spark.current()[1] == 33.0  # the live reading stays newest
    assert board.seed_history("FFFFFFFFFFFFFFFF", ts, values) is None


def test_a_sensor_edited_at_a_console_is_judged_by_its_new_limits(plant: Plant, clock) -> None:
    from hmi.core.domain import Thresholds

    board = SensorBoard(plant, now=clock)
    s = plant.sensors()[0]  # vibration, warning_max 45
    board.apply({s.eui: Reading(s.eui, clock(), 30.0)})
    assert board.rows[0].state is SensorState.NORMAL
    assert board.set_sensor(dataclasses.replace(s, thresholds=Thresholds(warning_max=25.0))) == (0, True)
    assert board.rows[0].state is SensorState.WARNING
    assert board.set_sensor(dataclasses.replace(s, eui="FFFFFFFFFFFFFFFF")) is None
