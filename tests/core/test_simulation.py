"""The simulator's signal model, production figures and fault decisions (pure, no I/O)."""

from __future__ import annotations

import itertools
import math
import tomllib
from pathlib import Path

import orjson
import pytest

from hmi.core.domain import Calibration, Sensor, SensorType, Thresholds
from hmi.core.plant import Plant, parse_plant
from hmi.core.simulation import (
    DAY,
    MALFORMED_PAYLOADS,
    PROFILES,
    Fault,
    FaultInjector,
    Faults,
    SignalModel,
    placement,
    production_fraction,
    production_so_far,
    stable_hash,
    uncalibrate,
    uniform,
)

DEMO = Path(__file__).resolve().parents[2] / "resources" / "plants" / "demo.toml"
T0 = 1_795_000_000.0  # a fixed instant, so the tests do not depend on today's date


@pytest.fixture(scope="module")
def demo() -> Plant:
    return parse_plant(tomllib.loads(DEMO.read_text()))


def sensor(
    stype: SensorType = SensorType.TEMPERATURE,
    th: Thresholds | None = None,
    *,
    eui: str = "00000000000000AA",
    source: str = "",
    cal: Calibration | None = None,
) -> Sensor:
    return Sensor(
        mill_slug="m",
        name="s",
        type=stype,
        eui=eui,
        source=source,
        thresholds=th or Thresholds(),
        calibration=cal or Calibration(),
    )


def sweep(model: SignalModel, hours: float = 24.0, step: float = 5.0) -> list[float]:
    return [model.value_at(T0 + i * step) for i in range(int(hours * 3600 / step))]


def test_stable_hash_is_process_independent() -> None:
    # Fixed expectations: Python's hash() of str would change between runs.
    assert stable_hash("signal", 0, "A1") == stable_hash("signal", 0, "A1")
    assert stable_hash("signal", 0, "A1") != stable_hash("signal", 1, "A1")
    assert stable_hash("x") == 0x6E898940BE17C10B  # pinned: a change here changes every simulated plant
    us = [uniform(42, i) for i in range(2000)]
    assert all(0.0 <= u < 1.0 for u in us)
    assert 0.45 < sum(us) / len(us) < 0.55


def test_deterministic_given_seed(demo: Plant) -> None:
    for s in demo.sensors()[:5]:
        a, b, c = SignalModel(s, 7), SignalModel(s, 7), SignalModel(s, 8)
        ts = [T0 + i * 13.7 for i in range(200)]
        assert [a.value_at(t) for t in ts] == [b.value_at(t) for t in ts]
        assert [a.value_at(t) for t in ts] != [c.value_at(t) for t in ts]


def test_sensors_differ_from_each_other(demo: Plant) -> None:
    north, south = demo.mill("north").sensors[0], demo.mill("south").sensors[0]
    assert north.thresholds == south.thresholds
    assert SignalModel(north, 0).value_at(T0) != SignalModel(south, 0).value_at(T0)


def test_placement_between_warning_limits() -> None:
    p = placement(SensorType.HUMIDITY, Thresholds(warning_min=10.5, warning_max=15.5, critical_max=17))
    assert p.baseline == pytest.approx(13.0)
    assert p.span == pytest.approx(2.5)
    # Only an upper pair: baseline 1.2 warning-to-critical gaps below the warning.
    p = placement(SensorType.TEMPERATURE, Thresholds(warning_max=60, critical_max=75))
    assert p.baseline == pytest.approx(42.0)
    # Only a lower pair.
    p = placement(SensorType.PRESSURE, Thresholds(warning_min=-35, critical_min=-45))
    assert p.baseline == pytest.approx(-23.0)
    # No limits: the type's nominal value.
    p = placement(SensorType.LEVEL, Thresholds())
    assert p.baseline == PROFILES[SensorType.LEVEL].nominal


