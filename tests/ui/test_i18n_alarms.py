"""The alarm screens in Dutch: the banner, the alarm summary and its shelve dialog, the journal, the
horn's notification, the outcome of alarm actions, the notices and the audit trail. With the Dutch
catalogue installed every visible text of these screens is Dutch (a walk over the widget tree finds
no English source left where the Dutch differs), values carry a decimal comma, dates follow the
Dutch locale, the journal's CSV stays English, and screenshots show that the longer words fit."""

from __future__ import annotations

import csv
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hmi.core.alarms import AlarmKind, AlarmState
from hmi.core.domain import Severity
from hmi.core.plant import Plant
from hmi.services.audit_service import AuditService
from hmi.ui.alarm_banner import AlarmBanner
from hmi.ui.alarm_commands import AlarmCommands
from hmi.ui.alarm_journal import AlarmJournal, JColumn
from hmi.ui.alarm_list import PRIORITY_LABELS, PRIORITY_SHORT, STATE_LABELS, AlarmList, AlarmTexts
from hmi.ui.alarm_model import AlarmColumn, AlarmTableModel, StateFilter
from hmi.ui.alarm_summary import AlarmSummary, ShelveDialog
from hmi.ui.annunciator import Annunciator
from hmi.ui.audit_view import AuditView
from hmi.ui.i18n import install_language, remove_language
from hmi.ui.notices import MessageStrip, Toast
from tests.ui.alarm_fakes import FakeActions, FakeNotifier, FakePlayer
from tests.ui.alarm_samples import acked, journal_rows, make_alarm, mixed_alarms
from tests.ui.test_sign_in import WAIT_MS, Services, make_controllers, make_services

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [ROOT / "resources/i18n/nl/alarms.ts", ROOT / "resources/i18n/nl/common.ts"]

services = pytest.fixture(name="services")(make_services)
controllers = pytest.fixture(name="controllers")(make_controllers)


