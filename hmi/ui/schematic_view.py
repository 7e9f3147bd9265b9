"""One schematic on screen: the SVG drawing as a static background and one overlay item per bound
display (value text, level bar, running state, state outline, stale marker), plus navigation links
and the mill's status and e-stop state where the drawing has room for them (`mw-status`, `mw-estop`).

Cheap per refresh (benchmarks/schematic_refresh.py: 300 bound elements at 1 Hz, well under 10 ms of
the GUI thread per bridge batch, repaint included):
- the drawing is the view's background, rendered once per zoom level into Qt's background cache,
  together with the static parts of the value boxes that overlap nothing (field, unit, label);
- overlays are Qt's own C++-painted items (rectangles, lines, simple texts, polygons) whose pen, brush
  and text are set only when the look changed; no Python paint() runs for a value change (only the few
  round shapes: indicators, motors, markers, chips paint antialiased through a tiny override);
- a reading touches only its sensor's overlays, and of those only what differs (usually one `setText`);
  hidden parts (normal frames, indicators, stale markers) cost nothing;
- nothing is painted synchronously: Qt coalesces one batch's changes into one repaint of their
  rectangles (MinimalViewportUpdate) in the next event-loop pass.

Unacknowledged alarms blink (ISA-18.2) with the alarm banner's one timer (`set_blink`): only their
indicators change, values and units stay steady and readable.

Interaction: hover shows the sensor's name, value, quality and thresholds (computed when asked);
a click (press and release without dragging) on a bound display emits `sensorActivated(eui)`, on a
link `linkActivated(name)`; dragging pans, the wheel zooms under the mouse, `zoom_to_fit` fits.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QEvent, QPoint, QPointF, QRectF, Qt, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsPolygonItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QLabel,
    QStyleOptionGraphicsItem,
    QWidget,
)

from hmi.core.alarms import PRIORITY_RANK, Alarm, AlarmKey
from hmi.core.domain import MillStatus, Quality, Reading, Sensor, Severity
from hmi.core.plant import Plant
from hmi.core.schematic_bindings import ESTOP_ID, STATUS_ID, Binding, BindingKind, Instance, SchematicKind
from hmi.core.schematic_style import (
    DEFAULT_PALETTE,
    ElementState,
    ElementStyle,
    Palette,
    classify,
    is_running,
    style_for,
    threshold_fractions,
    worst,
)
from hmi.services.schematic_library import LoadedSchematic
from hmi.ui.domain_words import MILL_STATUS, word
from hmi.ui.i18n import TrMap, fmt_number, message_text
from hmi.ui.sensor_board import NO_VALUE, age_text, decimals_of, number_text, value_text
from hmi.ui.theme import bind_stylesheet

log = logging.getLogger(__name__)

FONT_FAMILY = "DejaVu Sans"
VALUE_PX = 12
LABEL_PX = 10
LABELLED_MIN_WIDTH = 110.0  # a value box this wide also shows its label
AUTO_BOX = (96.0, 22.0)  # value boxes laid out below an element without anchors
CLICK_SLOP = 5  # pixels a press may move and still be a click
MIN_SCALE, MAX_SCALE = 0.1, 8.0
HOVER_CARD_QSS = (
    "QLabel#schematicHoverCard { background-color: #f7f7f7; color: #1f2327; border: 1px solid #9ea3a8;"
    " border-radius: 3px; padding: 6px 9px; font-size: 10pt; }"
)


# What the overlays and hover cards say, in the user's language (the drawing's own labels are part of
# the SVG and stay as drawn).
ELEMENT_STATE_LABELS = TrMap("SchematicView", {
    ElementState.NO_DATA: QT_TRANSLATE_NOOP("SchematicView", "No data"),
    ElementState.NORMAL: QT_TRANSLATE_NOOP("SchematicView", "Normal"),
    ElementState.STALE: QT_TRANSLATE_NOOP("SchematicView", "Stale"),
    ElementState.BAD: QT_TRANSLATE_NOOP("SchematicView", "Bad quality"),
    ElementState.WARNING: QT_TRANSLATE_NOOP("SchematicView", "Warning"),
    ElementState.CRITICAL: QT_TRANSLATE_NOOP("SchematicView", "Critical"),
    ElementState.EMERGENCY: QT_TRANSLATE_NOOP("SchematicView", "Emergency"),
})
# The symbol library's slot labels (hmi/core/schematic_bindings.py SYMBOLS), shown on value boxes and in
# the binding editor; a label written in a binding file is the drawing's own and shown as written.
SLOT_LABELS = TrMap("SchematicView", {
    "Motor": QT_TRANSLATE_NOOP("SchematicView", "Motor"),
    "Vibration": QT_TRANSLATE_NOOP("SchematicView", "Vibration"),
    "Bearing": QT_TRANSLATE_NOOP("SchematicView", "Bearing"),
    "Aspiration": QT_TRANSLATE_NOOP("SchematicView", "Aspiration"),
    "Level": QT_TRANSLATE_NOOP("SchematicView", "Level"),
    "Temperature": QT_TRANSLATE_NOOP("SchematicView", "Temperature"),
    "Humidity": QT_TRANSLATE_NOOP("SchematicView", "Humidity"),
    "Moisture": QT_TRANSLATE_NOOP("SchematicView", "Moisture"),
    "Pressure": QT_TRANSLATE_NOOP("SchematicView", "Pressure"),
    "Water": QT_TRANSLATE_NOOP("SchematicView", "Water"),
    "Rate": QT_TRANSLATE_NOOP("SchematicView", "Rate"),
})


# Kinds of schematics and of displays, and the symbol library's equipment (the binding editor's choices).
SCHEMATIC_KINDS = TrMap("SchematicView", {
    SchematicKind.OVERVIEW: QT_TRANSLATE_NOOP("SchematicView", "Overview"),
    SchematicKind.DETAIL: QT_TRANSLATE_NOOP("SchematicView", "Detail"),
})
BINDING_KINDS = TrMap("SchematicView", {
    BindingKind.VALUE: QT_TRANSLATE_NOOP("SchematicView", "value"),
    BindingKind.STATE: QT_TRANSLATE_NOOP("SchematicView", "state"),
    BindingKind.LEVEL: QT_TRANSLATE_NOOP("SchematicView", "level"),
    BindingKind.RUNNING: QT_TRANSLATE_NOOP("SchematicView", "running"),
    BindingKind.STALE: QT_TRANSLATE_NOOP("SchematicView", "stale"),
})
SYMBOL_NAMES = TrMap("SchematicView", {
    "bucket_elevator": QT_TRANSLATE_NOOP("SchematicView", "bucket elevator"),
    "roller_mill": QT_TRANSLATE_NOOP("SchematicView", "roller mill"),
    "plansifter": QT_TRANSLATE_NOOP("SchematicView", "plansifter"),
    "purifier": QT_TRANSLATE_NOOP("SchematicView", "purifier"),
    "silo": QT_TRANSLATE_NOOP("SchematicView", "silo"),
    "bin": QT_TRANSLATE_NOOP("SchematicView", "bin"),
    "conveyor": QT_TRANSLATE_NOOP("SchematicView", "conveyor"),
    "fan": QT_TRANSLATE_NOOP("SchematicView", "fan"),
    "filter": QT_TRANSLATE_NOOP("SchematicView", "filter"),
    "dampener": QT_TRANSLATE_NOOP("SchematicView", "dampener"),
    "packer": QT_TRANSLATE_NOOP("SchematicView", "packer"),
    "machine": QT_TRANSLATE_NOOP("SchematicView", "machine"),
})


def symbol_name(symbol: str) -> str:
    """An equipment type of the symbol library in the user's language."""
    return SYMBOL_NAMES.get(symbol, symbol.replace("_", " "))


