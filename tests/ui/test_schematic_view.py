"""The schematic view: overlays per binding, hover tooltips, clicks, pan and zoom, and that a
refresh touches only what changed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from hmi.core.alarms import Alarm, AlarmState
from hmi.core.domain import Quality, Reading
from hmi.core.plant import Plant
from hmi.core.schematic_style import ElementState
from hmi.services.schematic_library import SchematicLibrary
from hmi.ui.schematic_view import FrameItem, LevelItem, LinkItem, RunningItem, SchematicView, ValueItem
from tests.ui.schematic_samples import NOW, eui_of, live_alarms, live_values


@pytest.fixture
def view(qtbot, plant: Plant) -> Iterator[SchematicView]:  # type: ignore[no-untyped-def]
    v = SchematicView(plant, now=lambda: NOW)
    qtbot.addWidget(v)
    v.resize(1600, 900)
    schematic = SchematicLibrary(plant).get("north_overview")
    assert schematic is not None
    assert v.load(schematic) == []
    v.show()
    qtbot.waitExposed(v)
    yield v


def value_item(view: SchematicView, eui: str) -> ValueItem:
    return next(i for i in view.overlay_items() if isinstance(i, ValueItem) and i.eui == eui)


def viewport_point(view: SchematicView, item: ValueItem) -> QPoint:
    return view.mapFromScene(item.rect.center())


def test_overlays_are_built_for_symbols_links_and_the_status_places(view: SchematicView, plant: Plant) -> None:
    items = view.overlay_items()
    assert view.bound_euis() == {s.eui for s in plant.mill("north").sensors}
    assert sum(isinstance(i, LevelItem) for i in items) == 4  # raw silos 1, 2, tempering bin 1, flour silo A
    assert sum(isinstance(i, RunningItem) for i in items) == 3  # intake conveyor, B1, plansifter 1
    assert [i.target for i in items if isinstance(i, LinkItem)] == ["north_cleaning"]
    assert view.status_item is not None and view.estop_item is not None
    # a symbol binds several sensors at once: the raw silo shows level bar, level and temperature
    level, temp = eui_of(plant, "north", "Raw silo 1 level"), eui_of(plant, "north", "Raw silo 1 temperature")
    silo = next(i for i in items if isinstance(i, FrameItem) and level in i.euis)
    assert set(silo.euis) == {level, temp}


def test_values_states_and_refresh_touch_only_what_changed(view: SchematicView, plant: Plant) -> None:
    values = live_values(plant)
    view.on_values(values)
    view.on_alarms(live_alarms(plant))
    b1 = eui_of(plant, "north", "B1 roller bearing")
    assert value_item(view, b1).text == "78.4" and view.state_of(b1) is ElementState.CRITICAL
    assert value_item(view, b1).style.indicator == "2"
    bad = eui_of(plant, "north", "Dampener water flow")
    assert value_item(view, bad).text == "Bad" and view.state_of(bad) is ElementState.BAD
    stale = eui_of(plant, "north", "Raw silo 1 temperature")
    assert value_item(view, stale).style.stale_marker
    level = next(i for i in view.overlay_items()
                 if isinstance(i, LevelItem) and i.eui == eui_of(plant, "north", "Flour silo A level"))
    assert level.fraction is not None and 0 < level.fraction < 1
    # the same readings again: nothing repainted; one changed value: only its overlays
    assert view.on_values(values) == 0
    silo = eui_of(plant, "north", "Raw silo 2 level")
    before = {id(i): i.repaints for i in view.overlay_items()}
    touched = view.on_values({silo: Reading(silo, NOW, 71.0)})
    changed = [i for i in view.overlay_items() if i.repaints != before[id(i)]]
    assert touched == len(changed) == 2 and {i.eui for i in changed} == {silo}  # its value text and bar
    # an acknowledged-and-cleared alarm leaves only the threshold state
    cleared = [Alarm(a.key, a.priority, AlarmState.NORMAL) for a in live_alarms(plant)]
    view.on_values({b1: Reading(b1, NOW, 40.0)})
    view.on_alarms(cleared)
    assert view.state_of(b1) is ElementState.NORMAL and not value_item(view, b1).style.indicator


def test_data_turns_stale_on_tick(view: SchematicView, plant: Plant) -> None:
    now = [NOW]
    view.now = lambda: now[0]
    eui = eui_of(plant, "north", "Scourer bearing")
    view.on_values({eui: Reading(eui, NOW, 40.0, Quality.GOOD)})
    assert view.state_of(eui) is ElementState.NORMAL
    now[0] += 60
    assert view.tick() >= 1
    assert view.state_of(eui) is ElementState.STALE and value_item(view, eui).style.italic


def test_hover_shows_name_value_quality_and_limits(qtbot, view: SchematicView, plant: Plant) -> None:  # type: ignore[no-untyped-def]
    view.on_values(live_values(plant))
    eui = eui_of(plant, "north", "B1 roller bearing")
    pos = viewport_point(view, value_item(view, eui))
    with qtbot.waitSignal(view.sensorHovered, timeout=2000) as hovered:
        qtbot.mouseMove(view.viewport(), pos)
    assert hovered.args == [eui]
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    assert view.hover_card.isVisible()
    text = view.hover_card.text()
    for words in ("B1 roller bearing", "78.4 °C", "Quality: Good", "H 60.0", "HH 75.0", "Critical"):
        assert words in text


def test_click_activates_the_sensor_and_a_drag_pans_instead(qtbot, view: SchematicView, plant: Plant) -> None:  # type: ignore[no-untyped-def]
    eui = eui_of(plant, "north", "Flour silo A humidity")
    pos = viewport_point(view, value_item(view, eui))
    with qtbot.waitSignal(view.sensorActivated, timeout=2000) as activated:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert activated.args == [eui]
    # leaving the hovered item hides the hover card
    QApplication.sendEvent(view.viewport(), QEvent(QEvent.Type.Leave))
    assert not view.hover_card.isVisible()
    view.zoom_by(3.0)
    pos = viewport_point(view, value_item(view, eui))
    h0 = view.horizontalScrollBar().value()
    got: list[str] = []
    view.sensorActivated.connect(got.append)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    to = QPointF(pos + QPoint(120, 0))
    move = QMouseEvent(QEvent.Type.MouseMove, to, view.viewport().mapToGlobal(to), Qt.MouseButton.NoButton,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), move)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=pos + QPoint(120, 0))
    assert got == [] and view.horizontalScrollBar().value() != h0


def test_wheel_zooms_and_fit_restores(view: SchematicView) -> None:
    fit = view.zoom_level()
    centre = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(centre, view.viewport().mapToGlobal(centre), QPoint(0, 0), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    view.wheelEvent(wheel)
    assert view.zoom_level() == pytest.approx(fit * 1.15**2)
    view.zoom_by(1000)
    assert view.zoom_level() <= 8.0
    view.zoom_to_fit()
    assert view.zoom_level() == pytest.approx(fit)


def test_unacknowledged_alarms_blink_with_the_shared_phase_and_stay_readable(view: SchematicView, plant: Plant) -> None:
    """ISA-18.2: only unacknowledged alarms blink, driven by the banner's one timer (`set_blink`);
    the blink changes the indicator only (outlined in the off phase), never the value or its unit."""
    view.on_values(live_values(plant))
    view.on_alarms(live_alarms(plant))  # B1 bearing: critical, unacknowledged
    b1 = eui_of(plant, "north", "B1 roller bearing")
    item = value_item(view, b1)
    frame = next(i for i in view.overlay_items() if isinstance(i, FrameItem) and b1 in i.euis)
    assert set(view.blinking_items()) == {item, frame}
    others = {id(i): i.repaints for i in view.overlay_items() if i not in (item, frame)}
    view.set_blink(False)
    assert item.indicator.look == ("2", False) and frame.indicator.look == ("2", False)
    assert item.text == "78.4" and item.unit_visible and item.style.outline == item.palette.critical
    view.set_blink(True)
    assert item.indicator.look == ("2", True) and frame.indicator.look == ("2", True)
    assert {id(i): i.repaints for i in view.overlay_items() if i not in (item, frame)} == others  # cheap
    # acknowledged: steady (filled), whatever the phase; the hover card says so
    acked = [Alarm(a.key, a.priority, AlarmState.ACK_ACTIVE, raised_at=a.raised_at) for a in live_alarms(plant)]
    view.set_blink(False)
    view.on_alarms(acked)
    assert view.blinking_items() == [] and item.indicator.look == ("2", True)
    assert frame.indicator.look == ("2", True)
    view.set_blink(True)
    view.set_blink(False)
    assert item.indicator.look == ("2", True)
    assert "Alarm: <b>" in view.tooltip_for(item) and "acknowledged" in view.tooltip_for(item)


def test_a_value_arriving_after_its_alarm_shows_its_unit(qtbot, plant: Plant) -> None:  # type: ignore[no-untyped-def]
    """The alarm can reach a freshly opened drawing before the value: the value then still gets its
    unit (a "no data" dash and "Bad" have none), whether the box's static parts are baked or not."""
    v = SchematicView(plant, now=lambda: NOW)
    qtbot.addWidget(v)
    v.resize(1600, 900)
    schematic = SchematicLibrary(plant).get("north_overview")
    assert schematic is not None
    v.load(schematic)
    values = live_values(plant)
    v.on_alarms(live_alarms(plant))
    b1 = eui_of(plant, "north", "B1 roller bearing")
    item = value_item(v, b1)
    assert item.text == "\u2014" and not item.unit_visible
    v.on_values(values)
    assert item.text == "78.4" and item.unit_visible
    assert sum(i.baked for i in v.overlay_items() if isinstance(i, ValueItem)) >= 5  # most boxes are baked
    silo = next(i for i in v.overlay_items()  # a box over a level bar keeps its own field and unit
                if isinstance(i, ValueItem) and i.eui == eui_of(plant, "north", "Raw silo 2 level"))
    assert not silo.baked and silo.unit_visible
    bad = value_item(v, eui_of(plant, "north", "Dampener water flow"))
    assert bad.text == "Bad" and not bad.unit_visible


