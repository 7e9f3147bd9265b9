"""One mill on the overview: a painted tile readable from two metres.

What it shows, top to bottom: name and status, location; today's production efficiency as a number
and a bar (production / capacity); four counts (sensors in alarm, bad quality, stale, and alerts not
acknowledged in the last 24 h); the e-stop state when there is one to tell. ISA-101: everything grey
while normal; colour only where something is abnormal (a count above zero in the alarm colours, a
mill in error, an e-stop that did not confirm). A click, Enter or Space emits `activated(slug)`.

Painted rather than built from labels: twenty tiles refreshed at the bridge rate then cost twenty
cheap repaints of what changed, and no stylesheet re-polish.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QEnterEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from hmi.core.domain import Mill, MillStatus, Severity
from hmi.ui.i18n import fmt_number, translate
from hmi.ui.sensor_board import MILL_STATUS_LABELS, NO_VALUE, MillSummary, SensorState
from hmi.ui.theme import AlarmPalette, PriorityPalette, tabular, theme_colour, theme_manager

TILE_MIN_WIDTH = 330
TILE_MAX_WIDTH = 620
TILE_HEIGHT = 262

# The light theme's neutrals (resources/styles/light.qss header): grey is normal. Read again on a
# theme switch (hmi/ui/theme.py translates them for the dark theme; fills and text differently).
_NEUTRALS = {  # name: (light-theme colour, is a fill)
    "BASE": ("#f0f0f0", True),
    "HOVER": ("#f7f7f7", True),
    "LINE": ("#b4b4b4", False),
    "FOCUS": ("#353a40", False),
    "TEXT": ("#1f2327", False),
    "MUTED": ("#5b6167", False),
    "FAINT": ("#9aa0a6", False),
    "TRACK": ("#d6d6d6", True),
    "BAR": ("#5b6167", True),
    "STRIPE": ("#c4c4c4", True),
}
BASE, HOVER, LINE, FOCUS, TEXT, MUTED, FAINT, TRACK, BAR, STRIPE = (QColor(h) for h, _ in _NEUTRALS.values())


def _load_colours(_theme: str = "") -> None:
    global BASE, HOVER, LINE, FOCUS, TEXT, MUTED, FAINT, TRACK, BAR, STRIPE
    BASE, HOVER, LINE, FOCUS, TEXT, MUTED, FAINT, TRACK, BAR, STRIPE = (
        theme_colour(h, background=fill) for h, fill in _NEUTRALS.values()
    )


def _tc(light: str, fill: bool = False) -> QColor:
    """A light-theme colour in the active theme."""
    return theme_colour(light, background=fill)


_load_colours()
theme_manager().themeChanged.connect(_load_colours)


@dataclass(frozen=True, slots=True)
class TileData:
    """Everything a tile shows. Database figures are None until the first refresh (or when unknown)."""

    slug: str
    name: str
    location: str = ""
    status: MillStatus = MillStatus.ACTIVE
    capacity: float = 0.0
    produced_today: float | None = None
    efficiency_today: float | None = None
    unacked_alerts_24h: int | None = None
    sensors: int = 0
    in_alarm: int = 0
    bad: int = 0
    stale: int = 0
    worst: SensorState = SensorState.NORMAL
    estop_text: str = ""
    estop_alarm: bool = False

    @staticmethod
    def of(mill: Mill) -> TileData:
        return TileData(mill.slug, mill.name, mill.location, mill.status, mill.capacity, sensors=len(mill.sensors))

    def with_live(self, summary: MillSummary) -> TileData:
        return replace(self, sensors=summary.sensor_count, in_alarm=summary.alarm_count, bad=summary.bad_count,
                       stale=summary.stale_count, worst=summary.worst)

    @property
    def abnormal(self) -> bool:
        return bool(self.in_alarm or self.bad or self.status is MillStatus.ERROR or self.estop_alarm)

    @property
    def efficiency_text(self) -> str:
        """Today's efficiency in percent, in the user's locale ("75 %"); a dash when unknown."""
        return NO_VALUE if self.efficiency_today is None else f"{fmt_number(self.efficiency_today * 100, 0)} %"

    def describe(self) -> str:
        """One line for tooltips and screen readers, in the user's language."""
        alerts = translate("OverviewTile", "unknown") if self.unacked_alerts_24h is None \
            else str(self.unacked_alerts_24h)
        parts = [f"{self.name}: {MILL_STATUS_LABELS[self.status]}",
                 translate("OverviewTile", "efficiency today {efficiency}").format(efficiency=self.efficiency_text),
                 translate("OverviewTile", "{alarm} in alarm, {bad} bad, {stale} stale").format(
                     alarm=self.in_alarm, bad=self.bad, stale=self.stale),
                 translate("OverviewTile", "{alerts} unacknowledged alerts in 24 h").format(alerts=alerts)]
        if self.estop_text:
            parts.append(translate("OverviewTile", "e-stop: {state}").format(state=self.estop_text))
        return "; ".join(parts)