def slot_label(label: str) -> str:
    """A slot's label in the user's language (unknown labels, e.g. "ΔP", as they are)."""
    return SLOT_LABELS.get(label, label)


def bad_text() -> str:
    """What a value box shows instead of a number for a bad-quality reading."""
    return word(Quality.BAD)


def palette_from_theme() -> Palette:
    """The graphic's colours with the alarm colours read from the theme's stylesheet."""
    from hmi.ui.sensor_board import SensorState
    from hmi.ui.theme import AlarmPalette, PriorityPalette

    prio = PriorityPalette.load()
    states = AlarmPalette.load()
    bad = states[SensorState.BAD].background
    return Palette(
        warning=prio[Severity.WARNING].fill.name(), warning_text=prio[Severity.WARNING].text.name(),
        warning_outline=prio[Severity.WARNING].outline.name(),
        critical=prio[Severity.CRITICAL].fill.name(), critical_text=prio[Severity.CRITICAL].text.name(),
        emergency=prio[Severity.EMERGENCY].fill.name(), emergency_text=prio[Severity.EMERGENCY].text.name(),
        bad=bad.name() if bad is not None else DEFAULT_PALETTE.bad,
    )


_FONTS: dict[tuple[int, bool, bool], QFont] = {}


def _font(px: int, *, bold: bool = False, italic: bool = False) -> QFont:
    """Fonts are built once. Values, units and labels are Latin text and digits: no shaping needed,
    and skipping it (PreferNoShaping) made laying out and painting a value a third cheaper here."""
    key = (px, bold, italic)
    f = _FONTS.get(key)
    if f is None:
        f = _FONTS[key] = QFont(FONT_FAMILY)
        f.setPixelSize(px)
        f.setBold(bold)
        f.setItalic(italic)
        f.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return f


# -- overlay items ------------------------------------------------------------------------------------------
#
# Every overlay is built from Qt's own items (rectangles, paths, polygons, simple texts) whose pen, brush
# and text are set only when the look changes: Qt paints them in C++, no Python paint() runs when the
# viewport repaints. A hidden part (an alarm indicator, a stale marker, a normal symbol's outline) costs
# nothing to paint.

NO_PEN = QPen(Qt.PenStyle.NoPen)
NO_BRUSH = QBrush(Qt.BrushStyle.NoBrush)
INDICATOR_SIZE = 7.0
INDICATOR_EDGE = "#1f2327"
INDICATOR_OFF_FILL = "#f4f4f4"  # an unacknowledged alarm's indicator in the blink's "off" phase
_PENS: dict[tuple[str, float, bool], QPen] = {}
_BRUSHES: dict[tuple[str, int], QBrush] = {}


def _pen(colour: str, width: float = 1.0, dashed: bool = False) -> QPen:
    """Pens are made once per look and shared (a refresh only hands an existing one to Qt). Not
    cosmetic: measured here, Qt strokes a scaled 1-unit pen faster than a cosmetic one."""
    key = (colour, width, dashed)
    pen = _PENS.get(key)
    if pen is None:
        pen = _PENS[key] = QPen(QColor(colour), width, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    return pen


def _brush(colour: str, alpha: int = 255) -> QBrush:
    key = (colour, alpha)
    brush = _BRUSHES.get(key)
    if brush is None:
        c = QColor(colour)
        c.setAlpha(alpha)
        brush = _BRUSHES[key] = QBrush(c)
    return brush


def _rounded(rect: QRectF, radius: float) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    return path


_ADVANCES: dict[tuple[int, bool, bool], dict[str, float]] = {}
_VALUE_WIDTHS: dict[tuple[str, bool], float] = {}  # value text (bold, italic?) -> width: one lookup per refresh


def _width(text: str, px: int, *, bold: bool = False, italic: bool = False) -> float:
    """A text's advance from a per-font table of character advances: a value that changes its digits
    but not its width (tabular digits) needs no re-layout of its box, and no call into Qt to know."""
    key = (px, bold, italic)
    table = _ADVANCES.get(key)
    if table is None:
        table = _ADVANCES[key] = {}
    w = 0.0
    for ch in text:
        a = table.get(ch)
        if a is None:
            a = table[ch] = QFontMetricsF(_font(px, bold=bold, italic=italic)).horizontalAdvance(ch)
        w += a
    return w


class SmoothPolygonItem(QGraphicsPolygonItem):
    """A polygon drawn antialiased. The view paints overlays without antialiasing (axis-aligned boxes
    stay crisp and cheap); the few slanted or round shapes (alarm indicators, motors, markers) ask
    for it themselves, and only they run a (tiny) Python paint when exposed."""

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        super().paint(painter, option, widget)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # the view does not save the state


class SmoothPathItem(QGraphicsPathItem):
    """A path drawn antialiased (see SmoothPolygonItem)."""

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        super().paint(painter, option, widget)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)


def _text(parent: QGraphicsItem, font: QFont, colour: str, text: str = "") -> QGraphicsSimpleTextItem:
    item = QGraphicsSimpleTextItem(text, parent)
    item.setFont(font)
    item.setBrush(_brush(colour))
    return item


