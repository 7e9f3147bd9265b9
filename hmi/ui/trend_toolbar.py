"""The trend screen's toolbar: mode, live window and pause, history range, layout, cursor, saved views
and exports. Widgets only: the screen connects them.

One row when it fits; on a narrow screen (or in a language with longer words) the saved views and
exports go to a second row instead of every control being squeezed and its text clipped."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QLocale, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from hmi.services.trends import LIVE_WINDOWS, PRESETS
from hmi.ui.i18n import TrMap
from hmi.ui.trend_pens import format_general

CONTEXT = "TrendToolbar"
ROW_GAP = 6
LAYOUT_LABELS = TrMap(CONTEXT, {
    "axes": QT_TRANSLATE_NOOP("TrendToolbar", "One axis per unit"),
    "stacked": QT_TRANSLATE_NOOP("TrendToolbar", "Stacked panes"),
})
# The history range presets (hmi.services.trends.PRESETS keys) and the live windows (seconds), as shown.
PRESET_LABELS = TrMap(CONTEXT, {
    "last_hour": QT_TRANSLATE_NOOP("TrendToolbar", "Last hour"),
    "shift": QT_TRANSLATE_NOOP("TrendToolbar", "This shift"),
    "last_24h": QT_TRANSLATE_NOOP("TrendToolbar", "Last 24 h"),
    "last_7d": QT_TRANSLATE_NOOP("TrendToolbar", "Last 7 days"),
    "last_30d": QT_TRANSLATE_NOOP("TrendToolbar", "Last 30 days"),
    "custom": QT_TRANSLATE_NOOP("TrendToolbar", "Custom"),
})
WINDOW_LABELS = TrMap(CONTEXT, {
    60.0: QT_TRANSLATE_NOOP("TrendToolbar", "1 min"),
    300.0: QT_TRANSLATE_NOOP("TrendToolbar", "5 min"),
    900.0: QT_TRANSLATE_NOOP("TrendToolbar", "15 min"),
    3600.0: QT_TRANSLATE_NOOP("TrendToolbar", "1 h"),
    4 * 3600.0: QT_TRANSLATE_NOOP("TrendToolbar", "4 h"),
    8 * 3600.0: QT_TRANSLATE_NOOP("TrendToolbar", "8 h"),
    86400.0: QT_TRANSLATE_NOOP("TrendToolbar", "24 h"),
})


def preset_label(key: str, fallback: str = "") -> str:
    return PRESET_LABELS.get(key, fallback or key)


def window_label(seconds: float, fallback: str = "") -> str:
    return WINDOW_LABELS.get(seconds, fallback or f"{format_general(seconds)} s")


def datetime_format() -> str:
    """Date and time to the minute in the user's locale, with a four-digit year."""
    loc = QLocale()
    date = loc.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in date:
        date = date.replace("yy", "yyyy")
    return f"{date} {loc.timeFormat(QLocale.FormatType.ShortFormat)}"


def _divider(parent: QWidget) -> QFrame:
    d = QFrame(parent)
    d.setObjectName("toolbarDivider")
    d.setFrameShape(QFrame.Shape.VLine)
    return d