def test_normal_signal_stays_inside_warning_limits(demo: Plant) -> None:
    """Without excursions no alarm ever fires: the alarms the demo shows come from excursions only."""
    for s in demo.sensors():
        m = SignalModel(s, 3, excursions=False)
        values = sweep(m, hours=24, step=30)
        assert all(s.thresholds.level_of(v) is None for v in values), s.name
        lo, hi = PROFILES[s.type].bounds
        assert all(lo <= v <= hi for v in values)


def test_signal_moves_drift_noise_and_daily_cycle() -> None:
    s = sensor(SensorType.TEMPERATURE, Thresholds(warning_max=30, critical_max=38))
    m = SignalModel(s, 0, excursions=False)
    values = sweep(m, hours=24, step=60)
    assert max(values) - min(values) > 0.3 * m.span  # drift + daily cycle
    # Consecutive samples differ (noise) but not wildly.
    steps = [abs(b - a) for a, b in itertools.pairwise(values)]
    assert min(steps) >= 0 and sum(1 for d in steps if d > 0) > len(steps) * 0.9
    assert max(steps) < 0.5 * m.span
    # The daily cycle: afternoon warmer than pre-dawn on average (same drift phase in both sums).
    day0 = math.floor(T0 / DAY) * DAY
    afternoon = [m.normal_at(day0 + d * DAY + 14 * 3600) for d in range(1, 30)]
    night = [m.normal_at(day0 + d * DAY + 2 * 3600) for d in range(1, 30)]
    assert sum(afternoon) / len(afternoon) > sum(night) / len(night)


def test_excursions_every_20_to_40_minutes_and_some_critical(demo: Plant) -> None:
    total_critical = 0
    for s in demo.sensors():
        m = SignalModel(s, 0)
        excs = m.excursions_between(T0, T0 + DAY)
        # ~36-72 slots a day, 85 % with an excursion.
        assert 25 <= len(excs) <= 75, s.name
        for e in excs:
            assert 120.0 <= e.duration <= 300.0
        total_critical += sum(e.critical for e in excs)
        # Time above a limit: a few percent of the day, never most of it.
        levels = [s.thresholds.level_of(v) for v in sweep(m, hours=24, step=20)]
        share = sum(1 for lv in levels if lv is not None) / len(levels)
        assert 0.02 < share < 0.2, s.name
    assert total_critical > 0


def test_excursion_crosses_its_limit_on_the_plateau(demo: Plant) -> None:
    s = next(x for x in demo.sensors() if x.name == "B1 roller bearing")
    m = SignalModel(s, 0)
    excs = m.excursions_between(T0, T0 + DAY)
    warning = next(e for e in excs if not e.critical)
    critical = next(e for e in excs if e.critical)
    mid_w = warning.start + warning.duration / 2
    mid_c = critical.start + critical.duration / 2
    assert s.thresholds.level_of(m.value_at(mid_w)).value == "warning"  # type: ignore[union-attr]
    assert s.thresholds.level_of(m.value_at(mid_c)).value == "critical"  # type: ignore[union-attr]
    # Before and after: back to normal.
    assert s.thresholds.level_of(m.value_at(warning.start - 1)) is None
    assert s.thresholds.level_of(m.value_at(warning.end + 1)) is None


def test_two_sided_limits_get_low_excursions_too(demo: Plant) -> None:
    s = next(x for x in demo.sensors() if x.name == "Pre-cleaner aspiration")
    m = SignalModel(s, 0)
    excs = m.excursions_between(T0, T0 + 2 * DAY)
    assert any(e.target < s.thresholds.warning_min for e in excs)  # type: ignore[operator]
    assert any(e.target > s.thresholds.warning_max for e in excs)  # type: ignore[operator]


def test_raw_value_inverts_calibration() -> None:
    cal = Calibration(offset=-0.4, multiplier=2.0)
    s = sensor(SensorType.TEMPERATURE, Thresholds(warning_max=60, critical_max=75), cal=cal)
    m = SignalModel(s, 0)
    for t in (T0, T0 + 100.5, T0 + 9999.25):
        assert cal.apply(m.raw_at(t)) == pytest.approx(m.value_at(t))
    assert uncalibrate(10.0, Calibration(offset=1.0, multiplier=0.5)) == pytest.approx(18.0)


