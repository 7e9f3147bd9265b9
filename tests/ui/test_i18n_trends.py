"""The trends group in Dutch: the trend screen (toolbar, pens, status line, cursor, saved views), the sensor
faceplate and the data retention window speak Dutch, write numbers with a decimal comma and dates the
Dutch way, accept a decimal comma where numbers are typed, and leave nothing of their own in English.

Two checks against English left on screen: (1) no visible text equals (or, for a template, matches) an
English source of the trends catalogue whose Dutch differs; (2) built once in English and once in
Dutch, no visible text with words in it is the same in both, unless it is plant data (names, units,
EUIs), a word that is the same in Dutch (the catalogues say so) or another group's text."""

from __future__ import annotations

import math
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCalendarWidget,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.core.domain import Quality, Reading
from hmi.core.permissions import Action
from hmi.core.plant import Plant
from hmi.services.commands import CommandService
from hmi.services.readings import ReadingsQuery
from hmi.services.retention import RetentionSettings
from hmi.services.rollup_job import RollupJob
from hmi.services.trends import TrendHistory, TrendViews
from hmi.storage.calibration_repo import calibration_history
from hmi.storage.database import make_engine
from hmi.storage.history import write_rows
from hmi.storage.migrate import upgrade
from hmi.storage.plant_repo import apply_plant, load_plant, sensor_ids
from hmi.ui.bridge import LiveBridge
from hmi.ui.config_forms import CALIBRATION_FIELDS, SENSOR_FIELDS, THRESHOLD_FIELDS
from hmi.ui.faceplate import SensorFaceplate, open_faceplate
from hmi.ui.i18n import fmt_date, install_language, remove_language
from hmi.ui.session_controller import SessionController
from hmi.ui.trend_pens import C_LATEST, C_MILL, C_UNIT
from hmi.ui.trend_plot import _TimeLabel, format_time
from hmi.ui.trend_retention import RetentionDialog
from hmi.ui.trend_screen import TrendScreen
from tests.services import config_rig as rig_fixtures
from tests.services.config_rig import NORTH_EUI, ConfigRig
from tests.ui.conftest import FakeWallClock

WAIT_MS = 10000
ROOT = Path(__file__).resolve().parents[2]
TS_DIR = ROOT / "resources" / "i18n" / "nl"
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n")

config_db_template = rig_fixtures.config_db_template
config_rig = rig_fixtures.config_rig


# -- the catalogues ----------------------------------------------------------------------------------------------

def catalogue(path: Path) -> list[tuple[str, str]]:
    """(English source, Dutch translation) of every finished message of a .ts file (numerus: each form)."""
    out: list[tuple[str, str]] = []
    if not path.exists():
        return out
    for ctx in ET.parse(path).getroot().findall("context"):
        for msg in ctx.findall("message"):
            source = msg.findtext("source", "")
            tr = msg.find("translation")
            if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete"):
                out.append((source, ""))
                continue
            forms = [f.text or "" for f in tr.findall("numerusform")] or [tr.text or ""]
            out.extend((source, form) for form in forms)
    return out


OURS = catalogue(TS_DIR / "trends.ts")
OTHERS = [pair for p in sorted(TS_DIR.glob("*.ts")) if p.name != "trends.ts" for pair in catalogue(p)]


def _pattern(source: str) -> re.Pattern[str]:
    parts = PLACEHOLDER.split(source)
    holes = PLACEHOLDER.findall(source)
    body = "".join(re.escape(part) + (("\\d+" if holes[i] == "%n" else ".+") if i < len(holes) else "")
                   for i, part in enumerate(parts))
    return re.compile(body, re.DOTALL)


ENGLISH_EXACT = {src for src, nl in OURS if nl and nl != src and not PLACEHOLDER.search(src)}
ENGLISH_PATTERNS = [_pattern(src) for src, nl in OURS
                    if nl and PLACEHOLDER.search(src) and PLACEHOLDER.sub("", nl) != PLACEHOLDER.sub("", src)]
