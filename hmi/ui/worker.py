"""Callbacks for work run off the GUI thread: a thin adapter over `hmi.ui.background.BackgroundRunner`.

`BackgroundRunner` is the one worker-thread helper of the UI (jobs run one at a time, in order, and
their outcome comes back on the GUI thread through queued signals). Views that start several kinds of
jobs would otherwise dispatch on tags; `Jobs.run(fn, on_ok, on_error)` carries the two callbacks as
the tag and calls one of them from a @Slot on the GUI thread. A job whose owner was deleted meanwhile
is dropped (the runner is the owner's child and goes with it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from hmi.ui.background import BackgroundRunner

OnOk = Callable[[Any], None]
OnError = Callable[[BaseException], None]


class Jobs(QObject):
    """Run callables on one worker thread; `on_ok(result)` / `on_error(exception)` on the GUI thread."""

    busyChanged = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = BackgroundRunner(name, self)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self._pending = 0

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(self, fn: Callable[..., Any], on_ok: OnOk, on_error: OnError, *args: Any, **kwargs: Any) -> None:
        """Queue `fn(*args, **kwargs)`; exactly one of the callbacks runs later on the GUI thread."""
        self.runner.run((on_ok, on_error), fn, *args, **kwargs)
        self._pending += 1
        if self._pending == 1:
            self.busyChanged.emit(True)

    def close(self, timeout: float = 0.5) -> None:
        """No more jobs; results still on their way are dropped."""
        self.runner.close(timeout)

    def _done(self) -> None:
        self._pending = max(0, self._pending - 1)
        if self._pending == 0:
            self.busyChanged.emit(False)

    @Slot(object, object)
    def _on_finished(self, tag: tuple[OnOk, OnError], result: object) -> None:
        self._done()
        tag[0](result)

    @Slot(object, object)
    def _on_failed(self, tag: tuple[OnOk, OnError], exc: BaseException) -> None:
        self._done()
        tag[1](exc)
