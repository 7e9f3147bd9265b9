"""The look: a stylesheet per theme in resources/styles, its font, and every colour read from it.

Two themes with the same object names: "light" (ISA-101, for control rooms) and "dark" (night
shifts: muted dark greys, the same meaning of colour). `apply_theme(app, name)` switches at runtime;
`theme_manager().themeChanged` tells whoever paints or styles with colours of their own.

Widgets show abnormal states through dynamic properties (`[alarm="critical"]`, `[link="down"]`)
styled by the stylesheet. What a stylesheet cannot reach reads the stylesheet too, so the
stylesheet stays the one place colours are chosen:

- item views paint cells from `AlarmPalette[alarm="..."]` / `AlarmPalette[priority="..."]` rules
  (matching no widget); palettes from `AlarmPalette.load()` follow the active theme;
- custom painting uses `theme_colour("role")` (`ThemeColour[role="..."]` rules, in every theme);
- inline stylesheets written in light-theme colours go through `bind_stylesheet(widget, qss)`:
  each light colour is translated by the active theme's `ThemeMap[light="#..."]` rules (`color` for
  text and lines, `background-color` for fills, since white is text on an alarm fill but a field's
  background), now and whenever the theme changes.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from hmi.core.domain import Severity
from hmi.ui.i18n import TrMap
from hmi.ui.resources import read_text
from hmi.ui.sensor_board import SensorState

DEFAULT_THEME = "light"
THEMES = ("light", "dark")
THEME_TITLES = TrMap("Theme", {  # as the Theme menu names them, in the user's language
    "light": QT_TRANSLATE_NOOP("Theme", "Light (control room)"),
    "dark": QT_TRANSLATE_NOOP("Theme", "Dark (night shift)"),
})
FONT_FAMILY = "DejaVu Sans"
FONT_POINT_SIZE = 11

_RULE_RE = re.compile(r'AlarmPalette\[alarm="(?P<state>\w+)"\]\s*\{(?P<body>[^}]*)\}')
_PRIORITY_RULE_RE = re.compile(r'AlarmPalette\[priority="(?P<state>\w+)"\]\s*\{(?P<body>[^}]*)\}')
_ROLE_RE = re.compile(r'ThemeColour\[role="(?P<role>[\w-]+)"\]\s*\{(?P<body>[^}]*)\}')
_MAP_RE = re.compile(r'ThemeMap\[light="(?P<light>#[0-9a-fA-F]{6})"\]\s*\{(?P<body>[^}]*)\}')
_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
_HEX_RE = re.compile(r"#[0-9a-fA-F]{6}\b")
_DECL_RE = re.compile(r"(?P<prop>[a-zA-Z-]+)(?P<sep>\s*:\s*)(?P<value>[^;{}]*)")


def _declarations(body: str) -> dict[str, str]:
    decl = {}
    for part in body.split(";"):
        if ":" in part:
            key, value = part.split(":", 1)
            decl[key.strip().lower()] = value.strip()
    return decl


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

    @staticmethod
    def _parse(qss: str) -> dict[SensorState, StateStyle]:
        styles: dict[SensorState, StateStyle] = {}
        for m in _RULE_RE.finditer(_COMMENT_RE.sub("", qss)):
            try:
                state = SensorState(m["state"])
            except ValueError:
                continue
            decl = _declarations(m["body"])
            styles[state] = StateStyle(
                foreground=QColor(decl["color"]) if "color" in decl else None,
                background=QColor(decl["background-color"]) if "background-color" in decl else None,
                italic=decl.get("font-style") == "italic",
                bold=decl.get("font-weight") in ("bold", "600", "700"),
            )
        return styles

    @classmethod
    def from_qss(cls, qss: str) -> AlarmPalette:
        """A fixed palette from one stylesheet."""
        return cls(cls._parse(qss))

    @classmethod
    def load(cls, theme: str | None = None) -> AlarmPalette:
        """The palette of `theme`; without one, the active theme's, following every later switch."""
        if theme is not None:
            return cls(_alarm_styles(theme))
        palette = cls(_alarm_styles(current_theme()))
        theme_manager().follow(palette)
        return palette

    def _retheme(self, theme: str) -> None:
        self._styles = _alarm_styles(theme)


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

    @staticmethod
    def _parse(qss: str) -> dict[Severity, PriorityStyle]:
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
        return styles

    @classmethod
    def from_qss(cls, qss: str) -> PriorityPalette:
        return cls(cls._parse(qss))

    @classmethod
    def load(cls, theme: str | None = None) -> PriorityPalette:
        """The palette of `theme`; without one, the active theme's, following every later switch."""
        if theme is not None:
            return cls(_priority_styles(theme))
        palette = cls(_priority_styles(current_theme()))
        theme_manager().follow(palette)
        return palette

    def _retheme(self, theme: str) -> None:
        self._styles = _priority_styles(theme)


