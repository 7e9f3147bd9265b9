"""Stand-ins for the alarm GUI's collaborators: a silent horn, a notifier and the actions service."""

from __future__ import annotations

import threading
from dataclasses import replace

from hmi.core.alarms import Acknowledge, Alarm, AlarmKey, AlarmRefused, Shelve, Unshelve, transition
from hmi.core.domain import Severity
from hmi.core.permissions import PermissionDenied


class FakePlayer:
    """Records what the annunciator asks of the horn; makes no sound."""

    def __init__(self) -> None:
        self.plays = 0
        self.stops = 0

    def play(self) -> None:
        self.plays += 1

    def stop(self) -> None:
        self.stops += 1


class FakeNotifier:
    def __init__(self) -> None:
        self.notices: list[tuple[str, str, Severity]] = []

    def notify(self, title: str, text: str, priority: Severity) -> None:
        self.notices.append((title, text, priority))


class FakeActions:
    """AlarmActions over an in-memory dict of records, recording who called what on which thread.
    `may_shelve` False refuses shelving the way the permission service does."""

    def __init__(self, alarms: list[Alarm], now: float, *, may_shelve: bool = True) -> None:
        self.records = {a.key: a for a in alarms}
        self.now = now
        self.may_shelve = may_shelve
        self.calls: list[tuple[str, str, tuple[AlarmKey, ...]]] = []
        self.threads: set[str] = set()
        self.lock = threading.Lock()

    def _note(self, what: str, user: str, keys: tuple[AlarmKey, ...]) -> None:
        with self.lock:
            self.calls.append((what, user, keys))
            self.threads.add(threading.current_thread().name)

    def _apply(self, key: AlarmKey, event: object) -> Alarm:
        after, _ = transition(self.records[key], event, self.now)  # type: ignore[arg-type]
        self.records[key] = after
        return after

    def acknowledge(self, user: str, key: AlarmKey, comment: str = "") -> Alarm:
        self._note("acknowledge", user, (key,))
        return self._apply(key, Acknowledge(user, comment))

    def acknowledge_all(self, user: str, keys: list[AlarmKey], comment: str = "") -> list[Alarm]:
        self._note("acknowledge_all", user, tuple(keys))
        out = []
        for key in keys:
            try:
                out.append(self._apply(key, Acknowledge(user, comment)))
            except AlarmRefused:
                continue
        return out

    def shelve(self, user: str, key: AlarmKey, minutes: float, reason: str) -> Alarm:
        self._note("shelve", user, (key,))
        if not self.may_shelve:
            raise PermissionDenied(f"{user} may not shelve alarms")
        return self._apply(key, Shelve(user, minutes, reason))

    def unshelve(self, user: str, key: AlarmKey, comment: str = "") -> Alarm:
        self._note("unshelve", user, (key,))
        return self._apply(key, Unshelve(user, comment))

    def reset(self, user: str, key: AlarmKey, comment: str = "") -> Alarm:
        self._note("reset", user, (key,))
        return replace(self.records[key])
