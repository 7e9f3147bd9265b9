"""The screen tabs on a narrow window: never narrower than their titles (a cut title names no screen),
compact when the row is short of room, and the tabs that still do not fit behind a "»" menu, with the
selected (and the keyboard-focused) tab always in view."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from hmi.ui.i18n import install_language, remove_language
from hmi.ui.screen_nav import ScreenNav

NAMES = ["Overview", "Sensors", "Alarms", "Journal", "Trends", "Schematics", "Users", "Audit", "Configuration",
         "Tools"]


class Row:
    """The navigation of an administrator's window (ten screens), in a window `width` px wide."""

    def __init__(self, qtbot, width: int) -> None:  # type: ignore[no-untyped-def]
        self.window = QWidget()
        qtbot.addWidget(self.window)
        layout = QVBoxLayout(self.window)
        layout.setContentsMargins(0, 0, 0, 0)
        self.nav = ScreenNav(NAMES[:4], self.window)
        for name in NAMES[4:]:
            self.nav.add_screen(name)
        layout.addWidget(self.nav)
        layout.addStretch(1)
        self.nav.set_count(2, 13)
        self.selected: list[int] = []
        self.nav.screenSelected.connect(self.selected.append)
        self.window.setMinimumSize(600, 120)  # fixed limits: a shown top-level window must not change them
        self.window.setMaximumSize(4000, 120)
        self.window.resize(width, 120)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.settle(qtbot)

    def settle(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        """Let the row place its tabs (after each resize, once the layout has run)."""
        for _ in range(3):
            qtbot.wait(10)
            qtbot.waitUntil(lambda: not self.nav._placer.isActive(), timeout=1000)

    def in_view(self, b: QPushButton) -> bool:
        """The tab is whole inside the navigation's strip (not cut at its edge, not scrolled away)."""
        strip = self.nav.strip
        left = b.mapTo(strip, b.rect().topLeft()).x()
        mask = self.nav.row.mask()  # a row wider than the strip is masked to its whole tabs in view
        return left >= 0 and left + b.width() <= strip.width() and (mask.isEmpty() or mask.contains(b.geometry()))


def whole_titles(nav: ScreenNav) -> None:
    for b in (nav.button(i) for i in nav.visible_indices()):
        text = b.fontMetrics().horizontalAdvance(b.text())
        assert b.width() >= b.sizeHint().width() and b.width() >= text + 8, (b.text(), b.width())


@pytest.fixture
def dutch(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    assert install_language("nl") == "nl"
    yield
    remove_language()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_tab_is_whole_and_reachable_at_1024(qtbot, themed_app, qapp, language: str) -> None:
    if language == "nl":
        install_language("nl")
    try:
        row = Row(qtbot, 1024)
        nav = row.nav
        qtbot.waitUntil(lambda: nav.compact, timeout=1000)  # a 1024 px row of ten screens has compact tabs
        row.settle(qtbot)
        whole_titles(nav)
        hidden = nav.hidden_indices()
        assert nav.more.isVisible() == bool(hidden)
        for i, b in enumerate(nav.buttons()):  # each tab is in view, or listed by "»"
            assert row.in_view(b) != (i in hidden), (b.text(), hidden)
        if language == "en":
            assert hidden == []  # compact, the English titles all fit
        else:
            assert hidden, "the Dutch titles do not all fit: the last ones are behind »"
            nav._fill_more_menu()
            actions = nav.more.menu().actions()
            assert [a.text() for a in actions] == [nav.button(i).text() for i in hidden]
            actions[-1].trigger()
            assert row.selected == [hidden[-1]]
        last = len(nav.titles) - 1
        nav.select(last)  # what the window does when a screen is shown (from the menu, Ctrl+K...)
        row.settle(qtbot)
        assert row.in_view(nav.button(last)) and last not in nav.hidden_indices()
        nav.select(0)
        row.settle(qtbot)
        assert row.in_view(nav.button(0)) and 0 not in nav.hidden_indices()
        whole_titles(nav)
    finally:
        if language == "nl":
            remove_language()


def test_keyboard_focus_scrolls_a_tab_into_view_and_roles_hide_tabs(qtbot, themed_app, dutch) -> None:
    row = Row(qtbot, 1024)
    nav = row.nav
    last = nav.button(len(nav.titles) - 1)
    assert not row.in_view(last)
    last.setFocus(Qt.FocusReason.TabFocusReason)
    row.settle(qtbot)
    assert row.in_view(last)
    nav.button(0).setFocus(Qt.FocusReason.BacktabFocusReason)
    row.settle(qtbot)
    assert row.in_view(nav.button(0)) and row.in_view(nav.button(nav.current()))
    for i in (6, 7, 8):  # an operator: no users, audit or configuration
        nav.button(i).hide()
    row.settle(qtbot)
    assert nav.visible_indices() == [0, 1, 2, 3, 4, 5, 9]
    assert nav.hidden_indices() == [] and not nav.more.isVisible()
    assert all(row.in_view(nav.button(i)) for i in nav.visible_indices())
    whole_titles(nav)


def test_a_wide_row_has_the_roomy_tabs(qtbot, themed_app) -> None:
    row = Row(qtbot, 1400)
    nav = row.nav
    assert not nav.compact and not nav.more.isVisible() and nav.hidden_indices() == []
    assert all(b.width() >= 96 for b in nav.buttons())  # a short title keeps a comfortable target
    whole_titles(nav)
    row.window.resize(1024, 120)
    qtbot.waitUntil(lambda: nav.compact, timeout=1000)
    row.window.resize(1400, 120)
    qtbot.waitUntil(lambda: not nav.compact, timeout=1000)
    row.settle(qtbot)
    whole_titles(nav)
