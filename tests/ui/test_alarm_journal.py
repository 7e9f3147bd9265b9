"""The alarm journal: loads off the GUI thread (the GUI keeps running while the database answers),
drops late answers, filters by range and mill, exports CSV through a non-modal file dialog."""

from __future__ import annotations

import csv
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from hmi.core.plant import Plant
from hmi.ui.alarm_journal import CSV_FIELDS, CUSTOM, PRESETS, AlarmJournal, JColumn
from hmi.ui.alarm_list import AlarmTexts
from tests.ui.alarm_samples import journal_rows

SIZE = (1280, 640)


class SlowStore:
    """load_journal stand-in: records each call and the thread it ran on; can be held back."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows
        self.calls: list[tuple[datetime, datetime, str | None]] = []
        self.threads: list[threading.Thread] = []
        self.release = threading.Event()
        self.release.set()

    def __call__(self, t0: datetime, t1: datetime, mill: str | None) -> list[dict]:
        self.calls.append((t0, t1, mill))
        self.threads.append(threading.current_thread())
        assert self.release.wait(10)
        return [r for r in self.rows if mill is None or r["mill"] == mill]


@pytest.fixture
def store(plant: Plant, clock) -> SlowStore:
    return SlowStore(journal_rows(plant, clock()))


@pytest.fixture
def journal(qtbot, themed_app, plant: Plant, clock, store: SlowStore, monkeypatch: pytest.MonkeyPatch):
    def no_exec(self, *args, **kwargs):
        raise AssertionError("QDialog.exec() must never be used")

    monkeypatch.setattr(QDialog, "exec", no_exec)
    w = AlarmJournal(AlarmTexts(plant, clock), store, now=clock)
    w.setFixedSize(*SIZE)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    store.release.set()
    w.close_runner()


def test_loads_off_the_gui_thread_and_the_gui_keeps_running(qtbot, journal: AlarmJournal, store, clock) -> None:
    store.release.clear()  # the database is slow
    journal.load()
    assert journal.status.text() == "Loading\u2026"
    ticks = []
    timer_probe = qtbot.wait  # the event loop runs while the query is held
    for _ in range(3):
        timer_probe(30)
        ticks.append(journal.status.text())
    assert ticks == ["Loading\u2026"] * 3 and journal.model.rowCount() == 0
    store.release.set()
    qtbot.waitUntil(lambda: journal.model.rowCount() == 40, timeout=3000)
    assert store.threads and all(t is not threading.main_thread() for t in store.threads)
    t0, t1, mill = store.calls[0]
    assert t0.tzinfo is not None and t1.tzinfo is not None
    assert t1 == datetime.fromtimestamp(clock(), UTC)
    assert t1 - t0 == timedelta(seconds=PRESETS[0][1])  # the last shift: 8 h
    assert mill is None
    assert journal.status.text().startswith("40 entries \u00b7 all mills")
    assert journal.export_button.isEnabled()
    first = [journal.proxy.index(0, c).data() for c in JColumn]  # newest first
    assert first[JColumn.ACTION] == "Shelved" and first[JColumn.USER] == "ana"


def test_presets_mill_filter_and_late_answers(qtbot, journal: AlarmJournal, store, clock) -> None:
    journal.load()
    qtbot.waitUntil(lambda: journal.model.rowCount() == 40, timeout=3000)
    store.release.clear()
    journal.preset_buttons.button(1).click()  # 24 h: loads again
    journal.mill_combo.setCurrentIndex(journal.mill_combo.findData("south"))  # and again, superseding
    store.release.set()
    qtbot.waitUntil(lambda: len(store.calls) == 3 and "South Mill" in journal.status.text(), timeout=3000)
    assert store.calls[1][1] - store.calls[1][0] == timedelta(hours=24)
    assert store.calls[2][2] == "south"
    assert {journal.model.entries[r].get("mill") for r in range(journal.model.rowCount())} == {"south"}
    south = sum(1 for r in store.rows if r["mill"] == "south")
    assert journal.model.rowCount() == south and journal.status.text().startswith(f"{south} entries")

    custom = journal.preset_buttons.button(CUSTOM)
    qtbot.mouseClick(custom, Qt.MouseButton.LeftButton)
    assert journal.from_edit.isEnabled() and journal.to_edit.isEnabled()
    journal.to_edit.setDateTime(journal.from_edit.dateTime().addSecs(-3600))
    journal.load()
    assert journal.status.text() == "The end of the range must be after its start"


def test_a_failing_query_is_reported_not_raised(qtbot, themed_app, plant: Plant, clock) -> None:
    def broken(t0, t1, mill):
        raise ConnectionError("database unreachable")

    w = AlarmJournal(AlarmTexts(plant, clock), broken, now=clock)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.message, timeout=3000) as sig:
        w.load()
    assert sig.args[0] == "error" and "database unreachable" in sig.args[1]
    assert w.status.text() == "Loading failed"
    w.close_runner()


def test_export_csv_through_a_non_modal_file_dialog(qtbot, journal: AlarmJournal, tmp_path: Path) -> None:
    journal.load()
    qtbot.waitUntil(lambda: journal.model.rowCount() == 40, timeout=3000)
    qtbot.mouseClick(journal.export_button, Qt.MouseButton.LeftButton)
    dialog = journal.export_dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.windowModality() != Qt.WindowModality.ApplicationModal
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    target = tmp_path / "journal.csv"
    with qtbot.waitSignal(journal.exported, timeout=2000) as sig:
        dialog.fileSelected.emit(str(target))
    assert sig.args == [str(target), 40]
    dialog.close()
    with target.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 40
    assert tuple(rows[0]) == CSV_FIELDS
    times = [datetime.fromisoformat(r["time_utc"]) for r in rows]
    assert times == sorted(times) and times[0].tzinfo is not None  # oldest first, UTC
    shelved = next(r for r in rows if r["action"] == "shelved")
    assert shelved["user"] == "ana" and shelved["comment"] == "sensor under repair, WO 4711"
    assert rows[0]["source"] and rows[0]["alarm_key"].count("/") == 2


def test_unavailable_without_a_loader(qtbot, themed_app, plant: Plant, clock) -> None:
    w = AlarmJournal(AlarmTexts(plant, clock), None, now=clock)
    qtbot.addWidget(w)
    w.load()
    assert not w.load_button.isEnabled() and not w.export_button.isEnabled()
    assert w.status.text() == "The alarm journal is not available here"


def test_screenshot(qtbot, journal: AlarmJournal, artifacts_dir: Path) -> None:
    journal.load()
    qtbot.waitUntil(lambda: journal.model.rowCount() == 40, timeout=3000)
    qtbot.wait(50)
    path = artifacts_dir / "alarm_journal.png"
    assert journal.grab().save(str(path))
    print(f"SCREENSHOT: {path}")