class Indicator:
    """ISA-101 alarm indicator: priority colour, shape and number (1 diamond, 2 square, 3 triangle).
    While its alarm is unacknowledged it blinks with the alarm banner (ISA-18.2): filled in the "on"
    phase, outlined in the "off" phase, so the number stays readable all the time."""

    def __init__(self, parent: QGraphicsItem, at: QPointF) -> None:
        self.at = QPointF(at)
        self.shape = SmoothPolygonItem(parent)
        self.number = _text(self.shape, _font(9, bold=True), INDICATOR_EDGE)
        self.shape.setVisible(False)
        self.look: tuple[str, bool] = ("", True)
        self._polygons: dict[str, QPolygonF] = {}

    @staticmethod
    def polygon(kind: str, at: QPointF) -> QPolygonF:
        s, x, y = INDICATOR_SIZE, at.x(), at.y()
        if kind == "1":
            pts = [(x, y - s - 1), (x + s + 1, y), (x, y + s + 1), (x - s - 1, y)]
        elif kind == "2":
            pts = [(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)]
        else:
            pts = [(x, y - s - 1), (x + s + 1, y + s), (x - s - 1, y + s)]
        return QPolygonF([QPointF(px, py) for px, py in pts])

    def show(self, style: ElementStyle, filled: bool = True) -> None:
        """Show `style`'s indicator (hide it when the style has none); `filled` False = blink off."""
        if not style.indicator:
            if self.shape.isVisible():
                self.shape.setVisible(False)
            self.look = ("", True)
            return
        kind = style.indicator
        if self.look[0] != kind:
            polygon = self._polygons.get(kind)
            if polygon is None:
                polygon = self._polygons[kind] = self.polygon(kind, self.at)
            self.shape.setPolygon(polygon)
            self.number.setText(kind)
            b = self.number.boundingRect()
            dy = 2.0 if kind == "3" else 0.0
            self.number.setPos(self.at.x() - b.width() / 2, self.at.y() + dy - b.height() / 2)
        if filled:
            self.shape.setPen(_pen(INDICATOR_EDGE, 0.8))
            self.shape.setBrush(_brush(style.indicator_fill))
            self.number.setBrush(_brush(style.indicator_text))
        else:
            self.shape.setPen(_pen(style.outline, 1.6))
            self.shape.setBrush(_brush(INDICATOR_OFF_FILL))
            self.number.setBrush(_brush(INDICATOR_EDGE))
        self.look = (kind, filled)
        if not self.shape.isVisible():
            self.shape.setVisible(True)

    @property
    def visible(self) -> bool:
        return self.shape.isVisible()


def _stale_marker(parent: QGraphicsItem, centre: QPointF, palette: Palette) -> QGraphicsPathItem:
    """A small clock: the value shown is old. Hidden until needed."""
    path = QPainterPath()
    path.addEllipse(centre, 6.0, 6.0)
    path.moveTo(centre)
    path.lineTo(centre + QPointF(0, -4))
    path.moveTo(centre)
    path.lineTo(centre + QPointF(3, 0))
    item = SmoothPathItem(path, parent)
    item.setPen(_pen(palette.muted, 1.2))
    item.setBrush(_brush("#f4f4f4"))
    item.setVisible(False)
    return item


class Overlay(QGraphicsPathItem):
    """Base of every overlay: a fixed rectangle in scene (drawing) coordinates, the sensor it shows
    (if any) and a key of its current look. `show_key` restyles only when the key changed; an
    overlay that draws nothing itself (only its parts do) is flagged ItemHasNoContents, so Qt never
    paints it but still finds it under the mouse."""

    def __init__(self, rect: QRectF, palette: Palette, eui: str = "", *, contents: bool = False,
                 radius: float = 0.0) -> None:
        super().__init__()
        self.rect = QRectF(rect)
        self.palette = palette
        self.eui = eui
        self.key: object = None
        self.repaints = 0
        if radius:
            self.setPath(_rounded(self.rect, radius))
        else:
            path = QPainterPath()
            path.addRect(self.rect)
            self.setPath(path)
        self.setPen(NO_PEN)
        if not contents:
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)

    def show_key(self, key: object) -> bool:
        if key == self.key:
            return False
        self.key = key
        self.repaints += 1
        return True


class SmoothOverlay(Overlay):
    """An overlay whose own shape is round (a motor, a status chip, a link highlight): antialiased."""

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        super().paint(painter, option, widget)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)


