"""Alarm settings: per-sensor deadband, on/off-delays, latching and quality/stale alarms; the engine's
flood and shelving limits.

A sensor's settings come, first match wins, from `AlarmConfig.sensors[eui]`, from the sensor's
`metadata["alarm"]` table in the plant file (laid over the defaults), from `AlarmConfig.default`, or
from the per-type starting points below.

Per-type defaults follow the starting points ISA-18.2 (TR2 / Hollifield & Habibi) gives for analogue
alarms: deadband flow 5 %, level 5 %, pressure 2 %, temperature 1 % of span and a delay of 15 s
(flow, pressure) or 60 s (level, temperature); humidity and vibration are not in that table and take
2 % / 60 s and 5 % / 15 s. The delay is used as the *off*-delay only, so a default never announces an
alarm late: deadband plus off-delay already make a signal wobbling on a limit one alarm. An on-delay
(filtering short spikes at the cost of later announcement) is a per-sensor decision.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from hmi.core.alarms import MAX_SHELVE_MINUTES, PROCESS_KINDS, AlarmKind
from hmi.core.domain import Sensor, SensorType, Severity, Thresholds
from hmi.core.errors import ValidationError
from hmi.core.text import Text

SENSOR_KINDS = frozenset(PROCESS_KINDS | {AlarmKind.BAD_QUALITY, AlarmKind.STALE})


@dataclass(frozen=True, slots=True)
class SensorAlarmConfig:
    """How one sensor's alarms are judged.

    deadband       engineering units: an active HIGH clears only below limit - deadband (LOW: above limit + deadband)
    deadband_pct   % of the sensor's alarm span; the larger of the two deadbands applies
    span           the span for `deadband_pct`; None: the larger of (highest - lowest limit) and the largest |limit|
    on_delay_s     the condition must hold this long (every reading meanwhile agreeing) before the alarm activates
    off_delay_s    the return to normal must hold this long before the alarm clears
    latch          the kinds of this sensor's alarms that latch (stay until an authorised reset while normal)
    quality_alarm  raise BAD_QUALITY on bad readings (a bad reading never raises a process alarm either way)
    stale_alarm    raise STALE when the sensor stops reporting
    quality_on_delay_s / quality_off_delay_s   delays of the BAD_QUALITY alarm
    uncertain_is_bad   treat UNCERTAIN readings as bad (default: judged like good ones)
    quality_priority / stale_priority          priorities of BAD_QUALITY and STALE
    """

    deadband: float = 0.0
    deadband_pct: float = 0.0
    span: float | None = None
    on_delay_s: float = 0.0
    off_delay_s: float = 0.0
    latch: frozenset[AlarmKind] = frozenset()
    quality_alarm: bool = True
    stale_alarm: bool = True
    quality_on_delay_s: float = 0.0
    quality_off_delay_s: float = 0.0
    uncertain_is_bad: bool = False
    quality_priority: Severity = Severity.WARNING
    stale_priority: Severity = Severity.WARNING

    def deadband_for(self, thresholds: Thresholds) -> float:
        """The deadband in engineering units for a sensor with these limits."""
        db = self.deadband
        if self.deadband_pct > 0:
            span = self.span if self.span is not None else alarm_span(thresholds)
            db = max(db, span * self.deadband_pct / 100.0)
        return db

    def problems(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for name in ("deadband", "deadband_pct", "on_delay_s", "off_delay_s", "quality_on_delay_s",
                     "quality_off_delay_s"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
                out.append((name, Text("{name} must be a finite number >= 0", name=name)))
        if self.span is not None and (not math.isfinite(self.span) or self.span <= 0):
            out.append(("span", Text("span must be a finite number > 0")))
        bad = set(self.latch) - SENSOR_KINDS
        if bad:
            out.append(("latch", Text("a sensor cannot latch {kinds} alarms",
                                      kinds=", ".join(sorted(k.value for k in bad)))))
        return out


def alarm_span(thresholds: Thresholds) -> float:
    """The span a percentage deadband refers to when none is configured."""
    limits = [v for v in thresholds.as_dict().values()]
    if not limits:
        return 0.0
    return max(max(limits) - min(limits), max(abs(v) for v in limits))


def _type_default(deadband_pct: float, delay_s: float) -> SensorAlarmConfig:
    return SensorAlarmConfig(deadband_pct=deadband_pct, off_delay_s=delay_s)


TYPE_DEFAULTS: dict[SensorType, SensorAlarmConfig] = {
    SensorType.FLOW: _type_default(5.0, 15.0),
    SensorType.LEVEL: _type_default(5.0, 60.0),
    SensorType.PRESSURE: _type_default(2.0, 15.0),
    SensorType.TEMPERATURE: _type_default(1.0, 60.0),
    SensorType.HUMIDITY: _type_default(2.0, 60.0),
    SensorType.VIBRATION: _type_default(5.0, 15.0),
}


@dataclass(frozen=True)
class AlarmConfig:
    """The engine's settings.

    flood_count / flood_window_s   more than `flood_count` announced activations of one mill within
                                   `flood_window_s` seconds is a flood (EEMUA 191: 10 per 10 minutes)
    flood_end_count                the flood ends when at most this many remain in the window (hysteresis)
    max_shelve_minutes             the longest an operator may shelve an alarm
    """

    sensors: Mapping[str, SensorAlarmConfig] = field(default_factory=dict)
    default: SensorAlarmConfig | None = None
    flood_count: int = 10
    flood_window_s: float = 600.0
    flood_end_count: int = 5
    max_shelve_minutes: float = MAX_SHELVE_MINUTES

    def __post_init__(self) -> None:
        if self.flood_count < 1 or not 0 <= self.flood_end_count <= self.flood_count:
            raise ValidationError("flood_end_count",
                                  Text("need flood_count >= 1 and 0 <= flood_end_count <= flood_count"))
        if not self.flood_window_s > 0:
            raise ValidationError("flood_window_s", Text("flood_window_s must be > 0"))
        if not self.max_shelve_minutes > 0:
            raise ValidationError("max_shelve_minutes", Text("max_shelve_minutes must be > 0"))
        for eui, cfg in self.sensors.items():
            for fld, msg in cfg.problems():
                raise ValidationError(f"sensors.{eui}.{fld}", msg)

    def for_sensor(self, sensor: Sensor) -> SensorAlarmConfig:
        """The sensor's settings; raises ValidationError if its `metadata["alarm"]` table is not valid."""
        explicit = self.sensors.get(sensor.eui)
        if explicit is not None:
            return explicit
        base = self.default if self.default is not None else TYPE_DEFAULTS.get(sensor.type, SensorAlarmConfig())
        table = sensor.metadata.get("alarm") if sensor.metadata else None
        if table is None:
            return base
        cfg, problems = parse_sensor_alarm_config(table, base)
        if problems:
            fld, msg = problems[0]
            raise ValidationError(f"metadata.alarm.{fld}", Text("sensor {eui}: {problem}", eui=sensor.eui, problem=msg))
        return cfg


