"""AlarmCommands: actions on a worker thread, outcomes and refusals back on the GUI thread."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QObject

from hmi.core.alarms import AlarmKind
from hmi.core.plant import Plant
from hmi.ui.alarm_commands import AlarmCommands
from hmi.ui.alarm_list import AlarmTexts
from tests.ui.alarm_fakes import FakeActions
from tests.ui.alarm_samples import acked, make_alarm


@pytest.fixture
def owner(qapp):
    o = QObject()
    yield o
    o.deleteLater()


def run(qtbot, commands: AlarmCommands, call) -> list[tuple[str, str]]:
    messages: list[tuple[str, str]] = []
    commands.message.connect(lambda level, text: messages.append((level, text)))
    call()
    qtbot.waitUntil(lambda: bool(messages), timeout=3000)
    return messages


def test_a_refusal_names_the_alarm_not_its_key(qtbot, owner, plant: Plant) -> None:
    now = time.time()
    a = acked(make_alarm("north", plant.sensors()[10].eui, AlarmKind.HIGH_HIGH, now - 60, value=80.0), now - 30)
    actions = FakeActions([a], now)
    commands = AlarmCommands(actions, lambda: "marc", AlarmTexts(plant), owner)
    applied: list = []
    commands.applied.connect(applied.append)
    messages = run(qtbot, commands, lambda: commands.acknowledge([a.key]))
    assert messages == [("error", "B1 roller bearing high high: already acknowledged")]
    assert applied == []
    commands.close()


def test_unexpected_failures_are_reported(qtbot, owner, plant: Plant) -> None:
    class Down:
        def unshelve(self, user, key, comment=""):
            raise ConnectionError("database unreachable")

    key = make_alarm("north", plant.sensors()[10].eui, AlarmKind.HIGH, time.time()).key
    commands = AlarmCommands(Down(), lambda: "marc", AlarmTexts(plant), owner)
    messages = run(qtbot, commands, lambda: commands.unshelve([key]))
    assert messages == [("error", "Could not unshelve alarms: ConnectionError: database unreachable")]
    commands.close()


def test_without_an_actions_service(qtbot, owner, plant: Plant) -> None:
    commands = AlarmCommands(None, lambda: "marc", AlarmTexts(plant), owner)
    assert not commands.available
    key = make_alarm("north", plant.sensors()[10].eui, AlarmKind.HIGH, time.time()).key
    messages = run(qtbot, commands, lambda: commands.acknowledge([key]))
    assert messages[0][0] == "error" and "not available" in messages[0][1]