class ValueItem(Overlay):
    """A value with its unit in a small box, right-aligned (digits line up); outline and indicator
    follow the state.

    On the hot path a new value is one `setText` on one text item. Where the box overlaps no other
    overlay the view bakes its static parts (the light field, the unit, the label) into the drawing's
    cached background (`bake`, `paint_static`): a refresh then repaints only the value's own text
    over the cached background. Measured here: the fills and units of ~180 changed boxes were about
    a third of a refresh's repaint."""

    def __init__(self, rect: QRectF, palette: Palette, sensor: Sensor, label: str,
                 scene: QGraphicsScene | None = None) -> None:
        super().__init__(rect, palette, sensor.eui)
        if scene is not None:
            scene.addItem(self)
        self.sensor = sensor
        self.label = label
        self.text = NO_VALUE
        self.bad_text = bad_text()  # shown without the unit, like the dash
        self.style = style_for(ElementState.NO_DATA, palette)
        self.blink_off = False
        self.baked = False
        # a plain rectangle (Qt's fast path); a normal value sits on a flat light field without an
        # outline (ISA-101: nothing to draw the eye), abnormal states outline it in their colour
        self.box = QGraphicsRectItem(self.rect, self)
        self.box.setPen(NO_PEN)
        self.box.setBrush(_brush(palette.value_box))
        self._italic: bool | None = None
        r = self.rect
        cy = r.center().y()
        inner_right = r.right() - 5
        self._labelled = r.width() >= LABELLED_MIN_WIDTH and bool(label)
        self._label: QGraphicsSimpleTextItem | None = None
        if self._labelled:
            self._label = _text(self, _font(LABEL_PX), palette.muted, label)
            self._label.setPos(r.left() + 5, cy - self._label.boundingRect().height() / 2)
        unit = sensor.display_unit
        self._unit = _text(self, _font(LABEL_PX), palette.muted, unit)
        ub = self._unit.boundingRect()
        unit_w = _width(unit, LABEL_PX) if unit else 0.0
        self._unit.setPos(inner_right - unit_w, cy - ub.height() / 2)
        self._unit.setVisible(bool(unit))
        self._unit_shown = True  # a number is shown (with its unit, if the sensor has one)
        self._mask: QGraphicsRectItem | None = None  # hides a baked unit while there is no value
        # the value ends a space before the unit (or at the box's inner edge when no unit is shown)
        self._value_right = (inner_right - unit_w - _width(" ", LABEL_PX)) if unit else inner_right
        self._inner_right = inner_right
        if scene is not None:
            # made by the scene, the value's text item is Qt's own C++ object, not a Python-derived
            # one: Qt's many virtual calls on it while painting skip PySide's override lookup
            self._value = scene.addSimpleText("0", _font(VALUE_PX, bold=True))
            self._value.setParentItem(self)
            self._value.setBrush(_brush(palette.text))
        else:
            self._value = _text(self, _font(VALUE_PX, bold=True), palette.text, "0")
        self._value_h = self._value.boundingRect().height()
        self._value_y = cy - self._value_h / 2
        self._value_x = -1.0
        self._indicator: Indicator | None = None  # made when first needed
        self._stale: QGraphicsPathItem | None = None

    # -- static parts -------------------------------------------------------------------------------------

    def bake(self) -> None:
        """Leave the field, the unit and the label to the view's background (`paint_static`)."""
        self.baked = True
        self.box.setBrush(NO_BRUSH)
        self.box.setVisible(self.style.state.abnormal)
        self._unit.setVisible(False)
        if self._label is not None:
            self._label.setVisible(False)
        if not self._unit_shown and self.sensor.display_unit:
            self._show_mask(True)

    def paint_static(self, painter: QPainter) -> None:
        """Draw the baked parts (the view's drawBackground, once per zoom level): the same fonts,
        colours and places the items would have."""
        painter.fillRect(self.rect, _brush(self.palette.value_box))
        painter.setPen(QColor(self.palette.muted))
        for item in (self._unit, self._label):
            if item is not None and item.text():
                painter.setFont(item.font())
                painter.drawText(item.pos() + QPointF(0, QFontMetricsF(item.font()).ascent()), item.text())

    def _show_mask(self, on: bool) -> None:
        if self._mask is None:
            if not on:
                return
            self._mask = QGraphicsRectItem(self._unit.mapRectToParent(self._unit.boundingRect()), self)
            self._mask.setPen(NO_PEN)
            self._mask.setBrush(_brush(self.palette.value_box))
            self._mask.setZValue(-1)  # under the value's text ("Bad" may reach into the unit's place)
        self._mask.setVisible(on)

    # -- live look ----------------------------------------------------------------------------------------

    def set(self, text: str, style: ElementStyle, blink_off: bool = False) -> bool:
        """Show a value and a look; touches Qt only for what differs (usually just the digits)."""
        if (style is self.style and blink_off == self.blink_off and self._italic is not None
                and (text != NO_VALUE and text != self.bad_text) == self._unit_shown):
            # the hot path of a refresh: same look, maybe new digits
            if text == self.text:
                return False
            self.repaints += 1
            self.text = text
            self._value.setText(text)
            self._place_value()
            return True
        if not self.show_key((text, style, blink_off)):
            return False
        restyle = style != self.style or self._italic is None
        reindicate = restyle or blink_off != self.blink_off
        self.style, self.blink_off = style, blink_off
        if restyle:
            self._restyle()
        if reindicate and (style.indicator or self._indicator is not None):
            self.indicator.show(style, not blink_off)
        if text != self.text or restyle:
            self.text = text
            self._value.setText(text)
            self._show_unit(text not in (NO_VALUE, self.bad_text))
            self._place_value()
        return True

    @property
    def unit_visible(self) -> bool:
        """Whether the unit shows beside the value (drawn by this item or baked in the background)."""
        if not self.sensor.display_unit:
            return False
        if self.baked:
            return self._mask is None or not self._mask.isVisible()
        return self._unit.isVisible()

    @property
    def indicator(self) -> Indicator:
        if self._indicator is None:
            self._indicator = Indicator(self, QPointF(self.rect.left() - 10, self.rect.center().y()))
        return self._indicator

    def forget(self) -> None:
        """The next `set` restyles and re-lays out everything (see SchematicView.invalidate)."""
        self.key = None
        self._italic = None
        self._value_x = -1.0

    def set_blink(self, off: bool) -> None:
        """The blink phase of an unacknowledged alarm: only the indicator changes."""
        if self.style.indicator and off != self.blink_off:
            self.set(self.text, self.style, off)

    def _restyle(self) -> None:
        st, p = self.style, self.palette
        abnormal = st.state.abnormal
        self.box.setPen(_pen(st.outline, st.outline_width, st.dashed) if abnormal else NO_PEN)
        if self.baked:
            self.box.setVisible(abnormal)
        if st.italic != self._italic:
            self._italic = st.italic
            self._value.setFont(_font(VALUE_PX, bold=True, italic=st.italic))
            self._value_x = -1.0
            if not self.baked:
                self._unit.setFont(_font(LABEL_PX, italic=st.italic))
        self._value.setBrush(_brush(st.text_colour))
        if not self.baked:
            self._unit.setBrush(_brush(p.muted if not st.italic else st.text_colour))
        if st.stale_marker or self._stale is not None:
            if self._stale is None:
                self._stale = _stale_marker(self, QPointF(self.rect.right(), self.rect.top()), p)
            self._stale.setVisible(st.stale_marker)

    def _show_unit(self, on: bool) -> None:
        """A number shows its unit; the dash (no data) and the bad-quality word do not."""
        if on == self._unit_shown:
            return
        self._unit_shown = on
        if not self.sensor.display_unit:
            return
        if self.baked:
            self._show_mask(not on)
        else:
            self._unit.setVisible(on)

    def _place_value(self) -> None:
        """Right-align the value; move it only when its width changed (digits are tabular)."""
        italic = bool(self._italic)
        w = _VALUE_WIDTHS.get((self.text, italic))
        if w is None:
            if len(_VALUE_WIDTHS) > 20_000:
                _VALUE_WIDTHS.clear()
            w = _VALUE_WIDTHS[self.text, italic] = _width(self.text, VALUE_PX, bold=True, italic=italic)
        x = (self._value_right if self._unit_shown else self._inner_right) - w
        if x != self._value_x:
            self._value_x = x
            self._value.setPos(x, self._value_y)


class LevelItem(Overlay):
    """A level bar filling the element from the bottom, grey whatever the state (the value box and
    the symbol outline carry the alarm), with ticks at the sensor's limits."""

    def __init__(self, rect: QRectF, palette: Palette, sensor: Sensor, binding: Binding) -> None:
        super().__init__(rect, palette, sensor.eui)
        self.sensor = sensor
        self.ticks = threshold_fractions(sensor, binding.range_min, binding.range_max)
        self.fraction: float | None = None
        self.state = ElementState.NO_DATA
        self._fill = QGraphicsRectItem(self)
        self._fill.setPen(NO_PEN)
        self._top = QGraphicsLineItem(self)
        self._top.setPen(_pen("#5f666d", 1.0))
        self._fill.setVisible(False)
        self._top.setVisible(False)
        r = self.rect
        if self.ticks:
            path = QPainterPath()
            for f, _name in self.ticks:
                y = r.bottom() - r.height() * f
                path.moveTo(r.right() - 8, y)
                path.lineTo(r.right(), y)
            ticks = QGraphicsPathItem(path, self)
            ticks.setPen(_pen(palette.muted, 1.0))

    def set(self, fraction: float | None, state: ElementState) -> bool:
        shown = None if fraction is None else round(fraction, 3)
        dim = state in (ElementState.STALE, ElementState.BAD, ElementState.NO_DATA)
        self.fraction, self.state = fraction, state
        if not self.show_key((shown, dim)):
            return False
        r = self.rect
        if shown is None:
            self._fill.setVisible(False)
            self._top.setVisible(False)
            return True
        top = r.bottom() - r.height() * shown
        self._fill.setRect(QRectF(r.left(), top, r.width(), r.bottom() - top))
        self._fill.setBrush(_brush(self.palette.level_fill, 110 if dim else 255))
        self._top.setLine(r.left(), top, r.right(), top)
        self._fill.setVisible(True)
        self._top.setVisible(True)
        return True