# Keys of a plant file's `metadata.alarm` table -> SensorAlarmConfig fields.
_FLOAT_KEYS = {
    "deadband": "deadband",
    "deadband_pct": "deadband_pct",
    "span": "span",
    "on_delay": "on_delay_s",
    "off_delay": "off_delay_s",
    "quality_on_delay": "quality_on_delay_s",
    "quality_off_delay": "quality_off_delay_s",
}
_BOOL_KEYS = {"quality_alarm": "quality_alarm", "stale_alarm": "stale_alarm", "uncertain_is_bad": "uncertain_is_bad"}
_PRIORITY_KEYS = {"quality_priority": "quality_priority", "stale_priority": "stale_priority"}
CONFIG_KEYS = frozenset({*_FLOAT_KEYS, *_BOOL_KEYS, *_PRIORITY_KEYS, "latch"})


def parse_sensor_alarm_config(
    data: object, base: SensorAlarmConfig | None = None
) -> tuple[SensorAlarmConfig, list[tuple[str, str]]]:
    """Read a plant file's alarm table (e.g. `metadata = { alarm = { deadband = 0.5, off_delay = 30,
    latch = ["high_high"] } }`) laid over `base`; returns the settings and every problem as (key, message).

    `latch` is true (every process alarm of the sensor latches), false, or a list of kinds.
    """
    base = base or SensorAlarmConfig()
    problems: list[tuple[str, str]] = []
    if not isinstance(data, Mapping):
        return base, [("alarm", Text("must be a table"))]
    changes: dict[str, object] = {}
    for key in sorted(set(data) - CONFIG_KEYS):
        problems.append((str(key), Text("unknown key")))
    for key, attr in _FLOAT_KEYS.items():
        if key in data:
            v = data[key]
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                problems.append((key, Text("must be a number")))
            else:
                changes[attr] = float(v)
    for key, attr in _BOOL_KEYS.items():
        if key in data:
            if isinstance(data[key], bool):
                changes[attr] = data[key]
            else:
                problems.append((key, Text("must be true or false")))
    for key, attr in _PRIORITY_KEYS.items():
        if key in data:
            try:
                changes[attr] = Severity(str(data[key]))
            except ValueError:
                problems.append((key, Text("must be one of {values}", values=", ".join(s.value for s in Severity))))
    if "latch" in data:
        latch = data["latch"]
        if latch is True:
            changes["latch"] = PROCESS_KINDS
        elif latch is False:
            changes["latch"] = frozenset()
        elif isinstance(latch, list | tuple):
            kinds = set()
            for item in latch:
                try:
                    kinds.add(AlarmKind(str(item)))
                except ValueError:
                    problems.append(("latch", Text("unknown alarm kind {kind!r}", kind=item)))
            changes["latch"] = frozenset(kinds)
        else:
            problems.append(("latch", Text("must be true, false or a list of alarm kinds")))
    cfg = replace(base, **changes)  # type: ignore[arg-type]
    inverse = {v: k for k, v in _FLOAT_KEYS.items()}
    for fld, msg in cfg.problems():
        key = inverse.get(fld, fld)
        if not any(p[0] == key for p in problems):
            problems.append((key, msg))
    return cfg, problems
