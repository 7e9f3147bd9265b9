"""What the setup wizard does, without Qt: test a database and a broker on the spot, and apply the
choices (secrets to the keyring, schema, first admin, plant, settings file).

The wizard runs every function here on a worker thread (they block on the network or the disk);
each returns a result or raises SetupError with a message fit for the user, never a secret. Those
messages and the progress lines are in the user's language (QCoreApplication.translate, context
"WizardChecks", is thread-safe); the log stays English.
The same steps are available without a GUI as `millwatch db upgrade`, `millwatch user add` and
`millwatch plant import` for scripted installs.
"""

from __future__ import annotations

import logging
import os
import ssl
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

from hmi.config import Settings, database_secret_key, save_settings, strip_password
from hmi.core.broker import parse_broker_url
from hmi.core.errors import ValidationError
from hmi.ui.i18n import fmt_number, message_text, translate

if TYPE_CHECKING:
    from hmi.core.plant import PlantProblem

log = logging.getLogger(__name__)
BROKER_TIMEOUT_S = 5.0


class SetupError(RuntimeError):
    """A step failed; the message says what to do, without secrets."""


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# -- database -------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DbProbe:
    ok: bool
    message: str
    backend: str = ""
    revision: str | None = None  # None: no Millwatch schema yet
    users: tuple[str, ...] = ()
    admins: tuple[str, ...] = ()  # active admins
    mills: int = 0


def compose_database_url(url: str, password: str | None) -> str:
    """`url` with `password` set (when given): the form for make_engine, never for a file or a log."""
    url = url.strip()
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if not password:
        return url
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).set(password=password).render_as_string(hide_password=False)
    except ArgumentError:
        return url


