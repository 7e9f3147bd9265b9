"""The alarm banner: a fixed strip at the top of every screen.

Left, a chip per priority counting the announced alarms (ISA-101 colours; grey at zero). Middle, the
most important unacknowledged alarms, one per line (time, mill and source, condition, value, "1st"
for a mill's first-out alarm); a mill in an alarm flood is one grouped line instead of its many
alarms. Right, Acknowledge (the top alarm), Ack all visible, Silence (stops the horn, acknowledges
nothing) and the way to the alarm list.

Unacknowledged alarms blink at 1 Hz: a timer toggles the `look` property ("filled" / "outlined") of
the chips and line tags concerned; the widgets are made once and never recreated. The timer runs only
while an unacknowledged alarm is announced. With no alarms the banner is calm and grey.

The line's "what" (mill and source) is what an operator must read first, so it keeps room on a narrow
window (a 1024 px panel PC): the banner goes compact when the roomy layout would leave it less than
`ROOMY_WHAT` px: short priority names on the chips (the full one in their tooltip), buttons as wide as
their words, the line's columns as wide as their texts and the time without seconds; if "what" would
still get less than `WHAT_ROOM` px, the time column goes (it stays in the line's tooltip). Fonts,
colours, blinking and the "1st" mark are the same in every layout.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontMetrics, QMouseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hmi.core.alarms import Alarm, AlarmKey, AlarmState
from hmi.core.domain import Severity
from hmi.ui.alarm_list import PRIORITY_SHORT, AlarmList, AlarmTexts, Flood, first_out_text, importance
from hmi.ui.domain_words import SEVERITY
from hmi.ui.elided_label import ElidedLabel
from hmi.ui.i18n import TrMap, fmt_int
from hmi.ui.theme import set_properties

BANNER_HEIGHT = 112
LINE_HEIGHT = 30
MAX_LINES = 3
BLINK_MS = 500  # half a period: 1 Hz
CHIP_PRIORITIES = (Severity.EMERGENCY, Severity.CRITICAL, Severity.WARNING)
CHIP_NAMES = TrMap("AlarmBanner", {  # capitals, on a chip about 100 px wide
    Severity.EMERGENCY: QT_TRANSLATE_NOOP("AlarmBanner", "EMERGENCY"),
    Severity.CRITICAL: QT_TRANSLATE_NOOP("AlarmBanner", "CRITICAL"),
    Severity.WARNING: QT_TRANSLATE_NOOP("AlarmBanner", "WARNING"),
})
CHIP_SIZE = (156, 28)  # the least: wider when a language's priority names need it
TAG_WIDTH = 62  # the least width of a line's priority tag
BUTTON_SIZE = (136, 40)
BUTTON_AIR = 26  # a compact button's width beyond its words: padding, border and a little air (the .qss)
TIME_WIDTH, KIND_WIDTH, VALUE_WIDTH, MARK_WIDTH = 70, 130, 116, 36  # the roomy line's least column widths
ROOMY_WHAT = 240  # px of "what" (mill · source) below which the banner goes compact
WHAT_ROOM = 200  # px of "what" below which the compact line drops its time column
ROOMY, COMPACT, NO_TIME = "roomy", "compact", "no time"  # the banner's layouts, roomiest first
SPACING = {ROOMY: (14, 14, 8), COMPACT: (10, 10, 6), NO_TIME: (10, 10, 6)}  # margin, between parts, in a line
LINE_STATE = TrMap("AlarmBanner", {  # the condition of an unacknowledged alarm no longer active
    AlarmState.UNACK_RTN: QT_TRANSLATE_NOOP("AlarmBanner", "{condition} \u00b7 cleared"),
    AlarmState.LATCHED_UNACK: QT_TRANSLATE_NOOP("AlarmBanner", "{condition} \u00b7 latched"),
})

NOTE_TEXTS = TrMap("AlarmBanner", {  # counts not on the chips (AlarmList.hidden_counts keys, and "info")
    "info": QT_TRANSLATE_NOOP("AlarmBanner", "{n} info"),
    "shelved": QT_TRANSLATE_NOOP("AlarmBanner", "{n} shelved"),
    "suppressed": QT_TRANSLATE_NOOP("AlarmBanner", "{n} suppressed"),
    "out of service": QT_TRANSLATE_NOOP("AlarmBanner", "{n} out of service"),
})


def _label(name: str, parent: QWidget, width: int | None = None, align: Qt.AlignmentFlag | None = None) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    if width is not None:
        label.setFixedWidth(width)
    label.setAlignment((align or Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter)
    return label


def _set_width(label: QLabel, width: int) -> None:
    """A fixed width that the label's size hint follows: QLabel keeps the hint it computed (at least its
    old minimum width) until its text or look changes, and re-setting the indent drops it."""
    if label.minimumWidth() != width or label.maximumWidth() != width:
        label.setFixedWidth(width)
        label.setIndent(label.indent())


def _retain_size(w: QWidget, retain: bool) -> None:
    policy = w.sizePolicy()
    if policy.retainSizeWhenHidden() != retain:
        policy.setRetainSizeWhenHidden(retain)
        w.setSizePolicy(policy)


class PriorityChip(QFrame):
    """The count of one priority's announced alarms."""

    def __init__(self, priority: Severity, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("priorityChip")
        self.priority = priority
        self.setProperty("priority", priority.value)
        self.setProperty("look", "idle")
        self.setFixedSize(*CHIP_SIZE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 8, 0)
        layout.setSpacing(10)
        self._layout = layout
        self.count = _label("chipCount", self, 40, Qt.AlignmentFlag.AlignRight)
        self.name = _label("chipName", self)
        self.name.setText(CHIP_NAMES[priority])
        layout.addWidget(self.count)
        layout.addWidget(self.name, 1)
        self.set_count(0, 0, True)

    def needed_width(self, text: str | None = None) -> int:
        """The width that shows the count and the whole name (or `text`), in the font the style sheet
        gives it."""
        self.name.ensurePolished()
        m = self._layout.contentsMargins()
        name = QFontMetrics(self.name.font()).horizontalAdvance(self.name.text() if text is None else text)
        return m.left() + m.right() + self.count.width() + self._layout.spacing() + name + 8  # + the border

    def set_short(self, short: bool) -> None:
        """The priority's short name ("CRIT") on a narrow banner, its full name otherwise (and in the
        tooltip, always)."""
        self.name.setText(PRIORITY_SHORT[self.priority] if short else CHIP_NAMES[self.priority])

    def set_count(self, total: int, unacked: int, blink_on: bool) -> None:
        self.count.setText(fmt_int(total))
        look = "idle" if total == 0 else ("outlined" if unacked and not blink_on else "filled")
        set_properties(self, deep=True, look=look)
        self.setToolTip(
            self.tr("{total} {priority} alarm(s), {unacked} unacknowledged").format(
                total=total, priority=SEVERITY[self.priority].lower(), unacked=unacked
            )
        )


@dataclass(frozen=True, slots=True)
class BannerItem:
    """What one banner line shows: one alarm, or a mill's flood group."""

    alarm: Alarm
    flood: Flood | None = None

    @property
    def unacked_keys(self) -> list[AlarmKey]:
        if self.flood is not None:
            return [a.key for a in self.flood.members if a.unacked]
        return [self.alarm.key] if self.alarm.unacked else []


class BannerLine(QFrame):
    """One alarm (or flood group) on one line; clicking it opens the alarm list."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bannerLine")
        self.setFixedHeight(LINE_HEIGHT)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.tag = _label("lineTag", self, TAG_WIDTH, Qt.AlignmentFlag.AlignHCenter)
        self.tag.setProperty("look", "filled")
        self.tag.setProperty("priority", "info")
        self.time = _label("lineTime", self, TIME_WIDTH)
        self.what = ElidedLabel("", self, name="lineWhat", room=40)  # the banner makes its room (_fit)
        self.kind = _label("lineKind", self, KIND_WIDTH)
        self.value = _label("lineValue", self, VALUE_WIDTH, Qt.AlignmentFlag.AlignRight)
        self.mark = _label("lineMark", self, MARK_WIDTH, Qt.AlignmentFlag.AlignHCenter)
        self.when: float | None = None  # the time the line shows (raised, or the flood's start)
        self.seconds = True  # the time with its seconds (not on a narrow banner)

        self.mark.setText(self.tr("1st"))
        self.mark.setToolTip(first_out_text())
        for w in (self.tag, self.time):
            layout.addWidget(w)
        layout.addWidget(self.what, 1)
        for w in (self.kind, self.value, self.mark):
            layout.addWidget(w)
        self.item: BannerItem | None = None

    def show_item(self, item: BannerItem, texts: AlarmTexts, blink_on: bool) -> None:
        self.item = item
        a = item.alarm
        flood = item.flood
        if flood is not None:
            self.tag.setText(self.flood_tag())
            self.when = flood.since if flood.since is not None else a.raised_at
            self.time.setText(texts.time(self.when, seconds=self.seconds))
            first = next((m for m in flood.members if m.first_out), None)
            args = {
                "mill": texts.mill_name(flood.mill), "n": flood.recent, "minutes": flood.window_min,
                "unacked": flood.unacked,
            }
            if first is not None:
                text = self.tr(
                    "{mill}: {n} alarms in {minutes} min \u00b7 {unacked} unacked \u00b7 1st out {source} {condition}"
                ).format(source=texts.source_name(first.key), condition=texts.condition(first), **args)
            else:
                text = self.tr("{mill}: {n} alarms in {minutes} min \u00b7 {unacked} unacked").format(**args)
            self.what.setText(text)
            for w in (self.kind, self.value, self.mark):  # the flood's sentence takes the whole line
                _retain_size(w, False)
                w.hide()
        else:
            self.tag.setText(PRIORITY_SHORT[a.priority])
            self.when = a.raised_at
            self.time.setText(texts.time(self.when, seconds=self.seconds))
            self.what.setText(texts.where(a.key))
            condition = texts.condition(a)
            self.kind.setText(LINE_STATE[a.state].format(condition=condition) if a.state in LINE_STATE else condition)
            self.value.setText(texts.value(a))
            for w in (self.kind, self.value, self.mark):  # columns line up from one line to the next
                _retain_size(w, True)
            self.kind.show()
            self.value.setVisible(bool(self.value.text()))
            self.mark.setVisible(a.first_out)
        tip = texts.tooltip(a)
        if flood is not None:
            first = next((m for m in flood.members if m.first_out), None)
            lines = [
                self.tr("Alarm flood of {mill}: {n} alarms grouped").format(
                    mill=texts.mill_name(flood.mill), n=len(flood.members)
                )
            ]
            if first is not None:
                lines.append(self.tr("First out: {alarm}").format(alarm=texts.one_line(first)))
            tip = "\n".join([*lines, tip])
        self.setToolTip(tip)
        self.set_blink(blink_on)
        set_properties(self.tag, priority=a.priority.value)
        set_properties(self, deep=False, flood="true" if flood is not None else "false")

    def flood_tag(self) -> str:
        """The tag of a flood group's line."""
        return self.tr("FLOOD")

    def set_blink(self, blink_on: bool) -> None:
        unacked = self.item is not None and bool(self.item.unacked_keys)
        set_properties(self.tag, look="outlined" if unacked and not blink_on else "filled")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class AlarmBanner(QFrame):
    acknowledgeRequested = Signal(object)  # list[AlarmKey]
    silenceRequested = Signal()
    showAlarmsRequested = Signal()
    blinkChanged = Signal(bool)  # the blink phase ("on": filled), for other views of the same alarms
    noteChanged = Signal(str)  # "1 info · 2 shelved · 1 suppressed": counts not on the chips

    def __init__(
        self,
        alarms: AlarmList,
        texts: AlarmTexts,
        *,
        now: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alarmBanner")
        self.setProperty("calm", "true")
        self.setFixedHeight(BANNER_HEIGHT)
        self.alarms = alarms
        self.texts = texts
        self._now = now
        self._blink_on = True
        self._items: list[BannerItem] = []  # every unacknowledged item, most important first
        self._shown: list[BannerItem] = []  # those on the lines
        self._sounding = False
        self._actions_enabled = True
        self._note = ""
        self._mode = ROOMY
        self._fitting = False

        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(14)
        layout.addLayout(self._build_counts())
        layout.addWidget(self._divider())
        layout.addLayout(self._build_lines(), 1)
        layout.addWidget(self._divider())
        layout.addLayout(self._build_buttons())

        self._blink = QTimer(self)
        self._blink.setInterval(BLINK_MS)
        self._blink.timeout.connect(self._on_blink)
        self.refresh()

    # -- construction ------------------------------------------------------------------------------

    def _divider(self) -> QFrame:
        d = QFrame(self)
        d.setObjectName("bannerDivider")
        d.setFrameShape(QFrame.Shape.VLine)
        d.setFixedWidth(1)
        return d

    def showEvent(self, event: QShowEvent) -> None:
        self._fit_words()
        self._fit()
        super().showEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    @property
    def layout_mode(self) -> str:
        """ROOMY, COMPACT or NO_TIME: how the banner fits its width (see the module's doc)."""
        return self._mode

    def _fit_words(self) -> None:
        """Line tags as wide as their longest word in the user's language (in the font the style sheet
        gives them), never narrower than the design. (The chips' and buttons' widths depend on the
        banner's width too: `_fit`.)"""
        tags = [line.tag for line in self.lines]
        if tags:
            tags[0].ensurePolished()
            fm = QFontMetrics(tags[0].font())
            words = max(fm.horizontalAdvance(t) for t in [*PRIORITY_SHORT.values(), self.lines[0].flood_tag()])
            width = max(TAG_WIDTH, words + 10)  # the border and a little air
            for tag in tags:
                tag.setFixedWidth(width)

    def _chip_width(self, mode: str) -> int:
        chips = list(self.chips.values())
        if mode == ROOMY:
            return max([CHIP_SIZE[0], *(c.needed_width(CHIP_NAMES[c.priority]) for c in chips)])
        return max(c.needed_width(PRIORITY_SHORT[c.priority]) for c in chips)

    def _button_width(self, mode: str) -> int:
        """Roomy: the design's width. Compact: as wide as the longest of the buttons' words (in bold:
        Acknowledge is, and Silence while the horn sounds), never wider than the design."""
        if mode == ROOMY:
            return BUTTON_SIZE[0]
        texts = [self.tr("Acknowledge"), self.tr("Ack all visible"), self.tr("Silence"), self.tr("Horn silent"),
                 self.tr("Alarm list \u25b8")]
        self.ack_button.ensurePolished()
        font = self.ack_button.font()
        font.setBold(True)
        words = max(QFontMetrics(font).horizontalAdvance(t) for t in texts)
        return min(BUTTON_SIZE[0], words + BUTTON_AIR)

    def _columns(self, mode: str) -> dict[str, int]:
        """The lines' column widths in `mode`: each as wide as its widest text on the lines shown (the
        columns line up from one line to the next), never narrower than the roomy design in ROOMY."""
        lines = [line for line in self.lines if line.item is not None]
        first = self.lines[0]
        for label in (first.time, first.kind, first.value):
            label.ensurePolished()

        def widest(label: QLabel, texts: list[str], floor: int) -> int:
            fm = QFontMetrics(label.font())
            return max([floor, *(fm.horizontalAdvance(t) + 4 for t in texts)])

        roomy = mode == ROOMY
        times = [self.texts.time(line.when, seconds=roomy) for line in lines if line.when is not None]
        plain = [line for line in lines if line.item is not None and line.item.flood is None]
        return {
            "time": 0 if mode == NO_TIME else widest(first.time, times, TIME_WIDTH if roomy else 0),
            "kind": widest(first.kind, [line.kind.text() for line in plain], KIND_WIDTH if roomy else 0),
            "value": widest(first.value, [line.value.text() for line in plain], VALUE_WIDTH if roomy else 0),
        }

    def _what_room(self, mode: str) -> int:
        """The width a line's "what" gets in `mode`, at the banner's width."""
        margin, between, in_line = SPACING[mode]
        outer = 2 * margin + 4 * between + 2  # + the two dividers
        grid = self._buttons.horizontalSpacing()
        fixed = outer + self._chip_width(mode) + 2 * self._button_width(mode) + grid
        columns = self._columns(mode)
        shown = [w for w in columns.values() if w] + [self.lines[0].tag.width(), MARK_WIDTH]
        return self.width() - fixed - sum(shown) - in_line * len(shown)

    def _fit(self) -> None:
        """The roomiest layout that leaves the lines' "what" enough room at the banner's width."""
        if self._fitting:
            return
        mode = NO_TIME
        if self._what_room(ROOMY) >= ROOMY_WHAT:
            mode = ROOMY
        elif self._what_room(COMPACT) >= WHAT_ROOM:
            mode = COMPACT
        self._fitting = True
        try:
            self._apply_mode(mode)
        finally:
            self._fitting = False

    def _apply_mode(self, mode: str) -> None:
        self._mode = mode
        margin, between, in_line = SPACING[mode]
        layout = self.layout()
        layout.setContentsMargins(margin, 8, margin, 8)
        layout.setSpacing(between)
        chip_width = self._chip_width(mode)
        for chip in self.chips.values():
            chip.set_short(mode != ROOMY)
            chip.setFixedWidth(chip_width)
        button_width = self._button_width(mode)
        for b in (self.ack_button, self.silence_button, self.ack_all_button, self.list_button):
            b.setFixedWidth(button_width)
        columns = self._columns(mode)
        seconds = mode == ROOMY
        for line in self.lines:
            line_layout = line.layout()
            line_layout.setSpacing(in_line)
            if line.seconds != seconds:
                line.seconds = seconds
                if line.when is not None:
                    line.time.setText(self.texts.time(line.when, seconds=seconds))
            line.time.setVisible(mode != NO_TIME)
            if mode != NO_TIME:
                _set_width(line.time, columns["time"])
            _set_width(line.kind, columns["kind"])
            _set_width(line.value, columns["value"])

    def _build_counts(self) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setSpacing(3)
        self.chips = {p: PriorityChip(p, self) for p in CHIP_PRIORITIES}
        for chip in self.chips.values():
            box.addWidget(chip)
        box.addStretch(1)
        return box

    def _build_lines(self) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setSpacing(3)
        self.idle = _label("bannerIdle", self)
        self.idle.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.lines = [BannerLine(self) for _ in range(MAX_LINES)]
        for line in self.lines:
            line.clicked.connect(self.showAlarmsRequested)
            box.addWidget(line)
        self.more = _label("bannerMore", self)
        self.more.setFixedHeight(LINE_HEIGHT - 6)
        box.addWidget(self.idle, 1)
        box.addWidget(self.more)
        box.addStretch(1)
        return box

    def _build_buttons(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(6)
        self._buttons = grid

        def button(name: str, text: str, tip: str) -> QPushButton:
            b = QPushButton(text, self)
            b.setObjectName(name)
            b.setToolTip(tip)
            b.setFixedSize(*BUTTON_SIZE)
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            return b

        self.ack_button = button("ackButton", self.tr("Acknowledge"), self.tr("Acknowledge the top alarm"))
        self.ack_all_button = button(
            "ackAllButton", self.tr("Ack all visible"), self.tr("Acknowledge every alarm in the banner")
        )
        self.silence_button = button(
            "silenceButton", self.tr("Silence"), self.tr("Stop the horn (acknowledges nothing)")
        )
        self.list_button = button("alarmListButton", self.tr("Alarm list \u25b8"), self.tr("Open the alarm summary"))
        self.silence_button.setProperty("sounding", "false")
        grid.addWidget(self.ack_button, 0, 0)
        grid.addWidget(self.silence_button, 0, 1)
        grid.addWidget(self.ack_all_button, 1, 0)
        grid.addWidget(self.list_button, 1, 1)
        self.ack_button.clicked.connect(self._on_ack)
        self.ack_all_button.clicked.connect(self._on_ack_all)
        self.silence_button.clicked.connect(self.silenceRequested)
        self.list_button.clicked.connect(self.showAlarmsRequested)
        return grid

    # -- state -------------------------------------------------------------------------------------

    @property
    def blinking(self) -> bool:
        return self._blink.isActive()

    def top_key(self) -> AlarmKey | None:
        """The most important unacknowledged alarm shown (a flood line's top member)."""
        for item in self._shown:
            keys = item.unacked_keys
            if keys:
                return keys[0]
        return None

    def visible_keys(self) -> list[AlarmKey]:
        """The unacknowledged alarms the banner shows (a flood line stands for its whole group)."""
        return list(dict.fromkeys(k for item in self._shown for k in item.unacked_keys))

    def items(self) -> list[BannerItem]:
        """The items on the banner's lines."""
        return list(self._shown)

    def set_actions_enabled(self, enabled: bool) -> None:
        """Without an alarm actions service the acknowledge buttons are disabled."""
        self._actions_enabled = enabled
        self.refresh()

    @Slot(bool)
    def set_sounding(self, sounding: bool) -> None:
        self._sounding = sounding
        self.silence_button.setEnabled(sounding)
        self.silence_button.setText(self.tr("Silence") if sounding else self.tr("Horn silent"))
        set_properties(self.silence_button, sounding="true" if sounding else "false")

    @Slot()
    @Slot(object)
    def refresh(self, _updates: object = None) -> None:
        """Re-read the alarm list (after each batch, and once a second for floods and times)."""
        counts = self.alarms.counts()
        unacked = self.alarms.counts(unacked_only=True)
        any_unacked = any(unacked.values())
        self._items = self._make_items()
        shown = self._items if len(self._items) <= MAX_LINES else self._items[: MAX_LINES - 1]
        self._shown = shown

        for p, chip in self.chips.items():
            chip.set_count(counts[p], unacked[p], self._blink_on)
        for line, item in zip(self.lines, shown, strict=False):
            line.show_item(item, self.texts, self._blink_on)
            line.show()
        for line in self.lines[len(shown) :]:
            line.item = None
            line.hide()
        extra = len(self._items) - len(shown)
        more = self.tr("+ {n} more unacknowledged \u2014 open the alarm list").format(n=extra) if extra else ""
        self.more.setText(more)
        self.more.setVisible(bool(extra))

        announced = sum(counts.values())
        if not announced:
            self.idle.setText(self.tr("No active alarms"))
        elif not shown:
            self.idle.setText(self.tr("All alarms acknowledged \u00b7 {n} still active").format(n=announced))
        self.idle.setVisible(not shown)
        hidden = [NOTE_TEXTS[what].format(n=n) for what, n in self.alarms.hidden_counts().items() if n]
        if counts[Severity.INFO]:
            hidden.insert(0, NOTE_TEXTS["info"].format(n=counts[Severity.INFO]))
        note = " \u00b7 ".join(hidden)
        if note != self._note:
            self._note = note
            self.noteChanged.emit(note)
        set_properties(self, calm="false" if announced else "true")
        self._fit()  # the columns follow the texts shown

        self.ack_button.setEnabled(self._actions_enabled and bool(shown))
        self.ack_all_button.setEnabled(self._actions_enabled and bool(shown))
        self.set_sounding(self._sounding)
        if any_unacked and not self._blink.isActive():
            self._blink.start()
        elif not any_unacked and self._blink.isActive():
            self._blink.stop()
            self._blink_on = True
            self._apply_blink()
            self.blinkChanged.emit(True)

    def _make_items(self) -> list[BannerItem]:
        floods = {f.mill: f for f in self.alarms.floods(self._now()) if f.unacked}
        items: list[BannerItem] = []
        grouped = False
        for a in self.alarms.ordered(announced_only=True):
            if not a.unacked:
                break  # ordered: the unacknowledged come first
            flood = floods.get(a.mill)
            if flood is not None and any(m.key == a.key for m in flood.members):
                if not any(i.flood is flood for i in items):
                    items.append(BannerItem(flood.top or a, flood))
                    grouped = True
                continue
            items.append(BannerItem(a))
        if grouped:
            items.sort(key=lambda i: importance(i.alarm))
        return items

    # -- events ------------------------------------------------------------------------------------

    @Slot()
    def _on_blink(self) -> None:
        self._blink_on = not self._blink_on
        self._apply_blink()
        self.blinkChanged.emit(self._blink_on)

    def _apply_blink(self) -> None:
        counts = self.alarms.counts()
        unacked = self.alarms.counts(unacked_only=True)
        for p, chip in self.chips.items():
            chip.set_count(counts[p], unacked[p], self._blink_on)
        for line in self.lines:
            if line.item is not None:
                line.set_blink(self._blink_on)

    @Slot()
    def _on_ack(self) -> None:
        key = self.top_key()
        if key is not None:
            self.acknowledgeRequested.emit([key])

    @Slot()
    def _on_ack_all(self) -> None:
        keys = self.visible_keys()
        if keys:
            self.acknowledgeRequested.emit(keys)
