"""A single-thread scheduler: timed actions run in order on one thread (the simulator's engine,
the e-stop service's timers). Callers run `run()` on a thread of their own."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(self, name: str) -> None:
        self.name = name
        self._heap: list[tuple[float, int, Callable[..., None], tuple[object, ...]]] = []
        self._cond = threading.Condition()
        self._seq = itertools.count()
        self._stopped = False

    def call_at(self, when: float, fn: Callable[..., None], *args: object) -> None:
        """Run `fn(*args)` on the scheduler's thread at monotonic time `when`; safe from any thread."""
        with self._cond:
            heapq.heappush(self._heap, (when, next(self._seq), fn, args))
            self._cond.notify()

    def call_later(self, delay: float, fn: Callable[..., None], *args: object) -> None:
        self.call_at(time.monotonic() + delay, fn, *args)

    def call_soon(self, fn: Callable[..., None], *args: object) -> None:
        self.call_at(time.monotonic(), fn, *args)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()

    def reset(self) -> None:
        with self._cond:
            self._stopped = False
            self._heap.clear()

    def run(self) -> None:
        while True:
            with self._cond:
                while not self._stopped:
                    now = time.monotonic()
                    if self._heap and self._heap[0][0] <= now:
                        break
                    self._cond.wait(self._heap[0][0] - now if self._heap else None)
                if self._stopped:
                    return
                _, _, fn, args = heapq.heappop(self._heap)
            try:
                fn(*args)
            except Exception:  # one failing action must not stop the others
                log.exception("%s: %s failed; continuing", self.name, getattr(fn, "__name__", fn))
