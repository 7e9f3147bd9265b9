"""The `modbus://` and `modbus+rtu://` driver: polls PLCs and instruments with pymodbus (3.11).

Shape:

- One connection per device (`ModbusSource.device_key`: a TCP host:port or a serial port), shared
  by every sensor on it, whatever its unit id.
- One worker thread per device, running a sync pymodbus client with the device's own short timeout
  (default 0.5 s, 1 retry; pymodbus' 3 s x 3 would hold a poll for 12 s). A device that hangs only
  holds its own thread: no other device waits for it.
- Sensors are grouped per (unit, table, interval); each group is read with as few block reads as
  `modbus_plan.plan_blocks` allows (adjacent and near registers merged, at most 120 registers or
  2000 bits a request), decoded with `hmi.core.registers` and turned into engineering units with
  the source's scale/offset.

What goes wrong, and what it does (never fatal, always counted by reason):

- An exception response (the device answered "no"): BAD samples with reason `modbus_exception_<code>`
  for exactly the sensors of that block. A merged block that answers "illegal address" or "illegal
  value" is split into single reads for good, so one unmapped register in a gap cannot take its
  neighbours down.
- No answer within the timeout (`device_timeout`): that unit's sensors go BAD and the unit backs off
  exponentially (`backoff_min` doubling up to `backoff_max`), other units on the same line carry on.
  On TCP the connection is reopened so a late answer cannot be mistaken for the next one.
- The connection fails (`disconnected`: refused, reset, serial port missing): all the device's
  sensors go BAD, the device backs off and reconnects.
- A short read, a value that does not decode, a NaN/inf float (`short_read`, `decode_error`,
  `not_finite`), an address past 65535 (`register_out_of_range`): BAD samples for those sensors.

Each failed request is also reported once through `ctx.on_reject(reason, detail)` so the pipeline's
counters count it; transitions (a block going bad or good again, a device going down or up) are
logged once, not every poll. Link state per device goes through `ctx.on_link(device_key, state, why)`:
CONNECTING at start, UP once it answers, DEGRADED while some of its units do not answer, DOWN when
none does or the connection is lost.

Options (`DriverContext.options`, all optional; also accepted nested under a "modbus" key):
`timeout` (s, 0.5), `retries` (1), `backoff_min` (s, 0.5), `backoff_max` (s, 5.0), `max_gap`
(registers, 8), `max_registers` (120), `max_bits` (2000), `interval` (s: poll every sensor at this
period instead of its sampling interval), `devices` ({device_key: {any of the per-device settings}}),
e.g. `{"timeout": 0.5, "devices": {"modbus://10.0.0.7:502": {"timeout": 2.0, "retries": 0}}}`.

`diagnostics()` gives per-device state, last poll time and latency, errors by reason and reconnects
for the link panel; `write_coil()` and `read_bits()` are short-timeout one-shot helpers (e-stop).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TypeVar

from pymodbus.client import ModbusSerialClient, ModbusTcpClient
from pymodbus.exceptions import ConnectionException, ModbusException, ModbusIOException
from pymodbus.framer import FramerType
from pymodbus.pdu import ModbusPDU

from hmi.core.domain import Quality, Sensor
from hmi.core.registers import compile_decoder, engineering_value, pack_block
from hmi.core.sources import ModbusSource, Source
from hmi.drivers.base import DriverContext, LinkState, Sample
from hmi.drivers.modbus_errors import (  # the driver's reasons and errors (the e-stop's too)
    EXCEPTION_NAMES,
    REASON_DISCONNECTED,
    REASON_PROTOCOL,
    REASON_SHORT_READ,
    REASON_TIMEOUT,
    ModbusRequestError,
    exception_reason,
)
from hmi.drivers.modbus_plan import (
    MAX_BITS_PER_READ,
    MAX_REGISTERS_PER_READ,
    Block,
    Span,
    in_address_space,
    plan_blocks,
    split_block,
)

log = logging.getLogger(__name__)
_Client = ModbusTcpClient | ModbusSerialClient
_T = TypeVar("_T")

SCHEMES = ("modbus", "modbus+rtu")
RECENT_LATENCIES = 256
BIT_TABLES = ("coil", "di")

REASON_DECODE = "decode_error"
REASON_NOT_FINITE = "not_finite"
REASON_OUT_OF_RANGE = "register_out_of_range"
REASON_READBACK = "readback_mismatch"

# Exception codes after which a merged block is read value by value: the block may span a hole.
SPLIT_CODES = frozenset({2, 3})


# -- settings -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModbusSettings:
    """Per-device request and planning settings (defaults suit a LAN PLC)."""

    timeout: float = 0.5
    retries: int = 1
    backoff_min: float = 0.5
    backoff_max: float = 5.0
    max_gap: int = 8
    max_registers: int = 120
    max_bits: int = 2000

    def check(self, where: str = "modbus") -> ModbusSettings:
        """Self, or ValueError naming the bad setting."""
        if not self.timeout > 0:
            raise ValueError(f"{where}: timeout must be above 0, got {self.timeout}")
        if self.retries < 0:
            raise ValueError(f"{where}: retries must be >= 0, got {self.retries}")
        if not 0 < self.backoff_min <= self.backoff_max:
            raise ValueError(
                f"{where}: need 0 < backoff_min <= backoff_max, got {self.backoff_min}, {self.backoff_max}"
            )
        if self.max_gap < 0:
            raise ValueError(f"{where}: max_gap must be >= 0, got {self.max_gap}")
        if not 4 <= self.max_registers <= MAX_REGISTERS_PER_READ:
            raise ValueError(f"{where}: max_registers must be 4..{MAX_REGISTERS_PER_READ}, got {self.max_registers}")
        if not 1 <= self.max_bits <= MAX_BITS_PER_READ:
            raise ValueError(f"{where}: max_bits must be 1..{MAX_BITS_PER_READ}, got {self.max_bits}")
        return self

    def backoff(self, failures: int) -> float:
        """Delay before the next attempt after `failures` consecutive failures (>= 1): doubling, capped."""
        return min(self.backoff_max, self.backoff_min * 2.0 ** max(0, failures - 1))

    @property
    def request_budget(self) -> float:
        """The longest one request can block: every try times out."""
        return self.timeout * (self.retries + 1)


_SETTING_TYPES: dict[str, type] = {f.name: (int if f.type == "int" else float) for f in fields(ModbusSettings)}


def _apply_settings(base: ModbusSettings, raw: Mapping[str, object], where: str, *, strict: bool) -> ModbusSettings:
    values: dict[str, float | int] = {}
    for key, value in raw.items():
        kind = _SETTING_TYPES.get(key)
        if kind is None:
            if strict:
                raise ValueError(f"{where}: unknown setting {key!r} (one of {', '.join(_SETTING_TYPES)})")
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError(f"{where}: {key} must be a number, got {value!r}")
        try:
            values[key] = kind(value)
        except ValueError as exc:
            raise ValueError(f"{where}: {key} must be a number, got {value!r}") from exc
    return replace(base, **values).check(where)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class DriverOptions:
    defaults: ModbusSettings = ModbusSettings()
    devices: Mapping[str, ModbusSettings] = field(default_factory=dict)
    interval: float | None = None

    def for_device(self, device_key: str) -> ModbusSettings:
        return self.devices.get(device_key, self.defaults)

    @classmethod
    def parse(cls, options: Mapping[str, object]) -> DriverOptions:
        """Read the driver's options (see the module docstring); ValueError on a bad value.

        Top-level keys that are not ours are ignored (the options may be shared); inside a "modbus"
        or per-device mapping an unknown key is an error (a typo would otherwise go unnoticed).
        """
        nested = options.get("modbus")
        strict = isinstance(nested, Mapping)
        opts: Mapping[str, object] = nested if isinstance(nested, Mapping) else options
        defaults = _apply_settings(
            ModbusSettings(),
            {k: v for k, v in opts.items() if k not in ("devices", "interval")},
            "modbus",
            strict=strict,
        )
        devices: dict[str, ModbusSettings] = {}
        raw_devices = opts.get("devices") or {}
        if not isinstance(raw_devices, Mapping):
            raise ValueError("modbus: devices must map a device key to its settings")
        for key, raw in raw_devices.items():
            if not isinstance(raw, Mapping):
                raise ValueError(f"modbus device {key}: settings must be a mapping")
            devices[str(key)] = _apply_settings(defaults, raw, f"modbus device {key}", strict=True)
        interval = opts.get("interval")
        if interval is not None:
            if isinstance(interval, bool) or not isinstance(interval, int | float) or not interval > 0:
                raise ValueError(f"modbus: interval must be a number above 0, got {interval!r}")
            interval = float(interval)
        return cls(defaults, devices, interval)


# -- diagnostics ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class DeviceDiagnostics:
    """What the link panel shows of one device. `diagnostics()` hands out copies."""

    device_key: str
    state: LinkState = LinkState.CONNECTING
    reason: str = ""
    sensors: int = 0
    blocks: int = 0
    timeout: float = 0.0
    retries: int = 0
    polls: int = 0  # poll cycles that got at least one answer
    requests: int = 0
    last_poll: float | None = None  # epoch seconds of the last answered poll cycle
    last_latency_ms: float | None = None  # duration of that cycle (all its requests)
    errors: dict[str, int] = field(default_factory=dict)  # failed requests (and bad values) by reason
    connects: int = 0
    reconnects: int = 0  # connections opened after the first
    backoff: float = 0.0  # seconds until the next attempt, when backing off
    units_down: tuple[int, ...] = ()
    # Durations of the latest answered poll cycles (ms, oldest first, at most RECENT_LATENCIES):
    # a deque while live, a tuple in the copies diagnostics() hands out.
    recent_latency_ms: Sequence[float] = field(default_factory=lambda: deque(maxlen=RECENT_LATENCIES))

    def copy(self) -> DeviceDiagnostics:
        return replace(self, errors=dict(self.errors), recent_latency_ms=tuple(self.recent_latency_ms))


# -- the device worker ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Point:
    eui: str
    source: ModbusSource
    interval: float


# What to make of one value in a block's response: (eui, offset in the block, count, type, order, scale, offset).
_Slot = tuple[str, int, int, str, str, float, float]


@dataclass(slots=True)
class _Read:
    """One planned request and, precomputed, how each of its values is cut out and decoded."""

    block: Block
    slots: tuple[_Slot, ...]

    @classmethod
    def of(cls, block: Block, points: list[_Point]) -> _Read:
        slots = []
        for span in block.spans:
            p = points[span.key]
            s = p.source
            slots.append((p.eui, block.offset(span), span.count, s.data_type, s.order, s.scale, s.offset))
        return cls(block, tuple(slots))


@dataclass(slots=True)
class _Group:
    unit: int
    table: str
    interval: float
    points: list[_Point]
    reads: list[_Read]
    invalid: list[_Point]
    next_due: float = 0.0


@dataclass(slots=True)
class _UnitState:
    failures: int = 0
    retry_at: float = 0.0  # monotonic


class _Fault(Exception):
    """A request got no usable answer. `connection` faults take the whole device down."""

    def __init__(self, reason: str, detail: str, *, connection: bool) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.connection = connection


def _make_client(src: ModbusSource, settings: ModbusSettings, name: str) -> _Client:
    if src.serial:
        # Raises RuntimeError when pyserial (pymodbus[serial]) is missing: reported as a connection fault.
        return ModbusSerialClient(
            src.host,
            framer=FramerType.RTU,
            baudrate=src.baud,
            parity=src.parity,
            stopbits=src.stopbits,
            timeout=settings.timeout,
            retries=settings.retries,
            name=name,
        )
    return ModbusTcpClient(src.host, port=src.port, timeout=settings.timeout, retries=settings.retries, name=name)


def _request(client: _Client, table: str, unit: int, start: int, count: int) -> ModbusPDU:
    """One read; returns the response PDU or raises _Fault. Never raises anything else."""
    try:
        if table == "hr":
            return client.read_holding_registers(start, count=count, device_id=unit)
        if table == "ir":
            return client.read_input_registers(start, count=count, device_id=unit)
        if table == "coil":
            return client.read_coils(start, count=count, device_id=unit)
        return client.read_discrete_inputs(start, count=count, device_id=unit)
    except ConnectionException as exc:
        raise _Fault(REASON_DISCONNECTED, str(exc), connection=True) from exc
    except ModbusIOException as exc:
        text = str(exc)
        reason = REASON_TIMEOUT if "no response" in text.lower() else REASON_PROTOCOL
        raise _Fault(reason, text, connection=False) from exc
    except ModbusException as exc:
        raise _Fault(REASON_PROTOCOL, str(exc), connection=False) from exc
    except OSError as exc:  # send() on a socket the peer closed
        raise _Fault(REASON_DISCONNECTED, f"{type(exc).__name__}: {exc}", connection=True) from exc
    except Exception as exc:  # garbage on the line can trip pymodbus' decoder in many ways
        log.debug("modbus request failed unexpectedly", exc_info=True)
        raise _Fault(REASON_PROTOCOL, f"{type(exc).__name__}: {exc}", connection=False) from exc


class _DeviceWorker:
    """Polls one device (one connection) on its own thread until `stop` is set."""

    def __init__(
        self,
        key: str,
        conn_source: ModbusSource,
        settings: ModbusSettings,
        groups: list[_Group],
        ctx: DriverContext,
        diag: DeviceDiagnostics,
        lock: threading.Lock,
        stop: threading.Event,
    ) -> None:
        self.key = key
        self.conn_source = conn_source
        self.settings = settings
        self.groups = sorted(groups, key=lambda g: (g.unit, g.table, g.interval))
        self.ctx = ctx
        self.diag = diag
        self.lock = lock
        self.stop = stop
        self.client: _Client | None = None
        self.units = {g.unit: _UnitState() for g in groups}
        self.conn_failures = 0
        self.state = LinkState.CONNECTING
        self.block_status: dict[tuple[int, str, int], str] = {}  # (unit, table, start) -> last reason
        self.requests = 0  # answered requests not yet added to diag (one lock per cycle, not per request)
        self.thread = threading.Thread(target=self.run, name=f"modbus {key}", daemon=True)

    # -- lifecycle ------------------------------------------------------------------------------------

    def run(self) -> None:
        try:
            self._report_invalid()
            self._loop()
        except Exception:
            log.exception("modbus %s: poll worker failed; device no longer polled", self.key)
            self._set_link(LinkState.DOWN, "driver error (see log)")
        finally:
            self._close()

    def _loop(self) -> None:
        now = time.monotonic()
        for g in self.groups:
            g.next_due = now
        while not self.stop.is_set():
            due = min(g.next_due for g in self.groups)
            wait = due - time.monotonic()
            if wait > 0 and self.stop.wait(wait):
                return
            if self.stop.is_set():
                return
            now = time.monotonic()
            ready = [g for g in self.groups if g.next_due <= now]
            samples: list[Sample] = []
            self._cycle(ready, samples)
            self._reschedule(ready)
            if samples:
                try:
                    self.ctx.on_samples(samples)
                except Exception:
                    log.exception("modbus %s: sample receiver failed; continuing", self.key)

    def _reschedule(self, ready: list[_Group]) -> None:
        end = time.monotonic()
        for g in ready:
            # Fixed rate on the group's own phase; slots missed while a poll overran are skipped, not burst.
            missed = math.floor((end - g.next_due) / g.interval) + 1 if end >= g.next_due else 1
            g.next_due += max(1, missed) * g.interval
        hold = 0.0
        for g in self.groups:
            unit = self.units[g.unit]
            if unit.failures:
                g.next_due = max(g.next_due, unit.retry_at)
                hold = max(hold, unit.retry_at - end)
        hold = max(0.0, hold)
        if hold or self.diag.backoff:
            with self.lock:
                self.diag.backoff = hold

    def _close(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            try:
                client.close()
            except Exception:
                log.debug("modbus %s: close failed", self.key, exc_info=True)

    # -- one poll cycle -------------------------------------------------------------------------------

    def _cycle(self, ready: list[_Group], samples: list[Sample]) -> None:
        t0 = time.perf_counter()
        answered = False
        timed_out: set[int] = set()
        for g in ready:  # in (unit, table) order: self.groups is sorted
            if self.stop.is_set():
                return
            if g.unit in timed_out:
                continue
            mark = len(samples)
            for attempt in (1, 2):
                reused = self.client is not None and self.client.connected
                try:
                    client = self._connected_client()
                    answered |= self._poll_group(client, g, samples)
                    self._unit_ok(g.unit)
                    break
                except _Fault as fault:
                    del samples[mark:]
                    if fault.connection and reused and attempt == 1:
                        # Devices drop idle connections: a connection that worked gets one fresh retry
                        # at once, so a long poll interval does not turn into a link flap every poll.
                        log.debug("modbus %s: connection dropped (%s); reconnecting", self.key, fault.detail)
                        self._close()
                        continue
                    if fault.connection:
                        self._connection_failed(fault, samples)
                        return
                    timed_out.add(g.unit)
                    self._unit_failed(g.unit, fault, samples)
                    if not self.conn_source.serial:
                        self._close()  # a late answer must not be taken for the next request's
                    break
        if answered:
            with self.lock:
                self.diag.requests += self.requests
                self.requests = 0
                self.diag.polls += 1
                self.diag.last_poll = time.time()
                self.diag.last_latency_ms = (time.perf_counter() - t0) * 1000.0
                self.diag.recent_latency_ms.append(self.diag.last_latency_ms)  # type: ignore[attr-defined]
        self._update_link()

    def _connected_client(self) -> _Client:
        if self.client is not None and self.client.connected:
            return self.client
        self._close()
        try:
            client = _make_client(self.conn_source, self.settings, self.key)
        except RuntimeError as exc:  # no pyserial
            raise _Fault(REASON_DISCONNECTED, str(exc), connection=True) from exc
        if not client.connect():
            client.close()
            src = self.conn_source
            where = src.host if src.serial else f"{src.host}:{src.port}"
            raise _Fault(REASON_DISCONNECTED, f"cannot connect to {where}", connection=True)
        self.client = client
        with self.lock:
            self.diag.connects += 1
            if self.diag.connects > 1:
                self.diag.reconnects += 1
        return client

    def _poll_group(self, client: _Client, g: _Group, samples: list[Sample]) -> bool:
        """Read every block of the group; True when the device answered. Raises _Fault."""
        if g.invalid:
            now = time.time()
            samples.extend(Sample(p.eui, now, None, Quality.BAD, REASON_OUT_OF_RANGE) for p in g.invalid)
        i = 0
        reads = g.reads
        bits = g.table in BIT_TABLES
        while i < len(reads):
            read = reads[i]
            block = read.block
            rr = _request(client, g.table, g.unit, block.start, block.count)
            ts = time.time()
            self.requests += 1
            if rr.isError():
                code = int(getattr(rr, "exception_code", 0) or 0)
                if code in SPLIT_CODES and len(block.spans) > 1:
                    log.info(
                        "modbus %s unit %s %s %d+%d: %s; reading its %d values one by one from now on",
                        self.key,
                        g.unit,
                        g.table,
                        block.start,
                        block.count,
                        EXCEPTION_NAMES.get(code, f"exception {code}"),
                        len(block.spans),
                    )
                    reads[i : i + 1] = [_Read.of(b, g.points) for b in split_block(block)]
                    with self.lock:
                        self.diag.blocks = sum(len(x.reads) for x in self.groups)
                    continue  # read the first of the singles now
                self._block_bad(
                    g, read, ts, exception_reason(code), EXCEPTION_NAMES.get(code, f"exception {code}"), samples
                )
            elif bits:
                self._decode_bits(g, read, rr.bits, ts, samples)
            else:
                self._decode_registers(g, read, rr.registers, ts, samples)
            i += 1
        return bool(reads)

    def _decode_registers(self, g: _Group, read: _Read, regs: list[int], ts: float, samples: list[Sample]) -> None:
        if len(regs) < read.block.count:
            self._block_bad(g, read, ts, REASON_SHORT_READ, f"{len(regs)} of {read.block.count} registers", samples)
            return
        if self.block_status:
            self._block_good(g, read.block)
        try:
            packed = pack_block(regs)  # once per block; each value is then one struct unpack
        except ValueError as exc:
            self._block_bad(g, read, ts, REASON_DECODE, str(exc), samples)
            return
        isfinite = math.isfinite
        append = samples.append
        for eui, off, _n, data_type, order, scale, offset in read.slots:
            value = compile_decoder(data_type, order)(packed, off)
            if not isfinite(value):
                self._value_bad(eui, ts, REASON_NOT_FINITE, f"{data_type} {value}", samples)
                continue
            append(Sample(eui, ts, engineering_value(value, scale, offset)))

    def _decode_bits(self, g: _Group, read: _Read, bits: list[bool], ts: float, samples: list[Sample]) -> None:
        if len(bits) < read.block.count:
            self._block_bad(g, read, ts, REASON_SHORT_READ, f"{len(bits)} of {read.block.count} bits", samples)
            return
        if self.block_status:
            self._block_good(g, read.block)
        for eui, off, _n, _type, _order, scale, offset in read.slots:
            samples.append(Sample(eui, ts, engineering_value(1.0 if bits[off] else 0.0, scale, offset)))

    # -- bookkeeping of what went wrong -----------------------------------------------------------------

    def _count(self, reason: str, n: int = 1) -> None:
        with self.lock:
            self.diag.errors[reason] = self.diag.errors.get(reason, 0) + n

    def _reject(self, reason: str, detail: str) -> None:
        try:
            self.ctx.on_reject(reason, detail)
        except Exception:
            log.exception("modbus %s: reject receiver failed", self.key)

    def _block_bad(self, g: _Group, read: _Read, ts: float, reason: str, detail: str, samples: list[Sample]) -> None:
        block = read.block
        where = f"{self.key} unit {g.unit} {g.table} {block.start}+{block.count}"
        self._count(reason)
        self._reject(reason, f"{where}: {detail}")
        status_key = (g.unit, g.table, block.start)
        if self.block_status.get(status_key) != reason:
            self.block_status[status_key] = reason
            log.warning("modbus %s: %s (%s); its %d sensor(s) bad", where, reason, detail, len(block.spans))
        samples.extend(Sample(slot[0], ts, None, Quality.BAD, reason) for slot in read.slots)

    def _block_good(self, g: _Group, block: Block) -> None:
        previous = self.block_status.pop((g.unit, g.table, block.start), None)
        if previous is not None:
            log.info("modbus %s unit %s %s %d+%d: reads again", self.key, g.unit, g.table, block.start, block.count)

    def _value_bad(self, eui: str, ts: float, reason: str, detail: str, samples: list[Sample]) -> None:
        self._count(reason)
        samples.append(Sample(eui, ts, None, Quality.BAD, reason))
        log.debug("modbus %s: sensor %s %s: %s", self.key, eui, reason, detail)

    def _report_invalid(self) -> None:
        for g in self.groups:
            for p in g.invalid:
                detail = f"{self.key} unit {g.unit} {g.table} {p.source.address}+{p.source.count} past 65535"
                log.warning("modbus sensor %s: %s", p.eui, detail)
                self._count(REASON_OUT_OF_RANGE)
                self._reject(REASON_OUT_OF_RANGE, detail)

    def _device_sensors_bad(self, reason: str, samples: list[Sample], unit: int | None = None) -> None:
        ts = time.time()
        for g in self.groups:
            if unit is None or g.unit == unit:
                samples.extend(Sample(p.eui, ts, None, Quality.BAD, reason) for p in g.points)

    def _unit_ok(self, unit: int) -> None:
        state = self.units[unit]
        if state.failures:
            log.info("modbus %s unit %s answers again", self.key, unit)
            state.failures = 0
            state.retry_at = 0.0
        self.conn_failures = 0

    def _unit_failed(self, unit: int, fault: _Fault, samples: list[Sample]) -> None:
        state = self.units[unit]
        state.failures += 1
        delay = self.settings.backoff(state.failures)
        state.retry_at = time.monotonic() + delay
        self._count(fault.reason)
        self._reject(fault.reason, f"{self.key} unit {unit}: {fault.detail}")
        if state.failures == 1:
            log.warning("modbus %s unit %s: %s (%s); retrying with backoff", self.key, unit, fault.reason, fault.detail)
        self._device_sensors_bad(fault.reason, samples, unit)

    def _connection_failed(self, fault: _Fault, samples: list[Sample]) -> None:
        self._close()
        self.conn_failures += 1
        delay = self.settings.backoff(self.conn_failures)
        retry_at = time.monotonic() + delay
        for state in self.units.values():
            state.failures = max(state.failures, 1)
            state.retry_at = max(state.retry_at, retry_at)
        self._count(fault.reason)
        self._reject(fault.reason, f"{self.key}: {fault.detail}")
        if self.conn_failures == 1:
            log.warning("modbus %s: %s (%s); reconnecting with backoff", self.key, fault.reason, fault.detail)
        self._device_sensors_bad(fault.reason, samples)
        self._set_link(LinkState.DOWN, f"{fault.reason}: {fault.detail}")

    def _update_link(self) -> None:
        """Link state from the units after a cycle that kept its connection (else _connection_failed said DOWN)."""
        down = sorted(u for u, s in self.units.items() if s.failures)
        if not down and self.state is LinkState.UP:
            return  # the common case, every poll: nothing changed
        with self.lock:
            self.diag.units_down = tuple(down)
        if not down:
            self._set_link(LinkState.UP, "")
        elif len(down) == len(self.units):
            self._set_link(LinkState.DOWN, f"{REASON_TIMEOUT}: no answer within {self.settings.timeout:g} s")
        else:
            self._set_link(LinkState.DEGRADED, f"unit(s) {', '.join(map(str, down))} not answering")

    def _set_link(self, state: LinkState, reason: str) -> None:
        with self.lock:
            self.diag.reason = reason
            if state is self.state:
                return
            self.state = self.diag.state = state
        if state is LinkState.UP:
            log.info("modbus %s: link up", self.key)
        else:
            log.warning("modbus %s: link %s: %s", self.key, state.value, reason)
        try:
            self.ctx.on_link(self.key, state, reason)
        except Exception:
            log.exception("modbus %s: link receiver failed", self.key)


# -- the driver -----------------------------------------------------------------------------------------


class ModbusDriver:
    """Polls every added Modbus sensor; one worker thread and connection per device."""

    scheme = "modbus"
    schemes = SCHEMES

    def __init__(self, ctx: DriverContext, options: DriverOptions | None = None) -> None:
        self._ctx = ctx
        self._options = options or DriverOptions()
        self._points: dict[str, list[_Point]] = {}  # device_key -> points
        self._euis: set[str] = set()
        self._lock = threading.Lock()
        self._diags: dict[str, DeviceDiagnostics] = {}
        self._workers: list[_DeviceWorker] = []
        self._stop = threading.Event()
        self._started = False

    # -- Driver protocol ------------------------------------------------------------------------------

    def add(self, sensor: Sensor, source: Source) -> None:
        """Take a sensor; ValueError for a non-Modbus source or a duplicate EUI."""
        if self._started:
            raise RuntimeError("add sensors before start()")
        if not isinstance(source, ModbusSource):
            raise ValueError(f"sensor {sensor.eui}: source {source.scheme}:// is not Modbus")
        if sensor.eui in self._euis:
            raise ValueError(f"sensor {sensor.eui} added twice")
        interval = self._options.interval if self._options.interval is not None else float(sensor.sampling_interval)
        if not interval > 0:
            raise ValueError(f"sensor {sensor.eui}: sampling interval must be above 0, got {interval}")
        self._points.setdefault(source.device_key, []).append(_Point(sensor.eui, source, interval))
        self._euis.add(sensor.eui)

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self._stop.clear()
        for key in self._options.devices:
            if key not in self._points:
                log.warning("modbus settings for %s, which has no sensors (device keys: %s)", key, list(self._points))
        for key, points in self._points.items():
            settings = self._options.for_device(key)
            groups = plan_groups(points, settings)
            conn_source = points[0].source
            line = (conn_source.baud, conn_source.parity, conn_source.stopbits)
            for p in points[1:]:
                s = p.source
                if s.serial and (s.baud, s.parity, s.stopbits) != line:
                    log.warning(
                        "modbus %s: sensor %s asks for %s %s %s, the line runs at %s %s %s (first sensor's)",
                        key,
                        p.eui,
                        s.baud,
                        s.parity,
                        s.stopbits,
                        conn_source.baud,
                        conn_source.parity,
                        conn_source.stopbits,
                    )
            diag = DeviceDiagnostics(
                key,
                sensors=len(points),
                blocks=sum(len(g.reads) for g in groups),
                timeout=settings.timeout,
                retries=settings.retries,
            )
            self._diags[key] = diag
            self._workers.append(
                _DeviceWorker(key, conn_source, settings, groups, self._ctx, diag, self._lock, self._stop)
            )
        for w in self._workers:
            try:
                self._ctx.on_link(w.key, LinkState.CONNECTING, "")
            except Exception:
                log.exception("modbus %s: link receiver failed", w.key)
            w.thread.start()

    def stop(self) -> None:
        """Stop polling and close every connection; returns once the workers are joined."""
        if not self._started:
            return
        self._stop.set()
        for w in self._workers:
            # A worker blocked in a request returns within that request's timeout budget.
            w.thread.join(timeout=w.settings.request_budget + w.settings.timeout + 2.0)
            if w.thread.is_alive():
                log.warning("modbus %s: worker did not stop in time", w.key)
        for w in self._workers:
            with self._lock:
                self._diags[w.key].state = LinkState.DOWN
                self._diags[w.key].reason = "stopped"
            try:
                self._ctx.on_link(w.key, LinkState.DOWN, "stopped")
            except Exception:
                log.exception("modbus %s: link receiver failed", w.key)
        self._workers = []
        self._started = False

    # -- introspection --------------------------------------------------------------------------------

    @property
    def sensor_count(self) -> int:
        return len(self._euis)

    def device_keys(self) -> list[str]:
        return sorted(self._points)

    def diagnostics(self) -> dict[str, DeviceDiagnostics]:
        """A consistent copy of every device's diagnostics (any thread)."""
        with self._lock:
            return {k: d.copy() for k, d in self._diags.items()}


