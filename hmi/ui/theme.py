"""The look: one stylesheet in resources/styles, its font, and the alarm colours read from it.

Widgets show abnormal states through dynamic properties (`[alarm="critical"]`, `[link="down"]`)
styled by the stylesheet. Item views paint per cell, which a stylesheet cannot reach, so the same
stylesheet declares the alarm palette as `AlarmPalette[alarm="..."]` rules (matching no widget) and
`AlarmPalette.from_qss` reads them: the stylesheet stays the one place colours are chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from hmi.core.domain import Severity
from hmi.ui.resources import read_text
from hmi.ui.sensor_board import SensorState

DEFAULT_THEME = "light"
FONT_FAMILY = "DejaVu Sans"
FONT_POINT_SIZE = 11

_RULE_RE = re.compile(r'AlarmPalette\[alarm="(?P<state>\w+)"\]\s*\{(?P<body>[^}]*)\}')
_PRIORITY_RULE_RE = re.compile(r'AlarmPalette\[priority="(?P<state>\w+)"\]\s*\{(?P<body>[^}]*)\}')
_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)


@dataclass(frozen=True, slots=True)
class StateStyle:
    foreground: QColor | None = None
    background: QColor | None = None
    italic: bool = False
    bold: bool = False

    @property
    def foreground_brush(self) -> QBrush | None:
        return None if self.foreground is None else QBrush(self.foreground)

    @property
    def background_brush(self) -> QBrush | None:
        return None if self.background is None else QBrush(self.background)


class AlarmPalette:
    """Colours and font style per SensorState, as declared in the stylesheet."""

    def __init__(self, styles: dict[SensorState, StateStyle]) -> None:
        self._styles = styles

    def __getitem__(self, state: SensorState) -> StateStyle:
        return self._styles.get(state, StateStyle())

    @classmethod
    def from_qss(cls, qss: str) -> AlarmPalette:
        styles: dict[SensorState, StateStyle] = {}
        for m in _RULE_RE.finditer(_COMMENT_RE.sub("", qss)):
            try:
                state = SensorState(m["state"])
            except ValueError:
                continue
            decl = {}
            for part in m["body"].split(";"):
                if ":" in part:
                    key, value = part.split(":", 1)
                    decl[key.strip().lower()] = value.strip()
            styles[state] = StateStyle(
                foreground=QColor(decl["color"]) if "color" in decl else None,
                background=QColor(decl["background-color"]) if "background-color" in decl else None,
                italic=decl.get("font-style") == "italic",
                bold=decl.get("font-weight") in ("bold", "600", "700"),
            )
        return cls(styles)

    @classmethod
    def load(cls, theme: str = DEFAULT_THEME) -> AlarmPalette:
        return cls.from_qss(stylesheet(theme))


def _declarations(body: str) -> dict[str, str]:
    decl = {}
    for part in body.split(";"):
        if ":" in part:
            key, value = part.split(":", 1)
            decl[key.strip().lower()] = value.strip()
    return decl


@dataclass(frozen=True, slots=True)
class PriorityStyle:
    """An alarm priority's colours: `fill` with `text` on it (filled look), and `outline` for the
    outlined look (border and text on the neutral background; unacknowledged alarms blink between)."""

    fill: QColor
    text: QColor
    outline: QColor


class PriorityPalette:
    """Colours per alarm priority, as declared by `AlarmPalette[priority="..."]` rules."""

    _FALLBACK = PriorityStyle(QColor("#6b7075"), QColor("#ffffff"), QColor("#4a4f54"))

    def __init__(self, styles: dict[Severity, PriorityStyle]) -> None:
        self._styles = styles

    def __getitem__(self, priority: Severity) -> PriorityStyle:
        return self._styles.get(priority, self._FALLBACK)

    @classmethod
    def from_qss(cls, qss: str) -> PriorityPalette:
        styles: dict[Severity, PriorityStyle] = {}
        for m in _PRIORITY_RULE_RE.finditer(_COMMENT_RE.sub("", qss)):
            try:
                priority = Severity(m["state"])
            except ValueError:
                continue
            decl = _declarations(m["body"])
            fill = QColor(decl.get("background-color", "#6b7075"))
            styles[priority] = PriorityStyle(
                fill=fill,
                text=QColor(decl.get("color", "#ffffff")),
                outline=QColor(decl["border-color"]) if "border-color" in decl else fill,
            )
        return cls(styles)

    @classmethod
    def load(cls, theme: str = DEFAULT_THEME) -> PriorityPalette:
        return cls.from_qss(stylesheet(theme))


def stylesheet(theme: str = DEFAULT_THEME) -> str:
    return read_text("styles", f"{theme}.qss")


def base_font(point_size: int = FONT_POINT_SIZE) -> QFont:
    family = FONT_FAMILY if FONT_FAMILY in QFontDatabase.families() else QFont().defaultFamily()
    font = QFont(family, point_size)
    font.setHintingPreference(QFont.HintingPreference.PreferFullHinting)
    return font


def tabular(font: QFont) -> QFont:
    """The font with tabular (fixed-width) figures, so digits line up in columns."""
    f = QFont(font)
    f.setFeature(QFont.Tag("tnum"), 1)
    return f


def apply_theme(app: QApplication, theme: str = DEFAULT_THEME) -> AlarmPalette:
    """Fusion style, the base font and the stylesheet on the whole application."""
    app.setStyle("Fusion")
    app.setFont(base_font())
    qss = stylesheet(theme)
    app.setStyleSheet(qss)
    return AlarmPalette.from_qss(qss)


def set_properties(widget: QWidget, deep: bool = False, **values: str) -> None:
    """Set dynamic properties the stylesheet selects on and re-apply the style if any changed;
    `deep` re-polishes the children too (for rules like `#chip[look="filled"] QLabel`)."""
    changed = False
    for name, value in values.items():
        if widget.property(name) != value:
            widget.setProperty(name, value)
            changed = True
    if not changed:
        return
    targets = [widget, *widget.findChildren(QWidget)] if deep else [widget]
    for w in targets:
        style = w.style()
        style.unpolish(w)
        style.polish(w)
        w.update()


def set_state_property(widget: QWidget, name: str, value: str) -> None:
    """Set a dynamic property the stylesheet selects on, and re-apply the style if it changed."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
