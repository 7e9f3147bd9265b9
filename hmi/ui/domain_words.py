"""The domain's words as a user reads them, in the user's language: mill status, sensor type,
quality, priority, role, alarm kind. One table per word family (context "Domain"), so every screen
names a thing the same way; `word(value)` takes any of these enums.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QT_TRANSLATE_NOOP

from hmi.core.alarms import AlarmKind
from hmi.core.domain import MillStatus, Quality, Role, SensorType, Severity
from hmi.ui.i18n import TrMap

CONTEXT = "Domain"

MILL_STATUS = TrMap(CONTEXT, {
    MillStatus.ACTIVE: QT_TRANSLATE_NOOP("Domain", "Active"),
    MillStatus.MAINTENANCE: QT_TRANSLATE_NOOP("Domain", "Maintenance"),
    MillStatus.OFFLINE: QT_TRANSLATE_NOOP("Domain", "Offline"),
    MillStatus.ERROR: QT_TRANSLATE_NOOP("Domain", "Error"),
})
SENSOR_TYPE = TrMap(CONTEXT, {
    SensorType.TEMPERATURE: QT_TRANSLATE_NOOP("Domain", "Temperature"),
    SensorType.HUMIDITY: QT_TRANSLATE_NOOP("Domain", "Humidity"),
    SensorType.PRESSURE: QT_TRANSLATE_NOOP("Domain", "Pressure"),
    SensorType.VIBRATION: QT_TRANSLATE_NOOP("Domain", "Vibration"),
    SensorType.FLOW: QT_TRANSLATE_NOOP("Domain", "Flow"),
    SensorType.LEVEL: QT_TRANSLATE_NOOP("Domain", "Level"),
})
QUALITY = TrMap(CONTEXT, {
    Quality.GOOD: QT_TRANSLATE_NOOP("Domain", "Good"),
    Quality.UNCERTAIN: QT_TRANSLATE_NOOP("Domain", "Uncertain"),
    Quality.BAD: QT_TRANSLATE_NOOP("Domain", "Bad"),
})
SEVERITY = TrMap(CONTEXT, {
    Severity.INFO: QT_TRANSLATE_NOOP("Domain", "Info"),
    Severity.WARNING: QT_TRANSLATE_NOOP("Domain", "Warning"),
    Severity.CRITICAL: QT_TRANSLATE_NOOP("Domain", "Critical"),
    Severity.EMERGENCY: QT_TRANSLATE_NOOP("Domain", "Emergency"),
})
ROLE = TrMap(CONTEXT, {
    Role.ADMIN: QT_TRANSLATE_NOOP("Domain", "Admin"),
    Role.OPERATOR: QT_TRANSLATE_NOOP("Domain", "Operator"),
    Role.TECHNICIAN: QT_TRANSLATE_NOOP("Domain", "Technician"),
    Role.VIEWER: QT_TRANSLATE_NOOP("Domain", "Viewer"),
})
ALARM_KIND = TrMap(CONTEXT, {  # lower case: used inside sentences ("a high high alarm"); capitalise at a start
    AlarmKind.HIGH_HIGH: QT_TRANSLATE_NOOP("Domain", "high high"),
    AlarmKind.HIGH: QT_TRANSLATE_NOOP("Domain", "high"),
    AlarmKind.LOW: QT_TRANSLATE_NOOP("Domain", "low"),
    AlarmKind.LOW_LOW: QT_TRANSLATE_NOOP("Domain", "low low"),
    AlarmKind.BAD_QUALITY: QT_TRANSLATE_NOOP("Domain", "bad quality"),
    AlarmKind.STALE: QT_TRANSLATE_NOOP("Domain", "communication lost"),
    AlarmKind.MILL_ERROR: QT_TRANSLATE_NOOP("Domain", "mill error"),
    AlarmKind.ESTOP: QT_TRANSLATE_NOOP("Domain", "emergency stop"),
})

_TABLES: dict[type[enum.Enum], TrMap] = {
    MillStatus: MILL_STATUS, SensorType: SENSOR_TYPE, Quality: QUALITY, Severity: SEVERITY, Role: ROLE,
    AlarmKind: ALARM_KIND,
}


def word(value: enum.Enum) -> str:
    """The translated label of a mill status, sensor type, quality, priority, role or alarm kind."""
    table = _TABLES.get(type(value))
    if table is None or value not in table:
        return str(getattr(value, "value", value))
    return table[value]


def capitalised(text: str) -> str:
    """`text` with its first letter upper case (for an alarm kind that starts a line)."""
    return text[:1].upper() + text[1:]
