"""The mill's actions bar: "Start production" runs the injected command off the GUI thread, shows the
service's refusal in its own words, is busy while it runs, and follows the selected mill."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget

from hmi.core.plant import Plant
from hmi.services.commands import START_REFUSED_MESSAGE, CommandRefused, CommandResult
from hmi.ui.mill_actions import MillActions


@pytest.fixture
def bar_factory(qtbot, themed_app, plant: Plant):
    made: list[MillActions] = []
    hosts: list[QWidget] = []

    def make(start) -> MillActions:  # type: ignore[no-untyped-def]
        host = QWidget()  # as in the window: a child, never a top-level of its own
        qtbot.addWidget(host)
        hosts.append(host)  # the bar lives as long as its host
        bar = MillActions(plant, start, parent=host)
        made.append(bar)
        return bar

    yield make
    for b in made:
        b.shutdown()


def test_refusal_is_shown_in_the_services_words(qtbot, bar_factory) -> None:
    threads: list[str] = []

    def start(slug: str) -> CommandResult:
        threads.append(threading.current_thread().name)
        raise CommandRefused(START_REFUSED_MESSAGE, code="state", command="start_production", mill=slug)

    bar = bar_factory(start)
    bar.set_mill("south")
    messages: list[tuple[str, str]] = []
    bar.message.connect(lambda level, text: messages.append((level, text)))
    with qtbot.waitSignal(bar.finished, timeout=3000) as sig:
        bar.start_button.click()
    assert sig.args == ["south", False]
    assert threads == ["mill-actions"]  # never on the GUI thread
    assert bar.result.text() == f"Production not started: {START_REFUSED_MESSAGE}"
    assert bar.result.property("level") == "error"
    assert messages == [("error", f"Production not started: {START_REFUSED_MESSAGE}")]


def test_busy_while_running_then_result_and_controller_refusal(qtbot, bar_factory) -> None:
    release = threading.Event()
    calls: list[str] = []

    def start(slug: str) -> CommandResult:
        calls.append(slug)
        release.wait(5)
        if len(calls) == 1:
            return CommandResult(True, "start_production", slug, "c1", "started", latency_ms=12.0)
        return CommandResult(False, "start_production", slug, "c2", "refused", reason="feed hopper empty")

    bar = bar_factory(start)
    bar.set_mill("north")
    bar.start_button.click()
    qtbot.waitUntil(lambda: not bar.start_button.isEnabled(), timeout=1000)
    assert bar.start_button.text() == "Starting\u2026"
    bar.request_start()  # a second press while busy does nothing
    release.set()
    qtbot.waitUntil(lambda: bar.start_button.isEnabled(), timeout=3000)
    assert calls == ["north"] and bar.result.text() == "Production started in 12 ms."
    with qtbot.waitSignal(bar.finished, timeout=3000):
        bar.start_button.click()
    assert bar.result.text() == "Production not started: feed hopper empty"


def test_follows_the_selected_mill_and_its_status(qtbot, bar_factory) -> None:
    bar = bar_factory(None)
    assert bar.isHidden()  # "All mills": no actions of its own
    bar.set_status("south", "maintenance")  # the overview's refresh, before the mill is opened
    bar.set_mill("south")
    assert not bar.isHidden() and bar.status.text() == "Maintenance" and bar.status.property("status") == "maintenance"
    assert not bar.start_button.isEnabled()  # no command service on this workstation
    bar.set_mill("north")
    assert bar.status.text() == "Active"
    bar.set_status("north", "error")
    assert bar.status.property("status") == "error"
    bar.set_mill(None)
    assert bar.isHidden()
