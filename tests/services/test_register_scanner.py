"""The register scanner against a real pymodbus server: values under every type and order, exception
codes per address, timeouts and a dead port reported quickly, URLs that parse back to the register."""

from __future__ import annotations

import gc
import threading
import time
import warnings
from collections.abc import Iterator

import pytest

from hmi.core.errors import ValidationError
from hmi.core.permissions import PermissionDenied
from hmi.core.registers import ORDERS
from hmi.core.sources import ModbusSource, parse_source
from hmi.services.register_scanner import (
    DeviceAddress,
    ScanRequest,
    modbus_source_url,
    orders_for,
    scan,
)
from tests.support.modbus_server import ModbusTestServer
from tests.support.servers import free_port


@pytest.fixture
def server() -> Iterator[ModbusTestServer]:
    before = threading.active_count()
    with ModbusTestServer(units=(1, 3)) as dev:
        yield dev
    # The test server (pymodbus, asyncio) does not always close its side of a connection a scan dropped
    # (a timeout, a cancel): collect such transports now, not in a later test's unraisable-warning check.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
    deadline = time.monotonic() + 3
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert threading.active_count() <= before, [t.name for t in threading.enumerate()]


def tcp(dev: ModbusTestServer) -> DeviceAddress:
    return DeviceAddress(dev.host, dev.port)


def test_reads_a_range_and_decodes_every_type_and_order(server: ModbusTestServer) -> None:
    server.set_value(1, "hr", 10, -1234.5, "float32", "cdab")
    server.set_value(1, "hr", 12, -2, "int16")
    server.set_value(1, "hr", 13, 3_000_000_000, "uint32", "dcba")
    server.set_value(1, "hr", 16, 1.0e300, "float64", "badc")
    result = scan(ScanRequest(tcp(server), "hr", 1, 8, 16))
    assert result.ok, result.errors
    assert result.read == 16 and result.requests == 1
    assert result.decode(10, "float32", "cdab") == pytest.approx(-1234.5)
    assert result.decode(10, "float32", "abcd") != pytest.approx(-1234.5)  # the wrong order reads nonsense
    assert result.decode(12, "int16") == -2 and result.decode(12, "uint16") == 65534
    assert result.decode(13, "uint32", "dcba") == 3_000_000_000
    assert result.decode(16, "float64", "badc") == pytest.approx(1.0e300)
    assert result.decode(23, "float32") is None  # needs register 24, outside the scan
    # every order of every type decodes the scanned registers exactly like the driver's decoder
    for order in ORDERS:
        assert result.decode(10, "uint32", order) is not None
    assert orders_for("int16") == ("abcd", "badc") and orders_for("float64") == ORDERS


def test_input_registers_coils_and_other_units(server: ModbusTestServer) -> None:
    server.set_value(3, "ir", 0, 77)
    server.device(1).set_bits("coil", 5, [True, False, True])
    ir = scan(ScanRequest(tcp(server), "ir", 3, 0, 2))
    assert ir.values == (77, 0)
    coils = scan(ScanRequest(tcp(server), "coil", 1, 4, 5))
    assert coils.values == (0, 1, 0, 1, 0)
    assert coils.decode(5, "bool") == 1.0


def test_large_range_is_read_in_blocks(server: ModbusTestServer) -> None:
    server.device(1).set_registers("hr", 0, list(range(300)))
    result = scan(ScanRequest(tcp(server), "hr", 1, 0, 300))
    assert result.ok and result.requests == 3
    assert list(result.values) == list(range(300))


