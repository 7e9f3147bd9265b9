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
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QPoint, Qt, QTimer, Signal, Slot
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
from hmi.ui.alarm_list import AlarmList, AlarmTexts
from hmi.ui.alarm_model import AlarmTableModel
from hmi.ui.annunciator import Annunciator, Notifier, Player, default_player
from hmi.ui.bridge import LiveBridge
from hmi.ui.header_strip import HeaderStrip
from hmi.ui.lazy_screen import LazyScreen
from hmi.ui.notices import MessageStrip, Toast, TrayNotifier, make_notifier
from hmi.ui.screen_nav import ScreenNav
from hmi.ui.sensor_board import SensorBoard
from hmi.ui.sensor_table_model import SensorTableModel
from hmi.ui.shortcuts import WindowActions
from hmi.ui.status_bar import LinkStatusBar
from hmi.ui.tear_off import TearOff
from hmi.ui.theme import AlarmPalette, PriorityPalette, apply_theme, current_theme
from hmi.ui.window_state import WindowState

if TYPE_CHECKING:  # the screens' modules load when a screen is first built
    from hmi.ui.alarm_journal import AlarmJournal, LoadJournal
    from hmi.ui.alarm_summary import AlarmSummary
    from hmi.ui.mill_actions import MillActions
    from hmi.ui.mill_list import MillListModel, MillListView
    from hmi.ui.overview_screen import OverviewScreen
    from hmi.ui.quick_search import QuickSearch
    from hmi.ui.sensor_filter_bar import SensorFilterBar
    from hmi.ui.sensor_table import SensorTableView

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


