"""LiveBridge: the one thread seam. Submissions from any thread are coalesced per EUI and reach the
GUI at the timer's rate, never once per sample."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QObject, Slot

from hmi.core.domain import Quality, Reading
from hmi.ui.bridge import MIN_INTERVAL_MS, LiveBridge


class Receiver(QObject):
    """A GUI-thread QObject with slots, as the real views connect."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[dict[str, Reading]] = []
        self.latest: dict[str, Reading] = {}
        self.links: list[tuple[str, str, str]] = []

    @Slot(object)
    def on_values(self, values: dict[str, Reading]) -> None:
        self.batches.append(dict(values))
        self.latest.update(values)

    @Slot(str, str, str)
    def on_link(self, name: str, state: str, detail: str) -> None:
        self.links.append((name, state, detail))


@pytest.fixture
def bridge(qapp):
    b = LiveBridge(interval_ms=50)
    yield b
    b.stop()
    b.deleteLater()


@pytest.fixture
def receiver(bridge: LiveBridge) -> Receiver:
    r = Receiver()
    bridge.valuesChanged.connect(r.on_values)
    bridge.linkChanged.connect(r.on_link)
    return r


def eui(i: int) -> str:
    return f"{0xA1B2C3D4E5F60000 + i:016X}"


def test_10k_readings_from_a_thread_arrive_as_latest_per_eui(qtbot, bridge: LiveBridge, receiver: Receiver) -> None:
    n_euis, per_eui = 50, 200  # 10,000 readings in 400 submit calls
    t0 = 1_700_000_000.0

    def feed() -> None:
        for k in range(per_eui):
            bridge.submit([Reading(eui(i), t0 + k, float(k), Quality.GOOD) for i in range(10)])
            bridge.submit([Reading(eui(i), t0 + k, float(k), Quality.GOOD) for i in range(10, n_euis)])
            if k % 20 == 0:
                time.sleep(0.005)

    started = time.monotonic()
    worker = threading.Thread(target=feed, name="fake-driver")
    worker.start()
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=10_000)
    worker.join()
    qtbot.waitUntil(
        lambda: len(receiver.latest) == n_euis and all(r.value == per_eui - 1 for r in receiver.latest.values()),
        timeout=2_000,
    )
    elapsed = time.monotonic() - started
    stats = bridge.stats()
    assert stats.received == n_euis * per_eui == 10_000
    # bounded by the timer, not by the 400 submit calls or 10,000 samples
    assert stats.value_emits == len(receiver.batches)
    assert stats.value_emits <= elapsed * 1000 / bridge.interval_ms + 2
    assert stats.value_emits < 2 * per_eui
    for batch in receiver.batches:
        assert set(batch) <= {eui(i) for i in range(n_euis)}


def test_rate_is_bounded_whatever_the_message_rate(qtbot, receiver: Receiver) -> None:
    fast = LiveBridge(interval_ms=MIN_INTERVAL_MS)
    fast.valuesChanged.connect(receiver.on_values)
    stop = threading.Event()

    def flood() -> None:
        k = 0
        while not stop.is_set():
            fast.submit([Reading(eui(k % 100), float(k), float(k))])
            k += 1

    worker = threading.Thread(target=flood, name="flood")
    worker.start()
    started = time.monotonic()
    qtbot.wait(1000)
    stop.set()
    worker.join()
    elapsed = time.monotonic() - started
    fast.stop()
    stats = fast.stats()
    assert stats.received > 1000
    assert stats.value_emits <= 50 * elapsed + 2  # at most 50 signals per second
    assert stats.value_emits < stats.received / 10


def test_no_emission_when_nothing_changed(qtbot, bridge: LiveBridge, receiver: Receiver) -> None:
    qtbot.wait(300)
    stats = bridge.stats()
    assert stats.flushes >= 2
    assert stats.value_emits == 0
    assert receiver.batches == []


def test_flush_carries_only_the_euis_changed_since_the_last_flush(bridge: LiveBridge, receiver: Receiver) -> None:
    bridge.stop()
    bridge.submit([Reading(eui(1), 1.0, 1.0), Reading(eui(2), 1.0, 2.0)])
    bridge.flush()
    bridge.submit([Reading(eui(2), 2.0, 3.0)])
    bridge.flush()
    bridge.flush()
    assert [sorted(b) for b in receiver.batches] == [[eui(1), eui(2)], [eui(2)]]
    assert receiver.batches[1][eui(2)].value == 3.0


def test_an_older_reading_does_not_replace_a_newer_one(bridge: LiveBridge, receiver: Receiver) -> None:
    bridge.stop()
    bridge.submit([Reading(eui(1), 10.0, 1.0)])
    bridge.submit([Reading(eui(1), 9.0, 0.5)])  # redelivered, late
    bridge.flush()
    assert receiver.batches == [{eui(1): Reading(eui(1), 10.0, 1.0)}]


def test_link_states_are_coalesced_and_repeats_dropped(bridge: LiveBridge, receiver: Receiver) -> None:
    bridge.stop()
    done = threading.Event()

    def report() -> None:
        bridge.submit_link("mqtt", "connecting", "broker")
        bridge.submit_link("mqtt", "connected", "broker")
        bridge.submit_link("modbus", "disconnected", "timeout")
        done.set()

    threading.Thread(target=report).start()
    assert done.wait(5)
    bridge.flush()
    assert sorted(receiver.links) == [("modbus", "disconnected", "timeout"), ("mqtt", "connected", "broker")]
    bridge.submit_link("mqtt", "connected", "broker")  # same as shown: nothing to emit
    bridge.flush()
    assert len(receiver.links) == 2
    assert bridge.stats().link_emits == 2


def test_interval_below_the_bound_is_refused(qapp) -> None:
    with pytest.raises(ValueError, match="at least"):
        LiveBridge(interval_ms=MIN_INTERVAL_MS - 1)


def test_bridge_must_be_created_on_the_gui_thread(qapp) -> None:
    errors: list[BaseException] = []

    def create() -> None:
        try:
            LiveBridge()
        except RuntimeError as exc:
            errors.append(exc)

    t = threading.Thread(target=create)
    t.start()
    t.join()
    assert errors and "GUI thread" in str(errors[0])
