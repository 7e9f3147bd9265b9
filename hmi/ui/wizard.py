"""The setup wizard: shown on the first run (no settings file), and again from Settings.

Pages: database (local SQLite, or a shared PostgreSQL tested on the spot), broker (URL and
password, tested on the spot; the password goes to the keyring), first administrator (the password
policy applies), plant (the demo plant, a plant file, or what the database holds), summary, apply.

Every test and the apply step run on a worker thread; their results come back through a queued
signal to a slot of the page, so the window never freezes on a slow network. The wizard is a
top-level window shown with `show()`, never `exec()`: nothing else is blocked while it is open.
Secrets go to the keyring (hmi.storage.secrets); the settings file gets URLs without passwords.

It is the first thing an installer sees: every text is translated (QWizard's own buttons through Qt's
catalogue), and the checks' messages come back from hmi/ui/wizard_checks.py already translated.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from hmi.config import Settings, config_path, strip_password
from hmi.core.passwords import PasswordPolicy
from hmi.services.users import USERNAME_RE
from hmi.storage.database import default_data_dir, default_db_url, safe_url
from hmi.ui.i18n import message_text, translate
from hmi.ui.theme import set_state_property
from hmi.ui.wizard_checks import (
    PLANT_DEMO,
    PLANT_FILE,
    PLANT_KEEP,
    PLANT_NONE,
    BrokerProbe,
    DbProbe,
    SetupError,
    SetupPlan,
    apply_setup,
    check_broker_url,
    compose_database_url,
    probe_broker,
    probe_database,
    validate_plant_file,
)

log = logging.getLogger(__name__)
SQLITE_DEBOUNCE_MS = 250
SIZE = (760, 560)
MIN_SIZE = (640, 480)
_tokens = itertools.count(1)


class _Job(QObject):
    """Runs one function on a worker thread; `done(token, result or exception)` carries the outcome
    back, `progress(text)` the lines it reports on the way.

    The job is a child of the page that started it and lives on the GUI thread: both signals are
    emitted from the worker and delivered queued to @Slot methods on the GUI thread. It deletes
    itself (deleteLater, on the GUI thread) once its result is delivered."""

    done = Signal(int, object)
    progress = Signal(str)

    def __init__(self, parent: QObject, fn: Callable[[_Job], Any], on_done: Any, on_progress: Any = None) -> None:
        super().__init__(parent)
        self.token = next(_tokens)
        self.done.connect(on_done)
        self.done.connect(self._on_done)
        if on_progress is not None:
            self.progress.connect(on_progress)
        self._fn = fn
        threading.Thread(target=self._run, name="setup-check", daemon=True).start()

    def _run(self) -> None:
        try:
            result: Any = self._fn(self)
        except Exception as exc:  # noqa: BLE001 - handed to the page, which shows it
            log.warning("setup step failed: %s: %s", type(exc).__name__, exc)
            result = exc
        try:
            self.done.emit(self.token, result)
        except RuntimeError:  # the wizard was closed and deleted meanwhile
            pass

    @Slot(int, object)
    def _on_done(self, _token: int, _result: object) -> None:
        self.deleteLater()


def _status_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("setupStatus")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _show(label: QLabel, state: str, text: str) -> None:
    """state: ok | error | pending | info (a dynamic property the stylesheet may colour). `text` may be a
    message from below the UI (a `Text`): it is shown in the user's language."""
    text = message_text(text)
    if state == "ok":
        text = translate("SetupWizard", "OK: {text}").format(text=text)
    elif state == "error":
        text = translate("SetupWizard", "Problem: {text}").format(text=text)
    label.setText(text)
    set_state_property(label, "state", state)


