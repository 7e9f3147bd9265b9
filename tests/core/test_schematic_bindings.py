"""Binding files: parsing (every problem reported, the rest kept), validation against a plant and
an SVG's ids, the file form round trip, and reading ids from SVG text. No Qt."""

from __future__ import annotations

import tomllib

import pytest

from hmi.core.plant import Plant
from hmi.core.schematic_bindings import (
    SYMBOLS,
    BindingKind,
    SchematicBindings,
    SchematicKind,
    bindings_to_dict,
    duplicate_ids,
    parse_bindings,
    validate_bindings,
)
from hmi.core.schematic_svg import SvgError, read_svg_info
from tests.ui.demo_feed import demo_plant

SILO_LEVEL = "A1B2C3D4E5F61004"
SILO_TEMP = "A1B2C3D4E5F61005"
SOUTH_EUI = "A1B2C3D4E5F62001"

GOOD = f"""
schema_version = 1
title = "Overview"
mill = "north"
kind = "overview"
order = 10

[[bind]]
id = "raw_silo1"
symbol = "silo"
sensors = {{ level = "{SILO_LEVEL}", temperature = "{SILO_TEMP.lower()}" }}

[[bind]]
id = "ti_scourer"
sensor = "A1B2C3D4E5F61007"
kinds = ["value", "state"]
label = "Bearing"

[[bind]]
id = "bar"
sensor = "A1B2C3D4E5F61009"
kind = "level"
min = 0
max = 50

[[link]]
id = "nav_detail"
target = "north_cleaning"
"""


@pytest.fixture(scope="module")
def plant() -> Plant:
    return demo_plant()


def test_parses_symbol_instances_single_bindings_and_links() -> None:
    b, problems = parse_bindings(tomllib.loads(GOOD), "north_overview")
    assert problems == []
    assert (b.title, b.mill, b.kind, b.order) == ("Overview", "north", SchematicKind.OVERVIEW, 10)
    silo, scourer, bar = b.instances
    assert silo.symbol == "silo" and silo.euis == (SILO_LEVEL, SILO_TEMP)  # EUIs normalised
    level = silo.bindings[0]
    assert level.slot == "level" and level.kinds == (BindingKind.LEVEL, BindingKind.VALUE)
    assert level.anchor_id == "raw_silo1__level"
    assert scourer.bindings[0].kinds == (BindingKind.VALUE, BindingKind.STATE)
    assert scourer.bindings[0].label == "Bearing"
    assert bar.bindings[0].level_fraction(25.0) == 0.5
    assert bar.bindings[0].level_fraction(80.0) == 1.0 and bar.bindings[0].level_fraction(None) is None
    assert [(ln.element_id, ln.target) for ln in b.links] == [("nav_detail", "north_cleaning")]


def test_every_problem_is_reported_and_good_entries_survive() -> None:
    data = {
        "schema_version": 1,
        "colour": "red",
        "bind": [
            {"id": "ok", "sensor": SILO_LEVEL},
            {"id": "ok", "sensor": SILO_TEMP},  # duplicate id
            {"id": "bad_eui", "sensor": "XYZ"},
            {"id": "k", "sensor": SILO_LEVEL, "kind": "sparkle"},
            {"id": "s", "symbol": "teapot", "sensors": {}},
            {"id": "t", "symbol": "silo", "sensors": {"spout": SILO_LEVEL, "level": SILO_LEVEL}},
            {"sensor": SILO_LEVEL},
        ],
        "link": [{"id": "nav", "target": "Not A Name"}],
    }
    b, problems = parse_bindings(data, "x")
    text = "\n".join(str(p) for p in problems)
    assert "colour: unknown key" in text
    assert "id ok: bound twice" in text
    assert "16-hex-digit EUI" in text
    assert "kind must be one of" in text
    assert "unknown symbol 'teapot'" in text
    assert "has no slot 'spout'" in text
    assert "bind[6]: id must be an SVG id" in text
    assert "target must be a schematic name" in text
    assert [i.element_id for i in b.instances] == ["ok", "t"]
    assert b.instances[0].euis == (SILO_LEVEL,)  # the first binding of a duplicate id is used
    assert b.instances[1].euis == (SILO_LEVEL,)  # the good slot of a partly bad symbol is kept


