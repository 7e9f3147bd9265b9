"""SensorBoard: the Qt-free model under the sensor table and the mill list."""

from __future__ import annotations

import dataclasses

from hmi.core.domain import Quality, Reading
from hmi.core.plant import Plant
from hmi.ui.sensor_board import Direction, SensorBoard, SensorState, age_text, number_text, value_text


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