def _password_field(parent: QWidget, placeholder: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


# -- database ---------------------------------------------------------------------------------------------
class DatabasePage(QWizardPage):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Database"))
        self.setSubTitle(self.tr("Where Millwatch keeps the plant, its history, alarms and users."))
        self.default_path = str(default_data_dir() / "millwatch.sqlite")
        self.sqlite_radio = QRadioButton(self.tr("Local database on this computer (SQLite): one workstation"), self)
        self.sqlite_path = QLineEdit(self.default_path, self)
        self.pg_radio = QRadioButton(self.tr("Shared database (PostgreSQL): a control room with several "
                                             "workstations"), self)
        self.pg_url = QLineEdit(self)
        self.pg_url.setPlaceholderText("postgresql://millwatch@db.example:5432/millwatch")
        self.pg_password = _password_field(self, self.tr("password (kept in the OS keyring, not in a file)"))
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.status = _status_label(self)
        group = QButtonGroup(self)
        group.addButton(self.sqlite_radio)
        group.addButton(self.pg_radio)

        grid = QGridLayout()
        grid.addWidget(self.sqlite_radio, 0, 0, 1, 3)
        grid.addWidget(QLabel(self.tr("File:"), self), 1, 1)
        grid.addWidget(self.sqlite_path, 1, 2)
        grid.addWidget(self.pg_radio, 2, 0, 1, 3)
        grid.addWidget(QLabel(self.tr("URL:"), self), 3, 1)
        grid.addWidget(self.pg_url, 3, 2)
        grid.addWidget(QLabel(self.tr("Password:"), self), 4, 1)
        grid.addWidget(self.pg_password, 4, 2)
        grid.setColumnMinimumWidth(0, 16)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.test_button)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)

        url = settings.database_url
        if url.startswith("postgres"):
            self.pg_radio.setChecked(True)
            self.pg_url.setText(strip_password(url)[0])
        else:
            self.sqlite_radio.setChecked(True)
            if url.startswith("sqlite:///"):
                self.sqlite_path.setText(url[len("sqlite:///") :])

        self.probe: DbProbe | None = None
        self._probe_key: tuple[str, str] | None = None
        self._job: _Job | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SQLITE_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_test)
        self.sqlite_radio.toggled.connect(self._on_changed)
        self.sqlite_path.textChanged.connect(self._on_changed)
        self.pg_url.textChanged.connect(self._on_changed)
        self.pg_password.textChanged.connect(self._on_changed)
        self.test_button.clicked.connect(self._on_test)
        self._on_changed()

    # what the other pages ask
    @property
    def uses_postgres(self) -> bool:
        return self.pg_radio.isChecked()

    def url(self) -> str:
        """The URL to store: "" for the default SQLite file; never with a password."""
        if self.uses_postgres:
            return strip_password(compose_database_url(self.pg_url.text(), None))[0]
        path = self.sqlite_path.text().strip()
        return "" if path == self.default_path else f"sqlite:///{path}"

    def password(self) -> str | None:
        if not self.uses_postgres:
            return None
        return self.pg_password.text() or strip_password(self.pg_url.text().strip())[1]

    def _key(self) -> tuple[str, str]:
        return (self.url() or default_db_url(), self.password() or "")

    def isComplete(self) -> bool:
        return self.probe is not None and self.probe.ok and self._probe_key == self._key()

    @Slot()
    def _on_changed(self) -> None:
        pg = self.uses_postgres
        self.sqlite_path.setEnabled(not pg)
        for w in (self.pg_url, self.pg_password, self.test_button):
            w.setEnabled(pg)
        self.test_button.setVisible(pg)
        if pg and not self.pg_url.text().strip():
            _show(self.status, "info", self.tr("Enter the URL of the PostgreSQL database, then test the connection."))
        elif pg:
            _show(self.status, "info", self.tr("Not tested yet: test the connection to go on."))
        elif not self.sqlite_path.text().strip():
            _show(self.status, "error", self.tr("Enter the path of the database file."))
        else:
            _show(self.status, "pending", self.tr("Checking the file..."))
            self._debounce.start()
        self.completeChanged.emit()

    @Slot()
    def _on_test(self) -> None:
        if self.uses_postgres and not self.pg_url.text().strip():
            return
        url, password = self._key()
        full = compose_database_url(url, password or None)
        _show(self.status, "pending", self.tr("Connecting to {url}...").format(url=safe_url(full)))
        self.test_button.setEnabled(False)
        key = (url, password)
        self._job = _Job(self, lambda _job: (key, probe_database(full)), self._on_probe_done)

    @Slot(int, object)
    def _on_probe_done(self, token: int, result: object) -> None:
        if self._job is None or token != self._job.token:
            return  # an older test, overtaken by a newer one
        self._job = None
        self.test_button.setEnabled(self.uses_postgres)
        if isinstance(result, BaseException):
            self.probe, self._probe_key = DbProbe(False, f"{type(result).__name__}: {result}"), None
        else:
            key, probe = cast(tuple[tuple[str, str], DbProbe], result)
            if key != self._key():
                return  # the fields changed while testing: that result is for something else
            self.probe, self._probe_key = probe, key
        _show(self.status, "ok" if self.probe.ok else "error", self.probe.message)
        self.completeChanged.emit()


