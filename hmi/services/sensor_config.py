"""Plant configuration one change at a time: create, edit, deactivate mills and sensors; thresholds,
calibration, sampling interval, enable/disable; plant file import/export; a sensor's audit history.

Why a service: the configuration screens and the sensor faceplate are only views. Every change here is
- validated exactly as a plant file is (hmi.core.plant.parse_plant runs over the whole plant with the
  change spliced in: the same messages, the same field names, names and EUIs unique plant-wide, the
  threshold order, the calibration rules) and again inside the write transaction, so two consoles
  cannot both take the same name or EUI;
- permission-checked through `AuthService.require` (edit_mills for mills and imports, edit_sensors,
  edit_thresholds and edit_calibration for what changed on a sensor, export for exports; refusals are
  audited there, a stale password raises PermissionDenied with `needs_reauth`);
- audited with its before and after in the same transaction as the change; a calibration change also
  writes a versioned calibration record (hmi/storage/calibration_repo.py).

Drafts are plain dicts in the plant file's form (`{"name": ..., "thresholds": {"warning_max": 60}}`),
so a form, a file and this service speak one language. Every method does I/O: call them from a worker
thread. `check_mill` / `check_sensor` are pure: the forms use them to show problems before saving.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from hmi.core.clock import Clock, SystemClock
from hmi.core.domain import Calibration, Mill, Sensor, Thresholds, normalise_eui
from hmi.core.errors import ValidationError
from hmi.core.permissions import Action
from hmi.core.plant import (
    Plant,
    PlantError,
    PlantProblem,
    mill_where,
    parse_plant,
    plant_to_dict,
    sensor_where,
)
from hmi.core.text import Text
from hmi.services.audit_service import AuditEntry
from hmi.services.auth import AuthService, Session
from hmi.storage import mill_repo, plant_repo
from hmi.storage.audit import audit_transaction
from hmi.storage.calibration_repo import KIND_IMPORT, KIND_MANUAL, append_calibration
from hmi.storage.plant_repo import ApplyReport
from hmi.storage.schema import AuditRow

log = logging.getLogger(__name__)

Draft = Mapping[str, Any]
Progress = Callable[[float, str], None]
ChangeListener = Callable[["ConfigChange"], None]

SENSOR_FIELDS_OF = {  # which permission a changed field of a sensor needs
    "thresholds": Action.EDIT_THRESHOLDS,
    "calibration": Action.EDIT_CALIBRATION,
}


class ConfigConflict(RuntimeError):
    """The row changed on another console since it was read: reload and try again."""


@dataclass(frozen=True, slots=True)
class ConfigChange:
    """What changed, for whoever keeps a copy of the plant (ingest, screens): `kind` is "mill",
    "sensor" or "plant"; `key` the slug or EUI ("" for a whole import)."""

    kind: str
    key: str
    action: str
    sensor: Sensor | None = None
    mill: Mill | None = None


@dataclass(frozen=True, slots=True)
class ConfigSnapshot:
    """The plant as stored, with each mill's active flag (deactivated mills keep their history)."""

    plant: Plant
    active: Mapping[str, bool]


# -- validation (pure) ----------------------------------------------------------------------------------------
def mill_draft(mill: Mill) -> dict[str, Any]:
    """A mill in the plant file's form, without its sensors (what the mill form edits)."""
    doc = plant_to_dict(Plant((replace(mill, sensors=()),)))["mills"][0]
    doc.pop("sensors", None)
    return doc


def sensor_draft(sensor: Sensor) -> dict[str, Any]:
    """A sensor in the plant file's form (what the sensor form edits)."""
    mill = Mill(sensor.mill_slug, sensor.mill_slug, sensors=(sensor,))
    return dict(plant_to_dict(Plant((mill,)))["mills"][0]["sensors"][0])


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _mine(problems: list[PlantProblem], wheres: set[str]) -> list[PlantProblem]:
    return [p for p in problems if p.where in wheres]


def _parse(doc: dict[str, Any]) -> tuple[Plant | None, list[PlantProblem]]:
    try:
        return parse_plant(doc), []
    except PlantError as exc:
        return None, exc.problems


