"""Schema migrations (Alembic) run programmatically, so installed and frozen builds need no ini file.

Alembic is imported only when a migration is due: a database already at `HEAD_REVISION` is checked
with one query (a test keeps the constant equal to Alembic's head), which keeps it off the start path.
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from alembic.config import Config

HEAD_REVISION = "0006"  # the newest file in migrations/versions (tests/storage/test_migrations.py checks)


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(files("hmi.storage") / "migrations"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: no schema yet), read without Alembic."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        from alembic.runtime.migration import MigrationContext

        with engine.connect() as conn:  # no version table: let Alembic say (and raise for a dead database)
            return MigrationContext.configure(conn).get_current_revision()
    return str(rows[0][0]) if len(rows) == 1 else None


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Bring the schema to `revision`; returns the revision now in place."""
    if revision in ("head", HEAD_REVISION) and current_revision(engine) == HEAD_REVISION:
        return HEAD_REVISION  # nothing to do: Alembic stays unimported
    from alembic import command

    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return current_revision(engine) or ""


def revision_autogenerate(engine: Engine, message: str) -> None:
    """Developer helper: write a new migration from the difference between models and database."""
    from alembic import command

    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.revision(cfg, message=message, autogenerate=True)


def backup_before_upgrade(engine: Engine) -> str | None:
    """Copy a SQLite database aside before migrating it (PostgreSQL sites back up with their own
    tools); returns the backup path, or None when nothing needed migrating or it is not SQLite."""
    import sqlite3

    if engine.dialect.name != "sqlite" or not engine.url.database or engine.url.database == ":memory:":
        return None
    current = current_revision(engine)
    if current is None or current == HEAD_REVISION:
        return None
    target = f"{engine.url.database}.before-{HEAD_REVISION}.from-{current}.bak"
    src = sqlite3.connect(engine.url.database)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # consistent even while another process writes (WAL)
        finally:
            dst.close()
    finally:
        src.close()
    return target