# -- broker --------------------------------------------------------------------------------------------------
class BrokerPage(QWizardPage):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("MQTT broker"))
        self.setSubTitle(self.tr("Where the mills publish their readings. Leave it empty if they are all read over "
                                 "Modbus."))
        self.url = QLineEdit(settings.broker_url, self)
        self.url.setPlaceholderText(self.tr("mqtt://user@broker.example:1883   or   "
                                            "mqtts://user@broker.example:8883?ca=CA.pem"))
        self.password = _password_field(self, self.tr("password (kept in the OS keyring, not in a file)"))
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.status = _status_label(self)
        form = QFormLayout()
        form.addRow(self.tr("Broker URL:"), self.url)
        form.addRow(self.tr("Password:"), self.password)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.test_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.probe: BrokerProbe | None = None
        self._probe_key: tuple[str, str] | None = None
        self._job: _Job | None = None
        self.url.textChanged.connect(self._on_changed)
        self.password.textChanged.connect(self._on_changed)
        self.test_button.clicked.connect(self._on_test)
        self._on_changed()

    def broker_url(self) -> str:
        return self.url.text().strip()

    def _key(self) -> tuple[str, str]:
        return (self.broker_url(), self.password.text())

    def problem(self) -> str | None:
        return check_broker_url(self.broker_url())

    def isComplete(self) -> bool:
        if not self.broker_url():
            return True
        return self.problem() is None and self.probe is not None and self.probe.ok and self._probe_key == self._key()

    @Slot()
    def _on_changed(self) -> None:
        problem = self.problem()
        self.test_button.setEnabled(bool(self.broker_url()) and problem is None and self._job is None)
        if not self.broker_url():
            _show(self.status, "info", self.tr("No broker: live values come only from Modbus devices."))
        elif problem:
            _show(self.status, "error", problem)
        else:
            _show(self.status, "info", self.tr("Not tested yet: test the connection to go on."))
        self.completeChanged.emit()

    @Slot()
    def _on_test(self) -> None:
        if self.problem() is not None or not self.broker_url():
            return
        key = self._key()
        _show(self.status, "pending", self.tr("Connecting to {url}...").format(url=self.broker_url()))
        self.test_button.setEnabled(False)
        self._job = _Job(self, lambda _job: (key, probe_broker(key[0], key[1] or None)), self._on_probe_done)

    @Slot(int, object)
    def _on_probe_done(self, token: int, result: object) -> None:
        if self._job is None or token != self._job.token:
            return
        self._job = None
        if isinstance(result, BaseException):
            probe, key = BrokerProbe(False, f"{type(result).__name__}: {result}"), None
        else:
            key, probe = cast(tuple[tuple[str, str], BrokerProbe], result)
        if key is not None and key != self._key():
            self._on_changed()
            return
        self.probe, self._probe_key = probe, key
        self.test_button.setEnabled(True)
        _show(self.status, "ok" if probe.ok else "error", probe.message)
        self.completeChanged.emit()