class TrendToolbar(QFrame):
    def __init__(self, parent: QWidget | None = None, *, history_available: bool = True) -> None:
        super().__init__(parent)
        bar = self
        self.setObjectName("trendToolbar")
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(8, 6, 8, 6)
        self._box.setSpacing(0)  # one row: the room left over separates the groups; two rows: ROW_GAP
        self._left = QWidget(bar)
        row = QHBoxLayout(self._left)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)

        self.live_button = QToolButton(bar, text=self.tr("Live"), checkable=True)
        self.history_button = QToolButton(bar, text=self.tr("History"), checkable=True)
        self.mode_group = QButtonGroup(self)
        self.mode_group.setExclusive(True)
        self.mode_group.addButton(self.live_button)
        self.mode_group.addButton(self.history_button)
        self.live_button.setChecked(True)
        self.history_button.setEnabled(history_available)
        row.addWidget(self.live_button)
        row.addWidget(self.history_button)
        row.addWidget(_divider(bar))

        # live controls
        self.live_controls = QWidget(bar)
        lc = QHBoxLayout(self.live_controls)
        lc.setContentsMargins(0, 0, 0, 0)
        lc.setSpacing(6)
        lc.addWidget(QLabel(self.tr("Window"), self.live_controls))
        self.window_box = QComboBox(self.live_controls)
        for seconds, label in LIVE_WINDOWS:
            self.window_box.addItem(window_label(seconds, label), seconds)
        self.window_box.setCurrentIndex([s for s, _ in LIVE_WINDOWS].index(3600.0))
        lc.addWidget(self.window_box)
        self.pause_button = QToolButton(self.live_controls, text=self.tr("Pause"), checkable=True)
        self.pause_button.setToolTip(self.tr("Freeze the picture; readings keep being recorded"))
        lc.addWidget(self.pause_button)
        row.addWidget(self.live_controls)

        # history controls
        self.history_controls = QWidget(bar)
        hc = QHBoxLayout(self.history_controls)
        hc.setContentsMargins(0, 0, 0, 0)
        hc.setSpacing(6)
        self.preset_box = QComboBox(self.history_controls)
        for key, label in PRESETS:
            self.preset_box.addItem(preset_label(key, label), key)
        hc.addWidget(self.preset_box)
        self.from_edit = QDateTimeEdit(self.history_controls)
        self.to_edit = QDateTimeEdit(self.history_controls)
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat(datetime_format())
            edit.setCalendarPopup(True)
        hc.addWidget(self.from_edit)
        hc.addWidget(QLabel("\u2013", self.history_controls))
        hc.addWidget(self.to_edit)
        self.apply_button = QPushButton(self.tr("Apply"), self.history_controls)
        hc.addWidget(self.apply_button)
        row.addWidget(self.history_controls)

        row.addWidget(_divider(bar))
        self.layout_box = QComboBox(bar)
        for key, label in LAYOUT_LABELS.items():
            self.layout_box.addItem(label, key)
        row.addWidget(self.layout_box)
        self.cursor_button = QToolButton(bar, text=self.tr("Cursor"), checkable=True)
        self.cursor_button.setToolTip(self.tr("A time cursor: the value of every pen at that time"))
        row.addWidget(self.cursor_button)

        self._right = QWidget(bar)
        row = QHBoxLayout(self._right)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.views_box = QComboBox(bar)
        self.views_box.setMinimumWidth(180)
        self.views_box.setPlaceholderText(self.tr("Saved views"))
        row.addWidget(self.views_box)
        self.views_button = QToolButton(bar, text=self.tr("Views"))
        self.views_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.views_button)
        self.save_action = QAction(self.tr("Save view"), self)
        self.save_as_action = QAction(self.tr("Save view as\u2026"), self)
        self.share_action = QAction(self.tr("Shared with everyone"), self, checkable=True)
        self.delete_action = QAction(self.tr("Delete view"), self)
        for a in (self.save_action, self.save_as_action, self.share_action, self.delete_action):
            menu.addAction(a)
        menu.addSeparator()
        self.retention_action = QAction(self.tr("Data retention\u2026"), self)  # site setting: how long history is kept
        menu.addAction(self.retention_action)
        self.views_button.setMenu(menu)
        row.addWidget(self.views_button)
        self.export_button = QToolButton(bar, text=self.tr("Export"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        emenu = QMenu(self.export_button)
        self.export_csv_action = QAction(self.tr("Visible data to CSV\u2026"), self)
        self.export_png_action = QAction(self.tr("Plot to PNG\u2026"), self)
        emenu.addAction(self.export_csv_action)
        emenu.addAction(self.export_png_action)
        self.export_button.setMenu(emenu)
        row.addWidget(self.export_button)

        # Aligned, not stretched: the room left over goes between the groups (one row) or beside them (two).
        self._box.addWidget(self._left, 0, Qt.AlignmentFlag.AlignLeft)
        self._box.addWidget(self._right, 0, Qt.AlignmentFlag.AlignRight)

    # -- one row or two -----------------------------------------------------------------------------------
    @property
    def rows(self) -> int:
        return 1 if self._box.direction() == QBoxLayout.Direction.LeftToRight else 2

    def _one_row_width(self) -> int:
        m = self._box.contentsMargins()
        return self._left.sizeHint().width() + self._right.sizeHint().width() + m.left() + m.right()

    def _fit(self) -> None:
        wanted = (QBoxLayout.Direction.LeftToRight if self.width() >= self._one_row_width()
                  else QBoxLayout.Direction.TopToBottom)
        if self._box.direction() != wanted:
            self._box.setDirection(wanted)
            self._box.setSpacing(0 if wanted == QBoxLayout.Direction.LeftToRight else ROW_GAP)
            self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        """As narrow as the wider of the two groups: past that the toolbar takes two rows."""
        m = self._box.contentsMargins()
        width = max(self._left.minimumSizeHint().width(), self._right.minimumSizeHint().width())
        return QSize(width + m.left() + m.right(), super().minimumSizeHint().height())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # a control shown, hidden or renamed
            self._fit()
        return handled
