"""The operator window. It only assembles: header strip, the alarm banner (on every screen), the
message strip, the screen tabs, a stack of screens (sensors with their mill navigation, the alarm
summary, the alarm journal) and the status bar; and wires them to the bridge, the alarm actions and
one 1 Hz heartbeat (clock, ages, rates, floods)."""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QMainWindow, QSplitter, QStackedWidget, QVBoxLayout, QWidget

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
from hmi.ui.mill_list import ALL_MILLS, MillListModel, MillListView
from hmi.ui.notices import MessageStrip, Toast, TrayNotifier, make_notifier
from hmi.ui.screen_nav import ScreenNav
from hmi.ui.sensor_board import SensorBoard
from hmi.ui.sensor_table import SensorTableView
from hmi.ui.sensor_table_model import SensorTableModel
from hmi.ui.status_bar import LinkStatusBar
from hmi.ui.theme import AlarmPalette, PriorityPalette

TICK_MS = 1000
MILL_PANE_WIDTH = 236
# An explicit minimum size: the layout then never changes the window's size hints after show
# (changing them on a shown window warns "does not support propagateSizeHints" on some platforms).
MIN_WINDOW_SIZE = (1024, 700)


class Screen(enum.IntEnum):
    SENSORS = 0
    ALARMS = 1
    JOURNAL = 2


SCREEN_TITLES = {Screen.SENSORS: "Sensors", Screen.ALARMS: "Alarms", Screen.JOURNAL: "Journal"}


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
        self._connect()

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
        mill_pane, _ = _pane("Mills", self.mill_list, splitter)
        table_pane, self.table_title = _pane(ALL_MILLS, self.table, splitter)
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

    # -- navigation --------------------------------------------------------------------------------

    @Slot(int)
    def show_screen(self, screen: int) -> None:
        self.stack.setCurrentIndex(screen)
        self.nav.select(screen)
        if screen == Screen.JOURNAL:
            self.journal.load_if_first()

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
        self.annunciator.shutdown()
        self.commands.close()
        self.journal.close_runner()
        if isinstance(self.notifier, TrayNotifier):
            self.notifier.close()
        super().closeEvent(event)
