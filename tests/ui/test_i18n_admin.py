"""The admin screens in Dutch: configuration (mills and sensors, plant file, connections), user
management, the setup wizard and the tools screen's tabs, built against the real services. Every text a
user can read is walked and none may be an English source (or a filled-in English sentence) of the
catalogues whose Dutch differs; numbers are shown and typed with a decimal comma; the wizard is Dutch
from its first page to the last line of its log. Screenshots go to artifacts/ (i18n_admin_*.png)."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
    QWizard,
    QWizardPage,
)

from hmi.core.domain import Role
from hmi.core.plant import PlantError, PlantProblem
from hmi.storage.plant_repo import load_plant
from hmi.ui.config_calls import failure_text
from hmi.ui.config_forms import fmt_short, number_or_text, problem_summary
from hmi.ui.config_screen import ConfigScreen
from hmi.ui.i18n import install_language, remove_language
from hmi.ui.session_controller import SessionController
from hmi.ui.tools_screen import ToolsScreen
from hmi.ui.user_admin import UserAdminView, UserTableModel
from hmi.ui.wizard import SetupWizard
from tests.services import config_rig as rig_fixtures
from tests.services.config_rig import NORTH_EUI, ConfigRig, demo_plant
from tests.ui.fit_survey import show_sized
from tests.ui.test_sign_in import WAIT_MS, Services, make_controllers, make_services

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n")
MOISTURE_EUI = "A1B2C3D4E5F61002"  # demo plant, north: warning_min = 10.5
GOOD_PASSWORD = "correct-horse-battery"

config_db_template = rig_fixtures.config_db_template
config_rig = rig_fixtures.config_rig
services = pytest.fixture(name="services")(make_services)
controllers = pytest.fixture(name="controllers")(make_controllers)


# -- the catalogues ---------------------------------------------------------------------------------------
@cache
def _english_sources() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """The English sources of every catalogue whose Dutch differs: the plain ones, and the ones with
    placeholders as patterns (a filled-in English sentence must not be on screen either)."""
    spec = importlib.util.spec_from_file_location("translations_tool", ROOT / "packaging" / "translations.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    plain: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for path in sorted((ROOT / "resources" / "i18n" / "nl").glob("*.ts")):
        for (_ctx, key), msg in tool.messages_of(path).items():
            source = key.split("\x04")[0]
            if not tool.is_finished(msg) or msg.get("numerus") == "yes":
                continue
            tr = msg.find("translation")
            if tr is None or (tr.text or "") == source:
                continue
            if PLACEHOLDER.search(source):
                parts = PLACEHOLDER.split(source)
                if len(re.findall(r"[A-Za-z]{2,}", " ".join(parts))) >= 2:  # words around the placeholders
                    patterns.append(re.compile("^" + "(.+?)".join(re.escape(p) for p in parts) + "$", re.S))
            elif re.search(r"[A-Za-z]{2}", source):
                plain.add(source)
    return frozenset(plain), tuple(patterns)


def _admin_catalogue() -> dict[tuple[str, str], str]:
    spec = importlib.util.spec_from_file_location("translations_tool", ROOT / "packaging" / "translations.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    out = {}
    for key, msg in tool.messages_of(tool.ts_path("admin")).items():
        tr = msg.find("translation")
        out[key] = "" if tr is None else (tr.text or "")
    return out


def _model_texts(model: QAbstractItemModel | None) -> Iterator[str]:
    if model is None:
        return
    root = QModelIndex()
    try:
        columns = model.columnCount(root)
    except TypeError:  # a model Qt keeps private (a header's, a combo's): its texts are read elsewhere
        return
    for c in range(columns):
        yield str(model.headerData(c, Qt.Orientation.Horizontal) or "")
        for r in range(min(model.rowCount(root), 60)):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.index(r, c).data(role)
                if isinstance(value, str):
                    yield value


def visible_texts(root: QWidget) -> list[str]:
    """Every text of `root` and its children a person can read: labels, buttons, placeholders, tooltips,
    window titles, tabs, combo items, wizard page titles, table headers and cells."""
    out: list[str] = [root.windowTitle(), root.toolTip()]
    for w in [root, *root.findChildren(QWidget)]:
        out.append(w.toolTip())
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QLineEdit):
            out += [w.placeholderText()]
        elif isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QTabWidget):
            out += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QWizardPage):
            out += [w.title(), w.subTitle()]
        elif isinstance(w, QAbstractItemView):
            out += list(_model_texts(w.model()))
    return [t.replace("&", "") for t in out if t and re.search(r"[A-Za-z]{2}", t)]


def english_left(texts: Iterable[str]) -> list[str]:
    plain, patterns = _english_sources()
    left = []
    for text in texts:
        for line in text.splitlines() or [text]:
            if line in plain or any(p.match(line) for p in patterns):
                left.append(line)
    return sorted(set(left))


@pytest.fixture
def dutch(qapp: object) -> Iterator[None]:
    assert install_language("nl") == "nl"
    yield
    remove_language()


def test_the_catalogue_is_dutch_and_keeps_its_terms() -> None:
    cat = _admin_catalogue()
    assert cat[("ConfigScreen", "Mills and sensors")] == "Molens en sensoren"
    assert cat[("UserAdminView", "Unlock")] == "Deblokkeren"
    # one word per thing across the group: a mill is a molen, a plant an installatie, the keyring a sleutelkluis
    dutch = " ".join(cat.values()).lower()
    assert "molen" in dutch and "installatie" in dutch and "sleutelkluis" in dutch
    assert "fabriek" not in dutch and "sleutelbos" not in dutch


# -- numbers -----------------------------------------------------------------------------------------------
def test_numbers_read_and_show_a_decimal_comma(dutch: None) -> None:
    assert number_or_text("47,5") == 47.5 and number_or_text("47.5") == 47.5
    assert number_or_text("1.234,5") == 1234.5  # Dutch grouping, as a person might type it
    assert number_or_text("-0,4") == -0.4 and number_or_text("abc") == "abc" and number_or_text(" ") is None
    assert fmt_short(10.5) == "10,5" and fmt_short(400.0) == "400" and fmt_short(-0.4) == "-0,4"
    remove_language()
    assert fmt_short(10.5) == "10.5" and number_or_text("47,5") == 47.5  # a comma is read in English too


def test_problem_texts_are_dutch(dutch: None) -> None:
    problems = [PlantProblem("mill north", "thresholds.critical_max", "x"), PlantProblem("mill north", "name", "y")]
    assert problem_summary(problems) == "Los 2 problemen op voordat u opslaat: Kritiek hoog (HH): x."
    assert problem_summary(problems[:1]).startswith("Los dit probleem op voordat u opslaat: Kritiek hoog (HH)")
    assert failure_text(PlantError(problems)) == "Thresholds.critical_max: x (en nog 1)"


# -- configuration -----------------------------------------------------------------------------------------
@pytest.fixture
def config_screen(qtbot, themed_app, dutch, config_rig: ConfigRig, tmp_path: Path  # type: ignore[no-untyped-def]
                  ) -> Iterator[Callable[[str], ConfigScreen]]:
    made: list[tuple[ConfigScreen, SessionController]] = []

    def make(user: str) -> ConfigScreen:
        controller = SessionController(config_rig.auth, idle_timeout_s=0)
        controller.set_session(config_rig.sign_in(user))
        screen = ConfigScreen(demo_plant(), sensor_config=config_rig.service, session_provider=controller,
                              config_file=tmp_path / "config.toml")
        show_sized(qtbot, screen, (1280, 800), minimum=(1024, 700))
        qtbot.waitUntil(lambda: screen.sensors.mills_model.rowCount() == 2, timeout=WAIT_MS)
        made.append((screen, controller))
        return screen

    yield make
    for screen, controller in made:
        screen.shutdown()
        controller.shutdown()


def test_mills_and_sensors_in_dutch(qtbot, config_screen, config_rig: ConfigRig,  # type: ignore[no-untyped-def]
                                    artifacts_dir: Path) -> None:
    screen = config_screen("tom")
    ed = screen.sensors
    assert [screen.tabs.tabText(i) for i in range(3)] == ["Molens en sensoren", "Installatiebestand", "Verbindingen"]
    assert ed.new_mill_button.text() == "Nieuwe molen" and ed.edit_button.text() == "Bewerken"
    headers = [ed.sensors_model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == ["Sensor", "Type", "EUI", "Eenheid", "Interval", "Grenswaarden", "Kalibratie"]
    assert ed.mills_model.index(0, 2).data() == "Actief"  # the mill status as a domain word
    ed.select_mill("north")
    qtbot.waitUntil(lambda: ed.sensors_model.rowCount() > 0, timeout=WAIT_MS)
    rows = {s.eui: i for i, s in enumerate(ed.sensors_model.rows())}
    assert ed.sensors_model.index(rows[MOISTURE_EUI], 1).data() == "Vochtigheid"
    assert ed.sensors_model.index(rows[MOISTURE_EUI], 5).data() == "L 10,5 \u00b7 H 15,5 \u00b7 HH 17"

    # The form shows the stored limit with a decimal comma; a typed decimal comma is a number.
    ed.select_sensor(MOISTURE_EUI)
    ed.edit_selected()
    assert ed.form_open
    warning_min = ed.threshold_form.field("thresholds.warning_min")
    assert isinstance(warning_min, QLineEdit) and warning_min.text() == "10,5"
    assert ed.threshold_form.title.text() == "Alarmgrenzen"
    type_combo = ed.sensor_form.field("type")
    assert isinstance(type_combo, QComboBox) and type_combo.currentText() == "Vochtigheid"
    assert ed.sensor_form.values()["type"] == "humidity"  # the draft keeps the plant file's value
    ed.threshold_form.set_text("thresholds.warning_max", "16,25")
    ed.threshold_form.set_text("thresholds.critical_max", "16")
    qtbot.waitUntil(lambda: bool(ed.threshold_form.error_of("thresholds.critical_max")), timeout=WAIT_MS)
    assert ed.draft()["thresholds"]["warning_max"] == 16.25
    ed.save()
    assert ed.message.text().startswith("Los dit probleem op voordat u opslaat: Kritiek hoog (HH): ")
    left = english_left(visible_texts(screen))
    assert left == [], left
    screen.grab().save(str(artifacts_dir / "i18n_admin_config_nl.png"))

    ed.threshold_form.set_text("thresholds.critical_max", "17,5")
    ed.save()
    qtbot.waitUntil(lambda: ed.message.text().startswith("Sensor "), timeout=WAIT_MS)
    assert ed.message.text() == f"Sensor Intake grain moisture ({MOISTURE_EUI}) opgeslagen."
    stored = {s.eui: s for s in load_plant(config_rig.engine).sensors()}[MOISTURE_EUI]
    assert (stored.thresholds.warning_max, stored.thresholds.critical_max) == (16.25, 17.5)

    # New mill: the status choices are domain words; a viewer's form says why it is read-only.
    ed.new_mill()
    status = ed.mill_form.field("status")
    assert isinstance(status, QComboBox)
    assert [status.itemText(i) for i in range(status.count())] == ["Actief", "Onderhoud", "Offline", "Storing"]
    assert ed.form_title.text() == "Nieuwe molen"
    assert english_left(visible_texts(screen)) == []
    screen.grab().save(str(artifacts_dir / "i18n_admin_config_mill_nl.png"))


def test_a_viewer_reads_why_in_dutch(qtbot, config_screen) -> None:  # type: ignore[no-untyped-def]
    screen = config_screen("vic")
    ed = screen.sensors
    ed.select_mill("north")
    qtbot.waitUntil(lambda: ed.sensors_model.rowCount() > 0, timeout=WAIT_MS)
    ed.select_sensor(NORTH_EUI)
    ed.edit_selected()
    assert ed.read_only_notice.text().startswith("Alleen-lezen: ")
    assert english_left(visible_texts(screen)) == []


def test_plant_file_and_connections_in_dutch(qtbot, config_screen, tmp_path: Path,  # type: ignore[no-untyped-def]
                                             artifacts_dir: Path) -> None:
    import tomli_w

    from hmi.core.plant import plant_to_dict

    screen = config_screen("root")
    panel = screen.plant_file
    screen.tabs.setCurrentWidget(panel)
    assert panel.import_button.text() == "Importeren" and panel.browse_button.text() == "Bladeren\u2026"
    panel.import_file()
    assert panel.message.text() == "Kies eerst een installatiebestand."
    doc = plant_to_dict(demo_plant())
    doc["mills"][1]["capacity"] = -5
    bad = tmp_path / "bad.toml"
    bad.write_text(tomli_w.dumps(doc))
    panel.path.setText(str(bad))
    panel.validate_file()
    qtbot.waitUntil(lambda: panel.problems_model.rowCount() == 1, timeout=WAIT_MS)
    assert panel.message.text() == ("Het bestand is geweigerd: 1 probleem, hieronder vermeld. "
                                    "Er is niets geschreven.")
    assert panel.problems_title.text() == "1 probleem \u2014 er is niets geschreven"
    assert [panel.problems_model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Waar", "Veld", "Probleem"]
    good = tmp_path / "good.toml"
    good.write_text(tomli_w.dumps(plant_to_dict(demo_plant())))
    panel.path.setText(str(good))
    panel.validate_file()
    qtbot.waitUntil(lambda: panel.message.text().startswith("Geldig"), timeout=WAIT_MS)
    assert panel.message.text() == "Geldig: 2 molen(s), 31 sensor(en). Er is niets geschreven."
    assert english_left(visible_texts(screen)) == []

    conn = screen.connections
    screen.tabs.setCurrentWidget(conn)
    assert conn.test_button.text() == "Verbinding testen" and conn.save_button.text() == "Opslaan"
    assert conn.password.placeholderText() == "ongewijzigd (bewaard in de sleutelkluis)"
    conn.broker_url.setText("http://broker.example")
    conn.save()
    assert conn.message.text().startswith("Corrigeer de broker-URL voordat u opslaat: ")
    assert english_left(visible_texts(screen)) == []
    screen.grab().save(str(artifacts_dir / "i18n_admin_connections_nl.png"))


# -- users -------------------------------------------------------------------------------------------------
def test_user_admin_in_dutch(qtbot, themed_app, dutch, services: Services, controllers,  # type: ignore[no-untyped-def]
                             artifacts_dir: Path) -> None:
    controller = controllers(services)
    controller.set_session(services.session("root"))
    view = UserAdminView(services.users, controller, mills=[("north", "North Mill"), ("south", "South Mill")])
    view.setMinimumSize(1280, 720)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=WAIT_MS)
    model = view.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)] == [
        "Gebruikersnaam", "Naam", "Rol", "Molens", "Status", "Laatste aanmelding", "Mislukt", "Geblokkeerd tot"]
    root = model.row_of("root")
    assert model.index(root, UserTableModel.ROLE).data() == "beheerder"
    assert model.index(root, UserTableModel.MILLS).data() == "alle molens"
    assert model.index(root, UserTableModel.STATUS).data() == "actief"
    last = model.index(root, UserTableModel.LAST).data()
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2} \u00b7 console-1", last), last  # dd-MM-yyyy, 24 h
    assert model.index(model.row_of("ana"), UserTableModel.LAST).data() == "nooit"
    assert view.new_button.text() == "Nieuwe gebruiker" and view.unlock_button.text() == "Deblokkeren"
    assert view.reset_button.toolTip().startswith("De geselecteerde gebruiker een tijdelijk wachtwoord geven")

    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    form = view.form
    assert form.title.text() == "Nieuwe gebruiker" and form.submit.text() == "Gebruiker aanmaken"
    assert [form.role.itemText(i) for i in range(form.role.count())] == ["operator", "technicus", "kijker",
                                                                         "beheerder"]
    assert form.password_hint.text().startswith("Voldoet aan het wachtwoordbeleid")
    qtbot.keyClicks(form.username, "bea")
    form.role.setCurrentIndex(form.role.findData(Role.TECHNICIAN))
    form.mills.item(1).setCheckState(Qt.CheckState.Checked)
    left = english_left(visible_texts(view))
    assert left == [], left
    view.grab().save(str(artifacts_dir / "i18n_admin_users_nl.png"))
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.message.text().startswith("bea (technicus) aangemaakt."), timeout=WAIT_MS)
    assert "(te wijzigen bij de eerste aanmelding)" in view.message.text()
    qtbot.waitUntil(lambda: view.model.row_of("bea") >= 0, timeout=WAIT_MS)
    assert view.model.index(view.model.row_of("bea"), UserTableModel.STATUS).data() == "moet wachtwoord wijzigen"

    view.select_user("bea")
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    assert form.title.text() == "Gebruiker bewerken: bea" and form.submit.text() == "Wijzigingen opslaan"
    assert english_left(visible_texts(view)) == []
    view.shutdown()


def test_user_admin_refused_in_dutch(qtbot, themed_app, dutch, services: Services,  # type: ignore[no-untyped-def]
                                     controllers) -> None:
    controller = controllers(services)
    controller.set_session(services.session("vic"))
    view = UserAdminView(services.users, controller, mills=["north"])
    view.setMinimumSize(1280, 720)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert view.notice.text().startswith("Gebruikersbeheer is niet beschikbaar: ")
    assert english_left(visible_texts(view)) == []
    view.shutdown()


# -- the setup wizard --------------------------------------------------------------------------------------
def _to_page(qtbot, w: SetupWizard, page: QWizardPage) -> None:  # type: ignore[no-untyped-def]
    for _ in range(len(w.pageIds())):
        if w.currentPage() is page:
            return
        qtbot.waitUntil(w.currentPage().isComplete, timeout=20_000)
        w.next()
    assert w.currentPage() is page


def test_setup_wizard_in_dutch(qtbot, themed_app, dutch, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    w = SetupWizard(None)
    qtbot.addWidget(w)
    w.show()
    assert w.windowTitle() == "Millwatch instellen"
    db = w.database_page
    assert db.title() == "Database" and db.subTitle().startswith("Waar Millwatch de installatie")
    qtbot.waitUntil(db.isComplete, timeout=20_000)
    assert db.status.text().startswith("OK: er wordt een nieuwe database aangemaakt op ")
    assert w.button(QWizard.WizardButton.NextButton).text().replace("&", "") == "Volgende >"
    assert w.button(QWizard.WizardButton.CancelButton).text() == "Annuleren"
    grabs = {"database": w.grab()}

    _to_page(qtbot, w, w.broker_page)
    broker = w.broker_page
    assert broker.status.text() == "Geen broker: actuele waarden komen alleen van Modbus-apparaten."
    broker.url.setText("http://broker.example")
    assert broker.status.text().startswith("Probleem: ")
    broker.url.setText("")

    _to_page(qtbot, w, w.admin_page)
    admin = w.admin_page
    assert admin.title() == "Beheerder" and admin.status.text() == "Kies een wachtwoord van minstens 12 tekens."
    admin.username.setText("chief")
    admin.password.setText(GOOD_PASSWORD)
    admin.repeat.setText(GOOD_PASSWORD + "x")
    assert admin.status.text() == "Probleem: de twee wachtwoorden verschillen"
    admin.repeat.setText(GOOD_PASSWORD)
    assert admin.status.text() == "OK: het wachtwoord voldoet aan het beleid"
    grabs["admin"] = w.grab()

    _to_page(qtbot, w, w.plant_page)
    plant = w.plant_page
    assert plant.demo_radio.isChecked() and plant.status.text().startswith("De demo-installatie: twee molens")
    assert plant.keep_radio.text() == "De installatie in de database behouden (de database heeft er geen)"
    grabs["plant"] = w.grab()

    _to_page(qtbot, w, w.summary_page)
    summary = w.summary_page.text.text().splitlines()
    assert summary[0].startswith("Database: sqlite:///") and summary[1] == "Broker: geen"
    assert summary[2:4] == ["Nieuwe beheerder: chief", "Installatie: de demo-installatie, gesimuleerd"]
    assert summary[4].startswith("Instellingenbestand: ")
    assert w.button(QWizard.WizardButton.CommitButton).text() == "Toepassen"
    grabs["summary"] = w.grab()
    left = english_left(visible_texts(w))
    assert left == [], left

    w.next()
    apply = w.apply_page
    qtbot.waitUntil(lambda: apply.isComplete() or apply.error is not None, timeout=20_000)
    assert apply.error is None, apply.error
    log = apply.log.toPlainText().splitlines()
    assert log[0].startswith("schema van ") and log[0].endswith(" bijwerken")
    assert "beheerder chief aanmaken" in log and "installatie demo.toml importeren" in log
    assert log[-1].startswith("instellingen geschreven naar ")
    assert apply.status.text() == "OK: Millwatch is ingesteld. Met Voltooien start u het programma."
    assert w.button(QWizard.WizardButton.FinishButton).text().replace("&", "") == "Voltooien"
    grabs["apply"] = w.grab()
    assert english_left(visible_texts(w)) == []
    for name, pixmap in grabs.items():
        pixmap.save(str(artifacts_dir / f"i18n_admin_wizard_{name}_nl.png"))


# -- tools -------------------------------------------------------------------------------------------------
def test_tools_screen_tabs_in_dutch(qtbot, themed_app, dutch) -> None:  # type: ignore[no-untyped-def]
    def no_links() -> list[Any]:
        return []

    screen = ToolsScreen(broker=None, link_snapshot=no_links)
    qtbot.addWidget(screen)
    try:
        assert [screen.tabs.tabText(i) for i in range(3)] == [
            "MQTT-topicverkenner", "Modbus-registerscanner", "Verbindingsdiagnose"]
    finally:
        screen.shutdown()
