"""Domain types shared by every layer: mills, sensors, readings, alerts, users.

Kept free of I/O so the rules (units, validation, calibration) are tested without a database.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from hmi.core.errors import ValidationError
from hmi.core.text import Text


class MillStatus(enum.StrEnum):
    ACTIVE = "active"
    MAINTENANCE = "maintenance"
    OFFLINE = "offline"
    ERROR = "error"


class SensorType(enum.StrEnum):
    TEMPERATURE = "temperature"
    HUMIDITY = "humidity"
    PRESSURE = "pressure"
    VIBRATION = "vibration"
    FLOW = "flow"
    LEVEL = "level"

    @property
    def default_unit(self) -> str:
        return DEFAULT_UNITS[self]

    @property
    def physical_range(self) -> tuple[float, float]:
        """Values outside this range are physically implausible for the type: rejected at ingest."""
        return PHYSICAL_RANGES[self]


DEFAULT_UNITS: dict[SensorType, str] = {
    SensorType.TEMPERATURE: "°C",
    SensorType.HUMIDITY: "%",
    SensorType.PRESSURE: "hPa",
    SensorType.VIBRATION: "Hz",
    SensorType.FLOW: "L/min",
    SensorType.LEVEL: "%",
}

# Generous bounds: they exist to catch garbage (1e999, wrapped registers), not to judge process values.
PHYSICAL_RANGES: dict[SensorType, tuple[float, float]] = {
    SensorType.TEMPERATURE: (-273.15, 2000.0),
    SensorType.HUMIDITY: (-10.0, 110.0),
    SensorType.PRESSURE: (-2000.0, 100000.0),
    SensorType.VIBRATION: (-1.0, 100000.0),
    SensorType.FLOW: (-1.0e6, 1.0e7),
    SensorType.LEVEL: (-10.0, 1000.0),
}


class Quality(enum.StrEnum):
    GOOD = "good"
    UNCERTAIN = "uncertain"
    BAD = "bad"


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"
    EMERGENCY = "emergency"


class Role(enum.StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    TECHNICIAN = "technician"
    VIEWER = "viewer"


SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
EUI_RE = re.compile(r"^[0-9A-F]{16}$")


def normalise_eui(raw: str) -> str:
    """EUIs arrive in mixed case and with separators from different vendors; store one form."""
    eui = raw.replace(":", "").replace("-", "").strip().upper()
    if not EUI_RE.match(eui):
        raise ValidationError("eui", Text("device EUI must be 16 hex digits, got {raw!r}", raw=raw))
    return eui


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Alarm limits. Order when set: critical_min <= warning_min < warning_max <= critical_max."""

    warning_min: float | None = None
    warning_max: float | None = None
    critical_min: float | None = None
    critical_max: float | None = None

    def problems(self) -> list[tuple[str, str]]:
        """Every contradiction as (field, message); empty when the limits are consistent."""
        out: list[tuple[str, str]] = []
        values = {
            "critical_min": self.critical_min,
            "warning_min": self.warning_min,
            "warning_max": self.warning_max,
            "critical_max": self.critical_max,
        }
        for name, v in values.items():
            if v is not None and (v != v or v in (float("inf"), float("-inf"))):
                out.append((name, Text("{name} must be a finite number", name=name)))
        if out:
            return out
        cmin, wmin, wmax, cmax = self.critical_min, self.warning_min, self.warning_max, self.critical_max
        if wmin is not None and wmax is not None and not wmin < wmax:
            out.append(("warning_min", Text("warning_min ({wmin:g}) must be below warning_max ({wmax:g})",
                                            wmin=wmin, wmax=wmax)))
        if cmin is not None and wmin is not None and not cmin <= wmin:
            out.append(("critical_min", Text("critical_min ({cmin:g}) must not be above warning_min ({wmin:g})",
                                             cmin=cmin, wmin=wmin)))
        if cmax is not None and wmax is not None and not wmax <= cmax:
            out.append(("critical_max", Text("critical_max ({cmax:g}) must not be below warning_max ({wmax:g})",
                                             cmax=cmax, wmax=wmax)))
        if cmin is not None and cmax is not None and not cmin < cmax:
            out.append(("critical_min", Text("critical_min ({cmin:g}) must be below critical_max ({cmax:g})",
                                             cmin=cmin, cmax=cmax)))
        if cmin is not None and wmax is not None and wmin is None and not cmin < wmax:
            out.append(("critical_min", Text("critical_min ({cmin:g}) must be below warning_max ({wmax:g})",
                                             cmin=cmin, wmax=wmax)))
        if cmax is not None and wmin is not None and wmax is None and not wmin < cmax:
            out.append(("critical_max", Text("critical_max ({cmax:g}) must be above warning_min ({wmin:g})",
                                             cmax=cmax, wmin=wmin)))
        return out

    def validate(self) -> None:
        problems = self.problems()
        if problems:
            raise ValidationError(problems[0][0], problems[0][1])

    def level_of(self, value: float) -> Severity | None:
        """The severity a value is at, ignoring deadband and delays (the alarm engine adds those)."""
        if (self.critical_max is not None and value > self.critical_max) or (
            self.critical_min is not None and value < self.critical_min
        ):
            return Severity.CRITICAL
        if (self.warning_max is not None and value > self.warning_max) or (
            self.warning_min is not None and value < self.warning_min
        ):
            return Severity.WARNING
        return None

    def as_dict(self) -> dict[str, float]:
        return {
            k: v
            for k, v in (
                ("warning_min", self.warning_min),
                ("warning_max", self.warning_max),
                ("critical_min", self.critical_min),
                ("critical_max", self.critical_max),
            )
            if v is not None
        }


