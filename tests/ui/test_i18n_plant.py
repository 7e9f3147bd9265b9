"""The plant screens in Dutch: overview tiles, the sensor screen (filter bar, mill actions, table),
the schematics and the binding editor. With the Dutch catalogue installed every visible text of
these screens is Dutch (a walk over the widget tree finds no English source left where the Dutch
differs), values carry a decimal comma, and screenshots show that the longer words still fit."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hmi.core.domain import MillStatus, Quality, Reading, Role, SensorType
from hmi.core.plant import Plant
from hmi.services.commands import CommandResult
from hmi.services.overview import MillOverview
from hmi.ui.i18n import install_language, remove_language
from hmi.ui.mill_actions import MillActions, result_text
from hmi.ui.overview_screen import OverviewScreen
from hmi.ui.schematic_binding_editor import SchematicBindingEditor
from hmi.ui.schematic_screen import SchematicScreen
from hmi.ui.schematic_view import ValueItem
from hmi.ui.sensor_board import SensorBoard, StateFilter, age_text, value_text
from hmi.ui.sensor_filter_bar import SensorFilterBar
from hmi.ui.sensor_table import SensorTableView
from hmi.ui.sensor_table_model import Column, SensorTableModel
from tests.services.test_schematic_library import TableSession
from tests.ui.schematic_samples import NOW, eui_of, live_alarms, live_values
from tests.ui.test_overview_screen import prefill_last_hour

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [ROOT / "resources/i18n/nl/plant.ts", ROOT / "resources/i18n/nl/common.ts"]


@pytest.fixture
def dutch(qapp) -> Iterator[None]:
    assert install_language("nl") == "nl"
    yield
    remove_language()


def english_sources() -> set[str]:
    """The English sources of our catalogues whose Dutch differs (seen on a Dutch screen = a miss)."""
    out: set[str] = set()
    for path in CATALOGUES:
        for msg in ET.parse(path).getroot().iter("message"):
            source = msg.findtext("source", "")
            translation = msg.findtext("translation") or ""
            if translation and translation != source:
                out.add(source)
    return out


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text).replace("&nbsp;", " ")


def visible_texts(root: QWidget) -> list[str]:
    """Texts a user reads on `root` and its children: labels, buttons, tooltips, window titles, combo
    items, placeholders, actions, column headers, accessible names."""
    texts: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        texts += [w.windowTitle(), w.toolTip(), w.accessibleName()]
        if isinstance(w, QLabel):
            texts.append(w.text())
        if isinstance(w, QAbstractButton):
            texts.append(w.text())
        if isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            texts += [str(m.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(m.columnCount())]
        for a in w.actions():
            if isinstance(a, QAction):
                texts += [a.text(), a.toolTip()]
    return [t for t in (_plain(x).strip() for x in texts) if re.search(r"[A-Za-z]{2,}", t)]


def english_left(root: QWidget, data: set[str]) -> list[str]:
    """Visible texts that are still an English source (whole, or without a trailing count, or any line
    of them); the plant's own names (`data`) are not ours to translate."""
    sources = english_sources()
    found = []
    for text in visible_texts(root):
        for piece in {text, *text.splitlines(), re.sub(r"\s*\d+$", "", text)}:
            piece = piece.strip()
            if piece and piece not in data and piece in sources:
                found.append(piece)
    return sorted(set(found))


def plant_words(plant: Plant) -> set[str]:
    words = {plant.name} if getattr(plant, "name", None) else set()
    for m in plant.mills:
        words |= {m.name, m.location, m.slug}
        for s in m.sensors:
            words |= {s.name, s.location, s.eui}
    return words


def host(qtbot, width: int, height: int) -> QWidget:  # type: ignore[no-untyped-def]
    w = QWidget()
    qtbot.addWidget(w)
    # explicit: a layout then never changes the top-level's size hints once shown (platforms warn)
    w.setMinimumSize(width, height)
    w.resize(width, height)
    return w


def save(widget: QWidget, artifacts_dir: Path, name: str) -> Path:
    path = artifacts_dir / name
    assert widget.grab().save(str(path))
    print(f"SCREENSHOT: {path}")
    return path


# -- the overview ----------------------------------------------------------------------------------------


