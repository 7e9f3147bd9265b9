"""State -> look of schematic elements (ISA-101): grey when normal, colour only when abnormal."""

from __future__ import annotations

from hmi.core.domain import Quality, Reading, Sensor, SensorType, Severity, Thresholds
from hmi.core.schematic_style import (
    DEFAULT_PALETTE,
    ElementState,
    classify,
    is_running,
    style_for,
    threshold_fractions,
    worst,
)

NOW = 1_790_000_000.0
SENSOR = Sensor("north", "B1 bearing", SensorType.TEMPERATURE, "A1B2C3D4E5F6100B", sampling_interval=2,
                thresholds=Thresholds(warning_max=60, critical_max=75))


def r(value: float | None, age: float = 1.0, quality: Quality = Quality.GOOD) -> Reading:
    return Reading(SENSOR.eui, NOW - age, value, quality)


def test_classify_by_thresholds_quality_and_age() -> None:
    assert classify(SENSOR, None, NOW) is ElementState.NO_DATA
    assert classify(SENSOR, r(40), NOW) is ElementState.NORMAL
    assert classify(SENSOR, r(65), NOW) is ElementState.WARNING
    assert classify(SENSOR, r(80), NOW) is ElementState.CRITICAL
    assert classify(SENSOR, r(40, quality=Quality.BAD), NOW) is ElementState.BAD
    assert classify(SENSOR, r(None, quality=Quality.UNCERTAIN), NOW) is ElementState.BAD
    assert classify(SENSOR, r(40, age=5.9), NOW) is ElementState.NORMAL  # 3 intervals = 6 s
    assert classify(SENSOR, r(40, age=6.1), NOW) is ElementState.STALE
    assert classify(SENSOR, r(40, age=100), NOW, stale_after=200) is ElementState.NORMAL


def test_an_announced_alarm_of_higher_priority_wins() -> None:
    assert classify(SENSOR, r(40), NOW, alarm_priority=Severity.CRITICAL) is ElementState.CRITICAL
    assert classify(SENSOR, r(80), NOW, alarm_priority=Severity.WARNING) is ElementState.CRITICAL
    assert classify(SENSOR, r(40), NOW, alarm_priority=Severity.EMERGENCY) is ElementState.EMERGENCY
    assert classify(SENSOR, r(40), NOW, alarm_priority=Severity.INFO) is ElementState.NORMAL


def test_normal_is_grey_and_alarms_use_priority_colours() -> None:
    p = DEFAULT_PALETTE
    normal = style_for(ElementState.NORMAL)
    assert (normal.outline, normal.outline_width, normal.indicator) == (p.value_border, 1.0, "")
    for state, colour, number in ((ElementState.WARNING, p.warning, "3"), (ElementState.CRITICAL, p.critical, "2"),
                                  (ElementState.EMERGENCY, p.emergency, "1")):
        st = style_for(state)
        assert st.indicator == number and st.indicator_fill == colour and st.outline_width > 2
    bad = style_for(ElementState.BAD)
    assert bad.outline == p.bad and bad.dashed and not bad.indicator
    stale = style_for(ElementState.STALE)
    assert stale.stale_marker and stale.italic and stale.outline == p.value_border  # not an alarm colour
    assert not ElementState.STALE.abnormal and ElementState.BAD.abnormal


def test_palette_is_injectable() -> None:
    from dataclasses import replace

    p = replace(DEFAULT_PALETTE, critical="#ff0000")
    assert style_for(ElementState.CRITICAL, p).indicator_fill == "#ff0000"


def test_running_and_worst_and_level_ticks() -> None:
    assert is_running(r(12.0), 1.0) is True
    assert is_running(r(0.2), 1.0) is False
    assert is_running(r(12.0, quality=Quality.BAD), 1.0) is None and is_running(None, 1.0) is None
    assert worst([ElementState.NORMAL, ElementState.STALE, ElementState.WARNING]) is ElementState.WARNING
    assert worst([]) is ElementState.NO_DATA
    assert threshold_fractions(SENSOR, 0, 100) == [(0.6, "warning_max"), (0.75, "critical_max")]
    assert threshold_fractions(SENSOR, 0, 50) == []  # limits outside the bar's range get no tick
