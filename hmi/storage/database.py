"""Engine creation for SQLite (the default, in the user data dir) and PostgreSQL.

SQLite is set to WAL with foreign keys on for every connection: WAL lets the GUI read while the
history writer commits, and SQLite leaves foreign keys off unless asked on each connection.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from hmi.core.text import Text

APP_NAME = "millwatch"


class DatabaseUrlError(ValueError):
    """The database URL cannot be used; the message names why, without the password."""


def default_data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_url() -> str:
    return f"sqlite:///{default_data_dir() / 'millwatch.sqlite'}"


def resolve_db_url(url: str | None) -> str:
    """`--db` wins, then MILLWATCH_DB, then SQLite in the user data directory."""
    return url or os.environ.get("MILLWATCH_DB") or default_db_url()


def safe_url(url: str) -> str:
    """The URL with any password masked: the only form that may reach a log or a message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUrlError(Text("not a database URL: {url!r}", url=url)) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("connect_args", {"connect_timeout": 5})
        return create_engine(parsed, **kwargs)
    raise DatabaseUrlError(Text("unsupported database {backend!r}: use sqlite:///PATH or postgresql+psycopg://...",
                                 backend=backend))
