"""The keyboard shortcuts of the main window, as data: id, text, keys and what they do.

Every frequent action has a key: acknowledge the top alarm (F4, Ctrl+Shift+A: exactly the banner's
Acknowledge button), the next unacknowledged alarm in the alarm summary (F8), silence the horn (F9),
the quick search (Ctrl+K), the screens in tab order (Ctrl+1 .. Ctrl+9) and full screen (F11); the
session shell adds Ctrl+L (lock screen). They are window shortcuts, added to torn-off screen windows
too, and listed in the Session menu.

No shortcut ever triggers the e-stop: a stop needs the deliberate gesture on its own control (press
and hold, or arm and confirm). `FORBIDDEN_WORDS` guards this table, and a test presses every key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence

from hmi.ui.alarm_model import AlarmRole
from hmi.ui.i18n import translate

if TYPE_CHECKING:
    from hmi.ui.main_window import MainWindow

FORBIDDEN_WORDS = ("estop", "e-stop", "stop")  # never in a shortcut's id, text or handler


@dataclass(frozen=True, slots=True)
class ShortcutSpec:
    id: str
    text: str  # English, marked for translation (context "WindowActions"); `label` is what is shown
    keys: tuple[str, ...]
    handler: str  # a WindowActions method

    @property
    def label(self) -> str:
        return translate("WindowActions", self.text)


SHORTCUTS: tuple[ShortcutSpec, ...] = (
    ShortcutSpec("acknowledge", QT_TRANSLATE_NOOP("WindowActions", "Acknowledge top alarm"), ("F4", "Ctrl+Shift+A"),
                 "acknowledge_top_alarm"),
    ShortcutSpec("next_alarm", QT_TRANSLATE_NOOP("WindowActions", "Next unacknowledged alarm"), ("F8",),
                 "select_next_alarm"),
    ShortcutSpec("silence", QT_TRANSLATE_NOOP("WindowActions", "Silence horn"), ("F9",), "silence_horn"),
    ShortcutSpec("search", QT_TRANSLATE_NOOP("WindowActions", "Quick search\u2026"), ("Ctrl+K",), "open_quick_search"),
    ShortcutSpec("full_screen", QT_TRANSLATE_NOOP("WindowActions", "Full screen"), ("F11",), "toggle_full_screen"),
)
SCREEN_COUNT = 9
LOCK_KEYS = ("Ctrl+L",)


def screen_keys(n: int) -> str:
    """The key of the n-th visible screen tab (1-based)."""
    return f"Ctrl+{n}"


def key_text(keys: tuple[str, ...] | list[str]) -> str:
    """Keys as the platform writes them ("F4, Ctrl+Shift+A")."""
    return ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


def with_keys(tip: str, keys: tuple[str, ...] | list[str]) -> str:
    """A tooltip with its shortcut: "Stop the horn (F9)"."""
    return f"{tip} ({key_text(keys)})" if keys else tip


def make_action(parent: QObject, text: str, keys: tuple[str, ...], slot: Callable[[], object]) -> QAction:
    """A window-wide action; with more than one key, its menu entry names them all (Qt's shows one)."""
    action = QAction(f"{text}\t{key_text(keys)}" if len(keys) > 1 else text, parent)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    return action


class WindowActions(QObject):
    """The shortcut actions of one main window and what they do (`actions[id]`)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.actions: dict[str, QAction] = {}
        for spec in SHORTCUTS:
            self.actions[spec.id] = make_action(window, spec.label, spec.keys, getattr(self, spec.handler))
        for n in range(1, SCREEN_COUNT + 1):
            self.actions[f"screen_{n}"] = make_action(
                window, self.tr("Screen {n}").format(n=n), (screen_keys(n),), lambda n=n: self.show_screen_number(n)
            )
        for action in self.actions.values():
            window.addAction(action)
        banner = window.banner
        banner.ack_button.setToolTip(with_keys(banner.ack_button.toolTip(), SHORTCUTS[0].keys))
        banner.silence_button.setToolTip(with_keys(banner.silence_button.toolTip(), SHORTCUTS[2].keys))
        self.update_screen_tips()

    def all(self) -> list[QAction]:
        return list(self.actions.values())

    # -- what the keys do ----------------------------------------------------------------------------

    @Slot()
    def acknowledge_top_alarm(self) -> None:
        """The banner's Acknowledge, as if clicked (disabled there: nothing happens here either)."""
        self.window.banner.ack_button.click()

    @Slot()
    def silence_horn(self) -> None:
        self.window.banner.silence_button.click()

    @Slot()
    def open_quick_search(self) -> None:
        if self.window.nav.isEnabled():  # signed out: nothing to search, no way around the sign-in page
            self.window.quick_search.open()

    @Slot()
    def toggle_full_screen(self) -> None:
        self.window.toggle_full_screen()

    def show_screen_number(self, n: int) -> bool:
        """The n-th visible screen tab (1-based); False when there is none or navigation is off."""
        nav = self.window.nav
        visible = nav.visible_indices()
        if not nav.isEnabled() or not 1 <= n <= len(visible):
            return False
        self.window.show_screen(visible[n - 1])
        return True

    def update_screen_tips(self) -> None:
        """Each visible tab's tooltip names its Ctrl+N (call after tabs were shown or hidden)."""
        nav = self.window.nav
        visible = nav.visible_indices()
        for i, title in enumerate(nav.titles):
            keys = (screen_keys(visible.index(i) + 1),) if i in visible[:SCREEN_COUNT] else ()
            nav.button(i).setToolTip(with_keys(self.tr("Show {screen}").format(screen=title), keys))

    @Slot()
    def select_next_alarm(self) -> bool:
        """The alarm summary with the next unacknowledged alarm after the current row selected
        (wrapping); False when there is none or navigation is off."""
        w = self.window
        if not w.nav.isEnabled():
            return False
        from hmi.ui.main_window import Screen

        w.show_screen(Screen.ALARMS)
        summary = w.alarm_summary
        proxy, table = summary.proxy, summary.table
        rows = proxy.rowCount()
        start = table.currentIndex().row() if table.currentIndex().isValid() else -1
        for step in range(1, rows + 1):
            row = (start + step) % rows
            alarm = proxy.data(proxy.index(row, 0), AlarmRole)
            if alarm is not None and alarm.unacked:
                table.setCurrentIndex(proxy.index(row, 0))
                table.selectRow(row)
                table.scrollTo(proxy.index(row, 0))
                table.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
        return False
