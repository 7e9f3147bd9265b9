"""Upgrading a database created by the first released schema (0001) keeps every row.

What an installer update does to a site's data: the database was created by an older Millwatch
(revision 0001), the new version runs `millwatch db upgrade` (or the app does at start), and the
mills, sensors, history, users, alerts and audit trail must all still be there, unchanged, on both
SQLite and PostgreSQL.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, inspect, text

from hmi.storage.database import make_engine
from hmi.storage.migrate import current_revision, head_revision, upgrade
from tests.conftest import cli_env, millwatch_cmd

T0 = 1_790_000_000.0
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _seed_0001(engine: Engine) -> None:
    """Rows as Millwatch 0001 wrote them (the columns of migration 0001 only)."""
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO mills (id, slug, name, location, latitude, longitude, capacity, status, estop_mqtt,"
                " estop_modbus, active, updated_at) VALUES (:id, :slug, :name, 'Antwerp', 51.2, 4.4, 400, 'active',"
                " :t, '', :t, :now)"
            ),
            [{"id": 1, "slug": "north", "name": "North Mill", "t": True, "now": NOW},
             {"id": 2, "slug": "south", "name": "South Mill", "t": True, "now": NOW}],
        )
        c.execute(
            text(
                "INSERT INTO sensors (id, mill_id, name, type, eui, unit, location, sampling_interval, source,"
                " warning_min, warning_max, critical_min, critical_max, cal_offset, cal_multiplier, enabled,"
                " metadata, updated_at) VALUES (:id, :mill, :name, 'temperature', :eui, '°C', 'B1', 5, '',"
                " NULL, 60, NULL, 75, -0.4, 1.0, :t, :meta, :now)"
            ),
            [{"id": i, "mill": 1 + (i > 2), "name": f"Bearing {i}", "eui": f"A1B2C3D4E5F6000{i}", "t": True,
              "meta": '{"vendor": "Acme"}', "now": NOW} for i in (1, 2, 3)],
        )
        c.execute(
            text("INSERT INTO readings (sensor_id, ts, value, raw_value, quality) VALUES (:s, :ts, :v, :r, :q)"),
            [{"s": s, "ts": T0 + k, "v": 40.0 + s + k / 10, "r": 40.4 + s + k / 10, "q": 0}
             for s in (1, 2, 3) for k in range(100)],
        )
        c.execute(
            text(
                "INSERT INTO users (id, username, display_name, phone, role, password_hash, active,"
                " must_change_password, failed_attempts, last_login_host, created_at)"
                " VALUES (1, 'admin', 'Admin', '', 'admin', '$argon2id$v=19$m=19456,t=2,p=1$x$y', :t, :f, 0, '',"
                " :now)"
            ),
            {"t": True, "f": False, "now": NOW},
        )
        c.execute(text("INSERT INTO user_mills (user_id, mill_id) VALUES (1, 1)"))
        c.execute(
            text(
                "INSERT INTO alerts (id, mill_id, sensor_id, severity, kind, title, message, state, value,"
                " acknowledged, created_at) VALUES (1, 1, 1, 'critical', 'threshold', 'Bearing hot', 'B1 > 75',"
                " 'active', 76.5, :f, :now)"
            ),
            {"f": False, "now": NOW},
        )
        c.execute(
            text(
                "INSERT INTO production_records (id, mill_id, day, actual) VALUES (1, 1, :day, 412.5)"
            ),
            {"day": NOW.date()},
        )
        c.execute(
            text(
                "INSERT INTO audit_log (seq, ts, username, host, action, mill, target, before, after, prev_hash,"
                " hash) VALUES (1, :now, 'installer', 'host', 'user.create', '', 'admin', '{}', '{}', '', 'h1')"
            ),
            {"now": NOW},
        )


def _snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    queries = {
        "mills": "SELECT id, slug, name, location, capacity, status FROM mills ORDER BY id",
        "sensors": "SELECT id, mill_id, name, eui, unit, warning_max, critical_max, cal_offset FROM sensors"
        " ORDER BY id",
        "readings": "SELECT sensor_id, ts, value, raw_value, quality FROM readings ORDER BY sensor_id, ts",
        "users": "SELECT id, username, role, password_hash FROM users ORDER BY id",
        "user_mills": "SELECT user_id, mill_id FROM user_mills",
        "alerts": "SELECT id, mill_id, sensor_id, severity, title, value FROM alerts ORDER BY id",
        "production": "SELECT mill_id, actual FROM production_records",
        "audit": "SELECT seq, username, action, target, hash FROM audit_log ORDER BY seq",
    }
    with engine.connect() as c:
        return {name: [tuple(r) for r in c.execute(text(q))] for name, q in queries.items()}


def _upgrade_keeps_data(engine: Engine) -> None:
    assert upgrade(engine, "0001") == "0001"
    _seed_0001(engine)
    before = _snapshot(engine)
    assert len(before["readings"]) == 300

    assert upgrade(engine) == head_revision()
    assert current_revision(engine) == head_revision()
    assert _snapshot(engine) == before
    # the columns later revisions added have their defaults on the old rows
    alert_columns = {c["name"] for c in inspect(engine).get_columns("alerts")}
    assert {"alarm_key", "occurrence", "version"} <= alert_columns
    with engine.connect() as c:
        assert c.execute(text("SELECT occurrence, version FROM alerts")).one() == (0, 1)
    # and a second upgrade is a no-op
    assert upgrade(engine) == head_revision()
    assert _snapshot(engine) == before


def test_sqlite_database_from_0001_upgrades_with_its_data(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        _upgrade_keeps_data(engine)
    finally:
        engine.dispose()


def test_postgres_database_from_0001_upgrades_with_its_data(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        _upgrade_keeps_data(engine)
    finally:
        engine.dispose()


@pytest.mark.slow
def test_millwatch_db_upgrade_command_upgrades_an_old_database(sqlite_url: str) -> None:
    """The scripted-install path: `millwatch db upgrade --db URL` on a database at 0001."""
    engine = make_engine(sqlite_url)
    upgrade(engine, "0001")
    _seed_0001(engine)
    before = _snapshot(engine)
    engine.dispose()
    r = subprocess.run(millwatch_cmd("db", "upgrade", "--db", sqlite_url), capture_output=True, text=True,
                       env=cli_env(), timeout=120)
    assert r.returncode == 0, r.stderr
    assert f"at schema {head_revision()}" in r.stdout
    engine = make_engine(sqlite_url)
    try:
        assert _snapshot(engine) == before
    finally:
        engine.dispose()