def overview_rows(mills: set[str] | None) -> list[MillOverview]:
    rows = [MillOverview("north", "North Mill", MillStatus.ACTIVE, 480.0, 362.5, 362.5 / 480.0, 3),
            MillOverview("south", "South Mill", MillStatus.MAINTENANCE, 320.0, None, None, 0)]
    return [r for r in rows if mills is None or r.slug in mills]


def test_overview_in_dutch(qtbot, dutch, themed_app, plant: Plant, clock, artifacts_dir: Path) -> None:
    board = SensorBoard(plant, now=clock)
    prefill_last_hour(board, clock() - 2)
    north = plant.mill("north").sensors
    board.apply({north[0].eui: Reading(north[0].eui, clock(), 70.0),
                 north[1].eui: Reading(north[1].eui, clock(), None, Quality.BAD)})
    window = host(qtbot, 1280, 800)
    screen = OverviewScreen(board, themed_app, load_overview=overview_rows, parent=window)
    QVBoxLayout(window).addWidget(screen)
    window.layout().setContentsMargins(0, 0, 0, 0)
    screen.set_estop_state("north", "Gereed")
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: screen.db_refreshes >= 1, timeout=5000)
    try:
        assert screen.summary.text().startswith("2 molens \u00b7 1 sensor in alarm \u00b7 1 slecht")
        assert screen.freshness.text().startswith("Productie en meldingen bijgewerkt om ")
        tip = screen.tile("north").toolTip()
        assert "North Mill: Actief" in tip and "rendement vandaag 76 %" in tip
        assert "onbevestigde meldingen in 24 u" in tip and "noodstop: Gereed" in tip
        assert tip.endswith("Klik of druk op Enter om de molen te openen.")
        assert "South Mill: Onderhoud" in screen.tile("south").toolTip()
        assert english_left(window, plant_words(plant)) == []
        save(window, artifacts_dir, "plant_overview_nl.png")
        screen._on_failed(ConnectionError("connection refused"))
        assert screen.freshness.text().startswith("Database onbereikbaar: cijfers van ")
    finally:
        screen.shutdown()


# -- the sensor screen -----------------------------------------------------------------------------------


def test_sensor_screen_in_dutch(qtbot, dutch, themed_app, plant: Plant, clock, artifacts_dir: Path) -> None:
    model = SensorTableModel(SensorBoard(plant, now=clock), themed_app)
    prefill_last_hour(model.board, clock() - 2)
    window = host(qtbot, 1280, 800)
    actions = MillActions(plant, lambda slug: CommandResult(True, "start_production", slug, "c1", "started",
                                                            latency_ms=12.0), parent=window)
    table = SensorTableView(model, window)
    bar = SensorFilterBar(model.board, table.proxy, window)
    layout = QVBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    for w in (actions, bar, table):
        layout.addWidget(w)
    s = plant.sensors()
    assert s[0].type is SensorType.VIBRATION  # warning 45, critical 60
    model.update({s[0].eui: Reading(s[0].eui, clock(), 50.0), s[1].eui: Reading(s[1].eui, clock(), None, Quality.BAD),
                  s[3].eui: Reading(s[3].eui, clock(), 50.0)})
    bar.refresh_counts()
    actions.set_mill("north")
    window.show()
    qtbot.waitExposed(window)
    try:
        headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        assert headers == ["Molen", "Sensor", "Type", "Locatie", "Meetwaarde", "Laatste uur", "Kwaliteit",
                           "Ouderdom", "Toestand"]
        assert model.data(model.index(3, Column.VALUE)) == "50,0 %"  # decimal comma
        assert model.data(model.index(0, Column.STATE)) == "Waarschuwing \u25b2"
        assert model.data(model.index(1, Column.STATE)) == "Slechte kwaliteit"
        assert model.data(model.index(1, Column.QUALITY)) == "Slecht"
        assert model.data(model.index(0, Column.TYPE)) == "Trilling"
        tip = model.data(model.index(0, Column.STATE), Qt.ItemDataRole.ToolTipRole)
        assert tip.startswith("Waarschuwing; grenswaarden: ") and "waarschuwing max 45,0" in tip
        assert model.data(model.index(0, Column.TREND), Qt.ItemDataRole.ToolTipRole).startswith("Laatste uur: ")
        assert value_text(s[3], 1234.56) == "1234,6 %"  # no group separator in a process value
        assert age_text(7300) == "2 u"
        assert bar.chips[StateFilter.ALARM].text() == "Alarm 1" and bar.chips[StateFilter.BAD].text() == "Slecht 1"
        assert bar.all_chip.text() == "Alle" and bar.type_box.itemText(0) == "Alle typen"
        assert bar.count.text() == "31 sensoren"
        bar.chips[StateFilter.BAD].click()
        assert bar.count.text() == "1 van 31 sensoren"
        assert actions.status.text() == "Actief" and actions.start_button.text() == "Productie starten"
        assert actions.start_button.toolTip() == "De besturing van de molen vragen de productie te starten"
        # the button was sized for its longest text, in this language
        assert actions.start_button.width() >= actions.start_button.fontMetrics().horizontalAdvance("Productie starten")
        bar.all_chip.click()
        # longer Dutch column titles: columns of less use give way, sensor names are never elided
        longest = max(table.fontMetrics().horizontalAdvance(x.name) for x in s)
        assert table.columnWidth(Column.SENSOR) >= longest + 16, table.dropped
        assert english_left(window, plant_words(plant)) == []
        save(window, artifacts_dir, "plant_sensors_nl.png")
        with qtbot.waitSignal(actions.finished, timeout=3000):
            actions.start_button.click()
        assert actions.result.text() == "Productie gestart in 12 ms."
    finally:
        actions.shutdown()


