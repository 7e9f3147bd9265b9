"""Connection settings of this workstation: broker URL with TLS files and user, database URL, and the
serial ports a Modbus RTU line could use; "Test connection" and "Save".

Testing reuses the setup wizard's checks (hmi/ui/wizard_checks.py: probe_broker, probe_database) on a
worker thread, so a dead broker or database never freezes the window. Saving writes `config.toml`
through hmi.config (URLs only) and the passwords to the OS keyring (hmi.storage.secrets), after the
`change_settings` permission check, and audits the change (URLs before and after, never a secret).
Settings take effect at the next start of the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from PySide6.QtCore import QStringListModel, Qt, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.config import ConfigError, Settings, database_secret_key, load_settings, save_settings
from hmi.core.broker import parse_broker_url
from hmi.core.errors import ValidationError
from hmi.core.permissions import Action
from hmi.services.auth import AuthService, Session
from hmi.ui.config_calls import ServiceCaller, failure_text
from hmi.ui.i18n import localise_file_dialog, message_text, translate
from hmi.ui.session_controller import SessionController, set_message
from hmi.ui.theme import set_state_property
from hmi.ui.wizard_checks import (
    BrokerProbe,
    DbProbe,
    check_broker_url,
    compose_database_url,
    probe_broker,
    probe_database,
)

TEST_TIMEOUT_S = 3.0


@dataclass(frozen=True, slots=True)
class ConnectionForm:
    """What the panel holds (passwords only on their way to the keyring; never logged, never saved)."""

    broker_url: str = ""
    username: str = ""
    password: str = ""
    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""
    database_url: str = ""
    database_password: str = ""

    def __repr__(self) -> str:
        return f"ConnectionForm(broker_url={self.composed_broker_url()!r}, database_url={self.database_url!r})"

    def composed_broker_url(self) -> str:
        """mqtt[s]://user@host:port?ca=..&cert=..&key=.. from the fields ("" when there is no broker)."""
        base = self.broker_url.strip()
        if not base:
            return ""
        parts = urlsplit(base if "://" in base else f"mqtt://{base}")
        hostport = parts.netloc.rpartition("@")[2]
        user = self.username.strip() or (parts.username or "")
        netloc = f"{user}@{hostport}" if user else hostport
        query = {k: v for k, v in (("ca", self.ca_file), ("cert", self.cert_file), ("key", self.key_file))
                 if v.strip()}
        return parts._replace(netloc=netloc, query=urlencode(query), path="", fragment="").geturl()


def form_from_settings(settings: Settings | None) -> ConnectionForm:
    s = settings or Settings()
    form = ConnectionForm(database_url=s.database_url)
    if s.broker_url:
        try:
            b = parse_broker_url(s.broker_url)
        except ValidationError:
            return ConnectionForm(broker_url=s.broker_url, database_url=s.database_url)
        form = ConnectionForm(broker_url=f"{'mqtts' if b.tls else 'mqtt'}://{b.host}:{b.port}", username=b.username,
                              ca_file=b.ca_file, cert_file=b.cert_file, key_file=b.key_file,
                              database_url=s.database_url)
    return form


def broker_password(form: ConnectionForm) -> str | None:
    """The typed password, else the keyring's for this broker and user."""
    if form.password:
        return form.password
    url = form.composed_broker_url()
    if not url or check_broker_url(url):
        return None
    from hmi.storage.secrets import get_secret

    b = parse_broker_url(url)
    return get_secret(b.keyring_key) if b.username else None


def test_connections(form: ConnectionForm) -> tuple[BrokerProbe, DbProbe]:
    """Both checks (blocking, each bounded by its timeout): call on a worker thread."""
    from hmi.config import with_database_password
    from hmi.storage.database import default_db_url

    url = form.composed_broker_url()
    broker = probe_broker(url, broker_password(form), timeout=TEST_TIMEOUT_S) if url else BrokerProbe(
        False, translate("ConfigConnection", "no broker URL: live values need a broker"))
    db_url = form.database_url.strip() or default_db_url()
    db_url = compose_database_url(db_url, form.database_password) if form.database_password else \
        with_database_password(db_url)
    return broker, probe_database(db_url)


def save_connection(session: Session, auth: AuthService, form: ConnectionForm,
                    config_file: Path | None = None) -> Settings:
    """Check `change_settings`, store the passwords in the keyring, write the settings file, audit."""
    from hmi.storage.secrets import SecretStoreUnavailable, set_secret

    auth.require(session, Action.CHANGE_SETTINGS)
    url = form.composed_broker_url()
    problem = check_broker_url(url)
    if problem:
        raise ValidationError("broker", problem)
    try:
        before = load_settings(config_file) or Settings()
    except ConfigError:
        before = Settings()
    stored: list[str] = []
    try:
        if form.password:
            b = parse_broker_url(url)
            if not b.username:
                raise ValidationError("username", translate("ConfigConnection", "a broker password needs a user name"))
            set_secret(b.keyring_key, form.password)
            stored.append("broker")
        if form.database_password:
            key = database_secret_key(form.database_url.strip())
            if key is None:
                raise ValidationError("database", translate("ConfigConnection", "a database password needs a user "
                                                                                "name in the database URL"))
            set_secret(key, form.database_password)
            stored.append("database")
    except SecretStoreUnavailable as exc:
        raise ValidationError("keyring", message_text(exc)) from None
    after = before.with_changes(broker_url=url, database_url=form.database_url.strip())
    save_settings(after, config_file)
    auth.audit_alone(actor=session.username, action="settings.change", host=session.host, target="connection",
                     before={"broker_url": before.broker_url, "database_url": before.database_url},
                     after={"broker_url": after.broker_url, "database_url": after.database_url,
                            "passwords_stored": stored})
    return after