# Words that are the same in Dutch (our catalogue and the others say so), and other groups' texts.
SAME_IN_DUTCH = {src.casefold() for src, nl in OURS + OTHERS if nl == src}  # case: "MAXIMUM" is "Maximum"
NOT_OURS = {src for src, _nl in OTHERS} - {src for src, _nl in OURS}
# Labels of the configuration forms the faceplate embeds: the admin group's texts (context FieldForm).
NOT_OURS |= {f.label for f in (*THRESHOLD_FIELDS, *CALIBRATION_FIELDS, *SENSOR_FIELDS)} | {
    f.hint for f in SENSOR_FIELDS if f.hint}


# -- what a screen shows -----------------------------------------------------------------------------------------

def _lines(text: str) -> list[str]:
    text = re.sub(r"<br\s*/?>", "\n", text or "")
    text = re.sub(r"<[^>]+>", "", text)
    return [t.strip() for t in text.split("\n") if t.strip()]


def visible_texts(root: QWidget) -> set[str]:
    """Texts a person can read on `root` and its children: labels, buttons, tooltips, placeholders, combo
    items, spin box suffixes, tab titles, actions and menus, table headers, window titles."""
    out: list[str] = []
    calendars = root.findChildren(QCalendarWidget)
    for w in [root, *root.findChildren(QWidget)]:
        if any(c is w or c.isAncestorOf(w) for c in calendars):
            continue  # Qt's own calendar popup (month and day names of the locale)
        out.append(w.toolTip())
        if w.isWindow():
            out.append(w.windowTitle())
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        if isinstance(w, QLineEdit):
            out.append(w.placeholderText())
        if isinstance(w, QComboBox):
            out.extend(w.itemText(i) for i in range(w.count()))
            out.append(w.placeholderText())
        if isinstance(w, QSpinBox | QDoubleSpinBox):
            out.extend((w.prefix(), w.suffix()))
        if isinstance(w, QTabWidget):
            out.extend(w.tabText(i) for i in range(w.count()))
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            out.extend(str(m.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(m.columnCount()))
        out.extend(a.text() for a in w.actions())
    return {line for text in out for line in _lines(text)}


def english_leftovers(texts: set[str]) -> list[str]:
    """Texts that are still an English source of the trends catalogue (whose Dutch differs)."""
    return sorted(t for t in texts if t in ENGLISH_EXACT or any(p.fullmatch(t) for p in ENGLISH_PATTERNS))


def plant_words(plant: Plant) -> list[str]:
    words = [m.name for m in plant.mills] + [m.location for m in plant.mills]
    for s in plant.sensors():
        words += [s.name, s.location, s.display_unit, s.eui]
    return sorted({w for w in words if w}, key=len, reverse=True)


def untranslated(english: set[str], dutch: set[str], plant: Plant, extra: tuple[str, ...] = ()) -> list[str]:
    """Texts with words in them shown alike in English and in Dutch that are not data, not a word the
    same in both languages and not another group's."""
    data = [*plant_words(plant), *extra]
    out = []
    for text in english & dutch:
        if text.casefold() in SAME_IN_DUTCH or text in NOT_OURS:
            continue
        rest = text
        for d in data:
            rest = rest.replace(d, " ")
        rest = re.sub(r"\bEUI\b|[\d.,:;+\-\u2212\u00d7\u2192\u00b7\u2014\u2013()\[\]/%°³²]", " ", rest)
        if re.search(r"[A-Za-z]{2,}", rest):
            out.append(text)
    return sorted(out)


# -- fixtures ----------------------------------------------------------------------------------------------------

@pytest.fixture
def dutch(qapp: Any) -> Iterator[None]:
    """Dutch for the test, English again afterwards (other tests compare English texts)."""
    assert install_language("nl") == "nl"
    yield
    remove_language()


@pytest.fixture
def english(qapp: Any) -> Iterator[None]:
    remove_language()
    yield
    remove_language()


@pytest.fixture(scope="module")
def trend_db(tmp_path_factory: pytest.TempPathFactory, plant: Plant) -> str:
    """A day and a half of three sensors every 10 s, ending at the fake clock's start, rolled up."""
    path = tmp_path_factory.mktemp("trend-nl") / "trend.sqlite"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    apply_plant(engine, plant)
    ids = sensor_ids(engine)
    now = FakeWallClock().t
    rows = []
    for k, s in enumerate(plant.sensors()[:3]):
        ts = np.arange(now - 36 * 3600, now, 10.0)
        v = 20.0 + 5.0 * k + 3.0 * np.sin(ts / 900.0 + k)
        rows += [(ids[s.eui], t, x, x, 0) for t, x in zip(ts.tolist(), v.tolist(), strict=True)]
    write_rows(engine, rows)
    RollupJob(engine, lag=0).run_once(now)
    engine.dispose()
    return url


@pytest.fixture
def make_trend(qtbot: Any, themed_app: object, plant: Plant, trend_db: str
               ) -> Iterator[Callable[[], tuple[TrendScreen, LiveBridge, FakeWallClock]]]:
    made: list[tuple[TrendScreen, Any, QWidget]] = []  # the host too: qtbot keeps only a weak reference

    def make() -> tuple[TrendScreen, LiveBridge, FakeWallClock]:
        engine = make_engine(trend_db)
        clock = FakeWallClock()
        bridge = LiveBridge(interval_ms=1000)
        bridge.stop()  # flushed by hand
        host = QWidget()
        host.setMinimumSize(1400, 820)
        host.resize(1400, 820)
        QVBoxLayout(host).setContentsMargins(0, 0, 0, 0)
        qtbot.addWidget(host)
        screen = TrendScreen(plant, TrendHistory(engine, plant), bridge, views=TrendViews(engine), user="ana",
                             now=clock)
        host.layout().addWidget(screen)
        host.show()
        qtbot.waitExposed(host)
        qtbot.waitUntil(screen.wait_idle, timeout=WAIT_MS)
        made.append((screen, engine, host))
        return screen, bridge, clock

    yield make
    for screen, engine, _host in made:
        screen.shutdown()
        engine.dispose()


def show_live(qtbot: Any, screen: TrendScreen, bridge: LiveBridge, clock: FakeWallClock, plant: Plant) -> None:
    """Three pens with live readings (12.345, 13.345, 14.345), the cursor on, the views box filled."""
    euis = [s.eui for s in plant.sensors()[:3]]
    screen.add_pens(euis)
    qtbot.waitUntil(screen.wait_idle, timeout=WAIT_MS)
    clock.advance(5)
    bridge.submit([Reading(e, clock(), 12.345 + i, Quality.GOOD) for i, e in enumerate(euis)])
    bridge.flush()
    screen.refresh_now()
    screen.cursor_button.setChecked(True)


def history_texts(qtbot: Any, screen: TrendScreen) -> None:
    screen.apply_preset("last_24h")
    screen.set_mode("history")
    qtbot.waitUntil(lambda: screen.wait_idle() and all(screen.pen(e).history is not None for e in screen.pens()),
                    timeout=WAIT_MS)


# -- the trend screen ----------------------------------------------------------------------------------------------

def test_the_trend_screen_in_dutch(qtbot: Any, dutch: None, make_trend: Any, plant: Plant,
                                   artifacts_dir: Path) -> None:
    screen, bridge, clock = make_trend()
    tb = screen.toolbar
    assert (screen.live_button.text(), screen.history_button.text()) == ("Live", "Historie")
    assert screen.pause_button.text() == "Pauzeren"
    assert screen.pause_button.toolTip() == "Beeld bevriezen; metingen worden nog steeds vastgelegd"
    assert [screen.preset_box.itemText(i) for i in range(screen.preset_box.count())] == [
        "Afgelopen uur", "Deze dienst", "Afgelopen 24 u", "Afgelopen 7 dagen", "Afgelopen 30 dagen", "Aangepast"]
    assert screen.window_box.currentText() == "1 u"
    assert screen.layout_box.itemText(0) == "Eén as per eenheid"
    assert tb.views_box.placeholderText() == "Opgeslagen weergaven"
    assert [a.text() for a in tb.export_button.menu().actions()] == ["Zichtbare gegevens naar CSV\u2026",
                                                                       "Grafiek naar PNG\u2026"]
    assert screen.from_edit.displayFormat().startswith("dd-MM-yyyy")  # the Dutch date order
    assert screen.tree.filter.placeholderText() == "Sensoren filteren"

    show_live(qtbot, screen, bridge, clock, plant)
    header = screen.pen_model.headerData
    assert (header(C_MILL, Qt.Orientation.Horizontal), header(C_UNIT, Qt.Orientation.Horizontal)) == (
        "Molen", "Eenheid")
    assert screen.pen_model.index(0, C_LATEST).data() == "12,35"  # decimal comma
    assert screen.status.text() == "Live \u00b7 laatste 1 u \u00b7 3 pennen"
    screen.pause()
    assert screen.pause_button.text() == "Hervatten" and "gepauzeerd" in screen.status.text()
    screen.resume()
    assert english_leftovers(visible_texts(screen)) == []

    history_texts(qtbot, screen)
    status = screen.status.text()
    x0, x1 = screen.plot.x_range()
    assert status.startswith(f"Historie \u00b7 {fmt_date(x0)} ") and "3 pennen" in status, status
    assert re.search(r"\d{2}-\d{2}-\d{4}", status) and "min/max per" in status and " uit " in status, status
    # The cursor's time in the Dutch way (weekday abbreviation, 24 h clock).
    t = x0 + 0.64 * (x1 - x0)
    screen.set_cursor(t)
    label = next(c for c in screen.plot._panes[0].cursor.childItems() if isinstance(c, _TimeLabel))
    text = label.textItem.toPlainText()
    day = QLocale(QLocale.Language.Dutch).dayName(time.localtime(t).tm_wday + 1, QLocale.FormatType.ShortFormat)
    assert text == format_time(t, x1 - x0) and text.startswith(day) and re.search(r" \d{2}:\d{2}$", text), text
    # The time axis names weekdays in Dutch (pyqtgraph would write them in English).
    qtbot.wait(50)
    axis = screen.plot._panes[0].plot.getAxis("bottom")
    assert axis.zoomLevel is not None
    ticks = [s for spacing, values in axis.zoomLevel.tickValues(x0, x1, minSpc=axis.minSpacing)
             for s in axis.tickStrings(values, 1.0, spacing)]
    assert any(re.fullmatch(r"(ma|di|wo|do|vr|za|zo) \d{2}", s) for s in ticks), ticks
    assert not any(re.search(r"Mon|Tue|Wed|Thu|Fri|Sat|Sun", s) for s in ticks), ticks
    # Saving a view: its dialog and the status line.
    screen.views._on_save_as()
    dialog = screen.views.save_dialog
    assert dialog is not None and dialog.windowTitle() == "Trendweergave opslaan"
    assert english_leftovers(visible_texts(dialog)) == []
    dialog.close()
    assert english_leftovers(visible_texts(screen)) == []

    # Longer Dutch words: the toolbar takes two rows rather than squeezing its controls; headers fit.
    qtbot.wait(50)
    squeezed = [(type(w).__name__, w.width(), w.sizeHint().width()) for w in tb.findChildren(QWidget)
                if isinstance(w, QComboBox | QAbstractButton | QDateTimeEdit) and w.isVisible()
                and w.width() < w.sizeHint().width()]
    assert squeezed == [] and tb.rows == 2
    head = screen.pen_table.horizontalHeader()
    assert all(head.sectionSize(c) >= head.sectionSizeHint(c) for c in range(screen.pen_model.columnCount()))
    out = artifacts_dir / "trend_nl.png"
    assert screen.window().grab().save(str(out))


def test_nothing_of_the_trend_screen_is_left_in_english(qtbot: Any, make_trend: Any, plant: Plant) -> None:
    shown: dict[str, set[str]] = {}
    for language in ("en", "nl"):
        assert install_language(language) == language
        try:
            screen, bridge, clock = make_trend()
            show_live(qtbot, screen, bridge, clock, plant)
            texts = visible_texts(screen)
            screen.pause()
            texts |= {screen.status.text(), screen.pause_button.text()}
            screen.resume()
            history_texts(qtbot, screen)
            texts |= visible_texts(screen)
            screen.views._on_save_as()
            assert screen.views.save_dialog is not None
            texts |= visible_texts(screen.views.save_dialog)
            screen.views.save_dialog.close()
            shown[language] = texts
        finally:
            remove_language()
    assert untranslated(shown["en"], shown["nl"], plant, ("ana",)) == []
    assert english_leftovers(shown["nl"]) == []
    assert english_leftovers(shown["en"])  # the check finds English where there is some


# -- the faceplate ------------------------------------------------------------------------------------------------

def history_rows(rig: ConfigRig, now: float) -> list[tuple[int, float, float, float, int]]:
    sid = sensor_ids(rig.engine)[NORTH_EUI]
    values = [30.0 + 6.0 * math.sin(i / 25.0) for i in range(360)]
    return [(sid, now - 3590 + i * 10, v, v, 0) for i, v in enumerate(values)]


@pytest.fixture
def open_plate(qtbot: Any, themed_app: object, config_rig: ConfigRig, mosquitto: Any
               ) -> Iterator[Callable[[str], SensorFaceplate]]:
    made: list[tuple[SensorFaceplate, SessionController, CommandService]] = []
    write_rows(config_rig.engine, history_rows(config_rig, time.time()))
    plant = load_plant(config_rig.engine)

    def make(user: str) -> SensorFaceplate:
        controller = SessionController(config_rig.auth, idle_timeout_s=0)
        controller.set_session(config_rig.sign_in(user))
        commands = CommandService(plant, auth=config_rig.auth, broker=mosquitto.url)
        commands.start()
        assert commands.link is not None and commands.link.wait_ready(5)
        fp = open_faceplate(plant, NORTH_EUI, readings=ReadingsQuery(config_rig.engine, plant),
                            sensor_config=config_rig.service, commands=commands, session_provider=controller,
                            history=TrendHistory(config_rig.engine, plant), now=time.time)
        qtbot.addWidget(fp)
        qtbot.waitExposed(fp)
        made.append((fp, controller, commands))
        return fp

    yield make
    for fp, controller, commands in made:
        fp.close()
        controller.shutdown()
        commands.stop()


def live(fp: SensorFaceplate, value: float, raw: float | None = None) -> None:
    fp.on_values({NORTH_EUI: Reading(NORTH_EUI, time.time(), value, Quality.GOOD, value if raw is None else raw)})


def faceplate_texts(fp: SensorFaceplate) -> set[str]:
    texts = visible_texts(fp)
    for model in (fp.alarm_model, fp.calibration_model, fp.audit_model):
        texts |= {str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())}
    return texts


