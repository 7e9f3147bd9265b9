"""Service calls from the configuration screens and the faceplate: off the GUI thread, with the
signed-in session, asking for the password again when the service says it is due.

The services decide (permissions, validation, conflicts); this only carries the call and brings the
answer back to the GUI thread. A refusal because the password is too old (`needs_reauth` on a
PermissionDenied or CommandRefused) opens the controller's non-blocking password prompt once and
retries; any other failure goes to `on_error` with a sentence for the person at the console.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from hmi.core.errors import ValidationError
from hmi.core.permissions import PermissionDenied
from hmi.core.plant import PlantError
from hmi.ui.i18n import message_text, translate
from hmi.ui.session_controller import SessionController, error_text
from hmi.ui.worker import Jobs

OnOk = Callable[[Any], None]
OnError = Callable[[BaseException], None]


def failure_text(exc: BaseException) -> str:
    """One sentence about a failed call, in the user's language: refusals, validation and conflicts carry
    their own (shown through `message_text`, so a service's `Text` reads in the user's language)."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, str) and reason:
        text = message_text(reason)
    elif isinstance(exc, PlantError):
        first = exc.problems[0]
        text = f"{first.field}: {message_text(first.message)}"
        if len(exc.problems) > 1:
            text = translate("ConfigCalls", "{problem} (and {n} more)").format(problem=text, n=len(exc.problems) - 1)
    elif isinstance(exc, PermissionDenied | ValidationError | PermissionError | KeyError | LookupError):
        text = message_text(exc).strip("'\"")
    elif type(exc).__name__ in ("ConfigConflict", "SetupError", "PlantConflict"):
        text = message_text(exc)
    else:
        text = error_text(exc)  # a Text the services phrased, a database outage, or the exception named
    text = text.strip()
    return (text[:1].upper() + text[1:]) if text else translate("ConfigCalls", "The call failed.")


def needs_reauth(exc: BaseException) -> bool:
    return bool(getattr(exc, "needs_reauth", False))


class ServiceCaller(QObject):
    """`call(label, fn, *args)` runs `fn(session, *args)` on a worker thread (jobs run in order)."""

    def __init__(self, controller: SessionController, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.jobs = Jobs(name, self)

    @property
    def busy(self) -> bool:
        return self.jobs.busy

    def close(self) -> None:
        self.jobs.close()

    def run(self, fn: Callable[..., Any], on_ok: OnOk, on_error: OnError, *args: Any) -> None:
        """A call that needs no session (reads)."""
        self.jobs.run(fn, on_ok, on_error, *args)

    def call(self, label: str, fn: Callable[..., Any], args: tuple[Any, ...], on_ok: OnOk, on_error: OnError,
             widget: QWidget | None = None, *, on_cancel: Callable[[], None] | None = None) -> bool:
        """Run `fn(session, *args)` once the password is fresh enough; False when nobody is signed in."""
        session = self.controller.session
        if session is None:
            on_error(PermissionDenied(self.tr("nobody is signed in: sign in first")))
            return False
        retried = False

        def go() -> None:
            if self.controller.session is not session:
                on_error(PermissionDenied(self.tr("the session changed: start again")))
                return
            self.jobs.run(fn, on_ok, failed, session, *args)

        def failed(exc: BaseException) -> None:
            nonlocal retried
            if needs_reauth(exc) and not retried and self.controller.session is session:
                retried = True
                self.controller.request_reauth(label, go, widget, on_cancel=lambda: on_error(exc))
                return
            on_error(exc)

        self.controller.request_reauth(label, go, widget, on_cancel=on_cancel)
        return True
