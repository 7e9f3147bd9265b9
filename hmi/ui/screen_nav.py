"""The navigation between screens: a slim row of tabs under the alarm banner (Overview, Sensors,
Alarms, Journal and the screens a workstation adds). Selecting one emits its index; the alarm tab
carries the count of unfinished alarms. A right-click (or the menu key) on a tab asks for its menu
(`tabMenuRequested`: tear the screen off into its own window, dock it back).

Each tab has a stable English name (`keys`: "Overview", "Alarms", ... what a workstation saves and
`millwatch --screen NAME` takes, in any language) and the title it shows (`titles`, translated in the
context "Screens": mark a screen's name with QT_TRANSLATE_NOOP("Screens", "...") where it is added).

A tab is never narrower than its title: a cut title ("Overviev", "hemati") names no screen. When the
row is narrower than the tabs want (a 1024 px panel PC, ten screens of an administrator, Dutch titles)
the tabs go compact (less padding, the `compact` property the style sheets select on); when even the
compact tabs do not fit, the row shows the whole tabs that fit, always with the selected one (and the
one with keyboard focus), and a "»" button at its end lists the others: every screen stays one click
away, and Tab still walks every tab (a focused tab scrolls into view)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFocusEvent, QRegion
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from hmi.ui.i18n import fmt_int, translate
from hmi.ui.theme import set_properties

NAV_HEIGHT = 44
SCREENS_CONTEXT = "Screens"
TAB_MIN_WIDTH = 96  # a short title ("Audit") still gets a comfortable target in a roomy row
TAB_SPACING = 2
COMPACT_SAVING = 2 * (16 - 8)  # px a compact tab saves: 16 px padding a side, 8 when compact (the .qss files)
MORE_WIDTH = 40  # the "»" button listing the tabs that do not fit
MARGIN, COMPACT_MARGIN = 12, 4  # the row's left and right margins


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
        self.setProperty("compact", "false")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(MARGIN, 0, MARGIN, 0)
        layout.setSpacing(TAB_SPACING)
        self.keys: list[str] = []  # the screens' English names (stable: saved, and taken on the command line)
        self.titles: list[str] = []  # as shown, in the user's language
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self._start = 0  # the row's x (in its own coordinates) at the strip's left edge: a tab's left
        self._hidden: list[int] = []  # tabs out of the strip's view (listed by the "»" button)
        self._focused: QPushButton | None = None  # the tab reached with the keyboard: kept in view
        self._placer = QTimer(self)
        self._placer.setSingleShot(True)
        self._placer.setInterval(0)
        self._placer.timeout.connect(self._place)

        # The strip shows a window onto the row of tabs: the row is always as wide as its tabs want
        # (a fixed-size layout), the strip as wide as the navigation can give.
        self.strip = QWidget(self)
        self.strip.setObjectName("navStrip")
        self.strip.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.strip.setFixedHeight(NAV_HEIGHT)
        self.strip.installEventFilter(self)
        self.row = QWidget(self.strip)
        self.row.setObjectName("navRow")
        row_layout = QHBoxLayout(self.row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.setSpacing(TAB_SPACING)
        row_layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        self.row.installEventFilter(self)
        for name in names:
            row_layout.addWidget(self._tab(name))
        layout.addWidget(self.strip, 1)

        self.more = QToolButton(self)
        self.more.setObjectName("navMore")
        self.more.setText("\u00bb")
        self.more.setFixedSize(MORE_WIDTH, NAV_HEIGHT)
        self.more.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab reaches every tab itself (it scrolls them in)
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setMenu(QMenu(self.more))
        self.more.menu().aboutToShow.connect(self._fill_more_menu)
        self.more.hide()
        layout.addWidget(self.more)

        self.note = QLabel(self)
        self.note.setObjectName("navNote")
        layout.addWidget(self.note)
        self.group.idClicked.connect(self.screenSelected)
        self.group.idToggled.connect(self._on_toggled)
        self.select(0)

    def _tab(self, name: str) -> QPushButton:
        index = len(self.titles)
        title = screen_title(name)
        self.keys.append(name)
        self.titles.append(title)
        b = QPushButton(title, self.row)
        b.setObjectName("navTab")
        b.setProperty("compact", self.property("compact"))
        b.setCheckable(True)
        b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        b.setMinimumWidth(0 if self.compact else TAB_MIN_WIDTH)
        b.setFixedHeight(NAV_HEIGHT)
        b.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        b.customContextMenuRequested.connect(
            lambda pos, b=b, i=index: self.tabMenuRequested.emit(i, b.mapToGlobal(pos))
        )
        b.installEventFilter(self)  # keyboard focus scrolls the tab into view
        self.group.addButton(b, index)
        return b

    def add_screen(self, name: str) -> int:
        """Append a tab (screens a workstation adds: users, audit) for the screen named `name` (English,
        marked with QT_TRANSLATE_NOOP("Screens", ...)); returns its index."""
        b = self._tab(name)
        index = len(self.titles) - 1
        layout = self.row.layout()
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
        """Check a tab without emitting (the window switches the stack itself); it scrolls into view."""
        self.button(index).setChecked(True)
        self._place()

    def current(self) -> int:
        return self.group.checkedId()

    def set_count(self, index: int, count: int) -> None:
        title = self.titles[index]
        self.button(index).setText(f"{title}  \u00b7  {fmt_int(count)}" if count else title)

    @Slot(str)
    def set_note(self, text: str) -> None:
        """Quiet text at the right end (alarms not on the banner's chips: shelved, suppressed, info)."""
        self.note.setText(text)

    # -- fitting the row -----------------------------------------------------------------------------

    @property
    def compact(self) -> bool:
        """Whether the tabs have the narrow padding (the row is too narrow for the roomy ones)."""
        return self.property("compact") == "true"

    def hidden_indices(self) -> list[int]:
        """The (role-visible) tabs out of view in a row too narrow for them all: the "»" button's list."""
        return list(self._hidden)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.strip or watched is self.row:
            if kind == QEvent.Type.Resize:
                self._placer.start()  # after the layout pass: showing "»" from inside one misplaces it
        elif kind == QEvent.Type.FocusIn and isinstance(event, QFocusEvent):
            if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
                self._focused = watched if isinstance(watched, QPushButton) else None
                self._place()
        elif kind == QEvent.Type.FocusOut and watched is self._focused:
            self._focused = None
            self._place()
        return super().eventFilter(watched, event)

    @Slot(int, bool)
    def _on_toggled(self, _index: int, checked: bool) -> None:
        if checked:
            self._place()

    def _room(self) -> int:
        """The width the tabs could have: the strip's, plus the "»" button's when it shows."""
        return self.strip.width() + (MORE_WIDTH + TAB_SPACING if self.more.isVisibleTo(self) else 0)

    def _set_compact(self, compact: bool) -> None:
        value = "true" if compact else "false"
        margin = COMPACT_MARGIN if compact else MARGIN
        self.layout().setContentsMargins(margin, 0, margin, 0)
        set_properties(self, compact=value)
        for b in self.buttons():
            b.setMinimumWidth(0 if compact else TAB_MIN_WIDTH)
            set_properties(b, compact=value)
            b.updateGeometry()

    def _place(self) -> None:
        """Go compact or roomy, then show the whole tabs that fit, with the selected (or focused) one."""
        tabs = [b for b in self.buttons() if not b.isHidden()]
        if not tabs or not self.strip.isVisible():
            return  # placed when shown (the strip's first resize)
        room = self._room()
        if room <= 0:
            return
        want = sum(b.sizeHint().width() for b in tabs) + TAB_SPACING * (len(tabs) - 1)
        if not self.compact and want > room:
            self._set_compact(True)
            return  # the row resizes to the compact tabs, and this runs again
        if self.compact:
            roomy = sum(max(TAB_MIN_WIDTH, b.sizeHint().width() + COMPACT_SAVING) for b in tabs)
            roomy += TAB_SPACING * (len(tabs) - 1) + 2 * (MARGIN - COMPACT_MARGIN)
            if roomy + 4 <= room:
                self._set_compact(False)
                return
        self.row.layout().activate()  # the tabs' places in the row, now
        overflow = self.row.width() > room
        width = room - (MORE_WIDTH + TAB_SPACING if overflow else 0)
        if not overflow:
            self._start = 0
        else:
            checked = self.group.checkedButton()
            start = self._start
            # The selected tab in view; a tab reached with Tab too, even if the selected one goes out.
            for anchor in (checked, self._focused):
                if anchor not in tabs:
                    continue
                assert anchor is not None
                start = min(start, anchor.x())
                if anchor.x() + anchor.width() > start + width:
                    start = anchor.x() + anchor.width() - width
            start = min(start, self.row.width() - width)  # no empty room at the end
            self._start = min((b.x() for b in tabs if b.x() >= start), default=0)  # a tab's left edge
        shown = [b for b in tabs if b.x() >= self._start and b.x() + b.width() <= self._start + width]
        self._hidden = [self.group.id(b) for b in tabs if b not in shown]
        self.row.move(-self._start, 0)
        if self._hidden and shown:
            right = max(b.x() + b.width() for b in shown)
            self.row.setMask(QRegion(self._start, 0, right - self._start, self.row.height()))
        else:
            self.row.clearMask()
        if bool(self._hidden) != self.more.isVisibleTo(self):
            self.more.setVisible(bool(self._hidden))
        self.more.setToolTip("\n".join(self.button(i).text() for i in self._hidden))

    @Slot()
    def _fill_more_menu(self) -> None:
        """The "»" menu: the screens whose tabs do not fit, in the row's order."""
        menu = self.more.menu()
        menu.clear()
        for i in self._hidden:
            action = menu.addAction(self.button(i).text())
            action.setEnabled(self.button(i).isEnabled())
            action.triggered.connect(lambda _checked=False, i=i: self.screenSelected.emit(i))
