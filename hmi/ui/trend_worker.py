"""The trend screen's worker thread: history reads, statistics, saved views and exports, off the GUI thread.

Jobs have a key ("history", "backfill", "views", ...). A new job replaces a job of the same key that
has not started yet, and cancels one that is running (its `CancelToken` interrupts the statement in
the database), so a view that moves on never waits for the reads of the view it left. Results come
back on the GUI thread through the queued `finished` signal, each with the ticket `submit` returned;
a cancelled job reports nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from hmi.services.trends import CancelToken, FetchCancelled

log = logging.getLogger(__name__)
Job = Callable[[CancelToken], Any]


@dataclass(frozen=True, slots=True)
class JobResult:
    key: str
    ticket: int
    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class TrendWorker(QObject):
    finished = Signal(object)  # JobResult, on the GUI thread

    def __init__(self, parent: QObject | None = None, name: str = "trend-worker") -> None:
        super().__init__(parent)
        self._name = name
        self._cond = threading.Condition()
        self._pending: dict[str, tuple[int, Job, CancelToken]] = {}
        self._running: tuple[str, int, CancelToken] | None = None
        self._tickets = 0
        self._closed = False
        self._thread: threading.Thread | None = None

    def submit(self, key: str, job: Job) -> int:
        """Queue `job(cancel_token)`; returns its ticket. Supersedes and cancels older jobs of `key`."""
        with self._cond:
            if self._closed:
                raise RuntimeError("the trend worker is closed")
            self._tickets += 1
            ticket = self._tickets
            old = self._pending.pop(key, None)
            if old is not None:
                old[2].cancel()
            if self._running is not None and self._running[0] == key:
                self._running[2].cancel()
            self._pending[key] = (ticket, job, CancelToken())
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name=self._name, daemon=True)
                self._thread.start()
            self._cond.notify()
        return ticket

    def cancel(self, key: str) -> None:
        with self._cond:
            old = self._pending.pop(key, None)
            if old is not None:
                old[2].cancel()
            if self._running is not None and self._running[0] == key:
                self._running[2].cancel()

    def busy(self) -> bool:
        with self._cond:
            return bool(self._pending) or self._running is not None

    def close(self, timeout: float = 1.0) -> None:
        """Cancel everything and stop the thread (waits at most `timeout` for a job to notice)."""
        with self._cond:
            self._closed = True
            for _, _, token in self._pending.values():
                token.cancel()
            self._pending.clear()
            if self._running is not None:
                self._running[2].cancel()
            self._cond.notify()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                key = next(iter(self._pending))
                ticket, job, token = self._pending.pop(key)
                self._running = (key, ticket, token)
            result: JobResult | None
            try:
                result = JobResult(key, ticket, value=job(token))
            except FetchCancelled:
                result = None
            except Exception as exc:  # noqa: BLE001 - reported to the screen, which shows it
                result = None if token.cancelled else JobResult(key, ticket, error=exc)
            with self._cond:
                self._running = None
                closed = self._closed
            if result is not None and not token.cancelled and not closed:
                try:
                    self.finished.emit(result)
                except RuntimeError:  # the screen went away meanwhile
                    log.debug("trend job %s: receiver gone", key)