def plan_groups(points: list[_Point], settings: ModbusSettings) -> list[_Group]:
    """Group one device's points per (unit, table, interval) and plan each group's block reads."""
    by_key: dict[tuple[int, str, float], list[_Point]] = {}
    for p in points:
        by_key.setdefault((p.source.unit, p.source.table, p.interval), []).append(p)
    groups = []
    for (unit, table, interval), members in sorted(by_key.items()):
        spans = [Span(i, p.source.address, p.source.count) for i, p in enumerate(members)]
        valid = [s for s in spans if in_address_space(s)]
        invalid = [members[s.key] for s in spans if not in_address_space(s)]
        limit = settings.max_bits if table in BIT_TABLES else settings.max_registers
        gap = settings.max_gap * 16 if table in BIT_TABLES else settings.max_gap  # bits are cheap
        reads = [_Read.of(b, members) for b in plan_blocks(valid, max_gap=gap, max_count=limit)]
        groups.append(_Group(unit, table, interval, members, reads, invalid))
    return groups


def create_modbus_driver(ctx: DriverContext) -> ModbusDriver:
    """DriverFactory for the registry (schemes "modbus" and "modbus+rtu"): reads the documented options."""
    return ModbusDriver(ctx, DriverOptions.parse(ctx.options))


# -- one-shot helpers (e-stop coil with read-back) ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CoilWriteResult:
    """What a coil write achieved. `reason` is "" when ok, else one of the driver's reasons."""

    ok: bool
    reason: str = ""
    detail: str = ""
    readback: bool | None = None
    latency_ms: float = 0.0


