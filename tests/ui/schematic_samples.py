"""Live demo-like values for schematic tests and screenshots: every sensor normal, plus one
critical alarm, one bad-quality reading and one stale sensor per mill."""

from __future__ import annotations

from hmi.core.alarms import Alarm, AlarmKey, AlarmKind, AlarmState
from hmi.core.domain import Quality, Reading, Severity
from hmi.core.plant import Plant
from tests.ui.demo_feed import normal_value

NOW = 1_790_000_000.0
ALARMED = "B1 roller bearing"
BAD = "Dampener water flow"
STALE = "Raw silo 1 temperature"


def eui_of(plant: Plant, mill: str, name: str) -> str:
    return next(s.eui for s in plant.mill(mill).sensors if s.name == name)


def live_values(plant: Plant, now: float = NOW) -> dict[str, Reading]:
    values = {s.eui: Reading(s.eui, now - 1, normal_value(s)) for s in plant.sensors()}
    for m in plant.mills:
        alarmed, bad, stale = (eui_of(plant, m.slug, n) for n in (ALARMED, BAD, STALE))
        values[alarmed] = Reading(alarmed, now - 1, 78.4)
        values[bad] = Reading(bad, now - 1, None, Quality.BAD)
        values[stale] = Reading(stale, now - 600, 21.3)
    return values


def live_alarms(plant: Plant, now: float = NOW) -> list[Alarm]:
    return [Alarm(AlarmKey(m.slug, eui_of(plant, m.slug, ALARMED), AlarmKind.HIGH_HIGH), Severity.CRITICAL,
                  AlarmState.UNACK_ACTIVE, raised_at=now - 30, value=78.4, limit=75.0) for m in plant.mills]