def test_command_outcomes_in_dutch(dutch) -> None:
    ok = CommandResult(True, "start_production", "north", "c1", "confirmed", latency_ms=48.4)
    assert result_text(ok) == ("info", "Productiestart bevestigd in 48 ms.")
    refused = CommandResult(False, "start_production", "north", "c2", "refused")
    assert result_text(refused) == ("error", "Productie niet gestart: geweigerd")
    hopper = CommandResult(False, "start_production", "north", "c3", "refused", reason="feed hopper empty")
    assert result_text(hopper) == ("error", "Productie niet gestart: feed hopper empty")  # the controller's words


# -- schematics ------------------------------------------------------------------------------------------


def test_schematics_in_dutch(qtbot, dutch, themed_app, plant: Plant, artifacts_dir: Path) -> None:
    window = host(qtbot, 1600, 900)
    screen = SchematicScreen(plant, None, window, now=lambda: NOW)
    QHBoxLayout(window).addWidget(screen)
    window.layout().setContentsMargins(0, 0, 0, 0)
    screen.edit_button.setVisible(True)
    window.show()
    qtbot.waitExposed(window)
    screen.on_values(live_values(plant))
    screen.on_alarms(live_alarms(plant))
    screen.set_mill_status("north", MillStatus.MAINTENANCE)
    assert screen.fit_button.text() == "Passend"
    assert screen.fit_button.toolTip() == "Zoomen zodat de hele tekening past"
    assert screen.edit_button.text() == "Koppelingen bewerken\u2026"
    view = screen.view
    assert view.status_item is not None and view.status_item.text == "Onderhoud"
    assert view.status_item.caption == "Molenstatus" and view.estop_item is not None
    assert view.estop_item.caption == "Noodstop" and view.estop_item.text == "Gereed"
    b1 = eui_of(plant, "north", "B1 roller bearing")
    values = {i.eui: i for i in view.overlay_items() if isinstance(i, ValueItem)}
    assert values[b1].text == "78,4"  # decimal comma on the drawing
    bad = values[eui_of(plant, "north", "Dampener water flow")]
    assert bad.text == "Slecht" and not bad.unit_visible
    card = view.tooltip_for(values[b1])
    for words in ("Meetwaarde: <b>78,4 °C</b>", "Kwaliteit: Goed", "geleden", "Toestand: Kritiek",
                  "Alarm: <b>hoog hoog</b> \u00b7 Kritiek \u00b7 niet bevestigd", "Grenswaarden (°C): ",
                  "H 60,0", "HH 75,0", "klik voor de faceplate"):
        assert words in card, words
    pos = view.mapFromScene(values[b1].rect.center())
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos)))
    assert view.hover_card.isVisible() and "Meetwaarde" in view.hover_card.text()
    # the schematics' own titles ("Overview", "Cleaning house") come from their binding files, like the
    # drawings' labels: data, not our words
    data = plant_words(plant) | {b.text() for b in screen.tabs.buttons()}
    assert english_left(window, data) == []
    save(window, artifacts_dir, "plant_schematic_nl.png")
    view.hover_card.hide()
    assert not screen.show_schematic("no_such_schematic")
    assert "geen schema met de naam 'no_such_schematic'" in screen.problems_label.text()
    assert "1 probleem in de schemabestanden" in screen.problems_label.text()
    screen.shutdown()


SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" viewBox="0 0 300 200">
<g id="silo9"><rect id="silo9__level" x="0" y="0" width="50" height="20"/></g>
<rect id="ti1" x="100" y="0" width="80" height="20"/><rect id="dup" x="0" y="50" width="5" height="5"/>
<rect id="dup" x="0" y="60" width="5" height="5"/></svg>"""


def test_binding_editor_in_dutch(qtbot, dutch, plant: Plant, tmp_path: Path, artifacts_dir: Path) -> None:
    svg = tmp_path / "north_extra.svg"
    svg.write_text(SVG, encoding="utf-8")
    editor = SchematicBindingEditor(plant, lambda: TableSession(Role.TECHNICIAN))
    qtbot.addWidget(editor)
    assert editor.windowTitle() == "Schemakoppelingen"
    assert editor.save() is None and editor.problems == ["open eerst een SVG"]
    assert editor.open_svg(svg)
    assert any("id dup: door meerdere elementen in de SVG gebruikt" in p for p in editor.problems)
    headers = [editor.model.headerData(c, Qt.Orientation.Horizontal) for c in range(editor.model.columnCount())]
    assert headers == ["Element-id", "Koppeling", "Sensoren", "Controle"]
    editor.mill_box.setCurrentIndex(editor.mill_box.findData("north"))
    editor.select("silo9")
    editor.symbol_box.setCurrentIndex(editor.symbol_box.findData("silo"))
    level = editor.slot_boxes["level"]
    level.setCurrentIndex(level.findData("A1B2C3D4E5F61004"))
    assert editor.symbol_box.currentText() == "silo" and editor.symbol_box.itemText(0) == "(geen symbool: één sensor)"
    labels = [editor.slots_form.itemAt(i, editor.slots_form.ItemRole.LabelRole).widget().text()
              for i in range(editor.slots_form.rowCount())]
    assert labels == ["Niveau", "Temperatuur", "Vochtigheid"]
    assert editor.model.data(editor.model.index(0, 1)) == "symbool silo"
    editor.show()
    qtbot.waitExposed(editor)
    assert english_left(editor, plant_words(plant)) == []
    # saving is refused for the same problems whatever the language they are shown in
    assert editor.save() is None and editor.problems[0] == "Niet opgeslagen: los eerst deze problemen op."
    label = editor.problems_label  # the longer Dutch problems are read in full (once the layout has run)
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()), timeout=2000)
    save(editor, artifacts_dir, "plant_binding_editor_nl.png")


def test_walk_finds_english_left_on_a_dutch_screen(qtbot, dutch) -> None:
    """The walk itself: an untranslated text is caught (so an empty list above means something)."""
    w = QWidget()
    qtbot.addWidget(w)
    QLabel("Plant overview", w)
    label = QLabel(w)
    label.setToolTip("Zoom to fit the whole drawing")
    QLabel("North Mill", w)
    assert english_left(w, {"North Mill"}) == ["Plant overview", "Zoom to fit the whole drawing"]


def test_english_stays_english(qtbot, plant: Plant, clock) -> None:
    """Without the Dutch catalogue the same code speaks English, with a decimal point."""
    model = SensorTableModel(SensorBoard(plant, now=clock))
    model.update({plant.sensors()[3].eui: Reading(plant.sensors()[3].eui, clock(), 50.0)})
    assert model.headerData(Column.VALUE, Qt.Orientation.Horizontal) == "Value"
    assert model.data(model.index(3, Column.VALUE)) == "50.0 %"
