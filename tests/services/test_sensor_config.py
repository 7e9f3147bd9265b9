"""The configuration service on a real SQLite database: the plant file's validation for single changes,
uniqueness against the stored plant, permissions (refusals audited, password re-entry), audit with
before/after, calibration records, import/export."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from sqlalchemy import select

from hmi.core.domain import Calibration, Thresholds
from hmi.core.permissions import PermissionDenied
from hmi.core.plant import PlantError
from hmi.services.sensor_config import (
    ConfigConflict,
    actions_for_changes,
    check_mill,
    check_sensor,
    problems_by_field,
    sensor_draft,
)
from hmi.storage.calibration_repo import calibration_history
from hmi.storage.mill_repo import mill_activity
from hmi.storage.plant_repo import load_plant
from hmi.storage.schema import SensorRow
from tests.services import config_rig as rig_fixtures
from tests.services.config_rig import NORTH_EUI, ConfigRig, demo_plant

NEW_SENSOR = {"name": "B9 bearing", "type": "temperature", "eui": "a1:b2:c3:d4:e5:f6:99:01",
              "location": "Roller mill B9", "sampling_interval": 5,
              "thresholds": {"warning_max": 60, "critical_max": 75}}

config_db_template = rig_fixtures.config_db_template
config_rig = rig_fixtures.config_rig


# -- pure validation -------------------------------------------------------------------------------------------
def test_check_sensor_reports_the_plant_files_messages_on_the_draft() -> None:
    plant = demo_plant()
    bad = {**NEW_SENSOR, "thresholds": {"warning_min": 50, "warning_max": 40, "critical_max": 30}}
    sensor, problems = check_sensor(plant, "north", bad)
    assert sensor is None
    fields = problems_by_field(problems)
    assert "warning_min (50) must be below warning_max (40)" in fields["thresholds.warning_min"]
    assert any("critical_max (30) must not be below warning_max (40)" in m for m in fields["thresholds.critical_max"])
    existing = plant.mill("south").sensors[0]
    _, problems = check_sensor(plant, "north", {**NEW_SENSOR, "eui": existing.eui})
    assert [p.field for p in problems] == ["eui"] and "already used" in problems[0].message
    name = plant.mill("north").sensors[0].name
    _, problems = check_sensor(plant, "north", {**NEW_SENSOR, "name": name.upper()})
    assert [(p.field, p.message) for p in problems] == [("name", "duplicate sensor name in this mill")]
    _, problems = check_sensor(plant, "north", {**NEW_SENSOR, "sampling_interval": 0, "eui": "xyz"})
    assert {p.field for p in problems} == {"sampling_interval", "eui"}
    ok, problems = check_sensor(plant, "north", NEW_SENSOR)
    assert problems == [] and ok is not None and ok.eui == "A1B2C3D4E5F69901" and ok.mill_slug == "north"


def test_check_sensor_edit_keeps_its_own_name_and_refuses_a_new_eui() -> None:
    plant = demo_plant()
    s = plant.mill("north").sensors[0]
    draft = sensor_draft(s)
    same, problems = check_sensor(plant, "north", draft, original=s.eui)
    assert problems == [] and same == s
    _, problems = check_sensor(plant, "north", {**draft, "eui": "A1B2C3D4E5F69999"}, original=s.eui)
    assert [p.field for p in problems] == ["eui"] and "cannot change" in problems[0].message


def test_check_mill_reuses_the_plant_rules() -> None:
    plant = demo_plant()
    _, problems = check_mill(plant, {"slug": "North!", "name": "South Mill", "capacity": -1, "status": "busy"})
    assert {p.field for p in problems} == {"slug", "name", "capacity", "status"}
    mill, problems = check_mill(plant, {"slug": "east", "name": "East Mill", "capacity": 250})
    assert problems == [] and mill is not None and mill.capacity == 250
    north = plant.mill("north")
    mill, problems = check_mill(plant, {"slug": "north", "name": "North Mill", "capacity": 420}, original="north")
    assert problems == [] and mill is not None and mill.sensors == north.sensors


def test_permissions_per_changed_field() -> None:
    from hmi.core.permissions import Action

    assert actions_for_changes({"thresholds": 1}) == [Action.EDIT_THRESHOLDS]
    assert actions_for_changes({"calibration": 1, "name": 1}) == [Action.EDIT_CALIBRATION, Action.EDIT_SENSORS]


# -- the service ------------------------------------------------------------------------------------------------
def test_create_edit_and_disable_a_sensor_audited_with_before_and_after(config_rig: ConfigRig) -> None:
    rig = config_rig
    tom = rig.sign_in("tom")
    s = rig.service.create_sensor(tom, "north", NEW_SENSOR)
    assert s.eui == "A1B2C3D4E5F69901"
    stored = {x.eui: x for x in load_plant(rig.engine).sensors()}[s.eui]
    assert stored.thresholds == Thresholds(warning_max=60, critical_max=75)
    ((action, user, target, _before, after),) = rig.audit("sensor.create")
    assert (action, user, target, after["name"]) == ("sensor.create", "tom", s.eui, "B9 bearing")

    rig.service.set_thresholds(tom, s.eui, Thresholds(warning_min=5, warning_max=65, critical_max=80))
    ((_, _, _, before, after),) = rig.audit("sensor.thresholds")
    assert before == {"thresholds": {"warning_max": 60, "critical_max": 75}}
    assert after == {"thresholds": {"warning_min": 5, "warning_max": 65, "critical_max": 80}}

    rig.service.set_sampling_interval(tom, s.eui, 10)
    rig.service.set_enabled(tom, s.eui, False)
    assert {x.eui: x for x in load_plant(rig.engine).sensors()}[s.eui].enabled is False
    ((_, _, _, before, after),) = rig.audit("sensor.disable")
    assert before == {"enabled": None} and after == {"enabled": False}
    rig.service.set_enabled(tom, s.eui, True)
    assert {x.eui: x for x in load_plant(rig.engine).sensors()}[s.eui].enabled is True


def test_validation_blocks_saving_and_writes_nothing(config_rig: ConfigRig) -> None:
    rig = config_rig
    tom = rig.sign_in("tom")
    with pytest.raises(PlantError) as exc:
        rig.service.set_thresholds(tom, NORTH_EUI, {"warning_max": 70, "critical_max": 60})
    assert [p.field for p in exc.value.problems] == ["thresholds.critical_max"]
    taken = demo_plant().mill("south").sensors[0].eui
    with pytest.raises(PlantError) as exc:
        rig.service.create_sensor(tom, "north", {**NEW_SENSOR, "eui": taken})
    assert "already used" in exc.value.problems[0].message
    assert rig.audit("sensor.") == []
    assert load_plant(rig.engine) == demo_plant()


def test_refusals_are_audited_and_need_the_right_permission(config_rig: ConfigRig) -> None:
    rig = config_rig
    vic, ana, tom = rig.sign_in("vic"), rig.sign_in("ana"), rig.sign_in("tom")
    with pytest.raises(PermissionDenied, match="viewer vic may not edit thresholds"):
        rig.service.set_thresholds(vic, NORTH_EUI, {"warning_max": 50})
    with pytest.raises(PermissionDenied, match="operator ana may not edit sensors"):
        rig.service.set_enabled(ana, NORTH_EUI, False)
    south = demo_plant().mill("south").sensors[0].eui
    with pytest.raises(PermissionDenied, match="no access to mill south"):
        rig.service.set_thresholds(tom, south, {"warning_max": 50})
    with pytest.raises(PermissionDenied, match="may not edit mills"):
        rig.service.create_mill(tom, {"slug": "east", "name": "East"})
    refusals = rig.audit("permission.denied")
    assert [(u, a["action"]) for _, u, _, _, a in refusals] == [
        ("vic", "edit_thresholds"), ("ana", "edit_sensors"), ("tom", "edit_thresholds"), ("tom", "edit_mills")]
    # A stale password: not a refusal, the UI asks for it again.
    rig.clock.advance(301)
    with pytest.raises(PermissionDenied) as exc:
        rig.service.set_thresholds(tom, NORTH_EUI, {"warning_max": 50})
    assert exc.value.needs_reauth
    assert tom.reauthenticate("correct horse battery").ok
    assert rig.service.set_thresholds(tom, NORTH_EUI, {"warning_max": 50}).thresholds.warning_max == 50


def test_a_calibration_edit_writes_a_versioned_record_and_needs_a_reason(config_rig: ConfigRig) -> None:
    rig = config_rig
    seen: list[tuple[str, Calibration]] = []
    rig.service.on_calibration = lambda eui, cal: seen.append((eui, cal))
    tom = rig.sign_in("tom")
    with pytest.raises(PlantError) as exc:
        rig.service.set_calibration(tom, NORTH_EUI, Calibration(0.5, 1.0), reason=" ")
    assert exc.value.problems[0].field == "reason"
    with pytest.raises(PlantError) as exc:
        rig.service.set_calibration(tom, NORTH_EUI, Calibration(0.5, 0.0), reason="typo")
    assert exc.value.problems[0].field == "calibration.multiplier"
    rig.service.set_calibration(tom, NORTH_EUI, Calibration(0.5, 1.0), reason="vendor certificate")
    rig.service.set_calibration(tom, NORTH_EUI, Calibration(0.25, 1.02), reason="second certificate")
    history = calibration_history(rig.engine, NORTH_EUI)
    assert [(h.version, h.kind, h.username, h.reason) for h in history] == [
        (2, "manual", "tom", "second certificate"), (1, "manual", "tom", "vendor certificate")]
    assert history[1].before == Calibration() and history[0].after == Calibration(0.25, 1.02)
    assert seen == [(NORTH_EUI, Calibration(0.5, 1.0)), (NORTH_EUI, Calibration(0.25, 1.02))]
    t = SensorRow.__table__
    with rig.engine.connect() as c:
        assert c.execute(select(t.c.cal_multiplier).where(t.c.eui == NORTH_EUI)).scalar_one() == 1.02
    (_, _, _, before, after) = rig.audit("sensor.calibration")[-1]
    assert before["calibration"] == {"offset": 0.5, "multiplier": 1.0}
    assert after["calibration_version"] == 2 and after["reason"] == "second certificate"


def test_a_row_changed_on_another_console_is_not_overwritten(config_rig: ConfigRig) -> None:
    rig = config_rig
    tom = rig.sign_in("tom")
    before = rig.service.sensor(NORTH_EUI)
    assert before is not None
    draft = sensor_draft(before)
    t = SensorRow.__table__
    real = rig.service._stored_sensor
    rig.service._stored_sensor = lambda eui: before  # type: ignore[method-assign]  # read before the other edit
    with rig.engine.begin() as c:
        c.execute(t.update().where(t.c.eui == NORTH_EUI).values(location="moved elsewhere"))
    with pytest.raises(ConfigConflict, match="changed on another console"):
        rig.service.update_sensor(tom, NORTH_EUI, {**draft, "location": "Intake 2"})
    rig.service._stored_sensor = real  # type: ignore[method-assign]


def test_mills_create_edit_deactivate(config_rig: ConfigRig) -> None:
    rig = config_rig
    root, tom = rig.sign_in("root"), rig.sign_in("tom")
    with pytest.raises(PlantError) as exc:
        rig.service.create_mill(root, {"slug": "east", "name": "north mill"})
    assert exc.value.problems[0].field == "name" and "duplicate" in exc.value.problems[0].message
    rig.service.create_mill(root, {"slug": "east", "name": "East Mill", "capacity": 250, "location": "Ghent"})
    rig.service.update_mill(root, "east", {"slug": "east", "name": "East Mill", "capacity": 300, "location": "Ghent"})
    (_, _, _, before, after) = rig.audit("mill.update")[0]
    assert before == {"capacity": 250.0} and after == {"capacity": 300.0}
    assert rig.service.deactivate_mill(root, "east") is True
    assert mill_activity(rig.engine)["east"] is False
    assert [a for a, *_ in rig.audit("mill.")] == ["mill.create", "mill.update", "mill.deactivate"]
    with pytest.raises(PermissionDenied):
        rig.service.set_mill_active(tom, "east", True)
    rig.service.create_sensor(root, "east", {**NEW_SENSOR})
    with pytest.raises(PlantError, match="already used"):
        rig.service.create_sensor(root, "north", {**NEW_SENSOR, "name": "other"})


def test_import_lists_every_problem_and_writes_nothing_then_imports_with_progress(config_rig: ConfigRig,
                                                                                 tmp_path: Path) -> None:
    rig = config_rig
    root, tom = rig.sign_in("root"), rig.sign_in("tom")
    from hmi.core.plant import plant_to_dict

    doc = plant_to_dict(demo_plant())
    doc["mills"][0]["sensors"][0]["thresholds"] = {"warning_max": 10, "critical_max": 5}
    doc["mills"][0]["sensors"][1]["eui"] = "nothex"
    bad = tmp_path / "bad.toml"
    bad.write_text(tomli_w.dumps(doc))
    with pytest.raises(PlantError) as exc:
        rig.service.import_plant(root, bad)
    assert len(exc.value.problems) == 2
    with pytest.raises(PermissionDenied):
        rig.service.import_plant(tom, bad)
    good_doc = plant_to_dict(demo_plant())
    good_doc["mills"][0]["sensors"][0]["calibration"] = {"offset": 0.3, "multiplier": 1.0}
    good = tmp_path / "good.toml"
    good.write_text(tomli_w.dumps(good_doc))
    steps: list[tuple[float, str]] = []
    report = rig.service.import_plant(root, good, lambda f, t: steps.append((f, t)))
    assert report.updated == [f"sensor {NORTH_EUI}"]
    assert [f for f, _ in steps] == sorted(f for f, _ in steps) and steps[-1][0] == 1.0
    (rec,) = calibration_history(rig.engine, NORTH_EUI)
    assert rec.kind == "import" and rec.after.offset == 0.3
    assert rig.audit("plant.import")[0][4]["updated"] == [f"sensor {NORTH_EUI}"]
    out = tmp_path / "export.toml"
    with pytest.raises(PermissionDenied):
        rig.service.export_plant(tom, out)
    rig.service.export_plant(root, out)
    assert rig.service.validate_plant_file(out) == load_plant(rig.engine)


def test_audit_history_of_one_sensor(config_rig: ConfigRig) -> None:
    rig = config_rig
    tom, vic = rig.sign_in("tom"), rig.sign_in("vic")
    rig.service.set_thresholds(tom, NORTH_EUI, {"warning_max": 50, "critical_max": 70})
    rig.service.set_sampling_interval(tom, NORTH_EUI, 4)
    entries = rig.service.audit_history(vic, NORTH_EUI)
    assert [e.action for e in entries] == ["sensor.sampling_interval", "sensor.thresholds"]
    assert entries[0].before == {"sampling_interval": 2.0} and entries[0].after == {"sampling_interval": 4}
    south = demo_plant().mill("south").sensors[0].eui
    with pytest.raises(PermissionDenied):
        rig.service.audit_history(vic, south)