@dataclass(frozen=True, slots=True)
class ThemeColours:
    """A theme's named colours (`ThemeColour[role=...]`) and its translation of light-theme colours
    (`ThemeMap[light=...]`: `fg` for text and lines, `bg` for fills)."""

    roles: dict[str, str]
    fg: dict[str, str]
    bg: dict[str, str]


def stylesheet(theme: str = DEFAULT_THEME) -> str:
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}: one of {', '.join(THEMES)}")
    return _stylesheet(theme)


@lru_cache(maxsize=len(THEMES))
def _stylesheet(theme: str) -> str:
    return read_text("styles", f"{theme}.qss")


@lru_cache(maxsize=len(THEMES))
def _alarm_styles(theme: str) -> dict[SensorState, StateStyle]:
    return AlarmPalette._parse(stylesheet(theme))


@lru_cache(maxsize=len(THEMES))
def _priority_styles(theme: str) -> dict[Severity, PriorityStyle]:
    return PriorityPalette._parse(stylesheet(theme))


@lru_cache(maxsize=len(THEMES))
def theme_colours(theme: str) -> ThemeColours:
    qss = _COMMENT_RE.sub("", stylesheet(theme))
    roles = {m["role"]: _declarations(m["body"]).get("color", "").lower() for m in _ROLE_RE.finditer(qss)}
    fg: dict[str, str] = {}
    bg: dict[str, str] = {}
    for m in _MAP_RE.finditer(qss):
        decl = _declarations(m["body"])
        light = m["light"].lower()
        fg[light] = decl.get("color", light).lower()
        bg[light] = decl.get("background-color", fg[light]).lower()
    return ThemeColours(roles, fg, bg)


class ThemeManager(QObject):
    """The active theme of this process (one per application, like the application stylesheet).
    `themeChanged(name)` fires after the palettes from `load()` have switched."""

    themeChanged = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._name = DEFAULT_THEME
        self._followers: weakref.WeakSet[AlarmPalette | PriorityPalette] = weakref.WeakSet()

    @property
    def name(self) -> str:
        return self._name

    def follow(self, palette: AlarmPalette | PriorityPalette) -> None:
        self._followers.add(palette)

    def set_theme(self, name: str) -> bool:
        """Make `name` the active theme; True (and `themeChanged`) when it changed."""
        stylesheet(name)  # unknown names fail here, before anything changed
        if name == self._name:
            return False
        self._name = name
        for palette in list(self._followers):
            palette._retheme(name)
        self.themeChanged.emit(name)
        return True


_manager: ThemeManager | None = None


def theme_manager() -> ThemeManager:
    global _manager
    if _manager is None:
        _manager = ThemeManager()
    return _manager


def current_theme() -> str:
    return theme_manager().name


def theme_colour(name: str, *, background: bool = False, theme: str | None = None) -> QColor:
    """A colour of the active (or given) theme: a role ("text", "estop-face", ...) or a light-theme
    colour ("#1f2327") translated; `background` picks the translation for fills."""
    colours = theme_colours(theme or current_theme())
    if name.startswith("#"):
        key = name.lower()
        return QColor((colours.bg if background else colours.fg).get(key, key))
    try:
        return QColor(colours.roles[name])
    except KeyError:
        raise KeyError(f"no colour role {name!r} in the {theme or current_theme()} theme") from None


