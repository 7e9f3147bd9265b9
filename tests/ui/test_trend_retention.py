"""The data retention window on a real SQLite database: an admin edits and saves for the site, an
operator sees the figures read-only, bad figures are refused before anything is sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import Engine

from hmi.core.domain import Role
from hmi.core.permissions import Action
from hmi.services.auth import AuthService
from hmi.services.retention import RetentionSettings
from hmi.services.users import add_user
from hmi.storage.database import make_engine
from hmi.storage.migrate import upgrade
from hmi.storage.rollups import Retention
from hmi.ui.trend_retention import RetentionDialog

PW = "correct horse battery"


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    add_user(engine, "root", PW, Role.ADMIN, audit_key=None)
    add_user(engine, "ana", PW, Role.OPERATOR, audit_key=None)
    yield engine
    engine.dispose()


def open_as(qtbot: Any, engine: Engine, name: str) -> RetentionDialog:
    auth = AuthService(engine, audit_key=None)
    result = auth.sign_in(name, PW, console="c1")
    assert result.session is not None
    session = result.session
    dialog = RetentionDialog(RetentionSettings(engine, auth), lambda: session,
                             lambda: bool(auth.permissions.check(session.principal, Action.CHANGE_SETTINGS)))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.jobs.busy, timeout=5000)
    return dialog


def test_an_admin_changes_the_retention_for_the_site(qtbot: Any, themed_app: object, engine: Engine,
                                                     artifacts_dir: Path) -> None:
    dialog = open_as(qtbot, engine, "root")
    assert dialog.save_button.isVisible() and dialog.days["raw_days"].isEnabled()
    assert dialog.days["raw_days"].value() == Retention().raw_days and dialog.forever["hour_days"].isChecked()
    dialog.days["raw_days"].setValue(90)
    dialog.days["minute_days"].setValue(60)  # shorter than raw: refused before anything is sent
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "at least as long as raw readings" in dialog.message_text()
    assert RetentionSettings(engine).load() == Retention()
    dialog.days["minute_days"].setValue(400)
    assert dialog.grab().save(str(artifacts_dir / "trend_retention.png"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in dialog.message_text(), timeout=5000)
    assert RetentionSettings(engine).load() == Retention(raw_days=90, minute_days=400, hour_days=None)


def test_an_operator_sees_the_figures_read_only(qtbot: Any, themed_app: object, engine: Engine) -> None:
    dialog = open_as(qtbot, engine, "ana")
    assert not dialog.save_button.isVisible()
    assert not dialog.days["raw_days"].isEnabled() and not dialog.forever["raw_days"].isEnabled()
    assert "Only an administrator" in dialog.message_text()
