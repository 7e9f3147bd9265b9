"""The Modbus register scanner behind the technician tool: read a range from a device and show every
register under every data type and byte/word order, to find where a value lives and how it is laid out.

A scan runs on the caller's thread (the UI runs it on its worker), on a connection of its own with a
short timeout (default 0.5 s, no retry: the technician is waiting), so it never queues behind the
driver's polls. A range larger than one request allows is read in blocks; a block the device refuses
with "illegal data address/value" is read register by register, so one hole does not hide its
neighbours. The first transport problem (no answer, connection refused) ends the scan and is reported
with the driver's reason (`device_timeout`, `disconnected`, ...). Nothing here raises for a device
problem: the `ScanResult` says what happened.

Decoding reuses hmi.core.registers (the driver's own decoder), so a preview shows exactly what the
driver will read for the URL built by `modbus_source_url()`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from hmi.core.errors import ValidationError
from hmi.core.registers import DATA_TYPES, ORDERS, decode_registers, register_count
from hmi.core.sources import MODBUS_TABLES, ModbusSource, parse_source
from hmi.core.text import Text
from hmi.drivers.modbus_errors import EXCEPTION_NAMES, REASON_SHORT_READ, ModbusRequestError, exception_reason
from hmi.drivers.modbus_plan import MAX_BITS_PER_READ

if TYPE_CHECKING:  # the driver (and pymodbus) load when a scan first runs
    from pymodbus.pdu import ModbusPDU

    from hmi.drivers.modbus import _Client

MAX_SCAN = 2000  # registers or bits per scan
REGISTER_BLOCK = 120  # registers per request (the protocol allows 125)
BIT_TABLES = ("coil", "di")
VALUE_TYPES = tuple(t for t in DATA_TYPES if t != "bool")  # int16 uint16 int32 uint32 float32 float64
TABLE_NAMES = {"hr": "Holding registers", "ir": "Input registers", "coil": "Coils", "di": "Discrete inputs"}

Guard = Callable[[], object]  # raises (PermissionDenied) when the current user may not do this


@dataclass(frozen=True, slots=True)
class DeviceAddress:
    """Where the device is: TCP host:port, or a serial port with its line settings."""

    host: str = "127.0.0.1"
    port: int = 502
    serial: bool = False
    baud: int = 19200
    parity: str = "E"
    stopbits: int = 1

    def source(self, table: str, address: int, unit: int, data_type: str = "uint16",
               order: str = "abcd") -> ModbusSource:
        return ModbusSource(self.host, 0 if self.serial else self.port, table, address, unit, data_type, order,
                            serial=self.serial, baud=self.baud, parity=self.parity, stopbits=self.stopbits)

    def display(self) -> str:
        if self.serial:
            return f"{self.host} {self.baud} {self.parity}{self.stopbits}"
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class ScanRequest:
    device: DeviceAddress
    table: str = "hr"
    unit: int = 1
    start: int = 0
    count: int = 10
    timeout: float = 0.5
    retries: int = 0

    def check(self) -> ScanRequest:
        """Self, or ValidationError naming the bad field."""
        if self.table not in MODBUS_TABLES:
            raise ValidationError("table", Text("table {table!r} not one of {tables}", table=self.table,
                                                 tables=", ".join(MODBUS_TABLES)))
        if not 0 <= self.unit <= 247:
            raise ValidationError("unit", Text("unit {unit} outside 0..247", unit=self.unit))
        if not 1 <= self.count <= MAX_SCAN:
            raise ValidationError("count", Text("count {count} outside 1..{max}", count=self.count, max=MAX_SCAN))
        if not 0 <= self.start or self.start + self.count > 65536:
            raise ValidationError("start", Text("{first}..{last} outside 0..65535", first=self.start,
                                                 last=self.start + self.count - 1))
        if not 0 < self.timeout <= 10:
            raise ValidationError("timeout", Text("timeout {timeout} outside 0..10 s", timeout=self.timeout))
        if not self.device.host:
            raise ValidationError("device", Text("no host or serial port"))
        if not self.device.serial and not 1 <= self.device.port <= 65535:
            raise ValidationError("port", Text("port {port} outside 1..65535", port=self.device.port))
        return self


@dataclass(frozen=True, slots=True)
class ScanError:
    """A request that failed: `reason` is one of the driver's reasons, `code` the Modbus exception code."""

    start: int
    count: int
    reason: str
    detail: str
    code: int | None = None

    def text(self) -> str:
        where = f"{self.start}" if self.count == 1 else f"{self.start}..{self.start + self.count - 1}"
        if self.code is not None:
            return f"{where}: exception {self.code} ({self.detail})"
        return f"{where}: {self.reason.replace('_', ' ')} ({self.detail})" if self.detail else f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ScanResult:
    request: ScanRequest
    values: tuple[int | None, ...]  # per address from request.start: register (0..65535) or bit (0/1); None unread
    errors: tuple[ScanError, ...] = ()
    latency_ms: float = 0.0
    requests: int = 0
    aborted: str = ""  # the reason a transport problem ended the scan early ("" when it ran to the end)
    cancelled: bool = False
    finished_at: float = field(default_factory=time.time)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.aborted and not self.cancelled

    @property
    def read(self) -> int:
        return sum(1 for v in self.values if v is not None)

    def value(self, address: int) -> int | None:
        i = address - self.request.start
        return self.values[i] if 0 <= i < len(self.values) else None

    def error_for(self, address: int) -> ScanError | None:
        for e in self.errors:
            if e.start <= address < e.start + e.count:
                return e
        return None

    def registers_at(self, address: int, n: int) -> list[int] | None:
        """`n` consecutive registers from `address`, or None when any is unread or outside the scan."""
        i = address - self.request.start
        if i < 0 or i + n > len(self.values):
            return None
        regs = self.values[i : i + n]
        return None if any(r is None for r in regs) else [int(r) for r in regs]  # type: ignore[arg-type]

    def decode(self, address: int, data_type: str, order: str = "abcd") -> float | None:
        """The value at `address` as `data_type`/`order`, as the driver would read it; None if unread."""
        if self.request.table in BIT_TABLES:
            v = self.value(address)
            return None if v is None else float(v)
        regs = self.registers_at(address, register_count(data_type))
        if regs is None:
            return None
        return decode_registers(regs, data_type, order)


