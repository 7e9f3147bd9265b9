"""Plant (mills and sensors) in the database: load it, and apply a validated plant idempotently.

Applying matches mills by slug and sensors by EUI, so running the same import twice changes
nothing; everything happens in one transaction, so a conflict found half-way writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select

from hmi.core.domain import Calibration, Mill, MillStatus, Sensor, SensorType, Thresholds
from hmi.core.plant import Plant, PlantProblem, mill_where, sensor_where
from hmi.core.text import Text
from hmi.storage.schema import MillRow, SensorRow

MILL_FIELDS = (
    "name", "location", "latitude", "longitude", "capacity", "status", "estop_mqtt", "estop_modbus", "estop_coast_down",
)
SENSOR_FIELDS = (
    "mill_id", "name", "type", "unit", "location", "sampling_interval", "source", "warning_min", "warning_max",
    "critical_min", "critical_max", "cal_offset", "cal_multiplier", "enabled", "metadata",
)


@dataclass
class ApplyReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class PlantConflict(ValueError):
    def __init__(self, problems: list[PlantProblem]) -> None:
        first = problems[0]
        super().__init__(Text("{n} conflict(s) with the database; first: {first}", n=len(problems),
                              first=Text("{where}: {field}: {message}", where=first.where, field=first.field,
                                         message=first.message)))
        self.problems = problems


def _mill_values(m: Mill) -> dict[str, object]:
    return {
        "name": m.name, "location": m.location, "latitude": m.latitude, "longitude": m.longitude,
        "capacity": m.capacity, "status": m.status.value, "estop_mqtt": m.estop_mqtt, "estop_modbus": m.estop_modbus,
        "estop_coast_down": m.estop_coast_down,
    }


def _sensor_values(s: Sensor, mill_id: int) -> dict[str, object]:
    return {
        "mill_id": mill_id, "name": s.name, "type": s.type.value, "unit": s.unit, "location": s.location,
        "sampling_interval": s.sampling_interval, "source": s.source,
        "warning_min": s.thresholds.warning_min, "warning_max": s.thresholds.warning_max,
        "critical_min": s.thresholds.critical_min, "critical_max": s.thresholds.critical_max,
        "cal_offset": s.calibration.offset, "cal_multiplier": s.calibration.multiplier,
        "enabled": s.enabled, "metadata": dict(s.metadata),
    }


def apply_plant(engine: Engine, plant: Plant) -> ApplyReport:
    """Create or update every mill and sensor of `plant` in one transaction."""
    report = ApplyReport()
    now = datetime.now(UTC)
    mills_t, sensors_t = MillRow.__table__, SensorRow.__table__
    with engine.begin() as conn:
        existing_mills = {r.slug: r for r in conn.execute(select(mills_t))}
        existing_sensors = {r.eui: r for r in conn.execute(select(sensors_t))}
        _check_conflicts(conn, plant, existing_mills, existing_sensors)
        mill_ids: dict[str, int] = {}
        for m in plant.mills:
            values = _mill_values(m)
            row = existing_mills.get(m.slug)
            if row is None:
                res = conn.execute(mills_t.insert().values(slug=m.slug, active=True, updated_at=now, **values))
                mill_ids[m.slug] = int(res.inserted_primary_key[0])  # type: ignore[index]
                report.created.append(f"mill {m.slug}")
            else:
                mill_ids[m.slug] = row.id
                if any(getattr(row, k) != v for k, v in values.items()):
                    conn.execute(mills_t.update().where(mills_t.c.id == row.id).values(updated_at=now, **values))
                    report.updated.append(f"mill {m.slug}")
                else:
                    report.unchanged += 1
        for m in plant.mills:
            for s in m.sensors:
                values = _sensor_values(s, mill_ids[m.slug])
                row = existing_sensors.get(s.eui)
                if row is None:
                    conn.execute(sensors_t.insert().values(eui=s.eui, updated_at=now, **values))
                    report.created.append(f"sensor {s.eui}")
                elif any(getattr(row, k) != v for k, v in values.items()):
                    conn.execute(sensors_t.update().where(sensors_t.c.id == row.id).values(updated_at=now, **values))
                    report.updated.append(f"sensor {s.eui}")
                else:
                    report.unchanged += 1
        in_file = {s.eui for s in plant.sensors()}
        report.not_in_file = sorted(set(existing_sensors) - in_file)
    return report


def _check_conflicts(conn: Connection, plant: Plant, mills: dict, sensors: dict) -> None:  # type: ignore[type-arg]
    """Uniqueness the file alone cannot see: names already used by other rows in the database."""
    problems: list[PlantProblem] = []
    names = {r.name.lower(): slug for slug, r in mills.items()}
    for m in plant.mills:
        owner = names.get(m.name.lower())
        if owner is not None and owner != m.slug:
            problems.append(PlantProblem(mill_where(m.slug), "name",
                                         Text("name {name!r} is used by mill {owner!r}", name=m.name, owner=owner)))
    by_mill_name = {(r.mill_id, r.name.lower()): eui for eui, r in sensors.items()}
    slug_ids = {slug: r.id for slug, r in mills.items()}
    for m in plant.mills:
        mid = slug_ids.get(m.slug)
        for s in m.sensors:
            owner = by_mill_name.get((mid, s.name.lower())) if mid is not None else None
            if owner is not None and owner != s.eui and owner not in {x.eui for x in m.sensors if x is not s}:
                problems.append(
                    PlantProblem(sensor_where(mill_where(m.slug), s.name), "name",
                                 Text("name is used by sensor {owner}", owner=owner))
                )
    if problems:
        raise PlantConflict(problems)


def _sensor_from_row(r: object, slug: str) -> Sensor:
    return Sensor(
        mill_slug=slug,
        name=r.name,  # type: ignore[attr-defined]
        type=SensorType(r.type),  # type: ignore[attr-defined]
        eui=r.eui,  # type: ignore[attr-defined]
        unit=r.unit,  # type: ignore[attr-defined]
        location=r.location,  # type: ignore[attr-defined]
        sampling_interval=r.sampling_interval,  # type: ignore[attr-defined]
        source=r.source,  # type: ignore[attr-defined]
        thresholds=Thresholds(r.warning_min, r.warning_max, r.critical_min, r.critical_max),  # type: ignore[attr-defined]
        calibration=Calibration(r.cal_offset, r.cal_multiplier),  # type: ignore[attr-defined]
        enabled=r.enabled,  # type: ignore[attr-defined]
        metadata=dict(r.metadata or {}),  # type: ignore[attr-defined]
    )


def load_plant(engine: Engine) -> Plant:
    mills_t, sensors_t = MillRow.__table__, SensorRow.__table__
    with engine.connect() as conn:
        mill_rows = conn.execute(select(mills_t).order_by(mills_t.c.id)).all()
        sensor_rows = conn.execute(select(sensors_t).order_by(sensors_t.c.id)).all()
    slugs = {r.id: r.slug for r in mill_rows}
    by_mill: dict[int, list[Sensor]] = {}
    for r in sensor_rows:
        by_mill.setdefault(r.mill_id, []).append(_sensor_from_row(r, slugs[r.mill_id]))
    mills = tuple(
        Mill(
            slug=r.slug, name=r.name, location=r.location, latitude=r.latitude, longitude=r.longitude,
            capacity=r.capacity, status=MillStatus(r.status), sensors=tuple(by_mill.get(r.id, [])),
            estop_mqtt=r.estop_mqtt, estop_modbus=r.estop_modbus, estop_coast_down=float(r.estop_coast_down),
        )
        for r in mill_rows
    )
    return Plant(mills=mills)


def sensor_ids(engine: Engine) -> dict[str, int]:
    """EUI -> database id, for the history writer."""
    t = SensorRow.__table__
    with engine.connect() as conn:
        return {r.eui: r.id for r in conn.execute(select(t.c.eui, t.c.id))}


# -- one mill or sensor at a time (the configuration screens: hmi/services/sensor_config.py) -----------------
def load_plant_in(conn: Connection) -> Plant:
    """As `load_plant`, inside the caller's transaction (validation and the write see the same rows)."""
    mills_t, sensors_t = MillRow.__table__, SensorRow.__table__
    mill_rows = conn.execute(select(mills_t).order_by(mills_t.c.id)).all()
    sensor_rows = conn.execute(select(sensors_t).order_by(sensors_t.c.id)).all()
    slugs = {r.id: r.slug for r in mill_rows}
    by_mill: dict[int, list[Sensor]] = {}
    for r in sensor_rows:
        by_mill.setdefault(r.mill_id, []).append(_sensor_from_row(r, slugs[r.mill_id]))
    return Plant(mills=tuple(
        Mill(
            slug=r.slug, name=r.name, location=r.location, latitude=r.latitude, longitude=r.longitude,
            capacity=r.capacity, status=MillStatus(r.status), sensors=tuple(by_mill.get(r.id, [])),
            estop_mqtt=r.estop_mqtt, estop_modbus=r.estop_modbus,
        )
        for r in mill_rows
    ))