@pytest.fixture
def dutch(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
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


def visible_texts(root: QWidget) -> list[str]:
    """Texts a user reads on `root` and its children: labels, buttons, tooltips, window titles, combo
    items, placeholders, actions, column headers, accessible names."""
    texts: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        texts += [w.windowTitle(), w.toolTip(), w.accessibleName()]
        if isinstance(w, QLabel | QAbstractButton):
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
    return [t for t in (x.strip() for x in texts) if re.search(r"[A-Za-z]{2,}", t)]


def english_left(texts: list[str], data: set[str]) -> list[str]:
    """Texts that are still an English source: whole, any line, any " · " part, or without a trailing
    count; the plant's own names (`data`) are not ours to translate."""
    sources = english_sources()
    found = []
    for text in texts:
        pieces = {text, re.sub(r"\s*\d+$", "", text), *text.splitlines(), *text.split(" \u00b7 ")}
        for piece in pieces:
            piece = piece.strip()
            if piece and piece not in data and piece in sources:
                found.append(piece)
    return sorted(set(found))


def plant_words(plant: Plant) -> set[str]:
    words = set()
    for m in plant.mills:
        words |= {m.name, m.location, m.slug}
        for s in m.sensors:
            words |= {s.name, s.location, s.eui}
    return words


def cell_texts(view: QAbstractItemView) -> list[str]:
    m = view.model()
    return [
        str(m.index(r, c).data(role) or "")
        for r in range(m.rowCount())
        for c in range(m.columnCount())
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    ]


def fits(label: QLabel | QAbstractButton, margin: int = 0) -> bool:
    """The text is drawn whole in the widget's width (no clipping)."""
    fm = QFontMetrics(label.font())
    return max(fm.horizontalAdvance(line) for line in label.text().splitlines()) + margin <= label.width()


def save(widget: QWidget, artifacts_dir: Path, name: str) -> Path:
    path = artifacts_dir / name
    assert widget.grab().save(str(path))
    print(f"SCREENSHOT: {path}")
    return path


# -- the alarm screen: banner, message strip and summary ---------------------------------------------------------


class AlarmScreen:
    """The banner over the alarm summary, with the message strip between them, as the main window
    stacks them."""

    def __init__(self, qtbot, plant: Plant, clock) -> None:  # type: ignore[no-untyped-def]
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.window.setMinimumSize(1280, 800)
        self.window.resize(1280, 800)
        self.alarms = AlarmList()
        self.texts = AlarmTexts(plant, clock)
        self.banner = AlarmBanner(self.alarms, self.texts, now=clock, parent=self.window)
        self.model = AlarmTableModel(self.alarms, self.texts, self.window)
        self.model.alarmsUpdated.connect(self.banner.refresh)
        self.strip = MessageStrip(self.window)
        self.summary = AlarmSummary(self.model, now=clock, parent=self.window)
        layout = QVBoxLayout(self.window)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for w in (self.banner, self.strip, self.summary):
            layout.addWidget(w)
        layout.setStretch(2, 1)


@pytest.fixture
def screen(qtbot, dutch, themed_app, plant: Plant, clock) -> AlarmScreen:  # type: ignore[no-untyped-def]
    s = AlarmScreen(qtbot, plant, clock)
    s.model.apply(mixed_alarms(plant, clock()))
    s.window.show()
    qtbot.waitExposed(s.window)
    return s


def test_banner_in_dutch(qtbot, screen: AlarmScreen, plant: Plant, artifacts_dir: Path) -> None:
    b = screen.banner
    qtbot.wait(50)
    save(b, artifacts_dir, "alarm_banner_nl.png")
    assert [c.name.text() for c in b.chips.values()] == ["NOODGEVAL", "KRITIEK", "WAARSCHUWING"]
    assert all(fits(c.name) for c in b.chips.values())
    assert b.chips[Severity.CRITICAL].toolTip() == "3 alarm(en) met prioriteit kritiek, 2 onbevestigd"
    assert (b.ack_button.text(), b.ack_all_button.text(), b.list_button.text()) == (
        "Bevestigen", "Alle bevestigen", "Alarmlijst \u25b8")
    assert b.silence_button.text() == "Hoorn stil"
    assert b.silence_button.toolTip() == "De hoorn stoppen (bevestigt niets)"
    b.set_sounding(True)
    assert b.silence_button.text() == "Hoorn uit"
    assert all(fits(w, 8) for w in (b.ack_button, b.ack_all_button, b.silence_button, b.list_button))
    estop, flood, low = b.lines
    assert estop.tag.text() == "NOOD" and estop.mark.text() == "1e"
    assert estop.what.full_text() == "South Mill" and estop.kind.text() == "noodstop"
    assert "South Mill noodstop" in estop.toolTip() and "Onbevestigd \u00b7 actief sinds " in estop.toolTip()
    assert estop.mark.toolTip().startswith("Eerste alarm: het alarm waarmee")
    assert flood.tag.text() == "LAWINE" and fits(flood.tag)
    assert flood.what.full_text().startswith("North Mill: 12 alarmen in 10 min \u00b7 9 onbevestigd")
    assert "1e B1 roller bearing hoog hoog" in flood.what.full_text()
    assert flood.toolTip().startswith("Alarmlawine van North Mill: ")
    assert low.tag.text() == "WAARS" and fits(low.tag)
    assert low.kind.text() == "laag" and low.value.text() == "10,1 %"  # decimal comma
    assert all(fits(line.tag) for line in b.lines)
    assert "KRITIEK \u00b7 North Mill \u00b7 B1 roller bearing hoog hoog 79,6 \u00b0C" in b.lines[1].toolTip()
    assert english_left(visible_texts(b), plant_words(plant)) == []


def test_banner_idle_note_and_states_in_dutch(qtbot, dutch, themed_app, plant: Plant, clock) -> None:
    s = AlarmScreen(qtbot, plant, clock)
    notes: list[str] = []
    s.banner.noteChanged.connect(notes.append)
    s.window.show()
    qtbot.waitExposed(s.window)
    assert s.banner.idle.text() == "Geen actieve alarmen"
    a = make_alarm("north", plant.sensors()[10].eui, AlarmKind.HIGH_HIGH, clock(), value=80.0)
    s.model.apply([a])
    s.model.apply([acked(a, clock() + 5)])
    assert s.banner.idle.text() == "Alle alarmen bevestigd \u00b7 1 nog actief"
    s.model.apply(mixed_alarms(plant, clock() + 10))
    assert notes[-1] == "1 geparkeerd \u00b7 1 onderdrukt"
    returned = make_alarm("south", plant.sensors()[20].eui, AlarmKind.HIGH_HIGH, clock() + 20, value=80.0)
    s.model.apply([replace(returned, state=AlarmState.UNACK_RTN, changed_at=clock() + 80)])
    line = next(line for line in s.banner.lines if line.item is not None and line.item.alarm.key == returned.key)
    assert line.kind.text() == "hoog hoog \u00b7 hersteld"


def test_summary_in_dutch(qtbot, screen: AlarmScreen, plant: Plant, artifacts_dir: Path) -> None:
    w = screen.summary
    proxy = w.proxy
    headers = [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(proxy.columnCount())]
    assert headers == ["Prioriteit", "Opgetreden", "Molen", "Bron", "Conditie", "Waarde", "Status", "1e/lawine",
                       "Bevestigd door", "Geparkeerd"]
    first = [proxy.index(0, c).data() for c in AlarmColumn]
    assert first[AlarmColumn.PRIORITY] == "Noodgeval"
    assert first[AlarmColumn.SOURCE] == "Hele molen"
    assert first[AlarmColumn.CONDITION] == "Noodstop"
    assert first[AlarmColumn.STATE] == "Onbevestigd \u00b7 actief"
    assert first[AlarmColumn.MARK] == "1e"
    rows = proxy.alarms()
    bearing = next(r for r, a in enumerate(rows) if a.key.source == plant.sensors()[10].eui)
    assert proxy.index(bearing, AlarmColumn.VALUE).data() == "79,6 \u00b0C"
    assert proxy.index(bearing, AlarmColumn.MARK).data() == "1e \u00b7 lawine"
    shelved = next(r for r, a in enumerate(rows) if a.shelved)
    assert proxy.index(shelved, AlarmColumn.SHELVED).data().startswith("tot ")
    tip = proxy.index(shelved, AlarmColumn.SOURCE).data(Qt.ItemDataRole.ToolTipRole)
    assert "Geparkeerd door ana tot " in tip and "line under repair, WO 4711" in tip
    latched = next(r for r, a in enumerate(rows) if a.state.latched)
    assert proxy.index(latched, AlarmColumn.STATE).data() == "Bevestigd \u00b7 vastgehouden"
    assert [w.state_combo.itemText(i) for i in range(w.state_combo.count())] == [
        "Alle openstaande", "Onbevestigd", "Actief", "Geparkeerd", "Onderdrukt / buiten dienst"]
    assert w.priority_combo.itemText(0) == "Alle prioriteiten" and w.priority_combo.itemText(1) == "Noodgeval"
    assert w.mill_combo.itemText(0) == "Alle molens"
    assert [b.text() for b in (w.ack_button, w.ack_shown_button, w.shelve_button, w.unshelve_button,
                               w.reset_button)] == ["Bevestigen", "Alle getoonde bevestigen", "Parkeren\u2026",
                                                    "Parkering opheffen", "Resetten"]
    unacked = sum(1 for a in rows if a.unacked)
    assert w.count_label.text() == f"18 alarmen \u00b7 {unacked} onbevestigd"
    assert w.selection_label.text() == "Selecteer alarmen om ze te bevestigen of te parkeren"
    w.set_filter(state=StateFilter.ACTIVE)
    assert w.count_label.text().startswith("17 alarmen van 18")
    w.set_filter(state=StateFilter.ALL_UNFINISHED)
    w.select_keys([rows[3].key])
    assert w.selection_label.text() == "1 geselecteerd"
    # the widest chip fits its column
    chip_width = w.table.columnWidth(AlarmColumn.PRIORITY)
    chip_font = w.table.font()
    chip_font.setBold(True)
    assert QFontMetrics(chip_font).horizontalAdvance(PRIORITY_LABELS[Severity.WARNING].upper()) < chip_width
    data = plant_words(plant) | {"line under repair, WO 4711", "mill maintenance", "marc", "ana"}
    assert english_left(visible_texts(screen.window), data) == []
    assert english_left(cell_texts(w.table), data) == []
    screen.strip.show_message("info", "1 alarm bevestigd.")
    assert screen.strip.close_button.toolTip() == "Sluiten"
    qtbot.wait(50)
    save(screen.window, artifacts_dir, "alarms_nl.png")


def test_shelve_dialog_in_dutch(qtbot, screen: AlarmScreen, plant: Plant, artifacts_dir: Path) -> None:
    w = screen.summary
    targets = [a for a in w.proxy.alarms() if a.kind is AlarmKind.HIGH and a.mill == "north"][:4]
    w.select_keys([a.key for a in targets])
    dialog = w.open_shelve_dialog()
    assert isinstance(dialog, ShelveDialog)
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "4 alarmen parkeren"
    assert dialog.reason.placeholderText().startswith("Verplicht, bijv. ")
    assert dialog.ok.text() == "Parkeren" and dialog.minutes.suffix() == " min"
    assert dialog.until.text().startswith("tot ")
    what = dialog.findChild(QLabel, "shelveWhat")
    assert what is not None and what.text().endswith("en nog 1") and " \u2014 hoog" in what.text()
    assert english_left(visible_texts(dialog), plant_words(plant)) == []
    qtbot.wait(50)
    save(dialog, artifacts_dir, "alarms_shelve_nl.png")
    for label in dialog.findChildren(QLabel):
        if not label.wordWrap() and label.text():
            assert fits(label), label.text()
    dialog.close()


def test_notification_and_action_outcomes_in_dutch(qtbot, dutch, themed_app, plant: Plant, clock) -> None:
    s = AlarmScreen(qtbot, plant, clock)
    player, notifier = FakePlayer(), FakeNotifier()
    annunciator = Annunciator(s.alarms, s.texts, player, notifier=notifier, window_active=lambda: False,
                              parent=s.window)
    s.model.alarmsUpdated.connect(annunciator.on_updates)
    a = make_alarm("north", plant.sensors()[10].eui, AlarmKind.HIGH_HIGH, clock(), value=80.0)
    b = make_alarm("north", plant.sensors()[11].eui, AlarmKind.HIGH, clock(), value=50.0)
    s.model.apply([a, b])
    title, text, _priority = notifier.notices[0]
    assert title == "Millwatch-alarm: KRITIEK"
    assert text.startswith("KRITIEK \u00b7 North Mill \u00b7 B1 roller bearing hoog hoog 80,0 \u00b0C")
    assert text.endswith("\n+1 ander nieuw alarm")

    actions = FakeActions([a, acked(b, clock())], clock())
    commands = AlarmCommands(actions, lambda: "marc", s.texts, s.window)
    messages: list[tuple[str, str]] = []
    commands.message.connect(lambda level, m: messages.append((level, m)))
    commands.acknowledge([a.key])
    qtbot.waitUntil(lambda: len(messages) == 1, timeout=3000)
    assert messages[0] == ("info", "1 alarm bevestigd.")
    commands.acknowledge([b.key])
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=3000)
    level, refusal = messages[1]  # the alarm named in Dutch words; the reason is the core's (Messages)
    assert level == "error" and refusal.startswith(f"{s.texts.source_name(b.key)} hoog: ")
    nobody = AlarmCommands(actions, lambda: "", s.texts, s.window)
    nobody.message.connect(lambda level, m: messages.append((level, m)))
    nobody.shelve([a.key], 30, "test")
    assert messages[-1] == ("error", "Er is niemand aangemeld: meld u aan om alarmen te parkeren.")
    commands.close()
    nobody.close()

    toast = Toast(s.window)
    toast.notify(title, text, Severity.CRITICAL)
    assert toast.close_button.toolTip() == "Sluiten"
    assert english_left(visible_texts(toast), plant_words(plant)) == []