def serial_ports() -> list[str]:
    """The serial ports this machine has (pyserial), "device — description"."""
    from serial.tools import list_ports

    out = []
    for p in sorted(list_ports.comports(), key=lambda p: p.device):
        desc = p.description if p.description and p.description != "n/a" else ""
        out.append(f"{p.device} \u2014 {desc}" if desc else p.device)
    return out


class ConnectionPanel(QWidget):
    """The "Connections" tab."""

    def __init__(self, controller: SessionController, *, config_file: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("configPanel")
        self.controller = controller
        self.config_file = config_file
        self.caller = ServiceCaller(controller, "config-connection", self)
        self._dialogs: list[QFileDialog] = []

        title = QLabel(self.tr("Connections of this workstation"), self)
        title.setObjectName("viewTitle")
        note = QLabel(self.tr("Passwords go to the operating system's keyring, never to a file. Changes take effect "
                              "the next time Millwatch starts."), self)
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.broker_url = self._edit("brokerUrl", self.tr("mqtt://broker.plant.local:1883  (mqtts:// for TLS)"))
        self.username = self._edit("brokerUser", self.tr("optional"))
        self.password = self._edit("brokerPassword", self.tr("unchanged (kept in the keyring)"), secret=True)
        self.ca_file = self._edit("caFile", self.tr("CA certificate (PEM)"))
        self.cert_file = self._edit("certFile", self.tr("client certificate (PEM), optional"))
        self.key_file = self._edit("keyFile", self.tr("client key (PEM), optional"))
        self.database_url = self._edit("databaseUrl", self.tr("empty: SQLite in the user data directory"))
        self.database_password = self._edit("databasePassword", self.tr("unchanged (kept in the keyring)"),
                                            secret=True)
        self.ports_model = QStringListModel(self)
        self.ports = QListView(self)
        self.ports.setObjectName("serialPorts")
        self.ports.setModel(self.ports_model)
        self.ports.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.ports.setMaximumHeight(110)
        self.rescan_button = QPushButton(self.tr("Rescan ports"), self)
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("primaryButton")
        self.broker_result = self._result("brokerResult")
        self.database_result = self._result("databaseResult")
        self.message = QLabel(self)
        self.message.setObjectName("messageStrip")
        self.message.setWordWrap(True)
        set_message(self.message, "")

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        row = 0

        def section(text: str) -> None:
            nonlocal row
            lab = QLabel(text, self)
            lab.setObjectName("sectionTitle")
            grid.addWidget(lab, row, 0, 1, 4)
            row += 1

        def pair(label: str, w: QWidget, col: int = 0, browse: QLineEdit | None = None, *,
                 row_end: bool = False) -> None:
            nonlocal row
            lab = QLabel(label, self)
            lab.setObjectName("fieldLabel")
            grid.addWidget(lab, row, col)
            if browse is not None:
                box = QHBoxLayout()
                box.addWidget(w, 1)
                b = QPushButton(self.tr("Browse\u2026"), self)
                b.clicked.connect(lambda: self._browse(browse))
                box.addWidget(b)
                grid.addLayout(box, row, col + 1)
            else:
                grid.addWidget(w, row, col + 1)
            if col == 2 or browse is not None or row_end:
                row += 1

        section(self.tr("MQTT broker"))
        pair(self.tr("Broker URL"), self.broker_url, row_end=True)
        pair(self.tr("User"), self.username, 0)
        pair(self.tr("Password"), self.password, 2)
        pair(self.tr("CA file"), self.ca_file, browse=self.ca_file)
        pair(self.tr("Client certificate"), self.cert_file, browse=self.cert_file)
        pair(self.tr("Client key"), self.key_file, browse=self.key_file)
        grid.addWidget(self.broker_result, row, 0, 1, 4)
        row += 1
        section(self.tr("Database"))
        pair(self.tr("Database URL"), self.database_url, 0)
        pair(self.tr("Password"), self.database_password, 2)
        grid.addWidget(self.database_result, row, 0, 1, 4)
        row += 1
        section(self.tr("Modbus serial ports"))
        ports_note = QLabel(self.tr("A sensor on a serial line names its port in its source URL "
                                    "(modbus+rtu://PORT/hr/0?unit=1&baud=19200)."), self)
        ports_note.setObjectName("hint")
        ports_note.setWordWrap(True)
        grid.addWidget(ports_note, row, 0, 1, 4)
        row += 1
        ports_row = QHBoxLayout()
        ports_row.addWidget(self.ports, 1)
        ports_row.addWidget(self.rescan_button, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(ports_row, row, 0, 1, 4)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(8)
        outer.addWidget(title)
        outer.addWidget(note)
        outer.addLayout(grid)
        outer.addStretch(1)
        outer.addWidget(self.message)
        outer.addLayout(buttons)

        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save)
        self.rescan_button.clicked.connect(self.rescan)
        controller.apply_permission(self.save_button, Action.CHANGE_SETTINGS)
        self.load()
        self.rescan()

    def _edit(self, name: str, placeholder: str, *, secret: bool = False) -> QLineEdit:
        e = QLineEdit(self)
        e.setObjectName(name)
        e.setPlaceholderText(placeholder)
        if secret:
            e.setEchoMode(QLineEdit.EchoMode.Password)
        return e

    def _result(self, name: str) -> QLabel:
        lab = QLabel(self)
        lab.setObjectName("linkResult")
        lab.setProperty("probe", name)
        lab.setWordWrap(True)
        lab.hide()
        return lab

    def shutdown(self) -> None:
        self.controller.release_permission(self.save_button)
        for d in self._dialogs:
            d.close()
        self.caller.close()

    # -- the form --------------------------------------------------------------------------------------
    def load(self) -> None:
        try:
            settings = load_settings(self.config_file)
        except ConfigError as exc:
            set_message(self.message, message_text(exc), "error")
            settings = None
        self.set_form(form_from_settings(settings))

    def set_form(self, form: ConnectionForm) -> None:
        for edit, value in ((self.broker_url, form.broker_url), (self.username, form.username),
                            (self.ca_file, form.ca_file), (self.cert_file, form.cert_file),
                            (self.key_file, form.key_file), (self.database_url, form.database_url)):
            edit.setText(value)
        self.password.clear()
        self.database_password.clear()

    def form(self) -> ConnectionForm:
        return ConnectionForm(
            broker_url=self.broker_url.text().strip(), username=self.username.text().strip(),
            password=self.password.text(), ca_file=self.ca_file.text().strip(), cert_file=self.cert_file.text().strip(),
            key_file=self.key_file.text().strip(), database_url=self.database_url.text().strip(),
            database_password=self.database_password.text(),
        )

    # -- actions ---------------------------------------------------------------------------------------
    @Slot()
    def rescan(self) -> None:
        self.caller.run(serial_ports, self._on_ports, self._on_failed)

    def _on_ports(self, ports: list[str]) -> None:
        self.ports_model.setStringList(ports or [self.tr("no serial ports found")])

    @Slot()
    def test_connection(self) -> None:
        form = self.form()
        problem = check_broker_url(form.composed_broker_url())
        if problem:
            self._show(self.broker_result, message_text(problem), "error")
            return
        self.test_button.setEnabled(False)
        self._show(self.broker_result, self.tr("Testing the broker\u2026"), "busy")
        self._show(self.database_result, self.tr("Testing the database\u2026"), "busy")
        self.caller.run(test_connections, self._on_tested, self._on_test_failed, form)

    def _on_tested(self, results: tuple[BrokerProbe, DbProbe]) -> None:
        self.test_button.setEnabled(True)
        broker, db = results
        self._show(self.broker_result, self.tr("Broker: {message}").format(message=message_text(broker.message)),
                   "ok" if broker.ok else "error")
        self._show(self.database_result, self.tr("Database: {message}").format(message=message_text(db.message)),
                   "ok" if db.ok else "error")

    def _on_test_failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self._show(self.broker_result, failure_text(exc), "error")
        self.database_result.hide()

    def _show(self, label: QLabel, text: str, level: str) -> None:
        label.setText(text)
        set_state_property(label, "level", level)
        label.show()

    @Slot()
    def save(self) -> None:
        form = self.form()
        problem = check_broker_url(form.composed_broker_url())
        if problem:
            set_message(self.message, self.tr("Fix the broker URL before saving: {problem}.").format(
                problem=message_text(problem)), "error")
            return
        set_message(self.message, self.tr("Saving\u2026"), "busy")
        self.caller.call(self.tr("change settings"), save_connection, (self.controller.auth, form, self.config_file),
                         self._on_saved, self._on_failed, self)

    def _on_saved(self, settings: Settings) -> None:
        self.password.clear()
        self.database_password.clear()
        set_message(self.message, self.tr("Saved. The new connections are used the next time Millwatch starts."),
                    "info")

    def _on_failed(self, exc: BaseException) -> None:
        set_message(self.message, failure_text(exc), "error")

    def _browse(self, target: QLineEdit) -> None:
        dialog = QFileDialog(self.window(), self.tr("Choose a file"), target.text() or str(Path.home()),
                             self.tr("PEM files (*.pem *.crt *.key);;All files (*)"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        localise_file_dialog(dialog)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setMinimumSize(820, 520)  # before show(): no size-hint changes on a shown window
        dialog.fileSelected.connect(target.setText)
        self._dialogs = [d for d in self._dialogs if d.isVisible()] + [dialog]
        dialog.show()
