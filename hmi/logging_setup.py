"""Logging for every `millwatch` program: a rotating file in the platformdirs log directory, plus
stderr when there is one (a windowed Windows build has none).

    ~/.local/state/millwatch/log/millwatch.log           (Linux; the collector: millwatch-collect.log)
    %LOCALAPPDATA%\\millwatch\\Logs\\millwatch.log         (Windows)

Each long-running program gets its own file, so two processes never rotate one file under each
other. Whatever reaches a log passes through `redact`: a password in a URL or a `password=` pair
is masked, as a second line of defence behind the rule that secrets are never logged at all.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path

from platformdirs import user_log_dir

APP_NAME = "millwatch"
LOG_DIR_ENV = "MILLWATCH_LOG_DIR"
MAX_BYTES = 5 * 1024 * 1024
BACKUP_COUNT = 5
FILE_FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"
CONSOLE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
NOISY = ("alembic", "pymodbus", "asyncio", "PIL")
_MARK = "_millwatch_handler"

_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@]*:)(?P<secret>[^\s@/]+)(?=@)")
_KV_PASSWORD = re.compile(
    r"(?i)(?P<head>\b(?:password|passwd|pwd|secret|token)\b['\"]?\s*[=:]\s*['\"]?)(?P<secret>[^\s'\",;&}]+)"
)


def redact(text: str) -> str:
    """`text` with passwords in URLs (``mqtt://u:SECRET@h``) and ``password=SECRET`` pairs masked."""
    text = _URL_PASSWORD.sub(r"\g<head>***", text)
    return _KV_PASSWORD.sub(r"\g<head>***", text)


class RedactingFormatter(logging.Formatter):
    """A formatter whose output (message and traceback alike) has secrets masked."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_dir() -> Path:
    """MILLWATCH_LOG_DIR if set, else the platformdirs user log directory."""
    override = os.environ.get(LOG_DIR_ENV)
    return Path(override).expanduser() if override else Path(user_log_dir(APP_NAME, appauthor=False))


def log_file_name(program: str | None = None) -> str:
    return f"{APP_NAME}-{program}.log" if program else f"{APP_NAME}.log"


def setup_logging(
    *,
    verbose: bool = False,
    program: str | None = None,
    console: bool = True,
    directory: Path | None = None,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> Path | None:
    """Configure the root logger; returns the log file, or None if the directory is not writable
    (then only stderr gets the log, and says so). Calling it again replaces what it installed."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    level = logging.DEBUG if verbose else logging.INFO
    root.setLevel(level)

    stream = sys.stderr
    if console and stream is not None:
        ch = logging.StreamHandler(stream)
        ch.setFormatter(RedactingFormatter(CONSOLE_FORMAT))
        setattr(ch, _MARK, True)
        root.addHandler(ch)

    path: Path | None = (directory or log_dir()) / log_file_name(program)
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = logging.handlers.RotatingFileHandler(
            path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
        )
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot write the log file %s (%s): logging to stderr only", path, exc)
        path = None
    else:
        fh.setFormatter(RedactingFormatter(FILE_FORMAT))
        setattr(fh, _MARK, True)
        root.addHandler(fh)

    for name in NOISY:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.WARNING)
    logging.captureWarnings(True)
    return path


def current_log_file() -> Path | None:
    """The file the root logger writes to (set up by setup_logging), if any."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, _MARK, False) and isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None