# The screens' English names (saved per workstation, taken by `--screen`); shown translated (ScreenNav).
SCREEN_TITLES = {
    Screen.OVERVIEW: QT_TRANSLATE_NOOP("Screens", "Overview"), Screen.SENSORS: QT_TRANSLATE_NOOP("Screens", "Sensors"),
    Screen.ALARMS: QT_TRANSLATE_NOOP("Screens", "Alarms"), Screen.JOURNAL: QT_TRANSLATE_NOOP("Screens", "Journal"),
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
    (default: the system tray when there is one, else a toast in the window).

    Only the frame (header, banner, tabs, status bar) is built with the window: each screen is built
    when first shown or asked for (`overview`, `table`, `alarm_summary`... build theirs; see
    hmi/ui/lazy_screen.py), so the window, i.e. the sign-in page, shows sooner."""

    screenBuilt = Signal(QWidget)  # a screen built when first needed (its splitters are restored then)
    sensorSearched = Signal(str)  # a sensor chosen in the quick search (Ctrl+K)

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
        self.mill_model: MillListModel | None = None  # with the sensor screen (its mill list)
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

        # The screens, each built when first shown or asked for (the properties below).
        self._palette, self._priorities, self._load_journal = palette, priorities, load_journal
        self._alarm_actions_enabled = False
        self._overview: OverviewScreen | None = None
        self._mill_list: MillListView | None = None
        self._table: SensorTableView | None = None
        self._mill_actions: MillActions | None = None
        self._filter_bar: SensorFilterBar | None = None
        self._table_title: QLabel | None = None
        self._alarm_summary: AlarmSummary | None = None
        self._journal: AlarmJournal | None = None
        self._pages: dict[Screen, LazyScreen] = {}
        builders = {Screen.OVERVIEW: self._build_overview, Screen.SENSORS: self._build_sensor_screen,
                    Screen.ALARMS: self._build_alarm_summary, Screen.JOURNAL: self._build_journal}
        for screen in Screen:
            page = self._pages[screen] = LazyScreen(builders[screen], self.stack)
            page.built.connect(self.screenBuilt)
            self.stack.addWidget(page)

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
        self.set_alarm_actions_enabled(self.commands.available)
        self._quick_search: QuickSearch | None = None  # built when first opened (Ctrl+K)
        self._search_mills: set[str] | None = None
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

        self._on_tick()

    # -- the screens, built when first needed -----------------------------------------------------------

    @property
    def overview(self) -> OverviewScreen:
        """The overview (built now if it has not been yet). The database half of the tiles (status,
        efficiency, alerts) comes from the loader the workspace sets: `overview.set_loader(...)`."""
        self._pages[Screen.OVERVIEW].build()
        assert self._overview is not None
        return self._overview

    @property
    def mill_list(self) -> MillListView:
        self._pages[Screen.SENSORS].build()
        assert self._mill_list is not None
        return self._mill_list

    @property
    def table(self) -> SensorTableView:
        self._pages[Screen.SENSORS].build()
        assert self._table is not None
        return self._table

    @property
    def mill_actions(self) -> MillActions:
        """The sensor screen's mill actions; the start command comes from the workspace
        (`mill_actions.start_production`)."""
        self._pages[Screen.SENSORS].build()
        assert self._mill_actions is not None
        return self._mill_actions

    @property
    def filter_bar(self) -> SensorFilterBar:
        self._pages[Screen.SENSORS].build()
        assert self._filter_bar is not None
        return self._filter_bar

    @property
    def table_title(self) -> QLabel:
        self._pages[Screen.SENSORS].build()
        assert self._table_title is not None
        return self._table_title

    @property
    def alarm_summary(self) -> AlarmSummary:
        self._pages[Screen.ALARMS].build()
        assert self._alarm_summary is not None
        return self._alarm_summary

    @property
    def journal(self) -> AlarmJournal:
        self._pages[Screen.JOURNAL].build()
        assert self._journal is not None
        return self._journal

    def is_built(self, screen: int) -> bool:
        """Whether the screen at `screen` exists yet (False while its LazyScreen stands in)."""
        return not isinstance(self.stack.widget(screen), LazyScreen)

    def ensure_screen(self, index: int) -> None:
        """Build the screen at `index` of the stack now if it has not been yet."""
        page = self.stack.widget(index)
        if isinstance(page, LazyScreen):
            page.build()

    def add_lazy_screen(self, name: str, make: Callable[[], QWidget]) -> int:
        """As `add_screen`, but the screen is made (`make()`) when first shown or asked for
        (`ensure_screen`)."""
        page = LazyScreen(make, self.stack)
        page.built.connect(self.screenBuilt)
        return self.add_screen(name, page)

    def _build_overview(self) -> QWidget:
        from hmi.ui.overview_screen import OverviewScreen

        overview = OverviewScreen(self.board, self._palette, priorities=self._priorities, now=self._now,
                                  parent=self.stack)
        self._overview = overview
        self.table_model.statesChanged.connect(overview.refresh_live)
        overview.millActivated.connect(self.open_mill)
        if self._mill_actions is not None:
            overview.statusChanged.connect(self._mill_actions.set_status)
        return overview

    def _build_sensor_screen(self) -> QWidget:
        from hmi.ui.mill_actions import MillActions
        from hmi.ui.mill_list import MillListModel, MillListView, all_mills
        from hmi.ui.sensor_filter_bar import SensorFilterBar
        from hmi.ui.sensor_table import SensorTableView

        splitter = QSplitter(Qt.Orientation.Horizontal, self.stack)
        splitter.setObjectName("mainSplitter")
        splitter.setChildrenCollapsible(False)
        self.mill_model = MillListModel(self.board, self)
        self.table_model.statesChanged.connect(self.mill_model.refresh)
        self._mill_list = mill_list = MillListView(self.mill_model, self._palette)
        self._table = table = SensorTableView(self.table_model)
        self._mill_actions = actions = MillActions(self.plant)
        self._filter_bar = filter_bar = SensorFilterBar(self.board, table.proxy)
        body = QWidget(splitter)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(actions)
        column.addWidget(filter_bar)
        column.addWidget(table, 1)
        mill_pane, _ = _pane(self.tr("Mills"), mill_list, splitter)
        table_pane, self._table_title = _pane(all_mills(), body, splitter)
        splitter.addWidget(mill_pane)
        splitter.addWidget(table_pane)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([MILL_PANE_WIDTH, 1000])
        mill_pane.setMinimumWidth(200)

        mill_list.millSelected.connect(self._on_mill_selected)
        self.table_model.statesChanged.connect(filter_bar.refresh_counts)
        mill_list.millSelected.connect(actions.set_mill)
        actions.message.connect(self.messages.show_message)
        if self._overview is not None:  # the mills' status as the database says (else when it is built)
            self._overview.statusChanged.connect(actions.set_status)
            for slug, tile in self._overview.tiles.items():
                actions.set_status(slug, tile.data.status)
        mill_list.select_mill(None)
        return splitter

    def _build_alarm_summary(self) -> QWidget:
        from hmi.ui.alarm_summary import AlarmSummary

        summary = AlarmSummary(self.alarm_model, self._priorities, now=self._now, parent=self.stack)
        self._alarm_summary = summary
        summary.set_actions_enabled(self._alarm_actions_enabled)
        commands = self.commands
        summary.acknowledgeRequested.connect(commands.acknowledge)
        summary.shelveRequested.connect(commands.shelve)
        summary.unshelveRequested.connect(commands.unshelve)
        summary.resetRequested.connect(commands.reset)
        summary.sensorActivated.connect(self.show_sensor)
        return summary

    def _build_journal(self) -> QWidget:
        from hmi.ui.alarm_journal import AlarmJournal

        journal = AlarmJournal(self.alarm_texts, self._load_journal, self._priorities, now=self._now,
                               parent=self.stack)
        self._journal = journal
        journal.message.connect(self.messages.show_message)
        return journal

    @property
    def quick_search(self) -> QuickSearch:
        """The quick search (Ctrl+K), built when first asked for."""
        if self._quick_search is None:
            from hmi.ui.quick_search import QuickSearch

            search = QuickSearch(self.plant, self._search_screens, self, anchor=self.stack)
            search.set_visible_mills(self._search_mills)
            search.millActivated.connect(self.open_mill)
            search.screenActivated.connect(self.show_screen)
            search.sensorActivated.connect(self.show_sensor)
            search.sensorActivated.connect(self.sensorSearched)
            self._quick_search = search
        return self._quick_search

    def set_search_mills(self, mills: set[str] | None) -> None:
        """Only these mills and their sensors are found by the quick search (None: every mill)."""
        self._search_mills = None if mills is None else set(mills)
        if self._quick_search is not None:
            self._quick_search.set_visible_mills(self._search_mills)

    def hide_quick_search(self) -> None:
        if self._quick_search is not None:
            self._quick_search.hide()

    def set_alarm_actions_enabled(self, enabled: bool) -> None:
        """The banner's and the alarm summary's action buttons (off without alarm actions)."""
        self._alarm_actions_enabled = enabled
        self.banner.set_actions_enabled(enabled)
        if self._alarm_summary is not None:
            self._alarm_summary.set_actions_enabled(enabled)

    def _connect(self) -> None:
        """The frame's wiring (each screen wires its own when it is built)."""
        bridge, model, banner, commands = self.bridge, self.alarm_model, self.banner, self.commands
        bridge.valuesChanged.connect(self.table_model.update)
        bridge.linkChanged.connect(self.status.set_link)

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
        commands.message.connect(self.messages.show_message)
        self.nav.screenSelected.connect(self.show_screen)
        self.nav.tabMenuRequested.connect(self._on_tab_menu)

    def _set_tab_order(self) -> None:
        """Tab goes from the banner's buttons to the screen tabs, then into the screen (the stop
        column, added later beside the screens, comes after)."""
        b = self.banner
        chain = [b.ack_button, b.silence_button, b.ack_all_button, b.list_button, *self.nav.buttons()]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- navigation --------------------------------------------------------------------------------

    def add_screen(self, name: str, widget: QWidget) -> int:
        """A screen with its navigation button; its index in the stack is the button's (pages that
        are not screens, like the sign-in page, stay after the screens). `name` is the screen's English
        name, marked QT_TRANSLATE_NOOP("Screens", ...) by the caller: the tab shows it translated."""
        index = self.nav.add_screen(name)
        self.stack.insertWidget(index, widget)
        return index

    @Slot(int)
    def show_screen(self, screen: int) -> None:
        self.ensure_screen(screen)  # built before it shows: its stand-in is never on screen
        self.stack.setCurrentIndex(screen)
        self.nav.select(screen)
        if screen == Screen.JOURNAL:
            self.journal.load_if_first()
        if self.tear_off.is_torn(screen):
            self.tear_off.raise_window(screen)

    def show_screen_titled(self, title: str) -> bool:
        """The screen of that English name (or shown title), any case; False when there is none."""
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
            menu.addAction(self.tr("Dock back into the main window"), lambda: self.tear_off.dock(index))
        else:
            menu.addAction(self.tr("Tear off into its own window"), lambda: self.tear_off.tear_off(index))
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
        from hmi.ui.mill_list import all_mills

        self.table.proxy.set_mill(slug)
        self.table.show_mill_column(slug is None)
        if slug is None:
            self.table_title.setText(all_mills())
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
        self.hide_quick_search()
        if self.window_state is not None:
            self.window_state.save()
        for part in (self._overview, self._mill_actions):  # only the screens that were built
            if part is not None:
                part.shutdown()
        self.annunciator.shutdown()
        self.commands.close()
        if self._journal is not None:
            self._journal.close_runner()
        if isinstance(self.notifier, TrayNotifier):
            self.notifier.close()
        super().closeEvent(event)
