"""The Modbus driver against real pymodbus servers on loopback (and raw sockets that misbehave).

No mocks: values go through a real server round trip, exceptions are real exception responses, a hung
device is a real TCP listener that never answers, a dead device is a closed port.
"""

from __future__ import annotations

import itertools
import math
import shutil
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from hmi.core.domain import Quality, Sensor, SensorType
from hmi.core.registers import encode_value
from hmi.core.sources import ModbusSource, parse_source
from hmi.drivers.base import DriverContext, LinkState, Sample
from hmi.drivers.modbus import (
    REASON_DISCONNECTED,
    REASON_NOT_FINITE,
    REASON_OUT_OF_RANGE,
    REASON_READBACK,
    REASON_SHORT_READ,
    REASON_TIMEOUT,
    DriverOptions,
    ModbusDriver,
    ModbusRequestError,
    ModbusSettings,
    create_modbus_driver,
    read_bits,
    write_coil,
)
from hmi.drivers.modbus_plan import Block, Span, plan_blocks, split_block
from tests.support.modbus_server import ModbusTestServer
from tests.support.servers import free_port

FAST = {"timeout": 0.3, "retries": 0, "backoff_min": 0.1, "backoff_max": 0.4}
_eui_counter = itertools.count(1)


def sensor(interval: float = 0.1) -> Sensor:
    return Sensor("m1", "s", SensorType.FLOW, f"0D0D0D0D{next(_eui_counter):08X}", sampling_interval=interval)


