"""Mills and sensors editor: create, edit, deactivate mills; create, edit, disable sensors.

Problems are shown under their fields while typing (the plant file's own validation over the plant
as last loaded, including names and EUIs already taken), and saving is blocked with a message until
they are fixed. Saving goes to SensorConfigService on a worker thread, which validates again against
the database in the write transaction, checks the permissions, audits, and refuses with a sentence
shown in the message strip. Without the permission the form is read-only and says why.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hmi.core.domain import Mill, Sensor
from hmi.core.permissions import Action
from hmi.core.plant import Plant, PlantError, PlantProblem
from hmi.services.sensor_config import (
    ConfigSnapshot,
    SensorConfigService,
    check_mill,
    check_sensor,
    mill_draft,
    sensor_draft,
)
from hmi.ui.config_calls import ServiceCaller, failure_text
from hmi.ui.config_forms import (
    CALIBRATION_FIELDS,
    MILL_FIELDS,
    SENSOR_FIELDS,
    THRESHOLD_FIELDS,
    FieldForm,
    fmt_short,
    fmt_signed,
    problem_summary,
)
from hmi.ui.config_models import RIGHT, Column, RowsModel, make_table
from hmi.ui.domain_words import word
from hmi.ui.i18n import message_text
from hmi.ui.sensor_board import NO_VALUE
from hmi.ui.session_controller import SessionController, set_message
from hmi.ui.wrap_layout import WrapLayout

FORM_WIDTH = 470
VALIDATE_DELAY_MS = 150


def _limits(s: Sensor) -> str:
    th = s.thresholds
    limits = (("LL", th.critical_min), ("L", th.warning_min), ("H", th.warning_max), ("HH", th.critical_max))
    parts = [f"{tag} {fmt_short(v)}" for tag, v in limits if v is not None]
    return " \u00b7 ".join(parts) or NO_VALUE


class MillsSensorsEditor(QWidget):
    """The "Mills and sensors" tab."""

    def __init__(self, service: SensorConfigService, controller: SessionController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("configPanel")
        self.service = service
        self.controller = controller
        self.caller = ServiceCaller(controller, "config-sensors", self)
        self.snapshot = ConfigSnapshot(Plant(), {})
        self._mode = ""  # "" | "new_mill" | "edit_mill" | "new_sensor" | "edit_sensor"
        self._target = ""  # the slug or EUI being edited; the mill for a new sensor
        self._base: dict[str, Any] = {}
        self._problems: list[PlantProblem] = []

        title = QLabel(self.tr("Mills and sensors"), self)
        title.setObjectName("viewTitle")
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.new_mill_button = QPushButton(self.tr("New mill"), self)
        self.new_sensor_button = QPushButton(self.tr("New sensor"), self)
        self.edit_button = QPushButton(self.tr("Edit"), self)
        self.mill_active_button = QPushButton(self.tr("Deactivate mill"), self)
        self.sensor_enabled_button = QPushButton(self.tr("Disable sensor"), self)

        deactivated, disabled = self.tr("deactivated"), self.tr("disabled")
        capacity, interval = self.tr("{capacity} t/d"), self.tr("{seconds} s")
        self.mills_model: RowsModel[Mill] = RowsModel([
            Column(self.tr("Mill"), lambda m: m.name),
            Column(self.tr("Slug"), lambda m: m.slug),
            Column(self.tr("Status"), lambda m: word(m.status)),
            Column(self.tr("Sensors"), lambda m: str(len(m.sensors)), RIGHT),
            Column(self.tr("Capacity"), lambda m: capacity.format(capacity=fmt_short(m.capacity)), RIGHT),
            Column("", lambda m: "" if self.snapshot.active.get(m.slug, True) else deactivated),
        ], dimmed=lambda m: not self.snapshot.active.get(m.slug, True))
        self.sensors_model: RowsModel[Sensor] = RowsModel([
            Column(self.tr("Sensor"), lambda s: s.name),
            Column(self.tr("Type"), lambda s: word(s.type)),
            Column(self.tr("EUI"), lambda s: s.eui),
            Column(self.tr("Unit"), lambda s: s.display_unit),
            Column(self.tr("Interval"), lambda s: interval.format(seconds=fmt_short(s.sampling_interval)), RIGHT),
            Column(self.tr("Limits"), _limits),
            Column(self.tr("Calibration"), lambda s: f"\u00d7{fmt_short(s.calibration.multiplier)} "
                                                     f"{fmt_signed(s.calibration.offset)}"),
            Column("", lambda s: "" if s.enabled else disabled),
        ], dimmed=lambda s: not s.enabled)
        self.mills_table = make_table(self.mills_model, "configTable", self)
        self.sensors_table = make_table(self.sensors_model, "configTable", self)
        self.mills_table.setMaximumHeight(200)

        # The form: identity, alarm limits, calibration (+ the reason a calibration change needs).
        self.form_title = QLabel("", self)
        self.form_title.setObjectName("cardHeading")
        self.read_only_notice = QLabel(self)
        self.read_only_notice.setObjectName("readOnlyNotice")
        self.read_only_notice.setWordWrap(True)
        self.read_only_notice.hide()
        self.mill_form = FieldForm(MILL_FIELDS, self)
        self.sensor_form = FieldForm(SENSOR_FIELDS, self)
        self.threshold_form = FieldForm(THRESHOLD_FIELDS, self, title=self.tr("Alarm limits"))
        self.calibration_form = FieldForm(CALIBRATION_FIELDS, self, title=self.tr(
            "Calibration (calibrated = raw \u00d7 multiplier + offset)"))
        self.calibration_form.title.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("calibrationReason")
        self.reason.setPlaceholderText(self.tr("Why the calibration changes (required for a change)"))
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("primaryButton")
        form_body = QWidget(self)
        fb = QVBoxLayout(form_body)
        fb.setContentsMargins(0, 0, 6, 0)
        fb.setSpacing(8)
        fb.addWidget(self.form_title)
        fb.addWidget(self.read_only_notice)
        for w in (self.mill_form, self.sensor_form, self.threshold_form, self.calibration_form, self.reason):
            fb.addWidget(w)
        fb.addStretch(1)
        self.form_area = QScrollArea(self)
        self.form_area.setObjectName("formArea")
        self.form_area.setWidget(form_body)
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QFrame.Shape.NoFrame)
        self.form_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        self.form_panel = QWidget(self)
        fp = QVBoxLayout(self.form_panel)
        fp.setContentsMargins(0, 0, 0, 0)
        fp.addWidget(self.form_area, 1)
        fp.addLayout(buttons)
        self.form_panel.setFixedWidth(FORM_WIDTH + 24)
        self.form_panel.hide()

        self.message = QLabel(self)
        self.message.setObjectName("messageStrip")
        self.message.setWordWrap(True)
        set_message(self.message, "")

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        toolbar = WrapLayout(spacing=8, row_spacing=8)  # wraps on a narrow window: every button keeps its whole words
        for b in (self.new_mill_button, self.new_sensor_button, self.edit_button, self.mill_active_button,
                  self.sensor_enabled_button):
            toolbar.addWidget(b)
        tables = QSplitter(Qt.Orientation.Vertical, self)
        tables.setChildrenCollapsible(False)
        tables.addWidget(self.mills_table)
        tables.addWidget(self.sensors_table)
        tables.setStretchFactor(1, 1)
        middle = QHBoxLayout()
        middle.setSpacing(12)
        middle.addWidget(tables, 1)
        middle.addWidget(self.form_panel)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(10)
        outer.addLayout(top)
        outer.addLayout(toolbar)
        outer.addLayout(middle, 1)
        outer.addWidget(self.message)

        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.validate)
        for form in (self.mill_form, self.sensor_form, self.threshold_form, self.calibration_form):
            form.edited.connect(self._validate_timer.start)
        self.refresh_button.clicked.connect(self.refresh)
        self.new_mill_button.clicked.connect(self.new_mill)
        self.new_sensor_button.clicked.connect(self.new_sensor)
        self.edit_button.clicked.connect(self.edit_selected)
        self.mill_active_button.clicked.connect(self._on_mill_active)
        self.sensor_enabled_button.clicked.connect(self._on_sensor_enabled)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.close_form)
        self.mills_table.selectionModel().selectionChanged.connect(self._on_mill_selected)
        self.sensors_table.selectionModel().selectionChanged.connect(self._on_selection)
        self.sensors_table.doubleClicked.connect(self.edit_selected)
        self.mills_table.doubleClicked.connect(self._on_mill_double_clicked)
        controller.permissionsChanged.connect(self._on_permissions)
        controller.apply_permission(self.new_mill_button, Action.EDIT_MILLS)
        self._on_selection()

    # -- public ----------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        self._validate_timer.stop()
        for w in (self.new_mill_button, self.new_sensor_button, self.mill_active_button, self.sensor_enabled_button,
                  self.save_button):
            self.controller.release_permission(w)
        self.caller.close()

    @Slot()
    def refresh(self) -> None:
        self.caller.run(self.service.snapshot, self._on_snapshot, self._on_failed)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self.snapshot.plant.mills:
            self.refresh()

    @property
    def form_open(self) -> bool:
        return self.form_panel.isVisibleTo(self)

    def selected_mill(self) -> Mill | None:
        rows = self.mills_table.selectionModel().selectedRows()
        return self.mills_model.row(rows[0].row()) if rows else None

    def selected_sensor(self) -> Sensor | None:
        rows = self.sensors_table.selectionModel().selectedRows()
        return self.sensors_model.row(rows[0].row()) if rows else None

    def select_mill(self, slug: str) -> None:
        for i, m in enumerate(self.mills_model.rows()):
            if m.slug == slug:
                self.mills_table.selectRow(i)

    def select_sensor(self, eui: str) -> None:
        for i, s in enumerate(self.sensors_model.rows()):
            if s.eui == eui:
                self.sensors_table.selectRow(i)

    # -- loading ---------------------------------------------------------------------------------------
    def _on_snapshot(self, snap: ConfigSnapshot) -> None:
        mill, sensor = self.selected_mill(), self.selected_sensor()
        self.snapshot = snap
        self.mills_model.set_rows(list(snap.plant.mills))
        if mill is not None:
            self.select_mill(mill.slug)
        elif snap.plant.mills:
            self.mills_table.selectRow(0)
        if sensor is not None:
            self.select_sensor(sensor.eui)
        self._on_selection()

    @Slot()
    def _on_mill_selected(self) -> None:
        mill = self.selected_mill()
        self.sensors_model.set_rows(list(mill.sensors) if mill is not None else [])
        self._on_selection()

    @Slot()
    def _on_selection(self) -> None:
        mill, sensor = self.selected_mill(), self.selected_sensor()
        active = mill is None or self.snapshot.active.get(mill.slug, True)
        self.mill_active_button.setText(self.tr("Deactivate mill") if active else self.tr("Reactivate mill"))
        self.sensor_enabled_button.setText(self.tr("Disable sensor") if sensor is None or sensor.enabled
                                           else self.tr("Enable sensor"))
        slug = mill.slug if mill is not None else None
        self.controller.apply_permission(self.new_sensor_button, Action.EDIT_SENSORS, slug)
        self.controller.apply_permission(self.mill_active_button, Action.EDIT_MILLS)
        self.controller.apply_permission(self.sensor_enabled_button, Action.EDIT_SENSORS, slug)
        if mill is None:
            self.new_sensor_button.setEnabled(False)
            self.mill_active_button.setEnabled(False)
        if sensor is None:
            self.sensor_enabled_button.setEnabled(False)
        self.edit_button.setEnabled(mill is not None)

    @Slot()
    def _on_permissions(self) -> None:
        self._on_selection()
        if self.form_open:
            self._apply_read_only()

    # -- the form --------------------------------------------------------------------------------------
    @Slot()
    def new_mill(self) -> None:
        self._open("new_mill", "", {"status": "active", "capacity": 0.0}, self.tr("New mill"))

    @Slot()
    def new_sensor(self) -> None:
        mill = self.selected_mill()
        if mill is None:
            set_message(self.message, self.tr("Choose the mill the new sensor belongs to."), "error")
            return
        self._open("new_sensor", mill.slug, {"type": "temperature", "sampling_interval": 5.0},
                   self.tr("New sensor in {mill}").format(mill=mill.name))

    @Slot()
    def edit_selected(self) -> None:
        sensor = self.selected_sensor()
        if sensor is not None:
            self._open("edit_sensor", sensor.eui, sensor_draft(sensor), f"{sensor.name}")
            return
        mill = self.selected_mill()
        if mill is not None:
            self._open("edit_mill", mill.slug, mill_draft(mill), mill.name)

    @Slot()
    def _on_mill_double_clicked(self) -> None:
        mill = self.selected_mill()
        if mill is not None:
            self.sensors_table.clearSelection()
            self._open("edit_mill", mill.slug, mill_draft(mill), mill.name)

    def _open(self, mode: str, target: str, base: dict[str, Any], title: str) -> None:
        self._mode, self._target, self._base = mode, target, dict(base)
        is_mill = mode.endswith("mill")
        editing = mode.startswith("edit")
        self.form_title.setText(title)
        self.mill_form.setVisible(is_mill)
        for w in (self.sensor_form, self.threshold_form, self.calibration_form, self.reason):
            w.setVisible(not is_mill)
        if is_mill:
            self.mill_form.set_draft(base, editing=editing)
        else:
            for form in (self.sensor_form, self.threshold_form, self.calibration_form):
                form.set_draft(base, editing=editing)
        self.reason.clear()
        self._problems = []
        self.form_panel.show()
        set_message(self.message, "")
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        mill = self._target if self._mode in ("edit_mill", "new_sensor") else None
        if self._mode == "edit_sensor":
            sensor = self._sensor(self._target)
            mill = sensor.mill_slug if sensor is not None else None
        action = Action.EDIT_MILLS if self._mode.endswith("mill") else Action.EDIT_SENSORS
        decision = self.controller.can(action, mill)
        usable = decision.allowed or decision.needs_reauth
        for form in (self.mill_form, self.sensor_form, self.threshold_form, self.calibration_form):
            form.set_read_only(not usable)
        self.reason.setReadOnly(not usable)
        self.read_only_notice.setVisible(not usable)
        self.read_only_notice.setText(self.tr("Read only: {reason}.").format(reason=message_text(decision.reason))
                                      if not usable else "")
        self.controller.apply_permission(self.save_button, action, mill)

    def _sensor(self, eui: str) -> Sensor | None:
        return next((s for s in self.snapshot.plant.sensors() if s.eui == eui), None)

    @Slot()
    def close_form(self) -> None:
        self._validate_timer.stop()
        self.form_panel.hide()
        self.controller.release_permission(self.save_button)
        self._mode = ""

    def draft(self) -> dict[str, Any]:
        if self._mode.endswith("mill"):
            return self.mill_form.merged_into(self._base)
        doc = dict(self._base)
        for form in (self.sensor_form, self.threshold_form, self.calibration_form):
            doc = form.merged_into(doc)
        return doc

    @Slot()
    def validate(self) -> list[PlantProblem]:
        """Check the draft against the plant as last loaded; show each problem under its field."""
        plant = self.snapshot.plant
        draft = self.draft()
        problems: list[PlantProblem]
        if self._mode == "new_mill":
            _, problems = check_mill(plant, draft)
        elif self._mode == "edit_mill":
            _, problems = check_mill(plant, draft, original=self._target)
        elif self._mode == "new_sensor":
            _, problems = check_sensor(plant, self._target, draft)
        elif self._mode == "edit_sensor":
            sensor = self._sensor(self._target)
            mill = sensor.mill_slug if sensor is not None else ""
            _, problems = check_sensor(plant, mill, draft, original=self._target)
            if sensor is not None and not self.reason.text().strip():
                cal = draft.get("calibration", {})
                if (cal.get("offset"), cal.get("multiplier")) != (sensor.calibration.offset,
                                                                 sensor.calibration.multiplier):
                    problems = [*problems, PlantProblem("", "reason", self.tr("say why the calibration changes"))]
        else:
            return []
        self._show_problems(problems)
        return problems

    def _show_problems(self, problems: list[PlantProblem]) -> None:
        self._problems = list(problems)
        rest = problems
        forms = (self.mill_form,) if self._mode.endswith("mill") else (
            self.sensor_form, self.threshold_form, self.calibration_form)
        for form in forms:
            rest = form.show_problems(rest)
        if problems:
            set_message(self.message, problem_summary(problems), "error")
        else:
            set_message(self.message, "")

    @Slot()
    def save(self) -> None:
        """Validate, and save through the service only when nothing is wrong."""
        problems = self.validate()
        if problems:
            return
        draft, target, mode = self.draft(), self._target, self._mode
        svc = self.service
        set_message(self.message, self.tr("Saving\u2026"), "busy")
        mills_label, sensors_label = self.tr("edit mills"), self.tr("edit sensors")
        if mode == "new_mill":
            self.caller.call(mills_label, svc.create_mill, (draft,), self._saved, self._on_failed, self)
        elif mode == "edit_mill":
            self.caller.call(mills_label, svc.update_mill, (target, draft), self._saved, self._on_failed, self)
        elif mode == "new_sensor":
            self.caller.call(sensors_label, svc.create_sensor, (target, draft), self._saved, self._on_failed, self)
        elif mode == "edit_sensor":
            reason = self.reason.text().strip()
            self.caller.call(sensors_label, _update_sensor, (svc, target, draft, reason), self._saved,
                             self._on_failed, self)

    def _saved(self, result: Mill | Sensor) -> None:
        if isinstance(result, Mill):
            text = self.tr("Saved mill {name}.").format(name=result.name)
        else:
            text = self.tr("Saved sensor {name} ({eui}).").format(name=result.name, eui=result.eui)
        set_message(self.message, text, "info")
        self.close_form()
        select = result.mill_slug if isinstance(result, Sensor) else result.slug
        eui = result.eui if isinstance(result, Sensor) else ""
        self.caller.run(self.service.snapshot, lambda snap: self._reloaded(snap, select, eui), self._on_failed)

    def _reloaded(self, snap: ConfigSnapshot, slug: str, eui: str) -> None:
        self._on_snapshot(snap)
        self.select_mill(slug)
        if eui:
            self.select_sensor(eui)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PlantError) and self.form_open:
            self._show_problems(exc.problems)
            return
        set_message(self.message, failure_text(exc), "error")

    # -- deactivate / disable --------------------------------------------------------------------------
    @Slot()
    def _on_mill_active(self) -> None:
        mill = self.selected_mill()
        if mill is None:
            return
        active = not self.snapshot.active.get(mill.slug, True)
        label = self.tr("reactivate a mill") if active else self.tr("deactivate a mill")
        done = (self.tr("Mill {name} reactivated.") if active else self.tr("Mill {name} deactivated.")).format(
            name=mill.name)
        self.caller.call(label, self.service.set_mill_active, (mill.slug, active),
                         lambda _prev: self._toggled(done), self._on_failed, self)

    @Slot()
    def _on_sensor_enabled(self) -> None:
        sensor = self.selected_sensor()
        if sensor is None:
            return
        enable = not sensor.enabled
        enabled, disabled = self.tr("Sensor {name} enabled."), self.tr("Sensor {name} disabled.")
        self.caller.call(self.tr("enable a sensor") if enable else self.tr("disable a sensor"),
                         self.service.set_enabled, (sensor.eui, enable),
                         lambda s: self._toggled((enabled if s.enabled else disabled).format(name=s.name)),
                         self._on_failed, self)

    def _toggled(self, text: str) -> None:
        set_message(self.message, text, "info")
        self.refresh()


def _update_sensor(session: Any, service: SensorConfigService, eui: str, draft: dict[str, Any],
                   reason: str) -> Sensor:
    return service.update_sensor(session, eui, draft, reason=reason)