def check_mill(plant: Plant, draft: Draft, *, original: str | None = None) -> tuple[Mill | None, list[PlantProblem]]:
    """The mill `draft` would become (its sensors kept when editing `original`), and every problem with it,
    found by validating the whole plant with the draft in it (last, so duplicates are reported on it)."""
    doc = plant_to_dict(plant)
    mills = doc["mills"]
    sensors: list[Any] = []
    if original is not None:
        kept = [m for m in mills if m["slug"] == original]
        if not kept:
            return None, [PlantProblem(mill_where(original), "slug", Text("no such mill (deleted meanwhile?)"))]
        sensors = kept[0].get("sensors", [])
        mills = [m for m in mills if m["slug"] != original]
    entry = {k: v for k, v in dict(draft).items() if k != "sensors"}
    entry["sensors"] = sensors
    doc["mills"] = [*mills, entry]
    index = len(doc["mills"]) - 1
    slug = _text(entry.get("slug"))
    wheres = {f"mill {slug or index}", f"mills[{index}]"}
    extra: list[PlantProblem] = []
    if original is not None and slug and slug != original:
        extra.append(PlantProblem(mill_where(slug), "slug",
                                  Text("the slug identifies the mill (topics, history) and cannot change")))
    parsed, problems = _parse(doc)
    mine = [p for p in problems if p.where in wheres] + extra
    if mine:
        return None, mine
    if parsed is None:  # only problems elsewhere (stored rows from before a rule): judge the draft alone
        alone, alone_problems = _parse({"schema_version": 1, "mills": [entry]})
        if alone is None:
            return None, alone_problems
        return alone.mills[0], []
    return parsed.mills[-1], []


def check_sensor(plant: Plant, mill: str, draft: Draft, *,
                 original: str | None = None) -> tuple[Sensor | None, list[PlantProblem]]:
    """The sensor `draft` would become in mill `mill` (replacing the sensor with EUI `original`), and every
    problem with it: the plant file's rules, names unique in the mill and EUIs unique in the plant."""
    doc = plant_to_dict(plant)
    mills = doc["mills"]
    target = [m for m in mills if m["slug"] == mill]
    if not target:
        return None, [PlantProblem(mill_where(mill), "mill", Text("no such mill"))]
    entry = dict(target[0])
    others = [s for s in entry.get("sensors", []) if original is None or s["eui"] != original]
    if original is not None and len(others) == len(entry.get("sensors", [])):
        return None, [PlantProblem(mill_where(mill), "eui",
                                    Text("sensor {eui} is not in mill {mill}", eui=original, mill=mill))]
    sensor_doc = dict(draft)
    entry["sensors"] = [*others, sensor_doc]
    doc["mills"] = [m for m in mills if m["slug"] != mill] + [entry]
    j = len(entry["sensors"]) - 1
    name = _text(sensor_doc.get("name"))
    where_mill = f"mill {mill}"
    wheres = {f"{where_mill} / sensor {name or j}", f"{where_mill} sensors[{j}]"}
    extra: list[PlantProblem] = []
    if original is not None:
        try:
            eui = normalise_eui(_text(sensor_doc.get("eui")))
        except ValidationError:
            eui = ""
        if eui and eui != original:
            extra.append(PlantProblem(sensor_where(mill_where(mill), name or j),
                                      "eui", Text("the EUI identifies the sensor and its history and cannot change: "
                                                  "create a new sensor instead")))
    parsed, problems = _parse(doc)
    mine = [p for p in problems if p.where in wheres] + extra
    if mine:
        return None, mine
    if parsed is None:
        alone, alone_problems = _parse({"schema_version": 1, "mills": [{**entry, "sensors": [sensor_doc]}]})
        if alone is None:
            return None, _mine(alone_problems, {f"{where_mill} / sensor {name or 0}", f"{where_mill} sensors[0]"})
        return alone.mills[0].sensors[0], []
    return parsed.mills[-1].sensors[-1], []


def sensor_changes(before: Sensor, after: Sensor) -> dict[str, tuple[Any, Any]]:
    """field -> (before, after) of what differs, in the plant file's terms."""
    a, b = sensor_draft(before), sensor_draft(after)
    return {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}


