"""Versioned calibration records: every change of a sensor's calibration, kept for good.

Each record carries who, when, why, the calibration before and after and, for a calibration against
a reference, the raw value, the reference and the reading it corrected. Versions count per sensor
from 1 without gaps; `append_calibration` is written in the caller's transaction, so the sensor's
new calibration, its record and its audit record commit together or not at all.

Readings store their raw value beside the calibrated one: with `calibration_in_force` a stored
history can be re-derived under the calibration of any moment (`rederive`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, func, select

from hmi.core.domain import Calibration
from hmi.storage.schema import CalibrationRecordRow, SensorRow

KIND_REFERENCE = "reference"  # calibrated against a reference value (the calibrate command)
KIND_MANUAL = "manual"  # offset/multiplier typed in the sensor configuration
KIND_IMPORT = "import"  # changed by a plant file import

_T = cast(Table, CalibrationRecordRow.__table__)
_S = cast(Table, SensorRow.__table__)


@dataclass(frozen=True, slots=True)
class CalibrationRecord:
    eui: str
    version: int
    ts: datetime
    username: str
    before: Calibration
    after: Calibration
    reason: str = ""
    kind: str = KIND_REFERENCE
    host: str = ""
    console: str = ""
    raw_value: float | None = None
    reference: float | None = None
    reading_before: float | None = None
    command_id: str = ""

    @property
    def correction(self) -> float:
        """How much the offset moved."""
        return self.after.offset - self.before.offset


class UnknownSensor(LookupError):
    """No sensor with that EUI in the database."""


def _utc(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def _record(r: Any) -> CalibrationRecord:
    return CalibrationRecord(
        eui=r.eui, version=int(r.version), ts=_utc(r.ts), username=r.username,
        before=Calibration(r.before_offset, r.before_multiplier), after=Calibration(r.after_offset, r.after_multiplier),
        reason=r.reason, kind=r.kind, host=r.host, console=r.console, raw_value=r.raw_value, reference=r.reference,
        reading_before=r.reading_before, command_id=r.command_id,
    )


def append_calibration(
    conn: Connection,
    *,
    eui: str,
    before: Calibration,
    after: Calibration,
    username: str,
    ts: datetime | None = None,
    reason: str = "",
    kind: str = KIND_REFERENCE,
    host: str = "",
    console: str = "",
    raw_value: float | None = None,
    reference: float | None = None,
    reading_before: float | None = None,
    command_id: str = "",
) -> CalibrationRecord:
    """Append the next version for `eui` in `conn`'s transaction (the caller commits).

    Two writers on a shared database cannot take the same version: (sensor, version) is unique, so the
    second one's transaction fails rather than overwrite; callers lock the sensor row first."""
    sensor_id = conn.execute(select(_S.c.id).where(_S.c.eui == eui)).scalar_one_or_none()
    if sensor_id is None:
        raise UnknownSensor(f"no sensor with EUI {eui}")
    last = conn.execute(select(func.max(_T.c.version)).where(_T.c.sensor_id == sensor_id)).scalar()
    values = {
        "sensor_id": sensor_id, "eui": eui, "version": int(last or 0) + 1, "ts": _utc(ts or datetime.now(UTC)),
        "username": username[:64], "host": host[:200], "console": console[:200], "kind": kind[:16], "reason": reason,
        "before_offset": before.offset, "before_multiplier": before.multiplier,
        "after_offset": after.offset, "after_multiplier": after.multiplier,
        "raw_value": raw_value, "reference": reference, "reading_before": reading_before,
        "command_id": command_id[:64],
    }
    conn.execute(_T.insert().values(**values))
    return CalibrationRecord(
        eui=eui, version=values["version"], ts=values["ts"], username=values["username"], before=before, after=after,
        reason=reason, kind=values["kind"], host=values["host"], console=values["console"], raw_value=raw_value,
        reference=reference, reading_before=reading_before, command_id=values["command_id"],
    )


def _history_stmt(eui: str, limit: int | None) -> Any:
    stmt = select(_T).where(_T.c.eui == eui).order_by(_T.c.version.desc())
    return stmt.limit(limit) if limit is not None else stmt


def calibration_history(source: Engine | Connection, eui: str, limit: int | None = None) -> list[CalibrationRecord]:
    """The sensor's calibrations, newest version first."""
    if isinstance(source, Connection):
        return [_record(r) for r in source.execute(_history_stmt(eui, limit))]
    with source.connect() as conn:
        return [_record(r) for r in conn.execute(_history_stmt(eui, limit))]


def calibration_in_force(source: Engine | Connection, eui: str, at: datetime) -> Calibration | None:
    """The calibration the sensor had at `at` according to its records: the `after` of the last record
    made at or before `at`, else the `before` of the first record after it; None without records
    (then the sensor's calibration never changed through this application)."""
    at = _utc(at)
    done = select(_T).where(_T.c.eui == eui, _T.c.ts <= at).order_by(_T.c.version.desc()).limit(1)
    later = select(_T).where(_T.c.eui == eui, _T.c.ts > at).order_by(_T.c.version).limit(1)

    def run(conn: Connection) -> Calibration | None:
        row = conn.execute(done).first()
        if row is not None:
            return Calibration(row.after_offset, row.after_multiplier)
        row = conn.execute(later).first()
        return None if row is None else Calibration(row.before_offset, row.before_multiplier)

    if isinstance(source, Connection):
        return run(source)
    with source.connect() as conn:
        return run(conn)


def rederive(raw_value: float | None, calibration: Calibration) -> float | None:
    """A stored raw value under another calibration (None stays None)."""
    return None if raw_value is None else calibration.apply(raw_value)
