"""The navigation between screens: a slim row of tabs under the alarm banner (Overview, Sensors,
Alarms, Journal and the screens a workstation adds). Selecting one emits its index; the alarm tab
carries the count of unfinished alarms. A right-click (or the menu key) on a tab asks for its menu
(`tabMenuRequested`: tear the screen off into its own window, dock it back)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

NAV_HEIGHT = 44


class ScreenNav(QFrame):
    screenSelected = Signal(int)
    tabMenuRequested = Signal(int, QPoint)  # index, global position

    def __init__(self, titles: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screenNav")
        self.setFixedHeight(NAV_HEIGHT)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 0, 12, 0)
        layout.setSpacing(2)
        self.titles: list[str] = []
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for title in titles:
            layout.addWidget(self._tab(title))
        layout.addStretch(1)
        self.note = QLabel(self)
        self.note.setObjectName("navNote")
        layout.addWidget(self.note)
        self.group.idClicked.connect(self.screenSelected)
        self.select(0)

    def _tab(self, title: str) -> QPushButton:
        index = len(self.titles)
        self.titles.append(title)
        b = QPushButton(title, self)
        b.setObjectName("navTab")
        b.setCheckable(True)
        b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        b.setMinimumWidth(96)  # ten screens still fit a 1280 px window beside the stop column
        b.setFixedHeight(NAV_HEIGHT)
        b.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        b.customContextMenuRequested.connect(
            lambda pos, b=b, i=index: self.tabMenuRequested.emit(i, b.mapToGlobal(pos))
        )
        self.group.addButton(b, index)
        return b

    def add_screen(self, title: str) -> int:
        """Append a tab (screens a workstation adds: users, audit); returns its index."""
        b = self._tab(title)
        index = len(self.titles) - 1
        layout = self.layout()
        assert isinstance(layout, QHBoxLayout)
        layout.insertWidget(index, b)
        previous = self.button(index - 1) if index else None
        if previous is not None:
            QWidget.setTabOrder(previous, b)
        return index

    def button(self, index: int) -> QPushButton:
        b = self.group.button(index)
        assert isinstance(b, QPushButton)
        return b

    def buttons(self) -> list[QPushButton]:
        return [self.button(i) for i in range(len(self.titles))]

    def visible_indices(self) -> list[int]:
        """The tabs the user sees (role-hidden ones left out), in order."""
        return [i for i in range(len(self.titles)) if not self.button(i).isHidden()]

    def index_of(self, title: str) -> int | None:
        lowered = [t.lower() for t in self.titles]
        return lowered.index(title.lower()) if title.lower() in lowered else None

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
