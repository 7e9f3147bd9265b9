"""The alarm summary: filters, importance order, row-level updates (no reset), the shelve dialog
(reason required, never application-modal, never exec()), double-click to the sensor."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from hmi.core.alarms import AlarmKind
from hmi.core.domain import Severity
from hmi.core.plant import Plant
from hmi.ui.alarm_list import AlarmList, AlarmTexts
from hmi.ui.alarm_model import AlarmColumn, AlarmTableModel, LookRole, StateFilter
from hmi.ui.alarm_summary import AlarmSummary, ShelveDialog
from tests.ui.alarm_samples import acked, make_alarm, mixed_alarms

SIZE = (1280, 640)


@pytest.fixture
def summary(qtbot, themed_app, plant: Plant, clock, monkeypatch: pytest.MonkeyPatch) -> AlarmSummary:
    def no_exec(self, *args, **kwargs):  # an application-modal event loop would block the e-stop
        raise AssertionError("QDialog.exec() must never be used")

    monkeypatch.setattr(QDialog, "exec", no_exec)
    model = AlarmTableModel(AlarmList(), AlarmTexts(plant, clock))
    model.apply(mixed_alarms(plant, clock()))
    w = AlarmSummary(model, now=clock)
    model.setParent(w)  # deleted with the view, on the GUI thread (not by the GC on another thread)
    w.setFixedSize(*SIZE)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def keys_shown(w: AlarmSummary) -> list:
    return w.proxy.keys()


def test_rows_in_importance_order_with_every_column(summary: AlarmSummary) -> None:
    alarms = summary.proxy.alarms()
    assert len(alarms) == 18
    assert alarms[0].kind is AlarmKind.ESTOP
    unacked = [a.unacked for a in alarms]
    assert unacked == sorted(unacked, reverse=True)  # the unacknowledged first
    model = summary.proxy
    first = [model.index(0, c).data() for c in AlarmColumn]
    assert first[AlarmColumn.PRIORITY] == "Emergency"
    assert first[AlarmColumn.MILL] == "South Mill"
    assert first[AlarmColumn.SOURCE] == "Whole mill"
    assert first[AlarmColumn.CONDITION] == "Emergency stop"
    assert first[AlarmColumn.STATE] == "Unacked \u00b7 active"
    assert first[AlarmColumn.MARK] == "1st"
    sources = [model.index(r, AlarmColumn.SOURCE).data() for r in range(model.rowCount())]
    bearing = sources.index("B1 roller bearing")
    assert model.index(bearing, AlarmColumn.VALUE).data() == "79.6 \u00b0C"
    assert model.index(bearing, AlarmColumn.MARK).data() == "1st \u00b7 flood"
    shelved = next(a for a in alarms if a.shelved)
    row = summary.proxy.alarms().index(shelved)
    assert model.index(row, AlarmColumn.SHELVED).data().startswith("until ")
    assert model.index(row, AlarmColumn.PRIORITY).data(LookRole) == "muted"


def test_filters_by_mill_priority_and_state(summary: AlarmSummary) -> None:
    summary.set_filter(mill="south")
    assert {a.mill for a in summary.proxy.alarms()} == {"south"}
    assert summary.proxy.rowCount() == 6
    summary.set_filter(mill=None, priority=Severity.CRITICAL)
    assert [a.priority for a in summary.proxy.alarms()] == [Severity.CRITICAL] * 3
    summary.set_filter(state=StateFilter.UNACKNOWLEDGED)
    assert len(summary.proxy.alarms()) == 2 and all(a.unacked for a in summary.proxy.alarms())
    summary.set_filter(priority=None, state=StateFilter.SHELVED)
    assert [a.shelved for a in summary.proxy.alarms()] == [True]
    summary.set_filter(state=StateFilter.SUPPRESSED)
    assert [a.suppressed for a in summary.proxy.alarms()] == [True]
    summary.set_filter(state=StateFilter.ACTIVE)
    assert all(a.active for a in summary.proxy.alarms()) and summary.proxy.rowCount() == 17  # all but the latched one
    assert summary.count_label.text().startswith("17 alarms of 18")
    summary.set_filter(state=StateFilter.ALL_UNFINISHED)
    assert summary.proxy.rowCount() == 18


def test_sorting_by_a_column_and_back_to_importance(summary: AlarmSummary) -> None:
    importance = keys_shown(summary)
    summary.table.sortByColumn(AlarmColumn.RAISED, Qt.SortOrder.AscendingOrder)
    raised = [a.raised_at for a in summary.proxy.alarms()]
    assert raised == sorted(raised)
    summary.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # a clearable header's third click
    assert keys_shown(summary) == importance


def test_updates_insert_change_and_remove_rows_without_reset(summary: AlarmSummary, plant: Plant, clock) -> None:
    model = summary.model
    events: list[str] = []
    model.modelReset.connect(lambda: events.append("reset"))
    model.rowsInserted.connect(lambda *_: events.append("insert"))
    model.rowsRemoved.connect(lambda *_: events.append("remove"))
    model.dataChanged.connect(lambda *_: events.append("change"))
    new = make_alarm("south", plant.sensors()[26].eui, AlarmKind.HIGH_HIGH, clock() + 5, value=70.0)
    model.apply([new])
    estop = summary.proxy.alarms()[0]
    model.apply([acked(estop, clock() + 6)])
    lowest = summary.proxy.alarms()[-1]
    model.apply([replace(acked(lowest, clock() + 7) if lowest.unacked else lowest, state=lowest.state.NORMAL)])
    assert events == ["insert", "change", "remove"]
    assert summary.proxy.alarms()[0].key == new.key  # unacked critical now first; the acked e-stop moved down


def test_shelve_dialog_requires_a_reason_and_is_not_application_modal(
    qtbot, summary: AlarmSummary, plant: Plant
) -> None:
    target = next(a for a in summary.proxy.alarms() if a.kind is AlarmKind.LOW and a.mill == "north")
    summary.select_keys([target.key])
    assert summary.shelve_button.isEnabled()
    requests: list[tuple] = []
    summary.shelveRequested.connect(lambda keys, minutes, reason: requests.append((keys, minutes, reason)))

    qtbot.mouseClick(summary.shelve_button, Qt.MouseButton.LeftButton)
    dialog = summary.shelve_dialog
    assert isinstance(dialog, ShelveDialog)
    qtbot.waitExposed(dialog)
    assert dialog.isVisible()
    assert dialog.windowModality() != Qt.WindowModality.ApplicationModal
    assert not summary.window().isHidden() and summary.isEnabled()  # the window stays usable
    assert (dialog.minutes.minimum(), dialog.minutes.maximum()) == (5, 480)
    assert not dialog.ok.isEnabled()
    dialog.accept()  # Enter with no reason: stays open, nothing requested
    assert dialog.isVisible() and requests == []
    dialog.reason.setText("   ")
    assert not dialog.ok.isEnabled()
    dialog.minutes.setValue(45)
    qtbot.keyClicks(dialog.reason, "pressure transmitter replaced, WO 4711")
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert requests == [([target.key], 45, "pressure transmitter replaced, WO 4711")]
    qtbot.waitUntil(lambda: summary.shelve_dialog is None, timeout=2000)


def test_an_emergency_stop_cannot_be_shelved(summary: AlarmSummary) -> None:
    estop = summary.proxy.alarms()[0]
    summary.select_keys([estop.key])
    assert summary.ack_button.isEnabled()
    assert not summary.shelve_button.isEnabled()
    assert summary.open_shelve_dialog() is None


def test_acknowledge_unshelve_and_reset_requests(qtbot, summary: AlarmSummary) -> None:
    got: dict[str, list] = {"ack": [], "unshelve": [], "reset": []}
    summary.acknowledgeRequested.connect(got["ack"].append)
    summary.unshelveRequested.connect(got["unshelve"].append)
    summary.resetRequested.connect(got["reset"].append)
    alarms = summary.proxy.alarms()
    shelved = next(a for a in alarms if a.shelved)
    latched = next(a for a in alarms if a.state.latched)
    summary.select_keys([alarms[0].key, alarms[1].key, shelved.key, latched.key])
    qtbot.mouseClick(summary.ack_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(summary.unshelve_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(summary.reset_button, Qt.MouseButton.LeftButton)
    assert set(got["ack"][0]) == {alarms[0].key, alarms[1].key, shelved.key}  # only the unacknowledged
    assert got["unshelve"] == [[shelved.key]]
    assert got["reset"] == [[latched.key]]
    qtbot.mouseClick(summary.ack_shown_button, Qt.MouseButton.LeftButton)
    assert set(got["ack"][1]) == {a.key for a in alarms if a.unacked}


def test_double_click_emits_the_sensor(qtbot, summary: AlarmSummary, plant: Plant) -> None:
    bearing = plant.sensors()[10]
    row = next(r for r, a in enumerate(summary.proxy.alarms()) if a.key.source == bearing.eui)
    view = summary.table
    rect = view.visualRect(summary.proxy.index(row, AlarmColumn.SOURCE))
    with qtbot.waitSignal(summary.sensorActivated, timeout=1000) as sig:
        # QTest's double click is only the second click: press the row first, as a hand would
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == [bearing.eui]


def test_screenshot(qtbot, summary: AlarmSummary, artifacts_dir: Path) -> None:
    alarms = summary.proxy.alarms()
    summary.select_keys([alarms[3].key])
    qtbot.wait(50)
    path = artifacts_dir / "alarm_summary.png"
    assert summary.grab().save(str(path))
    print(f"SCREENSHOT: {path}")


def test_a_sensor_alarm_drags_its_sensor_onto_a_trend(summary: AlarmSummary) -> None:
    from hmi.ui.trend_mime import SENSOR_MIME, euis_from_mime

    proxy = summary.table.model()
    rows = {proxy.index(r, 0): summary.proxy.alarms()[r] for r in range(proxy.rowCount())}
    sensor_rows = [(i, a) for i, a in rows.items() if a.key.source]
    other = [(i, a) for i, a in rows.items() if not a.key.source]  # the e-stop alarm has no sensor
    assert sensor_rows and other
    index, alarm = sensor_rows[0]
    assert proxy.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    assert not proxy.flags(other[0][0]) & Qt.ItemFlag.ItemIsDragEnabled
    mime = proxy.mimeData([index, proxy.index(index.row(), 2)])  # one row, two cells: the sensor once
    assert mime.hasFormat(SENSOR_MIME) and euis_from_mime(mime) == [alarm.key.source]
    assert summary.table.dragEnabled()
