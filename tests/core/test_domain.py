import math

import pytest

from hmi.core.domain import Calibration, SensorType, Thresholds, efficiency, normalise_eui
from hmi.core.errors import ValidationError


@pytest.mark.parametrize(
    ("kwargs", "ok"),
    [
        ({"warning_min": 10, "warning_max": 20}, True),
        ({"warning_min": 20, "warning_max": 20}, False),  # must be strictly below
        ({"warning_min": 21, "warning_max": 20}, False),
        ({"critical_min": 5, "warning_min": 10, "warning_max": 20, "critical_max": 25}, True),
        ({"critical_min": 10, "warning_min": 10, "warning_max": 20, "critical_max": 20}, True),  # <= allowed
        ({"critical_min": 11, "warning_min": 10}, False),
        ({"warning_max": 20, "critical_max": 19}, False),
        ({"critical_min": 30, "critical_max": 20}, False),
        ({"critical_min": 30, "warning_max": 20}, False),
        ({"warning_min": 30, "critical_max": 20}, False),
        ({"warning_max": math.nan}, False),
        ({}, True),
    ],
)
def test_threshold_order(kwargs: dict, ok: bool) -> None:
    assert (Thresholds(**kwargs).problems() == []) is ok


def test_threshold_validate_names_field() -> None:
    with pytest.raises(ValidationError) as exc:
        Thresholds(warning_min=30, warning_max=20).validate()
    assert exc.value.field == "warning_min"


def test_level_of() -> None:
    th = Thresholds(warning_min=10, warning_max=60, critical_min=5, critical_max=75)
    assert th.level_of(30) is None
    assert th.level_of(61).value == "warning"
    assert th.level_of(76).value == "critical"
    assert th.level_of(9).value == "warning"
    assert th.level_of(4).value == "critical"


def test_calibration() -> None:
    cal = Calibration(offset=-2.0, multiplier=1.5)
    assert cal.apply(65.0) == 95.5
    assert Calibration(multiplier=0).problems()


def test_default_units() -> None:
    assert {t: t.default_unit for t in SensorType} == {
        SensorType.TEMPERATURE: "°C",
        SensorType.HUMIDITY: "%",
        SensorType.PRESSURE: "hPa",
        SensorType.VIBRATION: "Hz",
        SensorType.FLOW: "L/min",
        SensorType.LEVEL: "%",
    }


def test_eui() -> None:
    assert normalise_eui("a1:b2:c3:d4:e5:f6:00:01") == "A1B2C3D4E5F60001"
    for bad in ("A1B2", "G1B2C3D4E5F60001", "A1B2C3D4E5F6000100"):
        with pytest.raises(ValidationError):
            normalise_eui(bad)


def test_efficiency() -> None:
    assert efficiency(300, 400) == 0.75
    assert efficiency(10, 0) is None
