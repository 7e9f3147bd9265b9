"""Forms over drafts in the plant file's form, with each problem shown under its field.

A form never judges values itself: numbers it cannot read go into the draft as typed, and the plant
file's validation (through hmi.services.sensor_config.check_sensor / check_mill) says "must be a
number, got 'abc'" like it would for a file. So a field's problem reads the same on screen, in an
import report and from the command line.

Labels and hints of the field tables are marked `QT_TRANSLATE_NOOP("FieldForm", ...)` and translated when
a form is built (a FieldSpec made elsewhere should mark its texts in the same context). Numbers are shown
in the user's locale and read with a decimal point or the locale's decimal comma.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hmi.core.domain import MillStatus, SensorType
from hmi.core.plant import PlantProblem
from hmi.ui.domain_words import word
from hmi.ui.i18n import message_text, translate
from hmi.ui.theme import set_state_property

CONTEXT = "FieldForm"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field: `key` in the draft ("name", "thresholds.warning_max"), shown as `label`. `label` and
    `hint` are QT_TRANSLATE_NOOP("FieldForm", ...) sources; a choice's values are shown as the domain
    word of `words` (an enum of those values) when given."""

    key: str
    label: str
    kind: str = "text"  # text | number | choice | check
    choices: tuple[str, ...] = ()
    hint: str = ""
    fixed_on_edit: bool = False  # identity (slug, EUI): typed when creating, shown read-only after
    column: int = 0  # 0: full width; 1 / 2: left or right half of a pair
    words: type[enum.Enum] | None = None

    def shown_label(self) -> str:
        return translate(CONTEXT, self.label) if self.label else ""

    def shown_hint(self) -> str:
        return translate(CONTEXT, self.hint) if self.hint else ""

    def choice_text(self, value: str) -> str:
        if self.words is not None:
            try:
                return word(self.words(value))
            except ValueError:
                return value
        return value


SENSOR_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", QT_TRANSLATE_NOOP("FieldForm", "Name"),
              hint=QT_TRANSLATE_NOOP("FieldForm", "Unique within the mill")),
    FieldSpec("type", QT_TRANSLATE_NOOP("FieldForm", "Type"), "choice", tuple(t.value for t in SensorType),
              column=1, words=SensorType),
    FieldSpec("eui", QT_TRANSLATE_NOOP("FieldForm", "Device EUI"),
              hint=QT_TRANSLATE_NOOP("FieldForm", "16 hex digits, unique in the plant"), fixed_on_edit=True,
              column=2),
    FieldSpec("location", QT_TRANSLATE_NOOP("FieldForm", "Location"), column=1),
    FieldSpec("unit", QT_TRANSLATE_NOOP("FieldForm", "Unit"),
              hint=QT_TRANSLATE_NOOP("FieldForm", "Empty: the type's unit"), column=2),
    FieldSpec("sampling_interval", QT_TRANSLATE_NOOP("FieldForm", "Sampling interval (s)"), "number", column=1),
    FieldSpec("enabled", QT_TRANSLATE_NOOP("FieldForm", "Enabled (read and alarmed)"), "check", column=2),
    FieldSpec("source", QT_TRANSLATE_NOOP("FieldForm", "Source URL"),
              hint=QT_TRANSLATE_NOOP("FieldForm", "Empty: mqtt://mills/{mill}/sensors/{eui}/reading")),
)
THRESHOLD_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("thresholds.critical_max", QT_TRANSLATE_NOOP("FieldForm", "Critical high (HH)"), "number", column=1),
    FieldSpec("thresholds.warning_max", QT_TRANSLATE_NOOP("FieldForm", "Warning high (H)"), "number", column=2),
    FieldSpec("thresholds.warning_min", QT_TRANSLATE_NOOP("FieldForm", "Warning low (L)"), "number", column=1),
    FieldSpec("thresholds.critical_min", QT_TRANSLATE_NOOP("FieldForm", "Critical low (LL)"), "number", column=2),
)
CALIBRATION_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("calibration.offset", QT_TRANSLATE_NOOP("FieldForm", "Offset"), "number", column=1),
    FieldSpec("calibration.multiplier", QT_TRANSLATE_NOOP("FieldForm", "Multiplier"), "number", column=2),
)
MILL_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("slug", QT_TRANSLATE_NOOP("FieldForm", "Slug"),
              hint=QT_TRANSLATE_NOOP("FieldForm", "Lowercase letters, digits, - and _ (used in topics)"),
              fixed_on_edit=True, column=1),
    FieldSpec("status", QT_TRANSLATE_NOOP("FieldForm", "Status"), "choice", tuple(s.value for s in MillStatus),
              column=2, words=MillStatus),
    FieldSpec("name", QT_TRANSLATE_NOOP("FieldForm", "Name"),
              hint=QT_TRANSLATE_NOOP("FieldForm", "Unique in the plant")),
    FieldSpec("location", QT_TRANSLATE_NOOP("FieldForm", "Location"), column=1),
    FieldSpec("capacity", QT_TRANSLATE_NOOP("FieldForm", "Capacity (t/day)"), "number", column=2),
    FieldSpec("latitude", QT_TRANSLATE_NOOP("FieldForm", "Latitude"), "number", column=1),
    FieldSpec("longitude", QT_TRANSLATE_NOOP("FieldForm", "Longitude"), "number", column=2),
    FieldSpec("estop.mqtt", QT_TRANSLATE_NOOP("FieldForm", "E-stop over MQTT"), "check"),
    FieldSpec("estop.modbus", QT_TRANSLATE_NOOP("FieldForm", "E-stop Modbus coil"),
              hint="modbus://host:port/coil/N?unit=1&readback=di/N"),
)