def probe_database(url: str) -> DbProbe:
    """Connect to `url` (with its password) and say what is there. A SQLite file that does not exist
    yet is fine if its directory can be written."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    from hmi.storage.database import DatabaseUrlError, make_engine, safe_url
    from hmi.storage.migrate import head_revision

    try:
        engine = make_engine(url)
    except DatabaseUrlError as exc:
        return DbProbe(False, message_text(exc))
    except (OSError, SQLAlchemyError, ValueError) as exc:
        return DbProbe(False, translate("WizardChecks", "cannot use {url}: {reason}").format(
            url=safe_url(url), reason=_reason(exc)))
    backend = engine.dialect.name
    try:
        if backend == "sqlite":
            path = Path(engine.url.database or "")
            if not path.exists():
                if not os.access(path.parent, os.W_OK):
                    return DbProbe(False, translate("WizardChecks", "cannot create a database in {folder}: not "
                                                                    "writable").format(folder=path.parent), backend)
                return DbProbe(True, translate("WizardChecks", "a new database will be created at {path}").format(
                    path=path), backend)
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            revision = None
            if "alembic_version" in tables:
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            users: list[tuple[str, str, bool]] = []
            mills = 0
            if "users" in tables:
                rows = conn.execute(text("SELECT username, role, active FROM users"))
                users = [(r[0], r[1], bool(r[2])) for r in rows]
            if "mills" in tables:
                mills = int(conn.execute(text("SELECT count(*) FROM mills")).scalar() or 0)
            version = ".".join(str(v) for v in (engine.dialect.server_version_info or ())[:2])
    except SQLAlchemyError as exc:
        return DbProbe(False, translate("WizardChecks", "cannot connect to {url}: {reason}").format(
            url=safe_url(url), reason=_reason(exc)), backend)
    finally:
        engine.dispose()
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(backend, backend) + (f" {version}" if version else "")
    head = head_revision()
    admins = tuple(sorted(u for u, role, active in users if role == "admin" and active))
    common = dict(backend=backend, revision=revision, users=tuple(sorted(u for u, _, _ in users)), admins=admins,
                  mills=mills)
    if revision is None:
        foreign = tables - {"alembic_version"}
        if foreign:
            return DbProbe(False, translate(
                "WizardChecks", "connected ({name}), but the database holds {n} other tables and no Millwatch "
                "schema: choose an empty database").format(name=name, n=len(foreign)),
                **common)  # type: ignore[arg-type]
        return DbProbe(True, translate("WizardChecks", "connected ({name}): empty database, the schema will be "
                                                       "created").format(name=name), **common)  # type: ignore[arg-type]
    if revision == head:
        state = translate("WizardChecks", "schema {revision} (current)").format(revision=revision)
    elif _is_known_revision(revision):
        state = translate("WizardChecks", "schema {revision}, will be upgraded to {head}").format(
            revision=revision, head=head)
    else:
        return DbProbe(False, translate(
            "WizardChecks", "connected ({name}), but its schema {revision} is newer than this Millwatch ({head}): "
            "update Millwatch first").format(name=name, revision=revision, head=head),
            **common)  # type: ignore[arg-type]
    return DbProbe(
        True,
        translate("WizardChecks", "connected ({name}): Millwatch database, {state}, {users} user(s), {admins} "
                                  "admin(s), {mills} mill(s)").format(
            name=name, state=state, users=len(users), admins=len(admins), mills=mills),
        **common,  # type: ignore[arg-type]
    )


def _is_known_revision(revision: str) -> bool:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(files("hmi.storage") / "migrations"))
    try:
        return ScriptDirectory.from_config(cfg).get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown id
        return False


# -- broker -----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BrokerProbe:
    ok: bool
    message: str


def check_broker_url(url: str) -> str | None:
    """The problem with a broker URL (None if it parses). An empty URL means "no broker"."""
    if not url.strip():
        return None
    try:
        parse_broker_url(url.strip())
    except ValidationError as exc:
        return exc.message
    return None


def probe_broker(url: str, password: str | None, timeout: float = BROKER_TIMEOUT_S) -> BrokerProbe:
    """Connect to the broker (MQTT 5, with the user in the URL and `password`) and disconnect."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    problem = check_broker_url(url)
    if problem or not url.strip():
        return BrokerProbe(False, message_text(problem) if problem else translate("WizardChecks", "no broker URL"))
    broker = parse_broker_url(url.strip())
    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id=f"millwatch-setup-{uuid.uuid4().hex[:10]}",
        protocol=mqtt.MQTTv5,
    )
    client.connect_timeout = timeout
    if broker.username:
        client.username_pw_set(broker.username, password or None)
    try:
        if broker.tls:
            client.tls_set(
                ca_certs=broker.ca_file or None,
                certfile=broker.cert_file or None,
                keyfile=broker.key_file or None,
                cert_reqs=ssl.CERT_REQUIRED,
            )
    except (OSError, ssl.SSLError, ValueError) as exc:
        return BrokerProbe(False, translate("WizardChecks", "TLS settings of {broker} unusable: {reason}").format(
            broker=broker.display(), reason=_reason(exc)))
    answered = threading.Event()
    outcome: dict[str, object] = {}

    def on_connect(_c: object, _u: object, _flags: object, reason: object, _props: object) -> None:
        outcome["reason"] = reason
        answered.set()

    client.on_connect = on_connect
    try:
        client.connect(broker.host, broker.port, keepalive=10)
    except (OSError, ssl.SSLError) as exc:
        detail = getattr(exc, "strerror", None) or _reason(exc)
        return BrokerProbe(False, translate("WizardChecks", "cannot reach {host}:{port}: {reason}").format(
            host=broker.host, port=broker.port, reason=detail))
    client.loop_start()
    try:
        if not answered.wait(timeout):
            return BrokerProbe(False, translate("WizardChecks", "{broker} did not answer within {seconds} s").format(
                broker=broker.display(), seconds=fmt_number(timeout, 0 if timeout == int(timeout) else 1)))
        reason = outcome["reason"]
        if getattr(reason, "is_failure", False):
            return BrokerProbe(False, translate("WizardChecks", "{broker} refused the connection: {reason}").format(
                broker=broker.display(), reason=reason))
        return BrokerProbe(True, translate("WizardChecks", "connected to {broker} (MQTT 5)").format(
            broker=broker.display()))
    finally:
        client.disconnect()
        client.loop_stop()


# -- apply --------------------------------------------------------------------------------------------------
PLANT_DEMO, PLANT_FILE, PLANT_KEEP, PLANT_NONE = "demo", "file", "keep", "none"


@dataclass(frozen=True)
class SetupPlan:
    """Everything the wizard collected. Passwords live only in this object, on their way to the keyring."""

    database_url: str  # "" = the default SQLite file; may carry a password (it is moved to the keyring)
    database_password: str | None = None
    broker_url: str = ""
    broker_password: str | None = None
    admin_username: str = ""  # "" = create no admin (the database has one)
    admin_password: str = ""
    admin_display_name: str = ""
    plant: str = PLANT_DEMO
    plant_file: str = ""

    def __repr__(self) -> str:  # never show the passwords, not even in a debugger or a traceback
        return (f"SetupPlan(database_url={strip_password(self.database_url)[0]!r}, broker_url={self.broker_url!r}, "
                f"admin={self.admin_username!r}, plant={self.plant!r})")


def demo_plant_file() -> Path:
    with as_file(files("hmi.resources") / "plants" / "demo.toml") as p:
        return Path(p)


def validate_plant_file(path: str) -> str:
    """A one-line description of a valid plant file; SetupError listing the first problem otherwise."""
    from hmi.core.plant import PlantError
    from hmi.services.plant_io import read_plant_file

    try:
        plant = read_plant_file(Path(path).expanduser())
    except PlantError as exc:
        raise SetupError(translate("WizardChecks", "{n} problem(s), first: {problem}").format(
            n=len(exc.problems), problem=_problem(exc.problems[0]))) from None
    return translate("WizardChecks", "valid: {mills} mill(s), {sensors} sensor(s)").format(
        mills=len(plant.mills), sensors=len(plant.sensors()))


