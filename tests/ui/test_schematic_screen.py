"""The Schematics screen: mill and schematic selection, navigation links, mill status and e-stop on
the drawing, the problems strip for bad input, and a screenshot of every default schematic."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from hmi.core.domain import MillStatus
from hmi.core.plant import Plant
from hmi.services.schematic_library import SchematicLibrary, default_folder
from hmi.ui.schematic_screen import SchematicScreen
from hmi.ui.schematic_view import FrameItem, ValueItem
from tests.ui.schematic_samples import NOW, eui_of, live_alarms, live_values

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200">
<rect x="0" y="0" width="400" height="200" fill="#e3e3e3"/>
<rect id="box" x="20" y="20" width="100" height="22" fill="none"/>
<rect id="mw-value-A1B2C3D4E5F61007" x="20" y="60" width="100" height="22" fill="none"/>
</svg>"""


def make(qtbot, plant: Plant, folders: list[Path] | None = None) -> SchematicScreen:  # type: ignore[no-untyped-def]
    """The screen in a plain host window (as in the main window's stack), 1600 x 900."""
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(1600, 900)
    screen = SchematicScreen(plant, folders, host, now=lambda: NOW)
    screen.setGeometry(0, 0, 1600, 900)
    host.show()
    qtbot.waitExposed(host)
    screen.host_window = host  # type: ignore[attr-defined] - keeps the Python wrapper (and window) alive
    return screen


def test_mills_tabs_and_navigation_links(qtbot, plant: Plant, themed_app) -> None:  # type: ignore[no-untyped-def]
    screen = make(qtbot, plant)
    assert screen.current_name() == "north_overview"
    assert [b.text() for b in screen.tabs.buttons()] == ["Overview", "Cleaning house"]
    link = screen.view.links[0]
    with qtbot.waitSignal(screen.schematicChanged) as changed:
        qtbot.mouseClick(screen.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=screen.view.mapFromScene(link.rect.center()))
    assert changed.args == ["north_cleaning"] and screen.tabs.checkedButton().text() == "Cleaning house"
    screen.show_schematic("north_overview")
    screen.mill_box.setCurrentIndex(screen.mill_box.findData("south"))
    assert screen.mill == "south" and screen.current_name() == "south_overview"
    # values that arrived while another schematic was shown are there when it opens
    screen.on_values(live_values(plant))
    screen.show_schematic("north_overview")
    b1 = eui_of(plant, "north", "B1 roller bearing")
    item = next(i for i in screen.view.overlay_items() if isinstance(i, ValueItem) and i.eui == b1)
    assert item.text == "78.4"
    assert screen.problems() == [] and not screen.problems_label.isVisible()


def test_status_and_estop_on_the_drawing_and_click_opens_the_faceplate(qtbot, plant: Plant, themed_app) -> None:  # type: ignore[no-untyped-def]
    screen = make(qtbot, plant)
    screen.set_mill_status("north", MillStatus.MAINTENANCE)
    screen.set_estop_state("north", "Mill stopped (confirmed by MQTT)", latched=True)
    assert screen.view.status_item is not None and screen.view.status_item.text == "Maintenance"
    assert screen.view.estop_item is not None and screen.view.estop_item.text.startswith("Mill stopped")
    assert screen.view.estop_item.look == "latched"
    screen.set_estop_state("north", "NOT CONFIRMED: use the hardwired e-stop / local stop", alarming=True)
    assert screen.view.estop_item.look == "alarm"
    screen.set_estop_state("south", "Ready")  # another mill: this drawing is unchanged
    assert screen.view.estop_item.look == "alarm"
    assert not screen.estop_label.isVisible()  # the drawing has a place for it
    eui = eui_of(plant, "north", "Scourer bearing")
    item = next(i for i in screen.view.overlay_items() if isinstance(i, ValueItem) and i.eui == eui)
    with qtbot.waitSignal(screen.sensorActivated) as activated:
        qtbot.mouseClick(screen.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=screen.view.mapFromScene(item.rect.center()))
    assert activated.args == [eui]


def test_bad_input_is_listed_and_the_rest_works(qtbot, plant: Plant, tmp_path: Path, themed_app,  # type: ignore[no-untyped-def]
                                                caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "north_bad.svg").write_text("<svg><g></svg>", encoding="utf-8")
    (tmp_path / "north_bad.bindings.toml").write_text('mill = "north"\ntitle = "Broken"\n', encoding="utf-8")
    (tmp_path / "north_partly.svg").write_text(SVG, encoding="utf-8")
    (tmp_path / "north_partly.bindings.toml").write_text(
        'mill = "north"\ntitle = "Partly"\n[[bind]]\nid = "box"\nsensor = "FFFFFFFFFFFFFFFF"\n'
        '[[bind]]\nid = "ghost"\nsensor = "A1B2C3D4E5F61004"\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        screen = make(qtbot, plant, [default_folder(), tmp_path])
    assert "unknown sensor FFFFFFFFFFFFFFFF" in caplog.text
    assert screen.show_schematic("north_partly")
    text = screen.problems_label.text()
    assert screen.problems_label.isVisible()
    assert "unknown sensor FFFFFFFFFFFFFFFF" in text and "no element with this id in the SVG" in text
    # the id-only binding of the same drawing still shows its value
    eui = "A1B2C3D4E5F61007"
    screen.on_values(live_values(plant))
    item = next(i for i in screen.view.overlay_items() if isinstance(i, ValueItem))
    assert item.eui == eui and item.text != "\u2014"
    assert screen.show_schematic("north_bad")
    assert "not a usable SVG: not well-formed XML" in screen.problems_label.text()
    assert screen.view.drawing is None and screen.view.overlay_items() == []
    screen.on_values(live_values(plant))  # nothing to show, nothing breaks
    assert not screen.show_schematic("no_such_schematic")
    assert "no schematic named 'no_such_schematic'" in screen.problems_label.text()
    assert screen.show_schematic("north_overview") and screen.view.drawing is not None


def test_screenshot_of_every_default_schematic(qtbot, plant: Plant, themed_app, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    screen = make(qtbot, plant)
    screen.on_values(live_values(plant))
    screen.on_alarms(live_alarms(plant))
    for m in plant.mills:
        screen.set_mill_status(m.slug, MillStatus.ACTIVE)
        screen.set_estop_state(m.slug, "Ready")
    names = [s.name for s in SchematicLibrary(plant).schematics]
    assert len(names) >= 4
    # the banner's blink phase reaches the drawing: the unacknowledged alarm's indicators blink
    screen.set_blink(False)
    blinking = screen.view.blinking_items()
    assert blinking and all(isinstance(i, ValueItem | FrameItem) for i in blinking)
    assert all(i.indicator.look[1] is False for i in blinking)
    screen.set_blink(True)  # the screenshots show the "on" phase
    for name in names:
        assert screen.show_schematic(name)
        qtbot.wait(20)
        image = screen.grab().toImage()
        path = artifacts_dir / f"schematic_{name}.png"
        assert image.save(str(path))
        assert image.width() == 1600 and image.height() == 900
        # not blank: the drawing and its overlays put many distinct colours on screen
        colours = {image.pixel(x, y) for x in range(0, 1600, 23) for y in range(0, 900, 19)}
        assert len(colours) > 12, name
