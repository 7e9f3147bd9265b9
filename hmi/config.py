"""The per-workstation settings file: `config.toml` in the user config directory (platformdirs).

Written by the setup wizard (or by hand), read by the composition root. It holds where the data
lives and where the broker is, never a secret: passwords go to the OS keyring
(hmi.storage.secrets), so a URL carrying a password is refused here, both on save and on load.

    # Millwatch workstation settings (no secrets: passwords are in the OS keyring)
    schema_version = 1
    [database]
    url = "postgresql+psycopg://millwatch@db.plant.local:5432/millwatch"   # "" = SQLite in the user data dir
    [broker]
    url = "mqtt://hmi@broker.plant.local:1883"                            # "" = no broker
    [plant]
    simulate = false      # true: values from the built-in simulator (the demo plant)
    file = ""             # the plant file last imported by the wizard (for information)

Precedence where a value comes from several places: command line, then environment
(MILLWATCH_DB, MILLWATCH_BROKER), then this file, then the defaults.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import tomli_w
from platformdirs import user_config_dir

APP_NAME = "millwatch"
CONFIG_FILE_NAME = "config.toml"
CONFIG_ENV = "MILLWATCH_CONFIG"  # another settings file (tests, several configurations on one machine)
SCHEMA_VERSION = 1
HEADER = "# Millwatch workstation settings (no secrets: passwords are in the OS keyring)\n"


ESTOP_MODES = ("hold", "confirm")


class ConfigError(ValueError):
    """The settings file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = ""  # "" = SQLite in the user data directory; never with a password
    broker_url: str = ""  # "" = no broker; mqtt[s]://[user@]host[:port][?ca=...]
    simulate: bool = False  # plant values from the built-in simulator (the demo plant)
    plant_file: str = ""  # the plant file the wizard imported, for information only
    estop_mode: str = "hold"  # this workstation's stop guard: "hold" (press and hold) or "confirm" (arm, confirm)
    estop_hold_seconds: float = 1.0  # how long to hold in "hold" mode (0.5 to 3 s)

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def config_dir() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    """MILLWATCH_CONFIG if set, else config.toml in the user config directory."""
    override = os.environ.get(CONFIG_ENV)
    return Path(override).expanduser() if override else config_dir() / CONFIG_FILE_NAME


# -- URLs and secrets ----------------------------------------------------------------------------------
def url_password(url: str) -> str | None:
    """The password a URL carries (``scheme://user:PASSWORD@host``), or None."""
    if not url:
        return None
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def strip_password(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the password (decoded) or None). Only the userinfo changes."""
    password = url_password(url)
    if password is None:
        return url, None
    parts = urlsplit(url)
    user_and_pass, _, hostport = parts.netloc.rpartition("@")
    user = user_and_pass.split(":", 1)[0]
    return parts._replace(netloc=f"{user}@{hostport}").geturl(), unquote(password)


def database_secret_key(url: str) -> str | None:
    """The keyring key of a database URL's password (``database:user@host:port/name``), or None for
    a database without one (SQLite, or no user name)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        u = make_url(url)
    except ArgumentError:
        return None
    if u.get_backend_name() == "sqlite" or not u.username:
        return None
    return f"database:{u.username}@{u.host or 'localhost'}:{u.port or 5432}/{u.database or ''}"


def with_database_password(url: str) -> str:
    """`url` with its password filled in from the keyring (or MILLWATCH_DB_PASSWORD): the form to
    hand to make_engine, never to a log or a file."""
    if url_password(url) is not None:
        return url
    key = database_secret_key(url)
    if key is None:
        return url
    from sqlalchemy.engine import make_url

    from hmi.storage.secrets import get_secret

    password = get_secret(key)
    if not password:
        return url
    return make_url(url).set(password=password).render_as_string(hide_password=False)


# -- load and save -----------------------------------------------------------------------------------------
def _check(settings: Settings, where: str) -> None:
    for name, url in (("database.url", settings.database_url), ("broker.url", settings.broker_url)):
        if url_password(url) is not None:
            raise ConfigError(f"{where}: {name} carries a password: keep passwords in the keyring")


def load_settings(path: Path | None = None) -> Settings | None:
    """The settings, or None when the file does not exist (the first run). ConfigError when it
    exists but cannot be used."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    version = data.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise ConfigError(f"{path}: schema_version {version!r} is not supported (expected {SCHEMA_VERSION})")

    def table(name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: [{name}] must be a table")
        return value

    def string(tbl: dict[str, Any], key: str, where: str) -> str:
        value = tbl.get(key, "")
        if not isinstance(value, str):
            raise ConfigError(f"{path}: {where}.{key} must be a string")
        return value

    db, broker, plant, station = table("database"), table("broker"), table("plant"), table("workstation")
    simulate = plant.get("simulate", False)
    if not isinstance(simulate, bool):
        raise ConfigError(f"{path}: plant.simulate must be true or false")
    mode = station.get("estop_mode", "hold")
    if mode not in ESTOP_MODES:
        raise ConfigError(f"{path}: workstation.estop_mode must be one of {', '.join(ESTOP_MODES)}, got {mode!r}")
    hold = station.get("estop_hold_seconds", 1.0)
    if isinstance(hold, bool) or not isinstance(hold, (int, float)) or not 0.5 <= hold <= 3.0:
        raise ConfigError(f"{path}: workstation.estop_hold_seconds must be a number from 0.5 to 3, got {hold!r}")
    settings = Settings(
        database_url=string(db, "url", "database"),
        broker_url=string(broker, "url", "broker"),
        simulate=simulate,
        plant_file=string(plant, "file", "plant"),
        estop_mode=mode,
        estop_hold_seconds=float(hold),
    )
    _check(settings, str(path))
    return settings


def settings_to_toml(settings: Settings) -> str:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "database": {"url": settings.database_url},
        "broker": {"url": settings.broker_url},
        "plant": {"simulate": settings.simulate, "file": settings.plant_file},
        "workstation": {"estop_mode": settings.estop_mode, "estop_hold_seconds": settings.estop_hold_seconds},
    }
    return HEADER + tomli_w.dumps(doc)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings atomically (a crash leaves the old file or the new one, never half)."""
    path = path or config_path()
    _check(settings, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(settings_to_toml(settings), encoding="utf-8")
    tmp.replace(path)
    return path


# -- what the composition root asks ------------------------------------------------------------------------
def needs_setup(db_arg: str | None = None, path: Path | None = None) -> bool:
    """True on a first run: no settings file, and no database named on the command line or in
    MILLWATCH_DB (a scripted install that passes --db never sees the wizard)."""
    if db_arg or os.environ.get("MILLWATCH_DB"):
        return False
    return not (path or config_path()).exists()


def effective_database_url(db_arg: str | None, settings: Settings | None) -> str | None:
    """--db, else MILLWATCH_DB, else the settings file; None means the default (SQLite in the user
    data directory, hmi.storage.database.default_db_url). The password is not filled in."""
    return db_arg or os.environ.get("MILLWATCH_DB") or (settings.database_url if settings else "") or None


def effective_broker_url(broker_arg: str | None, settings: Settings | None) -> str | None:
    """--broker, else MILLWATCH_BROKER, else the settings file; None means no broker."""
    return broker_arg or os.environ.get("MILLWATCH_BROKER") or (settings.broker_url if settings else "") or None