def test_level_never_leaves_0_to_100(demo: Plant) -> None:
    for s in (x for x in demo.sensors() if x.type is SensorType.LEVEL):
        values = sweep(SignalModel(s, 1), hours=24, step=10)
        assert all(0.0 <= v <= 100.0 for v in values)


@pytest.mark.parametrize(
    ("url", "check"),
    [
        ("sim://sine?period=60&amplitude=10&offset=50", lambda f: f(0) == 50 and round(f(15), 6) == 60),
        ("sim://square?period=10&amplitude=2&offset=0", lambda f: f(1) == 2 and f(6) == -2),
        ("sim://sawtooth?period=10&amplitude=1&offset=0", lambda f: f(0) == -1 and round(f(5), 6) == 0),
        ("sim://triangle?period=10&amplitude=1&offset=0", lambda f: f(0) == 1 and round(f(5), 6) == -1),
        ("sim://constant?value=7", lambda f: f(0) == 7 and f(123) == 7),
    ],
)
def test_explicit_shapes(url: str, check) -> None:  # type: ignore[no-untyped-def]
    m = SignalModel(sensor(source=url), 0)
    base = math.floor(T0 / 600) * 600  # a multiple of every period above
    assert check(lambda dt: m.value_at(base + dt))
    assert not m.excursions


def test_random_shape_and_noise() -> None:
    m = SignalModel(sensor(source="sim://random?offset=5&noise=1"), 0)
    values = [m.value_at(T0 + i) for i in range(2000)]
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    assert abs(mean - 5) < 0.15 and 0.85 < sd < 1.15


def test_auto_shape_can_turn_excursions_off() -> None:
    th = Thresholds(warning_max=30, critical_max=38)
    assert SignalModel(sensor(th=th, source="sim://auto"), 0).excursions
    assert not SignalModel(sensor(th=th, source="sim://auto?excursions=0"), 0).excursions


def test_unknown_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown sim shape"):
        SignalModel(sensor(source="sim://zigzag"), 0)