def number_or_text(text: str) -> float | str | None:
    """A typed number: None when empty, the float when it reads as one (a decimal point, a decimal comma,
    or the user's locale: "1.234,5" in Dutch), else the text itself, for the plant validation to refuse
    with its own words."""
    t = text.strip()
    if not t:
        return None
    for candidate in (t, t.replace(",", ".") if t.count(",") == 1 and "." not in t else t):
        try:
            return float(candidate)
        except ValueError:
            continue
    value, ok = QLocale().toDouble(t)
    return value if ok else t


def fmt_short(value: float) -> str:
    """A number as short as it reads exactly, in the user's locale ("0,5" in Dutch), no group separators:
    what a form field shows, and tables of limits and calibrations."""
    loc = QLocale()
    loc.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return loc.toString(float(value), "g", QLocale.FloatingPointPrecisionOption.FloatingPointShortest)


def fmt_signed(value: float) -> str:
    """`fmt_short` with a sign ("+0,5", "-2")."""
    text = fmt_short(value)
    return text if text.startswith(("-", "\u2212")) else "+" + text


def _get(doc: Mapping[str, Any], key: str) -> Any:
    node: Any = doc
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return fmt_short(value)
    return str(value)


class _Field:
    def __init__(self, spec: FieldSpec, parent: QWidget) -> None:
        self.spec = spec
        self.label = QLabel(spec.shown_label(), parent)
        self.label.setObjectName("fieldLabel")
        self.editor: QWidget
        if spec.kind == "choice":
            combo = QComboBox(parent)
            for value in spec.choices:
                combo.addItem(spec.choice_text(value), value)
            self.editor = combo
        elif spec.kind == "check":
            self.editor = QCheckBox(spec.shown_label(), parent)
            self.label.setText("")
        else:
            edit = QLineEdit(parent)
            if spec.kind == "number":
                edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if spec.hint:
                edit.setPlaceholderText(spec.shown_hint())
                edit.setToolTip(spec.shown_hint())  # the whole hint, when a half-width field cuts it short
            self.editor = edit
        self.editor.setObjectName(f"field_{spec.key.replace('.', '_')}")
        self.error = QLabel(parent)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()

    def value(self) -> Any:
        w = self.editor
        if isinstance(w, QComboBox):
            data = w.currentData()
            return data if data is not None else w.currentText()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        assert isinstance(w, QLineEdit)
        return number_or_text(w.text()) if self.spec.kind == "number" else (w.text().strip() or None)

    def set_value(self, value: Any) -> None:
        w = self.editor
        if isinstance(w, QComboBox):
            i = 0
            if value is not None:
                i = w.findData(str(value))
                i = i if i >= 0 else w.findText(str(value))
            w.setCurrentIndex(max(i, 0))
        elif isinstance(w, QCheckBox):
            w.setChecked(True if value is None else bool(value))
        else:
            assert isinstance(w, QLineEdit)
            w.setText(_fmt(value))

    def set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        if isinstance(self.editor, QLineEdit):
            set_state_property(self.editor, "invalid", "true" if text else "false")

    def set_read_only(self, read_only: bool) -> None:
        w = self.editor
        if isinstance(w, QLineEdit):
            w.setReadOnly(read_only)
        else:
            w.setEnabled(not read_only)


