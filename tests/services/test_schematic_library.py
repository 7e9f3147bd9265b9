"""The schematic library: discovery in several folders, loading with problems instead of errors,
saving with a permission check, and export/import beside a plant file."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from hmi.core.domain import Role
from hmi.core.permissions import Action, PermissionDenied, Principal, check
from hmi.core.plant import Plant
from hmi.core.schematic_bindings import SchematicKind, parse_bindings
from hmi.services.schematic_library import (
    SchematicLibrary,
    default_folder,
    discover,
    export_schematics,
    import_schematics,
    save_bindings,
)
from tests.ui.demo_feed import demo_plant

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
<rect id="box" x="10" y="10" width="80" height="20" fill="none" stroke="#444"/>
<rect id="mw-value-A1B2C3D4E5F61007" x="10" y="40" width="80" height="20" fill="none"/>
</svg>"""


class TableSession:
    """A signed-in user judged by the real permission table (what auth.Session.require does)."""

    def __init__(self, role: Role, mills: frozenset[str] = frozenset({"north"})) -> None:
        self.principal = Principal("pat", role, mills)

    def require(self, action: Action | str, mill: str | None = None) -> Principal:
        decision = check(self.principal, action, mill)
        if not decision:
            raise PermissionDenied.from_decision(decision, self.principal.username)
        return self.principal


@pytest.fixture(scope="module")
def plant() -> Plant:
    return demo_plant()


def write(folder: Path, name: str, svg: str | None, bindings: str | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if svg is not None:
        (folder / f"{name}.svg").write_text(svg, encoding="utf-8")
    if bindings is not None:
        (folder / f"{name}.bindings.toml").write_text(bindings, encoding="utf-8")


def test_the_default_schematics_load_without_problems(plant: Plant) -> None:
    lib = SchematicLibrary(plant)
    names = {s.name for s in lib.schematics}
    assert {"north_overview", "north_cleaning", "south_overview", "south_cleaning"} <= names
    assert lib.all_problems() == []
    north = lib.for_mill("north")
    assert [s.kind for s in north][:1] == [SchematicKind.OVERVIEW]
    overview = lib.get("north_overview")
    assert overview is not None and overview.svg is not None
    # every demo sensor of the mill is on its overview
    assert overview.bindings.euis() == {s.eui for s in plant.mill("north").sensors}
    assert {ln.target for ln in overview.bindings.links} == {"north_cleaning"}
    south = lib.get("south_overview")
    assert south is not None and south.bindings.euis() == {s.eui for s in plant.mill("south").sensors}


def test_the_symbol_library_has_every_equipment_type() -> None:
    symbols = {p.stem for p in (default_folder() / "symbols").glob("*.svg")}
    assert {"bucket_elevator", "roller_mill", "plansifter", "purifier", "silo", "bin", "conveyor", "fan",
            "filter", "dampener", "packer"} <= symbols
    assert "symbols" not in {s.name for s in discover([default_folder()])}


def test_a_site_folder_adds_and_overrides(tmp_path: Path, plant: Plant) -> None:
    write(tmp_path, "north_overview", SVG, 'title = "Site overview"\nmill = "north"\n')
    write(tmp_path, "extra", SVG, None)
    lib = SchematicLibrary(plant, [default_folder(), tmp_path])
    assert lib.get("north_overview").title == "Site overview"  # type: ignore[union-attr]
    extra = lib.get("extra")
    assert extra is not None and extra.mill == "north"  # from the sensor bound by id alone
    assert [i.element_id for i in extra.bindings.instances] == ["mw-value-A1B2C3D4E5F61007"]


def test_bad_input_becomes_problems_and_the_rest_still_loads(
    tmp_path: Path, plant: Plant, caplog: pytest.LogCaptureFixture
) -> None:
    write(tmp_path, "nosvg", None, 'mill = "north"\n')
    write(tmp_path, "broken", "<svg><g></svg>", None)
    write(tmp_path, "badtoml", SVG, "mill = [\n")
    write(tmp_path, "unknowns", SVG, 'mill = "north"\n[[bind]]\nid = "box"\nsensor = "FFFFFFFFFFFFFFFF"\n'
          '[[bind]]\nid = "nowhere"\nsensor = "A1B2C3D4E5F61004"\n')
    with caplog.at_level(logging.WARNING, logger="hmi.services.schematic_library"):
        lib = SchematicLibrary(plant, [tmp_path, tmp_path / "missing"])
    texts = [str(p) for p in lib.all_problems()]
    assert any("missing" in t and "no such folder" in t for t in texts)
    assert any(t.startswith("nosvg: svg: missing drawing nosvg.svg") for t in texts)
    assert any(t.startswith("broken: svg: broken.svg is not a usable SVG: not well-formed XML") for t in texts)
    assert any(t.startswith("badtoml: binding file: not valid TOML") for t in texts)
    assert "unknowns: id box: unknown sensor FFFFFFFFFFFFFFFF" in texts
    assert "unknowns: id nowhere: no element with this id in the SVG" in texts
    unknowns = lib.get("unknowns")
    assert unknowns is not None and unknowns.svg is not None
    # the id-only binding in the same drawing still works
    assert [i.element_id for i in unknowns.bindings.instances] == ["mw-value-A1B2C3D4E5F61007"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "unknown sensor FFFFFFFFFFFFFFFF" in logged and "not well-formed" in logged


def test_save_bindings_checks_the_permission(tmp_path: Path, plant: Plant) -> None:
    bindings, _ = parse_bindings({"mill": "north", "bind": [{"id": "box", "sensor": "A1B2C3D4E5F61007"}]}, "x")
    target = tmp_path / "x.bindings.toml"
    with pytest.raises(PermissionDenied):
        save_bindings(target, bindings, TableSession(Role.VIEWER))
    with pytest.raises(PermissionDenied):
        save_bindings(target, bindings, TableSession(Role.TECHNICIAN, frozenset({"south"})))
    assert not target.exists()
    save_bindings(target, bindings, TableSession(Role.TECHNICIAN))
    import tomllib

    again, problems = parse_bindings(tomllib.loads(target.read_text(encoding="utf-8")), "x")
    assert problems == [] and again == bindings


def test_export_then_import_round_trip_all_or_nothing(tmp_path: Path, plant: Plant) -> None:
    out = tmp_path / "plant.schematics"
    written = export_schematics(out, [default_folder()])
    assert {p.name for p in written} >= {"north_overview.svg", "north_overview.bindings.toml"}
    site = tmp_path / "site"
    report = import_schematics(out, plant, site)
    assert report.problems == [] and "north_overview" in report.copied
    assert (site / "north_overview.bindings.toml").read_bytes() == (
        default_folder() / "north_overview.bindings.toml").read_bytes()
    # one bad file: nothing is copied
    bad = tmp_path / "bad"
    shutil.copytree(out, bad)
    (bad / "south_overview.bindings.toml").write_text('mill = "south"\n[[bind]]\nid = "raw_silo1"\n'
                                                      'sensor = "FFFFFFFFFFFFFFFF"\n', encoding="utf-8")
    site2 = tmp_path / "site2"
    report = import_schematics(bad, plant, site2)
    assert report.copied == [] and any("unknown sensor" in str(p) for p in report.problems)
    assert not site2.exists()
