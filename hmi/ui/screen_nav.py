"""The navigation between screens: a slim row of tabs under the alarm banner (Sensors, Alarms,
Journal). Selecting one emits its index; the alarm tab carries the count of unfinished alarms."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

NAV_HEIGHT = 44


class ScreenNav(QFrame):
    screenSelected = Signal(int)

    def __init__(self, titles: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screenNav")
        self.setFixedHeight(NAV_HEIGHT)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 0, 12, 0)
        layout.setSpacing(2)
        self.titles = list(titles)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for i, title in enumerate(self.titles):
            b = QPushButton(title, self)
            b.setObjectName("navTab")
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            b.setMinimumWidth(150)
            b.setFixedHeight(NAV_HEIGHT)
            self.group.addButton(b, i)
            layout.addWidget(b)
        layout.addStretch(1)
        self.note = QLabel(self)
        self.note.setObjectName("navNote")
        layout.addWidget(self.note)
        self.group.idClicked.connect(self.screenSelected)
        self.select(0)

    def add_screen(self, title: str) -> int:
        """Append a tab (screens a workstation adds: users, audit); returns its index."""
        index = len(self.titles)
        self.titles.append(title)
        b = QPushButton(title, self)
        b.setObjectName("navTab")
        b.setCheckable(True)
        b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        b.setMinimumWidth(150)
        b.setFixedHeight(NAV_HEIGHT)
        self.group.addButton(b, index)
        layout = self.layout()
        assert isinstance(layout, QHBoxLayout)
        layout.insertWidget(index, b)
        return index

    def button(self, index: int) -> QPushButton:
        b = self.group.button(index)
        assert isinstance(b, QPushButton)
        return b

    @Slot(int)
    def select(self, index: int) -> None:
        """Check a tab without emitting (the window switches the stack itself)."""
        self.button(index).setChecked(True)

    def current(self) -> int:
        return self.group.checkedId()

    def set_count(self, index: int, count: int) -> None:
        title = self.titles[index]
        self.button(index).setText(f"{title}  \u00b7  {count}" if count else title)

    @Slot(str)
    def set_note(self, text: str) -> None:
        """Quiet text at the right end (alarms not on the banner's chips: shelved, suppressed, info)."""
        self.note.setText(text)
