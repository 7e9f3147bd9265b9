"""Alarm settings: per-type defaults, the plant file's `metadata.alarm` table, validation."""

from __future__ import annotations

import pytest

from hmi.core.alarm_config import (
    TYPE_DEFAULTS,
    AlarmConfig,
    SensorAlarmConfig,
    alarm_span,
    parse_sensor_alarm_config,
)
from hmi.core.alarm_engine import AlarmEngine
from hmi.core.alarms import PROCESS_KINDS, AlarmKind
from hmi.core.domain import Mill, Sensor, SensorType, Severity, Thresholds
from hmi.core.errors import ValidationError

TH = Thresholds(warning_max=45, critical_max=60)


def sensor(stype: SensorType = SensorType.TEMPERATURE, **kw: object) -> Sensor:
    return Sensor("north", "Roll stand bearing", stype, "A1B2C3D4E5F61001", thresholds=TH, **kw)  # type: ignore[arg-type]


def test_type_defaults_follow_isa_starting_points() -> None:
    assert set(TYPE_DEFAULTS) == set(SensorType)
    cfg = AlarmConfig().for_sensor(sensor())
    assert (cfg.deadband_pct, cfg.on_delay_s, cfg.off_delay_s) == (1.0, 0.0, 60.0)
    assert AlarmConfig().for_sensor(sensor(SensorType.FLOW)).deadband_pct == 5.0
    assert AlarmConfig().for_sensor(sensor(SensorType.PRESSURE)).off_delay_s == 15.0
    # the default never delays an announcement
    assert all(c.on_delay_s == 0 for c in TYPE_DEFAULTS.values())


def test_config_precedence() -> None:
    explicit = SensorAlarmConfig(deadband=3.0)
    default = SensorAlarmConfig(on_delay_s=5.0)
    s = sensor(metadata={"alarm": {"off_delay": 30}})
    assert AlarmConfig(sensors={s.eui: explicit}, default=default).for_sensor(s) is explicit
    assert AlarmConfig(default=default).for_sensor(s) == SensorAlarmConfig(on_delay_s=5.0, off_delay_s=30.0)
    assert AlarmConfig().for_sensor(s) == SensorAlarmConfig(deadband_pct=1.0, off_delay_s=30.0)
    assert AlarmConfig(default=default).for_sensor(sensor()) is default


def test_metadata_table_is_parsed() -> None:
    cfg, problems = parse_sensor_alarm_config(
        {
            "deadband": 0.5,
            "deadband_pct": 2,
            "span": 100,
            "on_delay": 10,
            "off_delay": 30,
            "latch": ["high_high", "bad_quality"],
            "quality_alarm": False,
            "stale_alarm": True,
            "quality_on_delay": 5,
            "quality_off_delay": 6,
            "uncertain_is_bad": True,
            "quality_priority": "critical",
            "stale_priority": "info",
        }
    )
    assert problems == []
    assert cfg == SensorAlarmConfig(
        deadband=0.5, deadband_pct=2.0, span=100.0, on_delay_s=10.0, off_delay_s=30.0,
        latch=frozenset({AlarmKind.HIGH_HIGH, AlarmKind.BAD_QUALITY}), quality_alarm=False, stale_alarm=True,
        quality_on_delay_s=5.0, quality_off_delay_s=6.0, uncertain_is_bad=True,
        quality_priority=Severity.CRITICAL, stale_priority=Severity.INFO,
    )
    assert cfg.deadband_for(TH) == 2.0  # 2 % of the configured span beats 0.5
    assert parse_sensor_alarm_config({"latch": True})[0].latch == PROCESS_KINDS
    assert parse_sensor_alarm_config({"latch": False}, cfg)[0].latch == frozenset()


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ({"deadbnd": 1}, "deadbnd"),
        ({"deadband": "1"}, "deadband"),
        ({"deadband": True}, "deadband"),
        ({"deadband": -1}, "deadband"),
        ({"on_delay": float("nan")}, "on_delay"),
        ({"off_delay": -0.1}, "off_delay"),
        ({"span": 0}, "span"),
        ({"quality_alarm": "yes"}, "quality_alarm"),
        ({"quality_priority": "urgent"}, "quality_priority"),
        ({"latch": ["sideways"]}, "latch"),
        ({"latch": ["estop"]}, "latch"),
        ({"latch": "all"}, "latch"),
    ],
)
def test_metadata_table_problems(table: dict, field: str) -> None:
    _cfg, problems = parse_sensor_alarm_config(table)
    assert [p[0] for p in problems] == [field]


def test_not_a_table() -> None:
    assert parse_sensor_alarm_config(3)[1] == [("alarm", "must be a table")]


def test_invalid_metadata_fails_when_the_sensor_is_registered() -> None:
    bad = sensor(metadata={"alarm": {"deadband": -2}})
    with pytest.raises(ValidationError) as exc:
        AlarmEngine(mills=[Mill("north", "North", sensors=(bad,))])
    assert exc.value.field == "metadata.alarm.deadband"


def test_engine_config_validation() -> None:
    with pytest.raises(ValidationError):
        AlarmConfig(flood_count=10, flood_end_count=11)
    with pytest.raises(ValidationError):
        AlarmConfig(flood_window_s=0)
    with pytest.raises(ValidationError):
        AlarmConfig(max_shelve_minutes=0)
    with pytest.raises(ValidationError) as exc:
        AlarmConfig(sensors={"A1B2C3D4E5F61001": SensorAlarmConfig(on_delay_s=-1)})
    assert exc.value.field == "sensors.A1B2C3D4E5F61001.on_delay_s"


def test_alarm_span() -> None:
    assert alarm_span(Thresholds()) == 0.0
    assert alarm_span(Thresholds(warning_max=45, critical_max=60)) == 60.0
    assert alarm_span(Thresholds(critical_min=-45, warning_min=-35, warning_max=-8)) == 45.0
    assert alarm_span(Thresholds(warning_min=10, warning_max=60, critical_min=5, critical_max=75)) == 75.0
    assert SensorAlarmConfig(deadband_pct=5).deadband_for(Thresholds()) == 0.0