def test_exception_codes_are_reported_per_address(server: ModbusTestServer) -> None:
    server.set_value(1, "hr", 4, 40)
    server.set_value(1, "hr", 6, 60)
    server.fail(1, "hr", 5, 1, code=2)  # register 5 does not exist
    result = scan(ScanRequest(tcp(server), "hr", 1, 0, 10))
    assert not result.ok and not result.aborted
    assert result.value(4) == 40 and result.value(6) == 60 and result.value(5) is None
    assert [(e.start, e.count, e.code, e.reason) for e in result.errors] == [(5, 1, 2, "modbus_exception_2")]
    assert "illegal data address" in result.errors[0].text()
    assert result.error_for(5) is result.errors[0] and result.error_for(4) is None
    assert result.decode(4, "uint32") is None  # spans the missing register

    server.fail(1, "hr", 0, 10, code=4)  # device failure: the block is not split
    failed = scan(ScanRequest(tcp(server), "hr", 1, 0, 10))
    assert [(e.start, e.count, e.code) for e in failed.errors] == [(0, 10, 4)]
    assert failed.requests == 1 and failed.read == 0


def test_silent_device_times_out_quickly(server: ModbusTestServer) -> None:
    server.silent = True
    t0 = time.monotonic()
    result = scan(ScanRequest(tcp(server), "hr", 1, 0, 500, timeout=0.3))
    elapsed = time.monotonic() - t0
    assert result.aborted == "device_timeout"
    assert result.read == 0 and result.requests == 1  # the first silence ends the scan
    assert [(e.start, e.count) for e in result.errors] == [(0, 500)]
    assert elapsed < 2.0
    server.silent = False  # the device answers again: so does the next scan
    assert scan(ScanRequest(tcp(server), "hr", 1, 0, 5, timeout=0.3)).ok


def test_dead_port_is_reported_at_once() -> None:
    t0 = time.monotonic()
    result = scan(ScanRequest(DeviceAddress("127.0.0.1", free_port()), "hr", 1, 0, 10, timeout=0.5))
    assert result.aborted == "disconnected"
    assert result.errors[0].reason == "disconnected" and "cannot connect" in result.errors[0].detail
    assert time.monotonic() - t0 < 1.5


def test_cancel_and_guard(server: ModbusTestServer) -> None:
    cancel = threading.Event()
    cancel.set()
    assert scan(ScanRequest(tcp(server), "hr", 1, 0, 10), cancel=cancel).cancelled

    def refuse() -> None:
        raise PermissionDenied("viewer vic may not edit sensors")

    with pytest.raises(PermissionDenied):
        scan(ScanRequest(tcp(server), "hr", 1, 0, 10), guard=refuse)


@pytest.mark.parametrize(
    "kwargs",
    [dict(count=0), dict(count=5000), dict(start=65530, count=10), dict(unit=300), dict(table="coils")],
)
def test_bad_requests_are_refused(kwargs: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationError):
        scan(ScanRequest(DeviceAddress("127.0.0.1", 502), **kwargs))


def test_source_urls_parse_back_to_the_register() -> None:
    dev = DeviceAddress("10.0.0.7", 5020)
    url = modbus_source_url(dev, "hr", 10, 2, "float32", "cdab", scale=0.1, offset=-3)
    assert url == "modbus://10.0.0.7:5020/hr/10?unit=2&type=float32&order=cdab&scale=0.1&offset=-3"
    src = parse_source(url)
    assert isinstance(src, ModbusSource)
    assert (src.address, src.unit, src.data_type, src.order, src.scale, src.offset) == (10, 2, "float32", "cdab",
                                                                                        0.1, -3.0)
    assert modbus_source_url(dev, "ir", 0) == "modbus://10.0.0.7:5020/ir/0?unit=1&type=uint16"
    assert modbus_source_url(dev, "coil", 3, data_type="float32") == "modbus://10.0.0.7:5020/coil/3?unit=1"
    rtu = DeviceAddress("/dev/ttyUSB0", serial=True, baud=9600, parity="N", stopbits=2)
    url = modbus_source_url(rtu, "hr", 7, 5, "int16", "badc")
    src = parse_source(url)
    assert isinstance(src, ModbusSource) and src.serial
    assert (src.host, src.address, src.unit, src.baud, src.parity, src.stopbits, src.order) == (
        "/dev/ttyUSB0", 7, 5, 9600, "N", 2, "badc")
