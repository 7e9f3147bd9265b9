"""The bridge's alarm channel: batches from any thread arrive on the GUI thread, every one, in order."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, QThread, Slot

from hmi.core.alarms import Alarm, AlarmKind
from hmi.ui.bridge import LiveBridge
from tests.ui.alarm_samples import make_alarm


class AlarmReceiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list[Alarm]] = []
        self.threads: set[QThread] = set()

    @Slot(object)
    def on_alarms(self, batch: list[Alarm]) -> None:
        self.batches.append(batch)
        self.threads.add(QThread.currentThread())


@pytest.fixture
def bridge(qapp):
    b = LiveBridge(interval_ms=50)
    yield b
    b.stop()
    b.deleteLater()


def test_every_batch_from_a_plain_thread_arrives_in_order(qtbot, qapp, bridge: LiveBridge) -> None:
    receiver = AlarmReceiver()
    bridge.alarmsChanged.connect(receiver.on_alarms)
    n = 300

    def feed() -> None:
        for i in range(n):  # one alarm per batch, value = sequence number; never coalesced
            bridge.submit_alarms([make_alarm("north", "E1", AlarmKind.HIGH, 1000.0 + i, value=float(i))])

    worker = threading.Thread(target=feed, name="alarm-evaluator")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(receiver.batches) == n, timeout=5000)
    assert [b[0].value for b in receiver.batches] == [float(i) for i in range(n)]
    assert receiver.threads == {qapp.thread()}
    assert bridge.stats().alarm_batches == n


def test_batches_keep_their_records_and_order_with_values_flowing(qtbot, bridge: LiveBridge) -> None:
    receiver = AlarmReceiver()
    bridge.alarmsChanged.connect(receiver.on_alarms)
    a = make_alarm("north", "E1", AlarmKind.HIGH, 1.0)
    b = make_alarm("north", "E2", AlarmKind.LOW, 2.0)
    c = make_alarm("south", "", AlarmKind.ESTOP, 3.0)
    bridge.submit_alarms([a, b])
    bridge.submit_alarms([])  # nothing: no emission
    t = threading.Thread(target=bridge.submit_alarms, args=([c],))
    t.start()
    t.join()
    qtbot.waitUntil(lambda: len(receiver.batches) == 2, timeout=2000)
    qtbot.wait(100)
    assert receiver.batches == [[a, b], [c]]
