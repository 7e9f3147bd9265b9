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

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal, Slot

from hmi.core.alarms import Alarm, AlarmKey, AlarmRefused
from hmi.core.permissions import PermissionDenied
from hmi.core.text import Text, template_of
from hmi.ui.alarm_list import AlarmTexts
from hmi.ui.background import BackgroundRunner
from hmi.ui.domain_words import word
from hmi.ui.i18n import TrMap, message_text, translate
from hmi.ui.session_controller import error_text

# What the operator is told: refusals carry their own reason; anything else is a failure.
REFUSALS: tuple[type[BaseException], ...] = (AlarmRefused, PermissionDenied, PermissionError)

# One whole sentence per action (verb) and outcome, so that a translation never glues a verb in.
NOT_AVAILABLE = TrMap("AlarmCommands", {
    "acknowledge": QT_TRANSLATE_NOOP(
        "AlarmCommands", "Cannot acknowledge alarms: alarm actions are not available on this workstation."
    ),
    "shelve": QT_TRANSLATE_NOOP(
        "AlarmCommands", "Cannot shelve alarms: alarm actions are not available on this workstation."
    ),
    "unshelve": QT_TRANSLATE_NOOP(
        "AlarmCommands", "Cannot unshelve alarms: alarm actions are not available on this workstation."
    ),
    "reset": QT_TRANSLATE_NOOP(
        "AlarmCommands", "Cannot reset alarms: alarm actions are not available on this workstation."
    ),
})
NOBODY = TrMap("AlarmCommands", {
    "acknowledge": QT_TRANSLATE_NOOP("AlarmCommands", "Nobody is logged in: log in to acknowledge alarms."),
    "shelve": QT_TRANSLATE_NOOP("AlarmCommands", "Nobody is logged in: log in to shelve alarms."),
    "unshelve": QT_TRANSLATE_NOOP("AlarmCommands", "Nobody is logged in: log in to unshelve alarms."),
    "reset": QT_TRANSLATE_NOOP("AlarmCommands", "Nobody is logged in: log in to reset alarms."),
})
DONE_ONE = TrMap("AlarmCommands", {
    "acknowledge": QT_TRANSLATE_NOOP("AlarmCommands", "Acknowledged 1 alarm."),
    "shelve": QT_TRANSLATE_NOOP("AlarmCommands", "Shelved 1 alarm."),
    "unshelve": QT_TRANSLATE_NOOP("AlarmCommands", "Unshelved 1 alarm."),
    "reset": QT_TRANSLATE_NOOP("AlarmCommands", "Reset 1 alarm."),
})
DONE_MANY = TrMap("AlarmCommands", {
    "acknowledge": QT_TRANSLATE_NOOP("AlarmCommands", "Acknowledged {n} alarms."),
    "shelve": QT_TRANSLATE_NOOP("AlarmCommands", "Shelved {n} alarms."),
    "unshelve": QT_TRANSLATE_NOOP("AlarmCommands", "Unshelved {n} alarms."),
    "reset": QT_TRANSLATE_NOOP("AlarmCommands", "Reset {n} alarms."),
})
NOTHING = TrMap("AlarmCommands", {
    "acknowledge": QT_TRANSLATE_NOOP("AlarmCommands", "Nothing to acknowledge."),
    "shelve": QT_TRANSLATE_NOOP("AlarmCommands", "Nothing to shelve."),
    "unshelve": QT_TRANSLATE_NOOP("AlarmCommands", "Nothing to unshelve."),
    "reset": QT_TRANSLATE_NOOP("AlarmCommands", "Nothing to reset."),
})
FAILED = TrMap("AlarmCommands", {
    "acknowledge": QT_TRANSLATE_NOOP("AlarmCommands", "Could not acknowledge alarms: {error}"),
    "shelve": QT_TRANSLATE_NOOP("AlarmCommands", "Could not shelve alarms: {error}"),
    "unshelve": QT_TRANSLATE_NOOP("AlarmCommands", "Could not unshelve alarms: {error}"),
    "reset": QT_TRANSLATE_NOOP("AlarmCommands", "Could not reset alarms: {error}"),
})


def _reason_of(exc: BaseException, key: AlarmKey) -> str:
    """The reason of a refusal without the alarm's key in front ("already acknowledged"), translated.
    The core phrases it `Text("{alarm}: {reason}", alarm=key, reason=...)`; a plain "KEY: reason"
    loses its prefix."""
    for arg in exc.args:
        if isinstance(arg, Text):
            _template, args = template_of(arg)
            if str(args.get("alarm")) == str(key) and "reason" in args:
                return message_text(args["reason"])
    text = message_text(exc)
    prefix = f"{key}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


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
            self.message.emit("error", NOT_AVAILABLE[verb])
            return
        user = self.current_user().strip()
        if not user:
            self.message.emit("error", NOBODY[verb])
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
        """"B1 roller bearing high high": the alarm as the operator knows it (its key is for machines)."""
        return translate("AlarmCommands", "{source} {condition}").format(
            source=self.texts.source_name(key), condition=word(key.kind)
        )

    @staticmethod
    def _reason(exc: BaseException, key: AlarmKey, name: str) -> str:
        """The refusal in the user's language, the alarm named instead of its key."""
        text = _reason_of(exc, key)
        if isinstance(exc, PermissionDenied | PermissionError):
            return text
        return translate("AlarmCommands", "{alarm}: {reason}").format(alarm=name, reason=text)

    @Slot(object, object)
    def _on_finished(self, _tag: object, outcome: Outcome) -> None:
        self.busyChanged.emit(self.runner.busy > 0)
        if outcome.done:
            self.applied.emit(list(outcome.done))
        if outcome.refused:
            unique = list(dict.fromkeys(outcome.refused))
            text = "; ".join(unique[:2])
            if len(unique) > 2:
                text = translate("AlarmCommands", "{reasons} (and {n} more)").format(reasons=text, n=len(unique) - 2)
            self.message.emit("error", text)
        elif outcome.done:
            n = len(outcome.done)
            self.message.emit("info", DONE_ONE[outcome.verb] if n == 1 else DONE_MANY[outcome.verb].format(n=n))
        else:
            self.message.emit("info", NOTHING[outcome.verb])

    @Slot(object, object)
    def _on_failed(self, tag: object, exc: BaseException) -> None:
        self.busyChanged.emit(self.runner.busy > 0)
        if isinstance(exc, REFUSALS):
            key = getattr(exc, "key", None)
            text = self._reason(exc, key, self._name(key)) if isinstance(key, AlarmKey) else message_text(exc)
            self.message.emit("error", text)
        else:
            self.message.emit("error", FAILED[str(tag)].format(error=error_text(exc)))
