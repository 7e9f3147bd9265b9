"""The sim:// driver: real thread, real timing, the same callbacks as every driver."""

from __future__ import annotations

import itertools
import math
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hmi.core.domain import Calibration, Quality, Sensor, SensorType, Thresholds
from hmi.core.plant import parse_plant
from hmi.core.simulation import Faults, SignalModel
from hmi.core.sources import parse_source
from hmi.drivers.base import DriverContext, LinkState, Sample
from hmi.drivers.sim import SimDriver, create_sim_driver

DEMO = Path(__file__).resolve().parents[2] / "resources" / "plants" / "demo.toml"


class Recorder:
    """Collects what a driver reports, from its thread, with waits instead of sleeps."""

    def __init__(self, *, fail_first: int = 0) -> None:
        self.batches: list[list[Sample]] = []
        self.links: list[tuple[str, LinkState, str]] = []
        self.rejects: list[tuple[str, str]] = []
        self._cond = threading.Condition()
        self._fail = fail_first

    def on_samples(self, batch: list[Sample]) -> None:
        with self._cond:
            if self._fail > 0:
                self._fail -= 1
                raise RuntimeError("receiver broke")
            self.batches.append(list(batch))
            self._cond.notify_all()

    def on_link(self, name: str, state: LinkState, detail: str) -> None:
        self.links.append((name, state, detail))

    def on_reject(self, reason: str, detail: str) -> None:
        with self._cond:
            self.rejects.append((reason, detail))
            self._cond.notify_all()

    @property
    def samples(self) -> list[Sample]:
        with self._cond:
            return [s for b in self.batches for s in b]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 3.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def ctx(self, **options: object) -> DriverContext:
        return DriverContext(self.on_samples, self.on_link, self.on_reject, dict(options))


def sim_sensor(eui: str, url: str = "sim://auto", *, interval: float = 1.0, cal: Calibration | None = None) -> Sensor:
    return Sensor(
        mill_slug="m",
        name=f"s{eui[-2:]}",
        type=SensorType.TEMPERATURE,
        eui=eui,
        source=url,
        sampling_interval=interval,
        thresholds=Thresholds(warning_max=60, critical_max=75),
        calibration=cal or Calibration(),
    )


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
def running() -> Iterator[list[SimDriver]]:
    """Drivers a test started; stopped even when the test fails."""
    drivers: list[SimDriver] = []
    yield drivers
    for d in drivers:
        d.stop()


def start(driver: SimDriver, running: list[SimDriver]) -> SimDriver:
    running.append(driver)
    driver.start()
    return driver


def add(driver: SimDriver, *sensors: Sensor) -> None:
    for s in sensors:
        driver.add(s, parse_source(s.effective_source()))


def test_samples_are_the_model_raw_values(rec: Recorder, running: list[SimDriver]) -> None:
    cal = Calibration(offset=-0.4, multiplier=2.0)
    sensors = [sim_sensor("00000000000000A1", cal=cal), sim_sensor("00000000000000A2", "sim://sine?period=5")]
    d = create_sim_driver(rec.ctx(interval=0.02, seed=5))
    add(d, *sensors)
    start(d, running)
    assert rec.wait_for(lambda: len(rec.samples) >= 20)
    d.stop()
    by_eui = {s.eui: s for s in sensors}
    for smp in rec.samples:
        model = SignalModel(by_eui[smp.eui], 5)
        assert smp.quality is Quality.GOOD and smp.reason == ""
        assert smp.value == pytest.approx(model.raw_at(smp.ts), abs=1e-9)
        assert abs(smp.ts - time.time()) < 5
    assert {s.eui for s in rec.samples} == set(by_eui)
    # Calibrated value is the model's: raw * 2 - 0.4.
    a1 = next(s for s in rec.samples if s.eui == "00000000000000A1")
    assert cal.apply(a1.value) == pytest.approx(SignalModel(sensors[0], 5).value_at(a1.ts))  # type: ignore[arg-type]


def test_link_state_and_stop_joins_the_thread(rec: Recorder, running: list[SimDriver]) -> None:
    d = create_sim_driver(rec.ctx(interval=0.01))
    add(d, sim_sensor("00000000000000A1"))
    start(d, running)
    assert rec.links == [("sim", LinkState.UP, "")]
    assert rec.wait_for(lambda: len(rec.samples) >= 3)
    thread = d._thread
    assert thread is not None and thread.is_alive()
    d.stop()
    assert not thread.is_alive()
    assert rec.links[-1][:2] == ("sim", LinkState.DOWN)
    n = len(rec.samples)
    time.sleep(0.1)
    assert len(rec.samples) == n  # nothing after stop
    d.stop()  # idempotent


def test_sampling_interval_and_speed(rec: Recorder, running: list[SimDriver]) -> None:
    d = create_sim_driver(rec.ctx(speed=20.0))
    add(d, sim_sensor("00000000000000A1", interval=1.0))  # 1 s / 20 = 50 ms
    start(d, running)
    time.sleep(0.6)
    d.stop()
    n = len(rec.samples)
    assert 6 <= n <= 14, n
    ts = [s.ts for s in rec.samples]
    gaps = [b - a for a, b in itertools.pairwise(ts)]
    assert 0.035 < sum(gaps) / len(gaps) < 0.09, gaps
    assert min(gaps) > 0.02, gaps  # never a burst


