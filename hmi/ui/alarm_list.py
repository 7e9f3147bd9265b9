"""What the operator sees of the alarms, without Qt: the latest record per alarm, its importance,
counts per priority, floods per mill, and the texts every alarm view shows.

`AlarmList` is the Qt-free core the banner, the summary table and the annunciator share
(hmi/ui/alarm_model.py adapts it to Qt). Records arrive in order from the bridge's alarm channel and
also straight from an operator action's result; a record older than the one held (lower occurrence,
or the same occurrence changed earlier) is ignored, so the two paths can interleave safely.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

# Only the translation marker lupdate reads (an identity function): no Qt object is used here; the
# texts are translated and numbers and times localised through hmi.ui.i18n.
from PySide6 import QtCore as _qtcore

from hmi.core.alarms import PRIORITY_RANK, Alarm, AlarmKey, AlarmState
from hmi.core.domain import Sensor, Severity
from hmi.core.plant import Plant
from hmi.ui.domain_words import SEVERITY, word
from hmi.ui.i18n import TrMap, fmt_datetime, fmt_number, fmt_time, translate
from hmi.ui.sensor_board import NO_VALUE, value_text

PRIORITIES = (Severity.EMERGENCY, Severity.CRITICAL, Severity.WARNING, Severity.INFO)  # most important first
PRIORITY_LABELS = SEVERITY  # "Emergency", "Critical", ...: the domain's words (hmi/ui/domain_words.py)
PRIORITY_SHORT = TrMap("AlarmList", {  # the banner's line tag: at most five or six capitals
    Severity.EMERGENCY: _qtcore.QT_TRANSLATE_NOOP("AlarmList", "EMERG"),
    Severity.CRITICAL: _qtcore.QT_TRANSLATE_NOOP("AlarmList", "CRIT"),
    Severity.WARNING: _qtcore.QT_TRANSLATE_NOOP("AlarmList", "WARN"),
    Severity.INFO: _qtcore.QT_TRANSLATE_NOOP("AlarmList", "INFO"),
})
STATE_LABELS = TrMap("AlarmList", {
    AlarmState.NORMAL: _qtcore.QT_TRANSLATE_NOOP("AlarmList", "Normal"),
    AlarmState.UNACK_ACTIVE: _qtcore.QT_TRANSLATE_NOOP("AlarmList", "Unacked \u00b7 active"),
    AlarmState.ACK_ACTIVE: _qtcore.QT_TRANSLATE_NOOP("AlarmList", "Acked \u00b7 active"),
    AlarmState.UNACK_RTN: _qtcore.QT_TRANSLATE_NOOP("AlarmList", "Unacked \u00b7 cleared"),
    AlarmState.LATCHED_UNACK: _qtcore.QT_TRANSLATE_NOOP("AlarmList", "Unacked \u00b7 latched"),
    AlarmState.LATCHED_ACK: _qtcore.QT_TRANSLATE_NOOP("AlarmList", "Acked \u00b7 latched"),
})
FLOOD_COUNT = 10  # more than this many activations of one mill in FLOOD_WINDOW_S is a flood (EEMUA 191)
FLOOD_END_COUNT = 5  # ... and it is over when at most this many remain in the window
FLOOD_WINDOW_S = 600.0


def importance(a: Alarm) -> tuple[int, int, float, str]:
    """Sort key, most important first: unacknowledged, then priority, then newest."""
    return (0 if a.unacked else 1, -PRIORITY_RANK[a.priority], -(a.raised_at or 0.0), str(a.key))


def _stamp(a: Alarm) -> tuple[int, float]:
    return (a.occurrence, a.changed_at if a.changed_at is not None else -1.0)


def _activated(before: Alarm | None, after: Alarm) -> bool:
    """`after` is a new activation: back to active within the same occurrence, or a new occurrence
    (seen first in any state: a record loaded after a restart may already be acknowledged)."""
    if after.finished:
        return False
    if before is None or before.occurrence != after.occurrence:
        return True
    return after.state is AlarmState.UNACK_ACTIVE and before.state is not AlarmState.UNACK_ACTIVE


def _activated_at(before: Alarm | None, after: Alarm) -> float | None:
    if before is None or before.occurrence != after.occurrence:
        return after.raised_at if after.raised_at is not None else after.changed_at
    return after.changed_at


@dataclass(frozen=True, slots=True)
class AlarmUpdate:
    """One applied change: `before` None when the alarm was not in the list, `after` None when it
    left it (finished: returned to normal and acknowledged)."""

    before: Alarm | None
    after: Alarm | None
    activated: bool = False  # a new occurrence or a reactivation

    @property
    def key(self) -> AlarmKey:
        a = self.after or self.before
        assert a is not None
        return a.key


@dataclass(frozen=True, slots=True)
class Flood:
    """A mill in an alarm flood. `since` is the engine's flood start (the group's id; None when only
    the rate seen here says so), `recent` the activations in the window, `members` the mill's
    unfinished alarms of the group, most important first."""

    mill: str
    since: float | None
    recent: int
    members: tuple[Alarm, ...]
    window_s: float = FLOOD_WINDOW_S

    @property
    def window_min(self) -> int:
        return max(1, round(self.window_s / 60))

    @property
    def unacked(self) -> int:
        return sum(1 for a in self.members if a.unacked)

    @property
    def top(self) -> Alarm | None:
        return self.members[0] if self.members else None


class AlarmList:
    """The latest record per alarm key; the unfinished ones are the rows, in arrival order (stable,
    so a table over it only inserts, removes and changes rows; views sort by `importance`)."""

    def __init__(
        self,
        *,
        flood_count: int = FLOOD_COUNT,
        flood_end_count: int = FLOOD_END_COUNT,
        flood_window_s: float = FLOOD_WINDOW_S,
    ) -> None:
        self._latest: dict[AlarmKey, Alarm] = {}
        self._rows: list[AlarmKey] = []
        self._shown: set[AlarmKey] = set()  # the keys in _rows
        self._activations: dict[str, list[float]] = {}
        self.flood_count = flood_count
        self.flood_end_count = flood_end_count
        self.flood_window_s = flood_window_s

    # -- changes -----------------------------------------------------------------------------------

    def accepts(self, alarm: Alarm) -> bool:
        """Not older than the record held for its key (the same stamp is accepted: shelving and
        flood tagging change a record without moving `changed_at`)."""
        held = self._latest.get(alarm.key)
        return held is None or (_stamp(alarm) >= _stamp(held) and alarm != held)

    def put(self, alarm: Alarm) -> AlarmUpdate | None:
        """Apply one record; None when ignored (older than, or equal to, the one held)."""
        if not self.accepts(alarm):
            return None
        held = self._latest.get(alarm.key)
        in_rows = alarm.key in self._shown
        before = held if in_rows else None
        self._latest[alarm.key] = alarm
        if alarm.finished:
            if in_rows:
                self._rows.remove(alarm.key)
                self._shown.discard(alarm.key)
        elif not in_rows:
            self._rows.append(alarm.key)
            self._shown.add(alarm.key)
        activated = _activated(held, alarm)
        if activated and not alarm.hidden:
            t = _activated_at(held, alarm)
            if t is not None:
                self._activations.setdefault(alarm.mill, []).append(t)
        if before is None and alarm.finished:
            return None  # finished before it was ever shown: remembered, nothing to show
        return AlarmUpdate(before, None if alarm.finished else alarm, activated)

    def apply(self, alarms: Iterable[Alarm]) -> list[AlarmUpdate]:
        """Apply records in order; return the changes that took effect."""
        out = []
        for a in alarms:
            u = self.put(a)
            if u is not None:
                out.append(u)
        return out

    # -- reading -----------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Alarm]:
        return (self._latest[k] for k in self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._shown

    def at(self, row: int) -> Alarm:
        return self._latest[self._rows[row]]

    def get(self, key: AlarmKey) -> Alarm | None:
        """The latest record of `key`, finished or not."""
        return self._latest.get(key)

    def row_of(self, key: AlarmKey) -> int | None:
        try:
            return self._rows.index(key)
        except ValueError:
            return None

    def ordered(self, *, announced_only: bool = False) -> list[Alarm]:
        """The unfinished alarms, most important first."""
        return sorted((a for a in self if a.announced or not announced_only), key=importance)

    def counts(self, *, unacked_only: bool = False) -> dict[Severity, int]:
        """Announced alarms per priority (every priority present, zero included)."""
        out = dict.fromkeys(PRIORITIES, 0)
        for a in self:
            if a.announced and (a.unacked or not unacked_only):
                out[a.priority] += 1
        return out

    def hidden_counts(self) -> dict[str, int]:
        """Unfinished alarms not announced: "shelved", "suppressed", "out of service" (keys, not
        texts: views say them in the user's language)."""
        out = {"shelved": 0, "suppressed": 0, "out of service": 0}
        for a in self:
            if a.shelved:
                out["shelved"] += 1
            elif a.out_of_service:
                out["out of service"] += 1
            elif a.suppressed:
                out["suppressed"] += 1
        return out

    def has_unacked(self, min_priority: Severity = Severity.INFO) -> bool:
        rank = PRIORITY_RANK[min_priority]
        return any(a.announced and a.unacked and PRIORITY_RANK[a.priority] >= rank for a in self)

    def recent_activations(self, mill: str, now: float) -> int:
        """Announced activations of `mill` in the window (now - window, now]."""
        times = self._activations.get(mill)
        if not times:
            return 0
        horizon = now - self.flood_window_s
        times[:] = [t for t in times if t > horizon]
        return sum(1 for t in times if t <= now)

    def floods(self, now: float) -> list[Flood]:
        """The mills in a flood now, the worst first: a mill whose alarms the engine tagged into a
        flood group, or that had more than `flood_count` activations in the window, until at most
        `flood_end_count` remain in the window."""
        by_mill: dict[str, list[Alarm]] = {}
        for a in self:
            by_mill.setdefault(a.mill, []).append(a)
        out = []
        for mill in sorted(set(by_mill) | set(self._activations)):
            recent = self.recent_activations(mill, now)
            alarms = by_mill.get(mill, [])
            groups = [a.flood_since for a in alarms if a.flood_since is not None and a.announced]
            since = max(groups) if groups else None
            if recent <= self.flood_end_count or (since is None and recent <= self.flood_count):
                continue
            if since is not None:
                members = [a for a in alarms if a.flood_since == since and a.announced]
            else:
                horizon = now - self.flood_window_s
                members = [a for a in alarms if a.announced and (a.changed_at or 0.0) > horizon]
            out.append(Flood(mill, since, recent, tuple(sorted(members, key=importance)), self.flood_window_s))
        out.sort(key=lambda f: importance(f.top) if f.top is not None else (2, 0, 0.0, f.mill))
        return out


def plain_number(value: float) -> str:
    """A value without a sensor (no unit, no set decimals): as many decimals as it needs, in the
    user's locale ("12.5" / "12,5")."""
    text = f"{value:g}"
    if "e" in text or "n" in text:  # 1e+06, inf, nan: as Python writes them
        return text
    return fmt_number(float(value), len(text.partition(".")[2]))


class AlarmTexts:
    """How alarms read, in the user's language: mill and sensor names from the plant, values with
    the sensor's unit, conditions and states in the domain's words, times in the user's locale."""

    def __init__(self, plant: Plant, now: Callable[[], float] = time.time) -> None:
        self._mills = {m.slug: m.name for m in plant.mills}
        self._sensors: dict[str, Sensor] = {s.eui: s for s in plant.sensors()}
        self._now = now

    def mill_name(self, slug: str) -> str:
        return self._mills.get(slug, slug)

    def mill_slugs(self) -> list[tuple[str, str]]:
        """(slug, name) in plant order."""
        return list(self._mills.items())

    def sensor(self, eui: str) -> Sensor | None:
        return self._sensors.get(eui)

    def sensors(self) -> list[Sensor]:
        return list(self._sensors.values())

    def source_name(self, key: AlarmKey) -> str:
        """The sensor's name; "Whole mill" for an alarm of the mill itself (e-stop, mill error)."""
        if not key.source:
            return translate("AlarmTexts", "Whole mill")
        s = self._sensors.get(key.source)
        return s.name if s is not None else key.source

    def where(self, key: AlarmKey) -> str:
        """"North Mill · B1 roller bearing", or just "North Mill" for an alarm of the mill itself."""
        mill = self.mill_name(key.mill)
        return f"{mill} \u00b7 {self.source_name(key)}" if key.source else mill

    def value(self, alarm: Alarm) -> str:
        if alarm.value is None:
            return ""
        s = self._sensors.get(alarm.key.source)
        return value_text(s, alarm.value) if s is not None else plain_number(alarm.value)

    def limit(self, alarm: Alarm) -> str:
        if alarm.limit is None:
            return ""
        s = self._sensors.get(alarm.key.source)
        return value_text(s, alarm.limit) if s is not None else plain_number(alarm.limit)

    def time(self, t: float | None, *, seconds: bool = True) -> str:
        """Clock time today, date and time (to the minute) on other days, in the user's locale."""
        if t is None:
            return NO_VALUE
        if datetime.fromtimestamp(t).date() == datetime.fromtimestamp(self._now()).date():
            return fmt_time(t, seconds=seconds)
        return fmt_datetime(t, seconds=False)

    @staticmethod
    def condition(alarm: Alarm) -> str:
        """The alarm's kind in the domain's words, lower case ("high high", "communication lost")."""
        return word(alarm.kind)

    def state(self, alarm: Alarm) -> str:
        return STATE_LABELS[alarm.state]

    def hidden(self, alarm: Alarm) -> str:
        """Shelving, suppression or out-of-service, in a few words ("" when announced)."""
        if alarm.shelved:
            return self.until(alarm.shelved_until)
        if alarm.out_of_service:
            return translate("AlarmTexts", "out of service")
        if alarm.suppressed:
            return translate("AlarmTexts", "suppressed")
        return ""

    def until(self, t: float | None) -> str:
        """"until 14:30": when a shelving ends."""
        return translate("AlarmTexts", "until {time}").format(time=self.time(t, seconds=False))

    def marks(self, alarm: Alarm) -> str:
        parts = []
        if alarm.first_out:
            parts.append(translate("AlarmTexts", "1st"))
        if alarm.flood_since is not None:
            parts.append(translate("AlarmTexts", "flood"))
        return " \u00b7 ".join(parts)

    def one_line(self, alarm: Alarm) -> str:
        """"CRITICAL · North Mill · B1 roller bearing high high 79.6 °C" (notifications, tooltips)."""
        value = self.value(alarm)
        priority = PRIORITY_LABELS[alarm.priority].upper()
        where, condition = self.where(alarm.key), self.condition(alarm)
        if value:
            return translate("AlarmTexts", "{priority} \u00b7 {where} {condition} {value}").format(
                priority=priority, where=where, condition=condition, value=value
            )
        return translate("AlarmTexts", "{priority} \u00b7 {where} {condition}").format(
            priority=priority, where=where, condition=condition
        )

    def tooltip(self, alarm: Alarm) -> str:
        lines = [
            self.one_line(alarm),
            translate("AlarmTexts", "{state} since {time}").format(
                state=STATE_LABELS[alarm.state], time=self.time(alarm.changed_at)
            ),
        ]
        if alarm.limit is not None:
            lines.append(translate("AlarmTexts", "Limit {limit}").format(limit=self.limit(alarm)))
        if alarm.acked_by:
            lines.append(
                translate("AlarmTexts", "Acknowledged by {user} at {time}").format(
                    user=alarm.acked_by, time=self.time(alarm.acked_at)
                )
            )
        if alarm.shelved:
            lines.append(
                translate("AlarmTexts", "Shelved by {user} until {time}: {reason}").format(
                    user=alarm.shelved_by, time=self.time(alarm.shelved_until), reason=alarm.shelve_reason
                )
            )
        if alarm.suppressed:
            lines.append(translate("AlarmTexts", "Suppressed: {reason}").format(reason=alarm.suppress_reason))
        if alarm.out_of_service:
            lines.append(
                translate("AlarmTexts", "Out of service ({user}): {reason}").format(
                    user=alarm.out_of_service_by, reason=alarm.out_of_service_reason
                )
            )
        if alarm.first_out:
            lines.append(first_out_text())
        if alarm.flood_since is not None:
            lines.append(
                translate("AlarmTexts", "Part of the alarm flood of {mill} since {time}").format(
                    mill=self.mill_name(alarm.mill), time=self.time(alarm.flood_since)
                )
            )
        return "\n".join(lines)


def first_out_text() -> str:
    """What "1st" means (tooltips of the banner and the tables)."""
    return translate("AlarmTexts", "First out: the alarm that started this upset of the mill")
