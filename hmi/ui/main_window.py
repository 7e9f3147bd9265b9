"""The operator window. It only assembles: header strip, the alarm banner (on every screen), the
message strip, the screen tabs, a stack of screens (sensors with their mill navigation, the alarm
summary, the alarm journal) and the status bar; and wires them to the bridge, the alarm actions and
one 1 Hz heartbeat (clock, ages, rates, floods). Around them: the keyboard shortcuts
(hmi/ui/shortcuts.py), the quick search (Ctrl+K), torn-off screens (hmi/ui/tear_off.py), full screen
and kiosk mode, the theme, and the layout a workstation remembers (hmi/ui/window_state.py)."""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from datetime import date
from itertools import pairwise

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.core.plant import Plant
from hmi.ui.alarm_banner import AlarmBanner
from hmi.ui.alarm_commands import AlarmActionsLike, AlarmCommands
from hmi.ui.alarm_journal import AlarmJournal, LoadJournal
from hmi.ui.alarm_list import AlarmList, AlarmTexts
from hmi.ui.alarm_model import AlarmTableModel
from hmi.ui.alarm_summary import AlarmSummary
from hmi.ui.annunciator import Annunciator, Notifier, Player, default_player
from hmi.ui.bridge import LiveBridge
from hmi.ui.header_strip import HeaderStrip
from hmi.ui.mill_actions import MillActions
from hmi.ui.mill_list import ALL_MILLS, MillListModel, MillListView
from hmi.ui.notices import MessageStrip, Toast, TrayNotifier, make_notifier
from hmi.ui.overview_screen import OverviewScreen
from hmi.ui.quick_search import QuickSearch
from hmi.ui.screen_nav import ScreenNav
from hmi.ui.sensor_board import SensorBoard
from hmi.ui.sensor_filter_bar import SensorFilterBar
from hmi.ui.sensor_table import SensorTableView
from hmi.ui.sensor_table_model import SensorTableModel
from hmi.ui.shortcuts import WindowActions
from hmi.ui.status_bar import LinkStatusBar
from hmi.ui.tear_off import TearOff
from hmi.ui.theme import AlarmPalette, PriorityPalette, apply_theme, current_theme
from hmi.ui.window_state import WindowState

TICK_MS = 1000
MILL_PANE_WIDTH = 236
# An explicit minimum size: the layout then never changes the window's size hints after show
# (changing them on a shown window warns "does not support propagateSizeHints" on some platforms).
MIN_WINDOW_SIZE = (1024, 700)


class Screen(enum.IntEnum):
    OVERVIEW = 0
    SENSORS = 1
    ALARMS = 2
    JOURNAL = 3


SCREEN_TITLES = {
    Screen.OVERVIEW: "Overview", Screen.SENSORS: "Sensors", Screen.ALARMS: "Alarms", Screen.JOURNAL: "Journal",
}


def _pane(title: str, body: QWidget, parent: QWidget) -> tuple[QFrame, QLabel]:
    """A titled panel around one view."""
    frame = QFrame(parent)
    frame.setObjectName("pane")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    label = QLabel(title, frame)
    label.setObjectName("paneTitle")
    layout.addWidget(label)
    layout.addWidget(body, 1)
    return frame, label


