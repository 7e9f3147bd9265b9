"""The setup wizard with qtbot, against real databases and a real broker.

Both database choices (the local SQLite file, a shared PostgreSQL tested on the spot), broker URLs
that are refused (malformed, unreachable) or tested and kept in the keyring, the password policy on
the first admin, the plant choices, and rerunning the wizard from settings. Every test and the apply
step run on worker threads: the tests wait for the pages to say they are complete.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication, QWizard
from sqlalchemy import text

from hmi.config import Settings, config_path, load_settings, needs_setup, save_settings
from hmi.core.domain import Role
from hmi.services.users import add_user
from hmi.storage.database import default_db_url, make_engine
from hmi.storage.migrate import head_revision, upgrade
from hmi.ui.wizard import SetupWizard, open_setup_wizard, run_setup_wizard
from tests.support.memory_keyring import MemoryKeyring
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "plants" / "demo.toml"
GOOD_PASSWORD = "correct-horse-battery"
WAIT_MS = 20_000


@pytest.fixture
def wizard(qtbot) -> SetupWizard:  # type: ignore[no-untyped-def]
    w = SetupWizard(None)
    qtbot.addWidget(w)
    w.show()
    return w


def _admin(w: SetupWizard, name: str = "chief", password: str = GOOD_PASSWORD, repeat: str | None = None) -> None:
    page = w.admin_page
    page.username.setText(name)
    page.password.setText(password)
    page.repeat.setText(password if repeat is None else repeat)


def _to_page(qtbot, w: SetupWizard, page) -> None:  # type: ignore[no-untyped-def]
    """Press Next until `page` is current, waiting for each page to be complete first."""
    for _ in range(len(w.pageIds())):
        if w.currentPage() is page:
            return
        current = w.currentPage()
        qtbot.waitUntil(current.isComplete, timeout=WAIT_MS)
        w.next()
    assert w.currentPage() is page


def _apply(qtbot, w: SetupWizard) -> Settings:  # type: ignore[no-untyped-def]
    _to_page(qtbot, w, w.summary_page)
    assert w.summary_page.isCommitPage()
    w.next()  # "Apply"
    assert w.currentPage() is w.apply_page
    qtbot.waitUntil(lambda: w.apply_page.isComplete() or w.apply_page.error is not None, timeout=WAIT_MS)
    assert w.apply_page.error is None, w.apply_page.error
    with qtbot.waitSignal(w.configured, timeout=WAIT_MS) as blocker:
        w.button(QWizard.WizardButton.FinishButton).click()
    settings = blocker.args[0]
    assert isinstance(settings, Settings)
    return settings


def _users(url: str) -> dict[str, str]:
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            return {r[0]: r[1] for r in c.execute(text("SELECT username, role FROM users"))}
    finally:
        engine.dispose()


def _mills(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            return int(c.execute(text("SELECT count(*) FROM mills")).scalar_one())
    finally:
        engine.dispose()


# -- the whole wizard ---------------------------------------------------------------------------------------
def test_first_run_on_local_sqlite_with_the_demo_plant(qtbot, wizard: SetupWizard) -> None:
    assert not wizard.isModal() and wizard.windowModality() == Qt.WindowModality.NonModal
    page = wizard.database_page
    assert page.sqlite_radio.isChecked() and not page.test_button.isVisible()
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)  # the file is checked off the GUI thread
    assert "new database will be created" in page.status.text()
    _to_page(qtbot, wizard, wizard.admin_page)
    assert not wizard.admin_page.isComplete()  # no password yet
    _admin(wizard)
    _to_page(qtbot, wizard, wizard.plant_page)
    assert wizard.plant_page.choice() == "demo"
    _to_page(qtbot, wizard, wizard.summary_page)
    summary = wizard.summary_page.text.text()
    assert "Database: sqlite:///" in summary and "chief" in summary and GOOD_PASSWORD not in summary

    settings = _apply(qtbot, wizard)
    assert settings == Settings(database_url="", broker_url="", simulate=True, plant_file="")
    assert load_settings() == settings
    assert _users(default_db_url()) == {"chief": Role.ADMIN.value}
    assert _mills(default_db_url()) == 2
    assert GOOD_PASSWORD not in config_path().read_text()


def test_shared_postgresql_is_tested_on_the_spot(qtbot, wizard: SetupWizard, pg_url: str,
                                                 isolated_user_env: MemoryKeyring) -> None:
    page = wizard.database_page
    page.pg_radio.setChecked(True)
    assert page.test_button.isVisible() and not page.isComplete()
    page.pg_url.setText(pg_url)
    page.pg_password.setText("pg-secret")  # trust auth accepts it; it must land in the keyring only
    assert not page.isComplete()
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    assert "connected (PostgreSQL" in page.status.text() and "empty database" in page.status.text()
    page.pg_url.setText(pg_url + "x")  # another database: the test no longer holds
    assert not page.isComplete()
    page.pg_url.setText(pg_url)
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)

    _to_page(qtbot, wizard, wizard.admin_page)
    _admin(wizard)
    _to_page(qtbot, wizard, wizard.plant_page)
    wizard.plant_page.none_radio.setChecked(True)
    settings = _apply(qtbot, wizard)

    assert settings.database_url == pg_url and settings.simulate is False
    user_host = pg_url.split("://", 1)[1]  # postgres@127.0.0.1:PORT/DB
    key = "database:" + user_host
    assert isolated_user_env.get_password("millwatch", key) == "pg-secret"
    assert "pg-secret" not in config_path().read_text()
    assert _users(pg_url) == {"chief": "admin"}
    assert _mills(pg_url) == 0
    engine = make_engine(pg_url)
    try:
        with engine.connect() as c:
            assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    finally:
        engine.dispose()


def test_unreachable_postgresql_cannot_be_chosen(qtbot, wizard: SetupWizard) -> None:
    page = wizard.database_page
    page.pg_radio.setChecked(True)
    page.pg_url.setText(f"postgresql://millwatch@127.0.0.1:{free_port()}/millwatch")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text().startswith("Problem:"), timeout=WAIT_MS)
    assert "cannot connect" in page.status.text()
    assert not page.isComplete()
    assert page.test_button.isEnabled()  # try again


# -- broker ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://broker.example", "must start with mqtt:// or mqtts://"),
        ("mqtt://hmi:secret@broker.example:1883", "put the broker password in the keyring"),
        ("mqtt://broker.example:99999", "bad port"),
        ("mqtt://", "has no host"),
    ],
)
def test_bad_broker_url_is_refused(qtbot, wizard: SetupWizard, url: str, problem: str) -> None:
    page = wizard.broker_page
    assert page.isComplete()  # no broker is a valid choice
    page.url.setText(url)
    assert page.status.text().startswith("Problem:") and problem in page.status.text()
    assert not page.test_button.isEnabled()
    assert not page.isComplete()
    page.url.setText("")
    assert page.isComplete()


def test_unreachable_broker_is_refused(qtbot, wizard: SetupWizard) -> None:
    page = wizard.broker_page
    page.url.setText(f"mqtt://127.0.0.1:{free_port()}")
    assert not page.isComplete() and page.test_button.isEnabled()
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text().startswith("Problem:"), timeout=WAIT_MS)
    assert "cannot reach 127.0.0.1" in page.status.text()
    assert not page.isComplete()


def test_broker_is_tested_and_its_password_goes_to_the_keyring(qtbot, wizard: SetupWizard, mosquitto,
                                                                isolated_user_env: MemoryKeyring) -> None:
    url = f"mqtt://hmi@127.0.0.1:{mosquitto.port}"
    qtbot.waitUntil(wizard.database_page.isComplete, timeout=WAIT_MS)
    wizard.next()
    page = wizard.broker_page
    page.url.setText(url)
    page.password.setText("broker-secret")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    assert f"connected to mqtt://hmi@127.0.0.1:{mosquitto.port}" in page.status.text()
    _to_page(qtbot, wizard, wizard.admin_page)
    _admin(wizard)
    settings = _apply(qtbot, wizard)

    assert settings.broker_url == url
    assert isolated_user_env.get_password("millwatch", f"broker:hmi@127.0.0.1:{mosquitto.port}") == "broker-secret"
    text_ = config_path().read_text()
    assert url in text_ and "broker-secret" not in text_


# -- first administrator -------------------------------------------------------------------------------------------
def test_weak_passwords_are_refused(qtbot, wizard: SetupWizard) -> None:
    _to_page(qtbot, wizard, wizard.admin_page)
    page = wizard.admin_page
    for name, password, repeat, problem in [
        ("chief", "short", "short", "at least 12 characters"),
        ("chief", "chief-is-the-boss", None, "must not contain the username"),
        ("chief", " padded-password ", None, "must not start or end with spaces"),
        ("chief", GOOD_PASSWORD, GOOD_PASSWORD + "x", "the two passwords differ"),
        ("Bad Name", GOOD_PASSWORD, None, "user name"),
    ]:
        _admin(wizard, name, password, repeat)
        assert not page.isComplete(), (name, password)
        assert problem in page.status.text(), page.status.text()
        assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    _admin(wizard)
    assert page.isComplete() and wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_a_database_with_an_admin_needs_no_new_one(qtbot, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'site.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    add_user(engine, "boss", GOOD_PASSWORD, Role.ADMIN)
    engine.dispose()
    save_settings(Settings(database_url=url))
    w = SetupWizard(load_settings())
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(w.database_page.isComplete, timeout=WAIT_MS)
    assert "1 admin(s)" in w.database_page.status.text()
    _to_page(qtbot, w, w.admin_page)
    assert w.admin_page.isComplete() and "boss" in w.admin_page.existing.text()
    w.admin_page.create_check.setChecked(True)
    assert not w.admin_page.isComplete()
    _admin(w, "boss")
    assert "already exists" in w.admin_page.status.text()
    w.admin_page.create_check.setChecked(False)
    _to_page(qtbot, w, w.plant_page)
    w.plant_page.none_radio.setChecked(True)
    assert w.plan().admin_username == ""
    settings = _apply(qtbot, w)
    assert settings.database_url == url
    assert _users(url) == {"boss": "admin"}


# -- plant ------------------------------------------------------------------------------------------------------------
def test_plant_file_is_validated_before_it_can_be_imported(qtbot, wizard: SetupWizard, tmp_path: Path) -> None:
    _to_page(qtbot, wizard, wizard.admin_page)
    _admin(wizard)
    _to_page(qtbot, wizard, wizard.plant_page)
    page = wizard.plant_page
    assert not page.keep_radio.isEnabled()  # an empty database has no plant to keep
    bad = tmp_path / "bad.toml"
    bad.write_text(DEMO.read_text().replace("capacity = 400", 'capacity = "big"'))
    page.file_radio.setChecked(True)
    page.file_path.setText(str(bad))
    assert not page.isComplete()
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text().startswith("Problem:"), timeout=WAIT_MS)
    assert "capacity" in page.status.text() and not page.isComplete()
    good = tmp_path / "plant.toml"
    shutil.copyfile(DEMO, good)
    page.file_path.setText(str(good))
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    assert "2 mill(s), 31 sensor(s)" in page.status.text()
    settings = _apply(qtbot, wizard)
    assert settings.plant_file == str(good) and settings.simulate is False
    assert _mills(default_db_url()) == 2


# -- rerun from settings ---------------------------------------------------------------------------------------------
def test_rerun_from_settings_is_prefilled_and_not_modal(qtbot) -> None:
    save_settings(Settings(database_url="postgresql+psycopg://millwatch@db.example:5432/mw",
                           broker_url="mqtt://hmi@broker.example:1883"))
    w = open_setup_wizard(None)
    qtbot.addWidget(w)
    assert w.isVisible() and not w.isModal() and w.windowModality() == Qt.WindowModality.NonModal
    assert not w.first_run and "again" in w.windowTitle()
    assert w.database_page.pg_radio.isChecked()
    assert w.database_page.pg_url.text() == "postgresql+psycopg://millwatch@db.example:5432/mw"
    assert w.broker_page.url.text() == "mqtt://hmi@broker.example:1883"
    assert not w.database_page.isComplete()  # the shared database is tested again before going on
    w.close()


# -- the first run, as the composition root starts it -------------------------------------------------------------
class _Driver(QObject):
    """Plays the user on whatever setup wizard is open, from a timer on the GUI thread."""

    def __init__(self, finish: bool) -> None:
        super().__init__()
        self.finish = finish
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._on_tick)
        self.timer.start(50)

    @Slot()
    def _on_tick(self) -> None:
        wizards = [w for w in QApplication.topLevelWidgets() if isinstance(w, SetupWizard) and w.isVisible()]
        if not wizards:
            return
        w = wizards[0]
        if not self.finish:
            self.timer.stop()
            w.reject()
            return
        page = w.currentPage()
        if page is w.admin_page and not page.isComplete():
            _admin(w)
        if not page.isComplete():
            return
        if page is w.apply_page:
            self.timer.stop()
            w.button(QWizard.WizardButton.FinishButton).click()
        else:
            w.next()


@pytest.fixture
def restore_look(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """run_setup_wizard applies the Millwatch theme to the application: undo it for the next tests."""
    style, font, sheet = qapp.style().name(), qapp.font(), qapp.styleSheet()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    qapp.setStyle(style)


def _event_loop_still_runs(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The main window's event loop starts after the wizard's: nothing left queued may end it."""
    timer = QTimer()
    timer.setSingleShot(True)
    with qtbot.waitSignal(timer.timeout, timeout=3000):
        timer.start(300)


def test_first_run_wizard_returns_the_settings(qtbot, restore_look: None) -> None:
    driver = _Driver(finish=True)
    settings = run_setup_wizard()
    driver.deleteLater()
    assert settings == Settings(simulate=True)
    assert load_settings() == settings and not needs_setup(None)
    _event_loop_still_runs(qtbot)
    assert QApplication.instance().quitOnLastWindowClosed()


def test_first_run_wizard_cancelled_returns_none(qtbot, restore_look: None) -> None:
    driver = _Driver(finish=False)
    assert run_setup_wizard() is None
    driver.deleteLater()
    assert needs_setup(None)  # nothing written: the wizard comes again next time
    _event_loop_still_runs(qtbot)
