"""The one thread seam between drivers/ingest and the GUI.

Driver and ingest threads call `submit` / `submit_link` as often as they like: those only store the
latest value per key under a lock (no Qt call, no signal). A QTimer on the GUI thread flushes what
changed at a bounded rate (default 10 Hz) as one `valuesChanged` dict, and link states as
`linkChanged`. The screen is coalesced; history is not (the ingest pipeline stores every sample).

Alarm events are never coalesced: `submit_alarms` (any thread) hands each batch to the GUI thread
through a queued signal, and `alarmsChanged` emits every batch, in the order submitted, as soon as
the GUI thread's event loop gets to it (not at the flush rate).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot

from hmi.core.alarms import Alarm
from hmi.core.domain import Reading

DEFAULT_INTERVAL_MS = 100
MIN_INTERVAL_MS = 20  # at most 50 flushes per second whatever the message rate


@dataclass(frozen=True, slots=True)
class BridgeStats:
    received: int  # readings passed to submit()
    flushes: int  # timer ticks
    value_emits: int  # valuesChanged emissions
    link_emits: int  # linkChanged emissions
    alarm_batches: int = 0  # alarmsChanged emissions (one per submit_alarms call with alarms)


class LiveBridge(QObject):
    """Latest reading per EUI and latest state per link, flushed to the GUI thread by a timer.
    A link state equal to the one last emitted for that link is not emitted again.

    Create it on the GUI thread (after the QApplication); the timer starts at once. `submit`
    and `submit_link` are thread-safe; everything else belongs to the GUI thread.
    """

    valuesChanged = Signal(object)  # dict[str, Reading]: only the EUIs changed since the last flush
    linkChanged = Signal(str, str, str)  # name, state, detail
    alarmsChanged = Signal(object)  # list[Alarm]: one batch as submitted, in order, never coalesced
    _alarmsQueued = Signal(object)  # internal: crosses from the submitting thread to the GUI thread

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = DEFAULT_INTERVAL_MS) -> None:
        super().__init__(parent)
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            raise RuntimeError("create the LiveBridge on the GUI thread, after the QApplication")
        if interval_ms < MIN_INTERVAL_MS:
            raise ValueError(f"flush interval must be at least {MIN_INTERVAL_MS} ms, got {interval_ms}")
        self._lock = threading.Lock()
        self._pending: dict[str, Reading] = {}
        self._links: dict[str, tuple[str, str]] = {}
        self._links_shown: dict[str, tuple[str, str]] = {}  # GUI thread only
        self._received = 0
        self._flushes = 0
        self._value_emits = 0
        self._link_emits = 0
        self._alarm_batches = 0
        # Queued even when submitted on the GUI thread: one path, one order (the event queue's).
        self._alarmsQueued.connect(self._deliver_alarms, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)
        self._timer.start()

    # -- any thread ------------------------------------------------------------------------------

    def submit(self, readings: Iterable[Reading]) -> None:
        """Keep the newest reading per EUI until the next flush. Cheap; never touches Qt."""
        with self._lock:
            pending = self._pending
            n = 0
            for r in readings:
                n += 1
                old = pending.get(r.eui)
                if old is None or r.ts >= old.ts:
                    pending[r.eui] = r
            self._received += n

    def submit_link(self, name: str, state: str, detail: str = "") -> None:
        """Report a connection's state (e.g. "mqtt", "connected", "broker 127.0.0.1:1883")."""
        with self._lock:
            self._links[name] = (state, detail)

    def submit_alarms(self, alarms: Iterable[Alarm]) -> None:
        """Queue one batch of changed alarm records for the GUI thread; every batch arrives, in order."""
        batch = list(alarms)
        if batch:
            self._alarmsQueued.emit(batch)

    def stats(self) -> BridgeStats:
        with self._lock:
            return BridgeStats(
                self._received, self._flushes, self._value_emits, self._link_emits, self._alarm_batches
            )

    # -- GUI thread ------------------------------------------------------------------------------

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def is_running(self) -> bool:
        return self._timer.isActive()

    def stop(self) -> None:
        self._timer.stop()

    def start(self) -> None:
        self._timer.start()

    @Slot(object)
    def _deliver_alarms(self, batch: list[Alarm]) -> None:
        with self._lock:
            self._alarm_batches += 1
        self.alarmsChanged.emit(batch)

    @Slot()
    def flush(self) -> None:
        """Emit what changed since the last flush; nothing when nothing changed."""
        with self._lock:
            values, self._pending = self._pending, {}
            links, self._links = self._links, {}
            links = {k: v for k, v in links.items() if self._links_shown.get(k) != v}
            self._flushes += 1
            if values:
                self._value_emits += 1
            self._link_emits += len(links)
        self._links_shown.update(links)
        for name, (state, detail) in links.items():
            self.linkChanged.emit(name, state, detail)
        if values:
            self.valuesChanged.emit(values)
