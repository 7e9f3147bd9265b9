"""The operator workspace around the main window: the e-stop column, the extra screens and the
session shell, assembled from the services one console uses.

The composition root (hmi/app.py) builds the services; this module places the views, so a test can
assemble exactly what the app shows (with real services on a test database) and prove, for
example, that the stop works with every dialog of the app open.

The e-stop column sits beside the screen stack, outside it: the lock overlay covers only the stack,
nothing disables the column, and it acts for whoever is signed in (a locked session included).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QWidget

from hmi.core.estop import ALARMING, LATCHED, EstopState
from hmi.ui.estop_panel import EstopPanel, state_text
from hmi.ui.estop_reset import EstopResetDialog
from hmi.ui.i18n import message_text, translate
from hmi.ui.lazy_screen import LazyScreen
from hmi.ui.main_window import MainWindow, Screen
from hmi.ui.session_controller import bring_to_front
from hmi.ui.session_shell import SessionShell
from hmi.ui.worker import Jobs

log = logging.getLogger(__name__)
SPARK_HISTORY_S = 3600.0
SPARK_POINTS = 240  # min/max of 30 s buckets: the sparkline's own resolution


@dataclass
class WorkspaceServices:
    """What the views call. `estop` is an EstopService (trigger / stop_retrying / reset /
    add_listener); `trend_history` and `trend_views` the trend services (no trend screen without them)."""

    auth: Any
    users: Any
    audit: Any
    alarm_actions: Any | None
    estop: Any
    verify: Callable[[], Any] | None = None
    trend_history: Any | None = None
    trend_views: Any | None = None
    commands: Any | None = None
    retention: Any | None = None  # RetentionSettings: the trend screen's "Data retention…"
    sensor_config: Any | None = None  # SensorConfigService: the configuration screen and faceplates
    readings: Any | None = None  # ReadingsQuery: statistics in the faceplate
    broker: Any | None = None  # the broker URL the topic explorer browses
    link_snapshot: Callable[[], Any] | None = None  # link diagnostics (hmi/core/link_diagnostics.py)
    modbus_device: Any | None = None  # the register scanner's default device
    load_overview: Callable[[set[str] | None], Any] | None = None  # overview tiles' database half
    schematic_folders: Sequence[Any] | None = None  # None: the built-in drawings and the site's folder
    console: str = ""
    subtitle: str = ""
    hold_seconds: float = 1.0
    estop_mode: str = "hold"


class Workspace(QObject):
    """Assembles the workspace into `window` (see the module docstring); `shutdown()` before it goes."""

    sensorEdited = Signal(object)  # Sensor changed at a console: emit from any thread, shown on ours

    def __init__(self, window: MainWindow, services: WorkspaceServices) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self._names = {m.slug: m.name for m in window.plant.mills}
        self.reset_dialogs: dict[str, EstopResetDialog] = {}
        self._estop_texts: dict[str, tuple[str, bool, bool]] = {}  # per mill: text, alarming, latched
        self._mill_status: dict[str, str] = {}
        self.retention_dialog: Any = None
        self.faceplates: dict[str, Any] = {}
        self._config: Any = None  # the configuration and tools screens: built when first opened
        self._tools: Any = None
        self.config_index: int | None = None
        self.tools_index: int | None = None
        self._visible_mills: set[str] = set()
        self.jobs = Jobs("workspace", self)
        self.shell: SessionShell | None = None
        self.estop_panel = self._estop_column()
        self._trends: Any = None  # built when the Trends screen is first opened (keeps start-up short)
        self._trend_placeholder = self._trend_screen()
        self._schematics: Any = None  # built when first shown, like the trends
        self._schematic_placeholder = LazyScreen(self._build_schematics, window.stack)
        self.schematics_index = window.add_screen(QT_TRANSLATE_NOOP("Screens", "Schematics"),
                                                  self._schematic_placeholder)
        self.schematic_editor: Any = None
        self.shell = SessionShell(
            window, services.auth, users=services.users, audit=services.audit,
            alarm_actions=services.alarm_actions, verify=services.verify,
            console=services.console, subtitle=services.subtitle,
        )
        self.shell.estop_panel = self.estop_panel  # type: ignore[attr-defined]
        self.shell.controller.sessionChanged.connect(self._on_trend_user)
        self.shell.controller.sessionChanged.connect(self._on_schematic_user)
        self.config_index = self._config_screen()
        self.tools_index = self._tools_screen()
        self.shell.controller.sessionChanged.connect(self._on_session)
        self._on_session(self.shell.controller.session)
        window.sensorSearched.connect(self.open_faceplate)
        self.sensorEdited.connect(window.table_model.set_sensor)  # queued from the service's thread
        # The window's own screens get their services when they are built (when first shown).
        window.screenBuilt.connect(self._on_screen_built)
        for screen in (Screen.OVERVIEW, Screen.SENSORS, Screen.ALARMS):
            if window.is_built(screen):
                self._wire_screen(screen)

    @Slot(QWidget)
    def _on_screen_built(self, screen: QWidget) -> None:
        index = self.window.stack.indexOf(screen)
        if index in (Screen.OVERVIEW, Screen.SENSORS, Screen.ALARMS):
            self._wire_screen(index)

    def _wire_screen(self, screen: int) -> None:
        w, s = self.window, self.services
        if screen == Screen.OVERVIEW:
            overview = w.overview
            overview.statusChanged.connect(self._on_mill_status)
            overview.set_visible_mills(self._visible_mills)
            for mill, (text, alarming, _latched) in self._estop_texts.items():
                overview.set_estop_state(mill, text, alarm=alarming)
            overview.set_loader(s.load_overview)
        elif screen == Screen.SENSORS:
            w.table.sensorActivated.connect(self.open_faceplate)
            if s.commands is not None:
                w.mill_actions.start_production = self._start_production
            self._seed_sparklines()  # the table's "last hour" column: only shown on this screen
        elif screen == Screen.ALARMS:
            w.alarm_summary.sensorActivated.connect(self.open_faceplate)

    def show_screen_named(self, name: str) -> bool:
        """Show the screen named `name` (any case): its English name ("trends", in any language) or
        its title as shown; False when there is none."""
        index = self.window.nav.index_of(name)
        if index is None:
            return False
        self.window.show_screen(index)
        return True

    @property
    def controller(self) -> Any:
        assert self.shell is not None
        return self.shell.controller

    # -- the e-stop column ---------------------------------------------------------------------------

    def _estop_column(self) -> EstopPanel:
        w, estop = self.window, self.services.estop
        panel = EstopPanel(
            [(m.slug, m.name) for m in w.plant.mills],
            trigger=lambda mill: estop.trigger(self.controller.session, mill, console=self.services.console),
            stop_retrying=lambda mill: estop.stop_retrying(mill, self.controller.session),
            hold_seconds=self.services.hold_seconds,
            mode=self.services.estop_mode,
            vertical=True,
            compact=True,
        )
        central = w.centralWidget()
        row = QWidget(central)
        row.setObjectName("screensRow")
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.setSpacing(0)
        central.layout().replaceWidget(w.stack, row)
        row_layout.addWidget(w.stack, 1)
        row_layout.addWidget(panel)
        w.toast.anchor = w.stack  # notices appear over the screens, never over the stop controls
        estop.add_listener(panel.on_estop_change)
        panel.resetRequested.connect(self.open_reset)
        # queued like the panel's own: the panel shows the change first, then its words go to the tiles
        panel.estopChanged.connect(self._on_estop_changed, Qt.ConnectionType.QueuedConnection)
        return panel

    def _seed_sparklines(self) -> None:
        """The sensor table's "last hour" column from the stored history (off the GUI thread)."""
        history = self.services.trend_history
        if history is None:
            return
        euis = [s.eui for s in self.window.plant.sensors()]

        def load() -> dict[str, tuple[Any, Any]]:
            now = time.time()
            out: dict[str, tuple[Any, Any]] = {}
            for eui in euis:
                series = history.fetch(eui, now - SPARK_HISTORY_S, now, SPARK_POINTS)
                out[eui] = (series.ts, series.values)
            return out

        def failed(exc: BaseException) -> None:
            log.warning("sparkline history not loaded: %s: %s", type(exc).__name__, exc)

        self.jobs.run(load, self.window.table_model.seed_history, failed)

    def _start_production(self, mill: str) -> Any:
        """The mill actions' start, for the signed-in user (on the actions' worker thread)."""
        from hmi.core.permissions import PermissionDenied

        session = self.controller.session
        if session is None:
            raise PermissionDenied(translate("Workspace", "nobody is signed in: sign in to start production"))
        return self.services.commands.start_production(session, mill)

    @Slot(str)
    def open_reset(self, mill: str) -> EstopResetDialog:
        """The reset window of `mill` (one per mill; raised when already open)."""
        dialog = self.reset_dialogs.get(mill)
        if dialog is None or not shiboken6.isValid(dialog):
            dialog = EstopResetDialog(mill, self._names.get(mill, mill), self.window)
            dialog.submitted.connect(lambda reason, m=mill: self.request_reset(m, reason))
            self.reset_dialogs[mill] = dialog
        dialog.show()
        bring_to_front(dialog)
        return dialog

    def request_reset(self, mill: str, reason: str) -> None:
        """Password re-entry when due, then the service's reset off the GUI thread."""
        dialog = self.reset_dialogs[mill]
        controller = self.controller

        def send() -> None:
            session = controller.session
            if session is None:
                dialog.show_error(self.tr("nobody is signed in"))
                return
            dialog.set_busy(True)
            controller.jobs.run(self.services.estop.reset, sent, failed, session, mill, reason)

        def sent(_handle: object) -> None:
            if shiboken6.isValid(dialog):
                dialog.set_busy(True, self.tr("Reset requested: waiting for the controller to report the mill "
                                              "safe\u2026"))

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(dialog):
                return
            dialog.show_error(message_text(getattr(exc, "reason", None) or exc) or type(exc).__name__)
            if getattr(exc, "needs_reauth", False):
                controller.request_reauth(label, send, dialog)

        label = self.tr("reset the stop latch of {mill}").format(mill=self._names.get(mill, mill))
        controller.request_reauth(label, send, dialog)

    @Slot(object, object)
    def _on_estop_changed(self, change: object, status: object) -> None:
        mill = str(getattr(status, "mill", "") or getattr(change, "mill", ""))
        if mill in self.estop_panel.cells:  # the overview tile and the schematic say it too
            state = EstopState(getattr(status, "state", EstopState.IDLE))
            text = self.estop_panel.state_text(mill)
            if self.window.is_built(Screen.OVERVIEW):  # else it gets `_estop_texts` when built
                self.window.overview.set_estop_state(mill, text, alarm=state in ALARMING)
            self._estop_texts[mill] = (text, state in ALARMING, state in LATCHED)
            if self._schematics is not None:
                self._schematics.set_estop_state(mill, text, alarming=state in ALARMING, latched=state in LATCHED)
        dialog = self.reset_dialogs.get(mill)
        if dialog is None or not shiboken6.isValid(dialog) or not dialog.isVisible():
            return
        state = EstopState(getattr(status, "state", EstopState.IDLE))
        if state is EstopState.RESET:
            dialog.show_info(self.tr("Latch reset: the controller reports the mill safe. The mill stays stopped "
                                     "until production is started."))
        elif state is EstopState.STOPPED and dialog.busy:
            dialog.show_error(state_text(status) or self.tr("the controller did not accept the reset"))

    # -- screens -------------------------------------------------------------------------------------

    def _trend_screen(self) -> Any:
        """A placeholder in the Trends slot; the screen (pyqtgraph and its worker) is built the first
        time it is shown or asked for."""
        if self.services.trend_history is None:
            return None
        placeholder = LazyScreen(self._build_trends, self.window.stack)
        self.window.add_screen(QT_TRANSLATE_NOOP("Screens", "Trends"), placeholder)
        return placeholder

    @property
    def trends(self) -> Any:
        """The trend screen (built on first use); None when the workstation has no trend services."""
        if self._trends is None and self._trend_placeholder is not None:
            self._build_trends()
        return self._trends

    def _build_trends(self) -> None:
        if self._trends is not None or self._trend_placeholder is None:
            return
        from hmi.ui.trend_screen import TrendScreen

        s, w = self.services, self.window
        trends = TrendScreen(w.plant, history=s.trend_history, bridge=w.bridge, views=s.trend_views, parent=w.stack)
        placeholder = self._trend_placeholder
        index = w.stack.indexOf(placeholder)
        current = w.stack.currentWidget() is placeholder
        w.stack.insertWidget(index, trends)
        w.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self._trend_placeholder = None
        if current:
            w.stack.setCurrentWidget(trends)
        w.screenBuilt.emit(trends)  # e.g. its splitters are restored
        if s.retention is not None:
            trends.retentionRequested.connect(self.open_retention)
        else:
            trends.toolbar.retention_action.setVisible(False)
        self._trends = trends
        session = self.controller.session if self.shell is not None else None
        trends.set_user(session.username if session else "")

    @property
    def schematics(self) -> Any:
        """The schematic screen (built on first use)."""
        if self._schematics is None:
            self._build_schematics()
        return self._schematics

    def _build_schematics(self) -> None:
        if self._schematics is not None:
            return
        from hmi.ui.schematic_screen import SchematicScreen

        w = self.window
        screen = SchematicScreen(w.plant, self.services.schematic_folders, parent=w.stack)
        placeholder = self._schematic_placeholder
        current = w.stack.currentWidget() is placeholder
        w.stack.insertWidget(w.stack.indexOf(placeholder), screen)
        w.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if current:
            w.stack.setCurrentWidget(screen)
        self._schematics = screen
        w.screenBuilt.emit(screen)
        # What happened before it existed: the live values, the alarms, each mill's status and stop.
        screen.on_values({r.eui: r.reading for r in w.board.rows if r.reading is not None})
        screen.on_alarms(list(w.alarms))
        for mill, (text, alarming, latched) in self._estop_texts.items():
            screen.set_estop_state(mill, text, alarming=alarming, latched=latched)
        for slug, status in self._mill_status.items():
            screen.set_mill_status(slug, status)
        w.bridge.valuesChanged.connect(screen.on_values)
        w.bridge.alarmsChanged.connect(screen.on_alarms)
        w.banner.blinkChanged.connect(screen.set_blink)
        screen.sensorActivated.connect(self.open_faceplate)
        screen.editRequested.connect(self.open_schematic_editor)
        self._on_schematic_user(self.controller.session if self.shell is not None else None)

    @Slot()
    def open_schematic_editor(self) -> Any:
        """The binding editor (non-modal window; saving is checked by the service)."""
        from hmi.ui.schematic_binding_editor import SchematicBindingEditor

        editor = self.schematic_editor
        if editor is None or not shiboken6.isValid(editor):
            editor = SchematicBindingEditor(self.window.plant, lambda: self.controller.session, self.window)
            self.schematic_editor = editor
        editor.show()
        bring_to_front(editor)
        return editor

    def _on_schematic_user(self, session: Any) -> None:
        if self._schematics is None:
            return
        from hmi.core.permissions import Action

        role = session.principal.role if session is not None else None
        self._schematics.edit_button.setVisible(
            role is not None and self.services.auth.permissions.role_allows(role, Action.EDIT_SENSORS)
        )

    @Slot(str, str)
    def _on_mill_status(self, slug: str, status: str) -> None:
        self._mill_status[slug] = status
        if self._schematics is not None:
            self._schematics.set_mill_status(slug, status)

    @Slot(object)
    def _on_trend_user(self, session: Any) -> None:
        if self._trends is not None:
            self._trends.set_user(session.username if session else "")

    @Slot()
    def open_retention(self) -> Any:
        """The site's data retention (non-modal; one at a time)."""
        from hmi.core.permissions import Action
        from hmi.ui.trend_retention import RetentionDialog

        dialog = self.retention_dialog
        if dialog is None or not shiboken6.isValid(dialog):
            dialog = RetentionDialog(
                self.services.retention, lambda: self.controller.session,
                lambda: bool(self.controller.can(Action.CHANGE_SETTINGS)), self.window,
            )
            self.retention_dialog = dialog
        dialog.show()
        bring_to_front(dialog)
        return dialog

    @property
    def config(self) -> Any:
        """The configuration screen (built now if it has not been yet); None without the sensor
        configuration service."""
        if self.config_index is not None:
            self.window.ensure_screen(self.config_index)
        return self._config

    @property
    def tools(self) -> Any:
        """The commissioning tools (built now if they have not been yet); None without link diagnostics."""
        if self.tools_index is not None:
            self.window.ensure_screen(self.tools_index)
        return self._tools

    def _config_screen(self) -> int | None:
        if self.services.sensor_config is None:
            return None
        return self.window.add_lazy_screen(QT_TRANSLATE_NOOP("Screens", "Configuration"), self._build_config)

    def _build_config(self) -> QWidget:
        from hmi.ui.config_screen import ConfigScreen

        s, w = self.services, self.window
        self._config = ConfigScreen(w.plant, sensor_config=s.sensor_config, session_provider=self.controller,
                                    parent=w.stack)
        return self._config

    def _tools_screen(self) -> int | None:
        if self.services.link_snapshot is None:
            return None
        return self.window.add_lazy_screen(QT_TRANSLATE_NOOP("Screens", "Tools"), self._build_tools)

    def _build_tools(self) -> QWidget:
        from hmi.ui.tools_screen import ToolsScreen

        s, w = self.services, self.window
        self._tools = ToolsScreen(broker=s.broker, link_snapshot=s.link_snapshot, guard=self._tools_guard,
                                  modbus_device=s.modbus_device, parent=w.stack)
        self._tools.bindRequested.connect(self.bind_source)
        return self._tools

    def _tools_guard(self) -> None:
        """The commissioning tools' check, run by their services before touching a broker or device."""
        from hmi.core.permissions import Action, PermissionDenied

        session = self.controller.session
        table = self.services.auth.permissions
        if session is None or not table.role_allows(session.principal.role, Action.EDIT_SENSORS):
            raise PermissionDenied(
                translate("Workspace", "only technicians and admins may use the commissioning tools"),
                action=Action.EDIT_SENSORS)

    @Slot(str)
    def bind_source(self, url: str) -> None:
        """A source URL picked in the topic explorer or register scanner: into the sensor editor (the
        open form, else the selected sensor, else a new sensor of the selected mill)."""
        if self.config_index is None:
            return
        editor = self.config.sensors
        self.window.show_screen(self.config_index)
        self.config.tabs.setCurrentWidget(editor)
        if not editor.form_open():
            if editor.selected_sensor() is not None:
                editor.edit_selected()
            else:
                editor.new_sensor()
        if editor.form_open():
            editor.sensor_form.set_text("source", url)
            self.window.messages.show_message("info", self.tr("Source set to {url}: check the form and save.").format(
                url=url))

    @Slot(object)
    def _on_session(self, session: Any) -> None:
        """Screens a role has no use for are hidden (the services refuse anyway)."""
        from hmi.core.permissions import Action

        table = self.services.auth.permissions
        grants = table.grants
        role = session.principal.role if session is not None else None
        slugs = [m.slug for m in self.window.plant.mills]
        self._visible_mills = set(table.visible_mills(session.principal, slugs)) if session else set()
        if self.window.is_built(Screen.OVERVIEW):  # else it gets them when built
            self.window.overview.set_visible_mills(self._visible_mills)
        configures = role is not None and bool(
            grants[role] & {Action.EDIT_SENSORS, Action.EDIT_MILLS, Action.CHANGE_SETTINGS}
        )
        if self.config_index is not None:
            self.window.nav.button(self.config_index).setVisible(configures)
        if self.tools_index is not None:
            commissions = role is not None and Action.EDIT_SENSORS in grants[role]
            self.window.nav.button(self.tools_index).setVisible(commissions)

    @Slot(str)
    def open_faceplate(self, eui: str) -> Any:
        """The sensor's faceplate in its own non-modal window (one per sensor; raised when open)."""
        s = self.services
        if s.sensor_config is None:
            self.window.show_sensor(eui)
            return None
        fp = self.faceplates.get(eui)
        if fp is not None and shiboken6.isValid(fp):
            if fp.isVisible():
                bring_to_front(fp)
                return fp
            fp.deleteLater()  # closed earlier (its worker stopped): a fresh one
        from hmi.ui.faceplate import open_faceplate

        fp = open_faceplate(
            self.window.plant, eui, readings=s.readings, sensor_config=s.sensor_config, commands=s.commands,
            session_provider=self.controller, alarms=self.window.alarms, history=s.trend_history,
            parent=self.window,
        )
        self.window.bridge.valuesChanged.connect(fp.on_values)
        self.faceplates[eui] = fp
        bring_to_front(fp)
        return fp

    def shutdown(self) -> None:
        """Stop the parts with threads of their own, before the window goes (never from `destroyed`)."""
        self.jobs.close()
        for dialog in (*self.reset_dialogs.values(), self.retention_dialog, *self.faceplates.values(),
                       self.schematic_editor):
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.close()
        if self._config is not None:
            self._config.shutdown()
        if self._tools is not None:
            self._tools.shutdown()
        if self._trends is not None:
            self._trends.shutdown()
        if self._schematics is not None:
            self._schematics.shutdown()
        if self.shell is not None:
            self.shell.shutdown()
