"""Work the GUI thread must not wait for (database actions, journal queries) on one worker thread.

`BackgroundRunner.run(tag, fn, *args)` queues `fn(*args)` for the worker (jobs run one at a time, in
the order queued: an operator's acknowledge and shelve reach the database in the order given). Its
outcome comes back on the GUI thread as `finished(tag, result)` or `failed(tag, exception)`, through
queued signals: connect @Slot methods of GUI-thread objects.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)
_STOP = object()


class BackgroundRunner(QObject):
    finished = Signal(object, object)  # tag, result
    failed = Signal(object, object)  # tag, exception

    def __init__(self, name: str = "gui-background", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._jobs: queue.Queue[Any] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._busy = 0
        self._lock = threading.Lock()

    def run(self, tag: object, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Queue `fn(*args, **kwargs)`; `tag` comes back with its outcome."""
        if self._closed:
            raise RuntimeError("the background runner is closed")
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name=self._name, daemon=True)
            self._thread.start()
        with self._lock:
            self._busy += 1
        self._jobs.put((tag, fn, args, kwargs))

    @property
    def busy(self) -> int:
        """Jobs queued or running."""
        with self._lock:
            return self._busy

    def close(self, timeout: float = 0.5) -> None:
        """No more jobs; wait a little for the running one (a hung database must not hang the GUI)."""
        if self._closed:
            return
        self._closed = True
        if self._thread is not None:
            self._jobs.put(_STOP)
            self._thread.join(timeout)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is _STOP:
                return
            tag, fn, args, kwargs = job
            try:
                result, signal = fn(*args, **kwargs), self.finished
            except Exception as exc:  # noqa: BLE001 - every failure is reported to the operator
                result, signal = exc, self.failed
            with self._lock:
                self._busy -= 1
            self._emit(signal, tag, result)

    def _emit(self, signal: Any, tag: object, payload: object) -> None:
        if self._closed:
            return
        try:
            signal.emit(tag, payload)
        except RuntimeError:  # the window went away while the job ran
            log.debug("background result of %r dropped: receiver gone", tag)