# -- the journal --------------------------------------------------------------------------------------------------


def test_journal_in_dutch_and_its_csv_in_english(qtbot, dutch, themed_app, plant: Plant, clock,
                                                 artifacts_dir: Path, tmp_path: Path) -> None:
    rows = journal_rows(plant, clock())
    journal = AlarmJournal(AlarmTexts(plant, clock), lambda t0, t1, mill: rows, now=clock)
    journal.setMinimumSize(1280, 640)
    journal.resize(1280, 640)
    qtbot.addWidget(journal)
    journal.show()
    qtbot.waitExposed(journal)
    try:
        assert [journal.preset_buttons.button(i).text() for i in range(4)] == [
            "Laatste dienst \u00b7 8 u", "24 u", "7 dagen", "Aangepast"]
        assert journal.status.text() == "Kies een tijdsbereik"
        assert journal.load_button.text() == "Laden" and journal.export_button.text() == "CSV exporteren\u2026"
        assert journal.from_edit.displayFormat() == "dd-MM-yyyy HH:mm"  # the Dutch date order
        journal.load()
        qtbot.waitUntil(lambda: journal.model.rowCount() == 40, timeout=3000)
        assert re.fullmatch(r"40 regels \u00b7 alle molens \u00b7 \d\d-\d\d-\d{4} \d\d:\d\d \u2013 "
                            r"\d\d-\d\d-\d{4} \d\d:\d\d", journal.status.text())
        proxy = journal.proxy
        headers = [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(proxy.columnCount())]
        assert headers == ["Tijd", "Molen", "Bron", "Conditie", "Actie", "Prioriteit", "Gebruiker", "Waarde",
                           "Opmerking"]
        first = [proxy.index(0, c).data() for c in JColumn]
        assert first[JColumn.ACTION] == "Geparkeerd" and first[JColumn.CONDITION] == "Communicatie verloren"
        assert re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d:\d\d", first[JColumn.TIME])
        values = [proxy.index(r, JColumn.VALUE).data() for r in range(proxy.rowCount())]
        assert any(re.fullmatch(r"-?\d+,\d+ \S+", v) for v in values if v)  # decimal comma
        users = {proxy.index(r, JColumn.USER).data() for r in range(proxy.rowCount())}
        assert "systeem" in users
        assert proxy.index(0, JColumn.ACTION).data(Qt.ItemDataRole.ToolTipRole) == (
            "Onbevestigd \u00b7 actief \u2192 Onbevestigd \u00b7 actief")
        data = plant_words(plant) | {"sensor under repair, WO 4711", "marc", "ana"}
        assert english_left(visible_texts(journal), data) == []
        assert english_left(cell_texts(journal.table), data) == []
        qtbot.wait(50)
        save(journal, artifacts_dir, "alarm_journal_nl.png")

        dialog = journal.open_export_dialog()
        assert dialog.windowTitle() == "Alarmjournaal exporteren"
        target = tmp_path / "journal.csv"
        with qtbot.waitSignal(journal.message, timeout=2000) as sig:
            dialog.fileSelected.emit(str(target))
        assert sig.args == ["info", f"40 journaalregels geëxporteerd naar {target}"]
        dialog.close()
        with target.open(newline="", encoding="utf-8") as f:
            table = list(csv.DictReader(f))
        conditions = {r["condition"] for r in table}
        assert conditions <= {"High", "High high", "Low", "Communication lost"} and "Communication lost" in conditions
        assert {r["action"] for r in table} == {"raised", "acknowledged", "cleared", "shelved"}
        assert all("." in r["value"] for r in table if r["value"])  # machine numbers keep their point
    finally:
        journal.close_runner()