def test_production_grows_through_the_day_to_85_95_percent() -> None:
    day0 = math.floor(T0 / DAY) * DAY
    cap = 400.0
    frac = production_fraction(0, "north", int(day0 // DAY))
    assert 0.85 <= frac <= 0.95
    values = [production_so_far(cap, 0, "north", day0 + h * 3600) for h in range(24)]
    assert values[0] == 0.0
    assert values == sorted(values)
    end = production_so_far(cap, 0, "north", day0 + DAY - 1)
    assert 0.85 * cap <= end <= 0.95 * cap
    # Next day starts from zero again.
    assert production_so_far(cap, 0, "north", day0 + DAY + 1) < 1.0


# ---------------------------------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------------------------------


def test_faults_parse() -> None:
    f = Faults.parse("stuck,nan,malformed,exception,slow,spikes,dropout")
    assert f.kinds == frozenset(Fault) - {Fault.NONE}
    assert Faults.parse("all") == f
    assert Faults.parse("") == Faults() and not Faults().any
    assert Faults.parse(None) == Faults()
    assert Faults.parse("none") == Faults()
    g = Faults.parse("nan, spike rate=0.5 window=10 delay=2")
    assert g.nan and g.spikes and not g.stuck
    assert (g.rate, g.window, g.slow_delay) == (0.5, 10.0, 2.0)
    assert Faults.parse(["stuck", "slow"]).kinds == {Fault.STUCK, Fault.SLOW}
    assert Faults.parse(str(g)) == g
    assert str(Faults()) == "none"


@pytest.mark.parametrize("bad", ["bogus", "rate=abc", "rate=2", "window=0", "colour=3", "slow_delay=-1"])
def test_faults_parse_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        Faults.parse(bad)


def test_faults_only() -> None:
    f = Faults.parse("all").only({Fault.NAN, Fault.STUCK})
    assert f.kinds == {Fault.NAN, Fault.STUCK}


def test_no_faults_means_the_model_value() -> None:
    s = sensor(th=Thresholds(warning_max=30, critical_max=38))
    m = SignalModel(s, 0)
    inj = FaultInjector(Faults(), 0)
    for i in range(100):
        fv = inj.value(m, T0 + i)
        assert fv.fault is Fault.NONE and fv.value == m.value_at(T0 + i)


def test_sample_faults_hit_about_their_rate() -> None:
    inj = FaultInjector(Faults(nan=True, rate=0.2), 0)
    hits = sum(inj.sample_fault("k", T0 + i * 0.5) is Fault.NAN for i in range(4000))
    assert 600 < hits < 1000
    # Deterministic: the same question has the same answer.
    assert [inj.sample_fault("k", T0 + i) for i in range(50)] == [inj.sample_fault("k", T0 + i) for i in range(50)]


def test_window_faults_last_a_window() -> None:
    inj = FaultInjector(Faults(stuck=True, window=60, window_rate=0.5), 0)
    s = sensor(th=Thresholds(warning_max=30, critical_max=38))
    m = SignalModel(s, 0)
    start = math.floor(T0 / 60) * 60
    windows = [[inj.sample_fault(s.eui, start + w * 60 + i) for i in range(60)] for w in range(40)]
    for w in windows:
        assert len(set(w)) == 1  # a whole window is stuck, or none of it
    stuck = [k for k, w in enumerate(windows) if w[0] is Fault.STUCK]
    assert 8 < len(stuck) < 32
    k = stuck[0]
    vals = {inj.value(m, start + k * 60 + i).value for i in range(60)}
    assert vals == {m.value_at(start + k * 60)}


def test_precedence_and_allowed() -> None:
    inj = FaultInjector(Faults(dropout=True, nan=True, rate=1.0, window_rate=1.0), 0)
    assert inj.sample_fault("k", T0) is Fault.DROPOUT
    assert inj.sample_fault("k", T0, allowed={Fault.NAN}) is Fault.NAN
    assert inj.sample_fault("k", T0, allowed=set()) is Fault.NONE


def test_faulted_values() -> None:
    s = sensor(th=Thresholds(warning_max=30, critical_max=38))
    m = SignalModel(s, 0)
    t = T0 + 5
    assert math.isnan(FaultInjector(Faults(nan=True, rate=1.0), 0).value(m, t).value)  # type: ignore[arg-type]
    spike = FaultInjector(Faults(spikes=True, rate=1.0), 0).value(m, t)
    assert spike.fault is Fault.SPIKES and abs(spike.value - m.value_at(t)) >= 8 * m.span  # type: ignore[operator]
    for faults in (Faults(dropout=True, window_rate=1.0), Faults(malformed=True, rate=1.0)):
        assert FaultInjector(faults, 0).value(m, t).value is None
    ex = FaultInjector(Faults(exception=True, window_rate=1.0), 0).value(m, t)
    assert ex.fault is Fault.EXCEPTION and ex.value is None


def test_malformed_payloads_are_not_valid_readings() -> None:
    inj = FaultInjector(Faults(malformed=True, rate=1.0), 0)
    seen = {inj.malformed_payload("k", T0 + i * 0.013) for i in range(400)}
    assert seen == set(MALFORMED_PAYLOADS)
    for payload in MALFORMED_PAYLOADS:
        try:
            doc = orjson.loads(payload)
        except orjson.JSONDecodeError:
            continue
        value = doc.get("value") if isinstance(doc, dict) else doc
        assert not isinstance(value, (int, float)), payload


def test_response_delay() -> None:
    assert FaultInjector(Faults(), 0).response_delay("u", T0) == 0.0
    slow = FaultInjector(Faults(slow=True, rate=1.0, slow_delay=0.3), 0)
    assert slow.response_delay("u", T0) == 0.3
