"""Simulated process signals, production figures and injected faults: pure functions of (seed, time).

The simulator feeds the demo and most tests, so every value is a deterministic function of a seed and
the time asked for (no hidden random state): a test can compute what the simulator sent, and two runs
with one seed show the same plant. Nothing here does I/O; the sim driver and the simulator service
only schedule calls and ship the results.

A sensor's signal = baseline + slow drift + daily cycle + noise, placed from its thresholds so it sits
well inside the warning limits, plus an excursion past a warning (sometimes critical) limit lasting a
few minutes every ~20-40 minutes, so the demo shows alarms raising and clearing on their own.
"""

from __future__ import annotations

import enum
import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

from hmi.core.domain import Calibration, Sensor, SensorType, Thresholds
from hmi.core.sources import SimSource, parse_source

DAY = 86400.0
_MASK64 = (1 << 64) - 1


# ---------------------------------------------------------------------------------------------------
# Deterministic randomness: a stable hash (Python's hash() of str changes per process) and splitmix64.
# ---------------------------------------------------------------------------------------------------


def stable_hash(*parts: object) -> int:
    """A 64-bit hash of `parts` that is the same in every process and on every machine."""
    text = "\x1f".join(repr(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def _mix(x: int) -> int:
    """splitmix64 finaliser: turns consecutive integers into independent-looking 64-bit values."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def uniform(key: int, *ints: int) -> float:
    """A uniform number in [0, 1) determined by `key` and the integers `ints`."""
    x = key
    for i in ints:
        x = _mix(x ^ (i & _MASK64))
    x = _mix(x)
    return (x >> 11) / float(1 << 53)


def gaussian(key: int, *ints: int) -> float:
    """A standard normal number determined by `key` and `ints` (Box-Muller on two uniforms)."""
    u1 = uniform(key, *ints, 1)
    u2 = uniform(key, *ints, 2)
    return math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)


def _smoothstep(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3.0 - 2.0 * x)


# ---------------------------------------------------------------------------------------------------
# Per-type profiles and placement from thresholds
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TypeProfile:
    """How a kind of measurement behaves, as fractions of the sensor's half-band `span`.

    `nominal`/`span` are used only when a sensor has no thresholds. `bounds` clip the normal signal
    to what the instrument can show (a level is never below 0 %), not the injected faults.
    """

    nominal: float
    span: float
    noise: float
    drift: float
    daily: float
    daily_sign: float
    bounds: tuple[float, float]


PROFILES: dict[SensorType, TypeProfile] = {
    # Warmest mid-afternoon; bearings follow the room.
    SensorType.TEMPERATURE: TypeProfile(25.0, 10.0, 0.03, 0.25, 0.20, 1.0, (-50.0, 1000.0)),
    # Grain/flour moisture: drier in the afternoon.
    SensorType.HUMIDITY: TypeProfile(14.0, 3.0, 0.04, 0.25, 0.15, -1.0, (0.0, 100.0)),
    SensorType.PRESSURE: TypeProfile(1013.0, 10.0, 0.05, 0.25, 0.10, 1.0, (-2000.0, 100000.0)),
    # Machinery vibration is noisy and only slowly wanders.
    SensorType.VIBRATION: TypeProfile(20.0, 10.0, 0.07, 0.20, 0.10, 1.0, (0.0, 100000.0)),
    SensorType.FLOW: TypeProfile(12.0, 6.0, 0.05, 0.25, 0.15, 1.0, (0.0, 1.0e7)),
    # Silos fill and empty over hours: big slow drift, little noise.
    SensorType.LEVEL: TypeProfile(50.0, 35.0, 0.01, 0.45, 0.05, 1.0, (0.0, 100.0)),
}

# With only an upper (or lower) limit the baseline sits this many "warning-to-critical gaps" inside it.
_ONE_SIDED_SPAN = 1.2


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a sensor's normal signal lives: centre `baseline`, half-band `span` to the nearest warning."""

    baseline: float
    span: float


def placement(stype: SensorType, th: Thresholds) -> Placement:
    """Centre the normal signal between the warning limits (or inside the one limit there is)."""
    prof = PROFILES[stype]
    lo = th.warning_min if th.warning_min is not None else th.critical_min
    hi = th.warning_max if th.warning_max is not None else th.critical_max
    if lo is not None and hi is not None and lo < hi:
        return Placement((lo + hi) / 2.0, (hi - lo) / 2.0)
    if hi is not None:
        gap = _gap(th.warning_max, th.critical_max) or prof.span / _ONE_SIDED_SPAN
        span = _ONE_SIDED_SPAN * gap
        return Placement(hi - span, span)
    if lo is not None:
        gap = _gap(th.critical_min, th.warning_min) or prof.span / _ONE_SIDED_SPAN
        span = _ONE_SIDED_SPAN * gap
        return Placement(lo + span, span)
    return Placement(prof.nominal, prof.span)


def _gap(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= a:
        return None
    return b - a


# ---------------------------------------------------------------------------------------------------
# Excursions: a few minutes past a limit every ~20-40 minutes
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Excursion:
    """One episode past a limit: from `start` for `duration` seconds, plateau at `target`."""

    start: float
    duration: float
    target: float
    critical: bool

    @property
    def end(self) -> float:
        return self.start + self.duration

    def envelope(self, t: float) -> float:
        """0 outside, ramps up over the first fifth, 1 on the plateau, ramps down over the last fifth."""
        if not self.start <= t < self.end:
            return 0.0
        u = (t - self.start) / self.duration
        ramp = 0.2
        return _smoothstep(u / ramp) if u < 0.5 else _smoothstep((1.0 - u) / ramp)


def _excursion_targets(th: Thresholds, p: Placement) -> dict[str, dict[str, float]]:
    """Plateau values per side ('hi'/'lo') and level ('warning'/'critical') the thresholds allow."""
    out: dict[str, dict[str, float]] = {}
    for side, w, c, sign in (
        ("hi", th.warning_max, th.critical_max, 1.0),
        ("lo", th.warning_min, th.critical_min, -1.0),
    ):
        levels: dict[str, float] = {}
        gap = abs(c - w) if (w is not None and c is not None) else 0.25 * p.span
        if w is not None:
            # Halfway into the warning band when there is a critical limit beyond it.
            levels["warning"] = w + sign * (0.5 * gap)
        if c is not None:
            levels["critical"] = c + sign * 0.3 * gap
        if levels:
            out[side] = levels
    if not out:
        # No limits: still show life, a visible bump above the normal band.
        out["hi"] = {"warning": p.baseline + 1.6 * p.span}
    return out


# ---------------------------------------------------------------------------------------------------
# The signal model
# ---------------------------------------------------------------------------------------------------

SHAPES = ("auto", "sine", "triangle", "sawtooth", "ramp", "square", "constant", "random")


class SignalModel:
    """The simulated value of one sensor as a function of time (epoch seconds).

    `value_at(t)` is the calibrated engineering value an operator would see; `raw_at(t)` is what the
    device sends (the inverse of the sensor's calibration). A `sim://SHAPE?...` source selects an
    explicit shape (sine, triangle, sawtooth/ramp, square, constant, random) with parameters
    `period`, `amplitude`, `offset` (the centre), `noise` (standard deviation) and `value`
    (constant); `sim://auto` or any other scheme uses the type model. `?excursions=0` turns the
    limit excursions of the type model off.
    """

    def __init__(
        self,
        sensor: Sensor,
        seed: int = 0,
        *,
        excursions: bool = True,
        source: SimSource | None = None,
    ) -> None:
        self.sensor = sensor
        self.seed = seed
        self.key = stable_hash("signal", seed, sensor.eui)
        if source is None and sensor.source.startswith("sim:"):
            parsed = parse_source(sensor.source)
            assert isinstance(parsed, SimSource)
            source = parsed
        self.shape = (source.shape if source else "auto").lower()
        if self.shape not in SHAPES:
            raise ValueError(f"sensor {sensor.eui}: unknown sim shape {self.shape!r} (one of {', '.join(SHAPES)})")
        self.params = dict(source.params) if source else {}
        self.profile = PROFILES[sensor.type]
        self.place = placement(sensor.type, sensor.thresholds)
        self.excursions = excursions and self.params.get("excursions", 1.0) != 0.0 and self.shape == "auto"
        k = self.key
        # Drift: three slow sines with incommensurate periods, so the trend never visibly repeats.
        self._drift = [
            (base * (0.8 + 0.45 * uniform(k, 10 + i)), 2 * math.pi * uniform(k, 20 + i), w)
            for i, (base, w) in enumerate(((37 * 60.0, 0.45), (2.3 * 3600.0, 0.35), (7.9 * 3600.0, 0.20)))
        ]
        self._daily_peak = (14.0 + 2.0 * (uniform(k, 30) - 0.5)) * 3600.0
        self._exc_period = (20.0 + 20.0 * uniform(k, 40)) * 60.0
        self._exc_phase = uniform(k, 41) * self._exc_period
        self._targets = _excursion_targets(sensor.thresholds, self.place)
        self._slot_cache: tuple[int, Excursion | None] | None = None

    @property
    def baseline(self) -> float:
        return self.place.baseline

    @property
    def span(self) -> float:
        """Distance from the baseline to the nearest warning limit: the scale of every variation."""
        return self.place.span

    # -- the normal signal -------------------------------------------------------------------------

    def normal_at(self, t: float) -> float:
        """Baseline + drift + daily cycle + noise, clipped to the instrument's range; no excursions."""
        if self.shape != "auto":
            return self._shape_at(t)
        p, prof = self.place, self.profile
        drift = sum(w * math.sin(2 * math.pi * t / period + phase) for period, phase, w in self._drift)
        daily = prof.daily_sign * math.cos(2 * math.pi * (t % DAY - self._daily_peak) / DAY)
        noise = gaussian(self.key, math.floor(t * 1000.0))
        v = p.baseline + p.span * (prof.drift * drift + prof.daily * daily + prof.noise * noise)
        lo, hi = prof.bounds
        return min(hi, max(lo, v))

    def _shape_at(self, t: float) -> float:
        prm = self.params
        centre = prm.get("offset", self.place.baseline)
        amp = prm.get("amplitude", 0.5 * self.place.span)
        period = prm.get("period", 60.0)
        if period <= 0:
            raise ValueError(f"sensor {self.sensor.eui}: sim period must be above 0")
        phase = (t % period) / period
        shape = self.shape
        if shape == "sine":
            v = centre + amp * math.sin(2 * math.pi * phase)
        elif shape == "triangle":
            v = centre + amp * (4 * abs(phase - 0.5) - 1.0)
        elif shape in ("sawtooth", "ramp"):
            v = centre + amp * (2 * phase - 1.0)
        elif shape == "square":
            v = centre + (amp if phase < 0.5 else -amp)
        elif shape == "constant":
            v = prm.get("value", centre)
        else:  # random
            v = centre
        sigma = prm.get("noise", amp * 0.2 if shape == "random" else 0.0)
        if sigma:
            v += sigma * gaussian(self.key, math.floor(t * 1000.0))
        return v

    # -- excursions ---------------------------------------------------------------------------------

    def excursion_near(self, t: float) -> Excursion | None:
        """The excursion of the slot containing `t` (it may not have started or may be over)."""
        if not self.excursions:
            return None
        slot = math.floor((t - self._exc_phase) / self._exc_period)
        cached = self._slot_cache
        if cached is not None and cached[0] == slot:
            return cached[1]
        exc = self._excursion_in_slot(slot)
        self._slot_cache = (slot, exc)
        return exc

    def _excursion_in_slot(self, slot: int) -> Excursion | None:
        k = stable_hash("excursion", self.key, slot)
        if uniform(k, 0) >= 0.85:  # now and then a quiet slot, so the rhythm is not mechanical
            return None
        period = self._exc_period
        duration = min(120.0 + 180.0 * uniform(k, 1), 0.4 * period)
        slot_start = self._exc_phase + slot * period
        start = slot_start + 0.05 * period + uniform(k, 2) * (0.9 * period - duration)
        sides = sorted(self._targets)
        side = sides[int(uniform(k, 3) * len(sides))]
        levels = self._targets[side]
        want_critical = uniform(k, 4) < 0.3
        critical = ("critical" in levels and want_critical) or "warning" not in levels
        target = levels["critical" if critical else "warning"]
        return Excursion(start=start, duration=duration, target=target, critical=critical)

    def excursions_between(self, t0: float, t1: float) -> list[Excursion]:
        """Every excursion starting in [t0, t1): lets a test or the demo script find the next alarm."""
        if not self.excursions or t1 <= t0:
            return []
        first = math.floor((t0 - self._exc_phase) / self._exc_period)
        last = math.floor((t1 - self._exc_phase) / self._exc_period)
        out = []
        for slot in range(first, last + 1):
            e = self._excursion_in_slot(slot)
            if e is not None and t0 <= e.start < t1:
                out.append(e)
        return out

    # -- the public values ---------------------------------------------------------------------------

    def value_at(self, t: float) -> float:
        """The calibrated engineering value at epoch second `t`."""
        v = self.normal_at(t)
        exc = self.excursion_near(t)
        if exc is None:
            return v
        e = exc.envelope(t)
        if e <= 0.0:
            return v
        plateau = exc.target + 0.01 * self.place.span * gaussian(self.key, math.floor(t * 1000.0), 7)
        lo, hi = self.profile.bounds
        return min(hi, max(lo, (1.0 - e) * v + e * plateau))

    def raw_at(self, t: float) -> float:
        """What the device sends at `t`: the value before the sensor's calibration is applied."""
        return uncalibrate(self.value_at(t), self.sensor.calibration)


def uncalibrate(calibrated: float, cal: Calibration) -> float:
    """The raw value that calibrates to `calibrated`: ``(calibrated - offset) / multiplier``."""
    return (calibrated - cal.offset) / cal.multiplier


# ---------------------------------------------------------------------------------------------------
# Production
# ---------------------------------------------------------------------------------------------------


def production_fraction(seed: int, mill_slug: str, day_number: int) -> float:
    """The share of capacity a mill makes on a given day (days since the epoch): 0.85..0.95."""
    return 0.85 + 0.10 * uniform(stable_hash("production", seed, mill_slug), day_number)


def production_rate(capacity: float, seed: int, mill_slug: str, t: float) -> float:
    """Tonnes per second while running, so a full day reaches the day's share of capacity."""
    return capacity * production_fraction(seed, mill_slug, int(t // DAY)) / DAY


def production_so_far(capacity: float, seed: int, mill_slug: str, t: float) -> float:
    """Tonnes produced today (UTC) up to `t` by a mill that ran all day: the simulator's start value."""
    day = int(t // DAY)
    return production_rate(capacity, seed, mill_slug, t) * (t - day * DAY)


# ---------------------------------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------------------------------


class Fault(enum.StrEnum):
    NONE = "none"
    STUCK = "stuck"
    DROPOUT = "dropout"
    SPIKES = "spikes"
    NAN = "nan"
    MALFORMED = "malformed"
    EXCEPTION = "exception"
    SLOW = "slow"


FAULT_KINDS: tuple[Fault, ...] = tuple(f for f in Fault if f is not Fault.NONE)
# Faults that last a window of time (a stuck sensor stays stuck) vs. hit single samples.
WINDOW_FAULTS = frozenset({Fault.DROPOUT, Fault.EXCEPTION, Fault.STUCK})
SAMPLE_FAULTS = frozenset({Fault.MALFORMED, Fault.NAN, Fault.SPIKES})
# Which faults make sense per transport.
MQTT_FAULTS = frozenset({Fault.STUCK, Fault.DROPOUT, Fault.SPIKES, Fault.NAN, Fault.MALFORMED})
MODBUS_FAULTS = frozenset({Fault.STUCK, Fault.DROPOUT, Fault.SPIKES, Fault.NAN, Fault.EXCEPTION, Fault.SLOW})
_PRECEDENCE = (Fault.DROPOUT, Fault.EXCEPTION, Fault.STUCK, Fault.MALFORMED, Fault.NAN, Fault.SPIKES)

_FAULT_PARAMS = {"rate", "window", "window_rate", "slow_delay"}


@dataclass(frozen=True, slots=True)
class Faults:
    """Which faults to inject and how often; all off by default.

    Per-sample faults (spikes, nan, malformed) hit a share `rate` of samples; slow Modbus responses
    hit a share `rate` of requests and take `slow_delay` seconds. Episodes (stuck, dropout,
    exception) last `window` seconds and a share `window_rate` of windows is one.
    """

    stuck: bool = False
    dropout: bool = False
    spikes: bool = False
    nan: bool = False
    malformed: bool = False
    exception: bool = False
    slow: bool = False
    rate: float = 0.05
    window: float = 60.0
    window_rate: float = 0.1
    slow_delay: float = 1.0

    def __post_init__(self) -> None:
        for name in ("rate", "window_rate"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"fault {name} must be within 0..1, got {v}")
        if not self.window > 0:
            raise ValueError(f"fault window must be above 0, got {self.window}")
        if not self.slow_delay >= 0:
            raise ValueError(f"fault slow_delay must not be negative, got {self.slow_delay}")

    @classmethod
    def parse(cls, spec: str | Iterable[str] | None) -> Faults:
        """From a CLI-friendly string: ``"stuck,nan,malformed"``, ``"all"``, ``"none"``, with optional
        ``rate=0.2``, ``window=30``, ``window_rate=0.5``, ``slow_delay=2`` items; raises ValueError."""
        if spec is None:
            return cls()
        tokens = spec.replace(",", " ").split() if isinstance(spec, str) else [t.strip() for t in spec]
        flags: dict[str, bool] = {}
        params: dict[str, float] = {}
        names = {f.value for f in FAULT_KINDS}
        for tok in (t.lower() for t in tokens if t.strip()):
            if "=" in tok:
                key, _, text = tok.partition("=")
                key = key.strip().replace("-", "_")
                if key == "delay":
                    key = "slow_delay"
                if key not in _FAULT_PARAMS:
                    raise ValueError(f"unknown fault parameter {key!r} (one of {', '.join(sorted(_FAULT_PARAMS))})")
                try:
                    params[key] = float(text)
                except ValueError:
                    raise ValueError(f"fault parameter {key} must be a number, got {text!r}") from None
            elif tok == "all":
                flags.update(dict.fromkeys(names, True))
            elif tok == "none":
                flags = {}
            elif tok == "spike":
                flags["spikes"] = True
            elif tok in names:
                flags[tok] = True
            else:
                raise ValueError(f"unknown fault {tok!r} (one of {', '.join(sorted(names))}, all, none)")
        return cls(**flags, **params)  # type: ignore[arg-type]

    @property
    def kinds(self) -> frozenset[Fault]:
        return frozenset(f for f in FAULT_KINDS if getattr(self, f.value))

    @property
    def any(self) -> bool:
        return bool(self.kinds)

    def only(self, allowed: Iterable[Fault]) -> Faults:
        """The same settings with the faults outside `allowed` switched off."""
        keep = set(allowed)
        return replace(self, **{f.value: False for f in FAULT_KINDS if f not in keep})

    def __str__(self) -> str:
        parts = [f.value for f in FAULT_KINDS if getattr(self, f.value)] or ["none"]
        defaults = Faults()
        for fl in fields(self):
            if fl.name in _FAULT_PARAMS and getattr(self, fl.name) != getattr(defaults, fl.name):
                parts.append(f"{fl.name}={getattr(self, fl.name):g}")
        return ",".join(parts)


@dataclass(frozen=True, slots=True)
class FaultedValue:
    """What to send for one sample: `value` is None when nothing (or no number) is to be sent."""

    fault: Fault
    value: float | None


# Payloads a broken gateway really sends: not JSON, truncated, wrong types, missing fields, bad UTF-8.
MALFORMED_PAYLOADS: tuple[bytes, ...] = (
    b"not json at all",
    b'{"value": 12.3, "ts": ',
    b'{"value": "twelve point three", "quality": "good"}',
    b'{"reading": 12.3}',
    b"\xff\xfe\x00garbage",
    b"[1, 2, 3",
    b'"sensor offline"',
    b"",
)


class FaultInjector:
    """Decides, per sample and per request, which fault (if any) happens: a pure function of
    (seed, key, time), so a test can ask what the simulator did at a given moment."""

    def __init__(self, faults: Faults, seed: int = 0) -> None:
        self.faults = faults
        self.seed = seed

    def _k(self, kind: Fault, key: str) -> int:
        return stable_hash("fault", self.seed, kind.value, key)

    def window_of(self, t: float) -> tuple[float, float]:
        """The [start, end) of the fault window containing `t`."""
        w = self.faults.window
        start = math.floor(t / w) * w
        return start, start + w

    def in_episode(self, kind: Fault, key: str, t: float) -> bool:
        """True when `key` is in a `kind` episode (stuck, dropout, exception) at `t`."""
        if not getattr(self.faults, kind.value, False):
            return False
        return uniform(self._k(kind, key), math.floor(t / self.faults.window)) < self.faults.window_rate

    def _hits(self, kind: Fault, key: str, t: float) -> bool:
        if not getattr(self.faults, kind.value, False):
            return False
        return uniform(self._k(kind, key), math.floor(t * 1000.0)) < self.faults.rate

    def sample_fault(self, key: str, t: float, allowed: Iterable[Fault] | None = None) -> Fault:
        """The fault hitting the sample of `key` at `t` (Fault.NONE for a normal sample)."""
        permitted = frozenset(allowed) if allowed is not None else frozenset(FAULT_KINDS)
        for kind in _PRECEDENCE:
            if kind not in permitted:
                continue
            if kind in WINDOW_FAULTS:
                if self.in_episode(kind, key, t):
                    return kind
            elif self._hits(kind, key, t):
                return kind
        return Fault.NONE

    def value(self, model: SignalModel, t: float, allowed: Iterable[Fault] | None = None) -> FaultedValue:
        """The calibrated value to send for `model` at `t`, after any fault."""
        key = model.sensor.eui
        fault = self.sample_fault(key, t, allowed)
        if fault in (Fault.DROPOUT, Fault.EXCEPTION, Fault.MALFORMED):
            return FaultedValue(fault, None)
        if fault is Fault.STUCK:
            return FaultedValue(fault, model.value_at(self.window_of(t)[0]))
        if fault is Fault.NAN:
            return FaultedValue(fault, math.nan)
        if fault is Fault.SPIKES:
            return FaultedValue(fault, self.spike(model, t))
        return FaultedValue(Fault.NONE, model.value_at(t))

    def spike(self, model: SignalModel, t: float) -> float:
        """A single wild reading 8-15 spans away from the signal (what EMI on a 4-20 mA loop does)."""
        k = self._k(Fault.SPIKES, model.sensor.eui)
        sign = 1.0 if uniform(k, math.floor(t * 1000.0), 1) < 0.5 else -1.0
        size = 8.0 + 7.0 * uniform(k, math.floor(t * 1000.0), 2)
        return model.value_at(t) + sign * size * max(model.span, 1.0)

    def malformed_payload(self, key: str, t: float) -> bytes:
        """One of MALFORMED_PAYLOADS, chosen by (key, t)."""
        i = int(uniform(self._k(Fault.MALFORMED, key), math.floor(t * 1000.0), 3) * len(MALFORMED_PAYLOADS))
        return MALFORMED_PAYLOADS[i]

    def response_delay(self, key: str, t: float) -> float:
        """Seconds a Modbus device waits before answering a request at `t` (0 when not slowed)."""
        return self.faults.slow_delay if self._hits(Fault.SLOW, key, t) else 0.0
