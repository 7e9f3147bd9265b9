import tomllib
from pathlib import Path

import pytest

from hmi.core.plant import PlantError, parse_plant, plant_to_dict

ROOT = Path(__file__).resolve().parents[2]


def demo() -> dict:
    return tomllib.loads((ROOT / "resources/plants/demo.toml").read_text())


def test_demo_plant_is_valid_and_covers_all_types() -> None:
    plant = parse_plant(demo())
    assert len(plant.mills) == 2
    sensors = plant.sensors()
    assert 25 <= len(sensors) <= 40
    assert {s.type.value for s in sensors} == {"temperature", "humidity", "pressure", "vibration", "flow", "level"}
    schemes = {s.effective_source().split(":")[0] for s in sensors}
    assert schemes == {"mqtt", "modbus"}


def test_round_trip() -> None:
    plant = parse_plant(demo())
    assert parse_plant(plant_to_dict(plant)) == plant


def test_every_problem_reported_with_location() -> None:
    data = demo()
    data["mills"][0]["capacity"] = "lots"
    data["mills"][0]["sensors"][0]["thresholds"] = {"warning_min": 50, "warning_max": 40}
    data["mills"][0]["sensors"][1]["eui"] = data["mills"][1]["sensors"][0]["eui"]
    data["mills"][1]["sensors"][2]["type"] = "smell"
    data["mills"][1]["sensors"][3]["source"] = "modbus://h/zz/1"
    data["mills"][1]["slug"] = data["mills"][0]["slug"]
    with pytest.raises(PlantError) as exc:
        parse_plant(data)
    text = "\n".join(str(p) for p in exc.value.problems)
    assert "mill north: capacity: must be a number" in text
    assert "sensor Intake conveyor motor: thresholds.warning_min" in text
    assert "eui: EUI" in text and "already used" in text
    assert "type: must be one of" in text
    assert "source:" in text
    assert "slug: duplicate mill slug" in text
    assert len(exc.value.problems) >= 6


def test_schema_version_and_unknown_keys() -> None:
    with pytest.raises(PlantError) as exc:
        parse_plant({"schema_version": 2, "mills": [], "extra": 1})
    fields = {p.field for p in exc.value.problems}
    assert {"schema_version", "extra"} <= fields


def test_contract_example_parses() -> None:
    text = '''
schema_version = 1
[[mills]]
slug = "north"
name = "North Mill"
location = "Antwerp"
capacity = 400
status = "active"
  [[mills.sensors]]
  name = "B1 bearing"
  type = "temperature"
  eui = "A1B2C3D4E5F60001"
  location = "Roller mill B1"
  sampling_interval = 5
  source = "mqtt://mills/north/sensors/A1B2C3D4E5F60001/reading"
  calibration = { offset = -0.4, multiplier = 1.0 }
  thresholds = { warning_max = 60, critical_max = 75 }
  [[mills.sensors]]
  name = "Silo 3 level"
  type = "level"
  eui = "A1B2C3D4E5F60002"
  source = "modbus://127.0.0.1:5020/hr/100?unit=1&type=float32&order=abcd"
  [mills.estop]
  mqtt = true
  modbus = "modbus://127.0.0.1:5020/coil/0?unit=1&readback=di/0"
'''
    plant = parse_plant(tomllib.loads(text))
    m = plant.mill("north")
    assert m.estop_modbus.startswith("modbus://") and m.sensors[1].display_unit == "%"


def test_alarm_settings_validated_and_round_trip() -> None:
    data = demo()
    data["mills"][0]["sensors"][0]["alarm"] = {"deadband": 0.5, "off_delay": 30, "latch": ["high_high"]}
    plant = parse_plant(data)
    assert plant.mills[0].sensors[0].metadata["alarm"]["deadband"] == 0.5
    assert parse_plant(plant_to_dict(plant)) == plant
    data["mills"][0]["sensors"][0]["alarm"] = {"deadband": "wide", "bogus": 1}
    with pytest.raises(PlantError) as exc:
        parse_plant(data)
    fields = {p.field for p in exc.value.problems}
    assert {"alarm.deadband", "alarm.bogus"} <= fields


def test_estop_coast_down_is_read_validated_and_round_trips() -> None:
    data = demo()
    data["mills"][0]["estop"] = {"mqtt": True, "coast_down": 45}
    data["mills"][1]["estop"] = {"mqtt": True}
    plant = parse_plant(data)
    assert plant.mill(data["mills"][0]["slug"]).estop_coast_down == 45.0
    assert plant.mill(data["mills"][1]["slug"]).estop_coast_down == 30.0  # the default
    dumped = plant_to_dict(plant)
    assert dumped["mills"][0]["estop"]["coast_down"] == 45.0
    assert "coast_down" not in dumped["mills"][1].get("estop", {})
    assert parse_plant(dumped) == plant
    for bad in (0, -5, 4000, "slow"):
        data["mills"][0]["estop"] = {"coast_down": bad}
        with pytest.raises(PlantError) as err:
            parse_plant(data)
        assert any("estop.coast_down" in str(p) for p in err.value.problems), err.value.problems
