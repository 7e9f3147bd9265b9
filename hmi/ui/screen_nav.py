"""The navigation between screens: a slim row of tabs under the alarm banner (Overview, Sensors,
Alarms, Journal and the screens a workstation adds). Selecting one emits its index; the alarm tab
carries the count of unfinished alarms. A right-click (or the menu key) on a tab asks for its menu
(`tabMenuRequested`: tear the screen off into its own window, dock it back).

Each tab has a stable English name (`keys`: "Overview", "Alarms", ... what a workstation saves and
`millwatch --screen NAME` takes, in any language) and the title it shows (`titles`, translated in the
context "Screens": mark a screen's name with QT_TRANSLATE_NOOP("Screens", "...") where it is added)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from hmi.ui.i18n import fmt_int, translate

NAV_HEIGHT = 44
SCREENS_CONTEXT = "Screens"


def screen_title(name: str) -> str:
    """The title shown for the screen named `name` (its English name), in the user's language."""
    return translate(SCREENS_CONTEXT, name)


class ScreenNav(QFrame):
    screenSelected = Signal(int)
    tabMenuRequested = Signal(int, QPoint)  # index, global position

    def __init__(self, names: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screenNav")
        self.setFixedHeight(NAV_HEIGHT)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 0, 12, 0)
        layout.setSpacing(2)
        self.keys: list[str] = []  # the screens' English names (stable: saved, and taken on the command line)
        self.titles: list[str] = []  # as shown, in the user's language
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for name in names:
            layout.addWidget(self._tab(name))
        layout.addStretch(1)
        self.note = QLabel(self)
        self.note.setObjectName("navNote")
        layout.addWidget(self.note)
        self.group.idClicked.connect(self.screenSelected)
        self.select(0)

    def _tab(self, name: str) -> QPushButton:
        index = len(self.titles)
        title = screen_title(name)
        self.keys.append(name)
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

    def add_screen(self, name: str) -> int:
        """Append a tab (screens a workstation adds: users, audit) for the screen named `name` (English,
        marked with QT_TRANSLATE_NOOP("Screens", ...)); returns its index."""
        b = self._tab(name)
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

    def index_of(self, name: str) -> int | None:
        """The tab of the screen named `name`, in any case: its English name first, else its title."""
        wanted = name.strip().lower()
        for names in (self.keys, self.titles):
            lowered = [n.lower() for n in names]
            if wanted in lowered:
                return lowered.index(wanted)
        return None

    def key(self, index: int) -> str:
        """The English name of tab `index` (what is saved and named on the command line)."""
        return self.keys[index]

    @Slot(int)
    def select(self, index: int) -> None:
        """Check a tab without emitting (the window switches the stack itself)."""
        self.button(index).setChecked(True)

    def current(self) -> int:
        return self.group.checkedId()

    def set_count(self, index: int, count: int) -> None:
        title = self.titles[index]
        self.button(index).setText(f"{title}  \u00b7  {fmt_int(count)}" if count else title)

    @Slot(str)
    def set_note(self, text: str) -> None:
        """Quiet text at the right end (alarms not on the banner's chips: shelved, suppressed, info)."""
        self.note.setText(text)