def _problem(problem: PlantProblem) -> str:
    """"mill north: capacity: must not be negative", its words in the user's language."""
    return f"{message_text(problem.where)}: {problem.field}: {message_text(problem.message)}"


def apply_setup(plan: SetupPlan, progress: Callable[[str], None], *, config_file: Path | None = None,
                created_admins: set[str] | None = None) -> Settings:
    """Carry out the plan; returns the Settings written. Safe to run again after a failure: each step
    is idempotent (an admin this wizard already created is not created twice)."""
    from sqlalchemy.exc import SQLAlchemyError

    from hmi.core.domain import Role
    from hmi.core.plant import PlantError
    from hmi.services.plant_io import import_plant
    from hmi.storage.database import DatabaseUrlError, default_db_url, make_engine, safe_url
    from hmi.storage.migrate import upgrade
    from hmi.storage.plant_repo import PlantConflict
    from hmi.storage.secrets import SecretStoreUnavailable, set_secret

    created_admins = created_admins if created_admins is not None else set()
    bare_url, inline_password = strip_password(plan.database_url.strip())
    db_password = plan.database_password or inline_password
    engine_url = compose_database_url(bare_url or default_db_url(), db_password)

    try:
        if db_password:
            key = database_secret_key(bare_url)
            if key is None:
                raise SetupError(translate("WizardChecks", "a database password needs a user name in the database URL"))
            progress(translate("WizardChecks", "storing the database password in the keyring"))
            set_secret(key, db_password)
        if plan.broker_url and plan.broker_password:
            broker = parse_broker_url(plan.broker_url)
            if not broker.username:
                raise SetupError(translate("WizardChecks", "a broker password needs a user name in the broker URL "
                                                           "(mqtt://user@host)"))
            progress(translate("WizardChecks", "storing the broker password in the keyring"))
            set_secret(broker.keyring_key, plan.broker_password)
    except SecretStoreUnavailable as exc:
        raise SetupError(translate("WizardChecks", "{problem}; or leave the password empty here and set it in the "
                                                   "environment").format(problem=message_text(exc))) from None

    try:
        engine = make_engine(engine_url)
    except DatabaseUrlError as exc:
        raise SetupError(message_text(exc)) from None
    try:
        progress(translate("WizardChecks", "bringing the schema of {url} up to date").format(
            url=safe_url(bare_url or default_db_url())))
        revision = upgrade(engine)
        progress(translate("WizardChecks", "database at schema {revision}").format(revision=revision))
        name = plan.admin_username.strip().lower()
        if name and name not in created_admins:
            from hmi.services.users import add_user

            progress(translate("WizardChecks", "creating the administrator {name}").format(name=name))
            try:
                add_user(engine, name, plan.admin_password, Role.ADMIN,
                         display_name=plan.admin_display_name or name, actor="setup")
            except ValidationError as exc:
                raise SetupError(message_text(exc.message)) from None
            created_admins.add(name)
        plant_path: Path | None = None
        if plan.plant == PLANT_DEMO:
            plant_path = demo_plant_file()
        elif plan.plant == PLANT_FILE:
            plant_path = Path(plan.plant_file).expanduser()
        if plant_path is not None:
            progress(translate("WizardChecks", "importing the plant {file}").format(file=plant_path.name))
            try:
                report = import_plant(engine, plant_path)
            except PlantError as exc:
                raise SetupError(translate("WizardChecks", "{file}: {n} problem(s), first: {problem}").format(
                    file=plant_path, n=len(exc.problems), problem=_problem(exc.problems[0]))) from None
            except PlantConflict as exc:
                raise SetupError(translate("WizardChecks", "the plant conflicts with the database: {problem}").format(
                    problem=_problem(exc.problems[0]))) from None
            progress(translate("WizardChecks", "plant: {created} created, {updated} updated, {unchanged} "
                                               "unchanged").format(created=len(report.created),
                                                                   updated=len(report.updated),
                                                                   unchanged=report.unchanged))
    except SQLAlchemyError as exc:
        raise SetupError(translate("WizardChecks", "database {url}: {reason}").format(
            url=safe_url(engine_url), reason=_reason(exc))) from None
    finally:
        engine.dispose()

    settings = Settings(
        database_url=bare_url,
        broker_url=plan.broker_url.strip(),
        simulate=plan.plant == PLANT_DEMO,
        plant_file=str(plant_path) if plan.plant == PLANT_FILE and plant_path else "",
    )
    path = save_settings(settings, config_file)
    progress(translate("WizardChecks", "settings written to {path}").format(path=path))
    log.info("setup applied: database %s, broker %s, plant %s", safe_url(bare_url or default_db_url()),
             settings.broker_url or "none", plan.plant)
    return settings
