import pytest

from hmi.core.errors import ValidationError
from hmi.core.sources import ModbusSource, MqttSource, SimSource, parse_source


def test_mqtt_default_and_overrides() -> None:
    assert parse_source("", default_topic="mills/a/sensors/X/reading") == MqttSource("mills/a/sensors/X/reading")
    s = parse_source("mqtt://site/dampener/water?path=reading.val&ts=time")
    assert s == MqttSource("site/dampener/water", "reading.val", "time")


def test_modbus_full() -> None:
    s = parse_source("modbus://plc1:502/hr/10?unit=3&type=float32&order=cdab&scale=0.1&offset=2")
    assert isinstance(s, ModbusSource)
    assert (s.host, s.port, s.table, s.address, s.unit, s.data_type, s.order) == (
        "plc1", 502, "hr", 10, 3, "float32", "cdab")
    assert (s.scale, s.offset, s.count) == (0.1, 2.0, 2)
    assert s.device_key == "modbus://plc1:502"


def test_modbus_defaults_and_coils() -> None:
    s = parse_source("modbus://10.0.0.5/coil/0")
    assert isinstance(s, ModbusSource) and s.port == 502 and s.unit == 1 and s.data_type == "bool"
    assert parse_source("modbus://h:1/hr/0").data_type == "uint16"  # type: ignore[union-attr]


def test_modbus_rtu() -> None:
    s = parse_source("modbus+rtu:///dev/ttyUSB0/ir/7?baud=9600&parity=N")
    assert isinstance(s, ModbusSource) and s.serial and s.host == "/dev/ttyUSB0" and s.baud == 9600 and s.table == "ir"


def test_sim() -> None:
    assert parse_source("sim://sine?period=60") == SimSource("sine", {"period": 60.0})


@pytest.mark.parametrize(
    "url",
    [
        "http://x/y",
        "mqtt://mills/+/x",
        "modbus://h/xx/1",
        "modbus://h/hr/70000",
        "modbus://h/hr/1?type=float16",
        "modbus://h/hr/1?order=zzzz",
        "modbus://h/coil/1?type=float32",
        "modbus://h/hr/abc",
        "modbus://h/hr/1?unit=300",
        "modbus:///hr/1",
        "sim://sine?period=abc",
    ],
)
def test_bad_sources(url: str) -> None:
    with pytest.raises(ValidationError):
        parse_source(url)