def readback_target(source: ModbusSource) -> tuple[str, int]:
    """Where to read a written coil back: the source's `readback` ("di/0", "coil/7") or the coil itself."""
    if not source.readback:
        return source.table, source.address
    table, _, addr = source.readback.partition("/")
    table = table.strip().lower()
    if table not in BIT_TABLES or not addr.strip().isdigit() or not 0 <= int(addr) <= 65535:
        raise ValueError(f"readback {source.readback!r}: expected coil/ADDRESS or di/ADDRESS")
    return table, int(addr)


def _one_shot(source: ModbusSource, timeout: float, retries: int, fn: Callable[[_Client], _T]) -> _T:
    settings = ModbusSettings(timeout=timeout, retries=retries).check("modbus request")
    try:
        client = _make_client(source, settings, source.device_key)
    except RuntimeError as exc:
        raise ModbusRequestError(REASON_DISCONNECTED, str(exc)) from exc
    try:
        if not client.connect():
            raise ModbusRequestError(REASON_DISCONNECTED, f"cannot connect to {source.device_key}")
        return fn(client)
    finally:
        client.close()


def _bits(client: _Client, table: str, unit: int, address: int, count: int) -> list[bool]:
    try:
        rr = _request(client, table, unit, address, count)
    except _Fault as fault:
        raise ModbusRequestError(fault.reason, fault.detail) from fault
    if rr.isError():
        code = int(getattr(rr, "exception_code", 0) or 0)
        raise ModbusRequestError(exception_reason(code), EXCEPTION_NAMES.get(code, f"exception {code}"))
    bits = list(rr.bits)
    if len(bits) < count:
        raise ModbusRequestError(REASON_SHORT_READ, f"{len(bits)} of {count} bits")
    return [bool(b) for b in bits[:count]]