def insert_mill(conn: Connection, mill: Mill, now: datetime | None = None) -> int:
    """A new mill (active) without sensors; returns its id."""
    res = conn.execute(MillRow.__table__.insert().values(
        slug=mill.slug, active=True, updated_at=now or datetime.now(UTC), **_mill_values(mill)))
    return int(res.inserted_primary_key[0])  # type: ignore[index]


def update_mill(conn: Connection, mill: Mill, now: datetime | None = None) -> bool:
    """Store a mill's fields (matched by slug; its sensors are left alone); False when unknown."""
    t = MillRow.__table__
    res = conn.execute(t.update().where(t.c.slug == mill.slug).values(
        updated_at=now or datetime.now(UTC), **_mill_values(mill)))
    return bool(res.rowcount)


def insert_sensor(conn: Connection, sensor: Sensor, now: datetime | None = None) -> int:
    """A new sensor of an existing mill (`sensor.mill_slug`); returns its id. KeyError for an unknown mill."""
    mills_t = MillRow.__table__
    mill_id = conn.execute(select(mills_t.c.id).where(mills_t.c.slug == sensor.mill_slug)).scalar_one_or_none()
    if mill_id is None:
        raise KeyError(sensor.mill_slug)
    res = conn.execute(SensorRow.__table__.insert().values(
        eui=sensor.eui, updated_at=now or datetime.now(UTC), **_sensor_values(sensor, mill_id)))
    return int(res.inserted_primary_key[0])  # type: ignore[index]


def update_sensor(conn: Connection, sensor: Sensor, now: datetime | None = None) -> bool:
    """Store a sensor's fields (matched by EUI; it stays in its mill); False when unknown."""
    t = SensorRow.__table__
    row = conn.execute(select(t.c.id, t.c.mill_id).where(t.c.eui == sensor.eui)).first()
    if row is None:
        return False
    values = _sensor_values(sensor, row.mill_id)
    conn.execute(t.update().where(t.c.id == row.id).values(updated_at=now or datetime.now(UTC), **values))
    return True


def lock_sensor(conn: Connection, eui: str) -> Sensor | None:
    """The stored sensor, its row locked until the transaction ends (PostgreSQL; SQLite serialises writers)."""
    sensors_t, mills_t = SensorRow.__table__, MillRow.__table__
    row = conn.execute(select(sensors_t).where(sensors_t.c.eui == eui).with_for_update()).first()
    if row is None:
        return None
    slug = conn.execute(select(mills_t.c.slug).where(mills_t.c.id == row.mill_id)).scalar_one()
    return _sensor_from_row(row, slug)
