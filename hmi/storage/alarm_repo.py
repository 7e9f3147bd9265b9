"""Alarm occurrences (the `alerts` table) and their journal, shared by every workstation.

The database row is the truth: every writer (the evaluating collector or app, and any operator's
workstation acknowledging or shelving) updates a row only if its `version` is the one it read, so
concurrent changes are never lost; a loser reloads and applies its event again.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from hmi.core.alarms import Alarm, AlarmKey, AlarmState, JournalEntry
from hmi.core.domain import Severity
from hmi.storage.schema import AlertJournalRow, AlertRow, MillRow, SensorRow

ALERTS = AlertRow.__table__
JOURNAL = AlertJournalRow.__table__


class VersionConflict(RuntimeError):
    """Someone else changed the alarm since it was read: reload and apply the event again."""


def _dt(t: float | None) -> datetime | None:
    return None if t is None else datetime.fromtimestamp(t, UTC)


def alarm_to_record(a: Alarm) -> dict[str, Any]:
    d = dataclasses.asdict(a)
    d["key"] = str(a.key)
    d["priority"] = a.priority.value
    d["state"] = a.state.value
    return d


def alarm_from_record(d: dict[str, Any]) -> Alarm:
    fields = dict(d)
    fields["key"] = AlarmKey.parse(fields["key"])
    fields["priority"] = Severity(fields["priority"])
    fields["state"] = AlarmState(fields["state"])
    known = {f.name for f in dataclasses.fields(Alarm)}
    return Alarm(**{k: v for k, v in fields.items() if k in known})


def _title(a: Alarm, sensor_name: str) -> str:
    what = sensor_name or a.mill
    return f"{what}: {a.kind.label}"


def _columns(a: Alarm, mill_id: int, sensor_id: int | None, sensor_name: str) -> dict[str, Any]:
    acked = a.acked_at is not None
    return {
        "mill_id": mill_id,
        "sensor_id": sensor_id,
        "severity": a.priority.value,
        "kind": a.kind.value,
        "title": _title(a, sensor_name),
        "message": a.description,
        "state": a.state.value,
        "value": a.value,
        "acknowledged": acked,
        "acknowledged_by": a.acked_by or None,
        "acknowledged_at": _dt(a.acked_at),
        "created_at": _dt(a.raised_at) or datetime.now(UTC),
        "cleared_at": _dt(a.cleared_at),
        "alarm_key": str(a.key),
        "occurrence": a.occurrence,
        "record": alarm_to_record(a),
        "announced": a.announced,
        "updated_at": datetime.now(UTC),
    }


class AlarmStore:
    """Reads and writes alarm occurrences; resolves mill slugs and sensor EUIs to row ids once."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with engine.connect() as c:
            self._mills = {r.slug: r.id for r in c.execute(select(MillRow.__table__.c.slug, MillRow.__table__.c.id))}
            s = SensorRow.__table__
            self._sensors = {r.eui: (r.id, r.name) for r in c.execute(select(s.c.eui, s.c.id, s.c.name))}

    def write(
        self,
        conn: Connection,
        alarm: Alarm,
        entries: list[JournalEntry] | tuple[JournalEntry, ...],
        expected_version: int | None,
    ) -> int:
        """Insert or update the occurrence; `expected_version` None means "must be new". Returns the
        new version; raises VersionConflict when the row changed (or appeared) since it was read."""
        mill_id = self._mills.get(alarm.mill)
        if mill_id is None:
            raise KeyError(f"unknown mill {alarm.mill!r}")
        sid, sname = self._sensors.get(alarm.key.source, (None, ""))
        values = _columns(alarm, mill_id, sid, sname)
        if conn.dialect.name == "postgresql":
            values["updated_at"] = func.clock_timestamp()  # one clock for every workstation
        row = conn.execute(
            select(ALERTS.c.id, ALERTS.c.version).where(
                ALERTS.c.alarm_key == values["alarm_key"], ALERTS.c.occurrence == alarm.occurrence
            )
        ).first()
        if row is None:
            if expected_version is not None:
                raise VersionConflict(str(alarm.key))
            alert_id = int(conn.execute(ALERTS.insert().values(version=1, **values)).inserted_primary_key[0])
            version = 1
        else:
            if expected_version != row.version:
                raise VersionConflict(str(alarm.key))
            version = row.version + 1
            res = conn.execute(
                ALERTS.update()
                .where(ALERTS.c.id == row.id, ALERTS.c.version == row.version)
                .values(version=version, **values)
            )
            if res.rowcount != 1:
                raise VersionConflict(str(alarm.key))
            alert_id = row.id
        for e in entries:
            conn.execute(
                JOURNAL.insert().values(
                    alert_id=alert_id,
                    ts=_dt(e.at),
                    mill=e.key.mill,
                    alarm_key=str(e.key),
                    occurrence=e.occurrence,
                    action=e.action.value,
                    from_state=e.from_state.value,
                    to_state=e.to_state.value,
                    priority=e.priority.value,
                    username=e.user,
                    comment=e.comment,
                    value=e.value,
                    announced=e.announced,
                )
            )
        return version

    def current(self, conn: Connection, key: AlarmKey) -> tuple[Alarm, int] | None:
        """The latest occurrence of `key` and its version."""
        row = conn.execute(
            select(ALERTS.c.record, ALERTS.c.version)
            .where(ALERTS.c.alarm_key == str(key))
            .order_by(ALERTS.c.occurrence.desc())
            .limit(1)
        ).first()
        return None if row is None else (alarm_from_record(row.record), row.version)

    def latest_all(self) -> list[tuple[Alarm, int]]:
        """The latest occurrence of every alarm key (to restore an engine after a restart)."""
        latest = (
            select(ALERTS.c.alarm_key, func.max(ALERTS.c.occurrence).label("occ")).group_by(ALERTS.c.alarm_key)
        ).subquery()
        q = select(ALERTS.c.record, ALERTS.c.version).join(
            latest, (ALERTS.c.alarm_key == latest.c.alarm_key) & (ALERTS.c.occurrence == latest.c.occ)
        )
        with self.engine.connect() as c:
            return [(alarm_from_record(r.record), r.version) for r in c.execute(q)]

    def changed_since(self, updated_after: datetime | None, overlap: float = 2.0) -> list[tuple[Alarm, int, datetime]]:
        """Occurrences written after `updated_after` (minus an overlap for commits that were in flight):
        how other workstations' actions arrive. Callers drop versions they already have."""
        q = select(ALERTS.c.record, ALERTS.c.version, ALERTS.c.updated_at).order_by(ALERTS.c.updated_at)
        if updated_after is not None:
            q = q.where(ALERTS.c.updated_at > updated_after - timedelta(seconds=overlap))
        with self.engine.connect() as c:
            out = []
            for r in c.execute(q):
                ts = r.updated_at if r.updated_at.tzinfo else r.updated_at.replace(tzinfo=UTC)
                out.append((alarm_from_record(r.record), r.version, ts))
            return out

    def journal(self, t0: datetime, t1: datetime, mill: str | None = None) -> list[dict[str, Any]]:
        q = select(JOURNAL).where(JOURNAL.c.ts >= t0, JOURNAL.c.ts <= t1).order_by(JOURNAL.c.ts, JOURNAL.c.id)
        if mill is not None:
            q = q.where(JOURNAL.c.mill == mill)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(q)]