def test_speed_runs_signal_time_faster(rec: Recorder) -> None:
    d = SimDriver(rec.ctx(), speed=60.0)
    d._t0 = 1000.0
    assert d.sim_time(1010.0) == 1000.0 + 600.0
    assert SimDriver(rec.ctx()).sim_time(1234.5) == 1234.5


def test_batches_group_due_samples(rec: Recorder, running: list[SimDriver]) -> None:
    d = create_sim_driver(rec.ctx(interval=0.05))
    add(d, *(sim_sensor(f"00000000000000{i:02X}") for i in range(10)))
    start(d, running)
    assert rec.wait_for(lambda: len(rec.samples) >= 50)
    d.stop()
    assert max(len(b) for b in rec.batches) > 1
    assert len(rec.batches) < len(rec.samples)


def test_non_sim_sources_need_simulate_all(rec: Recorder, running: list[SimDriver]) -> None:
    plant = parse_plant(tomllib.loads(DEMO.read_text()))
    strict = create_sim_driver(rec.ctx())
    modbus_sensor = next(s for s in plant.sensors() if s.source.startswith("modbus:"))
    with pytest.raises(ValueError, match="simulate_all"):
        add(strict, modbus_sensor)
    d = create_sim_driver(rec.ctx(simulate_all=True, interval=0.05))
    add(d, *plant.sensors())
    assert d.sensor_count == len(plant.sensors()) > 20
    start(d, running)
    want = {s.eui for s in plant.sensors()}
    assert rec.wait_for(lambda: {s.eui for s in rec.samples} == want)
    d.stop()
    for smp in rec.samples:
        assert smp.value is not None and math.isfinite(smp.value)


def test_bad_use_is_refused(rec: Recorder, running: list[SimDriver]) -> None:
    with pytest.raises(ValueError):
        SimDriver(rec.ctx(), speed=0)
    with pytest.raises(ValueError):
        SimDriver(rec.ctx(), interval=-1)
    with pytest.raises(ValueError):
        create_sim_driver(rec.ctx(faults="gremlins"))
    with pytest.raises(TypeError):
        create_sim_driver(rec.ctx(faults=42))
    d = create_sim_driver(rec.ctx(interval=0.5))
    s = sim_sensor("00000000000000A1")
    add(d, s)
    with pytest.raises(ValueError, match="twice"):
        add(d, s)
    start(d, running)
    with pytest.raises(RuntimeError):
        add(d, sim_sensor("00000000000000A2"))


def test_a_failing_receiver_does_not_kill_the_driver(running: list[SimDriver]) -> None:
    rec = Recorder(fail_first=2)
    d = create_sim_driver(rec.ctx(interval=0.01))
    add(d, sim_sensor("00000000000000A1"))
    start(d, running)
    assert rec.wait_for(lambda: len(rec.samples) >= 3)


def test_fault_nan_and_spikes(rec: Recorder, running: list[SimDriver]) -> None:
    d = create_sim_driver(rec.ctx(interval=0.01, faults="nan,spikes,rate=0.3"))
    s = sim_sensor("00000000000000A1")
    add(d, s)
    start(d, running)
    model = SignalModel(s, 0)
    assert rec.wait_for(lambda: sum(1 for x in rec.samples if x.value is not None and math.isnan(x.value)) >= 2)
    assert rec.wait_for(
        lambda: any(
            x.value is not None and not math.isnan(x.value) and abs(x.value - model.raw_at(x.ts)) > 5 * model.span
            for x in rec.samples
        )
    )


def test_fault_malformed_is_rejected_and_dropout_sends_nothing(rec: Recorder, running: list[SimDriver]) -> None:
    d = create_sim_driver(rec.ctx(interval=0.01, faults=Faults(malformed=True, rate=1.0)))
    add(d, sim_sensor("00000000000000A1"))
    start(d, running)
    assert rec.wait_for(lambda: len(rec.rejects) >= 3)
    assert rec.rejects[0][0] == "malformed"
    assert rec.samples == []
    d.stop()
    rec2 = Recorder()
    d2 = create_sim_driver(rec2.ctx(interval=0.01, faults="dropout,window_rate=1"))
    add(d2, sim_sensor("00000000000000A1"))
    start(d2, running)
    time.sleep(0.15)
    d2.stop()
    assert rec2.samples == [] and rec2.rejects == []


def test_fault_exception_gives_bad_quality(rec: Recorder, running: list[SimDriver]) -> None:
    d = create_sim_driver(rec.ctx(interval=0.01, faults="exception,window_rate=1"))
    add(d, sim_sensor("00000000000000A1"))
    start(d, running)
    assert rec.wait_for(lambda: len(rec.samples) >= 2)
    d.stop()
    for smp in rec.samples:
        assert smp.value is None and smp.quality is Quality.BAD and "exception" in smp.reason


def test_pinned_clock(rec: Recorder, running: list[SimDriver]) -> None:
    """A test can pin the signal's time through the `clock` option (timers stay real)."""
    offset = 1_795_000_000.0 - time.time()
    d = create_sim_driver(rec.ctx(interval=0.02, clock=lambda: time.time() + offset))
    s = sim_sensor("00000000000000A1")
    add(d, s)
    start(d, running)
    assert rec.wait_for(lambda: len(rec.samples) >= 2)
    d.stop()
    smp = rec.samples[0]
    assert abs(smp.ts - 1_795_000_000.0) < 5
    assert smp.value == pytest.approx(SignalModel(s, 0).raw_at(smp.ts))