class RunningItem(SmoothOverlay):
    """A motor: dark filled when running, hollow when stopped, dashed grey when unknown."""

    def __init__(self, rect: QRectF, palette: Palette, sensor: Sensor) -> None:
        side = min(rect.width(), rect.height(), 22.0)
        square = QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)
        super().__init__(square, palette, sensor.eui, contents=True)
        path = QPainterPath()
        path.addEllipse(square)
        self.setPath(path)
        self.sensor = sensor
        self.running: bool | None = None
        self._m = _text(self, _font(max(int(side * 0.55), 8), bold=True), palette.nodata, "M")
        b = self._m.boundingRect()
        self._m.setPos(square.center().x() - b.width() / 2, square.center().y() - b.height() / 2)
        self._restyle()

    def set(self, running: bool | None) -> bool:
        self.running = running
        if not self.show_key(running):
            return False
        self._restyle()
        return True

    def _restyle(self) -> None:
        p = self.palette
        if self.running is None:
            self.setPen(_pen(p.nodata, 1.2, True))
        else:
            self.setPen(_pen(p.line, 1.4))
        self.setBrush(_brush(p.running if self.running else p.stopped))
        self._m.setBrush(_brush("#ffffff" if self.running else p.line if self.running is False else p.nodata))


class FrameItem(Overlay):
    """An outline around a bound element (a symbol instance, a `state` binding) shown only when
    its worst sensor is abnormal: grey equipment stays grey when all is well. While it shows nothing
    the item is hidden, so Qt neither paints nor visits it (the view finds it under the mouse itself)."""

    def __init__(self, rect: QRectF, palette: Palette, euis: Iterable[str], *, stale_only: bool = False) -> None:
        super().__init__(rect.adjusted(-4, -4, 4, 4), palette, "")
        self.euis = list(dict.fromkeys(euis))
        self.eui = self.euis[0] if self.euis else ""
        self.states: dict[str, ElementState] = {}
        self.unacked: set[str] = set()
        self.stale_only = stale_only
        self.style = style_for(ElementState.NO_DATA, palette)
        self.blink_off = False
        self.setZValue(-1)
        self.setVisible(False)
        self._outline = QGraphicsRectItem(self.rect, self)  # square, not antialiased: crisp and cheap
        self._outline.setBrush(NO_BRUSH)
        self._outline.setVisible(False)
        self.indicator = Indicator(self, self.rect.topLeft())
        self._stale: QGraphicsPathItem | None = None

    def set_state(self, eui: str, state: ElementState, unacked: bool = False) -> bool:
        self.states[eui] = state
        if unacked:
            self.unacked.add(eui)
        else:
            self.unacked.discard(eui)
        w = worst(list(self.states.values()))
        # the most urgent sensor answers a click on the frame
        self.eui = max(self.states, key=lambda e: self.states[e].rank)
        return self._show(w, self.blink_off)

    @property
    def blinking(self) -> bool:
        """An unacknowledged alarm of one of its sensors is what the frame shows."""
        return self.style.state.abnormal and any(self.states.get(e) is self.style.state for e in self.unacked)

    def set_blink(self, off: bool) -> None:
        if self.blinking and off != self.blink_off:
            self._show(self.style.state, off)

    def _show(self, state: ElementState, blink_off: bool) -> bool:
        style = style_for(state, self.palette)
        blinking = state.abnormal and any(self.states.get(e) is state for e in self.unacked)
        blink_off = blink_off and blinking
        if not self.show_key((state, blink_off)):
            return False
        self.style, self.blink_off = style, blink_off
        if self.stale_only:
            if style.stale_marker and self._stale is None:
                self._stale = _stale_marker(self, QPointF(self.rect.right(), self.rect.top()), self.palette)
            if self._stale is not None:
                self._stale.setVisible(style.stale_marker)
            self.setVisible(style.stale_marker)
            return True
        self.setVisible(state.abnormal)
        if state.abnormal:
            self._outline.setPen(_pen(style.outline, style.outline_width, style.dashed))
            self._outline.setVisible(True)
            self.indicator.show(style, not blink_off)
        else:
            self._outline.setVisible(False)
            self.indicator.show(style)
        return True


class LinkItem(SmoothOverlay):
    """A navigation link: highlighted under the mouse, a click opens the target schematic."""

    def __init__(self, rect: QRectF, palette: Palette, target: str, label: str) -> None:
        super().__init__(rect, palette, contents=True)
        self.setPath(_rounded(self.rect.adjusted(-1, -1, 1, 1), 3.0))
        self.target = target
        self.label = label
        self.hovered = False
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_hovered(self, on: bool) -> None:
        self.hovered = on
        self.setPen(_pen(self.palette.line, 1.6) if on else NO_PEN)
        self.setBrush(_brush("#000000", 18) if on else NO_BRUSH)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.set_hovered(True)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.set_hovered(False)


class BannerItem(SmoothOverlay):
    """The mill's status or e-stop state on the drawing: a caption and a state chip."""

    def __init__(self, rect: QRectF, palette: Palette, caption: str) -> None:
        super().__init__(rect, palette, contents=True, radius=3.0)
        self.caption = caption
        self.text = NO_VALUE
        self.look = "normal"  # normal | latched | alarm | critical | muted
        r = self.rect
        self._caption = _text(self, _font(LABEL_PX), palette.muted, caption)
        cb = self._caption.boundingRect()
        self._caption.setPos(r.left() + 8, r.center().y() - cb.height() / 2)
        self._cap_w = cb.width() + 16
        self._value = _text(self, _font(VALUE_PX + 1, bold=True), palette.text)
        self._restyle()

    def set(self, text: str, look: str) -> bool:
        self.text, self.look = text, look
        if not self.show_key((text, look)):
            return False
        self._restyle()
        return True

    def _restyle(self) -> None:
        p, r = self.palette, self.rect
        fill, fg, border, width = "#f4f4f4", p.text, "#9ea3a8", 1.0
        if self.look == "alarm":
            fill, fg, border = p.emergency, p.emergency_text, p.emergency
        elif self.look == "critical":
            fill, fg, border = p.critical, p.critical_text, p.critical
        elif self.look == "latched":
            border, width = p.text, 2.0
        elif self.look == "muted":
            fg = p.muted
        self.setPen(_pen(border, width))
        self.setBrush(_brush(fill))
        self._caption.setBrush(_brush(p.muted if self.look not in ("alarm", "critical") else fg))
        font = _font(VALUE_PX + 1, bold=True, italic=self.look == "muted")
        self._value.setFont(font)
        self._value.setBrush(_brush(fg))
        room = max(int(r.width() - self._cap_w - 8), 0)
        self._value.setText(QFontMetricsF(font).elidedText(self.text, Qt.TextElideMode.ElideRight, room))
        self._value.setPos(r.left() + self._cap_w, r.center().y() - self._value.boundingRect().height() / 2)


# -- the view ------------------------------------------------------------------------------------------------


@dataclass
class _SensorDisplays:
    """Everything on the drawing that shows one sensor, and what it shows now."""

    sensor: Sensor
    decimals: int = 1  # the sensor's display decimals (as on the sensor table)
    values: list[ValueItem] = field(default_factory=list)
    levels: list[tuple[LevelItem, Binding]] = field(default_factory=list)
    running: list[tuple[RunningItem, Binding]] = field(default_factory=list)
    frames: list[FrameItem] = field(default_factory=list)
    reading: Reading | None = None
    state: ElementState = ElementState.NO_DATA
    unacked: bool = False  # an announced alarm of this sensor waits for acknowledgement: it blinks


