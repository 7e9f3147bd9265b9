"""Migrations build the same schema on SQLite and on a real PostgreSQL cluster."""

import sqlite3

from sqlalchemy import inspect, text

from hmi.storage.database import make_engine
from hmi.storage.migrate import current_revision, head_revision, upgrade

TABLES = {"mills", "sensors", "readings", "alerts", "production_records", "users", "user_mills", "audit_log"}


def test_sqlite_upgrade_wal_without_rowid(sqlite_url: str, tmp_path) -> None:
    engine = make_engine(sqlite_url)
    assert current_revision(engine) is None
    assert upgrade(engine) == head_revision()
    assert TABLES <= set(inspect(engine).get_table_names())
    with engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
    sql = sqlite3.connect(tmp_path / "test.sqlite").execute(
        "select sql from sqlite_master where name='readings'"
    ).fetchone()[0]
    assert "WITHOUT ROWID" in sql and "PRIMARY KEY (sensor_id, ts)" in sql
    assert upgrade(engine) == head_revision()  # a second run is a no-op
    engine.dispose()


def test_postgres_upgrade_with_covering_index(pg_url: str) -> None:
    engine = make_engine(pg_url)
    assert upgrade(engine) == head_revision()
    assert TABLES <= set(inspect(engine).get_table_names())
    with engine.connect() as c:
        idx = c.execute(text("select indexdef from pg_indexes where indexname = 'ix_readings_cover'")).scalar()
    engine.dispose()
    assert idx is not None and "INCLUDE (value, quality)" in idx


def test_sqlite_backup_before_upgrade(sqlite_url: str, tmp_path) -> None:
    from hmi.storage.migrate import backup_before_upgrade

    engine = make_engine(sqlite_url)
    assert backup_before_upgrade(engine) is None  # a new database: nothing to keep
    upgrade(engine, "0001")
    with engine.begin() as c:
        c.execute(text("insert into mills (slug, name, location, capacity, status, estop_mqtt, estop_modbus, active) "
                       "values ('m', 'M', '', 1, 'active', 1, '', 1)"))
    backup = backup_before_upgrade(engine)
    assert backup is not None and "from-0001" in backup
    assert sqlite3.connect(backup).execute("select slug from mills").fetchall() == [("m",)]
    upgrade(engine)
    assert backup_before_upgrade(engine) is None  # at head: no copy
    engine.dispose()


def test_head_constant_matches_alembic_and_a_current_database_skips_alembic(sqlite_url: str) -> None:
    import subprocess
    import sys

    from hmi.storage.migrate import HEAD_REVISION, head_revision

    assert HEAD_REVISION == head_revision(), "update HEAD_REVISION in hmi/storage/migrate.py"
    engine = make_engine(sqlite_url)
    upgrade(engine)
    engine.dispose()
    probe = (
        "import sys\nfrom hmi.storage.database import make_engine\nfrom hmi.storage.migrate import upgrade\n"
        f"assert upgrade(make_engine({sqlite_url!r})) == {HEAD_REVISION!r}\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False", out.stderr