class ScanCancelled(Exception):
    pass


def _read_block(client: _Client, req: ScanRequest, start: int, count: int) -> ModbusPDU:
    from hmi.drivers.modbus import _request

    return _request(client, req.table, req.unit, start, count)


def _values_of(rr: ModbusPDU, table: str, count: int) -> list[int]:
    if table in BIT_TABLES:
        bits = list(rr.bits)
        if len(bits) < count:
            raise ModbusRequestError(REASON_SHORT_READ, Text("{n} of {count} bits", n=len(bits), count=count))
        return [1 if b else 0 for b in bits[:count]]
    regs = list(rr.registers)
    if len(regs) < count:
        raise ModbusRequestError(REASON_SHORT_READ, Text("{n} of {count} registers", n=len(regs), count=count))
    return [int(r) for r in regs[:count]]


def scan(req: ScanRequest, *, cancel: threading.Event | None = None, guard: Guard | None = None) -> ScanResult:
    """Read the range; never raises for device problems (ValidationError for a bad request,
    whatever the guard raises when the user may not scan)."""
    from hmi.drivers.modbus import SPLIT_CODES, _Fault, _one_shot

    req.check()
    if guard is not None:
        guard()
    values: list[int | None] = [None] * req.count
    errors: list[ScanError] = []
    state = {"requests": 0, "at": req.start}
    t0 = time.perf_counter()
    block = MAX_BITS_PER_READ if req.table in BIT_TABLES else REGISTER_BLOCK

    def one(client: _Client, start: int, count: int) -> int | None:
        """Read into `values`; the exception code when the device refused, None when read."""
        if cancel is not None and cancel.is_set():
            raise ScanCancelled
        state["requests"] += 1
        state["at"] = start
        try:
            rr = _read_block(client, req, start, count)
        except _Fault as fault:
            raise ModbusRequestError(fault.reason, fault.detail) from fault
        if rr.isError():
            code = int(getattr(rr, "exception_code", 0) or 0)
            errors.append(ScanError(start, count, exception_reason(code), EXCEPTION_NAMES.get(code, "?"), code))
            return code
        got = _values_of(rr, req.table, count)
        values[start - req.start : start - req.start + count] = got
        return None

    def run(client: _Client) -> None:
        for s in range(req.start, req.start + req.count, block):
            n = min(block, req.start + req.count - s)
            code = one(client, s, n)
            if code in SPLIT_CODES and n > 1:
                errors.pop()  # the block hid which addresses exist: ask one by one
                for a in range(s, s + n):
                    one(client, a, 1)

    cancelled, aborted = False, ""
    try:
        _one_shot(req.device.source(req.table, req.start, req.unit), req.timeout, req.retries, run)
    except ScanCancelled:
        cancelled = True
    except ModbusRequestError as exc:  # no answer or no connection: the rest of the range stays unread
        aborted = exc.reason
        at = state["at"]
        errors.append(ScanError(at, req.start + req.count - at, exc.reason, exc.detail))
    return ScanResult(req, tuple(values), tuple(_merge(errors)), (time.perf_counter() - t0) * 1000.0,
                      state["requests"], aborted, cancelled)


