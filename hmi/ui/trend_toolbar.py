"""The trend screen's toolbar: mode, live window and pause, history range, layout, cursor, saved views
and exports. Widgets only: the screen connects them."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
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

LAYOUT_LABELS = (("axes", "One axis per unit"), ("stacked", "Stacked panes"))


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
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.setSpacing(6)

        self.live_button = QToolButton(bar, text="Live", checkable=True)
        self.history_button = QToolButton(bar, text="History", checkable=True)
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
        lc.addWidget(QLabel("Window", self.live_controls))
        self.window_box = QComboBox(self.live_controls)
        for seconds, label in LIVE_WINDOWS:
            self.window_box.addItem(label, seconds)
        self.window_box.setCurrentIndex([s for s, _ in LIVE_WINDOWS].index(3600.0))
        lc.addWidget(self.window_box)
        self.pause_button = QToolButton(self.live_controls, text="Pause", checkable=True)
        self.pause_button.setToolTip("Freeze the picture; readings keep being recorded")
        lc.addWidget(self.pause_button)
        row.addWidget(self.live_controls)

        # history controls
        self.history_controls = QWidget(bar)
        hc = QHBoxLayout(self.history_controls)
        hc.setContentsMargins(0, 0, 0, 0)
        hc.setSpacing(6)
        self.preset_box = QComboBox(self.history_controls)
        for key, label in PRESETS:
            self.preset_box.addItem(label, key)
        hc.addWidget(self.preset_box)
        self.from_edit = QDateTimeEdit(self.history_controls)
        self.to_edit = QDateTimeEdit(self.history_controls)
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
        hc.addWidget(self.from_edit)
        hc.addWidget(QLabel("\u2013", self.history_controls))
        hc.addWidget(self.to_edit)
        self.apply_button = QPushButton("Apply", self.history_controls)
        hc.addWidget(self.apply_button)
        row.addWidget(self.history_controls)

        row.addWidget(_divider(bar))
        self.layout_box = QComboBox(bar)
        for key, label in LAYOUT_LABELS:
            self.layout_box.addItem(label, key)
        row.addWidget(self.layout_box)
        self.cursor_button = QToolButton(bar, text="Cursor", checkable=True)
        self.cursor_button.setToolTip("A time cursor: the value of every pen at that time")
        row.addWidget(self.cursor_button)
        row.addStretch(1)

        self.views_box = QComboBox(bar)
        self.views_box.setMinimumWidth(180)
        self.views_box.setPlaceholderText("Saved views")
        row.addWidget(self.views_box)
        self.views_button = QToolButton(bar, text="Views")
        self.views_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.views_button)
        self.save_action = QAction("Save view", self)
        self.save_as_action = QAction("Save view as\u2026", self)
        self.share_action = QAction("Shared with everyone", self, checkable=True)
        self.delete_action = QAction("Delete view", self)
        for a in (self.save_action, self.save_as_action, self.share_action, self.delete_action):
            menu.addAction(a)
        menu.addSeparator()
        self.retention_action = QAction("Data retention\u2026", self)  # site setting: how long history is kept
        menu.addAction(self.retention_action)
        self.views_button.setMenu(menu)
        row.addWidget(self.views_button)
        self.export_button = QToolButton(bar, text="Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        emenu = QMenu(self.export_button)
        self.export_csv_action = QAction("Visible data to CSV\u2026", self)
        self.export_png_action = QAction("Plot to PNG\u2026", self)
        emenu.addAction(self.export_csv_action)
        emenu.addAction(self.export_png_action)
        self.export_button.setMenu(emenu)
        row.addWidget(self.export_button)