# -- first administrator -----------------------------------------------------------------------------------------
class AdminPage(QWizardPage):
    def __init__(self, policy: PasswordPolicy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.policy = policy
        self.setTitle(self.tr("Administrator"))
        self.setSubTitle(self.tr("The first account, which creates the others. Its password follows the password "
                                 "policy."))
        self.existing = QLabel(self)
        self.existing.setWordWrap(True)
        self.create_check = QCheckBox(self.tr("Create another administrator"), self)
        self.username = QLineEdit("admin", self)  # a user name: the same in every language
        self.display_name = QLineEdit(self.tr("Administrator"), self)
        self.password = _password_field(self, self.tr("at least {n} characters").format(n=policy.min_length))
        self.repeat = _password_field(self, self.tr("the same password again"))
        self.status = _status_label(self)
        form = QFormLayout()
        form.addRow(self.tr("User name:"), self.username)
        form.addRow(self.tr("Full name:"), self.display_name)
        form.addRow(self.tr("Password:"), self.password)
        form.addRow(self.tr("Repeat:"), self.repeat)
        layout = QVBoxLayout(self)
        layout.addWidget(self.existing)
        layout.addWidget(self.create_check)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._existing_users: tuple[str, ...] = ()
        self._has_admin = False
        self.existing.hide()
        self.create_check.hide()
        for w in (self.username, self.password, self.repeat):
            w.textChanged.connect(self._on_changed)
        self.create_check.toggled.connect(self._on_changed)

    def initializePage(self) -> None:
        probe = self._db_probe()
        admins = probe.admins if probe is not None else ()
        self._existing_users = probe.users if probe is not None else ()
        has_admin = self._has_admin = bool(admins)
        self.existing.setVisible(has_admin)
        self.create_check.setVisible(has_admin)
        if has_admin:
            self.existing.setText(self.tr("This database already has an administrator ({names}): you may skip this "
                                          "step.").format(names=", ".join(admins)))
            self.create_check.setChecked(False)
        self._on_changed()

    def _db_probe(self) -> DbProbe | None:
        wizard = self.wizard()
        return wizard.database_page.probe if isinstance(wizard, SetupWizard) else None

    @property
    def creating(self) -> bool:
        return not self._has_admin or self.create_check.isChecked()

    def problems(self) -> list[str]:
        """What keeps the page from being complete, in the user's language."""
        if not self.creating:
            return []
        name = self.username.text().strip().lower()
        out = []
        if not USERNAME_RE.match(name):
            out.append(self.tr("user name: 2-64 characters: lowercase letters, digits, '.', '_', '-', starting with "
                               "a letter"))
        elif name in self._existing_users:
            out.append(self.tr("user {name} already exists in this database").format(name=name))
        out += [message_text(p) for p in self.policy.problems(self.password.text(), name)]
        if self.password.text() != self.repeat.text():
            out.append(self.tr("the two passwords differ"))
        return out

    def isComplete(self) -> bool:
        return not self.problems()

    @Slot()
    def _on_changed(self) -> None:
        creating = self.creating
        for w in (self.username, self.display_name, self.password, self.repeat):
            w.setEnabled(creating)
        problems = self.problems()
        if not creating:
            _show(self.status, "info", self.tr("No new administrator will be created."))
        elif problems and (self.password.text() or self.repeat.text()):
            _show(self.status, "error", problems[0])
        elif problems:
            _show(self.status, "info", self.tr("Choose a password of at least {n} characters.").format(
                n=self.policy.min_length))
        else:
            _show(self.status, "ok", self.tr("the password meets the policy"))
        self.completeChanged.emit()


# -- plant ---------------------------------------------------------------------------------------------------------
class PlantPage(QWizardPage):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Plant"))
        self.setSubTitle(self.tr("The mills and their sensors. A plant file can also be imported later "
                                 "(millwatch plant import FILE)."))
        self.demo_radio = QRadioButton(self.tr("Start with the demo plant (simulated values: to try Millwatch out)"),
                                       self)
        self.file_radio = QRadioButton(self.tr("Import a plant file (TOML)"), self)
        self.file_path = QLineEdit(settings.plant_file, self)
        self.file_path.setPlaceholderText(self.tr("/path/to/plant.toml"))
        self.check_button = QPushButton(self.tr("Check file"), self)
        self.keep_radio = QRadioButton(self.tr("Keep the plant already in the database"), self)
        self.none_radio = QRadioButton(self.tr("No plant for now"), self)
        self.status = _status_label(self)
        group = QButtonGroup(self)
        for b in (self.demo_radio, self.file_radio, self.keep_radio, self.none_radio):
            group.addButton(b)
        row = QHBoxLayout()
        row.addSpacing(16)
        row.addWidget(self.file_path, 1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.demo_radio)
        layout.addWidget(self.file_radio)
        layout.addLayout(row)
        layout.addWidget(self.keep_radio)
        layout.addWidget(self.none_radio)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._checked: tuple[str, bool] | None = None  # (path, valid)
        self._job: _Job | None = None
        self.demo_radio.setChecked(True)
        for b in (self.demo_radio, self.file_radio, self.keep_radio, self.none_radio):
            b.toggled.connect(self._on_changed)
        self.file_path.textChanged.connect(self._on_changed)
        self.check_button.clicked.connect(self._on_check)

    def initializePage(self) -> None:
        wizard = self.wizard()
        probe = wizard.database_page.probe if isinstance(wizard, SetupWizard) else None
        mills = probe.mills if probe is not None else 0
        self.keep_radio.setEnabled(mills > 0)
        self.keep_radio.setText(self.tr("Keep the plant already in the database (%n mill(s))", "", mills) if mills
                                else self.tr("Keep the plant already in the database (it has none)"))
        if mills and not self.file_radio.isChecked():
            self.keep_radio.setChecked(True)
        elif not mills and self.keep_radio.isChecked():
            self.demo_radio.setChecked(True)
        self._on_changed()

    def choice(self) -> str:
        if self.file_radio.isChecked():
            return PLANT_FILE
        if self.keep_radio.isChecked():
            return PLANT_KEEP
        if self.none_radio.isChecked():
            return PLANT_NONE
        return PLANT_DEMO

    def isComplete(self) -> bool:
        if self.choice() != PLANT_FILE:
            return True
        return self._checked == (self.file_path.text().strip(), True)

    @Slot()
    def _on_changed(self) -> None:
        is_file = self.file_radio.isChecked()
        self.file_path.setEnabled(is_file)
        self.check_button.setEnabled(is_file and bool(self.file_path.text().strip()) and self._job is None)
        path = self.file_path.text().strip()
        if is_file and self._checked is not None and self._checked[0] == path:
            pass  # keep the result shown for this path
        elif is_file:
            _show(self.status, "info", self.tr("Check the file to go on: it is validated whole before anything is "
                                               "written."))
        elif self.choice() == PLANT_DEMO:
            _show(self.status, "info", self.tr("The demo plant: two mills with 31 sensors, fed by the built-in "
                                               "simulator."))
        else:
            self.status.clear()
        self.completeChanged.emit()

    @Slot()
    def _on_check(self) -> None:
        path = self.file_path.text().strip()
        if not path:
            return
        _show(self.status, "pending", self.tr("Checking {path}...").format(path=path))
        self.check_button.setEnabled(False)
        self._job = _Job(self, lambda _job: _check_plant(path), self._on_checked)

    @Slot(int, object)
    def _on_checked(self, token: int, result: object) -> None:
        if self._job is None or token != self._job.token:
            return
        self._job = None
        if isinstance(result, BaseException):
            result = (self.file_path.text().strip(), False, f"{type(result).__name__}: {result}")
        path, valid, description = cast(tuple[str, bool, str], result)
        self._checked = (path, valid)
        _show(self.status, "ok" if valid else "error", description)
        self._on_changed()


def _check_plant(path: str) -> tuple[str, bool, str]:
    try:
        return path, True, validate_plant_file(path)
    except SetupError as exc:
        return path, False, message_text(exc)


# -- summary and apply -------------------------------------------------------------------------------------------
class SummaryPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Summary"))
        self.setSubTitle(
            self.tr("Apply writes the settings file, stores the passwords in the keyring and prepares the database.")
        )
        self.text = QLabel(self)
        self.text.setObjectName("setupSummary")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)
        self.setCommitPage(True)  # once applying, Back is off (ApplyPage offers it again after a failure)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Apply"))

    def initializePage(self) -> None:
        wizard = self.wizard()
        if isinstance(wizard, SetupWizard):
            self.text.setText(wizard.summary())


class ApplyPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Applying"))
        self.setSubTitle(self.tr("Passwords to the keyring, the database schema, the administrator, the plant, the "
                                 "settings."))
        self.log = QPlainTextEdit(self)
        self.log.setObjectName("setupLog")
        self.log.setReadOnly(True)
        self.status = _status_label(self)
        self.back_button = QPushButton(self.tr("Back to the settings"), self)
        self.back_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.log, 1)
        layout.addLayout(row)
        self.back_button.clicked.connect(self._on_back)
        self.settings: Settings | None = None
        self.error: str | None = None
        self._job: _Job | None = None
        self.setFinalPage(True)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        self.settings, self.error = None, None
        self.log.clear()
        self.back_button.hide()
        _show(self.status, "pending", self.tr("Applying..."))
        plan = wizard.plan()
        config_file, created = wizard.config_file, wizard.created_admins
        self._job = _Job(
            self,
            lambda job: apply_setup(plan, job.progress.emit, config_file=config_file, created_admins=created),
            self._on_done,
            self._on_progress,
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.settings is not None

    @property
    def running(self) -> bool:
        return self._job is not None

    @Slot(str)
    def _on_progress(self, line: str) -> None:
        self.log.appendPlainText(line)

    @Slot(int, object)
    def _on_done(self, token: int, result: object) -> None:
        if self._job is None or token != self._job.token:
            return
        self._job = None
        wizard = self.wizard()
        if isinstance(result, Settings):
            self.settings = result
            first_run = not isinstance(wizard, SetupWizard) or wizard.first_run
            _show(self.status, "ok", self.tr("Millwatch is set up. Finish starts it.") if first_run
                  else self.tr("Millwatch is set up. The new settings take effect at the next start."))
        else:
            self.error = message_text(result) if isinstance(result, SetupError) else \
                f"{type(result).__name__}: {result}"
            _show(self.status, "error", self.tr("{error}. Go back to change the settings, then apply again.").format(
                error=self.error))
            self.back_button.show()
        self.completeChanged.emit()

    @Slot()
    def _on_back(self) -> None:
        wizard = self.wizard()
        if wizard is not None and not self.running:
            wizard.back()  # to the summary, and from there to any page


# -- the wizard ----------------------------------------------------------------------------------------------
class SetupWizard(QWizard):
    """configured(Settings) is emitted when Finish is pressed after a successful apply."""

    configured = Signal(object)

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        config_file: Path | None = None,
        first_run: bool = True,
        policy: PasswordPolicy | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        settings = settings or Settings()
        self.first_run = first_run
        self.config_file = config_file or config_path()
        self.created_admins: set[str] = set()
        self.setObjectName("setupWizard")
        self.setWindowTitle(self.tr("Millwatch setup") if first_run else self.tr("Millwatch setup (again)"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setModal(False)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.database_page = DatabasePage(settings, self)
        self.broker_page = BrokerPage(settings, self)
        self.admin_page = AdminPage(policy or PasswordPolicy(), self)
        self.plant_page = PlantPage(settings, self)
        self.summary_page = SummaryPage(self)
        self.apply_page = ApplyPage(self)
        for page in (self.database_page, self.broker_page, self.admin_page, self.plant_page, self.summary_page,
                     self.apply_page):
            self.addPage(page)
        # Fixed size limits: QWizard otherwise recomputes them on every page change, and changing the limits
        # of a shown window warns "does not support propagateSizeHints" on some platforms.
        self.setMinimumSize(*MIN_SIZE)
        self.setMaximumSize(16000, 16000)
        self.resize(*SIZE)

    # -- what was chosen ------------------------------------------------------------------------------------
    def plan(self) -> SetupPlan:
        admin = self.admin_page
        creating = admin.creating
        return SetupPlan(
            database_url=self.database_page.url(),
            database_password=self.database_page.password(),
            broker_url=self.broker_page.broker_url(),
            broker_password=self.broker_page.password.text() or None,
            admin_username=admin.username.text().strip().lower() if creating else "",
            admin_password=admin.password.text() if creating else "",
            admin_display_name=admin.display_name.text().strip() if creating else "",
            plant=self.plant_page.choice(),
            plant_file=self.plant_page.file_path.text().strip(),
        )

    def summary(self) -> str:
        plan = self.plan()
        db = safe_url(plan.database_url or default_db_url())
        lines = [self.tr("Database: {url}  (password: in the keyring)").format(url=db) if plan.database_password
                 else self.tr("Database: {url}").format(url=db)]
        if plan.broker_url and plan.broker_password:
            lines.append(self.tr("Broker: {url}  (password: in the keyring)").format(url=plan.broker_url))
        elif plan.broker_url:
            lines.append(self.tr("Broker: {url}").format(url=plan.broker_url))
        else:
            lines.append(self.tr("Broker: none"))
        lines.append(self.tr("New administrator: {name}").format(name=plan.admin_username) if plan.admin_username
                     else self.tr("New administrator: none"))
        lines.append({
            PLANT_DEMO: self.tr("Plant: the demo plant, simulated"),
            PLANT_FILE: self.tr("Plant: import {file}").format(file=plan.plant_file),
            PLANT_KEEP: self.tr("Plant: keep the plant in the database"),
            PLANT_NONE: self.tr("Plant: none for now"),
        }[plan.plant])
        lines.append(self.tr("Settings file: {path}").format(path=self.config_file))
        return "\n".join(lines)

    @property
    def settings(self) -> Settings | None:
        return self.apply_page.settings

    # -- behaviour -------------------------------------------------------------------------------------------------
    def reject(self) -> None:
        if self.apply_page.running:
            return  # Escape or the close box half way through applying would leave it cut half way
        super().reject()

    def done(self, result: int) -> None:
        if result == QWizard.DialogCode.Accepted.value and self.settings is not None:
            self.configured.emit(self.settings)
        super().done(result)


def open_setup_wizard(parent: QWidget | None = None, *, config_file: Path | None = None) -> SetupWizard:
    """Rerun the setup from Settings: the wizard prefilled from the settings file, shown non-modal."""
    from hmi.config import ConfigError, load_settings

    try:
        settings = load_settings(config_file)
    except ConfigError as exc:
        log.warning("%s: starting the setup from defaults", exc)
        settings = None
    wizard = SetupWizard(settings, config_file=config_file, first_run=False, parent=parent)
    wizard.setWindowFlag(Qt.WindowType.Window, True)  # a top-level window even with a parent
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    wizard.show()
    return wizard


def run_setup_wizard(*, config_file: Path | None = None) -> Settings | None:
    """The first run: show the wizard and run the event loop until it closes. Returns the Settings
    written, or None if it was cancelled. Called by the composition root before the main window."""
    from hmi.ui.theme import apply_theme

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Millwatch")
    apply_theme(app)
    wizard = SetupWizard(None, config_file=config_file, first_run=True)
    quitter = _QuitOnFinished(app)
    wizard.finished.connect(quitter.quit)
    # The wizard ends this event loop itself. Closing it must not also post the "last window closed"
    # quit: that event would stay queued and end the main window's event loop as soon as it starts.
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    try:
        wizard.show()
        app.exec()
    finally:
        app.setQuitOnLastWindowClosed(quit_on_close)
    settings = wizard.settings  # applied (even if the window was then closed rather than finished)
    wizard.deleteLater()
    quitter.deleteLater()
    return settings


class _QuitOnFinished(QObject):
    @Slot(int)
    def quit(self, _result: int) -> None:
        app = QApplication.instance()
        if app is not None:
            app.exit(0)
