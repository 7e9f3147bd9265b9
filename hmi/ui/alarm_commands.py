"""Operator actions on alarms, run off the GUI thread (they hit the shared database).

`AlarmCommands` turns the views' requests (acknowledge, shelve, unshelve, reset a list of keys) into
calls on the alarm actions service with the logged-in user, on a BackgroundRunner. The records the
service returns come back as `applied` (the views update at once instead of waiting for the feed);
refusals ("ana may not shelve alarms", "already acknowledged") and failures come back as `message`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal, Slot

from hmi.core.alarms import Alarm, AlarmKey, AlarmRefused
from hmi.core.permissions import PermissionDenied
from hmi.ui.alarm_list import AlarmTexts
from hmi.ui.background import BackgroundRunner
from hmi.ui.session_controller import error_text

# What the operator is told: refusals carry their own reason; anything else is a failure.
REFUSALS: tuple[type[BaseException], ...] = (AlarmRefused, PermissionDenied, PermissionError)


class AlarmActionsLike(Protocol):
    """What the window needs of hmi.services.alarm_service.AlarmActions."""

    def acknowledge(self, user: str, key: AlarmKey, comment: str = "") -> Alarm: ...
    def acknowledge_all(self, user: str, keys: Sequence[AlarmKey], comment: str = "") -> list[Alarm]: ...
    def shelve(self, user: str, key: AlarmKey, minutes: float, reason: str) -> Alarm: ...
    def unshelve(self, user: str, key: AlarmKey, comment: str = "") -> Alarm: ...


@dataclass
class Outcome:
    verb: str  # "acknowledge", "shelve", ...
    asked: int
    done: list[Alarm] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class AlarmCommands(QObject):
    applied = Signal(object)  # list[Alarm]: the records the actions produced
    message = Signal(str, str)  # level ("error" or "info"), text
    busyChanged = Signal(bool)

    def __init__(
        self,
        actions: AlarmActionsLike | None,
        current_user: Callable[[], str],
        texts: AlarmTexts,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.actions = actions
        self.current_user = current_user
        self.texts = texts
        self.runner = BackgroundRunner("alarm-actions", self)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)

    @property
    def available(self) -> bool:
        return self.actions is not None

    # -- requests (GUI thread) ---------------------------------------------------------------------

    @Slot(object)
    def acknowledge(self, keys: Sequence[AlarmKey], comment: str = "") -> None:
        keys = list(keys)
        if len(keys) == 1:
            self._submit("acknowledge", keys, lambda a, user, key: a.acknowledge(user, key, comment))
        elif keys:
            self._submit("acknowledge", keys, None, batch=lambda a, user: a.acknowledge_all(user, keys, comment))

    @Slot(object, int, str)
    def shelve(self, keys: Sequence[AlarmKey], minutes: int, reason: str) -> None:
        self._submit("shelve", list(keys), lambda a, user, key: a.shelve(user, key, minutes, reason))

    @Slot(object)
    def unshelve(self, keys: Sequence[AlarmKey]) -> None:
        self._submit("unshelve", list(keys), lambda a, user, key: a.unshelve(user, key))

    @Slot(object)
    def reset(self, keys: Sequence[AlarmKey]) -> None:
        self._submit("reset", list(keys), lambda a, user, key: a.reset(user, key))

    def close(self) -> None:
        self.runner.close()

    # -- internals ---------------------------------------------------------------------------------

    def _submit(
        self,
        verb: str,
        keys: list[AlarmKey],
        each: Callable[[Any, str, AlarmKey], Alarm] | None,
        *,
        batch: Callable[[Any, str], list[Alarm]] | None = None,
    ) -> None:
        if not keys:
            return
        actions = self.actions
        if actions is None:
            self.message.emit("error", f"Cannot {verb} alarms: alarm actions are not available on this workstation.")
            return
        user = self.current_user().strip()
        if not user:
            self.message.emit("error", f"Nobody is logged in: log in to {verb} alarms.")
            return
        names = {k: self._name(k) for k in keys}

        def job() -> Outcome:
            outcome = Outcome(verb, len(keys))
            if batch is not None:
                outcome.done.extend(batch(actions, user))
                return outcome
            assert each is not None
            for key in keys:
                try:
                    outcome.done.append(each(actions, user, key))
                except REFUSALS as exc:
                    outcome.refused.append(self._reason(exc, key, names[key]))
            return outcome

        self.runner.run(verb, job)
        self.busyChanged.emit(True)

    def _name(self, key: AlarmKey) -> str:
        return f"{self.texts.source_name(key)} {key.kind.label}"

    @staticmethod
    def _reason(exc: BaseException, key: AlarmKey, name: str) -> str:
        text = str(exc)
        prefix = f"{key}: "
        if text.startswith(prefix):
            text = text[len(prefix) :]
        return text if isinstance(exc, PermissionDenied | PermissionError) else f"{name}: {text}"

    @Slot(object, object)
    def _on_finished(self, _tag: object, outcome: Outcome) -> None:
        self.busyChanged.emit(self.runner.busy > 0)
        if outcome.done:
            self.applied.emit(list(outcome.done))
        if outcome.refused:
            unique = list(dict.fromkeys(outcome.refused))
            more = f" (and {len(unique) - 2} more)" if len(unique) > 2 else ""
            self.message.emit("error", "; ".join(unique[:2]) + more)
        elif outcome.done:
            n = len(outcome.done)
            past = {"acknowledge": "Acknowledged", "shelve": "Shelved", "unshelve": "Unshelved", "reset": "Reset"}
            self.message.emit("info", f"{past.get(outcome.verb, outcome.verb)} {n} alarm{'s' if n != 1 else ''}.")
        else:
            self.message.emit("info", f"Nothing to {outcome.verb}.")

    @Slot(object, object)
    def _on_failed(self, tag: object, exc: BaseException) -> None:
        self.busyChanged.emit(self.runner.busy > 0)
        if isinstance(exc, REFUSALS):
            key = getattr(exc, "key", None)
            text = self._reason(exc, key, self._name(key)) if isinstance(key, AlarmKey) else str(exc)
            self.message.emit("error", text)
        else:
            self.message.emit("error", f"Could not {tag} alarms: {error_text(exc)}")