def theme_brush(light: str, *, background: bool = False) -> QBrush:
    """A brush of a light-theme colour in the active theme: for item views' painted cells, read at
    paint time so a theme switch reaches them (a module-level QBrush would stay light)."""
    return QBrush(theme_colour(light, background=background))


def themed_qss(qss: str, theme: str | None = None) -> str:
    """`qss` written in light-theme colours, in the colours of the active (or given) theme."""
    colours = theme_colours(theme or current_theme())
    if not colours.fg:
        return qss

    def declaration(m: re.Match[str]) -> str:
        table = colours.bg if "background" in m["prop"].lower() else colours.fg
        value = _HEX_RE.sub(lambda h: table.get(h[0].lower(), h[0]), m["value"])
        return f"{m['prop']}{m['sep']}{value}"

    return _DECL_RE.sub(declaration, qss)


class _ThemeBinding(QObject):
    """Calls `update(theme)` on every theme change, for as long as its parent widget lives."""

    def __init__(self, parent: QObject, update: Callable[[str], None]) -> None:
        super().__init__(parent)
        self._update = update
        theme_manager().themeChanged.connect(self._on_theme)

    @Slot(str)
    def _on_theme(self, theme: str) -> None:
        self._update(theme)


def on_theme_changed(owner: QObject, update: Callable[[str], None]) -> QObject:
    """Call `update(theme_name)` on every theme switch until `owner` is destroyed."""
    return _ThemeBinding(owner, update)


def bind_stylesheet(widget: QWidget, qss: str | Callable[[], str]) -> None:
    """`widget.setStyleSheet(qss)` in the active theme's colours, again on every theme switch.
    `qss` is written in light-theme colours (or is a function returning such a stylesheet)."""

    def restyle(_theme: str = "") -> None:
        widget.setStyleSheet(themed_qss(qss() if callable(qss) else qss))

    restyle()
    old = getattr(widget, "_theme_binding", None)
    if old is not None:
        old.deleteLater()
    widget._theme_binding = on_theme_changed(widget, restyle)  # type: ignore[attr-defined]


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


_PALETTE_ROLES = {  # QPalette role -> theme colour role, for what no stylesheet rule reaches
    QPalette.ColorRole.Window: "window",
    QPalette.ColorRole.WindowText: "text",
    QPalette.ColorRole.Base: "base",
    QPalette.ColorRole.AlternateBase: "base-alt",
    QPalette.ColorRole.Text: "text",
    QPalette.ColorRole.PlaceholderText: "text-muted",
    QPalette.ColorRole.Button: "button",
    QPalette.ColorRole.ButtonText: "text",
    QPalette.ColorRole.BrightText: "text-strong",
    QPalette.ColorRole.Highlight: "selection",
    QPalette.ColorRole.HighlightedText: "selection-text",
    QPalette.ColorRole.ToolTipBase: "tooltip",
    QPalette.ColorRole.ToolTipText: "text",
    QPalette.ColorRole.Light: "line-light",
    QPalette.ColorRole.Midlight: "grid",
    QPalette.ColorRole.Mid: "line",
    QPalette.ColorRole.Dark: "line-strong",
    QPalette.ColorRole.Shadow: "shadow",
    QPalette.ColorRole.Link: "link",
}


def theme_palette(app: QApplication, theme: str) -> QPalette:
    """The QPalette of `theme`: Fusion's own for light (what the light stylesheet was drawn on),
    built from the theme's colour roles otherwise (menus, fields, painted views)."""
    palette = app.style().standardPalette()
    if theme == DEFAULT_THEME:
        return palette
    for role, name in _PALETTE_ROLES.items():
        palette.setColor(role, theme_colour(name, theme=theme))
    disabled = theme_colour("text-disabled", theme=theme)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def apply_theme(app: QApplication, theme: str = DEFAULT_THEME) -> AlarmPalette:
    """Fusion style, the base font, the theme's palette and stylesheet on the whole application;
    returns the sensor-state palette (it follows later theme switches)."""
    qss = stylesheet(theme)
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setFont(base_font())
    app.setPalette(theme_palette(app, theme))
    theme_manager().set_theme(theme)
    app.setStyleSheet(qss)
    return AlarmPalette.load()


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
