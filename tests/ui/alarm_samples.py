"""Alarm records for the GUI tests and screenshots: plausible states of the demo plant.

`mixed_alarms(plant, now)`: North Mill in an alarm flood (12 activations in 8 minutes, the first one
the first-out alarm, the ones from the 11th on tagged with the flood's start), South Mill with an
unacknowledged e-stop, an acknowledged critical, an unacknowledged warning, a shelved warning, a
latched alarm and a suppressed one.
"""

from __future__ import annotations

from dataclasses import replace

from hmi.core.alarms import Alarm, AlarmKey, AlarmKind, AlarmState
from hmi.core.domain import Severity
from hmi.core.plant import Plant


def make_alarm(
    mill: str,
    source: str,
    kind: AlarmKind,
    at: float,
    *,
    state: AlarmState = AlarmState.UNACK_ACTIVE,
    priority: Severity | None = None,
    value: float | None = None,
    occurrence: int = 1,
    **fields: object,
) -> Alarm:
    a = Alarm(
        key=AlarmKey(mill, source, kind),
        priority=priority or kind.default_priority,
        state=state,
        occurrence=occurrence,
        raised_at=at,
        changed_at=at,
        value=value,
    )
    if not state.unacked and state is not AlarmState.NORMAL:
        a = replace(a, acked_by="marc", acked_at=at + 30, changed_at=at + 30)
    return replace(a, **fields) if fields else a  # type: ignore[arg-type]


def acked(a: Alarm, at: float, user: str = "marc") -> Alarm:
    state = {
        AlarmState.UNACK_ACTIVE: AlarmState.ACK_ACTIVE,
        AlarmState.UNACK_RTN: AlarmState.NORMAL,
        AlarmState.LATCHED_UNACK: AlarmState.LATCHED_ACK,
    }[a.state]
    return replace(a, state=state, acked_by=user, acked_at=at, changed_at=at)


# (sensor index in plant.sensors(), kind, value) for North Mill's flood, in order of activation
NORTH_FLOOD = (
    (10, AlarmKind.HIGH_HIGH, 79.6),  # B1 roller bearing: the first-out alarm
    (11, AlarmKind.HIGH, 52.3),
    (12, AlarmKind.HIGH, 64.1),
    (6, AlarmKind.HIGH, 66.8),
    (13, AlarmKind.HIGH, 55.0),
    (0, AlarmKind.HIGH_HIGH, 63.2),
    (2, AlarmKind.LOW, -38.9),
    (7, AlarmKind.BAD_QUALITY, None),
    (14, AlarmKind.STALE, None),
    (4, AlarmKind.HIGH, 31.4),
    (16, AlarmKind.HIGH, 15.6),
    (9, AlarmKind.HIGH, 17.4),
)


def north_flood(plant: Plant, now: float) -> list[Alarm]:
    sensors = plant.sensors()
    start = now - 480.0
    step = 480.0 / len(NORTH_FLOOD)
    out: list[Alarm] = []
    flood_since = start + 10 * step  # the 11th activation starts the flood
    for i, (idx, kind, value) in enumerate(NORTH_FLOOD):
        t = start + i * step
        # the engine tags every activation in the window into the flood's group
        a = make_alarm("north", sensors[idx].eui, kind, t, value=value, first_out=(i == 0), flood_since=flood_since)
        if i in (1, 3, 8):
            a = acked(a, t + 20)
        out.append(a)
    return out


def south_alarms(plant: Plant, now: float) -> list[Alarm]:
    s = {i: plant.sensors()[i].eui for i in range(17, 31)}
    return [
        make_alarm("south", "", AlarmKind.ESTOP, now - 95, first_out=True),
        make_alarm("south", s[25], AlarmKind.HIGH_HIGH, now - 1500, value=77.2, state=AlarmState.ACK_ACTIVE),
        make_alarm("south", s[18], AlarmKind.LOW, now - 200, value=10.1),
        make_alarm(
            "south",
            s[28],
            AlarmKind.LOW,
            now - 3000,
            value=-431.0,
            shelved_by="ana",
            shelved_until=now + 1800,
            shelve_reason="line under repair, WO 4711",
        ),
        make_alarm("south", s[21], AlarmKind.HIGH, now - 4000, value=30.2, state=AlarmState.LATCHED_ACK, latching=True),
        make_alarm(
            "south", s[29], AlarmKind.HIGH, now - 700, value=93.0, suppressed=True, suppress_reason="mill maintenance"
        ),
    ]


def mixed_alarms(plant: Plant, now: float) -> list[Alarm]:
    return north_flood(plant, now) + south_alarms(plant, now)


def journal_rows(plant: Plant, now: float, n: int = 40) -> list[dict[str, object]]:
    """Rows as AlarmStore.journal returns them (ts as aware UTC datetimes)."""
    from datetime import UTC, datetime

    sensors = plant.sensors()
    actions = [
        ("raised", "normal", "unack_active", ""),
        ("acknowledged", "unack_active", "ack_active", "marc"),
        ("cleared", "ack_active", "normal", ""),
        ("shelved", "unack_active", "unack_active", "ana"),
    ]
    kinds = [AlarmKind.HIGH, AlarmKind.HIGH_HIGH, AlarmKind.LOW, AlarmKind.STALE]
    rows = []
    for i in range(n):
        s = sensors[(i * 7) % len(sensors)]
        kind = kinds[i % len(kinds)]
        action, frm, to, user = actions[i % len(actions)]
        rows.append(
            {
                "ts": datetime.fromtimestamp(now - (n - i) * 600, UTC),
                "mill": s.mill_slug,
                "alarm_key": str(AlarmKey(s.mill_slug, s.eui, kind)),
                "occurrence": 1 + i // 4,
                "action": action,
                "from_state": frm,
                "to_state": to,
                "priority": kind.default_priority.value,
                "username": user,
                "comment": "sensor under repair, WO 4711" if action == "shelved" else "",
                "value": 61.5 + i if action == "raised" else None,
                "announced": action != "shelved",
            }
        )
    return rows
