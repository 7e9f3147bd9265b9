"""SensorTableModel: dataChanged only for what changed; alarm state through roles and colours."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from hmi.core.domain import Quality, Reading
from hmi.core.plant import Plant
from hmi.ui.resources import read_text, resource_path
from hmi.ui.sensor_board import SensorBoard, SensorState
from hmi.ui.sensor_table_model import (
    AlarmRole,
    Column,
    MillSlugRole,
    SensorFilterProxy,
    SensorTableModel,
)
from hmi.ui.theme import AlarmPalette


@pytest.fixture
def palette() -> AlarmPalette:
    return AlarmPalette.load()


@pytest.fixture
def model(qapp, plant: Plant, clock, palette: AlarmPalette) -> SensorTableModel:
    return SensorTableModel(SensorBoard(plant, now=clock), palette)


class Spy:
    def __init__(self, model: SensorTableModel) -> None:
        self.changed: list[tuple[int, int, int, int]] = []
        self.resets = 0
        self.layouts = 0
        model.dataChanged.connect(self.on_changed)
        model.modelReset.connect(self.on_reset)
        model.layoutChanged.connect(self.on_layout)

    def on_changed(self, tl: QModelIndex, br: QModelIndex, roles: list[int]) -> None:
        self.changed.append((tl.row(), br.row(), tl.column(), br.column()))

    def on_reset(self) -> None:
        self.resets += 1

    def on_layout(self) -> None:
        self.layouts += 1


def reading(plant: Plant, i: int, value: float | None, ts: float, quality: Quality = Quality.GOOD) -> Reading:
    return Reading(plant.sensors()[i].eui, ts, value, quality)


def text(model: SensorTableModel, row: int, col: Column) -> str:
    return model.data(model.index(row, col))


def test_shape_and_headers(model: SensorTableModel, plant: Plant) -> None:
    assert model.rowCount() == len(plant.sensors()) == 31
    assert model.columnCount() == 9
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)]
    assert headers == ["Mill", "Sensor", "Type", "Location", "Value", "Last hour", "Quality", "Age", "State"]
    assert text(model, 0, Column.MILL) == "North Mill"
    assert text(model, 0, Column.TYPE) == "Vibration"
    assert text(model, 0, Column.VALUE) == "\u2014"
    assert model.data(model.index(0, 0), AlarmRole) == "nodata"


def test_data_changed_only_for_changed_rows_and_live_columns(model: SensorTableModel, plant: Plant, clock) -> None:
    spy = Spy(model)
    t = clock()
    model.update({r.eui: r for r in (reading(plant, 3, 50.0, t), reading(plant, 10, 20.0, t))})
    assert spy.changed == [(3, 3, Column.VALUE, Column.STATE), (10, 10, Column.VALUE, Column.STATE)]
    spy.changed.clear()
    model.update({r.eui: r for r in (reading(plant, 4, 50.0, t), reading(plant, 5, 50.0, t))})
    assert spy.changed == [(4, 5, Column.VALUE, Column.STATE)]  # contiguous rows: one signal
    spy.changed.clear()
    model.update({"0000000000000000": Reading("0000000000000000", t, 1.0)})
    assert spy.changed == []
    assert spy.resets == 0 and spy.layouts == 0
    assert text(model, 3, Column.VALUE) == "50.0 %"


def test_states_changed_only_on_transitions(qtbot, model: SensorTableModel, plant: Plant, clock) -> None:
    with qtbot.waitSignal(model.statesChanged, timeout=100):
        model.update({plant.sensors()[0].eui: reading(plant, 0, 30.0, clock())})
    with qtbot.assertNotEmitted(model.statesChanged):
        model.update({plant.sensors()[0].eui: reading(plant, 0, 31.0, clock() + 1)})
    with qtbot.waitSignal(model.statesChanged, timeout=100):
        model.update({plant.sensors()[0].eui: reading(plant, 0, 61.0, clock() + 2)})


@pytest.mark.parametrize(
    ("value", "quality", "age", "state", "state_text"),
    [
        (30.0, Quality.GOOD, 0, "normal", "Normal"),
        (50.0, Quality.GOOD, 0, "warning", "Warning \u25b2"),
        (61.0, Quality.GOOD, 0, "critical", "Critical \u25b2"),
        (None, Quality.BAD, 0, "bad", "Bad quality"),
        (30.0, Quality.GOOD, 600, "stale", "Stale"),
    ],
)
def test_state_colouring_roles(
    model: SensorTableModel,
    palette: AlarmPalette,
    plant: Plant,
    clock,
    value: float | None,
    quality: Quality,
    age: float,
    state: str,
    state_text: str,
) -> None:
    model.update({plant.sensors()[0].eui: reading(plant, 0, value, clock() - age, quality)})
    idx = {c: model.index(0, c) for c in Column}
    assert {model.data(i, AlarmRole) for i in idx.values()} == {state}
    assert model.data(idx[Column.STATE]) == state_text
    style = palette[SensorState(state)]
    bg = Qt.ItemDataRole.BackgroundRole
    fg = Qt.ItemDataRole.ForegroundRole
    if state in ("warning", "critical", "bad"):
        # colour only the value and the state, in the stylesheet's alarm colours
        for col in (Column.VALUE, Column.STATE):
            assert model.data(idx[col], bg).color() == style.background
            assert model.data(idx[col], fg).color() == style.foreground
        for col in (Column.MILL, Column.SENSOR, Column.LOCATION, Column.QUALITY, Column.AGE):
            assert model.data(idx[col], bg) is None
            assert model.data(idx[col], fg) is None
    elif state == "normal":
        assert all(model.data(i, bg) is None for i in idx.values())  # ISA-101: grey when normal
    else:  # stale: the whole row recedes, grey italic, no fill
        for i in idx.values():
            assert model.data(i, bg) is None
            assert model.data(i, fg).color() == style.foreground
            assert model.data(i, Qt.ItemDataRole.FontRole).italic()
    if state == "bad":
        assert model.data(idx[Column.VALUE]) == "\u2014"
        assert model.data(idx[Column.QUALITY]) == "Bad"


def test_alarm_palette_comes_from_the_stylesheet(palette: AlarmPalette) -> None:
    assert resource_path("styles", "light.qss").is_file()
    assert "AlarmPalette" in read_text("styles", "light.qss")
    for state in ("warning", "critical", "bad"):
        s = palette[SensorState(state)]
        assert s.background is not None and s.background.isValid()
        assert s.foreground is not None
    assert palette[SensorState.CRITICAL].background != palette[SensorState.WARNING].background
    assert palette[SensorState.NORMAL].background is None
    assert palette[SensorState.STALE].italic and palette[SensorState.NO_DATA].italic


def test_age_refresh_and_stale_transition(model: SensorTableModel, plant: Plant, clock) -> None:
    model.update({plant.sensors()[0].eui: reading(plant, 0, 30.0, clock())})
    spy = Spy(model)
    clock.advance(3)
    model.refresh_ages()
    assert spy.changed == [(0, 30, Column.AGE, Column.AGE)]
    assert text(model, 0, Column.AGE) == "3 s"
    clock.advance(10)
    spy.changed.clear()
    model.refresh_ages()
    assert (0, 0, Column.VALUE, Column.STATE) in spy.changed
    assert model.data(model.index(0, 0), AlarmRole) == "stale"


def test_proxy_filters_by_mill_and_sorts_by_urgency(model: SensorTableModel, plant: Plant, clock) -> None:
    proxy = SensorFilterProxy()
    proxy.setSourceModel(model)
    assert proxy.rowCount() == 31
    proxy.set_mill("south")
    assert proxy.rowCount() == len(plant.mill("south").sensors)
    assert {proxy.data(proxy.index(r, 0), MillSlugRole) for r in range(proxy.rowCount())} == {"south"}
    proxy.set_mill(None)
    assert proxy.rowCount() == 31

    t = clock()
    model.update({r.eui: r for r in (reading(plant, 20, 1e6, t), reading(plant, 5, 95.0, t))})
    proxy.sort(Column.STATE, Qt.SortOrder.DescendingOrder)
    assert [proxy.data(proxy.index(r, Column.STATE), AlarmRole) for r in range(2)] == ["critical", "warning"]
    proxy.sort(Column.VALUE, Qt.SortOrder.DescendingOrder)
    assert proxy.data(proxy.index(0, Column.SENSOR)) == plant.sensors()[20].name


def test_rows_drag_their_sensors_onto_a_trend(model: SensorTableModel, plant: Plant) -> None:
    from hmi.ui.trend_mime import SENSOR_MIME, euis_from_mime

    first, third = model.index(0, 0), model.index(2, 3)
    assert model.flags(first) & Qt.ItemFlag.ItemIsDragEnabled
    mime = model.mimeData([first, model.index(0, 2), third])  # two rows, one of them twice
    assert mime.hasFormat(SENSOR_MIME) and SENSOR_MIME in model.mimeTypes()
    assert euis_from_mime(mime) == [plant.sensors()[0].eui, plant.sensors()[2].eui]
