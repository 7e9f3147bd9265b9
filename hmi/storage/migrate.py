"""Schema migrations (Alembic) run programmatically, so installed and frozen builds need no ini file."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("hmi.storage") / "migrations"))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Bring the schema to `revision`; returns the revision now in place."""
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return current_revision(engine) or ""


def revision_autogenerate(engine: Engine, message: str) -> None:
    """Developer helper: write a new migration from the difference between models and database."""
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
    if current is None or current == head_revision():
        return None
    target = f"{engine.url.database}.before-{head_revision()}.from-{current}.bak"
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