# -- the audit trail ----------------------------------------------------------------------------------------------


def test_audit_view_in_dutch(qtbot, dutch, themed_app, services: Services, controllers, tmp_path: Path,
                             artifacts_dir: Path) -> None:
    root = services.session("root")
    services.users.update_user(root, "ana", mills=["north", "south"], display_name="Ana S.")
    services.users.deactivate(root, "vic")
    controller = controllers(services)
    controller.set_session(root)
    view = AuditView(AuditService(services.engine, auth=services.auth), controller,
                     mills=[("north", "North Mill"), ("south", "South Mill")], export_dir=tmp_path)
    view.setMinimumSize(1400, 760)
    view.resize(1400, 760)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    try:
        assert [view.preset.itemText(i) for i in range(view.preset.count())] == [
            "Laatste uur", "Laatste 24 uur", "Laatste 7 dagen", "Laatste 30 dagen", "Alles", "Aangepast bereik"]
        assert view.verify_button.text() == "Keten controleren"
        assert view.export_button.text() == "CSV exporteren\u2026"
        assert view.user.placeholderText() == "elke gebruiker"
        assert view.mill.itemText(0) == "Alle molens"
        assert view.since.displayFormat() == "dd-MM-yyyy HH:mm"
        view.preset.setCurrentIndex(view.preset.findText("Alles"))
        qtbot.mouseClick(view.show_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=WAIT_MS)
        n = view.model.rowCount()
        assert view.count.text() == f"{n} records"
        headers = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(view.model.columnCount())]
        assert headers == ["Volgnr.", "Tijd", "Gebruiker", "Host", "Actie", "Molen", "Doel",
                           "Wijziging (voor \u2192 na)"]
        assert re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d:\d\d", view.model.index(0, 1).data())
        deactivate = view.model.row_of_seq(next(e.seq for e in view.model.entries() if e.action == "user.deactivate"))
        assert "active: ja \u2192 nee" in view.model.index(deactivate, view.model.CHANGE).data()
        tip = view.model.index(deactivate, view.model.CHANGE).data(Qt.ItemDataRole.ToolTipRole)
        assert tip.startswith("voor: ") and "\nna: " in tip
        assert english_left(visible_texts(view), {"North Mill", "South Mill", "root", "console-1"}) == []
        qtbot.wait(50)
        save(view, artifacts_dir, "audit_view_nl.png")
        qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.message.property("level") == "info", timeout=WAIT_MS)
    finally:
        view.shutdown()


def test_tables_keep_english_when_no_translator(qapp, plant: Plant) -> None:
    """The label tables are read in the language in force: English again once Dutch is removed."""
    install_language("nl")
    try:
        assert STATE_LABELS[AlarmState.UNACK_ACTIVE] == "Onbevestigd \u00b7 actief"
        assert PRIORITY_SHORT[Severity.WARNING] == "WAARS"
    finally:
        remove_language()
    assert STATE_LABELS[AlarmState.UNACK_ACTIVE] == "Unacked \u00b7 active"
    assert PRIORITY_SHORT[Severity.WARNING] == "WARN"
    assert AlarmTexts(plant, time.time).until(None) == "until \u2014"