def test_partial_repaints_leave_no_trails(qtbot, view: SchematicView, plant: Plant) -> None:  # type: ignore[no-untyped-def]
    """A refresh repaints only the changed texts' rectangles over the cached drawing: after many such
    refreshes (values changing width, crossing limits, going bad, alarms coming and going) the
    window's pixels equal a full repaint's."""
    import random

    rng = random.Random(5)
    sensors = list(plant.mill("north").sensors)
    alarms = live_alarms(plant)
    for k in range(25):
        values = {}
        for s in sensors:
            base = live_values(plant)[s.eui].value or 10.0
            quality = Quality.BAD if rng.random() < 0.05 else Quality.GOOD
            values[s.eui] = Reading(s.eui, NOW - 1 + k * 0.01, base * rng.uniform(0.2, 3.0), quality)
        view.on_values(values)
        view.on_alarms(alarms if k % 3 else [Alarm(a.key, a.priority, AlarmState.NORMAL) for a in alarms])
        view.set_blink(k % 2 == 0)
        QApplication.processEvents()
        QApplication.processEvents()
    store = view.backingStore()
    partial = store.paintDevice().copy()  # type: ignore[attr-defined] - a QImage on the raster backends
    view.viewport().repaint()
    full = store.paintDevice().copy()  # type: ignore[attr-defined]
    assert partial.size() == full.size()
    assert partial == full
    assert len({full.pixel(x, 300) for x in range(0, full.width(), 7)}) > 5  # not blank


def test_a_click_on_normal_equipment_opens_its_sensor(qtbot, view: SchematicView, plant: Plant) -> None:  # type: ignore[no-untyped-def]
    """A symbol's frame is hidden while all is well (nothing to paint), yet the equipment still
    answers the mouse: a click on it opens its most urgent sensor's faceplate."""
    view.on_values(live_values(plant))
    level = eui_of(plant, "north", "Raw silo 2 level")
    frame = next(i for i in view.overlay_items() if isinstance(i, FrameItem) and level in i.euis)
    assert not frame.isVisible()
    others = [i.rect for i in view.overlay_items() if i is not frame and not isinstance(i, FrameItem)]
    spot = next(p for p in (frame.rect.topLeft() + QPointF(dx, dy) for dx in range(6, 60, 3) for dy in range(6, 60, 3))
                if not any(r.adjusted(-2, -2, 2, 2).contains(p) for r in others))
    pos = view.mapFromScene(spot)
    with qtbot.waitSignal(view.sensorActivated, timeout=2000) as activated:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert activated.args[0] in frame.euis