MILL_STATUS_LOOK = {
    MillStatus.ACTIVE: "normal", MillStatus.MAINTENANCE: "latched", MillStatus.OFFLINE: "muted",
    MillStatus.ERROR: "critical",
}


class SchematicView(QGraphicsView):
    """Renders one LoadedSchematic with live overlays. Feed it `on_values` / `on_alarms`; call
    `tick()` about once a second so data that stops arriving turns stale; connect the alarm banner's
    blink phase (`blinkChanged`) to `set_blink` so unacknowledged alarms blink with the banner."""

    sensorActivated = Signal(str)
    linkActivated = Signal(str)
    sensorHovered = Signal(str)

    def __init__(self, plant: Plant, parent: QWidget | None = None, *, now: Callable[[], float] = time.time,
                 palette: Palette | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("schematicView")
        self.plant = plant
        self.now = now
        self.palette = palette or DEFAULT_PALETTE
        self._sensors = {s.eui: s for s in plant.sensors()}
        self.setScene(QGraphicsScene(self))
        # Overlays paint without antialiasing (crisp axis-aligned boxes, and a refresh exposing many small
        # rectangles stays cheap); text keeps its own antialiasing; round shapes and the drawing ask for it.
        self.setRenderHints(QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        # Repaint only the changed overlays' rectangles; Qt's items restore their own painter state.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        # Overlays draw inside their bounding rectangles (no antialiasing bleed to allow for): a changed
        # value repaints its own text's rectangle, not its neighbours.
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        # The drawing is the view's background, rendered once per zoom level into the view's background
        # cache; a refresh blits the changed rectangles from it. (As a QGraphicsSvgItem with
        # DeviceCoordinateCache, a refresh exposing a couple of hundred small rectangles re-rendered
        # the SVG clipped to them: over 100 ms.)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        # Overlay texts move when their width changes: no spatial index to keep up to date for a
        # few hundred items (hit tests and paints scan them in C++).
        self.scene().setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setBackgroundBrush(QBrush(QColor(self.palette.background)))
        self.setMouseTracking(True)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.schematic: LoadedSchematic | None = None
        self.problems: list[str] = []
        self.drawing: QSvgRenderer | None = None  # the SVG shown (as the background), None when unusable
        self._drawing_rect = QRectF()
        self.links: list[LinkItem] = []
        self.status_item: BannerItem | None = None
        self.estop_item: BannerItem | None = None
        self._displays: dict[str, _SensorDisplays] = {}
        self._priority: dict[str, Severity] = {}
        self._alarms: dict[AlarmKey, Alarm] = {}
        self._styles = {state: style_for(state, self.palette) for state in ElementState}
        self._overlays: list[Overlay] = []
        self._baked: list[ValueItem] = []  # value boxes whose static parts are in the background
        self._blinkers: set[str] = set()  # sensors with an unacknowledged alarm on this drawing
        self._blink_off = False
        self._force = False
        self._fit = True
        self._press: QPointF | None = None
        self._hovered = ""
        self._bad = bad_text()
        self.hover_card = QLabel(self.viewport())
        self.hover_card.setObjectName("schematicHoverCard")
        self.hover_card.setTextFormat(Qt.TextFormat.RichText)
        bind_stylesheet(self.hover_card, HOVER_CARD_QSS)
        self.hover_card.hide()

    # -- loading -------------------------------------------------------------------------------------------

    def clear(self) -> None:
        self.scene().clear()
        if self.drawing is not None:
            self.drawing.deleteLater()
        self.drawing = None
        self._drawing_rect = QRectF()
        self.resetCachedContent()
        self.links = []
        self.status_item = self.estop_item = None
        self._displays = {}
        self._overlays = []
        self._baked = []
        self._blinkers = set()
        self.problems = []
        self.schematic = None

    def load(self, schematic: LoadedSchematic) -> list[str]:
        """Show a schematic; returns the problems found while rendering (also logged)."""
        self.clear()
        self.schematic = schematic
        self._bad = bad_text()
        scene = self.scene()
        if schematic.svg is None:
            reason = next((message_text(p.message) for p in schematic.problems if p.where == "svg"),
                          self.tr("no drawing"))
            self._placeholder(self.tr("{schematic}: drawing unavailable\n{reason}").format(
                schematic=schematic.label, reason=reason))
            return self.problems
        renderer = QSvgRenderer(QByteArray(schematic.svg), self)
        if not renderer.isValid():
            self.problems.append(self.tr("{schematic}: Qt cannot render the drawing").format(schematic=schematic.name))
            log.warning("schematic %s: Qt cannot render the drawing", schematic.name)
            self._placeholder(self.tr("{schematic}: drawing unavailable\n{reason}").format(
                schematic=schematic.label, reason=self.tr("Qt cannot render the SVG")))
            return self.problems
        self.drawing = renderer
        vb = renderer.viewBoxF()
        size = renderer.defaultSize()
        if vb.isEmpty():
            vb = QRectF(0, 0, size.width(), size.height())
        # scene coordinates = the drawing's own (viewBox) coordinates, whatever its width/height say
        self._drawing_rect = vb
        scene.setSceneRect(vb)
        self.resetCachedContent()
        self._build_overlays(schematic)
        self.zoom_to_fit()
        return self.problems

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        """The grey ground and the drawing. With CacheBackground Qt calls this only when its cache is
        invalid (load, zoom, resize, newly scrolled-in strips), never for a live-data refresh."""
        super().drawBackground(painter, rect)
        if self.drawing is not None:
            painter.save()
            painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
            self.drawing.render(painter, self._drawing_rect)
            painter.restore()
        for item in self._baked:
            if item.rect.intersects(rect):
                item.paint_static(painter)

    def _placeholder(self, text: str) -> None:
        t = QGraphicsSimpleTextItem(text)
        t.setFont(_font(16))
        t.setBrush(QColor(self.palette.muted))
        self.scene().addItem(t)
        self.scene().setSceneRect(t.boundingRect().adjusted(-40, -40, 40, 40))

    def element_rect(self, element_id: str) -> QRectF | None:
        """An element's bounds in drawing coordinates; None when the drawing has no such id."""
        r = self.drawing
        if r is None or not element_id or not r.elementExists(element_id):
            return None
        return r.transformForElement(element_id).mapRect(r.boundsOnElement(element_id))

    def _anchor(self, inst: Instance, slot: str) -> QRectF | None:
        assert self.schematic is not None
        info = self.schematic.svg_info
        aid = info.anchor(inst.element_id, slot) if info is not None else None
        return self.element_rect(aid) if aid else None

    def _displays_of(self, eui: str) -> _SensorDisplays:
        d = self._displays.get(eui)
        if d is None:
            sensor = self._sensors[eui]
            dec = decimals_of(sensor)
            d = self._displays[eui] = _SensorDisplays(sensor, dec)
        return d

    def _add(self, item: Overlay) -> None:
        if item.scene() is None:
            self.scene().addItem(item)
        self._overlays.append(item)

    def _build_overlays(self, schematic: LoadedSchematic) -> None:
        for inst in schematic.bindings.instances:
            bounds = self.element_rect(inst.element_id)
            if bounds is None:
                continue
            frame = FrameItem(bounds, self.palette, inst.euis,
                              stale_only=not inst.symbol and inst.bindings[0].kinds == (BindingKind.STALE,))
            if inst.symbol or any(k in (BindingKind.STATE, BindingKind.STALE) for b in inst.bindings for k in b.kinds):
                self._add(frame)
                for eui in frame.euis:
                    self._displays_of(eui).frames.append(frame)
            auto_row = 0
            for b in inst.bindings:
                d = self._displays_of(b.eui)
                anchor = self._anchor(inst, b.slot) if b.slot else None
                if BindingKind.LEVEL in b.kinds:
                    bar = (self._anchor(inst, f"{b.slot}_bar") if b.slot else None) or (
                        bounds if not b.slot else bounds.adjusted(bounds.width() * 0.35, 4, -bounds.width() * 0.35, -4))
                    item = LevelItem(bar, self.palette, d.sensor, b)
                    item.setZValue(1)
                    self._add(item)
                    d.levels.append((item, b))
                if BindingKind.RUNNING in b.kinds:
                    rect = anchor or QRectF(bounds.right() + 4, bounds.top(), 20, 20)
                    run = RunningItem(rect, self.palette, d.sensor)
                    run.setZValue(3)
                    self._add(run)
                    d.running.append((run, b))
                if BindingKind.VALUE in b.kinds:
                    if anchor is None and b.slot:
                        w, h = AUTO_BOX
                        anchor = QRectF(bounds.left(), bounds.bottom() + 6 + auto_row * (h + 4), w, h)
                        auto_row += 1
                    elif anchor is None:
                        anchor = bounds
                        if BindingKind.LEVEL in b.kinds:  # the value over the middle of its bar
                            c = bounds.center()
                            anchor = QRectF(c.x() - 40, c.y() - 11, 80, 22)
                    label = slot_label(b.label or (b.slot.capitalize() if b.slot else ""))
                    value = ValueItem(anchor, self.palette, d.sensor, label, self.scene())
                    value.setZValue(2)
                    self._add(value)
                    d.values.append(value)
        for link in schematic.bindings.links:
            rect = self.element_rect(link.element_id)
            if rect is not None:
                item = LinkItem(rect, self.palette, link.target, link.label)
                item.setZValue(4)
                self._add(item)
                self.links.append(item)
        status = self.element_rect(STATUS_ID)
        if status is not None:
            self.status_item = BannerItem(status, self.palette, self.tr("Mill status"))
            self._add(self.status_item)
        estop = self.element_rect(ESTOP_ID)
        if estop is not None:
            self.estop_item = BannerItem(estop, self.palette, self.tr("E-stop"))
            self._add(self.estop_item)
        self._bake_static_parts()
        now = self.now()
        for eui in self._displays:
            self._refresh(eui, now, force=True)

    def _bake_static_parts(self) -> None:
        """Value boxes that overlap no other overlay get their field, unit and label drawn into the
        cached background (see ValueItem); a box over a level bar, a motor or another box keeps them
        as items, so the stacking stays right."""
        others = [i.rect for i in self._overlays if not isinstance(i, FrameItem)]
        for item in self._overlays:
            if isinstance(item, ValueItem):
                r = item.rect
                if sum(1 for o in others if o.intersects(r)) == 1:  # only itself
                    item.bake()
                    self._baked.append(item)
        self.resetCachedContent()

    # -- live data ----------------------------------------------------------------------------------------

    def bound_euis(self) -> set[str]:
        return set(self._displays)

    def overlay_items(self) -> list[Overlay]:
        return list(self._overlays)

    def on_values(self, values: Mapping[str, Reading]) -> int:
        """New readings (the bridge's dict): touch only the overlays of these sensors, and of those
        only what changed; returns how many overlays changed. Nothing is painted here: Qt coalesces
        the changes of one batch into one repaint of their rectangles in the next event-loop pass."""
        now = self.now()
        touched = 0
        displays = self._displays
        force, self._force = self._force, False
        refresh = self._refresh
        for eui, reading in values.items():
            d = displays.get(eui)
            if d is None or (d.reading is not None and reading.ts < d.reading.ts):
                continue
            d.reading = reading
            touched += refresh(eui, now, force, d)
        return touched

    def invalidate(self) -> None:
        """Forget what every overlay shows: the next refresh restyles each one it reaches (after a
        palette change; the benchmark's naive baseline)."""
        self._force = True
        for item in self._overlays:
            item.key = None
            if isinstance(item, ValueItem):
                item.forget()

    def on_alarms(self, alarms: Iterable[Alarm]) -> int:
        """Changed alarm records: an announced alarm colours its sensor's displays by priority."""
        changed: set[str] = set()
        for a in alarms:
            if a.finished:
                self._alarms.pop(a.key, None)
            else:
                self._alarms[a.key] = a
            if a.key.source:
                changed.add(a.key.source)
        for eui in changed:
            best: Severity | None = None
            unacked = False
            for a in self._alarms.values():
                if a.key.source == eui and a.announced:
                    unacked = unacked or a.unacked
                    if best is None or PRIORITY_RANK[a.priority] > PRIORITY_RANK[best]:
                        best = a.priority
            if best is None:
                self._priority.pop(eui, None)
            else:
                self._priority[eui] = best
            d = self._displays.get(eui)
            if d is not None:
                d.unacked = unacked
                if unacked:
                    self._blinkers.add(eui)
                else:
                    self._blinkers.discard(eui)
        now = self.now()
        return sum(self._refresh(e, now, force=True) for e in changed if e in self._displays)

    @Slot(bool)
    def set_blink(self, on: bool) -> None:
        """The blink phase of unacknowledged alarms (the alarm banner's `blinkChanged`: one shared
        timer for every view): only the indicators of this drawing's unacknowledged alarms change;
        values, units and outlines stay steady and readable."""
        off = not on
        if off == self._blink_off:
            return
        self._blink_off = off
        for eui in self._blinkers:
            d = self._displays[eui]
            for item in d.values:
                item.set_blink(off and d.unacked)
            for frame in d.frames:
                frame.set_blink(off)
        if not off:  # an acknowledged alarm may still show the "off" look of the last phase
            for frame in (f for f in self._overlays if isinstance(f, FrameItem) and f.blink_off):
                frame.set_blink(False)

    def blinking_items(self) -> list[Overlay]:
        """Overlays whose alarm indicator blinks now (unacknowledged alarms)."""
        out: list[Overlay] = []
        for eui in sorted(self._blinkers):
            d = self._displays[eui]
            out += [i for i in d.values if i.style.indicator]
            out += [f for f in d.frames if f.blinking and f not in out]
        return out

    def tick(self) -> int:
        """Re-evaluate time-dependent states (stale); repaints only what turned stale or fresh."""
        now = self.now()
        touched = 0
        for eui, d in self._displays.items():
            if d.reading is not None:
                state = classify(d.sensor, d.reading, now, alarm_priority=self._priority.get(eui))
                if state is not d.state:
                    touched += self._refresh(eui, now)
        return touched

    def state_of(self, eui: str) -> ElementState | None:
        d = self._displays.get(eui)
        return None if d is None else d.state

    def _refresh(self, eui: str, now: float, force: bool = False, d: _SensorDisplays | None = None) -> int:
        """Bring one sensor's displays up to date; each display restyles itself only when what it
        shows changed, and frames only when the sensor's state did. Returns how many changed."""
        if d is None:
            d = self._displays[eui]
        r = d.reading
        state = classify(d.sensor, r, now, alarm_priority=self._priority.get(eui))
        changed_state = force or state is not d.state
        d.state = state
        value = None if r is None else r.value
        touched = 0
        if d.values:
            style = self._styles[state]
            blink_off = self._blink_off and d.unacked
            if state is ElementState.BAD:
                text = self._bad
            elif value is None:
                text = NO_VALUE
            else:
                text = fmt_number(0.0 if round(value, d.decimals) == 0 else value, d.decimals)  # no "-0.0"
            for item in d.values:
                touched += item.set(text, style, blink_off)
        if d.levels:
            for level, b in d.levels:
                touched += level.set(b.level_fraction(value), state)
        if d.running:
            for run, b in d.running:
                touched += run.set(is_running(r, b.running_above))
        if changed_state and d.frames:
            for frame in d.frames:
                touched += frame.set_state(eui, state, d.unacked)
        return touched

    def set_mill_status(self, status: MillStatus | str) -> None:
        if self.status_item is None:
            return
        try:
            st = MillStatus(status)
        except ValueError:
            self.status_item.set(str(status), "muted")
            return
        self.status_item.set(MILL_STATUS[st], MILL_STATUS_LOOK[st])

    def set_estop_state(self, text: str, *, alarming: bool = False, latched: bool = False) -> None:
        if self.estop_item is not None:
            self.estop_item.set(text, "alarm" if alarming else "latched" if latched else "normal")

    # -- hover and click ------------------------------------------------------------------------------------

    def overlay_at(self, pos: QPointF) -> Overlay | None:
        """The topmost overlay under a viewport position (links, then displays, then frames)."""
        at = self.mapToScene(pos.toPoint())
        best: Overlay | None = None
        frame: FrameItem | None = None
        for item in self._overlays:  # frames are hidden while normal: not in the scene's own hit test
            if not item.rect.adjusted(-2, -2, 2, 2).contains(at):
                continue
            if isinstance(item, LinkItem):
                return item
            if isinstance(item, FrameItem):
                if frame is None or item.rect.width() * item.rect.height() < frame.rect.width() * frame.rect.height():
                    frame = item  # the innermost frame
            elif best is None or item.zValue() >= best.zValue():
                best = item
        return best or frame

    def tooltip_for(self, item: Overlay) -> str:
        """The hover card's text (rich text), in the user's language."""
        if isinstance(item, LinkItem):
            return self.tr("Open {target}").format(target=item.label or item.target)
        if not item.eui or item.eui not in self._displays:
            return ""
        d = self._displays[item.eui]
        s, r = d.sensor, d.reading
        lines = [f"<b>{s.name}</b> &nbsp;<span style='color:#5b6167'>{s.location}</span>"]
        lines.append(self.tr("Value: <b>{value}</b>").format(value=value_text(s, None if r is None else r.value)))
        state = ELEMENT_STATE_LABELS[d.state]
        if r is None:
            lines.append(self.tr("Quality: {quality} · State: {state}").format(quality=NO_VALUE, state=state))
        else:
            lines.append(self.tr("Quality: {quality} · {age} ago · State: {state}").format(
                quality=word(r.quality), age=age_text(self.now() - r.ts), state=state))
        for a in sorted((a for a in self._alarms.values() if a.key.source == item.eui and a.announced),
                        key=lambda a: -PRIORITY_RANK[a.priority]):
            ack = self.tr("unacknowledged") if a.unacked else self.tr("acknowledged")
            lines.append(self.tr("Alarm: <b>{kind}</b> · {priority} · {acknowledged}").format(
                kind=word(a.kind), priority=word(a.priority), acknowledged=ack))
        th = s.thresholds.as_dict()
        if th:
            names = {"critical_min": "LL", "warning_min": "L", "warning_max": "H", "critical_max": "HH"}  # ISA
            parts = [f"{names[k]} {number_text(s, v)}" for k, v in sorted(th.items(), key=lambda kv: kv[1])]
            lines.append(self.tr("Limits ({unit}): {limits}").format(unit=s.display_unit, limits=" · ".join(parts)))
        if isinstance(item, FrameItem) and len(item.euis) > 1:
            others = [self._sensors[e].name for e in item.euis if e != item.eui]
            lines.append(self.tr("Also: {sensors}").format(sensors=", ".join(others)))
        lines.append("<span style='color:#5b6167'>{}</span>".format(
            self.tr("{eui} · click for the faceplate").format(eui=s.eui)))
        return "<br>".join(lines)

    def viewportEvent(self, event: QEvent) -> bool:
        """The tooltip request (mouse resting): show the hover card for what is under the mouse."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            item = self.overlay_at(QPointF(event.pos()))
            text = self.tooltip_for(item) if item is not None else ""
            if text:
                self.show_card(text, event.pos())
            else:
                self.hover_card.hide()
            return True
        if event.type() == QEvent.Type.Leave:
            self.hover_card.hide()
        return super().viewportEvent(event)

    def show_card(self, text: str, pos: QPoint) -> None:
        """The hover card: a tooltip inside the view (a child label, so no separate window)."""
        card = self.hover_card
        card.setText(text)
        card.adjustSize()
        area = self.viewport().rect()
        x = min(pos.x() + 16, area.right() - card.width() - 4)
        y = pos.y() + 18 if pos.y() + 18 + card.height() < area.bottom() else pos.y() - card.height() - 8
        card.move(max(x, 4), max(y, 4))
        card.show()
        card.raise_()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            item = self.overlay_at(event.position())
            eui = item.eui if item is not None and not isinstance(item, LinkItem) else ""
            if eui != self._hovered:
                self._hovered = eui
                self.hover_card.hide()
                if eui:
                    self.sensorHovered.emit(eui)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        super().mouseReleaseEvent(event)
        event.accept()
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if (event.position() - press).manhattanLength() > CLICK_SLOP:
            return  # a drag (pan), not a click
        item = self.overlay_at(event.position())
        if isinstance(item, LinkItem):
            self.linkActivated.emit(item.target)
        elif item is not None and item.eui:
            self.sensorActivated.emit(item.eui)

    # -- zoom and pan ----------------------------------------------------------------------------------------

    def zoom_to_fit(self) -> None:
        self._fit = True
        rect = self.scene().sceneRect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def zoom_by(self, factor: float) -> None:
        current = self.transform().m11()
        factor = min(max(current * factor, MIN_SCALE), MAX_SCALE) / current
        self._fit = False
        self.scale(factor, factor)

    def zoom_level(self) -> float:
        return self.transform().m11()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(math.pow(1.15, steps))
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit:
            self.zoom_to_fit()
