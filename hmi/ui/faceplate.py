"""The sensor faceplate: everything about one sensor in a small window opened from anywhere it appears.

Live value (fed by the bridge through `on_values`), the last hour as a small trend with the alarm
limits, statistics over a chosen range, alarm limits and calibration with validation before saving,
"calibrate against a reference" (the offset is shown before it is applied; applying needs a reason and,
when due, the password), the calibration history, the sensor's alarms and its audit history, and
enable/disable.

It is a non-modal window (`open_faceplate` shows it with show(), never exec()), so the e-stop stays
usable. Database and service calls run on a worker thread (hmi/ui/config_calls.py); `shutdown()` (also
on close) stops it. The services are the real permission check: for a role that may not edit, the
forms are read-only and say why, and a request that reaches a service anyway shows its refusal.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.core.alarms import Alarm
from hmi.core.commands import CalibrationProposal
from hmi.core.domain import Reading, Sensor
from hmi.core.permissions import Action
from hmi.core.plant import Plant, PlantError
from hmi.services.audit_service import AuditEntry
from hmi.services.sensor_config import SensorConfigService, sensor_draft
from hmi.ui.alarm_list import STATE_LABELS, AlarmList
from hmi.ui.config_calls import ServiceCaller, failure_text
from hmi.ui.config_forms import CALIBRATION_FIELDS, SENSOR_FIELDS, THRESHOLD_FIELDS, FieldForm, problem_summary
from hmi.ui.config_models import RIGHT, Column, RowsModel, make_table
from hmi.ui.config_style import style_config
from hmi.ui.domain_words import capitalised, word
from hmi.ui.faceplate_trend import MiniTrend
from hmi.ui.i18n import TrMap, fmt_datetime, fmt_duration, fmt_int, message_text, parse_number, translate
from hmi.ui.sensor_board import NO_VALUE, SensorBoard, number_text, value_text
from hmi.ui.session_controller import SessionController, set_message
from hmi.ui.theme import set_state_property
from hmi.ui.trend_pens import format_general, format_signed

CONTEXT = "SensorFaceplate"
SIZE = (720, 900)
RANGES = (
    (QT_TRANSLATE_NOOP("SensorFaceplate", "Last hour"), 3600.0),
    (QT_TRANSLATE_NOOP("SensorFaceplate", "Last 8 hours"), 8 * 3600.0),
    (QT_TRANSLATE_NOOP("SensorFaceplate", "Last 24 hours"), 86400.0),
    (QT_TRANSLATE_NOOP("SensorFaceplate", "Last 7 days"), 7 * 86400.0),
)
# How a calibration record came about (hmi/storage/calibration_repo.py KIND_*), when it has no reason.
CALIBRATION_KINDS = TrMap(CONTEXT, {
    "reference": QT_TRANSLATE_NOOP("SensorFaceplate", "against a reference"),
    "manual": QT_TRANSLATE_NOOP("SensorFaceplate", "typed in"),
    "import": QT_TRANSLATE_NOOP("SensorFaceplate", "plant file import"),
})
TICK_MS = 1000
TREND_POINTS = 600
INTERVAL_FIELD = tuple(f for f in SENSOR_FIELDS if f.key == "sampling_interval")  # its label is translated there


def _when(ts: datetime | float | None) -> str:
    if ts is None:
        return NO_VALUE
    return fmt_datetime(float(ts) if isinstance(ts, float | int) else ts.timestamp())


def _kind(kind: str) -> str:
    return CALIBRATION_KINDS.get(kind, kind)


def _changes(e: AuditEntry) -> str:
    after = {k: v for k, v in e.after.items() if k not in ("console", "command_id")}
    parts = []
    for k, v in after.items():
        if k in e.before and e.before[k] != v:
            parts.append(f"{k}: {e.before[k]} \u2192 {v}")
        else:
            parts.append(f"{k}: {v}")
    return "; ".join(parts)


class SensorFaceplate(QWidget):
    """One sensor. `readings` (ReadingsQuery) gives statistics, `history` (TrendHistory) the last hour,
    `sensor_config` saves limits/calibration/enable, `commands` (CommandService) proposes and applies a
    calibration against a reference and lists calibration records, `alarms` is the shared AlarmList."""

    def __init__(
        self,
        plant: Plant,
        eui: str,
        *,
        readings: Any | None,
        sensor_config: SensorConfigService,
        commands: Any | None,
        session_provider: SessionController,
        alarms: AlarmList | None = None,
        history: Any | None = None,
        now: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sensorFaceplate")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        eui = eui.upper()
        sensor = next((s for s in plant.sensors() if s.eui == eui), None)
        if sensor is None:
            raise KeyError(f"no sensor with EUI {eui}")
        self.plant = plant
        self.sensor: Sensor = sensor
        self.readings = readings
        self.config = sensor_config
        self.commands = commands
        self.controller = session_provider
        self.alarms = alarms
        self.history = history
        self.now = now
        self.reading: Reading | None = None
        self.proposal: CalibrationProposal | None = None
        self._board = SensorBoard(plant, now=now)
        self._closed = False
        self.caller = ServiceCaller(session_provider, f"faceplate-{eui}", self)
        mill = plant.mill(sensor.mill_slug)
        self.setWindowTitle(f"{sensor.name} \u00b7 {mill.name}")
        style_config(self)

        # -- header and live value ------------------------------------------------------------------
        header = QFrame(self)
        header.setObjectName("faceplateHeader")
        self.title = QLabel(sensor.name, header)
        self.title.setObjectName("faceplateTitle")
        self.subtitle = QLabel(header)
        self.subtitle.setObjectName("faceplateSubtitle")
        self.state_chip = QLabel(header)
        self.state_chip.setObjectName("stateChip")
        self.enable_button = QPushButton(header)
        self.enable_button.setObjectName("enableButton")
        self.value_label = QLabel(NO_VALUE, header)
        self.value_label.setObjectName("liveValue")
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.value_label.setMinimumWidth(200)
        self.unit_label = QLabel(sensor.display_unit, header)
        self.unit_label.setObjectName("liveUnit")
        self.meta_label = QLabel(header)
        self.meta_label.setObjectName("liveMeta")
        self.meta_label.setWordWrap(True)
        h = QGridLayout(header)
        h.setContentsMargins(16, 12, 16, 12)
        h.setHorizontalSpacing(12)
        h.addWidget(self.title, 0, 0, 1, 2)
        h.addWidget(self.state_chip, 0, 2, Qt.AlignmentFlag.AlignRight)
        h.addWidget(self.subtitle, 1, 0, 1, 3)
        value_row = QHBoxLayout()
        value_row.addWidget(self.value_label)
        value_row.addWidget(self.unit_label, 0, Qt.AlignmentFlag.AlignBottom)
        value_row.addSpacing(12)
        value_row.addWidget(self.meta_label, 1)
        value_row.addWidget(self.enable_button, 0, Qt.AlignmentFlag.AlignVCenter)
        h.addLayout(value_row, 2, 0, 1, 3)
        h.setColumnStretch(1, 1)

        # -- tabs -------------------------------------------------------------------------------------
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("faceplateTabs")
        self.tabs.addTab(self._build_trend_tab(), self.tr("Trend"))
        self.tabs.addTab(self._build_limits_tab(), self.tr("Limits"))
        self.tabs.addTab(self._build_calibration_tab(), self.tr("Calibration"))
        self.tabs.addTab(self._build_alarms_tab(), self.tr("Alarms"))
        self.tabs.addTab(self._build_audit_tab(), self.tr("History"))

        self.message = QLabel(self)
        self.message.setObjectName("messageStrip")
        self.message.setWordWrap(True)
        set_message(self.message, "")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 10)
        outer.setSpacing(8)
        outer.addWidget(header)
        tabs_box = QVBoxLayout()
        tabs_box.setContentsMargins(10, 0, 10, 0)
        tabs_box.addWidget(self.tabs, 1)
        tabs_box.addWidget(self.message)
        outer.addLayout(tabs_box, 1)

        self.enable_button.clicked.connect(self.toggle_enabled)
        self.tabs.currentChanged.connect(self._on_tab)
        session_provider.permissionsChanged.connect(self._apply_permissions)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self._show_sensor()
        self._show_live()
        self._apply_permissions()
        self.load_trend()
        self.load_stats()
        self.load_calibration_history()
        self.refresh_alarms()

    # -- building -------------------------------------------------------------------------------------
    def _build_trend_tab(self) -> QWidget:
        tab = QWidget(self)
        self.trend = MiniTrend(tab)
        self.trend.setMinimumHeight(250)
        self.range_combo = QComboBox(tab)
        self.range_combo.setObjectName("statsRange")
        for label, _span in RANGES:
            self.range_combo.addItem(translate(CONTEXT, label))
        self.stats_button = QPushButton(self.tr("Refresh"), tab)
        self.stats_note = QLabel(tab)
        self.stats_note.setObjectName("hint")
        self.stat_values: dict[str, QLabel] = {}
        boxes = QHBoxLayout()
        boxes.setSpacing(8)
        for key, name in (("count", self.tr("Count")), ("average", self.tr("Average")),
                          ("minimum", self.tr("Minimum")), ("maximum", self.tr("Maximum")),
                          ("latest", self.tr("Latest"))):
            box = QFrame(tab)
            box.setObjectName("statBox")
            v = QVBoxLayout(box)
            v.setContentsMargins(10, 6, 10, 6)
            n = QLabel(name.upper(), box)
            n.setObjectName("statName")
            val = QLabel(NO_VALUE, box)
            val.setObjectName("statValue")
            val.setProperty("stat", key)
            v.addWidget(n)
            v.addWidget(val)
            self.stat_values[key] = val
            boxes.addWidget(box, 1)
        row = QHBoxLayout()
        title = QLabel(self.tr("Statistics"), tab)
        title.setObjectName("sectionTitle")
        row.addWidget(title)
        row.addStretch(1)
        row.addWidget(self.range_combo)
        row.addWidget(self.stats_button)
        lay = QVBoxLayout(tab)
        lay.setContentsMargins(10, 10, 10, 10)
        trend_title = QLabel(self.tr("Last hour"), tab)
        trend_title.setObjectName("sectionTitle")
        lay.addWidget(trend_title)
        lay.addWidget(self.trend, 1)
        lay.addLayout(row)
        lay.addLayout(boxes)
        lay.addWidget(self.stats_note)
        self.range_combo.currentIndexChanged.connect(self.load_stats)
        self.stats_button.clicked.connect(self.load_stats)
        return tab

    def _build_limits_tab(self) -> QWidget:
        tab = QWidget(self)
        self.limits_notice = QLabel(tab)
        self.limits_notice.setObjectName("readOnlyNotice")
        self.limits_notice.setWordWrap(True)
        self.limits_notice.hide()
        self.threshold_form = FieldForm(THRESHOLD_FIELDS, tab, title=self.tr("Alarm limits"))
        self.interval_form = FieldForm(INTERVAL_FIELD, tab, title=self.tr("Sampling"))
        self.save_limits_button = QPushButton(self.tr("Save limits"), tab)
        self.save_limits_button.setObjectName("primaryButton")
        self.save_interval_button = QPushButton(self.tr("Save interval"), tab)
        lay = QVBoxLayout(tab)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.addWidget(self.limits_notice)
        lay.addWidget(self.threshold_form)
        b = QHBoxLayout()
        b.addStretch(1)
        b.addWidget(self.save_limits_button)
        lay.addLayout(b)
        lay.addWidget(self.interval_form)
        b2 = QHBoxLayout()
        b2.addStretch(1)
        b2.addWidget(self.save_interval_button)
        lay.addLayout(b2)
        lay.addStretch(1)
        self.threshold_form.edited.connect(self.validate_limits)
        self.save_limits_button.clicked.connect(self.save_thresholds)
        self.save_interval_button.clicked.connect(self.save_interval)
        return tab

    def _build_calibration_tab(self) -> QWidget:
        tab = QWidget(self)
        self.calibration_notice = QLabel(tab)
        self.calibration_notice.setObjectName("readOnlyNotice")
        self.calibration_notice.setWordWrap(True)
        self.calibration_notice.hide()
        self.current_calibration = QLabel(tab)
        self.current_calibration.setObjectName("cardText")
        ref_title = QLabel(self.tr("Calibrate against a reference value"), tab)
        ref_title.setObjectName("sectionTitle")
        self.reference = QLineEdit(tab)
        self.reference.setObjectName("referenceValue")
        self.reference.setPlaceholderText(self.tr("Reference reading in {unit}").format(unit=self.sensor.display_unit))
        self.propose_button = QPushButton(self.tr("Propose"), tab)
        self.proposal_label = QLabel(tab)
        self.proposal_label.setObjectName("proposal")
        self.proposal_label.setWordWrap(True)
        self.proposal_label.hide()
        self.reason = QLineEdit(tab)
        self.reason.setObjectName("calibrationReason")
        self.reason.setPlaceholderText(self.tr("Reason (kept with the calibration record), e.g. reference "
                                               "thermometer T-12"))
        self.apply_button = QPushButton(self.tr("Apply calibration"), tab)
        self.apply_button.setObjectName("primaryButton")
        self.apply_button.setEnabled(False)
        self.calibration_form = FieldForm(CALIBRATION_FIELDS, tab, title=self.tr("Set offset and multiplier"))
        self.manual_reason = QLineEdit(tab)
        self.manual_reason.setObjectName("manualReason")
        self.manual_reason.setPlaceholderText(self.tr("Reason for the change"))
        self.save_calibration_button = QPushButton(self.tr("Save calibration"), tab)
        hist_title = QLabel(self.tr("Calibration history"), tab)
        hist_title.setObjectName("sectionTitle")
        self.calibration_model: RowsModel[Any] = RowsModel([
            Column(self.tr("v", "calibration version"), lambda r: str(r.version), RIGHT),
            Column(self.tr("When"), lambda r: _when(r.ts)),
            Column(self.tr("Who"), lambda r: r.username),
            Column(self.tr("Offset"), lambda r: (f"{format_signed(r.before.offset)} \u2192 "
                                                f"{format_signed(r.after.offset)}")),
            Column(self.tr("Mult."), lambda r: (f"\u00d7{format_general(r.before.multiplier)} \u2192 "
                                               f"\u00d7{format_general(r.after.multiplier)}")),
            Column(self.tr("Why"), lambda r: r.reason or _kind(r.kind), tooltip=self._calibration_tooltip),
        ])
        self.calibration_table = make_table(self.calibration_model, "faceplateTable", tab)
        ref_row = QHBoxLayout()
        ref_row.addWidget(self.reference, 1)
        ref_row.addWidget(self.propose_button)
        apply_row = QHBoxLayout()
        apply_row.addWidget(self.reason, 1)
        apply_row.addWidget(self.apply_button)
        manual_row = QHBoxLayout()
        manual_row.addWidget(self.manual_reason, 1)
        manual_row.addWidget(self.save_calibration_button)
        lay = QVBoxLayout(tab)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.setSpacing(6)
        lay.addWidget(self.calibration_notice)
        lay.addWidget(self.current_calibration)
        lay.addWidget(ref_title)
        lay.addLayout(ref_row)
        lay.addWidget(self.proposal_label)
        lay.addLayout(apply_row)
        lay.addWidget(self.calibration_form)
        lay.addLayout(manual_row)
        lay.addWidget(hist_title)
        lay.addWidget(self.calibration_table, 1)
        self.propose_button.clicked.connect(self.propose)
        self.reference.returnPressed.connect(self.propose)
        self.reference.textEdited.connect(self._forget_proposal)
        self.apply_button.clicked.connect(self.apply_proposal)
        self.save_calibration_button.clicked.connect(self.save_calibration)
        return tab

    def _build_alarms_tab(self) -> QWidget:
        tab = QWidget(self)
        self.alarm_model: RowsModel[Alarm] = RowsModel([
            Column(self.tr("Priority"), lambda a: word(a.priority)),
            Column(self.tr("Alarm"), lambda a: capitalised(word(a.kind))),
            Column(self.tr("State"), lambda a: STATE_LABELS[a.state]),
            Column(self.tr("Value"), lambda a: value_text(self.sensor, a.value) if a.value is not None else "", RIGHT),
            Column(self.tr("Since"), lambda a: _when(a.changed_at)),
        ])
        self.alarm_table = make_table(self.alarm_model, "faceplateTable", tab)
        self.alarms_note = QLabel(tab)
        self.alarms_note.setObjectName("hint")
        lay = QVBoxLayout(tab)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.addWidget(self.alarms_note)
        lay.addWidget(self.alarm_table, 1)
        return tab

    def _build_audit_tab(self) -> QWidget:
        tab = QWidget(self)
        self.audit_model: RowsModel[AuditEntry] = RowsModel([
            Column(self.tr("When"), lambda e: _when(e.ts)),
            Column(self.tr("Who"), lambda e: e.username),
            Column(self.tr("What"), lambda e: e.action),
            Column(self.tr("Change"), _changes, tooltip=_changes),
        ])
        self.audit_table = make_table(self.audit_model, "faceplateTable", tab)
        self.audit_button = QPushButton(self.tr("Refresh"), tab)
        row = QHBoxLayout()
        note = QLabel(self.tr("Every change, command and refusal about this sensor"), tab)
        note.setObjectName("hint")
        row.addWidget(note, 1)
        row.addWidget(self.audit_button)
        lay = QVBoxLayout(tab)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.addLayout(row)
        lay.addWidget(self.audit_table, 1)
        self.audit_button.clicked.connect(self.load_audit)
        return tab

    # -- lifecycle ------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the timer and the worker; release the permission gates."""
        if self._closed:
            return
        self._closed = True
        self._tick.stop()
        for w in (self.save_limits_button, self.save_interval_button, self.apply_button, self.propose_button,
                  self.save_calibration_button, self.enable_button):
            self.controller.release_permission(w)
        self.caller.close()

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        super().closeEvent(event)

    # -- live value -----------------------------------------------------------------------------------
    @Slot(object)
    def on_values(self, values: Mapping[str, Reading]) -> None:
        """The bridge's `valuesChanged`: only this sensor's reading matters here."""
        r = values.get(self.sensor.eui)
        if r is None or (self.reading is not None and r.ts < self.reading.ts):
            return
        self.reading = r
        self._board.apply({r.eui: r})
        self.trend.append(r.ts, r.value)
        self._show_live()

    def _show_live(self) -> None:
        self._board.refresh()
        row = self._board.rows[self._board.row_of(self.sensor.eui) or 0]
        r = self.reading
        self.value_label.setText(number_text(self.sensor, r.value if r is not None else None))
        state = row.state.value if r is not None else "nodata"
        set_state_property(self.value_label, "alarm", state)
        if not self.sensor.enabled:
            chip, chip_state = self.tr("Disabled"), "disabled"
        else:
            chip, chip_state = row.state_text, state if row.state.abnormal else ""
        self.state_chip.setText(chip)
        set_state_property(self.state_chip, "alarm", chip_state)
        if r is None:
            self.meta_label.setText(self.tr("No reading yet"))
        elif r.raw_value is None:
            self.meta_label.setText(self.tr("{quality} \u00b7 {age} ago").format(
                quality=word(r.quality), age=fmt_duration(self.now() - r.ts)))
        else:
            self.meta_label.setText(self.tr("{quality} \u00b7 {age} ago \u00b7 raw {raw}").format(
                quality=word(r.quality), age=fmt_duration(self.now() - r.ts), raw=format_general(r.raw_value)))

    @Slot()
    def _on_tick(self) -> None:
        self._show_live()
        self.refresh_alarms()

    # -- the sensor's own fields -------------------------------------------------------------------------
    def _show_sensor(self) -> None:
        s = self.sensor
        mill = self.plant.mill(s.mill_slug)
        parts = [mill.name, *([s.location] if s.location else []), word(s.type), f"EUI {s.eui}",
                 self.tr("every {n} s").format(n=format_general(s.sampling_interval))]
        self.subtitle.setText(" \u00b7 ".join(parts))
        self.enable_button.setText(self.tr("Disable sensor") if s.enabled else self.tr("Enable sensor"))
        draft = sensor_draft(s)
        self.threshold_form.set_draft(draft, editing=True)
        self.interval_form.set_draft(draft, editing=True)
        self.calibration_form.set_draft(draft, editing=True)
        self.trend.set_thresholds(s.thresholds)
        cal = s.calibration
        self.current_calibration.setText(self.tr("Now: calibrated = raw \u00d7 {multiplier} {offset} {unit}").format(
            multiplier=format_general(cal.multiplier), offset=format_signed(cal.offset), unit=s.display_unit))
        self._board = SensorBoard(Plant(tuple(m if m.slug != s.mill_slug else _with_sensor(m, s)
                                              for m in self.plant.mills)), now=self.now)
        if self.reading is not None:
            self._board.apply({s.eui: self.reading})

    def _set_sensor(self, sensor: Sensor) -> None:
        self.sensor = sensor
        self._show_sensor()
        self._show_live()

    @Slot()
    def _apply_permissions(self) -> None:
        mill = self.sensor.mill_slug
        for w, act in ((self.save_limits_button, Action.EDIT_THRESHOLDS), (self.save_interval_button,
                                                                           Action.EDIT_SENSORS),
                       (self.apply_button, Action.EDIT_CALIBRATION), (self.propose_button, Action.EDIT_CALIBRATION),
                       (self.save_calibration_button, Action.EDIT_CALIBRATION),
                       (self.enable_button, Action.EDIT_SENSORS)):
            self.controller.apply_permission(w, act, mill)
        if self.proposal is None:
            self.apply_button.setEnabled(False)
        for form, notice, act in ((self.threshold_form, self.limits_notice, Action.EDIT_THRESHOLDS),
                                  (self.calibration_form, self.calibration_notice, Action.EDIT_CALIBRATION)):
            decision = self.controller.can(act, mill)
            usable = decision.allowed or decision.needs_reauth
            form.set_read_only(not usable)
            notice.setVisible(not usable)
            reason = message_text(decision.reason)
            notice.setText("" if usable else self.tr("Read only: {reason}.").format(reason=reason))
        decision = self.controller.can(Action.EDIT_SENSORS, mill)
        self.interval_form.set_read_only(not (decision.allowed or decision.needs_reauth))

    # -- statistics and trend -----------------------------------------------------------------------------
    def stats_span(self) -> float:
        return RANGES[max(self.range_combo.currentIndex(), 0)][1]

    @Slot()
    def load_stats(self) -> None:
        if self.readings is None or self._closed:
            self.stats_note.setText(self.tr("Statistics need the history database."))
            return
        t1 = self.now()
        t0 = t1 - self.stats_span()
        self.stats_note.setText(self.tr("Loading\u2026"))
        self.caller.run(self.readings.stats, self._on_stats, self._on_stats_failed, self.sensor.eui, t0, t1)

    def _on_stats(self, stats: Any) -> None:
        s = self.sensor
        self.stat_values["count"].setText(fmt_int(stats.count))
        for key in ("average", "minimum", "maximum", "latest"):
            self.stat_values[key].setText(value_text(s, getattr(stats, key)))
        if stats.latest_ts is not None:
            note = self.tr("{range}: good and uncertain values; latest at {when}").format(
                range=self.range_combo.currentText(), when=_when(stats.latest_ts))
        else:
            note = self.tr("{range}: good and uncertain values").format(range=self.range_combo.currentText())
        self.stats_note.setText(note)

    def _on_stats_failed(self, exc: BaseException) -> None:
        self.stats_note.setText(self.tr("Statistics unavailable: {reason}").format(reason=failure_text(exc)))

    def load_trend(self) -> None:
        if self.history is None or self._closed:
            return
        t1 = self.now()
        self.caller.run(self.history.fetch, self._on_trend, self._on_stats_failed, self.sensor.eui,
                        t1 - self.trend.window_s, t1, TREND_POINTS)

    def _on_trend(self, series: Any) -> None:
        self.trend.set_history(series.ts, series.values)

    # -- limits -------------------------------------------------------------------------------------------
    def _limits_draft(self) -> dict[str, Any]:
        return self.threshold_form.merged_into(sensor_draft(self.sensor))

    @Slot()
    def validate_limits(self) -> list[Any]:
        from hmi.services.sensor_config import check_sensor

        _, problems = check_sensor(self.plant, self.sensor.mill_slug, self._limits_draft(), original=self.sensor.eui)
        self.threshold_form.show_problems(problems)
        set_message(self.message, problem_summary(problems), "error" if problems else "")
        return problems

    @Slot()
    def save_thresholds(self) -> None:
        if self.validate_limits():
            return
        doc = self.threshold_form.values().get("thresholds", {})
        set_message(self.message, self.tr("Saving\u2026"), "busy")
        texts = (self.tr("Alarm limits saved."), self.tr("Alarm limits saved and sent to the device."),
                 self.tr("Alarm limits saved; sending them to the device failed: {reason}"))
        self.caller.call(self.tr("edit thresholds"), self.config.set_thresholds, (self.sensor.eui, doc),
                         lambda s: self._saved_and_push(s, texts, thresholds=s.thresholds),
                         self._on_failed, self)

    @Slot()
    def save_interval(self) -> None:
        value = self.interval_form.values().get("sampling_interval")
        doc = self.interval_form.merged_into(sensor_draft(self.sensor))
        from hmi.services.sensor_config import check_sensor

        _, problems = check_sensor(self.plant, self.sensor.mill_slug, doc, original=self.sensor.eui)
        self.interval_form.show_problems(problems)
        if problems or value is None:
            set_message(self.message, problem_summary(problems) or self.tr("Enter a sampling interval."), "error")
            return
        texts = (self.tr("Sampling interval saved."), self.tr("Sampling interval saved and sent to the device."),
                 self.tr("Sampling interval saved; sending it to the device failed: {reason}"))
        self.caller.call(self.tr("edit sensors"), self.config.set_sampling_interval, (self.sensor.eui, value),
                         lambda s: self._saved_and_push(s, texts, sampling_interval=s.sampling_interval),
                         self._on_failed, self)

    def _saved_and_push(self, sensor: Sensor, texts: tuple[str, str, str], **config: Any) -> None:
        """Saved in the database; now sent to the device on `mills/{mill}/sensors/{eui}/config` (a
        command of its own: refused or failed sends are said, the saved values stay). `texts`: saved,
        saved and sent, saved but the send failed ({reason})."""
        saved, sent, not_sent = texts
        self._saved(sensor, saved)
        if self.commands is None:
            return
        commands, eui = self.commands, sensor.eui

        def push(session: Any) -> Any:
            return commands.push_config(session, eui, **config)

        def pushed(_result: Any) -> None:
            set_message(self.message, sent, "info")

        def failed(exc: BaseException) -> None:
            set_message(self.message, not_sent.format(reason=failure_text(exc)), "error")

        self.caller.call(self.tr("send the configuration"), push, (), pushed, failed, self)

    @Slot()
    def toggle_enabled(self) -> None:
        enable = not self.sensor.enabled
        enabled, disabled = self.tr("Sensor enabled."), self.tr("Sensor disabled: it is no longer read nor alarmed.")
        self.caller.call(self.tr("enable a sensor") if enable else self.tr("disable a sensor"), self.config.set_enabled,
                         (self.sensor.eui, enable),
                         lambda s: self._saved(s, enabled if s.enabled else disabled), self._on_failed, self)

    def _saved(self, sensor: Sensor, text: str) -> None:
        self._set_sensor(sensor)
        set_message(self.message, text, "info")
        self.load_calibration_history()
        if self.tabs.currentIndex() == 4:
            self.load_audit()

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PlantError):
            rest = self.threshold_form.show_problems(exc.problems)
            rest = self.calibration_form.show_problems(rest)
            set_message(self.message, problem_summary(exc.problems), "error")
            return
        set_message(self.message, failure_text(exc), "error")

    # -- calibration ------------------------------------------------------------------------------------
    @Slot()
    def _forget_proposal(self) -> None:
        self.proposal = None
        self.proposal_label.hide()
        self.apply_button.setEnabled(False)

    @Slot()
    def propose(self) -> None:
        """Show what calibrating against the typed reference would change; nothing is stored yet."""
        from hmi.ui.config_forms import number_or_text

        self._forget_proposal()
        if self.commands is None:
            set_message(self.message, self.tr("Calibration commands are not available on this console."), "error")
            return
        ref = parse_number(self.reference.text())  # the locale's decimal comma, or a point
        if ref is None:
            typed = number_or_text(self.reference.text())
            ref = typed if isinstance(typed, float) else None
        if ref is None:
            set_message(self.message, self.tr("Enter the reference value as a number."), "error")
            return
        r = self.reading
        if r is None or r.value is None:
            set_message(self.message, self.tr("No live reading yet: wait for one, then propose again."), "error")
            return
        raw = r.raw_value if r.raw_value is not None else r.value
        try:
            p = self.commands.propose_calibration(self.sensor.eui, raw, r.value, ref)
        except Exception as exc:  # noqa: BLE001 - CommandRefused or a validation error: say it
            set_message(self.message, failure_text(exc), "error")
            return
        self.proposal = p
        s = self.sensor
        self.proposal_label.setText(
            self.tr("Latest reading {reading} (raw {raw}); reference {reference}.").format(
                reading=value_text(s, p.reading_before), raw=format_general(p.raw),
                reference=value_text(s, p.reference))
            + "\n" + self.tr("Offset correction {correction} {unit}: offset {before} \u2192 {after}, multiplier "
                             "\u00d7{multiplier}. Nothing is applied until you press Apply calibration.").format(
                correction=format_signed(p.offset, 4), unit=s.display_unit, before=format_signed(p.before.offset),
                after=format_signed(p.after.offset), multiplier=format_general(p.after.multiplier)))
        self.proposal_label.show()
        self._apply_permissions()
        self.apply_button.setEnabled(self.controller.can(Action.EDIT_CALIBRATION, s.mill_slug).allowed
                                     or self.controller.can(Action.EDIT_CALIBRATION, s.mill_slug).needs_reauth)
        set_message(self.message, "")

    @Slot()
    def apply_proposal(self) -> None:
        p = self.proposal
        if p is None or self.commands is None:
            set_message(self.message, self.tr("Propose a calibration first."), "error")
            return
        reason = self.reason.text().strip()
        if not reason:
            set_message(self.message, self.tr("Enter a reason: it is kept with the calibration record."), "error")
            self.reason.setFocus()
            return
        set_message(self.message, self.tr("Applying\u2026"), "busy")
        self.caller.call(self.tr("edit calibration"), self.commands.apply_calibration, (p, reason), self._on_applied,
                         self._on_failed, self)

    def _on_applied(self, result: Any) -> None:
        self._forget_proposal()
        self.reason.clear()
        self.reference.clear()
        after = result.detail.get("after")
        version = result.detail.get("version")
        if after is not None:
            from dataclasses import replace

            self._set_sensor(replace(self.sensor, calibration=after))
        set_message(self.message, self.tr("Calibration applied (version {version}): offset {offset}.").format(
            version=version, offset=format_signed(after.offset)), "info")
        self.load_calibration_history()

    @Slot()
    def save_calibration(self) -> None:
        doc = self.calibration_form.merged_into(sensor_draft(self.sensor))
        from hmi.services.sensor_config import check_sensor

        _, problems = check_sensor(self.plant, self.sensor.mill_slug, doc, original=self.sensor.eui)
        self.calibration_form.show_problems(problems)
        if problems:
            set_message(self.message, problem_summary(problems), "error")
            return
        reason = self.manual_reason.text().strip()
        if not reason:
            set_message(self.message, self.tr("Enter a reason for the calibration change."), "error")
            return
        cal = doc.get("calibration", {})
        saved = self.tr("Calibration saved.")
        self.caller.call(self.tr("edit calibration"), self.config.set_calibration, (self.sensor.eui, cal, reason),
                         lambda s: self._saved(s, saved), self._on_failed, self)

    def load_calibration_history(self) -> None:
        if self._closed:
            return
        session = self.controller.session
        if self.commands is not None and session is not None:
            self.caller.run(self.commands.calibration_history, self.calibration_model.set_rows,
                            self._on_history_failed, self.sensor.eui)
        else:
            from hmi.storage.calibration_repo import calibration_history

            self.caller.run(calibration_history, self.calibration_model.set_rows, self._on_history_failed,
                            self.config.engine, self.sensor.eui)

    def _calibration_tooltip(self, r: Any) -> str:
        if r.reference is None:
            return _kind(r.kind)
        raw = NO_VALUE if r.raw_value is None else format_general(r.raw_value)
        return self.tr("{kind}; raw {raw}, reference {reference}").format(
            kind=_kind(r.kind), raw=raw, reference=format_general(r.reference))

    def _on_history_failed(self, exc: BaseException) -> None:
        set_message(self.message, self.tr("History unavailable: {reason}").format(reason=failure_text(exc)), "error")

    # -- alarms and audit ---------------------------------------------------------------------------------
    @Slot()
    def refresh_alarms(self) -> None:
        if self.alarms is None:
            self.alarms_note.setText(self.tr("Alarms are not available on this console."))
            return
        mine = [a for a in self.alarms.ordered() if a.key.source == self.sensor.eui]
        if mine != self.alarm_model.rows():
            self.alarm_model.set_rows(mine)
        self.alarms_note.setText(self.tr("%n alarm(s) of this sensor not yet finished", "", len(mine)) if mine
                                 else self.tr("No alarm of this sensor is active or waiting for acknowledgement."))
        self.tabs.setTabText(3, self.tr("Alarms ({n})").format(n=len(mine)) if mine else self.tr("Alarms"))

    @Slot()
    def load_audit(self) -> None:
        session = self.controller.session
        if session is None or self._closed:
            return
        self.caller.run(self.config.audit_history, self.audit_model.set_rows, self._on_history_failed, session,
                        self.sensor.eui)

    @Slot(int)
    def _on_tab(self, index: int) -> None:
        if index == 4:
            self.load_audit()


def _with_sensor(mill: Any, sensor: Sensor) -> Any:
    from dataclasses import replace

    return replace(mill, sensors=tuple(sensor if s.eui == sensor.eui else s for s in mill.sensors))


def open_faceplate(plant: Plant, eui: str, *, parent: QWidget | None = None, **services: Any) -> SensorFaceplate:
    """A faceplate in its own non-modal window (show(), never exec()), sized once."""
    fp = SensorFaceplate(plant, eui, parent=None, **services)
    fp.setWindowFlag(Qt.WindowType.Window, True)
    fp.setMinimumSize(560, 700)
    fp.setMaximumSize(16000, 16000)
    fp.resize(*SIZE)
    if parent is not None:
        fp.setParent(parent.window(), Qt.WindowType.Window)
    fp.show()
    return fp