def test_the_faceplate_in_dutch_with_decimal_commas(qtbot: Any, dutch: None, open_plate: Any,
                                                    config_rig: ConfigRig, artifacts_dir: Path) -> None:
    fp = open_plate("tom")
    assert [fp.tabs.tabText(i) for i in range(fp.tabs.count())] == [
        "Trend", "Grenswaarden", "Kalibratie", "Alarmen", "Historie"]
    assert fp.meta_label.text() == "Nog geen meting" and fp.enable_button.text() == "Sensor uitschakelen"
    assert fp.range_combo.itemText(0) == "Afgelopen uur" and fp.stats_button.text() == "Vernieuwen"
    assert "Trilling" in fp.subtitle.text() and "elke " in fp.subtitle.text()
    assert fp.reference.placeholderText() == "Referentiewaarde in Hz"
    assert fp.alarms_note.text() == "Alarmen zijn op deze console niet beschikbaar."
    live(fp, 26.85, raw=26.85)
    assert fp.value_label.text() == "26,9"
    meta = fp.meta_label.text()
    assert meta.startswith("Goed \u00b7 ") and meta.endswith(" geleden \u00b7 ruw 26,85"), meta
    # Statistics: the count, values with a decimal comma, the Dutch date of the latest one.
    qtbot.waitUntil(lambda: fp.stat_values["count"].text() == "360", timeout=WAIT_MS)
    assert re.fullmatch(r"\d+,\d Hz", fp.stat_values["average"].text()), fp.stat_values["average"].text()
    assert re.fullmatch(r"Afgelopen uur: goede en onzekere waarden; laatste om \d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}",
                        fp.stats_note.text()), fp.stats_note.text()
    assert fp.current_calibration.text() == "Nu: gekalibreerd = ruw \u00d7 1 +0 Hz"

    # Alarm limits typed with a decimal comma are read as numbers and saved.
    fp.tabs.setCurrentIndex(1)
    fp.threshold_form.set_text("thresholds.warning_max", "44,5")
    assert fp.validate_limits() == []
    fp.save_thresholds()
    qtbot.waitUntil(lambda: fp.message.text() == "Alarmgrenzen opgeslagen en naar het apparaat verzonden.",
                    timeout=WAIT_MS)
    stored = {s.eui: s for s in load_plant(config_rig.engine).sensors()}[NORTH_EUI]
    assert stored.thresholds.warning_max == 44.5

    # Calibrating against a reference typed with a decimal comma: the offset shown with one.
    fp.tabs.setCurrentIndex(2)
    live(fp, 21.0, raw=21.0)
    fp.reference.setText("20,2")
    fp.propose()
    assert fp.proposal is not None and fp.proposal.offset == pytest.approx(-0.8)
    assert "Offsetcorrectie -0,8 Hz" in fp.proposal_label.text(), fp.proposal_label.text()
    assert "referentie 20,2 Hz" in fp.proposal_label.text()
    fp.apply_proposal()
    assert fp.message.text() == "Voer een reden in: deze wordt bij het kalibratierecord bewaard."
    # ... and a multiplier typed with a decimal comma in the calibration form.
    fp.calibration_form.set_text("calibration.multiplier", "1,01")
    fp.manual_reason.setText("nieuwe opnemer")
    fp.save_calibration()
    qtbot.waitUntil(lambda: fp.message.text() == "Kalibratie opgeslagen.", timeout=WAIT_MS)
    (rec,) = calibration_history(config_rig.engine, NORTH_EUI)
    assert rec.after.multiplier == pytest.approx(1.01)
    qtbot.waitUntil(lambda: fp.calibration_model.rowCount() == 1, timeout=WAIT_MS)
    assert fp.calibration_model.index(0, 4).data() == "\u00d71 \u2192 \u00d71,01"
    assert fp.calibration_model.headerData(1, Qt.Orientation.Horizontal) == "Wanneer"
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}", fp.calibration_model.index(0, 1).data())
    assert fp.current_calibration.text() == "Nu: gekalibreerd = ruw \u00d7 1,01 +0 Hz"

    assert english_leftovers(faceplate_texts(fp)) == []
    fp.tabs.setCurrentIndex(0)
    qtbot.wait(50)
    assert fp.grab().save(str(artifacts_dir / "faceplate_nl.png"))
    for index, name in ((1, "limits"), (2, "calibration"), (4, "history")):
        fp.tabs.setCurrentIndex(index)
        qtbot.wait(50)
        assert fp.grab().save(str(artifacts_dir / f"faceplate_{name}_nl.png"))


