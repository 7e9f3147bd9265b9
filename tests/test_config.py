"""The per-workstation settings file: where it lives, what it holds, and that no secret gets in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from hmi.config import (
    ConfigError,
    Settings,
    config_path,
    database_secret_key,
    effective_broker_url,
    effective_database_url,
    load_settings,
    needs_setup,
    save_settings,
    settings_to_toml,
    strip_password,
    with_database_password,
)
from tests.support.memory_keyring import MemoryKeyring

PG = "postgresql+psycopg://millwatch@db.plant.local:5433/mw"


def test_lives_in_the_platformdirs_config_dir(tmp_path: Path) -> None:
    # the autouse fixture points XDG_CONFIG_HOME into tmp_path/home/.config
    assert config_path() == tmp_path / "home" / ".config" / "millwatch" / "config.toml"


def test_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MILLWATCH_CONFIG", str(tmp_path / "other.toml"))
    assert config_path() == tmp_path / "other.toml"


def test_missing_file_is_a_first_run() -> None:
    assert load_settings() is None
    assert needs_setup(None)


def test_round_trip_and_no_more_setup() -> None:
    settings = Settings(database_url=PG, broker_url="mqtt://hmi@broker:1883", simulate=True, plant_file="/p.toml")
    path = save_settings(settings)
    assert path == config_path()
    assert load_settings() == settings
    assert not needs_setup(None)
    text = path.read_text()
    assert text.startswith("# Millwatch workstation settings (no secrets")
    assert "schema_version = 1" in text


def test_db_on_the_command_line_or_env_skips_the_wizard(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not needs_setup("sqlite:///x.sqlite")
    monkeypatch.setenv("MILLWATCH_DB", "sqlite:///y.sqlite")
    assert not needs_setup(None)


@pytest.mark.parametrize(
    "settings",
    [
        Settings(database_url="postgresql+psycopg://u:hunter2@db/mw"),
        Settings(broker_url="mqtt://u:hunter2@broker:1883"),
    ],
)
def test_a_password_is_never_saved(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="keyring"):
        save_settings(settings)
    assert not config_path().exists()


def test_a_password_written_by_hand_is_refused_on_load() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('[database]\nurl = "postgresql://u:hunter2@db/mw"\n')
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert "hunter2" not in str(info.value) and "database.url" in str(info.value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[database\n", "not valid TOML"),
        ("schema_version = 2\n", "schema_version"),
        ("database = 3\n", "[database] must be a table"),
        ("[broker]\nurl = 5\n", "broker.url must be a string"),
        ("[plant]\nsimulate = 'yes'\n", "plant.simulate"),
        ("[workstation]\nestop_mode = 'tap'\n", "workstation.estop_mode"),
        ("[workstation]\nestop_hold_seconds = 0.1\n", "workstation.estop_hold_seconds"),
    ],
)
def test_bad_files_name_the_problem(text: str, problem: str) -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(text)
    with pytest.raises(ConfigError, match=re.escape(problem)):
        load_settings()


def test_save_is_atomic_and_leaves_no_temp_file() -> None:
    save_settings(Settings(broker_url="mqtt://a:1883"))
    save_settings(Settings(broker_url="mqtt://b:1883"))
    files = sorted(p.name for p in config_path().parent.iterdir())
    assert files == ["config.toml"]
    assert load_settings() == Settings(broker_url="mqtt://b:1883")


def test_strip_password() -> None:
    assert strip_password("postgresql+psycopg://u:p%40ss@db:5432/mw") == ("postgresql+psycopg://u@db:5432/mw", "p@ss")
    assert strip_password(PG) == (PG, None)
    assert strip_password("") == ("", None)


def test_database_secret_key() -> None:
    assert database_secret_key(PG) == "database:millwatch@db.plant.local:5433/mw"
    assert database_secret_key("postgresql://u@db/mw") == "database:u@db:5432/mw"
    assert database_secret_key("sqlite:////tmp/x.sqlite") is None
    assert database_secret_key("postgresql://db/mw") is None  # no user, no password


def test_database_password_comes_from_the_keyring(isolated_user_env: MemoryKeyring) -> None:
    assert with_database_password(PG) == PG  # nothing stored yet
    isolated_user_env.set_password("millwatch", "database:millwatch@db.plant.local:5433/mw", "s3cret p@ss")
    full = make_url(with_database_password(PG))
    assert (full.username, full.password, full.host, full.port, full.database) == (
        "millwatch", "s3cret p@ss", "db.plant.local", 5433, "mw"
    )
    assert with_database_password("sqlite:///x.sqlite") == "sqlite:///x.sqlite"


def test_database_password_env_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MILLWATCH_DB_PASSWORD", "from-env")
    assert with_database_password(PG) == "postgresql+psycopg://millwatch:from-env@db.plant.local:5433/mw"


def test_precedence_command_line_env_file(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(database_url=PG, broker_url="mqtt://file:1883")
    assert effective_database_url(None, None) is None  # the default SQLite
    assert effective_database_url(None, settings) == PG
    monkeypatch.setenv("MILLWATCH_DB", "sqlite:///env.sqlite")
    monkeypatch.setenv("MILLWATCH_BROKER", "mqtt://env:1883")
    assert effective_database_url(None, settings) == "sqlite:///env.sqlite"
    assert effective_database_url("sqlite:///cli.sqlite", settings) == "sqlite:///cli.sqlite"
    assert effective_broker_url(None, settings) == "mqtt://env:1883"
    assert effective_broker_url("mqtt://cli:1883", settings) == "mqtt://cli:1883"
    monkeypatch.delenv("MILLWATCH_BROKER")
    assert effective_broker_url(None, settings) == "mqtt://file:1883"
    assert effective_broker_url(None, Settings()) is None


def test_toml_is_readable() -> None:
    text = settings_to_toml(Settings(database_url="", broker_url="mqtt://b:1883"))
    assert "[database]" in text and "[broker]" in text and "[plant]" in text and "simulate = false" in text


def test_the_stop_guard_is_a_workstation_setting() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text("[workstation]\nestop_mode = 'confirm'\nestop_hold_seconds = 1.5\n")
    loaded = load_settings()
    assert loaded is not None and (loaded.estop_mode, loaded.estop_hold_seconds) == ("confirm", 1.5)
    save_settings(loaded.with_changes(estop_mode="hold"))
    again = load_settings()
    assert again is not None and (again.estop_mode, again.estop_hold_seconds) == ("hold", 1.5)
