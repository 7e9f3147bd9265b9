"""Test harness: keeps the user's real config, keyring and database out of every test, and
provides real servers (mosquitto, PostgreSQL) as fixtures."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt must not look for a display: set before any QApplication exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from tests.support.memory_keyring import MemoryKeyring
from tests.support.servers import Mosquitto, PostgresCluster

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("MILLWATCH_ARTIFACTS", ROOT / "artifacts"))


@pytest.fixture(autouse=True)
def isolated_user_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """Point config/data/cache dirs into tmp, drop MILLWATCH_* overrides, install a memory keyring."""
    import keyring

    home = tmp_path / "home"
    for var, sub in (
        ("HOME", ""),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        d = home / sub if sub else home
        d.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(d))
    for var in list(os.environ):
        if var.startswith("MILLWATCH_") and var != "MILLWATCH_ARTIFACTS":
            monkeypatch.delenv(var)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.support.memory_keyring.MemoryKeyring")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def mosquitto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mosquitto]:
    broker = Mosquitto(tmp_path_factory.mktemp("mosquitto"))
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster()
    cluster.init()
    cluster.start()
    yield cluster
    cluster.destroy()


@pytest.fixture
def pg_url(pg_cluster: PostgresCluster) -> str:
    return pg_cluster.new_database()


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for running `millwatch` in a subprocess inside the isolated test env."""
    env = dict(os.environ)
    env.update(extra or {})
    return env


def millwatch_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "hmi", *args]
