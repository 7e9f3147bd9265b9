"""State -> look of a bound schematic element (ISA-101 high-performance graphics). Pure Python.

Grey when normal: the process graphic is dark-grey lines on light grey, values in dark text. Colour
appears only for abnormal states, by alarm priority (the same colours as the alarm banner), so it
means something when it appears. Bad quality has its own colour (magenta-purple) and replaces the
value with "Bad"; stale data keeps the last value in grey italics with a clock marker; motors are
dark-filled when running and hollow when stopped; level bars are grey whatever the state (the
outline carries the alarm).

The state of an element is the worse of what its reading says against its thresholds (as the
sensor table does) and the priority of the sensor's announced alarm (from the alarm service).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from hmi.core.alarms import PRIORITY_RANK
from hmi.core.domain import Quality, Reading, Sensor, Severity


class ElementState(enum.StrEnum):
    """What a bound element shows; ordered by urgency with `rank`."""

    NO_DATA = "nodata"
    NORMAL = "normal"
    STALE = "stale"
    BAD = "bad"
    WARNING = "warning"
    CRITICAL = "critical"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def abnormal(self) -> bool:
        return self in (ElementState.BAD, ElementState.WARNING, ElementState.CRITICAL, ElementState.EMERGENCY)

    @property
    def label(self) -> str:
        return _LABELS[self]


_RANK = {
    ElementState.NORMAL: 0, ElementState.NO_DATA: 1, ElementState.STALE: 2, ElementState.BAD: 3,
    ElementState.WARNING: 4, ElementState.CRITICAL: 5, ElementState.EMERGENCY: 6,
}
_LABELS = {
    ElementState.NO_DATA: "No data", ElementState.NORMAL: "Normal", ElementState.STALE: "Stale",
    ElementState.BAD: "Bad quality", ElementState.WARNING: "Warning", ElementState.CRITICAL: "Critical",
    ElementState.EMERGENCY: "Emergency",
}
_BY_PRIORITY = {
    Severity.WARNING: ElementState.WARNING,
    Severity.CRITICAL: ElementState.CRITICAL,
    Severity.EMERGENCY: ElementState.EMERGENCY,
}
# ISA-101 redundant coding: the alarm indicator carries the priority as a number as well as a colour.
PRIORITY_NUMBER = {ElementState.EMERGENCY: "1", ElementState.CRITICAL: "2", ElementState.WARNING: "3"}


@dataclass(frozen=True, slots=True)
class Palette:
    """The colours of the graphic. Defaults match resources/styles/light.qss; the screen builds one
    from the theme's stylesheet (`AlarmPalette[priority=...]`) so the stylesheet stays the source."""

    line: str = "#4a4f54"  # equipment outlines
    fill: str = "#dcdcdc"  # equipment bodies
    background: str = "#e3e3e3"
    text: str = "#1f2327"
    muted: str = "#5b6167"
    value_box: str = "#f4f4f4"
    value_border: str = "#a9aeb3"
    level_fill: str = "#a3aab1"
    running: str = "#3b4046"
    stopped: str = "#f4f4f4"
    warning: str = "#f2b200"
    warning_text: str = "#1a1a1a"
    warning_outline: str = "#a87a00"
    critical: str = "#c81e1e"
    critical_text: str = "#ffffff"
    emergency: str = "#b0005c"
    emergency_text: str = "#ffffff"
    bad: str = "#8e3b9e"
    bad_text: str = "#ffffff"
    stale: str = "#8a9096"
    nodata: str = "#9aa0a6"


DEFAULT_PALETTE = Palette()


@dataclass(frozen=True, slots=True)
class ElementStyle:
    """Everything the view needs to draw one bound display; equal styles need no repaint."""

    state: ElementState
    outline: str  # the value box / symbol outline colour
    outline_width: float  # 1 normal, 2.5 abnormal
    text_colour: str
    italic: bool = False
    dashed: bool = False  # bad quality: a dashed outline (redundant to the colour)
    indicator: str = ""  # the alarm indicator's number ("1".."3"), "" for none
    indicator_fill: str = ""
    indicator_text: str = ""
    stale_marker: bool = False


def classify(
    sensor: Sensor,
    reading: Reading | None,
    now: float,
    *,
    alarm_priority: Severity | None = None,
    stale_after: float | None = None,
) -> ElementState:
    """The state of one sensor's display. `stale_after` defaults to 3 sampling intervals (>= 5 s),
    as on the sensor table; an announced alarm of higher priority wins over the threshold state."""
    if reading is None:
        state = ElementState.NO_DATA
    elif reading.quality is Quality.BAD or reading.value is None or not math.isfinite(reading.value):
        state = ElementState.BAD
    elif now - reading.ts > (stale_after if stale_after is not None else max(3.0 * sensor.sampling_interval, 5.0)):
        state = ElementState.STALE
    else:
        level = sensor.thresholds.level_of(reading.value)
        state = ElementState.NORMAL if level is None else (
            ElementState.CRITICAL if level is Severity.CRITICAL else ElementState.WARNING
        )
    if alarm_priority is not None and PRIORITY_RANK.get(alarm_priority, 0) > 0:
        from_alarm = _BY_PRIORITY.get(alarm_priority)
        if from_alarm is not None and from_alarm.rank > state.rank:
            return from_alarm
    return state


def style_for(state: ElementState, palette: Palette = DEFAULT_PALETTE) -> ElementStyle:
    """The look of a state: grey unless abnormal; alarms outlined in the priority colour with a
    numbered indicator; bad quality dashed purple; stale grey italic with a marker."""
    p = palette
    if state is ElementState.NORMAL:
        return ElementStyle(state, p.value_border, 1.0, p.text)
    if state is ElementState.NO_DATA:
        return ElementStyle(state, p.value_border, 1.0, p.nodata, italic=True)
    if state is ElementState.STALE:
        return ElementStyle(state, p.value_border, 1.0, p.stale, italic=True, stale_marker=True)
    if state is ElementState.BAD:
        return ElementStyle(state, p.bad, 2.0, p.bad, dashed=True)
    colour, text, outline = {
        ElementState.WARNING: (p.warning, p.warning_text, p.warning_outline),
        ElementState.CRITICAL: (p.critical, p.critical_text, p.critical),
        ElementState.EMERGENCY: (p.emergency, p.emergency_text, p.emergency),
    }[state]
    return ElementStyle(state, outline, 2.5, p.text, indicator=PRIORITY_NUMBER[state],
                        indicator_fill=colour, indicator_text=text)


def is_running(reading: Reading | None, running_above: float) -> bool | None:
    """A motor runs when its sensor (vibration, current, a 0/1 contact) reads above `running_above`;
    None when unknown (no reading or bad quality)."""
    if reading is None or reading.quality is Quality.BAD or reading.value is None or not math.isfinite(reading.value):
        return None
    return reading.value > running_above


def worst(states: list[ElementState]) -> ElementState:
    """The state a symbol instance shows around itself: the most urgent of its sensors'."""
    return max(states, key=lambda s: s.rank, default=ElementState.NO_DATA)


def threshold_fractions(sensor: Sensor, range_min: float, range_max: float) -> list[tuple[float, str]]:
    """Where a level bar's limit ticks go (0..1 from the bottom) and which limit each is."""
    span = range_max - range_min
    if span <= 0:
        return []
    out = []
    for name, v in sensor.thresholds.as_dict().items():
        f = (v - range_min) / span
        if 0.0 <= f <= 1.0:
            out.append((f, name))
    return sorted(out)