class FieldForm(QFrame):
    """A grid of fields over a draft. `edited` fires on every change a person makes."""

    edited = Signal()

    def __init__(self, specs: Sequence[FieldSpec], parent: QWidget | None = None, *, title: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("formPanel")
        self.specs = tuple(specs)
        self._fields: dict[str, _Field] = {}
        self._editing = False
        self._read_only = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 10, 14, 12)
        outer.setSpacing(4)
        self.title = QLabel(title, self)
        self.title.setObjectName("sectionTitle")
        self.title.setVisible(bool(title))
        outer.addWidget(self.title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        outer.addLayout(grid)
        row = 0
        for spec in self.specs:
            f = _Field(spec, self)
            self._fields[spec.key] = f
            col = 0 if spec.column in (0, 1) else 1
            span = 2 if spec.column == 0 else 1
            if spec.column == 2 and row > 0:
                row -= 3  # the right half of the pair started on the left
            grid.addWidget(f.label, row, col, 1, span)
            grid.addWidget(f.editor, row + 1, col, 1, span)
            grid.addWidget(f.error, row + 2, col, 1, span)
            row += 3
            self._connect(f)
        outer.addStretch(1)

    def _connect(self, f: _Field) -> None:
        w = f.editor
        if isinstance(w, QLineEdit):
            w.textEdited.connect(self._on_edited)
        elif isinstance(w, QComboBox):
            w.activated.connect(self._on_edited)
        elif isinstance(w, QCheckBox):
            w.clicked.connect(self._on_edited)

    @Slot()
    def _on_edited(self, *_: object) -> None:
        self.edited.emit()

    # -- values ----------------------------------------------------------------------------------------
    def owned_keys(self) -> set[str]:
        """The top-level draft keys this form decides ("thresholds" for "thresholds.warning_max")."""
        return {s.key.split(".", 1)[0] for s in self.specs}

    def set_draft(self, doc: Mapping[str, Any], *, editing: bool) -> None:
        self._editing = editing
        for key, f in self._fields.items():
            f.set_value(_get(doc, key))
            f.set_error("")
            f.set_read_only(self._read_only or (editing and f.spec.fixed_on_edit))

    def values(self) -> dict[str, Any]:
        """The fields as a (nested) draft; empty fields are left out."""
        out: dict[str, Any] = {}
        for key, f in self._fields.items():
            v = f.value()
            if v is None:
                continue
            head, _, tail = key.partition(".")
            if tail:
                out.setdefault(head, {})[tail] = v
            else:
                out[key] = v
        return out

    def merged_into(self, base: Mapping[str, Any]) -> dict[str, Any]:
        """`base` with this form's keys replaced (keys the form leaves empty are removed)."""
        doc = {k: v for k, v in base.items() if k not in self.owned_keys()}
        doc.update(self.values())
        return doc

    def field(self, key: str) -> QWidget:
        return self._fields[key].editor

    def set_text(self, key: str, text: str) -> None:
        """Type into a field as a person would (tests, the faceplate's proposal)."""
        f = self._fields[key]
        f.set_value(text)
        self.edited.emit()

    # -- problems --------------------------------------------------------------------------------------
    def show_problems(self, problems: Iterable[PlantProblem]) -> list[PlantProblem]:
        """Each problem under its field; returns those with no field here (for the message strip)."""
        by_key: dict[str, list[str]] = {}
        unplaced: list[PlantProblem] = []
        for p in problems:
            if p.field in self._fields:
                by_key.setdefault(p.field, []).append(message_text(p.message))
            else:
                unplaced.append(p)
        for key, f in self._fields.items():
            f.set_error("; ".join(by_key.get(key, [])))
        return unplaced

    def error_of(self, key: str) -> str:
        f = self._fields[key]
        return f.error.text() if f.error.isVisibleTo(self) else ""

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for f in self._fields.values():
            f.set_read_only(read_only or (self._editing and f.spec.fixed_on_edit))


def field_label(key: str) -> str:
    """The label a form shows for a draft key ("Critical high (HH)" for "thresholds.critical_max"), in
    the user's language; the key itself when no form here has it."""
    for spec in (*SENSOR_FIELDS, *THRESHOLD_FIELDS, *CALIBRATION_FIELDS, *MILL_FIELDS):
        if spec.key == key:
            return spec.shown_label()
    if key == "reason":
        return translate("FieldForm", "Reason")
    return key.replace("_", " ")


def problem_summary(problems: Sequence[PlantProblem]) -> str:
    """"Fix 2 problems before saving: Critical high (HH): ..." for the message strip."""
    if not problems:
        return ""
    first = problems[0]
    n = len(problems)
    field, message = field_label(first.field), message_text(first.message)
    if n == 1:
        return translate("FieldForm", "Fix this problem before saving: {field}: {message}.").format(
            field=field, message=message)
    return translate("FieldForm", "Fix {n} problems before saving: {field}: {message}.").format(
        n=n, field=field, message=message)
