"""The plant file (TOML, `schema_version`): its model, whole-file validation, and export form.

Validation collects every problem with its location (mill/sensor and field) so an installer fixes a
file in one pass; nothing here reads or writes files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hmi.core.alarm_config import parse_sensor_alarm_config
from hmi.core.domain import (
    DEFAULT_COAST_DOWN,
    MAX_COAST_DOWN,
    SLUG_RE,
    Calibration,
    Mill,
    MillStatus,
    Sensor,
    SensorType,
    Thresholds,
    normalise_eui,
)
from hmi.core.errors import ValidationError
from hmi.core.sources import parse_source
from hmi.core.text import Text

SCHEMA_VERSION = 1
THRESHOLD_KEYS = ("warning_min", "warning_max", "critical_min", "critical_max")
MILL_KEYS = {"slug", "name", "location", "latitude", "longitude", "capacity", "status", "sensors", "estop"}
SENSOR_KEYS = {
    "name", "type", "eui", "unit", "location", "sampling_interval", "source",
    "calibration", "thresholds", "enabled", "metadata", "alarm",
}


def mill_where(mill: object) -> Text:
    """Where a problem is: "mill north" (the mill's slug, or its index when it has none)."""
    return Text("mill {mill}", mill=mill)


def sensor_where(mill: str, sensor: object) -> Text:
    """Where a problem is: "mill north / sensor B1 bearing" (`mill` is a `mill_where`)."""
    return Text("{mill} / sensor {sensor}", mill=mill, sensor=sensor)


@dataclass(frozen=True, slots=True)
class PlantProblem:
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class Plant:
    mills: tuple[Mill, ...] = ()
    schema_version: int = SCHEMA_VERSION

    def sensors(self) -> list[Sensor]:
        return [s for m in self.mills for s in m.sensors]

    def mill(self, slug: str) -> Mill:
        for m in self.mills:
            if m.slug == slug:
                return m
        raise KeyError(slug)


class PlantError(ValueError):
    """The plant file is not acceptable; `problems` lists every reason with its location."""

    def __init__(self, problems: list[PlantProblem]) -> None:
        first = problems[0]
        super().__init__(Text("{n} problem(s) in plant file; first: {first}", n=len(problems),
                              first=Text("{where}: {field}: {message}", where=first.where, field=first.field,
                                         message=first.message)))
        self.problems = problems


@dataclass
class _Collector:
    problems: list[PlantProblem] = field(default_factory=list)

    def add(self, where: str, fld: str, message: str) -> None:
        self.problems.append(PlantProblem(where, fld, message))


def _number(c: _Collector, where: str, fld: str, value: Any, *, positive: bool = False) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        c.add(where, fld, Text("must be a number, got {value!r}", value=value))
        return None
    v = float(value)
    if v != v or v in (float("inf"), float("-inf")):
        c.add(where, fld, Text("must be a finite number"))
        return None
    if positive and v <= 0:
        c.add(where, fld, Text("must be above 0, got {value!r}", value=value))
        return None
    return v


def _text(c: _Collector, where: str, fld: str, value: Any, *, required: bool = False) -> str:
    if value is None:
        if required:
            c.add(where, fld, Text("is required"))
        return ""
    if not isinstance(value, str):
        c.add(where, fld, Text("must be text, got {value!r}", value=value))
        return ""
    if required and not value.strip():
        c.add(where, fld, Text("must not be empty"))
    return value.strip()


def parse_plant(data: dict[str, Any]) -> Plant:
    """Validate a decoded plant file as a whole; raise PlantError listing every problem."""
    c = _Collector()
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        c.add(Text("plant"), "schema_version", Text("must be {version}, got {value!r}", version=SCHEMA_VERSION,
                                                      value=version))
    raw_mills = data.get("mills", [])
    if not isinstance(raw_mills, list):
        c.add(Text("plant"), "mills", Text("must be an array of tables ({table})", table="[[mills]]"))
        raw_mills = []
    unknown = set(data) - {"schema_version", "mills"}
    for key in sorted(unknown):
        c.add(Text("plant"), key, Text("unknown key"))
    mills: list[Mill] = []
    seen_slugs: set[str] = set()
    seen_names: set[str] = set()
    seen_euis: dict[str, str] = {}
    for i, rm in enumerate(raw_mills):
        if not isinstance(rm, dict):
            c.add(f"mills[{i}]", "-", Text("must be a table"))
            continue
        mill = _parse_mill(c, i, rm, seen_slugs, seen_names, seen_euis)
        if mill is not None:
            mills.append(mill)
    if c.problems:
        raise PlantError(c.problems)
    return Plant(mills=tuple(mills), schema_version=SCHEMA_VERSION)


def _parse_mill(
    c: _Collector,
    i: int,
    rm: dict[str, Any],
    seen_slugs: set[str],
    seen_names: set[str],
    seen_euis: dict[str, str],
) -> Mill | None:
    slug = _text(c, f"mills[{i}]", "slug", rm.get("slug"), required=True)
    where = mill_where(slug or i)
    if slug and not SLUG_RE.match(slug):
        c.add(where, "slug", Text("lowercase letters, digits, '-' and '_' only (max 64)"))
    if slug in seen_slugs:
        c.add(where, "slug", Text("duplicate mill slug"))
    seen_slugs.add(slug)
    for key in sorted(set(rm) - MILL_KEYS):
        c.add(where, key, Text("unknown key"))
    name = _text(c, where, "name", rm.get("name"), required=True)
    if name and name.lower() in seen_names:
        c.add(where, "name", Text("duplicate mill name {name!r}", name=name))
    seen_names.add(name.lower())
    capacity = _number(c, where, "capacity", rm.get("capacity", 0))
    if capacity is not None and capacity < 0:
        c.add(where, "capacity", Text("must not be negative"))
    status_text = rm.get("status", "active")
    try:
        status = MillStatus(status_text)
    except ValueError:
        c.add(where, "status", Text("must be one of {values}, got {value!r}",
                                    values=", ".join(s.value for s in MillStatus), value=status_text))
        status = MillStatus.ACTIVE
    lat = _number(c, where, "latitude", rm.get("latitude"))
    lon = _number(c, where, "longitude", rm.get("longitude"))
    if lat is not None and not -90 <= lat <= 90:
        c.add(where, "latitude", Text("must be within -90..90"))
    if lon is not None and not -180 <= lon <= 180:
        c.add(where, "longitude", Text("must be within -180..180"))
    estop = rm.get("estop", {}) or {}
    estop_mqtt, estop_modbus, coast_down = True, "", DEFAULT_COAST_DOWN
    if not isinstance(estop, dict):
        c.add(where, "estop", Text("must be a table"))
    else:
        estop_mqtt = bool(estop.get("mqtt", True))
        if "coast_down" in estop:
            cd = _number(c, where, "estop.coast_down", estop.get("coast_down"))
            if cd is not None and not 0 < cd <= MAX_COAST_DOWN:
                c.add(where, "estop.coast_down", Text("must be > 0 and <= {max:g} seconds, got {value:g}",
                                                      max=MAX_COAST_DOWN, value=cd))
            elif cd is not None:
                coast_down = cd
        estop_modbus = _text(c, where, "estop.modbus", estop.get("modbus"))
        if estop_modbus:
            try:
                src = parse_source(estop_modbus)
                if src.scheme not in ("modbus", "modbus+rtu") or getattr(src, "table", "") != "coil":
                    c.add(where, "estop.modbus", Text("must be a modbus:// URL of a coil"))
            except ValidationError as exc:
                c.add(where, "estop.modbus", exc.message)
    sensors: list[Sensor] = []
    seen_sensor_names: set[str] = set()
    raw_sensors = rm.get("sensors", [])
    if not isinstance(raw_sensors, list):
        c.add(where, "sensors", Text("must be an array of tables ({table})", table="[[mills.sensors]]"))
        raw_sensors = []
    for j, rs in enumerate(raw_sensors):
        if not isinstance(rs, dict):
            c.add(Text("{mill} sensors[{index}]", mill=where, index=j), "-", Text("must be a table"))
            continue
        s = _parse_sensor(c, slug, where, j, rs, seen_sensor_names, seen_euis)
        if s is not None:
            sensors.append(s)
    return Mill(
        slug=slug,
        name=name,
        location=_text(c, where, "location", rm.get("location")),
        latitude=lat,
        longitude=lon,
        capacity=capacity or 0.0,
        status=status,
        sensors=tuple(sensors),
        estop_mqtt=estop_mqtt,
        estop_modbus=estop_modbus,
        estop_coast_down=coast_down,
    )


def _parse_sensor(
    c: _Collector,
    mill_slug: str,
    mill_where: str,
    j: int,
    rs: dict[str, Any],
    seen_names: set[str],
    seen_euis: dict[str, str],
) -> Sensor | None:
    name = _text(c, Text("{mill} sensors[{index}]", mill=mill_where, index=j), "name", rs.get("name"), required=True)
    where = sensor_where(mill_where, name or j)
    for key in sorted(set(rs) - SENSOR_KEYS):
        c.add(where, key, Text("unknown key"))
    if name and name.lower() in seen_names:
        c.add(where, "name", Text("duplicate sensor name in this mill"))
    seen_names.add(name.lower())
    type_text = rs.get("type")
    stype: SensorType | None
    try:
        stype = SensorType(str(type_text))
    except ValueError:
        c.add(where, "type", Text("must be one of {values}, got {value!r}",
                                  values=", ".join(t.value for t in SensorType), value=type_text))
        stype = None
    eui = ""
    try:
        eui = normalise_eui(_text(c, where, "eui", rs.get("eui"), required=True))
    except ValidationError as exc:
        if rs.get("eui"):
            c.add(where, "eui", exc.message)
    if eui:
        if eui in seen_euis:
            c.add(where, "eui", Text("EUI {eui} already used by {where}", eui=eui, where=seen_euis[eui]))
        seen_euis[eui] = where
    interval = _number(c, where, "sampling_interval", rs.get("sampling_interval", 5), positive=True)
    source = _text(c, where, "source", rs.get("source"))
    if source:
        try:
            parse_source(source)
        except ValidationError as exc:
            c.add(where, "source", exc.message)
    cal_raw = rs.get("calibration", {}) or {}
    th_raw = rs.get("thresholds", {}) or {}
    cal = Calibration()
    if not isinstance(cal_raw, dict):
        c.add(where, "calibration", Text("must be a table {table}", table="{offset, multiplier}"))
    else:
        for key in sorted(set(cal_raw) - {"offset", "multiplier"}):
            c.add(where, f"calibration.{key}", Text("unknown key"))
        off = _number(c, where, "calibration.offset", cal_raw.get("offset", 0.0))
        mul = _number(c, where, "calibration.multiplier", cal_raw.get("multiplier", 1.0))
        cal = Calibration(offset=off if off is not None else 0.0, multiplier=mul if mul is not None else 1.0)
        for fld, msg in cal.problems():
            c.add(where, f"calibration.{fld}", msg)
    th = Thresholds()
    if not isinstance(th_raw, dict):
        c.add(where, "thresholds", Text("must be a table"))
    else:
        for key in sorted(set(th_raw) - set(THRESHOLD_KEYS)):
            c.add(where, f"thresholds.{key}", Text("unknown key"))
        vals = {k: _number(c, where, f"thresholds.{k}", th_raw.get(k)) for k in THRESHOLD_KEYS}
        th = Thresholds(**vals)
        for fld, msg in th.problems():
            c.add(where, f"thresholds.{fld}", msg)
    metadata = rs.get("metadata", {}) or {}
    if not isinstance(metadata, dict):
        c.add(where, "metadata", Text("must be a table"))
        metadata = {}
    metadata = dict(metadata)
    alarm = rs.get("alarm", metadata.get("alarm"))
    if alarm is not None:
        # Per-sensor alarm settings (deadband, delays, latch): validated here so a bad table fails the import.
        _cfg, alarm_problems = parse_sensor_alarm_config(alarm)
        for key, msg in alarm_problems:
            c.add(where, f"alarm.{key}", msg)
        metadata["alarm"] = alarm
    enabled = rs.get("enabled", True)
    if not isinstance(enabled, bool):
        c.add(where, "enabled", Text("must be true or false"))
        enabled = True
    if stype is None:
        return None
    return Sensor(
        mill_slug=mill_slug,
        name=name,
        type=stype,
        eui=eui,
        unit=_text(c, where, "unit", rs.get("unit")) or stype.default_unit,
        location=_text(c, where, "location", rs.get("location")),
        sampling_interval=interval or 5.0,
        source=source,
        thresholds=th,
        calibration=cal,
        enabled=enabled,
        metadata=dict(metadata),
    )


def plant_to_dict(plant: Plant) -> dict[str, Any]:
    """The export form: what parse_plant reads back to an equal Plant."""
    mills: list[dict[str, Any]] = []
    for m in plant.mills:
        dm: dict[str, Any] = {"slug": m.slug, "name": m.name}
        if m.location:
            dm["location"] = m.location
        if m.latitude is not None:
            dm["latitude"] = m.latitude
        if m.longitude is not None:
            dm["longitude"] = m.longitude
        dm["capacity"] = m.capacity
        dm["status"] = m.status.value
        estop: dict[str, Any] = {"mqtt": m.estop_mqtt}
        if m.estop_modbus:
            estop["modbus"] = m.estop_modbus
        if m.estop_coast_down != DEFAULT_COAST_DOWN:
            estop["coast_down"] = m.estop_coast_down
        dm["estop"] = estop
        sensors = []
        for s in m.sensors:
            ds: dict[str, Any] = {"name": s.name, "type": s.type.value, "eui": s.eui, "unit": s.unit}
            if s.location:
                ds["location"] = s.location
            ds["sampling_interval"] = s.sampling_interval
            if s.source:
                ds["source"] = s.source
            ds["calibration"] = {"offset": s.calibration.offset, "multiplier": s.calibration.multiplier}
            if s.thresholds.as_dict():
                ds["thresholds"] = s.thresholds.as_dict()
            if not s.enabled:
                ds["enabled"] = False
            meta = dict(s.metadata)
            if "alarm" in meta:
                ds["alarm"] = meta.pop("alarm")
            if meta:
                ds["metadata"] = meta
            sensors.append(ds)
        dm["sensors"] = sensors
        mills.append(dm)
    return {"schema_version": plant.schema_version, "mills": mills}