class MainWindow(QMainWindow):
    """`alarm_actions` (hmi.services.alarm_service.AlarmActions or alike) is called off the GUI thread
    with `current_user()`; `load_journal(t0, t1, mill)` (AlarmStore.journal) too. `player` sounds the
    horn (default: paplay/pw-play/aplay, else the system beep); `notifier` shows desktop notifications
    (default: the system tray when there is one, else a toast in the window)."""

    def __init__(
        self,
        plant: Plant,
        bridge: LiveBridge,
        *,
        plant_name: str = "",
        palette: AlarmPalette | None = None,
        now: Callable[[], float] = time.time,
        alarm_actions: AlarmActionsLike | None = None,
        current_user: Callable[[], str] | None = None,
        load_journal: LoadJournal | None = None,
        player: Player | None = None,
        notifier: Notifier | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setMinimumSize(*MIN_WINDOW_SIZE)
        self.plant = plant
        self.bridge = bridge
        self._now = now
        palette = palette or AlarmPalette.load()
        priorities = PriorityPalette.load()

        self.board = SensorBoard(plant, now=now)
        self.table_model = SensorTableModel(self.board, palette, self)
        self.mill_model = MillListModel(self.board, self)
        self.alarm_texts = AlarmTexts(plant, now)
        self.alarms = AlarmList()
        self.alarm_model = AlarmTableModel(self.alarms, self.alarm_texts, self)

        central = QWidget(self)
        central.setObjectName("central")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = HeaderStrip(plant_name, central)
        self.banner = AlarmBanner(self.alarms, self.alarm_texts, now=now, parent=central)
        self.messages = MessageStrip(central)
        self.nav = ScreenNav([SCREEN_TITLES[s] for s in Screen], central)
        self.stack = QStackedWidget(central)
        self.stack.setObjectName("screens")
        for w in (self.header, self.banner, self.messages, self.nav):
            layout.addWidget(w)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        # The database half of the tiles (status, efficiency, alerts) and the start command come from
        # services the workspace sets: `overview.load_overview`, `mill_actions.start_production`.
        self.overview = OverviewScreen(self.board, palette, priorities=priorities, now=now, parent=self.stack)
        self.stack.addWidget(self.overview)
        self.stack.addWidget(self._sensor_screen(palette))
        self.alarm_summary = AlarmSummary(self.alarm_model, priorities, now=now, parent=self.stack)
        self.journal = AlarmJournal(self.alarm_texts, load_journal, priorities, now=now, parent=self.stack)
        self.stack.addWidget(self.alarm_summary)
        self.stack.addWidget(self.journal)

        self.status = LinkStatusBar(self)
        self.setStatusBar(self.status)
        self.toast = Toast(central)
        self.notifier = notifier or make_notifier(self, self.toast)
        self.commands = AlarmCommands(alarm_actions, current_user or (lambda: ""), self.alarm_texts, self)
        self.annunciator = Annunciator(
            self.alarms,
            self.alarm_texts,
            player if player is not None else default_player(),
            notifier=self.notifier,
            window_active=self.isActiveWindow,
            parent=self,
        )
        self.banner.set_actions_enabled(self.commands.available)
        self.alarm_summary.set_actions_enabled(self.commands.available)
        self.quick_search = QuickSearch(plant, self._search_screens, self, anchor=self.stack)
        self.tear_off = TearOff(self)
        self.window_state: WindowState | None = None  # set by run_gui: this workstation's settings
        self.start_screen = ""  # the screen to open at sign-in (the one open when the app last closed)
        self._kiosk = False
        self._connect()
        self.shortcuts = WindowActions(self)
        self._set_tab_order()

        self._day = -1
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()

        self.mill_list.select_mill(None)
        self._on_tick()

    def _sensor_screen(self, palette: AlarmPalette) -> QSplitter:
        splitter = QSplitter(Qt.Orientation.Horizontal, self.stack)
        splitter.setObjectName("mainSplitter")
        splitter.setChildrenCollapsible(False)
        self.mill_list = MillListView(self.mill_model, palette)
        self.table = SensorTableView(self.table_model)
        self.mill_actions = MillActions(self.plant)
        self.filter_bar = SensorFilterBar(self.board, self.table.proxy)
        body = QWidget(splitter)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.mill_actions)
        column.addWidget(self.filter_bar)
        column.addWidget(self.table, 1)
        mill_pane, _ = _pane("Mills", self.mill_list, splitter)
        table_pane, self.table_title = _pane(ALL_MILLS, body, splitter)
        splitter.addWidget(mill_pane)
        splitter.addWidget(table_pane)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([MILL_PANE_WIDTH, 1000])
        mill_pane.setMinimumWidth(200)
        return splitter

    def _connect(self) -> None:
        bridge, model, banner, summary, commands = (
            self.bridge, self.alarm_model, self.banner, self.alarm_summary, self.commands
        )
        bridge.valuesChanged.connect(self.table_model.update)
        bridge.linkChanged.connect(self.status.set_link)
        self.table_model.statesChanged.connect(self.mill_model.refresh)
        self.mill_list.millSelected.connect(self._on_mill_selected)
        self.table_model.statesChanged.connect(self.overview.refresh_live)
        self.table_model.statesChanged.connect(self.filter_bar.refresh_counts)
        self.mill_list.millSelected.connect(self.mill_actions.set_mill)
        self.overview.millActivated.connect(self.open_mill)
        self.overview.statusChanged.connect(self.mill_actions.set_status)
        self.mill_actions.message.connect(self.messages.show_message)

        bridge.alarmsChanged.connect(model.apply)  # every batch, in order
        commands.applied.connect(model.apply)  # an action's own result: shown at once
        model.alarmsUpdated.connect(banner.refresh)
        model.alarmsUpdated.connect(self.annunciator.on_updates)
        model.alarmsUpdated.connect(self._on_alarms_updated)
        banner.blinkChanged.connect(model.set_blink)
        banner.noteChanged.connect(self.nav.set_note)
        banner.acknowledgeRequested.connect(commands.acknowledge)
        banner.silenceRequested.connect(self.annunciator.silence)
        banner.showAlarmsRequested.connect(self._on_show_alarms)
        self.annunciator.soundingChanged.connect(banner.set_sounding)
        summary.acknowledgeRequested.connect(commands.acknowledge)
        summary.shelveRequested.connect(commands.shelve)
        summary.unshelveRequested.connect(commands.unshelve)
        summary.resetRequested.connect(commands.reset)
        summary.sensorActivated.connect(self.show_sensor)
        commands.message.connect(self.messages.show_message)
        self.journal.message.connect(self.messages.show_message)
        self.nav.screenSelected.connect(self.show_screen)
        self.nav.tabMenuRequested.connect(self._on_tab_menu)
        self.quick_search.millActivated.connect(self.open_mill)
        self.quick_search.screenActivated.connect(self.show_screen)
        self.quick_search.sensorActivated.connect(self.show_sensor)

    def _set_tab_order(self) -> None:
        """Tab goes from the banner's buttons to the screen tabs, then into the screen (the stop
        column, added later beside the screens, comes after)."""
        b = self.banner
        chain = [b.ack_button, b.silence_button, b.ack_all_button, b.list_button, *self.nav.buttons()]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- navigation --------------------------------------------------------------------------------

    def add_screen(self, title: str, widget: QWidget) -> int:
        """A screen with its navigation button; its index in the stack is the button's (pages that
        are not screens, like the sign-in page, stay after the screens)."""
        index = self.nav.add_screen(title)
        self.stack.insertWidget(index, widget)
        return index

    @Slot(int)
    def show_screen(self, screen: int) -> None:
        self.stack.setCurrentIndex(screen)
        self.nav.select(screen)
        if screen == Screen.JOURNAL:
            self.journal.load_if_first()
        if self.tear_off.is_torn(screen):
            self.tear_off.raise_window(screen)

    def show_screen_titled(self, title: str) -> bool:
        index = self.nav.index_of(title)
        if index is None or self.nav.button(index).isHidden():
            return False
        self.show_screen(index)
        return True

    def set_start_screen(self, title: str) -> None:
        """The screen to show at sign-in (at once if navigation is already on)."""
        self.start_screen = title
        if self.nav.isEnabled():
            self.show_screen_titled(title)

    def _search_screens(self) -> list[tuple[int, str]]:
        nav = self.nav
        return [(i, nav.titles[i]) for i in nav.visible_indices()] if nav.isEnabled() else []

    @Slot(int, QPoint)
    def _on_tab_menu(self, index: int, pos: QPoint) -> None:
        self.tab_menu(index).popup(pos)  # never exec(): nothing waits on a menu

    def tab_menu(self, index: int) -> QMenu:
        """A tab's menu: tear its screen off into its own window, or dock it back."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        if self.tear_off.is_torn(index):
            menu.addAction("Dock back into the main window", lambda: self.tear_off.dock(index))
        else:
            menu.addAction("Tear off into its own window", lambda: self.tear_off.tear_off(index))
        return menu

    # -- full screen, kiosk, theme -------------------------------------------------------------------

    def is_kiosk(self) -> bool:
        return self._kiosk

    def set_kiosk(self, on: bool) -> None:
        """Kiosk mode for control-room wall screens: full screen without a window frame (the
        header's Session menu stays); off: a normal framed window again."""
        self._kiosk = on
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, on)
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    @Slot()
    def toggle_full_screen(self) -> None:
        if self._kiosk:
            return  # a wall screen stays full screen
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def theme(self) -> str:
        return current_theme()

    def set_theme(self, name: str) -> None:
        """Switch the application's theme and remember it for this workstation."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, name)
        if self.window_state is not None:
            self.window_state.save_theme(name)

    @Slot(str)
    def open_mill(self, slug: str) -> None:
        """The sensor screen of one mill (from its overview tile)."""
        self.show_screen(Screen.SENSORS)
        self.mill_list.select_mill(slug)

    @Slot()
    def _on_show_alarms(self) -> None:
        self.show_screen(Screen.ALARMS)

    @Slot(str)
    def show_sensor(self, eui: str) -> None:
        """The sensor screen with the sensor's mill selected and its row selected and in view."""
        sensor = self.alarm_texts.sensor(eui)
        row = self.table_model.row_of(eui)
        if sensor is None or row is None:
            return
        self.show_screen(Screen.SENSORS)
        self.mill_list.select_mill(sensor.mill_slug)
        index = self.table.proxy.mapFromSource(self.table_model.index(row, 0))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    @Slot(object)
    def _on_mill_selected(self, slug: str | None) -> None:
        self.table.proxy.set_mill(slug)
        self.table.show_mill_column(slug is None)
        if slug is None:
            self.table_title.setText(ALL_MILLS)
        else:
            mill = self.plant.mill(slug)
            self.table_title.setText(f"{mill.name} \u00b7 {mill.location}" if mill.location else mill.name)

    # -- alarms and heartbeat ----------------------------------------------------------------------

    @Slot(object)
    def _on_alarms_updated(self, _updates: object) -> None:
        self.nav.set_count(Screen.ALARMS, len(self.alarms))

    @Slot()
    def _on_tick(self) -> None:
        now = self._now()
        self.header.show_time(now)
        day = date.fromtimestamp(now).toordinal()
        if day != self._day:  # after midnight, yesterday's alarm times gain their date
            self._day = day
            self.alarm_model.refresh_times()
        self.table_model.refresh_ages()
        self.status.show_data(self.bridge.stats().received, self.board.data_age())
        self.banner.refresh()  # floods end with time, and times gain a date after midnight

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.toast.hide()  # the operator is back: the notice has done its job

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.toast.place()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.tear_off.dock_all()
        self.quick_search.hide()
        if self.window_state is not None:
            self.window_state.save()
        self.overview.shutdown()
        self.mill_actions.shutdown()
        self.annunciator.shutdown()
        self.commands.close()
        self.journal.close_runner()
        if isinstance(self.notifier, TrayNotifier):
            self.notifier.close()
        super().closeEvent(event)