def test_validation_drops_unknown_sensors_ids_links_and_other_mills(plant: Plant) -> None:
    b, _ = parse_bindings(tomllib.loads(GOOD), "north_overview")
    extra = parse_bindings({"bind": [{"id": "ghost_id", "sensor": SILO_LEVEL},
                                     {"id": "unknown", "sensor": "FFFFFFFFFFFFFFFF"},
                                     {"id": "other", "sensor": SOUTH_EUI}]}, "n")[0]
    b = SchematicBindings(b.name, b.title, b.mill, b.kind, b.order, b.svg, b.instances + extra.instances, b.links)
    ids = ["raw_silo1", "ti_scourer", "bar", "nav_detail", "unknown", "other"]
    sensors = {s.eui: s for s in plant.sensors()}
    v = validate_bindings(b, sensors, plant.mills, ids, ["north_overview"])
    text = "\n".join(str(p) for p in v.problems)
    assert "id ghost_id: no element with this id in the SVG" in text
    assert "unknown sensor FFFFFFFFFFFFFFFF" in text
    assert f"sensor {SOUTH_EUI} (Intake conveyor motor) belongs to mill south, not north" in text
    assert "no schematic named 'north_cleaning'" in text
    assert "level bar on a level sensor" not in text  # a level on a level sensor is fine
    assert [i.element_id for i in v.bindings.instances] == ["raw_silo1", "ti_scourer", "bar"]
    assert v.bindings.links == ()
    assert v.mill == "north"


def test_the_mill_comes_from_the_sensors_when_the_file_names_none(plant: Plant) -> None:
    b, _ = parse_bindings({"bind": [{"id": "a", "sensor": SILO_LEVEL}]}, "x")
    v = validate_bindings(b, {s.eui: s for s in plant.sensors()}, plant.mills, ["a"])
    assert v.mill == "north" and v.problems == []


def test_slot_type_mismatch_is_reported_but_kept(plant: Plant) -> None:
    b, _ = parse_bindings({"bind": [{"id": "s", "symbol": "silo", "sensors": {"level": SILO_TEMP}}]}, "x")
    v = validate_bindings(b, {s.eui: s for s in plant.sensors()}, plant.mills, ["s"])
    assert any("slot level expects level, got temperature" in str(p) for p in v.problems)
    assert v.bindings.instances[0].euis == (SILO_TEMP,)


def test_implicit_bindings_from_ids() -> None:
    b = SchematicBindings("x").with_implicit(["mw-value-a1b2c3d4e5f61004", "mw-level-A1B2C3D4E5F61009",
                                              "mw-link-north_overview", "plain"])
    assert [(i.element_id, i.bindings[0].eui, i.bindings[0].kinds) for i in b.instances] == [
        ("mw-value-a1b2c3d4e5f61004", SILO_LEVEL, (BindingKind.VALUE,)),
        ("mw-level-A1B2C3D4E5F61009", "A1B2C3D4E5F61009", (BindingKind.LEVEL, BindingKind.VALUE)),
    ]
    assert [ln.target for ln in b.links] == ["north_overview"]


def test_file_form_round_trips() -> None:
    b, _ = parse_bindings(tomllib.loads(GOOD), "north_overview")
    again, problems = parse_bindings(bindings_to_dict(b), "north_overview")
    assert problems == [] and again == b


def test_every_symbol_has_slots_with_displays() -> None:
    assert {"bucket_elevator", "roller_mill", "plansifter", "purifier", "silo", "bin", "conveyor", "fan",
            "filter", "dampener", "packer"} <= set(SYMBOLS)
    for name, slots in SYMBOLS.items():
        assert slots and all(s.kinds and s.types for s in slots), name


SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape">
<defs id="defs1"><linearGradient id="g1"/></defs>
<g id="silo7" inkscape:label="Silo 7"><rect id="silo7__level-3"/><g id="inner"><rect id="x__temperature"/></g></g>
<rect id="dup"/><rect id="dup"/></svg>"""


def test_svg_ids_labels_anchors_and_duplicates() -> None:
    info = read_svg_info(SVG)
    assert info.ids == ("silo7", "silo7__level-3", "inner", "x__temperature", "dup", "dup")
    assert info.labels["silo7"] == "Silo 7"
    assert info.anchor("silo7", "level") == "silo7__level-3"  # Inkscape's renamed copy is found
    assert info.anchor("silo7", "temperature") == "x__temperature"  # at any depth
    assert info.anchor("silo7", "humidity") is None
    assert duplicate_ids(info.ids) == ["dup"]


@pytest.mark.parametrize(
    ("data", "words"),
    [(b"", "empty"), (b"<svg><g></svg>", "not well-formed"), (b"<html/>", "not <svg>"),
     (b'<!DOCTYPE x [<!ENTITY a "b">]><svg/>', "entity")],
)
def test_unusable_svgs_are_refused_with_a_reason(data: bytes, words: str) -> None:
    with pytest.raises(SvgError, match=words):
        read_svg_info(data)