def actions_for_changes(changes: Mapping[str, Any]) -> list[Action]:
    """The permissions a sensor change needs: edit_thresholds / edit_calibration for those, edit_sensors
    for anything else."""
    needed: list[Action] = []
    for fld in changes:
        act = SENSOR_FIELDS_OF.get(fld, Action.EDIT_SENSORS)
        if act not in needed:
            needed.append(act)
    return needed


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# -- the service -----------------------------------------------------------------------------------------------
class SensorConfigService:
    """Configuration changes for the screens; shares the AuthService's clock, audit key and head log."""

    def __init__(self, auth: AuthService, *, engine: Engine | None = None, clock: Clock | None = None,
                 on_calibration: Callable[[str, Calibration], None] | None = None) -> None:
        self.auth = auth
        self.engine = engine if engine is not None else auth.engine
        self.clock: Clock = clock or auth.clock or SystemClock()
        self.on_calibration = on_calibration
        self._listeners: list[ChangeListener] = []

    # -- listeners ---------------------------------------------------------------------------------------
    def add_listener(self, listener: ChangeListener) -> None:
        """`listener(change)` after each committed change (on the calling, i.e. worker, thread)."""
        self._listeners.append(listener)

    def _changed(self, change: ConfigChange) -> None:
        for fn in list(self._listeners):
            try:
                fn(change)
            except Exception:
                log.exception("configuration listener failed for %s %s", change.kind, change.key)

    # -- reading -----------------------------------------------------------------------------------------
    def snapshot(self) -> ConfigSnapshot:
        with self.engine.connect() as conn:
            plant = plant_repo.load_plant_in(conn)
            active = mill_repo.mill_activity(conn)
        return ConfigSnapshot(plant, active)

    def sensor(self, eui: str) -> Sensor | None:
        eui = eui.upper()
        for s in self.snapshot().plant.sensors():
            if s.eui == eui:
                return s
        return None

    def audit_history(self, session: Session, eui: str, limit: int = 200) -> list[AuditEntry]:
        """The audit records about one sensor (calibrations, edits, commands, refusals), newest first;
        needs `view` on its mill."""
        sensor = self._stored_sensor(eui)
        self.auth.require(session, Action.VIEW, sensor.mill_slug)
        t = AuditRow.__table__
        with self.engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.target == sensor.eui).order_by(t.c.seq.desc()).limit(limit)).all()
        return [AuditEntry(r.seq, r.ts if r.ts.tzinfo else r.ts.replace(tzinfo=UTC), r.username, r.host, r.action,
                           r.mill, r.target, _loads(r.before), _loads(r.after), r.hash) for r in rows]

    def _stored_sensor(self, eui: str) -> Sensor:
        s = self.sensor(eui)
        if s is None:
            raise KeyError(Text("no sensor with EUI {eui}", eui=eui))
        return s

    # -- mills -------------------------------------------------------------------------------------------
    def create_mill(self, session: Session, draft: Draft) -> Mill:
        self.auth.require(session, Action.EDIT_MILLS)
        now = self.clock.now()
        with audit_transaction(self.engine, self.auth.head_log) as conn:
            mill, problems = check_mill(plant_repo.load_plant_in(conn), draft)
            if mill is None:
                raise PlantError(problems)
            plant_repo.insert_mill(conn, mill, now)
            self.auth.audit(conn, actor=session.username, action="mill.create", host=session.host, mill=mill.slug,
                            target=mill.slug, after=_jsonable(mill_draft(mill)))
        self._changed(ConfigChange("mill", mill.slug, "create", mill=mill))
        return mill

    def update_mill(self, session: Session, slug: str, draft: Draft) -> Mill:
        self.auth.require(session, Action.EDIT_MILLS)
        now = self.clock.now()
        with audit_transaction(self.engine, self.auth.head_log) as conn:
            plant = plant_repo.load_plant_in(conn)
            try:
                before = plant.mill(slug)
            except KeyError:
                raise ConfigConflict(Text("mill {mill} no longer exists", mill=slug)) from None
            mill, problems = check_mill(plant, draft, original=slug)
            if mill is None:
                raise PlantError(problems)
            old, new = mill_draft(before), mill_draft(mill)
            changed = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
            if changed:
                plant_repo.update_mill(conn, mill, now)
                self.auth.audit(conn, actor=session.username, action="mill.update", host=session.host, mill=slug,
                                target=slug, before=_jsonable({k: old.get(k) for k in sorted(changed)}),
                                after=_jsonable({k: new.get(k) for k in sorted(changed)}))
        if changed:
            self._changed(ConfigChange("mill", slug, "update", mill=mill))
        return mill

    def set_mill_active(self, session: Session, slug: str, active: bool) -> bool:
        """Deactivate (False) or reactivate a mill; its sensors and history stay. Returns the previous state."""
        self.auth.require(session, Action.EDIT_MILLS)
        with audit_transaction(self.engine, self.auth.head_log) as conn:
            previous = mill_repo.set_mill_active(conn, slug, active, self.clock.now())
            if previous is None:
                raise ConfigConflict(Text("mill {mill} no longer exists", mill=slug))
            if previous != active:
                self.auth.audit(conn, actor=session.username, action="mill.activate" if active else "mill.deactivate",
                                host=session.host, mill=slug, target=slug, before={"active": previous},
                                after={"active": active})
        if previous != active:
            self._changed(ConfigChange("mill", slug, "activate" if active else "deactivate"))
        return previous

    def deactivate_mill(self, session: Session, slug: str) -> bool:
        return self.set_mill_active(session, slug, False)

    # -- sensors -----------------------------------------------------------------------------------------
    def create_sensor(self, session: Session, mill: str, draft: Draft) -> Sensor:
        """A new sensor in `mill`: edit_sensors, plus edit_thresholds / edit_calibration when it comes
        with limits or a calibration."""
        probe, _ = check_sensor(self.snapshot().plant, mill, draft)
        needed = [Action.EDIT_SENSORS]
        if probe is not None and probe.thresholds.as_dict():
            needed.append(Action.EDIT_THRESHOLDS)
        if probe is not None and probe.calibration != Calibration():
            needed.append(Action.EDIT_CALIBRATION)
        for act in needed:
            self.auth.require(session, act, mill)
        now = self.clock.now()
        with audit_transaction(self.engine, self.auth.head_log) as conn:
            sensor, problems = check_sensor(plant_repo.load_plant_in(conn), mill, draft)
            if sensor is None:
                raise PlantError(problems)
            plant_repo.insert_sensor(conn, sensor, now)
            self.auth.audit(conn, actor=session.username, action="sensor.create", host=session.host, mill=mill,
                            target=sensor.eui, after=_jsonable(sensor_draft(sensor)))
        self._changed(ConfigChange("sensor", sensor.eui, "create", sensor=sensor))
        return sensor

    def update_sensor(self, session: Session, eui: str, draft: Draft, *, reason: str = "",
                      action: str = "sensor.update") -> Sensor:
        """Store the edited sensor: the permissions of what changed are checked first; the stored row must
        still be what was read (else ConfigConflict); a calibration change writes its versioned record."""
        before = self._stored_sensor(eui)
        candidate, problems = check_sensor(self.snapshot().plant, before.mill_slug, draft, original=before.eui)
        if candidate is None:
            raise PlantError(problems)
        changes = sensor_changes(before, candidate)
        for act in actions_for_changes(changes) or [Action.EDIT_SENSORS]:
            self.auth.require(session, act, before.mill_slug)
        if not changes:
            return before
        if "calibration" in changes and not reason.strip():
            where = sensor_where(mill_where(before.mill_slug), before.name)
            raise PlantError([PlantProblem(where, "reason",
                                           Text("say why the calibration changes (kept with the calibration record)"))])
        now = self.clock.now()
        with audit_transaction(self.engine, self.auth.head_log) as conn:
            stored = plant_repo.lock_sensor(conn, before.eui)
            if stored != before:
                raise ConfigConflict(Text("sensor {sensor} was changed on another console: reload and try again",
                                          sensor=before.name))
            sensor, problems = check_sensor(plant_repo.load_plant_in(conn), before.mill_slug, draft,
                                            original=before.eui)
            if sensor is None:
                raise PlantError(problems)
            plant_repo.update_sensor(conn, sensor, now)
            after_doc: dict[str, Any] = {k: v[1] for k, v in changes.items()}
            if sensor.calibration != before.calibration:
                record = append_calibration(
                    conn, eui=sensor.eui, before=before.calibration, after=sensor.calibration,
                    username=session.username, ts=now, reason=reason, kind=KIND_MANUAL, host=session.host,
                    console=session.console)
                after_doc["calibration_version"] = record.version
            if reason:
                after_doc["reason"] = reason
            self.auth.audit(conn, actor=session.username, action=action, host=session.host, mill=sensor.mill_slug,
                            target=sensor.eui, before=_jsonable({k: v[0] for k, v in changes.items()}),
                            after=_jsonable(after_doc))
        if sensor.calibration != before.calibration and self.on_calibration is not None:
            self.on_calibration(sensor.eui, sensor.calibration)
        self._changed(ConfigChange("sensor", sensor.eui, action.split(".", 1)[-1], sensor=sensor))
        return sensor

    def _edit(self, session: Session, eui: str, action: str, reason: str = "", **fields: Any) -> Sensor:
        before = self._stored_sensor(eui)
        draft = sensor_draft(before)
        for k, v in fields.items():
            if v is None:
                draft.pop(k, None)
            else:
                draft[k] = v
        return self.update_sensor(session, eui, draft, reason=reason, action=action)

    def set_thresholds(self, session: Session, eui: str, thresholds: Thresholds | Mapping[str, Any]) -> Sensor:
        doc = thresholds.as_dict() if isinstance(thresholds, Thresholds) else dict(thresholds)
        return self._edit(session, eui, "sensor.thresholds", thresholds=doc or None)

    def set_calibration(self, session: Session, eui: str, calibration: Calibration | Mapping[str, Any],
                        reason: str) -> Sensor:
        doc = ({"offset": calibration.offset, "multiplier": calibration.multiplier}
               if isinstance(calibration, Calibration) else dict(calibration))
        return self._edit(session, eui, "sensor.calibration", reason=reason, calibration=doc)

    def set_sampling_interval(self, session: Session, eui: str, seconds: float) -> Sensor:
        return self._edit(session, eui, "sensor.sampling_interval", sampling_interval=seconds)

    def set_enabled(self, session: Session, eui: str, enabled: bool) -> Sensor:
        """Enable or disable (deactivate) a sensor: a disabled sensor is not read nor alarmed; its history stays."""
        return self._edit(session, eui, "sensor.enable" if enabled else "sensor.disable",
                          enabled=None if enabled else False)

    def deactivate_sensor(self, session: Session, eui: str) -> Sensor:
        return self.set_enabled(session, eui, False)

    # -- plant files -------------------------------------------------------------------------------------
    def import_plant(self, session: Session, path: Path, progress: Progress | None = None) -> ApplyReport:
        """Validate the whole file, then apply it in one transaction (nothing written on any problem:
        PlantError or PlantConflict list them all). Calibrations it changes get versioned records."""
        from hmi.services.plant_io import read_plant_file

        def step(fraction: float, text: str) -> None:
            if progress is not None:
                progress(fraction, text)

        self.auth.require(session, Action.EDIT_MILLS)
        step(0.05, Text("reading {file}", file=path.name))
        plant = read_plant_file(Path(path))
        step(0.35, Text("valid: {mills} mill(s), {sensors} sensor(s)",
                        mills=len(plant.mills), sensors=len(plant.sensors())))
        from hmi.services.plant_io import import_plant_schematics

        schematics = import_plant_schematics(Path(path), plant)  # checked against this plant, all or nothing
        if schematics is not None and schematics.problems:
            from hmi.core.plant import PlantError, PlantProblem

            raise PlantError([PlantProblem(Text("schematics"), p.where or p.schematic, p.message)
                              for p in schematics.problems])
        before = {s.eui: s for s in plant_repo.load_plant(self.engine).sensors()}
        step(0.5, Text("applying to the database"))
        report = plant_repo.apply_plant(self.engine, plant)
        step(0.85, Text("recording the change"))
        now = self.clock.now()
        with audit_transaction(self.engine, self.auth.head_log) as conn:
            for s in plant.sensors():
                old = before.get(s.eui)
                if old is not None and old.calibration != s.calibration:
                    append_calibration(conn, eui=s.eui, before=old.calibration, after=s.calibration,
                                       username=session.username, ts=now, reason=f"plant import {path.name}",
                                       kind=KIND_IMPORT, host=session.host, console=session.console)
            self.auth.audit(conn, actor=session.username, action="plant.import", host=session.host,
                            target=path.name[:200],
                            after={"created": report.created, "updated": report.updated,
                                   "unchanged": report.unchanged, "not_in_file": report.not_in_file})
        counts = {"created": len(report.created), "updated": len(report.updated), "unchanged": report.unchanged}
        if schematics is None:
            step(1.0, Text("{created} created, {updated} updated, {unchanged} unchanged", **counts))
        else:
            step(1.0, Text("{created} created, {updated} updated, {unchanged} unchanged, {schematics} schematic(s)",
                           schematics=len(schematics.copied), **counts))
        if report.changed:
            self._changed(ConfigChange("plant", "", "import"))
        return report

    def validate_plant_file(self, path: Path) -> Plant:
        """Validate only (nothing written, no permission needed): PlantError lists every problem."""
        from hmi.services.plant_io import read_plant_file

        return read_plant_file(Path(path))

    def export_plant(self, session: Session, path: Path) -> Plant:
        """Write the stored plant to a file that imports back unchanged; needs `export`."""
        from hmi.services.plant_io import export_plant

        self.auth.require(session, Action.EXPORT)
        plant = export_plant(self.engine, Path(path))
        self.auth.audit_alone(actor=session.username, action="plant.export", host=session.host,
                              target=Path(path).name[:200],
                              after={"mills": len(plant.mills), "sensors": len(plant.sensors())})
        return plant


def _loads(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {"_raw": text}
    return value if isinstance(value, dict) else {"_value": value}


def problems_by_field(problems: list[PlantProblem]) -> dict[str, list[str]]:
    """field -> messages, for a form that shows each problem under its field."""
    out: dict[str, list[str]] = {}
    for p in problems:
        out.setdefault(p.field, []).append(p.message)
    return out