def _merge(errors: list[ScanError]) -> list[ScanError]:
    """Adjacent single-address errors with the same reason become one range (readable in a status line)."""
    out: list[ScanError] = []
    for e in sorted(errors, key=lambda e: e.start):
        last = out[-1] if out else None
        if last and last.reason == e.reason and last.code == e.code and last.start + last.count == e.start:
            out[-1] = ScanError(last.start, last.count + e.count, last.reason, last.detail, last.code)
        else:
            out.append(e)
    return out


def orders_for(data_type: str) -> tuple[str, ...]:
    """The orders that differ for a type: a 16-bit value only has a byte swap."""
    return ("abcd", "badc") if register_count(data_type) == 1 else ORDERS


def modbus_source_url(
    device: DeviceAddress,
    table: str,
    address: int,
    unit: int = 1,
    data_type: str | None = None,
    order: str = "abcd",
    scale: float = 1.0,
    offset: float = 0.0,
) -> str:
    """The sensor source URL (README "Source URLs") for one value; checked by parsing it back.

    The unit and, for registers, the type are always written (explicit beats a default when
    commissioning); the order, scale and offset only when they are not the default.
    """
    if table in BIT_TABLES:
        data_type = "bool"
    data_type = data_type or "uint16"
    query: dict[str, str] = {"unit": str(unit)}
    if table not in BIT_TABLES:
        query["type"] = data_type
        if order != "abcd":
            query["order"] = order
    if scale != 1.0:
        query["scale"] = format(scale, ".15g")
    if offset != 0.0:
        query["offset"] = format(offset, ".15g")
    if device.serial:
        query.update(baud=str(device.baud), parity=device.parity, stopbits=str(device.stopbits))
        url = f"modbus+rtu://{device.host}/{table}/{address}"
    else:
        url = f"modbus://{device.host}:{device.port}/{table}/{address}"
    url += "?" + urlencode(query)
    parsed = parse_source(url)
    expected = device.source(table, address, unit, data_type, order)
    if not isinstance(parsed, ModbusSource) or (
        parsed.host, parsed.port, parsed.table, parsed.address, parsed.unit, parsed.data_type, parsed.order,
        parsed.serial,
    ) != (
        expected.host, expected.port, expected.table, expected.address, expected.unit, expected.data_type,
        expected.order, expected.serial,
    ) or abs(parsed.scale - scale) > 1e-9 * max(1.0, abs(scale)) or abs(parsed.offset - offset) > 1e-9 * max(
        1.0, abs(offset)
    ):
        raise ValidationError("source", Text("{url!r} does not parse back to the picked register", url=url))
    return url
