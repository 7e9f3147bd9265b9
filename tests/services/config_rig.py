"""A real configuration setup for the service and screen tests: a migrated SQLite database with the
demo plant and four users (copied from a template per test: argon2 is slow), an AuthService on a
fake clock, and the services the configuration screens and the faceplate use."""

from __future__ import annotations

import json
import shutil
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from hmi.core.clock import FakeClock
from hmi.core.domain import Role
from hmi.core.plant import Plant, parse_plant
from hmi.services.auth import AuthService, Session
from hmi.services.sensor_config import SensorConfigService
from hmi.services.users import add_user
from hmi.storage.database import make_engine
from hmi.storage.migrate import upgrade
from hmi.storage.plant_repo import apply_plant
from hmi.storage.schema import AuditRow

PW = "correct horse battery"
USERS = {
    "root": (Role.ADMIN, None),
    "ana": (Role.OPERATOR, ["north"]),
    "tom": (Role.TECHNICIAN, ["north"]),
    "vic": (Role.VIEWER, ["north"]),
}
NORTH_EUI = "A1B2C3D4E5F61001"  # "Intake conveyor motor" of the demo plant (north)


def demo_plant() -> Plant:
    from hmi.ui.resources import read_text  # plain file access; no Qt is imported by it

    return parse_plant(tomllib.loads(read_text("plants", "demo.toml")))


@dataclass
class ConfigRig:
    engine: Engine
    auth: AuthService
    clock: FakeClock
    service: SensorConfigService
    path: Path

    def sign_in(self, name: str, console: str = "console-1") -> Session:
        result = self.auth.sign_in(name, PW, console=console)
        assert result.session is not None, result.message
        return result.session

    def audit(self, prefix: str = "") -> list[tuple[str, str, str, dict[str, Any], dict[str, Any]]]:
        """(action, user, target, before, after) of every record whose action starts with `prefix`."""
        t = AuditRow.__table__
        with self.engine.connect() as c:
            rows = c.execute(select(t.c.action, t.c.username, t.c.target, t.c.before, t.c.after)
                             .order_by(t.c.seq)).all()
        return [(r.action, r.username, r.target, json.loads(r.before or "{}"), json.loads(r.after or "{}"))
                for r in rows if r.action.startswith(prefix)]


@pytest.fixture(scope="session")
def config_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("config-template") / "template.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    apply_plant(engine, demo_plant())
    for name, (role, mills) in USERS.items():
        add_user(engine, name, PW, role, mills=mills, audit_key=None, display_name=name.capitalize())
    engine.dispose()
    return path


@pytest.fixture
def config_rig(tmp_path: Path, config_db_template: Path) -> Iterator[ConfigRig]:
    path = tmp_path / "config.sqlite"
    shutil.copy(config_db_template, path)
    engine = make_engine(f"sqlite:///{path}")
    clock = FakeClock(datetime.now(UTC))
    auth = AuthService(engine, clock=clock, audit_key=None)
    rig = ConfigRig(engine, auth, clock, SensorConfigService(auth), path)
    yield rig
    engine.dispose()
