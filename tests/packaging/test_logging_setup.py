"""Logs go to the platformdirs log directory, rotate, and never carry a secret."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from hmi.logging_setup import current_log_file, log_dir, redact, setup_logging


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in list(root.handlers):
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)
    logging.captureWarnings(False)


def test_log_directory_is_the_platformdirs_one(tmp_path: Path, restore_logging: None) -> None:
    # the autouse fixture points XDG_STATE_HOME into tmp_path/home/.local/state
    assert log_dir() == tmp_path / "home" / ".local" / "state" / "millwatch" / "log"
    path = setup_logging(console=False)
    assert path == log_dir() / "millwatch.log"
    assert current_log_file() == path
    logging.getLogger("hmi.test").info("hello %s", "log")
    assert "INFO [MainThread] hmi.test: hello log" in path.read_text()


def test_collector_gets_its_own_file(restore_logging: None) -> None:
    assert setup_logging(console=False, program="collect") == log_dir() / "millwatch-collect.log"


def test_rotation_keeps_a_bounded_number_of_files(tmp_path: Path, restore_logging: None) -> None:
    logs = tmp_path / "logs"
    path = setup_logging(console=False, directory=logs, max_bytes=2000, backup_count=3)
    assert path is not None
    log = logging.getLogger("hmi.test")
    for i in range(400):
        log.info("line %04d %s", i, "x" * 40)
    names = sorted(p.name for p in logs.iterdir())
    assert names == ["millwatch.log", "millwatch.log.1", "millwatch.log.2", "millwatch.log.3"]
    assert all(p.stat().st_size <= 2100 for p in logs.iterdir())
    assert "line 0399" in path.read_text()


def test_calling_it_again_replaces_its_handlers(tmp_path: Path, restore_logging: None) -> None:
    before = len(logging.getLogger().handlers)
    setup_logging(directory=tmp_path / "a")
    setup_logging(directory=tmp_path / "b")
    assert len(logging.getLogger().handlers) == before + 2  # one file, one console
    assert current_log_file() == tmp_path / "b" / "millwatch.log"


def test_unwritable_directory_falls_back_to_stderr(tmp_path: Path, restore_logging: None) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert setup_logging(directory=blocker / "log") is None


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("connecting to postgresql+psycopg://mw:hunter2@db:5432/x", "hunter2"),
        ("broker mqtt://hmi:s3cr3t@broker:1883 refused", "s3cr3t"),
        ("login failed password=letmein123 for admin", "letmein123"),
        ('{"password": "letmein123"}', "letmein123"),
        ("token: abc.def.ghi", "abc.def.ghi"),
    ],
)
def test_secrets_are_masked(text: str, secret: str) -> None:
    masked = redact(text)
    assert secret not in masked and "***" in masked


def test_urls_without_passwords_are_untouched() -> None:
    text = "connected to mqtt://hmi@broker:1883 and postgresql+psycopg://mw@db:5432/x at 12:00:01"
    assert redact(text) == text


def test_file_and_tracebacks_are_redacted(tmp_path: Path, restore_logging: None) -> None:
    path = setup_logging(console=False, directory=tmp_path)
    assert path is not None
    log = logging.getLogger("hmi.test")
    log.warning("db postgresql://u:pw-in-message@h/x down")
    try:
        raise ConnectionError("mqtt://u:pw-in-exception@broker:1883 refused")
    except ConnectionError:
        log.exception("connect failed")
    text = path.read_text()
    assert "pw-in-message" not in text and "pw-in-exception" not in text
    assert "Traceback" in text and "ConnectionError" in text