def test_a_viewer_reads_why_the_faceplate_is_read_only_in_dutch(qtbot: Any, dutch: None, open_plate: Any) -> None:
    fp = open_plate("vic")
    assert fp.limits_notice.text().startswith("Alleen lezen: ")
    assert english_leftovers(faceplate_texts(fp)) == []


def test_nothing_of_the_faceplate_is_left_in_english(qtbot: Any, open_plate: Any, config_rig: ConfigRig) -> None:
    plant = load_plant(config_rig.engine)
    shown: dict[str, set[str]] = {}
    for language in ("en", "nl"):
        assert install_language(language) == language
        try:
            fp = open_plate("tom")
            live(fp, 26.85, raw=26.85)
            qtbot.waitUntil(lambda fp=fp: fp.stat_values["count"].text() == "360", timeout=WAIT_MS)
            fp.refresh_alarms()
            shown[language] = faceplate_texts(fp)
            fp.close()
        finally:
            remove_language()
    assert untranslated(shown["en"], shown["nl"], plant, ("Tom", "tom")) == []
    assert english_leftovers(shown["nl"]) == []


# -- data retention ----------------------------------------------------------------------------------------------

def test_the_retention_window_in_dutch(qtbot: Any, dutch: None, themed_app: object, config_rig: ConfigRig,
                                       artifacts_dir: Path) -> None:
    session = config_rig.sign_in("root")
    dialog = RetentionDialog(RetentionSettings(config_rig.engine, config_rig.auth), lambda: session,
                             lambda: bool(config_rig.auth.permissions.check(session.principal, Action.CHANGE_SETTINGS)))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.jobs.busy, timeout=WAIT_MS)
    assert dialog.windowTitle() == "Bewaartermijn"
    assert dialog.days["raw_days"].suffix() == " dagen" and dialog.forever["raw_days"].text() == "altijd"
    assert dialog.save_button.text() == "Opslaan voor de locatie" and dialog.close_button.text() == "Sluiten"
    assert english_leftovers(visible_texts(dialog)) == []
    assert dialog.grab().save(str(artifacts_dir / "trend_retention_nl.png"))