@dataclass(frozen=True, slots=True)
class Calibration:
    """Linear correction applied to every raw value: calibrated = raw * multiplier + offset."""

    offset: float = 0.0
    multiplier: float = 1.0

    def apply(self, raw: float) -> float:
        return raw * self.multiplier + self.offset

    def problems(self) -> list[tuple[str, str]]:
        out = []
        for name, v in (("offset", self.offset), ("multiplier", self.multiplier)):
            if v != v or v in (float("inf"), float("-inf")):
                out.append((name, Text("calibration {name} must be a finite number", name=name)))
        if self.multiplier == 0:
            out.append(("multiplier", Text("calibration multiplier must not be 0")))
        return out


@dataclass(frozen=True, slots=True)
class Sensor:
    mill_slug: str
    name: str
    type: SensorType
    eui: str
    unit: str = ""
    location: str = ""
    sampling_interval: float = 5.0
    source: str = ""
    thresholds: Thresholds = field(default_factory=Thresholds)
    calibration: Calibration = field(default_factory=Calibration)
    enabled: bool = True
    metadata: dict[str, object] = field(default_factory=dict)

    @property
    def display_unit(self) -> str:
        return self.unit or self.type.default_unit

    def effective_source(self) -> str:
        """The source URL, defaulting to the contract topic for the sensor's EUI."""
        return self.source or f"mqtt://mills/{self.mill_slug}/sensors/{self.eui}/reading"


DEFAULT_COAST_DOWN = 30.0  # seconds: a mill still running this long after its stop latched raises NOT STOPPED
MAX_COAST_DOWN = 3600.0


@dataclass(frozen=True, slots=True)
class Mill:
    slug: str
    name: str
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    capacity: float = 0.0  # tonnes per day
    status: MillStatus = MillStatus.ACTIVE
    sensors: tuple[Sensor, ...] = ()
    estop_mqtt: bool = True
    estop_modbus: str = ""
    estop_coast_down: float = DEFAULT_COAST_DOWN  # seconds the mill may run on after a stop latches


@dataclass(frozen=True, slots=True)
class Reading:
    """A calibrated reading. `ts` is UTC epoch seconds (the hot path never builds datetimes);
    `value` is None when the sample carried no usable value (quality then says why)."""

    eui: str
    ts: float
    value: float | None
    quality: Quality = Quality.GOOD
    raw_value: float | None = None


@dataclass(frozen=True, slots=True)
class ProductionRecord:
    mill_slug: str
    day: date
    actual: float  # tonnes produced that day


def efficiency(production_today: float, capacity: float) -> float | None:
    """Efficiency = today's production / capacity (t/day); None when the mill has no capacity."""
    if capacity <= 0:
        return None
    return production_today / capacity


def utc_now() -> datetime:
    return datetime.now(UTC)