class Collect:
    """Thread-safe sink for everything the driver reports."""

    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self.rejects: list[tuple[str, str]] = []
        self.links: list[tuple[str, LinkState, str]] = []
        self.lock = threading.Lock()

    def on_samples(self, batch: list[Sample]) -> None:
        with self.lock:
            self.samples.extend(batch)

    def on_link(self, name: str, state: LinkState, reason: str) -> None:
        with self.lock:
            self.links.append((name, state, reason))

    def on_reject(self, reason: str, detail: str) -> None:
        with self.lock:
            self.rejects.append((reason, detail))

    def ctx(self, **options: object) -> DriverContext:
        return DriverContext(self.on_samples, self.on_link, self.on_reject, dict(options))

    def of(self, eui: str) -> list[Sample]:
        with self.lock:
            return [s for s in self.samples if s.eui == eui]

    def last(self, eui: str) -> Sample:
        """The latest sample of `eui`, or a placeholder (no value, reason "none yet") before the first."""
        got = self.of(eui)
        return got[-1] if got else Sample(eui, 0.0, None, Quality.UNCERTAIN, "none yet")

    def states(self, key: str) -> list[LinkState]:
        with self.lock:
            return [s for n, s, _ in self.links if n == key]

    def wait(self, cond: Callable[[], bool], timeout: float = 5.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if cond():
                return
            time.sleep(0.01)
        assert cond(), f"timed out waiting for {what}"


@pytest.fixture
def server() -> Iterator[ModbusTestServer]:
    with ModbusTestServer(units=(1, 2)) as dev:
        yield dev


@pytest.fixture
def collect() -> Collect:
    return Collect()


@pytest.fixture
def running() -> Iterator[list[ModbusDriver]]:
    """Drivers appended here are stopped after the test, even when it fails."""
    drivers: list[ModbusDriver] = []
    yield drivers
    for d in drivers:
        d.stop()


def src(url: str) -> ModbusSource:
    s = parse_source(url)
    assert isinstance(s, ModbusSource)
    return s


class SilentListener:
    """A TCP port that accepts connections and never says a word (a hung device or a wrong port)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.05)
        self.port = int(self.sock.getsockname()[1])
        self.conns: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.conns.append(conn)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        for c in self.conns:
            c.close()
        self.sock.close()


class ShortReadServer:
    """A raw Modbus TCP responder whose register reads always return one register, whatever was asked."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(0.05)
        self.port = int(self.sock.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conns: list[socket.socket] = []
        try:
            while not self._stop.is_set():
                try:
                    conn, _ = self.sock.accept()
                    conn.settimeout(0.05)
                    conns.append(conn)
                except (TimeoutError, OSError):
                    pass
                for c in list(conns):
                    try:
                        req = c.recv(260)
                    except TimeoutError:
                        continue
                    except OSError:
                        req = b""
                    if not req:
                        conns.remove(c)
                        c.close()
                        continue
                    tid, _, _, unit, fc = struct.unpack(">HHHBB", req[:8])
                    pdu = struct.pack(">BBH", fc, 2, 0x1234)
                    c.sendall(struct.pack(">HHHB", tid, 0, len(pdu) + 1, unit) + pdu)
        finally:
            for c in conns:
                c.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


# -- the planner (pure) -----------------------------------------------------------------------------------


def test_plan_merges_adjacent_and_near_spans() -> None:
    spans = [Span("a", 0, 2), Span("b", 2, 2), Span("c", 4, 1), Span("d", 13, 1)]  # d is 8 past c's end
    [block] = plan_blocks(spans, max_gap=8, max_count=120)
    assert (block.start, block.count) == (0, 14)
    assert [s.key for s in block.spans] == ["a", "b", "c", "d"]
    assert block.offset(spans[3]) == 13


def test_plan_splits_on_gaps_beyond_the_limit_and_sorts() -> None:
    spans = [Span("far", 100, 2), Span("b", 4, 1), Span("a", 0, 2), Span("c", 14, 4)]  # c is 9 past b
    blocks = plan_blocks(spans, max_gap=8, max_count=120)
    assert [(b.start, b.count) for b in blocks] == [(0, 5), (14, 4), (100, 2)]
    assert plan_blocks(spans, max_gap=0, max_count=120)[0] == Block(0, 2, (Span("a", 0, 2),))


def test_plan_respects_the_size_limit() -> None:
    spans = [Span(i, i * 2, 2) for i in range(200)]  # 400 contiguous registers
    blocks = plan_blocks(spans, max_gap=8, max_count=120)
    assert all(b.count <= 120 for b in blocks)
    assert [b.count for b in blocks] == [120, 120, 120, 40]
    assert sorted(s.key for b in blocks for s in b.spans) == list(range(200))  # every span exactly once
    # a value is never cut across two blocks: a float32 straddling the limit starts the next block
    odd = plan_blocks([Span("x", 0, 119), Span("y", 119, 2)], max_gap=8, max_count=120)
    assert [(b.start, b.count) for b in odd] == [(0, 119), (119, 2)]


def test_plan_overlapping_spans_and_errors() -> None:
    [b] = plan_blocks([Span("f", 10, 2), Span("lo", 11, 1), Span("d", 10, 4)])
    assert (b.start, b.count) == (10, 4)
    with pytest.raises(ValueError, match="exceeds"):
        plan_blocks([Span("big", 0, 4)], max_count=3)
    with pytest.raises(ValueError):
        plan_blocks([Span("neg", 0, 1)], max_gap=-1)
    assert plan_blocks([]) == []
    assert split_block(b) == [
        Block(10, 2, (Span("f", 10, 2),)),
        Block(10, 4, (Span("d", 10, 4),)),
        Block(11, 1, (Span("lo", 11, 1),)),
    ]


def test_backoff_doubles_and_is_capped() -> None:
    s = ModbusSettings(backoff_min=0.5, backoff_max=5.0)
    assert [s.backoff(n) for n in range(1, 8)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0]
    assert ModbusSettings(timeout=0.5, retries=1).request_budget == 1.0


def test_options_defaults_overrides_and_validation() -> None:
    o = DriverOptions.parse({"timeout": 0.2, "seed": 3, "devices": {"modbus://plc:502": {"retries": 0}}})
    assert o.defaults.timeout == 0.2 and o.defaults.retries == 1  # foreign top-level keys are ignored
    assert o.for_device("modbus://plc:502") == ModbusSettings(timeout=0.2, retries=0)
    assert o.for_device("modbus://other:502").retries == 1
    nested = DriverOptions.parse({"modbus": {"timeout": 1, "backoff_max": 2.0}, "interval": 9})
    assert nested.defaults.timeout == 1.0 and nested.defaults.backoff_max == 2.0 and nested.interval is None
    bad: list[dict[str, object]] = [
        {"timeout": 0},
        {"retries": -1},
        {"backoff_min": 3, "backoff_max": 1},
        {"max_registers": 126},
        {"max_bits": 2001},
        {"timeout": "fast"},
        {"interval": 0},
        {"devices": {"modbus://plc:502": {"timout": 1}}},
        {"modbus": {"timout": 1}},
        {"devices": ["modbus://plc:502"]},
    ]
    for opts in bad:
        with pytest.raises(ValueError):
            DriverOptions.parse(opts)


def test_add_refuses_other_sources_duplicates_and_late_adds(collect: Collect) -> None:
    d = create_modbus_driver(collect.ctx())
    s = sensor()
    with pytest.raises(ValueError, match="not Modbus"):
        d.add(s, parse_source("sim://sine"))
    d.add(s, src("modbus://127.0.0.1:1/hr/0"))
    with pytest.raises(ValueError, match="twice"):
        d.add(s, src("modbus://127.0.0.1:1/hr/1"))
    with pytest.raises(ValueError, match="interval"):
        d.add(Sensor("m1", "z", SensorType.FLOW, "0D0D0D0DFFFFFFFF", sampling_interval=0), src("modbus://h/hr/0"))
    assert d.scheme == "modbus" and set(d.schemes) == {"modbus", "modbus+rtu"}


# -- values through a real server ---------------------------------------------------------------------------

TYPE_VALUES = {
    "int16": -12345,
    "uint16": 54321,
    "int32": -123456789,
    "uint32": 3_000_000_000,
    "float32": -1234.5,
    "float64": 1234567.891011,
}


def test_every_type_and_order_round_trips(server: ModbusTestServer, collect: Collect, running: list) -> None:
    d = create_modbus_driver(collect.ctx(**FAST))
    expected: dict[str, float] = {}
    address = 0
    for table in ("hr", "ir"):
        for (dtype, value), order in itertools.product(TYPE_VALUES.items(), ("abcd", "cdab", "badc", "dcba")):
            regs = server.set_value(1, table, address, value, dtype, order)
            s = sensor()
            d.add(s, src(f"{server.url}/{table}/{address}?type={dtype}&order={order}"))
            expected[s.eui] = value
            address += len(regs) + 1  # a one-register gap between values: still one block read
    scaled = sensor()
    server.set_value(2, "hr", 7, 2150, "int16")
    d.add(scaled, src(f"{server.url}/hr/7?unit=2&type=int16&scale=0.1&offset=-20"))
    expected[scaled.eui] = 2150 * 0.1 - 20
    for table, addr, bit in (("coil", 3, True), ("coil", 4, False), ("di", 9, True)):
        server.set_value(1, table, addr, bit)
        s = sensor()
        d.add(s, src(f"{server.url}/{table}/{addr}"))
        expected[s.eui] = 1.0 if bit else 0.0
    running.append(d)
    d.start()
    collect.wait(lambda: all(collect.of(e) for e in expected), what="a sample of every sensor")
    for eui, value in expected.items():
        got = collect.of(eui)[0]
        assert got.quality is Quality.GOOD and got.reason == "", got
        assert got.value == pytest.approx(value, rel=1e-6), (eui, got.value, value)
    diag = d.diagnostics()[server.url]
    assert diag.sensors == len(expected)
    # hr and ir (96 + 96 registers incl. gaps) need 1 block each within 120; coils 1; di 1; unit 2 one
    assert diag.blocks == 5
    assert diag.requests == 5 * diag.polls  # 55 values, 5 requests a poll
    assert diag.state is LinkState.UP and diag.last_latency_ms is not None and diag.polls >= 1
    assert collect.states(server.url)[:2] == [LinkState.CONNECTING, LinkState.UP]


def test_not_finite_floats_and_out_of_range_addresses_are_bad(
    server: ModbusTestServer, collect: Collect, running: list
) -> None:
    d = create_modbus_driver(collect.ctx(**FAST))
    nan, good, past_end = sensor(), sensor(), sensor()
    server.set_value(1, "hr", 0, math.nan, "float32")
    server.set_value(1, "hr", 2, 7.25, "float32")
    d.add(nan, src(f"{server.url}/hr/0?type=float32"))
    d.add(good, src(f"{server.url}/hr/2?type=float32"))
    d.add(past_end, src(f"{server.url}/hr/65535?type=float32"))  # would need register 65536
    running.append(d)
    d.start()
    collect.wait(lambda: all(collect.of(s.eui) for s in (nan, good, past_end)))
    assert (collect.last(nan.eui).quality, collect.last(nan.eui).reason) == (Quality.BAD, REASON_NOT_FINITE)
    assert collect.last(nan.eui).value is None
    assert collect.last(good.eui).value == 7.25 and collect.last(good.eui).quality is Quality.GOOD
    assert collect.last(past_end.eui).reason == REASON_OUT_OF_RANGE
    assert any(r == REASON_OUT_OF_RANGE for r, _ in collect.rejects)
    assert d.diagnostics()[server.url].state is LinkState.UP


def test_short_read_marks_the_block_bad(collect: Collect, running: list) -> None:
    raw = ShortReadServer()
    try:
        d = create_modbus_driver(collect.ctx(**FAST))
        s1, s2 = sensor(), sensor()
        d.add(s1, src(f"modbus://127.0.0.1:{raw.port}/hr/0?type=float32"))
        d.add(s2, src(f"modbus://127.0.0.1:{raw.port}/hr/2"))
        running.append(d)
        d.start()
        collect.wait(lambda: bool(collect.of(s1.eui)) and bool(collect.of(s2.eui)))
        for s in (s1, s2):
            assert (collect.last(s.eui).quality, collect.last(s.eui).reason) == (Quality.BAD, REASON_SHORT_READ)
        assert any(r == REASON_SHORT_READ for r, _ in collect.rejects)
        assert d.diagnostics()[f"modbus://127.0.0.1:{raw.port}"].errors[REASON_SHORT_READ] >= 1
    finally:
        d.stop()
        raw.close()


# -- exception responses ----------------------------------------------------------------------------------------


def test_exception_response_marks_only_that_blocks_sensors(
    server: ModbusTestServer, collect: Collect, running: list
) -> None:
    d = create_modbus_driver(collect.ctx(**FAST))
    ok1, ok2, failing1, failing2, other_unit = sensor(), sensor(), sensor(), sensor(), sensor()
    server.set_value(1, "hr", 0, 11)
    server.set_value(1, "hr", 1, 12)
    server.set_value(1, "hr", 500, 13)
    server.set_value(2, "hr", 500, 14)
    d.add(ok1, src(f"{server.url}/hr/0"))
    d.add(ok2, src(f"{server.url}/hr/1"))
    d.add(failing1, src(f"{server.url}/hr/500"))
    d.add(failing2, src(f"{server.url}/hr/502"))
    d.add(other_unit, src(f"{server.url}/hr/500?unit=2"))
    server.fail(1, "hr", 500, 3, code=4)  # device failure: the whole block 500..502 answers exception 4
    running.append(d)
    d.start()
    everyone = (ok1, ok2, failing1, failing2, other_unit)
    collect.wait(lambda: all(len(collect.of(s.eui)) >= 3 for s in everyone))
    for s, value in ((ok1, 11), (ok2, 12), (other_unit, 14)):
        assert all(x.quality is Quality.GOOD for x in collect.of(s.eui))
        assert collect.last(s.eui).value == value
    for s in (failing1, failing2):
        assert all(
            (x.quality, x.reason, x.value) == (Quality.BAD, "modbus_exception_4", None) for x in collect.of(s.eui)
        )
    assert {r for r, _ in collect.rejects} == {"modbus_exception_4"}
    assert collect.states(server.url) == [LinkState.CONNECTING, LinkState.UP]  # the device answered: link up
    assert d.diagnostics()[server.url].errors["modbus_exception_4"] >= 3
    server.fail(1, "hr", 500, 3, code=None)  # fixed: the sensors come back
    collect.wait(lambda: collect.last(failing1.eui).quality is Quality.GOOD, what="recovery")
    assert collect.last(failing2.eui).value == 0


def test_unmapped_register_in_a_gap_does_not_take_neighbours_down(
    server: ModbusTestServer, collect: Collect, running: list
) -> None:
    d = create_modbus_driver(collect.ctx(**FAST))
    a, b, hole = sensor(), sensor(), sensor()
    server.set_value(1, "ir", 0, 100)
    server.set_value(1, "ir", 6, 106)
    server.fail(1, "ir", 2, 2, code=2)  # registers 2-3 do not exist (illegal data address)
    server.fail(1, "ir", 9, 1, code=2)
    d.add(a, src(f"{server.url}/ir/0"))
    d.add(b, src(f"{server.url}/ir/6"))
    d.add(hole, src(f"{server.url}/ir/9"))  # a sensor configured on a register that is not there
    running.append(d)
    d.start()
    collect.wait(lambda: all(len(collect.of(s.eui)) >= 2 for s in (a, b, hole)))
    assert [x.value for x in collect.of(a.eui)[:2]] == [100, 100]  # good from the first poll on
    assert [x.value for x in collect.of(b.eui)[:2]] == [106, 106]
    assert all(x.reason == "modbus_exception_2" for x in collect.of(hole.eui))
    assert d.diagnostics()[server.url].blocks == 3  # the merged block was split for good


# -- failures of the device or the line -----------------------------------------------------------------------


def test_hung_device_does_not_delay_another_device(server: ModbusTestServer, collect: Collect, running: list) -> None:
    hung = SilentListener()
    try:
        # Default timeout (0.5 s) and retries (1): each attempt on the hung device blocks for 1 s.
        d = create_modbus_driver(collect.ctx(backoff_min=0.2, backoff_max=0.5))
        healthy, dead = sensor(0.2), sensor(0.2)
        server.set_value(1, "hr", 0, 42)
        d.add(healthy, src(f"{server.url}/hr/0"))
        dead_key = f"modbus://127.0.0.1:{hung.port}"
        d.add(dead, src(f"{dead_key}/hr/0"))
        running.append(d)
        d.start()
        time.sleep(3.0)
        good = collect.of(healthy.eui)
        gaps = [b.ts - a.ts for a, b in itertools.pairwise(good)]
        assert len(good) >= 13, len(good)  # 3 s at 0.2 s
        assert max(gaps) <= 0.3, gaps  # within +50% of the interval, although the other device hangs
        assert all(s.quality is Quality.GOOD for s in good)
        bad = collect.of(dead.eui)
        assert bad and all((s.quality, s.reason) == (Quality.BAD, REASON_TIMEOUT) for s in bad)
        assert collect.states(dead_key) == [LinkState.CONNECTING, LinkState.DOWN]
        assert collect.states(server.url) == [LinkState.CONNECTING, LinkState.UP]
        diag = d.diagnostics()
        assert diag[dead_key].errors[REASON_TIMEOUT] >= 2 and diag[dead_key].polls == 0
        assert diag[server.url].errors == {}
    finally:
        t0 = time.monotonic()
        d.stop()
        assert time.monotonic() - t0 < 2.5  # stop waits at most one request's timeout budget
        hung.close()


def test_link_goes_down_and_comes_back_up(server: ModbusTestServer, collect: Collect, running: list) -> None:
    d = create_modbus_driver(collect.ctx(**FAST))
    s = sensor(0.05)
    server.set_value(1, "hr", 3, 7)
    d.add(s, src(f"{server.url}/hr/3"))
    running.append(d)
    d.start()
    collect.wait(lambda: LinkState.UP in collect.states(server.url))
    server.stop()
    collect.wait(lambda: LinkState.DOWN in collect.states(server.url), what="link down")
    collect.wait(lambda: collect.last(s.eui).reason == REASON_DISCONNECTED, what="sensor disconnected")
    assert collect.last(s.eui).quality is Quality.BAD
    down_reason = next(r for _, st, r in collect.links if st is LinkState.DOWN)
    assert down_reason.startswith(REASON_DISCONNECTED)
    time.sleep(0.5)
    server.set_value(1, "hr", 3, 8)
    server.start()  # same port
    collect.wait(lambda: collect.states(server.url)[-1] is LinkState.UP, timeout=3.0, what="link up again")
    collect.wait(lambda: collect.last(s.eui).value == 8, what="fresh value")
    assert collect.states(server.url) == [LinkState.CONNECTING, LinkState.UP, LinkState.DOWN, LinkState.UP]
    diag = d.diagnostics()[server.url]
    assert diag.reconnects >= 1 and diag.errors[REASON_DISCONNECTED] >= 1 and diag.units_down == ()


def test_a_dropped_idle_connection_is_reopened_without_a_link_flap(
    server: ModbusTestServer, collect: Collect, running: list
) -> None:
    d = create_modbus_driver(collect.ctx(**FAST))
    s = sensor(0.6)
    server.set_value(1, "hr", 0, 1)
    d.add(s, src(f"{server.url}/hr/0"))
    running.append(d)
    d.start()
    collect.wait(lambda: len(collect.of(s.eui)) == 1)
    server.restart()  # between two polls: the driver's connection is now dead, the device is fine
    server.set_value(1, "hr", 0, 2)
    collect.wait(lambda: len(collect.of(s.eui)) >= 2, what="the next poll")
    assert [(x.quality, x.value) for x in collect.of(s.eui)[:2]] == [(Quality.GOOD, 1), (Quality.GOOD, 2)]
    assert collect.states(server.url) == [LinkState.CONNECTING, LinkState.UP]
    diag = d.diagnostics()[server.url]
    assert (diag.reconnects, diag.errors) == (1, {})


def test_silent_device_times_out_then_recovers(server: ModbusTestServer, collect: Collect, running: list) -> None:
    d = create_modbus_driver(collect.ctx(**FAST))
    s = sensor(0.05)
    server.set_value(1, "hr", 0, 5)
    d.add(s, src(f"{server.url}/hr/0"))
    running.append(d)
    d.start()
    collect.wait(lambda: LinkState.UP in collect.states(server.url))
    t0 = time.monotonic()
    server.silent = True
    collect.wait(lambda: LinkState.DOWN in collect.states(server.url), what="link down")
    assert time.monotonic() - t0 < 0.3 + 0.05 + 0.5  # one timeout (0.3 s, no retry) after the next poll
    assert collect.last(s.eui).reason == REASON_TIMEOUT
    server.silent = False
    collect.wait(lambda: collect.states(server.url)[-1] is LinkState.UP, what="link up again")
    collect.wait(lambda: collect.last(s.eui).quality is Quality.GOOD)


def test_one_silent_unit_degrades_only_its_own_sensors(
    server: ModbusTestServer, collect: Collect, running: list
) -> None:
    d = create_modbus_driver(collect.ctx(timeout=0.2, retries=0, backoff_min=0.2, backoff_max=0.4))
    u1, u2 = sensor(0.1), sensor(0.1)
    server.set_value(1, "hr", 0, 1)
    server.set_value(2, "hr", 0, 2)
    d.add(u1, src(f"{server.url}/hr/0?unit=1"))
    d.add(u2, src(f"{server.url}/hr/0?unit=2"))
    running.append(d)
    d.start()
    collect.wait(lambda: collect.states(server.url)[-1:] == [LinkState.UP])
    server.device(2).delay = lambda *_: 1.0  # unit 2 behind a gateway stops answering in time
    collect.wait(lambda: LinkState.DEGRADED in collect.states(server.url), what="degraded")
    collect.wait(lambda: collect.last(u2.eui).reason == REASON_TIMEOUT)
    n = len(collect.of(u1.eui))
    collect.wait(lambda: len(collect.of(u1.eui)) >= n + 5, what="unit 1 keeps polling")
    assert collect.last(u1.eui).quality is Quality.GOOD
    assert LinkState.DOWN not in collect.states(server.url)
    assert d.diagnostics()[server.url].units_down == (2,)
    server.device(2).delay = None
    collect.wait(lambda: collect.states(server.url)[-1] is LinkState.UP, what="up again")


def test_backoff_is_capped_while_the_device_is_away(collect: Collect, running: list) -> None:
    port = free_port()  # nothing listens: every attempt is refused at once
    d = create_modbus_driver(collect.ctx(timeout=0.2, retries=0, backoff_min=0.05, backoff_max=0.2))
    s = sensor(0.05)
    d.add(s, src(f"modbus://127.0.0.1:{port}/hr/0"))
    running.append(d)
    d.start()
    collect.wait(lambda: len(collect.of(s.eui)) >= 8, timeout=5.0, what="8 attempts")
    ts = [x.ts for x in collect.of(s.eui)]
    gaps = [b - a for a, b in itertools.pairwise(ts)]
    assert gaps[0] < 0.09  # 0.05, 0.1, 0.2, 0.2, ...
    assert all(g <= 0.2 + 0.06 for g in gaps), gaps  # capped
    assert all(g >= 0.2 * 0.9 for g in gaps[3:]), gaps  # and stays at the cap
    assert all((x.quality, x.reason) == (Quality.BAD, REASON_DISCONNECTED) for x in collect.of(s.eui))
    assert collect.states(f"modbus://127.0.0.1:{port}") == [LinkState.CONNECTING, LinkState.DOWN]
    assert 0 < d.diagnostics()[f"modbus://127.0.0.1:{port}"].backoff <= 0.2


def test_per_device_timeout_override(collect: Collect, running: list) -> None:
    quick, slow = SilentListener(), SilentListener()
    try:
        qkey, skey = f"modbus://127.0.0.1:{quick.port}", f"modbus://127.0.0.1:{slow.port}"
        d = create_modbus_driver(collect.ctx(timeout=0.15, retries=0, devices={skey: {"timeout": 0.6}}))
        qs, ss = sensor(5.0), sensor(5.0)
        d.add(qs, src(f"{qkey}/hr/0"))
        d.add(ss, src(f"{skey}/hr/0"))
        running.append(d)
        t0 = time.monotonic()
        d.start()
        collect.wait(lambda: bool(collect.of(qs.eui)), what="quick timeout")
        t_quick = time.monotonic() - t0
        collect.wait(lambda: bool(collect.of(ss.eui)), what="slow timeout")
        t_slow = time.monotonic() - t0
        assert 0.15 <= t_quick < 0.45 and 0.6 <= t_slow < 1.0, (t_quick, t_slow)
        diag = d.diagnostics()
        assert (diag[qkey].timeout, diag[skey].timeout, diag[skey].retries) == (0.15, 0.6, 0)
    finally:
        d.stop()
        quick.close()
        slow.close()


def test_a_failing_receiver_does_not_stop_polling(server: ModbusTestServer, running: list) -> None:
    calls: list[int] = []

    def explode(batch: list[Sample]) -> None:
        calls.append(len(batch))
        raise RuntimeError("receiver bug")

    d = ModbusDriver(DriverContext(explode, lambda *a: None, lambda *a: None, {}), DriverOptions.parse(FAST))
    d.add(sensor(0.05), src(f"{server.url}/hr/0"))
    running.append(d)
    d.start()
    deadline = time.monotonic() + 3
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(calls) >= 3


def test_diagnostics_are_consistent_copies(server: ModbusTestServer, collect: Collect, running: list) -> None:
    d = create_modbus_driver(collect.ctx(**FAST))
    d.add(sensor(0.02), src(f"{server.url}/hr/0"))
    running.append(d)
    d.start()
    snapshots = [d.diagnostics()[server.url]]
    deadline = time.monotonic() + 5.0  # a loaded machine may time a first poll out (FAST timeouts)
    while time.monotonic() < deadline and (time.monotonic() < deadline - 4.5 or snapshots[-1].polls == 0):
        snapshots.append(d.diagnostics()[server.url])
    assert snapshots[-1].polls > snapshots[0].polls >= 0
    snapshots[-1].errors["mine"] = 1
    assert "mine" not in d.diagnostics()[server.url].errors
    d.stop()
    assert d.diagnostics()[server.url].state is LinkState.DOWN
    assert collect.states(server.url)[-1] is LinkState.DOWN


# -- one-shot helpers: the e-stop coil ------------------------------------------------------------------------


def test_write_coil_reads_back(server: ModbusTestServer) -> None:
    coil = src(f"{server.url}/coil/5?unit=2")
    r = write_coil(coil, True, 0.5)
    assert (r.ok, r.reason, r.readback) == (True, "", True) and r.latency_ms > 0
    assert server.device(2).get_bits("coil", 5) == [True]
    assert (2, "coil", 5, [1]) in server.writes
    assert read_bits(coil) == [True]
    assert read_bits(coil, 3, address=4) == [False, True, False]

    wired = src(f"{server.url}/coil/0?unit=1&readback=di/0")
    r = write_coil(wired, True, 0.5)  # nothing drives di/0: the relay did not follow
    assert (r.ok, r.reason, r.readback) == (False, REASON_READBACK, False)
    server.set_value(1, "di", 0, True)
    assert write_coil(wired, True, 0.5).ok
    assert read_bits(wired, table="di", address=0) == [True]
    assert write_coil(wired, False, 0.5, readback=False).ok

    server.fail(1, "coil", 0, code=4)
    r = write_coil(wired, True, 0.5)
    assert (r.ok, r.reason) == (False, "modbus_exception_4")
    with pytest.raises(ModbusRequestError) as exc:
        read_bits(wired)
    assert exc.value.reason == "modbus_exception_4"
    with pytest.raises(ValueError):
        write_coil(src(f"{server.url}/hr/0"), True)


def test_write_coil_fails_fast_on_dead_and_silent_devices(server: ModbusTestServer) -> None:
    dead = src(f"modbus://127.0.0.1:{free_port()}/coil/0")
    r = write_coil(dead, True, 0.2)
    assert (r.ok, r.reason) == (False, REASON_DISCONNECTED) and r.latency_ms < 500
    server.silent = True
    t0 = time.monotonic()
    r = write_coil(src(f"{server.url}/coil/0"), True, 0.2)
    assert (r.ok, r.reason) == (False, REASON_TIMEOUT)
    assert time.monotonic() - t0 < 0.5
    with pytest.raises(ModbusRequestError) as exc:
        read_bits(src(f"{server.url}/di/0"), timeout=0.2)
    assert exc.value.reason == REASON_TIMEOUT


# -- RTU over a virtual serial line (needs pyserial and socat) -------------------------------------------------


@pytest.fixture
def serial_pair(tmp_path) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    pytest.importorskip("serial", reason="RTU needs pyserial (pymodbus[serial])")
    socat = shutil.which("socat")
    if socat is None:
        pytest.fail("socat is not installed: run packaging/bootstrap.sh (apt-get install socat)")
    a, b = tmp_path / "ttyA", tmp_path / "ttyB"
    proc = subprocess.Popen(
        [socat, f"pty,raw,echo=0,link={a}", f"pty,raw,echo=0,link={b}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 5
        while not (a.exists() and b.exists()) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert a.exists() and b.exists()
        yield str(a), str(b)
    finally:
        proc.terminate()
        proc.wait(5)


def test_rtu_serial_round_trip(serial_pair: tuple[str, str], collect: Collect, running: list) -> None:
    import asyncio

    from pymodbus.datastore import ModbusServerContext
    from pymodbus.framer import FramerType
    from pymodbus.server import ModbusSerialServer

    from hmi.services.modbus_device import SimulatedDevice

    dev_port, client_port = serial_pair
    device = SimulatedDevice(3)
    device.set_registers("hr", 10, encode_value(-3.5, "float32", "cdab"))
    device.set_bits("di", 2, [True])
    ready = threading.Event()
    holder: dict[str, object] = {}

    async def serve() -> None:
        server = ModbusSerialServer(
            ModbusServerContext(devices={3: device}, single=False),
            # Linux ptys refuse parity settings (termios EINVAL): the line runs 8N1 here.
            framer=FramerType.RTU,
            port=dev_port,
            baudrate=19200,
            parity="N",
            stopbits=1,
        )
        await server.serve_forever(background=True)
        stop = asyncio.Event()
        holder["stop"], holder["loop"] = stop, asyncio.get_running_loop()
        ready.set()
        await stop.wait()
        await server.shutdown()

    t = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
    t.start()
    assert ready.wait(5)
    try:
        d = create_modbus_driver(collect.ctx(timeout=0.3, retries=1))
        f, bit = sensor(0.1), sensor(0.1)
        d.add(f, src(f"modbus+rtu://{client_port}/hr/10?unit=3&type=float32&order=cdab&baud=19200&parity=N"))
        d.add(bit, src(f"modbus+rtu://{client_port}/di/2?unit=3&baud=19200&parity=N"))
        running.append(d)
        d.start()
        collect.wait(lambda: bool(collect.of(f.eui)) and bool(collect.of(bit.eui)))
        assert collect.last(f.eui).value == -3.5 and collect.last(bit.eui).value == 1.0
        assert collect.states(f"rtu://{client_port}")[:2] == [LinkState.CONNECTING, LinkState.UP]
        d.stop()
    finally:
        if "loop" in holder:
            holder["loop"].call_soon_threadsafe(holder["stop"].set)  # type: ignore[attr-defined]
        t.join(5)
