"""Thread-safe counters of what the pipeline received, stored and refused, and a log limiter.

Bad input is never fatal: each refusal is counted by reason and logged at most once per sensor
per minute, so a broken device cannot flood the log.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter


class IngestCounters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.received = 0
        self.stored = 0
        self.rejected: Counter[str] = Counter()

    def add_received(self, n: int) -> None:
        with self._lock:
            self.received += n

    def add_stored(self, n: int) -> None:
        with self._lock:
            self.stored += n

    def add_rejected(self, reason: str, n: int = 1) -> None:
        with self._lock:
            self.rejected[reason] += n

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {"received": self.received, "stored": self.stored, "rejected": dict(self.rejected)}


class RateLimitedLog:
    """Logs a (key, reason) at most once per `period` seconds; counts what it held back."""

    def __init__(self, logger: logging.Logger, period: float = 60.0) -> None:
        self._log = logger
        self._period = period
        self._last: dict[tuple[str, str], float] = {}
        self._held: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def warning(self, key: str, reason: str, detail: str) -> None:
        now = time.monotonic()
        with self._lock:
            last = self._last.get((key, reason))
            if last is not None and now - last < self._period:
                self._held[(key, reason)] += 1
                return
            held = self._held.pop((key, reason), 0)
            self._last[(key, reason)] = now
        suffix = f" ({held} more since last report)" if held else ""
        self._log.warning("%s: %s: %s%s", key, reason, detail, suffix)