def _font(base: QFont, points: float, bold: bool = False) -> QFont:
    f = QFont(base)
    f.setPointSizeF(points)
    f.setWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    return f


class OverviewTile(QWidget):
    activated = Signal(str)  # slug

    def __init__(self, data: TileData, palette: AlarmPalette, priorities: PriorityPalette,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewTile")
        self.data = data
        self.palette_ = palette
        self.priorities = priorities
        self._hover = False
        self.paints = 0  # repaints done (the benchmark reads it)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumSize(TILE_MIN_WIDTH, TILE_HEIGHT)
        self.setMaximumWidth(TILE_MAX_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._describe()

    @property
    def slug(self) -> str:
        return self.data.slug

    def set_data(self, data: TileData) -> bool:
        """Show `data`; repaint only when something shown changed. Returns whether it did."""
        if data == self.data:
            return False
        self.data = data
        self._describe()
        self.update()
        return True

    def _describe(self) -> None:
        text = self.data.describe()
        self.setToolTip(text + "\n" + self.tr("Click or press Enter to open the mill."))
        self.setAccessibleName(self.data.name)
        self.setAccessibleDescription(text)

    def sizeHint(self) -> QSize:
        return QSize(TILE_MAX_WIDTH, TILE_HEIGHT)  # as wide as allowed; the grid's cell bounds it

    # -- input -----------------------------------------------------------------------------------

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.activated.emit(self.data.slug)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.data.slug)
            event.accept()
            return
        super().keyPressEvent(event)

    def enterEvent(self, event: QEnterEvent) -> None:
        self._hover = True
        self.update()
        super().enterEvent(event)

    def leaveEvent(self, event: object) -> None:
        self._hover = False
        self.update()
        super().leaveEvent(event)  # type: ignore[arg-type]

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    # -- painting --------------------------------------------------------------------------------

    def _status_colours(self) -> tuple[QColor, QColor] | None:
        """(fill, text) of the status chip; None: drawn as a grey outline (normal)."""
        status = self.data.status
        if status is MillStatus.ERROR:
            s = self.priorities[Severity.CRITICAL]
            return s.fill, s.text
        if status is MillStatus.MAINTENANCE:
            s = self.priorities[Severity.INFO]
            return s.fill, s.text
        if status is MillStatus.OFFLINE:
            return _tc("#6b7075"), _tc("#ffffff")
        return None

    def _stripe(self) -> QColor:
        d = self.data
        if d.estop_alarm or d.status is MillStatus.ERROR:
            return self.priorities[Severity.CRITICAL].fill
        if d.worst.abnormal:
            return self.palette_[d.worst].background or STRIPE
        return STRIPE

    def paintEvent(self, _event: QPaintEvent) -> None:
        self.paints += 1
        d = self.data
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        base = self.font()
        outer = QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
        parent_bg = self.parentWidget().palette().color(self.parentWidget().backgroundRole()) \
            if self.parentWidget() else BASE
        p.fillRect(self.rect(), parent_bg)
        p.setPen(QPen(FOCUS if self.hasFocus() else LINE, 2.5 if self.hasFocus() else 1.0))
        p.setBrush(HOVER if self._hover else BASE)
        p.drawRoundedRect(outer, 5, 5)
        stripe = QRectF(outer.left(), outer.top(), 7, outer.height())
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._stripe())
        p.drawRoundedRect(stripe, 3, 3)
        p.drawRect(stripe.adjusted(3, 0, 0, 0))

        inner = self.rect().adjusted(24, 14, -18, -12)
        y = inner.top()
        # name + status chip
        name_f = _font(base, 16, bold=True)
        chip_f = _font(base, 10, bold=True)
        chip_fm = QFontMetrics(chip_f)
        status = MILL_STATUS_LABELS[d.status].upper()
        chip_w = chip_fm.horizontalAdvance(status) + 20
        chip_h = chip_fm.height() + 8
        name_h = QFontMetrics(name_f).height()
        chip = QRectF(inner.right() - chip_w, y + (name_h - chip_h) / 2, chip_w, chip_h)
        colours = self._status_colours()
        if colours is None:
            p.setPen(QPen(FAINT, 1.2))
            p.setBrush(Qt.BrushStyle.NoBrush)
        else:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colours[0])
        p.drawRoundedRect(chip, 3, 3)
        p.setFont(chip_f)
        p.setPen(MUTED if colours is None else colours[1])
        p.drawText(chip, int(Qt.AlignmentFlag.AlignCenter), status)
        p.setFont(name_f)
        p.setPen(TEXT)
        name_rect = QRect(inner.left(), y, int(chip.left()) - inner.left() - 10, name_h)
        p.drawText(name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                   QFontMetrics(name_f).elidedText(d.name, Qt.TextElideMode.ElideRight, name_rect.width()))
        y += name_h + 2
        small = _font(base, 10.5)
        small_h = QFontMetrics(small).height()
        p.setFont(small)
        p.setPen(MUTED)
        sensors = self.tr("{n} sensor").format(n=d.sensors) if d.sensors == 1 \
            else self.tr("{n} sensors").format(n=d.sensors)
        where = " \u00b7 ".join(x for x in (d.location, sensors) if x)
        p.drawText(QRect(inner.left(), y, inner.width(), small_h), int(Qt.AlignmentFlag.AlignLeft), where)
        y += small_h + 12

        y = self._paint_efficiency(p, inner, y, base)
        self._paint_counts(p, inner, y + 12, base)
        if d.estop_text:
            self._paint_estop(p, base)
        p.end()

    def _paint_efficiency(self, p: QPainter, inner: QRect, y: int, base: QFont) -> int:
        d = self.data
        big = tabular(_font(base, 20, bold=True))
        label_f = _font(base, 10.5)
        big_h = QFontMetrics(big).height()
        eff = d.efficiency_text
        p.setFont(label_f)
        p.setPen(MUTED)
        p.drawText(QRect(inner.left(), y, inner.width() // 2, big_h),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self.tr("Efficiency today"))
        p.setFont(big)
        p.setPen(TEXT)
        p.drawText(QRect(inner.left(), y, inner.width(), big_h),
                   int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), eff)
        y += big_h + 4
        bar = QRectF(inner.left(), y, inner.width(), 10)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(TRACK)
        p.drawRoundedRect(bar, 2, 2)
        if d.efficiency_today is not None and d.efficiency_today > 0:
            frac = min(d.efficiency_today, 1.0)
            p.setBrush(BAR)
            p.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * frac, bar.height()), 2, 2)
        y += 14
        p.setFont(label_f)
        p.setPen(MUTED)
        if d.produced_today is not None:
            detail = self.tr("{produced} t of {capacity} t/day").format(
                produced=fmt_number(d.produced_today, 0), capacity=fmt_number(d.capacity, 0))
        elif d.unacked_alerts_24h is None:
            detail = self.tr("waiting for the database…")
        else:
            detail = self.tr("nothing reported today \u00b7 capacity {capacity} t/day").format(
                capacity=fmt_number(d.capacity, 0))
        detail = QFontMetrics(label_f).elidedText(detail, Qt.TextElideMode.ElideRight, inner.width())
        p.drawText(QRect(inner.left(), y, inner.width(), QFontMetrics(label_f).height()),
                   int(Qt.AlignmentFlag.AlignLeft), detail)
        return y + QFontMetrics(label_f).height()

    def _paint_counts(self, p: QPainter, inner: QRect, y: int, base: QFont) -> None:
        d = self.data
        alarm_style = self.palette_[d.worst if d.worst in (SensorState.WARNING, SensorState.CRITICAL)
                                    else SensorState.WARNING]
        bad_style = self.palette_[SensorState.BAD]
        warn = self.priorities[Severity.WARNING]
        cells: list[tuple[str, str, QColor | None, QColor | None, QColor | None]] = [
            # label, number, fill, text on fill, outline
            (self.tr("In alarm"), str(d.in_alarm), alarm_style.background if d.in_alarm else None,
             alarm_style.foreground if d.in_alarm else None, None),
            (self.tr("Bad"), str(d.bad), bad_style.background if d.bad else None,
             bad_style.foreground if d.bad else None, None),
            (self.tr("Stale"), str(d.stale), None, None, None),
            (self.tr("Alerts 24h"), NO_VALUE if d.unacked_alerts_24h is None else str(d.unacked_alerts_24h), None,
             None, warn.outline if d.unacked_alerts_24h else None),
        ]
        gap = 8
        w = (inner.width() - gap * (len(cells) - 1)) / len(cells)
        num_f = tabular(_font(base, 18, bold=True))
        lab_f = _font(base, 9.5)
        widest = max(QFontMetrics(lab_f).horizontalAdvance(c[0]) for c in cells)
        if widest > w - 6:  # a longer language: the labels get a smaller font, never clipped
            lab_f = _font(base, max(9.5 * (w - 6) / widest, 7.5))
        num_h = QFontMetrics(num_f).height()
        lab_h = QFontMetrics(lab_f).height()
        h = num_h + lab_h + 10
        for i, (label, number, fill, text, outline) in enumerate(cells):
            cell = QRectF(inner.left() + i * (w + gap), y, w, h)
            if fill is not None:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(fill)
            elif outline is not None:
                p.setPen(QPen(outline, 2.0))
                p.setBrush(_tc("#fbf6e6", True))
            else:
                p.setPen(QPen(_tc("#d2d2d2"), 1.0))
                p.setBrush(_tc("#e9e9e9", True))
            p.drawRoundedRect(cell.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
            zero = number in ("0", NO_VALUE)
            colour = text if text is not None else (FAINT if zero else TEXT)
            p.setPen(colour)
            p.setFont(num_f)
            p.drawText(QRectF(cell.left(), cell.top() + 3, cell.width(), num_h),
                       int(Qt.AlignmentFlag.AlignCenter), number)
            p.setFont(lab_f)
            p.setPen(text if text is not None else MUTED)
            p.drawText(QRectF(cell.left(), cell.top() + 3 + num_h, cell.width(), lab_h + 2),
                       int(Qt.AlignmentFlag.AlignCenter), label)

    def _paint_estop(self, p: QPainter, base: QFont) -> None:
        d = self.data
        f = _font(base, 10.5, bold=d.estop_alarm)
        h = QFontMetrics(f).height() + 8
        r = QRectF(self.rect()).adjusted(9, 0, -2.5, -2.5)
        r.setTop(r.bottom() - h)
        if d.estop_alarm:
            s = self.priorities[Severity.CRITICAL]
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(s.fill)
            p.drawRoundedRect(r, 3, 3)
            p.setPen(s.text)
        else:
            p.setPen(QPen(_tc("#d2d2d2"), 1.0))
            p.drawLine(QPointF(r.left() + 14, r.top()), QPointF(r.right() - 14, r.top()))
            p.setPen(MUTED)
        p.setFont(f)
        text = QFontMetrics(f).elidedText(self.tr("E-stop: {state}").format(state=d.estop_text),
                                          Qt.TextElideMode.ElideRight,
                                          int(r.width()) - 28)
        p.drawText(r.adjusted(14, 0, -14, 0), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
