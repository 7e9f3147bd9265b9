"""Data retention as a site setting: stored in the shared database, changed only by admins (audited),
validated, and picked up by the ingesting instance's rollup job on its next pruning pass. Real SQLite
and a real PostgreSQL cluster."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from hmi.core.domain import Role
from hmi.core.errors import ValidationError
from hmi.core.permissions import PermissionDenied
from hmi.services.auth import AuthService, Session
from hmi.services.retention import RetentionSettings, validate_retention
from hmi.services.rollup_job import RollupJob
from hmi.services.users import add_user
from hmi.storage.database import make_engine
from hmi.storage.migrate import upgrade
from hmi.storage.rollups import Retention
from hmi.storage.schema import AuditRow

PW = "correct horse battery"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[Engine]:
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)
    upgrade(engine)
    add_user(engine, "root", PW, Role.ADMIN, audit_key=None)
    add_user(engine, "ana", PW, Role.OPERATOR, audit_key=None)
    yield engine
    engine.dispose()


def session(auth: AuthService, name: str) -> Session:
    result = auth.sign_in(name, PW, console="c1")
    assert result.session is not None, result.message
    return result.session


def test_defaults_until_an_admin_changes_them_for_every_instance(engine: Engine) -> None:
    auth = AuthService(engine, audit_key=None)
    settings = RetentionSettings(engine, auth)
    assert settings.load() == Retention()
    wanted = Retention(raw_days=90, minute_days=400, hour_days=None)
    settings.save(session(auth, "root"), wanted)
    other = RetentionSettings(engine)  # another workstation, or the collector
    assert other.load() == wanted
    t = AuditRow.__table__
    with engine.connect() as c:
        row = c.execute(select(t).where(t.c.action == "settings.retention")).one()
    assert row.username == "root"
    assert json.loads(row.before)["raw_days"] == Retention().raw_days
    assert json.loads(row.after) == {"raw_days": 90.0, "minute_days": 400.0, "hour_days": None}


def test_an_operator_is_refused_and_nothing_changes(engine: Engine) -> None:
    auth = AuthService(engine, audit_key=None)
    settings = RetentionSettings(engine, auth)
    with pytest.raises(PermissionDenied):
        settings.save(session(auth, "ana"), Retention(raw_days=2, minute_days=3, hour_days=4))
    assert RetentionSettings(engine).load() == Retention()
    t = AuditRow.__table__
    with engine.connect() as c:
        refused = c.execute(select(t.c.action).where(t.c.username == "ana", t.c.action == "permission.denied")).all()
    assert refused


@pytest.mark.parametrize(
    ("raw", "minute", "hour", "problem"),
    [
        (0.5, 10, 20, "from 1 to"),
        (30, 10, None, "per-minute rollups must be kept at least as long"),
        (None, 100, None, "per-minute rollups must be kept at least as long"),
        (30, 60, 40, "per-hour rollups must be kept at least as long"),
    ],
)
def test_figures_are_validated(raw: float | None, minute: float | None, hour: float | None, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        validate_retention(raw, minute, hour)


def test_validation_accepts_forever_for_longer_stores() -> None:
    assert validate_retention(30, None, None) == Retention(raw_days=30, minute_days=None, hour_days=None)


def test_the_rollup_job_applies_a_change_at_its_next_pruning_pass(engine: Engine) -> None:
    auth = AuthService(engine, audit_key=None)
    job = RollupJob(engine, retention=RetentionSettings(engine).load, clock=lambda: 1_790_000_000.0)
    job.prune(1_790_000_000.0)
    assert job.retention == Retention()
    RetentionSettings(engine, auth).save(session(auth, "root"), Retention(raw_days=7, minute_days=30, hour_days=3650))
    job.prune(1_790_003_600.0)
    assert job.retention == Retention(raw_days=7, minute_days=30, hour_days=3650)
