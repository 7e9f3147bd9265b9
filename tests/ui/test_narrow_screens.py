"""The sensor filters, the alarm summary, the alarm journal, the audit trail and the technician tools at
the width a 1024 px window (the declared minimum, a panel PC) and a 1280 px laptop leave them, in
English and in Dutch: nothing clipped, nothing on top of something else (the same check as
`fit_survey.py`, on each screen alone). Filter bars wrap onto another row instead, footers keep their
buttons whole, and informational texts elide with the whole text in the tooltip."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from hmi.core.plant import Plant
from hmi.services.audit_service import AuditService
from hmi.ui.alarm_journal import AlarmJournal
from hmi.ui.alarm_list import AlarmList, AlarmTexts
from hmi.ui.alarm_model import AlarmTableModel
from hmi.ui.alarm_summary import AlarmSummary
from hmi.ui.audit_view import AuditView
from hmi.ui.elided_label import ElidedLabel
from hmi.ui.i18n import install_language, remove_language
from hmi.ui.sensor_board import SensorBoard
from hmi.ui.sensor_filter_bar import SensorFilterBar
from hmi.ui.sensor_table import SensorTableView
from hmi.ui.sensor_table_model import SensorTableModel
from hmi.ui.tools_screen import ToolsScreen
from hmi.ui.wrap_layout import WrapLayout
from tests.ui.alarm_samples import journal_rows, mixed_alarms
from tests.ui.fit_survey import findings
from tests.ui.test_sign_in import Services, make_controllers, make_services

services = pytest.fixture(name="services")(make_services)
controllers = pytest.fixture(name="controllers")(make_controllers)

# (width, height) a screen gets in a 1024x700 and a 1280x720 main window (beside the e-stop column,
# under the header, the banner and the screen tabs).
SCREEN_SIZES = ((804, 495), (1060, 515))
MILL_LIST_WIDTH = 200  # the sensor screen's mill list, left of the filter bar
_WINDOWS: list[QWidget] = []


@pytest.fixture(autouse=True)
def _forget_windows() -> Iterator[None]:
    yield
    _WINDOWS.clear()


@pytest.fixture(params=["en", "nl"])
def language(request: pytest.FixtureRequest, qapp: object) -> Iterator[str]:  # type: ignore[misc]
    if request.param == "nl":
        assert install_language("nl") == "nl"
    yield request.param
    remove_language()


def fits(qtbot, w: QWidget, size: tuple[int, int]) -> list[str]:  # type: ignore[no-untyped-def]
    """What does not fit in `w` at `size` (empty: everything does). `w` is shown in a window of that
    fixed size (as in the main window's stack: its layout never resizes the window)."""
    window = w.parentWidget()
    if window is None:
        window = QWidget()
        qtbot.addWidget(window)
        _WINDOWS.append(window)  # alive until the test ends (the screen is its child)
        w.setParent(window)
        w.setMinimumSize(0, 0)
    window.setFixedSize(*size)
    w.setGeometry(0, 0, *size)
    window.show()
    w.show()
    qtbot.waitExposed(window)
    qtbot.wait(30)  # the layouts follow the new size
    return findings(window)


def test_wrap_layout_wraps_groups_and_stretches_the_rest(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    window.setFixedSize(800, 200)
    host = QWidget(window)
    flow = WrapLayout(host, spacing=10, row_spacing=4, align_right=True)
    flow.setContentsMargins(0, 0, 0, 0)
    buttons = [QPushButton(text, host) for text in ("First", "Second", "Third")]
    for b in buttons:
        b.setFixedSize(100, 30)
    note = ElidedLabel("a count that elides when it must", host)
    flow.add_widget(buttons[0])
    flow.add_widget(buttons[1])
    flow.add_widget(note, stretch=True)
    flow.add_widget(buttons[2], gap=6)
    window.show()

    assert [len(r) for r in flow.rows(800)] == [4]  # all on one row
    assert [len(r) for r in flow.rows(300)] == [2, 1, 1]  # the note's minimum does not fit beside two
    assert flow.heightForWidth(300) == 30 + note.sizeHint().height() + 30 + 2 * 4
    host.resize(800, flow.heightForWidth(800))
    qtbot.wait(10)
    assert note.x() == 220 and note.geometry().right() + 1 + 16 == buttons[2].x()  # the note takes the room
    assert buttons[2].geometry().right() == 799
    host.resize(300, flow.heightForWidth(300))
    qtbot.wait(10)
    assert buttons[2].geometry() == QRect(200, 34 + note.sizeHint().height() + 4, 100, 30)  # alone: at the right
    assert not any(a.geometry().intersects(b.geometry()) for a in buttons for b in buttons if a is not b)


def test_elided_label_keeps_its_text_and_says_it_in_the_tooltip(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    window.setFixedSize(800, 60)
    text = "163 entries \u00b7 all mills \u00b7 06/12/2026 23:59 \u2013 07/12/2026 07:59"
    label = ElidedLabel(text, window, room=120)
    window.show()
    full = label.fontMetrics().horizontalAdvance(label.text())
    assert 120 <= label.minimumWidth() < full  # keeps `room` px, not the whole text
    label.resize(label.minimumWidth(), 30)
    qtbot.wait(10)
    assert label.elided() and label.toolTip() == label.text() == label.full_text()
    label.resize(full + 10, 30)
    qtbot.wait(10)
    assert not label.elided() and label.toolTip() == ""
    label.setToolTip("a caller's tooltip")  # kept: only the tooltip the label set itself is replaced
    label.resize(label.minimumWidth(), 30)
    qtbot.wait(10)
    assert label.toolTip() == "a caller's tooltip"
    short = ElidedLabel("3 sensors")
    assert short.minimumWidth() >= short.fontMetrics().horizontalAdvance("3 sensors")  # short: whole


@pytest.mark.parametrize("size", SCREEN_SIZES)
def test_sensor_filter_bar_fits(qtbot, themed_app, language: str, plant: Plant, clock,  # type: ignore[no-untyped-def]
                                size: tuple[int, int]) -> None:
    table = SensorTableView(SensorTableModel(SensorBoard(plant, now=clock), themed_app))
    qtbot.addWidget(table)
    bar = SensorFilterBar(table.source_model.board, table.proxy)
    width = size[0] - MILL_LIST_WIDTH
    assert fits(qtbot, bar, (width, bar.heightForWidth(width))) == []
    rows = bar.layout().rows(width)  # type: ignore[attr-defined]
    assert rows[-1][-1].widget() is bar.count  # the count last, at the right edge of its row
    assert bar.count.geometry().right() == width - 15
    if size[0] < 1000:
        assert len(rows) == 2  # wrapped: the chips and the count go on a second row, not under the combo


@pytest.mark.parametrize("size", SCREEN_SIZES)
def test_alarm_summary_fits(qtbot, themed_app, language: str, plant: Plant, clock,  # type: ignore[no-untyped-def]
                            size: tuple[int, int]) -> None:
    model = AlarmTableModel(AlarmList(), AlarmTexts(plant, clock))
    model.apply(mixed_alarms(plant, clock()))
    w = AlarmSummary(model, now=clock)
    model.setParent(w)
    assert fits(qtbot, w, size) == []
    buttons = [w.ack_button, w.ack_shown_button, w.shelve_button, w.unshelve_button, w.reset_button]
    assert all(b.width() >= b.sizeHint().width() for b in buttons)
    assert w.selection_label.text() == w.selection_label.full_text()  # whole, elided only when painted
    assert w.selection_label.width() >= min(200, w.selection_label.sizeHint().width())
    assert w.count_label.width() >= w.count_label.sizeHint().width()
    # keyboard order: the filters, the table, then the buttons left to right
    chain = [w.mill_combo, w.priority_combo, w.state_combo]
    assert [c.nextInFocusChain() for c in chain[:2]] == chain[1:]
    assert [w.ack_button.nextInFocusChain(), w.ack_shown_button.nextInFocusChain()] == buttons[1:3]


@pytest.mark.parametrize("size", SCREEN_SIZES)
def test_alarm_journal_fits(qtbot, themed_app, language: str, plant: Plant, clock,  # type: ignore[no-untyped-def]
                            size: tuple[int, int]) -> None:
    rows = journal_rows(plant, clock())
    w = AlarmJournal(AlarmTexts(plant, clock), lambda t0, t1, mill: rows, now=clock)
    w.load()
    qtbot.waitUntil(lambda: w.model.rowCount() == len(rows), timeout=3000)
    assert fits(qtbot, w, size) == []
    assert w.status.full_text().startswith(str(len(rows)))  # "40 entries · all mills · …": the whole text
    assert w.export_button.width() >= w.export_button.sizeHint().width()
    assert not w.from_edit.geometry().intersects(w.to_edit.geometry())
    w.close_runner()


@pytest.mark.parametrize("size", SCREEN_SIZES)
def test_audit_view_fits(qtbot, themed_app, language: str, services: Services, controllers,  # type: ignore[no-untyped-def]
                         tmp_path: Path, size: tuple[int, int]) -> None:
    controller = controllers(services)
    controller.set_session(services.session("root"))
    view = AuditView(AuditService(services.engine, auth=services.auth), controller,
                     mills=[("north", "North Mill"), ("south", "South Mill")], export_dir=tmp_path)
    assert fits(qtbot, view, size) == []
    for combo in (view.preset, view.mill):
        assert combo.width() >= combo.sizeHint().width()
    assert view.show_button.geometry().bottom() == view.mill.geometry().bottom()  # on the fields' line
    view.shutdown()


@pytest.mark.parametrize("size", SCREEN_SIZES)
def test_tools_fit(qtbot, themed_app, language: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    screen = ToolsScreen(broker="mqtt://127.0.0.1:55267", link_snapshot=list)
    try:
        for tool in ("explorer", "scanner", "links"):
            screen.show_tool(tool)
            assert fits(qtbot, screen, size) == [], tool
        ex = screen.explorer
        assert ex.broker_text.text() == "mqtt://127.0.0.1:55267" and not ex.broker_text.elided()
        assert ex.filter_edit.geometry().right() < ex.connect_button.x()
        side = ex.bind_button.parentWidget()
        assert side.height() >= side.minimumSizeHint().height()  # a low window: the panel scrolls, never squeezed
        assert isinstance(ex.bind_hint, QLabel) and ex.bind_hint.wordWrap()
    finally:
        screen.shutdown()