def read_bits(
    source: ModbusSource,
    count: int = 1,
    *,
    timeout: float = 0.5,
    retries: int = 0,
    table: str | None = None,
    address: int | None = None,
) -> list[bool]:
    """Read `count` coils or discrete inputs on a connection of its own; ModbusRequestError on failure.

    Reads the source's own table and address unless `table`/`address` say otherwise.
    """
    table = table or source.table
    address = source.address if address is None else address
    if table not in BIT_TABLES:
        raise ValueError(f"read_bits reads coils or discrete inputs, not {table!r}")
    if not 1 <= count <= MAX_BITS_PER_READ or address + count > 65536:
        raise ValueError(f"cannot read {count} bits from {address}")
    return _one_shot(source, timeout, retries, lambda c: _bits(c, table, source.unit, address, count))


def write_coil(
    source: ModbusSource, value: bool, timeout: float = 0.5, *, retries: int = 0, readback: bool = True
) -> CoilWriteResult:
    """Write one coil on a connection of its own (never queued behind a poll) and read it back.

    Each request gets `timeout` seconds (and `retries` more tries). The read-back reads the source's
    `readback` address (e.g. a discrete input wired to the relay) or the coil itself; a value that
    differs gives ok=False with reason "readback_mismatch". Device problems never raise: the result
    says what happened. ValueError for a source that is not a coil.
    """
    if source.table != "coil":
        raise ValueError(f"write_coil needs a coil source, got {source.table}")
    rb_table, rb_address = readback_target(source)
    t0 = time.perf_counter()

    def ms() -> float:
        return (time.perf_counter() - t0) * 1000.0

    def run(client: _Client) -> CoilWriteResult:
        try:
            rr = client.write_coil(source.address, bool(value), device_id=source.unit)
        except ConnectionException as exc:
            return CoilWriteResult(False, REASON_DISCONNECTED, str(exc), latency_ms=ms())
        except ModbusIOException as exc:
            return CoilWriteResult(False, REASON_TIMEOUT, str(exc), latency_ms=ms())
        except (ModbusException, OSError) as exc:
            return CoilWriteResult(False, REASON_PROTOCOL, str(exc), latency_ms=ms())
        if rr.isError():
            code = int(getattr(rr, "exception_code", 0) or 0)
            return CoilWriteResult(False, exception_reason(code), EXCEPTION_NAMES.get(code, ""), latency_ms=ms())
        if not readback:
            return CoilWriteResult(True, latency_ms=ms())
        try:
            seen = _bits(client, rb_table, source.unit, rb_address, 1)[0]
        except ModbusRequestError as exc:
            return CoilWriteResult(False, exc.reason, f"written; read-back failed: {exc.detail}", latency_ms=ms())
        if seen != bool(value):
            return CoilWriteResult(
                False, REASON_READBACK, f"wrote {bool(value)}, {rb_table}/{rb_address} reads {seen}", seen, ms()
            )
        return CoilWriteResult(True, readback=seen, latency_ms=ms())

    try:
        return _one_shot(source, timeout, retries, run)
    except ModbusRequestError as exc:
        return CoilWriteResult(False, exc.reason, exc.detail, latency_ms=ms())
